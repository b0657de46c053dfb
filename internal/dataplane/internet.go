package dataplane

import (
	"fmt"
	"hash/fnv"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/reach"
)

// InternetStandIn is a server on this machine standing in for one on the
// internet: a flow an internet gateway carries to Public reaches Local.
// A stand-in given by name has Name; its Public address is one the data
// plane picks (NameInternetStandIns), and its DNS answers the name with it.
type InternetStandIn struct {
	Name   string // a DNS name, lower case, without the final dot
	Public netip.AddrPort
	Local  netip.AddrPort
}

// ParseInternetStandIn reads PUBLIC_IP:PORT=127.0.0.1:PORT or
// NAME:PORT=127.0.0.1:PORT. The public side must be an address an internet
// gateway carries, by the engine's rule (reach.IsInternet), and not a
// loopback, link-local, unspecified or multicast one; the local side must
// be a loopback address: the data plane contacts nothing else.
func ParseInternetStandIn(s string) (InternetStandIn, error) {
	public, local, ok := strings.Cut(s, "=")
	if !ok {
		return InternetStandIn{}, fmt.Errorf("%q: want PUBLIC_IP:PORT=127.0.0.1:PORT or NAME:PORT=127.0.0.1:PORT", s)
	}
	var name string
	p, err := netip.ParseAddrPort(strings.TrimSpace(public))
	if err != nil {
		host, port, cut := strings.Cut(strings.TrimSpace(public), ":")
		n, perr := strconv.ParseUint(port, 10, 16)
		if !cut || perr != nil || n == 0 || !validName(host) {
			return InternetStandIn{}, fmt.Errorf("%q: the internet's side: want an address and port, or a DNS name and port (api.example.com:443)", s)
		}
		name = strings.ToLower(strings.TrimSuffix(host, "."))
		p = netip.AddrPortFrom(netip.AddrFrom4([4]byte{198, 51, 100, 1}), uint16(n)) // until named
	}
	l, err := netip.ParseAddrPort(strings.TrimSpace(local))
	if err != nil {
		return InternetStandIn{}, fmt.Errorf("%q: the local side: %w", s, err)
	}
	a := p.Addr()
	if !reach.IsInternet(a) || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified() || a.IsMulticast() {
		return InternetStandIn{}, fmt.Errorf("%q: %s is not an internet address (an internet gateway does not carry it)", s, a)
	}
	if !l.Addr().IsLoopback() {
		return InternetStandIn{}, fmt.Errorf("%q: the stand-in must listen on a loopback address; vpcemu contacts nothing beyond this machine", s)
	}
	return InternetStandIn{Name: name, Public: p, Local: l}, nil
}

// validName reports whether s is a DNS name of two labels or more.
func validName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	labels := strings.Split(s, ".")
	if len(s) > 253 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// NameInternetStandIns gives each named stand-in its public address: one
// of TEST-NET-2 (198.51.100.0/24, an internet address to the engine) by
// the name's hash, the same for every port of a name and never one an
// address-given stand-in uses. Every name's DNS answer is that address.
func NameInternetStandIns(ins []InternetStandIn) []InternetStandIn {
	taken, byName := map[netip.Addr]bool{}, map[string]netip.Addr{}
	for _, in := range ins {
		if in.Name == "" {
			taken[in.Public.Addr()] = true
		}
	}
	out := slices.Clone(ins)
	for i, in := range out {
		if in.Name == "" {
			continue
		}
		a, ok := byName[in.Name]
		if !ok {
			h := fnv.New32a()
			h.Write([]byte(in.Name))
			v := h.Sum32()
			for {
				a = netip.AddrFrom4([4]byte{198, 51, 100, byte(1 + v%254)})
				if !taken[a] {
					break
				}
				v++
			}
			taken[a], byName[in.Name] = true, a
		}
		out[i].Public = netip.AddrPortFrom(a, in.Public.Port())
	}
	return out
}
