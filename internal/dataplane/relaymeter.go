package dataplane

import (
	"errors"
	"io"
	"net"
	"syscall"
)

// The proxy sees no packets: what it relays is counted for flow logs and
// meters as the packets a TCP connection would have carried — the
// handshake, one segment per MSS of data each way, and the closes (the
// acknowledgements are not counted). The records and meters of a proxied
// flow are thus close to a real one's, not equal.

// relayMeter counts one proxied flow in its instance's meter.
type relayMeter struct {
	f        *Fabric
	instance string
	key      meterKey
	header   int // IP and TCP headers
	mss      int
}

func newRelayMeter(f *Fabric, instance string, key meterKey) *relayMeter {
	m := &relayMeter{f: f, instance: instance, key: key, header: 40}
	if key.remote.Addr().Is6() {
		m.header = 60
	}
	m.mss = MTU - m.header
	return m
}

// packet counts one segment without data (a SYN, a FIN, a reset).
func (m *relayMeter) packet(out bool, flags uint8) {
	m.f.relayMeter(m.instance).addN(m.key, out, 1, m.header, flags)
}

// relayed counts n bytes of data as the segments that would carry them.
func (m *relayMeter) relayed(out bool, n int) {
	segs := (n + m.mss - 1) / m.mss
	m.f.relayMeter(m.instance).addN(m.key, out, segs, n+segs*m.header, 0)
}

// relayMeter is the meter of an instance's proxied flows.
func (f *Fabric) relayMeter(instance string) *meter {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.relayed[instance]
	if m == nil {
		if f.relayed == nil {
			f.relayed = map[string]*meter{}
		}
		m = &meter{}
		f.relayed[instance] = m
	}
	return m
}

// meteredConn is one end of a proxied flow, counting what crosses it:
// readOut says what is read from it goes out from the flow's source (the
// client's end), or back to it (the far end).
type meteredConn struct {
	net.Conn
	m       *relayMeter
	readOut bool
}

func (c meteredConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.m.relayed(c.readOut, n)
	}
	if errors.Is(err, io.EOF) {
		c.m.packet(c.readOut, flagFIN)
	}
	return n, err
}

func (c meteredConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	if n > 0 {
		c.m.relayed(!c.readOut, n)
	}
	return n, err
}

// SyscallConn is the host socket's, where the end is one (see
// waitReadable).
func (c meteredConn) SyscallConn() (syscall.RawConn, error) {
	if sc, ok := c.Conn.(syscall.Conn); ok {
		return sc.SyscallConn()
	}
	return nil, errors.ErrUnsupported
}

// CloseWrite passes a half-close on, where the connection has one.
func (c meteredConn) CloseWrite() error {
	c.m.packet(!c.readOut, flagFIN)
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return c.Conn.Close()
}
