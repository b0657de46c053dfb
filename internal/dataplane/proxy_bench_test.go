package dataplane

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"testing"
)

// Proxy mode's speed, side by side with the bare relay that fits it: a
// loopback server that takes the same CONNECT request, opens the target
// where the engine would send it (fixed in advance), answers 200 and
// copies bytes both ways, and nothing else (no credentials, no engine, no
// gate, no meters). The flow is seed 004's, consumer to the provider's
// target through the endpoint and the NLB; the target is a loopback
// server in the benchmark.
//
//	go test ./internal/dataplane -run XXX -bench Proxy -benchtime 3s

// tunnelNet opens a tunnel to the world's target.
type tunnelNet func(tb testing.TB) net.Conn

// proxyTunnels starts the proxy over the world with target.
func proxyTunnels(tb testing.TB, target net.Listener) tunnelNet {
	n := newProxyNet(tb, target)
	auth := basic(n.client.Instance, n.client.Token)
	return func(tb testing.TB) net.Conn {
		return connectThrough(tb, n.proxy.Addr().String(), n.endpoint.String(), auth)
	}
}

// relayTunnels starts a bare CONNECT relay to target.
func relayTunnels(tb testing.TB, target net.Listener) tunnelNet {
	ln := must(net.Listen("tcp", "127.0.0.1:0"))
	tb.Cleanup(func() { ln.Close(); target.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				br := bufio.NewReader(c)
				if _, err := http.ReadRequest(br); err != nil {
					c.Close()
					return
				}
				out, err := net.Dial("tcp", target.Addr().String())
				if err != nil {
					c.Close()
					return
				}
				fmt.Fprint(c, "HTTP/1.1 200 Connection established\r\n\r\n")
				in := &clientConn{TCPConn: c.(*net.TCPConn), r: br}
				go func() { io.Copy(out, in); out.(*net.TCPConn).CloseWrite() }()
				io.Copy(c, out)
				c.Close()
				out.Close()
			}()
		}
	}()
	return func(tb testing.TB) net.Conn {
		return connectThrough(tb, ln.Addr().String(), "10.2.1.100:443", "")
	}
}

// connectThrough opens a CONNECT tunnel to dst through the proxy at addr.
func connectThrough(tb testing.TB, addr, dst, auth string) net.Conn {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	fmt.Fprintf(c, "CONNECT %s HTTP/1.1\r\nHost: %s\r\nProxy-Authorization: %s\r\n\r\n", dst, dst, auth)
	// The answer is read byte by byte up to its blank line, so nothing
	// of the tunnel is left in a buffer.
	var got []byte
	var b [1]byte
	for !slices.Equal(got[max(0, len(got)-4):], []byte("\r\n\r\n")) {
		if _, err := c.Read(b[:]); err != nil {
			tb.Fatal(err)
		}
		got = append(got, b[0])
	}
	if string(got[:12]) != "HTTP/1.1 200" {
		tb.Fatalf("CONNECT: %q", got)
	}
	return c
}

var tunnelNets = []struct {
	name string
	make func(testing.TB, net.Listener) tunnelNet
}{{"relay", relayTunnels}, {"vpcemu", proxyTunnels}}

// serveLoopback runs handle on every connection a loopback listener
// accepts, and returns the listener.
func serveLoopback(handle func(net.Conn)) net.Listener {
	ln := must(net.Listen("tcp", "127.0.0.1:0"))
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go handle(c)
		}
	}()
	return ln
}

// proxyStarts are the proxy and its relay, serving a loopback target.
func proxyStarts(yield func(string, benchStart) bool) {
	for _, nc := range tunnelNets {
		start := func(tb testing.TB, handle func(net.Conn)) func(testing.TB) net.Conn {
			return nc.make(tb, serveLoopback(handle))
		}
		if !yield(nc.name, start) {
			return
		}
	}
}

// BenchmarkProxyStream is one TCP stream's throughput, consumer to target.
func BenchmarkProxyStream(b *testing.B) {
	for name, start := range proxyStarts {
		b.Run(name, func(b *testing.B) { benchStream(b, start) })
	}
}

// BenchmarkProxySetup opens a tunnel, exchanges a byte each way and
// closes it; p50-µs is the median of one such exchange.
func BenchmarkProxySetup(b *testing.B) {
	for name, start := range proxyStarts {
		b.Run(name, func(b *testing.B) { benchSetup(b, start) })
	}
}

// BenchmarkProxyHeld holds 1,000 tunnels open at once; B/conn is the
// heap each takes in the process (the relay's or the proxy's side, the
// target's and the client's sockets).
func BenchmarkProxyHeld(b *testing.B) {
	for name, start := range proxyStarts {
		b.Run(name, func(b *testing.B) { benchHeld(b, start) })
	}
}
