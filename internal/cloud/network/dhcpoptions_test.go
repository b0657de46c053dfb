package network

import (
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// TestDHCPOptionsLifecycle: a set is created in key order with its tags, a
// VPC uses it, it cannot go while used, and "default" leaves a VPC with no
// options.
func TestDHCPOptionsLifecycle(t *testing.T) {
	f := newFixture(t, "")
	d, err := f.c.CreateDHCPOptions(f.ctx, f.who, []DHCPConfiguration{
		{Key: "ntp-servers", Values: []string{"169.254.169.123"}},
		{Key: "domain-name", Values: []string{"corp.example"}},
	}, []cloud.TagSpec{{ResourceType: "dhcp-options", Tags: []cloud.Tag{{Key: "Name", Value: "corp"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Configurations) != 2 || d.Configurations[0].Key != "domain-name" || d.Configurations[1].Key != "ntp-servers" || d.IsDefault || d.Tags["Name"] != "corp" {
		t.Fatalf("created set %+v", d)
	}
	if err := f.c.AssociateDHCPOptions(f.ctx, f.who, d.ID, f.vpc.ID); err != nil {
		t.Fatal(err)
	}
	if got := readAs[VPC](f, f.vpc.ID).DHCPOptionsID; got != d.ID {
		t.Fatalf("VPC's options %s, want %s", got, d.ID)
	}
	err = f.c.DeleteDHCPOptions(f.ctx, f.who, d.ID)
	wantReason(t, err, cloud.DependencyViolation, cloud.KindDHCPOptions, "The dhcpOptions '"+d.ID+"' has dependencies and cannot be deleted.")

	for _, tc := range []struct {
		name      string
		who       cloud.Caller
		opts, vpc string
		kind      cloud.Kind
	}{
		{"no such set", f.who, "dopt-0123456789abcdef0", f.vpc.ID, cloud.KindDHCPOptions},
		{"no such VPC", f.who, d.ID, "vpc-0123456789abcdef0", cloud.KindVPC},
		{"another account's set", bob, d.ID, f.vpc.ID, cloud.KindDHCPOptions},
		{"another account's VPC", bob, NoDHCPOptions, f.vpc.ID, cloud.KindVPC},
	} {
		err := f.c.AssociateDHCPOptions(f.ctx, tc.who, tc.opts, tc.vpc)
		wantReason(t, err, cloud.NotFound, tc.kind, "does not exist")
	}

	if err := f.c.AssociateDHCPOptions(f.ctx, f.who, NoDHCPOptions, f.vpc.ID); err != nil {
		t.Fatal(err)
	}
	if got := readAs[VPC](f, f.vpc.ID).DHCPOptionsID; got != NoDHCPOptions {
		t.Fatalf("VPC's options %s, want none", got)
	}
	dry := f.who
	dry.DryRun = true
	refusedWith(t, f.c.DeleteDHCPOptions(f.ctx, dry, d.ID), cloud.DryRun, "dry run")
	if err := f.c.DeleteDHCPOptions(f.ctx, f.who, d.ID); err != nil {
		t.Fatal(err)
	}
	err = f.c.DeleteDHCPOptions(f.ctx, f.who, d.ID)
	wantReason(t, err, cloud.NotFound, cloud.KindDHCPOptions, "The dhcpOption ID '"+d.ID+"' does not exist")
}

// TestDefaultDHCPOptions: each scope gets Amazon's DNS and its region's
// domain; a new VPC uses the set until the user deletes it, then none.
func TestDefaultDHCPOptions(t *testing.T) {
	f := newFixture(t, "")
	for _, tc := range []struct {
		who    cloud.Caller
		domain string
	}{
		{alice, "ec2.internal"},
		{cloud.Caller{Account: alice.Account, Region: "eu-west-1"}, "eu-west-1.compute.internal"},
	} {
		page, err := cloud.List[DHCPOptions](f.ctx, f.c.Cloud, tc.who, cloud.Query{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 || !page.Items[0].IsDefault {
			t.Fatalf("%s: option sets %+v", tc.who.Region, page.Items)
		}
		c := page.Items[0].Configurations
		if c[0].Key != "domain-name" || c[0].Values[0] != tc.domain || c[1].Values[0] != "AmazonProvidedDNS" {
			t.Errorf("%s: default options %+v", tc.who.Region, c)
		}
	}
	def := readAs[VPC](f, f.vpc.ID).DHCPOptionsID
	if def == NoDHCPOptions {
		t.Fatal("a new VPC has no options while the default set exists")
	}
	// The default VPC uses the set too: free both first.
	for _, v := range []string{f.vpc.ID, defaultVPCOf(t, f)} {
		if err := f.c.AssociateDHCPOptions(f.ctx, f.who, NoDHCPOptions, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.c.DeleteDHCPOptions(f.ctx, f.who, def); err != nil {
		t.Fatal(err)
	}
	v, err := f.c.CreateVPC(f.ctx, f.who, CreateVPCInput{CIDRBlock: "10.9.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	if v.DHCPOptionsID != NoDHCPOptions {
		t.Errorf("a VPC made after the default set went has options %s", v.DHCPOptionsID)
	}
}

// TestCreateDHCPOptionsRefusals: a bad option or a tag specification of
// another type creates nothing.
func TestCreateDHCPOptionsRefusals(t *testing.T) {
	f := newFixture(t, "")
	for _, tc := range []struct {
		name    string
		configs []DHCPConfiguration
		specs   []cloud.TagSpec
		reason  cloud.Reason
		msg     string
	}{
		{"none", nil, nil, cloud.MissingParameter, "The request must contain the parameter dhcpConfiguration"},
		{"unknown key", []DHCPConfiguration{{Key: "routers", Values: []string{"10.0.0.1"}}}, nil, cloud.InvalidParameter, "Value (routers) for parameter key is invalid. Unrecognized DHCP option key."},
		{"bad server", []DHCPConfiguration{{Key: "domain-name-servers", Values: []string{"dns.example"}}}, nil, cloud.InvalidParameter, "Value (dns.example) for parameter domain-name-servers is invalid."},
		{"tags of a VPC", []DHCPConfiguration{{Key: "domain-name", Values: []string{"a"}}}, []cloud.TagSpec{{ResourceType: "vpc"}}, cloud.InvalidParameter, "'vpc' is not a valid taggable resource type for this operation."},
		{"reserved tag", []DHCPConfiguration{{Key: "domain-name", Values: []string{"a"}}}, []cloud.TagSpec{{ResourceType: "dhcp-options", Tags: []cloud.Tag{{Key: "aws:x", Value: "y"}}}}, cloud.InvalidParameter, "reserved for internal use"},
	} {
		_, err := f.c.CreateDHCPOptions(f.ctx, f.who, tc.configs, tc.specs)
		wantReason(t, err, tc.reason, "", tc.msg)
	}
	page, err := cloud.List[DHCPOptions](f.ctx, f.c.Cloud, f.who, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("refused creates left %d sets: %v", len(page.Items), err)
	}
}

// defaultVPCOf is the id of the fixture's account's default VPC.
func defaultVPCOf(t *testing.T, f fixture) string {
	t.Helper()
	v, err := f.c.DefaultVPC(f.ctx, f.who)
	if err != nil {
		t.Fatal(err)
	}
	return v.ID
}
