package codectest

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

// TestCompare checks the comparison the round trip relies on: it must see
// through representation and catch every real difference.
func TestCompare(t *testing.T) {
	type kind string
	type sdkItem struct{ V *int64 }
	type sdk struct {
		S    *string
		E    kind
		N    *int32
		T    *time.Time
		L    []sdkItem
		Only string // a member the other side lacks is ignored
	}
	type ourItem struct{ V *int32 }
	type ours struct {
		S *string
		E *string
		N *int64
		T *time.Time
		L []ourItem
	}
	at := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	local := at.In(time.FixedZone("x", 7200))
	want := &sdk{S: new("s"), E: "e", N: new(int32(7)), T: &at, L: []sdkItem{{V: new(int64(1))}}, Only: "x"}
	if m := Compare("x", reflect.ValueOf(want), reflect.ValueOf(&ours{S: new("s"), E: new("e"), N: new(int64(7)), T: &local,
		L: []ourItem{{V: new(int32(1))}}})); len(m) != 0 {
		t.Errorf("equal values differ: %v", m)
	}
	got := &ours{S: new("t"), N: new(int64(8)), L: []ourItem{{V: new(int32(2))}}}
	var paths []string
	for _, m := range Compare("x", reflect.ValueOf(want), reflect.ValueOf(got)) {
		paths = append(paths, m.Path)
	}
	if w := []string{"x.S", "x.E", "x.N", "x.T", "x.L[0].V"}; !slices.Equal(paths, w) {
		t.Errorf("differences at %v, want %v", paths, w)
	}
	if m := Compare("x", reflect.ValueOf(want), reflect.ValueOf(&ours{L: []ourItem{}})); len(m) == 0 || m[len(m)-1].Path != "x.L.len" {
		t.Errorf("list length difference not found: %v", m)
	}
}
