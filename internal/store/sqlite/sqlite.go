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
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vpcemu/vpcemu/internal/store"
)

// schema: records, and record_keys indexing them by key. A record's row
// also lists its keys (see keys.go), so record_keys needs no index by
// record. Every index is pages to write on every commit.
const schema = `
CREATE TABLE IF NOT EXISTS records (
	kind    TEXT NOT NULL,
	id      TEXT NOT NULL,
	account TEXT NOT NULL,
	region  TEXT NOT NULL,
	body    BLOB NOT NULL,
	keys    BLOB NOT NULL DEFAULT x'',
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
`

// Store is a SQLite-backed store.Store.
type Store struct {
	writer  *session
	readers chan *session // nil in memory: readers share the writer
	closed  atomic.Bool
	// gen counts ended write transactions (commits, and failed commits to
	// be safe). A reader keeps its snapshot (its read transaction) from one
	// View to the next while gen has not moved, so a View sees every write
	// answered before it began.
	gen atomic.Uint64
	// cache keeps records Views read by id (see recordCache).
	cache *recordCache

	// writeMu is the writer connection's turn. waiting counts Updates
	// queued for it, so the last of a group knows to commit.
	writeMu sync.Mutex
	waiting atomic.Int32
	batch   *batch // the open group commit, if any
	group   bool   // share commits between concurrent writers
	// observer hears of each commit (nil: nobody); set before use.
	observer Observer
}

// Observer hears of the store's commits, for vpcemu's own metrics; its
// method must be quick (it runs on the writer's turn) and safe for
// concurrent use.
type Observer interface {
	// Committed: one commit of the Updates of a group (updates of them
	// kept their writes) took d, the COMMIT with its fsync; err is why it
	// failed.
	Committed(updates int, d time.Duration, err error)
}

// Observe has the store's commits heard by o. Call it before the store is
// used.
func (s *Store) Observe(o Observer) { s.observer = o }

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
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(OFF)&_pragma=temp_store(MEMORY)"
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

// cacheBytes bounds the record cache: a few thousand records (a VPC's is
// about 0.8 KB with its entry), and about twice that in resident memory,
// since the garbage collector lets the heap grow to twice what is live.
const cacheBytes = 2 << 20

func open(dsn string, readers int) (*Store, error) {
	s := &Store{cache: newRecordCache(cacheBytes)}
	var err error
	// The writer creates the schema, before the readers prepare theirs.
	if s.writer, err = openSession(dsn, setUpWriter); err != nil {
		return nil, err
	}
	if readers > 0 {
		s.readers = make(chan *session, readers)
		for range readers {
			r, err := openSession(dsn, func(c driver.Conn) error { return run(c, `PRAGMA query_only = ON`) })
			if err != nil {
				s.Close()
				return nil, err
			}
			s.readers <- r
		}
	}
	return s, nil
}

// run runs SQL (one statement or several) on a connection.
func run(c driver.Conn, q string, args ...driver.NamedValue) error {
	_, err := c.(driver.ExecerContext).ExecContext(bg, q, args)
	return err
}

// writerPragmas size the writer for a stream of small durable commits. A
// bigger page cache than a reader's (2 MB) keeps more of the pages that
// inserts touch at random in memory (each cached page costs about twice its
// size in resident memory, so 8 MB, not more); a longer WAL between
// automatic checkpoints copies a page rewritten by many commits to the
// database once, not once per 1,000 pages of WAL.
const writerPragmas = `PRAGMA cache_size = -8192; PRAGMA wal_autocheckpoint = 4000;`

// setUpWriter creates or upgrades the schema.
func setUpWriter(c driver.Conn) error {
	if err := run(c, schema+writerPragmas); err != nil {
		return err
	}
	return addKeyLists(c)
}

// addKeyLists upgrades a database of an earlier vpcemu, whose records did
// not list their keys (record_keys had an index by record instead).
func addKeyLists(c driver.Conn) error {
	q := c.(driver.QueryerContext)
	rows, err := q.QueryContext(bg, `SELECT count(*) FROM pragma_table_info('records') WHERE name = 'keys'`, nil)
	if err != nil {
		return err
	}
	has := make([]driver.Value, 1)
	err = rows.Next(has)
	rows.Close()
	if err != nil {
		return err
	}
	if n, _ := has[0].(int64); n > 0 {
		return nil
	}
	if err := run(c, `BEGIN IMMEDIATE; ALTER TABLE records ADD COLUMN keys BLOB NOT NULL DEFAULT x''`); err != nil {
		return err
	}
	if err := fillKeyLists(c); err != nil {
		run(c, `ROLLBACK`)
		return fmt.Errorf("upgrading the schema: %w", err)
	}
	return run(c, `DROP INDEX IF EXISTS record_keys_by_record; COMMIT`)
}

// fillKeyLists writes each record's key list from record_keys.
func fillKeyLists(c driver.Conn) error {
	rows, err := c.(driver.QueryerContext).QueryContext(bg, `SELECT kind, id, name, value FROM record_keys ORDER BY kind, id`, nil)
	if err != nil {
		return err
	}
	type rec struct{ kind, id string }
	lists := map[rec][]store.Key{}
	row := make([]driver.Value, 4)
	for {
		if err := rows.Next(row); err != nil {
			rows.Close()
			if err != io.EOF {
				return err
			}
			break
		}
		r := rec{text(row[0]), text(row[1])}
		lists[r] = append(lists[r], store.Key{Name: text(row[2]), Value: text(row[3])})
	}
	for r, keys := range lists {
		if err := run(c, `UPDATE records SET keys = ? WHERE kind = ? AND id = ?`,
			driver.NamedValue{Ordinal: 1, Value: encodeKeys(keys)}, driver.NamedValue{Ordinal: 2, Value: r.kind},
			driver.NamedValue{Ordinal: 3, Value: r.id}); err != nil {
			return err
		}
	}
	return nil
}

// Close implements store.Store. It must not run beside View or Update.
// Revision is the count of ended write transactions.
func (s *Store) Revision() uint64 { return s.gen.Load() }

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
	return err
}

// View implements store.Store.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	if s.readers == nil {
		// In memory there is one connection; share the writer's turn (no
		// write runs meanwhile).
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
		if err := s.writer.exec(stBegin); err != nil {
			return err
		}
		defer s.writer.exec(stRollback)
		return fn(s.viewTx(s.writer, s.gen.Load()))
	}
	var sess *session
	select {
	case sess = <-s.readers: // most often a reader is free: no wait to set up
	default:
		select {
		case sess = <-s.readers:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	defer func() { s.readers <- sess }()
	return s.viewOn(sess, fn)
}

// viewOn runs fn on a reader's snapshot: the one it holds when nothing was
// committed since it was taken (starting and ending a read transaction
// costs more than most Views), else a new one. A new snapshot is pinned at
// once (SQLite would take it at the first read): it then holds every commit
// counted in gen and none made after fn took a record from the cache.
func (s *Store) viewOn(sess *session, fn func(store.Tx) error) (err error) {
	gen := s.gen.Load()
	if sess.open && sess.snap != gen {
		sess.endRead()
	}
	if !sess.open {
		if err := sess.exec(stBegin); err != nil {
			return err
		}
		sess.open, sess.snap = true, gen
		if err := sess.pin(); err != nil {
			sess.endRead()
			return err
		}
	}
	ok := false
	defer func() {
		if !ok { // after a failure or a panic, take no chance on the transaction
			sess.endRead()
		}
	}()
	err = fn(s.viewTx(sess, gen))
	ok = err == nil
	return err
}

// viewTx is a read transaction on sess that began at commit count gen.
func (s *Store) viewTx(sess *session, gen uint64) *sqlTx {
	return &sqlTx{s: sess, cache: s.cache, gen: gen, st: s}
}

// releaseStale ends the read transactions that idle readers hold on
// snapshots older than the last commit: an open read transaction keeps
// checkpoints from emptying the WAL, which would grow while only writes
// come.
func (s *Store) releaseStale() {
	gen := s.gen.Load()
	for range cap(s.readers) {
		select {
		case r := <-s.readers:
			if r.open && r.snap != gen {
				r.endRead()
			}
			s.readers <- r
		default:
			return
		}
	}
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
	panicked, p, err := s.runSavepoint(fn)
	if err == nil && !panicked {
		b.size++
	}
	last := !s.group || s.waiting.Load() == 0 || b.size >= maxBatch || b.err != nil
	if last {
		s.commit(b)
	}
	s.writeMu.Unlock()
	if last && s.readers != nil {
		s.releaseStale()
	}
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
func (s *Store) runSavepoint(fn func(store.Tx) error) (panicked bool, p any, err error) {
	w := s.writer
	if err := w.exec(stSavepoint); err != nil {
		s.batch.err = err
		return false, nil, err
	}
	func() {
		defer func() {
			if p = recover(); p != nil {
				panicked = true
			}
		}()
		err = fn(&sqlTx{s: w, writable: true, cache: s.cache})
	}()
	if err != nil || panicked {
		if rerr := w.exec(stRollbackTo); rerr != nil {
			s.batch.err = rerr
		}
	}
	if rerr := w.exec(stRelease); rerr != nil && s.batch.err == nil {
		s.batch.err = rerr
	}
	return panicked, p, err
}

// commit ends the open group: it commits, or rolls back if the group has
// already failed or the commit fails, and wakes the group's Updates. The
// commit count moves either way (a failed commit is not trusted to have left
// nothing), before any Update of the group returns and before the records
// it wrote may be cached again.
func (s *Store) commit(b *batch) {
	start := time.Now()
	if b.err == nil {
		b.err = s.writer.exec(stCommit)
	}
	if s.observer != nil {
		s.observer.Committed(b.size, time.Since(start), b.err)
	}
	if b.err != nil {
		s.writer.exec(stRollback)
	}
	s.gen.Add(1)
	s.cache.settle()
	s.batch = nil
	close(b.done)
}
