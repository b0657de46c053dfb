package reach_test

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/cloud/route53"
	"github.com/vpcemu/vpcemu/internal/cloudstore"
	"github.com/vpcemu/vpcemu/internal/reach"
	"github.com/vpcemu/vpcemu/internal/store/sqlite"
)

// world builds networks through the domain's own use cases, in a fresh
// in-memory store, and analyses paths over snapshots of them.
type world struct {
	t     testing.TB
	store *sqlite.Store
	c     *cloud.Cloud
	net   *network.Service
	pl    *privatelink.Service
	lb    *elb.Service
	dx    *directconnect.Service
	r53   *route53.Service
	ctx   context.Context
	who   cloud.Caller
}

var (
	alice = cloud.Caller{Account: "111111111111", Region: "us-east-1"}
	bob   = cloud.Caller{Account: "222222222222", Region: "us-east-1"}
)

func newWorld(t testing.TB) *world {
	t.Helper()
	w := openWorld(t)
	t.Cleanup(func() { w.store.Close() })
	return w
}

// openWorld is newWorld for a network that outlives the test that built it
// (the benchmarks share one): its store is never closed.
func openWorld(t testing.TB) *world {
	t.Helper()
	s, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC) }
	// The generated topology has a gateway endpoint per VPC: more than
	// AWS's default quota, which AWS raises on request.
	quotas := cloud.WithQuotas(map[string]int{"gateway-endpoints": 1000})
	c := cloud.New(cloudstore.New(s), cloud.WithIDs(cloud.SequentialIDs()), cloud.WithClock(clock), quotas)
	return &world{t: t, store: s, c: c, net: network.New(c), pl: privatelink.New(c), lb: elb.New(c), dx: directconnect.New(c), r53: route53.New(c), ctx: context.Background(), who: alice}
}

// as is the world seen by another caller.
func (w *world) as(who cloud.Caller) *world { o := *w; o.who = who; return &o }

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// must unwraps the result of a use case that sets up a test network: it
// cannot fail unless the test itself is wrong.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func (w *world) vpc(block string) *network.VPC {
	w.t.Helper()
	return must(w.net.CreateVPC(w.ctx, w.who, network.CreateVPCInput{CIDRBlock: block}))
}

func (w *world) subnet(vpc *network.VPC, block string) *network.Subnet {
	w.t.Helper()
	return must(w.net.CreateSubnet(w.ctx, w.who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: block}))
}

// internetGateway creates a gateway and attaches it to the VPC.
func (w *world) internetGateway(vpc *network.VPC) *network.InternetGateway {
	w.t.Helper()
	g := must(w.net.CreateInternetGateway(w.ctx, w.who, nil))
	w.must(w.net.AttachInternetGateway(w.ctx, w.who, g.ID, vpc.ID))
	return g
}

// table creates a route table associated with the subnets.
func (w *world) table(vpc *network.VPC, subnets ...*network.Subnet) *network.RouteTable {
	w.t.Helper()
	rt := must(w.net.CreateRouteTable(w.ctx, w.who, vpc.ID, nil))
	for _, s := range subnets {
		must(w.net.AssociateRouteTable(w.ctx, w.who, rt.ID, s.ID, ""))
	}
	return rt
}

// route adds a route for dest (a CIDR block or a prefix list id).
func (w *world) route(rt *network.RouteTable, dest string, target network.Route) {
	w.t.Helper()
	if strings.HasPrefix(dest, "pl-") {
		target.DestinationPrefixListID = dest
	} else {
		target.DestinationCIDR = dest
	}
	w.must(w.net.CreateRoute(w.ctx, w.who, rt.ID, target))
}

// group creates a security group (it allows all outbound traffic).
func (w *world) group(vpc *network.VPC, name string) *network.SecurityGroup {
	w.t.Helper()
	return must(w.net.CreateSecurityGroup(w.ctx, w.who, network.CreateSecurityGroupInput{VpcID: vpc.ID, Name: name, Description: name}))
}

// allow adds a rule: TCP ports from-to, or all traffic for protocol "-1".
func (w *world) allow(g *network.SecurityGroup, egress bool, proto string, from, to int32, peer network.Peer) {
	w.t.Helper()
	perm := network.Permission{Protocol: proto, Peers: []network.Peer{peer}}
	if proto != "-1" {
		perm.FromPort, perm.ToPort = &from, &to
	}
	_, _, err := w.net.AuthorizeSecurityGroupRules(w.ctx, w.who, network.AuthorizeInput{Group: network.GroupRef{ID: g.ID}, Egress: egress, Permissions: []network.Permission{perm}})
	w.must(err)
}

func cidrPeer(block string) network.Peer { return network.Peer{Kind: network.PeerIPv4, CIDR: block} }
func groupPeer(id string) network.Peer   { return network.Peer{Kind: network.PeerGroup, GroupID: id} }
func prefixListPeer(id string) network.Peer {
	return network.Peer{Kind: network.PeerPrefixList, PrefixListID: id}
}

// instance launches an instance in the subnet with the groups; public asks
// for a public address.
func (w *world) instance(s *network.Subnet, public bool, groups ...*network.SecurityGroup) *network.Instance {
	w.t.Helper()
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	zero := int32(0)
	r := must(w.net.RunInstances(w.ctx, w.who, network.RunInstancesInput{
		ImageID: "ami-12345678", MinCount: 1, MaxCount: 1,
		Interfaces: []network.LaunchInterface{{DeviceIndex: &zero, SubnetID: s.ID, Groups: ids, AssociatePublicIP: &public}},
	}))
	return r.Instances[0]
}

// elasticIP allocates an address and associates it with the instance.
func (w *world) elasticIP(inst *network.Instance) string {
	w.t.Helper()
	a := must(w.net.AllocateAddress(w.ctx, w.who, network.AllocateAddressInput{}))
	must(w.net.AssociateAddress(w.ctx, w.who, network.AssociateAddressInput{AllocationID: a.ID, InstanceID: inst.ID}))
	return a.PublicIP
}

// natGateway creates a public NAT gateway in the subnet.
func (w *world) natGateway(s *network.Subnet) *network.NATGateway {
	w.t.Helper()
	a := must(w.net.AllocateAddress(w.ctx, w.who, network.AllocateAddressInput{}))
	return must(w.net.CreateNATGateway(w.ctx, w.who, network.CreateNATGatewayInput{SubnetID: s.ID, AllocationID: a.ID}))
}

// peering connects two VPCs (the second may be another caller's) and
// accepts the connection.
func (w *world) peering(a *network.VPC, b *network.VPC, accepter *world) *network.VPCPeeringConnection {
	w.t.Helper()
	p := must(w.net.CreateVPCPeeringConnection(w.ctx, w.who, network.CreatePeeringInput{VpcID: a.ID, PeerVpcID: b.ID, PeerOwnerID: accepter.who.Account}))
	must(accepter.net.AcceptVPCPeeringConnection(w.ctx, accepter.who, p.ID))
	return p
}

// ownACL gives the subnet a new network ACL of its own (which denies
// everything until rules are added) and returns it.
func (w *world) ownACL(s *network.Subnet) *network.NetworkACL {
	w.t.Helper()
	acl := must(w.net.CreateNetworkACL(w.ctx, w.who, s.VpcID, nil))
	page := must(cloud.List[network.NetworkACL](w.ctx, w.c, w.who, cloud.Query{Filters: []cloud.Filter{{Name: "association.subnet-id", Values: []string{s.ID}}}}, nil))
	for _, a := range page.Items[0].Associations {
		if a.SubnetID == s.ID {
			must(w.net.ReplaceNetworkACLAssociation(w.ctx, w.who, a.ID, acl.ID))
		}
	}
	return acl
}

// aclRule adds a TCP rule (all traffic for protocol "-1").
func (w *world) aclRule(acl *network.NetworkACL, number int32, egress bool, proto, action, block string, from, to int32) {
	w.t.Helper()
	in := network.NetworkACLEntryInput{NetworkACLID: acl.ID, RuleNumber: number, Egress: egress, Protocol: proto, RuleAction: action, CIDRBlock: block}
	if proto != "-1" {
		in.FromPort, in.ToPort = &from, &to
	}
	w.must(w.net.CreateNetworkACLEntry(w.ctx, w.who, in))
}

func (w *world) snapshot() *netview.Snapshot {
	w.t.Helper()
	return must(netview.Build(w.ctx, w.c, netview.SnapshotInput{Scopes: []cloud.Scope{w.who.Scope()}, FollowConnections: true, Zones: true}))
}

func (w *world) analyze(q reach.Query) reach.Result {
	w.t.Helper()
	return reach.Analyze(w.snapshot(), q)
}

// primary is the primary interface of an instance.
func primary(inst *network.Instance) string { return inst.NetworkInterfaces[0] }

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }
