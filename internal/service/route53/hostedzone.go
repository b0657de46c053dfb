package route53

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/api/route53api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	r53 "github.com/vpcemu/vpcemu/internal/cloud/route53"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// CreateHostedZone implements route53api.Handler: 201 with the zone's
// Location, its change, and its delegation set when public.
func (s *Service) CreateHostedZone(ctx context.Context, req *awsproto.Request, in *route53api.CreateHostedZoneInput) (*route53api.CreateHostedZoneOutput, error) {
	nz := r53.NewZone{Name: optional.Value(in.Name), CallerReference: optional.Value(in.CallerReference)}
	if c := in.HostedZoneConfig; c != nil {
		nz.Comment = optional.Value(c.Comment)
		nz.Private = optional.Value(c.PrivateZone)
	}
	if in.VPC != nil {
		v := vpcIn(in.VPC)
		nz.VPC = &v
	}
	created, err := s.r53.CreateHostedZone(ctx, caller(req), nz)
	if err != nil {
		return nil, err
	}
	z := zone(created.Zone)
	out := &route53api.CreateHostedZoneOutput{HostedZone: &z, ChangeInfo: changeInfo(created.Change),
		Location: new("https://route53.amazonaws.com/2013-04-01/hostedzone/" + created.Zone.ID)}
	if created.Zone.Private {
		out.VPC = &vpcList(created.Zone.VPCs)[0]
	} else {
		out.DelegationSet = &route53api.DelegationSet{NameServers: created.Zone.NameServers()}
	}
	return out, nil
}

// GetHostedZone implements route53api.Handler: a private zone answers its
// VPCs, a public one its delegation set.
func (s *Service) GetHostedZone(ctx context.Context, req *awsproto.Request, in *route53api.GetHostedZoneInput) (*route53api.GetHostedZoneOutput, error) {
	z, err := s.r53.GetHostedZone(ctx, caller(req), optional.Value(in.Id))
	if err != nil {
		return nil, err
	}
	hz := zone(z)
	out := &route53api.GetHostedZoneOutput{HostedZone: &hz}
	if z.Private {
		out.VPCs = vpcList(z.VPCs)
	} else {
		out.DelegationSet = &route53api.DelegationSet{NameServers: z.NameServers()}
	}
	return out, nil
}

// ListHostedZones implements route53api.Handler, paged by zone id.
func (s *Service) ListHostedZones(ctx context.Context, req *awsproto.Request, in *route53api.ListHostedZonesInput) (*route53api.ListHostedZonesOutput, error) {
	max, err := maxItems(in.MaxItems, 100, 100)
	if err != nil {
		return nil, err
	}
	zs, err := s.r53.ListHostedZones(ctx, caller(req))
	if err != nil {
		return nil, err
	}
	marker := r53.StripZonePrefix(optional.Value(in.Marker))
	typ := optional.Value(in.HostedZoneType)
	zs = slices.DeleteFunc(zs, func(z *r53.HostedZone) bool {
		return z.ID < marker || typ == "PrivateHostedZone" && !z.Private
	})
	out := &route53api.ListHostedZonesOutput{Marker: new(optional.Value(in.Marker)), MaxItems: new(strconv.Itoa(max)), IsTruncated: new(len(zs) > max), HostedZones: []route53api.HostedZone{}}
	if len(zs) > max {
		out.NextMarker = new(zs[max].ID)
		zs = zs[:max]
	}
	for _, z := range zs {
		out.HostedZones = append(out.HostedZones, zone(z))
	}
	return out, nil
}

// ListHostedZonesByName implements route53api.Handler: zones in the order
// of their reversed names, from DNSName (and HostedZoneId) on.
func (s *Service) ListHostedZonesByName(ctx context.Context, req *awsproto.Request, in *route53api.ListHostedZonesByNameInput) (*route53api.ListHostedZonesByNameOutput, error) {
	max, err := maxItems(in.MaxItems, 100, 100)
	if err != nil {
		return nil, err
	}
	zs, err := s.r53.ListHostedZonesByName(ctx, caller(req))
	if err != nil {
		return nil, err
	}
	out := &route53api.ListHostedZonesByNameOutput{DNSName: in.DNSName, HostedZoneId: in.HostedZoneId, MaxItems: new(strconv.Itoa(max)), HostedZones: []route53api.HostedZone{}}
	if in.DNSName != nil {
		from := r53.Fqdn(*in.DNSName)
		id := r53.StripZonePrefix(optional.Value(in.HostedZoneId))
		i := slices.IndexFunc(zs, func(z *r53.HostedZone) bool {
			c := compareNames(z.Name, from)
			return c > 0 || c == 0 && z.ID >= id
		})
		if i < 0 {
			i = len(zs)
		}
		zs = zs[i:]
	}
	out.IsTruncated = new(len(zs) > max)
	if len(zs) > max {
		out.NextDNSName, out.NextHostedZoneId = new(zs[max].Name), new(zs[max].ID)
		zs = zs[:max]
	}
	for _, z := range zs {
		out.HostedZones = append(out.HostedZones, zone(z))
	}
	return out, nil
}

// compareNames orders names by their labels reversed.
func compareNames(a, b string) int {
	rev := func(n string) string {
		l := strings.Split(strings.TrimSuffix(n, "."), ".")
		slices.Reverse(l)
		return strings.Join(l, ".")
	}
	return strings.Compare(rev(a), rev(b))
}

// ListHostedZonesByVPC implements route53api.Handler: the private zones of
// any account associated with one of the caller's VPCs.
func (s *Service) ListHostedZonesByVPC(ctx context.Context, req *awsproto.Request, in *route53api.ListHostedZonesByVPCInput) (*route53api.ListHostedZonesByVPCOutput, error) {
	max, err := maxItems(in.MaxItems, 100, 100)
	if err != nil {
		return nil, err
	}
	zs, err := s.r53.ListHostedZonesByVPC(ctx, caller(req), r53.VPC{Region: optional.Value(in.VPCRegion), ID: optional.Value(in.VPCId)})
	if err != nil {
		return nil, err
	}
	start := 0
	if in.NextToken != nil {
		if start, err = strconv.Atoi(*in.NextToken); err != nil || start < 0 || start > len(zs) {
			return nil, awsproto.Errorf("InvalidPaginationToken", "The value of NextToken is not valid.")
		}
	}
	zs = zs[start:]
	out := &route53api.ListHostedZonesByVPCOutput{MaxItems: new(strconv.Itoa(max)), HostedZoneSummaries: []route53api.HostedZoneSummary{}}
	if len(zs) > max {
		out.NextToken = new(strconv.Itoa(start + max))
		zs = zs[:max]
	}
	for _, z := range zs {
		out.HostedZoneSummaries = append(out.HostedZoneSummaries, route53api.HostedZoneSummary{
			HostedZoneId: new(z.ID), Name: new(z.Name), Owner: &route53api.HostedZoneOwner{OwningAccount: new(z.Owner)}})
	}
	return out, nil
}

// UpdateHostedZoneComment implements route53api.Handler.
func (s *Service) UpdateHostedZoneComment(ctx context.Context, req *awsproto.Request, in *route53api.UpdateHostedZoneCommentInput) (*route53api.UpdateHostedZoneCommentOutput, error) {
	z, err := s.r53.UpdateComment(ctx, caller(req), optional.Value(in.Id), optional.Value(in.Comment))
	if err != nil {
		return nil, err
	}
	hz := zone(z)
	return &route53api.UpdateHostedZoneCommentOutput{HostedZone: &hz}, nil
}

// DeleteHostedZone implements route53api.Handler.
func (s *Service) DeleteHostedZone(ctx context.Context, req *awsproto.Request, in *route53api.DeleteHostedZoneInput) (*route53api.DeleteHostedZoneOutput, error) {
	ch, err := s.r53.DeleteHostedZone(ctx, caller(req), optional.Value(in.Id))
	if err != nil {
		return nil, err
	}
	return &route53api.DeleteHostedZoneOutput{ChangeInfo: changeInfo(ch)}, nil
}

// GetDNSSEC implements route53api.Handler: vpcemu signs no zone; a private
// zone is refused as AWS does (Terraform tolerates it).
func (s *Service) GetDNSSEC(ctx context.Context, req *awsproto.Request, in *route53api.GetDNSSECInput) (*route53api.GetDNSSECOutput, error) {
	status, err := s.r53.DNSSECStatus(ctx, caller(req), optional.Value(in.HostedZoneId))
	if err != nil {
		return nil, err
	}
	return &route53api.GetDNSSECOutput{Status: &route53api.DNSSECStatus{ServeSignature: new(status)}, KeySigningKeys: []route53api.KeySigningKey{}}, nil
}

// GetChange implements route53api.Handler.
func (s *Service) GetChange(ctx context.Context, req *awsproto.Request, in *route53api.GetChangeInput) (*route53api.GetChangeOutput, error) {
	ch, err := s.r53.GetChange(ctx, caller(req), optional.Value(in.Id))
	if err != nil {
		return nil, err
	}
	return &route53api.GetChangeOutput{ChangeInfo: changeInfo(ch)}, nil
}
