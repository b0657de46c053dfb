package ec2_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// The AWS-managed lists of us-east-1, with their real ids.
const (
	s3List  = "pl-63a5400a"
	ddbList = "pl-02cd2c6b"
)

// plEnv is a fixture for prefix list tests (routing's VPC helpers included).
type plEnv struct{ *routing }

func newPLEnv(t *testing.T) plEnv { return plEnv{newRouting(t)} }

func entries(cidrs ...string) []types.AddPrefixListEntry {
	out := make([]types.AddPrefixListEntry, 0, len(cidrs))
	for _, c := range cidrs {
		out = append(out, types.AddPrefixListEntry{Cidr: aws.String(c)})
	}
	return out
}

// list creates a customer-managed list and returns its id.
func (e plEnv) list(name, family string, max int32, cidrs ...string) string {
	e.t.Helper()
	out, err := e.c.CreateManagedPrefixList(e.ctx, &ec2.CreateManagedPrefixListInput{
		PrefixListName: aws.String(name), AddressFamily: aws.String(family), MaxEntries: aws.Int32(max), Entries: entries(cidrs...),
	})
	e.must(err)
	return aws.ToString(out.PrefixList.PrefixListId)
}

func (e plEnv) describeList(id string) types.ManagedPrefixList {
	e.t.Helper()
	out, err := e.c.DescribeManagedPrefixLists(e.ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{id}})
	e.must(err)
	if len(out.PrefixLists) != 1 {
		e.t.Fatalf("describe %s: %+v", id, out.PrefixLists)
	}
	return out.PrefixLists[0]
}

// cidrsOf lists a list's entries (of a version, when given).
func (e plEnv) cidrsOf(id string, version *int64) []string {
	e.t.Helper()
	out, err := e.c.GetManagedPrefixListEntries(e.ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: &id, TargetVersion: version})
	e.must(err)
	var cidrs []string
	for _, en := range out.Entries {
		cidrs = append(cidrs, aws.ToString(en.Cidr))
	}
	return cidrs
}

func (e plEnv) associations(id string) []string {
	e.t.Helper()
	out, err := e.c.GetManagedPrefixListAssociations(e.ctx, &ec2.GetManagedPrefixListAssociationsInput{PrefixListId: &id})
	e.must(err)
	var ids []string
	for _, a := range out.PrefixListAssociations {
		if aws.ToString(a.ResourceOwner) != emulatortest.AccountA {
			e.t.Errorf("association owner %q", aws.ToString(a.ResourceOwner))
		}
		ids = append(ids, aws.ToString(a.ResourceId))
	}
	return ids
}

func TestAWSManagedPrefixLists(t *testing.T) {
	e := newPLEnv(t)
	out, err := e.c.DescribePrefixLists(e.ctx, &ec2.DescribePrefixListsInput{})
	e.must(err)
	if len(out.PrefixLists) != 2 {
		t.Fatalf("DescribePrefixLists: %+v", out.PrefixLists)
	}
	byName := map[string]types.PrefixList{}
	for _, p := range out.PrefixLists {
		byName[aws.ToString(p.PrefixListName)] = p
	}
	s3, ddb := byName["com.amazonaws.us-east-1.s3"], byName["com.amazonaws.us-east-1.dynamodb"]
	if aws.ToString(s3.PrefixListId) != s3List || !slices.Contains(s3.Cidrs, "52.216.0.0/15") ||
		aws.ToString(ddb.PrefixListId) != ddbList || !slices.Contains(ddb.Cidrs, "52.94.0.0/22") {
		t.Fatalf("lists: %+v", out.PrefixLists)
	}

	// The same lists, ids and ranges in every account of the region.
	other, err := e.as(emulatortest.AccountB).DescribePrefixLists(e.ctx, &ec2.DescribePrefixListsInput{PrefixListIds: []string{s3List}})
	e.must(err)
	if len(other.PrefixLists) != 1 || !slices.Equal(other.PrefixLists[0].Cidrs, s3.Cidrs) {
		t.Fatalf("account B: %+v", other.PrefixLists)
	}
	// Another region has its own.
	eu, err := emulatortest.EC2(e.em, emulatortest.AccountA, "eu-west-1").DescribePrefixLists(e.ctx, &ec2.DescribePrefixListsInput{
		Filters: []types.Filter{{Name: aws.String("prefix-list-name"), Values: []string{"com.amazonaws.eu-west-1.s3"}}}})
	e.must(err)
	if len(eu.PrefixLists) != 1 || aws.ToString(eu.PrefixLists[0].PrefixListId) != "pl-6da54004" {
		t.Fatalf("eu-west-1: %+v", eu.PrefixLists)
	}

	// Customer-managed lists are not AWS's.
	mine := e.list("office", "IPv4", 5, "198.51.100.0/24")
	checkFilters(t, []filterCase{
		{"prefix-list-name", []string{"com.amazonaws.us-east-1.s3"}, []string{s3List}},
		{"prefix-list-name", []string{"com.amazonaws.*"}, []string{s3List, ddbList}},
		{"prefix-list-name", []string{"office"}, nil},
		{"prefix-list-id", []string{ddbList}, []string{ddbList}},
	}, func(f types.Filter) ([]string, error) {
		out, err := e.c.DescribePrefixLists(e.ctx, &ec2.DescribePrefixListsInput{Filters: []types.Filter{f}})
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, p := range out.PrefixLists {
			ids = append(ids, aws.ToString(p.PrefixListId))
		}
		return ids, nil
	})
	page, err := e.c.DescribePrefixLists(e.ctx, &ec2.DescribePrefixListsInput{MaxResults: aws.Int32(1)})
	e.must(err)
	rest, err := e.c.DescribePrefixLists(e.ctx, &ec2.DescribePrefixListsInput{MaxResults: aws.Int32(1), NextToken: page.NextToken})
	e.must(err)
	if len(page.PrefixLists) != 1 || page.NextToken == nil || len(rest.PrefixLists) != 1 || rest.NextToken != nil ||
		aws.ToString(page.PrefixLists[0].PrefixListId) == aws.ToString(rest.PrefixLists[0].PrefixListId) {
		t.Fatalf("paging: %+v then %+v", page, rest)
	}
	checkRefusals(t, []refusal{
		{"customer list", func() error {
			_, err := e.c.DescribePrefixLists(e.ctx, &ec2.DescribePrefixListsInput{PrefixListIds: []string{mine}})
			return err
		}, "InvalidPrefixListID.NotFound", "The prefix list ID '" + mine + "' does not exist"},
		{"another region's list", func() error {
			_, err := e.c.DescribePrefixLists(e.ctx, &ec2.DescribePrefixListsInput{PrefixListIds: []string{"pl-6da54004", s3List}})
			return err
		}, "InvalidPrefixListID.NotFound", "pl-6da54004"},
		{"malformed id", func() error {
			_, err := e.c.DescribePrefixLists(e.ctx, &ec2.DescribePrefixListsInput{PrefixListIds: []string{"pl-nope"}})
			return err
		}, "InvalidPrefixListId.Malformed", "pl-nope"},
		{"unknown filter", func() error {
			_, err := e.c.DescribePrefixLists(e.ctx, &ec2.DescribePrefixListsInput{Filters: []types.Filter{{Name: aws.String("owner-id"), Values: []string{"AWS"}}}})
			return err
		}, "InvalidParameterValue", "The filter 'owner-id' is invalid"},
	})

	// DescribeManagedPrefixLists shows them too, owned by AWS, without a version.
	managed, err := e.c.DescribeManagedPrefixLists(e.ctx, &ec2.DescribeManagedPrefixListsInput{
		Filters: []types.Filter{{Name: aws.String("owner-id"), Values: []string{"AWS"}}}})
	e.must(err)
	if len(managed.PrefixLists) != 2 {
		t.Fatalf("owner-id=AWS: %+v", managed.PrefixLists)
	}
	for _, p := range managed.PrefixLists {
		id := aws.ToString(p.PrefixListId)
		if aws.ToString(p.OwnerId) != "AWS" || aws.ToString(p.PrefixListArn) != "arn:aws:ec2:us-east-1:aws:prefix-list/"+id ||
			p.State != types.PrefixListStateCreateComplete || aws.ToString(p.AddressFamily) != "IPv4" || p.Version != nil || aws.ToInt32(p.MaxEntries) != 1 {
			t.Errorf("AWS-managed list: %+v", p)
		}
	}
	if got := e.cidrsOf(s3List, nil); !slices.Equal(got, s3.Cidrs) {
		t.Errorf("entries of %s: %v, want %v", s3List, got, s3.Cidrs)
	}
}

func TestManagedPrefixListLifecycle(t *testing.T) {
	e := newPLEnv(t)
	created, err := e.c.CreateManagedPrefixList(e.ctx, &ec2.CreateManagedPrefixListInput{
		PrefixListName:    aws.String("corp"),
		AddressFamily:     aws.String("IPv4"),
		MaxEntries:        aws.Int32(5),
		Entries:           []types.AddPrefixListEntry{{Cidr: aws.String("10.1.0.0/16"), Description: aws.String("hq")}, {Cidr: aws.String("10.0.0.9/16")}},
		TagSpecifications: nameTag(types.ResourceTypePrefixList, "corp"),
	})
	e.must(err)
	p := created.PrefixList
	id := aws.ToString(p.PrefixListId)
	if !strings.HasPrefix(id, "pl-") || len(id) != 20 || p.State != types.PrefixListStateCreateInProgress || aws.ToInt64(p.Version) != 1 ||
		aws.ToString(p.OwnerId) != emulatortest.AccountA || aws.ToString(p.PrefixListArn) != "arn:aws:ec2:us-east-1:"+emulatortest.AccountA+":prefix-list/"+id ||
		aws.ToInt32(p.MaxEntries) != 5 || aws.ToString(p.Tags[0].Value) != "corp" {
		t.Fatalf("create answer: %+v", p)
	}
	if d := e.describeList(id); d.State != types.PrefixListStateCreateComplete || aws.ToString(d.PrefixListName) != "corp" {
		t.Fatalf("describe: %+v", d)
	}
	// Entries come back canonical and in address order.
	entriesOut, err := e.c.GetManagedPrefixListEntries(e.ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: &id})
	e.must(err)
	if len(entriesOut.Entries) != 2 || aws.ToString(entriesOut.Entries[0].Cidr) != "10.0.0.0/16" || entriesOut.Entries[0].Description != nil ||
		aws.ToString(entriesOut.Entries[1].Cidr) != "10.1.0.0/16" || aws.ToString(entriesOut.Entries[1].Description) != "hq" {
		t.Fatalf("entries: %+v", entriesOut.Entries)
	}

	// Changing entries makes a version; renaming does not.
	mod, err := e.c.ModifyManagedPrefixList(e.ctx, &ec2.ModifyManagedPrefixListInput{
		PrefixListId: &id, CurrentVersion: aws.Int64(1),
		AddEntries: entries("192.168.0.0/24"), RemoveEntries: []types.RemovePrefixListEntry{{Cidr: aws.String("10.1.0.0/16")}},
	})
	e.must(err)
	if mod.PrefixList.State != types.PrefixListStateModifyInProgress || aws.ToInt64(mod.PrefixList.Version) != 2 {
		t.Fatalf("modify answer: %+v", mod.PrefixList)
	}
	if d := e.describeList(id); d.State != types.PrefixListStateModifyComplete || aws.ToInt64(d.Version) != 2 {
		t.Fatalf("after modify: %+v", d)
	}
	if got := e.cidrsOf(id, nil); !slices.Equal(got, []string{"10.0.0.0/16", "192.168.0.0/24"}) {
		t.Fatalf("version 2: %v", got)
	}
	if got := e.cidrsOf(id, aws.Int64(1)); !slices.Equal(got, []string{"10.0.0.0/16", "10.1.0.0/16"}) {
		t.Fatalf("version 1: %v", got)
	}
	_, err = e.c.ModifyManagedPrefixList(e.ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: &id, PrefixListName: aws.String("corp-networks")})
	e.must(err)
	if d := e.describeList(id); aws.ToString(d.PrefixListName) != "corp-networks" || aws.ToInt64(d.Version) != 2 {
		t.Fatalf("after rename: %+v", d)
	}

	// Restoring an old version makes a new one with its entries.
	res, err := e.c.RestoreManagedPrefixListVersion(e.ctx, &ec2.RestoreManagedPrefixListVersionInput{
		PrefixListId: &id, PreviousVersion: aws.Int64(1), CurrentVersion: aws.Int64(2)})
	e.must(err)
	if res.PrefixList.State != types.PrefixListStateRestoreInProgress || aws.ToInt64(res.PrefixList.Version) != 3 {
		t.Fatalf("restore answer: %+v", res.PrefixList)
	}
	if d := e.describeList(id); d.State != types.PrefixListStateRestoreComplete || aws.ToInt64(d.Version) != 3 {
		t.Fatalf("after restore: %+v", d)
	}
	if got := e.cidrsOf(id, nil); !slices.Equal(got, []string{"10.0.0.0/16", "10.1.0.0/16"}) {
		t.Fatalf("restored entries: %v", got)
	}

	// Resizing keeps the version.
	_, err = e.c.ModifyManagedPrefixList(e.ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: &id, MaxEntries: aws.Int32(20)})
	e.must(err)
	if d := e.describeList(id); aws.ToInt32(d.MaxEntries) != 20 || aws.ToInt64(d.Version) != 3 || d.State != types.PrefixListStateModifyComplete {
		t.Fatalf("after resize: %+v", d)
	}

	// Tags work like any resource's.
	_, err = e.c.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("net")}}})
	e.must(err)
	_, err = e.c.DeleteTags(e.ctx, &ec2.DeleteTagsInput{Resources: []string{id}, Tags: []types.Tag{{Key: aws.String("Name")}}})
	e.must(err)
	if d := e.describeList(id); len(d.Tags) != 1 || aws.ToString(d.Tags[0].Key) != "team" {
		t.Fatalf("tags: %+v", d.Tags)
	}

	del, err := e.c.DeleteManagedPrefixList(e.ctx, &ec2.DeleteManagedPrefixListInput{PrefixListId: &id})
	e.must(err)
	if del.PrefixList.State != types.PrefixListStateDeleteInProgress {
		t.Fatalf("delete answer: %+v", del.PrefixList)
	}
	_, err = e.c.DescribeManagedPrefixLists(e.ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{id}})
	e.wantErr(err, "InvalidPrefixListID.NotFound", "The prefix list ID '"+id+"' does not exist")
	_, err = e.c.DeleteManagedPrefixList(e.ctx, &ec2.DeleteManagedPrefixListInput{PrefixListId: &id})
	e.wantErr(err, "InvalidPrefixListID.NotFound", id)

	// A dry run checks and creates nothing.
	_, err = e.c.CreateManagedPrefixList(e.ctx, &ec2.CreateManagedPrefixListInput{
		PrefixListName: aws.String("dry"), AddressFamily: aws.String("IPv6"), MaxEntries: aws.Int32(1), DryRun: aws.Bool(true)})
	e.wantErr(err, "DryRunOperation", "")
	ipv6 := e.list("v6", "IPv6", 2, "2001:db8::1/32")
	if got := e.cidrsOf(ipv6, nil); !slices.Equal(got, []string{"2001:db8::/32"}) {
		t.Fatalf("IPv6 entries: %v", got)
	}
}

func TestDescribeManagedPrefixLists(t *testing.T) {
	e := newPLEnv(t)
	web := e.list("web", "IPv4", 3, "192.0.2.0/24")
	_, err := e.c.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{web}, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
	e.must(err)
	db := e.list("db", "IPv6", 3)
	// Lists of another account are not the caller's.
	other, err := e.as(emulatortest.AccountB).CreateManagedPrefixList(e.ctx, &ec2.CreateManagedPrefixListInput{
		PrefixListName: aws.String("web"), AddressFamily: aws.String("IPv4"), MaxEntries: aws.Int32(1)})
	e.must(err)
	otherID := aws.ToString(other.PrefixList.PrefixListId)

	checkFilters(t, []filterCase{
		{"owner-id", []string{emulatortest.AccountA}, []string{web, db}},
		{"owner-id", []string{"AWS"}, []string{s3List, ddbList}},
		{"prefix-list-id", []string{web, s3List}, []string{web, s3List}},
		{"prefix-list-name", []string{"web"}, []string{web}},
		{"prefix-list-name", []string{"com.amazonaws.us-east-1.dynamodb", "db"}, []string{ddbList, db}},
		{"tag:env", []string{"prod"}, []string{web}},
		{"tag-key", []string{"env"}, []string{web}},
		{"tag-value", []string{"prod"}, []string{web}},
	}, func(f types.Filter) ([]string, error) {
		out, err := e.c.DescribeManagedPrefixLists(e.ctx, &ec2.DescribeManagedPrefixListsInput{Filters: []types.Filter{f}})
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, p := range out.PrefixLists {
			ids = append(ids, aws.ToString(p.PrefixListId))
		}
		return ids, nil
	})

	// Paging walks the caller's lists and AWS's, once each.
	var seen []string
	var token *string
	for {
		out, err := e.c.DescribeManagedPrefixLists(e.ctx, &ec2.DescribeManagedPrefixListsInput{MaxResults: aws.Int32(1), NextToken: token})
		e.must(err)
		for _, p := range out.PrefixLists {
			seen = append(seen, aws.ToString(p.PrefixListId))
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	sameIDs(t, seen, []string{web, db, s3List, ddbList})
	if len(seen) != 4 {
		t.Fatalf("paged ids: %v", seen)
	}

	_, err = e.c.DescribeManagedPrefixLists(e.ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{otherID}})
	e.wantErr(err, "InvalidPrefixListID.NotFound", otherID)
	_, err = e.c.DescribeManagedPrefixLists(e.ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{"pl-bad"}})
	e.wantErr(err, "InvalidPrefixListId.Malformed", "pl-bad")
	_, err = e.c.DescribeManagedPrefixLists(e.ctx, &ec2.DescribeManagedPrefixListsInput{Filters: []types.Filter{{Name: aws.String("address-family"), Values: []string{"IPv4"}}}})
	e.wantErr(err, "InvalidParameterValue", "The filter 'address-family' is invalid")
}

func TestManagedPrefixListRefusals(t *testing.T) {
	e := newPLEnv(t)
	id := e.list("full", "IPv4", 2, "10.0.0.0/8", "172.16.0.0/12")
	roomy := e.list("roomy", "IPv4", 10, "10.0.0.0/8")
	create := func(name, family string, max int32, cidrs ...string) func() error {
		return func() error {
			_, err := e.c.CreateManagedPrefixList(e.ctx, &ec2.CreateManagedPrefixListInput{
				PrefixListName: aws.String(name), AddressFamily: aws.String(family), MaxEntries: aws.Int32(max), Entries: entries(cidrs...)})
			return err
		}
	}
	modify := func(in ec2.ModifyManagedPrefixListInput) func() error {
		return func() error {
			_, err := e.c.ModifyManagedPrefixList(e.ctx, &in)
			return err
		}
	}
	remove := func(cidrs ...string) []types.RemovePrefixListEntry {
		var out []types.RemovePrefixListEntry
		for _, c := range cidrs {
			out = append(out, types.RemovePrefixListEntry{Cidr: aws.String(c)})
		}
		return out
	}
	checkRefusals(t, []refusal{
		{"reserved name", create("com.amazonaws.mine", "IPv4", 1), "InvalidParameterValue", "The name cannot start with com.amazonaws."},
		{"address family", create("x", "ipv4", 1), "InvalidParameterValue", "AddressFamily"},
		{"no entries allowed", create("x", "IPv4", 0), "InvalidParameterValue", "Must specify a max size between 1 and 1000"},
		{"too large", create("x", "IPv4", 1001), "InvalidParameterValue", "Must specify a max size between 1 and 1000"},
		{"bad block", create("x", "IPv4", 2, "10.0.0.0/33"), "InvalidParameterValue", "Value (10.0.0.0/33) for parameter Cidr is invalid"},
		{"IPv6 block in an IPv4 list", create("x", "IPv4", 2, "2001:db8::/32"), "InvalidParameterValue", "IPv4"},
		{"IPv4 block in an IPv6 list", create("x", "IPv6", 2, "10.0.0.0/8"), "InvalidParameterValue", "IPv6"},
		{"more entries than the size", create("x", "IPv4", 1, "10.0.0.0/8", "192.168.0.0/16"), "PrefixListMaxEntriesExceeded", ""},
		{"duplicate entries", create("x", "IPv4", 3, "10.0.0.0/8", "10.0.0.1/8"), "InvalidParameterValue", "10.0.0.0/8"},
		{"tag type", func() error {
			_, err := e.c.CreateManagedPrefixList(e.ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("x"), AddressFamily: aws.String("IPv4"),
				MaxEntries: aws.Int32(1), TagSpecifications: nameTag(types.ResourceTypeVpc, "x")})
			return err
		}, "InvalidParameterValue", "'vpc' is not a valid taggable resource type"},

		{"stale version", modify(ec2.ModifyManagedPrefixListInput{PrefixListId: &roomy, CurrentVersion: aws.Int64(7), AddEntries: entries("192.0.2.0/24")}),
			"PrefixListVersionMismatch", "The prefix list has the incorrect version number."},
		{"stale version on rename", modify(ec2.ModifyManagedPrefixListInput{PrefixListId: &roomy, CurrentVersion: aws.Int64(2), PrefixListName: aws.String("y")}),
			"PrefixListVersionMismatch", ""},
		{"entries without a version", modify(ec2.ModifyManagedPrefixListInput{PrefixListId: &roomy, AddEntries: entries("192.0.2.0/24")}),
			"MissingParameter", "CurrentVersion"},
		{"entries and size together", modify(ec2.ModifyManagedPrefixListInput{PrefixListId: &roomy, CurrentVersion: aws.Int64(1), AddEntries: entries("192.0.2.0/24"), MaxEntries: aws.Int32(20)}),
			"InvalidParameterCombination", "cannot modify the entries of a prefix list and modify the size"},
		{"entry that is not there", modify(ec2.ModifyManagedPrefixListInput{PrefixListId: &roomy, CurrentVersion: aws.Int64(1), RemoveEntries: remove("192.0.2.0/24")}),
			"InvalidPrefixListModification", "does not exist."},
		{"entry already there", modify(ec2.ModifyManagedPrefixListInput{PrefixListId: &roomy, CurrentVersion: aws.Int64(1), AddEntries: entries("10.0.0.0/8")}),
			"InvalidPrefixListModification", "already exists"},
		{"add and remove the same block", modify(ec2.ModifyManagedPrefixListInput{PrefixListId: &roomy, CurrentVersion: aws.Int64(1), AddEntries: entries("10.0.0.0/8"), RemoveEntries: remove("10.0.0.0/8")}),
			"InvalidParameterValue", "Request cannot contain Cidr 10.0.0.0/8 in both AddPrefixListEntries and RemovePrefixListEntries"},
		{"past the size", modify(ec2.ModifyManagedPrefixListInput{PrefixListId: &id, CurrentVersion: aws.Int64(1), AddEntries: entries("192.168.0.0/16")}),
			"PrefixListMaxEntriesExceeded", ""},
		{"smaller than the entries", modify(ec2.ModifyManagedPrefixListInput{PrefixListId: &id, MaxEntries: aws.Int32(1)}),
			"InvalidParameterValue", "cannot be less than the number of entries"},
		{"size out of range", modify(ec2.ModifyManagedPrefixListInput{PrefixListId: &id, MaxEntries: aws.Int32(1001)}),
			"InvalidParameterValue", "Must specify a max size between 1 and 1000"},
		{"wrong family", modify(ec2.ModifyManagedPrefixListInput{PrefixListId: &roomy, CurrentVersion: aws.Int64(1), AddEntries: entries("2001:db8::/32")}),
			"InvalidParameterValue", "IPv4"},
		{"AWS-managed list", modify(ec2.ModifyManagedPrefixListInput{PrefixListId: aws.String(s3List), PrefixListName: aws.String("mine")}),
			"OperationNotPermitted", s3List},
		{"unknown list", modify(ec2.ModifyManagedPrefixListInput{PrefixListId: aws.String("pl-0123456789abcdef0"), PrefixListName: aws.String("x")}),
			"InvalidPrefixListID.NotFound", "pl-0123456789abcdef0"},
		{"malformed id", modify(ec2.ModifyManagedPrefixListInput{PrefixListId: aws.String("prefix-1"), PrefixListName: aws.String("x")}),
			"InvalidPrefixListId.Malformed", "prefix-1"},

		{"restore, stale version", func() error {
			_, err := e.c.RestoreManagedPrefixListVersion(e.ctx, &ec2.RestoreManagedPrefixListVersionInput{PrefixListId: &roomy, PreviousVersion: aws.Int64(1), CurrentVersion: aws.Int64(3)})
			return err
		}, "PrefixListVersionMismatch", ""},
		{"restore, no such version", func() error {
			_, err := e.c.RestoreManagedPrefixListVersion(e.ctx, &ec2.RestoreManagedPrefixListVersionInput{PrefixListId: &roomy, PreviousVersion: aws.Int64(9), CurrentVersion: aws.Int64(1)})
			return err
		}, "InvalidParameterValue", ""},
		{"restore the current version", func() error {
			_, err := e.c.RestoreManagedPrefixListVersion(e.ctx, &ec2.RestoreManagedPrefixListVersionInput{PrefixListId: &roomy, PreviousVersion: aws.Int64(1), CurrentVersion: aws.Int64(1)})
			return err
		}, "InvalidParameterValue", "already at version 1"},
		{"delete an AWS-managed list", func() error {
			_, err := e.c.DeleteManagedPrefixList(e.ctx, &ec2.DeleteManagedPrefixListInput{PrefixListId: aws.String(ddbList)})
			return err
		}, "OperationNotPermitted", ddbList},
		{"entries of an unknown version", func() error {
			_, err := e.c.GetManagedPrefixListEntries(e.ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: &roomy, TargetVersion: aws.Int64(5)})
			return err
		}, "InvalidParameterValue", "no version 5"},
		{"entries of an unknown list", func() error {
			_, err := e.c.GetManagedPrefixListEntries(e.ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String("pl-0123456789abcdef0")})
			return err
		}, "InvalidPrefixListID.NotFound", ""},
		{"associations of an unknown list", func() error {
			_, err := e.c.GetManagedPrefixListAssociations(e.ctx, &ec2.GetManagedPrefixListAssociationsInput{PrefixListId: aws.String("pl-0123456789abcdef0")})
			return err
		}, "InvalidPrefixListID.NotFound", ""},
	})
	// Nothing refused changed the lists.
	if d := e.describeList(roomy); aws.ToInt64(d.Version) != 1 || aws.ToString(d.PrefixListName) != "roomy" {
		t.Fatalf("roomy: %+v", d)
	}
}

func TestPrefixListEntriesPaging(t *testing.T) {
	e := newPLEnv(t)
	var cidrs []string
	for i := range 12 {
		cidrs = append(cidrs, fmt.Sprintf("10.%d.0.0/16", i))
	}
	id := e.list("many", "IPv4", 20, cidrs...)
	var got []string
	var token *string
	for pages := 0; ; pages++ {
		out, err := e.c.GetManagedPrefixListEntries(e.ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: &id, MaxResults: aws.Int32(5), NextToken: token})
		e.must(err)
		for _, en := range out.Entries {
			got = append(got, aws.ToString(en.Cidr))
		}
		if token = out.NextToken; token == nil {
			if pages != 2 {
				t.Fatalf("%d pages", pages+1)
			}
			break
		}
	}
	if !slices.Equal(got, cidrs) {
		t.Fatalf("entries: %v", got)
	}
	_, err := e.c.GetManagedPrefixListEntries(e.ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: &id, NextToken: aws.String("bm9wZQ")})
	e.wantErr(err, "InvalidParameterValue", "token")
}

func TestPrefixListReferences(t *testing.T) {
	e := newPLEnv(t)
	vpc := e.vpc("10.0.0.0/16")
	igw := e.igw(vpc)
	table := e.routeTable(vpc)
	g, err := e.c.CreateSecurityGroup(e.ctx, &ec2.CreateSecurityGroupInput{VpcId: &vpc, GroupName: aws.String("app"), Description: aws.String("app")})
	e.must(err)
	group := aws.ToString(g.GroupId)
	list := e.list("partners", "IPv4", 50, "198.51.100.0/24")

	// Rules and routes reference the list.
	_, err = e.c.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &group, IpPermissions: []types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), PrefixListIds: []types.PrefixListId{{PrefixListId: &list}}}}})
	e.must(err)
	_, err = e.c.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationPrefixListId: &list, GatewayId: &igw})
	e.must(err)
	if route, ok := e.routeTo(table, list); !ok || aws.ToString(route.GatewayId) != igw || route.State != types.RouteStateActive {
		t.Fatalf("route to the list: %+v", route)
	}
	sameIDs(t, e.associations(list), []string{group, table})
	if got := e.associations(s3List); len(got) != 0 {
		t.Fatalf("associations of %s: %v", s3List, got)
	}
	page, err := e.c.GetManagedPrefixListAssociations(e.ctx, &ec2.GetManagedPrefixListAssociationsInput{PrefixListId: &list, MaxResults: aws.Int32(5)})
	e.must(err)
	if len(page.PrefixListAssociations) != 2 || page.NextToken != nil {
		t.Fatalf("associations page: %+v", page)
	}

	checkRefusals(t, []refusal{
		{"delete a referenced list", func() error {
			_, err := e.c.DeleteManagedPrefixList(e.ctx, &ec2.DeleteManagedPrefixListInput{PrefixListId: &list})
			return err
		}, "DependencyViolation", "The prefix list '" + list + "' has dependencies and cannot be deleted."},
		{"route to an AWS-managed list", func() error {
			_, err := e.c.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationPrefixListId: aws.String(s3List), GatewayId: &igw})
			return err
		}, "InvalidParameterValue", "AWS-managed prefix list"},
		{"route to a malformed list", func() error {
			_, err := e.c.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationPrefixListId: aws.String("pl-z"), GatewayId: &igw})
			return err
		}, "InvalidPrefixListId.Malformed", "pl-z"},
		{"route to another account's list", func() error {
			out, err := e.as(emulatortest.AccountB).CreateManagedPrefixList(e.ctx, &ec2.CreateManagedPrefixListInput{
				PrefixListName: aws.String("b"), AddressFamily: aws.String("IPv4"), MaxEntries: aws.Int32(1)})
			if err != nil {
				return err
			}
			_, err = e.c.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationPrefixListId: out.PrefixList.PrefixListId, GatewayId: &igw})
			return err
		}, "InvalidPrefixListID.NotFound", ""},
		// The list counts its 50 entries: with ten more rules the group passes 60.
		{"rules quota", func() error {
			var ranges []types.IpRange
			for i := range 11 {
				ranges = append(ranges, types.IpRange{CidrIp: aws.String(fmt.Sprintf("192.0.%d.0/24", i))})
			}
			_, err := e.c.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &group, IpPermissions: []types.IpPermission{{
				IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80), IpRanges: ranges}}})
			return err
		}, "RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached."},
		// and its 50 routes fill the table.
		{"routes quota", func() error {
			_, err := e.c.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("203.0.113.0/24"), GatewayId: &igw})
			return err
		}, "RouteLimitExceeded", "The maximum number of routes has been reached."},
	})
	// Ten more rules fit; an IPv4 list leaves the IPv6 quota alone.
	var ranges []types.IpRange
	for i := range 10 {
		ranges = append(ranges, types.IpRange{CidrIp: aws.String(fmt.Sprintf("192.0.%d.0/24", i))})
	}
	_, err = e.c.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &group, IpPermissions: []types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80), IpRanges: ranges,
		Ipv6Ranges: []types.Ipv6Range{{CidrIpv6: aws.String("2001:db8::/32")}}}}})
	e.must(err)

	// Growing the list past what the group and table can take fails the
	// modification, as on AWS: the call answers, the list ends modify-failed.
	mod, err := e.c.ModifyManagedPrefixList(e.ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: &list, MaxEntries: aws.Int32(51)})
	e.must(err)
	if mod.PrefixList.State != types.PrefixListStateModifyInProgress {
		t.Fatalf("resize answer: %+v", mod.PrefixList)
	}
	d := e.describeList(list)
	if d.State != types.PrefixListStateModifyFailed || aws.ToInt32(d.MaxEntries) != 50 ||
		!strings.Contains(aws.ToString(d.StateMessage), group) || !strings.Contains(aws.ToString(d.StateMessage), table) {
		t.Fatalf("failed resize: %+v", d)
	}
	// Shrinking is fine, and the list works again.
	_, err = e.c.ModifyManagedPrefixList(e.ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: &list, MaxEntries: aws.Int32(40)})
	e.must(err)
	if d := e.describeList(list); d.State != types.PrefixListStateModifyComplete || d.StateMessage != nil || aws.ToInt32(d.MaxEntries) != 40 {
		t.Fatalf("shrunk: %+v", d)
	}

	// An AWS-managed list counts its weight, one.
	_, err = e.c.AuthorizeSecurityGroupEgress(e.ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: &group, IpPermissions: []types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), PrefixListIds: []types.PrefixListId{{PrefixListId: aws.String(s3List)}}}}})
	e.must(err)
	sameIDs(t, e.associations(s3List), []string{group})

	// Once nothing references it, the list can go.
	_, err = e.c.RevokeSecurityGroupIngress(e.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: &group, IpPermissions: []types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), PrefixListIds: []types.PrefixListId{{PrefixListId: &list}}}}})
	e.must(err)
	sameIDs(t, e.associations(list), []string{table})
	_, err = e.c.DeleteRoute(e.ctx, &ec2.DeleteRouteInput{RouteTableId: &table, DestinationPrefixListId: &list})
	e.must(err)
	if got := e.associations(list); len(got) != 0 {
		t.Fatalf("associations after cleanup: %v", got)
	}
	_, err = e.c.DeleteManagedPrefixList(e.ctx, &ec2.DeleteManagedPrefixListInput{PrefixListId: &list})
	e.must(err)
}
