//go:build linux

package dataplane

import (
	"net/netip"
	"testing"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
)

// FuzzParseHeader: whatever a process writes to its device, reading it
// never panics, and what it reads of an IPv4 TCP segment is what was
// written.
func FuzzParseHeader(f *testing.F) {
	seg := make([]byte, header.IPv4MinimumSize+header.TCPMinimumSize)
	ip := header.IPv4(seg)
	ip.Encode(&header.IPv4Fields{TotalLength: uint16(len(seg)), Protocol: uint8(header.TCPProtocolNumber), TTL: 64,
		SrcAddr: tcpip.AddrFrom4([4]byte{10, 0, 1, 5}), DstAddr: tcpip.AddrFrom4([4]byte{10, 0, 1, 9})})
	header.TCP(seg[header.IPv4MinimumSize:]).Encode(&header.TCPFields{SrcPort: 40000, DstPort: 443, Flags: header.TCPFlagSyn | header.TCPFlagAck, DataOffset: header.TCPMinimumSize})
	f.Add(seg)
	f.Add([]byte{0x60})
	f.Add([]byte{0x45, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, ok := parseHeader(b)
		if ok && h.proto == 6 && len(b) == len(seg) && string(b) == string(seg) {
			want := packetHeader{proto: 6, src: netip.MustParseAddr("10.0.1.5"), dst: netip.MustParseAddr("10.0.1.9"), srcPort: 40000, dstPort: 443, flags: synACK | flagSYN, transport: 20}
			if h != want {
				t.Errorf("read %+v, want %+v", h, want)
			}
		}
	})
}

// An IPv6 echo request becomes the reply its destination's kernel sends:
// addresses swapped, the reply's type, a checksum that holds.
func TestEchoReplyIPv6(t *testing.T) {
	src, dst := tcpip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 5}), tcpip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 9})
	body := []byte("vpcemu")
	pkt := make([]byte, header.IPv6MinimumSize+header.ICMPv6EchoMinimumSize+len(body))
	header.IPv6(pkt).Encode(&header.IPv6Fields{PayloadLength: uint16(len(pkt) - header.IPv6MinimumSize), TransportProtocol: header.ICMPv6ProtocolNumber, HopLimit: 3, SrcAddr: src, DstAddr: dst})
	icmp := header.ICMPv6(pkt[header.IPv6MinimumSize:])
	icmp.SetType(header.ICMPv6EchoRequest)
	icmp.SetIdent(0x7663)
	copy(icmp[header.ICMPv6EchoMinimumSize:], body)
	icmp.SetChecksum(header.ICMPv6Checksum(header.ICMPv6ChecksumParams{Header: icmp, Src: src, Dst: dst}))

	h, ok := parseHeader(pkt)
	if !ok || h.proto != 58 || !h.src.Is6() {
		t.Fatalf("read %+v", h)
	}
	reply := echoReply(pkt)
	ip := header.IPv6(reply)
	icmp = header.ICMPv6(reply[header.IPv6MinimumSize:])
	if ip.SourceAddress() != dst || ip.DestinationAddress() != src || icmp.Type() != header.ICMPv6EchoReply || icmp.Ident() != 0x7663 {
		t.Errorf("reply %v → %v type %v ident %x", ip.SourceAddress(), ip.DestinationAddress(), icmp.Type(), icmp.Ident())
	}
	if want := header.ICMPv6Checksum(header.ICMPv6ChecksumParams{Header: icmp, Src: dst, Dst: src}); icmp.Checksum() != want {
		t.Errorf("checksum %x, want %x", icmp.Checksum(), want)
	}
}
