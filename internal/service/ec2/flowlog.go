package ec2

import (
	"context"
	"slices"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/flowlogs"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// VPC flow logs of VPCs, subnets and network interfaces.

// CreateFlowLogs implements ec2api.Handler.
func (s *Service) CreateFlowLogs(ctx context.Context, req *awsproto.Request, in *ec2api.CreateFlowLogsInput) (*ec2api.CreateFlowLogsOutput, error) {
	out, err := s.flowLogs.CreateFlowLogs(ctx, caller(req), flowlogs.Input{
		ResourceType: optional.Value(in.ResourceType), ResourceIDs: in.ResourceIds, TrafficType: optional.Value(in.TrafficType),
		DestinationType: optional.Value(in.LogDestinationType), Destination: optional.Value(in.LogDestination),
		LogGroupName: optional.Value(in.LogGroupName), DeliverLogsPermissionARN: optional.Value(in.DeliverLogsPermissionArn),
		DeliverCrossAccountRole: optional.Value(in.DeliverCrossAccountRole), LogFormat: optional.Value(in.LogFormat),
		MaxAggregationInterval: int(optional.Value(in.MaxAggregationInterval)), DestinationOptions: destinationOptionsIn(in.DestinationOptions),
		Tags: tagSpecs(in.TagSpecifications),
	})
	if err != nil {
		return nil, err
	}
	return &ec2api.CreateFlowLogsOutput{ClientToken: in.ClientToken, FlowLogIds: out.IDs, Unsuccessful: unsuccessfulItems(out.Unsuccessful)}, nil
}

func destinationOptionsIn(o *ec2api.DestinationOptionsRequest) *flowlogs.DestinationOptions {
	if o == nil {
		return nil
	}
	return &flowlogs.DestinationOptions{FileFormat: optional.Value(o.FileFormat), HiveCompatiblePartitions: o.HiveCompatiblePartitions, PerHourPartition: o.PerHourPartition}
}

// flowLogShape renders a flow log as DescribeFlowLogs shows it.
func flowLogShape(f *flowlogs.FlowLog) ec2api.FlowLog {
	out := ec2api.FlowLog{
		CreationTime: optional.Time(f.CreationTime), FlowLogId: new(f.ID), FlowLogStatus: new(f.Status()),
		ResourceId: new(f.ResourceID), TrafficType: new(f.TrafficType),
		LogDestinationType: new(f.DestinationType), LogDestination: optional.String(f.Destination), LogGroupName: optional.String(f.LogGroupName),
		DeliverLogsPermissionArn: optional.String(f.DeliverLogsPermissionARN), DeliverCrossAccountRole: optional.String(f.DeliverCrossAccountRole),
		DeliverLogsStatus: new(f.DeliverStatus), DeliverLogsErrorMessage: optional.String(f.DeliverError),
		LogFormat: new(f.LogFormat), MaxAggregationInterval: new(int32(f.MaxAggregationInterval)), Tags: tagSet(f.Tags),
	}
	if o := f.DestinationOptions; o != nil {
		out.DestinationOptions = &ec2api.DestinationOptionsResponse{FileFormat: optional.String(o.FileFormat), HiveCompatiblePartitions: o.HiveCompatiblePartitions, PerHourPartition: o.PerHourPartition}
	}
	return out
}

var flowLogFilters = &filters[*flowlogs.FlowLog]{
	values: map[string]func(*flowlogs.FlowLog) []string{
		"deliver-log-status":   func(f *flowlogs.FlowLog) []string { return one(f.DeliverStatus) },
		"log-destination-type": func(f *flowlogs.FlowLog) []string { return one(f.DestinationType) },
		"flow-log-id":          func(f *flowlogs.FlowLog) []string { return one(f.ID) },
		"log-group-name":       func(f *flowlogs.FlowLog) []string { return one(f.LogGroupName) },
		"resource-id":          func(f *flowlogs.FlowLog) []string { return one(f.ResourceID) },
		"traffic-type":         func(f *flowlogs.FlowLog) []string { return one(f.TrafficType) },
	},
	tags: func(f *flowlogs.FlowLog) cloud.Tags { return f.Tags },
}

// DescribeFlowLogs implements ec2api.Handler. Ids select as a filter
// does: an id that is not a flow log of the caller's is left out, not
// refused, as AWS answers.
func (s *Service) DescribeFlowLogs(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeFlowLogsInput) (*ec2api.DescribeFlowLogsOutput, error) {
	match, named, err := flowLogFilters.compile(in.Filter)
	if err != nil {
		return nil, err
	}
	q, err := query(nil, named, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	ids := in.FlowLogIds
	page, err := cloud.List[flowlogs.FlowLog](ctx, s.cloud, caller(req), q, func(f *flowlogs.FlowLog) bool {
		return (len(ids) == 0 || slices.Contains(ids, f.ID)) && (match == nil || match(f))
	})
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeFlowLogsOutput{FlowLogs: make([]ec2api.FlowLog, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, f := range page.Items {
		out.FlowLogs = append(out.FlowLogs, flowLogShape(f))
	}
	return out, nil
}

// DeleteFlowLogs implements ec2api.Handler.
func (s *Service) DeleteFlowLogs(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteFlowLogsInput) (*ec2api.DeleteFlowLogsOutput, error) {
	failed, err := s.flowLogs.DeleteFlowLogs(ctx, caller(req), in.FlowLogIds)
	if err != nil {
		return nil, err
	}
	return &ec2api.DeleteFlowLogsOutput{Unsuccessful: unsuccessfulItems(failed)}, nil
}
