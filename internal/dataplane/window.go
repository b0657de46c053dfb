package dataplane

import (
	"context"
	"log/slog"
	"time"

	"github.com/vpcemu/vpcemu/internal/flowlog"
)

// runWindows closes a window every interval (at multiples of it, as AWS
// aligns them) and hands its records to sink, until ctx ends.
func (f *Fabric) runWindows(ctx context.Context, interval time.Duration, sink Sink, log *slog.Logger) {
	for {
		now := time.Now()
		next := now.Truncate(interval).Add(interval)
		select {
		case <-ctx.Done():
			return
		case <-time.After(next.Sub(now)):
		}
		recs := f.closeWindow()
		if len(recs) == 0 {
			continue
		}
		if err := sink(ctx, recs); err != nil {
			log.Warn("flow-log records not delivered", "records", len(recs), "error", err)
		}
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
