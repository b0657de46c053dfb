package dataplane

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/vpcdns"
	"github.com/vpcemu/vpcemu/internal/flowlog"
	"github.com/vpcemu/vpcemu/internal/ipproto"
)

// Flow-log records come from counting the packets that cross each
// instance's device, by 5-tuple, in windows: when a window closes, the
// count of every flow an instance opened becomes the records of the
// interfaces on its path (plan). The counts of a flow are taken where it
// starts, so each is counted once; the interfaces further on log the same
// packets, as they pass them.

// Sink takes the records of a closed window (flow logs deliver them).
type Sink func(context.Context, []flowlog.Record) error

// DefaultWindow is the aggregation window: AWS's is at most a minute for
// the Nitro instances vpcemu launches, whatever a flow log's
// MaxAggregationInterval.
const DefaultWindow = time.Minute

// meterKey is a flow as an instance's device sees it: its protocol
// number, the instance's end and the other.
type meterKey struct {
	proto         uint8
	local, remote netip.AddrPort
}

// count is one direction of a flow in a window; rsts are its packets
// with RST set (flags is their OR, as flow logs report it).
type count struct {
	packets, bytes, rsts uint64
	flags                uint8
	first, last          time.Time
}

func (c *count) add(packets, size int, flags uint8, now time.Time) {
	if c.packets == 0 {
		c.first = now
	}
	c.packets += uint64(packets)
	c.bytes += uint64(size)
	if flags&flagRST != 0 {
		c.rsts += uint64(packets)
	}
	c.flags |= flags
	c.last = now
}

// meterEntry counts what an instance sent (out) and received (in).
type meterEntry struct{ out, in count }

// meter counts one device's flows in the current window.
type meter struct {
	mu sync.Mutex
	m  map[meterKey]*meterEntry
}

// add counts a packet: out when the instance sent it.
func (m *meter) add(k meterKey, out bool, size int, flags uint8) { m.addN(k, out, 1, size, flags) }

// addN counts packets of size bytes in all.
func (m *meter) addN(k meterKey, out bool, packets, size int, flags uint8) {
	now := time.Now()
	m.mu.Lock()
	e := m.m[k]
	if e == nil {
		if m.m == nil {
			m.m = map[meterKey]*meterEntry{}
		}
		e = &meterEntry{}
		m.m[k] = e
	}
	if out {
		e.out.add(packets, size, flags, now)
	} else {
		e.in.add(packets, size, flags, now)
	}
	m.mu.Unlock()
}

// take ends the window: its counts, and a fresh start.
func (m *meter) take() map[meterKey]*meterEntry {
	m.mu.Lock()
	defer m.mu.Unlock()
	got := m.m
	m.m = nil
	return got
}

// planKey is a flow where it starts: the instance and its own key.
type planKey struct {
	instance string
	key      meterKey
}

// recorder keeps the plans of the flows instances open, and turns each
// window's counts into records.
type recorder struct {
	mu     sync.Mutex
	plans  map[planKey]*plannedFlow
	meters meters
	// recent are the last records made, oldest first (RecordsPath).
	recent []flowlog.Record
	// observer hears of flows and their traffic (nil: nobody); set
	// before use.
	observer Observer
}

// keepRecent is how many records the recorder keeps for RecordsPath.
const keepRecent = 1000

type plannedFlow struct {
	*plan
	// idle counts the windows that closed without a packet of the flow:
	// after two, the flow is forgotten.
	idle int
}

// register remembers how a flow is logged (again, for a flow decided
// anew: the last verdict holds).
func (r *recorder) register(f Flow, p *plan) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.plans == nil {
		r.plans = map[planKey]*plannedFlow{}
	}
	k := planKey{f.player(), meterKey{uint8(p.protocol), f.Src, f.Dst}}
	if r.plans[k] == nil {
		r.meters.started(p) // a SYN sent again is the same flow
		if r.observer != nil {
			r.observer.FlowStarted(p.protocol.String(), p.carried)
		}
	}
	r.plans[k] = &plannedFlow{plan: p}
}

// close turns a window's counts, by instance, into records, and forgets
// the flows that have gone quiet.
func (r *recorder) close(counts map[string]map[meterKey]*meterEntry) []flowlog.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []flowlog.Record
	for k, pf := range r.plans {
		e := counts[k.instance][k.key]
		if e == nil || e.out.packets == 0 && e.in.packets == 0 {
			if pf.idle++; pf.idle > 2 {
				delete(r.plans, k)
			}
			continue
		}
		pf.idle = 0
		r.meters.add(pf.plan, e)
		if r.observer != nil {
			r.observer.Traffic(pf.protocol.String(), pf.carried, e.out.packets, e.out.bytes, e.in.packets, e.in.bytes)
		}
		out = append(out, pf.records(k.key, e)...)
	}
	slices.SortFunc(out, func(a, b flowlog.Record) int { return a.Start.Compare(b.Start) })
	r.recent = append(r.recent, out...)
	if over := len(r.recent) - keepRecent; over > 0 {
		r.recent = slices.Delete(r.recent, 0, over)
	}
	return out
}

// RecordsPath is where the data plane's recent flow-log records are read:
// POST {} (signed), get a RecordList of the last ones made (of the last
// 1,000) of the caller's account's interfaces, newest first, whether or
// not a flow log keeps them.
const RecordsPath = "/_vpcemu/flow-records"

// RecordList is RecordsPath's answer.
type RecordList struct {
	Records []flowlog.Record `json:"records"`
}

// list are an account's recent records, newest first.
func (r *recorder) list(account string) RecordList {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := RecordList{Records: []flowlog.Record{}}
	for i := len(r.recent) - 1; i >= 0; i-- {
		if r.recent[i].Account == account {
			out.Records = append(out.Records, r.recent[i])
		}
	}
	return out
}

// records are a flow's records for one window's counts: for each
// interface, the request coming in and its reply going out, then the
// request going out and its reply coming in.
func (p *plan) records(k meterKey, e *meterEntry) []flowlog.Record {
	reply := e.in
	if !p.carried {
		reply = e.out // what the far end would have answered, one for one
		reply.flags = replyFlags(e.out.flags)
	}
	var out []flowlog.Record
	for _, v := range p.views {
		if v.geneve {
			out = append(out, p.geneveRecords(v, e.out, reply)...)
			continue
		}
		for _, l := range v.legs() {
			req := p.ports(k, l)
			if !req.src.IsValid() {
				continue
			}
			ingress := l == v.in
			if l.reqAction != "" && e.out.packets > 0 {
				out = append(out, p.record(v.eni, req, e.out, l.reqAction, ingress, l.path))
			}
			if l.replyAction != "" && reply.packets > 0 {
				out = append(out, p.record(v.eni, req.reverse(), reply, l.replyAction, !ingress, l.path))
			}
		}
	}
	return out
}

// geneveRecords are a Gateway Load Balancer node's or appliance's records
// of a flow the node sends the appliance: every packet of the flow, both
// ways, goes to the appliance wrapped in GENEVE (UDP to 6081) and comes
// back — the node's egress and ingress, the appliance's ingress and egress.
func (p *plan) geneveRecords(v view, req, reply count) []flowlog.Record {
	all := req
	all.merge(reply)
	all.bytes += all.packets * geneveOverhead
	all.flags = 0
	l, ingress := v.in, true
	if l == nil {
		l, ingress = v.out, false
	}
	if l.reqAction == "" || all.packets == 0 {
		return nil
	}
	there := p.record(v.eni, l.req, all, l.reqAction, ingress, l.path)
	back := p.record(v.eni, l.req.reverse(), all, l.reqAction, !ingress, l.path)
	for _, r := range []*flowlog.Record{&there, &back} {
		r.Protocol, r.TCPFlags = uint8(ipproto.UDP), 0
	}
	return []flowlog.Record{there, back}
}

// ports are a leg's request with its ports as the flow has them: the
// source's own, or the one the data plane picked past a translating hop.
func (p *plan) ports(k meterKey, l *leg) tuple {
	req := l.req
	switch {
	case !req.src.IsValid():
	case l.translated && req.src.Port() == 0:
		req.src = netip.AddrPortFrom(req.src.Addr(), uint16(p.port.Load()))
	case !l.translated:
		req.src = netip.AddrPortFrom(req.src.Addr(), k.local.Port())
	}
	if !p.protocol.HasPorts() {
		req = tuple{netip.AddrPortFrom(req.src.Addr(), 0), netip.AddrPortFrom(req.dst.Addr(), 0)}
	}
	return req
}

// record is one interface's record of one direction of a packet t. The
// interface shows its own end as its primary private address, whatever
// the packet's is (through a NAT gateway, to a secondary address);
// pkt-srcaddr and pkt-dstaddr are the packet's.
func (p *plan) record(n *netview.NetInterface, t tuple, c count, action string, ingress bool, path int) flowlog.Record {
	rec := flowlog.Record{
		Interface: n.ID, Account: n.Owner, VPC: n.VpcID, Subnet: n.SubnetID, Region: n.Region, AZID: n.AvailabilityZoneID,
		Src: t.src.Addr(), Dst: t.dst.Addr(), SrcPort: t.src.Port(), DstPort: t.dst.Port(), Protocol: uint8(p.protocol),
		Packets: c.packets, Bytes: c.bytes, Start: c.first, End: c.last, Action: action,
		PktSrc: t.src.Addr(), PktDst: t.dst.Addr(), Direction: "egress", TrafficPath: path,
		PktSrcAWSService: awsService(n.Region, t.src.Addr()), PktDstAWSService: awsService(n.Region, t.dst.Addr()),
	}
	if n.Instance != nil {
		rec.Instance = n.Instance.ID
	}
	if p.protocol == ipproto.TCP {
		rec.TCPFlags = loggedFlags(c.flags)
	}
	if ingress {
		rec.Direction, rec.TrafficPath = "ingress", 0
		rec.Dst = ownAddr(n, rec.Dst)
	} else {
		rec.Src = ownAddr(n, rec.Src)
	}
	return rec
}

// ownAddr is the address an interface shows for its end of a packet
// addressed a: its primary private IPv4 address for IPv4, a itself for an
// IPv6 address it holds (or its first IPv6 address).
func ownAddr(n *netview.NetInterface, a netip.Addr) netip.Addr {
	if a.Is6() && n.Has(a) {
		return a
	}
	if own := n.FirstOf(a.Is6()); own.IsValid() {
		return own
	}
	return a
}

// awsService is the pkt-src-aws-service or pkt-dst-aws-service of a
// packet's address: the subset of AWS's IP address ranges an AWS
// service's public address is in (S3, DYNAMODB; AMAZON, the whole of
// them, for the other services), or "" for an address of none.
func awsService(region string, a netip.Addr) string {
	svc, ok := vpcdns.AWSServiceAt(region, a)
	switch {
	case !ok:
		return ""
	case svc == "s3" || svc == "dynamodb":
		return strings.ToUpper(svc)
	}
	return "AMAZON"
}

// TCP flags as flow logs report them: FIN, SYN and RST, and ACK only with
// SYN (a SYN-ACK is 18); the rest are not reported.
const (
	flagFIN = 1
	flagSYN = 2
	flagRST = 4
	flagACK = 16
	// synACK marks a window that saw a SYN-ACK segment (bit 7 is not a
	// flow-log flag).
	synACK = 128
)

func loggedFlags(seen uint8) uint8 {
	f := seen & (flagFIN | flagSYN | flagRST)
	if seen&synACK != 0 {
		f |= flagSYN | flagACK
	}
	return f
}

// segmentFlags are a TCP segment's flags as the meter keeps them.
func segmentFlags(tcp uint8) uint8 {
	f := tcp & (flagFIN | flagSYN | flagRST)
	if tcp&(flagSYN|flagACK) == flagSYN|flagACK {
		f |= synACK
	}
	return f
}

// replyFlags are what a host answers segments with these flags: a SYN-ACK
// to a SYN.
func replyFlags(req uint8) uint8 {
	if req&flagSYN != 0 {
		return synACK
	}
	return req
}

func (c *count) merge(o count) {
	if o.packets == 0 {
		return
	}
	if c.packets == 0 || o.first.Before(c.first) {
		c.first = o.first
	}
	if o.last.After(c.last) {
		c.last = o.last
	}
	c.packets += o.packets
	c.bytes += o.bytes
	c.flags |= o.flags
}
