package reach

// The internet as an end of a path: the addresses internet gateways carry,
// and the witness addresses that stand for an end the query left open.

import (
	"net/netip"
	"slices"

	"go4.org/netipx"

	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
)

// narrow is the part of an internet end's blocks inside b (nil stays nil:
// the end has one address; an invalid b narrows nothing).
func narrow(net []netip.Prefix, b netip.Prefix) []netip.Prefix {
	if net == nil || b.Bits() <= 0 {
		return net
	}
	var in, within netipx.IPSetBuilder
	for _, n := range net {
		in.AddPrefix(n)
	}
	within.AddPrefix(b)
	inside, _ := within.IPSet()
	in.Intersect(inside)
	set, _ := in.IPSet()
	return set.Prefixes()
}

// Address ranges internet gateways refuse: private (RFC 1918) and shared
// (RFC 6598) addresses.
var (
	rfc1918 = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("192.168.0.0/16")}
	rfc6598 = netip.MustParsePrefix("100.64.0.0/10")
)

// IsInternet reports whether an internet gateway carries the address: a
// public IPv4 address, or a global unicast IPv6 one. The data plane takes
// its internet stand-ins' addresses by the same rule.
func IsInternet(a netip.Addr) bool {
	if a.Is6() {
		return internet6[0].Contains(a)
	}
	return a.Is4() && !cidr.IsPrivate(a) && !rfc6598.Contains(a)
}

// internet6 is every IPv6 address an internet gateway carries: the global
// unicast space.
var internet6 = []netip.Prefix{netip.MustParsePrefix("2000::/3")}

// defaultWitness6 stands for "anywhere on the IPv6 internet" (in the
// documentation block, RFC 3849).
var defaultWitness6 = netip.MustParseAddr("2001:db8::10")

// internet is every IPv4 address an internet gateway carries, as the
// fewest blocks (AWS lists the same blocks in its headers).
var internet = func() []netip.Prefix {
	var b netipx.IPSetBuilder
	b.AddPrefix(netip.MustParsePrefix("0.0.0.0/0"))
	for _, hole := range append(rfc1918[:len(rfc1918):len(rfc1918)], rfc6598) {
		b.RemovePrefix(hole)
	}
	set, _ := b.IPSet()
	return set.Prefixes()
}()

// defaultWitness is the address that stands for "anywhere on the internet"
// when no rule asks for a narrower one (TEST-NET-3, RFC 5737).
var defaultWitness = netip.MustParseAddr("203.0.113.10")

// witnessIn is an internet address inside b, if b holds any.
func witnessIn(b netip.Prefix) (netip.Addr, bool) {
	if b.Addr().Is6() {
		switch {
		case b.Contains(defaultWitness6):
			return defaultWitness6, true
		case b.Bits() <= internet6[0].Bits() && b.Contains(internet6[0].Addr()):
			return defaultWitness6, true
		case internet6[0].Contains(b.Addr()):
			return b.Masked().Addr().Next(), true
		}
		return netip.Addr{}, false
	}
	if b.Contains(defaultWitness) {
		return defaultWitness, true
	}
	for _, n := range internet {
		if !n.Overlaps(b) {
			continue
		}
		inner := b
		if n.Bits() > b.Bits() {
			inner = n
		}
		a := inner.Masked().Addr()
		if inner.Bits() < 31 {
			a = a.Next()
		}
		return a, true
	}
	return netip.Addr{}, false
}

// witnesses are the addresses to try for an internet end the query left
// open (one zero Addr when there is none).
func (pl *plan) witnesses() []netip.Addr {
	var blocks []netip.Prefix
	switch {
	case pl.src.internet() && !pl.src.addr.IsValid():
		if a := pl.q.FilterAtDestination.SourceAddress; a.IsValid() {
			return []netip.Addr{a}
		}
		blocks = pl.ingressBlocks(pl.dst.iface)
	case pl.dst.internet() && !pl.dst.addr.IsValid():
		if a := pl.q.FilterAtDestination.DestinationAddress; a.IsValid() {
			return []netip.Addr{a}
		}
		blocks = pl.egressBlocks(pl.src.iface)
	case pl.src.pcx != nil && !pl.src.addr.IsValid():
		return pl.peeringWitnesses(&pl.src, pl.q.FilterAtDestination.SourceAddress)
	case pl.dst.pcx != nil && !pl.dst.addr.IsValid():
		return pl.peeringWitnesses(&pl.dst, pl.q.FilterAtDestination.DestinationAddress)
	default:
		return []netip.Addr{{}}
	}
	const most = 8
	out := []netip.Addr{defaultWitness}
	if pl.v6 {
		out[0] = defaultWitness6
	}
	for _, b := range blocks {
		if b.Addr().Is6() != pl.v6 {
			continue
		}
		if a, ok := witnessIn(b); ok && !slices.Contains(out, a) && len(out) < most {
			out = append(out, a)
		}
	}
	return out
}

// ingressBlocks are the blocks the rules in front of an interface admit
// traffic from.
func (pl *plan) ingressBlocks(n *netview.NetInterface) []netip.Prefix {
	if n == nil {
		return nil
	}
	out := groupBlocks(n, false)
	if n.Subnet != nil {
		out = append(out, aclBlocks(n.Subnet.ACL, false)...)
	}
	return out
}

// egressBlocks are the blocks the rules behind an interface let traffic go
// to, and the routes of its VPC to internet gateways.
func (pl *plan) egressBlocks(n *netview.NetInterface) []netip.Prefix {
	if n == nil || n.Subnet == nil {
		return nil
	}
	out := groupBlocks(n, true)
	for _, sub := range n.Subnet.VPC.Subnets {
		out = append(out, aclBlocks(sub.ACL, true)...)
		if sub.RouteTable == nil {
			continue
		}
		for _, r := range sub.RouteTable.Routes() {
			if kind, _ := cloud.KindOfID(r.Target()); kind == cloud.KindInternetGateway || kind == cloud.KindEgressOnlyIGW {
				out = append(out, r.Block)
			}
		}
	}
	return out
}

func groupBlocks(n *netview.NetInterface, egress bool) []netip.Prefix {
	var out []netip.Prefix
	for _, g := range n.SecurityGroups {
		for _, r := range g.Rules(egress) {
			out = append(out, r.Blocks...)
		}
	}
	return out
}

// aclBlocks are the blocks a subnet's ACL allows in one direction (none
// without an ACL).
func aclBlocks(acl *netview.NetACL, egress bool) []netip.Prefix {
	if acl == nil {
		return nil
	}
	return acl.AllowedBlocks(egress)
}
