package ec2_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// naclVPC creates a VPC, with an Amazon IPv6 block when ipv6 is set.
func naclVPC(t *testing.T, c *ec2.Client, block string, ipv6 bool) string {
	t.Helper()
	out, err := c.CreateVpc(context.Background(), &ec2.CreateVpcInput{CidrBlock: aws.String(block), AmazonProvidedIpv6CidrBlock: aws.Bool(ipv6)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.Vpc.VpcId)
}

func naclSubnet(t *testing.T, c *ec2.Client, vpc, block string) string {
	t.Helper()
	out, err := c.CreateSubnet(context.Background(), &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String(block)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.Subnet.SubnetId)
}

func naclCreate(t *testing.T, c *ec2.Client, vpc string) string {
	t.Helper()
	out, err := c.CreateNetworkAcl(context.Background(), &ec2.CreateNetworkAclInput{VpcId: aws.String(vpc)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.NetworkAcl.NetworkAclId)
}

// naclDescribe returns the ACLs the filters select, in id order.
func naclDescribe(t *testing.T, c *ec2.Client, filters ...types.Filter) []types.NetworkAcl {
	t.Helper()
	out, err := c.DescribeNetworkAcls(context.Background(), &ec2.DescribeNetworkAclsInput{Filters: filters})
	if err != nil {
		t.Fatal(err)
	}
	return out.NetworkAcls
}

func naclGet(t *testing.T, c *ec2.Client, id string) types.NetworkAcl {
	t.Helper()
	out, err := c.DescribeNetworkAcls(context.Background(), &ec2.DescribeNetworkAclsInput{NetworkAclIds: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.NetworkAcls) != 1 {
		t.Fatalf("describe %s: %d ACLs", id, len(out.NetworkAcls))
	}
	return out.NetworkAcls[0]
}

func naclFilter(name string, values ...string) types.Filter {
	return types.Filter{Name: aws.String(name), Values: values}
}

// naclDefault is the VPC's default ACL, found the way Terraform finds it.
func naclDefault(t *testing.T, c *ec2.Client, vpc string) types.NetworkAcl {
	t.Helper()
	acls := naclDescribe(t, c, naclFilter("default", "true"), naclFilter("vpc-id", vpc))
	if len(acls) != 1 {
		t.Fatalf("default ACL of %s: %d found", vpc, len(acls))
	}
	return acls[0]
}

// naclEntries renders entries compactly, in answer order:
// "out 100 -1 allow 0.0.0.0/0 ports 80-80 icmp 8/-1".
func naclEntries(acl types.NetworkAcl) []string {
	var out []string
	for _, e := range acl.Entries {
		dir := "in"
		if aws.ToBool(e.Egress) {
			dir = "out"
		}
		s := fmt.Sprintf("%s %d %s %s %s%s", dir, aws.ToInt32(e.RuleNumber), aws.ToString(e.Protocol), e.RuleAction,
			aws.ToString(e.CidrBlock), aws.ToString(e.Ipv6CidrBlock))
		if e.PortRange != nil {
			s += fmt.Sprintf(" ports %d-%d", aws.ToInt32(e.PortRange.From), aws.ToInt32(e.PortRange.To))
		}
		if e.IcmpTypeCode != nil {
			s += fmt.Sprintf(" icmp %d/%d", aws.ToInt32(e.IcmpTypeCode.Type), aws.ToInt32(e.IcmpTypeCode.Code))
		}
		out = append(out, s)
	}
	return out
}

func naclIDs(acls []types.NetworkAcl) []string {
	var ids []string
	for _, a := range acls {
		ids = append(ids, aws.ToString(a.NetworkAclId))
	}
	sort.Strings(ids)
	return ids
}

// naclAssociation is the id of the subnet's ACL association and the ACL.
func naclAssociation(t *testing.T, c *ec2.Client, subnet string) (assoc, acl string) {
	t.Helper()
	acls := naclDescribe(t, c, naclFilter("association.subnet-id", subnet))
	if len(acls) != 1 {
		t.Fatalf("subnet %s is in %d ACLs", subnet, len(acls))
	}
	for _, a := range acls[0].Associations {
		if aws.ToString(a.SubnetId) == subnet {
			return aws.ToString(a.NetworkAclAssociationId), aws.ToString(acls[0].NetworkAclId)
		}
	}
	t.Fatalf("no association of %s in %s", subnet, aws.ToString(acls[0].NetworkAclId))
	return "", ""
}

func wantStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

func TestNetworkACLDefaults(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()

	v4 := naclVPC(t, c, "10.0.0.0/16", false)
	def := naclDefault(t, c, v4)
	if !aws.ToBool(def.IsDefault) || aws.ToString(def.VpcId) != v4 || aws.ToString(def.OwnerId) != emulatortest.AccountA {
		t.Errorf("default ACL: %+v", def)
	}
	wantStrings(t, "default ACL of an IPv4 VPC", naclEntries(def), []string{
		"out 100 -1 allow 0.0.0.0/0", "out 32767 -1 deny 0.0.0.0/0",
		"in 100 -1 allow 0.0.0.0/0", "in 32767 -1 deny 0.0.0.0/0",
	})
	if len(def.Associations) != 0 {
		t.Errorf("a VPC without subnets has associations: %+v", def.Associations)
	}

	// Every subnet gets an association with the default ACL.
	sub := naclSubnet(t, c, v4, "10.0.1.0/24")
	assoc, acl := naclAssociation(t, c, sub)
	if acl != aws.ToString(def.NetworkAclId) || !strings.HasPrefix(assoc, "aclassoc-") {
		t.Errorf("new subnet: association %s with %s, want the default %s", assoc, acl, aws.ToString(def.NetworkAclId))
	}

	// A new ACL denies everything.
	custom := naclCreate(t, c, v4)
	wantStrings(t, "new ACL", naclEntries(naclGet(t, c, custom)), []string{"out 32767 -1 deny 0.0.0.0/0", "in 32767 -1 deny 0.0.0.0/0"})

	// IPv6 VPCs get the IPv6 rules too.
	v6 := naclVPC(t, c, "10.1.0.0/16", true)
	wantStrings(t, "default ACL of an IPv6 VPC", naclEntries(naclDefault(t, c, v6)), []string{
		"out 100 -1 allow 0.0.0.0/0", "out 101 -1 allow ::/0", "out 32767 -1 deny 0.0.0.0/0", "out 32768 -1 deny ::/0",
		"in 100 -1 allow 0.0.0.0/0", "in 101 -1 allow ::/0", "in 32767 -1 deny 0.0.0.0/0", "in 32768 -1 deny ::/0",
	})
	wantStrings(t, "new ACL of an IPv6 VPC", naclEntries(naclGet(t, c, naclCreate(t, c, v6))), []string{
		"out 32767 -1 deny 0.0.0.0/0", "out 32768 -1 deny ::/0", "in 32767 -1 deny 0.0.0.0/0", "in 32768 -1 deny ::/0",
	})

	// A VPC that gains IPv6 later: the IPv6 "*" rules everywhere, and the
	// allow rule only where the default rules are untouched.
	if _, err := c.DeleteNetworkAclEntry(ctx, &ec2.DeleteNetworkAclEntryInput{NetworkAclId: def.NetworkAclId, Egress: aws.Bool(false), RuleNumber: aws.Int32(100)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String(v4), AmazonProvidedIpv6CidrBlock: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	wantStrings(t, "default ACL after an IPv6 block came", naclEntries(naclGet(t, c, aws.ToString(def.NetworkAclId))), []string{
		"out 100 -1 allow 0.0.0.0/0", "out 101 -1 allow ::/0", "out 32767 -1 deny 0.0.0.0/0", "out 32768 -1 deny ::/0",
		"in 32767 -1 deny 0.0.0.0/0", "in 32768 -1 deny ::/0",
	})
	wantStrings(t, "new ACL after an IPv6 block came", naclEntries(naclGet(t, c, custom)), []string{
		"out 32767 -1 deny 0.0.0.0/0", "out 32768 -1 deny ::/0", "in 32767 -1 deny 0.0.0.0/0", "in 32768 -1 deny ::/0",
	})

	// The default VPC has its default ACL, with every default subnet in it.
	dv, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{naclFilter("is-default", "true")}})
	if err != nil || len(dv.Vpcs) != 1 {
		t.Fatalf("default VPC: %v %v", dv, err)
	}
	dacl := naclDefault(t, c, aws.ToString(dv.Vpcs[0].VpcId))
	ds, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{naclFilter("vpc-id", aws.ToString(dv.Vpcs[0].VpcId))}})
	if err != nil {
		t.Fatal(err)
	}
	if len(dacl.Associations) != len(ds.Subnets) || len(ds.Subnets) == 0 {
		t.Errorf("default VPC: %d associations for %d subnets", len(dacl.Associations), len(ds.Subnets))
	}
}

func TestNetworkACLLifecycle(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	vpc := naclVPC(t, c, "10.0.0.0/16", true)

	created, err := c.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{
		VpcId:       aws.String(vpc),
		ClientToken: aws.String("token-1"),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeNetworkAcl,
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	acl := created.NetworkAcl
	id := aws.ToString(acl.NetworkAclId)
	if !strings.HasPrefix(id, "acl-") || aws.ToBool(acl.IsDefault) || aws.ToString(acl.VpcId) != vpc ||
		aws.ToString(created.ClientToken) != "token-1" || len(acl.Tags) != 1 || aws.ToString(acl.Tags[0].Value) != "web" {
		t.Fatalf("create answer: %+v token %s", acl, aws.ToString(created.ClientToken))
	}
	// The same client token gives the same ACL.
	again, err := c.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(vpc), ClientToken: aws.String("token-1"),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeNetworkAcl,
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}}}}})
	if err != nil || aws.ToString(again.NetworkAcl.NetworkAclId) != id {
		t.Fatalf("retried create: %v %v", again, err)
	}

	entries := []*ec2.CreateNetworkAclEntryInput{
		{RuleNumber: aws.Int32(100), Protocol: aws.String("6"), RuleAction: types.RuleActionAllow, Egress: aws.Bool(false),
			CidrBlock: aws.String("0.0.0.0/0"), PortRange: &types.PortRange{From: aws.Int32(443), To: aws.Int32(443)}},
		{RuleNumber: aws.Int32(110), Protocol: aws.String("17"), RuleAction: types.RuleActionDeny, Egress: aws.Bool(false),
			CidrBlock: aws.String("10.0.0.0/8"), PortRange: &types.PortRange{From: aws.Int32(53), To: aws.Int32(53)}},
		{RuleNumber: aws.Int32(120), Protocol: aws.String("1"), RuleAction: types.RuleActionAllow, Egress: aws.Bool(false),
			CidrBlock: aws.String("0.0.0.0/0"), IcmpTypeCode: &types.IcmpTypeCode{Type: aws.Int32(8), Code: aws.Int32(-1)}},
		{RuleNumber: aws.Int32(130), Protocol: aws.String("58"), RuleAction: types.RuleActionAllow, Egress: aws.Bool(false),
			Ipv6CidrBlock: aws.String("::/0"), IcmpTypeCode: &types.IcmpTypeCode{Type: aws.Int32(-1), Code: aws.Int32(-1)}},
		// Ports of a protocol without ports are not kept.
		{RuleNumber: aws.Int32(100), Protocol: aws.String("-1"), RuleAction: types.RuleActionAllow, Egress: aws.Bool(true),
			CidrBlock: aws.String("0.0.0.0/0"), PortRange: &types.PortRange{From: aws.Int32(0), To: aws.Int32(0)}},
		{RuleNumber: aws.Int32(90), Protocol: aws.String("50"), RuleAction: types.RuleActionDeny, Egress: aws.Bool(true),
			CidrBlock: aws.String("192.0.2.0/24"), PortRange: &types.PortRange{From: aws.Int32(1), To: aws.Int32(2)}},
		{RuleNumber: aws.Int32(32766), Protocol: aws.String("-1"), RuleAction: "ALLOW", Egress: aws.Bool(true),
			Ipv6CidrBlock: aws.String("2001:db8::/32")},
	}
	for _, in := range entries {
		in.NetworkAclId = aws.String(id)
		if _, err := c.CreateNetworkAclEntry(ctx, in); err != nil {
			t.Fatalf("create entry %d: %v", aws.ToInt32(in.RuleNumber), err)
		}
	}
	wantStrings(t, "entries", naclEntries(naclGet(t, c, id)), []string{
		"out 90 50 deny 192.0.2.0/24",
		"out 100 -1 allow 0.0.0.0/0",
		"out 32766 -1 allow 2001:db8::/32",
		"out 32767 -1 deny 0.0.0.0/0",
		"out 32768 -1 deny ::/0",
		"in 100 6 allow 0.0.0.0/0 ports 443-443",
		"in 110 17 deny 10.0.0.0/8 ports 53-53",
		"in 120 1 allow 0.0.0.0/0 icmp 8/-1",
		"in 130 58 allow ::/0 icmp -1/-1",
		"in 32767 -1 deny 0.0.0.0/0",
		"in 32768 -1 deny ::/0",
	})

	// Replace keeps the number and direction, changes everything else.
	if _, err := c.ReplaceNetworkAclEntry(ctx, &ec2.ReplaceNetworkAclEntryInput{
		NetworkAclId: aws.String(id), RuleNumber: aws.Int32(100), Egress: aws.Bool(false), Protocol: aws.String("17"),
		RuleAction: types.RuleActionDeny, CidrBlock: aws.String("172.16.0.0/12"), PortRange: &types.PortRange{From: aws.Int32(1024), To: aws.Int32(65535)},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteNetworkAclEntry(ctx, &ec2.DeleteNetworkAclEntryInput{NetworkAclId: aws.String(id), RuleNumber: aws.Int32(90), Egress: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	got := naclEntries(naclGet(t, c, id))
	if got[0] != "out 100 -1 allow 0.0.0.0/0" || !slices.Contains(got, "in 100 17 deny 172.16.0.0/12 ports 1024-65535") || len(got) != 10 {
		t.Errorf("after replace and delete: %q", got)
	}

	// Dry runs check and change nothing.
	_, err = c.CreateNetworkAclEntry(ctx, &ec2.CreateNetworkAclEntryInput{DryRun: aws.Bool(true), NetworkAclId: aws.String(id),
		RuleNumber: aws.Int32(5), Protocol: aws.String("-1"), RuleAction: types.RuleActionAllow, Egress: aws.Bool(true), CidrBlock: aws.String("0.0.0.0/0")})
	if apiCode(err) != "DryRunOperation" || len(naclEntries(naclGet(t, c, id))) != 10 {
		t.Errorf("dry-run entry: %v", err)
	}
	if _, err := c.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{DryRun: aws.Bool(true), NetworkAclId: aws.String(id)}); apiCode(err) != "DryRunOperation" {
		t.Errorf("dry-run delete: %v", err)
	}

	// Tags work through CreateTags too.
	if _, err := c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}); err != nil {
		t.Fatal(err)
	}
	if acls := naclDescribe(t, c, naclFilter("tag:env", "prod")); len(acls) != 1 || len(acls[0].Tags) != 2 {
		t.Errorf("by tag: %+v", acls)
	}

	// Another account sees nothing of it.
	other := emulatortest.EC2(e, emulatortest.AccountB, "us-east-1")
	if _, err := other.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{NetworkAclIds: []string{id}}); apiCode(err) != "InvalidNetworkAclID.NotFound" {
		t.Errorf("other account describe: %v", err)
	}
	if _, err := other.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String(id)}); apiCode(err) != "InvalidNetworkAclID.NotFound" {
		t.Errorf("other account delete: %v", err)
	}

	if _, err := c.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{NetworkAclIds: []string{id}})
	if apiCode(err) != "InvalidNetworkAclID.NotFound" || !strings.Contains(err.Error(), "The networkAcl ID '"+id+"' does not exist") {
		t.Errorf("after delete: %v", err)
	}
}

func TestNetworkACLRefusals(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	vpc := naclVPC(t, c, "10.0.0.0/16", false)
	acl := naclCreate(t, c, vpc)
	def := aws.ToString(naclDefault(t, c, vpc).NetworkAclId)
	if _, err := c.CreateNetworkAclEntry(ctx, &ec2.CreateNetworkAclEntryInput{NetworkAclId: aws.String(acl), RuleNumber: aws.Int32(100),
		Protocol: aws.String("-1"), RuleAction: types.RuleActionAllow, Egress: aws.Bool(false), CidrBlock: aws.String("0.0.0.0/0")}); err != nil {
		t.Fatal(err)
	}
	sub := naclSubnet(t, c, vpc, "10.0.1.0/24")
	used := naclCreate(t, c, vpc)
	assoc, _ := naclAssociation(t, c, sub)
	if _, err := c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(assoc), NetworkAclId: aws.String(used)}); err != nil {
		t.Fatal(err)
	}
	otherVPC := naclVPC(t, c, "10.9.0.0/16", false)
	foreign := naclCreate(t, c, otherVPC)
	assoc, _ = naclAssociation(t, c, sub)

	// entry is a valid rule for acl; each case breaks one thing.
	entry := func(change func(*ec2.CreateNetworkAclEntryInput)) *ec2.CreateNetworkAclEntryInput {
		in := &ec2.CreateNetworkAclEntryInput{NetworkAclId: aws.String(acl), RuleNumber: aws.Int32(200), Protocol: aws.String("6"),
			RuleAction: types.RuleActionAllow, Egress: aws.Bool(false), CidrBlock: aws.String("10.0.0.0/8"),
			PortRange: &types.PortRange{From: aws.Int32(22), To: aws.Int32(22)}}
		change(in)
		return in
	}
	replace := func(in *ec2.CreateNetworkAclEntryInput) error {
		_, err := c.ReplaceNetworkAclEntry(ctx, &ec2.ReplaceNetworkAclEntryInput{NetworkAclId: in.NetworkAclId, RuleNumber: in.RuleNumber,
			Protocol: in.Protocol, RuleAction: in.RuleAction, Egress: in.Egress, CidrBlock: in.CidrBlock, Ipv6CidrBlock: in.Ipv6CidrBlock,
			PortRange: in.PortRange, IcmpTypeCode: in.IcmpTypeCode})
		return err
	}
	create := func(in *ec2.CreateNetworkAclEntryInput) error { _, err := c.CreateNetworkAclEntry(ctx, in); return err }

	checkRefusals(t, []refusal{
		{"create in a missing VPC", func() error {
			_, err := c.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String("vpc-00000000000000000")})
			return err
		}, "InvalidVpcID.NotFound", "The vpc ID 'vpc-00000000000000000' does not exist"},
		{"create with a foreign tag type", func() error {
			_, err := c.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(vpc), TagSpecifications: []types.TagSpecification{
				{ResourceType: types.ResourceTypeVpc, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}}}})
			return err
		}, "InvalidParameterValue", "'vpc' is not a valid taggable resource type"},
		{"delete a missing ACL", func() error {
			_, err := c.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String("acl-00000000000000000")})
			return err
		}, "InvalidNetworkAclID.NotFound", "The networkAcl ID 'acl-00000000000000000' does not exist"},
		{"delete the default ACL", func() error {
			_, err := c.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String(def)})
			return err
		}, "InvalidParameterValue", "cannot delete default network ACL " + def},
		{"delete an ACL a subnet uses", func() error {
			_, err := c.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String(used)})
			return err
		}, "DependencyViolation", "The networkAcl '" + used + "' has dependencies and cannot be deleted."},
		{"delete the VPC of a custom ACL", func() error {
			_, err := c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(otherVPC)})
			return err
		}, "DependencyViolation", ""},

		{"entry in a missing ACL", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.NetworkAclId = aws.String("acl-00000000000000000") }))
		}, "InvalidNetworkAclID.NotFound", ""},
		{"duplicate entry", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.RuleNumber = aws.Int32(100) }))
		}, "NetworkAclEntryAlreadyExists", "The network acl entry identified by 100 already exists."},
		{"rule number 0", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.RuleNumber = aws.Int32(0) }))
		}, "InvalidParameterValue", ""},
		{"rule number of the * rule", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.RuleNumber = aws.Int32(32767) }))
		}, "InvalidParameterValue", ""},
		{"rule number too high", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.RuleNumber = aws.Int32(40000) }))
		}, "InvalidParameterValue", ""},
		{"unknown action", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.RuleAction = "permit" }))
		}, "InvalidParameterValue", ""},
		{"unknown protocol name", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.Protocol = aws.String("gre") }))
		}, "InvalidParameterValue", "Invalid value 'gre' for IP protocol. Unknown protocol."},
		{"a protocol name (the API takes numbers)", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.Protocol = aws.String("tcp") }))
		}, "InvalidParameterValue", "Invalid value 'tcp' for IP protocol. Unknown protocol."},
		{"protocol number too high", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.Protocol = aws.String("256") }))
		}, "InvalidParameterValue", ""},
		{"no block", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.CidrBlock = nil }))
		}, "MissingParameter", ""},
		{"both blocks", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.Ipv6CidrBlock = aws.String("::/0") }))
		}, "InvalidParameterCombination", ""},
		{"invalid IPv4 block", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.CidrBlock = aws.String("10.0.0.300/8") }))
		}, "InvalidParameterValue", ""},
		{"IPv6 block in the IPv4 field", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.CidrBlock = aws.String("::/0") }))
		}, "InvalidParameterValue", ""},
		{"IPv4 block in the IPv6 field", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) {
				in.CidrBlock, in.Ipv6CidrBlock = nil, aws.String("10.0.0.0/8")
			}))
		}, "InvalidParameterValue", ""},
		{"tcp without ports", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.PortRange = nil }))
		}, "MissingParameter", "The request must contain the parameter portRange.from"},
		{"udp without the end port", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) {
				in.Protocol, in.PortRange = aws.String("17"), &types.PortRange{From: aws.Int32(53)}
			}))
		}, "MissingParameter", "The request must contain the parameter portRange.to"},
		{"port out of range", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.PortRange.To = aws.Int32(70000) }))
		}, "InvalidParameterValue", ""},
		{"ports in reverse", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.PortRange.From = aws.Int32(80) }))
		}, "InvalidParameterValue", ""},
		{"icmp without type", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.Protocol, in.PortRange = aws.String("1"), nil }))
		}, "MissingParameter", "The request must contain the parameter icmpTypeCode.type"},
		{"icmp without code", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) {
				in.Protocol, in.IcmpTypeCode = aws.String("1"), &types.IcmpTypeCode{Type: aws.Int32(8)}
			}))
		}, "MissingParameter", "The request must contain the parameter icmpTypeCode.code"},
		{"icmpv6 with an IPv6 block without type", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) {
				in.Protocol, in.CidrBlock, in.Ipv6CidrBlock = aws.String("58"), nil, aws.String("::/0")
			}))
		}, "MissingParameter", "The request must contain the parameter icmpTypeCode.type"},
		{"icmp type out of range", func() error {
			return create(entry(func(in *ec2.CreateNetworkAclEntryInput) {
				in.Protocol, in.IcmpTypeCode = aws.String("1"), &types.IcmpTypeCode{Type: aws.Int32(300), Code: aws.Int32(0)}
			}))
		}, "InvalidParameterValue", ""},

		{"replace a missing entry", func() error {
			return replace(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.RuleNumber = aws.Int32(120) }))
		}, "InvalidNetworkAclEntry.NotFound", "no ingress entry with number 120 exists in network acl " + acl},
		{"replace the * rule", func() error {
			return replace(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.RuleNumber = aws.Int32(32767) }))
		}, "InvalidParameterValue", ""},
		{"replace with an invalid rule", func() error {
			return replace(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.RuleNumber, in.PortRange = aws.Int32(100), nil }))
		}, "MissingParameter", ""},
		{"replace in a missing ACL", func() error {
			return replace(entry(func(in *ec2.CreateNetworkAclEntryInput) { in.NetworkAclId = aws.String("acl-00000000000000000") }))
		}, "InvalidNetworkAclID.NotFound", ""},
		{"delete a missing entry", func() error {
			_, err := c.DeleteNetworkAclEntry(ctx, &ec2.DeleteNetworkAclEntryInput{NetworkAclId: aws.String(acl), RuleNumber: aws.Int32(100), Egress: aws.Bool(true)})
			return err
		}, "InvalidNetworkAclEntry.NotFound", "no egress entry with number 100 exists in network acl " + acl},
		{"delete the * rule", func() error {
			_, err := c.DeleteNetworkAclEntry(ctx, &ec2.DeleteNetworkAclEntryInput{NetworkAclId: aws.String(acl), RuleNumber: aws.Int32(32767), Egress: aws.Bool(false)})
			return err
		}, "InvalidParameterValue", ""},
		{"delete an entry of a missing ACL", func() error {
			_, err := c.DeleteNetworkAclEntry(ctx, &ec2.DeleteNetworkAclEntryInput{NetworkAclId: aws.String("acl-00000000000000000"), RuleNumber: aws.Int32(100), Egress: aws.Bool(false)})
			return err
		}, "InvalidNetworkAclID.NotFound", ""},

		{"replace a missing association", func() error {
			_, err := c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String("aclassoc-00000000000000000"), NetworkAclId: aws.String(acl)})
			return err
		}, "InvalidAssociationID.NotFound", "The association ID 'aclassoc-00000000000000000' does not exist"},
		{"associate with a missing ACL", func() error {
			_, err := c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(assoc), NetworkAclId: aws.String("acl-00000000000000000")})
			return err
		}, "InvalidNetworkAclID.NotFound", ""},
		{"associate with an ACL of another VPC", func() error {
			_, err := c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(assoc), NetworkAclId: aws.String(foreign)})
			return err
		}, "InvalidParameterValue", ""},
	})

	// Nothing the refusals tried was kept.
	wantStrings(t, "entries after the refusals", naclEntries(naclGet(t, c, acl)), []string{"out 32767 -1 deny 0.0.0.0/0", "in 100 -1 allow 0.0.0.0/0", "in 32767 -1 deny 0.0.0.0/0"})
	if _, owner := naclAssociation(t, c, sub); owner != used {
		t.Errorf("subnet moved to %s by a refused call", owner)
	}
}

func TestNetworkACLEntryQuota(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	acl := naclCreate(t, c, naclVPC(t, c, "10.0.0.0/16", true))
	add := func(n int32, egress bool, v6 bool) error {
		in := &ec2.CreateNetworkAclEntryInput{NetworkAclId: aws.String(acl), RuleNumber: aws.Int32(n), Protocol: aws.String("-1"),
			RuleAction: types.RuleActionAllow, Egress: aws.Bool(egress), CidrBlock: aws.String("10.0.0.0/8")}
		if v6 {
			in.CidrBlock, in.Ipv6CidrBlock = nil, aws.String("2001:db8::/32")
		}
		_, err := c.CreateNetworkAclEntry(ctx, in)
		return err
	}
	// 20 rules per direction and family, the "*" rule among them.
	for n := int32(1); n <= 19; n++ {
		if err := add(n, false, false); err != nil {
			t.Fatalf("rule %d: %v", n, err)
		}
	}
	if err := add(20, false, false); apiCode(err) != "NetworkAclEntryLimitExceeded" {
		t.Fatalf("21st IPv4 ingress rule: %v", err)
	}
	if err := add(20, true, false); err != nil {
		t.Errorf("egress counts apart: %v", err)
	}
	if err := add(20, false, true); err != nil {
		t.Errorf("IPv6 counts apart: %v", err)
	}
	// Replacing a rule in place is fine at the quota; turning an IPv4 rule
	// into an IPv6 one is not once the IPv6 rules are full.
	if _, err := c.ReplaceNetworkAclEntry(ctx, &ec2.ReplaceNetworkAclEntryInput{NetworkAclId: aws.String(acl), RuleNumber: aws.Int32(1),
		Protocol: aws.String("-1"), RuleAction: types.RuleActionDeny, Egress: aws.Bool(false), CidrBlock: aws.String("10.1.0.0/16")}); err != nil {
		t.Errorf("replace at the quota: %v", err)
	}
	for n := int32(21); n <= 38; n++ {
		if err := add(n, false, true); err != nil {
			t.Fatalf("IPv6 rule %d: %v", n, err)
		}
	}
	_, err := c.ReplaceNetworkAclEntry(ctx, &ec2.ReplaceNetworkAclEntryInput{NetworkAclId: aws.String(acl), RuleNumber: aws.Int32(2),
		Protocol: aws.String("-1"), RuleAction: types.RuleActionDeny, Egress: aws.Bool(false), Ipv6CidrBlock: aws.String("::/0")})
	if apiCode(err) != "NetworkAclEntryLimitExceeded" {
		t.Errorf("replace into a full IPv6 set: %v", err)
	}
}

func TestNetworkACLQuotaPerVPC(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	vpc := naclVPC(t, c, "10.0.0.0/16", false)
	// 200 per VPC, the default ACL included.
	for i := 0; i < 199; i++ {
		naclCreate(t, c, vpc)
	}
	_, err := c.CreateNetworkAcl(context.Background(), &ec2.CreateNetworkAclInput{VpcId: aws.String(vpc)})
	if apiCode(err) != "NetworkAclLimitExceeded" {
		t.Fatalf("201st ACL: %v", err)
	}
}

func TestNetworkACLAssociationFlow(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	vpc := naclVPC(t, c, "10.0.0.0/16", false)
	def := aws.ToString(naclDefault(t, c, vpc).NetworkAclId)
	subA := naclSubnet(t, c, vpc, "10.0.1.0/24")
	subB := naclSubnet(t, c, vpc, "10.0.2.0/24")
	acl := naclCreate(t, c, vpc)

	// Move A to the new ACL: the old association is gone, a new one is made.
	old, _ := naclAssociation(t, c, subA)
	out, err := c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(old), NetworkAclId: aws.String(acl)})
	if err != nil {
		t.Fatal(err)
	}
	moved := aws.ToString(out.NewAssociationId)
	if !strings.HasPrefix(moved, "aclassoc-") || moved == old {
		t.Fatalf("new association id %q (old %q)", moved, old)
	}
	if a, owner := naclAssociation(t, c, subA); a != moved || owner != acl {
		t.Errorf("subnet A: association %s in %s, want %s in %s", a, owner, moved, acl)
	}
	if got := naclGet(t, c, acl).Associations; len(got) != 1 || aws.ToString(got[0].NetworkAclId) != acl || aws.ToString(got[0].SubnetId) != subA {
		t.Errorf("new ACL associations: %+v", got)
	}
	if got := naclGet(t, c, def).Associations; len(got) != 1 || aws.ToString(got[0].SubnetId) != subB {
		t.Errorf("default ACL associations: %+v", got)
	}
	if _, err := c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(old), NetworkAclId: aws.String(def)}); apiCode(err) != "InvalidAssociationID.NotFound" {
		t.Errorf("reusing the replaced association: %v", err)
	}
	// Finding by association id, as aws_network_acl_association reads.
	if acls := naclDescribe(t, c, naclFilter("association.association-id", moved)); len(acls) != 1 || aws.ToString(acls[0].NetworkAclId) != acl {
		t.Errorf("by association id: %v", naclIDs(acls))
	}

	// Replacing with the same ACL still gives a new id.
	same, err := c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(moved), NetworkAclId: aws.String(acl)})
	if err != nil || aws.ToString(same.NewAssociationId) == moved {
		t.Fatalf("replace with the same ACL: %v %v", same, err)
	}
	if got := naclGet(t, c, acl).Associations; len(got) != 1 {
		t.Errorf("after a same-ACL replace: %+v", got)
	}

	if _, err := c.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String(acl)}); apiCode(err) != "DependencyViolation" {
		t.Errorf("delete while associated: %v", err)
	}
	// Back to the default, as Terraform does on destroy; then delete.
	if _, err := c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: same.NewAssociationId, NetworkAclId: aws.String(def)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteNetworkAcl(ctx, &ec2.DeleteNetworkAclInput{NetworkAclId: aws.String(acl)}); err != nil {
		t.Fatal(err)
	}

	// Deleting a subnet removes its association.
	if _, err := c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(subB)}); err != nil {
		t.Fatal(err)
	}
	if acls := naclDescribe(t, c, naclFilter("association.subnet-id", subB)); len(acls) != 0 {
		t.Errorf("deleted subnet still associated: %v", naclIDs(acls))
	}
	if got := naclGet(t, c, def).Associations; len(got) != 1 || aws.ToString(got[0].SubnetId) != subA {
		t.Errorf("default ACL associations after the subnet went: %+v", got)
	}

	// The VPC goes with its default ACL.
	if _, err := c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(subA)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpc)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{NetworkAclIds: []string{def}}); apiCode(err) != "InvalidNetworkAclID.NotFound" {
		t.Errorf("default ACL after its VPC went: %v", err)
	}
}

func TestDescribeNetworkACLFilters(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	vpc := naclVPC(t, c, "10.0.0.0/16", true)
	other := naclVPC(t, c, "10.1.0.0/16", false)
	def := aws.ToString(naclDefault(t, c, vpc).NetworkAclId)
	otherDef := aws.ToString(naclDefault(t, c, other).NetworkAclId)
	web := naclCreate(t, c, vpc)
	db := naclCreate(t, c, vpc)
	sub := naclSubnet(t, c, vpc, "10.0.1.0/24")
	assoc, _ := naclAssociation(t, c, sub)
	out, err := c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(assoc), NetworkAclId: aws.String(web)})
	if err != nil {
		t.Fatal(err)
	}
	webAssoc := aws.ToString(out.NewAssociationId)
	if _, err := c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{web}, Tags: []types.Tag{{Key: aws.String("tier"), Value: aws.String("web")}}}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []*ec2.CreateNetworkAclEntryInput{
		{NetworkAclId: aws.String(web), RuleNumber: aws.Int32(100), Protocol: aws.String("6"), RuleAction: types.RuleActionAllow, Egress: aws.Bool(false),
			CidrBlock: aws.String("0.0.0.0/0"), PortRange: &types.PortRange{From: aws.Int32(443), To: aws.Int32(443)}},
		{NetworkAclId: aws.String(web), RuleNumber: aws.Int32(110), Protocol: aws.String("1"), RuleAction: types.RuleActionDeny, Egress: aws.Bool(true),
			CidrBlock: aws.String("10.0.0.0/8"), IcmpTypeCode: &types.IcmpTypeCode{Type: aws.Int32(8), Code: aws.Int32(0)}},
		{NetworkAclId: aws.String(db), RuleNumber: aws.Int32(120), Protocol: aws.String("17"), RuleAction: types.RuleActionDeny, Egress: aws.Bool(true),
			Ipv6CidrBlock: aws.String("2001:db8::/32"), PortRange: &types.PortRange{From: aws.Int32(53), To: aws.Int32(54)}},
	} {
		if _, err := c.CreateNetworkAclEntry(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	in := func(ids ...string) []string { sort.Strings(ids); return ids }
	inVPC := naclFilter("vpc-id", vpc)

	for _, tc := range []struct {
		name    string
		filters []types.Filter
		want    []string
	}{
		{"vpc-id", []types.Filter{inVPC}, in(def, web, db)},
		{"vpc-id, two values", []types.Filter{naclFilter("vpc-id", vpc, other)}, in(def, web, db, otherDef)},
		{"default true with vpc-id", []types.Filter{naclFilter("default", "true"), inVPC}, in(def)},
		{"default true with two VPCs", []types.Filter{naclFilter("default", "true"), naclFilter("vpc-id", vpc, other)}, in(def, otherDef)},
		{"default false", []types.Filter{inVPC, naclFilter("default", "false")}, in(web, db)},
		{"network-acl-id", []types.Filter{naclFilter("network-acl-id", db)}, in(db)},
		{"owner-id", []types.Filter{inVPC, naclFilter("owner-id", emulatortest.AccountA)}, in(def, web, db)},
		{"owner-id of another account", []types.Filter{naclFilter("owner-id", emulatortest.AccountB)}, nil},
		{"association.association-id", []types.Filter{naclFilter("association.association-id", webAssoc)}, in(web)},
		{"association.subnet-id", []types.Filter{naclFilter("association.subnet-id", sub)}, in(web)},
		{"association.network-acl-id", []types.Filter{inVPC, naclFilter("association.network-acl-id", web, db)}, in(web)},
		{"entry.cidr", []types.Filter{inVPC, naclFilter("entry.cidr", "10.0.0.0/8")}, in(web)},
		{"entry.ipv6-cidr", []types.Filter{inVPC, naclFilter("entry.ipv6-cidr", "2001:db8::/32")}, in(db)},
		{"entry.ipv6-cidr of the * rules", []types.Filter{inVPC, naclFilter("entry.ipv6-cidr", "::/0")}, in(def, web, db)},
		{"entry.port-range.from", []types.Filter{inVPC, naclFilter("entry.port-range.from", "443")}, in(web)},
		{"entry.port-range.to", []types.Filter{inVPC, naclFilter("entry.port-range.to", "54")}, in(db)},
		{"entry.icmp.type", []types.Filter{inVPC, naclFilter("entry.icmp.type", "8")}, in(web)},
		{"entry.icmp.code", []types.Filter{inVPC, naclFilter("entry.icmp.code", "0")}, in(web)},
		{"entry.protocol by number", []types.Filter{inVPC, naclFilter("entry.protocol", "17")}, in(db)},
		{"entry.protocol by name", []types.Filter{inVPC, naclFilter("entry.protocol", "tcp", "icmp")}, in(web)},
		{"entry.rule-action", []types.Filter{inVPC, naclFilter("entry.rule-action", "allow")}, in(def, web)},
		{"entry.rule-number", []types.Filter{inVPC, naclFilter("entry.rule-number", "120")}, in(db)},
		{"entry.egress with entry.rule-number", []types.Filter{naclFilter("entry.egress", "false"), naclFilter("entry.rule-number", "100"), inVPC}, in(def, web)},
		{"entry.egress", []types.Filter{inVPC, naclFilter("entry.egress", "true")}, in(def, web, db)},
		{"tag:tier", []types.Filter{naclFilter("tag:tier", "web")}, in(web)},
		{"tag-key", []types.Filter{naclFilter("tag-key", "tier")}, in(web)},
		{"tag-value with wildcard", []types.Filter{naclFilter("tag-value", "w*")}, in(web)},
		{"wildcard id", []types.Filter{inVPC, naclFilter("network-acl-id", "acl-*")}, in(def, web, db)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: tc.filters})
			if err != nil {
				t.Fatal(err)
			}
			sameIDs(t, naclIDs(out.NetworkAcls), tc.want)
		})
	}

	if _, err := c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{naclFilter("entry.colour", "red")}}); apiCode(err) != "InvalidParameterValue" {
		t.Errorf("unknown filter: %v", err)
	}
	// Ids and filters together.
	d, err := c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{NetworkAclIds: []string{web, db}, Filters: []types.Filter{naclFilter("entry.rule-number", "110")}})
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, naclIDs(d.NetworkAcls), []string{web})
	if _, err := c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{NetworkAclIds: []string{web, "acl-00000000000000000"}}); apiCode(err) != "InvalidNetworkAclID.NotFound" {
		t.Errorf("an unknown id among known ones: %v", err)
	}
}

func TestDescribeNetworkACLPaging(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	vpc := naclVPC(t, c, "10.0.0.0/16", false)
	want := []string{aws.ToString(naclDefault(t, c, vpc).NetworkAclId)}
	for i := 0; i < 11; i++ {
		want = append(want, naclCreate(t, c, vpc))
	}
	sort.Strings(want)

	p := ec2.NewDescribeNetworkAclsPaginator(c, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{naclFilter("vpc-id", vpc)}, MaxResults: aws.Int32(5)})
	var got []string
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(out.NetworkAcls) > 5 {
			t.Errorf("page of %d", len(out.NetworkAcls))
		}
		for _, a := range out.NetworkAcls {
			got = append(got, aws.ToString(a.NetworkAclId))
		}
		pages++
	}
	if pages != 3 {
		t.Errorf("%d pages, want 3", pages)
	}
	wantStrings(t, "paged ACLs", got, want)

	// Without filters the default VPC's ACL is there too.
	all := naclDescribe(t, c)
	if len(all) != len(want)+1 {
		t.Errorf("all ACLs: %d, want %d", len(all), len(want)+1)
	}
	if _, err := c.DescribeNetworkAcls(context.Background(), &ec2.DescribeNetworkAclsInput{MaxResults: aws.Int32(2)}); apiCode(err) != "InvalidParameterValue" {
		t.Errorf("MaxResults below 5: %v", err)
	}
	if _, err := c.DescribeNetworkAcls(context.Background(), &ec2.DescribeNetworkAclsInput{NextToken: aws.String("!!")}); apiCode(err) != "InvalidParameterValue" {
		t.Errorf("bad token: %v", err)
	}
}
