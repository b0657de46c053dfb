package network

import (
	"context"
	"fmt"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloudstore"
	"github.com/vpcemu/vpcemu/internal/store/sqlite"
)

func TestPrefixListKeepsAThousandVersions(t *testing.T) {
	p := &ManagedPrefixList{Version: 1, Entries: []PrefixListEntry{{CIDR: "10.0.0.0/8"}}}
	for i := range maxPrefixListVersions + 5 {
		p.newVersion([]PrefixListEntry{{CIDR: fmt.Sprintf("10.%d.0.0/16", i%256)}})
	}
	if p.Version != maxPrefixListVersions+6 || len(p.History)+1 != maxPrefixListVersions {
		t.Fatalf("version %d with %d kept", p.Version, len(p.History))
	}
	// The oldest went first.
	if _, err := p.EntriesAt(1); err == nil {
		t.Fatal("version 1 is still kept")
	}
	oldest := p.Version - maxPrefixListVersions + 1
	if _, err := p.EntriesAt(oldest); err != nil {
		t.Fatalf("version %d: %v", oldest, err)
	}
	wantReason(t, func() error { _, err := p.EntriesAt(oldest - 1); return err }(), cloud.InvalidParameter, "", "no version")
}

func TestPrefixListEntriesAreCanonical(t *testing.T) {
	got, err := prefixListEntries("IPv6", []PrefixListEntry{{CIDR: "2001:db8:1::5/48"}, {CIDR: "2001:db8::/32", Description: "all"}, {CIDR: "2001:db8::/48"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2001:db8::/32", "2001:db8::/48", "2001:db8:1::/48"}
	for i, e := range got {
		if e.CIDR != want[i] {
			t.Fatalf("entries %+v, want %v", got, want)
		}
	}
	for _, bad := range []string{"::ffff:10.0.0.0/104", "fe80::1%eth0/64", "2001:db8::/129", "10.0.0.0/8"} {
		if _, err := prefixListEntries("IPv6", []PrefixListEntry{{CIDR: bad}}); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	long := make([]byte, maxEntryDescription+1)
	for i := range long {
		long[i] = 'x'
	}
	_, err = prefixListEntries("IPv4", []PrefixListEntry{{CIDR: "10.0.0.0/8", Description: string(long)}})
	refusedWith(t, err, cloud.InvalidParameter, "long description")
}

func TestPrefixListQuota(t *testing.T) {
	c := newCloud(t)
	ctx := context.Background()
	for i := range c.Limit("prefix-lists") {
		if _, err := c.CreateManagedPrefixList(ctx, alice, CreatePrefixListInput{Name: fmt.Sprint("l", i), AddressFamily: "IPv4", MaxEntries: 1}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.CreateManagedPrefixList(ctx, alice, CreatePrefixListInput{Name: "one too many", AddressFamily: "IPv4", MaxEntries: 1})
	wantReason(t, err, cloud.LimitExceeded, cloud.KindPrefixList, "The maximum number of prefix lists (100) has been reached.")
	// The quota is per account.
	if _, err := c.CreateManagedPrefixList(ctx, bob, CreatePrefixListInput{Name: "bob's", AddressFamily: "IPv4", MaxEntries: 1}); err != nil {
		t.Fatal(err)
	}
}

func TestRuleQuotaCountsPrefixListFamilies(t *testing.T) {
	f := newFixture(t, "")
	v6, err := f.c.CreateManagedPrefixList(f.ctx, f.who, CreatePrefixListInput{Name: "v6", AddressFamily: "IPv6", MaxEntries: 60})
	if err != nil {
		t.Fatal(err)
	}
	f.write(func(t *cloud.Txn) error {
		g := &SecurityGroup{Rules: []SecurityGroupRule{{PrefixListID: v6.ID}}}
		for i := range 60 {
			g.Rules = append(g.Rules, SecurityGroupRule{CIDRIPv4: fmt.Sprintf("10.%d.0.0/16", i)})
		}
		// 60 IPv6 and 60 IPv4: at the quota, not over it.
		if err := checkRuleQuota(t, g, false, nil); err != nil {
			return err
		}
		// One more IPv6 entry is over.
		grown := *v6
		grown.MaxEntries = 61
		wantReason(f.t, checkRuleQuota(t, g, false, &grown), cloud.LimitExceeded, cloud.KindSecurityGroupRule, "")
		// A list that is gone counts once for both families: with 59 IPv4
		// rules, the group is at the quota again.
		g.Rules = append(g.Rules[2:], SecurityGroupRule{PrefixListID: "pl-0000000000000dead"})
		if err := checkRuleQuota(t, g, false, nil); err != nil {
			return err
		}
		g.Rules = append(g.Rules, SecurityGroupRule{CIDRIPv4: "192.0.2.0/24"})
		wantReason(f.t, checkRuleQuota(t, g, false, nil), cloud.LimitExceeded, cloud.KindSecurityGroupRule, "")
		return nil
	})
}

// TestQuotaOverride: a configured quota replaces AWS's default, for every
// account, and is what the use cases enforce.
func TestQuotaOverride(t *testing.T) {
	s, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c := New(cloud.New(cloudstore.New(s), cloud.WithQuotas(map[string]int{"prefix-lists": 2})))
	if c.Limit("prefix-lists") != 2 || c.Limit("gateway-endpoints") != 20 {
		t.Fatalf("limits %d %d", c.Limit("prefix-lists"), c.Limit("gateway-endpoints"))
	}
	ctx := context.Background()
	for _, who := range []cloud.Caller{alice, bob} {
		for i := range 2 {
			if _, err := c.CreateManagedPrefixList(ctx, who, CreatePrefixListInput{Name: fmt.Sprint("l", i), AddressFamily: "IPv4", MaxEntries: 1}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := c.CreateManagedPrefixList(ctx, who, CreatePrefixListInput{Name: "third", AddressFamily: "IPv4", MaxEntries: 1})
		wantReason(t, err, cloud.LimitExceeded, cloud.KindPrefixList, "The maximum number of prefix lists (2) has been reached.")
	}
}
