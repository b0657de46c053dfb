package idempotency_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/vpcemu/vpcemu/internal/idempotency"
	"github.com/vpcemu/vpcemu/internal/store"
	"github.com/vpcemu/vpcemu/internal/store/sqlite"
)

// counting counts the write transactions a store runs.
type counting struct {
	store.Store
	updates atomic.Int32
}

func (c *counting) Update(ctx context.Context, fn func(store.Tx) error) error {
	c.updates.Add(1)
	return c.Store.Update(ctx, fn)
}

var scope = store.Scope{Account: "111111111111", Region: "us-east-1"}

func open(t *testing.T) *counting {
	t.Helper()
	st, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &counting{Store: st}
}

// create is a request as a use case runs it: it writes a resource through
// store.Update, in the request's shared transaction when there is one.
func create(st store.Store, id string, fail bool) idempotency.Run {
	return func(ctx context.Context) (idempotency.Answer, bool) {
		err := store.Update(ctx, st, func(tx store.Tx) error {
			if err := tx.Put(&store.Record{Kind: "thing", ID: id, Scope: scope, Body: []byte("{}")}); err != nil {
				return err
			}
			if fail {
				return errors.New("refused after writing")
			}
			return nil
		})
		if err != nil {
			return idempotency.Answer{Status: 400, Body: []byte(err.Error())}, false
		}
		return idempotency.Answer{Status: 200, Body: []byte(id)}, true
	}
}

func things(t *testing.T, st store.Store) int {
	t.Helper()
	n := 0
	if err := st.View(context.Background(), func(tx store.Tx) error {
		return tx.Scan("thing", scope, "", func(*store.Record) bool { n++; return true })
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDo(t *testing.T) {
	ctx := context.Background()
	t.Run("one transaction, then replayed", func(t *testing.T) {
		st := open(t)
		c := idempotency.New(st)
		a, replayed, err := c.Do(ctx, scope, "CreateThing", "t1", []byte("p"), create(st, "thing-1", false))
		if err != nil || replayed || string(a.Body) != "thing-1" {
			t.Fatalf("first: %+v %v %v", a, replayed, err)
		}
		if n := st.updates.Load(); n != 1 {
			t.Errorf("the create and its token took %d write transactions, want 1", n)
		}
		a, replayed, err = c.Do(ctx, scope, "CreateThing", "t1", []byte("p"), create(st, "thing-2", false))
		if err != nil || !replayed || string(a.Body) != "thing-1" {
			t.Fatalf("retry: %+v %v %v", a, replayed, err)
		}
		if n := things(t, st); n != 1 {
			t.Errorf("%d things, want 1", n)
		}
		if _, _, err := c.Do(ctx, scope, "CreateThing", "t1", []byte("other"), create(st, "thing-3", false)); !errors.Is(err, idempotency.ErrMismatch) {
			t.Errorf("other parameters: %v, want ErrMismatch", err)
		}
		other := store.Scope{Account: "222222222222", Region: "us-east-1"}
		if _, replayed, _ := c.Do(ctx, other, "CreateThing", "t1", []byte("p"), func(context.Context) (idempotency.Answer, bool) {
			return idempotency.Answer{Status: 200}, true
		}); replayed {
			t.Error("a token is replayed in another account")
		}
	})
	t.Run("a failed request keeps nothing and is not remembered", func(t *testing.T) {
		st := open(t)
		c := idempotency.New(st)
		a, replayed, err := c.Do(ctx, scope, "CreateThing", "t1", []byte("p"), create(st, "thing-1", true))
		if err != nil || replayed || a.Status != 400 {
			t.Fatalf("failed request: %+v %v %v", a, replayed, err)
		}
		if n := things(t, st); n != 0 {
			t.Errorf("a failed request left %d things", n)
		}
		a, replayed, err = c.Do(ctx, scope, "CreateThing", "t1", []byte("p"), create(st, "thing-2", false))
		if err != nil || replayed || string(a.Body) != "thing-2" {
			t.Fatalf("retry after a failure: %+v %v %v", a, replayed, err)
		}
	})
	t.Run("success past a failed use case runs again on its own", func(t *testing.T) {
		st := open(t)
		c := idempotency.New(st)
		runs := 0
		a, replayed, err := c.Do(ctx, scope, "CreateThing", "t1", []byte("p"), func(ctx context.Context) (idempotency.Answer, bool) {
			runs++
			create(st, fmt.Sprintf("half-%d", runs), true)(ctx) // fails; the request goes on
			return idempotency.Answer{Status: 200, Body: []byte("ok")}, true
		})
		if err != nil || replayed || string(a.Body) != "ok" || runs != 2 {
			t.Fatalf("%+v %v %v after %d runs", a, replayed, err, runs)
		}
		// The second run had no shared transaction: its own failed use case
		// rolled back on its own, and the first run's writes are gone.
		if n := things(t, st); n != 0 {
			t.Errorf("%d things, want 0", n)
		}
		_, replayed, _ = c.Do(ctx, scope, "CreateThing", "t1", []byte("p"), create(st, "thing-1", false))
		if replayed {
			t.Error("the answer of a request that swallowed a failure was remembered")
		}
	})
	t.Run("concurrent retries create once", func(t *testing.T) {
		st := open(t)
		c := idempotency.New(st)
		var runs atomic.Int32
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				run := create(st, fmt.Sprintf("thing-%d", i), false)
				a, _, err := c.Do(ctx, scope, "CreateThing", "t1", []byte("p"), func(ctx context.Context) (idempotency.Answer, bool) {
					runs.Add(1)
					return run(ctx)
				})
				if err != nil || a.Status != 200 {
					t.Errorf("%+v %v", a, err)
				}
			}()
		}
		wg.Wait()
		if runs.Load() != 1 || things(t, st) != 1 {
			t.Errorf("%d runs, %d things; want 1 and 1", runs.Load(), things(t, st))
		}
	})
}
