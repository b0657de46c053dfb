package e2e

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/dataplane"
)

// needsDataPlane skips a test where `vpcemu run` cannot work: off Linux,
// without root, without TUN devices, curl or python3.
func needsDataPlane(t *testing.T) {
	t.Helper()
	switch {
	case runtime.GOOS != "linux":
		t.Skip("the data plane's transparent mode needs Linux")
	case os.Geteuid() != 0:
		t.Skip("vpcemu run needs root for network namespaces and TUN devices")
	}
	if _, err := os.Stat("/dev/net/tun"); err != nil {
		t.Skip("no /dev/net/tun: ", err)
	}
	for _, tool := range []string{"curl", "python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH", tool)
		}
	}
}

// player runs processes as instances of one account against a server, in
// region (the tests' default when empty), in proxy mode when proxy is set.
type player struct {
	t       *testing.T
	url     string
	account string
	region  string
	proxy   bool
}

func (p player) cmd(instance string, argv ...string) *exec.Cmd {
	run := []string{"run", "--instance", instance, "--"}
	if p.proxy {
		run = append([]string{"run", "--proxy"}, run[1:]...)
	}
	return p.vpcemu(append(run, argv...)...)
}

// vpcemu is a vpcemu command asking the server as the player's account.
func (p player) vpcemu(args ...string) *exec.Cmd {
	cmd := Command(p.t, args...)
	r := p.region
	if r == "" {
		r = region
	}
	cmd.Env = append(cmd.Env, "AWS_ENDPOINT_URL="+p.url, "AWS_ACCESS_KEY_ID="+p.account, "AWS_SECRET_ACCESS_KEY=x", "AWS_DEFAULT_REGION="+r)
	return cmd
}

// startBackground starts cmd until the test ends.
func startBackground(t *testing.T, cmd *exec.Cmd) {
	var log logBuffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM) // vpcemu run passes it on to its command
		cmd.Wait()
		if t.Failed() {
			t.Logf("%s:\n%s", strings.Join(cmd.Args, " "), log.String())
		}
	})
}

// serve starts a process playing instance (a server), stopped when the
// test ends.
func (p player) serve(instance string, argv ...string) {
	cmd := p.cmd(instance, argv...)
	startBackground(p.t, cmd)
}

// serveHTTP starts a Python HTTP server playing instance on port: in its
// namespace, or in proxy mode on a loopback port of its own, which the run
// listens with as the instance's port.
func (p player) serveHTTP(instance string, port int) {
	if !p.proxy {
		p.serve(instance, "python3", "-m", "http.server", strconv.Itoa(port))
		return
	}
	local := strconv.Itoa(freePort(p.t))
	cmd := p.vpcemu("run", "--proxy", "--instance", instance, "--listen", strconv.Itoa(port)+"=127.0.0.1:"+local, "--",
		"python3", "-m", "http.server", local, "--bind", "127.0.0.1")
	startBackground(p.t, cmd)
}

// curl fetches url as instance with a time limit, and returns the HTTP
// status it printed and curl's exit status (7: refused, 28: timed out).
func (p player) curl(instance, url string, limit time.Duration) (string, int) {
	p.t.Helper()
	return curlFrom(p.t, p.cmd(instance, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", strings.TrimSuffix(limit.String(), "s"), url))
}

// curlFrom fetches url from cmd's namespace (a `vpcemu run … -- curl`
// command line), and returns the HTTP status and curl's exit status.
func curlFrom(t *testing.T, cmd *exec.Cmd) (string, int) {
	t.Helper()
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(out), exit.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(out), 0
}

// pingScript sends one ICMP echo request to argv[1] from a raw socket and
// prints the reply's source; it exits 1 when none comes in 2 seconds.
// (ping itself is not on every machine.)
const pingScript = `
import socket, struct, sys
def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
body = struct.pack('!BBHHH', 8, 0, 0, 0x7663, 1) + b'vpcemu'
body = struct.pack('!BBHHH', 8, 0, csum(body), 0x7663, 1) + b'vpcemu'
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.settimeout(2)
s.sendto(body, (sys.argv[1], 0))
try:
    while True:
        data, addr = s.recvfrom(1500)
        ihl = (data[0] & 15) * 4
        kind, _, _, ident, _ = struct.unpack('!BBHHH', data[ihl:ihl + 8])
        if kind == 0 and ident == 0x7663:
            print(addr[0]); break
except socket.timeout:
    sys.exit(1)
`

// ping pings addr as instance and reports whether a reply came, and from
// where.
func (p player) ping(instance, addr string) (string, bool) {
	out, err := p.cmd(instance, "python3", "-c", pingScript, addr).Output()
	return strings.TrimSpace(string(out)), err == nil
}

// waitServing polls url as instance until it answers 200.
func (p player) waitServing(instance, url string) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		status, _ := p.curl(instance, url, 2*time.Second)
		if status == "200" {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s did not come to serve %s (last status %q)", instance, url, status)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestDataPlaneInstances: real processes play two instances of a VPC; a
// curl reaches a Python server as the security group allows, times out
// when a rule is missing or revoked (the packet is dropped), comes through
// again once it is authorized, and is refused by an instance whose process
// does not listen on the port, or that no process plays.
func TestDataPlaneInstances(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--log-level", "debug")
	cli := newAWSCLI(t, srv.URL, accountA)
	network := newWebVPC(t, cli, "8080-8081")
	web := network.web
	client, _ := network.launch()
	server, serverIP := network.launch("--security-group-ids", web)
	_, idleIP := network.launch("--security-group-ids", web)

	p := player{t: t, url: srv.URL, account: accountA}
	p.serve(server, "python3", "-m", "http.server", "8080")
	url := "http://" + serverIP + ":8080/"
	p.waitServing(client, url)

	if status, code := p.curl(client, "http://"+serverIP+":9090/", 2*time.Second); code != 28 {
		t.Errorf("a port the group does not open: curl exit %d (status %q), want 28 (timed out: dropped)", code, status)
	}
	if _, code := p.curl(client, "http://"+serverIP+":8081/", 5*time.Second); code != 7 {
		t.Errorf("an open port nothing listens on: curl exit %d, want 7 (refused)", code)
	}
	if _, code := p.curl(client, "http://"+idleIP+":8080/", 5*time.Second); code != 7 {
		t.Errorf("an instance no process plays: curl exit %d, want 7 (refused)", code)
	}

	cli.ok(t, "ec2", "revoke-security-group-ingress", "--group-id", web, "--protocol", "tcp", "--port", "8080-8081", "--cidr", "10.0.0.0/16")
	if _, code := p.curl(client, url, 2*time.Second); code != 28 {
		t.Errorf("after the rule is revoked: curl exit %d, want 28", code)
	}
	cli.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", web, "--protocol", "tcp", "--port", "8080", "--source-group", web)
	if _, code := p.curl(client, url, 2*time.Second); code != 28 {
		t.Errorf("a rule for another group's members: curl exit %d, want 28", code)
	}
	eni := cli.ok(t, "ec2", "describe-instances", "--instance-ids", client, "--query", "Reservations[0].Instances[0].NetworkInterfaces[0].NetworkInterfaceId", "--output", "text")
	cli.ok(t, "ec2", "modify-network-interface-attribute", "--network-interface-id", eni, "--groups", web)
	if status, code := p.curl(client, url, 5*time.Second); status != "200" {
		t.Errorf("once the client is in the group: status %q (curl exit %d), want 200", status, code)
	}
	if !strings.Contains(srv.Log(), "verdict=\"blocked: ENI_SG_RULES_MISMATCH\"") {
		t.Error("the server's log does not say why a flow was dropped")
	}

	// Ping: dropped until the group lets ICMP in; then the server's kernel
	// answers, and an instance no process plays answers too, as a host.
	if from, ok := p.ping(client, serverIP); ok {
		t.Errorf("a ping the group does not let in was answered (by %s)", from)
	}
	cli.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", web, "--ip-permissions", "IpProtocol=icmp,FromPort=-1,ToPort=-1,IpRanges=[{CidrIp=10.0.0.0/16}]")
	for _, ip := range []string{serverIP, idleIP} {
		if from, ok := p.ping(client, ip); !ok || from != ip {
			t.Errorf("ping %s: answered %v by %q", ip, ok, from)
		}
	}
}

// TestDataPlanePrivateLink: seed 004 with real processes, in two accounts:
// the consumer's curl reaches its interface endpoint's address, and through
// the provider's NLB the provider's Python server, which sees the NLB's
// address; before the provider accepts the connection, nothing gets
// through.
func TestDataPlanePrivateLink(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--log-level", "debug")
	pl := newPrivateLink(t, srv.URL, true)

	provider := player{t: t, url: srv.URL, account: accountA}
	logFile := t.TempDir() + "/access.log"
	provider.serve(pl.server, "sh", "-c", "exec python3 -m http.server 8443 2> "+logFile)
	consumer := player{t: t, url: srv.URL, account: accountB}
	url := "http://" + pl.endpointIP + ":443/"
	if _, code := consumer.curl(pl.client, url, 2*time.Second); code != 28 {
		t.Errorf("before the provider accepts: curl exit %d, want 28 (dropped)", code)
	}
	pl.prov.ok(t, "ec2", "accept-vpc-endpoint-connections", "--service-id", pl.svcID, "--vpc-endpoint-ids", pl.endpointID)
	consumer.waitServing(pl.client, url)
	log, _ := os.ReadFile(logFile)
	if !strings.Contains(string(log), "10.1.1.") || strings.Contains(string(log), "10.2.1.") {
		t.Errorf("the provider's server should see the NLB's address; its log:\n%s", log)
	}
	if !strings.Contains(srv.Log(), "at 10.1.1.10:8443") {
		t.Error("the server's log does not show the flow delivered to the target")
	}

	// Seed 004's custom private zone: the consumer names the service
	// svc.internal.example.com, an alias to its endpoint. The process's
	// resolver (the VPC's, at base + 2), `vpcemu dig` and the engine agree.
	entry := pl.cons.ok(t, "ec2", "describe-vpc-endpoints", "--vpc-endpoint-ids", pl.endpointID, "--query", "VpcEndpoints[0].DnsEntries[0].[DnsName,HostedZoneId]", "--output", "text")
	epName, epZone, _ := strings.Cut(entry, "\t")
	zone := pl.cons.ok(t, "route53", "create-hosted-zone", "--name", "internal.example.com", "--caller-reference", "dp", "--vpc", "VPCRegion=us-east-1,VPCId="+pl.cvpc, "--query", "HostedZone.Id", "--output", "text")
	batch := t.TempDir() + "/batch.json"
	os.WriteFile(batch, []byte(`{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"svc.internal.example.com","Type":"A","AliasTarget":{"HostedZoneId":"`+epZone+`","DNSName":"`+epName+`","EvaluateTargetHealth":false}}}]}`), 0o600)
	pl.cons.ok(t, "route53", "change-resource-record-sets", "--hosted-zone-id", zone, "--change-batch", "file://"+batch)
	lookup := func() string {
		out, _ := consumer.cmd(pl.client, "getent", "hosts", "svc.internal.example.com").Output()
		return strings.Join(strings.Fields(string(out)), " ")
	}
	if got := lookup(); got != "" {
		t.Errorf("private zones need enableDnsHostnames; getent found %q", got)
	}
	pl.cons.ok(t, "ec2", "modify-vpc-attribute", "--vpc-id", pl.cvpc, "--enable-dns-hostnames")
	if got := lookup(); got != pl.endpointIP+" svc.internal.example.com" {
		t.Errorf("getent hosts svc.internal.example.com in the consumer's namespace: %q, want the endpoint's %s", got, pl.endpointIP)
	}
	if out, err := consumer.vpcemu("dig", "--vpc", pl.cvpc, "--short", "svc.internal.example.com").Output(); err != nil || strings.TrimSpace(string(out)) != pl.endpointIP {
		t.Errorf("vpcemu dig: %q (%v), want %s", out, err, pl.endpointIP)
	}
	if status, code := consumer.curl(pl.client, "http://svc.internal.example.com:443/", 5*time.Second); status != "200" {
		t.Errorf("curl by the private zone's name: status %q (exit %d)", status, code)
	}
}

// echoServer answers each line with itself, one connection at a time, on
// port 7000 (or argv[1]:argv[2]).
const echoServer = `
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])) if len(sys.argv) > 2 else ('0.0.0.0', 7000)); s.listen()
while True:
    c, _ = s.accept()
    f = c.makefile('rwb', buffering=0)
    for line in f:
        f.write(line)
`

// phasedClient holds one connection to argv[1]:7000 (through a CONNECT
// tunnel of HTTP_PROXY's when it is set) and, at each phase (when the file
// argv[2]+N appears), sends a line and says whether the echo came back in
// 2 seconds.
const phasedClient = `
import base64, os, socket, sys, time, urllib.parse
def connect(host, port):
    proxy = os.environ.get('HTTP_PROXY')
    if not proxy:
        return socket.create_connection((host, port), timeout=5)
    u = urllib.parse.urlsplit(proxy)
    c = socket.create_connection((u.hostname, u.port), timeout=5)
    auth = base64.b64encode(('%s:%s' % (u.username, u.password)).encode()).decode()
    c.sendall(('CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\nProxy-Authorization: Basic %s\r\n\r\n' % (host, port, host, port, auth)).encode())
    head = b''
    while not head.endswith(b'\r\n\r\n'):
        head += c.recv(1)
    if b' 200 ' not in head.split(b'\r\n')[0]:
        sys.exit('CONNECT: ' + head.decode())
    return c
c = connect(sys.argv[1], 7000)
for phase in range(1, 4):
    while not os.path.exists(sys.argv[2] + str(phase)):
        time.sleep(0.05)
    c.settimeout(2)
    c.sendall(b'%d\n' % phase)
    try:
        got = c.recv(100)
        print('phase', phase, 'echoed' if got else 'closed', flush=True)
    except socket.timeout:
        print('phase', phase, 'timed out', flush=True)
`

// TestDataPlaneStatefulness: a connection carried once stays carried when
// a security group rule is taken away (security groups track
// connections), and stalls at once when a network ACL denies its packets
// (ACLs are stateless: they apply to the next packet).
func TestDataPlaneStatefulness(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	testStatefulness(t, false)
}

// TestDataPlaneStatefulnessProxy: the same in proxy mode, through a
// CONNECT tunnel to a server a proxy-mode run listens for.
func TestDataPlaneStatefulnessProxy(t *testing.T) {
	t.Parallel()
	needsProxyMode(t)
	testStatefulness(t, true)
}

func testStatefulness(t *testing.T, proxy bool) {
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--log-level", "debug")
	cli := newAWSCLI(t, srv.URL, accountA)
	vpc := cli.ok(t, "ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	subnet := cli.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.1.0/24", "--query", "Subnet.SubnetId", "--output", "text")
	other := cli.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.2.0/24", "--query", "Subnet.SubnetId", "--output", "text")
	sg := cli.ok(t, "ec2", "create-security-group", "--vpc-id", vpc, "--group-name", "echo", "--description", "echo", "--query", "GroupId", "--output", "text")
	cli.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", sg, "--protocol", "tcp", "--port", "7000", "--cidr", "10.0.0.0/16")
	server, serverIP, _ := strings.Cut(cli.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", subnet, "--security-group-ids", sg,
		"--query", "Instances[0].[InstanceId,PrivateIpAddress]", "--output", "text"), "\t")
	client := cli.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", other, "--query", "Instances[0].InstanceId", "--output", "text")
	acl := cli.ok(t, "ec2", "describe-network-acls", "--filters", "Name=vpc-id,Values="+vpc, "Name=default,Values=true", "--query", "NetworkAcls[0].NetworkAclId", "--output", "text")

	p := player{t: t, url: srv.URL, account: accountA, proxy: proxy}
	if proxy {
		local := strconv.Itoa(freePort(t))
		cmd := p.vpcemu("run", "--proxy", "--instance", server, "--listen", "7000=127.0.0.1:"+local, "--", "python3", "-c", echoServer, "127.0.0.1", local)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	} else {
		p.serve(server, "python3", "-c", echoServer)
	}
	phases := t.TempDir() + "/phase"
	var lines []string
	for try := 0; ; try++ { // until the server listens
		os.WriteFile(phases+"1", nil, 0o600)
		cmd := p.cmd(client, "python3", "-c", phasedClient, serverIP, phases)
		pipe, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		out := bufio.NewReader(pipe)
		first, _ := out.ReadString('\n')
		if strings.HasPrefix(first, "phase 1 echoed") {
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			// vpcemu flows shows the held connection, metered.
			listed, err := p.vpcemu("flows", "--json").Output()
			var list dataplane.FlowList
			if err != nil || json.Unmarshal(listed, &list) != nil || len(list.Flows) != 1 {
				t.Fatalf("vpcemu flows: %s (%v)", listed, err)
			}
			if f := list.Flows[0]; f.Instance != client || f.To != server || f.Delivered != serverIP+":7000" || f.BytesOut != 2 || f.BytesIn != 2 || len(f.Path) < 4 {
				t.Errorf("vpcemu flows: %+v", f)
			}
			next := func(phase string, change func()) string {
				change()
				os.WriteFile(phases+phase, nil, 0o600)
				line, _ := out.ReadString('\n')
				return strings.TrimSpace(line)
			}
			lines = append(lines,
				next("2", func() {
					cli.ok(t, "ec2", "revoke-security-group-ingress", "--group-id", sg, "--protocol", "tcp", "--port", "7000", "--cidr", "10.0.0.0/16")
				}),
				next("3", func() {
					cli.ok(t, "ec2", "create-network-acl-entry", "--network-acl-id", acl, "--rule-number", "50", "--protocol", "tcp", "--port-range", "From=7000,To=7000",
						"--cidr-block", "0.0.0.0/0", "--rule-action", "deny", "--ingress")
				}))
			break
		}
		cmd.Process.Kill()
		cmd.Wait()
		if try == 40 {
			t.Fatalf("the echo server never answered: %q", first)
		}
		time.Sleep(250 * time.Millisecond)
	}
	if lines[0] != "phase 2 echoed" {
		t.Errorf("after the security group rule is revoked, the tracked connection: %q, want it still carried", lines[0])
	}
	if lines[1] != "phase 3 timed out" {
		t.Errorf("after the network ACL denies it: %q, want the next packet dropped", lines[1])
	}
}

// TestDataPlaneInternet: a process in a public subnet reaches a server on
// the internet through the VPC's internet gateway only where the user
// gives a local stand-in for it; another internet address refuses; without
// the route to the gateway, the packet is dropped.
func TestDataPlaneInternet(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	standIn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "from the stand-in") }))
	t.Cleanup(standIn.Close)
	local := strings.TrimPrefix(standIn.URL, "http://")
	udp := upperUDPStandIn(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--log-level", "debug", "--internet", "203.0.113.10:80="+local,
		"--internet", "203.0.113.53:5300="+udp, "--internet", "api.example.com:80="+local)
	cli := newAWSCLI(t, srv.URL, accountA)
	vpc := cli.ok(t, "ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	subnet := cli.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.1.0/24", "--query", "Subnet.SubnetId", "--output", "text")
	igw := cli.ok(t, "ec2", "create-internet-gateway", "--query", "InternetGateway.InternetGatewayId", "--output", "text")
	cli.ok(t, "ec2", "attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc)
	rtb := cli.ok(t, "ec2", "describe-route-tables", "--filters", "Name=vpc-id,Values="+vpc, "--query", "RouteTables[0].RouteTableId", "--output", "text")
	web := cli.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", subnet, "--associate-public-ip-address", "--query", "Instances[0].InstanceId", "--output", "text")
	p := player{t: t, url: srv.URL, account: accountA}

	if _, code := p.curl(web, "http://203.0.113.10/", 2*time.Second); code != 28 {
		t.Errorf("no route to the internet gateway: curl exit %d, want 28 (dropped)", code)
	}
	cli.ok(t, "ec2", "create-route", "--route-table-id", rtb, "--destination-cidr-block", "0.0.0.0/0", "--gateway-id", igw)
	out, err := p.cmd(web, "curl", "-s", "-m", "5", "http://203.0.113.10/").Output()
	if err != nil || string(out) != "from the stand-in" {
		t.Errorf("through the internet gateway to the stand-in: %q (%v)", out, err)
	}
	if _, code := p.curl(web, "http://198.51.100.7/", 5*time.Second); code != 7 {
		t.Errorf("an internet address without a stand-in: curl exit %d, want 7 (refused)", code)
	}
	// A stand-in given by name: the VPC's DNS server answers the name.
	out, err = p.cmd(web, "curl", "-s", "-m", "5", "http://api.example.com/").Output()
	if err != nil || string(out) != "from the stand-in" {
		t.Errorf("a stand-in by name: %q (%v)", out, err)
	}
	out, err = p.cmd(web, "python3", "-c", udpAskScript, "203.0.113.53", "5300", "hello").Output()
	if err != nil || strings.TrimSpace(string(out)) != "HELLO" {
		t.Errorf("UDP through the internet gateway to the stand-in: %q (%v)", out, err)
	}

	// A private subnet gets there through a NAT gateway in the public one.
	private := cli.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.2.0/24", "--query", "Subnet.SubnetId", "--output", "text")
	eip := cli.ok(t, "ec2", "allocate-address", "--domain", "vpc", "--query", "AllocationId", "--output", "text")
	nat := cli.ok(t, "ec2", "create-nat-gateway", "--subnet-id", subnet, "--allocation-id", eip, "--query", "NatGateway.NatGatewayId", "--output", "text")
	privateRT := cli.ok(t, "ec2", "create-route-table", "--vpc-id", vpc, "--query", "RouteTable.RouteTableId", "--output", "text")
	cli.ok(t, "ec2", "associate-route-table", "--route-table-id", privateRT, "--subnet-id", private)
	cli.ok(t, "ec2", "create-route", "--route-table-id", privateRT, "--destination-cidr-block", "0.0.0.0/0", "--nat-gateway-id", nat)
	app, appIP, _ := strings.Cut(cli.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", private,
		"--query", "Instances[0].[InstanceId,PrivateIpAddress]", "--output", "text"), "\t")
	cli.ok(t, "ec2", "wait", "nat-gateway-available", "--nat-gateway-ids", nat)
	// Flow logs on the NAT gateway's interface, in the format of AWS's NAT
	// gateway example, and on its subnet.
	natENI, natIP, _ := strings.Cut(cli.ok(t, "ec2", "describe-nat-gateways", "--nat-gateway-ids", nat,
		"--query", "NatGateways[0].NatGatewayAddresses[0].[NetworkInterfaceId,PrivateIp]", "--output", "text"), "\t")
	role := "arn:aws:iam::" + accountA + ":role/flow-logs"
	cli.ok(t, "logs", "create-log-group", "--log-group-name", "/vpc/nat")
	cli.ok(t, "logs", "create-log-group", "--log-group-name", "/vpc/public")
	cli.ok(t, "ec2", "create-flow-logs", "--resource-type", "NetworkInterface", "--resource-ids", natENI, "--traffic-type", "ALL",
		"--log-group-name", "/vpc/nat", "--deliver-logs-permission-arn", role, "--max-aggregation-interval", "60",
		"--log-format", "${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path} ${action}")
	cli.ok(t, "ec2", "create-flow-logs", "--resource-type", "Subnet", "--resource-ids", subnet, "--traffic-type", "ALL",
		"--log-group-name", "/vpc/public", "--deliver-logs-permission-arn", role)
	out, err = p.cmd(app, "curl", "-s", "-m", "5", "http://203.0.113.10/").Output()
	if err != nil || string(out) != "from the stand-in" {
		t.Errorf("through the NAT gateway to the stand-in: %q (%v)", out, err)
	}

	// The NAT gateway's interface logs the connection four times, as in
	// AWS's example: the request in (to its own address, pkt-dstaddr the
	// server) and out translated, the reply in and out (from its own
	// address, pkt-srcaddr the server).
	want := map[string]bool{
		"- " + natENI + " " + appIP + " " + natIP + " " + appIP + " 203.0.113.10 ingress - ACCEPT": false,
		"- " + natENI + " " + natIP + " 203.0.113.10 " + natIP + " 203.0.113.10 egress 8 ACCEPT":   false,
		"- " + natENI + " 203.0.113.10 " + natIP + " 203.0.113.10 " + natIP + " ingress - ACCEPT":  false,
		"- " + natENI + " " + natIP + " " + appIP + " 203.0.113.10 " + appIP + " egress 1 ACCEPT":  false,
	}
	var events struct {
		Events []struct{ LogStreamName, Message string }
	}
	for deadline := time.Now().Add(150 * time.Second); ; time.Sleep(2 * time.Second) { // the window closes on the minute
		cli.json(t, &events, "logs", "filter-log-events", "--log-group-name", "/vpc/nat", "--log-stream-names", natENI)
		seen := 0
		for _, e := range events.Events {
			if _, ok := want[e.Message]; ok {
				want[e.Message] = true
			}
		}
		for _, ok := range want {
			if ok {
				seen++
			}
		}
		if seen == len(want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the NAT gateway's records: want %v, the log group holds %+v", want, events.Events)
		}
	}
	// The subnet's flow log has them too, in the interface's stream.
	cli.json(t, &events, "logs", "filter-log-events", "--log-group-name", "/vpc/public", "--log-stream-names", natENI, "--filter-pattern",
		`[version, account, eni, source, destination="203.0.113.10", srcport, destport="80", protocol, packets, bytes, windowstart, windowend, action="ACCEPT", flowlogstatus]`)
	if len(events.Events) == 0 || !strings.Contains(events.Events[0].Message, " "+natENI+" "+natIP+" 203.0.113.10 ") {
		t.Errorf("the subnet's flow log of the NAT gateway's interface: %+v", events.Events)
	}
}

// upperUDPStandIn is a UDP stand-in for an internet server on loopback:
// it answers each datagram with it in upper case. It returns its address.
func upperUDPStandIn(t *testing.T) string {
	udp, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { udp.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := udp.ReadFrom(buf)
			if err != nil {
				return
			}
			udp.WriteTo([]byte(strings.ToUpper(string(buf[:n]))), from)
		}
	}()
	return udp.LocalAddr().String()
}

// udpAskScript sends argv[3] to argv[1]:argv[2] over UDP and prints the
// answer; it exits 1 when none comes in 3 seconds.
const udpAskScript = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(sys.argv[3].encode(), (sys.argv[1], int(sys.argv[2])))
try:
    print(s.recvfrom(1500)[0].decode())
except socket.timeout:
    sys.exit(1)
`

// TestDataPlanePeering: a process in one VPC reaches a server in a peered
// VPC once the connection is active and both route tables send each
// other's block across it; before the routes, the packet is dropped.
func TestDataPlanePeering(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	testPeering(t, false)
}

// TestDataPlanePeeringProxy: the same in proxy mode.
func TestDataPlanePeeringProxy(t *testing.T) {
	t.Parallel()
	needsProxyMode(t)
	testPeering(t, true)
}

func testPeering(t *testing.T, proxy bool) {
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--log-level", "debug")
	cli := newAWSCLI(t, srv.URL, accountA)
	side := func(block, subnetBlock string) (vpc, subnet, rtb string) {
		vpc = cli.ok(t, "ec2", "create-vpc", "--cidr-block", block, "--query", "Vpc.VpcId", "--output", "text")
		subnet = cli.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", subnetBlock, "--query", "Subnet.SubnetId", "--output", "text")
		rtb = cli.ok(t, "ec2", "describe-route-tables", "--filters", "Name=vpc-id,Values="+vpc, "--query", "RouteTables[0].RouteTableId", "--output", "text")
		return
	}
	appVPC, appSubnet, appRTB := side("10.10.0.0/16", "10.10.1.0/24")
	dbVPC, dbSubnet, dbRTB := side("10.20.0.0/16", "10.20.1.0/24")
	sg := cli.ok(t, "ec2", "create-security-group", "--vpc-id", dbVPC, "--group-name", "db", "--description", "db", "--query", "GroupId", "--output", "text")
	cli.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", sg, "--protocol", "tcp", "--port", "8080", "--cidr", "10.10.0.0/16")
	server, serverIP, _ := strings.Cut(cli.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", dbSubnet, "--security-group-ids", sg,
		"--query", "Instances[0].[InstanceId,PrivateIpAddress]", "--output", "text"), "\t")
	client := cli.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", appSubnet, "--query", "Instances[0].InstanceId", "--output", "text")
	pcx := cli.ok(t, "ec2", "create-vpc-peering-connection", "--vpc-id", appVPC, "--peer-vpc-id", dbVPC, "--query", "VpcPeeringConnection.VpcPeeringConnectionId", "--output", "text")
	cli.ok(t, "ec2", "accept-vpc-peering-connection", "--vpc-peering-connection-id", pcx)

	p := player{t: t, url: srv.URL, account: accountA, proxy: proxy}
	p.serveHTTP(server, 8080)
	url := "http://" + serverIP + ":8080/"
	if _, code := p.curl(client, url, 2*time.Second); code != 28 {
		t.Errorf("peered, but no routes: curl exit %d, want 28 (dropped)", code)
	}
	cli.ok(t, "ec2", "create-route", "--route-table-id", appRTB, "--destination-cidr-block", "10.20.0.0/16", "--vpc-peering-connection-id", pcx)
	cli.ok(t, "ec2", "create-route", "--route-table-id", dbRTB, "--destination-cidr-block", "10.10.0.0/16", "--vpc-peering-connection-id", pcx)
	p.waitServing(client, url)
}

// TestDataPlaneInterRegionPeering: a VPC in us-east-1 reaches a server in
// a peered VPC of us-west-2 once both tables route across the connection;
// a third VPC peered with the first does not reach it through the first
// (peering is not transitive), whatever its own routes say.
func TestDataPlaneInterRegionPeering(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	testInterRegionPeering(t, false)
}

// TestDataPlaneInterRegionPeeringProxy: the same in proxy mode.
func TestDataPlaneInterRegionPeeringProxy(t *testing.T) {
	t.Parallel()
	needsProxyMode(t)
	testInterRegionPeering(t, true)
}

func testInterRegionPeering(t *testing.T, proxy bool) {
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory")
	cli := newAWSCLI(t, srv.URL, accountA)
	side := func(r, block, subnetBlock string) (vpc, subnet, rtb string) {
		vpc = cli.ok(t, "ec2", "create-vpc", "--region", r, "--cidr-block", block, "--query", "Vpc.VpcId", "--output", "text")
		subnet = cli.ok(t, "ec2", "create-subnet", "--region", r, "--vpc-id", vpc, "--cidr-block", subnetBlock, "--query", "Subnet.SubnetId", "--output", "text")
		rtb = cli.ok(t, "ec2", "describe-route-tables", "--region", r, "--filters", "Name=vpc-id,Values="+vpc, "--query", "RouteTables[0].RouteTableId", "--output", "text")
		return
	}
	appVPC, appSubnet, appRTB := side("us-east-1", "10.10.0.0/16", "10.10.1.0/24")
	dbVPC, dbSubnet, dbRTB := side("us-west-2", "10.20.0.0/16", "10.20.1.0/24")
	edgeVPC, edgeSubnet, edgeRTB := side("us-east-1", "10.30.0.0/16", "10.30.1.0/24")
	sg := cli.ok(t, "ec2", "create-security-group", "--region", "us-west-2", "--vpc-id", dbVPC, "--group-name", "db", "--description", "db", "--query", "GroupId", "--output", "text")
	cli.ok(t, "ec2", "authorize-security-group-ingress", "--region", "us-west-2", "--group-id", sg, "--protocol", "tcp", "--port", "8080", "--cidr", "10.0.0.0/8")
	server, serverIP, _ := strings.Cut(cli.ok(t, "ec2", "run-instances", "--region", "us-west-2", "--image-id", "ami-12345678", "--subnet-id", dbSubnet, "--security-group-ids", sg,
		"--query", "Instances[0].[InstanceId,PrivateIpAddress]", "--output", "text"), "\t")
	app := cli.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", appSubnet, "--query", "Instances[0].InstanceId", "--output", "text")
	edge := cli.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", edgeSubnet, "--query", "Instances[0].InstanceId", "--output", "text")
	cross := cli.ok(t, "ec2", "create-vpc-peering-connection", "--vpc-id", appVPC, "--peer-vpc-id", dbVPC, "--peer-region", "us-west-2", "--query", "VpcPeeringConnection.VpcPeeringConnectionId", "--output", "text")
	cli.ok(t, "ec2", "accept-vpc-peering-connection", "--region", "us-west-2", "--vpc-peering-connection-id", cross)
	local := cli.ok(t, "ec2", "create-vpc-peering-connection", "--vpc-id", edgeVPC, "--peer-vpc-id", appVPC, "--query", "VpcPeeringConnection.VpcPeeringConnectionId", "--output", "text")
	cli.ok(t, "ec2", "accept-vpc-peering-connection", "--vpc-peering-connection-id", local)
	cli.ok(t, "ec2", "create-route", "--route-table-id", appRTB, "--destination-cidr-block", "10.20.0.0/16", "--vpc-peering-connection-id", cross)
	cli.ok(t, "ec2", "create-route", "--region", "us-west-2", "--route-table-id", dbRTB, "--destination-cidr-block", "10.0.0.0/8", "--vpc-peering-connection-id", cross)
	cli.ok(t, "ec2", "create-route", "--route-table-id", edgeRTB, "--destination-cidr-block", "10.20.0.0/16", "--vpc-peering-connection-id", local)

	player{t: t, url: srv.URL, account: accountA, region: "us-west-2", proxy: proxy}.serveHTTP(server, 8080)
	p := player{t: t, url: srv.URL, account: accountA, proxy: proxy}
	url := "http://" + serverIP + ":8080/"
	p.waitServing(app, url)
	if _, code := p.curl(edge, url, 2*time.Second); code != 28 {
		t.Errorf("through the peered VPC (not transitive): curl exit %d, want 28 (dropped)", code)
	}
}

// TestDataPlaneRootless: `vpcemu run` as a user without privileges plays an
// instance through a user namespace (the data plane needs none either):
// its curl reaches a server played by root's run, and its own server
// answers root's curl. A second run of an instance already played says so.
func TestDataPlaneRootless(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	if err := os.Chmod(filepath.Dir(Binary(t)), 0o755); err != nil { // nobody runs it too
		t.Fatal(err)
	}
	probe := exec.Command("unshare", "-Urn", "true")
	probe.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	if out, err := probe.CombinedOutput(); err != nil {
		t.Skipf("this kernel does not let users make user namespaces: %v %s", err, out)
	}
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory")
	cli := newAWSCLI(t, srv.URL, accountA)
	network := newWebVPC(t, cli, "8080")
	launch := func() (string, string) { return network.launch("--security-group-ids", network.web) }
	rootServer, rootIP := launch()
	userServer, userIP := launch()
	client, _ := launch()
	p := player{t: t, url: srv.URL, account: accountA}
	asNobody := func(c *exec.Cmd) *exec.Cmd {
		c.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		c.Dir = os.TempDir()
		c.Env = append(c.Env, "HOME="+os.TempDir())
		return c
	}
	p.serve(rootServer, "python3", "-m", "http.server", "8080")
	p.waitServing(userServer, "http://"+rootIP+":8080/") // as root, from the other instance
	out, err := asNobody(p.cmd(userServer, "sh", "-c", "id -u; curl -s -m 10 -o /dev/null -w '%{http_code}' http://"+rootIP+":8080/")).CombinedOutput()
	if err != nil || !strings.HasSuffix(strings.TrimSpace(string(out)), "200") {
		t.Fatalf("vpcemu run as nobody: %v\n%s", err, out)
	}
	serve := asNobody(p.cmd(userServer, "python3", "-m", "http.server", "8080"))
	startBackground(t, serve)
	p.waitServing(client, "http://"+userIP+":8080/")
	// Played already: a second run of it says so, and ends.
	if out, err := p.cmd(rootServer, "true").CombinedOutput(); err == nil || !strings.Contains(string(out), "already played") {
		t.Errorf("a second run of a played instance: %v %s", err, out)
	}
}

// ping6Script sends one ICMPv6 echo request to argv[1] from a raw socket
// (the kernel computes its checksum) and prints the reply's source; it
// exits 1 when none comes in 2 seconds.
const ping6Script = `
import socket, struct, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.settimeout(2)
s.sendto(struct.pack('!BBHHH', 128, 0, 0, 0x7663, 1) + b'vpcemu', (sys.argv[1], 0))
try:
    while True:
        data, addr = s.recvfrom(1500)
        kind, _, _, ident, _ = struct.unpack('!BBHHH', data[:8])
        if kind == 129 and ident == 0x7663:
            print(addr[0]); break
except socket.timeout:
    sys.exit(1)
`

// TestDataPlaneIPv6: in a dual-stack VPC, instances reach each other over
// IPv6 as their groups allow: ping (ICMPv6 echo) answered by the other
// instance's kernel once an ICMPv6 rule lets it in, dropped before; TCP
// to a server listening on the other's IPv6 address.
func TestDataPlaneIPv6(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory")
	cli := newAWSCLI(t, srv.URL, accountA)
	net6 := newDualStack(t, cli)
	client, _ := net6.launch()
	server, serverIP := net6.launch()
	p := player{t: t, url: srv.URL, account: accountA}
	p.serve(server, "python3", "-m", "http.server", "--bind", "::", "8080")
	p.waitServing(client, "http://["+serverIP+"]:8080/")

	if out, err := p.cmd(client, "python3", "-c", ping6Script, serverIP).Output(); err == nil {
		t.Errorf("ping6 without an ICMPv6 rule: answered by %s, want dropped", out)
	}
	cli.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", net6.sg, "--ip-permissions", `IpProtocol=icmpv6,FromPort=-1,ToPort=-1,Ipv6Ranges=[{CidrIpv6=`+net6.block+`}]`)
	out, err := p.cmd(client, "python3", "-c", ping6Script, serverIP).Output()
	if from := strings.TrimSpace(string(out)); err != nil || netip.MustParseAddr(serverIP) != mustAddr(from) {
		t.Errorf("ping6 with the rule: %q (%v), want an answer from %s", out, err, serverIP)
	}
}

func mustAddr(s string) netip.Addr {
	a, _ := netip.ParseAddr(s)
	return a
}
