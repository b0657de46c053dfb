package dataplane

import (
	"context"
	"net"
	"net/netip"
	"time"

	"github.com/miekg/dns"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
	"gvisor.dev/gvisor/pkg/waiter"

	"github.com/vpcemu/vpcemu/internal/dnsserver"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// udpFlow takes a new UDP flow from an instance: a query to the VPC's DNS
// server is answered from the VPC's view; anything else asks the engine
// and, if AWS would carry it, is relayed where the path ends (dialFarUDP)
// until it goes idle. A
// blocked flow is dropped. The forwarder's handler runs on the stack's
// receive path, so the flow goes on in its own goroutine.
func (f *Fabric) udpFlow(from *nic, r *udp.ForwarderRequest) {
	id := r.ID()
	flow := from.flow(addrPort(id.RemoteAddress, id.RemotePort), addrPort(id.LocalAddress, id.LocalPort), reach.UDP)
	var wq waiter.Queue
	ep, terr := r.CreateEndpoint(&wq)
	if terr != nil {
		return
	}
	in := gonet.NewUDPConn(&wq, ep)
	switch {
	case flow.Dst == netip.AddrPortFrom(from.resolver, 53):
		go f.serveDNSUDP(from, in)
	case from.via == "" && isTimeSync(flow.Dst):
		go serveTimeSync(in)
	case f.returnsToNode(from, flow.Dst.Addr()):
		go f.serveReturns(from, flow, in)
	default:
		go f.relayUDP(from, flow, in)
	}
}

func (f *Fabric) relayUDP(from *nic, flow Flow, in *gonet.UDPConn) {
	defer in.Close()
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	v, err := f.decider.Decide(ctx, flow)
	cancel()
	if err != nil {
		f.log.Error("flow", "src", flow.Src, "dst", flow.Dst, "error", err)
		return
	}
	f.log.Debug("flow", "instance", from.instance, "src", flow.Src, "dst", flow.Dst, "protocol", "udp", "verdict", v.String())
	p := planFor(v.snap, flow, v)
	f.records.register(flow, p)
	if !v.Allowed {
		return
	}
	out, err := f.dialFarUDP(v)
	if err != nil {
		return // nothing answers: UDP has no reset to give
	}
	defer out.Close()
	p.port.Store(uint32(out.LocalAddr().(*net.UDPAddr).Port))
	copyIdle := func(dst, src net.Conn) {
		eachDatagram(src, func(b []byte) { dst.Write(b) })
		dst.Close()
	}
	go copyIdle(out, in)
	copyIdle(in, out)
}

// serveDNSUDP answers the DNS queries of one client socket until it goes
// idle, truncating answers to the client's size.
func (f *Fabric) serveDNSUDP(from *nic, c *gonet.UDPConn) {
	eachDatagram(c, func(b []byte) {
		req := new(dns.Msg)
		if req.Unpack(b) != nil {
			return
		}
		resp := f.answerDNS(from.view, req)
		dnsserver.Fit(resp, req, false)
		if out, err := resp.Pack(); err == nil {
			c.Write(out)
		}
	})
}

// serveDNSTCP answers DNS over one TCP connection until the client closes
// it.
func (f *Fabric) serveDNSTCP(from *nic, c *gonet.TCPConn) {
	dc := &dns.Conn{Conn: c}
	defer dc.Close()
	for {
		c.SetReadDeadline(time.Now().Add(udpIdle))
		req, err := dc.ReadMsg()
		if err != nil {
			return
		}
		resp := f.answerDNS(from.view, req)
		dnsserver.Fit(resp, req, true)
		if dc.WriteMsg(resp) != nil {
			return
		}
	}
}
