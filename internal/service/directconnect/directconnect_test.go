package directconnect_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"

	"github.com/vpcemu/vpcemu/internal/dxcontrol"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

var ctx = context.Background()

// wantError fails unless err is the API error code whose message holds
// msg, answered with a 400.
func wantError(t *testing.T, err error, code, msg string) {
	t.Helper()
	emulatortest.WantError(t, err, code, http.StatusBadRequest, msg)
}

func ok[T any](t *testing.T) func(T, error) T { return emulatortest.OK[T](t) }

// TestConnectionRoundTrip: a connection through the SDK: created
// requested, then available, renamed, tagged by ARN, deleted, then not
// found in the words Terraform looks for.
func TestConnectionRoundTrip(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.DirectConnect(e, emulatortest.AccountA, "us-east-1")
	created := ok[*directconnect.CreateConnectionOutput](t)(c.CreateConnection(ctx, &directconnect.CreateConnectionInput{
		Location: aws.String("EqDC2"), Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String("primary"),
		Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("primary")}}}))
	id := aws.ToString(created.ConnectionId)
	if created.ConnectionState != types.ConnectionStateRequested || !strings.HasPrefix(id, "dxcon-") || aws.ToString(created.OwnerAccount) != emulatortest.AccountA ||
		aws.ToString(created.Region) != "us-east-1" || aws.ToString(created.Bandwidth) != "10Gbps" || len(created.Tags) != 1 || aws.ToString(created.AwsDeviceV2) == "" {
		t.Fatalf("created %+v", created)
	}
	described := ok[*directconnect.DescribeConnectionsOutput](t)(c.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: &id}))
	if len(described.Connections) != 1 || described.Connections[0].ConnectionState != types.ConnectionStateAvailable {
		t.Fatalf("described %+v", described.Connections)
	}
	upd := ok[*directconnect.UpdateConnectionOutput](t)(c.UpdateConnection(ctx, &directconnect.UpdateConnectionInput{ConnectionId: &id, ConnectionName: aws.String("renamed")}))
	if aws.ToString(upd.ConnectionName) != "renamed" {
		t.Errorf("updated %+v", upd)
	}
	arn := "arn:aws:directconnect:us-east-1:" + emulatortest.AccountA + ":dxcon/" + id
	ok[*directconnect.TagResourceOutput](t)(c.TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: &arn, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("net")}}}))
	ok[*directconnect.UntagResourceOutput](t)(c.UntagResource(ctx, &directconnect.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"Name"}}))
	tags := ok[*directconnect.DescribeTagsOutput](t)(c.DescribeTags(ctx, &directconnect.DescribeTagsInput{ResourceArns: []string{arn}}))
	if len(tags.ResourceTags) != 1 || len(tags.ResourceTags[0].Tags) != 1 || aws.ToString(tags.ResourceTags[0].Tags[0].Key) != "team" {
		t.Errorf("tags %+v", tags.ResourceTags)
	}
	_, err := c.TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: &arn, Tags: []types.Tag{{Key: aws.String("a")}, {Key: aws.String("a")}}})
	wantError(t, err, "DuplicateTagKeysException", "Tag key a is duplicated")
	var many []types.Tag
	for i := range 50 {
		many = append(many, types.Tag{Key: aws.String(fmt.Sprint("k", i))})
	}
	_, err = c.TagResource(ctx, &directconnect.TagResourceInput{ResourceArn: &arn, Tags: many})
	wantError(t, err, "TooManyTagsException", "at most 50 tags")

	deleted := ok[*directconnect.DeleteConnectionOutput](t)(c.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: &id}))
	if deleted.ConnectionState != types.ConnectionStateDeleted {
		t.Errorf("deleted %+v", deleted)
	}
	_, err = c.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: &id})
	wantError(t, err, "DirectConnectClientException", "Could not find Connection with ID "+id)
	_, err = c.CreateConnection(ctx, &directconnect.CreateConnectionInput{Location: aws.String("EqDC2"), Bandwidth: aws.String("3Gbps"), ConnectionName: aws.String("x")})
	wantError(t, err, "DirectConnectClientException", "Bandwidth 3Gbps is not available at location EqDC2")
}

// TestLagRoundTrip: CreateLag answers its connections; Terraform's
// aws_dx_lag then deletes the one it did not ask for.
func TestLagRoundTrip(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.DirectConnect(e, emulatortest.AccountA, "us-east-1")
	lag := ok[*directconnect.CreateLagOutput](t)(c.CreateLag(ctx, &directconnect.CreateLagInput{
		Location: aws.String("EqDC2"), ConnectionsBandwidth: aws.String("1Gbps"), LagName: aws.String("l"), NumberOfConnections: 1}))
	if lag.LagState != types.LagStateRequested || len(lag.Connections) != 1 || lag.NumberOfConnections != 1 ||
		aws.ToString(lag.Connections[0].LagId) != aws.ToString(lag.LagId) {
		t.Fatalf("created %+v", lag)
	}
	ok[*directconnect.DeleteConnectionOutput](t)(c.DeleteConnection(ctx, &directconnect.DeleteConnectionInput{ConnectionId: lag.Connections[0].ConnectionId}))
	ls := ok[*directconnect.DescribeLagsOutput](t)(c.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: lag.LagId}))
	if len(ls.Lags) != 1 || ls.Lags[0].LagState != types.LagStateAvailable || ls.Lags[0].NumberOfConnections != 0 || ls.Lags[0].Connections == nil {
		t.Errorf("described %+v", ls.Lags)
	}
	conn := ok[*directconnect.CreateConnectionOutput](t)(c.CreateConnection(ctx, &directconnect.CreateConnectionInput{
		Location: aws.String("EqDC2"), Bandwidth: aws.String("1Gbps"), ConnectionName: aws.String("c")}))
	assoc := ok[*directconnect.AssociateConnectionWithLagOutput](t)(c.AssociateConnectionWithLag(ctx, &directconnect.AssociateConnectionWithLagInput{ConnectionId: conn.ConnectionId, LagId: lag.LagId}))
	if aws.ToString(assoc.LagId) != aws.ToString(lag.LagId) {
		t.Errorf("associated %+v", assoc)
	}
	ok[*directconnect.DisassociateConnectionFromLagOutput](t)(c.DisassociateConnectionFromLag(ctx, &directconnect.DisassociateConnectionFromLagInput{ConnectionId: conn.ConnectionId, LagId: lag.LagId}))
	upd := ok[*directconnect.UpdateLagOutput](t)(c.UpdateLag(ctx, &directconnect.UpdateLagInput{LagId: lag.LagId, LagName: aws.String("renamed"), MinimumLinks: 1}))
	if aws.ToString(upd.LagName) != "renamed" || upd.MinimumLinks != 1 {
		t.Errorf("updated %+v", upd)
	}
	del := ok[*directconnect.DeleteLagOutput](t)(c.DeleteLag(ctx, &directconnect.DeleteLagInput{LagId: lag.LagId}))
	if del.LagState != types.LagStateDeleted {
		t.Errorf("deleted %+v", del)
	}
	_, err := c.DescribeLags(ctx, &directconnect.DescribeLagsInput{LagId: lag.LagId})
	wantError(t, err, "DirectConnectClientException", "Could not find Lag with ID "+aws.ToString(lag.LagId))
}

// TestVirtualInterfaceRoundTrip: a gateway, private, transit and public
// VIFs (the transit answer wraps its VIF, the others do not), BGP peers,
// attachments and deletes, through the SDK.
func TestVirtualInterfaceRoundTrip(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.DirectConnect(e, emulatortest.AccountA, "us-east-1")
	conn := ok[*directconnect.CreateConnectionOutput](t)(c.CreateConnection(ctx, &directconnect.CreateConnectionInput{
		Location: aws.String("EqDC2"), Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String("c")}))
	gw := ok[*directconnect.CreateDirectConnectGatewayOutput](t)(c.CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{
		DirectConnectGatewayName: aws.String("private"), AmazonSideAsn: aws.Int64(64600)}))
	if gw.DirectConnectGateway.DirectConnectGatewayState != types.DirectConnectGatewayStatePending || aws.ToInt64(gw.DirectConnectGateway.AmazonSideAsn) != 64600 {
		t.Fatalf("gateway %+v", gw.DirectConnectGateway)
	}
	gwID := gw.DirectConnectGateway.DirectConnectGatewayId
	gws := ok[*directconnect.DescribeDirectConnectGatewaysOutput](t)(c.DescribeDirectConnectGateways(ctx, &directconnect.DescribeDirectConnectGatewaysInput{DirectConnectGatewayId: gwID}))
	if len(gws.DirectConnectGateways) != 1 || gws.DirectConnectGateways[0].DirectConnectGatewayState != types.DirectConnectGatewayStateAvailable {
		t.Errorf("gateways %+v", gws.DirectConnectGateways)
	}
	_, err := c.CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("x"), AmazonSideAsn: aws.Int64(7224)})
	wantError(t, err, "DirectConnectClientException", "The ASN 7224 is not valid")

	private := ok[*directconnect.CreatePrivateVirtualInterfaceOutput](t)(c.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{
		ConnectionId: conn.ConnectionId, NewPrivateVirtualInterface: &types.NewPrivateVirtualInterface{
			VirtualInterfaceName: aws.String("p"), Vlan: 100, Asn: 65000, DirectConnectGatewayId: gwID, AddressFamily: types.AddressFamilyIPv4}}))
	if private.VirtualInterfaceState != types.VirtualInterfaceStatePending || aws.ToString(private.VirtualInterfaceType) != "private" ||
		aws.ToString(private.AmazonAddress) != "169.254.0.1/30" || aws.ToInt64(private.AmazonSideAsn) != 64600 || aws.ToInt32(private.Mtu) != 1500 ||
		len(private.BgpPeers) != 1 || aws.ToInt64(private.AsnLong) != 65000 {
		t.Fatalf("private %+v", private)
	}
	vifID := private.VirtualInterfaceId
	// asnLong alone, as newer SDKs send it.
	long := ok[*directconnect.CreatePrivateVirtualInterfaceOutput](t)(c.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{
		ConnectionId: conn.ConnectionId, NewPrivateVirtualInterface: &types.NewPrivateVirtualInterface{
			VirtualInterfaceName: aws.String("l"), Vlan: 101, AsnLong: aws.Int64(4200000000), DirectConnectGatewayId: gwID}}))
	if aws.ToInt64(long.AsnLong) != 4200000000 || long.Asn != 0 {
		t.Errorf("long ASN %+v", long)
	}

	tgwSide := ok[*directconnect.CreateDirectConnectGatewayOutput](t)(c.CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("transit")}))
	transit := ok[*directconnect.CreateTransitVirtualInterfaceOutput](t)(c.CreateTransitVirtualInterface(ctx, &directconnect.CreateTransitVirtualInterfaceInput{
		ConnectionId: conn.ConnectionId, NewTransitVirtualInterface: &types.NewTransitVirtualInterface{
			VirtualInterfaceName: aws.String("t"), Vlan: 200, Asn: 65000, Mtu: aws.Int32(8500), DirectConnectGatewayId: tgwSide.DirectConnectGateway.DirectConnectGatewayId}}))
	if transit.VirtualInterface == nil || aws.ToString(transit.VirtualInterface.VirtualInterfaceType) != "transit" || aws.ToInt32(transit.VirtualInterface.Mtu) != 8500 {
		t.Fatalf("transit %+v", transit.VirtualInterface)
	}
	public := ok[*directconnect.CreatePublicVirtualInterfaceOutput](t)(c.CreatePublicVirtualInterface(ctx, &directconnect.CreatePublicVirtualInterfaceInput{
		ConnectionId: conn.ConnectionId, NewPublicVirtualInterface: &types.NewPublicVirtualInterface{
			VirtualInterfaceName: aws.String("pub"), Vlan: 300, Asn: 65000, AmazonAddress: aws.String("203.0.113.1/30"), CustomerAddress: aws.String("203.0.113.2/30"),
			RouteFilterPrefixes: []types.RouteFilterPrefix{{Cidr: aws.String("203.0.113.0/24")}}}}))
	if public.VirtualInterfaceState != types.VirtualInterfaceStateVerifying || len(public.RouteFilterPrefixes) != 1 {
		t.Errorf("public %+v", public)
	}

	peer := ok[*directconnect.CreateBGPPeerOutput](t)(c.CreateBGPPeer(ctx, &directconnect.CreateBGPPeerInput{VirtualInterfaceId: vifID,
		NewBGPPeer: &types.NewBGPPeer{Asn: 65001, AddressFamily: types.AddressFamilyIPv6}}))
	if len(peer.VirtualInterface.BgpPeers) != 2 || peer.VirtualInterface.BgpPeers[1].BgpPeerState != types.BGPPeerStatePending {
		t.Fatalf("peers %+v", peer.VirtualInterface.BgpPeers)
	}
	first := private.BgpPeers[0]
	_, err = c.DeleteBGPPeer(ctx, &directconnect.DeleteBGPPeerInput{VirtualInterfaceId: vifID, BgpPeerId: peer.VirtualInterface.BgpPeers[1].BgpPeerId})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteBGPPeer(ctx, &directconnect.DeleteBGPPeerInput{VirtualInterfaceId: vifID, Asn: first.Asn, CustomerAddress: first.CustomerAddress})
	wantError(t, err, "DirectConnectClientException", "The last BGP Peer on a Virtual Interface cannot be deleted")

	vifs := ok[*directconnect.DescribeVirtualInterfacesOutput](t)(c.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{ConnectionId: conn.ConnectionId}))
	if len(vifs.VirtualInterfaces) != 4 {
		t.Errorf("VIFs %+v", vifs.VirtualInterfaces)
	}
	for _, v := range vifs.VirtualInterfaces {
		if v.VirtualInterfaceState != types.VirtualInterfaceStateAvailable || v.BgpPeers[0].BgpStatus != types.BGPStatusUp {
			t.Errorf("%s: %s, BGP %s", aws.ToString(v.VirtualInterfaceId), v.VirtualInterfaceState, v.BgpPeers[0].BgpStatus)
		}
	}
	att := ok[*directconnect.DescribeDirectConnectGatewayAttachmentsOutput](t)(c.DescribeDirectConnectGatewayAttachments(ctx, &directconnect.DescribeDirectConnectGatewayAttachmentsInput{DirectConnectGatewayId: gwID}))
	if len(att.DirectConnectGatewayAttachments) != 2 || att.DirectConnectGatewayAttachments[0].AttachmentType != types.DirectConnectGatewayAttachmentTypePrivateVirtualInterface ||
		att.DirectConnectGatewayAttachments[0].AttachmentState != types.DirectConnectGatewayAttachmentStateAttached {
		t.Errorf("attachments %+v", att.DirectConnectGatewayAttachments)
	}
	upd := ok[*directconnect.UpdateVirtualInterfaceAttributesOutput](t)(c.UpdateVirtualInterfaceAttributes(ctx, &directconnect.UpdateVirtualInterfaceAttributesInput{VirtualInterfaceId: vifID, Mtu: aws.Int32(9001)}))
	if aws.ToInt32(upd.Mtu) != 9001 || !aws.ToBool(upd.JumboFrameCapable) {
		t.Errorf("updated %+v", upd)
	}
	_, err = c.DeleteDirectConnectGateway(ctx, &directconnect.DeleteDirectConnectGatewayInput{DirectConnectGatewayId: gwID})
	wantError(t, err, "DirectConnectClientException", "has virtual interfaces attached")
	for _, id := range []*string{vifID, long.VirtualInterfaceId} {
		del := ok[*directconnect.DeleteVirtualInterfaceOutput](t)(c.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: id}))
		if del.VirtualInterfaceState != types.VirtualInterfaceStateDeleting {
			t.Errorf("deleted %+v", del)
		}
	}
	gone := ok[*directconnect.DescribeVirtualInterfacesOutput](t)(c.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{VirtualInterfaceId: vifID}))
	if len(gone.VirtualInterfaces) != 0 {
		t.Errorf("after delete %+v", gone.VirtualInterfaces)
	}
	_, err = c.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: vifID})
	wantError(t, err, "DirectConnectClientException", "does not exist")
	delGW := ok[*directconnect.DeleteDirectConnectGatewayOutput](t)(c.DeleteDirectConnectGateway(ctx, &directconnect.DeleteDirectConnectGatewayInput{DirectConnectGatewayId: gwID}))
	if delGW.DirectConnectGateway.DirectConnectGatewayState != types.DirectConnectGatewayStateDeleting {
		t.Errorf("gateway deleted %+v", delGW.DirectConnectGateway)
	}
	_, err = c.DeleteDirectConnectGateway(ctx, &directconnect.DeleteDirectConnectGatewayInput{DirectConnectGatewayId: gwID})
	wantError(t, err, "DirectConnectClientException", "does not exist")
}

// TestHostedRoundTrip: across two accounts, a hosted connection and a
// hosted VIF are allocated, seen by both and confirmed by their owner.
func TestHostedRoundTrip(t *testing.T) {
	e := emulatortest.Start(t)
	partner := emulatortest.DirectConnect(e, emulatortest.AccountA, "us-east-1")
	customer := emulatortest.DirectConnect(e, emulatortest.AccountB, "us-east-1")
	conn := ok[*directconnect.CreateConnectionOutput](t)(partner.CreateConnection(ctx, &directconnect.CreateConnectionInput{
		Location: aws.String("EqDC2"), Bandwidth: aws.String("10Gbps"), ConnectionName: aws.String("port")}))
	hosted := ok[*directconnect.AllocateHostedConnectionOutput](t)(partner.AllocateHostedConnection(ctx, &directconnect.AllocateHostedConnectionInput{
		ConnectionId: conn.ConnectionId, OwnerAccount: aws.String(emulatortest.AccountB), Bandwidth: aws.String("500Mbps"), ConnectionName: aws.String("h"), Vlan: 42}))
	if hosted.ConnectionState != types.ConnectionStateOrdering || aws.ToString(hosted.OwnerAccount) != emulatortest.AccountB || hosted.Vlan != 42 {
		t.Fatalf("hosted %+v", hosted)
	}
	confirmed := ok[*directconnect.ConfirmConnectionOutput](t)(customer.ConfirmConnection(ctx, &directconnect.ConfirmConnectionInput{ConnectionId: hosted.ConnectionId}))
	if confirmed.ConnectionState != types.ConnectionStatePending {
		t.Errorf("confirmed %+v", confirmed)
	}

	_, err := partner.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{ConnectionId: conn.ConnectionId,
		OwnerAccount: aws.String(emulatortest.AccountA), NewPrivateVirtualInterfaceAllocation: &types.NewPrivateVirtualInterfaceAllocation{
			VirtualInterfaceName: aws.String("h"), Vlan: 7, Asn: 65000}})
	wantError(t, err, "DirectConnectClientException", "Cannot allocate VirtualInterface for the connection owner.")
	vif := ok[*directconnect.AllocatePrivateVirtualInterfaceOutput](t)(partner.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{
		ConnectionId: conn.ConnectionId, OwnerAccount: aws.String(emulatortest.AccountB), NewPrivateVirtualInterfaceAllocation: &types.NewPrivateVirtualInterfaceAllocation{
			VirtualInterfaceName: aws.String("h"), Vlan: 7, Asn: 65000}}))
	if vif.VirtualInterfaceState != types.VirtualInterfaceStateConfirming || aws.ToString(vif.OwnerAccount) != emulatortest.AccountB {
		t.Fatalf("allocated %+v", vif)
	}
	for _, c := range []*directconnect.Client{partner, customer} {
		vs := ok[*directconnect.DescribeVirtualInterfacesOutput](t)(c.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{VirtualInterfaceId: vif.VirtualInterfaceId}))
		if len(vs.VirtualInterfaces) != 1 || vs.VirtualInterfaces[0].VirtualInterfaceState != types.VirtualInterfaceStateConfirming {
			t.Errorf("seen %+v", vs.VirtualInterfaces)
		}
	}
	gw := ok[*directconnect.CreateDirectConnectGatewayOutput](t)(customer.CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("g")}))
	state := ok[*directconnect.ConfirmPrivateVirtualInterfaceOutput](t)(customer.ConfirmPrivateVirtualInterface(ctx, &directconnect.ConfirmPrivateVirtualInterfaceInput{
		VirtualInterfaceId: vif.VirtualInterfaceId, DirectConnectGatewayId: gw.DirectConnectGateway.DirectConnectGatewayId}))
	if state.VirtualInterfaceState != types.VirtualInterfaceStatePending {
		t.Errorf("confirmed %+v", state)
	}
	transit := ok[*directconnect.AllocateTransitVirtualInterfaceOutput](t)(partner.AllocateTransitVirtualInterface(ctx, &directconnect.AllocateTransitVirtualInterfaceInput{
		ConnectionId: conn.ConnectionId, OwnerAccount: aws.String(emulatortest.AccountB), NewTransitVirtualInterfaceAllocation: &types.NewTransitVirtualInterfaceAllocation{
			VirtualInterfaceName: aws.String("t"), Vlan: 8, Asn: 65000}}))
	if transit.VirtualInterface == nil || transit.VirtualInterface.VirtualInterfaceState != types.VirtualInterfaceStateConfirming {
		t.Fatalf("transit %+v", transit)
	}
	_, err = customer.ConfirmTransitVirtualInterface(ctx, &directconnect.ConfirmTransitVirtualInterfaceInput{
		VirtualInterfaceId: transit.VirtualInterface.VirtualInterfaceId, DirectConnectGatewayId: gw.DirectConnectGateway.DirectConnectGatewayId})
	wantError(t, err, "DirectConnectClientException", "has private virtual interfaces")
	public := ok[*directconnect.AllocatePublicVirtualInterfaceOutput](t)(partner.AllocatePublicVirtualInterface(ctx, &directconnect.AllocatePublicVirtualInterfaceInput{
		ConnectionId: conn.ConnectionId, OwnerAccount: aws.String(emulatortest.AccountB), NewPublicVirtualInterfaceAllocation: &types.NewPublicVirtualInterfaceAllocation{
			VirtualInterfaceName: aws.String("pub"), Vlan: 9, Asn: 65000, AmazonAddress: aws.String("203.0.113.1/30"), CustomerAddress: aws.String("203.0.113.2/30"),
			RouteFilterPrefixes: []types.RouteFilterPrefix{{Cidr: aws.String("203.0.113.0/24")}}}}))
	pubState := ok[*directconnect.ConfirmPublicVirtualInterfaceOutput](t)(customer.ConfirmPublicVirtualInterface(ctx, &directconnect.ConfirmPublicVirtualInterfaceInput{VirtualInterfaceId: public.VirtualInterfaceId}))
	if pubState.VirtualInterfaceState != types.VirtualInterfaceStateVerifying {
		t.Errorf("public confirmed %+v", pubState)
	}
}

// TestSetState: vpcemu's control endpoint brings a connection down and
// its VIFs follow, as the SDK then reads them.
func TestSetState(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.DirectConnect(e, emulatortest.AccountA, "us-east-1")
	conn := ok[*directconnect.CreateConnectionOutput](t)(c.CreateConnection(ctx, &directconnect.CreateConnectionInput{
		Location: aws.String("EqDC2"), Bandwidth: aws.String("1Gbps"), ConnectionName: aws.String("c")}))
	gw := ok[*directconnect.CreateDirectConnectGatewayOutput](t)(c.CreateDirectConnectGateway(ctx, &directconnect.CreateDirectConnectGatewayInput{DirectConnectGatewayName: aws.String("g")}))
	vif := ok[*directconnect.CreatePrivateVirtualInterfaceOutput](t)(c.CreatePrivateVirtualInterface(ctx, &directconnect.CreatePrivateVirtualInterfaceInput{
		ConnectionId: conn.ConnectionId, NewPrivateVirtualInterface: &types.NewPrivateVirtualInterface{
			VirtualInterfaceName: aws.String("p"), Vlan: 1, Asn: 65000, DirectConnectGatewayId: gw.DirectConnectGateway.DirectConnectGatewayId}}))
	control := &dxcontrol.Client{Endpoint: e.URL(), Region: "us-east-1", Credentials: aws.Credentials{AccessKeyID: emulatortest.AccountA, SecretAccessKey: emulatortest.Secret}}
	vifState := func() types.VirtualInterfaceState {
		vs := ok[*directconnect.DescribeVirtualInterfacesOutput](t)(c.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{VirtualInterfaceId: vif.VirtualInterfaceId}))
		return vs.VirtualInterfaces[0].VirtualInterfaceState
	}
	steps := []struct {
		id, state, answer string
		vif               types.VirtualInterfaceState
	}{
		{aws.ToString(conn.ConnectionId), "down", "down", types.VirtualInterfaceStateDown},
		{aws.ToString(vif.VirtualInterfaceId), "available", "down", types.VirtualInterfaceStateDown},
		{aws.ToString(conn.ConnectionId), "available", "available", types.VirtualInterfaceStateAvailable},
		{aws.ToString(vif.VirtualInterfaceId), "down", "down", types.VirtualInterfaceStateDown},
	}
	for i, st := range steps {
		got, err := control.SetState(ctx, st.id, st.state)
		if err != nil || got != st.answer {
			t.Fatalf("step %d: %s %v, want %s", i, got, err, st.answer)
		}
		if v := vifState(); v != st.vif {
			t.Errorf("step %d: VIF %s, want %s", i, v, st.vif)
		}
	}
	other := &dxcontrol.Client{Endpoint: e.URL(), Region: "us-east-1", Credentials: aws.Credentials{AccessKeyID: emulatortest.AccountB, SecretAccessKey: emulatortest.Secret}}
	for _, tt := range []struct {
		c         *dxcontrol.Client
		id, state string
		code, msg string
	}{
		{other, aws.ToString(conn.ConnectionId), "down", "DirectConnectClientException", "Could not find Connection with ID"},
		{control, aws.ToString(conn.ConnectionId), "broken", "DirectConnectClientException", "A connection cannot be set broken"},
		{control, "vpc-1", "down", "DirectConnectClientException", "neither a connection"},
		{control, "", "down", "SerializationException", "must be one JSON object"},
	} {
		_, err := tt.c.SetState(ctx, tt.id, tt.state)
		var e *dxcontrol.Error
		if !errors.As(err, &e) || e.Code != tt.code || !strings.Contains(e.Message, tt.msg) {
			t.Errorf("set %s %s: %v, want %s %q", tt.id, tt.state, err, tt.code, tt.msg)
		}
	}
	resp, err := http.Get(e.URL() + dxcontrol.Path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %s", resp.Status)
	}
}
