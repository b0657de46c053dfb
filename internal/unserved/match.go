package unserved

import (
	"net/http"
	"strings"
)

// match finds the REST operation of s that r's method and path are for,
// and how well it fits (-1: none). A URI template's literal segments must
// equal the path's, {Label} takes one segment and {Label+} the rest, and
// the template's query (?uploads, ?list-type=2) must be in the request's;
// the template with the most literal segments and query keys wins
// (GET /{Bucket}?list-type=2 is ListObjectsV2, GET /{Bucket} ListObjects).
func match(s *Service, r *http.Request) (op string, score int) {
	score = -1
	path := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	q := r.URL.Query()
	for _, o := range s.Operations {
		if o[0] != r.Method {
			continue
		}
		if sc, ok := fits(o[1], path, q); ok && sc > score {
			op, score = o[2], sc
		}
	}
	return op, score
}

func fits(template string, path []string, q map[string][]string) (score int, ok bool) {
	tpath, tquery, _ := strings.Cut(template, "?")
	segs := strings.Split(strings.Trim(tpath, "/"), "/")
	if len(segs) == 1 && segs[0] == "" {
		segs = nil
	}
	if len(path) == 1 && path[0] == "" {
		path = nil
	}
	for i, seg := range segs {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "+}") {
			if i >= len(path) {
				return 0, false
			}
			path = path[:i] // the greedy label takes the rest
			segs = segs[:i]
			break
		}
		if i >= len(path) {
			return 0, false
		}
		if strings.HasPrefix(seg, "{") {
			continue
		}
		if seg != path[i] {
			return 0, false
		}
		score += 2
	}
	if len(segs) != len(path) {
		return 0, false
	}
	if tquery != "" {
		for _, kv := range strings.Split(tquery, "&") {
			k, v, hasValue := strings.Cut(kv, "=")
			got, present := q[k]
			if !present || hasValue && (len(got) == 0 || got[0] != v) {
				return 0, false
			}
			score++
		}
	}
	return score, true
}
