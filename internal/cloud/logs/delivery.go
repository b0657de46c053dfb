package logs

import (
	"cmp"
	"slices"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

func init() { cloud.RegisterLogDelivery(delivery{}) }

// delivery is CloudWatch Logs as delivering services see it (see
// cloud.LogDelivery).
type delivery struct{}

// DeliverLogEvents appends events to a stream of an account's group,
// making the group and the stream when they are missing, as a delivering
// service does. Events are sorted by time; those the group's retention has
// already expired are left out, as PutLogEvents leaves them out.
func (delivery) DeliverLogEvents(t *cloud.Txn, account, region, groupName, streamName string, events []cloud.LogEvent) error {
	if err := checkGroupName(groupName); err != nil {
		return err
	}
	if err := checkStreamName(streamName); err != nil {
		return err
	}
	sc := cloud.Scope{Account: account, Region: region}
	g, err := group(t, sc, groupName)
	if notFound(err) {
		g, err = createGroup(t, sc, NewGroup{Name: groupName})
	}
	if err != nil {
		return err
	}
	st, err := stream(t, g, streamName)
	if notFound(err) {
		st, err = createStream(t, g, streamName)
	}
	if err != nil {
		return err
	}
	expiry := g.expiry(t.Now.UnixMilli())
	batch := make([]Event, 0, len(events))
	for _, e := range events {
		if ms := e.Time.UnixMilli(); ms >= expiry && e.Message != "" {
			batch = append(batch, Event{Time: ms, Message: e.Message})
		}
	}
	if len(batch) == 0 {
		return nil
	}
	slices.SortStableFunc(batch, func(a, b Event) int { return cmp.Compare(a.Time, b.Time) })
	return appendBatch(t, g, st, batch)
}

// notFound reports whether err is a refusal of something missing.
func notFound(err error) bool {
	e, ok := cloud.AsError(err)
	return ok && e.Reason == cloud.NotFound
}
