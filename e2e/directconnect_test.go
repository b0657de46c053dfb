package e2e

import (
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestAWSCLIDirectConnect: the aws CLI (botocore's json protocol client)
// lists the Direct Connect location catalogue, and an operation vpcemu does
// not serve yet ends in a clean error naming it, at once (no retries).
func TestAWSCLIDirectConnect(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	cli := newAWSCLI(t, e.URL(), accountA)

	var out struct {
		Locations []struct {
			LocationCode, LocationName, Region string
			AvailablePortSpeeds                []string
		}
	}
	cli.json(t, &out, "directconnect", "describe-locations")
	if len(out.Locations) != 2 || out.Locations[0].LocationCode != "EqDC2" || out.Locations[0].Region != "us-east-1" ||
		strings.Join(out.Locations[0].AvailablePortSpeeds, ",") != "1Gbps,10Gbps,100Gbps,400Gbps" {
		t.Errorf("describe-locations: %+v", out)
	}
	if got := cli.ok(t, "directconnect", "describe-locations", "--query", "locations[].locationCode", "--output", "text"); got != "EqDC2\tCS32A-24FL" {
		t.Errorf("describe-locations --query: %q", got)
	}
	if got := cli.ok(t, "directconnect", "describe-locations", "--region", "eu-west-1", "--query", "length(locations)"); got != "0" {
		t.Errorf("locations in eu-west-1: %s", got)
	}

	for _, tc := range []struct{ args []string }{
		{[]string{"directconnect", "describe-connections"}},                                                                       // listed, not served yet
		{[]string{"directconnect", "create-connection", "--location", "EqDC2", "--bandwidth", "1Gbps", "--connection-name", "c"}}, // listed
		{[]string{"directconnect", "describe-interconnects"}},                                                                     // in the model only
	} {
		stdout, stderr, code := cli.run(t, tc.args...)
		op := map[string]string{"describe-connections": "DescribeConnections", "create-connection": "CreateConnection",
			"describe-interconnects": "DescribeInterconnects"}[tc.args[1]]
		want := "An error occurred (UnsupportedOperation) when calling the " + op + " operation: vpcemu does not implement directconnect:" + op + " yet."
		if code == 0 || stdout != "" || strings.TrimSpace(stderr) != want {
			t.Errorf("aws %s: exit %d\nstdout %q\nstderr %q\nwant   %q", strings.Join(tc.args, " "), code, stdout, stderr, want)
		}
	}
}
