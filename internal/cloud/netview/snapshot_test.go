package netview

import (
	"net/netip"
	"testing"

	"github.com/vpcemu/vpcemu/internal/awsservices"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// snapshotOf reads a snapshot of the fixture's scope, following peerings
// when asked.
func (f fixture) snapshotOf(follow bool) *Snapshot {
	f.t.Helper()
	s, err := Build(f.ctx, f.c, SnapshotInput{Scopes: []cloud.Scope{f.who.Scope()}, FollowConnections: follow})
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func TestSnapshotLinksTheNetwork(t *testing.T) {
	f := newFixture(t, "")
	other, err := f.net.CreateSubnet(f.ctx, f.who, network.CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.2.0/24"})
	f.must(err)
	rt, err := f.net.CreateRouteTable(f.ctx, f.who, f.vpc.ID, nil)
	f.must(err)
	_, err = f.net.AssociateRouteTable(f.ctx, f.who, rt.ID, other.ID, "")
	f.must(err)
	acl, err := f.net.CreateNetworkACL(f.ctx, f.who, f.vpc.ID, nil)
	f.must(err)
	g, err := f.net.CreateSecurityGroup(f.ctx, f.who, network.CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "web", Description: "web"})
	f.must(err)
	eni, err := f.net.CreateNetworkInterface(f.ctx, f.who, network.CreateNetworkInterfaceInput{SubnetID: other.ID, Groups: []string{g.ID}, SecondaryCount: 1})
	f.must(err)
	igw, err := f.net.CreateInternetGateway(f.ctx, f.who, nil)
	f.must(err)
	f.must(f.net.AttachInternetGateway(f.ctx, f.who, igw.ID, f.vpc.ID))
	addr, err := f.net.AllocateAddress(f.ctx, f.who, network.AllocateAddressInput{})
	f.must(err)
	_, err = f.net.AssociateAddress(f.ctx, f.who, network.AssociateAddressInput{AllocationID: addr.ID, NetworkInterfaceID: eni.ID})
	f.must(err)

	s := f.snapshotOf(false)
	sub, sub2 := s.Subnet(f.subnet.ID), s.Subnet(other.ID)
	if sub.RouteTable.ID != f.vpc.MainRouteTableID || sub2.RouteTable.ID != rt.ID {
		t.Errorf("route tables: %s and %s, want the main table %s and %s", sub.RouteTable.ID, sub2.RouteTable.ID, f.vpc.MainRouteTableID, rt.ID)
	}
	if sub.ACL.ID != f.vpc.DefaultNetworkACLID || s.NetworkACL(acl.ID) == nil {
		t.Errorf("network ACL %s, want the default %s", sub.ACL.ID, f.vpc.DefaultNetworkACLID)
	}
	if sub.VPC != s.VPC(f.vpc.ID) || len(sub.VPC.Subnets) != 2 || sub.Block != netip.MustParsePrefix("10.0.1.0/24") || sub.VPC.InternetGateway.ID != igw.ID {
		t.Errorf("subnet %s not linked to its VPC", sub.ID)
	}
	n := s.Interface(eni.ID)
	if len(n.Addrs) != 2 || n.Addrs[0] != netip.MustParseAddr(eni.PrimaryIP()) || n.Subnet != sub2 {
		t.Fatalf("interface addresses %v, want the primary %s first", n.Addrs, eni.PrimaryIP())
	}
	for _, a := range n.Addrs {
		if s.InterfaceAt(f.vpc.ID, a) != n {
			t.Errorf("%s does not find %s", a, eni.ID)
		}
	}
	pub := netip.MustParseAddr(addr.PublicIP)
	if got, ok := n.PublicFor(n.Addrs[0]); !ok || got != pub || s.InterfaceWithPublicIP(pub) != n {
		t.Errorf("public address %s not mapped to the primary address", pub)
	}
	if grp := s.SecurityGroup(g.ID); len(grp.Members) != 1 || grp.Members[0] != n || n.SecurityGroups[0] != grp {
		t.Errorf("group %s members %v", g.ID, grp.Members)
	}
	if len(s.Interfaces()) != 1 || len(s.VPCs()) != 2 { // the default VPC too
		t.Errorf("%d interfaces and %d VPCs", len(s.Interfaces()), len(s.VPCs()))
	}
}

func TestSnapshotRouteLookup(t *testing.T) {
	f := newFixture(t, "")
	igw, err := f.net.CreateInternetGateway(f.ctx, f.who, nil)
	f.must(err)
	f.must(f.net.AttachInternetGateway(f.ctx, f.who, igw.ID, f.vpc.ID))
	eni, err := f.net.CreateNetworkInterface(f.ctx, f.who, network.CreateNetworkInterfaceInput{SubnetID: f.subnet.ID})
	f.must(err)
	list, err := f.net.CreateManagedPrefixList(f.ctx, f.who, network.CreatePrefixListInput{Name: "l", AddressFamily: "IPv4", MaxEntries: 4,
		Entries: []network.PrefixListEntry{{CIDR: "198.51.100.0/24"}, {CIDR: "203.0.113.0/24"}}})
	f.must(err)
	rt := f.vpc.MainRouteTableID
	for _, r := range []network.Route{
		{DestinationCIDR: "0.0.0.0/0", GatewayID: igw.ID},
		{DestinationPrefixListID: list.ID, NetworkInterfaceID: eni.ID},
		{DestinationCIDR: "198.51.100.0/24", GatewayID: igw.ID},
	} {
		f.must(f.net.CreateRoute(f.ctx, f.who, rt, r))
	}
	s := f.snapshotOf(false)
	table := s.RouteTable(rt)
	for _, c := range []struct {
		addr, dest, hidden, state string
	}{
		{"10.0.1.9", "10.0.0.0/16", "0.0.0.0/0", "active"},
		{"198.51.100.7", "198.51.100.0/24", list.ID, "active"}, // a block route before a list's of the same length
		{"203.0.113.7", list.ID, "0.0.0.0/0", "blackhole"},     // a detached interface forwards nothing
		{"8.8.8.8", "0.0.0.0/0", "", "active"},
	} {
		best, hidden := table.Lookup(netip.MustParseAddr(c.addr))
		if best == nil || best.Destination() != c.dest {
			t.Errorf("%s: route %v, want %s", c.addr, best, c.dest)
			continue
		}
		if got := ""; hidden != nil {
			if got = hidden.Destination(); got != c.hidden {
				t.Errorf("%s: hidden route %s, want %s", c.addr, got, c.hidden)
			}
		} else if c.hidden != "" {
			t.Errorf("%s: no hidden route, want %s", c.addr, c.hidden)
		}
		if best.State != c.state {
			t.Errorf("%s: route state %s, want %s", c.addr, best.State, c.state)
		}
	}
	// A route to a gateway no longer attached is a blackhole.
	f.must(f.net.DetachInternetGateway(f.ctx, f.who, igw.ID, f.vpc.ID))
	best, _ := f.snapshotOf(false).RouteTable(rt).Lookup(netip.MustParseAddr("8.8.8.8"))
	if best.State != "blackhole" {
		t.Errorf("route to a detached gateway: %s, want blackhole", best.State)
	}
}

func TestSnapshotCompilesRules(t *testing.T) {
	f := newFixture(t, "")
	g, err := f.net.CreateSecurityGroup(f.ctx, f.who, network.CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "web", Description: "web"})
	f.must(err)
	s3, _ := awsservices.PrefixListOf(f.who.Region, "s3")
	port := int32(443)
	_, _, err = f.net.AuthorizeSecurityGroupRules(f.ctx, f.who, network.AuthorizeInput{Group: network.GroupRef{ID: g.ID}, Egress: true, Permissions: []network.Permission{
		{Protocol: "tcp", FromPort: &port, ToPort: &port, Peers: []network.Peer{{Kind: network.PeerPrefixList, PrefixListID: s3.ID}}},
	}})
	f.must(err)
	_, _, err = f.net.AuthorizeSecurityGroupRules(f.ctx, f.who, network.AuthorizeInput{Group: network.GroupRef{ID: g.ID}, Permissions: []network.Permission{
		{Protocol: "udp", FromPort: &port, ToPort: &port, Peers: []network.Peer{{Kind: network.PeerGroup, GroupID: g.ID}, {Kind: network.PeerIPv4, CIDR: "10.0.0.0/8"}}},
	}})
	f.must(err)
	grp := f.snapshotOf(false).SecurityGroup(g.ID)
	if len(grp.Ingress) != 2 || len(grp.Egress) != 2 {
		t.Fatalf("%d inbound and %d outbound rules, want 2 and 2 (with the default outbound rule)", len(grp.Ingress), len(grp.Egress))
	}
	for _, r := range grp.Ingress {
		if r.Proto != 17 || (r.Referenced != grp) == (len(r.Blocks) == 0) {
			t.Errorf("inbound rule %+v: protocol %d, referenced %v, blocks %v", r.SecurityGroupRule, r.Proto, r.Referenced, r.Blocks)
		}
	}
	var pl *NetRule
	for i := range grp.Egress {
		if grp.Egress[i].PrefixListID != "" {
			pl = &grp.Egress[i]
		}
	}
	if pl == nil || len(pl.Blocks) != len(s3.CIDRs) || pl.Proto != 6 {
		t.Errorf("prefix-list rule %+v, want the %d blocks of %s", pl, len(s3.CIDRs), s3.ID)
	}
}

func TestSnapshotFollowsPeerings(t *testing.T) {
	f := newFixture(t, "")
	b := f
	b.who = bob
	peer, err := b.net.CreateVPC(b.ctx, bob, network.CreateVPCInput{CIDRBlock: "10.1.0.0/16"})
	f.must(err)
	p, err := f.net.CreateVPCPeeringConnection(f.ctx, f.who, network.CreatePeeringInput{VpcID: f.vpc.ID, PeerVpcID: peer.ID, PeerOwnerID: bob.Account})
	f.must(err)
	_, err = b.net.AcceptVPCPeeringConnection(b.ctx, bob, p.ID)
	f.must(err)

	alone := f.snapshotOf(false)
	if alone.VPC(peer.ID) != nil || len(alone.Scopes()) != 1 {
		t.Errorf("a snapshot of one scope holds the peer VPC")
	}
	if got := alone.Peering(p.ID); got == nil || got.Status != network.PeeringActive {
		t.Fatalf("peering %v, want it active", got)
	}
	all := f.snapshotOf(true)
	if all.VPC(peer.ID) == nil || len(all.Scopes()) != 2 {
		t.Fatalf("following peerings: scopes %v", all.Scopes())
	}
	side, ok := all.Peering(p.ID).Peer(f.vpc.ID)
	if !ok || side.VpcID != peer.ID || len(all.VPC(f.vpc.ID).Peerings) != 1 || len(all.VPC(peer.ID).Peerings) != 1 {
		t.Errorf("peering not linked to both VPCs")
	}
}
