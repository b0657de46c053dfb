package reach

import (
	"net/netip"

	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// toInternet takes a packet out through an internet gateway, which maps its
// private source address to the public address paired with it.
func (w *walker) toInternet(igw *network.InternetGateway, vpc *netview.NetVPC, p packet) *arrival {
	gw := func() *Component { return component(&igw.Meta, arnIGW) }
	if p.src.Is6() {
		return w.toInternet6(igw, vpc, p)
	}
	var public netip.Addr
	owner := w.s.InterfaceAt(vpc.ID, p.src)
	if owner != nil {
		public, _ = owner.PublicFor(p.src)
	}
	switch {
	case !public.IsValid():
		e := Explanation{ExplanationCode: IGWPublicIPForEgress, Component: gw(), InternetGateway: gw(), VPC: vpcComponent(vpc), Address: p.src.String()}
		if owner != nil {
			e.NetworkInterface = component(&owner.Meta, arnInterface)
		}
		return w.block(e)
	case cidr.IsPrivate(p.dst):
		return w.block(Explanation{ExplanationCode: IGWDestinationNotRFC1918, Component: gw(), InternetGateway: gw(), Address: p.dst.String()})
	case rfc6598.Contains(p.dst):
		return w.block(Explanation{ExplanationCode: IGWDestinationNotRFC6598, Component: gw(), InternetGateway: gw(), Address: p.dst.String()})
	}
	in := p
	p.src, p.srcNet = public, nil
	w.addTranslation(hop{meta: &igw.Meta, arnType: arnIGW, vpc: vpc}, in, p)
	if w.goal.igw != igw && w.s.InterfaceWithPublicIP(p.dst) != nil {
		// Out to the internet and back in through a gateway to a public
		// address of the analysed network: AWS's analyzer does not follow
		// such paths, and says so.
		return w.block(Explanation{ExplanationCode: IGWNATReflection, Component: gw(), InternetGateway: gw(), Address: p.dst.String()})
	}
	return &arrival{igw: igw, pkt: p}
}

// fromInternet takes a packet in through an internet gateway, which maps
// its public destination address to the private address paired with it,
// then routes it by the gateway's edge route table or straight to the
// interface.
func (w *walker) fromInternet(igw *network.InternetGateway, p packet) *arrival {
	gw := func() *Component { return component(&igw.Meta, arnIGW) }
	vpc := attachedVPC(w.s, igw)
	if vpc == nil {
		return w.block(Explanation{ExplanationCode: UnassociatedComponent, Component: gw()})
	}
	switch {
	case cidr.IsPrivate(p.src):
		return w.block(Explanation{ExplanationCode: IGWSourceNotRFC1918, Component: gw(), InternetGateway: gw(), Address: p.src.String()})
	case rfc6598.Contains(p.src):
		return w.block(Explanation{ExplanationCode: IGWSourceNotRFC6598, Component: gw(), InternetGateway: gw(), Address: p.src.String()})
	}
	if p.dst.Is6() {
		return w.fromInternet6(igw, vpc, p)
	}
	owner := w.s.InterfaceWithPublicIP(p.dst)
	private, ok := netip.Addr{}, false
	if owner != nil && owner.VpcID == vpc.ID {
		private, ok = publicOwner(owner, p.dst)
	}
	if !ok {
		return w.block(Explanation{ExplanationCode: IGWPrivateIPForIngress, Component: gw(), InternetGateway: gw(),
			VPC: vpcComponent(vpc), Address: p.dst.String()})
	}
	in := p
	p.dst, p.dstNet = private, nil
	w.addTranslation(hop{meta: &igw.Meta, arnType: arnIGW, vpc: vpc}, in, p)
	if rt := w.s.EdgeRouteTable(igw.ID); rt != nil {
		return w.route(rt, vpc, nil, p)
	}
	return w.deliver(vpc, nil, p)
}

// toInternet6 takes an IPv6 packet out through an internet gateway: its
// addresses are global, so the gateway translates nothing; the source
// must be an address of the VPC's.
func (w *walker) toInternet6(igw *network.InternetGateway, vpc *netview.NetVPC, p packet) *arrival {
	gw := func() *Component { return component(&igw.Meta, arnIGW) }
	if w.s.InterfaceAt(vpc.ID, p.src) == nil {
		return w.block(Explanation{ExplanationCode: IGWPublicIPForEgress, Component: gw(), InternetGateway: gw(), VPC: vpcComponent(vpc), Address: p.src.String()})
	}
	if !IsInternet(p.dst) {
		return w.block(Explanation{ExplanationCode: CannotRoute, Component: gw(), InternetGateway: gw(), Address: p.dst.String()})
	}
	w.addTranslation(hop{meta: &igw.Meta, arnType: arnIGW, vpc: vpc}, p, p)
	if w.goal.igw != igw && len(w.s.InterfacesHolding(p.dst)) > 0 {
		// Out and back in to an address of the analysed network, as for
		// IPv4: not a path AWS's analyzer follows.
		return w.block(Explanation{ExplanationCode: IGWNATReflection, Component: gw(), InternetGateway: gw(), Address: p.dst.String()})
	}
	return &arrival{igw: igw, pkt: p}
}

// fromInternet6 takes an IPv6 packet in through an internet gateway,
// straight to the interface of the VPC that holds its destination (or by
// the gateway's edge route table).
func (w *walker) fromInternet6(igw *network.InternetGateway, vpc *netview.NetVPC, p packet) *arrival {
	if w.s.InterfaceAt(vpc.ID, p.dst) == nil {
		gw := component(&igw.Meta, arnIGW)
		return w.block(Explanation{ExplanationCode: NoPossibleDestination, Component: gw, InternetGateway: gw, VPC: vpcComponent(vpc), Address: p.dst.String()})
	}
	w.addTranslation(hop{meta: &igw.Meta, arnType: arnIGW, vpc: vpc}, p, p)
	if rt := w.s.EdgeRouteTable(igw.ID); rt != nil {
		return w.route(rt, vpc, nil, p)
	}
	return w.deliver(vpc, nil, p)
}

// toEgressOnly takes an IPv6 packet out through an egress-only internet
// gateway: outbound only, so the internet may answer but not open a
// connection (fromEgressOnly lets only answers in).
func (w *walker) toEgressOnly(g *network.EgressOnlyInternetGateway, id string, vpc *netview.NetVPC, p packet) *arrival {
	if g == nil || !g.AttachedTo(vpc.ID) {
		return w.block(Explanation{ExplanationCode: BadState, Component: unknown(id), VPC: vpcComponent(vpc), State: "detached"})
	}
	gw := func() *Component { return component(&g.Meta, arnEIGW) }
	if !IsInternet(p.dst) {
		return w.block(Explanation{ExplanationCode: CannotRoute, Component: gw(), Address: p.dst.String()})
	}
	w.addTranslation(hop{meta: &g.Meta, arnType: arnEIGW, vpc: vpc}, p, p)
	if len(w.s.InterfacesHolding(p.dst)) > 0 {
		return w.block(Explanation{ExplanationCode: IGWNATReflection, Component: gw(), Address: p.dst.String()})
	}
	return &arrival{eigw: g, edge: vpc, pkt: p}
}

// fromEgressOnly takes the internet's answer back in through the
// egress-only gateway the packet left by. Only an answer: nothing from the
// internet opens a connection through it.
func (w *walker) fromEgressOnly(g *network.EgressOnlyInternetGateway, vpc *netview.NetVPC, p packet) *arrival {
	if !w.back {
		return w.block(Explanation{ExplanationCode: NoPath, Component: component(&g.Meta, arnEIGW), VPC: vpcComponent(vpc), Address: p.dst.String()})
	}
	w.addTranslation(hop{meta: &g.Meta, arnType: arnEIGW, vpc: vpc}, p, p)
	return w.deliver(vpc, nil, p)
}

// natEntry is a translation a NAT gateway made, to undo for the answer.
type natEntry struct {
	iface    *netview.NetInterface
	addr     netip.Addr
	src      netip.Addr
	srcPorts ports
	srcNet   []netip.Prefix
}

// natGateway takes a packet through a NAT gateway: it must come from the
// gateway's VPC; the gateway sends it on from its own address and an
// ephemeral port, by its subnet's route table.
func (w *walker) natGateway(nat *network.NATGateway, vpc *netview.NetVPC, from *netview.NetSubnet, p packet) *arrival {
	gw := func() *Component { return component(&nat.Meta, arnNAT) }
	n := w.s.Interface(nat.Primary().NetworkInterfaceID)
	switch {
	case nat.State != network.NATAvailable || n == nil || len(n.Addrs) == 0:
		return w.block(Explanation{ExplanationCode: BadState, Component: gw(), NATGateway: gw(), State: nat.State})
	case p.src.Is6():
		// NAT64 (DNS64's 64:ff9b::/96 to a NAT gateway) is not modelled.
		return w.block(Explanation{ExplanationCode: UnsupportedComponent, Component: gw(), NATGateway: gw(), Address: p.dst.String()})
	case !vpc.Contains(p.src):
		return w.block(Explanation{ExplanationCode: NGWRequiresSourceInVPC, Component: gw(), NATGateway: gw(),
			VPC: vpcComponent(vpc), CIDRs: prefixStrings(vpc.Blocks), Address: p.src.String()})
	}
	if from == nil || from.ID != n.SubnetID {
		if !w.acl(n.Subnet, false, &p) {
			return nil
		}
	}
	in := p
	p.src, p.srcNet = n.Addrs[0], nil
	if !p.proto.IsICMP() {
		p.srcPorts = ephemeralPorts
	}
	w.nats = append(w.nats, natEntry{iface: n, addr: p.src, src: in.src, srcPorts: in.srcPorts, srcNet: in.srcNet})
	w.addTranslation(hop{meta: &nat.Meta, arnType: arnNAT, subnet: n.Subnet, vpc: vpc}, in, p)
	return w.leave(n.Subnet, n, p)
}

// natReturn takes an answer through the NAT gateway that translated the
// packet it answers, back to the original source.
func (w *walker) natReturn(n *netview.NetInterface, p packet) *arrival {
	for _, t := range w.nats {
		if t.iface != n || t.addr != p.dst {
			continue
		}
		in := p
		p.dst, p.dstPorts, p.dstNet = t.src, t.srcPorts, t.srcNet
		w.addTranslation(hop{meta: &n.NAT.Meta, arnType: arnNAT, subnet: n.Subnet, vpc: n.Subnet.VPC}, in, p)
		return w.leave(n.Subnet, n, p)
	}
	// Nothing opened this flow: a NAT gateway accepts no connections.
	gw := component(&n.NAT.Meta, arnNAT)
	return w.block(Explanation{ExplanationCode: NoPossibleDestination, Component: gw, NATGateway: gw, Address: p.dst.String()})
}

// peering takes a packet across a peering connection, straight to the
// interface that holds its destination in the peer VPC. Both addresses must
// be in the two VPCs' blocks, so traffic never crosses a peering on its way
// to or from anywhere else (no transitive routing, no edge-to-edge routing
// through the peer's gateways). A connection that is the path's end (its
// destination, or its source for the answer) ends the walk there.
func (w *walker) peering(pcx *network.VPCPeeringConnection, vpc *netview.NetVPC, p packet) *arrival {
	far := peerOf(w.s, pcx, vpc)
	switch {
	case !vpc.Contains(p.src):
		return w.pcxOutside(pcx, p.src, vpcComponent(vpc), vpc.Blocks)
	case !far.holds(p.dst):
		return w.pcxOutside(pcx, p.dst, far.component(), far.blocks)
	}
	w.add(pcxHop(pcx, vpc, "", far.vpc, far.side.VpcID))
	if w.goal.pcx == pcx {
		w.show(false, p)
		return &arrival{pcx: pcx, edge: vpc, pkt: p}
	}
	if far.vpc == nil {
		// The peer VPC is in an account or region the snapshot did not read.
		link := component(&pcx.Meta, arnPeering)
		return w.block(Explanation{ExplanationCode: NoPossibleDestination, Component: link, VPCPeeringConnection: link,
			DestinationVPC: far.component(), ComponentAccount: far.side.OwnerID, ComponentRegion: far.side.Region})
	}
	return w.deliver(far.vpc, nil, p)
}

func prefixStrings(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
