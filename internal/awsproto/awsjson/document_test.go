package awsjson_test

import (
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/awsproto/awsjson"
)

// TestDocument: a document names members as the model does (not by their
// locationName), leaves absent and sparse-empty members out, and reads
// back what it wrote without checking the model's constraints.
func TestDocument(t *testing.T) {
	tests := []struct {
		name string
		v    *testInput
		want string
	}{
		{"nothing set: lists and maps written empty, sparse ones not", &testInput{}, `{"ids":[],"tags":[],"attrs":{},"lists":{}}`},
		{"member names, not locationNames", &testInput{Renamed: new("r")}, `{"Renamed":"r","ids":[],"tags":[],"attrs":{},"lists":{}}`},
		{"zero values that are set, and what the model would refuse", &testInput{ConnectionId: new("far too long for max 8"), Vlan: new(int32(0)), Flag: new(false),
			Ids: []string{"a", "b", "c", "d"}, Tags: []testTag{{Value: new("no key")}}, Nested: &testNested{Inner: &testNested{}}},
			`{"connectionId":"far too long for max 8","vlan":0,"flag":false,"ids":["a","b","c","d"],"tags":[{"value":"no key"}],"attrs":{},"nested":{"inner":{}},"lists":{}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := awsjson.MarshalDocument(tt.v)
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			var back testInput
			if err := awsjson.UnmarshalDocument(got, &back); err != nil {
				t.Fatal(err)
			}
			// Read back, it is the same document (an empty list reads back
			// empty, not nil).
			if again := awsjson.MarshalDocument(&back); string(again) != tt.want {
				t.Errorf("read back as %s", again)
			}
		})
	}
}

func TestUnmarshalDocument(t *testing.T) {
	var v testInput
	if err := awsjson.UnmarshalDocument([]byte(`{"Renamed":"r","otherName":"x","unknown":1,"vlan":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.Renamed == nil || *v.Renamed != "r" || v.Vlan != nil {
		t.Errorf("read %+v: want Renamed r (its locationName and unknown members ignored, null absent)", v)
	}
	for _, tc := range []struct {
		doc, err string
	}{
		{`[]`, "The document must be a JSON object, not an array."},
		{`{`, "The document is not valid JSON"},
		{`{} {}`, "The document holds more than one JSON value."},
		{`{"vlan":"1"}`, "Expected an integer at 'vlan', got a string."},
	} {
		if err := awsjson.UnmarshalDocument([]byte(tc.doc), &v); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want %q", tc.doc, err, tc.err)
		}
	}
	if err := awsjson.UnmarshalDocument([]byte(`{}`), v); err == nil {
		t.Error("a struct, not a pointer to one, was accepted")
	}
}
