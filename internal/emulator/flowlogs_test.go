package emulator_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
	"github.com/vpcemu/vpcemu/internal/flowlog"
)

// TestFlowLogsToCloudWatchLogs: the records the data plane hands over
// reach a cloud-watch-logs flow log's group as the wiring puts them
// together (flow logs → cloud.LogDelivery → the logs family), made on the
// way, one stream per interface, read back through the CloudWatch Logs
// API, the rejected ones by the space-delimited pattern; the flow log
// says SUCCESS.
func TestFlowLogsToCloudWatchLogs(t *testing.T) {
	e := emulatortest.Start(t)
	ctx := t.Context()
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	subnet, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24")})
	if err != nil {
		t.Fatal(err)
	}
	eni, err := c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: subnet.Subnet.SubnetId})
	if err != nil {
		t.Fatal(err)
	}
	fl, err := c.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{ResourceType: ec2types.FlowLogsResourceTypeVpc, ResourceIds: []string{aws.ToString(vpc.Vpc.VpcId)},
		TrafficType: ec2types.TrafficTypeAll, LogGroupName: aws.String("/vpc/flow-logs"), DeliverLogsPermissionArn: aws.String("arn:aws:iam::" + emulatortest.AccountA + ":role/flow-logs")})
	if err != nil || len(fl.FlowLogIds) != 1 {
		t.Fatalf("create-flow-logs %+v %v", fl, err)
	}

	id := aws.ToString(eni.NetworkInterface.NetworkInterfaceId)
	at := time.Now().Truncate(time.Minute)
	record := func(src, dst string, port uint16, action string) flowlog.Record {
		return flowlog.Record{Interface: id, Account: emulatortest.AccountA, VPC: aws.ToString(vpc.Vpc.VpcId), Subnet: aws.ToString(subnet.Subnet.SubnetId), Region: "us-east-1",
			Src: netip.MustParseAddr(src), Dst: netip.MustParseAddr(dst), SrcPort: 50000, DstPort: port, Protocol: 6, Packets: 1, Bytes: 60,
			Start: at, End: at.Add(time.Minute), Action: action, Direction: "ingress"}
	}
	ip := aws.ToString(eni.NetworkInterface.PrivateIpAddress)
	if err := e.FlowLogs.Deliver(ctx, []flowlog.Record{record("10.0.1.9", ip, 443, "ACCEPT"), record("198.51.100.7", ip, 22, "REJECT")}); err != nil {
		t.Fatal(err)
	}

	logs := emulatortest.Logs(e, emulatortest.AccountA, "us-east-1")
	got, err := logs.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("/vpc/flow-logs"), LogStreamName: &id, StartFromHead: aws.Bool(true)})
	if err != nil || len(got.Events) != 2 {
		t.Fatalf("the stream of %s: %+v %v", id, got, err)
	}
	if ts := aws.ToInt64(got.Events[0].Timestamp); ts != at.UnixMilli() {
		t.Errorf("timestamp %d, want the window's start %d", ts, at.UnixMilli())
	}
	rejected, err := logs.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/vpc/flow-logs"),
		FilterPattern: aws.String(`[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]`)})
	if err != nil || len(rejected.Events) != 1 || !strings.Contains(aws.ToString(rejected.Events[0].Message), "198.51.100.7 "+ip+" 50000 22 6 1 60") {
		t.Fatalf("REJECT records %+v %v", rejected, err)
	}
	described, err := c.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{FlowLogIds: fl.FlowLogIds})
	if err != nil || len(described.FlowLogs) != 1 || aws.ToString(described.FlowLogs[0].DeliverLogsStatus) != "SUCCESS" {
		t.Errorf("flow log %+v %v", described, err)
	}
}
