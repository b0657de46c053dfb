package policy

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The policies AWS attaches to a VPC endpoint created without one: full
// access, in the exact text DescribeVpcEndpoints returns. Gateway
// endpoints get a compact document with a version; interface endpoints a
// pretty-printed one without ("Action": "*", with a space before each
// line break, as AWS's own serializer writes it).
const (
	DefaultGatewayEndpointPolicy   = `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
	DefaultInterfaceEndpointPolicy = "{\n  \"Statement\": [\n    {\n      \"Action\": \"*\", \n      \"Effect\": \"Allow\", \n      \"Principal\": \"*\", \n      \"Resource\": \"*\"\n    }\n  ]\n}"
)

// MaxEndpointPolicySize is the size limit of an endpoint policy, in
// characters, white space included.
const MaxEndpointPolicySize = 20480

// systemIDKeys are the global condition keys that hold identifiers AWS
// generates: an endpoint policy may not test them with wildcards or
// numeric operators.
var systemIDKeys = map[string]bool{
	"aws:principalaccount": true, "aws:principalorgid": true, "aws:resourceaccount": true,
	"aws:resourceorgid": true, "aws:sourceaccount": true, "aws:sourceorgid": true,
	"aws:sourcevpc": true, "aws:sourcevpce": true, "aws:sourcevpcarn": true,
}

// minLiteralAroundWildcard is how many characters a string condition value
// must have next to each wildcard, on one side or the other.
const minLiteralAroundWildcard = 6

// ParseEndpointPolicy parses a VPC endpoint policy: the policy grammar (see
// Parse) and the rules AWS adds for endpoint policies — at most 20,480
// characters, a Principal (or NotPrincipal) in every statement, no
// wildcard or numeric test of a system-generated identifier key, at least
// six characters next to each wildcard of a string condition, and ARNs
// whose account is either an id or a wildcard.
func ParseEndpointPolicy(text string) (*Document, error) {
	if n := utf8.RuneCountInString(text); n > MaxEndpointPolicySize {
		return nil, invalid("The policy has %d characters, more than the maximum of %d.", n, MaxEndpointPolicySize)
	}
	doc, err := Parse(text)
	if err != nil {
		return nil, err
	}
	for i := range doc.Statements {
		if err := checkEndpointStatement(&doc.Statements[i], fmt.Sprintf(" in statement %d", i+1)); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

func checkEndpointStatement(s *Statement, where string) error {
	if s.Principal == nil && s.NotPrincipal == nil {
		return invalid("Missing required field Principal%s.", where)
	}
	for _, r := range append(s.Resource, s.NotResource...) {
		if err := checkARNAccount(r, where); err != nil {
			return err
		}
	}
	for _, c := range s.Conditions {
		if err := checkEndpointCondition(c, where); err != nil {
			return err
		}
	}
	return nil
}

func checkEndpointCondition(c Condition, where string) error {
	kind := c.op.base.kind
	systemID := systemIDKeys[strings.ToLower(c.Key)]
	if systemID && kind == kindNumber {
		return invalid("The condition key %s cannot be used with the numeric operator %s%s.", c.Key, c.Operator, where)
	}
	for _, v := range c.Values {
		wild := strings.ContainsAny(v, "*?")
		switch {
		case wild && systemID && (kind == kindString || kind == kindARN):
			return invalid("The condition key %s cannot be used with wildcards (%s)%s.", c.Key, v, where)
		case wild && kind == kindString && !enoughAroundWildcards(v):
			return invalid("The condition value %s must have at least %d consecutive characters before or after each wildcard%s.", v, minLiteralAroundWildcard, where)
		}
		if kind == kindString || kind == kindARN {
			if err := checkARNAccount(v, where); err != nil {
				return err
			}
		}
	}
	return nil
}

// enoughAroundWildcards reports whether each wildcard of v has at least
// six non-wildcard characters right before or right after it.
func enoughAroundWildcards(v string) bool {
	runes := []rune(v)
	literal := func(i, step int) int {
		n := 0
		for j := i + step; j >= 0 && j < len(runes) && runes[j] != '*' && runes[j] != '?'; j += step {
			n++
		}
		return n
	}
	for i, r := range runes {
		if (r == '*' || r == '?') && literal(i, -1) < minLiteralAroundWildcard && literal(i, 1) < minLiteralAroundWildcard {
			return false
		}
	}
	return true
}

// checkARNAccount refuses an ARN whose account part mixes digits and
// wildcards.
func checkARNAccount(v, where string) error {
	parts := strings.SplitN(v, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return nil
	}
	acct := parts[4]
	if strings.ContainsAny(acct, "*?") && strings.ContainsAny(acct, "0123456789") {
		return invalid("The account of ARN %s must be an account id or a wildcard, not both%s.", v, where)
	}
	return nil
}

// AllowsEveryone reports whether every statement's principal is "*"
// (or {"AWS": "*"}), as gateway endpoint policies require: they name
// principals through the aws:PrincipalArn condition instead.
func (d *Document) AllowsEveryone() bool {
	for _, s := range d.Statements {
		p := s.Principal
		if p == nil || !p.Any && !(len(p.AWS) == 1 && p.AWS[0] == "*" && len(p.Service)+len(p.Federated)+len(p.CanonicalUser) == 0) {
			return false
		}
	}
	return true
}
