package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestAWSCLILogs: the aws CLI makes a log group and a stream, puts flow
// log records, reads them back with get-log-events and finds the rejected
// ones with filter-log-events and the space-delimited pattern people use
// for flow logs (paginated by the CLI, one event a page); retention and
// tags show in describe-log-groups and list-tags-for-resource; refusals
// end in CloudWatch Logs' errors.
func TestAWSCLILogs(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	cli := newAWSCLI(t, e.URL(), accountA)

	cli.ok(t, "logs", "create-log-group", "--log-group-name", "/vpc/flow-logs", "--tags", "team=net")
	cliError(t, cli, "ResourceAlreadyExistsException", "CreateLogGroup", "logs", "create-log-group", "--log-group-name", "/vpc/flow-logs")
	cli.ok(t, "logs", "put-retention-policy", "--log-group-name", "/vpc/flow-logs", "--retention-in-days", "30")
	cliError(t, cli, "InvalidParameterException", "PutRetentionPolicy", "logs", "put-retention-policy", "--log-group-name", "/vpc/flow-logs", "--retention-in-days", "31")
	var groups struct {
		LogGroups []struct {
			LogGroupName, Arn, LogGroupArn string
			RetentionInDays                int
		}
	}
	cli.json(t, &groups, "logs", "describe-log-groups", "--log-group-name-prefix", "/vpc/")
	arn := "arn:aws:logs:" + region + ":" + accountA + ":log-group:/vpc/flow-logs"
	if len(groups.LogGroups) != 1 || groups.LogGroups[0].RetentionInDays != 30 || groups.LogGroups[0].Arn != arn+":*" || groups.LogGroups[0].LogGroupArn != arn {
		t.Errorf("describe-log-groups: %+v", groups)
	}
	if got := cli.ok(t, "logs", "list-tags-for-resource", "--resource-arn", arn, "--query", "tags.team", "--output", "text"); got != "net" {
		t.Errorf("list-tags-for-resource: %q", got)
	}

	now := time.Now().UnixMilli()
	records := map[string][]string{
		"eni-0a1b2c3d": {
			"2 " + accountA + " eni-0a1b2c3d 10.0.1.5 10.0.2.9 49152 443 6 10 840 1700000000 1700000060 ACCEPT OK",
			"2 " + accountA + " eni-0a1b2c3d 198.51.100.7 10.0.1.5 50000 22 6 1 40 1700000000 1700000060 REJECT OK",
		},
		"eni-4e5f6a7b": {
			"2 " + accountA + " eni-4e5f6a7b 203.0.113.9 10.0.2.9 40000 3389 6 1 40 1700000000 1700000060 REJECT OK",
			"2 " + accountA + " eni-4e5f6a7b - - - - - - - 1700000000 1700000060 - NODATA",
		},
	}
	for i, eni := range []string{"eni-0a1b2c3d", "eni-4e5f6a7b"} {
		cli.ok(t, "logs", "create-log-stream", "--log-group-name", "/vpc/flow-logs", "--log-stream-name", eni)
		var events []map[string]any
		for j, r := range records[eni] {
			events = append(events, map[string]any{"timestamp": now - int64(4-2*j-i)*1000, "message": r})
		}
		body, _ := json.Marshal(events)
		if got := cli.ok(t, "logs", "put-log-events", "--log-group-name", "/vpc/flow-logs", "--log-stream-name", eni, "--log-events", string(body),
			"--query", "nextSequenceToken", "--output", "text"); got == "" || got == "None" {
			t.Errorf("put-log-events: token %q", got)
		}
	}
	cliError(t, cli, "ResourceNotFoundException", "PutLogEvents", "logs", "put-log-events", "--log-group-name", "/vpc/flow-logs", "--log-stream-name", "eni-none",
		"--log-events", fmt.Sprintf(`[{"timestamp": %d, "message": "x"}]`, now))

	var got struct {
		Events []struct {
			Timestamp int64
			Message   string
		}
		NextForwardToken, NextBackwardToken string
	}
	cli.json(t, &got, "logs", "get-log-events", "--log-group-name", "/vpc/flow-logs", "--log-stream-name", "eni-0a1b2c3d", "--start-from-head")
	if len(got.Events) != 2 || got.Events[0].Message != records["eni-0a1b2c3d"][0] || got.Events[1].Message != records["eni-0a1b2c3d"][1] ||
		!strings.HasPrefix(got.NextForwardToken, "f/") || !strings.HasPrefix(got.NextBackwardToken, "b/") {
		t.Errorf("get-log-events: %+v", got)
	}
	if n := cli.ok(t, "logs", "get-log-events", "--log-group-name", "/vpc/flow-logs", "--log-stream-name", "eni-0a1b2c3d", "--next-token", got.NextForwardToken,
		"--query", "length(events)"); n != "0" {
		t.Errorf("get-log-events past the end: %s events", n)
	}

	pattern := `[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]`
	var filtered struct {
		Events []struct{ LogStreamName, Message, EventId string }
	}
	cli.json(t, &filtered, "logs", "filter-log-events", "--log-group-name", "/vpc/flow-logs", "--filter-pattern", pattern, "--page-size", "1")
	var rejects []string
	for _, ev := range filtered.Events {
		rejects = append(rejects, ev.LogStreamName+" "+strings.Fields(ev.Message)[3])
	}
	if strings.Join(rejects, ", ") != "eni-4e5f6a7b 203.0.113.9, eni-0a1b2c3d 198.51.100.7" {
		t.Errorf("filter-log-events REJECT: %v", rejects)
	}
	if got := cli.ok(t, "logs", "filter-log-events", "--log-group-name", "/vpc/flow-logs", "--log-stream-names", "eni-4e5f6a7b",
		"--filter-pattern", `[..., destport=3389, protocol, packets, bytes, windowstart, windowend, action, status]`, "--query", "events[].logStreamName", "--output", "text"); got != "eni-4e5f6a7b" {
		t.Errorf("filter-log-events by port: %q", got)
	}
	if got := cli.ok(t, "logs", "filter-log-events", "--log-group-name", "/vpc/flow-logs", "--filter-pattern", "NODATA", "--query", "length(events)"); got != "1" {
		t.Errorf("filter-log-events NODATA: %s", got)
	}
	cliError(t, cli, "InvalidParameterException", "FilterLogEvents", "logs", "filter-log-events", "--log-group-name", "/vpc/flow-logs", "--filter-pattern", `[a, b`)

	if got := cli.ok(t, "logs", "describe-log-streams", "--log-group-name", "/vpc/flow-logs", "--order-by", "LastEventTime", "--descending",
		"--query", "logStreams[].logStreamName", "--output", "text"); got != "eni-4e5f6a7b\teni-0a1b2c3d" {
		t.Errorf("describe-log-streams: %q", got)
	}
	cli.ok(t, "logs", "delete-log-stream", "--log-group-name", "/vpc/flow-logs", "--log-stream-name", "eni-4e5f6a7b")
	cli.ok(t, "logs", "delete-log-group", "--log-group-name", "/vpc/flow-logs")
	cliError(t, cli, "ResourceNotFoundException", "GetLogEvents", "logs", "get-log-events", "--log-group-name", "/vpc/flow-logs", "--log-stream-name", "eni-0a1b2c3d")
	if got := cli.ok(t, "logs", "describe-log-groups", "--query", "length(logGroups)"); got != "0" {
		t.Errorf("describe-log-groups after delete: %s", got)
	}
}
