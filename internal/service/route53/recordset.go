package route53

import (
	"context"
	"strconv"

	"github.com/vpcemu/vpcemu/internal/api/route53api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	r53 "github.com/vpcemu/vpcemu/internal/cloud/route53"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// ChangeResourceRecordSets implements route53api.Handler.
func (s *Service) ChangeResourceRecordSets(ctx context.Context, req *awsproto.Request, in *route53api.ChangeResourceRecordSetsInput) (*route53api.ChangeResourceRecordSetsOutput, error) {
	changes := make([]r53.RecordChange, 0, len(in.ChangeBatch.Changes))
	for _, c := range in.ChangeBatch.Changes {
		changes = append(changes, r53.RecordChange{Action: optional.Value(c.Action), Set: recordIn(c.ResourceRecordSet)})
	}
	ch, err := s.r53.ChangeRecordSets(ctx, caller(req), optional.Value(in.HostedZoneId), optional.Value(in.ChangeBatch.Comment), changes)
	if err != nil {
		return nil, err
	}
	return &route53api.ChangeResourceRecordSetsOutput{ChangeInfo: changeInfo(ch)}, nil
}

// recordIn reads a record set of a change.
func recordIn(in *route53api.ResourceRecordSet) r53.RecordSet {
	r := r53.RecordSet{Name: optional.Value(in.Name), Type: optional.Value(in.Type), SetIdentifier: optional.Value(in.SetIdentifier), TTL: in.TTL,
		Routing: r53.Routing{Weight: in.Weight, Region: optional.Value(in.Region), Failover: optional.Value(in.Failover),
			MultiValueAnswer: in.MultiValueAnswer, HealthCheckID: optional.Value(in.HealthCheckId)}}
	for _, v := range in.ResourceRecords {
		r.Values = append(r.Values, optional.Value(v.Value))
	}
	if g := in.GeoLocation; g != nil {
		r.Routing.GeoContinent, r.Routing.GeoCountry, r.Routing.GeoSubdivision = optional.Value(g.ContinentCode), optional.Value(g.CountryCode), optional.Value(g.SubdivisionCode)
	}
	if a := in.AliasTarget; a != nil {
		r.Alias = &r53.Alias{HostedZoneID: optional.Value(a.HostedZoneId), DNSName: optional.Value(a.DNSName), EvaluateTargetHealth: optional.Value(a.EvaluateTargetHealth)}
	}
	return r
}

// recordOut is a record set's shape.
func recordOut(r *r53.RecordSet) route53api.ResourceRecordSet {
	out := route53api.ResourceRecordSet{Name: new(r.Name), Type: new(r.Type), TTL: r.TTL,
		Weight: r.Routing.Weight, MultiValueAnswer: r.Routing.MultiValueAnswer}
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return new(s)
	}
	out.SetIdentifier, out.Region, out.Failover, out.HealthCheckId = str(r.SetIdentifier), str(r.Routing.Region), str(r.Routing.Failover), str(r.Routing.HealthCheckID)
	if g := r.Routing; g.GeoContinent != "" || g.GeoCountry != "" || g.GeoSubdivision != "" {
		out.GeoLocation = &route53api.GeoLocation{ContinentCode: str(g.GeoContinent), CountryCode: str(g.GeoCountry), SubdivisionCode: str(g.GeoSubdivision)}
	}
	for _, v := range r.Values {
		out.ResourceRecords = append(out.ResourceRecords, route53api.ResourceRecord{Value: new(v)})
	}
	if a := r.Alias; a != nil {
		out.AliasTarget = &route53api.AliasTarget{HostedZoneId: new(a.HostedZoneID), DNSName: new(a.DNSName), EvaluateTargetHealth: new(a.EvaluateTargetHealth)}
	}
	return out
}

// ListResourceRecordSets implements route53api.Handler: at most 300 a
// page, the next page named by its first record set.
func (s *Service) ListResourceRecordSets(ctx context.Context, req *awsproto.Request, in *route53api.ListResourceRecordSetsInput) (*route53api.ListResourceRecordSetsOutput, error) {
	max, err := maxItems(in.MaxItems, 300, 300)
	if err != nil {
		return nil, err
	}
	page, err := s.r53.ListRecordSets(ctx, caller(req), optional.Value(in.HostedZoneId), optional.Value(in.StartRecordName),
		optional.Value(in.StartRecordType), optional.Value(in.StartRecordIdentifier), max)
	if err != nil {
		return nil, err
	}
	out := &route53api.ListResourceRecordSetsOutput{MaxItems: new(strconv.Itoa(max)), IsTruncated: new(page.Next != nil),
		ResourceRecordSets: make([]route53api.ResourceRecordSet, 0, len(page.Sets))}
	for _, r := range page.Sets {
		out.ResourceRecordSets = append(out.ResourceRecordSets, recordOut(r))
	}
	if n := page.Next; n != nil {
		out.NextRecordName, out.NextRecordType = new(n.Name), new(n.Type)
		if n.SetIdentifier != "" {
			out.NextRecordIdentifier = new(n.SetIdentifier)
		}
	}
	return out, nil
}
