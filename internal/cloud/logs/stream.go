package logs

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// LogStream is a log stream of a group, with what its batches of events
// add up to (so that describing it reads no events).
type LogStream struct {
	cloud.Meta
	Group, Name string
	Created     int64
	// First and Last are the earliest and latest event timestamps, and
	// LastIngestion when events last arrived (0: no events yet).
	First, Last, LastIngestion int64 `json:",omitempty"`
	// Batches counts the batches written; the next one is numbered
	// Batches+1.
	Batches     int64 `json:",omitempty"`
	StoredBytes int64 `json:",omitempty"`
}

func (*LogStream) Kind() cloud.Kind  { return cloud.KindLogStream }
func (*LogStream) Keys() []cloud.Key { return nil }

func init() { cloud.RegisterType[LogStream]() }

// ARN is the stream's ARN.
func (s *LogStream) ARN() string { return StreamARN(s.Scope(), s.Group, s.Name) }

// SequenceToken is the token PutLogEvents answers after the stream's
// latest write (CloudWatch Logs no longer checks the ones it is sent).
func (s *LogStream) SequenceToken() string { return fmt.Sprintf("%056d", s.Batches+1) }

// CreateLogStream makes a stream in one of the caller's groups.
func (s *Service) CreateLogStream(ctx context.Context, who cloud.Caller, groupName, name string) error {
	if err := checkStreamName(name); err != nil {
		return err
	}
	return s.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := group(t, t.Scope, groupName)
		if err != nil {
			return err
		}
		if _, err := t.Get(cloud.KindLogStream, streamID(t.Scope, g.Name, name)); err == nil {
			return cloud.Errorf(cloud.Duplicate, cloud.KindLogStream, "The specified log stream already exists")
		} else if !errors.Is(err, cloud.ErrNoRecord) {
			return err
		}
		_, err = createStream(t, g, name)
		return err
	})
}

func createStream(t *cloud.Txn, g *LogGroup, name string) (*LogStream, error) {
	sc := g.Scope()
	st := &LogStream{
		Meta:    cloud.Meta{ID: streamID(sc, g.Name, name), Owner: sc.Account, Region: sc.Region},
		Group:   g.Name,
		Name:    name,
		Created: t.Now.UnixMilli(),
	}
	return st, cloud.Put(t, st)
}

// stream reads a stream of a group.
func stream(t *cloud.Txn, g *LogGroup, name string) (*LogStream, error) {
	r, err := t.Get(cloud.KindLogStream, streamID(g.Scope(), g.Name, name))
	if errors.Is(err, cloud.ErrNoRecord) {
		return nil, streamMissing()
	}
	if err != nil {
		return nil, err
	}
	return cloud.Decode[LogStream](r)
}

// streamsOf reads a group's streams in name order.
func streamsOf(t *cloud.Txn, g *LogGroup) ([]*LogStream, error) {
	var out []*LogStream
	var derr error
	err := scanPrefix(t, cloud.KindLogStream, g.Scope(), g.ID+":", func(r *cloud.Record) bool {
		var st *LogStream
		st, derr = cloud.Decode[LogStream](r)
		out = append(out, st)
		return derr == nil
	})
	return out, cmp.Or(err, derr)
}

// DeleteLogStream deletes a stream and its events.
func (s *Service) DeleteLogStream(ctx context.Context, who cloud.Caller, groupName, name string) error {
	return s.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := group(t, t.Scope, groupName)
		if err != nil {
			return err
		}
		st, err := stream(t, g, name)
		if err != nil {
			return err
		}
		return deleteStream(t, st)
	})
}

func deleteStream(t *cloud.Txn, st *LogStream) error {
	var ids []string
	err := scanPrefix(t, cloud.KindLogBatch, st.Scope(), st.ID+":", func(r *cloud.Record) bool {
		ids = append(ids, r.ID)
		return true
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := t.Delete(cloud.KindLogBatch, id); err != nil {
			return err
		}
	}
	return cloud.Remove(t, st)
}

// Orders of DescribeLogStreams.
const (
	OrderByName          = "LogStreamName"
	OrderByLastEventTime = "LastEventTime"
)

// StreamQuery selects a group's streams: by name prefix, in an order, a
// page of Limit after Token.
type StreamQuery struct {
	Group      GroupRef
	Prefix     string
	OrderBy    string
	Descending bool
	Token      string
	Limit      int
}

// streamOffset reads DescribeLogStreams' token: how many streams earlier
// pages answered ("" for none).
func streamOffset(token string) (int, error) {
	if token == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	n, ok := strings.CutPrefix(string(b), "s:")
	offset, err2 := strconv.Atoi(n)
	if err != nil || !ok || err2 != nil || offset < 0 {
		return 0, refuse("The specified nextToken is invalid.")
	}
	return offset, nil
}

// DescribeLogStreams lists a group's streams; next is the token of the
// next page ("" after the last).
func (s *Service) DescribeLogStreams(ctx context.Context, who cloud.Caller, q StreamQuery) (streams []*LogStream, next string, err error) {
	if q.OrderBy == OrderByLastEventTime && q.Prefix != "" {
		return nil, "", refuse("Cannot order by LastEventTime with a logStreamNamePrefix.")
	}
	offset, err := streamOffset(q.Token)
	if err != nil {
		return nil, "", err
	}
	limit := cmp.Or(q.Limit, 50)
	err = s.View(ctx, who, func(t *cloud.Txn) error {
		g, err := q.Group.resolve(t)
		if err != nil {
			return err
		}
		all, err := streamsOf(t, g)
		if err != nil {
			return err
		}
		all = slices.DeleteFunc(all, func(st *LogStream) bool { return !strings.HasPrefix(st.Name, q.Prefix) })
		if q.OrderBy == OrderByLastEventTime {
			slices.SortStableFunc(all, func(a, b *LogStream) int { return cmp.Compare(a.Last, b.Last) })
		}
		if q.Descending {
			slices.Reverse(all)
		}
		if offset > len(all) {
			offset = len(all)
		}
		streams = all[offset:]
		if len(streams) > limit {
			streams = streams[:limit]
			next = base64.RawURLEncoding.EncodeToString([]byte("s:" + strconv.Itoa(offset+limit)))
		}
		return nil
	})
	return streams, next, err
}
