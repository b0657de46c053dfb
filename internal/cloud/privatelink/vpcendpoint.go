package privatelink

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsservices"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/policy"
	"github.com/vpcemu/vpcemu/internal/regions"
)

// VPCEndpoint is a VPC endpoint: the consumer's side of a connection to an
// endpoint service (one of AWS's, or a PrivateLink service another account
// or the same one runs). For a PrivateLink service it is also the
// connection the provider accepts or rejects: the provider changes its
// State, found through the service-id key.
type VPCEndpoint struct {
	cloud.Meta
	Type        string // Interface, Gateway or GatewayLoadBalancer
	VpcID       string
	ServiceName string
	// ServiceID is the endpoint service's id (vpce-svc-…), AWS's or an
	// account's; ServiceOwner its account, or "amazon".
	ServiceID    string
	ServiceOwner string
	// ServiceRegion is where the service runs when it is not the endpoint's
	// region (cross-region PrivateLink).
	ServiceRegion string `json:",omitempty"`
	// State is pendingAcceptance, pending, available, rejected, failed,
	// deleting, deleted or expired, spelled as the EC2 API does.
	State          string
	PolicyDocument string `json:",omitempty"`
	// Gateway endpoints: the route tables holding the prefix-list route.
	RouteTableIDs []string `json:",omitempty"`
	// Interface and Gateway Load Balancer endpoints: one subnet per zone,
	// each with a requester-managed network interface.
	SubnetIDs           []string `json:",omitempty"`
	NetworkInterfaceIDs []string `json:",omitempty"`
	SecurityGroupIDs    []string `json:",omitempty"`
	PrivateDNSEnabled   bool
	IPAddressType       string `json:",omitempty"` // ipv4, ipv6 or dualstack
	DNSRecordIPType     string `json:",omitempty"`
	// PrivateDNSOnlyForInboundResolverEndpoint applies to interface
	// endpoints of services that also have a gateway endpoint.
	PrivateDNSOnlyForInboundResolverEndpoint bool `json:",omitempty"`
	RequesterManaged                         bool `json:",omitempty"`
	CreationTime                             time.Time
	// StateChanged is when State last changed (visibility windows).
	StateChanged time.Time
	LastError    *EndpointError `json:",omitempty"`
	// ConnectionID is the connection's id as the provider sees it
	// (vpce-con-…), for PrivateLink services.
	ConnectionID string `json:",omitempty"`

	// DNSLabel is the random part AWS puts after the id in the endpoint's
	// DNS names (vpce-…-9hnenorg.…).
	DNSLabel string `json:",omitempty"`
	// ServiceDNSName is the service's base endpoint DNS name, which the
	// endpoint's own names extend (secretsmanager.us-east-1.vpce.amazonaws.com).
	ServiceDNSName string `json:",omitempty"`
	// ServicePrivateDNSName is the service's private DNS name, which private
	// DNS resolves to the endpoint ("" when the service has none).
	ServicePrivateDNSName string `json:",omitempty"`
	// WildcardDNS marks endpoints whose DNS names start with "*." (S3's
	// interface endpoints: buckets are subdomains).
	WildcardDNS bool `json:",omitempty"`
	// ServiceHasGateway marks interface endpoints of services that also
	// have gateway endpoints (S3): they take the inbound resolver option.
	ServiceHasGateway bool `json:",omitempty"`

	// Derived on read (resolve), not stored.
	// DNSEntries are the endpoint's DNS names, as DescribeVpcEndpoints
	// lists them.
	DNSEntries []DNSEntry `json:"-"`
	// GroupNames are the names of SecurityGroupIDs, in the same order.
	GroupNames []string `json:"-"`
}

// EndpointError is why an endpoint failed.
type EndpointError struct {
	Code    string
	Message string
}

// VPC endpoint types.
const (
	EndpointTypeGateway             = "Gateway"
	EndpointTypeInterface           = "Interface"
	EndpointTypeGatewayLoadBalancer = "GatewayLoadBalancer"
)

// VPC endpoint states the consumer side sets.
const (
	VPCEndpointPendingAcceptance = "pendingAcceptance"
	VPCEndpointPending           = "pending"
	VPCEndpointAvailable         = "available"
	VPCEndpointDeleted           = "deleted"
)

// Kinds that only name things in endpoint refusals, where EC2's code
// differs from the kind's own.
const (
	// SubjectEndpointSubnet is a subnet given to an endpoint: its malformed
	// id is InvalidSubnetId.Malformed, a second one in a zone
	// DuplicateSubnetsInSameZone.
	SubjectEndpointSubnet cloud.Kind = "vpc-endpoint-subnet"
	// KindEndpointPolicy is an endpoint policy: InvalidPolicyDocument.
	KindEndpointPolicy cloud.Kind = "vpc-endpoint-policy"
)

// endpointLinger is how long AWS keeps showing a deleted endpoint.
const endpointLinger = time.Hour

// endpointRequesterID is the account AWS shows as the requester of an
// endpoint's network interfaces.
const endpointRequesterID = "727180483921"

func (*VPCEndpoint) Kind() cloud.Kind { return cloud.KindVPCEndpoint }

func init() { cloud.RegisterType[VPCEndpoint]() }

// endpointIndexes are the filters DescribeVpcEndpoints finds by index. Its
// vpc-id filter finds the endpoints listed for a VPC, deleted ones
// included, under listed-vpc-id; unlike the vpc-id key, which only
// endpoints that hold their VPC have, it blocks no delete.
var endpointIndexes = cloud.Declare(cloud.KindVPCEndpoint, cloud.Indexes{"vpc-id": {Key: "listed-vpc-id"}}, nil)

// Keys index a deleted endpoint by its service (the provider still sees
// the connection), its state (for purging) and the VPC it is listed in:
// it holds nothing in the VPC any more, so it blocks no delete.
func (e *VPCEndpoint) Keys() []cloud.Key {
	if e.State == VPCEndpointDeleted {
		return []cloud.Key{{Name: "service-id", Value: e.ServiceID}, {Name: "vpc-endpoint-state", Value: e.State}, endpointIndexes.Key("vpc-id", e.VpcID)}
	}
	keys := []cloud.Key{{Name: "vpc-id", Value: e.VpcID}, endpointIndexes.Key("vpc-id", e.VpcID), {Name: "service-id", Value: e.ServiceID}, e.quotaKey()}
	for _, id := range e.RouteTableIDs {
		keys = append(keys, cloud.Key{Name: "route-table-id", Value: id})
	}
	for _, id := range e.SubnetIDs {
		keys = append(keys, cloud.Key{Name: "subnet-id", Value: id})
	}
	for _, id := range e.SecurityGroupIDs {
		keys = append(keys, cloud.Key{Name: "group-id", Value: id})
	}
	return keys
}

// Expired reports whether AWS no longer shows the endpoint.
func (e *VPCEndpoint) Expired(now time.Time) bool {
	return e.State == VPCEndpointDeleted && now.Sub(e.StateChanged) >= endpointLinger
}

// Resolve derives the group names and the DNS entries.
func (e *VPCEndpoint) Resolve(t *cloud.Txn) error {
	var err error
	if e.GroupNames, err = network.GroupNames(t, e.SecurityGroupIDs); err != nil {
		return err
	}
	zones := make([]string, 0, len(e.SubnetIDs))
	for _, id := range e.SubnetIDs {
		s, err := cloud.GetAny[network.Subnet](t.StoreTx, id)
		if err != nil {
			if err := network.IgnoreNotFound(err); err != nil {
				return err
			}
			continue
		}
		zones = append(zones, s.AvailabilityZone)
	}
	e.DNSEntries = e.EntriesFor(zones)
	return nil
}

// ServiceRegionName is the region the endpoint's service runs in.
func (e *VPCEndpoint) ServiceRegionName() string {
	if e.ServiceRegion != "" {
		return e.ServiceRegion
	}
	return e.Region
}

// HasDNSOptions reports whether the endpoint's type has DNS options
// (Gateway Load Balancer endpoints have no DNS).
func (e *VPCEndpoint) HasDNSOptions() bool { return e.Type != EndpointTypeGatewayLoadBalancer }

// ShowsInboundResolverOption reports whether DescribeVpcEndpoints shows
// PrivateDnsOnlyForInboundResolverEndpoint: interface endpoints of
// services that also have gateway endpoints.
func (e *VPCEndpoint) ShowsInboundResolverOption() bool {
	return e.Type == EndpointTypeInterface && e.ServiceHasGateway
}

// CreateVPCEndpointInput is what CreateVpcEndpoint takes.
type CreateVPCEndpointInput struct {
	VpcID       string
	ServiceName string
	// ServiceRegion is the service's region; "" for the caller's.
	ServiceRegion string
	Type          string // "" for Gateway
	// PolicyDocument is the policy asked for; nil for the default one.
	PolicyDocument   *string
	RouteTableIDs    []string
	SubnetIDs        []string
	SubnetConfigs    []EndpointSubnetConfig
	SecurityGroupIDs []string
	// PrivateDNSEnabled is nil for the service's default.
	PrivateDNSEnabled *bool
	IPAddressType     string
	DNSOptions        EndpointDNSOptions
	Tags              []cloud.TagSpec
}

// EndpointSubnetConfig asks for an endpoint's network interface in a
// subnet with the given address ("" picks one).
type EndpointSubnetConfig struct {
	SubnetID string
	IPv4     string
	IPv6     string
}

// EndpointDNSOptions are an endpoint's DNS options; empty fields keep
// what the endpoint has (or the default).
type EndpointDNSOptions struct {
	RecordIPType                             string
	PrivateDNSOnlyForInboundResolverEndpoint *bool
}

// endpointParams are the parameters of a create or modify call whose
// presence depends on the endpoint type.
type endpointParams struct {
	routeTables, subnets, groups bool
	privateDNS                   bool // PrivateDnsEnabled true
	inboundResolverOption        bool
	// gwlbSubnets counts the subnets a create gives a Gateway Load
	// Balancer endpoint (-1 for a modify, which cannot change them).
	gwlbSubnets int
}

// checkEndpointParams refuses the parameters the endpoint type does not
// take, as EC2 does before it looks anything up.
func checkEndpointParams(typ string, p endpointParams) error {
	refuse := func(format string, args ...any) error {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, format, args...)
	}
	switch typ {
	case EndpointTypeGateway, EndpointTypeInterface, EndpointTypeGatewayLoadBalancer:
	default:
		return cloud.InvalidParam("Value (%s) for parameter vpcEndpointType is invalid. Valid values: Interface, Gateway, GatewayLoadBalancer.", typ)
	}
	switch {
	case p.routeTables && typ != EndpointTypeGateway:
		return refuse("Route table IDs are only supported for Gateway type VPC Endpoint.")
	case p.subnets && typ == EndpointTypeGateway:
		return refuse("Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints.")
	case p.groups && typ != EndpointTypeInterface:
		return refuse("Security group IDs are only supported for Interface type VPC Endpoints.")
	case p.privateDNS && typ != EndpointTypeInterface:
		return refuse("Private DNS is only supported for Interface type VPC Endpoints.")
	case p.inboundResolverOption && typ != EndpointTypeInterface:
		return refuse("DnsOptions PrivateDnsOnlyForInboundResolverEndpoint is applicable only to Interface VPC Endpoints")
	case typ == EndpointTypeGatewayLoadBalancer && p.gwlbSubnets == -1 && p.subnets:
		return refuse("The subnet of a GatewayLoadBalancer type VPC Endpoint cannot be modified.")
	case typ == EndpointTypeGatewayLoadBalancer && p.gwlbSubnets >= 0 && p.gwlbSubnets != 1:
		return refuse("Exactly one subnet is required for a GatewayLoadBalancer type VPC Endpoint.")
	}
	return nil
}

// subnetConfigs merges SubnetIds and SubnetConfigurations: one config per
// subnet, in the order given.
func subnetConfigs(ids []string, configs []EndpointSubnetConfig) []EndpointSubnetConfig {
	out := make([]EndpointSubnetConfig, 0, len(ids)+len(configs))
	index := map[string]int{}
	add := func(c EndpointSubnetConfig) {
		if i, ok := index[c.SubnetID]; ok {
			if c.IPv4 != "" || c.IPv6 != "" {
				out[i] = c
			}
			return
		}
		index[c.SubnetID] = len(out)
		out = append(out, c)
	}
	for _, id := range ids {
		add(EndpointSubnetConfig{SubnetID: id})
	}
	for _, c := range configs {
		add(c)
	}
	return out
}

// CreateVPCEndpoint creates an endpoint of the caller's VPC to a service
// the caller can see. Gateway endpoints are available at once; interface
// and Gateway Load Balancer endpoints answer pending (then are available),
// or pendingAcceptance when the service's provider must accept them.
func (c *Service) CreateVPCEndpoint(ctx context.Context, who cloud.Caller, in CreateVPCEndpointInput) (*VPCEndpoint, error) {
	if in.Type == "" {
		in.Type = EndpointTypeGateway
	}
	in.SubnetConfigs = subnetConfigs(in.SubnetIDs, in.SubnetConfigs)
	err := checkEndpointParams(in.Type, endpointParams{
		routeTables: len(in.RouteTableIDs) > 0, subnets: len(in.SubnetConfigs) > 0, groups: len(in.SecurityGroupIDs) > 0,
		privateDNS:            in.PrivateDNSEnabled != nil && *in.PrivateDNSEnabled,
		inboundResolverOption: in.DNSOptions.PrivateDNSOnlyForInboundResolverEndpoint != nil,
		gwlbSubnets:           len(in.SubnetConfigs),
	})
	if err != nil {
		return nil, err
	}
	if in.PolicyDocument != nil {
		if err := checkEndpointPolicy(in.Type, *in.PolicyDocument); err != nil {
			return nil, err
		}
	}
	tags, err := cloud.TagsFor(in.Tags, cloud.KindVPCEndpoint)
	if err != nil {
		return nil, err
	}
	var e *VPCEndpoint
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		if err := purgeExpiredEndpoints(t); err != nil {
			return err
		}
		vpc, err := cloud.GetIn[network.VPC](t, in.VpcID)
		if err != nil {
			return err
		}
		svc, err := endpointService(t, in.ServiceName, in.ServiceRegion, in.Type)
		if err != nil {
			return err
		}
		if e, err = createVPCEndpoint(t, vpc, svc, in, tags[cloud.KindVPCEndpoint]); err != nil {
			return err
		}
		if e.State == VPCEndpointAvailable && e.Type != EndpointTypeGateway {
			// The answer shows the endpoint still being provisioned.
			e.State = VPCEndpointPending
		}
		return e.Resolve(t)
	})
	return e, err
}

// endpointService finds the visible service of the name and type. An
// unknown name is InvalidServiceName; a known one without the type names
// the types it has.
func endpointService(t *cloud.Txn, name, region, typ string) (*EndpointService, error) {
	var serviceRegions []string
	if region != "" {
		serviceRegions = []string{region}
	}
	all, err := visibleEndpointServices(t, serviceRegions)
	if err != nil {
		return nil, err
	}
	var types []string
	for _, s := range all {
		if s.Name != name {
			continue
		}
		if s.Type == typ {
			return s, nil
		}
		types = append(types, s.Type)
	}
	if len(types) == 0 {
		return nil, cloud.Errorf(cloud.NotFound, cloud.SubjectEndpointServiceName, "The Vpc Endpoint Service '%s' does not exist", name)
	}
	return nil, cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "Endpoint type (%s) does not match available service types ([%s]).", typ, strings.Join(types, ", "))
}

// hasGatewaySibling reports whether the service also has gateway endpoints
// (S3): its interface endpoints then take the inbound-resolver option.
func hasGatewaySibling(t *cloud.Txn, svc *EndpointService) (bool, error) {
	if svc.Type != EndpointTypeInterface {
		return false, nil
	}
	all, err := visibleEndpointServices(t, []string{svc.Region})
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(all, func(s *EndpointService) bool {
		return s.Name == svc.Name && s.Type == EndpointTypeGateway
	}), nil
}

// createVPCEndpoint makes the endpoint of vpc to svc (already resolved
// from the request's service name and type): its routes or network
// interfaces, policy and DNS, and saves it.
func createVPCEndpoint(t *cloud.Txn, vpc *network.VPC, svc *EndpointService, in CreateVPCEndpointInput, tags cloud.Tags) (*VPCEndpoint, error) {
	e := &VPCEndpoint{
		Meta:         cloud.Meta{ID: t.NewID("vpce-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags},
		Type:         svc.Type,
		VpcID:        vpc.ID,
		ServiceName:  svc.Name,
		ServiceID:    svc.ID,
		ServiceOwner: svc.Owner,
		State:        VPCEndpointAvailable,
		CreationTime: t.Now,
		StateChanged: t.Now,
	}
	if svc.Region != t.Scope.Region {
		e.ServiceRegion = svc.Region
	}
	if svc.AcceptanceRequired {
		e.State = VPCEndpointPendingAcceptance
	}
	if err := e.setPolicy(svc, in.PolicyDocument, false); err != nil {
		return nil, err
	}
	if err := checkEndpointQuota(t, e); err != nil {
		return nil, err
	}
	if e.Type == EndpointTypeGateway {
		if err := e.setAddressing(t, svc, nil, in.IPAddressType, in.DNSOptions.RecordIPType); err != nil {
			return nil, err
		}
		if err := e.addRouteTables(t, svc, in.RouteTableIDs); err != nil {
			return nil, err
		}
		return e, cloud.Put(t, e)
	}
	subnets, err := e.endpointSubnets(t, svc, in.SubnetConfigs)
	if err != nil {
		return nil, err
	}
	if err := e.setAddressing(t, svc, subnets, in.IPAddressType, in.DNSOptions.RecordIPType); err != nil {
		return nil, err
	}
	if e.Type == EndpointTypeInterface {
		if e.SecurityGroupIDs, err = endpointGroups(t, vpc, in.SecurityGroupIDs); err != nil {
			return nil, err
		}
		if err := e.setDNS(t, vpc, svc, in.PrivateDNSEnabled, in.DNSOptions.PrivateDNSOnlyForInboundResolverEndpoint, true); err != nil {
			return nil, err
		}
	}
	for i, s := range subnets {
		if err := e.addInterface(t, s, in.SubnetConfigs[i]); err != nil {
			return nil, err
		}
	}
	return e, cloud.Put(t, e)
}

// checkEndpointQuota applies the quotas of endpoints per VPC (interface and
// Gateway Load Balancer) and per region (gateway).
func checkEndpointQuota(t *cloud.Txn, e *VPCEndpoint) error {
	max := t.Limit("gateway-endpoints")
	if e.Type != EndpointTypeGateway {
		max = t.Limit("interface-endpoints-per-vpc")
	}
	n, err := t.Count(cloud.KindVPCEndpoint, e.quotaKey(), max)
	if err != nil {
		return err
	}
	if n >= max {
		return cloud.Errorf(cloud.LimitExceeded, cloud.KindVPCEndpoint, "The maximum number of VPC endpoints has been reached.")
	}
	return nil
}

// quotaKey groups the endpoints that count against the same quota: the
// gateway endpoints of a region, or the other endpoints of a VPC.
func (e *VPCEndpoint) quotaKey() cloud.Key {
	if e.Type == EndpointTypeGateway {
		return cloud.Key{Name: "gateway-endpoints-in", Value: e.Owner + "/" + e.Region}
	}
	return cloud.Key{Name: "interface-endpoints-in", Value: e.VpcID}
}

// checkEndpointPolicy checks a policy document the request gives: the
// endpoint policy rules, and for gateway endpoints the principal "*"
// (principals are named with the aws:PrincipalArn condition instead).
func checkEndpointPolicy(typ, text string) error {
	doc, err := policy.ParseEndpointPolicy(text)
	if err != nil {
		return cloud.Errorf(cloud.InvalidParameter, KindEndpointPolicy, "%s", err.Error())
	}
	if typ == EndpointTypeGateway && !doc.AllowsEveryone() {
		return cloud.Errorf(cloud.InvalidParameter, KindEndpointPolicy, "The Policy Document is not valid. Gateway endpoint policies support only the principal \"*\"; use the aws:PrincipalArn condition key to name principals.")
	}
	return nil
}

// defaultEndpointPolicy is the full-access policy AWS attaches to an
// endpoint created without one, in the text AWS shows for the type.
func defaultEndpointPolicy(typ string) string {
	if typ == EndpointTypeGateway {
		return policy.DefaultGatewayEndpointPolicy
	}
	return policy.DefaultInterfaceEndpointPolicy
}

// setPolicy sets the endpoint's policy: the document given (already
// checked), else, when reset or new, the default one. A service that takes
// no policies (PrivateLink services, Gateway Load Balancers) refuses any.
func (e *VPCEndpoint) setPolicy(svc *EndpointService, doc *string, reset bool) error {
	switch {
	case !svc.PolicySupported && doc != nil:
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "Service %s only supports the full-access endpoint policy.", svc.Name)
	case !svc.PolicySupported:
		e.PolicyDocument = ""
	case doc != nil:
		e.PolicyDocument = *doc
	case reset || e.PolicyDocument == "":
		e.PolicyDocument = defaultEndpointPolicy(e.Type)
	}
	return nil
}

// serviceShortName is s3 for com.amazonaws.us-east-1.s3.
func serviceShortName(svc *EndpointService) string {
	return strings.TrimPrefix(svc.Name, "com.amazonaws."+svc.Region+".")
}

// addRouteTables gives a gateway endpoint route tables of its VPC: each
// gets the route from the service's AWS-managed prefix list to the
// endpoint. A table can route a prefix list to one endpoint only.
func (e *VPCEndpoint) addRouteTables(t *cloud.Txn, svc *EndpointService, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	pl, ok := awsservices.PrefixListOf(svc.Region, serviceShortName(svc))
	if !ok {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "The Vpc Endpoint Service '%s' has no prefix list.", svc.Name)
	}
	for _, id := range ids {
		if slices.Contains(e.RouteTableIDs, id) {
			continue
		}
		rt, err := cloud.GetIn[network.RouteTable](t, id)
		if err != nil {
			return err
		}
		if rt.VpcID != e.VpcID {
			return network.DifferentNetworks(rt, "vpc endpoint", e.ID)
		}
		route := network.Route{DestinationPrefixListID: pl.ID, GatewayID: e.ID, Origin: network.OriginCreateRoute}
		if rt.RouteIndex(&route) >= 0 {
			return cloud.Errorf(cloud.Duplicate, cloud.KindRoute, "route table %s already has a route with destination-prefix-list-id %s", rt.ID, pl.ID)
		}
		rt.Routes = append(rt.Routes, route)
		if err := cloud.Put(t, rt); err != nil {
			return err
		}
		e.RouteTableIDs = append(e.RouteTableIDs, rt.ID)
	}
	return nil
}

// removeRouteTable takes the endpoint's route out of a table.
func (e *VPCEndpoint) removeRouteTable(t *cloud.Txn, id string) error {
	e.RouteTableIDs = slices.DeleteFunc(e.RouteTableIDs, func(x string) bool { return x == id })
	rt, err := cloud.GetAny[network.RouteTable](t.StoreTx, id)
	if err != nil {
		return network.IgnoreNotFound(err)
	}
	rt.Routes = network.RemoveWhere(rt.Routes, func(r network.Route) bool { return r.IsEndpointRoute() && r.GatewayID == e.ID })
	return cloud.Put(t, rt)
}

// endpointSubnets checks the subnets asked for an endpoint's network
// interfaces: subnets of its VPC, in zones the service offers, at most one
// per zone counting those the endpoint has.
func (e *VPCEndpoint) endpointSubnets(t *cloud.Txn, svc *EndpointService, configs []EndpointSubnetConfig) ([]*network.Subnet, error) {
	zones := map[string]string{} // zone → subnet
	for _, id := range e.SubnetIDs {
		s, err := cloud.GetAny[network.Subnet](t.StoreTx, id)
		if err != nil {
			return nil, err
		}
		zones[s.AvailabilityZone] = s.ID
	}
	out := make([]*network.Subnet, 0, len(configs))
	for _, c := range configs {
		if !cloud.WellFormed(c.SubnetID, "subnet-") {
			return nil, cloud.Errorf(cloud.Malformed, SubjectEndpointSubnet, "Invalid Subnet Id: '%s' (expecting 'subnet-...; the Id may only contain lowercase alphanumeric characters and a single dash')", c.SubnetID)
		}
		s, err := cloud.GetIn[network.Subnet](t, c.SubnetID)
		if err != nil {
			return nil, err
		}
		if s.VpcID != e.VpcID {
			return nil, cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "The subnet ID '%s' does not belong to VPC '%s'.", s.ID, e.VpcID)
		}
		if svc.Region == t.Scope.Region && !slices.ContainsFunc(svc.Zones, func(z regions.Zone) bool { return z.Name == s.AvailabilityZone }) {
			return nil, cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "The VPC endpoint service %s does not support the availability zone of the subnet: %s.", svc.Name, s.ID)
		}
		if other, ok := zones[s.AvailabilityZone]; ok {
			return nil, cloud.Errorf(cloud.Duplicate, SubjectEndpointSubnet, "Found another VPC endpoint subnet in the availability zone of %s. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.", other)
		}
		zones[s.AvailabilityZone] = s.ID
		out = append(out, s)
	}
	return out, nil
}

// endpointGroups checks the security groups of an interface endpoint:
// groups of its VPC, at most five. With none, the VPC's default group
// guards the endpoint.
func endpointGroups(t *cloud.Txn, vpc *network.VPC, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return []string{vpc.DefaultSecurityGroupID}, nil
	}
	var out []string
	for _, id := range ids {
		if err := network.CheckID(id, "sg-", cloud.KindSecurityGroup); err != nil {
			return nil, err
		}
		if slices.Contains(out, id) {
			continue
		}
		g, err := cloud.GetIn[network.SecurityGroup](t, id)
		if err != nil {
			return nil, err
		}
		if g.VpcID != vpc.ID {
			return nil, cloud.Errorf(cloud.InvalidParameter, cloud.KindSecurityGroup, "Security group %s and VPC %s belong to different networks.", id, vpc.ID)
		}
		out = append(out, id)
	}
	if len(out) > t.Limit("security-groups-per-interface") {
		return nil, cloud.Errorf(cloud.LimitExceeded, cloud.KindSecurityGroup, "The maximum number of security groups per interface has been reached.")
	}
	return out, nil
}

// addInterface creates the endpoint's requester-managed network interface
// in a subnet: an IPv4 address for ipv4 and dualstack endpoints, an IPv6
// one for dualstack and ipv6 endpoints (the addresses the configuration
// names, else picked ones).
func (e *VPCEndpoint) addInterface(t *cloud.Txn, s *network.Subnet, c EndpointSubnetConfig) error {
	typ := "vpc_endpoint"
	if e.Type == EndpointTypeGatewayLoadBalancer {
		typ = "gateway_load_balancer_endpoint"
	}
	var v6 network.IPv6Spec
	switch {
	case e.usesIPv6() && c.IPv6 != "":
		v6.Addresses = []string{c.IPv6}
	case e.usesIPv6():
		v6.Count = 1
	case c.IPv6 != "":
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "An IPv6 address cannot be given for subnet %s of a VPC endpoint whose IP address type is %s.", s.ID, e.IPAddressType)
	}
	eni, err := network.CreateInterface(t, s, network.InterfaceSpec{
		Description: "VPC Endpoint Interface " + e.ID, InterfaceType: typ, PrivateIP: c.IPv4, IPv6: v6,
		Groups: e.SecurityGroupIDs, RequesterManaged: true, RequesterID: endpointRequesterID,
	})
	if err != nil {
		return err
	}
	eni.Status = "in-use"
	if err := cloud.Put(t, eni); err != nil {
		return err
	}
	e.SubnetIDs = append(e.SubnetIDs, s.ID)
	e.NetworkInterfaceIDs = append(e.NetworkInterfaceIDs, eni.ID)
	return nil
}

// usesIPv6 reports whether the endpoint's interfaces have IPv6 addresses.
func (e *VPCEndpoint) usesIPv6() bool {
	return e.IPAddressType == "dualstack" || e.IPAddressType == "ipv6"
}

// syncIPv6 gives the endpoint's interfaces an IPv6 address when its
// address type has become dualstack, and takes them away when it has
// become ipv4.
func (e *VPCEndpoint) syncIPv6(t *cloud.Txn) error {
	for _, id := range e.NetworkInterfaceIDs {
		eni, err := cloud.GetAny[network.NetworkInterface](t.StoreTx, id)
		if err != nil {
			return err
		}
		switch has := len(eni.IPv6Addresses) > 0; {
		case e.usesIPv6() && !has:
			s, err := cloud.GetAny[network.Subnet](t.StoreTx, eni.SubnetID)
			if err != nil {
				return err
			}
			if eni.IPv6Addresses, err = network.AllocateIPv6(t, s, nil, 1); err != nil {
				return err
			}
		case !e.usesIPv6() && has:
			eni.IPv6Addresses = nil
		default:
			continue
		}
		if err := cloud.Put(t, eni); err != nil {
			return err
		}
	}
	return nil
}

// removeSubnet deletes the endpoint's network interface in a subnet.
func (e *VPCEndpoint) removeSubnet(t *cloud.Txn, i int) error {
	eniID := e.NetworkInterfaceIDs[i]
	e.SubnetIDs = slices.Delete(e.SubnetIDs, i, i+1)
	e.NetworkInterfaceIDs = slices.Delete(e.NetworkInterfaceIDs, i, i+1)
	eni, err := cloud.GetAny[network.NetworkInterface](t.StoreTx, eniID)
	if err != nil {
		return network.IgnoreNotFound(err)
	}
	return network.DestroyInterface(t, eni)
}

// setAddressing sets the endpoint's IP address type and DNS record type:
// the service must offer the address families, and the subnets have
// them (an IPv4 block for ipv4, both kinds of block for dualstack,
// IPv6-only subnets for ipv6). The DNS record type defaults to the address type; a
// dualstack endpoint may publish ipv4, ipv6 or service-defined records.
func (e *VPCEndpoint) setAddressing(t *cloud.Txn, svc *EndpointService, subnets []*network.Subnet, ipType, recordType string) error {
	if ipType == "" {
		ipType = e.IPAddressType
	}
	if ipType == "" {
		ipType = "ipv4"
	}
	families := map[string][]string{"ipv4": {"ipv4"}, "ipv6": {"ipv6"}, "dualstack": {"ipv4", "ipv6"}}[ipType]
	if families == nil || e.Type == EndpointTypeGateway && ipType == "ipv6" {
		return cloud.InvalidParam("Value (%s) for parameter ipAddressType is invalid.", ipType)
	}
	offered := svc.IPAddressTypes
	if len(offered) == 0 {
		offered = []string{"ipv4"}
	}
	for _, f := range families {
		if !slices.Contains(offered, f) {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "The VPC endpoint service %s does not support the IP address type %s.", svc.Name, ipType)
		}
	}
	for _, s := range subnets {
		v4, v6 := s.CIDRBlock != "", len(s.IPv6Associations) > 0
		if ipType == "ipv4" && !v4 || ipType == "dualstack" && !(v4 && v6) || ipType == "ipv6" && (v4 || !v6) {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "The subnet %s does not support the IP address type %s of the VPC endpoint.", s.ID, ipType)
		}
	}
	if recordType == "" && ipType != e.IPAddressType {
		recordType = ipType
	}
	if recordType == "" {
		recordType = e.DNSRecordIPType
	}
	allowed := map[string][]string{"ipv4": {"ipv4"}, "dualstack": {"dualstack", "ipv4", "ipv6", "service-defined"},
		"ipv6": {"ipv6", "service-defined"}}[ipType]
	if !slices.Contains(allowed, recordType) {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "The DNS record IP type %s is not supported for the IP address type %s.", recordType, ipType)
	}
	e.IPAddressType, e.DNSRecordIPType = ipType, recordType
	if e.Type == EndpointTypeGatewayLoadBalancer {
		e.DNSRecordIPType = ""
	}
	return nil
}

// setDNS sets an interface endpoint's DNS: its names, private DNS (asked
// for, or the service's default: on for AWS services that have a private
// DNS name and no gateway endpoints, off otherwise) and the inbound
// resolver option of services that also have gateway endpoints (on unless
// turned off). check applies the private DNS rules.
func (e *VPCEndpoint) setDNS(t *cloud.Txn, vpc *network.VPC, svc *EndpointService, privateDNS, inboundOnly *bool, check bool) error {
	sibling, err := hasGatewaySibling(t, svc)
	if err != nil {
		return err
	}
	name := svc.PrivateDNSName()
	if svc.PrivateDNSNameVerificationState != "verified" {
		name = ""
	}
	if e.DNSLabel == "" {
		e.DNSLabel = dnsLabel(t)
		if len(svc.BaseEndpointDNSNames) > 0 {
			e.ServiceDNSName = svc.BaseEndpointDNSNames[0]
		}
		e.WildcardDNS = sibling && strings.HasPrefix(name, "*.")
		e.ServiceHasGateway = sibling
		e.PrivateDNSEnabled = name != "" && svc.Owner == awsservices.Owner && !sibling
		e.PrivateDNSOnlyForInboundResolverEndpoint = sibling
	}
	e.ServicePrivateDNSName = name
	if privateDNS != nil {
		e.PrivateDNSEnabled = *privateDNS
	}
	if inboundOnly != nil {
		if *inboundOnly && !sibling {
			return noGatewayEndpoint(vpc)
		}
		e.PrivateDNSOnlyForInboundResolverEndpoint = *inboundOnly && sibling
	}
	if !check || !e.PrivateDNSEnabled {
		return nil
	}
	return e.checkPrivateDNS(t, vpc, svc)
}

func noGatewayEndpoint(vpc *network.VPC) error {
	return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "To set PrivateDnsOnlyForInboundResolverEndpoint to true, the VPC %s must have a Gateway endpoint for the service.", vpc.ID)
}

// checkPrivateDNS applies the rules of private DNS: the service has a
// private DNS name, the VPC resolves and names hosts, no other endpoint of
// the VPC already claims the name, and the inbound resolver option needs
// the VPC's gateway endpoint to the service.
func (e *VPCEndpoint) checkPrivateDNS(t *cloud.Txn, vpc *network.VPC, svc *EndpointService) error {
	if e.ServicePrivateDNSName == "" {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "Private DNS can't be enabled because the service %s does not provide a private DNS name.", svc.Name)
	}
	if !vpc.EnableDNSSupport || !vpc.EnableDNSHostnames {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for %s", vpc.ID)
	}
	others, err := cloud.FindIn[VPCEndpoint](t, cloud.Key{Name: "vpc-id", Value: vpc.ID})
	if err != nil {
		return err
	}
	gateway := false
	for _, o := range others {
		switch {
		case o.ID == e.ID:
		case o.Type == EndpointTypeInterface && o.PrivateDNSEnabled && o.ServicePrivateDNSName == e.ServicePrivateDNSName:
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindVPCEndpoint, "private-dns-enabled cannot be set because there is already a conflicting DNS domain for %s in the VPC %s", e.ServicePrivateDNSName, vpc.ID)
		case o.Type == EndpointTypeGateway && o.ServiceName == e.ServiceName:
			gateway = true
		}
	}
	if e.PrivateDNSOnlyForInboundResolverEndpoint && !gateway {
		return noGatewayEndpoint(vpc)
	}
	return nil
}

// liveEndpoint reads one of the caller's endpoints that is not deleted.
func liveEndpoint(t *cloud.Txn, id string) (*VPCEndpoint, error) {
	if err := checkEndpointID(id); err != nil {
		return nil, err
	}
	e, err := cloud.GetIn[VPCEndpoint](t, id)
	if err != nil {
		return nil, err
	}
	if e.State == VPCEndpointDeleted {
		return nil, cloud.Missing(cloud.KindVPCEndpoint, id)
	}
	return e, nil
}

// checkEndpointID refuses an id that is not vpce- and hex digits.
func checkEndpointID(id string) error {
	if !cloud.WellFormed(id, "vpce-") {
		return cloud.Errorf(cloud.Malformed, cloud.KindVPCEndpoint, "Invalid Id: '%s' (expecting 'vpce-...; the Id may only contain lowercase alphanumeric characters and a single dash')", id)
	}
	return nil
}

// CheckVPCEndpointIDs refuses malformed endpoint ids, as DescribeVpcEndpoints
// does before it looks them up.
func CheckVPCEndpointIDs(ids []string) error {
	for _, id := range ids {
		if err := checkEndpointID(id); err != nil {
			return err
		}
	}
	return nil
}

// DeleteVPCEndpoints deletes the caller's endpoints: their routes and
// network interfaces go, and they show as deleted for a while. Ids that
// cannot be deleted are reported, not refused.
func (c *Service) DeleteVPCEndpoints(ctx context.Context, who cloud.Caller, ids []string) ([]cloud.Unsuccessful, error) {
	var failed []cloud.Unsuccessful
	err := c.Update(ctx, who, func(t *cloud.Txn) (err error) {
		failed, err = cloud.EachItem(ids, func(id string) (*cloud.Error, error) { return cloud.AsItem(deleteVPCEndpoint(t, id)) })
		return err
	})
	return failed, err
}

func deleteVPCEndpoint(t *cloud.Txn, id string) error {
	if err := checkEndpointID(id); err != nil {
		return err
	}
	e, err := cloud.GetIn[VPCEndpoint](t, id)
	if network.ErrIsNotFound(err) || err == nil && cloud.Gone(t, e) {
		return cloud.Errorf(cloud.NotFound, cloud.SubjectEndpointItem, "The VpcEndpoint Id '%s' does not exist", id)
	}
	if err != nil || e.State == VPCEndpointDeleted {
		return err
	}
	for _, rt := range slices.Clone(e.RouteTableIDs) {
		if err := e.removeRouteTable(t, rt); err != nil {
			return err
		}
	}
	for len(e.NetworkInterfaceIDs) > 0 {
		if err := e.removeSubnet(t, 0); err != nil {
			return err
		}
	}
	e.State, e.StateChanged = VPCEndpointDeleted, t.Now
	return cloud.Put(t, e)
}

// purgeExpiredEndpoints removes the caller's deleted endpoints that AWS no
// longer shows.
func purgeExpiredEndpoints(t *cloud.Txn) error {
	deleted, err := cloud.FindIn[VPCEndpoint](t, cloud.Key{Name: "vpc-endpoint-state", Value: VPCEndpointDeleted})
	if err != nil {
		return err
	}
	for _, e := range deleted {
		if e.Expired(t.Now) {
			if err := cloud.Remove(t, e); err != nil {
				return err
			}
		}
	}
	return nil
}

func init() { network.RegisterEndpoints(endpointRoutes{}) }

// endpointRoutes is what the network family asks of endpoints (see
// Endpoints).
type endpointRoutes struct{}

func (endpointRoutes) RouteTarget(t *cloud.Txn, id string) (network.EndpointTarget, bool, error) {
	e, err := cloud.GetIn[VPCEndpoint](t, id)
	if err := network.IgnoreNotFound(err); err != nil || e == nil || e.State == VPCEndpointDeleted {
		return network.EndpointTarget{}, false, err
	}
	return network.EndpointTarget{VpcID: e.VpcID, GatewayLoadBalancer: e.Type == EndpointTypeGatewayLoadBalancer}, true, nil
}

func (endpointRoutes) Available(tx cloud.StoreTx, id string) (bool, error) {
	e, err := network.OrNil(cloud.GetAny[VPCEndpoint](tx, id))
	return e != nil && e.State == VPCEndpointAvailable, err
}

func (endpointRoutes) DropRouteTable(t *cloud.Txn, id string) error {
	endpoints, err := cloud.FindIn[VPCEndpoint](t, cloud.Key{Name: "route-table-id", Value: id})
	if err != nil {
		return err
	}
	for _, e := range endpoints {
		e.RouteTableIDs = slices.DeleteFunc(e.RouteTableIDs, func(x string) bool { return x == id })
		if err := cloud.Put(t, e); err != nil {
			return err
		}
	}
	return nil
}
