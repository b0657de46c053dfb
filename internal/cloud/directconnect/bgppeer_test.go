package directconnect

import (
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

func TestBGPPeers(t *testing.T) {
	s, clk := newService(t, time.Minute)
	c := dedicated(t, s, alice)
	g := gateway(t, s, alice)
	v := privateVIF(t, s, alice, c.ID, g.ID, 1)
	clk.Add(time.Minute)
	first := v.Peers[0]

	for _, tt := range []struct {
		in  NewBGPPeer
		msg string
	}{
		{NewBGPPeer{ASN: 65000}, "cannot be in the same address family"},
		{NewBGPPeer{ASN: 65000, AddressFamily: ipv4, AmazonAddress: "10.0.0.1/30", CustomerAddress: "10.0.0.2/30"}, "same address family"},
		{NewBGPPeer{ASN: 0, AddressFamily: ipv6}, "ASN 0 is not valid"},
		{NewBGPPeer{ASN: 65000, AddressFamily: ipv6, CustomerAddress: "2001:db8::2/125"}, "assigned by Amazon"},
	} {
		_, err := s.CreateBGPPeer(ctx, alice, v.ID, tt.in)
		refused(t, err, cloud.InvalidParameter, tt.msg)
	}
	_, err := s.CreateBGPPeer(ctx, bob, v.ID, NewBGPPeer{ASN: 65000, AddressFamily: ipv6})
	refused(t, err, cloud.NotFound, "does not exist")

	got := must[*VirtualInterface](t)(s.CreateBGPPeer(ctx, alice, v.ID, NewBGPPeer{ASN: 65010, AddressFamily: ipv6, AuthKey: "k"}))
	if len(got.Peers) != 2 || got.Peers[1].State != StatePending || got.Peers[1].AddressFamily != ipv6 || got.Peers[1].AuthKey != "k" ||
		got.Peers[1].AmazonAddress != "2001:db8:dc::1/125" || got.Peers[0].Status != "up" {
		t.Fatalf("created %+v", got.Peers)
	}
	second := got.Peers[1]
	peers := func() []BGPPeer {
		vs := must[[]*VirtualInterface](t)(s.DescribeVirtualInterfaces(ctx, alice, "", v.ID))
		return vs[0].Peers
	}
	if p := peers(); p[1].State != StatePending || p[1].Status != "down" {
		t.Errorf("before the delay: %+v", p[1])
	}
	clk.Add(time.Minute)
	if p := peers(); p[1].State != StateAvailable || p[1].Status != "up" {
		t.Errorf("after the delay: %+v", p[1])
	}

	_, err = s.DeleteBGPPeer(ctx, alice, v.ID, PeerRef{ID: "dxpeer-ffffffff"})
	refused(t, err, cloud.InvalidParameter, "The BGP peer does not exist")
	// By ASN and customer address, as Terraform names it.
	del := must[*VirtualInterface](t)(s.DeleteBGPPeer(ctx, alice, v.ID, PeerRef{ASN: first.ASN, CustomerAddress: first.CustomerAddress}))
	if len(del.Peers) != 2 || del.Peers[0].State != StateDeleting {
		t.Errorf("deleting %+v", del.Peers)
	}
	if p := peers(); len(p) != 1 || p[0].ID != second.ID {
		t.Errorf("left %+v", p)
	}
	_, err = s.DeleteBGPPeer(ctx, alice, v.ID, PeerRef{ID: second.ID})
	refused(t, err, cloud.InvalidParameter, "The last BGP Peer on a Virtual Interface cannot be deleted")
	// The family freed is taken again.
	again := must[*VirtualInterface](t)(s.CreateBGPPeer(ctx, alice, v.ID, NewBGPPeer{ASN: 65020}))
	if again.Peers[1].AmazonAddress != "169.254.0.1/30" {
		t.Errorf("reassigned %+v", again.Peers[1])
	}
}

func TestFreeLinkExhausted(t *testing.T) {
	s, _ := newService(t, 0)
	c := dedicated(t, s, alice)
	v := &VirtualInterface{ConnectionID: c.ID}
	for n := 0; n < 1<<14; n++ {
		a := linkLocal.Addr().As4()
		a[2], a[3] = byte(n>>6), byte(n<<2|1)
		v.Peers = append(v.Peers, BGPPeer{AmazonAddress: netipFrom4(a) + "/30"})
	}
	err := s.View(ctx, alice, func(t *cloud.Txn) error {
		_, _, err := freeLink(t, v)
		return err
	})
	refused(t, err, cloud.InvalidParameter, "No free peer addresses are left")
}
