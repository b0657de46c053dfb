package dataplane

import (
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/ipproto"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// A flow's records: which network interfaces on its path log it, with the
// addresses each sees and what each decided. The engine's path says it:
// every interface hop of the forward path sees the request (the source's
// as egress, the others as ingress) and the reply the other way; the one
// whose security group or network ACL stops a packet logs REJECT. Load
// balancers' own interfaces are not hops of the path, so the traffic
// between an endpoint's interface and a load balancer is not logged, as on
// AWS.

// Flow-log actions.
const (
	accept = "ACCEPT"
	reject = "REJECT"
)

// tuple is a packet's addresses as an interface sees them.
type tuple struct{ src, dst netip.AddrPort }

func (t tuple) reverse() tuple { return tuple{t.dst, t.src} }

// view is one interface's records of a flow.
type view struct {
	eni *netview.NetInterface
	// req is the request as the interface sees it; the reply is its
	// reverse.
	req tuple
	// source marks the interface the flow leaves from: the request is its
	// egress. translated marks one after a translating hop, whose source
	// port is the one the data plane picks when it opens the far side.
	source, translated bool
	// What the interface's groups and ACL decided for the request and the
	// reply: accept, reject, or "" when the packets never get there.
	reqAction, replyAction string
	// reqPath and replyPath are the traffic-path of the egress record.
	reqPath, replyPath int
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
	for i, hop := range r.ForwardPathComponents {
		if hop.InboundHeader != nil {
			cur = applyHeader(cur, hop.InboundHeader)
		}
		if hop.Component != nil && strings.HasPrefix(hop.Component.ID, "eni-") {
			if n := s.Interface(hop.Component.ID); n != nil && p.index(n.ID) < 0 {
				src := len(p.views) == 0 && n.Instance != nil && n.Instance.ID == f.Instance
				p.views = append(p.views, view{eni: n, req: cur, source: src, translated: cur.src.Addr() != f.Src.Addr(),
					reqPath: trafficPath(s, r.ForwardPathComponents[i:]), replyPath: trafficPath(s, returnAfter(r.ReturnPathComponents, n.ID))})
			}
		}
		if hop.OutboundHeader != nil {
			cur = applyHeader(cur, hop.OutboundHeader)
		}
	}
	for i := range p.views {
		p.views[i].reqAction = accept
		if v.Allowed {
			p.views[i].replyAction = accept
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
		p.rejectRequest(s, e, cur)
	} else {
		p.rejectReply(e)
	}
	return p
}

// index is where an interface's view is in the plan, or -1.
func (p *plan) index(eni string) int {
	return slices.IndexFunc(p.views, func(v view) bool { return v.eni.ID == eni })
}

// rejectRequest marks the interface whose group or ACL stops the request;
// cur is the request as it last was. A path stopped anywhere else (a
// route, a gateway) is logged by no interface as rejected.
func (p *plan) rejectRequest(s *netview.Snapshot, e reach.Explanation, cur tuple) {
	var eni *netview.NetInterface
	switch {
	case e.NetworkInterface != nil:
		eni = s.Interface(e.NetworkInterface.ID)
	case e.ACL != nil && e.Subnet != nil && e.Direction == "egress":
		// The sender's subnet lets nothing out: the last interface the
		// request left from.
		for i := len(p.views) - 1; i >= 0; i-- {
			if p.views[i].eni.SubnetID == e.Subnet.ID {
				eni = p.views[i].eni
				break
			}
		}
	case e.ACL != nil && e.Subnet != nil:
		if sub := s.Subnet(e.Subnet.ID); sub != nil {
			eni = s.InterfaceAt(sub.VpcID, cur.dst.Addr())
		}
	}
	if eni == nil {
		return
	}
	if i := p.index(eni.ID); i >= 0 {
		p.views[i].reqAction = reject
		return
	}
	p.views = append(p.views, view{eni: eni, req: cur, translated: len(p.views) > 0 && p.views[len(p.views)-1].translated, reqAction: reject})
}

// rejectReply marks the interface whose ACL stops the reply (groups are
// stateful and let every reply through): the reply left every interface
// past it on the forward path, and reaches none before it.
func (p *plan) rejectReply(e reach.Explanation) {
	if e.ACL == nil || e.Subnet == nil {
		return
	}
	at := -1
	for i, v := range p.views {
		if v.eni.SubnetID != e.Subnet.ID {
			continue
		}
		if e.Direction == "egress" || at < 0 {
			at = i // the reply leaves from the deepest, enters at the first
		}
		if e.Direction != "egress" {
			break
		}
	}
	if at < 0 {
		return
	}
	for i := at + 1; i < len(p.views); i++ {
		p.views[i].replyAction = accept
	}
	p.views[at].replyAction = reject
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

// returnAfter is the return path from an interface on.
func returnAfter(path []reach.PathComponent, eni string) []reach.PathComponent {
	for i, hop := range path {
		if hop.Component != nil && hop.Component.ID == eni {
			return path[i:]
		}
	}
	return nil
}

// trafficPath is how a packet leaving an interface leaves its VPC, as
// flow logs number it: 1 through another resource of the VPC, 3 a virtual
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
