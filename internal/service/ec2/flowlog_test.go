package ec2_test

import (
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/flowlog"
)

const flowLogRole = "arn:aws:iam::111111111111:role/flow-logs"

// TestFlowLogsRoundTrip creates, describes, filters, pages and deletes
// flow logs through aws-sdk-go-v2.
func TestFlowLogsRoundTrip(t *testing.T) {
	f := newFixture(t)
	vpc, err := f.c.CreateVpc(f.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	f.must(err)
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	subnet, err := f.c.CreateSubnet(f.ctx, &ec2.CreateSubnetInput{VpcId: &vpcID, CidrBlock: aws.String("10.0.1.0/24")})
	f.must(err)
	subnetID := aws.ToString(subnet.Subnet.SubnetId)

	cwl, err := f.c.CreateFlowLogs(f.ctx, &ec2.CreateFlowLogsInput{
		ResourceType: types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpcID}, TrafficType: types.TrafficTypeAll,
		LogGroupName: aws.String("/vpc/flow-logs"), DeliverLogsPermissionArn: aws.String(flowLogRole), ClientToken: aws.String("token-1"),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeVpcFlowLog, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("net")}}}},
	})
	f.must(err)
	if len(cwl.FlowLogIds) != 1 || len(cwl.Unsuccessful) != 0 || aws.ToString(cwl.ClientToken) != "token-1" {
		t.Fatalf("create: %+v", cwl)
	}
	cwlID := cwl.FlowLogIds[0]
	again, err := f.c.CreateFlowLogs(f.ctx, &ec2.CreateFlowLogsInput{
		ResourceType: types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpcID}, TrafficType: types.TrafficTypeAll,
		LogGroupName: aws.String("/vpc/flow-logs"), DeliverLogsPermissionArn: aws.String(flowLogRole), ClientToken: aws.String("token-1"),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeVpcFlowLog, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("net")}}}},
	})
	f.must(err)
	if len(again.FlowLogIds) != 1 || again.FlowLogIds[0] != cwlID {
		t.Errorf("the client token's second call: %+v", again.FlowLogIds)
	}

	s3, err := f.c.CreateFlowLogs(f.ctx, &ec2.CreateFlowLogsInput{
		ResourceType: types.FlowLogsResourceTypeSubnet, ResourceIds: []string{subnetID, "subnet-0123456789abcdef0"}, TrafficType: types.TrafficTypeReject,
		LogDestinationType: types.LogDestinationTypeS3, LogDestination: aws.String("arn:aws:s3:::flow-bucket/team"),
		LogFormat: aws.String("${version} ${srcaddr} ${flow-direction}"), MaxAggregationInterval: aws.Int32(60),
		DestinationOptions: &types.DestinationOptionsRequest{FileFormat: types.DestinationFileFormatPlainText, PerHourPartition: aws.Bool(true)},
	})
	f.must(err)
	if len(s3.FlowLogIds) != 1 || len(s3.Unsuccessful) != 1 || aws.ToString(s3.Unsuccessful[0].ResourceId) != "subnet-0123456789abcdef0" ||
		aws.ToString(s3.Unsuccessful[0].Error.Code) != "InvalidSubnetID.NotFound" {
		t.Fatalf("create with a missing subnet: %+v", s3)
	}
	s3ID := s3.FlowLogIds[0]

	dup, err := f.c.CreateFlowLogs(f.ctx, &ec2.CreateFlowLogsInput{
		ResourceType: types.FlowLogsResourceTypeVpc, ResourceIds: []string{vpcID}, TrafficType: types.TrafficTypeAccept,
		LogGroupName: aws.String("/vpc/flow-logs"), DeliverLogsPermissionArn: aws.String(flowLogRole),
	})
	f.must(err)
	if len(dup.Unsuccessful) != 1 || aws.ToString(dup.Unsuccessful[0].Error.Code) != "FlowLogAlreadyExists" {
		t.Errorf("duplicate: %+v", dup.Unsuccessful)
	}

	d, err := f.c.DescribeFlowLogs(f.ctx, &ec2.DescribeFlowLogsInput{FlowLogIds: []string{cwlID}})
	f.must(err)
	if len(d.FlowLogs) != 1 {
		t.Fatalf("describe: %+v", d.FlowLogs)
	}
	got := d.FlowLogs[0]
	want := map[string]string{
		"FlowLogId": cwlID, "ResourceId": vpcID, "TrafficType": "ALL", "LogDestinationType": "cloud-watch-logs",
		"LogGroupName": "/vpc/flow-logs", "LogDestination": "arn:aws:logs:us-east-1:111111111111:log-group:/vpc/flow-logs",
		"DeliverLogsPermissionArn": flowLogRole, "DeliverLogsStatus": "SUCCESS", "FlowLogStatus": "ACTIVE", "LogFormat": flowlog.DefaultFormat,
	}
	have := map[string]string{
		"FlowLogId": aws.ToString(got.FlowLogId), "ResourceId": aws.ToString(got.ResourceId), "TrafficType": string(got.TrafficType),
		"LogDestinationType": string(got.LogDestinationType), "LogGroupName": aws.ToString(got.LogGroupName), "LogDestination": aws.ToString(got.LogDestination),
		"DeliverLogsPermissionArn": aws.ToString(got.DeliverLogsPermissionArn), "DeliverLogsStatus": aws.ToString(got.DeliverLogsStatus),
		"FlowLogStatus": aws.ToString(got.FlowLogStatus), "LogFormat": aws.ToString(got.LogFormat),
	}
	for k, v := range want {
		if have[k] != v {
			t.Errorf("%s = %q, want %q", k, have[k], v)
		}
	}
	if aws.ToInt32(got.MaxAggregationInterval) != 600 || got.CreationTime == nil || len(got.Tags) != 1 || got.DestinationOptions != nil {
		t.Errorf("describe: %+v", got)
	}
	d, err = f.c.DescribeFlowLogs(f.ctx, &ec2.DescribeFlowLogsInput{FlowLogIds: []string{s3ID}})
	f.must(err)
	if o := d.FlowLogs[0].DestinationOptions; o == nil || o.FileFormat != types.DestinationFileFormatPlainText || !aws.ToBool(o.PerHourPartition) ||
		aws.ToInt32(d.FlowLogs[0].MaxAggregationInterval) != 60 || d.FlowLogs[0].LogGroupName != nil {
		t.Errorf("s3 flow log: %+v", d.FlowLogs[0])
	}

	ids := func(in *ec2.DescribeFlowLogsInput) []string {
		var out []string
		for p := ec2.NewDescribeFlowLogsPaginator(f.c, in); p.HasMorePages(); {
			page, err := p.NextPage(f.ctx)
			f.must(err)
			for _, fl := range page.FlowLogs {
				out = append(out, aws.ToString(fl.FlowLogId))
			}
		}
		return out
	}
	checkFilters(t, []filterCase{
		{"resource-id", []string{vpcID}, []string{cwlID}},
		{"resource-id", []string{subnetID, vpcID}, []string{cwlID, s3ID}},
		{"log-destination-type", []string{"s3"}, []string{s3ID}},
		{"log-group-name", []string{"/vpc/*"}, []string{cwlID}},
		{"traffic-type", []string{"REJECT"}, []string{s3ID}},
		{"deliver-log-status", []string{"SUCCESS"}, []string{cwlID, s3ID}},
		{"flow-log-id", []string{s3ID}, []string{s3ID}},
		{"tag:team", []string{"net"}, []string{cwlID}},
		{"tag-key", []string{"team"}, []string{cwlID}},
	}, func(fl types.Filter) ([]string, error) {
		return ids(&ec2.DescribeFlowLogsInput{Filter: []types.Filter{fl}}), nil
	})
	sameIDs(t, ids(&ec2.DescribeFlowLogsInput{MaxResults: aws.Int32(5)}), []string{cwlID, s3ID})
	if got := ids(&ec2.DescribeFlowLogsInput{FlowLogIds: []string{"fl-0123456789abcdef0"}}); len(got) != 0 {
		t.Errorf("an unknown id: %v", got)
	}
	_, err = f.c.DescribeFlowLogs(f.ctx, &ec2.DescribeFlowLogsInput{Filter: []types.Filter{{Name: aws.String("bogus"), Values: []string{"x"}}}})
	f.wantErr(err, "InvalidParameterValue", "bogus")

	del, err := f.c.DeleteFlowLogs(f.ctx, &ec2.DeleteFlowLogsInput{FlowLogIds: []string{cwlID, "fl-0123456789abcdef0"}})
	f.must(err)
	if len(del.Unsuccessful) != 1 || aws.ToString(del.Unsuccessful[0].Error.Code) != "InvalidFlowLogId.NotFound" {
		t.Errorf("delete: %+v", del.Unsuccessful)
	}
	sameIDs(t, ids(&ec2.DescribeFlowLogsInput{}), []string{s3ID})
}

func TestFlowLogRefusals(t *testing.T) {
	f := newFixture(t)
	vpc, err := f.c.CreateVpc(f.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	f.must(err)
	base := func() *ec2.CreateFlowLogsInput {
		return &ec2.CreateFlowLogsInput{ResourceType: types.FlowLogsResourceTypeVpc, ResourceIds: []string{aws.ToString(vpc.Vpc.VpcId)},
			TrafficType: types.TrafficTypeAll, LogGroupName: aws.String("g"), DeliverLogsPermissionArn: aws.String(flowLogRole)}
	}
	edit := func(fn func(*ec2.CreateFlowLogsInput)) *ec2.CreateFlowLogsInput { in := base(); fn(in); return in }
	checkInputRefusals(t, []inputRefusal[*ec2.CreateFlowLogsInput]{
		{"unknown field", edit(func(in *ec2.CreateFlowLogsInput) { in.LogFormat = aws.String("${srcaddr} ${nope}") }), "InvalidParameter", "${nope}"},
		{"interval", edit(func(in *ec2.CreateFlowLogsInput) { in.MaxAggregationInterval = aws.Int32(300) }), "InvalidParameter", "Max Aggregation Interval"},
		{"no role", edit(func(in *ec2.CreateFlowLogsInput) { in.DeliverLogsPermissionArn = nil }), "InvalidParameter", "DeliverLogsPermissionArn"},
		{"no traffic type", edit(func(in *ec2.CreateFlowLogsInput) { in.TrafficType = "" }), "MissingParameter", "TrafficType"},
		{"transit gateway", edit(func(in *ec2.CreateFlowLogsInput) { in.ResourceType = types.FlowLogsResourceTypeTransitGateway }), "UnsupportedOperation", "transit gateways"},
		{"firehose", edit(func(in *ec2.CreateFlowLogsInput) {
			in.LogGroupName, in.LogDestinationType = nil, types.LogDestinationTypeKinesisDataFirehose
		}), "UnsupportedOperation", "Firehose"},
	}, func(in *ec2.CreateFlowLogsInput) error {
		_, err := f.c.CreateFlowLogs(f.ctx, in)
		return err
	})
}

// TestFlowLogsDeliverThroughTheEmulator hands the emulator's flow logs a
// record, as the data plane will, and finds it in the S3 directory.
func TestFlowLogsDeliverThroughTheEmulator(t *testing.T) {
	f := newFixture(t)
	vpc, err := f.c.CreateVpc(f.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	f.must(err)
	subnet, err := f.c.CreateSubnet(f.ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24")})
	f.must(err)
	eni, err := f.c.CreateNetworkInterface(f.ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: subnet.Subnet.SubnetId})
	f.must(err)
	out, err := f.c.CreateFlowLogs(f.ctx, &ec2.CreateFlowLogsInput{ResourceType: types.FlowLogsResourceTypeVpc, ResourceIds: []string{aws.ToString(vpc.Vpc.VpcId)},
		TrafficType: types.TrafficTypeAll, LogDestinationType: types.LogDestinationTypeS3, LogDestination: aws.String("arn:aws:s3:::bucket")})
	f.must(err)
	at := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	f.must(f.em.FlowLogs.Deliver(f.ctx, []flowlog.Record{{Interface: aws.ToString(eni.NetworkInterface.NetworkInterfaceId), Account: "111111111111", Region: "us-east-1",
		Src: netip.MustParseAddr("10.0.1.4"), Dst: netip.MustParseAddr("10.0.1.5"), Protocol: 6, Start: at, End: at, Action: "ACCEPT"}}))
	files, _ := filepath.Glob(filepath.Join(f.em.FlowLogsS3Dir, "bucket", "AWSLogs", "111111111111", "vpcflowlogs", "us-east-1", "2026", "05", "06", "*_"+out.FlowLogIds[0]+"_20260506T0705Z_*.log.gz"))
	if len(files) != 1 {
		t.Errorf("S3 files: %v", files)
	}
}
