package reach_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// engineCase is one question on a small network: the answer's verdict,
// first explanation and, for a path found, its hops.
type engineCase struct {
	name  string
	build func(w *world) reach.Query
	// snapshot overrides the snapshot the question is asked of.
	snapshot func(w *world) *netview.Snapshot
	found    bool
	codes    []reach.Code // the explanations, in order
	forward  string       // the hops, for a path found
	check    func(t *testing.T, r reach.Result)
}

func TestEngine(t *testing.T) { runEngineCases(t, engineCases) }

func runEngineCases(t *testing.T, cases []engineCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			q := tc.build(w)
			snap := w.snapshot()
			if tc.snapshot != nil {
				snap = tc.snapshot(w)
			}
			r := reach.Analyze(snap, q)
			if r.NetworkPathFound != tc.found {
				t.Fatalf("found %t, want %t: %+v", r.NetworkPathFound, tc.found, r.Explanations)
			}
			var codes []reach.Code
			for _, e := range r.Explanations {
				codes = append(codes, e.ExplanationCode)
			}
			if !slices.Equal(codes, tc.codes) {
				t.Fatalf("codes %v, want %v: %+v", codes, tc.codes, r.Explanations)
			}
			if tc.forward != "" {
				if got := shape(r.ForwardPathComponents); got != tc.forward {
					t.Errorf("forward hops\n got %s\nwant %s", got, tc.forward)
				}
			}
			if got := reach.Reachable(snap, q); got != tc.found {
				t.Errorf("Reachable says %t, Analyze %t", got, tc.found)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

// sameVPC is a VPC with two subnets; an instance in the first whose group
// admits everything from the VPC, and the groups to give others.
type sameVPC struct {
	vpc    *network.VPC
	a, b   *network.Subnet
	open   *network.SecurityGroup
	client *network.Instance
}

func newSameVPC(w *world) sameVPC {
	n := sameVPC{vpc: w.vpc("10.0.0.0/16")}
	n.a, n.b = w.subnet(n.vpc, "10.0.1.0/24"), w.subnet(n.vpc, "10.0.2.0/24")
	n.open = w.group(n.vpc, "open")
	w.allow(n.open, false, "-1", 0, 0, cidrPeer("10.0.0.0/16"))
	n.client = w.instance(n.a, false, n.open)
	return n
}

func tcp(src, dst string, port int) reach.Query {
	return reach.Query{Source: src, Destination: dst, Protocol: reach.TCP, DestinationPort: port}
}

var engineCases = []engineCase{
	{
		name: "within a subnet no network ACL or route table applies",
		build: func(w *world) reach.Query {
			n := newSameVPC(w)
			w.ownACL(n.a) // denies everything
			return tcp(n.client.ID, w.instance(n.a, false, n.open).ID, 22)
		},
		found:   true,
		forward: "i eni sg sg eni i",
	},
	{
		name: "a stopped instance receives nothing",
		build: func(w *world) reach.Query {
			n := newSameVPC(w)
			db := w.instance(n.b, false, n.open)
			must(w.net.StopInstances(w.ctx, w.who, []string{db.ID}))
			return tcp(n.client.ID, db.ID, 22)
		},
		codes: []reach.Code{reach.BadState},
	},
	{
		name:  "an unknown source",
		build: func(w *world) reach.Query { return tcp("i-0123456789abcdef0", newSameVPC(w).client.ID, 22) },
		codes: []reach.Code{reach.NoSourceOrDestination},
	},
	{
		name:  "a subnet is not a source",
		build: func(w *world) reach.Query { n := newSameVPC(w); return tcp(n.a.ID, n.client.ID, 22) },
		codes: []reach.Code{reach.UnsupportedComponent},
	},
	{
		name: "IPv6 is not analysed",
		build: func(w *world) reach.Query {
			return reach.Query{Source: newSameVPC(w).client.ID, DestinationIP: netip.MustParseAddr("2001:db8::1"), Protocol: reach.TCP}
		},
		codes: []reach.Code{reach.NoPath},
	},
	{
		name: "no path matches the filter at the destination",
		build: func(w *world) reach.Query {
			n := newSameVPC(w)
			q := tcp(n.client.ID, w.instance(n.b, false, n.open).ID, 443)
			q.FilterAtDestination.DestinationPortRange = &reach.PortRange{From: 80, To: 80}
			return q
		},
		codes: []reach.Code{reach.FilterAtDestDstPorts},
	},
	{
		name: "any port: the path narrows to the ports the rules admit",
		build: func(w *world) reach.Query {
			n := newSameVPC(w)
			web := w.group(n.vpc, "web")
			w.allow(web, false, "tcp", 80, 80, cidrPeer("10.0.0.0/16"))
			w.allow(web, false, "tcp", 22, 22, cidrPeer("10.0.1.0/24"))
			return tcp(n.client.ID, w.instance(n.b, false, web).ID, 0)
		},
		found: true,
		check: func(t *testing.T, r reach.Result) {
			got := r.ForwardPathComponents[0].OutboundHeader.DestinationPortRanges
			want := []reach.PortRange{{From: 22, To: 22}, {From: 80, To: 80}}
			if !slices.Equal(got, want) {
				t.Errorf("source header ports %v, want %v", got, want)
			}
		},
	},
	{
		name: "ping: ICMP echo and its reply",
		build: func(w *world) reach.Query {
			n := newSameVPC(w)
			return reach.Query{Source: n.client.ID, Destination: w.instance(n.b, false, n.open).ID, Protocol: reach.ICMP}
		},
		found: true,
		check: func(t *testing.T, r reach.Result) {
			equal(t, "reply type", r.ReturnPathComponents[0].OutboundHeader.DestinationPortRanges[0], reach.PortRange{From: 0, To: 0})
		},
	},
	{
		name: "ping without an ICMP rule",
		build: func(w *world) reach.Query {
			n := newSameVPC(w)
			web := w.group(n.vpc, "web")
			w.allow(web, false, "tcp", 80, 80, cidrPeer("10.0.0.0/16"))
			return reach.Query{Source: n.client.ID, Destination: w.instance(n.b, false, web).ID, Protocol: reach.ICMP}
		},
		codes: []reach.Code{reach.ENISGRulesMismatch},
		check: func(t *testing.T, r reach.Result) { equal(t, "field", r.Explanations[0].PacketField, "protocol") },
	},
	{
		name: "an unassigned address of the VPC",
		build: func(w *world) reach.Query {
			return reach.Query{Source: newSameVPC(w).client.ID, DestinationIP: netip.MustParseAddr("10.0.2.99"), Protocol: reach.TCP}
		},
		codes: []reach.Code{reach.NoPossibleDestination},
		check: func(t *testing.T, r reach.Result) {
			equal(t, "subnet", strings.HasPrefix(r.Explanations[0].Subnet.ID, "subnet-"), true)
		},
	},
	{
		name: "an internet gateway does not carry private addresses",
		build: func(w *world) reach.Query {
			n := newTwoTier(w)
			w.route(n.publicRT, "192.168.0.0/16", network.Route{GatewayID: n.igw.ID})
			inst := w.instance(n.public, true, w.group(n.vpc, "web"))
			return reach.Query{Source: inst.ID, DestinationIP: netip.MustParseAddr("192.168.1.1"), Protocol: reach.TCP, DestinationPort: 443}
		},
		codes: []reach.Code{reach.IGWDestinationNotRFC1918},
	},
	{
		name: "out through the internet gateway and back in to a public address",
		build: func(w *world) reach.Query {
			n := newTwoTier(w)
			g := w.group(n.vpc, "web")
			a, b := w.instance(n.public, true, g), w.instance(n.public, true, g)
			return reach.Query{Source: a.ID, DestinationIP: netip.MustParseAddr(b.PublicIP), Protocol: reach.TCP, DestinationPort: 443}
		},
		codes: []reach.Code{reach.IGWNATReflection},
	},
	{
		name: "an internet address as the source comes in through the VPC's gateway",
		build: func(w *world) reach.Query {
			n := newTwoTier(w)
			g := w.group(n.vpc, "web")
			w.allow(g, false, "tcp", 443, 443, cidrPeer("0.0.0.0/0"))
			inst := w.instance(n.public, true, g)
			return reach.Query{SourceIP: netip.MustParseAddr("198.51.100.20"), Destination: inst.ID, Protocol: reach.TCP, DestinationPort: 443}
		},
		found:   true,
		forward: "igw acl sg eni i",
	},
	{
		name: "an internet gateway as the source wants a public source address",
		build: func(w *world) reach.Query {
			n := newTwoTier(w)
			inst := w.instance(n.public, true, w.group(n.vpc, "web"))
			return reach.Query{Source: n.igw.ID, SourceIP: netip.MustParseAddr("10.9.9.9"), Destination: inst.ID, Protocol: reach.TCP}
		},
		codes: []reach.Code{reach.IGWExpectsPublicAddr},
	},
	{
		name: "another VPC's internet gateway",
		build: func(w *world) reach.Query {
			other := w.vpc("10.1.0.0/16")
			return tcp(newSameVPC(w).client.ID, w.internetGateway(other).ID, 443)
		},
		codes: []reach.Code{reach.DisconnectedVPCs},
	},
	{
		name: "a peering connection not yet accepted",
		build: func(w *world) reach.Query {
			a, b := newPeered(w, "10.0.0.0/16", "10.0.1.0/24"), newPeered(w, "10.1.0.0/16", "10.1.1.0/24")
			p := must(w.net.CreateVPCPeeringConnection(w.ctx, w.who, network.CreatePeeringInput{VpcID: a.vpc.ID, PeerVpcID: b.vpc.ID}))
			w.route(a.rt, b.vpc.CIDRBlock, network.Route{VPCPeeringConnectionID: p.ID})
			return tcp(a.inst.ID, b.inst.ID, 22)
		},
		codes: []reach.Code{reach.BadStateRoute},
	},
	{
		name: "no edge-to-edge routing through a peer's NAT gateway",
		build: func(w *world) reach.Query {
			a := newPeered(w, "10.1.0.0/16", "10.1.1.0/24")
			b := newTwoTier(w.as(bob))
			bw := w.as(bob)
			nat := bw.natGateway(b.public)
			bw.route(b.privateRT, "0.0.0.0/0", network.Route{NATGatewayID: nat.ID})
			p := w.peering(a.vpc, b.vpc, bw)
			w.route(a.rt, "0.0.0.0/0", network.Route{VPCPeeringConnectionID: p.ID})
			return reach.Query{Source: a.inst.ID, DestinationIP: netip.MustParseAddr("198.51.100.7"), Protocol: reach.TCP, DestinationPort: 443}
		},
		codes: []reach.Code{reach.PCXRequiresAddressInVPCCIDR},
		check: func(t *testing.T, r reach.Result) { equal(t, "address", r.Explanations[0].Address, "198.51.100.7") },
	},
	{
		name: "the internet reaches only public addresses",
		build: func(w *world) reach.Query {
			n := newTwoTier(w)
			return reach.Query{Source: n.igw.ID, Destination: w.instance(n.public, false, w.group(n.vpc, "web")).ID, Protocol: reach.TCP}
		},
		codes: []reach.Code{reach.IGWPrivateIPForIngress},
	},
	{
		name: "middleboxes routing to each other",
		build: func(w *world) reach.Query {
			n := newSameVPC(w)
			c := w.subnet(n.vpc, "10.0.3.0/24")
			fw1, fw2 := w.instance(n.b, false, n.open), w.instance(c, false, n.open)
			off := false
			for _, fw := range []*network.Instance{fw1, fw2} {
				w.must(w.net.ModifyNetworkInterfaceAttribute(w.ctx, w.who, primary(fw), network.InterfaceAttributes{SourceDestCheck: &off}))
			}
			w.route(w.table(n.vpc, n.a), "10.0.9.0/24", network.Route{NetworkInterfaceID: primary(fw1)})
			w.route(w.table(n.vpc, n.b), "10.0.9.0/24", network.Route{NetworkInterfaceID: primary(fw2)})
			w.route(w.table(n.vpc, c), "10.0.9.0/24", network.Route{NetworkInterfaceID: primary(fw1)})
			return reach.Query{Source: n.client.ID, DestinationIP: netip.MustParseAddr("10.0.9.9"), Protocol: reach.TCP, DestinationPort: 22}
		},
		codes: []reach.Code{reach.VpcemuRoutingLoop},
	},
	{
		name: "a group of a peered VPC the snapshot does not hold",
		build: func(w *world) reach.Query {
			b := w.as(bob)
			a, far := newPeered(w, "10.0.0.0/16", "10.0.1.0/24"), newPeered(b, "10.1.0.0/16", "10.1.1.0/24")
			p := w.peering(a.vpc, far.vpc, b)
			w.route(a.rt, far.vpc.CIDRBlock, network.Route{VPCPeeringConnectionID: p.ID})
			_, err := w.net.RevokeSecurityGroupRules(w.ctx, w.who, network.RevokeInput{Group: network.GroupRef{ID: a.g.ID}, Egress: true,
				Permissions: []network.Permission{{Protocol: "-1", Peers: []network.Peer{cidrPeer("0.0.0.0/0")}}}})
			w.must(err)
			w.allow(a.g, true, "tcp", 22, 22, groupPeer(far.g.ID))
			return reach.Query{Source: a.inst.ID, DestinationIP: netip.MustParseAddr(far.inst.PrivateIP), Protocol: reach.TCP, DestinationPort: 22}
		},
		snapshot: func(w *world) *netview.Snapshot {
			return must(netview.Build(w.ctx, w.c, netview.SnapshotInput{Scopes: []cloud.Scope{alice.Scope()}}))
		},
		codes: []reach.Code{reach.ENISGRulesMismatch, reach.UnknownPeeredSGs},
	},
	{
		name: "ingress routing sends internet traffic through an appliance",
		build: func(w *world) reach.Query {
			n := newTwoTier(w)
			appliance := w.subnet(n.vpc, "10.0.5.0/24")
			open := w.group(n.vpc, "open")
			w.allow(open, false, "-1", 0, 0, cidrPeer("0.0.0.0/0"))
			fw := w.instance(appliance, false, open)
			off := false
			w.must(w.net.ModifyNetworkInterfaceAttribute(w.ctx, w.who, primary(fw), network.InterfaceAttributes{SourceDestCheck: &off}))
			w.route(w.table(n.vpc, appliance), "0.0.0.0/0", network.Route{GatewayID: n.igw.ID})
			edge := w.table(n.vpc)
			must(w.net.AssociateRouteTable(w.ctx, w.who, edge.ID, "", n.igw.ID))
			w.route(edge, n.private.CIDRBlock, network.Route{NetworkInterfaceID: primary(fw)})
			w.route(n.privateRT, "0.0.0.0/0", network.Route{NetworkInterfaceID: primary(fw)})
			web := w.instance(n.private, true, open)
			return reach.Query{Source: n.igw.ID, Destination: web.ID, Protocol: reach.TCP, DestinationPort: 443}
		},
		found:   true,
		forward: "igw rtb acl sg eni sg acl rtb acl sg eni i",
		check: func(t *testing.T, r reach.Result) {
			equal(t, "return", shape(r.ReturnPathComponents), "i eni sg acl rtb acl sg eni sg acl rtb igw")
		},
	},
}
