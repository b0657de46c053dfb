package ec2_test

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	dxtypes "github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// The columns of seed 000's comparison table.
const (
	colInterface = "Interface Endpoint"
	colGateway   = "Gateway Endpoint"
	colPL        = "PrivateLink"
	colPeering   = "VPC Peering"
	colDX        = "Direct Connect"
)

// seedSide is one account's corner of the comparison: a VPC (DNS
// hostnames on) with no internet or NAT gateway, an app subnet with a
// table of its own and a client instance (its VPC's default group), and
// an endpoint subnet, all in us-east-1a; with the endpoint, interface and
// insights tests' helpers speaking as the account.
type seedSide struct {
	endpointEnv // vpc, table (the app subnet's), create, endpoint, routes, …
	ins         *insightsEnv
	account     string
	block       string
	app, eps    string
	client      string
}

// newSeedSide builds a side in account with the /16 block.
func newSeedSide(f fixture, account, block string) seedSide {
	f.t.Helper()
	f.c = f.as(account)
	s := seedSide{endpointEnv: endpointEnv{fixture: f}, ins: &insightsEnv{eniEnv: eniEnv{f}}, account: account, block: block}
	s.vpc = s.newVPC(block, true)
	net := strings.TrimSuffix(block, "0.0/16")
	s.app, s.eps = s.subnet(s.vpc, net+"1.0/24", "us-east-1a"), s.subnet(s.vpc, net+"2.0/24", "us-east-1a")
	s.table = s.routeTable(s.vpc)
	_, err := s.c.AssociateRouteTable(s.ctx, &ec2.AssociateRouteTableInput{RouteTableId: &s.table, SubnetId: &s.app})
	s.must(err)
	s.client = s.instance()
	return s
}

// instance runs an instance in the app subnet, in groups (the VPC's
// default group when none).
func (s seedSide) instance(groups ...string) string {
	s.t.Helper()
	return aws.ToString(s.ins.run(&ec2.RunInstancesInput{SubnetId: &s.app, SecurityGroupIds: groups}).Instances[0].InstanceId)
}

// openGroup is a new group that lets TCP port in from the side's VPC, or
// nothing in when port is 0.
func (s seedSide) openGroup(name string, port int32) string {
	s.t.Helper()
	g := s.group(s.vpc, name)
	if port != 0 {
		s.allow(g, port, &s.block, nil)
	}
	return g
}

// allow lets TCP port into group from a CIDR or from a group of another
// account.
func (s seedSide) allow(group string, port int32, cidr *string, from *types.UserIdGroupPair) {
	s.t.Helper()
	p := types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: &port, ToPort: &port}
	if cidr != nil {
		p.IpRanges = []types.IpRange{{CidrIp: cidr}}
	}
	if from != nil {
		p.UserIdGroupPairs = []types.UserIdGroupPair{*from}
	}
	_, err := s.c.AuthorizeSecurityGroupIngress(s.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &group, IpPermissions: []types.IpPermission{p}})
	s.must(err)
}

// interfaceEndpoint creates an interface endpoint to a service in the
// endpoint subnet, in group.
func (s seedSide) interfaceEndpoint(service, group string) types.VpcEndpoint {
	s.t.Helper()
	return s.create(ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: &service,
		SubnetIds: []string{s.eps}, SecurityGroupIds: []string{group}})
}

// sns is an interface endpoint to SNS whose group lets port in.
func (s seedSide) sns(port int32) (endpoint, group string) {
	s.t.Helper()
	group = s.openGroup("endpoint", port)
	return aws.ToString(s.interfaceEndpoint("com.amazonaws.us-east-1.sns", group).VpcEndpointId), group
}

// s3 is an S3 gateway endpoint on the app subnet's table.
func (s seedSide) s3() string {
	s.t.Helper()
	return aws.ToString(s.create(ec2.CreateVpcEndpointInput{ServiceName: aws.String("com.amazonaws.us-east-1.s3"), RouteTableIds: []string{s.table}}).VpcEndpointId)
}

// analyse asks whether the client reaches dst on TCP 443 (unless in says
// otherwise).
func (s seedSide) analyse(dst string, in ec2.CreateNetworkInsightsPathInput) types.NetworkInsightsAnalysis {
	s.t.Helper()
	if in.Source == nil {
		in.Source = &s.client
	}
	if in.DestinationPort == nil {
		in.DestinationPort = aws.Int32(443)
	}
	in.Destination = &dst
	return s.ins.analyse(s.ins.path(&in))
}

// answer is the /_vpcemu/analyze endpoint's answer to the side's question.
func (s seedSide) answer(req analyzer.Request) analyzer.Answer {
	s.t.Helper()
	c := &analyzer.Client{Endpoint: s.em.URL(), Region: "us-east-1", Credentials: aws.Credentials{AccessKeyID: s.account, SecretAccessKey: "secret"}}
	body, err := c.Analyze(s.ctx, req)
	s.must(err)
	var res analyzer.Answer
	s.must(json.Unmarshal(body, &res))
	return res
}

// ask is whether the endpoint finds the side's path, and the first
// explanation's code.
func (s seedSide) ask(req analyzer.Request) (found bool, code string) {
	s.t.Helper()
	res := s.answer(req)
	if len(res.Explanations) > 0 {
		code = aws.ToString(res.Explanations[0].ExplanationCode)
	}
	return res.Found(), code
}

// agrees checks the analyze endpoint answers req as the API answered a:
// the path found or not, and the first explanation's code.
func (s seedSide) agrees(a types.NetworkInsightsAnalysis, req analyzer.Request) {
	s.t.Helper()
	var code string
	if len(a.Explanations) > 0 {
		code = aws.ToString(a.Explanations[0].ExplanationCode)
	}
	if found, got := s.ask(req); found != aws.ToBool(a.NetworkPathFound) || got != code {
		s.t.Errorf("/_vpcemu/analyze %+v: found %t %q, the API %t %q", req, found, got, aws.ToBool(a.NetworkPathFound), code)
	}
}

// arn is the ARN of one of the side's instances, for a path from another
// account.
func (s seedSide) arn(instance string) string {
	return "arn:aws:ec2:us-east-1:" + s.account + ":instance/" + instance
}

// noGateways checks the side's VPC has no internet or NAT gateway.
func (s seedSide) noGateways() {
	s.t.Helper()
	igws, err := s.c.DescribeInternetGateways(s.ctx, &ec2.DescribeInternetGatewaysInput{Filters: []types.Filter{{Name: aws.String("attachment.vpc-id"), Values: []string{s.vpc}}}})
	s.must(err)
	nats, err := s.c.DescribeNatGateways(s.ctx, &ec2.DescribeNatGatewaysInput{Filter: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{s.vpc}}}})
	s.must(err)
	if len(igws.InternetGateways)+len(nats.NatGateways) != 0 {
		s.t.Fatalf("%s has gateways to the internet: %+v %+v", s.vpc, igws.InternetGateways, nats.NatGateways)
	}
}

// private checks a path was found, there and back, through no internet or
// NAT gateway.
func private(t *testing.T, a types.NetworkInsightsAnalysis) {
	t.Helper()
	if a.Status != types.AnalysisStatusSucceeded || !aws.ToBool(a.NetworkPathFound) {
		t.Fatalf("want a path found, got %s %v: %+v", a.Status, aws.ToBool(a.NetworkPathFound), a.Explanations)
	}
	for _, id := range slices.Concat(componentIDs(a.ForwardPathComponents), componentIDs(a.ReturnPathComponents)) {
		if strings.HasPrefix(id, "igw-") || strings.HasPrefix(id, "nat-") {
			t.Errorf("the path goes through %s", id)
		}
	}
}

// newInterfaces are the network interfaces act adds to the side's VPC.
func (s seedSide) newInterfaces(act func()) []types.NetworkInterface {
	s.t.Helper()
	list := func() []types.NetworkInterface {
		out, err := s.c.DescribeNetworkInterfaces(s.ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{s.vpc}}}})
		s.must(err)
		return out.NetworkInterfaces
	}
	before := list()
	act()
	return slices.DeleteFunc(list(), func(n types.NetworkInterface) bool {
		return slices.ContainsFunc(before, func(b types.NetworkInterface) bool {
			return aws.ToString(b.NetworkInterfaceId) == aws.ToString(n.NetworkInterfaceId)
		})
	})
}

// endpointInterfaces checks ENIs are exactly the endpoint's interfaces, as
// AWS shows them: requester-managed, of type vpc_endpoint, described with
// the endpoint's id, in the endpoint's groups.
func (s seedSide) endpointInterfaces(enis []types.NetworkInterface, endpoint string) {
	s.t.Helper()
	ep := s.endpoint(endpoint)
	var ids []string
	for _, n := range enis {
		ids = append(ids, aws.ToString(n.NetworkInterfaceId))
		if !aws.ToBool(n.RequesterManaged) || n.InterfaceType != types.NetworkInterfaceTypeVpcEndpoint ||
			aws.ToString(n.Description) != "VPC Endpoint Interface "+endpoint || aws.ToString(n.SubnetId) != s.eps ||
			!slices.Equal(interfaceGroupIDs(n.Groups), endpointGroupIDs(ep.Groups)) {
			s.t.Errorf("interface %+v: want %s's requester-managed vpc_endpoint interface in %v", n, endpoint, endpointGroupIDs(ep.Groups))
		}
	}
	sameIDs(s.t, ids, ep.NetworkInterfaceIds)
	if len(ids) != 1 {
		s.t.Errorf("%s has %d interfaces, want one in its one subnet", endpoint, len(ids))
	}
}

// addedRoutes are the routes ("rtb-…: destination -> target") act adds to
// the side's route tables.
func (s seedSide) addedRoutes(act func()) []string {
	s.t.Helper()
	list := func() []string {
		out, err := s.c.DescribeRouteTables(s.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{s.vpc}}}})
		s.must(err)
		var routes []string
		for _, rt := range out.RouteTables {
			for _, r := range rt.Routes {
				dest := aws.ToString(r.DestinationCidrBlock) + aws.ToString(r.DestinationPrefixListId)
				target := aws.ToString(r.GatewayId) + aws.ToString(r.VpcPeeringConnectionId) + aws.ToString(r.NatGatewayId) + aws.ToString(r.NetworkInterfaceId)
				routes = append(routes, aws.ToString(rt.RouteTableId)+": "+dest+" -> "+target)
			}
		}
		return routes
	}
	before := list()
	act()
	return slices.DeleteFunc(list(), func(r string) bool { return slices.Contains(before, r) })
}

// seedProvider is account A's PrivateLink service in a side of its own
// (10.0.0.0/16, the consumer's block too): an internal NLB in the app
// subnet listening on TCP 443 for a target group of one instance that
// serves 8080, offered to account B.
type seedProvider struct {
	seedSide
	id, name, server string
}

func newSeedProvider(f fixture, acceptance bool) seedProvider {
	f.t.Helper()
	p := seedProvider{seedSide: newSeedSide(f, emulatortest.AccountA, "10.0.0.0/16")}
	p.server = p.instance(p.openGroup("servers", 8080))
	lb := emulatortest.ELBv2(p.em, p.account, "us-east-1")
	nlb, err := lb.CreateLoadBalancer(p.ctx, &elb.CreateLoadBalancerInput{Name: aws.String("api"), Type: elbtypes.LoadBalancerTypeEnumNetwork,
		Scheme: elbtypes.LoadBalancerSchemeEnumInternal, Subnets: []string{p.app}})
	p.must(err)
	tg, err := lb.CreateTargetGroup(p.ctx, &elb.CreateTargetGroupInput{Name: aws.String("api"), Protocol: elbtypes.ProtocolEnumTcp, Port: aws.Int32(8080), VpcId: &p.vpc})
	p.must(err)
	tgARN := tg.TargetGroups[0].TargetGroupArn
	_, err = lb.RegisterTargets(p.ctx, &elb.RegisterTargetsInput{TargetGroupArn: tgARN, Targets: []elbtypes.TargetDescription{{Id: &p.server}}})
	p.must(err)
	_, err = lb.CreateListener(p.ctx, &elb.CreateListenerInput{LoadBalancerArn: nlb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumTcp, Port: aws.Int32(443),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tgARN}}})
	p.must(err)
	svc, err := p.c.CreateVpcEndpointServiceConfiguration(p.ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{
		NetworkLoadBalancerArns: []string{aws.ToString(nlb.LoadBalancers[0].LoadBalancerArn)}, AcceptanceRequired: &acceptance})
	p.must(err)
	p.id, p.name = aws.ToString(svc.ServiceConfiguration.ServiceId), aws.ToString(svc.ServiceConfiguration.ServiceName)
	_, err = p.c.ModifyVpcEndpointServicePermissions(p.ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{ServiceId: &p.id,
		AddAllowedPrincipals: []string{"arn:aws:iam::" + emulatortest.AccountB + ":root"}})
	p.must(err)
	return p
}

// privateLink is account B's consumer side (10.0.0.0/16) with an endpoint
// to the provider's service in a group that lets port in.
func (p seedProvider) privateLink(port int32) (consumer seedSide, endpoint, group string) {
	p.t.Helper()
	consumer = newSeedSide(p.fixture, emulatortest.AccountB, "10.0.0.0/16")
	group = consumer.openGroup("endpoint", port)
	return consumer, aws.ToString(consumer.interfaceEndpoint(p.name, group).VpcEndpointId), group
}

func (p seedProvider) accept(endpoint string) {
	p.t.Helper()
	_, err := p.c.AcceptVpcEndpointConnections(p.ctx, &ec2.AcceptVpcEndpointConnectionsInput{ServiceId: &p.id, VpcEndpointIds: []string{endpoint}})
	p.must(err)
}

// seedPeers are two sides joined by a peering connection: the requester
// a in account A (10.0.0.0/16) and the accepter b in account, with a
// server behind a group that lets 443 in from a's VPC.
type seedPeers struct {
	a, b   seedSide
	pe     peeringEnv
	pcx    string
	server string
}

// newSeedPeers requests the connection; accept accepts it (and routes
// adds the routes).
func newSeedPeers(f fixture, account, block string) seedPeers {
	f.t.Helper()
	ps := seedPeers{a: newSeedSide(f, emulatortest.AccountA, "10.0.0.0/16"), b: newSeedSide(f, account, block), pe: peeringEnv{fixture: f}}
	ps.server = ps.b.instance(ps.b.openGroup("servers", 0))
	ps.pcx = ps.pe.request(ps.a.c, ps.a.vpc, ps.b.vpc, account, "")
	return ps
}

func (ps seedPeers) accept() { ps.pe.accept(ps.b.c, ps.pcx) }

// routes sends each side's app subnet to the other's block through the
// connection.
func (ps seedPeers) routes() {
	ps.pe.t.Helper()
	ps.pe.must(ps.pe.route(ps.a.c, ps.a.table, ps.b.block, ps.pcx))
	ps.pe.must(ps.pe.route(ps.b.c, ps.b.table, ps.a.block, ps.pcx))
}

// serverGroup is the server's group.
func (ps seedPeers) serverGroup() string {
	return aws.ToString(ps.b.ins.instance(ps.server).SecurityGroups[0].GroupId)
}

// analyse asks whether a's client reaches b's server on 443.
func (ps seedPeers) analyse() types.NetworkInsightsAnalysis {
	return ps.a.analyse(ps.b.arn(ps.server), ec2.CreateNetworkInsightsPathInput{})
}

// TestSeedComparisonTable checks seed 000's table of ways to reach a
// service privately: each cell of the columns above that is an observable
// behaviour, through the AWS API (and, for a few, vpcemu's analyze
// endpoint too).
func TestSeedComparisonTable(t *testing.T) {
	cells := []struct {
		// row and col name the cell; seed is what the table says in it.
		row, col, seed string
		check          func(t *testing.T, f fixture)
	}{
		// Internet needed: no internet or NAT gateway in the VPCs, and the
		// path is found through none.
		{"Internet needed", colInterface, "❌", func(t *testing.T, f fixture) {
			s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			ep, _ := s.sns(443)
			s.noGateways()
			private(t, s.analyse(ep, ec2.CreateNetworkInsightsPathInput{}))
			// Its interface's address is a destination as good as its id.
			ip := aws.ToString(s.interfaces(s.endpoint(ep).NetworkInterfaceIds)[0].PrivateIpAddress)
			a := s.analyse(ep, ec2.CreateNetworkInsightsPathInput{DestinationIp: &ip})
			private(t, a)
			s.agrees(a, analyzer.Request{From: s.client, To: ip, Port: 443})
		}},
		{"Internet needed", colGateway, "❌", func(t *testing.T, f fixture) {
			s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			ep := s.s3()
			s.noGateways()
			private(t, s.analyse(ep, ec2.CreateNetworkInsightsPathInput{}))
			// An address of S3's prefix list, as the path's DestinationIp.
			entries, err := s.c.GetManagedPrefixListEntries(s.ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String(s.prefixList("com.amazonaws.us-east-1.s3"))})
			s.must(err)
			ip := netip.MustParsePrefix(aws.ToString(entries.Entries[0].Cidr)).Addr().Next().String()
			a := s.analyse(ep, ec2.CreateNetworkInsightsPathInput{DestinationIp: &ip})
			private(t, a)
			s.agrees(a, analyzer.Request{From: s.client, To: "s3.us-east-1.amazonaws.com", Port: 443})
		}},
		{"Internet needed", colPL, "❌", func(t *testing.T, f fixture) {
			p := newSeedProvider(f, false)
			c, ep, _ := p.privateLink(443)
			p.noGateways()
			c.noGateways()
			private(t, c.analyse(ep, ec2.CreateNetworkInsightsPathInput{}))
		}},
		{"Internet needed", colPeering, "❌", func(t *testing.T, f fixture) {
			ps := newSeedPeers(f, emulatortest.AccountA, "10.1.0.0/16")
			ps.b.allow(ps.serverGroup(), 443, &ps.a.block, nil)
			ps.accept()
			ps.routes()
			ps.a.noGateways()
			ps.b.noGateways()
			private(t, ps.analyse())
		}},

		// ENI used: requester-managed interfaces for interface endpoints,
		// none for the others.
		{"ENI used", colInterface, "✅", func(t *testing.T, f fixture) {
			s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			var ep string
			enis := s.newInterfaces(func() { ep, _ = s.sns(443) })
			s.endpointInterfaces(enis, ep)
		}},
		{"ENI used", colGateway, "❌", func(t *testing.T, f fixture) {
			s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			var ep string
			if enis := s.newInterfaces(func() { ep = s.s3() }); len(enis) != 0 {
				t.Errorf("a gateway endpoint added interfaces %+v", enis)
			}
			if ids := s.endpoint(ep).NetworkInterfaceIds; len(ids) != 0 {
				t.Errorf("gateway endpoint's interfaces %v", ids)
			}
		}},
		{"ENI used", colPL, "✅", func(t *testing.T, f fixture) {
			p := newSeedProvider(f, false)
			c := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			g := c.openGroup("endpoint", 443)
			var ep string
			enis := c.newInterfaces(func() { ep = aws.ToString(c.interfaceEndpoint(p.name, g).VpcEndpointId) })
			c.endpointInterfaces(enis, ep)
		}},
		{"ENI used", colPeering, "❌", func(t *testing.T, f fixture) {
			ps := newSeedPeers(f, emulatortest.AccountA, "10.1.0.0/16")
			var inA []types.NetworkInterface
			inB := ps.b.newInterfaces(func() {
				inA = ps.a.newInterfaces(func() {
					ps.accept()
					ps.routes()
				})
			})
			if len(inA)+len(inB) != 0 {
				t.Errorf("peering added interfaces %+v %+v", inA, inB)
			}
		}},

		// Route table change: a gateway endpoint and a peering route
		// change route tables; interface endpoints do not.
		{"Route table change", colInterface, "❌", func(t *testing.T, f fixture) {
			s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			if added := s.addedRoutes(func() { s.sns(443) }); len(added) != 0 {
				t.Errorf("an interface endpoint added routes %v", added)
			}
		}},
		{"Route table change", colGateway, "✅", func(t *testing.T, f fixture) {
			s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			var ep string
			added := s.addedRoutes(func() { ep = s.s3() })
			pl := s.prefixList("com.amazonaws.us-east-1.s3")
			if want := []string{s.table + ": " + pl + " -> " + ep}; !slices.Equal(added, want) {
				t.Errorf("routes added %v, want %v", added, want)
			}
		}},
		{"Route table change", colPL, "❌", func(t *testing.T, f fixture) {
			p := newSeedProvider(f, false)
			c := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			g := c.openGroup("endpoint", 443)
			if added := c.addedRoutes(func() { c.interfaceEndpoint(p.name, g) }); len(added) != 0 {
				t.Errorf("a PrivateLink endpoint added routes %v", added)
			}
		}},
		{"Route table change", colPeering, "✅", func(t *testing.T, f fixture) {
			ps := newSeedPeers(f, emulatortest.AccountA, "10.1.0.0/16")
			ps.b.allow(ps.serverGroup(), 443, &ps.a.block, nil)
			ps.accept()
			x := blockedBy(t, ps.analyse(), "NO_ROUTE_TO_DESTINATION")
			if aws.ToString(x.RouteTable.Id) != ps.a.table {
				t.Errorf("explanation %+v: want %s", x, ps.a.table)
			}
			added := ps.a.addedRoutes(ps.routes)
			if want := []string{ps.a.table + ": " + ps.b.block + " -> " + ps.pcx}; !slices.Equal(added, want) {
				t.Errorf("routes added %v, want %v", added, want)
			}
			private(t, ps.analyse())
		}},

		// Security groups: endpoints with interfaces have groups that
		// decide; gateway endpoints have none.
		{"Security Groups", colInterface, "✅", func(t *testing.T, f fixture) {
			s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			ep, g := s.sns(0)
			sameIDs(t, endpointGroupIDs(s.endpoint(ep).Groups), []string{g})
			a := s.analyse(ep, ec2.CreateNetworkInsightsPathInput{})
			x := blockedBy(t, a, "ENI_SG_RULES_MISMATCH")
			if aws.ToString(x.SecurityGroup.Id) != g || aws.ToString(x.Direction) != "ingress" ||
				!slices.Contains(s.endpoint(ep).NetworkInterfaceIds, aws.ToString(x.NetworkInterface.Id)) {
				t.Errorf("explanation %+v: want %s's ingress on %s's interface", x, g, ep)
			}
			s.agrees(a, analyzer.Request{From: s.client, To: ep, Port: 443})
			s.allow(g, 443, &s.block, nil)
			private(t, s.analyse(ep, ec2.CreateNetworkInsightsPathInput{}))
		}},
		{"Security Groups", colGateway, "❌", func(t *testing.T, f fixture) {
			s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			if g := s.endpoint(s.s3()).Groups; len(g) != 0 {
				t.Errorf("gateway endpoint groups %+v", g)
			}
			_, err := s.c.CreateVpcEndpoint(s.ctx, s.withVPC(ec2.CreateVpcEndpointInput{ServiceName: aws.String("com.amazonaws.us-east-1.dynamodb"),
				RouteTableIds: []string{s.table}, SecurityGroupIds: []string{s.openGroup("endpoint", 443)}}))
			s.wantErr(err, "InvalidParameter", "Security group IDs are only supported for Interface type VPC Endpoints.")
		}},
		{"Security Groups", colPL, "✅", func(t *testing.T, f fixture) {
			p := newSeedProvider(f, false)
			c, ep, g := p.privateLink(0)
			sameIDs(t, endpointGroupIDs(c.endpoint(ep).Groups), []string{g})
			x := blockedBy(t, c.analyse(ep, ec2.CreateNetworkInsightsPathInput{}), "ENI_SG_RULES_MISMATCH")
			if aws.ToString(x.SecurityGroup.Id) != g {
				t.Errorf("explanation %+v: want %s", x, g)
			}
			c.allow(g, 443, &c.block, nil)
			private(t, c.analyse(ep, ec2.CreateNetworkInsightsPathInput{}))
		}},
		// The seed says "No Security Group referencing across VPCs": AWS
		// lets a group name a peer VPC's group (another account's too)
		// across an active peering in the same region, and that is what is
		// checked here.
		{"Security Groups", colPeering, "❌", func(t *testing.T, f fixture) {
			ps := newSeedPeers(f, emulatortest.AccountB, "10.1.0.0/16")
			ps.accept()
			ps.routes()
			blockedBy(t, ps.analyse(), "ENI_SG_RULES_MISMATCH")
			clientGroup := aws.ToString(ps.a.ins.instance(ps.a.client).SecurityGroups[0].GroupId)
			ps.b.allow(ps.serverGroup(), 443, nil, &types.UserIdGroupPair{GroupId: &clientGroup, UserId: aws.String(ps.a.account)})
			private(t, ps.analyse())
		}},

		// Cross-account.
		{"Cross-account", colInterface, "✅", func(t *testing.T, f fixture) {
			for _, account := range []string{emulatortest.AccountA, emulatortest.AccountB} {
				s := newSeedSide(f, account, "10.0.0.0/16")
				ep, _ := s.sns(443)
				private(t, s.analyse(ep, ec2.CreateNetworkInsightsPathInput{}))
			}
		}},
		// A gateway endpoint goes to an AWS service only: another account's
		// service (which B may use through an interface endpoint) has no
		// gateway type.
		{"Cross-account", colGateway, "❌", func(t *testing.T, f fixture) {
			p := newSeedProvider(f, false)
			c := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			_, err := c.c.CreateVpcEndpoint(c.ctx, c.withVPC(ec2.CreateVpcEndpointInput{ServiceName: &p.name, RouteTableIds: []string{c.table}}))
			c.wantErr(err, "InvalidParameter", "Endpoint type (Gateway) does not match available service types ([Interface]).")
		}},
		{"Cross-account", colPL, "✅", func(t *testing.T, f fixture) {
			p := newSeedProvider(f, true)
			c, ep, _ := p.privateLink(443)
			if got := c.endpoint(ep).State; got != types.State("pendingAcceptance") {
				t.Fatalf("endpoint %s", got)
			}
			a := c.analyse(ep, ec2.CreateNetworkInsightsPathInput{})
			if x := blockedBy(t, a, "BAD_STATE"); aws.ToString(x.VpcEndpoint.Id) != ep || aws.ToString(x.State) != "pendingAcceptance" {
				t.Errorf("explanation %v: want %s pendingAcceptance", plain(t, x), ep)
			}
			c.agrees(a, analyzer.Request{From: c.client, To: ep, Port: 443})
			p.accept(ep)
			a = c.analyse(ep, ec2.CreateNetworkInsightsPathInput{})
			private(t, a)
			if fwd := componentIDs(a.ForwardPathComponents); fwd[len(fwd)-1] != p.server {
				t.Errorf("forward path %v: want it to end at the provider's %s", fwd, p.server)
			}
			c.agrees(a, analyzer.Request{From: c.client, To: ep, Port: 443})
		}},
		{"Cross-account", colPeering, "⚠️", func(t *testing.T, f fixture) {
			ps := newSeedPeers(f, emulatortest.AccountB, "10.1.0.0/16")
			ps.b.allow(ps.serverGroup(), 443, &ps.a.block, nil)
			ps.pe.must(ps.pe.route(ps.a.c, ps.a.table, ps.b.block, ps.pcx))
			if got := ps.pe.status(ps.a.c, ps.pcx); got != types.VpcPeeringConnectionStateReasonCodePendingAcceptance {
				t.Fatalf("connection %s", got)
			}
			// The route to the connection is a blackhole until it is active.
			x := blockedBy(t, ps.analyse(), "BAD_STATE_ROUTE")
			if aws.ToString(x.RouteTableRoute.VpcPeeringConnectionId) != ps.pcx || aws.ToString(x.RouteTableRoute.State) != "blackhole" {
				t.Errorf("explanation %v: want the blackhole route to %s", plain(t, x), ps.pcx)
			}
			ps.accept()
			ps.pe.must(ps.pe.route(ps.b.c, ps.b.table, ps.a.block, ps.pcx))
			private(t, ps.analyse())
		}},

		// CIDR overlap OK: two VPCs with the same block.
		{"CIDR overlap OK", colInterface, "✅", func(t *testing.T, f fixture) {
			for range 2 {
				s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
				ep, _ := s.sns(443)
				private(t, s.analyse(ep, ec2.CreateNetworkInsightsPathInput{}))
			}
		}},
		{"CIDR overlap OK", colGateway, "✅", func(t *testing.T, f fixture) {
			for range 2 {
				s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
				private(t, s.analyse(s.s3(), ec2.CreateNetworkInsightsPathInput{}))
			}
		}},
		{"CIDR overlap OK", colPL, "✅", func(t *testing.T, f fixture) {
			p := newSeedProvider(f, false)
			c, ep, _ := p.privateLink(443)
			if p.block != c.block {
				t.Fatalf("blocks %s and %s", p.block, c.block)
			}
			private(t, c.analyse(ep, ec2.CreateNetworkInsightsPathInput{}))
		}},
		// Two VPCs of one account with the same block: the request fails,
		// and no path joins them.
		{"CIDR overlap OK", colPeering, "❌", func(t *testing.T, f fixture) {
			ps := newSeedPeers(f, emulatortest.AccountA, "10.0.0.0/16")
			if got := ps.pe.connection(ps.a.c, ps.pcx).Status; got.Code != types.VpcPeeringConnectionStateReasonCodeFailed ||
				!strings.Contains(aws.ToString(got.Message), "overlapping CIDR range") {
				t.Fatalf("connection between overlapping VPCs: %s %q", got.Code, aws.ToString(got.Message))
			}
			ps.b.allow(ps.serverGroup(), 443, &ps.a.block, nil)
			x := blockedBy(t, ps.analyse(), "DISCONNECTED_VPCS")
			if aws.ToString(x.SourceVpc.Id) != ps.a.vpc || aws.ToString(x.DestinationVpc.Id) != ps.b.vpc {
				t.Errorf("explanation %v: want %s and %s", plain(t, x), ps.a.vpc, ps.b.vpc)
			}
		}},

		// Direct Connect: on premises (onPremHost) over a private VIF, a
		// Direct Connect gateway and the VPC's virtual private gateway;
		// Network Insights from the VGW at on premises's address (AWS does
		// not look behind a VGW), the engine from on premises over the VIF.
		{"Internet needed", colDX, "❌", func(t *testing.T, f fixture) {
			s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			d := s.directConnect(true)
			server, _ := d.server(false)
			s.noGateways()
			a := d.analyse(server)
			private(t, a)
			s.agrees(a, d.fromOnPrem(server))
			res := s.answer(d.fromOnPrem(server))
			if ids := answerIDs(res.ForwardPathComponents); len(ids) < 3 || !slices.Equal(ids[:3], []string{d.vif, d.gateway, d.vgw}) || ids[len(ids)-1] != server {
				t.Errorf("forward path %v: want %s %s %s … %s", ids, d.vif, d.gateway, d.vgw, server)
			}
			// Nor can on premises use the VPC's internet gateway: no
			// edge-to-edge routing.
			igw, err := s.c.CreateInternetGateway(s.ctx, &ec2.CreateInternetGatewayInput{})
			s.must(err)
			_, err = s.c.AttachInternetGateway(s.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: &s.vpc})
			s.must(err)
			_, err = s.c.CreateRoute(s.ctx, &ec2.CreateRouteInput{RouteTableId: &s.table, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: igw.InternetGateway.InternetGatewayId})
			s.must(err)
			if found, code := s.ask(d.fromOnPrem("8.8.8.8")); found || code != "NO_ROUTE_TO_DESTINATION" {
				t.Errorf("on premises to the internet through the VPC: found %t %q", found, code)
			}
		}},
		{"ENI used", colDX, "❌", func(t *testing.T, f fixture) {
			s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			var d seedDX
			if enis := s.newInterfaces(func() { d = s.directConnect(true) }); len(enis) != 0 {
				t.Errorf("Direct Connect added interfaces %+v", enis)
			}
			// The only interface on the path is the server's own.
			server, _ := d.server(false)
			eni := aws.ToString(s.ins.instance(server).NetworkInterfaces[0].NetworkInterfaceId)
			a := d.analyse(server)
			private(t, a)
			res := s.answer(d.fromOnPrem(server))
			for _, id := range slices.Concat(componentIDs(a.ForwardPathComponents), answerIDs(res.ForwardPathComponents), answerIDs(res.ReturnPathComponents)) {
				if strings.HasPrefix(id, "eni-") && id != eni {
					t.Errorf("the path goes through interface %s, not the server's %s", id, eni)
				}
			}
		}},
		// The seed says no route table change, and indeed nobody writes a
		// route; but AWS does change the table: what on premises
		// advertises is propagated into tables that propagate the VGW
		// (Origin EnableVgwRoutePropagation), and without that (or a
		// static route) there is no way back. That is what is checked here.
		{"Route table change", colDX, "❌", func(t *testing.T, f fixture) {
			s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			d := s.directConnect(false)
			server, _ := d.server(false)
			a := d.analyse(server)
			if x := blockedBy(t, a, "NO_ROUTE_TO_DESTINATION"); aws.ToString(x.RouteTable.Id) != s.table {
				t.Errorf("explanation %v: want %s", plain(t, x), s.table)
			}
			s.agrees(a, d.fromOnPrem(server))
			added := s.addedRoutes(func() { s.propagate(d.vgw) })
			if want := []string{s.table + ": " + onPremPrefix + " -> " + d.vgw}; !slices.Equal(added, want) {
				t.Errorf("routes added %v, want %v", added, want)
			}
			rts, err := s.c.DescribeRouteTables(s.ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{s.table}})
			s.must(err)
			for _, r := range rts.RouteTables[0].Routes {
				if aws.ToString(r.GatewayId) == d.vgw && r.Origin != types.RouteOriginEnableVgwRoutePropagation {
					t.Errorf("route %+v: want it propagated", r)
				}
			}
			private(t, d.analyse(server))
		}},
		// The seed says no security groups: Direct Connect's own parts (the
		// VIF, the gateways) have none, but the destination's group still
		// decides, and is the only one on the path.
		{"Security Groups", colDX, "❌", func(t *testing.T, f fixture) {
			s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			d := s.directConnect(true)
			server, g := d.server(true)
			a := d.analyse(server)
			if x := blockedBy(t, a, "ENI_SG_RULES_MISMATCH"); aws.ToString(x.SecurityGroup.Id) != g || aws.ToString(x.Direction) != "ingress" {
				t.Errorf("explanation %v: want %s's ingress", plain(t, x), g)
			}
			s.agrees(a, d.fromOnPrem(server))
			s.allow(g, 443, aws.String(onPremPrefix), nil)
			a = d.analyse(server)
			private(t, a)
			res := s.answer(d.fromOnPrem(server))
			for _, id := range slices.Concat(componentIDs(a.ForwardPathComponents), answerIDs(res.ForwardPathComponents)) {
				if strings.HasPrefix(id, "sg-") && id != g {
					t.Errorf("the path goes through group %s, not only the server's %s", id, g)
				}
			}
		}},
		// Account A's connection reaches account B's VPC both ways AWS
		// offers: B proposes its VGW to A's Direct Connect gateway and A
		// accepts; A allocates B a hosted VIF, which B confirms on its VGW.
		{"Cross-account", colDX, "✅", func(t *testing.T, f fixture) {
			s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
			d := seedDX{side: s, dx: emulatortest.DirectConnect(s.em, emulatortest.AccountA, "us-east-1"), owner: emulatortest.AccountA, vgw: s.vgw(true)}
			d.onPremises()
			server, _ := d.server(false)
			// Until the gateways are associated, A's VIF is nothing B's
			// network knows.
			if found, code := s.ask(d.fromOnPrem(server)); found || code != "NO_SOURCE_OR_DESTINATION" {
				t.Fatalf("before the association: found %t %q", found, code)
			}
			b := emulatortest.DirectConnect(s.em, emulatortest.AccountB, "us-east-1")
			p, err := b.CreateDirectConnectGatewayAssociationProposal(s.ctx, &directconnect.CreateDirectConnectGatewayAssociationProposalInput{
				DirectConnectGatewayId: &d.gateway, DirectConnectGatewayOwnerAccount: aws.String(emulatortest.AccountA), GatewayId: &d.vgw})
			s.must(err)
			_, err = d.dx.AcceptDirectConnectGatewayAssociationProposal(s.ctx, &directconnect.AcceptDirectConnectGatewayAssociationProposalInput{
				DirectConnectGatewayId: &d.gateway, ProposalId: p.DirectConnectGatewayAssociationProposal.ProposalId, AssociatedGatewayOwnerAccount: aws.String(emulatortest.AccountB)})
			s.must(err)
			res := s.answer(d.fromOnPrem(server))
			if !res.Found() || aws.ToString(res.ForwardPathComponents[0].Component.Arn) != "arn:aws:directconnect:us-east-1:"+emulatortest.AccountA+":dxvif/"+d.vif {
				t.Errorf("over A's VIF: found %t, path %v %+v", res.Found(), answerIDs(res.ForwardPathComponents), res.Explanations)
			}

			hosted, err := d.dx.AllocatePrivateVirtualInterface(s.ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{ConnectionId: &d.conn, OwnerAccount: aws.String(emulatortest.AccountB),
				NewPrivateVirtualInterfaceAllocation: &dxtypes.NewPrivateVirtualInterfaceAllocation{VirtualInterfaceName: aws.String("hosted"), Vlan: 102, Asn: 65001}})
			s.must(err)
			if hosted.VirtualInterfaceState != dxtypes.VirtualInterfaceStateConfirming || aws.ToString(hosted.OwnerAccount) != emulatortest.AccountB {
				t.Fatalf("hosted VIF %s, owner %s", hosted.VirtualInterfaceState, aws.ToString(hosted.OwnerAccount))
			}
			vif := aws.ToString(hosted.VirtualInterfaceId)
			if found, _ := s.ask(d.over(vif, server)); found {
				t.Error("found a path over a hosted VIF B has not confirmed")
			}
			_, err = b.ConfirmPrivateVirtualInterface(s.ctx, &directconnect.ConfirmPrivateVirtualInterfaceInput{VirtualInterfaceId: &vif, VirtualGatewayId: &d.vgw})
			s.must(err)
			d.advertise(emulatortest.AccountB, vif)
			res = s.answer(d.over(vif, server))
			if ids := answerIDs(res.ForwardPathComponents); !res.Found() || len(ids) < 2 || ids[0] != vif || ids[1] != d.vgw {
				t.Errorf("over B's hosted VIF: found %t, path %v %+v", res.Found(), ids, res.Explanations)
			}
		}},
		// Two VPCs with one block, each reached from on premises over its
		// own VIF.
		{"CIDR overlap OK", colDX, "✅", func(t *testing.T, f fixture) {
			for range 2 {
				s := newSeedSide(f, emulatortest.AccountB, "10.0.0.0/16")
				d := s.directConnect(true)
				server, _ := d.server(false)
				a := d.analyse(server)
				private(t, a)
				s.agrees(a, d.fromOnPrem(server))
			}
		}},
	}
	for _, c := range cells {
		t.Run(c.row+"/"+c.col+" "+c.seed, func(t *testing.T) {
			t.Parallel()
			c.check(t, newFixture(t))
		})
	}
}
