package main

import (
	"net"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"

	"github.com/vpcemu/vpcemu/e2e"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// must is v, or the test's end at a failure.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// dnsListening finds the DNS listeners in serve's log: view → address.
var dnsListening = regexp.MustCompile(`msg="vpcemu DNS listening" addr=(\S+) view=(\S+)`)

func dnsAddrs(t *testing.T, s *e2e.Server) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range dnsListening.FindAllStringSubmatch(s.Log(), -1) {
		out[m[2]] = m[1]
	}
	return out
}

// TestDNS builds a VPC with a private zone and an interface endpoint
// through the SDK, restarts `vpcemu serve` with DNS listeners for the
// public view and the VPC's, and asks them over UDP and TCP and through
// `vpcemu dig`: the same answers, and a change through the API in the
// very next one.
func TestDNS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServe(t, nil, "--data-dir", dir, "--addr", "127.0.0.1:0")
	ctx := t.Context()
	ec := ec2.NewFromConfig(emulatortest.Config(s.URL, emulatortest.AccountA, "us-east-1"))
	r53 := route53.NewFromConfig(emulatortest.Config(s.URL, emulatortest.AccountA, "us-east-1"))
	vpc := must(ec.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})).Vpc.VpcId
	must(ec.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}))
	subnet := must(ec.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})).Subnet.SubnetId
	ep := must(ec.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc, VpcEndpointType: ec2types.VpcEndpointTypeInterface,
		ServiceName: aws.String("com.amazonaws.us-east-1.sqs"), SubnetIds: []string{*subnet}})).VpcEndpoint
	eni := must(ec.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: ep.NetworkInterfaceIds})).NetworkInterfaces[0]
	epAddr := *eni.PrivateIpAddress
	zone := must(r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("corp.internal"), CallerReference: aws.String("corp"),
		VPC: &r53types.VPC{VPCId: vpc, VPCRegion: r53types.VPCRegionUsEast1}})).HostedZone.Id
	upsert := func(name, value string) {
		t.Helper()
		must(r53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: zone, ChangeBatch: &r53types.ChangeBatch{
			Changes: []r53types.Change{{Action: r53types.ChangeActionUpsert, ResourceRecordSet: &r53types.ResourceRecordSet{
				Name: aws.String(name), Type: r53types.RRTypeA, TTL: aws.Int64(300), ResourceRecords: []r53types.ResourceRecord{{Value: aws.String(value)}}}}}}}))
	}
	upsert("db.corp.internal", "10.0.1.50")
	s.Stop(t)

	s = startServe(t, nil, "--data-dir", dir, "--addr", "127.0.0.1:0", "--dns-addr", "127.0.0.1:0", "--dns-addr", *vpc+"=127.0.0.1:0")
	addrs := dnsAddrs(t, s)
	if addrs["public"] == "" || addrs[*vpc] == "" || addrs["public"] == addrs[*vpc] {
		t.Fatalf("DNS listeners %v in the log:\n%s", addrs, s.Log())
	}
	ec = ec2.NewFromConfig(emulatortest.Config(s.URL, emulatortest.AccountA, "us-east-1"))
	r53 = route53.NewFromConfig(emulatortest.Config(s.URL, emulatortest.AccountA, "us-east-1"))
	regional := *ep.DnsEntries[0].DnsName

	type answer struct {
		status string
		values []string
	}
	ask := func(network, view, name string) answer {
		t.Helper()
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(name), dns.TypeA)
		resp, _, err := (&dns.Client{Net: network}).Exchange(m, addrs[view])
		if err != nil {
			t.Fatalf("%s %s %s: %v", network, view, name, err)
		}
		a := answer{status: dns.RcodeToString[resp.Rcode]}
		for _, rr := range resp.Answer {
			a.values = append(a.values, rr.(*dns.A).A.String())
		}
		return a
	}
	digEnv := append([]string{"AWS_ENDPOINT_URL=" + s.URL}, callerEnv...)
	dig := func(view, name string) answer {
		t.Helper()
		args := []string{"dig", "--json", name}
		if view != "public" {
			args = append(args, "--vpc", view)
		}
		stdout, stderr, code := vpcemu(t, digEnv, args...)
		if code != 0 {
			t.Fatalf("vpcemu %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
		a := answer{status: regexp.MustCompile(`"status": "(\w+)"`).FindStringSubmatch(stdout)[1]}
		for _, m := range regexp.MustCompile(`\\tIN\\tA\\t([^"]+)"`).FindAllStringSubmatch(stdout, -1) {
			a.values = append(a.values, m[1])
		}
		return a
	}
	cases := []struct {
		view, name string
		want       answer
	}{
		{*vpc, "db.corp.internal", answer{"NOERROR", []string{"10.0.1.50"}}},
		{*vpc, "nope.corp.internal", answer{status: "NXDOMAIN"}},
		{*vpc, "sqs.us-east-1.amazonaws.com", answer{"NOERROR", []string{epAddr}}},
		{*vpc, regional, answer{"NOERROR", []string{epAddr}}},
		{"public", "db.corp.internal", answer{status: "NXDOMAIN"}},
		{"public", regional, answer{"NOERROR", []string{epAddr}}},
	}
	for _, tc := range cases {
		for _, got := range map[string]answer{"udp": ask("udp", tc.view, tc.name), "tcp": ask("tcp", tc.view, tc.name), "dig": dig(tc.view, tc.name)} {
			if got.status != tc.want.status || !slices.Equal(got.values, tc.want.values) {
				t.Errorf("%s from %s: %v, want %v", tc.name, tc.view, got, tc.want)
			}
		}
	}
	// The public view answers SQS's public name, not the endpoint.
	if pub := ask("udp", "public", "sqs.us-east-1.amazonaws.com"); pub.status != "NOERROR" || len(pub.values) != 1 || pub.values[0] == epAddr {
		t.Errorf("sqs from the public view: %v", pub)
	}

	// A change through the API shows in the very next answer.
	upsert("db.corp.internal", "10.0.1.51")
	if got := ask("udp", *vpc, "db.corp.internal"); !slices.Equal(got.values, []string{"10.0.1.51"}) {
		t.Errorf("after the change, over UDP: %v", got)
	}
	upsert("db.corp.internal", "10.0.1.52")
	if got := dig(*vpc, "db.corp.internal"); !slices.Equal(got.values, []string{"10.0.1.52"}) {
		t.Errorf("after the change, through dig: %v", got)
	}
	// DNS support off: no DNS server.
	must(ec.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc, EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(false)}}))
	if got := ask("tcp", *vpc, "db.corp.internal"); got.status != "REFUSED" {
		t.Errorf("DNS support off: %v", got)
	}

	// What vpcemu dig prints, and what it refuses.
	must(ec.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc, EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}))
	digCases := []struct {
		name           string
		args, env      []string
		code           int
		stdout, stderr string
	}{
		{name: "an answer", args: []string{"dig", "--vpc", *vpc, "db.corp.internal"},
			stdout: `\A;; status: NOERROR, flags: qr aa rd; view: ` + *vpc + `
;; answered by Z\w+ \(private hosted zone corp\.internal\)
;; question: db\.corp\.internal\.	IN	A

;; ANSWER SECTION:
db\.corp\.internal\.	300	IN	A	10\.0\.1\.52
\z`},
		{name: "NXDOMAIN with the SOA", args: []string{"dig", "nope.corp.internal", "--vpc", *vpc},
			stdout: `(?m)^;; status: NXDOMAIN,.*\n(.*\n)*;; AUTHORITY SECTION:\ncorp\.internal\.	900	IN	SOA	ns-\S+ awsdns-hostmaster\.amazon\.com\. 1 7200 900 1209600 86400$`},
		{name: "the endpoint answers, in a zone", args: []string{"dig", "--vpc", *vpc, "--zone", "use1-az4", "sqs.us-east-1.amazonaws.com"},
			stdout: `(?m)\A;; status: NOERROR, flags: qr aa rd; view: ` + *vpc + ` in us-east-1a\n;; answered by ` + *ep.VpcEndpointId + ` \(the private DNS name of VPC endpoint com\.amazonaws\.us-east-1\.sqs\)$`},
		{name: "short", args: []string{"dig", "--short", "--vpc", *vpc, "db.corp.internal", "A"}, stdout: `\A10\.0\.1\.52\n\z`},
		{name: "AAAA: no records", args: []string{"dig", "--short", "--vpc", *vpc, "db.corp.internal", "aaaa"}, stdout: `\A\z`},
		{name: "another account's VPC", args: []string{"dig", "--vpc", *vpc, "db.corp.internal"}, env: []string{"AWS_ACCESS_KEY_ID=" + emulatortest.AccountB}, code: 2,
			stderr: `\Avpcemu dig: InvalidVpcID\.NotFound: The vpc ID '` + *vpc + `' does not exist\n\z`},
		{name: "another region's view of the VPC", args: []string{"dig", "--vpc", *vpc, "db.corp.internal"}, env: []string{"AWS_REGION=eu-west-1"}, code: 2,
			stderr: `InvalidVpcID\.NotFound`},
		{name: "a zone of another region", args: []string{"dig", "--zone", "eu-west-1a", "x.example"}, code: 2,
			stderr: `InvalidParameterValue: Value \(eu-west-1a\) for parameter zone is invalid\. It is not an Availability Zone of us-east-1\.`},
		{name: "an unknown type", args: []string{"dig", "x.example", "BOGUS"}, code: 2, stderr: `InvalidParameterValue: Value \(BOGUS\) for parameter type is invalid`},
		{name: "no name", args: []string{"dig"}, code: 2, stderr: `want a NAME and optionally a TYPE`},
	}
	for _, tc := range digCases {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := vpcemu(t, append(slices.Clone(digEnv), tc.env...), tc.args...)
			if code != tc.code {
				t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
			if tc.stdout != "" && !regexp.MustCompile(tc.stdout).MatchString(stdout) {
				t.Errorf("stdout does not match %q:\n%s", tc.stdout, stdout)
			}
			if tc.stderr != "" && !regexp.MustCompile(tc.stderr).MatchString(stderr) {
				t.Errorf("stderr does not match %q:\n%s", tc.stderr, stderr)
			}
		})
	}
}

// --dns-addr takes loopback addresses only, and says so.
func TestServeDNSAddrLoopbackOnly(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"0.0.0.0:5353", "vpc-0123456789abcdef0=192.168.0.1:53", "[::]:53"} {
		_, stderr, code := vpcemu(t, nil, "serve", "--in-memory", "--addr", "127.0.0.1:0", "--dns-addr", arg)
		if code != 2 || !strings.Contains(stderr, "vpcemu listens on loopback addresses only (127.0.0.1, ::1, localhost), never beyond this machine") {
			t.Errorf("--dns-addr %s: exit %d: %s", arg, code, stderr)
		}
	}
	_, stderr, code := vpcemu(t, []string{"VPCEMU_DNS_ADDR=10.0.0.1:53"}, "serve", "--in-memory", "--addr", "127.0.0.1:0")
	if code != 2 || !strings.Contains(stderr, "VPCEMU_DNS_ADDR: DNS address \"10.0.0.1:53\": vpcemu listens on loopback addresses only") {
		t.Errorf("VPCEMU_DNS_ADDR: exit %d: %s", code, stderr)
	}
}

// A --dns-addr whose port is taken stops serve with a message about it,
// not about --addr.
func TestServeDNSAddrInUse(t *testing.T) {
	t.Parallel()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	_, stderr, code := vpcemu(t, nil, "serve", "--in-memory", "--addr", "127.0.0.1:0", "--dns-addr", pc.LocalAddr().String())
	if code != 1 || !strings.Contains(stderr, "vpcemu serve: --dns-addr "+pc.LocalAddr().String()+" is already in use, UDP or TCP") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}
