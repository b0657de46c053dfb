package restxml

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// malformedError is a body that is not XML, or a value that does not parse
// as its member's type.
type malformedError struct{ msg string }

func (e *malformedError) Error() string { return e.msg }

func malformedf(format string, args ...any) error {
	return &malformedError{fmt.Sprintf(format, args...)}
}

// maxDepth bounds how deep a request body's elements may nest: no Route 53
// input nests more than a handful of levels.
const maxDepth = 32

// node is one element of a request body.
type node struct {
	name     string
	attrs    []xml.Attr
	children []*node
	text     strings.Builder
}

// child returns the first child element named name.
func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// parseXML reads a body into its root element.
func parseXML(body []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, malformedf("The request body is not well-formed XML: %v.", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, malformedf("The request body has more than one root element.")
			}
			if len(stack) >= maxDepth {
				return nil, malformedf("The request body nests elements deeper than %d levels.", maxDepth)
			}
			n := &node{name: t.Name.Local, attrs: t.Attr}
			if len(stack) == 0 {
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, malformedf("The request body has text outside its root element.")
			}
		}
	}
	if root == nil {
		return nil, malformedf("The request body has no root element.")
	}
	return root, nil
}

// decodeRequest fills in, a generated input, from the request's labels,
// query string, headers and body.
func decodeRequest(r *http.Request, query url.Values, body []byte, op *awsproto.Operation, labels map[string]string, in reflect.Value) error {
	plan := awsproto.StructOf(in.Type())
	hasBody := false
	for _, f := range plan.Fields {
		switch f.In {
		case "uri":
			if v, ok := labels[f.XMLName()]; ok {
				if err := setScalar(in, f, v, f.TimeFmt); err != nil {
					return err
				}
			}
		case "querystring":
			vs, ok := query[f.XMLName()]
			if !ok {
				continue
			}
			if f.Kind == awsproto.KindList && f.Elem.Kind == awsproto.KindString {
				in.Field(f.Index).Set(reflect.ValueOf(vs).Convert(f.Type))
				continue
			}
			if err := setScalar(in, f, vs[0], f.TimeFmt); err != nil {
				return err
			}
		case "header":
			v := r.Header.Get(f.XMLName())
			if v == "" {
				continue
			}
			if err := setScalar(in, f, v, f.TimeFmt); err != nil {
				return err
			}
		case "":
			hasBody = true
		}
	}
	if hasBody && len(bytes.TrimSpace(body)) > 0 {
		root, err := parseXML(body)
		if err != nil {
			return err
		}
		if op.InputRoot != "" && root.name != op.InputRoot {
			return malformedf("The request body's root element is %s, not %s.", root.name, op.InputRoot)
		}
		if err := decodeStruct(root, in, plan); err != nil {
			return err
		}
	}
	return check(in, plan, "")
}

// setScalar sets member f of struct v from a label, query or header value.
func setScalar(v reflect.Value, f *awsproto.Field, s, timeFmt string) error {
	fv := v.Field(f.Index)
	if f.Ptr {
		p := reflect.New(f.Type)
		fv.Set(p)
		fv = p.Elem()
	}
	if timeFmt == "" {
		timeFmt = "iso8601"
		if f.In == "header" {
			timeFmt = "rfc822"
		}
	}
	return parseScalar(fv, f.Kind, s, f.XMLName(), timeFmt)
}

// decodeStruct fills struct v from element n's children.
func decodeStruct(n *node, v reflect.Value, plan *awsproto.Struct) error {
	for _, f := range plan.Fields {
		if f.In != "" {
			continue
		}
		if f.Attr {
			for _, a := range n.attrs {
				if a.Name.Local == f.XMLName() {
					if err := setScalar(v, f, a.Value, f.TimeFmt); err != nil {
						return err
					}
				}
			}
			continue
		}
		fv := v.Field(f.Index)
		t := &awsproto.Type{Kind: f.Kind, Type: f.Type, Elem: f.Elem, Struct: f.Struct}
		switch {
		case f.Kind == awsproto.KindList && f.Flat:
			name := f.MemberLoc
			if name == "" {
				name = f.XMLName()
			}
			var items []*node
			for _, c := range n.children {
				if c.name == f.XMLName() || c.name == name {
					items = append(items, c)
				}
			}
			if items != nil {
				if err := decodeList(items, fv, t); err != nil {
					return err
				}
			}
		default:
			c := n.child(f.XMLName())
			if c == nil {
				continue
			}
			if f.Ptr {
				p := reflect.New(f.Type)
				fv.Set(p)
				fv = p.Elem()
			}
			if err := decodeValue(c, fv, t, f); err != nil {
				return err
			}
		}
	}
	return nil
}

// decodeValue sets v, of plan type t, from element n; f is the member
// (for list member, map key and value names), nil inside lists.
func decodeValue(n *node, v reflect.Value, t *awsproto.Type, f *awsproto.Field) error {
	switch t.Kind {
	case awsproto.KindStruct:
		return decodeStruct(n, v, t.Struct)
	case awsproto.KindList:
		member := "member"
		if f != nil && f.MemberLoc != "" {
			member = f.MemberLoc
		}
		var items []*node
		for _, c := range n.children {
			if c.name == member {
				items = append(items, c)
			}
		}
		return decodeList(items, v, t)
	case awsproto.KindMap:
		key, val := "key", "value"
		if f != nil && f.KeyLoc != "" {
			key = f.KeyLoc
		}
		if f != nil && f.ValueLoc != "" {
			val = f.ValueLoc
		}
		m := reflect.MakeMap(v.Type())
		for _, e := range n.children {
			k, ev := e.child(key), e.child(val)
			if k == nil || ev == nil {
				return malformedf("An entry of %s lacks its %s or %s.", n.name, key, val)
			}
			x := reflect.New(v.Type().Elem()).Elem()
			if err := decodeValue(ev, x, t.Elem, nil); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(k.text.String()).Convert(v.Type().Key()), x)
		}
		v.Set(m)
		return nil
	}
	name := n.name
	timeFmt := "iso8601"
	if f != nil && f.TimeFmt != "" {
		timeFmt = f.TimeFmt
	}
	return parseScalar(v, t.Kind, n.text.String(), name, timeFmt)
}

func decodeList(items []*node, v reflect.Value, t *awsproto.Type) error {
	list := reflect.MakeSlice(v.Type(), len(items), len(items))
	for i, it := range items {
		if err := decodeValue(it, list.Index(i), t.Elem, nil); err != nil {
			return err
		}
	}
	v.Set(list)
	return nil
}

// parseScalar sets v from its text.
func parseScalar(v reflect.Value, k awsproto.Kind, s, name, timeFmt string) error {
	bad := func(what string) error {
		return malformedf("Invalid value '%s' for %s: expected %s.", s, name, what)
	}
	switch k {
	case awsproto.KindString:
		v.SetString(s)
	case awsproto.KindBool:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return bad("true or false")
		}
		v.SetBool(b)
	case awsproto.KindInt32, awsproto.KindInt64:
		bits := 64
		if k == awsproto.KindInt32 {
			bits = 32
		}
		i, err := strconv.ParseInt(strings.TrimSpace(s), 10, bits)
		if err != nil {
			return bad(fmt.Sprintf("an integer of %d bits", bits))
		}
		v.SetInt(i)
	case awsproto.KindFloat32, awsproto.KindFloat64:
		x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return bad("a number")
		}
		v.SetFloat(x)
	case awsproto.KindTime:
		tm, err := parseTime(strings.TrimSpace(s), timeFmt)
		if err != nil {
			return bad("a timestamp")
		}
		v.Set(reflect.ValueOf(tm))
	case awsproto.KindBlob:
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
		if err != nil {
			return bad("base64")
		}
		v.SetBytes(b)
	default:
		return bad("a scalar")
	}
	return nil
}

func parseTime(s, format string) (time.Time, error) {
	switch format {
	case "unixTimestamp":
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f != f || f > 1e15 || f < -1e15 {
			return time.Time{}, errors.New("epoch seconds")
		}
		return time.UnixMilli(int64(f * 1000)).UTC(), nil
	case "rfc822":
		t, err := http.ParseTime(s)
		return t.UTC(), err
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t.UTC(), err
}

// check refuses a decoded input whose required members are missing or
// whose values break the model's bounds; path names v in messages.
func check(v reflect.Value, plan *awsproto.Struct, path string) error {
	for _, f := range plan.Fields {
		name := messageName(path, f)
		fv, ok := f.Value(v)
		if !ok {
			if f.Required {
				return &awsproto.ParamError{Problem: awsproto.ParamMissing, Name: name}
			}
			continue
		}
		switch f.Kind {
		case awsproto.KindString:
			if err := awsproto.CheckScalarRange(f, fv, name, fv.String()); err != nil {
				return err
			}
		case awsproto.KindInt32, awsproto.KindInt64, awsproto.KindFloat32, awsproto.KindFloat64:
			if err := awsproto.CheckScalarRange(f, fv, name, fmt.Sprint(fv.Interface())); err != nil {
				return err
			}
		case awsproto.KindList:
			if err := awsproto.CheckRange(f, float64(fv.Len()), name, strconv.Itoa(fv.Len())); err != nil {
				return err
			}
			if f.Elem.Kind == awsproto.KindStruct {
				for i := 0; i < fv.Len(); i++ {
					if err := check(fv.Index(i), f.Elem.Struct, fmt.Sprintf("%s.%d.member", name, i+1)); err != nil {
						return err
					}
				}
			}
		case awsproto.KindStruct:
			if err := check(fv, f.Struct, name); err != nil {
				return err
			}
		}
	}
	return nil
}

// messageName is how Route 53's validation messages name a member: its
// name with a lower-case first letter, after its parent's path.
func messageName(path string, f *awsproto.Field) string {
	n := strings.ToLower(f.Name[:1]) + f.Name[1:]
	if path == "" {
		return n
	}
	return path + "." + n
}

// queryValues parses a raw query string, refusing one that does not parse.
func queryValues(raw string) (url.Values, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, malformedf("The query string is not valid: %v.", err)
	}
	return q, nil
}
