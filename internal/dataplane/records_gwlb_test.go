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
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// gwlbWorld builds egress inspection: an app subnet whose default route
// goes to a GWLB endpoint, whose subnet's goes to the internet gateway;
// the endpoint's service is a Gateway Load Balancer with one appliance
// (10.9.1.4), whose group lets GENEVE in. It returns the live snapshots,
// the app's instance (10.0.1.5) and the appliance.
func gwlbWorld(t *testing.T) (live *netview.Live, web, appliance *network.Instance) {
	t.Helper()
	c := cloudtest.Open(t)
	ctx, who := context.Background(), cloudtest.Alice
	net, lbs, pl := network.New(c), elb.New(c), privatelink.New(c)
	zero, geneve := int32(0), int32(6081)
	instance := func(subnet, ip string, groups ...string) *network.Instance {
		return must(net.RunInstances(ctx, who, network.RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1,
			Interfaces: []network.LaunchInterface{{DeviceIndex: &zero, SubnetID: subnet, PrivateIP: ip, Groups: groups, AssociatePublicIP: new(true)}}})).Instances[0]
	}
	inspect := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.9.0.0/16"}))
	inspectNet := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: inspect.ID, CIDRBlock: "10.9.1.0/24", AvailabilityZone: "us-east-1a"}))
	sg := must(net.CreateSecurityGroup(ctx, who, network.CreateSecurityGroupInput{VpcID: inspect.ID, Name: "appliances", Description: "GENEVE"}))
	if _, _, err := net.AuthorizeSecurityGroupRules(ctx, who, network.AuthorizeInput{Group: network.GroupRef{ID: sg.ID}, Permissions: []network.Permission{
		{Protocol: "udp", FromPort: &geneve, ToPort: &geneve, Peers: []network.Peer{{Kind: network.PeerIPv4, CIDR: "10.9.0.0/16"}}}}}); err != nil {
		t.Fatal(err)
	}
	appliance = instance(inspectNet.ID, "10.9.1.4", sg.ID)
	gwlb := must(lbs.CreateLoadBalancer(ctx, who, elb.CreateLoadBalancerInput{Name: "inspect", Type: elb.LBGateway, Subnets: []string{inspectNet.ID}}))
	tg := must(lbs.CreateTargetGroup(ctx, who, elb.CreateTargetGroupInput{Name: "appliances", Protocol: "GENEVE", Port: &geneve, VpcID: inspect.ID}))
	must(lbs.CreateListener(ctx, who, gwlb.ID, elb.ListenerInput{Actions: []elb.ActionInput{{Type: "forward", TargetGroupARN: tg.ID}}}))
	must(0, lbs.RegisterTargets(ctx, who, tg.ID, []elb.TargetSpec{{ID: appliance.ID}}))
	svc := must(pl.CreateServiceConfiguration(ctx, who, privatelink.ServiceConfigurationInput{GatewayLoadBalancerARNs: []string{gwlb.ID}}))

	app := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}))
	appNet := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: app.ID, CIDRBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a"}))
	epNet := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: app.ID, CIDRBlock: "10.0.2.0/24", AvailabilityZone: "us-east-1a"}))
	igw := must(net.CreateInternetGateway(ctx, who, nil))
	must(0, net.AttachInternetGateway(ctx, who, igw.ID, app.ID))
	ep := must(pl.CreateVPCEndpoint(ctx, who, privatelink.CreateVPCEndpointInput{VpcID: app.ID, ServiceName: svc.ServiceName(),
		Type: privatelink.EndpointTypeGatewayLoadBalancer, SubnetIDs: []string{epNet.ID}}))
	route := func(subnet string, r network.Route) {
		rt := must(net.CreateRouteTable(ctx, who, app.ID, nil))
		must(net.AssociateRouteTable(ctx, who, rt.ID, subnet, ""))
		r.DestinationCIDR = "0.0.0.0/0"
		must(0, net.CreateRoute(ctx, who, rt.ID, r))
	}
	route(appNet.ID, network.Route{VPCEndpointID: ep.ID})
	route(epNet.ID, network.Route{GatewayID: igw.ID})
	web = instance(appNet.ID, "10.0.1.5")

	return netview.NewLive(c), web, appliance
}

// A Gateway Load Balancer's node and its appliance log the flows it
// inspects as what passes between them: one UDP flow from the node to the
// appliance's 6081, there with every packet of the flow (both ways,
// GENEVE's bytes added) and back the same — never the inner flow's
// protocol or addresses.
func TestRecordsGatewayLoadBalancer(t *testing.T) {
	live, web, appliance := gwlbWorld(t)
	ctx := context.Background()
	flow := Flow{Instance: web.ID, Src: netip.MustParseAddrPort("10.0.1.5:40000"), Dst: netip.MustParseAddrPort("203.0.113.5:80"), Protocol: reach.TCP}
	v := must(NewDecider(live).Decide(ctx, flow))
	if !v.Allowed {
		t.Fatalf("the flow: %s", v)
	}
	stages := stagesOf(v)
	if len(stages) != 1 {
		t.Fatalf("stages %+v", stages)
	}
	p := planFor(v.snap, flow, v)
	recs := p.records(meterKey{6, flow.Src, flow.Dst}, &meterEntry{out: count{packets: 3, bytes: 180, flags: flagSYN}, in: count{packets: 2, bytes: 120, flags: synACK}})
	node := netip.AddrPortFrom(stages[0].node, geneveSourcePort(flow))
	nodeENI := v.snap.InterfacesHolding(stages[0].node)[0].ID
	appliancePort := netip.MustParseAddrPort("10.9.1.4:6081")
	// Each of the two logs the GENEVE flow there and back: the node sends
	// (egress first), the appliance receives (ingress first).
	for eni, first := range map[string]string{nodeENI: "egress", appliance.NetworkInterfaces[0]: "ingress"} {
		var got []string
		for _, r := range recs {
			if r.Interface != eni {
				continue
			}
			if r.Protocol != 17 || r.TCPFlags != 0 || r.Packets != 5 || r.Bytes != 300+5*geneveOverhead || r.Action != accept {
				t.Errorf("%s: %+v", eni, r)
			}
			got = append(got, fmt.Sprintf("%s %s > %s", r.Direction, netip.AddrPortFrom(r.Src, r.SrcPort), netip.AddrPortFrom(r.Dst, r.DstPort)))
		}
		second := map[string]string{"egress": "ingress", "ingress": "egress"}[first]
		want := []string{first + " " + node.String() + " > " + appliancePort.String(), second + " " + appliancePort.String() + " > " + node.String()}
		if !slices.Equal(got, want) {
			t.Errorf("%s logged %q, want %q", eni, got, want)
		}
	}
	if p.path == nil || p.path.to != "" {
		t.Errorf("the path ends at the appliance: %+v", p.path)
	}
}

// An instance registered with a GENEVE target group when its run starts
// gets jumbo frames, room for a full packet and GENEVE's bytes; any other
// the usual 1,500.
func TestRunConfigAppliance(t *testing.T) {
	live, web, appliance := gwlbWorld(t)
	r := NewRuns(live, "/run/devices.sock", nil)
	for _, tt := range []struct {
		instance string
		mtu      int
	}{{appliance.ID, ApplianceMTU}, {web.ID, MTU}} {
		cfg, err := r.config(context.Background(), cloudtest.Alice, RunRequest{Instance: tt.instance})
		if err != nil || cfg.MTU != tt.mtu {
			t.Errorf("%s: MTU %d (%v), want %d", tt.instance, cfg.MTU, err, tt.mtu)
		}
	}
}
