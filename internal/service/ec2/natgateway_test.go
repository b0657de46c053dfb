package ec2_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// defaultSubnet returns the default subnet of the first zone: its VPC has
// an internet gateway.
func defaultSubnet(t *testing.T, c *ec2.Client) types.Subnet {
	t.Helper()
	d, err := c.DescribeSubnets(context.Background(), &ec2.DescribeSubnetsInput{Filters: []types.Filter{
		{Name: aws.String("default-for-az"), Values: []string{"true"}},
		{Name: aws.String("availability-zone"), Values: []string{"us-east-1a"}},
	}})
	if err != nil || len(d.Subnets) != 1 {
		t.Fatalf("default subnet: %v %v", d, err)
	}
	return d.Subnets[0]
}

// newSubnet makes a subnet in vpc (a new VPC 10.0.0.0/16 when vpc is "").
func newSubnet(t *testing.T, c *ec2.Client, vpc, block string) types.Subnet {
	t.Helper()
	ctx := context.Background()
	if vpc == "" {
		v, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
		if err != nil {
			t.Fatal(err)
		}
		vpc = aws.ToString(v.Vpc.VpcId)
	}
	s, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: &block, AvailabilityZone: aws.String("us-east-1a")})
	if err != nil {
		t.Fatal(err)
	}
	return *s.Subnet
}

func createNAT(t *testing.T, c *ec2.Client, in *ec2.CreateNatGatewayInput) string {
	t.Helper()
	out, err := c.CreateNatGateway(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.NatGateway.NatGatewayId)
}

func describeNAT(t *testing.T, c *ec2.Client, id string) types.NatGateway {
	t.Helper()
	d, err := c.DescribeNatGateways(context.Background(), &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
	if err != nil || len(d.NatGateways) != 1 {
		t.Fatalf("describe %s: %v %v", id, d, err)
	}
	return d.NatGateways[0]
}

func freeIPs(t *testing.T, c *ec2.Client, subnet *string) int32 {
	t.Helper()
	d, err := c.DescribeSubnets(context.Background(), &ec2.DescribeSubnetsInput{SubnetIds: []string{aws.ToString(subnet)}})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToInt32(d.Subnets[0].AvailableIpAddressCount)
}

// newClock is the NAT gateway tests' clock.
func newClock() *testClock { return &testClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func TestNATGatewayPublicLifecycle(t *testing.T) {
	clk := newClock()
	e := emulatortest.Start(t, cloud.WithClock(clk.Now))
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	subnet := newSubnet(t, c, aws.ToString(defaultSubnet(t, c).VpcId), "172.31.96.0/24")
	eip := allocate(t, c, "")

	in := &ec2.CreateNatGatewayInput{
		SubnetId: subnet.SubnetId, AllocationId: eip.AllocationId, ClientToken: aws.String("token-1"),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeNatgateway, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("main")}}}},
	}
	out, err := c.CreateNatGateway(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	gw := out.NatGateway
	id := aws.ToString(gw.NatGatewayId)
	if !strings.HasPrefix(id, "nat-") || gw.State != types.NatGatewayStatePending || gw.ConnectivityType != types.ConnectivityTypePublic ||
		aws.ToString(gw.SubnetId) != aws.ToString(subnet.SubnetId) || aws.ToString(gw.VpcId) != aws.ToString(subnet.VpcId) ||
		!aws.ToTime(gw.CreateTime).Equal(clk.Now()) || aws.ToString(out.ClientToken) != "token-1" || len(gw.Tags) != 1 ||
		len(gw.NatGatewayAddresses) != 1 || aws.ToString(gw.NatGatewayAddresses[0].AllocationId) != aws.ToString(eip.AllocationId) {
		t.Fatalf("create answer: %+v", gw)
	}
	// A retry with the same client token is the same gateway.
	again, err := c.CreateNatGateway(ctx, in)
	if err != nil || aws.ToString(again.NatGateway.NatGatewayId) != id {
		t.Fatalf("retry: %v %v", again, err)
	}

	got := describeNAT(t, c, id)
	if got.State != types.NatGatewayStateAvailable || got.FailureCode != nil || got.DeleteTime != nil || len(got.NatGatewayAddresses) != 1 {
		t.Fatalf("describe: %+v", got)
	}
	a := got.NatGatewayAddresses[0]
	if aws.ToString(a.AllocationId) != aws.ToString(eip.AllocationId) || aws.ToString(a.PublicIp) != aws.ToString(eip.PublicIp) ||
		!strings.HasPrefix(aws.ToString(a.NetworkInterfaceId), "eni-") || aws.ToString(a.PrivateIp) != "172.31.96.4" ||
		!strings.HasPrefix(aws.ToString(a.AssociationId), "eipassoc-") || !aws.ToBool(a.IsPrimary) || a.Status != types.NatGatewayAddressStatusSucceeded {
		t.Fatalf("address: %+v", a)
	}
	if n := freeIPs(t, c, subnet.SubnetId); n != 250 {
		t.Fatalf("the gateway's interface should take one address: %d free", n)
	}
	if _, err := c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: subnet.SubnetId}); apiCode(err) != "DependencyViolation" {
		t.Fatalf("delete the gateway's subnet: %v", err)
	}

	clk.Add(time.Minute)
	del, err := c.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: &id})
	if err != nil || aws.ToString(del.NatGatewayId) != id {
		t.Fatalf("delete: %v %v", del, err)
	}
	got = describeNAT(t, c, id)
	if got.State != types.NatGatewayStateDeleted || !aws.ToTime(got.DeleteTime).Equal(clk.Now()) {
		t.Fatalf("after delete: %+v", got)
	}
	// Deleting a deleted gateway that still shows succeeds, as on AWS.
	if _, err := c.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: &id}); err != nil {
		t.Fatalf("delete again: %v", err)
	}
	d, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{aws.ToString(eip.AllocationId)}})
	if err != nil || d.Addresses[0].AssociationId != nil {
		t.Fatalf("the Elastic IP should be kept but unmapped: %v %v", d, err)
	}
	if n := freeIPs(t, c, subnet.SubnetId); n != 251 {
		t.Fatalf("the interface's address should be free again: %d free", n)
	}
	if _, err := c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: subnet.SubnetId}); err != nil {
		t.Fatalf("a deleted gateway must not block its subnet: %v", err)
	}
}

func TestNATGatewayPrivate(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	subnet := newSubnet(t, c, "", "10.0.1.0/24")

	out, err := c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{
		SubnetId: subnet.SubnetId, ConnectivityType: types.ConnectivityTypePrivate,
		PrivateIpAddress: aws.String("10.0.1.10"), SecondaryPrivateIpAddressCount: aws.Int32(2),
	})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.NatGateway.NatGatewayId)
	if out.NatGateway.ConnectivityType != types.ConnectivityTypePrivate || out.NatGateway.State != types.NatGatewayStatePending {
		t.Fatalf("create answer: %+v", out.NatGateway)
	}
	got := describeNAT(t, c, id)
	if got.State != types.NatGatewayStateAvailable || len(got.NatGatewayAddresses) != 3 {
		t.Fatalf("describe: %+v", got)
	}
	var ips []string
	for i, a := range got.NatGatewayAddresses {
		if aws.ToBool(a.IsPrimary) != (i == 0) || a.AllocationId != nil || a.PublicIp != nil || a.AssociationId != nil ||
			a.Status != types.NatGatewayAddressStatusSucceeded || aws.ToString(a.NetworkInterfaceId) != aws.ToString(got.NatGatewayAddresses[0].NetworkInterfaceId) {
			t.Fatalf("address %d: %+v", i, a)
		}
		ips = append(ips, aws.ToString(a.PrivateIp))
	}
	if strings.Join(ips, ",") != "10.0.1.10,10.0.1.4,10.0.1.5" {
		t.Fatalf("private addresses %v", ips)
	}
	if n := freeIPs(t, c, subnet.SubnetId); n != 248 {
		t.Fatalf("%d free addresses, want 248", n)
	}
	if _, err := c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: subnet.VpcId}); apiCode(err) != "DependencyViolation" {
		t.Fatalf("delete the VPC: %v", err)
	}
	if _, err := c.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: &id}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: subnet.SubnetId}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: subnet.VpcId}); err != nil {
		t.Fatalf("a deleted gateway must not block its VPC: %v", err)
	}
}

func TestNATGatewayFailures(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()

	t.Run("no internet gateway", func(t *testing.T) {
		subnet := newSubnet(t, c, "", "10.0.1.0/24")
		eip := allocate(t, c, "")
		out, err := c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, AllocationId: eip.AllocationId})
		if err != nil {
			t.Fatal(err)
		}
		if out.NatGateway.State != types.NatGatewayStatePending || out.NatGateway.FailureCode != nil {
			t.Fatalf("create answer: %+v", out.NatGateway)
		}
		got := describeNAT(t, c, aws.ToString(out.NatGateway.NatGatewayId))
		want := "Network " + aws.ToString(subnet.VpcId) + " has no Internet gateway attached"
		if got.State != types.NatGatewayStateFailed || aws.ToString(got.FailureCode) != "Gateway.NotAttached" || aws.ToString(got.FailureMessage) != want {
			t.Fatalf("describe: %+v", got)
		}
		if a := got.NatGatewayAddresses; len(a) != 1 || aws.ToString(a[0].AllocationId) != aws.ToString(eip.AllocationId) ||
			a[0].Status != types.NatGatewayAddressStatusFailed || a[0].PublicIp != nil || a[0].AssociationId != nil {
			t.Fatalf("addresses: %+v", a)
		}
		d, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{aws.ToString(eip.AllocationId)}})
		if err != nil || d.Addresses[0].AssociationId != nil {
			t.Fatalf("the Elastic IP must stay unmapped: %v %v", d, err)
		}
		if n := freeIPs(t, c, subnet.SubnetId); n != 251 {
			t.Fatalf("a failed gateway holds no address: %d free", n)
		}
		// A failed gateway holds nothing, so its subnet and VPC can go.
		if _, err := c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: subnet.SubnetId}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: subnet.VpcId}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("address already associated", func(t *testing.T) {
		subnet := defaultSubnet(t, c)
		eip := allocate(t, c, "")
		first := createNAT(t, c, &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, AllocationId: eip.AllocationId})
		second := createNAT(t, c, &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, AllocationId: eip.AllocationId})
		got := describeNAT(t, c, second)
		want := "Elastic IP address " + aws.ToString(eip.AllocationId) + " is already associated"
		if got.State != types.NatGatewayStateFailed || aws.ToString(got.FailureCode) != "Resource.AlreadyAssociated" || aws.ToString(got.FailureMessage) != want {
			t.Fatalf("second gateway: %+v", got)
		}
		if g := describeNAT(t, c, first); g.State != types.NatGatewayStateAvailable || aws.ToString(g.NatGatewayAddresses[0].PublicIp) != aws.ToString(eip.PublicIp) {
			t.Fatalf("first gateway lost its address: %+v", g)
		}
		// Deleting a failed gateway is allowed.
		if _, err := c.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: &second}); err != nil {
			t.Fatal(err)
		}
		if g := describeNAT(t, c, second); g.State != types.NatGatewayStateDeleted || g.DeleteTime == nil {
			t.Fatalf("deleted failed gateway: %+v", g)
		}
	})

	t.Run("subnet full", func(t *testing.T) {
		v, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
		if err != nil {
			t.Fatal(err)
		}
		subnet := newSubnet(t, c, aws.ToString(v.Vpc.VpcId), "10.1.0.0/28")
		for range 11 {
			createNAT(t, c, &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, ConnectivityType: types.ConnectivityTypePrivate})
		}
		got := describeNAT(t, c, createNAT(t, c, &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, ConnectivityType: types.ConnectivityTypePrivate}))
		if got.State != types.NatGatewayStateFailed || aws.ToString(got.FailureCode) != "InsufficientFreeAddressesInSubnet" ||
			aws.ToString(got.FailureMessage) != "Subnet has insufficient free addresses to create this NAT gateway" {
			t.Fatalf("gateway in a full subnet: %+v", got)
		}
	})
}

func TestNATGatewayLingers(t *testing.T) {
	clk := newClock()
	e := emulatortest.Start(t, cloud.WithClock(clk.Now))
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	subnet := newSubnet(t, c, "", "10.0.1.0/24")
	deleted := createNAT(t, c, &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, ConnectivityType: types.ConnectivityTypePrivate})
	failed := createNAT(t, c, &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, AllocationId: allocate(t, c, "").AllocationId})
	live := createNAT(t, c, &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, ConnectivityType: types.ConnectivityTypePrivate})
	clk.Add(30 * time.Minute)
	if _, err := c.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: &deleted}); err != nil {
		t.Fatal(err)
	}

	visible := func() []string {
		d, err := c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, n := range d.NatGateways {
			ids = append(ids, aws.ToString(n.NatGatewayId))
		}
		return ids
	}

	// 59 minutes after the failure, all three still show.
	clk.Add(29 * time.Minute)
	sameIDs(t, visible(), []string{deleted, failed, live})
	// An hour after it failed, the failed gateway is gone.
	clk.Add(time.Minute)
	sameIDs(t, visible(), []string{deleted, live})
	// An hour after its deletion, the deleted one is gone too.
	clk.Add(30 * time.Minute)
	sameIDs(t, visible(), []string{live})
	for _, id := range []string{deleted, failed} {
		want := "NAT gateway " + id + " was not found"
		if _, err := c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}}); apiCode(err) != "NatGatewayNotFound" || errMessage(err) != want {
			t.Fatalf("describe %s: %v", id, err)
		}
		if _, err := c.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)}); apiCode(err) != "NatGatewayNotFound" || errMessage(err) != want {
			t.Fatalf("delete %s: %v", id, err)
		}
	}
}

func TestNATGatewayFiltersAndPaging(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	a := newSubnet(t, c, "", "10.0.1.0/24")
	b := newSubnet(t, c, aws.ToString(a.VpcId), "10.0.2.0/24")
	other := newSubnet(t, c, "", "10.0.3.0/24") // another VPC

	tagged := func(subnet *string, env string) string {
		return createNAT(t, c, &ec2.CreateNatGatewayInput{SubnetId: subnet, ConnectivityType: types.ConnectivityTypePrivate,
			TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeNatgateway, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String(env)}}}}})
	}
	var inA, inB []string
	for range 3 {
		inA = append(inA, tagged(a.SubnetId, "prod"))
	}
	for range 2 {
		inB = append(inB, tagged(b.SubnetId, "dev"))
	}
	inOther := createNAT(t, c, &ec2.CreateNatGatewayInput{SubnetId: other.SubnetId, ConnectivityType: types.ConnectivityTypePrivate})
	gone := inA[0]
	if _, err := c.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: &gone}); err != nil {
		t.Fatal(err)
	}
	all := append(append(append([]string(nil), inA...), inB...), inOther)

	checkFilters(t, []filterCase{
		{"nat-gateway-id", []string{inB[0], inOther}, []string{inB[0], inOther}},
		{"state", []string{"available"}, append(append(inA[1:3:3], inB...), inOther)},
		{"state", []string{"deleted"}, []string{gone}},
		{"state", []string{"del*"}, []string{gone}},
		{"subnet-id", []string{aws.ToString(a.SubnetId)}, inA},
		{"vpc-id", []string{aws.ToString(a.VpcId)}, append(append([]string(nil), inA...), inB...)},
		{"tag:env", []string{"dev"}, inB},
		{"tag-key", []string{"env"}, append(append([]string(nil), inA...), inB...)},
		{"tag-value", []string{"prod"}, inA},
	}, func(f types.Filter) ([]string, error) {
		d, err := c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: []types.Filter{f}})
		if err != nil {
			return nil, err
		}
		var got []string
		for _, n := range d.NatGateways {
			got = append(got, aws.ToString(n.NatGatewayId))
		}
		return got, nil
	})

	var got []string
	pages := 0
	p := ec2.NewDescribeNatGatewaysPaginator(c, &ec2.DescribeNatGatewaysInput{MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, n := range page.NatGateways {
			got = append(got, aws.ToString(n.NatGatewayId))
		}
	}
	sort.Strings(all)
	if pages != 2 || fmt.Sprint(got) != fmt.Sprint(all) {
		t.Fatalf("%d pages: %v, want %v", pages, got, all)
	}
}

func TestNATGatewayRefusals(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	subnet := newSubnet(t, c, "", "10.0.1.0/24")
	eip := allocate(t, c, "")
	foreign := allocate(t, emulatortest.EC2(e, emulatortest.AccountB, "us-east-1"), "")
	busy := createNAT(t, c, &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, ConnectivityType: types.ConnectivityTypePrivate})
	busyIP := aws.ToString(describeNAT(t, c, busy).NatGatewayAddresses[0].PrivateIp)
	private := types.ConnectivityTypePrivate

	checkInputRefusals(t, []inputRefusal[*ec2.CreateNatGatewayInput]{
		{"public without an address", &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId}, "MissingParameter", "allocationId"},
		{"private with an address", &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, ConnectivityType: private, AllocationId: eip.AllocationId}, "InvalidParameterCombination", ""},
		{"unknown connectivity type", &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, ConnectivityType: "hybrid"}, "InvalidParameterValue", "hybrid"},
		{"unknown subnet", &ec2.CreateNatGatewayInput{SubnetId: aws.String("subnet-00000000000000000"), ConnectivityType: private}, "InvalidSubnetID.NotFound", "The subnet ID 'subnet-00000000000000000' does not exist"},
		{"unknown address", &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, AllocationId: aws.String("eipalloc-00000000000000000")}, "InvalidAllocationID.NotFound", ""},
		{"another account's address", &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, AllocationId: foreign.AllocationId}, "InvalidAllocationID.NotFound", ""},
		{"secondary addresses on a public gateway", &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, AllocationId: eip.AllocationId, SecondaryPrivateIpAddressCount: aws.Int32(1)}, "InvalidParameterCombination", ""},
		{"secondary Elastic IPs", &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, AllocationId: eip.AllocationId, SecondaryAllocationIds: []string{"eipalloc-00000000000000001"}}, "UnsupportedOperation", ""},
		{"chosen secondary private addresses", &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, ConnectivityType: private, SecondaryPrivateIpAddresses: []string{"10.0.1.50"}}, "UnsupportedOperation", ""},
		{"private address outside the subnet", &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, ConnectivityType: private, PrivateIpAddress: aws.String("10.0.2.5")}, "InvalidParameterValue", "does not fall within the subnet's address range"},
		{"private address in use", &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, ConnectivityType: private, PrivateIpAddress: &busyIP}, "InvalidIPAddress.InUse", ""},
		{"foreign tag type", &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, ConnectivityType: private,
			TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeVpc, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}}}}, "InvalidParameterValue", ""},
		{"dry run", &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, ConnectivityType: private, DryRun: aws.Bool(true)}, "DryRunOperation", ""},
	}, func(in *ec2.CreateNatGatewayInput) error {
		_, err := c.CreateNatGateway(ctx, in)
		return err
	})
	// Nothing above created a gateway.
	if d, err := c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{}); err != nil || len(d.NatGateways) != 1 {
		t.Fatalf("gateways after refusals: %v %v", d, err)
	}

	missing := "nat-00000000000000000"
	if _, err := c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{busy, missing}}); apiCode(err) != "NatGatewayNotFound" || errMessage(err) != "NAT gateway "+missing+" was not found" {
		t.Fatalf("describe a missing gateway: %v", err)
	}
	if _, err := c.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: &missing}); apiCode(err) != "NatGatewayNotFound" {
		t.Fatalf("delete a missing gateway: %v", err)
	}
	if _, err := emulatortest.EC2(e, emulatortest.AccountB, "us-east-1").DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: &busy}); apiCode(err) != "NatGatewayNotFound" {
		t.Fatalf("delete another account's gateway: %v", err)
	}
	if _, err := c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: []types.Filter{{Name: aws.String("connectivity-type"), Values: []string{"public"}}}}); apiCode(err) != "InvalidParameterValue" {
		t.Fatalf("unknown filter: %v", err)
	}
	if _, err := c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{MaxResults: aws.Int32(4)}); apiCode(err) == "" {
		t.Fatal("MaxResults below 5 must be refused")
	}
}
