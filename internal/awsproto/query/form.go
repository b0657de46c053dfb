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
//
// A node's children are a list in the order first named, indexed by a map
// only once there are many: most nodes have one to a few children, and a
// request makes a node per name segment, so the tree costs few allocations.
type node struct {
	name   string
	val    string
	hasVal bool
	used   bool // taken by the decoder, so not an unknown parameter
	nkids  int
	first  *node
	last   *node
	next   *node            // the parent's next child
	byName map[string]*node // the children, once there are more than fewKids
}

// fewKids is the most children a node looks up by walking its list.
const fewKids = 8

// child returns the child named name, or nil.
func (n *node) child(name string) *node {
	if n.byName != nil {
		return n.byName[name]
	}
	for c := n.first; c != nil; c = c.next {
		if c.name == name {
			return c
		}
	}
	return nil
}

// addChild appends a new child.
func (n *node) addChild(c *node) {
	if n.last == nil {
		n.first = c
	} else {
		n.last.next = c
	}
	n.last = c
	n.nkids++
	switch {
	case n.byName != nil:
		n.byName[c.name] = c
	case n.nkids > fewKids:
		n.byName = make(map[string]*node, 2*n.nkids)
		for k := n.first; k != nil; k = k.next {
			n.byName[k.name] = k
		}
	}
}

// minKid is the child of least name among those keep accepts, or nil:
// errors name that one, the same every time.
func (n *node) minKid(keep func(*node) bool) *node {
	var least *node
	for c := n.first; c != nil; c = c.next {
		if keep(c) && (least == nil || c.name < least.name) {
			least = c
		}
	}
	return least
}

// form builds the parameter tree of a request from its query string and
// body.
type form struct {
	root  node
	nodes int
	slab  []node // nodes are cut from here, a few allocations per request
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
		c := n.child(seg)
		if c == nil {
			if f.nodes++; f.nodes > maxNodes {
				return fmt.Errorf("the parameter names have more than %d distinct parts", maxNodes)
			}
			c = f.newNode(seg)
			n.addChild(c)
		}
		n = c
	}
	if !n.hasVal {
		n.val, n.hasVal = val, true
	}
	return nil
}

// newNode cuts a node from the slab, which grows by as many nodes as there
// are (4 at least, which a DescribeVpcs of one id needs, and 256 at most at
// a time).
func (f *form) newNode(name string) *node {
	if len(f.slab) == cap(f.slab) {
		f.slab = make([]node, 0, min(max(4, f.nodes), 256))
	}
	f.slab = f.slab[:len(f.slab)+1]
	c := &f.slab[len(f.slab)-1]
	c.name = name
	return c
}

// get returns the single value of a top-level parameter.
func (n *node) get(name string) (string, bool) {
	c := n.child(name)
	if c == nil || !c.hasVal {
		return "", false
	}
	return c.val, true
}
