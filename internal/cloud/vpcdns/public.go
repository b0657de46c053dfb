package vpcdns

import (
	"hash/fnv"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/vpcemu/vpcemu/internal/awsservices"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
)

// publicView indexes the names anyone resolves: endpoints' own names and
// load balancers' names.
type publicView struct {
	endpoints map[string][]endpointName // by record name, wildcards as "*.x"
	lbs       map[string]lbName         // by name, dualstack. names too
}

// endpointName is one of an endpoint's own DNS names: its regional name
// (zone "") or the zonal name of one zone.
type endpointName struct {
	e    *netview.NetEndpoint
	zone string
}

type loadBalancer struct {
	lb         *elb.LoadBalancer
	interfaces []*netview.NetInterface
}

// lbName is one of a load balancer's names; its dualstack. name answers
// AAAA too.
type lbName struct {
	*loadBalancer
	dualstack bool
}

// awsTTL is the TTL of the public names vpcemu answers (AWS's load
// balancer and service names use 60 seconds).
const awsTTL = 60

func (r *Resolver) publicNames() *publicView {
	r.once.Do(func() { r.public = newPublicView(r.s) })
	return r.public
}

func newPublicView(s *netview.Snapshot) *publicView {
	p := &publicView{endpoints: map[string][]endpointName{}, lbs: map[string]lbName{}}
	for _, e := range s.Endpoints() {
		if len(e.DNSEntries) == 0 || e.ServiceDNSName == "" || e.State == privatelink.VPCEndpointDeleted {
			continue
		}
		regional := strings.TrimSuffix(e.DNSEntries[0].DNSName, "."+e.ServiceDNSName)
		for _, d := range e.DNSEntries {
			host, ok := strings.CutSuffix(d.DNSName, "."+e.ServiceDNSName)
			if !ok {
				continue
			}
			zone, _ := strings.CutPrefix(host, regional+"-")
			if zone == host {
				zone = ""
			}
			k := canonical(d.DNSName)
			p.endpoints[k] = append(p.endpoints[k], endpointName{e: e, zone: zone})
		}
	}
	byLB := map[string]*loadBalancer{}
	for _, lb := range s.LoadBalancers() {
		if name := lb.DNSName(); name != "" {
			l := &loadBalancer{lb: lb}
			byLB[lb.ID] = l
			p.lbs[canonical(name)] = lbName{loadBalancer: l}
			p.lbs["dualstack."+canonical(name)] = lbName{loadBalancer: l, dualstack: true}
		}
	}
	for _, n := range s.Interfaces() {
		if n.LoadBalancer != nil && byLB[n.LoadBalancer.ID] != nil {
			l := byLB[n.LoadBalancer.ID]
			l.interfaces = append(l.interfaces, n)
		}
	}
	return p
}

// answer answers from the public view: endpoints' and load balancers'
// names, instances' public names, AWS services' names; NXDOMAIN for
// anything else.
func (p *publicView) answer(r *Resolver, q Question) Answer {
	for _, k := range netview.DNSLookupKeys(q.Name) {
		if names := p.endpoints[k]; len(names) > 0 {
			en := names[0]
			zone := q.Zone
			if en.zone != "" {
				zone = en.zone
			}
			ifs := en.e.Interfaces
			if en.zone != "" {
				ifs = nil
				if n := en.e.InterfaceFor(zone); n != nil && n.Subnet != nil && n.Subnet.AvailabilityZone == zone {
					ifs = []*netview.NetInterface{n}
				}
			}
			return Answer{Rcode: dns.RcodeSuccess, Records: addrRecords(q, ordered(ifs, zone), false), Source: en.e.ID}
		}
	}
	if l, ok := p.lbs[q.Name]; ok {
		public := l.lb.Scheme == elb.SchemeInternetFacing
		if !l.dualstack && q.Type == dns.TypeAAAA {
			return Answer{Rcode: dns.RcodeSuccess, Source: l.lb.ID}
		}
		return Answer{Rcode: dns.RcodeSuccess, Records: addrRecords(q, ordered(l.interfaces, q.Zone), public), Source: l.lb.ID}
	}
	if a, ok := instancePublicName(q.Name); ok && r.s.InterfaceWithPublicIP(a) != nil {
		return Answer{Rcode: dns.RcodeSuccess, Records: hostRecords(q, a), Source: "ec2"}
	}
	if a, ok := serviceName(r.s, q.Name); ok {
		return Answer{Rcode: dns.RcodeSuccess, Records: hostRecords(q, a), Source: "aws"}
	}
	return Answer{Rcode: dns.RcodeNameError}
}

// vpcName answers the VPC's own names: an instance's private name, and
// its public name, which inside its VPC resolves to the private address.
func (r *Resolver) vpcName(v *view, q Question) (Answer, bool) {
	if a, ok := instancePrivateName(q.Name); ok && r.s.InterfaceAt(v.vpc.ID, a) != nil {
		return Answer{Rcode: dns.RcodeSuccess, Records: hostRecords(q, a), Source: "ec2"}, true
	}
	if a, ok := instancePublicName(q.Name); ok && v.vpc.EnableDNSHostnames {
		if n := r.s.InterfaceWithPublicIP(a); n != nil && n.Subnet != nil && n.Subnet.VpcID == v.vpc.ID {
			for i, pub := range n.Public {
				if pub == a {
					return Answer{Rcode: dns.RcodeSuccess, Records: hostRecords(q, n.Addrs[i]), Source: "ec2"}, true
				}
			}
		}
	}
	return Answer{}, false
}

// endpointRecords are an endpoint's interfaces' addresses, the asker's
// zone first.
func endpointRecords(q Question, ifs []*netview.NetInterface) []dns.RR {
	return addrRecords(q, ordered(ifs, q.Zone), false)
}

// ordered puts the interface in zone first, as a client there reaches it.
func ordered(ifs []*netview.NetInterface, zone string) []*netview.NetInterface {
	i := slices.IndexFunc(ifs, func(n *netview.NetInterface) bool { return n.Subnet != nil && n.Subnet.AvailabilityZone == zone })
	if i <= 0 {
		return ifs
	}
	out := make([]*netview.NetInterface, 0, len(ifs))
	return append(append(append(out, ifs[i]), ifs[:i]...), ifs[i+1:]...)
}

// addrRecords are the A or AAAA records of interfaces' addresses (their
// public ones when public), one per interface and family.
func addrRecords(q Question, ifs []*netview.NetInterface, public bool) []dns.RR {
	var out []dns.RR
	for _, n := range ifs {
		a := n.FirstOf(q.Type == dns.TypeAAAA)
		if public && a.Is4() {
			if pub, ok := n.PublicFor(a); ok {
				a = pub
			}
		}
		if a.IsValid() {
			out = append(out, hostRecords(q, a)...)
		}
	}
	return out
}

// hostRecords is the one record of address a that answers q, if its type
// is a's family.
func hostRecords(q Question, a netip.Addr) []dns.RR {
	hdr := dns.RR_Header{Name: dns.Fqdn(q.Name), Class: dns.ClassINET, Ttl: awsTTL}
	switch {
	case q.Type == dns.TypeA && a.Is4():
		hdr.Rrtype = dns.TypeA
		s := a.As4()
		return []dns.RR{&dns.A{Hdr: hdr, A: s[:]}}
	case q.Type == dns.TypeAAAA && a.Is6():
		hdr.Rrtype = dns.TypeAAAA
		s := a.As16()
		return []dns.RR{&dns.AAAA{Hdr: hdr, AAAA: s[:]}}
	}
	return nil
}

// instancePrivateName is the address an instance's private DNS name
// spells: ip-10-0-1-5.ec2.internal or ip-10-0-1-5.<region>.compute.internal.
func instancePrivateName(name string) (netip.Addr, bool) {
	return spelledAddr(name, "ip-", "ec2.internal", ".compute.internal")
}

// instancePublicName is the address an instance's public DNS name spells:
// ec2-198-18-0-5.compute-1.amazonaws.com or
// ec2-198-18-0-5.<region>.compute.amazonaws.com.
func instancePublicName(name string) (netip.Addr, bool) {
	return spelledAddr(name, "ec2-", "compute-1.amazonaws.com", ".compute.amazonaws.com")
}

// spelledAddr is the IPv4 address a host name's first label spells after
// prefix (1-2-3-4), in domain or a domain ending with suffix.
func spelledAddr(name, prefix, domain, suffix string) (netip.Addr, bool) {
	host, d, _ := strings.Cut(name, ".")
	spelled, ok := strings.CutPrefix(host, prefix)
	if !ok || d != domain && !strings.HasSuffix(d, suffix) {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(strings.ReplaceAll(spelled, "-", "."))
	return a, err == nil && a.Is4()
}

// serviceName resolves the public name of an AWS service of one of the
// snapshot's regions (its private DNS names, and a gateway service's
// endpoint name: s3.us-east-1.amazonaws.com).
func serviceName(s *netview.Snapshot, name string) (netip.Addr, bool) {
	keys := netview.DNSLookupKeys(name)
	for _, sc := range s.Scopes() {
		names := serviceNames(sc.Region)
		for _, k := range keys {
			if a, ok := names[k]; ok {
				return a, true
			}
		}
	}
	return netip.Addr{}, false
}

// regionNames caches, by region, the public names of the region's AWS
// services (as DNS records: "*.s3.us-east-1.amazonaws.com") and the
// addresses they resolve to. The catalog never changes, so the cache is
// shared by every snapshot.
var regionNames sync.Map

func serviceNames(region string) map[string]netip.Addr {
	if m, ok := regionNames.Load(region); ok {
		return m.(map[string]netip.Addr)
	}
	m := map[string]netip.Addr{}
	for _, svc := range awsservices.EndpointServices(region) {
		names := svc.PrivateDNSNames
		if svc.Type == awsservices.TypeGateway {
			names = svc.BaseEndpointDNSNames
		}
		for _, n := range names {
			m[strings.ToLower(n)] = servicePublicAddr(region, svc.Service)
		}
	}
	if region == "us-east-1" {
		// S3's legacy global endpoint, and its buckets' virtual-hosted
		// names, are us-east-1's (what the aws CLI v1 and older SDKs use).
		m["s3.amazonaws.com"] = servicePublicAddr(region, "s3")
		m["*.s3.amazonaws.com"] = servicePublicAddr(region, "s3")
	}
	regionNames.Store(region, m)
	return m
}

// servicePublicAddr is the public address vpcemu gives an AWS service: an
// address of its prefix list (S3, DynamoDB: so a gateway endpoint's route
// matches it), else one derived from its name in 54.239.0.0/16 (an AWS
// block) outside every prefix list of the region.
func servicePublicAddr(region, service string) netip.Addr {
	if l, ok := awsservices.PrefixListOf(region, service); ok {
		for _, c := range l.CIDRs {
			if p, err := netip.ParsePrefix(c); err == nil && p.Addr().Is4() {
				return p.Masked().Addr().Next()
			}
		}
	}
	h := fnv.New32a()
	h.Write([]byte(service + "." + region))
	v := h.Sum32()
	for {
		a := netip.AddrFrom4([4]byte{54, 239, byte(v >> 8), byte(v)})
		if !inPrefixLists(region, a) && a.As4()[3] != 0 {
			return a
		}
		v++
	}
}

func inPrefixLists(region string, a netip.Addr) bool {
	for _, l := range awsservices.PrefixLists(region) {
		for _, c := range l.CIDRs {
			if p, err := netip.ParsePrefix(c); err == nil && p.Contains(a) {
				return true
			}
		}
	}
	return false
}

// AWSServiceAt is the AWS service of a region whose public address a is,
// as the VPC's DNS gives them: any address of its prefix list (S3,
// DynamoDB), or the one it answers for another service. ok is false for
// an address no service has.
func AWSServiceAt(region string, a netip.Addr) (service string, ok bool) {
	for _, l := range awsservices.PrefixLists(region) {
		for _, c := range l.CIDRs {
			if p, err := netip.ParsePrefix(c); err == nil && p.Contains(a) {
				return l.Service, true
			}
		}
	}
	service, ok = serviceAddrs(region)[a]
	return service, ok
}

// regionAddrs caches, by region, the services by the public address
// servicePublicAddr gives them (the reverse of regionNames' addresses).
var regionAddrs sync.Map

func serviceAddrs(region string) map[netip.Addr]string {
	if m, ok := regionAddrs.Load(region); ok {
		return m.(map[netip.Addr]string)
	}
	m := map[netip.Addr]string{}
	for _, svc := range awsservices.EndpointServices(region) {
		if a := servicePublicAddr(region, svc.Service); m[a] == "" {
			m[a] = svc.Service // the catalogue's first, should two share one
		}
	}
	regionAddrs.Store(region, m)
	return m
}
