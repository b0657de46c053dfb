package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/vpcemu/vpcemu/internal/arn"
)

// Meta is what every resource has: its id, its owner scope and its tags.
type Meta struct {
	ID     string
	Owner  string
	Region string
	Tags   Tags `json:",omitempty"`
}

func (m *Meta) Base() *Meta { return m }

// Scope is the account and region that own the resource.
func (m *Meta) Scope() Scope { return Scope{Account: m.Owner, Region: m.Region} }

// EC2ARN is the Amazon Resource Name of an EC2 resource of a type
// ("vpc", "network-interface", …).
func (m *Meta) EC2ARN(resourceType string) string {
	return arn.EC2(m.Region, m.Owner, resourceType, m.ID)
}

// Object is a stored resource. Only this package implements it.
type Object interface {
	Base() *Meta
	// Kind is called on nil pointers too: it must not read the receiver.
	Kind() Kind
	// Keys are the kind's own lookups; tag Keys are added by put.
	Keys() []Key
}

// ObjectPtr is the constraint of the generic persistence helpers: *T is an
// object.
type ObjectPtr[T any] interface {
	*T
	Object
}

// Expirer is implemented by resources AWS keeps showing for a while after
// they are gone (a deleted NAT gateway, a terminated instance, for an
// hour): once expired, List treats them as absent.
type Expirer interface {
	Expired(now time.Time) bool
}

// Gone reports whether a resource has expired.
func Gone(t *Txn, o any) bool {
	e, ok := o.(Expirer)
	return ok && e.Expired(t.Now)
}

// Shared is implemented by resources that more than one scope sees: a VPC
// peering connection is seen by its requester and by its accepter, each in
// its own region. Their records carry a seenByKey for each such scope, so
// that List finds them by the caller's key instead of scanning the owner's
// scope; seenBy decides what the caller sees now (the two sides of a closed
// connection see it for different times).
type Shared interface {
	SeenBy(s Scope, now time.Time) bool
}

// SeenByKey is the index key that lists a shared resource for a scope.
func SeenByKey(s Scope) Key { return Key{Name: "seen-by", Value: ScopeKey(s)} }

// isShared reports whether the resources of P are shared.
func isShared[T any, P ObjectPtr[T]]() bool {
	_, ok := any(P(nil)).(Shared)
	return ok
}

// visible reports whether the caller sees a resource now: one of its own
// that has not expired, or a shared one shown to its scope.
func visible(t *Txn, o Object) bool {
	if s, ok := o.(Shared); ok {
		return s.SeenBy(t.Scope, t.Now)
	}
	return o.Base().Scope() == t.Scope && !Gone(t, o)
}

// scanVisible calls fn with each record of kind the caller may see, in id
// order after `after`, until fn returns false: the records of the caller's
// scope or, for a shared kind, those listed for it.
func scanVisible(t *Txn, kind Kind, shared bool, after string, fn func(*Record) bool) error {
	if !shared {
		return t.Scan(kind, t.Scope, after, fn)
	}
	return t.Find(kind, SeenByKey(t.Scope), func(r *Record) bool {
		return r.ID <= after || fn(r)
	})
}

// GetVisible reads a resource the caller sees (its own, or a shared one
// shown to it) or fails with NotFound.
func GetVisible[T any, P ObjectPtr[T]](t *Txn, id string) (P, error) {
	p, err := GetAny[T, P](t.StoreTx, id)
	if err != nil {
		return nil, err
	}
	if !visible(t, p) {
		return nil, Missing(P(nil).Kind(), id)
	}
	return p, nil
}

// Resolver is implemented by resources with fields derived on read (a
// route's state, say); describe calls it before filtering.
type Resolver interface {
	Resolve(t *Txn) error
}

func Decode[T any, P ObjectPtr[T]](r *Record) (P, error) {
	p := P(new(T))
	if err := unmarshal(r.Body, p); err != nil {
		return nil, fmt.Errorf("decoding %s %s: %w", r.Kind, r.ID, err)
	}
	return p, nil
}

// GetIn reads a resource of the caller's scope or fails with NotFound.
func GetIn[T any, P ObjectPtr[T]](t *Txn, id string) (P, error) {
	p, err := GetAny[T, P](t.StoreTx, id)
	if err != nil {
		return nil, err
	}
	if p.Base().Scope() != t.Scope {
		return nil, Missing(P(nil).Kind(), id)
	}
	return p, nil
}

// GetAny reads a resource of any scope (for cross-account references).
func GetAny[T any, P ObjectPtr[T]](tx StoreTx, id string) (P, error) {
	k := P(nil).Kind()
	r, err := tx.Get(k, id)
	if errors.Is(err, ErrNoRecord) {
		return nil, Missing(k, id)
	}
	if err != nil {
		return nil, err
	}
	return Decode[T, P](r)
}

// Put writes a resource with its keys and tag keys.
func Put(t *Txn, o Object) error {
	m := o.Base()
	body, err := json.Marshal(o)
	if err != nil {
		return err
	}
	keys := o.Keys()
	for k, v := range m.Tags {
		keys = append(keys, Key{Name: "tag:" + k, Value: v}, Key{Name: "tag-key", Value: k})
	}
	return t.Put(&Record{Kind: o.Kind(), ID: m.ID, Scope: m.Scope(), Body: body, Keys: keys})
}

// Remove deletes a resource, and what other families registered to go
// with it (OnRemove).
func Remove(t *Txn, o Object) error {
	if err := t.Delete(o.Kind(), o.Base().ID); err != nil {
		return err
	}
	return removeDependents(t, o)
}

// FindIn lists the caller's resources of one kind that have key.
func FindIn[T any, P ObjectPtr[T]](t *Txn, key Key) ([]P, error) {
	return find[T, P](t.StoreTx, key, &t.Scope)
}

// FindAny lists the resources of one kind that have key, in any scope. It
// takes any transaction (a *Txn is one), so read models built outside a
// caller's use case (the engine's snapshot) find records too.
func FindAny[T any, P ObjectPtr[T]](tx StoreTx, key Key) ([]P, error) {
	return find[T, P](tx, key, nil)
}

func find[T any, P ObjectPtr[T]](tx StoreTx, key Key, scope *Scope) ([]P, error) {
	var out []P
	var derr error
	err := tx.Find(P(nil).Kind(), key, func(r *Record) bool {
		if scope != nil && r.Scope != *scope {
			return true
		}
		p, err := Decode[T, P](r)
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

// Exists reports whether any resource of kind has key (in any scope).
func Exists(t *Txn, kind Kind, key Key) (bool, error) {
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
func List[T any, P ObjectPtr[T]](ctx context.Context, c *Cloud, who Caller, q Query, match func(P) bool) (Page[P], error) {
	var page Page[P]
	err := c.View(ctx, who, func(t *Txn) error {
		var err error
		page, err = ListIn[T, P](t, q, match)
		return err
	})
	return page, err
}

func ListIn[T any, P ObjectPtr[T]](t *Txn, q Query, match func(P) bool) (Page[P], error) {
	var page Page[P]
	kind := P(nil).Kind()
	shared := isShared[T, P]()
	more := false
	// take offers one candidate; it reports whether to go on.
	var derr error
	take := func(p P) bool {
		if !visible(t, p) {
			return true
		}
		if r, ok := any(p).(Resolver); ok {
			if err := r.Resolve(t); err != nil {
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
		ids := SortedUnique(q.IDs)
		var missing []string
		var found []P
		for _, id := range ids {
			r, err := t.Get(kind, id)
			if errors.Is(err, ErrNoRecord) || err == nil && !shared && r.Scope != t.Scope {
				missing = append(missing, id)
				continue
			}
			if err != nil {
				return page, err
			}
			p, err := Decode[T, P](r)
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
			return page, Missing(kind, missing...)
		}
		for _, p := range found {
			if p.Base().ID > q.After && !take(p) {
				break
			}
		}
	case keys != nil:
		byID := map[string]P{}
		for _, key := range keys {
			scope := &t.Scope
			if shared {
				scope = nil // take keeps those the caller sees
			}
			ps, err := find[T, P](t.StoreTx, key, scope)
			if err != nil {
				return page, err
			}
			for _, p := range ps {
				byID[p.Base().ID] = p
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
		err := scanVisible(t, kind, shared, q.After, func(r *Record) bool {
			p, err := Decode[T, P](r)
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
		page.Next = page.Items[len(page.Items)-1].Base().ID
	}
	return page, nil
}

func SortedUnique(ids []string) []string {
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

// ScanScope decodes every live record of a kind in a scope (what has
// expired as of now is left out): readers that see the whole network (its
// snapshot, its bill) use it, not Describe calls.
func ScanScope[T any, P ObjectPtr[T]](tx StoreTx, sc Scope, now time.Time, fn func(P)) error {
	return scanDecoded(func(take func(*Record) bool) error { return tx.Scan(P(nil).Kind(), sc, "", take) }, now, fn)
}

// ScanEvery is ScanScope over every scope.
func ScanEvery[T any, P ObjectPtr[T]](tx StoreTx, now time.Time, fn func(P)) error {
	return scanDecoded(func(take func(*Record) bool) error { return tx.ScanKind(P(nil).Kind(), "", take) }, now, fn)
}

func scanDecoded[T any, P ObjectPtr[T]](scan func(func(*Record) bool) error, now time.Time, fn func(P)) error {
	var derr error
	err := scan(func(r *Record) bool {
		p, err := Decode[T, P](r)
		if err != nil {
			derr = err
			return false
		}
		if e, ok := any(p).(Expirer); !ok || !e.Expired(now) {
			fn(p)
		}
		return true
	})
	if err != nil {
		return err
	}
	return derr
}
