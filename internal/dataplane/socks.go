package dataplane

import (
	"encoding/binary"
	"errors"
	"io"
	"net/netip"
	"slices"
)

// SOCKS5 (RFC 1928) with user name and password (RFC 1929): CONNECT, and
// UDP ASSOCIATE (socks_udp.go).
// Written here rather than taken from a library: the proxy needs the
// authenticated instance when it resolves a name (in that instance's VPC
// view) and decides the flow, and must be able to hold a blocked CONNECT
// unanswered while watching for the client to give up; the Go SOCKS5
// servers resolve before they authorize and answer every dial.

const (
	socksVersion  = 5
	socksUserPass = 2    // the user name and password method
	socksNoMethod = 0xff // no acceptable method
	socksConnect  = 1
)

// SOCKS5 reply codes.
const (
	socksOK             = 0
	socksFailure        = 1
	socksHostUnreach    = 4
	socksRefused        = 5
	socksCmdUnsupported = 7
	socksAddrUnsupp     = 8
)

// socks serves a SOCKS5 client: the greeting, the credentials (an
// instance and its run's token), one CONNECT or UDP ASSOCIATE.
func (p *Proxy) socks(c *clientConn) {
	var hdr [2]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		return
	}
	methods := make([]byte, hdr[1])
	if _, err := io.ReadFull(c, methods); err != nil {
		return
	}
	if !slices.Contains(methods, socksUserPass) {
		c.Write([]byte{socksVersion, socksNoMethod})
		return
	}
	c.Write([]byte{socksVersion, socksUserPass})
	user, pass, ok := readUserPass(c)
	if !ok {
		return
	}
	s, ok := p.runs.session(user, pass)
	if !ok {
		c.Write([]byte{1, 1}) // RFC 1929: failure; the connection closes
		return
	}
	c.Write([]byte{1, 0})

	var req [3]byte // VER CMD RSV
	if _, err := io.ReadFull(c, req[:]); err != nil || req[0] != socksVersion {
		return
	}
	host, addr, port, err := readSocksAddr(c)
	if errors.Is(err, errSocksAddrType) {
		c.Write(socksReply(socksAddrUnsupp))
		return
	} else if err != nil {
		return
	}
	if req[1] == socksUDPAssociate {
		// The address is where the client will send from, not resolved.
		p.associate(c, s, netip.AddrPortFrom(addr, port))
		return
	}
	if req[1] != socksConnect {
		c.Write(socksReply(socksCmdUnsupported))
		return
	}
	if host != "" {
		a, err := p.resolve(s, host)
		if err != nil {
			c.Write(socksReply(socksHostUnreach))
			return
		}
		addr = a
	}
	dst := netip.AddrPortFrom(addr, port)
	p.tunnel(c, s, dst, func() error {
		_, err := c.Write(socksReply(socksOK))
		return err
	}, func(refused bool, _ error) {
		code := byte(socksFailure)
		if refused {
			code = socksRefused
		}
		c.Write(socksReply(code))
	})
}

// errSocksAddrType is an address type SOCKS5 does not define.
var errSocksAddrType = errors.New("unknown SOCKS5 address type")

// readSocksAddr reads a SOCKS5 address (RFC 1928 §5: ATYP, an IPv4 or
// IPv6 address or a domain name, the port), as requests and UDP datagrams
// carry it: the name, or else the address.
func readSocksAddr(r io.Reader) (host string, addr netip.Addr, port uint16, err error) {
	var atyp [1]byte
	if _, err = io.ReadFull(r, atyp[:]); err != nil {
		return
	}
	switch atyp[0] {
	case 1, 4: // IPv4, IPv6
		b := make([]byte, 4+12*int(atyp[0]/4))
		if _, err = io.ReadFull(r, b); err != nil {
			return
		}
		addr, _ = netip.AddrFromSlice(b)
		addr = addr.Unmap()
	case 3: // a domain name
		var n [1]byte
		if _, err = io.ReadFull(r, n[:]); err != nil {
			return
		}
		b := make([]byte, n[0])
		if _, err = io.ReadFull(r, b); err != nil {
			return
		}
		host = string(b)
	default:
		return "", addr, 0, errSocksAddrType
	}
	var p [2]byte
	if _, err = io.ReadFull(r, p[:]); err != nil {
		return
	}
	return host, addr, binary.BigEndian.Uint16(p[:]), nil
}

// readUserPass reads an RFC 1929 request: VER ULEN UNAME PLEN PASSWD.
func readUserPass(r io.Reader) (user, pass string, ok bool) {
	var b [2]byte
	if _, err := io.ReadFull(r, b[:]); err != nil || b[0] != 1 {
		return "", "", false
	}
	u := make([]byte, b[1])
	if _, err := io.ReadFull(r, u); err != nil {
		return "", "", false
	}
	if _, err := io.ReadFull(r, b[:1]); err != nil {
		return "", "", false
	}
	pw := make([]byte, b[0])
	if _, err := io.ReadFull(r, pw); err != nil {
		return "", "", false
	}
	return string(u), string(pw), true
}

// socksReply is a reply with code; the bound address is not given (all
// zeros), which clients ignore for CONNECT.
func socksReply(code byte) []byte {
	return []byte{socksVersion, code, 0, 1, 0, 0, 0, 0, 0, 0}
}
