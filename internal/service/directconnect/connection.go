package directconnect

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/directconnectapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	dx "github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// connectionShape is a connection as Direct Connect shows it.
func connectionShape(c *dx.Connection) directconnectapi.Connection {
	out := directconnectapi.Connection{
		OwnerAccount: new(c.Owner), ConnectionId: new(c.ID), ConnectionName: new(c.Name),
		ConnectionState: new(c.State), Region: new(c.Region), Location: new(c.Location), Bandwidth: new(c.Bandwidth),
		LagId: optional.String(c.LagID), AwsDevice: new(c.AWSDevice), AwsDeviceV2: new(c.AWSDevice),
		AwsLogicalDeviceId: new(c.AWSDevice), HasLogicalRedundancy: new(directconnectapi.HasLogicalRedundancyNo),
		JumboFrameCapable: new(true), ProviderName: optional.String(c.ProviderName), MacSecCapable: new(c.MACSecCapable),
		EncryptionMode: optional.String(c.EncryptionMode), Vlan: int32p(c.Vlan), Tags: tagList(c.Tags),
	}
	if c.MACSecCapable {
		out.PortEncryptionStatus = new("Encryption Down")
	}
	return out
}

// CreateConnection implements directconnectapi.Handler.
func (s *Service) CreateConnection(ctx context.Context, req *awsproto.Request, in *directconnectapi.CreateConnectionInput) (*directconnectapi.CreateConnectionOutput, error) {
	tags, err := tagsIn(in.Tags, dx.DuplicateTagKeys)
	if err != nil {
		return nil, err
	}
	c, err := s.dx.CreateConnection(ctx, caller(req), dx.NewConnection{
		Name: optional.Value(in.ConnectionName), Location: optional.Value(in.Location), Bandwidth: optional.Value(in.Bandwidth),
		LagID: optional.Value(in.LagId), ProviderName: optional.Value(in.ProviderName), RequestMACSec: optional.Value(in.RequestMACSec), Tags: tags,
	})
	if err != nil {
		return nil, err
	}
	out := directconnectapi.CreateConnectionOutput(connectionShape(c))
	return &out, nil
}

// DescribeConnections implements directconnectapi.Handler.
func (s *Service) DescribeConnections(ctx context.Context, req *awsproto.Request, in *directconnectapi.DescribeConnectionsInput) (*directconnectapi.DescribeConnectionsOutput, error) {
	cs, err := s.dx.DescribeConnections(ctx, caller(req), optional.Value(in.ConnectionId))
	if err != nil {
		return nil, err
	}
	out := &directconnectapi.DescribeConnectionsOutput{Connections: make([]directconnectapi.Connection, 0, len(cs))}
	for _, c := range cs {
		out.Connections = append(out.Connections, connectionShape(c))
	}
	return out, nil
}

// UpdateConnection implements directconnectapi.Handler.
func (s *Service) UpdateConnection(ctx context.Context, req *awsproto.Request, in *directconnectapi.UpdateConnectionInput) (*directconnectapi.UpdateConnectionOutput, error) {
	c, err := s.dx.UpdateConnection(ctx, caller(req), optional.Value(in.ConnectionId), dx.ConnectionUpdate{Name: in.ConnectionName, EncryptionMode: in.EncryptionMode})
	if err != nil {
		return nil, err
	}
	out := directconnectapi.UpdateConnectionOutput(connectionShape(c))
	return &out, nil
}

// DeleteConnection implements directconnectapi.Handler.
func (s *Service) DeleteConnection(ctx context.Context, req *awsproto.Request, in *directconnectapi.DeleteConnectionInput) (*directconnectapi.DeleteConnectionOutput, error) {
	c, err := s.dx.DeleteConnection(ctx, caller(req), optional.Value(in.ConnectionId))
	if err != nil {
		return nil, err
	}
	out := directconnectapi.DeleteConnectionOutput(connectionShape(c))
	return &out, nil
}

// AllocateHostedConnection implements directconnectapi.Handler.
func (s *Service) AllocateHostedConnection(ctx context.Context, req *awsproto.Request, in *directconnectapi.AllocateHostedConnectionInput) (*directconnectapi.AllocateHostedConnectionOutput, error) {
	tags, err := tagsIn(in.Tags, dx.DuplicateTagKeys)
	if err != nil {
		return nil, err
	}
	c, err := s.dx.AllocateHostedConnection(ctx, caller(req), dx.NewHostedConnection{
		Parent: optional.Value(in.ConnectionId), Owner: optional.Value(in.OwnerAccount), Name: optional.Value(in.ConnectionName),
		Bandwidth: optional.Value(in.Bandwidth), Vlan: int(optional.Value(in.Vlan)), Tags: tags,
	})
	if err != nil {
		return nil, err
	}
	out := directconnectapi.AllocateHostedConnectionOutput(connectionShape(c))
	return &out, nil
}

// ConfirmConnection implements directconnectapi.Handler.
func (s *Service) ConfirmConnection(ctx context.Context, req *awsproto.Request, in *directconnectapi.ConfirmConnectionInput) (*directconnectapi.ConfirmConnectionOutput, error) {
	state, err := s.dx.ConfirmConnection(ctx, caller(req), optional.Value(in.ConnectionId))
	if err != nil {
		return nil, err
	}
	return &directconnectapi.ConfirmConnectionOutput{ConnectionState: new(state)}, nil
}
