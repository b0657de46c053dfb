package cloudwatch_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

var ctx = context.Background()

func ok[T any](t *testing.T) func(T, error) T { return emulatortest.OK[T](t) }

var now = time.Date(2026, 12, 7, 12, 0, 30, 0, time.UTC)

func start(t *testing.T) (*cloudwatch.Client, *emulatortest.Clock) {
	clk := emulatortest.NewClock(now)
	e := emulatortest.Start(t, cloud.WithClock(clk.Now))
	return emulatortest.CloudWatch(e, emulatortest.AccountA, "eu-west-1"), clk
}

// put sends a custom metric's values, one call per minute's values.
func put(t *testing.T, c *cloudwatch.Client, at time.Time, dims []types.Dimension, values ...float64) {
	t.Helper()
	ok[*cloudwatch.PutMetricDataOutput](t)(c.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App/Web"),
		MetricData: []types.MetricDatum{{MetricName: aws.String("Latency"), Dimensions: dims, Timestamp: aws.Time(at), Values: values, Unit: types.StandardUnitMilliseconds}}}))
}

var host = []types.Dimension{{Name: aws.String("Host"), Value: aws.String("web-1")}}

// TestRoundTrip: custom datapoints through aws-sdk-go-v2 (rpcv2Cbor), read
// back by GetMetricStatistics, GetMetricData and ListMetrics.
func TestRoundTrip(t *testing.T) {
	c, _ := start(t)
	m0 := now.Truncate(time.Minute).Add(-3 * time.Minute)
	put(t, c, m0, host, 10, 20)
	put(t, c, m0.Add(time.Minute), host, 30)
	put(t, c, m0.Add(2*time.Minute+10*time.Second), host, 5, 7)
	put(t, c, m0, nil, 99) // another metric: no dimensions

	st := ok[*cloudwatch.GetMetricStatisticsOutput](t)(c.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
		Namespace: aws.String("App/Web"), MetricName: aws.String("Latency"), Dimensions: host,
		StartTime: aws.Time(m0.Add(-time.Hour)), EndTime: aws.Time(now), Period: aws.Int32(60),
		Statistics: []types.Statistic{types.StatisticSum, types.StatisticAverage, types.StatisticMinimum, types.StatisticMaximum, types.StatisticSampleCount}}))
	if aws.ToString(st.Label) != "Latency" || len(st.Datapoints) != 3 {
		t.Fatalf("statistics %+v", st)
	}
	want := []struct{ sum, avg, min, max, n float64 }{{30, 15, 10, 20, 2}, {30, 30, 30, 30, 1}, {12, 6, 5, 7, 2}}
	for i, d := range st.Datapoints {
		w := want[i]
		if !aws.ToTime(d.Timestamp).Equal(m0.Add(time.Duration(i)*time.Minute)) || *d.Sum != w.sum || *d.Average != w.avg || *d.Minimum != w.min ||
			*d.Maximum != w.max || *d.SampleCount != w.n || d.Unit != types.StandardUnitMilliseconds {
			t.Errorf("datapoint %d: %v %v %v %v %v %v %s", i, aws.ToTime(d.Timestamp), *d.Sum, *d.Average, *d.Minimum, *d.Maximum, *d.SampleCount, d.Unit)
		}
	}
	// A five-minute period sums the three minutes; only Sum is answered.
	st = ok[*cloudwatch.GetMetricStatisticsOutput](t)(c.GetMetricStatistics(ctx, &cloudwatch.GetMetricStatisticsInput{
		Namespace: aws.String("App/Web"), MetricName: aws.String("Latency"), Dimensions: host,
		StartTime: aws.Time(m0), EndTime: aws.Time(now), Period: aws.Int32(300), Statistics: []types.Statistic{types.StatisticSum}}))
	if len(st.Datapoints) != 1 || *st.Datapoints[0].Sum != 72 || st.Datapoints[0].Average != nil {
		t.Errorf("five minutes %+v", st.Datapoints)
	}

	metric := &types.Metric{Namespace: aws.String("App/Web"), MetricName: aws.String("Latency"), Dimensions: host}
	d := ok[*cloudwatch.GetMetricDataOutput](t)(c.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(m0), EndTime: aws.Time(now),
		MetricDataQueries: []types.MetricDataQuery{
			{Id: aws.String("max"), MetricStat: &types.MetricStat{Metric: metric, Period: aws.Int32(60), Stat: aws.String("Maximum")}},
			{Id: aws.String("hidden"), ReturnData: aws.Bool(false), MetricStat: &types.MetricStat{Metric: metric, Period: aws.Int32(60), Stat: aws.String("Sum")}},
			{Id: aws.String("perSecond"), Expression: aws.String("hidden / 60"), Label: aws.String("per second")},
		}}))
	if len(d.MetricDataResults) != 2 {
		t.Fatalf("results %+v", d.MetricDataResults)
	}
	r := d.MetricDataResults[0]
	// Newest first, as ScanBy's default TimestampDescending.
	if aws.ToString(r.Id) != "max" || aws.ToString(r.Label) != "Latency" || r.StatusCode != types.StatusCodeComplete ||
		len(r.Values) != 3 || r.Values[0] != 7 || r.Values[2] != 20 || !r.Timestamps[0].Equal(m0.Add(2*time.Minute)) {
		t.Errorf("result %+v", r)
	}
	if e := d.MetricDataResults[1]; aws.ToString(e.Label) != "per second" || len(e.Values) != 3 || e.Values[0] != 0.2 || e.Values[2] != 0.5 {
		t.Errorf("expression %+v", e)
	}

	l := ok[*cloudwatch.ListMetricsOutput](t)(c.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String("App/Web")}))
	if len(l.Metrics) != 2 || len(l.Metrics[0].Dimensions) != 0 || aws.ToString(l.Metrics[1].Dimensions[0].Value) != "web-1" {
		t.Errorf("listed %+v", l.Metrics)
	}
	l = ok[*cloudwatch.ListMetricsOutput](t)(c.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Dimensions: []types.DimensionFilter{{Name: aws.String("Host")}}}))
	if len(l.Metrics) != 1 {
		t.Errorf("by dimension name %+v", l.Metrics)
	}
	l = ok[*cloudwatch.ListMetricsOutput](t)(c.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Dimensions: []types.DimensionFilter{{Name: aws.String("Host"), Value: aws.String("web-2")}}}))
	if len(l.Metrics) != 0 {
		t.Errorf("by dimension value %+v", l.Metrics)
	}
	// Another account sees none of them.
	other := emulatortest.CloudWatch(emulatortest.Start(t), emulatortest.AccountB, "eu-west-1")
	if l := ok[*cloudwatch.ListMetricsOutput](t)(other.ListMetrics(ctx, &cloudwatch.ListMetricsInput{})); len(l.Metrics) != 0 {
		t.Errorf("another account lists %+v", l.Metrics)
	}
}

// TestCompressedBody: a PutMetricData of more than 10 KiB, which the SDK
// sends gzip-compressed (the model's requestcompression), is read.
func TestCompressedBody(t *testing.T) {
	c, _ := start(t)
	var data []types.MetricDatum
	for i := range 200 {
		data = append(data, types.MetricDatum{MetricName: aws.String(fmt.Sprintf("metric-with-a-long-name-%03d", i)), Dimensions: host, Value: aws.Float64(float64(i))})
	}
	var encoding string
	ok[*cloudwatch.PutMetricDataOutput](t)(c.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("App/Bulk"), MetricData: data}, func(o *cloudwatch.Options) {
		o.HTTPClient = seeEncoding{o.HTTPClient, &encoding}
	}))
	if encoding != "gzip" {
		t.Errorf("the SDK sent Content-Encoding %q: the test does not test gzip", encoding)
	}
	if l := ok[*cloudwatch.ListMetricsOutput](t)(c.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String("App/Bulk")})); len(l.Metrics) != 200 {
		t.Errorf("%d metrics listed, want 200", len(l.Metrics))
	}
}

// seeEncoding notes the Content-Encoding of the requests it sends.
type seeEncoding struct {
	next interface {
		Do(*http.Request) (*http.Response, error)
	}
	encoding *string
}

func (s seeEncoding) Do(r *http.Request) (*http.Response, error) {
	*s.encoding = r.Header.Get("Content-Encoding")
	return s.next.Do(r)
}

// TestRefusals: CloudWatch's refusals, with their query codes as the SDK
// reports them (the answer names the model's shape, the header the code).
func TestRefusals(t *testing.T) {
	c, _ := start(t)
	stats := func(mod func(*cloudwatch.GetMetricStatisticsInput)) error {
		in := &cloudwatch.GetMetricStatisticsInput{Namespace: aws.String("App/Web"), MetricName: aws.String("Latency"),
			StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now), Period: aws.Int32(60), Statistics: []types.Statistic{types.StatisticSum}}
		mod(in)
		_, err := c.GetMetricStatistics(ctx, in)
		return err
	}
	tests := []struct {
		name      string
		err       error
		code, msg string
	}{
		{"start after end", stats(func(in *cloudwatch.GetMetricStatisticsInput) { in.StartTime = aws.Time(now.Add(time.Hour)) }),
			"InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime."},
		{"period", stats(func(in *cloudwatch.GetMetricStatisticsInput) { in.Period = aws.Int32(90) }),
			"InvalidParameterValue", "The parameter Period must be a multiple of 60."},
		{"too many datapoints", stats(func(in *cloudwatch.GetMetricStatisticsInput) { in.StartTime = aws.Time(now.Add(-25 * time.Hour)) }),
			"InvalidParameterCombination", "You have requested up to 1501 datapoints, which exceeds the limit of 1440."},
		{"no statistics", stats(func(in *cloudwatch.GetMetricStatisticsInput) { in.Statistics = nil }),
			"InvalidParameterCombination", "Must specify either Statistics or ExtendedStatistics, but not both."},
		{"percentiles", stats(func(in *cloudwatch.GetMetricStatisticsInput) {
			in.Statistics, in.ExtendedStatistics = nil, []string{"p99"}
		}),
			"ValidationError", "cannot compute the percentiles"},
	}
	_, err := c.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("AWS/EC2"), MetricData: []types.MetricDatum{{MetricName: aws.String("X"), Value: aws.Float64(1)}}})
	tests = append(tests, struct {
		name      string
		err       error
		code, msg string
	}{"AWS namespace", err, "InvalidParameterValue", "The value AWS/ for parameter Namespace is invalid."})
	_, err = c.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now),
		MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("e1"), Expression: aws.String("SUM(METRICS())")}}})
	tests = append(tests, struct {
		name      string
		err       error
		code, msg string
	}{"expression", err, "ValidationError", "is not one vpcemu evaluates"})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			emulatortest.WantError(t, tc.err, tc.code, http.StatusBadRequest, tc.msg)
		})
	}
	// A modelled error comes back as its type, with the query code.
	_, err = c.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("AWS/EC2"), MetricData: []types.MetricDatum{{MetricName: aws.String("X"), Value: aws.Float64(1)}}})
	var invalid *types.InvalidParameterValueException
	if !errors.As(err, &invalid) || invalid.ErrorCode() != "InvalidParameterValue" {
		t.Errorf("typed error: %T %v", err, err)
	}
}

// post sends a signed-looking request of AccountA in us-east-1 and
// returns the answer's status, headers and body.
func post(t *testing.T, url string, headers map[string]string, body string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+emulatortest.AccountA+"/20261207/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(raw)
}

// TestJSONProtocol: awsJson1_0, which botocore (the aws CLI v1) sends,
// reaches the same service; a refusal names its shape and, in
// X-Amzn-Query-Error, its query code.
func TestJSONProtocol(t *testing.T) {
	clk := emulatortest.NewClock(now)
	e := emulatortest.Start(t, cloud.WithClock(clk.Now))
	put(t, emulatortest.CloudWatch(e, emulatortest.AccountA, "us-east-1"), now, host, 42)
	json := func(op, body string) (int, http.Header, string) {
		return post(t, e.URL(), map[string]string{"X-Amz-Target": "GraniteServiceVersion20100801." + op, "Content-Type": "application/x-amz-json-1.0", "X-Amzn-Query-Mode": "true"}, body)
	}
	status, h, body := json("ListMetrics", `{"Namespace": "App/Web"}`)
	if status != 200 || h.Get("Content-Type") != "application/x-amz-json-1.0" || !strings.Contains(body, `"MetricName":"Latency"`) {
		t.Errorf("ListMetrics: %d %v %s", status, h, body)
	}
	status, h, body = json("PutMetricData", `{"Namespace": "AWS/EC2", "MetricData": [{"MetricName": "X", "Value": 1}]}`)
	if status != 400 || h.Get("X-Amzn-Query-Error") != "InvalidParameterValue;Sender" || !strings.Contains(body, `"__type":"InvalidParameterValueException"`) {
		t.Errorf("refusal: %d %v %s", status, h, body)
	}
	status, h, _ = json("ListMetrics", `{"Namespace": ""}`)
	if status != 400 || h.Get("X-Amzn-Query-Error") != "ValidationError;Sender" {
		t.Errorf("validation: %d %v", status, h)
	}
}

// TestQueryProtocol: the query protocol reaches the same service, and
// answers in XML.
func TestQueryProtocol(t *testing.T) {
	clk := emulatortest.NewClock(now)
	e := emulatortest.Start(t, cloud.WithClock(clk.Now))
	c := emulatortest.CloudWatch(e, emulatortest.AccountA, "us-east-1")
	put(t, c, now, host, 42)
	form := url.Values{"Action": {"GetMetricStatistics"}, "Version": {"2010-08-01"}, "Namespace": {"App/Web"}, "MetricName": {"Latency"},
		"Dimensions.member.1.Name": {"Host"}, "Dimensions.member.1.Value": {"web-1"},
		"StartTime": {now.Add(-time.Hour).Format(time.RFC3339)}, "EndTime": {now.Add(time.Minute).Format(time.RFC3339)}, "Period": {"60"},
		"Statistics.member.1": {"Sum"}}
	status, _, body := post(t, e.URL(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, form.Encode())
	if status != 200 || !strings.Contains(body, "<GetMetricStatisticsResult>") || !strings.Contains(body, "<Sum>42</Sum>") || strings.Contains(body, "<ExtendedStatistics") ||
		!strings.Contains(body, "<Timestamp>2026-12-07T12:00:00.000Z</Timestamp>") {
		t.Errorf("status %d:\n%s", status, body)
	}
}
