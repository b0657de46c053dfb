package cloudwatch

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/metric"
)

// Publish keeps the datapoints the data plane publishes (its metric.Sink):
// each in its own account and region, as AWS's services publish them in
// the resource owner's.
func (s *Service) Publish(ctx context.Context, data []metric.Datum) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	oldest := s.Now().Add(-Retention).Truncate(time.Minute).Unix()
	for _, d := range data {
		if err := s.keep(d, oldest); err != nil {
			return err
		}
	}
	return nil
}

// keep adds one datapoint (s.mu held).
func (s *Service) keep(d metric.Datum, oldest int64) error {
	dims := slices.Clone(d.Dimensions)
	metric.SortDimensions(dims)
	k := seriesKey(d.Account, d.Region, d.Namespace, d.Name, dims)
	se := s.series[k]
	if se == nil {
		if len(s.series) >= MaxSeries {
			return cloud.Errorf(cloud.LimitExceeded, "", "vpcemu keeps at most %d metrics.", MaxSeries)
		}
		se = &series{account: d.Account, region: d.Region, namespace: d.Namespace, name: d.Name, dims: dims}
		s.series[k] = se
	}
	se.add(d.Time.Truncate(time.Minute).Unix(), unitOrNone(d.Unit), d.Stats, oldest)
	return nil
}

func unitOrNone(u string) string {
	if u == "" {
		return "None"
	}
	return u
}

// PutDatum is one member of PutMetricData's MetricData: a value, values
// with their counts, or a statistic set.
type PutDatum struct {
	Name       string
	Dimensions []metric.Dimension
	Time       time.Time // zero: now
	Unit       string
	Value      *float64
	Values     []float64
	Counts     []float64
	Stats      *metric.Stats
}

// PutMetricData keeps a user's datapoints in a namespace of theirs, with
// CloudWatch's checks: no AWS/ namespace, one of Value, Values and
// StatisticValues, counts matching values, numbers CloudWatch accepts,
// timestamps from two weeks back to two hours ahead. Every datum is
// checked before any is kept. Datapoints are kept at one-minute
// resolution (a StorageResolution of 1 is accepted, and folded into its
// minute).
func (s *Service) PutMetricData(ctx context.Context, who cloud.Caller, namespace string, data []PutDatum) error {
	if strings.HasPrefix(namespace, "AWS/") {
		return invalidValue("The value AWS/ for parameter Namespace is invalid.")
	}
	if len(data) > 1000 {
		return invalidValue("The collection MetricData must not have a size greater than 1000.")
	}
	now := s.Now()
	var keep []metric.Datum
	for i, d := range data {
		at := fmt.Sprintf("MetricData.member.%d", i+1)
		t := d.Time
		if t.IsZero() {
			t = now
		}
		if t.Before(now.Add(-14*24*time.Hour)) || t.After(now.Add(2*time.Hour)) {
			return invalidValue("The parameter %s.Timestamp must specify a time no more than two weeks in the past and no more than two hours in the future.", at)
		}
		if err := checkDimensions(d.Dimensions, at); err != nil {
			return err
		}
		st, err := putStats(d, at)
		if err != nil {
			return err
		}
		keep = append(keep, metric.Datum{Account: who.Account, Region: who.Region, Namespace: namespace, Name: d.Name,
			Dimensions: d.Dimensions, Unit: d.Unit, Time: t, Stats: st})
	}
	return s.Publish(ctx, keep)
}

// putStats is the statistic set a datum gives.
func putStats(d PutDatum, at string) (metric.Stats, error) {
	given := 0
	for _, ok := range []bool{d.Value != nil, len(d.Values) > 0, d.Stats != nil} {
		if ok {
			given++
		}
	}
	switch {
	case given > 1:
		return metric.Stats{}, invalidCombination("The parameters %s.Value, %[1]s.Values and %[1]s.StatisticValues are mutually exclusive and you have specified more than one.", at)
	case given == 0:
		return metric.Stats{}, missing("The parameter %s.Value, %[1]s.Values or %[1]s.StatisticValues is required.", at)
	case d.Value != nil:
		if err := checkNumber(*d.Value, at+".Value"); err != nil {
			return metric.Stats{}, err
		}
		return metric.Value(*d.Value), nil
	case d.Stats != nil:
		st := *d.Stats
		for _, v := range []float64{st.Sum, st.Min, st.Max, st.Count} {
			if err := checkNumber(v, at+".StatisticValues"); err != nil {
				return metric.Stats{}, err
			}
		}
		if st.Count <= 0 || st.Min > st.Max {
			return metric.Stats{}, invalidValue("The parameter %s.StatisticValues is invalid: SampleCount must be positive and Minimum not above Maximum.", at)
		}
		return st, nil
	}
	if d.Counts != nil && len(d.Counts) != len(d.Values) {
		return metric.Stats{}, invalidValue("The parameters %s.Values and %[1]s.Counts must be of the same size.", at)
	}
	var st metric.Stats
	for j, v := range d.Values {
		if err := checkNumber(v, fmt.Sprintf("%s.Values.member.%d", at, j+1)); err != nil {
			return metric.Stats{}, err
		}
		n := 1.0
		if d.Counts != nil {
			n = d.Counts[j]
		}
		st.Add(metric.Stats{Sum: v * n, Min: v, Max: v, Count: n})
	}
	return st, nil
}

// checkNumber refuses what CloudWatch refuses: NaN, infinities, and
// magnitudes outside 2^-260 to 2^360.
func checkNumber(v float64, name string) error {
	a := math.Abs(v)
	if math.IsNaN(v) || math.IsInf(v, 0) || a > 0x1p360 || (a != 0 && a < 0x1p-260) {
		return invalidValue("The value %v for parameter %s is invalid.", v, name)
	}
	return nil
}

// checkDimensions refuses a dimension named twice.
func checkDimensions(dims []metric.Dimension, at string) error {
	seen := map[string]bool{}
	for _, d := range dims {
		if seen[d.Name] {
			return invalidValue("No metric may have duplicate dimension names: %s has %s twice.", at, d.Name)
		}
		seen[d.Name] = true
	}
	return nil
}
