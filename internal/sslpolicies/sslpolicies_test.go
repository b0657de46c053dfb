package sslpolicies

import (
	"slices"
	"testing"
)

func TestCatalogue(t *testing.T) {
	if _, ok := Lookup(Default); !ok {
		t.Fatalf("the default %s is not in the catalogue", Default)
	}
	for _, tc := range []struct {
		name      string
		protocols []string
		first     string
		n         int
	}{
		{"ELBSecurityPolicy-2016-08", []string{"TLSv1", "TLSv1.1", "TLSv1.2"}, "ECDHE-ECDSA-AES128-GCM-SHA256", 18},
		{"ELBSecurityPolicy-TLS13-1-2-2021-06", []string{"TLSv1.2", "TLSv1.3"}, "TLS_AES_128_GCM_SHA256", 11},
		{"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", []string{"TLSv1.3"}, "TLS_AES_128_GCM_SHA256", 2},
		{"ELBSecurityPolicy-TLS-1-0-2015-04", []string{"TLSv1", "TLSv1.1", "TLSv1.2"}, "ECDHE-ECDSA-AES128-GCM-SHA256", 19},
		{"ELBSecurityPolicy-2015-05", []string{"TLSv1", "TLSv1.1", "TLSv1.2"}, "ECDHE-ECDSA-AES128-GCM-SHA256", 18},
		{"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", []string{"TLSv1.2", "TLSv1.3"}, "TLS_AES_128_GCM_SHA256", 7},
	} {
		p, ok := Lookup(tc.name)
		if !ok {
			t.Errorf("%s missing", tc.name)
			continue
		}
		if !slices.Equal(p.Protocols, tc.protocols) || p.Ciphers[0] != tc.first || len(p.Ciphers) != tc.n {
			t.Errorf("%s: %v, %d ciphers from %s", tc.name, p.Protocols, len(p.Ciphers), p.Ciphers[0])
		}
	}
	if _, ok := Lookup("Strict"); ok {
		t.Error("found a policy AWS does not have")
	}
	for _, p := range All() {
		if len(p.Protocols) == 0 || len(p.Ciphers) == 0 || len(p.LoadBalancerTypes) == 0 {
			t.Errorf("%s is incomplete: %+v", p.Name, p)
		}
		seen := map[string]bool{}
		for _, c := range p.Ciphers {
			if seen[c] {
				t.Errorf("%s lists %s twice", p.Name, c)
			}
			seen[c] = true
		}
	}
}
