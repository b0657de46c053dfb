package e2e

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// needsProxyMode skips a test without curl or python3; proxy mode needs
// neither Linux nor root.
func needsProxyMode(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"curl", "python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH", tool)
		}
	}
}

// proxied is `vpcemu run --proxy` as instance, with args before "--".
func (p player) proxied(instance string, args []string, argv ...string) *exec.Cmd {
	return p.vpcemu(append(append([]string{"run", "--proxy", "--instance", instance}, args...), append([]string{"--"}, argv...)...)...)
}

// proxiedCurl runs curl as instance in proxy mode with its extra
// arguments, and returns the status it printed and its exit status.
func (p player) proxiedCurl(instance string, limit time.Duration, args ...string) (string, int) {
	p.t.Helper()
	argv := append([]string{"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", strings.TrimSuffix(limit.String(), "s")}, args...)
	out, err := p.proxied(instance, nil, argv...).Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(out), exit.ExitCode()
	}
	if err != nil {
		p.t.Fatal(err)
	}
	return string(out), 0
}

// freePort is a loopback port nothing listens on now.
func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestDataPlaneProxy: seed 004 in proxy mode, in two accounts, without
// namespaces or root: the provider's Python server plays its instance
// through --listen on loopback; the consumer's curl, as its instance
// through the proxy's variables, reaches it by the endpoint's DNS name
// (resolved in the consumer's VPC) through the interface endpoint and the
// NLB — as a plain HTTP request, a CONNECT tunnel and SOCKS5 — once the
// provider has accepted the endpoint, and until the endpoint's security
// group loses its rule, when curl times out as on AWS; a wrong token is
// refused.
func TestDataPlaneProxy(t *testing.T) {
	t.Parallel()
	needsProxyMode(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--log-level", "debug")
	prov := newAWSCLI(t, srv.URL, accountA)
	vpc := prov.ok(t, "ec2", "create-vpc", "--cidr-block", "10.1.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	subnet := prov.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.1.1.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId", "--output", "text")
	nlb := prov.ok(t, "elbv2", "create-load-balancer", "--name", "api", "--type", "network", "--scheme", "internal", "--subnets", subnet, "--query", "LoadBalancers[0].LoadBalancerArn", "--output", "text")
	tg := prov.ok(t, "elbv2", "create-target-group", "--name", "api", "--protocol", "TCP", "--port", "8443", "--target-type", "ip", "--vpc-id", vpc, "--query", "TargetGroups[0].TargetGroupArn", "--output", "text")
	prov.ok(t, "elbv2", "register-targets", "--target-group-arn", tg, "--targets", "Id=10.1.1.10")
	prov.ok(t, "elbv2", "create-listener", "--load-balancer-arn", nlb, "--protocol", "TCP", "--port", "443", "--default-actions", "Type=forward,TargetGroupArn="+tg)
	sg := prov.ok(t, "ec2", "create-security-group", "--vpc-id", vpc, "--group-name", "api", "--description", "api", "--query", "GroupId", "--output", "text")
	prov.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", sg, "--protocol", "tcp", "--port", "8443", "--cidr", "10.1.0.0/16")
	server := prov.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", subnet, "--private-ip-address", "10.1.1.10", "--security-group-ids", sg, "--query", "Instances[0].InstanceId", "--output", "text")
	svc := prov.ok(t, "ec2", "create-vpc-endpoint-service-configuration", "--network-load-balancer-arns", nlb, "--acceptance-required", "--query", "ServiceConfiguration.[ServiceId,ServiceName]", "--output", "text")
	svcID, svcName, _ := strings.Cut(svc, "\t")
	prov.ok(t, "ec2", "modify-vpc-endpoint-service-permissions", "--service-id", svcID, "--add-allowed-principals", "arn:aws:iam::"+accountB+":root")

	cons := newAWSCLI(t, srv.URL, accountB)
	cvpc := cons.ok(t, "ec2", "create-vpc", "--cidr-block", "10.2.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	csubnet := cons.ok(t, "ec2", "create-subnet", "--vpc-id", cvpc, "--cidr-block", "10.2.1.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId", "--output", "text")
	esg := cons.ok(t, "ec2", "create-security-group", "--vpc-id", cvpc, "--group-name", "endpoint", "--description", "endpoint", "--query", "GroupId", "--output", "text")
	cons.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", esg, "--protocol", "tcp", "--port", "443", "--cidr", "10.2.0.0/16")
	endpoint := cons.ok(t, "ec2", "create-vpc-endpoint", "--vpc-endpoint-type", "Interface", "--vpc-id", cvpc, "--subnet-ids", csubnet, "--security-group-ids", esg, "--service-name", svcName, "--query", "VpcEndpoint.[VpcEndpointId,DnsEntries[0].DnsName]", "--output", "text")
	endpointID, name, _ := strings.Cut(endpoint, "\t")
	client := cons.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", csubnet, "--query", "Instances[0].InstanceId", "--output", "text")

	// The provider's server listens on loopback only, as its instance's
	// 8443.
	provider := player{t: t, url: srv.URL, account: accountA}
	port := strconv.Itoa(freePort(t))
	logFile := t.TempDir() + "/access.log"
	cmd := provider.proxied(server, []string{"--listen", "8443=127.0.0.1:" + port}, "sh", "-c", "exec python3 -m http.server "+port+" --bind 127.0.0.1 2> "+logFile)
	startBackground(t, cmd)

	consumer := player{t: t, url: srv.URL, account: accountB}
	url := "http://" + name + ":443/"
	if status, code := consumer.proxiedCurl(client, 2*time.Second, url); code != 28 {
		t.Errorf("before the provider accepts the endpoint: curl exit %d (status %q), want 28 (dropped)", code, status)
	}
	prov.ok(t, "ec2", "accept-vpc-endpoint-connections", "--service-id", svcID, "--vpc-endpoint-ids", endpointID)
	deadline := time.Now().Add(20 * time.Second)
	for {
		status, code := consumer.proxiedCurl(client, 2*time.Second, url)
		if status == "200" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the consumer did not reach the provider through the proxy: status %q, curl exit %d", status, code)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if status, code := consumer.proxiedCurl(client, 5*time.Second, "--proxytunnel", url); status != "200" {
		t.Errorf("through a CONNECT tunnel: status %q (curl exit %d)", status, code)
	}
	socks := []string{"sh", "-c", `exec curl -s -o /dev/null -w '%{http_code}' -m 5 -x "$ALL_PROXY" "$0"`, url}
	if out, err := consumer.proxied(client, nil, socks...).Output(); string(out) != "200" {
		t.Errorf("through SOCKS5 (socks5h): status %q (%v)", out, err)
	}
	if out, _ := os.ReadFile(logFile); !strings.Contains(string(out), "GET / HTTP/1.1\" 200") {
		t.Errorf("the provider's server logged no request:\n%s", out)
	}
	if !strings.Contains(srv.Log(), "at 10.1.1.10:8443") || !strings.Contains(srv.Log(), "mode=proxy") {
		t.Error("the server's log does not show a proxied flow delivered to the target")
	}

	// A wrong token is not the instance.
	bad := []string{"sh", "-c", `exec curl -s -o /dev/null -w '%{http_code}' -m 5 -x "http://` + client + `:wrong@${HTTP_PROXY##*@}" "$0"`, url}
	if out, _ := consumer.proxied(client, nil, bad...).Output(); string(out) != "407" {
		t.Errorf("a wrong token: status %q, want 407", out)
	}

	cons.ok(t, "ec2", "revoke-security-group-ingress", "--group-id", esg, "--protocol", "tcp", "--port", "443", "--cidr", "10.2.0.0/16")
	for _, args := range [][]string{{url}, {"--proxytunnel", url}} {
		if status, code := consumer.proxiedCurl(client, 3*time.Second, args...); code != 28 {
			t.Errorf("curl -m 3 %s after the endpoint's rule is revoked: exit %d (status %q), want 28 (timed out)", strings.Join(args, " "), code, status)
		}
	}
	if !strings.Contains(srv.Log(), "verdict=\"blocked: ENI_SG_RULES_MISMATCH\"") {
		t.Error("the server's log does not say why the proxied flow was dropped")
	}
}

// TestDataPlaneProxyInternet: in proxy mode, an instance reaches the
// internet's stand-ins (by address and by name, through the internet
// gateway) only once its route table sends it there; an internet address
// nobody stands in for is refused.
func TestDataPlaneProxyInternet(t *testing.T) {
	t.Parallel()
	needsProxyMode(t)
	standIn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "from the stand-in") }))
	t.Cleanup(standIn.Close)
	local := strings.TrimPrefix(standIn.URL, "http://")
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--internet", "203.0.113.10:80="+local, "--internet", "api.example.com:443="+local)
	cli := newAWSCLI(t, srv.URL, accountA)
	vpc := cli.ok(t, "ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	subnet := cli.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.1.0/24", "--query", "Subnet.SubnetId", "--output", "text")
	igw := cli.ok(t, "ec2", "create-internet-gateway", "--query", "InternetGateway.InternetGatewayId", "--output", "text")
	cli.ok(t, "ec2", "attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc)
	rtb := cli.ok(t, "ec2", "describe-route-tables", "--filters", "Name=vpc-id,Values="+vpc, "--query", "RouteTables[0].RouteTableId", "--output", "text")
	web := cli.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", subnet, "--associate-public-ip-address", "--query", "Instances[0].InstanceId", "--output", "text")
	p := player{t: t, url: srv.URL, account: accountA, proxy: true}

	if _, code := p.curl(web, "http://203.0.113.10/", 2*time.Second); code != 28 {
		t.Errorf("no route to the internet gateway: curl exit %d, want 28 (dropped)", code)
	}
	cli.ok(t, "ec2", "create-route", "--route-table-id", rtb, "--destination-cidr-block", "0.0.0.0/0", "--gateway-id", igw)
	cases := []struct {
		name string
		argv []string
	}{
		{"by address", []string{"curl", "-s", "-m", "5", "http://203.0.113.10/"}},
		// The name resolves in the VPC (the stand-in's address), through a
		// CONNECT tunnel to its port 443 (which the stand-in serves in
		// plain HTTP here).
		{"by name through a tunnel", []string{"curl", "-s", "-m", "5", "--proxytunnel", "http://api.example.com:443/"}},
	}
	for _, tc := range cases {
		if out, err := p.cmd(web, tc.argv...).Output(); err != nil || string(out) != "from the stand-in" {
			t.Errorf("%s: %q (%v)", tc.name, out, err)
		}
	}
	if status, code := p.curl(web, "http://198.51.100.7/", 5*time.Second); status != "502" {
		t.Errorf("an internet address without a stand-in: status %q (curl exit %d), want the proxy's 502 (refused)", status, code)
	}
}

// TestDataPlaneProxyMixed: the two modes carry flows between each other:
// a proxied curl reaches a server in a namespace, and a curl in a
// namespace reaches a server a proxy-mode run listens for. In proxy mode
// several processes may play one instance (each a client of the proxy).
func TestDataPlaneProxyMixed(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--log-level", "debug")
	cli := newAWSCLI(t, srv.URL, accountA)
	w := newWebVPC(t, cli, "8080")
	inNS, inNSIP := w.launch("--security-group-ids", w.web)
	proxied, proxiedIP := w.launch("--security-group-ids", w.web)
	client, _ := w.launch("--security-group-ids", w.web) // a second process in a namespace (one plays each instance there)
	transparent := player{t: t, url: srv.URL, account: accountA}
	proxy := player{t: t, url: srv.URL, account: accountA, proxy: true}

	transparent.serve(inNS, "python3", "-m", "http.server", "8080")
	port := strconv.Itoa(freePort(t))
	cmd := proxy.proxied(proxied, []string{"--listen", "8080=127.0.0.1:" + port}, "python3", "-m", "http.server", port, "--bind", "127.0.0.1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })

	transparent.waitServing(client, "http://"+proxiedIP+":8080/") // in a namespace, to the proxied server
	proxy.waitServing(proxied, "http://"+inNSIP+":8080/")         // proxied (a second process as the instance), to the server in a namespace
	// By its host name's first label, in the search domain, as in a
	// namespace.
	host := "ip-" + strings.ReplaceAll(inNSIP, ".", "-")
	if status, code := proxy.curl(proxied, "http://"+host+":8080/", 5*time.Second); status != "200" {
		t.Errorf("proxied, to %s: status %q (curl exit %d)", host, status, code)
	}
}

// TestDataPlaneProxyIPv6: in proxy mode a flow to an IPv6 address comes
// from the instance's IPv6 address, and reaches a proxied server as its
// instance's port.
func TestDataPlaneProxyIPv6(t *testing.T) {
	t.Parallel()
	needsProxyMode(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory")
	cli := newAWSCLI(t, srv.URL, accountA)
	net6 := newDualStack(t, cli) // only IPv6 sources: a flow from the client's IPv4 address would be dropped
	client, _ := net6.launch()
	server, serverIP := net6.launch()
	p := player{t: t, url: srv.URL, account: accountA, proxy: true}
	p.serveHTTP(server, 8080)
	p.waitServing(client, "http://["+serverIP+"]:8080/")
}
