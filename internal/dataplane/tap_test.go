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
