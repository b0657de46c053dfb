package vpcdns

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/cloud/route53"
)

// view is one VPC's private zones, by apex.
type view struct {
	vpc   *netview.NetVPC
	zones map[string]*zone
}

// zone is a private hosted zone, or the one AWS manages for an interface
// endpoint's private DNS name.
type zone struct {
	id    string // Z… or the endpoint's id
	apex  string
	names map[string]*node // every name that exists, empty non-terminals too
	// negative is the zone's SOA as a negative answer carries it.
	negative []dns.RR
}

// node is the record sets of one name.
type node struct {
	sets []*rrset
}

// rrset is one record set: values, an alias, or an endpoint's addresses.
type rrset struct {
	typ      uint16
	rrs      []dns.RR
	alias    *route53.Alias
	endpoint *netview.NetEndpoint
	routing  route53.Routing
	setID    string
}

func newView(vpc *netview.NetVPC) *view {
	v := &view{vpc: vpc, zones: map[string]*zone{}}
	if !vpc.EnableDNSHostnames {
		return v // private zones need both attributes
	}
	for _, zr := range vpc.Zones {
		z := newZone(zr.ID, canonical(zr.Name))
		for _, rs := range zr.Records {
			set := recordSet(rs)
			z.add(canonical(rs.Name), set)
			if set.typ == dns.TypeSOA && canonical(rs.Name) == z.apex && len(set.rrs) == 1 {
				z.negative = negativeSOA(set.rrs[0])
			}
		}
		v.zones[z.apex] = z
	}
	// An endpoint's zone shadows a customer's zone of the same name: AWS
	// answers the endpoint's addresses once its private DNS is on.
	for _, e := range vpc.Endpoints {
		if e.Type != privatelink.EndpointTypeInterface || !e.PrivateDNSEnabled || e.PrivateDNSOnlyForInboundResolverEndpoint ||
			len(e.Interfaces) == 0 || e.ServicePrivateDNSName == "" {
			continue // no interfaces, no DNS entries: the zone answers nothing
		}
		name := canonical(e.ServicePrivateDNSName)
		apex := strings.TrimPrefix(name, "*.")
		z := newZone(e.ID, apex)
		z.negative = negativeSOA(managedSOA(apex))
		for _, n := range []string{apex, name} {
			z.add(n, &rrset{typ: dns.TypeA, endpoint: e})
			z.add(n, &rrset{typ: dns.TypeAAAA, endpoint: e})
		}
		v.zones[apex] = z
	}
	return v
}

// managedSOA is the SOA of a zone AWS manages for an endpoint's private
// DNS name: a private hosted zone's default SOA (Route 53 "NS and SOA
// records that Route 53 creates for a private hosted zone").
func managedSOA(apex string) dns.RR {
	return &dns.SOA{Hdr: dns.RR_Header{Name: dns.Fqdn(apex), Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 900},
		Ns: "ns-1536.awsdns-00.co.uk.", Mbox: "awsdns-hostmaster.amazon.com.", Serial: 1, Refresh: 7200, Retry: 900, Expire: 1209600, Minttl: 86400}
}

// negativeSOA is soa as a negative answer's authority section holds it:
// with the lesser of its TTL and its minimum as TTL (RFC 2308 section 5,
// as Route 53 answers).
func negativeSOA(soa dns.RR) []dns.RR {
	s, ok := soa.(*dns.SOA)
	if !ok {
		return nil
	}
	c := dns.Copy(s).(*dns.SOA)
	c.Hdr.Ttl = min(c.Hdr.Ttl, c.Minttl)
	return []dns.RR{c}
}

func newZone(id, apex string) *zone {
	return &zone{id: id, apex: apex, names: map[string]*node{apex: {}}}
}

// add puts a record set at a name, and makes the names between it and the
// apex exist.
func (z *zone) add(name string, rs *rrset) {
	n := z.names[name]
	if n == nil {
		n = &node{}
		z.names[name] = n
	}
	n.sets = append(n.sets, rs)
	for p := name; p != z.apex && strings.HasSuffix(p, "."+z.apex); {
		_, p, _ = strings.Cut(p, ".")
		if z.names[p] == nil {
			z.names[p] = &node{}
		}
	}
}

// recordSet parses a stored record set's values into records.
func recordSet(rs *route53.RecordSet) *rrset {
	out := &rrset{typ: dns.StringToType[rs.Type], alias: rs.Alias, routing: rs.Routing, setID: rs.SetIdentifier}
	var ttl int64
	if rs.TTL != nil {
		ttl = *rs.TTL
	}
	for _, val := range rs.Values {
		rr, err := dns.NewRR(fmt.Sprintf("%s %d IN %s %s", dns.Fqdn(canonical(rs.Name)), ttl, rs.Type, val))
		if err == nil && rr != nil {
			out.rrs = append(out.rrs, rr)
		}
	}
	return out
}

// zoneFor is the most specific private zone whose apex is name or one of
// its parents, or nil.
func (v *view) zoneFor(name string) *zone {
	if len(v.zones) == 0 {
		return nil
	}
	for p := name; p != ""; {
		if z := v.zones[p]; z != nil {
			return z
		}
		_, p, _ = strings.Cut(p, ".")
	}
	return nil
}

// lookup finds the node that answers name in the zone: the name's own, or
// the wildcard of its closest existing parent; nil when the name does not
// exist (NXDOMAIN).
func (z *zone) lookup(name string) *node {
	if n := z.names[name]; n != nil {
		return n
	}
	for p := name; p != z.apex; {
		_, p, _ = strings.Cut(p, ".")
		if z.names[p] != nil {
			return z.names["*."+p]
		}
	}
	return nil
}

// fromZone answers a question from the zone that holds its name.
func (r *Resolver) fromZone(v *view, z *zone, q Question, depth int) Answer {
	n := z.lookup(q.Name)
	if n == nil {
		return Answer{Rcode: dns.RcodeNameError, Authority: z.negative, Source: z.id}
	}
	if rs := pick(n.sets, q.Type, v); rs != nil {
		return r.answerSet(v, z, rs, q, depth)
	}
	if cn := pick(n.sets, dns.TypeCNAME, v); cn != nil && q.Type != dns.TypeCNAME && len(cn.rrs) > 0 {
		head := renamed(cn.rrs[:1], q.Name)
		next := r.resolve(v, Question{VPC: q.VPC, Zone: q.Zone, Name: canonical(cn.rrs[0].(*dns.CNAME).Target), Type: q.Type}, depth+1)
		if next.Rcode == dns.RcodeServerFailure {
			return next
		}
		next.Records = append(head, next.Records...)
		if next.Source == "" {
			next.Source = z.id
		}
		return next
	}
	return Answer{Rcode: dns.RcodeSuccess, Authority: z.negative, Source: z.id}
}

// answerSet answers with one record set: its values, its alias target's
// records under the alias's name, or its endpoint's addresses.
func (r *Resolver) answerSet(v *view, z *zone, rs *rrset, q Question, depth int) Answer {
	switch {
	case rs.endpoint != nil:
		a := Answer{Rcode: dns.RcodeSuccess, Records: endpointRecords(q, rs.endpoint.Interfaces), Source: z.id}
		if len(a.Records) == 0 {
			a.Authority = z.negative // an endpoint without IPv6 addresses asked AAAA
		}
		return a
	case rs.alias != nil:
		target := canonical(rs.alias.DNSName)
		tq := Question{VPC: q.VPC, Zone: q.Zone, Name: target, Type: q.Type}
		var a Answer
		if target == z.apex || strings.HasSuffix(target, "."+z.apex) {
			a = r.fromZone(v, z, tq, depth+1) // an alias to a record of its own zone
		} else {
			a = r.resolveAt(tq, depth+1) // a load balancer, an endpoint: public names
		}
		a.Records = renamed(a.Records, q.Name)
		if a.Rcode == dns.RcodeNameError {
			a.Rcode = dns.RcodeSuccess // the alias exists; its target answers nothing
		}
		a.Authority = nil
		if a.Rcode == dns.RcodeSuccess && len(a.Records) == 0 {
			a.Authority = z.negative // no records at the alias's name
		}
		a.Source = z.id
		return a
	}
	return Answer{Rcode: dns.RcodeSuccess, Records: renamed(rs.rrs, q.Name), Source: z.id}
}

// resolveAt answers a name that no private zone holds: an alias target.
func (r *Resolver) resolveAt(q Question, depth int) Answer {
	if depth > maxChain {
		return Answer{Rcode: dns.RcodeServerFailure}
	}
	return r.publicNames().answer(r, q)
}

// pick chooses the record set of a type a name answers with, among those
// of a routing policy: every multivalue answer's records; else the
// failover primary (vpcemu has no health checks: the primary is healthy),
// the latency record of the VPC's region, the heaviest weight, and
// finally the first in Route 53's order.
func pick(sets []*rrset, typ uint16, v *view) *rrset {
	var found []*rrset
	for _, rs := range sets {
		if rs.typ == typ {
			found = append(found, rs)
		}
	}
	if len(found) <= 1 {
		if len(found) == 1 {
			return found[0]
		}
		return nil
	}
	best := found[0]
	multi := &rrset{typ: typ}
	for _, rs := range found {
		if m := rs.routing.MultiValueAnswer; m != nil && *m {
			multi.rrs = append(multi.rrs, rs.rrs...)
		}
		switch {
		case rs.routing.Failover == "PRIMARY":
			best = rs
		case rs.routing.Region != "" && rs.routing.Region == v.vpc.Region && best.routing.Failover != "PRIMARY":
			best = rs
		case rs.routing.Weight != nil && best.routing.Weight != nil && *rs.routing.Weight > *best.routing.Weight:
			best = rs
		}
	}
	if len(multi.rrs) > 0 {
		return multi
	}
	return best
}

// renamed are records under another owner name (an alias's, a wildcard's
// question), copied so that the shared ones stay as they are.
func renamed(rrs []dns.RR, name string) []dns.RR {
	fq := dns.Fqdn(name)
	out := make([]dns.RR, len(rrs))
	for i, rr := range rrs {
		if rr.Header().Name == fq {
			out[i] = rr
			continue
		}
		c := dns.Copy(rr)
		c.Header().Name = fq
		out[i] = c
	}
	return out
}
