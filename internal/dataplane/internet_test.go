package dataplane

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/reach"
)

func TestParseInternetStandIn(t *testing.T) {
	cases := []struct{ in, err string }{
		{in: "203.0.113.10:443=127.0.0.1:8443"},
		{in: "[2001:db8::1]:443=[::1]:8443"},
		{in: "203.0.113.10:443", err: "want PUBLIC_IP:PORT"},
		{in: "API.example.com:443=127.0.0.1:8443"},
		{in: "example.com=127.0.0.1:8443", err: "the internet's side"},
		{in: "localhost:443=127.0.0.1:8443", err: "the internet's side"},
		{in: "-bad.example.com:443=127.0.0.1:8443", err: "the internet's side"},
		{in: "api.example.com:443=10.0.0.5:8443", err: "loopback"},
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

// Named stand-ins get addresses of TEST-NET-2 the engine sends out to the
// internet: one per name (its ports share it), none an address-given
// stand-in has.
func TestNameInternetStandIns(t *testing.T) {
	var ins []InternetStandIn
	for _, s := range []string{"api.example.com:443=127.0.0.1:8443", "API.example.com:80=127.0.0.1:8080", "db.example.net:5432=127.0.0.1:5432", "198.51.100.7:443=127.0.0.1:9443"} {
		in, err := ParseInternetStandIn(s)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in)
	}
	got := NameInternetStandIns(ins)
	if got[0].Name != "api.example.com" || got[0].Public.Addr() != got[1].Public.Addr() || got[0].Public.Port() != 443 || got[1].Public.Port() != 80 {
		t.Errorf("one name, two ports: %+v %+v", got[0], got[1])
	}
	seen := map[netip.Addr]bool{}
	for _, in := range got {
		a := in.Public.Addr()
		if !reach.IsInternet(a) || in.Name != "" && (a == netip.MustParseAddr("198.51.100.7") || seen[a] && in.Name != "api.example.com") {
			t.Errorf("%+v", in)
		}
		seen[a] = true
	}
}
