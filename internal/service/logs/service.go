// Package logs serves Amazon CloudWatch Logs (the json protocol): it turns
// the generated wire shapes into calls on the CloudWatch Logs family of
// the domain (internal/cloud/logs) and its results back into shapes, and
// owns CloudWatch Logs' error codes.
package logs

import (
	"net/http"

	"github.com/vpcemu/vpcemu/internal/api/logsapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	cwl "github.com/vpcemu/vpcemu/internal/cloud/logs"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// Service implements logsapi.Handler.
type Service struct {
	logs *cwl.Service
}

var _ logsapi.Handler = (*Service)(nil)

// New returns the CloudWatch Logs service over the family f.
func New(f *cwl.Service) *Service { return &Service{logs: f} }

// caller is who sends the request, as the domain sees them.
func caller(r *awsproto.Request) cloud.Caller {
	return cloud.Caller{Account: r.Account, Region: r.Region}
}

// codes maps the domain's refusals to CloudWatch Logs' error codes.
var codes = cloud.ErrorCodes{
	cloud.NotFound:      {"": "ResourceNotFoundException"},
	cloud.Duplicate:     {"": "ResourceAlreadyExistsException"},
	cloud.LimitExceeded: {cwl.SubjectTags: "TooManyTagsException", "": "LimitExceededException"},
	cloud.Unsupported:   {"": "UnsupportedOperation"},
}

// MapError turns a domain refusal into CloudWatch Logs' error (HTTP 400);
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
	return &awsproto.Error{Code: codes.Code(de, "InvalidParameterException"), Message: de.Msg, Status: http.StatusBadRequest}
}

// Renames are the json codec's codes CloudWatch Logs words its own way: a
// value outside the model's constraints is an InvalidParameterException
// ("1 validation error detected: …"), as for GetLogEvents' limit.
var Renames = map[string]string{"ValidationException": "InvalidParameterException"}

// int32p is n for an int32 member, nil when zero.
func int32p(n int) *int32 {
	if n == 0 {
		return nil
	}
	return new(int32(n))
}

// groupRef reads how a call names its log group.
func groupRef(name, identifier *string) cwl.GroupRef {
	return cwl.GroupRef{Name: optional.Value(name), Identifier: optional.Value(identifier)}
}
