package network

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/awsservices"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloudstore"
	"github.com/vpcemu/vpcemu/internal/store/sqlite"
)

func TestPrefixListKeepsAThousandVersions(t *testing.T) {
	p := &ManagedPrefixList{Version: 1, Entries: []PrefixListEntry{{CIDR: "10.0.0.0/8"}}}
	for i := range maxPrefixListVersions + 5 {
		p.newVersion([]PrefixListEntry{{CIDR: fmt.Sprintf("10.%d.0.0/16", i%256)}})
	}
	if p.Version != maxPrefixListVersions+6 || len(p.History)+1 != maxPrefixListVersions {
		t.Fatalf("version %d with %d kept", p.Version, len(p.History))
	}
	// The oldest went first.
	if _, err := p.EntriesAt(1); err == nil {
		t.Fatal("version 1 is still kept")
	}
	oldest := p.Version - maxPrefixListVersions + 1
	if _, err := p.EntriesAt(oldest); err != nil {
		t.Fatalf("version %d: %v", oldest, err)
	}
	wantReason(t, func() error { _, err := p.EntriesAt(oldest - 1); return err }(), cloud.InvalidParameter, "", "no version")
}

func TestPrefixListEntriesAreCanonical(t *testing.T) {
	got, err := prefixListEntries("IPv6", []PrefixListEntry{{CIDR: "2001:db8:1::5/48"}, {CIDR: "2001:db8::/32", Description: "all"}, {CIDR: "2001:db8::/48"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2001:db8::/32", "2001:db8::/48", "2001:db8:1::/48"}
	for i, e := range got {
		if e.CIDR != want[i] {
			t.Fatalf("entries %+v, want %v", got, want)
		}
	}
	for _, bad := range []string{"::ffff:10.0.0.0/104", "fe80::1%eth0/64", "2001:db8::/129", "10.0.0.0/8"} {
		if _, err := prefixListEntries("IPv6", []PrefixListEntry{{CIDR: bad}}); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	long := make([]byte, maxEntryDescription+1)
	for i := range long {
		long[i] = 'x'
	}
	_, err = prefixListEntries("IPv4", []PrefixListEntry{{CIDR: "10.0.0.0/8", Description: string(long)}})
	refusedWith(t, err, cloud.InvalidParameter, "long description")
}

func TestPrefixListQuota(t *testing.T) {
	c := newCloud(t)
	ctx := context.Background()
	for i := range c.Limit("prefix-lists") {
		if _, err := c.CreateManagedPrefixList(ctx, alice, CreatePrefixListInput{Name: fmt.Sprint("l", i), AddressFamily: "IPv4", MaxEntries: 1}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.CreateManagedPrefixList(ctx, alice, CreatePrefixListInput{Name: "one too many", AddressFamily: "IPv4", MaxEntries: 1})
	wantReason(t, err, cloud.LimitExceeded, cloud.KindPrefixList, "The maximum number of prefix lists (100) has been reached.")
	// The quota is per account.
	if _, err := c.CreateManagedPrefixList(ctx, bob, CreatePrefixListInput{Name: "bob's", AddressFamily: "IPv4", MaxEntries: 1}); err != nil {
		t.Fatal(err)
	}
}

func TestRuleQuotaCountsPrefixListFamilies(t *testing.T) {
	f := newFixture(t, "")
	v6, err := f.c.CreateManagedPrefixList(f.ctx, f.who, CreatePrefixListInput{Name: "v6", AddressFamily: "IPv6", MaxEntries: 60})
	if err != nil {
		t.Fatal(err)
	}
	f.write(func(t *cloud.Txn) error {
		g := &SecurityGroup{Rules: []SecurityGroupRule{{PrefixListID: v6.ID}}}
		for i := range 60 {
			g.Rules = append(g.Rules, SecurityGroupRule{CIDRIPv4: fmt.Sprintf("10.%d.0.0/16", i)})
		}
		// 60 IPv6 and 60 IPv4: at the quota, not over it.
		if err := checkRuleQuota(t, g, false, nil); err != nil {
			return err
		}
		// One more IPv6 entry is over.
		grown := *v6
		grown.MaxEntries = 61
		wantReason(f.t, checkRuleQuota(t, g, false, &grown), cloud.LimitExceeded, cloud.KindSecurityGroupRule, "")
		// A list that is gone counts once for both families: with 59 IPv4
		// rules, the group is at the quota again.
		g.Rules = append(g.Rules[2:], SecurityGroupRule{PrefixListID: "pl-0000000000000dead"})
		if err := checkRuleQuota(t, g, false, nil); err != nil {
			return err
		}
		g.Rules = append(g.Rules, SecurityGroupRule{CIDRIPv4: "192.0.2.0/24"})
		wantReason(f.t, checkRuleQuota(t, g, false, nil), cloud.LimitExceeded, cloud.KindSecurityGroupRule, "")
		return nil
	})
}

// TestQuotaOverride: a configured quota replaces AWS's default, for every
// account, and is what the use cases enforce.
func TestQuotaOverride(t *testing.T) {
	s, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c := New(cloud.New(cloudstore.New(s), cloud.WithQuotas(map[string]int{"prefix-lists": 2})))
	if c.Limit("prefix-lists") != 2 || c.Limit("gateway-endpoints") != 20 {
		t.Fatalf("limits %d %d", c.Limit("prefix-lists"), c.Limit("gateway-endpoints"))
	}
	ctx := context.Background()
	for _, who := range []cloud.Caller{alice, bob} {
		for i := range 2 {
			if _, err := c.CreateManagedPrefixList(ctx, who, CreatePrefixListInput{Name: fmt.Sprint("l", i), AddressFamily: "IPv4", MaxEntries: 1}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := c.CreateManagedPrefixList(ctx, who, CreatePrefixListInput{Name: "third", AddressFamily: "IPv4", MaxEntries: 1})
		wantReason(t, err, cloud.LimitExceeded, cloud.KindPrefixList, "The maximum number of prefix lists (2) has been reached.")
	}
}

// s3List is the region's AWS-managed list of S3's ranges.
func s3List(t *testing.T, region string) awsservices.PrefixList {
	t.Helper()
	l, ok := awsservices.PrefixListOf(region, "s3")
	if !ok {
		t.Fatalf("no S3 prefix list in %s", region)
	}
	return l
}

// TestPrefixListVersions: each change of entries is a new version; a
// version can be restored as the next one; the caller must name the
// current version.
func TestPrefixListVersions(t *testing.T) {
	f := newFixture(t, "")
	p, err := f.c.CreateManagedPrefixList(f.ctx, f.who, CreatePrefixListInput{Name: "offices", AddressFamily: "IPv4", MaxEntries: 3,
		Entries: []PrefixListEntry{{CIDR: "192.0.2.7/24", Description: "hq"}},
		Tags:    []cloud.TagSpec{{ResourceType: "prefix-list", Tags: []cloud.Tag{{Key: "k", Value: "v"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 1 || p.State != PrefixListCreateComplete || p.AWSManaged() || p.Tags["k"] != "v" || len(p.CIDRs()) != 1 || p.CIDRs()[0] != "192.0.2.0/24" ||
		p.ARN() != "arn:aws:ec2:us-east-1:"+f.who.Account+":prefix-list/"+p.ID {
		t.Fatalf("new list %+v (ARN %s)", p, p.ARN())
	}
	v := func(n int64) *int64 { return &n }
	name := "branch offices"
	p, err = f.c.ModifyManagedPrefixList(f.ctx, f.who, ModifyPrefixListInput{ID: p.ID, CurrentVersion: v(1), Name: &name,
		Add: []PrefixListEntry{{CIDR: "198.51.100.0/24"}, {CIDR: "10.0.0.0/8"}}, Remove: []string{"192.0.2.0/24"}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 2 || p.Name != name || p.State != PrefixListModifyComplete || len(p.Entries) != 2 || p.Entries[0].CIDR != "10.0.0.0/8" {
		t.Fatalf("modified list %+v", p)
	}
	for _, tc := range []struct {
		name   string
		in     ModifyPrefixListInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"entries and size", ModifyPrefixListInput{ID: p.ID, CurrentVersion: v(2), Add: []PrefixListEntry{{CIDR: "1.0.0.0/8"}}, MaxEntries: i32(5)}, cloud.InvalidCombination, "", "You cannot modify the entries of a prefix list and modify the size of a prefix list at the same time."},
		{"no version", ModifyPrefixListInput{ID: p.ID, Remove: []string{"10.0.0.0/8"}}, cloud.MissingParameter, "", "The request must contain the parameter CurrentVersion"},
		{"old version", ModifyPrefixListInput{ID: p.ID, CurrentVersion: v(1), Remove: []string{"10.0.0.0/8"}}, cloud.Conflict, cloud.KindPrefixList, "The prefix list has the incorrect version number."},
		{"reserved name", ModifyPrefixListInput{ID: p.ID, Name: ptrTo("com.amazonaws.mine")}, cloud.InvalidParameter, "", "The name cannot start with com.amazonaws."},
		{"empty name", ModifyPrefixListInput{ID: p.ID, Name: ptrTo("")}, cloud.MissingParameter, "", "The request must contain the parameter PrefixListName"},
		{"size zero", ModifyPrefixListInput{ID: p.ID, MaxEntries: i32(0)}, cloud.InvalidParameter, "", "Must specify a max size between 1 and 1000"},
		{"smaller than its entries", ModifyPrefixListInput{ID: p.ID, MaxEntries: i32(1)}, cloud.InvalidParameter, "", "The maximum number of entries (1) cannot be less than the number of entries in the prefix list (2)."},
		{"remove what it lacks", ModifyPrefixListInput{ID: p.ID, CurrentVersion: v(2), Remove: []string{"172.16.0.0/12"}}, cloud.InvalidParameter, cloud.KindPrefixListEntry, "The prefix list entry 172.16.0.0/12 does not exist."},
		{"add what it has", ModifyPrefixListInput{ID: p.ID, CurrentVersion: v(2), Add: []PrefixListEntry{{CIDR: "10.1.0.0/8"}}}, cloud.InvalidParameter, cloud.KindPrefixListEntry, "The prefix list entry 10.0.0.0/8 already exists."},
		{"add and remove", ModifyPrefixListInput{ID: p.ID, CurrentVersion: v(2), Add: []PrefixListEntry{{CIDR: "1.0.0.0/8"}}, Remove: []string{"1.0.0.0/8"}}, cloud.InvalidParameter, "", "Request cannot contain Cidr 1.0.0.0/8 in both AddPrefixListEntries and RemovePrefixListEntries"},
		{"remove a bad block", ModifyPrefixListInput{ID: p.ID, CurrentVersion: v(2), Remove: []string{"::/0"}}, cloud.InvalidParameter, "", "The CIDR block must be an IPv4 CIDR block for a prefix list of address family IPv4."},
		{"too many", ModifyPrefixListInput{ID: p.ID, CurrentVersion: v(2), Add: []PrefixListEntry{{CIDR: "1.0.0.0/8"}, {CIDR: "2.0.0.0/8"}}}, cloud.LimitExceeded, cloud.KindPrefixListEntry, "The maximum number of entries (3) for prefix list " + p.ID + " has been exceeded."},
		{"unknown list", ModifyPrefixListInput{ID: "pl-0123456789abcdef0", Name: &name}, cloud.NotFound, cloud.KindPrefixList, "The prefix list ID 'pl-0123456789abcdef0' does not exist"},
		{"malformed id", ModifyPrefixListInput{ID: "pl-zz", Name: &name}, cloud.Malformed, cloud.KindPrefixList, `Invalid id: "pl-zz" (expecting "pl-...")`},
		{"AWS's list", ModifyPrefixListInput{ID: s3List(t, f.who.Region).ID, Name: &name}, cloud.OperationNotPermitted, cloud.KindPrefixList, "is managed by AWS and cannot be modified or deleted."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.c.ModifyManagedPrefixList(f.ctx, f.who, tc.in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}

	r, err := f.c.RestoreManagedPrefixListVersion(f.ctx, f.who, p.ID, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if r.Version != 3 || r.State != PrefixListRestoreComplete || len(r.Entries) != 1 || r.Entries[0].Description != "hq" {
		t.Fatalf("restored %+v", r)
	}
	if old, err := r.EntriesAt(2); err != nil || len(old) != 2 {
		t.Fatalf("version 2 kept: %+v %v", old, err)
	}
	_, err = f.c.RestoreManagedPrefixListVersion(f.ctx, f.who, p.ID, 1, 2)
	wantReason(t, err, cloud.Conflict, cloud.KindPrefixList, "incorrect version number")
	_, err = f.c.RestoreManagedPrefixListVersion(f.ctx, f.who, p.ID, 3, 3)
	wantReason(t, err, cloud.InvalidParameter, "", "The prefix list "+p.ID+" is already at version 3.")
	_, err = f.c.RestoreManagedPrefixListVersion(f.ctx, f.who, p.ID, 9, 3)
	wantReason(t, err, cloud.InvalidParameter, "", "The prefix list "+p.ID+" has no version 9.")
	_, err = f.c.RestoreManagedPrefixListVersion(f.ctx, bob, p.ID, 1, 3)
	wantReason(t, err, cloud.NotFound, cloud.KindPrefixList, p.ID)
	// Version 2 has two entries: it does not fit a list of one.
	if _, err := f.c.ModifyManagedPrefixList(f.ctx, f.who, ModifyPrefixListInput{ID: p.ID, MaxEntries: i32(1)}); err != nil {
		t.Fatal(err)
	}
	_, err = f.c.RestoreManagedPrefixListVersion(f.ctx, f.who, p.ID, 2, 3)
	wantReason(t, err, cloud.LimitExceeded, cloud.KindPrefixListEntry, "The maximum number of entries (1) for prefix list "+p.ID+" has been exceeded.")
}

// TestCreatePrefixListRefusals covers what CreateManagedPrefixList checks
// before it creates anything.
func TestCreatePrefixListRefusals(t *testing.T) {
	f := newFixture(t, "")
	for _, tc := range []struct {
		name   string
		in     CreatePrefixListInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"no name", CreatePrefixListInput{AddressFamily: "IPv4", MaxEntries: 1}, cloud.MissingParameter, "", "The request must contain the parameter PrefixListName"},
		{"long name", CreatePrefixListInput{Name: strings.Repeat("n", 256), AddressFamily: "IPv4", MaxEntries: 1}, cloud.InvalidParameter, "", "The name cannot exceed 255 characters."},
		{"AWS's name", CreatePrefixListInput{Name: "com.amazonaws.us-east-1.s3", AddressFamily: "IPv4", MaxEntries: 1}, cloud.InvalidParameter, "", "The name cannot start with com.amazonaws."},
		{"bad family", CreatePrefixListInput{Name: "n", AddressFamily: "ipv4", MaxEntries: 1}, cloud.InvalidParameter, "", "Value (ipv4) for parameter AddressFamily is invalid. Valid values are IPv4 and IPv6."},
		{"too large", CreatePrefixListInput{Name: "n", AddressFamily: "IPv4", MaxEntries: 1001}, cloud.InvalidParameter, "", "Must specify a max size between 1 and 1000"},
		{"entry twice", CreatePrefixListInput{Name: "n", AddressFamily: "IPv4", MaxEntries: 2, Entries: []PrefixListEntry{{CIDR: "10.0.0.1/8"}, {CIDR: "10.0.0.0/8"}}}, cloud.InvalidParameter, "", "The request contains the entry 10.0.0.0/8 more than once."},
		{"more entries than its size", CreatePrefixListInput{Name: "n", AddressFamily: "IPv4", MaxEntries: 1, Entries: []PrefixListEntry{{CIDR: "10.0.0.0/8"}, {CIDR: "11.0.0.0/8"}}}, cloud.LimitExceeded, cloud.KindPrefixListEntry, "The maximum number of entries (1) for prefix list"},
		{"bad tags", CreatePrefixListInput{Name: "n", AddressFamily: "IPv4", MaxEntries: 1, Tags: []cloud.TagSpec{{ResourceType: "vpc"}}}, cloud.InvalidParameter, "", "not a valid taggable resource type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.c.CreateManagedPrefixList(f.ctx, f.who, tc.in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
}

// TestPrefixListReferences: rules and routes that reference a list hold
// it, are its associations, and limit how large it may grow.
func TestPrefixListReferences(t *testing.T) {
	f := newFixture(t, "", cloud.WithQuotas(map[string]int{"rules-per-security-group": 10, "routes-per-route-table": 10}))
	p, err := f.c.CreateManagedPrefixList(f.ctx, f.who, CreatePrefixListInput{Name: "partners", AddressFamily: "IPv4", MaxEntries: 5})
	if err != nil {
		t.Fatal(err)
	}
	g, err := f.c.CreateSecurityGroup(f.ctx, f.who, CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "app", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.c.AuthorizeSecurityGroupRules(f.ctx, f.who, AuthorizeInput{Group: GroupRef{ID: g.ID}, Egress: true,
		Permissions: []Permission{tcp(443, Peer{Kind: PeerPrefixList, PrefixListID: p.ID})}}); err != nil {
		t.Fatal(err)
	}
	var eni *NetworkInterface
	f.write(func(tx *cloud.Txn) (err error) {
		eni, err = CreateInterface(tx, f.subnet, InterfaceSpec{})
		return err
	})
	rtb := f.vpc.MainRouteTableID
	if err := f.c.CreateRoute(f.ctx, f.who, rtb, Route{DestinationPrefixListID: p.ID, NetworkInterfaceID: eni.ID}); err != nil {
		t.Fatal(err)
	}
	assocs, err := f.c.PrefixListAssociations(f.ctx, f.who, p.ID)
	if err != nil || len(assocs) != 2 {
		t.Fatalf("associations %+v %v", assocs, err)
	}
	for _, a := range assocs {
		if (a.ResourceID != g.ID && a.ResourceID != rtb) || a.ResourceOwner != f.who.Account {
			t.Errorf("association %+v", a)
		}
	}
	_, err = f.c.DeleteManagedPrefixList(f.ctx, f.who, p.ID)
	wantReason(t, err, cloud.DependencyViolation, cloud.KindPrefixList, "The prefix list '"+p.ID+"' has dependencies and cannot be deleted.")

	// Growing it to 10 takes the group's egress rules (the list and the
	// allow-all rule) to 11: the change fails, the call does not.
	got, err := f.c.ModifyManagedPrefixList(f.ctx, f.who, ModifyPrefixListInput{ID: p.ID, MaxEntries: i32(10)})
	if err != nil {
		t.Fatal(err)
	}
	if got.State != PrefixListModifyFailed || got.MaxEntries != 5 || !strings.Contains(got.StateMessage, "(10)") || !strings.Contains(got.StateMessage, g.ID) || strings.Contains(got.StateMessage, rtb) {
		t.Fatalf("failed resize %+v", got)
	}
	if got, err := f.c.ModifyManagedPrefixList(f.ctx, f.who, ModifyPrefixListInput{ID: p.ID, MaxEntries: i32(9)}); err != nil || got.State != PrefixListModifyComplete || got.MaxEntries != 9 {
		t.Fatalf("resize within the quotas %+v %v", got, err)
	}
	// A route to a prefix list: only one of the caller's, and not AWS's.
	err = f.c.CreateRoute(f.ctx, f.who, rtb, Route{DestinationPrefixListID: s3List(t, f.who.Region).ID, NetworkInterfaceID: eni.ID})
	wantReason(t, err, cloud.InvalidParameter, "", "An AWS-managed prefix list can be a route destination only through a gateway VPC endpoint.")
	eigw, err := f.c.CreateEgressOnlyInternetGateway(f.ctx, f.who, f.vpc.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	v6, err := f.c.CreateManagedPrefixList(f.ctx, f.who, CreatePrefixListInput{Name: "v6", AddressFamily: "IPv6", MaxEntries: 1})
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.c.CreateRouteTable(f.ctx, f.who, f.vpc.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = f.c.CreateRoute(f.ctx, f.who, other.ID, Route{DestinationPrefixListID: p.ID, EgressOnlyIGWID: eigw.ID})
	wantReason(t, err, cloud.InvalidParameter, "", "An egress-only internet gateway routes only IPv6 traffic.")
	if err := f.c.CreateRoute(f.ctx, f.who, other.ID, Route{DestinationPrefixListID: v6.ID, EgressOnlyIGWID: eigw.ID}); err != nil {
		t.Fatal(err)
	}

	// Unreferenced, it goes.
	if _, err := f.c.RevokeSecurityGroupRules(f.ctx, f.who, RevokeInput{Group: GroupRef{ID: g.ID}, Egress: true,
		Permissions: []Permission{tcp(443, Peer{Kind: PeerPrefixList, PrefixListID: p.ID})}}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.DeleteRoute(f.ctx, f.who, rtb, Route{DestinationPrefixListID: p.ID}); err != nil {
		t.Fatal(err)
	}
	if assocs, err := f.c.PrefixListAssociations(f.ctx, f.who, p.ID); err != nil || len(assocs) != 0 {
		t.Fatalf("associations after both went %+v %v", assocs, err)
	}
	del, err := f.c.DeleteManagedPrefixList(f.ctx, f.who, p.ID)
	if err != nil || del.ID != p.ID {
		t.Fatalf("delete %+v %v", del, err)
	}
	_, err = f.c.GetManagedPrefixList(f.ctx, f.who, p.ID)
	wantReason(t, err, cloud.NotFound, cloud.KindPrefixList, p.ID)
	_, err = f.c.DeleteManagedPrefixList(f.ctx, f.who, s3List(t, f.who.Region).ID)
	wantReason(t, err, cloud.OperationNotPermitted, cloud.KindPrefixList, "")
	_, err = f.c.PrefixListAssociations(f.ctx, f.who, "pl-0123456789abcdef0")
	wantReason(t, err, cloud.NotFound, cloud.KindPrefixList, "")
}

// TestListPrefixLists: DescribeManagedPrefixLists shows the caller's lists
// and its region's AWS-managed ones; DescribePrefixLists AWS's only.
func TestListPrefixLists(t *testing.T) {
	f := newFixture(t, "")
	mine, err := f.c.CreateManagedPrefixList(f.ctx, f.who, CreatePrefixListInput{Name: "mine", AddressFamily: "IPv4", MaxEntries: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.CreateManagedPrefixList(f.ctx, bob, CreatePrefixListInput{Name: "bobs", AddressFamily: "IPv4", MaxEntries: 1}); err != nil {
		t.Fatal(err)
	}
	aws := awsservices.PrefixLists(f.who.Region)
	s3 := s3List(t, f.who.Region)
	var all []string
	q := cloud.Query{Limit: 1}
	for {
		page, err := f.c.ListManagedPrefixLists(f.ctx, f.who, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Items {
			all = append(all, p.ID)
		}
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	if len(all) != len(aws)+1 || !slices.IsSorted(all) || !slices.Contains(all, mine.ID) || !slices.Contains(all, s3.ID) {
		t.Fatalf("listed %v", all)
	}
	page, err := f.c.ListManagedPrefixLists(f.ctx, f.who, cloud.Query{Filters: []cloud.Filter{{Name: "prefix-list-name", Values: []string{"mine"}}}}, func(p *ManagedPrefixList) bool { return p.Name == "mine" })
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != mine.ID {
		t.Fatalf("by name %+v %v", page.Items, err)
	}
	page, err = f.c.ListManagedPrefixLists(f.ctx, f.who, cloud.Query{IDs: []string{s3.ID, mine.ID}}, nil)
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("by ids %+v %v", page.Items, err)
	}
	for _, p := range page.Items {
		if p.ID == s3.ID && (!p.AWSManaged() || p.Name != s3.Name || p.MaxEntries != s3.Weight || !strings.HasPrefix(p.ARN(), "arn:aws:ec2:us-east-1:aws:prefix-list/")) {
			t.Errorf("AWS-managed list %+v %s", p, p.ARN())
		}
	}
	_, err = f.c.ListManagedPrefixLists(f.ctx, f.who, cloud.Query{IDs: []string{mine.ID, "pl-0123456789abcdef0", "pl-0123456789abcdef1"}}, nil)
	wantReason(t, err, cloud.NotFound, cloud.KindPrefixList, "The prefix list IDs 'pl-0123456789abcdef0, pl-0123456789abcdef1' do not exist")
	_, err = f.c.ListManagedPrefixLists(f.ctx, f.who, cloud.Query{IDs: []string{"pl-x"}}, nil)
	wantReason(t, err, cloud.Malformed, cloud.KindPrefixList, "Invalid id")

	page, err = f.c.AWSPrefixLists(f.ctx, f.who, cloud.Query{}, nil)
	if err != nil || len(page.Items) != len(aws) {
		t.Fatalf("AWS's lists %d of %d: %v", len(page.Items), len(aws), err)
	}
	page, err = f.c.AWSPrefixLists(f.ctx, f.who, cloud.Query{IDs: []string{s3.ID}}, nil)
	if err != nil || len(page.Items) != 1 || len(page.Items[0].CIDRs()) != len(s3.CIDRs) {
		t.Fatalf("S3's list %+v %v", page.Items, err)
	}
	_, err = f.c.AWSPrefixLists(f.ctx, f.who, cloud.Query{IDs: []string{mine.ID}}, nil)
	wantReason(t, err, cloud.NotFound, cloud.KindPrefixList, "The prefix list ID '"+mine.ID+"' does not exist")
	_, err = f.c.AWSPrefixLists(f.ctx, f.who, cloud.Query{IDs: []string{"pl-"}}, nil)
	wantReason(t, err, cloud.Malformed, cloud.KindPrefixList, "Invalid id")
	// Another region's lists are not this one's.
	eu := cloud.Caller{Account: f.who.Account, Region: "eu-west-1"}
	_, err = f.c.GetManagedPrefixList(f.ctx, eu, s3.ID)
	if s3List(t, "eu-west-1").ID != s3.ID {
		wantReason(t, err, cloud.NotFound, cloud.KindPrefixList, s3.ID)
	}
}
