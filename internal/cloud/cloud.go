// Package cloud is the kernel of vpcemu's domain: it runs use cases (each in
// one store transaction, so an error leaves nothing half done) for a caller
// in an account and region, reads and writes the resources of the families
// built on it (internal/cloud/network, elb, privatelink, insights,
// directconnect), and holds what they share: the kind registry, errors,
// tags, quotas and ids.
//
// The kernel knows nothing of HTTP, XML or SQL: the API plane calls the
// families with plain Go values, and the state is reached only through the
// kernel's store port (Store, in port.go), which internal/cloudstore adapts
// to internal/store.
package cloud

import (
	"context"
	"sync"
	"time"

	"github.com/vpcemu/vpcemu/internal/regions"
)

// Caller is who runs a use case, and where.
type Caller struct {
	Account string
	Region  string
	// DryRun runs the use case's checks and rolls everything back; the use
	// case then fails with a DryRun error.
	DryRun bool
}

// Scope is the account and region the caller works in.
func (c Caller) Scope() Scope { return Scope{Account: c.Account, Region: c.Region} }

// Cloud is the kernel: the store, the clock, the id source and the quotas
// that every family's use cases run on.
type Cloud struct {
	store Store
	now   func() time.Time
	ids   IDSource
	// ready remembers scopes whose default resources exist.
	ready sync.Map
	// quotas are the quotas set to other values than AWS's defaults.
	quotas map[string]int
	// observer hears of the work metrics count (nil: nobody).
	observer Observer
}

// Option configures a Cloud.
type Option func(*Cloud)

// WithClock sets the clock (tests inject a fixed one).
func WithClock(now func() time.Time) Option { return func(c *Cloud) { c.now = now } }

// WithIDs sets the id source (tests inject a deterministic one).
func WithIDs(ids IDSource) Option { return func(c *Cloud) { c.ids = ids } }

// New makes a Cloud over s.
func New(s Store, opts ...Option) *Cloud {
	c := &Cloud{store: s, now: time.Now, ids: RandomIDs(), quotas: map[string]int{}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Now is the kernel's clock, for use cases that keep nothing in the store
// (CloudWatch's datapoints).
func (c *Cloud) Now() time.Time { return c.now().UTC() }

// Txn is one use case's transaction, with the caller's scope.
type Txn struct {
	StoreTx
	c     *Cloud
	Scope Scope
	Now   time.Time
}

func (t *Txn) NewID(prefix string) string { return t.c.ids.NewID(prefix) }

// Update runs fn in a write transaction for the caller. A dry run rolls
// back and reports DryRun.
func (c *Cloud) Update(ctx context.Context, who Caller, fn func(t *Txn) error) error {
	if err := c.EnsureScope(ctx, who); err != nil {
		return err
	}
	err := c.store.Update(ctx, func(tx StoreTx) error {
		if err := fn(&Txn{StoreTx: tx, c: c, Scope: who.Scope(), Now: c.now().UTC()}); err != nil {
			return err
		}
		if who.DryRun {
			return errDryRun()
		}
		return nil
	})
	return err
}

// View runs fn in a read transaction for the caller. A dry run that passes
// reports DryRun.
func (c *Cloud) View(ctx context.Context, who Caller, fn func(t *Txn) error) error {
	if err := c.EnsureScope(ctx, who); err != nil {
		return err
	}
	err := c.store.View(ctx, func(tx StoreTx) error {
		return fn(&Txn{StoreTx: tx, c: c, Scope: who.Scope(), Now: c.now().UTC()})
	})
	if err == nil && who.DryRun {
		return errDryRun()
	}
	return err
}

// Region returns the caller's RegionInfo, or an error for a RegionInfo AWS does not
// have.
func (c Caller) RegionInfo() (*regions.Region, error) {
	r, ok := regions.Lookup(c.Region)
	if !ok {
		return nil, Errorf(AuthFailure, "", "Credential should be scoped to a valid region, not '%s'.", c.Region)
	}
	return r, nil
}

// ReadScopes runs fn in one read transaction over several scopes (the
// engine's read model reads every scope a path may cross), each set up
// first. The transaction has no scope of its own: fn reads by kind and
// scope.
func (c *Cloud) ReadScopes(ctx context.Context, scopes []Scope, fn func(t *Txn) error) error {
	for _, sc := range scopes {
		if err := c.EnsureScope(ctx, Caller{Account: sc.Account, Region: sc.Region}); err != nil {
			return err
		}
	}
	return c.store.View(ctx, func(tx StoreTx) error {
		return fn(&Txn{StoreTx: tx, c: c, Now: c.now().UTC()})
	})
}
