package cost

import (
	"fmt"
	"slices"
	"strings"
)

// Route is one way traffic to an AWS service can go, priced for a period.
type Route struct {
	// Via says which way: "NAT gateway nat-…", "interface endpoint (new,
	// 1 AZ)"…
	Via string `json:"via"`
	// Data is what the bytes cost that way; Fixed what the resources the
	// way needs cost by the hour over the period (0 for one that exists
	// and is paid for anyway… or that is free).
	Data  float64 `json:"data"`
	Fixed float64 `json:"fixed"`
	Total float64 `json:"total"`
	// Note says what Fixed counts.
	Note string `json:"note,omitempty"`
}

// Comparison is the traffic to one AWS service from one route, priced the
// way it went and the other way: the seed's question ("through a NAT
// gateway, or through an endpoint?") for the user's own traffic.
type Comparison struct {
	Account string  `json:"account"`
	Region  string  `json:"region"`
	VPC     string  `json:"vpc"`
	Service string  `json:"service"`
	GB      float64 `json:"gb"`
	Now     Route   `json:"now"`
	Instead Route   `json:"instead"`
	// Saves is what going the other way saves (negative: costs more).
	Saves float64 `json:"saves"`
}

// gatewayServices are the services a gateway endpoint serves, for free.
var gatewayServices = map[string]bool{"s3": true, "dynamodb": true}

// Compare prices each service flow of u its way and the other: through a
// NAT gateway against through an endpoint (a gateway endpoint for S3 and
// DynamoDB, else an interface endpoint in the zones the traffic came
// from), and back. Resources the other way needs that the VPC has already
// add nothing; those it lacks are priced for the period.
func Compare(inv *Inventory, u *Usage, p *Prices, o Options) ([]Comparison, []string) {
	var out []Comparison
	var notes []string
	rate := func(item Item, region string) (float64, bool) {
		e := p.Find(item, Query{Region: region})
		if e == nil {
			if note := fmt.Sprintf("no %s price for %s", item, region); !slices.Contains(notes, note) {
				notes = append(notes, note)
			}
			return 0, false
		}
		if e.USD != nil {
			return *e.USD, true
		}
		return e.Tiers[0].USD, true // a comparison prices at the first tier
	}
	for _, f := range u.Services {
		if o.Account != "" && f.Account != o.Account || o.Region != "" && f.Region != o.Region {
			continue
		}
		via := inv.Find(f.Via)
		if via == nil {
			continue
		}
		c := Comparison{Account: f.Account, Region: f.Region, VPC: via.VPC, Service: f.Service, GB: f.GB}
		natGB, ok1 := rate(NATGatewayGB, f.Region)
		natHour, ok2 := rate(NATGatewayHour, f.Region)
		ipHour, ok3 := rate(PublicIPv4Hour, f.Region)
		endGB, ok4 := rate(InterfaceEndpointGB, f.Region)
		endHour, ok5 := rate(InterfaceEndpointHour, f.Region)
		if !(ok1 && ok2 && ok3 && ok4 && ok5) {
			continue
		}
		zones := max(len(f.Zones), 1)
		natFixed := o.Hours * (natHour + ipHour)
		natNote := "a NAT gateway and its public IPv4 address"
		switch via.Kind {
		case KindNATGateway:
			c.Now = Route{Via: "NAT gateway " + via.ID, Data: f.GB * natGB, Fixed: natFixed, Note: natNote + " (the one it went through)"}
			if gatewayServices[f.Service] {
				c.Instead = Route{Via: "gateway endpoint", Note: "a gateway endpoint is free"}
			} else if e := inv.endpointFor(via.VPC, f.Service, f.Region); e != nil {
				c.Instead = Route{Via: "interface endpoint " + e.ID, Data: f.GB * endGB, Note: "the VPC has it already"}
			} else {
				c.Instead = Route{Via: fmt.Sprintf("interface endpoint (new, %d AZ%s)", zones, plural(zones)), Data: f.GB * endGB,
					Fixed: o.Hours * endHour * float64(zones), Note: fmt.Sprintf("an endpoint in %s", strings.Join(f.Zones, ", "))}
			}
		case KindInterfaceEndpoint:
			c.Now = Route{Via: "interface endpoint " + via.ID, Data: f.GB * endGB, Fixed: o.Hours * endHour * float64(max(len(via.Zones), 1)),
				Note: fmt.Sprintf("the endpoint it went through, in %d AZ%s", max(len(via.Zones), 1), plural(max(len(via.Zones), 1)))}
			c.Instead = natRoute(inv, via.VPC, f.GB*natGB, natFixed, natNote)
		case KindGatewayEndpoint:
			c.Now = Route{Via: "gateway endpoint " + via.ID, Note: "a gateway endpoint is free"}
			c.Instead = natRoute(inv, via.VPC, f.GB*natGB, natFixed, natNote)
		default:
			continue
		}
		c.Now.Total, c.Instead.Total = c.Now.Data+c.Now.Fixed, c.Instead.Data+c.Instead.Fixed
		c.Saves = c.Now.Total - c.Instead.Total
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Comparison) int {
		return strings.Compare(a.Account+a.Region+a.VPC+a.Service+a.Now.Via, b.Account+b.Region+b.VPC+b.Service+b.Now.Via)
	})
	return out, notes
}

// natRoute is going through the VPC's NAT gateway (no fixed cost) or a new
// one.
func natRoute(inv *Inventory, vpc string, data, fixed float64, note string) Route {
	for _, r := range inv.Resources {
		if r.Kind == KindNATGateway && r.VPC == vpc {
			return Route{Via: "NAT gateway " + r.ID, Data: data, Note: "the VPC has it already"}
		}
	}
	return Route{Via: "NAT gateway (new)", Data: data, Fixed: fixed, Note: note}
}

// endpointFor is the VPC's interface endpoint for an AWS service, or nil.
func (inv *Inventory) endpointFor(vpc, service, region string) *Resource {
	name := "com.amazonaws." + region + "." + service
	for i, r := range inv.Resources {
		if r.Kind == KindInterfaceEndpoint && r.VPC == vpc && r.Service == name {
			return &inv.Resources[i]
		}
	}
	return nil
}
