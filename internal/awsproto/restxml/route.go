package restxml

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// route is one operation's HTTP binding: its method and the segments of
// its URI template ("/2013-04-01/hostedzone/{Id}/rrset/").
type route struct {
	op       *awsproto.Operation
	method   string
	segments []segment
	// query are literal query-string keys the template requires
	// ("/x?versioning" needs ?versioning).
	query []string
	// literals counts the literal segments: the most literal template
	// wins where two match.
	literals int
}

// segment is a literal path segment or a label, {Name} (one segment) or
// {Name+} (greedy: the rest of the path).
type segment struct {
	literal string
	label   string
	greedy  bool
}

var routeTables sync.Map // *awsproto.Spec -> []*route

// routes returns a spec's routes, most literal first, built once.
func routes(spec *awsproto.Spec) []*route {
	if rs, ok := routeTables.Load(spec); ok {
		return rs.([]*route)
	}
	var rs []*route
	for _, op := range spec.Operations {
		rs = append(rs, parseRoute(op))
	}
	slices.SortFunc(rs, func(a, b *route) int {
		return cmp.Or(cmp.Compare(b.literals, a.literals), cmp.Compare(len(b.query), len(a.query)),
			cmp.Compare(len(a.segments), len(b.segments)), strings.Compare(a.op.Name, b.op.Name))
	})
	routeTables.Store(spec, rs)
	return rs
}

func parseRoute(op *awsproto.Operation) *route {
	r := &route{op: op, method: op.Method}
	path, query, _ := strings.Cut(op.RequestURI, "?")
	for _, kv := range strings.Split(query, "&") {
		if k, _, _ := strings.Cut(kv, "="); k != "" {
			r.query = append(r.query, k)
		}
	}
	for _, s := range splitPath(path) {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			name := s[1 : len(s)-1]
			greedy := strings.HasSuffix(name, "+")
			r.segments = append(r.segments, segment{label: strings.TrimSuffix(name, "+"), greedy: greedy})
			continue
		}
		r.segments = append(r.segments, segment{literal: s})
		r.literals++
	}
	return r
}

// splitPath splits a path into its segments; a trailing slash does not
// count (Route 53's ChangeResourceRecordSets is …/rrset/, its list …/rrset).
func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// match reports whether a request's escaped path and query fit the route,
// and the decoded values of its labels.
func (r *route) match(method string, segs []string, query url.Values) (map[string]string, bool) {
	if method != r.method {
		return nil, false
	}
	for _, k := range r.query {
		if _, ok := query[k]; !ok {
			return nil, false
		}
	}
	labels := map[string]string{}
	i := 0
	for n, s := range r.segments {
		if s.greedy {
			if i >= len(segs) || n != len(r.segments)-1 {
				return nil, false
			}
			v, err := url.PathUnescape(strings.Join(segs[i:], "/"))
			if err != nil {
				return nil, false
			}
			labels[s.label] = v
			return labels, true
		}
		if i >= len(segs) {
			return nil, false
		}
		if s.label == "" {
			if segs[i] != s.literal {
				return nil, false
			}
		} else {
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, false
			}
			labels[s.label] = v
		}
		i++
	}
	return labels, i == len(segs)
}

// find returns the operation a request names and its labels.
func find(spec *awsproto.Spec, method, escapedPath string, query url.Values) (*awsproto.Operation, map[string]string) {
	segs := splitPath(escapedPath)
	for _, r := range routes(spec) {
		if labels, ok := r.match(method, segs, query); ok {
			return r.op, labels
		}
	}
	return nil, nil
}
