package e2e

import (
	"encoding/json"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cost"
	"github.com/vpcemu/vpcemu/internal/costreport"
)

// costOf runs `vpcemu cost --json args…` as the player and reads its
// answer.
func costOf(t *testing.T, p player, args ...string) costreport.Answer {
	t.Helper()
	out, err := p.vpcemu(append([]string{"cost", "--json"}, args...)...).Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("vpcemu cost %v: %v %s", args, err, stderr)
	}
	var a costreport.Answer
	if err := json.Unmarshal(out, &a); err != nil || a.Bill == nil {
		t.Fatalf("vpcemu cost %v answered %s (%v)", args, out, err)
	}
	return a
}

// charges sums a bill's amounts by account and kind of resource, and
// charge ("111111111111 network-load-balancer Network load balancer").
func charges(b *cost.Bill) map[string]float64 {
	out := map[string]float64{}
	for _, l := range b.Lines {
		out[l.Account+" "+string(l.Kind)+" "+l.What] += l.Amount
	}
	return out
}

func wantCharges(t *testing.T, b *cost.Bill, want map[string]float64) {
	t.Helper()
	got := charges(b)
	for k, w := range want {
		if g, ok := got[k]; !ok || math.Abs(g-w) > 0.005 {
			t.Errorf("%s: %.4f (billed %v), want %.2f", k, g, ok, w)
		}
	}
	if t.Failed() {
		t.Logf("the bill: %v; unpriced %v", got, b.Unpriced)
	}
}

// checkPrivateLinkCost prices e2e/testdata/terraform/privatelink as
// applied, with an Infracost usage file keyed by Terraform address (found
// through the state): the provider's NLB and GWLB by the hour and the
// NLB's capacity units, the consumer's interface endpoints by the zone-hour
// with their data, the GWLB endpoint, the gateway endpoint free.
func checkPrivateLinkCost(t *testing.T, url, dir string) {
	usage := filepath.Join(t.TempDir(), "infracost-usage.yml")
	writeFile(t, usage, `version: 0.1
resource_usage:
  aws_vpc_endpoint.api:
    monthly_data_processed_gb: 1000
  aws_vpc_endpoint.inspection:
    monthly_data_processed_gb: 100
  aws_lb.service:
    processed_bytes_gb: 1000
  aws_data_transfer.us-east-1:
    region: us-east-1
    monthly_intra_region_gb: 50
`)
	a := costOf(t, player{t: t, url: url, account: accountB}, "--usage", usage, "--tfstate", filepath.Join(dir, "terraform.tfstate"))
	if len(a.Notes) > 0 || len(a.Bill.Unpriced) > 0 || !strings.HasPrefix(a.Bill.Usage, "usage file infracost-usage.yml") {
		t.Errorf("notes %q, unpriced %q, usage %q", a.Notes, a.Bill.Unpriced, a.Bill.Usage)
	}
	wantCharges(t, a.Bill, map[string]float64{
		accountA + " network-load-balancer Network load balancer":                           16.425, // 730 h × $0.0225
		accountA + " network-load-balancer Load balancer capacity units":                    6.00,   // 1,000 GB = 1,000 NLCU-hours × $0.006
		accountA + " gateway-load-balancer Gateway load balancer":                           9.125,  // 730 h × $0.0125
		accountA + " endpoint-service Endpoint service (free; its load balancer is billed)": 0,
		accountB + " interface-endpoint Endpoint (2 AZs)":                                   14.60, // api, in 2 zones
		accountB + " interface-endpoint Endpoint (1 AZ)":                                    7.30,  // secrets, in 1
		accountB + " interface-endpoint Data processed (first 1PB)":                         10.00,
		accountB + " gwlb-endpoint Endpoint (Gateway Load Balancer)":                        7.30,
		accountB + " gwlb-endpoint Data processed":                                          0.35,
		accountB + " gateway-endpoint Gateway endpoint (free)":                              0,
		accountB + "  Cross-AZ data transfer, each direction":                               1.00, // 50 GB each way × $0.01
	})
	totals := map[string]float64{}
	for _, acct := range a.Bill.Accounts {
		totals[acct.Account] = acct.Total
	}
	if math.Abs(totals[accountA]-31.55) > 0.005 || math.Abs(totals[accountB]-40.55) > 0.005 || math.Abs(a.Bill.Total-72.10) > 0.005 {
		t.Errorf("totals %v, overall %.4f; want %s $31.55, %s $40.55, $72.10", totals, a.Bill.Total, accountA, accountB)
	}
	// One account, one period: a day of the same.
	a = costOf(t, player{t: t, url: url, account: accountB}, "--account", accountA, "--hours", "24")
	if len(a.Bill.Accounts) != 1 || math.Abs(a.Bill.Total-24*(0.0225+0.0125)) > 0.005 {
		t.Errorf("a day of %s: %+v", accountA, a.Bill.Accounts)
	}
}

// TestCostSeed002 is seed 002's example with real traffic: an instance in
// a private subnet sends to SNS (a local stand-in) through a NAT gateway
// and an internet gateway; vpcemu cost prices the bytes the NAT gateway
// processed (and no internet transfer: SNS is in the region), and
// --compare prices them through an interface endpoint instead. Then with
// the endpoint made, the same request goes through it, and the
// comparison turns round.
func TestCostSeed002(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	up := exec.Command("python3", "-c", upstreamScript, fmt.Sprint(port), dir, filepath.Join(dir, "upstream.log"))
	if err := up.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { up.Process.Kill(); up.Wait() })

	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--upstream", fmt.Sprintf("sns=http://127.0.0.1:%d", port))
	cli := newAWSCLI(t, srv.URL, accountA)
	vpc := cli.ok(t, "ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	cli.ok(t, "ec2", "modify-vpc-attribute", "--vpc-id", vpc, "--enable-dns-hostnames")
	public := cli.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.0.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId", "--output", "text")
	private := cli.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.1.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId", "--output", "text")
	igw := cli.ok(t, "ec2", "create-internet-gateway", "--query", "InternetGateway.InternetGatewayId", "--output", "text")
	cli.ok(t, "ec2", "attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc)
	publicRT := cli.ok(t, "ec2", "create-route-table", "--vpc-id", vpc, "--query", "RouteTable.RouteTableId", "--output", "text")
	cli.ok(t, "ec2", "associate-route-table", "--route-table-id", publicRT, "--subnet-id", public)
	cli.ok(t, "ec2", "create-route", "--route-table-id", publicRT, "--destination-cidr-block", "0.0.0.0/0", "--gateway-id", igw)
	eip := cli.ok(t, "ec2", "allocate-address", "--query", "AllocationId", "--output", "text")
	nat := cli.ok(t, "ec2", "create-nat-gateway", "--subnet-id", public, "--allocation-id", eip, "--query", "NatGateway.NatGatewayId", "--output", "text")
	privateRT := cli.ok(t, "ec2", "create-route-table", "--vpc-id", vpc, "--query", "RouteTable.RouteTableId", "--output", "text")
	cli.ok(t, "ec2", "associate-route-table", "--route-table-id", privateRT, "--subnet-id", private)
	cli.ok(t, "ec2", "create-route", "--route-table-id", privateRT, "--destination-cidr-block", "0.0.0.0/0", "--nat-gateway-id", nat)
	instance := cli.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", private, "--query", "Instances[0].InstanceId", "--output", "text")

	p := player{t: t, url: srv.URL, account: accountA}
	body := filepath.Join(dir, "message")
	os.WriteFile(body, []byte("Action=Publish&Message="+strings.Repeat("x", 256<<10)), 0o644)
	publish := func() {
		t.Helper()
		out, err := p.cmd(instance, "curl", "-sS", "-m", "20", "--data-binary", "@"+body, "https://sns.us-east-1.amazonaws.com/").CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "{}" {
			t.Fatalf("publish to SNS: %v %s", err, out)
		}
	}
	// compared waits for the window of the traffic to close (on the
	// minute), until the comparison of the route via has its bytes.
	compared := func(via string) (costreport.Answer, cost.Comparison) {
		t.Helper()
		deadline := time.Now().Add(150 * time.Second)
		for {
			a := costOf(t, p, "--compare", "--account", accountA)
			for _, c := range a.Comparisons {
				if c.Service == "sns" && strings.Contains(c.Now.Via, via) && c.GB > 0 {
					return a, c
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("no comparison through %s: %+v, notes %q", via, a.Comparisons, a.Notes)
			}
			time.Sleep(2 * time.Second)
		}
	}

	publish()
	a, c := compared(nat)
	gb := c.GB
	// At least the 256 KB message each way's larger half; the NAT gateway
	// processed both directions.
	if gb < 256.0*1024/cost.GiB || gb > 1.0/1024 {
		t.Errorf("%.9f GB through the NAT gateway", gb)
	}
	near := func(got, want float64) bool { return math.Abs(got-want) < 1e-9 }
	if !near(c.Now.Data, gb*0.045) || !near(c.Now.Fixed, 730*(0.045+0.005)) ||
		!strings.HasPrefix(c.Instead.Via, "interface endpoint (new, 1 AZ)") || !near(c.Instead.Data, gb*0.01) || !near(c.Instead.Fixed, 7.30) {
		t.Errorf("NAT gateway against an endpoint: %+v", c)
	}
	got := charges(a.Bill)
	if !near(got[accountA+" nat-gateway Data processed"], gb*0.045) || !near(got[accountA+" nat-gateway NAT gateway"], 32.85) {
		t.Errorf("the NAT gateway's charges: %v", got)
	}
	for k := range got {
		if strings.Contains(k, "internet") {
			t.Errorf("SNS is in the region: no transfer to the internet, yet %q", k)
		}
	}

	// The metered traffic as an Infracost usage file, which prices the same.
	out, err := p.vpcemu("cost", "--emit-infracost-usage", "-").Output()
	if err != nil || !strings.Contains(string(out), "  "+nat+":\n    monthly_data_processed_gb: ") {
		t.Fatalf("emitted usage file: %v\n%s", err, out)
	}
	usage := filepath.Join(dir, "usage.yml")
	writeFile(t, usage, string(out))
	fromFile := costOf(t, p, "--usage", usage, "--account", accountA)
	if g := charges(fromFile.Bill)[accountA+" nat-gateway Data processed"]; g < gb*0.045-1e-6 {
		t.Errorf("the emitted usage file prices the NAT gateway's data at %v, the meters at least %v", g, gb*0.045)
	}

	// The endpoint, with private DNS: the same request goes through it. For
	// this little traffic, the NAT gateway the VPC has anyway is cheaper:
	// going back to it saves the endpoint's hours.
	sg := cli.ok(t, "ec2", "create-security-group", "--vpc-id", vpc, "--group-name", "endpoints", "--description", "HTTPS from the VPC", "--query", "GroupId", "--output", "text")
	cli.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", sg, "--protocol", "tcp", "--port", "443", "--cidr", "10.0.0.0/16")
	endpoint := cli.ok(t, "ec2", "create-vpc-endpoint", "--vpc-id", vpc, "--vpc-endpoint-type", "Interface", "--service-name", "com.amazonaws.us-east-1.sns",
		"--subnet-ids", private, "--security-group-ids", sg, "--private-dns-enabled", "--query", "VpcEndpoint.VpcEndpointId", "--output", "text")
	publish()
	_, c = compared(endpoint)
	if !strings.HasPrefix(c.Instead.Via, "NAT gateway "+nat) || !near(c.Instead.Fixed, 0) || !near(c.Now.Data, c.GB*0.01) || !near(c.Instead.Data, c.GB*0.045) || !near(c.Saves, 7.30+c.GB*(0.01-0.045)) {
		t.Errorf("the endpoint against the NAT gateway the VPC has: %+v", c)
	}
}

// checkDirectConnectCost prices e2e/testdata/terraform/direct-connect as
// applied: the 10 Gbps dedicated port at EqDC2 by the hour, and 200 GB a
// month out of us-east-1 to it (the usage file's legacy key, from the
// connection's region); the virtual private gateways are free.
func checkDirectConnectCost(t *testing.T, url, dir string) {
	usage := filepath.Join(t.TempDir(), "infracost-usage.yml")
	writeFile(t, usage, "version: 0.1\nresource_usage:\n  aws_dx_connection.primary:\n    monthly_outbound_region_to_dx_location_gb: 200\n")
	a := costOf(t, player{t: t, url: url, account: accountA}, "--usage", usage, "--tfstate", filepath.Join(dir, "terraform.tfstate"))
	if len(a.Notes) > 0 || len(a.Bill.Unpriced) > 0 {
		t.Errorf("notes %q, unpriced %q", a.Notes, a.Bill.Unpriced)
	}
	port, free := 0.0, 0
	for _, l := range a.Bill.Lines {
		switch {
		case l.Name == "dx-primary":
			port += l.Amount
		case l.Kind == cost.KindVPNGateway && l.Free:
			free++
		}
	}
	if math.Abs(port-730*2.25) > 0.005 || free != 2 {
		t.Errorf("dx-primary costs %.4f a month (want $1,642.50), %d free VGWs (want 2)", port, free)
	}
	wantCharges(t, a.Bill, map[string]float64{accountA + "  DX data transfer out to EqDC2": 4.00}) // 200 GB × $0.02
}
