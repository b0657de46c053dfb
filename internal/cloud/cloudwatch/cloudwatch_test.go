package cloudwatch

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
	"github.com/vpcemu/vpcemu/internal/metric"
)

var ctx = context.Background()

type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func open(t *testing.T) (*Service, *clock) {
	clk := &clock{now: time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)}
	return New(cloudtest.Open(t, cloud.WithClock(clk.Now))), clk
}

var who = cloudtest.Alice

func endpointDatum(at time.Time, bytes float64) metric.Datum {
	return metric.Datum{Account: who.Account, Region: who.Region, Namespace: "AWS/PrivateLinkEndpoints", Name: "BytesProcessed", Unit: "Bytes",
		Dimensions: []metric.Dimension{{Name: "VPC Id", Value: "vpc-1"}, {Name: "VPC Endpoint Id", Value: "vpce-1"}}, Time: at, Stats: metric.Value(bytes)}
}

var endpointMetric = Metric{Namespace: "AWS/PrivateLinkEndpoints", Name: "BytesProcessed",
	Dimensions: []metric.Dimension{{Name: "VPC Endpoint Id", Value: "vpce-1"}, {Name: "VPC Id", Value: "vpc-1"}}}

// TestPublishAndRead: the data plane's datapoints are read back whatever
// the order of their dimensions, summed per period; a metric of other
// dimensions, another account or another region is another metric.
func TestPublishAndRead(t *testing.T) {
	s, clk := open(t)
	m0 := clk.now.Add(-10 * time.Minute)
	for i, b := range []float64{100, 200, 300} {
		if err := s.Publish(ctx, []metric.Datum{endpointDatum(m0.Add(time.Duration(i)*time.Minute), b)}); err != nil {
			t.Fatal(err)
		}
	}
	points, err := s.GetMetricStatistics(ctx, who, StatisticsQuery{Metric: endpointMetric, Start: m0.Add(30 * time.Second), End: clk.now, Period: 120, Statistics: []string{"Sum"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(points) != 2 || !points[0].Time.Equal(m0) || points[0].Stats.Sum != 300 || points[1].Stats.Sum != 300 || points[0].Stats.Count != 2 {
		t.Errorf("two-minute periods %+v", points)
	}
	for _, q := range []struct {
		name string
		who  cloud.Caller
		m    Metric
	}{
		{"fewer dimensions", who, Metric{Namespace: endpointMetric.Namespace, Name: endpointMetric.Name, Dimensions: endpointMetric.Dimensions[:1]}},
		{"another account", cloudtest.Bob, endpointMetric},
		{"another region", cloud.Caller{Account: who.Account, Region: "eu-west-1"}, endpointMetric},
	} {
		if points, _ := s.GetMetricStatistics(ctx, q.who, StatisticsQuery{Metric: q.m, Start: m0, End: clk.now, Period: 60, Statistics: []string{"Sum"}}); len(points) != 0 {
			t.Errorf("%s: %+v", q.name, points)
		}
	}
}

// TestRetention: a write drops its series' points older than 15 days, and
// ListMetrics lists no metric without points within them.
func TestRetention(t *testing.T) {
	s, clk := open(t)
	old := clk.now.Add(-Retention - time.Minute)
	s.Publish(ctx, []metric.Datum{endpointDatum(old, 1)})
	if l, _, _ := s.ListMetrics(ctx, who, ListQuery{}); len(l) != 0 {
		t.Errorf("expired metric listed %+v", l)
	}
	s.Publish(ctx, []metric.Datum{endpointDatum(clk.now, 2)})
	for _, se := range s.series {
		if len(se.points) != 1 {
			t.Errorf("points kept %+v", se.points)
		}
	}
	if l, _, _ := s.ListMetrics(ctx, who, ListQuery{RecentlyActive: true}); len(l) != 1 {
		t.Errorf("recently active %+v", l)
	}
	clk.now = clk.now.Add(4 * time.Hour)
	if l, _, _ := s.ListMetrics(ctx, who, ListQuery{RecentlyActive: true}); len(l) != 0 {
		t.Errorf("not active for 4 hours, yet %+v", l)
	}
}

// TestListPages: ListMetrics answers 500 at a time, in order, with a token.
func TestListPages(t *testing.T) {
	s, clk := open(t)
	var data []metric.Datum
	for i := range 501 {
		data = append(data, metric.Datum{Account: who.Account, Region: who.Region, Namespace: "App", Name: fmt.Sprintf("m%03d", i), Time: clk.now, Stats: metric.Value(1)})
	}
	s.Publish(ctx, data)
	page, next, err := s.ListMetrics(ctx, who, ListQuery{Namespace: "App"})
	if err != nil || len(page) != ListPage || next == "" || page[0].Name != "m000" {
		t.Fatalf("first page: %d %q %v", len(page), next, err)
	}
	page, next, err = s.ListMetrics(ctx, who, ListQuery{Namespace: "App", NextToken: next})
	if err != nil || len(page) != 1 || next != "" || page[0].Name != "m500" {
		t.Fatalf("second page: %+v %q %v", page, next, err)
	}
	_, _, err = s.ListMetrics(ctx, who, ListQuery{NextToken: "!"})
	cloudtest.WantReason(t, err, cloud.InvalidParameter, "", "NextToken")
}

// TestPutMetricData: CloudWatch's checks of a user's datapoints, and the
// statistic set each kind of datum gives.
func TestPutMetricData(t *testing.T) {
	s, clk := open(t)
	one, nan := 1.0, 0.0
	nan = nan / nan
	tests := []struct {
		name   string
		ns     string
		d      PutDatum
		reason cloud.Reason
		msg    string
		want   metric.Stats
	}{
		{"value", "App", PutDatum{Value: &one}, 0, "", metric.Value(1)},
		{"values with counts", "App", PutDatum{Values: []float64{2, 4}, Counts: []float64{3, 1}}, 0, "", metric.Stats{Sum: 10, Min: 2, Max: 4, Count: 4}},
		{"statistic set", "App", PutDatum{Stats: &metric.Stats{Sum: 9, Min: 1, Max: 5, Count: 3}}, 0, "", metric.Stats{Sum: 9, Min: 1, Max: 5, Count: 3}},
		{"AWS namespace", "AWS/NATGateway", PutDatum{Value: &one}, cloud.InvalidParameter, "The value AWS/ for parameter Namespace is invalid.", metric.Stats{}},
		{"nothing", "App", PutDatum{}, cloud.MissingParameter, "MetricData.member.1.Value, MetricData.member.1.Values or MetricData.member.1.StatisticValues is required", metric.Stats{}},
		{"two kinds", "App", PutDatum{Value: &one, Values: []float64{1}}, cloud.InvalidCombination, "mutually exclusive", metric.Stats{}},
		{"counts", "App", PutDatum{Values: []float64{1, 2}, Counts: []float64{1}}, cloud.InvalidParameter, "must be of the same size", metric.Stats{}},
		{"NaN", "App", PutDatum{Value: &nan}, cloud.InvalidParameter, "MetricData.member.1.Value", metric.Stats{}},
		{"too old", "App", PutDatum{Value: &one, Time: clk.now.Add(-15 * 24 * time.Hour)}, cloud.InvalidParameter, "no more than two weeks in the past", metric.Stats{}},
		{"twice a dimension", "App", PutDatum{Value: &one, Dimensions: []metric.Dimension{{Name: "A", Value: "1"}, {Name: "A", Value: "2"}}}, cloud.InvalidParameter, "duplicate dimension names", metric.Stats{}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.d.Name = fmt.Sprintf("m%d", i)
			err := s.PutMetricData(ctx, who, tc.ns, []PutDatum{tc.d})
			if tc.reason != 0 {
				cloudtest.WantReason(t, err, tc.reason, "", tc.msg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			points, err := s.GetMetricStatistics(ctx, who, StatisticsQuery{Metric: Metric{Namespace: tc.ns, Name: tc.d.Name}, Start: clk.now.Add(-time.Hour), End: clk.now.Add(time.Hour), Period: 60, Statistics: Statistics})
			if err != nil || len(points) != 1 || points[0].Stats != tc.want || points[0].Unit != "None" {
				t.Errorf("read back %+v %v", points, err)
			}
		})
	}
}

// TestGetMetricData: queries' checks, ReturnData, ScanBy and the bound on
// datapoints.
func TestGetMetricData(t *testing.T) {
	s, clk := open(t)
	for i := range 3 {
		s.Publish(ctx, []metric.Datum{endpointDatum(clk.now.Add(time.Duration(i-3)*time.Minute), float64(i+1))})
	}
	stat := func(id, st string) DataQuery {
		return DataQuery{ID: id, ReturnData: true, Stat: &MetricStat{Metric: endpointMetric, Period: 60, Stat: st}}
	}
	res, err := s.GetMetricData(ctx, who, []DataQuery{stat("a", "Sum"), stat("b", "Average")}, clk.now.Add(-time.Hour), clk.now, true, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || len(res[0].Values) != 3 || res[0].Values[0] != 1 || res[0].Status != "Complete" || len(res[1].Values) != 1 || res[1].Status != "PartialData" {
		t.Errorf("results %+v", res)
	}
	hidden := stat("c", "Sum")
	hidden.ReturnData = false
	for _, tc := range []struct {
		name    string
		queries []DataQuery
		reason  cloud.Reason
		msg     string
	}{
		{"no query", nil, cloud.MissingParameter, "at least one query"},
		{"bad id", []DataQuery{stat("A", "Sum")}, cloud.InvalidParameter, "starts with a lowercase letter"},
		{"same id", []DataQuery{stat("a", "Sum"), stat("a", "Sum")}, cloud.InvalidParameter, "is not unique"},
		{"neither", []DataQuery{{ID: "a", ReturnData: true}}, cloud.InvalidCombination, "Exactly one of MetricDataQueries.member.1.MetricStat and MetricDataQueries.member.1.Expression"},
		{"expression of no query", []DataQuery{{ID: "e", ReturnData: true, Expression: "a*2"}}, cloud.InvalidParameter, "names a, which no query"},
		{"percentile", []DataQuery{stat("a", "p99")}, cloud.Unsupported, "percentile"},
		{"period", []DataQuery{{ID: "a", ReturnData: true, Stat: &MetricStat{Metric: endpointMetric, Period: 45, Stat: "Sum"}}}, cloud.InvalidParameter, "MetricDataQueries.member.1.MetricStat.Period must be 1, 5, 10, 30 or a multiple of 60"},
		{"no data returned", []DataQuery{hidden}, cloud.InvalidParameter, "ReturnData true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.GetMetricData(ctx, who, tc.queries, clk.now.Add(-time.Hour), clk.now, false, 0)
			cloudtest.WantReason(t, err, tc.reason, "", tc.msg)
		})
	}
}

// TestExpressions: the metric math vpcemu evaluates, and what it refuses.
func TestExpressions(t *testing.T) {
	s, clk := open(t)
	m0 := clk.now.Add(-3 * time.Minute)
	other := endpointDatum(m0, 0)
	other.Name = "NewConnections"
	for i, v := range []float64{10, 20, 30} {
		s.Publish(ctx, []metric.Datum{endpointDatum(m0.Add(time.Duration(i)*time.Minute), v)})
	}
	other.Stats = metric.Value(4)
	s.Publish(ctx, []metric.Datum{other}) // only at m0
	conns := Metric{Namespace: endpointMetric.Namespace, Name: "NewConnections", Dimensions: endpointMetric.Dimensions}
	base := []DataQuery{
		{ID: "a", Stat: &MetricStat{Metric: endpointMetric, Period: 60, Stat: "Sum"}},
		{ID: "b", Stat: &MetricStat{Metric: conns, Period: 60, Stat: "Sum"}},
	}
	ask := func(exprs ...string) ([]DataResult, error) {
		q := slices.Clone(base)
		for i, e := range exprs {
			q = append(q, DataQuery{ID: fmt.Sprintf("e%d", i+1), Expression: e, ReturnData: true})
		}
		return s.GetMetricData(ctx, who, q, m0, clk.now, true, 0)
	}
	for _, tc := range []struct {
		expr string
		want []float64
	}{
		{"a*2", []float64{20, 40, 60}},
		{"-a + 1", []float64{-9, -19, -29}},
		{"(a - 4) / 2", []float64{3, 8, 13}},
		{"a / b", []float64{2.5}}, // only where both have a point
		{"SUM([a, b])", []float64{14, 20, 30}},
		{"max([a, b * 10])", []float64{40, 20, 30}},
		{"AVG([a, a])", []float64{10, 20, 30}},
		{"a / 0", nil},
	} {
		res, err := ask(tc.expr)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if len(res) != 1 || res[0].Label != "e1" || !slices.Equal(res[0].Values, tc.want) && len(tc.want)+len(res[0].Values) > 0 {
			t.Errorf("%s: %+v, want %v", tc.expr, res, tc.want)
		}
	}
	for _, tc := range []struct {
		exprs  []string
		reason cloud.Reason
		msg    string
	}{
		{[]string{"SUM(METRICS())"}, cloud.Unsupported, "SUM takes an array"},
		{[]string{"RATE(a)"}, cloud.Unsupported, "the function RATE is not served"},
		{[]string{"a +"}, cloud.Unsupported, "the expression ends early"},
		{[]string{"a b"}, cloud.Unsupported, `unexpected "b"`},
		{[]string{"2 * 3"}, cloud.Unsupported, "gives a number, not a time series"},
		{[]string{"e2", "e1"}, cloud.InvalidParameter, "refer to each other in a circle"},
		{[]string{"zz * 2"}, cloud.InvalidParameter, "names zz, which no query"},
	} {
		_, err := ask(tc.exprs...)
		cloudtest.WantReason(t, err, tc.reason, "", tc.msg)
	}
}
