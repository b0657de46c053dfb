package logs

import (
	"cmp"
	"context"
	"slices"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Batch is one write's events to a stream, in the order written (which
// is chronological: PutLogEvents refuses other orders, deliveries are
// sorted). Its record's id is the stream's and the batch's number.
type Batch struct {
	cloud.Meta
	Seq int64
	// Ingested is when the batch arrived (milliseconds).
	Ingested int64
	Events   []Event
}

// Event is one log event: its timestamp (milliseconds) and message.
type Event struct {
	Time    int64  `json:"t"`
	Message string `json:"m"`
}

func (*Batch) Kind() cloud.Kind  { return cloud.KindLogBatch }
func (*Batch) Keys() []cloud.Key { return nil }

func init() { cloud.RegisterType[Batch]() }

// Limits of PutLogEvents.
const (
	maxBatchBytes = 1048576 // messages' UTF-8 bytes plus 26 per event
	eventOverhead = 26
	maxEventBytes = 1048576 - eventOverhead
	maxSpan       = 24 * 3600 * 1000
	maxAge        = 14 * 24 * 3600 * 1000
	maxAhead      = 2 * 3600 * 1000
)

// Rejected says which events of a PutLogEvents call were not kept, by
// index (-1: none): the too old and expired lead the batch, the too new
// end it.
type Rejected struct {
	TooOldEnd, ExpiredEnd, TooNewStart int
}

// Any reports whether any event was rejected.
func (r Rejected) Any() bool { return r.TooOldEnd >= 0 || r.ExpiredEnd >= 0 || r.TooNewStart >= 0 }

// PutLogEvents appends a batch of events to a stream. Events must be in
// chronological order within 24 hours; those more than 14 days old or past
// the group's retention, or more than 2 hours ahead, are left out and
// reported. The answer's token is the stream's next sequence token.
func (s *Service) PutLogEvents(ctx context.Context, who cloud.Caller, groupName, streamName string, events []Event) (token string, rejected Rejected, err error) {
	rejected = Rejected{-1, -1, -1}
	if err := checkBatch(events); err != nil {
		return "", rejected, err
	}
	err = s.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := group(t, t.Scope, groupName)
		if err != nil {
			return err
		}
		st, err := stream(t, g, streamName)
		if err != nil {
			return err
		}
		now := t.Now.UnixMilli()
		lo, hi := 0, len(events)
		for i, e := range events {
			switch {
			case e.Time < now-maxAge:
				rejected.TooOldEnd, lo = i, i+1
			case g.expiry(now) != 0 && e.Time < g.expiry(now):
				rejected.ExpiredEnd, lo = i, i+1
			case e.Time > now+maxAhead && hi == len(events):
				rejected.TooNewStart, hi = i, i
			}
		}
		if lo < hi {
			if err := appendBatch(t, g, st, events[lo:hi]); err != nil {
				return err
			}
		}
		token = st.SequenceToken()
		return nil
	})
	return token, rejected, err
}

// checkBatch refuses a batch PutLogEvents does not take.
func checkBatch(events []Event) error {
	size := 0
	for i, e := range events {
		if i > 0 && e.Time < events[i-1].Time {
			return refuse("Log events in a single PutLogEvents request must be in chronological order.")
		}
		if len(e.Message) > maxEventBytes {
			return refuse("Log event too large: %d bytes exceeds limit of %d", len(e.Message), maxEventBytes)
		}
		size += len(e.Message) + eventOverhead
	}
	if size > maxBatchBytes {
		return refuse("Upload too large: %d bytes exceeds limit of %d", size, maxBatchBytes)
	}
	if len(events) > 0 && events[len(events)-1].Time-events[0].Time > maxSpan {
		return refuse("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	}
	return nil
}

// appendBatch writes events (chronological) as the stream's next batch and
// updates what the stream and the group add up to. It first drops the
// stream's oldest batches that the retention policy has wholly expired, so
// a stream written for long holds what its policy keeps (reads hide the
// rest already).
func appendBatch(t *cloud.Txn, g *LogGroup, st *LogStream, events []Event) error {
	freed, err := expireBatches(t, g, st)
	if err != nil {
		return err
	}
	st.StoredBytes -= freed
	g.StoredBytes -= freed
	st.Batches++
	b := &Batch{
		Meta:     cloud.Meta{ID: batchID(st.ID, st.Batches), Owner: st.Owner, Region: st.Region},
		Seq:      st.Batches,
		Ingested: t.Now.UnixMilli(),
		Events:   events,
	}
	if err := cloud.Put(t, b); err != nil {
		return err
	}
	var bytes int64
	for _, e := range events {
		bytes += int64(len(e.Message))
	}
	first, last := events[0].Time, events[len(events)-1].Time
	if st.LastIngestion == 0 || first < st.First {
		st.First = first
	}
	st.Last = max(st.Last, last)
	st.LastIngestion = b.Ingested
	st.StoredBytes += bytes
	if err := cloud.Put(t, st); err != nil {
		return err
	}
	g.StoredBytes += bytes
	return cloud.Put(t, g)
}

// expireBatches deletes the stream's leading batches whose every event is
// past the group's retention, and answers the bytes they held. Batches are
// written mostly in time order, so it stops at the first one still
// holding an event it keeps: a write costs one batch read more.
func expireBatches(t *cloud.Txn, g *LogGroup, st *LogStream) (freed int64, err error) {
	expiry := g.expiry(t.Now.UnixMilli())
	if expiry == 0 {
		return 0, nil
	}
	var expired []string
	var derr error
	err = scanPrefix(t, cloud.KindLogBatch, st.Scope(), st.ID+":", func(r *cloud.Record) bool {
		var b *Batch
		if b, derr = cloud.Decode[Batch](r); derr != nil || len(b.Events) > 0 && b.Events[len(b.Events)-1].Time >= expiry {
			return false
		}
		expired = append(expired, r.ID)
		for _, e := range b.Events {
			freed += int64(len(e.Message))
		}
		return true
	})
	if err = cmp.Or(err, derr); err != nil {
		return 0, err
	}
	for _, id := range expired {
		if err := t.Delete(cloud.KindLogBatch, id); err != nil {
			return 0, err
		}
	}
	return freed, nil
}

// key orders a stream's events: by timestamp, then as written.
type key struct {
	Time int64
	Seq  int64
	I    int
}

func (a key) cmp(b key) int {
	return cmp.Or(cmp.Compare(a.Time, b.Time), cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.I, b.I))
}

// next is the key just after a.
func (a key) next() key { return key{a.Time, a.Seq, a.I + 1} }

// stored is an event as read back.
type stored struct {
	key
	Stream   string
	Ingested int64
	Message  string
}

// readStream reads a stream's events in [from, to) that retention keeps,
// in key order.
func readStream(t *cloud.Txn, g *LogGroup, st *LogStream, from, to int64) ([]stored, error) {
	from = max(from, g.expiry(t.Now.UnixMilli()))
	var out []stored
	var derr error
	err := scanPrefix(t, cloud.KindLogBatch, st.Scope(), st.ID+":", func(r *cloud.Record) bool {
		var b *Batch
		if b, derr = cloud.Decode[Batch](r); derr != nil {
			return false
		}
		for i, e := range b.Events {
			if e.Time >= from && e.Time < to {
				out = append(out, stored{key: key{e.Time, b.Seq, i}, Stream: st.Name, Ingested: b.Ingested, Message: e.Message})
			}
		}
		return true
	})
	if err = cmp.Or(err, derr); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b stored) int { return a.key.cmp(b.key) })
	return out, nil
}
