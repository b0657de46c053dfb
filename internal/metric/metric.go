// Package metric holds CloudWatch datapoints as AWS's services publish
// them: a metric (namespace, name, dimensions) of an account and region,
// and a minute's statistic set (sum, minimum, maximum, sample count). The
// data plane publishes what its meters counted in each closed window
// (internal/dataplane), the CloudWatch family keeps and answers them
// (internal/cloud/cloudwatch); this package is what the two share, as
// internal/flowlog is for flow-log records.
package metric

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// Dimension is one name/value pair of a metric's identity.
type Dimension struct {
	Name, Value string
}

// Stats is a statistic set: what CloudWatch keeps of the values of one
// period, from which every statistic but percentiles follows.
type Stats struct {
	Sum, Min, Max, Count float64
}

// Value is the statistic set of one value.
func Value(v float64) Stats { return Stats{Sum: v, Min: v, Max: v, Count: 1} }

// Add merges o into s.
func (s *Stats) Add(o Stats) {
	if o.Count == 0 {
		return
	}
	if s.Count == 0 {
		*s = o
		return
	}
	s.Sum += o.Sum
	s.Min = min(s.Min, o.Min)
	s.Max = max(s.Max, o.Max)
	s.Count += o.Count
}

// Average is Sum / Count (0 for no samples).
func (s Stats) Average() float64 {
	if s.Count == 0 {
		return 0
	}
	return s.Sum / s.Count
}

// Datum is one datapoint of one metric.
type Datum struct {
	Account, Region string
	Namespace, Name string
	// Dimensions, in any order: a metric is the same whatever order they
	// come in (Key sorts them).
	Dimensions []Dimension
	Unit       string // a StandardUnit: Bytes, Count, …; "" is None
	// Time is the start of the period the statistics are of (the data
	// plane's: the minute whose window just closed).
	Time  time.Time
	Stats Stats
}

// SortDimensions sorts dims by name, then value: a metric's identity does
// not depend on the order they were given in.
func SortDimensions(dims []Dimension) {
	slices.SortFunc(dims, func(a, b Dimension) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Value, b.Value))
	})
}

// Sink takes the datapoints of a closed window (the CloudWatch family
// keeps them).
type Sink func(context.Context, []Datum) error
