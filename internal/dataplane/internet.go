package dataplane

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcemu/vpcemu/internal/reach"
)

// InternetStandIn is a server on this machine standing in for one on the
// internet: a flow an internet gateway carries to Public reaches Local.
type InternetStandIn struct {
	Public netip.AddrPort
	Local  netip.AddrPort
}

// ParseInternetStandIn reads PUBLIC_IP:PORT=127.0.0.1:PORT. The public
// side must be an address an internet gateway carries, by the engine's
// rule (reach.IsInternet), and not a loopback, link-local, unspecified or
// multicast one; the local side must be a loopback address: the data
// plane contacts nothing else.
func ParseInternetStandIn(s string) (InternetStandIn, error) {
	public, local, ok := strings.Cut(s, "=")
	if !ok {
		return InternetStandIn{}, fmt.Errorf("%q: want PUBLIC_IP:PORT=127.0.0.1:PORT", s)
	}
	p, err := netip.ParseAddrPort(strings.TrimSpace(public))
	if err != nil {
		return InternetStandIn{}, fmt.Errorf("%q: the internet's side: %w", s, err)
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
	return InternetStandIn{Public: p, Local: l}, nil
}
