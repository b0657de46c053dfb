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

func (*EgressOnlyInternetGateway) kind() Kind { return KindEgressOnlyIGW }

func (g *EgressOnlyInternetGateway) keys() []store.Key { return attachmentKeys(g.Attachments) }

// AttachedTo reports whether the gateway is attached to the VPC.
func (g *EgressOnlyInternetGateway) AttachedTo(vpcID string) bool {
	return attachedTo(g.Attachments, vpcID)
}

// CreateEgressOnlyInternetGateway creates an egress-only gateway, attached
// to its VPC for life.
func (c *Cloud) CreateEgressOnlyInternetGateway(ctx context.Context, who Caller, vpcID string, specs []TagSpec) (*EgressOnlyInternetGateway, error) {
	tags, err := tagsFor(specs, KindEgressOnlyIGW)
	if err != nil {
		return nil, err
	}
	var g *EgressOnlyInternetGateway
	err = c.update(ctx, who, func(t *txn) error {
		vpc, err := getIn[VPC](t, vpcID)
		if err != nil {
			return err
		}
		g = &EgressOnlyInternetGateway{
			Meta:        Meta{ID: t.newID("eigw-"), Owner: t.scope.Account, Region: t.scope.Region, Tags: tags[KindEgressOnlyIGW]},
			Attachments: []GatewayAttachment{{VpcID: vpc.ID, State: "attached"}},
		}
		return put(t, g)
	})
	return g, err
}

// DeleteEgressOnlyInternetGateway deletes an egress-only gateway; routes to
// it become blackholes.
func (c *Cloud) DeleteEgressOnlyInternetGateway(ctx context.Context, who Caller, id string) error {
	return c.update(ctx, who, func(t *txn) error {
		g, err := getIn[EgressOnlyInternetGateway](t, id)
		if err != nil {
			return err
		}
		return remove(t, g)
	})
}
