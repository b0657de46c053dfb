package network

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Learned is what a virtual private gateway has learned from on premises,
// which the Direct Connect family above this one knows (it registers it):
// the prefixes advertised over BGP sessions that are up, through a private
// virtual interface attached to the gateway or to a Direct Connect gateway
// associated with it.
type Learned interface {
	// Prefixes are the IPv4 and IPv6 prefixes the gateway vgwID has
	// learned at now, each once, in order.
	Prefixes(tx cloud.StoreTx, now time.Time, vgwID string) ([]string, error)
}

// learned is the registered Learned; nil when no family feeds gateways.
var learned Learned

// RegisterLearned tells the network family who feeds virtual private
// gateways their routes.
func RegisterLearned(l Learned) { learned = l }

// LearnedPrefixes are the prefixes a virtual private gateway has learned
// at now (none when no family feeds gateways).
func LearnedPrefixes(tx cloud.StoreTx, now time.Time, vgwID string) ([]string, error) {
	if learned == nil {
		return nil, nil
	}
	return learned.Prefixes(tx, now, vgwID)
}

// propagate derives the table's propagated routes: one per prefix each
// propagating gateway attached to the table's VPC has learned, active.
// They are never stored: a session going down withdraws them on the next
// read. A table keeps a gateway it propagates from after a detach, as AWS
// does, but learns nothing through it.
func (rt *RouteTable) propagate(ts RouteTargets) error {
	rt.Propagated = nil
	for _, id := range rt.PropagatingVGWs {
		prefixes, err := ts.Learned(rt.VpcID, id)
		if err != nil {
			return err
		}
		for _, p := range prefixes {
			r := Route{GatewayID: id, Origin: OriginPropagated, State: "active"}
			if isIPv6(p) {
				continue // VGWs carry no IPv6 routes into route tables
			}
			r.DestinationCIDR = p
			rt.Propagated = append(rt.Propagated, r)
		}
	}
	return nil
}

func isIPv6(prefix string) bool { return strings.Contains(prefix, ":") }

// AllRoutes are the table's stored routes, then its propagated ones.
func (rt *RouteTable) AllRoutes() []Route {
	if len(rt.Propagated) == 0 {
		return rt.Routes
	}
	return append(slices.Clip(rt.Routes), rt.Propagated...)
}

// vgwLearned is what storeTargets answers for Learned: nothing through a
// gateway not attached to the VPC.
func vgwLearned(tx cloud.StoreTx, now time.Time, vpcID, vgwID string) ([]string, error) {
	g, err := OrNil(cloud.GetAny[VPNGateway](tx, vgwID))
	if g == nil || err != nil || g.AttachedVPC() != vpcID {
		return nil, err
	}
	return LearnedPrefixes(tx, now, vgwID)
}

// EnableVGWRoutePropagation lets a virtual private gateway attached to the
// table's VPC propagate the routes it learns into the table.
func (c *Service) EnableVGWRoutePropagation(ctx context.Context, who cloud.Caller, tableID, vgwID string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		rt, err := cloud.GetIn[RouteTable](t, tableID)
		if err != nil {
			return err
		}
		g, err := cloud.GetIn[VPNGateway](t, vgwID)
		if err != nil {
			return err
		}
		if g.AttachedVPC() != rt.VpcID {
			return cloud.Errorf(cloud.NotAttached, cloud.KindVPNGateway, "resource %s is not attached to network %s", g.ID, rt.VpcID)
		}
		if slices.Contains(rt.PropagatingVGWs, g.ID) {
			return nil
		}
		rt.PropagatingVGWs = append(rt.PropagatingVGWs, g.ID)
		return cloud.Put(t, rt)
	})
}

// DisableVGWRoutePropagation stops a gateway propagating routes into the
// table; its propagated routes go with it.
func (c *Service) DisableVGWRoutePropagation(ctx context.Context, who cloud.Caller, tableID, vgwID string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		rt, err := cloud.GetIn[RouteTable](t, tableID)
		if err != nil {
			return err
		}
		if _, err := cloud.GetIn[VPNGateway](t, vgwID); err != nil {
			return err
		}
		i := slices.Index(rt.PropagatingVGWs, vgwID)
		if i < 0 {
			return nil
		}
		rt.PropagatingVGWs = slices.Delete(rt.PropagatingVGWs, i, i+1)
		return cloud.Put(t, rt)
	})
}
