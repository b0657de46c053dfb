package awsjson

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// serializationError is a body that is not JSON, or a value of the wrong
// JSON type for its member.
type serializationError struct{ msg string }

func (e *serializationError) Error() string { return e.msg }

func serializationf(format string, args ...any) error {
	return &serializationError{fmt.Sprintf(format, args...)}
}

// decodeBody fills v, a generated input struct, from a request body read
// in dialect d. An empty body is the empty object (the protocol's servers
// must take it). Members the model does not have are ignored, as AWS's
// JSON services do: a client built from a newer model may send them.
func decodeBody(body []byte, v reflect.Value, d *dialect) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return decodeStruct(map[string]any{}, v, "", d)
	}
	obj, err := parseObject(body, "The request body")
	if err != nil {
		return err
	}
	return decodeStruct(obj, v, "", d)
}

// parseObject reads one JSON object; what names the text in errors.
func parseObject(text []byte, what string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber() // integers stay exact
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, serializationf("%s is not valid JSON: %v.", what, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, serializationf("%s holds more than one JSON value.", what)
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, serializationf("%s must be a JSON object, not %s.", what, jsonKind(doc))
	}
	return obj, nil
}

// messageName is how Coral's validation messages name a member: its name
// with a lower-case first letter, after its parent's path.
func messageName(path string, f *awsproto.Field) string {
	return join(path, strings.ToLower(f.Name[:1])+f.Name[1:])
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// decodeStruct fills struct v from obj, its members named as d names
// them; path names v in messages. A member sent as null is absent.
func decodeStruct(obj map[string]any, v reflect.Value, path string, d *dialect) error {
	for _, f := range awsproto.StructOf(v.Type()).Fields {
		raw := obj[d.name(f)]
		name := messageName(path, f)
		if raw == nil {
			if f.Required && d.check {
				return &awsproto.ParamError{Problem: awsproto.ParamMissing, Name: name}
			}
			continue
		}
		fv := v.Field(f.Index)
		if f.Ptr {
			p := reflect.New(f.Type)
			fv.Set(p)
			fv = p.Elem()
		}
		t := &awsproto.Type{Kind: f.Kind, Type: f.Type, Elem: f.Elem, Struct: f.Struct}
		if err := decodeValue(raw, fv, t, name, f.TimeFmt, d); err != nil {
			return err
		}
		if !d.check {
			continue
		}
		switch f.Kind {
		case awsproto.KindList, awsproto.KindMap:
			if err := awsproto.CheckRange(f, float64(fv.Len()), name, strconv.Itoa(fv.Len())); err != nil {
				return err
			}
		case awsproto.KindString:
			if err := awsproto.CheckScalarRange(f, fv, name, fv.String()); err != nil {
				return err
			}
		case awsproto.KindInt32, awsproto.KindInt64, awsproto.KindFloat32, awsproto.KindFloat64:
			if err := awsproto.CheckScalarRange(f, fv, name, fmt.Sprint(raw)); err != nil {
				return err
			}
		}
	}
	return nil
}

// decodeValue sets v, of plan type t, from a JSON value; timeFmt is the
// member's timestamp format ("" is the protocol's epoch seconds).
func decodeValue(raw any, v reflect.Value, t *awsproto.Type, path, timeFmt string, d *dialect) error {
	wrong := func(want string) error {
		return serializationf("Expected %s at '%s', got %s.", want, path, jsonKind(raw))
	}
	switch t.Kind {
	case awsproto.KindStruct:
		obj, ok := raw.(map[string]any)
		if !ok {
			return wrong("an object")
		}
		return decodeStruct(obj, v, path, d)
	case awsproto.KindList:
		arr, ok := raw.([]any)
		if !ok {
			return wrong("an array")
		}
		list := reflect.MakeSlice(v.Type(), len(arr), len(arr))
		for i, e := range arr {
			if e == nil {
				continue // a null item stays the zero value
			}
			if err := decodeValue(e, list.Index(i), t.Elem, fmt.Sprintf("%s.%d.member", path, i+1), "", d); err != nil {
				return err
			}
		}
		v.Set(list)
	case awsproto.KindMap:
		obj, ok := raw.(map[string]any)
		if !ok {
			return wrong("an object")
		}
		m := reflect.MakeMapWithSize(v.Type(), len(obj))
		for _, k := range slices.Sorted(maps.Keys(obj)) { // errors in a stable order
			if obj[k] == nil {
				continue
			}
			e := reflect.New(v.Type().Elem()).Elem()
			if err := decodeValue(obj[k], e, t.Elem, join(path, k), "", d); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), e)
		}
		v.Set(m)
	case awsproto.KindString:
		s, ok := raw.(string)
		if !ok {
			return wrong("a string")
		}
		v.SetString(s)
	case awsproto.KindBool:
		b, ok := raw.(bool)
		if !ok {
			return wrong("a boolean")
		}
		v.SetBool(b)
	case awsproto.KindInt32, awsproto.KindInt64:
		n, ok := raw.(json.Number)
		if !ok {
			return wrong("an integer")
		}
		bits := 64
		if t.Kind == awsproto.KindInt32 {
			bits = 32
		}
		i, err := strconv.ParseInt(string(n), 10, bits)
		if err != nil {
			return serializationf("Expected an integer of %d bits at '%s', got %s.", bits, path, n)
		}
		v.SetInt(i)
	case awsproto.KindFloat32, awsproto.KindFloat64:
		f, err := decodeFloat(raw)
		if err != nil {
			return wrong("a number")
		}
		v.SetFloat(f)
	case awsproto.KindTime:
		tm, err := decodeTime(raw, timeFmt)
		if err != nil {
			return serializationf("Expected a timestamp (%s) at '%s', got %s.", err, path, jsonKind(raw))
		}
		v.Set(reflect.ValueOf(tm))
	case awsproto.KindBlob:
		s, ok := raw.(string)
		if !ok {
			return wrong("a base64 string")
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return serializationf("Expected base64 at '%s'.", path)
		}
		v.SetBytes(b)
	}
	return nil
}

// decodeFloat reads a JSON number, or one of the strings the protocol uses
// for the values JSON has no number for.
func decodeFloat(raw any) (float64, error) {
	switch x := raw.(type) {
	case json.Number:
		return strconv.ParseFloat(string(x), 64)
	case string:
		switch x {
		case "NaN":
			return math.NaN(), nil
		case "Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
	}
	return 0, fmt.Errorf("not a number")
}

// decodeTime reads a timestamp: epoch seconds (a number, fractions allowed)
// unless the model gives the member another format.
func decodeTime(raw any, format string) (time.Time, error) {
	switch format {
	case "", "unixTimestamp":
		n, ok := raw.(json.Number)
		if !ok {
			return time.Time{}, fmt.Errorf("epoch seconds")
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
			return time.Time{}, fmt.Errorf("epoch seconds")
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC(), nil
	case "iso8601":
		s, _ := raw.(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("ISO 8601")
		}
		return t.UTC(), nil
	case "rfc822":
		s, _ := raw.(string)
		t, err := http.ParseTime(s)
		if err != nil {
			return time.Time{}, fmt.Errorf("RFC 822")
		}
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("format %s", format)
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
