package directconnect

import (
	"context"
	"net/netip"
	"slices"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// MaxAdvertised is how many prefixes a private virtual interface takes
// from on premises before AWS drops its BGP session (Direct Connect
// quotas: 100 routes per BGP session on a private VIF).
const MaxAdvertised = 100

// Advertise says which prefixes the customer's router advertises over a
// virtual interface's BGP sessions, replacing what it advertised before
// (none withdraws them all). This is the on-premises side of the world,
// which no AWS call reaches; the virtual private gateways behind the VIF
// learn the prefixes while its sessions are up. It answers the VIF as it
// now is.
func (s *Service) Advertise(ctx context.Context, who cloud.Caller, id string, prefixes []string) (*VirtualInterface, error) {
	var out *VirtualInterface
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		v, err := cloud.GetAny[VirtualInterface](t, id)
		if err != nil {
			return err
		}
		if v.Owner != t.Scope.Account && v.ConnectionOwner != t.Scope.Account || v.Region != t.Scope.Region {
			return cloud.Missing(cloud.KindDXVirtualInterface, id)
		}
		if v.Type != Private {
			return refuse("Virtual interface %s is %s: vpcemu takes advertised prefixes on private virtual interfaces only.", v.ID, v.Type)
		}
		if len(prefixes) > MaxAdvertised {
			return refuse("%d prefixes exceed the %d a private virtual interface accepts from on premises.", len(prefixes), MaxAdvertised)
		}
		var list []string
		for _, p := range prefixes {
			pfx, err := netip.ParsePrefix(p)
			if err != nil {
				return refuse("Prefix %s is not a valid CIDR.", p)
			}
			if pfx.Masked() != pfx {
				return refuse("Prefix %s is not a valid CIDR: its host bits are set (%s).", p, pfx.Masked())
			}
			if !slices.Contains(list, pfx.String()) {
				list = append(list, pfx.String())
			}
		}
		v.Advertised = list
		if err := cloud.Put(t, v); err != nil {
			return err
		}
		out, err = settledVIF(t, v)
		return err
	})
	return out, err
}

// Up reports whether the settled VIF carries routes: it is available and
// one of its BGP sessions is up.
func (v *VirtualInterface) Up() bool {
	return v.State == StateAvailable && slices.ContainsFunc(v.Peers, func(p BGPPeer) bool { return p.Status == "up" })
}

// Link is one virtual private gateway a private VIF reaches: directly
// (the VIF is attached to it) or through the VIF's Direct Connect gateway
// and an association, whose allowed prefixes filter which of the VPC's
// CIDRs go on premises.
type Link struct {
	VGWID string
	// AssociationID is "" for a VIF attached to the gateway directly,
	// which advertises all of the VPC's CIDRs.
	AssociationID   string
	AllowedPrefixes []string
}

// OnPremises is a private VIF as the reachability engine sees it: the
// VIF settled at some time, with the gateways behind it.
type OnPremises struct {
	VIF   *VirtualInterface
	Links []Link
}

// Link is the link to a virtual private gateway, or nil.
func (o *OnPremises) Link(vgwID string) *Link {
	for i := range o.Links {
		if o.Links[i].VGWID == vgwID {
			return &o.Links[i]
		}
	}
	return nil
}

// ReadOnPremises reads the private VIFs a scope sees, and those of other
// accounts that reach its virtual private gateways (through an accepted
// cross-account association), settled at now, with the virtual private
// gateways each reaches.
func ReadOnPremises(tx cloud.StoreTx, now time.Time, sc cloud.Scope) ([]*OnPremises, error) {
	t := &cloud.Txn{StoreTx: tx, Now: now, Scope: sc}
	vifs, err := cloud.FindAny[VirtualInterface](t, cloud.SeenByKey(sc))
	if err != nil {
		return nil, err
	}
	var vgws []string
	err = tx.Scan(cloud.KindVPNGateway, sc, "", func(r *cloud.Record) bool { vgws = append(vgws, r.ID); return true })
	if err != nil {
		return nil, err
	}
	for _, id := range vgws {
		more, err := vifsBehind(t, id)
		if err != nil {
			return nil, err
		}
		vifs = append(vifs, more...)
	}
	var out []*OnPremises
	seen := map[string]bool{}
	for _, v := range vifs {
		if v.Type != Private || v.State == StateConfirming || v.State == StateRejected || seen[v.ID] {
			continue
		}
		seen[v.ID] = true
		o, err := onPremises(t, v)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

func onPremises(t *cloud.Txn, v *VirtualInterface) (*OnPremises, error) {
	sv, err := settledVIF(t, v)
	if err != nil {
		return nil, err
	}
	o := &OnPremises{VIF: sv}
	if v.VGWID != "" {
		o.Links = []Link{{VGWID: v.VGWID}}
		return o, nil
	}
	if v.GatewayID == "" {
		return o, nil
	}
	assocs, err := cloud.FindAny[GatewayAssociation](t, gatewayKey(v.GatewayID))
	if err != nil {
		return nil, err
	}
	for _, a := range assocs {
		if a.AssociatedType == VirtualPrivateGateway && a.State == "associated" {
			o.Links = append(o.Links, Link{VGWID: a.AssociatedID, AssociationID: a.ID, AllowedPrefixes: a.AllowedPrefixes})
		}
	}
	return o, nil
}

// vifsBehind are the VIFs of any account attached to a virtual private
// gateway, or to a Direct Connect gateway associated with it.
func vifsBehind(t *cloud.Txn, vgwID string) ([]*VirtualInterface, error) {
	vifs, err := cloud.FindAny[VirtualInterface](t, vgwKey(vgwID))
	if err != nil {
		return nil, err
	}
	assocs, err := cloud.FindAny[GatewayAssociation](t, associatedKey(vgwID))
	if err != nil {
		return nil, err
	}
	for _, a := range assocs {
		if a.State != "associated" {
			continue
		}
		more, err := cloud.FindAny[VirtualInterface](t, gatewayKey(a.GatewayID))
		if err != nil {
			return nil, err
		}
		vifs = append(vifs, more...)
	}
	return vifs, nil
}

// learnedRoutes feeds the network family's virtual private gateways.
type learnedRoutes struct{}

func init() { network.RegisterLearned(learnedRoutes{}) }

// Prefixes are what the VIFs that are up advertise, attached to the
// gateway or to a Direct Connect gateway associated with it.
func (learnedRoutes) Prefixes(tx cloud.StoreTx, now time.Time, vgwID string) ([]string, error) {
	t := &cloud.Txn{StoreTx: tx, Now: now}
	vifs, err := vifsBehind(t, vgwID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, v := range vifs {
		if v.Type != Private || len(v.Advertised) == 0 {
			continue
		}
		sv, err := settledVIF(t, v)
		if err != nil {
			return nil, err
		}
		if !sv.Up() {
			continue
		}
		for _, p := range v.Advertised {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}
