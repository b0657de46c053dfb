// Package policy is the IAM policy language as AWS applies it to resource
// policies: VPC endpoint policies now, S3 bucket and other resource checks
// later. It parses and validates a policy document the way AWS refuses one
// (Parse, and ParseEndpointPolicy with the endpoint policy's own rules) and
// evaluates a request against it (Evaluate). It is pure Go: no HTTP, no
// store.
package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/vpcemu/vpcemu/internal/arn"
	"io"
	"regexp"
	"sort"
	"strings"
)

// The policy language versions AWS accepts.
const (
	Version2008 = "2008-10-17"
	Version2012 = "2012-10-17"
)

// Document is a parsed policy.
type Document struct {
	Version    string // "" when the document has none
	ID         string
	Statements []Statement
}

// Effect is a statement's effect.
type Effect string

// Effects.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Statement is one statement. Of each pair (Principal and NotPrincipal,
// Action and NotAction, Resource and NotResource) at most one is set; a
// nil Principals or slice means the element is absent.
type Statement struct {
	Sid          string
	Effect       Effect
	Principal    *Principals
	NotPrincipal *Principals
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	Conditions   []Condition
}

// Principals is a Principal or NotPrincipal element: "*" (Any), or lists
// by principal type.
type Principals struct {
	Any           bool
	AWS           []string
	Service       []string
	Federated     []string
	CanonicalUser []string
}

// Error is a policy document AWS refuses. Msg is the message EC2 answers
// with the code ErrorCode.
type Error struct {
	Msg string
}

func (e *Error) Error() string { return e.Msg }

// ErrorCode is the error code EC2 answers for a policy it refuses
// (CreateVpcEndpoint, ModifyVpcEndpoint).
const ErrorCode = "InvalidPolicyDocument"

// invalid makes the refusal: EC2 prefixes every reason with the same
// sentence ("The Policy Document is not valid. Syntax error at position
// (1,75)").
func invalid(format string, args ...any) *Error {
	return &Error{Msg: "The Policy Document is not valid. " + fmt.Sprintf(format, args...)}
}

// Parse parses and validates a policy document in the IAM policy grammar.
func Parse(text string) (*Document, error) {
	raw, err := decodeJSON(text)
	if err != nil {
		return nil, err
	}
	top, ok := raw.(map[string]any)
	if !ok {
		return nil, invalid("The policy must be a JSON object.")
	}
	doc := &Document{}
	if err := onlyFields(top, "", "Version", "Id", "Statement"); err != nil {
		return nil, err
	}
	if v, ok := top["Version"]; ok {
		s, ok := v.(string)
		if !ok || s != Version2008 && s != Version2012 {
			return nil, invalid("Invalid policy version %s. The version must be %s or %s.", jsonText(v), Version2008, Version2012)
		}
		doc.Version = s
	}
	if v, ok := top["Id"]; ok {
		if doc.ID, ok = v.(string); !ok {
			return nil, invalid("The policy Id must be a string.")
		}
	}
	st, ok := top["Statement"]
	if !ok {
		return nil, invalid("Missing required field Statement.")
	}
	items, ok := st.([]any)
	if !ok {
		items = []any{st}
	}
	for i, item := range items {
		s, err := parseStatement(item, i+1)
		if err != nil {
			return nil, err
		}
		doc.Statements = append(doc.Statements, s)
	}
	return doc, nil
}

// decodeJSON reads one JSON value (numbers kept as written) and refuses
// anything after it, reporting a syntax error by line and column.
func decodeJSON(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	if err == nil {
		// Anything after the value is an error too.
		if _, tail := dec.Token(); tail != io.EOF {
			err = tail
			if tail == nil {
				err = &json.SyntaxError{Offset: dec.InputOffset()}
			}
		}
	}
	if err == nil {
		return v, nil
	}
	offset := int64(len(text))
	var se *json.SyntaxError
	if errors.As(err, &se) {
		offset = se.Offset
	}
	line, col := position(text, offset)
	return nil, invalid("Syntax error at position (%d,%d)", line, col)
}

// position turns a byte offset into a 1-based line and column.
func position(text string, offset int64) (int, int) {
	if offset > int64(len(text)) {
		offset = int64(len(text))
	}
	before := []byte(text[:offset])
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n') - 1
	return line, max(col, 1)
}

// onlyFields refuses a field the element does not have.
func onlyFields(m map[string]any, where string, allowed ...string) error {
	var unknown []string
	for k := range m {
		if !contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return invalid("Unknown field %s%s.", unknown[0], where)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// jsonText shows a JSON value in a message.
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func parseStatement(item any, n int) (Statement, error) {
	var s Statement
	m, ok := item.(map[string]any)
	if !ok {
		return s, invalid("Statement %d must be a JSON object.", n)
	}
	where := fmt.Sprintf(" in statement %d", n)
	if err := onlyFields(m, where, "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
		"Resource", "NotResource", "Condition"); err != nil {
		return s, err
	}
	if v, ok := m["Sid"]; ok {
		if s.Sid, ok = v.(string); !ok {
			return s, invalid("The Sid %s must be a string%s.", jsonText(v), where)
		}
	}
	effect, ok := m["Effect"]
	if !ok {
		return s, invalid("Missing required field Effect%s.", where)
	}
	if e, _ := effect.(string); e != string(Allow) && e != string(Deny) {
		return s, invalid("Invalid effect: %s%s.", jsonText(effect), where)
	}
	s.Effect = Effect(effect.(string))

	var err error
	if s.Principal, s.NotPrincipal, err = principalPair(m, where); err != nil {
		return s, err
	}
	if s.Action, s.NotAction, err = stringPair(m, "Action", "NotAction", where, checkAction); err != nil {
		return s, err
	}
	if s.Resource, s.NotResource, err = stringPair(m, "Resource", "NotResource", where, checkResource); err != nil {
		return s, err
	}
	if c, ok := m["Condition"]; ok {
		if s.Conditions, err = parseConditions(c, where); err != nil {
			return s, err
		}
	}
	return s, nil
}

// stringPair reads an element that a statement must have in one of two
// forms (Action or NotAction, Resource or NotResource).
func stringPair(m map[string]any, name, notName, where string, check func(string, string) error) ([]string, []string, error) {
	v, has := m[name]
	nv, hasNot := m[notName]
	switch {
	case has && hasNot:
		return nil, nil, invalid("A statement cannot have both %s and %s%s.", name, notName, where)
	case !has && !hasNot:
		return nil, nil, invalid("Missing required field %s%s.", name, where)
	}
	field, raw := name, v
	if hasNot {
		field, raw = notName, nv
	}
	list, err := stringList(raw, field, where)
	if err != nil {
		return nil, nil, err
	}
	for _, x := range list {
		if err := check(x, where); err != nil {
			return nil, nil, err
		}
	}
	if hasNot {
		return nil, list, nil
	}
	return list, nil, nil
}

// stringList reads a string or a non-empty list of strings.
func stringList(v any, field, where string) ([]string, error) {
	switch x := v.(type) {
	case string:
		return []string{x}, nil
	case []any:
		if len(x) == 0 {
			return nil, invalid("%s cannot be empty%s.", field, where)
		}
		out := make([]string, 0, len(x))
		for _, item := range x {
			s, ok := item.(string)
			if !ok {
				return nil, invalid("%s must be a string or a list of strings%s.", field, where)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, invalid("%s must be a string or a list of strings%s.", field, where)
}

// checkAction accepts "*" and "vendor:action" (the action may have
// wildcards, the vendor may not).
func checkAction(a, where string) error {
	if a == "*" {
		return nil
	}
	vendor, name, ok := strings.Cut(a, ":")
	if !ok || vendor == "" || name == "" || strings.Contains(name, ":") {
		return invalid("Action %s must be \"*\" or prefaced by a vendor, e.g. s3:GetObject%s.", a, where)
	}
	if strings.ContainsAny(vendor, "*?") {
		return invalid("Action vendor %s must not contain wildcards%s.", vendor, where)
	}
	return nil
}

// checkResource accepts "*" and ARNs.
func checkResource(r, where string) error {
	if r == "*" {
		return nil
	}
	if !strings.HasPrefix(r, "arn:") || strings.Count(r, ":") < 5 {
		return invalid("Resource %s must be in ARN format or \"*\"%s.", r, where)
	}
	return nil
}

// principalPair reads Principal or NotPrincipal (a statement may have
// neither; endpoint policies require one, see ParseEndpointPolicy).
func principalPair(m map[string]any, where string) (*Principals, *Principals, error) {
	v, has := m["Principal"]
	nv, hasNot := m["NotPrincipal"]
	if has && hasNot {
		return nil, nil, invalid("A statement cannot have both Principal and NotPrincipal%s.", where)
	}
	if !has && !hasNot {
		return nil, nil, nil
	}
	raw := v
	if hasNot {
		raw = nv
	}
	p, err := parsePrincipals(raw, where)
	if err != nil {
		return nil, nil, err
	}
	if hasNot {
		return nil, p, nil
	}
	return p, nil, nil
}

// awsPrincipalARN is an IAM or STS principal ARN of an account.
var awsPrincipalARN = regexp.MustCompile(`^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:[^*?]+$`)

func parsePrincipals(v any, where string) (*Principals, error) {
	if s, ok := v.(string); ok {
		if s != "*" {
			return nil, invalid("Invalid principal in policy: %s%s.", jsonText(v), where)
		}
		return &Principals{Any: true}, nil
	}
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return nil, invalid("Invalid principal in policy: %s%s.", jsonText(v), where)
	}
	p := &Principals{}
	for typ, raw := range m {
		list, err := stringList(raw, "Principal "+typ, where)
		if err != nil {
			return nil, err
		}
		for _, id := range list {
			if id == "" || typ == "AWS" && id != "*" && !arn.IsAccount(id) && !awsPrincipalARN.MatchString(id) {
				return nil, invalid("Invalid principal in policy: \"%s\":\"%s\"%s.", typ, id, where)
			}
		}
		switch typ {
		case "AWS":
			p.AWS = list
		case "Service":
			p.Service = list
		case "Federated":
			p.Federated = list
		case "CanonicalUser":
			p.CanonicalUser = list
		default:
			return nil, invalid("Invalid principal in policy: %s%s.", jsonText(m), where)
		}
	}
	return p, nil
}
