package dataplane

import (
	"context"
	"hash/fnv"
	"net/netip"
	"strconv"
	"strings"
	"sync"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// Flow is a new connection (or UDP exchange) as it leaves an instance.
type Flow struct {
	// Instance is the instance the flow comes from; Src its address and
	// port there.
	Instance string
	// Via is, for a flow from on premises (Instance ""), the private
	// Direct Connect virtual interface it comes over (see onpremises.go).
	Via      string
	Src      netip.AddrPort
	Dst      netip.AddrPort
	Protocol reach.Protocol
}

// Verdict is the engine's answer for a flow: whether it is carried, and
// where to. Delivery is where the packet arrives after every translation
// on the path (an NLB's target behind an interface endpoint): the
// instance, the address and port it is addressed to there, and the
// address and port it comes from as that instance sees it.
type Verdict struct {
	Allowed bool
	// To is the instance the flow is delivered to ("" when it ends
	// somewhere no instance is: an AWS service, the internet, on
	// premises).
	To string
	// Via is the private virtual interface a path to on premises ends
	// behind (To is then "").
	Via      string
	Dst      netip.AddrPort
	Src      netip.AddrPort
	Revision uint64
	// Result is the engine's whole answer, for explanations and flow logs.
	Result reach.Result
	// snap is the snapshot the verdict was taken on.
	snap *netview.Snapshot
}

// Decider asks the reachability engine about new flows, over the live
// snapshot, and remembers its verdicts per flow until the state changes.
type Decider struct {
	live *netview.Live
	mu   sync.Mutex
	snap *netview.Snapshot
	memo map[flowKey]Verdict
	// observer hears of each verdict (nil: nobody); set before use.
	observer Observer
}

// flowKey is a flow without its source port, which the engine's answer
// depends on only through the flow's hash bucket (the load balancer
// target it picks).
type flowKey struct {
	instance string
	via      string
	src      netip.Addr
	dst      netip.AddrPort
	protocol reach.Protocol
	bucket   uint32
}

// hashBuckets bounds the flow hashes the engine is asked with, so that a
// client's connections share verdicts while spreading over up to this
// many targets.
const hashBuckets = 64

// flowHash is a flow's hash bucket, from its whole 5-tuple.
func flowHash(f Flow) uint32 { return f.hash() % hashBuckets }

// hash is a hash of the flow's 5-tuple.
func (f Flow) hash() uint32 {
	h := fnv.New32a()
	b, _ := f.Src.MarshalBinary()
	h.Write(b)
	b, _ = f.Dst.MarshalBinary()
	h.Write(b)
	h.Write([]byte(f.Protocol))
	return h.Sum32()
}

// NewDecider asks over live's snapshots.
func NewDecider(live *netview.Live) *Decider { return &Decider{live: live} }

// Decide is the verdict for a new flow.
func (d *Decider) Decide(ctx context.Context, f Flow) (Verdict, error) {
	snap, err := d.live.Current(ctx)
	if err != nil {
		return Verdict{}, err
	}
	key := flowKey{f.Instance, f.Via, f.Src.Addr(), f.Dst, f.Protocol, flowHash(f)}
	d.mu.Lock()
	if d.snap != snap {
		d.snap, d.memo = snap, map[flowKey]Verdict{}
	}
	v, ok := d.memo[key]
	d.mu.Unlock()
	if !ok {
		v = decide(snap, f, key.bucket)
		v.snap = snap
		d.mu.Lock()
		if d.snap == snap {
			d.memo[key] = v
		}
		d.mu.Unlock()
	}
	if d.observer != nil {
		d.observer.Verdict(v.Allowed, ok)
	}
	if v.Allowed && !v.Src.IsValid() {
		v.Src = f.Src // nothing on the path translated the source
	} else if v.Allowed && v.Src.Port() == 0 {
		v.Src = netip.AddrPortFrom(v.Src.Addr(), f.Src.Port())
	}
	return v, nil
}

// query is the engine's question about a flow.
func (f Flow) query() reach.Query {
	return reach.Query{Source: f.Instance, SourceIP: f.Src.Addr(), Via: f.Via, DestinationIP: f.Dst.Addr(), Protocol: f.Protocol, DestinationPort: int(f.Dst.Port())}
}

// decide runs the engine on one flow and reads where it ends.
func decide(s *netview.Snapshot, f Flow, hash uint32) Verdict {
	q := f.query()
	q.FlowHash = hash
	r := reach.Analyze(s, q)
	v := Verdict{Allowed: r.NetworkPathFound, Result: r}
	if !r.NetworkPathFound {
		return v
	}
	last := r.ForwardPathComponents[len(r.ForwardPathComponents)-1]
	h := last.InboundHeader
	if h == nil {
		h = last.OutboundHeader
	}
	if h != nil {
		dst, dok := headerAddr(h.DestinationAddresses)
		src, sok := headerAddr(h.SourceAddresses)
		port := f.Dst.Port()
		if len(h.DestinationPortRanges) == 1 && h.DestinationPortRanges[0].From == h.DestinationPortRanges[0].To {
			port = uint16(h.DestinationPortRanges[0].From)
		}
		if dok {
			v.Dst = netip.AddrPortFrom(dst, port)
		}
		if sok && src != f.Src.Addr() {
			v.Src = netip.AddrPortFrom(src, 0) // a translating hop picks its own port
		}
	}
	if !v.Dst.IsValid() {
		v.Dst = f.Dst
	}
	if last.Component != nil {
		v.To = instanceOf(s, last, v.Dst.Addr())
		v.Via = onPremisesOf(last)
	}
	return v
}

// owner is the account that owns an instance, as of the verdict ("" for
// none).
func (v Verdict) owner(instance string) string {
	if v.snap == nil {
		return ""
	}
	if i := v.snap.Instance(instance); i != nil {
		return i.Owner
	}
	return ""
}

// instanceOf is the instance a path's last hop is: the instance itself,
// or the one its interface is attached to.
func instanceOf(s *netview.Snapshot, last reach.PathComponent, addr netip.Addr) string {
	id := last.Component.ID
	switch {
	case strings.HasPrefix(id, "i-"):
		return id
	case strings.HasPrefix(id, "eni-"):
		if n := s.Interface(id); n != nil && n.Instance != nil {
			return n.Instance.ID
		}
	}
	if last.AttachedTo != nil && strings.HasPrefix(last.AttachedTo.ID, "i-") {
		return last.AttachedTo.ID
	}
	return ""
}

// headerAddr is the one address a header's blocks name ("10.0.1.5/32").
func headerAddr(blocks []string) (netip.Addr, bool) {
	if len(blocks) != 1 {
		return netip.Addr{}, false
	}
	p, err := netip.ParsePrefix(blocks[0])
	if err != nil || !p.IsSingleIP() {
		return netip.Addr{}, false
	}
	return p.Addr(), true
}

// String is a verdict as a log line says it.
func (v Verdict) String() string {
	if !v.Allowed {
		if len(v.Result.Explanations) > 0 {
			return "blocked: " + string(v.Result.Explanations[0].ExplanationCode)
		}
		return "blocked"
	}
	if v.Via != "" {
		return "carried on premises behind " + v.Via + " at " + v.Dst.String() + " from " + v.Src.String()
	}
	return "carried to " + v.To + " at " + v.Dst.String() + " from " + v.Src.Addr().String() + ":" + strconv.Itoa(int(v.Src.Port()))
}
