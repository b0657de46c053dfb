package cloud

import (
	"cmp"
	"context"
	"slices"

	"github.com/vpcemu/vpcemu/internal/awsservices"
	"github.com/vpcemu/vpcemu/internal/regions"
)

// KindEndpointServiceName names a service name nothing serves, in errors
// only (InvalidServiceName).
const KindEndpointServiceName Kind = "vpc-endpoint-service-name"

// EndpointService is a service a VPC endpoint can connect to, as
// DescribeVpcEndpointServices shows it: one of AWS's (Owner "amazon") or,
// once PrivateLink is emulated, an endpoint service an account created.
type EndpointService struct {
	ID     string
	Name   string
	Region string // where the service runs
	Type   string // Gateway, Interface or GatewayLoadBalancer
	Owner  string // "amazon" or the owning account
	Zones  []regions.Zone

	BaseEndpointDNSNames []string
	// PrivateDNSNames: the first is the service's PrivateDnsName.
	PrivateDNSNames []string
	// PrivateDNSNameVerificationState is verified, pendingVerification or
	// failed; "" when the service has no private DNS name.
	PrivateDNSNameVerificationState string

	PolicySupported     bool
	AcceptanceRequired  bool
	ManagesVPCEndpoints bool
	IPAddressTypes      []string
	Tags                Tags
}

// PrivateDNSName is the service's private DNS name, or "".
func (s *EndpointService) PrivateDNSName() string {
	if len(s.PrivateDNSNames) == 0 {
		return ""
	}
	return s.PrivateDNSNames[0]
}

// SortKey orders services as AWS lists them: by name, then type.
func (s *EndpointService) SortKey() string { return s.Name + "/" + s.Type }

// awsEndpointService is the domain view of one of AWS's services.
func awsEndpointService(s awsservices.EndpointService) *EndpointService {
	out := &EndpointService{
		ID: s.ID, Name: s.Name, Region: s.Region, Type: s.Type, Owner: awsservices.Owner, Zones: s.Zones,
		BaseEndpointDNSNames: s.BaseEndpointDNSNames,
		PrivateDNSNames:      s.PrivateDNSNames,
		PolicySupported:      s.PolicySupported,
		IPAddressTypes:       s.IPAddressTypes,
	}
	if len(s.PrivateDNSNames) > 0 {
		out.PrivateDNSNameVerificationState = "verified"
	}
	return out
}

// visibleEndpointServices lists the endpoint services the caller can
// create an endpoint to, in name order: for each service region, the AWS
// services (of another region than the caller's, only those cross-region
// PrivateLink reaches).
//
// This is the one place that decides what a caller may connect to. The
// PrivateLink work extends it with the endpoint services that accounts
// create: those of the caller and those whose allowed principals admit the
// caller (or "*"), with the caller's view of their zones; every user of the
// list (DescribeVpcEndpointServices, CreateVpcEndpoint) then sees them.
func visibleEndpointServices(t *txn, serviceRegions []string) ([]*EndpointService, error) {
	if len(serviceRegions) == 0 {
		serviceRegions = []string{t.scope.Region}
	}
	var out []*EndpointService
	for _, region := range dedupSorted(serviceRegions) {
		if _, ok := regions.Lookup(region); !ok {
			return nil, invalidParam("Value (%s) for parameter ServiceRegion is invalid. The Region does not exist.", region)
		}
		for _, s := range awsservices.EndpointServices(region) {
			if region == t.scope.Region || s.CrossRegion && s.Type == awsservices.TypeInterface {
				out = append(out, awsEndpointService(s))
			}
		}
	}
	slices.SortStableFunc(out, func(a, b *EndpointService) int { return cmp.Compare(a.SortKey(), b.SortKey()) })
	return out, nil
}

// VisibleEndpointServices lists the endpoint services the caller can see
// in the given service regions (its own region when none), in name order.
// With names, it lists only the services of those names and refuses a name
// that no visible service has.
func (c *Cloud) VisibleEndpointServices(ctx context.Context, who Caller, names, serviceRegions []string) ([]*EndpointService, error) {
	var out []*EndpointService
	err := c.view(ctx, who, func(t *txn) error {
		all, err := visibleEndpointServices(t, serviceRegions)
		if err != nil {
			return err
		}
		if len(names) == 0 {
			out = all
			return nil
		}
		for _, n := range names {
			if !slices.ContainsFunc(all, func(s *EndpointService) bool { return s.Name == n }) {
				return errorf(NotFound, KindEndpointServiceName, "The Vpc Endpoint Service '%s' does not exist", n)
			}
		}
		for _, s := range all {
			if slices.Contains(names, s.Name) {
				out = append(out, s)
			}
		}
		return nil
	})
	return out, err
}
