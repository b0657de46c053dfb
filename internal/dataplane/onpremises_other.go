//go:build !linux

package dataplane

import (
	"context"
	"net"
)

// dialOnPremises has no host on premises to open a flow through: hosts on
// premises are played in transparent mode (Linux) only.
func (f *Fabric) dialOnPremises(context.Context, Verdict, *plan) (conn, error) { return nil, errNoHost }

// dialOnPremisesStackUDP: nor a UDP flow.
func (f *Fabric) dialOnPremisesStackUDP(Verdict) (net.Conn, error) { return nil, errNoHost }
