package ec2

import (
	"context"
	"strings"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// tagSet renders tags for a Describe answer (nil when there are none, as
// EC2 omits an empty tagSet).
func tagSet(t cloud.Tags) []ec2api.Tag {
	if len(t) == 0 {
		return nil
	}
	out := make([]ec2api.Tag, 0, len(t))
	for _, tag := range t.Sorted() {
		out = append(out, ec2api.Tag{Key: new(tag.Key), Value: new(tag.Value)})
	}
	return out
}

// tagSpecs reads a create call's TagSpecifications.
func tagSpecs(specs []ec2api.TagSpecification) []cloud.TagSpec {
	out := make([]cloud.TagSpec, 0, len(specs))
	for _, s := range specs {
		out = append(out, cloud.TagSpec{ResourceType: optional.Value(s.ResourceType), Tags: tags(s.Tags)})
	}
	return out
}

func tags(in []ec2api.Tag) []cloud.Tag {
	out := make([]cloud.Tag, 0, len(in))
	for _, t := range in {
		out = append(out, cloud.Tag{Key: optional.Value(t.Key), Value: optional.Value(t.Value)})
	}
	return out
}

// CreateTags implements ec2api.Handler.
func (s *Service) CreateTags(ctx context.Context, req *awsproto.Request, in *ec2api.CreateTagsInput) (*ec2api.CreateTagsOutput, error) {
	return &ec2api.CreateTagsOutput{}, s.cloud.CreateTags(ctx, caller(req), in.Resources, tags(in.Tags))
}

// DeleteTags implements ec2api.Handler.
func (s *Service) DeleteTags(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteTagsInput) (*ec2api.DeleteTagsOutput, error) {
	filters := make([]cloud.TagFilter, 0, len(in.Tags))
	for _, t := range in.Tags {
		filters = append(filters, cloud.TagFilter{Key: optional.Value(t.Key), Value: t.Value})
	}
	return &ec2api.DeleteTagsOutput{}, s.cloud.DeleteTags(ctx, caller(req), in.Resources, filters)
}

var tagFilters = &filters[*cloud.TagDescription]{
	values: map[string]func(*cloud.TagDescription) []string{
		"key":           func(d *cloud.TagDescription) []string { return one(d.Key) },
		"resource-id":   func(d *cloud.TagDescription) []string { return one(d.ResourceID) },
		"resource-type": func(d *cloud.TagDescription) []string { return one(d.ResourceType) },
		"value":         func(d *cloud.TagDescription) []string { return []string{d.Value} },
	},
	tags: func(d *cloud.TagDescription) cloud.Tags { return cloud.Tags{d.Key: d.Value} },
}

// DescribeTags implements ec2api.Handler. Its NextToken is the position of
// the next tag: resource id and key.
func (s *Service) DescribeTags(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeTagsInput) (*ec2api.DescribeTagsOutput, error) {
	match, _, err := tagFilters.compile(in.Filters)
	if err != nil {
		return nil, err
	}
	q, err := query(nil, nil, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	afterID, afterKey, _ := strings.Cut(q.After, "\x00")
	all, err := s.cloud.DescribeTags(ctx, caller(req), func(d cloud.TagDescription) bool {
		if q.After != "" && (d.ResourceID < afterID || d.ResourceID == afterID && d.Key <= afterKey) {
			return false
		}
		return match == nil || match(&d)
	})
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeTagsOutput{Tags: []ec2api.TagDescription{}}
	for i, d := range all {
		if q.Limit > 0 && i == q.Limit {
			last := all[i-1]
			out.NextToken = nextToken(last.ResourceID + "\x00" + last.Key)
			break
		}
		out.Tags = append(out.Tags, ec2api.TagDescription{
			Key: new(d.Key), Value: new(d.Value), ResourceId: new(d.ResourceID), ResourceType: new(d.ResourceType),
		})
	}
	return out, nil
}
