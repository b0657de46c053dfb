package loadgen

import "fmt"

// Client is how the load generator sends requests.
type Client string

const (
	// RawClient writes pre-built requests on keep-alive sockets and reads
	// the answers with a minimal parser (see conn): about 10 µs of CPU a
	// request, so a rate measures the server nearly alone.
	RawClient Client = "raw"
	// SigV4Client is what an AWS SDK does per request: net/http's client,
	// every request signed at the moment it is sent by aws-sdk-go-v2's
	// SigV4 signer, its payload hashed (see signingClient). It costs about
	// as much CPU as the server, so on a small machine it caps every
	// server's rate: the rate a real client sees.
	SigV4Client Client = "sigv4"
)

// Clients lists the clients, the default first.
var Clients = []Client{RawClient, SigV4Client}

// ParseClient returns the client named s.
func ParseClient(s string) (Client, error) {
	for _, c := range Clients {
		if string(c) == s {
			return c, nil
		}
	}
	return "", fmt.Errorf("unknown client %q: want raw or sigv4", s)
}

// Describe says what the client is, for a report.
func (c Client) Describe() string {
	if c == SigV4Client {
		return "sigv4: net/http client, every request signed by aws-sdk-go-v2's SigV4 signer"
	}
	return "raw: pre-built requests on keep-alive sockets, unsigned (a SigV4-shaped header)"
}

// sender sends requests on one worker's behalf. Only one goroutine uses a
// sender at a time.
type sender interface {
	// send sends r and returns the answer's status and body; the body is
	// valid until the next call.
	send(r *request) (status int, body []byte, err error)
	Close() error
}

// senders makes the senders of one run against addr, at most n of them
// open at once; done releases what they share.
func (c Client) senders(addr string, n int) (open func() (sender, error), done func()) {
	if c == SigV4Client {
		s := newSigning(addr, n)
		return func() (sender, error) { return s.sender(), nil }, s.close
	}
	return func() (sender, error) { return dial(addr) }, func() {}
}
