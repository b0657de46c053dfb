package network

import (
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

func i32(v int32) *int32 { return &v }

func TestNetworkACLEntryInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   NetworkACLEntryInput
		want NetworkACLEntry
	}{
		{"tcp by name keeps ports",
			NetworkACLEntryInput{RuleNumber: 1, Protocol: "6", RuleAction: "ALLOW", CIDRBlock: "0.0.0.0/0", FromPort: i32(80), ToPort: i32(80), ICMPType: i32(3)},
			NetworkACLEntry{RuleNumber: 1, Protocol: "6", RuleAction: "allow", CIDRBlock: "0.0.0.0/0", FromPort: i32(80), ToPort: i32(80)}},
		{"all drops ports",
			NetworkACLEntryInput{RuleNumber: 32766, Egress: true, Protocol: "-1", RuleAction: "deny", CIDRBlock: "10.0.0.0/8", FromPort: i32(1), ToPort: i32(2)},
			NetworkACLEntry{RuleNumber: 32766, Egress: true, Protocol: "-1", RuleAction: "deny", CIDRBlock: "10.0.0.0/8"}},
		{"icmpv6 with an ipv4 block needs no type",
			NetworkACLEntryInput{RuleNumber: 5, Protocol: "58", RuleAction: "allow", CIDRBlock: "10.0.0.0/8"},
			NetworkACLEntry{RuleNumber: 5, Protocol: "58", RuleAction: "allow", CIDRBlock: "10.0.0.0/8"}},
		{"ipv6 block is canonical",
			NetworkACLEntryInput{RuleNumber: 5, Protocol: "58", RuleAction: "allow", IPv6CIDRBlock: "2001:DB8::/32", ICMPType: i32(-1), ICMPCode: i32(-1), FromPort: i32(1)},
			NetworkACLEntry{RuleNumber: 5, Protocol: "58", RuleAction: "allow", IPv6CIDRBlock: "2001:db8::/32", ICMPType: i32(-1), ICMPCode: i32(-1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.in.entry()
			if err != nil {
				t.Fatal(err)
			}
			if !sameEntry(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func sameEntry(a, b NetworkACLEntry) bool {
	eq := func(x, y *int32) bool { return x == nil && y == nil || x != nil && y != nil && *x == *y }
	return a.RuleNumber == b.RuleNumber && a.Egress == b.Egress && a.Protocol == b.Protocol && a.RuleAction == b.RuleAction &&
		a.CIDRBlock == b.CIDRBlock && a.IPv6CIDRBlock == b.IPv6CIDRBlock &&
		eq(a.FromPort, b.FromPort) && eq(a.ToPort, b.ToPort) && eq(a.ICMPType, b.ICMPType) && eq(a.ICMPCode, b.ICMPCode)
}

func TestNetworkACLAddIPv6Rules(t *testing.T) {
	def := &NetworkACL{IsDefault: true}
	for _, egress := range []bool{true, false} {
		def.Entries = append(def.Entries, AllowAll(egress, false), DenyRest(egress, false))
	}
	// The user changed the ingress rules: no IPv6 allow rule comes in.
	def.Entries = append(def.Entries, NetworkACLEntry{RuleNumber: 50, Protocol: "6", RuleAction: "deny", CIDRBlock: "0.0.0.0/0", FromPort: i32(22), ToPort: i32(22)})
	def.sortEntries()
	def.addIPv6Rules()
	def.addIPv6Rules() // idempotent
	var got []int32
	for _, e := range def.Entries {
		n := e.RuleNumber
		if !e.Egress {
			n = -n
		}
		got = append(got, n)
	}
	want := []int32{100, 101, 32767, 32768, -50, -100, -32767, -32768}
	if len(got) != len(want) {
		t.Fatalf("entries %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("entries %v, want %v (egress positive, ingress negative)", got, want)
		}
	}
}

// aclOf reads the ACL a subnet is associated with, and the association.
func aclOf(f fixture, subnetID string) (*NetworkACL, NetworkACLAssociation) {
	f.t.Helper()
	page, err := cloud.List[NetworkACL](f.ctx, f.c.Cloud, f.who, cloud.Query{Filters: []cloud.Filter{{Name: "association.subnet-id", Values: []string{subnetID}}}}, nil)
	if err != nil || len(page.Items) != 1 {
		f.t.Fatalf("ACLs of %s: %+v %v", subnetID, page.Items, err)
	}
	for _, a := range page.Items[0].Associations {
		if a.SubnetID == subnetID {
			return page.Items[0], a
		}
	}
	f.t.Fatalf("%s has no association of %s", page.Items[0].ID, subnetID)
	return nil, NetworkACLAssociation{}
}

// TestNetworkACLLifecycle: a custom ACL denies all until given rules,
// takes a subnet from the default ACL, and goes once no subnet uses it.
func TestNetworkACLLifecycle(t *testing.T) {
	f := newFixture(t, "")
	def, assoc := aclOf(f, f.subnet.ID)
	if !def.IsDefault || def.ID != f.vpc.DefaultNetworkACLID {
		t.Fatalf("a new subnet's ACL %+v", def)
	}
	acl, err := f.c.CreateNetworkACL(f.ctx, f.who, f.vpc.ID, []cloud.TagSpec{{ResourceType: "network-acl", Tags: []cloud.Tag{{Key: "tier", Value: "db"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if acl.IsDefault || acl.VpcID != f.vpc.ID || len(acl.Entries) != 2 || acl.Tags["tier"] != "db" {
		t.Fatalf("new ACL %+v", acl)
	}
	for i, want := range []NetworkACLEntry{DenyRest(true, false), DenyRest(false, false)} {
		if !sameEntry(acl.Entries[i], want) {
			t.Fatalf("a new ACL's entry %d is %+v, want only the * rules", i, acl.Entries[i])
		}
	}

	newAssoc, err := f.c.ReplaceNetworkACLAssociation(f.ctx, f.who, assoc.ID, acl.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, a := aclOf(f, f.subnet.ID)
	if got.ID != acl.ID || a.ID != newAssoc || newAssoc == assoc.ID {
		t.Fatalf("subnet now in %s by %s (asked %s, new id %s)", got.ID, a.ID, acl.ID, newAssoc)
	}
	if len(readAs[NetworkACL](f, def.ID).Associations) != 0 {
		t.Fatal("the default ACL kept the subnet")
	}
	// The old association id is gone; moving to the same ACL renews the id.
	_, err = f.c.ReplaceNetworkACLAssociation(f.ctx, f.who, assoc.ID, acl.ID)
	wantReason(t, err, cloud.NotFound, cloud.KindNetworkACLAssoc, "The association ID '"+assoc.ID+"' does not exist")
	same, err := f.c.ReplaceNetworkACLAssociation(f.ctx, f.who, newAssoc, acl.ID)
	if err != nil || same == newAssoc {
		t.Fatalf("re-association in place: %s %v", same, err)
	}
	if got := readAs[NetworkACL](f, acl.ID); len(got.Associations) != 1 || got.Associations[0].ID != same {
		t.Fatalf("associations after re-association in place %+v", got.Associations)
	}

	other, err := f.c.CreateVPC(f.ctx, f.who, CreateVPCInput{CIDRBlock: "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		err    error
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"ACL of another VPC", func() error {
			_, err := f.c.ReplaceNetworkACLAssociation(f.ctx, f.who, same, other.DefaultNetworkACLID)
			return err
		}(),
			cloud.InvalidParameter, "", "Network ACL " + other.DefaultNetworkACLID + " does not belong to the VPC of subnet " + f.subnet.ID},
		{"unknown ACL", func() error {
			_, err := f.c.ReplaceNetworkACLAssociation(f.ctx, f.who, same, "acl-0123456789abcdef0")
			return err
		}(),
			cloud.NotFound, cloud.KindNetworkACL, "The networkAcl ID 'acl-0123456789abcdef0' does not exist"},
		{"delete the default", f.c.DeleteNetworkACL(f.ctx, f.who, def.ID), cloud.InvalidParameter, "", "cannot delete default network ACL " + def.ID},
		{"delete in use", f.c.DeleteNetworkACL(f.ctx, f.who, acl.ID), cloud.DependencyViolation, cloud.KindNetworkACL, "The networkAcl '" + acl.ID + "' has dependencies and cannot be deleted."},
		{"delete another account's", f.c.DeleteNetworkACL(f.ctx, bob, acl.ID), cloud.NotFound, cloud.KindNetworkACL, acl.ID},
		{"create in unknown VPC", func() error { _, err := f.c.CreateNetworkACL(f.ctx, f.who, "vpc-0123456789abcdef0", nil); return err }(),
			cloud.NotFound, cloud.KindVPC, "does not exist"},
		{"create with a subnet's tags", func() error {
			_, err := f.c.CreateNetworkACL(f.ctx, f.who, f.vpc.ID, []cloud.TagSpec{{ResourceType: "subnet"}})
			return err
		}(), cloud.InvalidParameter, "", "'subnet' is not a valid taggable resource type"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantReason(t, tc.err, tc.reason, tc.kind, tc.msg) })
	}
	// A VPC with a custom ACL cannot go.
	spare, err := f.c.CreateNetworkACL(f.ctx, f.who, other.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantReason(t, f.c.DeleteVPC(f.ctx, f.who, other.ID), cloud.DependencyViolation, cloud.KindVPC, "The vpc '"+other.ID+"' has dependencies and cannot be deleted.")
	if err := f.c.DeleteNetworkACL(f.ctx, f.who, spare.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.c.DeleteVPC(f.ctx, f.who, other.ID); err != nil {
		t.Fatal(err)
	}
	// Back with the default ACL, the custom one can go.
	if _, err := f.c.ReplaceNetworkACLAssociation(f.ctx, f.who, same, def.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.c.DeleteNetworkACL(f.ctx, f.who, acl.ID); err != nil {
		t.Fatal(err)
	}
}

// TestNetworkACLQuota: network-acls-per-vpc counts the default ACL.
func TestNetworkACLQuota(t *testing.T) {
	f := newFixture(t, "", cloud.WithQuotas(map[string]int{"network-acls-per-vpc": 2, "network-acl-entries": 3}))
	acl, err := f.c.CreateNetworkACL(f.ctx, f.who, f.vpc.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.c.CreateNetworkACL(f.ctx, f.who, f.vpc.ID, nil)
	wantReason(t, err, cloud.LimitExceeded, cloud.KindNetworkACL, "The maximum number of network ACLs for vpc "+f.vpc.ID+" has been reached.")

	// Three rules per direction and family, the * rule included.
	in := func(n int32, egress bool, block string) NetworkACLEntryInput {
		e := NetworkACLEntryInput{NetworkACLID: acl.ID, RuleNumber: n, Egress: egress, Protocol: "-1", RuleAction: "allow", CIDRBlock: block}
		if block == "::/0" {
			e.CIDRBlock, e.IPv6CIDRBlock = "", block
		}
		return e
	}
	for _, e := range []NetworkACLEntryInput{in(10, false, "10.0.0.0/8"), in(20, false, "10.0.0.0/8"), in(10, true, "0.0.0.0/0"), in(11, false, "::/0")} {
		if err := f.c.CreateNetworkACLEntry(f.ctx, f.who, e); err != nil {
			t.Fatal(err)
		}
	}
	err = f.c.CreateNetworkACLEntry(f.ctx, f.who, in(30, false, "10.0.0.0/8"))
	wantReason(t, err, cloud.LimitExceeded, cloud.KindNetworkACLEntry, "The maximum number of entries for network acl "+acl.ID+" has been reached.")
	// Replacing a rule does not count it twice.
	if err := f.c.ReplaceNetworkACLEntry(f.ctx, f.who, in(20, false, "192.168.0.0/16")); err != nil {
		t.Fatal(err)
	}
}

// TestNetworkACLEntries: rules are stored as EC2 lists them, replaced in
// place and deleted by number and direction; the * rules stay.
func TestNetworkACLEntries(t *testing.T) {
	f := newFixture(t, "")
	acl, err := f.c.CreateNetworkACL(f.ctx, f.who, f.vpc.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	entries := func() []NetworkACLEntry { return readAs[NetworkACL](f, acl.ID).Entries }
	for _, in := range []NetworkACLEntryInput{
		{RuleNumber: 200, Protocol: "6", RuleAction: "ALLOW", CIDRBlock: "10.0.0.1/8", FromPort: i32(443), ToPort: i32(443)},
		{RuleNumber: 100, Protocol: "17", RuleAction: "deny", CIDRBlock: "0.0.0.0/0", FromPort: i32(53), ToPort: i32(53)},
		{RuleNumber: 100, Egress: true, Protocol: "1", RuleAction: "allow", CIDRBlock: "0.0.0.0/0", ICMPType: i32(8), ICMPCode: i32(-1)},
		{RuleNumber: 110, Egress: true, Protocol: "58", RuleAction: "allow", IPv6CIDRBlock: "2001:DB8::/32", ICMPType: i32(-1), ICMPCode: i32(-1)},
	} {
		in.NetworkACLID = acl.ID
		if err := f.c.CreateNetworkACLEntry(f.ctx, f.who, in); err != nil {
			t.Fatalf("%+v: %v", in, err)
		}
	}
	want := []NetworkACLEntry{
		{RuleNumber: 100, Egress: true, Protocol: "1", RuleAction: "allow", CIDRBlock: "0.0.0.0/0", ICMPType: i32(8), ICMPCode: i32(-1)},
		{RuleNumber: 110, Egress: true, Protocol: "58", RuleAction: "allow", IPv6CIDRBlock: "2001:db8::/32", ICMPType: i32(-1), ICMPCode: i32(-1)},
		DenyRest(true, false),
		{RuleNumber: 100, Protocol: "17", RuleAction: "deny", CIDRBlock: "0.0.0.0/0", FromPort: i32(53), ToPort: i32(53)},
		{RuleNumber: 200, Protocol: "6", RuleAction: "allow", CIDRBlock: "10.0.0.0/8", FromPort: i32(443), ToPort: i32(443)},
		DenyRest(false, false),
	}
	got := entries()
	if len(got) != len(want) {
		t.Fatalf("entries %+v", got)
	}
	for i := range want {
		if !sameEntry(got[i], want[i]) {
			t.Errorf("entry %d: %+v, want %+v", i, got[i], want[i])
		}
	}

	// Replace rule 200 ingress with a deny.
	if err := f.c.ReplaceNetworkACLEntry(f.ctx, f.who, NetworkACLEntryInput{NetworkACLID: acl.ID, RuleNumber: 200, Protocol: "-1", RuleAction: "deny", CIDRBlock: "10.0.0.0/8"}); err != nil {
		t.Fatal(err)
	}
	if e := entries()[4]; e.RuleNumber != 200 || e.RuleAction != "deny" || e.Protocol != "-1" || e.FromPort != nil {
		t.Fatalf("replaced rule %+v", e)
	}
	if err := f.c.DeleteNetworkACLEntry(f.ctx, f.who, acl.ID, true, 110); err != nil {
		t.Fatal(err)
	}
	if n := len(entries()); n != 5 {
		t.Fatalf("%d entries after a delete", n)
	}

	for _, tc := range []struct {
		name   string
		err    error
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"duplicate", f.c.CreateNetworkACLEntry(f.ctx, f.who, NetworkACLEntryInput{NetworkACLID: acl.ID, RuleNumber: 100, Protocol: "-1", RuleAction: "allow", CIDRBlock: "0.0.0.0/0"}),
			cloud.Duplicate, cloud.KindNetworkACLEntry, "The network acl entry identified by 100 already exists."},
		{"replace missing", f.c.ReplaceNetworkACLEntry(f.ctx, f.who, NetworkACLEntryInput{NetworkACLID: acl.ID, RuleNumber: 300, Protocol: "-1", RuleAction: "allow", CIDRBlock: "0.0.0.0/0"}),
			cloud.NotFound, cloud.KindNetworkACLEntry, "no ingress entry with number 300 exists in network acl " + acl.ID},
		{"delete missing", f.c.DeleteNetworkACLEntry(f.ctx, f.who, acl.ID, true, 110),
			cloud.NotFound, cloud.KindNetworkACLEntry, "no egress entry with number 110 exists in network acl " + acl.ID},
		{"delete the * rule", f.c.DeleteNetworkACLEntry(f.ctx, f.who, acl.ID, false, AllRulesNumber),
			cloud.InvalidParameter, "", "Value (32767) for parameter ruleNumber is invalid. Rule numbers must be between 1 and 32766."},
		{"unknown ACL", f.c.CreateNetworkACLEntry(f.ctx, f.who, NetworkACLEntryInput{NetworkACLID: "acl-0123456789abcdef0", RuleNumber: 1, Protocol: "-1", RuleAction: "allow", CIDRBlock: "0.0.0.0/0"}),
			cloud.NotFound, cloud.KindNetworkACL, "does not exist"},
		{"replace in unknown ACL", f.c.ReplaceNetworkACLEntry(f.ctx, f.who, NetworkACLEntryInput{NetworkACLID: "acl-0123456789abcdef0", RuleNumber: 1, Protocol: "-1", RuleAction: "allow", CIDRBlock: "0.0.0.0/0"}),
			cloud.NotFound, cloud.KindNetworkACL, "does not exist"},
		{"delete in unknown ACL", f.c.DeleteNetworkACLEntry(f.ctx, f.who, "acl-0123456789abcdef0", true, 1),
			cloud.NotFound, cloud.KindNetworkACL, "does not exist"},
		{"bad input", f.c.ReplaceNetworkACLEntry(f.ctx, f.who, NetworkACLEntryInput{NetworkACLID: acl.ID, RuleNumber: 100, Protocol: "tcp", RuleAction: "allow", CIDRBlock: "0.0.0.0/0"}),
			cloud.InvalidParameter, "", "Invalid value 'tcp' for IP protocol. Unknown protocol."},
		{"another account's ACL", f.c.CreateNetworkACLEntry(f.ctx, bob, NetworkACLEntryInput{NetworkACLID: acl.ID, RuleNumber: 1, Protocol: "-1", RuleAction: "allow", CIDRBlock: "0.0.0.0/0"}),
			cloud.NotFound, cloud.KindNetworkACL, acl.ID},
	} {
		t.Run(tc.name, func(t *testing.T) { wantReason(t, tc.err, tc.reason, tc.kind, tc.msg) })
	}
}

// TestIPv6BlockAddsACLRules: when a VPC gains an Amazon IPv6 block, every
// ACL of it gets the IPv6 * rules, and the default ACL allows IPv6 too.
func TestIPv6BlockAddsACLRules(t *testing.T) {
	f := newFixture(t, "")
	acl, err := f.c.CreateNetworkACL(f.ctx, f.who, f.vpc.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, assoc, err := f.c.AssociateVPCCIDRBlock(f.ctx, f.who, f.vpc.ID, "", true, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(assoc.CIDR, "2600:1f") || !strings.HasSuffix(assoc.CIDR, "::/56") || assoc.IPv6Pool != "Amazon" || assoc.NetworkBorderGroup != f.who.Region {
		t.Fatalf("Amazon IPv6 block %+v", assoc)
	}
	// The default ACL allows IPv6 both ways (101), then denies the rest
	// (32768); the custom one only denies it.
	hasEntry := func(acl *NetworkACL, want NetworkACLEntry) bool {
		for _, e := range acl.Entries {
			if sameEntry(e, want) {
				return true
			}
		}
		return false
	}
	def := readAs[NetworkACL](f, f.vpc.DefaultNetworkACLID)
	for _, egress := range []bool{true, false} {
		if !hasEntry(def, AllowAll(egress, true)) || !hasEntry(def, DenyRest(egress, true)) {
			t.Errorf("default ACL after IPv6 (egress %v): %+v", egress, def.Entries)
		}
	}
	got := readAs[NetworkACL](f, acl.ID)
	if len(got.Entries) != 4 || !hasEntry(got, DenyRest(false, true)) || hasEntry(got, AllowAll(false, true)) {
		t.Fatalf("custom ACL after IPv6 %+v", got.Entries)
	}
	// A new ACL of the VPC starts with them.
	if acl2, err := f.c.CreateNetworkACL(f.ctx, f.who, f.vpc.ID, nil); err != nil || len(acl2.Entries) != 4 {
		t.Fatalf("new ACL of an IPv6 VPC %+v %v", acl2, err)
	}
}
