package sqlite

import (
	"context"
	"database/sql"
	"errors"

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
	stUpsert
	stDeleteKeys
	stInsertKey
	stDelete
	stScan
	stFind
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
	stUpsert: `INSERT INTO records (kind, id, account, region, body) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, id) DO UPDATE SET account = excluded.account, region = excluded.region, body = excluded.body`,
	stDeleteKeys: `DELETE FROM record_keys WHERE kind = ? AND id = ?`,
	stInsertKey:  `INSERT OR IGNORE INTO record_keys (kind, name, value, id) VALUES (?, ?, ?, ?)`,
	stDelete:     `DELETE FROM records WHERE kind = ? AND id = ?`,
	stScan:       `SELECT id, body FROM records WHERE account = ? AND region = ? AND kind = ? AND id > ? ORDER BY id`,
	stFind: `SELECT r.id, r.account, r.region, r.body FROM record_keys k
		JOIN records r ON r.kind = k.kind AND r.id = k.id
		WHERE k.kind = ? AND k.name = ? AND k.value = ? ORDER BY k.id`,
}

// bg is the context of statements: a started statement runs to its end
// even if the client goes away (a transaction is never left half done).
var bg = context.Background()

// session is one connection with its prepared statements. Only one
// goroutine uses a session at a time.
type session struct {
	conn  *sql.Conn
	stmts [numStmts]*sql.Stmt
	// busy marks statements with open rows (a Scan or Find whose callback
	// runs another Scan or Find); a nested use runs unprepared.
	busy [numStmts]bool
}

func newSession(db *sql.DB, readOnly bool) (*session, error) {
	conn, err := db.Conn(bg)
	if err != nil {
		return nil, err
	}
	s := &session{conn: conn}
	if readOnly {
		if _, err := conn.ExecContext(bg, `PRAGMA query_only = ON`); err != nil {
			conn.Close()
			return nil, err
		}
	}
	for i, q := range stmtSQL {
		if s.stmts[i], err = conn.PrepareContext(bg, q); err != nil {
			s.close()
			return nil, err
		}
	}
	return s, nil
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

func (s *session) exec(st int, args ...any) error {
	_, err := s.stmts[st].ExecContext(bg, args...)
	return err
}

// query runs a statement that returns rows, prepared unless it is already
// running; done must be called when the rows are closed.
func (s *session) query(st int, args ...any) (rows *sql.Rows, done func(), err error) {
	if s.busy[st] {
		rows, err = s.conn.QueryContext(bg, stmtSQL[st], args...)
		return rows, func() {}, err
	}
	rows, err = s.stmts[st].QueryContext(bg, args...)
	if err != nil {
		return nil, nil, err
	}
	s.busy[st] = true
	return rows, func() { s.busy[st] = false }, nil
}

// sqlTx is a transaction on a session.
type sqlTx struct {
	s        *session
	writable bool
}

func (t *sqlTx) Get(kind store.Kind, id string) (*store.Record, error) {
	rec := &store.Record{Kind: kind, ID: id}
	err := t.s.stmts[stGet].QueryRowContext(bg, string(kind), id).
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
	kind := string(rec.Kind)
	if err := t.s.exec(stUpsert, kind, rec.ID, rec.Scope.Account, rec.Scope.Region, rec.Body); err != nil {
		return err
	}
	if err := t.s.exec(stDeleteKeys, kind, rec.ID); err != nil {
		return err
	}
	for _, k := range rec.Keys {
		if err := t.s.exec(stInsertKey, kind, k.Name, k.Value, rec.ID); err != nil {
			return err
		}
	}
	return nil
}

func (t *sqlTx) Delete(kind store.Kind, id string) error {
	if !t.writable {
		return errReadOnly
	}
	res, err := t.s.stmts[stDelete].ExecContext(bg, string(kind), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return t.s.exec(stDeleteKeys, string(kind), id)
}

func (t *sqlTx) Scan(kind store.Kind, scope store.Scope, after string, fn func(*store.Record) bool) error {
	rows, done, err := t.s.query(stScan, scope.Account, scope.Region, string(kind), after)
	if err != nil {
		return err
	}
	defer done()
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
	rows, done, err := t.s.query(stFind, string(kind), key.Name, key.Value)
	if err != nil {
		return err
	}
	defer done()
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
