package ec2_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

func TestVPCLifecycle(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()

	out, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{
		CidrBlock: aws.String("10.0.0.0/16"),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeVpc,
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("main")}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.Vpc.VpcId)
	if out.Vpc.State != types.VpcStatePending || aws.ToString(out.Vpc.OwnerId) != emulatortest.AccountA {
		t.Errorf("create answer: state %s owner %s", out.Vpc.State, aws.ToString(out.Vpc.OwnerId))
	}

	d, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{{Name: aws.String("tag:Name"), Values: []string{"main"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Vpcs) != 1 || aws.ToString(d.Vpcs[0].VpcId) != id || d.Vpcs[0].State != types.VpcStateAvailable {
		t.Fatalf("describe by tag: %+v", d.Vpcs)
	}

	attr, err := c.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: &id, Attribute: types.VpcAttributeNameEnableDnsHostnames})
	if err != nil || aws.ToBool(attr.EnableDnsHostnames.Value) {
		t.Fatalf("dns hostnames of a new VPC: %v %v", attr, err)
	}
	if _, err := c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: &id, EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	attr, _ = c.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: &id, Attribute: types.VpcAttributeNameEnableDnsHostnames})
	if !aws.ToBool(attr.EnableDnsHostnames.Value) {
		t.Fatal("dns hostnames not enabled")
	}

	// Another account does not see it.
	other := emulatortest.EC2(e, emulatortest.AccountB, "us-east-1")
	if _, err := other.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{id}}); apiCode(err) != "InvalidVpcID.NotFound" {
		t.Fatalf("other account: want InvalidVpcID.NotFound, got %v", err)
	}

	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &id, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1b")})
	if err != nil {
		t.Fatal(err)
	}
	if n := aws.ToInt32(sub.Subnet.AvailableIpAddressCount); n != 251 {
		t.Errorf("a /24 has %d free addresses, want 251", n)
	}
	if _, err := c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: &id}); apiCode(err) != "DependencyViolation" {
		t.Fatalf("delete VPC with a subnet: want DependencyViolation, got %v", err)
	}
	if _, err := c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: sub.Subnet.SubnetId}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: &id}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{id}}); apiCode(err) != "InvalidVpcID.NotFound" {
		t.Fatalf("after delete: want InvalidVpcID.NotFound, got %v", err)
	}
}

func TestDescribeSubnetsFilters(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	id := vpc.Vpc.VpcId
	for i, az := range []string{"us-east-1a", "us-east-1b", "us-east-1b"} {
		if _, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: id, CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i)), AvailabilityZone: aws.String(az),
			TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeSubnet, Tags: []types.Tag{{Key: aws.String("tier"), Value: aws.String(fmt.Sprint("t", i))}}}}}); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name   string
		values []string
		want   int
	}{
		{"vpc-id", []string{*id}, 3},
		{"availability-zone", []string{"us-east-1b"}, 2},
		{"availabilityZone", []string{"us-east-1a"}, 1},
		{"cidr-block", []string{"10.0.1.0/24"}, 1},
		{"cidrBlock", []string{"10.0.*"}, 3},
		{"available-ip-address-count", []string{"251"}, 3},
		{"default-for-az", []string{"false"}, 3},
		{"tag:tier", []string{"t1", "t2"}, 2},
		{"tag-key", []string{"tier"}, 3},
		{"state", []string{"available"}, 3},
	}
	for _, tc := range cases {
		out, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{*id}},
			{Name: aws.String(tc.name), Values: tc.values},
		}})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(out.Subnets) != tc.want {
			t.Errorf("%s=%v: %d subnets, want %d", tc.name, tc.values, len(out.Subnets), tc.want)
		}
	}
}
