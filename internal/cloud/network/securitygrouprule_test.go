package network

import (
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// groupFixture is the fixture's VPC with a group "app" in it.
type groupFixture struct {
	fixture
	app *SecurityGroup
}

func newGroupFixture(t *testing.T, opts ...cloud.Option) *groupFixture {
	t.Helper()
	f := &groupFixture{fixture: newFixture(t, "", opts...)}
	f.app = f.group(f.vpc.ID, "app")
	return f
}

func (f *groupFixture) group(vpcID, name string) *SecurityGroup {
	f.t.Helper()
	g, err := f.c.CreateSecurityGroup(f.ctx, f.who, CreateSecurityGroupInput{VpcID: vpcID, Name: name, Description: name + " servers"})
	if err != nil {
		f.t.Fatal(err)
	}
	return g
}

// authorize adds ingress rules to app and returns the new ones.
func (f *groupFixture) authorize(perms ...Permission) []SecurityGroupRule {
	f.t.Helper()
	_, added, err := f.c.AuthorizeSecurityGroupRules(f.ctx, f.who, AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: perms})
	if err != nil {
		f.t.Fatal(err)
	}
	return added
}

func (f *groupFixture) rules(id string) []SecurityGroupRule {
	return readAs[SecurityGroup](f.fixture, id).Rules
}

func tcp(port int32, peers ...Peer) Permission {
	return Permission{Protocol: "tcp", FromPort: &port, ToPort: &port, Peers: peers}
}

func cidrPeer(block string) Peer { return Peer{Kind: PeerIPv4, CIDR: block} }

// TestAuthorizeSecurityGroupRules: one rule per peer, stored canonical and
// tagged as asked; a rule the group has, or the same one twice, is refused.
func TestAuthorizeSecurityGroupRules(t *testing.T) {
	f := newGroupFixture(t)
	web := f.group(f.vpc.ID, "web")
	g, added, err := f.c.AuthorizeSecurityGroupRules(f.ctx, f.who, AuthorizeInput{
		Group: GroupRef{ID: f.app.ID},
		Permissions: []Permission{
			tcp(22, Peer{Kind: PeerIPv4, CIDR: "10.1.2.3/16", Description: "admins"}, Peer{Kind: PeerIPv6, CIDR: "2001:DB8::/32"}),
			{Protocol: "17", FromPort: i32(53), ToPort: i32(53), Peers: []Peer{{Kind: PeerGroup, GroupID: web.ID}}},
			{Protocol: "icmp", FromPort: i32(8), ToPort: i32(-1), Peers: []Peer{cidrPeer("0.0.0.0/0")}},
			{Protocol: "50", FromPort: i32(1), ToPort: i32(2), Peers: []Peer{cidrPeer("192.0.2.0/24")}},
		},
		Tags: []cloud.TagSpec{{ResourceType: "security-group-rule", Tags: []cloud.Tag{{Key: "team", Value: "ops"}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 5 || len(g.Rules) != 6 {
		t.Fatalf("added %d rules, group has %d", len(added), len(g.Rules))
	}
	want := []SecurityGroupRule{
		{Protocol: "tcp", FromPort: 22, ToPort: 22, CIDRIPv4: "10.1.0.0/16", Description: "admins"},
		{Protocol: "tcp", FromPort: 22, ToPort: 22, CIDRIPv6: "2001:db8::/32"},
		{Protocol: "udp", FromPort: 53, ToPort: 53, ReferencedGroupID: web.ID, ReferencedGroupOwner: f.who.Account},
		{Protocol: "icmp", FromPort: 8, ToPort: -1, CIDRIPv4: "0.0.0.0/0"},
		{Protocol: "50", FromPort: -1, ToPort: -1, CIDRIPv4: "192.0.2.0/24"},
	}
	for i, w := range want {
		r := added[i]
		if r.Egress || r.Protocol != w.Protocol || r.FromPort != w.FromPort || r.ToPort != w.ToPort || r.Peer() != w.Peer() ||
			r.ReferencedGroupOwner != w.ReferencedGroupOwner || r.Description != w.Description || r.Tags["team"] != "ops" || !cloud.WellFormed(r.ID, "sgr-") {
			t.Errorf("rule %d: %+v, want %+v", i, r, w)
		}
	}
	if got := readAs[SecurityGroup](f.fixture, f.app.ID).rule(added[2].ID); got.ReferencedGroupName != "web" {
		t.Errorf("referenced group's name on read: %+v", got)
	}
	// web is referenced now: it cannot go.
	_, err = f.c.DeleteSecurityGroup(f.ctx, f.who, GroupRef{ID: web.ID})
	wantReason(t, err, cloud.DependencyViolation, cloud.KindSecurityGroup, "resource "+web.ID+" has a dependent object")

	other, err := f.c.CreateVPC(f.ctx, f.who, CreateVPCInput{CIDRBlock: "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	far := f.group(other.ID, "far")
	bobs, err := f.c.CreateSecurityGroup(f.ctx, bob, CreateSecurityGroupInput{Name: "bobs", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		in     AuthorizeInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"no permissions", AuthorizeInput{Group: GroupRef{ID: f.app.ID}}, cloud.MissingParameter, "", "Missing source specification: include source security group or CIDR information"},
		{"no peers", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(80)}}, cloud.MissingParameter, "", "Missing source specification"},
		{"exists", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(22, Peer{Kind: PeerIPv4, CIDR: "10.1.0.0/16", Description: "other words"})}},
			cloud.Duplicate, cloud.KindPermission, `the specified rule "peer: 10.1.0.0/16, TCP, from port: 22, to port: 22, ALLOW" already exists`},
		{"twice in the request", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(80, cidrPeer("1.0.0.0/8")), tcp(80, cidrPeer("1.0.0.0/8"))}},
			cloud.InvalidParameter, "", "The same permission must not appear multiple times"},
		{"bad tag type", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(80, cidrPeer("1.0.0.0/8"))}, Tags: []cloud.TagSpec{{ResourceType: "security-group"}}},
			cloud.InvalidParameter, "", "'security-group' is not a valid taggable resource type"},
		{"bad description", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(80, Peer{Kind: PeerIPv4, CIDR: "1.0.0.0/8", Description: "naïve"})}},
			cloud.InvalidParameter, "", "Invalid rule description."},
		{"group of another VPC", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(80, Peer{Kind: PeerGroup, GroupID: far.ID})}},
			cloud.NotFound, cloud.KindSecurityGroup, "You have specified two resources that belong to different networks."},
		{"group of another owner than named", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(80, Peer{Kind: PeerGroup, GroupID: web.ID, UserID: bob.Account})}},
			cloud.NotFound, cloud.KindSecurityGroup, "The security group '" + web.ID + "' does not exist"},
		{"malformed group", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(80, Peer{Kind: PeerGroup, GroupID: "sg-xyz"})}},
			cloud.Malformed, cloud.KindSecurityGroup, `Invalid id: "sg-xyz" (expecting "sg-...")`},
		{"group peer without a group", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(80, Peer{Kind: PeerGroup})}},
			cloud.MissingParameter, "", "Missing source specification"},
		{"peer of no kind", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(80, Peer{})}},
			cloud.MissingParameter, "", "Missing source specification"},
		{"name of another account's group", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(80, Peer{Kind: PeerGroup, GroupName: "bobs", UserID: bob.Account})}},
			cloud.NotFound, cloud.KindSecurityGroup, "The security group 'bobs' does not exist in default VPC 'none'"},
		{"name not in the default VPC", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(80, Peer{Kind: PeerGroup, GroupName: "app"})}},
			cloud.NotFound, cloud.KindSecurityGroup, "The security group 'app' does not exist in default VPC '"},
		{"malformed prefix list", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(80, Peer{Kind: PeerPrefixList, PrefixListID: "pl-1"})}},
			cloud.Malformed, cloud.KindPrefixList, `Invalid id: "pl-1" (expecting "pl-...")`},
		{"unknown prefix list", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(80, Peer{Kind: PeerPrefixList, PrefixListID: "pl-0123456789abcdef0"})}},
			cloud.NotFound, cloud.KindPrefixList, "The prefix list ID 'pl-0123456789abcdef0' does not exist"},
		{"bad block", AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(80, cidrPeer("10.0.0.0/33"))}},
			cloud.InvalidParameter, "", "CIDR block 10.0.0.0/33 is malformed"},
		{"unknown group", AuthorizeInput{Group: GroupRef{ID: "sg-0123456789abcdef0"}, Permissions: []Permission{tcp(80, cidrPeer("1.0.0.0/8"))}},
			cloud.NotFound, cloud.KindSecurityGroup, "The security group 'sg-0123456789abcdef0' does not exist"},
		{"no group", AuthorizeInput{Permissions: []Permission{tcp(80, cidrPeer("1.0.0.0/8"))}},
			cloud.MissingParameter, "", "The request must contain the parameter groupName or groupId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := f.c.AuthorizeSecurityGroupRules(f.ctx, f.who, tc.in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	// Another account's group is found by id, but it is in another VPC:
	// without a peering connection it cannot be referenced.
	_, _, err = f.c.AuthorizeSecurityGroupRules(f.ctx, f.who, AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(443, Peer{Kind: PeerGroup, GroupID: bobs.ID, UserID: bob.Account})}})
	wantReason(t, err, cloud.NotFound, cloud.KindSecurityGroup, "You have specified two resources that belong to different networks.")
	// In the default VPC, a group is named by name, and so is its peer.
	def, err := f.c.CreateSecurityGroup(f.ctx, f.who, CreateSecurityGroupInput{Name: "lb", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	g, added, err = f.c.AuthorizeSecurityGroupRules(f.ctx, f.who, AuthorizeInput{Group: GroupRef{Name: "lb"}, Egress: true,
		Permissions: []Permission{tcp(8080, Peer{Kind: PeerGroup, GroupName: "default"})}})
	if err != nil || g.ID != def.ID || !added[0].Egress || added[0].ReferencedGroupID == "" {
		t.Fatalf("egress rule by names: %+v %+v %v", g, added, err)
	}
}

// TestRevokeSecurityGroupRules: rules go by id or by what they allow; a
// rule the group lacks fails the call outside the default VPC and is
// reported in it.
func TestRevokeSecurityGroupRules(t *testing.T) {
	f := newGroupFixture(t)
	added := f.authorize(tcp(22, cidrPeer("10.0.0.0/8")), tcp(80, cidrPeer("0.0.0.0/0")), tcp(443, cidrPeer("0.0.0.0/0")))
	egress := f.rules(f.app.ID)[0]
	for _, tc := range []struct {
		name   string
		in     RevokeInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"nothing", RevokeInput{Group: GroupRef{ID: f.app.ID}}, cloud.MissingParameter, "", "Missing source specification"},
		{"missing rule", RevokeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(25, cidrPeer("0.0.0.0/0"))}},
			cloud.NotFound, cloud.KindPermission, "The specified rule does not exist in this security group."},
		{"rule of the other direction", RevokeInput{Group: GroupRef{ID: f.app.ID}, RuleIDs: []string{egress.ID}},
			cloud.NotFound, cloud.KindSecurityGroupRule, "The security group rule ID '" + egress.ID + "' does not exist"},
		{"malformed rule id", RevokeInput{Group: GroupRef{ID: f.app.ID}, RuleIDs: []string{"sgr-1"}},
			cloud.Malformed, cloud.KindSecurityGroupRule, `Invalid id: "sgr-1" (expecting "sgr-...")`},
		{"bad protocol", RevokeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{{Protocol: "gre", Peers: []Peer{cidrPeer("0.0.0.0/0")}}}},
			cloud.InvalidParameter, "", "Invalid value 'gre' for IP protocol. Unknown protocol."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.c.RevokeSecurityGroupRules(f.ctx, f.who, tc.in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	if n := len(f.rules(f.app.ID)); n != 4 {
		t.Fatalf("refused revokes left %d rules", n)
	}
	res, err := f.c.RevokeSecurityGroupRules(f.ctx, f.who, RevokeInput{Group: GroupRef{ID: f.app.ID},
		RuleIDs:     []string{added[0].ID},
		Permissions: []Permission{tcp(80, Peer{Kind: PeerIPv4, CIDR: "0.0.0.0/0", Description: "descriptions do not matter"})}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Revoked) != 2 || res.Revoked[0].ID != added[0].ID || res.Revoked[1].ID != added[1].ID || len(res.Unknown) != 0 || res.Group.ID != f.app.ID {
		t.Fatalf("revoked %+v", res)
	}
	if rules := f.rules(f.app.ID); len(rules) != 2 || rules[1].ID != added[2].ID {
		t.Fatalf("rules left %+v", rules)
	}

	// In the default VPC, what is missing is reported, the rest revoked.
	def, err := f.c.CreateSecurityGroup(f.ctx, f.who, CreateSecurityGroupInput{Name: "lb", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.c.AuthorizeSecurityGroupRules(f.ctx, f.who, AuthorizeInput{Group: GroupRef{Name: "lb"}, Permissions: []Permission{tcp(80, cidrPeer("0.0.0.0/0"))}}); err != nil {
		t.Fatal(err)
	}
	res, err = f.c.RevokeSecurityGroupRules(f.ctx, f.who, RevokeInput{Group: GroupRef{Name: "lb"},
		Permissions: []Permission{tcp(80, cidrPeer("0.0.0.0/0")), tcp(81, cidrPeer("0.0.0.0/0"))}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Revoked) != 1 || len(res.Unknown) != 1 || res.Unknown[0].FromPort != 81 || res.Group.ID != def.ID {
		t.Fatalf("default VPC revoke %+v", res)
	}
}

// TestModifySecurityGroupRules: a rule is redefined in place, keeping its
// id, direction and tags; its peer keeps its kind.
func TestModifySecurityGroupRules(t *testing.T) {
	f := newGroupFixture(t)
	added := f.authorize(tcp(22, cidrPeer("10.0.0.0/8")), tcp(80, cidrPeer("0.0.0.0/0")))
	if err := f.c.CreateTags(f.ctx, f.who, []string{added[0].ID}, []cloud.Tag{{Key: "Name", Value: "ssh"}}); err != nil {
		t.Fatal(err)
	}
	err := f.c.ModifySecurityGroupRules(f.ctx, f.who, f.app.ID, []RuleUpdate{{ID: added[0].ID,
		Permission: Permission{Protocol: "tcp", FromPort: i32(2222), ToPort: i32(2222), Peers: []Peer{{Kind: PeerIPv4, CIDR: "10.9.0.0/16", Description: "moved"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	r := readAs[SecurityGroup](f.fixture, f.app.ID).rule(added[0].ID)
	if r.FromPort != 2222 || r.CIDRIPv4 != "10.9.0.0/16" || r.Description != "moved" || r.Tags["Name"] != "ssh" || r.Egress {
		t.Fatalf("modified rule %+v", r)
	}
	two := []Peer{cidrPeer("1.0.0.0/8"), cidrPeer("2.0.0.0/8")}
	for _, tc := range []struct {
		name    string
		group   string
		updates []RuleUpdate
		reason  cloud.Reason
		kind    cloud.Kind
		msg     string
	}{
		{"no peer", f.app.ID, []RuleUpdate{{ID: added[0].ID, Permission: Permission{Protocol: "tcp"}}}, cloud.MissingParameter, "", "Either 'CidrIpv4', 'CidrIpv6', 'PrefixListId' or 'ReferencedGroupId' should be provided."},
		{"two peers", f.app.ID, []RuleUpdate{{ID: added[0].ID, Permission: Permission{Protocol: "tcp", Peers: two}}}, cloud.InvalidCombination, "", "Only one of 'CidrIpv4', 'CidrIpv6', 'PrefixListId' or 'ReferencedGroupId' can be provided."},
		{"no protocol", f.app.ID, []RuleUpdate{{ID: added[0].ID, Permission: Permission{Peers: two[:1]}}}, cloud.InvalidParameter, "", "Invalid value 'null' for protocol. VPC security group rules must specify protocols explicitly."},
		{"other peer kind", f.app.ID, []RuleUpdate{{ID: added[0].ID, Permission: Permission{Protocol: "-1", Peers: []Peer{{Kind: PeerIPv6, CIDR: "::/0"}}}}}, cloud.InvalidParameter, "",
			"Invalid rule type for security group rule '" + added[0].ID + "'. You may not specify CidrIpv6 for an existing IPv4 CIDR rule."},
		{"same as another", f.app.ID, []RuleUpdate{{ID: added[0].ID, Permission: tcp(80, cidrPeer("0.0.0.0/0"))}}, cloud.Duplicate, cloud.KindPermission, "already exists"},
		{"unknown rule", f.app.ID, []RuleUpdate{{ID: "sgr-0123456789abcdef0", Permission: tcp(1, cidrPeer("0.0.0.0/0"))}}, cloud.NotFound, cloud.KindSecurityGroupRule, "The security group rule ID 'sgr-0123456789abcdef0' does not exist"},
		{"malformed rule", f.app.ID, []RuleUpdate{{ID: "rule-1"}}, cloud.Malformed, cloud.KindSecurityGroupRule, "Invalid id"},
		{"bad ports", f.app.ID, []RuleUpdate{{ID: added[0].ID, Permission: Permission{Protocol: "tcp", FromPort: i32(5), ToPort: i32(1), Peers: two[:1]}}}, cloud.Malformed, cloud.KindPermission, "Invalid TCP/UDP port range (5 to 1)"},
		{"malformed group", "sg-1", nil, cloud.Malformed, cloud.KindSecurityGroup, "Invalid id"},
		{"unknown group", "sg-0123456789abcdef0", nil, cloud.NotFound, cloud.KindSecurityGroup, "The security group 'sg-0123456789abcdef0' does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantReason(t, f.c.ModifySecurityGroupRules(f.ctx, f.who, tc.group, tc.updates), tc.reason, tc.kind, tc.msg)
		})
	}
	if got := readAs[SecurityGroup](f.fixture, f.app.ID).rule(added[0].ID); got.FromPort != 2222 {
		t.Fatalf("a refused modify changed the rule: %+v", got)
	}
}

// TestUpdateRuleDescriptions: by definition (the peer's description) and
// by id; an empty description removes it.
func TestUpdateRuleDescriptions(t *testing.T) {
	f := newGroupFixture(t)
	added := f.authorize(tcp(22, Peer{Kind: PeerIPv4, CIDR: "10.0.0.0/8", Description: "old"}), tcp(80, cidrPeer("0.0.0.0/0")))
	err := f.c.UpdateSecurityGroupRuleDescriptions(f.ctx, f.who, UpdateDescriptionsInput{Group: GroupRef{ID: f.app.ID},
		Permissions: []Permission{tcp(22, Peer{Kind: PeerIPv4, CIDR: "10.0.0.0/8"})},
		ByID:        []RuleDescription{{ID: added[1].ID, Description: "web"}}})
	if err != nil {
		t.Fatal(err)
	}
	g := readAs[SecurityGroup](f.fixture, f.app.ID)
	if g.rule(added[0].ID).Description != "" || g.rule(added[1].ID).Description != "web" {
		t.Fatalf("descriptions %+v", g.Rules)
	}
	for _, tc := range []struct {
		name   string
		in     UpdateDescriptionsInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"nothing", UpdateDescriptionsInput{Group: GroupRef{ID: f.app.ID}}, cloud.MissingParameter, "", "Either 'ipPermissions' or 'securityGroupRuleDescriptions' should be provided."},
		{"missing rule", UpdateDescriptionsInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(23, cidrPeer("10.0.0.0/8"))}}, cloud.NotFound, cloud.KindPermission, "The specified rule does not exist in this security group."},
		{"bad description", UpdateDescriptionsInput{Group: GroupRef{ID: f.app.ID}, ByID: []RuleDescription{{ID: added[0].ID, Description: "<script>"}}}, cloud.InvalidParameter, "", "Invalid rule description."},
		{"bad description by definition", UpdateDescriptionsInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(22, Peer{Kind: PeerIPv4, CIDR: "10.0.0.0/8", Description: "é"})}}, cloud.InvalidParameter, "", "Invalid rule description."},
		{"egress id as ingress", UpdateDescriptionsInput{Group: GroupRef{ID: f.app.ID}, Egress: true, ByID: []RuleDescription{{ID: added[0].ID}}}, cloud.NotFound, cloud.KindSecurityGroupRule, "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantReason(t, f.c.UpdateSecurityGroupRuleDescriptions(f.ctx, f.who, tc.in), tc.reason, tc.kind, tc.msg)
		})
	}
}

// TestListSecurityGroupRules: by rule ids (all must exist), by groups (a
// group that does not exist is just a filter value), or all, in id order,
// a page at a time.
func TestListSecurityGroupRules(t *testing.T) {
	f := newGroupFixture(t)
	added := f.authorize(tcp(22, cidrPeer("10.0.0.0/8")), tcp(80, cidrPeer("0.0.0.0/0")), tcp(443, cidrPeer("0.0.0.0/0")))
	ids := func(page cloud.Page[*GroupRule]) []string {
		var out []string
		for _, gr := range page.Items {
			out = append(out, gr.Rule.ID)
		}
		return out
	}
	page, err := f.c.ListSecurityGroupRules(f.ctx, f.who, RuleQuery{IDs: []string{added[2].ID, added[0].ID, added[0].ID}}, nil)
	first, second := min(added[0].ID, added[2].ID), max(added[0].ID, added[2].ID)
	if err != nil || len(page.Items) != 2 || page.Items[0].Rule.ID != first || page.Items[1].Rule.ID != second || page.Items[0].Group.ID != f.app.ID {
		t.Fatalf("by ids: %v %v", ids(page), err)
	}
	_, err = f.c.ListSecurityGroupRules(f.ctx, f.who, RuleQuery{IDs: []string{added[0].ID, "sgr-0123456789abcdef0"}}, nil)
	wantReason(t, err, cloud.NotFound, cloud.KindSecurityGroupRule, "The security group rule ID 'sgr-0123456789abcdef0' does not exist")
	_, err = f.c.ListSecurityGroupRules(f.ctx, bob, RuleQuery{IDs: []string{added[0].ID}}, nil)
	wantReason(t, err, cloud.NotFound, cloud.KindSecurityGroupRule, added[0].ID)
	_, err = f.c.ListSecurityGroupRules(f.ctx, f.who, RuleQuery{IDs: []string{"sgr-x"}}, nil)
	wantReason(t, err, cloud.Malformed, cloud.KindSecurityGroupRule, "Invalid id")
	_, err = f.c.ListSecurityGroupRules(f.ctx, f.who, RuleQuery{GroupIDs: []string{"sg-x"}}, nil)
	wantReason(t, err, cloud.Malformed, cloud.KindSecurityGroup, "Invalid id")

	page, err = f.c.ListSecurityGroupRules(f.ctx, f.who, RuleQuery{GroupIDs: []string{f.app.ID, "sg-0123456789abcdef0"}}, nil)
	if err != nil || len(page.Items) != 4 {
		t.Fatalf("by group: %v %v", ids(page), err)
	}
	// All of alice's rules: app's four, and those of her two VPCs' default
	// groups (two each).
	var all []string
	q := RuleQuery{Limit: 3}
	for {
		page, err := f.c.ListSecurityGroupRules(f.ctx, f.who, q, func(gr *GroupRule) bool { return !gr.Rule.Egress || gr.Group.ID == f.app.ID })
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ids(page)...)
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	if len(all) != 6 {
		t.Fatalf("paged through %d rules: %v", len(all), all)
	}
	for i := 1; i < len(all); i++ {
		if all[i-1] >= all[i] {
			t.Fatalf("rules not in id order: %v", all)
		}
	}
}

// TestRuleTags: a rule's tags are the kernel's tag use cases' too: they
// are set, listed and deleted by rule id, held by the group.
func TestRuleTags(t *testing.T) {
	f := newGroupFixture(t)
	added := f.authorize(tcp(22, cidrPeer("10.0.0.0/8")))
	if err := f.c.CreateTags(f.ctx, f.who, []string{added[0].ID, f.app.ID}, []cloud.Tag{{Key: "env", Value: "prod"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := f.c.DescribeTags(f.ctx, f.who, func(d cloud.TagDescription) bool { return d.Key == "env" })
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{added[0].ID: "security-group-rule", f.app.ID: "security-group"}
	if len(tags) != 2 {
		t.Fatalf("tags %+v", tags)
	}
	for _, d := range tags {
		if want[d.ResourceID] != d.ResourceType || d.Value != "prod" {
			t.Errorf("tag %+v", d)
		}
	}
	if err := f.c.DeleteTags(f.ctx, f.who, []string{added[0].ID}, nil); err != nil {
		t.Fatal(err)
	}
	if r := readAs[SecurityGroup](f.fixture, f.app.ID).rule(added[0].ID); len(r.Tags) != 0 {
		t.Fatalf("rule's tags after DeleteTags %v", r.Tags)
	}
	if g := readAs[SecurityGroup](f.fixture, f.app.ID); g.Tags["env"] != "prod" {
		t.Fatalf("the group lost its own tags: %v", g.Tags)
	}
	err = f.c.CreateTags(f.ctx, bob, []string{added[0].ID}, []cloud.Tag{{Key: "k", Value: "v"}})
	wantReason(t, err, cloud.NotFound, cloud.KindSecurityGroupRule, "The security group rule ID '"+added[0].ID+"' does not exist")
}

// TestRuleQuota: rules-per-security-group counts each direction apart.
func TestRuleQuota(t *testing.T) {
	f := newGroupFixture(t, cloud.WithQuotas(map[string]int{"rules-per-security-group": 2}))
	f.authorize(tcp(22, cidrPeer("10.0.0.0/8")), tcp(80, cidrPeer("10.0.0.0/8")))
	_, _, err := f.c.AuthorizeSecurityGroupRules(f.ctx, f.who, AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(443, cidrPeer("10.0.0.0/8"))}})
	wantReason(t, err, cloud.LimitExceeded, cloud.KindSecurityGroupRule, "The maximum number of rules per security group has been reached.")
	// IPv6 rules count apart; a group reference counts for both.
	f.authorize(tcp(443, Peer{Kind: PeerIPv6, CIDR: "::/0"}))
	_, _, err = f.c.AuthorizeSecurityGroupRules(f.ctx, f.who, AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{tcp(443, Peer{Kind: PeerGroup, GroupID: f.app.ID})}})
	wantReason(t, err, cloud.LimitExceeded, cloud.KindSecurityGroupRule, "")
	// Egress has its own count: the group's one rule and one more.
	_, _, err = f.c.AuthorizeSecurityGroupRules(f.ctx, f.who, AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Egress: true, Permissions: []Permission{tcp(443, cidrPeer("10.0.0.0/8"))}})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPeeredGroupRules: a rule may reference a group of a VPC peered in
// the region, while the connection is active; it goes stale when the
// connection closes or the group is deleted.
func TestPeeredGroupRules(t *testing.T) {
	f := newGroupFixture(t)
	other, err := f.c.CreateVPC(f.ctx, bob, CreateVPCInput{CIDRBlock: "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	far, err := f.c.CreateSecurityGroup(f.ctx, bob, CreateSecurityGroupInput{VpcID: other.ID, Name: "far", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	pcx, err := f.c.CreateVPCPeeringConnection(f.ctx, f.who, CreatePeeringInput{VpcID: f.vpc.ID, PeerVpcID: other.ID, PeerOwnerID: bob.Account})
	if err != nil {
		t.Fatal(err)
	}
	peer := tcp(5432, Peer{Kind: PeerGroup, GroupID: far.ID, UserID: bob.Account})
	_, _, err = f.c.AuthorizeSecurityGroupRules(f.ctx, f.who, AuthorizeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{peer}})
	wantReason(t, err, cloud.NotFound, cloud.KindSecurityGroup, "belong to different networks")
	if _, err := f.c.AcceptVPCPeeringConnection(f.ctx, bob, pcx.ID); err != nil {
		t.Fatal(err)
	}
	added := f.authorize(peer)
	r := readAs[SecurityGroup](f.fixture, f.app.ID).rule(added[0].ID)
	if r.ReferencedVpcID != other.ID || r.PeeringConnectionID != pcx.ID || r.PeeringStatus != PeeringActive || r.ReferencedGroupName != "far" || r.ReferencedGroupOwner != bob.Account {
		t.Fatalf("rule through a peering %+v", r)
	}
	stale, err := f.c.StaleSecurityGroups(f.ctx, f.who, f.vpc.ID, "", 0)
	if err != nil || len(stale.Items) != 0 {
		t.Fatalf("stale groups while active: %+v %v", stale.Items, err)
	}
	// A group of a peered VPC is not held by the rule: it may go.
	if _, err := f.c.DeleteSecurityGroup(f.ctx, bob, GroupRef{ID: far.ID}); err != nil {
		t.Fatal(err)
	}
	stale, err = f.c.StaleSecurityGroups(f.ctx, f.who, f.vpc.ID, "", 0)
	if err != nil || len(stale.Items) != 1 || stale.Items[0].Group.ID != f.app.ID || len(stale.Items[0].Rules) != 1 || stale.Items[0].Rules[0].ID != added[0].ID {
		t.Fatalf("stale groups after the peer group went: %+v %v", stale.Items, err)
	}
	// A stale rule still goes by its definition.
	res, err := f.c.RevokeSecurityGroupRules(f.ctx, f.who, RevokeInput{Group: GroupRef{ID: f.app.ID}, Permissions: []Permission{peer}})
	if err != nil || len(res.Revoked) != 1 {
		t.Fatalf("revoke a stale rule: %+v %v", res, err)
	}
	_, err = f.c.StaleSecurityGroups(f.ctx, f.who, "vpc-0123456789abcdef0", "", 0)
	wantReason(t, err, cloud.NotFound, cloud.KindVPC, "does not exist")
}

// TestStaleRulesOfClosedPeering: deleting the connection makes every rule
// through it stale, listed a page at a time.
func TestStaleRulesOfClosedPeering(t *testing.T) {
	f := newGroupFixture(t)
	other, err := f.c.CreateVPC(f.ctx, f.who, CreateVPCInput{CIDRBlock: "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	far := f.group(other.ID, "far")
	pcx, err := f.c.CreateVPCPeeringConnection(f.ctx, f.who, CreatePeeringInput{VpcID: f.vpc.ID, PeerVpcID: other.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.AcceptVPCPeeringConnection(f.ctx, f.who, pcx.ID); err != nil {
		t.Fatal(err)
	}
	groups := []*SecurityGroup{f.app, f.group(f.vpc.ID, "b"), f.group(f.vpc.ID, "c")}
	for _, g := range groups {
		if _, _, err := f.c.AuthorizeSecurityGroupRules(f.ctx, f.who, AuthorizeInput{Group: GroupRef{ID: g.ID}, Permissions: []Permission{tcp(1, Peer{Kind: PeerGroup, GroupID: far.ID})}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.c.DeleteVPCPeeringConnection(f.ctx, f.who, pcx.ID); err != nil {
		t.Fatal(err)
	}
	var seen []string
	after := ""
	for {
		page, err := f.c.StaleSecurityGroups(f.ctx, f.who, f.vpc.ID, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, sg := range page.Items {
			if sg.Rules[0].PeeringStatus != PeeringDeleted {
				t.Errorf("stale rule %+v", sg.Rules[0])
			}
			seen = append(seen, sg.Group.ID)
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	if len(seen) != 3 {
		t.Fatalf("stale groups %v", seen)
	}
}

// TestSecurityGroupNames: names are unique per VPC whatever their case,
// and some are not allowed; DescribeSecurityGroups' ids and names are
// checked.
func TestSecurityGroupNames(t *testing.T) {
	f := newGroupFixture(t)
	for _, tc := range []struct {
		name   string
		in     CreateSecurityGroupInput
		reason cloud.Reason
		msg    string
	}{
		{"no name", CreateSecurityGroupInput{VpcID: f.vpc.ID, Description: "d"}, cloud.MissingParameter, "The request must contain the parameter GroupName"},
		{"no description", CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "n"}, cloud.MissingParameter, "The request must contain the parameter GroupDescription"},
		{"like an id", CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "sg-web", Description: "d"}, cloud.InvalidParameter, "Group names may not be in the format sg-*."},
		{"default", CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "default", Description: "d"}, cloud.ReservedName, "The security group 'default' is reserved"},
		{"not ASCII", CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "café", Description: "d"}, cloud.InvalidParameter, "Value (café) for parameter GroupName is invalid. Character sets beyond ASCII are not supported."},
		{"bad character", CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "a<b", Description: "d"}, cloud.InvalidParameter, "Invalid security group name."},
		{"bad description", CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "n", Description: "a|b"}, cloud.InvalidParameter, "Invalid security group description."},
		{"taken in another case", CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "APP", Description: "d"}, cloud.Duplicate, "The security group 'APP' already exists for VPC '" + f.vpc.ID + "'"},
		{"bad tag type", CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "n", Description: "d", Tags: []cloud.TagSpec{{ResourceType: "vpc"}}}, cloud.InvalidParameter, "not a valid taggable resource type"},
		{"unknown VPC", CreateSecurityGroupInput{VpcID: "vpc-0123456789abcdef0", Name: "n", Description: "d"}, cloud.NotFound, "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.c.CreateSecurityGroup(f.ctx, f.who, tc.in)
			var kind cloud.Kind
			switch tc.reason {
			case cloud.ReservedName, cloud.Duplicate:
				kind = cloud.KindSecurityGroup
			case cloud.NotFound:
				kind = cloud.KindVPC
			}
			wantReason(t, err, tc.reason, kind, tc.msg)
		})
	}
	// The same name is fine in another VPC.
	other, err := f.c.CreateVPC(f.ctx, f.who, CreateVPCInput{CIDRBlock: "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	f.group(other.ID, "app")
	def, err := f.c.CreateSecurityGroup(f.ctx, f.who, CreateSecurityGroupInput{Name: "lb", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := f.c.SecurityGroupIDs(f.ctx, f.who, []string{f.app.ID, f.app.ID}, []string{"lb", "default"})
	if err != nil || len(ids) != 3 || ids[0] != f.app.ID || ids[1] != def.ID {
		t.Fatalf("ids %v %v", ids, err)
	}
	_, err = f.c.SecurityGroupIDs(f.ctx, f.who, []string{"sg-0123456789abcdef1", "sg-0123456789abcdef0"}, nil)
	wantReason(t, err, cloud.NotFound, cloud.KindSecurityGroup, "The security groups 'sg-0123456789abcdef0, sg-0123456789abcdef1' do not exist")
	_, err = f.c.SecurityGroupIDs(f.ctx, f.who, []string{"sg-1"}, nil)
	wantReason(t, err, cloud.Malformed, cloud.KindSecurityGroup, `Invalid id: "sg-1" (expecting "sg-...")`)
	_, err = f.c.SecurityGroupIDs(f.ctx, f.who, nil, []string{"app"})
	wantReason(t, err, cloud.NotFound, cloud.KindSecurityGroup, "The security group 'app' does not exist in default VPC '")

	// A group goes by name in the default VPC; the default group never.
	if _, err := f.c.DeleteSecurityGroup(f.ctx, f.who, GroupRef{Name: "lb"}); err != nil {
		t.Fatal(err)
	}
	defGroup := readAs[VPC](f.fixture, f.vpc.ID).DefaultSecurityGroupID
	_, err = f.c.DeleteSecurityGroup(f.ctx, f.who, GroupRef{ID: defGroup})
	wantReason(t, err, cloud.CannotDelete, cloud.KindSecurityGroup, `the specified group: "`+defGroup+`" name: "default" cannot be deleted by a user`)
	_, err = f.c.DeleteSecurityGroup(f.ctx, f.who, GroupRef{})
	wantReason(t, err, cloud.MissingParameter, "", "The request must contain the parameter groupName or groupId")
}
