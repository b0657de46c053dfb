package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cost"
)

// onPremises runs argv as a host on premises at addr behind the private
// VIF via.
func (p player) onPremises(addr, via string, argv ...string) *exec.Cmd {
	return p.vpcemu(append([]string{"run", "--on-premises", addr, "--via", via, "--"}, argv...)...)
}

// TestDataPlaneOnPremises: a host on premises behind a private Direct
// Connect VIF, played by real processes. Its curl reaches a Python server
// playing an instance, as `vpcemu analyze --via` says; the VIF taken down
// drops it (curl times out) until it is up again; the instance reaches a
// server on premises, and an address on premises no process plays does
// not answer; the same in proxy mode; UDP from on premises to an echo
// server is carried too; its DNS answers the public view;
// bad input is refused; `vpcemu cost` prices the bytes that left for on
// premises as Direct Connect data out at the VIF's location, and the
// server's flow log records the flow.
func TestDataPlaneOnPremises(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--log-level", "debug")
	cli := newAWSCLI(t, srv.URL, accountA)
	network := newWebVPC(t, cli, "8000")
	cli.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", network.web, "--protocol", "tcp", "--port", "8000", "--cidr", "192.168.0.0/16")

	conn := cli.ok(t, "directconnect", "create-connection", "--location", "EqDC2", "--bandwidth", "10Gbps", "--connection-name", "primary", "--query", "connectionId", "--output", "text")
	gw := cli.ok(t, "directconnect", "create-direct-connect-gateway", "--direct-connect-gateway-name", "corp", "--amazon-side-asn", "64600",
		"--query", "directConnectGateway.directConnectGatewayId", "--output", "text")
	vif := cli.ok(t, "directconnect", "create-private-virtual-interface", "--connection-id", conn,
		"--new-private-virtual-interface", "virtualInterfaceName=corp,vlan=101,asn=65000,directConnectGatewayId="+gw, "--query", "virtualInterfaceId", "--output", "text")
	vgw := cli.ok(t, "ec2", "create-vpn-gateway", "--type", "ipsec.1", "--query", "VpnGateway.VpnGatewayId", "--output", "text")
	cli.ok(t, "ec2", "attach-vpn-gateway", "--vpn-gateway-id", vgw, "--vpc-id", network.vpc)
	cli.ok(t, "directconnect", "create-direct-connect-gateway-association", "--direct-connect-gateway-id", gw, "--gateway-id", vgw)
	main := cli.ok(t, "ec2", "describe-route-tables", "--filters", "Name=vpc-id,Values="+network.vpc, "Name=association.main,Values=true",
		"--query", "RouteTables[0].RouteTableId", "--output", "text")
	cli.ok(t, "ec2", "enable-vgw-route-propagation", "--route-table-id", main, "--gateway-id", vgw)

	cli.ok(t, "logs", "create-log-group", "--log-group-name", "/vpc/onprem")
	cli.ok(t, "ec2", "create-flow-logs", "--resource-type", "VPC", "--resource-ids", network.vpc, "--traffic-type", "ALL",
		"--log-group-name", "/vpc/onprem", "--deliver-logs-permission-arn", "arn:aws:iam::"+accountA+":role/x")

	p := player{t: t, url: srv.URL, account: accountA}
	if out, err := p.vpcemu("dx", "advertise", vif, "192.168.0.0/16").CombinedOutput(); err != nil {
		t.Fatalf("vpcemu dx advertise: %v\n%s", err, out)
	}

	// An instance serving a 1 MiB file on 8000.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "blob"), make([]byte, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	server, serverIP := network.launch("--security-group-ids", network.web)
	client, _ := network.launch()
	p.serve(server, "python3", "-m", "http.server", "8000", "--directory", dir)
	url := "http://" + serverIP + ":8000/blob"
	curl := func(addr string, limit string, url string) (string, int) {
		return curlFrom(t, p.onPremises(addr, vif, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", limit, url))
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		status, code := curl("192.168.1.10", "2", url)
		if status == "200" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("on premises does not reach %s: status %q, curl exit %d\n%s", url, status, code, srv.Log())
		}
		time.Sleep(300 * time.Millisecond)
	}
	if out, err := p.vpcemu("analyze", "--from", "192.168.1.10", "--via", vif, "--to", serverIP, "--port", "8000").Output(); err != nil || !strings.Contains(string(out), "reachable") {
		t.Errorf("vpcemu analyze disagrees with the data plane: %v\n%s", err, out)
	}
	if _, code := curl("192.168.1.10", "2", "http://"+serverIP+":8001/"); code != 28 {
		t.Errorf("a port the group does not open: curl exit %d, want 28 (dropped)", code)
	}

	// The VIF's BGP down: dropped, as analyze says; up again: carried.
	if out, err := p.vpcemu("dx", "set-state", vif, "down").CombinedOutput(); err != nil {
		t.Fatalf("vpcemu dx set-state: %v\n%s", err, out)
	}
	if _, code := curl("192.168.1.10", "2", url); code != 28 {
		t.Errorf("with the VIF down: curl exit %d, want 28 (timed out)", code)
	}
	if out, _ := p.vpcemu("analyze", "--from", "192.168.1.10", "--via", vif, "--to", serverIP, "--port", "8000").Output(); !strings.Contains(string(out), "VPCEMU_DX_VIF_DOWN") {
		t.Errorf("vpcemu analyze with the VIF down:\n%s", out)
	}
	if out, err := p.vpcemu("dx", "set-state", vif, "available").CombinedOutput(); err != nil {
		t.Fatalf("vpcemu dx set-state: %v\n%s", err, out)
	}
	if status, code := curl("192.168.1.10", "5", url); status != "200" {
		t.Errorf("with the VIF up again: status %q, curl exit %d", status, code)
	}

	// The other way: the instance reaches a server on premises; an
	// address nobody plays there does not answer.
	startBackground(t, p.onPremises("192.168.1.20", vif, "python3", "-m", "http.server", "9000"))
	onPremURL := "http://192.168.1.20:9000/"
	deadline = time.Now().Add(20 * time.Second)
	for {
		status, code := p.curl(client, onPremURL, 2*time.Second)
		if status == "200" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the instance does not reach %s: status %q, curl exit %d", onPremURL, status, code)
		}
		time.Sleep(300 * time.Millisecond)
	}
	if _, code := p.curl(client, "http://192.168.1.99:9000/", 2*time.Second); code != 28 {
		t.Errorf("an address on premises no process plays: curl exit %d, want 28 (no answer)", code)
	}
	if _, code := p.curl(client, "http://192.168.1.20:9001/", 5*time.Second); code != 7 {
		t.Errorf("a port the host on premises does not listen on: curl exit %d, want 7 (refused)", code)
	}
	// An instance in proxy mode reaches it the same way.
	proxied := p
	proxied.proxy = true
	if status, code := proxied.curl(client, onPremURL, 5*time.Second); status != "200" {
		t.Errorf("in proxy mode, the instance reaches on premises: status %q, curl exit %d", status, code)
	}
	if _, code := proxied.curl(client, "http://192.168.1.99:9000/", 2*time.Second); code != 28 {
		t.Errorf("in proxy mode, an address on premises no process plays: curl exit %d, want 28", code)
	}

	// Hosts on premises in proxy mode: a client through the proxy, and a
	// server the instance reaches on the port it listens with.
	status, code := curlFrom(t, p.vpcemu("run", "--proxy", "--on-premises", "192.168.1.30", "--via", vif, "--",
		"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", "5", url))
	if status != "200" {
		t.Errorf("on premises in proxy mode: status %q, curl exit %d", status, code)
	}
	local := strconv.Itoa(freePort(t))
	startBackground(t, p.vpcemu("run", "--proxy", "--on-premises", "192.168.1.40", "--via", vif, "--listen", "9000=127.0.0.1:"+local, "--",
		"python3", "-m", "http.server", local, "--bind", "127.0.0.1"))
	deadline = time.Now().Add(20 * time.Second)
	for {
		status, code := p.curl(client, "http://192.168.1.40:9000/", 2*time.Second)
		if status == "200" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the instance does not reach the proxied host on premises: status %q, curl exit %d", status, code)
		}
		time.Sleep(300 * time.Millisecond)
	}
	if _, code := p.curl(client, "http://192.168.1.40:9001/", 5*time.Second); code != 7 {
		t.Errorf("a port the proxied host on premises does not serve: curl exit %d, want 7 (refused)", code)
	}

	// UDP: on premises asks an echo server the instance plays on 5353,
	// which the group opens to on premises.
	cli.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", network.web, "--protocol", "udp", "--port", "5353", "--cidr", "192.168.0.0/16")
	udpServer, udpIP := network.launch("--security-group-ids", network.web)
	p.serve(udpServer, "python3", "-c", strings.Replace(udpEchoScript, `"127.0.0.1"`, `"0.0.0.0"`, 1), "5353")
	deadline = time.Now().Add(20 * time.Second)
	for {
		out, err := p.onPremises("192.168.1.10", vif, "python3", "-c", udpAskScript, udpIP, "5353", "hello").Output()
		if err == nil && strings.TrimSpace(string(out)) == "echo hello" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("UDP from on premises: %v %q", err, out)
		}
		time.Sleep(300 * time.Millisecond)
	}

	// DNS on premises: the public view, from the customer router's address.
	if out, err := p.onPremises("192.168.1.10", vif, "getent", "hosts", "s3.us-east-1.amazonaws.com").Output(); err != nil || !strings.Contains(string(out), "s3.us-east-1.amazonaws.com") {
		t.Errorf("an AWS service's name on premises: %v %q", err, out)
	}

	// Bad input.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--on-premises", "192.168.1.30", "--via", "dxvif-00000000", "--", "true"}, "DirectConnectClientException"},
		{[]string{"run", "--on-premises", "10.0.1.50", "--via", vif, "--", "true"}, "inside " + network.vpc},
		{[]string{"run", "--on-premises", "192.168.1.20", "--via", vif, "--", "true"}, "already played"},
		{[]string{"run", "--proxy", "--on-premises", "10.0.1.50", "--via", vif, "--", "true"}, "inside " + network.vpc},
		{[]string{"run", "--on-premises", "192.168.1.30", "--", "true"}, "go together"},
	} {
		out, err := p.vpcemu(tc.args...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), tc.want) {
			t.Errorf("vpcemu %s: %v, want an error saying %q:\n%s", strings.Join(tc.args, " "), err, tc.want, out)
		}
	}

	// The window closes on the minute: the MiB the instance sent on
	// premises, twice, is Direct Connect data out, from us-east-1 to EqDC2.
	deadline = time.Now().Add(150 * time.Second)
	for {
		var gb float64
		a := costOf(t, p, "--account", accountA)
		for _, l := range a.Bill.Lines {
			if l.What == "DX data transfer out to EqDC2" {
				gb += l.Quantity
			}
		}
		if gb*cost.GiB >= 2<<20 { // two downloads of a MiB at least
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no Direct Connect data out for the metered bytes (%.6f GB): %v", gb, charges(a.Bill))
		}
		time.Sleep(3 * time.Second)
	}
	// The same window's records: the server's interface logged the
	// request from on premises in, and its reply out.
	in := regexp.MustCompile(`\b192\.168\.1\.10 ` + regexp.QuoteMeta(serverIP) + ` \d+ 8000 6 \d+ \d+ \d+ \d+ ACCEPT OK`)
	out := regexp.MustCompile(regexp.QuoteMeta(serverIP) + ` 192\.168\.1\.10 8000 \d+ 6 \d+ \d+ \d+ \d+ ACCEPT OK`)
	deadline = time.Now().Add(10 * time.Second) // the meters are read before the records are delivered
	for {
		events := cli.ok(t, "logs", "filter-log-events", "--log-group-name", "/vpc/onprem", "--query", "events[].message", "--output", "text")
		if in.MatchString(events) && out.MatchString(events) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no ACCEPT records of the flow from on premises on the server's interface:\n%s", events)
		}
		time.Sleep(time.Second)
	}
}
