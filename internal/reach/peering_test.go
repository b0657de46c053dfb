package reach_test

import (
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// peeringEndScenarios have a peering connection as the source or the
// destination of the path.
var peeringEndScenarios = []scenario{
	{
		name: "a peering connection as the destination needs a route to it",
		setup: func(w *world) (reach.Query, func()) {
			a, b := newPeered(w, "10.0.0.0/16", "10.0.1.0/24"), newPeered(w, "10.1.0.0/16", "10.1.1.0/24")
			p := w.peering(a.vpc, b.vpc, w)
			return reach.Query{Source: a.inst.ID, Destination: p.ID, Protocol: reach.TCP, DestinationPort: 22},
				func() { w.route(a.rt, b.vpc.CIDRBlock, network.Route{VPCPeeringConnectionID: p.ID}) }
		},
		blocked: reach.NoRouteToDestination,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "an address of the peer VPC", e.Address, "10.1.0.1")
		},
		forward: "i eni sg acl rtb pcx",
		back:    "pcx acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			pcx := r.ForwardPathComponents[5]
			equal(t, "from", pcx.SourceVPC.ID, r.ForwardPathComponents[1].VPC.ID)
			equal(t, "into the peer", pcx.DestinationVPC.ID != pcx.SourceVPC.ID, true)
			equal(t, "anywhere in the peer VPC", strings.Join(pcx.OutboundHeader.DestinationAddresses, ","), "10.1.0.0/16")
			back := r.ReturnPathComponents[0]
			equal(t, "the answer comes from the peer", back.SourceVPC.ID, pcx.DestinationVPC.ID)
			equal(t, "from the peer's blocks", strings.Join(back.OutboundHeader.SourceAddresses, ","), "10.1.0.0/16")
		},
	},
	{
		name: "a peering connection as the destination must be active",
		setup: func(w *world) (reach.Query, func()) {
			a, b := newPeered(w, "10.0.0.0/16", "10.0.1.0/24"), newPeered(w, "10.1.0.0/16", "10.1.1.0/24")
			p := must(w.net.CreateVPCPeeringConnection(w.ctx, w.who, network.CreatePeeringInput{VpcID: a.vpc.ID, PeerVpcID: b.vpc.ID, PeerOwnerID: w.who.Account}))
			return reach.Query{Source: a.inst.ID, Destination: p.ID, Protocol: reach.TCP, DestinationPort: 22}, func() {
				must(w.net.AcceptVPCPeeringConnection(w.ctx, w.who, p.ID))
				w.route(a.rt, b.vpc.CIDRBlock, network.Route{VPCPeeringConnectionID: p.ID})
			}
		},
		blocked: reach.BadState,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "state", e.State, network.PeeringPending)
			equal(t, "connection", strings.HasPrefix(e.VPCPeeringConnection.ID, "pcx-"), true)
		},
		forward: "i eni sg acl rtb pcx",
		back:    "pcx acl sg eni i",
	},
	{
		name: "a peering connection as the source needs a route back to it",
		setup: func(w *world) (reach.Query, func()) {
			a, b := newPeered(w, "10.0.0.0/16", "10.0.1.0/24"), newPeered(w, "10.1.0.0/16", "10.1.1.0/24")
			p := w.peering(a.vpc, b.vpc, w)
			return reach.Query{Source: p.ID, Destination: b.inst.ID, Protocol: reach.TCP, DestinationPort: 22},
				func() { w.route(b.rt, a.vpc.CIDRBlock, network.Route{VPCPeeringConnectionID: p.ID}) }
		},
		blocked:  reach.NoRouteToDestination,
		onReturn: true,
		forward:  "pcx acl sg eni i",
		back:     "i eni sg acl rtb pcx",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			pcx := r.ForwardPathComponents[0]
			equal(t, "into the destination's VPC", pcx.DestinationVPC.ID, r.ForwardPathComponents[3].VPC.ID)
			equal(t, "from the peer's blocks", strings.Join(pcx.OutboundHeader.SourceAddresses, ","), "10.0.0.0/16")
		},
	},
}

func TestPeeringEnds(t *testing.T) {
	type net struct {
		a, b, c peered
		ab      *network.VPCPeeringConnection
	}
	build := func(w *world) net {
		n := net{a: newPeered(w, "10.0.0.0/16", "10.0.1.0/24"), b: newPeered(w, "10.1.0.0/16", "10.1.1.0/24"), c: newPeered(w, "10.2.0.0/16", "10.2.1.0/24")}
		n.ab = link(w, n.a, n.b)
		return n
	}
	cases := []struct {
		name  string
		query func(w *world, n net) reach.Query
		code  reach.Code // "" when the path is found
		check func(t *testing.T, n net, r reach.Result)
	}{
		{name: "to the peer's address through the connection",
			query: func(w *world, n net) reach.Query {
				return reach.Query{Source: n.a.inst.ID, Destination: n.ab.ID, DestinationIP: addr(n.b.inst.PrivateIP), Protocol: reach.TCP, DestinationPort: 22}
			},
			check: func(t *testing.T, n net, r reach.Result) {
				last := r.ForwardPathComponents[len(r.ForwardPathComponents)-1]
				equal(t, "ends at the connection", last.Component.ID, n.ab.ID)
				equal(t, "to the address asked for", last.OutboundHeader.DestinationAddresses[0], n.b.inst.PrivateIP+"/32")
			}},
		{name: "from the peer's side too",
			query: func(w *world, n net) reach.Query {
				return reach.Query{Source: n.b.inst.ID, Destination: "arn:aws:ec2:us-east-1:" + alice.Account + ":vpc-peering-connection/" + n.ab.ID, Protocol: reach.UDP, DestinationPort: 53}
			}},
		{name: "an address outside the peer's blocks",
			query: func(w *world, n net) reach.Query {
				w.route(n.a.rt, "10.2.0.0/16", network.Route{VPCPeeringConnectionID: n.ab.ID})
				return reach.Query{Source: n.a.inst.ID, Destination: n.ab.ID, DestinationIP: addr("10.2.0.5"), Protocol: reach.TCP, DestinationPort: 22}
			},
			code: reach.PCXRequiresAddressInVPCCIDR,
			check: func(t *testing.T, n net, r reach.Result) {
				equal(t, "blocks", strings.Join(r.Explanations[0].CIDRs, ","), "10.1.0.0/16")
			}},
		{name: "a source in a VPC the connection does not join",
			query: func(w *world, n net) reach.Query {
				return reach.Query{Source: n.c.inst.ID, Destination: n.ab.ID, Protocol: reach.TCP}
			},
			code: reach.DisconnectedVPCs},
		{name: "into a VPC the connection does not join",
			query: func(w *world, n net) reach.Query {
				return reach.Query{Source: n.ab.ID, Destination: n.c.inst.ID, Protocol: reach.TCP, DestinationPort: 22}
			},
			code: reach.DisconnectedVPCs},
		{name: "a source address outside the peer's blocks",
			query: func(w *world, n net) reach.Query {
				return reach.Query{Source: n.ab.ID, SourceIP: addr("10.2.0.5"), Destination: n.b.inst.ID, Protocol: reach.TCP, DestinationPort: 22}
			},
			code: reach.PCXRequiresAddressInVPCCIDR,
			check: func(t *testing.T, n net, r reach.Result) {
				equal(t, "address", r.Explanations[0].Address, "10.2.0.5")
				equal(t, "the peer's blocks", strings.Join(r.Explanations[0].CIDRs, ","), "10.0.0.0/16")
			}},
		{name: "no edge-to-edge routing: from the connection out to the internet",
			query: func(w *world, n net) reach.Query {
				igw := w.internetGateway(n.b.vpc)
				return reach.Query{Source: n.ab.ID, Destination: igw.ID, Protocol: reach.TCP, DestinationPort: 443}
			},
			code: reach.PCXRequiresAddressInVPCCIDR},
		{name: "to an address of the destination's VPC nothing holds",
			query: func(w *world, n net) reach.Query {
				return reach.Query{Source: n.ab.ID, DestinationIP: addr("10.1.1.200"), Protocol: reach.TCP, DestinationPort: 22}
			},
			code: reach.NoPossibleDestination},
		{name: "the source address is the one a rule admits",
			query: func(w *world, n net) reach.Query {
				g := w.group(n.b.vpc, "narrow")
				w.allow(g, false, "tcp", 443, 443, cidrPeer("10.0.1.0/24"))
				w.must(w.net.ModifyNetworkInterfaceAttribute(w.ctx, w.who, primary(n.b.inst), network.InterfaceAttributes{Groups: []string{g.ID}}))
				return reach.Query{Source: n.ab.ID, Destination: n.b.inst.ID, Protocol: reach.TCP, DestinationPort: 443}
			},
			check: func(t *testing.T, n net, r reach.Result) {
				equal(t, "sources", strings.Join(r.ForwardPathComponents[0].OutboundHeader.SourceAddresses, ","), "10.0.1.0/24")
			}},
		{name: "a deleted connection",
			query: func(w *world, n net) reach.Query {
				w.must(w.net.DeleteVPCPeeringConnection(w.ctx, w.who, n.ab.ID))
				return reach.Query{Source: n.ab.ID, Destination: n.b.inst.ID, Protocol: reach.TCP, DestinationPort: 22}
			},
			code: reach.BadState},
		{name: "an unknown connection",
			query: func(w *world, n net) reach.Query {
				return reach.Query{Source: n.a.inst.ID, Destination: "pcx-0123456789abcdef0", Protocol: reach.TCP}
			},
			code: reach.NoSourceOrDestination},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			n := build(w)
			q := tc.query(w, n)
			r := w.analyze(q)
			switch {
			case tc.code == "" && !r.NetworkPathFound:
				t.Fatalf("want a path, got %+v\nforward %s", r.Explanations, shape(r.ForwardPathComponents))
			case tc.code != "" && (r.NetworkPathFound || len(r.Explanations) == 0 || r.Explanations[0].ExplanationCode != tc.code):
				t.Fatalf("want %s, got %+v", tc.code, r.Explanations)
			}
			if tc.check != nil {
				tc.check(t, n, r)
			}
			if reach.Reachable(w.snapshot(), q) != r.NetworkPathFound {
				t.Errorf("Reachable disagrees with Analyze")
			}
		})
	}
}
