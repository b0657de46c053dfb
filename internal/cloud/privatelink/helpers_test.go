package privatelink

import (
	"context"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

var alice, bob = cloudtest.Alice, cloudtest.Bob

// fixture is a cloud on a fresh store, used by alice, with a VPC
// 10.0.0.0/16 and a subnet 10.0.1.0/24 in it.
type fixture struct {
	t      *testing.T
	c      *cloud.Cloud
	net    *network.Service
	pl     *Service
	elbs   *elb.Service
	who    cloud.Caller
	ctx    context.Context
	vpc    *network.VPC
	subnet *network.Subnet
}

// newFixture makes the fixture's cloud with opts; the subnet is in zone,
// or where CreateSubnet puts it when zone is "".
func newFixture(t *testing.T, zone string, opts ...cloud.Option) fixture {
	t.Helper()
	c := cloudtest.Open(t, opts...)
	f := fixture{t: t, c: c, net: network.New(c), pl: New(c), elbs: elb.New(c), who: alice, ctx: context.Background()}
	var err error
	if f.vpc, err = f.net.CreateVPC(f.ctx, f.who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	if f.subnet, err = f.net.CreateSubnet(f.ctx, f.who, network.CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.1.0/24", AvailabilityZone: zone}); err != nil {
		t.Fatal(err)
	}
	return f
}

var wantReason = cloudtest.WantReason

// readAs reads a resource as Describe shows it, derived fields resolved.
func readAs[T any, P cloud.ObjectPtr[T]](f fixture, id string) P {
	f.t.Helper()
	return cloudtest.ReadAs[T, P](f.t, f.c, f.who, id)
}
