//go:build unix

package loadgen

import (
	"io"
	"net"
	"os"
	"syscall"
)

// answerTimeout bounds the wait for an answer, so a hung server fails the
// run instead of hanging it.
const answerTimeout = 30

// blocking returns a duplicate of a TCP connection's socket in blocking
// mode, read and written with plain system calls, and closes the original;
// anything else, or on failure, the connection itself.
func blocking(nc net.Conn) io.ReadWriteCloser {
	tc, ok := nc.(*net.TCPConn)
	if !ok {
		return nc
	}
	f, err := tc.File()
	if err != nil {
		return nc
	}
	fd := int(f.Fd())
	if err := syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_RCVTIMEO, &syscall.Timeval{Sec: answerTimeout}); err != nil {
		f.Close()
		return nc
	}
	nc.Close()
	return &blockingSocket{f: f, fd: fd}
}

// blockingSocket reads and writes a socket with plain system calls.
type blockingSocket struct {
	f  *os.File // keeps the descriptor open
	fd int
}

func (s *blockingSocket) Read(b []byte) (int, error) {
	for {
		n, err := syscall.Read(s.fd, b)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN:
			return 0, os.ErrDeadlineExceeded
		case err != nil:
			return 0, err
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

func (s *blockingSocket) Write(b []byte) (int, error) {
	done := 0
	for done < len(b) {
		n, err := syscall.Write(s.fd, b[done:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return done, err
		}
		done += n
	}
	return done, nil
}

func (s *blockingSocket) Close() error { return s.f.Close() }
