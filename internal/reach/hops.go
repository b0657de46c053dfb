package reach

import (
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// hop is one component a path went through, as the walk records it: the
// resources, not yet their names and ARNs, which render builds only for a
// caller that wants the path (Analyze, not Reachable).
type hop struct {
	meta    *cloud.Meta // the component
	arnType string
	// iface makes an interface hop: it shows what the interface is attached
	// to, its subnet and its VPC.
	iface  *netview.NetInterface
	subnet *netview.NetSubnet
	vpc    *netview.NetVPC
	// peerVPC (or, when the snapshot does not hold it, peerVPCID) is the
	// far side of a peering connection; vpcID its near side, when the
	// snapshot does not hold vpc.
	peerVPC   *netview.NetVPC
	peerVPCID string
	vpcID     string
	// What the hop matched: a security group rule (nil for the answer of a
	// tracked flow), a network ACL entry, a route.
	group    *netview.NetGroup
	rule     *netview.NetRule
	aclEntry *network.NetworkACLEntry
	route    *network.Route
	// endpoint makes a VPC endpoint hop, which shows its service; lb a
	// load balancer hop, with the listener taken; tg a target group hop.
	endpoint *netview.NetEndpoint
	lb       *elb.LoadBalancer
	listener *elb.Listener
	tg       *elb.TargetGroup
	// named is a component named already (one of another service than
	// EC2: a Direct Connect virtual interface or gateway).
	named *Component
	// The packet as it came in and went out, for the hops that show it.
	in, out *PacketHeader
}

// add appends a hop to the path, when the walk records it.
func (w *walker) add(h hop) {
	w.steps++
	if w.trace {
		w.path = append(w.path, h)
	}
}

// addTranslation appends a hop that rewrites the packet: it shows the
// packet as it came in and as it goes out.
func (w *walker) addTranslation(h hop, in, out packet) {
	w.add(h)
	w.show(true, in)
	w.show(false, out)
}

// headerSlot is a header the last hop shows: the packet coming in or going
// out.
type headerSlot struct {
	hop     int
	inbound bool
	p       packet
}

// show makes the last hop show a packet header.
func (w *walker) show(inbound bool, p packet) {
	if w.trace {
		w.headers = append(w.headers, headerSlot{len(w.path) - 1, inbound, p})
	}
}

// showHeaders sets the headers of the path walked. Hops narrow the ports
// and internet blocks a packet may have as it goes, so each header shows
// what the later hops still let through of it (for the addresses no hop
// between translated).
func (w *walker) showHeaders() {
	var later packet
	for i := len(w.headers) - 1; i >= 0; i-- {
		s := w.headers[i]
		p := s.p
		if i < len(w.headers)-1 {
			p = p.narrowedBy(later)
		}
		if s.inbound {
			w.path[s.hop].in = p.header()
		} else {
			w.path[s.hop].out = p.header()
		}
		later = p
	}
	w.headers = w.headers[:0]
}

// render is the path as AWS shows it.
func render(path []hop) []PathComponent {
	if len(path) == 0 {
		return nil
	}
	out := make([]PathComponent, len(path))
	for i := range path {
		out[i] = path[i].render(i + 1)
	}
	return out
}

func (h *hop) render(seq int) PathComponent {
	pc := PathComponent{SequenceNumber: seq, Subnet: subnetComponent(h.subnet), VPC: vpcComponent(h.vpc), InboundHeader: h.in, OutboundHeader: h.out}
	if h.meta != nil {
		pc.Component = component(h.meta, h.arnType)
	}
	if h.named != nil {
		pc.Component = h.named
	}
	if pc.VPC == nil && h.vpcID != "" {
		pc.VPC = unknown(h.vpcID)
	}
	if n := h.iface; n != nil {
		pc.Subnet = subnetComponent(n.Subnet)
		if n.Subnet != nil {
			pc.VPC = vpcComponent(n.Subnet.VPC)
		}
		switch {
		case n.Instance != nil:
			pc.AttachedTo = component(&n.Instance.Meta, arnInstance)
		case n.Endpoint != nil:
			pc.AttachedTo = endpointComponent(n.Endpoint)
		case n.LoadBalancer != nil:
			pc.AttachedTo = lbComponent(n.LoadBalancer)
		}
	}
	switch {
	case h.peerVPC != nil:
		pc.SourceVPC, pc.DestinationVPC, pc.VPC = pc.VPC, vpcComponent(h.peerVPC), nil
	case h.peerVPCID != "":
		pc.SourceVPC, pc.DestinationVPC, pc.VPC = pc.VPC, unknown(h.peerVPCID), nil
	}
	switch {
	case h.endpoint != nil:
		pc.ServiceName, pc.VPC = h.endpoint.ServiceName, vpcComponent(h.endpoint.VPC)
	case h.lb != nil:
		pc.Component = lbComponent(h.lb)
		if h.listener != nil {
			pc.ElasticLoadBalancerListener = component(&h.listener.Meta, arnELB)
		}
	case h.tg != nil:
		pc.Component = tgComponent(h.tg)
	}
	if h.rule != nil {
		pc.SecurityGroupRule = groupRule(h.group, h.rule)
	}
	if h.aclEntry != nil {
		pc.ACLRule = aclRule(*h.aclEntry)
	}
	if h.route != nil {
		pc.RouteTableRoute = tableRoute(h.route)
	}
	return pc
}
