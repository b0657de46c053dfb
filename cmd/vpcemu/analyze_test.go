package main

import (
	"bytes"
	"cmp"
	"net"
	"net/netip"
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
