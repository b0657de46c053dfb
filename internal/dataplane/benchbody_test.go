package dataplane

import (
	"io"
	"net"
	"runtime"
	"slices"
	"testing"
	"time"
)

// The bodies of the carrying benchmarks, shared by transparent mode's
// (bench_linux_test.go) and proxy mode's (proxy_bench_test.go): each side
// by side with its bare relay. start serves the flow's target with handle
// and returns how the client opens a connection to it.
type benchStart func(tb testing.TB, handle func(net.Conn)) (dial func(testing.TB) net.Conn)

// benchStream is one TCP stream's throughput, consumer to target.
func benchStream(b *testing.B, start benchStart) {
	done := make(chan int64)
	dial := start(b, func(c net.Conn) {
		got, _ := io.Copy(io.Discard, c)
		c.Close()
		done <- got
	})
	c := dial(b)
	buf := make([]byte, 64<<10)
	b.SetBytes(int64(len(buf)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	c.(interface{ CloseWrite() error }).CloseWrite()
	if got := <-done; got != int64(b.N*len(buf)) {
		b.Fatalf("the target got %d bytes of %d", got, b.N*len(buf))
	}
	c.Close()
}

// benchSetup opens a connection, exchanges a byte each way and closes
// it; p50-µs is the median of one such exchange.
func benchSetup(b *testing.B, start benchStart) {
	dial := start(b, func(c net.Conn) {
		var one [1]byte
		if _, err := io.ReadFull(c, one[:]); err == nil {
			c.Write(one[:])
		}
		io.Copy(io.Discard, c) // the client closes first, as clients do
		c.Close()
	})
	var took []time.Duration
	for b.Loop() {
		begin := time.Now()
		c := dial(b)
		var one [1]byte
		if _, err := c.Write(one[:]); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, one[:]); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(begin))
		c.Close()
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
}

// benchHeld holds 1,000 connections open at once; B/conn is the heap
// each takes in the process.
func benchHeld(b *testing.B, start benchStart) {
	const conns = 1000
	dial := start(b, func(c net.Conn) {
		var one [1]byte
		c.Read(one[:])
		c.Write(one[:])
		for { // held until the client lets go (no buffer of io.Copy's size to count)
			if _, err := c.Read(one[:]); err != nil {
				break
			}
		}
		c.Close()
	})
	// The heap is measured in the first round only: later ones overlap
	// the last one's teardown (closed connections wait out TIME_WAIT),
	// which skews a difference of heaps.
	perConn, first := 0.0, true
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		held := make([]net.Conn, 0, conns)
		for range conns {
			c := dial(b)
			var one [1]byte
			c.Write(one[:])
			if _, err := io.ReadFull(c, one[:]); err != nil {
				b.Fatal(err)
			}
			held = append(held, c)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if first {
			perConn, first = float64(after.HeapInuse-before.HeapInuse)/conns, false
		}
		for _, c := range held {
			c.Close()
		}
	}
	b.ReportMetric(perConn, "B/conn")
}
