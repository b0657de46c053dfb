package query

import (
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// decoder fills a generated input shape from the parameter tree, naming
// parameters the way its dialect does.
type decoder struct {
	ec2 bool
}

// wireName is the parameter name a member takes in a request.
func (d decoder) wireName(f *awsproto.Field) string {
	if d.ec2 {
		if f.QueryName != "" {
			return f.QueryName
		}
		if f.Loc != "" {
			return strings.ToUpper(f.Loc[:1]) + f.Loc[1:]
		}
		return f.Name
	}
	if f.Flat && f.MemberLoc != "" && f.Kind == awsproto.KindList {
		return f.MemberLoc
	}
	if f.Loc != "" {
		return f.Loc
	}
	return f.Name
}

// protocolParams are top-level parameters that belong to the protocol or to
// request signing, not to any operation's input.
func protocolParam(name string) bool {
	switch name {
	case "Action", "Version", "AWSAccessKeyId", "Signature", "SignatureMethod",
		"SignatureVersion", "Timestamp", "Expires", "SecurityToken":
		return true
	}
	return strings.HasPrefix(name, "X-Amz-")
}

func (d decoder) decodeStruct(n *node, v reflect.Value, path string, top bool) error {
	plan := awsproto.StructOf(v.Type())
	var seen map[string]bool
	if len(n.kids) > 0 {
		seen = make(map[string]bool, len(plan.Fields))
	}
	for _, f := range plan.Fields {
		name := d.wireName(f)
		full := join(path, name)
		c := n.kids[name]
		if c == nil {
			if f.Required {
				return &awsproto.ParamError{Problem: awsproto.ParamMissing, Name: full}
			}
			continue
		}
		seen[name] = true
		fv := v.Field(f.Index)
		if f.Ptr {
			p := reflect.New(f.Type)
			fv.Set(p)
			fv = p.Elem()
		}
		if err := d.decodeField(f, c, fv, full); err != nil {
			return err
		}
	}
	if n.hasVal && n.val != "" && !top {
		return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: path}
	}
	for name := range n.kids {
		if seen[name] || top && protocolParam(name) {
			continue
		}
		return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(join(path, name), n.kids[name])}
	}
	return nil
}

func (d decoder) decodeField(f *awsproto.Field, n *node, v reflect.Value, path string) error {
	switch f.Kind {
	case awsproto.KindList:
		items := n
		if !d.ec2 && !f.Flat {
			member := f.MemberLoc
			if member == "" {
				member = "member"
			}
			if c := n.kids[member]; c != nil {
				items = c
				path = join(path, member)
			} else if len(n.kids) > 0 {
				return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(path, n)}
			}
		}
		if err := d.decodeList(items, v, f.Elem, path); err != nil {
			return err
		}
		return checkRange(f, float64(v.Len()), path, strconv.Itoa(v.Len()))
	case awsproto.KindMap:
		return d.decodeMap(f, n, v, path)
	case awsproto.KindStruct:
		return d.decodeStruct(n, v, path, false)
	default:
		if len(n.kids) > 0 {
			return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(path, n)}
		}
		if err := scalar(f.Kind, n.val, v, path, f.TimeFmt); err != nil {
			return err
		}
		return checkScalarRange(f, v, path, n.val)
	}
}

// decodeList reads items numbered 1..N (gaps allowed; order by number).
func (d decoder) decodeList(n *node, v reflect.Value, elem *awsproto.Type, path string) error {
	type item struct {
		i int
		n *node
		k string
	}
	items := make([]item, 0, len(n.kids))
	for k, c := range n.kids {
		i, err := strconv.Atoi(k)
		if err != nil || i < 1 {
			return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(join(path, k), c)}
		}
		items = append(items, item{i, c, k})
	}
	sort.Slice(items, func(a, b int) bool { return items[a].i < items[b].i })
	list := reflect.MakeSlice(v.Type(), len(items), len(items))
	for j, it := range items {
		if err := d.decodeValue(it.n, list.Index(j), elem, join(path, it.k)); err != nil {
			return err
		}
	}
	v.Set(list)
	return nil
}

func (d decoder) decodeValue(n *node, v reflect.Value, t *awsproto.Type, path string) error {
	switch t.Kind {
	case awsproto.KindStruct:
		return d.decodeStruct(n, v, path, false)
	case awsproto.KindList:
		items := n
		if !d.ec2 {
			if c := n.kids["member"]; c != nil {
				items, path = c, join(path, "member")
			}
		}
		return d.decodeList(items, v, t.Elem, path)
	case awsproto.KindMap:
		return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(path, n)}
	default:
		if len(n.kids) > 0 {
			return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(path, n)}
		}
		return scalar(t.Kind, n.val, v, path, "")
	}
}

func (d decoder) decodeMap(f *awsproto.Field, n *node, v reflect.Value, path string) error {
	entries := n
	if !f.Flat {
		if c := n.kids["entry"]; c != nil {
			entries, path = c, join(path, "entry")
		} else if len(n.kids) > 0 {
			return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(path, n)}
		}
	}
	keyName, valName := f.KeyLoc, f.ValueLoc
	if keyName == "" {
		keyName = "key"
	}
	if valName == "" {
		valName = "value"
	}
	m := reflect.MakeMapWithSize(v.Type(), len(entries.kids))
	for k, e := range entries.kids {
		ep := join(path, k)
		if _, err := strconv.Atoi(k); err != nil {
			return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(ep, e)}
		}
		for name, c := range e.kids {
			if name != keyName && name != valName {
				return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(join(ep, name), c)}
			}
		}
		kn := e.kids[keyName]
		if kn == nil {
			return &awsproto.ParamError{Problem: awsproto.ParamMissing, Name: join(ep, keyName)}
		}
		val := reflect.New(v.Type().Elem()).Elem()
		if vn := e.kids[valName]; vn != nil {
			if err := d.decodeValue(vn, val, f.Elem, join(ep, valName)); err != nil {
				return err
			}
		}
		m.SetMapIndex(reflect.ValueOf(kn.val), val)
	}
	v.Set(m)
	return nil
}

func scalar(k awsproto.Kind, s string, v reflect.Value, path, timeFmt string) error {
	bad := func(detail string) error {
		return &awsproto.ParamError{Problem: awsproto.ParamInvalid, Name: path, Value: s, Detail: detail}
	}
	switch k {
	case awsproto.KindString:
		v.SetString(s)
	case awsproto.KindBool:
		switch strings.ToLower(s) {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			return bad("expected true or false")
		}
	case awsproto.KindInt32, awsproto.KindInt64:
		bits := 64
		if k == awsproto.KindInt32 {
			bits = 32
		}
		i, err := strconv.ParseInt(strings.TrimSpace(s), 10, bits)
		if err != nil {
			return bad("expected an integer")
		}
		v.SetInt(i)
	case awsproto.KindFloat32, awsproto.KindFloat64:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return bad("expected a number")
		}
		v.SetFloat(f)
	case awsproto.KindTime:
		t, err := parseTime(s, timeFmt)
		if err != nil {
			return bad("expected an ISO 8601 timestamp")
		}
		v.Set(reflect.ValueOf(t))
	case awsproto.KindBlob:
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return bad("expected base64")
		}
		v.SetBytes(b)
	}
	return nil
}

func parseTime(s, format string) (time.Time, error) {
	if format == "unixTimestamp" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return time.Time{}, err
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad timestamp %q", s)
}

func checkScalarRange(f *awsproto.Field, v reflect.Value, path, raw string) error {
	switch f.Kind {
	case awsproto.KindString:
		return checkRange(f, float64(utf8.RuneCountInString(v.String())), path, raw)
	case awsproto.KindInt32, awsproto.KindInt64:
		return checkRange(f, float64(v.Int()), path, raw)
	case awsproto.KindFloat32, awsproto.KindFloat64:
		return checkRange(f, v.Float(), path, raw)
	}
	return nil
}

func checkRange(f *awsproto.Field, x float64, path, raw string) error {
	what := "a value"
	switch f.Kind {
	case awsproto.KindString:
		what = "a length"
	case awsproto.KindList:
		what = "a number of items"
	}
	if f.Min != nil && x < *f.Min {
		return &awsproto.ParamError{Problem: awsproto.ParamRange, Name: path, Value: raw,
			Detail: fmt.Sprintf("Expecting %s greater than or equal to %v.", what, *f.Min)}
	}
	if f.Max != nil && x > *f.Max {
		return &awsproto.ParamError{Problem: awsproto.ParamRange, Name: path, Value: raw,
			Detail: fmt.Sprintf("Expecting %s less than or equal to %v.", what, *f.Max)}
	}
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// firstLeaf names one full parameter under n, for error messages.
func firstLeaf(path string, n *node) string {
	for n != nil && len(n.kids) > 0 {
		keys := make([]string, 0, len(n.kids))
		for k := range n.kids {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		path = join(path, keys[0])
		n = n.kids[keys[0]]
	}
	return path
}
