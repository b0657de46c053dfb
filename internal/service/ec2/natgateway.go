package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

func natGatewayShape(n *network.NATGateway) ec2api.NatGateway {
	out := ec2api.NatGateway{
		NatGatewayId:        new(n.ID),
		SubnetId:            new(n.SubnetID),
		VpcId:               new(n.VpcID),
		ConnectivityType:    new(n.ConnectivityType),
		State:               new(n.State),
		FailureCode:         optional.String(n.FailureCode),
		FailureMessage:      optional.String(n.FailureMessage),
		CreateTime:          optional.Time(n.CreateTime),
		NatGatewayAddresses: make([]ec2api.NatGatewayAddress, 0, len(n.Addresses)),
		Tags:                tagSet(n.Tags),
	}
	if n.DeleteTime != nil {
		out.DeleteTime = optional.Time(*n.DeleteTime)
	}
	for _, a := range n.Addresses {
		out.NatGatewayAddresses = append(out.NatGatewayAddresses, ec2api.NatGatewayAddress{
			AllocationId:       optional.String(a.AllocationID),
			AssociationId:      optional.String(a.AssociationID),
			NetworkInterfaceId: optional.String(a.NetworkInterfaceID),
			PrivateIp:          optional.String(a.PrivateIP),
			PublicIp:           optional.String(a.PublicIP),
			IsPrimary:          new(a.IsPrimary),
			Status:             new(a.Status),
		})
	}
	return out
}

// CreateNatGateway implements ec2api.Handler. The answer shows the gateway
// as AWS does at first: pending, its addresses still being set up; Describe
// then shows the outcome.
func (s *Service) CreateNatGateway(ctx context.Context, req *awsproto.Request, in *ec2api.CreateNatGatewayInput) (*ec2api.CreateNatGatewayOutput, error) {
	if len(in.SecondaryAllocationIds) > 0 || len(in.SecondaryPrivateIpAddresses) > 0 {
		return nil, awsproto.Errorf("UnsupportedOperation", "vpcemu does not emulate secondary Elastic IPs or chosen secondary private addresses on NAT gateways; use SecondaryPrivateIpAddressCount on a private NAT gateway.")
	}
	nat, err := s.network.CreateNATGateway(ctx, caller(req), network.CreateNATGatewayInput{
		SubnetID:         optional.Value(in.SubnetId),
		ConnectivityType: optional.Value(in.ConnectivityType),
		AllocationID:     optional.Value(in.AllocationId),
		PrivateIP:        optional.Value(in.PrivateIpAddress),
		SecondaryIPs:     int(optional.Value(in.SecondaryPrivateIpAddressCount)),
		Tags:             tagSpecs(in.TagSpecifications),
	})
	if err != nil {
		return nil, err
	}
	shape := natGatewayShape(nat)
	shape.State = new(network.NATPending)
	shape.FailureCode, shape.FailureMessage = nil, nil
	shape.NatGatewayAddresses = []ec2api.NatGatewayAddress{pendingNATAddress(nat)}
	return &ec2api.CreateNatGatewayOutput{NatGateway: &shape, ClientToken: in.ClientToken}, nil
}

// pendingNATAddress is the primary address as a create answer shows it:
// the Elastic IP being associated, or the private address being assigned.
func pendingNATAddress(n *network.NATGateway) ec2api.NatGatewayAddress {
	p := n.Primary()
	if p.AllocationID != "" {
		return ec2api.NatGatewayAddress{AllocationId: new(p.AllocationID), IsPrimary: new(true), Status: new("associating")}
	}
	return ec2api.NatGatewayAddress{IsPrimary: new(true), Status: new("assigning")}
}

// DeleteNatGateway implements ec2api.Handler.
func (s *Service) DeleteNatGateway(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteNatGatewayInput) (*ec2api.DeleteNatGatewayOutput, error) {
	nat, err := s.network.DeleteNATGateway(ctx, caller(req), optional.Value(in.NatGatewayId))
	if err != nil {
		return nil, err
	}
	return &ec2api.DeleteNatGatewayOutput{NatGatewayId: new(nat.ID)}, nil
}

var natGatewayFilters = &filters[*network.NATGateway]{
	values: map[string]func(*network.NATGateway) []string{
		"nat-gateway-id": func(n *network.NATGateway) []string { return one(n.ID) },
		"state":          func(n *network.NATGateway) []string { return one(n.State) },
		"subnet-id":      func(n *network.NATGateway) []string { return one(n.SubnetID) },
		"vpc-id":         func(n *network.NATGateway) []string { return one(n.VpcID) },
	},
	tags: func(n *network.NATGateway) cloud.Tags { return n.Tags },
	// vpc-id and subnet-id are not indexed: their store keys exist only
	// while a gateway is live (for delete checks), and the filters must
	// find failed and deleted gateways too.
}

// DescribeNatGateways implements ec2api.Handler.
func (s *Service) DescribeNatGateways(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeNatGatewaysInput) (*ec2api.DescribeNatGatewaysOutput, error) {
	page, err := describe[network.NATGateway](ctx, req, s, natGatewayFilters, in.NatGatewayIds, in.Filter, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeNatGatewaysOutput{NatGateways: make([]ec2api.NatGateway, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, n := range page.Items {
		out.NatGateways = append(out.NatGateways, natGatewayShape(n))
	}
	return out, nil
}
