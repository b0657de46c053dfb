// Package cloudwatch is the CloudWatch (metrics) family of the domain:
// datapoints per metric (namespace, name, dimensions) of an account and
// region at one-minute resolution, published by the data plane for the
// resources it carries traffic through (Publish: AWS/PrivateLinkEndpoints,
// AWS/PrivateLinkServices, AWS/NATGateway, AWS/NetworkELB) and by users
// (PutMetricData), and read back as AWS reads them: GetMetricStatistics,
// GetMetricData (metric statistics, and a small part of metric math:
// expr.go) and ListMetrics, with CloudWatch's refusals in its words.
//
// Datapoints are kept in memory, not in the store, as the data plane's
// meters they come from are: a restart starts from none. Each is a
// minute's statistic set (sum, minimum, maximum, sample count), kept 15
// days as AWS keeps one-minute data; a write drops its series' older
// points, and the number of series is bounded (MaxSeries), so memory is.
package cloudwatch

import (
	"sync"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Retention is how long a datapoint is kept: AWS keeps one-minute data
// 15 days (then only as 5-minute and hourly aggregates, which vpcemu does
// not keep).
const Retention = 15 * 24 * time.Hour

// MaxSeries bounds the metrics kept across accounts; a write of a new
// metric beyond it is refused (LimitExceeded).
const MaxSeries = 100_000

// Service runs the family's use cases on the kernel.
type Service struct {
	*cloud.Cloud
	mu     sync.RWMutex
	series map[string]*series // by seriesKey
}

// New returns the family's service over the kernel c.
func New(c *cloud.Cloud) *Service { return &Service{Cloud: c, series: map[string]*series{}} }

// Refusals in CloudWatch's words.
func invalidValue(format string, args ...any) error {
	return cloud.Errorf(cloud.InvalidParameter, "", format, args...)
}

func invalidCombination(format string, args ...any) error {
	return cloud.Errorf(cloud.InvalidCombination, "", format, args...)
}

func missing(format string, args ...any) error {
	return cloud.Errorf(cloud.MissingParameter, "", format, args...)
}

func unsupported(format string, args ...any) error {
	return cloud.Errorf(cloud.Unsupported, "", format, args...)
}
