package reach

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/ipproto"
)

func TestPorts(t *testing.T) {
	set := ports{{20, 30}, {80, 80}, {1000, 2000}}
	for _, c := range []struct {
		name string
		got  ports
		want ports
	}{
		{"within, wholly inside", set.within(0, 65535), set},
		{"within, cut", set.within(25, 1500), ports{{25, 30}, {80, 80}, {1000, 1500}}},
		{"within, nothing", set.within(31, 79), nil},
		{"intersect", set.intersect(ports{{0, 21}, {1999, 5000}}), ports{{20, 21}, {1999, 2000}}},
		{"union merges adjacent and overlapping", ports{{1, 5}}.union(ports{{6, 8}, {3, 4}, {10, 10}}), ports{{1, 8}, {10, 10}}},
		{"union with nothing", ports(nil).union(set), set},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func inInternet(a netip.Addr) bool {
	return slices.ContainsFunc(internet, func(b netip.Prefix) bool { return b.Contains(a) })
}

func TestInternet(t *testing.T) {
	for _, a := range []string{"8.8.8.8", "100.63.255.255", "100.128.0.0", "172.15.255.255", "192.169.0.1", "203.0.113.10"} {
		if !inInternet(netip.MustParseAddr(a)) || !IsInternet(netip.MustParseAddr(a)) {
			t.Errorf("%s is on the internet", a)
		}
	}
	for _, a := range []string{"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1"} {
		if inInternet(netip.MustParseAddr(a)) || IsInternet(netip.MustParseAddr(a)) {
			t.Errorf("%s is not on the internet", a)
		}
	}
	for _, c := range []struct{ block, want string }{
		{"0.0.0.0/0", "203.0.113.10"},
		{"198.51.100.0/24", "198.51.100.1"},
		{"10.0.0.0/8", ""},
		{"172.0.0.0/8", "172.0.0.1"},
	} {
		a, ok := witnessIn(netip.MustParsePrefix(c.block))
		if got := map[bool]string{true: a.String(), false: ""}[ok]; got != c.want {
			t.Errorf("witness in %s: %q, want %q", c.block, got, c.want)
		}
	}
	got := narrow(internet, netip.MustParsePrefix("198.51.100.0/24"))
	if len(got) != 1 || got[0].String() != "198.51.100.0/24" {
		t.Errorf("narrowed to %v", got)
	}
}

func TestEvaluateACLOverPorts(t *testing.T) {
	p := func(v int32) *int32 { return &v }
	acl := &network.NetworkACL{Entries: []network.NetworkACLEntry{
		{RuleNumber: 100, Protocol: "6", RuleAction: "deny", CIDRBlock: "0.0.0.0/0", FromPort: p(22), ToPort: p(22)},
		{RuleNumber: 110, Protocol: "6", RuleAction: "allow", CIDRBlock: "10.0.0.0/8", FromPort: p(0), ToPort: p(1023)},
		{RuleNumber: 120, Protocol: "6", RuleAction: "allow", CIDRBlock: "0.0.0.0/0", FromPort: p(32768), ToPort: p(65535)},
		{RuleNumber: network.AllRulesNumber, Protocol: "-1", RuleAction: "deny", CIDRBlock: "0.0.0.0/0"},
	}}
	for _, c := range []struct {
		peer        string
		set         ports
		allowed     ports
		allow, deny int
	}{
		{"10.1.1.1", allPorts, ports{{0, 21}, {23, 1023}, {32768, 65535}}, 110, 100},
		{"8.8.8.8", allPorts, ports{{32768, 65535}}, 120, network.AllRulesNumber},
		{"8.8.8.8", ephemeralPorts, ports{{32768, 65535}}, 120, network.AllRulesNumber},
		{"10.1.1.1", single(22), nil, 0, 100},
		{"10.1.1.1", single(443), single(443), 110, 0},
	} {
		allowed, allow, deny := evaluateACL(netview.CompileACL(acl), false, ipproto.TCP, netip.MustParseAddr(c.peer), c.set)
		number := func(e *network.NetworkACLEntry) int {
			if e == nil {
				return 0
			}
			return int(e.RuleNumber)
		}
		if !slices.Equal(allowed, c.allowed) || number(allow) != c.allow || number(deny) != c.deny {
			t.Errorf("%s %v: allowed %v by %d, denied by %d; want %v by %d, denied by %d",
				c.peer, c.set, allowed, number(allow), number(deny), c.allowed, c.allow, c.deny)
		}
	}
}
