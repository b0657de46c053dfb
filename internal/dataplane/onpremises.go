package dataplane

// Hosts on premises, behind a private Direct Connect virtual interface
// (`vpcemu run --on-premises ADDR --via dxvif-…`). A process plays one the
// way a process plays an instance: its namespace holds ADDR on a TUN
// device whose other end is a stack of the fabric's, keyed by (VIF, ADDR)
// instead of an instance id. Its flows ask the engine the question
// `vpcemu analyze --from ADDR --via dxvif-…` asks (SourceIP ADDR, Via the
// VIF, no source instance); an instance's flow whose path ends behind a
// VIF (toOnPremises picks it) is delivered to the process playing its
// destination behind that VIF. Nothing on premises answers for an address
// no process plays: the customer's network has no host there, so the
// packet is dropped and the client times out. In proxy mode the host is a
// proxy session under the same key, serving its --listen ports.

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// errNoHost is a flow carried on premises to an address no process plays:
// no host answers it, not even with a reset.
var errNoHost = errors.New("no host on premises at that address")

// onPremisesKey names a host on premises where the fabric keys what
// plays instances by instance id (ids never hold a slash).
func onPremisesKey(via string, addr netip.Addr) string { return via + "/" + addr.String() }

// player is who plays the flow's source: its instance, or its host on
// premises.
func (f Flow) player() string {
	if f.Via != "" {
		return onPremisesKey(f.Via, f.Src.Addr())
	}
	return f.Instance
}

// Player is who a run configuration plays: the instance, or the host on
// premises (VIF/ADDR); in proxy mode, the user name of its credentials.
func (c RunConfig) Player() string {
	if c.Via != "" && len(c.Addresses) == 1 {
		if p, err := netip.ParsePrefix(c.Addresses[0]); err == nil {
			return onPremisesKey(c.Via, p.Addr())
		}
	}
	return c.Instance
}

// flow is a new proxied flow from a session's instance or host on
// premises.
func (s *session) flow(src, dst netip.AddrPort, p reach.Protocol) Flow {
	if s.via != "" {
		return Flow{Via: s.via, Src: src, Dst: dst, Protocol: p}
	}
	return Flow{Instance: s.instance, Src: src, Dst: dst, Protocol: p}
}

// listening reports whether a proxied process serves any port for who
// plays it.
func (f *Fabric) listening(player string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.listeners[player]) > 0
}

// onPremisesOf is the VIF a path's last hop is, when the path ends on
// premises ("" otherwise).
func onPremisesOf(last reach.PathComponent) string {
	if id := last.Component.ID; strings.HasPrefix(id, "dxvif-") {
		return id
	}
	return ""
}

// onPremisesConfig is the run configuration of a host on premises at
// in.OnPremises behind the private VIF in.Via, a VIF of the caller's.
func (r *Runs) onPremisesConfig(ctx context.Context, who cloud.Caller, in RunRequest) (RunConfig, *awsproto.Error) {
	switch {
	case in.Instance != "":
		return RunConfig{}, awsproto.Errorf("InvalidParameterCombination", "A process plays an instance or a host on premises, not both.")
	case in.OnPremises == "" || in.Via == "":
		return RunConfig{}, awsproto.Errorf("MissingParameter", "A host on premises needs both its address (onPremises) and the private virtual interface it is behind (via).")
	}
	snap, perr := r.check(ctx, in, "host")
	if perr != nil {
		return RunConfig{}, perr
	}
	via, addr, perr := checkOnPremises(snap, who, in.Via, in.OnPremises)
	if perr != nil {
		return RunConfig{}, perr
	}
	cfg := RunConfig{Via: via.VIF.ID, MTU: MTU, Socket: r.socket,
		Addresses: []string{netip.PrefixFrom(addr, 32).String()},
		Resolver:  onPremisesResolver(via.VIF, addr).String(),
		Hostname:  "onprem-" + strings.ReplaceAll(addr.String(), ".", "-"),
		CACert:    r.caCert, CABundle: r.caBundle,
	}
	return r.hand(cfg, in), nil
}

// checkOnPremises reads a host on premises as `vpcemu analyze --via`
// would: a private VIF of the caller's (by id or ARN), and an IPv4 unicast
// address outside every VPC behind it (an address there is the VPC's, not
// on premises: the engine finds no path from it).
func checkOnPremises(snap *netview.Snapshot, who cloud.Caller, via, address string) (*directconnect.OnPremises, netip.Addr, *awsproto.Error) {
	id := arn.ResourceID(via)
	o := snap.OnPremises(id)
	if !strings.HasPrefix(id, "dxvif-") || o == nil || o.VIF.Scope() != who.Scope() {
		return nil, netip.Addr{}, awsproto.Errorf("DirectConnectClientException",
			"Virtual interface %s does not exist, or is not a private virtual interface of account %s in %s (vpcemu analyze --via finds no source or destination there).", via, who.Account, who.Region)
	}
	addr, err := netip.ParseAddr(address)
	switch {
	case err != nil:
		return nil, netip.Addr{}, awsproto.Errorf("InvalidParameterValue", "Value (%s) for parameter onPremises is invalid. Expected an IPv4 address.", address)
	case addr.Is6():
		return nil, netip.Addr{}, awsproto.Errorf("InvalidParameterValue", "Value (%s) for parameter onPremises is invalid. A virtual private gateway carries no IPv6 routes: hosts on premises are IPv4.", address)
	case !addr.IsGlobalUnicast() && !addr.IsPrivate():
		return nil, netip.Addr{}, awsproto.Errorf("InvalidParameterValue", "Value (%s) for parameter onPremises is invalid. Expected a unicast address (not loopback, link-local, multicast or unspecified).", address)
	}
	for _, l := range o.Links {
		g := snap.VPNGateway(l.VGWID)
		if g == nil {
			continue
		}
		if v := snap.VPC(g.AttachedVPC()); v != nil && v.Contains(addr) {
			return nil, netip.Addr{}, awsproto.Errorf("InvalidParameterValue",
				"Value (%s) for parameter onPremises is invalid. It is inside %s, which %s reaches: a host on premises needs an address outside the VPC's CIDR blocks.", address, v.ID, o.VIF.ID)
		}
	}
	return o, addr, nil
}

// onPremisesResolver is where a host on premises sends its DNS queries:
// the customer router's address on the VIF (its BGP peer address), where
// the fabric answers with the public view (names as the internet resolves
// them: an on-premises resolver has no VPC's view); 169.254.169.253, the
// address nothing on premises holds, for a VIF without one or whose router
// is the host itself.
func onPremisesResolver(v *directconnect.VirtualInterface, host netip.Addr) netip.Addr {
	if p, err := netip.ParsePrefix(v.CustomerAddress); err == nil && p.Addr().Is4() && p.Addr() != host {
		return p.Addr()
	}
	return netip.MustParseAddr("169.254.169.253")
}

// describe says who a run configuration plays, for messages.
func (c RunConfig) describe() string {
	if c.Via != "" {
		return fmt.Sprintf("the host on premises %s behind %s", strings.TrimSuffix(c.Addresses[0], "/32"), c.Via)
	}
	return "instance " + c.Instance
}
