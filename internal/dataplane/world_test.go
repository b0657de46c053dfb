package dataplane

import (
	"context"
	"net/netip"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

// privateLinkWorld builds a consumer VPC with an instance and an
// interface endpoint, and a provider VPC whose NLB forwards 443 to an
// instance's 8443; it returns the decider over it, the two instances'
// configurations and the endpoint's address.
func privateLinkWorld(tb testing.TB) (*Decider, RunConfig, RunConfig, netip.Addr) {
	c := cloudtest.Open(tb)
	ctx, who := context.Background(), cloudtest.Alice
	net, lbs, pl := network.New(c), elb.New(c), privatelink.New(c)
	live := netview.NewLive(c)
	tb.Cleanup(func() {
		// A snapshot rebuilt in the background may outlive the test; a
		// write makes the next reader wait for it, before the store closes.
		net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.9.0.0/16"})
		live.Current(ctx)
	})
	zero, serve, listen := int32(0), int32(8443), int32(443)
	instance := func(subnet string, ip string, groups ...string) *network.Instance {
		return must(net.RunInstances(ctx, who, network.RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1,
			Interfaces: []network.LaunchInterface{{DeviceIndex: &zero, SubnetID: subnet, Groups: groups, PrivateIP: ip}}})).Instances[0]
	}
	pvpc := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.1.0.0/16"}))
	psub := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: pvpc.ID, CIDRBlock: "10.1.1.0/24", AvailabilityZone: "us-east-1a"}))
	sg := must(net.CreateSecurityGroup(ctx, who, network.CreateSecurityGroupInput{VpcID: pvpc.ID, Name: "api", Description: "api"}))
	must(0, func() error {
		_, _, err := net.AuthorizeSecurityGroupRules(ctx, who, network.AuthorizeInput{Group: network.GroupRef{ID: sg.ID}, Permissions: []network.Permission{{Protocol: "tcp", FromPort: &serve, ToPort: &serve, Peers: []network.Peer{{Kind: network.PeerIPv4, CIDR: "10.1.0.0/16"}}}}})
		return err
	}())
	server := instance(psub.ID, "10.1.1.10", sg.ID)
	lb := must(lbs.CreateLoadBalancer(ctx, who, elb.CreateLoadBalancerInput{Name: "api", Type: elb.LBNetwork, Scheme: elb.SchemeInternal, Subnets: []string{psub.ID}}))
	tg := must(lbs.CreateTargetGroup(ctx, who, elb.CreateTargetGroupInput{Name: "api", Protocol: "TCP", Port: &serve, VpcID: pvpc.ID}))
	must(lbs.CreateListener(ctx, who, lb.ID, elb.ListenerInput{Protocol: "TCP", Port: &listen, Actions: []elb.ActionInput{{Type: "forward", TargetGroupARN: tg.ID}}}))
	must(0, lbs.RegisterTargets(ctx, who, tg.ID, []elb.TargetSpec{{ID: server.ID}}))
	svc := must(pl.CreateServiceConfiguration(ctx, who, privatelink.ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{lb.ID}}))

	cvpc := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.2.0.0/16"}))
	csub := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: cvpc.ID, CIDRBlock: "10.2.1.0/24", AvailabilityZone: "us-east-1a"}))
	client := instance(csub.ID, "10.2.1.5")
	ep := must(pl.CreateVPCEndpoint(ctx, who, privatelink.CreateVPCEndpointInput{VpcID: cvpc.ID, ServiceName: svc.ServiceName(), Type: privatelink.EndpointTypeInterface, SubnetIDs: []string{csub.ID}}))
	eni := cloudtest.ReadAs[network.NetworkInterface](tb, c, who, ep.NetworkInterfaceIDs[0])
	cfg := func(i *network.Instance, vpc string) RunConfig {
		return RunConfig{Instance: i.ID, VPC: vpc, Zone: "us-east-1a", Resolver: "10.0.0.2"}
	}
	return NewDecider(live), cfg(client, cvpc.ID), cfg(server, pvpc.ID), netip.MustParseAddr(eni.PrimaryIP())
}
