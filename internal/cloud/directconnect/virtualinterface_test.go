package directconnect

import (
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

func TestCreateVirtualInterface(t *testing.T) {
	type vif = NewVirtualInterface
	tests := []struct {
		name string
		in   func(conn, gw, transitGW string) vif
		msg  string
		// want checks a created VIF
		want func(t *testing.T, v *VirtualInterface)
	}{
		{"private on a gateway, addresses assigned (after the two VIFs before it)", func(c, g, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 101, ASN: 65000, GatewayID: g}
		}, "", func(t *testing.T, v *VirtualInterface) {
			if v.State != StatePending || v.MTU != 1500 || v.AmazonSideASN != DefaultASN || v.AddressFamily != ipv4 ||
				v.AmazonAddress != "169.254.0.9/30" || v.CustomerAddress != "169.254.0.10/30" || len(v.Peers) != 1 ||
				!strings.HasPrefix(v.Peers[0].ID, "dxpeer-") || !strings.HasPrefix(v.AuthKey, "0x") || v.Location != "EqDC2" {
				t.Errorf("%+v", v)
			}
		}},
		{"private, jumbo frames, own addresses", func(c, g, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 102, ASN: 4200000001, MTU: 9001, GatewayID: g,
				AmazonAddress: "192.168.1.1/30", CustomerAddress: "192.168.1.2/30", AuthKey: "secret"}
		}, "", func(t *testing.T, v *VirtualInterface) {
			if v.MTU != 9001 || v.AmazonAddress != "192.168.1.1/30" || v.AuthKey != "secret" || v.ASN != 4200000001 {
				t.Errorf("%+v", v)
			}
		}},
		{"private over IPv6", func(c, g, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 103, ASN: 65000, GatewayID: g, AddressFamily: ipv6}
		}, "", func(t *testing.T, v *VirtualInterface) {
			if v.AmazonAddress != "2001:db8:dc::1/125" || v.CustomerAddress != "2001:db8:dc::2/125" {
				t.Errorf("%+v", v)
			}
		}},
		{"transit", func(c, _, tg string) vif {
			return vif{Type: Transit, ConnectionID: c, Name: "t", Vlan: 104, ASN: 65000, MTU: 8500, GatewayID: tg}
		}, "", func(t *testing.T, v *VirtualInterface) {
			if v.Type != Transit || v.AmazonSideASN != 64513 || v.MTU != 8500 {
				t.Errorf("%+v", v)
			}
		}},
		{"public", func(c, _, _ string) vif {
			return vif{Type: Public, ConnectionID: c, Name: "pub", Vlan: 105, ASN: 65000, AmazonAddress: "203.0.113.1/30",
				CustomerAddress: "203.0.113.2/30", RouteFilters: []string{"203.0.113.0/24"}}
		}, "", func(t *testing.T, v *VirtualInterface) {
			if v.State != StateVerifying || v.AmazonSideASN != publicASN || v.RouteFilters[0] != "203.0.113.0/24" {
				t.Errorf("%+v", v)
			}
		}},
		{"no gateway", func(c, _, _ string) vif { return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000} },
			"Exactly one of virtualGatewayId and directConnectGatewayId", nil},
		{"two gateways", func(c, g, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, GatewayID: g, VGWID: "vgw-1"}
		}, "Exactly one of", nil},
		{"a virtual private gateway vpcemu does not have", func(c, _, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, VGWID: "vgw-0123456789abcdef0"}
		}, "The VirtualGateway vgw-0123456789abcdef0 does not exist.", nil},
		{"unknown gateway", func(c, _, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, GatewayID: "00000000-0000-4000-8000-000000000000"}
		}, "Direct Connect Gateway 00000000-0000-4000-8000-000000000000 does not exist.", nil},
		{"transit without a gateway", func(c, _, _ string) vif { return vif{Type: Transit, ConnectionID: c, Name: "t", Vlan: 1, ASN: 65000} },
			"directConnectGatewayId must be set", nil},
		{"transit to a VGW", func(c, _, _ string) vif {
			return vif{Type: Transit, ConnectionID: c, Name: "t", Vlan: 1, ASN: 65000, VGWID: "vgw-1"}
		}, "not to virtual private gateway vgw-1", nil},
		{"transit on a private gateway", func(c, g, _ string) vif {
			return vif{Type: Transit, ConnectionID: c, Name: "t", Vlan: 1, ASN: 65000, GatewayID: g}
		}, "has private virtual interfaces", nil},
		{"private on a transit gateway", func(c, _, tg string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "t", Vlan: 1, ASN: 65000, GatewayID: tg}
		}, "has transit virtual interfaces", nil},
		{"public on a gateway", func(c, g, _ string) vif {
			return vif{Type: Public, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, GatewayID: g, RouteFilters: []string{"203.0.113.0/24"},
				AmazonAddress: "203.0.113.1/30", CustomerAddress: "203.0.113.2/30"}
		}, "not attached to a gateway", nil},
		{"public without prefixes", func(c, _, _ string) vif {
			return vif{Type: Public, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, AmazonAddress: "203.0.113.1/30", CustomerAddress: "203.0.113.2/30"}
		}, "at least one route filter prefix", nil},
		{"public without addresses", func(c, _, _ string) vif {
			return vif{Type: Public, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, RouteFilters: []string{"203.0.113.0/24"}}
		}, "needs the public IPv4 addresses", nil},
		{"route filter not a CIDR", func(c, _, _ string) vif {
			return vif{Type: Public, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, RouteFilters: []string{"203.0.113.0"}}
		}, "Route filter prefix 203.0.113.0 is not a valid CIDR", nil},
		{"VLAN in use", func(c, g, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 100, ASN: 65000, GatewayID: g}
		},
			"VLAN 100 is already in use", nil},
		{"VLAN out of range", func(c, g, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 4095, ASN: 65000, GatewayID: g}
		}, "VLAN 4095 is not valid", nil},
		{"ASN out of range", func(c, g, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 1, ASN: 0, GatewayID: g}
		},
			"ASN 0 is not valid", nil},
		{"private MTU 8500", func(c, g, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, MTU: 8500, GatewayID: g}
		}, "MTU 8500 is not valid for a private virtual interface", nil},
		{"transit MTU 9001", func(c, _, tg string) vif {
			return vif{Type: Transit, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, MTU: 9001, GatewayID: tg}
		}, "MTU 9001 is not valid for a transit", nil},
		{"one address", func(c, g, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, GatewayID: g, AmazonAddress: "10.0.0.1/30"}
		}, "must both be set", nil},
		{"addresses of two links", func(c, g, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, GatewayID: g, AmazonAddress: "10.0.0.1/30", CustomerAddress: "10.0.0.5/30"}
		}, "the same /30 or /31", nil},
		{"addresses without a length", func(c, g, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, GatewayID: g, AmazonAddress: "10.0.0.1", CustomerAddress: "10.0.0.2"}
		}, "with their prefix length", nil},
		{"IPv6 addresses given", func(c, g, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, GatewayID: g, AddressFamily: ipv6, AmazonAddress: "2001:db8::1/125", CustomerAddress: "2001:db8::2/125"}
		}, "assigned by Amazon", nil},
		{"unknown address family", func(c, g, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, GatewayID: g, AddressFamily: "ipx"}
		}, "Address family ipx is not valid", nil},
		{"no name", func(c, g, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Vlan: 1, ASN: 65000, GatewayID: g}
		},
			"virtualInterfaceName must be set", nil},
		{"SiteLink on a public VIF", func(c, _, _ string) vif {
			return vif{Type: Public, ConnectionID: c, Name: "p", Vlan: 1, ASN: 65000, SiteLink: true, RouteFilters: []string{"203.0.113.0/24"}}
		}, "SiteLink is not supported", nil},
		{"unknown connection", func(_, g, _ string) vif {
			return vif{Type: Private, ConnectionID: "dxcon-ffffffff", Name: "p", Vlan: 1, ASN: 65000, GatewayID: g}
		}, "Could not find Connection with ID dxcon-ffffffff", nil},
		{"hosted for oneself", func(c, _, _ string) vif {
			return vif{Type: Private, ConnectionID: c, Owner: alice.Account, Name: "p", Vlan: 1, ASN: 65000}
		}, "Cannot allocate VirtualInterface for the connection owner.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newService(t, 0)
			c := dedicated(t, s, alice)
			g := gateway(t, s, alice)
			tg := must[*Gateway](t)(s.CreateGateway(ctx, alice, NewGateway{Name: "tgw side", AmazonSideASN: 64513}))
			privateVIF(t, s, alice, c.ID, g.ID, 100)
			must[*VirtualInterface](t)(s.CreateVirtualInterface(ctx, alice, NewVirtualInterface{Type: Transit, ConnectionID: c.ID, Name: "t0", Vlan: 200, ASN: 65000, GatewayID: tg.ID}))
			v, err := s.CreateVirtualInterface(ctx, alice, tt.in(c.ID, g.ID, tg.ID))
			if tt.msg != "" {
				if err == nil || !strings.Contains(err.Error(), tt.msg) {
					t.Fatalf("got %v, want %q", err, tt.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(v.ID, "dxvif-") || v.ARN() != "arn:aws:directconnect:us-east-1:111111111111:dxvif/"+v.ID || v.Owner != alice.Account {
				t.Errorf("created %+v", v)
			}
			tt.want(t, v)
			if got := vifState(t, s, alice, v.ID); got != StateAvailable {
				t.Errorf("then %s", got)
			}
		})
	}
}

// TestPeerAddresses: assigned /30s do not collide on one connection, and
// start over on another.
func TestPeerAddresses(t *testing.T) {
	s, _ := newService(t, 0)
	c1, c2 := dedicated(t, s, alice), dedicated(t, s, alice)
	g := gateway(t, s, alice)
	want := []struct{ conn, amazon string }{
		{c1.ID, "169.254.0.1/30"}, {c1.ID, "169.254.0.5/30"}, {c2.ID, "169.254.0.1/30"}, {c1.ID, "169.254.0.9/30"},
	}
	for i, w := range want {
		v := privateVIF(t, s, alice, w.conn, g.ID, i+1)
		if v.AmazonAddress != w.amazon {
			t.Errorf("VIF %d on %s: %s, want %s", i, w.conn, v.AmazonAddress, w.amazon)
		}
	}
}

// TestVirtualInterfaceState: a VIF comes up after the delay, is down while
// its connection is not up, and SetState holds its BGP session.
func TestVirtualInterfaceState(t *testing.T) {
	s, clk := newService(t, time.Minute)
	c := dedicated(t, s, alice)
	g := gateway(t, s, alice)
	v := privateVIF(t, s, alice, c.ID, g.ID, 1)
	steps := []struct {
		do   func()
		want string
	}{
		{func() {}, StateDown}, // the connection is still requested
		{func() { clk.Add(time.Minute) }, StateAvailable},
		{func() { must[string](t)(s.SetState(ctx, alice, c.ID, StateDown)) }, StateDown},
		{func() { must[string](t)(s.SetState(ctx, alice, c.ID, StateAvailable)) }, StateAvailable},
		{func() { must[string](t)(s.SetState(ctx, alice, v.ID, StateDown)) }, StateDown},
		{func() { must[string](t)(s.SetState(ctx, alice, v.ID, StatePending)) }, StatePending},
		{func() { must[string](t)(s.SetState(ctx, alice, v.ID, StateAvailable)) }, StateAvailable},
	}
	for i, st := range steps {
		st.do()
		vs := must[[]*VirtualInterface](t)(s.DescribeVirtualInterfaces(ctx, alice, c.ID, ""))
		if len(vs) != 1 || vs[0].State != st.want {
			t.Fatalf("step %d: %+v, want %s", i, vs, st.want)
		}
		if status := vs[0].Peers[0].Status; (status == "up") != (st.want == StateAvailable) {
			t.Errorf("step %d: BGP %s with the VIF %s", i, status, st.want)
		}
	}
}

// TestHostedVirtualInterface: the connection's owner allocates a VIF to
// another account, which confirms it onto its own gateway; both see it.
func TestHostedVirtualInterface(t *testing.T) {
	s, _ := newService(t, 0)
	c := dedicated(t, s, alice)
	bobs := gateway(t, s, bob)
	alloc := func(vlan int) *VirtualInterface {
		return must[*VirtualInterface](t)(s.CreateVirtualInterface(ctx, alice, NewVirtualInterface{
			Type: Private, ConnectionID: c.ID, Owner: bob.Account, Name: "h", Vlan: vlan, ASN: 65001}))
	}
	v := alloc(10)
	if v.Owner != bob.Account || v.ConnectionOwner != alice.Account || v.State != StateConfirming || v.GatewayID != "" {
		t.Fatalf("allocated %+v", v)
	}
	for _, who := range []cloud.Caller{alice, bob} {
		if got := vifState(t, s, who, v.ID); got != StateConfirming {
			t.Errorf("%s sees %s", who.Account, got)
		}
	}
	_, err := s.ConfirmVirtualInterface(ctx, alice, Private, v.ID, Confirmation{GatewayID: bobs.ID})
	refused(t, err, cloud.NotFound, "does not exist")
	_, err = s.ConfirmVirtualInterface(ctx, bob, Transit, v.ID, Confirmation{GatewayID: bobs.ID})
	refused(t, err, cloud.InvalidParameter, "is a private virtual interface, not a transit one")
	_, err = s.ConfirmVirtualInterface(ctx, bob, Private, v.ID, Confirmation{})
	refused(t, err, cloud.InvalidParameter, "Exactly one of")
	_, err = s.CreateBGPPeer(ctx, bob, v.ID, NewBGPPeer{ASN: 65001, AddressFamily: ipv6})
	refused(t, err, cloud.InvalidParameter, "is in the confirming state")
	if got := must[string](t)(s.ConfirmVirtualInterface(ctx, bob, Private, v.ID, Confirmation{GatewayID: bobs.ID})); got != StatePending {
		t.Errorf("confirmed: %s", got)
	}
	_, err = s.ConfirmVirtualInterface(ctx, bob, Private, v.ID, Confirmation{GatewayID: bobs.ID})
	refused(t, err, cloud.InvalidParameter, "is not in the confirming state (it is available)")
	if got := vifState(t, s, alice, v.ID); got != StateAvailable {
		t.Errorf("alice sees %s", got)
	}
	att := must[[]Attachment](t)(s.DescribeAttachments(ctx, bob, bobs.ID, ""))
	if len(att) != 1 || att[0].VirtualInterfaceID != v.ID || att[0].VIFOwner != bob.Account || att[0].Type != Private || att[0].State != "attached" {
		t.Errorf("attachments %+v", att)
	}
	name := "mine"
	_, err = s.UpdateVirtualInterface(ctx, alice, v.ID, VirtualInterfaceUpdate{Name: &name})
	refused(t, err, cloud.NotFound, "does not exist")

	// The owner deleting one it has not confirmed rejects it; the
	// connection's owner then deletes it.
	r := alloc(11)
	if got := must[string](t)(s.DeleteVirtualInterface(ctx, bob, r.ID)); got != StateRejected {
		t.Errorf("rejected: %s", got)
	}
	if got := vifState(t, s, alice, r.ID); got != StateRejected {
		t.Errorf("alice sees %s", got)
	}
	if got := must[string](t)(s.DeleteVirtualInterface(ctx, alice, r.ID)); got != StateDeleting {
		t.Errorf("deleted: %s", got)
	}
	if vs := must[[]*VirtualInterface](t)(s.DescribeVirtualInterfaces(ctx, alice, "", r.ID)); len(vs) != 0 {
		t.Errorf("still listed: %+v", vs)
	}
	// A third account sees none of it.
	carol := cloud.Caller{Account: "333333333333", Region: "us-east-1"}
	if vs := must[[]*VirtualInterface](t)(s.DescribeVirtualInterfaces(ctx, carol, "", v.ID)); len(vs) != 0 {
		t.Errorf("carol sees %+v", vs)
	}
	_, err = s.DeleteVirtualInterface(ctx, carol, v.ID)
	refused(t, err, cloud.NotFound, "Virtual interface "+v.ID+" does not exist.")
}

// TestHostedConnectionVirtualInterface: a VIF on a hosted connection takes
// the VLAN the partner gave it.
func TestHostedConnectionVirtualInterface(t *testing.T) {
	s, _ := newService(t, 0)
	parent := dedicated(t, s, alice)
	h := must[*Connection](t)(s.AllocateHostedConnection(ctx, alice, NewHostedConnection{Parent: parent.ID, Owner: bob.Account, Name: "h", Bandwidth: "1Gbps", Vlan: 42}))
	g := gateway(t, s, bob)
	_, err := s.CreateVirtualInterface(ctx, bob, NewVirtualInterface{Type: Private, ConnectionID: h.ID, Name: "v", Vlan: 42, ASN: 65000, GatewayID: g.ID})
	refused(t, err, cloud.InvalidParameter, "is in the ordering state")
	must[string](t)(s.ConfirmConnection(ctx, bob, h.ID))
	_, err = s.CreateVirtualInterface(ctx, bob, NewVirtualInterface{Type: Private, ConnectionID: h.ID, Name: "v", Vlan: 43, ASN: 65000, GatewayID: g.ID})
	refused(t, err, cloud.InvalidParameter, "VLAN 43 does not match VLAN 42 of hosted connection")
	v := privateVIF(t, s, bob, h.ID, g.ID, 42)
	if got := vifState(t, s, bob, v.ID); got != StateAvailable {
		t.Errorf("VIF %s", got)
	}
	must[string](t)(s.SetState(ctx, alice, parent.ID, StateDown))
	if got := vifState(t, s, bob, v.ID); got != StateDown {
		t.Errorf("the partner's connection down: VIF %s", got)
	}
}

func TestUpdateVirtualInterface(t *testing.T) {
	s, _ := newService(t, 0)
	c := dedicated(t, s, alice)
	g := gateway(t, s, alice)
	v := privateVIF(t, s, alice, c.ID, g.ID, 1)
	name, jumbo, bad, on := "renamed", 9001, 8500, true
	u := must[*VirtualInterface](t)(s.UpdateVirtualInterface(ctx, alice, v.ID, VirtualInterfaceUpdate{Name: &name, MTU: &jumbo, SiteLink: &on}))
	if u.Name != name || u.MTU != 9001 || !u.SiteLink || u.State != StateAvailable {
		t.Errorf("updated %+v", u)
	}
	_, err := s.UpdateVirtualInterface(ctx, alice, v.ID, VirtualInterfaceUpdate{MTU: &bad})
	refused(t, err, cloud.InvalidParameter, "MTU 8500 is not valid")
	pub := must[*VirtualInterface](t)(s.CreateVirtualInterface(ctx, alice, NewVirtualInterface{Type: Public, ConnectionID: c.ID, Name: "p", Vlan: 2, ASN: 65000,
		AmazonAddress: "203.0.113.1/31", CustomerAddress: "203.0.113.0/31", RouteFilters: []string{"203.0.113.0/24"}}))
	_, err = s.UpdateVirtualInterface(ctx, alice, pub.ID, VirtualInterfaceUpdate{SiteLink: &on})
	refused(t, err, cloud.InvalidParameter, "SiteLink is not supported")
	_, err = s.DescribeAttachments(ctx, alice, "", "")
	refused(t, err, cloud.InvalidParameter, "must be set")
	if att := must[[]Attachment](t)(s.DescribeAttachments(ctx, alice, "", pub.ID)); len(att) != 0 {
		t.Errorf("a public VIF attached: %+v", att)
	}
	if att := must[[]Attachment](t)(s.DescribeAttachments(ctx, alice, "", v.ID)); len(att) != 1 || att[0].GatewayID != g.ID {
		t.Errorf("attachments %+v", att)
	}
	if att := must[[]Attachment](t)(s.DescribeAttachments(ctx, alice, "", "dxvif-ffffffff")); len(att) != 0 {
		t.Errorf("an unknown VIF's attachments %+v", att)
	}
	if all := must[[]*VirtualInterface](t)(s.DescribeVirtualInterfaces(ctx, alice, "", "")); len(all) != 2 {
		t.Errorf("all VIFs %+v", all)
	}
}
