package directconnect_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulator"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// attachedVGW creates a VPC and a virtual private gateway attached to it,
// for account, through EC2.
func attachedVGW(t *testing.T, e *emulator.Emulator, account, cidr string) string {
	t.Helper()
	c := emulatortest.EC2(e, account, "us-east-1")
	vpc := ok[*ec2.CreateVpcOutput](t)(c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)}))
	vgw := ok[*ec2.CreateVpnGatewayOutput](t)(c.CreateVpnGateway(ctx, &ec2.CreateVpnGatewayInput{Type: ec2types.GatewayTypeIpsec1}))
	ok[*ec2.AttachVpnGatewayOutput](t)(c.AttachVpnGateway(ctx, &ec2.AttachVpnGatewayInput{VpcId: vpc.Vpc.VpcId, VpnGatewayId: vgw.VpnGateway.VpnGatewayId}))
	return aws.ToString(vgw.VpnGateway.VpnGatewayId)
}

// TestGatewayAssociationRoundTrip: an association of one's own virtual
// private gateway, and, across accounts, a proposal accepted with other
// prefixes, through the SDK.
func TestGatewayAssociationRoundTrip(t *testing.T) {
	e := emulatortest.Start(t)
	alice := emulatortest.DirectConnect(e, emulatortest.AccountA, "us-east-1")
	bob := emulatortest.DirectConnect(e, emulatortest.AccountB, "us-east-1")
	gw := ok[*directconnect.CreateDirectConnectGatewayOutput](t)(alice.CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("g")}))
	gwID := gw.DirectConnectGateway.DirectConnectGatewayId
	vgw := attachedVGW(t, e, emulatortest.AccountA, "10.0.0.0/16")
	vgws := ok[*directconnect.DescribeVirtualGatewaysOutput](t)(alice.DescribeVirtualGateways(ctx, &directconnect.DescribeVirtualGatewaysInput{}))
	if len(vgws.VirtualGateways) != 1 || aws.ToString(vgws.VirtualGateways[0].VirtualGatewayId) != vgw || aws.ToString(vgws.VirtualGateways[0].VirtualGatewayState) != "available" {
		t.Errorf("virtual gateways %+v", vgws.VirtualGateways)
	}

	a := ok[*directconnect.CreateDirectConnectGatewayAssociationOutput](t)(alice.CreateDirectConnectGatewayAssociation(ctx, &directconnect.CreateDirectConnectGatewayAssociationInput{
		DirectConnectGatewayId: gwID, VirtualGatewayId: &vgw}))
	as := a.DirectConnectGatewayAssociation
	if as.AssociationState != types.DirectConnectGatewayAssociationStateAssociating || aws.ToString(as.AssociatedGateway.Id) != vgw ||
		as.AssociatedGateway.Type != types.GatewayTypeVirtualPrivateGateway || aws.ToString(as.VirtualGatewayId) != vgw ||
		len(as.AllowedPrefixesToDirectConnectGateway) != 1 || aws.ToString(as.AllowedPrefixesToDirectConnectGateway[0].Cidr) != "10.0.0.0/16" {
		t.Fatalf("associated %+v", as)
	}
	got := ok[*directconnect.DescribeDirectConnectGatewayAssociationsOutput](t)(alice.DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{AssociationId: as.AssociationId}))
	if len(got.DirectConnectGatewayAssociations) != 1 || got.DirectConnectGatewayAssociations[0].AssociationState != types.DirectConnectGatewayAssociationStateAssociated {
		t.Errorf("described %+v", got.DirectConnectGatewayAssociations)
	}
	upd := ok[*directconnect.UpdateDirectConnectGatewayAssociationOutput](t)(alice.UpdateDirectConnectGatewayAssociation(ctx, &directconnect.UpdateDirectConnectGatewayAssociationInput{
		AssociationId: as.AssociationId, AddAllowedPrefixesToDirectConnectGateway: []types.RouteFilterPrefix{{Cidr: aws.String("10.0.0.0/8")}}}))
	if upd.DirectConnectGatewayAssociation.AssociationState != types.DirectConnectGatewayAssociationStateUpdating || len(upd.DirectConnectGatewayAssociation.AllowedPrefixesToDirectConnectGateway) != 2 {
		t.Errorf("updated %+v", upd.DirectConnectGatewayAssociation)
	}
	_, err := alice.CreateDirectConnectGatewayAssociation(ctx, &directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: gwID, GatewayId: aws.String("tgw-0123456789abcdef0"),
		AddAllowedPrefixesToDirectConnectGateway: []types.RouteFilterPrefix{{Cidr: aws.String("10.0.0.0/8")}}})
	wantError(t, err, "UnsupportedOperation", "vpcemu does not model AWS Transit Gateway yet")
	del := ok[*directconnect.DeleteDirectConnectGatewayAssociationOutput](t)(alice.DeleteDirectConnectGatewayAssociation(ctx, &directconnect.DeleteDirectConnectGatewayAssociationInput{AssociationId: as.AssociationId}))
	if del.DirectConnectGatewayAssociation.AssociationState != types.DirectConnectGatewayAssociationStateDisassociating {
		t.Errorf("deleted %+v", del.DirectConnectGatewayAssociation)
	}

	// Across accounts: bob proposes, alice accepts with her prefixes.
	bobs := attachedVGW(t, e, emulatortest.AccountB, "10.9.0.0/16")
	_, err = alice.CreateDirectConnectGatewayAssociation(ctx, &directconnect.CreateDirectConnectGatewayAssociationInput{DirectConnectGatewayId: gwID, VirtualGatewayId: &bobs})
	wantError(t, err, "DirectConnectClientException", "The VirtualGateway "+bobs+" does not exist.")
	p := ok[*directconnect.CreateDirectConnectGatewayAssociationProposalOutput](t)(bob.CreateDirectConnectGatewayAssociationProposal(ctx, &directconnect.CreateDirectConnectGatewayAssociationProposalInput{
		DirectConnectGatewayId: gwID, DirectConnectGatewayOwnerAccount: aws.String(emulatortest.AccountA), GatewayId: &bobs,
		AddAllowedPrefixesToDirectConnectGateway: []types.RouteFilterPrefix{{Cidr: aws.String("10.9.0.0/16")}}}))
	prop := p.DirectConnectGatewayAssociationProposal
	if prop.ProposalState != types.DirectConnectGatewayAssociationProposalStateRequested || aws.ToString(prop.AssociatedGateway.OwnerAccount) != emulatortest.AccountB ||
		len(prop.RequestedAllowedPrefixesToDirectConnectGateway) != 1 {
		t.Fatalf("proposed %+v", prop)
	}
	seen := ok[*directconnect.DescribeDirectConnectGatewayAssociationProposalsOutput](t)(alice.DescribeDirectConnectGatewayAssociationProposals(ctx, &directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{DirectConnectGatewayId: gwID}))
	if len(seen.DirectConnectGatewayAssociationProposals) != 1 {
		t.Errorf("alice sees %+v", seen.DirectConnectGatewayAssociationProposals)
	}
	acc := ok[*directconnect.AcceptDirectConnectGatewayAssociationProposalOutput](t)(alice.AcceptDirectConnectGatewayAssociationProposal(ctx, &directconnect.AcceptDirectConnectGatewayAssociationProposalInput{
		DirectConnectGatewayId: gwID, ProposalId: prop.ProposalId, AssociatedGatewayOwnerAccount: aws.String(emulatortest.AccountB),
		OverrideAllowedPrefixesToDirectConnectGateway: []types.RouteFilterPrefix{{Cidr: aws.String("10.9.0.0/17")}}}))
	if aws.ToString(acc.DirectConnectGatewayAssociation.AllowedPrefixesToDirectConnectGateway[0].Cidr) != "10.9.0.0/17" ||
		aws.ToString(acc.DirectConnectGatewayAssociation.VirtualGatewayOwnerAccount) != emulatortest.AccountB {
		t.Errorf("accepted %+v", acc.DirectConnectGatewayAssociation)
	}
	_, err = alice.AcceptDirectConnectGatewayAssociationProposal(ctx, &directconnect.AcceptDirectConnectGatewayAssociationProposalInput{
		DirectConnectGatewayId: gwID, ProposalId: prop.ProposalId, AssociatedGatewayOwnerAccount: aws.String(emulatortest.AccountB)})
	wantError(t, err, "DirectConnectClientException", "Direct Connect Gateway Association Proposal has been accepted!")
	bobSees := ok[*directconnect.DescribeDirectConnectGatewayAssociationsOutput](t)(bob.DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{
		DirectConnectGatewayId: gwID, AssociatedGatewayId: &bobs}))
	if len(bobSees.DirectConnectGatewayAssociations) != 1 {
		t.Errorf("bob sees %+v", bobSees.DirectConnectGatewayAssociations)
	}
	dp := ok[*directconnect.DeleteDirectConnectGatewayAssociationProposalOutput](t)(bob.DeleteDirectConnectGatewayAssociationProposal(ctx, &directconnect.DeleteDirectConnectGatewayAssociationProposalInput{ProposalId: prop.ProposalId}))
	if dp.DirectConnectGatewayAssociationProposal.ProposalState != types.DirectConnectGatewayAssociationProposalStateDeleted {
		t.Errorf("proposal deleted %+v", dp.DirectConnectGatewayAssociationProposal)
	}
}
