package dataplane

import (
	"context"
	"net"
	"net/netip"
	"os"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// The same benchmarks through real TUN devices, each in a network
// namespace of its own made as `vpcemu run` makes it (MakeDevice), the
// process's kernel sockets at the near end: what a program playing an
// instance meets. They need root.
//
//	go test ./internal/dataplane -run XXX -bench TUN -benchtime 3s

// netns is a network namespace the benchmark made: a locked OS thread in
// it runs what it is given (a socket made there stays there).
type netns chan func()

func newNetns(tb testing.TB) netns {
	tb.Helper()
	if os.Geteuid() != 0 {
		tb.Skip("network namespaces and TUN devices need root")
	}
	ns, ready := make(netns), make(chan error)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the namespace
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			ready <- err
			return
		}
		ready <- nil
		for f := range ns {
			f()
		}
	}()
	if err := <-ready; err != nil {
		tb.Skip("no network namespace: ", err)
	}
	tb.Cleanup(func() { close(ns) })
	return ns
}

// run runs f in the namespace.
func (ns netns) run(f func()) {
	done := make(chan struct{})
	ns <- func() { f(); close(done) }
	<-done
}

// tunDevice is an instance played by this process's sockets in a
// namespace of its own, through a TUN device with addr.
func tunDevice(tb testing.TB, addr netip.Prefix, gateway string) (instance, int) {
	tb.Helper()
	ns := newNetns(tb)
	var fd int
	var err error
	ns.run(func() {
		fd, err = MakeDevice(RunConfig{Addresses: []string{addr.String()}, Gateway: gateway, MTU: MTU})
	})
	if err != nil {
		tb.Skip("no TUN device: ", err)
	}
	return instance{
		listen: func(a netip.AddrPort) (ln net.Listener, err error) {
			ns.run(func() { ln, err = net.Listen("tcp", a.String()) })
			return ln, err
		},
		dial: func(ctx context.Context, a netip.AddrPort) (c net.Conn, err error) {
			ns.run(func() { c, err = (&net.Dialer{}).DialContext(ctx, "tcp", a.String()) })
			return c, err
		},
	}, fd
}

func BenchmarkStreamTUN(b *testing.B) {
	for name, start := range starts(tunDevice) {
		b.Run(name, func(b *testing.B) { benchStream(b, start) })
	}
}

func BenchmarkSetupTUN(b *testing.B) {
	for name, start := range starts(tunDevice) {
		b.Run(name, func(b *testing.B) { benchSetup(b, start) })
	}
}

func BenchmarkHeldTUN(b *testing.B) {
	for name, start := range starts(tunDevice) {
		b.Run(name, func(b *testing.B) { benchHeld(b, start) })
	}
}
