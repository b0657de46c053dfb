//go:build !linux

package dataplane

import "context"

// links are the instances attached through TUN devices: none off Linux,
// where only the proxy carries traffic.
type links struct{}

// takeLinkCounts has no device to take counts from.
func (f *Fabric) takeLinkCounts() {}

// dialInstance has no instance's stack to open a flow through: an
// instance no proxied process listens for refuses.
func (f *Fabric) dialInstance(context.Context, Verdict, *plan) (conn, error) { return nil, errRefused }
