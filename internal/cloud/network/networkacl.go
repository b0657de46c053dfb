package network

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/ipproto"
)

// NetworkACL is a stateless subnet firewall: numbered rules, lowest first,
// the first match decides.
type NetworkACL struct {
	cloud.Meta
	VpcID     string
	IsDefault bool
	// Entries are kept in the order EC2 lists them: egress rules first,
	// each direction by rule number.
	Entries      []NetworkACLEntry
	Associations []NetworkACLAssociation `json:",omitempty"`
}

// NetworkACLEntry is one numbered rule.
type NetworkACLEntry struct {
	RuleNumber    int32
	Egress        bool
	Protocol      string // a protocol number, or "-1" for all
	RuleAction    string // allow or deny
	CIDRBlock     string `json:",omitempty"`
	IPv6CIDRBlock string `json:",omitempty"`
	FromPort      *int32 `json:",omitempty"`
	ToPort        *int32 `json:",omitempty"`
	ICMPType      *int32 `json:",omitempty"`
	ICMPCode      *int32 `json:",omitempty"`
}

// NetworkACLAssociation ties the ACL to a subnet.
type NetworkACLAssociation struct {
	ID       string
	SubnetID string
}

// AllRulesNumber is the number of the "*" rule every ACL ends with: deny
// what no other rule matched. Users cannot change it. The IPv6 "*" rule of
// a VPC with IPv6 blocks is AllRulesNumber+1.
const AllRulesNumber = 32767

func (*NetworkACL) Kind() cloud.Kind { return cloud.KindNetworkACL }

func init() { cloud.RegisterType[NetworkACL]() }

// aclIndexes are the filters DescribeNetworkAcls finds by index; the
// lookup Terraform makes of a VPC's default ACL (default=true and vpc-id)
// uses the default-for key.
var aclIndexes = cloud.Declare(cloud.KindNetworkACL, cloud.Same("vpc-id", "association.subnet-id", "association.association-id"), defaultACLKeys)

func defaultACLKeys(fs []cloud.Filter) []cloud.Key {
	var isDefault bool
	var vpcs []string
	for _, f := range fs {
		switch f.Name {
		case "default":
			isDefault = len(f.Values) == 1 && f.Values[0] == "true"
		case "vpc-id":
			if !cloud.HasWildcards(f.Values) {
				vpcs = f.Values
			}
		}
	}
	if !isDefault || len(vpcs) == 0 {
		return nil
	}
	keys := make([]cloud.Key, 0, len(vpcs))
	for _, v := range vpcs {
		keys = append(keys, cloud.Key{Name: "default-for", Value: v})
	}
	return keys
}

func (a *NetworkACL) Keys() []cloud.Key {
	keys := []cloud.Key{aclIndexes.Key("vpc-id", a.VpcID)}
	if a.IsDefault {
		keys = append(keys, cloud.Key{Name: "default-for", Value: a.VpcID})
	}
	for _, as := range a.Associations {
		keys = append(keys, aclIndexes.Key("association.subnet-id", as.SubnetID),
			aclIndexes.Key("association.association-id", as.ID))
	}
	return keys
}

// newNetworkACL makes (but does not save) an ACL: the default ACL of a VPC
// allows everything; any other starts denying everything.
func newNetworkACL(t *cloud.Txn, vpc *VPC, isDefault bool, tags cloud.Tags) *NetworkACL {
	acl := &NetworkACL{
		Meta:      cloud.Meta{ID: t.NewID("acl-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags},
		VpcID:     vpc.ID,
		IsDefault: isDefault,
	}
	for _, egress := range []bool{true, false} {
		if isDefault {
			acl.Entries = append(acl.Entries, AllowAll(egress, false))
		}
		acl.Entries = append(acl.Entries, DenyRest(egress, false))
	}
	if len(vpc.IPv6Associations) > 0 {
		acl.addIPv6Rules()
	}
	return acl
}

// AllowAll is the rule a default ACL starts with: 100 (101 for IPv6)
// allowing all traffic.
func AllowAll(egress, ipv6 bool) NetworkACLEntry {
	if ipv6 {
		return NetworkACLEntry{RuleNumber: 101, Egress: egress, Protocol: "-1", RuleAction: "allow", IPv6CIDRBlock: "::/0"}
	}
	return NetworkACLEntry{RuleNumber: 100, Egress: egress, Protocol: "-1", RuleAction: "allow", CIDRBlock: "0.0.0.0/0"}
}

// DenyRest is a "*" rule: 32767 (32768 for IPv6) denying everything.
func DenyRest(egress, ipv6 bool) NetworkACLEntry {
	if ipv6 {
		return NetworkACLEntry{RuleNumber: AllRulesNumber + 1, Egress: egress, Protocol: "-1", RuleAction: "deny", IPv6CIDRBlock: "::/0"}
	}
	return NetworkACLEntry{RuleNumber: AllRulesNumber, Egress: egress, Protocol: "-1", RuleAction: "deny", CIDRBlock: "0.0.0.0/0"}
}

// addIPv6Rules gives the ACL of a VPC that gained IPv6 what AWS adds then:
// the IPv6 "*" rules, and on a default ACL the rule allowing all IPv6
// traffic in each direction whose rules the user has not changed.
func (a *NetworkACL) addIPv6Rules() {
	for _, egress := range []bool{true, false} {
		if _, ok := a.entry(egress, AllRulesNumber+1); ok {
			continue
		}
		if a.IsDefault && a.untouched(egress) {
			a.Entries = append(a.Entries, AllowAll(egress, true))
		}
		a.Entries = append(a.Entries, DenyRest(egress, true))
	}
	a.sortEntries()
}

// untouched reports whether a direction still has only the rules a default
// ACL starts with.
func (a *NetworkACL) untouched(egress bool) bool {
	var user []NetworkACLEntry
	for _, e := range a.Entries {
		if e.Egress == egress && e.RuleNumber < AllRulesNumber {
			user = append(user, e)
		}
	}
	return len(user) == 1 && user[0] == AllowAll(egress, false)
}

// addIPv6ACLRules updates every ACL of a VPC that has just gained an IPv6
// block.
func addIPv6ACLRules(t *cloud.Txn, vpc *VPC) error {
	acls, err := cloud.FindIn[NetworkACL](t, cloud.Key{Name: "vpc-id", Value: vpc.ID})
	if err != nil {
		return err
	}
	for _, acl := range acls {
		acl.addIPv6Rules()
		if err := cloud.Put(t, acl); err != nil {
			return err
		}
	}
	return nil
}

// sortEntries puts the entries in EC2's order: egress first, then by rule
// number.
func (a *NetworkACL) sortEntries() {
	sort.SliceStable(a.Entries, func(i, j int) bool {
		x, y := a.Entries[i], a.Entries[j]
		if x.Egress != y.Egress {
			return x.Egress
		}
		return x.RuleNumber < y.RuleNumber
	})
}

// entry finds the rule of a direction by number.
func (a *NetworkACL) entry(egress bool, number int32) (int, bool) {
	for i, e := range a.Entries {
		if e.Egress == egress && e.RuleNumber == number {
			return i, true
		}
	}
	return -1, false
}

// ACLProtocolAliases returns the ways to name a stored protocol: its number
// and, for the protocols that have one, its name ("all" for -1).
func ACLProtocolAliases(number string) []string {
	out := []string{number}
	if p, ok := ipproto.Parse(number); ok && p.String() != number {
		out = append(out, p.String())
	}
	return out
}

// parseACLProtocol reads an entry's protocol: -1 (all) or a number 0-255.
// The EC2 API takes numbers only; the aws CLI and Terraform translate
// names such as "tcp" before they send.
func parseACLProtocol(s string) (ipproto.Proto, error) {
	if _, err := strconv.Atoi(s); err == nil {
		if p, ok := ipproto.Parse(s); ok {
			return p, nil
		}
	}
	return 0, cloud.InvalidParam("Invalid value '%s' for IP protocol. Unknown protocol.", s)
}

// NetworkACLEntryInput is what CreateNetworkAclEntry and
// ReplaceNetworkAclEntry take.
type NetworkACLEntryInput struct {
	NetworkACLID  string
	RuleNumber    int32
	Egress        bool
	Protocol      string
	RuleAction    string
	CIDRBlock     string
	IPv6CIDRBlock string
	// FromPort and ToPort are the port range (TCP and UDP).
	FromPort, ToPort *int32
	// ICMPType and ICMPCode are the ICMP type and code (ICMP and ICMPv6).
	ICMPType, ICMPCode *int32
}

// checkRuleNumber refuses the numbers users cannot give: 0 and the "*"
// rules' range.
func checkRuleNumber(n int32) error {
	if n < 1 || n >= AllRulesNumber {
		return cloud.InvalidParam("Value (%d) for parameter ruleNumber is invalid. Rule numbers must be between 1 and 32766.", n)
	}
	return nil
}

// entry checks the input and makes the rule EC2 stores: the protocol as a
// number, the action in lower case, ports only for TCP and UDP, type and
// code only for ICMP and ICMPv6.
func (in *NetworkACLEntryInput) entry() (NetworkACLEntry, error) {
	e := NetworkACLEntry{RuleNumber: in.RuleNumber, Egress: in.Egress, RuleAction: strings.ToLower(in.RuleAction)}
	if err := checkRuleNumber(in.RuleNumber); err != nil {
		return e, err
	}
	if e.RuleAction != "allow" && e.RuleAction != "deny" {
		return e, cloud.InvalidParam("Value (%s) for parameter ruleAction is invalid. Valid values are allow and deny.", in.RuleAction)
	}
	proto, err := parseACLProtocol(in.Protocol)
	if err != nil {
		return e, err
	}
	e.Protocol = proto.Number()
	if err := in.setBlock(&e); err != nil {
		return e, err
	}
	switch {
	case proto == ipproto.TCP || proto == ipproto.UDP:
		e.FromPort, e.ToPort, err = portRange(in.FromPort, in.ToPort)
	case proto == ipproto.ICMP || proto == ipproto.ICMPv6:
		// ICMPv6 with an IPv4 block allows every type whatever is given,
		// so EC2 asks for type and code only with an IPv6 block.
		required := proto == ipproto.ICMP || e.IPv6CIDRBlock != ""
		e.ICMPType, e.ICMPCode, err = icmpTypeCode(in.ICMPType, in.ICMPCode, required)
	}
	return e, err
}

// setBlock sets the rule's one block, IPv4 or IPv6, in canonical form.
func (in *NetworkACLEntryInput) setBlock(e *NetworkACLEntry) error {
	switch {
	case in.CIDRBlock == "" && in.IPv6CIDRBlock == "":
		return cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter cidrBlock or ipv6CidrBlock")
	case in.CIDRBlock != "" && in.IPv6CIDRBlock != "":
		return cloud.Errorf(cloud.InvalidCombination, "", "Only one of cidrBlock and ipv6CidrBlock may be specified.")
	case in.CIDRBlock != "":
		p, err := cidr.CanonicalV4(in.CIDRBlock)
		if err != nil {
			return cloud.InvalidParam("Value (%s) for parameter cidrBlock is invalid. This is not a valid CIDR block.", in.CIDRBlock)
		}
		e.CIDRBlock = p.String()
	default:
		p, err := cidr.CanonicalV6(in.IPv6CIDRBlock)
		if err != nil {
			return cloud.InvalidParam("Value (%s) for parameter ipv6CidrBlock is invalid. This is not a valid CIDR block.", in.IPv6CIDRBlock)
		}
		e.IPv6CIDRBlock = p.String()
	}
	return nil
}

// portRange checks a TCP or UDP rule's ports: both given, 0-65535, in order.
func portRange(from, to *int32) (*int32, *int32, error) {
	if from == nil {
		return nil, nil, cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter portRange.from")
	}
	if to == nil {
		return nil, nil, cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter portRange.to")
	}
	for _, p := range []struct {
		name string
		v    int32
	}{{"portRange.from", *from}, {"portRange.to", *to}} {
		if p.v < 0 || p.v > 65535 {
			return nil, nil, cloud.InvalidParam("Value (%d) for parameter %s is invalid. Ports must be between 0 and 65535.", p.v, p.name)
		}
	}
	if *from > *to {
		return nil, nil, cloud.InvalidParam("Invalid value for portRange. The start of the range (%d) is greater than its end (%d).", *from, *to)
	}
	f, t := *from, *to
	return &f, &t, nil
}

// icmpTypeCode checks an ICMP rule's type and code: -1 (all) or 0-255.
func icmpTypeCode(typ, code *int32, required bool) (*int32, *int32, error) {
	if required && typ == nil {
		return nil, nil, cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter icmpTypeCode.type")
	}
	if required && code == nil {
		return nil, nil, cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter icmpTypeCode.code")
	}
	var out [2]*int32
	for i, p := range []struct {
		name string
		v    *int32
	}{{"icmpTypeCode.type", typ}, {"icmpTypeCode.code", code}} {
		if p.v == nil {
			continue
		}
		if *p.v < -1 || *p.v > 255 {
			return nil, nil, cloud.InvalidParam("Value (%d) for parameter %s is invalid. ICMP types and codes must be between -1 and 255.", *p.v, p.name)
		}
		v := *p.v
		out[i] = &v
	}
	return out[0], out[1], nil
}

// checkEntryQuota refuses a rule that would take its direction and address
// family past the quota. The rule numbered skip (the one a replace drops)
// does not count.
func (a *NetworkACL) checkEntryQuota(t *cloud.Txn, e NetworkACLEntry, skip int32) error {
	n := 0
	for _, x := range a.Entries {
		if x.Egress == e.Egress && (x.IPv6CIDRBlock != "") == (e.IPv6CIDRBlock != "") && x.RuleNumber != skip {
			n++
		}
	}
	if n >= t.Limit("network-acl-entries") {
		return cloud.Errorf(cloud.LimitExceeded, cloud.KindNetworkACLEntry, "The maximum number of entries for network acl %s has been reached.", a.ID)
	}
	return nil
}

// direction names a rule's direction as EC2's messages do.
func direction(egress bool) string {
	if egress {
		return "egress"
	}
	return "ingress"
}

func entryNotFound(aclID string, egress bool, number int32) error {
	return cloud.Errorf(cloud.NotFound, cloud.KindNetworkACLEntry, "no %s entry with number %d exists in network acl %s", direction(egress), number, aclID)
}

// CreateNetworkACL creates an ACL that denies all traffic until rules are
// added.
func (c *Service) CreateNetworkACL(ctx context.Context, who cloud.Caller, vpcID string, specs []cloud.TagSpec) (*NetworkACL, error) {
	tags, err := cloud.TagsFor(specs, cloud.KindNetworkACL)
	if err != nil {
		return nil, err
	}
	var acl *NetworkACL
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		vpc, err := cloud.GetIn[VPC](t, vpcID)
		if err != nil {
			return err
		}
		n := 0
		if err := t.Find(cloud.KindNetworkACL, cloud.Key{Name: "vpc-id", Value: vpc.ID}, func(*cloud.Record) bool { n++; return true }); err != nil {
			return err
		}
		if n >= t.Limit("network-acls-per-vpc") {
			return cloud.Errorf(cloud.LimitExceeded, cloud.KindNetworkACL, "The maximum number of network ACLs for vpc %s has been reached.", vpc.ID)
		}
		acl = newNetworkACL(t, vpc, false, tags[cloud.KindNetworkACL])
		return cloud.Put(t, acl)
	})
	return acl, err
}

// DeleteNetworkACL deletes an ACL that no subnet uses. A VPC's default ACL
// goes only with its VPC.
func (c *Service) DeleteNetworkACL(ctx context.Context, who cloud.Caller, id string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		acl, err := cloud.GetIn[NetworkACL](t, id)
		if err != nil {
			return err
		}
		if acl.IsDefault {
			return cloud.InvalidParam("cannot delete default network ACL %s", acl.ID)
		}
		if len(acl.Associations) > 0 {
			return cloud.HasDependents(cloud.KindNetworkACL, acl.ID)
		}
		return cloud.Remove(t, acl)
	})
}

// CreateNetworkACLEntry adds a rule under a number its direction does not
// use yet.
func (c *Service) CreateNetworkACLEntry(ctx context.Context, who cloud.Caller, in NetworkACLEntryInput) error {
	e, err := in.entry()
	if err != nil {
		return err
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		acl, err := cloud.GetIn[NetworkACL](t, in.NetworkACLID)
		if err != nil {
			return err
		}
		if _, ok := acl.entry(e.Egress, e.RuleNumber); ok {
			return cloud.Errorf(cloud.Duplicate, cloud.KindNetworkACLEntry, "The network acl entry identified by %d already exists.", e.RuleNumber)
		}
		if err := acl.checkEntryQuota(t, e, 0); err != nil {
			return err
		}
		acl.Entries = append(acl.Entries, e)
		acl.sortEntries()
		return cloud.Put(t, acl)
	})
}

// ReplaceNetworkACLEntry puts a new rule in place of an existing one with
// the same number and direction.
func (c *Service) ReplaceNetworkACLEntry(ctx context.Context, who cloud.Caller, in NetworkACLEntryInput) error {
	e, err := in.entry()
	if err != nil {
		return err
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		acl, err := cloud.GetIn[NetworkACL](t, in.NetworkACLID)
		if err != nil {
			return err
		}
		i, ok := acl.entry(e.Egress, e.RuleNumber)
		if !ok {
			return entryNotFound(acl.ID, e.Egress, e.RuleNumber)
		}
		if err := acl.checkEntryQuota(t, e, e.RuleNumber); err != nil {
			return err
		}
		acl.Entries[i] = e
		return cloud.Put(t, acl)
	})
}

// DeleteNetworkACLEntry removes a rule; the "*" rules stay.
func (c *Service) DeleteNetworkACLEntry(ctx context.Context, who cloud.Caller, aclID string, egress bool, number int32) error {
	if err := checkRuleNumber(number); err != nil {
		return err
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		acl, err := cloud.GetIn[NetworkACL](t, aclID)
		if err != nil {
			return err
		}
		i, ok := acl.entry(egress, number)
		if !ok {
			return entryNotFound(acl.ID, egress, number)
		}
		acl.Entries = append(acl.Entries[:i:i], acl.Entries[i+1:]...)
		return cloud.Put(t, acl)
	})
}

// ReplaceNetworkACLAssociation moves the subnet of an association to
// another ACL of its VPC and returns the new association's id.
func (c *Service) ReplaceNetworkACLAssociation(ctx context.Context, who cloud.Caller, associationID, aclID string) (string, error) {
	var newID string
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		olds, err := cloud.FindIn[NetworkACL](t, cloud.Key{Name: "association.association-id", Value: associationID})
		if err != nil {
			return err
		}
		if len(olds) == 0 {
			return cloud.Errorf(cloud.NotFound, cloud.KindNetworkACLAssoc, "The association ID '%s' does not exist", associationID)
		}
		old := olds[0]
		i := slices.IndexFunc(old.Associations, func(a NetworkACLAssociation) bool { return a.ID == associationID })
		subnetID := old.Associations[i].SubnetID
		acl, err := cloud.GetIn[NetworkACL](t, aclID)
		if err != nil {
			return err
		}
		if acl.VpcID != old.VpcID {
			return cloud.InvalidParam("Network ACL %s does not belong to the VPC of subnet %s (%s).", acl.ID, subnetID, old.VpcID)
		}
		old.Associations = slices.Delete(old.Associations, i, i+1)
		if acl.ID == old.ID {
			acl = old
		} else if err := cloud.Put(t, old); err != nil {
			return err
		}
		newID = t.NewID("aclassoc-")
		acl.Associations = append(acl.Associations, NetworkACLAssociation{ID: newID, SubnetID: subnetID})
		return cloud.Put(t, acl)
	})
	return newID, err
}
