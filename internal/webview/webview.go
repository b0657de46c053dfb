// Package webview is vpcemu's web page: a map of the network (netmap's
// read model, drawn with Cytoscape.js and an ELK layered layout), a path
// drawn over it from the analyze endpoint's answer, the details of a
// resource, and a live update when the state changes. The page and its
// libraries are embedded (vendor.sh fetches the libraries at pinned
// versions); nothing is fetched at run time. It only reads: every change
// goes through the AWS APIs.
//
// Under Path (/_vpcemu/ui/): the page and its assets, and
//
//	GET  api/scopes               the accounts and regions that have worked in vpcemu
//	GET  api/graph?account=&region=  the map of those scopes (netmap.Graph)
//	GET  api/resource?account=&region=&id=  one resource's details (netmap.Details)
//	GET  api/events               server-sent events: the store's revision when it moves
//	POST api/explain              an analysis (the analyze endpoint's answer) worded as `vpcemu analyze` words it
//
// account and region may each list several, comma-separated; without
// them the page reads the caller's scope (found as for AWS calls:
// unsigned, 000000000000 in us-east-1).
package webview

import (
	"context"
	"embed"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/controlapi"
	"github.com/vpcemu/vpcemu/internal/cost"
	"github.com/vpcemu/vpcemu/internal/netmap"
	"github.com/vpcemu/vpcemu/internal/pathtext"
	"github.com/vpcemu/vpcemu/internal/regions"
)

// Path is where the page is served; everything below it is the page's.
// BarePath, without the slash, redirects there.
const (
	Path     = "/_vpcemu/ui/"
	BarePath = "/_vpcemu/ui"
)

//go:embed assets
var assets embed.FS

// View serves the page and its read endpoints.
type View struct {
	c    *cloud.Cloud
	log  *slog.Logger
	mux  *http.ServeMux
	done chan struct{}
	once sync.Once
	// Poll is how often an event stream looks at the store's revision.
	Poll time.Duration
	// Cost, when set, prices one resource for a month (its lines of
	// `vpcemu cost`'s bill, traffic as metered), for its details.
	Cost func(ctx context.Context, id string) []cost.Line
}

// New serves the page over the kernel c.
func New(c *cloud.Cloud, log *slog.Logger) *View {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	v := &View{c: c, log: log, mux: http.NewServeMux(), done: make(chan struct{}), Poll: 200 * time.Millisecond}
	static, _ := fs.Sub(assets, "assets")
	v.mux.Handle("GET "+Path, http.StripPrefix(Path, http.FileServerFS(static)))
	v.mux.Handle("GET "+BarePath, http.RedirectHandler(Path, http.StatusMovedPermanently))
	v.mux.HandleFunc("GET "+Path+"api/scopes", v.scopes)
	v.mux.HandleFunc("GET "+Path+"api/graph", v.graph)
	v.mux.HandleFunc("GET "+Path+"api/resource", v.resource)
	v.mux.HandleFunc("GET "+Path+"api/events", v.events)
	v.mux.HandleFunc("POST "+Path+"api/explain", v.explain)
	return v
}

// ServeHTTP implements http.Handler.
func (v *View) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	// The page runs only its own scripts, and talks only to this server.
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	v.mux.ServeHTTP(w, r)
}

// Close ends the event streams, so that a server shutting down does not
// wait for pages that stay open.
func (v *View) Close() { v.once.Do(func() { close(v.done) }) }

// scopesOf are the scopes a request asks for: every account of its
// account parameter in every region of its region parameter, the
// caller's by default.
func scopesOf(r *http.Request) ([]cloud.Scope, *awsproto.Error) {
	who := awsproto.RequestFrom(r.Context())
	list := func(name, def string) []string {
		v := r.URL.Query().Get(name)
		if v == "" {
			return []string{def}
		}
		return strings.Split(v, ",")
	}
	var out []cloud.Scope
	for _, acct := range list("account", who.Account) {
		if !arn.IsAccount(acct) {
			return nil, awsproto.Errorf("InvalidParameterValue", "The account %q is not a 12-digit AWS account id.", acct)
		}
		for _, region := range list("region", who.Region) {
			if _, ok := regions.Lookup(region); !ok {
				return nil, awsproto.Errorf("InvalidParameterValue", "The region %q is not one vpcemu knows.", region)
			}
			out = append(out, cloud.Scope{Account: acct, Region: region})
		}
	}
	return out, nil
}

// read takes the snapshot of the scopes the request asks for, as the
// engine reads them for a path from there: following peerings and
// endpoint connections, with private hosted zones. A refusal is written.
func (v *View) read(w http.ResponseWriter, r *http.Request) (*netview.Snapshot, []cloud.Scope, uint64, bool) {
	scopes, perr := scopesOf(r)
	if perr != nil {
		controlapi.Fail(w, perr)
		return nil, nil, 0, false
	}
	rev := v.c.Revision()
	snap, err := netview.Build(r.Context(), v.c, netview.SnapshotInput{Scopes: scopes, FollowConnections: true, Zones: true})
	if err != nil {
		v.log.Error("web view snapshot", "scopes", scopes, "error", err)
		controlapi.Fail(w, internalError())
		return nil, nil, 0, false
	}
	return snap, scopes, rev, true
}

func internalError() *awsproto.Error {
	return &awsproto.Error{Code: "InternalError", Message: "We encountered an internal error. Please try again.", Status: http.StatusInternalServerError}
}

func (v *View) scopes(w http.ResponseWriter, r *http.Request) {
	who := awsproto.RequestFrom(r.Context())
	var scopes []cloud.Scope
	err := v.c.ReadScopes(r.Context(), nil, func(t *cloud.Txn) error {
		var err error
		scopes, err = cloud.Scopes(t)
		return err
	})
	if err != nil {
		v.log.Error("web view scopes", "error", err)
		controlapi.Fail(w, internalError())
		return
	}
	writeJSON(w, map[string]any{"caller": cloud.Scope{Account: who.Account, Region: who.Region}, "scopes": append([]cloud.Scope{}, scopes...)})
}

func (v *View) graph(w http.ResponseWriter, r *http.Request) {
	snap, scopes, rev, ok := v.read(w, r)
	if ok {
		writeJSON(w, netmap.Build(snap, scopes, rev))
	}
}

func (v *View) resource(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	snap, _, _, ok := v.read(w, r)
	if !ok {
		return
	}
	d, found := netmap.Describe(snap, id)
	if !found {
		controlapi.Fail(w, &awsproto.Error{Code: "NotFound", Message: "No resource " + id + " in the scopes read.", Status: http.StatusNotFound})
		return
	}
	var lines []cost.Line
	if v.Cost != nil {
		lines = v.Cost(r.Context(), id)
	}
	writeJSON(w, struct {
		*netmap.Details
		Cost []cost.Line `json:"cost,omitempty"`
	}{d, lines})
}

// explain words an analysis, as the analyze endpoint answered it, the
// way `vpcemu analyze` prints it.
func (v *View) explain(w http.ResponseWriter, r *http.Request) {
	var a analyzer.Answer
	r.Body = http.MaxBytesReader(w, r.Body, 4<<20)
	if err := json.NewDecoder(r.Body).Decode(&a); err != nil {
		controlapi.Fail(w, awsproto.Errorf("SerializationException", "The request body must be an analysis as the analyze endpoint answers it: %v", err))
		return
	}
	writeJSON(w, pathtext.Render(a))
}

// events streams the store's revision: once at once, then whenever it
// moves, and a comment now and then so that proxies keep the stream.
func (v *View) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		controlapi.Fail(w, internalError())
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	tick := time.NewTicker(v.Poll)
	defer tick.Stop()
	var sent uint64
	first, idle := true, 0
	for {
		if rev := v.c.Revision(); first || rev != sent {
			if _, err := w.Write([]byte("event: revision\ndata: " + strconv.FormatUint(rev, 10) + "\n\n")); err != nil {
				return
			}
			flusher.Flush()
			sent, first, idle = rev, false, 0
		} else if idle++; idle*int(v.Poll/time.Millisecond) >= 15000 {
			if _, err := w.Write([]byte(": still here\n\n")); err != nil {
				return
			}
			flusher.Flush()
			idle = 0
		}
		select {
		case <-r.Context().Done():
			return
		case <-v.done:
			return
		case <-tick.C:
		}
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
