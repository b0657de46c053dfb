package reach

// VPC endpoints on a path: gateway endpoints (a prefix-list route to the
// service behind them), interface endpoints (an interface of the VPC; for
// an account's endpoint service, its Network Load Balancer and a target in
// the provider's VPC) and Gateway Load Balancer endpoints (a route target
// that takes the packet through the service's appliances and back).

import (
	"net/netip"

	"github.com/vpcemu/vpcemu/internal/awsservices"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/ipproto"
)

func endpointHop(e *netview.NetEndpoint) hop {
	return hop{meta: &e.Meta, arnType: arnEndpoint, endpoint: e}
}

// endpointAvailable reports whether an endpoint carries traffic: it must
// be available (not waiting for the provider, rejected, deleted…).
func (w *walker) endpointAvailable(e *netview.NetEndpoint) bool {
	if e.State == privatelink.VPCEndpointAvailable {
		return true
	}
	c := endpointComponent(e)
	w.block(Explanation{ExplanationCode: BadState, Component: c, VPCEndpoint: c, State: e.State, VPC: vpcComponent(e.VPC)})
	return false
}

// toEndpoint sends a packet to the endpoint a route targets: a gateway
// endpoint or a Gateway Load Balancer endpoint.
func (w *walker) toEndpoint(e *netview.NetEndpoint, vpc *netview.NetVPC, from *netview.NetSubnet, p packet) *arrival {
	switch e.Type {
	case privatelink.EndpointTypeGateway:
		return w.gatewayEndpoint(e, vpc, p)
	case privatelink.EndpointTypeGatewayLoadBalancer:
		return w.gwlbEndpoint(e, from, p)
	}
	c := endpointComponent(e)
	return w.block(Explanation{ExplanationCode: UnsupportedComponent, Component: c, VPCEndpoint: c})
}

// gatewayEndpoint takes a packet to the service behind a gateway endpoint:
// TCP (or a ping) from an address of the endpoint's VPC only, so nothing
// reaches it across a peering connection, a VPN or from the internet.
func (w *walker) gatewayEndpoint(e *netview.NetEndpoint, vpc *netview.NetVPC, p packet) *arrival {
	c := func() *Component { return endpointComponent(e) }
	switch {
	case !w.endpointAvailable(e):
		return nil
	case !vpc.Contains(p.src):
		return w.block(Explanation{ExplanationCode: VPCEGatewayEgressSourceRestriction, Component: c(), VPCEndpoint: c(),
			VPC: vpcComponent(vpc), CIDRs: prefixStrings(vpc.Blocks), Address: p.src.String()})
	case p.proto != ipproto.TCP && p.proto != ipproto.ICMP:
		return w.block(Explanation{ExplanationCode: VPCEGatewayProtocolRestriction, Component: c(), VPCEndpoint: c(),
			Protocols: []string{p.proto.Name()}})
	}
	w.add(endpointHop(e))
	w.show(true, p)
	w.show(false, p)
	if !w.endpointPolicy(e, p) {
		return nil
	}
	return &arrival{gw: e, pkt: p}
}

// fromGatewayEndpoint brings the service's answer back into the VPC.
func (w *walker) fromGatewayEndpoint(e *netview.NetEndpoint, p packet) *arrival {
	w.add(endpointHop(e))
	w.show(false, p)
	return w.deliver(e.VPC, nil, p)
}

// intoEndpoint takes a packet addressed to an interface endpoint's
// interface (which its security groups admitted) to the service: an AWS
// service ends the path there, an account's service goes on through its
// load balancer.
func (w *walker) intoEndpoint(n *netview.NetInterface, p packet) *arrival {
	e := n.Endpoint
	c := func() *Component { return endpointComponent(e) }
	switch {
	case !w.endpointAvailable(e):
		return nil
	case e.Type != privatelink.EndpointTypeInterface:
		// A Gateway Load Balancer endpoint is a route target, not an
		// address to send to.
		return w.block(Explanation{ExplanationCode: NoPossibleDestination, Component: c(), VPCEndpoint: c(), Address: p.dst.String()})
	case p.proto != ipproto.TCP:
		return w.block(Explanation{ExplanationCode: ProtocolRestriction, Component: c(), VPCEndpoint: c(), Protocols: []string{p.proto.Name()}})
	}
	w.add(interfaceHop(n))
	w.add(endpointHop(e))
	if !w.endpointPolicy(e, p) {
		return nil
	}
	switch {
	case e.ServiceOwner == awsservices.Owner:
		return &arrival{iface: n, pkt: p}
	case e.Service == nil:
		// The provider's account or region is not in the snapshot.
		return w.block(Explanation{ExplanationCode: NoPossibleDestination, Component: unknown(e.ServiceID), VPCEndpoint: c(),
			ComponentAccount: e.ServiceOwner, ComponentRegion: e.ServiceRegionName()})
	}
	a := w.privateLink(n, e, p)
	if a != nil {
		a.via = n
	}
	return a
}

// privateLink takes a packet from an endpoint's interface to the service's
// Network Load Balancer in the interface's zone.
func (w *walker) privateLink(n *netview.NetInterface, e *netview.NetEndpoint, p packet) *arrival {
	svc := e.Service
	if svc.State != privatelink.ServiceAvailable {
		c := component(&svc.Meta, arnService)
		return w.block(Explanation{ExplanationCode: BadState, Component: c, VPCEndpoint: endpointComponent(e), State: svc.State})
	}
	zone := n.Subnet.AvailabilityZone
	lb, lbn := w.serviceLB(svc, zone)
	if lb == nil {
		return w.notInstalled(svc, e, zone)
	}
	if lb.EnforcePrivateLinkInbound == "on" && !w.securityGroups(lbn, false, &p) {
		// The balancer's groups judge PrivateLink traffic by the client's
		// address, not the endpoint's.
		return nil
	}
	return w.loadBalance(lb, lbn, zone, n, p)
}

func (w *walker) notInstalled(svc *privatelink.ServiceConfiguration, e *netview.NetEndpoint, zone string) *arrival {
	return w.block(Explanation{ExplanationCode: VPCEServiceNotInstalledInAZ, Component: component(&svc.Meta, arnService),
		VPCEndpoint: endpointComponent(e), AvailabilityZones: []string{zone}})
}

// serviceLB is the service's load balancer with a node in a zone, and
// that node's interface.
func (w *walker) serviceLB(svc *privatelink.ServiceConfiguration, zone string) (*elb.LoadBalancer, *netview.NetInterface) {
	for _, arn := range append(svc.NetworkLoadBalancerARNs, svc.GatewayLoadBalancerARNs...) {
		lb := w.s.LoadBalancer(arn)
		if lb == nil {
			continue
		}
		for _, z := range lb.Zones {
			if n := w.s.Interface(z.InterfaceID); z.ZoneName == zone && n != nil && len(n.Addrs) > 0 {
				return lb, n
			}
		}
	}
	return nil, nil
}

// lbFlow is a connection a load balancer opened on the way: the answer
// goes back through it, and back out of the endpoint interface the packet
// came in through. A Gateway Load Balancer's flow waits for its appliance
// to send the packet back (geneve).
type lbFlow struct {
	iface    *netview.NetInterface // the load balancer's node
	lb       *elb.LoadBalancer
	listener *elb.Listener
	client   packet                // the packet as the load balancer took it
	entry    *netview.NetInterface // the endpoint interface it came in through (nil: straight to the node)
	geneve   bool
	// preserved: the target saw the client's address, and answers it.
	preserved bool
	target    *netview.NetInterface
}

// flow is the flow a packet arriving at a load balancer's node belongs to:
// an appliance sending back what its Gateway Load Balancer sent it, or the
// answer to a connection the node opened.
func (w *walker) flow(n *netview.NetInterface, p packet) *lbFlow {
	for i := len(w.flows) - 1; i >= 0; i-- {
		f := &w.flows[i]
		if f.iface != n {
			continue
		}
		if f.preserved && w.back && p.dst == f.client.src {
			return f
		}
		if n.Addrs[0] != p.dst {
			continue
		}
		if f.geneve && p.proto == ipproto.UDP || !f.geneve && w.back {
			return f
		}
	}
	return nil
}

// loadBalance takes a packet through a Network Load Balancer's node: a
// listener on its port forwards it to a target group, which sends it on,
// from the node's address, to a registered target in the node's zone (or
// any zone, with cross-zone load balancing). A client straight to the node
// (no entry interface) keeps its own address when the group preserves it;
// PrivateLink never preserves it.
func (w *walker) loadBalance(lb *elb.LoadBalancer, lbn *netview.NetInterface, zone string, entry *netview.NetInterface, p packet) *arrival {
	lc := func() *Component { return lbComponent(lb) }
	l := w.listenerFor(lb, p)
	if l == nil {
		e := Explanation{ExplanationCode: ELBv2ListenerPortRestriction, Component: lc(), LoadBalancerARN: lb.ID, PortRanges: p.dstPorts.ranges()}
		if port, ok := p.dstPorts.port(); ok {
			e.LoadBalancerListenerPort = port
		}
		return w.block(e)
	}
	tg, t := w.targetFor(lb, l, zone)
	if t == nil {
		return nil
	}
	in := p
	in.dstPorts = single(int(l.Port))
	out := packet{proto: p.proto, src: lbn.Addrs[0], dst: t.addr, srcPorts: ephemeralPorts, dstPorts: single(t.port)}
	preserved := entry == nil && tg.PreservesClientIP()
	if preserved && t.iface.Has(in.src) {
		// A target cannot reach itself through its own load balancer
		// while the group preserves its address.
		return w.block(Explanation{ExplanationCode: ELBv2SourceAddressPreservation, Component: tgComponent(tg), LoadBalancerARN: lb.ID,
			LoadBalancerTargetGroup: tgComponent(tg), Address: in.src.String()})
	}
	if preserved {
		out.src, out.srcNet, out.srcPorts = in.src, in.srcNet, in.srcPorts
	}
	w.add(hop{lb: lb, listener: l, subnet: lbn.Subnet, vpc: lbn.Subnet.VPC})
	w.show(true, in)
	w.add(hop{tg: tg})
	w.show(false, out)
	w.flows = append(w.flows, lbFlow{iface: lbn, lb: lb, listener: l, client: in, entry: entry, preserved: preserved, target: t.iface})
	return w.send(lbn, out)
}

// lbReturn takes the answer back through the load balancer that opened
// the flow, and out of the endpoint interface the packet came in through
// (or the node's own, for a client straight to it).
func (w *walker) lbReturn(f *lbFlow, p packet) *arrival {
	in := p
	back := f.client.reversed()
	p.src, p.srcNet, p.srcPorts = back.src, back.srcNet, back.srcPorts
	p.dst, p.dstNet, p.dstPorts = back.dst, back.dstNet, back.dstPorts
	w.addTranslation(hop{lb: f.lb, listener: f.listener, subnet: f.iface.Subnet, vpc: f.iface.Subnet.VPC}, in, p)
	if f.entry == nil {
		return w.send(f.iface, p)
	}
	w.add(endpointHop(f.entry.Endpoint))
	w.add(interfaceHop(f.entry))
	return w.send(f.entry, p)
}

// listenerFor is the load balancer's listener for the packet's protocol
// and (first) port.
func (w *walker) listenerFor(lb *elb.LoadBalancer, p packet) *elb.Listener {
	for _, l := range w.s.Listeners(lb.ID) {
		if listenerCarries(l.Protocol, p.proto) && len(p.dstPorts.within(int(l.Port), int(l.Port))) > 0 {
			return l
		}
	}
	return nil
}

// listenerCarries reports whether a Network Load Balancer listener's
// protocol carries an IP protocol.
func listenerCarries(listener string, proto ipproto.Proto) bool {
	switch listener {
	case "TCP", "TLS":
		return proto == ipproto.TCP
	case "UDP":
		return proto == ipproto.UDP
	case "TCP_UDP":
		return proto == ipproto.TCP || proto == ipproto.UDP
	}
	return false
}

// lbTarget is a registered target as a path reaches it.
type lbTarget struct {
	elb.Target
	iface *netview.NetInterface
	addr  netip.Addr
	port  int
}

// targetFor is the listener's target group and the target it sends a
// packet from a node in zone to, or explains why there is none.
func (w *walker) targetFor(lb *elb.LoadBalancer, l *elb.Listener, zone string) (*elb.TargetGroup, *lbTarget) {
	tg := w.forwardGroup(l)
	if tg == nil {
		w.block(Explanation{ExplanationCode: ELBv2ListenerHasNoTG, Component: lbComponent(lb), LoadBalancerARN: lb.ID,
			ElasticLoadBalancerListener: component(&l.Meta, arnELB), LoadBalancerListenerPort: int(l.Port)})
		return nil, nil
	}
	if t := w.pickTarget(lb, tg, zone); t != nil {
		return tg, t
	}
	w.block(Explanation{ExplanationCode: ELBv2NoTargetsInAZ, Component: lbComponent(lb), LoadBalancerARN: lb.ID,
		LoadBalancerTargetGroup: tgComponent(tg), LoadBalancerTargetGroups: []Component{*tgComponent(tg)}, AvailabilityZones: []string{zone}})
	return nil, nil
}

// forwardGroup is the target group a listener's forward action sends to
// (the first of weight above zero, but first one the component filters
// favour).
func (w *walker) forwardGroup(l *elb.Listener) *elb.TargetGroup {
	var best *elb.TargetGroup
	bestRank := 0
	for _, a := range l.Actions {
		for _, g := range a.ForwardGroups {
			tg := w.s.TargetGroup(g.ARN)
			if tg == nil || g.Weight != nil && *g.Weight <= 0 {
				continue
			}
			if rank := w.pl.rank(tg.ID); best == nil || rank > bestRank {
				best, bestRank = tg, rank
			}
		}
	}
	return best
}

// pickTarget is a registered target (not draining) in the zone, or with
// cross-zone load balancing on (the group's setting, or the load
// balancer's), in any zone: of those the component filters favour most,
// the one the query's flow hash picks.
func (w *walker) pickTarget(lb *elb.LoadBalancer, tg *elb.TargetGroup, zone string) *lbTarget {
	crossZone := tg.Attributes["load_balancing.cross_zone.enabled"]
	if crossZone == "" || crossZone == "use_load_balancer_configuration" {
		crossZone = lb.Attributes["load_balancing.cross_zone.enabled"]
	}
	// Targets in the zone before those in another; but of those, first
	// the ones the component filters favour.
	var best []*lbTarget
	bestRank := 0
	for _, t := range tg.Targets {
		if t.DrainUntil != nil {
			continue
		}
		lt := w.lbTarget(tg, t)
		if lt == nil {
			continue
		}
		rank := 2 * w.pl.rank(lt.iface.ID, t.ID)
		if t.AvailabilityZone == "all" || lt.iface.Subnet.AvailabilityZone == zone {
			rank++
		} else if crossZone != "true" {
			continue
		}
		switch {
		case best == nil || rank > bestRank:
			best, bestRank = []*lbTarget{lt}, rank
		case rank == bestRank:
			best = append(best, lt)
		}
	}
	if len(best) == 0 {
		return nil
	}
	return best[w.pl.q.FlowHash%uint32(len(best))]
}

// lbTarget finds a registered target's interface and address: an instance's
// primary interface, or the interface of the group's VPC that holds an
// address.
func (w *walker) lbTarget(tg *elb.TargetGroup, t elb.Target) *lbTarget {
	port := int(t.Port)
	if port == 0 {
		port = int(tg.Port)
	}
	var n *netview.NetInterface
	switch tg.TargetType {
	case elb.TargetInstance:
		if inst := w.s.Instance(t.ID); inst != nil {
			n = instanceInterface(w.s, inst, netip.Addr{})
		}
	case elb.TargetIP:
		if a, err := netip.ParseAddr(t.ID); err == nil {
			n = w.s.InterfaceAt(tg.VpcID, a)
		}
	}
	if n == nil || n.Subnet == nil || len(n.Addrs) == 0 {
		return nil
	}
	lt := &lbTarget{Target: t, iface: n, addr: n.Addrs[0], port: port}
	if tg.TargetType == elb.TargetIP {
		lt.addr, _ = netip.ParseAddr(t.ID)
	}
	return lt
}

// gwlbEndpoint takes a packet a route sent to a Gateway Load Balancer
// endpoint through the service's appliances: the Gateway Load Balancer in
// the endpoint's zone sends it to a registered target (GENEVE, UDP 6081),
// the appliance sends it back, and the endpoint passes it on by its
// subnet's route table.
func (w *walker) gwlbEndpoint(e *netview.NetEndpoint, from *netview.NetSubnet, p packet) *arrival {
	if !w.endpointAvailable(e) {
		return nil
	}
	if len(e.Interfaces) == 0 || e.Service == nil {
		c := endpointComponent(e)
		return w.block(Explanation{ExplanationCode: NoPossibleDestination, Component: c, VPCEndpoint: c, ComponentAccount: e.ServiceOwner})
	}
	n := e.Interfaces[0]
	if from == nil || from.ID != n.SubnetID {
		if !w.acl(n.Subnet, false, &p) {
			return nil
		}
	}
	w.add(interfaceHop(n))
	w.add(endpointHop(e))
	zone := n.Subnet.AvailabilityZone
	lb, lbn := w.serviceLB(e.Service, zone)
	if lb == nil {
		return w.notInstalled(e.Service, e, zone)
	}
	if !w.throughAppliance(lb, lbn, zone, p) {
		return nil
	}
	w.add(endpointHop(e))
	w.add(interfaceHop(n))
	return w.leave(n.Subnet, n, p)
}

// throughAppliance sends a packet, wrapped in GENEVE, from a Gateway Load
// Balancer's node to a registered appliance and back.
func (w *walker) throughAppliance(lb *elb.LoadBalancer, lbn *netview.NetInterface, zone string, p packet) bool {
	ls := w.s.Listeners(lb.ID)
	if len(ls) == 0 {
		w.block(Explanation{ExplanationCode: ELBv2ListenerHasNoTG, Component: lbComponent(lb), LoadBalancerARN: lb.ID})
		return false
	}
	l := ls[0]
	tg, t := w.targetFor(lb, l, zone)
	if t == nil {
		return false
	}
	misconfigured := func(code Code, e Explanation) bool {
		e.ExplanationCode, e.Component, e.LoadBalancerARN, e.LoadBalancerTargetGroup = code, tgComponent(tg), lb.ID, tgComponent(tg)
		w.block(e)
		return false
	}
	switch {
	case tg.Protocol != "GENEVE":
		return misconfigured(GWLBProtocolRestriction, Explanation{Protocols: []string{tg.Protocol}})
	case t.port != genevePort:
		return misconfigured(GWLBDestinationPortRestriction, Explanation{Port: t.port, LoadBalancerTargetPort: t.port})
	}
	node := lbn.Addrs[0]
	wrapped := packet{proto: ipproto.UDP, src: node, dst: t.addr, srcPorts: ephemeralPorts, dstPorts: single(genevePort)}
	w.add(hop{lb: lb, listener: l, subnet: lbn.Subnet, vpc: lbn.Subnet.VPC})
	w.show(true, p)
	w.add(hop{tg: tg})
	w.show(false, wrapped)
	a := w.send(lbn, wrapped)
	if a == nil {
		return false
	}
	if a.iface != t.iface {
		w.block(Explanation{ExplanationCode: NoPossibleDestination, Component: tgComponent(tg), LoadBalancerTargetGroup: tgComponent(tg), Address: t.addr.String()})
		return false
	}
	if inst := t.iface.Instance; inst != nil {
		w.add(hop{meta: &inst.Meta, arnType: arnInstance})
	}
	w.flows = append(w.flows, lbFlow{iface: lbn, lb: lb, listener: l, geneve: true})
	w.add(interfaceHop(t.iface))
	back := packet{proto: ipproto.UDP, src: a.pkt.dst, dst: node, srcPorts: ephemeralPorts, dstPorts: single(genevePort)}
	w.show(false, back)
	if w.send(t.iface, back) == nil {
		return false
	}
	w.add(hop{lb: lb, listener: l, subnet: lbn.Subnet, vpc: lbn.Subnet.VPC})
	w.show(false, p)
	return true
}

// genevePort is the UDP port Gateway Load Balancers and their appliances
// exchange GENEVE on.
const genevePort = 6081
