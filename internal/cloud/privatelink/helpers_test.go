package privatelink

import (
	"context"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/store/sqlite"
)

var (
	alice = cloud.Caller{Account: "111111111111", Region: "us-east-1"}
	bob   = cloud.Caller{Account: "222222222222", Region: "us-east-1"}
)

// fixture is a cloud on a fresh store, used by alice, with a VPC
// 10.0.0.0/16 and a subnet 10.0.1.0/24 in it.
type fixture struct {
	t      *testing.T
	c      *cloud.Cloud
	pl     *Service
	who    cloud.Caller
	ctx    context.Context
	vpc    *cloud.VPC
	subnet *cloud.Subnet
}

// newFixture makes the fixture's cloud with opts; the subnet is in zone,
// or where CreateSubnet puts it when zone is "".
func newFixture(t *testing.T, zone string, opts ...cloud.Option) fixture {
	t.Helper()
	s, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c := cloud.New(s, opts...)
	f := fixture{t: t, c: c, pl: New(c), who: alice, ctx: context.Background()}
	if f.vpc, err = f.c.CreateVPC(f.ctx, f.who, cloud.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	if f.subnet, err = f.c.CreateSubnet(f.ctx, f.who, cloud.CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.1.0/24", AvailabilityZone: zone}); err != nil {
		t.Fatal(err)
	}
	return f
}

// wantReason fails unless err is a domain error with reason r, kind and a
// message that contains msg ("" for any message).
func wantReason(t *testing.T, err error, r cloud.Reason, kind cloud.Kind, msg string) {
	t.Helper()
	e, ok := cloud.AsError(err)
	if !ok || e.Reason != r || e.Kind != kind || !strings.Contains(e.Msg, msg) {
		t.Fatalf("want reason %d kind %q %q, got %v", r, kind, msg, err)
	}
}

// readAs reads a resource as Describe shows it, derived fields resolved.
func readAs[T any, P cloud.ObjectPtr[T]](f fixture, id string) P {
	f.t.Helper()
	var p P
	err := f.c.View(f.ctx, f.who, func(t *cloud.Txn) (err error) {
		if p, err = cloud.GetIn[T, P](t, id); err != nil {
			return err
		}
		if r, ok := any(p).(cloud.Resolver); ok {
			return r.Resolve(t)
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}
