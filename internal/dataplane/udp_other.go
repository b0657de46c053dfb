//go:build !linux

package dataplane

import "net"

// dialInstanceUDP has no instance's stack to open a flow through: an
// instance no proxied process listens for on the port answers nothing.
func (f *Fabric) dialInstanceUDP(Verdict) (net.Conn, error) { return nil, errRefused }
