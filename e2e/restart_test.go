package e2e

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// fixture is what createFixture made.
type fixture struct{ vpcID, subnetID string }

// createFixture creates a VPC with DNS hostnames, a second CIDR block and a
// tagged subnet, and tags both; the last write is the CreateTags.
func createFixture(t *testing.T, ctx context.Context, c *ec2.Client) fixture {
	t.Helper()
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{
		CidrBlock:         aws.String("10.7.0.0/16"),
		TagSpecifications: tagSpec(types.ResourceTypeVpc, "Name", "kept", "env", "test"),
	})
	if err != nil {
		t.Fatal(err)
	}
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	if _, err := c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: &vpcID,
		EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: &vpcID, CidrBlock: aws.String("10.8.0.0/16")}); err != nil {
		t.Fatal(err)
	}
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{
		VpcId: &vpcID, CidrBlock: aws.String("10.7.1.0/24"), AvailabilityZone: aws.String(region + "b"),
		TagSpecifications: tagSpec(types.ResourceTypeSubnet, "Name", "kept-b"),
	})
	if err != nil {
		t.Fatal(err)
	}
	subnetID := aws.ToString(sub.Subnet.SubnetId)
	if _, err := c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{vpcID, subnetID},
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("net")}}}); err != nil {
		t.Fatal(err)
	}
	return fixture{vpcID, subnetID}
}

// tagSpec tags a created resource with key, value pairs.
func tagSpec(rt types.ResourceType, kv ...string) []types.TagSpecification {
	spec := types.TagSpecification{ResourceType: rt}
	for i := 0; i+1 < len(kv); i += 2 {
		spec.Tags = append(spec.Tags, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return []types.TagSpecification{spec}
}

// snapshot is everything a client sees of one account and region — every
// VPC with its DNS attributes, subnet and tag — as JSON, in id order.
func snapshot(t *testing.T, ctx context.Context, c *ec2.Client) string {
	t.Helper()
	vpcs, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	if err != nil {
		t.Fatal(err)
	}
	subnets, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	if err != nil {
		t.Fatal(err)
	}
	tags, err := c.DescribeTags(ctx, &ec2.DescribeTagsInput{})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(vpcs.Vpcs, func(i, j int) bool { return *vpcs.Vpcs[i].VpcId < *vpcs.Vpcs[j].VpcId })
	sort.Slice(subnets.Subnets, func(i, j int) bool { return *subnets.Subnets[i].SubnetId < *subnets.Subnets[j].SubnetId })
	attrs := map[string][2]bool{}
	for _, v := range vpcs.Vpcs {
		attrs[*v.VpcId] = [2]bool{
			vpcAttribute(t, ctx, c, *v.VpcId, types.VpcAttributeNameEnableDnsHostnames),
			vpcAttribute(t, ctx, c, *v.VpcId, types.VpcAttributeNameEnableDnsSupport),
		}
	}
	b, err := json.MarshalIndent(map[string]any{
		"vpcs": vpcs.Vpcs, "dnsHostnamesAndSupport": attrs, "subnets": subnets.Subnets, "tags": tags.Tags,
	}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func vpcAttribute(t *testing.T, ctx context.Context, c *ec2.Client, vpcID string, name types.VpcAttributeName) bool {
	t.Helper()
	out, err := c.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: &vpcID, Attribute: name})
	if err != nil {
		t.Fatal(err)
	}
	switch name {
	case types.VpcAttributeNameEnableDnsHostnames:
		return aws.ToBool(out.EnableDnsHostnames.Value)
	default:
		return aws.ToBool(out.EnableDnsSupport.Value)
	}
}

// TestRestartKeepsState stops a server gracefully and starts another on the
// same data directory: both accounts see exactly what they saw before.
func TestRestartKeepsState(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, 2*time.Minute)
	dir := t.TempDir()
	scopes := []struct{ account, region string }{{accountA, region}, {accountB, "eu-west-1"}}

	s := Serve(t, "--addr", "127.0.0.1:0", "--data-dir", dir)
	createFixture(t, ctx, ec2Client(s.URL, accountA, region))
	if _, err := ec2Client(s.URL, accountB, "eu-west-1").CreateVpc(ctx, &ec2.CreateVpcInput{
		CidrBlock: aws.String("10.9.0.0/16"), TagSpecifications: tagSpec(types.ResourceTypeVpc, "Name", "other")}); err != nil {
		t.Fatal(err)
	}
	var before []string
	for _, sc := range scopes {
		before = append(before, snapshot(t, ctx, ec2Client(s.URL, sc.account, sc.region)))
	}
	s.Stop(t)
	if !strings.Contains(s.Log(), `msg="shutting down" signal=terminated`) {
		t.Errorf("no shutdown line in the log:\n%s", s.Log())
	}

	s = Serve(t, "--addr", "127.0.0.1:0", "--data-dir", dir)
	for i, sc := range scopes {
		if after := snapshot(t, ctx, ec2Client(s.URL, sc.account, sc.region)); after != before[i] {
			t.Errorf("%s %s after restart:\n%s\nwant:\n%s", sc.account, sc.region, after, before[i])
		}
	}
}

// TestCrashKeepsAnsweredWrites kills the server (SIGKILL) right after it
// answers a write: every answered write is there after a restart.
func TestCrashKeepsAnsweredWrites(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, 2*time.Minute)
	dir := t.TempDir()

	s := Serve(t, "--addr", "127.0.0.1:0", "--data-dir", dir)
	f := createFixture(t, ctx, ec2Client(s.URL, accountA, region))
	s.Kill(t)

	s = Serve(t, "--addr", "127.0.0.1:0", "--data-dir", dir)
	c := ec2Client(s.URL, accountA, region)
	vpcs, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{f.vpcID}})
	if err != nil {
		t.Fatalf("the VPC created before the crash: %v", err)
	}
	v := vpcs.Vpcs[0]
	if got := tagString(v.Tags); got != "Name=kept,env=test,team=net" {
		t.Errorf("VPC tags after the crash: %s", got)
	}
	if len(v.CidrBlockAssociationSet) != 2 {
		t.Errorf("VPC CIDR blocks after the crash: %+v", v.CidrBlockAssociationSet)
	}
	if !vpcAttribute(t, ctx, c, f.vpcID, types.VpcAttributeNameEnableDnsHostnames) {
		t.Error("DNS hostnames not enabled after the crash")
	}
	subnets, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{f.subnetID}})
	if err != nil {
		t.Fatalf("the subnet created before the crash: %v", err)
	}
	if sn := subnets.Subnets[0]; aws.ToString(sn.CidrBlock) != "10.7.1.0/24" || tagString(sn.Tags) != "Name=kept-b,team=net" {
		t.Errorf("subnet after the crash: %s %s", aws.ToString(sn.CidrBlock), tagString(sn.Tags))
	}

	// The restarted server takes writes and does not hand out an id again.
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.7.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(vpc.Vpc.VpcId) == f.vpcID {
		t.Errorf("VPC id %s handed out twice", f.vpcID)
	}
}

// tagString renders tags as sorted key=value pairs.
func tagString(tags []types.Tag) string {
	kv := make([]string, 0, len(tags))
	for _, t := range tags {
		kv = append(kv, aws.ToString(t.Key)+"="+aws.ToString(t.Value))
	}
	sort.Strings(kv)
	return strings.Join(kv, ",")
}

// TestCrashBetweenCommitAndAnswer kills the server (SIGKILL, a test hook)
// after a create that carries a client token has committed and before it
// answers. The client never saw the answer; its retry with the same token,
// against the restarted server, returns the resource created the first time
// and creates nothing more.
func TestCrashBetweenCommitAndAnswer(t *testing.T) {
	t.Parallel()
	ctx := testContext(t, 2*time.Minute)
	dir := t.TempDir()

	setup := Serve(t, "--addr", "127.0.0.1:0", "--data-dir", dir)
	vpc, err := ec2Client(setup.URL, accountA, region).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.3.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	setup.Stop(t)

	cmd := Command(t, "serve", "--addr", "127.0.0.1:0", "--data-dir", dir)
	cmd.Env = append(cmd.Env, "VPCEMU_TEST_KILL_BEFORE_ANSWER=CreateRouteTable")
	s := Start(t, cmd)
	in := &ec2.CreateRouteTableInput{VpcId: vpc.Vpc.VpcId, ClientToken: aws.String("crash-1")}
	once := func(o *ec2.Options) { o.RetryMaxAttempts = 1 }
	if out, err := ec2Client(s.URL, accountA, region).CreateRouteTable(ctx, in, once); err == nil {
		t.Fatalf("the server answered (%s) instead of dying", aws.ToString(out.RouteTable.RouteTableId))
	}
	select {
	case <-s.exited:
	case <-ctx.Done():
		t.Fatal("the server did not die")
	}

	s = Serve(t, "--addr", "127.0.0.1:0", "--data-dir", dir)
	c := ec2Client(s.URL, accountA, region)
	retry, err := c.CreateRouteTable(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.CreateRouteTable(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(retry.RouteTable.RouteTableId)
	if got := aws.ToString(again.RouteTable.RouteTableId); got != id {
		t.Errorf("two retries answered %s and %s", id, got)
	}
	tables, err := c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{aws.ToString(vpc.Vpc.VpcId)}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, rt := range tables.RouteTables {
		if len(rt.Associations) == 0 || !aws.ToBool(rt.Associations[0].Main) {
			ids = append(ids, aws.ToString(rt.RouteTableId))
		}
	}
	if len(ids) != 1 || ids[0] != id {
		t.Errorf("the VPC holds route tables %v besides its main one; want only %s, created before the crash", ids, id)
	}
}
