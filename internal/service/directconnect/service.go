// Package directconnect serves AWS Direct Connect (the json protocol): it
// turns the generated wire shapes into calls on the Direct Connect family
// of the domain (internal/cloud/directconnect) and its results back into
// shapes, and owns Direct Connect's error codes. DescribeLocations answers
// from the fixed catalogue of internal/dxlocations.
package directconnect

import (
	"net/http"
	"slices"

	"github.com/vpcemu/vpcemu/internal/api/directconnectapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	dx "github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// Service implements directconnectapi.Handler.
type Service struct {
	dx *dx.Service
}

var _ directconnectapi.Handler = (*Service)(nil)

// New returns the Direct Connect service over the family f.
func New(f *dx.Service) *Service { return &Service{dx: f} }

// caller is who sends the request, as the domain sees them.
func caller(r *awsproto.Request) cloud.Caller {
	return cloud.Caller{Account: r.Account, Region: r.Region}
}

// codes maps the domain's refusals to Direct Connect's error codes: the tag
// APIs' own two, vpcemu's UnsupportedOperation for what it does not model
// (an association to a transit gateway), and DirectConnectClientException
// for everything else.
var codes = cloud.ErrorCodes{
	cloud.LimitExceeded: {dx.TagSubject: "TooManyTagsException"},
	cloud.Duplicate:     {dx.TagSubject: "DuplicateTagKeysException"},
	cloud.Unsupported:   {"": "UnsupportedOperation"},
}

// MapError turns a domain refusal into Direct Connect's error (HTTP 400);
// nil for errors that are not refusals (the server answers those as a
// server fault).
func MapError(err error) *awsproto.Error {
	if e, ok := err.(*awsproto.Error); ok {
		return e
	}
	de, ok := cloud.AsError(err)
	if !ok {
		return nil
	}
	return &awsproto.Error{Code: codes.Code(de, "DirectConnectClientException"), Message: de.Msg, Status: http.StatusBadRequest}
}

// tagsIn reads a request's tags; a key given twice is refused with dup.
func tagsIn(ts []directconnectapi.Tag, dup func(key string) error) (cloud.Tags, error) {
	if len(ts) == 0 {
		return nil, nil
	}
	out := cloud.Tags{}
	for _, t := range ts {
		k := optional.Value(t.Key)
		if _, ok := out[k]; ok {
			return nil, dup(k)
		}
		out[k] = optional.Value(t.Value)
	}
	return out, nil
}

// duplicateInGateway refuses a tag key given twice to
// CreateDirectConnectGateway, which has no DuplicateTagKeysException in
// the model (the other create calls answer it).
func duplicateInGateway(key string) error {
	return cloud.Errorf(cloud.InvalidParameter, "", "Tag key %s is duplicated in the request.", key)
}

// tagList is tags in key order, as Direct Connect lists them.
func tagList(tags cloud.Tags) []directconnectapi.Tag {
	out := make([]directconnectapi.Tag, 0, len(tags))
	for _, t := range tags.Sorted() {
		out = append(out, directconnectapi.Tag{Key: new(t.Key), Value: new(t.Value)})
	}
	return out
}

// prefixesIn reads a list of route filter prefixes (allowed prefixes).
func prefixesIn(ps []directconnectapi.RouteFilterPrefix) []string {
	if ps == nil {
		return nil
	}
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, optional.Value(p.Cidr))
	}
	return out
}

// prefixList is prefixes as route filter prefixes, in their order.
func prefixList(ps []string) []directconnectapi.RouteFilterPrefix {
	out := make([]directconnectapi.RouteFilterPrefix, 0, len(ps))
	for _, p := range slices.Clone(ps) {
		out = append(out, directconnectapi.RouteFilterPrefix{Cidr: new(p)})
	}
	return out
}

// int32p is n for an int32 member, nil when zero.
func int32p(n int) *int32 {
	if n == 0 {
		return nil
	}
	v := int32(n)
	return &v
}
