package directconnect

import (
	"context"
	"math"

	"github.com/vpcemu/vpcemu/internal/api/directconnectapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	dx "github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// asnIn is a request's ASN: asnLong when given (AWS takes it over asn),
// else asn.
func asnIn(asn *int32, asnLong *int64) int64 {
	if asnLong != nil {
		return *asnLong
	}
	return int64(optional.Value(asn))
}

// asnOut is an ASN as the 32-bit asn member, absent when it does not fit.
func asnOut(asn int64) *int32 {
	if asn > math.MaxInt32 {
		return nil
	}
	return new(int32(asn))
}

// vifShape is a virtual interface as the API shows it.
func vifShape(v *dx.VirtualInterface) directconnectapi.VirtualInterface {
	out := directconnectapi.VirtualInterface{
		OwnerAccount: new(v.Owner), VirtualInterfaceId: new(v.ID), Location: new(v.Location), ConnectionId: new(v.ConnectionID),
		VirtualInterfaceType: new(v.Type), VirtualInterfaceName: new(v.Name), Vlan: new(int32(v.Vlan)),
		Asn: asnOut(v.ASN), AsnLong: new(v.ASN), AmazonSideAsn: new(v.AmazonSideASN), AuthKey: new(v.AuthKey),
		AmazonAddress: optional.String(v.AmazonAddress), CustomerAddress: optional.String(v.CustomerAddress),
		AddressFamily: new(v.AddressFamily), VirtualInterfaceState: new(v.State), Mtu: new(int32(v.MTU)),
		JumboFrameCapable: new(v.Type != dx.Public), VirtualGatewayId: optional.String(v.VGWID),
		DirectConnectGatewayId: optional.String(v.GatewayID), RouteFilterPrefixes: prefixList(v.RouteFilters),
		Region: new(v.Region), AwsDeviceV2: new(v.AWSDevice), AwsLogicalDeviceId: new(v.AWSDevice),
		SiteLinkEnabled: new(v.SiteLink), Tags: tagList(v.Tags), BgpPeers: make([]directconnectapi.BGPPeer, 0, len(v.Peers)),
	}
	for _, p := range v.Peers {
		out.BgpPeers = append(out.BgpPeers, directconnectapi.BGPPeer{
			BgpPeerId: new(p.ID), Asn: asnOut(p.ASN), AsnLong: new(p.ASN), AuthKey: new(p.AuthKey), AddressFamily: new(p.AddressFamily),
			AmazonAddress: new(p.AmazonAddress), CustomerAddress: new(p.CustomerAddress), BgpPeerState: new(p.State),
			BgpStatus: new(p.Status), AwsDeviceV2: new(v.AWSDevice), AwsLogicalDeviceId: new(v.AWSDevice),
		})
	}
	return out
}

// newVIF is the domain's request from the members the Create… and
// Allocate… shapes share.
func newVIF(kind, connection, owner string, name *string, vlan, asn *int32, asnLong *int64, family, amazon, customer, auth *string, mtu *int32, tags []directconnectapi.Tag) (dx.NewVirtualInterface, error) {
	t, err := tagsIn(tags, dx.DuplicateTagKeys)
	return dx.NewVirtualInterface{
		Type: kind, ConnectionID: connection, Owner: owner, Name: optional.Value(name), Vlan: int(optional.Value(vlan)),
		ASN: asnIn(asn, asnLong), AddressFamily: optional.Value(family), AmazonAddress: optional.Value(amazon),
		CustomerAddress: optional.Value(customer), AuthKey: optional.Value(auth), MTU: int(optional.Value(mtu)), Tags: t,
	}, err
}

// create runs a Create… or Allocate… call and shapes the VIF.
func (s *Service) create(ctx context.Context, req *awsproto.Request, in dx.NewVirtualInterface, err error) (directconnectapi.VirtualInterface, error) {
	if err != nil {
		return directconnectapi.VirtualInterface{}, err
	}
	v, err := s.dx.CreateVirtualInterface(ctx, caller(req), in)
	if err != nil {
		return directconnectapi.VirtualInterface{}, err
	}
	return vifShape(v), nil
}

// CreatePrivateVirtualInterface implements directconnectapi.Handler.
func (s *Service) CreatePrivateVirtualInterface(ctx context.Context, req *awsproto.Request, in *directconnectapi.CreatePrivateVirtualInterfaceInput) (*directconnectapi.CreatePrivateVirtualInterfaceOutput, error) {
	n := in.NewPrivateVirtualInterface
	d, err := newVIF(dx.Private, optional.Value(in.ConnectionId), "", n.VirtualInterfaceName, n.Vlan, n.Asn, n.AsnLong, n.AddressFamily, n.AmazonAddress, n.CustomerAddress, n.AuthKey, n.Mtu, n.Tags)
	d.VGWID, d.GatewayID, d.SiteLink = optional.Value(n.VirtualGatewayId), optional.Value(n.DirectConnectGatewayId), optional.Value(n.EnableSiteLink)
	v, err := s.create(ctx, req, d, err)
	if err != nil {
		return nil, err
	}
	out := directconnectapi.CreatePrivateVirtualInterfaceOutput(v)
	return &out, nil
}

// CreatePublicVirtualInterface implements directconnectapi.Handler.
func (s *Service) CreatePublicVirtualInterface(ctx context.Context, req *awsproto.Request, in *directconnectapi.CreatePublicVirtualInterfaceInput) (*directconnectapi.CreatePublicVirtualInterfaceOutput, error) {
	n := in.NewPublicVirtualInterface
	d, err := newVIF(dx.Public, optional.Value(in.ConnectionId), "", n.VirtualInterfaceName, n.Vlan, n.Asn, n.AsnLong, n.AddressFamily, n.AmazonAddress, n.CustomerAddress, n.AuthKey, nil, n.Tags)
	d.RouteFilters = prefixesIn(n.RouteFilterPrefixes)
	v, err := s.create(ctx, req, d, err)
	if err != nil {
		return nil, err
	}
	out := directconnectapi.CreatePublicVirtualInterfaceOutput(v)
	return &out, nil
}

// CreateTransitVirtualInterface implements directconnectapi.Handler. Its
// answer wraps the VIF, unlike the private and public calls'.
func (s *Service) CreateTransitVirtualInterface(ctx context.Context, req *awsproto.Request, in *directconnectapi.CreateTransitVirtualInterfaceInput) (*directconnectapi.CreateTransitVirtualInterfaceOutput, error) {
	n := in.NewTransitVirtualInterface
	d, err := newVIF(dx.Transit, optional.Value(in.ConnectionId), "", n.VirtualInterfaceName, n.Vlan, n.Asn, n.AsnLong, n.AddressFamily, n.AmazonAddress, n.CustomerAddress, n.AuthKey, n.Mtu, n.Tags)
	d.GatewayID, d.SiteLink = optional.Value(n.DirectConnectGatewayId), optional.Value(n.EnableSiteLink)
	v, err := s.create(ctx, req, d, err)
	if err != nil {
		return nil, err
	}
	return &directconnectapi.CreateTransitVirtualInterfaceOutput{VirtualInterface: &v}, nil
}

// AllocatePrivateVirtualInterface implements directconnectapi.Handler.
func (s *Service) AllocatePrivateVirtualInterface(ctx context.Context, req *awsproto.Request, in *directconnectapi.AllocatePrivateVirtualInterfaceInput) (*directconnectapi.AllocatePrivateVirtualInterfaceOutput, error) {
	n := in.NewPrivateVirtualInterfaceAllocation
	d, err := newVIF(dx.Private, optional.Value(in.ConnectionId), optional.Value(in.OwnerAccount), n.VirtualInterfaceName, n.Vlan, n.Asn, n.AsnLong, n.AddressFamily, n.AmazonAddress, n.CustomerAddress, n.AuthKey, n.Mtu, n.Tags)
	v, err := s.create(ctx, req, d, err)
	if err != nil {
		return nil, err
	}
	out := directconnectapi.AllocatePrivateVirtualInterfaceOutput(v)
	return &out, nil
}

// AllocatePublicVirtualInterface implements directconnectapi.Handler.
func (s *Service) AllocatePublicVirtualInterface(ctx context.Context, req *awsproto.Request, in *directconnectapi.AllocatePublicVirtualInterfaceInput) (*directconnectapi.AllocatePublicVirtualInterfaceOutput, error) {
	n := in.NewPublicVirtualInterfaceAllocation
	d, err := newVIF(dx.Public, optional.Value(in.ConnectionId), optional.Value(in.OwnerAccount), n.VirtualInterfaceName, n.Vlan, n.Asn, n.AsnLong, n.AddressFamily, n.AmazonAddress, n.CustomerAddress, n.AuthKey, nil, n.Tags)
	d.RouteFilters = prefixesIn(n.RouteFilterPrefixes)
	v, err := s.create(ctx, req, d, err)
	if err != nil {
		return nil, err
	}
	out := directconnectapi.AllocatePublicVirtualInterfaceOutput(v)
	return &out, nil
}

// AllocateTransitVirtualInterface implements directconnectapi.Handler.
func (s *Service) AllocateTransitVirtualInterface(ctx context.Context, req *awsproto.Request, in *directconnectapi.AllocateTransitVirtualInterfaceInput) (*directconnectapi.AllocateTransitVirtualInterfaceOutput, error) {
	n := in.NewTransitVirtualInterfaceAllocation
	d, err := newVIF(dx.Transit, optional.Value(in.ConnectionId), optional.Value(in.OwnerAccount), n.VirtualInterfaceName, n.Vlan, n.Asn, n.AsnLong, n.AddressFamily, n.AmazonAddress, n.CustomerAddress, n.AuthKey, n.Mtu, n.Tags)
	v, err := s.create(ctx, req, d, err)
	if err != nil {
		return nil, err
	}
	return &directconnectapi.AllocateTransitVirtualInterfaceOutput{VirtualInterface: &v}, nil
}

// ConfirmPrivateVirtualInterface implements directconnectapi.Handler.
func (s *Service) ConfirmPrivateVirtualInterface(ctx context.Context, req *awsproto.Request, in *directconnectapi.ConfirmPrivateVirtualInterfaceInput) (*directconnectapi.ConfirmPrivateVirtualInterfaceOutput, error) {
	state, err := s.dx.ConfirmVirtualInterface(ctx, caller(req), dx.Private, optional.Value(in.VirtualInterfaceId),
		dx.Confirmation{VGWID: optional.Value(in.VirtualGatewayId), GatewayID: optional.Value(in.DirectConnectGatewayId)})
	if err != nil {
		return nil, err
	}
	return &directconnectapi.ConfirmPrivateVirtualInterfaceOutput{VirtualInterfaceState: new(state)}, nil
}

// ConfirmPublicVirtualInterface implements directconnectapi.Handler.
func (s *Service) ConfirmPublicVirtualInterface(ctx context.Context, req *awsproto.Request, in *directconnectapi.ConfirmPublicVirtualInterfaceInput) (*directconnectapi.ConfirmPublicVirtualInterfaceOutput, error) {
	state, err := s.dx.ConfirmVirtualInterface(ctx, caller(req), dx.Public, optional.Value(in.VirtualInterfaceId), dx.Confirmation{})
	if err != nil {
		return nil, err
	}
	return &directconnectapi.ConfirmPublicVirtualInterfaceOutput{VirtualInterfaceState: new(state)}, nil
}

// ConfirmTransitVirtualInterface implements directconnectapi.Handler.
func (s *Service) ConfirmTransitVirtualInterface(ctx context.Context, req *awsproto.Request, in *directconnectapi.ConfirmTransitVirtualInterfaceInput) (*directconnectapi.ConfirmTransitVirtualInterfaceOutput, error) {
	state, err := s.dx.ConfirmVirtualInterface(ctx, caller(req), dx.Transit, optional.Value(in.VirtualInterfaceId), dx.Confirmation{GatewayID: optional.Value(in.DirectConnectGatewayId)})
	if err != nil {
		return nil, err
	}
	return &directconnectapi.ConfirmTransitVirtualInterfaceOutput{VirtualInterfaceState: new(state)}, nil
}

// DescribeVirtualInterfaces implements directconnectapi.Handler.
func (s *Service) DescribeVirtualInterfaces(ctx context.Context, req *awsproto.Request, in *directconnectapi.DescribeVirtualInterfacesInput) (*directconnectapi.DescribeVirtualInterfacesOutput, error) {
	vs, err := s.dx.DescribeVirtualInterfaces(ctx, caller(req), optional.Value(in.ConnectionId), optional.Value(in.VirtualInterfaceId))
	if err != nil {
		return nil, err
	}
	out := &directconnectapi.DescribeVirtualInterfacesOutput{VirtualInterfaces: make([]directconnectapi.VirtualInterface, 0, len(vs))}
	for _, v := range vs {
		out.VirtualInterfaces = append(out.VirtualInterfaces, vifShape(v))
	}
	return out, nil
}

// UpdateVirtualInterfaceAttributes implements directconnectapi.Handler.
func (s *Service) UpdateVirtualInterfaceAttributes(ctx context.Context, req *awsproto.Request, in *directconnectapi.UpdateVirtualInterfaceAttributesInput) (*directconnectapi.UpdateVirtualInterfaceAttributesOutput, error) {
	u := dx.VirtualInterfaceUpdate{Name: in.VirtualInterfaceName, SiteLink: in.EnableSiteLink}
	if in.Mtu != nil {
		n := int(*in.Mtu)
		u.MTU = &n
	}
	v, err := s.dx.UpdateVirtualInterface(ctx, caller(req), optional.Value(in.VirtualInterfaceId), u)
	if err != nil {
		return nil, err
	}
	out := directconnectapi.UpdateVirtualInterfaceAttributesOutput(vifShape(v))
	return &out, nil
}

// DeleteVirtualInterface implements directconnectapi.Handler.
func (s *Service) DeleteVirtualInterface(ctx context.Context, req *awsproto.Request, in *directconnectapi.DeleteVirtualInterfaceInput) (*directconnectapi.DeleteVirtualInterfaceOutput, error) {
	state, err := s.dx.DeleteVirtualInterface(ctx, caller(req), optional.Value(in.VirtualInterfaceId))
	if err != nil {
		return nil, err
	}
	return &directconnectapi.DeleteVirtualInterfaceOutput{VirtualInterfaceState: new(state)}, nil
}

// CreateBGPPeer implements directconnectapi.Handler.
func (s *Service) CreateBGPPeer(ctx context.Context, req *awsproto.Request, in *directconnectapi.CreateBGPPeerInput) (*directconnectapi.CreateBGPPeerOutput, error) {
	var p dx.NewBGPPeer
	if n := in.NewBGPPeer; n != nil {
		p = dx.NewBGPPeer{ASN: asnIn(n.Asn, n.AsnLong), AddressFamily: optional.Value(n.AddressFamily),
			AmazonAddress: optional.Value(n.AmazonAddress), CustomerAddress: optional.Value(n.CustomerAddress), AuthKey: optional.Value(n.AuthKey)}
	}
	v, err := s.dx.CreateBGPPeer(ctx, caller(req), optional.Value(in.VirtualInterfaceId), p)
	if err != nil {
		return nil, err
	}
	shape := vifShape(v)
	return &directconnectapi.CreateBGPPeerOutput{VirtualInterface: &shape}, nil
}

// DeleteBGPPeer implements directconnectapi.Handler.
func (s *Service) DeleteBGPPeer(ctx context.Context, req *awsproto.Request, in *directconnectapi.DeleteBGPPeerInput) (*directconnectapi.DeleteBGPPeerOutput, error) {
	v, err := s.dx.DeleteBGPPeer(ctx, caller(req), optional.Value(in.VirtualInterfaceId), dx.PeerRef{
		ID: optional.Value(in.BgpPeerId), ASN: asnIn(in.Asn, in.AsnLong), CustomerAddress: optional.Value(in.CustomerAddress)})
	if err != nil {
		return nil, err
	}
	shape := vifShape(v)
	return &directconnectapi.DeleteBGPPeerOutput{VirtualInterface: &shape}, nil
}
