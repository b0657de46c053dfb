package dataplane

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/miekg/dns"

	"github.com/vpcemu/vpcemu/internal/reach"
)

// Proxy is the data plane's proxy mode, for where transparent mode cannot
// run (macOS; `vpcemu run --proxy`): one loopback port serving HTTP
// CONNECT, plain HTTP requests in absolute form, and SOCKS5 (told apart
// by the first byte). A client is the instance whose run's credentials it
// gives — the instance as user name, the run's token as password (HTTP
// Basic proxy authorization, SOCKS5 user name and password). A connection
// it asks for is the flow from the instance's primary address and an
// ephemeral port to where it names (a name resolves in the instance's
// VPC's view), decided by the engine exactly as transparent mode decides
// it, and delivered the same way (dialFar): a blocked one is never
// answered, as a dropped SYN is not, until the client gives up.
type Proxy struct {
	f    *Fabric
	runs *Runs
	ln   net.Listener
	// ports hands out the flows' ephemeral source ports.
	ports atomic.Uint32
}

// SessionPath is the request a proxy-mode run holds open on the proxy
// (POST, with the run's credentials as proxy authorization) for as long
// as it runs: the token works from the answer on, and the run's ports are
// served, until the connection closes.
const SessionPath = "/_vpcemu/proxy-session"

// Timeouts of the proxy: a client has handshakeTimeout to say what it
// wants, and a connection idle between requests is closed after
// idleTimeout; a blocked flow is held unanswered at most holdLimit (about
// when Linux gives up retrying a SYN).
const (
	handshakeTimeout = 30 * time.Second
	idleTimeout      = 2 * time.Minute
	holdLimit        = 130 * time.Second
)

// ListenProxy listens on addr (a loopback address; "" for 127.0.0.1 and
// a port the system picks) and serves the proxy for the runs' sessions.
func ListenProxy(addr string, f *Fabric, runs *Runs) (*Proxy, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	a, err := netip.ParseAddrPort(addr)
	if err != nil || !a.Addr().IsLoopback() {
		return nil, fmt.Errorf("the proxy's address %q: want a loopback address and port (127.0.0.1:PORT)", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	p := &Proxy{f: f, runs: runs, ln: ln}
	go p.serve()
	return p, nil
}

// Addr is where the proxy listens.
func (p *Proxy) Addr() netip.AddrPort { return p.ln.Addr().(*net.TCPAddr).AddrPort() }

// Close stops taking connections (those carried go on until they end).
func (p *Proxy) Close() error { return p.ln.Close() }

func (p *Proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond) // out of descriptors, say: let some close
			continue
		}
		go p.handle(c.(*net.TCPConn))
	}
}

// clientConn is a client's connection, read through the reader that
// sniffed it.
type clientConn struct {
	*net.TCPConn
	r *bufio.Reader
}

func (c *clientConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// SyscallConn is refused: what the reader holds would not wake a wait
// on the socket (see waitReadable).
func (c *clientConn) SyscallConn() (syscall.RawConn, error) { return nil, errors.ErrUnsupported }

// relayed is the connection the relay copies from: the socket itself
// once the reader holds nothing more.
func (c *clientConn) relayed() conn {
	if c.r.Buffered() == 0 {
		return c.TCPConn
	}
	return c
}

func (p *Proxy) handle(tc *net.TCPConn) {
	c := &clientConn{TCPConn: tc, r: bufio.NewReader(tc)}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(handshakeTimeout))
	first, err := c.r.Peek(1)
	if err != nil {
		return
	}
	if first[0] == socksVersion {
		p.socks(c)
		return
	}
	p.http(c)
}

// http serves a client speaking HTTP: CONNECT tunnels, plain requests in
// absolute form (one flow each, the connection kept between them), and
// the runs' sessions.
func (p *Proxy) http(c *clientConn) {
	for {
		req, err := http.ReadRequest(c.r)
		if err != nil {
			return
		}
		c.SetReadDeadline(time.Time{})
		instance, token, _ := proxyCredentials(req)
		if req.Method == http.MethodPost && req.URL.Path == SessionPath && !req.URL.IsAbs() {
			p.serveSession(c, instance, token)
			return
		}
		s, ok := p.runs.session(instance, token)
		if !ok {
			// Every client of the proxy is an instance, by its credentials.
			answer(c, http.StatusProxyAuthRequired, "vpcemu: proxy credentials are the instance and its run's token (vpcemu run --proxy sets them)\n",
				"Proxy-Authenticate", `Basic realm="vpcemu"`)
			return
		}
		switch {
		case req.Method == http.MethodConnect:
			p.connect(c, s, req.Host)
			return
		case req.URL.IsAbs() && req.URL.Scheme == "http":
			if !p.forward(c, s, req) {
				return
			}
		default:
			answer(c, http.StatusBadRequest, "vpcemu: a proxy request is CONNECT host:port or a plain http:// URL in absolute form\n")
			return
		}
		c.SetReadDeadline(time.Now().Add(idleTimeout))
	}
}

// proxyCredentials are the user name and password of a request's Basic
// proxy authorization.
func proxyCredentials(req *http.Request) (user, pass string, ok bool) {
	scheme, b64, found := strings.Cut(req.Header.Get("Proxy-Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(raw), ":")
}

// answer writes a short plain-text answer and says the connection closes.
func answer(w io.Writer, status int, body string, header ...string) {
	var h strings.Builder
	for i := 0; i+1 < len(header); i += 2 {
		h.WriteString(header[i] + ": " + header[i+1] + "\r\n")
	}
	fmt.Fprintf(w, "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n%s\r\n%s",
		status, http.StatusText(status), len(body), h.String(), body)
}

// serveSession starts the run whose credentials a session request gives,
// and ends it when the client closes the connection.
func (p *Proxy) serveSession(c *clientConn, instance, token string) {
	s, end, err := p.runs.claim(instance, token, p.f)
	if err != nil {
		answer(c, http.StatusForbidden, "vpcemu: "+err.Error()+"\n")
		return
	}
	defer end()
	var header string
	if s.via == "" {
		endpoint, closeMetadata, err := p.f.listenMetadata(s.instance)
		if err != nil {
			answer(c, http.StatusInternalServerError, "vpcemu: the run's metadata endpoint: "+err.Error()+"\n")
			return
		}
		defer closeMetadata()
		header = MetadataEndpointHeader + ": " + endpoint + "\r\n"
	}
	p.f.log.Info("instance attached", "instance", s.instance, "mode", "proxy")
	defer p.f.log.Info("instance detached", "instance", s.instance, "mode", "proxy")
	fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"+header+"\r\n")
	c.SetReadDeadline(time.Time{})
	io.Copy(io.Discard, c) // until the run ends
}

// connect serves a CONNECT request to authority (host:port).
func (p *Proxy) connect(c *clientConn, s *session, authority string) {
	host, port, err := net.SplitHostPort(authority)
	n, perr := strconv.ParseUint(port, 10, 16)
	if err != nil || perr != nil || n == 0 {
		answer(c, http.StatusBadRequest, "vpcemu: CONNECT takes host:port\n")
		return
	}
	addr, err := p.resolve(s, host)
	if err != nil {
		answer(c, http.StatusBadGateway, "vpcemu: "+err.Error()+"\n")
		return
	}
	p.tunnel(c, s, netip.AddrPortFrom(addr, uint16(n)), func() error {
		_, err := fmt.Fprint(c, "HTTP/1.1 200 Connection established\r\n\r\n")
		return err
	}, func(_ bool, err error) {
		answer(c, http.StatusBadGateway, "vpcemu: "+err.Error()+"\n")
	})
}

// proxied is a flow a client of the proxy opens, as the engine decided
// it.
type proxied struct {
	flow  Flow
	v     Verdict
	plan  *plan
	meter *relayMeter
}

// decide asks the engine about a connection from a session's instance to
// dst, as transparent mode asks about one the instance's process opens,
// and registers it for flow logs.
func (p *Proxy) decide(ctx context.Context, s *session, dst netip.AddrPort) (proxied, error) {
	src, ok := s.src(dst.Addr())
	if !ok {
		return proxied{}, fmt.Errorf("%s has no address of %s's family", s.instance, dst.Addr())
	}
	flow := s.flow(netip.AddrPortFrom(src, p.ephemeral()), dst, reach.TCP)
	v, err := p.f.decider.Decide(ctx, flow)
	if err != nil {
		p.f.log.Error("flow", "src", flow.Src, "dst", flow.Dst, "error", err)
		return proxied{}, errors.New("the data plane could not decide the flow")
	}
	p.f.log.Debug("flow", "instance", s.instance, "src", flow.Src, "dst", flow.Dst, "mode", "proxy", "verdict", v.String())
	pl := planFor(v.snap, flow, v)
	p.f.records.register(flow, pl)
	m := newRelayMeter(p.f, s.instance, meterKey{uint8(pl.protocol), flow.Src, flow.Dst})
	m.packet(true, flagSYN)
	return proxied{flow: flow, v: v, plan: pl, meter: m}, nil
}

// ephemeral is a new flow's source port, of Linux's ephemeral ports
// (32768-60999).
func (p *Proxy) ephemeral() uint16 { return uint16(32768 + p.ports.Add(1)%28232) }

// service is the AWS service with an upstream a carried flow reaches, if
// it reaches one.
func (p *Proxy) service(s *session, v Verdict) string {
	if v.To != "" || !p.f.services.Serving() {
		return ""
	}
	if svc := serviceEnd(v, s.region()); p.f.services.Has(svc) {
		return svc
	}
	return ""
}

// tunnel carries a connection a client asked for (CONNECT, SOCKS5) to
// dst: ok gives the client its success reply once the far side is open,
// fail says why it is not (refused: the far end refused it). A blocked
// flow gets no answer at all.
func (p *Proxy) tunnel(c *clientConn, s *session, dst netip.AddrPort, ok func() error, fail func(refused bool, err error)) {
	c.SetReadDeadline(time.Time{}) // the handshake is over
	if p.f.isMetadata(s.instance, dst) {
		if ok() == nil {
			p.f.serveMetadata(c, s.instance) // the instance's host answers
		}
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	defer cancel()
	pr, err := p.decide(ctx, s, dst)
	if err != nil {
		fail(false, err)
		return
	}
	if !pr.v.Allowed {
		hold(c)
		return
	}
	if svc := p.service(s, pr.v); svc != "" {
		pr.meter.packet(false, synACK)
		if ok() == nil {
			p.f.serveService(meteredConn{Conn: c, m: pr.meter, readOut: true}, pr.flow, pr.v, svc, s.region())
		}
		return
	}
	out, err := p.f.dialFar(ctx, pr.v, pr.plan)
	if err == errNoHost {
		hold(c) // nobody on premises answers
		return
	}
	if err != nil {
		pr.meter.packet(false, flagRST)
		fail(true, fmt.Errorf("%s refused the connection (nothing listens there)", dst))
		return
	}
	pr.meter.packet(false, synACK)
	if ok() != nil {
		out.Close()
		return
	}
	lf := &liveFlow{info: flowInfo(pr.flow, pr.v), accounts: [2]string{pr.v.owner(s.instance), pr.v.owner(pr.v.To)}, gate: newGate(p.f.decider, pr.flow, pr.v.snap)}
	defer p.f.flows.add(lf)()
	splice(c.relayed(), meteredConn{Conn: out.(net.Conn), m: pr.meter}, lf)
}

// hold keeps a blocked connection unanswered until the client gives up
// (what a dropped SYN looks like to it), or holdLimit has passed.
func hold(c net.Conn) {
	c.SetReadDeadline(time.Now().Add(holdLimit))
	io.Copy(io.Discard, c)
}

// forward carries one plain HTTP request in absolute form as a flow of
// its own, and reports whether the client's connection goes on.
func (p *Proxy) forward(c *clientConn, s *session, req *http.Request) bool {
	port := req.URL.Port()
	if port == "" {
		port = "80"
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 {
		answer(c, http.StatusBadRequest, "vpcemu: a bad port in "+req.URL.String()+"\n")
		return false
	}
	addr, err := p.resolve(s, req.URL.Hostname())
	if err != nil {
		answer(c, http.StatusBadGateway, "vpcemu: "+err.Error()+"\n")
		return false
	}
	if p.f.isMetadata(s.instance, netip.AddrPortFrom(addr, uint16(n))) {
		return p.forwardMetadata(c, s, req)
	}
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	defer cancel()
	pr, err := p.decide(ctx, s, netip.AddrPortFrom(addr, uint16(n)))
	if err != nil {
		answer(c, http.StatusBadGateway, "vpcemu: "+err.Error()+"\n")
		return false
	}
	if !pr.v.Allowed {
		hold(c)
		return false
	}
	var far net.Conn
	if svc := p.service(s, pr.v); svc != "" {
		near, end := net.Pipe()
		go p.f.serveService(end, pr.flow, pr.v, svc, s.region())
		far = near
	} else {
		out, err := p.f.dialFar(ctx, pr.v, pr.plan)
		if err == errNoHost {
			hold(c) // nobody on premises answers
			return false
		}
		if err != nil {
			pr.meter.packet(false, flagRST)
			answer(c, http.StatusBadGateway, "vpcemu: "+pr.flow.Dst.String()+" refused the connection (nothing listens there)\n")
			return false
		}
		far = out.(net.Conn)
	}
	pr.meter.packet(false, synACK)
	mc := meteredConn{Conn: far, m: pr.meter}
	defer mc.Close()
	lf := &liveFlow{info: flowInfo(pr.flow, pr.v), accounts: [2]string{pr.v.owner(s.instance), pr.v.owner(pr.v.To)}}
	defer p.f.flows.add(lf)()

	return relayRequest(c, req, mc, "the server")
}

// relayRequest sends an absolute-form request on to the server at the
// other end of to (one request per flow), and its answer back to the
// client; it reports whether the client's connection goes on.
func relayRequest(c *clientConn, req *http.Request, to io.ReadWriter, server string) bool {
	keep := !req.Close
	req.Header.Del("Proxy-Authorization")
	req.Header.Del("Proxy-Connection")
	req.Close = true
	if err := req.Write(to); err != nil {
		answer(c, http.StatusBadGateway, "vpcemu: "+err.Error()+"\n")
		return false
	}
	resp, err := http.ReadResponse(bufio.NewReader(to), req)
	if err != nil {
		answer(c, http.StatusBadGateway, "vpcemu: "+server+"'s answer: "+err.Error()+"\n")
		return false
	}
	defer resp.Body.Close()
	resp.Close = !keep
	if err := resp.Write(c); err != nil {
		return false
	}
	return !resp.Close
}

// resolve is the address a host names, as the instance's VPC's DNS
// server answers it (an address stays itself; a name of one label is
// looked up in the instance's search domain).
func (p *Proxy) resolve(s *session, host string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return a.Unmap(), nil
	}
	if p.f.dns != nil {
		name := dns.Fqdn(strings.ToLower(host))
		if !strings.Contains(strings.TrimSuffix(host, "."), ".") && s.search != "" {
			name = dns.Fqdn(strings.ToLower(host) + "." + s.search) // as a resolver's search domain
		}
		for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
			q := new(dns.Msg)
			q.SetQuestion(name, t)
			resp := p.f.answerDNS(s.view, q)
			for i := len(resp.Answer) - 1; i >= 0; i-- {
				switch rr := resp.Answer[i].(type) {
				case *dns.A:
					a, _ := netip.AddrFromSlice(rr.A.To4())
					return a, nil
				case *dns.AAAA:
					a, _ := netip.AddrFromSlice(rr.AAAA)
					return a, nil
				}
			}
		}
	}
	return netip.Addr{}, fmt.Errorf("%s does not resolve in the view of %s", host, s.view.VPC)
}
