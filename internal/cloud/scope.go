package cloud

import (
	"context"
	"errors"

	"github.com/vpcemu/vpcemu/internal/regions"
)

// ScopeKey is a scope as one index value ("111111111111/us-east-1").
func ScopeKey(s Scope) string { return s.Account + "/" + s.Region }

// scopeSetups make what AWS gives every account in a region; families
// register them (OnNewScope).
var scopeSetups []func(t *Txn, region *regions.Region) error

// OnNewScope registers what a family makes in a scope the first time an
// account works there; families call it from init.
func OnNewScope(setUp func(t *Txn, region *regions.Region) error) {
	scopeSetups = append(scopeSetups, setUp)
}

// Scopes are the accounts and regions that have worked in vpcemu (each
// got its scope set up), in order.
func Scopes(tx StoreTx) ([]Scope, error) {
	var out []Scope
	err := tx.ScanKind(KindScopeReady, "", func(r *Record) bool {
		out = append(out, r.Scope)
		return true
	})
	return out, err
}

// Revision is a number that moves whenever a write ends: a read model
// built at one revision (an engine snapshot, a DNS view) is current while
// it has not moved. State derived from the clock (a provisioning delay
// passing) changes without it.
func (c *Cloud) Revision() uint64 { return c.store.Revision() }

// EnsureScope gives an account, the first time it works in a region, what
// AWS gives every account there (the families' scope setups: the network
// family's default DHCP options and default VPC), once.
func (c *Cloud) EnsureScope(ctx context.Context, who Caller) error {
	scope := who.Scope()
	key := ScopeKey(scope)
	if _, ok := c.ready.Load(key); ok {
		return nil
	}
	region, err := who.RegionInfo()
	if err != nil {
		return err
	}
	err = c.store.Update(ctx, func(tx StoreTx) error {
		_, err := tx.Get(KindScopeReady, key)
		if err == nil {
			return nil
		}
		if !errors.Is(err, ErrNoRecord) {
			return err
		}
		t := &Txn{StoreTx: tx, c: c, Scope: scope, Now: c.now().UTC()}
		for _, setUp := range scopeSetups {
			if err := setUp(t, region); err != nil {
				return err
			}
		}
		return tx.Put(&Record{Kind: KindScopeReady, ID: key, Scope: scope, Body: []byte("{}")})
	})
	if err != nil {
		return err
	}
	if !c.store.Shared(ctx) { // a shared transaction may yet roll back
		c.ready.Store(key, true)
	}
	return nil
}
