package logs

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/logs/filterpattern"
)

// FilterQuery searches a group's events: of the streams named, or those
// whose names start with Prefix (every stream when neither), in
// [Start, End] (nil: no bound), matching Pattern, a page of at most Limit
// after Token.
type FilterQuery struct {
	Group   GroupRef
	Streams []string
	Prefix  string
	Start   *int64
	End     *int64
	Pattern string
	Token   string
	Limit   int
}

// filterKey orders events across streams: by timestamp, then stream, then
// as written.
type filterKey struct {
	key
	Stream string
}

func (a filterKey) cmp(b filterKey) int {
	return cmp.Or(cmp.Compare(a.Time, b.Time), strings.Compare(a.Stream, b.Stream), cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.I, b.I))
}

// The token of FilterLogEvents is the key of the next event to answer.
func filterToken(k filterKey) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d %d %d %s", k.Time, k.Seq, k.I, k.Stream))
}

func parseFilterToken(s string) (filterKey, error) {
	var k filterKey
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		var n int
		n, err = fmt.Sscanf(string(b), "%d %d %d ", &k.Time, &k.Seq, &k.I)
		if err == nil && n == 3 {
			parts := strings.SplitN(string(b), " ", 4)
			if len(parts) == 4 {
				k.Stream = parts[3]
				return k, nil
			}
		}
	}
	return k, refuse("The specified nextToken is invalid.")
}

// eventID is a FilterLogEvents event id: 56 digits, unique in the group.
func eventID(e stored) string {
	h := fnv.New32a()
	h.Write([]byte(e.Stream))
	return fmt.Sprintf("%020d%016d%010d%010d", e.Time, e.Seq, e.I, h.Sum32())
}

// FilterLogEvents answers a page of a group's events that match, oldest
// first across the streams; next is the token of the next page ("" after
// the last).
func (s *Service) FilterLogEvents(ctx context.Context, who cloud.Caller, q FilterQuery) (events []OutEvent, next string, err error) {
	if len(q.Streams) > 0 && q.Prefix != "" {
		return nil, "", refuse("You cannot specify both LogStreamNames and LogStreamNamePrefix.")
	}
	pattern, err := filterpattern.Parse(q.Pattern)
	if err != nil {
		msg := err.Error() // AWS's sentence, capitalized
		return nil, "", refuse("%s", strings.ToUpper(msg[:1])+msg[1:])
	}
	var after *filterKey
	if q.Token != "" {
		k, err := parseFilterToken(q.Token)
		if err != nil {
			return nil, "", err
		}
		after = &k
	}
	from, to := int64(0), int64(math.MaxInt64)
	if q.Start != nil {
		from = *q.Start
	}
	if q.End != nil && *q.End < math.MaxInt64 {
		to = *q.End + 1 // the end is inclusive here
	}
	limit := cmp.Or(q.Limit, maxEvents)
	err = s.View(ctx, who, func(t *cloud.Txn) error {
		g, err := q.Group.resolve(t)
		if err != nil {
			return err
		}
		streams, err := streamsOf(t, g)
		if err != nil {
			return err
		}
		var found []stored
		for _, st := range streams {
			if len(q.Streams) > 0 && !slices.Contains(q.Streams, st.Name) || !strings.HasPrefix(st.Name, q.Prefix) {
				continue
			}
			evs, err := readStream(t, g, st, from, to)
			if err != nil {
				return err
			}
			for _, e := range evs {
				if (after == nil || (filterKey{e.key, e.Stream}).cmp(*after) >= 0) && pattern.Match(e.Message) {
					found = append(found, e)
				}
			}
		}
		slices.SortFunc(found, func(a, b stored) int {
			return filterKey{a.key, a.Stream}.cmp(filterKey{b.key, b.Stream})
		})
		hi := forward(found, 0, limit)
		if hi < len(found) {
			next = filterToken(filterKey{found[hi].key, found[hi].Stream})
		}
		for _, e := range found[:hi] {
			events = append(events, OutEvent{Time: e.Time, Ingested: e.Ingested, Message: e.Message, Stream: e.Stream, ID: eventID(e)})
		}
		return nil
	})
	return events, next, err
}
