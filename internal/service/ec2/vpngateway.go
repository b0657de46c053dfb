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

// vpnGatewayShape is a virtual private gateway as EC2 shows it; it is
// available from its creation until it is deleted.
func vpnGatewayShape(g *network.VPNGateway) ec2api.VpnGateway {
	out := ec2api.VpnGateway{
		VpnGatewayId: new(g.ID), Type: new(g.Type), State: new("available"), AmazonSideAsn: new(g.AmazonSideASN),
		AvailabilityZone: optional.String(g.AvailabilityZone), Tags: tagSet(g.Tags),
		VpcAttachments: make([]ec2api.VpcAttachment, 0, len(g.Attachments)),
	}
	for _, a := range g.Attachments {
		out.VpcAttachments = append(out.VpcAttachments, ec2api.VpcAttachment{VpcId: new(a.VpcID), State: new(a.State)})
	}
	return out
}

// CreateVpnGateway implements ec2api.Handler.
func (s *Service) CreateVpnGateway(ctx context.Context, req *awsproto.Request, in *ec2api.CreateVpnGatewayInput) (*ec2api.CreateVpnGatewayOutput, error) {
	g, err := s.network.CreateVPNGateway(ctx, caller(req), network.NewVPNGateway{Type: optional.Value(in.Type),
		AvailabilityZone: optional.Value(in.AvailabilityZone), AmazonSideASN: optional.Value(in.AmazonSideAsn), Tags: tagSpecs(in.TagSpecifications)})
	if err != nil {
		return nil, err
	}
	shape := vpnGatewayShape(g)
	return &ec2api.CreateVpnGatewayOutput{VpnGateway: &shape}, nil
}

// AttachVpnGateway implements ec2api.Handler.
func (s *Service) AttachVpnGateway(ctx context.Context, req *awsproto.Request, in *ec2api.AttachVpnGatewayInput) (*ec2api.AttachVpnGatewayOutput, error) {
	a, err := s.network.AttachVPNGateway(ctx, caller(req), optional.Value(in.VpnGatewayId), optional.Value(in.VpcId))
	if err != nil {
		return nil, err
	}
	return &ec2api.AttachVpnGatewayOutput{VpcAttachment: &ec2api.VpcAttachment{VpcId: new(a.VpcID), State: new(a.State)}}, nil
}

// DetachVpnGateway implements ec2api.Handler.
func (s *Service) DetachVpnGateway(ctx context.Context, req *awsproto.Request, in *ec2api.DetachVpnGatewayInput) (*ec2api.DetachVpnGatewayOutput, error) {
	return &ec2api.DetachVpnGatewayOutput{}, s.network.DetachVPNGateway(ctx, caller(req), optional.Value(in.VpnGatewayId), optional.Value(in.VpcId))
}

// DeleteVpnGateway implements ec2api.Handler.
func (s *Service) DeleteVpnGateway(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteVpnGatewayInput) (*ec2api.DeleteVpnGatewayOutput, error) {
	return &ec2api.DeleteVpnGatewayOutput{}, s.network.DeleteVPNGateway(ctx, caller(req), optional.Value(in.VpnGatewayId))
}

func vpnAttachmentFields(f func(network.GatewayAttachment) string) func(*network.VPNGateway) []string {
	return func(g *network.VPNGateway) []string {
		return collectValues(g.Attachments, func(a network.GatewayAttachment) []string { return []string{f(a)} })
	}
}

var vpnGatewayFilters = &filters[*network.VPNGateway]{
	values: map[string]func(*network.VPNGateway) []string{
		"amazon-side-asn":   func(g *network.VPNGateway) []string { return one(strconv.FormatInt(g.AmazonSideASN, 10)) },
		"attachment.state":  vpnAttachmentFields(func(a network.GatewayAttachment) string { return a.State }),
		"attachment.vpc-id": vpnAttachmentFields(func(a network.GatewayAttachment) string { return a.VpcID }),
		"availability-zone": func(g *network.VPNGateway) []string { return one(g.AvailabilityZone) },
		"state":             func(*network.VPNGateway) []string { return one("available") },
		"type":              func(g *network.VPNGateway) []string { return one(g.Type) },
		"vpn-gateway-id":    func(g *network.VPNGateway) []string { return one(g.ID) },
	},
	tags: func(g *network.VPNGateway) cloud.Tags { return g.Tags },
}

// DescribeVpnGateways implements ec2api.Handler; it does not page (AWS's
// call has no MaxResults).
func (s *Service) DescribeVpnGateways(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeVpnGatewaysInput) (*ec2api.DescribeVpnGatewaysOutput, error) {
	page, err := describe[network.VPNGateway](ctx, req, s, vpnGatewayFilters, in.VpnGatewayIds, in.Filters, nil, nil)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeVpnGatewaysOutput{VpnGateways: make([]ec2api.VpnGateway, 0, len(page.Items))}
	for _, g := range page.Items {
		out.VpnGateways = append(out.VpnGateways, vpnGatewayShape(g))
	}
	return out, nil
}

// EnableVgwRoutePropagation implements ec2api.Handler.
func (s *Service) EnableVgwRoutePropagation(ctx context.Context, req *awsproto.Request, in *ec2api.EnableVgwRoutePropagationInput) (*ec2api.EnableVgwRoutePropagationOutput, error) {
	return &ec2api.EnableVgwRoutePropagationOutput{}, s.network.EnableVGWRoutePropagation(ctx, caller(req), optional.Value(in.RouteTableId), optional.Value(in.GatewayId))
}

// DisableVgwRoutePropagation implements ec2api.Handler.
func (s *Service) DisableVgwRoutePropagation(ctx context.Context, req *awsproto.Request, in *ec2api.DisableVgwRoutePropagationInput) (*ec2api.DisableVgwRoutePropagationOutput, error) {
	return &ec2api.DisableVgwRoutePropagationOutput{}, s.network.DisableVGWRoutePropagation(ctx, caller(req), optional.Value(in.RouteTableId), optional.Value(in.GatewayId))
}
