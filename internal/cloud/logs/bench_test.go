package logs

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkPutLogEvents: a write to a stream costs the same however many
// batches it already holds (one batch record and the stream's counters).
func BenchmarkPutLogEvents(b *testing.B) {
	s, _ := newService(b)
	check(b, s.CreateLogGroup(ctx, alice, NewGroup{Name: "g"}))
	check(b, s.CreateLogStream(ctx, alice, "g", "s"))
	events := make([]Event, 100)
	for i := range events {
		events[i] = Event{ms(time.Duration(i) * time.Millisecond), fmt.Sprintf("2 111111111111 eni-1 10.0.1.5 10.0.2.9 49152 443 6 10 840 1700000000 1700000060 ACCEPT OK %d", i)}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := s.PutLogEvents(ctx, alice, "g", "s", events); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFilterLogEvents: the REJECT pattern over 10,000 flow-log
// records in 10 streams.
func BenchmarkFilterLogEvents(b *testing.B) {
	s, _ := newService(b)
	check(b, s.CreateLogGroup(ctx, alice, NewGroup{Name: "g"}))
	for st := range 10 {
		name := fmt.Sprint("eni-", st)
		check(b, s.CreateLogStream(ctx, alice, "g", name))
		for batch := range 10 {
			events := make([]Event, 100)
			for i := range events {
				action := "ACCEPT"
				if i%10 == 0 {
					action = "REJECT"
				}
				events[i] = Event{ms(time.Duration(batch*100+i) * time.Millisecond), "2 111111111111 " + name + " 10.0.1.5 10.0.2.9 49152 443 6 10 840 1700000000 1700000060 " + action + " OK"}
			}
			_, _, err := s.PutLogEvents(ctx, alice, "g", name, events)
			check(b, err)
		}
	}
	q := FilterQuery{Group: GroupRef{Name: "g"}, Pattern: "[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action=REJECT, flowlogstatus]"}
	b.ResetTimer()
	for b.Loop() {
		events, _, err := s.FilterLogEvents(ctx, alice, q)
		if err != nil || len(events) != 1000 {
			b.Fatal(len(events), err)
		}
	}
}
