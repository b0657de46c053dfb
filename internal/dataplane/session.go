package dataplane

import (
	"bufio"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/dnsserver"
)

// session is a proxy-mode run going on: the instance its process plays,
// known to the proxy by the run's token, with the addresses its flows come
// from and the VPC view its names resolve in.
type session struct {
	// instance is the instance played, or the host on premises (see
	// onPremisesKey) behind the VIF via.
	instance string
	via      string
	token    string
	view     dnsserver.View
	// search is the domain a name of one label is looked up in (the
	// search domain of the instance's resolv.conf in transparent mode).
	search string
	// addrs are the instance's primary interface's addresses; a flow
	// comes from the first of the destination's family.
	addrs []netip.Addr
	// resolver is the VPC's DNS server (base + 2), which answers UDP
	// ASSOCIATE's queries from the view.
	resolver netip.Addr
}

// src is the address a flow to dst comes from, if the instance has one
// of dst's family.
func (s *session) src(dst netip.Addr) (netip.Addr, bool) {
	for _, a := range s.addrs {
		if a.Is4() == dst.Is4() {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// region is the region of the instance's zone.
func (s *session) region() string { return regionOf(s.view.Zone) }

// listenPort is a port of an instance a proxied process serves: TCP, or
// UDP.
type listenPort struct {
	port uint16
	udp  bool
}

func (l listenPort) String() string {
	if l.udp {
		return fmt.Sprintf("%d/udp", l.port)
	}
	return strconv.Itoa(int(l.port))
}

// parseListen reads a run's ports (INSTANCE_PORT[/udp]=127.0.0.1:PORT,
// TCP unless /udp): by the instance's port, the loopback address its
// process listens on.
func parseListen(specs []string) (map[listenPort]netip.AddrPort, error) {
	out := map[listenPort]netip.AddrPort{}
	for _, spec := range specs {
		port, local, ok := strings.Cut(spec, "=")
		port, proto, _ := strings.Cut(strings.TrimSpace(port), "/")
		n, err := strconv.ParseUint(port, 10, 16)
		if !ok || err != nil || n == 0 || proto != "" && proto != "tcp" && proto != "udp" {
			return nil, fmt.Errorf("listen %q: want INSTANCE_PORT=127.0.0.1:PORT (INSTANCE_PORT/udp for UDP)", spec)
		}
		a, err := netip.ParseAddrPort(strings.TrimSpace(local))
		if err != nil || a.Port() == 0 {
			return nil, fmt.Errorf("listen %q: the local side: want 127.0.0.1:PORT", spec)
		}
		if !a.Addr().Unmap().IsLoopback() {
			return nil, fmt.Errorf("listen %q: the process must listen on a loopback address; vpcemu contacts nothing beyond this machine", spec)
		}
		key := listenPort{port: uint16(n), udp: proto == "udp"}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("listen %q: port %s is given twice", spec, key)
		}
		out[key] = netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
	}
	return out, nil
}

// claim starts the proxy-mode run a token names (once, while its
// configuration waits): its ports are served from now on, until end is
// called.
func (r *Runs) claim(instance, token string, f *Fabric) (s *session, end func(), err error) {
	cfg, err := r.redeem(token)
	if err != nil {
		return nil, nil, err
	}
	if cfg.Proxy == "" || cfg.Player() != instance {
		return nil, nil, fmt.Errorf("the run token is not one of %s in proxy mode", instance)
	}
	s = &session{instance: instance, via: cfg.Via, token: token, view: dnsserver.View{VPC: cfg.VPC, Zone: cfg.Zone}, search: cfg.Search}
	s.resolver, _ = netip.ParseAddr(cfg.Resolver)
	for _, a := range cfg.Addresses {
		if p, err := netip.ParsePrefix(a); err == nil {
			s.addrs = append(s.addrs, p.Addr())
		}
	}
	ports, err := parseListen(cfg.Listen)
	if err != nil {
		return nil, nil, err
	}
	unlisten, err := f.listen(instance, ports)
	if err != nil {
		return nil, nil, err
	}
	r.mu.Lock()
	if r.sessions == nil {
		r.sessions = map[string]*session{}
	}
	r.sessions[token] = s
	r.mu.Unlock()
	return s, func() {
		unlisten()
		r.mu.Lock()
		delete(r.sessions, token)
		r.mu.Unlock()
	}, nil
}

// session is the proxy-mode run whose credentials are instance and token,
// if one is going on.
func (r *Runs) session(instance, token string) (*session, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.sessions[token]
	if !ok || subtle.ConstantTimeCompare([]byte(s.instance), []byte(instance)) != 1 {
		return nil, false
	}
	return s, true
}

// OpenSession starts a proxy-mode run on the proxy at addr with its
// credentials, and returns the connection that keeps it going: close it
// when the run ends. The connection reaching EOF means the data plane
// went away.
func OpenSession(addr, instance, token string) (*Session, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	req, _ := http.NewRequest(http.MethodPost, "http://vpcemu"+SessionPath, nil)
	req.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(instance+":"+token)))
	br := bufio.NewReader(c)
	var resp *http.Response
	if err = req.Write(c); err == nil {
		resp, err = http.ReadResponse(br, req)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		c.Close()
		return nil, fmt.Errorf("the proxy did not start the run: %s", strings.TrimPrefix(strings.TrimSpace(string(body)), "vpcemu: "))
	}
	return &Session{Conn: c, Metadata: resp.Header.Get(MetadataEndpointHeader)}, nil
}

// Session is a proxy-mode run's connection to the proxy, and the run's
// metadata endpoint (see MetadataEndpointHeader; "" for a host on
// premises).
type Session struct {
	net.Conn
	Metadata string
}
