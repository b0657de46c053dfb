package servicegate

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/localca"
	"github.com/vpcemu/vpcemu/internal/oneconn"
)

// Authorize says whether an endpoint's policy allows a request; when it
// does not, decision is ImplicitDeny or ExplicitDeny.
type Authorize func(Request) (allowed bool, decision string)

// Gate serves the connections that reach AWS services with an upstream.
type Gate struct {
	ca        *localca.CA
	upstreams map[string]*url.URL // by IAM prefix
	log       *slog.Logger
	transport *http.Transport
}

// ParseUpstream reads --upstream SERVICE=URL: a service's IAM prefix (s3,
// sqs, secretsmanager…) and the http URL of a server of the user's on a
// loopback address.
func ParseUpstream(s string) (service string, u *url.URL, err error) {
	service, raw, ok := strings.Cut(s, "=")
	if !ok || service == "" || strings.ContainsAny(service, "./:") {
		return "", nil, fmt.Errorf("%q: want SERVICE=URL, e.g. s3=http://127.0.0.1:9000", s)
	}
	u, err = url.Parse(raw)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", nil, fmt.Errorf("%q: the upstream must be an http or https URL, e.g. http://127.0.0.1:9000", s)
	}
	if !loopback(u.Hostname()) {
		return "", nil, fmt.Errorf("%q: the upstream must be on a loopback address (127.0.0.0/8 or ::1): vpcemu never sends anything off this machine", s)
	}
	return service, u, nil
}

func loopback(host string) bool {
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// New serves the services of upstreams (IAM prefix → loopback URL, as
// ParseUpstream gives them) with certificates of ca.
func New(ca *localca.CA, upstreams map[string]*url.URL, log *slog.Logger) *Gate {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &Gate{ca: ca, upstreams: upstreams, log: log, transport: &http.Transport{
		// Loopback only, whatever a redirect or a name says.
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil || !loopback(host) {
				return nil, fmt.Errorf("upstream %s is not a loopback address", addr)
			}
			return dialer.DialContext(ctx, network, addr)
		},
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // the user's own local server
		MaxIdleConns:    16,
		IdleConnTimeout: 30 * time.Second,
	}}
}

// Has reports whether a service (an IAM prefix) has an upstream.
func (g *Gate) Has(service string) bool { return g != nil && g.upstreams[service] != nil }

// Serving reports whether any service has an upstream.
func (g *Gate) Serving() bool { return g != nil && len(g.upstreams) > 0 }

// Serve serves one connection to service until it closes: TLS on
// secure (a client asking no name gets a certificate for name), each
// request authorized, then forwarded.
func (g *Gate) Serve(c net.Conn, service, name string, secure bool, authorize Authorize) {
	up := g.upstreams[service]
	if up == nil {
		c.Close()
		return
	}
	if secure {
		c = tls.Server(c, g.ca.TLSConfig(name))
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(up)
			pr.Out.Host = pr.In.Host // a signature covers the Host the client sent
		},
		Transport: g.transport,
		ErrorLog:  slog.NewLogLogger(g.log.Handler(), slog.LevelWarn),
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := Classify(service, r)
		if ok, decision := authorize(req); !ok {
			g.log.Debug("request denied by the endpoint policy", "action", req.Action, "resource", req.Resource, "principal", req.Principal)
			denied(w, req, decision)
			return
		}
		proxy.ServeHTTP(w, r)
	})
	oneconn.Serve(&http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second}, c)
}
