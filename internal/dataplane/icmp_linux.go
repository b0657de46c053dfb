package dataplane

import (
	"context"
	"net/netip"
	"sync"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip/checksum"
	"gvisor.dev/gvisor/pkg/tcpip/header"

	"github.com/vpcemu/vpcemu/internal/reach"
)

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

// interceptICMP handles an ICMP or ICMPv6 echo request or reply an
// instance sends (b its packet, h parsed): it reports whether the packet
// was one. A promiscuous netstack would answer every ping itself, to any
// address: instead, an echo request asks the engine; if AWS would carry it
// to an instance a process plays, the packet goes as it is into that
// instance's namespace, whose kernel answers, and the reply comes back the
// same way; an instance no process plays answers as a host with nothing
// running would (its kernel still answers pings). A blocked ping is
// dropped.
func (t *tap) interceptICMP(b []byte, h packetHeader) bool {
	if h.fragment {
		return false
	}
	var request, reply bool
	var ident uint16
	switch l4 := b[h.transport:]; {
	case h.src.Is4() && h.proto == uint8(header.ICMPv4ProtocolNumber) && len(l4) >= header.ICMPv4MinimumSize:
		icmp := header.ICMPv4(l4)
		request, reply, ident = icmp.Type() == header.ICMPv4Echo, icmp.Type() == header.ICMPv4EchoReply, icmp.Ident()
	case h.src.Is6() && h.proto == uint8(header.ICMPv6ProtocolNumber) && len(l4) >= header.ICMPv6EchoMinimumSize:
		icmp := header.ICMPv6(l4)
		request, reply, ident = icmp.Type() == header.ICMPv6EchoRequest, icmp.Type() == header.ICMPv6EchoReply, icmp.Ident()
	}
	if !request && !reply {
		return false
	}
	packet := append([]byte(nil), b...) // the view goes back to its pool
	if reply {
		t.f.pings.reply(t.n, h.src, h.dst, ident, packet)
		return true
	}
	go t.f.ping(t.n, h.src, h.dst, ident, packet)
	return true
}

// ping carries an echo request from an instance, or drops it.
func (f *Fabric) ping(from *nic, src, dst netip.Addr, ident uint16, packet []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	defer cancel()
	flow := from.flow(netip.AddrPortFrom(src, 0), netip.AddrPortFrom(dst, 0), reach.ICMP)
	v, err := f.decider.Decide(ctx, flow)
	if err == nil {
		f.records.register(flow, planFor(v.snap, flow, v))
	}
	if err != nil || !v.Allowed || v.Dst.Addr() != dst {
		f.log.Debug("ping", "instance", from.instance, "src", src, "dst", dst, "verdict", v.String())
		return // blocked, or translated on the way: not carried
	}
	to := f.nic(v.destination())
	if to == nil && v.Via != "" {
		return // no host on premises answers
	}
	if to == nil {
		from.deliver(echoReply(packet))
		return
	}
	f.pings.await(pingKey{at: to, from: dst, to: src, ident: ident}, from)
	to.deliver(packet)
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
		w.asker.deliver(packet)
	}
}

// echoReply turns an echo request (IPv4 or IPv6, no extension headers)
// into the reply its destination's kernel would send.
func echoReply(packet []byte) []byte {
	if header.IPVersion(packet) == header.IPv6Version {
		ip := header.IPv6(packet)
		src, dst := ip.SourceAddress(), ip.DestinationAddress()
		ip.SetSourceAddress(dst)
		ip.SetDestinationAddress(src)
		ip.SetHopLimit(64)
		icmp := header.ICMPv6(packet[header.IPv6MinimumSize:])
		icmp.SetType(header.ICMPv6EchoReply)
		icmp.SetChecksum(header.ICMPv6Checksum(header.ICMPv6ChecksumParams{Header: icmp, Src: dst, Dst: src}))
		return packet
	}
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
