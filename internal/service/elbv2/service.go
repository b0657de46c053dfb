// Package elbv2 serves the Elastic Load Balancing v2 API: it turns the
// generated wire shapes into calls on the domain (internal/cloud) and
// domain results back into shapes, and owns what is ELB-specific on the
// way: enum checks, Marker paging and error codes. One file per kind.
package elbv2

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/api/elbv2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// Service implements elbv2api.Handler.
type Service struct {
	elb *elb.Service
}

var _ elbv2api.Handler = (*Service)(nil)

// New returns the ELBv2 service over the elb family.
func New(e *elb.Service) *Service { return &Service{elb: e} }

// caller is who sends the request, as the domain sees them.
func caller(r *awsproto.Request) cloud.Caller {
	return cloud.Caller{Account: r.Account, Region: r.Region}
}

// validationError is the query protocol's model validation refusal.
func validationError(format string, args ...any) *awsproto.Error {
	return awsproto.Errorf("ValidationError", "1 validation error detected: "+format, args...)
}

// checkEnum refuses a value outside an enum of the model, as ELB's model
// validation words it; name is the member in lower camel case.
func checkEnum(name string, v *string, values []string) error {
	if v == nil {
		return nil
	}
	for _, ok := range values {
		if *v == ok {
			return nil
		}
	}
	return validationError("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", *v, name, strings.Join(values, ", "))
}

// checkEnums runs enum checks and returns the first refusal.
func checkEnums(checks ...error) error {
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	return nil
}

// defaultPageSize is what a Describe call returns without a PageSize.
const defaultPageSize = 400

// page builds the domain query of a paged Describe call.
func page(ids []string, pageSize *int32, marker *string) (cloud.Query, error) {
	q := cloud.Query{IDs: ids, Limit: defaultPageSize}
	if pageSize != nil {
		q.Limit = int(*pageSize)
	}
	if marker != nil && *marker != "" {
		after, err := base64.StdEncoding.DecodeString(*marker)
		if err != nil || len(after) == 0 {
			return q, awsproto.Errorf("ValidationError", "The marker '%s' is not valid", *marker)
		}
		q.After = string(after)
	}
	return q, nil
}

// nextMarker is the NextMarker of a page: nil on the last page.
func nextMarker(after string) *string {
	if after == "" {
		return nil
	}
	return new(base64.StdEncoding.EncodeToString([]byte(after)))
}

// pageOf pages a list the domain gives whole (quotas, a listener's rules
// or certificates, the security policies): the marker is the position of
// the page's first item.
func pageOf[T any](items []T, pageSize *int32, marker *string) ([]T, *string, error) {
	start := 0
	if m := optional.Value(marker); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 0 || n > len(items) {
			return nil, nil, awsprotoValidation("The marker '" + m + "' is not valid")
		}
		start = n
	}
	end := len(items)
	if pageSize != nil && start+int(*pageSize) < end {
		end = start + int(*pageSize)
	}
	var next *string
	if end < len(items) {
		next = new(strconv.Itoa(end))
	}
	return items[start:end], next, nil
}

// tags converts wire tags to domain tags.
func tags(in []elbv2api.Tag) []cloud.Tag {
	out := make([]cloud.Tag, len(in))
	for i, t := range in {
		out[i] = cloud.Tag{Key: optional.Value(t.Key), Value: optional.Value(t.Value)}
	}
	return out
}

// attributes converts wire attributes to domain ones, whatever the shape.
func attributes[A any](in []A, kv func(A) (*string, *string)) []elb.Attribute {
	out := make([]elb.Attribute, len(in))
	for i, a := range in {
		k, v := kv(a)
		out[i] = elb.Attribute{Key: optional.Value(k), Value: optional.Value(v)}
	}
	return out
}

// wireAttributes converts domain attributes to a wire shape.
func wireAttributes[A any](in []elb.Attribute, mk func(k, v *string) A) []A {
	out := make([]A, len(in))
	for i, a := range in {
		out[i] = mk(new(a.Key), new(a.Value))
	}
	return out
}

// exclusive refuses a Describe call that selects by more than one way.
func exclusive(what string, given ...bool) error {
	n := 0
	for _, g := range given {
		if g {
			n++
		}
	}
	if n > 1 {
		return awsproto.Errorf("ValidationError", "%s", what)
	}
	return nil
}

// awsprotoValidation is a ValidationError in ELB's own words.
func awsprotoValidation(msg string) *awsproto.Error {
	return awsproto.Errorf("ValidationError", "%s", msg)
}
