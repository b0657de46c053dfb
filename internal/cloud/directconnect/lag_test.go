package directconnect

import (
	"fmt"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

func TestCreateLag(t *testing.T) {
	tests := []struct {
		name string
		in   NewLag
		msg  string
	}{
		{"one 1 Gbps connection", NewLag{Name: "l", Location: "EqDC2", Bandwidth: "1Gbps", NumberOfConnections: 1}, ""},
		{"four 10 Gbps", NewLag{Name: "l", Location: "EqDC2", Bandwidth: "10Gbps", NumberOfConnections: 4, ChildTags: cloud.Tags{"k": "v"}}, ""},
		{"five 10 Gbps", NewLag{Name: "l", Location: "EqDC2", Bandwidth: "10Gbps", NumberOfConnections: 5}, "at most 4 connections"},
		{"three 100 Gbps", NewLag{Name: "l", Location: "EqDC2", Bandwidth: "100Gbps", NumberOfConnections: 3}, "at most 2 connections"},
		{"none", NewLag{Name: "l", Location: "EqDC2", Bandwidth: "1Gbps"}, "numberOfConnections must be at least 1"},
		{"bad bandwidth", NewLag{Name: "l", Location: "EqDC2", Bandwidth: "2Gbps", NumberOfConnections: 1}, "Bandwidth 2Gbps is not available"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newService(t, 0)
			l, err := s.CreateLag(ctx, alice, tt.in)
			if tt.msg != "" {
				refused(t, err, cloud.InvalidParameter, tt.msg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if l.State != StateRequested || len(l.Connections) != tt.in.NumberOfConnections || l.ARN() != "arn:aws:directconnect:us-east-1:111111111111:dxlag/"+l.ID {
				t.Fatalf("created %+v", l)
			}
			for i, c := range l.Connections {
				if c.LagID != l.ID || c.Name != fmt.Sprintf("Requested Connection %d for Lag %s", i+1, l.ID) || c.State != StateRequested ||
					c.Bandwidth != tt.in.Bandwidth || c.AWSDevice != l.AWSDevice || c.Tags["k"] != tt.in.ChildTags["k"] {
					t.Errorf("connection %d: %+v", i, c)
				}
			}
			ls := must[[]*LagWithConnections](t)(s.DescribeLags(ctx, alice, l.ID))
			if ls[0].State != StateAvailable || len(ls[0].Connections) != tt.in.NumberOfConnections || ls[0].Connections[0].State != StateAvailable {
				t.Errorf("described %+v", ls[0])
			}
		})
	}
}

// TestLagMembers: connections join and leave a LAG, with their VIFs; a
// LAG is down when fewer connections are up than it needs.
func TestLagMembers(t *testing.T) {
	s, _ := newService(t, 0)
	lone := dedicated(t, s, alice)
	g := gateway(t, s, alice)
	v := privateVIF(t, s, alice, lone.ID, g.ID, 7)
	l := must[*LagWithConnections](t)(s.CreateLag(ctx, alice, NewLag{Name: "l", Location: "EqDC2", Bandwidth: "1Gbps", NumberOfConnections: 2, ConnectionID: lone.ID}))
	if len(l.Connections) != 2 || l.Connections[0].ID != lone.ID || l.Connections[1].Name != "Requested Connection 1 for Lag "+l.ID {
		t.Fatalf("LAG %+v", l.Connections)
	}
	vs := must[[]*VirtualInterface](t)(s.DescribeVirtualInterfaces(ctx, alice, l.ID, ""))
	if len(vs) != 1 || vs[0].ID != v.ID {
		t.Errorf("the VIF did not move to the LAG: %v", vs)
	}
	other := must[*Connection](t)(s.CreateConnection(ctx, alice, NewConnection{Name: "x", Location: "EqDC2", Bandwidth: "10Gbps"}))
	_, err := s.AssociateConnectionWithLag(ctx, alice, other.ID, l.ID)
	refused(t, err, cloud.InvalidParameter, "a LAG's connections share its bandwidth (1Gbps)")
	_, err = s.AssociateConnectionWithLag(ctx, alice, lone.ID, l.ID)
	refused(t, err, cloud.InvalidParameter, "is already associated with LAG")
	third, fourth := dedicated(t, s, alice), dedicated(t, s, alice)
	must[*Connection](t)(s.AssociateConnectionWithLag(ctx, alice, third.ID, l.ID))
	must[*Connection](t)(s.AssociateConnectionWithLag(ctx, alice, fourth.ID, l.ID))
	_, err = s.AssociateConnectionWithLag(ctx, alice, dedicated(t, s, alice).ID, l.ID)
	refused(t, err, cloud.InvalidParameter, "at most 4 connections")
	_, err = s.CreateConnection(ctx, alice, NewConnection{Name: "y", Location: "EqDC2", Bandwidth: "1Gbps", LagID: l.ID})
	refused(t, err, cloud.InvalidParameter, "at most 4 connections")

	c := must[*Connection](t)(s.DisassociateConnectionFromLag(ctx, alice, fourth.ID, l.ID))
	if c.LagID != "" {
		t.Errorf("still in the LAG: %+v", c)
	}
	_, err = s.DisassociateConnectionFromLag(ctx, alice, fourth.ID, l.ID)
	refused(t, err, cloud.InvalidParameter, "is not associated with LAG")
	joined := must[*Connection](t)(s.CreateConnection(ctx, alice, NewConnection{Name: "z", Location: "EqDC2", Bandwidth: "1Gbps", LagID: l.ID}))
	if joined.LagID != l.ID {
		t.Errorf("created outside the LAG: %+v", joined)
	}

	lagState := func() string {
		return must[[]*LagWithConnections](t)(s.DescribeLags(ctx, alice, l.ID))[0].State
	}
	two := 2
	must[*LagWithConnections](t)(s.UpdateLag(ctx, alice, l.ID, LagUpdate{MinimumLinks: &two}))
	for _, id := range []string{lone.ID, l.Connections[1].ID} {
		must[string](t)(s.SetState(ctx, alice, id, StateDown))
	}
	if got := lagState(); got != StateAvailable {
		t.Errorf("two of four down, two needed: %s", got)
	}
	must[string](t)(s.SetState(ctx, alice, third.ID, StateDown))
	if got := lagState(); got != StateDown {
		t.Errorf("three of four down, two needed: %s", got)
	}
	if got := vifState(t, s, alice, v.ID); got != StateDown {
		t.Errorf("the LAG's VIF: %s", got)
	}
	five := 5
	_, err = s.UpdateLag(ctx, alice, l.ID, LagUpdate{MinimumLinks: &five})
	refused(t, err, cloud.InvalidParameter, "minimumLinks 5 is not valid")
	_, err = s.DeleteLag(ctx, alice, l.ID)
	refused(t, err, cloud.InvalidParameter, "has virtual interfaces ("+v.ID+")")
	must[string](t)(s.DeleteVirtualInterface(ctx, alice, v.ID))
	gone := must[*LagWithConnections](t)(s.DeleteLag(ctx, alice, l.ID))
	if gone.State != StateDeleted || len(gone.Connections) != 4 || gone.Connections[0].State != StateDeleted {
		t.Errorf("deleted %+v", gone)
	}
	_, err = s.DescribeLags(ctx, alice, l.ID)
	refused(t, err, cloud.NotFound, "Could not find Lag with ID "+l.ID)
	_, err = s.DescribeConnections(ctx, alice, lone.ID)
	refused(t, err, cloud.NotFound, "Could not find Connection")
}

func TestUpdateLag(t *testing.T) {
	s, clk := newService(t, time.Minute)
	l := must[*LagWithConnections](t)(s.CreateLag(ctx, alice, NewLag{Name: "l", Location: "EqDC2", Bandwidth: "10Gbps", NumberOfConnections: 1, RequestMACSec: true}))
	name, mode := "renamed", "should_encrypt"
	u := must[*LagWithConnections](t)(s.UpdateLag(ctx, alice, l.ID, LagUpdate{Name: &name, EncryptionMode: &mode}))
	if u.Name != name || u.EncryptionMode != mode || u.State != StateRequested {
		t.Errorf("updated %+v", u.Lag)
	}
	clk.Add(time.Minute)
	if all := must[[]*LagWithConnections](t)(s.DescribeLags(ctx, alice, "")); len(all) != 1 || all[0].State != StateAvailable {
		t.Errorf("all LAGs: %+v", all)
	}
	plain := must[*LagWithConnections](t)(s.CreateLag(ctx, alice, NewLag{Name: "p", Location: "EqDC2", Bandwidth: "10Gbps", NumberOfConnections: 1}))
	_, err := s.UpdateLag(ctx, alice, plain.ID, LagUpdate{EncryptionMode: &mode})
	refused(t, err, cloud.InvalidParameter, "does not support MAC Security")
	_, err = s.UpdateLag(ctx, bob, plain.ID, LagUpdate{Name: &name})
	refused(t, err, cloud.NotFound, "Could not find Lag with ID")
	// Terraform's aws_dx_lag deletes the connection CreateLag made; the LAG
	// stays, up.
	must[*Connection](t)(s.DeleteConnection(ctx, alice, plain.Connections[0].ID))
	clk.Add(time.Minute)
	if got := must[[]*LagWithConnections](t)(s.DescribeLags(ctx, alice, plain.ID))[0]; got.State != StateAvailable || len(got.Connections) != 0 {
		t.Errorf("empty LAG %+v", got)
	}
}
