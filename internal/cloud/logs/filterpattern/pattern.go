// Package filterpattern is CloudWatch Logs' filter pattern syntax for
// unstructured events, as FilterLogEvents reads it: the empty pattern
// (every event), terms (ERROR, "quoted phrases", ?a ?b for any of them,
// -term to exclude, %regex%) and the space-delimited form
// [version, account, eni, …, action="REJECT", …] with =, !=, <, <=, >,
// >=, * wildcards, && and || and the ... ellipsis — how flow logs are
// filtered. JSON patterns ({ $.field = … }) are refused as not served.
package filterpattern

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Pattern is a parsed filter pattern.
type Pattern struct {
	// Terms form: all of must, none of not, and any of any (when any).
	must, not, any []term
	// fields and clauses are the space-delimited form: the positions,
	// and the conditions that must all hold of the words bound to them.
	fields  []field
	clauses []clause
	// delimited tells the two forms apart ([] matches every event).
	delimited bool
}

// term is one word or phrase, or a regular expression.
type term struct {
	text string
	re   *regexp.Regexp
}

func (t term) in(msg string) bool {
	if t.re != nil {
		return t.re.MatchString(msg)
	}
	return strings.Contains(msg, t.text)
}

// field is one position of the space-delimited form: a name, or the
// ellipsis (any number of fields).
type field struct {
	name     string
	ellipsis bool
}

// cond is one comparison of a field with a value.
type cond struct {
	field string
	op    string
	value string
}

// Parse reads a filter pattern; errors say what is wrong in the words
// FilterLogEvents' refusal carries.
func Parse(s string) (*Pattern, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return &Pattern{}, nil
	case strings.HasPrefix(s, "{"):
		return nil, errors.New("jSON filter patterns ({ $.field … }) are not served by vpcemu")
	case strings.HasPrefix(s, "["):
		return parseDelimited(s)
	}
	return parseTerms(s)
}

// parseTerms reads the terms form: words and quoted phrases, ?term, -term.
func parseTerms(s string) (*Pattern, error) {
	p := &Pattern{}
	for i := 0; i < len(s); {
		if s[i] == ' ' || s[i] == '\t' {
			i++
			continue
		}
		var sign byte
		if s[i] == '?' || s[i] == '-' {
			sign = s[i]
			i++
			if i == len(s) || s[i] == ' ' {
				return nil, fmt.Errorf("invalid character(s) in term '%c'", sign)
			}
		}
		var t term
		switch s[i] {
		case '"':
			text, n, err := quoted(s[i:])
			if err != nil {
				return nil, err
			}
			t.text, i = text, i+n
		case '%':
			end := strings.IndexByte(s[i+1:], '%')
			if end < 0 {
				return nil, errors.New("unterminated regular expression in filter pattern")
			}
			re, err := regexp.Compile(s[i+1 : i+1+end])
			if err != nil || end == 0 {
				return nil, fmt.Errorf("invalid regular expression in filter pattern: %s", s[i:i+end+2])
			}
			t.re, i = re, i+end+2
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' {
				j++
			}
			t.text = s[i:j]
			if strings.ContainsFunc(t.text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '.' }) {
				return nil, fmt.Errorf("invalid character(s) in term '%s'", t.text)
			}
			i = j
		}
		switch sign {
		case '?':
			p.any = append(p.any, t)
		case '-':
			p.not = append(p.not, t)
		default:
			p.must = append(p.must, t)
		}
	}
	return p, nil
}

// quoted reads a "quoted string" at the start of s (backslash escapes a
// quote); n is the length read, quotes included.
func quoted(s string) (text string, n int, err error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			return b.String(), i + 1, nil
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, errors.New("unterminated quoted string in filter pattern")
}

// Match reports whether the pattern selects an event's message.
func (p *Pattern) Match(msg string) bool {
	if p.delimited {
		return p.matchDelimited(msg)
	}
	for _, t := range p.must {
		if !t.in(msg) {
			return false
		}
	}
	for _, t := range p.not {
		if t.in(msg) {
			return false
		}
	}
	if len(p.any) == 0 {
		return true
	}
	for _, t := range p.any {
		if t.in(msg) {
			return true
		}
	}
	return false
}

// check refuses a condition whose operator or value cannot compare.
func (c cond) check() error {
	switch c.op {
	case "=", "!=":
		return nil
	case "<", "<=", ">", ">=":
		if _, err := strconv.ParseFloat(c.value, 64); err != nil {
			return fmt.Errorf("invalid numeric value '%s' for %s in filter pattern", c.value, c.op)
		}
		return nil
	}
	return fmt.Errorf("invalid operator '%s' in filter pattern", c.op)
}

// holds reports whether the condition holds of a field's value.
func (c cond) holds(v string) bool {
	switch c.op {
	case "=":
		return equal(v, c.value)
	case "!=":
		return !equal(v, c.value)
	}
	x, err1 := strconv.ParseFloat(v, 64)
	y, err2 := strconv.ParseFloat(c.value, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	switch c.op {
	case "<":
		return x < y
	case "<=":
		return x <= y
	case ">":
		return x > y
	default:
		return x >= y
	}
}

// equal compares a field with a value: numerically when both are numbers
// (destport=22 is 22.0 too), else as text where * stands for any run of
// characters.
func equal(v, want string) bool {
	if !strings.Contains(want, "*") {
		x, err1 := strconv.ParseFloat(v, 64)
		y, err2 := strconv.ParseFloat(want, 64)
		if err1 == nil && err2 == nil {
			return x == y
		}
		return v == want
	}
	return wildcard(v, want)
}

// wildcard matches v against a value where * is any run of characters.
func wildcard(v, pat string) bool {
	parts := strings.Split(pat, "*")
	if !strings.HasPrefix(v, parts[0]) {
		return false
	}
	v = v[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, part := range parts[1 : len(parts)-1] {
		i := strings.Index(v, part)
		if i < 0 {
			return false
		}
		v = v[i+len(part):]
	}
	return len(v) >= len(last) && strings.HasSuffix(v, last)
}
