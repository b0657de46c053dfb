package network

import (
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// TestInternetGatewayLifecycle: a gateway is created detached, attaches to
// one VPC that has none, cannot be deleted while attached, and detaches.
func TestInternetGatewayLifecycle(t *testing.T) {
	f := newFixture(t, "")
	igw, err := f.c.CreateInternetGateway(f.ctx, f.who, []cloud.TagSpec{{ResourceType: "internet-gateway", Tags: []cloud.Tag{{Key: "Name", Value: "edge"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(igw.Attachments) != 0 || igw.Tags["Name"] != "edge" || !cloud.WellFormed(igw.ID, "igw-") {
		t.Fatalf("new gateway %+v", igw)
	}
	if err := f.c.AttachInternetGateway(f.ctx, f.who, igw.ID, f.vpc.ID); err != nil {
		t.Fatal(err)
	}
	got := readAs[InternetGateway](f, igw.ID)
	if !got.AttachedTo(f.vpc.ID) || got.Attachments[0].State != "available" {
		t.Fatalf("attached gateway %+v", got)
	}
	if attached := igwAttached(f, f.vpc.ID); !attached {
		t.Fatal("IGWAttached does not see the attachment")
	}

	second, err := f.c.CreateInternetGateway(f.ctx, f.who, nil)
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.c.CreateVPC(f.ctx, f.who, CreateVPCInput{CIDRBlock: "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		do     func() error
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"attach twice", func() error { return f.c.AttachInternetGateway(f.ctx, f.who, igw.ID, other.ID) },
			cloud.AlreadyAssociated, cloud.KindInternetGateway, "resource " + igw.ID + " is already attached to network " + f.vpc.ID},
		{"VPC has one", func() error { return f.c.AttachInternetGateway(f.ctx, f.who, second.ID, f.vpc.ID) },
			cloud.InvalidParameter, "", "Network " + f.vpc.ID + " already has an internet gateway attached"},
		{"attach unknown gateway", func() error { return f.c.AttachInternetGateway(f.ctx, f.who, "igw-0123456789abcdef0", f.vpc.ID) },
			cloud.NotFound, cloud.KindInternetGateway, "The internetGateway ID 'igw-0123456789abcdef0' does not exist"},
		{"attach to unknown VPC", func() error { return f.c.AttachInternetGateway(f.ctx, f.who, second.ID, "vpc-0123456789abcdef0") },
			cloud.NotFound, cloud.KindVPC, "The vpc ID 'vpc-0123456789abcdef0' does not exist"},
		{"attach another account's", func() error { return f.c.AttachInternetGateway(f.ctx, bob, second.ID, f.vpc.ID) },
			cloud.NotFound, cloud.KindInternetGateway, second.ID},
		{"detach where not attached", func() error { return f.c.DetachInternetGateway(f.ctx, f.who, igw.ID, other.ID) },
			cloud.NotAttached, cloud.KindInternetGateway, "resource " + igw.ID + " is not attached to network " + other.ID},
		{"detach from unknown VPC", func() error { return f.c.DetachInternetGateway(f.ctx, f.who, igw.ID, "vpc-0123456789abcdef0") },
			cloud.NotFound, cloud.KindVPC, "does not exist"},
		{"detach unknown gateway", func() error { return f.c.DetachInternetGateway(f.ctx, f.who, "igw-0123456789abcdef0", f.vpc.ID) },
			cloud.NotFound, cloud.KindInternetGateway, "does not exist"},
		{"delete attached", func() error { return f.c.DeleteInternetGateway(f.ctx, f.who, igw.ID) },
			cloud.DependencyViolation, cloud.KindInternetGateway, "The internetGateway '" + igw.ID + "' has dependencies and cannot be deleted."},
		{"delete unknown", func() error { return f.c.DeleteInternetGateway(f.ctx, f.who, "igw-0123456789abcdef0") },
			cloud.NotFound, cloud.KindInternetGateway, "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantReason(t, tc.do(), tc.reason, tc.kind, tc.msg) })
	}

	dry := f.who
	dry.DryRun = true
	refusedWith(t, f.c.DetachInternetGateway(f.ctx, dry, igw.ID, f.vpc.ID), cloud.DryRun, "dry detach")
	if !readAs[InternetGateway](f, igw.ID).AttachedTo(f.vpc.ID) {
		t.Fatal("a dry run detached the gateway")
	}
	if err := f.c.DetachInternetGateway(f.ctx, f.who, igw.ID, f.vpc.ID); err != nil {
		t.Fatal(err)
	}
	if igwAttached(f, f.vpc.ID) {
		t.Fatal("detached gateway still found by its VPC")
	}
	// Now the other gateway may take the VPC, and the first may go.
	if err := f.c.AttachInternetGateway(f.ctx, f.who, second.ID, f.vpc.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.c.DeleteInternetGateway(f.ctx, f.who, igw.ID); err != nil {
		t.Fatal(err)
	}
	_, err = cloud.List[InternetGateway](f.ctx, f.c.Cloud, f.who, cloud.Query{IDs: []string{igw.ID}}, nil)
	wantReason(t, err, cloud.NotFound, cloud.KindInternetGateway, igw.ID)
	page, err := cloud.List[InternetGateway](f.ctx, f.c.Cloud, f.who, cloud.Query{Filters: []cloud.Filter{{Name: "attachment.vpc-id", Values: []string{f.vpc.ID}}}}, nil)
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != second.ID {
		t.Fatalf("gateways of the VPC: %+v %v", page.Items, err)
	}
}

// TestEgressOnlyInternetGateway: it is attached to its VPC for life and
// deleted with no conditions; a route to it is a blackhole afterwards.
func TestEgressOnlyInternetGateway(t *testing.T) {
	f := newFixture(t, "")
	_, err := f.c.CreateEgressOnlyInternetGateway(f.ctx, f.who, "vpc-0123456789abcdef0", nil)
	wantReason(t, err, cloud.NotFound, cloud.KindVPC, "The vpc ID 'vpc-0123456789abcdef0' does not exist")
	_, err = f.c.CreateEgressOnlyInternetGateway(f.ctx, bob, f.vpc.ID, nil)
	wantReason(t, err, cloud.NotFound, cloud.KindVPC, f.vpc.ID)
	_, err = f.c.CreateEgressOnlyInternetGateway(f.ctx, f.who, f.vpc.ID, []cloud.TagSpec{{ResourceType: "internet-gateway"}})
	wantReason(t, err, cloud.InvalidParameter, "", "'internet-gateway' is not a valid taggable resource type")

	g, err := f.c.CreateEgressOnlyInternetGateway(f.ctx, f.who, f.vpc.ID, []cloud.TagSpec{{ResourceType: "egress-only-internet-gateway", Tags: []cloud.Tag{{Key: "k", Value: "v"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if !g.AttachedTo(f.vpc.ID) || g.AttachedTo("vpc-other") || g.Attachments[0].State != "attached" || g.Tags["k"] != "v" || !cloud.WellFormed(g.ID, "eigw-") {
		t.Fatalf("new egress-only gateway %+v", g)
	}
	page, err := cloud.List[EgressOnlyInternetGateway](f.ctx, f.c.Cloud, f.who, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("listed %+v %v", page.Items, err)
	}
	if err := f.c.DeleteEgressOnlyInternetGateway(f.ctx, bob, g.ID); reason(err) != cloud.NotFound {
		t.Fatalf("bob deleted alice's gateway: %v", err)
	}
	if err := f.c.DeleteEgressOnlyInternetGateway(f.ctx, f.who, g.ID); err != nil {
		t.Fatal(err)
	}
	err = f.c.DeleteEgressOnlyInternetGateway(f.ctx, f.who, g.ID)
	wantReason(t, err, cloud.NotFound, cloud.KindEgressOnlyIGW, "The egressOnlyInternetGateway ID '"+g.ID+"' does not exist")
}

// igwAttached asks IGWAttached in a read of the fixture's caller.
func igwAttached(f fixture, vpcID string) bool {
	f.t.Helper()
	var ok bool
	f.read(func(t *cloud.Txn) (err error) { ok, err = IGWAttached(t, vpcID); return })
	return ok
}
