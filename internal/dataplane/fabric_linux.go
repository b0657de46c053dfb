package dataplane

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/link/fdbased"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv6"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
	"gvisor.dev/gvisor/pkg/waiter"

	"github.com/vpcemu/vpcemu/internal/dnsserver"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// links are the instances attached through TUN devices: each has its own
// user-space TCP/IP stack (gVisor's netstack) at the other end of its
// device. The stack takes every connection the process opens
// (promiscuously: whatever address it is sent to), asks the engine, and,
// if AWS would carry it, opens the connection the destination sees
// through the destination instance's stack, from the address the
// destination sees (spoofing: a target behind an NLB sees the NLB's
// address). One stack per instance keeps VPCs whose blocks overlap apart.
type links struct {
	nics map[string]*nic // by instance id
	// attached counts attachments and detachments (a generation of nics),
	// read without f.mu on the steering's hot path.
	attached atomic.Uint64
	pings    pings
	steering steering
}

// nic is one attached instance: its stack on its TUN device, and the
// VPC's DNS server as it sees it.
type nic struct {
	// instance is the instance played, or the host on premises (see
	// onPremisesKey); via the VIF such a host is behind ("" for an
	// instance).
	instance string
	via      string
	stack    *stack.Stack
	fd       int
	view     dnsserver.View
	resolver netip.Addr
	meter    meter
	tap      *tap
}

const nicID tcpip.NICID = 1

// Attach makes the TUN device fd (IFF_TUN|IFF_NO_PI; the fabric owns it
// from here) the network of instance. Detach, or closing the process's
// namespace, takes it away.
func (f *Fabric) Attach(cfg RunConfig, fd int) (detach func(), err error) {
	instance := cfg.Player()
	resolver, err := netip.ParseAddr(cfg.Resolver)
	if err != nil {
		return nil, fmt.Errorf("the VPC's DNS server %q: %w", cfg.Resolver, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.nics == nil {
		f.nics = map[string]*nic{}
	}
	if f.nics[instance] != nil {
		return nil, fmt.Errorf("%s is already played by another process", cfg.describe())
	}
	mtu := uint32(cfg.MTU)
	if mtu == 0 {
		mtu = MTU
	}
	ep, err := fdbased.New(&fdbased.Options{FDs: []int{fd}, MTU: mtu})
	if err != nil {
		return nil, err
	}
	n := &nic{instance: instance, via: cfg.Via, fd: fd, view: dnsserver.View{VPC: cfg.VPC, Zone: cfg.Zone}, resolver: resolver}
	n.tap = newTap(ep, f, n)
	s, err := newStack(n.tap, func(s *stack.Stack) {
		n.stack = s
		fwd := tcp.NewForwarder(s, 0, 1024, func(r *tcp.ForwarderRequest) { f.tcpFlow(n, r) })
		s.SetTransportProtocolHandler(tcp.ProtocolNumber, fwd.HandlePacket)
		ufwd := udp.NewForwarder(s, func(r *udp.ForwarderRequest) bool { f.udpFlow(n, r); return true })
		s.SetTransportProtocolHandler(udp.ProtocolNumber, ufwd.HandlePacket)
	})
	if err != nil {
		return nil, err
	}
	// Promiscuous: the stack takes packets to any address (the process
	// sends everything to it); spoofing: it sends from any address.
	s.SetPromiscuousMode(nicID, true)
	s.SetSpoofing(nicID, true)
	f.nics[instance] = n
	f.attached.Add(1)
	f.log.Info("instance attached", "instance", instance)
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			delete(f.nics, instance)
			f.attached.Add(1)
			f.keepCounts(instance, n.meter.take())
			f.mu.Unlock()
			f.forgetSteered(n)
			s.Close()
			// The device's readers stop when its namespace goes; only then
			// is its descriptor closed (a number closed early could be
			// reused under a reader still running).
			go func() {
				s.Wait()
				unix.Close(fd)
			}()
			f.log.Info("instance detached", "instance", instance)
		})
	}, nil
}

// newStack is a TCP/IP stack on link, routing everything to it. handlers
// (nil for none) sets the stack's transport handlers: before the link is
// attached, as packets may come at once.
func newStack(link stack.LinkEndpoint, handlers func(*stack.Stack)) (*stack.Stack, error) {
	s := stack.New(stack.Options{
		NetworkProtocols:   []stack.NetworkProtocolFactory{ipv4.NewProtocol, ipv6.NewProtocol},
		TransportProtocols: []stack.TransportProtocolFactory{tcp.NewProtocol, udp.NewProtocol},
	})
	sack := tcpip.TCPSACKEnabled(true)
	s.SetTransportProtocolOption(tcp.ProtocolNumber, &sack)
	moderate := tcpip.TCPModerateReceiveBufferOption(true)
	s.SetTransportProtocolOption(tcp.ProtocolNumber, &moderate)
	if handlers != nil {
		handlers(s)
	}
	if e := s.CreateNIC(nicID, link); e != nil {
		s.Close()
		return nil, errors.New(e.String())
	}
	s.SetRouteTable([]tcpip.Route{{Destination: header.IPv4EmptySubnet, NIC: nicID}, {Destination: header.IPv6EmptySubnet, NIC: nicID}})
	return s, nil
}

// takeLinkCounts ends the window on every device (f.mu held), and
// forgets the steered flows gone idle.
func (f *Fabric) takeLinkCounts() {
	for id, n := range f.nics {
		f.keepCounts(id, n.meter.take())
	}
	go f.forgetSteered(nil)
}

func (f *Fabric) nic(instance string) *nic {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.nics[instance]
}

// tcpFlow decides a new TCP connection from an instance and carries it:
// a blocked one is dropped (the client retries its SYN and times out, as
// on AWS), one to an instance no process plays, or whose process does not
// listen, is reset (a host with nothing listening resets).
func (f *Fabric) tcpFlow(from *nic, r *tcp.ForwarderRequest) {
	id := r.ID()
	flow := from.flow(addrPort(id.RemoteAddress, id.RemotePort), addrPort(id.LocalAddress, id.LocalPort), reach.TCP)
	if flow.Dst == netip.AddrPortFrom(from.resolver, 53) {
		var wq waiter.Queue
		ep, terr := r.CreateEndpoint(&wq)
		r.Complete(terr != nil)
		if terr == nil {
			f.serveDNSTCP(from, gonet.NewTCPConn(&wq, ep))
		}
		return
	}
	if f.isMetadata(from.instance, flow.Dst) {
		// The instance's host answers: no engine, no flow log.
		var wq waiter.Queue
		ep, terr := r.CreateEndpoint(&wq)
		r.Complete(terr != nil)
		if terr == nil {
			f.serveMetadata(gonet.NewTCPConn(&wq, ep), from.instance)
		}
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	defer cancel()
	v, err := f.decider.Decide(ctx, flow)
	if err != nil {
		f.log.Error("flow", "src", flow.Src, "dst", flow.Dst, "error", err)
		r.Complete(false)
		return
	}
	f.log.Debug("flow", "instance", from.instance, "src", flow.Src, "dst", flow.Dst, "verdict", v.String())
	p := planFor(v.snap, flow, v)
	f.records.register(flow, p)
	if !v.Allowed {
		r.Complete(false)
		return
	}
	if v.To == "" && f.services.Serving() {
		if svc := serviceEnd(v, regionOf(from.view.Zone)); f.services.Has(svc) {
			var wq waiter.Queue
			ep, terr := r.CreateEndpoint(&wq)
			r.Complete(terr != nil)
			if terr == nil {
				f.serveService(gonet.NewTCPConn(&wq, ep), flow, v, svc, regionOf(from.view.Zone))
			}
			return
		}
	}
	out, err := f.dialFar(ctx, v, p)
	if err == errNoHost {
		r.Complete(false) // no host to answer: the client times out
		return
	}
	if err != nil {
		r.Complete(true) // a host with nothing listening resets
		return
	}
	var wq waiter.Queue
	ep, terr := r.CreateEndpoint(&wq)
	if terr != nil {
		r.Complete(true)
		out.Close()
		return
	}
	r.Complete(false)
	in := gonet.NewTCPConn(&wq, ep)
	lf := &liveFlow{info: flowInfo(flow, v), accounts: [2]string{v.owner(flow.Instance), v.owner(v.To)}, gate: newGate(f.decider, flow, v.snap)}
	defer f.flows.add(lf)()
	splice(in, out, lf)
}

// dialStack opens a flow's far side through the stack of the device that
// plays to (an instance, or a host on premises), from the address it
// sees there; with no such device, what an absent destination answers.
func (f *Fabric) dialStack(ctx context.Context, to string, v Verdict, p *plan) (conn, error) {
	n := f.nic(to)
	if n == nil {
		return nil, v.absent()
	}
	c, err := gonet.DialTCPWithBind(ctx, n.stack, fullAddr(v.Src), fullAddr(v.Dst), protocolOf(v.Dst.Addr()))
	if err != nil {
		return nil, errRefused
	}
	p.port.Store(uint32(c.LocalAddr().(*net.TCPAddr).Port))
	return c, nil
}

// dialStackUDP opens a UDP flow's far side the same way.
func (f *Fabric) dialStackUDP(to string, v Verdict) (net.Conn, error) {
	n := f.nic(to)
	if n == nil {
		return nil, v.absent()
	}
	src, dst := fullAddr(v.Src), fullAddr(v.Dst)
	c, err := gonet.DialUDP(n.stack, &src, &dst, protocolOf(v.Dst.Addr()))
	if err != nil {
		return nil, errRefused
	}
	return c, nil
}

func addrPort(a tcpip.Address, port uint16) netip.AddrPort {
	ip, _ := netip.AddrFromSlice(a.AsSlice())
	return netip.AddrPortFrom(ip.Unmap(), port)
}

func fullAddr(ap netip.AddrPort) tcpip.FullAddress {
	return tcpip.FullAddress{NIC: nicID, Addr: tcpip.AddrFromSlice(ap.Addr().AsSlice()), Port: ap.Port()}
}

func protocolOf(a netip.Addr) tcpip.NetworkProtocolNumber {
	if a.Is4() {
		return ipv4.ProtocolNumber
	}
	return ipv6.ProtocolNumber
}
