package network

import (
	"testing"
)

func i32(v int32) *int32 { return &v }

func TestNetworkACLEntryInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   NetworkACLEntryInput
		want NetworkACLEntry
	}{
		{"tcp by name keeps ports",
			NetworkACLEntryInput{RuleNumber: 1, Protocol: "6", RuleAction: "ALLOW", CIDRBlock: "0.0.0.0/0", FromPort: i32(80), ToPort: i32(80), ICMPType: i32(3)},
			NetworkACLEntry{RuleNumber: 1, Protocol: "6", RuleAction: "allow", CIDRBlock: "0.0.0.0/0", FromPort: i32(80), ToPort: i32(80)}},
		{"all drops ports",
			NetworkACLEntryInput{RuleNumber: 32766, Egress: true, Protocol: "-1", RuleAction: "deny", CIDRBlock: "10.0.0.0/8", FromPort: i32(1), ToPort: i32(2)},
			NetworkACLEntry{RuleNumber: 32766, Egress: true, Protocol: "-1", RuleAction: "deny", CIDRBlock: "10.0.0.0/8"}},
		{"icmpv6 with an ipv4 block needs no type",
			NetworkACLEntryInput{RuleNumber: 5, Protocol: "58", RuleAction: "allow", CIDRBlock: "10.0.0.0/8"},
			NetworkACLEntry{RuleNumber: 5, Protocol: "58", RuleAction: "allow", CIDRBlock: "10.0.0.0/8"}},
		{"ipv6 block is canonical",
			NetworkACLEntryInput{RuleNumber: 5, Protocol: "58", RuleAction: "allow", IPv6CIDRBlock: "2001:DB8::/32", ICMPType: i32(-1), ICMPCode: i32(-1), FromPort: i32(1)},
			NetworkACLEntry{RuleNumber: 5, Protocol: "58", RuleAction: "allow", IPv6CIDRBlock: "2001:db8::/32", ICMPType: i32(-1), ICMPCode: i32(-1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.in.entry()
			if err != nil {
				t.Fatal(err)
			}
			if !sameEntry(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func sameEntry(a, b NetworkACLEntry) bool {
	eq := func(x, y *int32) bool { return x == nil && y == nil || x != nil && y != nil && *x == *y }
	return a.RuleNumber == b.RuleNumber && a.Egress == b.Egress && a.Protocol == b.Protocol && a.RuleAction == b.RuleAction &&
		a.CIDRBlock == b.CIDRBlock && a.IPv6CIDRBlock == b.IPv6CIDRBlock &&
		eq(a.FromPort, b.FromPort) && eq(a.ToPort, b.ToPort) && eq(a.ICMPType, b.ICMPType) && eq(a.ICMPCode, b.ICMPCode)
}

func TestNetworkACLAddIPv6Rules(t *testing.T) {
	def := &NetworkACL{IsDefault: true}
	for _, egress := range []bool{true, false} {
		def.Entries = append(def.Entries, AllowAll(egress, false), DenyRest(egress, false))
	}
	// The user changed the ingress rules: no IPv6 allow rule comes in.
	def.Entries = append(def.Entries, NetworkACLEntry{RuleNumber: 50, Protocol: "6", RuleAction: "deny", CIDRBlock: "0.0.0.0/0", FromPort: i32(22), ToPort: i32(22)})
	def.sortEntries()
	def.addIPv6Rules()
	def.addIPv6Rules() // idempotent
	var got []int32
	for _, e := range def.Entries {
		n := e.RuleNumber
		if !e.Egress {
			n = -n
		}
		got = append(got, n)
	}
	want := []int32{100, 101, 32767, 32768, -50, -100, -32767, -32768}
	if len(got) != len(want) {
		t.Fatalf("entries %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("entries %v, want %v (egress positive, ingress negative)", got, want)
		}
	}
}
