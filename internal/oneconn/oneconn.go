// Package oneconn serves HTTP on one connection accepted elsewhere (a flow
// the data plane carried to an AWS service's gate or to the metadata
// service): net/http serves listeners, so the connection is handed over
// as a listener that yields it once and ends when the server lets it go.
package oneconn

import (
	"net"
	"net/http"
	"sync"
)

// Serve serves c with srv until the server closes or hijacks it. An
// srv.ConnState the caller set is still called.
func Serve(srv *http.Server, c net.Conn) error {
	l := &listener{c: c, done: make(chan struct{})}
	state := srv.ConnState
	srv.ConnState = func(nc net.Conn, s http.ConnState) {
		if state != nil {
			state(nc, s)
		}
		if s == http.StateClosed || s == http.StateHijacked {
			l.Close()
		}
	}
	return srv.Serve(l)
}

// listener accepts its one connection, then waits for it to go.
type listener struct {
	c    net.Conn
	mu   sync.Mutex
	took bool
	once sync.Once
	done chan struct{}
}

func (l *listener) Accept() (net.Conn, error) {
	l.mu.Lock()
	took := l.took
	l.took = true
	l.mu.Unlock()
	if !took {
		return l.c, nil
	}
	<-l.done
	return nil, net.ErrClosed
}

func (l *listener) Close() error   { l.once.Do(func() { close(l.done) }); return nil }
func (l *listener) Addr() net.Addr { return l.c.LocalAddr() }
