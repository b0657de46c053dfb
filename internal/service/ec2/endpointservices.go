package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/optional"
)

func serviceDetailShape(s *privatelink.EndpointService) ec2api.ServiceDetail {
	out := ec2api.ServiceDetail{
		ServiceName:                     new(s.Name),
		ServiceId:                       new(s.ID),
		ServiceType:                     []ec2api.ServiceTypeDetail{{ServiceType: new(s.Type)}},
		ServiceRegion:                   new(s.Region),
		Owner:                           new(s.Owner),
		BaseEndpointDnsNames:            s.BaseEndpointDNSNames,
		PrivateDnsName:                  optional.String(s.PrivateDNSName()),
		PrivateDnsNameVerificationState: optional.String(s.PrivateDNSNameVerificationState),
		VpcEndpointPolicySupported:      new(s.PolicySupported),
		AcceptanceRequired:              new(s.AcceptanceRequired),
		ManagesVpcEndpoints:             new(s.ManagesVPCEndpoints),
		SupportedIpAddressTypes:         s.IPAddressTypes,
		PayerResponsibility:             optional.String(s.PayerResponsibility),
		Tags:                            tagSet(s.Tags),
	}
	for _, z := range s.Zones {
		out.AvailabilityZones = append(out.AvailabilityZones, z.Name)
		out.AvailabilityZoneIds = append(out.AvailabilityZoneIds, z.ID)
	}
	for _, n := range s.PrivateDNSNames {
		out.PrivateDnsNames = append(out.PrivateDnsNames, ec2api.PrivateDnsDetails{PrivateDnsName: new(n)})
	}
	return out
}

var endpointServiceFilters = &filters[*privatelink.EndpointService]{
	values: map[string]func(*privatelink.EndpointService) []string{
		"owner":                      func(s *privatelink.EndpointService) []string { return one(s.Owner) },
		"service-name":               func(s *privatelink.EndpointService) []string { return one(s.Name) },
		"service-region":             func(s *privatelink.EndpointService) []string { return one(s.Region) },
		"service-type":               func(s *privatelink.EndpointService) []string { return one(s.Type) },
		"supported-ip-address-types": func(s *privatelink.EndpointService) []string { return s.IPAddressTypes },
	},
	tags: func(s *privatelink.EndpointService) cloud.Tags { return s.Tags },
}

// DescribeVpcEndpointServices implements ec2api.Handler: the services the
// caller can connect to (see cloud.VisibleEndpointServices), by name then
// type. ServiceNames lists the names of the page's services.
func (s *Service) DescribeVpcEndpointServices(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeVpcEndpointServicesInput) (*ec2api.DescribeVpcEndpointServicesOutput, error) {
	match, _, err := endpointServiceFilters.compile(in.Filters)
	if err != nil {
		return nil, err
	}
	services, err := s.privatelink.VisibleEndpointServices(ctx, caller(req), in.ServiceNames, in.ServiceRegions)
	if err != nil {
		return nil, err
	}
	page, err := slicePage(matching(services, match), (*privatelink.EndpointService).SortKey, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeVpcEndpointServicesOutput{
		ServiceDetails: make([]ec2api.ServiceDetail, 0, len(page.Items)),
		ServiceNames:   make([]string, 0, len(page.Items)),
		NextToken:      nextToken(page.Next),
	}
	for _, svc := range page.Items {
		out.ServiceDetails = append(out.ServiceDetails, serviceDetailShape(svc))
		if n := len(out.ServiceNames); n == 0 || out.ServiceNames[n-1] != svc.Name {
			out.ServiceNames = append(out.ServiceNames, svc.Name)
		}
	}
	return out, nil
}
