package dataplane

import (
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/ipproto"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// A flow's records: which network interfaces on its path log it, with the
// addresses each sees and what each decided. The engine's path says it:
// every interface hop of the forward path sees the request (the source's
// as egress, the others as ingress) and the reply the other way; the one
// whose security group or network ACL stops a packet logs REJECT. A NAT
// gateway's interface passes the request both ways (in from the instance,
// out to the server) and the reply too, four records; a Network Load
// Balancer's interface logs what it sends its target and the answer. The
// traffic between an endpoint's interface and its load balancer is not
// logged, as on AWS.

// Flow-log actions.
const (
	accept = "ACCEPT"
	reject = "REJECT"
)

// tuple is a packet's addresses as an interface sees them.
type tuple struct{ src, dst netip.AddrPort }

func (t tuple) reverse() tuple { return tuple{t.dst, t.src} }

// leg is the request passing an interface one way (in or out) and its
// reply passing back.
type leg struct {
	// req is the request's packet as it passes; the reply is its reverse.
	req tuple
	// translated marks a packet after a translating hop, whose source port
	// is the one the data plane picks when it opens the far side.
	translated bool
	// What the interface's groups and ACL decided for the request and the
	// reply: accept, reject, or "" when the packets never get there.
	reqAction, replyAction string
	// path is the traffic-path of the leg's egress record (the request's
	// of an out leg, the reply's of an in leg).
	path int
}

// view is one interface's records of a flow.
type view struct {
	eni *netview.NetInterface
	// in is the request arriving at the interface, out the request leaving
	// it; nil when it does not pass that way (the flow's source sends it,
	// its destination receives it).
	in, out *leg
	// through marks an interface the flow passes on its way (a NAT
	// gateway's, a load balancer's, an appliance's): where a path ends is
	// not one.
	through bool
	// geneve marks a Gateway Load Balancer's node or appliance: they see
	// the flow wrapped, one UDP flow from the node to the appliance's 6081
	// carrying both directions, and back.
	geneve bool
}

// legs are the view's legs in the order the request passes them.
func (v *view) legs() []*leg {
	var out []*leg
	for _, l := range []*leg{v.in, v.out} {
		if l != nil {
			out = append(out, l)
		}
	}
	return out
}

// plan is how a flow is logged, decided when the flow is.
type plan struct {
	protocol ipproto.Proto
	views    []view
	// carried is whether the data plane carries the flow: a reply is then
	// counted as it passes; otherwise the replies a blocked reply path
	// stops are counted as one per request.
	carried bool
	// port is the source port the data plane picked for the translated
	// side of the flow, once it has.
	port atomic.Uint32
	// hops are the resources on the path the meters count the flow on;
	// path names the path, for a carried flow from an interface (else nil).
	hops []meterHop
	path *pathKey
	// fromOnPremises marks a flow from on premises: its path is metered
	// from the interface it reaches, so what goes back is what leaves AWS.
	fromOnPremises bool
}

// planFor reads a verdict's paths for a flow's records.
func planFor(s *netview.Snapshot, f Flow, v Verdict) *plan {
	r := v.Result
	p := &plan{protocol: f.number(), carried: v.Allowed, hops: hopsOf(s, r), fromOnPremises: f.Via != ""}
	cur := tuple{f.Src, f.Dst}
	translated := func() bool { return cur.src.Addr() != f.Src.Addr() }
	fwd := r.ForwardPathComponents
	var lb *elb.LoadBalancer
	var geneve tuple // what a GWLB node has just sent its appliance
	for i, hop := range fwd {
		if hop.InboundHeader != nil {
			cur = applyHeader(cur, hop.InboundHeader)
		}
		id := ""
		if hop.Component != nil {
			id = hop.Component.ID
		}
		switch {
		case strings.HasPrefix(id, "eni-") && geneve.dst.IsValid():
			if n := s.Interface(id); n != nil && p.index(n.ID) < 0 {
				p.addThrough(view{eni: n, in: &leg{req: geneve, path: 1}, geneve: true, through: true})
			}
			geneve = tuple{}
		case strings.HasPrefix(id, "eni-"):
			if n := s.Interface(id); n != nil && p.index(n.ID) < 0 {
				l := &leg{req: cur, translated: translated(), path: trafficPath(s, returnAfter(r.ReturnPathComponents, n.ID))}
				if len(p.views) == 0 && n.Instance != nil && n.Instance.ID == f.Instance {
					// The source sends the request: its egress.
					l.path = trafficPath(s, fwd[i:])
					p.views = append(p.views, view{eni: n, out: l})
				} else {
					// A GWLB endpoint's interface passes the flow on.
					gwlbe := n.Endpoint != nil && n.Endpoint.Type == privatelink.EndpointTypeGatewayLoadBalancer
					p.views = append(p.views, view{eni: n, in: l, through: gwlbe})
				}
			}
		case strings.HasPrefix(id, "nat-"):
			// The request comes in from the instance and goes out
			// translated; the reply the other way.
			if n := natInterface(s, id); n != nil && p.index(n.ID) < 0 && hop.OutboundHeader != nil {
				in := &leg{req: cur, translated: translated(), path: trafficPath(s, returnAfter(r.ReturnPathComponents, id))}
				out := &leg{req: applyHeader(cur, hop.OutboundHeader), translated: true, path: trafficPath(s, fwd[i+1:])}
				p.addThrough(view{eni: n, in: in, out: out, through: true})
			}
		case strings.Contains(id, ":loadbalancer/"):
			lb = s.LoadBalancer(id)
		case strings.Contains(id, ":targetgroup/") && lb != nil && lb.Type == elb.LBGateway && hop.OutboundHeader != nil:
			// The node sends the flow wrapped to the appliance, from its
			// own interface, and takes it back.
			geneve = applyHeader(cur, hop.OutboundHeader)
			geneve.src = netip.AddrPortFrom(geneve.src.Addr(), geneveSourcePort(f))
			if n := lbInterface(s, lb, geneve.src.Addr()); n != nil && p.index(n.ID) < 0 {
				p.addThrough(view{eni: n, out: &leg{req: geneve, path: 1}, geneve: true, through: true})
			}
		case strings.Contains(id, ":targetgroup/") && hop.OutboundHeader != nil:
			// A Network Load Balancer's node sends the request to the
			// target from its own interface (what came in through an
			// endpoint's interface is not logged).
			next := applyHeader(cur, hop.OutboundHeader)
			out := &leg{req: next, translated: next.src.Addr() != f.Src.Addr(), path: trafficPath(s, fwd[i+1:])}
			if at := p.lbView(lb); at >= 0 && p.views[at].out == nil {
				// A client sent it straight to the node: its interface
				// logs the request in and, now, out to the target.
				p.views[at].out, p.views[at].through = out, true
			} else if n := lbInterface(s, lb, next.src.Addr()); n != nil && p.index(n.ID) < 0 {
				p.addThrough(view{eni: n, out: out, through: true})
			}
		}
		if hop.OutboundHeader != nil {
			cur = applyHeader(cur, hop.OutboundHeader)
		}
	}
	for i := range p.views {
		for _, l := range p.views[i].legs() {
			l.reqAction = accept
			if v.Allowed {
				l.replyAction = accept
			}
		}
	}
	if p.carried && len(p.views) > 0 {
		k := pathKeyOf(p)
		p.path = &k
	}
	if v.Allowed || len(r.Explanations) == 0 {
		return p
	}
	e := r.Explanations[0]
	if len(r.ReturnPathComponents) == 0 {
		p.rejectRequest(s, e, cur, fwd)
	} else {
		p.rejectReply(e)
	}
	return p
}

// addThrough adds the view of an interface the flow passes through, which
// the meters count too (the engine's path names its gateway or balancer,
// not it).
func (p *plan) addThrough(v view) {
	p.views = append(p.views, v)
	p.hops = append(p.hops, meterHop{v.eni.ID, v.eni.Owner, v.eni.Region})
}

// natInterface is a NAT gateway's primary interface.
func natInterface(s *netview.Snapshot, id string) *netview.NetInterface {
	if nat := s.NATGateway(id); nat != nil {
		return s.Interface(nat.Primary().NetworkInterfaceID)
	}
	return nil
}

// lbInterface is a Network or Gateway Load Balancer's interface that
// holds addr (the node a request leaves from), or nil.
func lbInterface(s *netview.Snapshot, lb *elb.LoadBalancer, addr netip.Addr) *netview.NetInterface {
	if lb == nil || lb.Type != elb.LBNetwork && lb.Type != elb.LBGateway {
		return nil
	}
	for _, n := range s.InterfacesHolding(addr) {
		if n.LoadBalancer != nil && n.LoadBalancer.ID == lb.ID {
			return n
		}
	}
	return nil
}

// lbView is where the view of a load balancer's interface a client sent
// the flow to is in the plan, or -1.
func (p *plan) lbView(lb *elb.LoadBalancer) int {
	return slices.IndexFunc(p.views, func(v view) bool { return lb != nil && v.eni.LoadBalancer != nil && v.eni.LoadBalancer.ID == lb.ID })
}

// index is where an interface's view is in the plan, or -1.
func (p *plan) index(eni string) int {
	return slices.IndexFunc(p.views, func(v view) bool { return v.eni.ID == eni })
}

// rejectRequest marks the interface whose group or ACL stops the request;
// cur is the request as it last was, fwd the path it took. A path stopped
// anywhere else (a route, a gateway) is logged by no interface as
// rejected.
func (p *plan) rejectRequest(s *netview.Snapshot, e reach.Explanation, cur tuple, fwd []reach.PathComponent) {
	var eni *netview.NetInterface
	through := false
	switch {
	case e.NetworkInterface != nil:
		eni = s.Interface(e.NetworkInterface.ID)
		if eni != nil && eni.LoadBalancer != nil {
			// A load balancer's groups judge what an endpoint's interface
			// sends it: traffic flow logs leave out.
			return
		}
	case e.ACL != nil && e.Subnet != nil && e.Direction == "egress":
		// The sender's subnet lets nothing out: the last interface the
		// request left from.
		for i := len(p.views) - 1; i >= 0; i-- {
			if v := &p.views[i]; v.eni.SubnetID == e.Subnet.ID {
				l := v.out
				if l == nil {
					l = v.in
				}
				l.reqAction = reject
				return
			}
		}
	case e.ACL != nil && e.Subnet != nil:
		if sub := s.Subnet(e.Subnet.ID); sub != nil {
			eni = s.InterfaceAt(sub.VpcID, cur.dst.Addr())
		}
		if n := routedNAT(s, fwd); eni == nil && n != nil && n.SubnetID == e.Subnet.ID {
			// The NAT gateway's subnet keeps the request out of it.
			eni, through = n, true
		}
	}
	if eni == nil {
		return
	}
	if i := p.index(eni.ID); i >= 0 {
		v := &p.views[i]
		l := v.in
		if l == nil {
			l = v.out
		}
		l.reqAction = reject
		return
	}
	translated := false
	if n := len(p.views); n > 0 {
		last := p.views[n-1].legs()
		translated = last[len(last)-1].translated
	}
	p.views = append(p.views, view{eni: eni, in: &leg{req: cur, translated: translated, reqAction: reject}, through: through})
}

// routedNAT is the interface of the NAT gateway the last route of a path
// sends to, if it does.
func routedNAT(s *netview.Snapshot, fwd []reach.PathComponent) *netview.NetInterface {
	for i := len(fwd) - 1; i >= 0; i-- {
		if r := fwd[i].RouteTableRoute; r != nil {
			if r.NATGatewayID == "" {
				return nil
			}
			return natInterface(s, r.NATGatewayID)
		}
	}
	return nil
}

// rejectReply marks the interface whose ACL stops the reply (groups are
// stateful and let every reply through). The reply passes the request's
// legs backwards: it stops at the first it reaches in the ACL's subnet
// (leaving it for an egress rule: an in leg's reply; entering it for an
// ingress one: an out leg's), has passed every leg after it and reaches
// none before it.
func (p *plan) rejectReply(e reach.Explanation) {
	if e.ACL == nil || e.Subnet == nil {
		return
	}
	var legs []*leg
	at, some := -1, -1
	for _, v := range p.views {
		for _, l := range v.legs() {
			if v.eni.SubnetID == e.Subnet.ID {
				some = len(legs)
				if (l == v.in) == (e.Direction == "egress") {
					at = len(legs)
				}
			}
			legs = append(legs, l)
		}
	}
	if at < 0 {
		at = some
	}
	if at < 0 {
		return
	}
	for _, l := range legs[at+1:] {
		l.replyAction = accept
	}
	legs[at].replyAction = reject
}

// applyHeader moves a tuple to what a hop's header says, where it names
// one address or port.
func applyHeader(t tuple, h *reach.PacketHeader) tuple {
	if a, ok := headerAddr(h.SourceAddresses); ok && a != t.src.Addr() {
		t.src = netip.AddrPortFrom(a, 0) // a translating hop picks its own port
	}
	if a, ok := headerAddr(h.DestinationAddresses); ok {
		t.dst = netip.AddrPortFrom(a, t.dst.Port())
	}
	if len(h.SourcePortRanges) == 1 && h.SourcePortRanges[0].From == h.SourcePortRanges[0].To {
		t.src = netip.AddrPortFrom(t.src.Addr(), uint16(h.SourcePortRanges[0].From))
	}
	if len(h.DestinationPortRanges) == 1 && h.DestinationPortRanges[0].From == h.DestinationPortRanges[0].To {
		t.dst = netip.AddrPortFrom(t.dst.Addr(), uint16(h.DestinationPortRanges[0].From))
	}
	return t
}

// returnAfter is the return path from a component (an interface, a NAT
// gateway) on.
func returnAfter(path []reach.PathComponent, id string) []reach.PathComponent {
	for i, hop := range path {
		if hop.Component != nil && hop.Component.ID == id {
			return path[i:]
		}
	}
	return nil
}

// trafficPath is how a packet leaving an interface leaves its VPC, as
// flow logs number it: 1 through another resource of the VPC (a NAT
// gateway is one: it has an interface in the VPC), 3 a virtual
// private gateway, 4 and 5 a peering connection in the region or across
// regions, 7 a gateway endpoint and 8 an internet gateway (the numbers of
// Nitro instances, which every instance type vpcemu launches is).
func trafficPath(s *netview.Snapshot, path []reach.PathComponent) int {
	for _, hop := range path {
		if hop.Component == nil {
			continue
		}
		id := hop.Component.ID
		switch {
		case strings.HasPrefix(id, "nat-"):
			return 1
		case strings.HasPrefix(id, "igw-"):
			return 8
		case strings.HasPrefix(id, "vgw-"):
			return 3
		case strings.HasPrefix(id, "pcx-"):
			if pcx := s.Peering(id); pcx != nil && pcx.Requester.Region != pcx.Accepter.Region {
				return 5
			}
			return 4
		case strings.HasPrefix(id, "vpce-"):
			if ep := s.Endpoint(id); ep != nil && ep.Type == "Gateway" {
				return 7
			}
		}
	}
	return 1
}

// number is the flow's IANA protocol number (ICMPv6 for ICMP over IPv6).
func (f Flow) number() ipproto.Proto {
	n := f.Protocol.Number()
	if n == ipproto.ICMP && f.Dst.Addr().Is6() {
		return ipproto.ICMPv6
	}
	return n
}
