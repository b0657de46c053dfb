package netview

import (
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// Live serves one snapshot while nothing is written, a new one as soon as
// anything is, in any account, and a new one once MaxAge has passed.
func TestLive(t *testing.T) {
	f := newFixture(t, "us-east-1a")
	l := NewLive(f.c)
	clock := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return clock }
	first, err := l.Current(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first.VPC(f.vpc.ID) == nil {
		t.Fatal("the snapshot lacks the VPC")
	}
	if again, _ := l.Current(f.ctx); again != first {
		t.Error("rebuilt without a write")
	}
	other, err := f.net.CreateVPC(f.ctx, bob, network.CreateVPCInput{CIDRBlock: "10.9.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := l.Current(f.ctx)
	if after == first || after.VPC(other.ID) == nil || after.VPC(f.vpc.ID) == nil {
		t.Fatal("another account's write did not show at once")
	}
	clock = clock.Add(MaxAge)
	if aged, _ := l.Current(f.ctx); aged == after {
		t.Error("served past MaxAge")
	}
}
