package dnsserver_test

import (
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/vpcemu/vpcemu/internal/dnsserver"
)

// BenchmarkListenerUDP serves a VPC's view on a real loopback UDP socket
// and drives it with concurrent miekg/dns clients (16 per CPU, each on its
// own socket, one query in flight), reporting queries answered per second
// (issue 11's target: at least 50,000 on loopback). The question is a
// private zone's record, answered from the live snapshot each time.
func BenchmarkListenerUDP(b *testing.B) {
	f := newFixture(b)
	addr := serve(b, f.srv, dnsserver.View{VPC: f.vpc})
	b.SetParallelism(16)
	b.ReportAllocs()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		conn, err := dns.Dial("udp", addr)
		if err != nil {
			b.Error(err)
			return
		}
		defer conn.Close()
		m := query("db.corp.internal", dns.TypeA)
		for pb.Next() {
			m.Id = dns.Id()
			if err := conn.WriteMsg(m); err != nil {
				b.Error(err)
				return
			}
			conn.SetReadDeadline(time.Now().Add(2 * time.Second))
			resp, err := conn.ReadMsg()
			if err != nil || resp.Id != m.Id || len(resp.Answer) != 1 {
				b.Errorf("answer %v: %v", resp, err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "queries/s")
}
