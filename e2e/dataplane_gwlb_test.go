package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// applianceScript is a firewall appliance behind a Gateway Load Balancer:
// it takes GENEVE on UDP 6081, logs what is inside (the GWLB endpoint's id
// from AWS's option — its last 16 hex digits — the inner packet's protocol, addresses and ports) to
// argv[1], drops TCP to port 443 and sends everything else back to the
// load balancer as it came.
const applianceScript = `
import socket, struct, sys
log = open(sys.argv[1], 'a', buffering=1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('0.0.0.0', 6081))
while True:
    data, peer = s.recvfrom(65535)
    end = 8 + (data[0] & 63) * 4
    opts, vpce, o = data[8:end], None, 0
    while o + 4 <= len(opts):
        cls, typ, size = struct.unpack('!HBB', opts[o:o + 4])
        if cls == 0x108 and typ == 1:
            vpce = '%016x' % struct.unpack('!Q', opts[o + 4:o + 12])[0]
        o += 4 + (size & 31) * 4
    ip = data[end:]
    ihl = (ip[0] & 15) * 4
    proto, src, dst = ip[9], socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20])
    sport, dport = struct.unpack('!HH', ip[ihl:ihl + 4])
    log.write('%s %d %s:%d > %s:%d\n' % (vpce, proto, src, sport, dst, dport))
    if proto == 6 and dport == 443:
        continue
    s.sendto(data, peer)
`

// TestDataPlaneGatewayLoadBalancer: egress inspection. An app subnet's
// default route goes to a Gateway Load Balancer endpoint, whose subnet's
// goes to the internet gateway; the service's appliance is a real process
// (applianceScript). TCP and UDP to internet stand-ins pass through it —
// it sees the original packets, with the endpoint's id in AWS's GENEVE
// option, both ways — and what it drops never arrives; its interface's
// flow log shows the GENEVE it received, not the inner flow. With no
// process playing the appliance, the path passes as the engine finds it.
// In the second run the appliance starts before it is registered, so its
// device has the usual 1,500-byte MTU and its kernel fragments the large
// answers it sends back; they pass all the same.
func TestDataPlaneGatewayLoadBalancer(t *testing.T) {
	for _, startFirst := range []bool{false, true} {
		t.Run(map[bool]string{false: "registered first", true: "started first"}[startFirst], func(t *testing.T) {
			t.Parallel()
			needsDataPlane(t)
			testGatewayLoadBalancer(t, startFirst)
		})
	}
}

func testGatewayLoadBalancer(t *testing.T, startFirst bool) {
	big := strings.Repeat("vpcemu ", 40000) // many full-sized packets back through the appliance
	standIn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/big" {
			fmt.Fprint(w, big)
			return
		}
		fmt.Fprint(w, "from the stand-in")
	}))
	t.Cleanup(standIn.Close)
	local := strings.TrimPrefix(standIn.URL, "http://")
	udp := upperUDPStandIn(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--log-level", "debug", "--internet", "203.0.113.10:80="+local,
		"--internet", "203.0.113.10:443="+local, "--internet", "203.0.113.53:5300="+udp)
	cli := newAWSCLI(t, srv.URL, accountA)
	ok := func(args ...string) string { return cli.ok(t, args...) }

	// The appliances' VPC: a GWLB, a GENEVE target group with one
	// appliance, an endpoint service.
	inspect := ok("ec2", "create-vpc", "--cidr-block", "10.9.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	inspectNet := ok("ec2", "create-subnet", "--vpc-id", inspect, "--cidr-block", "10.9.1.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId", "--output", "text")
	geneve := ok("ec2", "create-security-group", "--vpc-id", inspect, "--group-name", "appliances", "--description", "GENEVE", "--query", "GroupId", "--output", "text")
	ok("ec2", "authorize-security-group-ingress", "--group-id", geneve, "--protocol", "udp", "--port", "6081", "--cidr", "10.9.0.0/16")
	appliance := ok("ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", inspectNet, "--security-group-ids", geneve, "--query", "Instances[0].InstanceId", "--output", "text")
	gwlb := ok("elbv2", "create-load-balancer", "--name", "inspect", "--type", "gateway", "--subnets", inspectNet, "--query", "LoadBalancers[0].LoadBalancerArn", "--output", "text")
	tg := ok("elbv2", "create-target-group", "--name", "appliances", "--protocol", "GENEVE", "--port", "6081", "--vpc-id", inspect, "--query", "TargetGroups[0].TargetGroupArn", "--output", "text")
	p := player{t: t, url: srv.URL, account: accountA}
	logPath := filepath.Join(t.TempDir(), "appliance.log")
	if startFirst {
		p.serve(appliance, "python3", "-u", "-c", applianceScript, logPath)
	}
	ok("elbv2", "register-targets", "--target-group-arn", tg, "--targets", "Id="+appliance)
	ok("elbv2", "create-listener", "--load-balancer-arn", gwlb, "--default-actions", "Type=forward,TargetGroupArn="+tg)
	service := ok("ec2", "create-vpc-endpoint-service-configuration", "--gateway-load-balancer-arns", gwlb, "--no-acceptance-required", "--query", "ServiceConfiguration.ServiceName", "--output", "text")

	// The app's VPC: the app subnet → the GWLB endpoint → the internet.
	app := ok("ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	appNet := ok("ec2", "create-subnet", "--vpc-id", app, "--cidr-block", "10.0.1.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId", "--output", "text")
	epNet := ok("ec2", "create-subnet", "--vpc-id", app, "--cidr-block", "10.0.2.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId", "--output", "text")
	igw := ok("ec2", "create-internet-gateway", "--query", "InternetGateway.InternetGatewayId", "--output", "text")
	ok("ec2", "attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", app)
	endpoint := ok("ec2", "create-vpc-endpoint", "--vpc-endpoint-type", "GatewayLoadBalancer", "--vpc-id", app, "--service-name", service, "--subnet-ids", epNet, "--query", "VpcEndpoint.VpcEndpointId", "--output", "text")
	appRT := ok("ec2", "create-route-table", "--vpc-id", app, "--query", "RouteTable.RouteTableId", "--output", "text")
	ok("ec2", "associate-route-table", "--route-table-id", appRT, "--subnet-id", appNet)
	ok("ec2", "create-route", "--route-table-id", appRT, "--destination-cidr-block", "0.0.0.0/0", "--vpc-endpoint-id", endpoint)
	epRT := ok("ec2", "create-route-table", "--vpc-id", app, "--query", "RouteTable.RouteTableId", "--output", "text")
	ok("ec2", "associate-route-table", "--route-table-id", epRT, "--subnet-id", epNet)
	ok("ec2", "create-route", "--route-table-id", epRT, "--destination-cidr-block", "0.0.0.0/0", "--gateway-id", igw)
	web, webIP, _ := strings.Cut(ok("ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", appNet, "--associate-public-ip-address",
		"--query", "Instances[0].[InstanceId,PrivateIpAddress]", "--output", "text"), "\t")

	if !startFirst {
		// No process plays the appliance: the path passes as the engine
		// finds it.
		if out, err := p.cmd(web, "curl", "-s", "-m", "5", "http://203.0.113.10/").Output(); err != nil || string(out) != "from the stand-in" {
			t.Fatalf("through the GWLB endpoint, no appliance process: %q (%v)", out, err)
		}
		p.serve(appliance, "python3", "-u", "-c", applianceScript, logPath)
	}

	// The appliance's interface logs what reaches it: GENEVE from the load
	// balancer's node.
	applianceENI := ok("ec2", "describe-instances", "--instance-ids", appliance, "--query", "Reservations[0].Instances[0].NetworkInterfaces[0].NetworkInterfaceId", "--output", "text")
	ok("logs", "create-log-group", "--log-group-name", "/vpc/appliances")
	ok("ec2", "create-flow-logs", "--resource-type", "NetworkInterface", "--resource-ids", applianceENI, "--traffic-type", "ALL",
		"--log-group-name", "/vpc/appliances", "--deliver-logs-permission-arn", "arn:aws:iam::"+accountA+":role/flow-logs",
		"--log-format", "${interface-id} ${protocol} ${dstport} ${flow-direction} ${action}")

	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := p.cmd(web, "curl", "-s", "-m", "2", "http://203.0.113.10/").Output()
		if err == nil && string(out) == "from the stand-in" && strings.Contains(readFile(logPath), " > 203.0.113.10:80") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("through the appliance: %q (%v); the appliance saw:\n%s", out, err, readFile(logPath))
		}
		time.Sleep(300 * time.Millisecond)
	}
	seen, id := readFile(logPath), endpoint[len(endpoint)-16:]
	for _, want := range []string{id + " 6 " + webIP + ":", " > 203.0.113.10:80", id + " 6 203.0.113.10:80 > " + webIP + ":"} {
		if !strings.Contains(seen, want) {
			t.Errorf("the appliance did not see %q (both ways, with the endpoint's id); it saw:\n%s", want, seen)
		}
	}
	if out, err := p.cmd(web, "curl", "-s", "-m", "10", "http://203.0.113.10/big").Output(); err != nil || string(out) != big {
		t.Errorf("a large answer through the appliance: %d bytes of %d (%v)", len(out), len(big), err)
	}
	out, err := p.cmd(web, "python3", "-c", udpAskScript, "203.0.113.53", "5300", "hello").Output()
	if err != nil || strings.TrimSpace(string(out)) != "HELLO" {
		t.Errorf("UDP through the appliance: %q (%v)", out, err)
	}
	if !strings.Contains(readFile(logPath), id+" 17 "+webIP) {
		t.Errorf("the appliance did not see the UDP flow:\n%s", readFile(logPath))
	}
	// What the appliance drops never arrives: the client times out.
	if _, code := p.curl(web, "https://203.0.113.10/", 3*time.Second); code != 28 {
		t.Errorf("TCP 443, which the appliance drops: curl exit %d, want 28 (timed out)", code)
	}
	if !strings.Contains(readFile(logPath), " > 203.0.113.10:443") {
		t.Errorf("the appliance did not see the flow it dropped:\n%s", readFile(logPath))
	}

	if startFirst {
		return // the flow log is read in the other run
	}
	want := applianceENI + " 17 6081 ingress ACCEPT"
	var events struct{ Events []struct{ Message string } }
	for deadline := time.Now().Add(150 * time.Second); ; time.Sleep(2 * time.Second) { // the window closes on the minute
		cli.json(t, &events, "logs", "filter-log-events", "--log-group-name", "/vpc/appliances")
		if slices.ContainsFunc(events.Events, func(e struct{ Message string }) bool { return e.Message == want }) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the appliance's records: want %q, the log group holds %+v", want, events.Events)
		}
	}
	for _, e := range events.Events {
		if strings.Contains(e.Message, " 6 ") {
			t.Errorf("the appliance's interface logged the inner flow: %q", e.Message)
		}
	}
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}
