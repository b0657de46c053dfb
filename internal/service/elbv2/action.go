package elbv2

import (
	"fmt"
	"regexp"

	"github.com/vpcemu/vpcemu/internal/api/elbv2api"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// action renders an action: a forward action with one group names it on
// its own too, as AWS does. An OIDC action's client secret is never
// returned.
func action(a elb.Action) elbv2api.Action {
	out := elbv2api.Action{Type: new(a.Type), TargetGroupArn: optional.String(a.TargetGroupARN())}
	if a.Order != 0 {
		out.Order = new(a.Order)
	}
	if a.Type == elb.ActionForward {
		fc := &elbv2api.ForwardActionConfig{}
		for _, g := range a.ForwardGroups {
			fc.TargetGroups = append(fc.TargetGroups, elbv2api.TargetGroupTuple{TargetGroupArn: new(g.ARN), Weight: g.Weight})
		}
		if st := a.Stickiness; st != nil {
			fc.TargetGroupStickinessConfig = &elbv2api.TargetGroupStickinessConfig{Enabled: new(st.Enabled)}
			if st.DurationSeconds != 0 {
				fc.TargetGroupStickinessConfig.DurationSeconds = new(st.DurationSeconds)
			}
		}
		out.ForwardConfig = fc
	}
	if r := a.Redirect; r != nil {
		out.RedirectConfig = &elbv2api.RedirectActionConfig{Host: optional.String(r.Host), Path: optional.String(r.Path), Port: optional.String(r.Port),
			Protocol: optional.String(r.Protocol), Query: optional.String(r.Query), StatusCode: new(r.StatusCode)}
	}
	if f := a.FixedResponse; f != nil {
		out.FixedResponseConfig = &elbv2api.FixedResponseActionConfig{ContentType: optional.String(f.ContentType), MessageBody: optional.String(f.MessageBody), StatusCode: new(f.StatusCode)}
	}
	if o := a.AuthenticateOIDC; o != nil {
		out.AuthenticateOidcConfig = &elbv2api.AuthenticateOidcActionConfig{
			Issuer: new(o.Issuer), AuthorizationEndpoint: new(o.AuthorizationEndpoint), TokenEndpoint: new(o.TokenEndpoint),
			UserInfoEndpoint: new(o.UserInfoEndpoint), ClientId: new(o.ClientID),
			Scope: new(o.Scope), SessionCookieName: new(o.SessionCookieName), SessionTimeout: new(o.SessionTimeout),
			OnUnauthenticatedRequest: new(o.OnUnauthenticatedRequest), AuthenticationRequestExtraParams: o.ExtraParams,
		}
	}
	if c := a.AuthenticateCognito; c != nil {
		out.AuthenticateCognitoConfig = &elbv2api.AuthenticateCognitoActionConfig{
			UserPoolArn: new(c.UserPoolARN), UserPoolClientId: new(c.UserPoolClientID), UserPoolDomain: new(c.UserPoolDomain),
			Scope: new(c.Scope), SessionCookieName: new(c.SessionCookieName), SessionTimeout: new(c.SessionTimeout),
			OnUnauthenticatedRequest: new(c.OnUnauthenticatedRequest), AuthenticationRequestExtraParams: c.ExtraParams,
		}
	}
	return out
}

// Patterns and value sets of the model that the codec does not check.
var (
	fixedResponseStatus  = regexp.MustCompile(`^(2|4|5)\d\d$`)
	redirectProtocol     = regexp.MustCompile(`^(HTTPS?|#\{protocol\})$`)
	fixedResponseContent = []string{"text/plain", "text/css", "text/html", "application/javascript", "application/json"}
)

// checkPattern refuses a value that does not match a pattern of the
// model, as ELB's model validation words it.
func checkPattern(name string, v *string, re *regexp.Regexp) error {
	if v == nil || re.MatchString(*v) {
		return nil
	}
	return validationError("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", *v, name, re.String())
}

// checkAction runs the model's checks of one action, the list's nth
// ("actions.1.member"): its type, and the values a fixed response (status
// code 2XX, 4XX or 5XX; one of the five content types the API reference
// of FixedResponseActionConfig lists), a redirect and the authenticate
// actions take.
func checkAction(member string, a elbv2api.Action) error {
	at := func(field string) string { return member + "." + field }
	checks := []error{checkEnum(at("type"), a.Type, elbv2api.ActionTypeEnumValues)}
	if f := a.FixedResponseConfig; f != nil {
		checks = append(checks,
			checkPattern(at("fixedResponseConfig.statusCode"), f.StatusCode, fixedResponseStatus),
			checkEnum(at("fixedResponseConfig.contentType"), f.ContentType, fixedResponseContent))
	}
	if r := a.RedirectConfig; r != nil {
		checks = append(checks,
			checkPattern(at("redirectConfig.protocol"), r.Protocol, redirectProtocol),
			checkEnum(at("redirectConfig.statusCode"), r.StatusCode, elbv2api.RedirectActionStatusCodeEnumValues))
	}
	if o := a.AuthenticateOidcConfig; o != nil {
		checks = append(checks, checkEnum(at("authenticateOidcConfig.onUnauthenticatedRequest"), o.OnUnauthenticatedRequest,
			elbv2api.AuthenticateOidcActionConditionalBehaviorEnumValues))
	}
	if c := a.AuthenticateCognitoConfig; c != nil {
		checks = append(checks, checkEnum(at("authenticateCognitoConfig.onUnauthenticatedRequest"), c.OnUnauthenticatedRequest,
			elbv2api.AuthenticateCognitoActionConditionalBehaviorEnumValues))
	}
	return checkEnums(checks...)
}

// actionInputs converts wire actions, the list named list
// ("defaultActions"), to domain ones.
func actionInputs(list string, in []elbv2api.Action) ([]elb.ActionInput, error) {
	var out []elb.ActionInput
	for i, a := range in {
		if err := checkAction(fmt.Sprintf("%s.%d.member", list, i+1), a); err != nil {
			return nil, err
		}
		ai := elb.ActionInput{Type: optional.Value(a.Type), Order: a.Order, TargetGroupARN: optional.Value(a.TargetGroupArn)}
		if fc := a.ForwardConfig; fc != nil {
			for _, g := range fc.TargetGroups {
				ai.ForwardGroups = append(ai.ForwardGroups, elb.WeightedTargetGroup{ARN: optional.Value(g.TargetGroupArn), Weight: g.Weight})
			}
			if st := fc.TargetGroupStickinessConfig; st != nil {
				ai.Stickiness = &elb.ForwardStickiness{Enabled: optional.Value(st.Enabled), DurationSeconds: optional.Value(st.DurationSeconds)}
			}
		}
		if r := a.RedirectConfig; r != nil {
			ai.Redirect = &elb.RedirectAction{Host: optional.Value(r.Host), Path: optional.Value(r.Path), Port: optional.Value(r.Port), Protocol: optional.Value(r.Protocol), Query: optional.Value(r.Query), StatusCode: optional.Value(r.StatusCode)}
		}
		if f := a.FixedResponseConfig; f != nil {
			ai.FixedResponse = &elb.FixedResponseAction{ContentType: optional.Value(f.ContentType), MessageBody: optional.Value(f.MessageBody), StatusCode: optional.Value(f.StatusCode)}
		}
		if o := a.AuthenticateOidcConfig; o != nil {
			ai.AuthenticateOIDC = &elb.AuthenticateOIDCInput{
				AuthenticateOIDCAction: elb.AuthenticateOIDCAction{
					Authentication: authentication(o.Scope, o.SessionCookieName, o.SessionTimeout, o.OnUnauthenticatedRequest, o.AuthenticationRequestExtraParams),
					Issuer:         optional.Value(o.Issuer), AuthorizationEndpoint: optional.Value(o.AuthorizationEndpoint), TokenEndpoint: optional.Value(o.TokenEndpoint),
					UserInfoEndpoint: optional.Value(o.UserInfoEndpoint), ClientID: optional.Value(o.ClientId),
				},
				ClientSecret: optional.Value(o.ClientSecret), UseExistingClientSecret: optional.Value(o.UseExistingClientSecret),
			}
		}
		if c := a.AuthenticateCognitoConfig; c != nil {
			ai.AuthenticateCognito = &elb.AuthenticateCognitoAction{
				Authentication: authentication(c.Scope, c.SessionCookieName, c.SessionTimeout, c.OnUnauthenticatedRequest, c.AuthenticationRequestExtraParams),
				UserPoolARN:    optional.Value(c.UserPoolArn), UserPoolClientID: optional.Value(c.UserPoolClientId), UserPoolDomain: optional.Value(c.UserPoolDomain),
			}
		}
		out = append(out, ai)
	}
	return out, nil
}

func authentication(scope, cookie *string, timeout *int64, onUnauthenticated *string, extra map[string]string) elb.Authentication {
	return elb.Authentication{Scope: optional.Value(scope), SessionCookieName: optional.Value(cookie), SessionTimeout: optional.Value(timeout),
		OnUnauthenticatedRequest: optional.Value(onUnauthenticated), ExtraParams: extra}
}
