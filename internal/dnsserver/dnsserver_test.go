package dnsserver_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/route53"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
	"github.com/vpcemu/vpcemu/internal/dnsserver"
)

// fixture is a VPC with DNS support and hostnames, associated with the
// private zone corp.internal, and a VPC with DNS support off.
type fixture struct {
	t    testing.TB
	c    *cloud.Cloud
	r53  *route53.Service
	srv  *dnsserver.Server
	vpc  string
	off  string
	zone string
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// bigAddrs is how many addresses big.corp.internal holds: more than a
// 512-byte answer takes.
const bigAddrs = 60

func newFixture(t testing.TB) *fixture {
	t.Helper()
	c := cloudtest.Fixed(t)
	ctx, who := context.Background(), cloudtest.Alice
	net, r53 := network.New(c), route53.New(c)
	vpc := func(block string, support bool) string {
		v := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: block}))
		must(0, net.ModifyVPCAttribute(ctx, who, v.ID, network.AttrEnableDNSHostnames, true))
		must(0, net.ModifyVPCAttribute(ctx, who, v.ID, network.AttrEnableDNSSupport, support))
		return v.ID
	}
	f := &fixture{t: t, c: c, r53: r53, vpc: vpc("10.0.0.0/16", true), off: vpc("10.1.0.0/16", false)}
	f.srv = dnsserver.New(netview.NewLive(c), nil)
	z := must(r53.CreateHostedZone(ctx, who, route53.NewZone{Name: "corp.internal", CallerReference: "corp", Private: true,
		VPC: &route53.VPC{Region: "us-east-1", ID: f.vpc}})).Zone
	must(r53.AssociateVPC(ctx, who, z.ID, route53.VPC{Region: "us-east-1", ID: f.off}, ""))
	f.zone = z.ID
	var big []string
	for i := range bigAddrs {
		big = append(big, fmt.Sprintf("10.0.2.%d", i+1))
	}
	f.records(
		set("db.corp.internal", "A", "10.0.1.50"),
		set("big.corp.internal", "A", big...),
		set("loop1.corp.internal", "CNAME", "loop2.corp.internal"),
		set("loop2.corp.internal", "CNAME", "loop1.corp.internal"),
	)
	return f
}

func set(name, typ string, values ...string) route53.RecordSet {
	ttl := int64(300)
	return route53.RecordSet{Name: name, Type: typ, TTL: &ttl, Values: values}
}

func (f *fixture) records(sets ...route53.RecordSet) {
	f.t.Helper()
	var changes []route53.RecordChange
	for _, s := range sets {
		changes = append(changes, route53.RecordChange{Action: "UPSERT", Set: s})
	}
	must(f.r53.ChangeRecordSets(context.Background(), cloudtest.Alice, f.zone, "", changes))
}

// query is a query of name and type, with RD set as stub resolvers send it.
func query(name string, typ uint16) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), typ)
	return m
}

func TestReply(t *testing.T) {
	f := newFixture(t)
	with := func(m *dns.Msg, change func(*dns.Msg)) *dns.Msg { change(m); return m }
	cases := []struct {
		name    string
		view    string // "vpc", "off", "public" or a VPC id
		req     *dns.Msg
		rcode   int
		answers int
		aa      bool
		soa     bool // the zone's SOA in the authority section
		edns    bool // an OPT record in the answer
		source  string
	}{
		{name: "a record", req: query("db.corp.internal", dns.TypeA), answers: 1, aa: true, source: "zone"},
		{name: "names are case-insensitive", req: query("DB.Corp.Internal", dns.TypeA), answers: 1, aa: true, source: "zone"},
		{name: "NXDOMAIN carries the SOA", req: query("nope.corp.internal", dns.TypeA), rcode: dns.RcodeNameError, aa: true, soa: true, source: "zone"},
		{name: "NODATA carries the SOA", req: query("db.corp.internal", dns.TypeAAAA), aa: true, soa: true, source: "zone"},
		{name: "a CNAME loop is SERVFAIL", req: query("loop1.corp.internal", dns.TypeA), rcode: dns.RcodeServerFailure},
		{name: "the internet is not there: NXDOMAIN without authority", req: query("www.example.org", dns.TypeA), rcode: dns.RcodeNameError},
		{name: "a VPC without DNS support has no DNS server", view: "off", req: query("db.corp.internal", dns.TypeA), rcode: dns.RcodeRefused},
		{name: "an unknown VPC", view: "vpc-0123456789abcdef0", req: query("db.corp.internal", dns.TypeA), rcode: dns.RcodeRefused},
		{name: "the public view has no private zones", view: "public", req: query("db.corp.internal", dns.TypeA), rcode: dns.RcodeNameError},
		{name: "class CH is refused", req: with(query("version.bind", dns.TypeTXT), func(m *dns.Msg) { m.Question[0].Qclass = dns.ClassCHAOS }), rcode: dns.RcodeRefused},
		{name: "class ANY is refused", req: with(query("db.corp.internal", dns.TypeA), func(m *dns.Msg) { m.Question[0].Qclass = dns.ClassANY }), rcode: dns.RcodeRefused},
		{name: "no zone transfers", req: query("corp.internal", dns.TypeAXFR), rcode: dns.RcodeRefused},
		{name: "no question is FORMERR", req: with(query("db.corp.internal", dns.TypeA), func(m *dns.Msg) { m.Question = nil }), rcode: dns.RcodeFormatError},
		{name: "two questions are FORMERR", req: with(query("db.corp.internal", dns.TypeA), func(m *dns.Msg) {
			m.Question = append(m.Question, dns.Question{Name: "big.corp.internal.", Qtype: dns.TypeA, Qclass: dns.ClassINET})
		}), rcode: dns.RcodeFormatError},
		{name: "two OPT records are FORMERR", req: with(query("db.corp.internal", dns.TypeA), func(m *dns.Msg) {
			m.SetEdns0(1232, false)
			m.Extra = append(m.Extra, dns.Copy(m.Extra[0]))
		}), rcode: dns.RcodeFormatError},
		{name: "UPDATE is NOTIMP", req: with(query("db.corp.internal", dns.TypeA), func(m *dns.Msg) { m.Opcode = dns.OpcodeUpdate }), rcode: dns.RcodeNotImplemented},
		{name: "NOTIFY is NOTIMP", req: with(query("corp.internal", dns.TypeSOA), func(m *dns.Msg) { m.Opcode = dns.OpcodeNotify }), rcode: dns.RcodeNotImplemented},
		{name: "EDNS0: the answer has an OPT record", req: with(query("db.corp.internal", dns.TypeA), func(m *dns.Msg) { m.SetEdns0(4096, true) }),
			answers: 1, aa: true, edns: true, source: "zone"},
		{name: "EDNS version 1 is BADVERS", req: with(query("db.corp.internal", dns.TypeA), func(m *dns.Msg) { m.SetEdns0(4096, false); m.IsEdns0().SetVersion(1) }),
			rcode: dns.RcodeBadVers, edns: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := dnsserver.View{VPC: f.vpc}
			switch tc.view {
			case "":
			case "off":
				v.VPC = f.off
			case "public":
				v.VPC = ""
			default:
				v.VPC = tc.view
			}
			tc.req.Id = 4242
			resp, source := f.srv.Reply(t.Context(), v, tc.req)
			// What goes on the wire must pack, and unpack the same.
			wire, err := resp.Pack()
			if err != nil {
				t.Fatalf("the answer does not pack: %v", err)
			}
			got := new(dns.Msg)
			if err := got.Unpack(wire); err != nil {
				t.Fatal(err)
			}
			if got.Rcode != tc.rcode {
				t.Fatalf("rcode %s, want %s:\n%v", dns.RcodeToString[got.Rcode], dns.RcodeToString[tc.rcode], got)
			}
			if got.Id != 4242 || !got.Response || got.RecursionAvailable || got.Authoritative != tc.aa || got.Truncated {
				t.Errorf("header: id %d qr %v ra %v aa %v (want %v) tc %v", got.Id, got.Response, got.RecursionAvailable, got.Authoritative, tc.aa, got.Truncated)
			}
			if got.RecursionDesired != tc.req.RecursionDesired && tc.req.Opcode == dns.OpcodeQuery {
				t.Errorf("RD %v, not the query's", got.RecursionDesired)
			}
			if len(got.Answer) != tc.answers {
				t.Errorf("%d answers, want %d: %v", len(got.Answer), tc.answers, got.Answer)
			}
			if soa := len(got.Ns) == 1 && got.Ns[0].Header().Rrtype == dns.TypeSOA && got.Ns[0].Header().Name == "corp.internal."; soa != tc.soa || !tc.soa && len(got.Ns) > 0 {
				t.Errorf("authority %v, want the SOA: %v", got.Ns, tc.soa)
			}
			opt := got.IsEdns0()
			if (opt != nil) != tc.edns {
				t.Errorf("OPT %v, want one: %v", opt, tc.edns)
			}
			if opt != nil && (opt.UDPSize() != dnsserver.UDPSize || opt.Do() != tc.req.IsEdns0().Do() || opt.Version() != 0) {
				t.Errorf("OPT %v: want our size %d, the query's DO bit, version 0", opt, dnsserver.UDPSize)
			}
			if want := map[string]string{"zone": f.zone}[tc.source]; source != want {
				t.Errorf("answered by %q, want %q", source, want)
			}
		})
	}
}

// serve starts a listener for view on a free loopback port until the test
// ends.
func serve(t testing.TB, srv *dnsserver.Server, view dnsserver.View) string {
	t.Helper()
	l, err := srv.Listen(view, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- l.Serve() }()
	t.Cleanup(func() {
		if err := l.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return l.Addr()
}

// TestListener asks over UDP and TCP: UDP answers are truncated to the
// client's size (512 bytes, or its EDNS0 size), TCP answers are whole.
func TestListener(t *testing.T) {
	f := newFixture(t)
	addr := serve(t, f.srv, dnsserver.View{VPC: f.vpc})
	cases := []struct {
		name    string
		net     string
		edns    uint16
		q       string
		answers int
		tc      bool
	}{
		{name: "udp", net: "udp", q: "db.corp.internal", answers: 1},
		{name: "tcp", net: "tcp", q: "db.corp.internal", answers: 1},
		{name: "udp without EDNS0: 512 bytes, truncated", net: "udp", q: "big.corp.internal", answers: -1, tc: true},
		{name: "udp with EDNS0 4096: whole", net: "udp", edns: 4096, q: "big.corp.internal", answers: bigAddrs},
		{name: "udp with EDNS0 below 512: as 512", net: "udp", edns: 256, q: "big.corp.internal", answers: -1, tc: true},
		{name: "tcp: whole", net: "tcp", q: "big.corp.internal", answers: bigAddrs},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := query(tc.q, dns.TypeA)
			size := dns.MinMsgSize
			if tc.edns != 0 {
				m.SetEdns0(tc.edns, false)
				size = max(size, int(tc.edns))
			}
			c := &dns.Client{Net: tc.net, UDPSize: uint16(size)}
			resp, _, err := c.Exchange(m, addr)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Rcode != dns.RcodeSuccess || resp.Truncated != tc.tc {
				t.Fatalf("rcode %s tc %v, want NOERROR tc %v", dns.RcodeToString[resp.Rcode], resp.Truncated, tc.tc)
			}
			if tc.answers >= 0 && len(resp.Answer) != tc.answers {
				t.Errorf("%d answers, want %d", len(resp.Answer), tc.answers)
			}
			resp.Compress = true // as it came: Len counts the uncompressed message otherwise
			if tc.net == "udp" && resp.Len() > size {
				t.Errorf("%d bytes over UDP, more than the client's %d", resp.Len(), size)
			}
			if tc.tc && len(resp.Answer) >= bigAddrs {
				t.Errorf("truncated but whole: %d answers", len(resp.Answer))
			}
		})
	}
	// Several queries on one TCP connection.
	conn, err := dns.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, name := range []string{"db.corp.internal", "nope.corp.internal", "db.corp.internal"} {
		if err := conn.WriteMsg(query(name, dns.TypeA)); err != nil {
			t.Fatal(err)
		}
		if resp, err := conn.ReadMsg(); err != nil || resp.Question[0].Name != name+"." {
			t.Fatalf("%s over a kept connection: %v %v", name, resp, err)
		}
	}
}

// A change through the domain shows in the very next answer.
func TestListenerFollowsChanges(t *testing.T) {
	f := newFixture(t)
	addr := serve(t, f.srv, dnsserver.View{VPC: f.vpc})
	ask := func() *dns.Msg {
		resp, err := dns.Exchange(query("new.corp.internal", dns.TypeA), addr)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	if resp := ask(); resp.Rcode != dns.RcodeNameError {
		t.Fatalf("before: %v", resp)
	}
	f.records(set("new.corp.internal", "A", "10.0.1.99"))
	if resp := ask(); len(resp.Answer) != 1 || resp.Answer[0].(*dns.A).A.String() != "10.0.1.99" {
		t.Fatalf("after: %v", resp)
	}
}

func TestParseAddr(t *testing.T) {
	cases := []struct {
		addr, want, err string
	}{
		{addr: "127.0.0.1:5353", want: "127.0.0.1:5353"},
		{addr: "127.0.0.53:53", want: "127.0.0.53:53"},
		{addr: "[::1]:0", want: "[::1]:0"},
		{addr: "localhost:5353", want: "127.0.0.1:5353"},
		{addr: "0.0.0.0:53", err: "loopback addresses only"},
		{addr: ":53", err: "loopback addresses only"},
		{addr: "[::]:53", err: "loopback addresses only"},
		{addr: "192.168.1.10:53", err: "loopback addresses only"},
		{addr: "example.com:53", err: "loopback addresses only"},
		{addr: "127.0.0.1", err: "want host:port"},
		{addr: "127.0.0.1:dns", err: "port must be a number"},
		{addr: "127.0.0.1:65536", err: "port must be a number"},
	}
	for _, tc := range cases {
		t.Run(tc.addr, func(t *testing.T) {
			got, err := dnsserver.ParseAddr(tc.addr)
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error %v, want %q", err, tc.err)
				}
			case err != nil:
				t.Fatal(err)
			case got.String() != tc.want:
				t.Errorf("%s, want %s", got, tc.want)
			}
		})
	}
}

// Listen refuses what ParseAddr refuses, and binds UDP and TCP on one
// port.
func TestListen(t *testing.T) {
	f := newFixture(t)
	if _, err := f.srv.Listen(dnsserver.View{}, "0.0.0.0:0"); err == nil {
		t.Fatal("listening beyond loopback")
	}
	l, err := f.srv.Listen(dnsserver.View{}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Shutdown(context.Background())
	for _, network := range []string{"udp", "tcp"} {
		// The port is taken in both.
		var err error
		if network == "udp" {
			var pc net.PacketConn
			if pc, err = net.ListenPacket("udp", l.Addr()); err == nil {
				pc.Close()
			}
		} else {
			var ln net.Listener
			if ln, err = net.Listen("tcp", l.Addr()); err == nil {
				ln.Close()
			}
		}
		if err == nil {
			t.Errorf("%s %s is free", network, l.Addr())
		}
	}
}
