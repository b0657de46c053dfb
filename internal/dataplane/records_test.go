package dataplane

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
	"github.com/vpcemu/vpcemu/internal/flowlog"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// A flow's records name the interfaces on its path, each with what it
// decided: both ends of a carried connection log both directions; a
// security group that keeps a request out logs REJECT on its interface,
// and a network ACL that keeps the reply in logs the request ACCEPT and
// the reply REJECT (AWS's documented asymmetry).
func TestRecords(t *testing.T) {
	c := cloudtest.Open(t)
	ctx, who, net := context.Background(), cloudtest.Alice, network.New(c)
	vpc := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}))
	front := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24"}))
	back := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.2.0/24"}))
	web := must(net.CreateSecurityGroup(ctx, who, network.CreateSecurityGroupInput{VpcID: vpc.ID, Name: "web", Description: "web"}))
	open := func(port int32) {
		must(0, func() error {
			_, _, err := net.AuthorizeSecurityGroupRules(ctx, who, network.AuthorizeInput{Group: network.GroupRef{ID: web.ID}, Permissions: []network.Permission{{Protocol: "tcp", FromPort: &port, ToPort: &port, Peers: []network.Peer{{Kind: network.PeerIPv4, CIDR: "10.0.0.0/16"}}}}})
			return err
		}())
	}
	open(8080)
	open(7070)
	launch := func(subnet string, groups ...string) *network.Instance {
		zero := int32(0)
		return must(net.RunInstances(ctx, who, network.RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1,
			Interfaces: []network.LaunchInterface{{DeviceIndex: &zero, SubnetID: subnet, Groups: groups}}})).Instances[0]
	}
	client, server, quiet := launch(front.ID), launch(front.ID, web.ID), launch(back.ID, web.ID)
	eni := func(i *network.Instance) *network.NetworkInterface {
		return cloudtest.ReadAs[network.NetworkInterface](t, c, who, i.NetworkInterfaces[0])
	}
	addr := func(i *network.Instance) netip.Addr { return netip.MustParseAddr(eni(i).PrimaryIP()) }
	// The back subnet's ACL lets everything in and nothing out.
	acl := must(net.CreateNetworkACL(ctx, who, vpc.ID, nil))
	must(0, net.CreateNetworkACLEntry(ctx, who, network.NetworkACLEntryInput{NetworkACLID: acl.ID, RuleNumber: 100, Protocol: "-1", RuleAction: "allow", CIDRBlock: "0.0.0.0/0"}))
	live := netview.NewLive(c)
	snap := must(live.Current(ctx))
	must(net.ReplaceNetworkACLAssociation(ctx, who, associationOf(snap.Subnet(back.ID).ACL.Associations, back.ID), acl.ID))

	d := NewDecider(live)
	cs, ss, qs := eni(client).ID, eni(server).ID, eni(quiet).ID
	src := netip.AddrPortFrom(addr(client), 40000)
	key := func(dst netip.AddrPort) meterKey { return meterKey{6, src, dst} }
	counts := &meterEntry{
		out: count{packets: 5, bytes: 400, flags: flagSYN | flagFIN, first: time.Unix(100, 0), last: time.Unix(110, 0)},
		in:  count{packets: 4, bytes: 900, flags: synACK | flagFIN, first: time.Unix(100, 0), last: time.Unix(110, 0)},
	}
	type rec struct {
		eni, dir, action string
		src, dst         string
		packets          uint64
		flags            uint8
	}
	cases := []struct {
		name string
		dst  netip.AddrPort
		want []rec
	}{
		{"carried: both ends, both ways", netip.AddrPortFrom(addr(server), 8080), []rec{
			{cs, "egress", accept, "client:40000", "server:8080", 5, 3},
			{cs, "ingress", accept, "server:8080", "client:40000", 4, 19},
			{ss, "ingress", accept, "client:40000", "server:8080", 5, 3},
			{ss, "egress", accept, "server:8080", "client:40000", 4, 19},
		}},
		{"kept out by the server's group", netip.AddrPortFrom(addr(server), 9090), []rec{
			{cs, "egress", accept, "client:40000", "server:9090", 5, 3},
			{ss, "ingress", reject, "client:40000", "server:9090", 5, 3},
		}},
		{"the reply kept in by the server's ACL", netip.AddrPortFrom(addr(quiet), 7070), []rec{
			{cs, "egress", accept, "client:40000", "quiet:7070", 5, 3},
			{qs, "ingress", accept, "client:40000", "quiet:7070", 5, 3},
			{qs, "egress", reject, "quiet:7070", "client:40000", 5, 18},
		}},
	}
	names := map[netip.Addr]string{addr(client): "client", addr(server): "server", addr(quiet): "quiet"}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			flow := Flow{Instance: client.ID, Src: src, Dst: tc.dst, Protocol: reach.TCP}
			v := must(d.Decide(ctx, flow))
			entry := *counts
			if !v.Allowed {
				entry.in = count{}
			}
			var got []rec
			for _, r := range planFor(v.snap, flow, v).records(key(tc.dst), &entry) {
				got = append(got, rec{r.Interface, r.Direction, r.Action,
					fmt.Sprintf("%s:%d", names[r.Src], r.SrcPort), fmt.Sprintf("%s:%d", names[r.Dst], r.DstPort), r.Packets, r.TCPFlags})
				checkRecord(t, r, who.Account)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("records\n got %v\nwant %v\n(%s)", got, tc.want, v)
			}
		})
	}

	// The recorder turns a window's counts into records for the flows it
	// has plans for, and forgets a flow after windows without it.
	var r recorder
	flow := Flow{Instance: client.ID, Src: src, Dst: netip.AddrPortFrom(addr(server), 8080), Protocol: reach.TCP}
	v := must(d.Decide(ctx, flow))
	r.register(flow, planFor(v.snap, flow, v))
	window := map[string]map[meterKey]*meterEntry{client.ID: {key(flow.Dst): counts, {6, src, netip.MustParseAddrPort("10.0.1.2:53")}: counts}}
	if got := r.close(window); len(got) != 4 {
		t.Errorf("a window with the flow: %d records, want 4", len(got))
	}
	// The meters count it on both interfaces and on its path, and count a
	// blocked flow as dropped where it got to.
	blocked := Flow{Instance: client.ID, Src: src, Dst: netip.AddrPortFrom(addr(server), 9090), Protocol: reach.TCP}
	bv := must(d.Decide(ctx, blocked))
	r.register(blocked, planFor(bv.snap, blocked, bv))
	r.register(blocked, planFor(bv.snap, blocked, bv)) // its SYN again
	m := r.meters.list(who.Account)
	want := []Meter{
		{Resource: cs, Account: who.Account, Region: "us-east-1", BytesOut: 400, BytesIn: 900, PacketsOut: 5, PacketsIn: 4, Connections: 1, Dropped: 1},
		{Resource: ss, Account: who.Account, Region: "us-east-1", BytesOut: 400, BytesIn: 900, PacketsOut: 5, PacketsIn: 4, Connections: 1},
	}
	slices.SortFunc(want, func(a, b Meter) int { return strings.Compare(a.Resource, b.Resource) })
	if !slices.Equal(m.Resources, want) {
		t.Errorf("meters\n got %+v\nwant %+v", m.Resources, want)
	}
	if len(m.Paths) != 1 || len(m.Paths[0].Through) != 0 || m.Paths[0].BytesOut != 400 || m.Paths[0].Connections != 1 || m.Paths[0].FromZone != m.Paths[0].ToZone {
		t.Errorf("paths %+v", m.Paths)
	}
	if other := r.meters.list(cloudtest.Bob.Account); len(other.Resources)+len(other.Paths) != 0 {
		t.Errorf("another account sees %+v", other)
	}
	for range 3 {
		if got := r.close(nil); len(got) != 0 {
			t.Errorf("a quiet window: %d records", len(got))
		}
	}
	if len(r.plans) != 0 {
		t.Errorf("%d plans kept after three quiet windows", len(r.plans))
	}
}

func associationOf(as []network.NetworkACLAssociation, subnet string) string {
	for _, a := range as {
		if a.SubnetID == subnet {
			return a.ID
		}
	}
	return ""
}

// checkRecord checks what every record holds.
func checkRecord(t *testing.T, r flowlog.Record, account string) {
	t.Helper()
	if r.Account != account || r.VPC == "" || r.Subnet == "" || r.Instance == "" || r.Region == "" || r.Protocol != 6 || r.Start.IsZero() {
		t.Errorf("record %+v", r)
	}
	if r.Direction == "egress" && r.TrafficPath != 1 || r.Direction == "ingress" && r.TrafficPath != 0 {
		t.Errorf("%s record with traffic-path %d", r.Direction, r.TrafficPath)
	}
}
