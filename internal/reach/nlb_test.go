package reach_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// directNLB is a VPC 10.0.0.0/16 with a client (10.0.1.0/24), an internal
// Network Load Balancer (10.0.5.0/24) listening on TCP 80 and forwarding
// to port 8080 of a server (10.0.6.0/24), all in us-east-1a; the server's
// group admits 8080 from the groups' blocks, the client's nothing.
type directNLB struct {
	vpc            *network.VPC
	client, server *network.Instance
	clients        *network.Subnet
	rt             *network.RouteTable
	servers        *network.SecurityGroup
	lbGroup        *network.SecurityGroup
	lb             *elb.LoadBalancer
	tg             *elb.TargetGroup
}

// newDirectNLB builds it; guarded gives the balancer a group "nlb" that
// admits 80 from 10.0.9.0/24 only.
func newDirectNLB(w *world, targetType string, guarded bool, admit ...string) directNLB {
	w.t.Helper()
	n := directNLB{vpc: w.vpc("10.0.0.0/16")}
	n.clients = w.subnetIn(n.vpc, "10.0.1.0/24", "us-east-1a")
	lbs, srv := w.subnetIn(n.vpc, "10.0.5.0/24", "us-east-1a"), w.subnetIn(n.vpc, "10.0.6.0/24", "us-east-1a")
	n.rt = w.table(n.vpc, n.clients, lbs, srv)
	n.servers = w.group(n.vpc, "servers")
	for _, block := range admit {
		w.allow(n.servers, false, "tcp", 8080, 8080, cidrPeer(block))
	}
	n.client = w.instance(n.clients, false, w.group(n.vpc, "client"))
	n.server = w.instance(srv, false, n.servers)
	in := elb.CreateLoadBalancerInput{Name: "web", Type: elb.LBNetwork, Scheme: elb.SchemeInternal, Subnets: []string{lbs.ID}}
	if guarded {
		n.lbGroup = w.group(n.vpc, "nlb")
		w.allow(n.lbGroup, false, "tcp", 80, 80, cidrPeer("10.0.9.0/24"))
		in.SecurityGroups = []string{n.lbGroup.ID}
	}
	n.lb = must(w.lb.CreateLoadBalancer(w.ctx, w.who, in))
	serve := int32(8080)
	n.tg = must(w.lb.CreateTargetGroup(w.ctx, w.who, elb.CreateTargetGroupInput{Name: "web", Protocol: "TCP", Port: &serve, VpcID: n.vpc.ID, TargetType: targetType}))
	w.listener(n.lb, "TCP", 80, n.tg)
	return n
}

// registerServer registers the server by instance or address, as the
// group takes it.
func (n directNLB) registerServer(w *world) {
	w.t.Helper()
	if n.tg.TargetType != elb.TargetIP {
		w.register(n.tg, n.server)
		return
	}
	w.must(w.lb.RegisterTargets(w.ctx, w.who, n.tg.ID, []elb.TargetSpec{{ID: n.server.PrivateIP}}))
}

// node is the address of the load balancer's node.
func (n directNLB) node(w *world) netip.Addr {
	w.t.Helper()
	return w.snapshot().Interface(n.lb.Zones[0].InterfaceID).Addrs[0]
}

func (n directNLB) query(w *world, from *network.Instance, port int) reach.Query {
	return reach.Query{Source: from.ID, DestinationIP: n.node(w), Protocol: reach.TCP, DestinationPort: port}
}

// seenBy is the source address the path's last hop (the target) sees.
func seenBy(t *testing.T, r reach.Result) string {
	t.Helper()
	last := r.ForwardPathComponents[len(r.ForwardPathComponents)-1]
	if last.InboundHeader == nil {
		t.Fatalf("no inbound header at the target: %+v", last)
	}
	return strings.Join(last.InboundHeader.SourceAddresses, ",")
}

const (
	directForward = "i eni sg acl rtb acl eni loadbalancer targetgroup acl rtb acl sg eni i"
	// The answer to a preserved client address goes straight back to the
	// node, whatever the target's route table says.
	directBack = "i eni sg acl acl loadbalancer acl rtb acl sg eni i"
)

var directNLBScenarios = []scenario{
	{
		name: "a client straight to an internal NLB: an instance target sees the client's address",
		setup: func(w *world) (reach.Query, func()) {
			n := newDirectNLB(w, elb.TargetInstance, false, "10.0.5.0/24")
			n.registerServer(w)
			return n.query(w, n.client, 80), func() { w.allow(n.servers, false, "tcp", 8080, 8080, cidrPeer("10.0.1.0/24")) }
		},
		blocked: reach.ENISGRulesMismatch,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "the client's address", strings.HasPrefix(strings.Join(e.Addresses, ","), "10.0.1."), true)
		},
		forward: directForward,
		back:    directBack,
		fixed: func(t *testing.T, w *world, r reach.Result) {
			src := r.ForwardPathComponents[0].Component.ID
			equal(t, "client address preserved", seenBy(t, r), w.snapshot().Instance(src).PrivateIP+"/32")
			equal(t, "forwarded to the target's port", r.ForwardPathComponents[len(r.ForwardPathComponents)-1].InboundHeader.DestinationPortRanges[0].From, 8080)
		},
	},
	{
		name: "a client straight to an internal NLB: an IP target sees the node's address",
		setup: func(w *world) (reach.Query, func()) {
			n := newDirectNLB(w, elb.TargetIP, false, "10.0.1.0/24")
			n.registerServer(w)
			return n.query(w, n.client, 80), func() { w.allow(n.servers, false, "tcp", 8080, 8080, cidrPeer("10.0.5.0/24")) }
		},
		blocked: reach.ENISGRulesMismatch,
		forward: directForward,
		back:    "i eni sg acl rtb acl loadbalancer acl rtb acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			equal(t, "the node's address", strings.HasPrefix(seenBy(t, r), "10.0.5."), true)
		},
	},
	{
		name: "a client straight to an internal NLB: no listener on the port",
		setup: func(w *world) (reach.Query, func()) {
			n := newDirectNLB(w, elb.TargetInstance, false, "10.0.0.0/16")
			n.registerServer(w)
			return n.query(w, n.client, 443), func() { w.listener(n.lb, "TCP", 443, n.tg) }
		},
		blocked: reach.ELBv2ListenerPortRestriction,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "port", e.LoadBalancerListenerPort, 443)
			equal(t, "load balancer", e.LoadBalancerARN != "", true)
		},
		forward: directForward,
		back:    directBack,
	},
	{
		name: "a client straight to an internal NLB: no target in the node's zone without cross-zone",
		setup: func(w *world) (reach.Query, func()) {
			n := newDirectNLB(w, elb.TargetInstance, false, "10.0.0.0/16")
			other := w.instance(w.subnetIn(n.vpc, "10.0.7.0/24", "us-east-1b"), false, n.servers)
			w.register(n.tg, other)
			return n.query(w, n.client, 80), func() {
				must(w.lb.ModifyTargetGroupAttributes(w.ctx, w.who, n.tg.ID, []elb.Attribute{{Key: "load_balancing.cross_zone.enabled", Value: "true"}}))
			}
		},
		blocked: reach.ELBv2NoTargetsInAZ,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "zone", strings.Join(e.AvailabilityZones, ","), "us-east-1a")
		},
		forward: directForward,
		back:    directBack,
	},
	{
		name: "a client straight to an internal NLB: the balancer's security groups judge the client",
		setup: func(w *world) (reach.Query, func()) {
			n := newDirectNLB(w, elb.TargetInstance, true, "10.0.0.0/16")
			n.registerServer(w)
			return n.query(w, n.client, 80), func() { w.allow(n.lbGroup, false, "tcp", 80, 80, cidrPeer("10.0.1.0/24")) }
		},
		blocked: reach.ENISGRulesMismatch,
		forward: "i eni sg acl rtb acl sg eni loadbalancer targetgroup sg acl rtb acl sg eni i",
		back:    "i eni sg acl acl loadbalancer sg acl rtb acl sg eni i",
	},
	{
		name: "a target cannot reach itself through its NLB while the group preserves client addresses",
		setup: func(w *world) (reach.Query, func()) {
			n := newDirectNLB(w, elb.TargetInstance, false, "10.0.0.0/16")
			n.registerServer(w)
			return n.query(w, n.server, 80), func() {
				must(w.lb.ModifyTargetGroupAttributes(w.ctx, w.who, n.tg.ID, []elb.Attribute{{Key: "preserve_client_ip.enabled", Value: "false"}}))
			}
		},
		blocked: reach.ELBv2SourceAddressPreservation,
		forward: "i eni sg acl rtb acl eni loadbalancer targetgroup acl rtb acl sg eni i",
		back:    "i eni sg acl rtb acl loadbalancer acl rtb acl sg eni i",
	},
	{
		name: "a client straight to an internal NLB across a peering connection",
		setup: func(w *world) (reach.Query, func()) {
			n := newDirectNLB(w, elb.TargetInstance, false, "10.0.0.0/16", "10.1.0.0/16")
			n.registerServer(w)
			peer := newPeered(w, "10.1.0.0/16", "10.1.1.0/24")
			p := w.peering(peer.vpc, n.vpc, w)
			w.route(peer.rt, "10.0.0.0/16", network.Route{VPCPeeringConnectionID: p.ID})
			return n.query(w, peer.inst, 80), func() { w.route(n.rt, "10.1.0.0/16", network.Route{VPCPeeringConnectionID: p.ID}) }
		},
		blocked:  reach.NoRouteToDestination,
		onReturn: true,
		forward:  "i eni sg acl rtb pcx acl eni loadbalancer targetgroup acl rtb acl sg eni i",
		back:     "i eni sg acl acl loadbalancer acl rtb pcx acl sg eni i",
	},
}

// TestDirectNLBByName asks by the load balancer's DNS name, which the
// VPC resolves to its nodes' private addresses.
func TestDirectNLBByName(t *testing.T) {
	w := newWorld(t)
	n := newDirectNLB(w, elb.TargetInstance, false, "10.0.0.0/16")
	n.registerServer(w)
	r := w.analyze(reach.Query{Source: n.client.ID, DestinationName: n.lb.DNSName(), Protocol: reach.TCP, DestinationPort: 80})
	if !r.NetworkPathFound {
		t.Fatalf("no path to %s: %+v", n.lb.DNSName(), r.Explanations)
	}
	equal(t, "forward hops", shape(r.ForwardPathComponents), directForward)
}
