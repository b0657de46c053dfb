package network

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

func mustVPC(t *testing.T, c *Service, who cloud.Caller, block string) *VPC {
	t.Helper()
	v, err := c.CreateVPC(context.Background(), who, CreateVPCInput{CIDRBlock: block})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCreateVPCBlocks(t *testing.T) {
	c := newCloud(t)
	cases := []struct {
		block  string
		reason cloud.Reason // 0: accepted
	}{
		{"10.0.0.0/16", 0},
		{"10.1.0.0/28", 0},
		{"10.0.0.0/15", cloud.Range},
		{"10.0.0.0/29", cloud.Range},
		{"10.2.0.1/16", 0}, // made canonical: 10.2.0.0/16
		{"10.0.0.0", cloud.InvalidParameter},
		{"2600::/56", cloud.InvalidParameter},
		{"", cloud.MissingParameter},
	}
	for _, tc := range cases {
		_, err := c.CreateVPC(context.Background(), alice, CreateVPCInput{CIDRBlock: tc.block})
		if tc.reason == 0 {
			if err != nil {
				t.Errorf("%q: %v", tc.block, err)
			}
			continue
		}
		refusedWith(t, err, tc.reason, tc.block)
	}
}

func TestCreateVPCMakesItsDefaults(t *testing.T) {
	c := newCloud(t)
	ctx := context.Background()
	v := mustVPC(t, c, alice, "10.0.0.0/16")
	err := c.View(ctx, alice, func(tx *cloud.Txn) error {
		rt, err := cloud.GetIn[RouteTable](tx, v.MainRouteTableID)
		if err != nil {
			return err
		}
		if len(rt.Routes) != 1 || rt.Routes[0].GatewayID != "local" || rt.Routes[0].DestinationCIDR != "10.0.0.0/16" {
			t.Errorf("main table routes %+v", rt.Routes)
		}
		if len(rt.Associations) != 1 || !rt.Associations[0].Main {
			t.Errorf("main table associations %+v", rt.Associations)
		}
		acl, err := cloud.GetIn[NetworkACL](tx, v.DefaultNetworkACLID)
		if err != nil {
			return err
		}
		if !acl.IsDefault || len(acl.Entries) != 4 {
			t.Errorf("default ACL %+v", acl)
		}
		sg, err := cloud.GetIn[SecurityGroup](tx, v.DefaultSecurityGroupID)
		if err != nil {
			return err
		}
		if !sg.IsDefault() || len(sg.Rules) != 2 || sg.Rules[0].ReferencedGroupID != sg.ID {
			t.Errorf("default group %+v", sg)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !v.EnableDNSSupport || v.EnableDNSHostnames {
		t.Errorf("a new VPC has DNS support and no DNS hostnames, got %v %v", v.EnableDNSSupport, v.EnableDNSHostnames)
	}
}

func TestDefaultVPCPerScope(t *testing.T) {
	c := newCloud(t)
	ctx := context.Background()
	for _, who := range []cloud.Caller{alice, bob, {Account: alice.Account, Region: "eu-west-1"}} {
		v, err := c.DefaultVPC(ctx, who)
		if err != nil || v == nil {
			t.Fatalf("%v: default VPC %v %v", who, v, err)
		}
		if v.CIDRBlock != "172.31.0.0/16" || !v.IsDefault || !v.EnableDNSHostnames {
			t.Errorf("%v: default VPC %+v", who, v)
		}
		page, err := cloud.List[Subnet](ctx, c.Cloud, who, cloud.Query{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		zones := map[string]bool{}
		for _, s := range page.Items {
			if !s.DefaultForAZ || !s.MapPublicIPOnLaunch || s.AvailableIPs() != 4091 {
				t.Errorf("%v: default subnet %+v", who, s)
			}
			zones[s.AvailabilityZone] = true
		}
		if want := map[string]int{"us-east-1": 6, "eu-west-1": 3}[who.Region]; len(zones) != want {
			t.Errorf("%v: default subnets in %d zones, want %d", who, len(zones), want)
		}
	}
	_, err := c.CreateDefaultVPC(ctx, alice)
	refusedWith(t, err, cloud.AlreadyAssociated, "second default VPC")
	_, err = c.DefaultVPC(ctx, cloud.Caller{Account: alice.Account, Region: "mars-north-1"})
	refusedWith(t, err, cloud.AuthFailure, "unknown region")
}

func TestCreateSubnetRules(t *testing.T) {
	c := newCloud(t)
	ctx := context.Background()
	v := mustVPC(t, c, alice, "10.0.0.0/16")
	if _, err := c.CreateSubnet(ctx, alice, CreateSubnetInput{VpcID: v.ID, CIDRBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a"}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		in     CreateSubnetInput
		reason cloud.Reason
	}{
		{"outside the VPC", CreateSubnetInput{VpcID: v.ID, CIDRBlock: "10.1.0.0/24"}, cloud.Range},
		{"larger than the VPC", CreateSubnetInput{VpcID: v.ID, CIDRBlock: "10.0.0.0/15"}, cloud.Range},
		{"too small", CreateSubnetInput{VpcID: v.ID, CIDRBlock: "10.0.2.0/29"}, cloud.Range},
		{"overlap", CreateSubnetInput{VpcID: v.ID, CIDRBlock: "10.0.1.128/25"}, cloud.Conflict},
		{"covers another", CreateSubnetInput{VpcID: v.ID, CIDRBlock: "10.0.0.0/20"}, cloud.Conflict},
		{"bad zone", CreateSubnetInput{VpcID: v.ID, CIDRBlock: "10.0.3.0/24", AvailabilityZone: "eu-west-1a"}, cloud.InvalidParameter},
		{"malformed", CreateSubnetInput{VpcID: v.ID, CIDRBlock: "10.0.3.0/33"}, cloud.InvalidParameter},
		{"no VPC", CreateSubnetInput{VpcID: "vpc-00000000000000000", CIDRBlock: "10.0.3.0/24"}, cloud.NotFound},
		{"other account's VPC", CreateSubnetInput{VpcID: v.ID, CIDRBlock: "10.0.3.0/24"}, cloud.NotFound},
	}
	for _, tc := range cases {
		who := alice
		if tc.name == "other account's VPC" {
			who = bob
		}
		_, err := c.CreateSubnet(ctx, who, tc.in)
		refusedWith(t, err, tc.reason, tc.name)
	}
}

func TestSecondaryBlocks(t *testing.T) {
	c := newCloud(t)
	ctx := context.Background()
	v := mustVPC(t, c, alice, "10.0.0.0/16")
	cases := []struct {
		block  string
		reason cloud.Reason
	}{
		{"10.1.0.0/16", 0},
		{"10.0.128.0/17", cloud.Conflict},
		{"192.168.0.0/16", cloud.Range}, // another RFC 1918 range than the primary
		{"100.64.0.0/16", 0},            // shared address space is allowed
		{"10.2.0.0/15", cloud.Range},    // larger than /16
	}
	var secondary CIDRAssociation
	for _, tc := range cases {
		_, a, err := c.AssociateVPCCIDRBlock(ctx, alice, v.ID, tc.block, false, "")
		if tc.reason == 0 {
			if err != nil {
				t.Fatalf("%s: %v", tc.block, err)
			}
			if tc.block == "10.1.0.0/16" {
				secondary = a
			}
			continue
		}
		refusedWith(t, err, tc.reason, tc.block)
	}
	// The new block's local route is in every table, and subnets may use it.
	s, err := c.CreateSubnet(ctx, alice, CreateSubnetInput{VpcID: v.ID, CIDRBlock: "10.1.5.0/24"})
	if err != nil {
		t.Fatal(err)
	}
	var rt *RouteTable
	c.View(ctx, alice, func(tx *cloud.Txn) (err error) { rt, err = cloud.GetIn[RouteTable](tx, v.MainRouteTableID); return })
	if len(rt.Routes) != 3 {
		t.Errorf("local routes after two secondary blocks: %+v", rt.Routes)
	}
	_, _, err = c.DisassociateVPCCIDRBlock(ctx, alice, secondary.ID)
	refusedWith(t, err, cloud.IncorrectState, "block in use by a subnet")
	_, _, err = c.DisassociateVPCCIDRBlock(ctx, alice, v.CIDRAssociations[0].ID)
	refusedWith(t, err, cloud.OperationNotPermitted, "primary block")
	if err := c.DeleteSubnet(ctx, alice, s.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.DisassociateVPCCIDRBlock(ctx, alice, secondary.ID); err != nil {
		t.Fatal(err)
	}
}

func TestDeleteVPCTakesItsDefaults(t *testing.T) {
	c := newCloud(t)
	ctx := context.Background()
	v := mustVPC(t, c, alice, "10.0.0.0/16")
	if err := c.DeleteVPC(ctx, alice, v.ID); err != nil {
		t.Fatal(err)
	}
	c.View(ctx, alice, func(tx *cloud.Txn) error {
		for _, id := range []struct {
			kind cloud.Kind
			id   string
		}{{cloud.KindRouteTable, v.MainRouteTableID}, {cloud.KindNetworkACL, v.DefaultNetworkACLID}, {cloud.KindSecurityGroup, v.DefaultSecurityGroupID}} {
			if _, err := tx.Get(id.kind, id.id); err != cloud.ErrNoRecord {
				t.Errorf("%s %s survived its VPC: %v", id.kind, id.id, err)
			}
		}
		return nil
	})
}

func TestDryRunChangesNothing(t *testing.T) {
	c := newCloud(t)
	ctx := context.Background()
	dry := alice
	dry.DryRun = true
	_, err := c.CreateVPC(ctx, dry, CreateVPCInput{CIDRBlock: "10.0.0.0/16"})
	refusedWith(t, err, cloud.DryRun, "dry run")
	page, err := cloud.List[VPC](ctx, c.Cloud, alice, cloud.Query{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || !page.Items[0].IsDefault {
		t.Fatalf("a dry run created a VPC: %d VPCs", len(page.Items))
	}
	// A dry run still runs the checks.
	_, err = c.CreateVPC(ctx, dry, CreateVPCInput{CIDRBlock: "10.0.0.0/8"})
	refusedWith(t, err, cloud.Range, "dry run with a bad block")
}

func TestListPaging(t *testing.T) {
	c := newCloud(t)
	ctx := context.Background()
	for i := 0; i < 7; i++ {
		mustVPC(t, c, alice, fmt.Sprintf("10.%d.0.0/16", i))
	}
	var ids []string
	q := cloud.Query{Limit: 3}
	for pages := 0; ; pages++ {
		page, err := cloud.List[VPC](ctx, c.Cloud, alice, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Items {
			ids = append(ids, v.ID)
		}
		if page.Next == "" {
			if pages != 2 {
				t.Errorf("%d pages, want 3", pages+1)
			}
			break
		}
		q.After = page.Next
	}
	if len(ids) != 8 { // 7 and the default VPC
		t.Fatalf("paged through %d VPCs, want 8", len(ids))
	}
	_, err := cloud.List[VPC](ctx, c.Cloud, alice, cloud.Query{IDs: []string{ids[0], "vpc-0000000000000dead"}}, nil)
	refusedWith(t, err, cloud.NotFound, "a missing id")
}

// TestConcurrentAddressesAreUnique allocates addresses from many goroutines:
// no two interfaces may get the same address, and the free count stays exact.
func TestConcurrentAddressesAreUnique(t *testing.T) {
	c := newCloud(t)
	ctx := context.Background()
	v := mustVPC(t, c, alice, "10.0.0.0/16")
	s, err := c.CreateSubnet(ctx, alice, CreateSubnetInput{VpcID: v.ID, CIDRBlock: "10.0.0.0/26"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[string]bool{}
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.Update(ctx, alice, func(tx *cloud.Txn) error {
				sub, err := cloud.GetIn[Subnet](tx, s.ID)
				if err != nil {
					return err
				}
				eni, err := CreateInterface(tx, sub, InterfaceSpec{})
				if err != nil {
					return err
				}
				mu.Lock()
				defer mu.Unlock()
				if seen[eni.PrimaryIP()] {
					t.Errorf("address %s given twice", eni.PrimaryIP())
				}
				seen[eni.PrimaryIP()] = true
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	var sub *Subnet
	c.View(ctx, alice, func(tx *cloud.Txn) (err error) { sub, err = cloud.GetIn[Subnet](tx, s.ID); return })
	if got, want := sub.AvailableIPs(), int64(64-5-40); got != want {
		t.Errorf("free addresses %d, want %d", got, want)
	}
}

// TestVPCAttributes: DNS support, DNS hostnames (which need DNS support)
// and address usage metrics; the tenancy changes to default only.
func TestVPCAttributes(t *testing.T) {
	f := newFixture(t, "")
	for _, tc := range []struct {
		attr VPCAttribute
		on   bool
	}{{AttrEnableDNSHostnames, true}, {AttrEnableNetworkAddressUsageMetrics, true}, {AttrEnableDNSHostnames, false}, {AttrEnableDNSSupport, false}} {
		if err := f.c.ModifyVPCAttribute(f.ctx, f.who, f.vpc.ID, tc.attr, tc.on); err != nil {
			t.Fatalf("%s=%v: %v", tc.attr, tc.on, err)
		}
		got, err := readAs[VPC](f, f.vpc.ID).Attribute(tc.attr)
		if err != nil || got != tc.on {
			t.Fatalf("%s is %v after setting %v: %v", tc.attr, got, tc.on, err)
		}
	}
	wantReason(t, f.c.ModifyVPCAttribute(f.ctx, f.who, f.vpc.ID, AttrEnableDNSHostnames, true), cloud.InvalidParameter, "",
		"Value (true) for parameter enableDnsHostnames is invalid. Cannot enable DNS hostnames without DNS support.")
	wantReason(t, f.c.ModifyVPCAttribute(f.ctx, f.who, f.vpc.ID, "enableClassicLink", true), cloud.InvalidParameter, "", "Value (enableClassicLink) for parameter attribute is invalid. Unknown attribute.")
	if _, err := readAs[VPC](f, f.vpc.ID).Attribute("enableClassicLink"); err == nil {
		t.Fatal("an unknown attribute read")
	}
	wantReason(t, f.c.ModifyVPCAttribute(f.ctx, bob, f.vpc.ID, AttrEnableDNSSupport, true), cloud.NotFound, cloud.KindVPC, f.vpc.ID)

	v, err := f.c.CreateVPC(f.ctx, f.who, CreateVPCInput{CIDRBlock: "10.5.0.0/16", InstanceTenancy: "dedicated"})
	if err != nil || v.InstanceTenancy != "dedicated" {
		t.Fatalf("dedicated VPC %+v %v", v, err)
	}
	wantReason(t, f.c.ModifyVPCTenancy(f.ctx, f.who, v.ID, "dedicated"), cloud.InvalidParameter, "", "The instance tenancy of a VPC can only be changed to default.")
	wantReason(t, f.c.ModifyVPCTenancy(f.ctx, f.who, v.ID, ""), cloud.MissingParameter, "", "The request must contain the parameter instanceTenancy")
	if err := f.c.ModifyVPCTenancy(f.ctx, f.who, v.ID, "default"); err != nil {
		t.Fatal(err)
	}
	if got, err := f.c.GetVPC(f.ctx, f.who, v.ID); err != nil || got.InstanceTenancy != "default" {
		t.Fatalf("tenancy %+v %v", got, err)
	}
	wantReason(t, f.c.ModifyVPCTenancy(f.ctx, f.who, "vpc-0123456789abcdef0", "default"), cloud.NotFound, cloud.KindVPC, "")
	_, err = f.c.CreateVPC(f.ctx, f.who, CreateVPCInput{CIDRBlock: "10.6.0.0/16", InstanceTenancy: "host"})
	refusedWith(t, err, cloud.InvalidParameter, "host tenancy")
}

// TestVPCWithIPv6: a VPC asked with an Amazon IPv6 block has it, in its
// local routes, its ACL rules and its default group's egress.
func TestVPCWithIPv6(t *testing.T) {
	f := newFixture(t, "")
	v, err := f.c.CreateVPC(f.ctx, f.who, CreateVPCInput{CIDRBlock: "10.7.0.0/16", AmazonProvidedIPv6CIDRBlock: true,
		Tags: []cloud.TagSpec{{ResourceType: "vpc", Tags: []cloud.Tag{{Key: "Name", Value: "v6"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.IPv6Associations) != 1 || len(v.IPv6Prefixes()) != 1 || v.IPv6Prefixes()[0].Bits() != 56 || v.Tags["Name"] != "v6" {
		t.Fatalf("VPC %+v", v)
	}
	rt := readAs[RouteTable](f, v.MainRouteTableID)
	if len(rt.Routes) != 2 || rt.Routes[1].DestinationIPv6CIDR != v.IPv6Associations[0].CIDR {
		t.Fatalf("local routes %+v", rt.Routes)
	}
	sg := readAs[SecurityGroup](f, v.DefaultSecurityGroupID)
	if len(sg.Rules) != 3 || sg.Rules[2].CIDRIPv6 != "::/0" {
		t.Fatalf("default group's rules %+v", sg.Rules)
	}
	// Five IPv6 blocks at most.
	for range 4 {
		if _, _, err := f.c.AssociateVPCCIDRBlock(f.ctx, f.who, v.ID, "", true, ""); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err = f.c.AssociateVPCCIDRBlock(f.ctx, f.who, v.ID, "", true, "")
	wantReason(t, err, cloud.LimitExceeded, cloud.KindVPCCIDRAssociation, "The maximum number of IPv6 CIDR blocks for vpc "+v.ID+" has been reached.")
	_, _, err = f.c.AssociateVPCCIDRBlock(f.ctx, f.who, "vpc-0123456789abcdef0", "10.8.0.0/16", false, "")
	wantReason(t, err, cloud.NotFound, cloud.KindVPC, "")
	_, _, err = f.c.DisassociateVPCCIDRBlock(f.ctx, f.who, "vpc-cidr-assoc-0123456789abcdef0")
	wantReason(t, err, cloud.NotFound, cloud.KindVPCCIDRAssociation, "The vpc CIDR block association ID 'vpc-cidr-assoc-0123456789abcdef0' does not exist")
}

// TestIPv4BlockQuota: ipv4-cidr-blocks-per-vpc counts the primary block.
func TestIPv4BlockQuota(t *testing.T) {
	f := newFixture(t, "", cloud.WithQuotas(map[string]int{"ipv4-cidr-blocks-per-vpc": 2}))
	if _, _, err := f.c.AssociateVPCCIDRBlock(f.ctx, f.who, f.vpc.ID, "10.1.0.0/16", false, ""); err != nil {
		t.Fatal(err)
	}
	_, _, err := f.c.AssociateVPCCIDRBlock(f.ctx, f.who, f.vpc.ID, "10.2.0.0/16", false, "")
	wantReason(t, err, cloud.LimitExceeded, cloud.KindVPCCIDRAssociation, "This network '"+f.vpc.ID+"' has met its maximum number of allowed CIDRs: 2")
}

// TestDeleteVPCDependencies: each kind of resource in a VPC blocks its
// delete.
func TestDeleteVPCDependencies(t *testing.T) {
	for _, tc := range []struct {
		name string
		add  func(f fixture) error
	}{
		{"subnet", func(f fixture) error { return nil }},
		{"internet gateway", func(f fixture) error {
			igw, err := f.c.CreateInternetGateway(f.ctx, f.who, nil)
			if err == nil {
				err = f.c.AttachInternetGateway(f.ctx, f.who, igw.ID, f.vpc.ID)
			}
			return err
		}},
		{"egress-only gateway", func(f fixture) error {
			_, err := f.c.CreateEgressOnlyInternetGateway(f.ctx, f.who, f.vpc.ID, nil)
			return err
		}},
		{"route table", func(f fixture) error { _, err := f.c.CreateRouteTable(f.ctx, f.who, f.vpc.ID, nil); return err }},
		{"security group", func(f fixture) error {
			_, err := f.c.CreateSecurityGroup(f.ctx, f.who, CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "x", Description: "x"})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "")
			if tc.name != "subnet" {
				if err := f.c.DeleteSubnet(f.ctx, f.who, f.subnet.ID); err != nil {
					t.Fatal(err)
				}
			}
			if err := tc.add(f); err != nil {
				t.Fatal(err)
			}
			wantReason(t, f.c.DeleteVPC(f.ctx, f.who, f.vpc.ID), cloud.DependencyViolation, cloud.KindVPC, "The vpc '"+f.vpc.ID+"' has dependencies and cannot be deleted.")
		})
	}
}
