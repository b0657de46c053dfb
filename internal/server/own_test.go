package server

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// TestOwnHandlers: vpcemu's own paths reach the handlers given, with the
// caller found as for AWS calls and the body bounded.
func TestOwnHandlers(t *testing.T) {
	var got *awsproto.Request
	var readErr error
	s := New(Config{MaxBodyBytes: 8, Handlers: map[string]http.Handler{OwnPrefix + "echo": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = awsproto.RequestFrom(r.Context())
		_, readErr = io.ReadAll(r.Body)
	})}})
	cases := []struct {
		name, auth, body        string
		account, region, access string
		tooBig                  bool
	}{
		{name: "unsigned", account: awsproto.DefaultAccount, region: awsproto.DefaultRegion},
		{name: "signed", auth: "AWS4-HMAC-SHA256 Credential=111111111111/20260101/eu-west-1/ec2/aws4_request, SignedHeaders=host, Signature=x",
			account: "111111111111", region: "eu-west-1", access: "111111111111"},
		{name: "a key id that names no account", auth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/ec2/aws4_request, SignedHeaders=host, Signature=x",
			account: awsproto.DefaultAccount, region: "us-west-2", access: "AKIDEXAMPLE"},
		{name: "body bounded", body: "123456789", account: awsproto.DefaultAccount, region: awsproto.DefaultRegion, tooBig: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got = nil
			r := httptest.NewRequest(http.MethodPost, OwnPrefix+"echo", strings.NewReader(tc.body))
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			s.ServeHTTP(httptest.NewRecorder(), r)
			if got == nil {
				t.Fatal("the handler was not called")
			}
			if got.Account != tc.account || got.Region != tc.region || got.AccessKey != tc.access || got.ID == "" {
				t.Errorf("caller %+v, want %s in %s (key %q)", got, tc.account, tc.region, tc.access)
			}
			var tooBig *http.MaxBytesError
			if errors.As(readErr, &tooBig) != tc.tooBig {
				t.Errorf("reading the body: %v", readErr)
			}
		})
	}
}

// TestOwnHandlerPrefixes: a path ending in / answers the paths below it,
// the longest such path first; other paths still find none.
func TestOwnHandlerPrefixes(t *testing.T) {
	named := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, name) })
	}
	s := New(Config{Handlers: map[string]http.Handler{
		OwnPrefix + "ui/": named("ui"), OwnPrefix + "ui/api/": named("api"), OwnPrefix + "analyze": named("analyze"),
	}})
	cases := []struct{ path, want string }{
		{OwnPrefix + "ui/", "ui"},
		{OwnPrefix + "ui/app.js", "ui"},
		{OwnPrefix + "ui/api/graph", "api"},
		{OwnPrefix + "analyze", "analyze"},
		{OwnPrefix + "analyze/more", ""},
		{OwnPrefix + "uix", ""},
	}
	for _, tc := range cases {
		if h := s.ownHandler(tc.path); tc.want == "" {
			if h != nil {
				t.Errorf("%s found a handler", tc.path)
			}
		} else if h == nil {
			t.Errorf("%s found none, want %s", tc.path, tc.want)
		} else {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, tc.path, nil))
			if w.Body.String() != tc.want {
				t.Errorf("%s answered by %s, want %s", tc.path, w.Body, tc.want)
			}
		}
	}
}
