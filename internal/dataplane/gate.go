package dataplane

import (
	"context"
	"sync"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// gate says whether a carried connection's next packets still pass. The
// engine answered when the connection opened; when the state changes, the
// gate asks again. Security groups are stateful: a rule taken away does
// not cut a connection already tracked, so a block by a security group
// keeps it open. Anything else applies to the very next packet, as on AWS
// (a network ACL, a route, a peering connection deleted): the connection
// stalls, and its ends time out.
type gate struct {
	d    *Decider
	flow Flow
	mu   sync.Mutex
	snap *netview.Snapshot
	open bool
}

func newGate(d *Decider, flow Flow, snap *netview.Snapshot) *gate {
	return &gate{d: d, flow: flow, snap: snap, open: true}
}

// passes reports whether the connection's packets pass now.
func (g *gate) passes() bool {
	snap, err := g.d.live.Current(context.Background())
	if err != nil {
		return true // keep what was decided
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if snap == g.snap || !g.open {
		return g.open
	}
	g.snap = snap
	v, err := g.d.Decide(context.Background(), g.flow)
	if err == nil && !v.Allowed && !statefulBlock(v.Result) {
		g.open = false
	}
	return g.open
}

// stalled reports whether the gate has closed.
func (g *gate) stalled() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return !g.open
}

// statefulBlock reports whether what blocks a path is a security group,
// which lets a tracked connection's packets through anyway.
func statefulBlock(r reach.Result) bool {
	if len(r.Explanations) == 0 {
		return false
	}
	switch r.Explanations[0].ExplanationCode {
	case reach.ENISGRulesMismatch, reach.SGHasNoRules:
		return true
	}
	return false
}
