package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/store"
)

// Meta is what every resource has: its id, its owner scope and its tags.
type Meta struct {
	ID     string
	Owner  string
	Region string
	Tags   Tags `json:",omitempty"`
}

func (m *Meta) meta() *Meta { return m }

// Scope is the account and region that own the resource.
func (m *Meta) Scope() Scope { return Scope{Account: m.Owner, Region: m.Region} }

// EC2ARN is the Amazon Resource Name of an EC2 resource of a type
// ("vpc", "network-interface", …).
func (m *Meta) EC2ARN(resourceType string) string {
	return arn.EC2(m.Region, m.Owner, resourceType, m.ID)
}

// Object is a stored resource. Only this package implements it.
type Object interface {
	meta() *Meta
	// kind is called on nil pointers too: it must not read the receiver.
	kind() Kind
	// keys are the kind's own lookups; tag keys are added by put.
	keys() []store.Key
}

// objectPtr is the constraint of the generic persistence helpers: *T is an
// object.
type objectPtr[T any] interface {
	*T
	Object
}

// expirer is implemented by resources AWS keeps showing for a while after
// they are gone (a deleted NAT gateway, a terminated instance, for an
// hour): once expired, List treats them as absent.
type expirer interface {
	expired(now time.Time) bool
}

// gone reports whether a resource has expired.
func gone(t *txn, o any) bool {
	e, ok := o.(expirer)
	return ok && e.expired(t.now)
}

// shared is implemented by resources that more than one scope sees: a VPC
// peering connection is seen by its requester and by its accepter, each in
// its own region. Their records carry a seenByKey for each such scope, so
// that List finds them by the caller's key instead of scanning the owner's
// scope; seenBy decides what the caller sees now (the two sides of a closed
// connection see it for different times).
type shared interface {
	seenBy(s Scope, now time.Time) bool
}

// seenByKey is the index key that lists a shared resource for a scope.
func seenByKey(s Scope) store.Key { return store.Key{Name: "seen-by", Value: scopeKey(s)} }

// isShared reports whether the resources of P are shared.
func isShared[T any, P objectPtr[T]]() bool {
	_, ok := any(P(nil)).(shared)
	return ok
}

// visible reports whether the caller sees a resource now: one of its own
// that has not expired, or a shared one shown to its scope.
func visible(t *txn, o Object) bool {
	if s, ok := o.(shared); ok {
		return s.seenBy(t.scope, t.now)
	}
	return o.meta().Scope() == t.scope && !gone(t, o)
}

// scanVisible calls fn with each record of kind the caller may see, in id
// order after `after`, until fn returns false: the records of the caller's
// scope or, for a shared kind, those listed for it.
func scanVisible(t *txn, kind Kind, shared bool, after string, fn func(*store.Record) bool) error {
	if !shared {
		return t.Scan(kind, t.scope, after, fn)
	}
	return t.Find(kind, seenByKey(t.scope), func(r *store.Record) bool {
		return r.ID <= after || fn(r)
	})
}

// getVisible reads a resource the caller sees (its own, or a shared one
// shown to it) or fails with NotFound.
func getVisible[T any, P objectPtr[T]](t *txn, id string) (P, error) {
	p, err := getAny[T, P](t.Tx, id)
	if err != nil {
		return nil, err
	}
	if !visible(t, p) {
		return nil, notFound(P(nil).kind(), id)
	}
	return p, nil
}

// resolver is implemented by resources with fields derived on read (a
// route's state, say); describe calls it before filtering.
type resolver interface {
	resolve(t *txn) error
}

func decode[T any, P objectPtr[T]](r *store.Record) (P, error) {
	p := P(new(T))
	if err := unmarshal(r.Body, p); err != nil {
		return nil, fmt.Errorf("decoding %s %s: %w", r.Kind, r.ID, err)
	}
	return p, nil
}

// getIn reads a resource of the caller's scope or fails with NotFound.
func getIn[T any, P objectPtr[T]](t *txn, id string) (P, error) {
	p, err := getAny[T, P](t.Tx, id)
	if err != nil {
		return nil, err
	}
	if p.meta().Scope() != t.scope {
		return nil, notFound(P(nil).kind(), id)
	}
	return p, nil
}

// getAny reads a resource of any scope (for cross-account references).
func getAny[T any, P objectPtr[T]](tx store.Tx, id string) (P, error) {
	k := P(nil).kind()
	r, err := tx.Get(k, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound(k, id)
	}
	if err != nil {
		return nil, err
	}
	return decode[T, P](r)
}

// put writes a resource with its keys and tag keys.
func put(t *txn, o Object) error {
	m := o.meta()
	body, err := json.Marshal(o)
	if err != nil {
		return err
	}
	keys := o.keys()
	for k, v := range m.Tags {
		keys = append(keys, store.Key{Name: "tag:" + k, Value: v}, store.Key{Name: "tag-key", Value: k})
	}
	return t.Put(&store.Record{Kind: o.kind(), ID: m.ID, Scope: m.Scope(), Body: body, Keys: keys})
}

// remove deletes a resource.
func remove(t *txn, o Object) error { return t.Delete(o.kind(), o.meta().ID) }

// findIn lists the caller's resources of one kind that have key.
func findIn[T any, P objectPtr[T]](t *txn, key store.Key) ([]P, error) {
	return find[T, P](t.Tx, key, &t.scope)
}

// findAny lists the resources of one kind that have key, in any scope.
func findAny[T any, P objectPtr[T]](t *txn, key store.Key) ([]P, error) {
	return find[T, P](t.Tx, key, nil)
}

func find[T any, P objectPtr[T]](tx store.Tx, key store.Key, scope *Scope) ([]P, error) {
	var out []P
	var derr error
	err := tx.Find(P(nil).kind(), key, func(r *store.Record) bool {
		if scope != nil && r.Scope != *scope {
			return true
		}
		p, err := decode[T, P](r)
		if err != nil {
			derr = err
			return false
		}
		out = append(out, p)
		return true
	})
	if err == nil {
		err = derr
	}
	return out, err
}

// exists reports whether any resource of kind has key (in any scope).
func exists(t *txn, kind Kind, key store.Key) (bool, error) {
	n, err := t.Count(kind, key, 1)
	return n > 0, err
}

// Query selects resources of one kind for a Describe call.
type Query struct {
	// IDs asks for these resources; any that the caller cannot see fails
	// the whole call with NotFound.
	IDs []string
	// Filters are the call's filters: when one is indexed (see indexes),
	// only the resources its index finds are candidates. Matching them is
	// the caller's predicate's job.
	Filters []Filter
	// After skips ids up to and including this one (paging).
	After string
	// Limit is the page size; 0 means no limit.
	Limit int
}

// Page is one page of results; Next is the last id returned when more
// results follow, for the next page's After.
type Page[P any] struct {
	Items []P
	Next  string
}

// List runs a Describe query for the caller: the resources of one kind that
// match q and the predicate, in id order. Derived fields are resolved before
// match sees a resource.
func List[T any, P objectPtr[T]](ctx context.Context, c *Cloud, who Caller, q Query, match func(P) bool) (Page[P], error) {
	var page Page[P]
	err := c.view(ctx, who, func(t *txn) error {
		var err error
		page, err = list[T, P](t, q, match)
		return err
	})
	return page, err
}

func list[T any, P objectPtr[T]](t *txn, q Query, match func(P) bool) (Page[P], error) {
	var page Page[P]
	kind := P(nil).kind()
	shared := isShared[T, P]()
	more := false
	// take offers one candidate; it reports whether to go on.
	var derr error
	take := func(p P) bool {
		if !visible(t, p) {
			return true
		}
		if r, ok := any(p).(resolver); ok {
			if err := r.resolve(t); err != nil {
				derr = err
				return false
			}
		}
		if match != nil && !match(p) {
			return true
		}
		if q.Limit > 0 && len(page.Items) == q.Limit {
			more = true
			return false
		}
		page.Items = append(page.Items, p)
		return true
	}

	keys := lookup(kind, q.Filters)
	switch {
	case len(q.IDs) > 0:
		ids := dedupSorted(q.IDs)
		var missing []string
		var found []P
		for _, id := range ids {
			r, err := t.Get(kind, id)
			if errors.Is(err, store.ErrNotFound) || err == nil && !shared && r.Scope != t.scope {
				missing = append(missing, id)
				continue
			}
			if err != nil {
				return page, err
			}
			p, err := decode[T, P](r)
			if err != nil {
				return page, err
			}
			if !visible(t, p) {
				missing = append(missing, id)
				continue
			}
			found = append(found, p)
		}
		if len(missing) > 0 {
			return page, notFound(kind, missing...)
		}
		for _, p := range found {
			if p.meta().ID > q.After && !take(p) {
				break
			}
		}
	case keys != nil:
		byID := map[string]P{}
		for _, key := range keys {
			find := findIn[T, P]
			if shared {
				find = findAny[T, P] // take keeps those the caller sees
			}
			ps, err := find(t, key)
			if err != nil {
				return page, err
			}
			for _, p := range ps {
				byID[p.meta().ID] = p
			}
		}
		ids := make([]string, 0, len(byID))
		for id := range byID {
			if id > q.After {
				ids = append(ids, id)
			}
		}
		sort.Strings(ids)
		for _, id := range ids {
			if !take(byID[id]) {
				break
			}
		}
	default:
		err := scanVisible(t, kind, shared, q.After, func(r *store.Record) bool {
			p, err := decode[T, P](r)
			if err != nil {
				derr = err
				return false
			}
			return take(p)
		})
		if err != nil {
			return page, err
		}
	}
	if derr != nil {
		return page, derr
	}
	if more && len(page.Items) > 0 {
		page.Next = page.Items[len(page.Items)-1].meta().ID
	}
	return page, nil
}

func dedupSorted(ids []string) []string {
	out := append([]string(nil), ids...)
	sort.Strings(out)
	n := 0
	for i, id := range out {
		if i == 0 || id != out[n-1] {
			out[n] = id
			n++
		}
	}
	return out[:n]
}
