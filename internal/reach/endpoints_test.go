package reach_test

import (
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/cloud/route53"
	"github.com/vpcemu/vpcemu/internal/reach"
)

const (
	s3Name      = "s3.us-east-1.amazonaws.com"
	snsName     = "sns.us-east-1.amazonaws.com"
	s3List      = "pl-63a5400a"
	onlyAllowed = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::allowed/*"}]}`
	bothAllowed = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":["arn:aws:s3:::allowed/*","arn:aws:s3:::other/*"]}]}`
)

// consumerPL is the consumer side of a PrivateLink service: a VPC with DNS
// hostnames on, a client and an interface endpoint (private DNS on when
// the service has a name) whose group admits 443 from the VPC, in
// us-east-1a.
type consumerPL struct {
	vpc    *network.VPC
	client *network.Instance
	ep     *privatelink.VPCEndpoint
}

func newConsumerPL(w *world, p provider) consumerPL {
	c := consumerPL{vpc: w.vpc("10.0.0.0/16")}
	w.dnsHostnames(c.vpc)
	apps, eps := w.subnetIn(c.vpc, "10.0.1.0/24", "us-east-1a"), w.subnetIn(c.vpc, "10.0.2.0/24", "us-east-1a")
	g := w.group(c.vpc, "endpoint")
	w.allow(g, false, "tcp", 443, 443, cidrPeer("10.0.0.0/16"))
	c.client = w.instance(apps, false, w.group(c.vpc, "client"))
	private := p.svc.PrivateDNSName != ""
	c.ep = w.interfaceEndpoint(c.vpc, p.svc.ServiceName(), &private, []*network.Subnet{eps}, g)
	return c
}

// privateLink is seed 004: alice's client reaches bob's API (private DNS
// name api.example.com, verified) through an interface endpoint. The two
// VPCs have the same block: PrivateLink does not mind.
func privateLink(w *world, listen int32, acceptance, register bool) (consumerPL, provider) {
	b := w.as(bob)
	p := b.nlbService("10.0.0.0/16", "10.0.5.0/24", listen, 8080, acceptance, register, alice)
	name := "api.example.com"
	b.must(b.pl.ModifyServiceConfiguration(b.ctx, b.who, privatelink.ModifyServiceConfigurationInput{ID: p.svc.ID, PrivateDNSName: &name}))
	publishOwnership(b, p.svc.ID, "example.com")
	b.must(b.pl.StartPrivateDNSVerification(b.ctx, b.who, p.svc.ID))
	p.svc.PrivateDNSName = name
	return newConsumerPL(w, p), p
}

// publishOwnership puts the TXT record the service asks for in a new
// public zone of the domain, as its provider must before verification.
func publishOwnership(w *world, svcID, domain string) {
	var svc *privatelink.ServiceConfiguration
	w.must(w.c.View(w.ctx, w.who, func(t *cloud.Txn) (err error) {
		svc, err = cloud.GetIn[privatelink.ServiceConfiguration](t, svcID)
		return err
	}))
	r53 := route53.New(w.c)
	z, err := r53.CreateHostedZone(w.ctx, w.who, route53.NewZone{Name: domain, CallerReference: svcID})
	w.must(err)
	_, err = r53.ChangeRecordSets(w.ctx, w.who, z.Zone.ID, "", []route53.RecordChange{{Action: route53.ActionCreate, Set: route53.RecordSet{
		Name: svc.PrivateDNSTXTName + "." + svc.PrivateDNSName, Type: "TXT", TTL: new(int64(300)), Values: []string{`"` + svc.PrivateDNSTXTValue + `"`}}}})
	w.must(err)
}

func accept(w *world, p provider, ep *privatelink.VPCEndpoint) {
	b := w.as(bob)
	must(b.pl.AcceptEndpointConnections(b.ctx, b.who, p.svc.ID, []string{ep.ID}))
}

// appVPC is a VPC (DNS hostnames on) with an app subnet and an endpoint
// subnet, each with its own table, in us-east-1a.
type appVPC struct {
	vpc             *network.VPC
	app, eps        *network.Subnet
	appRT, epsRT    *network.RouteTable
	inst            *network.Instance
	igw             *network.InternetGateway
	appGroup, epsGr *network.SecurityGroup
}

func newAppVPC(w *world) appVPC {
	n := appVPC{vpc: w.vpc("10.0.0.0/16")}
	w.dnsHostnames(n.vpc)
	n.app, n.eps = w.subnetIn(n.vpc, "10.0.1.0/24", "us-east-1a"), w.subnetIn(n.vpc, "10.0.2.0/24", "us-east-1a")
	n.appRT, n.epsRT = w.table(n.vpc, n.app), w.table(n.vpc, n.eps)
	n.appGroup, n.epsGr = w.group(n.vpc, "app"), w.group(n.vpc, "endpoint")
	n.inst = w.instance(n.app, false, n.appGroup)
	return n
}

var endpointScenarios = []scenario{
	{
		name: "seed 001: a private instance reaches S3 through a gateway endpoint",
		setup: func(w *world) (reach.Query, func()) {
			n := newAppVPC(w)
			return reach.Query{Source: n.inst.ID, DestinationName: s3Name, Protocol: reach.TCP, DestinationPort: 443},
				func() { w.gatewayEndpoint(n.vpc, "s3", "", n.appRT) }
		},
		blocked: reach.NoRouteToDestination,
		forward: "i eni sg acl rtb vpce",
		back:    "vpce acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			route := hop(t, r.ForwardPathComponents, "rtb-").RouteTableRoute
			equal(t, "route to the prefix list", route.DestinationPrefixListID, s3List)
			equal(t, "route to the endpoint", strings.HasPrefix(route.GatewayID, "vpce-"), true)
			equal(t, "service", hop(t, r.ForwardPathComponents, "vpce-").ServiceName, "com.amazonaws.us-east-1.s3")
		},
	},
	{
		name: "seed 001: the gateway endpoint's policy allows one bucket",
		setup: func(w *world) (reach.Query, func()) {
			n := newAppVPC(w)
			ep := w.gatewayEndpoint(n.vpc, "s3", onlyAllowed, n.appRT)
			return reach.Query{Source: n.inst.ID, DestinationName: "other.s3.us-east-1.amazonaws.com", Protocol: reach.TCP, DestinationPort: 443,
					Action: "s3:GetObject", Resource: "arn:aws:s3:::other/report.csv"}, func() {
					doc := bothAllowed
					w.must(w.pl.ModifyVPCEndpoint(w.ctx, w.who, privatelink.ModifyVPCEndpointInput{ID: ep.ID, PolicyDocument: &doc}))
				}
		},
		blocked: reach.VpcemuVPCEPolicyRestriction,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "endpoint", strings.HasPrefix(e.VPCEndpoint.ID, "vpce-"), true)
			equal(t, "decision", e.PolicyDecision, "ImplicitDeny")
		},
		forward: "i eni sg acl rtb vpce",
		back:    "vpce acl sg eni i",
	},
	{
		name: "seed 002: a private instance reaches SNS through a NAT gateway and an internet gateway",
		setup: func(w *world) (reach.Query, func()) {
			n := newTwoTier(w)
			inst := w.instance(n.private, false, w.group(n.vpc, "app"))
			return reach.Query{Source: inst.ID, DestinationName: snsName, Protocol: reach.TCP, DestinationPort: 443}, func() {
				nat := w.natGateway(n.public)
				w.route(n.privateRT, "0.0.0.0/0", network.Route{NATGatewayID: nat.ID})
			}
		},
		blocked: reach.NoRouteToDestination,
		forward: "i eni sg acl rtb acl nat acl rtb igw",
		back:    "igw acl nat acl rtb acl sg eni i",
	},
	{
		name: "seed 002: SNS through an interface endpoint with private DNS; its group must admit 443",
		setup: func(w *world) (reach.Query, func()) {
			n := newAppVPC(w)
			w.allow(n.epsGr, false, "tcp", 22, 22, cidrPeer("10.0.0.0/16"))
			w.interfaceEndpoint(n.vpc, "com.amazonaws.us-east-1.sns", nil, []*network.Subnet{n.eps}, n.epsGr)
			return reach.Query{Source: n.inst.ID, DestinationName: snsName, Protocol: reach.TCP, DestinationPort: 443},
				func() { w.allow(n.epsGr, false, "tcp", 443, 443, cidrPeer("10.0.0.0/16")) }
		},
		blocked: reach.ENISGRulesMismatch,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "the endpoint's group", e.SecurityGroup.Name == "" && strings.HasPrefix(e.SecurityGroup.ID, "sg-"), true)
			equal(t, "packet field", e.PacketField, "destination-port")
			equal(t, "direction", e.Direction, "ingress")
		},
		forward: "i eni sg acl rtb acl sg eni vpce",
		back:    "vpce eni sg acl rtb acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			eni := r.ForwardPathComponents[7]
			equal(t, "interface of the endpoint", strings.HasPrefix(eni.AttachedTo.ID, "vpce-"), true)
			equal(t, "service", r.ForwardPathComponents[8].ServiceName, "com.amazonaws.us-east-1.sns")
			equal(t, "to the endpoint's address", eni.Subnet != nil, true)
		},
	},
	{
		name: "seed 004: the consumer reaches the provider's service once the provider accepts",
		setup: func(w *world) (reach.Query, func()) {
			c, p := privateLink(w, 443, true, true)
			return reach.Query{Source: c.client.ID, DestinationName: "api.example.com", Protocol: reach.TCP, DestinationPort: 443},
				func() { accept(w, p, c.ep) }
		},
		blocked: reach.BadState,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "state", e.State, "pendingAcceptance")
			equal(t, "endpoint", strings.HasPrefix(e.VPCEndpoint.ID, "vpce-"), true)
		},
		forward: "i eni sg acl rtb acl sg eni vpce loadbalancer targetgroup sg eni i",
		back:    "i eni sg loadbalancer vpce eni sg acl rtb acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			lb := hop(t, r.ForwardPathComponents, "loadbalancer")
			equal(t, "listener", strings.Contains(lb.ElasticLoadBalancerListener.ID, ":listener/net/api/"), true)
			equal(t, "account of the load balancer", strings.Contains(lb.Component.ARN, bob.Account), true)
			tg := hop(t, r.ForwardPathComponents, "targetgroup")
			equal(t, "to the target's port", tg.OutboundHeader.DestinationPortRanges[0], reach.PortRange{From: 8080, To: 8080})
			equal(t, "from the load balancer", tg.OutboundHeader.SourceAddresses[0] != r.ForwardPathComponents[0].OutboundHeader.SourceAddresses[0], true)
			last := r.ForwardPathComponents[len(r.ForwardPathComponents)-1]
			equal(t, "the provider's instance", strings.Contains(last.Component.ARN, bob.Account), true)
		},
	},
	{
		name: "seed 004: the load balancer needs a listener on the port",
		setup: func(w *world) (reach.Query, func()) {
			c, p := privateLink(w, 8443, false, true)
			return reach.Query{Source: c.client.ID, Destination: c.ep.ID, Protocol: reach.TCP, DestinationPort: 443},
				func() { b := w.as(bob); b.listener(p.lb, "TCP", 443, p.tg) }
		},
		blocked: reach.ELBv2ListenerPortRestriction,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "port", e.LoadBalancerListenerPort, 443)
			equal(t, "load balancer", strings.Contains(e.LoadBalancerARN, ":loadbalancer/net/api/"), true)
		},
		forward: "i eni sg acl rtb acl sg eni vpce loadbalancer targetgroup sg eni i",
		back:    "i eni sg loadbalancer vpce eni sg acl rtb acl sg eni i",
	},
	{
		name: "seed 004: the target group needs a target in the zone",
		setup: func(w *world) (reach.Query, func()) {
			c, p := privateLink(w, 443, false, false)
			return reach.Query{Source: c.client.ID, Destination: p.svc.ID, Protocol: reach.TCP, DestinationPort: 443},
				func() { b := w.as(bob); b.register(p.tg, p.servers...) }
		},
		blocked: reach.ELBv2NoTargetsInAZ,
		check: func(t *testing.T, w *world, e reach.Explanation) {
			equal(t, "zone", strings.Join(e.AvailabilityZones, ","), "us-east-1a")
			equal(t, "target group", strings.Contains(e.LoadBalancerTargetGroup.ID, ":targetgroup/api/"), true)
		},
		forward: "i eni sg acl rtb acl sg eni vpce loadbalancer targetgroup sg eni i",
		back:    "i eni sg loadbalancer vpce eni sg acl rtb acl sg eni i",
	},
	{
		name: "GWLB: the app subnet's traffic goes through the appliances",
		setup: func(w *world) (reach.Query, func()) {
			n := newAppVPC(w)
			n.igw = w.internetGateway(n.vpc)
			w.allow(n.appGroup, false, "tcp", 443, 443, cidrPeer("10.0.0.0/16"))
			w.elasticIP(n.inst)
			p := w.gwlbService(false)
			ep := must(w.pl.CreateVPCEndpoint(w.ctx, w.who, privatelink.CreateVPCEndpointInput{VpcID: n.vpc.ID, ServiceName: p.svc.ServiceName(),
				Type: privatelink.EndpointTypeGatewayLoadBalancer, SubnetIDs: []string{n.eps.ID}}))
			w.route(n.appRT, "0.0.0.0/0", network.Route{VPCEndpointID: ep.ID})
			w.route(n.epsRT, "0.0.0.0/0", network.Route{GatewayID: n.igw.ID})
			return reach.Query{Source: n.inst.ID, DestinationIP: addr("198.51.100.7"), Protocol: reach.TCP, DestinationPort: 443},
				func() { w.register(p.tg, p.servers...) }
		},
		blocked: reach.ELBv2NoTargetsInAZ,
		forward: "i eni sg acl rtb acl eni vpce loadbalancer targetgroup sg eni i eni sg loadbalancer vpce eni acl rtb igw",
		back:    "igw acl sg eni i",
		fixed: func(t *testing.T, w *world, r reach.Result) {
			tg := hop(t, r.ForwardPathComponents, "targetgroup")
			equal(t, "GENEVE", tg.OutboundHeader.Protocol, "17")
			equal(t, "to 6081", tg.OutboundHeader.DestinationPortRanges[0], reach.PortRange{From: 6081, To: 6081})
		},
	},
}

// The seed 000 comparison, cell by cell, and more endpoint questions.
var endpointCases = []engineCase{
	{
		name: "seed 000: gateway endpoint: no internet, no ENI, a route table change, no groups of its own",
		build: func(w *world) reach.Query {
			n := newAppVPC(w)
			w.gatewayEndpoint(n.vpc, "s3", "", n.appRT)
			// The source's group may only reach S3: a rule for the prefix list.
			must(w.net.RevokeSecurityGroupRules(w.ctx, w.who, network.RevokeInput{Group: network.GroupRef{ID: n.appGroup.ID}, Egress: true,
				Permissions: []network.Permission{{Protocol: "-1", Peers: []network.Peer{cidrPeer("0.0.0.0/0")}}}}))
			w.allow(n.appGroup, true, "tcp", 443, 443, prefixListPeer(s3List))
			return reach.Query{Source: n.inst.ID, DestinationName: "bucket.s3.us-east-1.amazonaws.com", Protocol: reach.TCP, DestinationPort: 443}
		},
		found:   true,
		forward: "i eni sg acl rtb vpce",
		check: func(t *testing.T, r reach.Result) {
			equal(t, "egress rule for the prefix list", r.ForwardPathComponents[2].SecurityGroupRule.PrefixListID, s3List)
			equal(t, "route change", r.ForwardPathComponents[4].RouteTableRoute.DestinationPrefixListID, s3List)
		},
	},
	{
		name: "seed 000: interface endpoint: no internet, an ENI, the local route, its own groups",
		build: func(w *world) reach.Query {
			n := newAppVPC(w)
			w.allow(n.epsGr, false, "tcp", 443, 443, cidrPeer("10.0.0.0/16"))
			ep := w.interfaceEndpoint(n.vpc, "com.amazonaws.us-east-1.sns", nil, []*network.Subnet{n.eps}, n.epsGr)
			return reach.Query{Source: n.inst.ID, Destination: ep.ID, Protocol: reach.TCP, DestinationPort: 443}
		},
		found:   true,
		forward: "i eni sg acl rtb acl sg eni vpce",
		check: func(t *testing.T, r reach.Result) {
			equal(t, "local route", r.ForwardPathComponents[4].RouteTableRoute.GatewayID, "local")
			equal(t, "the endpoint's group", r.ForwardPathComponents[6].SecurityGroupRule.Direction, "ingress")
		},
	},
	{
		name: "seed 000: peering cannot join overlapping blocks; PrivateLink can (the seed 004 scenario)",
		build: func(w *world) reach.Query {
			a, b := newPeered(w, "10.0.0.0/16", "10.0.1.0/24"), newPeered(w, "10.0.0.0/16", "10.0.2.0/24")
			p := must(w.net.CreateVPCPeeringConnection(w.ctx, w.who, network.CreatePeeringInput{VpcID: a.vpc.ID, PeerVpcID: b.vpc.ID}))
			if got := w.snapshot().Peering(p.ID); got == nil || got.Status != network.PeeringFailed {
				panic("a peering of overlapping VPCs must fail")
			}
			return reach.Query{Source: a.inst.ID, Destination: b.inst.ID, Protocol: reach.TCP, DestinationPort: 22}
		},
		codes: []reach.Code{reach.DisconnectedVPCs},
	},
	{
		name: "seed 000: a gateway endpoint serves its own VPC only, not a peer",
		build: func(w *world) reach.Query {
			a, b := newPeered(w, "10.0.0.0/16", "10.0.1.0/24"), newPeered(w, "10.1.0.0/16", "10.1.1.0/24")
			pcx := link(w, a, b)
			w.gatewayEndpoint(a.vpc, "s3", "", a.rt)
			// AWS refuses the S3 prefix list as a route destination of the
			// peer: only a default route could send S3 traffic over.
			w.route(b.rt, "0.0.0.0/0", network.Route{VPCPeeringConnectionID: pcx.ID})
			return reach.Query{Source: b.inst.ID, DestinationName: s3Name, Protocol: reach.TCP, DestinationPort: 443}
		},
		codes: []reach.Code{reach.PCXRequiresAddressInVPCCIDR},
	},
	{
		name: "seed 000: cross-account works through an interface endpoint (not a gateway endpoint)",
		build: func(w *world) reach.Query {
			c, p := privateLink(w, 443, false, true)
			_ = p
			return reach.Query{Source: c.client.ID, Destination: "arn:aws:ec2:us-east-1:" + alice.Account + ":vpc-endpoint/" + c.ep.ID, Protocol: reach.TCP, DestinationPort: 443}
		},
		found:   true,
		forward: "i eni sg acl rtb acl sg eni vpce loadbalancer targetgroup sg eni i",
	},
	{
		name: "a gateway endpoint carries TCP only",
		build: func(w *world) reach.Query {
			n := newAppVPC(w)
			w.gatewayEndpoint(n.vpc, "dynamodb", "", n.appRT)
			return reach.Query{Source: n.inst.ID, DestinationName: "dynamodb.us-east-1.amazonaws.com", Protocol: reach.UDP, DestinationPort: 53}
		},
		codes: []reach.Code{reach.VPCEGatewayProtocolRestriction},
	},
	{
		name: "an interface endpoint carries TCP only",
		build: func(w *world) reach.Query {
			n := newAppVPC(w)
			w.allow(n.epsGr, false, "-1", 0, 0, cidrPeer("10.0.0.0/16"))
			ep := w.interfaceEndpoint(n.vpc, "com.amazonaws.us-east-1.sns", nil, []*network.Subnet{n.eps}, n.epsGr)
			return reach.Query{Source: n.inst.ID, Destination: ep.ID, Protocol: reach.UDP, DestinationPort: 443}
		},
		codes: []reach.Code{reach.ProtocolRestriction},
	},
	{
		name: "an endpoint initiates nothing",
		build: func(w *world) reach.Query {
			n := newAppVPC(w)
			ep := w.interfaceEndpoint(n.vpc, "com.amazonaws.us-east-1.sns", nil, []*network.Subnet{n.eps}, n.epsGr)
			return reach.Query{Source: ep.ID, Destination: n.inst.ID, Protocol: reach.TCP, DestinationPort: 443}
		},
		codes: []reach.Code{reach.VPCEIntraVPCTraffic},
	},
	{
		name: "a name nothing resolves",
		build: func(w *world) reach.Query {
			n := newAppVPC(w)
			return reach.Query{Source: n.inst.ID, DestinationName: "nowhere.example.com", Protocol: reach.TCP, DestinationPort: 443}
		},
		codes: []reach.Code{reach.UnknownDestination},
		check: func(t *testing.T, r reach.Result) {
			equal(t, "name", r.Explanations[0].Destination.Name, "nowhere.example.com")
		},
	},
	{
		name: "without private DNS the service's name goes to the internet",
		build: func(w *world) reach.Query {
			n := newAppVPC(w)
			off := false
			w.allow(n.epsGr, false, "tcp", 443, 443, cidrPeer("10.0.0.0/16"))
			w.interfaceEndpoint(n.vpc, "com.amazonaws.us-east-1.sns", &off, []*network.Subnet{n.eps}, n.epsGr)
			return reach.Query{Source: n.inst.ID, DestinationName: snsName, Protocol: reach.TCP, DestinationPort: 443}
		},
		codes: []reach.Code{reach.NoRouteToDestination},
	},
	{
		name: "private DNS of an endpoint without subnets answers nothing: the service's name goes to the internet",
		build: func(w *world) reach.Query {
			n := newAppVPC(w)
			w.interfaceEndpoint(n.vpc, "com.amazonaws.us-east-1.sns", nil, nil, n.epsGr)
			return reach.Query{Source: n.inst.ID, DestinationName: snsName, Protocol: reach.TCP, DestinationPort: 443}
		},
		codes: []reach.Code{reach.NoRouteToDestination},
	},
	{
		name: "an endpoint's regional DNS name",
		build: func(w *world) reach.Query {
			n := newAppVPC(w)
			w.allow(n.epsGr, false, "tcp", 443, 443, cidrPeer("10.0.0.0/16"))
			ep := w.interfaceEndpoint(n.vpc, "com.amazonaws.us-east-1.s3", nil, []*network.Subnet{n.eps}, n.epsGr)
			snap := w.snapshot()
			name := strings.Replace(snap.Endpoint(ep.ID).DNSEntries[0].DNSName, "*", "bucket", 1)
			return reach.Query{Source: n.inst.ID, DestinationName: name, Protocol: reach.TCP, DestinationPort: 443}
		},
		found:   true,
		forward: "i eni sg acl rtb acl sg eni vpce",
	},
	{
		name: "an instance's private DNS name",
		build: func(w *world) reach.Query {
			p := newPair(w)
			w.allow(p.dbG, false, "tcp", 5432, 5432, cidrPeer("10.0.0.0/16"))
			return reach.Query{Source: p.app.ID, DestinationName: "ip-" + strings.ReplaceAll(p.db.PrivateIP, ".", "-") + ".ec2.internal", Protocol: reach.TCP, DestinationPort: 5432}
		},
		found:   true,
		forward: "i eni sg acl rtb acl sg eni",
	},
	{
		name: "an endpoint policy's explicit deny wins",
		build: func(w *world) reach.Query {
			n := newAppVPC(w)
			w.gatewayEndpoint(n.vpc, "s3", `{"Version":"2012-10-17","Statement":[`+
				`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},`+
				`{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"`+bob.Account+`"}}}]}`, n.appRT)
			return reach.Query{Source: n.inst.ID, DestinationName: s3Name, Protocol: reach.TCP, DestinationPort: 443, Action: "s3:GetObject", Resource: "arn:aws:s3:::allowed/x"}
		},
		codes: []reach.Code{reach.VpcemuVPCEPolicyRestriction},
		check: func(t *testing.T, r reach.Result) {
			equal(t, "decision", r.Explanations[0].PolicyDecision, "ExplicitDeny")
		},
	},
	{
		name: "an endpoint policy allows by condition on the endpoint",
		build: func(w *world) reach.Query {
			n := newAppVPC(w)
			w.gatewayEndpoint(n.vpc, "s3", onlyAllowed, n.appRT)
			return reach.Query{Source: n.inst.ID, DestinationName: s3Name, Protocol: reach.TCP, DestinationPort: 443, Action: "s3:GetObject",
				Resource: "arn:aws:s3:::allowed/x", Principal: "arn:aws:iam::" + alice.Account + ":role/app"}
		},
		found:   true,
		forward: "i eni sg acl rtb vpce",
	},
	{
		name: "cross-zone load balancing reaches a target in another zone",
		build: func(w *world) reach.Query {
			b := w.as(bob)
			p := b.nlbService("10.0.0.0/16", "10.0.5.0/24", 443, 8080, false, false, alice)
			other := b.subnetIn(p.vpc, "10.0.6.0/24", "us-east-1b")
			far := b.instance(other, false, p.group)
			b.register(p.tg, far)
			must(b.lb.ModifyTargetGroupAttributes(b.ctx, b.who, p.tg.ID, []elb.Attribute{{Key: "load_balancing.cross_zone.enabled", Value: "true"}}))
			c := newConsumerPL(w, p)
			return reach.Query{Source: c.client.ID, Destination: c.ep.ID, Protocol: reach.TCP, DestinationPort: 443}
		},
		found:   true,
		forward: "i eni sg acl rtb acl sg eni vpce loadbalancer targetgroup acl rtb acl sg eni i",
	},
	{
		name: "the provider rejected the connection",
		build: func(w *world) reach.Query {
			c, p := privateLink(w, 443, true, true)
			b := w.as(bob)
			must(b.pl.RejectEndpointConnections(b.ctx, b.who, p.svc.ID, []string{c.ep.ID}))
			return reach.Query{Source: c.client.ID, DestinationName: "api.example.com", Protocol: reach.TCP, DestinationPort: 443}
		},
		codes: []reach.Code{reach.BadState},
		check: func(t *testing.T, r reach.Result) {
			equal(t, "state", r.Explanations[0].State, "rejected")
		},
	},
	{
		name: "an AWS service by its endpoint service id",
		build: func(w *world) reach.Query {
			n := newAppVPC(w)
			w.allow(n.epsGr, false, "tcp", 443, 443, cidrPeer("10.0.0.0/16"))
			ep := w.interfaceEndpoint(n.vpc, "com.amazonaws.us-east-1.sns", nil, []*network.Subnet{n.eps}, n.epsGr)
			return reach.Query{Source: n.inst.ID, Destination: ep.ServiceID, Protocol: reach.TCP, DestinationPort: 443}
		},
		found:   true,
		forward: "i eni sg acl rtb acl sg eni vpce",
	},
	{
		name: "the service no longer has a load balancer in the endpoint's zone",
		build: func(w *world) reach.Query {
			b := w.as(bob)
			p := b.nlbService("10.0.0.0/16", "10.0.5.0/24", 443, 8080, false, true, alice)
			other := b.subnetIn(p.vpc, "10.0.6.0/24", "us-east-1b")
			lb2 := must(b.lb.CreateLoadBalancer(b.ctx, b.who, elb.CreateLoadBalancerInput{Name: "api2", Type: elb.LBNetwork, Scheme: elb.SchemeInternal, Subnets: []string{other.ID}}))
			b.must(b.pl.ModifyServiceConfiguration(b.ctx, b.who, privatelink.ModifyServiceConfigurationInput{ID: p.svc.ID, AddNLBs: []string{lb2.ID}}))
			c := consumerPL{vpc: w.vpc("10.0.0.0/16")}
			eps := w.subnetIn(c.vpc, "10.0.2.0/24", "us-east-1b")
			g := w.group(c.vpc, "endpoint")
			w.allow(g, false, "tcp", 443, 443, cidrPeer("10.0.0.0/16"))
			c.client = w.instance(eps, false, w.group(c.vpc, "client"))
			off := false
			c.ep = w.interfaceEndpoint(c.vpc, p.svc.ServiceName(), &off, []*network.Subnet{eps}, g)
			b.must(b.pl.ModifyServiceConfiguration(b.ctx, b.who, privatelink.ModifyServiceConfigurationInput{ID: p.svc.ID, RemoveNLBs: []string{lb2.ID}}))
			return reach.Query{Source: c.client.ID, Destination: c.ep.ID, Protocol: reach.TCP, DestinationPort: 443}
		},
		codes: []reach.Code{reach.VPCEServiceNotInstalledInAZ},
	},
	{
		name: "the load balancer's groups judge PrivateLink traffic by the client's address",
		build: func(w *world) reach.Query {
			b := w.as(bob)
			p := b.nlbService("10.0.0.0/16", "10.0.5.0/24", 443, 8080, false, true, alice)
			other := b.subnetIn(p.vpc, "10.0.6.0/24", "us-east-1a")
			lbg := b.group(p.vpc, "nlb")
			b.allow(lbg, false, "tcp", 443, 443, cidrPeer("10.0.1.0/32"))
			lb := must(b.lb.CreateLoadBalancer(b.ctx, b.who, elb.CreateLoadBalancerInput{Name: "guarded", Type: elb.LBNetwork, Scheme: elb.SchemeInternal,
				Subnets: []string{other.ID}, SecurityGroups: []string{lbg.ID}}))
			port := int32(8080)
			tg := must(b.lb.CreateTargetGroup(b.ctx, b.who, elb.CreateTargetGroupInput{Name: "guarded", Protocol: "TCP", Port: &port, VpcID: p.vpc.ID}))
			b.register(tg, p.servers...)
			b.listener(lb, "TCP", 443, tg)
			svc := must(b.pl.CreateServiceConfiguration(b.ctx, b.who, privatelink.ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{lb.ID}}))
			must(b.pl.ModifyServicePermissions(b.ctx, b.who, svc.ID, []string{"arn:aws:iam::" + alice.Account + ":root"}, nil))
			p.svc = svc
			c := newConsumerPL(w, p)
			return reach.Query{Source: c.client.ID, Destination: c.ep.ID, Protocol: reach.TCP, DestinationPort: 443}
		},
		codes: []reach.Code{reach.ENISGRulesMismatch},
		check: func(t *testing.T, r reach.Result) {
			e := r.Explanations[0]
			equal(t, "the client's address", e.Addresses[0], "10.0.1.4")
			equal(t, "the balancer's interface", e.NetworkInterface.ARN != "" && strings.Contains(e.NetworkInterface.ARN, bob.Account), true)
		},
	},
}

func TestEndpointCases(t *testing.T) {
	runEngineCases(t, endpointCases)
}

// A load balancer spreads flows over its targets by flow hash: the query's
// FlowHash picks among the targets it may send to, and no hash (the
// analyzer's) takes the first.
func TestFlowHashSpreadsTargets(t *testing.T) {
	w := newWorld(t)
	b := w.as(bob)
	p := b.nlbService("10.0.0.0/16", "10.0.5.0/24", 443, 8080, false, true, alice)
	second := b.instance(p.subnet, false, p.group)
	b.register(p.tg, second)
	c := newConsumerPL(w, p)
	target := func(hash uint32) string {
		r := w.analyze(reach.Query{Source: c.client.ID, Destination: c.ep.ID, Protocol: reach.TCP, DestinationPort: 443, FlowHash: hash})
		if !r.NetworkPathFound {
			t.Fatalf("blocked: %+v", r.Explanations)
		}
		return r.ForwardPathComponents[len(r.ForwardPathComponents)-1].Component.ID
	}
	equal(t, "no hash", target(0), p.servers[0].ID)
	equal(t, "hash 1", target(1), second.ID)
	equal(t, "hash 2", target(2), p.servers[0].ID)
}
