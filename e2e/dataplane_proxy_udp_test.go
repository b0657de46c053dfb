package e2e

import (
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// socksUDPScript is a real SOCKS5 UDP client, PySocks, as a proxied
// program uses it: through ALL_PROXY (socks5h, the run's credentials),
// "dns RESOLVER NAME" asks the VPC's DNS server for NAME's A record and
// prints it; "echo HOST PORT MSG" sends MSG and prints the answer and
// where it came from. Either exits 1 when nothing comes back in 2
// seconds.
const socksUDPScript = `
import os, socket, struct, sys, urllib.parse
import socks
u = urllib.parse.urlsplit(os.environ["ALL_PROXY"])
s = socks.socksocket(socket.AF_INET, socket.SOCK_DGRAM)
s.set_proxy(socks.SOCKS5, u.hostname, u.port, True, urllib.parse.unquote(u.username), urllib.parse.unquote(u.password))
s.settimeout(2)
try:
    if sys.argv[1] == "dns":
        q = struct.pack("!HHHHHH", 0x7663, 0x0100, 1, 0, 0, 0)
        q += b"".join(bytes([len(l)]) + l.encode() for l in sys.argv[3].split(".")) + b"\0" + struct.pack("!HH", 1, 1)
        s.sendto(q, (sys.argv[2], 53))
        data, _ = s.recvfrom(4096)
        if struct.unpack("!H", data[6:8])[0] < 1:
            sys.exit(1)
        print(socket.inet_ntoa(data[-4:]))
    else:
        s.sendto(sys.argv[4].encode(), (sys.argv[2], int(sys.argv[3])))
        data, src = s.recvfrom(4096)
        print(data.decode(), "%s:%d" % src)
except socket.timeout:
    sys.exit(1)
`

// udpEchoScript answers each datagram on 127.0.0.1:argv[1] with "echo "
// and what it got.
const udpEchoScript = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
while True:
    data, src = s.recvfrom(4096)
    s.sendto(b"echo " + data, src)
`

// pySocks is a Python with PySocks (Debian's python3-socks), or "" when
// there is none.
func pySocks() string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import socks").Run() == nil {
			return py
		}
	}
	return ""
}

// freeUDPPort is a loopback UDP port nothing listens on now.
func freeUDPPort(t *testing.T) int {
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// TestDataPlaneProxyUDP: UDP in proxy mode, with a real SOCKS5 UDP client
// (PySocks) as the instance: the VPC's DNS server answers it from the
// VPC's view, a UDP server another proxied run serves as its instance's
// port (--listen 5300/udp=…) answers it by address and by name while the
// security group lets UDP 5300 in, and not once the rule is revoked. A
// program in a namespace reaches the same proxied server (the modes
// mixed), where transparent mode can run.
func TestDataPlaneProxyUDP(t *testing.T) {
	t.Parallel()
	needsProxyMode(t)
	py := pySocks()
	if py == "" {
		t.Skip("no Python with PySocks (Debian's python3-socks), the SOCKS5 UDP client")
	}
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory", "--log-level", "debug")
	cli := newAWSCLI(t, srv.URL, accountA)
	w := newWebVPC(t, cli, "8080")
	cli.ok(t, "ec2", "authorize-security-group-ingress", "--group-id", w.web, "--protocol", "udp", "--port", "5300", "--cidr", "10.0.0.0/16")
	server, serverIP := w.launch("--security-group-ids", w.web)
	client, _ := w.launch()
	p := player{t: t, url: srv.URL, account: accountA, proxy: true}

	local := strconv.Itoa(freeUDPPort(t))
	cmd := p.proxied(server, []string{"--listen", "5300/udp=127.0.0.1:" + local}, "python3", "-c", udpEchoScript, local)
	startBackground(t, cmd)
	socksUDP := func(args ...string) (string, bool) {
		out, err := p.proxied(client, nil, append([]string{py, "-c", socksUDPScript}, args...)...).Output()
		return strings.TrimSpace(string(out)), err == nil
	}

	host := "ip-" + strings.ReplaceAll(serverIP, ".", "-")
	if got, ok := socksUDP("dns", "10.0.0.2", host+".ec2.internal"); !ok || got != serverIP {
		t.Errorf("the VPC's DNS server, through UDP ASSOCIATE: %q (answered %v), want %s", got, ok, serverIP)
	}
	want := "echo hello " + serverIP + ":5300"
	deadline := time.Now().Add(20 * time.Second)
	for { // until the server's run has started
		got, _ := socksUDP("echo", serverIP, "5300", "hello")
		if got == want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the proxied UDP server: %q, want %q", got, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if got, ok := socksUDP("echo", host, "5300", "hello"); got != want {
		t.Errorf("by name, in the VPC's view: %q (answered %v), want %q", got, ok, want)
	}
	if !strings.Contains(srv.Log(), "protocol=udp mode=proxy verdict=") {
		t.Error("the server's log does not show a proxied UDP flow")
	}

	if runtime.GOOS == "linux" && os.Geteuid() == 0 {
		t.Run("from a namespace", func(t *testing.T) {
			needsDataPlane(t)
			inNS, _ := w.launch()
			send := `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(b"hello", (sys.argv[1], 5300))
print(s.recvfrom(4096)[0].decode())
`
			out, err := player{t: t, url: srv.URL, account: accountA}.cmd(inNS, "python3", "-c", send, serverIP).Output()
			if strings.TrimSpace(string(out)) != "echo hello" {
				t.Errorf("from a namespace to the proxied UDP server: %q (%v)", out, err)
			}
		})
	}

	cli.ok(t, "ec2", "revoke-security-group-ingress", "--group-id", w.web, "--protocol", "udp", "--port", "5300", "--cidr", "10.0.0.0/16")
	if got, ok := socksUDP("echo", serverIP, "5300", "hello"); ok {
		t.Errorf("after the group's UDP rule is revoked: answered %q, want nothing (dropped)", got)
	}
	if !strings.Contains(srv.Log(), `protocol=udp mode=proxy verdict="blocked: ENI_SG_RULES_MISMATCH"`) {
		t.Error("the server's log does not say why the proxied UDP flow was dropped")
	}
}
