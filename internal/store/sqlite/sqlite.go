// Package sqlite is the embedded store backend: one SQLite file (pure Go, no
// cgo) in WAL mode with full fsync on commit, so an answered write survives a
// crash of the process or the machine. It can also live in memory for tests.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/vpcemu/vpcemu/internal/store"
)

const schema = `
CREATE TABLE IF NOT EXISTS records (
	kind    TEXT NOT NULL,
	id      TEXT NOT NULL,
	account TEXT NOT NULL,
	region  TEXT NOT NULL,
	body    BLOB NOT NULL,
	PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_by_scope ON records (account, region, kind, id);
CREATE TABLE IF NOT EXISTS record_keys (
	kind  TEXT NOT NULL,
	name  TEXT NOT NULL,
	value TEXT NOT NULL,
	id    TEXT NOT NULL,
	PRIMARY KEY (kind, name, value, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS record_keys_by_record ON record_keys (kind, id);
`

// Store is a SQLite-backed store.Store.
type Store struct {
	write   *sql.DB // one connection: SQLite has a single writer
	read    *sql.DB // readers run beside the writer (WAL); the same as write in memory
	writeMu sync.Mutex
	closed  atomic.Bool
}

// Open opens (creating if needed) the database file path.
func Open(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(OFF)"
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if _, err := w.Exec(schema); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(ON)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	r.SetConnMaxLifetime(0)
	return &Store{write: w, read: r}, nil
}

var memSeq atomic.Int64

// OpenMemory opens a private in-memory database; it is gone when closed.
func OpenMemory() (*Store, error) {
	// One connection serves readers and the writer: an in-memory database
	// has no WAL, so a second connection would only wait on locks.
	dsn := fmt.Sprintf("file:vpcemu-mem-%d?mode=memory&_pragma=foreign_keys(OFF)", memSeq.Add(1))
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{write: db, read: db}, nil
}

// Close implements store.Store.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// View implements store.Store.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	if s.read == s.write {
		// In memory there is one connection; share the writer's turn.
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	tx, err := s.read.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(&sqlTx{tx: tx})
}

// Update implements store.Store.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) (err error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	// A started write runs to its end even if the client goes away.
	tx, err := s.write.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			tx.Rollback()
		}
	}()
	if err := fn(&sqlTx{tx: tx, writable: true}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	committed = true
	return nil
}

type sqlTx struct {
	tx       *sql.Tx
	writable bool
}

func (t *sqlTx) Get(kind store.Kind, id string) (*store.Record, error) {
	rec := &store.Record{Kind: kind, ID: id}
	err := t.tx.QueryRow(`SELECT account, region, body FROM records WHERE kind = ? AND id = ?`, string(kind), id).
		Scan(&rec.Scope.Account, &rec.Scope.Region, &rec.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return rec, nil
}

var errReadOnly = errors.New("store: write in a read-only transaction")

func (t *sqlTx) Put(rec *store.Record) error {
	if !t.writable {
		return errReadOnly
	}
	if rec.Kind == "" || rec.ID == "" {
		return errors.New("store: record needs a kind and an id")
	}
	if _, err := t.tx.Exec(`INSERT INTO records (kind, id, account, region, body) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, id) DO UPDATE SET account = excluded.account, region = excluded.region, body = excluded.body`,
		string(rec.Kind), rec.ID, rec.Scope.Account, rec.Scope.Region, rec.Body); err != nil {
		return err
	}
	if _, err := t.tx.Exec(`DELETE FROM record_keys WHERE kind = ? AND id = ?`, string(rec.Kind), rec.ID); err != nil {
		return err
	}
	for _, k := range rec.Keys {
		if _, err := t.tx.Exec(`INSERT OR IGNORE INTO record_keys (kind, name, value, id) VALUES (?, ?, ?, ?)`,
			string(rec.Kind), k.Name, k.Value, rec.ID); err != nil {
			return err
		}
	}
	return nil
}

func (t *sqlTx) Delete(kind store.Kind, id string) error {
	if !t.writable {
		return errReadOnly
	}
	res, err := t.tx.Exec(`DELETE FROM records WHERE kind = ? AND id = ?`, string(kind), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	_, err = t.tx.Exec(`DELETE FROM record_keys WHERE kind = ? AND id = ?`, string(kind), id)
	return err
}

func (t *sqlTx) Scan(kind store.Kind, scope store.Scope, after string, fn func(*store.Record) bool) error {
	rows, err := t.tx.Query(`SELECT id, body FROM records WHERE account = ? AND region = ? AND kind = ? AND id > ? ORDER BY id`,
		scope.Account, scope.Region, string(kind), after)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		rec := &store.Record{Kind: kind, Scope: scope}
		if err := rows.Scan(&rec.ID, &rec.Body); err != nil {
			return err
		}
		if !fn(rec) {
			break
		}
	}
	return rows.Err()
}

func (t *sqlTx) Find(kind store.Kind, key store.Key, fn func(*store.Record) bool) error {
	rows, err := t.tx.Query(`SELECT r.id, r.account, r.region, r.body FROM record_keys k
		JOIN records r ON r.kind = k.kind AND r.id = k.id
		WHERE k.kind = ? AND k.name = ? AND k.value = ? ORDER BY k.id`,
		string(kind), key.Name, key.Value)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		rec := &store.Record{Kind: kind}
		if err := rows.Scan(&rec.ID, &rec.Scope.Account, &rec.Scope.Region, &rec.Body); err != nil {
			return err
		}
		if !fn(rec) {
			break
		}
	}
	return rows.Err()
}
