package netview

import (
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// Live serves one snapshot while nothing is written, a new one as soon as
// anything is, in any account, and once MaxAge has passed the old one
// while a new one is built.
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
	l.mu.Lock() // the clock moves under the lock the rebuild takes
	clock = clock.Add(MaxAge)
	l.mu.Unlock()
	if stale, _ := l.Current(f.ctx); stale != after {
		t.Error("an aged snapshot was not served while rebuilt")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if s, _ := l.Current(f.ctx); s != after {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("an aged snapshot was never rebuilt")
		}
		time.Sleep(time.Millisecond)
	}
}
