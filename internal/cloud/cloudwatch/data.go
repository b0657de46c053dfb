package cloudwatch

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// MaxQueries is the most queries one GetMetricData takes.
const MaxQueries = 500

// DataQuery is one of GetMetricData's queries: a metric's statistic
// (MetricStat), or a math expression over other queries (expr.go).
type DataQuery struct {
	ID, Label  string
	ReturnData bool
	Expression string
	Stat       *MetricStat
}

// MetricStat is a metric, a period and a statistic.
type MetricStat struct {
	Metric
	Period int
	Stat   string
	Unit   string
}

// DataResult is one query's answer.
type DataResult struct {
	ID, Label string
	Times     []time.Time
	Values    []float64
	// Status is Complete, or PartialData when MaxDatapoints cut it short.
	Status string
}

// DefaultMaxDatapoints is GetMetricData's limit when the call gives none.
const DefaultMaxDatapoints = 100_800

var queryID = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)

// GetMetricData answers the queries that return data, each a metric's
// statistic per period from start to end or an expression over other
// queries (expr.go), newest first unless ascending; maxDatapoints (0: the
// default) bounds them all together.
func (s *Service) GetMetricData(ctx context.Context, who cloud.Caller, queries []DataQuery, start, end time.Time, ascending bool, maxDatapoints int) ([]DataResult, error) {
	exprs, err := checkQueries(queries, start, end)
	if err != nil {
		return nil, err
	}
	if maxDatapoints <= 0 {
		maxDatapoints = DefaultMaxDatapoints
	}
	byID := map[string]DataQuery{}
	for _, q := range queries {
		byID[q.ID] = q
	}
	done, busy := map[string]value{}, map[string]bool{}
	var eval func(id string) (value, error)
	eval = func(id string) (value, error) {
		if v, ok := done[id]; ok {
			return v, nil
		}
		if busy[id] {
			return value{}, invalidValue("The expressions of MetricDataQueries refer to each other in a circle through %s.", id)
		}
		busy[id] = true
		q, v := byID[id], value{points: map[int64]float64{}}
		if st := q.Stat; st != nil {
			for _, p := range s.aggregate(who, st.Metric, alignStart(start, st.Period), end, st.Period, st.Unit) {
				v.points[p.Time.Unix()] = Statistic(p.Stats, st.Stat)
			}
		} else {
			var err error
			if v, err = exprs[id].eval(eval); err != nil {
				return value{}, err
			}
			if v.scalar {
				return value{}, unsupported("The expression %s of %s gives a number, not a time series: vpcemu answers time series only.", q.Expression, id)
			}
		}
		done[id] = v
		return v, nil
	}
	out := []DataResult{}
	left := maxDatapoints
	for _, q := range queries {
		if !q.ReturnData {
			continue
		}
		v, err := eval(q.ID)
		if err != nil {
			return nil, err
		}
		r := DataResult{ID: q.ID, Label: q.Label, Status: "Complete", Times: []time.Time{}, Values: []float64{}}
		if r.Label == "" {
			r.Label = q.ID
			if q.Stat != nil {
				r.Label = q.Stat.Name
			}
		}
		times := slices.Sorted(maps.Keys(v.points))
		if !ascending {
			slices.Reverse(times)
		}
		if len(times) > left {
			times, r.Status = times[:left], "PartialData"
		}
		left -= len(times)
		for _, t := range times {
			r.Times = append(r.Times, time.Unix(t, 0).UTC())
			r.Values = append(r.Values, v.points[t])
		}
		out = append(out, r)
	}
	return out, nil
}

// checkQueries refuses what CloudWatch refuses of GetMetricData's queries,
// and the expressions vpcemu does not evaluate; it answers the parsed
// expressions by query id.
func checkQueries(queries []DataQuery, start, end time.Time) (map[string]node, error) {
	switch {
	case len(queries) == 0:
		return nil, missing("The parameter MetricDataQueries must contain at least one query.")
	case len(queries) > MaxQueries:
		return nil, invalidValue("The collection MetricDataQueries must not have a size greater than %d.", MaxQueries)
	}
	if !start.Before(end) {
		return nil, invalidValue("The parameter StartTime must be less than the parameter EndTime.")
	}
	exprs := map[string]node{}
	refs := map[string][]string{}
	seen := map[string]bool{}
	returning := 0
	for i, q := range queries {
		at := "MetricDataQueries.member." + strconv.Itoa(i+1)
		switch {
		case !queryID.MatchString(q.ID):
			return nil, invalidValue("The value %s for parameter %s.Id is invalid: an id starts with a lowercase letter and holds only letters, digits and underscores.", q.ID, at)
		case seen[q.ID]:
			return nil, invalidValue("The value %s for parameter %s.Id is not unique.", q.ID, at)
		case (q.Stat == nil) == (q.Expression == ""):
			return nil, invalidCombination("Exactly one of %s.MetricStat and %[1]s.Expression must be specified.", at)
		}
		seen[q.ID] = true
		if q.ReturnData {
			returning++
		}
		if q.Expression != "" {
			n, names, err := parseExpression(q.Expression, at+".Expression")
			if err != nil {
				return nil, err
			}
			exprs[q.ID], refs[at] = n, names
			continue
		}
		if err := checkWindow(start, end, q.Stat.Period, at+".MetricStat."); err != nil {
			return nil, err
		}
		if !slices.Contains(Statistics, q.Stat.Stat) {
			return nil, unsupported("vpcemu computes only the statistics %v from statistic sets; %s.MetricStat.Stat %s (a percentile or trimmed statistic) needs each value.", Statistics, at, q.Stat.Stat)
		}
		if err := checkDimensions(q.Stat.Dimensions, at+".MetricStat.Metric"); err != nil {
			return nil, err
		}
	}
	for _, at := range slices.Sorted(maps.Keys(refs)) {
		for _, id := range refs[at] {
			if !seen[id] {
				return nil, invalidValue("The expression of %s names %s, which no query of MetricDataQueries has as its Id.", at, id)
			}
		}
	}
	if returning == 0 {
		return nil, invalidValue("At least one query of MetricDataQueries must have ReturnData true.")
	}
	return exprs, nil
}
