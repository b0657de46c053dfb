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
