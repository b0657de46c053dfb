package privatelink

import (
	"cmp"
	"context"
	"slices"

	"github.com/vpcemu/vpcemu/internal/awsservices"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/regions"
)

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
	Tags                cloud.Tags
	// PayerResponsibility is ServiceOwner for an account's service, "" for
	// AWS's.
	PayerResponsibility string
}

// OffersPrivateDNS reports whether consumers may enable private DNS for
// the service: it has a private DNS name, verified.
func (s *EndpointService) OffersPrivateDNS() bool {
	return s.PrivateDNSName() != "" && s.PrivateDNSNameVerificationState == DNSVerified
}

// PrivateDNSName is the service's private DNS name, or "".
func (s *EndpointService) PrivateDNSName() string {
	if len(s.PrivateDNSNames) == 0 {
		return ""
	}
	return s.PrivateDNSNames[0]
}

// SortKey is the service's unique key, its name and type: the key of
// DescribeVpcEndpointServices' pages.
func (s *EndpointService) SortKey() string { return s.Name + "/" + s.Type }

// compareEndpointServices orders services as AWS lists them: by name, then
// type (com.amazonaws.us-east-1.ec2 before com.amazonaws.us-east-1.ec2-fips).
func compareEndpointServices(a, b *EndpointService) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Type, b.Type))
}

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
// PrivateLink reaches) and the endpoint services accounts run there that
// the caller may see (see accountEndpointServices).
//
// This is the one place that decides what a caller may connect to: every
// user of the list (DescribeVpcEndpointServices, CreateVpcEndpoint) sees
// the same services.
func visibleEndpointServices(t *cloud.Txn, serviceRegions []string) ([]*EndpointService, error) {
	if len(serviceRegions) == 0 {
		serviceRegions = []string{t.Scope.Region}
	}
	var out []*EndpointService
	for _, region := range cloud.SortedUnique(serviceRegions) {
		if _, ok := regions.Lookup(region); !ok {
			return nil, cloud.InvalidParam("Value (%s) for parameter ServiceRegion is invalid. The Region does not exist.", region)
		}
		for _, s := range awsservices.EndpointServices(region) {
			if region == t.Scope.Region || s.CrossRegion && s.Type == awsservices.TypeInterface {
				out = append(out, awsEndpointService(s))
			}
		}
	}
	mine, err := accountEndpointServices(t, serviceRegions)
	if err != nil {
		return nil, err
	}
	out = append(out, mine...)
	slices.SortStableFunc(out, compareEndpointServices)
	return out, nil
}

// accountEndpointServices are the account endpoint services in the given
// regions the caller may see: its own, and those whose allowed principals
// admit its account (an account principal, or a user or role of the
// account, since vpcemu's callers are accounts) or everyone ("*"). A
// service of another region than the caller's shows only when the caller's
// region is one of its supported regions.
func accountEndpointServices(t *cloud.Txn, serviceRegions []string) ([]*EndpointService, error) {
	seen := map[string]bool{}
	var out []*EndpointService
	for _, key := range []cloud.Key{{Name: "owner-id", Value: t.Scope.Account}, allowedKey(t.Scope.Account), allowedKey("*")} {
		found, err := cloud.FindAny[ServiceConfiguration](t, key)
		if err != nil {
			return nil, err
		}
		for _, s := range found {
			if seen[s.ID] || !slices.Contains(serviceRegions, s.Region) || !slices.Contains(s.SupportedRegions, t.Scope.Region) {
				continue
			}
			seen[s.ID] = true
			if err := s.Resolve(t); err != nil {
				return nil, err
			}
			out = append(out, s.endpointService(t.Scope.Account))
		}
	}
	return out, nil
}

// endpointService is the view of the service a consumer account has. Only
// the owner sees its tags. The private DNS name shows with its state;
// consumers may use it only once verified (OffersPrivateDNS).
func (s *ServiceConfiguration) endpointService(account string) *EndpointService {
	out := &EndpointService{
		ID: s.ID, Name: s.ServiceName(), Region: s.Region, Type: s.Type, Owner: s.Owner, Zones: s.Zones,
		BaseEndpointDNSNames:            s.BaseEndpointDNSNames(),
		PrivateDNSNameVerificationState: s.PrivateDNSState,
		AcceptanceRequired:              s.AcceptanceRequired,
		IPAddressTypes:                  s.SupportedIPAddressTypes,
		PayerResponsibility:             s.PayerResponsibility,
	}
	if s.PrivateDNSName != "" {
		out.PrivateDNSNames = []string{s.PrivateDNSName}
	}
	if account == s.Owner {
		out.Tags = s.Tags
	}
	return out
}

// VisibleEndpointServices lists the endpoint services the caller can see
// in the given service regions (its own region when none), in name order.
// With names, it lists only the services of those names and refuses a name
// that no visible service has.
func (c *Service) VisibleEndpointServices(ctx context.Context, who cloud.Caller, names, serviceRegions []string) ([]*EndpointService, error) {
	var out []*EndpointService
	err := c.View(ctx, who, func(t *cloud.Txn) error {
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
				return cloud.Errorf(cloud.NotFound, cloud.SubjectEndpointServiceName, "The Vpc Endpoint Service '%s' does not exist", n)
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
