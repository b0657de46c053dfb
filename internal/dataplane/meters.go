package dataplane

import (
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/vpcdns"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// MetersPath is where the data plane's meters are read: POST {} (signed),
// get a MeterList of the caller's account: what every resource that
// carries traffic has carried since the server started, and the bytes of
// each path flows took (what a cost is computed from: the same bytes cost
// differently through a NAT gateway and through an endpoint, across zones
// and regions).
const MetersPath = "/_vpcemu/meters"

// Meter is what one resource has carried.
type Meter struct {
	Resource string `json:"resource"` // eni-…, vpce-…, nat-…, pcx-…, igw-…, vgw-…, a load balancer's ARN
	Account  string `json:"account"`
	Region   string `json:"region"`
	// Out is from the flows' sources, In back to them.
	BytesOut   uint64 `json:"bytesOut"`
	BytesIn    uint64 `json:"bytesIn"`
	PacketsOut uint64 `json:"packetsOut"`
	PacketsIn  uint64 `json:"packetsIn"`
	// RstOut and RstIn are the packets with RST set each way.
	RstOut uint64 `json:"rstOut,omitempty"`
	RstIn  uint64 `json:"rstIn,omitempty"`
	// Connections are the flows carried through it; Dropped those that
	// reached it and were stopped, there or further on.
	Connections uint64 `json:"connections"`
	Dropped     uint64 `json:"dropped"`
}

// PathMeter is the traffic of the flows that took one path: from a zone
// of one region to a zone of another (or the same), through the priced
// resources named in order.
type PathMeter struct {
	Account string `json:"account"` // the source's
	// ToAccount owns where the path ends (the last interface); "" when
	// the path leaves AWS.
	ToAccount  string   `json:"toAccount,omitempty"`
	Through    []string `json:"through"`
	FromRegion string   `json:"fromRegion"`
	FromZone   string   `json:"fromZone"`
	ToRegion   string   `json:"toRegion,omitempty"` // "" when the path leaves AWS
	ToZone     string   `json:"toZone,omitempty"`
	// Service is the AWS service (s3, sns…) a path beyond AWS's edge
	// reached at its public address: no transfer out of AWS then.
	Service  string `json:"service,omitempty"`
	BytesOut uint64 `json:"bytesOut"`
	BytesIn  uint64 `json:"bytesIn"`
	// Connections are the flows that took the path.
	Connections uint64 `json:"connections"`
}

// MeterList is MetersPath's answer, in a stable order.
type MeterList struct {
	// Since is when metering began (the data plane started).
	Since     time.Time   `json:"since"`
	Resources []Meter     `json:"resources"`
	Paths     []PathMeter `json:"paths"`
}

// meterHop is a resource on a flow's path, with its owner.
type meterHop struct{ id, account, region string }

// pathKey names a PathMeter.
type pathKey struct {
	account, through, from, fromZone, to, toZone, toAccount, service string
}

// meters are the data plane's meters.
type meters struct {
	since     time.Time
	mu        sync.Mutex
	resources map[string]*Meter
	paths     map[pathKey]*PathMeter
}

// hopsOf are the resources a verdict's forward path crosses that carry
// traffic, each once: interfaces, endpoints, NAT, internet and virtual
// private gateways, peering connections and load balancers.
func hopsOf(s *netview.Snapshot, r reach.Result) []meterHop {
	var hops []meterHop
	seen := map[string]bool{}
	for _, hop := range r.ForwardPathComponents {
		c := hop.Component
		if c == nil || seen[c.ID] {
			continue
		}
		var account, region string
		switch {
		case strings.HasPrefix(c.ID, "eni-"):
			if n := s.Interface(c.ID); n != nil {
				account, region = n.Owner, n.Region
			}
		case strings.HasPrefix(c.ID, "vpce-"):
			if e := s.Endpoint(c.ID); e != nil {
				account, region = e.Owner, e.Region
			}
		case strings.HasPrefix(c.ID, "nat-"):
			if n := s.NATGateway(c.ID); n != nil {
				account, region = n.Owner, n.Region
			}
		case strings.HasPrefix(c.ID, "pcx-"):
			if p := s.Peering(c.ID); p != nil {
				account, region = p.Owner, p.Region
			}
		case strings.HasPrefix(c.ID, "igw-"):
			if g := s.InternetGateway(c.ID); g != nil {
				account, region = g.Owner, g.Region
			}
		case strings.HasPrefix(c.ID, "vgw-"):
			if g := s.VPNGateway(c.ID); g != nil {
				account, region = g.Owner, g.Region
			}
		case strings.Contains(c.ID, ":loadbalancer/"):
			if lb := s.LoadBalancer(c.ID); lb != nil {
				account, region = lb.Owner, lb.Region
			}
		}
		if account != "" {
			seen[c.ID] = true
			hops = append(hops, meterHop{c.ID, account, region})
		}
	}
	return hops
}

// started counts a new flow on the resources of its path: carried, or
// dropped (by the last resource it reached).
func (m *meters) started(p *plan) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, h := range p.hops {
		mt := m.resource(h)
		if p.carried {
			mt.Connections++
		} else {
			mt.Dropped++
		}
	}
	if p.path != nil {
		m.path(*p.path).Connections++
	}
}

// add counts a window's traffic of a flow on its path.
func (m *meters) add(p *plan, e *meterEntry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, h := range p.hops {
		mt := m.resource(h)
		mt.BytesOut += e.out.bytes
		mt.PacketsOut += e.out.packets
		mt.BytesIn += e.in.bytes
		mt.PacketsIn += e.in.packets
		mt.RstOut += e.out.rsts
		mt.RstIn += e.in.rsts
	}
	if p.path != nil {
		out, in := e.out.bytes, e.in.bytes
		if p.fromOnPremises {
			out, in = in, out // the path starts at the interface reached
		}
		pm := m.path(*p.path)
		pm.BytesOut += out
		pm.BytesIn += in
	}
}

func (m *meters) resource(h meterHop) *Meter {
	if m.resources == nil {
		m.resources = map[string]*Meter{}
	}
	mt := m.resources[h.id]
	if mt == nil {
		mt = &Meter{Resource: h.id, Account: h.account, Region: h.region}
		m.resources[h.id] = mt
	}
	return mt
}

// pathKeyOf names a carried flow's path: from its source's interface to
// where it ends (the last interface the flow does not only pass through,
// or beyond AWS: then the AWS service whose public address it reached, if
// any), through the priced resources it crosses.
func pathKeyOf(p *plan) pathKey {
	src := p.views[0].eni
	k := pathKey{account: src.Owner, from: src.Region, fromZone: src.AvailabilityZone}
	var through []string
	for _, h := range p.hops {
		if !strings.HasPrefix(h.id, "eni-") {
			through = append(through, h.id)
		}
	}
	k.through = strings.Join(through, " ")
	end := 0
	for i, v := range p.views {
		if !v.through {
			end = i
		}
	}
	if last := p.views[end].eni; end > 0 {
		k.to, k.toZone, k.toAccount = last.Region, last.AvailabilityZone, last.Owner
	} else if dst, ok := p.destination(); ok {
		k.service, _ = vpcdns.AWSServiceAt(src.Region, dst)
	}
	return k
}

// destination is where the request is last addressed on its path, past
// every interface that logs it.
func (p *plan) destination() (netip.Addr, bool) {
	for i := len(p.views) - 1; i >= 0; i-- {
		if !p.views[i].geneve { // an appliance sees the flow wrapped
			legs := p.views[i].legs()
			return legs[len(legs)-1].req.dst.Addr(), true
		}
	}
	return netip.Addr{}, false
}

// path is the PathMeter of a path.
func (m *meters) path(k pathKey) *PathMeter {
	if m.paths == nil {
		m.paths = map[pathKey]*PathMeter{}
	}
	pm := m.paths[k]
	if pm == nil {
		pm = &PathMeter{Account: k.account, ToAccount: k.toAccount, Through: strings.Fields(k.through), FromRegion: k.from, FromZone: k.fromZone,
			ToRegion: k.to, ToZone: k.toZone, Service: k.service}
		m.paths[k] = pm
	}
	return pm
}

// list are an account's meters ("": every account's).
func (m *meters) list(account string) MeterList {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := MeterList{Since: m.since, Resources: []Meter{}, Paths: []PathMeter{}}
	for _, mt := range m.resources {
		if account == "" || mt.Account == account {
			out.Resources = append(out.Resources, *mt)
		}
	}
	for _, pm := range m.paths {
		if account == "" || pm.Account == account {
			pm := *pm
			pm.Through = slices.Clone(pm.Through)
			out.Paths = append(out.Paths, pm)
		}
	}
	slices.SortFunc(out.Resources, func(a, b Meter) int { return strings.Compare(a.Resource, b.Resource) })
	slices.SortFunc(out.Paths, func(a, b PathMeter) int {
		return strings.Compare(strings.Join(a.Through, " ")+a.FromZone+a.ToZone, strings.Join(b.Through, " ")+b.FromZone+b.ToZone)
	})
	return out
}

// Meters are what the fabric has metered for an account ("": for every
// account).
func (f *Fabric) Meters(account string) MeterList { return f.records.meters.list(account) }

// MetersHandler answers MetersPath from the fabric's meters.
func (f *Fabric) MetersHandler() http.Handler {
	return accountHandler(func(account string) any { return f.records.meters.list(account) })
}

// RecordsHandler answers RecordsPath from the fabric's recent records.
func (f *Fabric) RecordsHandler() http.Handler {
	return accountHandler(func(account string) any { return f.records.list(account) })
}
