package netview

import (
	"cmp"
	"slices"
	"strings"

	"github.com/vpcemu/vpcemu/internal/awsservices"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/policy"
)

// NetEndpoint is a VPC endpoint as the snapshot links it, its DNSEntries
// derived.
type NetEndpoint struct {
	*privatelink.VPCEndpoint
	VPC *NetVPC
	// Interfaces are the endpoint's network interfaces (interface and
	// Gateway Load Balancer endpoints), in SubnetIDs order.
	Interfaces []*NetInterface
	// Service is the account endpoint service the endpoint connects to;
	// nil for one of AWS's, or a service the snapshot did not read.
	Service *privatelink.ServiceConfiguration
	// AWSService is the AWS service the endpoint connects to, or nil.
	AWSService *awsservices.EndpointService
	// PrefixList is a gateway endpoint's service prefix list.
	PrefixList *NetPrefixList
	// Policy is the endpoint's policy; nil when its service takes none.
	Policy *policy.Document
}

// InterfaceFor is the endpoint's interface a client in a zone reaches: the
// one in its zone, else the first (as the regional DNS name answers); nil
// when the endpoint has none.
func (e *NetEndpoint) InterfaceFor(zone string) *NetInterface {
	for _, n := range e.Interfaces {
		if n.Subnet != nil && n.Subnet.AvailabilityZone == zone {
			return n
		}
	}
	if len(e.Interfaces) > 0 {
		return e.Interfaces[0]
	}
	return nil
}

// Endpoint returns a VPC endpoint, or nil.
func (s *Snapshot) Endpoint(id string) *NetEndpoint { return s.endpoints[id] }

// EndpointService returns an account endpoint service (vpce-svc-…) with
// its zones, or nil.
func (s *Snapshot) EndpointService(id string) *privatelink.ServiceConfiguration {
	return s.services[id]
}

// Endpoints lists every VPC endpoint of the snapshot, in id order.
func (s *Snapshot) Endpoints() []*NetEndpoint { return sortedValues(s.endpoints) }

// EndpointsNamed are the endpoints one of whose own DNS names (regional
// or zonal, from DNSEntries; not the private DNS name) answers name, in id
// order.
func (s *Snapshot) EndpointsNamed(name string) []*NetEndpoint {
	var out []*NetEndpoint
	for _, k := range DNSLookupKeys(strings.ToLower(name)) {
		out = append(out, s.endpointNames[k]...)
	}
	return out
}

// DNSLookupKeys are the record names that answer a (lower-case) name:
// itself, and the wildcard records "*.x" of it and of each of its parent
// domains (a wildcard record answers its base name too, as the private
// DNS of S3's interface endpoints does).
func DNSLookupKeys(name string) []string {
	keys := []string{name}
	for rest := name; rest != ""; {
		keys = append(keys, "*."+rest)
		_, rest, _ = strings.Cut(rest, ".")
	}
	return keys
}

// Listeners are a load balancer's listeners, in port order.
func (s *Snapshot) Listeners(lbARN string) []*elb.Listener { return s.lbListeners[lbARN] }

// providerScopes are the scopes of the account endpoint services the
// endpoints read so far connect to.
func (b *snapshotBuilder) providerScopes() []cloud.Scope {
	var out []cloud.Scope
	for _, e := range sortedValues(b.s.endpoints) {
		if e.ServiceOwner != awsservices.Owner && e.State != privatelink.VPCEndpointDeleted {
			out = append(out, cloud.Scope{Account: e.ServiceOwner, Region: e.ServiceRegionName()})
		}
	}
	return out
}

// linkEndpoints links endpoints to their VPC, interfaces, service, prefix
// list and policy, services to their zones, and load balancers to their
// interfaces and listeners.
func (b *snapshotBuilder) linkEndpoints() {
	s := b.s
	for _, l := range sortedValues(s.listeners) {
		s.lbListeners[l.LoadBalancerARN] = append(s.lbListeners[l.LoadBalancerARN], l)
	}
	for _, ls := range s.lbListeners {
		slices.SortStableFunc(ls, func(a, b *elb.Listener) int { return cmp.Compare(a.Port, b.Port) })
	}
	for _, lb := range s.loadBalancers {
		for _, z := range lb.Zones {
			if n := s.interfaces[z.InterfaceID]; n != nil {
				n.LoadBalancer = lb
			}
		}
	}
	for _, svc := range s.services {
		var lbs []*elb.LoadBalancer
		for _, arn := range svc.LoadBalancerARNs() {
			if lb := s.loadBalancers[arn]; lb != nil {
				lbs = append(lbs, lb)
			}
		}
		svc.SetZones(lbs)
	}
	for _, e := range sortedValues(s.endpoints) {
		b.linkEndpoint(e)
	}
}

func (b *snapshotBuilder) linkEndpoint(e *NetEndpoint) {
	s := b.s
	if e.VPC = s.vpcs[e.VpcID]; e.VPC != nil && e.State != privatelink.VPCEndpointDeleted {
		e.VPC.Endpoints = append(e.VPC.Endpoints, e)
	}
	zones := make([]string, 0, len(e.SubnetIDs))
	for i, id := range e.NetworkInterfaceIDs {
		if n := s.interfaces[id]; n != nil {
			n.Endpoint = e
			e.Interfaces = append(e.Interfaces, n)
		}
		if sub := s.subnets[e.SubnetIDs[i]]; sub != nil {
			zones = append(zones, sub.AvailabilityZone)
		}
	}
	e.DNSEntries = e.EntriesFor(zones)
	for _, d := range e.DNSEntries {
		if !e.PrivateDNSEnabled || d.DNSName != e.ServicePrivateDNSName {
			k := strings.ToLower(d.DNSName)
			s.endpointNames[k] = append(s.endpointNames[k], e)
		}
	}
	e.Service = s.services[e.ServiceID]
	if e.ServiceOwner == awsservices.Owner {
		for _, svc := range awsservices.EndpointServices(e.ServiceRegionName()) {
			if svc.ID == e.ServiceID {
				e.AWSService = &svc
				break
			}
		}
	}
	if e.Type == privatelink.EndpointTypeGateway && e.AWSService != nil {
		if pl, ok := awsservices.PrefixListOf(e.AWSService.Region, e.AWSService.Service); ok {
			e.PrefixList = s.prefixLists[pl.ID]
		}
	}
	if e.PolicyDocument != "" {
		// A stored policy was checked when it was set.
		e.Policy, _ = policy.Parse(e.PolicyDocument)
	}
}
