package dataplane

import (
	"strings"
	"testing"
)

func TestParseInternetStandIn(t *testing.T) {
	cases := []struct{ in, err string }{
		{in: "203.0.113.10:443=127.0.0.1:8443"},
		{in: "[2001:db8::1]:443=[::1]:8443"},
		{in: "203.0.113.10:443", err: "want PUBLIC_IP:PORT"},
		{in: "example.com:443=127.0.0.1:8443", err: "the internet's side"},
		{in: "10.1.2.3:443=127.0.0.1:8443", err: "not an internet address"},
		{in: "100.64.0.1:443=127.0.0.1:8443", err: "not an internet address"},
		{in: "[fd00::1]:443=127.0.0.1:8443", err: "not an internet address"},
		{in: "203.0.113.10:443=192.168.1.5:8443", err: "loopback"},
		{in: "203.0.113.10:443=127.0.0.1", err: "the local side"},
	}
	for _, tc := range cases {
		got, err := ParseInternetStandIn(tc.in)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.in, err)
		case tc.err == "" && (!got.Public.IsValid() || !got.Local.Addr().IsLoopback()):
			t.Errorf("%s: %+v", tc.in, got)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: got %v, want an error with %q", tc.in, err, tc.err)
		}
	}
}
