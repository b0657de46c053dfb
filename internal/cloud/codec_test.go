package cloud_test

import (
	stdjson "encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// TestUnmarshalMatchesEncodingJSON checks that the fast decoder reads every
// stored type exactly as encoding/json does, on bodies that encoding/json
// wrote from values with every field set (and with every field empty).
func TestUnmarshalMatchesEncodingJSON(t *testing.T) {
	for _, mk := range cloud.Types() {
		typ := reflect.TypeOf(mk()).Elem()
		for _, full := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/full=%v", typ.Name(), full), func(t *testing.T) {
				v := reflect.New(typ)
				if full {
					fill(v.Elem(), 1)
				}
				body, err := stdjson.Marshal(v.Interface())
				if err != nil {
					t.Fatal(err)
				}
				want, got := reflect.New(typ), reflect.New(typ)
				if err := stdjson.Unmarshal(body, want.Interface()); err != nil {
					t.Fatal(err)
				}
				if err := cloud.Unmarshal(body, got.Interface()); err != nil {
					t.Fatal(err)
				}
				// The fast path must take it, not the fallback.
				if err := jsonv2.Unmarshal(body, reflect.New(typ).Interface()); err != nil {
					t.Errorf("JSON v2 refuses %s: %v", body, err)
				}
				if !reflect.DeepEqual(want.Interface(), got.Interface()) {
					t.Errorf("decoded differently from %s:\nencoding/json: %+v\nunmarshal:     %+v", body, want.Elem(), got.Elem())
				}
			})
		}
	}
}

// fill sets every field reachable from v to a non-zero value derived from
// seed, with two elements in slices and maps.
func fill(v reflect.Value, seed int) {
	if v.Type() == reflect.TypeOf(stdjson.RawMessage(nil)) {
		v.SetBytes(fmt.Appendf(nil, `{"seed":%d}`, seed))
		return
	}
	if v.Type() == reflect.TypeOf(time.Time{}) {
		v.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, seed*1000, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d<&>\"é", seed))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(seed))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(seed))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(seed) + 0.5)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), seed+1)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(s.Index(i), seed+i+1)
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), seed+i+1)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for i := range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, seed+i+1)
			fill(e, seed+i+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), seed+i+1)
			}
		}
	}
}

// TestUnmarshalFallsBack: a body JSON v2 refuses (a duplicate name, which
// encoding/json takes, the last one winning) is still read, and what v2
// filled before it gave up does not stay.
func TestUnmarshalFallsBack(t *testing.T) {
	var m cloud.Meta
	if err := cloud.Unmarshal([]byte(`{"ID":"vpc-1","Owner":"o","ID":"vpc-2"}`), &m); err != nil {
		t.Fatal(err)
	}
	if m.ID != "vpc-2" || m.Owner != "o" {
		t.Fatalf("decoded %+v", m)
	}
	if err := cloud.Unmarshal([]byte(`{"ID":`), &m); err == nil {
		t.Fatal("a truncated body decoded")
	}
}
