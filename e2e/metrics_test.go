package e2e

import (
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
	network := newWebVPC(t, cli, "8080")
	client, _ := network.launch()
	server, serverIP := network.launch("--security-group-ids", network.web)
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
