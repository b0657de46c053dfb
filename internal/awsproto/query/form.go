package query

import (
	"fmt"
	"net/url"
	"strings"
)

// Limits on the shape of a request, so that no body makes the parser build
// an outsized tree (each node costs a few hundred bytes at most). Real
// requests stay far below them: the deepest EC2 parameter has about eight
// segments, and a request of a thousand ids has about a thousand nodes.
const (
	maxNodes = 100_000 // distinct name segments in one request
	maxDepth = 32      // dot-separated segments in one parameter name
)

// node is one segment of the dotted parameter names of a query request:
// "Filter.1.Value.2=x" becomes Filter → 1 → Value → 2 with value x.
type node struct {
	val    string
	hasVal bool
	kids   map[string]*node
}

// form builds the parameter tree of a request from its query string and
// body.
type form struct {
	root  node
	nodes int
}

// parse adds the parameters of raw (a query string or form body).
func (f *form) parse(raw string) error {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return err
		}
		if key == "" {
			continue // names nothing
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return err
		}
		if strings.Count(key, ".") >= maxDepth {
			return fmt.Errorf("the parameter name %q… has more than %d parts", key[:min(len(key), 64)], maxDepth)
		}
		if err := f.add(key, val); err != nil {
			return err
		}
	}
	return nil
}

// add sets the value of the parameter named key; the first value of a
// repeated key wins.
func (f *form) add(key, val string) error {
	n := &f.root
	for more := true; more; {
		var seg string
		seg, key, more = strings.Cut(key, ".")
		if n.kids == nil {
			n.kids = make(map[string]*node, 4)
		}
		c := n.kids[seg]
		if c == nil {
			if f.nodes++; f.nodes > maxNodes {
				return fmt.Errorf("the parameter names have more than %d distinct parts", maxNodes)
			}
			c = &node{}
			n.kids[seg] = c
		}
		n = c
	}
	if !n.hasVal {
		n.val, n.hasVal = val, true
	}
	return nil
}

// get returns the single value of a top-level parameter.
func (n *node) get(name string) (string, bool) {
	c := n.kids[name]
	if c == nil || !c.hasVal {
		return "", false
	}
	return c.val, true
}
