package network

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// EgressOnlyInternetGateway lets IPv6 traffic out of a VPC and none in.
type EgressOnlyInternetGateway struct {
	cloud.Meta
	Attachments []GatewayAttachment
}

func (*EgressOnlyInternetGateway) Kind() cloud.Kind { return cloud.KindEgressOnlyIGW }

func init() { cloud.RegisterType[EgressOnlyInternetGateway]() }

func (g *EgressOnlyInternetGateway) Keys() []cloud.Key { return attachmentKeys(g.Attachments) }

// AttachedTo reports whether the gateway is attached to the VPC.
func (g *EgressOnlyInternetGateway) AttachedTo(vpcID string) bool {
	return attachedTo(g.Attachments, vpcID)
}

// CreateEgressOnlyInternetGateway creates an egress-only gateway, attached
// to its VPC for life.
func (c *Service) CreateEgressOnlyInternetGateway(ctx context.Context, who cloud.Caller, vpcID string, specs []cloud.TagSpec) (*EgressOnlyInternetGateway, error) {
	tags, err := cloud.TagsFor(specs, cloud.KindEgressOnlyIGW)
	if err != nil {
		return nil, err
	}
	var g *EgressOnlyInternetGateway
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		vpc, err := cloud.GetIn[VPC](t, vpcID)
		if err != nil {
			return err
		}
		g = &EgressOnlyInternetGateway{
			Meta:        cloud.Meta{ID: t.NewID("eigw-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[cloud.KindEgressOnlyIGW]},
			Attachments: []GatewayAttachment{{VpcID: vpc.ID, State: "attached"}},
		}
		return cloud.Put(t, g)
	})
	return g, err
}

// DeleteEgressOnlyInternetGateway deletes an egress-only gateway; routes to
// it become blackholes.
func (c *Service) DeleteEgressOnlyInternetGateway(ctx context.Context, who cloud.Caller, id string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := cloud.GetIn[EgressOnlyInternetGateway](t, id)
		if err != nil {
			return err
		}
		return cloud.Remove(t, g)
	})
}
