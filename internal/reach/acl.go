package reach

import (
	"net/netip"
	"slices"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/ipproto"
)

// acl checks a packet against a subnet's network ACL in one direction.
// ACLs are stateless: the answer is checked too, on the ephemeral ports the
// client sent from. The ports the packet may use narrow to those the ACL
// allows.
func (w *walker) acl(sub *netview.NetSubnet, egress bool, p *packet) bool {
	if sub == nil || sub.ACL == nil {
		return true
	}
	peer := p.src
	if egress {
		peer = p.dst
	}
	allowed, allow, deny := evaluateACL(sub.ACL, egress, p.proto, peer, p.dstPorts)
	if len(allowed) == 0 {
		c := component(&sub.ACL.Meta, arnACL)
		w.block(Explanation{
			ExplanationCode: SubnetACLRestriction, Component: c, ACL: c, ACLRule: aclRule(*deny), Direction: direction(egress),
			Subnet: subnetComponent(sub), VPC: vpcComponent(sub.VPC), Addresses: []string{peer.String()},
			PortRanges: p.dstPorts.ranges(), Protocols: []string{p.proto.Name()},
		})
		return false
	}
	if b, err := netip.ParsePrefix(allow.CIDRBlock + allow.IPv6CIDRBlock); err == nil {
		if egress {
			p.dstNet = narrow(p.dstNet, b)
		} else {
			p.srcNet = narrow(p.srcNet, b)
		}
	}
	p.dstPorts = allowed
	w.add(hop{meta: &sub.ACL.Meta, arnType: arnACL, aclEntry: allow})
	return true
}

// evaluateACL runs an ACL over a set of destination ports. Its rules cut
// the ports into ranges that every rule treats alike, and
// (*netview.NetACL).Evaluate decides each range by one of its ports. It
// returns the ports allowed, the rule that allowed the first of them, and
// the rule that denied the first range denied.
func evaluateACL(acl *netview.NetACL, egress bool, proto ipproto.Proto, peer netip.Addr, set ports) (allowed ports, allow, deny *network.NetworkACLEntry) {
	if port, one := set.port(); one {
		e, ok := acl.Evaluate(egress, proto, peer, port)
		if ok {
			return set, e, deny
		}
		return nil, allow, e
	}
	cuts := acl.Cuts(egress)
	for _, r := range set {
		for lo := r.From; lo <= r.To; {
			hi := r.To
			if i, _ := slices.BinarySearch(cuts, lo+1); i < len(cuts) && cuts[i] <= r.To {
				hi = cuts[i] - 1
			}
			e, ok := acl.Evaluate(egress, proto, peer, lo)
			switch {
			case ok && allow == nil:
				allow = e
				fallthrough
			case ok:
				allowed = allowed.union(ports{{lo, hi}})
			case deny == nil:
				deny = e
			}
			lo = hi + 1
		}
	}
	return allowed, allow, deny
}
