package directconnect

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// maxTags is Direct Connect's limit of tags per resource.
const maxTags = 50

// The subjects of tag refusals, for the API's codes
// (DuplicateTagKeysException, TooManyTagsException).
const (
	TagSubject cloud.Kind = "dx-tag"
)

// checkTags checks tags a call sets.
func checkTags(tags cloud.Tags) error {
	if len(tags) > maxTags {
		return tooManyTags()
	}
	for k, v := range tags {
		if k == "" || utf8.RuneCountInString(k) > 128 {
			return refuse("Tag key must be between 1 and 128 characters: '%s'.", k)
		}
		if utf8.RuneCountInString(v) > 256 {
			return refuse("Tag value for key '%s' exceeds 256 characters.", k)
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return refuse("Tag keys starting with 'aws:' are reserved for internal use.")
		}
	}
	return nil
}

func tooManyTags() error {
	return cloud.Errorf(cloud.LimitExceeded, TagSubject, "A resource can have at most %d tags.", maxTags)
}

// DuplicateTagKeys refuses a call that names a tag key twice.
func DuplicateTagKeys(key string) error {
	return cloud.Errorf(cloud.Duplicate, TagSubject, "Tag key %s is duplicated in the request.", key)
}

// tagged is a resource tagged by ARN.
type tagged interface {
	cloud.Object
	ARN() string
}

// byARN reads the caller's resource an ARN names: a connection (hosted
// ones too), LAG or VIF of the caller's region, or a gateway.
func byARN(t *cloud.Txn, s string) (tagged, error) {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "directconnect" {
		return nil, refuse("Invalid ARN: %s.", s)
	}
	kind, id, _ := strings.Cut(a.Resource, "/")
	var o tagged
	switch kind {
	case "dxcon":
		o, err = ownConnection(t, id)
	case "dxlag":
		o, err = ownLag(t, id)
	case "dxvif":
		o, err = ownVIF(t, id)
	case "dx-gateway":
		o, err = ownGateway(t, id)
	default:
		return nil, refuse("Resource %s cannot be tagged.", s)
	}
	if err != nil {
		return nil, err
	}
	if o.ARN() != s {
		return nil, cloud.Missing(o.Kind(), id)
	}
	return o, nil
}

// TagResource adds or overwrites tags of the resource an ARN names.
func (s *Service) TagResource(ctx context.Context, who cloud.Caller, resourceARN string, tags cloud.Tags) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	return s.Update(ctx, who, func(t *cloud.Txn) error {
		o, err := byARN(t, resourceARN)
		if err != nil {
			return err
		}
		m := o.Base()
		if m.Tags == nil {
			m.Tags = cloud.Tags{}
		}
		for k, v := range tags {
			m.Tags[k] = v
		}
		if len(m.Tags) > maxTags {
			return tooManyTags()
		}
		return cloud.Put(t, o)
	})
}

// UntagResource removes tags, by key, from the resource an ARN names.
func (s *Service) UntagResource(ctx context.Context, who cloud.Caller, resourceARN string, keys []string) error {
	return s.Update(ctx, who, func(t *cloud.Txn) error {
		o, err := byARN(t, resourceARN)
		if err != nil {
			return err
		}
		for _, k := range keys {
			delete(o.Base().Tags, k)
		}
		return cloud.Put(t, o)
	})
}

// ResourceTags are one resource's tags.
type ResourceTags struct {
	ARN  string
	Tags cloud.Tags
}

// DescribeTags lists the tags of the resources the ARNs name, in order.
func (s *Service) DescribeTags(ctx context.Context, who cloud.Caller, arns []string) ([]ResourceTags, error) {
	var out []ResourceTags
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		for _, a := range arns {
			o, err := byARN(t, a)
			if err != nil {
				return err
			}
			out = append(out, ResourceTags{ARN: a, Tags: o.Base().Tags})
		}
		return nil
	})
	return out, err
}
