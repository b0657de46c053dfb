package elbv2_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// albFixture is an application load balancer with an HTTP listener on
// port 80 that forwards to group blue; green is another HTTP group.
type albFixture struct {
	*fixture
	alb         types.LoadBalancer
	blue, green types.TargetGroup
	listener    types.Listener
}

func newALB(t *testing.T, opts ...cloud.Option) *albFixture {
	f := &albFixture{fixture: newFixture(t, opts...)}
	f.alb = f.createLB(&elb.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: f.subnets[:2]})
	f.blue = f.targetGroup("blue", types.ProtocolEnumHttp, 80, types.TargetTypeEnumIp)
	f.green = f.targetGroup("green", types.ProtocolEnumHttp, 80, types.TargetTypeEnumIp)
	f.listener = f.forward(f.alb.LoadBalancerArn, types.ProtocolEnumHttp, 80, f.blue.TargetGroupArn)
	return f
}

// rule creates a rule on the fixture's listener.
func (f *albFixture) rule(priority int32, conditions []types.RuleCondition, actions ...types.Action) types.Rule {
	f.t.Helper()
	out, err := f.lb.CreateRule(f.ctx, &elb.CreateRuleInput{ListenerArn: f.listener.ListenerArn, Priority: &priority, Conditions: conditions, Actions: actions})
	f.must(err)
	return out.Rules[0]
}

// rules lists the listener's rules.
func (f *albFixture) rules() []types.Rule {
	f.t.Helper()
	out, err := f.lb.DescribeRules(f.ctx, &elb.DescribeRulesInput{ListenerArn: f.listener.ListenerArn})
	f.must(err)
	return out.Rules
}

func priorities(rules []types.Rule) []string {
	var out []string
	for _, r := range rules {
		out = append(out, aws.ToString(r.Priority))
	}
	return out
}

func pathIs(p string) types.RuleCondition {
	return types.RuleCondition{Field: aws.String("path-pattern"), PathPatternConfig: &types.PathPatternConditionConfig{Values: []string{p}}}
}

func fixed(status string) types.Action {
	return types.Action{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String(status), ContentType: aws.String("text/plain")}}
}

func TestListenerRules(t *testing.T) {
	f := newALB(t)
	listenerARN := aws.ToString(f.listener.ListenerArn)

	// A new listener has its default rule, with the listener's actions.
	def := f.rules()
	if len(def) != 1 || !aws.ToBool(def[0].IsDefault) || aws.ToString(def[0].Priority) != "default" || len(def[0].Conditions) != 0 ||
		!strings.HasPrefix(aws.ToString(def[0].RuleArn), strings.Replace(listenerARN, ":listener/", ":listener-rule/", 1)+"/") ||
		aws.ToString(def[0].Actions[0].TargetGroupArn) != aws.ToString(f.blue.TargetGroupArn) {
		t.Fatalf("default rule: %+v", def)
	}

	// Weighted forward with stickiness, on conditions in both forms.
	weighted := f.rule(10, []types.RuleCondition{
		{Field: aws.String("host-header"), HostHeaderConfig: &types.HostHeaderConditionConfig{Values: []string{"example.com", "*.example.com"}}},
		{Field: aws.String("path-pattern"), Values: []string{"/api/*"}},
		{Field: aws.String("http-header"), HttpHeaderConfig: &types.HttpHeaderConditionConfig{HttpHeaderName: aws.String("X-Canary"), Values: []string{"on"}}},
		{Field: aws.String("http-request-method"), HttpRequestMethodConfig: &types.HttpRequestMethodConditionConfig{Values: []string{"GET"}}},
	}, types.Action{Type: types.ActionTypeEnumForward, ForwardConfig: &types.ForwardActionConfig{
		TargetGroups: []types.TargetGroupTuple{
			{TargetGroupArn: f.blue.TargetGroupArn, Weight: aws.Int32(80)},
			{TargetGroupArn: f.green.TargetGroupArn, Weight: aws.Int32(20)},
		},
		TargetGroupStickinessConfig: &types.TargetGroupStickinessConfig{Enabled: aws.Bool(true), DurationSeconds: aws.Int32(3600)},
	}})
	if aws.ToString(weighted.Priority) != "10" || aws.ToBool(weighted.IsDefault) || len(weighted.Conditions) != 4 {
		t.Fatalf("rule: %+v", weighted)
	}
	// host-header and path-pattern come back in both forms, the others in
	// their configuration.
	host, path, header, method := weighted.Conditions[0], weighted.Conditions[1], weighted.Conditions[2], weighted.Conditions[3]
	if !slices.Equal(host.Values, []string{"example.com", "*.example.com"}) || !slices.Equal(host.HostHeaderConfig.Values, host.Values) ||
		!slices.Equal(path.Values, []string{"/api/*"}) || !slices.Equal(path.PathPatternConfig.Values, path.Values) ||
		len(header.Values) != 0 || aws.ToString(header.HttpHeaderConfig.HttpHeaderName) != "X-Canary" ||
		len(method.Values) != 0 || !slices.Equal(method.HttpRequestMethodConfig.Values, []string{"GET"}) {
		t.Errorf("conditions: %+v", weighted.Conditions)
	}
	fc := weighted.Actions[0].ForwardConfig
	if weighted.Actions[0].TargetGroupArn != nil || len(fc.TargetGroups) != 2 || aws.ToInt32(fc.TargetGroups[1].Weight) != 20 ||
		!aws.ToBool(fc.TargetGroupStickinessConfig.Enabled) || aws.ToInt32(fc.TargetGroupStickinessConfig.DurationSeconds) != 3600 {
		t.Errorf("forward: %+v", weighted.Actions[0])
	}

	// A redirect fills the parts it leaves out with the request's.
	redirect := f.rule(20, []types.RuleCondition{
		{Field: aws.String("query-string"), QueryStringConfig: &types.QueryStringConditionConfig{Values: []types.QueryStringKeyValuePair{{Key: aws.String("v"), Value: aws.String("1")}, {Value: aws.String("legacy")}}}},
		{Field: aws.String("source-ip"), SourceIpConfig: &types.SourceIpConditionConfig{Values: []string{"192.0.2.0/24", "2001:db8::/32"}}},
	}, types.Action{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{Protocol: aws.String("HTTPS"), Port: aws.String("443"), StatusCode: types.RedirectActionStatusCodeEnumHttp301}})
	want := types.RedirectActionConfig{Host: aws.String("#{host}"), Path: aws.String("/#{path}"), Port: aws.String("443"), Protocol: aws.String("HTTPS"),
		Query: aws.String("#{query}"), StatusCode: types.RedirectActionStatusCodeEnumHttp301}
	if got := *redirect.Actions[0].RedirectConfig; !reflect.DeepEqual(got, want) {
		t.Errorf("redirect: %+v", got)
	}
	if q := redirect.Conditions[0].QueryStringConfig.Values; len(q) != 2 || aws.ToString(q[0].Key) != "v" || q[1].Key != nil || aws.ToString(q[1].Value) != "legacy" {
		t.Errorf("query string: %+v", q)
	}
	fixedRule := f.rule(30, []types.RuleCondition{pathIs("/health")}, fixed("503"))

	// Rules come in priority order, the default rule last.
	if got := priorities(f.rules()); !slices.Equal(got, []string{"10", "20", "30", "default"}) {
		t.Errorf("priorities: %v", got)
	}
	page, err := f.lb.DescribeRules(f.ctx, &elb.DescribeRulesInput{ListenerArn: f.listener.ListenerArn, PageSize: aws.Int32(3)})
	f.must(err)
	rest, err := f.lb.DescribeRules(f.ctx, &elb.DescribeRulesInput{ListenerArn: f.listener.ListenerArn, PageSize: aws.Int32(3), Marker: page.NextMarker})
	f.must(err)
	if len(page.Rules) != 3 || page.NextMarker == nil || len(rest.Rules) != 1 || rest.NextMarker != nil || !aws.ToBool(rest.Rules[0].IsDefault) {
		t.Errorf("pages: %v / %v", priorities(page.Rules), priorities(rest.Rules))
	}

	// green is in use through the rule alone.
	groups, err := f.lb.DescribeTargetGroups(f.ctx, &elb.DescribeTargetGroupsInput{TargetGroupArns: []string{aws.ToString(f.green.TargetGroupArn)}})
	f.must(err)
	if lbs := groups.TargetGroups[0].LoadBalancerArns; len(lbs) != 1 || lbs[0] != aws.ToString(f.alb.LoadBalancerArn) {
		t.Errorf("green's load balancers: %v", lbs)
	}
	byLB, err := f.lb.DescribeTargetGroups(f.ctx, &elb.DescribeTargetGroupsInput{LoadBalancerArn: f.alb.LoadBalancerArn})
	f.must(err)
	if len(byLB.TargetGroups) != 2 {
		t.Errorf("groups of the load balancer: %d", len(byLB.TargetGroups))
	}
	_, err = f.lb.DeleteTargetGroup(f.ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: f.green.TargetGroupArn})
	f.wantErr(err, "ResourceInUse", "in use")

	// ModifyRule replaces what it gives and keeps the rest.
	mod, err := f.lb.ModifyRule(f.ctx, &elb.ModifyRuleInput{RuleArn: weighted.RuleArn, Conditions: []types.RuleCondition{pathIs("/v2/*")}})
	f.must(err)
	if m := mod.Rules[0]; len(m.Conditions) != 1 || aws.ToString(m.Conditions[0].Field) != "path-pattern" || len(m.Actions[0].ForwardConfig.TargetGroups) != 2 {
		t.Errorf("modified: %+v", m)
	}

	// Two rules swap priorities in one call.
	swapped, err := f.lb.SetRulePriorities(f.ctx, &elb.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{
		{RuleArn: weighted.RuleArn, Priority: aws.Int32(20)}, {RuleArn: redirect.RuleArn, Priority: aws.Int32(10)},
	}})
	f.must(err)
	if got := priorities(swapped.Rules); !slices.Equal(got, []string{"20", "10"}) {
		t.Errorf("swapped: %v", got)
	}
	if got := f.rules(); aws.ToString(got[0].RuleArn) != aws.ToString(redirect.RuleArn) {
		t.Errorf("after the swap the first rule is %s", aws.ToString(got[0].RuleArn))
	}

	// Rules take tags, the default rule too.
	for _, arn := range []*string{weighted.RuleArn, def[0].RuleArn} {
		_, err = f.lb.AddTags(f.ctx, &elb.AddTagsInput{ResourceArns: []string{aws.ToString(arn)}, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}}})
		f.must(err)
		tagged, err := f.lb.DescribeTags(f.ctx, &elb.DescribeTagsInput{ResourceArns: []string{aws.ToString(arn)}})
		f.must(err)
		if tg := tagged.TagDescriptions[0].Tags; len(tg) != 1 || aws.ToString(tg[0].Value) != "web" {
			t.Errorf("tags of %s: %+v", aws.ToString(arn), tg)
		}
		_, err = f.lb.RemoveTags(f.ctx, &elb.RemoveTagsInput{ResourceArns: []string{aws.ToString(arn)}, TagKeys: []string{"team"}})
		f.must(err)
	}
	created, err := f.lb.CreateRule(f.ctx, &elb.CreateRuleInput{ListenerArn: f.listener.ListenerArn, Priority: aws.Int32(40),
		Conditions: []types.RuleCondition{pathIs("/tagged")}, Actions: []types.Action{fixed("404")}, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	f.must(err)
	tagged, err := f.lb.DescribeTags(f.ctx, &elb.DescribeTagsInput{ResourceArns: []string{aws.ToString(created.Rules[0].RuleArn)}})
	f.must(err)
	if tg := tagged.TagDescriptions[0].Tags; len(tg) != 1 || aws.ToString(tg[0].Key) != "k" {
		t.Errorf("tags on create: %+v", tg)
	}

	// Deleted rules are gone; deleting the listener takes its rules.
	_, err = f.lb.DeleteRule(f.ctx, &elb.DeleteRuleInput{RuleArn: fixedRule.RuleArn})
	f.must(err)
	_, err = f.lb.DescribeRules(f.ctx, &elb.DescribeRulesInput{RuleArns: []string{aws.ToString(fixedRule.RuleArn)}})
	f.wantErr(err, "RuleNotFound", "One or more rules not found")
	_, err = f.lb.DeleteListener(f.ctx, &elb.DeleteListenerInput{ListenerArn: f.listener.ListenerArn})
	f.must(err)
	_, err = f.lb.DescribeRules(f.ctx, &elb.DescribeRulesInput{RuleArns: []string{aws.ToString(weighted.RuleArn)}})
	f.wantErr(err, "RuleNotFound", "")
	_, err = f.lb.DeleteTargetGroup(f.ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: f.green.TargetGroupArn})
	f.must(err)
}

func TestListenerRuleRefusals(t *testing.T) {
	f := newALB(t)
	existing := f.rule(10, []types.RuleCondition{pathIs("/a")}, fixed("200"))
	def := f.rules()[1]
	nlb, gw := f.nlb("net"), f.gwlb("gwy")
	tcp := f.targetGroup("tcp", types.ProtocolEnumTcp, 80, types.TargetTypeEnumIp)
	geneve := f.targetGroup("geneve", types.ProtocolEnumGeneve, 6081, "")
	nlbListener := f.forward(nlb.LoadBalancerArn, types.ProtocolEnumTcp, 80, tcp.TargetGroupArn)
	gwListener := f.forward(gw.LoadBalancerArn, "", 0, geneve.TargetGroupArn)
	before := f.rules()

	create := func(listener *string, priority int32, conditions []types.RuleCondition, actions ...types.Action) func() error {
		return func() error {
			_, err := f.lb.CreateRule(f.ctx, &elb.CreateRuleInput{ListenerArn: listener, Priority: &priority, Conditions: conditions, Actions: actions})
			return err
		}
	}
	l := f.listener.ListenerArn
	values := func(n int) types.RuleCondition {
		v := make([]string, n)
		for i := range v {
			v[i] = "/" + strings.Repeat("p", i+1)
		}
		return types.RuleCondition{Field: aws.String("path-pattern"), PathPatternConfig: &types.PathPatternConditionConfig{Values: v}}
	}
	forwardTo := func(tg *string) types.Action {
		return types.Action{Type: types.ActionTypeEnumForward, TargetGroupArn: tg}
	}
	missingListener := aws.String(strings.Replace(aws.ToString(l), "/app/web/", "/app/gone/", 1))
	checkRefusals(t, []refusal{
		{"priority in use", create(l, 10, []types.RuleCondition{pathIs("/b")}, fixed("200")), "PriorityInUse", "Priority '10' is currently in use"},
		{"unknown listener", create(missingListener, 11, []types.RuleCondition{pathIs("/b")}, fixed("200")), "ListenerNotFound", ""},
		{"NLB listener", create(nlbListener.ListenerArn, 11, []types.RuleCondition{pathIs("/b")}, forwardTo(tcp.TargetGroupArn)), "UnsupportedProtocol", "TCP"},
		{"GWLB listener", create(gwListener.ListenerArn, 11, []types.RuleCondition{pathIs("/b")}, forwardTo(geneve.TargetGroupArn)), "ListenerNotFound", ""},
		{"unknown target group", create(l, 11, []types.RuleCondition{pathIs("/b")}, forwardTo(aws.String(strings.Replace(aws.ToString(f.blue.TargetGroupArn), "/blue/", "/gone/", 1)))), "TargetGroupNotFound", ""},
		{"group of a network load balancer", create(l, 11, []types.RuleCondition{pathIs("/b")}, forwardTo(tcp.TargetGroupArn)), "IncompatibleProtocols", aws.ToString(tcp.TargetGroupArn)},
		{"status 600", create(l, 11, []types.RuleCondition{pathIs("/b")}, fixed("600")), "ValidationError",
			`1 validation error detected: Value '600' at 'actions.1.member.fixedResponseConfig.statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(2|4|5)\d\d$`},
		{"content type", create(l, 11, []types.RuleCondition{pathIs("/b")}, types.Action{Type: types.ActionTypeEnumFixedResponse,
			FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("200"), ContentType: aws.String("text/xml")}}), "ValidationError",
			"1 validation error detected: Value 'text/xml' at 'actions.1.member.fixedResponseConfig.contentType' failed to satisfy constraint: Member must satisfy enum value set: [text/plain, text/css, text/html, application/javascript, application/json]"},
		{"six condition values", create(l, 11, []types.RuleCondition{values(6)}, fixed("200")), "ValidationError", "'5' condition values"},
		{"two host conditions", create(l, 11, []types.RuleCondition{
			{Field: aws.String("host-header"), Values: []string{"a.example.com"}}, {Field: aws.String("host-header"), Values: []string{"b.example.com"}}}, fixed("200")),
			"ValidationError", "only one 'host-header' condition"},
		{"six wildcards", create(l, 11, []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/*/*/*/*/*/*"}}}, fixed("200")), "ValidationError", "wildcards"},
		{"unknown field", create(l, 11, []types.RuleCondition{{Field: aws.String("cookie"), Values: []string{"x"}}}, fixed("200")), "ValidationError", "Condition field 'cookie' must be one of"},
		{"legacy values of a header", create(l, 11, []types.RuleCondition{{Field: aws.String("http-header"), Values: []string{"x"}}}, fixed("200")), "ValidationError", "'host-header' or 'path-pattern'"},
		{"configuration of another field", create(l, 11, []types.RuleCondition{{Field: aws.String("path-pattern"), HostHeaderConfig: &types.HostHeaderConditionConfig{Values: []string{"a.example.com"}}}}, fixed("200")),
			"ValidationError", "host-header configuration cannot be specified"},
		{"bad source block", create(l, 11, []types.RuleCondition{{Field: aws.String("source-ip"), SourceIpConfig: &types.SourceIpConditionConfig{Values: []string{"10.0.0.300/8"}}}}, fixed("200")),
			"ValidationError", "10.0.0.300/8"},
		{"no condition", create(l, 11, []types.RuleCondition{}, fixed("200")), "ValidationError", "condition"},
		{"two final actions", create(l, 11, []types.RuleCondition{pathIs("/b")},
			types.Action{Type: types.ActionTypeEnumFixedResponse, Order: aws.Int32(1), FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("200")}},
			types.Action{Type: types.ActionTypeEnumForward, Order: aws.Int32(2), TargetGroupArn: f.blue.TargetGroupArn}), "TooManyActions", ""},
		{"authenticate on HTTP", create(l, 11, []types.RuleCondition{pathIs("/b")},
			types.Action{Type: types.ActionTypeEnumAuthenticateCognito, Order: aws.Int32(1), AuthenticateCognitoConfig: &types.AuthenticateCognitoActionConfig{
				UserPoolArn: aws.String("arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abc"), UserPoolClientId: aws.String("c"), UserPoolDomain: aws.String("d")}},
			types.Action{Type: types.ActionTypeEnumForward, Order: aws.Int32(2), TargetGroupArn: f.blue.TargetGroupArn}), "InvalidLoadBalancerAction", "HTTPS"},
		{"delete the default rule", func() error {
			_, err := f.lb.DeleteRule(f.ctx, &elb.DeleteRuleInput{RuleArn: def.RuleArn})
			return err
		}, "OperationNotPermitted", "default rule"},
		{"modify the default rule", func() error {
			_, err := f.lb.ModifyRule(f.ctx, &elb.ModifyRuleInput{RuleArn: def.RuleArn, Actions: []types.Action{fixed("200")}})
			return err
		}, "OperationNotPermitted", "default rule"},
		{"reprioritise the default rule", func() error {
			_, err := f.lb.SetRulePriorities(f.ctx, &elb.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{{RuleArn: def.RuleArn, Priority: aws.Int32(5)}}})
			return err
		}, "OperationNotPermitted", "default rule"},
		{"modify with a bad action", func() error {
			_, err := f.lb.ModifyRule(f.ctx, &elb.ModifyRuleInput{RuleArn: existing.RuleArn, Actions: []types.Action{forwardTo(tcp.TargetGroupArn)}})
			return err
		}, "IncompatibleProtocols", ""},
		{"unknown rule", func() error {
			// Another last hex digit: never the existing rule's own ARN.
			arn := aws.ToString(existing.RuleArn)
			last := "f"
			if strings.HasSuffix(arn, last) {
				last = "0"
			}
			_, err := f.lb.DeleteRule(f.ctx, &elb.DeleteRuleInput{RuleArn: aws.String(arn[:len(arn)-1] + last)})
			return err
		}, "RuleNotFound", "One or more rules not found"},
		{"malformed rule ARN", func() error {
			_, err := f.lb.DescribeRules(f.ctx, &elb.DescribeRulesInput{RuleArns: []string{"rule-1"}})
			return err
		}, "ValidationError", "'rule-1' is not a valid listener rule ARN"},
		{"rules of a gateway listener", func() error {
			_, err := f.lb.DescribeRules(f.ctx, &elb.DescribeRulesInput{ListenerArn: gwListener.ListenerArn})
			return err
		}, "ListenerNotFound", ""},
	})
	// The refusals changed nothing.
	if after := f.rules(); !reflect.DeepEqual(priorities(after), priorities(before)) || len(after[0].Conditions) != 1 || after[0].Actions[0].Type != types.ActionTypeEnumFixedResponse {
		t.Errorf("rules after the refusals: %v", priorities(after))
	}
	// A network load balancer's listener has its default rule too.
	nlbRules, err := f.lb.DescribeRules(f.ctx, &elb.DescribeRulesInput{ListenerArn: nlbListener.ListenerArn})
	f.must(err)
	if len(nlbRules.Rules) != 1 || !aws.ToBool(nlbRules.Rules[0].IsDefault) || !strings.Contains(aws.ToString(nlbRules.Rules[0].RuleArn), ":listener-rule/net/") {
		t.Errorf("NLB rules: %+v", nlbRules.Rules)
	}
}

func TestSetRulePrioritiesConflict(t *testing.T) {
	f := newALB(t)
	a := f.rule(1, []types.RuleCondition{pathIs("/a")}, fixed("200"))
	f.rule(2, []types.RuleCondition{pathIs("/b")}, fixed("200"))
	c := f.rule(3, []types.RuleCondition{pathIs("/c")}, fixed("200"))
	_, err := f.lb.SetRulePriorities(f.ctx, &elb.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{
		{RuleArn: a.RuleArn, Priority: aws.Int32(4)}, {RuleArn: c.RuleArn, Priority: aws.Int32(2)},
	}})
	f.wantErr(err, "PriorityInUse", "Priority '2' is currently in use")
	if got := priorities(f.rules()); !slices.Equal(got, []string{"1", "2", "3", "default"}) {
		t.Errorf("priorities after the refusal: %v", got)
	}
}

func TestRulesQuota(t *testing.T) {
	f := newALB(t, cloud.WithQuotas(map[string]int{"rules-per-application-load-balancer": 2}))
	f.rule(1, []types.RuleCondition{pathIs("/a")}, fixed("200"))
	f.rule(2, []types.RuleCondition{pathIs("/b")}, fixed("200"))
	_, err := f.lb.CreateRule(f.ctx, &elb.CreateRuleInput{ListenerArn: f.listener.ListenerArn, Priority: aws.Int32(3),
		Conditions: []types.RuleCondition{pathIs("/c")}, Actions: []types.Action{fixed("200")}})
	f.wantErr(err, "TooManyRules", "")
}

// TestAuthenticateActions: authenticate actions are kept with AWS's
// defaults and returned, the OIDC client secret never.
func TestAuthenticateActions(t *testing.T) {
	f := newFixture(t)
	alb := f.createLB(&elb.CreateLoadBalancerInput{Name: aws.String("auth"), Subnets: f.subnets[:2]})
	tg := f.targetGroup("app", types.ProtocolEnumHttp, 80, types.TargetTypeEnumIp)
	oidc := types.Action{Type: types.ActionTypeEnumAuthenticateOidc, Order: aws.Int32(1), AuthenticateOidcConfig: &types.AuthenticateOidcActionConfig{
		Issuer: aws.String("https://idp.example.com"), AuthorizationEndpoint: aws.String("https://idp.example.com/auth"),
		TokenEndpoint: aws.String("https://idp.example.com/token"), UserInfoEndpoint: aws.String("https://idp.example.com/userinfo"),
		ClientId: aws.String("client"), ClientSecret: aws.String("s3cret"), AuthenticationRequestExtraParams: map[string]string{"prompt": "login"},
	}}
	out, err := f.lb.CreateListener(f.ctx, &elb.CreateListenerInput{LoadBalancerArn: alb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(443),
		Certificates:   []types.Certificate{{CertificateArn: aws.String(certARN)}},
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, Order: aws.Int32(2), TargetGroupArn: tg.TargetGroupArn}, oidc}})
	f.must(err)
	l := out.Listeners[0]
	if len(l.DefaultActions) != 2 || l.DefaultActions[0].Type != types.ActionTypeEnumAuthenticateOidc {
		t.Fatalf("default actions: %+v", l.DefaultActions)
	}
	o := l.DefaultActions[0].AuthenticateOidcConfig
	if o.ClientSecret != nil || aws.ToString(o.Scope) != "openid" || aws.ToString(o.SessionCookieName) != "AWSELBAuthSessionCookie" ||
		aws.ToInt64(o.SessionTimeout) != 604800 || o.OnUnauthenticatedRequest != types.AuthenticateOidcActionConditionalBehaviorEnumAuthenticate ||
		o.AuthenticationRequestExtraParams["prompt"] != "login" || aws.ToString(o.ClientId) != "client" {
		t.Errorf("OIDC: %+v", o)
	}
	rule, err := f.lb.CreateRule(f.ctx, &elb.CreateRuleInput{ListenerArn: l.ListenerArn, Priority: aws.Int32(1), Conditions: []types.RuleCondition{pathIs("/admin/*")},
		Actions: []types.Action{
			{Type: types.ActionTypeEnumAuthenticateCognito, Order: aws.Int32(1), AuthenticateCognitoConfig: &types.AuthenticateCognitoActionConfig{
				UserPoolArn: aws.String("arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abc"), UserPoolClientId: aws.String("c"),
				UserPoolDomain: aws.String("auth"), OnUnauthenticatedRequest: types.AuthenticateCognitoActionConditionalBehaviorEnumDeny}},
			{Type: types.ActionTypeEnumFixedResponse, Order: aws.Int32(2), FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("200")}},
		}})
	f.must(err)
	c := rule.Rules[0].Actions[0].AuthenticateCognitoConfig
	if c == nil || c.OnUnauthenticatedRequest != types.AuthenticateCognitoActionConditionalBehaviorEnumDeny || aws.ToString(c.Scope) != "openid" || aws.ToString(c.UserPoolDomain) != "auth" {
		t.Errorf("Cognito: %+v", c)
	}
	// The default rule shows the listener's actions.
	rules, err := f.lb.DescribeRules(f.ctx, &elb.DescribeRulesInput{ListenerArn: l.ListenerArn})
	f.must(err)
	if d := rules.Rules[1]; !aws.ToBool(d.IsDefault) || len(d.Actions) != 2 || d.Actions[0].AuthenticateOidcConfig == nil {
		t.Errorf("default rule: %+v", d)
	}
	_, err = f.lb.CreateRule(f.ctx, &elb.CreateRuleInput{ListenerArn: l.ListenerArn, Priority: aws.Int32(2), Conditions: []types.RuleCondition{pathIs("/x")},
		Actions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroupArn}, {Type: types.ActionTypeEnumFixedResponse,
			FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("200")}}}})
	f.wantErr(err, "ValidationError", "order")
}
