package ec2_test

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	dxtypes "github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/dxcontrol"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// Seed 000's Direct Connect column: on premises (onPremHost, in
// onPremPrefix, which its router advertises) reaches a side's VPC over a
// private virtual interface, a Direct Connect gateway and the VPC's
// virtual private gateway.
const (
	onPremPrefix = "192.168.0.0/16"
	onPremHost   = "192.168.1.10"
)

// seedDX is a side's Direct Connect: its virtual private gateway,
// attached to the VPC, and a connection's private VIF (up, with
// onPremPrefix advertised over it) on a Direct Connect gateway associated
// with the VGW, all of owner's but the VGW.
type seedDX struct {
	side                    seedSide
	dx                      *directconnect.Client // owner's
	owner                   string
	vgw, conn, gateway, vif string
}

// vgw creates and attaches the side's virtual private gateway, and makes
// the app subnet's table propagate its routes when propagate is set.
func (s seedSide) vgw(propagate bool) string {
	s.t.Helper()
	out, err := s.c.CreateVpnGateway(s.ctx, &ec2.CreateVpnGatewayInput{Type: types.GatewayTypeIpsec1})
	s.must(err)
	vgw := aws.ToString(out.VpnGateway.VpnGatewayId)
	_, err = s.c.AttachVpnGateway(s.ctx, &ec2.AttachVpnGatewayInput{VpcId: &s.vpc, VpnGatewayId: &vgw})
	s.must(err)
	if propagate {
		s.propagate(vgw)
	}
	return vgw
}

func (s seedSide) propagate(vgw string) {
	s.t.Helper()
	_, err := s.c.EnableVgwRoutePropagation(s.ctx, &ec2.EnableVgwRoutePropagationInput{GatewayId: &vgw, RouteTableId: &s.table})
	s.must(err)
}

// directConnect gives the side a VGW and reaches it from on premises over
// a connection, gateway and VIF of its own account.
func (s seedSide) directConnect(propagate bool) seedDX {
	s.t.Helper()
	d := seedDX{side: s, dx: emulatortest.DirectConnect(s.em, s.account, "us-east-1"), owner: s.account, vgw: s.vgw(propagate)}
	d.onPremises()
	_, err := d.dx.CreateDirectConnectGatewayAssociation(s.ctx, &directconnect.CreateDirectConnectGatewayAssociationInput{
		DirectConnectGatewayId: &d.gateway, GatewayId: &d.vgw})
	s.must(err)
	return d
}

// onPremises gives d's owner a dedicated connection with a private VIF
// on a new Direct Connect gateway, over which on premises advertises
// onPremPrefix.
func (d *seedDX) onPremises() {
	s := d.side
	s.t.Helper()
	conn, err := d.dx.CreateConnection(s.ctx, &directconnect.CreateConnectionInput{ConnectionName: aws.String("dc"), Location: aws.String("EqDC2"), Bandwidth: aws.String("1Gbps")})
	s.must(err)
	gw, err := d.dx.CreateDirectConnectGateway(s.ctx, &directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("corp")})
	s.must(err)
	d.conn, d.gateway = aws.ToString(conn.ConnectionId), aws.ToString(gw.DirectConnectGateway.DirectConnectGatewayId)
	v, err := d.dx.CreatePrivateVirtualInterface(s.ctx, &directconnect.CreatePrivateVirtualInterfaceInput{ConnectionId: &d.conn,
		NewPrivateVirtualInterface: &dxtypes.NewPrivateVirtualInterface{VirtualInterfaceName: aws.String("corp"), Vlan: 101, Asn: 65000, DirectConnectGatewayId: &d.gateway}})
	s.must(err)
	d.vif = aws.ToString(v.VirtualInterfaceId)
	d.advertise(d.owner, d.vif)
}

// advertise is on premises advertising onPremPrefix over a VIF of
// account's.
func (d seedDX) advertise(account, vif string) {
	s := d.side
	s.t.Helper()
	c := &dxcontrol.Client{Endpoint: s.em.URL(), Region: "us-east-1", Credentials: aws.Credentials{AccessKeyID: account, SecretAccessKey: "secret"}}
	_, err := c.Advertise(s.ctx, vif, []string{onPremPrefix})
	s.must(err)
}

// server is an instance in the app subnet whose new group lets TCP 443
// in from on premises, or nothing when closed.
func (d seedDX) server(closed bool) (instance, group string) {
	s := d.side
	s.t.Helper()
	group = s.group(s.vpc, "servers")
	if !closed {
		s.allow(group, 443, aws.String(onPremPrefix), nil)
	}
	return s.instance(group), group
}

// analyse is Network Insights' question, from the VGW at on premises's
// address to dst on TCP 443 (AWS takes a VGW as a path's end, and does not
// look behind it).
func (d seedDX) analyse(dst string) types.NetworkInsightsAnalysis {
	d.side.t.Helper()
	return d.side.analyse(dst, ec2.CreateNetworkInsightsPathInput{Source: &d.vgw, SourceIp: aws.String(onPremHost)})
}

// fromOnPrem is the engine's question, from on premises over the VIF
// (vpcemu analyze --from 192.168.1.10 --via dxvif-… --to dst).
func (d seedDX) fromOnPrem(dst string) analyzer.Request { return d.over(d.vif, dst) }

// over is fromOnPrem over another VIF.
func (d seedDX) over(vif, dst string) analyzer.Request {
	return analyzer.Request{From: onPremHost, Via: vif, To: dst, Port: 443}
}

// answerIDs are the ids of the engine's path components, in order.
func answerIDs(cs []ec2api.PathComponent) []string {
	var ids []string
	for _, c := range cs {
		if c.Component != nil {
			ids = append(ids, aws.ToString(c.Component.Id))
		}
	}
	return ids
}
