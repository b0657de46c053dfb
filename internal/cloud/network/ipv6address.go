package network

import (
	"context"
	"net/netip"

	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// IPv6Spec is the IPv6 addresses a create call asks for: these addresses,
// or Count picked ones (AWS takes one or the other).
type IPv6Spec struct {
	Addresses []string
	Count     int
	// SubnetDefault lets the subnet's AssignIpv6AddressOnCreation give one
	// address when none is asked for (user interfaces and instances).
	SubnetDefault bool
}

func (sp IPv6Spec) check() error {
	if len(sp.Addresses) > 0 && sp.Count > 0 {
		return cloud.Errorf(cloud.InvalidCombination, "", "IPv6 addresses and IPv6 address count may not be specified on the same request")
	}
	if sp.Count < 0 {
		return cloud.InvalidParam("Value (%d) for parameter ipv6AddressCount is invalid. Expected a positive integer.", sp.Count)
	}
	return nil
}

// ipv6For allocates the IPv6 addresses a new interface in s gets: those
// asked for, else one when the subnet assigns one on creation (always in
// an IPv6-only subnet).
func ipv6For(t *cloud.Txn, s *Subnet, sp IPv6Spec) ([]string, error) {
	if err := sp.check(); err != nil {
		return nil, err
	}
	count := sp.Count
	if len(sp.Addresses) == 0 && count == 0 && (s.IPv6Native || sp.SubnetDefault && s.AssignIPv6AddressOnCreation) {
		count = 1
	}
	if len(sp.Addresses) == 0 && count == 0 {
		return nil, nil
	}
	return AllocateIPv6(t, s, sp.Addresses, count)
}

// AllocateIPv6 takes IPv6 addresses in the subnet's IPv6 block: want, each
// free and not one of the four AWS reserves, then count more, lowest first.
func AllocateIPv6(t *cloud.Txn, s *Subnet, want []string, count int) ([]string, error) {
	p, ok := s.IPv6Prefix()
	if !ok {
		return nil, cloud.InvalidParam("The subnet %s has no IPv6 CIDR block associated with it: it cannot assign IPv6 addresses.", s.ID)
	}
	taken, err := usedIPv6(t, s.ID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, w := range want {
		a, err := netip.ParseAddr(w)
		if err != nil || !a.Is6() || a.Is4In6() {
			return nil, cloud.InvalidParam("Value (%s) for parameter ipv6Addresses is invalid. This is not a valid IPv6 address.", w)
		}
		if !p.Contains(a) {
			return nil, cloud.InvalidParam("Address %s does not fall within the subnet's address range", w)
		}
		if cidr.Reserved(p, a) {
			return nil, cloud.InvalidParam("Address %s is in subnet's reserved address range", w)
		}
		if taken[a] {
			return nil, cloud.Errorf(cloud.InUse, cloud.KindAddress, "Address %s is in use.", a)
		}
		taken[a] = true
		out = append(out, a.String())
	}
	// Picked addresses skip the subnet's CIDR reservations, a whole
	// reservation at a time (an IPv6 one may hold 2^60 addresses).
	reserved, err := reservedForUser(t, s.ID)
	if err != nil {
		return nil, err
	}
	for off := int64(4); count > 0; off++ {
		if off < 0 || off == 1<<63-1 {
			return nil, cloud.Errorf(cloud.InsufficientAddresses, cloud.KindSubnet, "There are not enough free IPv6 addresses in subnet '%s'.", s.ID)
		}
		a := cidr.Nth(p, off)
		if r := blockOf(reserved, a); r.IsValid() {
			off = cidr.Offset(p, afterBlock(r)) - 1
			continue
		}
		if !taken[a] {
			taken[a] = true
			out = append(out, a.String())
			count--
		}
	}
	return out, nil
}

// blockOf is the block of blocks that holds a, or the zero Prefix.
func blockOf(blocks []netip.Prefix, a netip.Addr) netip.Prefix {
	for _, b := range blocks {
		if b.Contains(a) {
			return b
		}
	}
	return netip.Prefix{}
}

// afterBlock is the address just past a block.
func afterBlock(b netip.Prefix) netip.Addr {
	x := b.Masked().Addr().As16()
	for i := b.Bits(); i < 128; i++ {
		x[i/8] |= 0x80 >> (i % 8)
	}
	return netip.AddrFrom16(x).Next()
}

// usedIPv6 collects the IPv6 addresses the subnet's interfaces hold.
func usedIPv6(t *cloud.Txn, subnetID string) (map[netip.Addr]bool, error) {
	enis, err := cloud.FindAny[NetworkInterface](t, cloud.Key{Name: "subnet-id", Value: subnetID})
	if err != nil {
		return nil, err
	}
	taken := map[netip.Addr]bool{}
	for _, e := range enis {
		for _, ip := range e.IPv6Addresses {
			if a, err := netip.ParseAddr(ip); err == nil {
				taken[a] = true
			}
		}
	}
	return taken, nil
}

// AssignIPv6Addresses gives an interface more IPv6 addresses: these ones,
// or count picked ones from its subnet's IPv6 block. A requester-managed
// interface's addresses are its service's to change.
func (c *Service) AssignIPv6Addresses(ctx context.Context, who cloud.Caller, id string, addrs []string, count int) ([]string, error) {
	if err := (IPv6Spec{Addresses: addrs, Count: count}).check(); err != nil {
		return nil, err
	}
	if len(addrs) == 0 && count == 0 {
		return nil, cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter ipv6Addresses or ipv6AddressCount")
	}
	var assigned []string
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		eni, s, err := userInterfaceIn(t, id)
		if err != nil {
			return err
		}
		if assigned, err = AllocateIPv6(t, s, addrs, count); err != nil {
			return err
		}
		eni.IPv6Addresses = append(eni.IPv6Addresses, assigned...)
		return cloud.Put(t, eni)
	})
	return assigned, err
}

// UnassignIPv6Addresses takes IPv6 addresses off an interface; an
// interface in an IPv6-only subnet keeps one.
func (c *Service) UnassignIPv6Addresses(ctx context.Context, who cloud.Caller, id string, addrs []string) ([]string, error) {
	var dropped []string
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		dropped = nil
		eni, err := getInterface(t, id)
		if err != nil {
			return err
		}
		if err := eni.checkUserManaged(); err != nil {
			return err
		}
		drop := map[netip.Addr]bool{}
		for _, a := range addrs {
			if p, err := netip.ParseAddr(a); err == nil {
				drop[p] = true
			} else {
				return cloud.InvalidParam("Value (%s) for parameter ipv6Addresses is invalid. This is not a valid IPv6 address.", a)
			}
		}
		kept := eni.IPv6Addresses[:0:0]
		for _, a := range eni.IPv6Addresses {
			if p, _ := netip.ParseAddr(a); drop[p] {
				delete(drop, p)
				dropped = append(dropped, a)
				continue
			}
			kept = append(kept, a)
		}
		if len(drop) > 0 {
			return cloud.InvalidParam("Some of the specified addresses are not assigned to interface %s", eni.ID)
		}
		s, err := cloud.GetAny[Subnet](t.StoreTx, eni.SubnetID)
		if err != nil {
			return err
		}
		if s.IPv6Native && len(kept) == 0 {
			return cloud.InvalidParam("The network interface %s is in an IPv6-only subnet and must keep at least one IPv6 address.", eni.ID)
		}
		eni.IPv6Addresses = kept
		return cloud.Put(t, eni)
	})
	return dropped, err
}
