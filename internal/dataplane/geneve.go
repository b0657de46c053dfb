package dataplane

import (
	"encoding/binary"
	"hash/fnv"
	"net/netip"
	"strconv"
	"strings"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/checksum"
	"gvisor.dev/gvisor/pkg/tcpip/header"
)

// GENEVE (RFC 8926) as a Gateway Load Balancer speaks it with its
// appliances: the whole original IP packet behind an IPv4/UDP header to
// port 6081, VNI 0, and AWS's three options (class 0x0108): the GWLB
// endpoint's id, the attachment's id and the flow's cookie. An appliance
// sends the packet back to the load balancer with the same options; the
// cookie is how the load balancer knows the flow again. Written here
// because gVisor's header package has no GENEVE; the outer IPv4 and UDP
// headers are its.
const (
	geneveHeaderLen = 8
	geneveClassAWS  = 0x0108
	// geneveOptionsLen is AWS's three options, each with its 4-byte
	// option header: 8 + 8 + 4 bytes of data.
	geneveOptionsLen = 4 + 8 + 4 + 8 + 4 + 4
	// geneveOverhead is what wrapping adds to a packet.
	geneveOverhead = header.IPv4MinimumSize + header.UDPMinimumSize + geneveHeaderLen + geneveOptionsLen
)

// geneveMeta is what a Gateway Load Balancer tells its appliance about a
// packet, in AWS's options.
type geneveMeta struct {
	endpoint   uint64 // the GWLB endpoint the flow came by (vpce-…, as a number)
	attachment uint64
	cookie     uint32
}

// endpointNumber is a GWLB endpoint id as the option carries it: a
// 64-bit number, which AWS's 17 hex digits render with a leading 0
// (vpcemu's ids may lead with another digit: the last 16 are carried).
func endpointNumber(id string) uint64 {
	digits := strings.TrimPrefix(id, "vpce-")
	if len(digits) > 16 {
		digits = digits[len(digits)-16:]
	}
	if n, err := strconv.ParseUint(digits, 16, 64); err == nil {
		return n
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()
}

// attachmentNumber is the attachment id the option carries for an
// endpoint: AWS does not say how it is made, only that it is stable.
func attachmentNumber(endpoint string) uint64 {
	h := fnv.New64a()
	h.Write([]byte("attachment/" + endpoint))
	return h.Sum64()
}

// encapsulate wraps inner (an IPv4 or IPv6 packet) in GENEVE from src to
// dst (both IPv4: AWS wraps IPv6 traffic in IPv4 too).
func encapsulate(src, dst netip.AddrPort, m geneveMeta, inner []byte) []byte {
	b := make([]byte, geneveOverhead+len(inner))
	ip := header.IPv4(b)
	ip.Encode(&header.IPv4Fields{TotalLength: uint16(len(b)), TTL: 64, Protocol: uint8(header.UDPProtocolNumber),
		SrcAddr: tcpip.AddrFrom4(src.Addr().As4()), DstAddr: tcpip.AddrFrom4(dst.Addr().As4())})
	ip.SetChecksum(^ip.CalculateChecksum())
	g := b[header.IPv4MinimumSize+header.UDPMinimumSize:]
	g[0] = geneveOptionsLen / 4 // version 0, options length in words
	proto := header.IPv4ProtocolNumber
	if header.IPVersion(inner) == header.IPv6Version {
		proto = header.IPv6ProtocolNumber
	}
	binary.BigEndian.PutUint16(g[2:], uint16(proto))
	// g[4:7], the VNI, stays 0.
	o := g[geneveHeaderLen:]
	option := func(o []byte, typ uint8, data []byte) []byte {
		binary.BigEndian.PutUint16(o, geneveClassAWS)
		o[2], o[3] = typ, uint8(len(data)/4)
		copy(o[4:], data)
		return o[4+len(data):]
	}
	var v8 [8]byte
	binary.BigEndian.PutUint64(v8[:], m.endpoint)
	o = option(o, 1, v8[:])
	binary.BigEndian.PutUint64(v8[:], m.attachment)
	o = option(o, 2, v8[:])
	var v4 [4]byte
	binary.BigEndian.PutUint32(v4[:], m.cookie)
	option(o, 3, v4[:])
	copy(b[geneveOverhead:], inner)

	udp := header.UDP(b[header.IPv4MinimumSize:])
	length := uint16(len(b) - header.IPv4MinimumSize)
	udp.Encode(&header.UDPFields{SrcPort: src.Port(), DstPort: dst.Port(), Length: length})
	sum := header.PseudoHeaderChecksum(header.UDPProtocolNumber, ip.SourceAddress(), ip.DestinationAddress(), length)
	udp.SetChecksum(^checksum.Checksum(udp, sum))
	return b
}

// decapsulate reads a UDP payload as GENEVE from an appliance: AWS's
// options and the packet inside. It reports false for anything else.
func decapsulate(payload []byte) (geneveMeta, []byte, bool) {
	var m geneveMeta
	if len(payload) < geneveHeaderLen || payload[0]>>6 != 0 {
		return m, nil, false
	}
	end := geneveHeaderLen + int(payload[0]&0x3f)*4
	if end > len(payload) {
		return m, nil, false
	}
	var seen uint8
	for o := payload[geneveHeaderLen:end]; len(o) >= 4; {
		n := 4 + int(o[3]&0x1f)*4
		if n > len(o) {
			return m, nil, false
		}
		if binary.BigEndian.Uint16(o) == geneveClassAWS {
			switch data := o[4:n]; {
			case o[2] == 1 && len(data) == 8:
				m.endpoint, seen = binary.BigEndian.Uint64(data), seen|1
			case o[2] == 2 && len(data) == 8:
				m.attachment, seen = binary.BigEndian.Uint64(data), seen|2
			case o[2] == 3 && len(data) == 4:
				m.cookie, seen = binary.BigEndian.Uint32(data), seen|4
			}
		}
		o = o[n:]
	}
	inner := payload[end:]
	proto := tcpip.NetworkProtocolNumber(binary.BigEndian.Uint16(payload[2:]))
	version := header.IPVersion(inner)
	ok := seen == 7 && (proto == header.IPv4ProtocolNumber && version == header.IPv4Version || proto == header.IPv6ProtocolNumber && version == header.IPv6Version)
	return m, inner, ok
}

// geneveSourcePort is the source port a Gateway Load Balancer's node
// sends a flow's GENEVE from: an ephemeral port by the flow's hash (the
// entropy RFC 8926 asks of it), the same for every packet of the flow.
func geneveSourcePort(f Flow) uint16 { return 49152 + uint16(f.hash()%16384) }

// genevePort is the UDP port Gateway Load Balancers and their appliances
// exchange GENEVE on.
const genevePort = 6081
