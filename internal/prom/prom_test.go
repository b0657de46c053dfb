package prom

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestMetrics: each Metrics counts on its own registry (two emulators in
// one test process count apart), and each observation lands in its
// family with its labels.
func TestMetrics(t *testing.T) {
	a, b := New(), New()
	a.Request("ec2", "DescribeVpcs", 200, "", time.Millisecond)
	a.Request("ec2", "DescribeVpcs", 400, "InvalidVpcID.NotFound", time.Millisecond)
	a.Committed(3, time.Millisecond, nil)
	a.Committed(2, time.Millisecond, errors.New("disk full"))
	a.SnapshotBuilt(true, time.Millisecond, nil)
	a.SnapshotBuilt(false, time.Millisecond, errors.New("gone"))
	a.Verdict(true, false)
	a.FlowStarted("tcp", false)
	a.Traffic("tcp", true, 3, 180, 2, 1500)
	cases := []struct {
		name string
		got  float64
		want float64
	}{
		{"answered", testutil.ToFloat64(a.requests.WithLabelValues("ec2", "DescribeVpcs", "200", "")), 1},
		{"refused", testutil.ToFloat64(a.requests.WithLabelValues("ec2", "DescribeVpcs", "400", "InvalidVpcID.NotFound")), 1},
		{"the other registry's", testutil.ToFloat64(b.requests.WithLabelValues("ec2", "DescribeVpcs", "200", "")), 0},
		{"a failed commit", testutil.ToFloat64(a.commitErrors), 1},
		{"a failed snapshot", testutil.ToFloat64(a.snapshotErrors.WithLabelValues("scoped")), 1},
		{"verdicts", testutil.ToFloat64(a.verdicts.WithLabelValues("allowed", "engine")), 1},
		{"flows", testutil.ToFloat64(a.flows.WithLabelValues("tcp", "dropped")), 1},
		{"bytes in", testutil.ToFloat64(a.bytes.WithLabelValues("tcp", "carried", "in")), 1500},
		{"packets out", testutil.ToFloat64(a.packets.WithLabelValues("tcp", "carried", "out")), 3},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	// The commit histograms hold the commit that succeeded only.
	want := `
# HELP vpcemu_store_commit_group_size Writes (store updates) that one commit made durable together (group commit).
# TYPE vpcemu_store_commit_group_size histogram
vpcemu_store_commit_group_size_bucket{le="1"} 0
vpcemu_store_commit_group_size_bucket{le="2"} 0
vpcemu_store_commit_group_size_bucket{le="4"} 1
vpcemu_store_commit_group_size_bucket{le="8"} 1
vpcemu_store_commit_group_size_bucket{le="16"} 1
vpcemu_store_commit_group_size_bucket{le="32"} 1
vpcemu_store_commit_group_size_bucket{le="64"} 1
vpcemu_store_commit_group_size_bucket{le="+Inf"} 1
vpcemu_store_commit_group_size_sum 3
vpcemu_store_commit_group_size_count 1
`
	if err := testutil.GatherAndCompare(a.Registry(), strings.NewReader(want), "vpcemu_store_commit_group_size"); err != nil {
		t.Error(err)
	}
}
