package main

import "testing"

func TestCostFormats(t *testing.T) {
	for _, tt := range []struct {
		f    func(float64) string
		v    float64
		want string
	}{
		{dollars, 0, "$0.00"}, {dollars, 7.3, "$7.30"}, {dollars, 42062.4, "$42,062.40"}, {dollars, 3.85e-08, "<$0.01"},
		{dollars, -64.2, "-$64.20"}, {number, 730, "730"}, {number, 1460, "1,460"}, {number, 1.3698, "1.3698"},
		{number, 3.85e-06, "0.0000039"}, {number, 0.0002566, "0.00026"}, {rate, 0.5, "$0.50"}, {rate, 0.0225, "$0.0225"}, {rate, 2, "$2.00"},
	} {
		if got := tt.f(tt.v); got != tt.want {
			t.Errorf("%v → %q, want %q", tt.v, got, tt.want)
		}
	}
}
