package dataplane

import (
	"context"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"gvisor.dev/gvisor/pkg/buffer"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/stack"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// steering sends the flows whose path passes a Gateway Load Balancer
// through the appliances processes play, packet by packet, as the load
// balancer does: the client's packets leave its device wrapped in GENEVE
// for the appliance (from the load balancer's address), and only what the
// appliance sends back goes on — into the client's stack, which carries
// the flow as it carries any other, or to the next appliance on the path.
// The replies the stack sends the client take the same appliances back,
// in reverse. A flow is steered from its first packet (a SYN, a UDP
// datagram, an echo request): the engine's path names the appliance, so
// both directions stay on it, as a GWLB keeps a flow on one target. An
// appliance no process plays is passed as the engine says, without a
// detour.
type steering struct {
	mu    sync.Mutex
	count atomic.Int32 // len(flows): read on every packet without the lock
	// ever is set once a flow has been steered: from then on, GENEVE an
	// appliance sends is looked for (also for flows since forgotten).
	ever  atomic.Bool
	flows map[steerKey]*steered
	// cookies find a flow's stage again from the cookie an appliance
	// sends back.
	cookies map[uint32]stageRef
	cookie  uint32
	// played caches, per snapshot and set of attached devices, whether
	// any appliance is played (else no flow start is looked at): read on
	// every flow start (every UDP datagram), without a lock.
	played atomic.Pointer[playedCache]
}

type playedCache struct {
	snap   *netview.Snapshot
	gen    uint64
	played bool
}

// steerKey is a flow at its client's device, as the client sees it.
type steerKey struct {
	at *nic
	k  meterKey
}

type steered struct {
	client *nic
	key    meterKey
	tcp    bool
	port   uint16 // the nodes' source port for the flow (geneveSourcePort)
	stages []steerStage
	last   atomic.Int64 // unix nanoseconds of the last packet
}

type steerStage struct {
	stage
	at   *nic // the appliance's device
	meta geneveMeta
}

type stageRef struct {
	flow  *steered
	stage int
}

// GWLB's idle timeouts: 350 seconds for TCP, 120 for the rest.
const (
	steerIdleTCP   = 350 * time.Second
	steerIdleOther = 120 * time.Second
)

// steerOut takes a packet a device's process sent (b, h parsed) if it is
// a steered flow's, or a GENEVE packet an appliance returns; it reports
// whether it took it.
func (f *Fabric) steerOut(n *nic, b []byte, h packetHeader) bool {
	if h.fragment || h.more {
		return false // the stack reassembles it (see returnsToNode)
	}
	s := &f.steering
	if s.ever.Load() && h.proto == uint8(header.UDPProtocolNumber) && f.steerBack(n, b, h) {
		return true
	}
	if sf := s.steered(n, h.key(true)); sf != nil {
		f.sendStage(sf, 0, b)
		return true
	}
	proto, start := flowStart(b, h)
	if !start || h.dst == n.resolver || !f.appliancesPlayed() {
		return false
	}
	flow := n.flow(netip.AddrPortFrom(h.src, h.srcPort), netip.AddrPortFrom(h.dst, h.dstPort), proto)
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	v, err := f.decider.Decide(ctx, flow)
	cancel()
	if err != nil || !v.Allowed {
		return false
	}
	sf := &steered{client: n, key: h.key(true), tcp: proto == reach.TCP, port: geneveSourcePort(flow)}
	sf.last.Store(time.Now().UnixNano())
	for _, st := range stagesOf(v) {
		if at := f.nic(st.appliance); at != nil {
			sf.stages = append(sf.stages, steerStage{stage: st, at: at,
				meta: geneveMeta{endpoint: endpointNumber(st.endpoint), attachment: attachmentNumber(st.endpoint)}})
		}
	}
	if len(sf.stages) == 0 {
		return false
	}
	s.mu.Lock()
	if s.flows == nil {
		s.flows, s.cookies = map[steerKey]*steered{}, map[uint32]stageRef{}
	}
	if have := s.flows[steerKey{n, sf.key}]; have != nil {
		sf = have // decided twice at once: the first one holds
	} else {
		for i := range sf.stages {
			s.cookie++
			sf.stages[i].meta.cookie = s.cookie
			s.cookies[s.cookie] = stageRef{sf, i}
		}
		s.flows[steerKey{n, sf.key}] = sf
		s.count.Store(int32(len(s.flows)))
		s.ever.Store(true)
	}
	s.mu.Unlock()
	f.log.Debug("flow steered through appliances", "instance", n.instance, "src", flow.Src, "dst", flow.Dst, "appliances", len(sf.stages))
	f.sendStage(sf, 0, b)
	return true
}

// flowStart reports whether a packet starts a flow that may be steered:
// a TCP SYN, a UDP datagram, an echo request.
func flowStart(b []byte, h packetHeader) (reach.Protocol, bool) {
	switch l4 := b[h.transport:]; h.proto {
	case uint8(header.TCPProtocolNumber):
		return reach.TCP, h.flags&flagSYN != 0 && h.flags&synACK == 0
	case uint8(header.UDPProtocolNumber):
		return reach.UDP, true
	case uint8(header.ICMPv4ProtocolNumber):
		return reach.ICMP, h.src.Is4() && len(l4) >= header.ICMPv4MinimumSize && header.ICMPv4(l4).Type() == header.ICMPv4Echo
	case uint8(header.ICMPv6ProtocolNumber):
		return reach.ICMP, h.src.Is6() && len(l4) >= header.ICMPv6EchoMinimumSize && header.ICMPv6(l4).Type() == header.ICMPv6EchoRequest
	}
	return "", false
}

// steerIn takes a packet on its way into a client's device if its flow is
// steered: it goes to the flow's last appliance first. It reports whether
// it took it.
func (f *Fabric) steerIn(n *nic, b []byte) bool {
	if f.steering.count.Load() == 0 {
		return false
	}
	h, ok := parseHeader(b)
	if !ok || h.fragment {
		return false
	}
	sf := f.steering.steered(n, h.key(false))
	if sf == nil {
		return false
	}
	f.sendStage(sf, len(sf.stages)-1, b)
	return true
}

// sendStage wraps a packet of a steered flow for the appliance of stage i
// and writes it into the appliance's device.
func (f *Fabric) sendStage(sf *steered, i int, packet []byte) {
	sf.last.Store(time.Now().UnixNano())
	st := &sf.stages[i]
	st.at.write(encapsulate(netip.AddrPortFrom(st.node, sf.port), netip.AddrPortFrom(st.applianceAddr, genevePort), st.meta, packet))
}

// steered is the steered flow k at its client's device n, if there is one.
func (s *steering) steered(n *nic, k meterKey) *steered {
	if s.count.Load() == 0 {
		return nil // no flow is: the lock is not taken
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flows[steerKey{n, k}]
}

// steerBack takes a GENEVE packet an appliance sends back to its load
// balancer (to the node's address, whatever the port; anything carrying
// AWS's options is taken) and passes what it carries on: a request to the next appliance or into the client's stack,
// a reply to the previous appliance or into the client's device. What an
// appliance changed so that it no longer belongs to the flow is dropped.
func (f *Fabric) steerBack(n *nic, b []byte, h packetHeader) bool {
	if len(b) < h.transport+header.UDPMinimumSize {
		return false
	}
	return f.returned(n, h.src, h.dst, b[h.transport+header.UDPMinimumSize:])
}

// returned passes on what an appliance (at n, from src) sent a node (dst)
// in a GENEVE payload; it reports whether the payload was GENEVE with
// AWS's options, which only a load balancer takes. The inner packet is
// copied: the payload's buffer is reused.
func (f *Fabric) returned(n *nic, src, dst netip.Addr, payload []byte) bool {
	m, inner, ok := decapsulate(payload)
	if !ok {
		return false
	}
	s := &f.steering
	s.mu.Lock()
	ref, found := s.cookies[m.cookie]
	s.mu.Unlock()
	if !found {
		return true // a flow forgotten (its client gone): dropped, as GWLB drops what it no longer tracks
	}
	sf, i := ref.flow, ref.stage
	if st := sf.stages[i]; st.at != n || dst != st.node || src != st.applianceAddr {
		return true
	}
	inner = append([]byte(nil), inner...)
	ih, ok := parseHeader(inner)
	switch {
	case !ok:
	case ih.key(true) == sf.key && i+1 < len(sf.stages):
		f.sendStage(sf, i+1, inner)
	case ih.key(true) == sf.key:
		sf.last.Store(time.Now().UnixNano())
		sf.client.tap.resume(inner, ih)
	case ih.key(false) == sf.key && i > 0:
		f.sendStage(sf, i-1, inner)
	case ih.key(false) == sf.key:
		sf.client.write(inner)
	}
	return true
}

// returnsToNode reports whether a UDP flow from n goes to the node of a
// flow steered through n: GENEVE its kernel fragmented (an appliance
// whose device kept a 1,500-byte MTU) reaches the stack, which reassembles
// it, rather than the tap.
func (f *Fabric) returnsToNode(n *nic, dst netip.Addr) bool {
	s := &f.steering
	if !s.ever.Load() {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ref := range s.cookies {
		if st := ref.flow.stages[ref.stage]; st.at == n && st.node == dst {
			return true
		}
	}
	return false
}

// serveReturns passes on the GENEVE datagrams of such a flow until it goes
// idle.
func (f *Fabric) serveReturns(n *nic, flow Flow, c net.Conn) {
	eachDatagram(c, func(b []byte) { f.returned(n, flow.Src.Addr(), flow.Dst.Addr(), b) })
}

// resume passes a packet the client sent, back from its appliances, on
// as if it had just left the device: to the ping handler or the stack.
func (t *tap) resume(b []byte, h packetHeader) {
	if t.interceptICMP(b, h) {
		return
	}
	proto := tcpip.NetworkProtocolNumber(header.IPv4ProtocolNumber)
	if h.src.Is6() {
		proto = header.IPv6ProtocolNumber
	}
	pkt := stack.NewPacketBuffer(stack.PacketBufferOptions{Payload: buffer.MakeWithData(b)})
	t.Endpoint.DeliverNetworkPacket(proto, pkt)
	pkt.DecRef()
}

// appliancesPlayed reports whether a process plays an instance the
// current snapshot registers with a GENEVE target group: only then are
// flow starts looked at.
func (f *Fabric) appliancesPlayed() bool {
	snap, err := f.decider.live.Current(context.Background())
	if err != nil {
		return false
	}
	gen := f.attached.Load()
	if c := f.steering.played.Load(); c != nil && c.snap == snap && c.gen == gen {
		return c.played
	}
	peers := genevePeers(snap)
	played := false
	f.mu.Lock()
	for id := range f.nics {
		played = played || peers[id]
	}
	f.mu.Unlock()
	f.steering.played.Store(&playedCache{snap, gen, played})
	return played
}

// forgetSteered drops the steered flows gone idle, and those of a device
// that is gone (nil: none).
func (f *Fabric) forgetSteered(gone *nic) {
	s := &f.steering
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for k, sf := range s.flows {
		idle := steerIdleOther
		if sf.tcp {
			idle = steerIdleTCP
		}
		drop := now.Sub(time.Unix(0, sf.last.Load())) > idle || sf.client == gone
		for _, st := range sf.stages {
			drop = drop || st.at == gone
		}
		if drop {
			delete(s.flows, k)
			for _, st := range sf.stages {
				delete(s.cookies, st.meta.cookie)
			}
		}
	}
	s.count.Store(int32(len(s.flows)))
}
