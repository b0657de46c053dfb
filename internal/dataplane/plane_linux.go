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

// Start starts the data plane over live's snapshots. It needs no
// privilege: `vpcemu run` makes the namespaces and devices, and hands them
// over on a unix socket any local user may reach (a device is taken only
// with a run token, which the signed API call hands out).
func Start(live *netview.Live, dns *dnsserver.Server, cfg Config) (*Plane, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dir, err := os.MkdirTemp("", "vpcemu-dataplane-")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "devices.sock")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err == nil {
		// Rootless runs of other users reach it too.
		err = errors.Join(os.Chmod(dir, 0o711), os.Chmod(path, 0o666))
	}
	if err != nil {
		if ln != nil {
			ln.Close()
		}
		os.RemoveAll(dir)
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	p := &Plane{Runs: NewRuns(live, path, log), Fabric: NewFabric(NewDecider(live), dns, cfg.Internet, log), ln: ln, dir: dir, stop: stop}
	p.Fabric.services = cfg.Services
	p.Fabric.decider.observer, p.Fabric.records.observer = cfg.Observer, cfg.Observer
	if cfg.CA != nil {
		p.Runs.caCert, p.Runs.caBundle = cfg.CA.CertPath(), cfg.CA.BundlePath()
	}
	go p.Runs.ServeDevices(ln, p.Fabric)
	if cfg.Records != nil || cfg.Metrics != nil {
		window := cfg.Window
		if window <= 0 {
			window = DefaultWindow
		}
		go p.Fabric.runWindows(ctx, window, cfg.Records, cfg.Metrics, log)
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
