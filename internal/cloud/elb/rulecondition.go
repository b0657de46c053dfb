package elb

import (
	"net/netip"
	"regexp"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// RuleCondition is one condition of a listener rule: what of the request
// it looks at (Field) and the values that match.
type RuleCondition struct {
	Field string
	// Values are the host names, path patterns, header values, methods or
	// source CIDR blocks that match (not for query-string).
	Values []string `json:",omitempty"`
	// HTTPHeaderName is the header an http-header condition looks at.
	HTTPHeaderName string `json:",omitempty"`
	// QueryStrings are the key/value pairs a query-string condition
	// matches.
	QueryStrings []QueryStringPair `json:",omitempty"`
}

// QueryStringPair is one key/value pair of a query-string condition; the
// key may be left out.
type QueryStringPair struct {
	Key   string `json:",omitempty"`
	Value string
}

// Condition fields.
const (
	ConditionHostHeader    = "host-header"
	ConditionPathPattern   = "path-pattern"
	ConditionHTTPHeader    = "http-header"
	ConditionRequestMethod = "http-request-method"
	ConditionQueryString   = "query-string"
	ConditionSourceIP      = "source-ip"
)

// conditionFields are the fields a condition takes, as refusals list them.
var conditionFields = []string{ConditionHTTPHeader, ConditionRequestMethod, ConditionHostHeader, ConditionPathPattern, ConditionQueryString, ConditionSourceIP}

// singleConditions are the fields a rule may have one condition of; it may
// have several http-header and query-string conditions ("Rule condition
// types", Application Load Balancers Guide).
var singleConditions = []string{ConditionHostHeader, ConditionRequestMethod, ConditionPathPattern, ConditionSourceIP}

// ConditionInput is a condition as a request gives it: a field with the
// legacy Values (host-header and path-pattern only), or with the
// configuration of that field. Configs holds each configuration the
// request gave, by the field it belongs to.
type ConditionInput struct {
	Field   string
	Values  []string
	Configs map[string]RuleCondition
}

var (
	httpMethod     = regexp.MustCompile(`^[A-Za-z_-]{1,40}$`)
	httpHeaderName = regexp.MustCompile("^[0-9A-Za-z_!#$%&'*+.^`|~-]{1,40}$")
	hostName       = regexp.MustCompile(`^[A-Za-z0-9.*?-]{1,128}$`)
)

// checkConditions checks a rule's conditions and the rule's limits on
// them: at least one, one of each single field, at most the quotas of
// condition values and wildcards per rule.
func checkConditions(t *cloud.Txn, in []ConditionInput) ([]RuleCondition, error) {
	if len(in) == 0 {
		return nil, cloud.InvalidParam("At least one condition must be specified")
	}
	var out []RuleCondition
	seen := map[string]bool{}
	values, wildcards := 0, 0
	for _, ci := range in {
		c, err := checkCondition(ci)
		if err != nil {
			return nil, err
		}
		if seen[c.Field] && contains(singleConditions, c.Field) {
			return nil, cloud.InvalidParam("A rule can have only one '%s' condition", c.Field)
		}
		seen[c.Field] = true
		v, w := c.counts()
		values, wildcards = values+v, wildcards+w
		out = append(out, c)
	}
	if n := t.Limit("condition-values-per-alb-rule"); values > n {
		return nil, cloud.InvalidParam("A rule can have at most '%d' condition values", n)
	}
	if n := t.Limit("condition-wildcards-per-alb-rule"); wildcards > n {
		return nil, cloud.InvalidParam("A rule can have at most '%d' wildcards in its conditions", n)
	}
	return out, nil
}

// counts are the condition's values (match evaluations) and the wildcards
// (* and ?) in them; source CIDR blocks and methods take no wildcards.
func (c RuleCondition) counts() (values, wildcards int) {
	var texts []string
	switch c.Field {
	case ConditionQueryString:
		values = len(c.QueryStrings)
		for _, p := range c.QueryStrings {
			texts = append(texts, p.Key, p.Value)
		}
	case ConditionSourceIP, ConditionRequestMethod:
		values = len(c.Values)
	default:
		values, texts = len(c.Values), c.Values
	}
	for _, s := range texts {
		wildcards += strings.Count(s, "*") + strings.Count(s, "?")
	}
	return values, wildcards
}

// checkCondition turns one condition as given into the rule's: the legacy
// Values or the field's configuration, not both, and no configuration of
// another field.
func checkCondition(in ConditionInput) (RuleCondition, error) {
	if in.Field == "" {
		return RuleCondition{}, cloud.InvalidParam("A condition field must be specified")
	}
	if !contains(conditionFields, in.Field) {
		return RuleCondition{}, cloud.InvalidParam("Condition field '%s' must be one of '%s'", in.Field, strings.Join(conditionFields, ", "))
	}
	for field := range in.Configs {
		if field != in.Field {
			return RuleCondition{}, cloud.InvalidParam("A %s configuration cannot be specified for a condition with field '%s'", field, in.Field)
		}
	}
	c, configured := in.Configs[in.Field]
	c.Field = in.Field
	switch {
	case len(in.Values) > 0 && configured:
		return c, cloud.InvalidParam("You cannot specify both values and a %s configuration for a condition", in.Field)
	case len(in.Values) > 0 && in.Field != ConditionHostHeader && in.Field != ConditionPathPattern:
		return c, cloud.InvalidParam("Values can be specified without a configuration only for conditions with field 'host-header' or 'path-pattern'")
	case len(in.Values) > 1:
		return c, cloud.InvalidParam("Only one value can be specified for a '%s' condition without a %s configuration", in.Field, in.Field)
	case len(in.Values) == 1:
		c.Values = in.Values
	}
	return c, c.checkValues()
}

// checkValues refuses values a condition's field does not take.
func (c RuleCondition) checkValues() error {
	if c.Field == ConditionQueryString {
		if len(c.QueryStrings) == 0 {
			return cloud.InvalidParam("A 'query-string' condition must have at least one key/value pair")
		}
		for _, p := range c.QueryStrings {
			if p.Value == "" || len(p.Value) > 128 || len(p.Key) > 128 {
				return cloud.InvalidParam("A query string value must be 1 to 128 characters and its key at most 128")
			}
		}
		return nil
	}
	if len(c.Values) == 0 {
		return cloud.InvalidParam("A '%s' condition must have at least one value", c.Field)
	}
	if c.Field == ConditionHTTPHeader && !httpHeaderName.MatchString(c.HTTPHeaderName) {
		return cloud.InvalidParam("The HTTP header name '%s' is not valid", c.HTTPHeaderName)
	}
	for _, v := range c.Values {
		var ok bool
		switch c.Field {
		case ConditionSourceIP:
			_, err := netip.ParsePrefix(v)
			ok = err == nil
		case ConditionRequestMethod:
			ok = httpMethod.MatchString(v)
		case ConditionHostHeader:
			ok = hostName.MatchString(v)
		default:
			ok = v != "" && len(v) <= 128
		}
		if !ok {
			return cloud.InvalidParam("The value '%s' is not valid for a '%s' condition", v, c.Field)
		}
	}
	return nil
}
