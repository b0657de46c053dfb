package e2e

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestTerraformLogs: aws_cloudwatch_log_group (a named one with retention
// and tags, one by name_prefix with a class and a KMS key) and
// aws_cloudwatch_log_stream apply, show no drift, lose the retention in
// an update with no drift either, and destroy leaving no log group.
func TestTerraformLogs(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	logs := emulatortest.Logs(e, accountA, region)
	tf := newTerraform(t, "logs", e.URL())
	tf.lifecycle(emulatortest.EC2(e, accountA, region), func() {
		var out struct {
			FlowLogs struct {
				ARN, Name, Class string
				Retention        int
			} `json:"flow_logs"`
			App struct {
				ARN, Name, Class string
			}
			StreamARN string `json:"stream_arn"`
		}
		tf.outputs(&out)
		arn := "arn:aws:logs:" + region + ":" + accountA + ":log-group:/vpc/flow-logs"
		if out.FlowLogs.ARN != arn || out.FlowLogs.Retention != 30 || out.FlowLogs.Class != "STANDARD" {
			t.Errorf("flow logs group %+v", out.FlowLogs)
		}
		if !strings.HasPrefix(out.App.Name, "/app/web-") || out.App.Class != "INFREQUENT_ACCESS" {
			t.Errorf("app group %+v", out.App)
		}
		if out.StreamARN != arn+":log-stream:eni-0a1b2c3d4e5f60718" {
			t.Errorf("stream %q", out.StreamARN)
		}
		tags, err := logs.ListTagsForResource(t.Context(), &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: &arn})
		if err != nil || len(tags.Tags) != 2 || tags.Tags["team"] != "network" {
			t.Errorf("tags %+v %v", tags, err)
		}
		// An update: retention taken away (DeleteRetentionPolicy), no drift.
		tf.expect(0, "apply", "-auto-approve", "-var", "retention_in_days=0")
		tf.expect(0, "plan", "-detailed-exitcode", "-var", "retention_in_days=0")
		groups, err := logs.DescribeLogGroups(t.Context(), &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/vpc/flow-logs")})
		if err != nil || len(groups.LogGroups) != 1 || groups.LogGroups[0].RetentionInDays != nil {
			t.Errorf("after the update %+v %v", groups, err)
		}
	})
	groups, err := logs.DescribeLogGroups(t.Context(), &cloudwatchlogs.DescribeLogGroupsInput{})
	if err != nil {
		t.Fatalf("describe after destroy: %v", err)
	}
	for _, g := range groups.LogGroups {
		t.Errorf("left after destroy: %s", aws.ToString(g.LogGroupName))
	}
}
