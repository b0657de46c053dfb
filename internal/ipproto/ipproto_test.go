package ipproto

import "testing"

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in        string
		want      Proto
		ok        bool
		name, str string
	}{
		{"tcp", TCP, true, "tcp", "tcp"},
		{"6", TCP, true, "tcp", "tcp"},
		{"UDP", UDP, true, "udp", "udp"},
		{"1", ICMP, true, "icmp", "icmp"},
		{"icmpv6", ICMPv6, true, "icmpv6", "icmpv6"},
		{"58", ICMPv6, true, "icmpv6", "icmpv6"},
		{"-1", All, true, "-1", "all"},
		{"all", All, true, "-1", "all"},
		{"50", 50, true, "50", "50"},
		{"256", 0, false, "", ""},
		{"-2", 0, false, "", ""},
		{"gre", 0, false, "", ""},
		{"", 0, false, "", ""},
	} {
		got, ok := Parse(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Parse(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
			continue
		}
		if ok && (got.Name() != c.name || got.String() != c.str) {
			t.Errorf("%q: Name %q String %q; want %q %q", c.in, got.Name(), got.String(), c.name, c.str)
		}
	}
	if !ICMPv6.IsICMP() || TCP.IsICMP() || !UDP.HasPorts() || ICMP.HasPorts() || TCP.Number() != "6" {
		t.Error("predicates")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"tcp", "6", "-1", "all", "255", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := Parse(s)
		if !ok {
			return
		}
		if p < All || p > 255 {
			t.Fatalf("Parse(%q) = %d out of range", s, p)
		}
		if q, ok := Parse(p.Name()); !ok || q != p {
			t.Fatalf("Name %q of %q does not parse back", p.Name(), s)
		}
	})
}
