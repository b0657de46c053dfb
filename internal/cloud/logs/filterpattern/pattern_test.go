package filterpattern

import (
	"testing"
	"time"
)

const (
	accept = "2 111111111111 eni-0a1b2c3d 10.0.1.5 10.0.2.9 49152 443 6 10 840 1700000000 1700000060 ACCEPT OK"
	reject = "2 111111111111 eni-0a1b2c3d 198.51.100.7 10.0.1.5 50000 22 6 1 40 1700000000 1700000060 REJECT OK"
	nodata = "2 111111111111 eni-0a1b2c3d - - - - - - - 1700000000 1700000060 - NODATA"
	apache = `127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 1534`
)

const flow = "[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action, flowlogstatus]"

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern string
		msg     string
		want    bool
	}{
		{"", "anything", true},
		{"ERROR", "an ERROR here", true},
		{"ERROR", "an error here", false},
		{"ERROR ARGS", "ERROR bad ARGS", true},
		{"ERROR ARGS", "ERROR only", false},
		{`"bad request"`, "a bad request came", true},
		{`"bad request"`, "a bad  request came", false},
		{"?ERROR ?WARN", "WARN disk", true},
		{"?ERROR ?WARN", "INFO ok", false},
		{"ERROR -Exiting", "ERROR and going on", true},
		{"ERROR -Exiting", "ERROR Exiting now", false},
		{`-"no such"`, "fine", true},
		{"%ERR[0-9]+%", "code ERR42", true},
		{"%ERR[0-9]+%", "code ERR", false},
		{"[]", "any thing", true},
		{`[..., action="REJECT", status]`, reject, true},
		{`[..., action="REJECT", status]`, accept, false},
		{`[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]`, reject, true},
		{`[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]`, accept, false},
		{`[version, account, eni, source, destination, srcport, destport=22, protocol=6, packets, bytes, windowstart, windowend, action, flowlogstatus]`, reject, true},
		{`[version, account, eni, source, destination, srcport, destport!=22, protocol, packets, bytes, windowstart, windowend, action, flowlogstatus]`, reject, false},
		{`[version, account, eni, source=198.51.*, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action, flowlogstatus]`, reject, true},
		{`[version, account, eni, source="10.0.*", destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action, flowlogstatus]`, reject, false},
		{`[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes>500, windowstart, windowend, action, flowlogstatus]`, accept, true},
		{`[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes>500, windowstart, windowend, action, flowlogstatus]`, reject, false},
		{`[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes>=40 && bytes<=40, windowstart, windowend, action, flowlogstatus]`, reject, true},
		{`[version, account, eni, source, destination, srcport, destport=22 || destport=443, protocol, packets, bytes, windowstart, windowend, action, flowlogstatus]`, accept, true},
		{`[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes>0, windowstart, windowend, action, flowlogstatus]`, nodata, false},
		{`[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action, flowlogstatus=NODATA]`, nodata, true},
		{flow, accept, true},
		{flow, "too few fields", false},
		{`[a, b]`, "one two three", false},
		{`[a, ...]`, "one two three", true},
		{`[..., x=three]`, "one two three", true},
		{`[..., x=two, ...]`, "one two three", true},
		{`[..., x=four, ...]`, "one two three", false},
		{`[ip, id, user, timestamp, request="GET *", status=4*, bytes]`, apache, true},
		{`[ip, id, user, timestamp, request, status=5*, bytes]`, apache, false},
		{`[ip, id, user="frank", timestamp="10/Oct/2000:*", request, status, bytes<2000]`, apache, true},
	}
	for _, tt := range tests {
		p, err := Parse(tt.pattern)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.pattern, err)
			continue
		}
		if got := p.Match(tt.msg); got != tt.want {
			t.Errorf("%q on %q: %v, want %v", tt.pattern, tt.msg, got, tt.want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, pattern := range []string{
		`"unterminated`,
		`ERROR:`,
		`? ERROR`,
		`%%`,
		`%unterminated`,
		`%[a-%`,
		`{ $.level = "ERROR" }`,
		`[a, b`,
		`[a, , b]`,
		`[a=]`,
		`[a>x]`,
		`[a=1 &&]`,
		`[a=1 && b=2]`,
		`[a=1 junk]`,
		`[a="x]`,
		`[=1]`,
	} {
		if _, err := Parse(pattern); err == nil {
			t.Errorf("Parse(%q) took it", pattern)
		}
	}
}

// TestEllipsesBounded: a pattern of many ellipses against a long event
// answers quickly (the binding search is bounded).
func TestEllipsesBounded(t *testing.T) {
	p, err := Parse("[..., ..., ..., ..., ..., ..., ..., ..., x=nowhere, ..., ..., ...]")
	if err != nil {
		t.Fatal(err)
	}
	msg := ""
	for range 200 {
		msg += "word "
	}
	start := time.Now()
	if p.Match(msg) {
		t.Error("matched")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
}

// FuzzParse: no pattern makes Parse or Match panic, and a pattern that
// parses matches or not the same way twice.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "ERROR", `?a ?b -c "d e"`, "%x+%", flow, `[..., action="REJECT", s]`, `[a=1 || b>2 && a!=x*, ...]`, `[x="a\"b"]`} {
		f.Add(s, reject)
	}
	f.Fuzz(func(t *testing.T, pattern, msg string) {
		p, err := Parse(pattern)
		if err != nil {
			return
		}
		if first, again := p.Match(msg), p.Match(msg); first != again {
			t.Fatalf("%q on %q: not the same twice", pattern, msg)
		}
	})
}
