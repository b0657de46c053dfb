package e2e

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/dataplane"
)

// TestCloudWatchCLI: the aws CLI v1 (the query protocol) puts a custom
// metric and reads it back, lists it, and is refused as CloudWatch refuses.
func TestCloudWatchCLI(t *testing.T) {
	t.Parallel()
	s := Serve(t, "--in-memory", "--addr", "127.0.0.1:0")
	cli := newAWSCLI(t, s.URL, accountA)
	at := time.Now().UTC().Truncate(time.Minute).Add(-2 * time.Minute)
	cli.ok(t, "cloudwatch", "put-metric-data", "--namespace", "App/Web", "--metric-name", "Latency", "--dimensions", "Host=web-1",
		"--unit", "Milliseconds", "--value", "12", "--timestamp", at.Format(time.RFC3339))
	cli.ok(t, "cloudwatch", "put-metric-data", "--namespace", "App/Web", "--metric-name", "Latency", "--dimensions", "Host=web-1",
		"--unit", "Milliseconds", "--statistic-values", "Sum=30,Minimum=10,Maximum=20,SampleCount=2", "--timestamp", at.Format(time.RFC3339))
	var stats struct {
		Label      string
		Datapoints []struct {
			// The aws CLI v1 prints timestamps as the server sent them
			// (cli_timestamp_format none): epoch seconds in awsJson1_0.
			Timestamp                 float64
			Sum, Maximum, SampleCount float64
			Unit                      string
		}
	}
	cli.json(t, &stats, "cloudwatch", "get-metric-statistics", "--namespace", "App/Web", "--metric-name", "Latency", "--dimensions", "Name=Host,Value=web-1",
		"--start-time", at.Add(-time.Hour).Format(time.RFC3339), "--end-time", time.Now().UTC().Format(time.RFC3339), "--period", "60",
		"--statistics", "Sum", "Maximum", "SampleCount")
	if stats.Label != "Latency" || len(stats.Datapoints) != 1 || stats.Datapoints[0].Timestamp != float64(at.Unix()) || stats.Datapoints[0].Sum != 42 || stats.Datapoints[0].Maximum != 20 ||
		stats.Datapoints[0].SampleCount != 3 || stats.Datapoints[0].Unit != "Milliseconds" {
		t.Errorf("statistics %+v", stats)
	}
	if got := cli.ok(t, "cloudwatch", "list-metrics", "--namespace", "App/Web", "--query", "Metrics[0].[MetricName,Dimensions[0].Value]", "--output", "text"); got != "Latency\tweb-1" {
		t.Errorf("list-metrics: %q", got)
	}
	cliError(t, cli, "InvalidParameterValue", "PutMetricData", "cloudwatch", "put-metric-data", "--namespace", "AWS/EC2", "--metric-name", "X", "--value", "1")
	cliError(t, cli, "InvalidParameterValue", "GetMetricStatistics", "cloudwatch", "get-metric-statistics", "--namespace", "App/Web", "--metric-name", "Latency",
		"--start-time", at.Format(time.RFC3339), "--end-time", at.Add(time.Hour).Format(time.RFC3339), "--period", "90", "--statistics", "Sum")
	cliError(t, cli, "UnsupportedOperation", "DescribeAlarms", "cloudwatch", "describe-alarms")
}

// TestDataPlaneCloudWatch: after real traffic through an interface
// endpoint to another account's endpoint service, the window's close
// publishes it: `aws cloudwatch get-metric-statistics --namespace
// AWS/PrivateLinkEndpoints` finds the endpoint's bytes and connections in
// the consumer's account, the same the meters counted; the provider finds
// its service's in AWS/PrivateLinkServices and its load balancer's in
// AWS/NetworkELB (get-metric-data).
func TestDataPlaneCloudWatch(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory")
	pl := newPrivateLink(t, srv.URL, false)

	start := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
	provider := player{t: t, url: srv.URL, account: accountA}
	provider.serve(pl.server, "python3", "-m", "http.server", "8443")
	consumer := player{t: t, url: srv.URL, account: accountB}
	url := "http://" + pl.endpointIP + ":443/"
	consumer.waitServing(pl.client, url)
	for range 3 {
		if status, code := consumer.curl(pl.client, url, 5*time.Second); status != "200" {
			t.Fatalf("curl through the endpoint: %q (exit %d)", status, code)
		}
	}

	// The meters and the published sums agree once the window with the
	// last connection has closed (within about a minute).
	dims, _ := json.Marshal([]map[string]string{
		{"Name": "Endpoint Type", "Value": "Interface"}, {"Name": "Service Name", "Value": pl.svcName},
		{"Name": "VPC Endpoint Id", "Value": pl.endpointID}, {"Name": "VPC Id", "Value": pl.cvpc}})
	sum := func(cli *awsCLI, namespace, name, dims string) float64 {
		var stats struct{ Datapoints []struct{ Sum float64 } }
		cli.json(t, &stats, "cloudwatch", "get-metric-statistics", "--namespace", namespace, "--metric-name", name, "--dimensions", dims,
			"--start-time", start, "--end-time", time.Now().UTC().Add(time.Minute).Format(time.RFC3339), "--period", "60", "--statistics", "Sum")
		total := 0.0
		for _, d := range stats.Datapoints {
			total += d.Sum
		}
		return total
	}
	meter := func() dataplane.Meter {
		out, err := consumer.vpcemu("flows", "--meters", "--json").Output()
		if err != nil {
			t.Fatal(err)
		}
		var list dataplane.MeterList
		if err := json.Unmarshal(out, &list); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		for _, m := range list.Resources {
			if m.Resource == pl.endpointID {
				return m
			}
		}
		return dataplane.Meter{}
	}
	deadline := time.Now().Add(150 * time.Second)
	var bytes, conns float64
	var m dataplane.Meter
	for {
		m = meter()
		bytes = sum(pl.cons, "AWS/PrivateLinkEndpoints", "BytesProcessed", string(dims))
		conns = sum(pl.cons, "AWS/PrivateLinkEndpoints", "NewConnections", string(dims))
		if bytes > 0 && bytes == float64(m.BytesOut+m.BytesIn) && conns == float64(m.Connections) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("AWS/PrivateLinkEndpoints: BytesProcessed %v, NewConnections %v; the meters: %+v", bytes, conns, m)
		}
		time.Sleep(3 * time.Second)
	}
	t.Logf("AWS/PrivateLinkEndpoints: BytesProcessed %v, NewConnections %v (the meters: %+v)", bytes, conns, m)
	if conns < 4 {
		t.Errorf("NewConnections %v, want the 4 connections or more", conns)
	}
	// Per subnet too, and listed under the endpoint's dimensions.
	subnetDims, _ := json.Marshal([]map[string]string{
		{"Name": "Endpoint Type", "Value": "Interface"}, {"Name": "Service Name", "Value": pl.svcName}, {"Name": "Subnet Id", "Value": pl.csubnet},
		{"Name": "VPC Endpoint Id", "Value": pl.endpointID}, {"Name": "VPC Id", "Value": pl.cvpc}})
	if got := sum(pl.cons, "AWS/PrivateLinkEndpoints", "BytesProcessed", string(subnetDims)); got != bytes {
		t.Errorf("BytesProcessed of the endpoint's subnet %v, want %v", got, bytes)
	}
	filter, _ := json.Marshal([]map[string]string{{"Name": "VPC Endpoint Id", "Value": pl.endpointID}})
	if got := pl.cons.ok(t, "cloudwatch", "list-metrics", "--namespace", "AWS/PrivateLinkEndpoints", "--metric-name", "BytesProcessed", "--dimensions", string(filter),
		"--query", "length(Metrics)", "--output", "text"); got != "2" {
		t.Errorf("list-metrics: %s metrics, want 2 (the endpoint's and its subnet's)", got)
	}

	// The provider: its service's bytes, and its balancer's (GetMetricData).
	if got := sum(pl.prov, "AWS/PrivateLinkServices", "BytesProcessed", "Name=Service Id,Value="+pl.svcID); got != bytes {
		t.Errorf("AWS/PrivateLinkServices BytesProcessed %v, want the endpoint's %v", got, bytes)
	}
	_, lbPath, _ := strings.Cut(pl.nlb, ":loadbalancer/")
	queries := t.TempDir() + "/queries.json"
	q, _ := json.Marshal([]map[string]any{{"Id": "flows", "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "AWS/NetworkELB", "MetricName": "NewFlowCount",
		"Dimensions": []map[string]string{{"Name": "LoadBalancer", "Value": lbPath}}}, "Period": 60, "Stat": "Sum"}}})
	os.WriteFile(queries, q, 0o600)
	var data struct {
		MetricDataResults []struct {
			Id         string
			StatusCode string
			Values     []float64
		}
	}
	pl.prov.json(t, &data, "cloudwatch", "get-metric-data", "--metric-data-queries", "file://"+queries, "--start-time", start, "--end-time", time.Now().UTC().Add(time.Minute).Format(time.RFC3339))
	flows := 0.0
	if len(data.MetricDataResults) == 1 {
		for _, v := range data.MetricDataResults[0].Values {
			flows += v
		}
	}
	if len(data.MetricDataResults) != 1 || data.MetricDataResults[0].StatusCode != "Complete" || flows != conns {
		t.Errorf("AWS/NetworkELB NewFlowCount: %+v, want %v flows in all", data, conns)
	}
	// The target group's one target is healthy, every minute.
	_, tgPath, _ := strings.Cut(pl.tg, ":targetgroup/")
	var hosts struct {
		Datapoints []struct{ Minimum, Maximum float64 }
	}
	pl.prov.json(t, &hosts, "cloudwatch", "get-metric-statistics", "--namespace", "AWS/NetworkELB", "--metric-name", "HealthyHostCount",
		"--dimensions", "Name=LoadBalancer,Value="+lbPath, "Name=TargetGroup,Value=targetgroup/"+tgPath,
		"--start-time", start, "--end-time", time.Now().UTC().Add(time.Minute).Format(time.RFC3339), "--period", "60", "--statistics", "Minimum", "Maximum")
	if len(hosts.Datapoints) == 0 || hosts.Datapoints[0].Minimum != 1 || hosts.Datapoints[0].Maximum != 1 {
		t.Errorf("HealthyHostCount %+v, want 1", hosts)
	}
	// The consumer sees none of the provider's metrics.
	if got := pl.cons.ok(t, "cloudwatch", "list-metrics", "--namespace", "AWS/NetworkELB", "--query", "length(Metrics)", "--output", "text"); got != "0" {
		t.Errorf("the consumer lists %s of the provider's metrics", got)
	}
}
