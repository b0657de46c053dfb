package dataplane

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
	"github.com/vpcemu/vpcemu/internal/metric"
)

// TestDeltas: each close hands what the meters counted since the last.
func TestDeltas(t *testing.T) {
	var m meters
	var p publisher
	m.resources = map[string]*Meter{"vpce-1": {Resource: "vpce-1", Account: "111111111111", BytesOut: 100, Connections: 2}}
	if d := p.deltas(&m); d["vpce-1"].BytesOut != 100 || d["vpce-1"].Connections != 2 {
		t.Fatalf("first %+v", d)
	}
	if d := p.deltas(&m); len(d) != 0 {
		t.Fatalf("nothing new, yet %+v", d)
	}
	m.resources["vpce-1"].BytesIn += 40
	if d := p.deltas(&m); d["vpce-1"].BytesIn != 40 || d["vpce-1"].BytesOut != 0 || d["vpce-1"].Connections != 0 {
		t.Fatalf("second %+v", d)
	}
	// Resets are counted at the device and reach the meters of the hops:
	// a SYN, then the server's RST back.
	var dev meter
	k := meterKey{6, netip.MustParseAddrPort("10.0.1.5:40000"), netip.MustParseAddrPort("10.0.1.9:443")}
	dev.add(k, true, 60, flagSYN)
	dev.add(k, false, 40, flagRST|flagACK)
	m.add(&plan{hops: []meterHop{{id: "vpce-1", account: "111111111111"}}}, dev.take()[k])
	if d := p.deltas(&m); d["vpce-1"].RstIn != 1 || d["vpce-1"].RstOut != 0 || d["vpce-1"].PacketsIn != 1 {
		t.Fatalf("a reset %+v", d)
	}
}

// TestDatapoints: an interface endpoint's minute is published under its
// dimensions and under its subnet's, a NAT gateway's under its id, each
// in its owner's account, and a gateway endpoint's not at all.
func TestDatapoints(t *testing.T) {
	c := cloudtest.Open(t)
	ctx, who := context.Background(), cloudtest.Alice
	net, pl := network.New(c), privatelink.New(c)
	vpc := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}))
	sub := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24"}))
	sqs := must(pl.CreateVPCEndpoint(ctx, who, privatelink.CreateVPCEndpointInput{VpcID: vpc.ID, ServiceName: "com.amazonaws.us-east-1.sqs", Type: "Interface", SubnetIDs: []string{sub.ID}, PrivateDNSEnabled: new(false)}))
	nat := must(net.CreateNATGateway(ctx, who, network.CreateNATGatewayInput{SubnetID: sub.ID, ConnectivityType: "private"}))
	snap := must(netview.NewLive(c).Current(ctx))
	eni := snap.Endpoint(sqs.ID).Interfaces[0].ID
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	deltas := map[string]Meter{
		sqs.ID: {BytesOut: 300, BytesIn: 1200, Connections: 2, Dropped: 1, RstOut: 1, RstIn: 2},
		eni:    {BytesOut: 300, BytesIn: 1200, Connections: 2},
		nat.ID: {BytesOut: 10, BytesIn: 20, PacketsOut: 1, PacketsIn: 2, Connections: 1},
	}
	got := map[string]float64{}
	for _, d := range datapoints(snap, at, deltas, map[string]int{sqs.ID: 1}) {
		if d.Account != who.Account || d.Region != who.Region || !d.Time.Equal(at) {
			t.Errorf("%+v: wrong scope or time", d)
		}
		var dims []string
		metric.SortDimensions(d.Dimensions)
		for _, dim := range d.Dimensions {
			dims = append(dims, dim.Name+"="+dim.Value)
		}
		got[d.Namespace+" "+d.Name+" "+strings.Join(dims, ",")] = d.Stats.Sum
	}
	base := "Endpoint Type=Interface,Service Name=com.amazonaws.us-east-1.sqs,"
	for k, v := range map[string]float64{
		"AWS/PrivateLinkEndpoints BytesProcessed " + base + "VPC Endpoint Id=" + sqs.ID + ",VPC Id=" + vpc.ID:                          1500,
		"AWS/PrivateLinkEndpoints NewConnections " + base + "VPC Endpoint Id=" + sqs.ID + ",VPC Id=" + vpc.ID:                          2,
		"AWS/PrivateLinkEndpoints PacketsDropped " + base + "VPC Endpoint Id=" + sqs.ID + ",VPC Id=" + vpc.ID:                          1,
		"AWS/PrivateLinkEndpoints ActiveConnections " + base + "VPC Endpoint Id=" + sqs.ID + ",VPC Id=" + vpc.ID:                       1,
		"AWS/PrivateLinkEndpoints RstPacketsReceived " + base + "VPC Endpoint Id=" + sqs.ID + ",VPC Id=" + vpc.ID:                      3,
		"AWS/PrivateLinkEndpoints BytesProcessed " + base + "Subnet Id=" + sub.ID + ",VPC Endpoint Id=" + sqs.ID + ",VPC Id=" + vpc.ID: 1500,
		"AWS/NATGateway BytesOutToDestination NatGatewayId=" + nat.ID:                                                                  10,
		"AWS/NATGateway BytesOutToSource NatGatewayId=" + nat.ID:                                                                       20,
		"AWS/NATGateway ConnectionEstablishedCount NatGatewayId=" + nat.ID:                                                             1,
		"AWS/NATGateway ActiveConnectionCount NatGatewayId=" + nat.ID:                                                                  0,
	} {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s: got %v (%v), want %v", k, g, ok, v)
		}
	}
	if n := len(got); n != 5+5+12 {
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range got {
				if !yield(k) {
					return
				}
			}
		})
		t.Errorf("%d datapoints:\n%s", n, strings.Join(keys, "\n"))
	}
}

// TestHostCounts: a Network Load Balancer's target group counts its
// registered targets healthy every minute, but not one draining.
func TestHostCounts(t *testing.T) {
	c := cloudtest.Open(t)
	ctx, who := context.Background(), cloudtest.Alice
	net, lbs := network.New(c), elb.New(c)
	vpc := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}))
	sub := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24"}))
	lb := must(lbs.CreateLoadBalancer(ctx, who, elb.CreateLoadBalancerInput{Name: "api", Type: elb.LBNetwork, Scheme: elb.SchemeInternal, Subnets: []string{sub.ID}}))
	tg := must(lbs.CreateTargetGroup(ctx, who, elb.CreateTargetGroupInput{Name: "api", Protocol: "TCP", Port: new(int32(80)), VpcID: vpc.ID, TargetType: elb.TargetIP}))
	must(lbs.CreateListener(ctx, who, lb.ID, elb.ListenerInput{Port: new(int32(80)), Protocol: "TCP", Actions: []elb.ActionInput{{Type: elb.ActionForward, TargetGroupARN: tg.ID}}}))
	must(0, lbs.RegisterTargets(ctx, who, tg.ID, []elb.TargetSpec{{ID: "10.0.1.10"}, {ID: "10.0.1.11"}}))
	must(0, lbs.DeregisterTargets(ctx, who, tg.ID, []elb.TargetSpec{{ID: "10.0.1.11"}}))
	snap := must(netview.NewLive(c).Current(ctx))
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	got := map[string]float64{}
	for _, d := range datapoints(snap, at, nil, nil) {
		metric.SortDimensions(d.Dimensions)
		if d.Namespace != NamespaceNLB || len(d.Dimensions) != 2 || d.Dimensions[0].Value != lbDimension(lb.ID) || !strings.HasPrefix(d.Dimensions[1].Value, "targetgroup/api/") {
			t.Errorf("%+v", d)
		}
		got[d.Name] = d.Stats.Sum
	}
	if len(got) != 2 || got["HealthyHostCount"] != 1 || got["UnHealthyHostCount"] != 0 {
		t.Errorf("host counts %v, want 1 healthy (the other draining) and 0 unhealthy", got)
	}
}
