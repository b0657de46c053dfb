package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// vpcEndpointShape renders an endpoint as DescribeVpcEndpoints does.
// Gateway Load Balancer endpoints have no policy, groups, DNS or route
// tables to show.
func vpcEndpointShape(e *privatelink.VPCEndpoint) ec2api.VpcEndpoint {
	out := ec2api.VpcEndpoint{
		VpcEndpointId:       new(e.ID),
		VpcEndpointType:     new(e.Type),
		VpcId:               new(e.VpcID),
		ServiceName:         new(e.ServiceName),
		ServiceRegion:       new(e.ServiceRegionName()),
		State:               new(e.State),
		PolicyDocument:      optional.String(e.PolicyDocument),
		SubnetIds:           append([]string{}, e.SubnetIDs...),
		NetworkInterfaceIds: append([]string{}, e.NetworkInterfaceIDs...),
		IpAddressType:       optional.String(e.IPAddressType),
		RequesterManaged:    new(e.RequesterManaged),
		CreationTimestamp:   optional.Time(e.CreationTime),
		Tags:                tagSet(e.Tags),
		OwnerId:             new(e.Owner),
	}
	if e.LastError != nil {
		out.LastError = &ec2api.LastError{Code: new(e.LastError.Code), Message: new(e.LastError.Message)}
	}
	if e.Type == privatelink.EndpointTypeGatewayLoadBalancer {
		return out
	}
	out.RouteTableIds = append([]string{}, e.RouteTableIDs...)
	out.PrivateDnsEnabled = new(e.PrivateDNSEnabled)
	out.Groups = make([]ec2api.SecurityGroupIdentifier, 0, len(e.SecurityGroupIDs))
	for i, id := range e.SecurityGroupIDs {
		out.Groups = append(out.Groups, ec2api.SecurityGroupIdentifier{GroupId: new(id), GroupName: optional.String(e.GroupNames[i])})
	}
	out.DnsEntries = make([]ec2api.DnsEntry, 0, len(e.DNSEntries))
	for _, d := range e.DNSEntries {
		out.DnsEntries = append(out.DnsEntries, ec2api.DnsEntry{DnsName: new(d.DNSName), HostedZoneId: new(d.HostedZoneID)})
	}
	if e.HasDNSOptions() {
		out.DnsOptions = &ec2api.DnsOptions{DnsRecordIpType: optional.String(e.DNSRecordIPType)}
		if e.ShowsInboundResolverOption() {
			out.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint = new(e.PrivateDNSOnlyForInboundResolverEndpoint)
		}
	}
	return out
}

// endpointSubnetConfigs reads SubnetConfigurations.
func endpointSubnetConfigs(in []ec2api.SubnetConfiguration) []privatelink.EndpointSubnetConfig {
	out := make([]privatelink.EndpointSubnetConfig, 0, len(in))
	for _, c := range in {
		out = append(out, privatelink.EndpointSubnetConfig{SubnetID: optional.Value(c.SubnetId), IPv4: optional.Value(c.Ipv4), IPv6: optional.Value(c.Ipv6)})
	}
	return out
}

// endpointDNSOptions reads DnsOptions.
func endpointDNSOptions(in *ec2api.DnsOptionsSpecification) privatelink.EndpointDNSOptions {
	if in == nil {
		return privatelink.EndpointDNSOptions{}
	}
	return privatelink.EndpointDNSOptions{RecordIPType: optional.Value(in.DnsRecordIpType), PrivateDNSOnlyForInboundResolverEndpoint: in.PrivateDnsOnlyForInboundResolverEndpoint}
}

// CreateVpcEndpoint implements ec2api.Handler.
func (s *Service) CreateVpcEndpoint(ctx context.Context, req *awsproto.Request, in *ec2api.CreateVpcEndpointInput) (*ec2api.CreateVpcEndpointOutput, error) {
	e, err := s.privatelink.CreateVPCEndpoint(ctx, caller(req), privatelink.CreateVPCEndpointInput{
		VpcID:             optional.Value(in.VpcId),
		ServiceName:       optional.Value(in.ServiceName),
		ServiceRegion:     optional.Value(in.ServiceRegion),
		Type:              optional.Value(in.VpcEndpointType),
		PolicyDocument:    in.PolicyDocument,
		RouteTableIDs:     in.RouteTableIds,
		SubnetIDs:         in.SubnetIds,
		SubnetConfigs:     endpointSubnetConfigs(in.SubnetConfigurations),
		SecurityGroupIDs:  in.SecurityGroupIds,
		PrivateDNSEnabled: in.PrivateDnsEnabled,
		IPAddressType:     optional.Value(in.IpAddressType),
		DNSOptions:        endpointDNSOptions(in.DnsOptions),
		Tags:              tagSpecs(in.TagSpecifications),
	})
	if err != nil {
		return nil, err
	}
	shape := vpcEndpointShape(e)
	return &ec2api.CreateVpcEndpointOutput{VpcEndpoint: &shape, ClientToken: in.ClientToken}, nil
}

// ModifyVpcEndpoint implements ec2api.Handler.
func (s *Service) ModifyVpcEndpoint(ctx context.Context, req *awsproto.Request, in *ec2api.ModifyVpcEndpointInput) (*ec2api.ModifyVpcEndpointOutput, error) {
	var dns *privatelink.EndpointDNSOptions
	if in.DnsOptions != nil {
		opts := endpointDNSOptions(in.DnsOptions)
		dns = &opts
	}
	err := s.privatelink.ModifyVPCEndpoint(ctx, caller(req), privatelink.ModifyVPCEndpointInput{
		ID:                     optional.Value(in.VpcEndpointId),
		ResetPolicy:            optional.Value(in.ResetPolicy),
		PolicyDocument:         in.PolicyDocument,
		AddRouteTableIDs:       in.AddRouteTableIds,
		RemoveRouteTableIDs:    in.RemoveRouteTableIds,
		AddSubnetIDs:           in.AddSubnetIds,
		RemoveSubnetIDs:        in.RemoveSubnetIds,
		AddSecurityGroupIDs:    in.AddSecurityGroupIds,
		RemoveSecurityGroupIDs: in.RemoveSecurityGroupIds,
		SubnetConfigs:          endpointSubnetConfigs(in.SubnetConfigurations),
		PrivateDNSEnabled:      in.PrivateDnsEnabled,
		IPAddressType:          optional.Value(in.IpAddressType),
		DNSOptions:             dns,
	})
	if err != nil {
		return nil, err
	}
	return &ec2api.ModifyVpcEndpointOutput{Return: new(true)}, nil
}

// DeleteVpcEndpoints implements ec2api.Handler: endpoints that cannot be
// deleted are listed as unsuccessful, with the error EC2 gives for each.
func (s *Service) DeleteVpcEndpoints(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteVpcEndpointsInput) (*ec2api.DeleteVpcEndpointsOutput, error) {
	failed, err := s.privatelink.DeleteVPCEndpoints(ctx, caller(req), in.VpcEndpointIds)
	if err != nil {
		return nil, err
	}
	return &ec2api.DeleteVpcEndpointsOutput{Unsuccessful: unsuccessfulItems(failed)}, nil
}

// serviceRegionOf is the region of an endpoint's service, for filters.
func serviceRegionOf(e *privatelink.VPCEndpoint) []string { return one(e.ServiceRegionName()) }

var vpcEndpointFilters = &filters[*privatelink.VPCEndpoint]{
	values: map[string]func(*privatelink.VPCEndpoint) []string{
		"ip-address-type":    func(e *privatelink.VPCEndpoint) []string { return one(e.IPAddressType) },
		"service-name":       func(e *privatelink.VPCEndpoint) []string { return one(e.ServiceName) },
		"service-region":     serviceRegionOf,
		"vpc-id":             func(e *privatelink.VPCEndpoint) []string { return one(e.VpcID) },
		"vpc-endpoint-id":    func(e *privatelink.VPCEndpoint) []string { return one(e.ID) },
		"vpc-endpoint-state": func(e *privatelink.VPCEndpoint) []string { return one(e.State) },
		"vpc-endpoint-type":  func(e *privatelink.VPCEndpoint) []string { return one(e.Type) },
	},
	tags: func(e *privatelink.VPCEndpoint) cloud.Tags { return e.Tags },
}

// maxDescribeEndpoints is the most endpoints one DescribeVpcEndpoints
// page holds.
const maxDescribeEndpoints = 1000

// DescribeVpcEndpoints implements ec2api.Handler.
func (s *Service) DescribeVpcEndpoints(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeVpcEndpointsInput) (*ec2api.DescribeVpcEndpointsOutput, error) {
	if err := privatelink.CheckVPCEndpointIDs(in.VpcEndpointIds); err != nil {
		return nil, err
	}
	if in.MaxResults != nil && *in.MaxResults > maxDescribeEndpoints {
		in.MaxResults = new(int32(maxDescribeEndpoints))
	}
	page, err := describe[privatelink.VPCEndpoint](ctx, req, s, vpcEndpointFilters, in.VpcEndpointIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeVpcEndpointsOutput{VpcEndpoints: make([]ec2api.VpcEndpoint, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, e := range page.Items {
		out.VpcEndpoints = append(out.VpcEndpoints, vpcEndpointShape(e))
	}
	return out, nil
}
