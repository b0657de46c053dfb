// Package idempotency remembers the answers to requests that carry a client
// token (ClientToken), so a retried create returns the first answer instead
// of creating twice, and a token reused with other parameters is refused.
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sync"

	"github.com/vpcemu/vpcemu/internal/store"
)

const kind store.Kind = "idempotency"

// Answer is a remembered response.
type Answer struct {
	Status int
	Body   []byte
}

type record struct {
	Fingerprint string
	Answer      Answer
}

// ErrMismatch is returned when a token comes back with other parameters.
var ErrMismatch = errors.New("idempotency: token reused with different parameters")

// Cache stores answers by (scope, operation, token).
type Cache struct {
	store store.Store
	locks sync.Map // key -> *sync.Mutex: one request per token at a time
}

// New returns a cache over s.
func New(s store.Store) *Cache { return &Cache{store: s} }

// Do returns the remembered answer for the token, or runs fn and remembers
// its answer when fn succeeds (ok true). Replayed reports whether the answer
// came from memory.
func (c *Cache) Do(ctx context.Context, scope store.Scope, op, token string, params []byte, fn func() (a Answer, ok bool)) (a Answer, replayed bool, err error) {
	sum := sha256.Sum256([]byte(scope.Account + "\x00" + scope.Region + "\x00" + op + "\x00" + token))
	key := hex.EncodeToString(sum[:])
	fp := sha256.Sum256(params)
	fingerprint := hex.EncodeToString(fp[:])

	mu, _ := c.locks.LoadOrStore(key, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()

	var prev *record
	err = c.store.View(ctx, func(tx store.Tx) error {
		r, err := tx.Get(kind, key)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		prev = &record{}
		return json.Unmarshal(r.Body, prev)
	})
	if err != nil {
		return Answer{}, false, err
	}
	if prev != nil {
		if prev.Fingerprint != fingerprint {
			return Answer{}, false, ErrMismatch
		}
		return prev.Answer, true, nil
	}
	a, ok := fn()
	if !ok {
		return a, false, nil
	}
	body, err := json.Marshal(record{Fingerprint: fingerprint, Answer: a})
	if err != nil {
		return a, false, err
	}
	err = c.store.Update(ctx, func(tx store.Tx) error {
		return tx.Put(&store.Record{Kind: kind, ID: key, Scope: scope, Body: body})
	})
	return a, false, err
}
