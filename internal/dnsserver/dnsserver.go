// Package dnsserver is vpcemu's DNS server; it answers only its own names,
// never recursing anywhere. A query is answered for one view — a VPC's, as
// its Amazon-provided resolver answers (internal/cloud/vpcdns), or the
// public view of a client outside every VPC — from the live cloud's
// snapshot, so a change through the API shows in the very next answer.
//
// One core (Server.Reply) answers the loopback listeners (`vpcemu serve
// --dns-addr`, UDP and TCP) and the control endpoint behind `vpcemu dig`
// (POST /_vpcemu/dns), so the two always agree.
//
// As a DNS server it behaves as a real one: a query of one question only
// (else FORMERR), opcode QUERY only (else NOTIMP), class IN only (else
// REFUSED: AWS documents nothing for other classes; NOTIMP is for a kind
// of query — an opcode — not implemented (RFC 1035 4.1.1), REFUSED for
// one the server will not answer), no zone transfers (REFUSED),
// recursion never available (RA off), AA on answers
// from vpcemu's own data, a negative answer from a private zone with the
// zone's SOA in the authority section, REFUSED for a VPC without a DNS
// server (enableDnsSupport off) or unknown, EDNS0 (version 0; BADVERS
// otherwise; the DO bit echoed), and UDP answers truncated (TC) to the
// client's size: 512 bytes, or its EDNS0 buffer size.
package dnsserver

import (
	"context"
	"log/slog"
	"sync/atomic"

	"github.com/miekg/dns"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/vpcdns"
)

// UDPSize is the EDNS0 buffer size the server advertises: the size DNS
// Flag Day 2020 recommends, which avoids IP fragmentation.
const UDPSize = 1232

// Server answers DNS queries from the live cloud.
type Server struct {
	live *netview.Live
	log  *slog.Logger
	cur  atomic.Pointer[resolved]
}

// resolved is the resolver of one snapshot: its VPCs' views are indexed
// once, on their first question, and serve until the snapshot changes.
type resolved struct {
	snap *netview.Snapshot
	r    *vpcdns.Resolver
}

// New answers from live's snapshots; faults of the store are logged to log.
func New(live *netview.Live, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{live: live, log: log}
}

// View is who asks: a VPC (its resolver's view) or, with VPC "", a client
// outside every VPC (the public view); Zone is the asker's availability
// zone (an endpoint's or load balancer's address in it comes first).
type View struct {
	VPC  string
	Zone string
}

// current is the resolver of the current snapshot, and the snapshot.
func (s *Server) current(ctx context.Context) (*resolved, error) {
	snap, err := s.live.Current(ctx)
	if err != nil {
		return nil, err
	}
	if c := s.cur.Load(); c != nil && c.snap == snap {
		return c, nil
	}
	c := &resolved{snap: snap, r: vpcdns.New(snap)}
	s.cur.Store(c) // two callers racing build two; either serves
	return c, nil
}

// Reply answers req for view v, untruncated, and says what answered (see
// vpcdns.Answer.Source; "" when nothing did).
func (s *Server) Reply(ctx context.Context, v View, req *dns.Msg) (*dns.Msg, string) {
	resp := new(dns.Msg)
	resp.SetReply(req)
	if req.Opcode != dns.OpcodeQuery {
		resp.Question = nil
		return rcode(resp, dns.RcodeNotImplemented), ""
	}
	if len(req.Question) != 1 {
		resp.Question = nil
		return rcode(resp, dns.RcodeFormatError), ""
	}
	var opts int
	for _, rr := range req.Extra {
		if rr.Header().Rrtype == dns.TypeOPT {
			opts++
		}
	}
	if opts > 1 {
		return rcode(resp, dns.RcodeFormatError), "" // RFC 6891 section 6.1.1
	}
	if opt := req.IsEdns0(); opt != nil {
		resp.SetEdns0(UDPSize, opt.Do())
		if opt.Version() != 0 {
			return rcode(resp, dns.RcodeBadVers), ""
		}
	}
	q := req.Question[0]
	switch {
	case q.Qclass != dns.ClassINET:
		return rcode(resp, dns.RcodeRefused), ""
	case q.Qtype == dns.TypeAXFR || q.Qtype == dns.TypeIXFR:
		return rcode(resp, dns.RcodeRefused), ""
	}
	c, err := s.current(ctx)
	if err != nil {
		s.log.Error("dns", "view", v.VPC, "name", q.Name, "error", err)
		return rcode(resp, dns.RcodeServerFailure), ""
	}
	a := c.r.Resolve(vpcdns.Question{VPC: v.VPC, Zone: v.Zone, Name: q.Name, Type: q.Qtype})
	resp.Rcode = a.Rcode
	resp.Authoritative = a.Source != "" && a.Rcode != dns.RcodeServerFailure
	resp.Answer = a.Records
	resp.Ns = a.Authority
	return resp, a.Source
}

// rcode sets resp's rcode (an extended one through its OPT record).
func rcode(resp *dns.Msg, code int) *dns.Msg {
	resp.Rcode = code
	return resp
}

// Handler answers the queries of a listener for view v: UDP answers are
// truncated to the client's size.
func (s *Server) Handler(v View) dns.Handler {
	return dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		resp, _ := s.Reply(context.Background(), v, req)
		Fit(resp, req, w.LocalAddr().Network() == "tcp")
		w.WriteMsg(resp)
	})
}

// Fit truncates resp to what the client takes: over TCP a whole message;
// over UDP 512 bytes, or the buffer size its EDNS0 record gives. Every
// transport that answers from Reply (the listeners, the data plane's
// resolver at base + 2) fits its answers here.
func Fit(resp, req *dns.Msg, tcp bool) {
	size := dns.MinMsgSize
	switch {
	case tcp:
		size = dns.MaxMsgSize
	case req.IsEdns0() != nil:
		size = int(req.IsEdns0().UDPSize())
	}
	resp.Truncate(size)
}
