package reach

import (
	"net/netip"

	"github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// walker walks one packet to its destination, then its answer back,
// recording the hops. Each hop returns where the packet arrived, or nil
// once something dropped it (and explained why).
type walker struct {
	pl *plan
	s  *netview.Snapshot
	// goal is the end the packet is walking to: the destination, then the
	// source for the answer.
	goal *end
	back bool // walking the answer
	// trace records the headers the hops show, for a caller that wants the
	// path.
	trace bool
	path  []hop
	expl  []Explanation
	// headers are the packets the hops show, set once the walk of a
	// direction is over (see showHeaders).
	headers []headerSlot
	// steps counts the hops walked (recorded or not), so a route can tell
	// whether its target dropped the packet itself.
	steps int
	// tracked are the interfaces whose security groups admitted the
	// forward packet: security groups are stateful and let its answer
	// through whatever their rules say.
	tracked    []*netview.NetInterface
	trackedBuf [4]*netview.NetInterface
	// nats are the translations NAT gateways made on the way, which they
	// undo for the answer.
	nats []natEntry
	// routed counts route lookups, to stop a packet that loops.
	routed int
	// flows are the connections load balancers opened on the way, which
	// they take the answer back through.
	flows []lbFlow
}

// arrival is where a packet got to: an interface, or the internet beyond a
// gateway.
type arrival struct {
	iface *netview.NetInterface
	igw   *network.InternetGateway
	// eigw is the egress-only internet gateway an IPv6 packet left through
	// (in VPC edge), for the internet's answer to come back in by.
	eigw *network.EgressOnlyInternetGateway
	// gw is a gateway endpoint the packet reached the service behind.
	gw *netview.NetEndpoint
	// pcx is a peering connection the packet left VPC edge through (or
	// that a packet comes in to edge through, to depart from).
	pcx *network.VPCPeeringConnection
	// dx is the virtual interface a packet left VPC edge through to on
	// premises (or comes in to edge through, to depart from).
	dx *directconnect.OnPremises
	// vgw is a virtual private gateway end the packet left VPC edge
	// through (or comes in to edge through, to depart from).
	vgw  *network.VPNGateway
	edge *netview.NetVPC
	pkt  packet
	// via is the interface the packet was addressed to when a load
	// balancer behind it (an endpoint service's) took it on to iface.
	via *netview.NetInterface
}

// block records why the packet was dropped.
func (w *walker) block(e Explanation) *arrival {
	w.expl = append(w.expl, e)
	return nil
}

// run walks the path with witness standing for an internet end the query
// left open: the packet, then its answer. trace asks for the hops.
func (pl *plan) run(witness netip.Addr, trace bool) Result {
	w := &walker{pl: pl, s: pl.s, goal: &pl.dst, trace: trace}
	w.tracked = w.trackedBuf[:0]
	if trace {
		w.path = make([]hop, 0, 24)
	}
	from := arrival{iface: pl.src.iface, igw: pl.src.igw, pcx: pl.src.pcx, dx: pl.src.dx, vgw: pl.src.vgwEnd(), edge: pl.src.vpc}
	a := w.reach(w.depart(from, pl.src.inst, pl.packet(witness)))
	w.showHeaders()
	forward := w.path
	if a == nil {
		return pl.filterComponents(w.result(forward, nil, false))
	}
	w.path, w.back, w.goal = nil, true, &pl.src
	if trace {
		w.path = make([]hop, 0, 24)
	}
	var inst *network.Instance
	switch {
	case a.via != nil && a.iface != nil:
		inst = a.iface.Instance
	case a.iface == pl.dst.iface:
		inst = pl.dst.inst
	}
	r := w.reach(w.depart(*a, inst, a.pkt.reversed()))
	w.showHeaders()
	return pl.filterComponents(w.result(forward, w.path, r != nil))
}

// result is what the walk found, its hops rendered when traced.
func (w *walker) result(forward, back []hop, found bool) Result {
	r := Result{NetworkPathFound: found, Explanations: w.expl}
	if w.trace {
		r.ForwardPathComponents, r.ReturnPathComponents = render(forward), render(back)
	}
	return r
}

// packet is the packet the source sends.
func (pl *plan) packet(witness netip.Addr) packet {
	p := packet{proto: pl.proto, src: pl.src.addr, dst: pl.dst.addr, srcPorts: pl.srcPorts, dstPorts: pl.dstPorts}
	if !p.src.IsValid() {
		p.src, p.srcNet = witness, pl.openBlocks(&pl.src)
	}
	if !p.dst.IsValid() {
		p.dst, p.dstNet = witness, pl.openBlocks(&pl.dst)
	}
	return p
}

// depart sends a packet from where an end is (a: the source, or where the
// packet arrived for the answer): out of an interface (after the hops that
// show the instance, or the endpoint, and the interface), in from the
// internet or a peering connection, or back from the service behind a
// gateway endpoint.
func (w *walker) depart(a arrival, inst *network.Instance, p packet) *arrival {
	n := a.iface
	switch {
	case a.igw != nil:
		return w.fromInternet(a.igw, p)
	case a.eigw != nil:
		return w.fromEgressOnly(a.eigw, a.edge, p)
	case a.gw != nil:
		return w.fromGatewayEndpoint(a.gw, p)
	case a.pcx != nil:
		return w.fromPeering(a.pcx, a.edge, p)
	case a.dx != nil:
		return w.fromOnPremises(a.dx, a.edge, p)
	case a.vgw != nil:
		return w.fromVGW(a.vgw, a.edge, p)
	case n.Endpoint != nil:
		w.add(endpointHop(n.Endpoint))
		w.show(false, p)
	}
	if inst != nil {
		w.add(hop{meta: &inst.Meta, arnType: arnInstance})
		w.show(false, p)
	}
	w.add(interfaceHop(n))
	if inst == nil {
		w.show(false, p)
	}
	return w.send(n, p)
}

// reach checks that a packet arrived at the goal, as the filter at the
// destination describes it, and adds the goal's last hop.
func (w *walker) reach(a *arrival) *arrival {
	if a == nil {
		return nil
	}
	if !w.arrivedAtGoal(a) {
		return w.block(Explanation{ExplanationCode: NoPath, Address: a.pkt.dst.String()})
	}
	if !w.back && !w.filterAtDestination(&a.pkt) {
		return nil
	}
	if a.iface == nil {
		// The gateway's hop shows the packet going out.
		if w.trace {
			w.headers[len(w.headers)-1].p = a.pkt
		}
		return a
	}
	inst := w.goal.inst
	if a.via != nil {
		inst = a.iface.Instance
	}
	if inst != nil {
		w.add(hop{meta: &inst.Meta, arnType: arnInstance})
	}
	w.show(true, a.pkt)
	return a
}

// arrivedAtGoal reports whether the packet got where it was going: the
// interface, gateway or gateway endpoint named (an interface endpoint's
// service's target counts as the endpoint), the interface that holds the
// address asked for, or for an address nothing in the snapshot holds, the
// internet or the service behind a gateway endpoint whose prefix list
// holds it.
func (w *walker) arrivedAtGoal(a *arrival) bool {
	g := w.goal
	switch {
	case g.iface != nil:
		return a.iface == g.iface || a.via != nil && a.via == g.iface
	case g.igw != nil:
		// An IPv6 answer may leave by the VPC's egress-only gateway: it
		// reaches the same internet.
		return a.igw == g.igw || a.eigw != nil && g.addr.Is6() && a.edge == g.vpc
	case g.gw != nil:
		return a.gw == g.gw
	case g.pcx != nil:
		return a.pcx == g.pcx
	case g.dx != nil:
		return a.dx == g.dx
	case g.vgw != nil:
		return a.vgw == g.vgw
	case a.dx != nil:
		// An address no end names, out on premises.
		return true
	case a.iface != nil:
		return a.iface.Has(g.addr) || a.via != nil && a.via.Has(g.addr)
	case a.gw != nil:
		return a.gw.PrefixList != nil && a.gw.PrefixList.Contains(g.addr)
	}
	if g.addr.Is6() {
		// An IPv6 address no interface of the snapshot holds is out on the
		// internet, beyond either kind of gateway.
		return (a.igw != nil || a.eigw != nil) && len(w.s.InterfacesHolding(g.addr)) == 0
	}
	return a.igw != nil && w.s.InterfaceWithPublicIP(g.addr) == nil
}

// filterAtDestination narrows the packet to the query's filter at the
// destination, or explains why it cannot match.
func (w *walker) filterAtDestination(p *packet) bool {
	f := w.pl.q.FilterAtDestination
	miss := func(code Code, e Explanation) bool {
		e.ExplanationCode = code
		w.block(e)
		return false
	}
	if a := f.SourceAddress; a.IsValid() && p.src != a.Unmap() {
		return miss(FilterAtDestSrcAddr, Explanation{Address: p.src.String()})
	}
	if a := f.DestinationAddress; a.IsValid() && p.dst != a.Unmap() {
		return miss(FilterAtDestDstAddr, Explanation{Address: p.dst.String()})
	}
	if p.proto.IsICMP() {
		return true
	}
	if r := f.SourcePortRange; r != nil {
		if p.srcPorts = p.srcPorts.within(r.From, r.To); len(p.srcPorts) == 0 {
			return miss(FilterAtDestSrcPorts, Explanation{PortRanges: []PortRange{*r}})
		}
	}
	if r := f.DestinationPortRange; r != nil {
		if p.dstPorts = p.dstPorts.within(r.From, r.To); len(p.dstPorts) == 0 {
			return miss(FilterAtDestDstPorts, Explanation{PortRanges: []PortRange{*r}})
		}
	}
	return true
}

// send puts a packet on the wire from an interface: its security groups'
// outbound rules, then out of its subnet.
func (w *walker) send(from *netview.NetInterface, p packet) *arrival {
	if !w.securityGroups(from, true, &p) {
		return nil
	}
	if f := w.preservedFlow(from, p); f != nil {
		return w.backThroughNode(f, from.Subnet, p)
	}
	return w.leave(from.Subnet, from, p)
}

// leave takes a packet out of a subnet. Traffic within a subnet goes
// straight to its interface: no network ACL or route table applies to it.
func (w *walker) leave(sub *netview.NetSubnet, from *netview.NetInterface, p packet) *arrival {
	if sub.Contains(p.dst) {
		if to := w.s.InterfaceAt(sub.VpcID, p.dst); to != nil && to != from {
			return w.arrive(to, sub, p)
		}
	}
	if !w.acl(sub, true, &p) {
		return nil
	}
	return w.route(sub.RouteTable, sub.VPC, sub, p)
}

// deliver hands a packet to the interface of a VPC that holds its
// destination address.
func (w *walker) deliver(vpc *netview.NetVPC, from *netview.NetSubnet, p packet) *arrival {
	to := w.s.InterfaceAt(vpc.ID, p.dst)
	if to == nil {
		sub := vpc.SubnetOf(p.dst)
		at := vpcComponent(vpc)
		if sub != nil {
			at = subnetComponent(sub)
		}
		return w.block(Explanation{ExplanationCode: NoPossibleDestination, Component: at, VPC: vpcComponent(vpc),
			Subnet: subnetComponent(sub), Address: p.dst.String()})
	}
	return w.arrive(to, from, p)
}

// arrive takes a packet into an interface from subnet from (nil: from
// outside the VPC): through the interface's subnet's network ACL unless it
// comes from that subnet, then its security groups. An interface the
// packet is not addressed to is a middlebox a route sent it to: it passes
// the packet on, if its source/destination check lets it.
func (w *walker) arrive(to *netview.NetInterface, from *netview.NetSubnet, p packet) *arrival {
	if from == nil || from.ID != to.SubnetID {
		if !w.acl(to.Subnet, false, &p) {
			return nil
		}
	}
	if to.NAT != nil {
		return w.natReturn(to, p)
	}
	if to.LoadBalancer != nil {
		if f := w.flow(to, p); f != nil && f.geneve {
			return &arrival{iface: to, pkt: p}
		} else if f != nil {
			return w.lbReturn(f, p)
		}
	}
	if !w.securityGroups(to, false, &p) {
		return nil
	}
	if to.Endpoint != nil && to.Has(p.dst) {
		return w.intoEndpoint(to, p)
	}
	if lb := to.LoadBalancer; lb != nil && lb.Type == elb.LBNetwork && to.Has(p.dst) && !w.back {
		return w.intoLoadBalancer(to, p)
	}
	if inst := to.Instance; inst != nil && !inst.Running() {
		c := component(&inst.Meta, arnInstance)
		return w.block(Explanation{ExplanationCode: BadState, Component: c, State: inst.State})
	}
	forwarding := !to.Has(p.dst)
	if forwarding && to.SourceDestCheck {
		c := component(&to.Meta, arnInterface)
		return w.block(Explanation{ExplanationCode: ENISourceDestCheckRestriction, Component: c, NetworkInterface: c,
			Subnet: subnetComponent(to.Subnet), Address: p.dst.String()})
	}
	w.add(interfaceHop(to))
	if forwarding {
		return w.send(to, p)
	}
	return &arrival{iface: to, pkt: p}
}
