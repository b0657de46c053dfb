package reach_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// scenario is a network built blocked, analysed, fixed, analysed again.
type scenario struct {
	name string
	// setup builds the blocked network; it returns the path to analyse and
	// the change that fixes it.
	setup func(w *world) (q reach.Query, fix func())
	// blocked is the code of the first explanation; onReturn says the
	// answer, not the packet, is what gets blocked.
	blocked  reach.Code
	onReturn bool
	// also are more codes the blocked result explains with.
	also []reach.Code
	// check looks closer at the blocked result's first explanation.
	check func(t *testing.T, w *world, e reach.Explanation)
	// forward and back are the fixed paths' hops, by id prefix.
	forward, back string
	// fixed looks closer at the fixed result.
	fixed func(t *testing.T, w *world, r reach.Result)
}

func TestScenarios(t *testing.T) {
	for _, sc := range slices.Concat(scenarios, endpointScenarios, peeringEndScenarios, onPremisesScenarios, vgwEndScenarios, dnsScenarios, directNLBScenarios) {
		t.Run(sc.name, func(t *testing.T) {
			w := newWorld(t)
			q, fix := sc.setup(w)

			r := w.analyze(q)
			if r.NetworkPathFound || len(r.Explanations) == 0 {
				t.Fatalf("blocked: want no path with explanations, got %+v", r)
			}
			if got := r.Explanations[0].ExplanationCode; got != sc.blocked {
				t.Fatalf("blocked: want %s, got %s (%+v)", sc.blocked, got, r.Explanations)
			}
			for _, c := range sc.also {
				if !slices.ContainsFunc(r.Explanations, func(e reach.Explanation) bool { return e.ExplanationCode == c }) {
					t.Errorf("blocked: want also %s, got %+v", c, r.Explanations)
				}
			}
			if got := len(r.ReturnPathComponents) > 0; got != sc.onReturn {
				t.Errorf("blocked: return path shown %t, want %t", got, sc.onReturn)
			}
			if sc.check != nil {
				sc.check(t, w, r.Explanations[0])
			}

			fix()
			r = w.analyze(q)
			if !r.NetworkPathFound || len(r.Explanations) > 0 {
				t.Fatalf("fixed: want a path, got %+v\nforward %s\nback %s", r.Explanations, shape(r.ForwardPathComponents), shape(r.ReturnPathComponents))
			}
			if got := shape(r.ForwardPathComponents); got != sc.forward {
				t.Errorf("fixed: forward hops\n got %s\nwant %s", got, sc.forward)
			}
			if got := shape(r.ReturnPathComponents); got != sc.back {
				t.Errorf("fixed: return hops\n got %s\nwant %s", got, sc.back)
			}
			checkSequence(t, r.ForwardPathComponents)
			checkSequence(t, r.ReturnPathComponents)
			if sc.fixed != nil {
				sc.fixed(t, w, r)
			}
		})
	}
}

// shape lists a path's hops by the prefix of their ids: "i eni sg acl …"
// (the resource type of an ARN: "loadbalancer", "targetgroup").
func shape(pcs []reach.PathComponent) string {
	out := make([]string, len(pcs))
	for i, pc := range pcs {
		out[i] = idPrefix(pc.Component.ID)
	}
	return strings.Join(out, " ")
}

func idPrefix(id string) string {
	if parts := strings.SplitN(id, ":", 6); len(parts) == 6 {
		kind, _, _ := strings.Cut(parts[5], "/")
		return kind
	}
	if len(id) == 36 && id[8] == '-' {
		return "dxgw" // a Direct Connect gateway's UUID
	}
	prefix, _, _ := strings.Cut(id, "-")
	return prefix
}

func checkSequence(t *testing.T, pcs []reach.PathComponent) {
	t.Helper()
	for i, pc := range pcs {
		if pc.SequenceNumber != i+1 {
			t.Errorf("hop %d has sequence number %d", i, pc.SequenceNumber)
		}
	}
}

// hop is the first hop whose id starts with prefix.
func hop(t *testing.T, pcs []reach.PathComponent, prefix string) reach.PathComponent {
	t.Helper()
	for _, pc := range pcs {
		if strings.HasPrefix(pc.Component.ID, prefix) || idPrefix(pc.Component.ID) == prefix {
			return pc
		}
	}
	t.Fatalf("no %s hop in %s", prefix, shape(pcs))
	return reach.PathComponent{}
}

func equal[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

// twoTier is a VPC 10.0.0.0/16 with a public subnet routed to an internet
// gateway and a private subnet with a table of its own.
type twoTier struct {
	vpc                 *network.VPC
	public, private     *network.Subnet
	publicRT, privateRT *network.RouteTable
	igw                 *network.InternetGateway
}

func newTwoTier(w *world) twoTier {
	n := twoTier{vpc: w.vpc("10.0.0.0/16")}
	n.public, n.private = w.subnet(n.vpc, "10.0.0.0/24"), w.subnet(n.vpc, "10.0.1.0/24")
	n.igw = w.internetGateway(n.vpc)
	n.publicRT, n.privateRT = w.table(n.vpc, n.public), w.table(n.vpc, n.private)
	w.route(n.publicRT, "0.0.0.0/0", network.Route{GatewayID: n.igw.ID})
	return n
}

// pair is two instances in two subnets of one VPC, app calling db.
type pair struct {
	vpc       *network.VPC
	app, db   *network.Instance
	appS, dbS *network.Subnet
	appG, dbG *network.SecurityGroup
}

func newPair(w *world) pair {
	p := pair{vpc: w.vpc("10.0.0.0/16")}
	p.appS, p.dbS = w.subnet(p.vpc, "10.0.1.0/24"), w.subnet(p.vpc, "10.0.2.0/24")
	p.appG, p.dbG = w.group(p.vpc, "app"), w.group(p.vpc, "db")
	p.app, p.db = w.instance(p.appS, false, p.appG), w.instance(p.dbS, false, p.dbG)
	return p
}

// peered is a VPC with a subnet, a route table and an instance whose group
// admits TCP 22 from 10.0.0.0/8.
type peered struct {
	vpc  *network.VPC
	rt   *network.RouteTable
	inst *network.Instance
	g    *network.SecurityGroup
}

func newPeered(w *world, block, subnet string) peered {
	v := w.vpc(block)
	s := w.subnet(v, subnet)
	g := w.group(v, "svc")
	w.allow(g, false, "tcp", 22, 22, cidrPeer("10.0.0.0/8"))
	return peered{vpc: v, rt: w.table(v, s), inst: w.instance(s, false, g), g: g}
}

// link peers two VPCs and routes each one's block to the other.
func link(w *world, a, b peered) *network.VPCPeeringConnection {
	p := w.peering(a.vpc, b.vpc, w)
	w.route(a.rt, b.vpc.CIDRBlock, network.Route{VPCPeeringConnectionID: p.ID})
	w.route(b.rt, a.vpc.CIDRBlock, network.Route{VPCPeeringConnectionID: p.ID})
	return p
}

var scenarios = []scenario{
	{
		name: "private instance reaches the internet through a NAT gateway",
		setup: func(w *world) (reach.Query, func()) {
			n := newTwoTier(w)
			inst := w.instance(n.private, false, w.group(n.vpc, "app"))
			return reach.Query{Source: inst.ID, DestinationIP: addr("198.51.100.7"), Protocol: reach.TCP, DestinationPort: 443}, func() {
				nat := w.natGateway(n.public)
				w.route(n.privateRT, "0.0.0.0/0", network.Route{NATGatewayID: nat.ID})
			}
		},
		blocked: reach.NoRouteToDestination,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "address", e.Address, "198.51.100.7")
			equal(t, "route table", strings.HasPrefix(e.RouteTable.ID, "rtb-"), true)
		},
		forward: "i eni sg acl rtb acl nat acl rtb igw",
		back:    "igw acl nat acl rtb acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			nat := hop(t, r.ForwardPathComponents, "nat-")
			equal(t, "source after the NAT", nat.OutboundHeader.SourceAddresses[0], "10.0.0.4/32")
			equal(t, "source ports after the NAT", nat.OutboundHeader.SourcePortRanges[0], reach.PortRange{From: 1024, To: 65535})
			igw := hop(t, r.ForwardPathComponents, "igw-")
			equal(t, "source on the internet", strings.HasPrefix(igw.OutboundHeader.SourceAddresses[0], "198.1"), true)
		},
	},
	{
		name: "public instance needs a public address",
		setup: func(w *world) (reach.Query, func()) {
			n := newTwoTier(w)
			inst := w.instance(n.public, false, w.group(n.vpc, "web"))
			return reach.Query{Source: inst.ID, DestinationIP: addr("198.51.100.7"), Protocol: reach.TCP, DestinationPort: 443},
				func() { w.elasticIP(inst) }
		},
		blocked: reach.IGWPublicIPForEgress,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "address", e.Address, "10.0.0.4")
			equal(t, "gateway", strings.HasPrefix(e.InternetGateway.ID, "igw-"), true)
		},
		forward: "i eni sg acl rtb igw",
		back:    "igw acl sg eni i",
	},
	{
		name: "security group without the port",
		setup: func(w *world) (reach.Query, func()) {
			p := newPair(w)
			w.allow(p.dbG, false, "tcp", 22, 22, cidrPeer("10.0.0.0/16"))
			return reach.Query{Source: p.app.ID, Destination: p.db.ID, Protocol: reach.TCP, DestinationPort: 443},
				func() { w.allow(p.dbG, false, "tcp", 443, 443, cidrPeer("10.0.0.0/16")) }
		},
		blocked: reach.ENISGRulesMismatch,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "direction", e.Direction, "ingress")
			equal(t, "packet field", e.PacketField, "destination-port")
			equal(t, "port", e.Port, 443)
			equal(t, "group", strings.HasPrefix(e.SecurityGroup.ID, "sg-"), true)
		},
		forward: "i eni sg acl rtb acl sg eni i",
		back:    "i eni sg acl rtb acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			in := r.ForwardPathComponents[6]
			equal(t, "ingress rule", *in.SecurityGroupRule.PortRange, reach.PortRange{From: 443, To: 443})
			equal(t, "return through the group without a rule", r.ReturnPathComponents[2].SecurityGroupRule == nil, true)
			equal(t, "destination header", r.ForwardPathComponents[8].InboundHeader.DestinationPortRanges[0], reach.PortRange{From: 443, To: 443})
		},
	},
	{
		name: "network ACL denies the answer on ephemeral ports",
		setup: func(w *world) (reach.Query, func()) {
			p := newPair(w)
			w.allow(p.dbG, false, "tcp", 443, 443, cidrPeer("10.0.0.0/16"))
			acl := w.ownACL(p.dbS)
			w.aclRule(acl, 100, false, "6", "allow", "10.0.0.0/16", 443, 443)
			w.aclRule(acl, 100, true, "6", "allow", "10.0.0.0/16", 443, 443)
			return reach.Query{Source: p.app.ID, Destination: p.db.ID, Protocol: reach.TCP, DestinationPort: 443},
				func() { w.aclRule(acl, 110, true, "6", "allow", "10.0.0.0/16", 1024, 65535) }
		},
		blocked:  reach.SubnetACLRestriction,
		onReturn: true,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "direction", e.Direction, "egress")
			equal(t, "rule", e.ACLRule.RuleNumber, network.AllRulesNumber)
			equal(t, "action", e.ACLRule.RuleAction, "deny")
			equal(t, "ports", e.PortRanges[0], reach.PortRange{From: 1024, To: 65535})
		},
		forward: "i eni sg acl rtb acl sg eni i",
		back:    "i eni sg acl rtb acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			equal(t, "return rule", r.ReturnPathComponents[3].ACLRule.RuleNumber, 110)
		},
	},
	{
		name: "peering is not transitive",
		setup: func(w *world) (reach.Query, func()) {
			a, b, c := newPeered(w, "10.0.0.0/16", "10.0.1.0/24"), newPeered(w, "10.1.0.0/16", "10.1.1.0/24"), newPeered(w, "10.2.0.0/16", "10.2.1.0/24")
			link(w, a, b)
			link(w, b, c)
			return reach.Query{Source: a.inst.ID, Destination: c.inst.ID, Protocol: reach.TCP, DestinationPort: 22},
				func() { link(w, a, c) }
		},
		blocked: reach.DisconnectedVPCs,
		forward: "i eni sg acl rtb pcx acl sg eni i",
		back:    "i eni sg acl rtb pcx acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			pcx := hop(t, r.ForwardPathComponents, "pcx-")
			equal(t, "into", pcx.DestinationVPC.ID != pcx.SourceVPC.ID, true)
		},
	},
	{
		name: "route to a peering outside the peer's blocks",
		setup: func(w *world) (reach.Query, func()) {
			a, b, c := newPeered(w, "10.0.0.0/16", "10.0.1.0/24"), newPeered(w, "10.1.0.0/16", "10.1.1.0/24"), newPeered(w, "10.2.0.0/16", "10.2.1.0/24")
			ab := link(w, a, b)
			link(w, b, c)
			w.route(a.rt, c.vpc.CIDRBlock, network.Route{VPCPeeringConnectionID: ab.ID})
			return reach.Query{Source: a.inst.ID, DestinationIP: addr(c.inst.PrivateIP), Protocol: reach.TCP, DestinationPort: 22}, func() {
				ac := w.peering(a.vpc, c.vpc, w)
				w.must(w.net.ReplaceRoute(w.ctx, w.who, a.rt.ID, network.Route{DestinationCIDR: c.vpc.CIDRBlock, VPCPeeringConnectionID: ac.ID}, false))
				w.route(c.rt, a.vpc.CIDRBlock, network.Route{VPCPeeringConnectionID: ac.ID})
			}
		},
		blocked: reach.PCXRequiresAddressInVPCCIDR,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "blocks", strings.Join(e.CIDRs, ","), "10.1.0.0/16")
			equal(t, "address", e.Address, "10.2.1.4")
		},
		forward: "i eni sg acl rtb pcx acl sg eni",
		back:    "eni sg acl rtb pcx acl sg eni i",
	},
	{
		name: "blackhole route to a deleted NAT gateway",
		setup: func(w *world) (reach.Query, func()) {
			n := newTwoTier(w)
			inst := w.instance(n.private, false, w.group(n.vpc, "app"))
			nat := w.natGateway(n.public)
			w.route(n.privateRT, "0.0.0.0/0", network.Route{NATGatewayID: nat.ID})
			must(w.net.DeleteNATGateway(w.ctx, w.who, nat.ID))
			return reach.Query{Source: inst.ID, DestinationIP: addr("198.51.100.7"), Protocol: reach.TCP, DestinationPort: 443}, func() {
				nat := w.natGateway(n.public)
				w.must(w.net.ReplaceRoute(w.ctx, w.who, n.privateRT.ID, network.Route{DestinationCIDR: "0.0.0.0/0", NATGatewayID: nat.ID}, false))
			}
		},
		blocked: reach.BadStateRoute,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "state", e.RouteTableRoute.State, "blackhole")
			equal(t, "route", e.RouteTableRoute.DestinationCIDR, "0.0.0.0/0")
		},
		forward: "i eni sg acl rtb acl nat acl rtb igw",
		back:    "igw acl nat acl rtb acl sg eni i",
	},
	{
		name: "a blackhole route hides a wider one",
		setup: func(w *world) (reach.Query, func()) {
			n := newTwoTier(w)
			inst := w.instance(n.private, false, w.group(n.vpc, "app"))
			gone, nat := w.natGateway(n.public), w.natGateway(n.public)
			w.route(n.privateRT, "0.0.0.0/0", network.Route{NATGatewayID: nat.ID})
			w.route(n.privateRT, "198.51.100.0/24", network.Route{NATGatewayID: gone.ID})
			must(w.net.DeleteNATGateway(w.ctx, w.who, gone.ID))
			return reach.Query{Source: inst.ID, DestinationIP: addr("198.51.100.7"), Protocol: reach.TCP, DestinationPort: 443},
				func() {
					w.must(w.net.DeleteRoute(w.ctx, w.who, n.privateRT.ID, network.Route{DestinationCIDR: "198.51.100.0/24"}))
				}
		},
		blocked: reach.BadStateRoute,
		also:    []reach.Code{reach.MoreSpecificRoute},
		forward: "i eni sg acl rtb acl nat acl rtb igw",
		back:    "igw acl nat acl rtb acl sg eni i",
	},
	{
		name: "security group references a group across a peering",
		setup: func(w *world) (reach.Query, func()) {
			b := w.as(bob)
			a, db := newPeered(w, "10.0.0.0/16", "10.0.1.0/24"), newPeered(b, "10.1.0.0/16", "10.1.1.0/24")
			p := w.peering(a.vpc, db.vpc, b)
			w.route(a.rt, db.vpc.CIDRBlock, network.Route{VPCPeeringConnectionID: p.ID})
			b.route(db.rt, a.vpc.CIDRBlock, network.Route{VPCPeeringConnectionID: p.ID})
			clients := w.group(a.vpc, "clients")
			b.allow(db.g, false, "tcp", 5432, 5432, groupPeer(clients.ID))
			return reach.Query{Source: a.inst.ID, Destination: db.inst.ID, Protocol: reach.TCP, DestinationPort: 5432}, func() {
				w.must(w.net.ModifyNetworkInterfaceAttribute(w.ctx, w.who, primary(a.inst), network.InterfaceAttributes{Groups: []string{clients.ID}}))
			}
		},
		blocked: reach.ENISGRulesMismatch,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "packet field", e.PacketField, "source-address")
			equal(t, "account", strings.Contains(e.NetworkInterface.ARN, bob.Account), true)
			equal(t, "the rule for the port", strings.HasPrefix(e.SecurityGroupRule.ReferencedGroupID, "sg-"), true)
		},
		forward: "i eni sg acl rtb pcx acl sg eni i",
		back:    "i eni sg acl rtb pcx acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			in := r.ForwardPathComponents[7].SecurityGroupRule
			equal(t, "referenced group", strings.HasPrefix(in.ReferencedGroupID, "sg-"), true)
		},
	},
	{
		name: "prefix lists in routes and rules",
		setup: func(w *world) (reach.Query, func()) {
			a, b := newPeered(w, "10.0.0.0/16", "10.0.1.0/24"), newPeered(w, "10.1.0.0/16", "10.1.1.0/24")
			p := w.peering(a.vpc, b.vpc, w)
			peers := must(w.net.CreateManagedPrefixList(w.ctx, w.who, network.CreatePrefixListInput{Name: "peers", AddressFamily: "IPv4", MaxEntries: 5,
				Entries: []network.PrefixListEntry{{CIDR: "10.9.0.0/16"}}}))
			clients := must(w.net.CreateManagedPrefixList(w.ctx, w.who, network.CreatePrefixListInput{Name: "clients", AddressFamily: "IPv4", MaxEntries: 5,
				Entries: []network.PrefixListEntry{{CIDR: "10.0.0.0/16"}}}))
			w.route(a.rt, peers.ID, network.Route{VPCPeeringConnectionID: p.ID})
			w.route(b.rt, a.vpc.CIDRBlock, network.Route{VPCPeeringConnectionID: p.ID})
			w.allow(b.g, false, "tcp", 443, 443, prefixListPeer(clients.ID))
			return reach.Query{Source: a.inst.ID, Destination: b.inst.ID, Protocol: reach.TCP, DestinationPort: 443}, func() {
				v := int64(1)
				must(w.net.ModifyManagedPrefixList(w.ctx, w.who, network.ModifyPrefixListInput{ID: peers.ID, CurrentVersion: &v,
					Add: []network.PrefixListEntry{{CIDR: "10.1.0.0/16"}}}))
			}
		},
		blocked: reach.NoRouteToDestination,
		forward: "i eni sg acl rtb pcx acl sg eni i",
		back:    "i eni sg acl rtb pcx acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			route := hop(t, r.ForwardPathComponents, "rtb-").RouteTableRoute
			equal(t, "route to a prefix list", strings.HasPrefix(route.DestinationPrefixListID, "pl-"), true)
			equal(t, "rule of a prefix list", strings.HasPrefix(r.ForwardPathComponents[7].SecurityGroupRule.PrefixListID, "pl-"), true)
		},
	},
	{
		name: "middlebox interface forwards only without the source/destination check",
		setup: func(w *world) (reach.Query, func()) {
			vpc := w.vpc("10.0.0.0/16")
			appS, fwS, dbS := w.subnet(vpc, "10.0.1.0/24"), w.subnet(vpc, "10.0.2.0/24"), w.subnet(vpc, "10.0.3.0/24")
			fwG, dbG := w.group(vpc, "fw"), w.group(vpc, "db")
			w.allow(fwG, false, "-1", 0, 0, cidrPeer("10.0.0.0/16"))
			w.allow(dbG, false, "tcp", 443, 443, cidrPeer("10.0.1.0/24"))
			app, fw, db := w.instance(appS, false, w.group(vpc, "app")), w.instance(fwS, false, fwG), w.instance(dbS, false, dbG)
			w.route(w.table(vpc, appS), dbS.CIDRBlock, network.Route{NetworkInterfaceID: primary(fw)})
			w.route(w.table(vpc, dbS), appS.CIDRBlock, network.Route{NetworkInterfaceID: primary(fw)})
			return reach.Query{Source: app.ID, Destination: db.ID, Protocol: reach.TCP, DestinationPort: 443}, func() {
				off := false
				w.must(w.net.ModifyNetworkInterfaceAttribute(w.ctx, w.who, primary(fw), network.InterfaceAttributes{SourceDestCheck: &off}))
			}
		},
		blocked: reach.ENISourceDestCheckRestriction,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "address", e.Address, "10.0.3.4")
		},
		forward: "i eni sg acl rtb acl sg eni sg acl rtb acl sg eni i",
		back:    "i eni sg acl rtb acl sg eni sg acl rtb acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			equal(t, "route to the middlebox", strings.HasPrefix(r.ForwardPathComponents[4].RouteTableRoute.NetworkInterfaceID, "eni-"), true)
			equal(t, "return through the middlebox without rules", r.ReturnPathComponents[6].SecurityGroupRule == nil, true)
		},
	},
	{
		name: "internet gateway to a public instance",
		setup: func(w *world) (reach.Query, func()) {
			n := newTwoTier(w)
			g := w.group(n.vpc, "web")
			w.allow(g, false, "tcp", 22, 22, cidrPeer("10.0.0.0/16"))
			inst := w.instance(n.public, true, g)
			return reach.Query{Source: n.igw.ID, Destination: inst.ID, Protocol: reach.TCP, DestinationPort: 22},
				func() { w.allow(g, false, "tcp", 22, 22, cidrPeer("198.51.100.0/24")) }
		},
		blocked: reach.ENISGRulesMismatch,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "packet field", e.PacketField, "source-address")
		},
		forward: "igw acl sg eni i",
		back:    "i eni sg acl rtb igw",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			in := r.ForwardPathComponents[0].InboundHeader
			equal(t, "sources narrowed to the rule", strings.Join(in.SourceAddresses, ","), "198.51.100.0/24")
			equal(t, "to the public address", strings.HasPrefix(in.DestinationAddresses[0], "198.1"), true)
			equal(t, "translated", r.ForwardPathComponents[0].OutboundHeader.DestinationAddresses[0], "10.0.0.4/32")
		},
	},
}
