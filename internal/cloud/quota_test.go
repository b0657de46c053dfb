package cloud

import (
	"context"
	"fmt"
	"testing"

	"github.com/vpcemu/vpcemu/internal/store/sqlite"
)

func TestParseQuota(t *testing.T) {
	cases := []struct {
		in    string
		name  string
		value int
		ok    bool
	}{
		{"gateway-endpoints=1000", "gateway-endpoints", 1000, true},
		{"target-groups=5", "target-groups", 5, true},
		{"gateway-endpoints", "", 0, false},
		{"gateway-endpoints=0", "", 0, false},
		{"gateway-endpoints=x", "", 0, false},
		{"no-such-quota=5", "", 0, false},
	}
	for _, c := range cases {
		name, value, err := ParseQuota(c.in)
		if (err == nil) != c.ok || name != c.name || value != c.value {
			t.Errorf("ParseQuota(%q) = %q %d %v", c.in, name, value, err)
		}
	}
}

// TestQuotasDescribed: every quota vpcemu lists (`vpcemu quotas`) has a
// service, AWS's default and a description, and its name once.
func TestQuotasDescribed(t *testing.T) {
	seen := map[string]bool{}
	for _, q := range Quotas() {
		if q.Name == "" || seen[q.Name] || (q.Service != "ec2" && q.Service != "elasticloadbalancing") || q.Default < 1 || q.Doc == "" {
			t.Errorf("quota %+v", q)
		}
		seen[q.Name] = true
	}
}

// TestQuotaOverride: a configured quota replaces AWS's default, for every
// account, and is what the use cases enforce.
func TestQuotaOverride(t *testing.T) {
	s, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c := New(s, WithQuotas(map[string]int{"prefix-lists": 2}))
	if c.Limit("prefix-lists") != 2 || c.Limit("gateway-endpoints") != 20 {
		t.Fatalf("limits %d %d", c.Limit("prefix-lists"), c.Limit("gateway-endpoints"))
	}
	ctx := context.Background()
	for _, who := range []Caller{alice, bob} {
		for i := range 2 {
			if _, err := c.CreateManagedPrefixList(ctx, who, CreatePrefixListInput{Name: fmt.Sprint("l", i), AddressFamily: "IPv4", MaxEntries: 1}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := c.CreateManagedPrefixList(ctx, who, CreatePrefixListInput{Name: "third", AddressFamily: "IPv4", MaxEntries: 1})
		wantReason(t, err, LimitExceeded, KindPrefixList, "The maximum number of prefix lists (2) has been reached.")
	}
}
