package netmap

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/ipproto"
)

// Details are what a page shows of one resource: its stored attributes
// as they are, its tags, and what decides its traffic — the security
// groups with their rules, the subnet's network ACL with its entries in
// the order they are evaluated, the route table with each route's origin
// and state, an endpoint's policy.
type Details struct {
	ID         string          `json:"id"`
	Kind       string          `json:"kind"`
	Account    string          `json:"account,omitempty"`
	Region     string          `json:"region,omitempty"`
	Attributes json.RawMessage `json:"attributes"`
	Tags       []cloud.Tag     `json:"tags"`
	Groups     []Group         `json:"securityGroups,omitempty"`
	ACL        *ACL            `json:"networkAcl,omitempty"`
	Routes     *RouteTable     `json:"routeTable,omitempty"`
	Policy     string          `json:"policy,omitempty"`
}

// Group is a security group with its rules.
type Group struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Ingress []Rule `json:"ingress"`
	Egress  []Rule `json:"egress"`
}

// Rule is a security group rule: protocol, ports, peer.
type Rule struct {
	ID          string `json:"id"`
	Protocol    string `json:"protocol"`
	Ports       string `json:"ports"`
	Peer        string `json:"peer"`
	Description string `json:"description,omitempty"`
}

// ACL is a network ACL with its entries in evaluation order: each
// direction by rule number, the default (*) rule last.
type ACL struct {
	ID      string     `json:"id"`
	Inbound []ACLEntry `json:"inbound"`
	Egress  []ACLEntry `json:"outbound"`
}

// ACLEntry is one entry.
type ACLEntry struct {
	Rule     string `json:"rule"` // the number, or * for the default rule
	Protocol string `json:"protocol"`
	Ports    string `json:"ports"`
	Block    string `json:"block"`
	Action   string `json:"action"`
}

// RouteTable is a route table with its routes, the ones propagated
// included.
type RouteTable struct {
	ID     string  `json:"id"`
	Main   bool    `json:"main"`
	Routes []Route `json:"routes"`
}

// Route is one route: where to, by what, from where, and whether it
// works (active or blackhole).
type Route struct {
	Destination string `json:"destination"`
	Target      string `json:"target"`
	Origin      string `json:"origin"`
	State       string `json:"state"`
}

// Describe finds a resource of the snapshot by id (or ARN) and details
// it; ok is false when the snapshot has none.
func Describe(s *netview.Snapshot, id string) (d *Details, ok bool) {
	var rec cloud.Object
	var meta *cloud.Meta
	d = &Details{ID: id, Tags: []cloud.Tag{}}
	switch {
	case s.VPC(id) != nil:
		v := s.VPC(id)
		rec, meta, d.Kind = v.VPC, &v.Meta, KindVPC
		d.Routes = routeTable(v.MainTable)
		if g := s.SecurityGroup(v.DefaultSecurityGroupID); g != nil {
			d.Groups = []Group{group(g)}
		}
	case s.Subnet(id) != nil:
		sub := s.Subnet(id)
		rec, meta, d.Kind = sub.Subnet, &sub.Meta, KindSubnet
		d.Routes, d.ACL = routeTable(sub.RouteTable), acl(sub.ACL)
	case s.Instance(id) != nil:
		i := s.Instance(id)
		rec, meta, d.Kind = i, &i.Meta, KindInstance
		if len(i.NetworkInterfaces) > 0 {
			d.interfaceRules(s, s.Interface(i.NetworkInterfaces[0]))
		}
	case s.Interface(id) != nil:
		n := s.Interface(id)
		rec, meta, d.Kind = n.NetworkInterface, &n.Meta, KindInterface
		d.interfaceRules(s, n)
	case s.NATGateway(id) != nil:
		n := s.NATGateway(id)
		rec, meta, d.Kind = n, &n.Meta, KindNATGateway
		if sub := s.Subnet(n.SubnetID); sub != nil {
			d.Routes, d.ACL = routeTable(sub.RouteTable), acl(sub.ACL)
		}
	case s.InternetGateway(id) != nil:
		g := s.InternetGateway(id)
		rec, meta, d.Kind = g, &g.Meta, KindInternetGateway
		d.Routes = routeTable(s.EdgeRouteTable(id))
	case s.EgressOnlyInternetGateway(id) != nil:
		g := s.EgressOnlyInternetGateway(id)
		rec, meta, d.Kind = g, &g.Meta, KindEgressOnly
	case s.VPNGateway(id) != nil:
		g := s.VPNGateway(id)
		rec, meta, d.Kind = g, &g.Meta, KindVPNGateway
		d.Routes = routeTable(s.EdgeRouteTable(id))
	case s.Peering(id) != nil:
		p := s.Peering(id)
		rec, meta, d.Kind = p, &p.Meta, EdgePeering
	case s.Endpoint(id) != nil:
		e := s.Endpoint(id)
		rec, meta, d.Kind = e.VPCEndpoint, &e.Meta, KindEndpoint
		d.Policy = e.PolicyDocument
		if len(e.Interfaces) > 0 {
			d.interfaceRules(s, e.Interfaces[0])
		}
	case s.EndpointService(id) != nil:
		svc := s.EndpointService(id)
		rec, meta, d.Kind = svc, &svc.Meta, KindEndpointService
	case s.LoadBalancer(id) != nil:
		lb := s.LoadBalancer(id)
		rec, meta, d.Kind = lb, &lb.Meta, KindLoadBalancer
		for _, gid := range lb.SecurityGroups {
			if g := s.SecurityGroup(gid); g != nil {
				d.Groups = append(d.Groups, group(g))
			}
		}
	case s.SecurityGroup(id) != nil:
		g := s.SecurityGroup(id)
		rec, meta, d.Kind = g.SecurityGroup, &g.Meta, "security-group"
		d.Groups = []Group{group(g)}
	case s.NetworkACL(id) != nil:
		a := s.NetworkACL(id)
		rec, meta, d.Kind = a.NetworkACL, &a.Meta, "network-acl"
		d.ACL = acl(a)
	case s.RouteTable(id) != nil:
		t := s.RouteTable(id)
		rec, meta, d.Kind = t.RouteTable, &t.Meta, "route-table"
		d.Routes = routeTable(t)
	case s.OnPremises(id) != nil:
		v := s.OnPremises(id).VIF
		rec, meta, d.Kind = v, &v.Meta, KindVirtualInterface
	default:
		return nil, false
	}
	d.Account, d.Region = meta.Owner, meta.Region
	d.Tags = append(d.Tags, meta.Tags.Sorted()...)
	d.Attributes, _ = json.Marshal(rec) // a record read from the store marshals
	return d, true
}

// interfaceRules details what guards an interface: its groups, its
// subnet's ACL and route table.
func (d *Details) interfaceRules(s *netview.Snapshot, n *netview.NetInterface) {
	if n == nil {
		return
	}
	for _, g := range n.SecurityGroups {
		d.Groups = append(d.Groups, group(g))
	}
	if n.Subnet != nil {
		d.Routes, d.ACL = routeTable(n.Subnet.RouteTable), acl(n.Subnet.ACL)
	}
}

func group(g *netview.NetGroup) Group {
	out := Group{ID: g.ID, Name: g.Name, Ingress: []Rule{}, Egress: []Rule{}}
	for _, r := range g.SecurityGroup.Rules {
		rule := Rule{ID: r.ID, Protocol: protocol(r.Protocol), Ports: ports(r.Protocol, r.FromPort, r.ToPort), Description: r.Description,
			Peer: cmp.Or(r.CIDRIPv4, r.CIDRIPv6, r.PrefixListID, r.ReferencedGroupID)}
		if r.Egress {
			out.Egress = append(out.Egress, rule)
		} else {
			out.Ingress = append(out.Ingress, rule)
		}
	}
	return out
}

func protocol(p string) string {
	if proto, ok := ipproto.Parse(p); ok {
		return proto.String()
	}
	return p
}

// ports is a port range as people write it; all for -1 or no ports.
func ports(proto string, from, to int32) string {
	switch {
	case proto == "-1" || from == -1 && to == -1:
		return "all"
	case from == to:
		return strconv.Itoa(int(from))
	}
	return strconv.Itoa(int(from)) + "-" + strconv.Itoa(int(to))
}

func acl(a *netview.NetACL) *ACL {
	if a == nil {
		return nil
	}
	out := &ACL{ID: a.ID, Inbound: []ACLEntry{}, Egress: []ACLEntry{}}
	entries := slices.Clone(a.Entries)
	slices.SortStableFunc(entries, func(x, y network.NetworkACLEntry) int { return cmp.Compare(x.RuleNumber, y.RuleNumber) })
	for _, e := range entries {
		entry := ACLEntry{Rule: strconv.Itoa(int(e.RuleNumber)), Protocol: protocol(e.Protocol), Ports: "all", Block: cmp.Or(e.CIDRBlock, e.IPv6CIDRBlock), Action: e.RuleAction}
		if e.RuleNumber == 32767 {
			entry.Rule = "*"
		}
		switch {
		case e.FromPort != nil && e.ToPort != nil:
			entry.Ports = ports(e.Protocol, *e.FromPort, *e.ToPort)
		case e.ICMPType != nil:
			entry.Ports = "type " + strconv.Itoa(int(*e.ICMPType))
		}
		if e.Egress {
			out.Egress = append(out.Egress, entry)
		} else {
			out.Inbound = append(out.Inbound, entry)
		}
	}
	return out
}

func routeTable(t *netview.NetRouteTable) *RouteTable {
	if t == nil {
		return nil
	}
	out := &RouteTable{ID: t.ID, Routes: []Route{}}
	for _, a := range t.Associations {
		out.Main = out.Main || a.Main
	}
	for _, r := range t.AllRoutes() {
		out.Routes = append(out.Routes, Route{
			Destination: cmp.Or(r.DestinationCIDR, r.DestinationIPv6CIDR, r.DestinationPrefixListID),
			Target: cmp.Or(r.GatewayID, r.NATGatewayID, r.VPCPeeringConnectionID, r.NetworkInterfaceID, r.InstanceID, r.EgressOnlyIGWID,
				r.TransitGatewayID, r.VPCEndpointID, r.LocalGatewayID, r.CarrierGatewayID, r.CoreNetworkARN),
			Origin: r.Origin, State: cmp.Or(r.State, "active"),
		})
	}
	return out
}
