package privatelink

import (
	"cmp"
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/awsservices"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/regions"
)

// ServiceConfiguration is an endpoint service an account runs with AWS
// PrivateLink (vpce-svc-…): Network Load Balancers (Interface service) or
// Gateway Load Balancers (GatewayLoadBalancer service) that other VPCs reach
// through VPC endpoints. Its connections are the VPCEndpoints with its id
// as their ServiceID.
type ServiceConfiguration struct {
	cloud.Meta
	Type                    string   // Interface or GatewayLoadBalancer
	NetworkLoadBalancerARNs []string `json:",omitempty"`
	GatewayLoadBalancerARNs []string `json:",omitempty"`
	AcceptanceRequired      bool
	// State is Pending, Available, Deleting, Deleted or Failed.
	State                   string
	SupportedIPAddressTypes []string
	// PrivateDNSName and its verification: the TXT record the provider
	// publishes to prove it owns the domain.
	PrivateDNSName      string `json:",omitempty"`
	PrivateDNSState     string `json:",omitempty"` // pendingVerification, verified or failed
	PrivateDNSTXTName   string `json:",omitempty"`
	PrivateDNSTXTValue  string `json:",omitempty"`
	PayerResponsibility string `json:",omitempty"`
	// AllowedPrincipals may create endpoints to the service.
	AllowedPrincipals []ServicePermission `json:",omitempty"`
	// SupportedRegions are the regions consumers may connect from (cross-
	// region PrivateLink); the service's own region is always one of them.
	SupportedRegions []string `json:",omitempty"`

	// Zones are derived on read: the zones the load balancers' subnets
	// cover, in name order.
	Zones []regions.Zone `json:"-"`
}

// ServicePermission is one allowed principal of an endpoint service.
type ServicePermission struct {
	ID            string     // vpce-svc-perm-…
	Principal     string     // arn:aws:iam::<account>:root|user/…|role/…, or *
	PrincipalType string     // All, Account, User, Role, …
	Tags          cloud.Tags `json:",omitempty"`
}

// Endpoint service states and types, as EC2 spells them.
const (
	ServiceAvailable = "Available"

	ServiceTypeInterface           = awsservices.TypeInterface
	ServiceTypeGatewayLoadBalancer = "GatewayLoadBalancer"

	// PayerServiceOwner is the only payer responsibility AWS offers.
	PayerServiceOwner = "ServiceOwner"
)

// Private DNS name verification states.
const (
	DNSPendingVerification = "pendingVerification"
	DNSVerified            = "verified"
	DNSFailed              = "failed"
)

func (*ServiceConfiguration) Kind() cloud.Kind { return cloud.KindVPCEndpointService }

func init() { cloud.RegisterType[ServiceConfiguration]() }

// keys index the load balancers (one service each), the owner and the
// accounts the allowed principals admit ("*" for everyone), which is how
// visibleEndpointServices finds what a caller may see.
// serviceIndexes are the filters DescribeVpcEndpointServiceConfigurations
// finds by index.
var serviceIndexes = cloud.Declare(cloud.KindVPCEndpointService, cloud.Same("service-name"), nil)

func (s *ServiceConfiguration) Keys() []cloud.Key {
	keys := []cloud.Key{{Name: "owner-id", Value: s.Owner}, serviceIndexes.Key("service-name", s.ServiceName())}
	for _, arn := range s.LoadBalancerARNs() {
		keys = append(keys, cloud.Key{Name: "load-balancer-arn", Value: arn})
	}
	for _, p := range s.AllowedPrincipals {
		if acct := admittedAccount(p); acct != "" {
			keys = append(keys, allowedKey(acct))
		}
	}
	return keys
}

// allowedKey finds the services whose principals admit an account ("*":
// everyone).
func allowedKey(account string) cloud.Key { return cloud.Key{Name: "allowed-account", Value: account} }

// ServiceName is the name consumers create endpoints with.
func (s *ServiceConfiguration) ServiceName() string {
	return "com.amazonaws.vpce." + s.Region + "." + s.ID
}

// BaseEndpointDNSNames are the service's DNS names; a Gateway Load
// Balancer service has none.
func (s *ServiceConfiguration) BaseEndpointDNSNames() []string {
	if s.Type != ServiceTypeInterface {
		return nil
	}
	return []string{s.ID + "." + s.Region + ".vpce.amazonaws.com"}
}

// RemoteAccessEnabled reports whether consumers of other regions may
// connect.
func (s *ServiceConfiguration) RemoteAccessEnabled() bool {
	return slices.ContainsFunc(s.SupportedRegions, func(r string) bool { return r != s.Region })
}

func (s *ServiceConfiguration) LoadBalancerARNs() []string {
	return append(append([]string(nil), s.NetworkLoadBalancerARNs...), s.GatewayLoadBalancerARNs...)
}

// Resolve derives the zones from the load balancers' subnets.
func (s *ServiceConfiguration) Resolve(t *cloud.Txn) error {
	var lbs []*elb.LoadBalancer
	for _, arn := range s.LoadBalancerARNs() {
		lb, err := cloud.GetAny[elb.LoadBalancer](t.StoreTx, arn)
		if err != nil {
			if network.ErrIsNotFound(err) {
				continue
			}
			return err
		}
		lbs = append(lbs, lb)
	}
	s.SetZones(lbs)
	return nil
}

// SetZones derives the zones from the service's load balancers (those
// that still exist), in name order.
func (s *ServiceConfiguration) SetZones(lbs []*elb.LoadBalancer) {
	region, _ := regions.Lookup(s.Region)
	seen := map[string]bool{}
	s.Zones = nil
	for _, lb := range lbs {
		for _, z := range lb.Zones {
			if zone, ok := region.Zone(z.ZoneName); ok && !seen[zone.Name] {
				seen[zone.Name] = true
				s.Zones = append(s.Zones, zone)
			}
		}
	}
	slices.SortFunc(s.Zones, func(a, b regions.Zone) int { return cmp.Compare(a.Name, b.Name) })
}

// ServiceConfigurationInput is what CreateVpcEndpointServiceConfiguration
// takes.
type ServiceConfigurationInput struct {
	NetworkLoadBalancerARNs []string
	GatewayLoadBalancerARNs []string
	AcceptanceRequired      bool
	PrivateDNSName          string
	SupportedIPAddressTypes []string
	SupportedRegions        []string
	Tags                    []cloud.TagSpec
}

// CreateServiceConfiguration creates an endpoint service on the caller's
// Network or Gateway Load Balancers. AWS answers it Available at once.
func (c *Service) CreateServiceConfiguration(ctx context.Context, who cloud.Caller, in ServiceConfigurationInput) (*ServiceConfiguration, error) {
	tags, err := cloud.TagsFor(in.Tags, cloud.KindVPCEndpointService)
	if err != nil {
		return nil, err
	}
	var s *ServiceConfiguration
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		s = &ServiceConfiguration{
			Meta:                cloud.Meta{ID: t.NewID("vpce-svc-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[cloud.KindVPCEndpointService]},
			AcceptanceRequired:  in.AcceptanceRequired,
			State:               ServiceAvailable,
			PayerResponsibility: PayerServiceOwner,
			SupportedRegions:    []string{t.Scope.Region},
		}
		if err := s.setLoadBalancers(t, in.NetworkLoadBalancerARNs, in.GatewayLoadBalancerARNs); err != nil {
			return err
		}
		ipTypes := in.SupportedIPAddressTypes
		if len(ipTypes) == 0 {
			ipTypes = []string{"ipv4"}
		}
		if err := s.setIPAddressTypes(t, ipTypes); err != nil {
			return err
		}
		if err := s.setRegions(append([]string{t.Scope.Region}, in.SupportedRegions...)); err != nil {
			return err
		}
		if in.PrivateDNSName != "" {
			if err := s.setPrivateDNSName(t, in.PrivateDNSName); err != nil {
				return err
			}
		}
		if err := cloud.Put(t, s); err != nil {
			return err
		}
		return s.Resolve(t)
	})
	return s, err
}

// lbOfService reads a load balancer of the caller for a service: it must
// exist, be active, be of type want and back no other service than self.
func lbOfService(t *cloud.Txn, arn, want, self string) error {
	if err := elb.CheckELBARN(arn, cloud.KindLoadBalancer); err != nil {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "Invalid load balancer ARN: '%s'", arn)
	}
	lb, err := cloud.GetIn[elb.LoadBalancer](t, arn)
	if network.ErrIsNotFound(err) {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "The load balancer '%s' does not exist", arn)
	}
	if err != nil {
		return err
	}
	if err := lb.Resolve(t); err != nil {
		return err
	}
	switch {
	case lb.Type != want:
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "The load balancer '%s' is not a %s", arn, lbTypeNames[want])
	case lb.State != elb.LBActive:
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "The load balancer '%s' is not active", arn)
	}
	users, err := cloud.FindIn[ServiceConfiguration](t, cloud.Key{Name: "load-balancer-arn", Value: arn})
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.ID != self {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "The load balancer '%s' is already associated with the VPC endpoint service '%s'", arn, u.ID)
		}
	}
	return nil
}

// lbTypeNames are how refusals name the load balancer types.
var lbTypeNames = map[string]string{elb.LBNetwork: "Network Load Balancer", elb.LBGateway: "Gateway Load Balancer"}

// setLoadBalancers gives the service its load balancers: Network Load
// Balancers or Gateway Load Balancers, not both, at least one.
func (s *ServiceConfiguration) setLoadBalancers(t *cloud.Txn, nlbs, gwlbs []string) error {
	nlbs, gwlbs = cloud.SortedUnique(nlbs), cloud.SortedUnique(gwlbs)
	if (len(nlbs) == 0) == (len(gwlbs) == 0) {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "exactly one of network_load_balancer_arn or gateway_load_balancer_arn is a required member")
	}
	typ, lbType, arns := ServiceTypeInterface, elb.LBNetwork, nlbs
	if len(gwlbs) > 0 {
		typ, lbType, arns = ServiceTypeGatewayLoadBalancer, elb.LBGateway, gwlbs
	}
	if s.Type != "" && s.Type != typ {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "The VPC endpoint service '%s' is of type %s: it takes %ss only", s.ID, s.Type, lbTypeNames[lbTypeOf(s.Type)])
	}
	for _, arn := range arns {
		if err := lbOfService(t, arn, lbType, s.ID); err != nil {
			return err
		}
	}
	if typ == ServiceTypeGatewayLoadBalancer && s.PrivateDNSName != "" {
		return gwlbPrivateDNS()
	}
	s.Type, s.NetworkLoadBalancerARNs, s.GatewayLoadBalancerARNs = typ, nlbs, gwlbs
	return nil
}

// lbTypeOf is the load balancer type that backs a service type.
func lbTypeOf(serviceType string) string {
	if serviceType == ServiceTypeGatewayLoadBalancer {
		return elb.LBGateway
	}
	return elb.LBNetwork
}

// serviceIPTypes are the address types a service may support.
var serviceIPTypes = []string{"ipv4", "ipv6"}

// setIPAddressTypes sets the address types the service supports: at least
// one; IPv6 only when every load balancer is dualstack.
func (s *ServiceConfiguration) setIPAddressTypes(t *cloud.Txn, types []string) error {
	types = cloud.SortedUnique(types)
	for _, v := range types {
		if !slices.Contains(serviceIPTypes, v) {
			return cloud.InvalidParam("The supported IP address type '%s' is not valid. Valid values: ipv4, ipv6", v)
		}
	}
	if len(types) == 0 {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "At least one supported IP address type is required")
	}
	if slices.Contains(types, "ipv6") {
		for _, arn := range s.LoadBalancerARNs() {
			lb, err := cloud.GetAny[elb.LoadBalancer](t.StoreTx, arn)
			if err != nil {
				return err
			}
			if lb.IPAddressType == "ipv4" {
				return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "The load balancer '%s' does not support IPv6: a service supports ipv6 only when all of its load balancers are dualstack", arn)
			}
		}
	}
	s.SupportedIPAddressTypes = types
	return nil
}

// setRegions sets the regions consumers may connect from; only Interface
// services reach across regions.
func (s *ServiceConfiguration) setRegions(list []string) error {
	list = cloud.SortedUnique(list)
	for _, r := range list {
		if _, ok := regions.Lookup(r); !ok {
			return cloud.InvalidParam("The supported Region '%s' is not valid", r)
		}
	}
	if !slices.Contains(list, s.Region) {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "The service Region '%s' cannot be removed from the supported Regions", s.Region)
	}
	if len(list) > 1 && s.Type != ServiceTypeInterface {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "Cross-Region access is supported only for services with Network Load Balancers")
	}
	s.SupportedRegions = list
	return nil
}

// privateDNSNameRE is a DNS domain name: labels of letters, digits and
// hyphens, with an optional leading wildcard label.
var privateDNSNameRE = regexp.MustCompile(`^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$`)

func gwlbPrivateDNS() error {
	return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "Private DNS names are not supported for Gateway Load Balancer endpoint services")
}

// setPrivateDNSName names the service and asks the provider to prove it
// owns the domain: a TXT record _<random> with the value vpce:<random>, as
// AWS issues them. A new name must be verified again.
func (s *ServiceConfiguration) setPrivateDNSName(t *cloud.Txn, name string) error {
	if s.Type == ServiceTypeGatewayLoadBalancer {
		return gwlbPrivateDNS()
	}
	if len(name) > 255 || !privateDNSNameRE.MatchString(name) {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "The private DNS name '%s' is not a valid domain name", name)
	}
	if strings.EqualFold(name, s.PrivateDNSName) {
		return nil
	}
	s.PrivateDNSName = name
	s.PrivateDNSState = DNSPendingVerification
	s.PrivateDNSTXTName = "_" + randomToken(t, 20, lowerAlnum)
	s.PrivateDNSTXTValue = "vpce:" + randomToken(t, 20, mixedAlnum)
	return nil
}

func (s *ServiceConfiguration) removePrivateDNSName() {
	s.PrivateDNSName, s.PrivateDNSState, s.PrivateDNSTXTName, s.PrivateDNSTXTValue = "", "", "", ""
}

const (
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	mixedAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

// randomToken is n characters of alphabet drawn from the id source (so
// tests with sequential ids get predictable tokens).
func randomToken(t *cloud.Txn, n int, alphabet string) string {
	out := make([]byte, 0, n)
	base := uint64(len(alphabet))
	for len(out) < n {
		id := t.NewID("")
		v, _ := strconv.ParseUint(id[len(id)-16:], 16, 64)
		for i := 0; i < 8 && len(out) < n; i++ {
			out = append(out, alphabet[v%base])
			v /= base
		}
	}
	return string(out)
}

// ModifyServiceConfigurationInput is what
// ModifyVpcEndpointServiceConfiguration changes; nil and empty leave a
// setting as it is.
type ModifyServiceConfigurationInput struct {
	ID                    string
	AcceptanceRequired    *bool
	PrivateDNSName        *string
	RemovePrivateDNSName  bool
	AddNLBs, RemoveNLBs   []string
	AddGWLBs, RemoveGWLBs []string
	AddIPAddressTypes     []string
	RemoveIPAddressTypes  []string
	AddRegions            []string
	RemoveRegions         []string
}

// ModifyServiceConfiguration changes an endpoint service of the caller.
func (c *Service) ModifyServiceConfiguration(ctx context.Context, who cloud.Caller, in ModifyServiceConfigurationInput) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		s, err := serviceOf(t, in.ID)
		if err != nil {
			return err
		}
		if in.AcceptanceRequired != nil {
			s.AcceptanceRequired = *in.AcceptanceRequired
		}
		if err := s.changeLoadBalancers(t, in); err != nil {
			return err
		}
		if err := s.setIPAddressTypes(t, addRemove(s.SupportedIPAddressTypes, in.AddIPAddressTypes, in.RemoveIPAddressTypes)); err != nil {
			return err
		}
		if err := s.setRegions(addRemove(s.SupportedRegions, in.AddRegions, in.RemoveRegions)); err != nil {
			return err
		}
		if err := s.changePrivateDNSName(t, in.PrivateDNSName, in.RemovePrivateDNSName); err != nil {
			return err
		}
		return cloud.Put(t, s)
	})
}

// changeLoadBalancers adds and removes load balancers; the service keeps
// at least one, of its own kind.
func (s *ServiceConfiguration) changeLoadBalancers(t *cloud.Txn, in ModifyServiceConfigurationInput) error {
	if len(in.AddNLBs)+len(in.RemoveNLBs)+len(in.AddGWLBs)+len(in.RemoveGWLBs) == 0 {
		return nil
	}
	for _, list := range []struct {
		remove, have []string
	}{{in.RemoveNLBs, s.NetworkLoadBalancerARNs}, {in.RemoveGWLBs, s.GatewayLoadBalancerARNs}} {
		for _, arn := range list.remove {
			if !slices.Contains(list.have, arn) {
				return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "The load balancer '%s' is not associated with the VPC endpoint service '%s'", arn, s.ID)
			}
		}
	}
	nlbs := addRemove(s.NetworkLoadBalancerARNs, in.AddNLBs, in.RemoveNLBs)
	gwlbs := addRemove(s.GatewayLoadBalancerARNs, in.AddGWLBs, in.RemoveGWLBs)
	if len(nlbs)+len(gwlbs) == 0 {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "The VPC endpoint service '%s' must keep at least one load balancer", s.ID)
	}
	return s.setLoadBalancers(t, nlbs, gwlbs)
}

// changePrivateDNSName sets a new name (pending verification) or removes
// it; an empty name removes it too.
func (s *ServiceConfiguration) changePrivateDNSName(t *cloud.Txn, name *string, remove bool) error {
	switch {
	case name != nil && *name != "" && remove:
		return cloud.Errorf(cloud.InvalidCombination, "", "You cannot specify both PrivateDnsName and RemovePrivateDnsName")
	case remove || name != nil && *name == "":
		s.removePrivateDNSName()
	case name != nil:
		return s.setPrivateDNSName(t, *name)
	}
	return nil
}

// addRemove is list with add added and remove taken out, sorted.
func addRemove(list, add, remove []string) []string {
	out := slices.DeleteFunc(append(append([]string(nil), list...), add...), func(v string) bool { return slices.Contains(remove, v) })
	return cloud.SortedUnique(out)
}

// serviceOf reads one of the caller's endpoint services.
func serviceOf(t *cloud.Txn, id string) (*ServiceConfiguration, error) {
	s, err := cloud.GetIn[ServiceConfiguration](t, id)
	if err != nil {
		return nil, err
	}
	return s, s.Resolve(t)
}

// connectionActive reports whether an endpoint's state keeps its service
// from being deleted: AWS wants pending and accepted connections rejected
// first.
func connectionActive(state string) bool {
	switch state {
	case connPendingAcceptance, connPending, connAvailable, connPartial:
		return true
	}
	return false
}

// DeleteServiceConfigurations deletes endpoint services of the caller with
// their connection notifications. An unknown service, or one with active
// connections, is an unsuccessful item; the others go.
func (c *Service) DeleteServiceConfigurations(ctx context.Context, who cloud.Caller, ids []string) ([]cloud.Unsuccessful, error) {
	var failed []cloud.Unsuccessful
	err := c.Update(ctx, who, func(t *cloud.Txn) (err error) {
		failed, err = cloud.EachItem(ids, func(id string) (*cloud.Error, error) { return deleteServiceConfiguration(t, id) })
		return err
	})
	return failed, err
}

// deleteServiceConfiguration deletes one service, or says why it cannot.
func deleteServiceConfiguration(t *cloud.Txn, id string) (*cloud.Error, error) {
	s, err := cloud.GetIn[ServiceConfiguration](t, id)
	if network.ErrIsNotFound(err) {
		return cloud.Errorf(cloud.NotFound, cloud.SubjectServiceConfigurationItem, "The VpcEndpointService Id '%s' does not exist", id), nil
	}
	if err != nil {
		return nil, err
	}
	conns, err := cloud.FindAny[VPCEndpoint](t, cloud.Key{Name: "service-id", Value: id})
	if err != nil {
		return nil, err
	}
	for _, e := range conns {
		if connectionActive(e.State) {
			return cloud.Errorf(cloud.DependencyViolation, cloud.KindVPCEndpointService, "Service has existing active VPC Endpoint connections!"), nil
		}
	}
	notes, err := cloud.FindIn[ConnectionNotification](t, cloud.Key{Name: "service-id", Value: id})
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		if err := cloud.Remove(t, n); err != nil {
			return nil, err
		}
	}
	return nil, cloud.Remove(t, s)
}

// StartPrivateDNSVerification checks that the provider owns the service's
// private DNS name: a public zone (cloud.PublicDNS; vpcemu's public zones
// stand in for the internet's DNS) holds the TXT record the service asked
// for (ownershipProven). Found, the name is verified; not found, failed,
// and the provider may publish the record and start again.
//
// AWS checks asynchronously: the name stays pendingVerification while it
// looks, then turns verified, or failed when it does not detect the record
// (docs: endpoint-services-dns-validation). vpcemu's Route 53 changes are
// INSYNC at once, so there is nothing to wait for: the check runs in this
// call's transaction and the next describe shows its outcome, the same
// every time. A name is pendingVerification from when it is set until
// verification starts; a new name starts over with a new record to
// publish (setPrivateDNSName). Unlike AWS, vpcemu does not check a
// verified name again later.
func (c *Service) StartPrivateDNSVerification(ctx context.Context, who cloud.Caller, id string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		s, err := serviceOf(t, id)
		if err != nil {
			return err
		}
		if s.PrivateDNSName == "" {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpointService, "The VPC endpoint service '%s' has no private DNS name to verify", id)
		}
		proven, err := s.ownershipProven(t)
		if err != nil {
			return err
		}
		s.PrivateDNSState = DNSFailed
		if proven {
			s.PrivateDNSState = DNSVerified
		}
		return cloud.Put(t, s)
	})
}

// ownershipProven reports whether public DNS holds the service's TXT
// record: the value at <TXT name>.<domain>, the domain being the private
// DNS name (a wildcard's parent) or a parent of it ("you can verify
// example.com instead of a.example.com"), or at the domain itself (AWS
// lets providers whose DNS takes no underscores omit the TXT name); docs:
// verify-domains, endpoint-services-dns-validation. A parent stops above
// the top-level domain.
func (s *ServiceConfiguration) ownershipProven(t *cloud.Txn) (bool, error) {
	domain := strings.ToLower(strings.TrimPrefix(s.PrivateDNSName, "*."))
	for d := domain; strings.Contains(d, "."); _, d, _ = strings.Cut(d, ".") {
		for _, name := range []string{s.PrivateDNSTXTName + "." + d, d} {
			values, err := cloud.LookupTXT(t, name)
			if err != nil {
				return false, err
			}
			if slices.Contains(values, s.PrivateDNSTXTValue) {
				return true, nil
			}
		}
	}
	return false, nil
}

// SetPayerResponsibility sets who pays for the service's endpoints: AWS
// offers ServiceOwner only, which every service has already.
func (c *Service) SetPayerResponsibility(ctx context.Context, who cloud.Caller, id, payer string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		s, err := serviceOf(t, id)
		if err != nil {
			return err
		}
		if payer != PayerServiceOwner {
			return cloud.InvalidParam("The payer responsibility '%s' is not valid. Valid values: %s", payer, PayerServiceOwner)
		}
		s.PayerResponsibility = payer
		return cloud.Put(t, s)
	})
}
