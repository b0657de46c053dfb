package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"

	"modernc.org/sqlite"

	"github.com/vpcemu/vpcemu/internal/store"
)

// The statements a session keeps prepared.
const (
	stBegin = iota
	stBeginImmediate
	stCommit
	stRollback
	stSavepoint
	stRelease
	stRollbackTo
	stGet
	stKeysOf
	stUpsert
	stDeleteKey
	stInsertKey
	stDelete
	stScan
	stScanKind
	stFind
	stCount
	stPin
	numStmts
)

var stmtSQL = [numStmts]string{
	stBegin:          `BEGIN`,
	stBeginImmediate: `BEGIN IMMEDIATE`,
	stCommit:         `COMMIT`,
	stRollback:       `ROLLBACK`,
	stSavepoint:      `SAVEPOINT w`,
	stRelease:        `RELEASE w`,
	stRollbackTo:     `ROLLBACK TO w`,
	stGet:            `SELECT account, region, body FROM records WHERE kind = ? AND id = ?`,
	stKeysOf:         `SELECT keys FROM records WHERE kind = ? AND id = ?`,
	stUpsert: `INSERT INTO records (kind, id, account, region, body, keys) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, id) DO UPDATE SET account = excluded.account, region = excluded.region, body = excluded.body, keys = excluded.keys`,
	stDeleteKey: `DELETE FROM record_keys WHERE kind = ? AND name = ? AND value = ? AND id = ?`,
	stInsertKey: `INSERT OR IGNORE INTO record_keys (kind, name, value, id) VALUES (?, ?, ?, ?)`,
	stDelete:    `DELETE FROM records WHERE kind = ? AND id = ?`,
	stScan:      `SELECT id, body FROM records WHERE account = ? AND region = ? AND kind = ? AND id > ? ORDER BY id`,
	stScanKind:  `SELECT id, account, region, body FROM records WHERE kind = ? AND id > ? ORDER BY id`,
	stFind: `SELECT r.id, r.account, r.region, r.body FROM record_keys k
		JOIN records r ON r.kind = k.kind AND r.id = k.id
		WHERE k.kind = ? AND k.name = ? AND k.value = ? ORDER BY k.id`,
	// A negative LIMIT is no limit in SQLite.
	stCount: `SELECT count(*) FROM (SELECT 1 FROM record_keys WHERE kind = ? AND name = ? AND value = ? LIMIT ?)`,
	// A read of the table, to take a read transaction's snapshot.
	stPin: `SELECT 1 FROM records WHERE kind = '' AND id = ''`,
}

// bg is the context of statements: a started statement runs to its end
// even if the client goes away (a transaction is never left half done).
var bg = context.Background()

// drv opens connections directly: the store keeps its own connections, so
// database/sql's pool (a lock, a map and conversions on every statement)
// would only add cost.
var drv = &sqlite.Driver{}

// stmt is what the driver's prepared statements implement.
type stmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// session is one connection with its prepared statements. Only one
// goroutine uses a session at a time.
type session struct {
	conn  driver.Conn
	stmts [numStmts]stmt
	// busy marks statements with open rows (a Scan or Find whose callback
	// runs another Scan or Find); a nested use prepares its own.
	busy [numStmts]bool
	args [6]driver.NamedValue // parameters of the statement being started
	// A reader's open read transaction, and the commit count when it
	// began (see Store.viewOn).
	open bool
	snap uint64
}

// pin takes the snapshot of the read transaction just begun.
func (s *session) pin() error {
	rows, err := s.stmts[stPin].QueryContext(bg, nil)
	if err != nil {
		return err
	}
	var row [1]driver.Value
	if err := rows.Next(row[:]); err != nil && err != io.EOF {
		rows.Close()
		return err
	}
	return rows.Close()
}

// endRead ends a reader's read transaction.
func (s *session) endRead() {
	s.exec(stRollback)
	s.open = false
}

// openSession opens a connection, sets it up and prepares the statements.
func openSession(dsn string, setup func(driver.Conn) error) (*session, error) {
	conn, err := drv.Open(dsn)
	if err != nil {
		return nil, err
	}
	s := &session{conn: conn}
	if err := setup(conn); err != nil {
		conn.Close()
		return nil, err
	}
	for i, q := range stmtSQL {
		if s.stmts[i], err = s.prepare(q); err != nil {
			s.close()
			return nil, err
		}
	}
	return s, nil
}

func (s *session) prepare(q string) (stmt, error) {
	ds, err := s.conn.(driver.ConnPrepareContext).PrepareContext(bg, q)
	if err != nil {
		return nil, err
	}
	st, ok := ds.(stmt)
	if !ok {
		ds.Close()
		return nil, errors.New("sqlite: driver statement lacks context methods")
	}
	return st, nil
}

func (s *session) close() error {
	var err error
	for _, st := range s.stmts {
		if st != nil {
			err = errors.Join(err, st.Close())
		}
	}
	return errors.Join(err, s.conn.Close())
}

// params binds values to the session's parameter slots.
func (s *session) params(vals ...driver.Value) []driver.NamedValue {
	p := s.args[:len(vals)]
	for i, v := range vals {
		p[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return p
}

func (s *session) exec(st int, vals ...driver.Value) error {
	_, err := s.stmts[st].ExecContext(bg, s.params(vals...))
	return err
}

// query runs a statement that returns rows, the prepared one unless it is
// already running; done must be called once the rows are closed.
func (s *session) query(st int, vals ...driver.Value) (rows driver.Rows, done func(), err error) {
	if s.busy[st] {
		nested, err := s.prepare(stmtSQL[st])
		if err != nil {
			return nil, nil, err
		}
		if rows, err = nested.QueryContext(bg, s.params(vals...)); err != nil {
			nested.Close()
			return nil, nil, err
		}
		return rows, func() { nested.Close() }, nil
	}
	if rows, err = s.stmts[st].QueryContext(bg, s.params(vals...)); err != nil {
		return nil, nil, err
	}
	s.busy[st] = true
	return rows, func() { s.busy[st] = false }, nil
}

// text reads a TEXT column.
func text(v driver.Value) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

// blob reads a BLOB column; the driver hands out a copy.
func blob(v driver.Value) []byte {
	switch v := v.(type) {
	case []byte:
		return v
	case string:
		return []byte(v)
	}
	return nil
}

// sqlTx is a transaction on a session.
type sqlTx struct {
	s        *session
	writable bool
	cache    *recordCache
	// A read transaction's commit count when it began, and its store
	// (whose count now the cache asks).
	gen uint64
	st  *Store
}

// Get reads a record: in a read transaction from the cache if it holds it,
// else from SQLite, caching what it read. A write transaction reads SQLite
// (it sees its own writes, and those of its group).
func (t *sqlTx) Get(kind store.Kind, id string) (*store.Record, error) {
	if !t.writable {
		if r, ok := t.cache.get(kind, id, t.gen); ok {
			return r, nil
		}
	}
	r, err := t.get(kind, id)
	if err == nil && !t.writable {
		t.cache.add(r, t.gen, t.st.gen.Load)
	}
	return r, err
}

func (t *sqlTx) get(kind store.Kind, id string) (*store.Record, error) {
	rows, err := t.s.stmts[stGet].QueryContext(bg, t.s.params(string(kind), id))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var row [3]driver.Value
	if err := rows.Next(row[:]); err != nil {
		if err == io.EOF {
			return nil, store.ErrNotFound
		}
		return nil, err
	}
	return &store.Record{Kind: kind, ID: id, Scope: store.Scope{Account: text(row[0]), Region: text(row[1])}, Body: blob(row[2])}, nil
}

var errReadOnly = errors.New("store: write in a read-only transaction")

// Put writes the record and changes only the index entries of keys that
// it gains or loses: every entry written is a page to write and fsync.
func (t *sqlTx) Put(rec *store.Record) error {
	if !t.writable {
		return errReadOnly
	}
	if rec.Kind == "" || rec.ID == "" {
		return errors.New("store: record needs a kind and an id")
	}
	kind := string(rec.Kind)
	t.cache.writing(rec.Kind, rec.ID)
	old, err := t.keysOf(kind, rec.ID)
	if err != nil {
		return err
	}
	keys := dedupKeys(rec.Keys)
	if err := t.s.exec(stUpsert, kind, rec.ID, rec.Scope.Account, rec.Scope.Region, rec.Body, encodeKeys(keys)); err != nil {
		return err
	}
	for _, k := range missing(old, keys) {
		if err := t.s.exec(stDeleteKey, kind, k.Name, k.Value, rec.ID); err != nil {
			return err
		}
	}
	for _, k := range missing(keys, old) {
		if err := t.s.exec(stInsertKey, kind, k.Name, k.Value, rec.ID); err != nil {
			return err
		}
	}
	return nil
}

// keysOf returns the keys a stored record has, or none if it does not
// exist.
func (t *sqlTx) keysOf(kind, id string) ([]store.Key, error) {
	rows, err := t.s.stmts[stKeysOf].QueryContext(bg, t.s.params(kind, id))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var row [1]driver.Value
	if err := rows.Next(row[:]); err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, err
	}
	return decodeKeys(blob(row[0]))
}

func (t *sqlTx) Delete(kind store.Kind, id string) error {
	if !t.writable {
		return errReadOnly
	}
	t.cache.writing(kind, id)
	keys, err := t.keysOf(string(kind), id)
	if err != nil {
		return err
	}
	res, err := t.s.stmts[stDelete].ExecContext(bg, t.s.params(string(kind), id))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	for _, k := range keys {
		if err := t.s.exec(stDeleteKey, string(kind), k.Name, k.Value, id); err != nil {
			return err
		}
	}
	return nil
}

func (t *sqlTx) Scan(kind store.Kind, scope store.Scope, after string, fn func(*store.Record) bool) error {
	rows, done, err := t.s.query(stScan, scope.Account, scope.Region, string(kind), after)
	if err != nil {
		return err
	}
	defer done()
	defer rows.Close()
	var row [2]driver.Value
	for {
		if err := rows.Next(row[:]); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		if !fn(&store.Record{Kind: kind, ID: text(row[0]), Scope: scope, Body: blob(row[1])}) {
			return nil
		}
	}
}

func (t *sqlTx) ScanKind(kind store.Kind, after string, fn func(*store.Record) bool) error {
	return t.records(kind, fn, stScanKind, string(kind), after)
}

func (t *sqlTx) Count(kind store.Kind, key store.Key, limit int) (int, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, done, err := t.s.query(stCount, string(kind), key.Name, key.Value, int64(limit))
	if err != nil {
		return 0, err
	}
	defer done()
	defer rows.Close()
	var row [1]driver.Value
	if err := rows.Next(row[:]); err != nil {
		return 0, err
	}
	n, _ := row[0].(int64)
	return int(n), nil
}

func (t *sqlTx) Find(kind store.Kind, key store.Key, fn func(*store.Record) bool) error {
	return t.records(kind, fn, stFind, string(kind), key.Name, key.Value)
}

// records runs a statement whose rows are a record's id, account, region
// and body, and calls fn with each as a record of kind until it returns
// false.
func (t *sqlTx) records(kind store.Kind, fn func(*store.Record) bool, st int, vals ...driver.Value) error {
	rows, done, err := t.s.query(st, vals...)
	if err != nil {
		return err
	}
	defer done()
	defer rows.Close()
	var row [4]driver.Value
	for {
		if err := rows.Next(row[:]); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		rec := &store.Record{Kind: kind, ID: text(row[0]), Scope: store.Scope{Account: text(row[1]), Region: text(row[2])}, Body: blob(row[3])}
		if !fn(rec) {
			return nil
		}
	}
}
