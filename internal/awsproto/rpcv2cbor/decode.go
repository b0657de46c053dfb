package rpcv2cbor

import (
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// tree is how a decoded CBOR item holds a shape: members by their names in
// the model, every request checked against the model's constraints.
var tree = &awsproto.Tree{
	Key:    func(f *awsproto.Field) string { return f.Name },
	Check:  true,
	Object: "a map",
	Text:   "a text string",
	Kind:   kind,
	Int:    integer,
	Float:  float,
	Time:   timestamp,
	Blob:   blob,
}

// decodeBody fills v, a generated input struct, from a request body. An
// empty body is the empty map (an input without members may be sent so).
// Members the model does not have are ignored: a client built from a newer
// model sends them.
func decodeBody(body []byte, v reflect.Value) error {
	if len(body) == 0 {
		return tree.Decode(map[string]any{}, v)
	}
	var doc any
	if err := decMode.Unmarshal(body, &doc); err != nil {
		return awsproto.Serializationf("The request body is not valid CBOR: %v.", err)
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return awsproto.Serializationf("The request body must be a CBOR map, not %s.", kind(doc))
	}
	return tree.Decode(m, v)
}

// integer reads a CBOR integer (major types 0 and 1) of bits bits.
func integer(raw any, bits int, path string) (int64, error) {
	var n int64
	ok := false
	switch x := raw.(type) {
	case uint64:
		n, ok = int64(x), x <= math.MaxInt64
	case int64:
		n, ok = x, true
	}
	if !ok || bits == 32 && (n < math.MinInt32 || n > math.MaxInt32) {
		return 0, awsproto.Expected(fmt.Sprintf("an integer of %d bits", bits), path, kind(raw))
	}
	return n, nil
}

// float reads a CBOR float of any width, or an integer (a client may send
// a whole number so).
func float(raw any) (float64, bool) {
	switch x := raw.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// timestamp reads tag 1, as the protocol sends timestamps, or epoch
// seconds without their tag.
func timestamp(raw any, _, path string) (time.Time, error) {
	tm, ok := raw.(time.Time)
	if !ok {
		if s, isNum := float(raw); isNum {
			tm, ok = awsproto.EpochSeconds(s)
		}
		if !ok {
			return time.Time{}, awsproto.Expected("a timestamp (tag 1)", path, kind(raw))
		}
	}
	// Smithy's timestamps have milliseconds; a float's seconds are not
	// exact in binary.
	return tm.Round(time.Millisecond).UTC(), nil
}

// blob reads a byte string.
func blob(raw any, path string) ([]byte, error) {
	b, ok := raw.([]byte)
	if !ok {
		return nil, awsproto.Expected("a byte string", path, kind(raw))
	}
	return b, nil
}

// kind names the CBOR type of a decoded item for messages.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "a map"
	case []any:
		return "an array"
	case string:
		return "a text string"
	case []byte:
		return "a byte string"
	case bool:
		return "a boolean"
	case uint64, int64:
		return "an integer"
	case float32, float64:
		return "a float"
	case time.Time:
		return "a timestamp"
	}
	return fmt.Sprintf("%T", v)
}
