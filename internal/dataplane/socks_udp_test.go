package dataplane

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
	"github.com/vpcemu/vpcemu/internal/dnsserver"
)

// udpNet is a VPC in proxy mode: a client instance (10.0.1.5), and two
// instances whose runs serve UDP 5300 with an echo server on loopback:
// 10.0.1.10, whose security group lets 5300 in, and 10.0.1.11, whose
// group lets nothing in.
type udpNet struct {
	f            *Fabric
	proxy        *Proxy
	client       RunConfig
	open, closed *udpEcho
}

// udpEcho is a loopback UDP server answering "echo " and what it got.
type udpEcho struct {
	c   *net.UDPConn
	got chan string
}

func newUDPEcho(t testing.TB) *udpEcho {
	e := &udpEcho{c: must(net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})), got: make(chan string, 16)}
	t.Cleanup(func() { e.c.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := e.c.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			e.got <- string(buf[:n])
			e.c.WriteToUDPAddrPort(append([]byte("echo "), buf[:n]...), from)
		}
	}()
	return e
}

func newUDPNet(t testing.TB) udpNet {
	t.Helper()
	c := cloudtest.Open(t)
	ctx, who := context.Background(), cloudtest.Alice
	nw := network.New(c)
	live := netview.NewLive(c)
	t.Cleanup(func() {
		nw.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.9.0.0/16"})
		live.Current(ctx)
	})
	vpc := must(nw.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}))
	sub := must(nw.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a"}))
	port := int32(5300)
	open := must(nw.CreateSecurityGroup(ctx, who, network.CreateSecurityGroupInput{VpcID: vpc.ID, Name: "udp", Description: "udp"}))
	must(0, func() error {
		_, _, err := nw.AuthorizeSecurityGroupRules(ctx, who, network.AuthorizeInput{Group: network.GroupRef{ID: open.ID}, Permissions: []network.Permission{{Protocol: "udp", FromPort: &port, ToPort: &port, Peers: []network.Peer{{Kind: network.PeerIPv4, CIDR: "10.0.0.0/16"}}}}})
		return err
	}())
	closed := must(nw.CreateSecurityGroup(ctx, who, network.CreateSecurityGroupInput{VpcID: vpc.ID, Name: "closed", Description: "closed"}))
	zero := int32(0)
	instance := func(ip string, groups ...string) RunConfig {
		i := must(nw.RunInstances(ctx, who, network.RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1,
			Interfaces: []network.LaunchInterface{{DeviceIndex: &zero, SubnetID: sub.ID, Groups: groups, PrivateIP: ip}}})).Instances[0]
		return RunConfig{Instance: i.ID, VPC: vpc.ID, Zone: "us-east-1a", Resolver: "10.0.0.2", Search: "ec2.internal", Addresses: []string{ip + "/24"}}
	}
	d := NewDecider(live)
	f := NewFabric(d, dnsserver.New(live, nil), nil, nil)
	runs := NewRuns(live, "", nil)
	p := must(ListenProxy("", f, runs))
	t.Cleanup(func() { p.Close() })
	runs.proxy = p.Addr().String()
	start := func(cfg RunConfig, listen ...string) RunConfig {
		cfg.Proxy, cfg.Listen, cfg.Token = runs.proxy, listen, newToken()
		runs.tokens[cfg.Token] = pending{cfg: cfg, expires: time.Now().Add(time.Minute)}
		c := must(OpenSession(runs.proxy, cfg.Instance, cfg.Token))
		t.Cleanup(func() { c.Close() })
		return cfg
	}
	n := udpNet{f: f, proxy: p, open: newUDPEcho(t), closed: newUDPEcho(t)}
	start(instance("10.0.1.10", open.ID), "5300/udp="+n.open.c.LocalAddr().String())
	start(instance("10.0.1.11", closed.ID), "5300/udp="+n.closed.c.LocalAddr().String())
	n.client = start(instance("10.0.1.5"))
	return n
}

// socksUDPClient is a minimal SOCKS5 UDP client (golang.org/x/net/proxy
// has none): an association, and the UDP socket that sends through it.
type socksUDPClient struct {
	ctl   net.Conn
	udp   *net.UDPConn
	relay netip.AddrPort
}

// associate authenticates with user and pass and asks for a UDP
// association; it returns the authentication status (and no client when
// it failed).
func associate(t *testing.T, proxy netip.AddrPort, user, pass string) (byte, *socksUDPClient) {
	t.Helper()
	ctl := must(net.Dial("tcp", proxy.String()))
	t.Cleanup(func() { ctl.Close() })
	ctl.SetDeadline(time.Now().Add(5 * time.Second))
	ctl.Write([]byte{5, 1, 2})
	var b [10]byte
	if _, err := io.ReadFull(ctl, b[:2]); err != nil || b[1] != 2 {
		t.Fatalf("the SOCKS5 greeting: %v %v", b[:2], err)
	}
	ctl.Write(append(append(append([]byte{1, byte(len(user))}, user...), byte(len(pass))), pass...))
	if _, err := io.ReadFull(ctl, b[:2]); err != nil || b[1] != 0 {
		return b[1], nil
	}
	udp := must(net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}))
	t.Cleanup(func() { udp.Close() })
	from := udp.LocalAddr().(*net.UDPAddr).AddrPort()
	ctl.Write(binary.BigEndian.AppendUint16([]byte{5, socksUDPAssociate, 0, 1, 0, 0, 0, 0}, from.Port()))
	if _, err := io.ReadFull(ctl, b[:10]); err != nil || b[1] != socksOK || b[3] != 1 {
		t.Fatalf("UDP ASSOCIATE: %v %v", b, err)
	}
	ctl.SetDeadline(time.Time{})
	relay := netip.AddrPortFrom(netip.AddrFrom4([4]byte(b[4:8])), binary.BigEndian.Uint16(b[8:]))
	if !relay.Addr().IsLoopback() {
		t.Fatalf("the relay %s is not on loopback", relay)
	}
	return 0, &socksUDPClient{ctl: ctl, udp: udp, relay: relay}
}

// send sends data to host (an address or a name) and port through the
// relay, with the SOCKS UDP header's FRAG.
func (c *socksUDPClient) send(host string, port uint16, frag byte, data []byte) {
	h := []byte{0, 0, frag}
	if a, err := netip.ParseAddr(host); err == nil {
		h = append(append(h, 1), a.AsSlice()...)
	} else {
		h = append(append(h, 3, byte(len(host))), host...)
	}
	h = binary.BigEndian.AppendUint16(h, port)
	c.udp.WriteToUDPAddrPort(append(h, data...), c.relay)
}

// recv is the next datagram back (its source, from the header) within
// wait; ok is false when none came.
func (c *socksUDPClient) recv(t *testing.T, wait time.Duration) (from netip.AddrPort, data []byte, ok bool) {
	t.Helper()
	buf := make([]byte, 65535)
	c.udp.SetReadDeadline(time.Now().Add(wait))
	n, src, err := c.udp.ReadFromUDPAddrPort(buf)
	if err != nil {
		return netip.AddrPort{}, nil, false
	}
	if src != c.relay {
		t.Fatalf("a datagram from %s, not the relay %s", src, c.relay)
	}
	if n < 10 || buf[2] != 0 || buf[3] != 1 {
		t.Fatalf("a reply without an IPv4 SOCKS UDP header: %v", buf[:n])
	}
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte(buf[4:8])), binary.BigEndian.Uint16(buf[8:10])), buf[10:n], true
}

// TestSocksUDP: SOCKS5's UDP ASSOCIATE carries the instance's datagrams
// as the engine decides them: the VPC's DNS server answers from its view,
// a peer's UDP server answers through its run's --listen, what a security
// group blocks and a fragment are dropped, and an association needs the
// run's credentials.
func TestSocksUDP(t *testing.T) {
	n := newUDPNet(t)
	_, c := associate(t, n.proxy.Addr(), n.client.Instance, n.client.Token)

	query := func(name string) []byte {
		q := new(dns.Msg)
		q.SetQuestion(name, dns.TypeA)
		return must(q.Pack())
	}
	tests := []struct {
		name      string
		host      string
		port      uint16
		frag      byte
		data      []byte
		from      string // "" for no answer
		want      string // the answer, or the A record's address for DNS
		dropsAt   *udpEcho
		dnsAnswer bool
	}{
		{name: "the VPC's DNS server", host: "10.0.0.2", port: 53, data: query("ip-10-0-1-10.ec2.internal."), from: "10.0.0.2:53", want: "10.0.1.10", dnsAnswer: true},
		{name: "a peer's UDP server", host: "10.0.1.10", port: 5300, data: []byte("ping"), from: "10.0.1.10:5300", want: "echo ping"},
		{name: "a peer by name, in the VPC's view", host: "ip-10-0-1-10", port: 5300, data: []byte("by name"), from: "10.0.1.10:5300", want: "echo by name"},
		{name: "blocked by a security group", host: "10.0.1.11", port: 5300, data: []byte("blocked"), dropsAt: n.closed},
		{name: "a fragment", host: "10.0.1.10", port: 5300, frag: 1, data: []byte("fragment"), dropsAt: n.open},
		{name: "a port nothing listens on", host: "10.0.1.10", port: 5301, data: []byte("nobody")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, e := range []*udpEcho{n.open, n.closed} {
				for len(e.got) > 0 {
					<-e.got // what earlier cases sent
				}
			}
			wait := 2 * time.Second
			if tt.from == "" {
				wait = 700 * time.Millisecond
			}
			c.send(tt.host, tt.port, tt.frag, tt.data)
			from, data, ok := c.recv(t, wait)
			if tt.from == "" {
				if ok {
					t.Fatalf("an answer from %s: %q", from, data)
				}
				if tt.dropsAt != nil {
					select {
					case got := <-tt.dropsAt.got:
						t.Errorf("the server got %q", got)
					default:
					}
				}
				return
			}
			if !ok {
				t.Fatal("no answer")
			}
			if from.String() != tt.from {
				t.Errorf("the answer comes from %s, want %s", from, tt.from)
			}
			got := string(data)
			if tt.dnsAnswer {
				m := new(dns.Msg)
				if err := m.Unpack(data); err != nil || len(m.Answer) != 1 {
					t.Fatalf("the DNS answer: %v %v", m, err)
				}
				got = m.Answer[0].(*dns.A).A.String()
			}
			if got != tt.want {
				t.Errorf("answer %q, want %q", got, tt.want)
			}
		})
	}

	t.Run("flows", func(t *testing.T) {
		var udp []FlowInfo
		for _, fl := range n.f.flows.list(cloudtest.Alice.Account) {
			if fl.Protocol == "udp" {
				udp = append(udp, fl)
			}
		}
		// "ping" and "by name" are one flow (the association is one socket);
		// the port nothing listens on has none.
		if len(udp) != 1 || udp[0].Delivered != "10.0.1.10:5300" || udp[0].BytesOut != int64(len("ping")+len("by name")) || udp[0].BytesIn != int64(len("echo ping")+len("echo by name")) {
			t.Errorf("vpcemu flows: %+v, want the one carried flow to 10.0.1.10:5300", udp)
		}
	})

	t.Run("flow-log records", func(t *testing.T) {
		var accepted, rejected bool
		for _, r := range n.f.closeWindow() {
			switch {
			case r.Protocol != 17 || r.Src.String() != "10.0.1.5" && r.Dst.String() != "10.0.1.5":
			case r.Dst.String() == "10.0.1.10" && r.DstPort == 5300 && r.Action == accept:
				// ping and "by name": one flow, two datagrams each way; the
				// fragment was not sent on. Each with its IP and UDP headers.
				accepted = r.Packets == 2 && r.Bytes == uint64(len("ping")+len("by name")+2*28)
				if !accepted {
					t.Errorf("the carried flow's record: %+v", r)
				}
			case r.Dst.String() == "10.0.1.11" && r.Action == reject:
				rejected = true
			}
		}
		if !accepted || !rejected {
			t.Errorf("records: ACCEPT to 10.0.1.10:5300 %v, REJECT to 10.0.1.11 %v", accepted, rejected)
		}
	})

	t.Run("ends with its connection", func(t *testing.T) {
		c.ctl.Close()
		deadline := time.Now().Add(5 * time.Second)
		for {
			left := 0
			for _, fl := range n.f.flows.list(cloudtest.Alice.Account) {
				if fl.Protocol == "udp" {
					left++
				}
			}
			if left == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d UDP flows left after the association's connection closed", left)
			}
			time.Sleep(20 * time.Millisecond)
		}
		c.send("10.0.1.10", 5300, 0, []byte("after"))
		if _, data, ok := c.recv(t, 300*time.Millisecond); ok {
			t.Errorf("the relay still answers: %q", data)
		}
	})

	t.Run("not authenticated", func(t *testing.T) {
		for _, pass := range []string{"nope", ""} {
			if auth, c := associate(t, n.proxy.Addr(), n.client.Instance, pass); auth != 1 || c != nil {
				t.Errorf("a wrong token %q: authentication %d, an association %v", pass, auth, c != nil)
			}
		}
	})
}
