package network

import (
	"context"
	"net/netip"
	"strconv"

	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// VPC is a virtual private cloud.
type VPC struct {
	cloud.Meta
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

func (*VPC) Kind() cloud.Kind { return cloud.KindVPC }

func init() { cloud.RegisterType[VPC]() }

// vpcIndexes are the VPC filters DescribeVpcs finds by index.
var vpcIndexes = cloud.Declare(cloud.KindVPC, cloud.Same("dhcp-options-id"), nil)

func (v *VPC) Keys() []cloud.Key {
	keys := []cloud.Key{vpcIndexes.Key("dhcp-options-id", v.DHCPOptionsID)}
	if v.IsDefault {
		keys = append(keys, cloud.Key{Name: "default-for", Value: cloud.ScopeKey(v.Scope())})
	}
	for _, a := range v.CIDRAssociations {
		keys = append(keys, cloud.Key{Name: "cidr-association-id", Value: a.ID})
	}
	for _, a := range v.IPv6Associations {
		keys = append(keys, cloud.Key{Name: "cidr-association-id", Value: a.ID}, cloud.Key{Name: "ipv6-cidr", Value: a.CIDR})
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
	Tags                        []cloud.TagSpec
}

// parseVPCBlock checks a VPC IPv4 block, /16 to /28, and returns it in
// canonical form (host bits cleared), as AWS stores it.
func parseVPCBlock(s string) (netip.Prefix, error) {
	p, err := cidr.CanonicalV4(s)
	if err != nil {
		return p, cloud.InvalidParam("Value (%s) for parameter cidrBlock is invalid. This is not a valid CIDR block.", s)
	}
	if p.Bits() < 16 || p.Bits() > 28 {
		return p, cloud.Errorf(cloud.Range, cloud.KindVPC, "The CIDR '%s' is invalid.", p)
	}
	return p, nil
}

// CreateVPC creates a VPC with its main route table, default network ACL and
// default security group.
func (c *Service) CreateVPC(ctx context.Context, who cloud.Caller, in CreateVPCInput) (*VPC, error) {
	if in.CIDRBlock == "" {
		return nil, cloud.Errorf(cloud.MissingParameter, "", "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.")
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
		return nil, cloud.InvalidParam("Value (%s) for parameter instanceTenancy is invalid.", tenancy)
	}
	tags, err := cloud.TagsFor(in.Tags, cloud.KindVPC)
	if err != nil {
		return nil, err
	}
	var vpc *VPC
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		dopt, err := defaultDHCPOptions(t)
		if err != nil {
			return err
		}
		vpc, err = createVPC(t, vpcSpec{cidr: p, tenancy: tenancy, dhcp: dopt, tags: tags[cloud.KindVPC], ipv6: in.AmazonProvidedIPv6CIDRBlock, borderGroup: in.IPv6NetworkBorderGroup})
		return err
	})
	return vpc, err
}

type vpcSpec struct {
	cidr        netip.Prefix
	tenancy     string
	dhcp        string
	tags        cloud.Tags
	isDefault   bool
	ipv6        bool
	borderGroup string
}

// createVPC writes a VPC and the resources AWS creates with it.
func createVPC(t *cloud.Txn, s vpcSpec) (*VPC, error) {
	vpc := &VPC{
		Meta:            cloud.Meta{ID: t.NewID("vpc-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: s.tags},
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
	for _, o := range []cloud.Object{vpc, rt, acl, sg} {
		if err := cloud.Put(t, o); err != nil {
			return nil, err
		}
	}
	return vpc, nil
}

// addAmazonIPv6Block gives a VPC a /56 from Amazon's pool: the 2600:1f00::/24
// range AWS uses, with the VPC's own bits picked at random.
func addAmazonIPv6Block(t *cloud.Txn, vpc *VPC, borderGroup string) error {
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
		taken, err := cloud.Exists(t, cloud.KindVPC, cloud.Key{Name: "ipv6-cidr", Value: p.String()})
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
	return cloud.Errorf(cloud.LimitExceeded, cloud.KindVPC, "No IPv6 block is free in Amazon's pool.")
}

// GetVPC returns one of the caller's VPCs.
func (c *Service) GetVPC(ctx context.Context, who cloud.Caller, id string) (*VPC, error) {
	var vpc *VPC
	err := c.View(ctx, who, func(t *cloud.Txn) (err error) {
		vpc, err = cloud.GetIn[VPC](t, id)
		return err
	})
	return vpc, err
}

// DeleteVPC deletes a VPC that nothing depends on any more, with its main
// route table, default network ACL and default security group.
func (c *Service) DeleteVPC(ctx context.Context, who cloud.Caller, id string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		vpc, err := cloud.GetIn[VPC](t, id)
		if err != nil {
			return err
		}
		if err := settlePeerings(t, vpc.ID); err != nil {
			return err
		}
		// Anything in the VPC but the three resources AWS made with it
		// blocks the delete, and so does a pending or active peering.
		for _, dep := range []struct {
			kind cloud.Kind
			key  string
		}{
			{cloud.KindSubnet, "vpc-id"},
			{cloud.KindInternetGateway, "attachment.vpc-id"},
			{cloud.KindEgressOnlyIGW, "attachment.vpc-id"},
			{cloud.KindNetworkInterface, "vpc-id"},
			{cloud.KindNATGateway, "vpc-id"},
			{cloud.KindVPCEndpoint, "vpc-id"},
			{cloud.KindVPCPeering, "vpc-id"},
		} {
			found, err := cloud.Exists(t, dep.kind, cloud.Key{Name: dep.key, Value: vpc.ID})
			if err != nil {
				return err
			}
			if found {
				return cloud.HasDependents(cloud.KindVPC, vpc.ID)
			}
		}
		own := map[string]bool{vpc.MainRouteTableID: true, vpc.DefaultNetworkACLID: true, vpc.DefaultSecurityGroupID: true}
		for _, k := range []cloud.Kind{cloud.KindRouteTable, cloud.KindNetworkACL, cloud.KindSecurityGroup} {
			var other bool
			err := t.Find(k, cloud.Key{Name: "vpc-id", Value: vpc.ID}, func(r *cloud.Record) bool {
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
				return cloud.HasDependents(cloud.KindVPC, vpc.ID)
			}
		}
		for _, dep := range []cloud.Kind{cloud.KindRouteTable, cloud.KindNetworkACL, cloud.KindSecurityGroup} {
			var ids []string
			t.Find(dep, cloud.Key{Name: "vpc-id", Value: vpc.ID}, func(r *cloud.Record) bool { ids = append(ids, r.ID); return true })
			for _, rid := range ids {
				if err := t.Delete(dep, rid); err != nil {
					return err
				}
			}
		}
		return cloud.Remove(t, vpc)
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
	return false, cloud.InvalidParam("Value (%s) for parameter attribute is invalid. Unknown attribute.", a)
}

// ModifyVPCAttribute sets one boolean attribute. AWS refuses DNS hostnames
// on a VPC without DNS support.
func (c *Service) ModifyVPCAttribute(ctx context.Context, who cloud.Caller, id string, a VPCAttribute, on bool) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		vpc, err := cloud.GetIn[VPC](t, id)
		if err != nil {
			return err
		}
		switch a {
		case AttrEnableDNSSupport:
			vpc.EnableDNSSupport = on
		case AttrEnableDNSHostnames:
			if on && !vpc.EnableDNSSupport {
				return cloud.InvalidParam("Value (true) for parameter enableDnsHostnames is invalid. Cannot enable DNS hostnames without DNS support.")
			}
			vpc.EnableDNSHostnames = on
		case AttrEnableNetworkAddressUsageMetrics:
			vpc.EnableNetworkAddressUsageMetrics = on
		default:
			return cloud.InvalidParam("Value (%s) for parameter attribute is invalid. Unknown attribute.", a)
		}
		return cloud.Put(t, vpc)
	})
}

// AssociateVPCCIDRBlock adds a secondary IPv4 block, or an Amazon-provided
// IPv6 block, to a VPC.
func (c *Service) AssociateVPCCIDRBlock(ctx context.Context, who cloud.Caller, id, block string, ipv6 bool, borderGroup string) (*VPC, CIDRAssociation, error) {
	var vpc *VPC
	var assoc CIDRAssociation
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		vpc, err = cloud.GetIn[VPC](t, id)
		if err != nil {
			return err
		}
		if ipv6 {
			if len(vpc.IPv6Associations) >= 5 {
				return cloud.Errorf(cloud.LimitExceeded, cloud.KindVPCCIDRAssociation, "The maximum number of IPv6 CIDR blocks for vpc %s has been reached.", vpc.ID)
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
			return cloud.Errorf(cloud.LimitExceeded, cloud.KindVPCCIDRAssociation, "This network '%s' has met its maximum number of allowed CIDRs: %d", vpc.ID, n)
		}
		for _, q := range vpc.Prefixes() {
			if cidr.Overlap(p, q) {
				return cloud.Errorf(cloud.Conflict, cloud.KindVPCCIDRAssociation, "The CIDR '%s' conflicts with another CIDR block '%s' of vpc %s.", p, q, vpc.ID)
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
		return cloud.Errorf(cloud.Range, cloud.KindVPCCIDRAssociation, "The CIDR '%s' is restricted. Use a CIDR from the same private address range as the current VPC CIDR, or use a publicly-routable CIDR.", p)
	}
	return nil
}

// putVPCAndLocalRoutes saves a VPC whose blocks changed and keeps every
// route table's local routes in step with them.
func putVPCAndLocalRoutes(t *cloud.Txn, vpc *VPC) error {
	if err := cloud.Put(t, vpc); err != nil {
		return err
	}
	tables, err := cloud.FindIn[RouteTable](t, cloud.Key{Name: "vpc-id", Value: vpc.ID})
	if err != nil {
		return err
	}
	for _, rt := range tables {
		rt.syncLocalRoutes(vpc)
		if err := cloud.Put(t, rt); err != nil {
			return err
		}
	}
	return nil
}

// DisassociateVPCCIDRBlock removes a secondary block. The primary block and
// blocks that subnets use stay.
func (c *Service) DisassociateVPCCIDRBlock(ctx context.Context, who cloud.Caller, associationID string) (*VPC, CIDRAssociation, error) {
	var vpc *VPC
	var assoc CIDRAssociation
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		vpcs, err := cloud.FindIn[VPC](t, cloud.Key{Name: "cidr-association-id", Value: associationID})
		if err != nil {
			return err
		}
		if len(vpcs) == 0 {
			return cloud.Errorf(cloud.NotFound, cloud.KindVPCCIDRAssociation, "The vpc CIDR block association ID '%s' does not exist", associationID)
		}
		vpc = vpcs[0]
		subnets, err := cloud.FindIn[Subnet](t, cloud.Key{Name: "vpc-id", Value: vpc.ID})
		if err != nil {
			return err
		}
		for i, a := range vpc.CIDRAssociations {
			if a.ID != associationID {
				continue
			}
			if i == 0 {
				return cloud.Errorf(cloud.OperationNotPermitted, cloud.KindVPCCIDRAssociation, "The vpc CIDR block with association ID %s may not be disassociated. It is the primary IPv4 CIDR block of the VPC", associationID)
			}
			p := netip.MustParsePrefix(a.CIDR)
			for _, s := range subnets {
				if sp, err := netip.ParsePrefix(s.CIDRBlock); err == nil && cidr.Contains(p, sp) {
					return cloud.Errorf(cloud.IncorrectState, cloud.KindVPCCIDRAssociation, "The vpc %s currently has a subnet within CIDR block %s", vpc.ID, a.CIDR)
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
					return cloud.Errorf(cloud.IncorrectState, cloud.KindVPCCIDRAssociation, "The vpc %s currently has a subnet within CIDR block %s", vpc.ID, a.CIDR)
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
func (c *Service) ModifyVPCTenancy(ctx context.Context, who cloud.Caller, id, tenancy string) error {
	switch tenancy {
	case "default":
	case "":
		return cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter instanceTenancy")
	default:
		return cloud.InvalidParam("Value (%s) for parameter instanceTenancy is invalid. The instance tenancy of a VPC can only be changed to default.", tenancy)
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		vpc, err := cloud.GetIn[VPC](t, id)
		if err != nil {
			return err
		}
		vpc.InstanceTenancy = tenancy
		return cloud.Put(t, vpc)
	})
}
