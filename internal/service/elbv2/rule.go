package elbv2

import (
	"context"
	"strconv"

	"github.com/vpcemu/vpcemu/internal/api/elbv2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// rule renders a rule as the wire shape: the default rule's priority is
// "default".
func rule(r *elb.Rule) elbv2api.Rule {
	out := elbv2api.Rule{RuleArn: new(r.ID), IsDefault: new(r.IsDefault), Priority: new("default")}
	if !r.IsDefault {
		out.Priority = new(strconv.Itoa(int(r.Priority)))
	}
	for _, c := range r.Conditions {
		out.Conditions = append(out.Conditions, condition(c))
	}
	for _, a := range r.Actions {
		out.Actions = append(out.Actions, action(a))
	}
	return out
}

func rules(in []*elb.Rule) []elbv2api.Rule {
	var out []elbv2api.Rule
	for _, r := range in {
		out = append(out, rule(r))
	}
	return out
}

// condition renders a condition as AWS returns it: with the configuration
// of its field, and for host-header and path-pattern with the values on
// their own too (the legacy form).
func condition(c elb.RuleCondition) elbv2api.RuleCondition {
	out := elbv2api.RuleCondition{Field: new(c.Field)}
	switch c.Field {
	case elb.ConditionHostHeader:
		out.Values, out.HostHeaderConfig = c.Values, &elbv2api.HostHeaderConditionConfig{Values: c.Values}
	case elb.ConditionPathPattern:
		out.Values, out.PathPatternConfig = c.Values, &elbv2api.PathPatternConditionConfig{Values: c.Values}
	case elb.ConditionHTTPHeader:
		out.HttpHeaderConfig = &elbv2api.HttpHeaderConditionConfig{HttpHeaderName: new(c.HTTPHeaderName), Values: c.Values}
	case elb.ConditionRequestMethod:
		out.HttpRequestMethodConfig = &elbv2api.HttpRequestMethodConditionConfig{Values: c.Values}
	case elb.ConditionSourceIP:
		out.SourceIpConfig = &elbv2api.SourceIpConditionConfig{Values: c.Values}
	case elb.ConditionQueryString:
		qc := &elbv2api.QueryStringConditionConfig{}
		for _, p := range c.QueryStrings {
			qc.Values = append(qc.Values, elbv2api.QueryStringKeyValuePair{Key: optional.String(p.Key), Value: new(p.Value)})
		}
		out.QueryStringConfig = qc
	}
	return out
}

// conditionInputs converts wire conditions to domain ones, noting each
// configuration a condition gives by the field it belongs to.
func conditionInputs(in []elbv2api.RuleCondition) []elb.ConditionInput {
	var out []elb.ConditionInput
	for _, c := range in {
		ci := elb.ConditionInput{Field: optional.Value(c.Field), Values: c.Values, Configs: map[string]elb.RuleCondition{}}
		if h := c.HostHeaderConfig; h != nil {
			ci.Configs[elb.ConditionHostHeader] = elb.RuleCondition{Values: h.Values}
		}
		if p := c.PathPatternConfig; p != nil {
			ci.Configs[elb.ConditionPathPattern] = elb.RuleCondition{Values: p.Values}
		}
		if h := c.HttpHeaderConfig; h != nil {
			ci.Configs[elb.ConditionHTTPHeader] = elb.RuleCondition{HTTPHeaderName: optional.Value(h.HttpHeaderName), Values: h.Values}
		}
		if m := c.HttpRequestMethodConfig; m != nil {
			ci.Configs[elb.ConditionRequestMethod] = elb.RuleCondition{Values: m.Values}
		}
		if s := c.SourceIpConfig; s != nil {
			ci.Configs[elb.ConditionSourceIP] = elb.RuleCondition{Values: s.Values}
		}
		if q := c.QueryStringConfig; q != nil {
			qc := elb.RuleCondition{}
			for _, p := range q.Values {
				qc.QueryStrings = append(qc.QueryStrings, elb.QueryStringPair{Key: optional.Value(p.Key), Value: optional.Value(p.Value)})
			}
			ci.Configs[elb.ConditionQueryString] = qc
		}
		out = append(out, ci)
	}
	return out
}

// CreateRule implements elbv2api.Handler.
func (s *Service) CreateRule(ctx context.Context, req *awsproto.Request, in *elbv2api.CreateRuleInput) (*elbv2api.CreateRuleOutput, error) {
	actions, err := actionInputs("actions", in.Actions)
	if err != nil {
		return nil, err
	}
	r, err := s.elb.CreateRule(ctx, caller(req), optional.Value(in.ListenerArn), elb.RuleInput{
		Priority: optional.Value(in.Priority), Conditions: conditionInputs(in.Conditions), Actions: actions, Tags: tags(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	return &elbv2api.CreateRuleOutput{Rules: []elbv2api.Rule{rule(r)}}, nil
}

// ModifyRule implements elbv2api.Handler: the conditions or actions it
// gives replace the rule's.
func (s *Service) ModifyRule(ctx context.Context, req *awsproto.Request, in *elbv2api.ModifyRuleInput) (*elbv2api.ModifyRuleOutput, error) {
	actions, err := actionInputs("actions", in.Actions)
	if err != nil {
		return nil, err
	}
	r, err := s.elb.ModifyRule(ctx, caller(req), optional.Value(in.RuleArn), elb.RuleInput{Conditions: conditionInputs(in.Conditions), Actions: actions})
	if err != nil {
		return nil, err
	}
	return &elbv2api.ModifyRuleOutput{Rules: []elbv2api.Rule{rule(r)}}, nil
}

// DeleteRule implements elbv2api.Handler.
func (s *Service) DeleteRule(ctx context.Context, req *awsproto.Request, in *elbv2api.DeleteRuleInput) (*elbv2api.DeleteRuleOutput, error) {
	return &elbv2api.DeleteRuleOutput{}, s.elb.DeleteRule(ctx, caller(req), optional.Value(in.RuleArn))
}

// DescribeRules implements elbv2api.Handler: by ARNs or by listener, a
// page at a time.
func (s *Service) DescribeRules(ctx context.Context, req *awsproto.Request, in *elbv2api.DescribeRulesInput) (*elbv2api.DescribeRulesOutput, error) {
	if in.ListenerArn == nil && len(in.RuleArns) == 0 {
		return nil, awsprotoValidation("You must specify either listener rule ARNs or a listener ARN")
	}
	if err := exclusive("Listener rule ARNs and a listener ARN cannot be specified at the same time", in.ListenerArn != nil, len(in.RuleArns) > 0); err != nil {
		return nil, err
	}
	all, err := s.elb.DescribeRules(ctx, caller(req), optional.Value(in.ListenerArn), in.RuleArns)
	if err != nil {
		return nil, err
	}
	page, next, err := pageOf(all, in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	return &elbv2api.DescribeRulesOutput{Rules: rules(page), NextMarker: next}, nil
}

// SetRulePriorities implements elbv2api.Handler.
func (s *Service) SetRulePriorities(ctx context.Context, req *awsproto.Request, in *elbv2api.SetRulePrioritiesInput) (*elbv2api.SetRulePrioritiesOutput, error) {
	var pairs []elb.RulePriority
	for _, p := range in.RulePriorities {
		pairs = append(pairs, elb.RulePriority{RuleARN: optional.Value(p.RuleArn), Priority: optional.Value(p.Priority)})
	}
	changed, err := s.elb.SetRulePriorities(ctx, caller(req), pairs)
	if err != nil {
		return nil, err
	}
	return &elbv2api.SetRulePrioritiesOutput{Rules: rules(changed)}, nil
}
