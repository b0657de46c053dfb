// Package cloudtest is what the domain families' tests share: callers, a
// kernel on a fresh in-memory store, and checks of the domain's refusals.
package cloudtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloudstore"
	"github.com/vpcemu/vpcemu/internal/store/sqlite"
)

// Two accounts in us-east-1.
var (
	Alice = cloud.Caller{Account: "111111111111", Region: "us-east-1"}
	Bob   = cloud.Caller{Account: "222222222222", Region: "us-east-1"}
)

// Open is a kernel on a fresh in-memory store, closed when the test ends.
func Open(t testing.TB, opts ...cloud.Option) *cloud.Cloud {
	t.Helper()
	s, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return cloud.New(cloudstore.New(s), opts...)
}

// Fixed is a kernel with sequential ids and a clock that stands still.
func Fixed(t testing.TB) *cloud.Cloud {
	t.Helper()
	return Open(t, cloud.WithIDs(cloud.SequentialIDs()), cloud.WithClock(func() time.Time { return time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC) }))
}

// Read runs fn in a read transaction of Alice's on c.
func Read(t testing.TB, c *cloud.Cloud, fn func(tx *cloud.Txn) error) {
	t.Helper()
	if err := c.View(context.Background(), Alice, fn); err != nil {
		t.Fatal(err)
	}
}

// WantReason fails unless err is a domain error with reason r, kind and a
// message that contains msg ("" for any message).
func WantReason(t testing.TB, err error, r cloud.Reason, kind cloud.Kind, msg string) {
	t.Helper()
	e, ok := cloud.AsError(err)
	if !ok || e.Reason != r || e.Subject != kind || !strings.Contains(e.Msg, msg) {
		t.Fatalf("want reason %d kind %q %q, got %v", r, kind, msg, err)
	}
}

// RefusedWith fails unless err is a domain error with reason r, whatever
// its kind and message; what names the case.
func RefusedWith(t testing.TB, err error, r cloud.Reason, what string) {
	t.Helper()
	e, ok := cloud.AsError(err)
	if !ok || e.Reason != r {
		t.Fatalf("%s: want reason %d, got %v", what, r, err)
	}
}

// ReadAs reads a resource of who's as Describe shows it, derived fields
// resolved.
func ReadAs[T any, P cloud.ObjectPtr[T]](t testing.TB, c *cloud.Cloud, who cloud.Caller, id string) P {
	t.Helper()
	var p P
	err := c.View(context.Background(), who, func(tx *cloud.Txn) (err error) {
		if p, err = cloud.GetIn[T, P](tx, id); err != nil {
			return err
		}
		if r, ok := any(p).(cloud.Resolver); ok {
			return r.Resolve(tx)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}
