package awsjson_test

import (
	"encoding/json"
	"math"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/awsjson"
)

type testOutput struct {
	Name  *string           `aws:"name"`
	Other *string           `aws:"Other,loc=renamed"`
	Count *int64            `aws:"count"`
	Ratio *float64          `aws:"ratio"`
	Flag  *bool             `aws:"flag"`
	When  *time.Time        `aws:"when"`
	Iso   *time.Time        `aws:"iso,ts=iso8601"`
	Data  []byte            `aws:"data"`
	Items []testTag         `aws:"items"`
	Attrs map[string]string `aws:"attrs"`
	Inner *testTag          `aws:"inner"`
	Rare  []string          `aws:"rare,sparse"`
}

func TestEncode(t *testing.T) {
	when := time.Date(2024, 2, 29, 23, 59, 58, 123e6, time.FixedZone("x", 3600))
	tests := []struct {
		name string
		out  any
		want string
	}{
		{"nil output", nil, `{}`},
		{"unset members left out, lists and maps always written", &testOutput{}, `{"items":[],"attrs":{}}`},
		{"every kind", &testOutput{Name: new("a\"\\\n\x01ü\xff"), Other: new("o"), Count: new(int64(-4200000000)), Ratio: new(0.5),
			Flag: new(false), When: &when, Iso: &when, Data: []byte{0, 1, 0xff},
			Items: []testTag{{Key: new("k")}}, Attrs: map[string]string{"b": "2", "a": "1"}, Inner: &testTag{}},
			`{"name":"a\"\\\n\u0001ü\ufffd","renamed":"o","count":-4200000000,"ratio":0.5,"flag":false,"when":1709247598.123,` +
				`"iso":"2024-02-29T22:59:58.123Z","data":"AAH/","items":[{"key":"k"}],"attrs":{"a":"1","b":"2"},"inner":{}}`},
		{"whole seconds and non-numbers", &testOutput{When: new(time.Unix(1700000000, 0)), Ratio: new(math.Inf(-1))},
			`{"ratio":"-Infinity","when":1700000000,"items":[],"attrs":{}}`},
		{"a sparse list is written when it has items", &testOutput{Rare: []string{"x"}}, `{"items":[],"attrs":{},"rare":["x"]}`},
		{"before 1970", &testOutput{When: new(time.UnixMilli(-500))}, `{"when":-0.500,"items":[],"attrs":{}}`},
	}
	spec := &awsproto.Spec{JSONVersion: "1.1"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			awsjson.JSON.Encode(rec, spec, &awsproto.Operation{Name: "Op"}, tt.out, "req-1")
			if got := rec.Body.String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Errorf("not JSON: %s", rec.Body)
			}
			h := rec.Result().Header
			if rec.Code != 200 || h.Get("Content-Type") != "application/x-amz-json-1.1" || h.Get("X-Amzn-RequestId") != "req-1" {
				t.Errorf("status %d, headers %v", rec.Code, h)
			}
		})
	}
}
