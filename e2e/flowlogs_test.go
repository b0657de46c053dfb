package e2e

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpcemu/vpcemu/internal/dataplane"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
	"github.com/vpcemu/vpcemu/internal/flowlog"
)

// TestAWSCLIFlowLogs: create-flow-logs for a VPC to a log group, describe
// (the default LogFormat echoed, as Terraform needs), a refusal, delete.
func TestAWSCLIFlowLogs(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	cli := newAWSCLI(t, e.URL(), accountA)
	vpc := cli.ok(t, "ec2", "create-vpc", "--cidr-block", "10.43.0.0/16", "--query", "Vpc.VpcId", "--output", "text")
	var created struct {
		FlowLogIds   []string
		Unsuccessful []struct{ ResourceId string }
	}
	cli.json(t, &created, "ec2", "create-flow-logs", "--resource-type", "VPC", "--resource-ids", vpc, "--traffic-type", "ALL",
		"--log-group-name", "/vpc/flow-logs", "--deliver-logs-permission-arn", "arn:aws:iam::"+accountA+":role/x")
	if len(created.FlowLogIds) != 1 || len(created.Unsuccessful) != 0 {
		t.Fatalf("create-flow-logs: %+v", created)
	}
	id := created.FlowLogIds[0]
	var described struct {
		FlowLogs []struct {
			FlowLogId, ResourceId, TrafficType, LogDestinationType, LogGroupName, LogDestination, LogFormat, FlowLogStatus, DeliverLogsStatus string
			MaxAggregationInterval                                                                                                            int
		}
	}
	cli.json(t, &described, "ec2", "describe-flow-logs", "--filter", "Name=resource-id,Values="+vpc)
	if len(described.FlowLogs) != 1 {
		t.Fatalf("describe-flow-logs: %+v", described)
	}
	fl := described.FlowLogs[0]
	if fl.FlowLogId != id || fl.ResourceId != vpc || fl.TrafficType != "ALL" || fl.LogDestinationType != "cloud-watch-logs" ||
		fl.LogGroupName != "/vpc/flow-logs" || fl.LogDestination != "arn:aws:logs:us-east-1:"+accountA+":log-group:/vpc/flow-logs" ||
		fl.LogFormat != flowlog.DefaultFormat || fl.FlowLogStatus != "ACTIVE" || fl.DeliverLogsStatus != "SUCCESS" || fl.MaxAggregationInterval != 600 {
		t.Errorf("describe-flow-logs: %+v", fl)
	}
	cliError(t, cli, "InvalidParameter", "CreateFlowLogs", "ec2", "create-flow-logs", "--resource-type", "VPC", "--resource-ids", vpc,
		"--traffic-type", "ALL", "--log-group-name", "/vpc/flow-logs")
	var deleted struct{ Unsuccessful []struct{ ResourceId string } }
	cli.json(t, &deleted, "ec2", "delete-flow-logs", "--flow-log-ids", id)
	if len(deleted.Unsuccessful) != 0 {
		t.Errorf("delete-flow-logs: %+v", deleted)
	}
	if left := cli.ok(t, "ec2", "describe-flow-logs", "--query", "length(FlowLogs)"); left != "0" {
		t.Errorf("flow logs left: %s", left)
	}
}

// TestTerraformFlowLogs: aws_flow_log of a VPC to S3 and of a subnet to a
// log group by name apply, show no drift (the default LogFormat is echoed),
// and destroy leaving no flow log.
func TestTerraformFlowLogs(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	tf := newTerraform(t, "flow-logs", e.URL())
	c := emulatortest.EC2(e, accountA, region)
	tf.lifecycle(c, func() {
		var out struct {
			S3 struct {
				ID        string
				ARN       string
				LogFormat string `json:"log_format"`
			}
			CWL struct {
				ID             string
				LogDestination string `json:"log_destination"`
			}
		}
		tf.outputs(&out)
		if out.S3.ARN != "arn:aws:ec2:us-east-1:"+accountA+":vpc-flow-log/"+out.S3.ID || out.S3.LogFormat != flowlog.DefaultFormat {
			t.Errorf("s3 flow log %+v", out.S3)
		}
		if out.CWL.LogDestination != "arn:aws:logs:us-east-1:"+accountA+":log-group:/vpc/flow-logs" {
			t.Errorf("cwl flow log %+v", out.CWL)
		}
	})
	left, err := c.DescribeFlowLogs(t.Context(), &ec2.DescribeFlowLogsInput{})
	if err != nil || len(left.FlowLogs) != 0 {
		t.Errorf("flow logs left: %+v %v", left, err)
	}
}

// TestDataPlaneFlowLogs: real traffic between two processes playing
// instances reaches a VPC's flow log in S3 when the data plane's window
// closes (a minute): the accepted connection to the server's port and the
// one its security group drops, from both interfaces, in the flow log's
// format under <data-dir>/s3 in AWS's key layout; the subnet's flow log of
// rejected traffic delivers the dropped one to CloudWatch Logs, where
// filter-log-events finds it.
func TestDataPlaneFlowLogs(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	testFlowLogs(t, false)
}

// TestDataPlaneFlowLogsProxy: the same in proxy mode, where the proxy
// counts what it relays.
func TestDataPlaneFlowLogsProxy(t *testing.T) {
	t.Parallel()
	needsProxyMode(t)
	testFlowLogs(t, true)
}

func testFlowLogs(t *testing.T, proxy bool) {
	dir := t.TempDir()
	srv := Serve(t, "--addr", "127.0.0.1:0", "--data-dir", dir)
	cli := newAWSCLI(t, srv.URL, accountA)
	network := newWebVPC(t, cli, "8080")
	vpc, subnet := network.vpc, network.subnet
	client, clientIP := network.launch()
	server, serverIP := network.launch("--security-group-ids", network.web)
	id := cli.ok(t, "ec2", "create-flow-logs", "--resource-type", "VPC", "--resource-ids", vpc, "--traffic-type", "ALL",
		"--log-destination-type", "s3", "--log-destination", "arn:aws:s3:::flows/team",
		"--log-format", "${srcaddr} ${dstaddr} ${dstport} ${protocol} ${action} ${flow-direction}", "--query", "FlowLogIds[0]", "--output", "text")
	// And the subnet's rejected traffic to CloudWatch Logs, in the default
	// format, which people filter with the space-delimited pattern.
	cli.ok(t, "ec2", "create-flow-logs", "--resource-type", "Subnet", "--resource-ids", subnet, "--traffic-type", "REJECT",
		"--log-group-name", "/vpc/rejects", "--deliver-logs-permission-arn", "arn:aws:iam::"+accountA+":role/flow-logs")

	p := player{t: t, url: srv.URL, account: accountA, proxy: proxy}
	p.serveHTTP(server, 8080)
	p.waitServing(client, "http://"+serverIP+":8080/")
	if _, code := p.curl(client, "http://"+serverIP+":9090/", 2*time.Second); code != 28 {
		t.Errorf("a port the group does not open: curl exit %d, want 28", code)
	}

	// The accepted connection shows on both interfaces; the dropped one as
	// REJECT where the group stopped it.
	want := map[string]bool{
		clientIP + " " + serverIP + " 8080 6 ACCEPT egress":  false, // on the client's interface
		clientIP + " " + serverIP + " 8080 6 ACCEPT ingress": false, // on the server's
		clientIP + " " + serverIP + " 9090 6 REJECT":         false,
	}
	root := filepath.Join(dir, "s3", "flows", "team", "AWSLogs", accountA, "vpcflowlogs", region)
	deadline := time.Now().Add(150 * time.Second) // the window closes on the minute
	var seen []string
	for {
		seen = seen[:0]
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".log.gz") {
				return nil
			}
			if !strings.HasPrefix(filepath.Base(path), accountA+"_vpcflowlogs_"+region+"_"+id+"_") {
				t.Errorf("file name %s", path)
			}
			lines := gunzip(t, path)
			if len(lines) == 0 || lines[0] != "srcaddr dstaddr dstport protocol action flow-direction" {
				t.Errorf("%s: header %q", path, lines)
			}
			for _, l := range lines[1:] {
				seen = append(seen, l)
				for w := range want {
					if strings.HasPrefix(l, w) {
						want[w] = true
					}
				}
			}
			return nil
		})
		missing := 0
		for _, ok := range want {
			if !ok {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("flow-log records missing: %v; the files hold %q", want, seen)
		}
		time.Sleep(2 * time.Second)
	}
	if status := cli.ok(t, "ec2", "describe-flow-logs", "--flow-log-ids", id, "--query", "FlowLogs[0].DeliverLogsStatus", "--output", "text"); status != "SUCCESS" {
		t.Errorf("DeliverLogsStatus %s", status)
	}
	// The same window's REJECT reached the log group, read back with the
	// aws CLI as people filter flow logs.
	var rejects struct {
		Events []struct{ LogStreamName, Message string }
	}
	cli.json(t, &rejects, "logs", "filter-log-events", "--log-group-name", "/vpc/rejects", "--filter-pattern",
		`[version, account, eni, source, destination, srcport, destport="9090", protocol, packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]`)
	if len(rejects.Events) == 0 || !strings.HasPrefix(rejects.Events[0].LogStreamName, "eni-") ||
		!strings.Contains(rejects.Events[0].Message, " "+clientIP+" "+serverIP+" ") || !strings.HasSuffix(rejects.Events[0].Message, " REJECT OK") {
		t.Errorf("REJECT in CloudWatch Logs: %+v", rejects)
	}

	// The meters of the closed window: the client's interface carried the
	// connections to 8080 and saw the one to 9090 dropped.
	out, err := p.vpcemu("flows", "--meters", "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var meters dataplane.MeterList
	if err := json.Unmarshal(out, &meters); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	clientENI := cli.ok(t, "ec2", "describe-instances", "--instance-ids", client, "--query", "Reservations[0].Instances[0].NetworkInterfaces[0].NetworkInterfaceId", "--output", "text")
	found := false
	for _, m := range meters.Resources {
		if m.Resource == clientENI {
			found = m.Connections > 0 && m.Dropped > 0 && m.BytesOut > 0 && m.BytesIn > m.BytesOut
		}
	}
	if !found || len(meters.Paths) == 0 {
		t.Errorf("meters of %s: %s", clientENI, out)
	}
}

// gunzip reads a gzip file's lines.
func gunzip(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}
