package flowlogs

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/flowlog"
)

// Resource types, traffic types, destination types and delivery statuses,
// as EC2 spells them.
const (
	ResourceVPC       = "VPC"
	ResourceSubnet    = "Subnet"
	ResourceInterface = "NetworkInterface"

	TrafficAccept = "ACCEPT"
	TrafficReject = "REJECT"
	TrafficAll    = "ALL"

	DestinationCloudWatchLogs = "cloud-watch-logs"
	DestinationS3             = "s3"
	DestinationFirehose       = "kinesis-data-firehose"

	StatusActive  = "ACTIVE"
	DeliverOK     = "SUCCESS"
	DeliverFailed = "FAILED"

	FilePlainText = "plain-text"
	FileParquet   = "parquet"
)

// resourceKinds are the kinds a flow log may watch, by ResourceType.
var resourceKinds = map[string]cloud.Kind{
	ResourceVPC:       cloud.KindVPC,
	ResourceSubnet:    cloud.KindSubnet,
	ResourceInterface: cloud.KindNetworkInterface,
}

// unmodelled are the resource types AWS takes that vpcemu has nothing for.
var unmodelled = map[string]string{
	"TransitGateway":           "transit gateways",
	"TransitGatewayAttachment": "transit gateway attachments",
	"RegionalNatGateway":       "regional NAT gateways",
}

// FlowLog (fl-…) records the traffic of a VPC, a subnet or a network
// interface to a destination. AWS never changes one after its creation.
type FlowLog struct {
	cloud.Meta
	CreationTime time.Time
	ResourceID   string
	ResourceType string
	TrafficType  string
	// DestinationType is cloud-watch-logs or s3; Destination the ARN of
	// the log group or of the bucket (and prefix). LogGroupName is the
	// group's name, for cloud-watch-logs.
	DestinationType          string
	Destination              string
	LogGroupName             string `json:",omitempty"`
	DeliverLogsPermissionARN string `json:",omitempty"`
	DeliverCrossAccountRole  string `json:",omitempty"`
	LogFormat                string
	MaxAggregationInterval   int
	// DestinationOptions are kept as the caller gave them (s3 only).
	DestinationOptions *DestinationOptions `json:",omitempty"`
	// DeliverStatus is SUCCESS until a delivery fails, and DeliverError
	// then says why as AWS does ("Access error").
	DeliverStatus string
	DeliverError  string `json:",omitempty"`
}

// DestinationOptions are how S3 files are laid out.
type DestinationOptions struct {
	FileFormat               string `json:",omitempty"`
	HiveCompatiblePartitions *bool  `json:",omitempty"`
	PerHourPartition         *bool  `json:",omitempty"`
}

func (*FlowLog) Kind() cloud.Kind { return cloud.KindFlowLog }

func init() {
	cloud.RegisterType[FlowLog]()
	// A flow log goes with what it watches.
	for _, k := range resourceKinds {
		cloud.OnRemove(k, removeFlowLogsOf)
	}
}

// flowLogIndexes are the filters DescribeFlowLogs finds by index; delivery
// finds a resource's flow logs by resource-id.
var flowLogIndexes = cloud.Declare(cloud.KindFlowLog, cloud.Same("resource-id", "log-group-name", "log-destination-type", "traffic-type"), nil)

func (f *FlowLog) Keys() []cloud.Key {
	keys := []cloud.Key{
		flowLogIndexes.Key("resource-id", f.ResourceID),
		flowLogIndexes.Key("log-destination-type", f.DestinationType),
		flowLogIndexes.Key("traffic-type", f.TrafficType),
	}
	if f.LogGroupName != "" {
		keys = append(keys, flowLogIndexes.Key("log-group-name", f.LogGroupName))
	}
	return keys
}

// ARN is the flow log's Amazon Resource Name.
func (f *FlowLog) ARN() string { return f.EC2ARN(string(cloud.KindFlowLog)) }

// Status is the flow log's state: always ACTIVE, as AWS's are.
func (f *FlowLog) Status() string { return StatusActive }

// Keeps reports whether the flow log records traffic of this action.
func (f *FlowLog) Keeps(action string) bool {
	return f.TrafficType == TrafficAll || f.TrafficType == action
}

// Format is the flow log's record format.
func (f *FlowLog) Format() (*flowlog.Format, error) { return flowlog.Parse(f.LogFormat) }

// same reports whether two flow logs of one resource deliver the same
// records to the same place: AWS refuses the second (FlowLogAlreadyExists).
func (f *FlowLog) same(g *FlowLog) bool {
	return f.ResourceID == g.ResourceID && f.DestinationType == g.DestinationType &&
		f.Destination == g.Destination && f.LogFormat == g.LogFormat
}

// Input is what CreateFlowLogs takes.
type Input struct {
	ResourceType string
	ResourceIDs  []string
	TrafficType  string
	// DestinationType is cloud-watch-logs when empty.
	DestinationType          string
	Destination              string
	LogGroupName             string
	DeliverLogsPermissionARN string
	DeliverCrossAccountRole  string
	// LogFormat is DefaultFormat when empty; MaxAggregationInterval 600
	// when 0.
	LogFormat              string
	MaxAggregationInterval int
	DestinationOptions     *DestinationOptions
	Tags                   []cloud.TagSpec
}

// maxResources is how many resources one call may name.
const maxResources = 1000

// refuse is a refusal of the call's parameters: EC2's InvalidParameter.
func refuse(format string, args ...any) *cloud.Error {
	return cloud.Errorf(cloud.InvalidParameter, cloud.KindFlowLog, format, args...)
}

// unsupported is what vpcemu does not model, said plainly.
func unsupported(format string, args ...any) *cloud.Error {
	return cloud.Errorf(cloud.Unsupported, cloud.KindFlowLog, format, args...)
}

// check refuses what AWS refuses before looking anything up, and fills in
// the defaults; it returns the flow log every resource gets.
func (in *Input) check() (*FlowLog, error) {
	if what, ok := unmodelled[in.ResourceType]; ok {
		return nil, unsupported("vpcemu does not model %s: flow logs of ResourceType %s are not served (VPC, Subnet and NetworkInterface are)", what, in.ResourceType)
	}
	if _, ok := resourceKinds[in.ResourceType]; !ok {
		return nil, refuse("Value (%s) for parameter ResourceType is invalid. Valid values: VPC, Subnet, NetworkInterface, TransitGateway, TransitGatewayAttachment, RegionalNatGateway", in.ResourceType)
	}
	if len(in.ResourceIDs) == 0 {
		return nil, cloud.Errorf(cloud.MissingParameter, "", "The request must include the ResourceIds parameter. Add the required parameter and retry the request.")
	}
	if len(in.ResourceIDs) > maxResources {
		return nil, refuse("ResourceIds may name at most %d resources, not %d", maxResources, len(in.ResourceIDs))
	}
	f := &FlowLog{
		ResourceType: in.ResourceType, TrafficType: strings.ToUpper(in.TrafficType),
		DestinationType: in.DestinationType, DeliverLogsPermissionARN: in.DeliverLogsPermissionARN,
		DeliverCrossAccountRole: in.DeliverCrossAccountRole, LogFormat: in.LogFormat,
		MaxAggregationInterval: in.MaxAggregationInterval, DeliverStatus: DeliverOK,
	}
	switch f.TrafficType {
	case TrafficAccept, TrafficReject, TrafficAll:
	case "":
		return nil, cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter TrafficType")
	default:
		return nil, refuse("Value (%s) for parameter TrafficType is invalid. Valid values: ACCEPT, REJECT, ALL", in.TrafficType)
	}
	switch f.MaxAggregationInterval {
	case 0:
		f.MaxAggregationInterval = 600
	case 60, 600:
	default:
		return nil, refuse("Invalid Flow Log Max Aggregation Interval")
	}
	if f.LogFormat == "" {
		f.LogFormat = flowlog.DefaultFormat
	} else if _, err := flowlog.Parse(f.LogFormat); err != nil {
		return nil, refuse("%s", strings.TrimPrefix(err.Error(), flowlog.ErrFormat.Error()+": "))
	}
	if f.DestinationType == "" {
		f.DestinationType = DestinationCloudWatchLogs
	}
	if in.DeliverCrossAccountRole != "" && in.DeliverLogsPermissionARN == "" {
		return nil, refuse("When providing a role for cross-account delivery, both the DeliverLogsPermissionArn and DeliverCrossAccountRole fields must be set.")
	}
	var err error
	switch f.DestinationType {
	case DestinationCloudWatchLogs:
		err = in.checkCloudWatchLogs(f)
	case DestinationS3:
		err = in.checkS3(f)
	case DestinationFirehose:
		err = unsupported("vpcemu does not model Amazon Data Firehose: flow logs deliver to cloud-watch-logs or s3")
	default:
		err = refuse("Value (%s) for parameter LogDestinationType is invalid. Valid values: cloud-watch-logs, s3, kinesis-data-firehose", in.DestinationType)
	}
	return f, err
}

// checkCloudWatchLogs reads a log group given by name or by ARN.
func (in *Input) checkCloudWatchLogs(f *FlowLog) error {
	switch {
	case in.LogGroupName != "" && in.Destination != "":
		return refuse("Please only provide LogGroupName or only provide LogDestination.")
	case in.LogGroupName == "" && in.Destination == "":
		return refuse("LogDestination can't be empty if LogGroupName is not provided.")
	case in.DeliverLogsPermissionARN == "":
		return refuse("DeliverLogsPermissionArn can't be empty if LogDestinationType is cloud-watch-logs.")
	case in.DestinationOptions != nil:
		return refuse("DestinationOptions are only supported for the s3 LogDestinationType.")
	}
	f.LogGroupName, f.Destination = in.LogGroupName, in.Destination
	if in.Destination != "" {
		group, ok := logGroupOf(in.Destination)
		if !ok {
			return refuse("LogDestination: %s is not a CloudWatch Logs log group ARN (arn:aws:logs:REGION:ACCOUNT:log-group:NAME)", in.Destination)
		}
		f.LogGroupName, f.Destination = group.name, group.arn()
	}
	return nil
}

// checkS3 reads a bucket ARN. vpcemu serves no S3: every bucket exists,
// and its objects are files (S3Dir).
func (in *Input) checkS3(f *FlowLog) error {
	switch {
	case in.LogGroupName != "":
		return refuse("LogDestination type must be cloud-watch-logs if LogGroupName is provided.")
	case in.Destination == "":
		return refuse("LogDestination can't be empty if LogGroupName is not provided.")
	case in.DeliverLogsPermissionARN != "":
		return refuse("DeliverLogsPermissionArn is not applicable for s3 delivery")
	}
	if _, _, ok := bucketOf(in.Destination); !ok {
		return refuse("LogDestination: %s is not an Amazon S3 bucket ARN (arn:aws:s3:::BUCKET or arn:aws:s3:::BUCKET/PREFIX)", in.Destination)
	}
	if o := in.DestinationOptions; o != nil {
		switch o.FileFormat {
		case "", FilePlainText:
		case FileParquet:
			return unsupported("vpcemu writes flow log files in plain text only, not parquet")
		default:
			return refuse("Value (%s) for parameter DestinationOptions.FileFormat is invalid. Valid values: plain-text, parquet", o.FileFormat)
		}
	}
	f.Destination, f.DestinationOptions = in.Destination, in.DestinationOptions
	return nil
}

// logGroup is a CloudWatch Logs log group: where, and its name.
type logGroup struct{ account, region, name string }

func (g logGroup) arn() string { return arn.New("logs", g.region, g.account, "log-group:"+g.name) }

// logGroupOf reads a log group ARN; Terraform's trailing ":*" is allowed.
func logGroupOf(s string) (logGroup, bool) {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "logs" || !arn.IsAccount(a.AccountID) || a.Region == "" {
		return logGroup{}, false
	}
	name, ok := strings.CutPrefix(a.Resource, "log-group:")
	name = strings.TrimSuffix(name, ":*")
	if !ok || name == "" || strings.Contains(name, ":") {
		return logGroup{}, false
	}
	return logGroup{a.AccountID, a.Region, name}, true
}

// bucketOf reads an S3 destination ARN: the bucket, and the prefix its
// objects are written under ("" or ending in "/").
func bucketOf(s string) (bucket, prefix string, ok bool) {
	rest, ok := strings.CutPrefix(s, "arn:aws:s3:::")
	if !ok {
		return "", "", false
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if !validBucket(bucket) || strings.Contains(prefix, "..") || strings.HasPrefix(prefix, "/") {
		return "", "", false
	}
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return bucket, prefix, true
}

// validBucket is S3's naming rule, as far as it keeps a name a safe
// directory name: 3–63 lower-case letters, digits, dots and hyphens.
func validBucket(b string) bool {
	if len(b) < 3 || len(b) > 63 || b[0] == '.' || b[0] == '-' || strings.Contains(b, "..") {
		return false
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// Created is CreateFlowLogs' answer: the flow logs made, and the
// resources that got none, with why.
type Created struct {
	IDs          []string
	Unsuccessful []cloud.Unsuccessful
}

// CreateFlowLogs makes a flow log for each resource named. A resource that
// does not exist, or already has a flow log to the same destination in the
// same format, is unsuccessful; the others get theirs.
func (s *Service) CreateFlowLogs(ctx context.Context, who cloud.Caller, in Input) (*Created, error) {
	proto, err := in.check()
	if err != nil {
		return nil, err
	}
	tags, err := cloud.TagsFor(in.Tags, cloud.KindFlowLog)
	if err != nil {
		return nil, err
	}
	var out *Created
	err = s.Update(ctx, who, func(t *cloud.Txn) error {
		out = &Created{}
		var err error
		out.Unsuccessful, err = cloud.EachItem(uniq(in.ResourceIDs), func(id string) (*cloud.Error, error) {
			if err := resourceExists(t, in.ResourceType, id); err != nil {
				return cloud.AsItem(err)
			}
			f := *proto
			f.Meta = cloud.Meta{ID: t.NewID("fl-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[cloud.KindFlowLog]}
			f.CreationTime, f.ResourceID = t.Now, id
			if f.DestinationType == DestinationCloudWatchLogs && f.Destination == "" {
				f.Destination = logGroup{t.Scope.Account, t.Scope.Region, f.LogGroupName}.arn()
			}
			others, err := cloud.FindIn[FlowLog](t, resourceKey(id))
			if err != nil {
				return nil, err
			}
			if slices.ContainsFunc(others, f.same) {
				return cloud.Errorf(cloud.Duplicate, cloud.KindFlowLog, "Error. There is an existing Flow Log with the same configuration and log destination."), nil
			}
			out.IDs = append(out.IDs, f.ID)
			return nil, cloud.Put(t, &f)
		})
		return err
	})
	return out, err
}

// resourceExists checks that the caller has the resource a flow log is
// to watch.
func resourceExists(t *cloud.Txn, resourceType, id string) error {
	var err error
	switch resourceType {
	case ResourceVPC:
		_, err = cloud.GetIn[network.VPC](t, id)
	case ResourceSubnet:
		_, err = cloud.GetIn[network.Subnet](t, id)
	case ResourceInterface:
		_, err = cloud.GetIn[network.NetworkInterface](t, id)
	}
	return err
}

// uniq drops repeated ids, keeping the first of each.
func uniq(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// DeleteFlowLogs deletes the caller's flow logs; an id that is not one is
// unsuccessful (InvalidFlowLogId.NotFound).
func (s *Service) DeleteFlowLogs(ctx context.Context, who cloud.Caller, ids []string) ([]cloud.Unsuccessful, error) {
	var failed []cloud.Unsuccessful
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		failed, err = cloud.EachItem(uniq(ids), func(id string) (*cloud.Error, error) {
			f, err := cloud.GetIn[FlowLog](t, id)
			if err != nil {
				return cloud.AsItem(err)
			}
			return nil, cloud.Remove(t, f)
		})
		return err
	})
	return failed, err
}

// resourceKey finds the flow logs of a resource.
func resourceKey(id string) cloud.Key { return flowLogIndexes.Key("resource-id", id) }

// removeFlowLogsOf deletes the flow logs of a resource being removed.
func removeFlowLogsOf(t *cloud.Txn, id string) error {
	fls, err := cloud.FindAny[FlowLog](t, resourceKey(id))
	if err != nil {
		return err
	}
	for _, f := range fls {
		if err := cloud.Remove(t, f); err != nil {
			return err
		}
	}
	return nil
}

// errNoS3Dir is a delivery to S3 without a directory to write in.
var errNoS3Dir = errors.New("flowlogs: no S3 directory configured")
