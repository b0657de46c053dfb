package sqlite

import (
	"encoding/binary"
	"errors"
	"slices"

	"github.com/vpcemu/vpcemu/internal/store"
)

// A record's row keeps the list of its keys, so Put can change only the
// index entries that differ and Delete can remove them without a second
// index on record_keys. The list is each name and value as a uvarint length
// and the bytes.

func encodeKeys(keys []store.Key) []byte {
	n := 0
	for _, k := range keys {
		n += len(k.Name) + len(k.Value) + 2*binary.MaxVarintLen64
	}
	b := make([]byte, 0, n)
	for _, k := range keys {
		b = binary.AppendUvarint(b, uint64(len(k.Name)))
		b = append(b, k.Name...)
		b = binary.AppendUvarint(b, uint64(len(k.Value)))
		b = append(b, k.Value...)
	}
	return b
}

var errBadKeys = errors.New("sqlite: corrupt key list")

func decodeKeys(b []byte) ([]store.Key, error) {
	var keys []store.Key
	next := func() (string, error) {
		n, w := binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) < n {
			return "", errBadKeys
		}
		s := string(b[w : w+int(n)])
		b = b[w+int(n):]
		return s, nil
	}
	for len(b) > 0 {
		name, err := next()
		if err != nil {
			return nil, err
		}
		value, err := next()
		if err != nil {
			return nil, err
		}
		keys = append(keys, store.Key{Name: name, Value: value})
	}
	return keys, nil
}

// dedupKeys drops repeated keys, keeping the first of each.
func dedupKeys(keys []store.Key) []store.Key {
	return missing(keys, nil)
}

// missing returns the keys of a that are not in b, each once, in a's
// order. Lists are short (a record has a few keys), so it compares
// directly unless they are long.
func missing(a, b []store.Key) []store.Key {
	var out []store.Key
	if len(a)*(len(a)+len(b)) <= 1024 {
		for _, k := range a {
			if !slices.Contains(b, k) && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
		return out
	}
	seen := make(map[store.Key]bool, len(a)+len(b))
	for _, k := range b {
		seen[k] = true
	}
	for _, k := range a {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
