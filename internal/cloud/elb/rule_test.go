package elb

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// albFixture is an application load balancer with an HTTP listener on
// port 80 that forwards to group blue; green is another HTTP group.
type albFixture struct {
	*fixture
	alb         *LoadBalancer
	blue, green *TargetGroup
	listener    *Listener
}

func newALB(t *testing.T, opts ...cloud.Option) *albFixture {
	f := &albFixture{fixture: newFixture(t, opts...)}
	f.alb = f.fixture.alb("web")
	f.blue = f.targetGroup("blue", "HTTP", 80, TargetIP)
	f.green = f.targetGroup("green", "HTTP", 80, TargetIP)
	f.listener = f.forward(f.alb.ID, "HTTP", 80, f.blue.ID)
	return f
}

func pathIs(p string) []ConditionInput {
	return []ConditionInput{{Field: ConditionPathPattern, Values: []string{p}}}
}

func fixed(status string) []ActionInput {
	return []ActionInput{{Type: ActionFixedResponse, FixedResponse: &FixedResponseAction{StatusCode: status, ContentType: "text/plain"}}}
}

// rule creates a rule on the fixture's listener.
func (f *albFixture) rule(priority int32, conditions []ConditionInput, actions []ActionInput) *Rule {
	f.t.Helper()
	r, err := f.elb.CreateRule(f.ctx, alice, f.listener.ID, RuleInput{Priority: priority, Conditions: conditions, Actions: actions})
	f.must(err)
	return r
}

// priorities are the priorities of the listener's rules in evaluation
// order, 0 for the default rule.
func (f *albFixture) priorities() []int32 {
	f.t.Helper()
	rules, err := f.elb.DescribeRules(f.ctx, alice, f.listener.ID, nil)
	f.must(err)
	var out []int32
	for _, r := range rules {
		out = append(out, r.Priority)
	}
	return out
}

// A listener's default rule carries its actions, comes last and cannot be
// changed but through the listener; other rules keep their conditions and
// actions, in priority order.
func TestListenerRules(t *testing.T) {
	f := newALB(t)
	rules, err := f.elb.DescribeRules(f.ctx, alice, f.listener.ID, nil)
	f.must(err)
	def := rules[0]
	if len(rules) != 1 || !def.IsDefault || def.Priority != 0 || len(def.Conditions) != 0 || def.LoadBalancerARN != f.alb.ID ||
		!strings.HasPrefix(def.ID, strings.Replace(f.listener.ID, ":listener/", ":listener-rule/", 1)+"/") || def.Actions[0].TargetGroupARN() != f.blue.ID {
		t.Fatalf("default rule %+v", def)
	}
	weighted := f.rule(10, []ConditionInput{
		{Field: ConditionHostHeader, Configs: map[string]RuleCondition{ConditionHostHeader: {Values: []string{"example.com", "*.example.com"}}}},
		{Field: ConditionPathPattern, Values: []string{"/api/*"}},
	}, []ActionInput{{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: f.blue.ID, Weight: ptr(int32(80))}, {ARN: f.green.ID, Weight: ptr(int32(20))}},
		Stickiness: &ForwardStickiness{Enabled: true, DurationSeconds: 3600}}})
	want := &Rule{Meta: cloud.Meta{ID: weighted.ID, Owner: alice.Account, Region: alice.Region}, ListenerARN: f.listener.ID, LoadBalancerARN: f.alb.ID, Priority: 10,
		Conditions: []RuleCondition{{Field: ConditionHostHeader, Values: []string{"example.com", "*.example.com"}}, {Field: ConditionPathPattern, Values: []string{"/api/*"}}},
		Actions: []Action{{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: f.blue.ID, Weight: ptr(int32(80))}, {ARN: f.green.ID, Weight: ptr(int32(20))}},
			Stickiness: &ForwardStickiness{Enabled: true, DurationSeconds: 3600}}}}
	if !reflect.DeepEqual(weighted, want) {
		t.Errorf("rule %+v\nwant %+v", weighted, want)
	}
	first := f.rule(5, pathIs("/first"), fixed("204"))
	f.rule(50000, pathIs("/last"), fixed("404"))
	if got := f.priorities(); !reflect.DeepEqual(got, []int32{5, 10, 50000, 0}) {
		t.Errorf("order %v", got)
	}
	byARN, err := f.elb.DescribeRules(f.ctx, alice, "", []string{weighted.ID, def.ID, first.ID, weighted.ID})
	f.must(err)
	if len(byARN) != 3 || byARN[0].ID != first.ID || byARN[1].ID != weighted.ID || byARN[2].ID != def.ID || byARN[2].Actions == nil {
		t.Errorf("by ARN %+v", byARN)
	}
	if got := get[TargetGroup](f.fixture, f.green.ID); !reflect.DeepEqual(got.LoadBalancerARNs, []string{f.alb.ID}) {
		t.Errorf("green used by %v", got.LoadBalancerARNs)
	}

	// The default rule follows its listener.
	_, err = f.elb.ModifyListener(f.ctx, alice, f.listener.ID, ListenerInput{Actions: forwardTo(f.green.ID)})
	f.must(err)
	rules, err = f.elb.DescribeRules(f.ctx, alice, "", []string{def.ID})
	f.must(err)
	if rules[0].Actions[0].TargetGroupARN() != f.green.ID {
		t.Errorf("default rule after ModifyListener %+v", rules[0].Actions)
	}

	// ModifyRule replaces what it is given.
	mod, err := f.elb.ModifyRule(f.ctx, alice, weighted.ID, RuleInput{Conditions: pathIs("/v2/*")})
	f.must(err)
	if !reflect.DeepEqual(mod.Conditions, []RuleCondition{{Field: ConditionPathPattern, Values: []string{"/v2/*"}}}) || !reflect.DeepEqual(mod.Actions, want.Actions) {
		t.Errorf("modified conditions %+v", mod)
	}
	mod, err = f.elb.ModifyRule(f.ctx, alice, weighted.ID, RuleInput{Actions: fixed("503")})
	f.must(err)
	if mod.Actions[0].Type != ActionFixedResponse || len(mod.Conditions) != 1 {
		t.Errorf("modified actions %+v", mod)
	}
	if got := get[TargetGroup](f.fixture, f.blue.ID); len(got.LoadBalancerARNs) != 0 {
		t.Errorf("blue still used by %v", got.LoadBalancerARNs)
	}

	f.must(f.elb.DeleteRule(f.ctx, alice, first.ID))
	if got := f.priorities(); !reflect.DeepEqual(got, []int32{10, 50000, 0}) {
		t.Errorf("after deleting %v", got)
	}
	for _, tc := range []struct {
		name   string
		err    error
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"delete the default rule", f.elb.DeleteRule(f.ctx, alice, def.ID), cloud.OperationNotPermitted, "", "The default rule '" + def.ID + "' cannot be deleted"},
		{"modify the default rule", second(f.elb.ModifyRule(f.ctx, alice, def.ID, RuleInput{Conditions: pathIs("/x")})), cloud.OperationNotPermitted, "", "modify its listener's default actions instead"},
		{"delete a deleted rule", f.elb.DeleteRule(f.ctx, alice, first.ID), cloud.NotFound, cloud.KindRule, "One or more rules not found"},
		{"modify a deleted rule", second(f.elb.ModifyRule(f.ctx, alice, first.ID, RuleInput{})), cloud.NotFound, cloud.KindRule, ""},
		{"malformed", f.elb.DeleteRule(f.ctx, alice, "rule"), cloud.InvalidParameter, "", "'rule' is not a valid listener rule ARN"},
		{"bob's view", second(f.elb.DescribeRules(f.ctx, bob, f.listener.ID, nil)), cloud.NotFound, cloud.KindListener, ""},
		{"modify with bad conditions", second(f.elb.ModifyRule(f.ctx, alice, weighted.ID, RuleInput{Conditions: []ConditionInput{}})), cloud.InvalidParameter, "", "At least one condition"},
		{"modify with bad actions", second(f.elb.ModifyRule(f.ctx, alice, weighted.ID, RuleInput{Actions: []ActionInput{}})), cloud.InvalidParameter, "", "At least one action must be specified"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantReason(t, tc.err, tc.reason, tc.kind, tc.msg) })
	}
}

// second is the error of a call's two results.
func second[T any](_ T, err error) error { return err }

func TestCreateRuleRefusals(t *testing.T) {
	f := newALB(t)
	f.rule(1, pathIs("/a"), fixed("200"))
	nlb := f.nlb("net")
	tcp := f.targetGroup("tcp", "TCP", 80, TargetIP)
	tcpListener := f.forward(nlb.ID, "TCP", 80, tcp.ID)
	gw := f.gwlb("gw")
	gwListener := f.forward(gw.ID, "", 0, f.targetGroup("gen", "GENEVE", 6081, "").ID)
	for _, tc := range []struct {
		name     string
		listener string
		in       RuleInput
		reason   cloud.Reason
		kind     cloud.Kind
		msg      string
	}{
		{"priority taken", "", RuleInput{Priority: 1, Conditions: pathIs("/b"), Actions: fixed("200")}, cloud.Duplicate, "priority", "Priority '1' is currently in use"},
		{"priority zero", "", RuleInput{Priority: 0, Conditions: pathIs("/b"), Actions: fixed("200")}, cloud.InvalidParameter, "", "Priority '0' must be from 1 to 50000"},
		{"priority too high", "", RuleInput{Priority: 50001, Conditions: pathIs("/b"), Actions: fixed("200")}, cloud.InvalidParameter, "", "must be from 1 to 50000"},
		{"no conditions", "", RuleInput{Priority: 2, Actions: fixed("200")}, cloud.InvalidParameter, "", "At least one condition must be specified"},
		{"no actions", "", RuleInput{Priority: 2, Conditions: pathIs("/b")}, cloud.InvalidParameter, "", "At least one action must be specified"},
		{"bad condition", "", RuleInput{Priority: 2, Conditions: []ConditionInput{{Field: "cookie", Values: []string{"x"}}}, Actions: fixed("200")}, cloud.InvalidParameter, "", "must be one of"},
		{"TCP listener", tcpListener.ID, RuleInput{Priority: 2, Conditions: pathIs("/b"), Actions: fixed("200")}, cloud.Unsupported, "protocol", "Listener rules are not supported for TCP listeners"},
		{"gateway listener", gwListener.ID, RuleInput{Priority: 2, Conditions: pathIs("/b"), Actions: fixed("200")}, cloud.NotFound, cloud.KindListener, "One or more listeners not found"},
		{"unknown listener", missingARN(f.listener.ID), RuleInput{Priority: 2, Conditions: pathIs("/b"), Actions: fixed("200")}, cloud.NotFound, cloud.KindListener, ""},
		{"group of another load balancer", "", RuleInput{Priority: 2, Conditions: pathIs("/b"), Actions: forwardTo(tcp.ID)}, cloud.InvalidParameter, "protocols", ""},
		{"duplicate tags", "", RuleInput{Priority: 2, Conditions: pathIs("/b"), Actions: fixed("200"), Tags: []cloud.Tag{{Key: "k"}, {Key: "k"}}}, cloud.Duplicate, "tag", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.listener == "" {
				tc.listener = f.listener.ID
			}
			_, err := f.elb.CreateRule(f.ctx, alice, tc.listener, tc.in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	_, err := f.elb.CreateRule(f.ctx, dry(alice), f.listener.ID, RuleInput{Priority: 2, Conditions: pathIs("/b"), Actions: fixed("200")})
	wantReason(t, err, cloud.DryRun, "", "")
	if got := f.priorities(); !reflect.DeepEqual(got, []int32{1, 0}) {
		t.Errorf("rules after the refusals %v", got)
	}
	_, err = f.elb.DescribeRules(f.ctx, alice, gwListener.ID, nil)
	wantReason(t, err, cloud.NotFound, cloud.KindListener, "")
}

// SetRulePriorities changes priorities at once, so two rules can swap;
// a clash with a rule left as it is refuses them all.
func TestSetRulePriorities(t *testing.T) {
	f := newALB(t)
	a := f.rule(1, pathIs("/a"), fixed("200"))
	b := f.rule(2, pathIs("/b"), fixed("200"))
	c := f.rule(3, pathIs("/c"), fixed("200"))
	out, err := f.elb.SetRulePriorities(f.ctx, alice, []RulePriority{{a.ID, 2}, {b.ID, 1}})
	f.must(err)
	if len(out) != 2 || out[0].Priority != 2 || out[1].Priority != 1 {
		t.Errorf("answered %+v", out)
	}
	rules, err := f.elb.DescribeRules(f.ctx, alice, f.listener.ID, nil)
	f.must(err)
	if rules[0].ID != b.ID || rules[1].ID != a.ID || rules[2].ID != c.ID {
		t.Errorf("order after the swap: %s %s %s", rules[0].ID, rules[1].ID, rules[2].ID)
	}
	def := rules[3]
	for _, tc := range []struct {
		name   string
		pairs  []RulePriority
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"clash with a rule left alone", []RulePriority{{a.ID, 3}}, cloud.Duplicate, "priority", "Priority '3' is currently in use"},
		{"the same rule twice", []RulePriority{{a.ID, 7}, {a.ID, 8}}, cloud.InvalidParameter, "", "is specified more than once"},
		{"the default rule", []RulePriority{{def.ID, 7}}, cloud.OperationNotPermitted, "", "cannot be given another priority"},
		{"out of range", []RulePriority{{a.ID, 0}}, cloud.InvalidParameter, "", "must be from 1 to 50000"},
		{"unknown rule", []RulePriority{{missingARN(a.ID), 9}}, cloud.NotFound, cloud.KindRule, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.elb.SetRulePriorities(f.ctx, alice, tc.pairs)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	if got := f.priorities(); !reflect.DeepEqual(got, []int32{1, 2, 3, 0}) {
		t.Errorf("the refusals changed the priorities: %v", got)
	}
}

func TestRulesQuota(t *testing.T) {
	f := newALB(t, cloud.WithQuotas(map[string]int{"rules-per-application-load-balancer": 2}))
	f.rule(1, pathIs("/a"), fixed("200"))
	f.rule(2, pathIs("/b"), fixed("200"))
	_, err := f.elb.CreateRule(f.ctx, alice, f.listener.ID, RuleInput{Priority: 3, Conditions: pathIs("/c"), Actions: fixed("200")})
	wantReason(t, err, cloud.LimitExceeded, cloud.KindRule, "The maximum number of rules per load balancer has been reached")
}

// Authenticate actions come first on HTTPS listeners, with AWS's
// defaults for what they leave out; the OIDC client secret is not kept.
func TestAuthenticateActions(t *testing.T) {
	f := newALB(t)
	https, err := f.elb.CreateListener(f.ctx, alice, f.alb.ID, ListenerInput{Port: ptr(int32(443)), Protocol: "HTTPS", Certificates: []string{certA}, Actions: forwardTo(f.blue.ID)})
	f.must(err)
	oidc := AuthenticateOIDCAction{Issuer: "https://idp.example.com", AuthorizationEndpoint: "https://idp.example.com/auth", TokenEndpoint: "https://idp.example.com/token",
		UserInfoEndpoint: "https://idp.example.com/user", ClientID: "client"}
	cognito := AuthenticateCognitoAction{UserPoolARN: "arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abc", UserPoolClientID: "c", UserPoolDomain: "d",
		Authentication: Authentication{Scope: "email", SessionTimeout: 60, OnUnauthenticatedRequest: "deny"}}
	r, err := f.elb.CreateRule(f.ctx, alice, https.ID, RuleInput{Priority: 1, Conditions: pathIs("/private/*"), Actions: []ActionInput{
		{Type: ActionForward, TargetGroupARN: f.green.ID, Order: ptr(int32(3))},
		{Type: ActionAuthenticateOIDC, Order: ptr(int32(1)), AuthenticateOIDC: &AuthenticateOIDCInput{AuthenticateOIDCAction: oidc, ClientSecret: "s3cret"}},
		{Type: ActionAuthenticateCognito, Order: ptr(int32(2)), AuthenticateCognito: &cognito},
	}})
	f.must(err)
	wantOIDC := oidc
	wantOIDC.Authentication = Authentication{Scope: "openid", SessionCookieName: "AWSELBAuthSessionCookie", SessionTimeout: 604800, OnUnauthenticatedRequest: "authenticate"}
	wantCognito := cognito
	wantCognito.SessionCookieName = "AWSELBAuthSessionCookie"
	if len(r.Actions) != 3 || r.Actions[0].Type != ActionAuthenticateOIDC || !reflect.DeepEqual(r.Actions[0].AuthenticateOIDC, &wantOIDC) ||
		!reflect.DeepEqual(r.Actions[1].AuthenticateCognito, &wantCognito) || r.Actions[2].TargetGroupARN() != f.green.ID {
		t.Errorf("actions %+v", r.Actions)
	}
	// Keeping the secret it has.
	_, err = f.elb.ModifyRule(f.ctx, alice, r.ID, RuleInput{Actions: []ActionInput{
		{Type: ActionAuthenticateOIDC, Order: ptr(int32(1)), AuthenticateOIDC: &AuthenticateOIDCInput{AuthenticateOIDCAction: oidc, UseExistingClientSecret: true}},
		{Type: ActionForward, TargetGroupARN: f.green.ID, Order: ptr(int32(2))},
	}})
	f.must(err)
	for _, tc := range []struct {
		name    string
		actions []ActionInput
		reason  cloud.Reason
		kind    cloud.Kind
		msg     string
	}{
		{"no secret", []ActionInput{{Type: ActionAuthenticateOIDC, Order: ptr(int32(1)), AuthenticateOIDC: &AuthenticateOIDCInput{AuthenticateOIDCAction: oidc}}, {Type: ActionForward, TargetGroupARN: f.green.ID, Order: ptr(int32(2))}},
			cloud.InvalidParameter, "", "A client secret must be specified"},
		{"no OIDC configuration", []ActionInput{{Type: ActionAuthenticateOIDC, Order: ptr(int32(1))}, {Type: ActionForward, TargetGroupARN: f.green.ID, Order: ptr(int32(2))}},
			cloud.InvalidParameter, "", "OIDC authentication configuration must be specified for actions of type 'authenticate-oidc'"},
		{"no Cognito configuration", []ActionInput{{Type: ActionAuthenticateCognito, Order: ptr(int32(1))}, {Type: ActionForward, TargetGroupARN: f.green.ID, Order: ptr(int32(2))}},
			cloud.InvalidParameter, "", "A Cognito authentication configuration must be specified"},
		{"authenticate last", []ActionInput{{Type: ActionForward, TargetGroupARN: f.green.ID, Order: ptr(int32(1))}, {Type: ActionAuthenticateCognito, Order: ptr(int32(2)), AuthenticateCognito: &cognito}},
			cloud.InvalidParameter, "action", "must be the last action of a rule"},
		{"authenticate only", []ActionInput{{Type: ActionAuthenticateCognito, AuthenticateCognito: &cognito}},
			cloud.InvalidParameter, "action", "A rule must have a forward, redirect or fixed-response action"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.elb.ModifyRule(f.ctx, alice, r.ID, RuleInput{Actions: tc.actions})
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
}
