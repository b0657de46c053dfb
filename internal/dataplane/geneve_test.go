//go:build linux

package dataplane

import (
	"bytes"
	"net/netip"
	"testing"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/checksum"
	"gvisor.dev/gvisor/pkg/tcpip/header"

	"github.com/vpcemu/vpcemu/internal/reach"
)

// A packet wrapped for an appliance reads back as it went in: the outer
// IPv4/UDP headers (valid checksums) from the node to the appliance's
// 6081, AWS's three options, the inner packet whole.
func TestGeneveRoundTrip(t *testing.T) {
	for _, inner := range [][]byte{ipv4Segment(), ipv6Packet()} {
		m := geneveMeta{endpoint: endpointNumber("vpce-0123456789abcdef0"), attachment: 7, cookie: 42}
		from, to := netip.MustParseAddrPort("10.9.1.5:50000"), netip.MustParseAddrPort("10.9.1.4:6081")
		b := encapsulate(from, to, m, inner)
		h, ok := parseHeader(b)
		if !ok || h.proto != 17 || h.src != from.Addr() || h.dst != to.Addr() || h.srcPort != 50000 || h.dstPort != genevePort {
			t.Fatalf("outer header %+v", h)
		}
		ip := header.IPv4(b)
		if !ip.IsChecksumValid() {
			t.Error("outer IPv4 checksum")
		}
		udp := header.UDP(b[h.transport:])
		if !udp.IsChecksumValid(ip.SourceAddress(), ip.DestinationAddress(), checksum.Checksum(udp.Payload(), 0)) {
			t.Error("UDP checksum")
		}
		got, back, ok := decapsulate(b[h.transport+header.UDPMinimumSize:])
		if !ok || got != m || !bytes.Equal(back, inner) {
			t.Errorf("decapsulated %+v %x (%v), want %+v %x", got, back, ok, m, inner)
		}
		if m.endpoint != 0x123456789abcdef0 {
			t.Errorf("endpoint option %x", m.endpoint)
		}
	}
}

// Only GENEVE with AWS's three options and an inner packet of the
// protocol it names is an appliance's answer.
func TestDecapsulateRefuses(t *testing.T) {
	good := encapsulate(netip.MustParseAddrPort("10.9.1.5:50000"), netip.MustParseAddrPort("10.9.1.4:6081"), geneveMeta{cookie: 1}, ipv4Segment())[header.IPv4MinimumSize+header.UDPMinimumSize:]
	mutate := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	for name, b := range map[string][]byte{
		"empty":            nil,
		"version 1":        mutate(func(b []byte) []byte { b[0] |= 0x40; return b }),
		"options past end": mutate(func(b []byte) []byte { return b[:geneveHeaderLen+8] }),
		"no cookie": mutate(func(b []byte) []byte {
			b[0] = (geneveOptionsLen - 8) / 4
			return append(b[:geneveHeaderLen+geneveOptionsLen-8], ipv4Segment()...)
		}),
		"IPv6 named, IPv4": mutate(func(b []byte) []byte { b[2], b[3] = 0x86, 0xdd; return b }),
		"another class":    mutate(func(b []byte) []byte { b[geneveHeaderLen+24] = 9; return b }),
	} {
		if _, _, ok := decapsulate(b); ok {
			t.Errorf("%s: taken", name)
		}
	}
}

// FuzzDecapsulate: whatever an appliance sends, reading it never panics,
// and what it finds inside lies within what was sent.
func FuzzDecapsulate(f *testing.F) {
	f.Add(encapsulate(netip.MustParseAddrPort("10.9.1.5:50000"), netip.MustParseAddrPort("10.9.1.4:6081"), geneveMeta{1, 2, 3}, ipv4Segment())[28:])
	f.Add([]byte{0x3f, 0, 8, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, inner, ok := decapsulate(b); ok && len(inner) > len(b) {
			t.Errorf("inner of %d bytes from %d", len(inner), len(b))
		}
	})
}

func TestEndpointNumber(t *testing.T) {
	for id, want := range map[string]uint64{
		"vpce-0123456789abcdef0": 0x123456789abcdef0,
		"vpce-7b14e4560b1b8b78c": 0xb14e4560b1b8b78c, // the last 16 digits
		"vpce-12345678":          0x12345678,
	} {
		if got := endpointNumber(id); got != want {
			t.Errorf("%s: %x, want %x", id, got, want)
		}
	}
	if endpointNumber("vpce-zz") == 0 {
		t.Error("an id that is not hex is hashed")
	}
}

// The stages of a path are its GENEVE target group hops, each with the
// endpoint before it, the node's and the appliance's addresses and the
// appliance instance after it; an NLB's target group is none.
func TestStagesOf(t *testing.T) {
	comp := func(id string) reach.PathComponent { return reach.PathComponent{Component: &reach.Component{ID: id}} }
	tg := func(id, proto string, port int) reach.PathComponent {
		c := comp(id)
		c.OutboundHeader = &reach.PacketHeader{Protocol: proto, SourceAddresses: []string{"10.9.1.5/32"}, DestinationAddresses: []string{"10.9.1.4/32"},
			DestinationPortRanges: []reach.PortRange{{From: port, To: port}}}
		return c
	}
	geneveTG := "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/appliances/1"
	v := Verdict{Result: reach.Result{ForwardPathComponents: []reach.PathComponent{
		comp("i-client"), comp("eni-client"), comp("vpce-0a"), comp("arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/gwy/inspect/1"),
		tg(geneveTG, "17", 6081), comp("sg-1"), comp("eni-appliance"), comp("i-appliance"), comp("vpce-0a"),
		tg("arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/api/2", "6", 8443), comp("i-server"),
	}}}
	got := stagesOf(v)
	want := stage{endpoint: "vpce-0a", node: netip.MustParseAddr("10.9.1.5"), appliance: "i-appliance", applianceAddr: netip.MustParseAddr("10.9.1.4")}
	if len(got) != 1 || got[0] != want {
		t.Errorf("stages %+v, want [%+v]", got, want)
	}
}

func ipv4Segment() []byte {
	seg := make([]byte, header.IPv4MinimumSize+header.TCPMinimumSize)
	header.IPv4(seg).Encode(&header.IPv4Fields{TotalLength: uint16(len(seg)), Protocol: uint8(header.TCPProtocolNumber), TTL: 64,
		SrcAddr: tcpip.AddrFrom4([4]byte{10, 0, 1, 4}), DstAddr: tcpip.AddrFrom4([4]byte{203, 0, 113, 10})})
	header.TCP(seg[header.IPv4MinimumSize:]).Encode(&header.TCPFields{SrcPort: 40000, DstPort: 80, Flags: header.TCPFlagSyn, DataOffset: header.TCPMinimumSize})
	return seg
}

func ipv6Packet() []byte {
	pkt := make([]byte, header.IPv6MinimumSize+header.UDPMinimumSize)
	header.IPv6(pkt).Encode(&header.IPv6Fields{PayloadLength: header.UDPMinimumSize, TransportProtocol: header.UDPProtocolNumber, HopLimit: 64,
		SrcAddr: tcpip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 4}), DstAddr: tcpip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 9})})
	return pkt
}
