package directconnect

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/directconnectapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	dx "github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// TagResource implements directconnectapi.Handler.
func (s *Service) TagResource(ctx context.Context, req *awsproto.Request, in *directconnectapi.TagResourceInput) (*directconnectapi.TagResourceOutput, error) {
	tags, err := tagsIn(in.Tags, dx.DuplicateTagKeys)
	if err != nil {
		return nil, err
	}
	return &directconnectapi.TagResourceOutput{}, s.dx.TagResource(ctx, caller(req), optional.Value(in.ResourceArn), tags)
}

// UntagResource implements directconnectapi.Handler.
func (s *Service) UntagResource(ctx context.Context, req *awsproto.Request, in *directconnectapi.UntagResourceInput) (*directconnectapi.UntagResourceOutput, error) {
	return &directconnectapi.UntagResourceOutput{}, s.dx.UntagResource(ctx, caller(req), optional.Value(in.ResourceArn), in.TagKeys)
}

// DescribeTags implements directconnectapi.Handler.
func (s *Service) DescribeTags(ctx context.Context, req *awsproto.Request, in *directconnectapi.DescribeTagsInput) (*directconnectapi.DescribeTagsOutput, error) {
	rts, err := s.dx.DescribeTags(ctx, caller(req), in.ResourceArns)
	if err != nil {
		return nil, err
	}
	out := &directconnectapi.DescribeTagsOutput{ResourceTags: make([]directconnectapi.ResourceTag, 0, len(rts))}
	for _, rt := range rts {
		out.ResourceTags = append(out.ResourceTags, directconnectapi.ResourceTag{ResourceArn: new(rt.ARN), Tags: tagList(rt.Tags)})
	}
	return out, nil
}
