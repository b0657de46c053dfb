package directconnect

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Gateway is a Direct Connect gateway: a global resource (its record's
// Region is empty) that joins private or transit virtual interfaces in any
// region to virtual private gateways or transit gateways.
type Gateway struct {
	cloud.Meta
	Name          string
	AmazonSideASN int64
	// State is available once created; the create and delete calls
	// answer pending and deleting.
	State string
}

func (*Gateway) Kind() cloud.Kind { return cloud.KindDXGateway }

func init() { cloud.RegisterType[Gateway]() }

func (g *Gateway) Keys() []cloud.Key { return []cloud.Key{accountKey(g.Owner)} }

// ARN is the gateway's Amazon Resource Name, without a region
// (arn:aws:directconnect::111111111111:dx-gateway/5f29…).
func (g *Gateway) ARN() string { return arn.New("directconnect", "", g.Owner, "dx-gateway/"+g.ID) }

// DefaultASN is the Amazon side ASN of a gateway created without one.
const DefaultASN = 64512

// privateASN reports whether asn is in a private range AWS allows on its
// side: 64512–65534, or 4200000000–4294967294.
func privateASN(asn int64) bool {
	return asn >= 64512 && asn <= 65534 || asn >= 4200000000 && asn <= 4294967294
}

// ownGateway reads a gateway the caller owns, in any region.
func ownGateway(t *cloud.Txn, id string) (*Gateway, error) {
	g, err := cloud.GetAny[Gateway](t, id)
	if err != nil {
		return nil, err
	}
	if g.Owner != t.Scope.Account {
		return nil, cloud.Missing(cloud.KindDXGateway, id)
	}
	return g, nil
}

// NewGateway is what CreateDirectConnectGateway asks for; a zero ASN is
// the default.
type NewGateway struct {
	Name          string
	AmazonSideASN int64
	Tags          cloud.Tags
}

// CreateGateway creates a Direct Connect gateway. The answer says pending,
// as AWS's does; reads find it available.
func (s *Service) CreateGateway(ctx context.Context, who cloud.Caller, in NewGateway) (*Gateway, error) {
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	if in.AmazonSideASN == 0 {
		in.AmazonSideASN = DefaultASN
	}
	if !privateASN(in.AmazonSideASN) {
		return nil, refuse("The ASN %d is not valid for the Amazon side of a Direct Connect gateway: it must be in the range 64512-65534 or 4200000000-4294967294.", in.AmazonSideASN)
	}
	var out *Gateway
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		g := &Gateway{
			Meta: cloud.Meta{ID: newUUID(t), Owner: t.Scope.Account, Tags: in.Tags},
			Name: in.Name, AmazonSideASN: in.AmazonSideASN, State: StateAvailable,
		}
		if err := cloud.Put(t, g); err != nil {
			return err
		}
		answer := *g
		answer.State = StatePending
		out = &answer
		return nil
	})
	return out, err
}

// DescribeGateways lists the caller's gateways, or the one named. A
// gateway that does not exist is no error: AWS lists none (and Terraform
// waits for that after a delete).
func (s *Service) DescribeGateways(ctx context.Context, who cloud.Caller, id string) ([]*Gateway, error) {
	var out []*Gateway
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		if id != "" {
			g, err := ownGateway(t, id)
			if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
				return nil
			}
			if err == nil {
				out = append(out, g)
			}
			return err
		}
		var err error
		out, err = cloud.FindAny[Gateway](t, accountKey(t.Scope.Account))
		return err
	})
	return out, err
}

// UpdateGateway renames a gateway.
func (s *Service) UpdateGateway(ctx context.Context, who cloud.Caller, id, name string) (*Gateway, error) {
	var g *Gateway
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if g, err = ownGateway(t, id); err != nil {
			return err
		}
		g.Name = name
		return cloud.Put(t, g)
	})
	return g, err
}

// DeleteGateway deletes a gateway that no virtual interface uses and no
// gateway is associated with; the answer says deleting.
func (s *Service) DeleteGateway(ctx context.Context, who cloud.Caller, id string) (*Gateway, error) {
	var g *Gateway
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if g, err = ownGateway(t, id); err != nil {
			return err
		}
		vifs, err := cloud.FindAny[VirtualInterface](t, gatewayKey(g.ID))
		if err != nil {
			return err
		}
		if len(vifs) > 0 {
			return refuse("Direct Connect Gateway %s has virtual interfaces attached (%s). Detach them first.", g.ID, vifs[0].ID)
		}
		assocs, err := cloud.FindAny[GatewayAssociation](t, gatewayKey(g.ID))
		if err != nil {
			return err
		}
		if len(assocs) > 0 {
			return refuse("Direct Connect Gateway %s has associations (%s). Disassociate its gateways first.", g.ID, assocs[0].ID)
		}
		g.State = StateDeleting
		return cloud.Remove(t, g)
	})
	return g, err
}
