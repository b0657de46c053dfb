// Package cloudwatch serves Amazon CloudWatch's metrics (in the query
// protocol and, query-compatible, in awsJson1_0 and rpcv2Cbor, which the
// aws CLI v1 and aws-sdk-go-v2 send: internal/awsproto/querycompat): it turns
// the generated wire shapes into calls on the CloudWatch family of the
// domain (internal/cloud/cloudwatch) and its results back into shapes,
// and owns CloudWatch's error codes.
package cloudwatch

import (
	"context"
	"net/http"
	"time"

	"github.com/vpcemu/vpcemu/internal/api/cloudwatchapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	cw "github.com/vpcemu/vpcemu/internal/cloud/cloudwatch"
	"github.com/vpcemu/vpcemu/internal/metric"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// Service implements cloudwatchapi.Handler.
type Service struct {
	cw *cw.Service
}

var _ cloudwatchapi.Handler = (*Service)(nil)

// New returns the CloudWatch service over the family f.
func New(f *cw.Service) *Service { return &Service{cw: f} }

func caller(r *awsproto.Request) cloud.Caller {
	return cloud.Caller{Account: r.Account, Region: r.Region}
}

// codes maps the domain's refusals to CloudWatch's error codes.
var codes = cloud.ErrorCodes{
	cloud.InvalidParameter:   {"": "InvalidParameterValue"},
	cloud.InvalidCombination: {"": "InvalidParameterCombination"},
	cloud.MissingParameter:   {"": "MissingParameter"},
	cloud.LimitExceeded:      {"": "LimitExceeded"},
	cloud.Unsupported:        {"": "ValidationError"},
}

// MapError turns a domain refusal into CloudWatch's error (HTTP 400); nil
// for errors that are not refusals (the server answers those as a server
// fault).
func MapError(err error) *awsproto.Error {
	if e, ok := err.(*awsproto.Error); ok {
		return e
	}
	de, ok := cloud.AsError(err)
	if !ok {
		return nil
	}
	return &awsproto.Error{Code: codes.Code(de, "InvalidParameterValue"), Message: de.Msg, Status: http.StatusBadRequest}
}

// Renames are the json and CBOR codecs' codes CloudWatch words as its
// query protocol does: a value outside the model's constraints is a
// ValidationError, whatever protocol the client speaks.
var Renames = map[string]string{"ValidationException": "ValidationError"}

func dimensions(in []cloudwatchapi.Dimension) []metric.Dimension {
	out := make([]metric.Dimension, 0, len(in))
	for _, d := range in {
		out = append(out, metric.Dimension{Name: optional.Value(d.Name), Value: optional.Value(d.Value)})
	}
	return out
}

func wireDimensions(in []metric.Dimension) []cloudwatchapi.Dimension {
	out := make([]cloudwatchapi.Dimension, 0, len(in))
	for _, d := range in {
		out = append(out, cloudwatchapi.Dimension{Name: new(d.Name), Value: new(d.Value)})
	}
	return out
}

// GetMetricStatistics implements cloudwatchapi.Handler.
func (s *Service) GetMetricStatistics(ctx context.Context, req *awsproto.Request, in *cloudwatchapi.GetMetricStatisticsInput) (*cloudwatchapi.GetMetricStatisticsOutput, error) {
	q := cw.StatisticsQuery{
		Metric:     cw.Metric{Namespace: optional.Value(in.Namespace), Name: optional.Value(in.MetricName), Dimensions: dimensions(in.Dimensions)},
		Start:      optional.Value(in.StartTime),
		End:        optional.Value(in.EndTime),
		Period:     int(optional.Value(in.Period)),
		Statistics: in.Statistics,
		Extended:   in.ExtendedStatistics,
		Unit:       optional.Value(in.Unit),
	}
	points, err := s.cw.GetMetricStatistics(ctx, caller(req), q)
	if err != nil {
		return nil, err
	}
	out := &cloudwatchapi.GetMetricStatisticsOutput{Label: new(q.Name), Datapoints: []cloudwatchapi.Datapoint{}}
	for _, p := range points {
		d := cloudwatchapi.Datapoint{Timestamp: new(p.Time), Unit: new(p.Unit)}
		for _, st := range q.Statistics {
			v := new(cw.Statistic(p.Stats, st))
			switch st {
			case "SampleCount":
				d.SampleCount = v
			case "Average":
				d.Average = v
			case "Sum":
				d.Sum = v
			case "Minimum":
				d.Minimum = v
			case "Maximum":
				d.Maximum = v
			}
		}
		out.Datapoints = append(out.Datapoints, d)
	}
	return out, nil
}

// GetMetricData implements cloudwatchapi.Handler.
func (s *Service) GetMetricData(ctx context.Context, req *awsproto.Request, in *cloudwatchapi.GetMetricDataInput) (*cloudwatchapi.GetMetricDataOutput, error) {
	queries := make([]cw.DataQuery, 0, len(in.MetricDataQueries))
	for _, q := range in.MetricDataQueries {
		dq := cw.DataQuery{ID: optional.Value(q.Id), Label: optional.Value(q.Label), ReturnData: q.ReturnData == nil || *q.ReturnData, Expression: optional.Value(q.Expression)}
		if ms := q.MetricStat; ms != nil {
			m := optional.Value(ms.Metric)
			dq.Stat = &cw.MetricStat{
				Metric: cw.Metric{Namespace: optional.Value(m.Namespace), Name: optional.Value(m.MetricName), Dimensions: dimensions(m.Dimensions)},
				Period: int(optional.Value(ms.Period)),
				Stat:   optional.Value(ms.Stat),
				Unit:   optional.Value(ms.Unit),
			}
		}
		queries = append(queries, dq)
	}
	ascending := optional.Value(in.ScanBy) == cloudwatchapi.ScanByTimestampAscending
	results, err := s.cw.GetMetricData(ctx, caller(req), queries, optional.Value(in.StartTime), optional.Value(in.EndTime), ascending, int(optional.Value(in.MaxDatapoints)))
	if err != nil {
		return nil, err
	}
	out := &cloudwatchapi.GetMetricDataOutput{MetricDataResults: []cloudwatchapi.MetricDataResult{}}
	for _, r := range results {
		times := make([]time.Time, len(r.Times))
		for i, t := range r.Times {
			times[i] = t.UTC()
		}
		out.MetricDataResults = append(out.MetricDataResults, cloudwatchapi.MetricDataResult{
			Id: new(r.ID), Label: new(r.Label), StatusCode: new(r.Status), Timestamps: times, Values: r.Values,
		})
	}
	return out, nil
}

// ListMetrics implements cloudwatchapi.Handler.
func (s *Service) ListMetrics(ctx context.Context, req *awsproto.Request, in *cloudwatchapi.ListMetricsInput) (*cloudwatchapi.ListMetricsOutput, error) {
	q := cw.ListQuery{
		Namespace:      optional.Value(in.Namespace),
		Name:           optional.Value(in.MetricName),
		RecentlyActive: optional.Value(in.RecentlyActive) == cloudwatchapi.RecentlyActivePT3H,
		NextToken:      optional.Value(in.NextToken),
	}
	for _, f := range in.Dimensions {
		q.Dimensions = append(q.Dimensions, cw.DimensionFilter{Name: optional.Value(f.Name), Value: optional.Value(f.Value), HasValue: f.Value != nil})
	}
	metrics, next, err := s.cw.ListMetrics(ctx, caller(req), q)
	if err != nil {
		return nil, err
	}
	out := &cloudwatchapi.ListMetricsOutput{Metrics: []cloudwatchapi.Metric{}, NextToken: optional.String(next)}
	for _, m := range metrics {
		out.Metrics = append(out.Metrics, cloudwatchapi.Metric{Namespace: new(m.Namespace), MetricName: new(m.Name), Dimensions: wireDimensions(m.Dimensions)})
	}
	if optional.Value(in.IncludeLinkedAccounts) {
		// No monitoring account links others here: every metric is the
		// caller's own.
		out.OwningAccounts = make([]string, len(out.Metrics))
		for i := range out.OwningAccounts {
			out.OwningAccounts[i] = req.Account
		}
	}
	return out, nil
}

// PutMetricData implements cloudwatchapi.Handler.
func (s *Service) PutMetricData(ctx context.Context, req *awsproto.Request, in *cloudwatchapi.PutMetricDataInput) (*cloudwatchapi.PutMetricDataOutput, error) {
	data := make([]cw.PutDatum, 0, len(in.MetricData))
	for _, d := range in.MetricData {
		pd := cw.PutDatum{Name: optional.Value(d.MetricName), Dimensions: dimensions(d.Dimensions), Time: optional.Value(d.Timestamp),
			Unit: optional.Value(d.Unit), Value: d.Value, Values: d.Values, Counts: d.Counts}
		if sv := d.StatisticValues; sv != nil {
			pd.Stats = &metric.Stats{Sum: optional.Value(sv.Sum), Min: optional.Value(sv.Minimum), Max: optional.Value(sv.Maximum), Count: optional.Value(sv.SampleCount)}
		}
		data = append(data, pd)
	}
	if err := s.cw.PutMetricData(ctx, caller(req), optional.Value(in.Namespace), data); err != nil {
		return nil, err
	}
	return &cloudwatchapi.PutMetricDataOutput{}, nil
}
