package route53

import (
	"context"
	"maps"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// MaxTags is how many tags a hosted zone may have.
const MaxTags = 50

// ChangeTags adds and removes tags of a zone of the caller's.
func (s *Service) ChangeTags(ctx context.Context, who cloud.Caller, zoneID string, add cloud.Tags, remove []string) error {
	return s.Update(ctx, who, func(t *cloud.Txn) error {
		z, err := zoneOf(t, zoneID)
		if err != nil {
			return err
		}
		tags := maps.Clone(z.Tags)
		if tags == nil {
			tags = cloud.Tags{}
		}
		for _, k := range remove {
			delete(tags, k)
		}
		maps.Copy(tags, add)
		if len(tags) > MaxTags {
			return cloud.Errorf(cloud.InvalidParameter, "", "The number of tags on the hosted zone %s would exceed %d.", z.ID, MaxTags)
		}
		z.Tags = tags
		return cloud.Put(t, z)
	})
}
