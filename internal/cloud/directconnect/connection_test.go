package directconnect

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

func TestCreateConnection(t *testing.T) {
	many := cloud.Tags{}
	for i := range 51 {
		many[fmt.Sprint("k", i)] = "v"
	}
	tests := []struct {
		name string
		in   NewConnection
		who  cloud.Caller
		msg  string // "" when it succeeds
	}{
		{"dedicated 1 Gbps", NewConnection{Name: "c", Location: "EqDC2", Bandwidth: "1Gbps", Tags: cloud.Tags{"Name": "c"}}, alice, ""},
		{"400 Gbps at EqDC2", NewConnection{Name: "c", Location: "EqDC2", Bandwidth: "400Gbps"}, alice, ""},
		{"MACsec", NewConnection{Name: "c", Location: "EqDC2", Bandwidth: "10Gbps", RequestMACSec: true}, alice, ""},
		{"unknown location", NewConnection{Name: "c", Location: "Nowhere", Bandwidth: "1Gbps"}, alice, "Location Nowhere is not a valid Direct Connect location in us-east-1"},
		{"location of another region", NewConnection{Name: "c", Location: "EqDC2", Bandwidth: "1Gbps"}, aliceWest, "not a valid Direct Connect location in us-west-2"},
		{"hosted speed on a dedicated port", NewConnection{Name: "c", Location: "EqDC2", Bandwidth: "500Mbps"}, alice, "Bandwidth 500Mbps is not available at location EqDC2"},
		{"400 Gbps where there is none", NewConnection{Name: "c", Location: "CS32A-24FL", Bandwidth: "400Gbps"}, alice, "not available at location CS32A-24FL"},
		{"51 tags", NewConnection{Name: "c", Location: "EqDC2", Bandwidth: "1Gbps", Tags: many}, alice, "at most 50 tags"},
		{"reserved tag key", NewConnection{Name: "c", Location: "EqDC2", Bandwidth: "1Gbps", Tags: cloud.Tags{"aws:x": "y"}}, alice, "reserved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newService(t, 0)
			c, err := s.CreateConnection(ctx, tt.who, tt.in)
			if tt.msg != "" {
				if err == nil || !strings.Contains(err.Error(), tt.msg) {
					t.Fatalf("got %v, want %q", err, tt.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.State != StateRequested || !strings.HasPrefix(c.ID, "dxcon-") || len(c.ID) != len("dxcon-")+8 ||
				c.Owner != tt.who.Account || c.Region != tt.who.Region || !strings.HasPrefix(c.AWSDevice, "EqDC2-") {
				t.Errorf("created %+v", c)
			}
			if want := "arn:aws:directconnect:us-east-1:111111111111:dxcon/" + c.ID; c.ARN() != want {
				t.Errorf("ARN %s, want %s", c.ARN(), want)
			}
			if c.MACSecCapable != tt.in.RequestMACSec || tt.in.RequestMACSec && c.EncryptionMode != "no_encrypt" {
				t.Errorf("MACsec %+v", c)
			}
		})
	}
}

// TestProvisioning: a new connection is requested, and available once the
// provision delay has passed (at once by default); SetState holds it.
func TestProvisioning(t *testing.T) {
	tests := []struct {
		delay       time.Duration
		wait        time.Duration
		before, now string
	}{
		{0, 0, StateRequested, StateAvailable},
		{time.Hour, time.Minute, StateRequested, StateRequested},
		{time.Hour, time.Hour, StateRequested, StateAvailable},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.delay, tt.wait), func(t *testing.T) {
			s, clk := newService(t, tt.delay)
			c := dedicated(t, s, alice)
			if c.State != tt.before {
				t.Errorf("created %s", c.State)
			}
			clk.Add(tt.wait)
			if got := connectionState(t, s, alice, c.ID); got != tt.now {
				t.Errorf("after %s: %s, want %s", tt.wait, got, tt.now)
			}
		})
	}
	s, clk := newService(t, 0)
	c := dedicated(t, s, alice)
	for _, state := range []string{StateDown, StatePending, StateRequested, StateAvailable} {
		if got := must[string](t)(s.SetState(ctx, alice, c.ID, state)); got != state {
			t.Errorf("set %s: %s", state, got)
		}
		clk.Add(24 * time.Hour)
		if got := connectionState(t, s, alice, c.ID); got != state {
			t.Errorf("held %s: %s a day later", state, got)
		}
	}
}

func TestDescribeConnections(t *testing.T) {
	s, _ := newService(t, 0)
	a1, a2, b := dedicated(t, s, alice), dedicated(t, s, alice), dedicated(t, s, bob)
	dedicated(t, s, cloud.Caller{Account: alice.Account, Region: "us-east-1"})
	all := must[[]*Connection](t)(s.DescribeConnections(ctx, alice, ""))
	if len(all) != 3 || all[0].ID != a1.ID || all[1].ID != a2.ID {
		t.Errorf("alice's: %v", all)
	}
	if got := must[[]*Connection](t)(s.DescribeConnections(ctx, bob, "")); len(got) != 1 || got[0].ID != b.ID {
		t.Errorf("bob's: %v", got)
	}
	for _, tt := range []struct {
		who cloud.Caller
		id  string
	}{{alice, "dxcon-ffffffff"}, {bob, a1.ID}, {aliceWest, a1.ID}} {
		_, err := s.DescribeConnections(ctx, tt.who, tt.id)
		refused(t, err, cloud.NotFound, "Could not find Connection with ID "+tt.id)
	}
}

func TestUpdateConnection(t *testing.T) {
	s, _ := newService(t, 0)
	plain := dedicated(t, s, alice)
	macsec := must[*Connection](t)(s.CreateConnection(ctx, alice, NewConnection{Name: "m", Location: "EqDC2", Bandwidth: "10Gbps", RequestMACSec: true}))
	name, must_, bad := "renamed", "must_encrypt", "always"
	tests := []struct {
		id  string
		u   ConnectionUpdate
		msg string
	}{
		{plain.ID, ConnectionUpdate{Name: &name}, ""},
		{plain.ID, ConnectionUpdate{EncryptionMode: &must_}, "does not support MAC Security"},
		{macsec.ID, ConnectionUpdate{EncryptionMode: &must_}, ""},
		{macsec.ID, ConnectionUpdate{EncryptionMode: &bad}, "Encryption mode always is not valid"},
	}
	for _, tt := range tests {
		c, err := s.UpdateConnection(ctx, alice, tt.id, tt.u)
		if tt.msg != "" {
			refused(t, err, cloud.InvalidParameter, tt.msg)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if tt.u.Name != nil && c.Name != name || tt.u.EncryptionMode != nil && c.EncryptionMode != must_ || c.State != StateAvailable {
			t.Errorf("updated %+v", c)
		}
	}
}

func TestDeleteConnection(t *testing.T) {
	s, _ := newService(t, 0)
	c := dedicated(t, s, alice)
	g := gateway(t, s, alice)
	v := privateVIF(t, s, alice, c.ID, g.ID, 100)
	_, err := s.DeleteConnection(ctx, alice, c.ID)
	refused(t, err, cloud.InvalidParameter, "has virtual interfaces ("+v.ID+")")
	_, err = s.DeleteConnection(ctx, bob, c.ID)
	refused(t, err, cloud.NotFound, "Could not find Connection with ID")
	must[string](t)(s.DeleteVirtualInterface(ctx, alice, v.ID))
	gone := must[*Connection](t)(s.DeleteConnection(ctx, alice, c.ID))
	if gone.State != StateDeleted {
		t.Errorf("answer %s", gone.State)
	}
	_, err = s.DescribeConnections(ctx, alice, c.ID)
	refused(t, err, cloud.NotFound, "Could not find Connection with ID "+c.ID)
}

// TestHostedConnection: a partner allocates a hosted connection for a
// customer, who confirms it; it rests on the partner's connection.
func TestHostedConnection(t *testing.T) {
	s, clk := newService(t, time.Minute)
	parent := dedicated(t, s, alice)
	clk.Add(time.Minute)
	alloc := func(owner, bw string, vlan int) (*Connection, error) {
		return s.AllocateHostedConnection(ctx, alice, NewHostedConnection{Parent: parent.ID, Owner: owner, Name: "h", Bandwidth: bw, Vlan: vlan})
	}
	for _, tt := range []struct {
		owner, bw string
		vlan      int
		msg       string
	}{
		{alice.Account, "500Mbps", 10, "Cannot allocate a hosted connection for the connection owner."},
		{"bob", "500Mbps", 10, "not a valid AWS account ID"},
		{bob.Account, "2Gbps", 10, "Bandwidth 2Gbps is not available for a hosted connection"},
		{bob.Account, "3Gbps", 10, "Bandwidth 3Gbps"},
		{bob.Account, "500Mbps", 0, "VLAN 0 is not valid"},
		{bob.Account, "500Mbps", 4095, "VLAN 4095 is not valid"},
	} {
		_, err := alloc(tt.owner, tt.bw, tt.vlan)
		refused(t, err, cloud.InvalidParameter, tt.msg)
	}
	h := must[*Connection](t)(alloc(bob.Account, "500Mbps", 10))
	if h.Owner != bob.Account || h.Partner != alice.Account || h.State != StateOrdering || h.Vlan != 10 || h.Location != "EqDC2" {
		t.Errorf("hosted %+v", h)
	}
	_, err := alloc(bob.Account, "50Mbps", 10)
	refused(t, err, cloud.InvalidParameter, "VLAN 10 is already in use on "+parent.ID+" (by "+h.ID+")")
	if got := connectionState(t, s, bob, h.ID); got != StateOrdering {
		t.Errorf("bob sees %s", got)
	}
	_, err = s.DescribeConnections(ctx, alice, h.ID)
	refused(t, err, cloud.NotFound, "Could not find Connection")
	_, err = s.ConfirmConnection(ctx, alice, h.ID)
	refused(t, err, cloud.NotFound, "Could not find Connection")

	if got := must[string](t)(s.ConfirmConnection(ctx, bob, h.ID)); got != StatePending {
		t.Errorf("confirmed: %s", got)
	}
	_, err = s.ConfirmConnection(ctx, bob, h.ID)
	refused(t, err, cloud.InvalidParameter, "is not in the ordering state (it is pending)")
	clk.Add(time.Minute)
	if got := connectionState(t, s, bob, h.ID); got != StateAvailable {
		t.Errorf("after the delay: %s", got)
	}
	must[string](t)(s.SetState(ctx, alice, parent.ID, StateDown))
	if got := connectionState(t, s, bob, h.ID); got != StateDown {
		t.Errorf("parent down: %s", got)
	}
	_, err = s.DeleteConnection(ctx, alice, parent.ID)
	refused(t, err, cloud.InvalidParameter, "has hosted connections ("+h.ID+")")
	// The partner may delete what it allocated.
	if gone := must[*Connection](t)(s.DeleteConnection(ctx, alice, h.ID)); gone.State != StateDeleted {
		t.Errorf("deleted: %s", gone.State)
	}

	// A customer deleting one it has not confirmed rejects it.
	r := must[*Connection](t)(alloc(bob.Account, "1Gbps", 11))
	if got := must[*Connection](t)(s.DeleteConnection(ctx, bob, r.ID)); got.State != StateRejected {
		t.Errorf("rejected: %s", got.State)
	}
	if got := connectionState(t, s, bob, r.ID); got != StateRejected {
		t.Errorf("bob sees %s", got)
	}
	_, err = s.SetState(ctx, alice, r.ID, StateAvailable)
	refused(t, err, cloud.InvalidParameter, "is rejected")
}

func TestMbps(t *testing.T) {
	for bw, want := range map[string]int{"50Mbps": 50, "500Mbps": 500, "1Gbps": 1000, "400Gbps": 400000, "3Gbps": 0, "1 Gbps": 0, "": 0} {
		if got := mbps(bw); got != want {
			t.Errorf("mbps(%q) = %d, want %d", bw, got, want)
		}
	}
}
