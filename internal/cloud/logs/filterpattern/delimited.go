package filterpattern

import (
	"errors"
	"fmt"
	"strings"
)

// clause is one position's conditions: any of its groups, each holding
// when all its conditions do (&& binds tighter than ||).
type clause [][]cond

// parseDelimited reads the space-delimited form: [name, name op value
// (&& / || more), ..., …].
func parseDelimited(s string) (*Pattern, error) {
	if !strings.HasSuffix(s, "]") {
		return nil, errors.New("unterminated space-delimited filter pattern: it must end with ']'")
	}
	items, err := splitItems(s[1 : len(s)-1])
	if err != nil {
		return nil, err
	}
	p := &Pattern{delimited: true}
	var clauses []clause
	for _, item := range items {
		item = strings.TrimSpace(item)
		if item == "" {
			if len(items) == 1 {
				break // [] matches every event
			}
			return nil, errors.New("empty field in space-delimited filter pattern")
		}
		if item == "..." {
			p.fields = append(p.fields, field{ellipsis: true})
			continue
		}
		name, c, err := parseItem(item)
		if err != nil {
			return nil, err
		}
		p.fields = append(p.fields, field{name: name})
		if c != nil {
			clauses = append(clauses, c)
		}
	}
	known := map[string]bool{}
	for _, f := range p.fields {
		known[f.name] = !f.ellipsis
	}
	for _, c := range clauses {
		for _, g := range c {
			for _, x := range g {
				if !known[x.field] {
					return nil, fmt.Errorf("unknown field '%s' in filter pattern", x.field)
				}
			}
		}
	}
	p.clauses = clauses
	return p, nil
}

// splitItems splits at the commas outside quotes.
func splitItems(s string) ([]string, error) {
	var out []string
	start, inQuote := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if inQuote {
				i++
			}
		case '"':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	if inQuote {
		return nil, errors.New("unterminated quoted string in filter pattern")
	}
	return append(out, s[start:]), nil
}

// parseItem reads one position: its field name and, when it compares,
// its conditions.
func parseItem(s string) (string, clause, error) {
	l := &lexer{s: s}
	name := l.name()
	if name == "" {
		return "", nil, fmt.Errorf("invalid field '%s' in filter pattern", s)
	}
	l.space()
	if l.done() {
		return name, nil, nil
	}
	var c clause
	var group []cond
	field := name
	for {
		op := l.op()
		if op == "" {
			return "", nil, fmt.Errorf("invalid field '%s' in filter pattern", s)
		}
		l.space()
		v, err := l.value()
		if err != nil {
			return "", nil, err
		}
		x := cond{field: field, op: op, value: v}
		if err := x.check(); err != nil {
			return "", nil, err
		}
		group = append(group, x)
		l.space()
		switch {
		case l.done():
			return name, append(c, group), nil
		case l.take("&&"):
		case l.take("||"):
			c, group = append(c, group), nil
		default:
			return "", nil, fmt.Errorf("invalid field '%s' in filter pattern", s)
		}
		l.space()
		if field = l.name(); field == "" {
			return "", nil, fmt.Errorf("invalid field '%s' in filter pattern", s)
		}
		l.space()
	}
}

// lexer reads the tokens of one position.
type lexer struct {
	s string
	i int
}

func (l *lexer) done() bool { return l.i == len(l.s) }

func (l *lexer) space() {
	for l.i < len(l.s) && (l.s[l.i] == ' ' || l.s[l.i] == '\t') {
		l.i++
	}
}

func (l *lexer) take(tok string) bool {
	if strings.HasPrefix(l.s[l.i:], tok) {
		l.i += len(tok)
		return true
	}
	return false
}

// name reads a field name: letters, digits, _ and -.
func (l *lexer) name() string {
	start := l.i
	for l.i < len(l.s) {
		c := l.s[l.i]
		if c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			l.i++
			continue
		}
		break
	}
	return l.s[start:l.i]
}

// op reads a comparison operator, the longest first.
func (l *lexer) op() string {
	for _, op := range []string{"!=", "<=", ">=", "=", "<", ">"} {
		if l.take(op) {
			return op
		}
	}
	return ""
}

// value reads a quoted or bare value (a bare one ends at a space).
func (l *lexer) value() (string, error) {
	if l.i < len(l.s) && l.s[l.i] == '"' {
		v, n, err := quoted(l.s[l.i:])
		l.i += n
		return v, err
	}
	start := l.i
	for l.i < len(l.s) && l.s[l.i] != ' ' && l.s[l.i] != '\t' && l.s[l.i] != '"' {
		l.i++
	}
	if l.i == start {
		return "", fmt.Errorf("missing value in filter pattern '%s'", l.s)
	}
	return l.s[start:l.i], nil
}

// words splits an event into its fields: runs of non-space characters,
// where "quoted" and [bracketed] text is one field (without its quotes or
// brackets), as CloudWatch Logs reads space-delimited events.
func words(msg string) []string {
	var out []string
	for i := 0; i < len(msg); {
		c := msg[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		if c == '"' || c == '[' {
			end := byte('"')
			if c == '[' {
				end = ']'
			}
			if j := strings.IndexByte(msg[i+1:], end); j >= 0 {
				out = append(out, msg[i+1:i+1+j])
				i += j + 2
				continue
			}
		}
		j := i
		for j < len(msg) && msg[j] != ' ' && msg[j] != '\t' && msg[j] != '\n' && msg[j] != '\r' {
			j++
		}
		out = append(out, msg[i:j])
		i = j
	}
	return out
}

// maxSteps bounds the search for a binding of fields to words when
// ellipses leave many ways (no event makes FilterLogEvents run long).
const maxSteps = 10000

// matchDelimited binds the pattern's fields to the event's words (the
// ellipses taking any number) and checks every clause.
func (p *Pattern) matchDelimited(msg string) bool {
	if len(p.fields) == 0 {
		return true
	}
	ws := words(msg)
	vals := map[string]string{}
	steps := 0
	var bind func(fi, wi int) bool
	bind = func(fi, wi int) bool {
		if steps++; steps > maxSteps {
			return false
		}
		if fi == len(p.fields) {
			return wi == len(ws) && p.holds(vals)
		}
		f := p.fields[fi]
		if f.ellipsis {
			for n := 0; wi+n <= len(ws); n++ {
				if bind(fi+1, wi+n) {
					return true
				}
			}
			return false
		}
		if wi == len(ws) {
			return false
		}
		vals[f.name] = ws[wi]
		return bind(fi+1, wi+1)
	}
	return bind(0, 0)
}

// holds checks every clause against the bound fields.
func (p *Pattern) holds(vals map[string]string) bool {
	for _, c := range p.clauses {
		ok := false
		for _, g := range c {
			all := true
			for _, x := range g {
				if !x.holds(vals[x.field]) {
					all = false
					break
				}
			}
			if all {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
