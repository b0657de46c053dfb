package reach

// The DNS view of a VPC: a destination named by a DNS name is where the
// Amazon-provided DNS server of the source's VPC (AmazonProvidedDNS)
// resolves it.

import (
	"hash/fnv"
	"net/netip"
	"strings"
	"sync"

	"github.com/vpcemu/vpcemu/internal/awsservices"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
)

// resolveName answers a name as the DNS server of vpc does for a client
// in zone, in this order:
//   - with enableDnsSupport off the VPC has no DNS server: nothing
//     resolves;
//   - a private DNS name of one of the VPC's interface endpoints (private
//     DNS on, the VPC's enableDnsHostnames on, not only for inbound
//     resolver endpoints) resolves to the endpoint's interface in the
//     client's zone (else its first); an endpoint with no interfaces has
//     no DNS entries, so its private zone answers nothing and the name
//     resolves as it would without the endpoint;
//   - an endpoint's regional and zonal names (public DNS: from any VPC)
//     resolve to its interfaces;
//   - an instance's private DNS name (ip-10-0-1-5.ec2.internal) to the
//     address it spells, when the VPC holds it;
//   - an AWS service's public name to the service on the internet: an
//     address of its AWS-managed prefix list (S3, DynamoDB: so a gateway
//     endpoint's route matches it), else one vpcemu derives from the name,
//     outside every prefix list.
func resolveName(s *netview.Snapshot, vpc *netview.NetVPC, zone, name string) (netip.Addr, bool) {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if vpc != nil && !vpc.EnableDNSSupport {
		return netip.Addr{}, false
	}
	if vpc != nil && vpc.EnableDNSHostnames {
		for _, e := range vpc.Endpoints {
			if e.Type == privatelink.EndpointTypeInterface && e.PrivateDNSEnabled && !e.PrivateDNSOnlyForInboundResolverEndpoint &&
				len(e.Interfaces) > 0 && e.ServicePrivateDNSName != "" && dnsMatch(e.ServicePrivateDNSName, name) {
				return endpointAddr(e, zone)
			}
		}
	}
	for _, e := range s.EndpointsNamed(name) {
		if a, ok := endpointName(e, zone, name); ok {
			return a, true
		}
	}
	if a, ok := instanceName(name); ok && vpc != nil && s.InterfaceAt(vpc.ID, a) != nil {
		return a, true
	}
	return serviceName(s, name)
}

// dnsMatch reports whether a record's name answers name: "*.x" answers x
// and every name under it.
func dnsMatch(record, name string) bool {
	record = strings.ToLower(record)
	if base, ok := strings.CutPrefix(record, "*."); ok {
		return name == base || strings.HasSuffix(name, "."+base)
	}
	return record == name
}

// endpointAddr is the address of an endpoint's interface in zone, else of
// its first.
func endpointAddr(e *netview.NetEndpoint, zone string) (netip.Addr, bool) {
	n := e.InterfaceFor(zone)
	if n == nil || len(n.Addrs) == 0 {
		return netip.Addr{}, false
	}
	return n.Addrs[0], true
}

// endpointName resolves an endpoint's own names (DNSEntries but the private
// DNS name): the regional name to the interface in the client's zone, a
// zonal name to the interface in its zone.
func endpointName(e *netview.NetEndpoint, zone, name string) (netip.Addr, bool) {
	if len(e.DNSEntries) == 0 || e.ServiceDNSName == "" {
		return netip.Addr{}, false
	}
	regional := strings.TrimSuffix(e.DNSEntries[0].DNSName, "."+e.ServiceDNSName)
	for _, d := range e.DNSEntries {
		host, ok := strings.CutSuffix(d.DNSName, "."+e.ServiceDNSName)
		if !ok || !dnsMatch(d.DNSName, name) {
			continue
		}
		if z, zonal := strings.CutPrefix(host, regional+"-"); zonal {
			zone = z
		}
		return endpointAddr(e, zone)
	}
	return netip.Addr{}, false
}

// instanceName is the address an instance's private DNS name spells:
// ip-10-0-1-5.ec2.internal or ip-10-0-1-5.<region>.compute.internal.
func instanceName(name string) (netip.Addr, bool) {
	host, domain, _ := strings.Cut(name, ".")
	spelled, ok := strings.CutPrefix(host, "ip-")
	if !ok || domain != "ec2.internal" && !strings.HasSuffix(domain, ".compute.internal") {
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
	regionNames.Store(region, m)
	return m
}

// servicePublicAddr is the public address vpcemu gives an AWS service: an
// address of its prefix list, else one derived from its name in
// 54.239.0.0/16 (an AWS block) outside every prefix list of the region.
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
