// Package cidr is the IP prefix arithmetic AWS networking needs: parsing
// blocks the way EC2 accepts them, containment, overlap, and addressing
// inside a subnet (AWS reserves the first four and the last address).
package cidr

import (
	"errors"
	"math/big"
	"net/netip"
)

// ErrNotCanonical is returned for a block with host bits set (10.0.0.1/16).
var ErrNotCanonical = errors.New("cidr: host bits set")

// Parse parses an IPv4 or IPv6 block; it must be in canonical form.
func Parse(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	if p.Addr().Is4In6() {
		return netip.Prefix{}, errors.New("cidr: IPv4-mapped IPv6 block")
	}
	if p.Masked() != p {
		return p.Masked(), ErrNotCanonical
	}
	return p, nil
}

// ParseV4 parses an IPv4 block in canonical form.
func ParseV4(s string) (netip.Prefix, error) {
	p, err := Parse(s)
	if err == nil && !p.Addr().Is4() {
		return netip.Prefix{}, errors.New("cidr: not an IPv4 block")
	}
	return p, err
}

// ParseV6 parses an IPv6 block in canonical form.
func ParseV6(s string) (netip.Prefix, error) {
	p, err := Parse(s)
	if err == nil && !p.Addr().Is6() {
		return netip.Prefix{}, errors.New("cidr: not an IPv6 block")
	}
	return p, err
}

// CanonicalV4 parses an IPv4 block and clears its host bits, as EC2 does
// with the blocks of VPCs, subnets and network ACL rules ("we modify the
// specified CIDR block to its canonical form; for example, if you specify
// 100.68.0.18/18, we modify it to 100.68.0.0/18").
func CanonicalV4(s string) (netip.Prefix, error) {
	p, err := ParseV4(s)
	if errors.Is(err, ErrNotCanonical) && p.Addr().Is4() {
		return p, nil
	}
	return p, err
}

// CanonicalV6 is CanonicalV4 for IPv6 blocks.
func CanonicalV6(s string) (netip.Prefix, error) {
	p, err := ParseV6(s)
	if errors.Is(err, ErrNotCanonical) && p.Addr().Is6() {
		return p, nil
	}
	return p, err
}

// Contains reports whether inner lies entirely inside outer.
func Contains(outer, inner netip.Prefix) bool {
	return outer.Addr().BitLen() == inner.Addr().BitLen() && outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// Overlap reports whether two blocks share any address.
func Overlap(a, b netip.Prefix) bool {
	return a.Addr().BitLen() == b.Addr().BitLen() && a.Overlaps(b)
}

// Size is the number of addresses in an IPv4 block (IPv6 blocks are capped
// at 2^63, more than any count vpcemu keeps).
func Size(p netip.Prefix) int64 {
	host := p.Addr().BitLen() - p.Bits()
	if host >= 63 {
		return 1 << 62
	}
	return 1 << host
}

// Nth returns the address at offset n from the start of the block.
func Nth(p netip.Prefix, n int64) netip.Addr {
	b := p.Addr().AsSlice()
	x := new(big.Int).SetBytes(b)
	x.Add(x, big.NewInt(n))
	out := x.FillBytes(make([]byte, len(b)))
	a, _ := netip.AddrFromSlice(out)
	return a
}

// Offset returns the position of addr inside the block, saturating at the
// largest int64 for IPv6 blocks too large to count.
func Offset(p netip.Prefix, addr netip.Addr) int64 {
	off := offset(p, addr)
	if !off.IsInt64() {
		return 1<<63 - 1
	}
	return off.Int64()
}

func offset(p netip.Prefix, addr netip.Addr) *big.Int {
	base := new(big.Int).SetBytes(p.Addr().AsSlice())
	x := new(big.Int).SetBytes(addr.AsSlice())
	return x.Sub(x, base)
}

// Reserved reports whether AWS reserves addr in a subnet with block p: the
// network address, the next three (router, DNS, future use) and, in IPv4,
// the broadcast address.
func Reserved(p netip.Prefix, addr netip.Addr) bool {
	off := Offset(p, addr)
	if off < 4 {
		return true
	}
	return p.Addr().Is4() && off == Size(p)-1
}

// Usable is the number of addresses AWS lets instances use in an IPv4
// subnet with block p.
func Usable(p netip.Prefix) int64 { return Size(p) - 5 }

// IsPrivate reports whether an IPv4 address is in RFC 1918 space.
func IsPrivate(a netip.Addr) bool { return a.Is4() && a.IsPrivate() }

// ParseAll is the blocks of cidrs that parse, masked; the others are left
// out (stored blocks were checked when they were written).
func ParseAll(cidrs []string) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(cidrs))
	for _, c := range cidrs {
		if p, err := netip.ParsePrefix(c); err == nil {
			out = append(out, p.Masked())
		}
	}
	return out
}

// AnyContains reports whether one of ps contains a.
func AnyContains(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
