package elb

import (
	"testing"

	"github.com/vpcemu/vpcemu/internal/regions"
)

// Every region has the hosted zones of its load balancer names: AWS's where
// it documents them, else stable derived ones.
func TestELBHostedZonesOfEveryRegion(t *testing.T) {
	for _, r := range regions.All() {
		alb, nlb := elbHostedZone(r.Name, 0), elbHostedZone(r.Name, 1)
		if alb == "" || nlb == "" || alb == nlb || elbHostedZone(r.Name, 0) != alb {
			t.Errorf("%s: %q %q", r.Name, alb, nlb)
		}
	}
	if got := elbHostedZone("mx-central-1", 1); got != "Z02031231H3ID6HYJ9A7U" {
		t.Errorf("mx-central-1 NLB zone %s", got)
	}
}
