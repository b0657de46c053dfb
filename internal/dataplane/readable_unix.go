//go:build unix

package dataplane

import "syscall"

// canWait reports whether waitReadable can wait on c.
func canWait(c conn) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	_, err := sc.SyscallConn()
	return err == nil
}

// waitReadable waits until a host socket has something to read (or its
// end, or an error); it returns at once for anything else.
func waitReadable(c conn) {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return
	}
	var one [1]byte
	rc.Read(func(fd uintptr) bool {
		_, _, err := syscall.Recvfrom(int(fd), one[:], syscall.MSG_PEEK)
		return err != syscall.EAGAIN
	})
}
