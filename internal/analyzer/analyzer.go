// Package analyzer answers reachability questions about the live cloud: it
// takes a snapshot of what the caller can reach (its account and region,
// and across peerings and endpoint connections, the scopes they lead to)
// and runs the reachability engine on it. The Network Insights API and
// `vpcemu analyze` both ask here, so they give the engine's answer, and
// both read it in AWS's shapes through AnswerOf, the one mapping of the
// engine's result.
package analyzer

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// Analyze answers q as the caller sees the network now.
func Analyze(ctx context.Context, c *cloud.Cloud, who cloud.Caller, q reach.Query) (reach.Result, error) {
	snap, err := netview.Build(ctx, c, netview.SnapshotInput{
		Scopes:            []cloud.Scope{{Account: who.Account, Region: who.Region}},
		FollowConnections: true,
		Zones:             q.DestinationName != "",
	})
	if err != nil {
		return reach.Result{}, err
	}
	return reach.Analyze(snap, q), nil
}
