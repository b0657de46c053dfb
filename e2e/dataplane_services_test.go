package e2e

import (
	"fmt"
	"html"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// upstreamScript is a local stand-in for AWS services: GET answers a file
// of its directory (S3's objects, by path or by virtual-hosted bucket),
// POST answers {} (a JSON service), and
// every request is logged as METHOD PATH TARGET.
const upstreamScript = `
import http.server, os, sys
root, log = sys.argv[2], open(sys.argv[3], 'a')
class H(http.server.BaseHTTPRequestHandler):
    def answer(self, code, body):
        log.write('%s %s %s\n' % (self.command, self.path, self.headers.get('X-Amz-Target', '-'))); log.flush()
        self.send_response(code); self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)
    def do_GET(self):
        host = self.headers.get('Host', '')
        bucket = host.split('.s3.')[0] + '/' if '.s3.' in host else ''
        p = os.path.join(root, bucket + self.path.lstrip('/'))
        self.answer(200, open(p, 'rb').read()) if os.path.isfile(p) else self.answer(404, b'')
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.answer(200, b'{}')
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
`

// TestDataPlaneServices: AWS services through their endpoints reach local
// upstreams over TLS (the local CA trusted through vpcemu run's
// variables), and each request meets the endpoint's policy: S3 through a
// gateway endpoint whose policy allows one bucket, Systems Manager through
// an interface endpoint with seed 004's sample policy
// (ssm:DescribeInstanceInformation only). A refused request gets AWS's
// AccessDenied and never reaches the upstream. SQS without an endpoint,
// through an internet gateway, reaches its upstream with no policy.
func TestDataPlaneServices(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	testServices(t, false)
}

// TestDataPlaneServicesProxy: the same in proxy mode, where the clients
// reach the services through the proxy's variables (CONNECT, the name
// resolved in the instance's VPC).
func TestDataPlaneServicesProxy(t *testing.T) {
	t.Parallel()
	needsProxyMode(t)
	testServices(t, true)
}

func testServices(t *testing.T, proxy bool) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "objects", "reports"), 0o755)
	os.MkdirAll(filepath.Join(dir, "objects", "secrets"), 0o755)
	os.WriteFile(filepath.Join(dir, "objects", "reports", "q1.csv"), []byte("quarter,revenue\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "objects", "secrets", "key"), []byte("hunter2"), 0o644)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	logFile := filepath.Join(dir, "upstream.log")
	up := exec.Command("python3", "-c", upstreamScript, fmt.Sprint(port), filepath.Join(dir, "objects"), logFile)
	if err := up.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { up.Process.Kill(); up.Wait() })
	upstream := fmt.Sprintf("http://127.0.0.1:%d", port)

	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--upstream", "s3="+upstream, "--upstream", "ssm="+upstream, "--upstream", "sqs="+upstream)
	cli := newAWSCLI(t, srv.URL, accountA)
	vpc := cli.ok(t, "ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	cli.ok(t, "ec2", "modify-vpc-attribute", "--vpc-id", vpc, "--enable-dns-hostnames")
	subnet := cli.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.1.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId", "--output", "text")
	rtb := cli.ok(t, "ec2", "describe-route-tables", "--filters", "Name=vpc-id,Values="+vpc, "--query", "RouteTables[0].RouteTableId", "--output", "text")
	cli.ok(t, "ec2", "create-vpc-endpoint", "--vpc-id", vpc, "--service-name", "com.amazonaws.us-east-1.s3", "--route-table-ids", rtb,
		"--policy-document", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}`)
	sg := cli.ok(t, "ec2", "create-security-group", "--vpc-id", vpc, "--group-name", "endpoints", "--description", "HTTPS from the VPC", "--query", "GroupId", "--output", "text")
	cli.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", sg, "--protocol", "tcp", "--port", "443", "--cidr", "10.0.0.0/16")
	cli.ok(t, "ec2", "create-vpc-endpoint", "--vpc-id", vpc, "--vpc-endpoint-type", "Interface", "--service-name", "com.amazonaws.us-east-1.ssm",
		"--subnet-ids", subnet, "--security-group-ids", sg, "--private-dns-enabled",
		"--policy-document", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ssm:DescribeInstanceInformation","Resource":"*"}]}`)
	instance := cli.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", subnet, "--query", "Instances[0].InstanceId", "--output", "text")

	p := player{t: t, url: srv.URL, account: accountA, proxy: proxy}
	fetch := func(args ...string) (string, string) {
		t.Helper()
		out, err := p.cmd(instance, append([]string{"curl", "-sS", "-m", "10", "-w", "\n%{http_code}"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("curl %v: %v\n%s", args, err, out)
		}
		body, code, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
		if i := strings.LastIndexByte(string(out), '\n'); i >= 0 {
			body, code = strings.TrimSpace(string(out[:i])), strings.TrimSpace(string(out[i+1:]))
		}
		return code, body
	}
	cases := []struct {
		name       string
		args       []string
		code, body string
	}{
		{"an object of the bucket the policy allows", []string{"https://s3.us-east-1.amazonaws.com/reports/q1.csv"}, "200", "quarter,revenue"},
		{"another bucket", []string{"https://s3.us-east-1.amazonaws.com/secrets/key"}, "403",
			`is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::secrets/key" because no VPC endpoint policy allows the s3:GetObject action`},
		{"the allowed SSM action", []string{"-X", "POST", "-H", "X-Amz-Target: AmazonSSM.DescribeInstanceInformation", "-H", "Content-Type: application/x-amz-json-1.1", "-d", "{}", "https://ssm.us-east-1.amazonaws.com/"}, "200", "{}"},
		{"another SSM action", []string{"-X", "POST", "-H", "X-Amz-Target: AmazonSSM.GetParameter", "-H", "Content-Type: application/x-amz-json-1.1", "-d", "{}", "https://ssm.us-east-1.amazonaws.com/"}, "400",
			`{"__type":"AccessDeniedException","message":"User: anonymous is not authorized to perform: ssm:GetParameter on resource: \"*\" because no VPC endpoint policy allows the ssm:GetParameter action"}`},
	}
	for _, tc := range cases {
		code, body := fetch(tc.args...)
		body = html.UnescapeString(body) // S3's XML escapes the quotes
		if code != tc.code || !strings.Contains(body, tc.body) {
			t.Errorf("%s: %s %s, want %s with %q", tc.name, code, body, tc.code, tc.body)
		}
	}
	// SQS without an endpoint: from a public subnet through the internet
	// gateway to its public address, where no endpoint policy applies.
	public := cli.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.2.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId", "--output", "text")
	igw := cli.ok(t, "ec2", "create-internet-gateway", "--query", "InternetGateway.InternetGatewayId", "--output", "text")
	cli.ok(t, "ec2", "attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc)
	publicRT := cli.ok(t, "ec2", "create-route-table", "--vpc-id", vpc, "--query", "RouteTable.RouteTableId", "--output", "text")
	cli.ok(t, "ec2", "associate-route-table", "--route-table-id", publicRT, "--subnet-id", public)
	cli.ok(t, "ec2", "create-route", "--route-table-id", publicRT, "--destination-cidr-block", "0.0.0.0/0", "--gateway-id", igw)
	web := cli.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", public, "--associate-public-ip-address", "--query", "Instances[0].InstanceId", "--output", "text")
	out, err := p.cmd(web, "curl", "-sS", "-m", "10", "-d", "Action=ListQueues", "https://sqs.us-east-1.amazonaws.com/").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "{}" {
		t.Errorf("SQS through the internet gateway: %v %s", err, out)
	}

	// The aws CLI, unchanged, as the instance: its requests are signed, so
	// the principal is the caller's account.
	if _, err := exec.LookPath("aws"); err == nil {
		out, err := p.cmd(instance, "env", "-u", "AWS_ENDPOINT_URL", "aws", "s3api", "get-object", "--bucket", "reports", "--key", "q1.csv", "/dev/stdout").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "quarter,revenue") {
			t.Errorf("aws s3api get-object: %v\n%s", err, out)
		}
		out, err = p.cmd(instance, "env", "-u", "AWS_ENDPOINT_URL", "aws", "s3api", "get-object", "--bucket", "secrets", "--key", "key", "/dev/stdout").CombinedOutput()
		if err == nil || !strings.Contains(string(out), "AccessDenied") || !strings.Contains(string(out), "arn:aws:iam::"+accountA+":root") {
			t.Errorf("aws s3api get-object of another bucket: %v\n%s", err, out)
		}
	}
	log, _ := os.ReadFile(logFile)
	if got := strings.TrimSpace(string(log)); got != "GET /reports/q1.csv -\nPOST / AmazonSSM.DescribeInstanceInformation\nPOST / -\nGET /q1.csv -" {
		t.Errorf("the upstream saw:\n%s", got)
	}
}
