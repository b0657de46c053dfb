package elbv2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/elbv2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// loadBalancer renders a load balancer as the wire shape.
func loadBalancer(lb *elb.LoadBalancer) elbv2api.LoadBalancer {
	out := elbv2api.LoadBalancer{
		LoadBalancerArn:       new(lb.ID),
		DNSName:               optional.String(lb.DNSName()),
		CanonicalHostedZoneId: optional.String(lb.CanonicalHostedZoneID()),
		CreatedTime:           optional.Time(lb.CreatedTime),
		LoadBalancerName:      new(lb.Name),
		Scheme:                optional.String(lb.Scheme),
		VpcId:                 new(lb.VpcID),
		State:                 &elbv2api.LoadBalancerState{Code: new(lb.State)},
		Type:                  new(lb.Type),
		SecurityGroups:        lb.SecurityGroups,
		IpAddressType:         new(lb.IPAddressType),
		EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: optional.String(lb.EnforcePrivateLinkInbound),
	}
	for _, z := range lb.Zones {
		out.AvailabilityZones = append(out.AvailabilityZones, availabilityZone(z))
	}
	return out
}

// availabilityZone renders a zone; its addresses are those a subnet
// mapping pinned, as AWS lists them.
func availabilityZone(z elb.LoadBalancerZone) elbv2api.AvailabilityZone {
	out := elbv2api.AvailabilityZone{ZoneName: new(z.ZoneName), SubnetId: new(z.SubnetID)}
	switch {
	case z.AllocationID != "":
		out.LoadBalancerAddresses = []elbv2api.LoadBalancerAddress{{IpAddress: optional.String(z.PublicIP), AllocationId: new(z.AllocationID)}}
	case z.PrivateIPv4 != "":
		out.LoadBalancerAddresses = []elbv2api.LoadBalancerAddress{{PrivateIPv4Address: new(z.PrivateIPv4)}}
	}
	if z.IPv6Address != "" {
		if len(out.LoadBalancerAddresses) == 0 {
			out.LoadBalancerAddresses = []elbv2api.LoadBalancerAddress{{}}
		}
		out.LoadBalancerAddresses[0].IPv6Address = new(z.IPv6Address)
	}
	return out
}

func availabilityZones(lb *elb.LoadBalancer) []elbv2api.AvailabilityZone {
	out := make([]elbv2api.AvailabilityZone, len(lb.Zones))
	for i, z := range lb.Zones {
		out[i] = availabilityZone(z)
	}
	return out
}

// subnetMappings converts wire subnet mappings to domain ones.
func subnetMappings(in []elbv2api.SubnetMapping) []elb.SubnetMapping {
	out := make([]elb.SubnetMapping, len(in))
	for i, m := range in {
		out[i] = elb.SubnetMapping{SubnetID: optional.Value(m.SubnetId), AllocationID: optional.Value(m.AllocationId), PrivateIPv4: optional.Value(m.PrivateIPv4Address), IPv6Address: optional.Value(m.IPv6Address)}
	}
	return out
}

// CreateLoadBalancer implements elbv2api.Handler.
func (s *Service) CreateLoadBalancer(ctx context.Context, req *awsproto.Request, in *elbv2api.CreateLoadBalancerInput) (*elbv2api.CreateLoadBalancerOutput, error) {
	if err := checkEnums(
		checkEnum("type", in.Type, elbv2api.LoadBalancerTypeEnumValues),
		checkEnum("scheme", in.Scheme, elbv2api.LoadBalancerSchemeEnumValues),
		checkEnum("ipAddressType", in.IpAddressType, elbv2api.IpAddressTypeValues),
	); err != nil {
		return nil, err
	}
	lb, err := s.elb.CreateLoadBalancer(ctx, caller(req), elb.CreateLoadBalancerInput{
		Name: optional.Value(in.Name), Type: optional.Value(in.Type), Scheme: optional.Value(in.Scheme), IPAddressType: optional.Value(in.IpAddressType),
		Subnets: in.Subnets, SubnetMappings: subnetMappings(in.SubnetMappings), SecurityGroups: in.SecurityGroups,
		Tags: tags(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	return &elbv2api.CreateLoadBalancerOutput{LoadBalancers: []elbv2api.LoadBalancer{loadBalancer(lb)}}, nil
}

// DeleteLoadBalancer implements elbv2api.Handler.
func (s *Service) DeleteLoadBalancer(ctx context.Context, req *awsproto.Request, in *elbv2api.DeleteLoadBalancerInput) (*elbv2api.DeleteLoadBalancerOutput, error) {
	return &elbv2api.DeleteLoadBalancerOutput{}, s.elb.DeleteLoadBalancer(ctx, caller(req), optional.Value(in.LoadBalancerArn))
}

// DescribeLoadBalancers implements elbv2api.Handler: by ARNs, by names or
// all, a page at a time.
func (s *Service) DescribeLoadBalancers(ctx context.Context, req *awsproto.Request, in *elbv2api.DescribeLoadBalancersInput) (*elbv2api.DescribeLoadBalancersOutput, error) {
	if err := exclusive("Load balancer names and load balancer ARNs cannot be specified at the same time", len(in.Names) > 0, len(in.LoadBalancerArns) > 0); err != nil {
		return nil, err
	}
	who := caller(req)
	arns := in.LoadBalancerArns
	if err := elb.CheckELBARNs(arns, cloud.KindLoadBalancer); err != nil {
		return nil, err
	}
	if len(in.Names) > 0 {
		var err error
		if arns, err = s.elb.LoadBalancerARNs(ctx, who, in.Names); err != nil {
			return nil, err
		}
	}
	q, err := page(arns, in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	p, err := cloud.List[elb.LoadBalancer](ctx, s.elb.Cloud, who, q, nil)
	if err != nil {
		return nil, notFoundByARN(err, cloud.KindLoadBalancer)
	}
	out := &elbv2api.DescribeLoadBalancersOutput{NextMarker: nextMarker(p.Next)}
	for _, lb := range p.Items {
		out.LoadBalancers = append(out.LoadBalancers, loadBalancer(lb))
	}
	return out, nil
}

// notFoundByARN words List's refusal of missing ARNs as ELB does.
func notFoundByARN(err error, k cloud.Kind) error {
	if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound && e.Subject == k {
		return cloud.ELBNotFound(k)
	}
	return err
}

// DescribeLoadBalancerAttributes implements elbv2api.Handler.
func (s *Service) DescribeLoadBalancerAttributes(ctx context.Context, req *awsproto.Request, in *elbv2api.DescribeLoadBalancerAttributesInput) (*elbv2api.DescribeLoadBalancerAttributesOutput, error) {
	attrs, err := s.elb.LoadBalancerAttributes(ctx, caller(req), optional.Value(in.LoadBalancerArn))
	if err != nil {
		return nil, err
	}
	return &elbv2api.DescribeLoadBalancerAttributesOutput{Attributes: lbAttributes(attrs)}, nil
}

func lbAttributes(attrs []elb.Attribute) []elbv2api.LoadBalancerAttribute {
	return wireAttributes(attrs, func(k, v *string) elbv2api.LoadBalancerAttribute {
		return elbv2api.LoadBalancerAttribute{Key: k, Value: v}
	})
}

// ModifyLoadBalancerAttributes implements elbv2api.Handler.
func (s *Service) ModifyLoadBalancerAttributes(ctx context.Context, req *awsproto.Request, in *elbv2api.ModifyLoadBalancerAttributesInput) (*elbv2api.ModifyLoadBalancerAttributesOutput, error) {
	changes := attributes(in.Attributes, func(a elbv2api.LoadBalancerAttribute) (*string, *string) { return a.Key, a.Value })
	attrs, err := s.elb.ModifyLoadBalancerAttributes(ctx, caller(req), optional.Value(in.LoadBalancerArn), changes)
	if err != nil {
		return nil, err
	}
	return &elbv2api.ModifyLoadBalancerAttributesOutput{Attributes: lbAttributes(attrs)}, nil
}

// SetSubnets implements elbv2api.Handler.
func (s *Service) SetSubnets(ctx context.Context, req *awsproto.Request, in *elbv2api.SetSubnetsInput) (*elbv2api.SetSubnetsOutput, error) {
	if err := checkEnum("ipAddressType", in.IpAddressType, elbv2api.IpAddressTypeValues); err != nil {
		return nil, err
	}
	lb, err := s.elb.SetSubnets(ctx, caller(req), optional.Value(in.LoadBalancerArn), in.Subnets, subnetMappings(in.SubnetMappings), optional.Value(in.IpAddressType))
	if err != nil {
		return nil, err
	}
	return &elbv2api.SetSubnetsOutput{AvailabilityZones: availabilityZones(lb), IpAddressType: new(lb.IPAddressType)}, nil
}

// SetSecurityGroups implements elbv2api.Handler.
func (s *Service) SetSecurityGroups(ctx context.Context, req *awsproto.Request, in *elbv2api.SetSecurityGroupsInput) (*elbv2api.SetSecurityGroupsOutput, error) {
	enforce := in.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic
	if err := checkEnum("enforceSecurityGroupInboundRulesOnPrivateLinkTraffic", enforce, elbv2api.EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnumValues); err != nil {
		return nil, err
	}
	lb, err := s.elb.SetSecurityGroups(ctx, caller(req), optional.Value(in.LoadBalancerArn), in.SecurityGroups, optional.Value(enforce))
	if err != nil {
		return nil, err
	}
	return &elbv2api.SetSecurityGroupsOutput{
		SecurityGroupIds: lb.SecurityGroups,
		EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: optional.String(lb.EnforcePrivateLinkInbound),
	}, nil
}

// SetIpAddressType implements elbv2api.Handler.
func (s *Service) SetIpAddressType(ctx context.Context, req *awsproto.Request, in *elbv2api.SetIpAddressTypeInput) (*elbv2api.SetIpAddressTypeOutput, error) {
	if err := checkEnum("ipAddressType", in.IpAddressType, elbv2api.IpAddressTypeValues); err != nil {
		return nil, err
	}
	lb, err := s.elb.SetIPAddressType(ctx, caller(req), optional.Value(in.LoadBalancerArn), optional.Value(in.IpAddressType))
	if err != nil {
		return nil, err
	}
	return &elbv2api.SetIpAddressTypeOutput{IpAddressType: new(lb.IPAddressType)}, nil
}

// DescribeCapacityReservation implements elbv2api.Handler. vpcemu models
// no capacity reservations, so a load balancer has none, as a new one on
// AWS.
func (s *Service) DescribeCapacityReservation(ctx context.Context, req *awsproto.Request, in *elbv2api.DescribeCapacityReservationInput) (*elbv2api.DescribeCapacityReservationOutput, error) {
	if _, err := s.elb.GetLoadBalancer(ctx, caller(req), optional.Value(in.LoadBalancerArn)); err != nil {
		return nil, err
	}
	return &elbv2api.DescribeCapacityReservationOutput{}, nil
}
