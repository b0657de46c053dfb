package policy

import (
	"encoding/json"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Condition is one test of a Condition block: an operator applied to one
// context key with the policy's values (any of which may match). All the
// conditions of a statement must hold.
type Condition struct {
	Operator string // as written: "ForAnyValue:StringLikeIfExists"
	Key      string
	Values   []string
	op       operator
}

// Set qualifiers of multivalued keys.
const (
	forAnyValue  = "ForAnyValue"
	forAllValues = "ForAllValues"
)

// operator is a parsed condition operator.
type operator struct {
	set      string // "", ForAnyValue or ForAllValues
	base     *baseOperator
	ifExists bool
}

// baseOperator is one of the operators of the IAM policy language: a
// value test and whether it is the negated form (StringNotEquals …),
// which holds when no value matches.
type baseOperator struct {
	name    string
	kind    valueKind
	negated bool
	match   func(policy, request string) bool
}

// valueKind says what the operator's values must be.
type valueKind int

const (
	kindString valueKind = iota
	kindNumber
	kindDate
	kindBool
	kindBinary
	kindIP
	kindARN
	kindNull
)

var operators = map[string]*baseOperator{}

func init() {
	add := func(name string, kind valueKind, match func(p, r string) bool, negatedName string) {
		operators[strings.ToLower(name)] = &baseOperator{name: name, kind: kind, match: match}
		if negatedName != "" {
			operators[strings.ToLower(negatedName)] = &baseOperator{name: negatedName, kind: kind, match: match, negated: true}
		}
	}
	add("StringEquals", kindString, func(p, r string) bool { return p == r }, "StringNotEquals")
	add("StringEqualsIgnoreCase", kindString, strings.EqualFold, "StringNotEqualsIgnoreCase")
	add("StringLike", kindString, func(p, r string) bool { return glob(p, r, false) }, "StringNotLike")
	add("NumericEquals", kindNumber, numeric(func(c int) bool { return c == 0 }), "NumericNotEquals")
	add("NumericLessThan", kindNumber, numeric(func(c int) bool { return c > 0 }), "")
	add("NumericLessThanEquals", kindNumber, numeric(func(c int) bool { return c >= 0 }), "")
	add("NumericGreaterThan", kindNumber, numeric(func(c int) bool { return c < 0 }), "")
	add("NumericGreaterThanEquals", kindNumber, numeric(func(c int) bool { return c <= 0 }), "")
	add("DateEquals", kindDate, date(func(c int) bool { return c == 0 }), "DateNotEquals")
	add("DateLessThan", kindDate, date(func(c int) bool { return c > 0 }), "")
	add("DateLessThanEquals", kindDate, date(func(c int) bool { return c >= 0 }), "")
	add("DateGreaterThan", kindDate, date(func(c int) bool { return c < 0 }), "")
	add("DateGreaterThanEquals", kindDate, date(func(c int) bool { return c <= 0 }), "")
	add("Bool", kindBool, strings.EqualFold, "")
	add("BinaryEquals", kindBinary, func(p, r string) bool { return p == r }, "")
	add("IpAddress", kindIP, ipMatch, "NotIpAddress")
	add("ArnEquals", kindARN, arnMatch, "ArnNotEquals")
	add("ArnLike", kindARN, arnMatch, "ArnNotLike")
	add("Null", kindNull, nil, "")
}

// parseOperator reads "[ForAnyValue:|ForAllValues:]Base[IfExists]".
// Operators are matched without regard to case, as IAM does.
func parseOperator(s string) (operator, bool) {
	var op operator
	rest := s
	if set, base, ok := strings.Cut(s, ":"); ok {
		switch {
		case strings.EqualFold(set, forAnyValue):
			op.set = forAnyValue
		case strings.EqualFold(set, forAllValues):
			op.set = forAllValues
		default:
			return op, false
		}
		rest = base
	}
	if b, ok := operators[strings.ToLower(rest)]; ok {
		op.base = b
		return op, true
	}
	lower := strings.ToLower(rest)
	if trimmed, ok := strings.CutSuffix(lower, "ifexists"); ok {
		if b, ok := operators[trimmed]; ok && b.kind != kindNull {
			op.base, op.ifExists = b, true
			return op, true
		}
	}
	return op, false
}

// parseConditions reads a Condition element: operator → key → value(s).
func parseConditions(v any, where string) ([]Condition, error) {
	block, ok := v.(map[string]any)
	if !ok {
		return nil, invalid("Condition must be a JSON object%s.", where)
	}
	var out []Condition
	for _, opName := range sortedKeys(block) {
		op, ok := parseOperator(opName)
		if !ok {
			return nil, invalid("Invalid Condition type : %s%s.", opName, where)
		}
		keys, ok := block[opName].(map[string]any)
		if !ok || len(keys) == 0 {
			return nil, invalid("The %s condition must map condition keys to values%s.", opName, where)
		}
		for _, key := range sortedKeys(keys) {
			values, err := conditionValues(keys[key], opName, where)
			if err != nil {
				return nil, err
			}
			for _, val := range values {
				if !op.base.valid(val) {
					return nil, invalid("Invalid value %s for condition %s of key %s%s.", val, opName, key, where)
				}
			}
			out = append(out, Condition{Operator: opName, Key: key, Values: values, op: op})
		}
	}
	return out, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// conditionValues reads a value or a list of values (strings, numbers or
// booleans) as strings.
func conditionValues(v any, opName, where string) ([]string, error) {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	if len(items) == 0 {
		return nil, invalid("The %s condition has no values%s.", opName, where)
	}
	out := make([]string, 0, len(items))
	for _, item := range items {
		switch x := item.(type) {
		case string:
			out = append(out, x)
		case json.Number:
			out = append(out, x.String())
		case bool:
			out = append(out, strconv.FormatBool(x))
		default:
			return nil, invalid("The values of the %s condition must be strings, numbers or booleans%s.", opName, where)
		}
	}
	return out, nil
}

// valid reports whether a policy value suits the operator.
func (b *baseOperator) valid(v string) bool {
	switch b.kind {
	case kindNumber:
		_, err := strconv.ParseFloat(v, 64)
		return err == nil
	case kindDate:
		_, ok := parseDate(v)
		return ok
	case kindBool, kindNull:
		return strings.EqualFold(v, "true") || strings.EqualFold(v, "false")
	case kindIP:
		_, ok := parseIPBlock(v)
		return ok
	}
	return true
}

// patterns reports whether the operator's values are patterns (with
// wildcards), which keep escaped characters literal.
func (b *baseOperator) patterns() bool {
	return b.kind == kindARN || strings.HasPrefix(b.name, "StringLike") || strings.HasPrefix(b.name, "StringNotLike")
}

func numeric(test func(int) bool) func(p, r string) bool {
	return func(p, r string) bool {
		pv, err1 := strconv.ParseFloat(p, 64)
		rv, err2 := strconv.ParseFloat(r, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		return test(compare(pv, rv))
	}
}

func date(test func(int) bool) func(p, r string) bool {
	return func(p, r string) bool {
		pv, ok1 := parseDate(p)
		rv, ok2 := parseDate(r)
		if !ok1 || !ok2 {
			return false
		}
		return test(pv.Compare(rv))
	}
}

// compare is -1, 0 or 1 as a is less than, equal to or more than b.
func compare(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// parseDate reads an ISO 8601 date or time, or epoch seconds.
func parseDate(s string) (time.Time, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseIPBlock reads an address or a CIDR block (an address is its /32 or
// /128).
func parseIPBlock(s string) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

// ipMatch reports whether the request's address lies in the policy's block.
func ipMatch(policy, request string) bool {
	block, ok := parseIPBlock(policy)
	if !ok {
		return false
	}
	addr, err := netip.ParseAddr(request)
	if err != nil {
		return false
	}
	return block.Contains(addr.Unmap())
}

// holds evaluates the condition against the request context. A missing key
// fails the test, except: IfExists and ForAllValues hold, and the negated
// operators (StringNotEquals …) hold because no value matches.
func (c *Condition) holds(ctx *requestContext, version string) bool {
	values, present := ctx.lookup(c.Key)
	if c.op.base.kind == kindNull {
		wantAbsent := strings.EqualFold(c.Values[0], "true")
		return wantAbsent != present
	}
	if !present {
		switch {
		case c.op.ifExists, c.op.set == forAllValues:
			return true
		case c.op.set == forAnyValue:
			return false
		}
		return c.op.base.negated
	}
	matches := func(r string) bool {
		for _, p := range c.Values {
			p, ok := ctx.substitute(p, version)
			if !c.op.base.patterns() {
				p = unescape(p)
			}
			if ok && c.op.base.match(p, r) {
				return true
			}
		}
		return false
	}
	// test is whether one request value passes: it matches a policy value,
	// or for a negated operator, matches none.
	test := func(r string) bool { return matches(r) != c.op.base.negated }
	switch c.op.set {
	case forAllValues:
		for _, r := range values {
			if !test(r) {
				return false
			}
		}
		return true
	case forAnyValue:
		for _, r := range values {
			if test(r) {
				return true
			}
		}
		return false
	}
	// A plain operator on a multivalued key: a positive operator holds when
	// any value matches, a negated one when none does.
	any := false
	for _, r := range values {
		any = any || matches(r)
	}
	return any != c.op.base.negated
}
