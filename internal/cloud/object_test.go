package cloud_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

// listWorld is alice's VPC with five subnets, two of them tagged tier=web,
// and a VPC of bob's with one subnet.
type listWorld struct {
	c       *cloud.Cloud
	net     *network.Service
	vpc     *network.VPC
	subnets []string // in id order
	web     []string
	bobs    string
	bobZone string
}

func newListWorld(t *testing.T) *listWorld {
	t.Helper()
	ctx := context.Background()
	w := &listWorld{c: cloudtest.Fixed(t)}
	w.net = network.New(w.c)
	var err error
	if w.vpc, err = w.net.CreateVPC(ctx, alice, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		in := network.CreateSubnetInput{VpcID: w.vpc.ID, CIDRBlock: fmt.Sprintf("10.0.%d.0/24", i)}
		if i%2 == 1 {
			in.Tags = []cloud.TagSpec{{ResourceType: "subnet", Tags: []cloud.Tag{{Key: "tier", Value: "web"}}}}
		}
		s, err := w.net.CreateSubnet(ctx, alice, in)
		if err != nil {
			t.Fatal(err)
		}
		w.subnets = append(w.subnets, s.ID)
		if i%2 == 1 {
			w.web = append(w.web, s.ID)
		}
	}
	bv, err := w.net.CreateVPC(ctx, bob, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	bs, err := w.net.CreateSubnet(ctx, bob, network.CreateSubnetInput{VpcID: bv.ID, CIDRBlock: "10.0.0.0/24"})
	if err != nil {
		t.Fatal(err)
	}
	w.bobs, w.bobZone = bs.ID, bs.AvailabilityZone
	return w
}

func ids[P cloud.Object](items []P) []string {
	out := make([]string, len(items))
	for i, p := range items {
		out[i] = p.Base().ID
	}
	return out
}

// TestListQueries: List finds by ids, by an indexed filter, by a tag or by
// a scan, always in id order and only in the caller's scope, with the
// predicate deciding.
func TestListQueries(t *testing.T) {
	w := newListWorld(t)
	inVPC := func(s *network.Subnet) bool { return s.VpcID == w.vpc.ID }
	f := func(name string, vals ...string) []cloud.Filter { return []cloud.Filter{{Name: name, Values: vals}} }
	for _, tc := range []struct {
		name  string
		q     cloud.Query
		match func(*network.Subnet) bool
		want  []string
	}{
		{"scan", cloud.Query{}, inVPC, w.subnets},
		{"ids, repeated and out of order", cloud.Query{IDs: []string{w.subnets[3], w.subnets[0], w.subnets[3]}}, nil, []string{w.subnets[0], w.subnets[3]}},
		{"ids after", cloud.Query{IDs: []string{w.subnets[3], w.subnets[0]}, After: w.subnets[0]}, nil, []string{w.subnets[3]}},
		{"ids with a limit", cloud.Query{IDs: w.subnets, Limit: 2}, nil, w.subnets[:2]},
		{"indexed", cloud.Query{Filters: f("vpc-id", w.vpc.ID)}, nil, w.subnets},
		{"indexed, two values", cloud.Query{Filters: f("vpc-id", w.vpc.ID, "vpc-0123456789abcdef0")}, nil, w.subnets},
		{"indexed after", cloud.Query{Filters: f("vpc-id", w.vpc.ID), After: w.subnets[2]}, nil, w.subnets[3:]},
		{"tag", cloud.Query{Filters: f("tag:tier", "web")}, nil, w.web},
		{"tag key", cloud.Query{Filters: f("tag-key", "tier")}, nil, w.web},
		{"wildcards scan", cloud.Query{Filters: f("vpc-id", "vpc-*")}, inVPC, w.subnets},
		{"predicate", cloud.Query{Filters: f("vpc-id", w.vpc.ID)}, func(s *network.Subnet) bool { return s.CIDRBlock == "10.0.4.0/24" }, w.subnets[4:]},
		{"bob's subnet is not alice's", cloud.Query{Filters: f("vpc-id", w.vpc.ID)}, func(s *network.Subnet) bool { return s.ID == w.bobs }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := cloud.List[network.Subnet](context.Background(), w.c, alice, tc.q, tc.match)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(page.Items); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	_, err := cloud.List[network.Subnet](context.Background(), w.c, alice, cloud.Query{IDs: []string{w.subnets[0], w.bobs, "subnet-0123456789abcdef0"}}, nil)
	cloudtest.WantReason(t, err, cloud.NotFound, cloud.KindSubnet, "The subnet IDs '"+w.bobs+", subnet-0123456789abcdef0' do not exist")
	_, err = cloud.List[network.Subnet](context.Background(), w.c, bob, cloud.Query{IDs: []string{w.subnets[0]}}, nil)
	cloudtest.WantReason(t, err, cloud.NotFound, cloud.KindSubnet, "The subnet ID '"+w.subnets[0]+"' does not exist")
}

// TestListPages: a page ends where the limit does and names the last id;
// the next page starts after it; the last page names none.
func TestListPages(t *testing.T) {
	w := newListWorld(t)
	for _, q := range []cloud.Query{{Limit: 2}, {Limit: 2, Filters: []cloud.Filter{{Name: "vpc-id", Values: []string{w.vpc.ID}}}}, {Limit: 2, IDs: w.subnets}} {
		var got []string
		pages := 0
		for {
			page, err := cloud.List[network.Subnet](context.Background(), w.c, alice, q, func(s *network.Subnet) bool { return s.VpcID == w.vpc.ID })
			if err != nil {
				t.Fatal(err)
			}
			pages++
			got = append(got, ids(page.Items)...)
			if page.Next == "" {
				break
			}
			if page.Next != page.Items[len(page.Items)-1].ID {
				t.Fatalf("next %s is not the page's last id", page.Next)
			}
			q.After = page.Next
		}
		if !slices.Equal(got, w.subnets) || pages != 3 {
			t.Errorf("%+v: %d pages of %v", q, pages, got)
		}
	}
}

// TestSharedAndExpiring: a shared record is listed, found by id and read
// by each side that sees it; an expired record is absent.
func TestSharedAndExpiring(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := cloudtest.Open(t, cloud.WithClock(func() time.Time { return now }))
	net := network.New(c)
	ctx := context.Background()
	va, err := net.CreateVPC(ctx, alice, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	vb, err := net.CreateVPC(ctx, bob, network.CreateVPCInput{CIDRBlock: "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := net.CreateVPCPeeringConnection(ctx, alice, network.CreatePeeringInput{VpcID: va.ID, PeerVpcID: vb.ID, PeerOwnerID: bob.Account})
	if err != nil {
		t.Fatal(err)
	}
	carol := cloud.Caller{Account: "333333333333", Region: "us-east-1"}
	for _, tc := range []struct {
		who  cloud.Caller
		sees bool
	}{{alice, true}, {bob, true}, {carol, false}} {
		var got *network.VPCPeeringConnection
		err := c.View(ctx, tc.who, func(tx *cloud.Txn) (err error) {
			got, err = cloud.GetVisible[network.VPCPeeringConnection](tx, p.ID)
			return err
		})
		if tc.sees != (err == nil) || tc.sees && got.ID != p.ID {
			t.Errorf("%s: GetVisible %v %v", tc.who.Account, got, err)
		}
		if !tc.sees {
			cloudtest.WantReason(t, err, cloud.NotFound, cloud.KindVPCPeering, p.ID)
		}
		page, err := cloud.List[network.VPCPeeringConnection](ctx, c, tc.who, cloud.Query{}, nil)
		if err != nil || (len(page.Items) == 1) != tc.sees {
			t.Errorf("%s: listed %v %v", tc.who.Account, ids(page.Items), err)
		}
	}
	// GetIn is the owner's only; GetAny anyone's.
	err = c.View(ctx, bob, func(tx *cloud.Txn) error {
		if _, err := cloud.GetIn[network.VPCPeeringConnection](tx, p.ID); err == nil {
			t.Error("GetIn gives bob alice's record")
		}
		_, err := cloud.GetAny[network.VPCPeeringConnection](tx.StoreTx, p.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	// A deleted NAT gateway shows for an hour, then is gone.
	s, err := net.CreateSubnet(ctx, alice, network.CreateSubnetInput{VpcID: va.ID, CIDRBlock: "10.0.1.0/24"})
	if err != nil {
		t.Fatal(err)
	}
	nat, err := net.CreateNATGateway(ctx, alice, network.CreateNATGatewayInput{SubnetID: s.ID, ConnectivityType: "private"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := net.DeleteNATGateway(ctx, alice, nat.ID); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	page, err := cloud.List[network.NATGateway](ctx, c, alice, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("expired gateway listed: %v %v", ids(page.Items), err)
	}
	_, err = cloud.List[network.NATGateway](ctx, c, alice, cloud.Query{IDs: []string{nat.ID}}, nil)
	cloudtest.WantReason(t, err, cloud.NotFound, cloud.KindNATGateway, "NAT gateway "+nat.ID+" was not found")
}

// TestPersistence: Put writes a record with its keys and tag keys; Find,
// Exists and Remove see what it wrote.
func TestPersistence(t *testing.T) {
	w := newListWorld(t)
	ctx := context.Background()
	err := w.c.Update(ctx, alice, func(tx *cloud.Txn) error {
		s, err := cloud.GetIn[network.Subnet](tx, w.subnets[0])
		if err != nil {
			return err
		}
		s.Tags = cloud.Tags{"owner": "ops"}
		if err := cloud.Put(tx, s); err != nil {
			return err
		}
		for _, key := range []cloud.Key{{Name: "tag:owner", Value: "ops"}, {Name: "tag-key", Value: "owner"}, {Name: "vpc-id", Value: w.vpc.ID}} {
			if ok, err := cloud.Exists(tx, cloud.KindSubnet, key); err != nil || !ok {
				return fmt.Errorf("key %v not found: %v", key, err)
			}
		}
		mine, err := cloud.FindIn[network.Subnet](tx, cloud.Key{Name: "tag:owner", Value: "ops"})
		if err != nil || len(mine) != 1 || mine[0].ID != s.ID {
			return fmt.Errorf("FindIn %v %v", mine, err)
		}
		zone := cloud.Key{Name: "availability-zone", Value: w.bobZone}
		all, err := cloud.FindAny[network.Subnet](tx, zone)
		if err != nil {
			return err
		}
		if !slices.Contains(ids(all), w.bobs) {
			return fmt.Errorf("FindAny does not find bob's subnet: %v", ids(all))
		}
		if mine, err := cloud.FindIn[network.Subnet](tx, zone); err != nil || slices.Contains(ids(mine), w.bobs) {
			return fmt.Errorf("FindIn finds bob's subnet for alice: %v %v", ids(mine), err)
		}
		if err := cloud.Remove(tx, s); err != nil {
			return err
		}
		if _, err := cloud.GetIn[network.Subnet](tx, s.ID); err == nil {
			return errors.New("removed subnet still read")
		}
		// Roll everything back.
		return errors.New("rollback")
	})
	if err == nil || err.Error() != "rollback" {
		t.Fatal(err)
	}
	// The failed use case left nothing behind.
	page, err := cloud.List[network.Subnet](ctx, w.c, alice, cloud.Query{IDs: []string{w.subnets[0]}}, nil)
	if err != nil || len(page.Items[0].Tags) != 0 {
		t.Fatalf("after a failed use case: %+v %v", page.Items, err)
	}
	if got := cloud.SortedUnique([]string{"b", "a", "b", "c", "a"}); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("SortedUnique %v", got)
	}
	if got := cloud.SortedUnique(nil); len(got) != 0 {
		t.Fatalf("SortedUnique(nil) %v", got)
	}
}

// TestEC2ARN: a resource's ARN names its region, owner, type and id.
func TestEC2ARN(t *testing.T) {
	m := cloud.Meta{ID: "vpc-0123456789abcdef0", Owner: alice.Account, Region: "eu-west-1"}
	if got, want := m.EC2ARN("vpc"), "arn:aws:ec2:eu-west-1:111111111111:vpc/vpc-0123456789abcdef0"; got != want {
		t.Fatalf("ARN %s, want %s", got, want)
	}
	if m.Base() != &m || m.Scope() != (cloud.Scope{Account: alice.Account, Region: "eu-west-1"}) {
		t.Fatal("Base or Scope")
	}
}
