package reach

// The DNS view of a VPC: a destination named by a DNS name is where the
// Amazon-provided DNS server of the source's VPC resolves it (package
// vpcdns, which the data plane's DNS server answers from too).

import (
	"net/netip"

	"github.com/miekg/dns"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/vpcdns"
)

// resolveName is the address a client of vpc in zone reaches name at: the
// first IPv4 address its resolver answers, else the first IPv6 one. A
// client outside every VPC (on premises) asks the public view.
func resolveName(s *netview.Snapshot, vpc *netview.NetVPC, zone, name string) (netip.Addr, bool) {
	r := vpcdns.New(s)
	q := vpcdns.Question{Zone: zone, Name: name}
	if vpc != nil {
		q.VPC = vpc.ID
	}
	for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
		q.Type = t
		if a := r.Resolve(q).Addrs(); len(a) > 0 {
			return a[0], true
		}
	}
	return netip.Addr{}, false
}
