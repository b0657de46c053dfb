package directconnect

import (
	"fmt"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

func TestGatewayASN(t *testing.T) {
	tests := []struct {
		asn, want int64
		ok        bool
	}{
		{0, 64512, true},
		{64512, 64512, true},
		{65534, 65534, true},
		{65535, 0, false},
		{64511, 0, false},
		{7224, 0, false},
		{4200000000, 4200000000, true},
		{4294967294, 4294967294, true},
		{4294967295, 0, false},
		{4199999999, 0, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.asn), func(t *testing.T) {
			s, _ := newService(t, 0)
			g, err := s.CreateGateway(ctx, alice, NewGateway{Name: "g", AmazonSideASN: tt.asn})
			if !tt.ok {
				refused(t, err, cloud.InvalidParameter, fmt.Sprintf("The ASN %d is not valid", tt.asn))
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g.AmazonSideASN != tt.want || g.State != StatePending || !uuidShaped(g.ID) {
				t.Errorf("created %+v", g)
			}
		})
	}
}

// TestGateway: a gateway is global (its owner sees it from every region),
// available once created, renamed, and deleted unless something uses it.
func TestGateway(t *testing.T) {
	s, _ := newService(t, 0)
	g := must[*Gateway](t)(s.CreateGateway(ctx, alice, NewGateway{Name: "g", Tags: cloud.Tags{"env": "test"}}))
	if want := "arn:aws:directconnect::111111111111:dx-gateway/" + g.ID; g.ARN() != want {
		t.Errorf("ARN %s", g.ARN())
	}
	for _, who := range []cloud.Caller{alice, aliceWest} {
		gs := must[[]*Gateway](t)(s.DescribeGateways(ctx, who, ""))
		if len(gs) != 1 || gs[0].ID != g.ID || gs[0].State != StateAvailable || gs[0].Tags["env"] != "test" {
			t.Errorf("%s sees %+v", who.Region, gs)
		}
	}
	if gs := must[[]*Gateway](t)(s.DescribeGateways(ctx, bob, "")); len(gs) != 0 {
		t.Errorf("bob sees %+v", gs)
	}
	for _, who := range []cloud.Caller{alice, bob} {
		if gs := must[[]*Gateway](t)(s.DescribeGateways(ctx, who, "00000000-0000-4000-8000-000000000000")); len(gs) != 0 {
			t.Errorf("an unknown gateway: %+v", gs)
		}
	}
	if gs := must[[]*Gateway](t)(s.DescribeGateways(ctx, bob, g.ID)); len(gs) != 0 {
		t.Errorf("bob sees alice's gateway: %+v", gs)
	}
	if u := must[*Gateway](t)(s.UpdateGateway(ctx, aliceWest, g.ID, "renamed")); u.Name != "renamed" {
		t.Errorf("renamed %+v", u)
	}
	_, err := s.UpdateGateway(ctx, bob, g.ID, "x")
	refused(t, err, cloud.NotFound, "Direct Connect Gateway "+g.ID+" does not exist.")

	c := dedicated(t, s, alice)
	v := privateVIF(t, s, alice, c.ID, g.ID, 1)
	_, err = s.DeleteGateway(ctx, alice, g.ID)
	refused(t, err, cloud.InvalidParameter, "has virtual interfaces attached ("+v.ID+")")
	must[string](t)(s.DeleteVirtualInterface(ctx, alice, v.ID))
	if gone := must[*Gateway](t)(s.DeleteGateway(ctx, alice, g.ID)); gone.State != StateDeleting {
		t.Errorf("deleted %+v", gone)
	}
	if gs := must[[]*Gateway](t)(s.DescribeGateways(ctx, alice, g.ID)); len(gs) != 0 {
		t.Errorf("still listed: %+v", gs)
	}
	_, err = s.DeleteGateway(ctx, alice, g.ID)
	refused(t, err, cloud.NotFound, "does not exist")
}

func TestNewUUID(t *testing.T) {
	s, _ := newService(t, 0)
	seen := map[string]bool{}
	for range 20 {
		g := gateway(t, s, alice)
		if !uuidShaped(g.ID) || seen[g.ID] {
			t.Fatalf("id %s", g.ID)
		}
		seen[g.ID] = true
	}
	for id, want := range map[string]bool{"5f294f92-bafb-4011-916d-9b0bec736ec4": true, "5f294f92bafb4011916d9b0bec736ec4": false, "5f294f92-bafb-4011-916d-9b0bec736ecg": false, "": false} {
		if uuidShaped(id) != want {
			t.Errorf("uuidShaped(%q) != %v", id, want)
		}
	}
}
