package directconnect

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/directconnectapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	dx "github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// proposalShape is a proposal as the API shows it.
func proposalShape(p *dx.ProposalView) *directconnectapi.DirectConnectGatewayAssociationProposal {
	return &directconnectapi.DirectConnectGatewayAssociationProposal{
		ProposalId: new(p.ID), ProposalState: new(p.State), DirectConnectGatewayId: new(p.GatewayID),
		DirectConnectGatewayOwnerAccount: new(p.GatewayOwner),
		AssociatedGateway: &directconnectapi.AssociatedGateway{Id: new(p.AssociatedID), Type: new(p.AssociatedType),
			OwnerAccount: new(p.Owner), Region: new(p.AssociatedRegion)},
		ExistingAllowedPrefixesToDirectConnectGateway:  prefixList(p.Existing),
		RequestedAllowedPrefixesToDirectConnectGateway: prefixList(p.Requested),
	}
}

// CreateDirectConnectGatewayAssociationProposal implements
// directconnectapi.Handler.
func (s *Service) CreateDirectConnectGatewayAssociationProposal(ctx context.Context, req *awsproto.Request, in *directconnectapi.CreateDirectConnectGatewayAssociationProposalInput) (*directconnectapi.CreateDirectConnectGatewayAssociationProposalOutput, error) {
	p, err := s.dx.CreateProposal(ctx, caller(req), dx.NewProposal{
		GatewayID: optional.Value(in.DirectConnectGatewayId), GatewayOwner: optional.Value(in.DirectConnectGatewayOwnerAccount),
		AssociatedID: optional.Value(in.GatewayId), Add: prefixesIn(in.AddAllowedPrefixesToDirectConnectGateway),
		Remove: prefixesIn(in.RemoveAllowedPrefixesToDirectConnectGateway),
	})
	if err != nil {
		return nil, err
	}
	return &directconnectapi.CreateDirectConnectGatewayAssociationProposalOutput{DirectConnectGatewayAssociationProposal: proposalShape(p)}, nil
}

// DescribeDirectConnectGatewayAssociationProposals implements
// directconnectapi.Handler.
func (s *Service) DescribeDirectConnectGatewayAssociationProposals(ctx context.Context, req *awsproto.Request, in *directconnectapi.DescribeDirectConnectGatewayAssociationProposalsInput) (*directconnectapi.DescribeDirectConnectGatewayAssociationProposalsOutput, error) {
	ps, err := s.dx.DescribeProposals(ctx, caller(req), dx.ProposalQuery{ProposalID: optional.Value(in.ProposalId),
		GatewayID: optional.Value(in.DirectConnectGatewayId), AssociatedID: optional.Value(in.AssociatedGatewayId)})
	if err != nil {
		return nil, err
	}
	out := &directconnectapi.DescribeDirectConnectGatewayAssociationProposalsOutput{DirectConnectGatewayAssociationProposals: make([]directconnectapi.DirectConnectGatewayAssociationProposal, 0, len(ps))}
	for _, p := range ps {
		out.DirectConnectGatewayAssociationProposals = append(out.DirectConnectGatewayAssociationProposals, *proposalShape(p))
	}
	return out, nil
}

// AcceptDirectConnectGatewayAssociationProposal implements
// directconnectapi.Handler.
func (s *Service) AcceptDirectConnectGatewayAssociationProposal(ctx context.Context, req *awsproto.Request, in *directconnectapi.AcceptDirectConnectGatewayAssociationProposalInput) (*directconnectapi.AcceptDirectConnectGatewayAssociationProposalOutput, error) {
	a, err := s.dx.AcceptProposal(ctx, caller(req), optional.Value(in.DirectConnectGatewayId), optional.Value(in.ProposalId),
		optional.Value(in.AssociatedGatewayOwnerAccount), prefixesIn(in.OverrideAllowedPrefixesToDirectConnectGateway))
	if err != nil {
		return nil, err
	}
	return &directconnectapi.AcceptDirectConnectGatewayAssociationProposalOutput{DirectConnectGatewayAssociation: associationShape(a)}, nil
}

// DeleteDirectConnectGatewayAssociationProposal implements
// directconnectapi.Handler.
func (s *Service) DeleteDirectConnectGatewayAssociationProposal(ctx context.Context, req *awsproto.Request, in *directconnectapi.DeleteDirectConnectGatewayAssociationProposalInput) (*directconnectapi.DeleteDirectConnectGatewayAssociationProposalOutput, error) {
	p, err := s.dx.DeleteProposal(ctx, caller(req), optional.Value(in.ProposalId))
	if err != nil {
		return nil, err
	}
	return &directconnectapi.DeleteDirectConnectGatewayAssociationProposalOutput{DirectConnectGatewayAssociationProposal: proposalShape(p)}, nil
}
