package flowlogs

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
	"github.com/vpcemu/vpcemu/internal/flowlog"
)

var alice = cloudtest.Alice

const role = "arn:aws:iam::111111111111:role/flow-logs"

// fixture is the family on a fresh store with sequential ids: alice has a
// VPC with a subnet and an interface in it.
type fixture struct {
	t      *testing.T
	c      *cloud.Cloud
	net    *network.Service
	fl     *Service
	ctx    context.Context
	vpc    string
	subnet string
	eni    string
	s3     string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	c := cloudtest.Fixed(t)
	f := &fixture{t: t, c: c, net: network.New(c), ctx: context.Background(), s3: t.TempDir()}
	f.fl = New(c, S3Dir(f.s3))
	vpc, err := f.net.CreateVPC(f.ctx, alice, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	subnet, err := f.net.CreateSubnet(f.ctx, alice, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24"})
	if err != nil {
		t.Fatal(err)
	}
	eni, err := f.net.CreateNetworkInterface(f.ctx, alice, network.CreateNetworkInterfaceInput{SubnetID: subnet.ID})
	if err != nil {
		t.Fatal(err)
	}
	f.vpc, f.subnet, f.eni = vpc.ID, subnet.ID, eni.ID
	return f
}

// create makes flow logs of alice's and fails on any refusal.
func (f *fixture) create(in Input) []string {
	f.t.Helper()
	out, err := f.fl.CreateFlowLogs(f.ctx, alice, in)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(out.Unsuccessful) > 0 {
		f.t.Fatalf("unsuccessful: %+v", out.Unsuccessful[0].Err)
	}
	return out.IDs
}

func (f *fixture) get(id string) *FlowLog {
	f.t.Helper()
	return cloudtest.ReadAs[FlowLog](f.t, f.c, alice, id)
}

// cwl is a flow log of a VPC to a log group by name.
func cwl(resourceType, id string) Input {
	return Input{ResourceType: resourceType, ResourceIDs: []string{id}, TrafficType: "ALL", LogGroupName: "/vpc/flow-logs", DeliverLogsPermissionARN: role}
}

func TestCreateRefusals(t *testing.T) {
	f := newFixture(t)
	vpc := func(edit func(*Input)) Input {
		in := cwl(ResourceVPC, f.vpc)
		edit(&in)
		return in
	}
	cases := []struct {
		name   string
		in     Input
		reason cloud.Reason
		msg    string
	}{
		{"no traffic type", vpc(func(in *Input) { in.TrafficType = "" }), cloud.MissingParameter, "TrafficType"},
		{"bad traffic type", vpc(func(in *Input) { in.TrafficType = "SOME" }), cloud.InvalidParameter, "TrafficType is invalid"},
		{"bad resource type", vpc(func(in *Input) { in.ResourceType = "Instance" }), cloud.InvalidParameter, "ResourceType is invalid"},
		{"transit gateway", vpc(func(in *Input) { in.ResourceType = "TransitGateway" }), cloud.Unsupported, "transit gateways"},
		{"regional NAT gateway", vpc(func(in *Input) { in.ResourceType = "RegionalNatGateway" }), cloud.Unsupported, "regional NAT gateways"},
		{"no resources", vpc(func(in *Input) { in.ResourceIDs = nil }), cloud.MissingParameter, "ResourceIds"},
		{"interval", vpc(func(in *Input) { in.MaxAggregationInterval = 10 }), cloud.InvalidParameter, "Invalid Flow Log Max Aggregation Interval"},
		{"unknown field", vpc(func(in *Input) { in.LogFormat = "${srcaddr} ${foo}" }), cloud.InvalidParameter, "${foo}"},
		{"format syntax", vpc(func(in *Input) { in.LogFormat = flowlog.DefaultFormat + " " }), cloud.InvalidParameter, "invalid format"},
		{"firehose", vpc(func(in *Input) { in.DestinationType = DestinationFirehose }), cloud.Unsupported, "Firehose"},
		{"bad destination type", vpc(func(in *Input) { in.DestinationType = "sqs" }), cloud.InvalidParameter, "LogDestinationType is invalid"},
		{"cwl without role", vpc(func(in *Input) { in.DeliverLogsPermissionARN = "" }), cloud.InvalidParameter, "DeliverLogsPermissionArn can't be empty"},
		{"cwl without group", vpc(func(in *Input) { in.LogGroupName = "" }), cloud.InvalidParameter, "LogDestination can't be empty"},
		{"cwl group twice", vpc(func(in *Input) { in.Destination = "arn:aws:logs:us-east-1:111111111111:log-group:x" }), cloud.InvalidParameter, "only provide"},
		{"cwl bad ARN", vpc(func(in *Input) { in.LogGroupName, in.Destination = "", "arn:aws:s3:::bucket" }), cloud.InvalidParameter, "log group ARN"},
		{"s3 with group", vpc(func(in *Input) { in.DestinationType, in.DeliverLogsPermissionARN = DestinationS3, "" }), cloud.InvalidParameter, "must be cloud-watch-logs"},
		{"s3 without bucket", vpc(func(in *Input) {
			in.DestinationType, in.LogGroupName, in.DeliverLogsPermissionARN = DestinationS3, "", ""
		}), cloud.InvalidParameter, "LogDestination can't be empty"},
		{"s3 bad ARN", vpc(func(in *Input) {
			in.DestinationType, in.LogGroupName, in.Destination, in.DeliverLogsPermissionARN = DestinationS3, "", "arn:aws:s3:::UPPER", ""
		}), cloud.InvalidParameter, "S3 bucket ARN"},
		{"s3 escaping prefix", vpc(func(in *Input) {
			in.DestinationType, in.LogGroupName, in.Destination, in.DeliverLogsPermissionARN = DestinationS3, "", "arn:aws:s3:::bucket/../x", ""
		}), cloud.InvalidParameter, "S3 bucket ARN"},
		{"s3 with a role", vpc(func(in *Input) {
			in.DestinationType, in.LogGroupName, in.Destination = DestinationS3, "", "arn:aws:s3:::bucket"
		}), cloud.InvalidParameter, "not applicable for s3"},
		{"cross-account role alone", vpc(func(in *Input) { in.DeliverLogsPermissionARN, in.DeliverCrossAccountRole = "", role }), cloud.InvalidParameter, "both the DeliverLogsPermissionArn and DeliverCrossAccountRole"},
		{"parquet", vpc(func(in *Input) {
			in.DestinationType, in.LogGroupName, in.Destination, in.DeliverLogsPermissionARN = DestinationS3, "", "arn:aws:s3:::bucket", ""
			in.DestinationOptions = &DestinationOptions{FileFormat: FileParquet}
		}), cloud.Unsupported, "plain text"},
		{"tag type", vpc(func(in *Input) { in.Tags = []cloud.TagSpec{{ResourceType: "vpc", Tags: []cloud.Tag{{Key: "a"}}}} }), cloud.InvalidParameter, "not a valid taggable resource type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.fl.CreateFlowLogs(f.ctx, alice, tc.in)
			cloudtest.RefusedWith(t, err, tc.reason, tc.name)
			if e, _ := cloud.AsError(err); !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("message %q, want it to contain %q", e.Msg, tc.msg)
			}
		})
	}
}

func TestCreate(t *testing.T) {
	f := newFixture(t)
	s3 := Input{ResourceType: ResourceSubnet, ResourceIDs: []string{f.subnet}, TrafficType: "reject", DestinationType: DestinationS3,
		Destination: "arn:aws:s3:::flow-bucket/logs", MaxAggregationInterval: 60, LogFormat: "${version} ${tcp-flags}",
		DestinationOptions: &DestinationOptions{FileFormat: FilePlainText, PerHourPartition: new(true)},
		Tags:               []cloud.TagSpec{{ResourceType: "vpc-flow-log", Tags: []cloud.Tag{{Key: "Name", Value: "s3"}}}}}
	byARN := cwl(ResourceInterface, f.eni)
	byARN.LogGroupName, byARN.Destination = "", "arn:aws:logs:us-east-1:111111111111:log-group:/by/arn:*"
	cases := []struct {
		name string
		in   Input
		want FlowLog
	}{
		{"vpc to a log group", cwl(ResourceVPC, f.vpc), FlowLog{ResourceID: f.vpc, ResourceType: ResourceVPC, TrafficType: TrafficAll,
			DestinationType: DestinationCloudWatchLogs, Destination: "arn:aws:logs:us-east-1:111111111111:log-group:/vpc/flow-logs", LogGroupName: "/vpc/flow-logs",
			DeliverLogsPermissionARN: role, LogFormat: flowlog.DefaultFormat, MaxAggregationInterval: 600, DeliverStatus: DeliverOK}},
		{"interface to a group ARN", byARN, FlowLog{ResourceID: f.eni, ResourceType: ResourceInterface, TrafficType: TrafficAll,
			DestinationType: DestinationCloudWatchLogs, Destination: "arn:aws:logs:us-east-1:111111111111:log-group:/by/arn", LogGroupName: "/by/arn",
			DeliverLogsPermissionARN: role, LogFormat: flowlog.DefaultFormat, MaxAggregationInterval: 600, DeliverStatus: DeliverOK}},
		{"subnet to s3", s3, FlowLog{ResourceID: f.subnet, ResourceType: ResourceSubnet, TrafficType: TrafficReject,
			DestinationType: DestinationS3, Destination: "arn:aws:s3:::flow-bucket/logs", LogFormat: "${version} ${tcp-flags}",
			MaxAggregationInterval: 60, DeliverStatus: DeliverOK, DestinationOptions: s3.DestinationOptions}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ids := f.create(tc.in)
			if len(ids) != 1 {
				t.Fatalf("ids %v", ids)
			}
			got := f.get(ids[0])
			want := tc.want
			want.Meta = got.Meta
			want.CreationTime = got.CreationTime
			if got.Owner != alice.Account || got.Region != alice.Region || got.CreationTime.IsZero() || got.Status() != StatusActive {
				t.Errorf("meta %+v created %v", got.Meta, got.CreationTime)
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got  %+v\nwant %+v", *got, want)
			}
		})
	}
	if tags := f.get(f.create(Input{ResourceType: ResourceVPC, ResourceIDs: []string{f.vpc}, TrafficType: "ACCEPT", DestinationType: DestinationS3,
		Destination: "arn:aws:s3:::other", Tags: s3.Tags})[0]).Tags; tags["Name"] != "s3" {
		t.Errorf("tags %v", tags)
	}
}

func TestCreateUnsuccessful(t *testing.T) {
	f := newFixture(t)
	f.create(cwl(ResourceVPC, f.vpc))
	in := cwl(ResourceVPC, f.vpc)
	in.ResourceIDs = []string{f.vpc, "vpc-0123456789abcdef0", f.vpc}
	out, err := f.fl.CreateFlowLogs(f.ctx, alice, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.IDs) != 0 || len(out.Unsuccessful) != 2 {
		t.Fatalf("%+v", out)
	}
	cloudtest.WantReason(t, out.Unsuccessful[0].Err, cloud.Duplicate, cloud.KindFlowLog, "existing Flow Log with the same configuration")
	cloudtest.WantReason(t, out.Unsuccessful[1].Err, cloud.NotFound, cloud.KindVPC, "vpc-0123456789abcdef0")
	// Another format, or another destination, is another flow log.
	in = cwl(ResourceVPC, f.vpc)
	in.LogFormat = "${srcaddr}"
	f.create(in)
	in = cwl(ResourceVPC, f.vpc)
	in.LogGroupName = "/other"
	f.create(in)
	// A subnet id is not a VPC.
	in = cwl(ResourceVPC, f.subnet)
	out, err = f.fl.CreateFlowLogs(f.ctx, alice, in)
	if err != nil || len(out.Unsuccessful) != 1 {
		t.Fatalf("%+v %v", out, err)
	}
	cloudtest.WantReason(t, out.Unsuccessful[0].Err, cloud.NotFound, cloud.KindVPC, f.subnet)
}

func TestDelete(t *testing.T) {
	f := newFixture(t)
	ids := f.create(cwl(ResourceVPC, f.vpc))
	failed, err := f.fl.DeleteFlowLogs(f.ctx, alice, []string{ids[0], "fl-0123456789abcdef0"})
	if err != nil || len(failed) != 1 || failed[0].ID != "fl-0123456789abcdef0" {
		t.Fatalf("%+v %v", failed, err)
	}
	cloudtest.WantReason(t, failed[0].Err, cloud.NotFound, cloud.KindFlowLog, "These flow log ids in the input list are not found: [TotalCount: 1] fl-0123456789abcdef0")
	failed, _ = f.fl.DeleteFlowLogs(f.ctx, alice, ids)
	if len(failed) != 1 {
		t.Errorf("deleted twice: %+v", failed)
	}
}

// TestGoesWithItsResource checks that deleting what a flow log watches
// deletes the flow log.
func TestGoesWithItsResource(t *testing.T) {
	f := newFixture(t)
	onENI := f.create(cwl(ResourceInterface, f.eni))[0]
	onSubnet := f.create(cwl(ResourceSubnet, f.subnet))[0]
	onVPC := f.create(cwl(ResourceVPC, f.vpc))[0]
	exists := func(id string) bool {
		var n int
		cloudtest.Read(t, f.c, func(tx *cloud.Txn) error {
			_, err := cloud.GetIn[FlowLog](tx, id)
			if err == nil {
				n++
			}
			return nil
		})
		return n == 1
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.net.DeleteNetworkInterface(f.ctx, alice, f.eni))
	if exists(onENI) || !exists(onSubnet) {
		t.Fatal("interface deleted: its flow log stays, or the subnet's went")
	}
	must(f.net.DeleteSubnet(f.ctx, alice, f.subnet))
	if exists(onSubnet) || !exists(onVPC) {
		t.Fatal("subnet deleted")
	}
	must(f.net.DeleteVPC(f.ctx, alice, f.vpc))
	if exists(onVPC) {
		t.Fatal("VPC deleted, its flow log stays")
	}
}
