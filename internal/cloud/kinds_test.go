package cloud

import "testing"

// TestKinds checks the registry: prefixes are unique and each id finds its
// own kind (no longer prefix shadows a shorter one), and a taggable kind
// has ids. TestKindTypes checks the families' registrations.
func TestKinds(t *testing.T) {
	seen := map[string]Kind{}
	for k, info := range kinds {
		if info.prefix != "" {
			if other, dup := seen[info.prefix]; dup {
				t.Errorf("%s and %s share the prefix %q", k, other, info.prefix)
			}
			seen[info.prefix] = k
			if got, ok := KindOfID(info.prefix + "0123456789abcdef0"); !ok || got != k {
				t.Errorf("KindOfID(%s…) = %s, %v; want %s", info.prefix, got, ok, k)
			}
		}
		if info.taggable && info.prefix == "" {
			t.Errorf("%s is taggable by id but has no id prefix", k)
		}
	}
	if _, ok := KindOfID("arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/a/0"); ok {
		t.Error("an ARN has a kind by prefix")
	}
	if nounOf(KindRouteTable) != "routeTable" || nounOf(KindRoute) != "route" {
		t.Error("nouns")
	}
}
