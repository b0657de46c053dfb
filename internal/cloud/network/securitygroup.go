package network

import (
	"context"
	"errors"
	"strings"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// SecurityGroup is a stateful, allow-only firewall attached to network
// interfaces. Its rules live in it, each with its own sgr- id.
type SecurityGroup struct {
	cloud.Meta
	VpcID       string
	Name        string
	Description string
	Rules       []SecurityGroupRule `json:",omitempty"`
}

// SecurityGroupRule is one rule: one protocol and port range, one peer.
type SecurityGroupRule struct {
	ID       string
	Egress   bool
	Protocol string // tcp, udp, icmp, icmpv6, -1 (all) or a protocol number
	FromPort int32  // -1 when the protocol has no ports
	ToPort   int32

	CIDRIPv4     string `json:",omitempty"`
	CIDRIPv6     string `json:",omitempty"`
	PrefixListID string `json:",omitempty"`
	// A referenced group, with its owner and, for a group of a peered VPC,
	// that VPC and the peering connection.
	ReferencedGroupID    string `json:",omitempty"`
	ReferencedGroupOwner string `json:",omitempty"`
	ReferencedVpcID      string `json:",omitempty"`
	PeeringConnectionID  string `json:",omitempty"`
	// PeeringStatus is the connection's status, derived on read.
	PeeringStatus string `json:"-"`
	// ReferencedGroupName is derived on read, for the group-name filters.
	ReferencedGroupName string `json:"-"`

	Description string     `json:",omitempty"`
	Tags        cloud.Tags `json:",omitempty"`
}

func (*SecurityGroup) Kind() cloud.Kind { return cloud.KindSecurityGroup }

func init() { cloud.RegisterType[SecurityGroup]() }

// groupIndexes are the filters DescribeSecurityGroups finds by index; a
// lookup by group-name and vpc-id together (how Terraform finds a VPC's
// default group) uses the group-name key, which holds both.
var groupIndexes = cloud.Declare(cloud.KindSecurityGroup, cloud.Same("vpc-id"), groupNameKeys)

func groupNameKeys(fs []cloud.Filter) []cloud.Key {
	names, vpcs := cloud.ExactValues(fs, "group-name"), cloud.ExactValues(fs, "vpc-id")
	if names == nil || vpcs == nil {
		return nil
	}
	keys := make([]cloud.Key, 0, len(names)*len(vpcs))
	for _, v := range vpcs {
		for _, n := range names {
			keys = append(keys, groupNameKey(v, n))
		}
	}
	return keys
}

func (g *SecurityGroup) Keys() []cloud.Key {
	keys := []cloud.Key{groupIndexes.Key("vpc-id", g.VpcID), groupNameKey(g.VpcID, g.Name)}
	for _, r := range g.Rules {
		keys = append(keys, cloud.Key{Name: "security-group-rule-id", Value: r.ID})
		// A group of a peered VPC can be deleted under the rule (which goes
		// stale): only references within the VPC hold their group.
		if r.ReferencedGroupID != "" && r.ReferencedGroupID != g.ID && r.ReferencedVpcID == "" {
			keys = append(keys, cloud.Key{Name: "referenced-group-id", Value: r.ReferencedGroupID})
		}
		if r.PrefixListID != "" {
			keys = append(keys, cloud.Key{Name: prefixListRuleKey(r.Egress), Value: r.PrefixListID})
		}
	}
	return keys
}

// prefixListRuleKey names the index of the prefix lists a group's rules of
// one direction reference, after the DescribeSecurityGroups filter.
func prefixListRuleKey(egress bool) string {
	if egress {
		return "egress.ip-permission.prefix-list-id"
	}
	return "ip-permission.prefix-list-id"
}

// groupNameKey finds a group by name: names are unique per VPC, so the key
// holds both.
func groupNameKey(vpcID, name string) cloud.Key {
	return cloud.Key{Name: "group-name", Value: vpcID + "/" + name}
}

// IsDefault reports whether this is its VPC's default group.
func (g *SecurityGroup) IsDefault() bool { return g.Name == "default" }

// ARN is the group's Amazon Resource Name.
func (g *SecurityGroup) ARN() string {
	return g.EC2ARN("security-group")
}

// RuleARN is the Amazon Resource Name of one of the group's rules.
func (g *SecurityGroup) RuleARN(ruleID string) string {
	return arn.EC2(g.Region, g.Owner, "security-group-rule", ruleID)
}

// rule finds a rule by id.
// HeldTags is where the group's rule id keeps its tags.
func (g *SecurityGroup) HeldTags(id string) *cloud.Tags {
	if r := g.rule(id); r != nil {
		return &r.Tags
	}
	return nil
}

// EachHeld calls fn with each rule's tags.
func (g *SecurityGroup) EachHeld(fn func(kind cloud.Kind, id string, tags cloud.Tags)) {
	for _, r := range g.Rules {
		fn(cloud.KindSecurityGroupRule, r.ID, r.Tags)
	}
}

func (g *SecurityGroup) rule(id string) *SecurityGroupRule {
	for i := range g.Rules {
		if g.Rules[i].ID == id {
			return &g.Rules[i]
		}
	}
	return nil
}

// Resolve fills in the names of the groups the rules reference and the
// status of the peering connections they go through.
func (g *SecurityGroup) Resolve(t *cloud.Txn) error {
	for i := range g.Rules {
		r := &g.Rules[i]
		if r.ReferencedGroupID == "" {
			continue
		}
		if r.PeeringConnectionID != "" {
			var err error
			if r.PeeringStatus, err = peeringStatus(t, r.PeeringConnectionID); err != nil {
				return err
			}
		}
		if r.ReferencedGroupID == g.ID {
			r.ReferencedGroupName = g.Name
			continue
		}
		ref, err := cloud.GetAny[SecurityGroup](t.StoreTx, r.ReferencedGroupID)
		if err != nil {
			if err := IgnoreNotFound(err); err != nil {
				return err
			}
			continue
		}
		r.ReferencedGroupName = ref.Name
	}
	return nil
}

// newSecurityGroup makes (but does not save) a group that allows all
// outbound traffic and no inbound traffic, as AWS does.
func newSecurityGroup(t *cloud.Txn, vpc *VPC, name, description string, tags cloud.Tags) *SecurityGroup {
	g := &SecurityGroup{
		Meta:        cloud.Meta{ID: t.NewID("sg-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags},
		VpcID:       vpc.ID,
		Name:        name,
		Description: description,
	}
	g.Rules = append(g.Rules, SecurityGroupRule{ID: t.NewID("sgr-"), Egress: true, Protocol: "-1", FromPort: -1, ToPort: -1, CIDRIPv4: "0.0.0.0/0"})
	if len(vpc.IPv6Associations) > 0 {
		g.Rules = append(g.Rules, SecurityGroupRule{ID: t.NewID("sgr-"), Egress: true, Protocol: "-1", FromPort: -1, ToPort: -1, CIDRIPv6: "::/0"})
	}
	return g
}

// newDefaultSecurityGroup makes a VPC's default group, which also allows
// all inbound traffic from its own members.
func newDefaultSecurityGroup(t *cloud.Txn, vpc *VPC) *SecurityGroup {
	g := newSecurityGroup(t, vpc, "default", "default VPC security group", nil)
	g.Rules = append([]SecurityGroupRule{{
		ID: t.NewID("sgr-"), Protocol: "-1", FromPort: -1, ToPort: -1,
		ReferencedGroupID: g.ID, ReferencedGroupOwner: g.Owner,
	}}, g.Rules...)
	return g
}

// GroupRef names a security group by id or, in the default VPC, by name.
type GroupRef struct {
	ID   string
	Name string
}

// findGroup loads the caller's group that ref names.
func findGroup(t *cloud.Txn, ref GroupRef) (*SecurityGroup, error) {
	switch {
	case ref.ID != "":
		return groupByID(t, ref.ID)
	case ref.Name != "":
		vpc, err := defaultVPC(t)
		if err != nil {
			return nil, err
		}
		if vpc == nil {
			return nil, cloud.Errorf(cloud.NoDefaultVPC, cloud.KindVPC, "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.")
		}
		return groupInDefaultVPC(t, vpc, ref.Name)
	}
	return nil, cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter groupName or groupId")
}

// groupByID loads one of the caller's groups, with AWS's messages for an id
// that is not one and for a group that does not exist.
func groupByID(t *cloud.Txn, id string) (*SecurityGroup, error) {
	if !cloud.WellFormed(id, "sg-") {
		return nil, malformedID(cloud.KindSecurityGroup, id, "sg-")
	}
	g, err := cloud.GetIn[SecurityGroup](t, id)
	if ErrIsNotFound(err) {
		return nil, groupNotFound(id)
	}
	return g, err
}

// groupInDefaultVPC finds a group of the default VPC by name.
func groupInDefaultVPC(t *cloud.Txn, vpc *VPC, name string) (*SecurityGroup, error) {
	g, err := groupByName(t, vpc.ID, name)
	if err != nil {
		return nil, err
	}
	if g == nil {
		return nil, cloud.Errorf(cloud.NotFound, cloud.KindSecurityGroup, "The security group '%s' does not exist in default VPC '%s'", name, vpc.ID)
	}
	return g, nil
}

// groupByName finds the caller's group of a VPC by its exact name, or nil.
func groupByName(t *cloud.Txn, vpcID, name string) (*SecurityGroup, error) {
	groups, err := cloud.FindIn[SecurityGroup](t, groupNameKey(vpcID, name))
	if err != nil || len(groups) == 0 {
		return nil, err
	}
	return groups[0], nil
}

// groupNotFound is AWS's refusal for missing groups: "The security group
// 'sg-1' does not exist".
func groupNotFound(ids ...string) *cloud.Error {
	if len(ids) == 1 {
		return cloud.Errorf(cloud.NotFound, cloud.KindSecurityGroup, "The security group '%s' does not exist", ids[0])
	}
	return cloud.Errorf(cloud.NotFound, cloud.KindSecurityGroup, "The security groups '%s' do not exist", strings.Join(ids, ", "))
}

// malformedID is AWS's refusal for an id of the wrong shape.
func malformedID(k cloud.Kind, id, prefix string) *cloud.Error {
	return cloud.Errorf(cloud.Malformed, k, "Invalid id: \"%s\" (expecting \"%s...\")", id, prefix)
}

// groupTextSet is what AWS allows in VPC security group names and
// descriptions (and rule descriptions): a-z A-Z 0-9 space ._-:/()#,@[]+=&;{}!$*
func groupTextOK(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(" ._-:/()#,@[]+=&;{}!$*", c) >= 0) {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// checkGroupText checks a new group's name or description.
func checkGroupText(param, what, s string) error {
	if !isASCII(s) {
		return cloud.InvalidParam("Value (%s) for parameter %s is invalid. Character sets beyond ASCII are not supported.", s, param)
	}
	if len(s) > 255 || !groupTextOK(s) {
		if what == "name" {
			return cloud.InvalidParam("Invalid security group name. Valid names are non-empty strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*")
		}
		return cloud.InvalidParam("Invalid security group description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*")
	}
	return nil
}

// CreateSecurityGroupInput is what CreateSecurityGroup takes.
type CreateSecurityGroupInput struct {
	VpcID       string // "" is the default VPC
	Name        string
	Description string
	Tags        []cloud.TagSpec
}

// CreateSecurityGroup creates a group in a VPC (the default VPC when none
// is given) that allows all outbound traffic.
func (c *Service) CreateSecurityGroup(ctx context.Context, who cloud.Caller, in CreateSecurityGroupInput) (*SecurityGroup, error) {
	if err := checkNewGroup(in); err != nil {
		return nil, err
	}
	tags, err := cloud.TagsFor(in.Tags, cloud.KindSecurityGroup)
	if err != nil {
		return nil, err
	}
	var g *SecurityGroup
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		vpc, err := groupVPC(t, in.VpcID)
		if err != nil {
			return err
		}
		siblings, err := cloud.FindIn[SecurityGroup](t, cloud.Key{Name: "vpc-id", Value: vpc.ID})
		if err != nil {
			return err
		}
		for _, s := range siblings {
			// Names are unique in a VPC regardless of case.
			if strings.EqualFold(s.Name, in.Name) {
				return cloud.Errorf(cloud.Duplicate, cloud.KindSecurityGroup, "The security group '%s' already exists for VPC '%s'", in.Name, vpc.ID)
			}
		}
		g = newSecurityGroup(t, vpc, in.Name, in.Description, tags[cloud.KindSecurityGroup])
		return cloud.Put(t, g)
	})
	return g, err
}

// checkNewGroup applies AWS's rules for a new group's name and description.
func checkNewGroup(in CreateSecurityGroupInput) error {
	switch {
	case in.Name == "":
		return cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter GroupName")
	case in.Description == "":
		return cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter GroupDescription")
	case strings.HasPrefix(in.Name, "sg-"):
		return cloud.InvalidParam("Value (%s) for parameter GroupName is invalid. Group names may not be in the format sg-*.", in.Name)
	case in.Name == "default":
		return cloud.Errorf(cloud.ReservedName, cloud.KindSecurityGroup, "The security group 'default' is reserved")
	}
	if err := checkGroupText("GroupName", "name", in.Name); err != nil {
		return err
	}
	return checkGroupText("GroupDescription", "description", in.Description)
}

// groupVPC is the VPC a new group goes in: the given one, else the default.
func groupVPC(t *cloud.Txn, vpcID string) (*VPC, error) {
	if vpcID != "" {
		return cloud.GetIn[VPC](t, vpcID)
	}
	vpc, err := defaultVPC(t)
	if err == nil && vpc == nil {
		err = cloud.Errorf(cloud.NoDefaultVPC, cloud.KindVPC, "No default VPC for this user")
	}
	return vpc, err
}

// DeleteSecurityGroup deletes a group that no network interface uses and no
// other group's rule references. A VPC's default group stays.
func (c *Service) DeleteSecurityGroup(ctx context.Context, who cloud.Caller, ref GroupRef) (*SecurityGroup, error) {
	var g *SecurityGroup
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		var err error
		if g, err = findGroup(t, ref); err != nil {
			return err
		}
		if g.IsDefault() {
			return cloud.Errorf(cloud.CannotDelete, cloud.KindSecurityGroup, "the specified group: \"%s\" name: \"default\" cannot be deleted by a user", g.ID)
		}
		for _, dep := range []struct {
			kind cloud.Kind
			key  string
		}{
			{cloud.KindNetworkInterface, "group-id"},
			{cloud.KindVPCEndpoint, "group-id"},
			{cloud.KindSecurityGroup, "referenced-group-id"},
		} {
			used, err := cloud.Exists(t, dep.kind, cloud.Key{Name: dep.key, Value: g.ID})
			if err != nil {
				return err
			}
			if used {
				return cloud.Errorf(cloud.DependencyViolation, cloud.KindSecurityGroup, "resource %s has a dependent object", g.ID)
			}
		}
		return cloud.Remove(t, g)
	})
	return g, err
}

// SecurityGroupIDs checks the group ids of a DescribeSecurityGroups call
// and adds the ids of the groups it names (names are of the default VPC).
// Every group must exist.
func (c *Service) SecurityGroupIDs(ctx context.Context, who cloud.Caller, ids, names []string) ([]string, error) {
	var out []string
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		var missing []string
		for _, id := range cloud.SortedUnique(ids) {
			if !cloud.WellFormed(id, "sg-") {
				return malformedID(cloud.KindSecurityGroup, id, "sg-")
			}
			_, err := cloud.GetIn[SecurityGroup](t, id)
			if ErrIsNotFound(err) {
				missing = append(missing, id)
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, id)
		}
		if len(missing) > 0 {
			return groupNotFound(missing...)
		}
		if len(names) == 0 {
			return nil
		}
		vpc, err := defaultVPC(t)
		if err != nil {
			return err
		}
		for _, name := range names {
			if vpc == nil {
				return cloud.Errorf(cloud.NotFound, cloud.KindSecurityGroup, "The security group '%s' does not exist in default VPC 'none'", name)
			}
			g, err := groupInDefaultVPC(t, vpc, name)
			if err != nil {
				return err
			}
			out = append(out, g.ID)
		}
		return nil
	})
	return out, err
}

// ErrIsNotFound reports whether err is a domain NotFound refusal.
func ErrIsNotFound(err error) bool {
	var e *cloud.Error
	return errors.As(err, &e) && e.Reason == cloud.NotFound
}
