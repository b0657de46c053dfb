package directconnect

import (
	"slices"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// TestProposal: bob proposes that alice's gateway associate with his
// virtual private gateway; alice accepts it with prefixes of her own; a
// second proposal changes the association's prefixes; bob withdraws it.
func TestProposal(t *testing.T) {
	s, _ := newService(t, 0)
	g := gateway(t, s, alice)
	vgw := attachedVGW(t, s, bob, "10.9.0.0/16")
	propose := func(add ...string) (*ProposalView, error) {
		return s.CreateProposal(ctx, bob, NewProposal{GatewayID: g.ID, GatewayOwner: alice.Account, AssociatedID: vgw, Add: add})
	}
	for _, tt := range []struct {
		in  NewProposal
		r   cloud.Reason
		msg string
	}{
		{NewProposal{GatewayID: g.ID, GatewayOwner: bob.Account, AssociatedID: vgw}, cloud.NotFound, "Direct Connect Gateway " + g.ID + " does not exist."},
		{NewProposal{GatewayID: g.ID, GatewayOwner: "alice", AssociatedID: vgw}, cloud.InvalidParameter, "not a valid AWS account ID"},
		{NewProposal{GatewayID: g.ID, GatewayOwner: alice.Account, AssociatedID: "tgw-0123456789abcdef0"}, cloud.Unsupported, "Transit Gateway"},
		{NewProposal{GatewayID: g.ID, GatewayOwner: alice.Account, AssociatedID: vgw, Add: []string{"nope"}}, cloud.InvalidParameter, "is not a valid CIDR"},
	} {
		_, err := s.CreateProposal(ctx, bob, tt.in)
		refused(t, err, tt.r, tt.msg)
	}
	_, err := s.CreateProposal(ctx, alice, NewProposal{GatewayID: g.ID, GatewayOwner: alice.Account, AssociatedID: vgw})
	refused(t, err, cloud.InvalidParameter, "The VirtualGateway "+vgw+" does not exist.")

	p := must[*ProposalView](t)(propose("10.9.0.0/16"))
	if p.State != "requested" || p.Owner != bob.Account || !slices.Equal(p.Requested, []string{"10.9.0.0/16"}) || len(p.Existing) != 0 {
		t.Fatalf("proposed %+v", p)
	}
	for _, who := range []cloud.Caller{alice, bob} {
		for _, q := range []ProposalQuery{{ProposalID: p.ID}, {GatewayID: g.ID}, {AssociatedID: vgw}, {}} {
			ps := must[[]*ProposalView](t)(s.DescribeProposals(ctx, who, q))
			if len(ps) != 1 || ps[0].ID != p.ID {
				t.Errorf("%s %+v: %+v", who.Account, q, ps)
			}
		}
	}
	carol := cloud.Caller{Account: "333333333333", Region: "us-east-1"}
	if ps := must[[]*ProposalView](t)(s.DescribeProposals(ctx, carol, ProposalQuery{ProposalID: p.ID})); len(ps) != 0 {
		t.Errorf("carol sees %+v", ps)
	}
	if ps := must[[]*ProposalView](t)(s.DescribeProposals(ctx, bob, ProposalQuery{ProposalID: "00000000-0000-4000-8000-000000000000"})); len(ps) != 0 {
		t.Errorf("an unknown proposal: %+v", ps)
	}

	_, err = s.AcceptProposal(ctx, bob, g.ID, p.ID, bob.Account, nil)
	refused(t, err, cloud.NotFound, "Direct Connect Gateway "+g.ID+" does not exist.")
	_, err = s.AcceptProposal(ctx, alice, g.ID, p.ID, carol.Account, nil)
	refused(t, err, cloud.NotFound, "Direct Connect Gateway Association Proposal "+p.ID+" does not exist.")
	_, err = s.AcceptProposal(ctx, alice, g.ID, p.ID, bob.Account, []string{"bad"})
	refused(t, err, cloud.InvalidParameter, "Allowed prefix bad is not a valid CIDR")
	a := must[*GatewayAssociation](t)(s.AcceptProposal(ctx, alice, g.ID, p.ID, bob.Account, []string{"10.9.0.0/17"}))
	if a.State != "associating" || a.Owner != alice.Account || a.AssociatedOwner != bob.Account || !slices.Equal(a.AllowedPrefixes, []string{"10.9.0.0/17"}) {
		t.Fatalf("accepted %+v", a)
	}
	_, err = s.AcceptProposal(ctx, alice, g.ID, p.ID, bob.Account, nil)
	refused(t, err, cloud.InvalidParameter, "Direct Connect Gateway Association Proposal has been accepted!")
	// Both accounts see the association; bob, by his gateway.
	if as := must[[]*GatewayAssociation](t)(s.DescribeGatewayAssociations(ctx, bob, AssociationQuery{AssociatedID: vgw})); len(as) != 1 || as[0].ID != a.ID {
		t.Errorf("bob sees %+v", as)
	}
	if ps := must[[]*ProposalView](t)(s.DescribeProposals(ctx, bob, ProposalQuery{ProposalID: p.ID})); len(ps) != 1 || ps[0].State != "accepted" ||
		!slices.Equal(ps[0].Existing, []string{"10.9.0.0/17"}) {
		t.Errorf("after acceptance %+v", ps)
	}

	// A second proposal changes the prefixes of the association.
	p2 := must[*ProposalView](t)(s.CreateProposal(ctx, bob, NewProposal{GatewayID: g.ID, GatewayOwner: alice.Account, AssociatedID: vgw,
		Add: []string{"10.9.0.0/16"}, Remove: []string{"10.9.0.0/17"}}))
	if !slices.Equal(p2.Existing, []string{"10.9.0.0/17"}) || !slices.Equal(p2.Requested, []string{"10.9.0.0/16"}) {
		t.Errorf("update proposal %+v", p2)
	}
	u := must[*GatewayAssociation](t)(s.AcceptProposal(ctx, alice, g.ID, p2.ID, bob.Account, nil))
	if u.State != "updating" || u.ID != a.ID || !slices.Equal(u.AllowedPrefixes, []string{"10.9.0.0/16"}) {
		t.Errorf("updated %+v", u)
	}
	_, err = s.DeleteProposal(ctx, alice, p2.ID)
	refused(t, err, cloud.NotFound, "does not exist")
	d := must[*ProposalView](t)(s.DeleteProposal(ctx, bob, p2.ID))
	if d.State != "deleted" {
		t.Errorf("deleted %+v", d)
	}
	if ps := must[[]*ProposalView](t)(s.DescribeProposals(ctx, bob, ProposalQuery{ProposalID: p2.ID})); len(ps) != 0 {
		t.Errorf("still listed %+v", ps)
	}
	// Bob, the gateway's owner, may disassociate.
	must[*GatewayAssociation](t)(s.DeleteGatewayAssociation(ctx, bob, a.ID, "", ""))

	// A proposal whose gateway went away cannot be accepted.
	p3 := must[*ProposalView](t)(propose())
	var vpc string
	err = s.View(ctx, bob, func(t *cloud.Txn) error {
		g, err := cloud.GetIn[network.VPNGateway](t, vgw)
		if err == nil {
			vpc = g.AttachedVPC()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := network.New(s.Cloud).DetachVPNGateway(ctx, bob, vgw, vpc); err != nil {
		t.Fatal(err)
	}
	_, err = s.AcceptProposal(ctx, alice, g.ID, p3.ID, bob.Account, nil)
	refused(t, err, cloud.InvalidParameter, "The Virtual Gateway in the Direct Connect Gateway Association Proposal "+p3.ID+" is not found")
}
