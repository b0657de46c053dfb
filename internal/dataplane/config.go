package dataplane

import (
	"log/slog"
	"time"

	"github.com/vpcemu/vpcemu/internal/localca"
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
	Window  time.Duration
	// Services serves the AWS services that have an upstream (nil: none
	// has); CA is the local CA whose certificate `vpcemu run` hands out.
	Services *servicegate.Gate
	CA       *localca.CA
	// ProxyAddr is where the proxy listens (a loopback address; by
	// default 127.0.0.1 and a port the system picks).
	ProxyAddr string
}
