package directconnect

import (
	"cmp"
	"context"

	"github.com/vpcemu/vpcemu/internal/api/directconnectapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	dx "github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// associationShape is an association as the API shows it. The virtual
// gateway members repeat the associated gateway's, as AWS fills them for a
// virtual private gateway.
func associationShape(a *dx.GatewayAssociation) *directconnectapi.DirectConnectGatewayAssociation {
	out := &directconnectapi.DirectConnectGatewayAssociation{
		AssociationId: new(a.ID), AssociationState: new(a.State), DirectConnectGatewayId: new(a.GatewayID),
		DirectConnectGatewayOwnerAccount: new(a.Owner), AllowedPrefixesToDirectConnectGateway: prefixList(a.AllowedPrefixes),
		AssociatedGateway: &directconnectapi.AssociatedGateway{Id: new(a.AssociatedID), Type: new(a.AssociatedType),
			OwnerAccount: new(a.AssociatedOwner), Region: new(a.AssociatedRegion)},
	}
	if a.AssociatedType == dx.VirtualPrivateGateway {
		out.VirtualGatewayId, out.VirtualGatewayOwnerAccount, out.VirtualGatewayRegion = new(a.AssociatedID), new(a.AssociatedOwner), new(a.AssociatedRegion)
	}
	return out
}

// CreateDirectConnectGatewayAssociation implements
// directconnectapi.Handler.
func (s *Service) CreateDirectConnectGatewayAssociation(ctx context.Context, req *awsproto.Request, in *directconnectapi.CreateDirectConnectGatewayAssociationInput) (*directconnectapi.CreateDirectConnectGatewayAssociationOutput, error) {
	a, err := s.dx.CreateGatewayAssociation(ctx, caller(req), optional.Value(in.DirectConnectGatewayId),
		cmp.Or(optional.Value(in.GatewayId), optional.Value(in.VirtualGatewayId)), prefixesIn(in.AddAllowedPrefixesToDirectConnectGateway))
	if err != nil {
		return nil, err
	}
	return &directconnectapi.CreateDirectConnectGatewayAssociationOutput{DirectConnectGatewayAssociation: associationShape(a)}, nil
}

// DescribeDirectConnectGatewayAssociations implements
// directconnectapi.Handler.
func (s *Service) DescribeDirectConnectGatewayAssociations(ctx context.Context, req *awsproto.Request, in *directconnectapi.DescribeDirectConnectGatewayAssociationsInput) (*directconnectapi.DescribeDirectConnectGatewayAssociationsOutput, error) {
	as, err := s.dx.DescribeGatewayAssociations(ctx, caller(req), dx.AssociationQuery{
		AssociationID: optional.Value(in.AssociationId), GatewayID: optional.Value(in.DirectConnectGatewayId),
		AssociatedID: cmp.Or(optional.Value(in.AssociatedGatewayId), optional.Value(in.VirtualGatewayId)),
	})
	if err != nil {
		return nil, err
	}
	out := &directconnectapi.DescribeDirectConnectGatewayAssociationsOutput{DirectConnectGatewayAssociations: make([]directconnectapi.DirectConnectGatewayAssociation, 0, len(as))}
	for _, a := range as {
		out.DirectConnectGatewayAssociations = append(out.DirectConnectGatewayAssociations, *associationShape(a))
	}
	return out, nil
}

// UpdateDirectConnectGatewayAssociation implements
// directconnectapi.Handler.
func (s *Service) UpdateDirectConnectGatewayAssociation(ctx context.Context, req *awsproto.Request, in *directconnectapi.UpdateDirectConnectGatewayAssociationInput) (*directconnectapi.UpdateDirectConnectGatewayAssociationOutput, error) {
	a, err := s.dx.UpdateGatewayAssociation(ctx, caller(req), optional.Value(in.AssociationId),
		prefixesIn(in.AddAllowedPrefixesToDirectConnectGateway), prefixesIn(in.RemoveAllowedPrefixesToDirectConnectGateway))
	if err != nil {
		return nil, err
	}
	return &directconnectapi.UpdateDirectConnectGatewayAssociationOutput{DirectConnectGatewayAssociation: associationShape(a)}, nil
}

// DeleteDirectConnectGatewayAssociation implements
// directconnectapi.Handler.
func (s *Service) DeleteDirectConnectGatewayAssociation(ctx context.Context, req *awsproto.Request, in *directconnectapi.DeleteDirectConnectGatewayAssociationInput) (*directconnectapi.DeleteDirectConnectGatewayAssociationOutput, error) {
	a, err := s.dx.DeleteGatewayAssociation(ctx, caller(req), optional.Value(in.AssociationId), optional.Value(in.DirectConnectGatewayId), optional.Value(in.VirtualGatewayId))
	if err != nil {
		return nil, err
	}
	return &directconnectapi.DeleteDirectConnectGatewayAssociationOutput{DirectConnectGatewayAssociation: associationShape(a)}, nil
}
