//go:build !linux

package dataplane

import "io"

// startDevices has no TUN devices to take: transparent mode needs Linux,
// and only the proxy carries traffic.
func startDevices(*Runs, *Fabric) (io.Closer, string, error) { return nil, "", nil }
