package dataplane

import (
	"log/slog"
	"time"

	"github.com/vpcemu/vpcemu/internal/localca"
	"github.com/vpcemu/vpcemu/internal/metric"
	"github.com/vpcemu/vpcemu/internal/servicegate"
)

// Config is what the data plane is started with.
type Config struct {
	// Internet are the stand-ins for internet addresses (loopback only).
	Internet []InternetStandIn
	Logger   *slog.Logger
	// Records takes the flow-log records of each closed window, every
	// Window (DefaultWindow when zero); nil keeps none.
	Records Sink
	// Metrics takes the CloudWatch datapoints of each closed window (what
	// each resource carried in it); nil publishes none.
	Metrics metric.Sink
	Window  time.Duration
	// Services serves the AWS services that have an upstream (nil: none
	// has); CA is the local CA whose certificate `vpcemu run` hands out.
	Services *servicegate.Gate
	CA       *localca.CA
	// ProxyAddr is where the proxy listens (a loopback address; by
	// default 127.0.0.1 and a port the system picks).
	ProxyAddr string
	// Observer hears of the verdicts, flows and traffic, for vpcemu's own
	// metrics; nil: nobody.
	Observer Observer
}

// Observer hears of the data plane's work; its methods must be quick and
// safe for concurrent use.
type Observer interface {
	// Verdict: the engine's verdict on a flow, allowed or not, taken anew
	// or remembered (memo) from an earlier flow of the same state.
	Verdict(allowed, memo bool)
	// FlowStarted: a new flow of protocol ("tcp", "udp", "icmp"…),
	// carried or dropped.
	FlowStarted(protocol string, carried bool)
	// Traffic: what a flow sent (out) and had back (in) in a window that
	// closed; a dropped flow's are the packets it sent and lost.
	Traffic(protocol string, carried bool, packetsOut, bytesOut, packetsIn, bytesIn uint64)
}
