package metric

import (
	"slices"
	"testing"
)

func TestStats(t *testing.T) {
	tests := []struct {
		name    string
		add     []Stats
		want    Stats
		average float64
	}{
		{"none", nil, Stats{}, 0},
		{"one value", []Stats{Value(3)}, Stats{Sum: 3, Min: 3, Max: 3, Count: 1}, 3},
		{"values and a set", []Stats{Value(3), {Sum: 10, Min: 1, Max: 6, Count: 3}, Value(-2)}, Stats{Sum: 11, Min: -2, Max: 6, Count: 5}, 2.2},
		{"an empty set changes nothing", []Stats{Value(4), {}}, Stats{Sum: 4, Min: 4, Max: 4, Count: 1}, 4},
	}
	for _, tc := range tests {
		var s Stats
		for _, a := range tc.add {
			s.Add(a)
		}
		if s != tc.want || s.Average() != tc.average {
			t.Errorf("%s: %+v (average %v), want %+v (%v)", tc.name, s, s.Average(), tc.want, tc.average)
		}
	}
}

func TestSortDimensions(t *testing.T) {
	dims := []Dimension{{"VPC Id", "vpc-1"}, {"Endpoint Type", "Interface"}, {"A", "2"}, {"A", "1"}}
	SortDimensions(dims)
	want := []Dimension{{"A", "1"}, {"A", "2"}, {"Endpoint Type", "Interface"}, {"VPC Id", "vpc-1"}}
	if !slices.Equal(dims, want) {
		t.Errorf("%v, want %v", dims, want)
	}
}
