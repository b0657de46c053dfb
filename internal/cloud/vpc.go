package cloud

import (
	"context"
	"net/netip"
	"strconv"

	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/store"
)

// VPC is a virtual private cloud.
type VPC struct {
	Meta
	CIDRBlock        string // the primary IPv4 block
	CIDRAssociations []CIDRAssociation
	IPv6Associations []CIDRAssociation `json:",omitempty"`
	DHCPOptionsID    string
	InstanceTenancy  string
	IsDefault        bool
	State            string

	EnableDNSSupport                 bool
	EnableDNSHostnames               bool
	EnableNetworkAddressUsageMetrics bool

	MainRouteTableID       string
	DefaultNetworkACLID    string
	DefaultSecurityGroupID string
}

// CIDRAssociation is one IPv4 or IPv6 block of a VPC or subnet.
type CIDRAssociation struct {
	ID                 string
	CIDR               string
	State              string // associated
	NetworkBorderGroup string `json:",omitempty"`
	IPv6Pool           string `json:",omitempty"`
}

func (*VPC) Kind() Kind { return KindVPC }

func init() { RegisterType[VPC]() }

// vpcIndexes are the VPC filters DescribeVpcs finds by index.
var vpcIndexes = Declare(KindVPC, Same("dhcp-options-id"), nil)

func (v *VPC) Keys() []store.Key {
	keys := []store.Key{vpcIndexes.Key("dhcp-options-id", v.DHCPOptionsID)}
	if v.IsDefault {
		keys = append(keys, store.Key{Name: "default-for", Value: ScopeKey(v.Scope())})
	}
	for _, a := range v.CIDRAssociations {
		keys = append(keys, store.Key{Name: "cidr-association-id", Value: a.ID})
	}
	for _, a := range v.IPv6Associations {
		keys = append(keys, store.Key{Name: "cidr-association-id", Value: a.ID}, store.Key{Name: "ipv6-cidr", Value: a.CIDR})
	}
	return keys
}

// Prefixes returns the VPC's IPv4 blocks.
func (v *VPC) Prefixes() []netip.Prefix {
	out := make([]netip.Prefix, 0, len(v.CIDRAssociations))
	for _, a := range v.CIDRAssociations {
		if p, err := netip.ParsePrefix(a.CIDR); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// IPv6Prefixes returns the VPC's IPv6 blocks.
func (v *VPC) IPv6Prefixes() []netip.Prefix {
	out := make([]netip.Prefix, 0, len(v.IPv6Associations))
	for _, a := range v.IPv6Associations {
		if p, err := netip.ParsePrefix(a.CIDR); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// CreateVPCInput is what CreateVpc takes.
type CreateVPCInput struct {
	CIDRBlock                   string
	AmazonProvidedIPv6CIDRBlock bool
	IPv6NetworkBorderGroup      string
	InstanceTenancy             string
	Tags                        []TagSpec
}

// parseVPCBlock checks a VPC IPv4 block, /16 to /28, and returns it in
// canonical form (host bits cleared), as AWS stores it.
func parseVPCBlock(s string) (netip.Prefix, error) {
	p, err := cidr.CanonicalV4(s)
	if err != nil {
		return p, InvalidParam("Value (%s) for parameter cidrBlock is invalid. This is not a valid CIDR block.", s)
	}
	if p.Bits() < 16 || p.Bits() > 28 {
		return p, Errorf(Range, KindVPC, "The CIDR '%s' is invalid.", p)
	}
	return p, nil
}

// CreateVPC creates a VPC with its main route table, default network ACL and
// default security group.
func (c *Cloud) CreateVPC(ctx context.Context, who Caller, in CreateVPCInput) (*VPC, error) {
	if in.CIDRBlock == "" {
		return nil, Errorf(MissingParameter, "", "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.")
	}
	p, err := parseVPCBlock(in.CIDRBlock)
	if err != nil {
		return nil, err
	}
	tenancy := in.InstanceTenancy
	switch tenancy {
	case "":
		tenancy = "default"
	case "default", "dedicated":
	default:
		return nil, InvalidParam("Value (%s) for parameter instanceTenancy is invalid.", tenancy)
	}
	tags, err := TagsFor(in.Tags, KindVPC)
	if err != nil {
		return nil, err
	}
	var vpc *VPC
	err = c.Update(ctx, who, func(t *Txn) error {
		dopt, err := defaultDHCPOptions(t)
		if err != nil {
			return err
		}
		vpc, err = createVPC(t, vpcSpec{cidr: p, tenancy: tenancy, dhcp: dopt, tags: tags[KindVPC], ipv6: in.AmazonProvidedIPv6CIDRBlock, borderGroup: in.IPv6NetworkBorderGroup})
		return err
	})
	return vpc, err
}

type vpcSpec struct {
	cidr        netip.Prefix
	tenancy     string
	dhcp        string
	tags        Tags
	isDefault   bool
	ipv6        bool
	borderGroup string
}

// createVPC writes a VPC and the resources AWS creates with it.
func createVPC(t *Txn, s vpcSpec) (*VPC, error) {
	vpc := &VPC{
		Meta:            Meta{ID: t.NewID("vpc-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: s.tags},
		CIDRBlock:       s.cidr.String(),
		DHCPOptionsID:   s.dhcp,
		InstanceTenancy: s.tenancy,
		IsDefault:       s.isDefault,
		State:           "available",
		// AWS turns DNS hostnames on only for default VPCs.
		EnableDNSSupport:   true,
		EnableDNSHostnames: s.isDefault,
	}
	vpc.CIDRAssociations = []CIDRAssociation{{ID: t.NewID("vpc-cidr-assoc-"), CIDR: vpc.CIDRBlock, State: "associated"}}
	if s.ipv6 {
		if err := addAmazonIPv6Block(t, vpc, s.borderGroup); err != nil {
			return nil, err
		}
	}
	rt := newRouteTable(t, vpc, nil)
	rt.Associations = []RouteTableAssociation{{ID: t.NewID("rtbassoc-"), Main: true, State: "associated"}}
	acl := newNetworkACL(t, vpc, true, nil)
	sg := newDefaultSecurityGroup(t, vpc)
	vpc.MainRouteTableID, vpc.DefaultNetworkACLID, vpc.DefaultSecurityGroupID = rt.ID, acl.ID, sg.ID
	for _, o := range []Object{vpc, rt, acl, sg} {
		if err := Put(t, o); err != nil {
			return nil, err
		}
	}
	return vpc, nil
}

// addAmazonIPv6Block gives a VPC a /56 from Amazon's pool: the 2600:1f00::/24
// range AWS uses, with the VPC's own bits picked at random.
func addAmazonIPv6Block(t *Txn, vpc *VPC, borderGroup string) error {
	if borderGroup == "" {
		borderGroup = t.Scope.Region
	}
	for range 16 {
		// The id's last digits: random ids are random throughout, and
		// tests' sequential ones differ there.
		id := t.NewID("")
		bits, _ := strconv.ParseUint(id[len(id)-8:], 16, 32)
		b := [16]byte{0x26, 0x00, 0x1f, byte(bits >> 24), byte(bits >> 16), byte(bits >> 8), byte(bits)}
		p := netip.PrefixFrom(netip.AddrFrom16(b), 56)
		taken, err := Exists(t, KindVPC, store.Key{Name: "ipv6-cidr", Value: p.String()})
		if err != nil {
			return err
		}
		if !taken {
			vpc.IPv6Associations = append(vpc.IPv6Associations, CIDRAssociation{
				ID: t.NewID("vpc-cidr-assoc-"), CIDR: p.String(), State: "associated",
				NetworkBorderGroup: borderGroup, IPv6Pool: "Amazon",
			})
			return nil
		}
	}
	return Errorf(LimitExceeded, KindVPC, "No IPv6 block is free in Amazon's pool.")
}

// GetVPC returns one of the caller's VPCs.
func (c *Cloud) GetVPC(ctx context.Context, who Caller, id string) (*VPC, error) {
	var vpc *VPC
	err := c.View(ctx, who, func(t *Txn) (err error) {
		vpc, err = GetIn[VPC](t, id)
		return err
	})
	return vpc, err
}

// DeleteVPC deletes a VPC that nothing depends on any more, with its main
// route table, default network ACL and default security group.
func (c *Cloud) DeleteVPC(ctx context.Context, who Caller, id string) error {
	return c.Update(ctx, who, func(t *Txn) error {
		vpc, err := GetIn[VPC](t, id)
		if err != nil {
			return err
		}
		if err := settlePeerings(t, vpc.ID); err != nil {
			return err
		}
		// Anything in the VPC but the three resources AWS made with it
		// blocks the delete, and so does a pending or active peering.
		for _, dep := range []struct {
			kind Kind
			key  string
		}{
			{KindSubnet, "vpc-id"},
			{KindInternetGateway, "attachment.vpc-id"},
			{KindEgressOnlyIGW, "attachment.vpc-id"},
			{KindNetworkInterface, "vpc-id"},
			{KindNATGateway, "vpc-id"},
			{KindVPCEndpoint, "vpc-id"},
			{KindVPCPeering, "vpc-id"},
		} {
			found, err := Exists(t, dep.kind, store.Key{Name: dep.key, Value: vpc.ID})
			if err != nil {
				return err
			}
			if found {
				return HasDependents(KindVPC, vpc.ID)
			}
		}
		own := map[string]bool{vpc.MainRouteTableID: true, vpc.DefaultNetworkACLID: true, vpc.DefaultSecurityGroupID: true}
		for _, k := range []Kind{KindRouteTable, KindNetworkACL, KindSecurityGroup} {
			var other bool
			err := t.Find(k, store.Key{Name: "vpc-id", Value: vpc.ID}, func(r *store.Record) bool {
				if !own[r.ID] {
					other = true
					return false
				}
				return true
			})
			if err != nil {
				return err
			}
			if other {
				return HasDependents(KindVPC, vpc.ID)
			}
		}
		for _, dep := range []Kind{KindRouteTable, KindNetworkACL, KindSecurityGroup} {
			var ids []string
			t.Find(dep, store.Key{Name: "vpc-id", Value: vpc.ID}, func(r *store.Record) bool { ids = append(ids, r.ID); return true })
			for _, rid := range ids {
				if err := t.Delete(dep, rid); err != nil {
					return err
				}
			}
		}
		return Remove(t, vpc)
	})
}

// VPCAttribute names an attribute of DescribeVpcAttribute/ModifyVpcAttribute.
type VPCAttribute string

const (
	AttrEnableDNSSupport                 VPCAttribute = "enableDnsSupport"
	AttrEnableDNSHostnames               VPCAttribute = "enableDnsHostnames"
	AttrEnableNetworkAddressUsageMetrics VPCAttribute = "enableNetworkAddressUsageMetrics"
)

// Attribute returns the value of a boolean VPC attribute.
func (v *VPC) Attribute(a VPCAttribute) (bool, error) {
	switch a {
	case AttrEnableDNSSupport:
		return v.EnableDNSSupport, nil
	case AttrEnableDNSHostnames:
		return v.EnableDNSHostnames, nil
	case AttrEnableNetworkAddressUsageMetrics:
		return v.EnableNetworkAddressUsageMetrics, nil
	}
	return false, InvalidParam("Value (%s) for parameter attribute is invalid. Unknown attribute.", a)
}

// ModifyVPCAttribute sets one boolean attribute. AWS refuses DNS hostnames
// on a VPC without DNS support.
func (c *Cloud) ModifyVPCAttribute(ctx context.Context, who Caller, id string, a VPCAttribute, on bool) error {
	return c.Update(ctx, who, func(t *Txn) error {
		vpc, err := GetIn[VPC](t, id)
		if err != nil {
			return err
		}
		switch a {
		case AttrEnableDNSSupport:
			vpc.EnableDNSSupport = on
		case AttrEnableDNSHostnames:
			if on && !vpc.EnableDNSSupport {
				return InvalidParam("Value (true) for parameter enableDnsHostnames is invalid. Cannot enable DNS hostnames without DNS support.")
			}
			vpc.EnableDNSHostnames = on
		case AttrEnableNetworkAddressUsageMetrics:
			vpc.EnableNetworkAddressUsageMetrics = on
		default:
			return InvalidParam("Value (%s) for parameter attribute is invalid. Unknown attribute.", a)
		}
		return Put(t, vpc)
	})
}

// AssociateVPCCIDRBlock adds a secondary IPv4 block, or an Amazon-provided
// IPv6 block, to a VPC.
func (c *Cloud) AssociateVPCCIDRBlock(ctx context.Context, who Caller, id, block string, ipv6 bool, borderGroup string) (*VPC, CIDRAssociation, error) {
	var vpc *VPC
	var assoc CIDRAssociation
	err := c.Update(ctx, who, func(t *Txn) error {
		var err error
		vpc, err = GetIn[VPC](t, id)
		if err != nil {
			return err
		}
		if ipv6 {
			if len(vpc.IPv6Associations) >= 5 {
				return Errorf(LimitExceeded, KindVPCCIDRAssociation, "The maximum number of IPv6 CIDR blocks for vpc %s has been reached.", vpc.ID)
			}
			if err := addAmazonIPv6Block(t, vpc, borderGroup); err != nil {
				return err
			}
			assoc = vpc.IPv6Associations[len(vpc.IPv6Associations)-1]
			if err := addIPv6ACLRules(t, vpc); err != nil {
				return err
			}
			return putVPCAndLocalRoutes(t, vpc)
		}
		p, err := parseVPCBlock(block)
		if err != nil {
			return err
		}
		if n := t.Limit("ipv4-cidr-blocks-per-vpc"); len(vpc.CIDRAssociations) >= n {
			return Errorf(LimitExceeded, KindVPCCIDRAssociation, "This network '%s' has met its maximum number of allowed CIDRs: %d", vpc.ID, n)
		}
		for _, q := range vpc.Prefixes() {
			if cidr.Overlap(p, q) {
				return Errorf(Conflict, KindVPCCIDRAssociation, "The CIDR '%s' conflicts with another CIDR block '%s' of vpc %s.", p, q, vpc.ID)
			}
		}
		if err := checkSecondaryBlockRange(vpc, p); err != nil {
			return err
		}
		assoc = CIDRAssociation{ID: t.NewID("vpc-cidr-assoc-"), CIDR: p.String(), State: "associated"}
		vpc.CIDRAssociations = append(vpc.CIDRAssociations, assoc)
		return putVPCAndLocalRoutes(t, vpc)
	})
	return vpc, assoc, err
}

// checkSecondaryBlockRange applies AWS's rule that a VPC's blocks stay in
// the same kind of space: a VPC whose primary block is in one RFC 1918 range
// cannot add a block from another RFC 1918 range.
func checkSecondaryBlockRange(vpc *VPC, p netip.Prefix) error {
	primary, err := netip.ParsePrefix(vpc.CIDRBlock)
	if err != nil {
		return err
	}
	rfc1918 := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("192.168.0.0/16")}
	in := func(x netip.Prefix) int {
		for i, r := range rfc1918 {
			if cidr.Contains(r, x) {
				return i
			}
		}
		return -1
	}
	pi, ni := in(primary), in(p)
	if pi >= 0 && ni >= 0 && pi != ni {
		return Errorf(Range, KindVPCCIDRAssociation, "The CIDR '%s' is restricted. Use a CIDR from the same private address range as the current VPC CIDR, or use a publicly-routable CIDR.", p)
	}
	return nil
}

// putVPCAndLocalRoutes saves a VPC whose blocks changed and keeps every
// route table's local routes in step with them.
func putVPCAndLocalRoutes(t *Txn, vpc *VPC) error {
	if err := Put(t, vpc); err != nil {
		return err
	}
	tables, err := FindIn[RouteTable](t, store.Key{Name: "vpc-id", Value: vpc.ID})
	if err != nil {
		return err
	}
	for _, rt := range tables {
		rt.syncLocalRoutes(vpc)
		if err := Put(t, rt); err != nil {
			return err
		}
	}
	return nil
}

// DisassociateVPCCIDRBlock removes a secondary block. The primary block and
// blocks that subnets use stay.
func (c *Cloud) DisassociateVPCCIDRBlock(ctx context.Context, who Caller, associationID string) (*VPC, CIDRAssociation, error) {
	var vpc *VPC
	var assoc CIDRAssociation
	err := c.Update(ctx, who, func(t *Txn) error {
		vpcs, err := FindIn[VPC](t, store.Key{Name: "cidr-association-id", Value: associationID})
		if err != nil {
			return err
		}
		if len(vpcs) == 0 {
			return Errorf(NotFound, KindVPCCIDRAssociation, "The vpc CIDR block association ID '%s' does not exist", associationID)
		}
		vpc = vpcs[0]
		subnets, err := FindIn[Subnet](t, store.Key{Name: "vpc-id", Value: vpc.ID})
		if err != nil {
			return err
		}
		for i, a := range vpc.CIDRAssociations {
			if a.ID != associationID {
				continue
			}
			if i == 0 {
				return Errorf(OperationNotPermitted, KindVPCCIDRAssociation, "The vpc CIDR block with association ID %s may not be disassociated. It is the primary IPv4 CIDR block of the VPC", associationID)
			}
			p := netip.MustParsePrefix(a.CIDR)
			for _, s := range subnets {
				if sp, err := netip.ParsePrefix(s.CIDRBlock); err == nil && cidr.Contains(p, sp) {
					return Errorf(IncorrectState, KindVPCCIDRAssociation, "The vpc %s currently has a subnet within CIDR block %s", vpc.ID, a.CIDR)
				}
			}
			assoc = a
			assoc.State = "disassociating"
			vpc.CIDRAssociations = append(vpc.CIDRAssociations[:i:i], vpc.CIDRAssociations[i+1:]...)
			return putVPCAndLocalRoutes(t, vpc)
		}
		for i, a := range vpc.IPv6Associations {
			if a.ID != associationID {
				continue
			}
			for _, s := range subnets {
				if len(s.IPv6Associations) > 0 {
					return Errorf(IncorrectState, KindVPCCIDRAssociation, "The vpc %s currently has a subnet within CIDR block %s", vpc.ID, a.CIDR)
				}
			}
			assoc = a
			assoc.State = "disassociating"
			vpc.IPv6Associations = append(vpc.IPv6Associations[:i:i], vpc.IPv6Associations[i+1:]...)
			return putVPCAndLocalRoutes(t, vpc)
		}
		return nil
	})
	return vpc, assoc, err
}

// ModifyVPCTenancy sets the tenancy new instances of the VPC get. AWS
// changes a VPC's tenancy to default only: instances already running keep
// theirs.
func (c *Cloud) ModifyVPCTenancy(ctx context.Context, who Caller, id, tenancy string) error {
	switch tenancy {
	case "default":
	case "":
		return Errorf(MissingParameter, "", "The request must contain the parameter instanceTenancy")
	default:
		return InvalidParam("Value (%s) for parameter instanceTenancy is invalid. The instance tenancy of a VPC can only be changed to default.", tenancy)
	}
	return c.Update(ctx, who, func(t *Txn) error {
		vpc, err := GetIn[VPC](t, id)
		if err != nil {
			return err
		}
		vpc.InstanceTenancy = tenancy
		return Put(t, vpc)
	})
}
