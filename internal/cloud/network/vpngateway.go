package network

import (
	"context"
	"slices"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// VPNGateway (vgw-…) is a virtual private gateway: the VPC's side of a
// VPN connection or of a Direct Connect private virtual interface (directly
// or through a Direct Connect gateway). It attaches to one VPC at a time;
// its detached attachments stay listed, as AWS lists them.
type VPNGateway struct {
	cloud.Meta
	Type             string // ipsec.1
	AvailabilityZone string `json:",omitempty"`
	AmazonSideASN    int64
	Attachments      []GatewayAttachment `json:",omitempty"`
}

func (*VPNGateway) Kind() cloud.Kind { return cloud.KindVPNGateway }

func init() { cloud.RegisterType[VPNGateway]() }

// vpnGatewayIndexes are the filters DescribeVpnGateways finds by index.
var vpnGatewayIndexes = cloud.Declare(cloud.KindVPNGateway, cloud.Same("attachment.vpc-id"), nil)

// Keys index the gateway by the VPC it is attached to (not those it was).
func (g *VPNGateway) Keys() []cloud.Key {
	var keys []cloud.Key
	for _, a := range g.Attachments {
		if a.State != "detached" {
			keys = append(keys, vpnGatewayIndexes.Key("attachment.vpc-id", a.VpcID))
		}
	}
	return keys
}

// ARN is the gateway's Amazon Resource Name.
func (g *VPNGateway) ARN() string { return g.EC2ARN(string(cloud.KindVPNGateway)) }

// AttachedVPC is the VPC the gateway is attached to, or "".
func (g *VPNGateway) AttachedVPC() string {
	for _, a := range g.Attachments {
		if a.State != "detached" {
			return a.VpcID
		}
	}
	return ""
}

// VPNGatewayType is the one type of virtual private gateway.
const VPNGatewayType = "ipsec.1"

// DefaultAmazonSideASN is the ASN of a gateway created without one.
const DefaultAmazonSideASN = 64512

// NewVPNGateway is what CreateVpnGateway asks for; a zero ASN is the
// default.
type NewVPNGateway struct {
	Type             string
	AvailabilityZone string
	AmazonSideASN    int64
	Tags             []cloud.TagSpec
}

// CreateVPNGateway creates a detached virtual private gateway, available at
// once.
func (c *Service) CreateVPNGateway(ctx context.Context, who cloud.Caller, in NewVPNGateway) (*VPNGateway, error) {
	tags, err := cloud.TagsFor(in.Tags, cloud.KindVPNGateway)
	if err != nil {
		return nil, err
	}
	if in.Type != VPNGatewayType {
		return nil, cloud.InvalidParam("Value (%s) for parameter type is invalid. Valid value: %s", in.Type, VPNGatewayType)
	}
	if in.AmazonSideASN == 0 {
		in.AmazonSideASN = DefaultAmazonSideASN
	}
	if !(in.AmazonSideASN >= 64512 && in.AmazonSideASN <= 65534 || in.AmazonSideASN >= 4200000000 && in.AmazonSideASN <= 4294967294) {
		return nil, cloud.InvalidParam("Value (%d) for parameter amazonSideAsn is invalid. Amazon side ASN must be in the range 64512-65534 or 4200000000-4294967294.", in.AmazonSideASN)
	}
	if in.AvailabilityZone != "" {
		region, err := who.RegionInfo()
		if err != nil {
			return nil, err
		}
		if _, ok := region.Zone(in.AvailabilityZone); !ok {
			return nil, cloud.InvalidParam("Value (%s) for parameter availabilityZone is invalid. Valid zones: %s.", in.AvailabilityZone, strings.Join(region.ZoneNames(), ", "))
		}
	}
	var g *VPNGateway
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		g = &VPNGateway{
			Meta: cloud.Meta{ID: t.NewID("vgw-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[cloud.KindVPNGateway]},
			Type: in.Type, AvailabilityZone: in.AvailabilityZone, AmazonSideASN: in.AmazonSideASN,
		}
		return cloud.Put(t, g)
	})
	return g, err
}

// AttachVPNGateway attaches a gateway to a VPC of the caller's, one gateway
// per VPC and one VPC per gateway. The answer says attaching; reads find it
// attached.
func (c *Service) AttachVPNGateway(ctx context.Context, who cloud.Caller, vgwID, vpcID string) (GatewayAttachment, error) {
	var out GatewayAttachment
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := cloud.GetIn[VPNGateway](t, vgwID)
		if err != nil {
			return err
		}
		vpc, err := cloud.GetIn[VPC](t, vpcID)
		if err != nil {
			return err
		}
		if other := g.AttachedVPC(); other != "" {
			if other == vpc.ID {
				return cloud.Errorf(cloud.IncorrectState, cloud.KindVPC, "VPC %s is currently attached to the Virtual Private Gateway.", vpc.ID)
			}
			return cloud.Errorf(cloud.IncorrectState, cloud.KindVPNGateway, "The virtual private gateway %s is already attached to %s.", g.ID, other)
		}
		taken, err := cloud.Exists(t, cloud.KindVPNGateway, vpnGatewayIndexes.Key("attachment.vpc-id", vpc.ID))
		if err != nil {
			return err
		}
		if taken {
			return cloud.Errorf(cloud.IncorrectState, cloud.KindVPC, "VPC %s is currently attached to the Virtual Private Gateway.", vpc.ID)
		}
		g.Attachments = slices.DeleteFunc(g.Attachments, func(a GatewayAttachment) bool { return a.VpcID == vpc.ID })
		g.Attachments = append(g.Attachments, GatewayAttachment{VpcID: vpc.ID, State: "attached"})
		out = GatewayAttachment{VpcID: vpc.ID, State: "attaching"}
		return cloud.Put(t, g)
	})
	return out, err
}

// DetachVPNGateway detaches a gateway from its VPC; the attachment stays
// listed as detached.
func (c *Service) DetachVPNGateway(ctx context.Context, who cloud.Caller, vgwID, vpcID string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := cloud.GetIn[VPNGateway](t, vgwID)
		if err != nil {
			return err
		}
		if _, err := cloud.GetIn[VPC](t, vpcID); err != nil {
			return err
		}
		if g.AttachedVPC() != vpcID {
			return cloud.Errorf(cloud.NotFound, cloud.SubjectVPNGatewayAttachment, "The attachment with vpn gateway ID '%s' and vpc ID '%s' does not exist", g.ID, vpcID)
		}
		for i := range g.Attachments {
			if g.Attachments[i].VpcID == vpcID {
				g.Attachments[i].State = "detached"
			}
		}
		return cloud.Put(t, g)
	})
}

// DeleteVPNGateway deletes a gateway that is attached to no VPC. One still
// attached is refused as EC2 refuses it, IncorrectState "The VPN gateway
// is in use." (AWS's answer in terraform-provider-aws PR #5831, whose
// sweeper then detached VPCs first; OpenStack's ec2-api, which copies
// EC2's errors, answers the same for a gateway with a VPC), and stays as
// it was.
func (c *Service) DeleteVPNGateway(ctx context.Context, who cloud.Caller, id string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := cloud.GetIn[VPNGateway](t, id)
		if err != nil {
			return err
		}
		if g.AttachedVPC() != "" {
			return cloud.Errorf(cloud.IncorrectState, cloud.KindVPNGateway, "The VPN gateway is in use.")
		}
		return cloud.Remove(t, g)
	})
}
