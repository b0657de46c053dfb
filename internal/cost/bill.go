package cost

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Options say what a bill covers.
type Options struct {
	// Hours is the period hourly resources are priced over (730: a month).
	Hours float64
	// Account and Region keep only their resources and traffic ("": all).
	Account, Region string
}

// Bill is a priced configuration and its traffic.
type Bill struct {
	Hours float64 `json:"hours"`
	// Usage says where the traffic figures come from.
	Usage string `json:"usage"`
	// PricesChecked is when the price file was last checked.
	PricesChecked string         `json:"pricesChecked"`
	Lines         []Line         `json:"lines"`
	Accounts      []AccountTotal `json:"accounts"`
	Total         float64        `json:"total"`
	Unpriced      []string       `json:"unpriced,omitempty"`
}

// Line is one charge of the bill.
type Line struct {
	Account  string `json:"account"`
	Region   string `json:"region,omitempty"`
	Resource string `json:"resource,omitempty"` // the id; empty for transfer
	Name     string `json:"name,omitempty"`
	Kind     Kind   `json:"kind,omitempty"`
	// What is charged: "Endpoint (2 AZs)", "Data processed (first 1 PB)"…
	What     string  `json:"what"`
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit"`
	Rate     float64 `json:"rate"` // USD per unit
	Amount   float64 `json:"amount"`
	// Free is a resource AWS does not charge for, shown as such.
	Free bool `json:"free,omitempty"`
	// Usage marks a charge from traffic (metered or from a usage file).
	Usage  bool   `json:"usage,omitempty"`
	Source string `json:"source,omitempty"`
}

// AccountTotal is an account's part of the bill.
type AccountTotal struct {
	Account string  `json:"account"`
	Hourly  float64 `json:"hourly"` // the period's amount for resources by the hour
	Usage   float64 `json:"usage"`  // the traffic's
	Total   float64 `json:"total"`
}

// Compute prices inv and u for the period.
func Compute(inv *Inventory, u *Usage, p *Prices, o Options) *Bill {
	b := &biller{prices: p, opts: o, tiers: map[string]float64{}, bill: &Bill{Hours: o.Hours, Usage: u.Source, PricesChecked: p.Checked}}
	if b.bill.Usage == "" {
		b.bill.Usage = "no traffic"
	}
	for i := range inv.Resources {
		r := &inv.Resources[i]
		if b.keep(r.Account, r.Region) {
			b.resource(r, u)
		}
	}
	for _, t := range u.Transfers {
		b.transfer(t)
	}
	b.total()
	return b.bill
}

type biller struct {
	prices *Prices
	opts   Options
	bill   *Bill
	// tiers is what a tiered item has counted so far, by item and the
	// scope its tiers aggregate over.
	tiers map[string]float64
}

func (b *biller) keep(account, region string) bool {
	return (b.opts.Account == "" || account == b.opts.Account) && (b.opts.Region == "" || region == "" || region == b.opts.Region)
}

// price finds an item's price, or notes that the region has none.
func (b *biller) price(item Item, q Query, what string) *Price {
	e := b.prices.Find(item, q)
	if e == nil {
		note := fmt.Sprintf("%s: no %s price for %s", what, item, q.Region)
		if q.To != "" {
			note += " to " + q.To
		}
		if q.Size != "" {
			note += " (" + q.Size + ")"
		}
		if !slices.Contains(b.bill.Unpriced, note) {
			b.bill.Unpriced = append(b.bill.Unpriced, note)
		}
	}
	return e
}

// line adds a charge of quantity at e's price (tiered over the scope key
// when e has tiers); template holds the line's other fields.
func (b *biller) line(e *Price, quantity float64, scope string, template Line) {
	if e == nil {
		return
	}
	key := string(e.Item) + "|" + scope
	segs := e.Split(b.tiers[key], quantity)
	b.tiers[key] += quantity
	for _, s := range segs {
		l := template
		l.Quantity, l.Rate, l.Amount, l.Source = s.Quantity, s.USD, s.Quantity*s.USD, e.Source
		if s.Tiers > 1 {
			l.What += " (" + tierName(e, s.Tier) + ")"
		}
		b.bill.Lines = append(b.bill.Lines, l)
	}
}

// tierName names a tier as AWS's price pages do.
func tierName(e *Price, i int) string {
	t := e.Tiers[i]
	low := 0.0
	if i > 0 {
		low = *e.Tiers[i-1].UpTo
	}
	switch {
	case t.UpTo == nil:
		return "over " + quantityName(low, e.Item)
	case i == 0:
		return "first " + quantityName(*t.UpTo, e.Item)
	}
	return quantityName(low, e.Item) + " to " + quantityName(*t.UpTo, e.Item)
}

func quantityName(q float64, item Item) string {
	if item == HostedZoneMonth {
		return fmt.Sprintf("%g zones", q)
	}
	switch {
	case q >= 1e6 && math.Mod(q, 1e6) == 0:
		return fmt.Sprintf("%gPB", q/1e6)
	case q >= 1024 && math.Mod(q, 1024) == 0:
		return fmt.Sprintf("%gTB", q/1024)
	}
	return fmt.Sprintf("%gGB", q)
}

// resource adds a resource's charges: its hours, and what it processed.
func (b *biller) resource(r *Resource, u *Usage) {
	q := Query{Region: r.Region}
	at := Line{Account: r.Account, Region: r.Region, Resource: r.ID, Name: r.Name, Kind: r.Kind}
	hours := func(item Item, what string, units float64) {
		l := at
		l.What, l.Unit = what, "hours"
		b.line(b.price(item, q, r.ID), b.opts.Hours*units, "", l)
	}
	processed := func(item Item, scope string) {
		l := at
		l.What, l.Unit, l.Usage = "Data processed", "GB", true
		b.line(b.price(item, q, r.ID), u.Processed[r.ID], scope, l)
	}
	free := func(item Item, what string) {
		l := at
		l.What, l.Free, l.Unit = what, true, "-"
		if e := b.prices.Find(item, q); e != nil {
			l.Source = e.Source
		}
		b.bill.Lines = append(b.bill.Lines, l)
	}
	switch r.Kind {
	case KindInterfaceEndpoint:
		zones := max(len(r.Zones), 1)
		hours(InterfaceEndpointHour, fmt.Sprintf("Endpoint (%d AZ%s)", zones, plural(zones)), float64(zones))
		processed(InterfaceEndpointGB, r.Account+"|"+r.Region)
	case KindGWLBEndpoint:
		hours(GWLBEndpointHour, "Endpoint (Gateway Load Balancer)", 1)
		processed(GWLBEndpointGB, "")
	case KindGatewayEndpoint:
		free(GatewayEndpoint, "Gateway endpoint (free)")
	case KindNATGateway:
		hours(NATGatewayHour, "NAT gateway", 1)
		processed(NATGatewayGB, "")
	case KindPublicIPv4:
		hours(PublicIPv4Hour, "Public IPv4 address", 1)
	case KindNLB, KindGWLB:
		hourItem, lcuItem, what, perLCU := NLBHour, NLBLCUHour, "Network load balancer", 800.0
		if r.Kind == KindGWLB {
			hourItem, lcuItem, what, perLCU = GWLBHour, GWLBLCUHour, "Gateway load balancer", 600
		}
		hours(hourItem, what, 1)
		// A capacity unit-hour is 1 GB processed or perLCU new connections a
		// second for an hour; spread evenly, the period's unit-hours are the
		// larger of the two.
		lcu := max(u.Processed[r.ID], u.NewConnections[r.ID]/(perLCU*3600))
		l := at
		l.What, l.Unit, l.Usage = "Load balancer capacity units", "LCU-hours", true
		b.line(b.price(lcuItem, q, r.ID), lcu, "", l)
	case KindDXConnection:
		item, what := DXPortHour, "DX connection ("+r.Bandwidth+" at "+r.Location+")"
		if r.Hosted {
			item, what = DXHostedPortHour, "DX hosted connection ("+r.Bandwidth+" at "+r.Location+")"
		}
		l := at
		l.What, l.Unit = what, "hours"
		b.line(b.price(item, Query{Region: r.Region, Size: r.Bandwidth}, r.ID), b.opts.Hours, "", l)
	case KindHostedZone:
		// A zone is charged for each month begun, not prorated.
		l := at
		l.What, l.Unit = "Hosted zone", "months"
		b.line(b.price(HostedZoneMonth, q, r.ID), math.Ceil(b.opts.Hours/b.prices.HoursPerMonth-1e-9), r.Account, l)
	case KindInsightsAnalysis:
		l := at
		l.What, l.Unit = "Reachability analysis", "analyses"
		b.line(b.price(InsightsAnalysis, q, r.ID), 1, "", l)
	case KindVPNGateway:
		free(VPNGateway, "Virtual private gateway (free)")
	case KindPeering:
		free(VPCPeering, "Peering connection (free; its bytes are data transfer)")
	case KindEndpointService:
		free(EndpointService, "Endpoint service (free; its load balancer is billed)")
	}
}

// transfer adds the charge of data sent across a boundary, to the
// accounts the bill covers.
func (b *biller) transfer(t Transfer) {
	at := Line{Account: t.Account, Region: t.FromRegion, Unit: "GB", Usage: true}
	if t.Kind == CrossZone && t.PeerAccount != "" && t.PeerAccount != t.Account {
		// Each account pays its side: out of one zone, into the other.
		at.What = "Cross-AZ data transfer, one direction (" + t.Via + ")"
		e := b.price(IntraRegionGB, Query{Region: t.FromRegion}, "cross-AZ transfer")
		for _, account := range []string{t.Account, t.PeerAccount} {
			if b.keep(account, t.FromRegion) {
				at.Account = account
				b.line(e, t.GB, "", at)
			}
		}
		return
	}
	if !b.keep(t.Account, t.FromRegion) {
		return
	}
	switch t.Kind {
	case CrossZone:
		at.What = "Cross-AZ data transfer, each direction"
		if t.Via != "" {
			at.What += " (" + t.Via + ")"
		}
		b.line(b.price(IntraRegionGB, Query{Region: t.FromRegion}, "cross-AZ transfer"), 2*t.GB, "", at)
	case InterRegion:
		at.What = "Data transfer to " + t.ToRegion
		if t.Via != "" {
			at.What += " (" + t.Via + ")"
		}
		b.line(b.price(InterRegionGB, Query{Region: t.FromRegion, To: t.ToRegion}, "inter-region transfer"), t.GB, "", at)
	case Internet:
		at.What = "Data transfer out to the internet"
		// The free 100 GB and the tiers count an account's month in all
		// regions together.
		b.line(b.price(InternetOutGB, Query{Region: t.FromRegion}, "internet transfer"), t.GB, t.Account, at)
	case DirectConnect:
		at.What = "DX data transfer out to " + t.Location
		b.line(b.price(DXOutGB, Query{Region: t.FromRegion, To: t.ToRegion}, "Direct Connect transfer"), t.GB, "", at)
	}
}

func (b *biller) total() {
	totals := map[string]*AccountTotal{}
	for _, l := range b.bill.Lines {
		a := totals[l.Account]
		if a == nil {
			a = &AccountTotal{Account: l.Account}
			totals[l.Account] = a
		}
		if l.Usage {
			a.Usage += l.Amount
		} else {
			a.Hourly += l.Amount
		}
		a.Total += l.Amount
		b.bill.Total += l.Amount
	}
	for _, a := range totals {
		b.bill.Accounts = append(b.bill.Accounts, *a)
	}
	slices.SortFunc(b.bill.Accounts, func(x, y AccountTotal) int { return strings.Compare(x.Account, y.Account) })
	slices.SortStableFunc(b.bill.Lines, func(x, y Line) int {
		return cmp.Or(strings.Compare(x.Account, y.Account), cmp.Compare(transferRank(x), transferRank(y)), strings.Compare(x.Region, y.Region), strings.Compare(x.Resource, y.Resource))
	})
}

// transferRank puts a resource's lines before the account's transfers.
func transferRank(l Line) int {
	if l.Resource == "" {
		return 1
	}
	return 0
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
