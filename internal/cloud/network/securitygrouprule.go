package network

import (
	"context"
	"fmt"
	"maps"
	"net/netip"
	"sort"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/ipproto"
)

// PeerKind says what a permission's peer is.
type PeerKind int

// The kinds of peer a rule can have.
const (
	PeerIPv4 PeerKind = iota + 1
	PeerIPv6
	PeerPrefixList
	PeerGroup
)

// Permission is one IpPermission of a request: a protocol, a port range
// and the peers (sources for ingress, destinations for egress) it applies
// to. Each peer makes one rule.
type Permission struct {
	Protocol string
	FromPort *int32
	ToPort   *int32
	Peers    []Peer
}

// Peer is one peer of a permission. A group peer is named by GroupID, or
// by GroupName in the default VPC, with its owner's UserID if given.
type Peer struct {
	Kind         PeerKind
	CIDR         string
	PrefixListID string
	GroupID      string
	GroupName    string
	UserID       string
	Description  string
}

// HasPorts reports whether the rule's protocol has ports (for ICMP, a type
// and a code). Other protocols cover all traffic of the protocol.
func (r *SecurityGroupRule) HasPorts() bool {
	switch r.Protocol {
	case "tcp", "udp", "icmp", "icmpv6":
		return true
	}
	return false
}

// Peer is the rule's peer: a CIDR block, a prefix list id or a group id.
func (r *SecurityGroupRule) Peer() string {
	for _, p := range []string{r.CIDRIPv4, r.CIDRIPv6, r.PrefixListID} {
		if p != "" {
			return p
		}
	}
	return r.ReferencedGroupID
}

// peerKind says what the rule's peer is.
func (r *SecurityGroupRule) peerKind() PeerKind {
	switch {
	case r.CIDRIPv4 != "":
		return PeerIPv4
	case r.CIDRIPv6 != "":
		return PeerIPv6
	case r.PrefixListID != "":
		return PeerPrefixList
	}
	return PeerGroup
}

// peerKinds name each kind of peer as ModifySecurityGroupRules's field and
// in words.
var peerKinds = map[PeerKind]struct{ field, noun string }{
	PeerIPv4:       {"CidrIpv4", "IPv4 CIDR"},
	PeerIPv6:       {"CidrIpv6", "IPv6 CIDR"},
	PeerPrefixList: {"PrefixListId", "prefix list"},
	PeerGroup:      {"ReferencedGroupId", "referenced group"},
}

// key identifies what the rule allows; two rules with the same key are the
// same rule whatever their descriptions.
func (r *SecurityGroupRule) key() string {
	return fmt.Sprintf("%t %s %d %d %s", r.Egress, r.Protocol, r.FromPort, r.ToPort, r.Peer())
}

// text is how AWS's messages spell a rule:
// "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW".
func (r *SecurityGroupRule) text() string {
	var what string
	switch r.Protocol {
	case "tcp", "udp":
		what = fmt.Sprintf("%s, from port: %d, to port: %d", strings.ToUpper(r.Protocol), r.FromPort, r.ToPort)
	case "icmp", "icmpv6":
		what = fmt.Sprintf("%s, type: %d, code: %d", strings.ToUpper(r.Protocol), r.FromPort, r.ToPort)
	case "-1":
		what = "ALL"
	default:
		what = "protocol: " + r.Protocol
	}
	return fmt.Sprintf("peer: %s, %s, ALLOW", r.Peer(), what)
}

// find returns the group's rule that allows what r allows, or nil.
func (g *SecurityGroup) find(r *SecurityGroupRule) *SecurityGroupRule {
	k := r.key()
	for i := range g.Rules {
		if g.Rules[i].key() == k {
			return &g.Rules[i]
		}
	}
	return nil
}

// groupRule returns the group's rule id of the given direction.
func groupRule(g *SecurityGroup, id string, egress bool) (*SecurityGroupRule, error) {
	if !cloud.WellFormed(id, "sgr-") {
		return nil, malformedID(cloud.KindSecurityGroupRule, id, "sgr-")
	}
	r := g.rule(id)
	if r == nil || r.Egress != egress {
		return nil, cloud.Missing(cloud.KindSecurityGroupRule, id)
	}
	return r, nil
}

func errRuleMissing() *cloud.Error {
	return cloud.Errorf(cloud.NotFound, cloud.KindPermission, "The specified rule does not exist in this security group.")
}

func errNoSource() *cloud.Error {
	return cloud.Errorf(cloud.MissingParameter, "", "Missing source specification: include source security group or CIDR information")
}

// ruleProtocol normalizes a protocol as AWS stores it: a name for tcp, udp,
// icmp and icmpv6 (given by name or number), -1 for all, else the number.
func ruleProtocol(p string) (string, error) {
	if p == "" {
		return "", cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter ipProtocol")
	}
	proto, ok := ipproto.Parse(p)
	if !ok || strings.EqualFold(p, "all") { // names: the four AWS gives, not "all"
		return "", cloud.InvalidParam("Invalid value '%s' for IP protocol. Unknown protocol.", p)
	}
	return proto.Name(), nil
}

// rulePorts checks a permission's ports for its protocol. Protocols without
// ports store -1 for both, whatever was sent.
func rulePorts(proto string, from, to *int32) (int32, int32, error) {
	switch proto {
	case "tcp", "udp":
		if from == nil || to == nil {
			return 0, 0, cloud.InvalidParam("Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.")
		}
		for _, p := range []int32{*from, *to} {
			if p < 0 || p > 65535 {
				return 0, 0, cloud.Errorf(cloud.Malformed, cloud.KindPermission, "TCP/UDP port (%d) out of range", p)
			}
		}
		if *from > *to {
			return 0, 0, cloud.Errorf(cloud.Malformed, cloud.KindPermission, "Invalid TCP/UDP port range (%d to %d)", *from, *to)
		}
		return *from, *to, nil
	case "icmp", "icmpv6":
		if proto == "icmpv6" && from == nil && to == nil {
			return -1, -1, nil // all types and codes
		}
		if from == nil || to == nil {
			return 0, 0, cloud.InvalidParam("Invalid value 'Must specify both from and to ports with ICMP.' for portRange.")
		}
		if *from < -1 || *from > 255 {
			return 0, 0, cloud.InvalidParam("ICMP type (%d) out of range", *from)
		}
		if *to < -1 || *to > 255 {
			return 0, 0, cloud.InvalidParam("ICMP code (%d) out of range", *to)
		}
		if *from == -1 && *to != -1 {
			return 0, 0, cloud.InvalidParam("Invalid value 'ICMP code must be -1 when ICMP type is -1.' for portRange.")
		}
		return *from, *to, nil
	}
	return -1, -1, nil
}

// ruleCIDR parses a rule's block; AWS stores it canonical (host bits
// cleared).
func ruleCIDR(s string, v6 bool) (string, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || p.Addr().Is6() != v6 || p.Addr().Is4In6() || p.Addr().Zone() != "" {
		return "", cloud.InvalidParam("CIDR block %s is malformed", s)
	}
	return p.Masked().String(), nil
}

func checkRuleDescription(s string) error {
	if len(s) > 255 || !isASCII(s) || !groupTextOK(s) {
		return cloud.InvalidParam("Invalid rule description. Valid descriptions are strings less than 256 characters from the following set: a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*")
	}
	return nil
}

// referencedGroup loads the group a peer names: by id (any account of the
// region, checked against UserID when given) or by name in the caller's
// default VPC.
func referencedGroup(t *cloud.Txn, p Peer) (*SecurityGroup, error) {
	switch {
	case p.GroupID != "":
		if !cloud.WellFormed(p.GroupID, "sg-") {
			return nil, malformedID(cloud.KindSecurityGroup, p.GroupID, "sg-")
		}
		ref, err := cloud.GetAny[SecurityGroup](t.StoreTx, p.GroupID)
		if ErrIsNotFound(err) || err == nil && (ref.Region != t.Scope.Region || p.UserID != "" && p.UserID != ref.Owner) {
			return nil, groupNotFound(p.GroupID)
		}
		return ref, err
	case p.GroupName != "":
		vpc, err := defaultVPC(t)
		if err != nil {
			return nil, err
		}
		if vpc == nil || p.UserID != "" && p.UserID != t.Scope.Account {
			return nil, cloud.Errorf(cloud.NotFound, cloud.KindSecurityGroup, "The security group '%s' does not exist in default VPC 'none'", p.GroupName)
		}
		return groupInDefaultVPC(t, vpc, p.GroupName)
	}
	return nil, errNoSource()
}

// setPeer resolves a peer into the rule. strict is for a rule being
// created: its prefix list must exist and a referenced group must be in
// the group's VPC.
func setPeer(t *cloud.Txn, g *SecurityGroup, r *SecurityGroupRule, p Peer, strict bool) error {
	var err error
	switch p.Kind {
	case PeerIPv4:
		r.CIDRIPv4, err = ruleCIDR(p.CIDR, false)
	case PeerIPv6:
		r.CIDRIPv6, err = ruleCIDR(p.CIDR, true)
	case PeerPrefixList:
		if !cloud.WellFormed(p.PrefixListID, "pl-") {
			return malformedID(cloud.KindPrefixList, p.PrefixListID, "pl-")
		}
		r.PrefixListID = p.PrefixListID
		if strict {
			// The caller's own lists and its region's AWS-managed lists.
			_, err := prefixListFor(t, p.PrefixListID)
			return err
		}
	case PeerGroup:
		ref, err := referencedGroup(t, p)
		if !strict && p.GroupID != "" && ErrIsNotFound(err) {
			// The group of a stale rule may be gone; the rule still names it.
			r.ReferencedGroupID, r.ReferencedGroupOwner = p.GroupID, p.UserID
			return nil
		}
		if err != nil {
			return err
		}
		r.ReferencedGroupID, r.ReferencedGroupOwner = ref.ID, ref.Owner
		if strict && ref.VpcID != g.VpcID {
			return setPeeredGroup(t, g, r, ref)
		}
	default:
		return errNoSource()
	}
	return err
}

// setPeeredGroup lets a rule reference a group of another VPC only across
// an active peering connection within the region.
func setPeeredGroup(t *cloud.Txn, g *SecurityGroup, r *SecurityGroupRule, ref *SecurityGroup) error {
	pcx, err := activePeering(t, g.VpcID, ref.VpcID)
	if err != nil {
		return err
	}
	if pcx == nil {
		return cloud.Errorf(cloud.NotFound, cloud.KindSecurityGroup, "You have specified two resources that belong to different networks.")
	}
	r.ReferencedVpcID, r.PeeringConnectionID, r.PeeringStatus = ref.VpcID, pcx.ID, pcx.Status
	return nil
}

// expand turns a request's permissions into the rules they describe, one
// per peer. strict is for rules being created (see setPeer), whose
// descriptions must also be valid.
func expand(t *cloud.Txn, g *SecurityGroup, egress, strict bool, perms []Permission) ([]SecurityGroupRule, error) {
	var out []SecurityGroupRule
	for _, p := range perms {
		proto, err := ruleProtocol(p.Protocol)
		if err != nil {
			return nil, err
		}
		from, to, err := rulePorts(proto, p.FromPort, p.ToPort)
		if err != nil {
			return nil, err
		}
		if len(p.Peers) == 0 {
			return nil, errNoSource()
		}
		for _, peer := range p.Peers {
			r := SecurityGroupRule{Egress: egress, Protocol: proto, FromPort: from, ToPort: to, Description: peer.Description}
			if err := setPeer(t, g, &r, peer, strict); err != nil {
				return nil, err
			}
			if strict {
				if err := checkRuleDescription(r.Description); err != nil {
					return nil, err
				}
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// checkRuleQuota applies the rules-per-group quota to one direction,
// counted apart for IPv4 and IPv6. A rule that references a group counts
// once for each family; one that references a prefix list counts the
// list's maximum entries (an AWS-managed list, its weight) for the list's
// family. resizing, when set, is a list being resized: its new size counts.
func checkRuleQuota(t *cloud.Txn, g *SecurityGroup, egress bool, resizing *ManagedPrefixList) error {
	var v4, v6 int
	for _, r := range g.Rules {
		if r.Egress != egress {
			continue
		}
		switch {
		case r.CIDRIPv4 != "":
			v4++
		case r.CIDRIPv6 != "":
			v6++
		case r.PrefixListID != "":
			n, family, err := prefixListWeight(t, r.PrefixListID, resizing)
			if err != nil {
				return err
			}
			if family != "IPv6" {
				v4 += n
			}
			if family != "IPv4" {
				v6 += n
			}
		default:
			v4++
			v6++
		}
	}
	if v4 > t.Limit("rules-per-security-group") || v6 > t.Limit("rules-per-security-group") {
		return cloud.Errorf(cloud.LimitExceeded, cloud.KindSecurityGroupRule, "The maximum number of rules per security group has been reached.")
	}
	return nil
}

// checkDistinct refuses a group with two rules that allow the same thing.
func checkDistinct(g *SecurityGroup) error {
	seen := make(map[string]bool, len(g.Rules))
	for _, r := range g.Rules {
		k := r.key()
		if seen[k] {
			return cloud.Errorf(cloud.Duplicate, cloud.KindPermission, "the specified rule \"%s\" already exists", r.text())
		}
		seen[k] = true
	}
	return nil
}

// AuthorizeInput is what AuthorizeSecurityGroupIngress and
// AuthorizeSecurityGroupEgress take.
type AuthorizeInput struct {
	Group       GroupRef
	Egress      bool
	Permissions []Permission
	Tags        []cloud.TagSpec // for the new rules (security-group-rule)
}

// AuthorizeSecurityGroupRules adds rules to a group, one per peer of each
// permission, and returns the group and the new rules.
func (c *Service) AuthorizeSecurityGroupRules(ctx context.Context, who cloud.Caller, in AuthorizeInput) (*SecurityGroup, []SecurityGroupRule, error) {
	if len(in.Permissions) == 0 {
		return nil, nil, errNoSource()
	}
	tags, err := cloud.TagsFor(in.Tags, cloud.KindSecurityGroupRule)
	if err != nil {
		return nil, nil, err
	}
	var g *SecurityGroup
	var added []SecurityGroupRule
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		if g, err = findGroup(t, in.Group); err != nil {
			return err
		}
		if added, err = expand(t, g, in.Egress, true, in.Permissions); err != nil {
			return err
		}
		seen := map[string]bool{}
		for i := range added {
			r := &added[i]
			if seen[r.key()] {
				return cloud.InvalidParam("The same permission must not appear multiple times")
			}
			seen[r.key()] = true
			if g.find(r) != nil {
				return cloud.Errorf(cloud.Duplicate, cloud.KindPermission, "the specified rule \"%s\" already exists", r.text())
			}
			r.ID = t.NewID("sgr-")
			if len(tags[cloud.KindSecurityGroupRule]) > 0 {
				r.Tags = maps.Clone(tags[cloud.KindSecurityGroupRule])
			}
		}
		g.Rules = append(g.Rules, added...)
		if err := checkRuleQuota(t, g, in.Egress, nil); err != nil {
			return err
		}
		return cloud.Put(t, g)
	})
	return g, added, err
}

// RevokeInput is what RevokeSecurityGroupIngress and
// RevokeSecurityGroupEgress take: rules by definition, by id, or both.
type RevokeInput struct {
	Group       GroupRef
	Egress      bool
	Permissions []Permission
	RuleIDs     []string
}

// RevokeResult is what a revoke did: the rules it removed and, in a default
// VPC, the rules it was asked to remove that the group does not have.
type RevokeResult struct {
	Group   *SecurityGroup
	Revoked []SecurityGroupRule
	Unknown []SecurityGroupRule
}

// RevokeSecurityGroupRules removes rules from a group. Permissions match
// rules by protocol, ports and peer (not description). A rule the group
// lacks fails the call in a nondefault VPC; in the default VPC the rest
// are revoked and the missing ones reported.
func (c *Service) RevokeSecurityGroupRules(ctx context.Context, who cloud.Caller, in RevokeInput) (*RevokeResult, error) {
	if len(in.Permissions) == 0 && len(in.RuleIDs) == 0 {
		return nil, errNoSource()
	}
	res := &RevokeResult{}
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := findGroup(t, in.Group)
		if err != nil {
			return err
		}
		res.Group = g
		drop := map[string]bool{}
		for _, id := range in.RuleIDs {
			r, err := groupRule(g, id, in.Egress)
			if err != nil {
				return err
			}
			drop[r.ID] = true
		}
		asked, err := expand(t, g, in.Egress, false, in.Permissions)
		if err != nil {
			return err
		}
		for i := range asked {
			if r := g.find(&asked[i]); r != nil {
				drop[r.ID] = true
			} else {
				res.Unknown = append(res.Unknown, asked[i])
			}
		}
		if len(res.Unknown) > 0 {
			vpc, err := cloud.GetIn[VPC](t, g.VpcID)
			if err != nil {
				return err
			}
			if !vpc.IsDefault {
				return errRuleMissing()
			}
		}
		for _, r := range g.Rules {
			if drop[r.ID] {
				res.Revoked = append(res.Revoked, r)
			}
		}
		g.Rules = RemoveWhere(g.Rules, func(r SecurityGroupRule) bool { return drop[r.ID] })
		return cloud.Put(t, g)
	})
	return res, err
}

// RuleUpdate replaces the definition of one rule, keeping its id, its
// direction and its tags. The permission has exactly one peer, of the same
// kind as the rule's (AWS does not change a rule's source type).
type RuleUpdate struct {
	ID         string
	Permission Permission
}

// ModifySecurityGroupRules redefines rules of a group by id.
func (c *Service) ModifySecurityGroupRules(ctx context.Context, who cloud.Caller, groupID string, updates []RuleUpdate) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := groupByID(t, groupID)
		if err != nil {
			return err
		}
		for _, u := range updates {
			if !cloud.WellFormed(u.ID, "sgr-") {
				return malformedID(cloud.KindSecurityGroupRule, u.ID, "sgr-")
			}
			r := g.rule(u.ID)
			if r == nil {
				return cloud.Missing(cloud.KindSecurityGroupRule, u.ID)
			}
			switch len(u.Permission.Peers) {
			case 0:
				return cloud.Errorf(cloud.MissingParameter, "", "Either 'CidrIpv4', 'CidrIpv6', 'PrefixListId' or 'ReferencedGroupId' should be provided.")
			case 1:
			default:
				return cloud.Errorf(cloud.InvalidCombination, "", "Only one of 'CidrIpv4', 'CidrIpv6', 'PrefixListId' or 'ReferencedGroupId' can be provided.")
			}
			if u.Permission.Protocol == "" {
				return cloud.InvalidParam("Invalid value 'null' for protocol. VPC security group rules must specify protocols explicitly.")
			}
			if want, have := u.Permission.Peers[0].Kind, r.peerKind(); want != have {
				return cloud.InvalidParam("Invalid rule type for security group rule '%s'. You may not specify %s for an existing %s rule.",
					r.ID, peerKinds[want].field, peerKinds[have].noun)
			}
			rules, err := expand(t, g, r.Egress, true, []Permission{u.Permission})
			if err != nil {
				return err
			}
			n := rules[0]
			n.ID, n.Tags = r.ID, r.Tags
			*r = n
		}
		if err := checkDistinct(g); err != nil {
			return err
		}
		for _, egress := range []bool{false, true} {
			if err := checkRuleQuota(t, g, egress, nil); err != nil {
				return err
			}
		}
		return cloud.Put(t, g)
	})
}

// RuleDescription sets the description of one rule by id.
type RuleDescription struct {
	ID          string
	Description string
}

// UpdateDescriptionsInput is what UpdateSecurityGroupRuleDescriptionsIngress
// and ...Egress take: rules by definition (each peer's description is the
// rule's new one), by id, or both.
type UpdateDescriptionsInput struct {
	Group       GroupRef
	Egress      bool
	Permissions []Permission
	ByID        []RuleDescription
}

// UpdateSecurityGroupRuleDescriptions sets (or, when empty, removes) the
// descriptions of existing rules.
func (c *Service) UpdateSecurityGroupRuleDescriptions(ctx context.Context, who cloud.Caller, in UpdateDescriptionsInput) error {
	if len(in.Permissions) == 0 && len(in.ByID) == 0 {
		return cloud.Errorf(cloud.MissingParameter, "", "Either 'ipPermissions' or 'securityGroupRuleDescriptions' should be provided.")
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := findGroup(t, in.Group)
		if err != nil {
			return err
		}
		asked, err := expand(t, g, in.Egress, false, in.Permissions)
		if err != nil {
			return err
		}
		for i := range asked {
			if err := checkRuleDescription(asked[i].Description); err != nil {
				return err
			}
			r := g.find(&asked[i])
			if r == nil {
				return errRuleMissing()
			}
			r.Description = asked[i].Description
		}
		for _, d := range in.ByID {
			if err := checkRuleDescription(d.Description); err != nil {
				return err
			}
			r, err := groupRule(g, d.ID, in.Egress)
			if err != nil {
				return err
			}
			r.Description = d.Description
		}
		return cloud.Put(t, g)
	})
}

// GroupRule is one rule with the group that holds it, as
// DescribeSecurityGroupRules lists rules.
type GroupRule struct {
	Group *SecurityGroup
	Rule  SecurityGroupRule
}

// RuleQuery selects rules for DescribeSecurityGroupRules.
type RuleQuery struct {
	// IDs asks for these rules; any that the caller does not have fails the
	// call.
	IDs []string
	// GroupIDs, when set, limit the candidates to these groups' rules.
	GroupIDs []string
	// After skips rule ids up to and including this one (paging).
	After string
	// Limit is the page size; 0 means no limit.
	Limit int
}

// ListSecurityGroupRules lists the caller's rules that match q and the
// predicate, in rule id order.
func (c *Service) ListSecurityGroupRules(ctx context.Context, who cloud.Caller, q RuleQuery, match func(*GroupRule) bool) (cloud.Page[*GroupRule], error) {
	var page cloud.Page[*GroupRule]
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		groups, want, err := ruleCandidates(t, q)
		if err != nil {
			return err
		}
		var all []*GroupRule
		for _, g := range groups {
			if err := g.Resolve(t); err != nil {
				return err
			}
			for _, r := range g.Rules {
				if (want == nil || want[r.ID]) && r.ID > q.After {
					all = append(all, &GroupRule{Group: g, Rule: r})
				}
			}
		}
		sort.Slice(all, func(i, j int) bool { return all[i].Rule.ID < all[j].Rule.ID })
		for _, gr := range all {
			if match != nil && !match(gr) {
				continue
			}
			if q.Limit > 0 && len(page.Items) == q.Limit {
				page.Next = page.Items[len(page.Items)-1].Rule.ID
				break
			}
			page.Items = append(page.Items, gr)
		}
		return nil
	})
	return page, err
}

// ruleCandidates loads the groups whose rules a query may list and, when
// the query names rules, the set of them.
func ruleCandidates(t *cloud.Txn, q RuleQuery) ([]*SecurityGroup, map[string]bool, error) {
	switch {
	case len(q.IDs) > 0:
		want := map[string]bool{}
		byID := map[string]*SecurityGroup{}
		var missing []string
		for _, id := range cloud.SortedUnique(q.IDs) {
			if !cloud.WellFormed(id, "sgr-") {
				return nil, nil, malformedID(cloud.KindSecurityGroupRule, id, "sgr-")
			}
			gs, err := cloud.FindIn[SecurityGroup](t, cloud.Key{Name: "security-group-rule-id", Value: id})
			if err != nil {
				return nil, nil, err
			}
			if len(gs) == 0 {
				missing = append(missing, id)
				continue
			}
			want[id] = true
			if byID[gs[0].ID] == nil {
				byID[gs[0].ID] = gs[0]
			}
		}
		if len(missing) > 0 {
			return nil, nil, cloud.Missing(cloud.KindSecurityGroupRule, missing...)
		}
		return sortedGroups(byID), want, nil
	case len(q.GroupIDs) > 0:
		byID := map[string]*SecurityGroup{}
		for _, id := range q.GroupIDs {
			// A filter value is not looked up, but AWS still refuses
			// one that cannot be a group id.
			if !cloud.WellFormed(id, "sg-") {
				return nil, nil, malformedID(cloud.KindSecurityGroup, id, "sg-")
			}
			g, err := cloud.GetIn[SecurityGroup](t, id)
			if ErrIsNotFound(err) {
				continue // a filter value, not a request for the group
			}
			if err != nil {
				return nil, nil, err
			}
			byID[g.ID] = g
		}
		return sortedGroups(byID), nil, nil
	}
	var groups []*SecurityGroup
	var derr error
	err := t.Scan(cloud.KindSecurityGroup, t.Scope, "", func(r *cloud.Record) bool {
		g, err := cloud.Decode[SecurityGroup](r)
		if err != nil {
			derr = err
			return false
		}
		groups = append(groups, g)
		return true
	})
	if err == nil {
		err = derr
	}
	return groups, nil, err
}

func sortedGroups(byID map[string]*SecurityGroup) []*SecurityGroup {
	out := make([]*SecurityGroup, 0, len(byID))
	for _, g := range byID {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
