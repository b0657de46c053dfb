package route53

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/route53api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// AssociateVPCWithHostedZone implements route53api.Handler.
func (s *Service) AssociateVPCWithHostedZone(ctx context.Context, req *awsproto.Request, in *route53api.AssociateVPCWithHostedZoneInput) (*route53api.AssociateVPCWithHostedZoneOutput, error) {
	ch, err := s.r53.AssociateVPC(ctx, caller(req), optional.Value(in.HostedZoneId), vpcIn(in.VPC), optional.Value(in.Comment))
	if err != nil {
		return nil, err
	}
	return &route53api.AssociateVPCWithHostedZoneOutput{ChangeInfo: changeInfo(ch)}, nil
}

// DisassociateVPCFromHostedZone implements route53api.Handler.
func (s *Service) DisassociateVPCFromHostedZone(ctx context.Context, req *awsproto.Request, in *route53api.DisassociateVPCFromHostedZoneInput) (*route53api.DisassociateVPCFromHostedZoneOutput, error) {
	ch, err := s.r53.DisassociateVPC(ctx, caller(req), optional.Value(in.HostedZoneId), vpcIn(in.VPC), optional.Value(in.Comment))
	if err != nil {
		return nil, err
	}
	return &route53api.DisassociateVPCFromHostedZoneOutput{ChangeInfo: changeInfo(ch)}, nil
}

// CreateVPCAssociationAuthorization implements route53api.Handler.
func (s *Service) CreateVPCAssociationAuthorization(ctx context.Context, req *awsproto.Request, in *route53api.CreateVPCAssociationAuthorizationInput) (*route53api.CreateVPCAssociationAuthorizationOutput, error) {
	z, err := s.r53.Authorize(ctx, caller(req), optional.Value(in.HostedZoneId), vpcIn(in.VPC))
	if err != nil {
		return nil, err
	}
	return &route53api.CreateVPCAssociationAuthorizationOutput{HostedZoneId: new(z.ID), VPC: in.VPC}, nil
}

// DeleteVPCAssociationAuthorization implements route53api.Handler.
func (s *Service) DeleteVPCAssociationAuthorization(ctx context.Context, req *awsproto.Request, in *route53api.DeleteVPCAssociationAuthorizationInput) (*route53api.DeleteVPCAssociationAuthorizationOutput, error) {
	if err := s.r53.Deauthorize(ctx, caller(req), optional.Value(in.HostedZoneId), vpcIn(in.VPC)); err != nil {
		return nil, err
	}
	return &route53api.DeleteVPCAssociationAuthorizationOutput{}, nil
}

// ListVPCAssociationAuthorizations implements route53api.Handler: a zone
// holds few, so one page answers them all.
func (s *Service) ListVPCAssociationAuthorizations(ctx context.Context, req *awsproto.Request, in *route53api.ListVPCAssociationAuthorizationsInput) (*route53api.ListVPCAssociationAuthorizationsOutput, error) {
	z, err := s.r53.GetHostedZone(ctx, caller(req), optional.Value(in.HostedZoneId))
	if err != nil {
		return nil, err
	}
	return &route53api.ListVPCAssociationAuthorizationsOutput{HostedZoneId: new(z.ID), VPCs: vpcList(z.Authorized)}, nil
}
