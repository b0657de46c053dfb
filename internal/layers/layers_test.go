package layers

import (
	"bufio"
	"bytes"
	"os/exec"
	"path"
	"strings"
	"testing"
)

const module = "github.com/vpcemu/vpcemu/"

// fence forbids the packages matching from to depend, even transitively,
// on the packages matching any of never. Patterns are path.Match globs
// relative to the module, or standard-library paths; a trailing "/..."
// also matches the directory itself.
type fence struct {
	from    []string
	never   []string
	why     string
	pending string // non-empty: not true yet; says which work makes it true
}

var fences = []fence{
	{
		from:  []string{"internal/cloud/...", "internal/reach/...", "internal/policy/...", "internal/cidr/..."},
		never: []string{"net/http", "encoding/xml", "encoding/json/v2", "database/sql", "internal/api/...", "internal/awsproto/...", "internal/server/...", "internal/service/...", "internal/store/sqlite/..."},
		why:   "the domain and the engine know nothing of HTTP, wire formats, SQL or a store backend",
	},
	{
		from:  []string{"internal/service/..."},
		never: []string{"internal/store/sqlite/...", "database/sql", "internal/server/..."},
		why:   "services map wire shapes to use cases; they neither reach a backend nor the HTTP server",
	},
	{
		from:  []string{"internal/store", "internal/store/sqlite/..."},
		never: []string{"internal/cloud/...", "internal/service/...", "internal/reach/...", "internal/api/...", "internal/awsproto/..."},
		why:   "the store holds bytes under keys and knows no resource",
	},
	{
		from:  []string{"internal/awsproto/...", "internal/api/..."},
		never: []string{"internal/cloud/...", "internal/service/...", "internal/store/..."},
		why:   "the API plane is generic over services and knows no domain",
	},
	{
		from:  []string{"internal/cloud/...", "internal/reach/..."},
		never: []string{"internal/store/...", "internal/cloudstore/..."},
		why:   "the domain reaches the state only through its own store port (cloud.Store, adapted by internal/cloudstore), and the engine reads a snapshot, never the store",
	},
	{
		from:  []string{"internal/service/..."},
		never: []string{"internal/store/...", "internal/cloudstore/..."},
		why:   "services reach the state only through the domain",
	},
	{
		from:  []string{"internal/cost/..."},
		never: []string{"net/http", "database/sql", "internal/store/...", "internal/cloud/...", "internal/dataplane/...", "internal/server/..."},
		why:   "prices and bills are pure: they read an inventory and a usage, never HTTP, the store or the domain (internal/costreport reads those)",
	},
	{
		from:  []string{"internal/metric/...", "internal/flowlog/..."},
		never: []string{"net/http", "internal/cloud/...", "internal/store/...", "internal/api/...", "internal/awsproto/...", "internal/service/...", "internal/dataplane/..."},
		why:   "what the data plane hands the domain (flow-log records, CloudWatch datapoints) is plain data: it knows neither side, nor HTTP",
	},
	{
		from:  []string{"internal/dataplane/..."},
		never: []string{"internal/cloud/cloudwatch/...", "internal/service/cloudwatch/...", "internal/api/cloudwatchapi/..."},
		why:   "the data plane publishes its datapoints to the metric.Sink the emulator wires (CloudWatch's Publish): it reaches neither the CloudWatch family nor its service",
	},
	{
		from:  []string{"internal/netmap/..."},
		never: []string{"net/http", "internal/server/...", "internal/store/...", "internal/cloudstore/...", "database/sql"},
		why:   "the web view's read model draws a snapshot: it knows no HTTP and reads no store",
	},
	{
		from:  []string{"internal/webview/..."},
		never: []string{"internal/store/...", "internal/cloudstore/...", "database/sql", "internal/service/..."},
		why:   "the web page reads what the engine reads (netview's snapshot), never the store or the services",
	},
}

// graph maps every package of the module to its transitive dependencies.
func graph(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Deps \" \"}}", module+"...").Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Skipf("go list cannot run here: %v", err)
	}
	g := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		g[f[0]] = f[1:]
	}
	return g
}

// matches reports whether the import path p matches one of the patterns.
func matches(p string, patterns []string) bool {
	rel, inModule := strings.CutPrefix(p, module)
	for _, pat := range patterns {
		subject := p
		if strings.HasPrefix(pat, "internal/") || strings.HasPrefix(pat, "cmd/") {
			if !inModule {
				continue
			}
			subject = rel
		}
		if base, ok := strings.CutSuffix(pat, "/..."); ok {
			if subject == base || strings.HasPrefix(subject, base+"/") {
				return true
			}
			continue
		}
		if ok, _ := path.Match(pat, subject); ok {
			return true
		}
	}
	return false
}

func violations(g map[string][]string, f fence) []string {
	var out []string
	for pkg, deps := range g {
		if !matches(pkg, f.from) {
			continue
		}
		for _, d := range deps {
			if matches(d, f.never) {
				out = append(out, strings.TrimPrefix(pkg, module)+" → "+strings.TrimPrefix(d, module))
			}
		}
	}
	return out
}

func TestFences(t *testing.T) {
	g := graph(t)
	for _, f := range fences {
		v := violations(g, f)
		switch {
		case f.pending == "" && len(v) > 0:
			t.Errorf("%s; yet:\n  %s", f.why, strings.Join(v, "\n  "))
		case f.pending != "" && len(v) == 0:
			t.Errorf("the pending fence %q holds now: make it enforced (drop pending)", f.why)
		case f.pending != "":
			t.Logf("pending (%s): %s (dependencies left: %d)", f.pending, f.why, len(v))
		}
	}
}

// TestFenceMatching keeps the fence patterns honest: a pattern that
// matched nothing would make its fence pass vacuously.
func TestFenceMatching(t *testing.T) {
	g := graph(t)
	for _, f := range fences {
		for _, pat := range f.from {
			found := false
			for pkg := range g {
				if matches(pkg, []string{pat}) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("fence pattern %q matches no package of the module", pat)
			}
		}
	}
	cases := []struct {
		p    string
		pats []string
		want bool
	}{
		{module + "internal/cloud", []string{"internal/cloud/..."}, true},
		{module + "internal/cloudx", []string{"internal/cloud/..."}, false},
		{module + "internal/store/sqlite", []string{"internal/store"}, false},
		{"net/http", []string{"net/http"}, true},
		{"net/http/httptrace", []string{"net/http"}, false},
		{"internal/cloud", []string{"internal/cloud/..."}, false}, // not in the module
	}
	for _, c := range cases {
		if got := matches(c.p, c.pats); got != c.want {
			t.Errorf("matches(%q, %q) = %v, want %v", c.p, c.pats, got, c.want)
		}
	}
}

// TestPackageDocs checks that every package of the module has a doc
// comment saying what it holds.
func TestPackageDocs(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}\t{{.Doc}}", module+"...").Output()
	if err != nil {
		t.Skipf("go list cannot run here: %v", err)
	}
	for line := range strings.Lines(string(out)) {
		pkg, doc, _ := strings.Cut(strings.TrimSpace(line), "\t")
		if strings.TrimSpace(doc) == "" {
			t.Errorf("%s has no package doc comment", strings.TrimPrefix(pkg, module))
		}
	}
}
