package reach

// On premises as an end of a path, behind a private Direct Connect
// virtual interface (Query.Via): the VIF (its state and BGP sessions), its
// Direct Connect gateway and the gateway's association with the VPC's
// virtual private gateway (whose allowed prefixes decide which VPC CIDRs
// on premises has a route to), then the VGW into the VPC; back out by the
// subnet's route to the VGW, which forwards only to prefixes on premises
// advertises. No edge-to-edge routing: on premises reaches only addresses
// in the VPC's CIDRs (interfaces, interface endpoints among them), never
// its internet gateway, NAT gateways, gateway endpoints or peerings.

import (
	"net/netip"
	"slices"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// onPremisesSide is the end behind Query.Via: the source when the query
// names it by address alone, else the destination when it does; nil
// without Via, or when both ends are named by id.
func (pl *plan) onPremisesSide() *end {
	switch {
	case pl.q.Via == "":
		return nil
	case pl.q.Source == "":
		return &pl.src
	case pl.q.Destination == "":
		return &pl.dst
	}
	return nil
}

// onPremisesEnd resolves the on-premises end: the VIF named, the VPC of
// the other end, that VPC's virtual private gateway and the VIF's link to
// it.
func (pl *plan) onPremisesEnd() *Result {
	if pl.q.Via == "" {
		return nil
	}
	id := arn.ResourceID(pl.q.Via)
	e := pl.onPremisesSide()
	if e == nil || !e.addr.IsValid() {
		return failed(Explanation{ExplanationCode: NoSourceOrDestination, Component: unknown(id)})
	}
	o := pl.s.OnPremises(id)
	if o == nil {
		return failed(Explanation{ExplanationCode: NoSourceOrDestination, Component: unknown(id)})
	}
	other := &pl.dst
	if e == &pl.dst {
		other = &pl.src
	}
	home := other.homeVPC()
	if home == nil {
		home = linkedVPC(pl.s, o, other.addr)
	}
	switch {
	case home == nil:
		return failed(Explanation{ExplanationCode: NoSourceOrDestination, Component: vifComponent(o)})
	case e.addr.Is6():
		// Virtual private gateways carry no IPv6 routes into route tables.
		return failed(Explanation{ExplanationCode: NoPath, Component: vifComponent(o), Address: e.addr.String()})
	case home.Contains(e.addr):
		return failed(Explanation{ExplanationCode: NoPath, Component: vifComponent(o), VPC: vpcComponent(home), Address: e.addr.String()})
	case home.VPNGateway == nil:
		return failed(Explanation{ExplanationCode: NoPath, Component: vifComponent(o), VPC: vpcComponent(home), MissingComponent: "vpn-gateway"})
	}
	e.dx, e.vpc, e.vgw = o, home, home.VPNGateway
	if e.link = o.Link(e.vgw.ID); e.link == nil {
		// The VIF's Direct Connect gateway is not associated with the
		// VPC's gateway (or the VIF is attached to another one).
		return failed(Explanation{ExplanationCode: NoPath, Component: vifComponent(o), VPNGateway: vgwComponent(e.vgw), VPC: vpcComponent(home),
			MissingComponent: "direct-connect-gateway-association"})
	}
	return nil
}

// linkedVPC is the VPC, behind one of the VIF's gateways, that holds
// addr; else the first such VPC (for an end named by an address outside
// them all).
func linkedVPC(s *netview.Snapshot, o *directconnect.OnPremises, addr netip.Addr) *netview.NetVPC {
	var first *netview.NetVPC
	for _, l := range o.Links {
		g := s.VPNGateway(l.VGWID)
		if g == nil {
			continue
		}
		v := s.VPC(g.AttachedVPC())
		if v != nil && v.Contains(addr) {
			return v
		}
		if first == nil {
			first = v
		}
	}
	return first
}

func vifComponent(o *directconnect.OnPremises) *Component {
	return &Component{ID: o.VIF.ID, ARN: o.VIF.ARN(), Name: o.VIF.Name}
}

// dxGatewayComponent names the VIF's Direct Connect gateway (its owner's:
// a VIF attaches to its owner's gateways).
func dxGatewayComponent(o *directconnect.OnPremises) *Component {
	return &Component{ID: o.VIF.GatewayID, ARN: arn.New("directconnect", "", o.VIF.Owner, "dx-gateway/"+o.VIF.GatewayID)}
}

func vgwComponent(g *network.VPNGateway) *Component { return component(&g.Meta, arnVGW) }

// vifDown explains that a VIF carries nothing: it is not available, or
// none of its BGP sessions is up.
func (w *walker) vifDown(o *directconnect.OnPremises) *arrival {
	state := o.VIF.State
	if state == directconnect.StateAvailable {
		state = "bgp-down"
	}
	return w.block(Explanation{ExplanationCode: VpcemuDXVIFDown, Component: vifComponent(o), State: state})
}

// fromOnPremises brings a packet from on premises over a VIF into VPC
// into: the path's source is on premises, or the answer comes back from a
// destination that is. On premises routes to the VPC only the CIDRs the
// association advertises, and nothing beyond them.
func (w *walker) fromOnPremises(o *directconnect.OnPremises, into *netview.NetVPC, p packet) *arrival {
	w.add(hop{named: vifComponent(o)})
	w.show(false, p)
	if !o.VIF.Up() {
		return w.vifDown(o)
	}
	vgw := into.VPNGateway
	link := o.Link(vgw.ID)
	if link.AssociationID != "" {
		w.add(hop{named: dxGatewayComponent(o)})
	}
	i := slices.IndexFunc(into.Blocks, func(b netip.Prefix) bool { return b.Contains(p.dst) })
	if i < 0 {
		return w.block(Explanation{ExplanationCode: NoRouteToDestination, Component: vifComponent(o), VPNGateway: vgwComponent(vgw),
			VPC: vpcComponent(into), CIDRs: prefixStrings(into.Blocks), Address: p.dst.String()})
	}
	block := into.Blocks[i].String()
	if link.AssociationID != "" && len(directconnect.Advertised(link.AllowedPrefixes, []string{block})) == 0 {
		return w.block(Explanation{ExplanationCode: VpcemuDXPrefixNotAllowed, Component: &Component{ID: link.AssociationID},
			VPNGateway: vgwComponent(vgw), VPC: vpcComponent(into), CIDRs: link.AllowedPrefixes, Address: p.dst.String()})
	}
	w.add(hop{meta: &vgw.Meta, arnType: arnVGW, vpc: into})
	w.show(false, p)
	if rt := w.s.EdgeRouteTable(vgw.ID); rt != nil {
		return w.route(rt, into, nil, p)
	}
	return w.deliver(into, nil, p)
}

// toOnPremises takes a packet out through a virtual private gateway a
// route sends it to, over a VIF behind the gateway that is up and over
// which on premises advertises the destination: the path's, or the first
// in id order. The gateway forwards only to prefixes it learned.
func (w *walker) toOnPremises(vgw *network.VPNGateway, id string, vpc *netview.NetVPC, p packet) *arrival {
	if vgw == nil || vgw.AttachedVPC() != vpc.ID {
		return w.block(Explanation{ExplanationCode: BadState, Component: unknown(id), VPNGateway: unknown(id), VPC: vpcComponent(vpc), State: "detached"})
	}
	w.add(hop{meta: &vgw.Meta, arnType: arnVGW, vpc: vpc})
	if w.goal.vgwEnd() == vgw {
		// The gateway is the path's end: what lies behind it is not
		// analysed.
		w.show(false, p)
		return &arrival{vgw: vgw, edge: vpc, pkt: p}
	}
	candidates := w.s.OnPremisesBehind(vgw.ID)
	if g := w.goal.dx; g != nil {
		candidates = nil
		if g.Link(vgw.ID) != nil {
			if !g.VIF.Up() {
				return w.vifDown(g)
			}
			candidates = append(candidates, g)
		}
	}
	for _, o := range candidates {
		if !o.VIF.Up() || !slices.ContainsFunc(o.VIF.Advertised, func(s string) bool {
			b, err := netip.ParsePrefix(s)
			return err == nil && b.Contains(p.dst)
		}) {
			continue
		}
		if o.Link(vgw.ID).AssociationID != "" {
			w.add(hop{named: dxGatewayComponent(o)})
		}
		w.add(hop{named: vifComponent(o)})
		w.show(false, p)
		return &arrival{dx: o, edge: vpc, pkt: p}
	}
	gw := vgwComponent(vgw)
	return w.block(Explanation{ExplanationCode: NoRouteToDestination, Component: gw, VPNGateway: gw, VPC: vpcComponent(vpc), Address: p.dst.String()})
}

// A virtual private gateway as an end, as AWS's analyzer takes it: a
// destination is the gateway itself, reached by a route of the source's
// subnet; a source is traffic from behind it (on premises, over Direct
// Connect or VPN, which the analysis does not look into) coming into its
// VPC. The address behind it is the one asked for, else one of the
// routes to the gateway.

// vgwEnd is the end's virtual private gateway when the end is the gateway
// itself (not on premises behind a VIF), else nil.
func (e *end) vgwEnd() *network.VPNGateway {
	if e.dx != nil {
		return nil
	}
	return e.vgw
}

// resolveVGW makes a virtual private gateway an end, in the VPC it is
// attached to.
func (pl *plan) resolveVGW(e *end, id string, addr netip.Addr) *Result {
	if e.vgw = pl.s.VPNGateway(id); e.vgw == nil {
		return failed(Explanation{ExplanationCode: NoSourceOrDestination, Component: unknown(id)})
	}
	if e.vpc = pl.s.VPC(e.vgw.AttachedVPC()); e.vpc == nil {
		c := vgwComponent(e.vgw)
		return failed(Explanation{ExplanationCode: UnassociatedComponent, Component: c, VPNGateway: c})
	}
	e.addr = addr
	return nil
}

// vgwAddress settles the address behind a virtual private gateway end:
// the one asked for, outside the gateway's VPC; else the first address of
// the first route to the gateway in the other end's subnet (or the VPC's
// main table).
func (pl *plan) vgwAddress(e *end) *Result {
	c := vgwComponent(e.vgw)
	if e.addr.IsValid() {
		if e.vpc.Contains(e.addr) || e.addr.Is6() {
			return failed(Explanation{ExplanationCode: NoPath, Component: c, VPNGateway: c, Address: e.addr.String()})
		}
		return nil
	}
	other := &pl.src
	if e == &pl.src {
		other = &pl.dst
	}
	rt := e.vpc.MainTable
	if n := other.iface; n != nil && n.Subnet != nil && n.Subnet.RouteTable != nil {
		rt = n.Subnet.RouteTable
	}
	if rt != nil {
		for _, r := range rt.Routes() {
			if r.Target() == e.vgw.ID && r.Block.Addr().Is4() {
				e.addr = hostIn(r.Block)
				return nil
			}
		}
	}
	return failed(Explanation{ExplanationCode: NoRouteToDestination, Component: c, VPNGateway: c, VPC: vpcComponent(e.vpc)})
}

// fromVGW brings a packet from behind a virtual private gateway that is
// an end of the path into its VPC: only to the VPC's own addresses.
func (w *walker) fromVGW(g *network.VPNGateway, into *netview.NetVPC, p packet) *arrival {
	w.add(hop{meta: &g.Meta, arnType: arnVGW, vpc: into})
	w.show(false, p)
	if !into.Contains(p.dst) {
		c := vgwComponent(g)
		return w.block(Explanation{ExplanationCode: NoRouteToDestination, Component: c, VPNGateway: c, VPC: vpcComponent(into),
			CIDRs: prefixStrings(into.Blocks), Address: p.dst.String()})
	}
	if rt := w.s.EdgeRouteTable(g.ID); rt != nil {
		return w.route(rt, into, nil, p)
	}
	return w.deliver(into, nil, p)
}
