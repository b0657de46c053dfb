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
