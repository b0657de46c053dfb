package ec2_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func (r *routing) vgw(asn int64, name string) string {
	r.t.Helper()
	in := &ec2.CreateVpnGatewayInput{Type: types.GatewayTypeIpsec1, TagSpecifications: nameTag(types.ResourceTypeVpnGateway, name)}
	if asn != 0 {
		in.AmazonSideAsn = aws.Int64(asn)
	}
	out, err := r.c.CreateVpnGateway(r.ctx, in)
	r.must(err)
	return aws.ToString(out.VpnGateway.VpnGatewayId)
}

func (r *routing) describeVGW(id string) types.VpnGateway {
	r.t.Helper()
	out, err := r.c.DescribeVpnGateways(r.ctx, &ec2.DescribeVpnGatewaysInput{VpnGatewayIds: []string{id}})
	r.must(err)
	if len(out.VpnGateways) != 1 {
		r.t.Fatalf("describe %s: %+v", id, out.VpnGateways)
	}
	return out.VpnGateways[0]
}

// TestVPNGatewayLifecycle: a virtual private gateway is created, attached
// to one VPC (one per VPC), detached (the attachment stays listed) and
// deleted, with EC2's refusals.
func TestVPNGatewayLifecycle(t *testing.T) {
	r := newRouting(t)
	out, err := r.c.CreateVpnGateway(r.ctx, &ec2.CreateVpnGatewayInput{Type: types.GatewayTypeIpsec1, AvailabilityZone: aws.String("us-east-1a"),
		TagSpecifications: nameTag(types.ResourceTypeVpnGateway, "corp")})
	r.must(err)
	g := out.VpnGateway
	id := aws.ToString(g.VpnGatewayId)
	if !strings.HasPrefix(id, "vgw-") || g.State != types.VpnStateAvailable || aws.ToInt64(g.AmazonSideAsn) != 64512 || g.Type != types.GatewayTypeIpsec1 ||
		aws.ToString(g.AvailabilityZone) != "us-east-1a" || len(g.VpcAttachments) != 0 || len(g.Tags) != 1 {
		t.Fatalf("created %+v", g)
	}
	for _, tc := range []struct {
		in        *ec2.CreateVpnGatewayInput
		code, msg string
	}{
		{&ec2.CreateVpnGatewayInput{Type: types.GatewayTypeIpsec1, AmazonSideAsn: aws.Int64(7224)}, "InvalidParameterValue", "Value (7224) for parameter amazonSideAsn is invalid"},
		{&ec2.CreateVpnGatewayInput{Type: "ipsec.2"}, "InvalidParameterValue", "Value (ipsec.2) for parameter type is invalid"},
		{&ec2.CreateVpnGatewayInput{Type: types.GatewayTypeIpsec1, AvailabilityZone: aws.String("us-east-1z")}, "InvalidParameterValue", "us-east-1z"},
	} {
		_, err := r.c.CreateVpnGateway(r.ctx, tc.in)
		r.wantErr(err, tc.code, tc.msg)
	}

	vpc, other := r.vpc("10.0.0.0/16"), r.vpc("10.1.0.0/16")
	att, err := r.c.AttachVpnGateway(r.ctx, &ec2.AttachVpnGatewayInput{VpnGatewayId: &id, VpcId: &vpc})
	r.must(err)
	if aws.ToString(att.VpcAttachment.VpcId) != vpc || att.VpcAttachment.State != types.AttachmentStatusAttaching {
		t.Errorf("attach answer %+v", att.VpcAttachment)
	}
	if got := r.describeVGW(id); len(got.VpcAttachments) != 1 || got.VpcAttachments[0].State != types.AttachmentStatusAttached {
		t.Errorf("attachments %+v", got.VpcAttachments)
	}
	second := r.vgw(4200000000, "second")
	_, err = r.c.AttachVpnGateway(r.ctx, &ec2.AttachVpnGatewayInput{VpnGatewayId: &second, VpcId: &vpc})
	r.wantErr(err, "InvalidVpcState", "VPC "+vpc+" is currently attached to the Virtual Private Gateway.")
	_, err = r.c.AttachVpnGateway(r.ctx, &ec2.AttachVpnGatewayInput{VpnGatewayId: &id, VpcId: &other})
	r.wantErr(err, "IncorrectState", "is already attached to "+vpc)
	_, err = r.c.DeleteVpnGateway(r.ctx, &ec2.DeleteVpnGatewayInput{VpnGatewayId: &id})
	r.wantErr(err, "IncorrectState", "The VPN gateway is in use.")

	checkFilters(t, []filterCase{
		{"attachment.vpc-id", []string{vpc}, []string{id}},
		{"attachment.state", []string{"attached"}, []string{id}},
		{"amazon-side-asn", []string{"4200000000"}, []string{second}},
		{"availability-zone", []string{"us-east-1a"}, []string{id}},
		{"state", []string{"available"}, []string{id, second}},
		{"type", []string{"ipsec.1"}, []string{id, second}},
		{"vpn-gateway-id", []string{second}, []string{second}},
		{"tag:Name", []string{"corp"}, []string{id}},
	}, func(f types.Filter) ([]string, error) {
		out, err := r.c.DescribeVpnGateways(r.ctx, &ec2.DescribeVpnGatewaysInput{Filters: []types.Filter{f}})
		var ids []string
		if err == nil {
			for _, g := range out.VpnGateways {
				ids = append(ids, aws.ToString(g.VpnGatewayId))
			}
		}
		return ids, err
	})

	_, err = r.c.DetachVpnGateway(r.ctx, &ec2.DetachVpnGatewayInput{VpnGatewayId: &id, VpcId: &vpc})
	r.must(err)
	if got := r.describeVGW(id); len(got.VpcAttachments) != 1 || got.VpcAttachments[0].State != types.AttachmentStatusDetached {
		t.Errorf("after detach %+v", got.VpcAttachments)
	}
	_, err = r.c.DetachVpnGateway(r.ctx, &ec2.DetachVpnGatewayInput{VpnGatewayId: &id, VpcId: &vpc})
	r.wantErr(err, "InvalidVpnGatewayAttachment.NotFound", "The attachment with vpn gateway ID '"+id+"' and vpc ID '"+vpc+"' does not exist")
	// Detached, the VPC takes another gateway.
	_, err = r.c.AttachVpnGateway(r.ctx, &ec2.AttachVpnGatewayInput{VpnGatewayId: &second, VpcId: &vpc})
	r.must(err)
	_, err = r.c.DeleteVpnGateway(r.ctx, &ec2.DeleteVpnGatewayInput{VpnGatewayId: &id})
	r.must(err)
	_, err = r.c.DescribeVpnGateways(r.ctx, &ec2.DescribeVpnGatewaysInput{VpnGatewayIds: []string{id}})
	r.wantErr(err, "InvalidVpnGatewayID.NotFound", "The virtual private gateway ID '"+id+"' does not exist")
	_, err = r.c.CreateTags(r.ctx, &ec2.CreateTagsInput{Resources: []string{second}, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}}})
	r.must(err)
	if got := r.describeVGW(second); len(got.Tags) != 2 {
		t.Errorf("tags %+v", got.Tags)
	}
}
