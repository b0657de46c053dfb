package cloudwatch

import (
	"slices"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/metric"
)

// series are the datapoints of one metric of one account and region.
type series struct {
	account, region string
	namespace, name string
	dims            []metric.Dimension // sorted
	// points are sorted by minute, then unit: one per minute and unit.
	points []point
}

// point is a minute's statistics of one unit.
type point struct {
	minute int64 // Unix seconds of the minute's start
	unit   string
	stats  metric.Stats
}

// seriesKey names a metric of a scope: its dimensions sorted, so their
// order does not make another metric.
func seriesKey(account, region, namespace, name string, dims []metric.Dimension) string {
	var b strings.Builder
	for _, s := range []string{account, region, namespace, name} {
		b.WriteString(s)
		b.WriteByte(0)
	}
	for _, d := range dims {
		b.WriteString(d.Name)
		b.WriteByte(1)
		b.WriteString(d.Value)
		b.WriteByte(0)
	}
	return b.String()
}

// add merges a minute's statistics into the series, and drops the points
// older than the retention (before oldest, a minute).
func (s *series) add(minute int64, unit string, st metric.Stats, oldest int64) {
	i, found := slices.BinarySearchFunc(s.points, point{minute: minute, unit: unit}, comparePoints)
	if found {
		s.points[i].stats.Add(st)
	} else {
		s.points = slices.Insert(s.points, i, point{minute: minute, unit: unit, stats: st})
	}
	if n, _ := slices.BinarySearchFunc(s.points, point{minute: oldest}, comparePoints); n > 0 {
		s.points = slices.Delete(s.points, 0, n)
	}
}

func comparePoints(a, b point) int {
	if a.minute != b.minute {
		if a.minute < b.minute {
			return -1
		}
		return 1
	}
	return strings.Compare(a.unit, b.unit)
}

// window are the points from start (included) to end (excluded) of a
// unit ("" any), in time order.
func (s *series) window(start, end time.Time, unit string) []point {
	lo, _ := slices.BinarySearchFunc(s.points, point{minute: start.Unix()}, comparePoints)
	var out []point
	for _, p := range s.points[lo:] {
		if p.minute >= end.Unix() {
			break
		}
		if unit == "" || p.unit == unit {
			out = append(out, p)
		}
	}
	return out
}

// latest is the time of the series' newest point (zero when none).
func (s *series) latest() time.Time {
	if len(s.points) == 0 {
		return time.Time{}
	}
	return time.Unix(s.points[len(s.points)-1].minute, 0)
}
