// Package prom exports vpcemu's own metrics to Prometheus: the AWS
// requests it answers, its store's commits, the engine's snapshots and the
// data plane's verdicts, flows and bytes. The packages that do the work
// know nothing of Prometheus: each tells an observer of its own (server,
// sqlite, cloud, dataplane Observer), which Metrics implements with
// collectors of a registry of its own, so two emulators in one process
// (tests) count apart.
package prom

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// latencyBuckets span vpcemu's work, from a read answered in a tenth of a
// millisecond to a snapshot of a large cloud (seconds); Prometheus's
// default buckets start at 5 ms, above most of it.
var latencyBuckets = []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// groupBuckets span a group commit's size, 1 to the store's 64.
var groupBuckets = []float64{1, 2, 4, 8, 16, 32, 64}

// Metrics are vpcemu's metrics, on a registry of their own.
type Metrics struct {
	reg *prometheus.Registry

	requests        *prometheus.CounterVec
	requestDuration *prometheus.HistogramVec

	commitDuration prometheus.Histogram
	commitGroup    prometheus.Histogram
	commitErrors   prometheus.Counter

	snapshotDuration *prometheus.HistogramVec
	snapshotErrors   *prometheus.CounterVec

	verdicts *prometheus.CounterVec
	flows    *prometheus.CounterVec
	packets  *prometheus.CounterVec
	bytes    *prometheus.CounterVec
}

// New makes vpcemu's metrics, with the Go runtime's and the process's.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "vpcemu_api_requests_total",
		Help: "AWS API requests answered, by service (signing name), operation, HTTP status and AWS error code (empty for a success).",
	}, []string{"service", "operation", "status", "code"})
	m.requestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "vpcemu_api_request_duration_seconds",
		Help:    "Time to answer an AWS API request, from its first byte read to its answer written, by service and operation.",
		Buckets: latencyBuckets,
	}, []string{"service", "operation"})
	m.commitDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "vpcemu_store_commit_duration_seconds",
		Help:    "Time of one store commit (with its fsync), shared by a group of writes.",
		Buckets: latencyBuckets,
	})
	m.commitGroup = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "vpcemu_store_commit_group_size",
		Help:    "Writes (store updates) that one commit made durable together (group commit).",
		Buckets: groupBuckets,
	})
	m.commitErrors = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "vpcemu_store_commit_errors_total",
		Help: "Store commits that failed (every write of the group failed).",
	})
	m.snapshotDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "vpcemu_snapshot_build_duration_seconds",
		Help:    "Time to build the reachability engine's snapshot of the network; its count is the builds. view: live (the whole cloud, for the data plane and DNS) or scoped (an analysis, the web map).",
		Buckets: latencyBuckets,
	}, []string{"view"})
	m.snapshotErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "vpcemu_snapshot_build_errors_total",
		Help: "Snapshot builds that failed, by view.",
	}, []string{"view"})
	m.verdicts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "vpcemu_dataplane_verdicts_total",
		Help: "The engine's verdicts on data-plane flows: verdict allowed or blocked, source engine (asked anew) or memo (remembered for the same state).",
	}, []string{"verdict", "source"})
	m.flows = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "vpcemu_dataplane_flows_total",
		Help: "Flows instances opened, by protocol and verdict (carried or dropped).",
	}, []string{"protocol", "verdict"})
	m.packets = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "vpcemu_dataplane_packets_total",
		Help: "Packets of flows, counted when their aggregation window closes, by protocol, verdict (carried or dropped) and direction (out from the flow's source, in back to it).",
	}, []string{"protocol", "verdict", "direction"})
	m.bytes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "vpcemu_dataplane_bytes_total",
		Help: "Bytes of flows, counted when their aggregation window closes, by protocol, verdict (carried or dropped) and direction (out from the flow's source, in back to it).",
	}, []string{"protocol", "verdict", "direction"})
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.requestDuration,
		m.commitDuration, m.commitGroup, m.commitErrors,
		m.snapshotDuration, m.snapshotErrors,
		m.verdicts, m.flows, m.packets, m.bytes,
	)
	return m
}

// Registry is where the metrics are registered (tests gather it).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler answers a scrape in Prometheus's text format (or OpenMetrics,
// when the scraper asks for it).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{EnableOpenMetrics: true})
}

// Request implements server.Observer. The status label is the HTTP
// status, which every protocol has (alerting on 5xx needs nothing else);
// code is AWS's error code, which says which refusal it was.
func (m *Metrics) Request(service, operation string, status int, code string, d time.Duration) {
	m.requests.WithLabelValues(service, operation, statusLabel(status), code).Inc()
	m.requestDuration.WithLabelValues(service, operation).Observe(d.Seconds())
}

// Committed implements sqlite.Observer.
func (m *Metrics) Committed(updates int, d time.Duration, err error) {
	if err != nil {
		m.commitErrors.Inc()
		return
	}
	m.commitDuration.Observe(d.Seconds())
	m.commitGroup.Observe(float64(updates))
}

// SnapshotBuilt implements cloud.Observer.
func (m *Metrics) SnapshotBuilt(every bool, d time.Duration, err error) {
	view := "scoped"
	if every {
		view = "live"
	}
	if err != nil {
		m.snapshotErrors.WithLabelValues(view).Inc()
		return
	}
	m.snapshotDuration.WithLabelValues(view).Observe(d.Seconds())
}

// Verdict implements dataplane.Observer.
func (m *Metrics) Verdict(allowed, memo bool) {
	m.verdicts.WithLabelValues(pick(allowed, "allowed", "blocked"), pick(memo, "memo", "engine")).Inc()
}

// FlowStarted implements dataplane.Observer.
func (m *Metrics) FlowStarted(protocol string, carried bool) {
	m.flows.WithLabelValues(protocol, carriedLabel(carried)).Inc()
}

// Traffic implements dataplane.Observer.
func (m *Metrics) Traffic(protocol string, carried bool, packetsOut, bytesOut, packetsIn, bytesIn uint64) {
	v := carriedLabel(carried)
	m.packets.WithLabelValues(protocol, v, "out").Add(float64(packetsOut))
	m.packets.WithLabelValues(protocol, v, "in").Add(float64(packetsIn))
	m.bytes.WithLabelValues(protocol, v, "out").Add(float64(bytesOut))
	m.bytes.WithLabelValues(protocol, v, "in").Add(float64(bytesIn))
}

// statusLabels are the HTTP statuses as labels, made once: strconv.Itoa
// allocates a number above 99 on every request.
var statusLabels = func() (s [600]string) {
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return s
}()

func statusLabel(status int) string {
	if status >= 0 && status < len(statusLabels) {
		return statusLabels[status]
	}
	return strconv.Itoa(status)
}

func carriedLabel(carried bool) string { return pick(carried, "carried", "dropped") }

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
