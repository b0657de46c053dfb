package rpcv2cbor

import (
	"reflect"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// encodeStruct is struct v as the tree the CBOR encoder writes: a map of
// the set members by model name. Lists and maps a handler leaves nil are
// written empty unless the model marks them sparse, as the other codecs do.
func encodeStruct(v reflect.Value) map[string]any {
	fields := awsproto.StructOf(v.Type()).Fields
	m := make(map[string]any, len(fields))
	for _, f := range fields {
		fv, ok := f.Value(v)
		if !ok {
			if f.Sparse || (f.Kind != awsproto.KindList && f.Kind != awsproto.KindMap) {
				continue
			}
			if f.Kind == awsproto.KindList {
				m[f.Name] = []any{}
			} else {
				m[f.Name] = map[string]any{}
			}
			continue
		}
		if f.Sparse && (f.Kind == awsproto.KindList || f.Kind == awsproto.KindMap) && fv.Len() == 0 {
			continue
		}
		m[f.Name] = encodeValue(fv, &awsproto.Type{Kind: f.Kind, Type: f.Type, Elem: f.Elem, Struct: f.Struct})
	}
	return m
}

// encodeValue is v, of plan type t, as a CBOR item.
func encodeValue(v reflect.Value, t *awsproto.Type) any {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	switch t.Kind {
	case awsproto.KindStruct:
		return encodeStruct(v)
	case awsproto.KindList:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = encodeValue(v.Index(i), t.Elem)
		}
		return out
	case awsproto.KindMap:
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			out[it.Key().String()] = encodeValue(it.Value(), t.Elem)
		}
		return out
	case awsproto.KindString:
		return v.String()
	case awsproto.KindBool:
		return v.Bool()
	case awsproto.KindInt32, awsproto.KindInt64:
		return v.Int()
	case awsproto.KindFloat32:
		return float32(v.Float())
	case awsproto.KindFloat64:
		return v.Float()
	case awsproto.KindBlob:
		return v.Bytes()
	case awsproto.KindTime:
		return v.Interface()
	}
	return nil
}
