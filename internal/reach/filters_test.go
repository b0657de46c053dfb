package reach_test

import (
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/reach"
)

func ec2ARN(kind, id string) string {
	return "arn:aws:ec2:us-east-1:" + alice.Account + ":" + kind + "/" + id
}

// TestComponentFilters covers FilterInArns and FilterOutArns (ThroughARNs,
// AvoidARNs): the path found must go through the one and avoid the other;
// where the engine has a choice it takes the one the filters favour.
func TestComponentFilters(t *testing.T) {
	// natPath is a private instance reaching the internet through a NAT
	// gateway and an internet gateway.
	type natPath struct {
		n    twoTier
		inst *network.Instance
		nat  *network.NATGateway
	}
	buildNAT := func(w *world) natPath {
		n := newTwoTier(w)
		p := natPath{n: n, inst: w.instance(n.private, false, w.group(n.vpc, "app")), nat: w.natGateway(n.public)}
		w.route(n.privateRT, "0.0.0.0/0", network.Route{NATGatewayID: p.nat.ID})
		return p
	}
	toInternet := func(p natPath) reach.Query {
		return reach.Query{Source: p.inst.ID, DestinationIP: addr("198.51.100.7"), Protocol: reach.TCP, DestinationPort: 443}
	}
	cases := []struct {
		name  string
		build func(w *world) (reach.Query, string) // the query, and the id the check expects
		code  reach.Code                           // "" when the path is found
		// forward is the forward hops' shape, when checked.
		forward string
	}{
		{name: "through the NAT gateway it takes", build: func(w *world) (reach.Query, string) {
			p := buildNAT(w)
			q := toInternet(p)
			q.ThroughARNs = []string{ec2ARN("natgateway", p.nat.ID), ec2ARN("vpc", p.n.vpc.ID)}
			return q, ""
		}, forward: "i eni sg acl rtb acl nat acl rtb igw"},
		{name: "through a gateway it does not take", build: func(w *world) (reach.Query, string) {
			p := buildNAT(w)
			other := w.internetGateway(w.vpc("10.9.0.0/16"))
			q := toInternet(p)
			q.ThroughARNs = []string{ec2ARN("internet-gateway", other.ID)}
			return q, other.ID
		}, code: reach.ComponentFilterRestriction, forward: "i eni sg acl rtb acl nat acl rtb igw"},
		{name: "avoiding the NAT gateway it needs", build: func(w *world) (reach.Query, string) {
			p := buildNAT(w)
			q := toInternet(p)
			q.AvoidARNs = []string{ec2ARN("natgateway", p.nat.ID)}
			return q, p.nat.ID
		}, code: reach.ComponentFilterRemoved, forward: "i eni sg acl rtb acl"},
		{name: "avoiding the source's VPC", build: func(w *world) (reach.Query, string) {
			p := buildNAT(w)
			q := toInternet(p)
			q.AvoidARNs = []string{ec2ARN("vpc", p.n.vpc.ID)}
			return q, p.n.vpc.ID
		}, code: reach.ComponentFilterRemoved, forward: "i"},
		{name: "avoiding what the path does not cross", build: func(w *world) (reach.Query, string) {
			p := buildNAT(w)
			q := toInternet(p)
			q.AvoidARNs = []string{ec2ARN("natgateway", "nat-0123456789abcdef0")}
			return q, ""
		}, forward: "i eni sg acl rtb acl nat acl rtb igw"},
		{name: "a blocked path stays blocked by what blocks it", build: func(w *world) (reach.Query, string) {
			n := newTwoTier(w)
			inst := w.instance(n.private, false, w.group(n.vpc, "app"))
			q := reach.Query{Source: inst.ID, DestinationIP: addr("198.51.100.7"), Protocol: reach.TCP, ThroughARNs: []string{ec2ARN("internet-gateway", n.igw.ID)}}
			return q, ""
		}, code: reach.NoRouteToDestination},
		{name: "the load balancer's target the filter names", build: func(w *world) (reach.Query, string) {
			q, _, second := twoTargets(w)
			q.ThroughARNs = []string{"arn:aws:ec2:us-east-1:" + bob.Account + ":instance/" + second.ID}
			return q, second.ID
		}},
		{name: "another target than the one to avoid", build: func(w *world) (reach.Query, string) {
			q, first, second := twoTargets(w)
			q.AvoidARNs = []string{"arn:aws:ec2:us-east-1:" + bob.Account + ":instance/" + first.ID}
			return q, second.ID
		}},
		{name: "avoiding every target", build: func(w *world) (reach.Query, string) {
			q, first, second := twoTargets(w)
			q.AvoidARNs = []string{ec2ARN("instance", first.ID), ec2ARN("instance", second.ID)}
			return q, first.ID
		}, code: reach.ComponentFilterRemoved},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			q, id := tc.build(w)
			r := w.analyze(q)
			switch {
			case tc.code == "" && !r.NetworkPathFound:
				t.Fatalf("want a path, got %+v\nforward %s", r.Explanations, shape(r.ForwardPathComponents))
			case tc.code != "" && (r.NetworkPathFound || len(r.Explanations) == 0 || r.Explanations[0].ExplanationCode != tc.code):
				t.Fatalf("want %s, got %+v\nforward %s", tc.code, r.Explanations, shape(r.ForwardPathComponents))
			}
			if tc.forward != "" {
				equal(t, "forward hops", shape(r.ForwardPathComponents), tc.forward)
			}
			if tc.code == "" && id != "" {
				last := r.ForwardPathComponents[len(r.ForwardPathComponents)-1]
				equal(t, "the target taken", last.Component.ID, id)
			}
			if tc.code != "" && id != "" {
				equal(t, "the component named", r.Explanations[0].Component.ID, id)
				equal(t, "no return path", len(r.ReturnPathComponents), 0)
			}
			if reach.Reachable(w.snapshot(), q) != r.NetworkPathFound {
				t.Errorf("Reachable disagrees with Analyze")
			}
		})
	}
}

// twoTargets is a client reaching bob's service over PrivateLink, whose
// target group has two instances in the endpoint's zone: the engine takes
// the first unless the filters say otherwise.
func twoTargets(w *world) (q reach.Query, first, second *network.Instance) {
	b := w.as(bob)
	p := b.nlbService("10.0.0.0/16", "10.0.5.0/24", 443, 8080, false, true, alice)
	second = b.instance(p.subnet, false, p.group)
	b.register(p.tg, second)
	c := newConsumerPL(w, p)
	q = reach.Query{Source: c.client.ID, Destination: c.ep.ID, Protocol: reach.TCP, DestinationPort: 443}
	if r := w.analyze(q); !r.NetworkPathFound || !strings.HasSuffix(r.ForwardPathComponents[len(r.ForwardPathComponents)-1].Component.ID, p.servers[0].ID) {
		panic("without filters the path goes to the first target")
	}
	return q, p.servers[0], second
}
