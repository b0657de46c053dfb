package dataplane

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vpcemu/vpcemu/internal/dnsserver"
	"github.com/vpcemu/vpcemu/internal/servicegate"
)

// Fabric carries traffic between the processes that play instances, in
// either mode: transparent (Linux: each instance's own user-space stack at
// the other end of its TUN device, see Attach) or through the proxy
// (any OS: see Proxy). What both share is here: the decider, the
// internet's stand-ins and their names, the AWS services' gate, the live
// flows, the flow-log recorder and meters, and where a carried flow is
// delivered (dialFar).
type Fabric struct {
	decider *Decider
	dns     *dnsserver.Server
	log     *slog.Logger
	mu      sync.Mutex
	// links are the instances attached through TUN devices (Linux).
	links
	// internet maps the internet's addresses a user stands in for to
	// where they listen on loopback; names are the stand-ins given by name,
	// with the address their DNS answers (by fully qualified name).
	internet map[netip.AddrPort]netip.AddrPort
	names    map[string]netip.Addr
	flows    flowTable
	records  recorder
	// imds is the instance metadata service's state (its tokens).
	imds metadataService
	// services serves the AWS services that have an upstream.
	services *servicegate.Gate
	// listeners are where the processes that play instances in proxy
	// mode listen, by instance and port (loopback addresses only).
	listeners map[string]map[listenPort]netip.AddrPort
	// relayed counts the proxied flows' traffic, by instance, in the
	// current window; leftover are the counts of instances detached in
	// it.
	relayed  map[string]*meter
	leftover map[string]map[meterKey]*meterEntry
}

// dialTimeout bounds opening the destination's side of a flow: a process
// that does not answer in that time is treated as not listening.
const dialTimeout = 5 * time.Second

// NewFabric carries flows the decider allows, and answers DNS from dns.
// Flows that leave for the internet reach the stand-ins of internet
// (loopback addresses only), or are refused.
func NewFabric(d *Decider, dns *dnsserver.Server, internet []InternetStandIn, log *slog.Logger) *Fabric {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f := &Fabric{decider: d, dns: dns, log: log, internet: map[netip.AddrPort]netip.AddrPort{}, names: map[string]netip.Addr{},
		records: recorder{meters: meters{since: time.Now()}}}
	for _, s := range NameInternetStandIns(internet) {
		f.internet[s.Public] = s.Local
		if s.Name != "" {
			f.names[s.Name+"."] = s.Public.Addr()
		}
	}
	return f
}

// errRefused is a flow carried to where nothing answers: an instance no
// process plays, a port nothing listens on, an internet address nobody
// stands in for. A host answers it with a reset.
var errRefused = errors.New("connection refused")

// dialFar opens the far side of a carried TCP flow where its verdict
// delivers it: an internet stand-in on loopback, the loopback address a
// proxied process listens on for the instance, or the instance's own
// stack (transparent mode), from the address the destination sees. p
// learns the port the far side was opened from.
func (f *Fabric) dialFar(ctx context.Context, v Verdict, p *plan) (conn, error) {
	to := v.destination()
	if to == "" {
		// Beyond every instance: the internet, where only a stand-in on
		// loopback answers; anything else refuses.
		local, ok := f.standIn(v)
		if !ok {
			return nil, errRefused
		}
		return dialLoopback(ctx, local, p)
	}
	if local, ok := f.listener(to, v.Dst.Port()); ok {
		return dialLoopback(ctx, local, p)
	}
	if v.Via != "" && f.listening(to) {
		return nil, errRefused // a host on premises in proxy mode, not on this port
	}
	return f.dialStack(ctx, to, v, p)
}

// destination is who plays where a verdict delivers: its instance, or its
// host on premises; "" for neither (the internet, an AWS service).
func (v Verdict) destination() string {
	if v.Via != "" {
		return onPremisesKey(v.Via, v.Dst.Addr())
	}
	return v.To
}

// absent is what a destination no process plays answers: an instance
// refuses, as a host with nothing listening does; on premises, with no
// host at the address, nothing answers.
func (v Verdict) absent() error {
	if v.Via != "" {
		return errNoHost
	}
	return errRefused
}

// dialLoopback opens a TCP connection to a loopback address (the only
// kind the data plane contacts on the host).
func dialLoopback(ctx context.Context, to netip.AddrPort, p *plan) (conn, error) {
	if !to.Addr().IsLoopback() {
		return nil, errRefused
	}
	c, err := (&net.Dialer{}).DialContext(ctx, "tcp", to.String())
	if err != nil {
		return nil, errRefused
	}
	if p != nil {
		p.port.Store(uint32(c.LocalAddr().(*net.TCPAddr).Port))
	}
	return c.(*net.TCPConn), nil
}

// listener is where a proxied process playing instance listens for its
// port, if one does.
func (f *Fabric) listener(instance string, port uint16) (netip.AddrPort, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.listeners[instance][listenPort{port: port}]
	return a, ok
}

// listen makes the loopback addresses of ports (by the instance's port)
// where connections to instance are delivered, until the returned func is
// called. A port another process serves already is refused.
func (f *Fabric) listen(instance string, ports map[listenPort]netip.AddrPort) (func(), error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	have := f.listeners[instance]
	for port := range ports {
		if _, taken := have[port]; taken {
			return nil, fmt.Errorf("port %s of %s is served by another process already", port, instance)
		}
	}
	if have == nil {
		if f.listeners == nil {
			f.listeners = map[string]map[listenPort]netip.AddrPort{}
		}
		have = map[listenPort]netip.AddrPort{}
		f.listeners[instance] = have
	}
	for port, a := range ports {
		have[port] = a
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			defer f.mu.Unlock()
			for port := range ports {
				delete(f.listeners[instance], port)
			}
			if len(f.listeners[instance]) == 0 {
				delete(f.listeners, instance)
			}
		})
	}, nil
}

// splice copies both ways until both sides have closed, passing each
// half-close on, while the gate lets the connection's packets pass. Once
// it does not, nothing more crosses, not even a close: the connection
// stalls until an end gives up, and then both are closed.
func splice(a, b conn, lf *liveFlow) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		copyGated(b, a, lf.gate, &lf.out)
	}()
	copyGated(a, b, lf.gate, &lf.in)
	wg.Wait()
	a.Close()
	b.Close()
}

// copyGated copies src to dst while the gate passes what it reads,
// counting the bytes, then passes src's close on; a stalled connection's
// data is dropped, and when src gives up both ends are closed. A buffer is
// taken only while there is something to copy, where src can say when
// (a host socket): a held connection then costs none, and the buffer can
// be larger (fewer system calls). After a read that filled the buffer
// more is likely waiting, and it is read at once.
func copyGated(dst, src conn, g *gate, bytes *atomic.Int64) {
	pool, full := &copyBuffers, false
	if canWait(src) {
		pool = &hostBuffers
	}
	for {
		if !full {
			waitReadable(src)
		}
		buf := pool.Get().(*[]byte)
		n, err := src.Read(*buf)
		full = n == len(*buf)
		if n > 0 && !g.passes() {
			pool.Put(buf)
			io.Copy(io.Discard, src) // dropped on the way
			src.Close()
			dst.Close()
			return
		}
		if n > 0 {
			w, werr := dst.Write((*buf)[:n])
			bytes.Add(int64(w))
			if werr != nil {
				pool.Put(buf)
				return
			}
		}
		pool.Put(buf)
		if err != nil {
			dst.CloseWrite()
			return
		}
	}
}

// eachDatagram hands each datagram c reads to handle until c is idle for
// udpIdle (or fails), then closes it.
func eachDatagram(c net.Conn, handle func([]byte)) {
	defer c.Close()
	buf := make([]byte, 65535)
	for {
		c.SetReadDeadline(time.Now().Add(udpIdle))
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		handle(buf[:n])
	}
}

// copyBuffers are the relays' buffers, of io.Copy's size (held while a
// connection waits); hostBuffers those of host sockets (taken when there is
// something to read).
var (
	copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}
	hostBuffers = sync.Pool{New: func() any { b := make([]byte, 128<<10); return &b }}
)

// conn is a TCP connection of a stack or of the host.
type conn interface {
	io.ReadWriteCloser
	CloseWrite() error
}

// standIn is the loopback address of the internet stand-in a verdict's
// path reaches, if it ends at an internet gateway and one stands in for
// its destination.
func (f *Fabric) standIn(v Verdict) (netip.AddrPort, bool) {
	local, ok := f.internet[v.Dst]
	return local, ok && internetEnd(v) && local.Addr().IsLoopback()
}

// internetEnd reports whether a path ends at an internet gateway (the
// packet goes on to the internet, directly or through a NAT gateway).
func internetEnd(v Verdict) bool {
	p := v.Result.ForwardPathComponents
	return len(p) > 0 && p[len(p)-1].Component != nil && strings.HasPrefix(p[len(p)-1].Component.ID, "igw-")
}
