package cloudwatch

import (
	"context"
	"encoding/base64"
	"slices"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/metric"
)

// ListPage is the most metrics one ListMetrics answers.
const ListPage = 500

// DimensionFilter matches metrics with a dimension of Name (and Value,
// when HasValue).
type DimensionFilter struct {
	Name, Value string
	HasValue    bool
}

// ListQuery is ListMetrics' question.
type ListQuery struct {
	Namespace, Name string // "" any
	Dimensions      []DimensionFilter
	// RecentlyActive keeps the metrics with datapoints in the last three
	// hours (PT3H).
	RecentlyActive bool
	NextToken      string
}

// ListMetrics lists the caller's metrics that have datapoints (within the
// retention), in namespace, name and dimension order, a page at a time.
func (s *Service) ListMetrics(ctx context.Context, who cloud.Caller, q ListQuery) ([]Metric, string, error) {
	after := ""
	if q.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(q.NextToken)
		if err != nil || len(b) == 0 {
			return nil, "", invalidValue("The value %s for parameter NextToken is invalid.", q.NextToken)
		}
		after = string(b)
	}
	now := s.Now()
	oldest := now.Add(-Retention)
	if q.RecentlyActive {
		oldest = now.Add(-3 * time.Hour)
	}
	s.mu.RLock()
	var keys []string
	for k, se := range s.series {
		if se.account == who.Account && se.region == who.Region && k > after && se.latest().After(oldest) && q.matches(se) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	next := ""
	if len(keys) > ListPage {
		keys = keys[:ListPage]
		next = base64.RawURLEncoding.EncodeToString([]byte(keys[len(keys)-1]))
	}
	out := make([]Metric, 0, len(keys))
	for _, k := range keys {
		se := s.series[k]
		out = append(out, Metric{Namespace: se.namespace, Name: se.name, Dimensions: slices.Clone(se.dims)})
	}
	s.mu.RUnlock()
	return out, next, nil
}

func (q ListQuery) matches(se *series) bool {
	if q.Namespace != "" && q.Namespace != se.namespace || q.Name != "" && q.Name != se.name {
		return false
	}
	for _, f := range q.Dimensions {
		if !slices.ContainsFunc(se.dims, func(d metric.Dimension) bool {
			return d.Name == f.Name && (!f.HasValue || d.Value == f.Value)
		}) {
			return false
		}
	}
	return true
}

// String is the metric as messages and tests name it.
func (m Metric) String() string {
	var b strings.Builder
	b.WriteString(m.Namespace + " " + m.Name)
	for _, d := range m.Dimensions {
		b.WriteString(" " + d.Name + "=" + d.Value)
	}
	return b.String()
}
