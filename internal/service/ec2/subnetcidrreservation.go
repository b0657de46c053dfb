package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

func subnetCIDRReservationShape(r *network.SubnetCIDRReservation) ec2api.SubnetCidrReservation {
	out := ec2api.SubnetCidrReservation{
		SubnetCidrReservationId: new(r.ID),
		SubnetId:                new(r.SubnetID),
		Cidr:                    new(r.CIDR),
		ReservationType:         new(r.ReservationType),
		OwnerId:                 new(r.Owner),
		Tags:                    tagSet(r.Tags),
	}
	if r.Description != "" {
		out.Description = new(r.Description)
	}
	return out
}

// CreateSubnetCidrReservation implements ec2api.Handler.
func (s *Service) CreateSubnetCidrReservation(ctx context.Context, req *awsproto.Request, in *ec2api.CreateSubnetCidrReservationInput) (*ec2api.CreateSubnetCidrReservationOutput, error) {
	r, err := s.network.CreateSubnetCIDRReservation(ctx, caller(req), network.CreateSubnetCIDRReservationInput{
		SubnetID: optional.Value(in.SubnetId), CIDR: optional.Value(in.Cidr), ReservationType: optional.Value(in.ReservationType),
		Description: optional.Value(in.Description), Tags: tagSpecs(in.TagSpecifications),
	})
	if err != nil {
		return nil, err
	}
	shape := subnetCIDRReservationShape(r)
	return &ec2api.CreateSubnetCidrReservationOutput{SubnetCidrReservation: &shape}, nil
}

// subnetCIDRReservationFilters are the filters GetSubnetCidrReservations
// documents (besides the tag filters).
var subnetCIDRReservationFilters = &filters[*network.SubnetCIDRReservation]{
	values: map[string]func(*network.SubnetCIDRReservation) []string{
		"reservationType": func(r *network.SubnetCIDRReservation) []string { return []string{r.ReservationType} },
		"subnet-id":       func(r *network.SubnetCIDRReservation) []string { return []string{r.SubnetID} },
	},
	tags: func(r *network.SubnetCIDRReservation) cloud.Tags { return r.Tags },
}

// GetSubnetCidrReservations implements ec2api.Handler: one subnet's
// reservations, IPv4 and IPv6 apart.
func (s *Service) GetSubnetCidrReservations(ctx context.Context, req *awsproto.Request, in *ec2api.GetSubnetCidrReservationsInput) (*ec2api.GetSubnetCidrReservationsOutput, error) {
	match, _, err := subnetCIDRReservationFilters.compile(in.Filters)
	if err != nil {
		return nil, err
	}
	q, err := query(nil, nil, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	page, err := s.network.SubnetCIDRReservations(ctx, caller(req), optional.Value(in.SubnetId), q, match)
	if err != nil {
		return nil, err
	}
	// Both lists are always sent, empty or not, as AWS does.
	out := &ec2api.GetSubnetCidrReservationsOutput{
		SubnetIpv4CidrReservations: []ec2api.SubnetCidrReservation{},
		SubnetIpv6CidrReservations: []ec2api.SubnetCidrReservation{},
		NextToken:                  nextToken(page.Next),
	}
	for _, r := range page.Items {
		if r.IsIPv6() {
			out.SubnetIpv6CidrReservations = append(out.SubnetIpv6CidrReservations, subnetCIDRReservationShape(r))
		} else {
			out.SubnetIpv4CidrReservations = append(out.SubnetIpv4CidrReservations, subnetCIDRReservationShape(r))
		}
	}
	return out, nil
}

// DeleteSubnetCidrReservation implements ec2api.Handler.
func (s *Service) DeleteSubnetCidrReservation(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteSubnetCidrReservationInput) (*ec2api.DeleteSubnetCidrReservationOutput, error) {
	r, err := s.network.DeleteSubnetCIDRReservation(ctx, caller(req), optional.Value(in.SubnetCidrReservationId))
	if err != nil {
		return nil, err
	}
	shape := subnetCIDRReservationShape(r)
	return &ec2api.DeleteSubnetCidrReservationOutput{DeletedSubnetCidrReservation: &shape}, nil
}
