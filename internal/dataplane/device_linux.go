package dataplane

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
	"gvisor.dev/gvisor/pkg/tcpip/link/tun"
)

// DeviceName is the TUN device's name inside an instance's namespace.
const DeviceName = "eth0"

// MakeDevice makes and configures the devices of the network namespace
// the calling thread is in: lo up, the TUN device DeviceName with the
// instance's addresses and MTU, the default route via the router. It
// returns the device's descriptor, for the fabric (`vpcemu run` inside
// its namespaces, and the benchmarks through real devices).
func MakeDevice(cfg RunConfig) (int, error) {
	fd, err := tun.Open(DeviceName)
	if err != nil {
		return -1, fmt.Errorf("opening a TUN device: %w", err)
	}
	fail := func(err error) (int, error) { unix.Close(fd); return -1, err }
	lo, err := netlink.LinkByName("lo")
	if err != nil {
		return fail(err)
	}
	if err := netlink.LinkSetUp(lo); err != nil {
		return fail(err)
	}
	link, err := netlink.LinkByName(DeviceName)
	if err != nil {
		return fail(err)
	}
	if err := netlink.LinkSetMTU(link, cfg.MTU); err != nil {
		return fail(err)
	}
	for _, a := range cfg.Addresses {
		p, err := netip.ParsePrefix(a)
		if err != nil {
			return fail(err)
		}
		addr := &netlink.Addr{IPNet: &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}}
		if p.Addr().Is6() {
			addr.Flags = unix.IFA_F_NODAD // no duplicate detection: nobody else is on the link
		}
		if err := netlink.AddrAdd(link, addr); err != nil {
			return fail(fmt.Errorf("address %s: %w", a, err))
		}
	}
	if err := netlink.LinkSetUp(link); err != nil {
		return fail(err)
	}
	// A host on premises has no router of the VPC's: everything leaves by
	// the device (its other end stands for the customer's network).
	route := &netlink.Route{LinkIndex: link.Attrs().Index, Dst: &net.IPNet{IP: net.IPv4zero, Mask: net.CIDRMask(0, 32)}, Scope: netlink.SCOPE_LINK}
	if cfg.Gateway != "" {
		route = &netlink.Route{LinkIndex: link.Attrs().Index, Gw: net.ParseIP(cfg.Gateway)}
	}
	if err := netlink.RouteAdd(route); err != nil {
		return fail(fmt.Errorf("default route via %s: %w", cfg.Gateway, err))
	}
	// IPv6 leaves by the device too (the fabric answers for every address).
	netlink.RouteAdd(&netlink.Route{LinkIndex: link.Attrs().Index, Dst: &net.IPNet{IP: net.IPv6zero, Mask: net.CIDRMask(0, 128)}})
	return fd, nil
}
