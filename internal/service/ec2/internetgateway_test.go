package ec2_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

func (r *routing) describeIGW(id string) types.InternetGateway {
	r.t.Helper()
	out, err := r.c.DescribeInternetGateways(r.ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: []string{id}})
	r.must(err)
	if len(out.InternetGateways) != 1 {
		r.t.Fatalf("describe %s: %+v", id, out.InternetGateways)
	}
	return out.InternetGateways[0]
}

func TestInternetGatewayLifecycle(t *testing.T) {
	r := newRouting(t)
	out, err := r.c.CreateInternetGateway(r.ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: nameTag(types.ResourceTypeInternetGateway, "edge")})
	r.must(err)
	g := out.InternetGateway
	id := aws.ToString(g.InternetGatewayId)
	if !strings.HasPrefix(id, "igw-") || aws.ToString(g.OwnerId) != emulatortest.AccountA || len(g.Attachments) != 0 ||
		len(g.Tags) != 1 || aws.ToString(g.Tags[0].Value) != "edge" {
		t.Fatalf("create answer: %+v", g)
	}
	vpc := r.vpc("10.0.0.0/16")
	_, err = r.c.AttachInternetGateway(r.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &id, VpcId: &vpc})
	r.must(err)
	// Internet gateway attachments are "available", a value missing from
	// the SDK's AttachmentStatus enum (Terraform waits for it by name).
	got := r.describeIGW(id)
	if len(got.Attachments) != 1 || aws.ToString(got.Attachments[0].VpcId) != vpc || got.Attachments[0].State != types.AttachmentStatus("available") {
		t.Fatalf("attachment: %+v", got.Attachments)
	}

	// A VPC with a gateway attached cannot be deleted; neither can the
	// attached gateway.
	_, err = r.c.DeleteVpc(r.ctx, &ec2.DeleteVpcInput{VpcId: &vpc})
	r.wantErr(err, "DependencyViolation", vpc)
	_, err = r.c.DeleteInternetGateway(r.ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: &id})
	r.wantErr(err, "DependencyViolation", "The internetGateway '"+id+"' has dependencies and cannot be deleted.")

	_, err = r.c.DetachInternetGateway(r.ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: &id, VpcId: &vpc})
	r.must(err)
	if got := r.describeIGW(id); len(got.Attachments) != 0 {
		t.Fatalf("after detach: %+v", got.Attachments)
	}
	_, err = r.c.DeleteInternetGateway(r.ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: &id})
	r.must(err)
	_, err = r.c.DescribeInternetGateways(r.ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: []string{id}})
	r.wantErr(err, "InvalidInternetGatewayID.NotFound", "The internetGateway ID '"+id+"' does not exist")
	_, err = r.c.DeleteInternetGateway(r.ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: &id})
	r.wantErr(err, "InvalidInternetGatewayID.NotFound", id)
	_, err = r.c.DeleteVpc(r.ctx, &ec2.DeleteVpcInput{VpcId: &vpc})
	r.must(err)
}

func TestInternetGatewayRefusals(t *testing.T) {
	r := newRouting(t)
	vpc := r.vpc("10.0.0.0/16")
	other := r.vpc("10.1.0.0/16")
	igw := r.igw(vpc)
	spare := r.igw("")
	accountB := r.as(emulatortest.AccountB)
	vpcB, err := accountB.CreateVpc(r.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.2.0.0/16")})
	r.must(err)
	checkRefusals(t, []refusal{
		{"attach again to the same VPC", func() error {
			_, err := r.c.AttachInternetGateway(r.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &vpc})
			return err
		}, "Resource.AlreadyAssociated", "resource " + igw + " is already attached to network " + vpc},
		{"attach to a second VPC", func() error {
			_, err := r.c.AttachInternetGateway(r.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &other})
			return err
		}, "Resource.AlreadyAssociated", "resource " + igw + " is already attached to network " + vpc},
		{"second gateway for a VPC", func() error {
			_, err := r.c.AttachInternetGateway(r.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &spare, VpcId: &vpc})
			return err
		}, "InvalidParameterValue", "Network " + vpc + " already has an internet gateway attached"},
		{"attach to an unknown VPC", func() error {
			_, err := r.c.AttachInternetGateway(r.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &spare, VpcId: aws.String("vpc-0123456789abcdef0")})
			return err
		}, "InvalidVpcID.NotFound", "vpc-0123456789abcdef0"},
		{"attach an unknown gateway", func() error {
			_, err := r.c.AttachInternetGateway(r.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String("igw-0123456789abcdef0"), VpcId: &other})
			return err
		}, "InvalidInternetGatewayID.NotFound", "The internetGateway ID 'igw-0123456789abcdef0' does not exist"},
		{"attach another account's gateway", func() error {
			_, err := accountB.AttachInternetGateway(r.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &spare, VpcId: vpcB.Vpc.VpcId})
			return err
		}, "InvalidInternetGatewayID.NotFound", spare},
		{"detach a detached gateway", func() error {
			_, err := r.c.DetachInternetGateway(r.ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: &spare, VpcId: &vpc})
			return err
		}, "Gateway.NotAttached", "resource " + spare + " is not attached to network " + vpc},
		{"detach from the wrong VPC", func() error {
			_, err := r.c.DetachInternetGateway(r.ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &other})
			return err
		}, "Gateway.NotAttached", "resource " + igw + " is not attached to network " + other},
		{"detach as a dry run", func() error {
			_, err := r.c.DetachInternetGateway(r.ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &vpc, DryRun: aws.Bool(true)})
			return err
		}, "DryRunOperation", ""},
		{"tag as another type", func() error {
			_, err := r.c.CreateInternetGateway(r.ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: nameTag(types.ResourceTypeVpc, "x")})
			return err
		}, "InvalidParameterValue", "'vpc' is not a valid taggable resource type"},
	})
	// The dry run left the gateway attached.
	if got := r.describeIGW(igw); len(got.Attachments) != 1 {
		t.Fatalf("after a dry-run detach: %+v", got.Attachments)
	}
}

func TestDefaultVPCInternetGateway(t *testing.T) {
	r := newRouting(t)
	vpcs, err := r.c.DescribeVpcs(r.ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
	r.must(err)
	vpc := aws.ToString(vpcs.Vpcs[0].VpcId)
	out, err := r.c.DescribeInternetGateways(r.ctx, &ec2.DescribeInternetGatewaysInput{Filters: []types.Filter{{Name: aws.String("attachment.vpc-id"), Values: []string{vpc}}}})
	r.must(err)
	if len(out.InternetGateways) != 1 {
		t.Fatalf("default VPC gateways: %+v", out.InternetGateways)
	}
	igw := aws.ToString(out.InternetGateways[0].InternetGatewayId)
	main := r.mainTable(vpc)
	var toIGW bool
	for _, rt := range main.Routes {
		toIGW = toIGW || aws.ToString(rt.DestinationCidrBlock) == "0.0.0.0/0" && aws.ToString(rt.GatewayId) == igw && rt.State == types.RouteStateActive
	}
	if !toIGW {
		t.Fatalf("default route: %+v", main.Routes)
	}
	// Nothing maps a public address yet, so the gateway can be detached.
	_, err = r.c.DetachInternetGateway(r.ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &vpc})
	r.must(err)
}

func TestDescribeInternetGatewaysFilters(t *testing.T) {
	r := newRouting(t)
	vpc := r.vpc("10.0.0.0/16")
	out, err := r.c.CreateInternetGateway(r.ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: nameTag(types.ResourceTypeInternetGateway, "main-gw")})
	r.must(err)
	attached := aws.ToString(out.InternetGateway.InternetGatewayId)
	_, err = r.c.AttachInternetGateway(r.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &attached, VpcId: &vpc})
	r.must(err)
	spare := r.igw("")
	mine := []string{attached, spare}
	cases := []filterCase{
		{"attachment.state", []string{"available"}, []string{attached}},
		{"attachment.vpc-id", []string{vpc}, []string{attached}},
		{"internet-gateway-id", []string{spare}, []string{spare}},
		{"owner-id", []string{emulatortest.AccountA}, mine},
		{"owner-id", []string{emulatortest.AccountB}, nil},
		{"tag:Name", []string{"main-gw"}, []string{attached}},
		{"tag-key", []string{"Name"}, []string{attached}},
		{"tag-value", []string{"main-*"}, []string{attached}},
	}
	checkFilters(t, cases, func(f types.Filter) ([]string, error) {
		out, err := r.c.DescribeInternetGateways(r.ctx, &ec2.DescribeInternetGatewaysInput{
			InternetGatewayIds: mine,
			Filters:            []types.Filter{f},
		})
		if err != nil {
			return nil, err
		}
		var got []string
		for _, g := range out.InternetGateways {
			got = append(got, aws.ToString(g.InternetGatewayId))
		}
		return got, nil
	})
	_, err = r.c.DescribeInternetGateways(r.ctx, &ec2.DescribeInternetGatewaysInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc}}}})
	r.wantErr(err, "InvalidParameterValue", "The filter 'vpc-id' is invalid")
	_, err = r.c.DescribeInternetGateways(r.ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: []string{spare, "igw-0123456789abcdef0"}})
	r.wantErr(err, "InvalidInternetGatewayID.NotFound", "igw-0123456789abcdef0")

	// Paging over the account's gateways, the default VPC's among them.
	for range 5 {
		r.igw("")
	}
	p := ec2.NewDescribeInternetGatewaysPaginator(r.c, &ec2.DescribeInternetGatewaysInput{MaxResults: aws.Int32(5)})
	seen := map[string]bool{}
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(r.ctx)
		r.must(err)
		pages++
		for _, g := range page.InternetGateways {
			seen[aws.ToString(g.InternetGatewayId)] = true
		}
	}
	if len(seen) != 8 || pages != 2 {
		t.Fatalf("%d gateways in %d pages, want 8 in 2", len(seen), pages)
	}
}
