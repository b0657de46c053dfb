// Decoding a parsed document (a JSON or CBOR body read into maps, lists
// and scalars) into generated shapes: the walk the awsjson and rpcv2cbor
// codecs share; only how each holds its scalars differs.

package awsproto

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SerializationError is a body that does not parse, or a value of the
// wrong type for its member: the message is worded for the client, and
// the protocols answer it as a SerializationException.
type SerializationError struct{ Msg string }

func (e *SerializationError) Error() string { return e.Msg }

// Serializationf builds a SerializationError with a formatted message.
func Serializationf(format string, args ...any) error {
	return &SerializationError{fmt.Sprintf(format, args...)}
}

// Refusal words a problem decoding a document as AWS's Coral services
// (the JSON and CBOR protocols) do: a body that is not the input's is a
// SerializationException; a value the model's constraints refuse (a
// missing required member, a length or range out of bounds) is a
// ValidationException in the Coral validator's words (a query-compatible
// service renames it: server.Service.Renames).
func Refusal(err error) *Error {
	var pe *ParamError
	if errors.As(err, &pe) {
		return Errorf("ValidationException", "%s", pe.Validation())
	}
	return Errorf("SerializationException", "%v", err)
}

// Expected is a value of the wrong type: want names the type the member
// needs, got what was sent, both as the protocol's messages word them.
func Expected(want, path, got string) error {
	return Serializationf("Expected %s at '%s', got %s.", want, path, got)
}

// EpochSeconds is a timestamp sent as seconds since the epoch, fractions
// allowed, kept to Smithy's milliseconds (a float's fraction is not exact
// in binary); ok is false for what is no timestamp: not finite, or beyond
// 1e15 seconds.
func EpochSeconds(s float64) (t time.Time, ok bool) {
	if math.IsInf(s, 0) || math.IsNaN(s) || math.Abs(s) > 1e15 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(s)
	return time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC(), true
}

// Tree is how one protocol's parsed documents hold a shape: structures
// and maps are map[string]any, lists []any, null is nil; the scalars are
// the protocol's own, read by its functions below, each of which words
// its refusal with Expected (path names the value in messages).
type Tree struct {
	// Key is the map key that holds a member.
	Key func(*Field) string
	// Check says whether decoding enforces the model's constraints
	// (required members, lengths and ranges).
	Check bool
	// Object and Text are how messages name the protocol's map and
	// string ("an object", "a string"); Kind names a value's type.
	Object, Text string
	Kind         func(raw any) string
	// Int reads an integer of bits bits; Float a number.
	Int   func(raw any, bits int, path string) (int64, error)
	Float func(raw any) (float64, bool)
	// Time reads a timestamp; format is the member's timestamp format
	// ("" for the protocol's own, and for a list's or map's items).
	Time func(raw any, format, path string) (time.Time, error)
	Blob func(raw any, path string) ([]byte, error)
}

// Decode fills v, a generated structure, from m. Members the model does
// not have are ignored (a client built from a newer model sends them); a
// member sent as null is absent.
func (t *Tree) Decode(m map[string]any, v reflect.Value) error {
	return t.decodeStruct(m, v, "")
}

// memberPath is how Coral's messages name a member: its name with a
// lower-case first letter, after its parent's path.
func memberPath(path string, f *Field) string {
	return joinPath(path, strings.ToLower(f.Name[:1])+f.Name[1:])
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// decodeStruct fills struct v from m; path names v in messages.
func (t *Tree) decodeStruct(m map[string]any, v reflect.Value, path string) error {
	for _, f := range StructOf(v.Type()).Fields {
		raw := m[t.Key(f)]
		name := memberPath(path, f)
		if raw == nil {
			if f.Required && t.Check {
				return &ParamError{Problem: ParamMissing, Name: name}
			}
			continue
		}
		fv := v.Field(f.Index)
		if f.Ptr {
			p := reflect.New(f.Type)
			fv.Set(p)
			fv = p.Elem()
		}
		typ := &Type{Kind: f.Kind, Type: f.Type, Elem: f.Elem, Struct: f.Struct}
		if err := t.decodeValue(raw, fv, typ, name, f.TimeFmt); err != nil {
			return err
		}
		if !t.Check {
			continue
		}
		switch f.Kind {
		case KindList, KindMap:
			if err := CheckRange(f, float64(fv.Len()), name, strconv.Itoa(fv.Len())); err != nil {
				return err
			}
		case KindString:
			if err := CheckScalarRange(f, fv, name, fv.String()); err != nil {
				return err
			}
		case KindInt32, KindInt64, KindFloat32, KindFloat64:
			if err := CheckScalarRange(f, fv, name, fmt.Sprint(raw)); err != nil {
				return err
			}
		}
	}
	return nil
}

// decodeValue sets v, of plan type typ, from a parsed value; timeFmt is
// the member's timestamp format.
func (t *Tree) decodeValue(raw any, v reflect.Value, typ *Type, path, timeFmt string) error {
	wrong := func(want string) error { return Expected(want, path, t.Kind(raw)) }
	switch typ.Kind {
	case KindStruct:
		m, ok := raw.(map[string]any)
		if !ok {
			return wrong(t.Object)
		}
		return t.decodeStruct(m, v, path)
	case KindList:
		arr, ok := raw.([]any)
		if !ok {
			return wrong("an array")
		}
		list := reflect.MakeSlice(v.Type(), len(arr), len(arr))
		for i, e := range arr {
			if e == nil {
				continue // a null item stays the zero value
			}
			if err := t.decodeValue(e, list.Index(i), typ.Elem, fmt.Sprintf("%s.%d.member", path, i+1), ""); err != nil {
				return err
			}
		}
		v.Set(list)
	case KindMap:
		m, ok := raw.(map[string]any)
		if !ok {
			return wrong(t.Object)
		}
		out := reflect.MakeMapWithSize(v.Type(), len(m))
		for _, k := range slices.Sorted(maps.Keys(m)) { // errors in a stable order
			if m[k] == nil {
				continue
			}
			e := reflect.New(v.Type().Elem()).Elem()
			if err := t.decodeValue(m[k], e, typ.Elem, joinPath(path, k), ""); err != nil {
				return err
			}
			out.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), e)
		}
		v.Set(out)
	case KindString:
		s, ok := raw.(string)
		if !ok {
			return wrong(t.Text)
		}
		v.SetString(s)
	case KindBool:
		b, ok := raw.(bool)
		if !ok {
			return wrong("a boolean")
		}
		v.SetBool(b)
	case KindInt32, KindInt64:
		bits := 64
		if typ.Kind == KindInt32 {
			bits = 32
		}
		n, err := t.Int(raw, bits, path)
		if err != nil {
			return err
		}
		v.SetInt(n)
	case KindFloat32, KindFloat64:
		f, ok := t.Float(raw)
		if !ok {
			return wrong("a number")
		}
		v.SetFloat(f)
	case KindTime:
		tm, err := t.Time(raw, timeFmt, path)
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(tm))
	case KindBlob:
		b, err := t.Blob(raw, path)
		if err != nil {
			return err
		}
		v.SetBytes(b)
	}
	return nil
}
