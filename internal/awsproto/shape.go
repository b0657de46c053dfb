package awsproto

import (
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Kind classifies a member's Go type the way the wire protocols see it.
type Kind int

const (
	KindString Kind = iota + 1
	KindBool
	KindInt32
	KindInt64
	KindFloat32
	KindFloat64
	KindTime
	KindBlob
	KindStruct
	KindList
	KindMap
)

// Field is one member of a generated structure with its wire attributes,
// read from the `aws:"..."` tag apigen writes.
type Field struct {
	Index     int
	GoName    string
	Name      string // member name in the model
	Loc       string // locationName
	QueryName string // queryName (ec2 protocol)
	// EC2Name is the member's parameter name in the ec2 protocol: its
	// queryName, else its locationName capitalized, else its name.
	EC2Name   string
	In        string // location: header, uri, querystring, headers, statusCode
	Flat      bool
	MemberLoc string // list member locationName
	KeyLoc    string
	ValueLoc  string
	TimeFmt   string
	Required  bool
	Idem      bool // idempotency token
	JSONValue bool
	Attr      bool
	Payload   bool
	Sparse    bool // a list or map AWS leaves out when empty
	Min, Max  *float64
	Enum      string
	Ptr       bool // the Go type is a pointer
	Kind      Kind
	Type      reflect.Type // the field's type with any pointer removed
	Elem      *Type        // element of a list or value of a map
	Struct    *Struct      // for KindStruct
}

// Type is the plan for a value inside a list or map.
type Type struct {
	Kind   Kind
	Type   reflect.Type
	Elem   *Type
	Struct *Struct
}

// Struct is the plan for one generated structure.
type Struct struct {
	Type   reflect.Type
	Fields []*Field
	// The members the server asks about on every request, found once.
	dryRun *Field   // DryRun, a bool
	idem   []*Field // idempotency tokens
}

var (
	plans  sync.Map // reflect.Type -> *Struct, complete plans only
	planMu sync.Mutex
)

// StructOf returns the plan of a generated struct type (or pointer to one).
// It is safe for concurrent use: a plan is published only once it and every
// plan it refers to are complete.
func StructOf(t reflect.Type) *Struct {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if p, ok := plans.Load(t); ok {
		return p.(*Struct)
	}
	planMu.Lock()
	defer planMu.Unlock()
	pb := planner{}
	s := pb.structOf(t)
	for t, p := range pb {
		plans.Store(t, p)
	}
	return s
}

// planner builds the plans of one StructOf call; it holds them until all
// are complete.
type planner map[reflect.Type]*Struct

func (pb planner) structOf(t reflect.Type) *Struct {
	if p, ok := plans.Load(t); ok {
		return p.(*Struct)
	}
	if s := pb[t]; s != nil {
		return s // recursive shape: filled further up the stack
	}
	s := &Struct{Type: t}
	pb[t] = s
	fields := make([]*Field, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("aws")
		if !ok {
			continue
		}
		f := parseTag(tag)
		f.Index = i
		f.GoName = sf.Name
		ft := sf.Type
		if ft.Kind() == reflect.Pointer {
			f.Ptr = true
			ft = ft.Elem()
		}
		f.Type = ft
		tp := pb.typeOf(ft)
		f.Kind, f.Elem, f.Struct = tp.Kind, tp.Elem, tp.Struct
		fields = append(fields, f)
		switch {
		case f.Name == "DryRun" && f.Kind == KindBool:
			s.dryRun = f
		case f.Idem:
			s.idem = append(s.idem, f)
		}
	}
	s.Fields = fields
	return s
}

var timeType = reflect.TypeOf(time.Time{})

func (pb planner) typeOf(t reflect.Type) *Type {
	tp := &Type{Type: t}
	switch {
	case t == timeType:
		tp.Kind = KindTime
	case t.Kind() == reflect.String:
		tp.Kind = KindString
	case t.Kind() == reflect.Bool:
		tp.Kind = KindBool
	case t.Kind() == reflect.Int32:
		tp.Kind = KindInt32
	case t.Kind() == reflect.Int64:
		tp.Kind = KindInt64
	case t.Kind() == reflect.Float32:
		tp.Kind = KindFloat32
	case t.Kind() == reflect.Float64:
		tp.Kind = KindFloat64
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		tp.Kind = KindBlob
	case t.Kind() == reflect.Slice:
		tp.Kind = KindList
		tp.Elem = pb.typeOf(t.Elem())
	case t.Kind() == reflect.Map:
		tp.Kind = KindMap
		tp.Elem = pb.typeOf(t.Elem())
	case t.Kind() == reflect.Struct:
		tp.Kind = KindStruct
		tp.Struct = pb.structOf(t)
	default:
		panic("awsproto: unsupported type " + t.String())
	}
	return tp
}

func parseTag(tag string) *Field {
	parts := strings.Split(tag, ",")
	f := &Field{Name: parts[0]}
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(p, "=")
		switch k {
		case "loc":
			f.Loc = v
		case "qn":
			f.QueryName = v
		case "in":
			f.In = v
		case "flat":
			f.Flat = true
		case "mloc":
			f.MemberLoc = v
		case "kloc":
			f.KeyLoc = v
		case "vloc":
			f.ValueLoc = v
		case "ts":
			f.TimeFmt = v
		case "req":
			f.Required = true
		case "idem":
			f.Idem = true
		case "jv":
			f.JSONValue = true
		case "attr":
			f.Attr = true
		case "payload":
			f.Payload = true
		case "sparse":
			f.Sparse = true
		case "min":
			f.Min = parseFloat(v)
		case "max":
			f.Max = parseFloat(v)
		case "enum":
			f.Enum = v
		}
	}
	switch {
	case f.QueryName != "":
		f.EC2Name = f.QueryName
	case f.Loc != "":
		f.EC2Name = strings.ToUpper(f.Loc[:1]) + f.Loc[1:]
	default:
		f.EC2Name = f.Name
	}
	return f
}

func parseFloat(s string) *float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return &v
}

// XMLName is the element name a member takes in an XML body.
func (f *Field) XMLName() string {
	if f.Loc != "" {
		return f.Loc
	}
	return f.Name
}

// Value returns the member's value in struct v (a struct, not a pointer),
// and whether it is set: a non-nil pointer, slice or map.
func (f *Field) Value(v reflect.Value) (reflect.Value, bool) {
	fv := v.Field(f.Index)
	switch fv.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		if fv.IsNil() {
			return fv, false
		}
	}
	if f.Ptr {
		fv = fv.Elem()
	}
	return fv, true
}

// FieldByName finds a member by its model name.
func (s *Struct) FieldByName(name string) *Field {
	for _, f := range s.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// IdempotencyToken returns the value of the input's idempotency token
// member (ClientToken), if it has one and it is set.
func IdempotencyToken(in any) (string, bool) {
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return "", false
	}
	v = v.Elem()
	for _, f := range StructOf(v.Type()).idem {
		if fv, ok := f.Value(v); ok && fv.Kind() == reflect.String && fv.String() != "" {
			return fv.String(), true
		}
	}
	return "", false
}

// DryRun reports whether the input asks for a dry run (member DryRun true).
func DryRun(in any) bool {
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return false
	}
	v = v.Elem()
	f := StructOf(v.Type()).dryRun
	if f == nil {
		return false
	}
	fv, ok := f.Value(v)
	return ok && fv.Bool()
}
