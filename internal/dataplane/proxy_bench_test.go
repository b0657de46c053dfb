package dataplane

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"slices"
	"testing"
	"time"
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

// BenchmarkProxyStream is one TCP stream's throughput, consumer to target.
func BenchmarkProxyStream(b *testing.B) {
	for _, nc := range tunnelNets {
		b.Run(nc.name, func(b *testing.B) {
			done := make(chan int64)
			dial := nc.make(b, serveLoopback(func(c net.Conn) {
				got, _ := io.Copy(io.Discard, c)
				c.Close()
				done <- got
			}))
			c := dial(b)
			buf := make([]byte, 64<<10)
			b.SetBytes(int64(len(buf)))
			b.ResetTimer()
			for b.Loop() {
				if _, err := c.Write(buf); err != nil {
					b.Fatal(err)
				}
			}
			c.(*net.TCPConn).CloseWrite()
			if got := <-done; got != int64(b.N*len(buf)) {
				b.Fatalf("the target got %d bytes of %d", got, b.N*len(buf))
			}
			c.Close()
		})
	}
}

// BenchmarkProxySetup opens a tunnel, exchanges a byte each way and
// closes it; p50-µs is the median of one such exchange.
func BenchmarkProxySetup(b *testing.B) {
	for _, nc := range tunnelNets {
		b.Run(nc.name, func(b *testing.B) {
			dial := nc.make(b, serveLoopback(func(c net.Conn) {
				var one [1]byte
				if _, err := io.ReadFull(c, one[:]); err == nil {
					c.Write(one[:])
				}
				io.Copy(io.Discard, c)
				c.Close()
			}))
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				c := dial(b)
				var one [1]byte
				if _, err := c.Write(one[:]); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(c, one[:]); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
				c.Close()
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
		})
	}
}

// BenchmarkProxyHeld holds 1,000 tunnels open at once; B/conn is the
// heap each takes in the process (the relay's or the proxy's side, the
// target's and the client's sockets).
func BenchmarkProxyHeld(b *testing.B) {
	const conns = 1000
	for _, nc := range tunnelNets {
		b.Run(nc.name, func(b *testing.B) {
			dial := nc.make(b, serveLoopback(func(c net.Conn) {
				var one [1]byte
				c.Read(one[:])
				c.Write(one[:])
				for {
					if _, err := c.Read(one[:]); err != nil {
						break
					}
				}
				c.Close()
			}))
			perConn, first := 0.0, true
			for b.Loop() {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				held := make([]net.Conn, 0, conns)
				for range conns {
					c := dial(b)
					var one [1]byte
					c.Write(one[:])
					if _, err := io.ReadFull(c, one[:]); err != nil {
						b.Fatal(err)
					}
					held = append(held, c)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				if first {
					perConn, first = float64(after.HeapInuse-before.HeapInuse)/conns, false
				}
				for _, c := range held {
					c.Close()
				}
			}
			b.ReportMetric(perConn, "B/conn")
		})
	}
}
