package netview

import (
	"net/netip"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/ipproto"
)

func i32(v int32) *int32 { return &v }

// testACL is a custom ACL of an IPv6 VPC with a few rules of each kind.
func testACL() *network.NetworkACL {
	acl := &network.NetworkACL{Entries: []network.NetworkACLEntry{
		// Ingress, deliberately out of order: evaluation sorts by number.
		{RuleNumber: 200, Protocol: "-1", RuleAction: "allow", CIDRBlock: "0.0.0.0/0"},
		{RuleNumber: 100, Protocol: "6", RuleAction: "allow", CIDRBlock: "10.0.0.0/8", FromPort: i32(443), ToPort: i32(443)},
		{RuleNumber: 110, Protocol: "6", RuleAction: "deny", CIDRBlock: "10.1.0.0/16", FromPort: i32(0), ToPort: i32(65535)},
		{RuleNumber: 120, Protocol: "1", RuleAction: "deny", CIDRBlock: "192.0.2.0/24", ICMPType: i32(8), ICMPCode: i32(-1)},
		{RuleNumber: 130, Protocol: "17", RuleAction: "deny", CIDRBlock: "198.51.100.0/24", FromPort: i32(53), ToPort: i32(53)},
		{RuleNumber: 140, Protocol: "58", RuleAction: "allow", IPv6CIDRBlock: "2001:db8::/32", ICMPType: i32(-1), ICMPCode: i32(-1)},
		network.DenyRest(false, false),
		network.DenyRest(false, true),
		// Egress.
		{RuleNumber: 100, Egress: true, Protocol: "17", RuleAction: "allow", CIDRBlock: "0.0.0.0/0", FromPort: i32(1024), ToPort: i32(65535)},
		{RuleNumber: 150, Egress: true, Protocol: "50", RuleAction: "allow", CIDRBlock: "203.0.113.0/24"},
		network.DenyRest(true, false),
	}}
	return acl
}

func TestNetworkACLEvaluate(t *testing.T) {
	acl := CompileACL(testACL())
	for _, tc := range []struct {
		name    string
		egress  bool
		proto   ipproto.Proto
		addr    netip.Addr
		port    int
		rule    int32
		allowed bool
	}{
		{"lowest number wins over a later deny", false, 6, netip.MustParseAddr("10.1.2.3"), 443, 100, true},
		{"port outside the allow falls to the deny", false, 6, netip.MustParseAddr("10.1.2.3"), 22, 110, false},
		{"tcp outside both blocks falls to the all rule", false, 6, netip.MustParseAddr("172.16.0.1"), 22, 200, true},
		{"icmp echo denied by type", false, 1, netip.MustParseAddr("192.0.2.7"), 8, 120, false},
		{"icmp other type passes to the all rule", false, 1, netip.MustParseAddr("192.0.2.7"), 0, 200, true},
		{"udp port matched", false, 17, netip.MustParseAddr("198.51.100.9"), 53, 130, false},
		{"udp other port", false, 17, netip.MustParseAddr("198.51.100.9"), 123, 200, true},
		{"ipv6 icmpv6 allowed for any type", false, 58, netip.MustParseAddr("2001:db8::1"), 135, 140, true},
		{"ipv6 tcp meets the ipv6 star rule", false, 6, netip.MustParseAddr("2001:db8::1"), 443, network.AllRulesNumber + 1, false},
		{"ipv4-mapped address is ipv4", false, 6, netip.MustParseAddr("::ffff:10.0.0.1"), 443, 100, true},
		{"egress udp ephemeral", true, 17, netip.MustParseAddr("8.8.8.8"), 40000, 100, true},
		{"egress udp low port hits star", true, 17, netip.MustParseAddr("8.8.8.8"), 53, network.AllRulesNumber, false},
		{"egress other protocol ignores ports", true, 50, netip.MustParseAddr("203.0.113.5"), 0, 150, true},
		{"egress ipv6 without an ipv6 star rule is denied", true, 6, netip.MustParseAddr("2001:db8::2"), 443, network.AllRulesNumber + 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, ok := acl.Evaluate(tc.egress, tc.proto, tc.addr, tc.port)
			if e.RuleNumber != tc.rule || ok != tc.allowed || e.Egress != tc.egress {
				t.Errorf("got rule %d (egress %v) allowed=%v, want rule %d allowed=%v", e.RuleNumber, e.Egress, ok, tc.rule, tc.allowed)
			}
		})
	}
}

func TestNetworkACLEvaluateDefaults(t *testing.T) {
	def := &network.NetworkACL{IsDefault: true}
	custom := &network.NetworkACL{}
	for _, egress := range []bool{true, false} {
		def.Entries = append(def.Entries, network.AllowAll(egress, false), network.DenyRest(egress, false))
		custom.Entries = append(custom.Entries, network.DenyRest(egress, false))
	}
	for _, egress := range []bool{true, false} {
		if e, ok := CompileACL(def).Evaluate(egress, 6, netip.MustParseAddr("1.2.3.4"), 80); !ok || e.RuleNumber != 100 {
			t.Errorf("default ACL, egress %v: rule %d allowed %v", egress, e.RuleNumber, ok)
		}
		if e, ok := CompileACL(custom).Evaluate(egress, 6, netip.MustParseAddr("1.2.3.4"), 80); ok || e.RuleNumber != network.AllRulesNumber {
			t.Errorf("new ACL, egress %v: rule %d allowed %v", egress, e.RuleNumber, ok)
		}
	}
}
