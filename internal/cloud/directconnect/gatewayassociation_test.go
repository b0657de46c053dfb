package directconnect

import (
	"slices"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

func TestAdvertised(t *testing.T) {
	tests := []struct {
		allowed, vpc, want []string
	}{
		{[]string{"10.0.0.0/16"}, []string{"10.0.0.0/16"}, []string{"10.0.0.0/16"}},
		{[]string{"10.0.0.0/15"}, []string{"10.0.0.0/16"}, []string{"10.0.0.0/16"}}, // wider: advertised
		{[]string{"10.0.0.0/24"}, []string{"10.0.0.0/16"}, nil},                     // narrower: nothing
		{[]string{"22.0.0.0/24"}, []string{"10.0.0.0/16"}, nil},
		{[]string{"10.0.0.0/8"}, []string{"10.0.0.0/16", "10.1.0.0/16", "192.168.0.0/24"}, []string{"10.0.0.0/16", "10.1.0.0/16"}},
		{nil, []string{"10.0.0.0/16"}, nil},
	}
	for _, tt := range tests {
		if got := Advertised(tt.allowed, tt.vpc); !slices.Equal(got, tt.want) {
			t.Errorf("Advertised(%v, %v) = %v, want %v", tt.allowed, tt.vpc, got, tt.want)
		}
	}
}

func TestGatewayAssociation(t *testing.T) {
	s, _ := newService(t, 0)
	g := gateway(t, s, alice)
	vgw := attachedVGW(t, s, alice, "10.0.0.0/16", "10.1.0.0/16")
	for _, tt := range []struct {
		gw, vgw  string
		prefixes []string
		r        cloud.Reason
		msg      string
	}{
		{g.ID, "tgw-0123456789abcdef0", nil, cloud.Unsupported, "vpcemu does not model AWS Transit Gateway yet"},
		{g.ID, "vgw-0123456789abcdef0", nil, cloud.NotFound, "The VirtualGateway vgw-0123456789abcdef0 does not exist."},
		{g.ID, "", nil, cloud.InvalidParameter, "gatewayId or virtualGatewayId must be set"},
		{g.ID, vgw, []string{"10.0.0.0"}, cloud.InvalidParameter, "Allowed prefix 10.0.0.0 is not a valid CIDR"},
		{g.ID, vgw, []string{"10.0.0.1/16"}, cloud.InvalidParameter, "its host bits are set (10.0.0.0/16)"},
		{"00000000-0000-4000-8000-000000000000", vgw, nil, cloud.NotFound, "does not exist"},
	} {
		_, err := s.CreateGatewayAssociation(ctx, alice, tt.gw, tt.vgw, tt.prefixes)
		refused(t, err, tt.r, tt.msg)
	}
	// Bob's gateway needs a proposal.
	bobs := attachedVGW(t, s, bob, "10.9.0.0/16")
	_, err := s.CreateGatewayAssociation(ctx, alice, g.ID, bobs, nil)
	refused(t, err, cloud.InvalidParameter, "The VirtualGateway "+bobs+" does not exist.")
	// A gateway not attached to a VPC.
	loose := must[*network.VPNGateway](t)(network.New(s.Cloud).CreateVPNGateway(ctx, alice, network.NewVPNGateway{Type: network.VPNGatewayType}))
	_, err = s.CreateGatewayAssociation(ctx, alice, g.ID, loose.ID, nil)
	refused(t, err, cloud.InvalidParameter, "is not attached to a VPC")

	a := must[*GatewayAssociation](t)(s.CreateGatewayAssociation(ctx, alice, g.ID, vgw, nil))
	if a.State != "associating" || !uuidShaped(a.ID) || a.AssociatedType != VirtualPrivateGateway || a.AssociatedOwner != alice.Account ||
		a.AssociatedRegion != "us-east-1" || !slices.Equal(a.AllowedPrefixes, []string{"10.0.0.0/16", "10.1.0.0/16"}) {
		t.Fatalf("created %+v", a)
	}
	_, err = s.CreateGatewayAssociation(ctx, alice, g.ID, vgw, nil)
	refused(t, err, cloud.InvalidParameter, "is already associated with Direct Connect Gateway "+g.ID)
	other := gateway(t, s, alice)
	_, err = s.CreateGatewayAssociation(ctx, alice, other.ID, vgw, nil)
	refused(t, err, cloud.InvalidParameter, "is already associated with Direct Connect Gateway "+g.ID)

	for _, q := range []AssociationQuery{{AssociationID: a.ID}, {GatewayID: g.ID}, {AssociatedID: vgw}, {}, {GatewayID: g.ID, AssociatedID: vgw}} {
		as := must[[]*GatewayAssociation](t)(s.DescribeGatewayAssociations(ctx, aliceWest, q))
		if len(as) != 1 || as[0].ID != a.ID || as[0].State != "associated" {
			t.Errorf("%+v: %+v", q, as)
		}
	}
	for _, q := range []AssociationQuery{{AssociationID: "00000000-0000-4000-8000-000000000000"}, {GatewayID: other.ID}, {GatewayID: g.ID, AssociatedID: bobs}} {
		if as := must[[]*GatewayAssociation](t)(s.DescribeGatewayAssociations(ctx, alice, q)); len(as) != 0 {
			t.Errorf("%+v: %+v", q, as)
		}
	}
	if as := must[[]*GatewayAssociation](t)(s.DescribeGatewayAssociations(ctx, bob, AssociationQuery{AssociationID: a.ID})); len(as) != 0 {
		t.Errorf("bob sees %+v", as)
	}
	_, err = s.DescribeGatewayAssociations(ctx, alice, AssociationQuery{AssociationID: "ga-1"})
	refused(t, err, cloud.InvalidParameter, "Association ID has an invalid format.")

	// A transit VIF cannot join a gateway associated with a VGW.
	c := dedicated(t, s, alice)
	_, err = s.CreateVirtualInterface(ctx, alice, NewVirtualInterface{Type: Transit, ConnectionID: c.ID, Name: "t", Vlan: 1, ASN: 65000, GatewayID: g.ID})
	refused(t, err, cloud.InvalidParameter, "is associated with virtual private gateway "+vgw)

	u := must[*GatewayAssociation](t)(s.UpdateGatewayAssociation(ctx, alice, a.ID, []string{"10.0.0.0/8"}, []string{"10.1.0.0/16"}))
	if u.State != "updating" || !slices.Equal(u.AllowedPrefixes, []string{"10.0.0.0/16", "10.0.0.0/8"}) {
		t.Errorf("updated %+v", u)
	}
	_, err = s.UpdateGatewayAssociation(ctx, alice, a.ID, []string{"x"}, nil)
	refused(t, err, cloud.InvalidParameter, "Allowed prefix x is not a valid CIDR")
	_, err = s.UpdateGatewayAssociation(ctx, bob, a.ID, nil, nil)
	refused(t, err, cloud.NotFound, "Direct Connect Gateway Association "+a.ID+" does not exist.")
	_, err = s.DeleteGateway(ctx, alice, g.ID)
	refused(t, err, cloud.InvalidParameter, "has associations ("+a.ID+")")

	for _, tt := range []struct {
		id, gw, vgw string
		r           cloud.Reason
		msg         string
	}{
		{"", "", "", cloud.InvalidParameter, "must be set"},
		{"bad", "", "", cloud.InvalidParameter, "Association ID has an invalid format."},
		{"", g.ID, bobs, cloud.InvalidParameter, "does not exist"},
	} {
		_, err := s.DeleteGatewayAssociation(ctx, alice, tt.id, tt.gw, tt.vgw)
		refused(t, err, tt.r, tt.msg)
	}
	_, err = s.DeleteGatewayAssociation(ctx, bob, a.ID, "", "")
	refused(t, err, cloud.NotFound, "does not exist")
	d := must[*GatewayAssociation](t)(s.DeleteGatewayAssociation(ctx, alice, "", g.ID, vgw))
	if d.State != "disassociating" || d.ID != a.ID {
		t.Errorf("deleted %+v", d)
	}
	_, err = s.DeleteGatewayAssociation(ctx, alice, a.ID, "", "")
	refused(t, err, cloud.NotFound, "Direct Connect Gateway Association "+a.ID+" does not exist.")
	must[*Gateway](t)(s.DeleteGateway(ctx, alice, g.ID))
}

func TestAssociationLimit(t *testing.T) {
	s, _ := newService(t, 0)
	g := gateway(t, s, alice)
	for i := range maxVGWAssociations + 1 {
		vgw := attachedVGW(t, s, alice, "10.0.0.0/16")
		_, err := s.CreateGatewayAssociation(ctx, alice, g.ID, vgw, nil)
		if i < maxVGWAssociations && err != nil {
			t.Fatal(i, err)
		}
		if i == maxVGWAssociations {
			refused(t, err, cloud.InvalidParameter, "limit of 20 virtual private gateway associations")
		}
	}
}

// TestPrivateVIFOnVGW: a private VIF attached straight to a virtual private
// gateway takes its ASN; another account's gateway is not found.
func TestPrivateVIFOnVGW(t *testing.T) {
	s, _ := newService(t, 0)
	c := dedicated(t, s, alice)
	vgw := attachedVGW(t, s, alice, "10.0.0.0/16")
	v := must[*VirtualInterface](t)(s.CreateVirtualInterface(ctx, alice, NewVirtualInterface{Type: Private, ConnectionID: c.ID, Name: "v", Vlan: 1, ASN: 65000, VGWID: vgw}))
	if v.VGWID != vgw || v.AmazonSideASN != 65100 || v.GatewayID != "" {
		t.Errorf("VIF %+v", v)
	}
	bobs := attachedVGW(t, s, bob, "10.9.0.0/16")
	_, err := s.CreateVirtualInterface(ctx, alice, NewVirtualInterface{Type: Private, ConnectionID: c.ID, Name: "v", Vlan: 2, ASN: 65000, VGWID: bobs})
	refused(t, err, cloud.InvalidParameter, "The VirtualGateway "+bobs+" does not exist.")
	gs := must[[]VirtualGateway](t)(s.DescribeVirtualGateways(ctx, alice))
	if len(gs) != 1 || gs[0].ID != vgw || gs[0].State != StateAvailable {
		t.Errorf("virtual gateways %+v", gs)
	}
}
