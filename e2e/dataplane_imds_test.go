package e2e

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// imdsScript reads the instance's id, zone and address with IMDSv2 (a
// token PUT, then GETs carrying it), one a line, as the scripts on EC2
// do.
const imdsScript = `T=$(curl -s -m 5 -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" http://169.254.169.254/latest/api/token) || exit 1
for p in instance-id placement/availability-zone local-ipv4; do
  curl -s -m 5 -H "X-aws-ec2-metadata-token: $T" http://169.254.169.254/latest/meta-data/$p || exit 1; echo
done`

// botocoreRegion is the region botocore finds in the instance metadata
// (what the SDK does on EC2 when no region is configured).
const botocoreRegion = `import botocore.session
from botocore.utils import IMDSRegionProvider
print(IMDSRegionProvider(botocore.session.get_session()).provide())`

// v1Status is the status of an IMDSv1 request (no token).
var v1Status = []string{"curl", "-s", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}", "http://169.254.169.254/latest/meta-data/instance-id"}

// TestDataPlaneMetadata: a process playing an instance finds its instance
// metadata at 169.254.169.254, in transparent mode and in proxy mode: curl
// with IMDSv2 reads its id, zone and address, botocore its region; once
// modify-instance-metadata-options requires tokens, IMDSv1 gets 401 and
// IMDSv2 still works.
func TestDataPlaneMetadata(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"transparent", "proxy"} {
		t.Run(mode, func(t *testing.T) {
			proxy := mode == "proxy"
			if proxy {
				needsProxyMode(t)
			} else {
				needsDataPlane(t)
			}
			if _, err := exec.LookPath("aws"); err != nil {
				t.Skip("the aws CLI is not on PATH")
			}
			srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--log-level", "debug")
			cli := newAWSCLI(t, srv.URL, accountA)
			network := newWebVPC(t, cli, "8080")
			zone := cli.ok(t, "ec2", "describe-subnets", "--subnet-ids", network.subnet, "--query", "Subnets[0].AvailabilityZone", "--output", "text")
			id, ip := network.launch()
			p := player{t: t, url: srv.URL, account: accountA, proxy: proxy}
			run := func(argv ...string) (string, error) {
				cmd := p.cmd(id, argv...)
				cmd.Env = append(cmd.Env, "AWS_EC2_METADATA_DISABLED=false")
				out, err := cmd.Output()
				if ee, ok := err.(*exec.ExitError); ok {
					t.Logf("%s: %v\n%s", strings.Join(argv, " "), err, ee.Stderr)
				}
				return strings.TrimSpace(string(out)), err
			}

			got, err := run("sh", "-c", imdsScript)
			if want := id + "\n" + zone + "\n" + ip; err != nil || got != want {
				t.Errorf("IMDSv2 with curl: %q (%v), want %q", got, err, want)
			}
			if got, err := run("python3", "-c", botocoreRegion); err != nil || got != region {
				t.Errorf("botocore's region from the metadata: %q (%v), want %s", got, err, region)
			}
			if got, _ := run(v1Status...); got != "200" {
				t.Errorf("IMDSv1 while tokens are optional: %q, want 200", got)
			}

			cli.ok(t, "ec2", "modify-instance-metadata-options", "--instance-id", id, "--http-tokens", "required")
			if got, _ := run(v1Status...); got != "401" {
				t.Errorf("IMDSv1 once tokens are required: %q, want 401", got)
			}
			if got, err := run("sh", "-c", imdsScript); err != nil || !strings.HasPrefix(got, id+"\n") {
				t.Errorf("IMDSv2 once tokens are required: %q (%v)", got, err)
			}
			// The instance's host answers: the engine is never asked (the
			// debug log would show each flow it decides).
			for _, line := range strings.Split(srv.Log(), "\n") {
				if strings.Contains(line, "dst=169.254.169.254") {
					t.Errorf("a metadata request was asked of the engine: %s", line)
					break
				}
			}
		})
	}
}

// TestDataPlaneMetadataIPv6: the IPv6 endpoint [fd00:ec2::254] answers a
// dual-stack instance only once its HttpProtocolIpv6 is enabled; before,
// that address is like any other outside the VPC (dropped).
func TestDataPlaneMetadataIPv6(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--log-level", "debug")
	cli := newAWSCLI(t, srv.URL, accountA)
	id, ip := newDualStack(t, cli).launch()
	p := player{t: t, url: srv.URL, account: accountA}
	url := "http://[fd00:ec2::254]/latest/meta-data/ipv6"
	if _, code := p.curl(id, url, 2*time.Second); code != 28 {
		t.Errorf("before the IPv6 endpoint is enabled: curl exit %d, want 28 (dropped)", code)
	}
	cli.ok(t, "ec2", "modify-instance-metadata-options", "--instance-id", id, "--http-protocol-ipv6", "enabled")
	out, err := p.cmd(id, "curl", "-s", "-m", "5", url).Output()
	if got := string(out); err != nil || got != ip {
		t.Errorf("the IPv6 endpoint: %q (%v), want %s", got, err, ip)
	}
}

// sntpScript asks the NTP server at argv[1] for the time (SNTP, version 4)
// and prints how far its answer is from this host's clock, in seconds.
const sntpScript = `
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(b'\x23' + 47 * b'\0', (sys.argv[1], 123))
data = s.recv(512)
secs, frac = struct.unpack('!II', data[40:48])
print(abs(secs - 2208988800 + frac / 2**32 - time.time()), data[1], data[12:16].decode())
`

// TestDataPlaneTimeSync: the Amazon Time Sync Service answers an
// instance's NTP client at 169.254.169.123 with the host's time, stratum
// 1, whatever the instance's groups let out.
func TestDataPlaneTimeSync(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory")
	cli := newAWSCLI(t, srv.URL, accountA)
	network := newWebVPC(t, cli, "8080")
	id, _ := network.launch()
	sg := cli.ok(t, "ec2", "describe-instances", "--instance-ids", id, "--query", "Reservations[0].Instances[0].SecurityGroups[0].GroupId", "--output", "text")
	cli.ok(t, "ec2", "revoke-security-group-egress", "--group-id", sg, "--protocol", "-1", "--cidr", "0.0.0.0/0")
	p := player{t: t, url: srv.URL, account: accountA}
	out, err := p.cmd(id, "python3", "-c", sntpScript, "169.254.169.123").Output()
	var off float64
	var stratum int
	var ref string
	if _, serr := fmt.Sscan(string(out), &off, &stratum, &ref); err != nil || serr != nil || off > 5 || stratum != 1 || ref != "AMZN" {
		t.Errorf("the time sync service: %q (%v)", out, err)
	}
}
