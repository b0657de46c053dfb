package ec2_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/insights"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
	svc "github.com/vpcemu/vpcemu/internal/service/ec2"
)

// insightsEnv is a VPC with two subnets: a, b and the internet gateway
// igw in subnet A (default network ACL), far in subnet B behind a network
// ACL that denies everything. Every instance is in group ssh, which lets
// TCP 22 in from the VPC.
type insightsEnv struct {
	eniEnv
	clock              *testClock
	vpc, ssh, acl, igw string
	a, b, far          string
	eniB               string
}

func newInsightsEnv(t *testing.T) *insightsEnv {
	clock := newClock()
	e := &insightsEnv{eniEnv: newENIEnv(t, cloud.WithClock(clock.Now)), clock: clock}
	e.vpc = e.eniEnv.vpc("10.0.0.0/16")
	subA := e.subnet(e.vpc, "10.0.1.0/24", "us-east-1a")
	subB := e.subnet(e.vpc, "10.0.2.0/24", "us-east-1a")
	sg, err := e.c.CreateSecurityGroup(e.ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("ssh"), Description: aws.String("ssh"), VpcId: &e.vpc})
	e.must(err)
	e.ssh = aws.ToString(sg.GroupId)
	_, err = e.c.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &e.ssh, IpProtocol: aws.String("tcp"),
		FromPort: aws.Int32(22), ToPort: aws.Int32(22), CidrIp: aws.String("10.0.0.0/16")})
	e.must(err)
	acl, err := e.c.CreateNetworkAcl(e.ctx, &ec2.CreateNetworkAclInput{VpcId: &e.vpc})
	e.must(err)
	e.acl = aws.ToString(acl.NetworkAcl.NetworkAclId)
	assoc, err := e.c.DescribeNetworkAcls(e.ctx, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{{Name: aws.String("association.subnet-id"), Values: []string{subB}}}})
	e.must(err)
	for _, a := range assoc.NetworkAcls[0].Associations {
		if aws.ToString(a.SubnetId) == subB {
			_, err = e.c.ReplaceNetworkAclAssociation(e.ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: a.NetworkAclAssociationId, NetworkAclId: &e.acl})
			e.must(err)
		}
	}
	igw, err := e.c.CreateInternetGateway(e.ctx, &ec2.CreateInternetGatewayInput{})
	e.must(err)
	e.igw = aws.ToString(igw.InternetGateway.InternetGatewayId)
	_, err = e.c.AttachInternetGateway(e.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &e.igw, VpcId: &e.vpc})
	e.must(err)
	launch := func(subnet string) (string, string) {
		i := e.run(&ec2.RunInstancesInput{SubnetId: &subnet, SecurityGroupIds: []string{e.ssh}}).Instances[0]
		return aws.ToString(i.InstanceId), aws.ToString(i.NetworkInterfaces[0].NetworkInterfaceId)
	}
	e.a, _ = launch(subA)
	e.b, e.eniB = launch(subA)
	e.far, _ = launch(subB)
	return e
}

// path creates a path and returns its id.
func (e *insightsEnv) path(in *ec2.CreateNetworkInsightsPathInput) string {
	e.t.Helper()
	if in.Protocol == "" {
		in.Protocol = types.ProtocolTcp
	}
	out, err := e.c.CreateNetworkInsightsPath(e.ctx, in)
	e.must(err)
	return aws.ToString(out.NetworkInsightsPath.NetworkInsightsPathId)
}

// analyse starts an analysis of a path, checks it answers running, and
// returns it as Describe shows it.
func (e *insightsEnv) analyse(path string) types.NetworkInsightsAnalysis {
	e.t.Helper()
	return e.analyseWith(&ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: &path})
}

// analyseWith is analyse with the members of in (the component filters).
func (e *insightsEnv) analyseWith(in *ec2.StartNetworkInsightsAnalysisInput) types.NetworkInsightsAnalysis {
	e.t.Helper()
	out, err := e.c.StartNetworkInsightsAnalysis(e.ctx, in)
	e.must(err)
	started := out.NetworkInsightsAnalysis
	if started.Status != types.AnalysisStatusRunning || started.NetworkPathFound != nil || len(started.ForwardPathComponents) != 0 {
		e.t.Fatalf("Start answered %+v, want running with no findings", started)
	}
	return e.describe(aws.ToString(started.NetworkInsightsAnalysisId))
}

func (e *insightsEnv) describe(id string) types.NetworkInsightsAnalysis {
	e.t.Helper()
	d, err := e.c.DescribeNetworkInsightsAnalyses(e.ctx, &ec2.DescribeNetworkInsightsAnalysesInput{NetworkInsightsAnalysisIds: []string{id}})
	e.must(err)
	if len(d.NetworkInsightsAnalyses) != 1 {
		e.t.Fatalf("describe %s: %d analyses", id, len(d.NetworkInsightsAnalyses))
	}
	return d.NetworkInsightsAnalyses[0]
}

// componentIDs are the ids of a path's components, in order.
func componentIDs(cs []types.PathComponent) []string {
	var ids []string
	for i, c := range cs {
		if aws.ToInt32(c.SequenceNumber) != int32(i+1) {
			return append(ids, "bad sequence number")
		}
		ids = append(ids, aws.ToString(c.Component.Id))
	}
	return ids
}

func TestNetworkInsightsReachable(t *testing.T) {
	e := newInsightsEnv(t)
	path := e.path(&ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.b, DestinationPort: aws.Int32(22)})
	a := e.analyse(path)
	if a.Status != types.AnalysisStatusSucceeded || !aws.ToBool(a.NetworkPathFound) || len(a.Explanations) != 0 {
		t.Fatalf("want a path found, got %+v", a)
	}
	fwd, ret := componentIDs(a.ForwardPathComponents), componentIDs(a.ReturnPathComponents)
	if fwd[0] != e.a || fwd[len(fwd)-1] != e.b || !slices.Contains(fwd, e.ssh) {
		t.Errorf("forward path %v: want %s … %s through %s", fwd, e.a, e.b, e.ssh)
	}
	if ret[0] != e.b || ret[len(ret)-1] != e.a {
		t.Errorf("return path %v: want %s … %s", ret, e.b, e.a)
	}
	for _, c := range a.ForwardPathComponents {
		if r := c.SecurityGroupRule; r != nil && aws.ToString(r.Direction) == "ingress" &&
			(aws.ToString(r.SecurityGroupId) != e.ssh || aws.ToInt32(r.PortRange.From) != 22 || aws.ToString(r.Cidr) != "10.0.0.0/16") {
			t.Errorf("ingress rule %+v: want %s's rule for 22 from 10.0.0.0/16", r, e.ssh)
		}
	}
	if aws.ToString(a.NetworkInsightsAnalysisArn) != "arn:aws:ec2:us-east-1:"+emulatortest.AccountA+":network-insights-analysis/"+aws.ToString(a.NetworkInsightsAnalysisId) ||
		!a.StartDate.Equal(e.clock.Now()) || aws.ToString(a.NetworkInsightsPathId) != path {
		t.Errorf("analysis %+v", a)
	}
}

// blockedBy is the first explanation of a blocked path, which must have
// code.
func blockedBy(t *testing.T, a types.NetworkInsightsAnalysis, code string) types.Explanation {
	t.Helper()
	if a.Status != types.AnalysisStatusSucceeded || aws.ToBool(a.NetworkPathFound) || len(a.Explanations) == 0 {
		t.Fatalf("want a blocked path, got %+v", a)
	}
	if got := aws.ToString(a.Explanations[0].ExplanationCode); got != code {
		t.Fatalf("explanation %s, want %s", got, code)
	}
	return a.Explanations[0]
}

func TestNetworkInsightsBlocked(t *testing.T) {
	e := newInsightsEnv(t)
	t.Run("security group", func(t *testing.T) {
		x := blockedBy(t, e.analyse(e.path(&ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.b, DestinationPort: aws.Int32(80)})), "ENI_SG_RULES_MISMATCH")
		if aws.ToString(x.SecurityGroup.Id) != e.ssh || aws.ToString(x.Direction) != "ingress" || aws.ToString(x.NetworkInterface.Id) != e.eniB {
			t.Errorf("explanation %+v: want %s's ingress on %s", x, e.ssh, e.eniB)
		}
	})
	t.Run("network ACL", func(t *testing.T) {
		x := blockedBy(t, e.analyse(e.path(&ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.far, DestinationPort: aws.Int32(22)})), "SUBNET_ACL_RESTRICTION")
		if aws.ToString(x.Acl.Id) != e.acl || aws.ToString(x.AclRule.RuleAction) != "deny" || aws.ToInt32(x.AclRule.RuleNumber) != 32767 {
			t.Errorf("explanation %+v: want %s's * deny rule", x, e.acl)
		}
	})
	t.Run("no route", func(t *testing.T) {
		blockedBy(t, e.analyse(e.path(&ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.igw, DestinationPort: aws.Int32(443)})), "NO_ROUTE_TO_DESTINATION")
	})
}

// TestNetworkInsightsComponentFilters covers FilterInArns and
// FilterOutArns: the path found must go through the first and not the
// second.
func TestNetworkInsightsComponentFilters(t *testing.T) {
	e := newInsightsEnv(t)
	path := e.path(&ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.b, DestinationPort: aws.Int32(22)})
	arn := func(kind, id string) string {
		return "arn:aws:ec2:us-east-1:" + emulatortest.AccountA + ":" + kind + "/" + id
	}
	cases := []struct {
		name    string
		in, out []string
		code    string // "" when the path is found
		names   string // the component the explanation names
	}{
		{name: "through the path's VPC", in: []string{arn("vpc", e.vpc)}},
		{name: "through its security group, avoiding another", in: []string{arn("security-group", e.ssh)}, out: []string{arn("internet-gateway", e.igw)}},
		{name: "through a gateway it does not take", in: []string{arn("internet-gateway", e.igw)}, code: "COMPONENT_FILTER_RESTRICTION", names: e.igw},
		{name: "avoiding its security group", out: []string{arn("security-group", e.ssh)}, code: "COMPONENT_FILTER_RESTRICTION_REMOVED_COMPONENT", names: e.ssh},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := e.analyseWith(&ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: &path, FilterInArns: tc.in, FilterOutArns: tc.out})
			if !slices.Equal(a.FilterInArns, tc.in) || !slices.Equal(a.FilterOutArns, tc.out) {
				t.Errorf("filters %v %v, want %v %v", a.FilterInArns, a.FilterOutArns, tc.in, tc.out)
			}
			if tc.code == "" {
				if a.Status != types.AnalysisStatusSucceeded || !aws.ToBool(a.NetworkPathFound) {
					t.Fatalf("want a path found, got %+v", a.Explanations)
				}
				return
			}
			if x := blockedBy(t, a, tc.code); aws.ToString(x.Component.Id) != tc.names {
				t.Errorf("explanation names %s, want %s", aws.ToString(x.Component.Id), tc.names)
			}
			if len(a.ReturnPathComponents) != 0 {
				t.Errorf("a path not found shows a return path")
			}
		})
	}
}

// TestNetworkInsightsPeeringEnds analyses paths to and from a peering
// connection.
func TestNetworkInsightsPeeringEnds(t *testing.T) {
	e := newInsightsEnv(t)
	peer := e.eniEnv.vpc("10.1.0.0/16")
	pcx, err := e.c.CreateVpcPeeringConnection(e.ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: &e.vpc, PeerVpcId: &peer})
	e.must(err)
	id := aws.ToString(pcx.VpcPeeringConnection.VpcPeeringConnectionId)
	_, err = e.c.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: &id})
	e.must(err)
	_, err = e.c.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &e.ssh, IpProtocol: aws.String("tcp"),
		FromPort: aws.Int32(22), ToPort: aws.Int32(22), CidrIp: aws.String("10.1.0.0/16")})
	e.must(err)
	to := e.path(&ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &id, DestinationPort: aws.Int32(443)})
	from := e.path(&ec2.CreateNetworkInsightsPathInput{Source: &id, Destination: &e.b, DestinationPort: aws.Int32(22)})
	blockedBy(t, e.analyse(to), "NO_ROUTE_TO_DESTINATION")
	blockedBy(t, e.analyse(from), "NO_ROUTE_TO_DESTINATION")

	rts, err := e.c.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{e.vpc}}}})
	e.must(err)
	_, err = e.c.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: rts.RouteTables[0].RouteTableId, DestinationCidrBlock: aws.String("10.1.0.0/16"), VpcPeeringConnectionId: &id})
	e.must(err)
	for _, p := range []string{to, from} {
		a := e.analyse(p)
		if !aws.ToBool(a.NetworkPathFound) {
			t.Fatalf("want a path found, got %+v", a.Explanations)
		}
		fwd, ret := componentIDs(a.ForwardPathComponents), componentIDs(a.ReturnPathComponents)
		if p == to && (fwd[len(fwd)-1] != id || ret[0] != id) || p == from && (fwd[0] != id || ret[len(ret)-1] != id) {
			t.Errorf("forward %v, return %v: want them to end at %s", fwd, ret, id)
		}
		hop := a.ForwardPathComponents[0]
		if p == to {
			hop = a.ForwardPathComponents[len(fwd)-1]
		}
		if aws.ToString(hop.SourceVpc.Id) == aws.ToString(hop.DestinationVpc.Id) || hop.Vpc != nil {
			t.Errorf("the connection's hop shows %+v", hop)
		}
	}
}

// TestNetworkInsightsAgreesWithAnalyzer checks the API answers what
// analyzer.Analyze answers for the path's question, member for member.
func TestNetworkInsightsAgreesWithAnalyzer(t *testing.T) {
	e := newInsightsEnv(t)
	for _, in := range []*ec2.CreateNetworkInsightsPathInput{
		{Source: &e.a, Destination: &e.b, DestinationPort: aws.Int32(22)},
		{Source: &e.a, Destination: &e.b, DestinationPort: aws.Int32(80)},
		{Source: &e.a, Destination: &e.far},
		{Source: &e.b, Destination: &e.igw},
	} {
		id := e.path(in)
		got := e.analyse(id)
		who := cloud.Caller{Account: emulatortest.AccountA, Region: "us-east-1"}
		paths, err := cloud.List[insights.NetworkInsightsPath](e.ctx, e.em.Cloud, who, cloud.Query{IDs: []string{id}}, nil)
		e.must(err)
		res, err := analyzer.Analyze(e.ctx, e.em.Cloud, who, svc.PathQuery(paths.Items[0]))
		e.must(err)
		want := analyzer.AnswerOf(res)
		for _, c := range []struct {
			name      string
			got, want any
		}{
			{"NetworkPathFound", got.NetworkPathFound, want.NetworkPathFound},
			{"ForwardPathComponents", got.ForwardPathComponents, want.ForwardPathComponents},
			{"ReturnPathComponents", got.ReturnPathComponents, want.ReturnPathComponents},
			{"Explanations", got.Explanations, want.Explanations},
		} {
			if g, w := plain(t, c.got), plain(t, c.want); !reflect.DeepEqual(g, w) {
				t.Errorf("%s %s:\n API %v\nwant %v", id, c.name, g, w)
			}
		}
	}
}

// TestNetworkInsightsAgreesWithAnalyzeEndpoint: for the same question, the
// Network Insights API (EC2's XML, read by the SDK into AWS's members) and
// POST /_vpcemu/analyze (JSON) carry the same AWS-named members with the
// same values, hop for hop and explanation for explanation; the endpoint
// adds only its vpcemu extension.
func TestNetworkInsightsAgreesWithAnalyzeEndpoint(t *testing.T) {
	e := newInsightsEnv(t)
	// Port 5432 is open to the members of ssh: the rule references a
	// group, which AWS's shape cannot say and the extension does.
	_, err := e.c.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &e.ssh,
		IpPermissions: []types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: &e.ssh}}}}})
	e.must(err)
	ask := &analyzer.Client{Endpoint: e.em.URL(), Region: "us-east-1", Credentials: aws.Credentials{AccessKeyID: emulatortest.AccountA, SecretAccessKey: "secret"}}
	for _, tc := range []struct {
		name, from, to string
		port           int32
		code           string
	}{
		{"found", e.a, e.b, 22, ""},
		{"found through a rule that references a group", e.a, e.b, 5432, ""},
		{"a security group", e.a, e.b, 80, "ENI_SG_RULES_MISMATCH"},
		{"a network ACL", e.a, e.far, 22, "SUBNET_ACL_RESTRICTION"},
		{"no route", e.b, e.igw, 443, "NO_ROUTE_TO_DESTINATION"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := plain(t, e.analyse(e.path(&ec2.CreateNetworkInsightsPathInput{Source: &tc.from, Destination: &tc.to, DestinationPort: &tc.port}))).(map[string]any)
			body, err := ask.Analyze(e.ctx, analyzer.Request{From: tc.from, To: tc.to, Port: int(tc.port)})
			e.must(err)
			var endpoint map[string]any
			e.must(json.Unmarshal(body, &endpoint))
			members := []string{"NetworkPathFound", "ForwardPathComponents", "ReturnPathComponents", "Explanations"}
			for name := range endpoint {
				if !slices.Contains(members, name) && name != "VpcemuExtension" {
					t.Errorf("the endpoint answers %s, which is not AWS's", name)
				}
			}
			for _, name := range members {
				if !reflect.DeepEqual(api[name], endpoint[name]) {
					t.Errorf("%s:\n API %v\nendpoint %v", name, api[name], endpoint[name])
				}
			}
			if tc.port == 5432 && !referencesGroup(t, body, e.ssh) {
				t.Errorf("no hop's extension names the referenced group %s:\n%s", e.ssh, body)
			}
			// Not vacuous: the hops and the explanation have their members.
			explanations, _ := api["Explanations"].([]any)
			if found := tc.code == ""; api["NetworkPathFound"] != found || len(explanations) == 0 && !found {
				t.Fatalf("want found %v, code %s: %v", found, tc.code, api)
			}
			if len(explanations) > 0 {
				first := explanations[0].(map[string]any)
				if first["ExplanationCode"] != tc.code || len(first) < 5 {
					t.Errorf("explanation %v, want %s with its members", first, tc.code)
				}
			}
		})
	}
}

// referencesGroup reports whether the extension of a forward hop of an
// answer names group as the one its rule references.
func referencesGroup(t *testing.T, body []byte, group string) bool {
	var a analyzer.Answer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	for i := range a.ForwardPathComponents {
		if r := a.VpcemuExtension.Forward(i).SecurityGroupRule; r != nil && aws.ToString(r.ReferencedGroupId) == group {
			return true
		}
	}
	return false
}

// plain is v as JSON values without nulls, so that an SDK shape and an
// ec2api shape with the same members compare equal.
func plain(t *testing.T, v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return dropNulls(out)
}

func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if x == nil {
				delete(v, k)
			} else {
				v[k] = dropNulls(x)
			}
		}
	case []any:
		for i := range v {
			v[i] = dropNulls(v[i])
		}
	}
	return v
}

func TestNetworkInsightsPathShape(t *testing.T) {
	e := newInsightsEnv(t)
	arnB := "arn:aws:ec2:us-east-1:" + emulatortest.AccountA + ":instance/" + e.b
	out, err := e.c.CreateNetworkInsightsPath(e.ctx, &ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &arnB, Protocol: types.ProtocolUdp,
		FilterAtSource:    &types.PathRequestFilter{DestinationPortRange: &types.RequestFilterPortRange{FromPort: aws.Int32(53), ToPort: aws.Int32(53)}},
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeNetworkInsightsPath, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("dns")}}}}})
	e.must(err)
	p := out.NetworkInsightsPath
	id := aws.ToString(p.NetworkInsightsPathId)
	switch {
	case aws.ToString(p.NetworkInsightsPathArn) != "arn:aws:ec2:us-east-1:"+emulatortest.AccountA+":network-insights-path/"+id,
		aws.ToString(p.Source) != e.a, aws.ToString(p.SourceArn) != "arn:aws:ec2:us-east-1:"+emulatortest.AccountA+":instance/"+e.a,
		aws.ToString(p.Destination) != arnB, aws.ToString(p.DestinationArn) != arnB,
		p.Protocol != types.ProtocolUdp, p.DestinationPort != nil, !p.CreatedDate.Equal(e.clock.Now()),
		aws.ToInt32(p.FilterAtSource.DestinationPortRange.FromPort) != 53, aws.ToInt32(p.FilterAtSource.DestinationPortRange.ToPort) != 53,
		len(p.Tags) != 1:
		t.Errorf("path %+v", p)
	}
	// A cross-account ARN is taken on trust.
	other := "arn:aws:ec2:us-east-1:" + emulatortest.AccountB + ":network-interface/eni-0123456789abcdef0"
	out, err = e.c.CreateNetworkInsightsPath(e.ctx, &ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &other, Protocol: types.ProtocolTcp})
	e.must(err)
	if aws.ToString(out.NetworkInsightsPath.DestinationArn) != other {
		t.Errorf("cross-account destination: %+v", out.NetworkInsightsPath)
	}
}

func TestNetworkInsightsRefusals(t *testing.T) {
	e := newInsightsEnv(t)
	create := func(in ec2.CreateNetworkInsightsPathInput) error {
		if in.Protocol == "" {
			in.Protocol = types.ProtocolTcp
		}
		_, err := e.c.CreateNetworkInsightsPath(e.ctx, &in)
		return err
	}
	ip := aws.String("10.0.1.50")
	filter := &types.PathRequestFilter{SourceAddress: ip}
	checkInputRefusals(t, []inputRefusal[ec2.CreateNetworkInsightsPathInput]{
		{"protocol", ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.b, Protocol: "icmp"}, "InvalidParameterValue", "protocol"},
		{"filter at source with source IP", ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.b, SourceIp: ip, FilterAtSource: filter}, "InvalidParameterCombination", ""},
		{"filter at source with port", ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.b, DestinationPort: aws.Int32(22), FilterAtSource: filter}, "InvalidParameterCombination", ""},
		{"filter at destination with destination IP", ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.b, DestinationIp: ip, FilterAtDestination: filter}, "InvalidParameterCombination", ""},
		{"no destination", ec2.CreateNetworkInsightsPathInput{Source: &e.a}, "MissingParameter", ""},
		{"bad IP", ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.b, SourceIp: aws.String("10.0.1.300")}, "InvalidParameterValue", "10.0.1.300"},
		{"backwards ports", ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.b, FilterAtDestination: &types.PathRequestFilter{
			DestinationPortRange: &types.RequestFilterPortRange{FromPort: aws.Int32(90), ToPort: aws.Int32(80)}}}, "InvalidParameterValue", ""},
		{"unknown instance", ec2.CreateNetworkInsightsPathInput{Source: aws.String("i-0123456789abcdef0"), Destination: &e.b}, "InvalidInstanceID.NotFound", ""},
		{"unknown interface", ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: aws.String("eni-0123456789abcdef0")}, "InvalidNetworkInterfaceID.NotFound", ""},
		{"unknown transit gateway", ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: aws.String("tgw-0123456789abcdef0")}, "InvalidTransitGatewayID.NotFound", ""},
		{"unsupported kind", ec2.CreateNetworkInsightsPathInput{Source: &e.vpc, Destination: &e.b}, "InvalidParameterValue", "not a supported resource"},
		{"other region", ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: aws.String("arn:aws:ec2:eu-west-1:" + emulatortest.AccountA + ":instance/" + e.b)}, "InvalidParameterValue", "Region"},
		{"ARN of another kind", ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: aws.String("arn:aws:ec2:us-east-1:" + emulatortest.AccountA + ":network-interface/" + e.b)}, "InvalidParameterValue", ""},
	}, create)

	// Another account sees none of A's resources by id.
	_, err := e.as(emulatortest.AccountB).CreateNetworkInsightsPath(e.ctx, &ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.b, Protocol: types.ProtocolTcp})
	e.wantErr(err, "InvalidInstanceID.NotFound", e.a)

	path := e.path(&ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.b})
	analysis := aws.ToString(e.analyse(path).NetworkInsightsAnalysisId)
	unknownPath, unknownAnalysis := "nip-0123456789abcdef0", "nia-0123456789abcdef0"
	checkRefusals(t, []refusal{
		{"start: unknown path", func() error {
			_, err := e.c.StartNetworkInsightsAnalysis(e.ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: &unknownPath})
			return err
		}, "InvalidNetworkInsightsPathId.NotFound", unknownPath},
		{"start: bad account", func() error {
			_, err := e.c.StartNetworkInsightsAnalysis(e.ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: &path, AdditionalAccounts: []string{"1234"}})
			return err
		}, "InvalidParameterValue", "1234"},
		{"start: bad ARN", func() error {
			_, err := e.c.StartNetworkInsightsAnalysis(e.ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: &path, FilterInArns: []string{"sg-1"}})
			return err
		}, "InvalidParameterValue", "sg-1"},
		{"start: dry run", func() error {
			_, err := e.c.StartNetworkInsightsAnalysis(e.ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: &path, DryRun: aws.Bool(true)})
			return err
		}, "DryRunOperation", ""},
		{"delete path with analyses", func() error {
			_, err := e.c.DeleteNetworkInsightsPath(e.ctx, &ec2.DeleteNetworkInsightsPathInput{NetworkInsightsPathId: &path})
			return err
		}, "AnalysisExistsForNetworkInsightsPath", path},
		{"delete unknown path", func() error {
			_, err := e.c.DeleteNetworkInsightsPath(e.ctx, &ec2.DeleteNetworkInsightsPathInput{NetworkInsightsPathId: &unknownPath})
			return err
		}, "InvalidNetworkInsightsPathId.NotFound", unknownPath},
		{"delete unknown analysis", func() error {
			_, err := e.c.DeleteNetworkInsightsAnalysis(e.ctx, &ec2.DeleteNetworkInsightsAnalysisInput{NetworkInsightsAnalysisId: &unknownAnalysis})
			return err
		}, "InvalidNetworkInsightsAnalysisId.NotFound", unknownAnalysis},
		{"describe unknown path", func() error {
			_, err := e.c.DescribeNetworkInsightsPaths(e.ctx, &ec2.DescribeNetworkInsightsPathsInput{NetworkInsightsPathIds: []string{unknownPath}})
			return err
		}, "InvalidNetworkInsightsPathId.NotFound", unknownPath},
		{"describe unknown analysis", func() error {
			_, err := e.c.DescribeNetworkInsightsAnalyses(e.ctx, &ec2.DescribeNetworkInsightsAnalysesInput{NetworkInsightsAnalysisIds: []string{unknownAnalysis}})
			return err
		}, "InvalidNetworkInsightsAnalysisId.NotFound", unknownAnalysis},
		{"another account's analysis", func() error {
			_, err := e.as(emulatortest.AccountB).DescribeNetworkInsightsAnalyses(e.ctx, &ec2.DescribeNetworkInsightsAnalysesInput{NetworkInsightsAnalysisIds: []string{analysis}})
			return err
		}, "InvalidNetworkInsightsAnalysisId.NotFound", analysis},
	})

	// Deleting the analysis lets the path go.
	_, err = e.c.DeleteNetworkInsightsAnalysis(e.ctx, &ec2.DeleteNetworkInsightsAnalysisInput{NetworkInsightsAnalysisId: &analysis})
	e.must(err)
	del, err := e.c.DeleteNetworkInsightsPath(e.ctx, &ec2.DeleteNetworkInsightsPathInput{NetworkInsightsPathId: &path})
	e.must(err)
	if aws.ToString(del.NetworkInsightsPathId) != path {
		t.Errorf("delete answered %v", aws.ToString(del.NetworkInsightsPathId))
	}
}

// TestNetworkInsightsFailed: an analysis of a path whose end is gone fails
// and says why.
func TestNetworkInsightsFailed(t *testing.T) {
	e := newInsightsEnv(t)
	subnet := aws.ToString(e.instance(e.a).SubnetId)
	eni := aws.ToString(e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &subnet}).NetworkInterfaceId)
	path := e.path(&ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &eni})
	_, err := e.c.DeleteNetworkInterface(e.ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: &eni})
	e.must(err)
	a := e.analyse(path)
	if a.Status != types.AnalysisStatusFailed || a.NetworkPathFound != nil || !strings.Contains(aws.ToString(a.StatusMessage), eni+" of network insights path "+path+" does not exist") {
		t.Fatalf("want a failed analysis naming %s, got %+v", eni, a)
	}
}

func TestNetworkInsightsFiltersAndPaging(t *testing.T) {
	e := newInsightsEnv(t)
	eniA := aws.ToString(e.instance(e.a).NetworkInterfaces[0].NetworkInterfaceId)
	arnC := "arn:aws:ec2:us-east-1:" + emulatortest.AccountA + ":instance/" + e.far
	p1 := e.path(&ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.b, DestinationPort: aws.Int32(22),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeNetworkInsightsPath, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("net")}}}}})
	p2 := e.path(&ec2.CreateNetworkInsightsPathInput{Source: &eniA, Destination: &arnC, Protocol: types.ProtocolUdp,
		FilterAtSource: &types.PathRequestFilter{SourceAddress: aws.String("10.0.1.4"), DestinationAddress: aws.String("10.0.2.4"),
			SourcePortRange: &types.RequestFilterPortRange{FromPort: aws.Int32(1024), ToPort: aws.Int32(2048)}, DestinationPortRange: &types.RequestFilterPortRange{FromPort: aws.Int32(53), ToPort: aws.Int32(53)}}})
	p3 := e.path(&ec2.CreateNetworkInsightsPathInput{Source: &e.b, Destination: &e.igw,
		FilterAtDestination: &types.PathRequestFilter{SourceAddress: aws.String("10.0.1.5"), DestinationAddress: aws.String("8.8.8.8"),
			SourcePortRange: &types.RequestFilterPortRange{FromPort: aws.Int32(1)}, DestinationPortRange: &types.RequestFilterPortRange{ToPort: aws.Int32(443)}}})
	checkFilters(t, []filterCase{
		{"source", []string{e.a}, []string{p1}},
		{"source", []string{eniA, e.b}, []string{p2, p3}},
		{"destination", []string{e.far}, []string{p2}},
		{"destination", []string{arnC}, []string{p2}},
		{"destination", []string{"igw-*"}, []string{p3}},
		{"protocol", []string{"udp"}, []string{p2}},
		{"filter-at-source.source-address", []string{"10.0.1.4"}, []string{p2}},
		{"filter-at-source.destination-address", []string{"10.0.2.4"}, []string{p2}},
		{"filter-at-source.source-port-range", []string{"1024-2048"}, []string{p2}},
		{"filter-at-source.destination-port-range", []string{"53-53"}, []string{p2}},
		{"filter-at-destination.source-address", []string{"10.0.1.5"}, []string{p3}},
		{"filter-at-destination.destination-address", []string{"8.8.8.8"}, []string{p3}},
		{"filter-at-destination.source-port-range", []string{"1-65535"}, []string{p3}},
		{"filter-at-destination.destination-port-range", []string{"0-443"}, []string{p3}},
		{"tag:team", []string{"net"}, []string{p1}},
	}, func(f types.Filter) ([]string, error) {
		out, err := e.c.DescribeNetworkInsightsPaths(e.ctx, &ec2.DescribeNetworkInsightsPathsInput{Filters: []types.Filter{f}})
		var ids []string
		if err == nil {
			for _, p := range out.NetworkInsightsPaths {
				ids = append(ids, aws.ToString(p.NetworkInsightsPathId))
			}
		}
		return ids, err
	})
	_, err := e.c.DescribeNetworkInsightsPaths(e.ctx, &ec2.DescribeNetworkInsightsPathsInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{e.vpc}}}})
	e.wantErr(err, "InvalidParameterValue", "vpc-id")

	// Paging, then the analyses: p1 found, p3 not (no route), at three times.
	var paged []string
	pages := ec2.NewDescribeNetworkInsightsPathsPaginator(e.c, &ec2.DescribeNetworkInsightsPathsInput{MaxResults: aws.Int32(2)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(e.ctx)
		e.must(err)
		for _, p := range page.NetworkInsightsPaths {
			paged = append(paged, aws.ToString(p.NetworkInsightsPathId))
		}
	}
	sameIDs(t, paged, []string{p1, p2, p3})

	t0 := e.clock.Now()
	a1 := aws.ToString(e.analyse(p1).NetworkInsightsAnalysisId)
	e.clock.Add(time.Hour)
	a2 := aws.ToString(e.analyse(p3).NetworkInsightsAnalysisId)
	e.clock.Add(time.Hour)
	a3 := aws.ToString(e.analyse(p1).NetworkInsightsAnalysisId)
	analyses := func(in *ec2.DescribeNetworkInsightsAnalysesInput) ([]string, error) {
		out, err := e.c.DescribeNetworkInsightsAnalyses(e.ctx, in)
		var ids []string
		if err == nil {
			for _, a := range out.NetworkInsightsAnalyses {
				ids = append(ids, aws.ToString(a.NetworkInsightsAnalysisId))
			}
		}
		return ids, err
	}
	checkFilters(t, []filterCase{
		{"path-found", []string{"true"}, []string{a1, a3}},
		{"path-found", []string{"false"}, []string{a2}},
		{"status", []string{"succeeded"}, []string{a1, a2, a3}},
		{"status", []string{"running", "failed"}, nil},
	}, func(f types.Filter) ([]string, error) {
		return analyses(&ec2.DescribeNetworkInsightsAnalysesInput{Filters: []types.Filter{f}})
	})
	for _, tc := range []struct {
		name string
		in   ec2.DescribeNetworkInsightsAnalysesInput
		want []string
	}{
		{"path", ec2.DescribeNetworkInsightsAnalysesInput{NetworkInsightsPathId: &p1}, []string{a1, a3}},
		{"path and filter", ec2.DescribeNetworkInsightsAnalysesInput{NetworkInsightsPathId: &p3, Filters: []types.Filter{{Name: aws.String("status"), Values: []string{"succeeded"}}}}, []string{a2}},
		{"start time", ec2.DescribeNetworkInsightsAnalysesInput{AnalysisStartTime: aws.Time(t0.Add(time.Minute))}, []string{a2, a3}},
		{"end time", ec2.DescribeNetworkInsightsAnalysesInput{AnalysisEndTime: aws.Time(t0.Add(time.Hour))}, []string{a1, a2}},
		{"both", ec2.DescribeNetworkInsightsAnalysesInput{AnalysisStartTime: aws.Time(t0.Add(time.Minute)), AnalysisEndTime: aws.Time(t0.Add(time.Hour))}, []string{a2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := analyses(&tc.in)
			e.must(err)
			sameIDs(t, got, tc.want)
		})
	}
	paged = nil
	apages := ec2.NewDescribeNetworkInsightsAnalysesPaginator(e.c, &ec2.DescribeNetworkInsightsAnalysesInput{MaxResults: aws.Int32(1)})
	for apages.HasMorePages() {
		page, err := apages.NextPage(e.ctx)
		e.must(err)
		for _, a := range page.NetworkInsightsAnalyses {
			paged = append(paged, aws.ToString(a.NetworkInsightsAnalysisId))
		}
	}
	sameIDs(t, paged, []string{a1, a2, a3})
}

// TestNetworkInsightsTags: paths and analyses take tags at creation and
// through CreateTags and DeleteTags, as the Terraform provider uses them.
func TestNetworkInsightsTags(t *testing.T) {
	e := newInsightsEnv(t)
	path := e.path(&ec2.CreateNetworkInsightsPathInput{Source: &e.a, Destination: &e.b})
	out, err := e.c.StartNetworkInsightsAnalysis(e.ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: &path,
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeNetworkInsightsAnalysis, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("first")}}}}})
	e.must(err)
	analysis := aws.ToString(out.NetworkInsightsAnalysis.NetworkInsightsAnalysisId)
	if len(out.NetworkInsightsAnalysis.Tags) != 1 {
		t.Errorf("start answered tags %v", out.NetworkInsightsAnalysis.Tags)
	}
	_, err = e.c.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{path, analysis}, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}}})
	e.must(err)
	tags, err := e.c.DescribeTags(e.ctx, &ec2.DescribeTagsInput{Filters: []types.Filter{{Name: aws.String("key"), Values: []string{"env"}}}})
	e.must(err)
	types_ := map[string]types.ResourceType{}
	for _, d := range tags.Tags {
		types_[aws.ToString(d.ResourceId)] = d.ResourceType
	}
	if types_[path] != types.ResourceTypeNetworkInsightsPath || types_[analysis] != types.ResourceTypeNetworkInsightsAnalysis {
		t.Errorf("DescribeTags: %v", types_)
	}
	_, err = e.c.DeleteTags(e.ctx, &ec2.DeleteTagsInput{Resources: []string{analysis}, Tags: []types.Tag{{Key: aws.String("Name")}}})
	e.must(err)
	if got := e.describe(analysis).Tags; len(got) != 1 || aws.ToString(got[0].Key) != "env" {
		t.Errorf("analysis tags %v", got)
	}
	_, err = e.c.StartNetworkInsightsAnalysis(e.ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: &path,
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeVpc, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}}})
	e.wantErr(err, "InvalidParameterValue", "vpc")
}
