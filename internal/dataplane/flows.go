package dataplane

import (
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vpcemu/vpcemu/internal/controlapi"
)

// FlowsPath is where `vpcemu flows` asks for the flows carried now: POST
// {} (signed), get a FlowList of those whose source or destination is an
// instance of the caller's account.
const FlowsPath = "/_vpcemu/flows"

// FlowInfo is a carried flow as `vpcemu flows` shows it.
type FlowInfo struct {
	Protocol string `json:"protocol"`
	// Instance is the instance the flow comes from, Src and Dst its
	// addresses as it sent them.
	Instance string `json:"instance"`
	Src      string `json:"src"`
	Dst      string `json:"dst"`
	// To is the instance it is delivered to ("" for the internet), at
	// Delivered, from Source (after every translation on the path).
	To        string `json:"to,omitempty"`
	Delivered string `json:"delivered"`
	Source    string `json:"source"`
	// Path are the ids of the forward path's components, in order.
	Path     []string  `json:"path"`
	Started  time.Time `json:"started"`
	BytesOut int64     `json:"bytesOut"` // from the source
	BytesIn  int64     `json:"bytesIn"`  // back to it
	Stalled  bool      `json:"stalled,omitempty"`
}

// FlowList is FlowsPath's answer.
type FlowList struct {
	Flows []FlowInfo `json:"flows"`
}

// liveFlow is a carried flow with its meters.
type liveFlow struct {
	info     FlowInfo
	accounts [2]string // the source's and the destination's owners
	out, in  atomic.Int64
	gate     *gate
}

// flowTable are the flows carried now.
type flowTable struct {
	mu   sync.Mutex
	next uint64
	m    map[uint64]*liveFlow
}

// add registers a carried flow; the returned func removes it.
func (t *flowTable) add(f *liveFlow) func() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[uint64]*liveFlow{}
	}
	t.next++
	id := t.next
	t.m[id] = f
	return func() {
		t.mu.Lock()
		delete(t.m, id)
		t.mu.Unlock()
	}
}

// list are the flows an account's instances take part in, oldest first.
func (t *flowTable) list(account string) []FlowInfo {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := []FlowInfo{}
	for _, f := range t.m {
		if f.accounts[0] != account && f.accounts[1] != account {
			continue
		}
		info := f.info
		info.BytesOut, info.BytesIn = f.out.Load(), f.in.Load()
		info.Stalled = f.gate != nil && f.gate.stalled()
		out = append(out, info)
	}
	slices.SortFunc(out, func(a, b FlowInfo) int { return a.Started.Compare(b.Started) })
	return out
}

// flowInfo describes a verdict's flow.
func flowInfo(f Flow, v Verdict) FlowInfo {
	info := FlowInfo{Protocol: string(f.Protocol), Instance: f.Instance, Src: f.Src.String(), Dst: f.Dst.String(), To: v.To,
		Delivered: v.Dst.String(), Source: v.Src.String(), Started: time.Now().UTC()}
	for _, c := range v.Result.ForwardPathComponents {
		if c.Component != nil && (len(info.Path) == 0 || info.Path[len(info.Path)-1] != c.Component.ID) {
			info.Path = append(info.Path, c.Component.ID)
		}
	}
	return info
}

// FlowsHandler answers FlowsPath from the fabric's table of flows.
func (f *Fabric) FlowsHandler() http.Handler {
	return accountHandler(func(account string) any { return FlowList{Flows: f.flows.list(account)} })
}

// accountHandler answers a signed POST {} with what answer gives the
// caller's account, as JSON.
func accountHandler(answer func(account string) any) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{}
		who, perr := controlapi.Decode(r, &in, "{}")
		if perr != nil {
			controlapi.Fail(w, perr)
			return
		}
		body, _ := json.Marshal(answer(who.Account))
		controlapi.Write(w, body)
	})
}
