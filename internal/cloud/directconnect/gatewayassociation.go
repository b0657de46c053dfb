package directconnect

import (
	"context"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// The types of gateway a Direct Connect gateway associates with.
const (
	VirtualPrivateGateway = "virtualPrivateGateway"
	TransitGateway        = "transitGateway"
)

// GatewayAssociation ties a Direct Connect gateway to a virtual private
// gateway (of its owner's, or of another account through an accepted
// proposal). AllowedPrefixes filter what goes on premises: a VPC CIDR is
// advertised only when an allowed prefix covers it. Its record is global,
// owned by the Direct Connect gateway's owner; the associated gateway's
// owner sees it too.
type GatewayAssociation struct {
	cloud.Meta
	GatewayID        string
	AssociatedID     string
	AssociatedType   string
	AssociatedOwner  string
	AssociatedRegion string
	AllowedPrefixes  []string
	// State is associated once made; the calls answer associating,
	// updating and disassociating.
	State string
}

func (*GatewayAssociation) Kind() cloud.Kind { return cloud.KindDXGatewayAssociation }

func init() { cloud.RegisterType[GatewayAssociation]() }

func (a *GatewayAssociation) Keys() []cloud.Key {
	keys := []cloud.Key{gatewayKey(a.GatewayID), associatedKey(a.AssociatedID), accountKey(a.Owner)}
	if a.AssociatedOwner != a.Owner {
		keys = append(keys, accountKey(a.AssociatedOwner))
	}
	return keys
}

func associatedKey(id string) cloud.Key { return cloud.Key{Name: "dx-associated", Value: id} }

// seenBy reports whether the account sees the association.
func (a *GatewayAssociation) seenBy(account string) bool {
	return account == a.Owner || account == a.AssociatedOwner
}

// Advertised is what the association lets the Direct Connect gateway
// advertise on premises: each of the VPC's CIDRs that an allowed prefix
// covers (the same or wider).
func Advertised(allowed, vpcCIDRs []string) []string {
	var out []string
	for _, c := range vpcCIDRs {
		cidr, err := netip.ParsePrefix(c)
		if err != nil {
			continue
		}
		for _, a := range allowed {
			p, err := netip.ParsePrefix(a)
			if err == nil && p.Bits() <= cidr.Bits() && p.Contains(cidr.Addr()) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// maxVGWAssociations is how many virtual private gateways one Direct
// Connect gateway associates with (Direct Connect quotas).
const maxVGWAssociations = 20

// checkPrefixes checks allowed prefixes: CIDRs, each once, in their
// canonical form.
func checkPrefixes(prefixes []string) ([]string, error) {
	var out []string
	for _, s := range prefixes {
		p, err := netip.ParsePrefix(s)
		if err != nil || !p.Addr().Is4() && !p.Addr().Is6() {
			return nil, refuse("Allowed prefix %s is not a valid CIDR.", s)
		}
		if p.Masked() != p {
			return nil, refuse("Allowed prefix %s is not a valid CIDR: its host bits are set (%s).", s, p.Masked())
		}
		if !slices.Contains(out, p.String()) {
			out = append(out, p.String())
		}
	}
	return out, nil
}

// associable checks the gateway a Direct Connect gateway is to associate
// with: a virtual private gateway of account, attached to a VPC. A transit
// gateway is refused: vpcemu does not model AWS Transit Gateway.
func associable(t *cloud.Txn, id, account string) (*virtualGateway, error) {
	if strings.HasPrefix(id, cloud.Prefix(cloud.KindTransitGateway)) {
		return nil, cloud.Errorf(cloud.Unsupported, cloud.KindTransitGateway,
			"vpcemu does not model AWS Transit Gateway yet, so Direct Connect gateways cannot be associated with transit gateway %s; associate a virtual private gateway (vgw-…) instead.", id)
	}
	vgw, err := lookupVGW(t, id)
	if err != nil {
		return nil, err
	}
	if vgw.Owner != account {
		return nil, refuse("The VirtualGateway %s does not exist.", id)
	}
	if vgw.VPCID == "" {
		return nil, refuse("The VirtualGateway %s is not attached to a VPC.", id)
	}
	return vgw, nil
}

// associate associates g with vgw, or changes the prefixes of their
// association: the use case behind CreateDirectConnectGatewayAssociation
// and the acceptance of a proposal. Without prefixes, the VPC's CIDRs are
// allowed.
func associate(t *cloud.Txn, g *Gateway, vgw *virtualGateway, prefixes []string) (*GatewayAssociation, error) {
	prefixes, err := checkPrefixes(prefixes)
	if err != nil {
		return nil, err
	}
	if len(prefixes) == 0 {
		prefixes = vgw.VPCCIDRs
	}
	if err := mixes(t, g, Private); err != nil {
		return nil, err
	}
	existing, err := cloud.FindAny[GatewayAssociation](t, associatedKey(vgw.ID))
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return nil, refuse("The VirtualGateway %s is already associated with Direct Connect Gateway %s (association %s).", vgw.ID, existing[0].GatewayID, existing[0].ID)
	}
	n, err := t.Count(cloud.KindDXGatewayAssociation, gatewayKey(g.ID), maxVGWAssociations)
	if err != nil {
		return nil, err
	}
	if n >= maxVGWAssociations {
		return nil, refuse("Direct Connect Gateway %s has reached its limit of %d virtual private gateway associations.", g.ID, maxVGWAssociations)
	}
	a := &GatewayAssociation{
		Meta:      cloud.Meta{ID: newUUID(t), Owner: g.Owner},
		GatewayID: g.ID, AssociatedID: vgw.ID, AssociatedType: VirtualPrivateGateway,
		AssociatedOwner: vgw.Owner, AssociatedRegion: vgw.Region, AllowedPrefixes: prefixes, State: "associated",
	}
	return a, cloud.Put(t, a)
}

// with is the association in an answer's state.
func (a *GatewayAssociation) with(state string) *GatewayAssociation {
	out := *a
	out.State = state
	return &out
}

// CreateGatewayAssociation associates the caller's Direct Connect gateway
// with the caller's virtual private gateway; the answer says associating.
// Another account's gateway needs a proposal.
func (s *Service) CreateGatewayAssociation(ctx context.Context, who cloud.Caller, gatewayID, associatedID string, prefixes []string) (*GatewayAssociation, error) {
	var out *GatewayAssociation
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := ownGateway(t, gatewayID)
		if err != nil {
			return err
		}
		if associatedID == "" {
			return refuse("gatewayId or virtualGatewayId must be set.")
		}
		vgw, err := associable(t, associatedID, t.Scope.Account)
		if err != nil {
			return err
		}
		if vgw.Region != t.Scope.Region {
			return refuse("The VirtualGateway %s does not exist.", associatedID)
		}
		a, err := associate(t, g, vgw, prefixes)
		if err != nil {
			return err
		}
		out = a.with("associating")
		return nil
	})
	return out, err
}

// AssociationQuery selects associations; empty fields select any.
type AssociationQuery struct {
	AssociationID, GatewayID, AssociatedID string
}

// DescribeGatewayAssociations lists the associations the caller sees
// (of its Direct Connect gateways, or of its gateways) that match.
func (s *Service) DescribeGatewayAssociations(ctx context.Context, who cloud.Caller, q AssociationQuery) ([]*GatewayAssociation, error) {
	var out []*GatewayAssociation
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		var as []*GatewayAssociation
		var err error
		switch {
		case q.AssociationID != "":
			if !uuidShaped(q.AssociationID) {
				return refuse("Association ID has an invalid format.")
			}
			a, err := cloud.GetAny[GatewayAssociation](t, q.AssociationID)
			if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
				return nil
			}
			if err != nil {
				return err
			}
			as = []*GatewayAssociation{a}
		case q.GatewayID != "":
			as, err = cloud.FindAny[GatewayAssociation](t, gatewayKey(q.GatewayID))
		case q.AssociatedID != "":
			as, err = cloud.FindAny[GatewayAssociation](t, associatedKey(q.AssociatedID))
		default:
			as, err = cloud.FindAny[GatewayAssociation](t, accountKey(t.Scope.Account))
		}
		if err != nil {
			return err
		}
		for _, a := range as {
			if a.seenBy(t.Scope.Account) &&
				(q.GatewayID == "" || a.GatewayID == q.GatewayID) && (q.AssociatedID == "" || a.AssociatedID == q.AssociatedID) {
				out = append(out, a)
			}
		}
		return nil
	})
	return out, err
}

// UpdateGatewayAssociation adds and removes allowed prefixes of an
// association of the caller's Direct Connect gateway; the answer says
// updating.
func (s *Service) UpdateGatewayAssociation(ctx context.Context, who cloud.Caller, id string, add, remove []string) (*GatewayAssociation, error) {
	var out *GatewayAssociation
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		a, err := ownAssociation(t, id)
		if err != nil {
			return err
		}
		add, err := checkPrefixes(add)
		if err != nil {
			return err
		}
		remove, err := checkPrefixes(remove)
		if err != nil {
			return err
		}
		a.AllowedPrefixes = editPrefixes(a.AllowedPrefixes, add, remove)
		if err := cloud.Put(t, a); err != nil {
			return err
		}
		out = a.with("updating")
		return nil
	})
	return out, err
}

// editPrefixes is prefixes with add added and remove removed.
func editPrefixes(prefixes, add, remove []string) []string {
	out := slices.DeleteFunc(slices.Clone(prefixes), func(p string) bool { return slices.Contains(remove, p) })
	for _, p := range add {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// ownAssociation reads an association of the caller's Direct Connect
// gateway.
func ownAssociation(t *cloud.Txn, id string) (*GatewayAssociation, error) {
	if !uuidShaped(id) {
		return nil, refuse("Association ID has an invalid format.")
	}
	a, err := cloud.GetAny[GatewayAssociation](t, id)
	if err != nil {
		return nil, err
	}
	if a.Owner != t.Scope.Account {
		return nil, cloud.Missing(cloud.KindDXGatewayAssociation, id)
	}
	return a, nil
}

// DeleteGatewayAssociation removes an association, named by its id or by
// its Direct Connect gateway and virtual private gateway; the owner of
// either gateway may. The answer says disassociating.
func (s *Service) DeleteGatewayAssociation(ctx context.Context, who cloud.Caller, id, gatewayID, vgwID string) (*GatewayAssociation, error) {
	var out *GatewayAssociation
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		var a *GatewayAssociation
		switch {
		case id != "":
			if !uuidShaped(id) {
				return refuse("Association ID has an invalid format.")
			}
			var err error
			if a, err = cloud.GetAny[GatewayAssociation](t, id); err != nil {
				return err
			}
		case gatewayID != "" && vgwID != "":
			as, err := cloud.FindAny[GatewayAssociation](t, associatedKey(vgwID))
			if err != nil {
				return err
			}
			for _, x := range as {
				if x.GatewayID == gatewayID {
					a = x
				}
			}
			if a == nil {
				return refuse("The association between Direct Connect Gateway %s and %s does not exist.", gatewayID, vgwID)
			}
		default:
			return refuse("associationId, or directConnectGatewayId and virtualGatewayId, must be set.")
		}
		if !a.seenBy(t.Scope.Account) {
			return cloud.Missing(cloud.KindDXGatewayAssociation, a.ID)
		}
		out = a.with("disassociating")
		return cloud.Remove(t, a)
	})
	return out, err
}

// uuidShaped reports whether id looks like the UUIDs Direct Connect names
// associations, proposals and gateways with.
func uuidShaped(id string) bool {
	if len(id) != 36 {
		return false
	}
	for i, r := range id {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}
