package dataplane

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"
)

// proxyNet is the PrivateLink world in proxy mode: the consumer's
// instance is a client of the proxy, the provider's target a loopback
// HTTP server its run listens with.
type proxyNet struct {
	f        *Fabric
	proxy    *Proxy
	client   RunConfig // with its token
	endpoint netip.AddrPort
	target   net.Listener
}

// newProxyNet starts the proxy over the world, the provider's run
// listening with target.
func newProxyNet(t testing.TB, target net.Listener) proxyNet {
	t.Helper()
	d, ccfg, scfg, endpoint := privateLinkWorld(t)
	f := NewFabric(d, nil, nil, nil)
	runs := NewRuns(d.live, "", nil)
	p := must(ListenProxy("", f, runs))
	t.Cleanup(func() { p.Close() })
	runs.proxy = p.Addr().String()
	t.Cleanup(func() { target.Close() })
	start := func(cfg RunConfig, addr string, listen ...string) RunConfig {
		cfg.Addresses, cfg.Proxy, cfg.Listen, cfg.Token = []string{addr}, runs.proxy, listen, newToken()
		runs.tokens[cfg.Token] = pending{cfg: cfg, expires: time.Now().Add(time.Minute)}
		c := must(OpenSession(runs.proxy, cfg.Instance, cfg.Token))
		t.Cleanup(func() { c.Close() })
		return cfg
	}
	start(scfg, "10.1.1.10/24", "8443="+target.Addr().String())
	return proxyNet{f: f, proxy: p, client: start(ccfg, "10.2.1.5/24"), endpoint: netip.AddrPortFrom(endpoint, 443), target: target}
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// connect asks for a CONNECT tunnel to dst with credentials, and returns
// the proxy's status line ("" when none came in wait) and the connection.
func (n proxyNet) connect(t *testing.T, dst, auth string, wait time.Duration) (string, net.Conn, *bufio.Reader) {
	t.Helper()
	c := must(net.Dial("tcp", n.proxy.Addr().String()))
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "CONNECT %s HTTP/1.1\r\nHost: %s\r\nProxy-Authorization: %s\r\n\r\n", dst, dst, auth)
	c.SetReadDeadline(time.Now().Add(wait))
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodConnect})
	c.SetReadDeadline(time.Time{})
	if err != nil {
		return "", c, br
	}
	return resp.Status, c, br
}

// socks opens a SOCKS5 CONNECT to dst (an address) with user and pass,
// and returns the authentication status and the reply code (-1 when
// none came in wait).
func (n proxyNet) socks(t *testing.T, dst netip.AddrPort, user, pass string, wait time.Duration) (byte, int, net.Conn) {
	t.Helper()
	c := must(net.Dial("tcp", n.proxy.Addr().String()))
	t.Cleanup(func() { c.Close() })
	c.SetReadDeadline(time.Now().Add(wait))
	c.Write([]byte{5, 1, 2})
	var b [10]byte
	if _, err := io.ReadFull(c, b[:2]); err != nil || b[1] != 2 {
		t.Fatalf("the SOCKS5 greeting: %v %v", b[:2], err)
	}
	c.Write(append(append(append([]byte{1, byte(len(user))}, user...), byte(len(pass))), pass...))
	if _, err := io.ReadFull(c, b[:2]); err != nil || b[1] != 0 {
		return b[1], -1, c
	}
	a := dst.Addr().As4()
	c.Write(append([]byte{5, 1, 0, 1, a[0], a[1], a[2], a[3]}, byte(dst.Port()>>8), byte(dst.Port())))
	if _, err := io.ReadFull(c, b[:10]); err != nil {
		return 0, -1, c
	}
	c.SetReadDeadline(time.Time{})
	return 0, int(b[1]), c
}

// TestProxy: every protocol of the proxy carries the consumer to the
// provider's target through the endpoint and the NLB, only with the
// run's credentials; what the engine blocks is never answered, and what
// nothing listens for is refused.
func TestProxy(t *testing.T) {
	target := must(net.Listen("tcp", "127.0.0.1:0"))
	go http.Serve(target, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "target %s %s", r.Method, r.URL.Path)
	}))
	n := newProxyNet(t, target)
	good := basic(n.client.Instance, n.client.Token)
	direct := "10.1.1.10:8443" // the target's own address: no route from the consumer's VPC

	t.Run("CONNECT", func(t *testing.T) {
		tests := []struct {
			name, dst, auth, want string
		}{
			{"through the endpoint", n.endpoint.String(), good, "200 Connection established"},
			{"a wrong token", n.endpoint.String(), basic(n.client.Instance, "nope"), "407 Proxy Authentication Required"},
			{"another instance's name", n.endpoint.String(), basic("i-0123456789abcdef0", n.client.Token), "407 Proxy Authentication Required"},
			{"no credentials", n.endpoint.String(), "", "407 Proxy Authentication Required"},
			{"blocked: held unanswered", direct, good, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				status, c, br := n.connect(t, tt.dst, tt.auth, 500*time.Millisecond)
				if status != tt.want {
					t.Fatalf("status %q, want %q", status, tt.want)
				}
				if status != "200 Connection established" {
					return
				}
				fmt.Fprint(c, "GET /through HTTP/1.1\r\nHost: x\r\n\r\n")
				resp := must(http.ReadResponse(br, nil))
				body, _ := io.ReadAll(resp.Body)
				if string(body) != "target GET /through" {
					t.Errorf("through the tunnel: %q", body)
				}
			})
		}
	})

	t.Run("absolute HTTP", func(t *testing.T) {
		tests := []struct {
			name, user, pass string
			status           int
			body             string
		}{
			{"through the endpoint", n.client.Instance, n.client.Token, 200, "target GET /plain"},
			{"a wrong token", n.client.Instance, "nope", 407, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				proxyURL := &url.URL{Scheme: "http", User: url.UserPassword(tt.user, tt.pass), Host: n.proxy.Addr().String()}
				client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL)}}
				defer client.CloseIdleConnections()
				for range 2 { // a kept connection carries the next request as a flow of its own
					resp, err := client.Get("http://" + n.endpoint.String() + "/plain")
					if err != nil {
						t.Fatal(err)
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != tt.status || tt.status == 200 && string(body) != tt.body {
						t.Fatalf("%d %q, want %d %q", resp.StatusCode, body, tt.status, tt.body)
					}
				}
			})
		}
	})

	t.Run("SOCKS5", func(t *testing.T) {
		tests := []struct {
			name       string
			dst        netip.AddrPort
			pass       string
			auth       byte
			reply      int
			throughput bool
		}{
			{"through the endpoint", n.endpoint, n.client.Token, 0, 0, true},
			{"a wrong token", n.endpoint, "nope", 1, -1, false},
			{"blocked: held unanswered", netip.MustParseAddrPort(direct), n.client.Token, 0, -1, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				auth, reply, c := n.socks(t, tt.dst, n.client.Instance, tt.pass, 500*time.Millisecond)
				if auth != tt.auth || reply != tt.reply {
					t.Fatalf("authentication %d, reply %d; want %d, %d", auth, reply, tt.auth, tt.reply)
				}
				if tt.throughput {
					fmt.Fprint(c, "GET /socks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
					body, _ := io.ReadAll(c)
					if !strings.HasSuffix(string(body), "target GET /socks") {
						t.Errorf("through SOCKS5: %q", body)
					}
				}
			})
		}
	})

	// What was carried is logged on the consumer's interface, with bytes.
	recs := n.f.closeWindow()
	var bytes uint64
	for _, r := range recs {
		if r.Src == netip.MustParseAddr("10.2.1.5") && r.Action == accept {
			bytes += r.Bytes
		}
	}
	if bytes == 0 {
		t.Errorf("no accepted bytes from the consumer in the flow-log records: %+v", recs)
	}

	t.Run("refused", func(t *testing.T) {
		n.target.Close()
		if status, _, _ := n.connect(t, n.endpoint.String(), good, 5*time.Second); status != "502 Bad Gateway" {
			t.Errorf("CONNECT to a target nothing listens on: %q, want 502", status)
		}
		if _, reply, _ := n.socks(t, n.endpoint, n.client.Instance, n.client.Token, 5*time.Second); reply != socksRefused {
			t.Errorf("SOCKS5 to a target nothing listens on: reply %d, want %d", reply, socksRefused)
		}
	})
}

// TestParseListen: a run's ports are loopback addresses only; TCP unless
// they say /udp.
func TestParseListen(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for an error
	}{
		{"8080=127.0.0.1:18080", "127.0.0.1:18080"},
		{"8080=[::1]:18080", "[::1]:18080"},
		{"8080=10.0.0.1:18080", ""},
		{"8080=0.0.0.0:18080", ""},
		{"0=127.0.0.1:18080", ""},
		{"8080=127.0.0.1", ""},
		{"8080", ""},
		{"8080/tcp=127.0.0.1:18080", "127.0.0.1:18080"},
		{"8080/sctp=127.0.0.1:18080", ""},
	}
	for _, tt := range tests {
		got, err := parseListen([]string{tt.in})
		if tt.want == "" {
			if err == nil {
				t.Errorf("%q: no error", tt.in)
			}
			continue
		}
		if err != nil || got[listenPort{port: 8080}].String() != tt.want {
			t.Errorf("%q: %v %v, want %s", tt.in, got, err, tt.want)
		}
	}
}
