package route53

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/route53api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// checkResourceType refuses tags of anything but hosted zones: vpcemu has
// no health checks.
func checkResourceType(t *string) error {
	if optional.Value(t) != "hostedzone" {
		return awsproto.Errorf("InvalidInput", "vpcemu tags only hosted zones, not %s.", optional.Value(t))
	}
	return nil
}

// ChangeTagsForResource implements route53api.Handler.
func (s *Service) ChangeTagsForResource(ctx context.Context, req *awsproto.Request, in *route53api.ChangeTagsForResourceInput) (*route53api.ChangeTagsForResourceOutput, error) {
	if err := checkResourceType(in.ResourceType); err != nil {
		return nil, err
	}
	add := cloud.Tags{}
	for _, t := range in.AddTags {
		add[optional.Value(t.Key)] = optional.Value(t.Value)
	}
	if err := s.r53.ChangeTags(ctx, caller(req), optional.Value(in.ResourceId), add, in.RemoveTagKeys); err != nil {
		return nil, err
	}
	return &route53api.ChangeTagsForResourceOutput{}, nil
}

// ListTagsForResource implements route53api.Handler.
func (s *Service) ListTagsForResource(ctx context.Context, req *awsproto.Request, in *route53api.ListTagsForResourceInput) (*route53api.ListTagsForResourceOutput, error) {
	if err := checkResourceType(in.ResourceType); err != nil {
		return nil, err
	}
	z, err := s.r53.GetHostedZone(ctx, caller(req), optional.Value(in.ResourceId))
	if err != nil {
		return nil, err
	}
	set := &route53api.ResourceTagSet{ResourceId: new(z.ID), ResourceType: new("hostedzone"), Tags: []route53api.Tag{}}
	for _, t := range z.Tags.Sorted() {
		set.Tags = append(set.Tags, route53api.Tag{Key: new(t.Key), Value: new(t.Value)})
	}
	return &route53api.ListTagsForResourceOutput{ResourceTagSet: set}, nil
}
