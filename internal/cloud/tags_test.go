package cloud_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

var alice, bob = cloudtest.Alice, cloudtest.Bob

// tagWorld is alice's VPC with a group that has a rule of its own, and a
// peering connection from it to a VPC of bob's, on one kernel.
type tagWorld struct {
	c    *cloud.Cloud
	net  *network.Service
	vpc  *network.VPC
	sg   *network.SecurityGroup
	rule string
	pcx  string
}

func newTagWorld(t *testing.T) *tagWorld {
	t.Helper()
	ctx := context.Background()
	w := &tagWorld{c: cloudtest.Fixed(t)}
	w.net = network.New(w.c)
	var err error
	if w.vpc, err = w.net.CreateVPC(ctx, alice, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	if w.sg, err = w.net.CreateSecurityGroup(ctx, alice, network.CreateSecurityGroupInput{VpcID: w.vpc.ID, Name: "app", Description: "d"}); err != nil {
		t.Fatal(err)
	}
	w.rule = w.sg.Rules[0].ID
	peer, err := w.net.CreateVPC(ctx, bob, network.CreateVPCInput{CIDRBlock: "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.net.CreateVPCPeeringConnection(ctx, alice, network.CreatePeeringInput{VpcID: w.vpc.ID, PeerVpcID: peer.ID, PeerOwnerID: bob.Account})
	if err != nil {
		t.Fatal(err)
	}
	w.pcx = p.ID
	return w
}

// tagsOf is who's tags of each resource, as DescribeTags lists them.
func (w *tagWorld) tagsOf(t *testing.T, who cloud.Caller) map[string]map[string]string {
	t.Helper()
	all, err := w.c.DescribeTags(context.Background(), who, func(cloud.TagDescription) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for i, d := range all {
		if i > 0 && (all[i-1].ResourceID > d.ResourceID || all[i-1].ResourceID == d.ResourceID && all[i-1].Key >= d.Key) {
			t.Fatalf("tags out of order: %+v before %+v", all[i-1], d)
		}
		if out[d.ResourceID] == nil {
			out[d.ResourceID] = map[string]string{"(type)": d.ResourceType}
		}
		out[d.ResourceID][d.Key] = d.Value
	}
	return out
}

// TestCreateTags: tags land on the resource, a rule held by its group, or
// the caller's side of a shared connection, and DescribeTags lists each with
// its resource type.
func TestCreateTags(t *testing.T) {
	w := newTagWorld(t)
	ctx := context.Background()
	env := []cloud.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "net"}}
	if err := w.c.CreateTags(ctx, alice, []string{w.vpc.ID, w.sg.ID, w.rule, w.pcx}, env); err != nil {
		t.Fatal(err)
	}
	if err := w.c.CreateTags(ctx, bob, []string{w.pcx}, []cloud.Tag{{Key: "env", Value: "peer"}}); err != nil {
		t.Fatal(err)
	}
	// Overwrite one value.
	if err := w.c.CreateTags(ctx, alice, []string{w.vpc.ID}, []cloud.Tag{{Key: "team", Value: "core"}}); err != nil {
		t.Fatal(err)
	}
	got := w.tagsOf(t, alice)
	want := map[string]map[string]string{
		w.vpc.ID: {"(type)": "vpc", "env": "prod", "team": "core"},
		w.sg.ID:  {"(type)": "security-group", "env": "prod", "team": "net"},
		w.rule:   {"(type)": "security-group-rule", "env": "prod", "team": "net"},
		w.pcx:    {"(type)": "vpc-peering-connection", "env": "prod", "team": "net"},
	}
	if !equalTags(got, want) {
		t.Fatalf("alice's tags\n got %v\nwant %v", got, want)
	}
	if got := w.tagsOf(t, bob); !equalTags(got, map[string]map[string]string{w.pcx: {"(type)": "vpc-peering-connection", "env": "peer"}}) {
		t.Fatalf("bob's tags %v", got)
	}
	// The rule's tags are the rule's, not its group's.
	var sg *network.SecurityGroup
	cloudtest.Read(t, w.c, func(tx *cloud.Txn) (err error) { sg, err = cloud.GetIn[network.SecurityGroup](tx, w.sg.ID); return })
	if sg.Rules[0].Tags["env"] != "prod" || sg.Tags["env"] != "prod" || len(sg.Tags) != 2 {
		t.Fatalf("group %v, rule %v", sg.Tags, sg.Rules[0].Tags)
	}
	// A match function picks.
	some, err := w.c.DescribeTags(ctx, alice, func(d cloud.TagDescription) bool { return d.Key == "team" && d.ResourceType == "vpc" })
	if err != nil || len(some) != 1 || some[0].Value != "core" {
		t.Fatalf("matched %+v %v", some, err)
	}
	// Tag lookups find the records by their tag keys.
	page, err := cloud.List[network.VPC](ctx, w.c, alice, cloud.Query{Filters: []cloud.Filter{{Name: "tag:team", Values: []string{"core"}}}}, nil)
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != w.vpc.ID {
		t.Fatalf("tag:team=core %+v %v", page.Items, err)
	}
	page, err = cloud.List[network.VPC](ctx, w.c, alice, cloud.Query{Filters: []cloud.Filter{{Name: "tag-key", Values: []string{"env"}}}}, nil)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("tag-key=env %+v %v", page.Items, err)
	}
}

func equalTags(a, b map[string]map[string]string) bool {
	return maps.EqualFunc(a, b, func(x, y map[string]string) bool { return maps.Equal(x, y) })
}

// TestCreateTagsRefusals: bad tags, ids and resources refuse the whole
// call, which then changes nothing.
func TestCreateTagsRefusals(t *testing.T) {
	w := newTagWorld(t)
	ctx := context.Background()
	fifty := make([]cloud.Tag, 0, 51)
	for i := range 51 {
		fifty = append(fifty, cloud.Tag{Key: fmt.Sprint("k", i), Value: "v"})
	}
	for _, tc := range []struct {
		name   string
		who    cloud.Caller
		ids    []string
		tags   []cloud.Tag
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"empty key", alice, []string{w.vpc.ID}, []cloud.Tag{{Key: ""}}, cloud.InvalidParameter, "", "Tag key must be between 1 and 128 characters: ''."},
		{"long key", alice, []string{w.vpc.ID}, []cloud.Tag{{Key: strings.Repeat("k", 129)}}, cloud.InvalidParameter, "", "Tag key must be between 1 and 128 characters"},
		{"long value", alice, []string{w.vpc.ID}, []cloud.Tag{{Key: "k", Value: strings.Repeat("é", 257)}}, cloud.InvalidParameter, "", "Tag value for key 'k' exceeds 256 characters."},
		{"reserved key", alice, []string{w.vpc.ID}, []cloud.Tag{{Key: "AWS:name", Value: "x"}}, cloud.InvalidParameter, "", "Tag keys starting with 'aws:' are reserved for internal use"},
		{"too many", alice, []string{w.vpc.ID}, fifty, cloud.LimitExceeded, "tag", "The maximum number of Tags for a resource has been reached."},
		{"not an id", alice, []string{w.vpc.ID, "thing-1"}, []cloud.Tag{{Key: "k"}}, cloud.Malformed, "", `Invalid id: "thing-1"`},
		{"unknown VPC", alice, []string{w.vpc.ID, "vpc-0123456789abcdef0"}, []cloud.Tag{{Key: "k"}}, cloud.NotFound, cloud.KindVPC, "The vpc ID 'vpc-0123456789abcdef0' does not exist"},
		{"another account's VPC", bob, []string{w.vpc.ID}, []cloud.Tag{{Key: "k"}}, cloud.NotFound, cloud.KindVPC, w.vpc.ID},
		{"unknown rule", alice, []string{"sgr-0123456789abcdef0"}, []cloud.Tag{{Key: "k"}}, cloud.NotFound, cloud.KindSecurityGroupRule, "The security group rule ID 'sgr-0123456789abcdef0' does not exist"},
		{"a kind that takes no tags", alice, []string{"rtbassoc-0123456789abcdef0"}, []cloud.Tag{{Key: "k"}}, cloud.NotFound, cloud.KindRouteTableAssoc, "rtbassoc-0123456789abcdef0"},
		{"a connection carol does not see", cloud.Caller{Account: "333333333333", Region: "us-east-1"}, []string{w.pcx}, []cloud.Tag{{Key: "k"}}, cloud.NotFound, cloud.KindVPCPeering, w.pcx},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cloudtest.WantReason(t, w.c.CreateTags(ctx, tc.who, tc.ids, tc.tags), tc.reason, tc.kind, tc.msg)
		})
	}
	dry := alice
	dry.DryRun = true
	cloudtest.WantReason(t, w.c.CreateTags(ctx, dry, []string{w.vpc.ID}, []cloud.Tag{{Key: "k", Value: "v"}}), cloud.DryRun, "", "DryRun flag is set")
	if got := w.tagsOf(t, alice); len(got) != 0 {
		t.Fatalf("refused and dry calls left tags: %v", got)
	}
	// Fifty is the limit, counted with the tags a resource has.
	if err := w.c.CreateTags(ctx, alice, []string{w.vpc.ID}, fifty[:50]); err != nil {
		t.Fatal(err)
	}
	cloudtest.WantReason(t, w.c.CreateTags(ctx, alice, []string{w.vpc.ID}, fifty[50:]), cloud.LimitExceeded, "tag", "")
}

// TestDeleteTags: by key, by key and value, or all of them.
func TestDeleteTags(t *testing.T) {
	w := newTagWorld(t)
	ctx := context.Background()
	tags := []cloud.Tag{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}, {Key: "c", Value: "3"}}
	if err := w.c.CreateTags(ctx, alice, []string{w.vpc.ID, w.rule, w.pcx}, tags); err != nil {
		t.Fatal(err)
	}
	one, other := "1", "9"
	err := w.c.DeleteTags(ctx, alice, []string{w.vpc.ID, w.rule}, []cloud.TagFilter{{Key: "a", Value: &one}, {Key: "b", Value: &other}, {Key: "c"}, {Key: "z"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.c.DeleteTags(ctx, alice, []string{w.pcx}, nil); err != nil {
		t.Fatal(err)
	}
	got := w.tagsOf(t, alice)
	want := map[string]map[string]string{
		w.vpc.ID: {"(type)": "vpc", "b": "2"},
		w.rule:   {"(type)": "security-group-rule", "b": "2"},
	}
	if !equalTags(got, want) {
		t.Fatalf("after deletes\n got %v\nwant %v", got, want)
	}
	page, err := cloud.List[network.VPC](ctx, w.c, alice, cloud.Query{Filters: []cloud.Filter{{Name: "tag:a", Values: []string{"1"}}}}, nil)
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("a deleted tag still finds %+v %v", page.Items, err)
	}
	cloudtest.WantReason(t, w.c.DeleteTags(ctx, bob, []string{w.vpc.ID}, nil), cloud.NotFound, cloud.KindVPC, "")
}

// TestTagsFor: a create call's tag specifications, by the types it
// creates.
func TestTagsFor(t *testing.T) {
	specs := []cloud.TagSpec{
		{ResourceType: "vpc", Tags: []cloud.Tag{{Key: "Name", Value: "a"}, {Key: "env", Value: "x"}}},
		{ResourceType: "vpc", Tags: []cloud.Tag{{Key: "Name", Value: "b"}}},
		{ResourceType: "route-table", Tags: []cloud.Tag{{Key: "k", Value: "v"}}},
	}
	got, err := cloud.TagsFor(specs, cloud.KindVPC, cloud.KindRouteTable)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got[cloud.KindVPC], cloud.Tags{"Name": "b", "env": "x"}) || !maps.Equal(got[cloud.KindRouteTable], cloud.Tags{"k": "v"}) {
		t.Fatalf("tags %v", got)
	}
	if sorted := got[cloud.KindVPC].Sorted(); len(sorted) != 2 || sorted[0].Key != "Name" || sorted[1].Key != "env" {
		t.Fatalf("sorted %v", sorted)
	}
	_, err = cloud.TagsFor(specs, cloud.KindVPC)
	cloudtest.WantReason(t, err, cloud.InvalidParameter, "", "'route-table' is not a valid taggable resource type for this operation.")
	_, err = cloud.TagsFor([]cloud.TagSpec{{ResourceType: "vpc", Tags: []cloud.Tag{{Key: "aws:x"}}}}, cloud.KindVPC)
	cloudtest.WantReason(t, err, cloud.InvalidParameter, "", "reserved")
	many := cloud.TagSpec{ResourceType: "vpc"}
	for i := range 51 {
		many.Tags = append(many.Tags, cloud.Tag{Key: fmt.Sprint(i)})
	}
	_, err = cloud.TagsFor([]cloud.TagSpec{many}, cloud.KindVPC)
	cloudtest.WantReason(t, err, cloud.LimitExceeded, "tag", "The maximum number of Tags for a resource has been reached.")
	if got, err := cloud.TagsFor(nil, cloud.KindVPC); err != nil || len(got) != 0 {
		t.Fatalf("no specs: %v %v", got, err)
	}
}

// TestGetByID: the resource an id names, by its prefix, if the caller
// sees it.
func TestGetByID(t *testing.T) {
	w := newTagWorld(t)
	get := func(who cloud.Caller, id string) (o cloud.Object, err error) {
		err = w.c.View(context.Background(), who, func(tx *cloud.Txn) error {
			o, err = cloud.GetByID(tx, id)
			return err
		})
		return o, err
	}
	for _, tc := range []struct {
		who  cloud.Caller
		id   string
		kind cloud.Kind
	}{{alice, w.vpc.ID, cloud.KindVPC}, {alice, w.sg.ID, cloud.KindSecurityGroup}, {bob, w.pcx, cloud.KindVPCPeering}} {
		o, err := get(tc.who, tc.id)
		if err != nil || o.Kind() != tc.kind || o.Base().ID != tc.id {
			t.Errorf("%s: %v %v", tc.id, o, err)
		}
	}
	_, err := get(alice, "nothing-1")
	cloudtest.WantReason(t, err, cloud.Malformed, "", `Invalid id: "nothing-1"`)
	_, err = get(bob, w.vpc.ID)
	cloudtest.WantReason(t, err, cloud.NotFound, cloud.KindVPC, "The vpc ID '"+w.vpc.ID+"' does not exist")
	_, err = get(alice, "vpc-0123456789abcdef0")
	cloudtest.WantReason(t, err, cloud.NotFound, cloud.KindVPC, "")
	// A kind with ids but no records of its own.
	_, err = get(alice, "tgw-0123456789abcdef0")
	cloudtest.WantReason(t, err, cloud.NotFound, cloud.KindTransitGateway, "The transit-gateway ID 'tgw-0123456789abcdef0' does not exist")
}
