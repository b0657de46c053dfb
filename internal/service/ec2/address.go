package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

func addressShape(a *network.Address) ec2api.Address {
	return ec2api.Address{
		AllocationId:            new(a.ID),
		PublicIp:                new(a.PublicIP),
		Domain:                  new(a.Domain),
		NetworkBorderGroup:      new(a.NetworkBorderGroup),
		PublicIpv4Pool:          new(a.PublicIPv4Pool),
		AssociationId:           optional.String(a.AssociationID),
		InstanceId:              optional.String(a.InstanceID),
		NetworkInterfaceId:      optional.String(a.NetworkInterfaceID),
		NetworkInterfaceOwnerId: optional.String(a.NetworkInterfaceOwnerID),
		PrivateIpAddress:        optional.String(a.PrivateIP),
		Tags:                    tagSet(a.Tags),
	}
}

// AllocateAddress implements ec2api.Handler.
func (s *Service) AllocateAddress(ctx context.Context, req *awsproto.Request, in *ec2api.AllocateAddressInput) (*ec2api.AllocateAddressOutput, error) {
	switch {
	case in.PublicIpv4Pool != nil && *in.PublicIpv4Pool != "amazon",
		in.CustomerOwnedIpv4Pool != nil, in.Address != nil:
		return nil, awsproto.Errorf("UnsupportedOperation", "vpcemu does not emulate BYOIP, customer-owned pools or address recovery; allocate from Amazon's pool (omit PublicIpv4Pool, CustomerOwnedIpv4Pool and Address).")
	}
	a, err := s.network.AllocateAddress(ctx, caller(req), network.AllocateAddressInput{
		Domain:             optional.Value(in.Domain),
		NetworkBorderGroup: optional.Value(in.NetworkBorderGroup),
		Tags:               tagSpecs(in.TagSpecifications),
	})
	if err != nil {
		return nil, err
	}
	return &ec2api.AllocateAddressOutput{
		AllocationId:       new(a.ID),
		PublicIp:           new(a.PublicIP),
		Domain:             new(a.Domain),
		NetworkBorderGroup: new(a.NetworkBorderGroup),
		PublicIpv4Pool:     new(a.PublicIPv4Pool),
	}, nil
}

// ReleaseAddress implements ec2api.Handler.
func (s *Service) ReleaseAddress(ctx context.Context, req *awsproto.Request, in *ec2api.ReleaseAddressInput) (*ec2api.ReleaseAddressOutput, error) {
	return &ec2api.ReleaseAddressOutput{}, s.network.ReleaseAddress(ctx, caller(req), optional.Value(in.AllocationId), optional.Value(in.PublicIp), optional.Value(in.NetworkBorderGroup))
}

// AssociateAddress implements ec2api.Handler.
func (s *Service) AssociateAddress(ctx context.Context, req *awsproto.Request, in *ec2api.AssociateAddressInput) (*ec2api.AssociateAddressOutput, error) {
	id, err := s.network.AssociateAddress(ctx, caller(req), network.AssociateAddressInput{
		AllocationID:       optional.Value(in.AllocationId),
		PublicIP:           optional.Value(in.PublicIp),
		InstanceID:         optional.Value(in.InstanceId),
		NetworkInterfaceID: optional.Value(in.NetworkInterfaceId),
		PrivateIP:          optional.Value(in.PrivateIpAddress),
		AllowReassociation: optional.Value(in.AllowReassociation),
	})
	if err != nil {
		return nil, err
	}
	return &ec2api.AssociateAddressOutput{AssociationId: new(id)}, nil
}

// DisassociateAddress implements ec2api.Handler.
func (s *Service) DisassociateAddress(ctx context.Context, req *awsproto.Request, in *ec2api.DisassociateAddressInput) (*ec2api.DisassociateAddressOutput, error) {
	return &ec2api.DisassociateAddressOutput{}, s.network.DisassociateAddress(ctx, caller(req), optional.Value(in.AssociationId), optional.Value(in.PublicIp))
}

var addressFilters = &filters[*network.Address]{
	values: map[string]func(*network.Address) []string{
		"allocation-id":              func(a *network.Address) []string { return one(a.ID) },
		"association-id":             func(a *network.Address) []string { return one(a.AssociationID) },
		"domain":                     func(a *network.Address) []string { return one(a.Domain) },
		"instance-id":                func(a *network.Address) []string { return one(a.InstanceID) },
		"network-border-group":       func(a *network.Address) []string { return one(a.NetworkBorderGroup) },
		"network-interface-id":       func(a *network.Address) []string { return one(a.NetworkInterfaceID) },
		"network-interface-owner-id": func(a *network.Address) []string { return one(a.NetworkInterfaceOwnerID) },
		"private-ip-address":         func(a *network.Address) []string { return one(a.PrivateIP) },
		"public-ip":                  func(a *network.Address) []string { return one(a.PublicIP) },
	},
	tags: func(a *network.Address) cloud.Tags { return a.Tags },
}

// DescribeAddresses implements ec2api.Handler. Addresses asked for by public
// IP must all be the caller's; EC2 does not page this call.
func (s *Service) DescribeAddresses(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeAddressesInput) (*ec2api.DescribeAddressesOutput, error) {
	ids := in.AllocationIds
	if len(in.PublicIps) > 0 {
		more, err := s.network.AddressIDs(ctx, caller(req), in.PublicIps)
		if err != nil {
			return nil, err
		}
		ids = append(append([]string(nil), ids...), more...)
	}
	page, err := describe[network.Address](ctx, req, s, addressFilters, ids, in.Filters, nil, nil)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeAddressesOutput{Addresses: make([]ec2api.Address, 0, len(page.Items))}
	for _, a := range page.Items {
		out.Addresses = append(out.Addresses, addressShape(a))
	}
	return out, nil
}

// addressAttributeFilters has no filters: DescribeAddressesAttribute takes
// none.
var addressAttributeFilters = &filters[*network.Address]{tags: func(a *network.Address) cloud.Tags { return a.Tags }}

// DescribeAddressesAttribute implements ec2api.Handler. The one attribute
// is domain-name: the reverse DNS record of each address.
func (s *Service) DescribeAddressesAttribute(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeAddressesAttributeInput) (*ec2api.DescribeAddressesAttributeOutput, error) {
	if in.Attribute != nil && *in.Attribute != "domain-name" {
		return nil, awsproto.Errorf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Valid values: domain-name.", *in.Attribute)
	}
	page, err := describe[network.Address](ctx, req, s, addressAttributeFilters, in.AllocationIds, nil, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeAddressesAttributeOutput{Addresses: make([]ec2api.AddressAttribute, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, a := range page.Items {
		out.Addresses = append(out.Addresses, ec2api.AddressAttribute{
			AllocationId: new(a.ID),
			PublicIp:     new(a.PublicIP),
			PtrRecord:    new(a.PTRRecord()),
		})
	}
	return out, nil
}
