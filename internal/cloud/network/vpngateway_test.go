package network

import (
	"slices"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// TestDeleteVPNGateway: a gateway attached to a VPC is refused as EC2
// refuses it and stays as it was, attachment and all; a gateway never
// attached, or detached, goes; another account's or an unknown one is not
// found.
func TestDeleteVPNGateway(t *testing.T) {
	for _, tc := range []struct {
		name   string
		setup  func(f fixture, vgw string) string // the id to delete
		who    cloud.Caller
		reason cloud.Reason
		msg    string
	}{
		{"attached", func(f fixture, vgw string) string { f.attachVGW(vgw); return vgw }, alice, cloud.IncorrectState, "The VPN gateway is in use."},
		{"never attached", func(f fixture, vgw string) string { return vgw }, alice, 0, ""},
		{"detached", func(f fixture, vgw string) string {
			f.attachVGW(vgw)
			if err := f.c.DetachVPNGateway(f.ctx, f.who, vgw, f.vpc.ID); err != nil {
				f.t.Fatal(err)
			}
			return vgw
		}, alice, 0, ""},
		{"another account's", func(f fixture, vgw string) string { return vgw }, bob, cloud.NotFound, "does not exist"},
		{"unknown", func(f fixture, vgw string) string { return "vgw-0123456789abcdef0" }, alice, cloud.NotFound, "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "")
			g, err := f.c.CreateVPNGateway(f.ctx, f.who, NewVPNGateway{Type: VPNGatewayType})
			if err != nil {
				t.Fatal(err)
			}
			id := tc.setup(f, g.ID)
			before := readAs[VPNGateway](f, g.ID)
			err = f.c.DeleteVPNGateway(f.ctx, tc.who, id)
			if tc.reason == 0 {
				if err != nil {
					t.Fatal(err)
				}
				f.read(func(t *cloud.Txn) error {
					if _, err := cloud.GetIn[VPNGateway](t, g.ID); !ErrIsNotFound(err) {
						f.t.Errorf("deleted gateway reads %v", err)
					}
					return nil
				})
				return
			}
			wantReason(t, err, tc.reason, cloud.KindVPNGateway, tc.msg)
			if after := readAs[VPNGateway](f, g.ID); !slices.Equal(after.Attachments, before.Attachments) || after.ID != before.ID {
				t.Errorf("refused delete changed the gateway: %+v, was %+v", after, before)
			}
		})
	}
}

// attachVGW attaches a gateway to the fixture's VPC.
func (f fixture) attachVGW(id string) {
	f.t.Helper()
	if _, err := f.c.AttachVPNGateway(f.ctx, f.who, id, f.vpc.ID); err != nil {
		f.t.Fatal(err)
	}
}
