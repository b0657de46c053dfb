package main

import (
	"bytes"
	"cmp"
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"net/netip"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/analyzer/analyzertest"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// callerEnv names account A in us-east-1 to the command, whatever the
// environment of the test says.
var callerEnv = []string{"AWS_ACCESS_KEY_ID=" + emulatortest.AccountA, "AWS_SECRET_ACCESS_KEY=secret", "AWS_SESSION_TOKEN=",
	"AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1"}

// TestAnalyzeCommand runs `vpcemu analyze` against a real `vpcemu serve`.
func TestAnalyzeCommand(t *testing.T) {
	t.Parallel()
	s := startServe(t, nil, "--in-memory", "--addr", "127.0.0.1:0")
	n := analyzertest.Build(t, ec2.NewFromConfig(emulatortest.Config(s.URL, emulatortest.AccountA, "us-east-1")))
	cases := []struct {
		name string
		args []string
		env  []string
		code int
		// stdout and stderr are regular expressions each line of which the
		// output must match.
		stdout, stderr string
	}{
		{name: "reachable", args: []string{"--from", n.Client, "--to", n.Web, "--port", "443"},
			stdout: `(?m)^Forward path$
^  1  instance +` + n.Client + ` \(client\) +sends ` + n.ClientIP + `:1024-65535 -> ` + n.WebIP + `:443 tcp$
^  3  security group +` + n.ClientGroup + ` \(client\) +egress all to 0\.0\.0\.0/0$
^  4  network ACL +acl-\w+ +outbound rule 100 allow all to 0\.0\.0\.0/0$
^  5  route table +rtb-\w+ +route 10\.0\.0\.0/16 -> local$
^  7  security group +` + n.WebGroup + ` \(web\) +ingress tcp 443 from 10\.0\.0\.0/16$
^  8  network interface +eni-\w+ +of ` + n.Web + ` \(web\) in ` + n.Back + ` \(back\)$
^Return path$
^  3  security group +` + n.WebGroup + ` \(web\) +lets the reply of the connection through \(stateful\)$
^reachable: tcp/443 from ` + n.Client + ` \(client\) to ` + n.Web + ` \(web\) and back\n\z`},
		{name: "by addresses", args: []string{"--from", n.ClientIP, "--to", n.WebIP, "--port", "443"}, stdout: `(?m)^reachable: `},
		{name: "blocked by security group", args: []string{"--from", n.Client, "--to", n.Web, "--port", "22"}, code: 1,
			stdout: `(?m)^  6  network ACL .*inbound rule 100 allow all from 0\.0\.0\.0/0$
^  x  network interface +eni-\w+ +security group ` + n.WebGroup + ` \(web\)$
^blocked: ENI_SG_RULES_MISMATCH — security group ` + n.WebGroup + ` \(web\) has no inbound rule for tcp/22 from ` + n.ClientIP +
				` \(no rule matches its destination port\)\n\z`},
		{name: "blocked by network ACL", args: []string{"--from", n.Client, "--to", n.Vault, "--port", "443"}, code: 1,
			stdout: `(?m)^  x  network ACL +` + n.LockedACL + ` \(locked\) +inbound rule \* deny all from 0\.0\.0\.0/0$
^blocked: SUBNET_ACL_RESTRICTION — network ACL ` + n.LockedACL + ` \(locked\) of subnet ` + n.Locked + ` \(locked\) denies inbound tcp/443 from ` + n.ClientIP},
		{name: "no route", args: []string{"--from", n.Client, "--to", "8.8.8.8", "--port", "443"}, code: 1,
			stdout: `(?m)^  x  route table +rtb-\w+ *$
^blocked: NO_ROUTE_TO_DESTINATION — route table rtb-\w+ of subnet ` + n.Front + ` \(front\) has no route to 8\.8\.8\.8$`},
		{name: "udp", args: []string{"--from", n.Client, "--to", n.Web, "--port", "443", "--protocol", "udp"}, code: 1,
			stdout: `(?m)^blocked: ENI_SG_RULES_MISMATCH — .* no inbound rule for udp/443 from`},
		{name: "icmp", args: []string{"--from", n.Client, "--to", n.Web, "--protocol", "icmp"}, code: 1,
			stdout: `(?m)^blocked: ENI_SG_RULES_MISMATCH — .* no inbound rule for icmp from .*\(no rule matches its protocol\)$`},
		{name: "another account sees nothing", args: []string{"--from", n.Client, "--to", n.Web}, env: []string{"AWS_ACCESS_KEY_ID=" + emulatortest.AccountB}, code: 1,
			stdout: `(?m)^blocked: NO_SOURCE_OR_DESTINATION — i-\w+ does not exist in the caller's account and region\n\z`},
		{name: "json", args: []string{"--from", n.Client, "--to", n.Web, "--port", "22", "--json"}, code: 1,
			stdout: `(?m)\A\{\n  "NetworkPathFound": false,
^      "ExplanationCode": "ENI_SG_RULES_MISMATCH",`},
		{name: "no source", args: []string{"--to", n.Web}, code: 2,
			stderr: `\Avpcemu analyze: MissingParameter: The request must contain the parameter from\nRun 'vpcemu analyze --help' for usage\.\n\z`},
		{name: "bad protocol", args: []string{"--from", n.Client, "--to", n.Web, "--protocol", "sctp"}, code: 2,
			stderr: `InvalidParameterValue: Value \(sctp\) for parameter protocol is invalid`},
		{name: "port with icmp", args: []string{"--from", n.Client, "--to", n.Web, "--protocol", "icmp", "--port", "8"}, code: 2,
			stderr: `InvalidParameterCombination`},
		{name: "bad source address", args: []string{"--from", n.Client, "--to", n.Web, "--source-ip", "x"}, code: 2,
			stderr: `parameter source-ip is invalid`},
		{name: "stray argument", args: []string{"--from", n.Client, "--to", n.Web, "now"}, code: 2, stderr: `unexpected arguments "now"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := append(append([]string{}, callerEnv...), tc.env...)
			stdout, stderr, code := vpcemu(t, env, append([]string{"analyze", "--endpoint-url", s.URL}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			matchLines(t, "stdout", tc.stdout, stdout)
			matchLines(t, "stderr", tc.stderr, stderr)
			if tc.stderr == "" && stderr != "" {
				t.Errorf("stderr should be empty:\n%s", stderr)
			}
			if tc.code == 2 && stdout != "" {
				t.Errorf("stdout should be empty:\n%s", stdout)
			}
		})
	}
}

// matchLines checks out against each line of a regular expression that
// starts with a flag group, so the key lines of an output can be listed.
func matchLines(t *testing.T, what, pattern, out string) {
	t.Helper()
	if pattern == "" {
		return
	}
	flags := ""
	if m := regexp.MustCompile(`^\(\?[a-z]+\)`).FindString(pattern); m != "" {
		flags, pattern = m, pattern[len(m):]
	}
	for _, line := range strings.Split(pattern, "\n") {
		if !regexp.MustCompile(flags + line).MatchString(out) {
			t.Errorf("%s does not match %q:\n%s", what, line, out)
		}
	}
}

func TestAnalyzeHelpAndConnection(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing listens there now
	cases := []struct {
		name           string
		args, env      []string
		code           int
		stdout, stderr string
	}{
		{name: "help", args: []string{"--help"},
			stdout: `(?s)Usage: vpcemu analyze --from X --to Y.*AWS_ACCESS_KEY_ID.*Exits 0 when the path is found, 1 when it is blocked, 2.*-destination-ip.*-endpoint-url.*VPCEMU_ADDR.*-from.*-json.*-port.*-protocol.*-to`},
		{name: "listed", args: nil, stdout: `(?m)^  analyze +explain whether traffic gets`},
		{name: "nothing listening", args: []string{"--endpoint-url", "http://" + closed, "--from", "10.0.1.4", "--to", "10.0.2.4"}, code: 2,
			stderr: `\Avpcemu analyze: cannot ask vpcemu at http://` + regexp.QuoteMeta(closed) + ` \(is 'vpcemu serve' running\?\): .*connection refused`},
		{name: "VPCEMU_ADDR", env: []string{"VPCEMU_ADDR=" + closed}, args: []string{"--from", "10.0.1.4", "--to", "10.0.2.4"}, code: 2,
			stderr: `cannot ask vpcemu at http://` + regexp.QuoteMeta(closed) + ` `},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"analyze"}, tc.args...)
			if tc.args == nil {
				args = []string{"--help"}
			}
			stdout, stderr, code := vpcemu(t, tc.env, args...)
			if code != tc.code {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			matchLines(t, "stdout", tc.stdout, stdout)
			matchLines(t, "stderr", tc.stderr, stderr)
		})
	}
}

// TestAnalyzeJSONIsTheEngines: what `vpcemu analyze --json` prints is the
// engine's answer (analyzer.Analyze) to the same question, byte for byte.
func TestAnalyzeJSONIsTheEngines(t *testing.T) {
	e := emulatortest.Start(t)
	n := analyzertest.Build(t, emulatortest.EC2(e, emulatortest.AccountA, "eu-west-1"))
	for _, kv := range callerEnv {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("AWS_REGION", "eu-west-1")
	who := cloud.Caller{Account: emulatortest.AccountA, Region: "eu-west-1"}
	for _, q := range []reach.Query{
		{Source: n.Client, Destination: n.Web, Protocol: reach.TCP, DestinationPort: 443},
		{Source: n.Client, Destination: n.Web, Protocol: reach.TCP, DestinationPort: 22},
		{Source: n.Client, Destination: n.Vault, Protocol: reach.UDP, DestinationPort: 443},
		{Source: n.Web, Destination: n.Client, Protocol: reach.ICMP},
		{Source: n.Client, DestinationIP: netip.MustParseAddr("8.8.8.8"), Protocol: reach.TCP},
		{Source: n.Client, Destination: "eni-0123456789abcdef0", Protocol: reach.TCP},
	} {
		res, err := analyzer.Analyze(t.Context(), e.Cloud, who, q)
		if err != nil {
			t.Fatal(err)
		}
		want := analyzer.AnswerOf(res).JSON()
		args := []string{"analyze", "--json", "--endpoint-url", e.URL(), "--from", q.Source, "--to", cmp.Or(q.Destination, q.DestinationIP.String()), "--protocol", string(q.Protocol)}
		if q.DestinationPort != 0 {
			args = append(args, "--port", strconv.Itoa(q.DestinationPort))
		}
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		if wantCode := map[bool]int{true: 0, false: 1}[res.NetworkPathFound]; code != wantCode || stderr.Len() > 0 {
			t.Errorf("%v: exit status %d, want %d; stderr: %s", args, code, wantCode, &stderr)
		}
		if !bytes.Equal(stdout.Bytes(), want) {
			t.Errorf("%v printed\n%s\nthe engine answers\n%s", args, &stdout, want)
		}
	}
}

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
			printAnswer(&b, analyzer.AnswerOf(tc.res))
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
	names, err := filepath.Glob("../../internal/reach/*.go")
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
