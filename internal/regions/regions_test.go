package regions

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestRegionsAndTheirZones(t *testing.T) {
	for _, tc := range []struct {
		region string
		optIn  bool
		zones  []Zone
	}{
		{"us-east-1", false, []Zone{{"us-east-1a", "use1-az4"}, {"us-east-1b", "use1-az6"}, {"us-east-1c", "use1-az1"}, {"us-east-1d", "use1-az2"}, {"us-east-1e", "use1-az3"}, {"us-east-1f", "use1-az5"}}},
		// Newer accounts get two zones in us-west-1: usw1-az1 and usw1-az3.
		{"us-west-1", false, []Zone{{"us-west-1a", "usw1-az1"}, {"us-west-1c", "usw1-az3"}}},
		{"ca-central-1", false, []Zone{{"ca-central-1a", "cac1-az1"}, {"ca-central-1b", "cac1-az2"}, {"ca-central-1d", "cac1-az4"}}},
		{"eu-central-1", false, []Zone{{"eu-central-1a", "euc1-az2"}, {"eu-central-1b", "euc1-az3"}, {"eu-central-1c", "euc1-az1"}}},
		{"ap-northeast-1", false, []Zone{{"ap-northeast-1a", "apne1-az4"}, {"ap-northeast-1c", "apne1-az1"}, {"ap-northeast-1d", "apne1-az2"}}},
		{"mx-central-1", true, []Zone{{"mx-central-1a", "mxc1-az1"}, {"mx-central-1b", "mxc1-az2"}, {"mx-central-1c", "mxc1-az3"}}},
		{"ap-southeast-5", true, []Zone{{"ap-southeast-5a", "apse5-az1"}, {"ap-southeast-5b", "apse5-az2"}, {"ap-southeast-5c", "apse5-az3"}}},
		{"ap-southeast-7", true, []Zone{{"ap-southeast-7a", "apse7-az1"}, {"ap-southeast-7b", "apse7-az2"}, {"ap-southeast-7c", "apse7-az3"}}},
		{"ap-east-2", true, []Zone{{"ap-east-2a", "ape2-az1"}, {"ap-east-2b", "ape2-az2"}, {"ap-east-2c", "ape2-az3"}}},
		{"ap-southeast-6", true, []Zone{{"ap-southeast-6a", "apse6-az1"}, {"ap-southeast-6b", "apse6-az2"}, {"ap-southeast-6c", "apse6-az3"}}},
	} {
		r, ok := Lookup(tc.region)
		if !ok {
			t.Errorf("%s: no such region", tc.region)
			continue
		}
		if r.OptIn != tc.optIn || !slices.Equal(r.Zones, tc.zones) {
			t.Errorf("%s: optIn %v zones %v, want %v %v", tc.region, r.OptIn, r.Zones, tc.optIn, tc.zones)
		}
		if z, ok := r.Zone(tc.zones[len(tc.zones)-1].ID); !ok || z != tc.zones[len(tc.zones)-1] {
			t.Errorf("%s: Zone(%s) = %v", tc.region, tc.zones[len(tc.zones)-1].ID, z)
		}
	}
	for _, name := range []string{"aws-global", "cn-north-1", "us-gov-west-1", "us-west-3"} {
		if _, ok := Lookup(name); ok {
			t.Errorf("%s is no commercial region", name)
		}
	}
}

// Every region is well formed: its zones carry its name and its AZ id
// prefix, no zone or id repeats, and the regions launched before March 20,
// 2019 are the 17 that need no opt-in.
func TestEveryRegionIsWellFormed(t *testing.T) {
	idShape := regexp.MustCompile(`^([a-z]+[0-9])-az[0-9]$`)
	notOptIn := 0
	for _, r := range All() {
		if !r.OptIn {
			notOptIn++
		}
		if len(r.Zones) < 2 {
			t.Errorf("%s: %d zones", r.Name, len(r.Zones))
		}
		prefix := ""
		seen := map[string]bool{}
		for _, z := range r.Zones {
			m := idShape.FindStringSubmatch(z.ID)
			if m == nil || len(z.Name) != len(r.Name)+1 || z.Name[:len(r.Name)] != r.Name || seen[z.Name] || seen[z.ID] {
				t.Errorf("%s: zone %+v", r.Name, z)
				continue
			}
			if prefix == "" {
				prefix = m[1]
			}
			if m[1] != prefix {
				t.Errorf("%s: zone ids %s and %s have different prefixes", r.Name, prefix, z.ID)
			}
			seen[z.Name], seen[z.ID] = true, true
		}
	}
	if len(All()) < 34 || notOptIn != 17 {
		t.Errorf("%d regions, %d without opt-in; want at least 34 and 17", len(All()), notOptIn)
	}
	if !slices.IsSortedFunc(All(), func(a, b Region) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("regions are not in name order")
	}
}
