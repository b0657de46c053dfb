package query

import (
	"net/url"
	"strings"
)

// node is one segment of the dotted parameter names of a query request:
// "Filter.1.Value.2=x" becomes Filter → 1 → Value → 2 with value x.
type node struct {
	val    string
	hasVal bool
	kids   map[string]*node
}

// parseForm builds the parameter tree of a request body or query string.
func parseForm(raw string, into *node) error {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := unescape(k)
		if err != nil {
			return err
		}
		val, err := unescape(v)
		if err != nil {
			return err
		}
		n := into
		for key != "" {
			var seg string
			seg, key, _ = strings.Cut(key, ".")
			if n.kids == nil {
				n.kids = make(map[string]*node, 4)
			}
			c := n.kids[seg]
			if c == nil {
				c = &node{}
				n.kids[seg] = c
			}
			n = c
		}
		if !n.hasVal { // the first value of a repeated key wins
			n.val, n.hasVal = val, true
		}
	}
	return nil
}

// unescape decodes a form-encoded name or value; most have nothing to
// decode and are returned as they are, without a copy.
func unescape(s string) (string, error) {
	if !strings.ContainsAny(s, "%+") {
		return s, nil
	}
	return url.QueryUnescape(s)
}

// get returns the single value of a top-level parameter.
func (n *node) get(name string) (string, bool) {
	c := n.kids[name]
	if c == nil || !c.hasVal {
		return "", false
	}
	return c.val, true
}
