package dataplane

import (
	"context"
	"strings"

	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/waiter"

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

// region is the region of the instance a nic plays, from its zone.
func (n *nic) region() string { return strings.TrimRight(n.view.Zone, "abcdefghijklmnopqrstuvwxyz") }

// serveService serves a connection to an AWS service's upstream: every
// request on it is asked of the engine with its action, resource and
// principal (the endpoint's policy decides), then forwarded or refused.
func (f *Fabric) serveService(from *nic, flow Flow, v Verdict, service string, r *tcp.ForwarderRequest) {
	var wq waiter.Queue
	ep, terr := r.CreateEndpoint(&wq)
	r.Complete(terr != nil)
	if terr != nil {
		return
	}
	lf := &liveFlow{info: flowInfo(flow, v), accounts: [2]string{v.owner(flow.Instance), ""}}
	defer f.flows.add(lf)()
	name := service + "." + from.region() + ".amazonaws.com"
	f.services.Serve(gonet.NewTCPConn(&wq, ep), service, name, flow.Dst.Port() == 443, func(req servicegate.Request) (bool, string) {
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
