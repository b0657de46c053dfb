package cloud

import (
	stdjson "encoding/json"
	"reflect"

	jsonv2 "github.com/go-json-experiment/json"
)

// unmarshal decodes a stored record body (written by encoding/json's
// Marshal in put). Reads decode on every Describe, so it uses the JSON v2
// decoder (the upstream of Go's encoding/json/v2), several times faster
// than encoding/json's and far lighter on the garbage collector. v1's
// output is valid v2 input with the same meaning: the same field names,
// embedded structs inlined, and UnmarshalJSON and UnmarshalText methods
// honoured. Anything v2 refuses is decoded again by encoding/json, so a
// body is never lost to a stricter parser. v must point to a zero value.
func unmarshal(body []byte, v any) error {
	if err := jsonv2.Unmarshal(body, v); err == nil {
		return nil
	}
	reflect.ValueOf(v).Elem().SetZero() // drop what v2 filled before it gave up
	return stdjson.Unmarshal(body, v)
}
