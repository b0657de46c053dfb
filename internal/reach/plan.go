package reach

import (
	"net/netip"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/ipproto"
)

// end is one end of a path, resolved.
type end struct {
	// iface is an interface end: the one named, or the instance's.
	iface *netview.NetInterface
	// inst is the instance named, if the query named one.
	inst *network.Instance
	// igw is an internet gateway end (the query named it, or an internet
	// address stands behind it), in VPC vpc.
	igw *network.InternetGateway
	// gw is a gateway endpoint end: the service behind it, in VPC vpc.
	gw *netview.NetEndpoint
	// pcx is a peering connection end: the path leaves VPC vpc through it
	// (a destination) or comes into vpc from it (a source); the other
	// side's VPC stands behind it, its blocks in open.
	pcx *network.VPCPeeringConnection
	// dx is an on-premises end behind a private virtual interface, whose
	// link reaches the virtual private gateway vgw of VPC vpc.
	dx   *directconnect.OnPremises
	link *directconnect.Link
	vgw  *network.VPNGateway
	vpc  *netview.NetVPC
	// open are the addresses an end the query left open may be: the
	// internet behind a gateway, the peer VPC's blocks behind a peering
	// connection.
	open []netip.Prefix
	// addr is the end's address; the zero Addr for an internet end the
	// engine picks witnesses for.
	addr netip.Addr
}

func (e *end) internet() bool { return e.igw != nil }

// openBlocks are the blocks an end the query left open may be in.
func (pl *plan) openBlocks(e *end) []netip.Prefix {
	switch {
	case e.pcx != nil:
		return e.open
	case pl.v6:
		return internet6
	}
	return internet
}

// homeVPC is the VPC the end is in.
func (e *end) homeVPC() *netview.NetVPC {
	if e.iface != nil && e.iface.Subnet != nil {
		return e.iface.Subnet.VPC
	}
	return e.vpc
}

// plan is a query resolved against the snapshot.
type plan struct {
	s                  *netview.Snapshot
	q                  Query
	src, dst           end
	proto              ipproto.Proto
	srcPorts, dstPorts ports
	// srcZone is the source's zone, which picks an interface endpoint's
	// interface (as its regional DNS name answers a client).
	srcZone string
	// v6 is the path's address family: IPv6 when the query names an IPv6
	// address or an end has no IPv4 address.
	v6 bool
}

// failed is a result that explains why no path can be analysed.
func failed(e ...Explanation) *Result { return &Result{Explanations: e} }

// newPlan resolves the query's ends, or explains why it cannot.
func newPlan(s *netview.Snapshot, q Query) (*plan, *Result) {
	pl := &plan{s: s, q: q, proto: q.Protocol.Number()}
	if pl.proto == 0 {
		return nil, failed(Explanation{ExplanationCode: NoPath, Protocols: []string{string(q.Protocol)}})
	}
	var seen netip.Addr
	for _, a := range []netip.Addr{q.SourceIP, q.DestinationIP, q.FilterAtSource.SourceAddress, q.FilterAtSource.DestinationAddress,
		q.FilterAtDestination.SourceAddress, q.FilterAtDestination.DestinationAddress} {
		if a = a.Unmap(); !a.IsValid() {
			continue
		}
		if seen.IsValid() && seen.Is6() != a.Is6() {
			// A packet has addresses of one family: no path mixes them.
			return nil, failed(Explanation{ExplanationCode: NoPath, Address: a.String()})
		}
		seen, pl.v6 = a, a.Is6()
	}
	if r := pl.aliases(); r != nil {
		return nil, r
	}
	if r := pl.resolveEnds(); r != nil {
		return nil, r
	}
	if r := pl.ports(); r != nil {
		return nil, r
	}
	if r := pl.connected(); r != nil {
		return nil, r
	}
	return pl, nil
}

// srcAddr is the source address the query asks for.
func (pl *plan) srcAddr() netip.Addr {
	return firstValid(pl.q.SourceIP, pl.q.FilterAtSource.SourceAddress)
}

// dstAddr is the destination address the query asks for.
func (pl *plan) dstAddr() netip.Addr {
	return firstValid(pl.q.DestinationIP, pl.q.FilterAtSource.DestinationAddress)
}

func firstValid(as ...netip.Addr) netip.Addr {
	for _, a := range as {
		if a.IsValid() {
			return a.Unmap()
		}
	}
	return netip.Addr{}
}

// ports sets the port sets the packet starts with: the destination port
// asked for (any when none), from an ephemeral source port, as clients
// send.
func (pl *plan) ports() *Result {
	if pl.proto == ipproto.ICMP && pl.v6 {
		pl.proto, pl.dstPorts = ipproto.ICMPv6, single(icmp6EchoRequest)
		return nil
	}
	if pl.proto == ipproto.ICMP {
		pl.dstPorts = single(icmpEchoRequest)
		return nil
	}
	pl.srcPorts, pl.dstPorts = ephemeralPorts, allPorts
	if r := pl.q.FilterAtSource.SourcePortRange; r != nil {
		pl.srcPorts = ports{*r}
	}
	if pl.q.DestinationPort != 0 {
		pl.dstPorts = single(pl.q.DestinationPort)
	}
	if r := pl.q.FilterAtSource.DestinationPortRange; r != nil {
		if pl.dstPorts = pl.dstPorts.within(r.From, r.To); len(pl.dstPorts) == 0 {
			return failed(Explanation{ExplanationCode: FilterAtSourceDstPorts, PortRanges: []PortRange{*r}, Port: pl.q.DestinationPort})
		}
	}
	return nil
}

// connected refuses at once a destination in another VPC that no peering
// connection joins to the source's (its private address is out of reach),
// and another VPC's internet gateway.
func (pl *plan) connected() *Result {
	from, to := pl.src.homeVPC(), pl.dst.homeVPC()
	if from == nil || to == nil || from == to {
		return nil
	}
	if pl.dst.igw == nil && (pl.dst.iface == nil || !to.Contains(pl.dst.addr) || peered(from, to)) {
		return nil
	}
	return failed(Explanation{ExplanationCode: DisconnectedVPCs, SourceVPC: vpcComponent(from), DestinationVPC: vpcComponent(to)})
}

// peered reports whether a peering connection, active or waiting to be,
// joins two VPCs.
func peered(a, b *netview.NetVPC) bool {
	for _, p := range a.Peerings {
		if side, _ := p.Peer(a.ID); side.VpcID == b.ID && (p.Status == network.PeeringActive || p.Status == network.PeeringPending) {
			return true
		}
	}
	return false
}

// aliases rewrites the ends the query names indirectly: ARNs to ids, an
// endpoint service to the source VPC's endpoint to it, a DNS name to the
// address the source's VPC resolves it to (the name wins over any
// Destination or DestinationIP).
func (pl *plan) aliases() *Result {
	q := &pl.q
	q.Source, q.Destination = arn.ResourceID(q.Source), arn.ResourceID(q.Destination)
	kind, _ := cloud.KindOfID(q.Destination)
	if q.DestinationName == "" && kind != cloud.KindVPCEndpoint && kind != cloud.KindVPCEndpointService {
		return nil
	}
	vpc := pl.sourceHome()
	switch {
	case q.DestinationName != "":
		a, ok := resolveName(pl.s, vpc, pl.srcZone, q.DestinationName)
		if !ok {
			return failed(Explanation{ExplanationCode: UnknownDestination, Destination: &Component{Name: q.DestinationName}, VPC: vpcComponent(vpc)})
		}
		q.Destination, q.DestinationIP = "", a
	case kind == cloud.KindVPCEndpointService:
		e := serviceEndpoint(vpc, q.Destination)
		if e == nil {
			return failed(Explanation{ExplanationCode: NoPath, Component: unknown(q.Destination), VPC: vpcComponent(vpc), MissingComponent: "vpc-endpoint"})
		}
		q.Destination = e.ID
	}
	return nil
}

// sourceHome resolves the source ahead of the destination, for the VPC
// and zone that decide where the destination is; resolveEnds resolves it
// again in order.
func (pl *plan) sourceHome() *netview.NetVPC {
	defer func() { pl.src = end{} }()
	if pl.resolve(&pl.src, pl.q.Source, pl.srcAddr()) != nil {
		return nil
	}
	if n := pl.src.iface; n != nil && n.Subnet != nil {
		pl.srcZone = n.Subnet.AvailabilityZone
	}
	return pl.src.homeVPC()
}

// serviceEndpoint is the VPC's endpoint to a service (interface or
// gateway, not deleted), or nil.
func serviceEndpoint(vpc *netview.NetVPC, serviceID string) *netview.NetEndpoint {
	if vpc == nil {
		return nil
	}
	for _, e := range vpc.Endpoints {
		if e.ServiceID == serviceID && e.Type != privatelink.EndpointTypeGatewayLoadBalancer {
			return e
		}
	}
	return nil
}
