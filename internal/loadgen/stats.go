package loadgen

import (
	"slices"
	"time"
)

// Result is one measured row: a scenario (or one operation of it) at one
// concurrency and, for growth, one size.
type Result struct {
	Scenario    string `json:"scenario"`
	Operation   string `json:"operation,omitempty"`
	Concurrency int    `json:"concurrency"`
	VPCs        int    `json:"vpcs,omitempty"` // VPCs in the scenario's account when measured
	// Size is, for a scenario that grows something else than VPCs, how
	// many the account held when measured (dx-route53: of each of VIFs,
	// gateway associations, record sets in the zone and private zones).
	Size       int     `json:"size,omitempty"`
	Requests   int     `json:"requests"`
	Errors     int     `json:"errors"`
	ElapsedSec float64 `json:"elapsed_s"`
	RPS        float64 `json:"req_per_s"`
	P50ms      float64 `json:"p50_ms"`
	P90ms      float64 `json:"p90_ms"`
	P99ms      float64 `json:"p99_ms"`
	// RSSBytes is the server's resident memory after the row, when known.
	RSSBytes int64 `json:"rss_bytes,omitempty"`
	// CPU used during the row, in cores: by the server (when it is a child
	// process), by the load generator, and by anything else on the machine.
	CPUServer float64 `json:"cpu_server_cores,omitempty"`
	CPUClient float64 `json:"cpu_loadgen_cores"`
	CPUOther  float64 `json:"cpu_other_cores"`
	// Skipped names the calls of the workload that were not made: the
	// server does not implement them, or what they need.
	Skipped []string `json:"skipped_calls,omitempty"`
	Notes   []string `json:"notes,omitempty"`
}

// latencies collects request durations.
type latencies []time.Duration

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// summarize fills r's counts, rate and percentiles from lat over elapsed.
func (lat latencies) summarize(r *Result, elapsed time.Duration) {
	slices.Sort(lat)
	r.Requests = len(lat)
	r.ElapsedSec = elapsed.Seconds()
	if elapsed > 0 {
		r.RPS = float64(len(lat)) / elapsed.Seconds()
	}
	r.P50ms = ms(lat.percentile(50))
	r.P90ms = ms(lat.percentile(90))
	r.P99ms = ms(lat.percentile(99))
}

// percentile of sorted durations (nearest rank).
func (lat latencies) percentile(p float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	i := int(float64(len(lat))*p/100+0.5) - 1
	return lat[max(0, min(i, len(lat)-1))]
}

// size is what the row's account had grown to: VPCs, or Size.
func (r Result) size() int {
	if r.VPCs > 0 {
		return r.VPCs
	}
	return r.Size
}
