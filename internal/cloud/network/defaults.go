package network

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/regions"
)

func init() { cloud.OnNewScope(setUpScope) }

// setUpScope makes what AWS gives every account in a region: default DHCP
// options and a default VPC.
func setUpScope(t *cloud.Txn, region *regions.Region) error {
	if err := cloud.Put(t, newDefaultDHCPOptions(t)); err != nil {
		return err
	}
	_, err := createDefaultVPC(t, region)
	return err
}

// defaultVPCBlock is the block of every default VPC.
var defaultVPCBlock = netip.MustParsePrefix("172.31.0.0/16")

// createDefaultVPC makes a default VPC as AWS does: 172.31.0.0/16, a /20
// default subnet in each zone that gives instances public addresses, and an
// internet gateway that the main route table sends everything else to.
func createDefaultVPC(t *cloud.Txn, region *regions.Region) (*VPC, error) {
	dopt, err := defaultDHCPOptions(t)
	if err != nil {
		return nil, err
	}
	vpc, err := createVPC(t, vpcSpec{cidr: defaultVPCBlock, tenancy: "default", dhcp: dopt, isDefault: true})
	if err != nil {
		return nil, err
	}
	igw := &InternetGateway{
		Meta:        cloud.Meta{ID: t.NewID("igw-"), Owner: t.Scope.Account, Region: t.Scope.Region},
		Attachments: []GatewayAttachment{{VpcID: vpc.ID, State: "available"}},
	}
	if err := cloud.Put(t, igw); err != nil {
		return nil, err
	}
	rt, err := cloud.GetIn[RouteTable](t, vpc.MainRouteTableID)
	if err != nil {
		return nil, err
	}
	rt.Routes = append(rt.Routes, Route{DestinationCIDR: "0.0.0.0/0", GatewayID: igw.ID, Origin: "CreateRoute"})
	if err := cloud.Put(t, rt); err != nil {
		return nil, err
	}
	for i, z := range region.Zones {
		if _, err := createDefaultSubnet(t, vpc, z, i); err != nil {
			return nil, err
		}
	}
	return vpc, nil
}

// createDefaultSubnet makes the default subnet of a zone: the i-th /20 of
// the default VPC.
func createDefaultSubnet(t *cloud.Txn, vpc *VPC, z regions.Zone, i int) (*Subnet, error) {
	block := fmt.Sprintf("172.31.%d.0/20", 16*i)
	s, err := createSubnet(t, vpc, block, z.Name, z.ID, nil)
	if err != nil {
		return nil, err
	}
	s.DefaultForAZ = true
	s.MapPublicIPOnLaunch = true
	return s, cloud.Put(t, s)
}

// defaultVPC returns the caller's default VPC, or nil when it was deleted.
func defaultVPC(t *cloud.Txn) (*VPC, error) {
	vpcs, err := cloud.FindIn[VPC](t, cloud.Key{Name: "default-for", Value: cloud.ScopeKey(t.Scope)})
	if err != nil || len(vpcs) == 0 {
		return nil, err
	}
	return vpcs[0], nil
}

// DefaultVPC returns the caller's default VPC, or nil when there is none.
func (c *Service) DefaultVPC(ctx context.Context, who cloud.Caller) (*VPC, error) {
	var vpc *VPC
	err := c.View(ctx, who, func(t *cloud.Txn) (err error) {
		vpc, err = defaultVPC(t)
		return err
	})
	return vpc, err
}

// CreateDefaultVPC makes a new default VPC after the old one was deleted.
func (c *Service) CreateDefaultVPC(ctx context.Context, who cloud.Caller) (*VPC, error) {
	region, err := who.RegionInfo()
	if err != nil {
		return nil, err
	}
	var vpc *VPC
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		old, err := defaultVPC(t)
		if err != nil {
			return err
		}
		if old != nil {
			return cloud.Errorf(cloud.AlreadyAssociated, cloud.KindVPC, "A Default VPC already exists for this account in this region.")
		}
		vpc, err = createDefaultVPC(t, region)
		return err
	})
	return vpc, err
}

// CreateDefaultSubnet makes the default subnet of a zone that lacks one.
func (c *Service) CreateDefaultSubnet(ctx context.Context, who cloud.Caller, zone string) (*Subnet, error) {
	region, err := who.RegionInfo()
	if err != nil {
		return nil, err
	}
	z, ok := region.Zone(zone)
	if !ok {
		return nil, cloud.InvalidParam("Value (%s) for parameter availabilityZone is invalid.", zone)
	}
	index := 0
	for i, rz := range region.Zones {
		if rz.Name == z.Name {
			index = i
		}
	}
	var s *Subnet
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		vpc, err := defaultVPC(t)
		if err != nil {
			return err
		}
		if vpc == nil {
			return cloud.Errorf(cloud.NoDefaultVPC, cloud.KindVPC, "No default VPC exists for this account in this region.")
		}
		subnets, err := cloud.FindIn[Subnet](t, cloud.Key{Name: "vpc-id", Value: vpc.ID})
		if err != nil {
			return err
		}
		for _, o := range subnets {
			if o.DefaultForAZ && o.AvailabilityZone == z.Name {
				return cloud.Errorf(cloud.AlreadyAssociated, cloud.KindSubnet, "A Default Subnet already exists in %s.", z.Name)
			}
		}
		s, err = createDefaultSubnet(t, vpc, z, index)
		return err
	})
	return s, err
}
