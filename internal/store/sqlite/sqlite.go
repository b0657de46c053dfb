// Package sqlite is the embedded store backend: one SQLite file (pure Go, no
// cgo) in WAL mode with full fsync on commit, so an answered write survives a
// crash of the process or the machine. It can also live in memory for tests.
//
// Every connection keeps its statements prepared (a statement costs more to
// parse than to run), readers run on their own connections beside the
// writer, and concurrent writers share commits (see Update).
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
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
	db      *sql.DB
	writer  *session
	readers chan *session // nil in memory: readers share the writer
	closed  atomic.Bool

	// writeMu is the writer connection's turn. waiting counts Updates
	// queued for it, so the last of a group knows to commit.
	writeMu sync.Mutex
	waiting atomic.Int32
	batch   *batch // the open group commit, if any
	group   bool   // share commits between concurrent writers
}

// maxBatch bounds the Updates sharing one commit, and so the wait of the
// first of them.
const maxBatch = 64

// batch is one commit shared by the Updates that ran in its transaction.
type batch struct {
	size int
	done chan struct{} // closed once committed (or failed)
	err  error
}

// Open opens (creating if needed) the database file path.
func Open(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(OFF)"
	readers := max(4, 2*runtime.GOMAXPROCS(0))
	s, err := open(dsn, readers)
	if err != nil {
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	s.group = true
	return s, nil
}

var memSeq atomic.Int64

// OpenMemory opens a private in-memory database; it is gone when closed.
func OpenMemory() (*Store, error) {
	// One connection serves readers and the writer: an in-memory database
	// has no WAL, so a second connection would only wait on locks. Nothing
	// is fsynced, so commits are not shared: a reader on the one
	// connection must never see a group's uncommitted writes.
	return open(fmt.Sprintf("file:vpcemu-mem-%d?mode=memory&_pragma=foreign_keys(OFF)", memSeq.Add(1)), 0)
}

func open(dsn string, readers int) (*Store, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(readers + 1)
	db.SetMaxIdleConns(readers + 1)
	db.SetConnMaxLifetime(0)
	s := &Store{db: db}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, err
	}
	if s.writer, err = newSession(db, false); err != nil {
		db.Close()
		return nil, err
	}
	if readers > 0 {
		s.readers = make(chan *session, readers)
		for range readers {
			r, err := newSession(db, true)
			if err != nil {
				s.Close()
				return nil, err
			}
			s.readers <- r
		}
	}
	return s, nil
}

// Close implements store.Store. It must not run beside View or Update.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	var err error
	if s.readers != nil {
		close(s.readers)
		for r := range s.readers {
			err = errors.Join(err, r.close())
		}
	}
	if s.writer != nil {
		err = errors.Join(err, s.writer.close())
	}
	return errors.Join(err, s.db.Close())
}

// View implements store.Store.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	var sess *session
	if s.readers == nil {
		// In memory there is one connection; share the writer's turn.
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
		sess = s.writer
	} else {
		select {
		case sess = <-s.readers:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { s.readers <- sess }()
	}
	if err := sess.exec(stBegin); err != nil {
		return err
	}
	defer sess.exec(stRollback)
	return fn(&sqlTx{s: sess})
}

// Update implements store.Store.
//
// Concurrent Updates share commits (group commit): each runs under a
// savepoint inside the writer's open transaction, one at a time, and the
// last one of the group, seeing nobody queued behind it, commits for all.
// An Update returns only once the commit that holds its writes is durable,
// so an answered write is as safe as with a commit of its own, and one
// fsync serves many writers. An Update that fails rolls back to its
// savepoint, leaving the others' writes; if the shared commit fails, every
// Update of the group fails.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	s.waiting.Add(1)
	s.writeMu.Lock()
	s.waiting.Add(-1)
	if s.batch == nil {
		if err := s.writer.exec(stBeginImmediate); err != nil {
			s.writeMu.Unlock()
			return err
		}
		s.batch = &batch{done: make(chan struct{})}
	}
	b := s.batch
	err, panicked, p := s.runSavepoint(fn)
	if err == nil && !panicked {
		b.size++
	}
	if !s.group || s.waiting.Load() == 0 || b.size >= maxBatch || b.err != nil {
		s.commit(b)
	}
	s.writeMu.Unlock()
	if panicked {
		panic(p)
	}
	if err != nil {
		return err
	}
	<-b.done
	return b.err
}

// runSavepoint runs fn under a savepoint of the open transaction and rolls
// back to it when fn fails or panics. A failure of the savepoint itself
// fails the whole group (b.err).
func (s *Store) runSavepoint(fn func(store.Tx) error) (err error, panicked bool, p any) {
	w := s.writer
	if err := w.exec(stSavepoint); err != nil {
		s.batch.err = err
		return err, false, nil
	}
	func() {
		defer func() {
			if p = recover(); p != nil {
				panicked = true
			}
		}()
		err = fn(&sqlTx{s: w, writable: true})
	}()
	if err != nil || panicked {
		if rerr := w.exec(stRollbackTo); rerr != nil {
			s.batch.err = rerr
		}
	}
	if rerr := w.exec(stRelease); rerr != nil && s.batch.err == nil {
		s.batch.err = rerr
	}
	return err, panicked, p
}

// commit ends the open group: it commits, or rolls back if the group has
// already failed or the commit fails, and wakes the group's Updates.
func (s *Store) commit(b *batch) {
	if b.err == nil {
		b.err = s.writer.exec(stCommit)
	}
	if b.err != nil {
		s.writer.exec(stRollback)
	}
	s.batch = nil
	close(b.done)
}
