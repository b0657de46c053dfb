package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/vpcemu/vpcemu/internal/store"
)

var testScope = store.Scope{Account: "111111111111", Region: "us-east-1"}

// TestGroupCommit runs many concurrent Updates (so they share commits) of
// which some fail and some panic: after a reopen, exactly the writes of the
// Updates that returned nil are there.
func TestGroupCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vpcemu.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	const n = 96
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
				if err := tx.Put(&store.Record{Kind: "vpc", ID: fmt.Sprintf("vpc-%03d", i), Scope: testScope, Body: []byte("{}"),
					Keys: []store.Key{{Name: "n", Value: fmt.Sprint(i % 3)}}}); err != nil {
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
	}
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(context.Background(), func(tx store.Tx) error {
		for i := range n {
			_, err := tx.Get("vpc", fmt.Sprintf("vpc-%03d", i))
			kept := err == nil
			if kept != (outcome[i] == nil) {
				t.Errorf("update %d returned %v, record kept: %v", i, outcome[i], kept)
			}
		}
		found := 0
		if err := tx.Find("vpc", store.Key{Name: "n", Value: "1"}, func(*store.Record) bool { found++; return true }); err != nil {
			return err
		}
		if found != 0 {
			t.Errorf("keys of failed updates kept: %d", found)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNestedIteration runs a Find and a Scan inside the callbacks of the
// same statements, as domain code may (a resource resolving another).
func TestNestedIteration(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "vpcemu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Update(context.Background(), func(tx store.Tx) error {
		for i := range 3 {
			if err := tx.Put(&store.Record{Kind: "subnet", ID: fmt.Sprintf("subnet-%d", i), Scope: testScope, Body: []byte("{}"),
				Keys: []store.Key{{Name: "vpc-id", Value: "vpc-1"}}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	pairs := 0
	err = s.View(context.Background(), func(tx store.Tx) error {
		return tx.Find("subnet", store.Key{Name: "vpc-id", Value: "vpc-1"}, func(*store.Record) bool {
			tx.Find("subnet", store.Key{Name: "vpc-id", Value: "vpc-1"}, func(*store.Record) bool { pairs++; return true })
			tx.Scan("subnet", testScope, "", func(*store.Record) bool {
				tx.Scan("subnet", testScope, "", func(*store.Record) bool { pairs++; return true })
				return true
			})
			return true
		})
	})
	if err != nil || pairs != 3*3+3*3*3 {
		t.Fatalf("nested iteration: %d pairs, %v", pairs, err)
	}
}

// TestViewsSeeAnsweredWrites checks that readers, which keep their
// snapshot while nothing is committed, never miss a write answered before
// the View began.
func TestViewsSeeAnsweredWrites(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "vpcemu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			id := fmt.Sprintf("counter-%d", w)
			for i := range 40 {
				err := s.Update(context.Background(), func(tx store.Tx) error {
					return tx.Put(&store.Record{Kind: "c", ID: id, Scope: testScope, Body: []byte(fmt.Sprint(i))})
				})
				if err != nil {
					t.Error(err)
					return
				}
				for range 3 { // several Views, on whichever readers are free
					err := s.View(context.Background(), func(tx store.Tx) error {
						r, err := tx.Get("c", id)
						if err != nil {
							return err
						}
						if string(r.Body) != fmt.Sprint(i) {
							t.Errorf("%s: read %s after writing %d", id, r.Body, i)
						}
						return nil
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestIdleReadersLetTheWALEmpty checks that readers holding snapshots do
// not keep checkpoints from resetting the WAL while only writes come.
func TestIdleReadersLetTheWALEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vpcemu.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Every reader takes a snapshot.
	var wg sync.WaitGroup
	hold := make(chan struct{})
	for range cap(s.readers) {
		wg.Go(func() {
			s.View(context.Background(), func(tx store.Tx) error {
				tx.Get("c", "x")
				<-hold
				return nil
			})
		})
	}
	close(hold)
	wg.Wait()
	body := make([]byte, 12000) // three pages or more per write
	for i := range 1500 {
		err := s.Update(context.Background(), func(tx store.Tx) error {
			return tx.Put(&store.Record{Kind: "c", ID: fmt.Sprint(i), Scope: testScope, Body: body})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	// The automatic checkpoint restarts the WAL after 4000 pages (16 MB);
	// 1500 writes of three pages or more would make it far larger otherwise.
	if fi.Size() > 20<<20 {
		t.Errorf("WAL is %d bytes after 1500 writes", fi.Size())
	}
}
