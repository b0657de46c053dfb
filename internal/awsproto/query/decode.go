package query

import (
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

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
		return f.EC2Name
	}
	if f.Flat && f.MemberLoc != "" && f.Kind == awsproto.KindList {
		return f.MemberLoc
	}
	if f.Loc != "" {
		return f.Loc
	}
	return f.Name
}

// messageName is how error messages name a member: EC2 uses its
// locationName ("routeTableId"), the query services the member name in
// lower camel case ("roleArn"). Both keep the wire path to its parent.
func (d decoder) messageName(path string, f *awsproto.Field) string {
	if d.ec2 && f.Loc != "" {
		return join(path, f.Loc)
	}
	return join(path, strings.ToLower(f.Name[:1])+f.Name[1:])
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

// decodeStruct fills v, a structure whose plan is plan, from n.
func (d decoder) decodeStruct(n *node, plan *awsproto.Struct, v reflect.Value, path string, top bool) error {
	if !top {
		if err := noValue(n, path); err != nil {
			return err
		}
	}
	for _, f := range plan.Fields {
		name := d.wireName(f)
		c := n.child(name)
		if c == nil {
			if f.Required {
				return &awsproto.ParamError{Problem: awsproto.ParamMissing, Name: d.messageName(path, f)}
			}
			continue
		}
		c.used = true
		fv := v.Field(f.Index)
		if f.Ptr {
			p := reflect.New(f.Type)
			fv.Set(p)
			fv = p.Elem()
		}
		if err := d.decodeField(f, c, fv, join(path, name), path); err != nil {
			return err
		}
	}
	if c := n.minKid(func(c *node) bool { return !c.used && !(top && protocolParam(c.name)) }); c != nil {
		return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(join(path, c.name), c)}
	}
	return nil
}

// noValue refuses a value on a structure, list or map parameter: only its
// members are parameters. The empty value is allowed: SDKs send an empty
// list as "Name=".
func noValue(n *node, path string) error {
	if n.hasVal && n.val != "" {
		return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: path}
	}
	return nil
}

// decodeField decodes member f from n at wire path path; parent is the
// path of the structure holding f.
func (d decoder) decodeField(f *awsproto.Field, n *node, v reflect.Value, path, parent string) error {
	switch f.Kind {
	case awsproto.KindList:
		if err := noValue(n, path); err != nil {
			return err
		}
		items := n
		if !d.ec2 && !f.Flat {
			member := f.MemberLoc
			if member == "" {
				member = "member"
			}
			if c := n.child(member); c != nil {
				items = c
				path = join(path, member)
			} else if n.nkids > 0 {
				return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(path, n)}
			}
		}
		if err := d.decodeList(items, v, f.Elem, path); err != nil {
			return err
		}
		return awsproto.CheckRange(f, float64(v.Len()), d.messageName(parent, f), strconv.Itoa(v.Len()))
	case awsproto.KindMap:
		return d.decodeMap(f, n, v, path)
	case awsproto.KindStruct:
		return d.decodeStruct(n, f.Struct, v, path, false)
	default:
		if n.nkids > 0 {
			return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(path, n)}
		}
		if err := scalar(f.Kind, n.val, v, path, f.TimeFmt); err != nil {
			return err
		}
		return awsproto.CheckScalarRange(f, v, d.messageName(parent, f), n.val)
	}
}

// maxListIndex bounds the position of a list item or map entry. An index is
// a position, not a length, but a request naming item 4294967295 is not a
// list AWS would take either.
const maxListIndex = 10_000

// item is one numbered child of a list or map parameter.
type item struct {
	i   int
	key string
	n   *node
}

// indexed returns the children of a list or map parameter in index order.
// Indexes are the decimal numbers 1..maxListIndex (gaps allowed), spelled
// without sign or leading zeros so that no two name the same item.
func indexed(n *node, path string) ([]item, error) {
	items := make([]item, 0, n.nkids)
	for c := n.first; c != nil; c = c.next {
		i, ok := listIndex(c.name)
		if !ok {
			return nil, badIndex(n, path)
		}
		items = append(items, item{i, c.name, c})
	}
	slices.SortFunc(items, func(a, b item) int { return a.i - b.i })
	return items, nil
}

// listIndex reads a list index: 1..maxListIndex in decimal, without sign or
// leading zeros.
func listIndex(k string) (int, bool) {
	if k == "" || len(k) > len(strconv.Itoa(maxListIndex)) || k[0] == '0' {
		return 0, false
	}
	i := 0
	for j := 0; j < len(k); j++ {
		if k[j] < '0' || k[j] > '9' {
			return 0, false
		}
		i = 10*i + int(k[j]-'0')
	}
	return i, i <= maxListIndex
}

// badIndex is the error of a list or map parameter with a child that is not
// an index: of the bad names, the first in sorted order, the same every
// time.
func badIndex(n *node, path string) error {
	var names []string
	for c := n.first; c != nil; c = c.next {
		names = append(names, c.name)
	}
	slices.Sort(names)
	for _, k := range names {
		i, err := strconv.Atoi(k)
		if err != nil || i < 1 || strconv.Itoa(i) != k {
			return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(join(path, k), n.child(k))}
		}
		if i > maxListIndex {
			return &awsproto.ParamError{Problem: awsproto.ParamRange, Name: path, Value: k,
				Measure: "list index", Bound: "less than or equal to", Limit: maxListIndex}
		}
	}
	panic("query: badIndex called on good indexes")
}

// decodeList reads items numbered 1..N (gaps allowed; order by number)
// into v, a settable nil slice.
func (d decoder) decodeList(n *node, v reflect.Value, elem *awsproto.Type, path string) error {
	items, err := indexed(n, path)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		v.Set(reflect.MakeSlice(v.Type(), 0, 0)) // "Name=": an empty list, not none
		return nil
	}
	v.Grow(len(items))
	v.SetLen(len(items))
	for j, it := range items {
		if err := d.decodeValue(it.n, v.Index(j), elem, join(path, it.key)); err != nil {
			return err
		}
	}
	return nil
}

func (d decoder) decodeValue(n *node, v reflect.Value, t *awsproto.Type, path string) error {
	switch t.Kind {
	case awsproto.KindStruct:
		return d.decodeStruct(n, t.Struct, v, path, false)
	case awsproto.KindList:
		if err := noValue(n, path); err != nil {
			return err
		}
		items := n
		if !d.ec2 {
			if c := n.child("member"); c != nil {
				items, path = c, join(path, "member")
			}
		}
		return d.decodeList(items, v, t.Elem, path)
	case awsproto.KindMap:
		return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(path, n)}
	default:
		if n.nkids > 0 {
			return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(path, n)}
		}
		return scalar(t.Kind, n.val, v, path, "")
	}
}

func (d decoder) decodeMap(f *awsproto.Field, n *node, v reflect.Value, path string) error {
	if err := noValue(n, path); err != nil {
		return err
	}
	entries := n
	if !f.Flat {
		if c := n.child("entry"); c != nil {
			entries, path = c, join(path, "entry")
		} else if n.nkids > 0 {
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
	items, err := indexed(entries, path)
	if err != nil {
		return err
	}
	m := reflect.MakeMapWithSize(v.Type(), len(items))
	for _, it := range items {
		ep := join(path, it.key)
		if err := noValue(it.n, ep); err != nil {
			return err
		}
		if c := it.n.minKid(func(c *node) bool { return c.name != keyName && c.name != valName }); c != nil {
			return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(join(ep, c.name), c)}
		}
		kn := it.n.child(keyName)
		if kn == nil {
			return &awsproto.ParamError{Problem: awsproto.ParamMissing, Name: join(ep, keyName)}
		}
		if kn.nkids > 0 {
			return &awsproto.ParamError{Problem: awsproto.ParamUnknown, Name: firstLeaf(join(ep, keyName), kn)}
		}
		val := reflect.New(v.Type().Elem()).Elem()
		if vn := it.n.child(valName); vn != nil {
			if err := d.decodeValue(vn, val, f.Elem, join(ep, valName)); err != nil {
				return err
			}
		}
		m.SetMapIndex(reflect.ValueOf(kn.val).Convert(v.Type().Key()), val)
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
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return time.Time{}, fmt.Errorf("bad timestamp %q", s)
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

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// firstLeaf names one full parameter under n, for error messages.
func firstLeaf(path string, n *node) string {
	for n != nil && n.nkids > 0 {
		n = n.minKid(func(*node) bool { return true })
		path = join(path, n.name)
	}
	return path
}
