package cost

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"path"

	"go.yaml.in/yaml/v3"
)

//go:embed prices.yaml
var defaultPrices []byte

// Item names a kind of charge in the price file.
type Item string

// The items the bill uses.
const (
	InterfaceEndpointHour Item = "interface-endpoint-hour"
	InterfaceEndpointGB   Item = "interface-endpoint-gb"
	GWLBEndpointHour      Item = "gwlb-endpoint-hour"
	GWLBEndpointGB        Item = "gwlb-endpoint-gb"
	GatewayEndpoint       Item = "gateway-endpoint"
	NATGatewayHour        Item = "nat-gateway-hour"
	NATGatewayGB          Item = "nat-gateway-gb"
	PublicIPv4Hour        Item = "public-ipv4-hour"
	NLBHour               Item = "nlb-hour"
	NLBLCUHour            Item = "nlb-lcu-hour"
	GWLBHour              Item = "gwlb-hour"
	GWLBLCUHour           Item = "gwlb-lcu-hour"
	IntraRegionGB         Item = "intra-region-gb"
	InterRegionGB         Item = "inter-region-gb"
	InternetOutGB         Item = "internet-out-gb"
	DXPortHour            Item = "dx-port-hour"
	DXHostedPortHour      Item = "dx-hosted-port-hour"
	DXOutGB               Item = "dx-out-gb"
	VPNGateway            Item = "vpn-gateway"
	VPCPeering            Item = "vpc-peering"
	EndpointService       Item = "endpoint-service"
	HostedZoneMonth       Item = "hosted-zone-month"
	InsightsAnalysis      Item = "insights-analysis"
)

// Prices is a price file.
type Prices struct {
	HoursPerMonth float64 `yaml:"hoursPerMonth"`
	// Checked is when the file's prices were last checked against their
	// sources.
	Checked string  `yaml:"checked"`
	Entries []Price `yaml:"prices"`
}

// Price is one entry of a price file.
type Price struct {
	Item    Item     `yaml:"item"`
	Regions []string `yaml:"regions"` // globs; none: every region
	To      []string `yaml:"to"`      // globs on the destination's region
	Size    string   `yaml:"size"`    // a Direct Connect port's bandwidth
	USD     *float64 `yaml:"usd"`
	Tiers   []Tier   `yaml:"tiers"`
	Unit    string   `yaml:"unit"`
	Source  string   `yaml:"source"`
}

// Tier is a price up to a cumulative quantity (none: above the last).
type Tier struct {
	UpTo *float64 `yaml:"upTo"`
	USD  float64  `yaml:"usd"`
}

// DefaultPrices are the prices vpcemu ships with.
func DefaultPrices() *Prices {
	p, err := LoadPrices(bytes.NewReader(defaultPrices))
	if err != nil {
		panic("cost: prices.yaml: " + err.Error())
	}
	return p
}

// LoadPrices reads a price file, checking that every entry has a known
// item and exactly one of usd and tiers.
func LoadPrices(r io.Reader) (*Prices, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var p Prices
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("price file: %w", err)
	}
	if p.HoursPerMonth <= 0 {
		return nil, fmt.Errorf("price file: hoursPerMonth must be positive")
	}
	for i, e := range p.Entries {
		if !knownItems[e.Item] {
			return nil, fmt.Errorf("price file: entry %d: unknown item %q", i+1, e.Item)
		}
		if (e.USD == nil) == (len(e.Tiers) == 0) {
			return nil, fmt.Errorf("price file: entry %d (%s): give either usd or tiers", i+1, e.Item)
		}
		for j, t := range e.Tiers {
			if (t.UpTo == nil) != (j == len(e.Tiers)-1) {
				return nil, fmt.Errorf("price file: entry %d (%s): every tier but the last needs upTo, and the last none", i+1, e.Item)
			}
		}
		for _, g := range append(append([]string(nil), e.Regions...), e.To...) {
			if _, err := path.Match(g, ""); err != nil {
				return nil, fmt.Errorf("price file: entry %d (%s): bad pattern %q", i+1, e.Item, g)
			}
		}
	}
	return &p, nil
}

var knownItems = map[Item]bool{}

func init() {
	for _, it := range []Item{InterfaceEndpointHour, InterfaceEndpointGB, GWLBEndpointHour, GWLBEndpointGB, GatewayEndpoint,
		NATGatewayHour, NATGatewayGB, PublicIPv4Hour, NLBHour, NLBLCUHour, GWLBHour, GWLBLCUHour, IntraRegionGB, InterRegionGB,
		InternetOutGB, DXPortHour, DXHostedPortHour, DXOutGB, VPNGateway, VPCPeering, EndpointService, HostedZoneMonth, InsightsAnalysis} {
		knownItems[it] = true
	}
}

// Query says which price of an item is asked for.
type Query struct {
	Region string // the resource's, or the source's
	To     string // the destination's region, when the item has one
	Size   string
}

// Find is the first entry for the item that matches q, or nil.
func (p *Prices) Find(item Item, q Query) *Price {
	for i := range p.Entries {
		e := &p.Entries[i]
		if e.Item == item && globs(e.Regions, q.Region) && globs(e.To, q.To) && (e.Size == "" || e.Size == q.Size) {
			return e
		}
	}
	return nil
}

// globs reports whether s matches one of the patterns (or there are none).
func globs(patterns []string, s string) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, g := range patterns {
		if ok, _ := path.Match(g, s); ok {
			return true
		}
	}
	return false
}

// Segment is a part of a quantity charged at one rate.
type Segment struct {
	Quantity, USD float64
	// Tier is which tier (0 for a flat price); Tiers how many there are.
	Tier, Tiers int
}

// Split prices quantity q on top of before (what the month has already
// counted at this price, which tiers aggregate): one segment per tier it
// falls in, or one at a flat price.
func (e *Price) Split(before, q float64) []Segment {
	if e.USD != nil {
		return []Segment{{Quantity: q, USD: *e.USD}}
	}
	if q == 0 { // nothing yet: the rate the next GB would pay
		i := 0
		for i < len(e.Tiers)-1 && before >= *e.Tiers[i].UpTo {
			i++
		}
		return []Segment{{USD: e.Tiers[i].USD, Tier: i, Tiers: len(e.Tiers)}}
	}
	var out []Segment
	at, end := before, before+q
	low := 0.0
	for i, t := range e.Tiers {
		high := end
		if t.UpTo != nil {
			high = min(end, *t.UpTo)
		}
		if from := max(at, low); high > from {
			out = append(out, Segment{Quantity: high - from, USD: t.USD, Tier: i, Tiers: len(e.Tiers)})
			at = high
		}
		if t.UpTo != nil {
			low = *t.UpTo
		}
		if at >= end {
			break
		}
	}
	return out
}
