package reach

import (
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// ARN resource types of the components a path names: EC2's are their
// kinds' names.
const (
	arnInstance   = string(cloud.KindInstance)
	arnInterface  = string(cloud.KindNetworkInterface)
	arnSubnet     = string(cloud.KindSubnet)
	arnVPC        = string(cloud.KindVPC)
	arnGroup      = string(cloud.KindSecurityGroup)
	arnACL        = string(cloud.KindNetworkACL)
	arnRouteTable = string(cloud.KindRouteTable)
	arnIGW        = string(cloud.KindInternetGateway)
	arnEIGW       = string(cloud.KindEgressOnlyIGW)
	arnNAT        = string(cloud.KindNATGateway)
	arnPeering    = string(cloud.KindVPCPeering)
	arnEndpoint   = string(cloud.KindVPCEndpoint)
	arnService    = string(cloud.KindVPCEndpointService)
	arnPrefixList = string(cloud.KindPrefixList)
	arnVGW        = string(cloud.KindVPNGateway)
	// arnELB marks Elastic Load Balancing resources (load balancers,
	// listeners, target groups), whose id is their ARN.
	arnELB = "elb"
)

// component names a resource of an ARN type.
func component(m *cloud.Meta, arnType string) *Component {
	if arnType == arnELB {
		return &Component{ID: m.ID, ARN: m.ID, Name: m.Tags["Name"]}
	}
	return &Component{ID: m.ID, ARN: m.EC2ARN(arnType), Name: m.Tags["Name"]}
}

// lbComponent names a load balancer: by its ARN, and its name.
func lbComponent(lb *elb.LoadBalancer) *Component {
	return &Component{ID: lb.ID, ARN: lb.ID, Name: lb.Name}
}

// tgComponent names a target group.
func tgComponent(tg *elb.TargetGroup) *Component {
	return &Component{ID: tg.ID, ARN: tg.ID, Name: tg.Name}
}

func endpointComponent(e *netview.NetEndpoint) *Component { return component(&e.Meta, arnEndpoint) }

// unknown names a resource by id only: one the snapshot does not hold.
func unknown(id string) *Component { return &Component{ID: id} }

func vpcComponent(v *netview.NetVPC) *Component {
	if v == nil {
		return nil
	}
	return component(&v.Meta, arnVPC)
}

func subnetComponent(s *netview.NetSubnet) *Component {
	if s == nil {
		return nil
	}
	return component(&s.Meta, arnSubnet)
}

// interfaceHop is the hop of a network interface.
func interfaceHop(n *netview.NetInterface) hop {
	return hop{meta: &n.Meta, arnType: arnInterface, iface: n}
}

func groupComponents(n *netview.NetInterface) []Component {
	out := make([]Component, len(n.SecurityGroups))
	for i, g := range n.SecurityGroups {
		out[i] = *component(&g.Meta, arnGroup)
	}
	return out
}

// aclRule is an ACL entry as AWS shows it.
func aclRule(e network.NetworkACLEntry) *ACLRule {
	r := &ACLRule{CIDR: e.CIDRBlock, Egress: e.Egress, Protocol: e.Protocol, RuleAction: e.RuleAction, RuleNumber: int(e.RuleNumber)}
	if e.IPv6CIDRBlock != "" {
		r.CIDR = e.IPv6CIDRBlock
	}
	if e.Protocol == "-1" {
		r.Protocol = "all"
	}
	if e.FromPort != nil && e.ToPort != nil {
		r.PortRange = &PortRange{int(*e.FromPort), int(*e.ToPort)}
	}
	return r
}

// groupRule is a security group rule as AWS shows it.
func groupRule(g *netview.NetGroup, r *netview.NetRule) *SecurityGroupRule {
	out := &SecurityGroupRule{
		CIDR: r.CIDRIPv4, Direction: direction(r.Egress), SecurityGroupID: g.ID,
		PrefixListID: r.PrefixListID, Protocol: r.Protocol, ReferencedGroupID: r.ReferencedGroupID,
	}
	if r.Protocol == "-1" {
		out.Protocol = "all"
	}
	if r.HasPorts() && r.FromPort >= 0 {
		out.PortRange = &PortRange{int(r.FromPort), int(r.ToPort)}
	}
	return out
}

func direction(egress bool) string {
	if egress {
		return "egress"
	}
	return "ingress"
}

// tableRoute is a route as AWS shows it: AWS's shape has no member for a
// Gateway Load Balancer endpoint target, which shows as the gateway.
func tableRoute(r *network.Route) *RouteTableRoute {
	gateway := r.GatewayID
	if gateway == "" {
		gateway = r.VPCEndpointID
	}
	return &RouteTableRoute{
		DestinationCIDR: r.DestinationCIDR, DestinationPrefixListID: r.DestinationPrefixListID,
		EgressOnlyInternetGatewayID: r.EgressOnlyIGWID, GatewayID: gateway, InstanceID: r.InstanceID,
		NATGatewayID: r.NATGatewayID, NetworkInterfaceID: r.NetworkInterfaceID, Origin: strings.ToLower(r.Origin),
		TransitGatewayID: r.TransitGatewayID, VPCPeeringConnectionID: r.VPCPeeringConnectionID, State: r.State,
		CarrierGatewayID: r.CarrierGatewayID, CoreNetworkARN: r.CoreNetworkARN, LocalGatewayID: r.LocalGatewayID,
	}
}
