// Package store defines how vpcemu keeps its state: a transactional store of
// records (one per resource) with secondary keys. Backends live in
// subpackages (sqlite; postgres later) and must pass storetest.Run.
//
// The store knows nothing of resource types: a record's body is opaque bytes
// that the domain encodes, and its keys are the lookups the domain needs
// ("subnets of vpc-1", "tag Name=web").
package store

import (
	"context"
	"errors"
)

// Kind names a resource type ("vpc", "subnet", …).
type Kind string

// Scope is the account and region that own a record.
type Scope struct {
	Account string
	Region  string
}

// Key is one secondary index entry of a record.
type Key struct {
	Name  string
	Value string
}

// Record is one stored resource.
type Record struct {
	Kind  Kind
	ID    string
	Scope Scope
	Body  []byte
	// Keys are written with the record and replace its previous keys. They
	// are not read back.
	Keys []Key
}

// ErrNotFound is returned by Get and Delete for a record that does not exist.
var ErrNotFound = errors.New("store: record not found")

// Store is a transactional record store.
//
// Update transactions are serializable: their effects are as if they ran one
// at a time, and a committed Update is durable before Update returns. A
// backend may run fn more than once (to retry a conflict), so fn must have no
// effects outside tx. If fn returns an error or panics, nothing it wrote is
// kept.
type Store interface {
	// View runs fn over a consistent snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a read-write transaction and commits it when fn
	// returns nil.
	Update(ctx context.Context, fn func(Tx) error) error
	// Revision is a number that moves whenever a write transaction ends:
	// what was read at one revision is still true while it has not moved,
	// so readers cache what they derive from the state by it.
	Revision() uint64
	Close() error
}

// Tx reads and, inside Update, writes records. Writes are visible to later
// reads of the same transaction. Records a Tx returns must not be modified.
type Tx interface {
	// Get returns the record kind/id or ErrNotFound.
	Get(kind Kind, id string) (*Record, error)
	// Put inserts or replaces a record and its keys.
	Put(rec *Record) error
	// Delete removes a record and its keys, or returns ErrNotFound.
	Delete(kind Kind, id string) error
	// Scan calls fn for each record of kind in scope whose id sorts after
	// `after`, in id order, until fn returns false.
	Scan(kind Kind, scope Scope, after string, fn func(*Record) bool) error
	// ScanKind calls fn for each record of kind, in every scope, whose id
	// sorts after `after`, in id order, until fn returns false.
	ScanKind(kind Kind, after string, fn func(*Record) bool) error
	// Find calls fn for each record of kind (in any scope) that has key, in
	// id order, until fn returns false.
	Find(kind Kind, key Key, fn func(*Record) bool) error
	// Count is the number of records of kind (in any scope) that have key,
	// counting no further than limit (no limit when limit <= 0): quotas ask
	// whether a count reached a maximum without reading the records.
	Count(kind Kind, key Key, limit int) (int, error)
}
