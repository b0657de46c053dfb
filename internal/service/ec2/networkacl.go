package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

func networkACLShape(a *network.NetworkACL) ec2api.NetworkAcl {
	out := ec2api.NetworkAcl{
		NetworkAclId: new(a.ID),
		VpcId:        new(a.VpcID),
		OwnerId:      new(a.Owner),
		IsDefault:    new(a.IsDefault),
		Associations: make([]ec2api.NetworkAclAssociation, 0, len(a.Associations)),
		Entries:      make([]ec2api.NetworkAclEntry, 0, len(a.Entries)),
		Tags:         tagSet(a.Tags),
	}
	for _, as := range a.Associations {
		out.Associations = append(out.Associations, ec2api.NetworkAclAssociation{
			NetworkAclAssociationId: new(as.ID),
			NetworkAclId:            new(a.ID),
			SubnetId:                new(as.SubnetID),
		})
	}
	for _, e := range a.Entries {
		out.Entries = append(out.Entries, networkACLEntryShape(e))
	}
	return out
}

func networkACLEntryShape(e network.NetworkACLEntry) ec2api.NetworkAclEntry {
	out := ec2api.NetworkAclEntry{
		RuleNumber:    new(e.RuleNumber),
		Egress:        new(e.Egress),
		Protocol:      new(e.Protocol),
		RuleAction:    new(e.RuleAction),
		CidrBlock:     optional.String(e.CIDRBlock),
		Ipv6CidrBlock: optional.String(e.IPv6CIDRBlock),
	}
	if e.FromPort != nil || e.ToPort != nil {
		out.PortRange = &ec2api.PortRange{From: e.FromPort, To: e.ToPort}
	}
	if e.ICMPType != nil || e.ICMPCode != nil {
		out.IcmpTypeCode = &ec2api.IcmpTypeCode{Type: e.ICMPType, Code: e.ICMPCode}
	}
	return out
}

// CreateNetworkAcl implements ec2api.Handler.
func (s *Service) CreateNetworkAcl(ctx context.Context, req *awsproto.Request, in *ec2api.CreateNetworkAclInput) (*ec2api.CreateNetworkAclOutput, error) {
	acl, err := s.network.CreateNetworkACL(ctx, caller(req), optional.Value(in.VpcId), tagSpecs(in.TagSpecifications))
	if err != nil {
		return nil, err
	}
	shape := networkACLShape(acl)
	return &ec2api.CreateNetworkAclOutput{NetworkAcl: &shape, ClientToken: in.ClientToken}, nil
}

// DeleteNetworkAcl implements ec2api.Handler.
func (s *Service) DeleteNetworkAcl(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteNetworkAclInput) (*ec2api.DeleteNetworkAclOutput, error) {
	return &ec2api.DeleteNetworkAclOutput{}, s.network.DeleteNetworkACL(ctx, caller(req), optional.Value(in.NetworkAclId))
}

// networkACLEntryInput reads the rule of CreateNetworkAclEntry and
// ReplaceNetworkAclEntry, whose inputs have the same members.
func networkACLEntryInput(aclID *string, number *int32, egress *bool, protocol, action, block, ipv6Block *string, ports *ec2api.PortRange, icmp *ec2api.IcmpTypeCode) network.NetworkACLEntryInput {
	in := network.NetworkACLEntryInput{
		NetworkACLID:  optional.Value(aclID),
		RuleNumber:    optional.Value(number),
		Egress:        optional.Value(egress),
		Protocol:      optional.Value(protocol),
		RuleAction:    optional.Value(action),
		CIDRBlock:     optional.Value(block),
		IPv6CIDRBlock: optional.Value(ipv6Block),
	}
	if ports != nil {
		in.FromPort, in.ToPort = ports.From, ports.To
	}
	if icmp != nil {
		in.ICMPType, in.ICMPCode = icmp.Type, icmp.Code
	}
	return in
}

// CreateNetworkAclEntry implements ec2api.Handler.
func (s *Service) CreateNetworkAclEntry(ctx context.Context, req *awsproto.Request, in *ec2api.CreateNetworkAclEntryInput) (*ec2api.CreateNetworkAclEntryOutput, error) {
	e := networkACLEntryInput(in.NetworkAclId, in.RuleNumber, in.Egress, in.Protocol, in.RuleAction, in.CidrBlock, in.Ipv6CidrBlock, in.PortRange, in.IcmpTypeCode)
	return &ec2api.CreateNetworkAclEntryOutput{}, s.network.CreateNetworkACLEntry(ctx, caller(req), e)
}

// ReplaceNetworkAclEntry implements ec2api.Handler.
func (s *Service) ReplaceNetworkAclEntry(ctx context.Context, req *awsproto.Request, in *ec2api.ReplaceNetworkAclEntryInput) (*ec2api.ReplaceNetworkAclEntryOutput, error) {
	e := networkACLEntryInput(in.NetworkAclId, in.RuleNumber, in.Egress, in.Protocol, in.RuleAction, in.CidrBlock, in.Ipv6CidrBlock, in.PortRange, in.IcmpTypeCode)
	return &ec2api.ReplaceNetworkAclEntryOutput{}, s.network.ReplaceNetworkACLEntry(ctx, caller(req), e)
}

// DeleteNetworkAclEntry implements ec2api.Handler.
func (s *Service) DeleteNetworkAclEntry(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteNetworkAclEntryInput) (*ec2api.DeleteNetworkAclEntryOutput, error) {
	err := s.network.DeleteNetworkACLEntry(ctx, caller(req), optional.Value(in.NetworkAclId), optional.Value(in.Egress), optional.Value(in.RuleNumber))
	return &ec2api.DeleteNetworkAclEntryOutput{}, err
}

// ReplaceNetworkAclAssociation implements ec2api.Handler.
func (s *Service) ReplaceNetworkAclAssociation(ctx context.Context, req *awsproto.Request, in *ec2api.ReplaceNetworkAclAssociationInput) (*ec2api.ReplaceNetworkAclAssociationOutput, error) {
	id, err := s.network.ReplaceNetworkACLAssociation(ctx, caller(req), optional.Value(in.AssociationId), optional.Value(in.NetworkAclId))
	if err != nil {
		return nil, err
	}
	return &ec2api.ReplaceNetworkAclAssociationOutput{NewAssociationId: new(id)}, nil
}

// aclEntryField lists one field of every entry of an ACL.
func aclEntryField(a *network.NetworkACL, field func(network.NetworkACLEntry) []string) []string {
	return collectValues(a.Entries, field)
}

// optInt32 is a filter value for an optional number.
func optInt32(p *int32) []string {
	if p == nil {
		return nil
	}
	return []string{int32String(*p)}
}

func aclAssociationField(a *network.NetworkACL, field func(network.NetworkACLAssociation) string) []string {
	return collectValues(a.Associations, func(as network.NetworkACLAssociation) []string { return []string{field(as)} })
}

var networkACLFilters = &filters[*network.NetworkACL]{
	values: map[string]func(*network.NetworkACL) []string{
		"association.association-id": func(a *network.NetworkACL) []string {
			return aclAssociationField(a, func(as network.NetworkACLAssociation) string { return as.ID })
		},
		"association.network-acl-id": func(a *network.NetworkACL) []string {
			return aclAssociationField(a, func(network.NetworkACLAssociation) string { return a.ID })
		},
		"association.subnet-id": func(a *network.NetworkACL) []string {
			return aclAssociationField(a, func(as network.NetworkACLAssociation) string { return as.SubnetID })
		},
		"default": func(a *network.NetworkACL) []string { return boolString(a.IsDefault) },
		"entry.cidr": func(a *network.NetworkACL) []string {
			return aclEntryField(a, func(e network.NetworkACLEntry) []string { return one(e.CIDRBlock) })
		},
		"entry.egress": func(a *network.NetworkACL) []string {
			return aclEntryField(a, func(e network.NetworkACLEntry) []string { return boolString(e.Egress) })
		},
		"entry.icmp.code": func(a *network.NetworkACL) []string {
			return aclEntryField(a, func(e network.NetworkACLEntry) []string { return optInt32(e.ICMPCode) })
		},
		"entry.icmp.type": func(a *network.NetworkACL) []string {
			return aclEntryField(a, func(e network.NetworkACLEntry) []string { return optInt32(e.ICMPType) })
		},
		"entry.ipv6-cidr": func(a *network.NetworkACL) []string {
			return aclEntryField(a, func(e network.NetworkACLEntry) []string { return one(e.IPv6CIDRBlock) })
		},
		"entry.port-range.from": func(a *network.NetworkACL) []string {
			return aclEntryField(a, func(e network.NetworkACLEntry) []string { return optInt32(e.FromPort) })
		},
		"entry.port-range.to": func(a *network.NetworkACL) []string {
			return aclEntryField(a, func(e network.NetworkACLEntry) []string { return optInt32(e.ToPort) })
		},
		"entry.protocol": func(a *network.NetworkACL) []string {
			return aclEntryField(a, func(e network.NetworkACLEntry) []string { return network.ACLProtocolAliases(e.Protocol) })
		},
		"entry.rule-action": func(a *network.NetworkACL) []string {
			return aclEntryField(a, func(e network.NetworkACLEntry) []string { return one(e.RuleAction) })
		},
		"entry.rule-number": func(a *network.NetworkACL) []string {
			return aclEntryField(a, func(e network.NetworkACLEntry) []string { return one(int32String(e.RuleNumber)) })
		},
		"network-acl-id": func(a *network.NetworkACL) []string { return one(a.ID) },
		"owner-id":       func(a *network.NetworkACL) []string { return one(a.Owner) },
		"vpc-id":         func(a *network.NetworkACL) []string { return one(a.VpcID) },
	},
	tags: func(a *network.NetworkACL) cloud.Tags { return a.Tags },
}

// DescribeNetworkAcls implements ec2api.Handler.
func (s *Service) DescribeNetworkAcls(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeNetworkAclsInput) (*ec2api.DescribeNetworkAclsOutput, error) {
	page, err := describe[network.NetworkACL](ctx, req, s, networkACLFilters, in.NetworkAclIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeNetworkAclsOutput{NetworkAcls: make([]ec2api.NetworkAcl, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, a := range page.Items {
		out.NetworkAcls = append(out.NetworkAcls, networkACLShape(a))
	}
	return out, nil
}
