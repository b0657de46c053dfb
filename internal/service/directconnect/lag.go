package directconnect

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/directconnectapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	dx "github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// lagShape is a LAG as Direct Connect shows it, with its connections.
func lagShape(l *dx.LagWithConnections) directconnectapi.Lag {
	out := directconnectapi.Lag{
		OwnerAccount: new(l.Owner), LagId: new(l.ID), LagName: new(l.Name), LagState: new(l.State),
		Region: new(l.Region), Location: new(l.Location), ConnectionsBandwidth: new(l.Bandwidth),
		NumberOfConnections: new(int32(len(l.Connections))), MinimumLinks: new(int32(l.MinimumLinks)),
		AwsDevice: new(l.AWSDevice), AwsDeviceV2: new(l.AWSDevice), AwsLogicalDeviceId: new(l.AWSDevice),
		AllowsHostedConnections: new(true), JumboFrameCapable: new(true),
		HasLogicalRedundancy: new(directconnectapi.HasLogicalRedundancyNo), ProviderName: optional.String(l.ProviderName),
		MacSecCapable: new(l.MACSecCapable), EncryptionMode: optional.String(l.EncryptionMode), Tags: tagList(l.Tags),
		Connections: make([]directconnectapi.Connection, 0, len(l.Connections)),
	}
	for _, c := range l.Connections {
		out.Connections = append(out.Connections, connectionShape(c))
	}
	return out
}

// CreateLag implements directconnectapi.Handler.
func (s *Service) CreateLag(ctx context.Context, req *awsproto.Request, in *directconnectapi.CreateLagInput) (*directconnectapi.CreateLagOutput, error) {
	tags, err := tagsIn(in.Tags, dx.DuplicateTagKeys)
	if err != nil {
		return nil, err
	}
	child, err := tagsIn(in.ChildConnectionTags, dx.DuplicateTagKeys)
	if err != nil {
		return nil, err
	}
	l, err := s.dx.CreateLag(ctx, caller(req), dx.NewLag{
		Name: optional.Value(in.LagName), Location: optional.Value(in.Location), Bandwidth: optional.Value(in.ConnectionsBandwidth),
		NumberOfConnections: int(optional.Value(in.NumberOfConnections)), ConnectionID: optional.Value(in.ConnectionId),
		ProviderName: optional.Value(in.ProviderName), RequestMACSec: optional.Value(in.RequestMACSec), Tags: tags, ChildTags: child,
	})
	if err != nil {
		return nil, err
	}
	out := directconnectapi.CreateLagOutput(lagShape(l))
	return &out, nil
}

// DescribeLags implements directconnectapi.Handler.
func (s *Service) DescribeLags(ctx context.Context, req *awsproto.Request, in *directconnectapi.DescribeLagsInput) (*directconnectapi.DescribeLagsOutput, error) {
	ls, err := s.dx.DescribeLags(ctx, caller(req), optional.Value(in.LagId))
	if err != nil {
		return nil, err
	}
	out := &directconnectapi.DescribeLagsOutput{Lags: make([]directconnectapi.Lag, 0, len(ls))}
	for _, l := range ls {
		out.Lags = append(out.Lags, lagShape(l))
	}
	return out, nil
}

// UpdateLag implements directconnectapi.Handler.
func (s *Service) UpdateLag(ctx context.Context, req *awsproto.Request, in *directconnectapi.UpdateLagInput) (*directconnectapi.UpdateLagOutput, error) {
	u := dx.LagUpdate{Name: in.LagName, EncryptionMode: in.EncryptionMode}
	if in.MinimumLinks != nil {
		n := int(*in.MinimumLinks)
		u.MinimumLinks = &n
	}
	l, err := s.dx.UpdateLag(ctx, caller(req), optional.Value(in.LagId), u)
	if err != nil {
		return nil, err
	}
	out := directconnectapi.UpdateLagOutput(lagShape(l))
	return &out, nil
}

// DeleteLag implements directconnectapi.Handler.
func (s *Service) DeleteLag(ctx context.Context, req *awsproto.Request, in *directconnectapi.DeleteLagInput) (*directconnectapi.DeleteLagOutput, error) {
	l, err := s.dx.DeleteLag(ctx, caller(req), optional.Value(in.LagId))
	if err != nil {
		return nil, err
	}
	out := directconnectapi.DeleteLagOutput(lagShape(l))
	return &out, nil
}

// AssociateConnectionWithLag implements directconnectapi.Handler.
func (s *Service) AssociateConnectionWithLag(ctx context.Context, req *awsproto.Request, in *directconnectapi.AssociateConnectionWithLagInput) (*directconnectapi.AssociateConnectionWithLagOutput, error) {
	c, err := s.dx.AssociateConnectionWithLag(ctx, caller(req), optional.Value(in.ConnectionId), optional.Value(in.LagId))
	if err != nil {
		return nil, err
	}
	out := directconnectapi.AssociateConnectionWithLagOutput(connectionShape(c))
	return &out, nil
}

// DisassociateConnectionFromLag implements directconnectapi.Handler.
func (s *Service) DisassociateConnectionFromLag(ctx context.Context, req *awsproto.Request, in *directconnectapi.DisassociateConnectionFromLagInput) (*directconnectapi.DisassociateConnectionFromLagOutput, error) {
	c, err := s.dx.DisassociateConnectionFromLag(ctx, caller(req), optional.Value(in.ConnectionId), optional.Value(in.LagId))
	if err != nil {
		return nil, err
	}
	out := directconnectapi.DisassociateConnectionFromLagOutput(connectionShape(c))
	return &out, nil
}
