package reach_test

import (
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
)

// Builders for endpoints and endpoint services, through the domain's use
// cases like the rest of world.

func (w *world) subnetIn(vpc *network.VPC, block, zone string) *network.Subnet {
	w.t.Helper()
	return must(w.net.CreateSubnet(w.ctx, w.who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: block, AvailabilityZone: zone}))
}

// dnsHostnames turns the VPC's enableDnsHostnames on (private DNS needs
// it).
func (w *world) dnsHostnames(vpc *network.VPC) {
	w.t.Helper()
	w.must(w.net.ModifyVPCAttribute(w.ctx, w.who, vpc.ID, network.AttrEnableDNSHostnames, true))
}

// gatewayEndpoint creates a gateway endpoint to an AWS service (s3,
// dynamodb) on the route tables, with a policy ("" for the default).
func (w *world) gatewayEndpoint(vpc *network.VPC, service, policy string, tables ...*network.RouteTable) *privatelink.VPCEndpoint {
	w.t.Helper()
	in := privatelink.CreateVPCEndpointInput{VpcID: vpc.ID, ServiceName: "com.amazonaws." + w.who.Region + "." + service, Type: privatelink.EndpointTypeGateway}
	for _, rt := range tables {
		in.RouteTableIDs = append(in.RouteTableIDs, rt.ID)
	}
	if policy != "" {
		in.PolicyDocument = &policy
	}
	return must(w.pl.CreateVPCEndpoint(w.ctx, w.who, in))
}

// interfaceEndpoint creates an interface endpoint to a service by name in
// the subnets, with the groups; privateDNS nil takes the service's
// default.
func (w *world) interfaceEndpoint(vpc *network.VPC, serviceName string, privateDNS *bool, subnets []*network.Subnet, groups ...*network.SecurityGroup) *privatelink.VPCEndpoint {
	w.t.Helper()
	in := privatelink.CreateVPCEndpointInput{VpcID: vpc.ID, ServiceName: serviceName, Type: privatelink.EndpointTypeInterface, PrivateDNSEnabled: privateDNS}
	for _, s := range subnets {
		in.SubnetIDs = append(in.SubnetIDs, s.ID)
	}
	for _, g := range groups {
		in.SecurityGroupIDs = append(in.SecurityGroupIDs, g.ID)
	}
	return must(w.pl.CreateVPCEndpoint(w.ctx, w.who, in))
}

// provider is an endpoint service behind a load balancer, with a target
// group and the instances that serve.
type provider struct {
	vpc     *network.VPC
	subnet  *network.Subnet
	lb      *elb.LoadBalancer
	tg      *elb.TargetGroup
	svc     *privatelink.ServiceConfiguration
	servers []*network.Instance
	group   *network.SecurityGroup
}

// nlbService builds a provider VPC (block, one subnet in us-east-1a) with
// an internal Network Load Balancer listening on TCP listen, forwarding to
// a group of instances on port serve, and an endpoint service on it that
// admits consumer's account. The servers' group admits serve from the VPC.
// Targets are registered when register says so.
func (w *world) nlbService(block, subnet string, listen, serve int32, acceptance, register bool, consumer cloud.Caller) provider {
	w.t.Helper()
	p := provider{vpc: w.vpc(block)}
	p.subnet = w.subnetIn(p.vpc, subnet, "us-east-1a")
	p.group = w.group(p.vpc, "servers")
	w.allow(p.group, false, "tcp", serve, serve, cidrPeer(block))
	p.servers = []*network.Instance{w.instance(p.subnet, false, p.group)}
	p.lb = must(w.lb.CreateLoadBalancer(w.ctx, w.who, elb.CreateLoadBalancerInput{Name: "api", Type: elb.LBNetwork, Scheme: elb.SchemeInternal, Subnets: []string{p.subnet.ID}}))
	p.tg = must(w.lb.CreateTargetGroup(w.ctx, w.who, elb.CreateTargetGroupInput{Name: "api", Protocol: "TCP", Port: &serve, VpcID: p.vpc.ID}))
	w.listener(p.lb, "TCP", listen, p.tg)
	if register {
		w.register(p.tg, p.servers...)
	}
	p.svc = must(w.pl.CreateServiceConfiguration(w.ctx, w.who, privatelink.ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{p.lb.ID}, AcceptanceRequired: acceptance}))
	must(w.pl.ModifyServicePermissions(w.ctx, w.who, p.svc.ID, []string{"arn:aws:iam::" + consumer.Account + ":root"}, nil))
	return p
}

func (w *world) listener(lb *elb.LoadBalancer, protocol string, port int32, tg *elb.TargetGroup) *elb.Listener {
	w.t.Helper()
	in := elb.ListenerInput{Protocol: protocol, Actions: []elb.ActionInput{{Type: "forward", TargetGroupARN: tg.ID}}}
	if port != 0 {
		in.Port = &port
	}
	return must(w.lb.CreateListener(w.ctx, w.who, lb.ID, in))
}

func (w *world) register(tg *elb.TargetGroup, instances ...*network.Instance) {
	w.t.Helper()
	specs := make([]elb.TargetSpec, len(instances))
	for i, inst := range instances {
		specs[i] = elb.TargetSpec{ID: inst.ID}
	}
	w.must(w.lb.RegisterTargets(w.ctx, w.who, tg.ID, specs))
}

// gwlbService builds an appliance VPC 10.9.0.0/16 (one subnet in
// us-east-1a) with a Gateway Load Balancer, a GENEVE target group and an
// appliance whose group admits GENEVE from the VPC, and an endpoint
// service on it that needs no acceptance. The appliance is registered
// when register says so.
func (w *world) gwlbService(register bool) provider {
	w.t.Helper()
	p := provider{vpc: w.vpc("10.9.0.0/16")}
	p.subnet = w.subnetIn(p.vpc, "10.9.1.0/24", "us-east-1a")
	p.group = w.group(p.vpc, "appliances")
	w.allow(p.group, false, "udp", 6081, 6081, cidrPeer("10.9.0.0/16"))
	p.servers = []*network.Instance{w.instance(p.subnet, false, p.group)}
	p.lb = must(w.lb.CreateLoadBalancer(w.ctx, w.who, elb.CreateLoadBalancerInput{Name: "inspect", Type: elb.LBGateway, Subnets: []string{p.subnet.ID}}))
	port := int32(6081)
	p.tg = must(w.lb.CreateTargetGroup(w.ctx, w.who, elb.CreateTargetGroupInput{Name: "appliances", Protocol: "GENEVE", Port: &port, VpcID: p.vpc.ID}))
	w.listener(p.lb, "", 0, p.tg)
	if register {
		w.register(p.tg, p.servers...)
	}
	p.svc = must(w.pl.CreateServiceConfiguration(w.ctx, w.who, privatelink.ServiceConfigurationInput{GatewayLoadBalancerARNs: []string{p.lb.ID}}))
	return p
}
