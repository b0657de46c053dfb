package network

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// InternetGateway connects a VPC to the internet.
type InternetGateway struct {
	cloud.Meta
	Attachments []GatewayAttachment `json:",omitempty"`
}

// GatewayAttachment ties a gateway to a VPC.
type GatewayAttachment struct {
	VpcID string
	State string // available for internet gateways, attached for others
}

func (*InternetGateway) Kind() cloud.Kind { return cloud.KindInternetGateway }

func init() { cloud.RegisterType[InternetGateway]() }

// gatewayIndexes are the filters DescribeInternetGateways finds by index.
var gatewayIndexes = cloud.Declare(cloud.KindInternetGateway, cloud.Same("attachment.vpc-id"), nil)

func (g *InternetGateway) Keys() []cloud.Key { return attachmentKeys(g.Attachments) }

// attachmentKeys index a gateway (internet or egress-only) by its VPCs.
func attachmentKeys(as []GatewayAttachment) []cloud.Key {
	var keys []cloud.Key
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
func (c *Service) CreateInternetGateway(ctx context.Context, who cloud.Caller, specs []cloud.TagSpec) (*InternetGateway, error) {
	tags, err := cloud.TagsFor(specs, cloud.KindInternetGateway)
	if err != nil {
		return nil, err
	}
	var igw *InternetGateway
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		igw = &InternetGateway{Meta: cloud.Meta{ID: t.NewID("igw-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[cloud.KindInternetGateway]}}
		return cloud.Put(t, igw)
	})
	return igw, err
}

// AttachInternetGateway attaches a detached gateway to a VPC that has none.
func (c *Service) AttachInternetGateway(ctx context.Context, who cloud.Caller, igwID, vpcID string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		igw, err := cloud.GetIn[InternetGateway](t, igwID)
		if err != nil {
			return err
		}
		vpc, err := cloud.GetIn[VPC](t, vpcID)
		if err != nil {
			return err
		}
		if len(igw.Attachments) > 0 {
			return cloud.Errorf(cloud.AlreadyAssociated, cloud.KindInternetGateway, "resource %s is already attached to network %s", igw.ID, igw.Attachments[0].VpcID)
		}
		taken, err := cloud.Exists(t, cloud.KindInternetGateway, cloud.Key{Name: "attachment.vpc-id", Value: vpc.ID})
		if err != nil {
			return err
		}
		if taken {
			return cloud.InvalidParam("Network %s already has an internet gateway attached", vpc.ID)
		}
		igw.Attachments = []GatewayAttachment{{VpcID: vpc.ID, State: "available"}}
		return cloud.Put(t, igw)
	})
}

// DetachInternetGateway detaches a gateway from its VPC, unless public
// addresses in the VPC still depend on it.
func (c *Service) DetachInternetGateway(ctx context.Context, who cloud.Caller, igwID, vpcID string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		igw, err := cloud.GetIn[InternetGateway](t, igwID)
		if err != nil {
			return err
		}
		vpc, err := cloud.GetIn[VPC](t, vpcID)
		if err != nil {
			return err
		}
		if !igw.AttachedTo(vpc.ID) {
			return cloud.Errorf(cloud.NotAttached, cloud.KindInternetGateway, "resource %s is not attached to network %s", igw.ID, vpc.ID)
		}
		mapped, err := hasMappedPublicAddress(t, vpc.ID)
		if err != nil {
			return err
		}
		if mapped {
			return cloud.Errorf(cloud.DependencyViolation, cloud.KindInternetGateway, "Network %s has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.", vpc.ID)
		}
		igw.Attachments = nil
		return cloud.Put(t, igw)
	})
}

// hasMappedPublicAddress reports whether any network interface in the VPC
// has a public address mapped to it (an Elastic IP, an instance's public
// IP, a NAT gateway's address).
func hasMappedPublicAddress(t *cloud.Txn, vpcID string) (bool, error) {
	enis, err := cloud.FindAny[NetworkInterface](t, cloud.Key{Name: "vpc-id", Value: vpcID})
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
func (c *Service) DeleteInternetGateway(ctx context.Context, who cloud.Caller, id string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		igw, err := cloud.GetIn[InternetGateway](t, id)
		if err != nil {
			return err
		}
		if len(igw.Attachments) > 0 {
			return cloud.HasDependents(cloud.KindInternetGateway, igw.ID)
		}
		return cloud.Remove(t, igw)
	})
}
