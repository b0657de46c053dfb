package ec2_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func (r *routing) eigw(vpc string) string {
	r.t.Helper()
	out, err := r.c.CreateEgressOnlyInternetGateway(r.ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: &vpc})
	r.must(err)
	return aws.ToString(out.EgressOnlyInternetGateway.EgressOnlyInternetGatewayId)
}

func TestEgressOnlyInternetGatewayLifecycle(t *testing.T) {
	r := newRouting(t)
	vpc, _ := r.ipv6VPC("10.0.0.0/16")
	out, err := r.c.CreateEgressOnlyInternetGateway(r.ctx, &ec2.CreateEgressOnlyInternetGatewayInput{
		VpcId:             &vpc,
		ClientToken:       aws.String("eigw-token-1"),
		TagSpecifications: nameTag(types.ResourceTypeEgressOnlyInternetGateway, "v6-out"),
	})
	r.must(err)
	g := out.EgressOnlyInternetGateway
	id := aws.ToString(g.EgressOnlyInternetGatewayId)
	if !strings.HasPrefix(id, "eigw-") || len(g.Attachments) != 1 || aws.ToString(g.Attachments[0].VpcId) != vpc ||
		g.Attachments[0].State != types.AttachmentStatusAttached || aws.ToString(g.Tags[0].Value) != "v6-out" {
		t.Fatalf("create answer: %+v", g)
	}
	if aws.ToString(out.ClientToken) != "eigw-token-1" {
		t.Fatalf("client token: %q", aws.ToString(out.ClientToken))
	}
	d, err := r.c.DescribeEgressOnlyInternetGateways(r.ctx, &ec2.DescribeEgressOnlyInternetGatewaysInput{EgressOnlyInternetGatewayIds: []string{id}})
	r.must(err)
	if len(d.EgressOnlyInternetGateways) != 1 || d.EgressOnlyInternetGateways[0].Attachments[0].State != types.AttachmentStatusAttached {
		t.Fatalf("describe: %+v", d.EgressOnlyInternetGateways)
	}

	// The gateway keeps its VPC alive; routes to it go blackhole once it is gone.
	_, err = r.c.DeleteVpc(r.ctx, &ec2.DeleteVpcInput{VpcId: &vpc})
	r.wantErr(err, "DependencyViolation", vpc)
	table := r.routeTable(vpc)
	_, err = r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationIpv6CidrBlock: aws.String("::/0"), EgressOnlyInternetGatewayId: &id})
	r.must(err)
	del, err := r.c.DeleteEgressOnlyInternetGateway(r.ctx, &ec2.DeleteEgressOnlyInternetGatewayInput{EgressOnlyInternetGatewayId: &id})
	r.must(err)
	if !aws.ToBool(del.ReturnCode) {
		t.Fatal("delete did not return true")
	}
	if route, _ := r.routeTo(table, "::/0"); route.State != types.RouteStateBlackhole {
		t.Fatalf("route to a deleted egress-only gateway: %+v", route)
	}
	_, err = r.c.DescribeEgressOnlyInternetGateways(r.ctx, &ec2.DescribeEgressOnlyInternetGatewaysInput{EgressOnlyInternetGatewayIds: []string{id}})
	r.wantErr(err, "InvalidGatewayID.NotFound", id)
	_, err = r.c.DeleteEgressOnlyInternetGateway(r.ctx, &ec2.DeleteEgressOnlyInternetGatewayInput{EgressOnlyInternetGatewayId: &id})
	r.wantErr(err, "InvalidGatewayID.NotFound", id)
	_, err = r.c.CreateEgressOnlyInternetGateway(r.ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: aws.String("vpc-0123456789abcdef0")})
	r.wantErr(err, "InvalidVpcID.NotFound", "vpc-0123456789abcdef0")
	_, err = r.c.CreateEgressOnlyInternetGateway(r.ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: &vpc, TagSpecifications: nameTag(types.ResourceTypeInternetGateway, "x")})
	r.wantErr(err, "InvalidParameterValue", "'internet-gateway' is not a valid taggable resource type")
	_, err = r.c.CreateEgressOnlyInternetGateway(r.ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: &vpc, DryRun: aws.Bool(true)})
	r.wantErr(err, "DryRunOperation", "")
}

func TestEgressOnlyGatewayOfAnotherVPC(t *testing.T) {
	r := newRouting(t)
	vpc, _ := r.ipv6VPC("10.0.0.0/16")
	other, _ := r.ipv6VPC("10.1.0.0/16")
	far := r.eigw(other)
	table := r.routeTable(vpc)
	_, err := r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationIpv6CidrBlock: aws.String("::/0"), EgressOnlyInternetGatewayId: &far})
	r.wantErr(err, "InvalidParameterValue", "route table "+table+" and network gateway "+far+" belong to different networks")
}

func TestDescribeEgressOnlyInternetGateways(t *testing.T) {
	r := newRouting(t)
	vpc, _ := r.ipv6VPC("10.0.0.0/16")
	out, err := r.c.CreateEgressOnlyInternetGateway(r.ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: &vpc, TagSpecifications: nameTag(types.ResourceTypeEgressOnlyInternetGateway, "tagged")})
	r.must(err)
	tagged := aws.ToString(out.EgressOnlyInternetGateway.EgressOnlyInternetGatewayId)
	var all []string
	for range 6 {
		all = append(all, r.eigw(vpc))
	}
	all = append(all, tagged)

	cases := []filterCase{
		{"tag:Name", []string{"tagged"}, []string{tagged}},
		{"tag:Name", []string{"tag*"}, []string{tagged}},
		{"tag-key", []string{"Name"}, []string{tagged}},
		{"tag-value", []string{"tagged"}, []string{tagged}},
		{"tag:Name", []string{"nothing"}, nil},
	}
	checkFilters(t, cases, func(f types.Filter) ([]string, error) {
		out, err := r.c.DescribeEgressOnlyInternetGateways(r.ctx, &ec2.DescribeEgressOnlyInternetGatewaysInput{Filters: []types.Filter{f}})
		if err != nil {
			return nil, err
		}
		var got []string
		for _, g := range out.EgressOnlyInternetGateways {
			got = append(got, aws.ToString(g.EgressOnlyInternetGatewayId))
		}
		return got, nil
	})
	// EC2 documents only the tag filters for this call.
	_, err = r.c.DescribeEgressOnlyInternetGateways(r.ctx, &ec2.DescribeEgressOnlyInternetGatewaysInput{Filters: []types.Filter{{Name: aws.String("attachment.vpc-id"), Values: []string{vpc}}}})
	r.wantErr(err, "InvalidParameterValue", "The filter 'attachment.vpc-id' is invalid")

	p := ec2.NewDescribeEgressOnlyInternetGatewaysPaginator(r.c, &ec2.DescribeEgressOnlyInternetGatewaysInput{MaxResults: aws.Int32(5)})
	var got []string
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(r.ctx)
		r.must(err)
		pages++
		for _, g := range page.EgressOnlyInternetGateways {
			got = append(got, aws.ToString(g.EgressOnlyInternetGatewayId))
		}
	}
	sameIDs(t, got, all)
	if pages != 2 {
		t.Fatalf("%d pages, want 2", pages)
	}
}
