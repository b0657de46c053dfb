package netview

import (
	"cmp"
	"context"
	"net/netip"
	"slices"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsservices"
	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/cloud/route53"
	"github.com/vpcemu/vpcemu/internal/ipproto"
)

// Snapshot is a consistent, read-only picture of the network of some
// scopes, read in one store transaction, with the indexes the reachability
// engine needs: addresses to interfaces, subnets to their route table and
// network ACL, route tables in lookup order, security group rules compiled
// and their members. Every value it hands out is shared: nothing in it may
// be modified, and it is safe for concurrent readers.
type Snapshot struct {
	// At is when the snapshot was taken; state that depends on time (a
	// peering request nobody answered expires) is as of At.
	At     time.Time
	scopes []cloud.Scope

	vpcs          map[string]*NetVPC
	subnets       map[string]*NetSubnet
	tables        map[string]*NetRouteTable
	acls          map[string]*NetACL
	groups        map[string]*NetGroup
	interfaces    map[string]*NetInterface
	instances     map[string]*network.Instance
	igws          map[string]*network.InternetGateway
	eigws         map[string]*network.EgressOnlyInternetGateway
	nats          map[string]*network.NATGateway
	vgws          map[string]*network.VPNGateway
	onPremises    map[string]*directconnect.OnPremises
	peerings      map[string]*network.VPCPeeringConnection
	prefixLists   map[string]*NetPrefixList
	loadBalancers map[string]*elb.LoadBalancer
	targetGroups  map[string]*elb.TargetGroup
	listeners     map[string]*elb.Listener
	endpoints     map[string]*NetEndpoint
	services      map[string]*privatelink.ServiceConfiguration
	// lbListeners are each load balancer's listeners, by port.
	lbListeners map[string][]*elb.Listener
	// endpointNames finds endpoints by their own DNS names.
	endpointNames map[string][]*NetEndpoint

	// edgeTables are the tables associated with gateways (ingress routing).
	edgeTables map[string]*NetRouteTable
	// private finds the interface holding a private address in a VPC;
	// public the one a public address maps to.
	private map[vpcAddr]*NetInterface
	public  map[netip.Addr]*NetInterface
	// holders are the interfaces holding a private address, in any VPC.
	holders map[netip.Addr][]*NetInterface
}

type vpcAddr struct {
	vpc  string
	addr netip.Addr
}

// NetVPC is a VPC as the snapshot links it.
type NetVPC struct {
	*network.VPC
	// Blocks are the VPC's IPv4 blocks; Blocks6 its IPv6 blocks.
	Blocks  []netip.Prefix
	Blocks6 []netip.Prefix
	Subnets []*NetSubnet // in id order
	// MainTable is the table of subnets without an association of their own.
	MainTable *NetRouteTable
	// InternetGateway is the internet gateway attached to the VPC, or nil.
	InternetGateway *network.InternetGateway
	// VPNGateway is the virtual private gateway attached to the VPC, or
	// nil.
	VPNGateway *network.VPNGateway
	// Peerings are the connections that hold the VPC, in any state.
	Peerings []*network.VPCPeeringConnection
	// Endpoints are the VPC's endpoints, in id order.
	Endpoints []*NetEndpoint
	// Zones are the private hosted zones associated with the VPC, with
	// their record sets, when the snapshot was asked to read them.
	Zones []*route53.ZoneRecords
}

// Contains reports whether addr is in one of the VPC's blocks, IPv4 or
// IPv6.
func (v *NetVPC) Contains(addr netip.Addr) bool {
	return cidr.AnyContains(v.Blocks, addr) || cidr.AnyContains(v.Blocks6, addr)
}

// SubnetOf is the VPC's subnet whose block (IPv4 or IPv6) holds addr, or
// nil.
func (v *NetVPC) SubnetOf(addr netip.Addr) *NetSubnet {
	for _, s := range v.Subnets {
		if s.Contains(addr) {
			return s
		}
	}
	return nil
}

// NetSubnet is a subnet as the snapshot links it.
type NetSubnet struct {
	*network.Subnet
	// Block is the subnet's IPv4 block (the zero Prefix in an IPv6-only
	// subnet); Block6 its IPv6 block, if it has one.
	Block  netip.Prefix
	Block6 netip.Prefix
	VPC    *NetVPC
	// RouteTable is the subnet's table: its own association or the VPC's
	// main table.
	RouteTable *NetRouteTable
	// ACL is the subnet's network ACL.
	ACL *NetACL
}

// Contains reports whether addr is in one of the subnet's blocks.
func (s *NetSubnet) Contains(addr netip.Addr) bool {
	return s.Block.Contains(addr) || s.Block6.Contains(addr)
}

// NetRouteTable is a route table with its routes in lookup order.
type NetRouteTable struct {
	*network.RouteTable
	// order lists the routes, a prefix-list route once per block, most
	// preferred first: longest prefix, then a block route before a
	// prefix-list route before a propagated one.
	order []NetRoute
}

// NetRoute is one route of a table for one destination block. Route is the
// stored route with its State resolved.
type NetRoute struct {
	*network.Route
	Block netip.Prefix
}

// routeRank orders routes of the same prefix length, as AWS prefers them.
func (r *NetRoute) routeRank() int {
	switch {
	case r.Origin == network.OriginPropagated:
		return 2
	case r.DestinationPrefixListID != "":
		return 1
	}
	return 0
}

// Routes are the table's routes in lookup order, a prefix-list route once
// per block.
func (t *NetRouteTable) Routes() []NetRoute { return t.order }

// Lookup returns the route the table sends addr by (nil when none
// matches) and the best of the other routes that match, which the first
// hides (nil when none does).
func (t *NetRouteTable) Lookup(addr netip.Addr) (best, hidden *NetRoute) {
	for i := range t.order {
		r := &t.order[i]
		if !r.Block.Contains(addr) {
			continue
		}
		if best == nil {
			best = r
			continue
		}
		if r.Route != best.Route {
			return best, r
		}
	}
	return best, nil
}

// NetGroup is a security group with its rules compiled and the interfaces
// that carry it.
type NetGroup struct {
	*network.SecurityGroup
	Ingress, Egress []NetRule
	// Members are the interfaces in the snapshot that carry the group.
	Members []*NetInterface
}

// Rules are the group's rules of one direction.
func (g *NetGroup) Rules(egress bool) []NetRule {
	if egress {
		return g.Egress
	}
	return g.Ingress
}

// NetRule is a security group rule ready to match packets.
type NetRule struct {
	*network.SecurityGroupRule
	// Proto is the rule's protocol (ipproto.All for all; a stored rule
	// always parses).
	Proto ipproto.Proto
	// Blocks are the peer's blocks: the rule's CIDR or its prefix list's
	// entries. A rule that references a group has none.
	Blocks []netip.Prefix
	// Referenced is the group the rule references, or nil when it does not
	// or the group is not in the snapshot.
	Referenced *NetGroup
}

// NetInterface is a network interface as the snapshot links it.
type NetInterface struct {
	*network.NetworkInterface
	Subnet *NetSubnet
	// Addrs are the private IPv4 addresses, the primary first, then the
	// IPv6 addresses (which need no public mapping: they are reachable
	// from the internet as they are); Public[i] is the public address
	// mapped to Addrs[i], or the zero Addr.
	Addrs  []netip.Addr
	Public []netip.Addr
	// SecurityGroups are the interface's groups found in the snapshot.
	SecurityGroups []*NetGroup
	// Instance is the instance the interface is attached to, or nil; NAT
	// the NAT gateway it belongs to, or nil.
	Instance *network.Instance
	NAT      *network.NATGateway
	// Endpoint is the VPC endpoint the interface belongs to, or nil;
	// LoadBalancer the load balancer.
	Endpoint     *NetEndpoint
	LoadBalancer *elb.LoadBalancer
}

// Has reports whether addr is one of the interface's private addresses.
func (n *NetInterface) Has(addr netip.Addr) bool { return slices.Contains(n.Addrs, addr) }

// FirstOf is the interface's first address of one family (IPv6 when v6),
// or the zero Addr.
func (n *NetInterface) FirstOf(v6 bool) netip.Addr {
	for _, a := range n.Addrs {
		if a.Is6() == v6 {
			return a
		}
	}
	return netip.Addr{}
}

// PublicFor is the public address mapped to the private address addr.
func (n *NetInterface) PublicFor(addr netip.Addr) (netip.Addr, bool) {
	i := slices.Index(n.Addrs, addr)
	if i < 0 || !n.Public[i].IsValid() {
		return netip.Addr{}, false
	}
	return n.Public[i], true
}

// NetPrefixList is a managed prefix list with its blocks parsed.
type NetPrefixList struct {
	*network.ManagedPrefixList
	Blocks []netip.Prefix
}

// Contains reports whether addr is in one of the list's blocks.
func (l *NetPrefixList) Contains(addr netip.Addr) bool { return cidr.AnyContains(l.Blocks, addr) }

// Scopes are the accounts and regions the snapshot read.
func (s *Snapshot) Scopes() []cloud.Scope { return s.scopes }

// VPC returns a VPC, or nil. The other lookups by id below do the same.
func (s *Snapshot) VPC(id string) *NetVPC                    { return s.vpcs[id] }
func (s *Snapshot) Subnet(id string) *NetSubnet              { return s.subnets[id] }
func (s *Snapshot) RouteTable(id string) *NetRouteTable      { return s.tables[id] }
func (s *Snapshot) NetworkACL(id string) *NetACL             { return s.acls[id] }
func (s *Snapshot) SecurityGroup(id string) *NetGroup        { return s.groups[id] }
func (s *Snapshot) Interface(id string) *NetInterface        { return s.interfaces[id] }
func (s *Snapshot) Instance(id string) *network.Instance     { return s.instances[id] }
func (s *Snapshot) NATGateway(id string) *network.NATGateway { return s.nats[id] }
func (s *Snapshot) VPNGateway(id string) *network.VPNGateway { return s.vgws[id] }

// OnPremises is a private virtual interface the snapshot's scopes see,
// settled as of At, with the virtual private gateways behind it; or nil.
func (s *Snapshot) OnPremises(vifID string) *directconnect.OnPremises { return s.onPremises[vifID] }

// OnPremisesBehind lists the private virtual interfaces linked to a
// virtual private gateway, in id order.
func (s *Snapshot) OnPremisesBehind(vgwID string) []*directconnect.OnPremises {
	var out []*directconnect.OnPremises
	for _, o := range sortedValues(s.onPremises) {
		if o.Link(vgwID) != nil {
			out = append(out, o)
		}
	}
	return out
}
func (s *Snapshot) PrefixList(id string) *NetPrefixList       { return s.prefixLists[id] }
func (s *Snapshot) LoadBalancer(arn string) *elb.LoadBalancer { return s.loadBalancers[arn] }
func (s *Snapshot) TargetGroup(arn string) *elb.TargetGroup   { return s.targetGroups[arn] }
func (s *Snapshot) Listener(arn string) *elb.Listener         { return s.listeners[arn] }
func (s *Snapshot) InternetGateway(id string) *network.InternetGateway {
	return s.igws[id]
}
func (s *Snapshot) EgressOnlyInternetGateway(id string) *network.EgressOnlyInternetGateway {
	return s.eigws[id]
}

// Peering returns a peering connection, its Status as of At, or nil.
func (s *Snapshot) Peering(id string) *network.VPCPeeringConnection { return s.peerings[id] }

// EdgeRouteTable is the table associated with a gateway, or nil.
func (s *Snapshot) EdgeRouteTable(gatewayID string) *NetRouteTable { return s.edgeTables[gatewayID] }

// InterfaceAt is the interface that holds the private address addr in a
// VPC, or nil.
func (s *Snapshot) InterfaceAt(vpcID string, addr netip.Addr) *NetInterface {
	return s.private[vpcAddr{vpcID, addr}]
}

// InterfacesHolding are the interfaces that hold a private address, in
// any VPC of the snapshot (VPCs' blocks may overlap).
func (s *Snapshot) InterfacesHolding(addr netip.Addr) []*NetInterface { return s.holders[addr] }

// InterfaceWithPublicIP is the interface a public address maps to, or nil.
func (s *Snapshot) InterfaceWithPublicIP(addr netip.Addr) *NetInterface { return s.public[addr] }

// Interfaces lists every interface of the snapshot, in id order.
func (s *Snapshot) Interfaces() []*NetInterface { return sortedValues(s.interfaces) }

// LoadBalancers lists every load balancer of the snapshot, in ARN order.
func (s *Snapshot) LoadBalancers() []*elb.LoadBalancer { return sortedValues(s.loadBalancers) }

// VPCs lists every VPC of the snapshot, in id order.
func (s *Snapshot) VPCs() []*NetVPC { return sortedValues(s.vpcs) }

func sortedValues[T any](m map[string]*T) []*T {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]*T, len(ids))
	for i, id := range ids {
		out[i] = m[id]
	}
	return out
}

// SnapshotInput says what a snapshot covers.
type SnapshotInput struct {
	// Scopes are the accounts and regions to read; Every reads every scope
	// that has worked in vpcemu instead.
	Scopes []cloud.Scope
	Every  bool
	// FollowConnections also reads the scopes that the scopes' VPCs are
	// connected to, and so on, so that paths can cross into them: those of
	// the VPCs they peer with (pending or active connections), and those
	// of the endpoint services their VPC endpoints connect to (the
	// provider's account, in the service's region).
	FollowConnections bool
	// Zones also reads the private hosted zones associated with the VPCs
	// read, with their record sets: what a DNS name resolves to needs them;
	// nothing else does.
	Zones bool
}

// Build reads the network of some scopes in one store transaction.
func Build(ctx context.Context, c *cloud.Cloud, in SnapshotInput) (*Snapshot, error) {
	start, every := time.Now(), in.Every
	snap, err := build(ctx, c, in)
	c.Observer().SnapshotBuilt(every, time.Since(start), err)
	return snap, err
}

func build(ctx context.Context, c *cloud.Cloud, in SnapshotInput) (*Snapshot, error) {
	var snap *Snapshot
	err := c.ReadScopes(ctx, in.Scopes, func(t *cloud.Txn) error {
		b := newSnapshotBuilder(t.StoreTx, t.Now)
		if in.Every {
			var err error
			if in.Scopes, err = cloud.Scopes(t); err != nil {
				return err
			}
		}
		if err := b.read(in); err != nil {
			return err
		}
		if in.Zones {
			if err := b.readZones(); err != nil {
				return err
			}
		}
		var err error
		snap, err = b.link()
		return err
	})
	return snap, err
}

// snapshotBuilder reads the records of a snapshot, then links them.
type snapshotBuilder struct {
	tx     cloud.StoreTx
	s      *Snapshot
	loaded map[cloud.Scope]bool
	vpcs   []*network.VPC
	tables []*network.RouteTable
	raw    map[string]*network.NetworkInterface
	groups []*network.SecurityGroup
	lists  []*network.ManagedPrefixList
	zones  map[string][]*route53.ZoneRecords // by VPC id
}

func newSnapshotBuilder(tx cloud.StoreTx, now time.Time) *snapshotBuilder {
	return &snapshotBuilder{
		tx: tx, loaded: map[cloud.Scope]bool{}, raw: map[string]*network.NetworkInterface{},
		s: &Snapshot{
			At: now, vpcs: map[string]*NetVPC{}, subnets: map[string]*NetSubnet{}, tables: map[string]*NetRouteTable{},
			acls: map[string]*NetACL{}, groups: map[string]*NetGroup{}, interfaces: map[string]*NetInterface{},
			instances: map[string]*network.Instance{}, igws: map[string]*network.InternetGateway{}, eigws: map[string]*network.EgressOnlyInternetGateway{},
			nats: map[string]*network.NATGateway{}, vgws: map[string]*network.VPNGateway{}, onPremises: map[string]*directconnect.OnPremises{}, peerings: map[string]*network.VPCPeeringConnection{}, prefixLists: map[string]*NetPrefixList{},
			loadBalancers: map[string]*elb.LoadBalancer{}, targetGroups: map[string]*elb.TargetGroup{}, listeners: map[string]*elb.Listener{},
			endpoints: map[string]*NetEndpoint{}, services: map[string]*privatelink.ServiceConfiguration{}, lbListeners: map[string][]*elb.Listener{},
			endpointNames: map[string][]*NetEndpoint{},
			edgeTables:    map[string]*NetRouteTable{}, private: map[vpcAddr]*NetInterface{}, public: map[netip.Addr]*NetInterface{},
			holders: map[netip.Addr][]*NetInterface{},
		},
	}
}

// read loads the scopes' records and, when asked, those of the scopes
// their peerings reach.
func (b *snapshotBuilder) read(in SnapshotInput) error {
	queue := slices.Clone(in.Scopes)
	for len(queue) > 0 {
		sc := queue[0]
		queue = queue[1:]
		if b.loaded[sc] {
			continue
		}
		b.loaded[sc] = true
		b.s.scopes = append(b.s.scopes, sc)
		if err := b.readScope(sc); err != nil {
			return err
		}
		if !in.FollowConnections {
			continue
		}
		for _, p := range sortedValues(b.s.peerings) {
			if p.Status == network.PeeringPending || p.Status == network.PeeringActive {
				queue = append(queue, p.Scope(), p.Accepter.Scope())
			}
		}
		queue = append(queue, b.providerScopes()...)
	}
	return nil
}

func (b *snapshotBuilder) readScope(sc cloud.Scope) error {
	s, tx, now := b.s, b.tx, b.s.At
	scans := []func() error{
		func() error { return cloud.ScanScope(tx, sc, now, func(v *network.VPC) { b.vpcs = append(b.vpcs, v) }) },
		func() error {
			return cloud.ScanScope(tx, sc, now, func(x *network.Subnet) {
				block, _ := netip.ParsePrefix(x.CIDRBlock) // none in an IPv6-only subnet
				block6, _ := x.IPv6Prefix()
				s.subnets[x.ID] = &NetSubnet{Subnet: x, Block: block, Block6: block6}
			})
		},
		func() error {
			return cloud.ScanScope(tx, sc, now, func(x *network.RouteTable) { b.tables = append(b.tables, x) })
		},
		func() error {
			return cloud.ScanScope(tx, sc, now, func(x *network.NetworkACL) { s.acls[x.ID] = CompileACL(x) })
		},
		func() error {
			return cloud.ScanScope(tx, sc, now, func(x *network.SecurityGroup) { b.groups = append(b.groups, x) })
		},
		func() error {
			return cloud.ScanScope(tx, sc, now, func(x *network.NetworkInterface) { b.raw[x.ID] = x })
		},
		func() error { return cloud.ScanScope(tx, sc, now, func(x *network.Instance) { s.instances[x.ID] = x }) },
		func() error {
			return cloud.ScanScope(tx, sc, now, func(x *network.InternetGateway) { s.igws[x.ID] = x })
		},
		func() error {
			return cloud.ScanScope(tx, sc, now, func(x *network.EgressOnlyInternetGateway) { s.eigws[x.ID] = x })
		},
		func() error { return cloud.ScanScope(tx, sc, now, func(x *network.NATGateway) { s.nats[x.ID] = x }) },
		func() error { return cloud.ScanScope(tx, sc, now, func(x *network.VPNGateway) { s.vgws[x.ID] = x }) },
		func() error {
			vifs, err := directconnect.ReadOnPremises(tx, now, sc)
			for _, o := range vifs {
				s.onPremises[o.VIF.ID] = o
			}
			return err
		},
		func() error {
			return cloud.ScanScope(tx, sc, now, func(x *network.ManagedPrefixList) { b.lists = append(b.lists, x) })
		},
		func() error {
			return cloud.ScanScope(tx, sc, now, func(x *elb.LoadBalancer) { s.loadBalancers[x.ID] = x })
		},
		func() error {
			return cloud.ScanScope(tx, sc, now, func(x *elb.TargetGroup) { s.targetGroups[x.ID] = x })
		},
		func() error { return cloud.ScanScope(tx, sc, now, func(x *elb.Listener) { s.listeners[x.ID] = x }) },
		func() error { return b.readPeerings(sc) },
		func() error {
			return cloud.ScanScope(tx, sc, now, func(x *privatelink.VPCEndpoint) { s.endpoints[x.ID] = &NetEndpoint{VPCEndpoint: x} })
		},
		func() error {
			return cloud.ScanScope(tx, sc, now, func(x *privatelink.ServiceConfiguration) { s.services[x.ID] = x })
		},
	}
	for _, scan := range scans {
		if err := scan(); err != nil {
			return err
		}
	}
	if !slices.ContainsFunc(b.s.scopes[:len(b.s.scopes)-1], func(o cloud.Scope) bool { return o.Region == sc.Region }) {
		for _, l := range awsservices.PrefixLists(sc.Region) {
			b.lists = append(b.lists, network.AWSManagedPrefixList(l))
		}
	}
	return nil
}

// readZones loads the private hosted zones of the VPCs read, each zone
// once however many of them it is associated with.
func (b *snapshotBuilder) readZones() error {
	b.zones = map[string][]*route53.ZoneRecords{}
	seen := map[string]*route53.ZoneRecords{}
	for _, v := range b.vpcs {
		zs, err := route53.VPCZones(b.tx, route53.VPC{Region: v.Region, ID: v.ID})
		if err != nil {
			return err
		}
		for _, z := range zs {
			if prev := seen[z.ID]; prev != nil {
				z = prev
			}
			seen[z.ID] = z
			b.zones[v.ID] = append(b.zones[v.ID], z)
		}
	}
	return nil
}

// readPeerings loads the connections a scope sees, from either side.
func (b *snapshotBuilder) readPeerings(sc cloud.Scope) error {
	var derr error
	err := b.tx.Find(cloud.KindVPCPeering, cloud.SeenByKey(sc), func(r *cloud.Record) bool {
		if b.s.peerings[r.ID] != nil {
			return true
		}
		p, err := cloud.Decode[network.VPCPeeringConnection](r)
		if err != nil {
			derr = err
			return false
		}
		p.Status = p.StatusAt(b.s.At)
		b.s.peerings[p.ID] = p
		return true
	})
	if err != nil {
		return err
	}
	return derr
}

// link builds the snapshot's wrappers and indexes from what read loaded.
func (b *snapshotBuilder) link() (*Snapshot, error) {
	s := b.s
	for _, l := range b.lists {
		s.prefixLists[l.ID] = &NetPrefixList{ManagedPrefixList: l, Blocks: cidr.ParseAll(l.CIDRs())}
	}
	for _, v := range b.vpcs {
		s.vpcs[v.ID] = &NetVPC{VPC: v, Blocks: v.Prefixes(), Blocks6: v.IPv6Prefixes(), Zones: b.zones[v.ID]}
	}
	for _, g := range s.igws {
		for _, a := range g.Attachments {
			if v := s.vpcs[a.VpcID]; v != nil {
				v.InternetGateway = g
			}
		}
	}
	for _, g := range s.vgws {
		if v := s.vpcs[g.AttachedVPC()]; v != nil {
			v.VPNGateway = g
		}
	}
	for _, sub := range sortedValues(s.subnets) {
		if sub.VPC = s.vpcs[sub.VpcID]; sub.VPC != nil {
			sub.VPC.Subnets = append(sub.VPC.Subnets, sub)
		}
	}
	for _, p := range sortedValues(s.peerings) {
		for _, side := range []*network.PeeringVPC{&p.Requester, &p.Accepter} {
			if v := s.vpcs[side.VpcID]; v != nil && v.Scope() == side.Scope() {
				side.SetBlocks(v.VPC)
				v.Peerings = append(v.Peerings, p)
			}
		}
	}
	if err := b.linkRouteTables(); err != nil {
		return nil, err
	}
	b.linkACLs()
	b.linkInterfaces()
	b.linkGroups()
	b.linkEndpoints()
	return s, nil
}

func (b *snapshotBuilder) linkRouteTables() error {
	s := b.s
	targets := snapshotTargets{b}
	for _, rt := range b.tables {
		if err := rt.ResolveWith(targets); err != nil {
			return err
		}
		t := &NetRouteTable{RouteTable: rt, order: b.routeOrder(rt)}
		s.tables[rt.ID] = t
		for _, a := range rt.Associations {
			switch {
			case a.Main:
				if v := s.vpcs[rt.VpcID]; v != nil {
					v.MainTable = t
				}
			case a.SubnetID != "":
				if sub := s.subnets[a.SubnetID]; sub != nil {
					sub.RouteTable = t
				}
			case a.GatewayID != "":
				s.edgeTables[a.GatewayID] = t
			}
		}
	}
	for _, sub := range s.subnets {
		if sub.RouteTable == nil && sub.VPC != nil {
			sub.RouteTable = sub.VPC.MainTable
		}
	}
	return nil
}

// routeOrder lists a table's routes, IPv4 and IPv6, in lookup order.
func (b *snapshotBuilder) routeOrder(rt *network.RouteTable) []NetRoute {
	var out []NetRoute
	all := rt.AllRoutes()
	for i := range all {
		r := &all[i]
		switch {
		case r.DestinationCIDR != "":
			if p, err := netip.ParsePrefix(r.DestinationCIDR); err == nil {
				out = append(out, NetRoute{Route: r, Block: p})
			}
		case r.DestinationIPv6CIDR != "":
			if p, err := netip.ParsePrefix(r.DestinationIPv6CIDR); err == nil {
				out = append(out, NetRoute{Route: r, Block: p})
			}
		case r.DestinationPrefixListID != "":
			if l := b.s.prefixLists[r.DestinationPrefixListID]; l != nil {
				for _, p := range l.Blocks {
					out = append(out, NetRoute{Route: r, Block: p})
				}
			}
		}
	}
	slices.SortStableFunc(out, func(x, y NetRoute) int {
		if c := cmp.Compare(y.Block.Bits(), x.Block.Bits()); c != 0 {
			return c
		}
		return cmp.Compare(x.routeRank(), y.routeRank())
	})
	return out
}

func (b *snapshotBuilder) linkACLs() {
	for _, acl := range b.s.acls {
		for _, a := range acl.Associations {
			if sub := b.s.subnets[a.SubnetID]; sub != nil {
				sub.ACL = acl
			}
		}
	}
}

func (b *snapshotBuilder) linkInterfaces() {
	s := b.s
	for _, g := range b.groups {
		s.groups[g.ID] = &NetGroup{SecurityGroup: g}
	}
	for _, raw := range sortedValues(b.raw) {
		n := &NetInterface{NetworkInterface: raw, Subnet: s.subnets[raw.SubnetID]}
		for _, ip := range raw.PrivateIPs {
			a, err := netip.ParseAddr(ip.Address)
			if err != nil {
				continue
			}
			var pub netip.Addr
			if ip.Association != nil {
				pub, _ = netip.ParseAddr(ip.Association.PublicIP)
			}
			// The primary address comes first.
			if ip.Primary {
				n.Addrs, n.Public = append([]netip.Addr{a}, n.Addrs...), append([]netip.Addr{pub}, n.Public...)
			} else {
				n.Addrs, n.Public = append(n.Addrs, a), append(n.Public, pub)
			}
			s.private[vpcAddr{raw.VpcID, a}] = n
			s.holders[a] = append(s.holders[a], n)
			if pub.IsValid() {
				s.public[pub] = n
			}
		}
		for _, ip := range raw.IPv6Addresses {
			if a, err := netip.ParseAddr(ip); err == nil {
				n.Addrs, n.Public = append(n.Addrs, a), append(n.Public, netip.Addr{})
				s.private[vpcAddr{raw.VpcID, a}] = n
				s.holders[a] = append(s.holders[a], n)
			}
		}
		for _, id := range raw.Groups {
			if g := s.groups[id]; g != nil {
				n.SecurityGroups = append(n.SecurityGroups, g)
				g.Members = append(g.Members, n)
			}
		}
		if a := raw.Attachment; a != nil && a.InstanceID != "" {
			n.Instance = s.instances[a.InstanceID]
		}
		s.interfaces[raw.ID] = n
	}
	for _, nat := range s.nats {
		for _, a := range nat.Addresses {
			if n := s.interfaces[a.NetworkInterfaceID]; n != nil {
				n.NAT = nat
			}
		}
	}
}

func (b *snapshotBuilder) linkGroups() {
	for _, g := range b.s.groups {
		for i := range g.SecurityGroup.Rules {
			r := &g.SecurityGroup.Rules[i]
			proto, _ := ipproto.Parse(r.Protocol)
			nr := NetRule{SecurityGroupRule: r, Proto: proto}
			switch {
			case r.CIDRIPv4 != "":
				nr.Blocks = cidr.ParseAll([]string{r.CIDRIPv4})
			case r.CIDRIPv6 != "":
				nr.Blocks = cidr.ParseAll([]string{r.CIDRIPv6})
			case r.PrefixListID != "":
				if l := b.s.prefixLists[r.PrefixListID]; l != nil {
					nr.Blocks = l.Blocks
				}
			case r.ReferencedGroupID != "":
				nr.Referenced = b.s.groups[r.ReferencedGroupID]
			default:
				continue
			}
			if r.Egress {
				g.Egress = append(g.Egress, nr)
			} else {
				g.Ingress = append(g.Ingress, nr)
			}
		}
	}
}

// snapshotTargets finds route targets in what the builder read.
type snapshotTargets struct{ b *snapshotBuilder }

func (t snapshotTargets) InternetGateway(id string) (*network.InternetGateway, error) {
	return t.b.s.igws[id], nil
}

func (t snapshotTargets) EgressOnlyGateway(id string) (*network.EgressOnlyInternetGateway, error) {
	return t.b.s.eigws[id], nil
}

func (t snapshotTargets) NATGateway(id string) (*network.NATGateway, error) {
	return t.b.s.nats[id], nil
}

func (t snapshotTargets) NetworkInterface(id string) (*network.NetworkInterface, error) {
	return t.b.raw[id], nil
}

func (t snapshotTargets) Instance(id string) (*network.Instance, error) {
	return t.b.s.instances[id], nil
}

func (t snapshotTargets) EndpointAvailable(id string) (bool, error) {
	e := t.b.s.endpoints[id]
	return e != nil && e.State == privatelink.VPCEndpointAvailable, nil
}

func (t snapshotTargets) PeeringStatus(id string) (string, error) {
	if p := t.b.s.peerings[id]; p != nil {
		return p.Status, nil
	}
	return network.PeeringDeleted, nil
}

// Exists reads kinds the snapshot does not load (gateways vpcemu does not
// model yet) from the store.
func (t snapshotTargets) Exists(kind cloud.Kind, id string) (bool, error) {
	return network.RecordExists(t.b.tx, kind, id)
}

func (t snapshotTargets) Learned(vpcID, vgwID string) ([]string, error) {
	g := t.b.s.vgws[vgwID]
	if g == nil || g.AttachedVPC() != vpcID {
		return nil, nil
	}
	return network.LearnedPrefixes(t.b.tx, t.b.s.At, vgwID)
}
