package dataplane

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/dnsserver"
)

// Plane is the running data plane: the fabric, the socket `vpcemu run`
// hands TUN devices over on (Linux), the proxy, and the run
// configurations.
type Plane struct {
	Runs    *Runs
	Fabric  *Fabric
	Proxy   *Proxy
	devices io.Closer
	stop    context.CancelFunc
}

// Start starts the data plane over live's snapshots. It needs no
// privilege: on Linux `vpcemu run` makes the namespaces and devices, and
// hands them over on a unix socket any local user may reach (a device is
// taken only with a run token, which the signed API call hands out); the
// proxy listens on loopback and serves only a run's credentials.
func Start(live *netview.Live, dns *dnsserver.Server, cfg Config) (*Plane, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &Plane{Runs: NewRuns(live, "", log), Fabric: NewFabric(NewDecider(live), dns, cfg.Internet, log)}
	p.Fabric.services = cfg.Services
	p.Fabric.decider.observer, p.Fabric.records.observer = cfg.Observer, cfg.Observer
	if cfg.CA != nil {
		p.Runs.caCert, p.Runs.caBundle = cfg.CA.CertPath(), cfg.CA.BundlePath()
	}
	var err error
	if p.Proxy, err = ListenProxy(cfg.ProxyAddr, p.Fabric, p.Runs); err != nil {
		return nil, err
	}
	p.Runs.proxy = p.Proxy.Addr().String()
	devices, socket, err := startDevices(p.Runs, p.Fabric)
	if err != nil {
		p.Proxy.Close()
		return nil, err
	}
	p.devices, p.Runs.socket = devices, socket
	ctx, stop := context.WithCancel(context.Background())
	p.stop = stop
	if cfg.Records != nil || cfg.Metrics != nil {
		window := cfg.Window
		if window <= 0 {
			window = DefaultWindow
		}
		go p.Fabric.runWindows(ctx, window, cfg.Records, cfg.Metrics, log)
	}
	return p, nil
}

// Close stops taking devices and proxied connections (those carried stay
// until they end).
func (p *Plane) Close() error {
	p.stop()
	err := p.Proxy.Close()
	if p.devices != nil {
		err = errors.Join(err, p.devices.Close())
	}
	return err
}
