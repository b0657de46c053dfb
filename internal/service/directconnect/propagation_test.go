package directconnect_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/dxcontrol"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestVGWRoutePropagation: what on premises advertises over a private VIF
// reaches, through a Direct Connect gateway and its association, the
// route tables that propagate the VPC's virtual private gateway, as
// EnableVgwRoutePropagation routes; they go when the VIF goes down or
// propagation is disabled, and come back when it is up again.
func TestVGWRoutePropagation(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.DirectConnect(e, emulatortest.AccountA, "us-east-1")
	x := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	vpc := ok[*ec2.CreateVpcOutput](t)(x.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})).Vpc
	vgw := ok[*ec2.CreateVpnGatewayOutput](t)(x.CreateVpnGateway(ctx, &ec2.CreateVpnGatewayInput{Type: ec2types.GatewayTypeIpsec1})).VpnGateway
	rt := ok[*ec2.CreateRouteTableOutput](t)(x.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc.VpcId})).RouteTable

	_, err := x.EnableVgwRoutePropagation(ctx, &ec2.EnableVgwRoutePropagationInput{GatewayId: vgw.VpnGatewayId, RouteTableId: rt.RouteTableId})
	if code, _ := emulatortest.APIError(err); code != "Gateway.NotAttached" {
		t.Fatalf("enable before attaching: %v, want Gateway.NotAttached", err)
	}
	ok[*ec2.AttachVpnGatewayOutput](t)(x.AttachVpnGateway(ctx, &ec2.AttachVpnGatewayInput{VpcId: vpc.VpcId, VpnGatewayId: vgw.VpnGatewayId}))
	ok[*ec2.EnableVgwRoutePropagationOutput](t)(x.EnableVgwRoutePropagation(ctx, &ec2.EnableVgwRoutePropagationInput{GatewayId: vgw.VpnGatewayId, RouteTableId: rt.RouteTableId}))

	conn := ok[*directconnect.CreateConnectionOutput](t)(c.CreateConnection(ctx, &directconnect.CreateConnectionInput{
		Location: aws.String("EqDC2"), Bandwidth: aws.String("1Gbps"), ConnectionName: aws.String("c")}))
	gw := ok[*directconnect.CreateDirectConnectGatewayOutput](t)(c.CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("g")}))
	ok[*directconnect.CreateDirectConnectGatewayAssociationOutput](t)(c.CreateDirectConnectGatewayAssociation(ctx, &directconnect.CreateDirectConnectGatewayAssociationInput{
		DirectConnectGatewayId: gw.DirectConnectGateway.DirectConnectGatewayId, GatewayId: vgw.VpnGatewayId}))
	vif := ok[*directconnect.CreatePrivateVirtualInterfaceOutput](t)(c.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{
		ConnectionId: conn.ConnectionId, NewPrivateVirtualInterface: &types.NewPrivateVirtualInterface{
			VirtualInterfaceName: aws.String("p"), Vlan: 1, Asn: 65000, DirectConnectGatewayId: gw.DirectConnectGateway.DirectConnectGatewayId}}))
	vifID := aws.ToString(vif.VirtualInterfaceId)
	control := &dxcontrol.Client{Endpoint: e.URL(), Region: "us-east-1", Credentials: aws.Credentials{AccessKeyID: emulatortest.AccountA, SecretAccessKey: emulatortest.Secret}}

	// propagated lists the table's propagated routes as "cidr>gateway",
	// and checks the table still names the gateway.
	propagated := func() []string {
		t.Helper()
		out := ok[*ec2.DescribeRouteTablesOutput](t)(x.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{aws.ToString(rt.RouteTableId)}}))
		var got []string
		for _, r := range out.RouteTables[0].Routes {
			if r.Origin == ec2types.RouteOriginEnableVgwRoutePropagation {
				if r.State != ec2types.RouteStateActive {
					t.Errorf("propagated route %s is %s", aws.ToString(r.DestinationCidrBlock), r.State)
				}
				got = append(got, aws.ToString(r.DestinationCidrBlock)+">"+aws.ToString(r.GatewayId))
			}
		}
		return got
	}
	g := aws.ToString(vgw.VpnGatewayId)
	steps := []struct {
		name string
		do   func() error
		want []string
	}{
		{"nothing advertised", func() error { return nil }, nil},
		{"advertise", func() error {
			_, err := control.Advertise(ctx, vifID, []string{"192.168.0.0/16", "172.16.8.0/24"})
			return err
		}, []string{"172.16.8.0/24>" + g, "192.168.0.0/16>" + g}},
		{"VIF down", func() error { _, err := control.SetState(ctx, vifID, "down"); return err }, nil},
		{"VIF up", func() error { _, err := control.SetState(ctx, vifID, "available"); return err }, []string{"172.16.8.0/24>" + g, "192.168.0.0/16>" + g}},
		{"withdraw one", func() error { _, err := control.Advertise(ctx, vifID, []string{"192.168.0.0/16"}); return err }, []string{"192.168.0.0/16>" + g}},
		{"disable", func() error {
			_, err := x.DisableVgwRoutePropagation(ctx, &ec2.DisableVgwRoutePropagationInput{GatewayId: vgw.VpnGatewayId, RouteTableId: rt.RouteTableId})
			return err
		}, nil},
		{"enable again", func() error {
			_, err := x.EnableVgwRoutePropagation(ctx, &ec2.EnableVgwRoutePropagationInput{GatewayId: vgw.VpnGatewayId, RouteTableId: rt.RouteTableId})
			return err
		}, []string{"192.168.0.0/16>" + g}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := propagated(); !slices.Equal(got, st.want) {
			t.Errorf("%s: propagated %v, want %v", st.name, got, st.want)
		}
	}

	// A static route for the same prefix is stored beside the propagated
	// one, and the filters see propagated routes.
	ok[*ec2.CreateRouteOutput](t)(x.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt.RouteTableId, DestinationCidrBlock: aws.String("192.168.0.0/16"), GatewayId: vgw.VpnGatewayId}))
	byOrigin := ok[*ec2.DescribeRouteTablesOutput](t)(x.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{
		{Name: aws.String("route.origin"), Values: []string{"EnableVgwRoutePropagation"}}}}))
	if len(byOrigin.RouteTables) != 1 || len(byOrigin.RouteTables[0].PropagatingVgws) != 1 || aws.ToString(byOrigin.RouteTables[0].PropagatingVgws[0].GatewayId) != g {
		t.Errorf("filtered by origin: %+v", byOrigin.RouteTables)
	}
	if got := propagated(); !slices.Equal(got, []string{"192.168.0.0/16>" + g}) {
		t.Errorf("with a static route: propagated %v", got)
	}

	// Network Insights takes the gateway as a source, on premises behind it.
	sub := ok[*ec2.CreateSubnetOutput](t)(x.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24")})).Subnet
	ok[*ec2.AssociateRouteTableOutput](t)(x.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: rt.RouteTableId, SubnetId: sub.SubnetId}))
	sg := ok[*ec2.CreateSecurityGroupOutput](t)(x.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: vpc.VpcId, GroupName: aws.String("ssh"), Description: aws.String("ssh")}))
	ok[*ec2.AuthorizeSecurityGroupIngressOutput](t)(x.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId,
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), CidrIp: aws.String("192.168.0.0/16")}))
	inst := ok[*ec2.RunInstancesOutput](t)(x.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		SubnetId: sub.SubnetId, SecurityGroupIds: []string{aws.ToString(sg.GroupId)}})).Instances[0]
	path := ok[*ec2.CreateNetworkInsightsPathOutput](t)(x.CreateNetworkInsightsPath(ctx, &ec2.CreateNetworkInsightsPathInput{
		Source: vgw.VpnGatewayId, SourceIp: aws.String("192.168.1.10"), Destination: inst.InstanceId, Protocol: ec2types.ProtocolTcp, DestinationPort: aws.Int32(22)}))
	started := ok[*ec2.StartNetworkInsightsAnalysisOutput](t)(x.StartNetworkInsightsAnalysis(ctx, &ec2.StartNetworkInsightsAnalysisInput{
		NetworkInsightsPathId: path.NetworkInsightsPath.NetworkInsightsPathId}))
	analyses := ok[*ec2.DescribeNetworkInsightsAnalysesOutput](t)(x.DescribeNetworkInsightsAnalyses(ctx, &ec2.DescribeNetworkInsightsAnalysesInput{
		NetworkInsightsAnalysisIds: []string{aws.ToString(started.NetworkInsightsAnalysis.NetworkInsightsAnalysisId)}}))
	if a := analyses.NetworkInsightsAnalyses[0]; !aws.ToBool(a.NetworkPathFound) || len(a.ForwardPathComponents) == 0 ||
		aws.ToString(a.ForwardPathComponents[0].Component.Id) != g {
		t.Errorf("from the virtual private gateway: %+v", a)
	}

	for _, tt := range []struct {
		id       string
		prefixes []string
		msg      string
	}{
		{vifID, []string{"192.168.1.1/16"}, "host bits are set"},
		{vifID, []string{"not-a-cidr"}, "is not a valid CIDR"},
		{vifID, make([]string, 101), "exceed the 100"},
		{"dxvif-00000000", []string{"10.1.0.0/16"}, "does not exist"},
	} {
		_, err := control.Advertise(ctx, tt.id, tt.prefixes)
		var de *dxcontrol.Error
		if !errors.As(err, &de) || de.Code != "DirectConnectClientException" || !strings.Contains(de.Message, tt.msg) {
			t.Errorf("advertise %v on %s: %v, want %q", tt.prefixes, tt.id, err, tt.msg)
		}
	}
}
