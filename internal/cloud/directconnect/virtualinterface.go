package directconnect

import (
	"context"
	"net/netip"
	"slices"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// The types of virtual interface.
const (
	Private = "private"
	Public  = "public"
	Transit = "transit"
)

// VirtualInterface (dxvif-…) is a VLAN on a connection or LAG with a BGP
// session to AWS: private (to a virtual private gateway or a Direct Connect
// gateway), public (to AWS's public prefixes) or transit (to a Direct
// Connect gateway toward transit gateways). A hosted one belongs to
// another account than the connection (ConnectionOwner allocated it); both
// see it.
type VirtualInterface struct {
	cloud.Meta
	Type            string
	Name            string
	ConnectionID    string // a connection or a LAG
	ConnectionOwner string
	Location        string
	Vlan            int
	// ASN, AddressFamily, the addresses and AuthKey are the first BGP
	// peer's, as the VIF was created with.
	ASN             int64
	AmazonSideASN   int64
	AddressFamily   string
	AmazonAddress   string `json:",omitempty"`
	CustomerAddress string `json:",omitempty"`
	AuthKey         string
	MTU             int
	SiteLink        bool     `json:",omitempty"`
	VGWID           string   `json:",omitempty"`
	GatewayID       string   `json:",omitempty"` // a Direct Connect gateway
	RouteFilters    []string `json:",omitempty"` // a public VIF's prefixes
	// Advertised are the prefixes the customer's router advertises to AWS
	// over the VIF's BGP sessions (vpcemu dx advertise): no AWS call says
	// them.
	Advertised []string `json:",omitempty"`
	Provisioning
	Peers     []BGPPeer
	AWSDevice string
}

func (*VirtualInterface) Kind() cloud.Kind { return cloud.KindDXVirtualInterface }

func init() { cloud.RegisterType[VirtualInterface]() }

func (v *VirtualInterface) Keys() []cloud.Key {
	keys := []cloud.Key{parentKey(v.ConnectionID), cloud.SeenByKey(v.Scope())}
	if v.ConnectionOwner != v.Owner {
		keys = append(keys, cloud.SeenByKey(cloud.Scope{Account: v.ConnectionOwner, Region: v.Region}))
	}
	if v.GatewayID != "" {
		keys = append(keys, gatewayKey(v.GatewayID))
	}
	if v.VGWID != "" {
		keys = append(keys, vgwKey(v.VGWID))
	}
	return keys
}

// SeenBy implements cloud.Shared: the VIF's owner and the connection's
// owner see it, in its region.
func (v *VirtualInterface) SeenBy(s cloud.Scope, _ time.Time) bool {
	return s.Region == v.Region && (s.Account == v.Owner || s.Account == v.ConnectionOwner)
}

// ARN is the virtual interface's Amazon Resource Name.
func (v *VirtualInterface) ARN() string { return dxARN(&v.Meta, "dxvif") }

// Hosted reports whether the VIF belongs to another account than its
// connection.
func (v *VirtualInterface) Hosted() bool { return v.Owner != v.ConnectionOwner }

// mtus are the MTUs each type of VIF takes, the default first.
var mtus = map[string][]int{Private: {1500, 9001}, Transit: {1500, 8500}, Public: {1500}}

// publicASN is the Amazon side ASN of public virtual interfaces.
const publicASN = 7224

// maxASN is the largest ASN a customer's side may have.
const maxASN = 4294967294

// NewVirtualInterface is what the Create… and Allocate…VirtualInterface
// calls ask for.
type NewVirtualInterface struct {
	Type         string
	ConnectionID string
	// Owner is the account a hosted VIF is allocated to; empty for the
	// caller's own.
	Owner                          string
	Name                           string
	Vlan                           int
	ASN                            int64
	AddressFamily                  string
	AmazonAddress, CustomerAddress string
	AuthKey                        string
	MTU                            int
	SiteLink                       bool
	VGWID, GatewayID               string
	RouteFilters                   []string
	Tags                           cloud.Tags
}

// CreateVirtualInterface creates a virtual interface on one of the
// caller's connections or LAGs: for the caller (pending until BGP comes up;
// a public one verifying until its prefixes are), or allocated to another
// account (confirming until it confirms).
func (s *Service) CreateVirtualInterface(ctx context.Context, who cloud.Caller, in NewVirtualInterface) (*VirtualInterface, error) {
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	hosted := in.Owner != ""
	if hosted {
		if err := checkAccount(in.Owner); err != nil {
			return nil, err
		}
		if in.Owner == who.Account {
			return nil, refuse("Cannot allocate VirtualInterface for the connection owner.")
		}
	}
	var out *VirtualInterface
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		location, _, device, err := hostParent(t, in.ConnectionID)
		if err != nil {
			return err
		}
		v := &VirtualInterface{
			Meta: cloud.Meta{ID: newID(t, cloud.Prefix(cloud.KindDXVirtualInterface)), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: in.Tags},
			Type: in.Type, Name: in.Name, ConnectionID: in.ConnectionID, ConnectionOwner: t.Scope.Account,
			Location: location, Vlan: in.Vlan, ASN: in.ASN, AddressFamily: in.AddressFamily, AuthKey: in.AuthKey,
			MTU: in.MTU, SiteLink: in.SiteLink, RouteFilters: in.RouteFilters, AWSDevice: device,
		}
		if hosted {
			v.Owner = in.Owner
		}
		if err := s.checkVirtualInterface(t, v, in); err != nil {
			return err
		}
		if !hosted {
			if err := s.attach(t, v, in.VGWID, in.GatewayID); err != nil {
				return err
			}
		}
		peer, err := newPeer(t, v, in.ASN, in.AddressFamily, in.AmazonAddress, in.CustomerAddress, in.AuthKey)
		if err != nil {
			return err
		}
		v.AddressFamily, v.AmazonAddress, v.CustomerAddress, v.AuthKey = peer.AddressFamily, peer.AmazonAddress, peer.CustomerAddress, peer.AuthKey
		v.Peers = []BGPPeer{peer}
		if hosted {
			v.Provisioning, v.Peers[0].Provisioning = Provisioning{State: StateConfirming}, Provisioning{State: StatePending}
		} else {
			s.start(t, v)
		}
		if err := cloud.Put(t, v); err != nil {
			return err
		}
		answer := *v
		answer.Peers = []BGPPeer{v.Peers[0]}
		answer.Peers[0].Status = "down"
		out = &answer
		return nil
	})
	return out, err
}

// start sets a VIF and its first BGP session on their way up: a public VIF
// verifying its prefixes, others pending, both until the provision delay
// has passed.
func (s *Service) start(t *cloud.Txn, v *VirtualInterface) {
	if v.Type == Public {
		v.Provisioning = s.provision(t, StateVerifying)
	} else {
		v.Provisioning = s.provision(t, StatePending)
	}
	v.Peers[0].Provisioning = s.provision(t, StatePending)
}

// checkVirtualInterface checks what a new VIF asks for against its type
// and its connection.
func (s *Service) checkVirtualInterface(t *cloud.Txn, v *VirtualInterface, in NewVirtualInterface) error {
	if v.Name == "" {
		return refuse("virtualInterfaceName must be set.")
	}
	if v.ASN < 1 || v.ASN > maxASN {
		return refuse("ASN %d is not valid: the customer side ASN must be between 1 and %d.", v.ASN, int64(maxASN))
	}
	allowed := mtus[v.Type]
	if v.MTU == 0 {
		v.MTU = allowed[0]
	}
	if !slices.Contains(allowed, v.MTU) {
		return refuse("MTU %d is not valid for a %s virtual interface. Valid MTUs: %v.", v.MTU, v.Type, allowed)
	}
	if v.SiteLink && v.Type == Public {
		return refuse("SiteLink is not supported on public virtual interfaces.")
	}
	for _, p := range v.RouteFilters {
		if _, err := netip.ParsePrefix(p); err != nil {
			return refuse("Route filter prefix %s is not a valid CIDR.", p)
		}
	}
	if v.Type == Public && v.AddressFamily != ipv6 && len(v.RouteFilters) == 0 {
		return refuse("A public virtual interface needs at least one route filter prefix to advertise.")
	}
	if err := hostedVlan(t, v); err != nil {
		return err
	}
	return freeVlan(t, v.ConnectionID, v.Vlan)
}

// hostedVlan checks a VIF on a hosted connection: one VIF, on the VLAN the
// partner gave the connection.
func hostedVlan(t *cloud.Txn, v *VirtualInterface) error {
	c, err := cloud.GetAny[Connection](t, v.ConnectionID)
	if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
		return nil // a LAG
	}
	if err != nil || !c.Hosted() {
		return err
	}
	if v.Vlan != c.Vlan {
		return refuse("VLAN %d does not match VLAN %d of hosted connection %s.", v.Vlan, c.Vlan, c.ID)
	}
	return nil
}

// attach joins a private or transit VIF to the gateway it names: exactly
// one of a virtual private gateway or a Direct Connect gateway for a
// private VIF, a Direct Connect gateway for a transit one. A Direct
// Connect gateway takes private or transit VIFs, never both.
func (s *Service) attach(t *cloud.Txn, v *VirtualInterface, vgwID, gatewayID string) error {
	switch v.Type {
	case Public:
		if vgwID != "" || gatewayID != "" {
			return refuse("A public virtual interface is not attached to a gateway.")
		}
		v.AmazonSideASN = publicASN
		return nil
	case Transit:
		if vgwID != "" {
			return refuse("A transit virtual interface attaches to a Direct Connect gateway, not to virtual private gateway %s.", vgwID)
		}
		if gatewayID == "" {
			return refuse("directConnectGatewayId must be set for a transit virtual interface.")
		}
	case Private:
		if (vgwID == "") == (gatewayID == "") {
			return refuse("Exactly one of virtualGatewayId and directConnectGatewayId must be set for a private virtual interface.")
		}
	}
	if vgwID != "" {
		asn, err := s.virtualGatewayASN(t, vgwID)
		if err != nil {
			return err
		}
		v.VGWID, v.AmazonSideASN = vgwID, asn
		return nil
	}
	g, err := ownGateway(t, gatewayID)
	if err != nil {
		return err
	}
	if err := mixes(t, g, v.Type); err != nil {
		return err
	}
	v.GatewayID, v.AmazonSideASN = g.ID, g.AmazonSideASN
	return nil
}

// mixes refuses a VIF of type on a gateway that has VIFs of the other
// type, or associations they cannot reach.
func mixes(t *cloud.Txn, g *Gateway, vifType string) error {
	vifs, err := cloud.FindAny[VirtualInterface](t, gatewayKey(g.ID))
	if err != nil {
		return err
	}
	for _, o := range vifs {
		if o.Type != vifType {
			return refuse("Direct Connect Gateway %s has %s virtual interfaces (%s); it cannot also take %s virtual interfaces.", g.ID, o.Type, o.ID, vifType)
		}
	}
	assocs, err := cloud.FindAny[GatewayAssociation](t, gatewayKey(g.ID))
	if err != nil {
		return err
	}
	for _, a := range assocs {
		if vifType == Transit && a.AssociatedType == VirtualPrivateGateway {
			return refuse("Direct Connect Gateway %s is associated with virtual private gateway %s; it cannot take transit virtual interfaces.", g.ID, a.AssociatedID)
		}
	}
	return nil
}

// settledVIF is the VIF as it is now: its own state at t.Now, down while
// its connection or LAG is not up, and its peers' BGP sessions.
func settledVIF(t *cloud.Txn, v *VirtualInterface) (*VirtualInterface, error) {
	out := *v
	out.State = v.at(t.Now)
	switch out.State {
	case StatePending, StateAvailable, StateVerifying:
		up, err := parentUp(t, v.ConnectionID)
		if err != nil {
			return nil, err
		}
		if !up {
			out.State = StateDown
		}
	}
	out.Peers = make([]BGPPeer, len(v.Peers))
	for i, p := range v.Peers {
		p.State = p.at(t.Now)
		p.Status = "down"
		if out.State == StateAvailable && p.State == StateAvailable {
			p.Status = "up"
		}
		out.Peers[i] = p
	}
	return &out, nil
}

// visibleVIF reads a VIF the caller sees.
func visibleVIF(t *cloud.Txn, id string) (*VirtualInterface, error) {
	return cloud.GetVisible[VirtualInterface](t, id)
}

// ownVIF reads a VIF the caller owns.
func ownVIF(t *cloud.Txn, id string) (*VirtualInterface, error) {
	v, err := visibleVIF(t, id)
	if err != nil {
		return nil, err
	}
	if v.Owner != t.Scope.Account {
		return nil, cloud.Missing(cloud.KindDXVirtualInterface, id)
	}
	return v, nil
}

// DescribeVirtualInterfaces lists the VIFs the caller sees, on one
// connection or LAG, or the one named. One that does not exist is no
// error: AWS lists none (and Terraform waits for that after a delete).
func (s *Service) DescribeVirtualInterfaces(ctx context.Context, who cloud.Caller, connectionID, id string) ([]*VirtualInterface, error) {
	var out []*VirtualInterface
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		var vifs []*VirtualInterface
		switch {
		case id != "":
			v, err := visibleVIF(t, id)
			if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
				return nil
			}
			if err != nil {
				return err
			}
			vifs = []*VirtualInterface{v}
		default:
			page, err := cloud.ListIn[VirtualInterface](t, cloud.Query{}, nil)
			if err != nil {
				return err
			}
			vifs = page.Items
		}
		for _, v := range vifs {
			if connectionID != "" && v.ConnectionID != connectionID {
				continue
			}
			v, err := settledVIF(t, v)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// Confirmation is what the owner of a hosted VIF confirms it with: the
// gateway it attaches to (none for a public one).
type Confirmation struct {
	VGWID, GatewayID string
}

// ConfirmVirtualInterface is the owner of a hosted VIF accepting it: it
// attaches to the gateway named and comes up like one of its own. The
// call names the type of VIF it confirms.
func (s *Service) ConfirmVirtualInterface(ctx context.Context, who cloud.Caller, vifType, id string, c Confirmation) (string, error) {
	var state string
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		v, err := ownVIF(t, id)
		if err != nil {
			return err
		}
		if v.Type != vifType {
			return refuse("Virtual interface %s is a %s virtual interface, not a %s one.", v.ID, v.Type, vifType)
		}
		if v.State != StateConfirming {
			return refuse("Virtual interface %s is not in the confirming state (it is %s).", v.ID, v.at(t.Now))
		}
		if err := s.attach(t, v, c.VGWID, c.GatewayID); err != nil {
			return err
		}
		s.start(t, v)
		state = v.State
		return cloud.Put(t, v)
	})
	return state, err
}

// VirtualInterfaceUpdate is what UpdateVirtualInterfaceAttributes
// changes; nil leaves a field.
type VirtualInterfaceUpdate struct {
	Name     *string
	MTU      *int
	SiteLink *bool
}

// UpdateVirtualInterface changes a VIF's name, MTU or SiteLink.
func (s *Service) UpdateVirtualInterface(ctx context.Context, who cloud.Caller, id string, u VirtualInterfaceUpdate) (*VirtualInterface, error) {
	var out *VirtualInterface
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		v, err := ownVIF(t, id)
		if err != nil {
			return err
		}
		if u.Name != nil {
			v.Name = *u.Name
		}
		if u.MTU != nil {
			if !slices.Contains(mtus[v.Type], *u.MTU) {
				return refuse("MTU %d is not valid for a %s virtual interface. Valid MTUs: %v.", *u.MTU, v.Type, mtus[v.Type])
			}
			v.MTU = *u.MTU
		}
		if u.SiteLink != nil {
			if *u.SiteLink && v.Type == Public {
				return refuse("SiteLink is not supported on public virtual interfaces.")
			}
			v.SiteLink = *u.SiteLink
		}
		if err := cloud.Put(t, v); err != nil {
			return err
		}
		out, err = settledVIF(t, v)
		return err
	})
	return out, err
}

// DeleteVirtualInterface deletes a VIF (its owner or its connection's
// owner may), and answers its state: deleting. The owner deleting a hosted
// VIF it has not confirmed rejects it instead.
func (s *Service) DeleteVirtualInterface(ctx context.Context, who cloud.Caller, id string) (string, error) {
	var state string
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		v, err := visibleVIF(t, id)
		if err != nil {
			return err
		}
		if v.State == StateConfirming && v.Owner == t.Scope.Account {
			v.Provisioning = Provisioning{State: StateRejected}
			state = v.State
			return cloud.Put(t, v)
		}
		state = StateDeleting
		return cloud.Remove(t, v)
	})
	return state, err
}

// Attachment is a VIF's attachment to a Direct Connect gateway.
type Attachment struct {
	GatewayID, VirtualInterfaceID string
	VIFOwner, VIFRegion           string
	Type                          string // private or transit
	State                         string
}

// DescribeAttachments lists the attachments of VIFs to Direct Connect
// gateways that the caller sees: those of its gateway, or of a VIF it sees.
func (s *Service) DescribeAttachments(ctx context.Context, who cloud.Caller, gatewayID, vifID string) ([]Attachment, error) {
	var out []Attachment
	err := s.View(ctx, who, func(t *cloud.Txn) error {
		var vifs []*VirtualInterface
		switch {
		case vifID != "":
			v, err := visibleVIF(t, vifID)
			if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
				return nil
			}
			if err != nil {
				return err
			}
			vifs = []*VirtualInterface{v}
		case gatewayID != "":
			g, err := ownGateway(t, gatewayID)
			if err != nil {
				return err
			}
			if vifs, err = cloud.FindAny[VirtualInterface](t, gatewayKey(g.ID)); err != nil {
				return err
			}
		default:
			return refuse("directConnectGatewayId or virtualInterfaceId must be set.")
		}
		for _, v := range vifs {
			if v.GatewayID == "" || gatewayID != "" && v.GatewayID != gatewayID {
				continue
			}
			out = append(out, Attachment{GatewayID: v.GatewayID, VirtualInterfaceID: v.ID, VIFOwner: v.Owner,
				VIFRegion: v.Region, Type: v.Type, State: "attached"})
		}
		return nil
	})
	return out, err
}
