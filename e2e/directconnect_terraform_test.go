package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/dxcontrol"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestTerraformDirectConnect: aws_dx_connection, aws_dx_lag (which deletes
// the connection CreateLag made), aws_dx_gateway, aws_dx_private_virtual_
// interface, aws_dx_bgp_peer, aws_vpn_gateway (attached through vpc_id),
// aws_dx_gateway_association, aws_route_table's propagating_vgws and
// aws_vpn_gateway_route_propagation apply, show no drift (also once on
// premises advertises prefixes over the VIF and the tables show them as
// propagated routes), and destroy leaving no Direct Connect or EC2
// resource. Across accounts, the customer (account B) proposes its
// virtual private gateway to A's Direct Connect gateway (aws_dx_gateway_
// association_proposal) and A accepts (aws_dx_gateway_association with
// proposal_id); A allocates a hosted private VIF on its connection to B
// (aws_dx_hosted_private_virtual_interface), which B accepts on its
// gateway (…_accepter).
func TestTerraformDirectConnect(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	dx := emulatortest.DirectConnect(e, accountA, region)
	tf := newTerraform(t, "direct-connect", e.URL())
	x := emulatortest.EC2(e, accountA, region)
	tf.lifecycle(x, func() {
		checkDirectConnectCost(t, e.URL(), tf.dir)
		var out struct {
			Connection struct{ ID, ARN, Device string }
			Lag        struct{ ID, ARN string }
			GatewayID  string `json:"gateway_id"`
			VIF        struct {
				ID, ARN         string
				AmazonAddress   string `json:"amazon_address"`
				CustomerAddress string `json:"customer_address"`
				AmazonSideASN   string `json:"amazon_side_asn"`
			}
			BGPPeer struct {
				ID        string
				BGPStatus string `json:"bgp_status"`
			} `json:"bgp_peer"`
			Association struct {
				ID              string
				AssociatedType  string `json:"associated_type"`
				AssociatedOwner string `json:"associated_owner_id"`
				VGWID           string `json:"vgw_id"`
			}
			RouteTables struct{ Propagated, Apps string } `json:"route_tables"`
			Customer    struct {
				Account         string
				VGWID           string   `json:"vgw_id"`
				ProposalID      string   `json:"proposal_id"`
				ProposalType    string   `json:"proposal_type"`
				AssociationID   string   `json:"association_id"`
				Associated      string   `json:"associated_gateway"`
				AllowedPrefixes []string `json:"allowed_prefixes"`
				HostedVIFID     string   `json:"hosted_vif_id"`
				HostedVIFARN    string   `json:"hosted_vif_arn"`
				AccepterARN     string   `json:"accepter_arn"`
			}
		}
		tf.outputs(&out)
		if out.Connection.ARN != "arn:aws:directconnect:us-east-1:"+accountA+":dxcon/"+out.Connection.ID || !strings.HasPrefix(out.Connection.Device, "EqDC2-") {
			t.Errorf("connection %+v", out.Connection)
		}
		if out.VIF.ARN != "arn:aws:directconnect:us-east-1:"+accountA+":dxvif/"+out.VIF.ID || out.VIF.AmazonAddress != "169.254.0.1/30" ||
			out.VIF.CustomerAddress != "169.254.0.2/30" || out.VIF.AmazonSideASN != "64600" {
			t.Errorf("VIF %+v", out.VIF)
		}
		if !strings.HasPrefix(out.BGPPeer.ID, "dxpeer-") || out.BGPPeer.BGPStatus != "up" {
			t.Errorf("BGP peer %+v", out.BGPPeer)
		}
		if out.Association.AssociatedType != "virtualPrivateGateway" || out.Association.AssociatedOwner != accountA {
			t.Errorf("association %+v", out.Association)
		}
		as, err := dx.DescribeDirectConnectGatewayAssociations(t.Context(), &directconnect.DescribeDirectConnectGatewayAssociationsInput{AssociationId: &out.Association.ID})
		if err != nil || len(as.DirectConnectGatewayAssociations) != 1 || aws.ToString(as.DirectConnectGatewayAssociations[0].VirtualGatewayId) != out.Association.VGWID {
			t.Errorf("association %+v %v", as, err)
		}
		lags, err := dx.DescribeLags(t.Context(), &directconnect.DescribeLagsInput{LagId: &out.Lag.ID})
		if err != nil || len(lags.Lags) != 1 || lags.Lags[0].NumberOfConnections != 0 {
			t.Errorf("LAG %+v %v: the provider deletes the connection CreateLag made", lags, err)
		}
		tags, err := dx.DescribeTags(t.Context(), &directconnect.DescribeTagsInput{ResourceArns: []string{out.VIF.ARN}})
		if err != nil || len(tags.ResourceTags) != 1 || len(tags.ResourceTags[0].Tags) != 1 || aws.ToString(tags.ResourceTags[0].Tags[0].Value) != "corp" {
			t.Errorf("VIF tags %+v %v", tags, err)
		}

		checkCustomer(t, dx, emulatortest.DirectConnect(e, accountB, region), out.Customer.Account, out.Customer.VGWID,
			out.Customer.ProposalID, out.Customer.AssociationID, out.Customer.HostedVIFID)
		if out.Customer.ProposalType != "virtualPrivateGateway" || out.Customer.Associated != out.Customer.VGWID ||
			strings.Join(out.Customer.AllowedPrefixes, ",") != "10.31.0.0/16" ||
			out.Customer.HostedVIFARN != "arn:aws:directconnect:us-east-1:"+accountA+":dxvif/"+out.Customer.HostedVIFID ||
			out.Customer.AccepterARN != "arn:aws:directconnect:us-east-1:"+accountB+":dxvif/"+out.Customer.HostedVIFID {
			t.Errorf("customer %+v", out.Customer)
		}

		// On premises advertises: both tables show the prefixes as
		// propagated routes, and Terraform sees no change.
		control := &dxcontrol.Client{Endpoint: e.URL(), Region: region, Credentials: aws.Credentials{AccessKeyID: accountA, SecretAccessKey: emulatortest.Secret}}
		if _, err := control.Advertise(t.Context(), out.VIF.ID, []string{"192.168.0.0/16", "172.16.0.0/12"}); err != nil {
			t.Fatal(err)
		}
		rts, err := x.DescribeRouteTables(t.Context(), &ec2.DescribeRouteTablesInput{RouteTableIds: []string{out.RouteTables.Propagated, out.RouteTables.Apps}})
		if err != nil || len(rts.RouteTables) != 2 {
			t.Fatalf("route tables %+v %v", rts, err)
		}
		for _, rt := range rts.RouteTables {
			var propagated []string
			for _, r := range rt.Routes {
				if r.Origin == ec2types.RouteOriginEnableVgwRoutePropagation && aws.ToString(r.GatewayId) == out.Association.VGWID {
					propagated = append(propagated, aws.ToString(r.DestinationCidrBlock))
				}
			}
			if len(rt.PropagatingVgws) != 1 || aws.ToString(rt.PropagatingVgws[0].GatewayId) != out.Association.VGWID || strings.Join(propagated, ",") != "172.16.0.0/12,192.168.0.0/16" {
				t.Errorf("table %s: propagating %+v, propagated routes %v", aws.ToString(rt.RouteTableId), rt.PropagatingVgws, propagated)
			}
		}
		tf.expect(0, "plan", "-detailed-exitcode")
	})
	noDirectConnect(t, t.Context(), dx)
	noDirectConnect(t, t.Context(), emulatortest.DirectConnect(e, accountB, region))
	onlyDefaults(t, t.Context(), emulatortest.EC2(e, accountB, region))
	props, err := emulatortest.DirectConnect(e, accountB, region).DescribeDirectConnectGatewayAssociationProposals(t.Context(),
		&directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{})
	if err != nil || len(props.DirectConnectGatewayAssociationProposals) != 0 {
		t.Errorf("proposals left: %+v %v", props, err)
	}
}

// checkCustomer checks, through the API, the customer's side of the
// configuration: its proposal accepted, the owner's association with its
// gateway, and the hosted VIF it owns on the owner's connection, attached
// to its gateway and up, which both accounts see.
func checkCustomer(t *testing.T, owner, customer *directconnect.Client, account, vgw, proposal, association, vif string) {
	t.Helper()
	ps, err := customer.DescribeDirectConnectGatewayAssociationProposals(t.Context(), &directconnect.DescribeDirectConnectGatewayAssociationProposalsInput{ProposalId: &proposal})
	if err != nil || len(ps.DirectConnectGatewayAssociationProposals) != 1 || ps.DirectConnectGatewayAssociationProposals[0].ProposalState != "accepted" {
		t.Errorf("proposal %+v %v", ps, err)
	}
	as, err := owner.DescribeDirectConnectGatewayAssociations(t.Context(), &directconnect.DescribeDirectConnectGatewayAssociationsInput{AssociationId: &association})
	if err != nil || len(as.DirectConnectGatewayAssociations) != 1 {
		t.Fatalf("association %+v %v", as, err)
	}
	if a := as.DirectConnectGatewayAssociations[0]; a.AssociationState != "associated" || aws.ToString(a.AssociatedGateway.Id) != vgw ||
		aws.ToString(a.AssociatedGateway.OwnerAccount) != account || aws.ToString(a.DirectConnectGatewayOwnerAccount) != accountA {
		t.Errorf("association %+v %+v", a, a.AssociatedGateway)
	}
	for _, c := range []*directconnect.Client{owner, customer} {
		vifs, err := c.DescribeVirtualInterfaces(t.Context(), &directconnect.DescribeVirtualInterfacesInput{VirtualInterfaceId: &vif})
		if err != nil || len(vifs.VirtualInterfaces) != 1 {
			t.Fatalf("hosted VIF %+v %v", vifs, err)
		}
		if v := vifs.VirtualInterfaces[0]; aws.ToString(v.OwnerAccount) != account || aws.ToString(v.VirtualGatewayId) != vgw ||
			v.VirtualInterfaceState != "available" || v.Vlan != 102 || aws.ToString(v.AmazonAddress) != "169.254.10.1/30" {
			t.Errorf("hosted VIF %+v", v)
		}
	}
	tags, err := customer.DescribeTags(t.Context(), &directconnect.DescribeTagsInput{ResourceArns: []string{"arn:aws:directconnect:us-east-1:" + account + ":dxvif/" + vif}})
	if err != nil || len(tags.ResourceTags) != 1 || len(tags.ResourceTags[0].Tags) != 1 || aws.ToString(tags.ResourceTags[0].Tags[0].Value) != "customer" {
		t.Errorf("accepter's tags %+v %v", tags, err)
	}
}

// noDirectConnect checks that the account has no Direct Connect
// connection, LAG, gateway or virtual interface left.
func noDirectConnect(t *testing.T, ctx context.Context, c *directconnect.Client) {
	t.Helper()
	conns, err := c.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	if err != nil || len(conns.Connections) != 0 {
		t.Errorf("connections left: %+v %v", conns, err)
	}
	lags, err := c.DescribeLags(ctx, &directconnect.DescribeLagsInput{})
	if err != nil || len(lags.Lags) != 0 {
		t.Errorf("LAGs left: %+v %v", lags, err)
	}
	gws, err := c.DescribeDirectConnectGateways(ctx, &directconnect.DescribeDirectConnectGatewaysInput{})
	if err != nil || len(gws.DirectConnectGateways) != 0 {
		t.Errorf("gateways left: %+v %v", gws, err)
	}
	vifs, err := c.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{})
	if err != nil || len(vifs.VirtualInterfaces) != 0 {
		t.Errorf("virtual interfaces left: %+v %v", vifs, err)
	}
}
