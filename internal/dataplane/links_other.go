//go:build !linux

package dataplane

import (
	"context"
	"net"
)

// links are the instances attached through TUN devices: none off Linux,
// where only the proxy carries traffic.
type links struct{}

// takeLinkCounts has no device to take counts from.
func (f *Fabric) takeLinkCounts() {}

// dialStack has no device's stack to open a flow through (hosts on
// premises and instances are played in transparent mode only on Linux):
// what an absent destination answers.
func (f *Fabric) dialStack(_ context.Context, _ string, v Verdict, _ *plan) (conn, error) {
	return nil, v.absent()
}

// dialStackUDP: nor a UDP flow.
func (f *Fabric) dialStackUDP(_ string, v Verdict) (net.Conn, error) { return nil, v.absent() }
