// Package emulator assembles vpcemu: the store, the domain, the AWS services
// and the HTTP server. The vpcemu command and end-to-end tests both start it
// from here, so tests run exactly what users run.
package emulator

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/api/cloudwatchapi"
	"github.com/vpcemu/vpcemu/internal/api/directconnectapi"
	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/api/elbv2api"
	"github.com/vpcemu/vpcemu/internal/api/logsapi"
	"github.com/vpcemu/vpcemu/internal/api/route53api"
	"github.com/vpcemu/vpcemu/internal/api/stsapi"
	"github.com/vpcemu/vpcemu/internal/awsproto/awsjson"
	"github.com/vpcemu/vpcemu/internal/awsproto/query"
	"github.com/vpcemu/vpcemu/internal/awsproto/querycompat"
	"github.com/vpcemu/vpcemu/internal/awsproto/restxml"
	"github.com/vpcemu/vpcemu/internal/cloud"
	cw "github.com/vpcemu/vpcemu/internal/cloud/cloudwatch"
	dx "github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/flowlogs"
	"github.com/vpcemu/vpcemu/internal/cloud/insights"
	cwl "github.com/vpcemu/vpcemu/internal/cloud/logs"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	r53 "github.com/vpcemu/vpcemu/internal/cloud/route53"
	"github.com/vpcemu/vpcemu/internal/cloudstore"
	"github.com/vpcemu/vpcemu/internal/cost"
	"github.com/vpcemu/vpcemu/internal/costreport"
	"github.com/vpcemu/vpcemu/internal/dataplane"
	"github.com/vpcemu/vpcemu/internal/dnsserver"
	"github.com/vpcemu/vpcemu/internal/dxcontrol"
	"github.com/vpcemu/vpcemu/internal/idempotency"
	"github.com/vpcemu/vpcemu/internal/localca"
	"github.com/vpcemu/vpcemu/internal/prom"
	"github.com/vpcemu/vpcemu/internal/server"
	"github.com/vpcemu/vpcemu/internal/service/cloudwatch"
	"github.com/vpcemu/vpcemu/internal/service/directconnect"
	"github.com/vpcemu/vpcemu/internal/service/ec2"
	"github.com/vpcemu/vpcemu/internal/service/elbv2"
	"github.com/vpcemu/vpcemu/internal/service/logs"
	"github.com/vpcemu/vpcemu/internal/service/route53"
	"github.com/vpcemu/vpcemu/internal/service/sts"
	"github.com/vpcemu/vpcemu/internal/servicegate"
	"github.com/vpcemu/vpcemu/internal/sigv4"
	"github.com/vpcemu/vpcemu/internal/store"
	"github.com/vpcemu/vpcemu/internal/store/sqlite"
	"github.com/vpcemu/vpcemu/internal/webview"
)

// Config says where state lives and how to log.
type Config struct {
	// DataDir holds vpcemu.db. Ignored when InMemory.
	DataDir  string
	InMemory bool
	Logger   *slog.Logger
	Version  string
	// CloudOptions adjust the domain (tests inject clocks and ids).
	CloudOptions []cloud.Option
	// Keys (a credentials file) map access keys to accounts; with
	// VerifySignatures, which needs them, every request must be signed by
	// one of them (see server.Config).
	Keys             *sigv4.Keys
	VerifySignatures bool
	// BeforeAnswer is called after a request with a client token commits
	// and before it is answered (a test hook; see server.Config).
	BeforeAnswer func(operation string)
	// DXProvisionDelay is how long a new Direct Connect connection, LAG,
	// virtual interface or BGP peer takes to come up (0: at once).
	DXProvisionDelay time.Duration
	// DataPlane starts the data plane, which carries the traffic of
	// processes that play instances (`vpcemu run`); where it cannot start
	// (not Linux, not root), the emulator serves without it and says why.
	DataPlane bool
	// Internet are the data plane's stand-ins for servers on the internet.
	Internet []dataplane.InternetStandIn
	// Upstreams are where the data plane sends what reaches an AWS service
	// through an endpoint, by IAM prefix (s3, sqs…): loopback URLs, as
	// servicegate.ParseUpstream reads them.
	Upstreams map[string]*url.URL
	// DNS are the DNS listeners Listen binds (loopback addresses only).
	DNS []DNSListener
}

// DNSListener is a DNS listener: VPC's view ("" the public view) on Addr
// (host:port; port 0 picks one), UDP and TCP.
type DNSListener struct {
	VPC  string
	Addr string
}

// DNSListenError is a DNS listener that could not bind its address.
type DNSListenError struct {
	Addr string
	Err  error
}

func (e *DNSListenError) Error() string { return "DNS listener " + e.Addr + ": " + e.Err.Error() }
func (e *DNSListenError) Unwrap() error { return e.Err }

// DBFile is the database file's name inside the data directory.
const DBFile = "vpcemu.db"

// S3Dir is where flow logs to S3 are written, inside the data directory:
// one directory per bucket, its keys as paths.
const S3Dir = "s3"

// Emulator is a running vpcemu.
type Emulator struct {
	Store   store.Store
	Cloud   *cloud.Cloud
	Handler http.Handler
	// Plane is the data plane, or nil when it is off; PlaneOff says why.
	Plane    *dataplane.Plane
	PlaneOff error
	// FlowLogs is the flow logs family: the data plane hands it records
	// (FlowLogs.Deliver), and its S3 files are under FlowLogsS3Dir (in the
	// data directory, or a temporary one removed at Shutdown when in
	// memory).
	FlowLogs      *flowlogs.Service
	FlowLogsS3Dir string
	// CloudWatch is the CloudWatch (metrics) family: the data plane
	// publishes each closed window's datapoints to it (CloudWatch.Publish).
	CloudWatch *cw.Service
	// temps are the temporary directories standing in for the data
	// directory's when in memory (see dir).
	temps []string
	// DNS are the bound DNS listeners, in Config.DNS order (after Listen).
	DNS  []*dnsserver.Listener
	dns  *dnsserver.Server
	view *webview.View
	cfg  Config
	http *http.Server
	ln   net.Listener
}

// New opens the store and builds the services.
func New(cfg Config) (*Emulator, error) {
	if cfg.VerifySignatures && cfg.Keys == nil {
		return nil, errors.New("emulator: verifying signatures needs a credentials file (the keys to verify with)")
	}
	var st *sqlite.Store
	var err error
	if cfg.InMemory {
		st, err = sqlite.OpenMemory()
	} else {
		if cfg.DataDir == "" {
			return nil, errors.New("emulator: a data directory is needed unless in memory")
		}
		st, err = sqlite.Open(filepath.Join(cfg.DataDir, DBFile))
	}
	if err != nil {
		return nil, err
	}
	metrics := prom.New()
	st.Observe(metrics)
	c := cloud.New(cloudstore.New(st), append([]cloud.Option{cloud.WithObserver(metrics)}, cfg.CloudOptions...)...)
	e := &Emulator{Store: st, Cloud: c, cfg: cfg}
	s3Dir, err := e.dir(S3Dir, 0o700)
	if err != nil {
		st.Close()
		return nil, err
	}
	flowLogs := flowlogs.New(c, flowlogs.S3Dir(s3Dir))
	dxFamily := dx.New(c, dx.WithProvisionDelay(cfg.DXProvisionDelay))
	sessions := sigv4.NewSessions()
	// The DNS server and the data plane read one live snapshot.
	live := netview.NewLive(c)
	dns := dnsserver.New(live, cfg.Logger)
	e.FlowLogs, e.FlowLogsS3Dir, e.dns, e.view = flowLogs, s3Dir, dns, webview.New(c, cfg.Logger)
	e.CloudWatch = cw.New(c)
	e.PlaneOff = errors.New("started without it")
	if cfg.DataPlane {
		pc := dataplane.Config{Internet: cfg.Internet, Logger: cfg.Logger, Records: flowLogs.Deliver, Metrics: e.CloudWatch.Publish, Observer: metrics}
		var caDir string
		if caDir, e.PlaneOff = e.dir(CADir, 0o755); e.PlaneOff == nil { // rootless runs read the CA's bundle
			pc.CA, e.PlaneOff = localca.Open(caDir)
		}
		if e.PlaneOff == nil {
			pc.Services = servicegate.New(pc.CA, cfg.Upstreams, cfg.Logger)
			e.Plane, e.PlaneOff = dataplane.Start(live, dns, pc)
		}
	}
	off := dataplane.OffHandler(e.PlaneOff)
	runHandler, flowsHandler, metersHandler, recordsHandler := off, off, off, off
	meters := func() (dataplane.MeterList, bool) { return dataplane.MeterList{}, false }
	if e.PlaneOff == nil {
		meters = func() (dataplane.MeterList, bool) { return e.Plane.Fabric.Meters(""), true }
		f := e.Plane.Fabric
		runHandler, flowsHandler, metersHandler, recordsHandler = e.Plane.Runs.Handler(), f.FlowsHandler(), f.MetersHandler(), f.RecordsHandler()
	}
	e.view.Cost = func(ctx context.Context, id string) []cost.Line { return costreport.LinesOf(ctx, c, meters, id) }
	h := server.New(server.Config{
		Services: []*server.Service{
			{Spec: ec2api.Spec, Codec: query.EC2, Handler: ec2.New(ec2.Domain{Cloud: c, Network: network.New(c), Insights: insights.New(c), PrivateLink: privatelink.New(c), FlowLogs: flowLogs}), MapError: ec2.MapError},
			{Spec: stsapi.Spec, Codec: query.Query, Handler: sts.NewWithSessions(sessions)},
			{Spec: elbv2api.Spec, Codec: query.Query, Handler: elbv2.New(elb.New(c)), MapError: elbv2.MapError},
			{Spec: directconnectapi.Spec, Codec: awsjson.JSON, Handler: directconnect.New(dxFamily), MapError: directconnect.MapError},
			{Spec: route53api.Spec, Codec: restxml.RestXML, Handler: route53.New(r53.New(c)), MapError: route53.MapError},
			{Spec: logsapi.Spec, Codec: awsjson.JSON, Handler: logs.New(cwl.New(c)), MapError: logs.MapError, Renames: logs.Renames},
			{Spec: cloudwatchapi.Spec, Codec: querycompat.QueryCompatible, Handler: cloudwatch.New(e.CloudWatch), MapError: cloudwatch.MapError, Renames: cloudwatch.Renames},
		},
		Idempotency: idempotency.New(st),
		Logger:      cfg.Logger,
		Version:     cfg.Version,
		Handlers: map[string]http.Handler{
			analyzer.Path:           analyzer.Handler(c, cfg.Logger),
			costreport.Path:         costreport.Handler(c, meters, cfg.Logger),
			dxcontrol.Path:          dxcontrol.Handler(dxFamily, cfg.Logger),
			dxcontrol.AdvertisePath: dxcontrol.AdvertiseHandler(dxFamily, cfg.Logger),
			dataplane.RunPath:       runHandler,
			dataplane.FlowsPath:     flowsHandler,
			dataplane.MetersPath:    metersHandler,
			dataplane.RecordsPath:   recordsHandler,
			dnsserver.Path:          dns.ControlHandler(),
			webview.Path:            e.view,
			webview.BarePath:        e.view,
		},
		Keys:             cfg.Keys,
		VerifySignatures: cfg.VerifySignatures,
		Sessions:         sessions,
		BeforeAnswer:     cfg.BeforeAnswer,
		Observer:         metrics,
		Metrics:          metrics.Handler(),
	})
	e.Handler = h
	return e, nil
}

// Listen binds addr (host:port; port 0 picks one), and the DNS listeners
// of the configuration.
func (e *Emulator) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	for _, d := range e.cfg.DNS {
		l, err := e.dns.Listen(dnsserver.View{VPC: d.VPC}, d.Addr)
		if err != nil {
			ln.Close()
			for _, l := range e.DNS {
				l.Shutdown(context.Background())
			}
			e.DNS = nil
			return &DNSListenError{Addr: d.Addr, Err: err}
		}
		e.DNS = append(e.DNS, l)
	}
	e.ln = ln
	e.http = &http.Server{Handler: e.Handler, ReadHeaderTimeout: 30 * time.Second, IdleTimeout: 5 * time.Minute}
	return nil
}

// Addr is the address the emulator listens on.
func (e *Emulator) Addr() string { return e.ln.Addr().String() }

// URL is the endpoint URL clients use.
func (e *Emulator) URL() string { return "http://" + e.Addr() }

// Serve answers requests until Shutdown; it returns nil after a shutdown.
func (e *Emulator) Serve() error {
	for _, l := range e.DNS {
		go func() {
			if err := l.Serve(); err != nil && e.cfg.Logger != nil {
				e.cfg.Logger.Error("DNS listener", "addr", l.Addr(), "error", err)
			}
		}()
	}
	if err := e.http.Serve(e.ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting requests, waits for those under way, and closes
// the store.
func (e *Emulator) Shutdown(ctx context.Context) error {
	var errs []error
	e.view.Close() // its event streams would hold the HTTP shutdown
	for _, l := range e.DNS {
		errs = append(errs, l.Shutdown(ctx))
	}
	if e.http != nil {
		errs = append(errs, e.http.Shutdown(ctx))
	}
	if e.Plane != nil {
		errs = append(errs, e.Plane.Close())
	}
	for _, d := range e.temps {
		errs = append(errs, os.RemoveAll(d))
	}
	return errors.Join(append(errs, e.Store.Close())...)
}

// CADir is where the local CA is kept in the data dir (in memory, a
// temporary one serves while the server runs: `vpcemu run` hands each
// process the current one).
const CADir = "ca"

// dir is a directory of the data directory, name; in memory, a temporary
// one with mode perm, which Shutdown removes.
func (e *Emulator) dir(name string, perm os.FileMode) (string, error) {
	if !e.cfg.InMemory {
		return filepath.Join(e.cfg.DataDir, name), nil
	}
	tmp, err := os.MkdirTemp("", "vpcemu-"+name+"-")
	if err == nil {
		err = os.Chmod(tmp, perm)
	}
	if err != nil {
		return "", err
	}
	e.temps = append(e.temps, tmp)
	return tmp, nil
}
