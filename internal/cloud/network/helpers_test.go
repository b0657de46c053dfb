package network

import (
	"context"
	"errors"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

var alice, bob = cloudtest.Alice, cloudtest.Bob

var (
	wantReason  = cloudtest.WantReason
	refusedWith = cloudtest.RefusedWith
)

// openCloud is the network family on a fresh in-memory store, closed when
// the test ends.
func openCloud(t *testing.T, opts ...cloud.Option) *Service {
	t.Helper()
	return New(cloudtest.Open(t, opts...))
}

// newCloud is the family with sequential ids and a clock that stands still.
func newCloud(t *testing.T) *Service {
	t.Helper()
	return New(cloudtest.Fixed(t))
}

// fixture is a cloud on a fresh store, used by alice, with a VPC
// 10.0.0.0/16 and a subnet 10.0.1.0/24 in it. The fixtures of the resource
// kinds embed it.
type fixture struct {
	t      *testing.T
	c      *Service
	who    cloud.Caller
	ctx    context.Context
	vpc    *VPC
	subnet *Subnet
}

// newFixture makes the fixture's cloud with opts; the subnet is in zone,
// or where CreateSubnet puts it when zone is "".
func newFixture(t *testing.T, zone string, opts ...cloud.Option) fixture {
	t.Helper()
	f := fixture{t: t, c: openCloud(t, opts...), who: alice, ctx: context.Background()}
	var err error
	if f.vpc, err = f.c.CreateVPC(f.ctx, f.who, CreateVPCInput{CIDRBlock: "10.0.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	if f.subnet, err = f.c.CreateSubnet(f.ctx, f.who, CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.1.0/24", AvailabilityZone: zone}); err != nil {
		t.Fatal(err)
	}
	return f
}

// write runs fn in a write transaction of the fixture's caller.
func (f fixture) write(fn func(t *cloud.Txn) error) {
	f.t.Helper()
	if err := f.c.Update(f.ctx, f.who, fn); err != nil {
		f.t.Fatal(err)
	}
}

// read runs fn in a read transaction of the fixture's caller.
func (f fixture) read(fn func(t *cloud.Txn) error) {
	f.t.Helper()
	if err := f.c.View(f.ctx, f.who, fn); err != nil {
		f.t.Fatal(err)
	}
}

// readAs reads a resource as Describe shows it, derived fields resolved.
func readAs[T any, P cloud.ObjectPtr[T]](f fixture, id string) P {
	f.t.Helper()
	return cloudtest.ReadAs[T, P](f.t, f.c.Cloud, f.who, id)
}

// address reads an Elastic IP.
func (f fixture) address(id string) *Address { return readAs[Address](f, id) }

// publicIPHeld reports whether the public pool has the address taken.
func (f fixture) publicIPHeld(ip string) bool {
	f.t.Helper()
	held := false
	err := f.c.View(f.ctx, f.who, func(t *cloud.Txn) error {
		_, err := t.Get(cloud.KindPublicIP, ip)
		if errors.Is(err, cloud.ErrNoRecord) {
			return nil
		}
		held = err == nil
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return held
}
