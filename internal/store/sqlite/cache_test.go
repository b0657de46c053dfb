package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/store"
)

// stores opens one store of each kind for a test.
func stores(t *testing.T) map[string]*Store {
	t.Helper()
	file, err := Open(filepath.Join(t.TempDir(), "vpcemu.db"))
	if err != nil {
		t.Fatal(err)
	}
	mem, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { file.Close(); mem.Close() })
	return map[string]*Store{"file": file, "memory": mem}
}

func putBody(id, body string) func(store.Tx) error {
	return func(tx store.Tx) error {
		return tx.Put(&store.Record{Kind: "vpc", ID: id, Scope: testScope, Body: []byte(body)})
	}
}

// body reads vpc id in a View ("" if it does not exist).
func body(t *testing.T, s *Store, id string) string {
	t.Helper()
	var out string
	err := s.View(context.Background(), func(tx store.Tx) error {
		r, err := tx.Get("vpc", id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		out = string(r.Body)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func cached(s *Store, id string) bool {
	_, ok := s.cache.get("vpc", id, s.gen.Load())
	return ok
}

// TestCacheFollowsWrites: a record read (so cached) and then written,
// rolled back or deleted reads as it is in SQLite at the next View.
func TestCacheFollowsWrites(t *testing.T) {
	boom := errors.New("boom")
	steps := []struct {
		name  string
		write func(store.Tx) error
		want  string
		err   error
	}{
		{"replaced", putBody("vpc-1", "v2"), "v2", nil},
		{"replace rolled back", func(tx store.Tx) error { putBody("vpc-1", "v3")(tx); return boom }, "v2", boom},
		{"replaced again", putBody("vpc-1", "v4"), "v4", nil},
		{"delete rolled back", func(tx store.Tx) error { tx.Delete("vpc", "vpc-1"); return boom }, "v4", boom},
		{"deleted", func(tx store.Tx) error { return tx.Delete("vpc", "vpc-1") }, "", nil},
		{"created again", putBody("vpc-1", "v5"), "v5", nil},
	}
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if err := s.Update(context.Background(), putBody("vpc-1", "v1")); err != nil {
				t.Fatal(err)
			}
			if got := body(t, s, "vpc-1"); got != "v1" || !cached(s, "vpc-1") {
				t.Fatalf("first read: %q, cached %v", got, cached(s, "vpc-1"))
			}
			for _, st := range steps {
				if err := s.Update(context.Background(), st.write); !errors.Is(err, st.err) {
					t.Fatalf("%s: Update returned %v", st.name, err)
				}
				if got := body(t, s, "vpc-1"); got != st.want {
					t.Errorf("%s: next read %q, want %q", st.name, got, st.want)
				}
				// Read twice: the second from the cache when the record exists.
				if got := body(t, s, "vpc-1"); got != st.want || (st.want != "") != cached(s, "vpc-1") {
					t.Errorf("%s: second read %q, cached %v", st.name, got, cached(s, "vpc-1"))
				}
			}
		})
	}
}

// TestCacheWithGroupCommit caches records, then rewrites them in concurrent
// Updates sharing commits, some failing and some panicking: each reads back
// rewritten exactly when its Update returned nil.
func TestCacheWithGroupCommit(t *testing.T) {
	s := stores(t)["file"]
	const n = 96
	id := func(i int) string { return fmt.Sprintf("vpc-%03d", i) }
	for i := range n {
		if err := s.Update(context.Background(), putBody(id(i), "old")); err != nil {
			t.Fatal(err)
		}
		body(t, s, id(i))
	}
	errFail := errors.New("fail")
	outcome := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					outcome[i] = fmt.Errorf("panic: %v", p)
				}
			}()
			outcome[i] = s.Update(context.Background(), func(tx store.Tx) error {
				if err := putBody(id(i), "new")(tx); err != nil {
					return err
				}
				switch i % 3 {
				case 1:
					return errFail
				case 2:
					panic("boom")
				}
				return nil
			})
		})
		// Readers meanwhile, caching what they see.
		wg.Go(func() { body(t, s, id((i+n/2)%n)) })
	}
	wg.Wait()
	for i := range n {
		want := "old"
		if outcome[i] == nil {
			want = "new"
		}
		for range 2 {
			if got := body(t, s, id(i)); got != want {
				t.Errorf("%s: read %q after its Update returned %v", id(i), got, outcome[i])
			}
		}
	}
}

// TestCacheViewsStayConsistent writes two records together, over and over,
// while Views read one by id (from the cache when they can) and the other by
// a scan (always SQLite): no View may see them differ.
func TestCacheViewsStayConsistent(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			write := func(v int) error {
				return s.Update(context.Background(), func(tx store.Tx) error {
					if err := putBody("vpc-a", strconv.Itoa(v))(tx); err != nil {
						return err
					}
					return tx.Put(&store.Record{Kind: "pair", ID: "b", Scope: testScope, Body: []byte(strconv.Itoa(v))})
				})
			}
			if err := write(0); err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			go func() {
				defer close(done)
				for v := 1; v <= 200; v++ {
					if err := write(v); err != nil {
						t.Error(err)
						return
					}
				}
			}()
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					for {
						select {
						case <-done:
							return
						default:
						}
						var a, b string
						err := s.View(context.Background(), func(tx store.Tx) error {
							r, err := tx.Get("vpc", "vpc-a")
							if err != nil {
								return err
							}
							a = string(r.Body)
							// Give a commit the time to land between the two reads.
							time.Sleep(100 * time.Microsecond)
							return tx.Scan("pair", testScope, "", func(r *store.Record) bool { b = string(r.Body); return false })
						})
						if err != nil {
							t.Error(err)
							return
						}
						if a != b {
							t.Errorf("view saw a torn update: vpc-a %s (by id), b %s (by scan)", a, b)
							return
						}
					}
				})
			}
			wg.Wait()
		})
	}
}

// TestRecordCache checks the cache's rules on their own.
func TestRecordCache(t *testing.T) {
	rec := func(id, body string) *store.Record {
		return &store.Record{Kind: "vpc", ID: id, Scope: testScope, Body: []byte(body)}
	}
	gen := uint64(5)
	now := func() uint64 { return gen }

	c := newRecordCache(1 << 20)
	c.add(rec("vpc-1", "x"), 5, now)
	if r, ok := c.get("vpc", "vpc-1", 5); !ok || string(r.Body) != "x" {
		t.Fatalf("cached record not found: %v %v", r, ok)
	}
	if _, ok := c.get("vpc", "vpc-1", 4); ok {
		t.Error("a View older than the entry used it")
	}
	if _, ok := c.get("vpc", "vpc-1", 9); !ok {
		t.Error("a newer View did not use a still valid entry")
	}

	// A View that began before the last commit may not cache.
	c.add(rec("vpc-2", "x"), 4, now)
	if _, ok := c.get("vpc", "vpc-2", 5); ok {
		t.Error("cached a record read before the last commit")
	}

	// Written: dropped, and not cached again until settled.
	c.writing("vpc", "vpc-1")
	if _, ok := c.get("vpc", "vpc-1", 5); ok {
		t.Error("written record still cached")
	}
	c.add(rec("vpc-1", "old"), 5, now)
	if _, ok := c.get("vpc", "vpc-1", 5); ok {
		t.Error("cached a record being written")
	}
	gen = 6
	c.settle()
	c.add(rec("vpc-1", "y"), 6, now)
	if r, ok := c.get("vpc", "vpc-1", 6); !ok || string(r.Body) != "y" {
		t.Error("record not cached after its write settled")
	}

	// Bounded.
	small := newRecordCache(100 * (entryOverhead + 100))
	for i := range 1000 {
		small.add(rec(fmt.Sprint("vpc-", i), string(make([]byte, 90))), 6, now)
	}
	if small.size > small.max || len(small.entries) == 0 || len(small.entries) > 100 {
		t.Errorf("cache over its bound: %d bytes in %d entries, max %d", small.size, len(small.entries), small.max)
	}
	total := 0
	for _, e := range small.entries {
		total += entrySize(e.rec)
	}
	if total != small.size {
		t.Errorf("size %d, entries hold %d", small.size, total)
	}
}
