package ec2

import (
	"context"
	"strings"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// serviceConfigurationShape renders an endpoint service as its owner sees
// it. AWS sends an empty privateDnsNameConfiguration when the service has
// no private DNS name.
func serviceConfigurationShape(s *privatelink.ServiceConfiguration) ec2api.ServiceConfiguration {
	out := ec2api.ServiceConfiguration{
		ServiceType:                 []ec2api.ServiceTypeDetail{{ServiceType: new(s.Type)}},
		ServiceId:                   new(s.ID),
		ServiceName:                 new(s.ServiceName()),
		ServiceState:                new(s.State),
		AcceptanceRequired:          new(s.AcceptanceRequired),
		ManagesVpcEndpoints:         new(false),
		NetworkLoadBalancerArns:     s.NetworkLoadBalancerARNs,
		GatewayLoadBalancerArns:     s.GatewayLoadBalancerARNs,
		SupportedIpAddressTypes:     s.SupportedIPAddressTypes,
		BaseEndpointDnsNames:        s.BaseEndpointDNSNames(),
		PrivateDnsName:              optional.String(s.PrivateDNSName),
		PrivateDnsNameConfiguration: &ec2api.PrivateDnsNameConfiguration{},
		PayerResponsibility:         optional.String(s.PayerResponsibility),
		RemoteAccessEnabled:         new(s.RemoteAccessEnabled()),
		Tags:                        tagSet(s.Tags),
	}
	if s.PrivateDNSName != "" {
		out.PrivateDnsNameConfiguration = &ec2api.PrivateDnsNameConfiguration{
			State: new(s.PrivateDNSState), Type: new("TXT"), Name: new(s.PrivateDNSTXTName), Value: new(s.PrivateDNSTXTValue),
		}
	}
	for _, z := range s.Zones {
		out.AvailabilityZones = append(out.AvailabilityZones, z.Name)
		out.AvailabilityZoneIds = append(out.AvailabilityZoneIds, z.ID)
	}
	for _, r := range s.SupportedRegions {
		out.SupportedRegions = append(out.SupportedRegions, ec2api.SupportedRegionDetail{Region: new(r), ServiceState: new(s.State)})
	}
	return out
}

// CreateVpcEndpointServiceConfiguration implements ec2api.Handler.
func (s *Service) CreateVpcEndpointServiceConfiguration(ctx context.Context, req *awsproto.Request, in *ec2api.CreateVpcEndpointServiceConfigurationInput) (*ec2api.CreateVpcEndpointServiceConfigurationOutput, error) {
	svc, err := s.privatelink.CreateServiceConfiguration(ctx, caller(req), privatelink.ServiceConfigurationInput{
		NetworkLoadBalancerARNs: in.NetworkLoadBalancerArns,
		GatewayLoadBalancerARNs: in.GatewayLoadBalancerArns,
		AcceptanceRequired:      optional.Value(in.AcceptanceRequired),
		PrivateDNSName:          optional.Value(in.PrivateDnsName),
		SupportedIPAddressTypes: in.SupportedIpAddressTypes,
		SupportedRegions:        in.SupportedRegions,
		Tags:                    tagSpecs(in.TagSpecifications),
	})
	if err != nil {
		return nil, err
	}
	shape := serviceConfigurationShape(svc)
	return &ec2api.CreateVpcEndpointServiceConfigurationOutput{ServiceConfiguration: &shape, ClientToken: in.ClientToken}, nil
}

// ModifyVpcEndpointServiceConfiguration implements ec2api.Handler.
func (s *Service) ModifyVpcEndpointServiceConfiguration(ctx context.Context, req *awsproto.Request, in *ec2api.ModifyVpcEndpointServiceConfigurationInput) (*ec2api.ModifyVpcEndpointServiceConfigurationOutput, error) {
	err := s.privatelink.ModifyServiceConfiguration(ctx, caller(req), privatelink.ModifyServiceConfigurationInput{
		ID:                   optional.Value(in.ServiceId),
		AcceptanceRequired:   in.AcceptanceRequired,
		PrivateDNSName:       in.PrivateDnsName,
		RemovePrivateDNSName: optional.Value(in.RemovePrivateDnsName),
		AddNLBs:              in.AddNetworkLoadBalancerArns,
		RemoveNLBs:           in.RemoveNetworkLoadBalancerArns,
		AddGWLBs:             in.AddGatewayLoadBalancerArns,
		RemoveGWLBs:          in.RemoveGatewayLoadBalancerArns,
		AddIPAddressTypes:    in.AddSupportedIpAddressTypes,
		RemoveIPAddressTypes: in.RemoveSupportedIpAddressTypes,
		AddRegions:           in.AddSupportedRegions,
		RemoveRegions:        in.RemoveSupportedRegions,
	})
	if err != nil {
		return nil, err
	}
	return &ec2api.ModifyVpcEndpointServiceConfigurationOutput{Return: new(true)}, nil
}

// unsuccessfulItems renders a batch call's refused ids; AWS sends the list
// even when it is empty.
func unsuccessfulItems(failed []cloud.Unsuccessful) []ec2api.UnsuccessfulItem {
	out := make([]ec2api.UnsuccessfulItem, 0, len(failed))
	for _, f := range failed {
		e := MapError(f.Err)
		out = append(out, ec2api.UnsuccessfulItem{ResourceId: new(f.ID), Error: &ec2api.UnsuccessfulItemError{Code: new(e.Code), Message: new(e.Message)}})
	}
	return out
}

// DeleteVpcEndpointServiceConfigurations implements ec2api.Handler.
func (s *Service) DeleteVpcEndpointServiceConfigurations(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteVpcEndpointServiceConfigurationsInput) (*ec2api.DeleteVpcEndpointServiceConfigurationsOutput, error) {
	failed, err := s.privatelink.DeleteServiceConfigurations(ctx, caller(req), in.ServiceIds)
	if err != nil {
		return nil, err
	}
	return &ec2api.DeleteVpcEndpointServiceConfigurationsOutput{Unsuccessful: unsuccessfulItems(failed)}, nil
}

var serviceConfigurationFilters = &filters[*privatelink.ServiceConfiguration]{
	values: map[string]func(*privatelink.ServiceConfiguration) []string{
		"service-name":               func(s *privatelink.ServiceConfiguration) []string { return one(s.ServiceName()) },
		"service-id":                 func(s *privatelink.ServiceConfiguration) []string { return one(s.ID) },
		"service-state":              func(s *privatelink.ServiceConfiguration) []string { return one(s.State) },
		"supported-ip-address-types": func(s *privatelink.ServiceConfiguration) []string { return s.SupportedIPAddressTypes },
	},
	tags: func(s *privatelink.ServiceConfiguration) cloud.Tags { return s.Tags },
}

// DescribeVpcEndpointServiceConfigurations implements ec2api.Handler: the
// caller's endpoint services, in id order.
func (s *Service) DescribeVpcEndpointServiceConfigurations(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeVpcEndpointServiceConfigurationsInput) (*ec2api.DescribeVpcEndpointServiceConfigurationsOutput, error) {
	page, err := describe[privatelink.ServiceConfiguration](ctx, req, s, serviceConfigurationFilters, in.ServiceIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeVpcEndpointServiceConfigurationsOutput{ServiceConfigurations: make([]ec2api.ServiceConfiguration, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, svc := range page.Items {
		out.ServiceConfigurations = append(out.ServiceConfigurations, serviceConfigurationShape(svc))
	}
	return out, nil
}

// ModifyVpcEndpointServicePermissions implements ec2api.Handler.
func (s *Service) ModifyVpcEndpointServicePermissions(ctx context.Context, req *awsproto.Request, in *ec2api.ModifyVpcEndpointServicePermissionsInput) (*ec2api.ModifyVpcEndpointServicePermissionsOutput, error) {
	added, err := s.privatelink.ModifyServicePermissions(ctx, caller(req), optional.Value(in.ServiceId), in.AddAllowedPrincipals, in.RemoveAllowedPrincipals)
	if err != nil {
		return nil, err
	}
	out := &ec2api.ModifyVpcEndpointServicePermissionsOutput{ReturnValue: new(true)}
	for _, p := range added {
		out.AddedPrincipals = append(out.AddedPrincipals, ec2api.AddedPrincipal{
			PrincipalType: new(p.PrincipalType), Principal: new(p.Principal), ServicePermissionId: new(p.ID), ServiceId: in.ServiceId,
		})
	}
	return out, nil
}

var servicePermissionFilters = &filters[privatelink.ServicePermission]{
	values: map[string]func(privatelink.ServicePermission) []string{
		"principal":      func(p privatelink.ServicePermission) []string { return one(p.Principal) },
		"principal-type": func(p privatelink.ServicePermission) []string { return one(p.PrincipalType) },
	},
	tags: func(p privatelink.ServicePermission) cloud.Tags { return p.Tags },
}

// checkPrincipalFilter refuses what AWS refuses: a principal filter value
// with a slash (a user or role ARN) "contains unsupported characters", as
// the Terraform provider notes when it filters client-side instead.
func checkPrincipalFilter(fs []ec2api.Filter) error {
	for _, f := range fs {
		if optional.Value(f.Name) != "principal" {
			continue
		}
		for _, v := range f.Values {
			if strings.Contains(v, "/") {
				return awsproto.Errorf("InvalidFilter", "The filter value %s contains unsupported characters", v)
			}
		}
	}
	return nil
}

// DescribeVpcEndpointServicePermissions implements ec2api.Handler: the
// allowed principals of one of the caller's services, paged by permission
// id in the order they were added.
func (s *Service) DescribeVpcEndpointServicePermissions(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeVpcEndpointServicePermissionsInput) (*ec2api.DescribeVpcEndpointServicePermissionsOutput, error) {
	if err := checkPrincipalFilter(in.Filters); err != nil {
		return nil, err
	}
	match, _, err := servicePermissionFilters.compile(in.Filters)
	if err != nil {
		return nil, err
	}
	perms, err := s.privatelink.ServicePermissions(ctx, caller(req), optional.Value(in.ServiceId))
	if err != nil {
		return nil, err
	}
	page, err := slicePage(matching(perms, match), func(p privatelink.ServicePermission) string { return p.ID }, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeVpcEndpointServicePermissionsOutput{AllowedPrincipals: make([]ec2api.AllowedPrincipal, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, p := range page.Items {
		out.AllowedPrincipals = append(out.AllowedPrincipals, ec2api.AllowedPrincipal{
			PrincipalType: new(p.PrincipalType), Principal: new(p.Principal), ServicePermissionId: new(p.ID), ServiceId: in.ServiceId, Tags: tagSet(p.Tags),
		})
	}
	return out, nil
}

// matching keeps the items match accepts (all of them for a nil match).
func matching[E any](items []E, match func(E) bool) []E {
	if match == nil {
		return items
	}
	var out []E
	for _, x := range items {
		if match(x) {
			out = append(out, x)
		}
	}
	return out
}

// ModifyVpcEndpointServicePayerResponsibility implements ec2api.Handler.
func (s *Service) ModifyVpcEndpointServicePayerResponsibility(ctx context.Context, req *awsproto.Request, in *ec2api.ModifyVpcEndpointServicePayerResponsibilityInput) (*ec2api.ModifyVpcEndpointServicePayerResponsibilityOutput, error) {
	if err := s.privatelink.SetPayerResponsibility(ctx, caller(req), optional.Value(in.ServiceId), optional.Value(in.PayerResponsibility)); err != nil {
		return nil, err
	}
	return &ec2api.ModifyVpcEndpointServicePayerResponsibilityOutput{ReturnValue: new(true)}, nil
}

// StartVpcEndpointServicePrivateDnsVerification implements ec2api.Handler:
// the name is verified when a public hosted zone holds the TXT record the
// service asked for, and failed otherwise (see
// privatelink.StartPrivateDNSVerification).
func (s *Service) StartVpcEndpointServicePrivateDnsVerification(ctx context.Context, req *awsproto.Request, in *ec2api.StartVpcEndpointServicePrivateDnsVerificationInput) (*ec2api.StartVpcEndpointServicePrivateDnsVerificationOutput, error) {
	if err := s.privatelink.StartPrivateDNSVerification(ctx, caller(req), optional.Value(in.ServiceId)); err != nil {
		return nil, err
	}
	return &ec2api.StartVpcEndpointServicePrivateDnsVerificationOutput{ReturnValue: new(true)}, nil
}
