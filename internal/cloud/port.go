package cloud

import (
	"context"
	"errors"
)

// The store port: what the kernel needs of persistence, in its own types,
// so that the domain and the engine built on its read model never depend on
// a store. internal/cloudstore adapts internal/store to it.

// Kind names a resource type; it is also the stored record's kind.
type Kind string

// Scope is the account and region that own a resource.
type Scope struct {
	Account string
	Region  string
}

// Key is one secondary index entry of a record.
type Key struct {
	Name  string
	Value string
}

// Record is one stored resource: its kind, id and scope, its body (JSON),
// and the index keys it is found by (written with it, never read back).
type Record struct {
	Kind  Kind
	ID    string
	Scope Scope
	Body  []byte
	Keys  []Key
}

// ErrNoRecord is what Get and Delete answer for a record that does not
// exist.
var ErrNoRecord = errors.New("cloud: record not found")

// Store is a transactional record store.
type Store interface {
	// View runs fn over a consistent snapshot; Update runs fn in a write
	// transaction that commits when fn returns nil. Both join the request's
	// shared transaction when ctx carries one (a create and its client
	// token commit together).
	View(ctx context.Context, fn func(StoreTx) error) error
	Update(ctx context.Context, fn func(StoreTx) error) error
	// Shared reports whether ctx carries such a shared transaction, which
	// may yet roll back.
	Shared(ctx context.Context) bool
	// Revision moves whenever a write transaction ends (see
	// Cloud.Revision).
	Revision() uint64
}

// StoreTx is one transaction of a Store.
type StoreTx interface {
	Get(kind Kind, id string) (*Record, error)
	// Put writes a record and replaces its keys.
	Put(rec *Record) error
	Delete(kind Kind, id string) error
	// Scan calls fn with the records of kind in scope, in id order after
	// after, until fn returns false.
	Scan(kind Kind, scope Scope, after string, fn func(*Record) bool) error
	// ScanKind calls fn with the records of kind in every scope, in id
	// order after after, until fn returns false.
	ScanKind(kind Kind, after string, fn func(*Record) bool) error
	// Find calls fn with the records of kind that have key, in id order,
	// until fn returns false.
	Find(kind Kind, key Key, fn func(*Record) bool) error
	// Count counts the records of kind that have key, up to limit.
	Count(kind Kind, key Key, limit int) (int, error)
}
