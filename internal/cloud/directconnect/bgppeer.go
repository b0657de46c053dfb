package directconnect

import (
	"context"
	"net/netip"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// BGPPeer (dxpeer-…) is one BGP session of a virtual interface, held in
// its VIF's record. The first is the session the VIF was created with.
type BGPPeer struct {
	ID              string
	ASN             int64
	AddressFamily   string
	AmazonAddress   string
	CustomerAddress string
	AuthKey         string
	Provisioning
	// Status is the session's (up or down), derived on read.
	Status string `json:"-"`
}

// The address families.
const (
	ipv4 = "ipv4"
	ipv6 = "ipv6"
)

// peerPrefix is the prefix kept for peer ids.
const peerPrefix = "dxpeer-"

// linkLocal is where Amazon assigns IPv4 peer addresses from (a /30 each),
// and amazonIPv6 where it assigns IPv6 ones (a /125 each): the IPv6
// documentation prefix, as vpcemu owns no public IPv6 space.
var (
	linkLocal  = netip.MustParsePrefix("169.254.0.0/16")
	amazonIPv6 = netip.MustParsePrefix("2001:db8:dc::/48")
)

// newPeer checks a BGP peer's parameters for v and fills in what Amazon
// assigns: IPv4 addresses when both are omitted (a /30 from
// 169.254.0.0/16 that no peer on the same connection uses), IPv6 addresses
// always, and an authentication key.
func newPeer(t *cloud.Txn, v *VirtualInterface, asn int64, family, amazon, customer, authKey string) (BGPPeer, error) {
	if asn < 1 || asn > maxASN {
		return BGPPeer{}, refuse("ASN %d is not valid: the customer side ASN must be between 1 and %d.", asn, int64(maxASN))
	}
	if family == "" {
		family = ipv4
	}
	p := BGPPeer{ID: newID(t, peerPrefix), ASN: asn, AddressFamily: family, AuthKey: authKey}
	if p.AuthKey == "" {
		id := t.NewID("")
		p.AuthKey = "0x" + id[len(id)-16:]
	}
	switch family {
	case ipv4:
		if (amazon == "") != (customer == "") {
			return p, refuse("amazonAddress and customerAddress must both be set, or both be omitted for Amazon to assign them.")
		}
		if amazon == "" {
			if v.Type == Public {
				return p, refuse("A public virtual interface needs the public IPv4 addresses (amazonAddress and customerAddress) you own.")
			}
			a, c, err := freeLink(t, v)
			if err != nil {
				return p, err
			}
			amazon, customer = a, c
		} else if err := checkLink(amazon, customer); err != nil {
			return p, err
		}
	case ipv6:
		if amazon != "" || customer != "" {
			return p, refuse("IPv6 peer addresses are assigned by Amazon: leave amazonAddress and customerAddress empty.")
		}
		a, c, err := freeLink(t, v, ipv6)
		if err != nil {
			return p, err
		}
		amazon, customer = a, c
	default:
		return p, refuse("Address family %s is not valid: use ipv4 or ipv6.", family)
	}
	p.AmazonAddress, p.CustomerAddress = amazon, customer
	return p, nil
}

// checkLink checks customer-chosen IPv4 peer addresses: two addresses of
// one /30 or /31, given with its length.
func checkLink(amazon, customer string) error {
	a, errA := netip.ParsePrefix(amazon)
	c, errC := netip.ParsePrefix(customer)
	if errA != nil || errC != nil || !a.Addr().Is4() || !c.Addr().Is4() {
		return refuse("amazonAddress %s and customerAddress %s must be IPv4 addresses with their prefix length (169.254.255.1/30).", amazon, customer)
	}
	if a.Bits() != c.Bits() || a.Bits() < 30 || a.Masked() != c.Masked() || a.Addr() == c.Addr() {
		return refuse("amazonAddress %s and customerAddress %s must be two different addresses of the same /30 or /31.", amazon, customer)
	}
	return nil
}

// freeLink is the first free link of the family among the peers of the
// VIFs on v's connection or LAG (v's own peers included): a /30 of
// 169.254.0.0/16 for IPv4, a /125 for IPv6; Amazon's address first.
func freeLink(t *cloud.Txn, v *VirtualInterface, family ...string) (string, string, error) {
	space, bits := linkLocal, 30
	if len(family) > 0 && family[0] == ipv6 {
		space, bits = amazonIPv6, 125
	}
	used := map[netip.Prefix]bool{}
	vifs, err := cloud.FindAny[VirtualInterface](t, parentKey(v.ConnectionID))
	if err != nil {
		return "", "", err
	}
	for _, o := range append(vifs, v) {
		for _, p := range o.Peers {
			if a, err := netip.ParsePrefix(p.AmazonAddress); err == nil {
				used[a.Masked()] = true
			}
		}
	}
	for n := netip.PrefixFrom(space.Addr(), bits); space.Contains(n.Addr()); {
		if !used[n] {
			a := n.Addr().Next()
			return netip.PrefixFrom(a, bits).String(), netip.PrefixFrom(a.Next(), bits).String(), nil
		}
		last := n.Addr()
		for range 1 << (space.Addr().BitLen() - bits) {
			last = last.Next()
		}
		n = netip.PrefixFrom(last, bits)
	}
	return "", "", refuse("No free peer addresses are left on %s.", v.ConnectionID)
}

// NewBGPPeer is what CreateBGPPeer asks for.
type NewBGPPeer struct {
	ASN                            int64
	AddressFamily                  string
	AmazonAddress, CustomerAddress string
	AuthKey                        string
}

// CreateBGPPeer adds a BGP session to a VIF the caller owns: one per
// address family (the connections vpcemu models have no logical
// redundancy). It is pending until it comes up.
func (s *Service) CreateBGPPeer(ctx context.Context, who cloud.Caller, vifID string, in NewBGPPeer) (*VirtualInterface, error) {
	var out *VirtualInterface
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		v, err := ownVIF(t, vifID)
		if err != nil {
			return err
		}
		switch v.State {
		case StateConfirming, StateRejected:
			return refuse("Virtual interface %s is in the %s state.", v.ID, v.State)
		}
		p, err := newPeer(t, v, in.ASN, in.AddressFamily, in.AmazonAddress, in.CustomerAddress, in.AuthKey)
		if err != nil {
			return err
		}
		for _, o := range v.Peers {
			if o.AddressFamily == p.AddressFamily {
				return refuse("A BGP peer cannot be in the same address family as an existing BGP peer on the virtual interface (%s, %s).", o.ID, o.AddressFamily)
			}
		}
		p.Provisioning = s.provision(t, StatePending)
		v.Peers = append(v.Peers, p)
		if err := cloud.Put(t, v); err != nil {
			return err
		}
		if out, err = settledVIF(t, v); err != nil {
			return err
		}
		out.Peers[len(out.Peers)-1].State = StatePending
		return nil
	})
	return out, err
}

// PeerRef names a BGP peer to delete: by id, or by ASN and customer
// address.
type PeerRef struct {
	ID              string
	ASN             int64
	CustomerAddress string
}

// DeleteBGPPeer deletes a BGP session of a VIF the caller owns, unless it
// is the last one. The answer shows the peer deleting.
func (s *Service) DeleteBGPPeer(ctx context.Context, who cloud.Caller, vifID string, ref PeerRef) (*VirtualInterface, error) {
	var out *VirtualInterface
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		v, err := ownVIF(t, vifID)
		if err != nil {
			return err
		}
		i := -1
		for j, p := range v.Peers {
			if ref.ID != "" && p.ID == ref.ID || ref.ID == "" && p.ASN == ref.ASN && p.CustomerAddress == ref.CustomerAddress {
				i = j
			}
		}
		if i < 0 {
			return refuse("The BGP peer does not exist on virtual interface %s.", v.ID)
		}
		if len(v.Peers) == 1 {
			return refuse("The last BGP Peer on a Virtual Interface cannot be deleted")
		}
		if out, err = settledVIF(t, v); err != nil {
			return err
		}
		out.Peers[i].State, out.Peers[i].Status = StateDeleting, "down"
		v.Peers = append(v.Peers[:i], v.Peers[i+1:]...)
		return cloud.Put(t, v)
	})
	return out, err
}
