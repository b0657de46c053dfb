package dataplane

import (
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
}

// Start starts the data plane of kernel c. Its device socket is in a new
// directory only root may enter.
func Start(live *netview.Live, dns *dnsserver.Server, internet []InternetStandIn, log *slog.Logger) (*Plane, error) {
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
	p := &Plane{Runs: NewRuns(live, path, log), Fabric: NewFabric(NewDecider(live), dns, internet, log), ln: ln, dir: dir}
	go p.Runs.ServeDevices(ln, p.Fabric)
	return p, nil
}

// Close stops taking devices (those attached stay until their runs end).
func (p *Plane) Close() error {
	err := p.ln.Close()
	os.RemoveAll(p.dir)
	return err
}
