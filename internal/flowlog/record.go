// Package flowlog holds VPC flow-log records: what the data plane saw on
// one network interface for one 5-tuple in one aggregation window, and the
// formats AWS renders them in.
package flowlog

import (
	"net/netip"
	"time"
)

// Record is one flow-log record before formatting: every field through
// version 5. A zero value is rendered as AWS renders a missing one ("-").
type Record struct {
	Interface string // eni-…
	Account   string // the interface's owner
	VPC       string
	Subnet    string
	Instance  string // "" for requester-managed interfaces (endpoints, load balancers)
	Region    string
	AZID      string // use1-az1

	Src, Dst         netip.Addr // as the interface sees them
	SrcPort, DstPort uint16     // 0 for ICMP
	Protocol         uint8      // IANA number
	Packets, Bytes   uint64
	Start, End       time.Time // first and last packet in the window

	Action   string // ACCEPT or REJECT
	TCPFlags uint8  // OR of FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32 over the window

	PktSrc, PktDst                     netip.Addr // the packet's own addresses, when they differ (NAT, endpoints)
	PktSrcAWSService, PktDstAWSService string     // S3, DYNAMODB, … when the address is an AWS service's
	Direction                          string     // ingress or egress, relative to the interface
	TrafficPath                        int        // egress only: 1–8 as AWS numbers them; 0 none
}
