// Package vpcdns answers DNS questions as a VPC's Amazon-provided DNS
// server (the Route 53 Resolver at the VPC's base address + 2) does, over
// one netview snapshot. The reachability engine resolves `analyze --to
// NAME` here, and the data plane's DNS server answers from it, so both
// always agree.
//
// The resolver's precedence (docs: Route 53 "considerations when working
// with a private hosted zone", VPC "DNS attributes", PrivateLink "DNS
// hostnames"):
//  1. A VPC with enableDnsSupport off has no DNS server: nothing answers.
//  2. Private hosted zones associated with the VPC (the customer's, and the
//     zone AWS manages for each interface endpoint with private DNS) need
//     enableDnsHostnames too. The most specific zone whose name is the
//     question or a parent of it wins; inside it the name answers, or it
//     is NXDOMAIN: no fall-through to the public view.
//  3. The VPC's own names: ip-10-0-1-5.ec2.internal, and an instance's
//     public name (to its private address inside its VPC).
//  4. The public view: VPC endpoints' regional and zonal names, load
//     balancers' names, AWS services' public names. vpcemu has no internet
//     DNS, so any other name is NXDOMAIN.
package vpcdns

import (
	"net/netip"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
)

// Question is one DNS question asked of a VPC's resolver.
type Question struct {
	// VPC is the asking VPC; "" asks the public view only (a client on
	// premises or on the internet).
	VPC string
	// Zone is the asker's availability zone: an endpoint's or a load
	// balancer's address in it comes first.
	Zone string
	Name string
	Type uint16 // dns.TypeA, dns.TypeAAAA, …
}

// Answer is what the resolver answers.
type Answer struct {
	// Rcode is dns.RcodeSuccess (with no records: the name exists but
	// holds none of the type), dns.RcodeNameError (NXDOMAIN),
	// dns.RcodeServerFailure (an alias or CNAME chain that loops), or
	// dns.RcodeRefused when the VPC has no DNS server (enableDnsSupport
	// off) or is not in the snapshot.
	Rcode int
	// Records answer the question: a CNAME chain, then the records of the
	// type asked. They are shared: callers must not modify them.
	Records []dns.RR
	// Authority is the SOA of the private zone that answered NXDOMAIN or
	// no records of the type (a negative answer, RFC 2308), its TTL the
	// lesser of the SOA's own and its minimum; nil otherwise. Shared too.
	Authority []dns.RR
	// Source names what answered: a hosted zone's id (Z…), a VPC endpoint's
	// id (its private DNS zone, or its own names), a load balancer's ARN,
	// "ec2" (an instance's name) or "aws" (an AWS service's public name);
	// "" when nothing did.
	Source string
}

// Addrs are the addresses the answer's A and AAAA records hold, in order.
func (a Answer) Addrs() []netip.Addr {
	var out []netip.Addr
	for _, rr := range a.Records {
		switch r := rr.(type) {
		case *dns.A:
			if ip, ok := netip.AddrFromSlice(r.A.To4()); ok {
				out = append(out, ip)
			}
		case *dns.AAAA:
			if ip, ok := netip.AddrFromSlice(r.AAAA); ok {
				out = append(out, ip)
			}
		}
	}
	return out
}

// Resolver answers for every VPC of one snapshot. Each VPC's view is
// indexed on its first question; it is safe for concurrent use.
type Resolver struct {
	s      *netview.Snapshot
	mu     sync.Mutex
	views  map[string]*view
	public *publicView
	once   sync.Once
}

// New returns the resolver of a snapshot (taken with Zones, for private
// hosted zones to answer).
func New(s *netview.Snapshot) *Resolver {
	return &Resolver{s: s, views: map[string]*view{}}
}

// maxChain bounds the aliases and CNAMEs one answer follows.
const maxChain = 8

// Resolve answers a question.
func (r *Resolver) Resolve(q Question) Answer {
	q.Name = canonical(q.Name)
	var v *view
	if q.VPC != "" {
		vpc := r.s.VPC(q.VPC)
		if vpc == nil || !vpc.EnableDNSSupport {
			return Answer{Rcode: dns.RcodeRefused}
		}
		v = r.view(vpc)
	}
	return r.resolve(v, q, 0)
}

func (r *Resolver) resolve(v *view, q Question, depth int) Answer {
	if depth > maxChain {
		return Answer{Rcode: dns.RcodeServerFailure}
	}
	if v != nil {
		if z := v.zoneFor(q.Name); z != nil {
			return r.fromZone(v, z, q, depth)
		}
		if a, ok := r.vpcName(v, q); ok {
			return a
		}
	}
	return r.publicNames().answer(r, q)
}

// view is one VPC's index, built once.
func (r *Resolver) view(vpc *netview.NetVPC) *view {
	r.mu.Lock()
	defer r.mu.Unlock()
	v := r.views[vpc.ID]
	if v == nil {
		v = newView(vpc)
		r.views[vpc.ID] = v
	}
	return v
}

// canonical is a name as the index keys it: lower case, no final dot.
func canonical(name string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
}
