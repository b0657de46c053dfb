package loadgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// conn is RawClient's sender: one keep-alive HTTP/1.1 connection that
// sends pre-built requests and reads their answers. It is deliberately minimal (no redirects, no
// pooling, no header map): net/http's client costs about as much CPU per
// request as the server it would measure, and on a small machine both share
// the cores. For the same reason it reads and writes its socket with
// blocking system calls where it can (socket_unix.go): a closed loop always
// waits for the next answer, and the runtime's poller would add a failed
// read and a poll per request.
type conn struct {
	addr string
	nc   io.ReadWriteCloser
	r    *bufio.Reader
	body []byte // the last answer's body; reused
}

func dial(addr string) (*conn, error) {
	c := &conn{addr: addr}
	return c, c.connect()
}

func (c *conn) connect() error {
	nc, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
	if err != nil {
		return err
	}
	c.nc = blocking(nc)
	c.r = bufio.NewReaderSize(c.nc, 64<<10)
	return nil
}

func (c *conn) Close() error {
	if c.nc == nil {
		return nil
	}
	return c.nc.Close()
}

func (c *conn) send(r *request) (int, []byte, error) { return c.do(r.wire) }

// do sends req (a complete HTTP/1.1 request) and returns the answer's
// status and body. The body is valid until the next call.
func (c *conn) do(req []byte) (int, []byte, error) {
	if c.nc == nil {
		if err := c.connect(); err != nil {
			return 0, nil, err
		}
	}
	status, body, err := c.roundTrip(req)
	if err != nil {
		// The connection is in an unknown state: drop it, and let the next
		// request dial again.
		c.nc.Close()
		c.nc = nil
	}
	return status, body, err
}

func (c *conn) roundTrip(req []byte) (int, []byte, error) {
	if _, err := c.nc.Write(req); err != nil {
		return 0, nil, err
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return 0, nil, err
	}
	// "HTTP/1.1 200 OK\r\n"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, nil, fmt.Errorf("bad status line %q", line)
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, nil, fmt.Errorf("bad status line %q", line)
	}
	length, chunked, closing := -1, false, false
	for {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			return 0, nil, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		value = bytes.TrimSpace(value)
		switch {
		case asciiEqualFold(name, "Content-Length"):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return 0, nil, fmt.Errorf("bad Content-Length %q", value)
			}
		case asciiEqualFold(name, "Transfer-Encoding"):
			chunked = asciiEqualFold(value, "chunked")
		case asciiEqualFold(name, "Connection"):
			closing = asciiEqualFold(value, "close")
		}
	}
	c.body = c.body[:0]
	switch {
	case chunked:
		err = c.readChunked()
	case length >= 0:
		err = c.readN(length)
	default:
		return 0, nil, errors.New("answer has neither Content-Length nor chunked encoding")
	}
	if err != nil {
		return 0, nil, err
	}
	if closing {
		c.nc.Close()
		c.nc = nil
	}
	return status, c.body, nil
}

func (c *conn) readN(n int) error {
	start := len(c.body)
	c.body = append(c.body, make([]byte, n)...)
	_, err := io.ReadFull(c.r, c.body[start:])
	return err
}

func (c *conn) readChunked() error {
	for {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			return err
		}
		size, _, _ := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte(";"))
		n, err := strconv.ParseInt(string(size), 16, 64)
		if err != nil {
			return fmt.Errorf("bad chunk size %q", line)
		}
		if n > 0 {
			if err := c.readN(int(n)); err != nil {
				return err
			}
		}
		// Each chunk (and the last, after any trailers) ends with CRLF.
		for {
			line, err := c.r.ReadSlice('\n')
			if err != nil {
				return err
			}
			if len(bytes.TrimRight(line, "\r\n")) == 0 {
				break
			}
		}
		if n == 0 {
			return nil
		}
	}
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
