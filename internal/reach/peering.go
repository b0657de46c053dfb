package reach

// Peering connections as the ends of a path, as AWS's analyzer takes them:
// a destination is the connection itself, reached through the source
// VPC's route tables (the packet's destination somewhere in the peer VPC);
// a source is the peer VPC's traffic coming in through the connection to
// the destination's side. Neither goes further into the other VPC than the
// connection: the analysis covers one side.

import (
	"net/netip"
	"slices"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// farSide is the other side of a peering connection from a VPC: its VPC
// when the snapshot holds it, and its blocks either way.
type farSide struct {
	side   *network.PeeringVPC
	vpc    *netview.NetVPC
	blocks []netip.Prefix
}

func peerOf(s *netview.Snapshot, pcx *network.VPCPeeringConnection, vpc *netview.NetVPC) farSide {
	side, _ := pcx.Peer(vpc.ID)
	f := farSide{side: side, vpc: s.VPC(side.VpcID)}
	if f.vpc != nil {
		f.blocks = append(slices.Clip(f.vpc.Blocks), f.vpc.Blocks6...)
	} else {
		f.blocks = side.Blocks()
	}
	return f
}

// component names the far side's VPC, by id alone when the snapshot does
// not hold it.
func (f farSide) component() *Component {
	if f.vpc != nil {
		return vpcComponent(f.vpc)
	}
	return unknown(f.side.VpcID)
}

func (f farSide) holds(a netip.Addr) bool {
	return slices.ContainsFunc(f.blocks, func(b netip.Prefix) bool { return b.Contains(a) })
}

// joins reports whether a peering connection has vpc on one side.
func joins(pcx *network.VPCPeeringConnection, vpc *netview.NetVPC) bool {
	_, ok := pcx.Peer(vpc.ID)
	return ok
}

// peeringSides sets the side of a peering connection end: a destination's
// is the source's VPC, which it must join; a source's is the VPC of the
// destination (or that holds its address), else the first side the
// snapshot holds.
func (pl *plan) peeringSides() *Result {
	src, dst := &pl.src, &pl.dst
	if src.pcx != nil && dst.pcx != nil {
		return failed(Explanation{ExplanationCode: NoPath, Component: component(&dst.pcx.Meta, arnPeering)})
	}
	disconnected := func(pcx *network.VPCPeeringConnection, v *netview.NetVPC, source bool) *Result {
		c := component(&pcx.Meta, arnPeering)
		e := Explanation{ExplanationCode: DisconnectedVPCs, Component: c, VPCPeeringConnection: c}
		if e.SourceVPC, e.DestinationVPC = vpcComponent(v), unknown(pcx.Requester.VpcID); source {
			e.SourceVPC, e.DestinationVPC = e.DestinationVPC, e.SourceVPC
		}
		return failed(e)
	}
	if e := dst; e.pcx != nil {
		home := src.homeVPC()
		if home == nil || !joins(e.pcx, home) {
			return disconnected(e.pcx, home, false)
		}
		e.vpc, e.open = home, peerOf(pl.s, e.pcx, home).blocks
	}
	if e := src; e.pcx != nil {
		sides := []*netview.NetVPC{pl.s.VPC(e.pcx.Requester.VpcID), pl.s.VPC(e.pcx.Accepter.VpcID)}
		if home := dst.homeVPC(); home != nil {
			if !joins(e.pcx, home) {
				return disconnected(e.pcx, home, true)
			}
			e.vpc = home
		} else {
			for _, v := range sides {
				if v != nil && (e.vpc == nil || v.Contains(pl.dstAddr())) {
					e.vpc = v
				}
			}
		}
		if e.vpc == nil {
			// Neither side's VPC is in the snapshot.
			c := component(&e.pcx.Meta, arnPeering)
			return failed(Explanation{ExplanationCode: NoPossibleDestination, Component: c, VPCPeeringConnection: c})
		}
		e.open = peerOf(pl.s, e.pcx, e.vpc).blocks
	}
	return nil
}

// peeringWitnesses are the addresses to try for a peering connection end
// the query left open: inside the peer VPC's blocks, first where the
// source's routes to the connection lead (for a destination), then the
// first address of each block, then inside each narrower block the rules
// on the way name.
func (pl *plan) peeringWitnesses(e *end, filtered netip.Addr) []netip.Addr {
	if filtered.IsValid() {
		return []netip.Addr{filtered}
	}
	var first, rules []netip.Prefix
	if e == &pl.dst {
		first = pcxRoutes(pl.src.iface, e.pcx)
		rules = pl.egressBlocks(pl.src.iface)
	} else {
		rules = pl.ingressBlocks(pl.dst.iface)
	}
	const most = 8
	var out []netip.Addr
	add := func(bs []netip.Prefix) {
		for _, b := range bs {
			for _, o := range e.open {
				if !b.Overlaps(o) {
					continue
				}
				inner := o
				if b.Bits() > o.Bits() {
					inner = b
				}
				if a := hostIn(inner); !slices.Contains(out, a) && len(out) < most {
					out = append(out, a)
				}
			}
		}
	}
	add(first)
	add(e.open)
	add(rules)
	if len(out) == 0 {
		// The peer VPC's blocks are unknown: its route will say so.
		return []netip.Addr{{}}
	}
	return out
}

// pcxRoutes are the blocks of the routes an interface's subnet sends to a
// peering connection.
func pcxRoutes(n *netview.NetInterface, pcx *network.VPCPeeringConnection) []netip.Prefix {
	if n == nil || n.Subnet == nil || n.Subnet.RouteTable == nil {
		return nil
	}
	var out []netip.Prefix
	for _, r := range n.Subnet.RouteTable.Routes() {
		if r.Target() == pcx.ID && r.Block.IsValid() {
			out = append(out, r.Block)
		}
	}
	return out
}

// hostIn is the first host address of a block.
func hostIn(b netip.Prefix) netip.Addr {
	a := b.Masked().Addr()
	if b.Bits() < 31 {
		a = a.Next()
	}
	return a
}

func pcxHop(pcx *network.VPCPeeringConnection, from *netview.NetVPC, fromID string, to *netview.NetVPC, toID string) hop {
	return hop{meta: &pcx.Meta, arnType: arnPeering, vpc: from, vpcID: fromID, peerVPC: to, peerVPCID: toID}
}

// pcxOutside explains that an address is outside the blocks of the side
// of a peering connection it must be in.
func (w *walker) pcxOutside(pcx *network.VPCPeeringConnection, a netip.Addr, vpc *Component, blocks []netip.Prefix) *arrival {
	link := component(&pcx.Meta, arnPeering)
	return w.block(Explanation{ExplanationCode: PCXRequiresAddressInVPCCIDR, Component: link, VPCPeeringConnection: link,
		VPC: vpc, CIDRs: prefixStrings(blocks), Address: a.String()})
}

// fromPeering brings a packet in through a peering connection that is an
// end of the path, to the interface of VPC into that holds its
// destination: the path's source is the connection, or the answer comes
// back from a destination that is. Its source must be in the peer VPC's
// blocks and its destination in into's.
func (w *walker) fromPeering(pcx *network.VPCPeeringConnection, into *netview.NetVPC, p packet) *arrival {
	far := peerOf(w.s, pcx, into)
	w.add(pcxHop(pcx, far.vpc, far.side.VpcID, into, ""))
	w.show(false, p)
	switch {
	case !far.holds(p.src):
		return w.pcxOutside(pcx, p.src, far.component(), far.blocks)
	case !into.Contains(p.dst):
		return w.pcxOutside(pcx, p.dst, vpcComponent(into), into.Blocks)
	}
	return w.deliver(into, nil, p)
}
