package network

import (
	"context"
	"net/netip"

	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Reservation types: AWS assigns prefix reservations to interfaces as
// delegated prefixes; explicit ones are only ever assigned by the user.
const (
	ReservationPrefix   = "prefix"
	ReservationExplicit = "explicit"
)

// SubnetCIDRReservation is a range of a subnet's IPv4 or IPv6 addresses
// set aside "so that Amazon can't assign them to your network interfaces"
// (Amazon VPC User Guide, Subnet CIDR reservations): the automatic address
// picker skips it, while an address asked for by value may still come from
// it.
type SubnetCIDRReservation struct {
	cloud.Meta
	SubnetID        string
	VpcID           string
	CIDR            string
	ReservationType string
	Description     string `json:",omitempty"`
}

func (*SubnetCIDRReservation) Kind() cloud.Kind { return cloud.KindSubnetCIDRReservation }

func init() { cloud.RegisterType[SubnetCIDRReservation]() }

// reservationIndexes are how a subnet's reservations are listed.
var reservationIndexes = cloud.Declare(cloud.KindSubnetCIDRReservation, cloud.Same("subnet-id"), nil)

func (r *SubnetCIDRReservation) Keys() []cloud.Key {
	return []cloud.Key{reservationIndexes.Key("subnet-id", r.SubnetID), {Name: "vpc-id", Value: r.VpcID}}
}

// Prefix is the reserved block.
func (r *SubnetCIDRReservation) Prefix() netip.Prefix { return netip.MustParsePrefix(r.CIDR) }

// IsIPv6 reports whether the reservation is of IPv6 addresses.
func (r *SubnetCIDRReservation) IsIPv6() bool { return r.Prefix().Addr().Is6() }

// CreateSubnetCIDRReservationInput is what CreateSubnetCidrReservation takes.
type CreateSubnetCIDRReservationInput struct {
	SubnetID        string
	CIDR            string
	ReservationType string
	Description     string
	Tags            []cloud.TagSpec
}

// CreateSubnetCIDRReservation reserves a block of one of the subnet's
// ranges. The block may hold addresses already in use (they stay), and no
// two reservations of a VPC overlap.
func (c *Service) CreateSubnetCIDRReservation(ctx context.Context, who cloud.Caller, in CreateSubnetCIDRReservationInput) (*SubnetCIDRReservation, error) {
	switch in.ReservationType {
	case ReservationPrefix, ReservationExplicit:
	default:
		return nil, cloud.InvalidParam("Value (%s) for parameter reservationType is invalid. Valid values are: prefix, explicit.", in.ReservationType)
	}
	if len(in.Description) > 255 {
		return nil, cloud.InvalidParam("Value for parameter description is invalid. The description must be 255 characters or fewer.")
	}
	tags, err := cloud.TagsFor(in.Tags, cloud.KindSubnetCIDRReservation)
	if err != nil {
		return nil, err
	}
	p, err := cidr.Parse(in.CIDR)
	if err != nil && err != cidr.ErrNotCanonical {
		return nil, cloud.InvalidParam("Value (%s) for parameter cidr is invalid. This is not a valid CIDR block.", in.CIDR)
	}
	// EC2 stores blocks in canonical form (host bits cleared, IPv6 in its
	// compressed spelling), as it does for subnets and routes.
	block := p.String()
	var r *SubnetCIDRReservation
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		s, err := cloud.GetIn[Subnet](t, in.SubnetID)
		if err != nil {
			return err
		}
		ranges := []netip.Prefix{}
		if s.CIDRBlock != "" {
			ranges = append(ranges, s.Prefix())
		}
		for _, a := range s.IPv6Associations {
			if q, err := netip.ParsePrefix(a.CIDR); err == nil {
				ranges = append(ranges, q)
			}
		}
		inside := false
		for _, q := range ranges {
			inside = inside || cidr.Contains(q, p)
		}
		if !inside {
			return cloud.InvalidParam("The CIDR '%s' is not within the CIDR ranges of subnet '%s'.", block, s.ID)
		}
		others, err := cloud.FindIn[SubnetCIDRReservation](t, cloud.Key{Name: "vpc-id", Value: s.VpcID})
		if err != nil {
			return err
		}
		for _, o := range others {
			if cidr.Overlap(o.Prefix(), p) {
				return cloud.Errorf(cloud.Conflict, cloud.KindSubnetCIDRReservation, "The CIDR '%s' overlaps with the subnet CIDR reservation '%s' (%s).", block, o.ID, o.CIDR)
			}
		}
		r = &SubnetCIDRReservation{
			Meta:     cloud.Meta{ID: t.NewID("scr-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[cloud.KindSubnetCIDRReservation]},
			SubnetID: s.ID, VpcID: s.VpcID, CIDR: block, ReservationType: in.ReservationType, Description: in.Description,
		}
		return cloud.Put(t, r)
	})
	return r, err
}

// SubnetCIDRReservations lists a subnet's reservations that match q and
// the predicate; the subnet must be the caller's.
func (c *Service) SubnetCIDRReservations(ctx context.Context, who cloud.Caller, subnetID string, q cloud.Query, match func(*SubnetCIDRReservation) bool) (cloud.Page[*SubnetCIDRReservation], error) {
	var page cloud.Page[*SubnetCIDRReservation]
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		if _, err := cloud.GetIn[Subnet](t, subnetID); err != nil {
			return err
		}
		// The subnet's index; the predicate applies the filters.
		q.IDs, q.Filters = nil, []cloud.Filter{{Name: "subnet-id", Values: []string{subnetID}}}
		var err error
		page, err = cloud.ListIn[SubnetCIDRReservation](t, q, match)
		return err
	})
	return page, err
}

// DeleteSubnetCIDRReservation removes a reservation; addresses in use in
// its block stay where they are.
func (c *Service) DeleteSubnetCIDRReservation(ctx context.Context, who cloud.Caller, id string) (*SubnetCIDRReservation, error) {
	if err := CheckID(id, "scr-", cloud.KindSubnetCIDRReservation); err != nil {
		return nil, err
	}
	var r *SubnetCIDRReservation
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if r, err = cloud.GetIn[SubnetCIDRReservation](t, id); err != nil {
			return err
		}
		return cloud.Remove(t, r)
	})
	return r, err
}

// deleteSubnetReservations removes the reservations of a subnet being
// deleted.
func deleteSubnetReservations(t *cloud.Txn, subnetID string) error {
	rs, err := cloud.FindIn[SubnetCIDRReservation](t, cloud.Key{Name: "subnet-id", Value: subnetID})
	if err != nil {
		return err
	}
	for _, r := range rs {
		if err := cloud.Remove(t, r); err != nil {
			return err
		}
	}
	return nil
}

// reservedForUser returns the subnet's reserved blocks: the automatic
// address picker leaves them alone.
func reservedForUser(t *cloud.Txn, subnetID string) ([]netip.Prefix, error) {
	rs, err := cloud.FindIn[SubnetCIDRReservation](t, cloud.Key{Name: "subnet-id", Value: subnetID})
	if err != nil {
		return nil, err
	}
	out := make([]netip.Prefix, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Prefix())
	}
	return out, nil
}

// inAny reports whether a lies in one of the blocks.
func inAny(blocks []netip.Prefix, a netip.Addr) bool {
	for _, b := range blocks {
		if b.Contains(a) {
			return true
		}
	}
	return false
}
