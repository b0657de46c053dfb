package directconnect

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/directconnectapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	dx "github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// gatewayShape is a Direct Connect gateway as the API shows it.
func gatewayShape(g *dx.Gateway) *directconnectapi.DirectConnectGateway {
	return &directconnectapi.DirectConnectGateway{
		DirectConnectGatewayId: new(g.ID), DirectConnectGatewayName: new(g.Name), AmazonSideAsn: new(g.AmazonSideASN),
		OwnerAccount: new(g.Owner), DirectConnectGatewayState: new(g.State), Tags: tagList(g.Tags),
	}
}

// CreateDirectConnectGateway implements directconnectapi.Handler.
func (s *Service) CreateDirectConnectGateway(ctx context.Context, req *awsproto.Request, in *directconnectapi.CreateDirectConnectGatewayInput) (*directconnectapi.CreateDirectConnectGatewayOutput, error) {
	tags, err := tagsIn(in.Tags, duplicateInGateway)
	if err != nil {
		return nil, err
	}
	g, err := s.dx.CreateGateway(ctx, caller(req), dx.NewGateway{Name: optional.Value(in.DirectConnectGatewayName), AmazonSideASN: optional.Value(in.AmazonSideAsn), Tags: tags})
	if err != nil {
		return nil, err
	}
	return &directconnectapi.CreateDirectConnectGatewayOutput{DirectConnectGateway: gatewayShape(g)}, nil
}

// DescribeDirectConnectGateways implements directconnectapi.Handler. The
// gateways an account has are few, so one page holds them all.
func (s *Service) DescribeDirectConnectGateways(ctx context.Context, req *awsproto.Request, in *directconnectapi.DescribeDirectConnectGatewaysInput) (*directconnectapi.DescribeDirectConnectGatewaysOutput, error) {
	gs, err := s.dx.DescribeGateways(ctx, caller(req), optional.Value(in.DirectConnectGatewayId))
	if err != nil {
		return nil, err
	}
	out := &directconnectapi.DescribeDirectConnectGatewaysOutput{DirectConnectGateways: make([]directconnectapi.DirectConnectGateway, 0, len(gs))}
	for _, g := range gs {
		out.DirectConnectGateways = append(out.DirectConnectGateways, *gatewayShape(g))
	}
	return out, nil
}

// UpdateDirectConnectGateway implements directconnectapi.Handler.
func (s *Service) UpdateDirectConnectGateway(ctx context.Context, req *awsproto.Request, in *directconnectapi.UpdateDirectConnectGatewayInput) (*directconnectapi.UpdateDirectConnectGatewayOutput, error) {
	g, err := s.dx.UpdateGateway(ctx, caller(req), optional.Value(in.DirectConnectGatewayId), optional.Value(in.NewDirectConnectGatewayName))
	if err != nil {
		return nil, err
	}
	return &directconnectapi.UpdateDirectConnectGatewayOutput{DirectConnectGateway: gatewayShape(g)}, nil
}

// DeleteDirectConnectGateway implements directconnectapi.Handler.
func (s *Service) DeleteDirectConnectGateway(ctx context.Context, req *awsproto.Request, in *directconnectapi.DeleteDirectConnectGatewayInput) (*directconnectapi.DeleteDirectConnectGatewayOutput, error) {
	g, err := s.dx.DeleteGateway(ctx, caller(req), optional.Value(in.DirectConnectGatewayId))
	if err != nil {
		return nil, err
	}
	return &directconnectapi.DeleteDirectConnectGatewayOutput{DirectConnectGateway: gatewayShape(g)}, nil
}

// DescribeDirectConnectGatewayAttachments implements
// directconnectapi.Handler.
func (s *Service) DescribeDirectConnectGatewayAttachments(ctx context.Context, req *awsproto.Request, in *directconnectapi.DescribeDirectConnectGatewayAttachmentsInput) (*directconnectapi.DescribeDirectConnectGatewayAttachmentsOutput, error) {
	as, err := s.dx.DescribeAttachments(ctx, caller(req), optional.Value(in.DirectConnectGatewayId), optional.Value(in.VirtualInterfaceId))
	if err != nil {
		return nil, err
	}
	out := &directconnectapi.DescribeDirectConnectGatewayAttachmentsOutput{DirectConnectGatewayAttachments: make([]directconnectapi.DirectConnectGatewayAttachment, 0, len(as))}
	for _, a := range as {
		kind := directconnectapi.DirectConnectGatewayAttachmentTypePrivateVirtualInterface
		if a.Type == dx.Transit {
			kind = directconnectapi.DirectConnectGatewayAttachmentTypeTransitVirtualInterface
		}
		out.DirectConnectGatewayAttachments = append(out.DirectConnectGatewayAttachments, directconnectapi.DirectConnectGatewayAttachment{
			DirectConnectGatewayId: new(a.GatewayID), VirtualInterfaceId: new(a.VirtualInterfaceID), VirtualInterfaceOwnerAccount: new(a.VIFOwner),
			VirtualInterfaceRegion: new(a.VIFRegion), AttachmentType: new(kind), AttachmentState: new(a.State),
		})
	}
	return out, nil
}

// DescribeVirtualGateways implements directconnectapi.Handler.
func (s *Service) DescribeVirtualGateways(ctx context.Context, req *awsproto.Request, _ *directconnectapi.DescribeVirtualGatewaysInput) (*directconnectapi.DescribeVirtualGatewaysOutput, error) {
	gs, err := s.dx.DescribeVirtualGateways(ctx, caller(req))
	if err != nil {
		return nil, err
	}
	out := &directconnectapi.DescribeVirtualGatewaysOutput{VirtualGateways: make([]directconnectapi.VirtualGateway, 0, len(gs))}
	for _, g := range gs {
		out.VirtualGateways = append(out.VirtualGateways, directconnectapi.VirtualGateway{VirtualGatewayId: new(g.ID), VirtualGatewayState: new(g.State)})
	}
	return out, nil
}
