package reach

import (
	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/policy"
)

// endpointPolicy checks the request the query asks about (Action on
// Resource by Principal) against the policy of an endpoint on the path,
// with the context AWS gives requests through an endpoint: aws:SourceVpc,
// aws:SourceVpce and aws:VpcSourceIp (aws:SourceIp is not set for them).
// An explicit deny wins over any allow; no allow is an implicit deny.
func (w *walker) endpointPolicy(e *netview.NetEndpoint, p packet) bool {
	q := w.pl.q
	if w.back || q.Action == "" || e.Policy == nil {
		return true
	}
	req := policy.Request{
		Principal: w.pl.principal(),
		Action:    q.Action,
		Resource:  q.Resource,
		Context: map[string][]string{
			"aws:SourceVpc":   {e.VpcID},
			"aws:SourceVpce":  {e.ID},
			"aws:VpcSourceIp": {p.src.String()},
		},
	}
	r := policy.Evaluate(e.Policy, req)
	if r.Decision == policy.Allowed {
		return true
	}
	c := endpointComponent(e)
	w.block(Explanation{ExplanationCode: VpcemuVPCEPolicyRestriction, Component: c, VPCEndpoint: c, VPC: vpcComponent(e.VPC),
		PolicyDecision: r.Decision.String()})
	return false
}

// principal is who the query's request is made by: the Principal asked
// for (an ARN, or an account id), else the source's account.
func (pl *plan) principal() policy.Principal {
	switch p := pl.q.Principal; {
	case arn.IsAccount(p):
		return policy.Principal{Account: p}
	case p != "":
		return policy.Principal{ARN: p}
	}
	if n := pl.src.iface; n != nil {
		return policy.Principal{ARN: arn.Root(n.Owner), Account: n.Owner}
	}
	return policy.Principal{}
}
