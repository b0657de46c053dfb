// Package codectest round-trips operations through aws-sdk-go-v2 and a
// codec of ours: the SDK's input, filled with a value for every member, must
// decode to the same values, and our output must read back the same in the
// SDK. The query and json codecs' tests share it.
package codectest

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// Service ties one of our generated APIs to its codec and to the matching
// aws-sdk-go-v2 client.
type Service struct {
	Name    string
	Spec    *awsproto.Spec
	Codec   awsproto.Codec
	Handler reflect.Type // the generated Handler interface
	Client  func(endpoint string) any
}

// operations lists a spec's operations in a stable order.
func Operations(spec *awsproto.Spec) []string {
	return slices.Sorted(maps.Keys(spec.Operations))
}

// call is one operation of a Service as both sides see it: the SDK's input
// filled with a value for every member we know, and our output likewise.
type Call struct {
	Svc    Service
	Op     string
	SDKIn  reflect.Value // *<Op>Input of the SDK
	OurOut reflect.Value // *<Op>Output of ours
}

// newCall builds the SDK input and our output for op, filled by f.
func NewCall(tb testing.TB, svc Service, op string, f Filler) Call {
	tb.Helper()
	method, ok := reflect.TypeOf(svc.Client("http://127.0.0.1")).MethodByName(op)
	if !ok {
		tb.Fatalf("the SDK %s client has no method %s", svc.Name, op)
	}
	handler, ok := svc.Handler.MethodByName(op)
	if !ok {
		tb.Fatalf("the %s Handler has no method %s", svc.Name, op)
	}
	c := Call{Svc: svc, Op: op,
		SDKIn:  reflect.New(method.Type.In(2).Elem()),
		OurOut: reflect.New(handler.Type.Out(0).Elem()),
	}
	ourIn := reflect.TypeOf(svc.Spec.Operations[op].NewInput())
	f.fillStruct(c.SDKIn.Elem(), awsproto.StructOf(ourIn), c.SDKIn.Type().Elem(), 0)
	f.fillStruct(c.OurOut.Elem(), awsproto.StructOf(c.OurOut.Type()), method.Type.Out(0).Elem(), 0)
	return c
}

// Exchange is what the test server saw of one SDK call.
type Exchange struct {
	Body []byte // the request body as the SDK sent it
	In   any    // our codec's decoding of it
	Err  error  // the codec's refusal, if any
}

// run calls the operation through the SDK against a server on 127.0.0.1
// that decodes the request with our codec and answers with our encoding of
// c.OurOut. It returns what the server saw and the SDK's output and error.
func (c Call) Run(tb testing.TB) (Exchange, reflect.Value, error) {
	tb.Helper()
	var (
		mu  sync.Mutex
		got Exchange
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err == nil && strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
			// As the server does: a compressed body (CloudWatch's
			// PutMetricData) reaches the codec decompressed.
			var zr *gzip.Reader
			if zr, err = gzip.NewReader(bytes.NewReader(body)); err == nil {
				body, err = io.ReadAll(zr)
			}
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		op, in, err := c.Svc.Codec.Decode(r, body, c.Svc.Spec)
		mu.Lock()
		got = Exchange{Body: body, In: in, Err: err}
		mu.Unlock()
		if err != nil {
			c.Svc.Codec.EncodeError(w, c.Svc.Spec, err.(*awsproto.Error), "req-1")
			return
		}
		c.Svc.Codec.Encode(w, c.Svc.Spec, op, c.OurOut.Interface(), "req-1")
	}))
	defer srv.Close()

	method := reflect.ValueOf(c.Svc.Client(srv.URL)).MethodByName(c.Op)
	res := method.Call([]reflect.Value{reflect.ValueOf(context.Background()), c.SDKIn})
	err, _ := res[1].Interface().(error)
	mu.Lock()
	defer mu.Unlock()
	return got, res[0], err
}

// fillers are the ways TestRoundTrip fills shapes: every member with lists
// of two; every member with empty lists (the query SDKs send them as
// "Name=", the EC2 one leaves them out); only the required members.
var Fillers = []struct {
	Name string
	F    Filler
}{
	{"full", Filler{items: 2}},
	{"empty-lists", Filler{items: 0}},
	{"required-only", Filler{items: 1, requiredOnly: true}},
}

// RoundTrip runs c and fails t unless our codec decoded exactly the SDK's
// input and the SDK read back exactly our output.
func RoundTrip(t *testing.T, c Call) {
	got, sdkOut, err := c.Run(t)
	if got.Err != nil {
		t.Fatalf("request: our codec refused %s: %v", got.Body, got.Err)
	}
	if err != nil {
		t.Fatalf("the SDK call failed: %v", err)
	}
	for _, m := range Compare(c.Op+"Input", c.SDKIn, reflect.ValueOf(got.In)) {
		t.Errorf("request %s", m)
	}
	for _, m := range Compare(c.Op+"Output", c.OurOut, sdkOut) {
		t.Errorf("response %s", m)
	}
}

// unmatched lists the members of our plan that the SDK's struct type lacks.
func Unmatched(path string, plan *awsproto.Struct, sdk reflect.Type, seen map[reflect.Type]bool) []string {
	if seen[plan.Type] {
		return nil
	}
	seen[plan.Type] = true
	var out []string
	for _, f := range plan.Fields {
		sf, ok := sdk.FieldByName(f.GoName)
		if !ok {
			out = append(out, path+"."+f.GoName)
			continue
		}
		t, st := typeOfField(f), sf.Type
		for t.Kind == awsproto.KindList || t.Kind == awsproto.KindMap {
			t, st = t.Elem, deref(st).Elem()
		}
		if t.Kind == awsproto.KindStruct {
			out = append(out, Unmatched(path+"."+f.GoName, t.Struct, deref(st), seen)...)
		}
	}
	return out
}

func deref(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		return t.Elem()
	}
	return t
}

func typeOfField(f *awsproto.Field) *awsproto.Type {
	return &awsproto.Type{Kind: f.Kind, Type: f.Type, Elem: f.Elem, Struct: f.Struct}
}

// filler sets members to deterministic, distinct values that satisfy our
// model's constraints.
type Filler struct {
	items        int  // list and map length, within the model's bounds
	requiredOnly bool // set only required members
	seq          int
}

// maxDepth stops recursive shapes.
const maxDepth = 8

// baseTime is where filled timestamps start; the wire carries milliseconds.
var baseTime = time.Date(2024, 2, 29, 23, 59, 58, 123e6, time.UTC)

// fillStruct sets every member of dst (a struct of either side) that both
// our plan and the SDK's struct type sdk have.
func (f *Filler) fillStruct(dst reflect.Value, plan *awsproto.Struct, sdk reflect.Type, depth int) {
	if depth > maxDepth {
		return
	}
	for i, m := range plan.Fields {
		sf, ok := sdk.FieldByName(m.GoName)
		if !ok || f.requiredOnly && !m.Required && (i > 0 || hasRequired(plan)) {
			continue
		}
		f.fillValue(dst.FieldByName(m.GoName), typeOfField(m), m, sf.Type, depth)
	}
}

// hasRequired reports whether a structure has required members. One that
// has none still gets its first member in requiredOnly mode: the query
// protocols cannot carry an empty structure.
func hasRequired(plan *awsproto.Struct) bool {
	for _, m := range plan.Fields {
		if m.Required {
			return true
		}
	}
	return false
}

// fillValue sets v (of either side) to a value of our type t; m gives the
// member's constraints (nil inside lists and maps), sdk the SDK's type at the
// same place.
func (f *Filler) fillValue(v reflect.Value, t *awsproto.Type, m *awsproto.Field, sdk reflect.Type, depth int) {
	if v.Kind() == reflect.Pointer {
		v.Set(reflect.New(v.Type().Elem()))
		v = v.Elem()
	}
	sdk = deref(sdk)
	switch t.Kind {
	case awsproto.KindStruct:
		f.fillStruct(v, t.Struct, sdk, depth+1)
	case awsproto.KindList:
		n := f.count(m)
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			f.fillValue(v.Index(i), t.Elem, nil, sdk.Elem(), depth+1)
		}
	case awsproto.KindMap:
		v.Set(reflect.MakeMap(v.Type()))
		for range f.count(m) {
			f.seq++
			e := reflect.New(v.Type().Elem()).Elem()
			f.fillValue(e, t.Elem, nil, sdk.Elem(), depth+1)
			v.SetMapIndex(reflect.ValueOf(fmt.Sprintf("key-%d", f.seq)).Convert(v.Type().Key()), e)
		}
	default:
		f.seq++
		f.scalar(v, t.Kind, m, sdk)
	}
}

// count is how many items to put in a list or map member m. A required list
// gets at least one: the SDK does not send an empty one, and AWS then
// reports the parameter missing.
func (f *Filler) count(m *awsproto.Field) int {
	n := float64(f.items)
	if m != nil && m.Required {
		n = max(n, 1)
	}
	if m != nil && m.Min != nil {
		n = max(n, *m.Min)
	}
	if m != nil && m.Max != nil {
		n = min(n, *m.Max)
	}
	return int(n)
}

// scalar sets v to the f.seq-th value of its kind.
func (f *Filler) scalar(v reflect.Value, k awsproto.Kind, m *awsproto.Field, sdk reflect.Type) {
	lo, hi := -1.0, -1.0
	if m != nil && m.Min != nil {
		lo = *m.Min
	}
	if m != nil && m.Max != nil {
		hi = *m.Max
	}
	if k == awsproto.KindString && isInt(deref(sdk).Kind()) {
		// A member the model file types as a string that the SDK's newer
		// model types as an integer (Route 53's MaxItems): the same text on
		// the wire.
		if isInt(v.Kind()) {
			v.SetInt(int64(f.seq))
		} else {
			v.SetString(fmt.Sprint(f.seq))
		}
		return
	}
	switch k {
	case awsproto.KindString:
		if enum := enumValues(sdk); len(enum) > 0 {
			v.SetString(enum[f.seq%len(enum)])
			return
		}
		// Characters the form and XML encodings must escape, and non-ASCII.
		s := fmt.Sprintf("v%d &<>\"'=+%%.ü/€", f.seq)
		for lo > 0 && float64(utf8.RuneCountInString(s)) < lo {
			s += "x"
		}
		for hi >= 0 && float64(utf8.RuneCountInString(s)) > hi {
			_, w := utf8.DecodeLastRuneInString(s)
			s = s[:len(s)-w]
		}
		v.SetString(s)
	case awsproto.KindBool:
		v.SetBool(f.seq%2 == 0)
	case awsproto.KindInt32, awsproto.KindInt64:
		n := float64(f.seq)
		if lo >= 0 && n < lo {
			n = lo
		}
		if hi >= 0 && n > hi {
			n = hi
		}
		v.SetInt(int64(n))
	case awsproto.KindFloat32, awsproto.KindFloat64:
		v.SetFloat(float64(f.seq) + 0.5)
	case awsproto.KindTime:
		v.Set(reflect.ValueOf(baseTime.Add(time.Duration(f.seq) * time.Hour)))
	case awsproto.KindBlob:
		v.SetBytes([]byte(fmt.Sprintf("blob\x00\xff%d", f.seq)))
	}
}

func isInt(k reflect.Kind) bool {
	return k == reflect.Int32 || k == reflect.Int64
}

// sameNumber reports whether an integer and a string are the same number
// (see scalar: one side's string is the other's integer).
func sameNumber(w, g any) bool {
	_, wi := w.(int64)
	_, gi := g.(int64)
	_, ws := w.(string)
	_, gs := g.(string)
	return (wi && gs || ws && gi) && fmt.Sprint(w) == fmt.Sprint(g)
}

// enumValues lists the values of an SDK enum type (its Values method).
func enumValues(t reflect.Type) []string {
	m := reflect.Zero(t).MethodByName("Values")
	if !m.IsValid() {
		return nil
	}
	vals := m.Call(nil)[0]
	out := make([]string, vals.Len())
	for i := range out {
		out[i] = vals.Index(i).String()
	}
	return out
}

// Mismatch is one difference Compare finds.
type Mismatch struct {
	Path      string
	Want, Got any
}

func (m Mismatch) String() string {
	return fmt.Sprintf("%s: want %#v, got %#v", m.Path, m.Want, m.Got)
}

var absent = struct{ absent bool }{true}

// compare walks want and got (values of either side) and lists where they
// differ, matching struct members by Go name and ignoring members only one
// side has. Pointers, enum types, integer and float sizes, and time zones are
// normalised away.
func Compare(path string, want, got reflect.Value) []Mismatch {
	want, got = indirect(want), indirect(got)
	switch {
	case !want.IsValid() && !got.IsValid():
		return nil
	case !want.IsValid():
		return []Mismatch{{path, absent, leaf(got)}}
	case !got.IsValid():
		return []Mismatch{{path, leaf(want), absent}}
	}
	switch want.Kind() {
	case reflect.Struct:
		if want.Type() == timeType {
			break
		}
		var out []Mismatch
		for i := range want.NumField() {
			sf := want.Type().Field(i)
			if !sf.IsExported() {
				continue
			}
			if _, ok := got.Type().FieldByName(sf.Name); !ok {
				continue
			}
			w, g := want.Field(i), got.FieldByName(sf.Name)
			if isScalar(w) || isScalar(g) {
				// One side holds the member as a value: a zero there is
				// "not set", so a zero on the other side is too.
				w, g = member(indirect(w)), member(indirect(g))
			}
			out = append(out, Compare(path+"."+sf.Name, w, g)...)
		}
		return out
	case reflect.Slice:
		if want.Type().Elem().Kind() == reflect.Uint8 {
			break
		}
		if want.Len() != got.Len() {
			return []Mismatch{{path + ".len", want.Len(), got.Len()}}
		}
		var out []Mismatch
		for i := range want.Len() {
			out = append(out, Compare(fmt.Sprintf("%s[%d]", path, i), want.Index(i), got.Index(i))...)
		}
		return out
	case reflect.Map:
		if want.Len() != got.Len() {
			return []Mismatch{{path + ".len", want.Len(), got.Len()}}
		}
		var out []Mismatch
		for _, k := range want.MapKeys() {
			gk := reflect.ValueOf(k.String()).Convert(got.Type().Key())
			out = append(out, Compare(fmt.Sprintf("%s[%q]", path, k), want.MapIndex(k), got.MapIndex(gk))...)
		}
		return out
	}
	if w, g := leaf(want), leaf(got); !reflect.DeepEqual(w, g) && !sameNumber(w, g) {
		return []Mismatch{{path, w, g}}
	}
	return nil
}

var timeType = reflect.TypeFor[time.Time]()

// isScalar reports whether v is a scalar held as a value, not a pointer.
func isScalar(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String, reflect.Bool, reflect.Int32, reflect.Int64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// member returns a struct member's value, or an invalid value when it is
// unset: the SDK holds enums (and some scalars) as values, where the zero
// value means "not set" and is not sent.
func member(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.String, reflect.Bool, reflect.Int32, reflect.Int64, reflect.Float32, reflect.Float64:
		if v.IsZero() {
			return reflect.Value{}
		}
	}
	return v
}

// indirect follows pointers; a nil pointer or nil interface is invalid.
func indirect(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

// leaf normalises a scalar for comparison.
func leaf(v reflect.Value) any {
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Float32, reflect.Float64:
		return v.Float()
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return string(v.Bytes())
		}
		return fmt.Sprintf("%d items", v.Len())
	}
	if v.Type() == timeType {
		return v.Interface().(time.Time).UTC().Format(time.RFC3339Nano)
	}
	return strings.TrimSpace(fmt.Sprint(v.Interface()))
}
