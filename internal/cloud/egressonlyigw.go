package cloud

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/store"
)

// EgressOnlyInternetGateway lets IPv6 traffic out of a VPC and none in.
type EgressOnlyInternetGateway struct {
	Meta
	Attachments []GatewayAttachment
}

func (*EgressOnlyInternetGateway) Kind() Kind { return KindEgressOnlyIGW }

func init() { RegisterType[EgressOnlyInternetGateway]() }

func (g *EgressOnlyInternetGateway) Keys() []store.Key { return attachmentKeys(g.Attachments) }

// AttachedTo reports whether the gateway is attached to the VPC.
func (g *EgressOnlyInternetGateway) AttachedTo(vpcID string) bool {
	return attachedTo(g.Attachments, vpcID)
}

// CreateEgressOnlyInternetGateway creates an egress-only gateway, attached
// to its VPC for life.
func (c *Cloud) CreateEgressOnlyInternetGateway(ctx context.Context, who Caller, vpcID string, specs []TagSpec) (*EgressOnlyInternetGateway, error) {
	tags, err := TagsFor(specs, KindEgressOnlyIGW)
	if err != nil {
		return nil, err
	}
	var g *EgressOnlyInternetGateway
	err = c.Update(ctx, who, func(t *Txn) error {
		vpc, err := GetIn[VPC](t, vpcID)
		if err != nil {
			return err
		}
		g = &EgressOnlyInternetGateway{
			Meta:        Meta{ID: t.NewID("eigw-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[KindEgressOnlyIGW]},
			Attachments: []GatewayAttachment{{VpcID: vpc.ID, State: "attached"}},
		}
		return Put(t, g)
	})
	return g, err
}

// DeleteEgressOnlyInternetGateway deletes an egress-only gateway; routes to
// it become blackholes.
func (c *Cloud) DeleteEgressOnlyInternetGateway(ctx context.Context, who Caller, id string) error {
	return c.Update(ctx, who, func(t *Txn) error {
		g, err := GetIn[EgressOnlyInternetGateway](t, id)
		if err != nil {
			return err
		}
		return Remove(t, g)
	})
}
