package cloudwatch

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// MaxQueries is the most queries one GetMetricData takes.
const MaxQueries = 500

// DataQuery is one of GetMetricData's queries: a metric's statistic
// (MetricStat), or a math expression, which vpcemu refuses.
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
// statistic per period from start to end, newest first unless ascending;
// maxDatapoints (0: the default) bounds them all together.
func (s *Service) GetMetricData(ctx context.Context, who cloud.Caller, queries []DataQuery, start, end time.Time, ascending bool, maxDatapoints int) ([]DataResult, error) {
	if err := checkQueries(queries, start, end); err != nil {
		return nil, err
	}
	if maxDatapoints <= 0 {
		maxDatapoints = DefaultMaxDatapoints
	}
	out := []DataResult{}
	left := maxDatapoints
	for _, q := range queries {
		if !q.ReturnData {
			continue
		}
		st := q.Stat
		r := DataResult{ID: q.ID, Label: q.Label, Status: "Complete", Times: []time.Time{}, Values: []float64{}}
		if r.Label == "" {
			r.Label = st.Name
		}
		points := s.aggregate(who, st.Metric, alignStart(start, st.Period), end, st.Period, st.Unit)
		if !ascending {
			slices.Reverse(points)
		}
		if len(points) > left {
			points, r.Status = points[:left], "PartialData"
		}
		left -= len(points)
		for _, p := range points {
			r.Times = append(r.Times, p.Time)
			r.Values = append(r.Values, Statistic(p.Stats, st.Stat))
		}
		out = append(out, r)
	}
	return out, nil
}

// checkQueries refuses what CloudWatch refuses of GetMetricData's queries,
// and the expressions vpcemu does not evaluate.
func checkQueries(queries []DataQuery, start, end time.Time) error {
	switch {
	case len(queries) == 0:
		return missing("The parameter MetricDataQueries must contain at least one query.")
	case len(queries) > MaxQueries:
		return invalidValue("The collection MetricDataQueries must not have a size greater than %d.", MaxQueries)
	}
	seen := map[string]bool{}
	returning := 0
	for i, q := range queries {
		at := "MetricDataQueries.member." + strconv.Itoa(i+1)
		switch {
		case !queryID.MatchString(q.ID):
			return invalidValue("The value %s for parameter %s.Id is invalid: an id starts with a lowercase letter and holds only letters, digits and underscores.", q.ID, at)
		case seen[q.ID]:
			return invalidValue("The value %s for parameter %s.Id is not unique.", q.ID, at)
		case (q.Stat == nil) == (q.Expression == ""):
			return invalidCombination("Exactly one of %s.MetricStat and %[1]s.Expression must be specified.", at)
		case q.Expression != "":
			return unsupported("vpcemu does not evaluate metric math: %s.Expression (%s) cannot be answered; ask for each metric with MetricStat.", at, q.Expression)
		}
		seen[q.ID] = true
		if q.ReturnData {
			returning++
		}
		if err := checkWindow(start, end, q.Stat.Period, at+".MetricStat."); err != nil {
			return err
		}
		if !slices.Contains(Statistics, q.Stat.Stat) {
			return unsupported("vpcemu computes only the statistics %v from statistic sets; %s.MetricStat.Stat %s (a percentile or trimmed statistic) needs each value.", Statistics, at, q.Stat.Stat)
		}
		if err := checkDimensions(q.Stat.Dimensions, at+".MetricStat.Metric"); err != nil {
			return err
		}
	}
	if returning == 0 {
		return invalidValue("At least one query of MetricDataQueries must have ReturnData true.")
	}
	return nil
}
