package server

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestReadBody: a body is read whole up to MaxBodyBytes, whether its
// length is declared or not, and refused beyond; a body shorter than it
// declared is an error.
func TestReadBody(t *testing.T) {
	s := New(Config{MaxBodyBytes: 8})
	cases := []struct {
		name     string
		body     string
		declared int64 // -1: unknown (chunked)
		want     string
		tooBig   bool
		short    bool
	}{
		{name: "declared", body: "Action=x", declared: 8, want: "Action=x"},
		{name: "declared empty", body: "", declared: 0, want: ""},
		{name: "declared over the bound", body: "123456789", declared: 9, tooBig: true},
		{name: "unknown length", body: "Action=x", declared: -1, want: "Action=x"},
		{name: "unknown length over the bound", body: "123456789", declared: -1, tooBig: true},
		{name: "shorter than declared", body: "Act", declared: 8, short: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", nil)
			r.Body = io.NopCloser(strings.NewReader(tc.body))
			r.ContentLength = tc.declared
			got, err := s.readBody(httptest.NewRecorder(), r)
			var tooBig *http.MaxBytesError
			switch {
			case tc.tooBig:
				if !errors.As(err, &tooBig) || tooBig.Limit != 8 {
					t.Errorf("got %q, %v; want a MaxBytesError", got, err)
				}
			case tc.short:
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Errorf("got %q, %v; want io.ErrUnexpectedEOF", got, err)
				}
			case err != nil || string(got) != tc.want:
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestGunzip: a compressed body is read up to the bound, and refused
// beyond it or when it is not gzip.
func TestGunzip(t *testing.T) {
	zip := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	cases := []struct {
		name string
		body []byte
		want string
		err  bool
	}{
		{"gzip", zip("Action=x"), "Action=x", false},
		{"over the bound", zip("123456789"), "", true},
		{"not gzip", []byte("Action=x"), "", true},
	}
	for _, tc := range cases {
		got, err := gunzip(tc.body, 8)
		if (err != nil) != tc.err || !tc.err && string(got) != tc.want {
			t.Errorf("%s: %q, %v", tc.name, got, err)
		}
	}
}
