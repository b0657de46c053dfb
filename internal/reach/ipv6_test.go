package reach_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// dualStack is a VPC with an Amazon IPv6 block, a dual-stack subnet and
// an IPv6-only one, each with its own route table.
type dualStack struct {
	vpc              *network.VPC
	dual, only       *network.Subnet
	dualRT, onlyRT   *network.RouteTable
	dualBlk, onlyBlk string
}

func (w *world) dualStack() dualStack {
	w.t.Helper()
	vpc := must(w.net.CreateVPC(w.ctx, w.who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16", AmazonProvidedIPv6CIDRBlock: true}))
	p := netip.MustParsePrefix(vpc.IPv6Associations[0].CIDR)
	nth := func(n byte) string {
		b := p.Addr().As16()
		b[7] = n
		return netip.PrefixFrom(netip.AddrFrom16(b), 64).String()
	}
	d := dualStack{vpc: vpc, dualBlk: nth(1), onlyBlk: nth(2)}
	d.dual = must(w.net.CreateSubnet(w.ctx, w.who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24", IPv6CIDRBlock: d.dualBlk}))
	d.only = must(w.net.CreateSubnet(w.ctx, w.who, network.CreateSubnetInput{VpcID: vpc.ID, IPv6Native: true, IPv6CIDRBlock: d.onlyBlk}))
	d.dualRT, d.onlyRT = w.table(vpc, d.dual), w.table(vpc, d.only)
	return d
}

// route6 adds an IPv6 route.
func (w *world) route6(rt *network.RouteTable, dest string, target network.Route) {
	w.t.Helper()
	target.DestinationIPv6CIDR = dest
	w.must(w.net.CreateRoute(w.ctx, w.who, rt.ID, target))
}

// instance6 launches an instance with an IPv6 address (its subnet's
// only address in an IPv6-only subnet).
func (w *world) instance6(s *network.Subnet, groups ...*network.SecurityGroup) (*network.Instance, netip.Addr) {
	w.t.Helper()
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	zero := int32(0)
	r := must(w.net.RunInstances(w.ctx, w.who, network.RunInstancesInput{
		ImageID: "ami-12345678", MinCount: 1, MaxCount: 1,
		Interfaces: []network.LaunchInterface{{DeviceIndex: &zero, SubnetID: s.ID, Groups: ids, IPv6: network.IPv6Spec{Count: 1}}},
	}))
	inst := r.Instances[0]
	eni := must(w.net.GetNetworkInterface(w.ctx, w.who, primary(inst)))
	return inst, netip.MustParseAddr(eni.IPv6Addresses[0])
}

func ipv6Peer(block string) network.Peer { return network.Peer{Kind: network.PeerIPv6, CIDR: block} }

func hasComponent(hops []reach.PathComponent, id string) bool {
	return slices.ContainsFunc(hops, func(h reach.PathComponent) bool { return h.Component != nil && h.Component.ID == id })
}

// TestIPv6Paths: IPv6 between instances (an IPv6-only one and a
// dual-stack one) by their security group rules for IPv6 blocks, and to
// and from the internet through an internet gateway (both ways) and an
// egress-only internet gateway (out, and answers back; nothing in).
func TestIPv6Paths(t *testing.T) {
	w := newWorld(t)
	d := w.dualStack()
	igw := w.internetGateway(d.vpc)
	eigw := must(w.net.CreateEgressOnlyInternetGateway(w.ctx, w.who, d.vpc.ID, nil))
	w.route6(d.dualRT, "::/0", network.Route{GatewayID: igw.ID})
	w.route6(d.onlyRT, "::/0", network.Route{EgressOnlyIGWID: eigw.ID})

	web := w.group(d.vpc, "web")
	w.allow(web, false, "tcp", 443, 443, ipv6Peer("::/0"))
	db := w.group(d.vpc, "db")
	w.allow(db, false, "tcp", 5432, 5432, ipv6Peer(d.dualBlk))
	w.allow(db, false, "icmpv6", -1, -1, ipv6Peer(d.dualBlk))

	front, frontAddr := w.instance6(d.dual, web)
	back, backAddr := w.instance6(d.only, db)
	if !netip.MustParsePrefix(d.onlyBlk).Contains(backAddr) || !netip.MustParsePrefix(d.dualBlk).Contains(frontAddr) {
		t.Fatalf("addresses %s %s outside their subnets", frontAddr, backAddr)
	}
	internet := addr("2001:db8:77::1")

	cases := []struct {
		name  string
		q     reach.Query
		found bool
		code  reach.Code
		via   string // a component the forward path crosses
	}{
		// The IPv6-only instance has no IPv4 address: the path is IPv6.
		{"dual-stack to IPv6-only, allowed port", reach.Query{Source: front.ID, Destination: back.ID, Protocol: reach.TCP, DestinationPort: 5432}, true, "", db.ID},
		{"dual-stack to IPv6-only, closed port", reach.Query{Source: front.ID, Destination: back.ID, Protocol: reach.TCP, DestinationPort: 22}, false, reach.ENISGRulesMismatch, ""},
		// The IPv6-only subnet is not in the rule's block.
		{"IPv6-only to dual-stack on 443", reach.Query{Source: back.ID, Destination: front.ID, Protocol: reach.TCP, DestinationPort: 443}, true, "", web.ID},
		{"by IPv6 address", reach.Query{Source: front.ID, DestinationIP: backAddr, Protocol: reach.TCP, DestinationPort: 5432}, true, "", ""},
		{"internet in through the internet gateway", reach.Query{SourceIP: internet, Destination: front.ID, Protocol: reach.TCP, DestinationPort: 443}, true, "", igw.ID},
		{"out through the internet gateway", reach.Query{Source: front.ID, DestinationIP: internet, Protocol: reach.TCP, DestinationPort: 443}, true, "", igw.ID},
		{"out through the egress-only gateway", reach.Query{Source: back.ID, DestinationIP: internet, Protocol: reach.TCP, DestinationPort: 443}, true, "", eigw.ID},
		// A dual-stack instance speaks IPv4 unless the query names IPv6,
		// and this subnet has no IPv4 route out.
		{"to the internet gateway, IPv4", reach.Query{Source: front.ID, Destination: igw.ID, Protocol: reach.TCP, DestinationPort: 443}, false, reach.NoRouteToDestination, ""},
		{"to the internet gateway, IPv6", reach.Query{Source: front.ID, Destination: igw.ID, Protocol: reach.TCP, DestinationPort: 443,
			FilterAtSource: reach.PathFilter{DestinationAddress: internet}}, true, "", igw.ID},
		// In through the internet gateway (db admits only the dual-stack
		// subnet); the answer would leave by the egress-only gateway.
		{"internet in to the IPv6-only subnet", reach.Query{SourceIP: internet, Destination: back.ID, Protocol: reach.TCP, DestinationPort: 5432}, false, reach.ENISGRulesMismatch, ""},
		{"mixed families", reach.Query{SourceIP: addr("10.0.1.4"), DestinationIP: backAddr, Protocol: reach.TCP, DestinationPort: 5432}, false, reach.NoPath, ""},
		{"ICMPv6 echo", reach.Query{Source: back.ID, Destination: front.ID, Protocol: reach.ICMP}, false, reach.ENISGRulesMismatch, ""},
		{"ICMPv6 echo, allowed", reach.Query{Source: front.ID, Destination: back.ID, Protocol: reach.ICMP}, true, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := w.analyze(tc.q)
			if r.NetworkPathFound != tc.found {
				t.Fatalf("found %v, want %v: %+v", r.NetworkPathFound, tc.found, r.Explanations)
			}
			if tc.code != "" && (len(r.Explanations) == 0 || r.Explanations[0].ExplanationCode != tc.code) {
				t.Fatalf("explanations %+v, want %s", r.Explanations, tc.code)
			}
			if tc.via != "" && !hasComponent(r.ForwardPathComponents, tc.via) {
				t.Fatalf("forward path misses %s: %+v", tc.via, r.ForwardPathComponents)
			}
		})
	}
}

// TestIPv6InboundAnswersByEgressOnly: the internet comes in through the
// internet gateway to an IPv6-only subnet whose IPv6 route goes to an
// egress-only gateway; the answer leaves by it, to the same internet. A
// VPC with only an egress-only gateway takes nothing in.
func TestIPv6InboundAnswersByEgressOnly(t *testing.T) {
	w := newWorld(t)
	d := w.dualStack()
	eigw := must(w.net.CreateEgressOnlyInternetGateway(w.ctx, w.who, d.vpc.ID, nil))
	w.route6(d.onlyRT, "::/0", network.Route{EgressOnlyIGWID: eigw.ID})
	g := w.group(d.vpc, "all")
	w.allow(g, false, "-1", 0, 0, ipv6Peer("::/0"))
	back, _ := w.instance6(d.only, g)
	q := reach.Query{SourceIP: addr("2001:db8:77::1"), Destination: back.ID, Protocol: reach.TCP, DestinationPort: 5432}
	if r := w.analyze(q); r.NetworkPathFound || r.Explanations[0].ExplanationCode != reach.NoPath || r.Explanations[0].MissingComponent != "internet-gateway" {
		t.Fatalf("egress-only gateway alone: %+v", r.Explanations)
	}
	igw := w.internetGateway(d.vpc)
	r := w.analyze(q)
	if !r.NetworkPathFound || !hasComponent(r.ForwardPathComponents, igw.ID) || !hasComponent(r.ReturnPathComponents, eigw.ID) {
		t.Fatalf("in by the internet gateway, out by the egress-only one: %+v", r)
	}
}

// TestIPv6RoutesAndACLs: without an IPv6 route the packet has none; a
// network ACL's IPv6 rules decide IPv6 traffic (stateless: the answer's
// ephemeral ports too), and its IPv4 rules do not.
func TestIPv6RoutesAndACLs(t *testing.T) {
	w := newWorld(t)
	d := w.dualStack()
	eigw := must(w.net.CreateEgressOnlyInternetGateway(w.ctx, w.who, d.vpc.ID, nil))
	inst, _ := w.instance6(d.only)
	internet := addr("2001:db8:77::1")
	q := reach.Query{Source: inst.ID, DestinationIP: internet, Protocol: reach.TCP, DestinationPort: 443}

	if r := w.analyze(q); r.NetworkPathFound || r.Explanations[0].ExplanationCode != reach.NoRouteToDestination {
		t.Fatalf("without a route: %+v", r.Explanations)
	}
	// An IPv4 default route does not carry IPv6.
	igw := w.internetGateway(d.vpc)
	w.route(d.onlyRT, "0.0.0.0/0", network.Route{GatewayID: igw.ID})
	if r := w.analyze(q); r.NetworkPathFound || r.Explanations[0].ExplanationCode != reach.NoRouteToDestination {
		t.Fatalf("with an IPv4 route only: %+v", r.Explanations)
	}
	w.route6(d.onlyRT, "::/0", network.Route{EgressOnlyIGWID: eigw.ID})
	if r := w.analyze(q); !r.NetworkPathFound {
		t.Fatalf("with the route: %+v", r.Explanations)
	}

	acl := w.ownACL(d.only)
	w.aclRule(acl, 100, true, "-1", "allow", "0.0.0.0/0", 0, 0)
	w.aclRule(acl, 100, false, "-1", "allow", "0.0.0.0/0", 0, 0)
	if r := w.analyze(q); r.NetworkPathFound || r.Explanations[0].ExplanationCode != reach.SubnetACLRestriction {
		t.Fatalf("IPv4 rules only: %+v", r.Explanations)
	}
	rule6 := func(number int32, egress bool, from, to int32) {
		w.must(w.net.CreateNetworkACLEntry(w.ctx, w.who, network.NetworkACLEntryInput{NetworkACLID: acl.ID, RuleNumber: number, Egress: egress,
			Protocol: "6", RuleAction: "allow", IPv6CIDRBlock: "::/0", FromPort: &from, ToPort: &to}))
	}
	rule6(110, true, 443, 443)
	if r := w.analyze(q); r.NetworkPathFound || r.Explanations[0].ExplanationCode != reach.SubnetACLRestriction || r.Explanations[0].Direction != "ingress" {
		t.Fatalf("no inbound rule for the answer: %+v", r.Explanations)
	}
	rule6(110, false, 1024, 65535)
	if r := w.analyze(q); !r.NetworkPathFound {
		t.Fatalf("IPv6 rules both ways: %+v", r.Explanations)
	}
}

// TestIPv6Peering: IPv6 crosses a peering connection when both sides'
// tables route the other's IPv6 block to it; NAT64 through a NAT gateway
// is not modelled.
func TestIPv6Peering(t *testing.T) {
	w := newWorld(t)
	a := w.dualStack()
	vpcB := must(w.net.CreateVPC(w.ctx, w.who, network.CreateVPCInput{CIDRBlock: "10.1.0.0/16", AmazonProvidedIPv6CIDRBlock: true}))
	pb := netip.MustParsePrefix(vpcB.IPv6Associations[0].CIDR)
	b16 := pb.Addr().As16()
	b16[7] = 1
	onlyB := must(w.net.CreateSubnet(w.ctx, w.who, network.CreateSubnetInput{VpcID: vpcB.ID, IPv6Native: true, IPv6CIDRBlock: netip.PrefixFrom(netip.AddrFrom16(b16), 64).String()}))
	rtB := w.table(vpcB, onlyB)
	pcx := w.peering(a.vpc, vpcB, w)

	g := w.group(vpcB, "from-a")
	w.allow(g, false, "tcp", 443, 443, ipv6Peer(a.vpc.IPv6Associations[0].CIDR))
	src, _ := w.instance6(a.only)
	dst, dstAddr := w.instance6(onlyB, g)
	q := reach.Query{Source: src.ID, Destination: dst.ID, Protocol: reach.TCP, DestinationPort: 443}
	if r := w.analyze(q); r.NetworkPathFound || r.Explanations[0].ExplanationCode != reach.NoRouteToDestination {
		t.Fatalf("without routes: %+v", r.Explanations)
	}
	w.route6(a.onlyRT, vpcB.IPv6Associations[0].CIDR, network.Route{VPCPeeringConnectionID: pcx.ID})
	w.route6(rtB, a.vpc.IPv6Associations[0].CIDR, network.Route{VPCPeeringConnectionID: pcx.ID})
	r := w.analyze(q)
	if !r.NetworkPathFound || !hasComponent(r.ForwardPathComponents, pcx.ID) || !hasComponent(r.ReturnPathComponents, pcx.ID) {
		t.Fatalf("across the peering: %+v", r.Explanations)
	}
	// The connection as the destination, by an IPv6 address of the peer.
	if r := w.analyze(reach.Query{Source: src.ID, Destination: pcx.ID, DestinationIP: dstAddr, Protocol: reach.TCP, DestinationPort: 443}); !r.NetworkPathFound {
		t.Fatalf("to the connection: %+v", r.Explanations)
	}

	w.internetGateway(a.vpc)
	nat := w.natGateway(a.dual)
	w.route6(a.onlyRT, "64:ff9b::/96", network.Route{NATGatewayID: nat.ID})
	r = w.analyze(reach.Query{Source: src.ID, DestinationIP: addr("64:ff9b::cb00:710a"), Protocol: reach.TCP, DestinationPort: 443})
	if r.NetworkPathFound || r.Explanations[0].ExplanationCode != reach.UnsupportedComponent {
		t.Fatalf("NAT64: %+v", r.Explanations)
	}
}
