// Package route53 serves Amazon Route 53 (the rest-xml protocol): it turns
// the generated wire shapes into calls on the Route 53 family of the
// domain (internal/cloud/route53) and its results back into shapes, and
// owns Route 53's error codes.
package route53

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/api/route53api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	r53 "github.com/vpcemu/vpcemu/internal/cloud/route53"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// Service implements route53api.Handler.
type Service struct {
	r53 *r53.Service
}

var _ route53api.Handler = (*Service)(nil)

// New returns the Route 53 service over the family f.
func New(f *r53.Service) *Service { return &Service{r53: f} }

// caller is who sends the request, as the domain sees them.
func caller(r *awsproto.Request) cloud.Caller {
	return cloud.Caller{Account: r.Account, Region: r.Region}
}

// codes maps the domain's refusals to Route 53's error codes; the codec
// gives each the HTTP status the model does.
var codes = cloud.ErrorCodes{
	cloud.NotFound: {
		cloud.KindHostedZone:     "NoSuchHostedZone",
		cloud.KindRoute53Change:  "NoSuchChange",
		r53.SubjectAssociation:   "VPCAssociationNotFound",
		r53.SubjectAuthorization: "VPCAssociationAuthorizationNotFound",
	},
	cloud.Duplicate:             {cloud.KindHostedZone: "HostedZoneAlreadyExists"},
	cloud.DependencyViolation:   {cloud.KindHostedZone: "HostedZoneNotEmpty"},
	cloud.Conflict:              {r53.SubjectAssociation: "ConflictingDomainExists"},
	cloud.IncorrectState:        {r53.SubjectAssociation: "LastVPCAssociation"},
	cloud.OperationNotPermitted: {r53.SubjectAssociation: "PublicZoneVPCAssociation"},
	cloud.AuthFailure:           {r53.SubjectAuthorization: "NotAuthorizedException"},
	cloud.Unsupported:           {r53.SubjectDNSSEC: "InvalidArgument"},
	cloud.InvalidParameter: {
		r53.SubjectVPC:         "InvalidVPCId",
		r53.SubjectDomain:      "InvalidDomainName",
		r53.SubjectChangeBatch: "InvalidChangeBatch",
	},
}

// MapError turns a domain refusal into Route 53's error; nil for errors
// that are not refusals (the server answers those as a server fault). An
// InvalidChangeBatch lists its problems one by one.
func MapError(err error) *awsproto.Error {
	if e, ok := err.(*awsproto.Error); ok {
		return e
	}
	de, ok := cloud.AsError(err)
	if !ok {
		return nil
	}
	e := &awsproto.Error{Code: codes.Code(de, "InvalidInput"), Message: de.Msg, Status: http.StatusBadRequest}
	if e.Code == "InvalidChangeBatch" {
		e.Messages = strings.Split(de.Msg, "\n")
	}
	return e
}

// zoneID is a zone's id as Route 53 answers it.
func zoneID(id string) *string { return new("/hostedzone/" + id) }

// zone is a hosted zone's shape.
func zone(z *r53.HostedZone) route53api.HostedZone {
	cfg := &route53api.HostedZoneConfig{PrivateZone: new(z.Private)}
	if z.Comment != "" {
		cfg.Comment = new(z.Comment)
	}
	return route53api.HostedZone{Id: zoneID(z.ID), Name: new(z.Name), CallerReference: new(z.CallerReference),
		Config: cfg, ResourceRecordSetCount: new(z.RecordCount)}
}

func changeInfo(c r53.ChangeInfo) *route53api.ChangeInfo {
	out := &route53api.ChangeInfo{Id: new("/change/" + c.ID), Status: new(c.Status), SubmittedAt: new(c.SubmittedAt)}
	if c.Comment != "" {
		out.Comment = new(c.Comment)
	}
	return out
}

func vpcIn(v *route53api.VPC) r53.VPC {
	if v == nil {
		return r53.VPC{}
	}
	return r53.VPC{Region: optional.Value(v.VPCRegion), ID: optional.Value(v.VPCId)}
}

func vpcList(vs []r53.VPC) []route53api.VPC {
	out := make([]route53api.VPC, 0, len(vs))
	for _, v := range vs {
		out = append(out, route53api.VPC{VPCRegion: new(v.Region), VPCId: new(v.ID)})
	}
	return out
}

// maxItems reads a page size: def when absent, at most limit.
func maxItems(s *string, def, limit int) (int, error) {
	if s == nil {
		return def, nil
	}
	n, err := strconv.Atoi(*s)
	if err != nil || n < 1 {
		return 0, awsproto.Errorf("InvalidInput", "Invalid value for MaxItems: %s. It must be a positive integer.", *s)
	}
	return min(n, limit), nil
}
