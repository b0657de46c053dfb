// Package storetest is the conformance suite every store.Store backend must
// pass. A backend's own test calls Run with a factory for fresh stores.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/vpcemu/vpcemu/internal/store"
)

// Factory makes an empty store for one test. Reopen, when not nil, closes a
// store and opens the same data again (for durability checks).
type Factory struct {
	New    func(t *testing.T) store.Store
	Reopen func(t *testing.T, s store.Store) store.Store
}

var (
	scopeA = store.Scope{Account: "111111111111", Region: "us-east-1"}
	scopeB = store.Scope{Account: "222222222222", Region: "us-east-1"}
	scopeC = store.Scope{Account: "111111111111", Region: "eu-west-1"}
)

// Run runs the conformance suite.
func Run(t *testing.T, f Factory) {
	tests := []struct {
		name string
		fn   func(t *testing.T, f Factory)
	}{
		{"PutGetDelete", testPutGetDelete},
		{"ScanOrderScopeAndAfter", testScan},
		{"ScanKindEveryScope", testScanKind},
		{"RevisionMovesOnWrite", testRevision},
		{"FindByKey", testFind},
		{"KeysReplacedOnPut", testKeysReplaced},
		{"ErrorRollsBack", testRollback},
		{"PanicRollsBack", testPanicRollback},
		{"ReadYourWrites", testReadYourWrites},
		{"ViewIsReadOnly", testViewReadOnly},
		{"ConcurrentUpdatesSerialize", testSerializable},
		{"ViewSeesConsistentSnapshot", testSnapshot},
		{"DurableAcrossReopen", testDurable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, f) })
	}
}

func rec(kind, id string, scope store.Scope, body string, keys ...store.Key) *store.Record {
	return &store.Record{Kind: store.Kind(kind), ID: id, Scope: scope, Body: []byte(body), Keys: keys}
}

func update(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("update: %v", err)
	}
}

func view(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatalf("view: %v", err)
	}
}

func get(t *testing.T, s store.Store, kind, id string) (*store.Record, error) {
	t.Helper()
	var out *store.Record
	err := s.View(context.Background(), func(tx store.Tx) error {
		r, err := tx.Get(store.Kind(kind), id)
		out = r
		return err
	})
	return out, err
}

func testPutGetDelete(t *testing.T, f Factory) {
	s := f.New(t)
	update(t, s, func(tx store.Tx) error { return tx.Put(rec("vpc", "vpc-1", scopeA, `{"a":1}`)) })
	r, err := get(t, s, "vpc", "vpc-1")
	if err != nil {
		t.Fatal(err)
	}
	if string(r.Body) != `{"a":1}` || r.Scope != scopeA || r.Kind != "vpc" || r.ID != "vpc-1" {
		t.Fatalf("got %+v", r)
	}
	// Same id, other kind: a different record.
	if _, err := get(t, s, "subnet", "vpc-1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("other kind: want ErrNotFound, got %v", err)
	}
	update(t, s, func(tx store.Tx) error { return tx.Put(rec("vpc", "vpc-1", scopeA, `{"a":2}`)) })
	if r, _ := get(t, s, "vpc", "vpc-1"); string(r.Body) != `{"a":2}` {
		t.Fatalf("replace: got %s", r.Body)
	}
	update(t, s, func(tx store.Tx) error { return tx.Delete("vpc", "vpc-1") })
	if _, err := get(t, s, "vpc", "vpc-1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after delete: want ErrNotFound, got %v", err)
	}
	err = s.Update(context.Background(), func(tx store.Tx) error { return tx.Delete("vpc", "vpc-1") })
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete missing: want ErrNotFound, got %v", err)
	}
}

func scanIDs(t *testing.T, s store.Store, kind string, scope store.Scope, after string, limit int) []string {
	t.Helper()
	var ids []string
	err := s.View(context.Background(), func(tx store.Tx) error {
		return tx.Scan(store.Kind(kind), scope, after, func(r *store.Record) bool {
			if r.Scope != scope || string(r.Kind) != kind {
				t.Errorf("scan returned %s/%s in %+v", r.Kind, r.ID, r.Scope)
			}
			ids = append(ids, r.ID)
			return limit <= 0 || len(ids) < limit
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func testScan(t *testing.T, f Factory) {
	s := f.New(t)
	update(t, s, func(tx store.Tx) error {
		for _, id := range []string{"vpc-c", "vpc-a", "vpc-b"} {
			if err := tx.Put(rec("vpc", id, scopeA, "{}")); err != nil {
				return err
			}
		}
		for _, r := range []*store.Record{rec("vpc", "vpc-x", scopeB, "{}"), rec("vpc", "vpc-y", scopeC, "{}"), rec("subnet", "subnet-a", scopeA, "{}")} {
			if err := tx.Put(r); err != nil {
				return err
			}
		}
		return nil
	})
	cases := []struct {
		scope store.Scope
		after string
		limit int
		want  string
	}{
		{scopeA, "", 0, "vpc-a vpc-b vpc-c"},
		{scopeA, "vpc-a", 0, "vpc-b vpc-c"},
		{scopeA, "", 2, "vpc-a vpc-b"},
		{scopeA, "vpc-c", 0, ""},
		{scopeB, "", 0, "vpc-x"},
		{scopeC, "", 0, "vpc-y"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(scanIDs(t, s, "vpc", c.scope, c.after, c.limit)); got != "["+c.want+"]" {
			t.Errorf("scan %v after %q limit %d: got %s, want [%s]", c.scope, c.after, c.limit, got, c.want)
		}
	}
}

func testScanKind(t *testing.T, f Factory) {
	s := f.New(t)
	update(t, s, func(tx store.Tx) error {
		for _, r := range []*store.Record{rec("vpc", "vpc-c", scopeA, "{}"), rec("vpc", "vpc-a", scopeB, "{}"), rec("vpc", "vpc-b", scopeC, "{}"), rec("subnet", "subnet-a", scopeA, "{}")} {
			if err := tx.Put(r); err != nil {
				return err
			}
		}
		return nil
	})
	for _, c := range []struct{ after, want string }{{"", "vpc-a@B vpc-b@C vpc-c@A"}, {"vpc-a", "vpc-b@C vpc-c@A"}, {"vpc-c", ""}} {
		var got []string
		err := s.View(context.Background(), func(tx store.Tx) error {
			return tx.ScanKind("vpc", c.after, func(r *store.Record) bool {
				name := map[store.Scope]string{scopeA: "A", scopeB: "B", scopeC: "C"}[r.Scope]
				got = append(got, r.ID+"@"+name)
				return string(r.Body) == "{}"
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != "["+c.want+"]" {
			t.Errorf("scan kind after %q: got %v, want [%s]", c.after, got, c.want)
		}
	}
}

func testRevision(t *testing.T, f Factory) {
	s := f.New(t)
	before := s.Revision()
	if err := s.View(context.Background(), func(tx store.Tx) error { _, err := tx.Get("vpc", "none"); _ = err; return nil }); err != nil {
		t.Fatal(err)
	}
	if s.Revision() != before {
		t.Errorf("a View moved the revision: %d -> %d", before, s.Revision())
	}
	update(t, s, func(tx store.Tx) error { return tx.Put(rec("vpc", "vpc-a", scopeA, "{}")) })
	if s.Revision() == before {
		t.Errorf("a committed Update left the revision at %d", before)
	}
}

func findIDs(t *testing.T, s store.Store, kind string, key store.Key) []string {
	t.Helper()
	var ids []string
	err := s.View(context.Background(), func(tx store.Tx) error {
		return tx.Find(store.Kind(kind), key, func(r *store.Record) bool {
			if r.Body == nil || r.Scope.Account == "" {
				t.Errorf("find returned an incomplete record %+v", r)
			}
			ids = append(ids, r.ID)
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func testFind(t *testing.T, f Factory) {
	s := f.New(t)
	vpc1 := store.Key{Name: "vpc-id", Value: "vpc-1"}
	vpc2 := store.Key{Name: "vpc-id", Value: "vpc-2"}
	update(t, s, func(tx store.Tx) error {
		for _, r := range []*store.Record{
			rec("subnet", "subnet-b", scopeA, "{}", vpc1, store.Key{Name: "tag:Name", Value: "web"}),
			rec("subnet", "subnet-a", scopeA, "{}", vpc1),
			rec("subnet", "subnet-c", scopeA, "{}", vpc2),
			rec("subnet", "subnet-d", scopeB, "{}", vpc1), // keys span scopes
			rec("route-table", "rtb-a", scopeA, "{}", vpc1),
		} {
			if err := tx.Put(r); err != nil {
				return err
			}
		}
		return nil
	})
	cases := []struct {
		kind string
		key  store.Key
		want string
	}{
		{"subnet", vpc1, "[subnet-a subnet-b subnet-d]"},
		{"subnet", vpc2, "[subnet-c]"},
		{"route-table", vpc1, "[rtb-a]"},
		{"subnet", store.Key{Name: "tag:Name", Value: "web"}, "[subnet-b]"},
		{"subnet", store.Key{Name: "vpc-id", Value: "vpc-3"}, "[]"},
	}
	for _, c := range cases {
		got := findIDs(t, s, c.kind, c.key)
		if fmt.Sprint(got) != c.want {
			t.Errorf("find %s %v: got %v, want %s", c.kind, c.key, got, c.want)
		}
		for _, limit := range []int{0, 1, 2, 10} {
			want := len(got)
			if limit > 0 {
				want = min(want, limit)
			}
			view(t, s, func(tx store.Tx) error {
				n, err := tx.Count(store.Kind(c.kind), c.key, limit)
				if err == nil && n != want {
					t.Errorf("count %s %v up to %d: got %d, want %d", c.kind, c.key, limit, n, want)
				}
				return err
			})
		}
	}
	update(t, s, func(tx store.Tx) error { return tx.Delete("subnet", "subnet-a") })
	if got := fmt.Sprint(findIDs(t, s, "subnet", vpc1)); got != "[subnet-b subnet-d]" {
		t.Errorf("after delete: got %s", got)
	}
}

func testKeysReplaced(t *testing.T, f Factory) {
	s := f.New(t)
	old := store.Key{Name: "tag:Name", Value: "old"}
	neu := store.Key{Name: "tag:Name", Value: "new"}
	update(t, s, func(tx store.Tx) error { return tx.Put(rec("vpc", "vpc-1", scopeA, "{}", old)) })
	update(t, s, func(tx store.Tx) error { return tx.Put(rec("vpc", "vpc-1", scopeA, "{}", neu, neu)) })
	if got := findIDs(t, s, "vpc", old); len(got) != 0 {
		t.Errorf("old key still finds %v", got)
	}
	if got := fmt.Sprint(findIDs(t, s, "vpc", neu)); got != "[vpc-1]" {
		t.Errorf("new key finds %s", got)
	}
}

func testRollback(t *testing.T, f Factory) {
	s := f.New(t)
	update(t, s, func(tx store.Tx) error { return tx.Put(rec("vpc", "vpc-1", scopeA, "v1")) })
	boom := errors.New("boom")
	err := s.Update(context.Background(), func(tx store.Tx) error {
		if err := tx.Put(rec("vpc", "vpc-1", scopeA, "v2")); err != nil {
			return err
		}
		if err := tx.Put(rec("subnet", "subnet-1", scopeA, "{}", store.Key{Name: "vpc-id", Value: "vpc-1"})); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want the function's error", err)
	}
	if r, _ := get(t, s, "vpc", "vpc-1"); string(r.Body) != "v1" {
		t.Errorf("rolled-back put is visible: %s", r.Body)
	}
	if _, err := get(t, s, "subnet", "subnet-1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("rolled-back insert is visible: %v", err)
	}
	if got := findIDs(t, s, "subnet", store.Key{Name: "vpc-id", Value: "vpc-1"}); len(got) != 0 {
		t.Errorf("rolled-back keys are visible: %v", got)
	}
}

func testPanicRollback(t *testing.T, f Factory) {
	s := f.New(t)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic did not propagate")
			}
		}()
		s.Update(context.Background(), func(tx store.Tx) error {
			tx.Put(rec("vpc", "vpc-1", scopeA, "{}"))
			panic("boom")
		})
	}()
	if _, err := get(t, s, "vpc", "vpc-1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("write of a panicking update is visible: %v", err)
	}
	// The store still works.
	update(t, s, func(tx store.Tx) error { return tx.Put(rec("vpc", "vpc-2", scopeA, "{}")) })
}

func testReadYourWrites(t *testing.T, f Factory) {
	s := f.New(t)
	update(t, s, func(tx store.Tx) error {
		if err := tx.Put(rec("vpc", "vpc-1", scopeA, "x", store.Key{Name: "k", Value: "v"})); err != nil {
			return err
		}
		r, err := tx.Get("vpc", "vpc-1")
		if err != nil || string(r.Body) != "x" {
			t.Errorf("get in tx: %v %v", r, err)
		}
		n := 0
		tx.Scan("vpc", scopeA, "", func(*store.Record) bool { n++; return true })
		tx.Find("vpc", store.Key{Name: "k", Value: "v"}, func(*store.Record) bool { n++; return true })
		if n != 2 {
			t.Errorf("scan+find in tx saw %d records, want 2", n)
		}
		return nil
	})
}

func testViewReadOnly(t *testing.T, f Factory) {
	s := f.New(t)
	err := s.View(context.Background(), func(tx store.Tx) error { return tx.Put(rec("vpc", "vpc-1", scopeA, "{}")) })
	if err == nil {
		t.Fatal("Put inside View succeeded")
	}
	if _, err := get(t, s, "vpc", "vpc-1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("write inside View is visible")
	}
}

// testSerializable increments one counter from many goroutines: with
// serializable updates no increment is lost.
func testSerializable(t *testing.T, f Factory) {
	s := f.New(t)
	update(t, s, func(tx store.Tx) error { return tx.Put(rec("counter", "c", scopeA, "0")) })
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := s.Update(context.Background(), func(tx store.Tx) error {
					r, err := tx.Get("counter", "c")
					if err != nil {
						return err
					}
					n, _ := strconv.Atoi(string(r.Body))
					return tx.Put(rec("counter", "c", scopeA, strconv.Itoa(n+1)))
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	r, _ := get(t, s, "counter", "c")
	if string(r.Body) != strconv.Itoa(workers*each) {
		t.Fatalf("counter = %s, want %d", r.Body, workers*each)
	}
}

// testSnapshot checks that a view never sees half of an update: two records
// are always written together with the same value.
func testSnapshot(t *testing.T, f Factory) {
	s := f.New(t)
	write := func(v int) error {
		return s.Update(context.Background(), func(tx store.Tx) error {
			if err := tx.Put(rec("pair", "a", scopeA, strconv.Itoa(v))); err != nil {
				return err
			}
			return tx.Put(rec("pair", "b", scopeA, strconv.Itoa(v)))
		})
	}
	if err := write(0); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for v := 1; v <= 100; v++ {
			if err := write(v); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for {
		select {
		case <-done:
			return
		default:
		}
		var seen []string
		err := s.View(context.Background(), func(tx store.Tx) error {
			seen = seen[:0]
			for _, id := range []string{"a", "b"} {
				r, err := tx.Get("pair", id)
				if err != nil {
					return err
				}
				seen = append(seen, string(r.Body))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if seen[0] != seen[1] {
			t.Fatalf("view saw a torn update: a=%s b=%s", seen[0], seen[1])
		}
	}
}

func testDurable(t *testing.T, f Factory) {
	if f.Reopen == nil {
		t.Skip("backend has no durable storage to reopen")
	}
	s := f.New(t)
	update(t, s, func(tx store.Tx) error {
		return tx.Put(rec("vpc", "vpc-1", scopeA, "kept", store.Key{Name: "k", Value: "v"}))
	})
	s = f.Reopen(t, s)
	r, err := get(t, s, "vpc", "vpc-1")
	if err != nil || string(r.Body) != "kept" {
		t.Fatalf("after reopen: %v %v", r, err)
	}
	ids := findIDs(t, s, "vpc", store.Key{Name: "k", Value: "v"})
	sort.Strings(ids)
	if fmt.Sprint(ids) != "[vpc-1]" {
		t.Fatalf("keys after reopen: %v", ids)
	}
}
