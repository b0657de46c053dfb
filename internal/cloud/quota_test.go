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

// TestLimits: AWS's default unless configured; an unknown quota is a bug.
func TestLimits(t *testing.T) {
	c := New(nil, WithQuotas(map[string]int{"routes-per-route-table": 7}), WithQuotas(map[string]int{"target-groups": 9}))
	for name, want := range map[string]int{"routes-per-route-table": 7, "target-groups": 9, "network-acl-entries": 20, "gateway-load-balancers": 100} {
		if got := c.Limit(name); got != want {
			t.Errorf("Limit(%s) = %d, want %d", name, got, want)
		}
	}
	if got := (&Txn{c: c}).Limit("routes-per-route-table"); got != 7 {
		t.Errorf("a use case's limit %d", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("an unknown quota did not panic")
		}
	}()
	c.Limit("no-such-quota")
}

// TestELBQuotasAreListedToo: ELB's quotas, in their order, are among all.
func TestELBQuotasAreListedToo(t *testing.T) {
	all := Quotas()
	elb := ELBQuotas()
	if len(all) != len(ec2Quotas)+len(elb) || elb[0].Name != "target-groups" {
		t.Fatalf("%d quotas, %d of ELB", len(all), len(elb))
	}
	for i, q := range elb {
		if all[len(ec2Quotas)+i] != q || q.Service != "elasticloadbalancing" {
			t.Errorf("ELB quota %d: %+v", i, q)
		}
	}
}
