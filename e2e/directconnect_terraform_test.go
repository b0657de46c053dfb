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
// resource.
func TestTerraformDirectConnect(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	dx := emulatortest.DirectConnect(e, accountA, region)
	tf := newTerraform(t, "direct-connect", e.URL())
	x := emulatortest.EC2(e, accountA, region)
	tf.lifecycle(x, func() {
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
