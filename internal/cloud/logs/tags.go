package logs

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// maxTags is CloudWatch Logs' limit of tags per log group.
const maxTags = 50

// checkTags checks tags a call sets.
func checkTags(tags cloud.Tags) error {
	if len(tags) > maxTags {
		return tooManyTags()
	}
	for k, v := range tags {
		if k == "" || utf8.RuneCountInString(k) > 128 {
			return validation(k, "tags", "Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]")
		}
		if utf8.RuneCountInString(v) > 256 {
			return validation(v, "tags", "Map value must satisfy constraint: [Member must have length less than or equal to 256]")
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return refuse("Tag keys prefixed with 'aws:' are reserved for AWS use.")
		}
	}
	return nil
}

func tooManyTags() error {
	return cloud.Errorf(cloud.LimitExceeded, SubjectTags, "A resource can have no more than %d tags.", maxTags)
}

// groupOfARN is the log group name a TagResource-family ARN names; only
// log groups are tagged here (destinations and the rest are not served).
func groupOfARN(t *cloud.Txn, s string) (string, error) {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "logs" {
		return "", refuse("Invalid ARN: %s", s)
	}
	name, ok := nameOfARN(t.Scope, s)
	if !ok {
		if strings.HasPrefix(a.Resource, "log-group:") {
			return "", groupMissing()
		}
		return "", refuse("Only log groups can be tagged by vpcemu: %s", s)
	}
	return name, nil
}

// TagResource adds or replaces the tags of the log group an ARN names.
func (s *Service) TagResource(ctx context.Context, who cloud.Caller, resource string, tags cloud.Tags) error {
	return s.Update(ctx, who, func(t *cloud.Txn) error {
		name, err := groupOfARN(t, resource)
		if err != nil {
			return err
		}
		return tag(t, name, tags)
	})
}

// UntagResource removes tags of the log group an ARN names.
func (s *Service) UntagResource(ctx context.Context, who cloud.Caller, resource string, keys []string) error {
	return s.Update(ctx, who, func(t *cloud.Txn) error {
		name, err := groupOfARN(t, resource)
		if err != nil {
			return err
		}
		return untag(t, name, keys)
	})
}

// ListTagsForResource answers the tags of the log group an ARN names.
func (s *Service) ListTagsForResource(ctx context.Context, who cloud.Caller, resource string) (cloud.Tags, error) {
	var tags cloud.Tags
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		name, err := groupOfARN(t, resource)
		if err != nil {
			return err
		}
		g, err := group(t, t.Scope, name)
		tags = tagsOf(g)
		return err
	})
	return tags, err
}

// TagLogGroup adds or replaces a group's tags (the call before
// TagResource).
func (s *Service) TagLogGroup(ctx context.Context, who cloud.Caller, name string, tags cloud.Tags) error {
	return s.Update(ctx, who, func(t *cloud.Txn) error { return tag(t, name, tags) })
}

// UntagLogGroup removes a group's tags.
func (s *Service) UntagLogGroup(ctx context.Context, who cloud.Caller, name string, keys []string) error {
	return s.Update(ctx, who, func(t *cloud.Txn) error { return untag(t, name, keys) })
}

// ListTagsLogGroup answers a group's tags.
func (s *Service) ListTagsLogGroup(ctx context.Context, who cloud.Caller, name string) (cloud.Tags, error) {
	var tags cloud.Tags
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		g, err := group(t, t.Scope, name)
		tags = tagsOf(g)
		return err
	})
	return tags, err
}

func tagsOf(g *LogGroup) cloud.Tags {
	if g == nil || g.Tags == nil {
		return cloud.Tags{}
	}
	return g.Tags
}

func tag(t *cloud.Txn, name string, tags cloud.Tags) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	g, err := group(t, t.Scope, name)
	if err != nil {
		return err
	}
	if g.Tags == nil {
		g.Tags = cloud.Tags{}
	}
	for k, v := range tags {
		g.Tags[k] = v
	}
	if len(g.Tags) > maxTags {
		return tooManyTags()
	}
	return cloud.Put(t, g)
}

func untag(t *cloud.Txn, name string, keys []string) error {
	g, err := group(t, t.Scope, name)
	if err != nil {
		return err
	}
	for _, k := range keys {
		delete(g.Tags, k)
	}
	if len(g.Tags) == 0 {
		g.Tags = nil
	}
	return cloud.Put(t, g)
}
