//go:build !linux

package dataplane

import (
	"errors"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/dnsserver"
)

// Plane is the data plane; transparent mode needs Linux.
type Plane struct {
	Runs   *Runs
	Fabric *Fabric
}

// Fabric carries nothing off Linux.
type Fabric struct {
	flows   flowTable
	records recorder
}

// Start needs Linux's TUN devices.
func Start(*netview.Live, *dnsserver.Server, Config) (*Plane, error) {
	return nil, errors.New("the data plane's transparent mode needs Linux (network namespaces and TUN devices)")
}

// Close does nothing.
func (p *Plane) Close() error { return nil }
