package ec2

import (
	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// The reachability engine's result in EC2's shapes. reach's types mirror
// the EC2 shapes member for member, so each function here maps one type and
// each line one member: a member added to internal/reach/result.go is one
// line here.

// resultShape renders what an analysis found.
func resultShape(r reach.Result) ec2api.NetworkInsightsAnalysis {
	return ec2api.NetworkInsightsAnalysis{
		NetworkPathFound:      ptr(r.NetworkPathFound),
		ForwardPathComponents: mapAll(r.ForwardPathComponents, pathComponentShape),
		ReturnPathComponents:  mapAll(r.ReturnPathComponents, pathComponentShape),
		Explanations:          mapAll(r.Explanations, explanationShape),
	}
}

func pathComponentShape(c reach.PathComponent) ec2api.PathComponent {
	return ec2api.PathComponent{
		SequenceNumber:    ptr(int32(c.SequenceNumber)),
		Component:         componentShape(c.Component),
		AttachedTo:        componentShape(c.AttachedTo),
		Vpc:               componentShape(c.Vpc),
		Subnet:            componentShape(c.Subnet),
		SourceVpc:         componentShape(c.SourceVpc),
		DestinationVpc:    componentShape(c.DestinationVpc),
		AclRule:           aclRuleShape(c.ACLRule),
		SecurityGroupRule: securityGroupRuleShape(c.SecurityGroupRule),
		RouteTableRoute:   analysisRouteShape(c.RouteTableRoute),
		InboundHeader:     headerShape(c.InboundHeader),
		OutboundHeader:    headerShape(c.OutboundHeader),

		ElasticLoadBalancerListener: componentShape(c.ElasticLoadBalancerListener),
		ServiceName:                 nonEmpty(c.ServiceName),
	}
}

func explanationShape(e reach.Explanation) ec2api.Explanation {
	return ec2api.Explanation{
		ExplanationCode:      ptr(string(e.ExplanationCode)),
		Component:            componentShape(e.Component),
		Acl:                  componentShape(e.ACL),
		AclRule:              aclRuleShape(e.ACLRule),
		DestinationVpc:       componentShape(e.DestinationVpc),
		SourceVpc:            componentShape(e.SourceVpc),
		InternetGateway:      componentShape(e.InternetGateway),
		NatGateway:           componentShape(e.NatGateway),
		NetworkInterface:     componentShape(e.NetworkInterface),
		RouteTable:           componentShape(e.RouteTable),
		RouteTableRoute:      analysisRouteShape(e.RouteTableRoute),
		SecurityGroup:        componentShape(e.SecurityGroup),
		SecurityGroupRule:    securityGroupRuleShape(e.SecurityGroupRule),
		SecurityGroups:       mapAll(e.SecurityGroups, componentValue),
		Subnet:               componentShape(e.Subnet),
		Vpc:                  componentShape(e.Vpc),
		VpcPeeringConnection: componentShape(e.VpcPeeringConnection),
		Direction:            nonEmpty(e.Direction),
		Address:              nonEmpty(e.Address),
		Addresses:            e.Addresses,
		Cidrs:                e.Cidrs,
		PacketField:          nonEmpty(e.PacketField),
		Port:                 nonZero(e.Port),
		PortRanges:           mapAll(e.PortRanges, portRangeValue),
		Protocols:            e.Protocols,
		State:                nonEmpty(e.State),
		MissingComponent:     nonEmpty(e.MissingComponent),
		ComponentAccount:     nonEmpty(e.ComponentAccount),
		ComponentRegion:      nonEmpty(e.ComponentRegion),

		VpcEndpoint:                 componentShape(e.VpcEndpoint),
		PrefixList:                  componentShape(e.PrefixList),
		Destination:                 componentShape(e.Destination),
		LoadBalancerArn:             nonEmpty(e.LoadBalancerArn),
		ElasticLoadBalancerListener: componentShape(e.ElasticLoadBalancerListener),
		LoadBalancerListenerPort:    nonZero(e.LoadBalancerListenerPort),
		LoadBalancerTarget:          loadBalancerTargetShape(e.LoadBalancerTarget),
		LoadBalancerTargetGroup:     componentShape(e.LoadBalancerTargetGroup),
		LoadBalancerTargetGroups:    mapAll(e.LoadBalancerTargetGroups, componentValue),
		LoadBalancerTargetPort:      nonZero(e.LoadBalancerTargetPort),
		AvailabilityZones:           e.AvailabilityZones,
		// PolicyDecision is vpcemu's own: EC2's shape has no member for it.
	}
}

func loadBalancerTargetShape(t *reach.LoadBalancerTarget) *ec2api.AnalysisLoadBalancerTarget {
	if t == nil {
		return nil
	}
	return &ec2api.AnalysisLoadBalancerTarget{
		Address:          nonEmpty(t.Address),
		AvailabilityZone: nonEmpty(t.AvailabilityZone),
		Instance:         componentShape(t.Instance),
		Port:             nonZero(t.Port),
	}
}

func componentShape(c *reach.Component) *ec2api.AnalysisComponent {
	if c == nil {
		return nil
	}
	v := componentValue(*c)
	return &v
}

func componentValue(c reach.Component) ec2api.AnalysisComponent {
	return ec2api.AnalysisComponent{Id: nonEmpty(c.ID), Arn: nonEmpty(c.ARN), Name: nonEmpty(c.Name)}
}

func aclRuleShape(r *reach.ACLRule) *ec2api.AnalysisAclRule {
	if r == nil {
		return nil
	}
	return &ec2api.AnalysisAclRule{
		Cidr:       nonEmpty(r.CIDR),
		Egress:     ptr(r.Egress),
		PortRange:  portRangeShape(r.PortRange),
		Protocol:   nonEmpty(r.Protocol),
		RuleAction: nonEmpty(r.RuleAction),
		RuleNumber: ptr(int32(r.RuleNumber)),
	}
}

// securityGroupRuleShape renders a rule; ReferencedGroupID is vpcemu's
// own and has no member in EC2's shape.
func securityGroupRuleShape(r *reach.SecurityGroupRule) *ec2api.AnalysisSecurityGroupRule {
	if r == nil {
		return nil
	}
	return &ec2api.AnalysisSecurityGroupRule{
		Cidr:            nonEmpty(r.CIDR),
		Direction:       nonEmpty(r.Direction),
		SecurityGroupId: nonEmpty(r.SecurityGroupID),
		PortRange:       portRangeShape(r.PortRange),
		PrefixListId:    nonEmpty(r.PrefixListID),
		Protocol:        nonEmpty(r.Protocol),
	}
}

func analysisRouteShape(r *reach.RouteTableRoute) *ec2api.AnalysisRouteTableRoute {
	if r == nil {
		return nil
	}
	return &ec2api.AnalysisRouteTableRoute{
		DestinationCidr:             nonEmpty(r.DestinationCIDR),
		DestinationPrefixListId:     nonEmpty(r.DestinationPrefixListID),
		EgressOnlyInternetGatewayId: nonEmpty(r.EgressOnlyInternetGatewayID),
		GatewayId:                   nonEmpty(r.GatewayID),
		InstanceId:                  nonEmpty(r.InstanceID),
		NatGatewayId:                nonEmpty(r.NATGatewayID),
		NetworkInterfaceId:          nonEmpty(r.NetworkInterfaceID),
		Origin:                      nonEmpty(r.Origin),
		TransitGatewayId:            nonEmpty(r.TransitGatewayID),
		VpcPeeringConnectionId:      nonEmpty(r.VPCPeeringConnectionID),
		State:                       nonEmpty(r.State),
		CarrierGatewayId:            nonEmpty(r.CarrierGatewayID),
		CoreNetworkArn:              nonEmpty(r.CoreNetworkARN),
		LocalGatewayId:              nonEmpty(r.LocalGatewayID),
	}
}

func headerShape(h *reach.PacketHeader) *ec2api.AnalysisPacketHeader {
	if h == nil {
		return nil
	}
	return &ec2api.AnalysisPacketHeader{
		SourceAddresses:       h.SourceAddresses,
		DestinationAddresses:  h.DestinationAddresses,
		SourcePortRanges:      mapAll(h.SourcePortRanges, portRangeValue),
		DestinationPortRanges: mapAll(h.DestinationPortRanges, portRangeValue),
		Protocol:              nonEmpty(h.Protocol),
	}
}

func portRangeShape(r *reach.PortRange) *ec2api.PortRange {
	if r == nil {
		return nil
	}
	v := portRangeValue(*r)
	return &v
}

func portRangeValue(r reach.PortRange) ec2api.PortRange {
	return ec2api.PortRange{From: ptr(int32(r.From)), To: ptr(int32(r.To))}
}

// mapAll maps each element of in; nil for none, as EC2 omits empty sets.
func mapAll[E, F any](in []E, f func(E) F) []F {
	if len(in) == 0 {
		return nil
	}
	out := make([]F, len(in))
	for i, e := range in {
		out[i] = f(e)
	}
	return out
}

// nonZero returns a pointer to n as an int32, or nil for 0.
func nonZero(n int) *int32 {
	if n == 0 {
		return nil
	}
	return ptr(int32(n))
}
