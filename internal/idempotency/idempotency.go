// Package idempotency remembers the answers to requests that carry a client
// token (ClientToken), so a retried create returns the first answer instead
// of creating twice, and a token reused with other parameters is refused.
//
// The answer is written in the same store transaction as what the request
// created (a shared transaction its use cases join, see store.Shared): one
// commit, one fsync, and no moment at which the resource exists but its
// token does not.
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"

	"github.com/vpcemu/vpcemu/internal/store"
)

const kind store.Kind = "idempotency"

// Answer is a remembered response.
type Answer struct {
	Status      int
	ContentType string // empty in answers remembered before it was kept: XML
	Body        []byte
}

type record struct {
	Fingerprint string
	Answer      Answer
}

// ErrMismatch is returned when a token comes back with other parameters.
var ErrMismatch = errors.New("idempotency: token reused with different parameters")

// errNotKept rolls back a shared transaction whose request failed.
var errNotKept = errors.New("idempotency: the request failed; nothing is kept")

// Cache stores answers by (scope, operation, token).
type Cache struct {
	store store.Store
}

// New returns a cache over s.
func New(s store.Store) *Cache { return &Cache{store: s} }

// Run is a request: it answers, reporting success (ok). Its use cases run in
// the transaction ctx carries.
type Run func(ctx context.Context) (a Answer, ok bool)

// Do returns the remembered answer for the token, or runs the request and,
// when it succeeds, remembers its answer in the same transaction as what it
// wrote. Replayed reports whether the answer came from memory. A failed
// request keeps nothing and is not remembered, as on AWS, where a retry of a
// refused create may succeed.
func (c *Cache) Do(ctx context.Context, scope store.Scope, op, token string, params []byte, run Run) (a Answer, replayed bool, err error) {
	sum := sha256.Sum256([]byte(scope.Account + "\x00" + scope.Region + "\x00" + op + "\x00" + token))
	key := hex.EncodeToString(sum[:])
	fp := sha256.Sum256(params)
	fingerprint := hex.EncodeToString(fp[:])

	// A retry usually finds its answer: read it without taking the writer.
	var prev *record
	if err := c.store.View(ctx, func(tx store.Tx) error {
		prev, err = lookup(tx, key)
		return err
	}); err != nil {
		return Answer{}, false, err
	}
	if prev != nil {
		return replay(prev, fingerprint)
	}

	// The writer serialises requests, so two with one token cannot both
	// create: the second finds the first's answer here.
	var swallowed bool
	err = c.store.Update(ctx, func(tx store.Tx) error {
		a, replayed, swallowed = Answer{}, false, false
		prev, err := lookup(tx, key)
		if err != nil {
			return err
		}
		if prev != nil {
			a, replayed, err = replay(prev, fingerprint)
			return err
		}
		shared, sh := store.WithShared(ctx, tx)
		var ok bool
		a, ok = run(shared)
		switch {
		case !ok:
			return errNotKept
		case sh.Failed(): // succeeded past a failed use case: see below
			swallowed = true
			return errNotKept
		}
		body, err := json.Marshal(record{Fingerprint: fingerprint, Answer: a})
		if err != nil {
			return err
		}
		return tx.Put(&store.Record{Kind: kind, ID: key, Scope: scope, Body: body})
	})
	switch {
	case swallowed:
		// The request answered success although one of its use cases failed
		// (and wrote part of its work to the shared transaction, now rolled
		// back). Run it again on its own, as it would run without a token,
		// and do not remember the answer.
		a, _ = run(ctx)
		return a, false, nil
	case errors.Is(err, errNotKept):
		return a, false, nil
	}
	return a, replayed, err
}

func lookup(tx store.Tx, key string) (*record, error) {
	r, err := tx.Get(kind, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	prev := &record{}
	return prev, json.Unmarshal(r.Body, prev)
}

func replay(prev *record, fingerprint string) (Answer, bool, error) {
	if prev.Fingerprint != fingerprint {
		return Answer{}, false, ErrMismatch
	}
	return prev.Answer, true, nil
}
