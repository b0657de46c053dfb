package logs

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// OutEvent is an event as the reading calls answer it.
type OutEvent struct {
	Time, Ingested int64
	Message        string
	// Stream and ID are FilterLogEvents': the event's stream, and its id.
	Stream, ID string
}

// GetQuery reads a stream's events: those in [Start, End) (nil: no bound),
// a page of at most Limit from the head or the tail, or from a token.
type GetQuery struct {
	Group    GroupRef
	Stream   string
	Start    *int64
	End      *int64
	FromHead bool
	Token    string
	Limit    int
}

// GetResult is a page of a stream's events, oldest first, with the tokens
// that read on forward (after the page) and backward (before it). Reading
// forward past the end answers no events and the same forward token, the
// way clients know they are at the end.
type GetResult struct {
	Events            []OutEvent
	Forward, Backward string
}

// The tokens are a direction and the key of a position: f/K reads the
// events from K on, b/K those before K.
func token(dir byte, k key) string {
	return fmt.Sprintf("%c/%020d%010d%06d", dir, k.Time, k.Seq, k.I)
}

func parseToken(s string) (dir byte, k key, err error) {
	bad := refuse("The specified nextToken is invalid.")
	if len(s) != 38 || (s[0] != 'f' && s[0] != 'b') || s[1] != '/' {
		return 0, k, bad
	}
	parts := []string{s[2:22], s[22:32], s[32:38]}
	var n [3]int64
	for i, p := range parts {
		v, err := strconv.ParseUint(p, 10, 63)
		if err != nil {
			return 0, k, bad
		}
		n[i] = int64(v)
	}
	return s[0], key{n[0], n[1], int(n[2])}, nil
}

const (
	maxEvents    = 10000
	maxPageBytes = 1048576
)

// GetLogEvents reads a page of a stream's events.
func (s *Service) GetLogEvents(ctx context.Context, who cloud.Caller, q GetQuery) (GetResult, error) {
	var res GetResult
	dir, at := byte(0), key{}
	if q.Token != "" {
		var err error
		if dir, at, err = parseToken(q.Token); err != nil {
			return res, err
		}
	}
	from, to := int64(0), int64(math.MaxInt64)
	if q.Start != nil {
		from = *q.Start
	}
	if q.End != nil {
		to = *q.End
	}
	limit := cmp.Or(q.Limit, maxEvents)
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		g, err := q.Group.resolve(t)
		if err != nil {
			return err
		}
		st, err := stream(t, g, q.Stream)
		if err != nil {
			return err
		}
		events, err := readStream(t, g, st, from, to)
		if err != nil {
			return err
		}
		// pos is the index of the first event at or after k.
		pos := func(k key) int {
			return sort.Search(len(events), func(i int) bool { return events[i].key.cmp(k) >= 0 })
		}
		var lo, hi int
		switch {
		case dir == 'f' || dir == 0 && q.FromHead:
			lo = pos(at)
			hi = forward(events, lo, limit)
		case dir == 'b':
			hi = pos(at)
			lo = backward(events, hi, limit)
		default:
			hi = len(events)
			lo = backward(events, hi, limit)
		}
		if lo == hi {
			res.Forward, res.Backward = token('f', at), token('b', at)
			return nil
		}
		for _, e := range events[lo:hi] {
			res.Events = append(res.Events, OutEvent{Time: e.Time, Ingested: e.Ingested, Message: e.Message})
		}
		res.Forward, res.Backward = token('f', events[hi-1].key.next()), token('b', events[lo].key)
		return nil
	})
	return res, err
}

// forward is the end of a page from lo: at most limit events and a page's
// bytes.
func forward(events []stored, lo, limit int) int {
	size, hi := 0, lo
	for hi < len(events) && hi-lo < limit {
		size += len(events[hi].Message) + eventOverhead
		if size > maxPageBytes && hi > lo {
			break
		}
		hi++
	}
	return hi
}

// backward is the start of a page ending at hi.
func backward(events []stored, hi, limit int) int {
	size, lo := 0, hi
	for lo > 0 && hi-lo < limit {
		size += len(events[lo-1].Message) + eventOverhead
		if size > maxPageBytes && lo < hi {
			break
		}
		lo--
	}
	return lo
}
