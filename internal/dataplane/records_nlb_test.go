package dataplane

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// A client that sends straight to an internal NLB's node: the node's
// interface logs the request coming in and going on to the target (an
// instance target sees the client's own address), and the reply both
// ways; the target's interface logs it from the client.
func TestRecordsDirectNLB(t *testing.T) {
	c := cloudtest.Open(t)
	ctx, who, net, lbs := context.Background(), cloudtest.Alice, network.New(c), elb.New(c)
	vpc := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}))
	subnet := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a"}))
	sg := must(net.CreateSecurityGroup(ctx, who, network.CreateSecurityGroupInput{VpcID: vpc.ID, Name: "web", Description: "web"}))
	zero, port, listen := int32(0), int32(8080), int32(80)
	if _, _, err := net.AuthorizeSecurityGroupRules(ctx, who, network.AuthorizeInput{Group: network.GroupRef{ID: sg.ID}, Permissions: []network.Permission{
		{Protocol: "tcp", FromPort: &port, ToPort: &port, Peers: []network.Peer{{Kind: network.PeerIPv4, CIDR: "10.0.0.0/16"}}}}}); err != nil {
		t.Fatal(err)
	}
	instance := func(ip string, groups ...string) *network.Instance {
		return must(net.RunInstances(ctx, who, network.RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1,
			Interfaces: []network.LaunchInterface{{DeviceIndex: &zero, SubnetID: subnet.ID, PrivateIP: ip, Groups: groups}}})).Instances[0]
	}
	server, client := instance("10.0.1.10", sg.ID), instance("10.0.1.5")
	lb := must(lbs.CreateLoadBalancer(ctx, who, elb.CreateLoadBalancerInput{Name: "web", Type: elb.LBNetwork, Scheme: elb.SchemeInternal, Subnets: []string{subnet.ID}}))
	tg := must(lbs.CreateTargetGroup(ctx, who, elb.CreateTargetGroupInput{Name: "web", Protocol: "TCP", Port: &port, VpcID: vpc.ID}))
	must(lbs.CreateListener(ctx, who, lb.ID, elb.ListenerInput{Protocol: "TCP", Port: &listen, Actions: []elb.ActionInput{{Type: "forward", TargetGroupARN: tg.ID}}}))
	must(0, lbs.RegisterTargets(ctx, who, tg.ID, []elb.TargetSpec{{ID: server.ID}}))

	live := netview.NewLive(c)
	snap := must(live.Current(ctx))
	var node *netview.NetInterface
	for _, n := range snap.Interfaces() {
		if n.LoadBalancer != nil && n.LoadBalancer.ID == lb.ID {
			node = n
		}
	}
	flow := Flow{Instance: client.ID, Src: netip.MustParseAddrPort("10.0.1.5:40000"), Dst: netip.AddrPortFrom(node.Addrs[0], 80), Protocol: reach.TCP}
	v := must(NewDecider(live).Decide(ctx, flow))
	if !v.Allowed || v.To != server.ID {
		t.Fatalf("the flow: %s", v)
	}
	p := planFor(v.snap, flow, v)
	recs := p.records(meterKey{6, flow.Src, flow.Dst}, &meterEntry{out: count{packets: 3, bytes: 180, flags: flagSYN}, in: count{packets: 2, bytes: 120, flags: synACK}})
	var got []string
	for _, r := range recs {
		if r.Interface == node.ID {
			got = append(got, fmt.Sprintf("%s %s:%d > %s:%d pkt %s > %s", r.Direction, r.Src, r.SrcPort, r.Dst, r.DstPort, r.PktSrc, r.PktDst))
		}
	}
	n := node.Addrs[0].String()
	want := []string{
		"ingress 10.0.1.5:40000 > " + n + ":80 pkt 10.0.1.5 > " + n,
		"egress " + n + ":80 > 10.0.1.5:40000 pkt " + n + " > 10.0.1.5",
		"egress " + n + ":40000 > 10.0.1.10:8080 pkt 10.0.1.5 > 10.0.1.10",
		"ingress 10.0.1.10:8080 > " + n + ":40000 pkt 10.0.1.10 > 10.0.1.5",
	}
	if !slices.Equal(got, want) {
		t.Errorf("the node's records:\n%q\nwant\n%q", got, want)
	}
	if p.path == nil || p.path.toZone != "us-east-1a" || p.path.through != lb.ID {
		t.Errorf("the path ends at the target through the NLB: %+v", p.path)
	}
}
