package dataplane

import (
	"context"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/sys/unix"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/checksum"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/link/nested"
	"gvisor.dev/gvisor/pkg/tcpip/stack"

	"github.com/vpcemu/vpcemu/internal/reach"
)

// icmpTap sits between an instance's TUN device and its stack and takes
// ICMP echo (ping) out of the stack's hands: a promiscuous netstack would
// answer every ping itself, to any address. An echo request asks the
// engine; if AWS would carry it to an instance a process plays, the packet
// goes as it is into that instance's namespace, whose kernel answers, and
// the reply comes back the same way; an instance no process plays answers
// as a host with nothing running would (its kernel still answers pings).
// A blocked ping is dropped. IPv4 only for now.
type icmpTap struct {
	nested.Endpoint
	f *Fabric
	n *nic
}

func newICMPTap(child stack.LinkEndpoint, f *Fabric, n *nic) *icmpTap {
	t := &icmpTap{f: f, n: n}
	t.Endpoint.Init(child, t)
	return t
}

// pingKey names an echo exchange as its reply arrives: at the responder's
// device, from the responder to the asker, with the request's identifier.
type pingKey struct {
	at       *nic
	from, to netip.Addr
	ident    uint16
}

// pings are the echo requests carried whose replies are awaited, by where
// the reply arrives, with the asker's device.
type pings struct {
	mu sync.Mutex
	m  map[pingKey]pingWait
}

type pingWait struct {
	asker   *nic
	expires time.Time
}

// pingTimeout is how long a reply is awaited.
const pingTimeout = 10 * time.Second

// DeliverNetworkPacket takes ICMP echo out before the stack sees it.
func (t *icmpTap) DeliverNetworkPacket(proto tcpip.NetworkProtocolNumber, pkt *stack.PacketBuffer) {
	if proto == header.IPv4ProtocolNumber && t.intercept(pkt) {
		return
	}
	t.Endpoint.DeliverNetworkPacket(proto, pkt)
}

// intercept handles an ICMPv4 echo request or reply; it reports whether
// the packet was one.
func (t *icmpTap) intercept(pkt *stack.PacketBuffer) bool {
	view := pkt.ToView()
	b := view.AsSlice()
	ip := header.IPv4(b)
	if !ip.IsValid(len(b)) || ip.Protocol() != uint8(header.ICMPv4ProtocolNumber) || ip.FragmentOffset() != 0 {
		view.Release()
		return false
	}
	icmp := header.ICMPv4(b[ip.HeaderLength():])
	if len(icmp) < header.ICMPv4MinimumSize || icmp.Type() != header.ICMPv4Echo && icmp.Type() != header.ICMPv4EchoReply {
		view.Release()
		return false
	}
	packet := append([]byte(nil), b...) // the view goes back to its pool
	view.Release()
	src, _ := netip.AddrFromSlice(ip.SourceAddressSlice())
	dst, _ := netip.AddrFromSlice(ip.DestinationAddressSlice())
	if icmp.Type() == header.ICMPv4EchoReply {
		t.f.pings.reply(t.n, src, dst, icmp.Ident(), packet)
		return true
	}
	go t.f.ping(t.n, src, dst, icmp.Ident(), packet)
	return true
}

// ping carries an echo request from an instance, or drops it.
func (f *Fabric) ping(from *nic, src, dst netip.Addr, ident uint16, packet []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	defer cancel()
	flow := Flow{Instance: from.instance, Src: netip.AddrPortFrom(src, 0), Dst: netip.AddrPortFrom(dst, 0), Protocol: reach.ICMP}
	v, err := f.decider.Decide(ctx, flow)
	if err != nil || !v.Allowed || v.Dst.Addr() != dst {
		f.log.Debug("ping", "instance", from.instance, "src", src, "dst", dst, "verdict", v.String())
		return // blocked, or translated on the way: not carried
	}
	to := f.nic(v.To)
	if to == nil {
		writePacket(from.fd, echoReply(packet))
		return
	}
	f.pings.await(pingKey{at: to, from: dst, to: src, ident: ident}, from)
	writePacket(to.fd, packet)
}

func (p *pings) await(k pingKey, asker *nic) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if p.m == nil {
		p.m = map[pingKey]pingWait{}
	}
	for k, w := range p.m {
		if now.After(w.expires) {
			delete(p.m, k)
		}
	}
	p.m[k] = pingWait{asker: asker, expires: now.Add(pingTimeout)}
}

// reply passes an echo reply arriving at a device to the instance that
// asked, if one did.
func (p *pings) reply(at *nic, from, to netip.Addr, ident uint16, packet []byte) {
	p.mu.Lock()
	w, ok := p.m[pingKey{at: at, from: from, to: to, ident: ident}]
	p.mu.Unlock()
	if ok && time.Now().Before(w.expires) {
		writePacket(w.asker.fd, packet)
	}
}

// echoReply turns an echo request into the reply its destination's kernel
// would send.
func echoReply(packet []byte) []byte {
	ip := header.IPv4(packet)
	src, dst := ip.SourceAddress(), ip.DestinationAddress()
	ip.SetSourceAddress(dst)
	ip.SetDestinationAddress(src)
	ip.SetTTL(64)
	ip.SetChecksum(0)
	ip.SetChecksum(^ip.CalculateChecksum())
	icmp := header.ICMPv4(packet[ip.HeaderLength():])
	icmp.SetType(header.ICMPv4EchoReply)
	icmp.SetChecksum(0)
	icmp.SetChecksum(^checksum.Checksum(icmp, 0))
	return packet
}

// writePacket writes one IP packet to a TUN device.
func writePacket(fd int, packet []byte) {
	unix.Write(fd, packet)
}
