package ec2

import (
	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/optional"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// The reachability engine's result in EC2's shapes. reach's types mirror
// the EC2 shapes member for member, so each function here maps one type and
// each line one member: a member added to internal/reach/result.go is one
// line here.

// resultShape renders what an analysis found.
func resultShape(r reach.Result) ec2api.NetworkInsightsAnalysis {
	return ec2api.NetworkInsightsAnalysis{
		NetworkPathFound:      new(r.NetworkPathFound),
		ForwardPathComponents: mapAll(r.ForwardPathComponents, pathComponentShape),
		ReturnPathComponents:  mapAll(r.ReturnPathComponents, pathComponentShape),
		Explanations:          mapAll(r.Explanations, explanationShape),
	}
}

func pathComponentShape(c reach.PathComponent) ec2api.PathComponent {
	return ec2api.PathComponent{
		SequenceNumber:    new(int32(c.SequenceNumber)),
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
		ServiceName:                 optional.String(c.ServiceName),
	}
}

func explanationShape(e reach.Explanation) ec2api.Explanation {
	return ec2api.Explanation{
		ExplanationCode:      new(string(e.ExplanationCode)),
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
		Direction:            optional.String(e.Direction),
		Address:              optional.String(e.Address),
		Addresses:            e.Addresses,
		Cidrs:                e.Cidrs,
		PacketField:          optional.String(e.PacketField),
		Port:                 nonZero(e.Port),
		PortRanges:           mapAll(e.PortRanges, portRangeValue),
		Protocols:            e.Protocols,
		State:                optional.String(e.State),
		MissingComponent:     optional.String(e.MissingComponent),
		ComponentAccount:     optional.String(e.ComponentAccount),
		ComponentRegion:      optional.String(e.ComponentRegion),

		VpcEndpoint:                 componentShape(e.VpcEndpoint),
		PrefixList:                  componentShape(e.PrefixList),
		Destination:                 componentShape(e.Destination),
		LoadBalancerArn:             optional.String(e.LoadBalancerArn),
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
		Address:          optional.String(t.Address),
		AvailabilityZone: optional.String(t.AvailabilityZone),
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
	return ec2api.AnalysisComponent{Id: optional.String(c.ID), Arn: optional.String(c.ARN), Name: optional.String(c.Name)}
}

func aclRuleShape(r *reach.ACLRule) *ec2api.AnalysisAclRule {
	if r == nil {
		return nil
	}
	return &ec2api.AnalysisAclRule{
		Cidr:       optional.String(r.CIDR),
		Egress:     new(r.Egress),
		PortRange:  portRangeShape(r.PortRange),
		Protocol:   optional.String(r.Protocol),
		RuleAction: optional.String(r.RuleAction),
		RuleNumber: new(int32(r.RuleNumber)),
	}
}

// securityGroupRuleShape renders a rule; ReferencedGroupID is vpcemu's
// own and has no member in EC2's shape.
func securityGroupRuleShape(r *reach.SecurityGroupRule) *ec2api.AnalysisSecurityGroupRule {
	if r == nil {
		return nil
	}
	return &ec2api.AnalysisSecurityGroupRule{
		Cidr:            optional.String(r.CIDR),
		Direction:       optional.String(r.Direction),
		SecurityGroupId: optional.String(r.SecurityGroupID),
		PortRange:       portRangeShape(r.PortRange),
		PrefixListId:    optional.String(r.PrefixListID),
		Protocol:        optional.String(r.Protocol),
	}
}

func analysisRouteShape(r *reach.RouteTableRoute) *ec2api.AnalysisRouteTableRoute {
	if r == nil {
		return nil
	}
	return &ec2api.AnalysisRouteTableRoute{
		DestinationCidr:             optional.String(r.DestinationCIDR),
		DestinationPrefixListId:     optional.String(r.DestinationPrefixListID),
		EgressOnlyInternetGatewayId: optional.String(r.EgressOnlyInternetGatewayID),
		GatewayId:                   optional.String(r.GatewayID),
		InstanceId:                  optional.String(r.InstanceID),
		NatGatewayId:                optional.String(r.NATGatewayID),
		NetworkInterfaceId:          optional.String(r.NetworkInterfaceID),
		Origin:                      optional.String(r.Origin),
		TransitGatewayId:            optional.String(r.TransitGatewayID),
		VpcPeeringConnectionId:      optional.String(r.VPCPeeringConnectionID),
		State:                       optional.String(r.State),
		CarrierGatewayId:            optional.String(r.CarrierGatewayID),
		CoreNetworkArn:              optional.String(r.CoreNetworkARN),
		LocalGatewayId:              optional.String(r.LocalGatewayID),
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
		Protocol:              optional.String(h.Protocol),
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
	return ec2api.PortRange{From: new(int32(r.From)), To: new(int32(r.To))}
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
	return new(int32(n))
}
