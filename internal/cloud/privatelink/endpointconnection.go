package privatelink

import (
	"cmp"
	"context"
	"slices"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// Endpoint states a provider's answer moves a connection between, as the
// EC2 API spells them (VPCEndpoint.State).
const (
	connPendingAcceptance = "pendingAcceptance"
	connPending           = "pending"
	connAvailable         = "available"
	connPartial           = "partial"
	connRejected          = "rejected"
)

// EndpointConnection is a VPC endpoint to one of the caller's endpoint
// services, as the provider sees it: the consumer's endpoint and the
// service it connects to.
type EndpointConnection struct {
	Endpoint *VPCEndpoint
	Service  *ServiceConfiguration
}

// EndpointConnections lists the VPC endpoints, of any account and region,
// connected to the caller's endpoint services, in endpoint id order.
func (c *Service) EndpointConnections(ctx context.Context, who cloud.Caller) ([]EndpointConnection, error) {
	var out []EndpointConnection
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		services, err := cloud.FindIn[ServiceConfiguration](t, cloud.Key{Name: "owner-id", Value: t.Scope.Account})
		if err != nil {
			return err
		}
		for _, s := range services {
			endpoints, err := cloud.FindAny[VPCEndpoint](t, cloud.Key{Name: "service-id", Value: s.ID})
			if err != nil {
				return err
			}
			for _, e := range endpoints {
				if !cloud.Gone(t, e) {
					out = append(out, EndpointConnection{Endpoint: e, Service: s})
				}
			}
		}
		slices.SortFunc(out, func(a, b EndpointConnection) int { return cmp.Compare(a.Endpoint.ID, b.Endpoint.ID) })
		return nil
	})
	return out, err
}

// connectionMoves are the states accepting or rejecting takes a connection
// from. The provider may reject a connection it accepted before.
var connectionMoves = map[string]struct {
	from []string
	verb string
}{
	connAvailable: {[]string{connPendingAcceptance}, "accepted"},
	connRejected:  {[]string{connPendingAcceptance, connPending, connAvailable, connPartial}, "rejected"},
}

// AcceptEndpointConnections accepts pending connections to one of the
// caller's services: they become available.
func (c *Service) AcceptEndpointConnections(ctx context.Context, who cloud.Caller, serviceID string, endpointIDs []string) ([]cloud.Unsuccessful, error) {
	return c.answerConnections(ctx, who, serviceID, endpointIDs, connAvailable)
}

// RejectEndpointConnections rejects pending or accepted connections to one
// of the caller's services.
func (c *Service) RejectEndpointConnections(ctx context.Context, who cloud.Caller, serviceID string, endpointIDs []string) ([]cloud.Unsuccessful, error) {
	return c.answerConnections(ctx, who, serviceID, endpointIDs, connRejected)
}

// answerConnections moves each connection to state to; an endpoint that is
// not connected to the service, or not in a state to move from, is an
// unsuccessful item.
func (c *Service) answerConnections(ctx context.Context, who cloud.Caller, serviceID string, endpointIDs []string, to string) ([]cloud.Unsuccessful, error) {
	var failed []cloud.Unsuccessful
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		s, err := serviceOf(t, serviceID)
		if err != nil {
			return err
		}
		failed, err = cloud.EachItem(endpointIDs, func(id string) (*cloud.Error, error) { return moveConnection(t, s, id, to) })
		return err
	})
	return failed, err
}

// moveConnection moves one connection, or says why it cannot.
func moveConnection(t *cloud.Txn, s *ServiceConfiguration, id, to string) (*cloud.Error, error) {
	e, err := cloud.GetAny[VPCEndpoint](t.StoreTx, id)
	if err != nil && !network.ErrIsNotFound(err) {
		return nil, err
	}
	if err != nil || e.ServiceID != s.ID || cloud.Gone(t, e) {
		return cloud.Errorf(cloud.NotFound, cloud.SubjectEndpointItem, "The Vpc Endpoint Id '%s' does not exist", id), nil
	}
	move := connectionMoves[to]
	if !slices.Contains(move.from, e.State) {
		return cloud.Errorf(cloud.IncorrectState, cloud.SubjectEndpointItem, "The VPC endpoint '%s' is in state '%s' and cannot be %s", id, e.State, move.verb), nil
	}
	e.State, e.StateChanged = to, t.Now
	return nil, cloud.Put(t, e)
}
