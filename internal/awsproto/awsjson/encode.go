package awsjson

import (
	"bytes"
	"encoding/base64"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// writeStruct writes struct v as a JSON object, its members named as d
// names them. Unset scalars and structures are left out; a list or map is
// always written ([] or {} when empty), as vpcemu's other codecs do, unless
// the model marks it sparse.
func writeStruct(b *bytes.Buffer, v reflect.Value, d *dialect) {
	b.WriteByte('{')
	first := true
	for _, f := range awsproto.StructOf(v.Type()).Fields {
		fv := v.Field(f.Index)
		if f.Kind != awsproto.KindList && f.Kind != awsproto.KindMap {
			if (fv.Kind() == reflect.Pointer || fv.Kind() == reflect.Slice) && fv.IsNil() {
				continue
			}
			if f.Ptr {
				fv = fv.Elem()
			}
		} else if f.Sparse && fv.Len() == 0 {
			continue // a list AWS leaves out when empty (apigen -sparse)
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeString(b, d.name(f))
		b.WriteByte(':')
		writeValue(b, fv, &awsproto.Type{Kind: f.Kind, Type: f.Type, Elem: f.Elem, Struct: f.Struct}, f.TimeFmt, d)
	}
	b.WriteByte('}')
}

func writeValue(b *bytes.Buffer, v reflect.Value, t *awsproto.Type, timeFmt string, d *dialect) {
	switch t.Kind {
	case awsproto.KindStruct:
		writeStruct(b, v, d)
	case awsproto.KindList:
		b.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				b.WriteByte(',')
			}
			writeValue(b, v.Index(i), t.Elem, "", d)
		}
		b.WriteByte(']')
	case awsproto.KindMap:
		b.WriteByte('{')
		keys := v.MapKeys()
		slices.SortFunc(keys, func(x, y reflect.Value) int { return strings.Compare(x.String(), y.String()) })
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k.String())
			b.WriteByte(':')
			writeValue(b, v.MapIndex(k), t.Elem, "", d)
		}
		b.WriteByte('}')
	case awsproto.KindString:
		writeString(b, v.String())
	case awsproto.KindBool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case awsproto.KindInt32, awsproto.KindInt64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case awsproto.KindFloat32, awsproto.KindFloat64:
		writeFloat(b, v.Float(), v.Type().Bits())
	case awsproto.KindTime:
		writeTime(b, v.Interface().(time.Time), timeFmt)
	case awsproto.KindBlob:
		b.WriteByte('"')
		b.WriteString(base64.StdEncoding.EncodeToString(v.Bytes()))
		b.WriteByte('"')
	}
}

// writeFloat writes a number, or the strings the protocol uses for NaN and
// the infinities.
func writeFloat(b *bytes.Buffer, f float64, bits int) {
	switch {
	case math.IsNaN(f):
		b.WriteString(`"NaN"`)
	case math.IsInf(f, 1):
		b.WriteString(`"Infinity"`)
	case math.IsInf(f, -1):
		b.WriteString(`"-Infinity"`)
	default:
		b.WriteString(strconv.FormatFloat(f, 'g', -1, bits))
	}
}

// writeTime writes a timestamp in the member's format; the protocol's
// default is epoch seconds with milliseconds.
func writeTime(b *bytes.Buffer, t time.Time, format string) {
	t = t.UTC()
	switch format {
	case "iso8601":
		writeString(b, t.Format("2006-01-02T15:04:05.999Z07:00"))
	case "rfc822":
		writeString(b, t.Format(http.TimeFormat))
	default:
		ms := t.UnixMilli()
		if ms < 0 && ms > -1000 {
			b.WriteByte('-') // -0.5: the seconds alone lose the sign
		}
		b.WriteString(strconv.FormatInt(ms/1000, 10))
		if frac := ms % 1000; frac != 0 {
			if frac < 0 { // before 1970: seconds round toward zero
				frac = -frac
			}
			b.WriteString("." + strconv.FormatInt(1000+frac, 10)[1:])
		}
	}
}

const hexDigits = "0123456789abcdef"

// writeString writes s as a JSON string; invalid UTF-8 becomes U+FFFD.
func writeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c == '\n':
				b.WriteString(`\n`)
			case c == '\r':
				b.WriteString(`\r`)
			case c == '\t':
				b.WriteString(`\t`)
			case c < 0x20:
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&0xf])
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(`\ufffd`)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}
