package dataplane

import (
	"context"
	"log/slog"
	"time"

	"github.com/vpcemu/vpcemu/internal/flowlog"
	"github.com/vpcemu/vpcemu/internal/metric"
)

// runWindows closes a window every interval (at multiples of it, as AWS
// aligns them) and hands its records to sink and its datapoints to
// metrics (either may be nil), until ctx ends.
func (f *Fabric) runWindows(ctx context.Context, interval time.Duration, sink Sink, metrics metric.Sink, log *slog.Logger) {
	var pub publisher
	for {
		now := time.Now()
		next := now.Truncate(interval).Add(interval)
		select {
		case <-ctx.Done():
			return
		case <-time.After(next.Sub(now)):
		}
		recs := f.closeWindow()
		if metrics != nil {
			f.publish(ctx, &pub, next.Add(-interval), metrics, log)
		}
		if len(recs) == 0 || sink == nil {
			continue
		}
		if err := sink(ctx, recs); err != nil {
			log.Warn("flow-log records not delivered", "records", len(recs), "error", err)
		}
	}
}

// publish hands metrics the datapoints of the window that started at
// start: what the meters counted since the last close, the flows carried
// now, and the load balancers' targets.
func (f *Fabric) publish(ctx context.Context, pub *publisher, start time.Time, metrics metric.Sink, log *slog.Logger) {
	deltas, active := pub.deltas(&f.records.meters), f.flows.active()
	snap, err := f.decider.live.Current(ctx)
	if err != nil {
		log.Warn("metrics not published", "error", err)
		return
	}
	data := datapoints(snap, start.Truncate(time.Minute), deltas, active)
	if len(data) == 0 {
		return
	}
	if err := metrics(ctx, data); err != nil {
		log.Warn("metrics not published", "error", err)
	}
}

// closeWindow ends the window on every device and returns its records.
func (f *Fabric) closeWindow() []flowlog.Record {
	f.mu.Lock()
	f.takeLinkCounts()
	for id, m := range f.relayed {
		f.keepCounts(id, m.take())
	}
	counts := f.leftover
	f.leftover = nil
	f.mu.Unlock()
	return f.records.close(counts)
}

// keepCounts keeps a detached device's counts for the window's close
// (f.mu held).
func (f *Fabric) keepCounts(instance string, counts map[meterKey]*meterEntry) {
	if len(counts) == 0 {
		return
	}
	if f.leftover == nil {
		f.leftover = map[string]map[meterKey]*meterEntry{}
	}
	into := f.leftover[instance]
	if into == nil {
		f.leftover[instance] = counts
		return
	}
	for k, e := range counts {
		if have := into[k]; have != nil {
			have.out.merge(e.out)
			have.in.merge(e.in)
		} else {
			into[k] = e
		}
	}
}
