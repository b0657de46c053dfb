package dnsserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/miekg/dns"
)

// Listener serves one view over UDP and TCP on one loopback port.
type Listener struct {
	View View
	addr netip.AddrPort
	pc   net.PacketConn
	ln   net.Listener
	udp  *dns.Server
	tcp  *dns.Server

	mu      sync.Mutex
	serving []chan struct{} // each closed once its server has started (or failed to)
	closed  bool
}

// ParseAddr reads a listener's address, host:port with a loopback host (an
// IPv4 or IPv6 loopback address, or localhost for 127.0.0.1): vpcemu never
// listens beyond this machine. Port 0 picks a free port.
func ParseAddr(addr string) (netip.AddrPort, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("DNS address %q: want host:port, such as 127.0.0.1:5353", addr)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("DNS address %q: the port must be a number from 0 to 65535", addr)
	}
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Unmap().IsLoopback() || ip.Zone() != "" {
		return netip.AddrPort{}, fmt.Errorf("DNS address %q: vpcemu listens on loopback addresses only (127.0.0.1, ::1, localhost), never beyond this machine", addr)
	}
	return netip.AddrPortFrom(ip.Unmap(), uint16(n)), nil
}

// Listen binds addr (see ParseAddr) for view v, UDP and TCP on the same
// port; port 0 picks one free for both. Serve starts answering.
func (s *Server) Listen(v View, addr string) (*Listener, error) {
	ap, err := ParseAddr(addr)
	if err != nil {
		return nil, err
	}
	// With port 0, the UDP port the kernel picks may be taken for TCP:
	// pick again a few times.
	for try := 0; ; try++ {
		pc, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(ap))
		if err != nil {
			return nil, err
		}
		bound := pc.LocalAddr().(*net.UDPAddr).AddrPort()
		ln, err := net.ListenTCP("tcp", net.TCPAddrFromAddrPort(bound))
		if err != nil {
			pc.Close()
			if ap.Port() == 0 && errors.Is(err, syscall.EADDRINUSE) && try < 10 {
				continue
			}
			return nil, err
		}
		h := s.Handler(v)
		return &Listener{
			View: v,
			addr: netip.AddrPortFrom(ap.Addr(), bound.Port()),
			pc:   pc,
			ln:   ln,
			udp:  &dns.Server{PacketConn: pc, Handler: h, UDPSize: maxQuery, MsgAcceptFunc: acceptQueries},
			tcp:  &dns.Server{Listener: ln, Handler: h, MsgAcceptFunc: acceptQueries, ReadTimeout: 10 * time.Second, IdleTimeout: idle},
		}, nil
	}
}

// maxQuery bounds a UDP query read (one question and an OPT record fit in
// far less).
const maxQuery = 4096

// idle is how long a TCP connection may wait between queries (RFC 7766
// suggests some seconds).
func idle() time.Duration { return 10 * time.Second }

// acceptQueries lets every query reach the handler, which answers a wrong
// opcode or question count itself (the same answer as the control
// endpoint's); only responses are ignored, as they could be reflected.
func acceptQueries(h dns.Header) dns.MsgAcceptAction {
	if h.Bits&(1<<15) != 0 { // QR: a response
		return dns.MsgIgnore
	}
	return dns.MsgAccept
}

// Addr is the address the listener is bound to, host:port.
func (l *Listener) Addr() string { return l.addr.String() }

// Serve answers queries until Shutdown; it returns the first error of
// either transport (none after a shutdown).
func (l *Listener) Serve() error {
	l.mu.Lock()
	if l.closed || l.serving != nil {
		l.mu.Unlock()
		return nil
	}
	errs := make(chan error, 2)
	for _, srv := range []*dns.Server{l.udp, l.tcp} {
		up := make(chan struct{})
		started := sync.OnceFunc(func() { close(up) })
		srv.NotifyStartedFunc = started
		l.serving = append(l.serving, up)
		go func() {
			err := srv.ActivateAndServe()
			started()
			errs <- err
		}()
	}
	l.mu.Unlock()
	return errors.Join(<-errs, <-errs)
}

// Shutdown stops answering and closes both sockets.
func (l *Listener) Shutdown(ctx context.Context) error {
	l.mu.Lock()
	closed, serving := l.closed, l.serving
	l.closed = true
	l.mu.Unlock()
	switch {
	case closed:
		return nil
	case serving == nil:
		return errors.Join(l.pc.Close(), l.ln.Close())
	}
	var errs []error
	for i, srv := range []*dns.Server{l.udp, l.tcp} {
		select {
		case <-serving[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := srv.ShutdownContext(ctx); err != nil && !strings.Contains(err.Error(), "server not started") {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
