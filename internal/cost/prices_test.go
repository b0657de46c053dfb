package cost

import (
	"bytes"
	"strings"
	"testing"
)

// TestDefaultPrices: every shipped price names its unit and source.
func TestDefaultPrices(t *testing.T) {
	p := DefaultPrices()
	if p.HoursPerMonth != 730 || p.Checked == "" {
		t.Errorf("hours %v, checked %q", p.HoursPerMonth, p.Checked)
	}
	for i, e := range p.Entries {
		if e.Source == "" || e.Unit == "" {
			t.Errorf("entry %d (%s) lacks a source or unit", i+1, e.Item)
		}
	}
	for _, it := range []Item{InterfaceEndpointHour, NATGatewayHour, NLBHour, InternetOutGB, InterRegionGB} {
		for _, region := range []string{"us-east-1", "us-east-2", "us-west-2", "eu-west-1"} {
			if p.Find(it, Query{Region: region}) == nil {
				t.Errorf("no %s price for %s", it, region)
			}
		}
	}
	// The regions added later carry what their sources gave; these every one.
	for _, it := range []Item{NATGatewayHour, InternetOutGB, InterRegionGB, PublicIPv4Hour, IntraRegionGB, HostedZoneMonth} {
		for _, region := range []string{"ap-southeast-2", "ap-northeast-1", "ap-south-1", "eu-central-1"} {
			if p.Find(it, Query{Region: region}) == nil {
				t.Errorf("no %s price for %s", it, region)
			}
		}
	}
}

func TestLoadPricesRefuses(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"no hours", "prices: []", "hoursPerMonth"},
		{"unknown item", "hoursPerMonth: 730\nprices:\n- {item: nope, usd: 1}", `unknown item "nope"`},
		{"both", "hoursPerMonth: 730\nprices:\n- {item: nlb-hour, usd: 1, tiers: [{usd: 1}]}", "either usd or tiers"},
		{"neither", "hoursPerMonth: 730\nprices:\n- {item: nlb-hour}", "either usd or tiers"},
		{"open tier", "hoursPerMonth: 730\nprices:\n- {item: nlb-hour, tiers: [{usd: 1}, {usd: 2}]}", "needs upTo"},
		{"bad glob", "hoursPerMonth: 730\nprices:\n- {item: nlb-hour, usd: 1, regions: ['[']}", "bad pattern"},
		{"unknown field", "hoursPerMonth: 730\ncurrency: EUR", "currency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := LoadPrices(strings.NewReader(tt.text)); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	ten, hundred := 10.0, 100.0
	e := &Price{Tiers: []Tier{{UpTo: &ten, USD: 3}, {UpTo: &hundred, USD: 2}, {USD: 1}}}
	tests := []struct {
		before, q float64
		want      []Segment
	}{
		{0, 5, []Segment{{5, 3, 0, 3}}},
		{5, 10, []Segment{{5, 3, 0, 3}, {5, 2, 1, 3}}},
		{50, 100, []Segment{{50, 2, 1, 3}, {50, 1, 2, 3}}},
		{200, 1, []Segment{{1, 1, 2, 3}}},
		{0, 0, []Segment{{0, 3, 0, 3}}},
		{10, 0, []Segment{{0, 2, 1, 3}}},
	}
	for _, tt := range tests {
		got := e.Split(tt.before, tt.q)
		if len(got) != len(tt.want) {
			t.Errorf("Split(%v, %v) = %v, want %v", tt.before, tt.q, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("Split(%v, %v) = %v, want %v", tt.before, tt.q, got, tt.want)
			}
		}
	}
}

func FuzzLoadPrices(f *testing.F) {
	f.Add(defaultPrices)
	f.Add([]byte("hoursPerMonth: 730\nprices:\n- {item: nlb-hour, tiers: [{upTo: 1, usd: 1}, {usd: 2}]}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := LoadPrices(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, e := range p.Entries { // what loads, prices
			e.Split(0, 1e7)
		}
	})
}
