package cloudwatch

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// A small part of CloudWatch's metric math: numbers, the ids of other
// queries, + - * / with parentheses and unary minus, and SUM, AVG, MIN and
// MAX of an array of time series ([m1, m2]), per timestamp. Anything else
// (METRICS(), SEARCH, FILL, RATE, IF, …) is refused, naming what.

// node is a parsed expression.
type node interface {
	eval(env func(id string) (value, error)) (value, error)
}

// value is a time series by Unix second, or a scalar.
type value struct {
	scalar bool
	v      float64
	points map[int64]float64
}

type (
	number float64
	ref    string
	neg    struct{ x node }
	binary struct {
		op   byte
		l, r node
	}
	call struct {
		fn   string
		args []node
	}
)

// functions are the array functions served, per timestamp.
var functions = map[string]func([]float64) float64{
	"SUM": func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s
	},
	"AVG": func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(len(v))
	},
	"MIN": func(v []float64) float64 { return slices.Min(v) },
	"MAX": func(v []float64) float64 { return slices.Max(v) },
}

func (n number) eval(func(string) (value, error)) (value, error) {
	return value{scalar: true, v: float64(n)}, nil
}

func (r ref) eval(env func(string) (value, error)) (value, error) { return env(string(r)) }

func (n neg) eval(env func(string) (value, error)) (value, error) {
	x, err := n.x.eval(env)
	if err != nil {
		return value{}, err
	}
	return apply(x, value{scalar: true, v: -1}, '*'), nil
}

func (b binary) eval(env func(string) (value, error)) (value, error) {
	l, err := b.l.eval(env)
	if err != nil {
		return value{}, err
	}
	r, err := b.r.eval(env)
	if err != nil {
		return value{}, err
	}
	return apply(l, r, b.op), nil
}

// apply combines two operands: a series with a scalar point by point, two
// series at the timestamps both have. A division by zero leaves its
// timestamp out.
func apply(l, r value, op byte) value {
	f := func(a, b float64) (float64, bool) {
		switch op {
		case '+':
			return a + b, true
		case '-':
			return a - b, true
		case '*':
			return a * b, true
		}
		return a / b, b != 0
	}
	if l.scalar && r.scalar {
		v, _ := f(l.v, r.v)
		return value{scalar: true, v: v}
	}
	out := value{points: map[int64]float64{}}
	base := l
	if l.scalar {
		base = r
	}
	for t, bv := range base.points {
		a, b := bv, r.v
		switch {
		case l.scalar:
			a, b = l.v, bv
		case !r.scalar:
			rv, ok := r.points[t]
			if !ok {
				continue
			}
			b = rv
		}
		if v, ok := f(a, b); ok {
			out.points[t] = v
		}
	}
	return out
}

func (c call) eval(env func(string) (value, error)) (value, error) {
	var all []value
	for _, a := range c.args {
		s, err := a.eval(env)
		if err != nil {
			return value{}, err
		}
		if s.scalar {
			return value{}, unsupported("vpcemu's metric math takes only time series in %s's array.", c.fn)
		}
		all = append(all, s)
	}
	out := value{points: map[int64]float64{}}
	byTime := map[int64][]float64{}
	for _, s := range all {
		for t, v := range s.points {
			byTime[t] = append(byTime[t], v)
		}
	}
	for t, vs := range byTime {
		out.points[t] = functions[c.fn](vs)
	}
	return out, nil
}

// parser reads one expression.
type parser struct {
	s    string
	i    int
	refs []string // the ids it names
}

// parseExpression parses an expression of query at (its parameter name).
func parseExpression(s, at string) (node, []string, error) {
	p := &parser{s: s}
	n, err := p.sum()
	if err == nil && p.skip() < len(p.s) {
		err = p.fail("unexpected %q", p.s[p.i:])
	}
	if err != nil {
		return nil, nil, unsupported("The expression %s (%s) is not one vpcemu evaluates: %v. vpcemu's metric math has numbers, query ids, + - * / and SUM, AVG, MIN, MAX of [id, …].", s, at, err)
	}
	return n, p.refs, nil
}

func (p *parser) fail(format string, args ...any) error {
	return fmt.Errorf("at %d, "+format, append([]any{p.i + 1}, args...)...)
}

// skip passes spaces and returns the position.
func (p *parser) skip() int {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
	return p.i
}

func (p *parser) peek() byte {
	if p.skip() < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *parser) sum() (node, error)     { return p.level("+-", p.product) }
func (p *parser) product() (node, error) { return p.level("*/", p.unary) }

// level reads one level of left-associative operators ops between
// operands of the next level up.
func (p *parser) level(ops string, operand func() (node, error)) (node, error) {
	l, err := operand()
	for err == nil {
		op := p.peek()
		if op == 0 || strings.IndexByte(ops, op) < 0 {
			break
		}
		p.i++
		var r node
		if r, err = operand(); err == nil {
			l = binary{op: op, l: l, r: r}
		}
	}
	return l, err
}

func (p *parser) unary() (node, error) {
	if p.peek() == '-' {
		p.i++
		x, err := p.unary()
		return neg{x}, err
	}
	return p.primary()
}

func (p *parser) primary() (node, error) {
	c := p.peek()
	switch {
	case c == '(':
		p.i++
		n, err := p.sum()
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, p.fail("a ')' is missing")
		}
		p.i++
		return n, nil
	case c >= '0' && c <= '9' || c == '.':
		start := p.i
		for p.i < len(p.s) && (p.s[p.i] >= '0' && p.s[p.i] <= '9' || p.s[p.i] == '.' || p.s[p.i] == 'e' || p.s[p.i] == 'E') {
			p.i++
		}
		v, err := strconv.ParseFloat(p.s[start:p.i], 64)
		if err != nil {
			return nil, p.fail("%q is not a number", p.s[start:p.i])
		}
		return number(v), nil
	case c == '_' || unicode.IsLetter(rune(c)):
		start := p.i
		for p.i < len(p.s) && (p.s[p.i] == '_' || unicode.IsLetter(rune(p.s[p.i])) || unicode.IsDigit(rune(p.s[p.i]))) {
			p.i++
		}
		name := p.s[start:p.i]
		if p.peek() != '(' {
			if !queryID.MatchString(name) {
				return nil, p.fail("%s is not a query id", name)
			}
			p.refs = append(p.refs, name)
			return ref(name), nil
		}
		fn := strings.ToUpper(name)
		if functions[fn] == nil {
			return nil, p.fail("the function %s is not served", name)
		}
		p.i++
		if p.peek() != '[' {
			return nil, p.fail("%s takes an array, [id, …]", fn)
		}
		p.i++
		var args []node
		for {
			a, err := p.sum()
			if err != nil {
				return nil, err
			}
			args = append(args, a)
			if p.peek() == ',' {
				p.i++
				continue
			}
			break
		}
		if p.peek() != ']' {
			return nil, p.fail("a ']' is missing")
		}
		p.i++
		if p.peek() != ')' {
			return nil, p.fail("a ')' is missing")
		}
		p.i++
		return call{fn: fn, args: args}, nil
	}
	if c == 0 {
		return nil, p.fail("the expression ends early")
	}
	return nil, p.fail("unexpected %q", c)
}
