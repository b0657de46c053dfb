package awsjson_test

import (
	"errors"
	"math"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/awsjson"
	"github.com/vpcemu/vpcemu/internal/awsproto/codectest"
)

// testInput covers every kind of member the decoder handles, with the tags
// apigen writes.
type testInput struct {
	ConnectionId *string              `aws:"connectionId,req,min=2,max=8"`
	Vlan         *int32               `aws:"vlan,min=1,max=4094"`
	Asn          *int64               `aws:"asnLong"`
	Ratio        *float64             `aws:"ratio"`
	Small        *float32             `aws:"small"`
	Flag         *bool                `aws:"flag"`
	When         *time.Time           `aws:"when"`
	Iso          *time.Time           `aws:"iso,ts=iso8601"`
	HTTPDate     *time.Time           `aws:"httpDate,ts=rfc822"`
	Data         []byte               `aws:"data"`
	Renamed      *string              `aws:"Renamed,loc=otherName"`
	Ids          []string             `aws:"ids,max=3"`
	Tags         []testTag            `aws:"tags"`
	Attrs        map[string]int32     `aws:"attrs"`
	Nested       *testNested          `aws:"nested"`
	Lists        map[string][]testTag `aws:"lists"`
}

type testTag struct {
	Key   *string `aws:"key,req"`
	Value *string `aws:"value"`
}

type testNested struct {
	Inner *testNested `aws:"inner"`
	Key   *string     `aws:"key,req"`
}

// testSpec serves one operation, Op, taking testInput; Later is in the
// model but not served.
var testSpec = &awsproto.Spec{
	SigningName:  "test",
	Protocol:     "json",
	TargetPrefix: "TestService",
	JSONVersion:  "1.1",
	Operations: map[string]*awsproto.Operation{
		"Op": {Name: "Op", NewInput: func() any { return new(testInput) }},
	},
	ModelOperations: []string{"Later", "Op"},
}

// decode decodes body as operation Op.
func decode(body string) (*testInput, error) {
	return decodeTarget("TestService.Op", body)
}

func decodeTarget(target, body string) (*testInput, error) {
	r := httptest.NewRequest("POST", "/", nil)
	if target != "" {
		r.Header.Set("X-Amz-Target", target)
	}
	_, in, err := awsjson.JSON.Decode(r, []byte(body), testSpec)
	if err != nil {
		return nil, err
	}
	return in.(*testInput), nil
}

func TestDecodeValues(t *testing.T) {
	when := time.Date(2024, 2, 29, 23, 59, 58, 123e6, time.UTC)
	tests := []struct {
		name, body string
		want       testInput
	}{
		{"scalars", `{"connectionId":"dxcon-1","vlan":4094,"asnLong":4294967294,"ratio":1.5,"small":0.25,"flag":false,` +
			`"when":1709251198.123,"iso":"2024-02-29T23:59:58.123Z","httpDate":"Thu, 29 Feb 2024 23:59:58 GMT","data":"AAH/"}`,
			testInput{ConnectionId: new("dxcon-1"), Vlan: new(int32(4094)), Asn: new(int64(4294967294)), Ratio: new(1.5),
				Small: new(float32(0.25)), Flag: new(false), When: &when, Iso: &when, HTTPDate: new(when.Truncate(time.Second)), Data: []byte{0, 1, 0xff}}},
		{"epoch seconds without fraction", `{"connectionId":"ab","when":1709251198}`,
			testInput{ConnectionId: new("ab"), When: new(when.Truncate(time.Second))}},
		{"locationName is the property", `{"connectionId":"ab","otherName":"x","Renamed":"ignored"}`,
			testInput{ConnectionId: new("ab"), Renamed: new("x")}},
		{"lists, maps and nesting", `{"connectionId":"ab","ids":["a","b"],"tags":[{"key":"k","value":"v"},{"key":"k2"}],` +
			`"attrs":{"b":2,"a":1},"nested":{"key":"x","inner":{"key":"y"}},"lists":{"m":[{"key":"z"}]}}`,
			testInput{ConnectionId: new("ab"), Ids: []string{"a", "b"}, Tags: []testTag{{Key: new("k"), Value: new("v")}, {Key: new("k2")}},
				Attrs: map[string]int32{"a": 1, "b": 2}, Nested: &testNested{Key: new("x"), Inner: &testNested{Key: new("y")}},
				Lists: map[string][]testTag{"m": {{Key: new("z")}}}}},
		{"empty list and map", `{"connectionId":"ab","ids":[],"attrs":{}}`,
			testInput{ConnectionId: new("ab"), Ids: []string{}, Attrs: map[string]int32{}}},
		{"null is absent", `{"connectionId":"ab","vlan":null,"tags":null,"attrs":{"a":null}}`,
			testInput{ConnectionId: new("ab"), Attrs: map[string]int32{}}},
		{"unknown members are ignored", `{"connectionId":"ab","newerMember":{"x":[1]},"nested":{"key":"k","other":1}}`,
			testInput{ConnectionId: new("ab"), Nested: &testNested{Key: new("k")}}},
		{"escapes and unicode", `{"connectionId":"a\"\u00fc\n€"}`, testInput{ConnectionId: new("a\"ü\n€")}},
		{"the last of repeated members wins", `{"connectionId":"one","connectionId":"two"}`, testInput{ConnectionId: new("two")}},
		{"floats take exponents", `{"connectionId":"ab","ratio":1e3}`,
			testInput{ConnectionId: new("ab"), Ratio: new(1000.0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decode(tt.body)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range codectest.Compare("testInput", reflect.ValueOf(&tt.want), reflect.ValueOf(got)) {
				t.Error(m)
			}
			// Compare treats nil and empty lists alike; the decoder does not.
			if (tt.want.Ids == nil) != (got.Ids == nil) || (tt.want.Attrs == nil) != (got.Attrs == nil) {
				t.Errorf("empty versus absent: got ids %#v attrs %#v", got.Ids, got.Attrs)
			}
		})
	}
}

func TestDecodeNonNumericFloats(t *testing.T) {
	got, err := decode(`{"connectionId":"ab","ratio":"NaN","small":"-Infinity"}`)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(*got.Ratio) || !math.IsInf(float64(*got.Small), -1) {
		t.Errorf("got %v %v", *got.Ratio, *got.Small)
	}
}

func TestDecodeEmptyBody(t *testing.T) {
	// The protocol's servers must take an empty body as {}; Op requires
	// connectionId, so the empty body reaches validation.
	for _, body := range []string{"", "  \n", "{}"} {
		_, err := decode(body)
		assertError(t, err, "ValidationException", "1 validation error detected: Value null at 'connectionId' failed to satisfy constraint: Member must not be null")
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, body, code, message string
	}{
		{"not JSON", `{"connectionId":`, "SerializationException", "The request body is not valid JSON: unexpected EOF."},
		{"not an object", `["connectionId"]`, "SerializationException", "The request body must be a JSON object, not an array."},
		{"two values", `{"connectionId":"ab"} {}`, "SerializationException", "The request body holds more than one JSON value."},
		{"string as number", `{"connectionId":5}`, "SerializationException", "Expected a string at 'connectionId', got a number."},
		{"number as string", `{"connectionId":"ab","vlan":"5"}`, "SerializationException", "Expected an integer at 'vlan', got a string."},
		{"fraction as integer", `{"connectionId":"ab","vlan":1.5}`, "SerializationException", "Expected an integer of 32 bits at 'vlan', got 1.5."},
		{"int32 overflow", `{"connectionId":"ab","vlan":2147483648}`, "SerializationException", "Expected an integer of 32 bits at 'vlan', got 2147483648."},
		{"bool as string", `{"connectionId":"ab","flag":"true"}`, "SerializationException", "Expected a boolean at 'flag', got a string."},
		{"object as list", `{"connectionId":"ab","tags":{"key":"k"}}`, "SerializationException", "Expected an array at 'tags', got an object."},
		{"list item of the wrong type", `{"connectionId":"ab","ids":["a",7]}`, "SerializationException", "Expected a string at 'ids.2.member', got a number."},
		{"structure as string", `{"connectionId":"ab","nested":"x"}`, "SerializationException", "Expected an object at 'nested', got a string."},
		{"timestamp as string", `{"connectionId":"ab","when":"2024-01-01T00:00:00Z"}`, "SerializationException", "Expected a timestamp (epoch seconds) at 'when', got a string."},
		{"bad ISO timestamp", `{"connectionId":"ab","iso":"yesterday"}`, "SerializationException", "Expected a timestamp (ISO 8601) at 'iso', got a string."},
		{"bad base64", `{"connectionId":"ab","data":"!!"}`, "SerializationException", "Expected base64 at 'data'."},
		{"missing required", `{"vlan":1}`, "ValidationException", "1 validation error detected: Value null at 'connectionId' failed to satisfy constraint: Member must not be null"},
		{"missing nested required", `{"connectionId":"ab","tags":[{"key":"k"},{"value":"v"}]}`, "ValidationException",
			"1 validation error detected: Value null at 'tags.2.member.key' failed to satisfy constraint: Member must not be null"},
		{"too short", `{"connectionId":"a"}`, "ValidationException",
			"1 validation error detected: Value 'a' at 'connectionId' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"too large", `{"connectionId":"ab","vlan":4095}`, "ValidationException",
			"1 validation error detected: Value '4095' at 'vlan' failed to satisfy constraint: Member must have value less than or equal to 4094"},
		{"too many", `{"connectionId":"ab","ids":["a","b","c","d"]}`, "ValidationException",
			"1 validation error detected: Value '4' at 'ids' failed to satisfy constraint: Member must have length less than or equal to 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode(tt.body)
			assertError(t, err, tt.code, tt.message)
		})
	}
}

func TestDecodeTarget(t *testing.T) {
	tests := []struct {
		target, code, message string
	}{
		{"", "UnknownOperationException", "The request has no X-Amz-Target header naming the operation."},
		{"TestService", "UnknownOperationException", "The operation TestService is not known to this service."},
		{"OtherService.Op", "UnknownOperationException", "The operation OtherService.Op is not known to this service."},
		{"TestService.Nope", "UnknownOperationException", "The operation TestService.Nope is not known to this service."},
		{"TestService.Later", "UnsupportedOperation", "vpcemu does not implement test:Later yet."},
	}
	for _, tt := range tests {
		_, err := decodeTarget(tt.target, `{"connectionId":"ab"}`)
		assertError(t, err, tt.code, tt.message)
	}
}

func assertError(t *testing.T, err error, code, message string) {
	t.Helper()
	var e *awsproto.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want %s", err, code)
	}
	if e.Code != code || e.Message != message || e.Status != 400 {
		t.Errorf("got %d %s %q,\nwant 400 %s %q", e.Status, e.Code, e.Message, code, message)
	}
	if strings.Contains(e.Message, "\n") {
		t.Errorf("message spans lines: %q", e.Message)
	}
}
