package dataplane

import (
	"context"
	"strings"

	"github.com/miekg/dns"

	"github.com/vpcemu/vpcemu/internal/dnsserver"
)

// answerDNS answers a query to the VPC's DNS server: a name an internet
// stand-in was given by is answered with its address (the internet's DNS,
// as the Amazon-provided resolver forwards it); anything else from the
// VPC's view.
func (f *Fabric) answerDNS(view dnsserver.View, req *dns.Msg) *dns.Msg {
	if len(req.Question) == 1 {
		q := req.Question[0]
		if a, ok := f.names[strings.ToLower(q.Name)]; ok && q.Qclass == dns.ClassINET {
			resp := new(dns.Msg)
			resp.SetReply(req)
			resp.RecursionAvailable = true
			if q.Qtype == dns.TypeA {
				resp.Answer = []dns.RR{&dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: a.AsSlice()}}
			}
			return resp
		}
	}
	resp, _ := f.dns.Reply(context.Background(), view, req)
	return resp
}
