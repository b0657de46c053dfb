package reach

import (
	"net/netip"
	"slices"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
)

// resolveEnds finds the source and the destination and the addresses the
// packet leaves with.
func (pl *plan) resolveEnds() *Result {
	q := pl.q
	if q.Source == "" && !pl.srcAddr().IsValid() || q.Destination == "" && !pl.dstAddr().IsValid() {
		return failed(Explanation{ExplanationCode: NoSourceOrDestination})
	}
	if r := pl.resolve(&pl.dst, q.Destination, pl.dstAddr()); r != nil {
		return r
	}
	if r := pl.resolve(&pl.src, q.Source, pl.srcAddr()); r != nil {
		return r
	}
	if r := pl.peeringSides(); r != nil {
		return r
	}
	if r := pl.onPremisesEnd(); r != nil {
		return r
	}
	pl.family()
	if r := pl.sourceAddress(); r != nil {
		return r
	}
	if r := pl.destinationAddress(); r != nil {
		return r
	}
	if pl.src.iface != nil && pl.src.iface == pl.dst.iface {
		return failed(Explanation{ExplanationCode: NoPath, Component: component(&pl.src.iface.Meta, arnInterface)})
	}
	return nil
}

// resolve finds the resource an end's id names, or for an end named by an
// address alone, the interface that holds it.
func (pl *plan) resolve(e *end, id string, addr netip.Addr) *Result {
	s := pl.s
	missing := func() *Result {
		return failed(Explanation{ExplanationCode: NoSourceOrDestination, Component: unknown(id)})
	}
	if id == "" {
		// A source named by a private address is the interface holding it;
		// a destination named by one is wherever routing takes the packet.
		e.addr = addr
		if e == pl.onPremisesSide() {
			return nil
		}
		if e == &pl.src && (addr.Is6() || !IsInternet(addr)) {
			// An IPv6 address is public and private at once: it is an
			// interface's when one holds it, else the internet's.
			e.iface = pl.holder(addr)
		}
		return nil
	}
	switch kind, _ := cloud.KindOfID(id); kind {
	case cloud.KindNetworkInterface:
		if e.iface = s.Interface(id); e.iface == nil {
			return missing()
		}
	case cloud.KindInstance:
		if e.inst = s.Instance(id); e.inst == nil {
			return missing()
		}
		if e.iface = instanceInterface(s, e.inst, addr); e.iface == nil || e.inst.State == "terminated" || e.inst.State == "shutting-down" {
			return failed(Explanation{ExplanationCode: UnassociatedComponent, Component: component(&e.inst.Meta, arnInstance), State: e.inst.State})
		}
	case cloud.KindInternetGateway:
		if e.igw = s.InternetGateway(id); e.igw == nil {
			return missing()
		}
		if e.vpc = attachedVPC(s, e.igw); e.vpc == nil {
			return failed(Explanation{ExplanationCode: UnassociatedComponent, Component: component(&e.igw.Meta, arnIGW)})
		}
	case cloud.KindVPCPeering:
		if e.pcx = s.Peering(id); e.pcx == nil {
			return missing()
		}
		if e.pcx.Status != network.PeeringActive {
			c := component(&e.pcx.Meta, arnPeering)
			return failed(Explanation{ExplanationCode: BadState, Component: c, VPCPeeringConnection: c, State: e.pcx.Status})
		}
	case cloud.KindVPNGateway:
		return pl.resolveVGW(e, id, addr)
	case cloud.KindVPCEndpoint:
		ep := s.Endpoint(id)
		if ep == nil {
			return missing()
		}
		if r := pl.resolveEndpoint(e, ep); r != nil {
			return r
		}
	default:
		return failed(Explanation{ExplanationCode: UnsupportedComponent, Component: unknown(id)})
	}
	if e.iface != nil && len(e.iface.Addrs) == 0 {
		return failed(Explanation{ExplanationCode: UnassociatedComponent, Component: component(&e.iface.Meta, arnInterface)})
	}
	return nil
}

// family settles the path's address family: IPv6 when the query named an
// IPv6 address, or when an interface end has no IPv4 address (it is in an
// IPv6-only subnet).
func (pl *plan) family() {
	for _, e := range []*end{&pl.src, &pl.dst} {
		if e.iface != nil && !e.iface.FirstOf(false).IsValid() {
			pl.v6 = true
		}
	}
	// A peering end stands for the peer VPC's blocks of the path's family.
	for _, e := range []*end{&pl.src, &pl.dst} {
		if e.pcx != nil {
			e.open = slices.DeleteFunc(slices.Clone(e.open), func(b netip.Prefix) bool { return b.Addr().Is6() != pl.v6 })
		}
	}
}

// holder is the interface that holds a private address: the one VPC of
// the snapshot that has it, else the destination's VPC's.
func (pl *plan) holder(addr netip.Addr) *netview.NetInterface {
	switch ns := pl.s.InterfacesHolding(addr); len(ns) {
	case 0:
		return nil
	case 1:
		return ns[0]
	}
	if home := pl.dst.homeVPC(); home != nil {
		return pl.s.InterfaceAt(home.ID, addr)
	}
	return nil
}

// instanceInterface is the instance's interface that holds addr (a
// private address or the public address paired with one), or its primary
// interface.
func instanceInterface(s *netview.Snapshot, inst *network.Instance, addr netip.Addr) *netview.NetInterface {
	for _, id := range inst.NetworkInterfaces {
		n := s.Interface(id)
		if n == nil {
			continue
		}
		if !addr.IsValid() || n.Has(addr) {
			return n
		}
		if _, public := publicOwner(n, addr); public {
			return n
		}
	}
	return nil
}

// attachedVPC is the VPC an internet gateway is attached to, if the
// snapshot holds it.
func attachedVPC(s *netview.Snapshot, igw *network.InternetGateway) *netview.NetVPC {
	for _, a := range igw.Attachments {
		if v := s.VPC(a.VpcID); v != nil {
			return v
		}
	}
	return nil
}

// sourceAddress checks the address the source sends from. A source named
// by a public address alone is the internet, behind the destination VPC's
// internet gateway.
func (pl *plan) sourceAddress() *Result {
	src := &pl.src
	switch {
	case src.iface != nil && src.iface.Endpoint != nil:
		// An endpoint only answers: it initiates no connection.
		c := endpointComponent(src.iface.Endpoint)
		return failed(Explanation{ExplanationCode: VPCEIntraVPCTraffic, Component: c, VPCEndpoint: c, NetworkInterface: component(&src.iface.Meta, arnInterface)})
	case src.iface != nil:
		if a := pl.srcAddr(); a.IsValid() && !src.iface.Has(a) && src.iface.SourceDestCheck {
			return failed(Explanation{ExplanationCode: FilterAtSourceSrcAddr, NetworkInterface: component(&src.iface.Meta, arnInterface), Address: a.String()})
		}
		if !src.addr.IsValid() {
			if src.addr = src.iface.FirstOf(pl.v6); !src.addr.IsValid() {
				return failed(Explanation{ExplanationCode: NoPath, NetworkInterface: component(&src.iface.Meta, arnInterface)})
			}
		}
		if inst := src.iface.Instance; inst != nil && !inst.Running() {
			return failed(Explanation{ExplanationCode: BadState, Component: component(&inst.Meta, arnInstance), State: inst.State})
		}
	case src.dx != nil:
		return nil
	case src.vgw != nil:
		return pl.vgwAddress(src)
	case src.pcx != nil:
		// The zero Addr: witnesses in the peer VPC; but the witnesses stand
		// for an internet destination, so the source is one address.
		if src.addr = pl.srcAddr(); !src.addr.IsValid() && pl.dst.internet() && len(src.open) > 0 {
			src.addr = hostIn(src.open[0])
		}
	case src.igw != nil:
		src.addr = pl.srcAddr()
		if src.addr.IsValid() && !IsInternet(src.addr) {
			return failed(Explanation{ExplanationCode: IGWExpectsPublicAddr, Component: component(&src.igw.Meta, arnIGW), Address: src.addr.String()})
		}
	case IsInternet(src.addr):
		home := pl.dst.homeVPC()
		if home == nil {
			return failed(Explanation{ExplanationCode: NoSourceOrDestination, Address: src.addr.String()})
		}
		if src.igw, src.vpc = home.InternetGateway, home; src.igw == nil {
			return failed(Explanation{ExplanationCode: NoPath, VPC: vpcComponent(home), MissingComponent: "internet-gateway"})
		}
	default:
		return failed(Explanation{ExplanationCode: NoSourceOrDestination, Address: src.addr.String()})
	}
	return nil
}

// destinationAddress sets the address the packet is sent to. For an
// interface that is the address the filter at the source names, else the
// private address the packet is to reach (DestinationIP, or the primary
// address), or the public address paired with it when the source is on the
// internet.
func (pl *plan) destinationAddress() *Result {
	dst, q := &pl.dst, pl.q
	atSource := firstValid(q.FilterAtSource.DestinationAddress)
	switch {
	case dst.iface != nil && atSource.IsValid():
		if _, public := publicOwner(dst.iface, atSource); !dst.iface.Has(atSource) && !public {
			return failed(Explanation{ExplanationCode: FilterAtSourceDstAddr, NetworkInterface: component(&dst.iface.Meta, arnInterface), Address: atSource.String()})
		}
		dst.addr = atSource
	case dst.iface != nil:
		a := firstValid(q.DestinationIP, dst.iface.FirstOf(pl.v6))
		if !a.IsValid() {
			return failed(Explanation{ExplanationCode: NoPath, NetworkInterface: component(&dst.iface.Meta, arnInterface)})
		}
		if a.Is6() && dst.iface.Has(a) {
			// IPv6 addresses are the same inside and outside the VPC.
			dst.addr = a
			return nil
		}
		if _, public := publicOwner(dst.iface, a); public {
			dst.addr = a // a public address asked for is where the packet goes
			return nil
		}
		if !dst.iface.Has(a) {
			return failed(Explanation{ExplanationCode: FilterAtDestDstAddr, NetworkInterface: component(&dst.iface.Meta, arnInterface), Address: a.String()})
		}
		dst.addr = a
		if pl.src.internet() {
			pub, ok := dst.iface.PublicFor(a)
			if !ok {
				gw := component(&pl.src.igw.Meta, arnIGW)
				return failed(Explanation{ExplanationCode: IGWPrivateIPForIngress, Component: gw, InternetGateway: gw,
					NetworkInterface: component(&dst.iface.Meta, arnInterface), Address: a.String()})
			}
			dst.addr = pub
		}
	case dst.igw != nil:
		a := pl.dstAddr()
		if a.IsValid() && !IsInternet(a) {
			return failed(Explanation{ExplanationCode: IGWExpectsPublicAddr, Component: component(&dst.igw.Meta, arnIGW), Address: a.String()})
		}
		dst.addr = a
	case dst.gw != nil:
		return pl.serviceAddress(dst)
	case dst.vgw != nil && dst.dx == nil:
		return pl.vgwAddress(dst)
	case dst.pcx != nil:
		// As for a source behind a peering connection.
		if dst.addr = pl.dstAddr(); !dst.addr.IsValid() && pl.src.internet() && len(dst.open) > 0 {
			dst.addr = hostIn(dst.open[0])
		}
	}
	return nil
}

// resolveEndpoint makes an endpoint an end: a gateway endpoint stands for
// the service behind it, an interface endpoint for its interface in the
// source's zone (else its first). An endpoint is no source: it only
// answers.
func (pl *plan) resolveEndpoint(e *end, ep *netview.NetEndpoint) *Result {
	c := endpointComponent(ep)
	switch {
	case e == &pl.src:
		return failed(Explanation{ExplanationCode: VPCEIntraVPCTraffic, Component: c, VPCEndpoint: c})
	case ep.Type == privatelink.EndpointTypeGateway && ep.PrefixList != nil:
		e.gw, e.vpc = ep, ep.VPC
	case ep.Type == privatelink.EndpointTypeInterface:
		if e.iface = pl.endpointInterface(ep); e.iface == nil {
			return failed(Explanation{ExplanationCode: UnassociatedComponent, Component: c, VPCEndpoint: c})
		}
	default:
		return failed(Explanation{ExplanationCode: UnsupportedComponent, Component: c, VPCEndpoint: c})
	}
	return nil
}

// endpointInterface is the interface of an interface endpoint a path to
// it takes: the one in the source's zone, else its first; but one the
// component filters favour before the others.
func (pl *plan) endpointInterface(ep *netview.NetEndpoint) *netview.NetInterface {
	best, rank := ep.InterfaceFor(pl.srcZone), -2
	if best != nil {
		rank = pl.rank(best.ID)
	}
	for _, n := range ep.Interfaces {
		if r := pl.rank(n.ID); r > rank {
			best, rank = n, r
		}
	}
	return best
}

// serviceAddress is the address a packet to the service behind a gateway
// endpoint goes to: the one asked for, which its prefix list must hold,
// else the list's first.
func (pl *plan) serviceAddress(dst *end) *Result {
	list := dst.gw.PrefixList
	if a := pl.dstAddr(); a.IsValid() {
		if !list.Contains(a) {
			c := component(&list.Meta, arnPrefixList)
			return failed(Explanation{ExplanationCode: FilterAtDestDstAddr, PrefixList: c, VPCEndpoint: endpointComponent(dst.gw), Address: a.String()})
		}
		dst.addr = a
		return nil
	}
	for _, b := range list.Blocks {
		if b.Addr().Is4() {
			dst.addr = b.Masked().Addr().Next()
			return nil
		}
	}
	return failed(Explanation{ExplanationCode: UnsupportedComponent, VPCEndpoint: endpointComponent(dst.gw)})
}

// publicOwner is the private address a public address of the interface
// maps to.
func publicOwner(n *netview.NetInterface, public netip.Addr) (netip.Addr, bool) {
	for i, p := range n.Public {
		if p == public {
			return n.Addrs[i], true
		}
	}
	return netip.Addr{}, false
}
