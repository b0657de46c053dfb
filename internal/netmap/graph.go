// Package netmap is the web view's read model: the network of a snapshot
// (netview's, the one the reachability engine reads) as nodes and edges to
// draw — VPCs holding zones holding subnets holding what sits in them,
// gateways, endpoints and load balancers, and the links between them
// (peering, PrivateLink, gateway endpoints, Direct Connect, private hosted
// zones) — and the details of one resource. It reads; it decides nothing
// the domain or the engine does not already say.
package netmap

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
)

// Node kinds. A node's Parent is the node that contains it: a zone is in
// its VPC, a subnet in its zone, an instance in its subnet.
const (
	KindVPC              = "vpc"
	KindZone             = "zone"
	KindSubnet           = "subnet"
	KindInstance         = "instance"
	KindInterface        = "interface"
	KindNATGateway       = "nat-gateway"
	KindInternetGateway  = "internet-gateway"
	KindEgressOnly       = "egress-only-gateway"
	KindVPNGateway       = "vpn-gateway"
	KindEndpoint         = "endpoint"         // interface endpoint
	KindGWLBEndpoint     = "gwlb-endpoint"    // Gateway Load Balancer endpoint
	KindGatewayEndpoint  = "gateway-endpoint" // S3 and DynamoDB
	KindLoadBalancer     = "load-balancer"
	KindEndpointService  = "endpoint-service"
	KindAWSService       = "aws-service"
	KindVirtualInterface = "virtual-interface"
	KindDXGateway        = "dx-gateway"
	KindOnPremises       = "on-premises"
	KindHostedZone       = "hosted-zone"
	KindRemoteVPC        = "remote-vpc" // a peer VPC the snapshot did not read
)

// Edge kinds.
const (
	EdgePeering     = "peering"          // VPC to VPC, requester to accepter
	EdgePrivateLink = "privatelink"      // endpoint to endpoint service (or AWS service)
	EdgeServiceLB   = "service-lb"       // endpoint service to its load balancer
	EdgeTarget      = "target"           // load balancer to a registered target
	EdgeGateway     = "gateway-endpoint" // gateway endpoint to its AWS service
	EdgeDX          = "direct-connect"   // on premises to VIF to gateway to VGW
	EdgeZone        = "zone-association" // private hosted zone to VPC
	EdgeNAT         = "nat"              // NAT gateway to the internet gateway it leaves by
)

// Graph is the network of some scopes, as of one revision of the store.
type Graph struct {
	Revision uint64    `json:"revision"`
	At       time.Time `json:"at"`
	// Scopes are those asked for; Read those the snapshot read, which
	// adds the scopes that peerings and endpoint connections lead to.
	Scopes []cloud.Scope `json:"scopes"`
	Read   []cloud.Scope `json:"read"`
	Nodes  []Node        `json:"nodes"`
	Edges  []Edge        `json:"edges"`
}

// Node is a resource to draw.
type Node struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Label string `json:"label"` // the Name tag, else a name, else the id
	// Detail is a short second line: a type, a zone, a service name.
	Detail  string `json:"detail,omitempty"`
	Parent  string `json:"parent,omitempty"`
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	// VPC is the VPC the node is drawn in, if any: a page that shows a
	// VPC collapsed hides what is in it.
	VPC   string `json:"vpc,omitempty"`
	State string `json:"state,omitempty"`
	// CIDRs are a VPC's or subnet's blocks; Addresses the private and
	// public addresses of what holds them; DNSNames the names that answer
	// with them. A page searches them.
	CIDRs     []string `json:"cidrs,omitempty"`
	Addresses []string `json:"addresses,omitempty"`
	DNSNames  []string `json:"dnsNames,omitempty"`
	// Aliases are the ids of what the node stands for too: an
	// instance's, a NAT gateway's, an endpoint's or a load balancer's
	// network interfaces, which a path names as hops.
	Aliases []string `json:"aliases,omitempty"`
}

// Edge is a link between two nodes.
type Edge struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Source string `json:"source"`
	Target string `json:"target"`
	Label  string `json:"label,omitempty"`
	State  string `json:"state,omitempty"`
}

// Build draws a snapshot. asked are the scopes the reader asked for
// (the snapshot may have read more); rev is the store's revision the
// snapshot was read at.
func Build(s *netview.Snapshot, asked []cloud.Scope, rev uint64) *Graph {
	g := &graph{Graph: Graph{Revision: rev, At: s.At, Scopes: asked, Read: s.Scopes(), Nodes: []Node{}, Edges: []Edge{}}, ids: map[string]bool{}, s: s}
	g.vpcs()
	g.gateways()
	g.instances()
	g.interfaces()
	g.loadBalancers()
	g.endpoints()
	g.services()
	g.peerings()
	g.directConnect()
	return &g.Graph
}

type graph struct {
	Graph
	ids map[string]bool
	s   *netview.Snapshot
}

func (g *graph) node(n Node) {
	if g.ids[n.ID] {
		return
	}
	g.ids[n.ID] = true
	g.Nodes = append(g.Nodes, n)
}

func (g *graph) edge(e Edge) {
	if e.ID == "" {
		e.ID = e.Kind + ":" + e.Source + ">" + e.Target
	}
	if g.ids["edge "+e.ID] {
		return
	}
	g.ids["edge "+e.ID] = true
	g.Edges = append(g.Edges, e)
}

// label is a resource's Name tag, else fallback, else its id.
func label(m *cloud.Meta, fallback string) string {
	return cmp.Or(m.Tags["Name"], fallback, m.ID)
}

func zoneID(vpc, az string) string { return vpc + "/" + az }

func (g *graph) vpcs() {
	for _, v := range g.s.VPCs() {
		var blocks []string
		for _, b := range append(slices.Clone(v.Blocks), v.Blocks6...) {
			blocks = append(blocks, b.String())
		}
		detail := ""
		if v.IsDefault {
			detail = "default VPC"
		}
		g.node(Node{ID: v.ID, Kind: KindVPC, Label: label(&v.Meta, ""), Detail: detail, Account: v.Owner, Region: v.Region, VPC: v.ID, State: v.State, CIDRs: blocks})
		for _, sub := range v.Subnets {
			z := zoneID(v.ID, sub.AvailabilityZone)
			g.node(Node{ID: z, Kind: KindZone, Label: sub.AvailabilityZone, Detail: sub.AvailabilityZoneID, Parent: v.ID, Account: v.Owner, Region: v.Region, VPC: v.ID})
			var blocks []string
			for _, b := range []string{sub.CIDRBlock, sub.Block6.String()} {
				if b != "" && b != "invalid Prefix" {
					blocks = append(blocks, b)
				}
			}
			g.node(Node{ID: sub.ID, Kind: KindSubnet, Label: label(&sub.Meta, ""), Parent: z, Account: sub.Owner, Region: sub.Region, VPC: v.ID, State: sub.State, CIDRs: blocks})
		}
		for _, z := range v.Zones {
			g.node(Node{ID: z.ID, Kind: KindHostedZone, Label: strings.TrimSuffix(z.Name, "."), Detail: "private hosted zone", Account: z.Owner})
			g.edge(Edge{Kind: EdgeZone, Source: z.ID, Target: v.ID, Label: "associated"})
		}
	}
}

// inVPC is the parent of something in a VPC: its subnet when the
// snapshot has it, else the VPC.
func (g *graph) inVPC(vpc, subnet string) string {
	if g.ids[subnet] {
		return subnet
	}
	if g.ids[vpc] {
		return vpc
	}
	return ""
}

func (g *graph) gateways() {
	for _, gw := range g.s.InternetGateways() {
		for _, a := range gw.Attachments {
			if g.ids[a.VpcID] {
				g.node(Node{ID: gw.ID, Kind: KindInternetGateway, Label: label(&gw.Meta, ""), Detail: "internet gateway", Parent: a.VpcID, Account: gw.Owner, Region: gw.Region, VPC: a.VpcID, State: a.State})
			}
		}
	}
	for _, gw := range g.s.EgressOnlyInternetGateways() {
		for _, a := range gw.Attachments {
			if g.ids[a.VpcID] {
				g.node(Node{ID: gw.ID, Kind: KindEgressOnly, Label: label(&gw.Meta, ""), Detail: "egress-only internet gateway", Parent: a.VpcID, Account: gw.Owner, Region: gw.Region, VPC: a.VpcID, State: a.State})
			}
		}
	}
	for _, gw := range g.s.VPNGateways() {
		vpc := gw.AttachedVPC()
		n := Node{ID: gw.ID, Kind: KindVPNGateway, Label: label(&gw.Meta, ""), Detail: "virtual private gateway", Account: gw.Owner, Region: gw.Region}
		if g.ids[vpc] {
			n.Parent, n.VPC, n.State = vpc, vpc, "attached"
		}
		g.node(n)
	}
	for _, nat := range g.s.NATGateways() {
		if nat.State == "deleted" {
			continue
		}
		n := Node{ID: nat.ID, Kind: KindNATGateway, Label: label(&nat.Meta, ""), Detail: nat.ConnectivityType + " NAT gateway", Parent: g.inVPC(nat.VpcID, nat.SubnetID), Account: nat.Owner, Region: nat.Region, VPC: nat.VpcID, State: nat.State}
		for _, a := range nat.Addresses {
			n.Addresses = appendSet(n.Addresses, a.PrivateIP, a.PublicIP)
			n.Aliases = appendSet(n.Aliases, a.NetworkInterfaceID)
		}
		g.node(n)
		if v := g.s.VPC(nat.VpcID); v != nil && v.InternetGateway != nil && nat.ConnectivityType != "private" {
			g.edge(Edge{Kind: EdgeNAT, Source: nat.ID, Target: v.InternetGateway.ID})
		}
	}
}

func appendSet(list []string, values ...string) []string {
	for _, v := range values {
		if v != "" && !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

func (g *graph) instances() {
	for _, i := range g.s.Instances() {
		if i.State == "terminated" {
			continue
		}
		n := Node{ID: i.ID, Kind: KindInstance, Label: label(&i.Meta, ""), Detail: i.InstanceType, Parent: g.inVPC(i.VpcID, i.SubnetID), Account: i.Owner, Region: i.Region, VPC: i.VpcID, State: i.State}
		n.Aliases = appendSet(n.Aliases, i.NetworkInterfaces...)
		for _, id := range i.NetworkInterfaces {
			if eni := g.s.Interface(id); eni != nil {
				n.Addresses = appendSet(n.Addresses, addrs(eni)...)
			}
		}
		n.Addresses = appendSet(n.Addresses, i.PrivateIP, i.PublicIP)
		g.node(n)
	}
}

func addrs(n *netview.NetInterface) []string {
	var out []string
	for i, a := range n.Addrs {
		out = append(out, a.String())
		if n.Public[i].IsValid() {
			out = append(out, n.Public[i].String())
		}
	}
	return out
}

// interfaces draws the interfaces nothing else stands for: not an
// instance's, a NAT gateway's, an endpoint's or a load balancer's.
func (g *graph) interfaces() {
	for _, n := range g.s.Interfaces() {
		if n.Instance != nil || n.NAT != nil || n.Endpoint != nil || n.LoadBalancer != nil {
			continue
		}
		g.node(Node{ID: n.ID, Kind: KindInterface, Label: label(&n.Meta, n.Description), Detail: n.InterfaceType, Parent: g.inVPC(n.VpcID, n.SubnetID), Account: n.Owner, Region: n.Region, VPC: n.VpcID, State: n.Status, Addresses: addrs(n)})
	}
}

// holder is the node that stands for the interface holding addr in a
// VPC: its instance, NAT gateway, endpoint, load balancer or itself.
func (g *graph) holder(vpc, addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return ""
	}
	if n := g.s.InterfaceAt(vpc, a); n != nil {
		return holderOf(n)
	}
	return ""
}

func holderOf(n *netview.NetInterface) string {
	switch {
	case n.Instance != nil:
		return n.Instance.ID
	case n.NAT != nil:
		return n.NAT.ID
	case n.Endpoint != nil:
		return n.Endpoint.ID
	case n.LoadBalancer != nil:
		return n.LoadBalancer.ID
	}
	return n.ID
}

func (g *graph) loadBalancers() {
	for _, lb := range g.s.LoadBalancers() {
		parent := lb.VpcID
		if len(lb.Zones) == 1 {
			parent = lb.Zones[0].SubnetID
		}
		n := Node{ID: lb.ID, Kind: KindLoadBalancer, Label: lb.Name, Detail: lb.Type + " load balancer", Parent: g.inVPC(lb.VpcID, parent), Account: lb.Owner, Region: lb.Region, VPC: lb.VpcID, State: cmp.Or(lb.State, "active"), DNSNames: nonEmpty(lb.DNSName())}
		for _, z := range lb.Zones {
			n.Aliases = appendSet(n.Aliases, z.InterfaceID)
			if eni := g.s.Interface(z.InterfaceID); eni != nil {
				n.Addresses = appendSet(n.Addresses, addrs(eni)...)
			}
		}
		g.node(n)
	}
	// The targets each load balancer forwards to, through its listeners.
	for _, lb := range g.s.LoadBalancers() {
		seen := map[string]bool{}
		for _, l := range g.s.Listeners(lb.ID) {
			for _, a := range l.Actions {
				for _, fg := range a.ForwardGroups {
					if seen[fg.ARN] {
						continue
					}
					seen[fg.ARN] = true
					if tg := g.s.TargetGroup(fg.ARN); tg != nil {
						g.targets(lb, tg)
					}
				}
			}
		}
	}
}

func (g *graph) targets(lb *elb.LoadBalancer, tg *elb.TargetGroup) {
	for _, t := range tg.Targets {
		to := t.ID
		if !g.ids[to] {
			to = g.holder(tg.VpcID, t.ID) // an ip target
		}
		if to == "" || !g.ids[to] {
			continue
		}
		l := tg.Name
		if port := cmp.Or(t.Port, tg.Port); port != 0 {
			l += " :" + itoa(int(port))
		}
		g.edge(Edge{ID: EdgeTarget + ":" + lb.ID + ">" + tg.ID + ">" + t.ID, Kind: EdgeTarget, Source: lb.ID, Target: to, Label: l})
	}
}

func (g *graph) endpoints() {
	for _, e := range g.s.Endpoints() {
		if e.State == privatelink.VPCEndpointDeleted {
			continue
		}
		n := Node{ID: e.ID, Label: label(&e.Meta, ""), Detail: e.ServiceName, Account: e.Owner, Region: e.Region, VPC: e.VpcID, State: e.State}
		switch e.Type {
		case privatelink.EndpointTypeGateway:
			n.Kind, n.Parent = KindGatewayEndpoint, g.inVPC(e.VpcID, "")
		case privatelink.EndpointTypeGatewayLoadBalancer:
			n.Kind = KindGWLBEndpoint
		default:
			n.Kind = KindEndpoint
		}
		if n.Parent == "" {
			parent := ""
			if len(e.SubnetIDs) == 1 {
				parent = e.SubnetIDs[0]
			}
			n.Parent = g.inVPC(e.VpcID, parent)
		}
		n.Aliases = appendSet(n.Aliases, e.NetworkInterfaceIDs...)
		for _, eni := range e.Interfaces {
			n.Addresses = appendSet(n.Addresses, addrs(eni)...)
		}
		for _, d := range e.DNSEntries {
			n.DNSNames = appendSet(n.DNSNames, d.DNSName)
		}
		g.node(n)
		switch {
		case e.Service != nil:
			g.service(e.Service)
			g.edge(Edge{Kind: EdgePrivateLink, Source: e.ID, Target: e.Service.ID, Label: e.State, State: e.State})
		case e.AWSService != nil:
			id := "aws:" + e.ServiceName
			g.node(Node{ID: id, Kind: KindAWSService, Label: e.AWSService.Service, Detail: e.ServiceName, Region: e.AWSService.Region})
			kind := EdgePrivateLink
			if e.Type == privatelink.EndpointTypeGateway {
				kind = EdgeGateway
			}
			g.edge(Edge{Kind: kind, Source: e.ID, Target: id, Label: e.State, State: e.State})
		}
	}
}

func (g *graph) service(svc *privatelink.ServiceConfiguration) {
	if g.ids[svc.ID] {
		return
	}
	g.node(Node{ID: svc.ID, Kind: KindEndpointService, Label: label(&svc.Meta, ""), Detail: svc.ServiceName(), Account: svc.Owner, Region: svc.Region, State: svc.State, DNSNames: nonEmpty(svc.PrivateDNSName)})
	for _, arn := range svc.LoadBalancerARNs() {
		if g.ids[arn] {
			g.edge(Edge{Kind: EdgeServiceLB, Source: svc.ID, Target: arn})
		}
	}
}

// services draws the endpoint services no endpoint of the snapshot
// connects to yet.
func (g *graph) services() {
	for _, svc := range g.s.EndpointServices() {
		if svc.State != "Deleted" {
			g.service(svc)
		}
	}
}

func (g *graph) peerings() {
	for _, p := range g.s.Peerings() {
		from, to := p.Requester, p.Accepter
		for _, side := range []network.PeeringVPC{from, to} {
			if !g.ids[side.VpcID] {
				g.node(Node{ID: side.VpcID, Kind: KindRemoteVPC, Label: side.VpcID, Detail: "not read", Account: side.OwnerID, Region: side.Region, CIDRs: side.CIDRBlocks})
			}
		}
		g.edge(Edge{ID: p.ID, Kind: EdgePeering, Source: from.VpcID, Target: to.VpcID, Label: cmp.Or(p.Tags["Name"], p.ID) + " (" + p.Status + ")", State: p.Status})
	}
}

func (g *graph) directConnect() {
	for _, o := range g.s.OnPremisesAll() {
		v := o.VIF
		prem := "on-premises:" + v.ID
		g.node(Node{ID: prem, Kind: KindOnPremises, Label: "on premises", Detail: v.Location, Account: v.Owner, Addresses: nonEmpty(v.CustomerAddress)})
		g.node(Node{ID: v.ID, Kind: KindVirtualInterface, Label: cmp.Or(v.Name, v.ID), Detail: v.Type + " VIF, VLAN " + itoa(v.Vlan), Account: v.Owner, Region: v.Region, State: v.State})
		g.edge(Edge{Kind: EdgeDX, Source: prem, Target: v.ID, State: v.State})
		via := v.ID
		if v.GatewayID != "" {
			g.node(Node{ID: v.GatewayID, Kind: KindDXGateway, Label: v.GatewayID, Detail: "Direct Connect gateway"})
			g.edge(Edge{Kind: EdgeDX, Source: v.ID, Target: v.GatewayID})
			via = v.GatewayID
		}
		for _, l := range o.Links {
			if g.ids[l.VGWID] {
				g.edge(Edge{Kind: EdgeDX, Source: via, Target: l.VGWID, Label: strings.Join(l.AllowedPrefixes, ", ")})
			}
		}
	}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }
