package directconnect

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Proposal is a request, by the owner of a virtual private gateway, that
// another account's Direct Connect gateway associate with it (or change
// the allowed prefixes of their association). The gateway's owner accepts
// it, possibly with prefixes of its own. Its record is the proposer's, in
// the proposer's region; the gateway's owner sees it too.
type Proposal struct {
	cloud.Meta
	GatewayID        string
	GatewayOwner     string
	AssociatedID     string
	AssociatedType   string
	AssociatedRegion string
	// Requested are the prefixes the association would allow.
	Requested []string
	State     string // requested, accepted
}

func (*Proposal) Kind() cloud.Kind { return cloud.KindDXProposal }

func init() { cloud.RegisterType[Proposal]() }

func (p *Proposal) Keys() []cloud.Key {
	return []cloud.Key{gatewayKey(p.GatewayID), associatedKey(p.AssociatedID), accountKey(p.Owner), accountKey(p.GatewayOwner)}
}

func (p *Proposal) seenBy(account string) bool {
	return account == p.Owner || account == p.GatewayOwner
}

// ProposalView is a proposal as the API shows it, with the prefixes the
// association it would change allows now.
type ProposalView struct {
	*Proposal
	Existing []string
}

// view adds the existing association's prefixes.
func (p *Proposal) view(t *cloud.Txn) (*ProposalView, error) {
	a, err := associationOf(t, p.GatewayID, p.AssociatedID)
	if err != nil {
		return nil, err
	}
	v := &ProposalView{Proposal: p}
	if a != nil {
		v.Existing = a.AllowedPrefixes
	}
	return v, nil
}

// associationOf is the association between a Direct Connect gateway and a
// gateway, or nil.
func associationOf(t *cloud.Txn, gatewayID, associatedID string) (*GatewayAssociation, error) {
	as, err := cloud.FindAny[GatewayAssociation](t, associatedKey(associatedID))
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if a.GatewayID == gatewayID {
			return a, nil
		}
	}
	return nil, nil
}

// NewProposal is what CreateDirectConnectGatewayAssociationProposal asks
// for.
type NewProposal struct {
	GatewayID, GatewayOwner string
	AssociatedID            string
	Add, Remove             []string
}

// CreateProposal proposes that another account's Direct Connect gateway
// associate with the caller's virtual private gateway, or change the
// prefixes of their association.
func (s *Service) CreateProposal(ctx context.Context, who cloud.Caller, in NewProposal) (*ProposalView, error) {
	if err := checkAccount(in.GatewayOwner); err != nil {
		return nil, err
	}
	var out *ProposalView
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := cloud.GetAny[Gateway](t, in.GatewayID)
		if err != nil {
			return err
		}
		if g.Owner != in.GatewayOwner {
			return cloud.Missing(cloud.KindDXGateway, in.GatewayID)
		}
		vgw, err := associable(t, in.AssociatedID, t.Scope.Account)
		if err != nil {
			return err
		}
		if vgw.Region != t.Scope.Region {
			return refuse("The VirtualGateway %s does not exist.", in.AssociatedID)
		}
		add, err := checkPrefixes(in.Add)
		if err != nil {
			return err
		}
		remove, err := checkPrefixes(in.Remove)
		if err != nil {
			return err
		}
		a, err := associationOf(t, g.ID, vgw.ID)
		if err != nil {
			return err
		}
		var existing []string
		if a != nil {
			existing = a.AllowedPrefixes
		} else if other, err := cloud.FindAny[GatewayAssociation](t, associatedKey(vgw.ID)); err != nil {
			return err
		} else if len(other) > 0 {
			return refuse("The VirtualGateway %s is already associated with Direct Connect Gateway %s.", vgw.ID, other[0].GatewayID)
		}
		p := &Proposal{
			Meta:      cloud.Meta{ID: newUUID(t), Owner: t.Scope.Account, Region: t.Scope.Region},
			GatewayID: g.ID, GatewayOwner: g.Owner, AssociatedID: vgw.ID, AssociatedType: VirtualPrivateGateway,
			AssociatedRegion: vgw.Region, Requested: editPrefixes(existing, add, remove), State: "requested",
		}
		if err := cloud.Put(t, p); err != nil {
			return err
		}
		out = &ProposalView{Proposal: p, Existing: existing}
		return nil
	})
	return out, err
}

// ProposalQuery selects proposals; empty fields select any.
type ProposalQuery struct {
	ProposalID, GatewayID, AssociatedID string
}

// DescribeProposals lists the proposals the caller made or was made. One
// that does not exist is no error: AWS lists none.
func (s *Service) DescribeProposals(ctx context.Context, who cloud.Caller, q ProposalQuery) ([]*ProposalView, error) {
	var out []*ProposalView
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		var ps []*Proposal
		var err error
		switch {
		case q.ProposalID != "":
			p, err := cloud.GetAny[Proposal](t, q.ProposalID)
			if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
				return nil
			}
			if err != nil {
				return err
			}
			ps = []*Proposal{p}
		case q.GatewayID != "":
			ps, err = cloud.FindAny[Proposal](t, gatewayKey(q.GatewayID))
		case q.AssociatedID != "":
			ps, err = cloud.FindAny[Proposal](t, associatedKey(q.AssociatedID))
		default:
			ps, err = cloud.FindAny[Proposal](t, accountKey(t.Scope.Account))
		}
		if err != nil {
			return err
		}
		for _, p := range ps {
			if !p.seenBy(t.Scope.Account) || q.GatewayID != "" && p.GatewayID != q.GatewayID || q.AssociatedID != "" && p.AssociatedID != q.AssociatedID {
				continue
			}
			v, err := p.view(t)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// AcceptProposal is the Direct Connect gateway's owner accepting a
// proposal: the association is made (or its prefixes changed) with the
// prefixes proposed, or those the owner gives instead. The answer says
// associating (or updating).
func (s *Service) AcceptProposal(ctx context.Context, who cloud.Caller, gatewayID, proposalID, proposer string, override []string) (*GatewayAssociation, error) {
	var out *GatewayAssociation
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		g, err := ownGateway(t, gatewayID)
		if err != nil {
			return err
		}
		p, err := cloud.GetAny[Proposal](t, proposalID)
		if err != nil {
			return err
		}
		if p.GatewayID != g.ID || p.Owner != proposer {
			return cloud.Missing(cloud.KindDXProposal, proposalID)
		}
		if p.State == "accepted" {
			return refuse("Direct Connect Gateway Association Proposal has been accepted!")
		}
		prefixes := p.Requested
		if override != nil {
			if prefixes, err = checkPrefixes(override); err != nil {
				return err
			}
		}
		vgw, err := lookupVGW(t, p.AssociatedID)
		if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound || err == nil && (vgw.Owner != p.Owner || vgw.VPCID == "") {
			return refuse("The Virtual Gateway in the Direct Connect Gateway Association Proposal %s is not found", p.ID)
		}
		if err != nil {
			return err
		}
		a, err := associationOf(t, g.ID, vgw.ID)
		if err != nil {
			return err
		}
		if a != nil {
			if prefixes, err = checkPrefixes(prefixes); err != nil {
				return err
			}
			a.AllowedPrefixes = prefixes
			if err := cloud.Put(t, a); err != nil {
				return err
			}
			out = a.with("updating")
		} else {
			if a, err = associate(t, g, vgw, prefixes); err != nil {
				return err
			}
			out = a.with("associating")
		}
		p.State = "accepted"
		return cloud.Put(t, p)
	})
	return out, err
}

// DeleteProposal withdraws a proposal the caller made; the answer says
// deleted.
func (s *Service) DeleteProposal(ctx context.Context, who cloud.Caller, id string) (*ProposalView, error) {
	var out *ProposalView
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		p, err := cloud.GetAny[Proposal](t, id)
		if err != nil {
			return err
		}
		if p.Owner != t.Scope.Account {
			return cloud.Missing(cloud.KindDXProposal, id)
		}
		if out, err = p.view(t); err != nil {
			return err
		}
		answer := *p
		answer.State = "deleted"
		out.Proposal = &answer
		return cloud.Remove(t, p)
	})
	return out, err
}
