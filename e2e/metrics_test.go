package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestDataPlaneMetrics: a scrape of the built server's /metrics counts the
// flows real processes opened, carried and dropped, the engine's verdicts
// on them, the live snapshots the data plane read, and the API calls that
// built the network.
func TestDataPlaneMetrics(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory")
	cli := newAWSCLI(t, srv.URL, accountA)
	vpc := cli.ok(t, "ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	subnet := cli.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.1.0/24", "--query", "Subnet.SubnetId", "--output", "text")
	web := cli.ok(t, "ec2", "create-security-group", "--vpc-id", vpc, "--group-name", "web", "--description", "web", "--query", "GroupId", "--output", "text")
	cli.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", web, "--protocol", "tcp", "--port", "8080", "--cidr", "10.0.0.0/16")
	launch := func(groups ...string) (string, string) {
		args := []string{"ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", subnet, "--query", "Instances[0].[InstanceId,PrivateIpAddress]", "--output", "text"}
		if len(groups) > 0 {
			args = append(args, "--security-group-ids", groups[0])
		}
		id, ip, _ := strings.Cut(cli.ok(t, args...), "\t")
		return id, ip
	}
	client, _ := launch()
	server, serverIP := launch(web)
	p := player{t: t, url: srv.URL, account: accountA}
	p.serve(server, "python3", "-m", "http.server", "8080")
	p.waitServing(client, "http://"+serverIP+":8080/")
	if _, code := p.curl(client, "http://"+serverIP+":9090/", time.Second); code != 28 {
		t.Errorf("a port the group does not open: curl exit %d, want 28 (dropped)", code)
	}

	got := emulatortest.Scrape(t, srv.URL)
	cases := []struct {
		family string
		labels map[string]string
	}{
		{"vpcemu_dataplane_flows_total", map[string]string{"protocol": "tcp", "verdict": "carried"}},
		{"vpcemu_dataplane_flows_total", map[string]string{"protocol": "tcp", "verdict": "dropped"}},
		{"vpcemu_dataplane_verdicts_total", map[string]string{"verdict": "allowed"}},
		{"vpcemu_dataplane_verdicts_total", map[string]string{"verdict": "blocked"}},
		{"vpcemu_snapshot_build_duration_seconds", map[string]string{"view": "live"}},
		{"vpcemu_api_requests_total", map[string]string{"service": "ec2", "operation": "RunInstances", "status": "200"}},
	}
	for _, tc := range cases {
		if got.Sum(tc.family, tc.labels) < 1 {
			t.Errorf("%s%v: none counted", tc.family, tc.labels)
		}
	}
}
