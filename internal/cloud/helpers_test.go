package cloud

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/store"
	"github.com/vpcemu/vpcemu/internal/store/sqlite"
)

var (
	alice = Caller{Account: "111111111111", Region: "us-east-1"}
	bob   = Caller{Account: "222222222222", Region: "us-east-1"}
)

// openCloud is a cloud on a fresh in-memory store, closed when the test
// ends.
func openCloud(t *testing.T, opts ...Option) *Cloud {
	t.Helper()
	s, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return New(s, opts...)
}

// newCloud is a cloud with sequential ids and a clock that stands still.
func newCloud(t *testing.T) *Cloud {
	t.Helper()
	return openCloud(t, WithIDs(SequentialIDs()), WithClock(func() time.Time { return time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC) }))
}

// wantReason fails unless err is a domain error with reason r, kind and a
// message that contains msg ("" for any message).
func wantReason(t *testing.T, err error, r Reason, kind Kind, msg string) {
	t.Helper()
	e, ok := AsError(err)
	if !ok || e.Reason != r || e.Kind != kind || !strings.Contains(e.Msg, msg) {
		t.Fatalf("want reason %d kind %q %q, got %v", r, kind, msg, err)
	}
}

// refusedWith fails unless err is a domain error with reason r, whatever
// its kind and message; what names the case.
func refusedWith(t *testing.T, err error, r Reason, what string) {
	t.Helper()
	e, ok := AsError(err)
	if !ok || e.Reason != r {
		t.Fatalf("%s: want reason %d, got %v", what, r, err)
	}
}

// fixture is a cloud on a fresh store, used by alice, with a VPC
// 10.0.0.0/16 and a subnet 10.0.1.0/24 in it. The fixtures of the resource
// kinds embed it.
type fixture struct {
	t      *testing.T
	c      *Cloud
	who    Caller
	ctx    context.Context
	vpc    *VPC
	subnet *Subnet
}

// newFixture makes the fixture's cloud with opts; the subnet is in zone,
// or where CreateSubnet puts it when zone is "".
func newFixture(t *testing.T, zone string, opts ...Option) fixture {
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
func (f fixture) write(fn func(t *Txn) error) {
	f.t.Helper()
	if err := f.c.Update(f.ctx, f.who, fn); err != nil {
		f.t.Fatal(err)
	}
}

// readAs reads a resource as Describe shows it, derived fields resolved.
func readAs[T any, P ObjectPtr[T]](f fixture, id string) P {
	f.t.Helper()
	var p P
	err := f.c.View(f.ctx, f.who, func(t *Txn) (err error) {
		if p, err = GetIn[T, P](t, id); err != nil {
			return err
		}
		if r, ok := any(p).(Resolver); ok {
			return r.Resolve(t)
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// address reads an Elastic IP.
func (f fixture) address(id string) *Address { return readAs[Address](f, id) }

// publicIPHeld reports whether the public pool has the address taken.
func (f fixture) publicIPHeld(ip string) bool {
	f.t.Helper()
	held := false
	err := f.c.View(f.ctx, f.who, func(t *Txn) error {
		_, err := t.Get(KindPublicIP, ip)
		if errors.Is(err, store.ErrNotFound) {
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
