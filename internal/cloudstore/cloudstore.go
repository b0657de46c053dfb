// Package cloudstore adapts internal/store to the domain kernel's store
// port (cloud.Store), so that the domain and the engine built on it never
// import a store: the kernel names what it needs in its own types, and this
// package, wired by internal/emulator, translates.
package cloudstore

import (
	"context"
	"errors"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/store"
)

// New is s as the kernel's store port. Its transactions join the request's
// shared transaction (store.WithShared) when the context carries one.
func New(s store.Store) cloud.Store { return port{s} }

type port struct{ s store.Store }

func (p port) View(ctx context.Context, fn func(cloud.StoreTx) error) error {
	return store.View(ctx, p.s, func(tx store.Tx) error { return fn(txPort{tx}) })
}

func (p port) Update(ctx context.Context, fn func(cloud.StoreTx) error) error {
	return store.Update(ctx, p.s, func(tx store.Tx) error { return fn(txPort{tx}) })
}

func (p port) Shared(ctx context.Context) bool { return store.SharedFrom(ctx) != nil }

func (p port) Revision() uint64 { return p.s.Revision() }

type txPort struct{ tx store.Tx }

func (t txPort) Get(kind cloud.Kind, id string) (*cloud.Record, error) {
	r, err := t.tx.Get(store.Kind(kind), id)
	if err != nil {
		return nil, notFound(err)
	}
	return recordOf(r), nil
}

func (t txPort) Put(r *cloud.Record) error {
	keys := make([]store.Key, len(r.Keys))
	for i, k := range r.Keys {
		keys[i] = store.Key(k)
	}
	return t.tx.Put(&store.Record{Kind: store.Kind(r.Kind), ID: r.ID, Scope: store.Scope(r.Scope), Body: r.Body, Keys: keys})
}

func (t txPort) Delete(kind cloud.Kind, id string) error {
	return notFound(t.tx.Delete(store.Kind(kind), id))
}

func (t txPort) Scan(kind cloud.Kind, scope cloud.Scope, after string, fn func(*cloud.Record) bool) error {
	return t.tx.Scan(store.Kind(kind), store.Scope(scope), after, func(r *store.Record) bool { return fn(recordOf(r)) })
}

func (t txPort) ScanKind(kind cloud.Kind, after string, fn func(*cloud.Record) bool) error {
	return t.tx.ScanKind(store.Kind(kind), after, func(r *store.Record) bool { return fn(recordOf(r)) })
}

func (t txPort) Find(kind cloud.Kind, key cloud.Key, fn func(*cloud.Record) bool) error {
	return t.tx.Find(store.Kind(kind), store.Key(key), func(r *store.Record) bool { return fn(recordOf(r)) })
}

func (t txPort) Count(kind cloud.Kind, key cloud.Key, limit int) (int, error) {
	return t.tx.Count(store.Kind(kind), store.Key(key), limit)
}

// recordOf is a read record in the kernel's terms; keys are never read
// back, so none are copied.
func recordOf(r *store.Record) *cloud.Record {
	return &cloud.Record{Kind: cloud.Kind(r.Kind), ID: r.ID, Scope: cloud.Scope(r.Scope), Body: r.Body}
}

// notFound is the kernel's not-found for the store's.
func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return cloud.ErrNoRecord
	}
	return err
}
