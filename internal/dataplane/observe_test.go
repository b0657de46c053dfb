package dataplane

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// heard is what the data plane's Observer (and the kernel's, for
// snapshots) heard, one line each.
type heard struct {
	mu    sync.Mutex
	lines []string
}

func (h *heard) add(format string, args ...any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lines = append(h.lines, fmt.Sprintf(format, args...))
}

func (h *heard) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	got := h.lines
	h.lines = nil
	return got
}

func (h *heard) Verdict(allowed, memo bool) { h.add("verdict allowed=%v memo=%v", allowed, memo) }
func (h *heard) FlowStarted(protocol string, carried bool) {
	h.add("flow %s carried=%v", protocol, carried)
}
func (h *heard) Traffic(protocol string, carried bool, packetsOut, bytesOut, packetsIn, bytesIn uint64) {
	h.add("traffic %s carried=%v out=%d/%d in=%d/%d", protocol, carried, packetsOut, bytesOut, packetsIn, bytesIn)
}
func (h *heard) SnapshotBuilt(every bool, _ time.Duration, err error) {
	h.add("snapshot every=%v err=%v", every, err)
}

// TestObserver: the decider tells each verdict, asked anew or remembered;
// the recorder tells each new flow once (a SYN sent again is the same
// flow) and each window's traffic of a flow; the live view tells each
// snapshot it builds.
func TestObserver(t *testing.T) {
	h := &heard{}
	c := cloudtest.Open(t, cloud.WithObserver(h))
	ctx, p := context.Background(), newWebPair(t, c)
	client := p.client
	src := netip.AddrPortFrom(p.clientAddr, 40000)
	flow := func(port uint16) Flow {
		return Flow{Instance: client.ID, Src: src, Dst: netip.AddrPortFrom(p.serverAddr, port), Protocol: reach.TCP}
	}
	h.take() // what building the network made heard

	d := NewDecider(netview.NewLive(c))
	d.observer = h
	r := recorder{observer: h}
	carried, blocked := flow(8080), flow(9090)
	for _, f := range []Flow{carried, carried, blocked, blocked} {
		v := must(d.Decide(ctx, f))
		r.register(f, planFor(v.snap, f, v))
	}
	entry := &meterEntry{out: count{packets: 3, bytes: 180}, in: count{packets: 2, bytes: 1500}}
	r.close(map[string]map[meterKey]*meterEntry{client.ID: {
		{6, src, carried.Dst}: entry,
		{6, src, blocked.Dst}: {out: count{packets: 2, bytes: 120}},
	}})
	got := h.take()
	if len(got) > 7 {
		slices.Sort(got[7:]) // the window's flows, in no order
	}
	want := []string{
		"snapshot every=true err=<nil>",
		"verdict allowed=true memo=false", "flow tcp carried=true",
		"verdict allowed=true memo=true",
		"verdict allowed=false memo=false", "flow tcp carried=false",
		"verdict allowed=false memo=true",
		"traffic tcp carried=false out=2/120 in=0/0",
		"traffic tcp carried=true out=3/180 in=2/1500",
	}
	slices.Sort(want[7:])
	if !slices.Equal(got, want) {
		t.Errorf("heard\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
