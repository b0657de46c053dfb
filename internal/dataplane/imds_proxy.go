package dataplane

import (
	"errors"
	"net"
	"net/http"
)

// The metadata service in proxy mode. A process asking the proxy for
// 169.254.169.254:80 (a plain request in absolute form, CONNECT, SOCKS5)
// is answered by the metadata service for its run's instance, as in
// transparent mode. AWS's SDKs reach the metadata service directly,
// bypassing proxies, though; so each proxy-mode run also has a loopback
// port of its own serving its instance's metadata, which `vpcemu run
// --proxy` names in AWS_EC2_METADATA_SERVICE_ENDPOINT (honoured by the
// SDKs and the CLI). The port is the run's: whatever reaches it is the
// instance asking, as any process on an instance can.

// MetadataEndpointHeader is the header of the answer to a session request
// naming the run's metadata endpoint (http://127.0.0.1:PORT).
const MetadataEndpointHeader = "Vpcemu-Metadata-Endpoint"

// forwardMetadata answers a plain HTTP request through the proxy to the
// metadata service, and reports whether the client's connection goes on.
func (p *Proxy) forwardMetadata(c *clientConn, s *session, req *http.Request) bool {
	near, far := net.Pipe()
	defer near.Close()
	go p.f.serveMetadata(far, s.instance)
	return relayRequest(c, req, near, "the metadata service")
}

// listenMetadata opens the run's own metadata endpoint on loopback,
// serving instance until close is called.
func (f *Fabric) listenMetadata(instance string) (addr string, close func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go func() {
		for {
			c, err := ln.Accept()
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err == nil {
				go f.serveMetadata(c, instance)
			}
		}
	}()
	return "http://" + ln.Addr().String(), func() { ln.Close() }, nil
}
