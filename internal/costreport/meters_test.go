package costreport

import (
	"math"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cost"
	"github.com/vpcemu/vpcemu/internal/dataplane"
)

// TestUsageFromMeters: each path's bytes are priced where they cross a
// boundary, and traffic to AWS services is known by its route.
func TestUsageFromMeters(t *testing.T) {
	const gib = cost.GiB
	inv := &cost.Inventory{
		Resources: []cost.Resource{
			{ID: "nat-1", Kind: cost.KindNATGateway, Account: "1", Region: "us-east-1", VPC: "vpc-1"},
			{ID: "vpce-sns", Kind: cost.KindInterfaceEndpoint, Account: "1", Region: "us-east-1", VPC: "vpc-1", Service: "com.amazonaws.us-east-1.sns"},
			{ID: "vpce-svc", Kind: cost.KindInterfaceEndpoint, Account: "1", Region: "us-east-1", VPC: "vpc-1", Service: "com.amazonaws.vpce.us-east-1.vpce-svc-1"},
		},
		DXLocations: map[string]cost.DXLocation{"vgw-1": {Code: "EqDC2", Region: "us-east-1"}},
	}
	list := dataplane.MeterList{
		Since: time.Now().Add(-time.Hour),
		Resources: []dataplane.Meter{
			{Resource: "nat-1", BytesOut: gib, BytesIn: gib},
			{Resource: "eni-1", BytesOut: 5 * gib}, // an interface processes nothing billed
		},
		Paths: []dataplane.PathMeter{
			{Account: "1", ToAccount: "2", FromRegion: "us-east-1", FromZone: "us-east-1a", ToRegion: "us-east-1", ToZone: "us-east-1b", Through: []string{"pcx-1"}, BytesOut: gib, BytesIn: gib},
			{Account: "1", ToAccount: "2", FromRegion: "us-east-1", FromZone: "us-east-1a", ToRegion: "eu-west-1", ToZone: "eu-west-1a", Through: []string{"pcx-2"}, BytesOut: 2 * gib, BytesIn: 3 * gib},
			{Account: "1", FromRegion: "us-east-1", FromZone: "us-east-1a", Through: []string{"nat-1", "igw-1"}, Service: "sns", BytesOut: gib, BytesIn: gib},
			{Account: "1", FromRegion: "us-east-1", FromZone: "us-east-1a", Through: []string{"igw-1"}, BytesOut: 4 * gib, BytesIn: gib},
			{Account: "1", FromRegion: "us-east-1", FromZone: "us-east-1a", Through: []string{"vgw-1"}, BytesOut: 6 * gib},
			{Account: "1", ToAccount: "1", FromRegion: "us-east-1", FromZone: "us-east-1b", ToRegion: "us-east-1", ToZone: "us-east-1b", Through: []string{"vpce-sns"}, BytesOut: gib},
			{Account: "1", ToAccount: "3", FromRegion: "us-east-1", FromZone: "us-east-1a", ToRegion: "us-east-1", ToZone: "us-east-1a", Through: []string{"vpce-svc", "arn:lb"}, BytesOut: gib},
		},
	}
	u := UsageFromMeters(list, inv, time.Now())
	if u.Processed["nat-1"] != 2 || len(u.Processed) != 1 {
		t.Errorf("processed %v", u.Processed)
	}
	want := []cost.Transfer{
		{Account: "1", PeerAccount: "2", Kind: cost.CrossZone, FromRegion: "us-east-1", GB: 2, Via: "pcx-1"},
		{Account: "1", Kind: cost.InterRegion, FromRegion: "us-east-1", ToRegion: "eu-west-1", GB: 2, Via: "pcx-2"},
		{Account: "2", Kind: cost.InterRegion, FromRegion: "eu-west-1", ToRegion: "us-east-1", GB: 3, Via: "pcx-2"},
		{Account: "1", Kind: cost.Internet, FromRegion: "us-east-1", GB: 4, Via: "igw-1"},
		{Account: "1", Kind: cost.DirectConnect, FromRegion: "us-east-1", ToRegion: "us-east-1", Location: "EqDC2", GB: 6, Via: "vgw-1"},
	}
	if len(u.Transfers) != len(want) {
		t.Fatalf("transfers %+v", u.Transfers)
	}
	for i, w := range want {
		if u.Transfers[i] != w {
			t.Errorf("transfer %d = %+v, want %+v", i, u.Transfers[i], w)
		}
	}
	// SNS through the NAT gateway and through its endpoint; the endpoint
	// service of an account is no AWS service.
	if len(u.Services) != 2 || u.Services[0].Via != "nat-1" || u.Services[0].Service != "sns" || math.Abs(u.Services[0].GB-2) > 1e-9 ||
		u.Services[1].Via != "vpce-sns" || u.Services[1].Zones[0] != "us-east-1b" {
		t.Errorf("services %+v", u.Services)
	}
}
