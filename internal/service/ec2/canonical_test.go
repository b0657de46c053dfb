package ec2_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestCanonicalCIDRs: "We modify the specified CIDR block to its canonical
// form; for example, if you specify 100.68.0.18/18, we modify it to
// 100.68.0.0/18" (CreateVpc, CreateSubnet, CreateNetworkAclEntry,
// CreateRoute; AssociateVpcCidrBlock and ReplaceNetworkAclEntry likewise).
func TestCanonicalCIDRs(t *testing.T) {
	f := newFixture(t)
	vpcOut, err := f.c.CreateVpc(f.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("100.68.0.18/18")})
	f.must(err)
	vpc := vpcOut.Vpc
	subOut, err := f.c.CreateSubnet(f.ctx, &ec2.CreateSubnetInput{VpcId: vpc.VpcId, CidrBlock: aws.String("100.68.1.77/24")})
	f.must(err)
	assocOut, err := f.c.AssociateVpcCidrBlock(f.ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: vpc.VpcId, CidrBlock: aws.String("100.70.3.4/16")})
	f.must(err)
	aclOut, err := f.c.CreateNetworkAcl(f.ctx, &ec2.CreateNetworkAclInput{VpcId: vpc.VpcId})
	f.must(err)
	acl := aclOut.NetworkAcl.NetworkAclId
	entry := func(n int32, block string) *ec2.CreateNetworkAclEntryInput {
		return &ec2.CreateNetworkAclEntryInput{NetworkAclId: acl, RuleNumber: aws.Int32(n), Protocol: aws.String("-1"),
			RuleAction: types.RuleActionAllow, Egress: aws.Bool(false), CidrBlock: aws.String(block)}
	}
	_, err = f.c.CreateNetworkAclEntry(f.ctx, entry(100, "203.0.113.12/24"))
	f.must(err)
	_, err = f.c.CreateNetworkAclEntry(f.ctx, &ec2.CreateNetworkAclEntryInput{NetworkAclId: acl, RuleNumber: aws.Int32(101), Protocol: aws.String("-1"),
		RuleAction: types.RuleActionAllow, Egress: aws.Bool(false), Ipv6CidrBlock: aws.String("2001:db8::1/32")})
	f.must(err)
	_, err = f.c.ReplaceNetworkAclEntry(f.ctx, &ec2.ReplaceNetworkAclEntryInput{NetworkAclId: acl, RuleNumber: aws.Int32(100), Protocol: aws.String("-1"),
		RuleAction: types.RuleActionDeny, Egress: aws.Bool(false), CidrBlock: aws.String("198.51.100.99/25")})
	f.must(err)
	rtOut, err := f.c.CreateRouteTable(f.ctx, &ec2.CreateRouteTableInput{VpcId: vpc.VpcId})
	f.must(err)
	igw, err := f.c.CreateInternetGateway(f.ctx, &ec2.CreateInternetGatewayInput{})
	f.must(err)
	_, err = f.c.AttachInternetGateway(f.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: vpc.VpcId})
	f.must(err)
	_, err = f.c.CreateRoute(f.ctx, &ec2.CreateRouteInput{RouteTableId: rtOut.RouteTable.RouteTableId, DestinationCidrBlock: aws.String("192.0.2.200/24"),
		GatewayId: igw.InternetGateway.InternetGatewayId})
	f.must(err)

	vpcs, err := f.c.DescribeVpcs(f.ctx, &ec2.DescribeVpcsInput{VpcIds: []string{aws.ToString(vpc.VpcId)}})
	f.must(err)
	acls, err := f.c.DescribeNetworkAcls(f.ctx, &ec2.DescribeNetworkAclsInput{NetworkAclIds: []string{aws.ToString(acl)}})
	f.must(err)
	entries := map[int32]string{}
	for _, e := range acls.NetworkAcls[0].Entries {
		entries[aws.ToInt32(e.RuleNumber)] = aws.ToString(e.CidrBlock) + aws.ToString(e.Ipv6CidrBlock)
	}
	tables, err := f.c.DescribeRouteTables(f.ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{aws.ToString(rtOut.RouteTable.RouteTableId)}})
	f.must(err)
	var routes []string
	for _, r := range tables.RouteTables[0].Routes {
		routes = append(routes, aws.ToString(r.DestinationCidrBlock))
	}
	for _, c := range []struct{ what, got, want string }{
		{"CreateVpc answer", aws.ToString(vpc.CidrBlock), "100.68.0.0/18"},
		{"CreateVpc association", aws.ToString(vpc.CidrBlockAssociationSet[0].CidrBlock), "100.68.0.0/18"},
		{"DescribeVpcs", aws.ToString(vpcs.Vpcs[0].CidrBlock), "100.68.0.0/18"},
		{"CreateSubnet", aws.ToString(subOut.Subnet.CidrBlock), "100.68.1.0/24"},
		{"AssociateVpcCidrBlock", aws.ToString(assocOut.CidrBlockAssociation.CidrBlock), "100.70.0.0/16"},
		{"DescribeVpcs secondary", aws.ToString(vpcs.Vpcs[0].CidrBlockAssociationSet[1].CidrBlock), "100.70.0.0/16"},
		{"ReplaceNetworkAclEntry", entries[100], "198.51.100.0/25"},
		{"CreateNetworkAclEntry IPv6", entries[101], "2001:db8::/32"},
		{"routes", fmt.Sprint(routes), "[100.68.0.0/18 100.70.0.0/16 192.0.2.0/24]"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %s, want %s", c.what, c.got, c.want)
		}
	}

	// The canonical form is what conflicts and sizes are judged on.
	checkRefusals(t, []refusal{
		{"subnet overlapping once canonical", func() error {
			_, err := f.c.CreateSubnet(f.ctx, &ec2.CreateSubnetInput{VpcId: vpc.VpcId, CidrBlock: aws.String("100.68.1.200/25")})
			return err
		}, "InvalidSubnet.Conflict", "The CIDR '100.68.1.128/25' conflicts with another subnet"},
		{"VPC block too large", func() error {
			_, err := f.c.CreateVpc(f.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.2.3/15")})
			return err
		}, "InvalidVpc.Range", "The CIDR '10.0.0.0/15' is invalid."},
		{"not a block", func() error {
			_, err := f.c.CreateVpc(f.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.2.3")})
			return err
		}, "InvalidParameterValue", "Value (10.1.2.3) for parameter cidrBlock is invalid. This is not a valid CIDR block."},
		{"ACL entry already there once canonical", func() error {
			_, err := f.c.CreateNetworkAclEntry(f.ctx, entry(100, "10.0.0.9/8"))
			return err
		}, "NetworkAclEntryAlreadyExists", ""},
	})
}

// TestAWSRefusals are answers AWS gives that vpcemu once did not.
func TestAWSRefusals(t *testing.T) {
	f := newFixture(t)
	vpcOut, err := f.c.CreateVpc(f.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	f.must(err)
	vpc := aws.ToString(vpcOut.Vpc.VpcId)
	for i := 1; i <= 4; i++ {
		_, err := f.c.AssociateVpcCidrBlock(f.ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: &vpc, CidrBlock: aws.String(fmt.Sprintf("10.%d.0.0/16", i))})
		f.must(err)
	}
	sg, err := f.c.CreateSecurityGroup(f.ctx, &ec2.CreateSecurityGroupInput{VpcId: &vpc, GroupName: aws.String("web"), Description: aws.String("web")})
	f.must(err)
	rules, err := f.c.AuthorizeSecurityGroupIngress(f.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: []types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}})
	f.must(err)
	rule := rules.SecurityGroupRules[0].SecurityGroupRuleId

	checkRefusals(t, []refusal{
		{"a sixth IPv4 block", func() error {
			_, err := f.c.AssociateVpcCidrBlock(f.ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: &vpc, CidrBlock: aws.String("10.5.0.0/16")})
			return err
		}, "CidrLimitExceeded", "This network '" + vpc + "' has met its maximum number of allowed CIDRs: 5"},
		{"modify a rule without a protocol", func() error {
			_, err := f.c.ModifySecurityGroupRules(f.ctx, &ec2.ModifySecurityGroupRulesInput{GroupId: sg.GroupId, SecurityGroupRules: []types.SecurityGroupRuleUpdate{{
				SecurityGroupRuleId: rule, SecurityGroupRule: &types.SecurityGroupRuleRequest{FromPort: aws.Int32(80), ToPort: aws.Int32(80), CidrIpv4: aws.String("0.0.0.0/0")}}}})
			return err
		}, "InvalidParameterValue", "Invalid value 'null' for protocol. VPC security group rules must specify protocols explicitly."},
		{"rules by a malformed group-id filter", func() error {
			_, err := f.c.DescribeSecurityGroupRules(f.ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{{Name: aws.String("group-id"), Values: []string{"web"}}}})
			return err
		}, "InvalidGroupId.Malformed", `Invalid id: "web" (expecting "sg-...")`},
	})

	// A well-formed group id that does not exist just matches nothing.
	out, err := f.c.DescribeSecurityGroupRules(f.ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{{Name: aws.String("group-id"), Values: []string{"sg-0123456789abcdef0"}}}})
	f.must(err)
	if len(out.SecurityGroupRules) != 0 {
		t.Fatalf("rules of a missing group: %+v", out.SecurityGroupRules)
	}
}
