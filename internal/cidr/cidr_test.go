package cidr

import (
	"errors"
	"net/netip"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in      string
		want    string
		wantErr error
		bad     bool
	}{
		{in: "10.0.0.0/16", want: "10.0.0.0/16"},
		{in: "10.0.0.1/16", want: "10.0.0.0/16", wantErr: ErrNotCanonical},
		{in: "2600:1f18::/56", want: "2600:1f18::/56"},
		{in: "10.0.0.0", bad: true},
		{in: "10.0.0.0/33", bad: true},
		{in: "::ffff:10.0.0.0/120", bad: true},
		{in: "", bad: true},
	}
	for _, c := range cases {
		p, err := Parse(c.in)
		switch {
		case c.bad:
			if err == nil {
				t.Errorf("Parse(%q) = %v, want an error", c.in, p)
			}
		case !errors.Is(err, c.wantErr):
			t.Errorf("Parse(%q) error %v, want %v", c.in, err, c.wantErr)
		case p.String() != c.want:
			t.Errorf("Parse(%q) = %v, want %s", c.in, p, c.want)
		}
	}
	if _, err := ParseV4("2600::/56"); err == nil {
		t.Error("ParseV4 accepted an IPv6 block")
	}
	if _, err := ParseV6("10.0.0.0/16"); err == nil {
		t.Error("ParseV6 accepted an IPv4 block")
	}
}

func TestCanonical(t *testing.T) {
	cases := []struct {
		in, want string
		v6, bad  bool
	}{
		{in: "100.68.0.18/18", want: "100.68.0.0/18"},
		{in: "10.0.0.0/16", want: "10.0.0.0/16"},
		{in: "2600:1f18::1/56", want: "2600:1f18::/56", v6: true},
		{in: "2600:1f18::1/56", bad: true},
		{in: "10.0.0.1/16", v6: true, bad: true},
		{in: "10.0.0.1", bad: true},
	}
	for _, c := range cases {
		parse := CanonicalV4
		if c.v6 {
			parse = CanonicalV6
		}
		p, err := parse(c.in)
		if c.bad != (err != nil) || !c.bad && p.String() != c.want {
			t.Errorf("Canonical(%q, v6 %v) = %v, %v", c.in, c.v6, p, err)
		}
	}
}

func TestContainsAndOverlap(t *testing.T) {
	p := netip.MustParsePrefix
	cases := []struct {
		a, b              string
		contains, overlap bool
	}{
		{"10.0.0.0/16", "10.0.1.0/24", true, true},
		{"10.0.1.0/24", "10.0.0.0/16", false, true},
		{"10.0.0.0/16", "10.0.0.0/16", true, true},
		{"10.0.0.0/16", "10.1.0.0/16", false, false},
		{"10.0.0.0/16", "2600::/56", false, false},
	}
	for _, c := range cases {
		if got := Contains(p(c.a), p(c.b)); got != c.contains {
			t.Errorf("Contains(%s, %s) = %v", c.a, c.b, got)
		}
		if got := Overlap(p(c.a), p(c.b)); got != c.overlap {
			t.Errorf("Overlap(%s, %s) = %v", c.a, c.b, got)
		}
	}
}

func TestSubnetAddressing(t *testing.T) {
	p := netip.MustParsePrefix("10.0.1.0/24")
	if Size(p) != 256 || Usable(p) != 251 {
		t.Fatalf("size %d usable %d", Size(p), Usable(p))
	}
	cases := []struct {
		addr     string
		reserved bool
	}{
		{"10.0.1.0", true}, {"10.0.1.1", true}, {"10.0.1.2", true}, {"10.0.1.3", true},
		{"10.0.1.4", false}, {"10.0.1.254", false}, {"10.0.1.255", true},
	}
	for _, c := range cases {
		if got := Reserved(p, netip.MustParseAddr(c.addr)); got != c.reserved {
			t.Errorf("Reserved(%s) = %v", c.addr, got)
		}
	}
	if got := Nth(p, 4); got != netip.MustParseAddr("10.0.1.4") {
		t.Errorf("Nth(4) = %v", got)
	}
	if got := Offset(p, netip.MustParseAddr("10.0.1.200")); got != 200 {
		t.Errorf("Offset = %d", got)
	}
	v6 := netip.MustParsePrefix("2600:1f18:0:1::/64")
	if got := Nth(v6, 4); got != netip.MustParseAddr("2600:1f18:0:1::4") {
		t.Errorf("Nth v6 = %v", got)
	}
	if Reserved(v6, netip.MustParseAddr("2600:1f18:0:1:ffff:ffff:ffff:ffff")) {
		t.Error("IPv6 subnets have no broadcast address to reserve")
	}
}
