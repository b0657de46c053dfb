package logs

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

var (
	alice = cloudtest.Alice
	ctx   = context.Background()
	start = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
)

// clock stands still until a test moves it.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newService(t testing.TB) (*Service, *clock) {
	t.Helper()
	clk := &clock{now: start}
	return New(cloudtest.Open(t, cloud.WithClock(clk.Now))), clk
}

// ms is a time as CloudWatch Logs counts it, d after the test's start.
func ms(d time.Duration) int64 { return start.Add(d).UnixMilli() }

func refused(t *testing.T, err error, r cloud.Reason, msg string) {
	t.Helper()
	e, ok := cloud.AsError(err)
	if !ok || e.Reason != r || !strings.Contains(e.Msg, msg) {
		t.Fatalf("want reason %d %q, got %v", r, msg, err)
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// withStream is the family with group g and its stream s.
func withStream(t *testing.T) (*Service, *clock) {
	s, clk := newService(t)
	check(t, s.CreateLogGroup(ctx, alice, NewGroup{Name: "g"}))
	check(t, s.CreateLogStream(ctx, alice, "g", "s"))
	return s, clk
}

func TestCreateLogGroup(t *testing.T) {
	many := cloud.Tags{}
	for i := range 51 {
		many[fmt.Sprint("k", i)] = "v"
	}
	tests := []struct {
		name   string
		in     NewGroup
		reason cloud.Reason
		msg    string
	}{
		{"plain", NewGroup{Name: "/vpc/flow-logs"}, 0, ""},
		{"every character", NewGroup{Name: "a.b-c_d/e#f09", Tags: cloud.Tags{"team": "net"}}, 0, ""},
		{"again", NewGroup{Name: "taken"}, cloud.Duplicate, "The specified log group already exists"},
		{"space", NewGroup{Name: "a b"}, cloud.InvalidParameter, "at 'logGroupName' failed to satisfy constraint"},
		{"colon", NewGroup{Name: "a:b"}, cloud.InvalidParameter, "regular expression pattern"},
		{"too long", NewGroup{Name: strings.Repeat("a", 513)}, cloud.InvalidParameter, "logGroupName"},
		{"too many tags", NewGroup{Name: "t", Tags: many}, cloud.LimitExceeded, "no more than 50 tags"},
		{"reserved tag", NewGroup{Name: "t", Tags: cloud.Tags{"aws:x": "y"}}, cloud.InvalidParameter, "reserved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newService(t)
			check(t, s.CreateLogGroup(ctx, alice, NewGroup{Name: "taken"}))
			err := s.CreateLogGroup(ctx, alice, tt.in)
			if tt.reason != 0 {
				refused(t, err, tt.reason, tt.msg)
				return
			}
			check(t, err)
			gs := must[[]*LogGroup](t)(s.describeAll(alice, GroupQuery{Prefix: tt.in.Name}))
			if len(gs) != 1 || gs[0].Name != tt.in.Name || gs[0].Class != ClassStandard || gs[0].Created != start.UnixMilli() ||
				gs[0].ARN() != "arn:aws:logs:us-east-1:"+alice.Account+":log-group:"+tt.in.Name+":*" || len(gs[0].Tags) != len(tt.in.Tags) {
				t.Errorf("described %+v", gs)
			}
		})
	}
}

// describeAll reads every page of DescribeLogGroups, two at a time.
func (s *Service) describeAll(who cloud.Caller, q GroupQuery) ([]*LogGroup, error) {
	var out []*LogGroup
	q.Limit = 2
	for {
		page, next, err := s.DescribeLogGroups(ctx, who, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if next == "" {
			return out, nil
		}
		q.Token = next
	}
}

func TestDescribeLogGroups(t *testing.T) {
	s, _ := newService(t)
	for _, n := range []string{"/vpc/b", "/vpc/a", "/app/web", "/vpc/c", "/VPC/upper", "other"} {
		check(t, s.CreateLogGroup(ctx, alice, NewGroup{Name: n}))
	}
	check(t, s.CreateLogGroup(ctx, cloudtest.Bob, NewGroup{Name: "/vpc/bobs"}))
	tests := []struct {
		q    GroupQuery
		want string
	}{
		{GroupQuery{}, "/VPC/upper /app/web /vpc/a /vpc/b /vpc/c other"},
		{GroupQuery{Prefix: "/vpc/"}, "/vpc/a /vpc/b /vpc/c"},
		{GroupQuery{Prefix: "/vpc/b"}, "/vpc/b"},
		{GroupQuery{Prefix: "/nothing"}, ""},
		{GroupQuery{Pattern: "vpc"}, "/VPC/upper /vpc/a /vpc/b /vpc/c"},
		{GroupQuery{Pattern: "WEB"}, "/app/web"},
		{GroupQuery{Class: ClassInfrequentAccess}, ""},
	}
	for _, tt := range tests {
		gs := must[[]*LogGroup](t)(s.describeAll(alice, tt.q))
		var names []string
		for _, g := range gs {
			names = append(names, g.Name)
		}
		if got := strings.Join(names, " "); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.q, got, tt.want)
		}
	}
	_, _, err := s.DescribeLogGroups(ctx, alice, GroupQuery{Prefix: "a", Pattern: "b"})
	refused(t, err, cloud.InvalidParameter, "mutually exclusive")
	_, _, err = s.DescribeLogGroups(ctx, alice, GroupQuery{Token: "nonsense"})
	refused(t, err, cloud.InvalidParameter, "nextToken is invalid")
}

func TestRetention(t *testing.T) {
	s, clk := withStream(t)
	for _, tt := range []struct {
		days int
		ok   bool
	}{{1, true}, {3653, true}, {400, true}, {2, false}, {0, false}, {-1, false}, {4000, false}} {
		err := s.PutRetentionPolicy(ctx, alice, "g", tt.days)
		if tt.ok {
			check(t, err)
		} else {
			refused(t, err, cloud.InvalidParameter, "Member must satisfy enum value set: [1, 3, 5, 7, 14, 30")
		}
	}
	refused(t, s.PutRetentionPolicy(ctx, alice, "nope", 1), cloud.NotFound, "The specified log group does not exist.")
	check(t, s.DeleteRetentionPolicy(ctx, alice, "g"))
	must[string](t)(first(s.PutLogEvents(ctx, alice, "g", "s", []Event{{ms(-50 * time.Hour), "old"}, {ms(-47 * time.Hour), "older"}})))
	must[string](t)(first(s.PutLogEvents(ctx, alice, "g", "s", []Event{{ms(-time.Hour), "recent"}})))
	check(t, s.PutRetentionPolicy(ctx, alice, "g", 3))
	if got := messages(t, s, GetQuery{Stream: "s", FromHead: true}); got != "old older recent" {
		t.Errorf("three days kept %q", got)
	}
	check(t, s.PutRetentionPolicy(ctx, alice, "g", 1))
	if got := messages(t, s, GetQuery{Stream: "s", FromHead: true}); got != "recent" {
		t.Errorf("a day kept %q", got)
	}
	clk.Add(24 * time.Hour)
	if got := messages(t, s, GetQuery{Stream: "s", FromHead: true}); got != "" {
		t.Errorf("a day later %q", got)
	}
	check(t, s.DeleteRetentionPolicy(ctx, alice, "g"))
	if got := messages(t, s, GetQuery{Stream: "s", FromHead: true}); got != "old older recent" {
		t.Errorf("no policy: %q", got)
	}
}

// first drops PutLogEvents' rejections.
func first(token string, _ Rejected, err error) (string, error) { return token, err }

// messages reads a page of GetLogEvents of group g as one string.
func messages(t *testing.T, s *Service, q GetQuery) string {
	t.Helper()
	q.Group = GroupRef{Name: "g"}
	res := must[GetResult](t)(s.GetLogEvents(ctx, alice, q))
	var out []string
	for _, e := range res.Events {
		out = append(out, e.Message)
	}
	return strings.Join(out, " ")
}

func TestPutLogEvents(t *testing.T) {
	tests := []struct {
		name      string
		retention int
		events    []Event
		rejected  Rejected
		kept      string
		refusal   string
	}{
		{name: "in order", events: []Event{{ms(-time.Minute), "a"}, {ms(-time.Minute), "b"}, {ms(0), "c"}}, rejected: Rejected{-1, -1, -1}, kept: "a b c"},
		{name: "out of order", events: []Event{{ms(0), "a"}, {ms(-time.Second), "b"}}, refusal: "must be in chronological order"},
		{name: "over a day", events: []Event{{ms(-25 * time.Hour), "a"}, {ms(0), "b"}}, refusal: "cannot span more than 24 hours"},
		{name: "too large", events: []Event{{ms(0), strings.Repeat("x", 1048576)}}, refusal: "Log event too large"},
		{name: "two too old", events: []Event{{ms(-15 * 24 * time.Hour), "old"}, {ms(-15*24*time.Hour + time.Hour), "old2"}, {ms(-13 * 24 * time.Hour), "kept"}}, refusal: "cannot span"},
		{name: "the oldest too old", events: []Event{{ms(-14*24*time.Hour - 2*time.Hour), "old"}, {ms(-14*24*time.Hour - time.Hour), "old2"}, {ms(-14*24*time.Hour + time.Hour), "kept"}}, rejected: Rejected{1, -1, -1}, kept: "kept"},
		{name: "too old", events: []Event{{ms(-14*24*time.Hour - time.Hour), "old"}, {ms(-14*24*time.Hour + time.Hour), "kept"}}, rejected: Rejected{0, -1, -1}, kept: "kept"},
		{name: "too new", events: []Event{{ms(0), "kept"}, {ms(3 * time.Hour), "new"}, {ms(4 * time.Hour), "newer"}}, rejected: Rejected{-1, -1, 1}, kept: "kept"},
		{name: "expired", retention: 1, events: []Event{{ms(-23 * time.Hour), "kept"}}, rejected: Rejected{-1, -1, -1}, kept: "kept"},
		{name: "expired and kept", retention: 1, events: []Event{{ms(-24*time.Hour - 2*time.Second), "gone"}, {ms(-24*time.Hour - time.Second), "gone2"}, {ms(-time.Hour), "kept"}}, rejected: Rejected{-1, 1, -1}, kept: "kept"},
		{name: "all rejected", events: []Event{{ms(3 * time.Hour), "new"}}, rejected: Rejected{-1, -1, 0}, kept: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := withStream(t)
			if tt.retention != 0 {
				check(t, s.PutRetentionPolicy(ctx, alice, "g", tt.retention))
			}
			token, rejected, err := s.PutLogEvents(ctx, alice, "g", "s", tt.events)
			if tt.refusal != "" {
				refused(t, err, cloud.InvalidParameter, tt.refusal)
				return
			}
			check(t, err)
			if rejected != tt.rejected || len(token) != 56 {
				t.Errorf("rejected %+v token %q, want %+v", rejected, token, tt.rejected)
			}
			if got := messages(t, s, GetQuery{Stream: "s", FromHead: true}); got != tt.kept {
				t.Errorf("kept %q, want %q", got, tt.kept)
			}
		})
	}
	s, _ := withStream(t)
	_, _, err := s.PutLogEvents(ctx, alice, "g", "nope", []Event{{ms(0), "a"}})
	refused(t, err, cloud.NotFound, "The specified log stream does not exist.")
	_, _, err = s.PutLogEvents(ctx, alice, "nope", "s", []Event{{ms(0), "a"}})
	refused(t, err, cloud.NotFound, "The specified log group does not exist.")
}

func TestGetLogEvents(t *testing.T) {
	s, _ := withStream(t)
	// Two batches whose times interleave: reads are in time order.
	check(t, second(s.PutLogEvents(ctx, alice, "g", "s", []Event{{ms(1 * time.Millisecond), "e1"}, {ms(3 * time.Millisecond), "e3"}, {ms(5 * time.Millisecond), "e5"}})))
	check(t, second(s.PutLogEvents(ctx, alice, "g", "s", []Event{{ms(2 * time.Millisecond), "e2"}, {ms(4 * time.Millisecond), "e4"}})))
	tests := []struct {
		q    GetQuery
		want string
	}{
		{GetQuery{Stream: "s"}, "e1 e2 e3 e4 e5"},
		{GetQuery{Stream: "s", Limit: 2}, "e4 e5"},
		{GetQuery{Stream: "s", Limit: 2, FromHead: true}, "e1 e2"},
		{GetQuery{Stream: "s", Start: new(ms(2 * time.Millisecond)), End: new(ms(4 * time.Millisecond))}, "e2 e3"},
		{GetQuery{Stream: "s", Start: new(ms(6 * time.Millisecond))}, ""},
	}
	for _, tt := range tests {
		if got := messages(t, s, tt.q); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.q, got, tt.want)
		}
	}
	// Forward two at a time to the end, where the token stays put.
	q := GetQuery{Group: GroupRef{Name: "g"}, Stream: "s", Limit: 2, FromHead: true}
	var pages []string
	for range 5 {
		res := must[GetResult](t)(s.GetLogEvents(ctx, alice, q))
		var page []string
		for _, e := range res.Events {
			page = append(page, e.Message)
		}
		pages = append(pages, strings.Join(page, ","))
		if res.Forward == q.Token {
			break
		}
		q.Token = res.Forward
	}
	if got := strings.Join(pages, " | "); got != "e1,e2 | e3,e4 | e5 | " {
		t.Errorf("forward pages %q", got)
	}
	// New events after the end are read from the same token.
	check(t, second(s.PutLogEvents(ctx, alice, "g", "s", []Event{{ms(6 * time.Millisecond), "e6"}})))
	if got := messages(t, s, GetQuery{Stream: "s", Token: q.Token}); got != "e6" {
		t.Errorf("after the end %q", got)
	}
	// Backward from the tail.
	res := must[GetResult](t)(s.GetLogEvents(ctx, alice, GetQuery{Group: GroupRef{Name: "g"}, Stream: "s", Limit: 2}))
	if got := messages(t, s, GetQuery{Stream: "s", Limit: 2, Token: res.Backward}); got != "e3 e4" {
		t.Errorf("backward %q", got)
	}
	_, err := s.GetLogEvents(ctx, alice, GetQuery{Group: GroupRef{Name: "g"}, Stream: "s", Token: "x/123"})
	refused(t, err, cloud.InvalidParameter, "nextToken is invalid")
	_, err = s.GetLogEvents(ctx, alice, GetQuery{Group: GroupRef{Name: "g", Identifier: "g"}, Stream: "s"})
	refused(t, err, cloud.InvalidParameter, "mutually exclusive")
	arn := LogGroupARN(cloud.Scope{Account: alice.Account, Region: alice.Region}, "g")
	if got := must[GetResult](t)(s.GetLogEvents(ctx, alice, GetQuery{Group: GroupRef{Identifier: arn}, Stream: "s"})); len(got.Events) != 6 {
		t.Errorf("by ARN: %+v", got)
	}
}

func second(_ string, _ Rejected, err error) error { return err }

// flow log records of two interfaces.
var records = map[string][]string{
	"eni-1": {
		"2 111111111111 eni-1 10.0.1.5 10.0.2.9 49152 443 6 10 840 1700000000 1700000060 ACCEPT OK",
		"2 111111111111 eni-1 198.51.100.7 10.0.1.5 50000 22 6 1 40 1700000000 1700000060 REJECT OK",
	},
	"eni-2": {
		"2 111111111111 eni-2 10.0.2.9 10.0.1.5 443 49152 6 8 620 1700000000 1700000060 ACCEPT OK",
		"2 111111111111 eni-2 203.0.113.9 10.0.2.9 40000 3389 6 1 40 1700000000 1700000060 REJECT OK",
	},
}

func TestFilterLogEvents(t *testing.T) {
	s, _ := newService(t)
	// Delivered the way flow logs deliver, group and streams made on the way.
	check(t, s.Update(ctx, alice, func(tx *cloud.Txn) error {
		for i, eni := range []string{"eni-1", "eni-2"} {
			var events []cloud.LogEvent
			for j, r := range records[eni] {
				events = append(events, cloud.LogEvent{Time: start.Add(time.Duration(2*j+i) * time.Second), Message: r})
			}
			if err := cloud.DeliverLogEvents(tx, alice.Account, alice.Region, "/vpc/flow-logs", eni, events); err != nil {
				return err
			}
		}
		return nil
	}))
	reject := "[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action=REJECT, flowlogstatus]"
	tests := []struct {
		q    FilterQuery
		want string
	}{
		{FilterQuery{}, "eni-1/10.0.1.5 eni-2/10.0.2.9 eni-1/198.51.100.7 eni-2/203.0.113.9"},
		{FilterQuery{Pattern: reject}, "eni-1/198.51.100.7 eni-2/203.0.113.9"},
		{FilterQuery{Pattern: "REJECT", Streams: []string{"eni-2"}}, "eni-2/203.0.113.9"},
		{FilterQuery{Prefix: "eni-1"}, "eni-1/10.0.1.5 eni-1/198.51.100.7"},
		{FilterQuery{Pattern: "?3389 ?22"}, "eni-1/198.51.100.7 eni-2/203.0.113.9"},
		{FilterQuery{Pattern: "ACCEPT -443"}, ""},
		{FilterQuery{Start: new(ms(time.Second)), End: new(ms(2 * time.Second))}, "eni-2/10.0.2.9 eni-1/198.51.100.7"},
		{FilterQuery{Limit: 1}, "eni-1/10.0.1.5 eni-2/10.0.2.9 eni-1/198.51.100.7 eni-2/203.0.113.9"},
	}
	for _, tt := range tests {
		tt.q.Group = GroupRef{Name: "/vpc/flow-logs"}
		var got []string
		for {
			events, next, err := s.FilterLogEvents(ctx, alice, tt.q)
			check(t, err)
			for _, e := range events {
				if len(e.ID) != 56 {
					t.Errorf("event id %q", e.ID)
				}
				got = append(got, e.Stream+"/"+strings.Fields(e.Message)[3])
			}
			if next == "" {
				break
			}
			tt.q.Token = next
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%+v: %q, want %q", tt.q, g, tt.want)
		}
	}
	for _, tt := range []struct {
		q   FilterQuery
		msg string
	}{
		{FilterQuery{Group: GroupRef{Name: "/vpc/flow-logs"}, Pattern: `"open`}, "Unterminated quoted string"},
		{FilterQuery{Group: GroupRef{Name: "/vpc/flow-logs"}, Streams: []string{"a"}, Prefix: "b"}, "cannot specify both"},
		{FilterQuery{Group: GroupRef{Name: "/vpc/flow-logs"}, Token: "!"}, "nextToken is invalid"},
	} {
		_, _, err := s.FilterLogEvents(ctx, alice, tt.q)
		refused(t, err, cloud.InvalidParameter, tt.msg)
	}
	_, _, err := s.FilterLogEvents(ctx, alice, FilterQuery{Group: GroupRef{Name: "nope"}})
	refused(t, err, cloud.NotFound, "The specified log group does not exist.")
}

func TestDescribeLogStreams(t *testing.T) {
	s, _ := newService(t)
	check(t, s.CreateLogGroup(ctx, alice, NewGroup{Name: "g"}))
	check(t, s.CreateLogGroup(ctx, alice, NewGroup{Name: "g.other"}))
	check(t, s.CreateLogStream(ctx, alice, "g.other", "not-mine"))
	for i, n := range []string{"b", "a", "c", "ab"} {
		check(t, s.CreateLogStream(ctx, alice, "g", n))
		check(t, second(s.PutLogEvents(ctx, alice, "g", n, []Event{{ms(time.Duration(10-i) * time.Second), "x"}})))
	}
	refused(t, s.CreateLogStream(ctx, alice, "g", "a"), cloud.Duplicate, "The specified log stream already exists")
	refused(t, s.CreateLogStream(ctx, alice, "g", "a:b"), cloud.InvalidParameter, "logStreamName")
	refused(t, s.CreateLogStream(ctx, alice, "nope", "a"), cloud.NotFound, "The specified log group does not exist.")
	tests := []struct {
		q    StreamQuery
		want string
	}{
		{StreamQuery{}, "a ab b c"},
		{StreamQuery{Descending: true}, "c b ab a"},
		{StreamQuery{Prefix: "a"}, "a ab"},
		{StreamQuery{OrderBy: OrderByLastEventTime}, "ab c a b"},
		{StreamQuery{OrderBy: OrderByLastEventTime, Descending: true}, "b a c ab"},
		{StreamQuery{Limit: 3}, "a ab b c"},
	}
	for _, tt := range tests {
		tt.q.Group = GroupRef{Name: "g"}
		var got []string
		for {
			page, next, err := s.DescribeLogStreams(ctx, alice, tt.q)
			check(t, err)
			for _, st := range page {
				got = append(got, st.Name)
			}
			if next == "" {
				break
			}
			tt.q.Token = next
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%+v: %q, want %q", tt.q, g, tt.want)
		}
	}
	_, _, err := s.DescribeLogStreams(ctx, alice, StreamQuery{Group: GroupRef{Name: "g"}, Prefix: "a", OrderBy: OrderByLastEventTime})
	refused(t, err, cloud.InvalidParameter, "Cannot order by LastEventTime with a logStreamNamePrefix.")
	_, _, err = s.DescribeLogStreams(ctx, alice, StreamQuery{Group: GroupRef{Name: "g"}, Token: "bm9wZQ"})
	refused(t, err, cloud.InvalidParameter, "nextToken is invalid")
	page, _, _ := s.DescribeLogStreams(ctx, alice, StreamQuery{Group: GroupRef{Name: "g"}, Prefix: "b"})
	if st := page[0]; st.First != ms(10*time.Second) || st.Last != st.First || st.LastIngestion != start.UnixMilli() || st.StoredBytes != 1 ||
		st.ARN() != "arn:aws:logs:us-east-1:"+alice.Account+":log-group:g:log-stream:b" {
		t.Errorf("stream %+v", st)
	}
	check(t, s.DeleteLogStream(ctx, alice, "g", "b"))
	refused(t, s.DeleteLogStream(ctx, alice, "g", "b"), cloud.NotFound, "The specified log stream does not exist.")
}

// TestDeleteLogGroup: a group goes with its streams and events; one of
// the same name made again is empty.
func TestDeleteLogGroup(t *testing.T) {
	s, _ := withStream(t)
	check(t, second(s.PutLogEvents(ctx, alice, "g", "s", []Event{{ms(0), "a"}})))
	check(t, s.DeleteLogGroup(ctx, alice, "g"))
	refused(t, s.DeleteLogGroup(ctx, alice, "g"), cloud.NotFound, "The specified log group does not exist.")
	check(t, s.CreateLogGroup(ctx, alice, NewGroup{Name: "g"}))
	page, _, err := s.DescribeLogStreams(ctx, alice, StreamQuery{Group: GroupRef{Name: "g"}})
	check(t, err)
	if len(page) != 0 {
		t.Errorf("streams %+v", page)
	}
	cloudtest.Read(t, s.Cloud, func(tx *cloud.Txn) error {
		n := 0
		err := tx.ScanKind(cloud.KindLogBatch, "", func(*cloud.Record) bool { n++; return true })
		if n != 0 {
			t.Errorf("%d batches left", n)
		}
		return err
	})
}

func TestTags(t *testing.T) {
	s, _ := newService(t)
	check(t, s.CreateLogGroup(ctx, alice, NewGroup{Name: "g", Tags: cloud.Tags{"a": "1"}}))
	sc := cloud.Scope{Account: alice.Account, Region: alice.Region}
	arn := LogGroupARN(sc, "g")
	check(t, s.TagResource(ctx, alice, arn, cloud.Tags{"b": "2"}))
	check(t, s.TagResource(ctx, alice, GroupARN(sc, "g"), cloud.Tags{"c": "3"}))
	check(t, s.TagLogGroup(ctx, alice, "g", cloud.Tags{"d": "4"}))
	check(t, s.UntagResource(ctx, alice, arn, []string{"a"}))
	check(t, s.UntagLogGroup(ctx, alice, "g", []string{"c"}))
	tags := must[cloud.Tags](t)(s.ListTagsForResource(ctx, alice, arn))
	legacy := must[cloud.Tags](t)(s.ListTagsLogGroup(ctx, alice, "g"))
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range tags {
			if !yield(k) {
				return
			}
		}
	})
	if strings.Join(keys, ",") != "b,d" || len(legacy) != 2 {
		t.Errorf("tags %v, legacy %v", tags, legacy)
	}
	for _, tt := range []struct {
		arn    string
		reason cloud.Reason
		msg    string
	}{
		{LogGroupARN(sc, "nope"), cloud.NotFound, "The specified log group does not exist."},
		{LogGroupARN(cloud.Scope{Account: cloudtest.Bob.Account, Region: alice.Region}, "g"), cloud.NotFound, "does not exist"},
		{"arn:aws:ec2:us-east-1:" + alice.Account + ":vpc/vpc-1", cloud.InvalidParameter, "Invalid ARN"},
		{"not an arn", cloud.InvalidParameter, "Invalid ARN"},
	} {
		refused(t, s.TagResource(ctx, alice, tt.arn, cloud.Tags{"x": "y"}), tt.reason, tt.msg)
	}
	many := cloud.Tags{}
	for i := range 49 {
		many[fmt.Sprint("k", i)] = "v"
	}
	refused(t, s.TagLogGroup(ctx, alice, "g", many), cloud.LimitExceeded, "no more than 50 tags")
}

// TestRetentionFreesBatches: a write to a stream drops its leading
// batches the retention has wholly expired, and what they counted.
func TestRetentionFreesBatches(t *testing.T) {
	s, clk := withStream(t)
	check(t, s.PutRetentionPolicy(ctx, alice, "g", 1))
	check(t, second(s.PutLogEvents(ctx, alice, "g", "s", []Event{{ms(-2 * time.Hour), "old"}})))
	check(t, second(s.PutLogEvents(ctx, alice, "g", "s", []Event{{ms(-time.Hour), "older"}, {ms(0), "new"}})))
	clk.Add(23*time.Hour + time.Minute)
	check(t, second(s.PutLogEvents(ctx, alice, "g", "s", []Event{{ms(23 * time.Hour), "later"}})))
	batches := func() int {
		n := 0
		cloudtest.Read(t, s.Cloud, func(tx *cloud.Txn) error {
			return tx.ScanKind(cloud.KindLogBatch, "", func(*cloud.Record) bool { n++; return true })
		})
		return n
	}
	if n := batches(); n != 2 {
		t.Errorf("%d batches, want 2 (the first expired)", n)
	}
	if got := messages(t, s, GetQuery{Stream: "s", FromHead: true}); got != "new later" {
		t.Errorf("kept %q", got)
	}
	gs := must[[]*LogGroup](t)(s.describeAll(alice, GroupQuery{Prefix: "g"}))
	if gs[0].StoredBytes != int64(len("older")+len("new")+len("later")) {
		t.Errorf("stored bytes %d", gs[0].StoredBytes)
	}
}

// TestDelivery: the kernel's hook makes the group and the stream when
// missing, sorts what it is given and leaves out what retention expired.
func TestDelivery(t *testing.T) {
	s, _ := newService(t)
	deliver := func(events ...cloud.LogEvent) {
		t.Helper()
		check(t, s.Update(ctx, cloudtest.Bob, func(tx *cloud.Txn) error {
			return cloud.DeliverLogEvents(tx, alice.Account, alice.Region, "/vpc/fl", "eni-1", events)
		}))
	}
	deliver(cloud.LogEvent{Time: start.Add(2 * time.Second), Message: "b"}, cloud.LogEvent{Time: start.Add(time.Second), Message: "a"})
	check(t, s.PutRetentionPolicy(ctx, alice, "/vpc/fl", 1))
	deliver(cloud.LogEvent{Time: start.Add(-48 * time.Hour), Message: "expired"}, cloud.LogEvent{Time: start.Add(3 * time.Second), Message: "c"})
	res := must[GetResult](t)(s.GetLogEvents(ctx, alice, GetQuery{Group: GroupRef{Name: "/vpc/fl"}, Stream: "eni-1"}))
	var got []string
	for _, e := range res.Events {
		got = append(got, e.Message)
	}
	if strings.Join(got, " ") != "a b c" {
		t.Errorf("delivered %v", got)
	}
	err := s.Update(ctx, alice, func(tx *cloud.Txn) error {
		return cloud.DeliverLogEvents(tx, alice.Account, alice.Region, "bad name", "eni-1", nil)
	})
	refused(t, err, cloud.InvalidParameter, "logGroupName")
}
