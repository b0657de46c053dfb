package cloud

import (
	"strings"
)

// Filter is one Describe filter as the API names it: a resource passes when
// it has any of the values. The API plane matches filters itself; the
// domain uses them only to pick candidates from an index.
type Filter struct {
	Name   string
	Values []string
}

// Index is one indexed filter of a kind: the key its values are stored
// under, and how a filter value becomes the key's value (nil: as it is).
type Index struct {
	Key   string
	Value func(string) string
}

// Indexes are a kind's indexed filters by filter name. A kind declares
// them once, next to its Keys method, which writes its keys through
// Indexes.Key: what a Describe call looks up is what the record holds
// (TestIndexesAreWritten checks every declared index is written).
type Indexes map[string]Index

// Same is an index whose key is named as its filter.
func Same(names ...string) Indexes {
	ix := Indexes{}
	for _, n := range names {
		ix[n] = Index{Key: n}
	}
	return ix
}

// Key is the record Key that the filter named filter finds for value v.
// The name must be declared: a typo panics in the kind's tests rather than
// making a lookup silently miss.
func (ix Indexes) Key(filter, v string) Key {
	i, ok := ix[filter]
	if !ok {
		panic("cloud: undeclared index " + filter)
	}
	if i.Value != nil {
		v = i.Value(v)
	}
	return Key{Name: i.Key, Value: v}
}

// Joint derives index keys from several filters together (a key that
// combines them); it returns nil when the filters do not allow it.
type Joint func(fs []Filter) []Key

// kindIndex is what a kind declares for lookups by filter.
type kindIndex struct {
	indexes Indexes
	joint   Joint
}

// indexOf holds each kind's declaration; kinds register from their files.
var indexOf = map[Kind]kindIndex{}

// Declare registers a kind's indexed filters (and, optionally, a joint
// lookup) and returns them for the kind's Keys method.
func Declare(k Kind, ix Indexes, j Joint) Indexes {
	if _, dup := indexOf[k]; dup {
		panic("cloud: indexes of " + string(k) + " declared twice")
	}
	indexOf[k] = kindIndex{indexes: ix, joint: j}
	return ix
}

// lookup picks the index keys of a Describe call's candidates: a joint key
// when the kind has one for these filters, else the keys of the first
// filter with exact values that is indexed (tag:KEY and tag-key are, for
// every kind: put writes them). Nil means no index applies: scan.
func lookup(k Kind, fs []Filter) []Key {
	d := indexOf[k]
	if d.joint != nil {
		if keys := d.joint(fs); keys != nil {
			return keys
		}
	}
	for _, f := range fs {
		if len(f.Values) == 0 || HasWildcards(f.Values) {
			continue
		}
		var key func(string) Key
		switch {
		case strings.HasPrefix(f.Name, "tag:"), f.Name == "tag-key":
			key = func(v string) Key { return Key{Name: f.Name, Value: v} }
		case d.indexes[f.Name].Key != "":
			key = func(v string) Key { return d.indexes.Key(f.Name, v) }
		default:
			continue
		}
		keys := make([]Key, 0, len(f.Values))
		for _, v := range f.Values {
			keys = append(keys, key(v))
		}
		return keys
	}
	return nil
}

// HasWildcards reports whether filter values have patterns, which no
// index can look up.
func HasWildcards(vals []string) bool {
	for _, v := range vals {
		if strings.ContainsAny(v, `*?\`) {
			return true
		}
	}
	return false
}

// ExactValues returns the values of the named filter when it has values
// and no wildcards, else nil.
func ExactValues(fs []Filter, name string) []string {
	for _, f := range fs {
		if f.Name == name && len(f.Values) > 0 && !HasWildcards(f.Values) {
			return f.Values
		}
	}
	return nil
}
