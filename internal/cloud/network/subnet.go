package network

import (
	"context"
	"net/netip"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Subnet is a range of a VPC's addresses in one availability zone.
type Subnet struct {
	cloud.Meta
	VpcID              string
	CIDRBlock          string
	IPv6Associations   []CIDRAssociation `json:",omitempty"`
	AvailabilityZone   string
	AvailabilityZoneID string
	// UsedIPs counts the addresses network interfaces hold, so the free
	// count AWS reports stays exact without counting on every read.
	UsedIPs int64
	State   string

	DefaultForAZ                bool
	MapPublicIPOnLaunch         bool
	AssignIPv6AddressOnCreation bool
	MapCustomerOwnedIPOnLaunch  bool
	EnableDNS64                 bool
	IPv6Native                  bool
	PrivateDNSHostnameType      string
	EnableResourceNameDNSA      bool
	EnableResourceNameDNSAAAA   bool
	EnableLniAtDeviceIndex      int32 `json:",omitempty"`
}

func (*Subnet) Kind() cloud.Kind { return cloud.KindSubnet }

func init() { cloud.RegisterType[Subnet]() }

// subnetIndexes are the subnet filters DescribeSubnets finds by index.
var subnetIndexes = cloud.Declare(cloud.KindSubnet, cloud.Indexes{
	"vpc-id":            {Key: "vpc-id"},
	"availability-zone": {Key: "availability-zone"},
	"availabilityZone":  {Key: "availability-zone"},
}, nil)

func (s *Subnet) Keys() []cloud.Key {
	keys := []cloud.Key{subnetIndexes.Key("vpc-id", s.VpcID), subnetIndexes.Key("availability-zone", s.AvailabilityZone)}
	for _, a := range s.IPv6Associations {
		keys = append(keys, cloud.Key{Name: "ipv6-cidr-block-association.association-id", Value: a.ID})
	}
	return keys
}

// Prefix is the subnet's IPv4 block: the zero Prefix in an IPv6-only
// subnet, which contains no address and overlaps nothing.
func (s *Subnet) Prefix() netip.Prefix {
	p, _ := netip.ParsePrefix(s.CIDRBlock)
	return p
}

// IPv6Prefix is the subnet's IPv6 block, if it has one (AWS gives a subnet
// one at most).
func (s *Subnet) IPv6Prefix() (netip.Prefix, bool) {
	for _, a := range s.IPv6Associations {
		if p, err := netip.ParsePrefix(a.CIDR); err == nil {
			return p, true
		}
	}
	return netip.Prefix{}, false
}

// AvailableIPs is the number of free IPv4 addresses, as AWS counts them:
// none in an IPv6-only subnet.
func (s *Subnet) AvailableIPs() int64 {
	if s.CIDRBlock == "" {
		return 0
	}
	return cidr.Usable(s.Prefix()) - s.UsedIPs
}

// ARN is the subnet's Amazon Resource Name.
func (s *Subnet) ARN() string {
	return s.EC2ARN("subnet")
}

// CreateSubnetInput is what CreateSubnet takes.
type CreateSubnetInput struct {
	VpcID              string
	CIDRBlock          string
	IPv6CIDRBlock      string
	AvailabilityZone   string
	AvailabilityZoneID string
	IPv6Native         bool
	Tags               []cloud.TagSpec
}

// CreateSubnet creates a subnet inside one of the VPC's blocks, overlapping
// no other subnet, and associates it with the VPC's default network ACL.
func (c *Service) CreateSubnet(ctx context.Context, who cloud.Caller, in CreateSubnetInput) (*Subnet, error) {
	region, err := who.RegionInfo()
	if err != nil {
		return nil, err
	}
	tags, err := cloud.TagsFor(in.Tags, cloud.KindSubnet)
	if err != nil {
		return nil, err
	}
	// AWS's checks, in AWS's order (an IPv6-only subnet names its IPv6
	// block and no IPv4 one).
	switch {
	case in.IPv6Native && in.IPv6CIDRBlock == "":
		return nil, cloud.Errorf(cloud.MissingParameter, "", "Either 'ipv6CidrBlock' or 'ipv6IpamPoolId' should be provided.")
	case in.IPv6Native && in.CIDRBlock != "":
		return nil, cloud.Errorf(cloud.InvalidCombination, "", "When specifying ipv4 parameters, cidrBlock or ipv4IpamPoolId, you cannot set ipv6Native to true.")
	case in.CIDRBlock == "" && !in.IPv6Native:
		return nil, cloud.Errorf(cloud.MissingParameter, "", "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.")
	}
	var subnet *Subnet
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		vpc, err := cloud.GetIn[VPC](t, in.VpcID)
		if err != nil {
			return err
		}
		zone := in.AvailabilityZone
		if zone == "" {
			zone = in.AvailabilityZoneID
		}
		if zone == "" {
			// AWS picks a zone; vpcemu picks the first, so runs repeat.
			zone = region.Zones[0].Name
		}
		z, ok := region.Zone(zone)
		if !ok {
			return cloud.InvalidParam("Value (%s) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: %s.", zone, strings.Join(region.ZoneNames(), ", "))
		}
		subnet, err = createSubnet(t, vpc, in.CIDRBlock, z.Name, z.ID, tags[cloud.KindSubnet])
		if err != nil {
			return err
		}
		if in.IPv6CIDRBlock != "" {
			if err := addSubnetIPv6Block(t, vpc, subnet, in.IPv6CIDRBlock); err != nil {
				return err
			}
		}
		if in.IPv6Native {
			// An IPv6-only subnet gives every interface an IPv6 address and
			// names instances by resource (AWS allows no IP-based names
			// without IPv4).
			subnet.IPv6Native = true
			subnet.AssignIPv6AddressOnCreation = true
			subnet.PrivateDNSHostnameType = "resource-name"
		}
		return cloud.Put(t, subnet)
	})
	return subnet, err
}

// createSubnet checks and writes a subnet and its network ACL association;
// an empty block makes an IPv6-only subnet, whose IPv6 block the caller adds.
func createSubnet(t *cloud.Txn, vpc *VPC, block, zone, zoneID string, tags cloud.Tags) (*Subnet, error) {
	var p netip.Prefix
	if block != "" {
		var err error
		if p, err = checkSubnetBlock(t, vpc, block); err != nil {
			return nil, err
		}
	}
	s := &Subnet{
		Meta:                   cloud.Meta{ID: t.NewID("subnet-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags},
		VpcID:                  vpc.ID,
		CIDRBlock:              canonical(p),
		AvailabilityZone:       zone,
		AvailabilityZoneID:     zoneID,
		State:                  "available",
		PrivateDNSHostnameType: "ip-name",
	}
	acl, err := cloud.GetIn[NetworkACL](t, vpc.DefaultNetworkACLID)
	if err != nil {
		return nil, err
	}
	acl.Associations = append(acl.Associations, NetworkACLAssociation{ID: t.NewID("aclassoc-"), SubnetID: s.ID})
	if err := cloud.Put(t, acl); err != nil {
		return nil, err
	}
	return s, cloud.Put(t, s)
}

// checkSubnetBlock checks a new subnet's IPv4 block: a /16 to /28 inside
// one of the VPC's blocks, overlapping no other subnet. The block is taken
// canonical (host bits cleared), as AWS documents.
func checkSubnetBlock(t *cloud.Txn, vpc *VPC, block string) (netip.Prefix, error) {
	p, err := cidr.CanonicalV4(block)
	if err != nil {
		return p, cloud.InvalidParam("Value (%s) for parameter cidrBlock is invalid. This is not a valid CIDR block.", block)
	}
	block = p.String()
	if p.Bits() < 16 || p.Bits() > 28 {
		return p, cloud.Errorf(cloud.Range, cloud.KindSubnet, "The CIDR '%s' is invalid.", block)
	}
	inside := false
	for _, q := range vpc.Prefixes() {
		inside = inside || cidr.Contains(q, p)
	}
	if !inside {
		return p, cloud.Errorf(cloud.Range, cloud.KindSubnet, "The CIDR '%s' is invalid.", block)
	}
	siblings, err := cloud.FindIn[Subnet](t, cloud.Key{Name: "vpc-id", Value: vpc.ID})
	if err != nil {
		return p, err
	}
	for _, s := range siblings {
		if cidr.Overlap(s.Prefix(), p) {
			return p, cloud.Errorf(cloud.Conflict, cloud.KindSubnet, "The CIDR '%s' conflicts with another subnet", block)
		}
	}
	return p, nil
}

// canonical is a block's text, or "" for the zero Prefix.
func canonical(p netip.Prefix) string {
	if !p.IsValid() {
		return ""
	}
	return p.String()
}

// addSubnetIPv6Block gives a subnet a /64 of its VPC's IPv6 block. A
// subnet has one IPv6 block at most.
func addSubnetIPv6Block(t *cloud.Txn, vpc *VPC, s *Subnet, block string) error {
	p, err := cidr.CanonicalV6(block)
	if err != nil || p.Bits() != 64 {
		// AWS's words for a block that is not a /64 (or not a block).
		return cloud.InvalidParam("invalid value for parameter ipv6-cidr-block: %s", block)
	}
	inside := false
	for _, q := range vpc.IPv6Prefixes() {
		inside = inside || cidr.Contains(q, p)
	}
	if !inside {
		return cloud.Errorf(cloud.Range, cloud.KindSubnet, "The IPv6 CIDR '%s' is invalid.", block)
	}
	if len(s.IPv6Associations) > 0 {
		return cloud.Errorf(cloud.Conflict, cloud.KindSubnet, "The subnet '%s' already has an IPv6 CIDR block associated with it.", s.ID)
	}
	siblings, err := cloud.FindIn[Subnet](t, cloud.Key{Name: "vpc-id", Value: vpc.ID})
	if err != nil {
		return err
	}
	for _, o := range siblings {
		for _, a := range o.IPv6Associations {
			if o.ID != s.ID && a.CIDR == p.String() {
				return cloud.Errorf(cloud.Conflict, cloud.KindSubnet, "The IPv6 CIDR '%s' conflicts with another subnet", block)
			}
		}
	}
	s.IPv6Associations = append(s.IPv6Associations, CIDRAssociation{ID: t.NewID("subnet-cidr-assoc-"), CIDR: p.String(), State: "associated"})
	return nil
}

// AssociateSubnetCIDRBlock gives a subnet an IPv6 block: a /64 of its
// VPC's IPv6 blocks that no other subnet has.
func (c *Service) AssociateSubnetCIDRBlock(ctx context.Context, who cloud.Caller, id, block string) (*Subnet, CIDRAssociation, error) {
	var s *Subnet
	var assoc CIDRAssociation
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if s, err = cloud.GetIn[Subnet](t, id); err != nil {
			return err
		}
		vpc, err := cloud.GetIn[VPC](t, s.VpcID)
		if err != nil {
			return err
		}
		if err := addSubnetIPv6Block(t, vpc, s, block); err != nil {
			return err
		}
		assoc = s.IPv6Associations[len(s.IPv6Associations)-1]
		return cloud.Put(t, s)
	})
	// The answer shows the block on its way in, as AWS's does.
	assoc.State = "associating"
	return s, assoc, err
}

// DisassociateSubnetCIDRBlock takes a subnet's IPv6 block away: refused
// while the subnet gives new interfaces IPv6 addresses (an IPv6-only
// subnet always does) or an interface holds one of its addresses.
func (c *Service) DisassociateSubnetCIDRBlock(ctx context.Context, who cloud.Caller, associationID string) (*Subnet, CIDRAssociation, error) {
	var s *Subnet
	var assoc CIDRAssociation
	if !cloud.WellFormed(associationID, "subnet-cidr-assoc-") {
		return nil, assoc, cloud.Errorf(cloud.Malformed, cloud.KindSubnetCIDRAssociation, "The subnet CIDR block with association ID %s is malformed", associationID)
	}
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		subnets, err := cloud.FindIn[Subnet](t, cloud.Key{Name: "ipv6-cidr-block-association.association-id", Value: associationID})
		if err != nil {
			return err
		}
		for _, x := range subnets {
			for i, a := range x.IPv6Associations {
				if a.ID != associationID {
					continue
				}
				if x.AssignIPv6AddressOnCreation {
					return cloud.Errorf(cloud.InUse, cloud.KindSubnetCIDRAssociation, "The subnet IPv6 CIDR block with association ID %s may not be disassociated, because its subnet has assign-ipv6-address-on-creation set to true.", associationID)
				}
				enis, err := cloud.FindAny[NetworkInterface](t, cloud.Key{Name: "subnet-id", Value: x.ID})
				if err != nil {
					return err
				}
				for _, n := range enis {
					if len(n.IPv6Addresses) > 0 {
						return cloud.Errorf(cloud.InUse, cloud.KindSubnetCIDRAssociation, "The subnet IPv6 CIDR block with association ID %s may not be disassociated, because network interface %s has IPv6 addresses from it.", associationID, n.ID)
					}
				}
				s, assoc = x, a
				assoc.State = "disassociating"
				x.IPv6Associations = append(x.IPv6Associations[:i:i], x.IPv6Associations[i+1:]...)
				return cloud.Put(t, x)
			}
		}
		return cloud.Errorf(cloud.NotFound, cloud.KindSubnetCIDRAssociation, "The subnet CIDR block with association ID '%s' does not exist", associationID)
	})
	return s, assoc, err
}

// DeleteSubnet deletes a subnet with no network interfaces in it; its
// route table and network ACL associations go with it.
func (c *Service) DeleteSubnet(ctx context.Context, who cloud.Caller, id string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		s, err := cloud.GetIn[Subnet](t, id)
		if err != nil {
			return err
		}
		busy, err := cloud.Exists(t, cloud.KindNetworkInterface, cloud.Key{Name: "subnet-id", Value: s.ID})
		if err != nil {
			return err
		}
		if busy {
			return cloud.HasDependents(cloud.KindSubnet, s.ID)
		}
		acls, err := cloud.FindIn[NetworkACL](t, cloud.Key{Name: "association.subnet-id", Value: s.ID})
		if err != nil {
			return err
		}
		for _, acl := range acls {
			acl.Associations = RemoveWhere(acl.Associations, func(a NetworkACLAssociation) bool { return a.SubnetID == s.ID })
			if err := cloud.Put(t, acl); err != nil {
				return err
			}
		}
		tables, err := cloud.FindIn[RouteTable](t, cloud.Key{Name: "association.subnet-id", Value: s.ID})
		if err != nil {
			return err
		}
		for _, rt := range tables {
			rt.Associations = RemoveWhere(rt.Associations, func(a RouteTableAssociation) bool { return a.SubnetID == s.ID })
			if err := cloud.Put(t, rt); err != nil {
				return err
			}
		}
		if err := deleteSubnetReservations(t, s.ID); err != nil {
			return err
		}
		return cloud.Remove(t, s)
	})
}

// SubnetAttributes are the settings ModifySubnetAttribute changes; nil
// fields stay as they are.
type SubnetAttributes struct {
	MapPublicIPOnLaunch         *bool
	AssignIPv6AddressOnCreation *bool
	MapCustomerOwnedIPOnLaunch  *bool
	EnableDNS64                 *bool
	PrivateDNSHostnameType      *string
	EnableResourceNameDNSA      *bool
	EnableResourceNameDNSAAAA   *bool
	EnableLniAtDeviceIndex      *int32
}

// ModifySubnetAttribute changes one or more subnet settings.
func (c *Service) ModifySubnetAttribute(ctx context.Context, who cloud.Caller, id string, a SubnetAttributes) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		s, err := cloud.GetIn[Subnet](t, id)
		if err != nil {
			return err
		}
		set := func(dst *bool, v *bool) {
			if v != nil {
				*dst = *v
			}
		}
		set(&s.MapPublicIPOnLaunch, a.MapPublicIPOnLaunch)
		set(&s.MapCustomerOwnedIPOnLaunch, a.MapCustomerOwnedIPOnLaunch)
		set(&s.EnableResourceNameDNSA, a.EnableResourceNameDNSA)
		set(&s.EnableResourceNameDNSAAAA, a.EnableResourceNameDNSAAAA)
		if a.AssignIPv6AddressOnCreation != nil && *a.AssignIPv6AddressOnCreation && len(s.IPv6Associations) == 0 {
			return cloud.InvalidParam("Invalid value 'true' for assign-ipv6-address-on-creation. Cannot set assign-ipv6-address-on-creation to true unless the subnet (%s) has an IPv6 CIDR block associated with it.", s.ID)
		}
		set(&s.AssignIPv6AddressOnCreation, a.AssignIPv6AddressOnCreation)
		if a.EnableDNS64 != nil && *a.EnableDNS64 && len(s.IPv6Associations) == 0 {
			return cloud.InvalidParam("Invalid value 'true' for enableDns64. Cannot enable DNS64 unless the subnet (%s) has an IPv6 CIDR block associated with it.", s.ID)
		}
		set(&s.EnableDNS64, a.EnableDNS64)
		if a.PrivateDNSHostnameType != nil {
			switch *a.PrivateDNSHostnameType {
			case "ip-name", "resource-name":
				s.PrivateDNSHostnameType = *a.PrivateDNSHostnameType
			default:
				return cloud.InvalidParam("Value (%s) for parameter privateDnsHostnameTypeOnLaunch is invalid.", *a.PrivateDNSHostnameType)
			}
		}
		if a.EnableLniAtDeviceIndex != nil {
			s.EnableLniAtDeviceIndex = *a.EnableLniAtDeviceIndex
		}
		return cloud.Put(t, s)
	})
}

// allocateIP takes an address in the subnet for a network interface:
// want when given (it must be free and not reserved), else the lowest free
// one. The subnet's count is updated but not saved.
func allocateIP(t *cloud.Txn, s *Subnet, want string, taken map[netip.Addr]bool) (netip.Addr, error) {
	p := s.Prefix()
	if taken == nil {
		var err error
		if taken, err = usedIPs(t, s.ID); err != nil {
			return netip.Addr{}, err
		}
	}
	if want != "" {
		a, err := netip.ParseAddr(want)
		if err != nil || !a.Is4() {
			return netip.Addr{}, cloud.InvalidParam("Value (%s) for parameter privateIpAddress is invalid.", want)
		}
		if !p.Contains(a) {
			return netip.Addr{}, cloud.InvalidParam("Address %s does not fall within the subnet's address range", want)
		}
		if cidr.Reserved(p, a) {
			return netip.Addr{}, cloud.InvalidParam("Address %s is in subnet's reserved address range", want)
		}
		if taken[a] {
			return netip.Addr{}, cloud.Errorf(cloud.InUse, cloud.KindAddress, "Address %s is in use.", want)
		}
		s.UsedIPs++
		return a, nil
	}
	reserved, err := reservedForUser(t, s.ID)
	if err != nil {
		return netip.Addr{}, err
	}
	n := cidr.Size(p)
	for off := int64(4); off < n-1; off++ {
		a := cidr.Nth(p, off)
		if !taken[a] && !inAny(reserved, a) {
			s.UsedIPs++
			return a, nil
		}
	}
	return netip.Addr{}, cloud.Errorf(cloud.InsufficientAddresses, cloud.KindSubnet, "There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.", s.ID)
}

// usedIPs collects the addresses the subnet's network interfaces hold.
func usedIPs(t *cloud.Txn, subnetID string) (map[netip.Addr]bool, error) {
	enis, err := cloud.FindAny[NetworkInterface](t, cloud.Key{Name: "subnet-id", Value: subnetID})
	if err != nil {
		return nil, err
	}
	taken := map[netip.Addr]bool{}
	for _, e := range enis {
		for _, ip := range e.PrivateIPs {
			if a, err := netip.ParseAddr(ip.Address); err == nil {
				taken[a] = true
			}
		}
	}
	return taken, nil
}

// RemoveWhere returns s without the elements drop matches.
func RemoveWhere[T any](s []T, drop func(T) bool) []T {
	out := s[:0:0]
	for _, x := range s {
		if !drop(x) {
			out = append(out, x)
		}
	}
	return out
}
