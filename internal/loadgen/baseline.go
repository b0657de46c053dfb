package loadgen

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// The baseline is the do-nothing server the describe scenario compares
// vpcemu with: net/http answering every request with a fixed body (the
// answer vpcemu gave to the same DescribeVpcs), so the two differ only by
// what vpcemu does per request — identify the caller, decode, read the
// store, encode — and the ratio of their rates says how close to the limit
// of net/http on this machine vpcemu's hot path is. `vpcemu bench` runs it
// as a child process, as it runs vpcemu, so both share the CPUs with the
// load generator the same way.

// ServeBaseline answers every request on ln with body until ln closes.
func ServeBaseline(ln net.Listener, body []byte) error {
	length := strconv.Itoa(len(body))
	return (&http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm() // read the request as any server must
		h := w.Header()
		h["Content-Type"] = []string{"text/xml;charset=UTF-8"}
		h["Content-Length"] = []string{length}
		w.Write(body)
	})}).Serve(ln)
}

// BaselineStarter starts a baseline answering body and returns its address,
// its process (0 if it runs in this one) and how to stop it.
type BaselineStarter func(body []byte) (addr string, pid int, stop func(), err error)

// InProcessBaseline runs the baseline in this process (tests).
func InProcessBaseline(body []byte) (string, int, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", 0, nil, err
	}
	go ServeBaseline(ln, body)
	return ln.Addr().String(), 0, func() { ln.Close() }, nil
}

// ChildBaseline runs the baseline as `exe args…`, a child process that
// reads the body on its standard input and says `endpoint=http://ADDR` on
// its standard error once it listens.
func ChildBaseline(exe string, args ...string) BaselineStarter {
	return func(body []byte) (string, int, func(), error) {
		cmd := exec.Command(exe, args...)
		cmd.Stdin = strings.NewReader(string(body))
		stderr, err := cmd.StderrPipe()
		if err != nil {
			return "", 0, nil, err
		}
		if err := cmd.Start(); err != nil {
			return "", 0, nil, err
		}
		stop := func() { cmd.Process.Kill(); cmd.Wait() }
		found := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				if _, addr, ok := strings.Cut(sc.Text(), "endpoint=http://"); ok {
					found <- addr
					break
				}
			}
			close(found)
			io.Copy(io.Discard, stderr)
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		select {
		case addr, ok := <-found:
			if ok {
				return addr, cmd.Process.Pid, stop, nil
			}
		case <-ctx.Done():
		}
		stop()
		return "", 0, nil, fmt.Errorf("the baseline server %s did not start", exe)
	}
}
