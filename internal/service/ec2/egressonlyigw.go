package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

func egressOnlyGatewayShape(g *network.EgressOnlyInternetGateway) ec2api.EgressOnlyInternetGateway {
	return ec2api.EgressOnlyInternetGateway{
		EgressOnlyInternetGatewayId: new(g.ID),
		Attachments:                 gatewayAttachments(g.Attachments),
		Tags:                        tagSet(g.Tags),
	}
}

// CreateEgressOnlyInternetGateway implements ec2api.Handler.
func (s *Service) CreateEgressOnlyInternetGateway(ctx context.Context, req *awsproto.Request, in *ec2api.CreateEgressOnlyInternetGatewayInput) (*ec2api.CreateEgressOnlyInternetGatewayOutput, error) {
	g, err := s.network.CreateEgressOnlyInternetGateway(ctx, caller(req), optional.Value(in.VpcId), tagSpecs(in.TagSpecifications))
	if err != nil {
		return nil, err
	}
	shape := egressOnlyGatewayShape(g)
	return &ec2api.CreateEgressOnlyInternetGatewayOutput{EgressOnlyInternetGateway: &shape, ClientToken: in.ClientToken}, nil
}

// DeleteEgressOnlyInternetGateway implements ec2api.Handler.
func (s *Service) DeleteEgressOnlyInternetGateway(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteEgressOnlyInternetGatewayInput) (*ec2api.DeleteEgressOnlyInternetGatewayOutput, error) {
	if err := s.network.DeleteEgressOnlyInternetGateway(ctx, caller(req), optional.Value(in.EgressOnlyInternetGatewayId)); err != nil {
		return nil, err
	}
	return &ec2api.DeleteEgressOnlyInternetGatewayOutput{ReturnCode: new(true)}, nil
}

// egressOnlyGatewayFilters: EC2 documents only the tag filters.
var egressOnlyGatewayFilters = &filters[*network.EgressOnlyInternetGateway]{
	tags: func(g *network.EgressOnlyInternetGateway) cloud.Tags { return g.Tags },
}

// DescribeEgressOnlyInternetGateways implements ec2api.Handler.
func (s *Service) DescribeEgressOnlyInternetGateways(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeEgressOnlyInternetGatewaysInput) (*ec2api.DescribeEgressOnlyInternetGatewaysOutput, error) {
	page, err := describe[network.EgressOnlyInternetGateway](ctx, req, s, egressOnlyGatewayFilters, in.EgressOnlyInternetGatewayIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeEgressOnlyInternetGatewaysOutput{
		EgressOnlyInternetGateways: make([]ec2api.EgressOnlyInternetGateway, 0, len(page.Items)),
		NextToken:                  nextToken(page.Next),
	}
	for _, g := range page.Items {
		out.EgressOnlyInternetGateways = append(out.EgressOnlyInternetGateways, egressOnlyGatewayShape(g))
	}
	return out, nil
}
