// Range checks against the model's min and max, shared by the codecs.

package awsproto

import (
	"reflect"
	"unicode/utf8"
)

// CheckScalarRange checks a decoded scalar against the model's min and max
// (a string's length in characters); name is how messages call the member.
func CheckScalarRange(f *Field, v reflect.Value, name, raw string) error {
	switch f.Kind {
	case KindString:
		return CheckRange(f, float64(utf8.RuneCountInString(v.String())), name, raw)
	case KindInt32, KindInt64:
		return CheckRange(f, float64(v.Int()), name, raw)
	case KindFloat32, KindFloat64:
		return CheckRange(f, v.Float(), name, raw)
	}
	return nil
}

// CheckRange checks x, a number or a length, against f's min and max.
func CheckRange(f *Field, x float64, name, raw string) error {
	measure := "value"
	if f.Kind == KindString || f.Kind == KindList {
		measure = "length"
	}
	bad := func(bound string, limit float64) error {
		return &ParamError{Problem: ParamRange, Name: name, Value: raw,
			Measure: measure, Bound: bound, Limit: limit}
	}
	if f.Min != nil && x < *f.Min {
		return bad("greater than or equal to", *f.Min)
	}
	if f.Max != nil && x > *f.Max {
		return bad("less than or equal to", *f.Max)
	}
	return nil
}
