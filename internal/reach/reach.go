// Package reach is vpcemu's reachability engine: given a consistent
// snapshot of the network (cloud.Snapshot), it answers whether traffic gets
// from a source to a destination and back, hop by hop, and if not which
// component stops it and why, with the semantics and explanation codes of
// AWS VPC Reachability Analyzer. The Network Insights API, `vpcemu analyze`
// and the data plane all call Analyze (or Reachable, its verdict alone), so
// they never disagree.
//
// The engine is pure: no store, no HTTP, no clock; a snapshot is read-only,
// so any number of analyses may share one. It models TCP, UDP and ICMP
// echo, IPv4 and IPv6, through security groups (stateful), network ACLs
// (stateless, both ways), route tables (longest prefix match) and their
// targets: the local route, internet gateways, egress-only internet
// gateways (IPv6 out, answers back), NAT gateways, peering connections, middlebox
// interfaces, gateway endpoints and Gateway Load Balancer endpoints; and
// interface endpoints, with, behind an account's endpoint service, its
// Network Load Balancer and targets in the provider's VPC. Beyond AWS's
// analyzer, a query may name its destination by DNS name (resolved as the
// source's VPC does), ask whether the endpoint policies on the path allow a
// request, and put one end on premises, behind a private Direct Connect
// virtual interface (Query.Via) and the virtual private gateway it reaches.
//
// One file per concern: plan.go and endpoints.go resolve a query, names.go
// resolves DNS names, path.go walks the hops, sg.go, acl.go, route.go and
// gateway.go decide them, vpce.go handles VPC endpoints and the load
// balancers behind them, onpremises.go Direct Connect and virtual private
// gateways, policy.go endpoint policies, internet.go stands
// for the internet, hops.go and result.go render a path in AWS's shapes,
// explain.go lists the codes.
package reach

import (
	"net/netip"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/ipproto"
)

// Protocol is the protocol of the traffic analysed.
type Protocol string

// The protocols the engine analyses. AWS's analyzer takes tcp and udp; icmp
// is vpcemu's, for the data plane's pings (an echo request and its reply).
const (
	TCP  Protocol = "tcp"
	UDP  Protocol = "udp"
	ICMP Protocol = "icmp"
)

// Number is the protocol's IANA number (ICMP's over IPv4: over IPv6, the
// engine asks ICMPv6).
func (p Protocol) Number() ipproto.Proto {
	switch p {
	case TCP:
		return ipproto.TCP
	case UDP:
		return ipproto.UDP
	case ICMP:
		return ipproto.ICMP
	}
	return 0
}

// Query is the path to analyse: AWS's NetworkInsightsPath.
type Query struct {
	// Source is the id (or EC2 ARN) of an instance, a network interface,
	// an internet gateway or a peering connection (traffic from the peer
	// VPC coming into the side of the destination); "" when SourceIP alone
	// names the source (an interface's private address, or a public
	// address: the internet). An endpoint initiates nothing: as a source it
	// is VPCE_INTRA_VPC_TRAFFIC.
	Source string
	// Destination is the id (or EC2 ARN) of an instance, a network
	// interface, an internet gateway, a VPC endpoint (a gateway endpoint
	// stands for the service behind it, an interface endpoint for its
	// interface in the source's zone and, for an account's service, the
	// target behind it), an endpoint service (vpce-svc-…: the source VPC's
	// endpoint to it) or a peering connection of the source's VPC (the path
	// ends as the packet crosses it); "" when DestinationIP alone names it.
	Destination string
	// SourceIP and DestinationIP pin the addresses the packet leaves with
	// (the zero Addr leaves them to the engine: an interface's primary
	// address, its public address when the traffic comes from the internet,
	// anywhere on the internet for an internet gateway, anywhere in the
	// peer VPC for a peering connection).
	SourceIP, DestinationIP netip.Addr
	// Via is a private Direct Connect virtual interface (dxvif-…): the end
	// the query names by address alone (the source, else the destination)
	// is on premises, behind it. vpcemu's own: AWS's analyzer takes a
	// virtual private gateway as an end.
	Via      string
	Protocol Protocol
	// DestinationPort is the port asked for; 0 is any port. ICMP ignores
	// it: the engine analyses an echo request.
	DestinationPort int
	// FilterAtSource describes the packet as it leaves the source, and
	// FilterAtDestination as it reaches the destination (after any address
	// translation on the way).
	FilterAtSource, FilterAtDestination PathFilter

	// DestinationName is a DNS name the source resolves in its VPC's DNS
	// view (an endpoint's private DNS name or its own names, else the
	// public name of an AWS service); the destination is where it
	// resolves to (see resolveName; it wins over Destination and
	// DestinationIP). vpcemu's own: AWS's analyzer takes addresses.
	DestinationName string
	// Action, Resource and Principal ask whether the endpoint policies on
	// the path let a request through: s3:GetObject on
	// arn:aws:s3:::bucket/key by arn:aws:iam::111122223333:role/app. An
	// empty Action leaves policies unchecked; an empty Principal is the
	// source's account. vpcemu's own, as AWS's analyzer does not read
	// policies.
	Action, Resource, Principal string

	// ThroughARNs and AvoidARNs are AWS's FilterInArns and FilterOutArns:
	// the path found must traverse every component ThroughARNs names (its
	// forward hops), and neither way may cross one AvoidARNs names. Where
	// the engine has a choice (a load balancer's targets, an interface
	// endpoint's interfaces) it takes one the filters favour; a path that
	// still misses them is not found (COMPONENT_FILTER_RESTRICTION,
	// COMPONENT_FILTER_RESTRICTION_REMOVED_COMPONENT).
	ThroughARNs, AvoidARNs []string

	// FlowHash spreads flows over a load balancer's targets as its flow
	// hash does: of the targets it may send to, the engine takes the one
	// at FlowHash modulo their number (0, the analyzer's, takes the
	// first). vpcemu's data plane sets it from the flow's 5-tuple.
	FlowHash uint32
}

// PathFilter narrows the packets of a path: AWS's PathFilter. Zero values
// leave a field open.
type PathFilter struct {
	SourceAddress, DestinationAddress     netip.Addr
	SourcePortRange, DestinationPortRange *PortRange
}

// Analyze finds the path of q through the snapshot: its forward and return
// hops when the traffic gets there and back, or where and why it is
// blocked. It only reads the snapshot, so any number may run at once.
//
// Where one end is anywhere on the internet, Analyze tries a few witness
// addresses (one that any rule for 0.0.0.0/0 admits, then one inside each
// narrower block the rules on the way name) and reports the first that
// gets through, or the first that does not when none does.
func Analyze(s *netview.Snapshot, q Query) Result { return analyze(s, q, true) }

// Reachable is Analyze's verdict alone: it walks the same path without
// building its components, for callers that ask many questions (the data
// plane, reachability matrices).
func Reachable(s *netview.Snapshot, q Query) bool { return analyze(s, q, false).NetworkPathFound }

func analyze(s *netview.Snapshot, q Query, trace bool) Result {
	pl, res := newPlan(s, q)
	if res != nil {
		return *res
	}
	// The component filters read the hops.
	trace = trace || pl.filtered()
	var first Result
	for i, a := range pl.witnesses() {
		r := pl.run(a, trace)
		if r.NetworkPathFound {
			return r
		}
		if i == 0 {
			first = r
		}
	}
	return first
}
