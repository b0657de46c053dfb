package dataplane

import (
	"net/netip"

	"golang.org/x/sys/unix"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/link/nested"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
)

// tap sits between an instance's TUN device and its stack: it counts
// every packet both ways for flow logs and meters, and takes ICMP echo
// (ping) out of the stack's hands.
type tap struct {
	nested.Endpoint
	f *Fabric
	n *nic
}

func newTap(child stack.LinkEndpoint, f *Fabric, n *nic) *tap {
	t := &tap{f: f, n: n}
	t.Endpoint.Init(child, t)
	return t
}

// DeliverNetworkPacket counts a packet the instance sends, and takes ICMP
// echo out before the stack sees it.
func (t *tap) DeliverNetworkPacket(proto tcpip.NetworkProtocolNumber, pkt *stack.PacketBuffer) {
	view := pkt.ToView()
	b := view.AsSlice()
	h, ok := parseHeader(b)
	if ok {
		t.n.meter.add(h.key(true), true, len(b), h.flags)
	}
	taken := ok && (t.f.steerOut(t.n, b, h) || t.interceptICMP(b, h))
	view.Release()
	if !taken {
		t.Endpoint.DeliverNetworkPacket(proto, pkt)
	}
}

// WritePackets counts the packets the stack sends the instance; those of
// a flow steered through appliances go to them first.
func (t *tap) WritePackets(pkts stack.PacketBufferList) (int, tcpip.Error) {
	if t.f.steering.count.Load() > 0 {
		var rest stack.PacketBufferList
		for _, pkt := range pkts.AsSlice() {
			view := pkt.ToView()
			if t.f.steerIn(t.n, view.AsSlice()) {
				view.Release()
				continue
			}
			view.Release()
			rest.PushBack(pkt.IncRef())
		}
		n := pkts.Len() - rest.Len()
		if rest.Len() == 0 {
			return n, nil
		}
		defer rest.DecRef()
		m, err := t.writePackets(rest)
		return n + m, err
	}
	return t.writePackets(pkts)
}

func (t *tap) writePackets(pkts stack.PacketBufferList) (int, tcpip.Error) {
	for _, pkt := range pkts.AsSlice() {
		if h, ok := parseHeaders(pkt.NetworkHeader().Slice(), pkt.TransportHeader().Slice()); ok {
			t.n.meter.add(h.key(false), false, pkt.Size(), h.flags)
		}
	}
	return t.Endpoint.WritePackets(pkts)
}

// deliver writes one IP packet into the instance's device, counting it,
// unless its flow is steered through appliances: it goes to them first.
func (n *nic) deliver(packet []byte) {
	if n.tap.f.steerIn(n, packet) {
		return
	}
	n.write(packet)
}

// write writes one IP packet into the instance's device, counting it.
func (n *nic) write(packet []byte) {
	if h, ok := parseHeader(packet); ok {
		n.meter.add(h.key(false), false, len(packet), h.flags)
	}
	unix.Write(n.fd, packet)
}

// packetHeader is what the meter reads of an IP packet.
type packetHeader struct {
	proto            uint8
	src, dst         netip.Addr
	srcPort, dstPort uint16
	flags            uint8 // segmentFlags of a TCP segment
	transport        int   // where the transport header starts
	fragment         bool  // a fragment after the first
	more             bool  // a fragment before the last (the first too)
}

// key is the packet's flow as the instance sees it: out when the instance
// sent it.
func (h packetHeader) key(out bool) meterKey {
	src, dst := netip.AddrPortFrom(h.src, h.srcPort), netip.AddrPortFrom(h.dst, h.dstPort)
	if out {
		return meterKey{h.proto, src, dst}
	}
	return meterKey{h.proto, dst, src}
}

// parseHeader reads an IPv4 or IPv6 packet's addresses, protocol, ports
// and TCP flags (IPv6 extension headers are not followed).
func parseHeader(b []byte) (packetHeader, bool) { return parseHeaders(b, nil) }

// parseHeaders reads a packet whose transport header is l4, or follows
// the network header in b when l4 is nil.
func parseHeaders(b, l4 []byte) (packetHeader, bool) {
	var h packetHeader
	switch header.IPVersion(b) {
	case header.IPv4Version:
		ip := header.IPv4(b)
		if len(b) < header.IPv4MinimumSize || int(ip.HeaderLength()) > len(b) {
			return h, false
		}
		h.proto, h.transport, h.fragment = ip.Protocol(), int(ip.HeaderLength()), ip.FragmentOffset() != 0
		h.more = ip.More()
		h.src, _ = netip.AddrFromSlice(ip.SourceAddressSlice())
		h.dst, _ = netip.AddrFromSlice(ip.DestinationAddressSlice())
	case header.IPv6Version:
		ip := header.IPv6(b)
		if len(b) < header.IPv6MinimumSize {
			return h, false
		}
		h.proto, h.transport = ip.NextHeader(), header.IPv6MinimumSize
		h.src, _ = netip.AddrFromSlice(ip.SourceAddressSlice())
		h.dst, _ = netip.AddrFromSlice(ip.DestinationAddressSlice())
	default:
		return h, false
	}
	if l4 == nil {
		if h.transport > len(b) {
			return h, false
		}
		l4 = b[h.transport:]
	}
	if h.fragment {
		return h, true
	}
	switch h.proto {
	case uint8(header.TCPProtocolNumber):
		if len(l4) >= header.TCPMinimumSize {
			tcp := header.TCP(l4)
			h.srcPort, h.dstPort, h.flags = tcp.SourcePort(), tcp.DestinationPort(), segmentFlags(uint8(tcp.Flags()))
		}
	case uint8(header.UDPProtocolNumber):
		if len(l4) >= header.UDPMinimumSize {
			udp := header.UDP(l4)
			h.srcPort, h.dstPort = udp.SourcePort(), udp.DestinationPort()
		}
	}
	return h, true
}
