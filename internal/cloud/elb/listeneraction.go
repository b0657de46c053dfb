package elb

import (
	"sort"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// The actions of a listener's rules: a listener's default actions (its
// default rule) and the actions of its other rules follow the same rules.

// Action is one action of a listener rule.
type Action struct {
	Type  string
	Order int32 `json:",omitempty"`
	// Forward actions: the groups and their weights (nil for a gateway
	// load balancer, which has none), and the stickiness between groups.
	ForwardGroups       []WeightedTargetGroup      `json:",omitempty"`
	Stickiness          *ForwardStickiness         `json:",omitempty"`
	Redirect            *RedirectAction            `json:",omitempty"`
	FixedResponse       *FixedResponseAction       `json:",omitempty"`
	AuthenticateOIDC    *AuthenticateOIDCAction    `json:",omitempty"`
	AuthenticateCognito *AuthenticateCognitoAction `json:",omitempty"`
}

// WeightedTargetGroup is a target group of a forward action.
type WeightedTargetGroup struct {
	ARN    string
	Weight *int32 `json:",omitempty"`
}

// ForwardStickiness is a forward action's stickiness between groups.
type ForwardStickiness struct {
	Enabled         bool
	DurationSeconds int32 `json:",omitempty"`
}

// RedirectAction is an application load balancer's redirect. A part not
// given keeps the request's (#{host}, /#{path}, …).
type RedirectAction struct {
	Host, Path, Port, Protocol, Query string `json:",omitempty"`
	StatusCode                        string
}

// FixedResponseAction is an application load balancer's fixed response.
type FixedResponseAction struct {
	ContentType, MessageBody string `json:",omitempty"`
	StatusCode               string
}

// Authentication is what the two authenticate actions share: the session
// they keep and what happens to a request without one.
type Authentication struct {
	Scope                    string
	SessionCookieName        string
	SessionTimeout           int64
	OnUnauthenticatedRequest string
	ExtraParams              map[string]string `json:",omitempty"`
}

// AuthenticateOIDCAction authenticates users through an OpenID Connect
// identity provider. Its client secret is not kept: AWS never returns it,
// and vpcemu talks to no identity provider.
type AuthenticateOIDCAction struct {
	Authentication
	Issuer, AuthorizationEndpoint, TokenEndpoint, UserInfoEndpoint, ClientID string
}

// AuthenticateCognitoAction authenticates users through an Amazon Cognito
// user pool.
type AuthenticateCognitoAction struct {
	Authentication
	UserPoolARN, UserPoolClientID, UserPoolDomain string
}

// Action types.
const (
	ActionForward             = "forward"
	ActionRedirect            = "redirect"
	ActionFixedResponse       = "fixed-response"
	ActionAuthenticateOIDC    = "authenticate-oidc"
	ActionAuthenticateCognito = "authenticate-cognito"
)

// final reports whether an action ends a rule (forward, redirect or
// fixed-response): each rule has exactly one, performed last.
func (a Action) final() bool {
	return a.Type == ActionForward || a.Type == ActionRedirect || a.Type == ActionFixedResponse
}

// TargetGroupARN is the group of a forward action with one group, which
// AWS also reports on its own.
func (a Action) TargetGroupARN() string {
	if a.Type == ActionForward && len(a.ForwardGroups) == 1 {
		return a.ForwardGroups[0].ARN
	}
	return ""
}

// forwardedGroups are the groups actions forward to, each once.
func forwardedGroups(actions []Action) []string {
	var arns []string
	for _, a := range actions {
		for _, g := range a.ForwardGroups {
			if !contains(arns, g.ARN) {
				arns = append(arns, g.ARN)
			}
		}
	}
	return arns
}

// ActionInput is an action as a request gives it: a forward action names
// its group directly, in a forward configuration, or both.
type ActionInput struct {
	Type                string
	Order               *int32
	TargetGroupARN      string
	ForwardGroups       []WeightedTargetGroup
	Stickiness          *ForwardStickiness
	Redirect            *RedirectAction
	FixedResponse       *FixedResponseAction
	AuthenticateOIDC    *AuthenticateOIDCInput
	AuthenticateCognito *AuthenticateCognitoAction
}

// AuthenticateOIDCInput is an OIDC action as a request gives it: with the
// client secret, or keeping the one the rule has.
type AuthenticateOIDCInput struct {
	AuthenticateOIDCAction
	ClientSecret            string
	UseExistingClientSecret bool
}

// AWS's defaults for what an authenticate action leaves out, as the API
// reference of AuthenticateOidcActionConfig and
// AuthenticateCognitoActionConfig gives them.
const (
	defaultAuthScope      = "openid"
	defaultAuthCookie     = "AWSELBAuthSessionCookie"
	defaultAuthTimeout    = 604800
	defaultUnauthenticate = "authenticate"
)

func (a *Authentication) fillDefaults() {
	if a.Scope == "" {
		a.Scope = defaultAuthScope
	}
	if a.SessionCookieName == "" {
		a.SessionCookieName = defaultAuthCookie
	}
	if a.SessionTimeout == 0 {
		a.SessionTimeout = defaultAuthTimeout
	}
	if a.OnUnauthenticatedRequest == "" {
		a.OnUnauthenticatedRequest = defaultUnauthenticate
	}
}

// checkActions checks the actions of one of listener l's rules (what is
// its default rule's: its default actions) against its load balancer. A
// network or gateway load balancer forwards, to one group; an application
// load balancer's rule ends with exactly one forward, redirect or
// fixed-response action, after any authenticate actions (HTTPS listeners
// only), in the order their Order values give. Source: "Rule action types"
// in the Application Load Balancers Guide.
func (l *Listener) checkActions(t *cloud.Txn, lb *LoadBalancer, in []ActionInput, what string) ([]Action, error) {
	if len(in) == 0 {
		return nil, cloud.InvalidParam("At least one %s must be specified", what)
	}
	if lb.Type != LBApplication {
		if len(in) > 1 {
			return nil, cloud.Errorf(cloud.LimitExceeded, "action", "A listener's default actions can hold only one forward, redirect or fixed-response action")
		}
		if in[0].Type != ActionForward {
			return nil, cloud.InvalidParam("Action type '%s' must be one of 'forward'", in[0].Type)
		}
	}
	var out []Action
	for _, a := range in {
		action, err := l.checkAction(t, lb, a)
		if err != nil {
			return nil, err
		}
		out = append(out, action)
	}
	return out, checkActionOrder(out)
}

// checkActionOrder sorts the actions of a rule by their Order and refuses
// an order the load balancer cannot follow.
func checkActionOrder(actions []Action) error {
	if len(actions) > 1 {
		seen := map[int32]bool{}
		for _, a := range actions {
			switch {
			case a.Order == 0:
				return cloud.InvalidParam("An order must be specified for each action of a rule with more than one action")
			case seen[a.Order]:
				return cloud.InvalidParam("Action order '%d' is used by more than one action", a.Order)
			}
			seen[a.Order] = true
		}
		sort.SliceStable(actions, func(i, j int) bool { return actions[i].Order < actions[j].Order })
	}
	finals := 0
	for _, a := range actions {
		if a.final() {
			finals++
		}
	}
	switch {
	case finals > 1:
		return cloud.Errorf(cloud.LimitExceeded, "action", "A rule can have only one forward, redirect or fixed-response action")
	case finals == 0:
		return cloud.Errorf(cloud.InvalidParameter, "action", "A rule must have a forward, redirect or fixed-response action")
	case !actions[len(actions)-1].final():
		return cloud.Errorf(cloud.InvalidParameter, "action", "The forward, redirect or fixed-response action must be the last action of a rule")
	}
	return nil
}

// checkAction checks one action and fills AWS's defaults.
func (l *Listener) checkAction(t *cloud.Txn, lb *LoadBalancer, a ActionInput) (Action, error) {
	out := Action{Type: a.Type}
	if a.Order != nil {
		out.Order = *a.Order
	}
	missing := func(config string) error {
		return cloud.InvalidParam("A %s configuration must be specified for actions of type '%s'", config, a.Type)
	}
	switch a.Type {
	case ActionForward:
		groups, err := l.forwardGroups(t, lb, a)
		if err != nil {
			return out, err
		}
		out.ForwardGroups, out.Stickiness = groups, a.Stickiness
		if lb.Type != LBGateway && out.Stickiness == nil {
			out.Stickiness = &ForwardStickiness{}
		}
		if st := out.Stickiness; st != nil && st.Enabled && (st.DurationSeconds < 1 || st.DurationSeconds > 604800) {
			return out, cloud.InvalidParam("The target group stickiness duration must be from 1 to 604800 seconds")
		}
	case ActionRedirect:
		if a.Redirect == nil {
			return out, missing("redirect")
		}
		r := *a.Redirect
		r.Host, r.Path, r.Port = valueOr(r.Host, "#{host}"), valueOr(r.Path, "/#{path}"), valueOr(r.Port, "#{port}")
		r.Protocol, r.Query = valueOr(r.Protocol, "#{protocol}"), valueOr(r.Query, "#{query}")
		out.Redirect = &r
	case ActionFixedResponse:
		if a.FixedResponse == nil {
			return out, missing("fixed response")
		}
		out.FixedResponse = a.FixedResponse
	case ActionAuthenticateOIDC, ActionAuthenticateCognito:
		if l.Protocol != "HTTPS" {
			return out, cloud.Errorf(cloud.InvalidParameter, "action", "Authenticate actions can be used only with HTTPS listeners")
		}
		if a.Type == ActionAuthenticateOIDC {
			if a.AuthenticateOIDC == nil {
				return out, missing("OIDC authentication")
			}
			if a.AuthenticateOIDC.ClientSecret == "" && !a.AuthenticateOIDC.UseExistingClientSecret {
				return out, cloud.InvalidParam("A client secret must be specified for actions of type 'authenticate-oidc'")
			}
			oidc := a.AuthenticateOIDC.AuthenticateOIDCAction
			oidc.fillDefaults()
			out.AuthenticateOIDC = &oidc
		} else {
			if a.AuthenticateCognito == nil {
				return out, missing("Cognito authentication")
			}
			cognito := *a.AuthenticateCognito
			cognito.fillDefaults()
			out.AuthenticateCognito = &cognito
		}
	default:
		return out, cloud.Errorf(cloud.InvalidParameter, "action", "vpcemu does not model actions of type '%s'; rules take forward, redirect, fixed-response, authenticate-oidc and authenticate-cognito actions", a.Type)
	}
	return out, nil
}

func valueOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// forwardGroups checks a forward action's target groups.
func (l *Listener) forwardGroups(t *cloud.Txn, lb *LoadBalancer, a ActionInput) ([]WeightedTargetGroup, error) {
	groups := a.ForwardGroups
	switch {
	case a.TargetGroupARN != "" && len(groups) == 0:
		groups = []WeightedTargetGroup{{ARN: a.TargetGroupARN}}
	case a.TargetGroupARN != "" && (len(groups) != 1 || groups[0].ARN != a.TargetGroupARN):
		return nil, cloud.InvalidParam("You cannot specify both a target group ARN and a forward configuration with other target groups")
	case len(groups) == 0:
		return nil, cloud.InvalidParam("A target group ARN must be specified for actions of type 'forward'")
	case lb.Type != LBApplication && len(groups) > 1:
		return nil, cloud.Errorf(cloud.LimitExceeded, "action", "You can specify only one target group for a forward action of a load balancer of type '%s'", lb.Type)
	case len(groups) > t.Limit("target-groups-per-action-on-application-load-balancer"):
		return nil, cloud.Errorf(cloud.LimitExceeded, "action", "You can specify at most %d target groups for a forward action", t.Limit("target-groups-per-action-on-application-load-balancer"))
	}
	var out []WeightedTargetGroup
	for _, wg := range groups {
		for _, seen := range out {
			if seen.ARN == wg.ARN {
				return nil, cloud.InvalidParam("Target group '%s' is specified more than once in a forward action", wg.ARN)
			}
		}
		if wg.Weight != nil && (*wg.Weight < 0 || *wg.Weight > 999) {
			return nil, cloud.InvalidParam("The weight of target group '%s' must be from 0 to 999", wg.ARN)
		}
		if err := l.checkTargetGroup(t, lb, wg.ARN); err != nil {
			return nil, err
		}
		if lb.Type != LBGateway && wg.Weight == nil {
			wg.Weight = new(int32(1))
		}
		out = append(out, wg)
	}
	return out, nil
}

// checkTargetGroup refuses a group the listener cannot forward to: of
// another VPC, another protocol or target type, or used by another load
// balancer.
func (l *Listener) checkTargetGroup(t *cloud.Txn, lb *LoadBalancer, arn string) error {
	if err := CheckELBARN(arn, cloud.KindTargetGroup); err != nil {
		return err
	}
	g, err := cloud.GetIn[TargetGroup](t, arn)
	if err != nil {
		return cloud.Errorf(cloud.NotFound, cloud.KindTargetGroup, "Target group '%s' not found", arn)
	}
	if err := g.Resolve(t); err != nil {
		return err
	}
	switch {
	case g.VpcID != "" && g.VpcID != lb.VpcID:
		return cloud.Errorf(cloud.InvalidConfiguration, "", "The target group '%s' is in VPC '%s', not in the load balancer's VPC '%s'", arn, g.VpcID, lb.VpcID)
	case g.TargetType == TargetLambda && lb.Type != LBApplication:
		return cloud.Errorf(cloud.InvalidConfiguration, "", "Target groups with target type 'lambda' can only be used with Application Load Balancers")
	case g.TargetType == TargetALB && (lb.Type != LBNetwork || l.Protocol != "TCP"):
		return cloud.Errorf(cloud.InvalidConfiguration, "", "Target groups with target type 'alb' can only be used with TCP listeners of Network Load Balancers")
	case g.TargetType != TargetLambda && !contains(tgProtocols[l.Protocol], g.Protocol):
		return cloud.Errorf(cloud.InvalidParameter, "protocols", "The listener and its associated target group '%s' have incompatible protocols", arn)
	}
	for _, other := range g.LoadBalancerARNs {
		if other != lb.ID {
			return cloud.Errorf(cloud.LimitExceeded, "association", "The following target groups cannot be associated with more than one load balancer: %s", arn)
		}
	}
	return nil
}
