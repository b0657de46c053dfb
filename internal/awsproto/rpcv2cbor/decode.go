package rpcv2cbor

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// serializationError is a body that is not CBOR, or an item of the wrong
// type for its member: the wire message, worded for the client.
type serializationError struct{ msg string }

func (e *serializationError) Error() string { return e.msg }

func serializationf(format string, args ...any) error {
	return &serializationError{fmt.Sprintf(format, args...)}
}

// decodeBody fills v, a generated input struct, from a request body. An
// empty body is the empty map (an input without members may be sent so).
// Members the model does not have are ignored: a client built from a newer
// model sends them.
func decodeBody(body []byte, v reflect.Value) error {
	if len(body) == 0 {
		return decodeStruct(map[string]any{}, v, "")
	}
	var doc any
	if err := decMode.Unmarshal(body, &doc); err != nil {
		return serializationf("The request body is not valid CBOR: %v.", err)
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return serializationf("The request body must be a CBOR map, not %s.", kind(doc))
	}
	return decodeStruct(m, v, "")
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

// decodeStruct fills struct v from m, keyed by the model's member names;
// path names v in messages. A member sent as null is absent.
func decodeStruct(m map[string]any, v reflect.Value, path string) error {
	for _, f := range awsproto.StructOf(v.Type()).Fields {
		raw := m[f.Name]
		name := messageName(path, f)
		if raw == nil {
			if f.Required {
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
		if err := decodeValue(raw, fv, t, name); err != nil {
			return err
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

// decodeValue sets v, of plan type t, from a decoded CBOR item.
func decodeValue(raw any, v reflect.Value, t *awsproto.Type, path string) error {
	wrong := func(want string) error {
		return serializationf("Expected %s at '%s', got %s.", want, path, kind(raw))
	}
	switch t.Kind {
	case awsproto.KindStruct:
		m, ok := raw.(map[string]any)
		if !ok {
			return wrong("a map")
		}
		return decodeStruct(m, v, path)
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
			if err := decodeValue(e, list.Index(i), t.Elem, fmt.Sprintf("%s.%d.member", path, i+1)); err != nil {
				return err
			}
		}
		v.Set(list)
	case awsproto.KindMap:
		m, ok := raw.(map[string]any)
		if !ok {
			return wrong("a map")
		}
		out := reflect.MakeMapWithSize(v.Type(), len(m))
		for _, k := range slices.Sorted(maps.Keys(m)) { // errors in a stable order
			if m[k] == nil {
				continue
			}
			e := reflect.New(v.Type().Elem()).Elem()
			if err := decodeValue(m[k], e, t.Elem, join(path, k)); err != nil {
				return err
			}
			out.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), e)
		}
		v.Set(out)
	case awsproto.KindString:
		s, ok := raw.(string)
		if !ok {
			return wrong("a text string")
		}
		v.SetString(s)
	case awsproto.KindBool:
		b, ok := raw.(bool)
		if !ok {
			return wrong("a boolean")
		}
		v.SetBool(b)
	case awsproto.KindInt32, awsproto.KindInt64:
		n, ok := integer(raw)
		bits := 64
		if t.Kind == awsproto.KindInt32 {
			bits = 32
		}
		if !ok || v.OverflowInt(n) {
			return wrong(fmt.Sprintf("an integer of %d bits", bits))
		}
		v.SetInt(n)
	case awsproto.KindFloat32, awsproto.KindFloat64:
		f, ok := float(raw)
		if !ok {
			return wrong("a number")
		}
		v.SetFloat(f)
	case awsproto.KindTime:
		tm, ok := raw.(time.Time) // tag 1, as the protocol sends them
		if !ok {
			s, isNum := float(raw) // epoch seconds without their tag
			if !isNum || math.IsInf(s, 0) || math.IsNaN(s) || math.Abs(s) > 1e15 {
				return wrong("a timestamp (tag 1)")
			}
			sec, frac := math.Modf(s)
			tm = time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6)
		}
		// Smithy's timestamps have milliseconds; a float's seconds are
		// not exact in binary.
		v.Set(reflect.ValueOf(tm.Round(time.Millisecond).UTC()))
	case awsproto.KindBlob:
		b, ok := raw.([]byte)
		if !ok {
			return wrong("a byte string")
		}
		v.SetBytes(b)
	}
	return nil
}

// integer reads a CBOR integer (major types 0 and 1).
func integer(raw any) (int64, bool) {
	switch x := raw.(type) {
	case uint64:
		return int64(x), x <= math.MaxInt64
	case int64:
		return x, true
	}
	return 0, false
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
