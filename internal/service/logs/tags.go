package logs

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/logsapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// TagResource implements logsapi.Handler.
func (s *Service) TagResource(ctx context.Context, req *awsproto.Request, in *logsapi.TagResourceInput) (*logsapi.TagResourceOutput, error) {
	return &logsapi.TagResourceOutput{}, s.logs.TagResource(ctx, caller(req), optional.Value(in.ResourceArn), in.Tags)
}

// UntagResource implements logsapi.Handler.
func (s *Service) UntagResource(ctx context.Context, req *awsproto.Request, in *logsapi.UntagResourceInput) (*logsapi.UntagResourceOutput, error) {
	return &logsapi.UntagResourceOutput{}, s.logs.UntagResource(ctx, caller(req), optional.Value(in.ResourceArn), in.TagKeys)
}

// ListTagsForResource implements logsapi.Handler.
func (s *Service) ListTagsForResource(ctx context.Context, req *awsproto.Request, in *logsapi.ListTagsForResourceInput) (*logsapi.ListTagsForResourceOutput, error) {
	tags, err := s.logs.ListTagsForResource(ctx, caller(req), optional.Value(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	return &logsapi.ListTagsForResourceOutput{Tags: tags}, nil
}

// TagLogGroup implements logsapi.Handler.
func (s *Service) TagLogGroup(ctx context.Context, req *awsproto.Request, in *logsapi.TagLogGroupInput) (*logsapi.TagLogGroupOutput, error) {
	return &logsapi.TagLogGroupOutput{}, s.logs.TagLogGroup(ctx, caller(req), optional.Value(in.LogGroupName), in.Tags)
}

// UntagLogGroup implements logsapi.Handler.
func (s *Service) UntagLogGroup(ctx context.Context, req *awsproto.Request, in *logsapi.UntagLogGroupInput) (*logsapi.UntagLogGroupOutput, error) {
	return &logsapi.UntagLogGroupOutput{}, s.logs.UntagLogGroup(ctx, caller(req), optional.Value(in.LogGroupName), in.Tags)
}

// ListTagsLogGroup implements logsapi.Handler.
func (s *Service) ListTagsLogGroup(ctx context.Context, req *awsproto.Request, in *logsapi.ListTagsLogGroupInput) (*logsapi.ListTagsLogGroupOutput, error) {
	tags, err := s.logs.ListTagsLogGroup(ctx, caller(req), optional.Value(in.LogGroupName))
	if err != nil {
		return nil, err
	}
	return &logsapi.ListTagsLogGroupOutput{Tags: tags}, nil
}
