package dataplane

import (
	"context"
	"net"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud/vpcdns"
	"github.com/vpcemu/vpcemu/internal/reach"
	"github.com/vpcemu/vpcemu/internal/servicegate"
)

// serviceEnd is the IAM prefix of the AWS service a carried path ends at
// (from an instance of region): through an endpoint (a gateway endpoint to
// S3, an interface endpoint to SQS…), or through an internet gateway to
// the service's public address, where no endpoint policy applies; "" for
// any other end.
func serviceEnd(v Verdict, region string) string {
	p := v.Result.ForwardPathComponents
	for i := len(p) - 1; i >= 0; i-- {
		if p[i].ServiceName != "" && p[i].Component != nil && strings.HasPrefix(p[i].Component.ID, "vpce-") {
			if strings.HasPrefix(p[i].ServiceName, "com.amazonaws.vpce.") {
				return "" // a provider's service: its targets are instances
			}
			return servicegate.IAMPrefix(p[i].ServiceName)
		}
	}
	if internetEnd(v) {
		if svc, ok := vpcdns.AWSServiceAt(region, v.Dst.Addr()); ok {
			return servicegate.IAMPrefix(svc)
		}
	}
	return ""
}

// regionOf is the region of a zone (us-east-1a: us-east-1).
func regionOf(zone string) string { return strings.TrimRight(zone, "abcdefghijklmnopqrstuvwxyz") }

// serveService serves a connection to an AWS service's upstream, from an
// instance of region: every request on it is asked of the engine with its
// action, resource and principal (the endpoint's policy decides), then
// forwarded or refused.
func (f *Fabric) serveService(c net.Conn, flow Flow, v Verdict, service, region string) {
	lf := &liveFlow{info: flowInfo(flow, v), accounts: [2]string{v.owner(flow.Instance), ""}}
	defer f.flows.add(lf)()
	name := service + "." + region + ".amazonaws.com"
	f.services.Serve(c, service, name, flow.Dst.Port() == 443, func(req servicegate.Request) (bool, string) {
		snap, err := f.decider.live.Current(context.Background())
		if err != nil {
			return false, "ImplicitDeny"
		}
		q := flow.query()
		q.Action, q.Resource, q.Principal = req.Action, req.Resource, req.Principal
		res := reach.Analyze(snap, q)
		if res.NetworkPathFound {
			return true, ""
		}
		if len(res.Explanations) > 0 && res.Explanations[0].PolicyDecision != "" {
			return false, res.Explanations[0].PolicyDecision
		}
		return false, "ImplicitDeny"
	})
}
