package reach

import (
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
)

// maxRouteLookups bounds the route lookups of one direction: more means the
// route tables send the packet round a loop of middleboxes.
const maxRouteLookups = 32

// route sends a packet where a route table says: the most specific route
// that matches its destination (see cloud.NetRouteTable.Lookup). from is
// the subnet the packet leaves, nil for a gateway's edge table.
func (w *walker) route(rt *netview.NetRouteTable, vpc *netview.NetVPC, from *netview.NetSubnet, p packet) *arrival {
	if rt == nil {
		return w.block(Explanation{ExplanationCode: NoRouteToDestination, VPC: vpcComponent(vpc), Subnet: subnetComponent(from),
			Address: p.dst.String(), MissingComponent: "route-table"})
	}
	table := func() *Component { return component(&rt.Meta, arnRouteTable) }
	if w.routed++; w.routed > maxRouteLookups {
		return w.block(Explanation{ExplanationCode: VpcemuRoutingLoop, Component: table(), RouteTable: table(), VPC: vpcComponent(vpc)})
	}
	r, hidden := rt.Lookup(p.dst)
	if r == nil {
		return w.block(Explanation{ExplanationCode: NoRouteToDestination, Component: table(), RouteTable: table(),
			VPC: vpcComponent(vpc), Subnet: subnetComponent(from), Address: p.dst.String()})
	}
	w.add(hop{meta: &rt.Meta, arnType: arnRouteTable, route: r.Route})
	p.dstNet = narrow(p.dstNet, r.Block)
	steps := w.steps
	a := w.target(rt, r, vpc, from, p)
	if a == nil && hidden != nil && w.steps == steps && hidden.Target() != r.Target() && targetProblem[w.expl[len(w.expl)-1].ExplanationCode] {
		// The route or its target dropped the packet, and another route of
		// the table would have sent it elsewhere.
		w.expl = append(w.expl, hiddenRoute(table(), r, hidden))
	}
	return a
}

// target sends a packet to a route's target.
func (w *walker) target(rt *netview.NetRouteTable, r *netview.NetRoute, vpc *netview.NetVPC, from *netview.NetSubnet, p packet) *arrival {
	id := r.Target()
	if r.State != "active" {
		table := component(&rt.Meta, arnRouteTable)
		w.block(Explanation{ExplanationCode: BadStateRoute, Component: table, RouteTable: table,
			RouteTableRoute: tableRoute(r.Route), VPC: vpcComponent(vpc), State: r.State})
		if e := w.s.Endpoint(id); e != nil {
			// The endpoint the route targets is why the route is down.
			w.endpointAvailable(e)
		}
		return nil
	}
	if id == "local" {
		return w.deliver(vpc, from, p)
	}
	switch kind, _ := cloud.KindOfID(id); kind {
	case cloud.KindInternetGateway:
		return w.toInternet(w.s.InternetGateway(id), vpc, p)
	case cloud.KindEgressOnlyIGW:
		return w.toEgressOnly(w.s.EgressOnlyInternetGateway(id), id, vpc, p)
	case cloud.KindNATGateway:
		return w.natGateway(w.s.NATGateway(id), vpc, from, p)
	case cloud.KindVPCPeering:
		return w.peering(w.s.Peering(id), vpc, p)
	case cloud.KindNetworkInterface:
		return w.arrive(w.s.Interface(id), from, p)
	case cloud.KindVPCEndpoint:
		return w.toEndpoint(w.s.Endpoint(id), vpc, from, p)
	case cloud.KindVPNGateway:
		return w.toOnPremises(w.s.VPNGateway(id), id, vpc, p)
	}
	// Transit, local and carrier gateways and core
	// networks: not modelled yet.
	return w.block(Explanation{ExplanationCode: UnsupportedComponent, Component: unknown(id), RouteTable: component(&rt.Meta, arnRouteTable),
		RouteTableRoute: tableRoute(r.Route)})
}

// targetProblem are the codes of a route, or of its target itself, that
// drop a packet: another route might not have.
var targetProblem = map[Code]bool{
	BadStateRoute: true, BadState: true, UnsupportedComponent: true, VPCEGatewayEgressSourceRestriction: true, VPCEGatewayProtocolRestriction: true, NGWRequiresSourceInVPC: true, PCXRequiresAddressInVPCCIDR: true,
	IGWPublicIPForEgress: true, IGWDestinationNotRFC1918: true, IGWDestinationNotRFC6598: true, IGWNATReflection: true,
}

// hiddenRoute names the route the table would have taken but for the one
// that dropped the packet: a route for a wider block (MORE_SPECIFIC_ROUTE)
// or for the same block with a lower priority (HIGHER_PRIORITY_ROUTE).
func hiddenRoute(table *Component, used, hidden *netview.NetRoute) Explanation {
	code := MoreSpecificRoute
	if hidden.Block.Bits() == used.Block.Bits() {
		code = HigherPriorityRoute
	}
	return Explanation{ExplanationCode: code, Component: table, RouteTable: table, RouteTableRoute: tableRoute(hidden.Route),
		CIDRs: []string{used.Block.String()}}
}
