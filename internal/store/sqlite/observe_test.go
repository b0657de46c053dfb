package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/store"
)

// commits is what an Observer heard.
type commits struct {
	mu      sync.Mutex
	sizes   []int
	failed  int
	elapsed time.Duration
}

func (c *commits) Committed(updates int, d time.Duration, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.failed++
	}
	c.sizes = append(c.sizes, updates)
	c.elapsed += d
}

// TestObserveCommits: the observer hears every commit, with the Updates
// that kept their writes in it, so the sizes add up to the Updates that
// returned nil and no group is larger than maxBatch, whether the Updates
// share commits (a file) or not (in memory).
func TestObserveCommits(t *testing.T) {
	open := map[string]func() (*Store, error){
		"file":      func() (*Store, error) { return Open(filepath.Join(t.TempDir(), "vpcemu.db")) },
		"in memory": OpenMemory,
	}
	for name, open := range open {
		t.Run(name, func(t *testing.T) {
			s, err := open()
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			heard := &commits{}
			s.Observe(heard)
			const n = 200
			errFail := errors.New("fail")
			var wg sync.WaitGroup
			var mu sync.Mutex
			kept := 0
			for i := range n {
				wg.Go(func() {
					err := s.Update(context.Background(), func(tx store.Tx) error {
						if err := tx.Put(&store.Record{Kind: "vpc", ID: fmt.Sprint(i), Scope: testScope, Body: []byte("{}")}); err != nil {
							return err
						}
						if i%4 == 0 {
							return errFail
						}
						return nil
					})
					if err == nil {
						mu.Lock()
						kept++
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			heard.mu.Lock()
			defer heard.mu.Unlock()
			sum, largest := 0, 0
			for _, size := range heard.sizes {
				sum += size
				largest = max(largest, size)
			}
			if sum != kept || kept != n-n/4 || largest > maxBatch || heard.failed != 0 || heard.elapsed <= 0 {
				t.Errorf("%d commits of %d updates (largest %d, %d failed, in %v); want %d updates kept", len(heard.sizes), sum, largest, heard.failed, heard.elapsed, kept)
			}
			t.Logf("%d updates in %d commits", sum, len(heard.sizes))
		})
	}
}
