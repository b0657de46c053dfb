package ec2

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// filters are the Describe filters one resource type supports: each name
// maps to the values a resource has for it. A resource passes a filter when
// any of its values matches any of the filter's values (with * and ?
// wildcards); it must pass every filter. tag:KEY, tag-key and tag-value work
// for every type through tags.
type filters[P any] struct {
	values map[string]func(P) []string
	tags   func(P) cloud.Tags
}

// compile checks the request's filters and returns the predicate and the
// filters for the domain, which looks candidates up by those it indexes.
func (fs *filters[P]) compile(in []ec2api.Filter) (func(P) bool, []cloud.Filter, error) {
	type compiled struct {
		get  func(P) []string
		pats []string
	}
	var all []compiled
	var named []cloud.Filter
	for _, f := range in {
		name := optional.Value(f.Name)
		var get func(P) []string
		switch {
		case strings.HasPrefix(name, "tag:"):
			k := name[len("tag:"):]
			get = func(p P) []string {
				if v, ok := fs.tags(p)[k]; ok {
					return []string{v}
				}
				return nil
			}
		case name == "tag-key":
			get = func(p P) []string { return keysOf(fs.tags(p)) }
		case name == "tag-value":
			get = func(p P) []string { return valuesOf(fs.tags(p)) }
		default:
			get = fs.values[name]
		}
		if get == nil {
			return nil, nil, awsproto.Errorf("InvalidParameterValue", "The filter '%s' is invalid", name)
		}
		all = append(all, compiled{get, f.Values})
		named = append(named, cloud.Filter{Name: name, Values: f.Values})
	}
	if len(all) == 0 {
		return nil, nil, nil
	}
	return func(p P) bool {
		for _, c := range all {
			if !anyMatch(c.pats, c.get(p)) {
				return false
			}
		}
		return true
	}, named, nil
}

func anyMatch(patterns, values []string) bool {
	for _, v := range values {
		for _, pat := range patterns {
			if glob(pat, v) {
				return true
			}
		}
	}
	return false
}

// glob matches EC2 filter patterns: * is any run, ? any one character, and
// a backslash escapes the next character.
func glob(pat, s string) bool {
	for len(pat) > 0 {
		switch pat[0] {
		case '*':
			for len(pat) > 0 && pat[0] == '*' {
				pat = pat[1:]
			}
			if pat == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if glob(pat, s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			_, n := firstRune(s)
			pat, s = pat[1:], s[n:]
		default:
			c := pat[0]
			if c == '\\' && len(pat) > 1 {
				pat = pat[1:]
				c = pat[0]
			}
			if s == "" || s[0] != c {
				return false
			}
			pat, s = pat[1:], s[1:]
		}
	}
	return s == ""
}

func firstRune(s string) (rune, int) {
	for i, r := range s {
		if i > 0 {
			return r, i
		}
	}
	return 0, len(s)
}

func keysOf(t cloud.Tags) []string {
	out := make([]string, 0, len(t))
	for k := range t {
		out = append(out, k)
	}
	return out
}

func valuesOf(t cloud.Tags) []string {
	out := make([]string, 0, len(t))
	for _, v := range t {
		out = append(out, v)
	}
	return out
}

// collectValues lists the filter values f gives for each item.
func collectValues[E any](items []E, f func(E) []string) []string {
	var out []string
	for _, x := range items {
		out = append(out, f(x)...)
	}
	return out
}

// collectNonEmpty lists the value f gives for each item, leaving out "".
func collectNonEmpty[E any](items []E, f func(E) string) []string {
	var out []string
	for _, x := range items {
		if v := f(x); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// boolString is how filters spell booleans.
func boolString(b bool) []string { return []string{strconv.FormatBool(b)} }

// one is a filter value list of one string, or none for "".
func one(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func int32String(i int32) string { return strconv.FormatInt(int64(i), 10) }

// query builds the domain query of a Describe call.
func query(ids []string, fs []cloud.Filter, maxResults *int32, token *string) (cloud.Query, error) {
	q := cloud.Query{IDs: ids, Filters: fs, Limit: int(optional.Value(maxResults))}
	if token != nil && *token != "" {
		after, err := base64.RawURLEncoding.DecodeString(*token)
		if err != nil || len(after) == 0 {
			return q, awsproto.Errorf("InvalidParameterValue", "The token '%s' is invalid.", *token)
		}
		q.After = string(after)
	}
	return q, nil
}

// nextToken is the NextToken of a page: nil on the last page.
// pageOf pages a fixed catalogue (images, instance types) in its order:
// the items after q.After that keep takes, at most q.Limit (0: all of
// them), and the token of the next page when there is one.
func pageOf[T any](items []T, q cloud.Query, id func(*T) string, keep func(*T) bool) (page []*T, next *string) {
	skipping := q.After != ""
	for k := range items {
		it := &items[k]
		if skipping {
			skipping = id(it) != q.After
			continue
		}
		if !keep(it) {
			continue
		}
		if q.Limit > 0 && len(page) == q.Limit {
			return page, nextToken(id(page[len(page)-1]))
		}
		page = append(page, it)
	}
	return page, nil
}

func nextToken(after string) *string {
	if after == "" {
		return nil
	}
	return new(base64.RawURLEncoding.EncodeToString([]byte(after)))
}

// checkMaxResults refuses MaxResults beside a list of ids (set is the
// list's name as AWS's refusal gives it), and, where the call bounds it
// (high > 0), one outside low..high.
func checkMaxResults(set string, ids int, maxResults *int32, low, high int32) error {
	switch {
	case maxResults == nil:
	case ids > 0:
		return awsproto.Errorf("InvalidParameterCombination", "The parameter %s cannot be used with the parameter maxResults", set)
	case high > 0 && (*maxResults < low || *maxResults > high):
		return awsproto.Errorf("InvalidParameterValue", "Value ( %d ) for parameter maxResults is invalid. Expecting a value between %d and %d.", *maxResults, low, high)
	}
	return nil
}

// describe runs a Describe call for one resource type: ids, filters, paging.
func describe[T any, P interface {
	*T
	cloud.Object
}](ctx context.Context, req *awsproto.Request, s *Service, fs *filters[P], ids []string, in []ec2api.Filter, maxResults *int32, token *string) (cloud.Page[P], error) {
	match, named, err := fs.compile(in)
	if err != nil {
		return cloud.Page[P]{}, err
	}
	q, err := query(ids, named, maxResults, token)
	if err != nil {
		return cloud.Page[P]{}, err
	}
	return cloud.List[T, P](ctx, s.cloud, caller(req), q, match)
}
