package pathtext

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// TestPrintAnswer renders answers the live network above does not give,
// from the engine's results as AnswerOf maps them.
func TestPrintAnswer(t *testing.T) {
	inst := func(id, name string) *reach.Component { return &reach.Component{ID: id, Name: name} }
	acl := inst("acl-0123456789abcdef0", "")
	const lbARN = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/api/0123456789abcdef"
	cases := []struct {
		name string
		res  reach.Result
		want string
	}{
		{name: "blocked on the way back", res: reach.Result{
			ForwardPathComponents: []reach.PathComponent{{SequenceNumber: 1, Component: inst("i-0aaaaaaaaaaaaaaaa", "a")}, {SequenceNumber: 2, Component: inst("i-0bbbbbbbbbbbbbbbb", "b")}},
			ReturnPathComponents:  []reach.PathComponent{{SequenceNumber: 1, Component: inst("i-0bbbbbbbbbbbbbbbb", "b")}},
			Explanations: []reach.Explanation{{ExplanationCode: reach.SubnetACLRestriction, Component: acl, ACL: acl, Direction: "egress",
				Subnet:    inst("subnet-0123456789abcdef0", "db"),
				ACLRule:   &reach.ACLRule{CIDR: "10.0.1.0/24", Egress: true, Protocol: "6", PortRange: &reach.PortRange{From: 1024, To: 65535}, RuleAction: "deny", RuleNumber: 90},
				Addresses: []string{"10.0.1.4"}, Protocols: []string{"tcp"}, PortRanges: []reach.PortRange{{From: 1024, To: 65535}}}},
		}, want: `Forward path
  1  instance  i-0aaaaaaaaaaaaaaaa (a)
  2  instance  i-0bbbbbbbbbbbbbbbb (b)
Return path
  1  instance     i-0bbbbbbbbbbbbbbbb (b)
  x  network ACL  acl-0123456789abcdef0    outbound rule 90 deny tcp 1024-65535 to 10.0.1.0/24
blocked: SUBNET_ACL_RESTRICTION — network ACL acl-0123456789abcdef0 of subnet subnet-0123456789abcdef0 (db) denies outbound tcp/1024-65535 to 10.0.1.4 (outbound rule 90 deny tcp 1024-65535 to 10.0.1.0/24)
`},
		{name: "no path to start with", res: reach.Result{Explanations: []reach.Explanation{
			{ExplanationCode: reach.DisconnectedVPCs, SourceVPC: inst("vpc-0aaaaaaaaaaaaaaaa", "a"), DestinationVPC: inst("vpc-0bbbbbbbbbbbbbbbb", "")}}},
			want: "blocked: DISCONNECTED_VPCS — VPC vpc-0aaaaaaaaaaaaaaaa (a) and VPC vpc-0bbbbbbbbbbbbbbbb are not connected: no peering connection joins them\n"},
		{name: "a code without a sentence", res: reach.Result{Explanations: []reach.Explanation{{ExplanationCode: "SOMETHING_NEW"}, {ExplanationCode: reach.NoPath, Address: "2001:db8::1"}}},
			want: "blocked: SOMETHING_NEW\n   also: NO_PATH — no path leads to 2001:db8::1\n"},
		{name: "translation and peering", res: reach.Result{NetworkPathFound: true, ForwardPathComponents: []reach.PathComponent{
			{SequenceNumber: 1, Component: inst("nat-0123456789abcdef0", ""),
				InboundHeader:  &reach.PacketHeader{SourceAddresses: []string{"10.0.1.4/32"}, DestinationAddresses: []string{"1.1.1.1/32"}, Protocol: "17", DestinationPortRanges: []reach.PortRange{{From: 53, To: 53}}},
				OutboundHeader: &reach.PacketHeader{SourceAddresses: []string{"10.0.0.9/32"}, DestinationAddresses: []string{"1.1.1.1/32"}, Protocol: "17", DestinationPortRanges: []reach.PortRange{{From: 53, To: 53}}}},
			{SequenceNumber: 2, Component: inst("pcx-0123456789abcdef0", "link"), SourceVPC: inst("vpc-0aaaaaaaaaaaaaaaa", ""), DestinationVPC: inst("vpc-0bbbbbbbbbbbbbbbb", "")},
		}}, want: `Forward path
  1  NAT gateway         nat-0123456789abcdef0         translates 10.0.1.4 -> 1.1.1.1:53 udp to 10.0.0.9 -> 1.1.1.1:53 udp
  2  peering connection  pcx-0123456789abcdef0 (link)  vpc-0aaaaaaaaaaaaaaaa to vpc-0bbbbbbbbbbbbbbbb
reachable: udp/53 from nat-0123456789abcdef0 to pcx-0123456789abcdef0 (link) and back
`},
		{name: "an endpoint and a load balancer", res: reach.Result{NetworkPathFound: true, ForwardPathComponents: []reach.PathComponent{
			{SequenceNumber: 1, Component: inst("vpce-0123456789abcdef0", "api"), ServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
				InboundHeader:  &reach.PacketHeader{SourceAddresses: []string{"10.0.1.4/32"}, DestinationAddresses: []string{"10.0.1.9/32"}, Protocol: "6", DestinationPortRanges: []reach.PortRange{{From: 443, To: 443}}},
				OutboundHeader: &reach.PacketHeader{SourceAddresses: []string{"10.0.1.4/32"}, DestinationAddresses: []string{"10.0.1.9/32"}, Protocol: "6", DestinationPortRanges: []reach.PortRange{{From: 443, To: 443}}}},
			{SequenceNumber: 2, Component: &reach.Component{ID: lbARN, ARN: lbARN}},
		}}, want: `Forward path
  1  VPC endpoint   vpce-0123456789abcdef0 (api)  to com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0; carries 10.0.1.4 -> 10.0.1.9:443 tcp
  2  load balancer  net/api/0123456789abcdef
reachable: tcp/443 from vpce-0123456789abcdef0 (api) to net/api/0123456789abcdef and back
`},
		{name: "vpcemu's own members: a rule's referenced group, a policy's decision", res: reach.Result{
			ForwardPathComponents: []reach.PathComponent{{SequenceNumber: 1, Component: inst("sg-0aaaaaaaaaaaaaaaa", "app"),
				SecurityGroupRule: &reach.SecurityGroupRule{Direction: "egress", Protocol: "tcp", PortRange: &reach.PortRange{From: 443, To: 443},
					SecurityGroupID: "sg-0aaaaaaaaaaaaaaaa", ReferencedGroupID: "sg-0bbbbbbbbbbbbbbbb"}}},
			Explanations: []reach.Explanation{{ExplanationCode: reach.VpcemuVPCEPolicyRestriction, Component: inst("vpce-0123456789abcdef0", ""),
				VPCEndpoint: inst("vpce-0123456789abcdef0", ""), PolicyDecision: "ExplicitDeny"}},
		}, want: `Forward path
  1  security group  sg-0aaaaaaaaaaaaaaaa (app)  egress tcp 443 to sg-0bbbbbbbbbbbbbbbb
  x  VPC endpoint    vpce-0123456789abcdef0
blocked: VPCEMU_VPCE_POLICY_RESTRICTION — the policy of VPC endpoint vpce-0123456789abcdef0 denies this request (an explicit Deny)
`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			Print(&b, analyzer.AnswerOf(tc.res))
			if b.String() != tc.want {
				t.Errorf("got\n%s\nwant\n%s", &b, tc.want)
			}
		})
	}
}

// TestSentencesCoverEveryCode: the table has a sentence for every code
// internal/reach declares, and each reads without a gap whatever members
// the explanation has.
func TestSentencesCoverEveryCode(t *testing.T) {
	codes := declaredCodes(t)
	if len(codes) < 30 {
		t.Fatalf("found only %d codes in internal/reach: %v", len(codes), codes)
	}
	c := func(id string) *reach.Component { return &reach.Component{ID: id} }
	full := reach.Explanation{Component: c("eni-0123456789abcdef0"), ACL: c("acl-0123456789abcdef0"), ACLRule: &reach.ACLRule{CIDR: "0.0.0.0/0", Protocol: "all", RuleAction: "deny", RuleNumber: 32767},
		DestinationVPC: c("vpc-0bbbbbbbbbbbbbbbb"), SourceVPC: c("vpc-0aaaaaaaaaaaaaaaa"), InternetGateway: c("igw-0123456789abcdef0"), NATGateway: c("nat-0123456789abcdef0"),
		NetworkInterface: c("eni-0123456789abcdef0"), RouteTable: c("rtb-0123456789abcdef0"), RouteTableRoute: &reach.RouteTableRoute{DestinationCIDR: "0.0.0.0/0", GatewayID: "igw-0123456789abcdef0", State: "blackhole"},
		SecurityGroup: c("sg-0123456789abcdef0"), SecurityGroupRule: &reach.SecurityGroupRule{Direction: "ingress", Protocol: "tcp", CIDR: "10.0.0.0/16", PortRange: &reach.PortRange{From: 80, To: 80}},
		SecurityGroups: []reach.Component{*c("sg-0123456789abcdef0")}, Subnet: c("subnet-0123456789abcdef0"), VPC: c("vpc-0aaaaaaaaaaaaaaaa"), VPCPeeringConnection: c("pcx-0123456789abcdef0"),
		Direction: "ingress", Address: "10.0.1.4", Addresses: []string{"10.0.1.4"}, CIDRs: []string{"10.0.0.0/16"}, PacketField: "destination-port", Port: 443,
		PortRanges: []reach.PortRange{{From: 443, To: 443}}, Protocols: []string{"tcp"}, State: "stopped", MissingComponent: "internet-gateway", ComponentAccount: "222222222222", ComponentRegion: "us-west-2"}
	for _, code := range codes {
		if sentences[code] == nil {
			t.Errorf("no sentence for %s", code)
			continue
		}
		for _, e := range []reach.Explanation{{}, full} {
			e.ExplanationCode = code
			a := analyzer.AnswerOf(reach.Result{Explanations: []reach.Explanation{e}})
			s := explain(why{a.Explanations[0], a.VpcemuExtension.Explanation(0)})
			if !strings.HasPrefix(s, string(code)+" — ") || len(s) < len(code)+20 || strings.Contains(s, "  ") {
				t.Errorf("%s reads %q", code, s)
			}
		}
	}
}

// declaredCodes are the constants of type Code in internal/reach.
func declaredCodes(t *testing.T) []reach.Code {
	t.Helper()
	names, err := filepath.Glob("../reach/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var codes []reach.Code
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				v := spec.(*ast.ValueSpec)
				if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "Code" {
					continue
				}
				for _, val := range v.Values {
					if lit, ok := val.(*ast.BasicLit); ok {
						s, _ := strconv.Unquote(lit.Value)
						codes = append(codes, reach.Code(s))
					}
				}
			}
		}
	}
	return codes
}
