package directconnect

import (
	"slices"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// TestLearnedPrefixes: a virtual private gateway learns what on premises
// advertises over the private VIFs that are up, attached to it or to a
// Direct Connect gateway associated with it; nothing once the VIF, its
// connection or the association goes.
func TestLearnedPrefixes(t *testing.T) {
	s, _ := newService(t, 0)
	conn := dedicated(t, s, alice)
	vgw := attachedVGW(t, s, alice, "10.0.0.0/16")
	gw := gateway(t, s, alice)
	assoc := must[*GatewayAssociation](t)(s.CreateGatewayAssociation(ctx, alice, gw.ID, vgw, nil))
	viaGW := privateVIF(t, s, alice, conn.ID, gw.ID, 1)
	direct := must[*VirtualInterface](t)(s.CreateVirtualInterface(ctx, alice, NewVirtualInterface{
		Type: Private, ConnectionID: conn.ID, Name: "direct", Vlan: 2, ASN: 65001, VGWID: vgw}))

	learned := func() []string {
		t.Helper()
		var out []string
		err := s.View(ctx, alice, func(tx *cloud.Txn) error {
			var err error
			out, err = network.LearnedPrefixes(tx.StoreTx, tx.Now, vgw)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	steps := []struct {
		name string
		do   func() error
		want []string
	}{
		{"nothing advertised", func() error { return nil }, nil},
		{"over the gateway's VIF", func() error {
			_, err := s.Advertise(ctx, alice, viaGW.ID, []string{"192.168.0.0/16", "192.168.0.0/16"})
			return err
		}, []string{"192.168.0.0/16"}},
		{"and the direct one", func() error {
			_, err := s.Advertise(ctx, alice, direct.ID, []string{"172.16.0.0/12", "2001:db8:1::/48"})
			return err
		}, []string{"172.16.0.0/12", "192.168.0.0/16", "2001:db8:1::/48"}},
		{"the gateway's VIF down", func() error { _, err := s.SetState(ctx, alice, viaGW.ID, StateDown); return err },
			[]string{"172.16.0.0/12", "2001:db8:1::/48"}},
		{"back up", func() error { _, err := s.SetState(ctx, alice, viaGW.ID, StateAvailable); return err },
			[]string{"172.16.0.0/12", "192.168.0.0/16", "2001:db8:1::/48"}},
		{"the association gone", func() error { _, err := s.DeleteGatewayAssociation(ctx, alice, assoc.ID, "", ""); return err },
			[]string{"172.16.0.0/12", "2001:db8:1::/48"}},
		{"the connection down", func() error { _, err := s.SetState(ctx, alice, conn.ID, StateDown); return err }, nil},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := learned(); !slices.Equal(got, st.want) {
			t.Errorf("%s: learned %v, want %v", st.name, got, st.want)
		}
	}
}

// TestAdvertiseRefusals: only private VIFs of the caller's take prefixes,
// CIDRs, at most 100.
func TestAdvertiseRefusals(t *testing.T) {
	s, _ := newService(t, 0)
	conn := dedicated(t, s, alice)
	gw := gateway(t, s, alice)
	vif := privateVIF(t, s, alice, conn.ID, gw.ID, 1)
	public := must[*VirtualInterface](t)(s.CreateVirtualInterface(ctx, alice, NewVirtualInterface{
		Type: Public, ConnectionID: conn.ID, Name: "pub", Vlan: 3, ASN: 65000, AmazonAddress: "203.0.113.1/30", CustomerAddress: "203.0.113.2/30",
		RouteFilters: []string{"203.0.113.0/24"}}))
	many := make([]string, MaxAdvertised+1)
	for _, tt := range []struct {
		who      cloud.Caller
		id       string
		prefixes []string
		reason   cloud.Reason
		msg      string
	}{
		{alice, public.ID, []string{"10.0.0.0/8"}, cloud.InvalidParameter, "private virtual interfaces only"},
		{alice, vif.ID, []string{"10.0.0.1/8"}, cloud.InvalidParameter, "host bits are set"},
		{alice, vif.ID, []string{"ten"}, cloud.InvalidParameter, "not a valid CIDR"},
		{alice, vif.ID, many, cloud.InvalidParameter, "exceed the 100"},
		{bob, vif.ID, []string{"10.0.0.0/8"}, cloud.NotFound, "does not exist"},
	} {
		_, err := s.Advertise(ctx, tt.who, tt.id, tt.prefixes)
		refused(t, err, tt.reason, tt.msg)
	}
	v := must[*VirtualInterface](t)(s.Advertise(ctx, alice, vif.ID, []string{"10.1.0.0/16"}))
	if !slices.Equal(v.Advertised, []string{"10.1.0.0/16"}) || v.State != StateAvailable {
		t.Errorf("advertised %+v", v)
	}
	v = must[*VirtualInterface](t)(s.Advertise(ctx, alice, vif.ID, nil))
	if len(v.Advertised) != 0 {
		t.Errorf("withdrawn %+v", v.Advertised)
	}
}
