package controlapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/controlapi"
)

func TestDecode(t *testing.T) {
	type in struct {
		ID string `json:"id"`
	}
	cases := []struct {
		name, method, body string
		limit              int64
		code               string
		status             int
	}{
		{name: "one object", method: "POST", body: `{"id": "x"}`},
		{name: "GET", method: "GET", code: "MethodNotAllowed", status: 405},
		{name: "an unknown member", method: "POST", body: `{"id": "x", "other": 1}`, code: "UnknownParameter", status: 400},
		{name: "two objects", method: "POST", body: `{"id": "x"} {}`, code: "SerializationException", status: 400},
		{name: "not JSON", method: "POST", body: `id=x`, code: "SerializationException", status: 400},
		{name: "a wrong type", method: "POST", body: `{"id": 1}`, code: "SerializationException", status: 400},
		{name: "too large", method: "POST", body: `{"id": "` + strings.Repeat("x", 100) + `"}`, limit: 10, code: "RequestEntityTooLarge", status: 413},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "/_vpcemu/x", strings.NewReader(tc.body))
			if tc.limit > 0 {
				r.Body = http.MaxBytesReader(nil, r.Body, tc.limit)
			}
			var v in
			_, err := controlapi.Decode(r, &v, "{id}")
			if tc.code == "" {
				if err != nil || v.ID != "x" {
					t.Fatalf("got %+v, %v", v, err)
				}
				return
			}
			if err == nil || err.Code != tc.code || err.Status != tc.status {
				t.Fatalf("got %v, want %s %d", err, tc.code, tc.status)
			}
			w := httptest.NewRecorder()
			controlapi.Fail(w, err)
			if w.Code != tc.status || !strings.Contains(w.Body.String(), `"code":"`+tc.code+`"`) {
				t.Errorf("answer %d %s", w.Code, w.Body)
			}
			if tc.status == 405 && w.Header().Get("Allow") != "POST" {
				t.Errorf("Allow: %q", w.Header().Get("Allow"))
			}
		})
	}
}
