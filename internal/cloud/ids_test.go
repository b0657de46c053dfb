package cloud

import (
	"strings"
	"testing"
)

func TestWellFormed(t *testing.T) {
	for _, tc := range []struct {
		id, prefix string
		ok         bool
	}{
		{"vpc-0123456789abcdef0", "vpc-", true},
		{"vpc-01234567", "vpc-", true},
		{"vpc-0123456789", "vpc-", false},
		{"vpc-0123456789ABCDEF0", "vpc-", false},
		{"vpc-0123456789abcdefg", "vpc-", false},
		{"subnet-01234567", "vpc-", false},
		{"vpc-", "vpc-", false},
		{"", "vpc-", false},
	} {
		if got := WellFormed(tc.id, tc.prefix); got != tc.ok {
			t.Errorf("WellFormed(%q, %q) = %v", tc.id, tc.prefix, got)
		}
	}
}

// TestIDSources: random ids look like AWS's and differ; sequential ones
// count up, one counter for every prefix.
func TestIDSources(t *testing.T) {
	r := RandomIDs()
	seen := map[string]bool{}
	for range 1000 {
		id := r.NewID("sg-")
		if !WellFormed(id, "sg-") || len(id) != len("sg-")+17 || seen[id] {
			t.Fatalf("random id %q (seen before: %v)", id, seen[id])
		}
		seen[id] = true
	}
	s := SequentialIDs()
	if a, b := s.NewID("vpc-"), s.NewID("subnet-"); a != "vpc-00000000000000001" || b != "subnet-00000000000000002" {
		t.Fatalf("sequential ids %s %s", a, b)
	}
	if id := s.NewID(""); strings.Trim(id, "0") != "3" || len(id) != 17 {
		t.Fatalf("bare sequential id %q", id)
	}
}
