package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// gatewayAttachments renders attachments; EC2 sends an empty set for a
// detached gateway.
func gatewayAttachments(as []network.GatewayAttachment) []ec2api.InternetGatewayAttachment {
	out := make([]ec2api.InternetGatewayAttachment, 0, len(as))
	for _, a := range as {
		out = append(out, ec2api.InternetGatewayAttachment{VpcId: new(a.VpcID), State: new(a.State)})
	}
	return out
}

func internetGatewayShape(g *network.InternetGateway) ec2api.InternetGateway {
	return ec2api.InternetGateway{
		InternetGatewayId: new(g.ID),
		OwnerId:           new(g.Owner),
		Attachments:       gatewayAttachments(g.Attachments),
		Tags:              tagSet(g.Tags),
	}
}

// CreateInternetGateway implements ec2api.Handler.
func (s *Service) CreateInternetGateway(ctx context.Context, req *awsproto.Request, in *ec2api.CreateInternetGatewayInput) (*ec2api.CreateInternetGatewayOutput, error) {
	g, err := s.network.CreateInternetGateway(ctx, caller(req), tagSpecs(in.TagSpecifications))
	if err != nil {
		return nil, err
	}
	shape := internetGatewayShape(g)
	return &ec2api.CreateInternetGatewayOutput{InternetGateway: &shape}, nil
}

// AttachInternetGateway implements ec2api.Handler.
func (s *Service) AttachInternetGateway(ctx context.Context, req *awsproto.Request, in *ec2api.AttachInternetGatewayInput) (*ec2api.AttachInternetGatewayOutput, error) {
	return &ec2api.AttachInternetGatewayOutput{}, s.network.AttachInternetGateway(ctx, caller(req), optional.Value(in.InternetGatewayId), optional.Value(in.VpcId))
}

// DetachInternetGateway implements ec2api.Handler.
func (s *Service) DetachInternetGateway(ctx context.Context, req *awsproto.Request, in *ec2api.DetachInternetGatewayInput) (*ec2api.DetachInternetGatewayOutput, error) {
	return &ec2api.DetachInternetGatewayOutput{}, s.network.DetachInternetGateway(ctx, caller(req), optional.Value(in.InternetGatewayId), optional.Value(in.VpcId))
}

// DeleteInternetGateway implements ec2api.Handler.
func (s *Service) DeleteInternetGateway(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteInternetGatewayInput) (*ec2api.DeleteInternetGatewayOutput, error) {
	return &ec2api.DeleteInternetGatewayOutput{}, s.network.DeleteInternetGateway(ctx, caller(req), optional.Value(in.InternetGatewayId))
}

func attachmentFields(f func(network.GatewayAttachment) string) func(*network.InternetGateway) []string {
	return func(g *network.InternetGateway) []string {
		return collectValues(g.Attachments, func(a network.GatewayAttachment) []string { return []string{f(a)} })
	}
}

var internetGatewayFilters = &filters[*network.InternetGateway]{
	values: map[string]func(*network.InternetGateway) []string{
		"attachment.state":    attachmentFields(func(a network.GatewayAttachment) string { return a.State }),
		"attachment.vpc-id":   attachmentFields(func(a network.GatewayAttachment) string { return a.VpcID }),
		"internet-gateway-id": func(g *network.InternetGateway) []string { return one(g.ID) },
		"owner-id":            func(g *network.InternetGateway) []string { return one(g.Owner) },
	},
	tags: func(g *network.InternetGateway) cloud.Tags { return g.Tags },
}

// DescribeInternetGateways implements ec2api.Handler.
func (s *Service) DescribeInternetGateways(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeInternetGatewaysInput) (*ec2api.DescribeInternetGatewaysOutput, error) {
	page, err := describe[network.InternetGateway](ctx, req, s, internetGatewayFilters, in.InternetGatewayIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeInternetGatewaysOutput{InternetGateways: make([]ec2api.InternetGateway, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, g := range page.Items {
		out.InternetGateways = append(out.InternetGateways, internetGatewayShape(g))
	}
	return out, nil
}
