package route53

import (
	"context"
	"slices"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// zoneForVPCOwner reads a zone for a call about one of the caller's VPCs:
// the caller's own zone, or another account's that has authorized the VPC
// (need says whether the authorization is required).
func zoneForVPCOwner(t *cloud.Txn, id string, v VPC, need bool) (*HostedZone, error) {
	id = StripZonePrefix(id)
	z, err := cloud.GetAny[HostedZone](t, id)
	if err != nil {
		return nil, err
	}
	if z.Owner == t.Scope.Account {
		return z, nil
	}
	if !need || slices.Contains(z.Authorized, v) {
		return z, nil
	}
	return nil, cloud.Errorf(cloud.AuthFailure, SubjectAuthorization, "User: arn:aws:iam::%s:root is not authorized to access this resource: associating VPC %s with hosted zone %s needs an authorization from the zone's owner (CreateVPCAssociationAuthorization).", t.Scope.Account, v.ID, z.ID)
}

// AssociateVPC associates a VPC of the caller's with a private zone: its
// own, or another account's that authorized it.
func (s *Service) AssociateVPC(ctx context.Context, who cloud.Caller, zoneID string, v VPC, comment string) (ChangeInfo, error) {
	var ch ChangeInfo
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		z, err := zoneForVPCOwner(t, zoneID, v, true)
		if err != nil {
			return err
		}
		if err := checkVPC(t, v); err != nil {
			return err
		}
		if !z.Private {
			return cloud.Errorf(cloud.OperationNotPermitted, SubjectAssociation, "You're trying to associate a VPC with a public hosted zone. Amazon Route 53 doesn't support associating a VPC with a public hosted zone.")
		}
		if slices.Contains(z.VPCs, v) {
			return cloud.Errorf(cloud.Conflict, SubjectAssociation, "The VPC %s in region %s has already been associated with the hosted zone %s with the same domain name.", v.ID, v.Region, z.ID)
		}
		if err := checkNoConflict(t, z, v); err != nil {
			return err
		}
		z.VPCs = append(z.VPCs, v)
		if err := cloud.Put(t, z); err != nil {
			return err
		}
		ch, err = submit(t, comment)
		return err
	})
	return ch, err
}

// DisassociateVPC disassociates a VPC from a private zone: by the zone's
// owner, or by the VPC's owner. The last VPC of a zone stays.
func (s *Service) DisassociateVPC(ctx context.Context, who cloud.Caller, zoneID string, v VPC, comment string) (ChangeInfo, error) {
	var ch ChangeInfo
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		z, err := zoneForVPCOwner(t, zoneID, v, false)
		if err != nil {
			return err
		}
		i := slices.Index(z.VPCs, v)
		if i < 0 || z.Owner != t.Scope.Account && checkVPC(t, v) != nil {
			return cloud.Errorf(cloud.NotFound, SubjectAssociation, "The specified VPC %s and hosted zone %s are not currently associated.", v.ID, z.ID)
		}
		if len(z.VPCs) == 1 {
			return cloud.Errorf(cloud.IncorrectState, SubjectAssociation, "The VPC that you're trying to disassociate from the private hosted zone is the last VPC that is associated with the hosted zone. Amazon Route 53 doesn't support disassociating the last VPC from a hosted zone.")
		}
		z.VPCs = slices.Delete(z.VPCs, i, i+1)
		if err := cloud.Put(t, z); err != nil {
			return err
		}
		ch, err = submit(t, comment)
		return err
	})
	return ch, err
}

// Authorize lets the owner of another account's VPC associate it with a
// zone of the caller's.
func (s *Service) Authorize(ctx context.Context, who cloud.Caller, zoneID string, v VPC) (*HostedZone, error) {
	var z *HostedZone
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if z, err = zoneOf(t, zoneID); err != nil {
			return err
		}
		if v.ID == "" || v.Region == "" {
			return cloud.Errorf(cloud.InvalidParameter, SubjectVPC, "The VPC ID and region are both required.")
		}
		if !slices.Contains(z.Authorized, v) {
			z.Authorized = append(z.Authorized, v)
		}
		return cloud.Put(t, z)
	})
	return z, err
}

// Deauthorize takes an authorization back; associations made with it stay.
func (s *Service) Deauthorize(ctx context.Context, who cloud.Caller, zoneID string, v VPC) error {
	return s.Update(ctx, who, func(t *cloud.Txn) error {
		z, err := zoneOf(t, zoneID)
		if err != nil {
			return err
		}
		i := slices.Index(z.Authorized, v)
		if i < 0 {
			return cloud.Errorf(cloud.NotFound, SubjectAuthorization, "The VPC %s in region %s is not authorized to be associated with the hosted zone %s.", v.ID, v.Region, z.ID)
		}
		z.Authorized = slices.Delete(z.Authorized, i, i+1)
		return cloud.Put(t, z)
	})
}
