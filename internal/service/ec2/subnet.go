package ec2

import (
	"context"
	"strconv"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

func subnetShape(s *network.Subnet) ec2api.Subnet {
	out := ec2api.Subnet{
		SubnetId:                    new(s.ID),
		SubnetArn:                   new(s.ARN()),
		VpcId:                       new(s.VpcID),
		OwnerId:                     new(s.Owner),
		CidrBlock:                   optional.String(s.CIDRBlock),
		AvailabilityZone:            new(s.AvailabilityZone),
		AvailabilityZoneId:          new(s.AvailabilityZoneID),
		AvailableIpAddressCount:     new(int32(s.AvailableIPs())),
		State:                       new(s.State),
		DefaultForAz:                new(s.DefaultForAZ),
		MapPublicIpOnLaunch:         new(s.MapPublicIPOnLaunch),
		MapCustomerOwnedIpOnLaunch:  new(s.MapCustomerOwnedIPOnLaunch),
		AssignIpv6AddressOnCreation: new(s.AssignIPv6AddressOnCreation),
		EnableDns64:                 new(s.EnableDNS64),
		Ipv6Native:                  new(s.IPv6Native),
		PrivateDnsNameOptionsOnLaunch: &ec2api.PrivateDnsNameOptionsOnLaunch{
			HostnameType:                    new(s.PrivateDNSHostnameType),
			EnableResourceNameDnsARecord:    new(s.EnableResourceNameDNSA),
			EnableResourceNameDnsAAAARecord: new(s.EnableResourceNameDNSAAAA),
		},
		Tags: tagSet(s.Tags),
	}
	if s.EnableLniAtDeviceIndex != 0 {
		out.EnableLniAtDeviceIndex = new(s.EnableLniAtDeviceIndex)
	}
	for _, a := range s.IPv6Associations {
		out.Ipv6CidrBlockAssociationSet = append(out.Ipv6CidrBlockAssociationSet, *subnetIPv6AssociationShape(a))
	}
	return out
}

// CreateSubnet implements ec2api.Handler.
func (s *Service) CreateSubnet(ctx context.Context, req *awsproto.Request, in *ec2api.CreateSubnetInput) (*ec2api.CreateSubnetOutput, error) {
	sub, err := s.network.CreateSubnet(ctx, caller(req), network.CreateSubnetInput{
		VpcID:              optional.Value(in.VpcId),
		CIDRBlock:          optional.Value(in.CidrBlock),
		IPv6CIDRBlock:      optional.Value(in.Ipv6CidrBlock),
		AvailabilityZone:   optional.Value(in.AvailabilityZone),
		AvailabilityZoneID: optional.Value(in.AvailabilityZoneId),
		IPv6Native:         optional.Value(in.Ipv6Native),
		Tags:               tagSpecs(in.TagSpecifications),
	})
	if err != nil {
		return nil, err
	}
	shape := subnetShape(sub)
	shape.State = new(ec2api.SubnetStatePending)
	return &ec2api.CreateSubnetOutput{Subnet: &shape}, nil
}

// CreateDefaultSubnet implements ec2api.Handler.
func (s *Service) CreateDefaultSubnet(ctx context.Context, req *awsproto.Request, in *ec2api.CreateDefaultSubnetInput) (*ec2api.CreateDefaultSubnetOutput, error) {
	sub, err := s.network.CreateDefaultSubnet(ctx, caller(req), optional.Value(in.AvailabilityZone))
	if err != nil {
		return nil, err
	}
	shape := subnetShape(sub)
	return &ec2api.CreateDefaultSubnetOutput{Subnet: &shape}, nil
}

// DeleteSubnet implements ec2api.Handler.
func (s *Service) DeleteSubnet(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteSubnetInput) (*ec2api.DeleteSubnetOutput, error) {
	return &ec2api.DeleteSubnetOutput{}, s.network.DeleteSubnet(ctx, caller(req), optional.Value(in.SubnetId))
}

var subnetFilters = &filters[*network.Subnet]{
	values: map[string]func(*network.Subnet) []string{
		"availability-zone":        func(s *network.Subnet) []string { return one(s.AvailabilityZone) },
		"availabilityZone":         func(s *network.Subnet) []string { return one(s.AvailabilityZone) },
		"customer-owned-ipv4-pool": func(*network.Subnet) []string { return nil },
		"enable-lni-at-device-index": func(s *network.Subnet) []string {
			if s.EnableLniAtDeviceIndex == 0 {
				return nil
			}
			return one(strconv.Itoa(int(s.EnableLniAtDeviceIndex)))
		},
		"outpost-arn":             func(*network.Subnet) []string { return nil },
		"availability-zone-id":    func(s *network.Subnet) []string { return one(s.AvailabilityZoneID) },
		"availableIpAddressCount": func(s *network.Subnet) []string { return one(strconv.FormatInt(s.AvailableIPs(), 10)) },
		"available-ip-address-count": func(s *network.Subnet) []string {
			return one(strconv.FormatInt(s.AvailableIPs(), 10))
		},
		"cidr":           func(s *network.Subnet) []string { return one(s.CIDRBlock) },
		"cidr-block":     func(s *network.Subnet) []string { return one(s.CIDRBlock) },
		"cidrBlock":      func(s *network.Subnet) []string { return one(s.CIDRBlock) },
		"default-for-az": func(s *network.Subnet) []string { return boolString(s.DefaultForAZ) },
		"defaultForAz":   func(s *network.Subnet) []string { return boolString(s.DefaultForAZ) },
		"enable-dns64":   func(s *network.Subnet) []string { return boolString(s.EnableDNS64) },
		"ipv6-cidr-block-association.ipv6-cidr-block": func(s *network.Subnet) []string {
			return assocField(s.IPv6Associations, func(a network.CIDRAssociation) string { return a.CIDR })
		},
		"ipv6-cidr-block-association.association-id": func(s *network.Subnet) []string {
			return assocField(s.IPv6Associations, func(a network.CIDRAssociation) string { return a.ID })
		},
		"ipv6-cidr-block-association.state": func(s *network.Subnet) []string {
			return assocField(s.IPv6Associations, func(a network.CIDRAssociation) string { return a.State })
		},
		"ipv6-native":                     func(s *network.Subnet) []string { return boolString(s.IPv6Native) },
		"map-customer-owned-ip-on-launch": func(s *network.Subnet) []string { return boolString(s.MapCustomerOwnedIPOnLaunch) },
		"map-public-ip-on-launch":         func(s *network.Subnet) []string { return boolString(s.MapPublicIPOnLaunch) },
		"owner-id":                        func(s *network.Subnet) []string { return one(s.Owner) },
		"private-dns-name-options-on-launch.hostname-type": func(s *network.Subnet) []string { return one(s.PrivateDNSHostnameType) },
		"private-dns-name-options-on-launch.enable-resource-name-dns-a-record": func(s *network.Subnet) []string {
			return boolString(s.EnableResourceNameDNSA)
		},
		"private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record": func(s *network.Subnet) []string {
			return boolString(s.EnableResourceNameDNSAAAA)
		},
		"state":      func(s *network.Subnet) []string { return one(s.State) },
		"subnet-arn": func(s *network.Subnet) []string { return one(s.ARN()) },
		"subnet-id":  func(s *network.Subnet) []string { return one(s.ID) },
		"vpc-id":     func(s *network.Subnet) []string { return one(s.VpcID) },
	},
	tags: func(s *network.Subnet) cloud.Tags { return s.Tags },
}

// DescribeSubnets implements ec2api.Handler.
func (s *Service) DescribeSubnets(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeSubnetsInput) (*ec2api.DescribeSubnetsOutput, error) {
	page, err := describe[network.Subnet](ctx, req, s, subnetFilters, in.SubnetIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeSubnetsOutput{Subnets: make([]ec2api.Subnet, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, sub := range page.Items {
		out.Subnets = append(out.Subnets, subnetShape(sub))
	}
	return out, nil
}

// ModifySubnetAttribute implements ec2api.Handler.
func (s *Service) ModifySubnetAttribute(ctx context.Context, req *awsproto.Request, in *ec2api.ModifySubnetAttributeInput) (*ec2api.ModifySubnetAttributeOutput, error) {
	b := func(v *ec2api.AttributeBooleanValue) *bool {
		if v == nil {
			return nil
		}
		return new(optional.Value(v.Value))
	}
	a := network.SubnetAttributes{
		MapPublicIPOnLaunch:         b(in.MapPublicIpOnLaunch),
		AssignIPv6AddressOnCreation: b(in.AssignIpv6AddressOnCreation),
		MapCustomerOwnedIPOnLaunch:  b(in.MapCustomerOwnedIpOnLaunch),
		EnableDNS64:                 b(in.EnableDns64),
		PrivateDNSHostnameType:      in.PrivateDnsHostnameTypeOnLaunch,
		EnableResourceNameDNSA:      b(in.EnableResourceNameDnsARecordOnLaunch),
		EnableResourceNameDNSAAAA:   b(in.EnableResourceNameDnsAAAARecordOnLaunch),
		EnableLniAtDeviceIndex:      in.EnableLniAtDeviceIndex,
	}
	if in.DisableLniAtDeviceIndex != nil && optional.Value(in.DisableLniAtDeviceIndex.Value) {
		a.EnableLniAtDeviceIndex = new(int32(0))
	}
	return &ec2api.ModifySubnetAttributeOutput{}, s.network.ModifySubnetAttribute(ctx, caller(req), optional.Value(in.SubnetId), a)
}

func subnetIPv6AssociationShape(a network.CIDRAssociation) *ec2api.SubnetIpv6CidrBlockAssociation {
	return &ec2api.SubnetIpv6CidrBlockAssociation{
		AssociationId:      new(a.ID),
		Ipv6CidrBlock:      new(a.CIDR),
		Ipv6CidrBlockState: &ec2api.SubnetCidrBlockState{State: new(a.State)},
	}
}

// AssociateSubnetCidrBlock implements ec2api.Handler.
func (s *Service) AssociateSubnetCidrBlock(ctx context.Context, req *awsproto.Request, in *ec2api.AssociateSubnetCidrBlockInput) (*ec2api.AssociateSubnetCidrBlockOutput, error) {
	if in.Ipv6IpamPoolId != nil || in.Ipv6NetmaskLength != nil {
		return nil, awsproto.Errorf("UnsupportedOperation", "vpcemu does not emulate IPAM pools; give the subnet's Ipv6CidrBlock.")
	}
	if in.Ipv6CidrBlock == nil {
		return nil, awsproto.Errorf("MissingParameter", "Either 'ipv6CidrBlock' or 'ipv6IpamPoolId' should be provided.")
	}
	sub, assoc, err := s.network.AssociateSubnetCIDRBlock(ctx, caller(req), optional.Value(in.SubnetId), optional.Value(in.Ipv6CidrBlock))
	if err != nil {
		return nil, err
	}
	return &ec2api.AssociateSubnetCidrBlockOutput{SubnetId: new(sub.ID), Ipv6CidrBlockAssociation: subnetIPv6AssociationShape(assoc)}, nil
}

// DisassociateSubnetCidrBlock implements ec2api.Handler.
func (s *Service) DisassociateSubnetCidrBlock(ctx context.Context, req *awsproto.Request, in *ec2api.DisassociateSubnetCidrBlockInput) (*ec2api.DisassociateSubnetCidrBlockOutput, error) {
	sub, assoc, err := s.network.DisassociateSubnetCIDRBlock(ctx, caller(req), optional.Value(in.AssociationId))
	if err != nil {
		return nil, err
	}
	return &ec2api.DisassociateSubnetCidrBlockOutput{SubnetId: new(sub.ID), Ipv6CidrBlockAssociation: subnetIPv6AssociationShape(assoc)}, nil
}
