package awsjson

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// jsonTree is how a parsed JSON object holds a shape, its members the
// properties name gives; check says whether the model's constraints are
// enforced. Numbers are json.Number (integers stay exact).
func jsonTree(name func(*awsproto.Field) string, check bool) *awsproto.Tree {
	return &awsproto.Tree{
		Key:    name,
		Check:  check,
		Object: "an object",
		Text:   "a string",
		Kind:   jsonKind,
		Int:    decodeInt,
		Float:  decodeFloat,
		Time:   decodeTime,
		Blob:   decodeBlob,
	}
}

// decodeBody fills v, a generated input struct, from a request body read
// in dialect d. An empty body is the empty object (the protocol's servers
// must take it). Members the model does not have are ignored, as AWS's
// JSON services do: a client built from a newer model may send them.
func decodeBody(body []byte, v reflect.Value, d *dialect) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return d.tree.Decode(map[string]any{}, v)
	}
	obj, err := parseObject(body, "The request body")
	if err != nil {
		return err
	}
	return d.tree.Decode(obj, v)
}

// parseObject reads one JSON object; what names the text in errors.
func parseObject(text []byte, what string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber() // integers stay exact
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, awsproto.Serializationf("%s is not valid JSON: %v.", what, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, awsproto.Serializationf("%s holds more than one JSON value.", what)
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, awsproto.Serializationf("%s must be a JSON object, not %s.", what, jsonKind(doc))
	}
	return obj, nil
}

// decodeInt reads a JSON number that is an integer of bits bits.
func decodeInt(raw any, bits int, path string) (int64, error) {
	n, ok := raw.(json.Number)
	if !ok {
		return 0, awsproto.Expected("an integer", path, jsonKind(raw))
	}
	i, err := strconv.ParseInt(string(n), 10, bits)
	if err != nil {
		return 0, awsproto.Expected(fmt.Sprintf("an integer of %d bits", bits), path, string(n))
	}
	return i, nil
}

// decodeFloat reads a JSON number, or one of the strings the protocol uses
// for the values JSON has no number for.
func decodeFloat(raw any) (float64, bool) {
	switch x := raw.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		return f, err == nil
	case string:
		switch x {
		case "NaN":
			return math.NaN(), true
		case "Infinity":
			return math.Inf(1), true
		case "-Infinity":
			return math.Inf(-1), true
		}
	}
	return 0, false
}

// decodeTime reads a timestamp: epoch seconds (a number, fractions allowed)
// unless the model gives the member another format.
func decodeTime(raw any, format, path string) (time.Time, error) {
	tm, want := parseTime(raw, format)
	if want != "" {
		return time.Time{}, awsproto.Expected("a timestamp ("+want+")", path, jsonKind(raw))
	}
	return tm, nil
}

// parseTime reads a timestamp in format, or says what it wanted.
func parseTime(raw any, format string) (time.Time, string) {
	switch format {
	case "", "unixTimestamp":
		n, ok := raw.(json.Number)
		if !ok {
			return time.Time{}, "epoch seconds"
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return time.Time{}, "epoch seconds"
		}
		t, ok := awsproto.EpochSeconds(f)
		if !ok {
			return time.Time{}, "epoch seconds"
		}
		return t, ""
	case "iso8601":
		s, _ := raw.(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, "ISO 8601"
		}
		return t.UTC(), ""
	case "rfc822":
		s, _ := raw.(string)
		t, err := http.ParseTime(s)
		if err != nil {
			return time.Time{}, "RFC 822"
		}
		return t.UTC(), ""
	}
	return time.Time{}, "format " + format
}

// decodeBlob reads a blob, a base64 string.
func decodeBlob(raw any, path string) ([]byte, error) {
	s, ok := raw.(string)
	if !ok {
		return nil, awsproto.Expected("a base64 string", path, jsonKind(raw))
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, awsproto.Serializationf("Expected base64 at '%s'.", path)
	}
	return b, nil
}

// jsonKind names the JSON type of a decoded value for messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	}
	return "a value"
}
