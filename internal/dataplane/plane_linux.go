package dataplane

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/dnsserver"
)

// Plane is the running data plane: the fabric, the socket `vpcemu run`
// hands devices over on, and the run configurations.
type Plane struct {
	Runs   *Runs
	Fabric *Fabric
	ln     *net.UnixListener
	dir    string
	stop   context.CancelFunc
}

// Start starts the data plane over live's snapshots. Its device socket is
// in a new directory only root may enter.
func Start(live *netview.Live, dns *dnsserver.Server, cfg Config) (*Plane, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if os.Geteuid() != 0 {
		return nil, errors.New("the data plane needs root (or CAP_NET_ADMIN) for the TUN devices of 'vpcemu run'")
	}
	dir, err := os.MkdirTemp("", "vpcemu-dataplane-")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "devices.sock")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	p := &Plane{Runs: NewRuns(live, path, log), Fabric: NewFabric(NewDecider(live), dns, cfg.Internet, log), ln: ln, dir: dir, stop: stop}
	p.Fabric.services = cfg.Services
	if cfg.CA != nil {
		p.Runs.caCert, p.Runs.caBundle = cfg.CA.CertPath(), cfg.CA.BundlePath()
	}
	go p.Runs.ServeDevices(ln, p.Fabric)
	if cfg.Records != nil {
		window := cfg.Window
		if window <= 0 {
			window = DefaultWindow
		}
		go p.Fabric.runWindows(ctx, window, cfg.Records, log)
	}
	return p, nil
}

// Close stops taking devices (those attached stay until their runs end).
func (p *Plane) Close() error {
	p.stop()
	err := p.ln.Close()
	os.RemoveAll(p.dir)
	return err
}
