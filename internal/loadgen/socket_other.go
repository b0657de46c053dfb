//go:build !unix

package loadgen

import (
	"io"
	"net"
)

// blocking returns the connection as it is: plain blocking sockets are
// used on Unix only.
func blocking(nc net.Conn) io.ReadWriteCloser { return nc }
