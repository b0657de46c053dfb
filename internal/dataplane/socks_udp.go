package dataplane

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"github.com/vpcemu/vpcemu/internal/dnsserver"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// SOCKS5's UDP ASSOCIATE (RFC 1928 §4, §7) is proxy mode's UDP. An
// association is a UDP socket of the instance's: one ephemeral source
// port, and a relay on loopback the client sends its datagrams to, each
// with the SOCKS UDP header naming where it goes. A datagram to a new
// destination is a UDP flow from the instance's address and that port,
// decided by the engine as transparent mode decides one (a query to the
// VPC's DNS server is answered from the VPC's view, as there), and
// relayed where the verdict delivers it: an instance's stack, a proxied
// process's UDP port (--listen PORT/udp=…), an internet stand-in. Replies
// come back with the header naming their source. A blocked datagram is
// dropped. Flows end when idle for udpIdle, and all of them when the
// association's TCP connection closes.

const socksUDPAssociate = 3

// udpIdle ends a UDP flow nobody has sent on for this long (AWS tracks a
// UDP flow for 350 seconds at most; programs that need longer keep it
// alive).
const udpIdle = 60 * time.Second

// socksUDPHeader is the longest SOCKS UDP header the relay writes: RSV,
// FRAG, ATYP, an IPv6 address, the port.
const socksUDPHeader = 3 + 1 + 16 + 2

// association is one UDP ASSOCIATE going on.
type association struct {
	p     *Proxy
	s     *session
	relay *net.UDPConn
	// port is the instance's source port of the association's flows.
	port uint16
	// want is where the client said it sends from (its address when the
	// request gave none, its port when it gave one).
	want netip.AddrPort
	mu   sync.Mutex
	// client is where the client sends from, once it has.
	client netip.AddrPort
	flows  map[netip.AddrPort]*udpRelay
}

// udpRelay is one carried UDP flow of an association.
type udpRelay struct {
	a     *association
	flow  Flow
	out   net.Conn
	meter *relayMeter
	lf    *liveFlow
	// last is when a datagram last crossed it, either way (Unix ns).
	last atomic.Int64
	once sync.Once
	end  func()
}

// associate serves a UDP ASSOCIATE whose client sends from want (zeros
// where it does not say): the relay on the loopback address the client
// reached the proxy at, for as long as c stays open.
func (p *Proxy) associate(c *clientConn, s *session, want netip.AddrPort) {
	local := c.LocalAddr().(*net.TCPAddr).AddrPort().Addr().Unmap()
	peer := c.RemoteAddr().(*net.TCPAddr).AddrPort().Addr().Unmap()
	if !local.IsLoopback() || !peer.IsLoopback() { // the proxy listens on loopback only
		c.Write(socksReply(socksFailure))
		return
	}
	relay, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(local, 0)))
	if err != nil {
		c.Write(socksReply(socksFailure))
		return
	}
	defer relay.Close()
	if want.Addr().IsUnspecified() || !want.Addr().IsValid() {
		want = netip.AddrPortFrom(peer, want.Port())
	}
	a := &association{p: p, s: s, relay: relay, port: p.ephemeral(), want: want, flows: map[netip.AddrPort]*udpRelay{}}
	if _, err := c.Write(socksBound(relay.LocalAddr().(*net.UDPAddr).AddrPort())); err != nil {
		return
	}
	c.SetReadDeadline(time.Time{})
	go func() {
		io.Copy(io.Discard, c) // the association ends with its connection
		relay.Close()
	}()
	p.f.log.Debug("udp associate", "instance", s.instance, "relay", relay.LocalAddr(), "mode", "proxy")
	a.serve()
	a.closeAll()
}

// socksBound is a reply giving the relay's address.
func socksBound(a netip.AddrPort) []byte {
	b := []byte{socksVersion, socksOK, 0, 1}
	if a.Addr().Is6() {
		b[3] = 4
	}
	b = append(b, a.Addr().AsSlice()...)
	return binary.BigEndian.AppendUint16(b, a.Port())
}

// serve relays the client's datagrams until the relay closes.
func (a *association) serve() {
	buf := make([]byte, 65535)
	for {
		n, from, err := a.relay.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		if !a.accepts(netip.AddrPortFrom(from.Addr().Unmap(), from.Port())) {
			continue
		}
		dst, data, ok := a.parse(buf[:n])
		if !ok {
			continue // dropped, as RFC 1928 lets a relay drop what it does not take
		}
		switch {
		case dst == netip.AddrPortFrom(a.s.resolver, 53):
			a.answerDNS(dst, data)
		case a.s.via == "" && isTimeSync(dst):
			if answer, ok := ntpAnswer(data, time.Now()); ok {
				a.reply(dst, append(make([]byte, socksUDPHeader, socksUDPHeader+len(answer)), answer...), socksUDPHeader)
			}
		default:
			a.send(dst, data)
		}
	}
}

// accepts reports whether a datagram comes from the association's client:
// its address and port (the first that sends, where it gave no port).
func (a *association) accepts(from netip.AddrPort) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.client.IsValid() {
		return from == a.client
	}
	if from.Addr() != a.want.Addr() || a.want.Port() != 0 && from.Port() != a.want.Port() {
		return false
	}
	a.client = from
	return true
}

// parse reads a datagram's SOCKS UDP header: where it goes (a name
// resolved in the instance's VPC's view) and what it carries. A fragment
// (FRAG other than 0) is not taken.
func (a *association) parse(b []byte) (netip.AddrPort, []byte, bool) {
	if len(b) < 3 || b[2] != 0 { // RSV RSV FRAG
		return netip.AddrPort{}, nil, false
	}
	r := bytes.NewReader(b[3:])
	host, addr, port, err := readSocksAddr(r)
	if err != nil || port == 0 {
		return netip.AddrPort{}, nil, false
	}
	if host != "" {
		if addr, err = a.p.resolve(a.s, host); err != nil {
			return netip.AddrPort{}, nil, false
		}
	}
	return netip.AddrPortFrom(addr, port), b[len(b)-r.Len():], true
}

// answerDNS answers a query to the VPC's DNS server from the instance's
// VPC's view, as transparent mode does (its traffic is not logged, as
// AWS does not log the resolver's).
func (a *association) answerDNS(from netip.AddrPort, data []byte) {
	if a.p.f.dns == nil {
		return
	}
	req := new(dns.Msg)
	if req.Unpack(data) != nil {
		return
	}
	resp := a.p.f.answerDNS(a.s.view, req)
	dnsserver.Fit(resp, req, false)
	out, err := resp.Pack()
	if err != nil {
		return
	}
	a.reply(from, append(make([]byte, socksUDPHeader, socksUDPHeader+len(out)), out...), socksUDPHeader)
}

// reply sends the client what from answered: b[at:], with the header
// written in the room before it.
func (a *association) reply(from netip.AddrPort, b []byte, at int) {
	a.mu.Lock()
	client := a.client
	a.mu.Unlock()
	addr := from.Addr().AsSlice()
	start := at - 6 - len(addr)
	h := b[start:at]
	h[0], h[1], h[2], h[3] = 0, 0, 0, 1
	if from.Addr().Is6() {
		h[3] = 4
	}
	copy(h[4:], addr)
	binary.BigEndian.PutUint16(h[4+len(addr):], from.Port())
	a.relay.WriteToUDPAddrPort(b[start:], client)
}

// send carries a datagram to dst: in the flow the association has there,
// or a new one the engine decides.
func (a *association) send(dst netip.AddrPort, data []byte) {
	a.mu.Lock()
	r := a.flows[dst]
	a.mu.Unlock()
	if r == nil {
		r = a.open(dst, len(data))
		if r == nil {
			return
		}
	}
	if !r.lf.gate.passes() {
		return // dropped on the way
	}
	r.last.Store(time.Now().UnixNano())
	r.meter.datagram(true, len(data))
	if n, err := r.out.Write(data); err == nil {
		r.lf.out.Add(int64(n))
	}
}

// open decides a new flow to dst and opens its far side, or drops the
// datagram of size n that started it (counted, as the instance's device
// would count it).
func (a *association) open(dst netip.AddrPort, n int) *udpRelay {
	p, s := a.p, a.s
	src, ok := s.src(dst.Addr())
	if !ok {
		return nil
	}
	flow := s.flow(netip.AddrPortFrom(src, a.port), dst, reach.UDP)
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	v, err := p.f.decider.Decide(ctx, flow)
	cancel()
	if err != nil {
		p.f.log.Error("flow", "src", flow.Src, "dst", flow.Dst, "error", err)
		return nil
	}
	p.f.log.Debug("flow", "instance", s.instance, "src", flow.Src, "dst", flow.Dst, "protocol", "udp", "mode", "proxy", "verdict", v.String())
	pl := planFor(v.snap, flow, v)
	p.f.records.register(flow, pl)
	m := newUDPMeter(p.f, s.instance, meterKey{uint8(pl.protocol), flow.Src, flow.Dst})
	if !v.Allowed {
		m.datagram(true, n)
		return nil
	}
	out, err := p.f.dialFarUDP(v)
	if err != nil {
		m.datagram(true, n) // nothing answers: UDP has no reset to give
		return nil
	}
	pl.port.Store(uint32(out.LocalAddr().(*net.UDPAddr).Port))
	r := &udpRelay{a: a, flow: flow, out: out, meter: m,
		lf: &liveFlow{info: flowInfo(flow, v), accounts: [2]string{v.owner(s.instance), v.owner(v.To)}, gate: newGate(p.f.decider, flow, v.snap)}}
	r.last.Store(time.Now().UnixNano())
	r.end = p.f.flows.add(r.lf)
	a.mu.Lock()
	a.flows[dst] = r
	a.mu.Unlock()
	go r.replies()
	return r
}

// replies relays what comes back to the client until the flow has been
// idle for udpIdle or its far side fails.
func (r *udpRelay) replies() {
	defer r.close()
	buf := make([]byte, socksUDPHeader+65535)
	for {
		r.out.SetReadDeadline(time.Unix(0, r.last.Load()).Add(udpIdle))
		n, err := r.out.Read(buf[socksUDPHeader:])
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && time.Since(time.Unix(0, r.last.Load())) < udpIdle {
				continue // the client sent since
			}
			return
		}
		if !r.lf.gate.passes() {
			continue
		}
		r.last.Store(time.Now().UnixNano())
		r.meter.datagram(false, n)
		r.lf.in.Add(int64(n))
		r.a.reply(r.flow.Dst, buf[:socksUDPHeader+n], socksUDPHeader)
	}
}

// close ends the flow: the next datagram to its destination is a new one.
func (r *udpRelay) close() {
	r.once.Do(func() {
		r.a.mu.Lock()
		if r.a.flows[r.flow.Dst] == r {
			delete(r.a.flows, r.flow.Dst)
		}
		r.a.mu.Unlock()
		r.out.Close()
		r.end()
	})
}

// closeAll ends the association's flows.
func (a *association) closeAll() {
	a.mu.Lock()
	flows := make([]*udpRelay, 0, len(a.flows))
	for _, r := range a.flows {
		flows = append(flows, r)
	}
	a.mu.Unlock()
	for _, r := range flows {
		r.close()
	}
}

// newUDPMeter counts a proxied UDP flow: each datagram is a packet with
// its IP and UDP headers (exact, unlike TCP's estimate).
func newUDPMeter(f *Fabric, instance string, key meterKey) *relayMeter {
	m := newRelayMeter(f, instance, key)
	m.header = 28
	if key.remote.Addr().Is6() {
		m.header = 48
	}
	return m
}

// datagram counts one datagram of n bytes of payload.
func (m *relayMeter) datagram(out bool, n int) {
	m.f.relayMeter(m.instance).addN(m.key, out, 1, n+m.header, 0)
}

// dialFarUDP opens the far side of a carried UDP flow where its verdict
// delivers it: an internet stand-in on loopback, the loopback address a
// proxied process listens on for the instance's UDP port, or the
// instance's own stack (transparent mode).
func (f *Fabric) dialFarUDP(v Verdict) (net.Conn, error) {
	to := v.destination()
	if to == "" {
		local, ok := f.standIn(v)
		if !ok {
			return nil, errRefused
		}
		return dialLoopbackUDP(local)
	}
	if local, ok := f.udpListener(to, v.Dst.Port()); ok {
		return dialLoopbackUDP(local)
	}
	return f.dialStackUDP(to, v)
}

// dialLoopbackUDP opens a UDP socket to a loopback address (the only kind
// the data plane contacts on the host).
func dialLoopbackUDP(to netip.AddrPort) (net.Conn, error) {
	if !to.Addr().IsLoopback() {
		return nil, errRefused
	}
	c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(to))
	if err != nil {
		return nil, errRefused
	}
	return c, nil
}

// udpListener is where a proxied process playing instance listens for its
// UDP port, if one does.
func (f *Fabric) udpListener(instance string, port uint16) (netip.AddrPort, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.listeners[instance][listenPort{port: port, udp: true}]
	return a, ok
}
