package dataplane

import (
	"context"
	"io"
	"net"
	"net/netip"
	"runtime"
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/tcpip/link/fdbased"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/waiter"

	"github.com/vpcemu/vpcemu/internal/reach"
)

// The data plane's speed, side by side with a bare user-space relay that
// fits it: the same devices and user-space stacks, a connection accepted
// on one and opened on the other, bytes copied both ways, and nothing
// else (no engine, no gate, no meters). Each instance is a user-space
// stack of its own at the far end of a socket pair standing in for the
// TUN device of its namespace, so the benchmarks need neither root nor
// namespaces. The flow is seed 004's: a consumer's instance to an
// interface endpoint, through an NLB to the provider's target.
//
//	go test ./internal/dataplane -run XXX -bench . -benchtime 3s

// benchNet is the PrivateLink world with its two instances attached.
type benchNet struct {
	client, server *stack.Stack // the instances' own stacks
	endpoint       netip.AddrPort
	target         netip.AddrPort
	nlb            netip.Addr // where the target sees connections from
}

// pairedStack is an instance's own stack on one end of a socket pair, with
// addr; the other end is returned for the fabric (or the relay).
func pairedStack(tb testing.TB, addr netip.Prefix) (*stack.Stack, int) {
	tb.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET, 0)
	if err != nil {
		tb.Fatal(err)
	}
	for _, fd := range fds { // a TUN device queues 500 packets; a socket pair far fewer by default
		unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF, 4<<20)
		unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 4<<20)
	}
	ep, err := fdbased.New(&fdbased.Options{FDs: []int{fds[0]}, MTU: MTU})
	if err != nil {
		tb.Fatal(err)
	}
	s, err := newStack(ep, nil)
	if err != nil {
		tb.Fatal(err)
	}
	pa := tcpip.ProtocolAddress{Protocol: protocolOf(addr.Addr()), AddressWithPrefix: tcpip.AddrFromSlice(addr.Addr().AsSlice()).WithPrefix()}
	if e := s.AddProtocolAddress(nicID, pa, stack.AddressProperties{}); e != nil {
		tb.Fatal(e)
	}
	tb.Cleanup(func() { s.Close(); unix.Close(fds[0]) })
	return s, fds[1]
}

// fabricNet carries the world's flow through a Fabric.
func fabricNet(tb testing.TB) benchNet {
	d, ccfg, scfg, endpoint := privateLinkWorld(tb)
	f := NewFabric(d, nil, nil, nil)
	n := benchNet{endpoint: netip.AddrPortFrom(endpoint, 443), target: netip.MustParseAddrPort("10.1.1.10:8443")}
	var fd int
	n.client, fd = pairedStack(tb, netip.MustParsePrefix("10.2.1.5/24"))
	tb.Cleanup(must(f.Attach(ccfg, fd)))
	n.server, fd = pairedStack(tb, netip.MustParsePrefix("10.1.1.10/24"))
	tb.Cleanup(must(f.Attach(scfg, fd)))
	return n
}

// bareNet carries the same flow through a bare relay: where the engine
// would send it, fixed in advance.
func bareNet(tb testing.TB) benchNet {
	d, ccfg, _, endpoint := privateLinkWorld(tb)
	n := benchNet{endpoint: netip.AddrPortFrom(endpoint, 443), target: netip.MustParseAddrPort("10.1.1.10:8443")}
	v := must(d.Decide(context.Background(), Flow{Instance: ccfg.Instance, Src: netip.MustParseAddrPort("10.2.1.5:40000"), Dst: n.endpoint, Protocol: reach.TCP}))
	if !v.Allowed {
		tb.Fatalf("the world's flow is blocked: %s", v)
	}
	var cfd, sfd int
	n.client, cfd = pairedStack(tb, netip.MustParsePrefix("10.2.1.5/24"))
	n.server, sfd = pairedStack(tb, netip.MustParsePrefix("10.1.1.10/24"))
	relay := func(fd int, handlers func(*stack.Stack)) *stack.Stack {
		ep := must(fdbased.New(&fdbased.Options{FDs: []int{fd}, MTU: MTU}))
		s := must(newStack(ep, handlers))
		s.SetPromiscuousMode(nicID, true)
		s.SetSpoofing(nicID, true)
		tb.Cleanup(func() { s.Close(); unix.Close(fd) })
		return s
	}
	out := relay(sfd, nil)
	forward := func(r *tcp.ForwarderRequest) {
		c, err := gonet.DialTCPWithBind(context.Background(), out, fullAddr(netip.AddrPortFrom(v.Src.Addr(), 0)), fullAddr(v.Dst), protocolOf(v.Dst.Addr()))
		if err != nil {
			r.Complete(true)
			return
		}
		var wq waiter.Queue
		ep, terr := r.CreateEndpoint(&wq)
		r.Complete(terr != nil)
		if terr != nil {
			c.Close()
			return
		}
		a := gonet.NewTCPConn(&wq, ep)
		go func() { io.Copy(c, a); c.CloseWrite() }()
		io.Copy(a, c)
		a.Close()
		c.Close()
	}
	relay(cfd, func(in *stack.Stack) {
		in.SetTransportProtocolHandler(tcp.ProtocolNumber, tcp.NewForwarder(in, 0, 1024, forward).HandlePacket)
	})
	n.nlb = v.Src.Addr()
	return n
}

var nets = []struct {
	name string
	make func(testing.TB) benchNet
}{{"relay", bareNet}, {"vpcemu", fabricNet}}

// serveTarget runs handle on every connection the target accepts.
func (n benchNet) serveTarget(tb testing.TB, handle func(net.Conn)) {
	ln, err := gonet.ListenTCP(n.server, fullAddr(n.target), protocolOf(n.target.Addr()))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go handle(c)
		}
	}()
}

func (n benchNet) dial(tb testing.TB) net.Conn {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := gonet.DialContextTCP(ctx, n.client, fullAddr(n.endpoint), protocolOf(n.endpoint.Addr()))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// BenchmarkStream is one TCP stream's throughput, consumer to target.
func BenchmarkStream(b *testing.B) {
	for _, nc := range nets {
		b.Run(nc.name, func(b *testing.B) {
			n := nc.make(b)
			done := make(chan int64)
			n.serveTarget(b, func(c net.Conn) {
				got, _ := io.Copy(io.Discard, c)
				c.Close()
				done <- got
			})
			c := n.dial(b)
			buf := make([]byte, 64<<10)
			b.SetBytes(int64(len(buf)))
			b.ResetTimer()
			for b.Loop() {
				if _, err := c.Write(buf); err != nil {
					b.Fatal(err)
				}
			}
			c.(*gonet.TCPConn).CloseWrite()
			if got := <-done; got != int64(b.N*len(buf)) {
				b.Fatalf("the target got %d bytes of %d", got, b.N*len(buf))
			}
			c.Close()
		})
	}
}

// BenchmarkSetup opens a connection, exchanges a byte each way and closes
// it; p50-µs is the median of one such exchange.
func BenchmarkSetup(b *testing.B) {
	for _, nc := range nets {
		b.Run(nc.name, func(b *testing.B) {
			n := nc.make(b)
			n.serveTarget(b, func(c net.Conn) {
				var one [1]byte
				if _, err := io.ReadFull(c, one[:]); err == nil {
					c.Write(one[:])
				}
				io.Copy(io.Discard, c) // the client closes first, as clients do
				c.Close()
			})
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				c := n.dial(b)
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

// BenchmarkHeld holds 1,000 connections open at once; B/conn is the heap
// each takes, end to end (both ends' stacks and whatever carries it).
func BenchmarkHeld(b *testing.B) {
	const conns = 1000
	for _, nc := range nets {
		b.Run(nc.name, func(b *testing.B) {
			n := nc.make(b)
			n.serveTarget(b, func(c net.Conn) {
				var one [1]byte
				c.Read(one[:])
				c.Write(one[:])
				for { // held until the client lets go (no buffer of io.Copy's size to count)
					if _, err := c.Read(one[:]); err != nil {
						break
					}
				}
				c.Close()
			})
			// The heap is measured in the first round only: later ones
			// overlap the last one's teardown (closed connections wait out
			// TIME_WAIT in the stacks), which skews a difference of heaps.
			perConn, first := 0.0, true
			for b.Loop() {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				held := make([]net.Conn, 0, conns)
				for range conns {
					c := n.dial(b)
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
