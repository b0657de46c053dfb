package network

import (
	"context"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

func TestRuleProtocol(t *testing.T) {
	for in, want := range map[string]string{
		"tcp": "tcp", "TCP": "tcp", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "icmpv6": "icmpv6",
		"-1": "-1", "50": "50", "0": "0", "255": "255", "006": "tcp",
	} {
		got, err := ruleProtocol(in)
		if err != nil || got != want {
			t.Errorf("ruleProtocol(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"all", "esp", "256", "-2", "1.5"} {
		_, err := ruleProtocol(in)
		wantReason(t, err, cloud.InvalidParameter, "", "")
	}
	_, err := ruleProtocol("")
	wantReason(t, err, cloud.MissingParameter, "", "")
}

func TestRulePorts(t *testing.T) {
	cases := []struct {
		proto    string
		from, to *int32
		wantFrom int32
		wantTo   int32
		reason   cloud.Reason
		kind     cloud.Kind
	}{
		{"tcp", i32(22), i32(22), 22, 22, 0, ""},
		{"udp", i32(0), i32(65535), 0, 65535, 0, ""},
		{"tcp", nil, i32(22), 0, 0, cloud.InvalidParameter, ""},
		{"tcp", i32(-1), i32(22), 0, 0, cloud.Malformed, cloud.KindPermission},
		{"tcp", i32(23), i32(22), 0, 0, cloud.Malformed, cloud.KindPermission},
		{"icmp", i32(8), i32(-1), 8, -1, 0, ""},
		{"icmp", i32(-1), i32(-1), -1, -1, 0, ""},
		{"icmp", nil, nil, 0, 0, cloud.InvalidParameter, ""},
		{"icmp", i32(-1), i32(3), 0, 0, cloud.InvalidParameter, ""},
		{"icmp", i32(256), i32(0), 0, 0, cloud.InvalidParameter, ""},
		{"icmpv6", nil, nil, -1, -1, 0, ""},
		{"icmpv6", i32(128), nil, 0, 0, cloud.InvalidParameter, ""},
		{"-1", i32(0), i32(0), -1, -1, 0, ""},
		{"50", nil, nil, -1, -1, 0, ""},
	}
	for _, tc := range cases {
		from, to, err := rulePorts(tc.proto, tc.from, tc.to)
		if tc.reason != 0 {
			wantReason(t, err, tc.reason, tc.kind, "")
			continue
		}
		if err != nil || from != tc.wantFrom || to != tc.wantTo {
			t.Errorf("rulePorts(%s) = %d, %d, %v; want %d, %d", tc.proto, from, to, err, tc.wantFrom, tc.wantTo)
		}
	}
}

func TestRuleCIDR(t *testing.T) {
	for _, tc := range []struct {
		in   string
		v6   bool
		want string
	}{
		{"100.68.0.18/18", false, "100.68.0.0/18"},
		{"0.0.0.0/0", false, "0.0.0.0/0"},
		{"2001:DB8::1/32", true, "2001:db8::/32"},
		{"::/0", true, "::/0"},
	} {
		if got, err := ruleCIDR(tc.in, tc.v6); err != nil || got != tc.want {
			t.Errorf("ruleCIDR(%s) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		in string
		v6 bool
	}{{"10.0.0.0", false}, {"10.0.0.0/33", false}, {"::/0", false}, {"10.0.0.0/8", true}, {"::ffff:10.0.0.0/104", true}, {"", false}} {
		_, err := ruleCIDR(tc.in, tc.v6)
		wantReason(t, err, cloud.InvalidParameter, "", "")
	}
}

func TestRuleText(t *testing.T) {
	for _, tc := range []struct {
		r    SecurityGroupRule
		want string
	}{
		{SecurityGroupRule{Protocol: "tcp", FromPort: 22, ToPort: 22, CIDRIPv4: "0.0.0.0/0"}, "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW"},
		{SecurityGroupRule{Protocol: "-1", FromPort: -1, ToPort: -1, ReferencedGroupID: "sg-1"}, "peer: sg-1, ALL, ALLOW"},
		{SecurityGroupRule{Protocol: "50", FromPort: -1, ToPort: -1, CIDRIPv6: "::/0"}, "peer: ::/0, protocol: 50, ALLOW"},
		{SecurityGroupRule{Protocol: "icmp", FromPort: 8, ToPort: -1, PrefixListID: "pl-1"}, "peer: pl-1, ICMP, type: 8, code: -1, ALLOW"},
	} {
		if got := tc.r.text(); got != tc.want {
			t.Errorf("text = %q, want %q", got, tc.want)
		}
	}
}

// Without a default VPC, what names a group or its VPC by default fails.
func TestSecurityGroupsWithoutDefaultVPC(t *testing.T) {
	c, who := openCloud(t), alice
	ctx := context.Background()
	vpc, err := c.CreateVPC(ctx, who, CreateVPCInput{CIDRBlock: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := c.CreateSecurityGroup(ctx, who, CreateSecurityGroupInput{VpcID: vpc.ID, Name: "app", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		def, err := defaultVPC(t)
		if err != nil {
			return err
		}
		return cloud.Remove(t, def)
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateSecurityGroup(ctx, who, CreateSecurityGroupInput{Name: "x", Description: "d"})
	wantReason(t, err, cloud.NoDefaultVPC, cloud.KindVPC, "")
	_, err = c.DeleteSecurityGroup(ctx, who, GroupRef{Name: "app"})
	wantReason(t, err, cloud.NoDefaultVPC, cloud.KindVPC, "")
	_, err = c.SecurityGroupIDs(ctx, who, nil, []string{"app"})
	wantReason(t, err, cloud.NotFound, cloud.KindSecurityGroup, "")
	_, _, err = c.AuthorizeSecurityGroupRules(ctx, who, AuthorizeInput{Group: GroupRef{ID: g.ID},
		Permissions: []Permission{{Protocol: "-1", Peers: []Peer{{Kind: PeerGroup, GroupName: "app"}}}}})
	wantReason(t, err, cloud.NotFound, cloud.KindSecurityGroup, "")
	if e, _ := cloud.AsError(err); e.Msg != "The security group 'app' does not exist in default VPC 'none'" {
		t.Fatalf("message: %q", e.Msg)
	}
}

func TestDeleteSecurityGroupInUse(t *testing.T) {
	c, who := openCloud(t), alice
	ctx := context.Background()
	vpc, err := c.CreateVPC(ctx, who, CreateVPCInput{CIDRBlock: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := c.CreateSubnet(ctx, who, CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := c.CreateSecurityGroup(ctx, who, CreateSecurityGroupInput{VpcID: vpc.ID, Name: "app", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	var eni *NetworkInterface
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		s, err := cloud.GetIn[Subnet](t, sub.ID)
		if err != nil {
			return err
		}
		eni, err = CreateInterface(t, s, InterfaceSpec{Groups: []string{g.ID}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteSecurityGroup(ctx, who, GroupRef{ID: g.ID})
	wantReason(t, err, cloud.DependencyViolation, cloud.KindSecurityGroup, "")
	if e, _ := cloud.AsError(err); e.Msg != "resource "+g.ID+" has a dependent object" {
		t.Fatalf("message: %q", e.Msg)
	}
	if err := c.Update(ctx, who, func(t *cloud.Txn) error { return deleteInterface(t, eni) }); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteSecurityGroup(ctx, who, GroupRef{ID: g.ID}); err != nil {
		t.Fatal(err)
	}
}
