package cloudwatch

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/metric"
)

// Statistics are the statistics CloudWatch computes from statistic sets.
var Statistics = []string{"SampleCount", "Average", "Sum", "Minimum", "Maximum"}

// MaxDatapoints is the most datapoints GetMetricStatistics answers.
const MaxDatapoints = 1440

// Metric names one metric of the caller's scope.
type Metric struct {
	Namespace, Name string
	Dimensions      []metric.Dimension
}

// StatisticsQuery is GetMetricStatistics' question.
type StatisticsQuery struct {
	Metric
	Start, End time.Time
	Period     int // seconds
	Statistics []string
	Extended   []string // percentiles: refused
	Unit       string   // "" any
}

// Datapoint is a period's statistics.
type Datapoint struct {
	Time  time.Time
	Unit  string
	Stats metric.Stats
}

// GetMetricStatistics answers a metric's statistics per period, as
// CloudWatch does: periods from the start time rounded down to the minute,
// a datapoint for each period that has data, in time order.
func (s *Service) GetMetricStatistics(ctx context.Context, who cloud.Caller, q StatisticsQuery) ([]Datapoint, error) {
	switch {
	case len(q.Statistics) == 0 && len(q.Extended) == 0, len(q.Statistics) > 0 && len(q.Extended) > 0:
		return nil, invalidCombination("Must specify either Statistics or ExtendedStatistics, but not both.")
	case len(q.Extended) > 0:
		return nil, unsupported("vpcemu keeps statistic sets, not each value: it cannot compute the percentiles of ExtendedStatistics (%s).", strings.Join(q.Extended, ", "))
	}
	for i, st := range q.Statistics {
		if !slices.Contains(Statistics, st) {
			return nil, invalidValue("The parameter Statistics.member.%d must be a value in the set [ %s ].", i+1, strings.Join(Statistics, ", "))
		}
	}
	if err := checkWindow(q.Start, q.End, q.Period, ""); err != nil {
		return nil, err
	}
	start := alignStart(q.Start, q.Period)
	if n := (q.End.Sub(start) + time.Duration(q.Period)*time.Second - 1) / (time.Duration(q.Period) * time.Second); n > MaxDatapoints {
		return nil, invalidCombination("You have requested up to %d datapoints, which exceeds the limit of %d. You may reduce the datapoints requested by increasing Period, or decreasing the time range.", n, MaxDatapoints)
	}
	if err := checkDimensions(q.Dimensions, "Dimensions"); err != nil {
		return nil, err
	}
	return s.aggregate(who, q.Metric, start, q.End, q.Period, q.Unit), nil
}

// checkWindow checks a query's times and period; at prefixes the period's
// parameter name ("" for GetMetricStatistics').
func checkWindow(start, end time.Time, period int, at string) error {
	if !start.Before(end) {
		return invalidValue("The parameter StartTime must be less than the parameter EndTime.")
	}
	switch {
	case period <= 0:
		return invalidValue("The parameter %sPeriod must be greater than 0.", at)
	case period < 60 && !slices.Contains([]int{1, 5, 10, 30}, period):
		return invalidValue("The parameter %sPeriod must be 1, 5, 10, 30 or a multiple of 60.", at)
	case period >= 60 && period%60 != 0:
		return invalidValue("The parameter %sPeriod must be a multiple of 60.", at)
	}
	return nil
}

// alignStart is where the first period starts: the start time rounded
// down to the minute (to the period, for periods under a minute: the data
// is per minute anyway).
func alignStart(t time.Time, period int) time.Time {
	if period < 60 {
		return t.Truncate(time.Duration(period) * time.Second)
	}
	return t.Truncate(time.Minute)
}

// aggregate are the datapoints of one metric of who's scope from start to
// end, one per period with data, in time order; unit "" takes every unit
// (and answers each period under its first).
func (s *Service) aggregate(who cloud.Caller, m Metric, start, end time.Time, period int, unit string) []Datapoint {
	dims := slices.Clone(m.Dimensions)
	metric.SortDimensions(dims)
	s.mu.RLock()
	defer s.mu.RUnlock()
	se := s.series[seriesKey(who.Account, who.Region, m.Namespace, m.Name, dims)]
	if se == nil {
		return nil
	}
	step := int64(period)
	var out []Datapoint
	for _, p := range se.window(start, end, unit) {
		at := time.Unix(start.Unix()+(p.minute-start.Unix())/step*step, 0).UTC()
		if n := len(out); n > 0 && out[n-1].Time.Equal(at) {
			out[n-1].Stats.Add(p.stats)
			continue
		}
		out = append(out, Datapoint{Time: at, Unit: p.unit, Stats: p.stats})
	}
	return out
}

// Statistic is one named statistic of a statistic set.
func Statistic(st metric.Stats, name string) float64 {
	switch name {
	case "SampleCount":
		return st.Count
	case "Average":
		return st.Average()
	case "Sum":
		return st.Sum
	case "Minimum":
		return st.Min
	case "Maximum":
		return st.Max
	}
	return 0
}
