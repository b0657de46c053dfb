package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

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
