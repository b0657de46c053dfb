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
	Interface string `json:"interface"` // eni-…
	Account   string `json:"account"`   // the interface's owner
	VPC       string `json:"vpc"`
	Subnet    string `json:"subnet"`
	Instance  string `json:"instance,omitempty"` // "" for requester-managed interfaces (endpoints, load balancers)
	Region    string `json:"region"`
	AZID      string `json:"azId,omitempty"` // use1-az1

	Src     netip.Addr `json:"src"` // as the interface sees them
	Dst     netip.Addr `json:"dst"`
	SrcPort uint16     `json:"srcPort"` // 0 for ICMP
	DstPort uint16     `json:"dstPort"`
	// Protocol is the IANA number.
	Protocol uint8     `json:"protocol"`
	Packets  uint64    `json:"packets"`
	Bytes    uint64    `json:"bytes"`
	Start    time.Time `json:"start"` // first and last packet in the window
	End      time.Time `json:"end"`

	Action   string `json:"action"`   // ACCEPT or REJECT
	TCPFlags uint8  `json:"tcpFlags"` // OR of FIN 1, SYN 2, RST 4, SYN-ACK 18 over the window

	PktSrc           netip.Addr `json:"pktSrc"` // the packet's own addresses, when they differ (NAT, endpoints)
	PktDst           netip.Addr `json:"pktDst"`
	PktSrcAWSService string     `json:"pktSrcAwsService,omitempty"` // S3, DYNAMODB, … when the address is an AWS service's
	PktDstAWSService string     `json:"pktDstAwsService,omitempty"`
	Direction        string     `json:"direction"`             // ingress or egress, relative to the interface
	TrafficPath      int        `json:"trafficPath,omitempty"` // egress only: 1–8 as AWS numbers them; 0 none
}
