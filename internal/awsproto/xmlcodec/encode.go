// Package xmlcodec writes generated shapes as the XML the AWS query, ec2 and
// rest-xml protocols answer with, following the model's locationName,
// flattened and list-member names.
package xmlcodec

import (
	"bytes"
	"encoding/base64"
	"reflect"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// TimeFormat is how XML protocols write timestamps.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// WriteMembers writes each set member of struct value v as a child element.
//
// A list or map member left nil is written as an empty element (<tagSet/>),
// never dropped: AWS's query services answer every list of a structure they
// return, empty or not, and clients index into them (boto3's
// resp["LoadBalancers"], the aws CLI's --query 'length(Tags)'). A client
// reads an empty element as an empty list. Flattened members have no
// wrapper element, so an empty one is simply absent, as on AWS; nor are
// sparse members written empty (apigen -sparse: reports such as Reachability
// Analyzer's explanations, where AWS sends only the members that apply).
func WriteMembers(b *bytes.Buffer, v reflect.Value) { writeTop(b, v, false) }

// WriteSetMembers is WriteMembers for the REST protocols, whose answers
// leave out the lists and maps a structure does not have (an alias record
// set has no <ResourceRecords/>): a nil list or map is not written; one
// set but empty still is, as an empty element.
func WriteSetMembers(b *bytes.Buffer, v reflect.Value) { writeTop(b, v, true) }

// writeTop writes the members of v, a struct or a pointer to one.
func writeTop(b *bytes.Buffer, v reflect.Value, omitNil bool) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	writeMembers(b, awsproto.StructOf(v.Type()), v, omitNil)
}

// writeMembers writes the members of a structure v (not a pointer) whose
// plan is at hand: nested structures follow their field's plan instead of
// looking theirs up.
func writeMembers(b *bytes.Buffer, plan *awsproto.Struct, v reflect.Value, omitNil bool) {
	for _, f := range plan.Fields {
		if f.In != "" || f.Attr {
			continue // headers, status codes and attributes are not elements
		}
		fv, ok := f.Value(v)
		if !ok {
			if (f.Kind == awsproto.KindList || f.Kind == awsproto.KindMap) && !f.Flat && !f.Sparse && !omitNil {
				emptyElement(b, f.XMLName())
			}
			continue
		}
		writeField(b, f, fv, omitNil)
	}
}

func writeField(b *bytes.Buffer, f *awsproto.Field, v reflect.Value, omitNil bool) {
	name := f.XMLName()
	switch f.Kind {
	case awsproto.KindList:
		member := f.MemberLoc
		if f.Flat {
			if member == "" {
				member = name
			}
			for i := 0; i < v.Len(); i++ {
				writeValue(b, member, f.Elem, v.Index(i), omitNil)
			}
			return
		}
		if member == "" {
			member = "member"
		}
		if v.Len() == 0 {
			if !f.Sparse {
				emptyElement(b, name)
			}
			return
		}
		open(b, name)
		for i := 0; i < v.Len(); i++ {
			writeValue(b, member, f.Elem, v.Index(i), omitNil)
		}
		closeTag(b, name)
	case awsproto.KindMap:
		key, val := f.KeyLoc, f.ValueLoc
		if key == "" {
			key = "key"
		}
		if val == "" {
			val = "value"
		}
		if v.Len() == 0 && !f.Flat {
			if !f.Sparse {
				emptyElement(b, name)
			}
			return
		}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		sort.Strings(keys)
		if !f.Flat {
			open(b, name)
		}
		for _, k := range keys {
			entry := "entry"
			if f.Flat {
				entry = name
			}
			open(b, entry)
			open(b, key)
			text(b, k)
			closeTag(b, key)
			writeValue(b, val, f.Elem, v.MapIndex(reflect.ValueOf(k)), omitNil)
			closeTag(b, entry)
		}
		if !f.Flat {
			closeTag(b, name)
		}
	case awsproto.KindStruct:
		open(b, name)
		writeMembers(b, f.Struct, v, omitNil)
		closeTag(b, name)
	default:
		open(b, name)
		Scalar(b, f.Kind, v)
		closeTag(b, name)
	}
}

func writeValue(b *bytes.Buffer, name string, t *awsproto.Type, v reflect.Value, omitNil bool) {
	switch t.Kind {
	case awsproto.KindStruct:
		open(b, name)
		writeMembers(b, t.Struct, v, omitNil)
		closeTag(b, name)
	case awsproto.KindList:
		// A list directly inside a list has no names of its own in the
		// model: AWS writes its members as "member".
		open(b, name)
		for i := 0; i < v.Len(); i++ {
			writeValue(b, "member", t.Elem, v.Index(i), omitNil)
		}
		closeTag(b, name)
	default:
		open(b, name)
		Scalar(b, t.Kind, v)
		closeTag(b, name)
	}
}

// Scalar writes a scalar value as escaped text.
func Scalar(b *bytes.Buffer, k awsproto.Kind, v reflect.Value) {
	var tmp [64]byte
	switch k {
	case awsproto.KindString:
		text(b, v.String())
	case awsproto.KindBool:
		b.Write(strconv.AppendBool(tmp[:0], v.Bool()))
	case awsproto.KindInt32, awsproto.KindInt64:
		b.Write(strconv.AppendInt(tmp[:0], v.Int(), 10))
	case awsproto.KindFloat32:
		b.Write(strconv.AppendFloat(tmp[:0], v.Float(), 'f', -1, 32))
	case awsproto.KindFloat64:
		b.Write(strconv.AppendFloat(tmp[:0], v.Float(), 'f', -1, 64))
	case awsproto.KindTime:
		b.Write(v.Interface().(time.Time).UTC().AppendFormat(tmp[:0], TimeFormat))
	case awsproto.KindBlob:
		b.WriteString(base64.StdEncoding.EncodeToString(v.Bytes()))
	}
}

func open(b *bytes.Buffer, name string) {
	b.WriteByte('<')
	b.WriteString(name)
	b.WriteByte('>')
}

func closeTag(b *bytes.Buffer, name string) {
	b.WriteString("</")
	b.WriteString(name)
	b.WriteByte('>')
}

func emptyElement(b *bytes.Buffer, name string) {
	b.WriteByte('<')
	b.WriteString(name)
	b.WriteString("/>")
}

// Element writes <name>escaped text</name>.
func Element(b *bytes.Buffer, name, s string) {
	open(b, name)
	text(b, s)
	closeTag(b, name)
}

// text writes s escaped for XML character data; characters XML cannot carry
// become U+FFFD so the client's parser never fails on our answer.
func text(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' && c != '"' {
			i++ // plain ASCII, by far the most common: no decoding
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		var esc string
		switch {
		case r == '&':
			esc = "&amp;"
		case r == '<':
			esc = "&lt;"
		case r == '>':
			esc = "&gt;"
		case r == '"':
			esc = "&quot;"
		case r == '\r':
			esc = "&#xD;"
		case r == utf8.RuneError && w == 1, r < 0x20 && r != '\t' && r != '\n', r == 0xFFFE, r == 0xFFFF:
			esc = "\uFFFD"
		default:
			i += w
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		i += w
		last = i
	}
	b.WriteString(s[last:])
}
