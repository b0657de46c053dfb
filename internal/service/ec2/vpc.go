package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// vpcShape is v as EC2 answers it. The shape points into v instead of
// copying each field (DescribeVpcs is the hottest read): v is the caller's
// own copy from the domain, and nothing changes it afterwards.
func vpcShape(v *network.VPC) ec2api.Vpc {
	out := ec2api.Vpc{
		VpcId:           &v.ID,
		OwnerId:         &v.Owner,
		CidrBlock:       &v.CIDRBlock,
		DhcpOptionsId:   &v.DHCPOptionsID,
		InstanceTenancy: &v.InstanceTenancy,
		IsDefault:       &v.IsDefault,
		State:           &v.State,
		Tags:            tagSet(v.Tags),
	}
	if len(v.CIDRAssociations) > 0 {
		out.CidrBlockAssociationSet = make([]ec2api.VpcCidrBlockAssociation, len(v.CIDRAssociations))
		for i := range v.CIDRAssociations {
			out.CidrBlockAssociationSet[i] = vpcCIDRShape(&v.CIDRAssociations[i])
		}
	}
	for _, a := range v.IPv6Associations {
		out.Ipv6CidrBlockAssociationSet = append(out.Ipv6CidrBlockAssociationSet, vpcIPv6Shape(a))
	}
	return out
}

// vpcCIDRShape points into a, as vpcShape does.
func vpcCIDRShape(a *network.CIDRAssociation) ec2api.VpcCidrBlockAssociation {
	return ec2api.VpcCidrBlockAssociation{
		AssociationId:  &a.ID,
		CidrBlock:      &a.CIDR,
		CidrBlockState: &ec2api.VpcCidrBlockState{State: &a.State},
	}
}

func vpcIPv6Shape(a network.CIDRAssociation) ec2api.VpcIpv6CidrBlockAssociation {
	return ec2api.VpcIpv6CidrBlockAssociation{
		AssociationId:      new(a.ID),
		Ipv6CidrBlock:      new(a.CIDR),
		Ipv6CidrBlockState: &ec2api.VpcCidrBlockState{State: new(a.State)},
		Ipv6Pool:           optional.String(a.IPv6Pool),
		NetworkBorderGroup: optional.String(a.NetworkBorderGroup),
	}
}

// CreateVpc implements ec2api.Handler.
func (s *Service) CreateVpc(ctx context.Context, req *awsproto.Request, in *ec2api.CreateVpcInput) (*ec2api.CreateVpcOutput, error) {
	if in.Ipv4IpamPoolId != nil || in.Ipv6IpamPoolId != nil || in.Ipv6Pool != nil || in.Ipv6CidrBlock != nil {
		return nil, awsproto.Errorf("UnsupportedOperation", "vpcemu does not emulate IPAM or BYOIP pools; use CidrBlock and AmazonProvidedIpv6CidrBlock.")
	}
	vpc, err := s.network.CreateVPC(ctx, caller(req), network.CreateVPCInput{
		CIDRBlock:                   optional.Value(in.CidrBlock),
		AmazonProvidedIPv6CIDRBlock: optional.Value(in.AmazonProvidedIpv6CidrBlock),
		IPv6NetworkBorderGroup:      optional.Value(in.Ipv6CidrBlockNetworkBorderGroup),
		InstanceTenancy:             optional.Value(in.InstanceTenancy),
		Tags:                        tagSpecs(in.TagSpecifications),
	})
	if err != nil {
		return nil, err
	}
	// A new VPC is "pending" in the create answer, as on AWS.
	shape := vpcShape(vpc)
	shape.State = new(ec2api.VpcStatePending)
	return &ec2api.CreateVpcOutput{Vpc: &shape}, nil
}

// CreateDefaultVpc implements ec2api.Handler.
func (s *Service) CreateDefaultVpc(ctx context.Context, req *awsproto.Request, in *ec2api.CreateDefaultVpcInput) (*ec2api.CreateDefaultVpcOutput, error) {
	vpc, err := s.network.CreateDefaultVPC(ctx, caller(req))
	if err != nil {
		return nil, err
	}
	shape := vpcShape(vpc)
	return &ec2api.CreateDefaultVpcOutput{Vpc: &shape}, nil
}

// DeleteVpc implements ec2api.Handler.
func (s *Service) DeleteVpc(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteVpcInput) (*ec2api.DeleteVpcOutput, error) {
	return &ec2api.DeleteVpcOutput{}, s.network.DeleteVPC(ctx, caller(req), optional.Value(in.VpcId))
}

func vpcBlocks(v *network.VPC) []string {
	out := make([]string, 0, len(v.CIDRAssociations))
	for _, a := range v.CIDRAssociations {
		out = append(out, a.CIDR)
	}
	return out
}

var vpcFilters = &filters[*network.VPC]{
	values: map[string]func(*network.VPC) []string{
		"cidr":                              func(v *network.VPC) []string { return one(v.CIDRBlock) },
		"cidr-block-association.cidr-block": vpcBlocks,
		"cidr-block-association.association-id": func(v *network.VPC) []string {
			return assocField(v.CIDRAssociations, func(a network.CIDRAssociation) string { return a.ID })
		},
		"cidr-block-association.state": func(v *network.VPC) []string {
			return assocField(v.CIDRAssociations, func(a network.CIDRAssociation) string { return a.State })
		},
		"dhcp-options-id": func(v *network.VPC) []string { return one(v.DHCPOptionsID) },
		"ipv6-cidr-block-association.ipv6-cidr-block": func(v *network.VPC) []string {
			return assocField(v.IPv6Associations, func(a network.CIDRAssociation) string { return a.CIDR })
		},
		"ipv6-cidr-block-association.ipv6-pool": func(v *network.VPC) []string {
			return assocField(v.IPv6Associations, func(a network.CIDRAssociation) string { return a.IPv6Pool })
		},
		"ipv6-cidr-block-association.association-id": func(v *network.VPC) []string {
			return assocField(v.IPv6Associations, func(a network.CIDRAssociation) string { return a.ID })
		},
		"ipv6-cidr-block-association.state": func(v *network.VPC) []string {
			return assocField(v.IPv6Associations, func(a network.CIDRAssociation) string { return a.State })
		},
		"is-default": func(v *network.VPC) []string { return boolString(v.IsDefault) },
		"owner-id":   func(v *network.VPC) []string { return one(v.Owner) },
		"state":      func(v *network.VPC) []string { return one(v.State) },
		"vpc-id":     func(v *network.VPC) []string { return one(v.ID) },

		// AWS also accepts the camel-case spelling, which the Terraform
		// provider's data "aws_vpc" { default = true } sends.
		"isDefault": func(v *network.VPC) []string { return boolString(v.IsDefault) },
	},
	tags: func(v *network.VPC) cloud.Tags { return v.Tags },
}

func assocField(as []network.CIDRAssociation, f func(network.CIDRAssociation) string) []string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		out = append(out, f(a))
	}
	return out
}

// DescribeVpcs implements ec2api.Handler.
func (s *Service) DescribeVpcs(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeVpcsInput) (*ec2api.DescribeVpcsOutput, error) {
	page, err := describe[network.VPC](ctx, req, s, vpcFilters, in.VpcIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeVpcsOutput{Vpcs: make([]ec2api.Vpc, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, v := range page.Items {
		out.Vpcs = append(out.Vpcs, vpcShape(v))
	}
	return out, nil
}

// DescribeVpcAttribute implements ec2api.Handler.
func (s *Service) DescribeVpcAttribute(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeVpcAttributeInput) (*ec2api.DescribeVpcAttributeOutput, error) {
	vpc, err := s.network.GetVPC(ctx, caller(req), optional.Value(in.VpcId))
	if err != nil {
		return nil, err
	}
	on, err := vpc.Attribute(network.VPCAttribute(optional.Value(in.Attribute)))
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeVpcAttributeOutput{VpcId: new(vpc.ID)}
	v := &ec2api.AttributeBooleanValue{Value: new(on)}
	switch network.VPCAttribute(optional.Value(in.Attribute)) {
	case network.AttrEnableDNSSupport:
		out.EnableDnsSupport = v
	case network.AttrEnableDNSHostnames:
		out.EnableDnsHostnames = v
	case network.AttrEnableNetworkAddressUsageMetrics:
		out.EnableNetworkAddressUsageMetrics = v
	}
	return out, nil
}

// ModifyVpcAttribute implements ec2api.Handler. EC2 takes exactly one
// attribute per call.
func (s *Service) ModifyVpcAttribute(ctx context.Context, req *awsproto.Request, in *ec2api.ModifyVpcAttributeInput) (*ec2api.ModifyVpcAttributeOutput, error) {
	var attrs []network.VPCAttribute
	var value *ec2api.AttributeBooleanValue
	for _, a := range []struct {
		name network.VPCAttribute
		v    *ec2api.AttributeBooleanValue
	}{
		{network.AttrEnableDNSSupport, in.EnableDnsSupport},
		{network.AttrEnableDNSHostnames, in.EnableDnsHostnames},
		{network.AttrEnableNetworkAddressUsageMetrics, in.EnableNetworkAddressUsageMetrics},
	} {
		if a.v != nil {
			attrs, value = append(attrs, a.name), a.v
		}
	}
	if len(attrs) != 1 {
		return nil, awsproto.Errorf("InvalidParameterCombination", "Only one attribute can be modified at a time: specify exactly one of EnableDnsSupport, EnableDnsHostnames or EnableNetworkAddressUsageMetrics.")
	}
	if value.Value == nil {
		return nil, awsproto.Errorf("MissingParameter", "The request must contain the parameter %s.Value", attrs[0])
	}
	return &ec2api.ModifyVpcAttributeOutput{}, s.network.ModifyVPCAttribute(ctx, caller(req), optional.Value(in.VpcId), attrs[0], *value.Value)
}

// AssociateVpcCidrBlock implements ec2api.Handler.
func (s *Service) AssociateVpcCidrBlock(ctx context.Context, req *awsproto.Request, in *ec2api.AssociateVpcCidrBlockInput) (*ec2api.AssociateVpcCidrBlockOutput, error) {
	if in.Ipv4IpamPoolId != nil || in.Ipv6IpamPoolId != nil || in.Ipv6Pool != nil || in.Ipv6CidrBlock != nil {
		return nil, awsproto.Errorf("UnsupportedOperation", "vpcemu does not emulate IPAM or BYOIP pools; use CidrBlock or AmazonProvidedIpv6CidrBlock.")
	}
	ipv6 := optional.Value(in.AmazonProvidedIpv6CidrBlock)
	if ipv6 == (in.CidrBlock != nil) {
		return nil, awsproto.Errorf("InvalidParameterCombination", "Specify exactly one of CidrBlock and AmazonProvidedIpv6CidrBlock.")
	}
	vpc, assoc, err := s.network.AssociateVPCCIDRBlock(ctx, caller(req), optional.Value(in.VpcId), optional.Value(in.CidrBlock), ipv6, optional.Value(in.Ipv6CidrBlockNetworkBorderGroup))
	if err != nil {
		return nil, err
	}
	out := &ec2api.AssociateVpcCidrBlockOutput{VpcId: new(vpc.ID)}
	if ipv6 {
		shape := vpcIPv6Shape(assoc)
		shape.Ipv6CidrBlockState.State = new("associating")
		out.Ipv6CidrBlockAssociation = &shape
	} else {
		shape := vpcCIDRShape(&assoc)
		shape.CidrBlockState.State = new("associating")
		out.CidrBlockAssociation = &shape
	}
	return out, nil
}

// DisassociateVpcCidrBlock implements ec2api.Handler.
func (s *Service) DisassociateVpcCidrBlock(ctx context.Context, req *awsproto.Request, in *ec2api.DisassociateVpcCidrBlockInput) (*ec2api.DisassociateVpcCidrBlockOutput, error) {
	vpc, assoc, err := s.network.DisassociateVPCCIDRBlock(ctx, caller(req), optional.Value(in.AssociationId))
	if err != nil {
		return nil, err
	}
	out := &ec2api.DisassociateVpcCidrBlockOutput{VpcId: new(vpc.ID)}
	if len(assoc.CIDR) > 0 && assoc.IPv6Pool != "" {
		shape := vpcIPv6Shape(assoc)
		out.Ipv6CidrBlockAssociation = &shape
	} else {
		shape := vpcCIDRShape(&assoc)
		out.CidrBlockAssociation = &shape
	}
	return out, nil
}

// ModifyVpcTenancy implements ec2api.Handler.
func (s *Service) ModifyVpcTenancy(ctx context.Context, req *awsproto.Request, in *ec2api.ModifyVpcTenancyInput) (*ec2api.ModifyVpcTenancyOutput, error) {
	if err := s.network.ModifyVPCTenancy(ctx, caller(req), optional.Value(in.VpcId), optional.Value(in.InstanceTenancy)); err != nil {
		return nil, err
	}
	return &ec2api.ModifyVpcTenancyOutput{ReturnValue: new(true)}, nil
}
