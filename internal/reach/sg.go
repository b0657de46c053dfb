package reach

import (
	"net/netip"
	"slices"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/ipproto"
)

// securityGroups checks a packet against an interface's security groups in
// one direction: the packet passes when any rule of any group admits it,
// and the ports it may use narrow to those the rules admit. Groups are
// stateful: the answer to a packet they admitted passes whatever their
// rules say. An interface without groups (a NAT gateway's, a network load
// balancer's without any) filters nothing.
func (w *walker) securityGroups(n *netview.NetInterface, egress bool, p *packet) bool {
	if len(n.SecurityGroups) == 0 {
		return true
	}
	if w.back && slices.Contains(w.tracked, n) {
		w.add(hop{meta: &n.SecurityGroups[0].Meta, arnType: arnGroup})
		return true
	}
	peer := p.src
	if egress {
		peer = p.dst
	}
	m := ruleMatch{w: w, proto: p.proto, peer: peer, want: p.dstPorts}
	for _, g := range n.SecurityGroups {
		if m.group(g, egress) {
			break
		}
	}
	if m.first == nil {
		w.block(m.mismatch(n, egress))
		if m.peerUnknown {
			// A rule references a group across a peering connection to a
			// VPC the snapshot does not hold: it admits nothing.
			w.expl = append(w.expl, Explanation{ExplanationCode: UnknownPeeredSGs, Component: component(&n.Meta, arnInterface)})
		}
		if !m.anyRule {
			w.expl = append(w.expl, Explanation{ExplanationCode: SGHasNoRules, Direction: direction(egress), SecurityGroups: groupComponents(n)})
		}
		return false
	}
	if egress {
		p.dstNet = narrow(p.dstNet, m.block)
	} else {
		p.srcNet = narrow(p.srcNet, m.block)
	}
	p.dstPorts = m.allowed
	w.add(hop{meta: &m.firstGroup.Meta, arnType: arnGroup, group: m.firstGroup, rule: m.first})
	if !w.back {
		w.tracked = append(w.tracked, n)
	}
	return true
}

// ruleMatch gathers what the rules of an interface's groups admit of a
// packet: the ports, the first rule that matched, and for a mismatch how
// far the best rule got (protocol, then peer).
type ruleMatch struct {
	w     *walker
	proto ipproto.Proto
	peer  netip.Addr
	want  ports

	allowed    ports
	first      *netview.NetRule
	firstGroup *netview.NetGroup
	// block is the first rule's block that holds the peer (the zero
	// Prefix for a group reference).
	block netip.Prefix
	// near is the first rule that admits the protocol and ports but not
	// the peer, to show for a mismatch.
	near      *netview.NetRule
	nearGroup *netview.NetGroup

	// What some rule matched: the protocol, the protocol and ports (so
	// only the peer failed), and whether a rule referenced a group of a VPC
	// the snapshot does not hold.
	anyRule, protoMatched, portMatched, peerUnknown bool
}

// group adds a group's rules; it reports whether every wanted port is
// admitted, so the other groups need not be read.
func (m *ruleMatch) group(g *netview.NetGroup, egress bool) bool {
	rules := g.Rules(egress)
	for i := range rules {
		r := &rules[i]
		m.anyRule = true
		if r.Proto != ipproto.All && r.Proto != m.proto {
			continue
		}
		m.protoMatched = true
		from, to := ruleRange(r, m.proto)
		got := m.want.within(from, to)
		if len(got) == 0 {
			continue
		}
		m.portMatched = true
		block, ok := m.peerMatches(r)
		if !ok {
			if m.near == nil {
				m.near, m.nearGroup = r, g
			}
			continue
		}
		if m.first == nil {
			m.first, m.firstGroup, m.block = r, g, block
		}
		if m.allowed = m.allowed.union(got); slices.Equal(m.allowed, m.want) {
			return true
		}
	}
	return false
}

// peerMatches reports whether the rule's peer holds the packet's peer
// address: its block or prefix list, or an interface that carries the group
// it references (in the group's VPC, which may be across an active
// peering connection).
func (m *ruleMatch) peerMatches(r *netview.NetRule) (netip.Prefix, bool) {
	for _, b := range r.Blocks {
		if b.Contains(m.peer) {
			return b, true
		}
	}
	if r.ReferencedGroupID == "" {
		return netip.Prefix{}, false
	}
	ref := r.Referenced
	if ref == nil {
		m.peerUnknown = r.PeeringConnectionID != ""
		return netip.Prefix{}, false
	}
	if r.PeeringConnectionID != "" {
		if pcx := m.w.s.Peering(r.PeeringConnectionID); pcx == nil || pcx.Status != network.PeeringActive {
			return netip.Prefix{}, false // a stale rule
		}
	}
	holder := m.w.s.InterfaceAt(ref.VpcID, m.peer)
	return netip.Prefix{}, holder != nil && slices.Contains(holder.SecurityGroups, ref)
}

// ruleRange is the range of ports (ICMP types) a rule admits.
func ruleRange(r *netview.NetRule, proto ipproto.Proto) (int, int) {
	switch {
	case r.Proto == ipproto.All:
		return 0, 65535
	case proto.IsICMP():
		if r.FromPort < 0 {
			return 0, 65535
		}
		return int(r.FromPort), int(r.FromPort)
	case proto == ipproto.TCP || proto == ipproto.UDP:
		return int(r.FromPort), int(r.ToPort)
	}
	return 0, 65535
}

// mismatch explains why no rule admitted the packet: the part of the
// packet the rules got furthest without matching.
func (m *ruleMatch) mismatch(n *netview.NetInterface, egress bool) Explanation {
	c := component(&n.Meta, arnInterface)
	e := Explanation{
		ExplanationCode: ENISGRulesMismatch, Component: c, NetworkInterface: c, SecurityGroups: groupComponents(n),
		Direction: direction(egress), Subnet: subnetComponent(n.Subnet), Protocols: []string{m.proto.Name()},
		Addresses: []string{m.peer.String()}, PortRanges: m.want.ranges(),
	}
	if n.Subnet != nil {
		e.VPC = vpcComponent(n.Subnet.VPC)
	}
	if len(n.SecurityGroups) == 1 {
		e.SecurityGroup = &e.SecurityGroups[0]
	}
	if n.Endpoint != nil {
		e.VPCEndpoint = endpointComponent(n.Endpoint)
	}
	if m.near != nil {
		e.SecurityGroupRule = groupRule(m.nearGroup, m.near)
	}
	switch {
	case !m.anyRule:
	case !m.protoMatched:
		e.PacketField = "protocol"
	case !m.portMatched:
		e.PacketField = "destination-port"
	case egress:
		e.PacketField = "destination-address"
	default:
		e.PacketField = "source-address"
	}
	if port, ok := m.want.port(); ok {
		e.Port = port
	}
	return e
}
