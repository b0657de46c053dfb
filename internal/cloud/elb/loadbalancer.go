package elb

import (
	"context"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// Load balancer types and schemes.
const (
	LBApplication = "application"
	LBNetwork     = "network"
	LBGateway     = "gateway"

	SchemeInternetFacing = "internet-facing"
	SchemeInternal       = "internal"
)

// Load balancer states: a new load balancer is provisioning in the answer
// to its creation and active from then on.
const (
	LBProvisioning = "provisioning"
	LBActive       = "active"
)

// LoadBalancer is an Elastic Load Balancing v2 load balancer: an
// application, network or gateway load balancer with one requester-managed
// network interface in each of its subnets. Its ID is its ARN.
type LoadBalancer struct {
	cloud.Meta
	Name          string
	Type          string
	Scheme        string // "" for a gateway load balancer
	VpcID         string
	IPAddressType string
	CreatedTime   time.Time
	Zones         []LoadBalancerZone
	// SecurityGroups guard the interfaces (application and network load
	// balancers; a network load balancer created without any has none).
	SecurityGroups []string `json:",omitempty"`
	// EnforcePrivateLinkInbound is a network load balancer's
	// EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic (on or off),
	// set once it has security groups.
	EnforcePrivateLinkInbound string `json:",omitempty"`
	Attributes                map[string]string

	// State is derived: provisioning in the create answer, active after.
	State string `json:"-"`
}

// LoadBalancerZone is one subnet of a load balancer and its interface.
type LoadBalancerZone struct {
	SubnetID    string
	ZoneName    string
	InterfaceID string
	// PrivateIPv4 is the interface's address when a subnet mapping named
	// it; AllocationID and PublicIP the Elastic IP a mapping gave it.
	PrivateIPv4  string `json:",omitempty"`
	AllocationID string `json:",omitempty"`
	PublicIP     string `json:",omitempty"`
	// IPv6Address is the interface's IPv6 address when a network load
	// balancer's subnet mapping named it.
	IPv6Address string `json:",omitempty"`
}

func (*LoadBalancer) Kind() cloud.Kind { return cloud.KindLoadBalancer }

func init() { cloud.RegisterType[LoadBalancer]() }

func (lb *LoadBalancer) Keys() []cloud.Key {
	return []cloud.Key{{Name: "name", Value: lb.Name}, {Name: "vpc-id", Value: lb.VpcID}}
}

func (lb *LoadBalancer) Resolve(*cloud.Txn) error {
	lb.State = LBActive
	return nil
}

// lbTypePaths are the ARN path segments of each type.
var lbTypePaths = map[string]string{LBApplication: "app", LBNetwork: "net", LBGateway: "gwy"}

// path is "net/<name>/<id>", the end of the ARN, which listener ARNs and
// interface descriptions repeat.
func (lb *LoadBalancer) path() string {
	return lbTypePaths[lb.Type] + "/" + lb.Name + "/" + lb.shortID()
}

// shortID is the 16 hex digits that end the ARN.
func (lb *LoadBalancer) shortID() string { return lb.ID[len(lb.ID)-16:] }

// DNSName is the load balancer's public DNS name; gateway load balancers
// have none.
func (lb *LoadBalancer) DNSName() string {
	switch lb.Type {
	case LBNetwork:
		return lb.Name + "-" + lb.shortID() + ".elb." + lb.Region + ".amazonaws.com"
	case LBApplication:
		// ALB names carry a decimal number of their own, not the ARN's id.
		n, _ := strconv.ParseUint(lb.shortID()[:8], 16, 32)
		name := lb.Name + "-" + strconv.FormatUint(n%2000000000, 10)
		if lb.Scheme == SchemeInternal {
			name = "internal-" + name
		}
		return name + "." + lb.Region + ".elb.amazonaws.com"
	}
	return ""
}

// CanonicalHostedZoneID is the Route 53 zone of the DNS name.
func (lb *LoadBalancer) CanonicalHostedZoneID() string {
	switch lb.Type {
	case LBApplication:
		return elbHostedZone(lb.Region, 0)
	case LBNetwork:
		return elbHostedZone(lb.Region, 1)
	}
	return ""
}

// interfaceType is the InterfaceType of the load balancer's interfaces.
func (lb *LoadBalancer) interfaceType() string {
	switch lb.Type {
	case LBNetwork:
		return "network_load_balancer"
	case LBGateway:
		return "gateway_load_balancer"
	}
	return "interface"
}

// attachmentOwner is the InstanceOwnerId of the interfaces' attachments.
func (lb *LoadBalancer) attachmentOwner() string {
	if lb.Type == LBApplication {
		return elbRequesterID
	}
	return "amazon-aws"
}

// SubnetMapping is a subnet for a load balancer, with the addresses its
// interface there takes.
type SubnetMapping struct {
	SubnetID     string
	AllocationID string
	PrivateIPv4  string
	IPv6Address  string
}

// CreateLoadBalancerInput is what CreateLoadBalancer takes.
type CreateLoadBalancerInput struct {
	Name           string
	Type           string // default application
	Scheme         string // default internet-facing
	IPAddressType  string // default ipv4
	Subnets        []string
	SubnetMappings []SubnetMapping
	SecurityGroups []string
	Tags           []cloud.Tag
}

// check fills the defaults and checks what needs no state.
func (in *CreateLoadBalancerInput) check() error {
	if err := elbName("The load balancer name", in.Name); err != nil {
		return err
	}
	if len(in.Name) >= len("internal-") && in.Name[:len("internal-")] == "internal-" {
		return cloud.InvalidParam("The load balancer name '%s' cannot begin with 'internal-'", in.Name)
	}
	if in.Type == "" {
		in.Type = LBApplication
	}
	switch {
	case in.Type == LBGateway && in.Scheme != "":
		return cloud.InvalidParam("A scheme cannot be specified for load balancers of type 'gateway'")
	case in.Type == LBGateway && len(in.SecurityGroups) > 0:
		return cloud.InvalidParam("Security groups are not supported for load balancers with type 'gateway'")
	case in.Type != LBGateway && in.Scheme == "":
		in.Scheme = SchemeInternetFacing
	}
	if in.IPAddressType == "" {
		in.IPAddressType = "ipv4"
	}
	if err := checkIPAddressType(in.Type, in.Scheme, in.IPAddressType); err != nil {
		return err
	}
	switch {
	case len(in.Subnets) > 0 && len(in.SubnetMappings) > 0:
		return cloud.InvalidParam("You can specify subnets or subnet mappings, not both")
	case len(in.Subnets) == 0 && len(in.SubnetMappings) == 0:
		return cloud.InvalidParam("At least one subnet must be specified")
	}
	for _, id := range in.Subnets {
		in.SubnetMappings = append(in.SubnetMappings, SubnetMapping{SubnetID: id})
	}
	for _, m := range in.SubnetMappings {
		if err := checkMapping(in.Type, in.Scheme, m); err != nil {
			return err
		}
	}
	return nil
}

// checkIPAddressType refuses an address type the load balancer cannot use.
func checkIPAddressType(typ, scheme, ipType string) error {
	switch {
	case ipType == "dualstack-without-public-ipv4" && typ != LBApplication:
		return cloud.InvalidParam("IP address type 'dualstack-without-public-ipv4' is only supported for Application Load Balancers")
	case ipType == "dualstack-without-public-ipv4" && scheme == SchemeInternal:
		return cloud.InvalidParam("IP address type 'dualstack-without-public-ipv4' is not supported for internal load balancers")
	}
	return nil
}

// checkMapping refuses subnet mapping addresses the load balancer cannot
// take: Elastic IPs only for internet-facing network load balancers,
// private addresses only for network load balancers.
func checkMapping(typ, scheme string, m SubnetMapping) error {
	if m.SubnetID == "" {
		return cloud.InvalidParam("A subnet ID must be specified for each subnet mapping")
	}
	switch {
	case m.AllocationID != "" && typ != LBNetwork:
		return cloud.InvalidParam("Elastic IP addresses can only be specified for Network Load Balancers")
	case m.AllocationID != "" && scheme != SchemeInternetFacing:
		return cloud.InvalidParam("Elastic IP addresses cannot be specified for internal load balancers")
	case m.PrivateIPv4 != "" && typ != LBNetwork:
		return cloud.InvalidParam("Private IPv4 addresses can only be specified for Network Load Balancers")
	case m.AllocationID != "" && m.PrivateIPv4 != "":
		return cloud.InvalidParam("You cannot specify both an allocation ID and a private IPv4 address for subnet '%s'", m.SubnetID)
	case m.IPv6Address != "" && typ != LBNetwork:
		return cloud.InvalidParam("IPv6 addresses can only be specified for Network Load Balancers")
	}
	return nil
}

// lbSubnets reads the subnets of mappings: they must exist, lie in one
// VPC, one per zone, and an application load balancer needs two zones.
func lbSubnets(t *cloud.Txn, typ string, mappings []SubnetMapping) ([]*network.Subnet, error) {
	var subnets []*network.Subnet
	zones := map[string]bool{}
	for _, m := range mappings {
		if err := network.CheckID(m.SubnetID, "subnet-", cloud.KindSubnet); err != nil {
			return nil, cloud.Errorf(cloud.NotFound, cloud.KindSubnet, "The subnet ID '%s' is not valid", m.SubnetID)
		}
		s, err := cloud.GetIn[network.Subnet](t, m.SubnetID)
		if err != nil {
			return nil, cloud.Errorf(cloud.NotFound, cloud.KindSubnet, "The subnet ID '%s' is not valid", m.SubnetID)
		}
		if len(subnets) > 0 && s.VpcID != subnets[0].VpcID {
			return nil, cloud.Errorf(cloud.InvalidConfiguration, "", "All subnets must belong to the same VPC: '%s' is in '%s', '%s' is in '%s'", subnets[0].ID, subnets[0].VpcID, s.ID, s.VpcID)
		}
		if zones[s.AvailabilityZone] {
			return nil, cloud.Errorf(cloud.InvalidConfiguration, "", "A load balancer cannot be attached to multiple subnets in the same Availability Zone")
		}
		zones[s.AvailabilityZone] = true
		subnets = append(subnets, s)
	}
	if typ == LBApplication && len(zones) < 2 {
		return nil, cloud.InvalidParam("At least two subnets in two different Availability Zones must be specified")
	}
	return subnets, nil
}

// checkSubnetsFor refuses subnets the load balancer cannot use: an
// internet-facing one needs an internet gateway on the VPC, a dualstack
// one IPv6 blocks in its subnets.
func checkSubnetsFor(t *cloud.Txn, lb *LoadBalancer, subnets []*network.Subnet) error {
	if lb.Scheme == SchemeInternetFacing {
		attached, err := network.IGWAttached(t, lb.VpcID)
		if err != nil {
			return err
		}
		if !attached {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindSubnet, "VPC %s has no internet gateway", lb.VpcID)
		}
	}
	for _, s := range subnets {
		if s.CIDRBlock == "" {
			// vpcemu's load balancer nodes have an IPv4 address.
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindSubnet, "Subnet '%s' does not have an IPv4 CIDR block", s.ID)
		}
	}
	if lb.IPAddressType != "ipv4" {
		for _, s := range subnets {
			if len(s.IPv6Associations) == 0 {
				return cloud.Errorf(cloud.InvalidParameter, cloud.KindSubnet, "Subnet '%s' does not have an IPv6 CIDR block", s.ID)
			}
		}
	}
	return nil
}

// lbGroups checks the security groups of a load balancer in vpc: each must
// be a group of that VPC. An application load balancer without any gets
// the VPC's default group; a network load balancer stays without. A group
// of another VPC gets the answer AWS gives
// ("InvalidConfigurationRequest: Security group 'sg-…' does not belong to
// VPC 'vpc-…'", as reported by users of CreateLoadBalancer).
func lbGroups(t *cloud.Txn, typ, vpcID string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		if typ != LBApplication {
			return nil, nil
		}
		vpc, err := cloud.GetIn[network.VPC](t, vpcID)
		if err != nil {
			return nil, err
		}
		return []string{vpc.DefaultSecurityGroupID}, nil
	}
	var out []string
	for _, id := range cloud.SortedUnique(ids) {
		g, err := cloud.GetIn[network.SecurityGroup](t, id)
		if err != nil {
			return nil, cloud.Errorf(cloud.InvalidParameter, cloud.KindSecurityGroup, "One or more security groups are invalid: '%s' does not exist", id)
		}
		if g.VpcID != vpcID {
			return nil, cloud.Errorf(cloud.InvalidConfiguration, "", "Security group '%s' does not belong to VPC '%s'", id, vpcID)
		}
		out = append(out, id)
	}
	if len(out) > t.Limit("security-groups-per-interface") {
		return nil, cloud.Errorf(cloud.InvalidParameter, cloud.KindSecurityGroup, "You can specify at most %d security groups", t.Limit("security-groups-per-interface"))
	}
	return out, nil
}

// loadBalancerByName finds the caller's load balancer with a name.
func loadBalancerByName(t *cloud.Txn, name string) (*LoadBalancer, error) {
	found, err := cloud.FindIn[LoadBalancer](t, cloud.Key{Name: "name", Value: name})
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return found[0], nil
}

// lbQuotas are the quotas of load balancers of each type per region.
var lbQuotas = map[string]string{
	LBApplication: "application-load-balancers",
	LBNetwork:     "network-load-balancers",
	LBGateway:     "gateway-load-balancers",
}

func checkLBQuota(t *cloud.Txn, typ string) error {
	n, err := countIn[LoadBalancer](t, func(o *LoadBalancer) bool { return o.Type == typ })
	if err != nil {
		return err
	}
	if n >= t.Limit(lbQuotas[typ]) {
		return cloud.Errorf(cloud.LimitExceeded, cloud.KindLoadBalancer, "The maximum number of load balancers of type '%s' has been reached", typ)
	}
	return nil
}

// CreateLoadBalancer creates a load balancer with an interface in each of
// its subnets. As on AWS it is idempotent: a load balancer of the same name
// and settings is returned as it is; another of the same name is refused.
func (c *Service) CreateLoadBalancer(ctx context.Context, who cloud.Caller, in CreateLoadBalancerInput) (*LoadBalancer, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	tags, err := elbTags(in.Tags)
	if err != nil {
		return nil, err
	}
	var lb *LoadBalancer
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		subnets, err := lbSubnets(t, in.Type, in.SubnetMappings)
		if err != nil {
			return err
		}
		vpcID := subnets[0].VpcID
		groups, err := lbGroups(t, in.Type, vpcID, in.SecurityGroups)
		if err != nil {
			return err
		}
		existing, err := loadBalancerByName(t, in.Name)
		if err != nil {
			return err
		}
		if existing != nil {
			if !existing.sameAs(in, subnets, groups) {
				return cloud.Errorf(cloud.Duplicate, cloud.KindLoadBalancer, "A load balancer with the same name '%s' exists, but with different settings", in.Name)
			}
			lb = existing
			return lb.Resolve(t)
		}
		if err := checkLBQuota(t, in.Type); err != nil {
			return err
		}
		lb = &LoadBalancer{
			Meta: cloud.Meta{Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags},
			Name: in.Name, Type: in.Type, Scheme: in.Scheme, VpcID: vpcID, IPAddressType: in.IPAddressType,
			CreatedTime: t.Now, SecurityGroups: groups, Attributes: lbAttrSet(in.Type, in.Scheme).values(),
		}
		lb.ID = elbARN(t, "loadbalancer/"+lbTypePaths[in.Type]+"/"+in.Name+"/"+newELBID(t))
		if in.Type == LBNetwork && len(groups) > 0 {
			lb.EnforcePrivateLinkInbound = "on"
		}
		if err := checkSubnetsFor(t, lb, subnets); err != nil {
			return err
		}
		if err := lb.addZones(t, subnets, in.SubnetMappings); err != nil {
			return err
		}
		if err := cloud.Put(t, lb); err != nil {
			return err
		}
		lb.State = LBProvisioning
		return nil
	})
	return lb, err
}

// sameAs reports whether a create call asks for this load balancer as it
// is, which makes the call a repeat.
func (lb *LoadBalancer) sameAs(in CreateLoadBalancerInput, subnets []*network.Subnet, groups []string) bool {
	ids := make([]string, len(subnets))
	for i, s := range subnets {
		ids[i] = s.ID
	}
	return lb.Type == in.Type && lb.Scheme == in.Scheme && lb.IPAddressType == in.IPAddressType &&
		sameSet(lb.subnetIDs(), ids) && sameSet(lb.SecurityGroups, groups)
}

func (lb *LoadBalancer) subnetIDs() []string {
	ids := make([]string, len(lb.Zones))
	for i, z := range lb.Zones {
		ids[i] = z.SubnetID
	}
	return ids
}

// addZones gives the load balancer an interface in each new subnet, with
// the addresses its mapping names.
func (lb *LoadBalancer) addZones(t *cloud.Txn, subnets []*network.Subnet, mappings []SubnetMapping) error {
	for i, s := range subnets {
		z := LoadBalancerZone{SubnetID: s.ID, ZoneName: s.AvailabilityZone, PrivateIPv4: mappings[i].PrivateIPv4, AllocationID: mappings[i].AllocationID,
			IPv6Address: mappings[i].IPv6Address}
		if err := lb.addInterface(t, s, &z); err != nil {
			return err
		}
		lb.Zones = append(lb.Zones, z)
	}
	return nil
}

// addInterface creates the load balancer's interface in subnet s, with a
// public address when the load balancer is internet-facing: the mapping's
// Elastic IP, or one from Amazon's pool.
func (lb *LoadBalancer) addInterface(t *cloud.Txn, s *network.Subnet, z *LoadBalancerZone) error {
	if z.PrivateIPv4 != "" {
		if err := checkMappedAddress(s, z.PrivateIPv4); err != nil {
			return err
		}
	}
	var addr *network.Address
	if z.AllocationID != "" {
		var err error
		if addr, err = mappedAddress(t, z.AllocationID); err != nil {
			return err
		}
	}
	// A dualstack load balancer's node has an IPv6 address in each subnet.
	var v6 network.IPv6Spec
	switch {
	case lb.IPAddressType != "ipv4" && z.IPv6Address != "":
		v6.Addresses = []string{z.IPv6Address}
	case lb.IPAddressType != "ipv4":
		v6.Count = 1
	case z.IPv6Address != "":
		return cloud.Errorf(cloud.InvalidConfiguration, "", "You cannot specify an IPv6 address for a load balancer whose IP address type is ipv4")
	}
	eni, err := network.CreateInterface(t, s, network.InterfaceSpec{
		Description: "ELB " + lb.path(), InterfaceType: lb.interfaceType(), PrivateIP: z.PrivateIPv4, IPv6: v6,
		Groups: lb.SecurityGroups, RequesterManaged: true, RequesterID: elbRequesterID,
	})
	if e, ok := cloud.AsError(err); ok && e.Reason == cloud.InsufficientAddresses {
		return cloud.Errorf(cloud.InvalidParameter, cloud.KindSubnet, "Not enough IP space available in %s. ELB requires at least 8 free IP addresses in each subnet.", s.ID)
	}
	if e, ok := cloud.AsError(err); ok && e.Reason == cloud.InUse && z.IPv6Address != "" && strings.Contains(e.Msg, z.IPv6Address) {
		return cloud.Errorf(cloud.InvalidConfiguration, "", "The IPv6 address %s is already in use in subnet %s", z.IPv6Address, s.ID)
	}
	if e, ok := cloud.AsError(err); ok && e.Reason == cloud.InUse {
		return cloud.Errorf(cloud.InvalidConfiguration, "", "The private IPv4 address %s is already in use in subnet %s", z.PrivateIPv4, s.ID)
	}
	if err != nil {
		return err
	}
	eni.Status = "in-use"
	eni.Attachment = &network.InterfaceAttachment{ID: t.NewID("ela-attach-"), InstanceOwnerID: lb.attachmentOwner(), DeviceIndex: 1, Status: "attached", AttachTime: t.Now}
	z.InterfaceID = eni.ID
	switch {
	case addr != nil:
		z.PublicIP = addr.PublicIP
		return network.AssociateIP(t, addr, eni, eni.PrimaryIP())
	case lb.Scheme == SchemeInternetFacing:
		ip, err := network.AllocatePublicIP(t, eni.ID)
		if err != nil {
			return err
		}
		eni.PrivateIPs[0].Association = &network.IPAssociation{PublicIP: ip, IPOwnerID: network.AutoIPOwner}
	}
	return cloud.Put(t, eni)
}

// checkMappedAddress refuses a mapping's private address outside the
// subnet's usable range.
func checkMappedAddress(s *network.Subnet, ip string) error {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is4() {
		return cloud.InvalidParam("The private IPv4 address '%s' is not valid", ip)
	}
	if !s.Prefix().Contains(a) || cidr.Reserved(s.Prefix(), a) {
		return cloud.Errorf(cloud.InvalidConfiguration, "", "The private IPv4 address %s is not in the usable range of subnet %s (%s)", ip, s.ID, s.CIDRBlock)
	}
	return nil
}

// mappedAddress reads a mapping's Elastic IP: the caller's, unassociated.
func mappedAddress(t *cloud.Txn, allocationID string) (*network.Address, error) {
	addr, err := cloud.GetIn[network.Address](t, allocationID)
	if err != nil {
		return nil, cloud.Errorf(cloud.NotFound, cloud.KindAddress, "Elastic IP address allocation '%s' not found", allocationID)
	}
	if addr.AssociationID != "" {
		return nil, cloud.Errorf(cloud.InvalidConfiguration, "", "The Elastic IP address allocation '%s' is already associated", allocationID)
	}
	return addr, nil
}

// removeZone deletes the load balancer's interface in a zone; its Elastic
// IP stays with the account, its pool address goes back.
func removeZone(t *cloud.Txn, z LoadBalancerZone) error {
	eni, err := cloud.GetAny[network.NetworkInterface](t.StoreTx, z.InterfaceID)
	if err != nil {
		return network.IgnoreNotFound(err)
	}
	return network.DestroyInterface(t, eni)
}

// loadBalancerInUse reports whether another service uses the load balancer
// (a VPC endpoint service), which keeps it from being deleted.
func loadBalancerInUse(t *cloud.Txn, arn string) (bool, error) {
	return cloud.Exists(t, cloud.KindVPCEndpointService, cloud.Key{Name: "load-balancer-arn", Value: arn})
}

// GetLoadBalancer returns one of the caller's load balancers.
func (c *Service) GetLoadBalancer(ctx context.Context, who cloud.Caller, arn string) (*LoadBalancer, error) {
	var lb *LoadBalancer
	err := c.View(ctx, who, func(t *cloud.Txn) (err error) {
		if lb, err = getELB[LoadBalancer](t, arn); err != nil {
			return err
		}
		return lb.Resolve(t)
	})
	return lb, err
}

// DeleteLoadBalancer deletes a load balancer with its listeners and
// interfaces. Deleting one that does not exist succeeds, as on AWS;
// deletion protection and services that use it keep it.
func (c *Service) DeleteLoadBalancer(ctx context.Context, who cloud.Caller, arn string) error {
	if err := CheckELBARN(arn, cloud.KindLoadBalancer); err != nil {
		return err
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		lb, err := cloud.GetIn[LoadBalancer](t, arn)
		if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
			return nil
		}
		if err != nil {
			return err
		}
		if lb.Attributes["deletion_protection.enabled"] == "true" {
			return cloud.Errorf(cloud.OperationNotPermitted, "", "Load balancer '%s' cannot be deleted because deletion protection is enabled", arn)
		}
		used, err := loadBalancerInUse(t, arn)
		if err != nil {
			return err
		}
		if used {
			return cloud.Errorf(cloud.InUse, cloud.KindLoadBalancer, "Load balancer '%s' cannot be deleted because it is currently associated with another service", arn)
		}
		listeners, err := cloud.FindIn[Listener](t, cloud.Key{Name: "load-balancer", Value: arn})
		if err != nil {
			return err
		}
		for _, l := range listeners {
			if err := removeListener(t, l); err != nil {
				return err
			}
		}
		for _, z := range lb.Zones {
			if err := removeZone(t, z); err != nil {
				return err
			}
		}
		return cloud.Remove(t, lb)
	})
}

// SetSubnets replaces a load balancer's subnets. Network and gateway load
// balancers keep the subnets they have and may add more; an application
// load balancer's subnets are replaced (two zones at least). Subnets it
// keeps keep their interfaces.
func (c *Service) SetSubnets(ctx context.Context, who cloud.Caller, arn string, subnetIDs []string, mappings []SubnetMapping, ipType string) (*LoadBalancer, error) {
	var lb *LoadBalancer
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if lb, err = getELB[LoadBalancer](t, arn); err != nil {
			return err
		}
		in := CreateLoadBalancerInput{Name: lb.Name, Type: lb.Type, Scheme: lb.Scheme, IPAddressType: lb.IPAddressType, Subnets: subnetIDs, SubnetMappings: mappings}
		if ipType != "" {
			in.IPAddressType = ipType
		}
		if err := in.check(); err != nil {
			return err
		}
		subnets, err := lbSubnets(t, lb.Type, in.SubnetMappings)
		if err != nil {
			return err
		}
		if subnets[0].VpcID != lb.VpcID {
			return cloud.Errorf(cloud.InvalidConfiguration, "", "Subnet '%s' is not in the VPC of the load balancer ('%s')", subnets[0].ID, lb.VpcID)
		}
		lb.IPAddressType = in.IPAddressType
		if err := checkSubnetsFor(t, lb, subnets); err != nil {
			return err
		}
		if err := lb.replaceZones(t, subnets, in.SubnetMappings); err != nil {
			return err
		}
		if err := cloud.Put(t, lb); err != nil {
			return err
		}
		return lb.Resolve(t)
	})
	return lb, err
}

// replaceZones keeps the zones of subnets still asked for, adds the new
// ones and, for an application load balancer, drops the rest.
func (lb *LoadBalancer) replaceZones(t *cloud.Txn, subnets []*network.Subnet, mappings []SubnetMapping) error {
	asked := map[string]bool{}
	var newSubnets []*network.Subnet
	var newMappings []SubnetMapping
	for i, s := range subnets {
		asked[s.ID] = true
		if !contains(lb.subnetIDs(), s.ID) {
			newSubnets, newMappings = append(newSubnets, s), append(newMappings, mappings[i])
		}
	}
	var kept []LoadBalancerZone
	for _, z := range lb.Zones {
		switch {
		case asked[z.SubnetID]:
			kept = append(kept, z)
		case lb.Type != LBApplication:
			return cloud.InvalidParam("Subnets cannot be removed from a load balancer of type '%s': subnet '%s' is missing", lb.Type, z.SubnetID)
		default:
			if err := removeZone(t, z); err != nil {
				return err
			}
		}
	}
	lb.Zones = kept
	return lb.addZones(t, newSubnets, newMappings)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// SetSecurityGroups replaces the security groups of an application or
// network load balancer and of its interfaces. A network load balancer
// created without groups cannot get any, nor lose all it has.
func (c *Service) SetSecurityGroups(ctx context.Context, who cloud.Caller, arn string, groups []string, enforce string) (*LoadBalancer, error) {
	var lb *LoadBalancer
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if lb, err = getELB[LoadBalancer](t, arn); err != nil {
			return err
		}
		if err := lb.checkGroupChange(groups, enforce); err != nil {
			return err
		}
		ids, err := lbGroups(t, lb.Type, lb.VpcID, groups)
		if err != nil {
			return err
		}
		lb.SecurityGroups = ids
		if enforce != "" {
			lb.EnforcePrivateLinkInbound = enforce
		}
		if err := lb.setInterfaceGroups(t); err != nil {
			return err
		}
		if err := cloud.Put(t, lb); err != nil {
			return err
		}
		return lb.Resolve(t)
	})
	return lb, err
}

func (lb *LoadBalancer) checkGroupChange(groups []string, enforce string) error {
	switch {
	case lb.Type == LBGateway:
		return cloud.InvalidParam("Security groups are not supported for load balancers with type 'gateway'")
	case enforce != "" && lb.Type != LBNetwork:
		return cloud.InvalidParam("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is only supported for Network Load Balancers")
	case lb.Type == LBNetwork && len(lb.SecurityGroups) == 0 && len(groups) > 0:
		return cloud.Errorf(cloud.InvalidConfiguration, "", "You cannot add security groups to a Network Load Balancer that was created without security groups")
	case lb.Type == LBNetwork && len(lb.SecurityGroups) > 0 && len(groups) == 0:
		return cloud.Errorf(cloud.InvalidConfiguration, "", "You cannot remove all security groups from a Network Load Balancer that was created with security groups")
	case lb.Type == LBApplication && len(groups) == 0:
		return cloud.InvalidParam("At least one security group must be specified for an Application Load Balancer")
	}
	return nil
}

// setInterfaceGroups gives the load balancer's interfaces its groups.
func (lb *LoadBalancer) setInterfaceGroups(t *cloud.Txn) error {
	for _, z := range lb.Zones {
		eni, err := cloud.GetAny[network.NetworkInterface](t.StoreTx, z.InterfaceID)
		if err != nil {
			if err := network.IgnoreNotFound(err); err != nil {
				return err
			}
			continue
		}
		eni.Groups = lb.SecurityGroups
		if err := cloud.Put(t, eni); err != nil {
			return err
		}
	}
	return nil
}

// SetIPAddressType changes the address type of a load balancer.
func (c *Service) SetIPAddressType(ctx context.Context, who cloud.Caller, arn, ipType string) (*LoadBalancer, error) {
	var lb *LoadBalancer
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if lb, err = getELB[LoadBalancer](t, arn); err != nil {
			return err
		}
		if err := checkIPAddressType(lb.Type, lb.Scheme, ipType); err != nil {
			return err
		}
		if ipType != "ipv4" {
			if err := lb.checkDualstack(t); err != nil {
				return err
			}
		}
		lb.IPAddressType = ipType
		if err := lb.syncIPv6(t); err != nil {
			return err
		}
		if err := cloud.Put(t, lb); err != nil {
			return err
		}
		return lb.Resolve(t)
	})
	return lb, err
}

// syncIPv6 gives the load balancer's interfaces an IPv6 address when it
// has become dualstack, and takes them away when it is ipv4 again.
func (lb *LoadBalancer) syncIPv6(t *cloud.Txn) error {
	for i := range lb.Zones {
		z := &lb.Zones[i]
		eni, err := cloud.GetAny[network.NetworkInterface](t.StoreTx, z.InterfaceID)
		if err != nil {
			return network.IgnoreNotFound(err)
		}
		switch has := len(eni.IPv6Addresses) > 0; {
		case lb.IPAddressType != "ipv4" && !has:
			s, err := cloud.GetAny[network.Subnet](t.StoreTx, eni.SubnetID)
			if err != nil {
				return err
			}
			if eni.IPv6Addresses, err = network.AllocateIPv6(t, s, nil, 1); err != nil {
				return err
			}
		case lb.IPAddressType == "ipv4" && has:
			eni.IPv6Addresses, z.IPv6Address = nil, ""
		default:
			continue
		}
		if err := cloud.Put(t, eni); err != nil {
			return err
		}
	}
	return nil
}

// checkDualstack refuses dualstack for a load balancer whose subnets lack
// IPv6 blocks, or a network load balancer with UDP listeners.
func (lb *LoadBalancer) checkDualstack(t *cloud.Txn) error {
	for _, z := range lb.Zones {
		s, err := cloud.GetAny[network.Subnet](t.StoreTx, z.SubnetID)
		if err != nil {
			return err
		}
		if len(s.IPv6Associations) == 0 {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindSubnet, "Subnet '%s' does not have an IPv6 CIDR block", s.ID)
		}
	}
	listeners, err := cloud.FindIn[Listener](t, cloud.Key{Name: "load-balancer", Value: lb.ID})
	if err != nil {
		return err
	}
	for _, l := range listeners {
		if l.Protocol == "UDP" || l.Protocol == "TCP_UDP" {
			return cloud.Errorf(cloud.InvalidConfiguration, "", "You cannot use the dualstack IP address type with a %s listener", l.Protocol)
		}
	}
	return nil
}

// lbAttrs are the load balancer attributes AWS knows.
var lbAttrs = attrKind{noun: "Load balancer", rules: map[string]attrRule{
	"deletion_protection.enabled":                              boolValue,
	"load_balancing.cross_zone.enabled":                        boolValue,
	"access_logs.s3.enabled":                                   boolValue,
	"access_logs.s3.bucket":                                    anyValue,
	"access_logs.s3.prefix":                                    anyValue,
	"ipv6.deny_all_igw_traffic":                                boolValue,
	"zonal_shift.config.enabled":                               boolValue,
	"idle_timeout.timeout_seconds":                             intRange(1, 4000),
	"client_keep_alive.seconds":                                intRange(60, 604800),
	"connection_logs.s3.enabled":                               boolValue,
	"connection_logs.s3.bucket":                                anyValue,
	"connection_logs.s3.prefix":                                anyValue,
	"health_check_logs.s3.enabled":                             boolValue,
	"health_check_logs.s3.bucket":                              anyValue,
	"health_check_logs.s3.prefix":                              anyValue,
	"routing.http.desync_mitigation_mode":                      oneOf("monitor", "defensive", "strictest"),
	"routing.http.drop_invalid_header_fields.enabled":          boolValue,
	"routing.http.preserve_host_header.enabled":                boolValue,
	"routing.http.x_amzn_tls_version_and_cipher_suite.enabled": boolValue,
	"routing.http.xff_client_port.enabled":                     boolValue,
	"routing.http.xff_header_processing.mode":                  oneOf("append", "preserve", "remove"),
	"routing.http2.enabled":                                    boolValue,
	"waf.fail_open.enabled":                                    boolValue,
	"dns_record.client_routing_policy":                         oneOf("availability_zone_affinity", "partial_availability_zone_affinity", "any_availability_zone"),
	"secondary_ips.auto_assigned.per_subnet":                   intRange(0, 7),
}}

// lbAttrSet is the attributes a load balancer of a type has, with their
// defaults.
func lbAttrSet(typ, scheme string) attrSet {
	denyIGW := strconv.FormatBool(scheme == SchemeInternal)
	logs := func(kind string) attrSet {
		return attrSet{{kind + ".s3.enabled", "false"}, {kind + ".s3.bucket", ""}, {kind + ".s3.prefix", ""}}
	}
	switch typ {
	case LBGateway:
		return attrSet{{"deletion_protection.enabled", "false"}, {"load_balancing.cross_zone.enabled", "false"}}
	case LBNetwork:
		return append(append(attrSet{{"deletion_protection.enabled", "false"}, {"load_balancing.cross_zone.enabled", "false"}},
			logs("access_logs")...),
			attrDefault{"ipv6.deny_all_igw_traffic", denyIGW}, attrDefault{"dns_record.client_routing_policy", "any_availability_zone"},
			attrDefault{"zonal_shift.config.enabled", "false"}, attrDefault{"secondary_ips.auto_assigned.per_subnet", "0"})
	}
	set := attrSet{{"deletion_protection.enabled", "false"}, {"load_balancing.cross_zone.enabled", "true"}}
	set = append(set, logs("access_logs")...)
	set = append(set, attrDefault{"idle_timeout.timeout_seconds", "60"}, attrDefault{"client_keep_alive.seconds", "3600"})
	set = append(set, logs("connection_logs")...)
	set = append(set, logs("health_check_logs")...)
	return append(set,
		attrDefault{"routing.http.desync_mitigation_mode", "defensive"},
		attrDefault{"routing.http.drop_invalid_header_fields.enabled", "false"},
		attrDefault{"routing.http.preserve_host_header.enabled", "false"},
		attrDefault{"routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false"},
		attrDefault{"routing.http.xff_client_port.enabled", "false"},
		attrDefault{"routing.http.xff_header_processing.mode", "append"},
		attrDefault{"routing.http2.enabled", "true"},
		attrDefault{"waf.fail_open.enabled", "false"},
		attrDefault{"ipv6.deny_all_igw_traffic", denyIGW},
		attrDefault{"zonal_shift.config.enabled", "false"},
	)
}

// LoadBalancerAttributes lists a load balancer's attributes.
func (c *Service) LoadBalancerAttributes(ctx context.Context, who cloud.Caller, arn string) ([]Attribute, error) {
	var out []Attribute
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		lb, err := getELB[LoadBalancer](t, arn)
		if err != nil {
			return err
		}
		out = lbAttrSet(lb.Type, lb.Scheme).list(lb.Attributes)
		return nil
	})
	return out, err
}

// ModifyLoadBalancerAttributes changes a load balancer's attributes and
// lists them all.
func (c *Service) ModifyLoadBalancerAttributes(ctx context.Context, who cloud.Caller, arn string, changes []Attribute) ([]Attribute, error) {
	var out []Attribute
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		lb, err := getELB[LoadBalancer](t, arn)
		if err != nil {
			return err
		}
		set := lbAttrSet(lb.Type, lb.Scheme)
		before := lb.Attributes["secondary_ips.auto_assigned.per_subnet"]
		if err := lbAttrs.apply(set, lb.Attributes, changes, "load balancers with type '"+lb.Type+"'"); err != nil {
			return err
		}
		if err := lb.checkAttributes(before); err != nil {
			return err
		}
		out = set.list(lb.Attributes)
		return cloud.Put(t, lb)
	})
	return out, err
}

// checkAttributes refuses attribute combinations AWS refuses.
func (lb *LoadBalancer) checkAttributes(secondaryBefore string) error {
	a := lb.Attributes
	switch {
	case lb.Type == LBApplication && a["load_balancing.cross_zone.enabled"] != "true":
		return cloud.Errorf(cloud.InvalidConfiguration, "", "Cross-zone load balancing cannot be disabled for Application Load Balancers")
	case a["access_logs.s3.enabled"] == "true" && a["access_logs.s3.bucket"] == "":
		return cloud.InvalidParam("The bucket name must be specified when access logs are enabled")
	case a["connection_logs.s3.enabled"] == "true" && a["connection_logs.s3.bucket"] == "":
		return cloud.InvalidParam("The bucket name must be specified when connection logs are enabled")
	case a["health_check_logs.s3.enabled"] == "true" && a["health_check_logs.s3.bucket"] == "":
		return cloud.InvalidParam("The bucket name must be specified when health check logs are enabled")
	}
	if secondaryBefore != "" && a["secondary_ips.auto_assigned.per_subnet"] < secondaryBefore {
		return cloud.Errorf(cloud.InvalidConfiguration, "", "The value of 'secondary_ips.auto_assigned.per_subnet' cannot be decreased")
	}
	return nil
}
