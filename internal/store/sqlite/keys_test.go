package sqlite

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/vpcemu/vpcemu/internal/store"
)

func TestKeyListRoundTrip(t *testing.T) {
	for _, keys := range [][]store.Key{
		nil,
		{{Name: "vpc-id", Value: "vpc-1"}},
		{{Name: "tag:Name", Value: ""}, {Name: "", Value: "x"}, {Name: "tag:é", Value: string(make([]byte, 300))}},
	} {
		got, err := decodeKeys(encodeKeys(keys))
		if err != nil || !reflect.DeepEqual(got, keys) {
			t.Errorf("%q: got %q, %v", keys, got, err)
		}
	}
	if _, err := decodeKeys([]byte{5, 'a'}); err == nil {
		t.Error("a truncated list decodes")
	}
}

func TestMissing(t *testing.T) {
	k := func(v string) store.Key { return store.Key{Name: "n", Value: v} }
	long := make([]store.Key, 100)
	for i := range long {
		long[i] = k(string(rune('a' + i)))
	}
	for _, tc := range []struct {
		a, b, want []store.Key
	}{
		{[]store.Key{k("1"), k("2"), k("1")}, nil, []store.Key{k("1"), k("2")}},
		{[]store.Key{k("1"), k("2")}, []store.Key{k("2")}, []store.Key{k("1")}},
		{long, long[1:], []store.Key{long[0]}},
		{append(long, long...), long[:99], []store.Key{long[99]}},
	} {
		if got := missing(tc.a, tc.b); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("missing(%d keys, %d keys) = %q, want %q", len(tc.a), len(tc.b), got, tc.want)
		}
	}
}

// TestUpgradeFromIndexedKeys opens a database in the first schema (keys
// indexed by record, not listed in the record) and checks that it reads
// and updates alike.
func TestUpgradeFromIndexedKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vpcemu.db")
	c, err := drv.Open("file:" + path + "?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	err = run(c, `
CREATE TABLE records (kind TEXT NOT NULL, id TEXT NOT NULL, account TEXT NOT NULL, region TEXT NOT NULL, body BLOB NOT NULL,
	PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE INDEX records_by_scope ON records (account, region, kind, id);
CREATE TABLE record_keys (kind TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, id TEXT NOT NULL,
	PRIMARY KEY (kind, name, value, id)) WITHOUT ROWID;
CREATE INDEX record_keys_by_record ON record_keys (kind, id);
INSERT INTO records VALUES ('subnet', 'subnet-1', '111111111111', 'us-east-1', '{}'), ('subnet', 'subnet-2', '111111111111', 'us-east-1', '{}');
INSERT INTO record_keys VALUES ('subnet', 'vpc-id', 'vpc-1', 'subnet-1'), ('subnet', 'availability-zone', 'us-east-1a', 'subnet-1'),
	('subnet', 'vpc-id', 'vpc-1', 'subnet-2');`)
	c.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	find := func(name, value string) (ids []string) {
		s.View(context.Background(), func(tx store.Tx) error {
			return tx.Find("subnet", store.Key{Name: name, Value: value}, func(r *store.Record) bool { ids = append(ids, r.ID); return true })
		})
		return ids
	}
	if got := find("vpc-id", "vpc-1"); !reflect.DeepEqual(got, []string{"subnet-1", "subnet-2"}) {
		t.Fatalf("after the upgrade, vpc-1 has %v", got)
	}
	// Replacing subnet-1's keys must drop those it had before the upgrade.
	err = s.Update(context.Background(), func(tx store.Tx) error {
		if err := tx.Put(&store.Record{Kind: "subnet", ID: "subnet-1", Scope: testScope, Body: []byte("{}"),
			Keys: []store.Key{{Name: "vpc-id", Value: "vpc-2"}}}); err != nil {
			return err
		}
		return tx.Delete("subnet", "subnet-2")
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := find("vpc-id", "vpc-1"); len(got) != 0 {
		t.Errorf("vpc-1 still indexes %v", got)
	}
	if got := find("availability-zone", "us-east-1a"); len(got) != 0 {
		t.Errorf("the dropped zone key still indexes %v", got)
	}
	if got := find("vpc-id", "vpc-2"); !reflect.DeepEqual(got, []string{"subnet-1"}) {
		t.Errorf("vpc-2 indexes %v", got)
	}
}
