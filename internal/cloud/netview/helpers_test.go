package netview

import (
	"context"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

var bob = cloudtest.Bob

// fixture is a cloud on a fresh store, used by alice, with a VPC
// 10.0.0.0/16 and a subnet 10.0.1.0/24 in it.
type fixture struct {
	t      *testing.T
	c      *cloud.Cloud
	net    *network.Service
	who    cloud.Caller
	ctx    context.Context
	vpc    *network.VPC
	subnet *network.Subnet
}

func newFixture(t *testing.T, zone string) fixture {
	t.Helper()
	c := cloudtest.Open(t)
	f := fixture{t: t, c: c, net: network.New(c), who: cloudtest.Alice, ctx: context.Background()}
	var err error
	if f.vpc, err = f.net.CreateVPC(f.ctx, f.who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	if f.subnet, err = f.net.CreateSubnet(f.ctx, f.who, network.CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.1.0/24", AvailabilityZone: zone}); err != nil {
		t.Fatal(err)
	}
	return f
}
