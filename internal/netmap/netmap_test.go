package netmap_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	dxtypes "github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/vpcemu/vpcemu/internal/analyzer/analyzertest"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
	"github.com/vpcemu/vpcemu/internal/netmap"
)

// TestBuildAndDescribe draws analyzertest's network, with a peering to
// another account's VPC, and details its resources.
func TestBuildAndDescribe(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	n := analyzertest.Build(t, c)
	ctx := t.Context()
	other := emulatortest.EC2(e, emulatortest.AccountB, "us-east-1")
	peer, err := other.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	pcx, err := c.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: &n.VPC, PeerVpcId: peer.Vpc.VpcId, PeerOwnerId: aws.String(emulatortest.AccountB)})
	if err != nil {
		t.Fatal(err)
	}
	pcxID := aws.ToString(pcx.VpcPeeringConnection.VpcPeeringConnectionId)
	if _, err := c.CreateNetworkAclEntry(ctx, &ec2.CreateNetworkAclEntryInput{NetworkAclId: &n.LockedACL, Egress: aws.Bool(false), RuleNumber: aws.Int32(200), Protocol: aws.String("6"),
		RuleAction: types.RuleActionAllow, CidrBlock: aws.String("10.0.0.0/16"), PortRange: &types.PortRange{From: aws.Int32(443), To: aws.Int32(443)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateNetworkAclEntry(ctx, &ec2.CreateNetworkAclEntryInput{NetworkAclId: &n.LockedACL, Egress: aws.Bool(false), RuleNumber: aws.Int32(100), Protocol: aws.String("-1"),
		RuleAction: types.RuleActionDeny, CidrBlock: aws.String("10.0.9.0/24")}); err != nil {
		t.Fatal(err)
	}

	scopes := []cloud.Scope{{Account: emulatortest.AccountA, Region: "us-east-1"}}
	snap, err := netview.Build(ctx, e.Cloud, netview.SnapshotInput{Scopes: scopes, FollowConnections: true})
	if err != nil {
		t.Fatal(err)
	}
	g := netmap.Build(snap, scopes, 7)
	nodes := map[string]netmap.Node{}
	for _, node := range g.Nodes {
		if _, dup := nodes[node.ID]; dup {
			t.Errorf("node %s twice", node.ID)
		}
		nodes[node.ID] = node
	}
	for _, tc := range []struct{ id, kind, parent, label string }{
		{n.VPC, netmap.KindVPC, "", "app"},
		{n.Front, netmap.KindSubnet, n.VPC + "/us-east-1a", "front"},
		{n.Client, netmap.KindInstance, n.Front, "client"},
		{n.Vault, netmap.KindInstance, n.Locked, "vault"},
		{aws.ToString(peer.Vpc.VpcId), netmap.KindVPC, "", aws.ToString(peer.Vpc.VpcId)}, // read by following the peering
	} {
		got, ok := nodes[tc.id]
		if !ok {
			t.Errorf("no node %s", tc.id)
			continue
		}
		if got.Kind != tc.kind || got.Parent != tc.parent || got.Label != tc.label {
			t.Errorf("node %s: %+v, want kind %s in %q labelled %s", tc.id, got, tc.kind, tc.parent, tc.label)
		}
	}
	if !slices.Contains(nodes[n.Client].Addresses, n.ClientIP) || len(nodes[n.Client].Aliases) != 1 {
		t.Errorf("the client's addresses %v and interfaces %v", nodes[n.Client].Addresses, nodes[n.Client].Aliases)
	}
	if g.Revision != 7 || len(g.Read) != 2 {
		t.Errorf("revision %d, scopes read %v", g.Revision, g.Read)
	}
	i := slices.IndexFunc(g.Edges, func(e netmap.Edge) bool { return e.ID == pcxID })
	if i < 0 || g.Edges[i].Kind != netmap.EdgePeering || g.Edges[i].State != "pending-acceptance" || g.Edges[i].Source != n.VPC {
		t.Errorf("peering edge: %+v", g.Edges)
	}

	cases := []struct {
		name, id string
		check    func(t *testing.T, d *netmap.Details)
	}{
		{"a subnet's ACL in evaluation order", n.Locked, func(t *testing.T, d *netmap.Details) {
			var rules []string
			for _, e := range d.ACL.Inbound {
				rules = append(rules, e.Rule+" "+e.Action+" "+e.Protocol+" "+e.Ports+" "+e.Block)
			}
			want := []string{"100 deny all all 10.0.9.0/24", "200 allow tcp 443 10.0.0.0/16", "* deny all all 0.0.0.0/0"}
			if !slices.Equal(rules, want) {
				t.Errorf("inbound entries %q, want %q", rules, want)
			}
			if d.Routes == nil || !d.Routes.Main || d.Routes.Routes[0] != (netmap.Route{Destination: "10.0.0.0/16", Target: "local", Origin: "CreateRouteTable", State: "active"}) {
				t.Errorf("routes %+v", d.Routes)
			}
		}},
		{"an instance's groups and tags", n.Web, func(t *testing.T, d *netmap.Details) {
			if len(d.Groups) != 1 || d.Groups[0].ID != n.WebGroup || len(d.Groups[0].Ingress) != 1 ||
				d.Groups[0].Ingress[0] != (netmap.Rule{ID: d.Groups[0].Ingress[0].ID, Protocol: "tcp", Ports: "443", Peer: "10.0.0.0/16"}) {
				t.Errorf("groups %+v", d.Groups)
			}
			if len(d.Tags) != 1 || d.Tags[0] != (cloud.Tag{Key: "Name", Value: "web"}) || d.Account != emulatortest.AccountA {
				t.Errorf("tags %v, account %s", d.Tags, d.Account)
			}
			var attrs map[string]any
			if err := json.Unmarshal(d.Attributes, &attrs); err != nil || attrs["PrivateIP"] != n.WebIP {
				t.Errorf("attributes %s", d.Attributes)
			}
		}},
		{"a peering connection", pcxID, func(t *testing.T, d *netmap.Details) {
			if d.Kind != netmap.EdgePeering {
				t.Errorf("kind %s", d.Kind)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := netmap.Describe(snap, tc.id)
			if !ok {
				t.Fatalf("no details of %s", tc.id)
			}
			tc.check(t, d)
		})
	}
	if _, ok := netmap.Describe(snap, "vpc-0000000000000000"); ok {
		t.Error("details of a VPC that does not exist")
	}
}

// TestDirectConnectAndZones: on premises reaches a VPC's virtual private
// gateway through a VIF and a Direct Connect gateway, and a private
// hosted zone is associated with the VPC; the map draws both.
func TestDirectConnectAndZones(t *testing.T) {
	e := emulatortest.Start(t)
	ctx := t.Context()
	x := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	dx := emulatortest.DirectConnect(e, emulatortest.AccountA, "us-east-1")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	vpc, err := x.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(err)
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	vgw, err := x.CreateVpnGateway(ctx, &ec2.CreateVpnGatewayInput{Type: types.GatewayTypeIpsec1})
	must(err)
	vgwID := aws.ToString(vgw.VpnGateway.VpnGatewayId)
	_, err = x.AttachVpnGateway(ctx, &ec2.AttachVpnGatewayInput{VpcId: &vpcID, VpnGatewayId: &vgwID})
	must(err)
	conn, err := dx.CreateConnection(ctx, &directconnect.CreateConnectionInput{Location: aws.String("EqDC2"), Bandwidth: aws.String("1Gbps"), ConnectionName: aws.String("c")})
	must(err)
	gw, err := dx.CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("g")})
	must(err)
	gwID := aws.ToString(gw.DirectConnectGateway.DirectConnectGatewayId)
	_, err = dx.CreateDirectConnectGatewayAssociation(ctx, &directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: &gwID, GatewayId: &vgwID})
	must(err)
	vif, err := dx.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: conn.ConnectionId,
		NewPrivateVirtualInterface: &dxtypes.NewPrivateVirtualInterface{VirtualInterfaceName: aws.String("p"), Vlan: 1, Asn: 65000, DirectConnectGatewayId: &gwID}})
	must(err)
	vifID := aws.ToString(vif.VirtualInterfaceId)
	zone, err := emulatortest.Route53(e, emulatortest.AccountA).CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("corp.internal"), CallerReference: aws.String("z"),
		VPC: &r53types.VPC{VPCId: &vpcID, VPCRegion: r53types.VPCRegionUsEast1}})
	must(err)
	zoneID := strings.TrimPrefix(aws.ToString(zone.HostedZone.Id), "/hostedzone/")

	scopes := []cloud.Scope{{Account: emulatortest.AccountA, Region: "us-east-1"}}
	snap, err := netview.Build(ctx, e.Cloud, netview.SnapshotInput{Scopes: scopes, Zones: true})
	must(err)
	g := netmap.Build(snap, scopes, 1)
	kinds := map[string]string{}
	parents := map[string]string{}
	for _, n := range g.Nodes {
		kinds[n.ID], parents[n.ID] = n.Kind, n.Parent
	}
	for id, kind := range map[string]string{"on-premises:" + vifID: netmap.KindOnPremises, vifID: netmap.KindVirtualInterface, gwID: netmap.KindDXGateway,
		vgwID: netmap.KindVPNGateway, zoneID: netmap.KindHostedZone} {
		if kinds[id] != kind {
			t.Errorf("node %s is %q, want %s", id, kinds[id], kind)
		}
	}
	if parents[vgwID] != vpcID {
		t.Errorf("the virtual private gateway is in %q, want its VPC", parents[vgwID])
	}
	var edges []string
	for _, e := range g.Edges {
		edges = append(edges, e.Kind+" "+e.Source+" "+e.Target)
	}
	for _, want := range []string{
		netmap.EdgeDX + " on-premises:" + vifID + " " + vifID, netmap.EdgeDX + " " + vifID + " " + gwID, netmap.EdgeDX + " " + gwID + " " + vgwID,
		netmap.EdgeZone + " " + zoneID + " " + vpcID,
	} {
		if !slices.Contains(edges, want) {
			t.Errorf("no edge %q in %q", want, edges)
		}
	}
}
