package emulator_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestMetricsScrape: a server that verifies signatures still answers an
// unsigned scrape of /metrics, and what it exports counts the calls made:
// requests by service, operation, status and code with their latencies,
// the store's commits after writes, and a snapshot built for an analysis.
func TestMetricsScrape(t *testing.T) {
	e := emulatortest.StartStrict(t)
	ctx := context.Background()
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ok := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		ok(c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))
	}
	_, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-0000000000000000f"}})
	if code, _ := emulatortest.APIError(err); code != "InvalidVpcID.NotFound" {
		t.Fatalf("DescribeVpcs of a missing VPC: %v", err)
	}
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	ok(vpc, err)
	subnet, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24")})
	ok(subnet, err)
	var instances []string
	for range 2 {
		run, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: subnet.Subnet.SubnetId})
		ok(run, err)
		instances = append(instances, aws.ToString(run.Instances[0].InstanceId))
	}
	path, err := c.CreateNetworkInsightsPath(ctx, &ec2.CreateNetworkInsightsPathInput{Source: &instances[0], Destination: &instances[1], Protocol: types.ProtocolTcp, DestinationPort: aws.Int32(22)})
	ok(path, err)
	ok(c.StartNetworkInsightsAnalysis(ctx, &ec2.StartNetworkInsightsAnalysisInput{NetworkInsightsPathId: path.NetworkInsightsPath.NetworkInsightsPathId}))

	var got emulatortest.Metrics
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		got = emulatortest.Scrape(t, e.URL())
		if got.Sum("vpcemu_snapshot_build_duration_seconds", map[string]string{"view": "scoped"}) > 0 || time.Now().After(deadline) {
			break
		}
	}
	cases := []struct {
		name   string
		family string
		labels map[string]string
		min    float64 // a counter's value, a histogram's count
		max    float64 // 0: no bound
	}{
		{"DescribeVpcs answered", "vpcemu_api_requests_total", map[string]string{"service": "ec2", "operation": "DescribeVpcs", "status": "200", "code": ""}, 3, 3},
		{"DescribeVpcs refused", "vpcemu_api_requests_total", map[string]string{"service": "ec2", "operation": "DescribeVpcs", "status": "400", "code": "InvalidVpcID.NotFound"}, 1, 1},
		{"DescribeVpcs latencies", "vpcemu_api_request_duration_seconds", map[string]string{"service": "ec2", "operation": "DescribeVpcs"}, 4, 4},
		{"CreateVpc answered", "vpcemu_api_requests_total", map[string]string{"service": "ec2", "operation": "CreateVpc", "status": "200"}, 1, 1},
		{"commits after the writes", "vpcemu_store_commit_duration_seconds", nil, 5, 0},
		{"the writes in commit groups", "vpcemu_store_commit_group_size", nil, 5, 0},
		{"a snapshot for the analysis", "vpcemu_snapshot_build_duration_seconds", map[string]string{"view": "scoped"}, 1, 0},
		{"the Go runtime's", "go_goroutines", nil, 1, 0},
		{"the process's", "process_resident_memory_bytes", nil, 1, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := got.Sum(tc.family, tc.labels)
			if n < tc.min || tc.max > 0 && n > tc.max {
				t.Errorf("%s%v = %v, want %v..%v", tc.family, tc.labels, n, tc.min, tc.max)
			}
		})
	}
	// The scrape is not an AWS request, and is not counted as one.
	if n := got.Sum("vpcemu_api_requests_total", map[string]string{"operation": ""}); n != 0 {
		t.Errorf("%v requests without an operation counted", n)
	}
}
