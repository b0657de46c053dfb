package reach

import (
	"net/netip"

	"github.com/vpcemu/vpcemu/internal/ipproto"
)

// packet is the traffic a hop sees: one source and one destination
// address, and the sets of ports the path still admits.
//
// An end that is "somewhere on the internet" (an internet gateway as the
// source or destination, no address given) is analysed with one witness
// address, and srcNet/dstNet hold the internet blocks that end may still
// be, narrowed by each rule the packet matched, for the headers.
type packet struct {
	proto              ipproto.Proto
	src, dst           netip.Addr
	srcPorts, dstPorts ports
	srcNet, dstNet     []netip.Prefix
}

// ICMP echo types: the engine analyses a ping and its answer.
const (
	icmpEchoReply    = 0
	icmpEchoRequest  = 8
	icmp6EchoRequest = 128
	icmp6EchoReply   = 129
)

// reversed is the answer to the packet: addresses and ports swapped.
func (p packet) reversed() packet {
	r := packet{proto: p.proto, src: p.dst, dst: p.src, srcPorts: p.dstPorts, dstPorts: p.srcPorts, srcNet: p.dstNet, dstNet: p.srcNet}
	switch p.proto {
	case ipproto.ICMP:
		r.srcPorts, r.dstPorts = nil, single(icmpEchoReply)
	case ipproto.ICMPv6:
		r.srcPorts, r.dstPorts = nil, single(icmp6EchoReply)
	}
	return r
}

// narrowedBy is the packet with what a later hop narrowed of it: the ports
// and internet blocks of each address the hops between did not translate.
func (p packet) narrowedBy(later packet) packet {
	if p.src == later.src {
		p.srcPorts, p.srcNet = later.srcPorts, later.srcNet
	}
	if p.dst == later.dst {
		p.dstPorts, p.dstNet = later.dstPorts, later.dstNet
	}
	return p
}

// header is the packet as AWS shows it.
func (p packet) header() *PacketHeader {
	return &PacketHeader{
		SourceAddresses:       blocks(p.src, p.srcNet),
		DestinationAddresses:  blocks(p.dst, p.dstNet),
		SourcePortRanges:      p.srcPorts.ranges(),
		DestinationPortRanges: p.dstPorts.ranges(),
		Protocol:              p.proto.Number(),
	}
}

func blocks(addr netip.Addr, net []netip.Prefix) []string {
	if net == nil {
		return []string{netip.PrefixFrom(addr, addr.BitLen()).String()}
	}
	out := make([]string, len(net))
	for i, b := range net {
		out[i] = b.String()
	}
	return out
}
