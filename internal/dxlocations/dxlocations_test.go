package dxlocations

import (
	"slices"
	"testing"
)

func TestCatalogue(t *testing.T) {
	tests := []struct {
		region string
		codes  []string
	}{
		{"us-east-1", []string{"EqDC2", "CS32A-24FL"}},
		{"eu-west-1", nil},
	}
	for _, tt := range tests {
		var codes []string
		for _, l := range InRegion(tt.region) {
			codes = append(codes, l.Code)
		}
		if !slices.Equal(codes, tt.codes) {
			t.Errorf("%s: %v, want %v", tt.region, codes, tt.codes)
		}
	}
	dc2, ok := Find("us-east-1", "EqDC2")
	if !ok || !slices.Equal(dc2.PortSpeeds, []string{"1Gbps", "10Gbps", "100Gbps", "400Gbps"}) || dc2.Name == "" {
		t.Errorf("EqDC2: %+v %v", dc2, ok)
	}
	if _, ok := Find("us-west-2", "EqDC2"); ok {
		t.Error("EqDC2 found in us-west-2")
	}
	for _, l := range all {
		if l.Code == "" || l.Name == "" || l.Region == "" || len(l.PortSpeeds) == 0 ||
			l.Providers == nil || l.MacSecPortSpeeds == nil {
			t.Errorf("incomplete location %+v", l)
		}
	}
}
