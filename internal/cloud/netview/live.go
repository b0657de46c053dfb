package netview

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Live keeps a snapshot of the whole cloud (every scope that has worked in
// vpcemu, with private hosted zones) current for readers that ask on every
// packet or query (the data plane, its DNS server): Current rebuilds it
// only when the kernel's revision has moved, or when it is older than
// MaxAge, since state derived from the clock (a provisioning delay
// passing, a peering request expiring) changes without a write.
type Live struct {
	c      *cloud.Cloud
	maxAge time.Duration
	now    func() time.Time
	cur    atomic.Pointer[liveSnapshot]
	mu     sync.Mutex // one rebuild at a time
}

type liveSnapshot struct {
	rev   uint64
	built time.Time
	snap  *Snapshot
}

// MaxAge is how long a snapshot serves while the revision has not moved.
const MaxAge = time.Second

// NewLive keeps the kernel c's snapshot.
func NewLive(c *cloud.Cloud) *Live { return &Live{c: c, maxAge: MaxAge, now: time.Now} }

// Current is the snapshot as of the kernel's current revision. A snapshot
// only past MaxAge (nothing written since) still serves while one caller
// rebuilds it in the background, so readers do not queue behind the
// rebuild; a write makes every reader wait for the new one.
func (l *Live) Current(ctx context.Context) (*Snapshot, error) {
	rev := l.c.Revision()
	if s := l.cur.Load(); s != nil && s.rev == rev {
		if l.now().Sub(s.built) < l.maxAge {
			return s.snap, nil
		}
		if l.mu.TryLock() {
			go func() {
				defer l.mu.Unlock()
				l.rebuild(context.WithoutCancel(ctx))
			}()
		}
		return s.snap, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	rev = l.c.Revision()
	if s := l.cur.Load(); s != nil && s.rev == rev && l.now().Sub(s.built) < l.maxAge {
		return s.snap, nil // another caller rebuilt it
	}
	return l.rebuild(ctx)
}

// rebuild builds the snapshot as of the current revision; l.mu is held.
func (l *Live) rebuild(ctx context.Context) (*Snapshot, error) {
	rev, built := l.c.Revision(), l.now()
	snap, err := Build(ctx, l.c, SnapshotInput{Every: true, Zones: true})
	if err != nil {
		return nil, err
	}
	// The revision read before building: a write during the build moves
	// it past, and the next caller builds again.
	l.cur.Store(&liveSnapshot{rev: rev, built: built, snap: snap})
	return snap, nil
}
