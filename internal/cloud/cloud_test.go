package cloud_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudstore"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
	"github.com/vpcemu/vpcemu/internal/store/sqlite"
)

// TestUseCaseTransactions: a use case's writes commit together or not at
// all; a dry run runs the checks and keeps nothing.
func TestUseCaseTransactions(t *testing.T) {
	c := cloudtest.Fixed(t)
	ctx := context.Background()
	put := func(tx *cloud.Txn, id string) error {
		return tx.Put(&cloud.Record{Kind: cloud.KindVPNGateway, ID: id, Scope: tx.Scope, Body: []byte("{}")})
	}
	has := func(id string) bool {
		found := false
		cloudtest.Read(t, c, func(tx *cloud.Txn) error {
			_, err := tx.Get(cloud.KindVPNGateway, id)
			found = err == nil
			if errors.Is(err, cloud.ErrNoRecord) {
				return nil
			}
			return err
		})
		return found
	}
	refused := cloud.InvalidParam("no")
	dry := alice
	dry.DryRun = true
	for _, tc := range []struct {
		name  string
		who   cloud.Caller
		fail  error
		want  cloud.Reason // 0: no error
		keeps bool
	}{
		{"commits", alice, nil, 0, true},
		{"refused", alice, refused, cloud.InvalidParameter, false},
		{"dry run", dry, nil, cloud.DryRun, false},
		{"dry run refused", dry, refused, cloud.InvalidParameter, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := "vgw-" + tc.name
			err := c.Update(ctx, tc.who, func(tx *cloud.Txn) error {
				if tx.Scope != tc.who.Scope() || !tx.Now.Equal(time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)) {
					t.Errorf("transaction scope %v, now %v", tx.Scope, tx.Now)
				}
				if err := put(tx, id); err != nil {
					return err
				}
				return tc.fail
			})
			if tc.want == 0 && err != nil {
				t.Fatal(err)
			}
			if tc.want != 0 {
				cloudtest.RefusedWith(t, err, tc.want, tc.name)
			}
			if has(id) != tc.keeps {
				t.Errorf("record kept: %v, want %v", has(id), tc.keeps)
			}
		})
	}
	// A read reports a dry run that passed, and the read's own refusal
	// otherwise.
	err := c.View(ctx, dry, func(*cloud.Txn) error { return nil })
	cloudtest.WantReason(t, err, cloud.DryRun, "", "Request would have succeeded, but DryRun flag is set.")
	err = c.View(ctx, dry, func(*cloud.Txn) error { return refused })
	cloudtest.RefusedWith(t, err, cloud.InvalidParameter, "dry read refused")
}

// TestRegions: a caller's region must exist; each new scope gets what AWS
// gives an account there, once.
func TestRegions(t *testing.T) {
	c := cloudtest.Fixed(t)
	ctx := context.Background()
	mars := cloud.Caller{Account: alice.Account, Region: "mars-north-1"}
	if _, err := mars.RegionInfo(); err == nil {
		t.Fatal("mars-north-1 is a region")
	}
	for _, err := range []error{
		c.Update(ctx, mars, func(*cloud.Txn) error { return nil }),
		c.View(ctx, mars, func(*cloud.Txn) error { return nil }),
		c.ReadScopes(ctx, []cloud.Scope{mars.Scope()}, func(*cloud.Txn) error { return nil }),
	} {
		cloudtest.WantReason(t, err, cloud.AuthFailure, "", "Credential should be scoped to a valid region, not 'mars-north-1'.")
	}
	r, err := alice.RegionInfo()
	if err != nil || r.Name != "us-east-1" || len(r.Zones) == 0 {
		t.Fatalf("us-east-1: %+v %v", r, err)
	}

	// The network family's setup gives each scope one default VPC, however
	// often the scope is set up.
	eu := cloud.Caller{Account: alice.Account, Region: "eu-west-1"}
	for range 2 {
		if err := c.EnsureScope(ctx, eu); err != nil {
			t.Fatal(err)
		}
	}
	count := func(c *cloud.Cloud, who cloud.Caller) int {
		page, err := cloud.List[network.VPC](ctx, c, who, cloud.Query{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Items)
	}
	if n := count(c, eu); n != 1 {
		t.Fatalf("%d VPCs in a new scope", n)
	}
	// A second kernel on the same store (a restart) has not seen the
	// scope: it finds it set up already, and sets up nothing again.
	s, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	first, second := cloud.New(cloudstore.New(s)), cloud.New(cloudstore.New(s))
	if n := count(first, eu); n != 1 {
		t.Fatalf("first kernel: %d VPCs", n)
	}
	if n := count(second, eu); n != 1 {
		t.Fatalf("second kernel: %d VPCs", n)
	}
	// ReadScopes sets up every scope it reads, and reads across them.
	bobEU := cloud.Caller{Account: bob.Account, Region: "eu-west-1"}
	var vpcs int
	err = c.ReadScopes(ctx, []cloud.Scope{eu.Scope(), bobEU.Scope()}, func(tx *cloud.Txn) error {
		if tx.Scope != (cloud.Scope{}) {
			t.Errorf("ReadScopes has a scope of its own: %v", tx.Scope)
		}
		for _, sc := range []cloud.Scope{eu.Scope(), bobEU.Scope()} {
			if err := tx.Scan(cloud.KindVPC, sc, "", func(*cloud.Record) bool { vpcs++; return true }); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || vpcs != 2 {
		t.Fatalf("read %d default VPCs across two scopes: %v", vpcs, err)
	}
	if cloud.ScopeKey(eu.Scope()) != "111111111111/eu-west-1" {
		t.Fatalf("scope key %s", cloud.ScopeKey(eu.Scope()))
	}
}

// TestNewIDs: a use case's ids come from the kernel's source.
func TestNewIDs(t *testing.T) {
	c := cloudtest.Open(t, cloud.WithIDs(cloud.SequentialIDs()))
	var got []string
	if err := c.Update(context.Background(), cloudtest.Alice, func(tx *cloud.Txn) error {
		got = append(got, tx.NewID("vpc-"), tx.NewID("subnet-"))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Setting up alice's scope took ids first: the two are consecutive.
	if len(got) != 2 || !cloud.WellFormed(got[0], "vpc-") || !cloud.WellFormed(got[1], "subnet-") || got[0][len("vpc-"):] >= got[1][len("subnet-"):] {
		t.Fatalf("ids %v", got)
	}
}
