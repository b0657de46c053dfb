package route53

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// HostedZone is a public or private hosted zone. A private zone answers
// only in the VPCs associated with it; Authorized are the other accounts'
// VPCs its owner allows to associate.
type HostedZone struct {
	cloud.Meta
	Name            string // an Fqdn
	CallerReference string
	Comment         string `json:",omitempty"`
	Private         bool
	VPCs            []VPC `json:",omitempty"`
	Authorized      []VPC `json:",omitempty"`
	// RecordCount is the number of record sets, apex SOA and NS included.
	RecordCount int64
}

// VPC names a VPC in a region, as Route 53 does.
type VPC struct {
	Region string
	ID     string
}

func (*HostedZone) Kind() cloud.Kind { return cloud.KindHostedZone }

func init() { cloud.RegisterType[HostedZone]() }

func (z *HostedZone) Keys() []cloud.Key {
	keys := []cloud.Key{accountKey(z.Owner), callerRefKey(z.Owner, z.CallerReference)}
	for _, v := range z.VPCs {
		keys = append(keys, vpcKey(v))
	}
	if !z.Private {
		keys = append(keys, publicNameKey(z.Name))
	}
	return keys
}

// NameServers are the zone's delegation set: four Route 53 name servers,
// picked by the zone's id as AWS spreads zones over its stripes.
func (z *HostedZone) NameServers() []string {
	n := 0
	for _, c := range z.ID {
		n = n*31 + int(c)
	}
	n = (n%512 + 512) % 512
	return []string{
		fmt.Sprintf("ns-%d.awsdns-%02d.com.", n, n%64),
		fmt.Sprintf("ns-%d.awsdns-%02d.net.", 512+n, n%64),
		fmt.Sprintf("ns-%d.awsdns-%02d.org.", 1024+n, n%64),
		fmt.Sprintf("ns-%d.awsdns-%02d.co.uk.", 1536+n, n%64),
	}
}

// soa is the zone's apex SOA value.
func (z *HostedZone) soa() string {
	return z.NameServers()[0] + " awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"
}

// zoneOf reads a hosted zone of the caller's.
func zoneOf(t *cloud.Txn, id string) (*HostedZone, error) {
	id = StripZonePrefix(id)
	z, err := cloud.GetAny[HostedZone](t, id)
	if err != nil {
		return nil, err
	}
	if z.Owner != t.Scope.Account {
		return nil, cloud.Missing(cloud.KindHostedZone, id)
	}
	return z, nil
}

// checkVPC refuses a VPC that does not exist in its region or is not the
// caller's.
func checkVPC(t *cloud.Txn, v VPC) error {
	if v.ID == "" || v.Region == "" {
		return cloud.Errorf(cloud.InvalidParameter, SubjectVPC, "The VPC ID and region are both required.")
	}
	vpc, err := cloud.GetAny[network.VPC](t, v.ID)
	if err != nil || vpc.Owner != t.Scope.Account || vpc.Region != v.Region {
		return cloud.Errorf(cloud.InvalidParameter, SubjectVPC, "The VPC %s in region %s was not found or does not belong to you.", v.ID, v.Region)
	}
	return nil
}

// checkNoConflict refuses associating v with zone z when another private
// zone of the same name is associated with it.
func checkNoConflict(t *cloud.Txn, z *HostedZone, v VPC) error {
	others, err := cloud.FindAny[HostedZone](t, vpcKey(v))
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.ID != z.ID && o.Name == z.Name {
			return cloud.Errorf(cloud.Conflict, SubjectAssociation, "The VPC %s in region %s has already been associated with the hosted zone %s with the same domain name.", v.ID, v.Region, o.ID)
		}
	}
	return nil
}

// NewZone is what CreateHostedZone asks for; a VPC makes it private.
type NewZone struct {
	Name            string
	CallerReference string
	Comment         string
	Private         bool // HostedZoneConfig.PrivateZone
	VPC             *VPC
}

// ZoneCreated is CreateHostedZone's answer.
type ZoneCreated struct {
	Zone   *HostedZone
	Change ChangeInfo
}

// CreateHostedZone creates a zone with its apex SOA and NS records. A
// CallerReference already used by the account is refused.
func (s *Service) CreateHostedZone(ctx context.Context, who cloud.Caller, in NewZone) (*ZoneCreated, error) {
	name := Fqdn(in.Name)
	if !validName(name) {
		return nil, cloud.Errorf(cloud.InvalidParameter, SubjectDomain, "%s is not a valid domain name.", in.Name)
	}
	if in.Private && in.VPC == nil {
		return nil, cloud.Errorf(cloud.InvalidParameter, "", "When you create a private hosted zone, you must specify a VPC.")
	}
	var out *ZoneCreated
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		used, err := cloud.Exists(t, cloud.KindHostedZone, callerRefKey(t.Scope.Account, in.CallerReference))
		if err != nil {
			return err
		}
		if used {
			return cloud.Errorf(cloud.Duplicate, cloud.KindHostedZone, "A hosted zone has already been created with the specified caller reference.")
		}
		z := &HostedZone{Meta: cloud.Meta{ID: newRoute53ID(t, "Z"), Owner: t.Scope.Account},
			Name: name, CallerReference: in.CallerReference, Comment: in.Comment}
		if in.VPC != nil {
			if err := checkVPC(t, *in.VPC); err != nil {
				return err
			}
			if err := checkNoConflict(t, z, *in.VPC); err != nil {
				return err
			}
			z.Private = true
			z.VPCs = []VPC{*in.VPC}
		}
		apex := []*RecordSet{
			{Name: name, Type: "SOA", TTL: new(int64(900)), Values: []string{z.soa()}},
			{Name: name, Type: "NS", TTL: new(int64(172800)), Values: z.NameServers()},
		}
		for _, r := range apex {
			r.Meta = cloud.Meta{ID: recordID(z.ID, r.Name, r.Type, ""), Owner: z.Owner}
			r.Zone = z.ID
			if err := cloud.Put(t, r); err != nil {
				return err
			}
		}
		z.RecordCount = int64(len(apex))
		if err := cloud.Put(t, z); err != nil {
			return err
		}
		ch, err := submit(t, "")
		out = &ZoneCreated{Zone: z, Change: ch}
		return err
	})
	return out, err
}

// GetHostedZone reads a zone of the caller's.
func (s *Service) GetHostedZone(ctx context.Context, who cloud.Caller, id string) (*HostedZone, error) {
	var z *HostedZone
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		var err error
		z, err = zoneOf(t, id)
		return err
	})
	return z, err
}

// ListHostedZones lists the caller's zones in id order.
func (s *Service) ListHostedZones(ctx context.Context, who cloud.Caller) ([]*HostedZone, error) {
	var zs []*HostedZone
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		var err error
		zs, err = cloud.FindAny[HostedZone](t, accountKey(t.Scope.Account))
		return err
	})
	return zs, err
}

// ListHostedZonesByName lists the caller's zones in the order of their
// names with the labels reversed (com.example before com.example.www),
// then by id, as ListHostedZonesByName does.
func (s *Service) ListHostedZonesByName(ctx context.Context, who cloud.Caller) ([]*HostedZone, error) {
	zs, err := s.ListHostedZones(ctx, who)
	slices.SortStableFunc(zs, func(a, b *HostedZone) int {
		if c := strings.Compare(reversed(a.Name), reversed(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return zs, err
}

// ZoneSummary is a zone as ListHostedZonesByVPC answers it.
type ZoneSummary struct {
	ID, Name, Owner string
}

// ListHostedZonesByVPC lists the private zones, of any account, that are
// associated with a VPC of the caller's.
func (s *Service) ListHostedZonesByVPC(ctx context.Context, who cloud.Caller, v VPC) ([]ZoneSummary, error) {
	var out []ZoneSummary
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		if err := checkVPC(t, v); err != nil {
			return err
		}
		zs, err := cloud.FindAny[HostedZone](t, vpcKey(v))
		for _, z := range zs {
			out = append(out, ZoneSummary{ID: z.ID, Name: z.Name, Owner: z.Owner})
		}
		return err
	})
	return out, err
}

// UpdateComment sets a zone's comment.
func (s *Service) UpdateComment(ctx context.Context, who cloud.Caller, id, comment string) (*HostedZone, error) {
	var z *HostedZone
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if z, err = zoneOf(t, id); err != nil {
			return err
		}
		z.Comment = comment
		return cloud.Put(t, z)
	})
	return z, err
}

// DeleteHostedZone deletes a zone that holds only its apex SOA and NS.
func (s *Service) DeleteHostedZone(ctx context.Context, who cloud.Caller, id string) (ChangeInfo, error) {
	var ch ChangeInfo
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		z, err := zoneOf(t, id)
		if err != nil {
			return err
		}
		var records []*RecordSet
		if err := scanRecords(t, z, "", func(r *RecordSet) bool {
			records = append(records, r)
			return true
		}); err != nil {
			return err
		}
		for _, r := range records {
			if !r.apex(z) {
				return cloud.Errorf(cloud.DependencyViolation, cloud.KindHostedZone, "The specified hosted zone contains non-required resource record sets and so cannot be deleted.")
			}
		}
		for _, r := range records {
			if err := cloud.Remove(t, r); err != nil {
				return err
			}
		}
		if err := cloud.Remove(t, z); err != nil {
			return err
		}
		ch, err = submit(t, "")
		return err
	})
	return ch, err
}

// DNSSECStatus is GetDNSSEC's answer for a public zone: vpcemu never signs.
func (s *Service) DNSSECStatus(ctx context.Context, who cloud.Caller, id string) (string, error) {
	z, err := s.GetHostedZone(ctx, who, id)
	if err != nil {
		return "", err
	}
	if z.Private {
		return "", cloud.Errorf(cloud.Unsupported, SubjectDNSSEC, "Operation is unsupported for private hosted zones.")
	}
	return "NOT_SIGNING", nil
}
