package cloud

import (
	"testing"
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
