package main

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/vpcemu/vpcemu/internal/regions"
)

// TestRegionsJSONIsCurrent regenerates regions.json and compares it with
// the committed file: a region the SDK adds, or a zone zones.json changes,
// must reach the catalog through go generate.
func TestRegionsJSONIsCurrent(t *testing.T) {
	got, err := generate("..")
	if errors.Is(err, errNoSDK) {
		t.Skipf("cannot check without the SDK module: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../regions.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Error("internal/regions/regions.json is stale: run go generate ./internal/regions")
	}
}

func TestPartitionRegionsLeaveOutPseudoRegions(t *testing.T) {
	dir, _, err := moduleDir(sdkModule)
	if err != nil {
		t.Skip(err)
	}
	names, err := partitionRegions(dir + "/" + partitionPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"us-east-1", true}, {"mx-central-1", true}, {"ap-southeast-7", true}, {"ap-east-2", true},
		{"aws-global", false}, {"cn-north-1", false}, {"us-gov-west-1", false},
	} {
		if _, ok := names[tc.name]; ok != tc.want {
			t.Errorf("%s in the commercial partition: %v, want %v", tc.name, ok, tc.want)
		}
	}
}

// Every region of the SDK's commercial partition is in the catalog, with
// its zones.
func TestEveryPartitionRegionIsInTheCatalog(t *testing.T) {
	dir, version, err := moduleDir(sdkModule)
	if err != nil {
		t.Skip(err)
	}
	names, err := partitionRegions(dir + "/" + partitionPath)
	if err != nil {
		t.Fatal(err)
	}
	for name := range names {
		if r, ok := regions.Lookup(name); !ok || len(r.Zones) == 0 {
			t.Errorf("%s of %s@%s is not in the catalog", name, sdkModule, version)
		}
	}
	if len(names) != len(regions.All()) {
		t.Errorf("the partition has %d regions, the catalog %d", len(names), len(regions.All()))
	}
}
