package network

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// peeringCloud is a cloud whose clock the test moves, with a VPC of alice
// (10.1.0.0/16) and two of bob (10.2.0.0/16, 10.3.0.0/16).
func peeringCloud(t *testing.T) (c *Service, now *time.Time, va string, vb []string) {
	t.Helper()
	clock := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	c = openCloud(t, cloud.WithClock(func() time.Time { return clock }))
	vpc := func(who cloud.Caller, block string) string {
		v, err := c.CreateVPC(context.Background(), who, CreateVPCInput{CIDRBlock: block})
		if err != nil {
			t.Fatal(err)
		}
		return v.ID
	}
	return c, &clock, vpc(alice, "10.1.0.0/16"), []string{vpc(bob, "10.2.0.0/16"), vpc(bob, "10.3.0.0/16")}
}

// TestPeeringListedForBothSides: List finds a connection for its requester
// and its accepter, each by id, by an index key and in the full listing,
// and for nobody else.
func TestPeeringListedForBothSides(t *testing.T) {
	c, _, va, vb := peeringCloud(t)
	ctx := context.Background()
	p, err := c.CreateVPCPeeringConnection(ctx, alice, CreatePeeringInput{VpcID: va, PeerVpcID: vb[0], PeerOwnerID: bob.Account})
	if err != nil {
		t.Fatal(err)
	}
	carol := cloud.Caller{Account: "333333333333", Region: "us-east-1"}
	for _, tc := range []struct {
		who  cloud.Caller
		sees bool
	}{{alice, true}, {bob, true}, {carol, false}, {cloud.Caller{Account: bob.Account, Region: "eu-west-1"}, false}} {
		for _, q := range []cloud.Query{{IDs: []string{p.ID}}, {Filters: []cloud.Filter{{Name: "requester-vpc-info.vpc-id", Values: []string{va}}}}, {}} {
			page, err := cloud.List[VPCPeeringConnection](ctx, c.Cloud, tc.who, q, nil)
			if len(q.IDs) > 0 && !tc.sees {
				wantReason(t, err, cloud.NotFound, cloud.KindVPCPeering, p.ID)
				continue
			}
			if err != nil || (len(page.Items) == 1) != tc.sees {
				t.Fatalf("%v %+v: %v %v", tc.who, q, page.Items, err)
			}
		}
	}
}

// TestClosedPeeringsPurged: once neither side sees a closed connection, the
// next request removes its record.
func TestClosedPeeringsPurged(t *testing.T) {
	c, now, va, vb := peeringCloud(t)
	ctx := context.Background()
	p, err := c.CreateVPCPeeringConnection(ctx, alice, CreatePeeringInput{VpcID: va, PeerVpcID: vb[0], PeerOwnerID: bob.Account})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.RejectVPCPeeringConnection(ctx, bob, p.ID); err != nil {
		t.Fatal(err)
	}
	stored := func() bool {
		found := false
		err := c.ReadScopes(ctx, nil, func(tx *cloud.Txn) error {
			_, err := tx.Get(cloud.KindVPCPeering, p.ID)
			found = err == nil
			if errors.Is(err, cloud.ErrNoRecord) {
				return nil
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return found
	}
	request := func() {
		if _, err := c.CreateVPCPeeringConnection(ctx, alice, CreatePeeringInput{VpcID: va, PeerVpcID: vb[1], PeerOwnerID: bob.Account}); err != nil {
			t.Fatal(err)
		}
	}
	*now = now.Add(peeringLingerLong - time.Second)
	request()
	if !stored() {
		t.Fatal("purged while the requester still sees it")
	}
	*now = now.Add(time.Second)
	request()
	if stored() {
		t.Fatal("kept after both sides stopped seeing it")
	}
}

// seen is the connection as who sees it now, or nil when who does not.
func seen(t *testing.T, c *Service, who cloud.Caller, id string) *VPCPeeringConnection {
	t.Helper()
	page, err := cloud.List[VPCPeeringConnection](context.Background(), c.Cloud, who, cloud.Query{}, func(p *VPCPeeringConnection) bool { return p.ID == id })
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) == 0 {
		return nil
	}
	return page.Items[0]
}

// TestPeeringLifecycle: a request shows initiating in its answer and
// pending to both sides, only the accepter's owner accepts it, and then
// both sides see the other's blocks; each side tags it for itself.
func TestPeeringLifecycle(t *testing.T) {
	c, _, va, vb := peeringCloud(t)
	ctx := context.Background()
	p, err := c.CreateVPCPeeringConnection(ctx, alice, CreatePeeringInput{VpcID: va, PeerVpcID: vb[0], PeerOwnerID: bob.Account,
		Tags: []cloud.TagSpec{{ResourceType: "vpc-peering-connection", Tags: []cloud.Tag{{Key: "side", Value: "alice"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != PeeringInitiating || p.StatusMessage != "Initiating Request to "+bob.Account || p.Requester.VpcID != va ||
		p.Accepter.OwnerID != bob.Account || p.Accepter.Region != alice.Region || len(p.Accepter.CIDRBlocks) != 1 || p.ExpirationTime.Sub(p.CreateTime) != 7*24*time.Hour {
		t.Fatalf("new request %+v", p)
	}
	for _, who := range []cloud.Caller{alice, bob} {
		got := seen(t, c, who, p.ID)
		if got == nil || got.Status != PeeringPending || got.StatusMessage != "Pending Acceptance by "+bob.Account || !got.ShowsExpiration() {
			t.Fatalf("%s sees %+v", who.Account, got)
		}
	}
	// Asking again returns the open request.
	again, err := c.CreateVPCPeeringConnection(ctx, alice, CreatePeeringInput{VpcID: va, PeerVpcID: vb[0], PeerOwnerID: bob.Account})
	if err != nil || again.ID != p.ID || again.Status != PeeringPending {
		t.Fatalf("second request %+v %v", again, err)
	}

	// Each side's tags are its own.
	if err := c.CreateTags(ctx, bob, []string{p.ID}, []cloud.Tag{{Key: "side", Value: "bob"}}); err != nil {
		t.Fatal(err)
	}
	if a, b := seen(t, c, alice, p.ID), seen(t, c, bob, p.ID); a.Tags["side"] != "alice" || b.Tags["side"] != "bob" {
		t.Fatalf("tags: alice sees %v, bob sees %v", a.Tags, b.Tags)
	}
	page, err := cloud.List[VPCPeeringConnection](ctx, c.Cloud, bob, cloud.Query{Filters: []cloud.Filter{{Name: "tag:side", Values: []string{"bob"}}}}, nil)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("bob's tag lookup: %+v %v", page.Items, err)
	}

	_, err = c.AcceptVPCPeeringConnection(ctx, alice, p.ID)
	wantReason(t, err, cloud.OperationNotPermitted, cloud.KindVPCPeering, "User "+alice.Account+" cannot accept peering "+p.ID)
	err = c.RejectVPCPeeringConnection(ctx, alice, p.ID)
	wantReason(t, err, cloud.OperationNotPermitted, cloud.KindVPCPeering, "User "+alice.Account+" cannot reject peering "+p.ID)
	err = c.DeleteVPCPeeringConnection(ctx, bob, p.ID)
	wantReason(t, err, cloud.OperationNotPermitted, cloud.KindVPCPeering, "User "+bob.Account+" cannot delete peering "+p.ID)
	_, err = c.ModifyVPCPeeringConnectionOptions(ctx, alice, ModifyPeeringOptionsInput{ID: p.ID, Requester: &PeeringOptions{AllowDNSResolution: ptrTo(true)}})
	wantReason(t, err, cloud.OperationNotPermitted, cloud.KindVPCPeering, "Peering "+p.ID+" is not active. Peering options can be added only to active peerings.")

	acc, err := c.AcceptVPCPeeringConnection(ctx, bob, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if acc.Status != PeeringActive || acc.StatusMessage != "Active" || !acc.Accepted || acc.ShowsExpiration() || acc.Tags["side"] != "bob" {
		t.Fatalf("accepted %+v", acc)
	}
	if side, ok := acc.Peer(va); !ok || side.VpcID != vb[0] || len(side.Blocks()) != 1 || side.Blocks()[0].String() != "10.2.0.0/16" {
		t.Fatalf("peer of %s: %+v", va, side)
	}
	if _, ok := acc.Peer("vpc-0123456789abcdef0"); ok {
		t.Fatal("a VPC the connection does not hold has a peer")
	}
	_, err = c.AcceptVPCPeeringConnection(ctx, bob, p.ID)
	wantReason(t, err, cloud.IncorrectState, cloud.KindVPCPeering, "Invalid state transition for "+p.ID+", attempted to transition from active to active")

	// An active connection holds both VPCs.
	wantReason(t, c.DeleteVPC(ctx, alice, va), cloud.DependencyViolation, cloud.KindVPC, "")
	wantReason(t, c.DeleteVPC(ctx, bob, vb[0]), cloud.DependencyViolation, cloud.KindVPC, "")

	// Each owner sets its side's options, from its side's region.
	yes := ptrTo(true)
	for _, tc := range []struct {
		name   string
		who    cloud.Caller
		in     ModifyPeeringOptionsInput
		reason cloud.Reason
		msg    string
	}{
		{"bob on alice's side", bob, ModifyPeeringOptionsInput{ID: p.ID, Requester: &PeeringOptions{AllowDNSResolution: yes}}, cloud.OperationNotPermitted, "User " + bob.Account + " does not have permission to modify the requester side peering options"},
		{"alice on bob's side", alice, ModifyPeeringOptionsInput{ID: p.ID, Accepter: &PeeringOptions{AllowDNSResolution: yes}}, cloud.OperationNotPermitted, "User " + alice.Account + " does not have permission to modify the accepter side peering options"},
		{"ClassicLink", alice, ModifyPeeringOptionsInput{ID: p.ID, Requester: &PeeringOptions{ClassicLinkToRemoteVPC: yes}}, cloud.Unsupported, "ClassicLink is no longer supported"},
		{"malformed id", alice, ModifyPeeringOptionsInput{ID: "pcx-nothex"}, cloud.Malformed, "Invalid id: \"pcx-nothex\" (expecting \"pcx-...\")"},
		{"unknown id", alice, ModifyPeeringOptionsInput{ID: "pcx-0123456789abcdef0"}, cloud.NotFound, "The vpcPeeringConnection ID 'pcx-0123456789abcdef0' does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.ModifyVPCPeeringConnectionOptions(ctx, tc.who, tc.in)
			wantReason(t, err, tc.reason, cloud.KindVPCPeering, tc.msg)
		})
	}
	mod, err := c.ModifyVPCPeeringConnectionOptions(ctx, alice, ModifyPeeringOptionsInput{ID: p.ID, Requester: &PeeringOptions{AllowDNSResolution: yes, VPCToRemoteClassicLink: ptrTo(false)}})
	if err != nil || !mod.Requester.AllowDNSResolution || mod.Accepter.AllowDNSResolution {
		t.Fatalf("modified options %+v %v", mod, err)
	}

	// Either side deletes an active connection.
	if err := c.DeleteVPCPeeringConnection(ctx, bob, p.ID); err != nil {
		t.Fatal(err)
	}
	got := seen(t, c, alice, p.ID)
	if got.Status != PeeringDeleted || got.StatusMessage != "Deleted by "+bob.Account {
		t.Fatalf("deleted connection %+v", got)
	}
	err = c.DeleteVPCPeeringConnection(ctx, alice, p.ID)
	wantReason(t, err, cloud.IncorrectState, cloud.KindVPCPeering, "attempted to transition from deleted to deleting")
	if err := c.DeleteVPC(ctx, alice, va); err != nil {
		t.Fatalf("VPC of a deleted connection: %v", err)
	}
}

func ptrTo[T any](v T) *T { return &v }

// TestPeeringClosedVisibility: how long each side sees a closed connection
// depends on how it closed and which side it is.
func TestPeeringClosedVisibility(t *testing.T) {
	for _, tc := range []struct {
		name string
		// close closes the connection (nil: leave it to expire or fail).
		close   func(c *Service, id string) error
		overlap bool
		status  string
		message string
		// how long alice and bob see it after it closed.
		alice, bob time.Duration
	}{
		{name: "rejected", close: func(c *Service, id string) error { return c.RejectVPCPeeringConnection(context.Background(), bob, id) },
			status: PeeringRejected, message: "Rejected by " + bob.Account, alice: peeringLingerLong, bob: peeringLingerShort},
		{name: "deleted by its requester", close: func(c *Service, id string) error {
			return c.DeleteVPCPeeringConnection(context.Background(), alice, id)
		},
			status: PeeringDeleted, message: "Deleted by " + alice.Account, alice: peeringLingerShort, bob: peeringLingerLong},
		{name: "failed", overlap: true, status: PeeringFailed, message: peeringFailure, alice: peeringLingerShort, bob: peeringLingerShort},
		{name: "expired", status: PeeringExpired, message: "Expired", alice: peeringExpiry + peeringLingerLong, bob: peeringExpiry + peeringLingerLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, now, va, vb := peeringCloud(t)
			ctx := context.Background()
			peer := vb[0]
			if tc.overlap {
				peer = mustVPC(t, c, bob, "10.1.0.0/16").ID
			}
			start := *now
			p, err := c.CreateVPCPeeringConnection(ctx, alice, CreatePeeringInput{VpcID: va, PeerVpcID: peer, PeerOwnerID: bob.Account})
			if err != nil {
				t.Fatal(err)
			}
			if tc.close != nil {
				if err := tc.close(c, p.ID); err != nil {
					t.Fatal(err)
				}
			}
			if tc.status == PeeringExpired {
				*now = start.Add(peeringExpiry)
			}
			got := seen(t, c, alice, p.ID)
			if got == nil || got.Status != tc.status || got.StatusMessage != tc.message {
				t.Fatalf("alice sees %+v", got)
			}
			for _, side := range []struct {
				who   cloud.Caller
				lasts time.Duration
			}{{alice, tc.alice}, {bob, tc.bob}} {
				*now = start.Add(side.lasts - time.Second)
				if seen(t, c, side.who, p.ID) == nil {
					t.Errorf("%s stopped seeing it before %v", side.who.Account, side.lasts)
				}
				*now = start.Add(side.lasts)
				if seen(t, c, side.who, p.ID) != nil {
					t.Errorf("%s still sees it after %v", side.who.Account, side.lasts)
				}
			}
		})
	}
}

// TestPeeringRefusals: requests and answers AWS refuses outright.
func TestPeeringRefusals(t *testing.T) {
	c, _, va, vb := peeringCloud(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		in     CreatePeeringInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"no peer", CreatePeeringInput{VpcID: va}, cloud.MissingParameter, "", "The request must contain the parameter peerVpcId"},
		{"bad region", CreatePeeringInput{VpcID: va, PeerVpcID: vb[0], PeerRegion: "mars-1"}, cloud.InvalidParameter, "", "Value (mars-1) for parameter peerRegion is invalid."},
		{"bad tags", CreatePeeringInput{VpcID: va, PeerVpcID: vb[0], Tags: []cloud.TagSpec{{ResourceType: "vpc"}}}, cloud.InvalidParameter, "", "not a valid taggable resource type"},
		{"not my VPC", CreatePeeringInput{VpcID: vb[0], PeerVpcID: va}, cloud.NotFound, cloud.KindVPC, vb[0]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateVPCPeeringConnection(ctx, alice, tc.in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	// A peer VPC that is not where the request says fails the request.
	for _, in := range []CreatePeeringInput{
		{VpcID: va, PeerVpcID: vb[0]}, // bob's VPC, asked of alice's account
		{VpcID: va, PeerVpcID: "vpc-0123456789abcdef0", PeerOwnerID: bob.Account},
		{VpcID: va, PeerVpcID: vb[0], PeerOwnerID: bob.Account, PeerRegion: "eu-west-1"},
	} {
		p, err := c.CreateVPCPeeringConnection(ctx, alice, in)
		if err != nil || seen(t, c, alice, p.ID).Status != PeeringFailed {
			t.Errorf("%+v: %+v %v", in, p, err)
		}
	}
	_, err := c.AcceptVPCPeeringConnection(ctx, bob, "pcx-0123456789abcdef0")
	wantReason(t, err, cloud.NotFound, cloud.KindVPCPeering, "The vpcPeeringConnection ID 'pcx-0123456789abcdef0' does not exist")
	err = c.RejectVPCPeeringConnection(ctx, bob, "pcx-1")
	wantReason(t, err, cloud.Malformed, cloud.KindVPCPeering, "Invalid id")
	err = c.DeleteVPCPeeringConnection(ctx, bob, "pcx-0123456789abcdef0")
	wantReason(t, err, cloud.NotFound, cloud.KindVPCPeering, "")
}

// TestPeeringQuotas: outstanding requests per account, and active
// connections per VPC; two VPCs have one active connection at most.
func TestPeeringQuotas(t *testing.T) {
	c, _, va, vb := peeringCloud(t)
	ctx := context.Background()
	cloud.WithQuotas(map[string]int{"pending-peerings": 2, "active-peerings-per-vpc": 1})(c.Cloud)
	p1, err := c.CreateVPCPeeringConnection(ctx, alice, CreatePeeringInput{VpcID: va, PeerVpcID: vb[0], PeerOwnerID: bob.Account})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := c.CreateVPCPeeringConnection(ctx, alice, CreatePeeringInput{VpcID: va, PeerVpcID: vb[1], PeerOwnerID: bob.Account})
	if err != nil {
		t.Fatal(err)
	}
	v3 := mustVPC(t, c, bob, "10.4.0.0/16").ID
	_, err = c.CreateVPCPeeringConnection(ctx, alice, CreatePeeringInput{VpcID: va, PeerVpcID: v3, PeerOwnerID: bob.Account})
	wantReason(t, err, cloud.LimitExceeded, KindPeeringRequest, "Vpc peering connection request limit exceeded.")
	// Bob's request the other way is his own quota's.
	back, err := c.CreateVPCPeeringConnection(ctx, bob, CreatePeeringInput{VpcID: vb[0], PeerVpcID: va, PeerOwnerID: alice.Account})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AcceptVPCPeeringConnection(ctx, bob, p1.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.AcceptVPCPeeringConnection(ctx, alice, back.ID)
	wantReason(t, err, cloud.Duplicate, cloud.KindVPCPeering, "The vpc peering connection identified by "+back.ID+" already exists.")
	_, err = c.AcceptVPCPeeringConnection(ctx, bob, p2.ID)
	wantReason(t, err, cloud.LimitExceeded, cloud.KindVPCPeering, "The maximum number of active VPC peering connections for "+va+" has been reached.")
}

// TestPeeringAcrossRegions: the accepter answers from its VPC's region;
// a deleted inter-region connection shows deleting for a moment.
func TestPeeringAcrossRegions(t *testing.T) {
	c, now, va, _ := peeringCloud(t)
	ctx := context.Background()
	aliceEU := cloud.Caller{Account: alice.Account, Region: "eu-west-1"}
	far := mustVPC(t, c, aliceEU, "10.8.0.0/16")
	p, err := c.CreateVPCPeeringConnection(ctx, alice, CreatePeeringInput{VpcID: va, PeerVpcID: far.ID, PeerRegion: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.AcceptVPCPeeringConnection(ctx, alice, p.ID)
	wantReason(t, err, cloud.OperationNotPermitted, cloud.KindVPCPeering, "Incorrect region (us-east-1) specified for this request. VPC peering connection "+p.ID+" must be accepted in region eu-west-1")
	acc, err := c.AcceptVPCPeeringConnection(ctx, aliceEU, p.ID)
	if err != nil || acc.Status != PeeringActive || !acc.InterRegion() {
		t.Fatalf("accepted %+v %v", acc, err)
	}
	_, err = c.ModifyVPCPeeringConnectionOptions(ctx, alice, ModifyPeeringOptionsInput{ID: p.ID, Accepter: &PeeringOptions{AllowDNSResolution: ptrTo(true)}})
	wantReason(t, err, cloud.OperationNotPermitted, cloud.KindVPCPeering, "Accepter's VPC Peering connection options cannot be modified for a different region")
	if err := c.DeleteVPCPeeringConnection(ctx, aliceEU, p.ID); err != nil {
		t.Fatal(err)
	}
	if got := seen(t, c, alice, p.ID); got.Status != PeeringDeleting || got.StatusMessage != "Deleting" {
		t.Fatalf("just deleted inter-region connection %+v", got)
	}
	*now = now.Add(interRegionDeleting)
	if got := seen(t, c, alice, p.ID); got.Status != PeeringDeleted {
		t.Fatalf("inter-region connection after a moment %+v", got)
	}
}

// TestDeleteVPCSettlesPeerings: a pending request from the VPC goes with
// it; one to it blocks the delete until it expires.
func TestDeleteVPCSettlesPeerings(t *testing.T) {
	c, now, va, vb := peeringCloud(t)
	ctx := context.Background()
	out, err := c.CreateVPCPeeringConnection(ctx, alice, CreatePeeringInput{VpcID: va, PeerVpcID: vb[0], PeerOwnerID: bob.Account})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteVPC(ctx, alice, va); err != nil {
		t.Fatal(err)
	}
	if got := seen(t, c, bob, out.ID); got.Status != PeeringDeleted || got.StatusMessage != "Deleted by "+alice.Account {
		t.Fatalf("request from a deleted VPC %+v", got)
	}
	in, err := c.CreateVPCPeeringConnection(ctx, bob, CreatePeeringInput{VpcID: vb[1], PeerVpcID: vb[0]})
	if err != nil {
		t.Fatal(err)
	}
	wantReason(t, c.DeleteVPC(ctx, bob, vb[0]), cloud.DependencyViolation, cloud.KindVPC, "")
	*now = now.Add(peeringExpiry)
	if err := c.DeleteVPC(ctx, bob, vb[0]); err != nil {
		t.Fatalf("VPC of an expired request: %v", err)
	}
	if got := seen(t, c, bob, in.ID); got.Status != PeeringExpired {
		t.Fatalf("expired request %+v", got)
	}
}

// TestRouteToPeering: a route may target a pending or active connection of
// the table's VPC; it is active only while the connection is.
func TestRouteToPeering(t *testing.T) {
	c, _, va, vb := peeringCloud(t)
	ctx := context.Background()
	p, err := c.CreateVPCPeeringConnection(ctx, alice, CreatePeeringInput{VpcID: va, PeerVpcID: vb[0], PeerOwnerID: bob.Account})
	if err != nil {
		t.Fatal(err)
	}
	vpc, err := c.GetVPC(ctx, alice, va)
	if err != nil {
		t.Fatal(err)
	}
	state := func() string {
		rt, err := c.GetRouteTable(ctx, alice, vpc.MainRouteTableID)
		if err != nil {
			t.Fatal(err)
		}
		return rt.Routes[len(rt.Routes)-1].State
	}
	if err := c.CreateRoute(ctx, alice, vpc.MainRouteTableID, Route{DestinationCIDR: "10.2.0.0/16", VPCPeeringConnectionID: p.ID}); err != nil {
		t.Fatal(err)
	}
	if s := state(); s != "blackhole" {
		t.Fatalf("route to a pending connection is %s", s)
	}
	if _, err := c.AcceptVPCPeeringConnection(ctx, bob, p.ID); err != nil {
		t.Fatal(err)
	}
	if s := state(); s != "active" {
		t.Fatalf("route to an active connection is %s", s)
	}
	other := mustVPC(t, c, alice, "10.5.0.0/16")
	err = c.CreateRoute(ctx, alice, other.MainRouteTableID, Route{DestinationCIDR: "10.2.0.0/16", VPCPeeringConnectionID: p.ID})
	wantReason(t, err, cloud.InvalidParameter, "", "route table "+other.MainRouteTableID+" and VPC peering connection "+p.ID+" belong to different networks")
	if err := c.DeleteVPCPeeringConnection(ctx, alice, p.ID); err != nil {
		t.Fatal(err)
	}
	if s := state(); s != "blackhole" {
		t.Fatalf("route to a deleted connection is %s", s)
	}
	err = c.CreateRoute(ctx, alice, vpc.MainRouteTableID, Route{DestinationCIDR: "10.9.0.0/16", VPCPeeringConnectionID: p.ID})
	wantReason(t, err, cloud.NotFound, cloud.KindVPCPeering, "The vpcPeeringConnection ID '"+p.ID+"' does not exist")
}
