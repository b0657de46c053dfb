package logs_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

var ctx = context.Background()

// wantError fails unless err is the API error code whose message holds
// msg, answered with a 400.
func wantError(t *testing.T, err error, code, msg string) {
	t.Helper()
	emulatortest.WantError(t, err, code, http.StatusBadRequest, msg)
}

func ok[T any](t *testing.T) func(T, error) T { return emulatortest.OK[T](t) }

// TestLogGroupRoundTrip: a log group through the SDK, every group call:
// made with tags, described by prefix and pattern with its ARNs, retention
// and KMS key set and cleared, tagged by ARN and by name, deleted.
func TestLogGroupRoundTrip(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.Logs(e, emulatortest.AccountA, "eu-west-1")
	name := aws.String("/vpc/flow-logs")
	ok[*cloudwatchlogs.CreateLogGroupOutput](t)(c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: name, Tags: map[string]string{"team": "net"}}))
	_, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: name})
	var exists *types.ResourceAlreadyExistsException
	if !errors.As(err, &exists) {
		t.Fatalf("again: %v", err)
	}
	wantError(t, err, "ResourceAlreadyExistsException", "The specified log group already exists")
	ok[*cloudwatchlogs.CreateLogGroupOutput](t)(c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/app/web"), LogGroupClass: types.LogGroupClassInfrequentAccess}))

	d := ok[*cloudwatchlogs.DescribeLogGroupsOutput](t)(c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/vpc")}))
	arn := "arn:aws:logs:eu-west-1:" + emulatortest.AccountA + ":log-group:/vpc/flow-logs"
	if len(d.LogGroups) != 1 || aws.ToString(d.LogGroups[0].Arn) != arn+":*" || aws.ToString(d.LogGroups[0].LogGroupArn) != arn ||
		d.LogGroups[0].RetentionInDays != nil || d.LogGroups[0].LogGroupClass != types.LogGroupClassStandard || aws.ToInt64(d.LogGroups[0].CreationTime) == 0 {
		t.Fatalf("described %+v", d.LogGroups)
	}
	d = ok[*cloudwatchlogs.DescribeLogGroupsOutput](t)(c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("WEB")}))
	if len(d.LogGroups) != 1 || d.LogGroups[0].LogGroupClass != types.LogGroupClassInfrequentAccess {
		t.Errorf("by pattern %+v", d.LogGroups)
	}
	_, err = c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{Limit: aws.Int32(51)})
	wantError(t, err, "InvalidParameterException", "1 validation error detected")
	var all []string
	pages := cloudwatchlogs.NewDescribeLogGroupsPaginator(c, &cloudwatchlogs.DescribeLogGroupsInput{Limit: aws.Int32(1)})
	for pages.HasMorePages() {
		for _, g := range ok[*cloudwatchlogs.DescribeLogGroupsOutput](t)(pages.NextPage(ctx)).LogGroups {
			all = append(all, aws.ToString(g.LogGroupName))
		}
	}
	if strings.Join(all, " ") != "/app/web /vpc/flow-logs" {
		t.Errorf("paged %v", all)
	}

	ok[*cloudwatchlogs.PutRetentionPolicyOutput](t)(c.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: name, RetentionInDays: aws.Int32(7)}))
	_, err = c.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: name, RetentionInDays: aws.Int32(8)})
	wantError(t, err, "InvalidParameterException", "Member must satisfy enum value set")
	key := "arn:aws:kms:eu-west-1:" + emulatortest.AccountA + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
	ok[*cloudwatchlogs.AssociateKmsKeyOutput](t)(c.AssociateKmsKey(ctx, &cloudwatchlogs.AssociateKmsKeyInput{LogGroupName: name, KmsKeyId: &key}))
	d = ok[*cloudwatchlogs.DescribeLogGroupsOutput](t)(c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: name}))
	if g := d.LogGroups[0]; aws.ToInt32(g.RetentionInDays) != 7 || aws.ToString(g.KmsKeyId) != key {
		t.Errorf("with retention and key %+v", g)
	}
	ok[*cloudwatchlogs.DeleteRetentionPolicyOutput](t)(c.DeleteRetentionPolicy(ctx, &cloudwatchlogs.DeleteRetentionPolicyInput{LogGroupName: name}))
	ok[*cloudwatchlogs.DisassociateKmsKeyOutput](t)(c.DisassociateKmsKey(ctx, &cloudwatchlogs.DisassociateKmsKeyInput{LogGroupName: name}))
	d = ok[*cloudwatchlogs.DescribeLogGroupsOutput](t)(c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: name}))
	if g := d.LogGroups[0]; g.RetentionInDays != nil || g.KmsKeyId != nil {
		t.Errorf("cleared %+v", g)
	}

	ok[*cloudwatchlogs.TagResourceOutput](t)(c.TagResource(ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"env": "dev"}}))
	ok[*cloudwatchlogs.UntagResourceOutput](t)(c.UntagResource(ctx, &cloudwatchlogs.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"team"}}))
	//lint:ignore SA1019 the legacy tag operations are served, and tested, as AWS still answers them
	ok[*cloudwatchlogs.TagLogGroupOutput](t)(c.TagLogGroup(ctx, &cloudwatchlogs.TagLogGroupInput{LogGroupName: name, Tags: map[string]string{"owner": "me"}}))
	//lint:ignore SA1019 the legacy tag operations are served, and tested, as AWS still answers them
	ok[*cloudwatchlogs.UntagLogGroupOutput](t)(c.UntagLogGroup(ctx, &cloudwatchlogs.UntagLogGroupInput{LogGroupName: name, Tags: []string{"owner"}}))
	tags := ok[*cloudwatchlogs.ListTagsForResourceOutput](t)(c.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: &arn}))
	//lint:ignore SA1019 the legacy tag operations are served, and tested, as AWS still answers them
	legacy := ok[*cloudwatchlogs.ListTagsLogGroupOutput](t)(c.ListTagsLogGroup(ctx, &cloudwatchlogs.ListTagsLogGroupInput{LogGroupName: name}))
	if len(tags.Tags) != 1 || tags.Tags["env"] != "dev" || len(legacy.Tags) != 1 {
		t.Errorf("tags %v, legacy %v", tags.Tags, legacy.Tags)
	}

	ok[*cloudwatchlogs.DeleteLogGroupOutput](t)(c.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: name}))
	_, err = c.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: name})
	var missing *types.ResourceNotFoundException
	if !errors.As(err, &missing) {
		t.Fatalf("deleted twice: %v", err)
	}
	wantError(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
	_, err = c.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: &arn})
	wantError(t, err, "ResourceNotFoundException", "The specified log group does not exist.")
}

// TestEventsRoundTrip: streams and events through the SDK: streams made,
// described and ordered, events put (tokens accepted and answered, too
// new ones reported), read back by GetLogEvents' tokens and by
// FilterLogEvents with a flow log pattern, a stream deleted.
func TestEventsRoundTrip(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.Logs(e, emulatortest.AccountA, "us-east-1")
	group := aws.String("/vpc/flow-logs")
	ok[*cloudwatchlogs.CreateLogGroupOutput](t)(c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: group}))
	for _, s := range []string{"eni-1", "eni-2"} {
		ok[*cloudwatchlogs.CreateLogStreamOutput](t)(c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: group, LogStreamName: aws.String(s)}))
	}
	_, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: group, LogStreamName: aws.String("eni-1")})
	wantError(t, err, "ResourceAlreadyExistsException", "The specified log stream already exists")
	_, err = c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("nope"), LogStreamName: aws.String("s")})
	wantError(t, err, "ResourceNotFoundException", "The specified log group does not exist.")

	now := time.Now().UnixMilli()
	put := ok[*cloudwatchlogs.PutLogEventsOutput](t)(c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: group, LogStreamName: aws.String("eni-1"), SequenceToken: aws.String("ignored"),
		LogEvents: []types.InputLogEvent{
			{Timestamp: aws.Int64(now - 2000), Message: aws.String("2 111111111111 eni-1 10.0.1.5 10.0.2.9 49152 443 6 10 840 1700000000 1700000060 ACCEPT OK")},
			{Timestamp: aws.Int64(now - 1000), Message: aws.String("2 111111111111 eni-1 198.51.100.7 10.0.1.5 50000 22 6 1 40 1700000000 1700000060 REJECT OK")},
			{Timestamp: aws.Int64(now + 3*3600*1000), Message: aws.String("from the future")},
		}}))
	if aws.ToString(put.NextSequenceToken) == "" || put.RejectedLogEventsInfo == nil || aws.ToInt32(put.RejectedLogEventsInfo.TooNewLogEventStartIndex) != 2 || put.RejectedLogEventsInfo.TooOldLogEventEndIndex != nil {
		t.Errorf("put %+v %+v", put, put.RejectedLogEventsInfo)
	}
	put = ok[*cloudwatchlogs.PutLogEventsOutput](t)(c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: group, LogStreamName: aws.String("eni-2"),
		LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(now - 1500), Message: aws.String("2 111111111111 eni-2 203.0.113.9 10.0.2.9 40000 3389 6 1 40 1700000000 1700000060 REJECT OK")}}}))
	if put.RejectedLogEventsInfo != nil {
		t.Errorf("put %+v", put.RejectedLogEventsInfo)
	}
	_, err = c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: group, LogStreamName: aws.String("eni-1"),
		LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(now), Message: aws.String("b")}, {Timestamp: aws.Int64(now - 1), Message: aws.String("a")}}})
	wantError(t, err, "InvalidParameterException", "must be in chronological order")
	_, err = c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: group, LogStreamName: aws.String("eni-9"),
		LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(now), Message: aws.String("a")}}})
	wantError(t, err, "ResourceNotFoundException", "The specified log stream does not exist.")

	streams := ok[*cloudwatchlogs.DescribeLogStreamsOutput](t)(c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: group, OrderBy: types.OrderByLastEventTime, Descending: aws.Bool(true)}))
	if len(streams.LogStreams) != 2 || aws.ToString(streams.LogStreams[0].LogStreamName) != "eni-1" || aws.ToInt64(streams.LogStreams[0].LastEventTimestamp) != now-1000 ||
		aws.ToInt64(streams.LogStreams[0].FirstEventTimestamp) != now-2000 || aws.ToString(streams.LogStreams[0].Arn) != "arn:aws:logs:us-east-1:"+emulatortest.AccountA+":log-group:/vpc/flow-logs:log-stream:eni-1" {
		t.Errorf("streams %+v", streams.LogStreams)
	}
	streams = ok[*cloudwatchlogs.DescribeLogStreamsOutput](t)(c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupIdentifier: aws.String("arn:aws:logs:us-east-1:" + emulatortest.AccountA + ":log-group:/vpc/flow-logs"), LogStreamNamePrefix: aws.String("eni-2")}))
	if len(streams.LogStreams) != 1 {
		t.Errorf("by identifier and prefix %+v", streams.LogStreams)
	}

	got := ok[*cloudwatchlogs.GetLogEventsOutput](t)(c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: group, LogStreamName: aws.String("eni-1"), StartFromHead: aws.Bool(true), Limit: aws.Int32(1)}))
	if len(got.Events) != 1 || !strings.HasSuffix(aws.ToString(got.Events[0].Message), "ACCEPT OK") || aws.ToInt64(got.Events[0].IngestionTime) == 0 ||
		!strings.HasPrefix(aws.ToString(got.NextForwardToken), "f/") || !strings.HasPrefix(aws.ToString(got.NextBackwardToken), "b/") {
		t.Fatalf("first page %+v", got)
	}
	got = ok[*cloudwatchlogs.GetLogEventsOutput](t)(c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: group, LogStreamName: aws.String("eni-1"), NextToken: got.NextForwardToken}))
	if len(got.Events) != 1 || !strings.HasSuffix(aws.ToString(got.Events[0].Message), "REJECT OK") {
		t.Fatalf("second page %+v", got)
	}
	end := ok[*cloudwatchlogs.GetLogEventsOutput](t)(c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: group, LogStreamName: aws.String("eni-1"), NextToken: got.NextForwardToken}))
	if len(end.Events) != 0 || aws.ToString(end.NextForwardToken) != aws.ToString(got.NextForwardToken) {
		t.Errorf("at the end %+v", end)
	}

	var rejects []string
	pages := cloudwatchlogs.NewFilterLogEventsPaginator(c, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: group, Limit: aws.Int32(1),
		FilterPattern: aws.String(`[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]`)})
	for pages.HasMorePages() {
		for _, ev := range ok[*cloudwatchlogs.FilterLogEventsOutput](t)(pages.NextPage(ctx)).Events {
			rejects = append(rejects, aws.ToString(ev.LogStreamName)+" "+strings.Fields(aws.ToString(ev.Message))[6])
		}
	}
	if strings.Join(rejects, ", ") != "eni-2 3389, eni-1 22" {
		t.Errorf("rejected %v", rejects)
	}
	_, err = c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: group, FilterPattern: aws.String(`"open`)})
	wantError(t, err, "InvalidParameterException", "Unterminated quoted string")

	ok[*cloudwatchlogs.DeleteLogStreamOutput](t)(c.DeleteLogStream(ctx, &cloudwatchlogs.DeleteLogStreamInput{LogGroupName: group, LogStreamName: aws.String("eni-1")}))
	_, err = c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: group, LogStreamName: aws.String("eni-1")})
	wantError(t, err, "ResourceNotFoundException", "The specified log stream does not exist.")
}
