package oneconn

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// The server answers on the one connection, keeps it alive for more
// requests, and Serve returns once the client closes it.
func TestServe(t *testing.T) {
	client, server := net.Pipe()
	served := make(chan error, 1)
	go func() {
		served <- Serve(&http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.URL.Path) })}, server)
	}()
	br := bufio.NewReader(client)
	for _, path := range []string{"/a", "/b"} {
		req, _ := http.NewRequest("GET", "http://x"+path, nil)
		go req.Write(client)
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if string(body) != path {
			t.Errorf("%s: %q", path, body)
		}
	}
	client.Close()
	select {
	case err := <-served:
		if err != net.ErrClosed {
			t.Errorf("Serve returned %v, want net.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return when the connection closed")
	}
}
