package elbv2

import (
	"context"
	"strconv"

	"github.com/vpcemu/vpcemu/internal/api/elbv2api"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// AddTags implements elbv2api.Handler.
func (s *Service) AddTags(ctx context.Context, in *elbv2api.AddTagsInput) (*elbv2api.AddTagsOutput, error) {
	return &elbv2api.AddTagsOutput{}, s.cloud.AddELBTags(ctx, caller(ctx), in.ResourceArns, tags(in.Tags))
}

// RemoveTags implements elbv2api.Handler.
func (s *Service) RemoveTags(ctx context.Context, in *elbv2api.RemoveTagsInput) (*elbv2api.RemoveTagsOutput, error) {
	return &elbv2api.RemoveTagsOutput{}, s.cloud.RemoveELBTags(ctx, caller(ctx), in.ResourceArns, in.TagKeys)
}

// DescribeTags implements elbv2api.Handler.
func (s *Service) DescribeTags(ctx context.Context, in *elbv2api.DescribeTagsInput) (*elbv2api.DescribeTagsOutput, error) {
	found, err := s.cloud.DescribeELBTags(ctx, caller(ctx), in.ResourceArns)
	if err != nil {
		return nil, err
	}
	out := &elbv2api.DescribeTagsOutput{}
	for _, r := range found {
		d := elbv2api.TagDescription{ResourceArn: ptr(r.ARN), Tags: []elbv2api.Tag{}}
		for _, t := range r.Tags {
			d.Tags = append(d.Tags, elbv2api.Tag{Key: ptr(t.Key), Value: ptr(t.Value)})
		}
		out.TagDescriptions = append(out.TagDescriptions, d)
	}
	return out, nil
}

// DescribeAccountLimits implements elbv2api.Handler: the quotas vpcemu
// enforces (AWS's defaults unless configured), a page at a time.
func (s *Service) DescribeAccountLimits(ctx context.Context, in *elbv2api.DescribeAccountLimitsInput) (*elbv2api.DescribeAccountLimitsOutput, error) {
	quotas := cloud.ELBQuotas()
	start := 0
	if m := val(in.Marker); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 0 || n > len(quotas) {
			return nil, awsprotoValidation("The marker '" + m + "' is not valid")
		}
		start = n
	}
	end := len(quotas)
	if in.PageSize != nil && start+int(*in.PageSize) < end {
		end = start + int(*in.PageSize)
	}
	out := &elbv2api.DescribeAccountLimitsOutput{}
	for _, q := range quotas[start:end] {
		out.Limits = append(out.Limits, elbv2api.Limit{Name: ptr(q.Name), Max: ptr(strconv.Itoa(s.cloud.Limit(q.Name)))})
	}
	if end < len(quotas) {
		out.NextMarker = ptr(strconv.Itoa(end))
	}
	return out, nil
}
