package logs

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/logsapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	cwl "github.com/vpcemu/vpcemu/internal/cloud/logs"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// CreateLogGroup implements logsapi.Handler.
func (s *Service) CreateLogGroup(ctx context.Context, req *awsproto.Request, in *logsapi.CreateLogGroupInput) (*logsapi.CreateLogGroupOutput, error) {
	return &logsapi.CreateLogGroupOutput{}, s.logs.CreateLogGroup(ctx, caller(req), cwl.NewGroup{
		Name:     optional.Value(in.LogGroupName),
		KMSKeyID: optional.Value(in.KmsKeyId),
		Class:    optional.Value(in.LogGroupClass),
		Tags:     in.Tags,
	})
}

// DeleteLogGroup implements logsapi.Handler.
func (s *Service) DeleteLogGroup(ctx context.Context, req *awsproto.Request, in *logsapi.DeleteLogGroupInput) (*logsapi.DeleteLogGroupOutput, error) {
	return &logsapi.DeleteLogGroupOutput{}, s.logs.DeleteLogGroup(ctx, caller(req), optional.Value(in.LogGroupName))
}

// DescribeLogGroups implements logsapi.Handler. Other accounts' groups
// (accountIdentifiers, includeLinkedAccounts) need CloudWatch's
// cross-account observability, which vpcemu does not serve: the caller's
// own are answered.
func (s *Service) DescribeLogGroups(ctx context.Context, req *awsproto.Request, in *logsapi.DescribeLogGroupsInput) (*logsapi.DescribeLogGroupsOutput, error) {
	groups, next, err := s.logs.DescribeLogGroups(ctx, caller(req), cwl.GroupQuery{
		Prefix:  optional.Value(in.LogGroupNamePrefix),
		Pattern: optional.Value(in.LogGroupNamePattern),
		Token:   optional.Value(in.NextToken),
		Class:   optional.Value(in.LogGroupClass),
		Limit:   int(optional.Value(in.Limit)),
	})
	if err != nil {
		return nil, err
	}
	out := &logsapi.DescribeLogGroupsOutput{LogGroups: make([]logsapi.LogGroup, 0, len(groups)), NextToken: optional.String(next)}
	for _, g := range groups {
		out.LogGroups = append(out.LogGroups, logsapi.LogGroup{
			LogGroupName:      new(g.Name),
			Arn:               new(g.ARN()),
			LogGroupArn:       new(g.LogGroupARN()),
			CreationTime:      new(g.Created),
			RetentionInDays:   int32p(g.RetentionDays),
			MetricFilterCount: new(int32(0)),
			StoredBytes:       new(g.StoredBytes),
			KmsKeyId:          optional.String(g.KMSKeyID),
			LogGroupClass:     new(g.Class),
		})
	}
	return out, nil
}

// PutRetentionPolicy implements logsapi.Handler.
func (s *Service) PutRetentionPolicy(ctx context.Context, req *awsproto.Request, in *logsapi.PutRetentionPolicyInput) (*logsapi.PutRetentionPolicyOutput, error) {
	return &logsapi.PutRetentionPolicyOutput{}, s.logs.PutRetentionPolicy(ctx, caller(req), optional.Value(in.LogGroupName), int(optional.Value(in.RetentionInDays)))
}

// DeleteRetentionPolicy implements logsapi.Handler.
func (s *Service) DeleteRetentionPolicy(ctx context.Context, req *awsproto.Request, in *logsapi.DeleteRetentionPolicyInput) (*logsapi.DeleteRetentionPolicyOutput, error) {
	return &logsapi.DeleteRetentionPolicyOutput{}, s.logs.DeleteRetentionPolicy(ctx, caller(req), optional.Value(in.LogGroupName))
}

// AssociateKmsKey implements logsapi.Handler (log groups only: a query
// result's resourceIdentifier is not served).
func (s *Service) AssociateKmsKey(ctx context.Context, req *awsproto.Request, in *logsapi.AssociateKmsKeyInput) (*logsapi.AssociateKmsKeyOutput, error) {
	name, err := kmsTarget(in.LogGroupName, in.ResourceIdentifier)
	if err != nil {
		return nil, err
	}
	return &logsapi.AssociateKmsKeyOutput{}, s.logs.AssociateKMSKey(ctx, caller(req), name, optional.Value(in.KmsKeyId))
}

// DisassociateKmsKey implements logsapi.Handler.
func (s *Service) DisassociateKmsKey(ctx context.Context, req *awsproto.Request, in *logsapi.DisassociateKmsKeyInput) (*logsapi.DisassociateKmsKeyOutput, error) {
	name, err := kmsTarget(in.LogGroupName, in.ResourceIdentifier)
	if err != nil {
		return nil, err
	}
	return &logsapi.DisassociateKmsKeyOutput{}, s.logs.DisassociateKMSKey(ctx, caller(req), name)
}

// kmsTarget is the log group a KMS call names.
func kmsTarget(name, resource *string) (string, error) {
	switch {
	case name != nil && resource != nil:
		return "", awsproto.Errorf("InvalidParameterException", "logGroupName and resourceIdentifier are mutually exclusive parameters.")
	case resource != nil:
		return "", awsproto.Errorf("InvalidParameterException", "vpcemu associates KMS keys with log groups only (logGroupName), not with %s.", *resource)
	case name == nil:
		return "", awsproto.Errorf("InvalidParameterException", "Either logGroupName or resourceIdentifier must be specified.")
	}
	return *name, nil
}
