package ec2_test

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// sgEnv is the fixture of the security group tests.
type sgEnv struct{ fixture }

func newSGEnv(t *testing.T) *sgEnv { return &sgEnv{newFixture(t)} }

// vpc creates a VPC, with an Amazon IPv6 block when ipv6.
func (s *sgEnv) vpc(cidr string, ipv6 bool) string {
	s.t.Helper()
	out, err := s.c.CreateVpc(s.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr), AmazonProvidedIpv6CidrBlock: aws.Bool(ipv6)})
	s.must(err)
	return aws.ToString(out.Vpc.VpcId)
}

// group creates a group in vpc ("" for the default VPC).
func (s *sgEnv) group(vpc, name string) string {
	s.t.Helper()
	in := &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String(name + " group")}
	if vpc != "" {
		in.VpcId = aws.String(vpc)
	}
	out, err := s.c.CreateSecurityGroup(s.ctx, in)
	s.must(err)
	return aws.ToString(out.GroupId)
}

func (s *sgEnv) describe(id string) types.SecurityGroup {
	s.t.Helper()
	out, err := s.c.DescribeSecurityGroups(s.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
	s.must(err)
	if len(out.SecurityGroups) != 1 {
		s.t.Fatalf("describe %s: %d groups", id, len(out.SecurityGroups))
	}
	return out.SecurityGroups[0]
}

func (s *sgEnv) ingress(id string, perms ...types.IpPermission) []types.SecurityGroupRule {
	s.t.Helper()
	out, err := s.c.AuthorizeSecurityGroupIngress(s.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: perms})
	s.must(err)
	return out.SecurityGroupRules
}

// rules lists a group's rules by DescribeSecurityGroupRules.
func (s *sgEnv) rules(id string) []types.SecurityGroupRule {
	s.t.Helper()
	out, err := s.c.DescribeSecurityGroupRules(s.ctx, &ec2.DescribeSecurityGroupRulesInput{
		Filters: []types.Filter{{Name: aws.String("group-id"), Values: []string{id}}},
	})
	s.must(err)
	return out.SecurityGroupRules
}

func (s *sgEnv) defaultVPC() string {
	s.t.Helper()
	out, err := s.c.DescribeVpcs(s.ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
	if err != nil || len(out.Vpcs) != 1 {
		s.t.Fatalf("default VPC: %v %v", out, err)
	}
	return aws.ToString(out.Vpcs[0].VpcId)
}

func tcp(from, to int32, cidrs ...string) types.IpPermission {
	p := types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(from), ToPort: aws.Int32(to)}
	for _, c := range cidrs {
		p.IpRanges = append(p.IpRanges, types.IpRange{CidrIp: aws.String(c)})
	}
	return p
}

func TestSecurityGroupLifecycle(t *testing.T) {
	s := newSGEnv(t)
	vpc := s.vpc("10.1.0.0/16", false)
	out, err := s.c.CreateSecurityGroup(s.ctx, &ec2.CreateSecurityGroupInput{
		GroupName: aws.String("web"), Description: aws.String("Web servers (tier:1) #a"), VpcId: aws.String(vpc),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeSecurityGroup,
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.GroupId)
	wantARN := "arn:aws:ec2:us-east-1:" + emulatortest.AccountA + ":security-group/" + id
	if !strings.HasPrefix(id, "sg-") || aws.ToString(out.SecurityGroupArn) != wantARN || len(out.Tags) != 1 {
		t.Fatalf("create answer: %+v", out)
	}

	g := s.describe(id)
	if aws.ToString(g.GroupName) != "web" || aws.ToString(g.Description) != "Web servers (tier:1) #a" || aws.ToString(g.VpcId) != vpc ||
		aws.ToString(g.OwnerId) != emulatortest.AccountA || aws.ToString(g.SecurityGroupArn) != wantARN || len(g.Tags) != 1 {
		t.Fatalf("describe: %+v", g)
	}
	if len(g.IpPermissions) != 0 {
		t.Errorf("a new group has no inbound rules: %+v", g.IpPermissions)
	}
	// One outbound rule: all traffic to 0.0.0.0/0, with no ports.
	if len(g.IpPermissionsEgress) != 1 {
		t.Fatalf("egress: %+v", g.IpPermissionsEgress)
	}
	e := g.IpPermissionsEgress[0]
	if aws.ToString(e.IpProtocol) != "-1" || e.FromPort != nil || e.ToPort != nil || len(e.IpRanges) != 1 ||
		aws.ToString(e.IpRanges[0].CidrIp) != "0.0.0.0/0" || len(e.Ipv6Ranges) != 0 {
		t.Fatalf("default egress: %+v", e)
	}
	rules := s.rules(id)
	if len(rules) != 1 || !aws.ToBool(rules[0].IsEgress) || aws.ToInt32(rules[0].FromPort) != -1 || aws.ToInt32(rules[0].ToPort) != -1 ||
		!strings.HasPrefix(aws.ToString(rules[0].SecurityGroupRuleId), "sgr-") {
		t.Fatalf("rules of a new group: %+v", rules)
	}

	// The VPC's default group exists, and Terraform finds it by name and VPC.
	d, err := s.c.DescribeSecurityGroups(s.ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{
		{Name: aws.String("group-name"), Values: []string{"default"}}, {Name: aws.String("vpc-id"), Values: []string{vpc}},
	}})
	if err != nil || len(d.SecurityGroups) != 1 {
		t.Fatalf("default group by name and VPC: %+v %v", d, err)
	}
	def := d.SecurityGroups[0]
	if aws.ToString(def.Description) != "default VPC security group" || len(def.IpPermissions) != 1 ||
		len(def.IpPermissions[0].UserIdGroupPairs) != 1 || aws.ToString(def.IpPermissions[0].UserIdGroupPairs[0].GroupId) != aws.ToString(def.GroupId) ||
		aws.ToString(def.IpPermissions[0].UserIdGroupPairs[0].UserId) != emulatortest.AccountA {
		t.Fatalf("default group: %+v", def)
	}

	if _, err := s.c.DeleteSecurityGroup(s.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = s.c.DescribeSecurityGroups(s.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
	wantAPIError(t, "describe deleted", err, "InvalidGroup.NotFound", "The security group '"+id+"' does not exist")

	// The VPC can go once only its own default group is left.
	if _, err := s.c.DeleteVpc(s.ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpc)}); err != nil {
		t.Fatal(err)
	}
}

func TestSecurityGroupIPv6VPCEgress(t *testing.T) {
	s := newSGEnv(t)
	id := s.group(s.vpc("10.2.0.0/16", true), "dual")
	e := s.describe(id).IpPermissionsEgress
	if len(e) != 1 || len(e[0].IpRanges) != 1 || len(e[0].Ipv6Ranges) != 1 || aws.ToString(e[0].Ipv6Ranges[0].CidrIpv6) != "::/0" {
		t.Fatalf("egress of a group in an IPv6 VPC: %+v", e)
	}
	// What Terraform does to every new group: revoke both defaults.
	for _, p := range []types.IpPermission{
		{IpProtocol: aws.String("-1"), FromPort: aws.Int32(0), ToPort: aws.Int32(0), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}},
		{IpProtocol: aws.String("-1"), FromPort: aws.Int32(0), ToPort: aws.Int32(0), Ipv6Ranges: []types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}},
	} {
		out, err := s.c.RevokeSecurityGroupEgress(s.ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(id), IpPermissions: []types.IpPermission{p}})
		if err != nil || !aws.ToBool(out.Return) || len(out.RevokedSecurityGroupRules) != 1 || len(out.UnknownIpPermissions) != 0 {
			t.Fatalf("revoke default egress: %+v %v", out, err)
		}
	}
	if e := s.describe(id).IpPermissionsEgress; len(e) != 0 {
		t.Fatalf("egress after revoke: %+v", e)
	}
}

func TestCreateSecurityGroupRefusals(t *testing.T) {
	s := newSGEnv(t)
	vpc := s.vpc("10.3.0.0/16", false)
	s.group(vpc, "taken")
	cases := []struct {
		name, group, desc, vpc, code, msg string
		tags                              []types.TagSpecification
	}{
		{name: "empty name", group: "", desc: "d", vpc: vpc, code: "MissingParameter"},
		{name: "empty description", group: "x", desc: "", vpc: vpc, code: "MissingParameter"},
		{name: "sg- prefix", group: "sg-017c251", desc: "d", vpc: vpc, code: "InvalidParameterValue",
			msg: "Value (sg-017c251) for parameter GroupName is invalid. Group names may not be in the format sg-*."},
		{name: "default", group: "default", desc: "d", vpc: vpc, code: "InvalidGroup.Reserved"},
		{name: "bad character", group: "it's", desc: "d", vpc: vpc, code: "InvalidParameterValue", msg: "Invalid security group name."},
		{name: "too long", group: strings.Repeat("a", 256), desc: "d", vpc: vpc, code: "InvalidParameterValue"},
		{name: "non-ASCII description", group: "x", desc: "caf\u00e9", vpc: vpc, code: "InvalidParameterValue",
			msg: "Character sets beyond ASCII are not supported."},
		{name: "bad description", group: "x", desc: "a|b", vpc: vpc, code: "InvalidParameterValue", msg: "Invalid security group description."},
		{name: "duplicate", group: "taken", desc: "d", vpc: vpc, code: "InvalidGroup.Duplicate",
			msg: "The security group 'taken' already exists for VPC '" + vpc + "'"},
		{name: "duplicate ignoring case", group: "TAKEN", desc: "d", vpc: vpc, code: "InvalidGroup.Duplicate"},
		{name: "no such VPC", group: "x", desc: "d", vpc: "vpc-0123456789abcdef0", code: "InvalidVpcID.NotFound"},
		{name: "tags of another type", group: "x", desc: "d", vpc: vpc, code: "InvalidParameterValue",
			tags: []types.TagSpecification{{ResourceType: types.ResourceTypeVpc, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.c.CreateSecurityGroup(s.ctx, &ec2.CreateSecurityGroupInput{
				GroupName: aws.String(tc.group), Description: aws.String(tc.desc), VpcId: aws.String(tc.vpc), TagSpecifications: tc.tags,
			})
			wantAPIError(t, tc.name, err, tc.code, tc.msg)
		})
	}
	// A refused or dry-run create leaves nothing behind.
	_, err := s.c.CreateSecurityGroup(s.ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("dry"), Description: aws.String("d"), VpcId: aws.String(vpc), DryRun: aws.Bool(true)})
	wantAPIError(t, "dry run", err, "DryRunOperation", "")
	out, err := s.c.DescribeSecurityGroups(s.ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc}}}})
	if err != nil || len(out.SecurityGroups) != 2 {
		t.Fatalf("groups after refusals: %d %v", len(out.SecurityGroups), err)
	}
}

func TestSecurityGroupsOfTheDefaultVPC(t *testing.T) {
	s := newSGEnv(t)
	def := s.defaultVPC()
	id := s.group("", "app")
	if g := s.describe(id); aws.ToString(g.VpcId) != def {
		t.Fatalf("a group without VpcId goes in the default VPC %s, got %s", def, aws.ToString(g.VpcId))
	}
	byName, err := s.c.DescribeSecurityGroups(s.ctx, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"app", "default"}})
	if err != nil || len(byName.SecurityGroups) != 2 {
		t.Fatalf("describe by names: %+v %v", byName, err)
	}
	_, err = s.c.DescribeSecurityGroups(s.ctx, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"nope"}})
	wantAPIError(t, "unknown name", err, "InvalidGroup.NotFound", "The security group 'nope' does not exist in default VPC '"+def+"'")

	// Ingress by group name, with a peer named by group name.
	src := s.group("", "src")
	_, err = s.c.AuthorizeSecurityGroupIngress(s.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupName: aws.String("app"),
		IpPermissions: []types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80),
			UserIdGroupPairs: []types.UserIdGroupPair{{GroupName: aws.String("src")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if p := s.describe(id).IpPermissions; len(p) != 1 || aws.ToString(p[0].UserIdGroupPairs[0].GroupId) != src {
		t.Fatalf("peer by name: %+v", p)
	}

	// The old single-rule parameters: a source group alone grants TCP, UDP and ICMP.
	_, err = s.c.AuthorizeSecurityGroupIngress(s.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupName: aws.String("src"),
		SourceSecurityGroupName: aws.String("app")})
	if err != nil {
		t.Fatal(err)
	}
	if p := s.describe(src).IpPermissions; len(p) != 3 {
		t.Fatalf("source group rules: %+v", p)
	}
	_, err = s.c.AuthorizeSecurityGroupIngress(s.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(src),
		CidrIp: aws.String("192.0.2.0/24"), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.c.AuthorizeSecurityGroupIngress(s.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(src),
		CidrIp: aws.String("192.0.2.0/24"), IpPermissions: []types.IpPermission{tcp(1, 2, "192.0.2.0/24")}})
	wantAPIError(t, "old and new parameters together", err, "InvalidParameterCombination", "")

	// In the default VPC, revoking rules the group lacks succeeds and lists
	// them; the rules it has are revoked.
	out, err := s.c.RevokeSecurityGroupIngress(s.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(src),
		IpPermissions: []types.IpPermission{tcp(443, 443, "192.0.2.0/24", "198.51.100.0/24"), tcp(8080, 8080, "10.0.0.0/8")}})
	if err != nil {
		t.Fatal(err)
	}
	if !aws.ToBool(out.Return) || len(out.RevokedSecurityGroupRules) != 1 || len(out.UnknownIpPermissions) != 2 ||
		aws.ToString(out.UnknownIpPermissions[0].IpRanges[0].CidrIp) != "198.51.100.0/24" {
		t.Fatalf("revoke in the default VPC: %+v", out)
	}

	// Delete by name; names work only in the default VPC.
	if _, err := s.c.DeleteSecurityGroup(s.ctx, &ec2.DeleteSecurityGroupInput{GroupName: aws.String("app")}); err == nil || apiCode(err) != "DependencyViolation" {
		t.Fatalf("delete a referenced group: want DependencyViolation, got %v", err)
	}
	if _, err := s.c.RevokeSecurityGroupIngress(s.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupName: aws.String("src"), SourceSecurityGroupName: aws.String("app")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.c.DeleteSecurityGroup(s.ctx, &ec2.DeleteSecurityGroupInput{GroupName: aws.String("app")}); err != nil {
		t.Fatal(err)
	}
	_, err = s.c.DeleteSecurityGroup(s.ctx, &ec2.DeleteSecurityGroupInput{GroupName: aws.String("app")})
	wantAPIError(t, "delete twice", err, "InvalidGroup.NotFound", "does not exist in default VPC")
}

func TestDeleteSecurityGroupRefusals(t *testing.T) {
	s := newSGEnv(t)
	vpc := s.vpc("10.4.0.0/16", false)
	a, b := s.group(vpc, "a"), s.group(vpc, "b")
	s.ingress(b, types.IpPermission{IpProtocol: aws.String("-1"), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(a)}}})
	def := s.defaultGroup(vpc)
	cases := []inputRefusal[string]{
		{"default group", def, "CannotDelete", `the specified group: "` + def + `" name: "default" cannot be deleted by a user`},
		{"referenced by another group", a, "DependencyViolation", "resource " + a + " has a dependent object"},
		{"malformed id", "sg-xyz", "InvalidGroupId.Malformed", ""},
		{"no such group", "sg-0123456789abcdef0", "InvalidGroup.NotFound", "The security group 'sg-0123456789abcdef0' does not exist"},
	}
	checkInputRefusals(t, cases, func(id string) error {
		_, err := s.c.DeleteSecurityGroup(s.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)})
		return err
	})
	// A group's reference to itself does not keep it.
	s.ingress(b, types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(1), ToPort: aws.Int32(2), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(b)}}})
	out, err := s.c.DeleteSecurityGroup(s.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(b)})
	if err != nil || aws.ToString(out.GroupId) != b || !aws.ToBool(out.Return) {
		t.Fatalf("delete: %+v %v", out, err)
	}
	if _, err := s.c.DeleteSecurityGroup(s.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(a)}); err != nil {
		t.Fatalf("delete once no longer referenced: %v", err)
	}
	// Another account cannot see the groups.
	_, err = s.as(emulatortest.AccountB).DeleteSecurityGroup(s.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(def)})
	wantAPIError(t, "other account", err, "InvalidGroup.NotFound", "")
}

func TestAuthorizeSecurityGroupIngressRules(t *testing.T) {
	s := newSGEnv(t)
	vpc := s.vpc("10.5.0.0/16", false)
	id, peer := s.group(vpc, "app"), s.group(vpc, "peer")
	cases := []struct {
		name     string
		perm     types.IpPermission
		protocol string
		from, to int32
		check    func(r types.SecurityGroupRule) bool
	}{
		{"tcp by number, CIDR made canonical", types.IpPermission{IpProtocol: aws.String("6"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
			IpRanges: []types.IpRange{{CidrIp: aws.String("100.68.0.18/18"), Description: aws.String("ssh from [office]")}}}, "tcp", 22, 22,
			func(r types.SecurityGroupRule) bool {
				return aws.ToString(r.CidrIpv4) == "100.68.0.0/18" && aws.ToString(r.Description) == "ssh from [office]"
			}},
		{"udp by name in capitals", types.IpPermission{IpProtocol: aws.String("UDP"), FromPort: aws.Int32(53), ToPort: aws.Int32(53),
			Ipv6Ranges: []types.Ipv6Range{{CidrIpv6: aws.String("2001:db8::1/32")}}}, "udp", 53, 53,
			func(r types.SecurityGroupRule) bool { return aws.ToString(r.CidrIpv6) == "2001:db8::/32" }},
		{"icmp echo", types.IpPermission{IpProtocol: aws.String("1"), FromPort: aws.Int32(8), ToPort: aws.Int32(-1),
			IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}, "icmp", 8, -1, nil},
		{"icmpv6 without ports is every type", types.IpPermission{IpProtocol: aws.String("58"),
			Ipv6Ranges: []types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}}, "icmpv6", -1, -1, nil},
		{"all traffic ignores ports", types.IpPermission{IpProtocol: aws.String("-1"), FromPort: aws.Int32(0), ToPort: aws.Int32(0),
			UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(peer), Description: aws.String("from peer")}}}, "-1", -1, -1,
			func(r types.SecurityGroupRule) bool {
				i := r.ReferencedGroupInfo
				return i != nil && aws.ToString(i.GroupId) == peer && aws.ToString(i.UserId) == emulatortest.AccountA && i.VpcId == nil
			}},
		{"a protocol number has no ports", types.IpPermission{IpProtocol: aws.String("50"), FromPort: aws.Int32(5), ToPort: aws.Int32(6),
			IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.0/8")}}}, "50", -1, -1, nil},
		{"prefix list", types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
			PrefixListIds: []types.PrefixListId{{PrefixListId: aws.String("pl-63a5400a")}}}, "tcp", 443, 443,
			func(r types.SecurityGroupRule) bool { return aws.ToString(r.PrefixListId) == "pl-63a5400a" }},
		{"its own group", types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(0), ToPort: aws.Int32(65535),
			UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(id), UserId: aws.String(emulatortest.AccountA)}}}, "tcp", 0, 65535,
			func(r types.SecurityGroupRule) bool { return aws.ToString(r.ReferencedGroupInfo.GroupId) == id }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := s.c.AuthorizeSecurityGroupIngress(s.ctx, &ec2.AuthorizeSecurityGroupIngressInput{
				GroupId: aws.String(id), IpPermissions: []types.IpPermission{tc.perm},
				TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeSecurityGroupRule,
					Tags: []types.Tag{{Key: aws.String("case"), Value: aws.String(tc.name)}}}},
			})
			if err != nil {
				t.Fatal(err)
			}
			if !aws.ToBool(out.Return) || len(out.SecurityGroupRules) != 1 {
				t.Fatalf("answer: %+v", out)
			}
			r := out.SecurityGroupRules[0]
			rid := aws.ToString(r.SecurityGroupRuleId)
			if !strings.HasPrefix(rid, "sgr-") || aws.ToString(r.GroupId) != id || aws.ToString(r.GroupOwnerId) != emulatortest.AccountA ||
				aws.ToBool(r.IsEgress) || aws.ToString(r.IpProtocol) != tc.protocol || aws.ToInt32(r.FromPort) != tc.from || aws.ToInt32(r.ToPort) != tc.to ||
				aws.ToString(r.SecurityGroupRuleArn) != "arn:aws:ec2:us-east-1:"+emulatortest.AccountA+":security-group-rule/"+rid ||
				len(r.Tags) != 1 || aws.ToString(r.Tags[0].Value) != tc.name {
				t.Fatalf("rule: %+v", r)
			}
			if tc.check != nil && !tc.check(r) {
				t.Fatalf("rule peer: %+v", r)
			}
			// DescribeSecurityGroupRules shows the same rule.
			d, err := s.c.DescribeSecurityGroupRules(s.ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{rid}})
			if err != nil || len(d.SecurityGroupRules) != 1 || !reflect.DeepEqual(d.SecurityGroupRules[0], r) {
				t.Fatalf("described rule %+v, authorized %+v (%v)", d.SecurityGroupRules, r, err)
			}
		})
	}
	// Several permissions and peers at once make one rule each.
	rules := s.ingress(id, tcp(8000, 8001, "192.0.2.0/24", "198.51.100.0/24"), tcp(9000, 9000, "203.0.113.0/24"))
	if len(rules) != 3 {
		t.Fatalf("three peers make three rules: %+v", rules)
	}
}

func TestAuthorizeSecurityGroupRefusals(t *testing.T) {
	s := newSGEnv(t)
	vpc := s.vpc("10.6.0.0/16", false)
	id := s.group(vpc, "app")
	elsewhere := s.group(s.vpc("10.7.0.0/16", false), "elsewhere")
	s.ingress(id, tcp(22, 22, "0.0.0.0/0"))
	cidr := []types.IpRange{{CidrIp: aws.String("10.0.0.0/8")}}
	cases := []inputRefusal[types.IpPermission]{
		{"all is not a protocol", types.IpPermission{IpProtocol: aws.String("all"), IpRanges: cidr}, "InvalidParameterValue", "Invalid value 'all' for IP protocol. Unknown protocol."},
		{"unknown protocol name", types.IpPermission{IpProtocol: aws.String("esp"), IpRanges: cidr}, "InvalidParameterValue", "Unknown protocol"},
		{"protocol number out of range", types.IpPermission{IpProtocol: aws.String("256"), IpRanges: cidr}, "InvalidParameterValue", ""},
		{"tcp without ports", types.IpPermission{IpProtocol: aws.String("tcp"), IpRanges: cidr}, "InvalidParameterValue",
			"Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange."},
		{"udp without to port", types.IpPermission{IpProtocol: aws.String("udp"), FromPort: aws.Int32(1), IpRanges: cidr}, "InvalidParameterValue", ""},
		{"tcp port out of range", tcp(-1, 80, "10.0.0.0/8"), "InvalidPermission.Malformed", "TCP/UDP port (-1) out of range"},
		{"tcp port above 65535", tcp(1, 65536, "10.0.0.0/8"), "InvalidPermission.Malformed", ""},
		{"tcp from above to", tcp(90, 80, "10.0.0.0/8"), "InvalidPermission.Malformed", ""},
		{"icmp without ports", types.IpPermission{IpProtocol: aws.String("icmp"), IpRanges: cidr}, "InvalidParameterValue", "with ICMP"},
		{"icmp type out of range", types.IpPermission{IpProtocol: aws.String("icmp"), FromPort: aws.Int32(300), ToPort: aws.Int32(0), IpRanges: cidr}, "InvalidParameterValue", "ICMP type (300) out of range"},
		{"icmp code without a type", types.IpPermission{IpProtocol: aws.String("icmp"), FromPort: aws.Int32(-1), ToPort: aws.Int32(0), IpRanges: cidr}, "InvalidParameterValue", ""},
		{"missing protocol", types.IpPermission{FromPort: aws.Int32(1), ToPort: aws.Int32(1), IpRanges: cidr}, "MissingParameter", ""},
		{"malformed CIDR", tcp(1, 1, "10.0.0.0/33"), "InvalidParameterValue", "CIDR block 10.0.0.0/33 is malformed"},
		{"IPv6 block as IPv4", tcp(1, 1, "::/0"), "InvalidParameterValue", "CIDR block ::/0 is malformed"},
		{"IPv4 block as IPv6", types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(1), ToPort: aws.Int32(1),
			Ipv6Ranges: []types.Ipv6Range{{CidrIpv6: aws.String("10.0.0.0/8")}}}, "InvalidParameterValue", "is malformed"},
		{"bad description", types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(1), ToPort: aws.Int32(1),
			IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.0/8"), Description: aws.String("it's")}}}, "InvalidParameterValue", "Invalid rule description."},
		{"no peer", types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(1), ToPort: aws.Int32(1)}, "MissingParameter", "Missing source specification"},
		{"malformed prefix list", types.IpPermission{IpProtocol: aws.String("-1"), PrefixListIds: []types.PrefixListId{{PrefixListId: aws.String("pl-xyz")}}}, "InvalidPrefixListId.Malformed", ""},
		{"unknown prefix list", types.IpPermission{IpProtocol: aws.String("-1"), PrefixListIds: []types.PrefixListId{{PrefixListId: aws.String("pl-12345678")}}}, "InvalidPrefixListID.NotFound",
			"The prefix list ID 'pl-12345678' does not exist"},
		{"malformed group", types.IpPermission{IpProtocol: aws.String("-1"), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String("web")}}}, "InvalidGroupId.Malformed", ""},
		{"unknown group", types.IpPermission{IpProtocol: aws.String("-1"), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String("sg-0123456789abcdef0")}}}, "InvalidGroup.NotFound", ""},
		{"group of another owner", types.IpPermission{IpProtocol: aws.String("-1"), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(id), UserId: aws.String(emulatortest.AccountB)}}}, "InvalidGroup.NotFound", ""},
		{"group in another VPC", types.IpPermission{IpProtocol: aws.String("-1"), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(elsewhere)}}}, "InvalidGroup.NotFound",
			"You have specified two resources that belong to different networks."},
		{"existing rule", tcp(22, 22, "0.0.0.0/0"), "InvalidPermission.Duplicate", `the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists`},
		{"existing rule, non-canonical", tcp(22, 22, "0.0.0.1/0"), "InvalidPermission.Duplicate", ""},
		{"twice in the request", tcp(80, 80, "10.0.0.0/8", "10.0.0.0/8"), "InvalidParameterValue", "The same permission must not appear multiple times"},
	}
	checkInputRefusals(t, cases, func(perm types.IpPermission) error {
		_, err := s.c.AuthorizeSecurityGroupIngress(s.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id),
			IpPermissions: []types.IpPermission{tcp(7000, 7000, "10.9.0.0/16"), perm}})
		return err
	})
	// Each refused call left the group as it was.
	if n := len(s.rules(id)); n != 2 {
		t.Fatalf("after refusals the group has %d rules, want 2", n)
	}
	for _, tc := range []struct {
		name string
		in   *ec2.AuthorizeSecurityGroupIngressInput
		code string
	}{
		{"no group", &ec2.AuthorizeSecurityGroupIngressInput{IpPermissions: []types.IpPermission{tcp(1, 1, "10.0.0.0/8")}}, "MissingParameter"},
		{"unknown group", &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String("sg-0123456789abcdef0"), IpPermissions: []types.IpPermission{tcp(1, 1, "10.0.0.0/8")}}, "InvalidGroup.NotFound"},
		{"group name outside the default VPC", &ec2.AuthorizeSecurityGroupIngressInput{GroupName: aws.String("app"), IpPermissions: []types.IpPermission{tcp(1, 1, "10.0.0.0/8")}}, "InvalidGroup.NotFound"},
		{"rule tags of another type", &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: []types.IpPermission{tcp(1, 1, "10.0.0.0/8")},
			TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeSecurityGroup, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}}}, "InvalidParameterValue"},
		{"nothing to add", &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(1), ToPort: aws.Int32(1)}, "MissingParameter"},
		{"no permissions", &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id)}, "MissingParameter"},
	} {
		_, err := s.c.AuthorizeSecurityGroupIngress(s.ctx, tc.in)
		wantAPIError(t, tc.name, err, tc.code, "")
	}
}

func TestDuplicateRuleMessages(t *testing.T) {
	s := newSGEnv(t)
	vpc := s.vpc("10.8.0.0/16", false)
	id, peer := s.group(vpc, "app"), s.group(vpc, "peer")
	any4 := []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}
	cases := []struct {
		perm types.IpPermission
		text string
	}{
		{tcp(2376, 2376, "0.0.0.0/0"), "peer: 0.0.0.0/0, TCP, from port: 2376, to port: 2376, ALLOW"},
		{types.IpPermission{IpProtocol: aws.String("udp"), FromPort: aws.Int32(50000), ToPort: aws.Int32(60000), IpRanges: any4}, "peer: 0.0.0.0/0, UDP, from port: 50000, to port: 60000, ALLOW"},
		{types.IpPermission{IpProtocol: aws.String("50"), IpRanges: any4}, "peer: 0.0.0.0/0, protocol: 50, ALLOW"},
		{types.IpPermission{IpProtocol: aws.String("-1"), IpRanges: any4}, "peer: 0.0.0.0/0, ALL, ALLOW"},
		{types.IpPermission{IpProtocol: aws.String("icmp"), FromPort: aws.Int32(8), ToPort: aws.Int32(0), IpRanges: any4}, "peer: 0.0.0.0/0, ICMP, type: 8, code: 0, ALLOW"},
		{types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(0), ToPort: aws.Int32(65535),
			UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(peer)}}}, "peer: " + peer + ", TCP, from port: 0, to port: 65535, ALLOW"},
	}
	for _, tc := range cases {
		s.ingress(id, tc.perm)
		_, err := s.c.AuthorizeSecurityGroupIngress(s.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: []types.IpPermission{tc.perm}})
		wantAPIError(t, tc.text, err, "InvalidPermission.Duplicate", `the specified rule "`+tc.text+`" already exists`)
	}
	// The egress default is a rule like any other.
	_, err := s.c.AuthorizeSecurityGroupEgress(s.ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(id),
		IpPermissions: []types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: any4}}})
	wantAPIError(t, "egress default", err, "InvalidPermission.Duplicate", "peer: 0.0.0.0/0, ALL, ALLOW")
}

func TestSecurityGroupRuleQuota(t *testing.T) {
	s := newSGEnv(t)
	id := s.group(s.vpc("10.10.0.0/16", false), "busy")
	var v4 []types.IpRange
	var v6 []types.Ipv6Range
	for i := range 60 {
		v4 = append(v4, types.IpRange{CidrIp: aws.String(fmt.Sprintf("10.%d.0.0/16", i))})
		v6 = append(v6, types.Ipv6Range{CidrIpv6: aws.String(fmt.Sprintf("2001:db8:%x::/48", i))})
	}
	s.ingress(id, types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: v4})
	// IPv6 rules count apart.
	s.ingress(id, types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), Ipv6Ranges: v6})
	_, err := s.c.AuthorizeSecurityGroupIngress(s.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: []types.IpPermission{tcp(80, 80, "192.0.2.0/24")}})
	wantAPIError(t, "61st IPv4 rule", err, "RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached.")
	// A group reference counts for both families.
	_, err = s.c.AuthorizeSecurityGroupIngress(s.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id),
		IpPermissions: []types.IpPermission{{IpProtocol: aws.String("-1"), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(id)}}}}})
	wantAPIError(t, "group reference over quota", err, "RulesPerSecurityGroupLimitExceeded", "")
	// Outbound rules have their own quota.
	if _, err := s.c.AuthorizeSecurityGroupEgress(s.ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(id), IpPermissions: []types.IpPermission{tcp(80, 80, "192.0.2.0/24")}}); err != nil {
		t.Fatal(err)
	}
}

func TestRevokeSecurityGroupRules(t *testing.T) {
	s := newSGEnv(t)
	vpc := s.vpc("10.11.0.0/16", false)
	id, peer := s.group(vpc, "app"), s.group(vpc, "peer")
	added := s.ingress(id,
		types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
			IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.0/8"), Description: aws.String("ssh")}, {CidrIp: aws.String("192.168.0.0/16")}}},
		types.IpPermission{IpProtocol: aws.String("-1"), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(peer)}}},
	)

	// Matching ignores descriptions; the answer names what went.
	out, err := s.c.RevokeSecurityGroupIngress(s.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: []types.IpPermission{tcp(22, 22, "10.0.0.0/8")}})
	if err != nil {
		t.Fatal(err)
	}
	r := out.RevokedSecurityGroupRules
	if !aws.ToBool(out.Return) || len(r) != 1 || aws.ToString(r[0].SecurityGroupRuleId) != aws.ToString(added[0].SecurityGroupRuleId) ||
		aws.ToString(r[0].GroupId) != id || aws.ToBool(r[0].IsEgress) || aws.ToString(r[0].IpProtocol) != "tcp" || aws.ToInt32(r[0].FromPort) != 22 ||
		aws.ToInt32(r[0].ToPort) != 22 || aws.ToString(r[0].CidrIpv4) != "10.0.0.0/8" || aws.ToString(r[0].Description) != "ssh" || len(out.UnknownIpPermissions) != 0 {
		t.Fatalf("revoke answer: %+v", out)
	}

	// In a nondefault VPC a missing rule fails the whole call.
	_, err = s.c.RevokeSecurityGroupIngress(s.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(id),
		IpPermissions: []types.IpPermission{tcp(22, 22, "192.168.0.0/16"), tcp(22, 22, "172.16.0.0/12")}})
	wantAPIError(t, "missing rule", err, "InvalidPermission.NotFound", "The specified rule does not exist in this security group.")
	if n := len(s.describe(id).IpPermissions); n != 2 {
		t.Fatalf("a refused revoke removed rules: %d permissions left", n)
	}
	// Terraform revokes ::/0 from every new group; without IPv6 there is none.
	_, err = s.c.RevokeSecurityGroupEgress(s.ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(id),
		IpPermissions: []types.IpPermission{{IpProtocol: aws.String("-1"), FromPort: aws.Int32(0), ToPort: aws.Int32(0), Ipv6Ranges: []types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}}}})
	wantAPIError(t, "no IPv6 default", err, "InvalidPermission.NotFound", "")

	// By rule id.
	groupRule := aws.ToString(added[2].SecurityGroupRuleId)
	for _, tc := range []struct {
		name, id, code string
		egress         bool
	}{
		{"malformed rule id", "rule-1", "InvalidSecurityGroupRuleId.Malformed", false},
		{"unknown rule id", "sgr-0123456789abcdef0", "InvalidSecurityGroupRuleId.NotFound", false},
		{"ingress rule revoked as egress", groupRule, "InvalidSecurityGroupRuleId.NotFound", true},
	} {
		var err error
		if tc.egress {
			_, err = s.c.RevokeSecurityGroupEgress(s.ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(id), SecurityGroupRuleIds: []string{tc.id}})
		} else {
			_, err = s.c.RevokeSecurityGroupIngress(s.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(id), SecurityGroupRuleIds: []string{tc.id}})
		}
		wantAPIError(t, tc.name, err, tc.code, "")
	}
	out, err = s.c.RevokeSecurityGroupIngress(s.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(id), SecurityGroupRuleIds: []string{groupRule}})
	if err != nil || len(out.RevokedSecurityGroupRules) != 1 || aws.ToString(out.RevokedSecurityGroupRules[0].ReferencedGroupId) != peer {
		t.Fatalf("revoke by id: %+v %v", out, err)
	}
	egress := s.rules(id)
	for _, r := range egress {
		if !aws.ToBool(r.IsEgress) {
			continue
		}
		eo, err := s.c.RevokeSecurityGroupEgress(s.ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(id), SecurityGroupRuleIds: []string{aws.ToString(r.SecurityGroupRuleId)}})
		if err != nil || len(eo.RevokedSecurityGroupRules) != 1 || !aws.ToBool(eo.RevokedSecurityGroupRules[0].IsEgress) {
			t.Fatalf("revoke egress by id: %+v %v", eo, err)
		}
	}
	if rules := s.rules(id); len(rules) != 1 {
		t.Fatalf("rules left: %+v", rules)
	}
	_, err = s.c.RevokeSecurityGroupIngress(s.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(id)})
	wantAPIError(t, "nothing to revoke", err, "MissingParameter", "")
}

func TestDescribeSecurityGroupsPermissions(t *testing.T) {
	s := newSGEnv(t)
	vpc := s.vpc("10.12.0.0/16", false)
	id, peer := s.group(vpc, "app"), s.group(vpc, "peer")
	s.ingress(id, tcp(443, 443, "10.0.0.0/8"))
	s.ingress(id, types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
		Ipv6Ranges:       []types.Ipv6Range{{CidrIpv6: aws.String("2001:db8::/32"), Description: aws.String("v6")}},
		PrefixListIds:    []types.PrefixListId{{PrefixListId: aws.String("pl-02cd2c6b")}},
		UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(peer), Description: aws.String("peer")}},
		IpRanges:         []types.IpRange{{CidrIp: aws.String("192.0.2.0/24")}}})
	s.ingress(id, tcp(80, 81, "10.0.0.0/8"), types.IpPermission{IpProtocol: aws.String("icmp"), FromPort: aws.Int32(-1), ToPort: aws.Int32(-1),
		IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.0/8")}}})

	perms := s.describe(id).IpPermissions
	if len(perms) != 3 {
		t.Fatalf("want one permission per protocol and port range, got %+v", perms)
	}
	p := perms[0]
	if aws.ToString(p.IpProtocol) != "tcp" || aws.ToInt32(p.FromPort) != 443 || len(p.IpRanges) != 2 || len(p.Ipv6Ranges) != 1 ||
		len(p.PrefixListIds) != 1 || len(p.UserIdGroupPairs) != 1 || aws.ToString(p.Ipv6Ranges[0].Description) != "v6" ||
		aws.ToString(p.UserIdGroupPairs[0].Description) != "peer" || aws.ToString(p.UserIdGroupPairs[0].UserId) != emulatortest.AccountA {
		t.Fatalf("443 permission: %+v", p)
	}
	if icmp := perms[2]; aws.ToString(icmp.IpProtocol) != "icmp" || aws.ToInt32(icmp.FromPort) != -1 || aws.ToInt32(icmp.ToPort) != -1 {
		t.Fatalf("icmp permission keeps its type and code: %+v", icmp)
	}
}

func TestDescribeSecurityGroupsFilters(t *testing.T) {
	s := newSGEnv(t)
	vpc := s.vpc("10.13.0.0/16", false)
	other := s.vpc("10.14.0.0/16", false)
	web, db := s.group(vpc, "web"), s.group(vpc, "db")
	s.group(other, "web")
	if _, err := s.c.CreateTags(s.ctx, &ec2.CreateTagsInput{Resources: []string{web}, Tags: []types.Tag{{Key: aws.String("tier"), Value: aws.String("front")}}}); err != nil {
		t.Fatal(err)
	}
	s.ingress(web, tcp(443, 443, "0.0.0.0/0"), types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(8443), ToPort: aws.Int32(8444),
		Ipv6Ranges: []types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}, PrefixListIds: []types.PrefixListId{{PrefixListId: aws.String("pl-63a5400a")}}})
	s.ingress(db, types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(web)}}})
	if _, err := s.c.AuthorizeSecurityGroupEgress(s.ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(web),
		IpPermissions: []types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432),
			UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(db)}}, Ipv6Ranges: []types.Ipv6Range{{CidrIpv6: aws.String("2001:db8::/32")}},
			PrefixListIds: []types.PrefixListId{{PrefixListId: aws.String("pl-02cd2c6b")}}}}}); err != nil {
		t.Fatal(err)
	}
	inVPC := types.Filter{Name: aws.String("vpc-id"), Values: []string{vpc}}
	def := s.defaultGroup(vpc)
	cases := []struct {
		name, value string
		want        []string
	}{
		{"description", "web group", []string{web}},
		{"description", "* group", []string{web, db, def}},
		{"group-id", db, []string{db}},
		{"group-name", "web", []string{web}},
		{"owner-id", emulatortest.AccountA, []string{web, db, def}},
		{"tag:tier", "front", []string{web}},
		{"tag-key", "tier", []string{web}},
		{"ip-permission.cidr", "0.0.0.0/0", []string{web}},
		{"ip-permission.from-port", "8443", []string{web}},
		{"ip-permission.to-port", "5432", []string{db}},
		{"ip-permission.group-id", web, []string{db}},
		{"ip-permission.group-name", "web", []string{db}},
		{"ip-permission.ipv6-cidr", "::/0", []string{web}},
		{"ip-permission.prefix-list-id", "pl-63a5400a", []string{web}},
		{"ip-permission.protocol", "tcp", []string{web, db}},
		{"ip-permission.protocol", "-1", []string{def}},
		{"ip-permission.user-id", emulatortest.AccountA, []string{db, def}},
		{"egress.ip-permission.cidr", "0.0.0.0/0", []string{web, db, def}},
		{"egress.ip-permission.from-port", "5432", []string{web}},
		{"egress.ip-permission.to-port", "5432", []string{web}},
		{"egress.ip-permission.group-id", db, []string{web}},
		{"egress.ip-permission.group-name", "db", []string{web}},
		{"egress.ip-permission.ipv6-cidr", "2001:db8::/32", []string{web}},
		{"egress.ip-permission.prefix-list-id", "pl-02cd2c6b", []string{web}},
		{"egress.ip-permission.protocol", "tcp", []string{web}},
		{"egress.ip-permission.user-id", emulatortest.AccountA, []string{web}},
	}
	for _, tc := range cases {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			out, err := s.c.DescribeSecurityGroups(s.ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{inVPC, {Name: aws.String(tc.name), Values: []string{tc.value}}}})
			if err != nil {
				t.Fatal(err)
			}
			sameIDs(t, groupIDs(out.SecurityGroups), tc.want)
		})
	}
	// group-name alone crosses VPCs.
	out, err := s.c.DescribeSecurityGroups(s.ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{{Name: aws.String("group-name"), Values: []string{"web"}}}})
	if err != nil || len(out.SecurityGroups) != 2 {
		t.Fatalf("group-name in every VPC: %d %v", len(out.SecurityGroups), err)
	}
	_, err = s.c.DescribeSecurityGroups(s.ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{{Name: aws.String("ip-permission.port"), Values: []string{"1"}}}})
	wantAPIError(t, "unknown filter", err, "InvalidParameterValue", "The filter 'ip-permission.port' is invalid")
	_, err = s.c.DescribeSecurityGroups(s.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{web, "sg-0123456789abcdef0"}})
	wantAPIError(t, "unknown id", err, "InvalidGroup.NotFound", "sg-0123456789abcdef0")
	_, err = s.c.DescribeSecurityGroups(s.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"web"}})
	wantAPIError(t, "malformed id", err, "InvalidGroupId.Malformed", `Invalid id: "web" (expecting "sg-...")`)
}

// defaultGroup is the id of a VPC's default group, found as Terraform
// finds it.
func (s *sgEnv) defaultGroup(vpc string) string {
	s.t.Helper()
	out, err := s.c.DescribeSecurityGroups(s.ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{
		{Name: aws.String("group-name"), Values: []string{"default"}}, {Name: aws.String("vpc-id"), Values: []string{vpc}}}})
	if err != nil || len(out.SecurityGroups) != 1 {
		s.t.Fatalf("default group of %s: %+v %v", vpc, out, err)
	}
	return aws.ToString(out.SecurityGroups[0].GroupId)
}

func groupIDs(gs []types.SecurityGroup) []string {
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		out = append(out, aws.ToString(g.GroupId))
	}
	sort.Strings(out)
	return out
}

func TestDescribeSecurityGroupsPaging(t *testing.T) {
	s := newSGEnv(t)
	vpc := s.vpc("10.15.0.0/16", false)
	for i := range 7 {
		s.group(vpc, fmt.Sprintf("g%d", i))
	}
	in := &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(5), Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc}}}}
	var seen []string
	for p := ec2.NewDescribeSecurityGroupsPaginator(s.c, in); p.HasMorePages(); {
		page, err := p.NextPage(s.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.SecurityGroups) > 5 {
			t.Fatalf("page of %d", len(page.SecurityGroups))
		}
		seen = append(seen, groupIDs(page.SecurityGroups)...)
	}
	if len(seen) != 8 {
		t.Fatalf("paged through %d groups, want 8 (7 and the default)", len(seen))
	}
}

func TestDescribeSecurityGroupRules(t *testing.T) {
	s := newSGEnv(t)
	vpc := s.vpc("10.16.0.0/16", false)
	a, b := s.group(vpc, "a"), s.group(vpc, "b")
	var cidrs []string
	for i := range 11 {
		cidrs = append(cidrs, fmt.Sprintf("10.%d.0.0/16", i))
	}
	added := s.ingress(a, tcp(443, 443, cidrs...))
	tagged := aws.ToString(added[3].SecurityGroupRuleId)
	if _, err := s.c.CreateTags(s.ctx, &ec2.CreateTagsInput{Resources: []string{tagged}, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("special")}}}); err != nil {
		t.Fatal(err)
	}
	s.ingress(b, tcp(22, 22, "0.0.0.0/0"))

	// Paging by rule id over both groups: 12 rules of a, 2 of b.
	in := &ec2.DescribeSecurityGroupRulesInput{MaxResults: aws.Int32(5), Filters: []types.Filter{{Name: aws.String("group-id"), Values: []string{a, b}}}}
	var ids []string
	pages := 0
	for p := ec2.NewDescribeSecurityGroupRulesPaginator(s.c, in); p.HasMorePages(); pages++ {
		page, err := p.NextPage(s.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.SecurityGroupRules {
			ids = append(ids, aws.ToString(r.SecurityGroupRuleId))
		}
	}
	if len(ids) != 14 || pages != 3 || !sort.StringsAreSorted(ids) {
		t.Fatalf("paged %d rules in %d pages, sorted %v", len(ids), pages, sort.StringsAreSorted(ids))
	}

	another := ids[0]
	if another == tagged {
		another = ids[1]
	}
	for _, tc := range []struct {
		name   string
		in     *ec2.DescribeSecurityGroupRulesInput
		expect int
	}{
		{"by id", &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{tagged, another, tagged}}, 2},
		{"security-group-rule-id", &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{{Name: aws.String("security-group-rule-id"), Values: []string{tagged}}}}, 1},
		{"group-id", &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{{Name: aws.String("group-id"), Values: []string{b}}}}, 2},
		{"group-id wildcard", &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{{Name: aws.String("group-id"), Values: []string{"sg-*"}}}}, 0},
		{"tag", &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{{Name: aws.String("tag:Name"), Values: []string{"special"}}}}, 1},
		{"tag-key", &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{{Name: aws.String("tag-key"), Values: []string{"Name"}}}}, 1},
		{"unknown group", &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{{Name: aws.String("group-id"), Values: []string{"sg-0123456789abcdef0"}}}}, 0},
	} {
		out, err := s.c.DescribeSecurityGroupRules(s.ctx, tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want := tc.expect
		if tc.name == "group-id wildcard" {
			want = len(out.SecurityGroupRules) // every rule of the account
			if want < 14 {
				t.Fatalf("%s: %d rules", tc.name, want)
			}
		}
		if len(out.SecurityGroupRules) != want {
			t.Fatalf("%s: %d rules, want %d", tc.name, len(out.SecurityGroupRules), want)
		}
	}
	_, err := s.c.DescribeSecurityGroupRules(s.ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{"sgr-0123456789abcdef0"}})
	wantAPIError(t, "unknown rule", err, "InvalidSecurityGroupRuleId.NotFound", "sgr-0123456789abcdef0")
	_, err = s.c.DescribeSecurityGroupRules(s.ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{"sg-0123"}})
	wantAPIError(t, "malformed rule id", err, "InvalidSecurityGroupRuleId.Malformed", "")
	_, err = s.c.DescribeSecurityGroupRules(s.ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc}}}})
	wantAPIError(t, "unknown filter", err, "InvalidParameterValue", "")
	// Another account sees none of them.
	_, err = s.as(emulatortest.AccountB).DescribeSecurityGroupRules(s.ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{tagged}})
	wantAPIError(t, "other account", err, "InvalidSecurityGroupRuleId.NotFound", "")
}

func TestSecurityGroupRuleTags(t *testing.T) {
	s := newSGEnv(t)
	id := s.group(s.vpc("10.17.0.0/16", false), "app")
	rid := aws.ToString(s.ingress(id, tcp(22, 22, "10.0.0.0/8"))[0].SecurityGroupRuleId)
	if _, err := s.c.CreateTags(s.ctx, &ec2.CreateTagsInput{Resources: []string{rid}, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}}}); err != nil {
		t.Fatal(err)
	}
	d, err := s.c.DescribeTags(s.ctx, &ec2.DescribeTagsInput{Filters: []types.Filter{{Name: aws.String("resource-id"), Values: []string{rid}}}})
	if err != nil || len(d.Tags) != 2 || d.Tags[0].ResourceType != types.ResourceTypeSecurityGroupRule {
		t.Fatalf("describe tags: %+v %v", d, err)
	}
	if _, err := s.c.DeleteTags(s.ctx, &ec2.DeleteTagsInput{Resources: []string{rid}, Tags: []types.Tag{{Key: aws.String("a")}}}); err != nil {
		t.Fatal(err)
	}
	rules, _ := s.c.DescribeSecurityGroupRules(s.ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{rid}})
	if tags := rules.SecurityGroupRules[0].Tags; len(tags) != 1 || aws.ToString(tags[0].Key) != "b" {
		t.Fatalf("rule tags after delete: %+v", tags)
	}
	// The group's own tags are apart.
	if g := s.describe(id); len(g.Tags) != 0 {
		t.Fatalf("group tags: %+v", g.Tags)
	}
	_, err = s.c.CreateTags(s.ctx, &ec2.CreateTagsInput{Resources: []string{"sgr-0123456789abcdef0"}, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}})
	wantAPIError(t, "tag a missing rule", err, "InvalidSecurityGroupRuleId.NotFound", "")
}

func TestModifySecurityGroupRules(t *testing.T) {
	s := newSGEnv(t)
	vpc := s.vpc("10.18.0.0/16", false)
	id, peer := s.group(vpc, "app"), s.group(vpc, "peer")
	out, err := s.c.AuthorizeSecurityGroupIngress(s.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id),
		IpPermissions: []types.IpPermission{tcp(22, 22, "10.0.0.0/8", "10.1.0.0/16")},
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeSecurityGroupRule,
			Tags: []types.Tag{{Key: aws.String("keep"), Value: aws.String("me")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	rid, other := aws.ToString(out.SecurityGroupRules[0].SecurityGroupRuleId), aws.ToString(out.SecurityGroupRules[1].SecurityGroupRuleId)
	modify := func(ruleID string, r types.SecurityGroupRuleRequest) error {
		_, err := s.c.ModifySecurityGroupRules(s.ctx, &ec2.ModifySecurityGroupRulesInput{GroupId: aws.String(id),
			SecurityGroupRules: []types.SecurityGroupRuleUpdate{{SecurityGroupRuleId: aws.String(ruleID), SecurityGroupRule: &r}}})
		return err
	}
	if err := modify(rid, types.SecurityGroupRuleRequest{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(444),
		CidrIpv4: aws.String("192.0.2.7/24"), Description: aws.String("https")}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.c.DescribeSecurityGroupRules(s.ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{rid}})
	r := got.SecurityGroupRules[0]
	if aws.ToInt32(r.FromPort) != 443 || aws.ToInt32(r.ToPort) != 444 || aws.ToString(r.CidrIpv4) != "192.0.2.0/24" ||
		aws.ToString(r.Description) != "https" || len(r.Tags) != 1 || aws.ToBool(r.IsEgress) {
		t.Fatalf("modified rule: %+v", r)
	}
	// A rule keeps its kind of peer.
	wantAPIError(t, "another kind of peer", modify(rid, types.SecurityGroupRuleRequest{IpProtocol: aws.String("-1"), ReferencedGroupId: aws.String(peer)}),
		"InvalidParameterValue", "Invalid rule type for security group rule '"+rid+"'. You may not specify ReferencedGroupId for an existing IPv4 CIDR rule.")
	// All traffic, without a description.
	if err := modify(rid, types.SecurityGroupRuleRequest{IpProtocol: aws.String("-1"), CidrIpv4: aws.String("192.0.2.0/24")}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.c.DescribeSecurityGroupRules(s.ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{rid}})
	if r := got.SecurityGroupRules[0]; aws.ToString(r.IpProtocol) != "-1" || aws.ToInt32(r.FromPort) != -1 || r.Description != nil || len(r.Tags) != 1 {
		t.Fatalf("modified to all traffic: %+v", r)
	}
	// A group reference moves to another group.
	ref := s.ingress(id, types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432),
		UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(id)}}})
	refID := aws.ToString(ref[0].SecurityGroupRuleId)
	if err := modify(refID, types.SecurityGroupRuleRequest{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), ReferencedGroupId: aws.String(peer)}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.c.DescribeSecurityGroupRules(s.ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{refID}})
	if r := got.SecurityGroupRules[0]; aws.ToString(r.ReferencedGroupInfo.GroupId) != peer {
		t.Fatalf("modified reference: %+v", r)
	}
	if _, err := s.c.DeleteSecurityGroup(s.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(peer)}); apiCode(err) != "DependencyViolation" {
		t.Fatalf("the peer is now referenced: %v", err)
	}
	for _, tc := range []struct {
		name, rule string
		req        types.SecurityGroupRuleRequest
		code       string
	}{
		{"same as another rule", rid, types.SecurityGroupRuleRequest{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), CidrIpv4: aws.String("10.1.0.0/16")},
			"InvalidPermission.Duplicate"},
		{"no peer", rid, types.SecurityGroupRuleRequest{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(1), ToPort: aws.Int32(1)}, "MissingParameter"},
		{"two peers", rid, types.SecurityGroupRuleRequest{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(1), ToPort: aws.Int32(1),
			CidrIpv4: aws.String("10.0.0.0/8"), CidrIpv6: aws.String("::/0")}, "InvalidParameterCombination"},
		{"unknown rule", "sgr-0123456789abcdef0", types.SecurityGroupRuleRequest{IpProtocol: aws.String("-1"), CidrIpv4: aws.String("10.0.0.0/8")}, "InvalidSecurityGroupRuleId.NotFound"},
		{"bad protocol", other, types.SecurityGroupRuleRequest{IpProtocol: aws.String("all"), CidrIpv4: aws.String("10.0.0.0/8")}, "InvalidParameterValue"},
	} {
		wantAPIError(t, tc.name, modify(tc.rule, tc.req), tc.code, "")
	}
	_, err = s.c.ModifySecurityGroupRules(s.ctx, &ec2.ModifySecurityGroupRulesInput{GroupId: aws.String("sg-0123456789abcdef0"),
		SecurityGroupRules: []types.SecurityGroupRuleUpdate{{SecurityGroupRuleId: aws.String(rid), SecurityGroupRule: &types.SecurityGroupRuleRequest{IpProtocol: aws.String("-1"), CidrIpv4: aws.String("10.0.0.0/8")}}}})
	wantAPIError(t, "unknown group", err, "InvalidGroup.NotFound", "")
	_, err = s.c.ModifySecurityGroupRules(s.ctx, &ec2.ModifySecurityGroupRulesInput{GroupId: aws.String(id),
		SecurityGroupRules: []types.SecurityGroupRuleUpdate{{SecurityGroupRuleId: aws.String(rid)}}})
	wantAPIError(t, "no rule definition", err, "MissingParameter", "")
}

func TestUpdateSecurityGroupRuleDescriptions(t *testing.T) {
	s := newSGEnv(t)
	id := s.group(s.vpc("10.19.0.0/16", false), "app")
	rid := aws.ToString(s.ingress(id, tcp(22, 22, "10.0.0.0/8"))[0].SecurityGroupRuleId)
	desc := func(ruleID string) string {
		out, err := s.c.DescribeSecurityGroupRules(s.ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{ruleID}})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.SecurityGroupRules[0].Description)
	}
	// By definition.
	out, err := s.c.UpdateSecurityGroupRuleDescriptionsIngress(s.ctx, &ec2.UpdateSecurityGroupRuleDescriptionsIngressInput{GroupId: aws.String(id),
		IpPermissions: []types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
			IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.0/8"), Description: aws.String("ssh")}}}}})
	if err != nil || !aws.ToBool(out.Return) || desc(rid) != "ssh" {
		t.Fatalf("update by definition: %v %q", err, desc(rid))
	}
	// By id; an empty description removes it.
	if _, err := s.c.UpdateSecurityGroupRuleDescriptionsIngress(s.ctx, &ec2.UpdateSecurityGroupRuleDescriptionsIngressInput{GroupId: aws.String(id),
		SecurityGroupRuleDescriptions: []types.SecurityGroupRuleDescription{{SecurityGroupRuleId: aws.String(rid)}}}); err != nil || desc(rid) != "" {
		t.Fatalf("clear by id: %v %q", err, desc(rid))
	}
	var egress string
	for _, r := range s.rules(id) {
		if aws.ToBool(r.IsEgress) {
			egress = aws.ToString(r.SecurityGroupRuleId)
		}
	}
	if _, err := s.c.UpdateSecurityGroupRuleDescriptionsEgress(s.ctx, &ec2.UpdateSecurityGroupRuleDescriptionsEgressInput{GroupId: aws.String(id),
		SecurityGroupRuleDescriptions: []types.SecurityGroupRuleDescription{{SecurityGroupRuleId: aws.String(egress), Description: aws.String("anywhere")}}}); err != nil || desc(egress) != "anywhere" {
		t.Fatalf("egress by id: %v %q", err, desc(egress))
	}
	if p := s.describe(id).IpPermissionsEgress; aws.ToString(p[0].IpRanges[0].Description) != "anywhere" {
		t.Fatalf("description in DescribeSecurityGroups: %+v", p)
	}
	for _, tc := range []struct {
		name string
		in   *ec2.UpdateSecurityGroupRuleDescriptionsIngressInput
		code string
	}{
		{"missing rule", &ec2.UpdateSecurityGroupRuleDescriptionsIngressInput{GroupId: aws.String(id), IpPermissions: []types.IpPermission{tcp(23, 23, "10.0.0.0/8")}}, "InvalidPermission.NotFound"},
		{"egress rule as ingress", &ec2.UpdateSecurityGroupRuleDescriptionsIngressInput{GroupId: aws.String(id),
			SecurityGroupRuleDescriptions: []types.SecurityGroupRuleDescription{{SecurityGroupRuleId: aws.String(egress), Description: aws.String("x")}}}, "InvalidSecurityGroupRuleId.NotFound"},
		{"bad description", &ec2.UpdateSecurityGroupRuleDescriptionsIngressInput{GroupId: aws.String(id),
			SecurityGroupRuleDescriptions: []types.SecurityGroupRuleDescription{{SecurityGroupRuleId: aws.String(rid), Description: aws.String("a\"b")}}}, "InvalidParameterValue"},
		{"nothing to update", &ec2.UpdateSecurityGroupRuleDescriptionsIngressInput{GroupId: aws.String(id)}, "MissingParameter"},
	} {
		_, err := s.c.UpdateSecurityGroupRuleDescriptionsIngress(s.ctx, tc.in)
		wantAPIError(t, tc.name, err, tc.code, "")
	}
}
