package directconnect

import (
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// TestSetStateBringsSessionsUp: a VIF set available before the delay
// has passed brings its BGP sessions up with it.
func TestSetStateBringsSessionsUp(t *testing.T) {
	s, _ := newService(t, time.Hour)
	c := dedicated(t, s, alice)
	g := gateway(t, s, alice)
	v := privateVIF(t, s, alice, c.ID, g.ID, 1)
	must[string](t)(s.SetState(ctx, alice, c.ID, StateAvailable))
	must[*VirtualInterface](t)(s.CreateBGPPeer(ctx, alice, v.ID, NewBGPPeer{ASN: 65000, AddressFamily: ipv6}))
	must[string](t)(s.SetState(ctx, alice, v.ID, StateAvailable))
	vs := must[[]*VirtualInterface](t)(s.DescribeVirtualInterfaces(ctx, alice, "", v.ID))
	for _, p := range vs[0].Peers {
		if p.State != StateAvailable || p.Status != "up" {
			t.Errorf("peer %+v", p)
		}
	}
}

func TestSetState(t *testing.T) {
	s, _ := newService(t, 0)
	c := dedicated(t, s, alice)
	g := gateway(t, s, alice)
	v := privateVIF(t, s, alice, c.ID, g.ID, 1)
	hostedVIF := must[*VirtualInterface](t)(s.CreateVirtualInterface(ctx, alice, NewVirtualInterface{Type: Private, ConnectionID: c.ID, Owner: bob.Account, Name: "h", Vlan: 2, ASN: 65000}))
	tests := []struct {
		who        cloud.Caller
		id, state  string
		r          cloud.Reason
		msg, gives string
	}{
		{alice, c.ID, "up", cloud.InvalidParameter, "A connection cannot be set up", ""},
		{alice, c.ID, StateDown, 0, "", StateDown},
		{alice, v.ID, StateAvailable, 0, "", StateDown}, // its connection is down
		{alice, c.ID, StateAvailable, 0, "", StateAvailable},
		{alice, v.ID, StateRequested, cloud.InvalidParameter, "A virtual interface cannot be set requested", ""},
		{alice, v.ID, StateDown, 0, "", StateDown},
		{bob, c.ID, StateDown, cloud.NotFound, "Could not find Connection", ""},
		{bob, v.ID, StateDown, cloud.NotFound, "does not exist", ""},
		{bob, hostedVIF.ID, StateDown, cloud.InvalidParameter, "its owner has not confirmed it", ""},
		{alice, "dxlag-00000001", StateDown, cloud.InvalidParameter, "neither a connection", ""},
		{alice, "dxcon-ffffffff", StateDown, cloud.NotFound, "Could not find Connection with ID dxcon-ffffffff", ""},
	}
	for i, tt := range tests {
		got, err := s.SetState(ctx, tt.who, tt.id, tt.state)
		if tt.msg != "" {
			refused(t, err, tt.r, tt.msg)
			continue
		}
		if err != nil || got != tt.gives {
			t.Errorf("%d: set %s %s: %s %v, want %s", i, tt.id, tt.state, got, err, tt.gives)
		}
	}
}
