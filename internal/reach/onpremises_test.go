package reach_test

import (
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// onPrem is a VPC 10.0.0.0/16 with an instance (its group admits TCP 22
// from 192.168.0.0/16) in a subnet with a table of its own, a virtual
// private gateway attached, and a private VIF on a Direct Connect gateway
// associated with the VGW, over which on premises advertises
// 192.168.0.0/16.
type onPrem struct {
	vpc   *network.VPC
	sub   *network.Subnet
	rt    *network.RouteTable
	g     *network.SecurityGroup
	inst  *network.Instance
	vgw   *network.VPNGateway
	vif   *directconnect.VirtualInterface
	assoc *directconnect.GatewayAssociation
}

// onPremOptions leave parts of the network out, for a scenario to add.
type onPremOptions struct {
	allowed     []string // the association's allowed prefixes; nil: the VPC's CIDR
	noPropagate bool     // the table does not propagate the VGW
	noIngress   bool     // the group admits nothing from on premises
}

func newOnPrem(w *world, o onPremOptions) onPrem {
	n := onPrem{vpc: w.vpc("10.0.0.0/16")}
	n.sub = w.subnet(n.vpc, "10.0.1.0/24")
	n.rt = w.table(n.vpc, n.sub)
	n.g = w.group(n.vpc, "app")
	if !o.noIngress {
		w.allow(n.g, false, "tcp", 22, 22, cidrPeer("192.168.0.0/16"))
	}
	n.inst = w.instance(n.sub, false, n.g)
	n.vgw = must(w.net.CreateVPNGateway(w.ctx, w.who, network.NewVPNGateway{Type: network.VPNGatewayType}))
	must(w.net.AttachVPNGateway(w.ctx, w.who, n.vgw.ID, n.vpc.ID))
	if !o.noPropagate {
		w.must(w.net.EnableVGWRoutePropagation(w.ctx, w.who, n.rt.ID, n.vgw.ID))
	}
	conn := must(w.dx.CreateConnection(w.ctx, w.who, directconnect.NewConnection{Name: "dc", Location: "EqDC2", Bandwidth: "1Gbps"}))
	gw := must(w.dx.CreateGateway(w.ctx, w.who, directconnect.NewGateway{Name: "dxgw"}))
	n.assoc = must(w.dx.CreateGatewayAssociation(w.ctx, w.who, gw.ID, n.vgw.ID, o.allowed))
	n.vif = must(w.dx.CreateVirtualInterface(w.ctx, w.who, directconnect.NewVirtualInterface{
		Type: directconnect.Private, ConnectionID: conn.ID, Name: "corp", Vlan: 101, ASN: 65000, GatewayID: gw.ID}))
	must(w.dx.Advertise(w.ctx, w.who, n.vif.ID, []string{"192.168.0.0/16"}))
	return n
}

// fromOnPrem is the query from 192.168.1.10 over the VIF to the instance.
func (n onPrem) fromOnPrem() reach.Query {
	return reach.Query{SourceIP: addr("192.168.1.10"), Via: n.vif.ID, Destination: n.inst.ID, Protocol: reach.TCP, DestinationPort: 22}
}

func (w *world) setVIF(n onPrem, state string) {
	w.t.Helper()
	must(w.dx.SetState(w.ctx, w.who, n.vif.ID, state))
}

const (
	fromOnPremHops = "dxvif dxgw vgw acl sg eni i"
	toOnPremHops   = "i eni sg acl rtb vgw dxgw dxvif"
)

// onPremisesScenarios have on premises, behind a Direct Connect virtual
// interface, as the source or the destination.
var onPremisesScenarios = []scenario{
	{
		name: "on premises to an instance: the VIF must be up",
		setup: func(w *world) (reach.Query, func()) {
			n := newOnPrem(w, onPremOptions{})
			w.setVIF(n, "down")
			return n.fromOnPrem(), func() { w.setVIF(n, "available") }
		},
		blocked: reach.VpcemuDXVIFDown,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "state", e.State, "down")
			equal(t, "the VIF", strings.HasPrefix(e.Component.ID, "dxvif-"), true)
			equal(t, "its ARN", strings.HasPrefix(e.Component.ARN, "arn:aws:directconnect:us-east-1:111111111111:dxvif/dxvif-"), true)
		},
		forward: fromOnPremHops,
		back:    toOnPremHops,
		fixed: func(t *testing.T, w *world, r reach.Result) {
			rtb := r.ReturnPathComponents[4]
			equal(t, "back by the propagated route", rtb.RouteTableRoute.Origin, "enablevgwroutepropagation")
			equal(t, "for the prefix advertised", rtb.RouteTableRoute.DestinationCIDR, "192.168.0.0/16")
			equal(t, "from on premises", strings.Join(r.ForwardPathComponents[0].OutboundHeader.SourceAddresses, ","), "192.168.1.10/32")
		},
	},
	{
		name: "on premises to an instance: the association must allow the VPC's CIDR",
		setup: func(w *world) (reach.Query, func()) {
			n := newOnPrem(w, onPremOptions{allowed: []string{"10.0.0.0/24"}})
			return n.fromOnPrem(), func() {
				must(w.dx.UpdateGatewayAssociation(w.ctx, w.who, n.assoc.ID, []string{"10.0.0.0/8"}, []string{"10.0.0.0/24"}))
			}
		},
		blocked: reach.VpcemuDXPrefixNotAllowed,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "the instance's address", e.Address, "10.0.1.4")
			equal(t, "the allowed prefixes", strings.Join(e.CIDRs, ","), "10.0.0.0/24")
			equal(t, "the VGW", strings.HasPrefix(e.VPNGateway.ID, "vgw-"), true)
		},
		forward: fromOnPremHops,
		back:    toOnPremHops,
	},
	{
		name: "on premises to an instance: the subnet needs a route back to the VGW",
		setup: func(w *world) (reach.Query, func()) {
			n := newOnPrem(w, onPremOptions{noPropagate: true})
			return n.fromOnPrem(), func() { w.must(w.net.EnableVGWRoutePropagation(w.ctx, w.who, n.rt.ID, n.vgw.ID)) }
		},
		blocked:  reach.NoRouteToDestination,
		onReturn: true,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "to on premises", e.Address, "192.168.1.10")
			equal(t, "in the subnet's table", strings.HasPrefix(e.RouteTable.ID, "rtb-"), true)
		},
		forward: fromOnPremHops,
		back:    toOnPremHops,
	},
	{
		name: "on premises to an instance: a static route back works as well",
		setup: func(w *world) (reach.Query, func()) {
			n := newOnPrem(w, onPremOptions{noPropagate: true})
			return n.fromOnPrem(), func() { w.route(n.rt, "192.168.1.0/24", network.Route{GatewayID: n.vgw.ID}) }
		},
		blocked:  reach.NoRouteToDestination,
		onReturn: true,
		forward:  fromOnPremHops,
		back:     toOnPremHops,
		fixed: func(t *testing.T, w *world, r reach.Result) {
			equal(t, "a static route", r.ReturnPathComponents[4].RouteTableRoute.Origin, "createroute")
		},
	},
	{
		name: "on premises to an instance: the security group must admit on premises",
		setup: func(w *world) (reach.Query, func()) {
			n := newOnPrem(w, onPremOptions{noIngress: true})
			return n.fromOnPrem(), func() { w.allow(n.g, false, "tcp", 22, 22, cidrPeer("192.168.0.0/16")) }
		},
		blocked: reach.ENISGRulesMismatch,
		forward: fromOnPremHops,
		back:    toOnPremHops,
	},
	{
		name: "on premises to an instance: the subnet's network ACL must let it in",
		setup: func(w *world) (reach.Query, func()) {
			n := newOnPrem(w, onPremOptions{})
			acl := w.ownACL(n.sub)
			w.aclRule(acl, 100, true, "-1", "allow", "0.0.0.0/0", 0, 0)
			return n.fromOnPrem(), func() { w.aclRule(acl, 100, false, "6", "allow", "192.168.0.0/16", 22, 22) }
		},
		blocked: reach.SubnetACLRestriction,
		forward: fromOnPremHops,
		back:    toOnPremHops,
	},
	{
		name: "an instance to on premises: the VGW forwards only what on premises advertises",
		setup: func(w *world) (reach.Query, func()) {
			n := newOnPrem(w, onPremOptions{})
			w.allow(n.g, false, "tcp", 443, 443, cidrPeer("0.0.0.0/0"))
			w.route(n.rt, "172.16.0.0/12", network.Route{GatewayID: n.vgw.ID})
			q := reach.Query{Source: n.inst.ID, DestinationIP: addr("172.16.5.5"), Via: n.vif.ID, Protocol: reach.TCP, DestinationPort: 443}
			return q, func() { must(w.dx.Advertise(w.ctx, w.who, n.vif.ID, []string{"192.168.0.0/16", "172.16.0.0/12"})) }
		},
		blocked: reach.NoRouteToDestination,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "at the VGW", strings.HasPrefix(e.Component.ID, "vgw-"), true)
		},
		forward: toOnPremHops,
		back:    fromOnPremHops,
	},
	{
		name: "an instance to on premises: a VIF down withdraws the propagated route",
		setup: func(w *world) (reach.Query, func()) {
			n := newOnPrem(w, onPremOptions{})
			w.setVIF(n, "down")
			q := reach.Query{Source: n.inst.ID, DestinationIP: addr("192.168.7.7"), Via: n.vif.ID, Protocol: reach.TCP, DestinationPort: 22}
			return q, func() { w.setVIF(n, "available") }
		},
		blocked: reach.NoRouteToDestination,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "in the subnet's table", strings.HasPrefix(e.Component.ID, "rtb-"), true)
		},
		forward: toOnPremHops,
		back:    fromOnPremHops,
	},
}

// vgwEndScenarios have a virtual private gateway itself as an end, as
// Network Insights paths take it: what is behind it is not analysed.
var vgwEndScenarios = []scenario{
	{
		name: "a virtual private gateway as the source needs a route back to it",
		setup: func(w *world) (reach.Query, func()) {
			n := newOnPrem(w, onPremOptions{noPropagate: true})
			return reach.Query{Source: n.vgw.ID, SourceIP: addr("192.168.1.10"), Destination: n.inst.ID, Protocol: reach.TCP, DestinationPort: 22},
				func() { w.must(w.net.EnableVGWRoutePropagation(w.ctx, w.who, n.rt.ID, n.vgw.ID)) }
		},
		blocked:  reach.NoRouteToDestination,
		onReturn: true,
		forward:  "vgw acl sg eni i",
		back:     "i eni sg acl rtb vgw",
	},
	{
		name: "a virtual private gateway as the destination, at an address its route covers",
		setup: func(w *world) (reach.Query, func()) {
			n := newOnPrem(w, onPremOptions{})
			w.setVIF(n, "down") // no propagated route: no address to try
			return reach.Query{Source: n.inst.ID, Destination: n.vgw.ID, Protocol: reach.TCP, DestinationPort: 22},
				func() { w.route(n.rt, "10.99.0.0/16", network.Route{GatewayID: n.vgw.ID}) }
		},
		blocked: reach.NoRouteToDestination,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "the gateway", strings.HasPrefix(e.VPNGateway.ID, "vgw-"), true)
		},
		forward: "i eni sg acl rtb vgw",
		back:    "vgw acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			equal(t, "to the route's first address", strings.Join(r.ForwardPathComponents[5].OutboundHeader.DestinationAddresses, ","), "10.99.0.1/32")
		},
	},
}

// TestOnPremisesNoEdgeToEdge: on premises reaches the VPC's own addresses
// (an instance, an interface endpoint), never what lies beyond the VPC's
// gateways; and the query must name a VIF the VPC's gateway is linked to.
func TestOnPremisesNoEdgeToEdge(t *testing.T) {
	w := newWorld(t)
	n := newOnPrem(w, onPremOptions{})
	igw := w.internetGateway(n.vpc)
	w.route(n.rt, "0.0.0.0/0", network.Route{GatewayID: igw.ID})
	other := w.vpc("10.9.0.0/16")
	otherVGW := must(w.net.CreateVPNGateway(w.ctx, w.who, network.NewVPNGateway{Type: network.VPNGatewayType}))
	must(w.net.AttachVPNGateway(w.ctx, w.who, otherVGW.ID, other.ID))
	otherInst := w.instance(w.subnet(other, "10.9.1.0/24"), false, w.group(other, "o"))
	epG := w.group(n.vpc, "endpoint")
	w.allow(epG, false, "tcp", 443, 443, cidrPeer("192.168.0.0/16"))
	noDNS := false
	ep := w.interfaceEndpoint(n.vpc, "com.amazonaws.us-east-1.sns", &noDNS, []*network.Subnet{n.sub}, epG)
	s3 := w.gatewayEndpoint(n.vpc, "s3", "", n.rt)

	for _, tt := range []struct {
		name    string
		q       reach.Query
		code    reach.Code
		missing string
	}{
		{"the internet through the VPC's internet gateway", reach.Query{SourceIP: addr("192.168.1.10"), Via: n.vif.ID, DestinationIP: addr("8.8.8.8"), Protocol: reach.TCP, DestinationPort: 443},
			reach.NoRouteToDestination, ""},
		{"a VPC whose gateway the VIF does not reach", reach.Query{SourceIP: addr("192.168.1.10"), Via: n.vif.ID, Destination: otherInst.ID, Protocol: reach.TCP, DestinationPort: 22},
			reach.NoPath, "direct-connect-gateway-association"},
		{"a gateway endpoint's service", reach.Query{SourceIP: addr("192.168.1.10"), Via: n.vif.ID, Destination: s3.ID, Protocol: reach.TCP, DestinationPort: 443},
			reach.NoRouteToDestination, ""},
		{"a VIF that does not exist", reach.Query{SourceIP: addr("192.168.1.10"), Via: "dxvif-ffffffff", Destination: n.inst.ID, Protocol: reach.TCP, DestinationPort: 22},
			reach.NoSourceOrDestination, ""},
		{"an on-premises address inside the VPC", reach.Query{SourceIP: addr("10.0.1.200"), Via: n.vif.ID, Destination: n.inst.ID, Protocol: reach.TCP, DestinationPort: 22},
			reach.NoPath, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := w.analyze(tt.q)
			if r.NetworkPathFound || len(r.Explanations) == 0 || r.Explanations[0].ExplanationCode != tt.code {
				t.Fatalf("want %s, got found=%t %+v", tt.code, r.NetworkPathFound, r.Explanations)
			}
			equal(t, "missing component", r.Explanations[0].MissingComponent, tt.missing)
		})
	}
	if !w.analyze(n.fromOnPrem()).NetworkPathFound {
		t.Fatal("the instance itself is reachable")
	}
	r := w.analyze(reach.Query{SourceIP: addr("192.168.1.10"), Via: n.vif.ID, Destination: ep.ID, Protocol: reach.TCP, DestinationPort: 443})
	if !r.NetworkPathFound {
		t.Fatalf("on premises to an interface endpoint: %+v", r.Explanations)
	}
	equal(t, "through the endpoint", shape(r.ForwardPathComponents), "dxvif dxgw vgw acl sg eni vpce")
	// Without Via, a route to the VGW still finds on premises through the
	// VIFs behind it.
	r = w.analyze(reach.Query{Source: n.inst.ID, DestinationIP: addr("192.168.3.3"), Protocol: reach.TCP, DestinationPort: 22})
	if !r.NetworkPathFound {
		t.Fatalf("instance to on premises without Via: %+v", r.Explanations)
	}
}

// TestOnPremisesRoutePriority: propagated routes rank as AWS ranks them:
// the longest prefix first; for one prefix a static route before a
// propagated one (the analysis names the route it hid).
func TestOnPremisesRoutePriority(t *testing.T) {
	w := newWorld(t)
	n := newOnPrem(w, onPremOptions{})
	igw := w.internetGateway(n.vpc)
	w.route(n.rt, "192.168.0.0/16", network.Route{GatewayID: igw.ID})
	to := func(a string) reach.Result {
		return w.analyze(reach.Query{Source: n.inst.ID, DestinationIP: addr(a), Via: n.vif.ID, Protocol: reach.TCP, DestinationPort: 22})
	}
	r := to("192.168.1.10")
	if r.NetworkPathFound || len(r.Explanations) != 2 {
		t.Fatalf("a static route for the same prefix wins: %+v", r.Explanations)
	}
	equal(t, "the static route's gateway refuses", r.Explanations[0].ExplanationCode, reach.IGWPublicIPForEgress)
	equal(t, "over the propagated route", r.Explanations[1].ExplanationCode, reach.HigherPriorityRoute)
	equal(t, "which is", r.Explanations[1].RouteTableRoute.Origin, "enablevgwroutepropagation")

	must(w.dx.Advertise(w.ctx, w.who, n.vif.ID, []string{"192.168.0.0/16", "192.168.1.0/24"}))
	if r := to("192.168.1.10"); !r.NetworkPathFound {
		t.Fatalf("a longer propagated prefix wins over the static route: %+v", r.Explanations)
	}
	if r := to("192.168.2.10"); r.NetworkPathFound {
		t.Fatal("outside the longer prefix, the static route still wins")
	}
}

// TestOnPremisesCrossAccount: a VIF and Direct Connect gateway of one
// account reach another account's VPC through an accepted proposal; the
// VPC's owner analyses from on premises over the other account's VIF, and
// its route table learns the prefixes.
func TestOnPremisesCrossAccount(t *testing.T) {
	w := newWorld(t)
	b := w.as(bob)
	vpc := b.vpc("10.20.0.0/16")
	sub := b.subnet(vpc, "10.20.1.0/24")
	rt := b.table(vpc, sub)
	g := b.group(vpc, "app")
	b.allow(g, false, "tcp", 22, 22, cidrPeer("192.168.0.0/16"))
	inst := b.instance(sub, false, g)
	vgw := must(b.net.CreateVPNGateway(b.ctx, b.who, network.NewVPNGateway{Type: network.VPNGatewayType}))
	must(b.net.AttachVPNGateway(b.ctx, b.who, vgw.ID, vpc.ID))
	b.must(b.net.EnableVGWRoutePropagation(b.ctx, b.who, rt.ID, vgw.ID))

	conn := must(w.dx.CreateConnection(w.ctx, w.who, directconnect.NewConnection{Name: "dc", Location: "EqDC2", Bandwidth: "1Gbps"}))
	gw := must(w.dx.CreateGateway(w.ctx, w.who, directconnect.NewGateway{Name: "dxgw"}))
	vif := must(w.dx.CreateVirtualInterface(w.ctx, w.who, directconnect.NewVirtualInterface{
		Type: directconnect.Private, ConnectionID: conn.ID, Name: "corp", Vlan: 101, ASN: 65000, GatewayID: gw.ID}))
	must(w.dx.Advertise(w.ctx, w.who, vif.ID, []string{"192.168.0.0/16"}))
	q := reach.Query{SourceIP: addr("192.168.1.10"), Via: vif.ID, Destination: inst.ID, Protocol: reach.TCP, DestinationPort: 22}
	if r := b.analyze(q); r.NetworkPathFound {
		t.Fatal("found a path before the gateways are associated")
	}

	p := must(b.dx.CreateProposal(b.ctx, b.who, directconnect.NewProposal{GatewayID: gw.ID, GatewayOwner: alice.Account, AssociatedID: vgw.ID}))
	must(w.dx.AcceptProposal(w.ctx, w.who, gw.ID, p.ID, bob.Account, nil))
	r := b.analyze(q)
	if !r.NetworkPathFound {
		t.Fatalf("over the other account's VIF: %+v", r.Explanations)
	}
	equal(t, "hops", shape(r.ForwardPathComponents), fromOnPremHops)
	equal(t, "the VIF's ARN names its owner", r.ForwardPathComponents[0].Component.ARN, vif.ARN())
}
