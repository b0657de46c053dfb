package dataplane

import (
	"context"
	"io"
	"net"
	"net/netip"
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
	client, server instance
	endpoint       netip.AddrPort
	target         netip.AddrPort
	nlb            netip.Addr // where the target sees connections from
}

// instance is how a benchmark's process plays an instance: it listens
// and dials as the instance.
type instance struct {
	listen func(netip.AddrPort) (net.Listener, error)
	dial   func(context.Context, netip.AddrPort) (net.Conn, error)
}

// devices makes an instance with addr (gateway its subnet's router) and
// returns the descriptor of its device's far end, for the fabric or the
// relay.
type devices func(tb testing.TB, addr netip.Prefix, gateway string) (instance, int)

// pairedStack is an instance's own stack on one end of a socket pair, with
// addr; the other end is returned for the fabric (or the relay).
func pairedStack(tb testing.TB, addr netip.Prefix, _ string) (instance, int) {
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
	return instance{
		listen: func(a netip.AddrPort) (net.Listener, error) {
			return gonet.ListenTCP(s, fullAddr(a), protocolOf(a.Addr()))
		},
		dial: func(ctx context.Context, a netip.AddrPort) (net.Conn, error) {
			return gonet.DialContextTCP(ctx, s, fullAddr(a), protocolOf(a.Addr()))
		},
	}, fds[1]
}

// fabricNet carries the world's flow through a Fabric.
func fabricNet(tb testing.TB, devs devices) benchNet {
	d, ccfg, scfg, endpoint := privateLinkWorld(tb)
	f := NewFabric(d, nil, nil, nil)
	n := benchNet{endpoint: netip.AddrPortFrom(endpoint, 443), target: netip.MustParseAddrPort("10.1.1.10:8443")}
	var fd int
	n.client, fd = devs(tb, netip.MustParsePrefix("10.2.1.5/24"), "10.2.1.1")
	tb.Cleanup(must(f.Attach(ccfg, fd)))
	n.server, fd = devs(tb, netip.MustParsePrefix("10.1.1.10/24"), "10.1.1.1")
	tb.Cleanup(must(f.Attach(scfg, fd)))
	return n
}

// bareNet carries the same flow through a bare relay: where the engine
// would send it, fixed in advance.
func bareNet(tb testing.TB, devs devices) benchNet {
	d, ccfg, _, endpoint := privateLinkWorld(tb)
	n := benchNet{endpoint: netip.AddrPortFrom(endpoint, 443), target: netip.MustParseAddrPort("10.1.1.10:8443")}
	v := must(d.Decide(context.Background(), Flow{Instance: ccfg.Instance, Src: netip.MustParseAddrPort("10.2.1.5:40000"), Dst: n.endpoint, Protocol: reach.TCP}))
	if !v.Allowed {
		tb.Fatalf("the world's flow is blocked: %s", v)
	}
	var cfd, sfd int
	n.client, cfd = devs(tb, netip.MustParsePrefix("10.2.1.5/24"), "10.2.1.1")
	n.server, sfd = devs(tb, netip.MustParsePrefix("10.1.1.10/24"), "10.1.1.1")
	relay := func(fd int, handlers func(*stack.Stack)) *stack.Stack {
		ep := must(fdbased.New(&fdbased.Options{FDs: []int{fd}, MTU: MTU}))
		s := must(newStack(ep, handlers))
		s.SetPromiscuousMode(nicID, true)
		s.SetSpoofing(nicID, true)
		tb.Cleanup(func() {
			// As the fabric's detach does: the descriptor is closed once
			// the device's readers have stopped, or its number, reused by
			// the next device, would be read by them.
			s.Close()
			go func() { s.Wait(); unix.Close(fd) }()
		})
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
	name  string
	build func(testing.TB, devices) benchNet
}{{"relay", bareNet}, {"vpcemu", fabricNet}}

// serveTarget runs handle on every connection the target accepts.
func (n benchNet) serveTarget(tb testing.TB, handle func(net.Conn)) {
	ln, err := n.server.listen(n.target)
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
	c, err := n.client.dial(ctx, n.endpoint)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// starts are the fabric and its relay on devices, serving the world's
// target.
func starts(devs devices) func(yield func(string, benchStart) bool) {
	return func(yield func(string, benchStart) bool) {
		for _, nc := range nets {
			start := func(tb testing.TB, handle func(net.Conn)) func(testing.TB) net.Conn {
				n := nc.build(tb, devs)
				n.serveTarget(tb, handle)
				return n.dial
			}
			if !yield(nc.name, start) {
				return
			}
		}
	}
}

// BenchmarkStream is one TCP stream's throughput, consumer to target.
func BenchmarkStream(b *testing.B) {
	for name, start := range starts(pairedStack) {
		b.Run(name, func(b *testing.B) { benchStream(b, start) })
	}
}

// BenchmarkSetup opens a connection, exchanges a byte each way and closes
// it; p50-µs is the median of one such exchange.
func BenchmarkSetup(b *testing.B) {
	for name, start := range starts(pairedStack) {
		b.Run(name, func(b *testing.B) { benchSetup(b, start) })
	}
}

// BenchmarkHeld holds 1,000 connections open at once; B/conn is the heap
// each takes, end to end (both ends' stacks and whatever carries it).
func BenchmarkHeld(b *testing.B) {
	for name, start := range starts(pairedStack) {
		b.Run(name, func(b *testing.B) { benchHeld(b, start) })
	}
}
