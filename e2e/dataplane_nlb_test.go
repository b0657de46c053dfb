package e2e

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestDataPlaneDirectNLB: a process playing an instance curls an internal
// Network Load Balancer straight (no PrivateLink), by its node's address
// and by its DNS name, and reaches a Python HTTP server playing the
// instance target, which sees the client's own address (instance targets
// preserve it); while the target's group does not let the client in, curl
// times out and `vpcemu analyze` says why.
func TestDataPlaneDirectNLB(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--log-level", "debug")
	cli := newAWSCLI(t, srv.URL, accountA)
	w := newWebVPC(t, cli, "8080")
	srvSG := cli.ok(t, "ec2", "create-security-group", "--vpc-id", w.vpc, "--group-name", "srv", "--description", "srv", "--query", "GroupId", "--output", "text")
	server, _ := w.launch("--private-ip-address", "10.0.1.10", "--security-group-ids", srvSG)
	client, clientIP := w.launch()
	nlb := cli.ok(t, "elbv2", "create-load-balancer", "--name", "web", "--type", "network", "--scheme", "internal", "--subnets", w.subnet,
		"--query", "LoadBalancers[0].[LoadBalancerArn,DNSName]", "--output", "text")
	arn, name, _ := strings.Cut(nlb, "\t")
	tg := cli.ok(t, "elbv2", "create-target-group", "--name", "web", "--protocol", "TCP", "--port", "8080", "--vpc-id", w.vpc, "--query", "TargetGroups[0].TargetGroupArn", "--output", "text")
	cli.ok(t, "elbv2", "register-targets", "--target-group-arn", tg, "--targets", "Id="+server)
	cli.ok(t, "elbv2", "create-listener", "--load-balancer-arn", arn, "--protocol", "TCP", "--port", "80", "--default-actions", "Type=forward,TargetGroupArn="+tg)
	node := cli.ok(t, "ec2", "describe-network-interfaces", "--filters", "Name=description,Values=ELB net/web/*", "--query", "NetworkInterfaces[0].PrivateIpAddress", "--output", "text")

	p := player{t: t, url: srv.URL, account: accountA}
	logFile := t.TempDir() + "/access.log"
	p.serve(server, "sh", "-c", "exec python3 -m http.server 8080 2> "+logFile)
	url := "http://" + node + ":80/"
	if _, code := p.curl(client, url, 2*time.Second); code != 28 {
		t.Errorf("while the target's group lets nothing in: curl exit %d, want 28 (dropped)", code)
	}
	if out, _ := p.vpcemu("analyze", "--from", client, "--to", node, "--port", "80").Output(); !strings.Contains(string(out), "ENI_SG_RULES_MISMATCH") || !strings.Contains(string(out), clientIP) {
		t.Errorf("vpcemu analyze should say the target's group drops the client's address %s:\n%s", clientIP, out)
	}
	if out, _ := p.vpcemu("analyze", "--from", client, "--to", node, "--port", "443").Output(); !strings.Contains(string(out), "ELBV2_LISTENER_PORT_RESTRICTION") {
		t.Errorf("vpcemu analyze to a port with no listener:\n%s", out)
	}

	cli.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", srvSG, "--protocol", "tcp", "--port", "8080", "--cidr", clientIP+"/32")
	p.waitServing(client, url)
	if out, err := p.vpcemu("analyze", "--from", client, "--to", node, "--port", "80").Output(); err != nil || !strings.Contains(string(out), "target group") {
		t.Errorf("vpcemu analyze once the group lets the client in: %v\n%s", err, out)
	}
	log, _ := os.ReadFile(logFile)
	if !strings.Contains(string(log), clientIP) {
		t.Errorf("the target should see the client's address %s (preserved); its log:\n%s", clientIP, log)
	}
	if status, code := p.curl(client, "http://"+name+"/", 5*time.Second); status != "200" {
		t.Errorf("curl by the load balancer's name %s: status %q (exit %d)", name, status, code)
	}
}
