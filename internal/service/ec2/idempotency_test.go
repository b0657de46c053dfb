package ec2_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestClientTokens: a create repeated with the same client token answers
// with the first result and creates nothing more; the token reused with
// other parameters is refused; tokens belong to one account and region; a
// dry run neither uses nor spends a token.
func TestClientTokens(t *testing.T) {
	e := emulatortest.Start(t)
	ctx := context.Background()
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	other, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	create := func(c *ec2.Client, vpcID *string, token string, dry bool) (string, error) {
		out, err := c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpcID, ClientToken: aws.String(token), DryRun: aws.Bool(dry)})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.RouteTable.RouteTableId), nil
	}
	if _, err := create(c, vpc.Vpc.VpcId, "t1", true); apiCode(err) != "DryRunOperation" {
		t.Fatalf("dry run: %v", err)
	}
	first, err := create(c, vpc.Vpc.VpcId, "t1", false)
	if err != nil {
		t.Fatal(err)
	}
	again, err := create(c, vpc.Vpc.VpcId, "t1", false)
	if err != nil || again != first {
		t.Fatalf("repeat: %s %v, want %s", again, err, first)
	}
	if _, err := create(c, other.Vpc.VpcId, "t1", false); apiCode(err) != "IdempotentParameterMismatch" {
		t.Fatalf("token with other parameters: %v", err)
	}
	tables, err := c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{})
	if err != nil {
		t.Fatal(err)
	}
	made := 0
	for _, rt := range tables.RouteTables {
		if len(rt.Associations) == 0 {
			made++
		}
	}
	if made != 1 {
		t.Fatalf("%d tables created, want 1", made)
	}

	// The same token in another account is that account's own.
	b := emulatortest.EC2(e, emulatortest.AccountB, "us-east-1")
	vpcB, err := b.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	if id, err := create(b, vpcB.Vpc.VpcId, "t1", false); err != nil || id == first {
		t.Fatalf("account B with account A's token: %s %v", id, err)
	}

	// An operation whose model does not flag its ClientToken honours it too.
	eigw := func(token string) string {
		out, err := c.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: vpc.Vpc.VpcId, ClientToken: aws.String(token)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.EgressOnlyInternetGateway.EgressOnlyInternetGatewayId)
	}
	if a, b := eigw("e1"), eigw("e1"); a != b {
		t.Fatalf("egress-only gateway created twice: %s %s", a, b)
	}
}
