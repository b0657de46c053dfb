package elbv2

import (
	"context"
	"strconv"

	"github.com/vpcemu/vpcemu/internal/api/elbv2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// AddTags implements elbv2api.Handler.
func (s *Service) AddTags(ctx context.Context, req *awsproto.Request, in *elbv2api.AddTagsInput) (*elbv2api.AddTagsOutput, error) {
	return &elbv2api.AddTagsOutput{}, s.elb.AddELBTags(ctx, caller(req), in.ResourceArns, tags(in.Tags))
}

// RemoveTags implements elbv2api.Handler.
func (s *Service) RemoveTags(ctx context.Context, req *awsproto.Request, in *elbv2api.RemoveTagsInput) (*elbv2api.RemoveTagsOutput, error) {
	return &elbv2api.RemoveTagsOutput{}, s.elb.RemoveELBTags(ctx, caller(req), in.ResourceArns, in.TagKeys)
}

// DescribeTags implements elbv2api.Handler.
func (s *Service) DescribeTags(ctx context.Context, req *awsproto.Request, in *elbv2api.DescribeTagsInput) (*elbv2api.DescribeTagsOutput, error) {
	found, err := s.elb.DescribeELBTags(ctx, caller(req), in.ResourceArns)
	if err != nil {
		return nil, err
	}
	out := &elbv2api.DescribeTagsOutput{}
	for _, r := range found {
		d := elbv2api.TagDescription{ResourceArn: new(r.ARN), Tags: []elbv2api.Tag{}}
		for _, t := range r.Tags {
			d.Tags = append(d.Tags, elbv2api.Tag{Key: new(t.Key), Value: new(t.Value)})
		}
		out.TagDescriptions = append(out.TagDescriptions, d)
	}
	return out, nil
}

// DescribeAccountLimits implements elbv2api.Handler: the quotas vpcemu
// enforces (AWS's defaults unless configured), a page at a time.
func (s *Service) DescribeAccountLimits(ctx context.Context, req *awsproto.Request, in *elbv2api.DescribeAccountLimitsInput) (*elbv2api.DescribeAccountLimitsOutput, error) {
	quotas, next, err := pageOf(cloud.ELBQuotas(), in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	out := &elbv2api.DescribeAccountLimitsOutput{NextMarker: next}
	for _, q := range quotas {
		out.Limits = append(out.Limits, elbv2api.Limit{Name: new(q.Name), Max: new(strconv.Itoa(s.elb.Limit(q.Name)))})
	}
	return out, nil
}
