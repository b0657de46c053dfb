package dataplane

import (
	"net/netip"

	"github.com/vpcemu/vpcemu/internal/reach"
)

// flow is a new flow as it leaves the process a device belongs to: from
// its instance, or from on premises over its VIF.
func (n *nic) flow(src, dst netip.AddrPort, p reach.Protocol) Flow {
	if n.via != "" {
		return Flow{Via: n.via, Src: src, Dst: dst, Protocol: p}
	}
	return Flow{Instance: n.instance, Src: src, Dst: dst, Protocol: p}
}
