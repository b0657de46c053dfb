package cloud

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/store"
)

// InternetGateway connects a VPC to the internet.
type InternetGateway struct {
	Meta
	Attachments []GatewayAttachment `json:",omitempty"`
}

// GatewayAttachment ties a gateway to a VPC.
type GatewayAttachment struct {
	VpcID string
	State string // available for internet gateways, attached for others
}

func (*InternetGateway) Kind() Kind { return KindInternetGateway }

func init() { RegisterType[InternetGateway]() }

// gatewayIndexes are the filters DescribeInternetGateways finds by index.
var gatewayIndexes = Declare(KindInternetGateway, Same("attachment.vpc-id"), nil)

func (g *InternetGateway) Keys() []store.Key { return attachmentKeys(g.Attachments) }

// attachmentKeys index a gateway (internet or egress-only) by its VPCs.
func attachmentKeys(as []GatewayAttachment) []store.Key {
	var keys []store.Key
	for _, a := range as {
		keys = append(keys, gatewayIndexes.Key("attachment.vpc-id", a.VpcID))
	}
	return keys
}

// AttachedTo reports whether the gateway is attached to the VPC.
func (g *InternetGateway) AttachedTo(vpcID string) bool { return attachedTo(g.Attachments, vpcID) }

func attachedTo(as []GatewayAttachment, vpcID string) bool {
	for _, a := range as {
		if a.VpcID == vpcID {
			return true
		}
	}
	return false
}

// CreateInternetGateway creates a detached internet gateway.
func (c *Cloud) CreateInternetGateway(ctx context.Context, who Caller, specs []TagSpec) (*InternetGateway, error) {
	tags, err := TagsFor(specs, KindInternetGateway)
	if err != nil {
		return nil, err
	}
	var igw *InternetGateway
	err = c.Update(ctx, who, func(t *Txn) error {
		igw = &InternetGateway{Meta: Meta{ID: t.NewID("igw-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[KindInternetGateway]}}
		return Put(t, igw)
	})
	return igw, err
}

// AttachInternetGateway attaches a detached gateway to a VPC that has none.
func (c *Cloud) AttachInternetGateway(ctx context.Context, who Caller, igwID, vpcID string) error {
	return c.Update(ctx, who, func(t *Txn) error {
		igw, err := GetIn[InternetGateway](t, igwID)
		if err != nil {
			return err
		}
		vpc, err := GetIn[VPC](t, vpcID)
		if err != nil {
			return err
		}
		if len(igw.Attachments) > 0 {
			return Errorf(AlreadyAssociated, KindInternetGateway, "resource %s is already attached to network %s", igw.ID, igw.Attachments[0].VpcID)
		}
		taken, err := Exists(t, KindInternetGateway, store.Key{Name: "attachment.vpc-id", Value: vpc.ID})
		if err != nil {
			return err
		}
		if taken {
			return InvalidParam("Network %s already has an internet gateway attached", vpc.ID)
		}
		igw.Attachments = []GatewayAttachment{{VpcID: vpc.ID, State: "available"}}
		return Put(t, igw)
	})
}

// DetachInternetGateway detaches a gateway from its VPC, unless public
// addresses in the VPC still depend on it.
func (c *Cloud) DetachInternetGateway(ctx context.Context, who Caller, igwID, vpcID string) error {
	return c.Update(ctx, who, func(t *Txn) error {
		igw, err := GetIn[InternetGateway](t, igwID)
		if err != nil {
			return err
		}
		vpc, err := GetIn[VPC](t, vpcID)
		if err != nil {
			return err
		}
		if !igw.AttachedTo(vpc.ID) {
			return Errorf(NotAttached, KindInternetGateway, "resource %s is not attached to network %s", igw.ID, vpc.ID)
		}
		mapped, err := hasMappedPublicAddress(t, vpc.ID)
		if err != nil {
			return err
		}
		if mapped {
			return Errorf(DependencyViolation, KindInternetGateway, "Network %s has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.", vpc.ID)
		}
		igw.Attachments = nil
		return Put(t, igw)
	})
}

// hasMappedPublicAddress reports whether any network interface in the VPC
// has a public address mapped to it (an Elastic IP, an instance's public
// IP, a NAT gateway's address).
func hasMappedPublicAddress(t *Txn, vpcID string) (bool, error) {
	enis, err := FindAny[NetworkInterface](t, store.Key{Name: "vpc-id", Value: vpcID})
	if err != nil {
		return false, err
	}
	for _, eni := range enis {
		for _, ip := range eni.PrivateIPs {
			if ip.Association != nil {
				return true, nil
			}
		}
	}
	return false, nil
}

// DeleteInternetGateway deletes a detached gateway.
func (c *Cloud) DeleteInternetGateway(ctx context.Context, who Caller, id string) error {
	return c.Update(ctx, who, func(t *Txn) error {
		igw, err := GetIn[InternetGateway](t, id)
		if err != nil {
			return err
		}
		if len(igw.Attachments) > 0 {
			return HasDependents(KindInternetGateway, igw.ID)
		}
		return Remove(t, igw)
	})
}
