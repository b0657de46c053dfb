package policy

import (
	"strings"
	"unicode/utf8"
)

// Principal is who makes a request: an IAM identity (ARN, with its
// account), or an AWS service. A request with neither is anonymous.
type Principal struct {
	// ARN is the caller's ARN: arn:aws:iam::111122223333:user/alice,
	// arn:aws:sts::111122223333:assumed-role/role/session, or
	// arn:aws:iam::111122223333:root.
	ARN string
	// Account is the caller's account; read from ARN when empty.
	Account string
	// Service is the service principal calling (ec2.amazonaws.com).
	Service string
}

// account is the principal's account, from the ARN when not given.
func (p Principal) account() string {
	if p.Account != "" {
		return p.Account
	}
	if parts := strings.SplitN(p.ARN, ":", 6); len(parts) == 6 {
		return parts[4]
	}
	return ""
}

// roleARN is, for an assumed-role session, the ARN of its role
// (arn:aws:iam::acct:role/name), which is what aws:PrincipalArn and role
// principals see; for any other principal, its ARN.
func (p Principal) roleARN() string {
	parts := strings.SplitN(p.ARN, ":", 6)
	if len(parts) == 6 && parts[2] == "sts" {
		if rest, ok := strings.CutPrefix(parts[5], "assumed-role/"); ok {
			role, _, _ := strings.Cut(rest, "/")
			return "arn:" + parts[1] + ":iam::" + parts[4] + ":role/" + role
		}
	}
	return p.ARN
}

// Request is what a policy decides on.
type Request struct {
	Principal Principal
	Action    string // s3:GetObject
	Resource  string // an ARN
	// Context holds the condition keys of the request (aws:SourceVpc,
	// aws:SourceIp, s3:prefix, …), each with its values; names are matched
	// without regard to case. aws:PrincipalArn and aws:PrincipalAccount
	// come from Principal unless set here.
	Context map[string][]string
}

// Decision is the outcome of an evaluation.
type Decision int

// Decisions: no statement allows (the default), a statement allows, or a
// statement denies (which wins over any allow).
const (
	ImplicitDeny Decision = iota
	Allowed
	ExplicitDeny
)

func (d Decision) String() string {
	switch d {
	case Allowed:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "ImplicitDeny"
}

// Result is a decision and the statement that made it (nil for an
// implicit deny).
type Result struct {
	Decision  Decision
	Statement *Statement
	// Index is the statement's position in the document, or -1.
	Index int
}

// Evaluate decides a request under the document: an explicit deny if any
// statement that applies denies it, else allow if one allows it, else an
// implicit deny.
func Evaluate(doc *Document, req Request) Result {
	ctx := newRequestContext(req)
	res := Result{Decision: ImplicitDeny, Index: -1}
	for i := range doc.Statements {
		s := &doc.Statements[i]
		if !s.applies(req, ctx, doc.Version) {
			continue
		}
		if s.Effect == Deny {
			return Result{Decision: ExplicitDeny, Statement: s, Index: i}
		}
		if res.Decision == ImplicitDeny {
			res = Result{Decision: Allowed, Statement: s, Index: i}
		}
	}
	return res
}

// applies reports whether the statement covers the request: its
// principal, action, resource and every condition match.
func (s *Statement) applies(req Request, ctx *requestContext, version string) bool {
	switch {
	case s.Principal != nil && !s.Principal.match(req.Principal):
		return false
	case s.NotPrincipal != nil && s.NotPrincipal.match(req.Principal):
		return false
	case s.Action != nil && !anyAction(s.Action, req.Action):
		return false
	case s.NotAction != nil && anyAction(s.NotAction, req.Action):
		return false
	case s.Resource != nil && !anyResource(s.Resource, req.Resource, ctx, version):
		return false
	case s.NotResource != nil && anyResource(s.NotResource, req.Resource, ctx, version):
		return false
	}
	for i := range s.Conditions {
		if !s.Conditions[i].holds(ctx, version) {
			return false
		}
	}
	return true
}

// match reports whether the element names the principal. An account (id
// or its root ARN) names every identity of the account; a role names its
// sessions.
func (p *Principals) match(who Principal) bool {
	if p.Any {
		return true
	}
	for _, s := range p.Service {
		if who.Service != "" && strings.EqualFold(s, who.Service) {
			return true
		}
	}
	if who.ARN == "" && who.Account == "" {
		return false
	}
	acct := who.account()
	for _, id := range p.AWS {
		switch {
		case id == "*",
			id == acct,
			id == "arn:aws:iam::"+acct+":root",
			who.ARN != "" && (id == who.ARN || id == who.roleARN()):
			return true
		}
	}
	for _, id := range append(p.Federated, p.CanonicalUser...) {
		if id == who.ARN {
			return true
		}
	}
	return false
}

// anyAction reports whether one of the patterns names the action; action
// names do not depend on case.
func anyAction(patterns []string, action string) bool {
	for _, p := range patterns {
		if glob(p, action, true) {
			return true
		}
	}
	return false
}

// anyResource reports whether one of the patterns names the resource.
func anyResource(patterns []string, resource string, ctx *requestContext, version string) bool {
	for _, p := range patterns {
		p, ok := ctx.substitute(p, version)
		if ok && (p == "*" || arnMatch(p, resource)) {
			return true
		}
	}
	return false
}

// arnMatch matches an ARN pattern the way IAM does: each of the six
// colon-separated parts apart, with * and ? wildcards, case-sensitively.
// A pattern that is not a full ARN matches as a whole.
func arnMatch(pattern, arn string) bool {
	pp := strings.SplitN(pattern, ":", 6)
	ap := strings.SplitN(arn, ":", 6)
	if len(pp) != 6 || len(ap) != 6 {
		return glob(pattern, arn, false)
	}
	for i := range pp {
		if !glob(pp[i], ap[i], false) {
			return false
		}
	}
	return true
}

// glob matches s against a pattern where * is any run of characters and ?
// any one character.
func glob(pattern, s string, foldCase bool) bool {
	if foldCase {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	// Backtracking over the last star is enough for * and ?.
	px, sx := 0, 0
	starP, starS := -1, 0
	for sx < len(s) {
		if px < len(pattern) {
			switch c := pattern[px]; c {
			case escape:
				// An escaped character (${*}, ${?}) matches itself.
				if px+1 < len(pattern) && s[sx] == pattern[px+1] {
					px, sx = px+2, sx+1
					continue
				}
			case '*':
				starP, starS = px, sx
				px++
				continue
			case '?':
				_, n := utf8.DecodeRuneInString(s[sx:])
				px, sx = px+1, sx+n
				continue
			default:
				if s[sx] == c {
					px, sx = px+1, sx+1
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[starS:])
		starS += n
		px, sx = starP+1, starS
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

// escape marks the character after it as literal in a pattern: it is what
// the policy variables ${*}, ${?} and ${$} become.
const escape = '\x00'

// unescape drops the escape marks of a value that is not a pattern.
func unescape(s string) string { return strings.ReplaceAll(s, string(escape), "") }

// requestContext holds a request's condition keys by lower-case name.
type requestContext struct {
	values map[string][]string
}

func newRequestContext(req Request) *requestContext {
	ctx := &requestContext{values: map[string][]string{}}
	for k, v := range req.Context {
		ctx.values[strings.ToLower(k)] = v
	}
	set := func(key, v string) {
		if _, ok := ctx.values[key]; !ok && v != "" {
			ctx.values[key] = []string{v}
		}
	}
	set("aws:principalarn", req.Principal.roleARN())
	set("aws:principalaccount", req.Principal.account())
	return ctx
}

// lookup returns a key's values; an empty list counts as absent.
func (c *requestContext) lookup(key string) ([]string, bool) {
	v := c.values[strings.ToLower(key)]
	return v, len(v) > 0
}

// substitute replaces the policy variables of a value (${aws:username},
// ${key, 'default'}, and the escapes ${*} ${?} ${$}), which only version
// 2012-10-17 has. A variable without a value leaves nothing to match.
func (c *requestContext) substitute(s, version string) (string, bool) {
	if version != Version2012 || !strings.Contains(s, "${") {
		return s, true
	}
	var b strings.Builder
	for {
		start := strings.Index(s, "${")
		if start < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		end := strings.Index(s[start:], "}")
		if end < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		b.WriteString(s[:start])
		name := s[start+2 : start+end]
		s = s[start+end+1:]
		switch name {
		case "*", "?", "$":
			b.WriteByte(escape)
			b.WriteString(name)
			continue
		}
		key, def, hasDefault := strings.Cut(name, ",")
		if v, ok := c.lookup(strings.TrimSpace(key)); ok {
			b.WriteString(v[0])
			continue
		}
		def = strings.TrimSpace(def)
		if !hasDefault || len(def) < 2 || def[0] != '\'' || def[len(def)-1] != '\'' {
			return "", false
		}
		b.WriteString(def[1 : len(def)-1])
	}
}
