package dataplane

import (
	"context"
	"net"
	"net/netip"

	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"

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

// onPremises is the device of the host on premises a verdict delivers
// to, behind its VIF, if a process plays it.
func (f *Fabric) onPremises(v Verdict) *nic {
	return f.nic(onPremisesKey(v.Via, v.Dst.Addr()))
}

// dialOnPremisesStackUDP opens a UDP flow's far side through the stack of
// the host on premises it is delivered to, if a process plays it.
func (f *Fabric) dialOnPremisesStackUDP(v Verdict) (net.Conn, error) {
	to := f.onPremises(v)
	if to == nil {
		return nil, errNoHost
	}
	src, dst := fullAddr(v.Src), fullAddr(v.Dst)
	c, err := gonet.DialUDP(to.stack, &src, &dst, protocolOf(v.Dst.Addr()))
	if err != nil {
		return nil, errRefused
	}
	return c, nil
}

// dialOnPremises opens a flow's far side through the stack of the host
// on premises it is delivered to; with no such host, nothing answers.
func (f *Fabric) dialOnPremises(ctx context.Context, v Verdict, p *plan) (conn, error) {
	to := f.onPremises(v)
	if to == nil {
		return nil, errNoHost
	}
	c, err := gonet.DialTCPWithBind(ctx, to.stack, fullAddr(v.Src), fullAddr(v.Dst), protocolOf(v.Dst.Addr()))
	if err != nil {
		return nil, errRefused
	}
	p.port.Store(uint32(c.LocalAddr().(*net.TCPAddr).Port))
	return c, nil
}
