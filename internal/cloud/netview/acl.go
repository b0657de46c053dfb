package netview

import (
	"net/netip"
	"slices"

	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/ipproto"
)

// NetACL is a network ACL compiled once per snapshot: each direction's
// rules in rule-number order, their blocks parsed and protocols typed, and
// the ports where the rules start or stop applying. The engine evaluates
// it for every packet and every port range, so nothing is parsed then.
type NetACL struct {
	*network.NetworkACL
	rules [2][]aclRule // by direction: ingress, egress
	cuts  [2][]int
}

// aclRule is one entry, compiled.
type aclRule struct {
	entry *network.NetworkACLEntry
	block netip.Prefix // invalid for an entry whose block does not parse: it matches nothing
	proto ipproto.Proto
	// ports limits TCP and UDP to [from, to]; icmpType limits ICMP (and
	// ICMPv6) to one type.
	ports    bool
	from, to int
	icmpType int
}

func dir(egress bool) int {
	if egress {
		return 1
	}
	return 0
}

// CompileACL compiles an ACL. The entries stay the ACL's own: what
// Evaluate returns points into them, and callers must not change them.
func CompileACL(acl *network.NetworkACL) *NetACL {
	n := &NetACL{NetworkACL: acl}
	for i := range acl.Entries {
		e := &acl.Entries[i]
		block := e.CIDRBlock
		if e.IPv6CIDRBlock != "" {
			block = e.IPv6CIDRBlock
		}
		r := aclRule{entry: e, icmpType: -1}
		if p, err := netip.ParsePrefix(block); err == nil {
			r.block = p
		}
		if p, ok := ipproto.Parse(e.Protocol); ok {
			r.proto = p
		} else {
			r.block = netip.Prefix{} // a protocol that does not parse matches nothing
		}
		if e.FromPort != nil && e.ToPort != nil {
			r.ports, r.from, r.to = true, int(*e.FromPort), int(*e.ToPort)
		}
		if e.ICMPType != nil {
			r.icmpType = int(*e.ICMPType)
		}
		d := dir(e.Egress)
		n.rules[d] = append(n.rules[d], r)
		if r.ports {
			n.cuts[d] = append(n.cuts[d], r.from, r.to+1)
		}
		if r.icmpType >= 0 {
			n.cuts[d] = append(n.cuts[d], r.icmpType, r.icmpType+1)
		}
	}
	for d := range n.rules {
		slices.SortStableFunc(n.rules[d], func(a, b aclRule) int { return int(a.entry.RuleNumber) - int(b.entry.RuleNumber) })
		slices.Sort(n.cuts[d])
		n.cuts[d] = slices.Compact(n.cuts[d])
	}
	return n
}

// Evaluate decides a packet the way an ACL does: the rules of the direction
// in rule-number order, the first whose protocol, block and port match
// decides; the "*" rules deny what is left. addr is the remote address (the
// source for ingress, the destination for egress); for ICMP and ICMPv6,
// port carries the ICMP type.
func (a *NetACL) Evaluate(egress bool, proto ipproto.Proto, addr netip.Addr, port int) (entry *network.NetworkACLEntry, allowed bool) {
	addr = addr.Unmap()
	for i := range a.rules[dir(egress)] {
		r := &a.rules[dir(egress)][i]
		if r.matches(proto, addr, port) {
			return r.entry, r.entry.RuleAction == "allow"
		}
	}
	// No "*" rule for the address family (IPv6 traffic in a VPC without
	// IPv6): nothing can pass.
	rest := network.DenyRest(egress, addr.Is6())
	return &rest, false
}

// Cuts are the ports where the rules of one direction start or stop
// applying, sorted: every port between two cuts is treated alike.
func (a *NetACL) Cuts(egress bool) []int { return a.cuts[dir(egress)] }

func (r *aclRule) matches(proto ipproto.Proto, addr netip.Addr, port int) bool {
	if !r.block.IsValid() || !r.block.Contains(addr) {
		return false
	}
	if r.proto == ipproto.All {
		return true
	}
	if r.proto != proto {
		return false
	}
	switch proto {
	case ipproto.TCP, ipproto.UDP:
		return !r.ports || r.from <= port && port <= r.to
	case ipproto.ICMP, ipproto.ICMPv6:
		// An ICMPv6 rule with an IPv4 block would allow every type; it
		// never meets ICMPv6 traffic, whose addresses are IPv6.
		return r.icmpType == -1 || r.icmpType == port
	}
	return true
}

// AllowedBlocks are the blocks of the allow rules of one direction, in
// rule-number order.
func (a *NetACL) AllowedBlocks(egress bool) []netip.Prefix {
	var out []netip.Prefix
	for _, r := range a.rules[dir(egress)] {
		if r.entry.RuleAction == "allow" && r.block.IsValid() {
			out = append(out, r.block)
		}
	}
	return out
}
