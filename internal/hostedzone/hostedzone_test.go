package hostedzone

import (
	"regexp"
	"testing"
)

func TestID(t *testing.T) {
	shape := regexp.MustCompile(`^Z0[0-9A-Z]{19}$`)
	for _, seed := range []string{"", "vpce.us-east-1", "elb.us-east-1/2", "vpce-0123456789abcdef0"} {
		id := ID(seed)
		if !shape.MatchString(id) {
			t.Errorf("ID(%q) = %q, not a hosted zone id", seed, id)
		}
		if ID(seed) != id {
			t.Errorf("ID(%q) is not stable", seed)
		}
	}
	if ID("a") == ID("b") {
		t.Error("two seeds share an id")
	}
	if got := Base36("x", 8); len(got) != 8 || !regexp.MustCompile(`^[0-9a-z]+$`).MatchString(got) {
		t.Errorf("Base36 = %q", got)
	}
}
