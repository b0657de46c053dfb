package webview_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/analyzer/analyzertest"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
	"github.com/vpcemu/vpcemu/internal/pathtext"
	"github.com/vpcemu/vpcemu/internal/webview"
)

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestEndpoints: the page, its libraries and its read endpoints answer,
// and refuse what they cannot answer with a code and a message.
func TestEndpoints(t *testing.T) {
	e := emulatortest.Start(t)
	n := analyzertest.Build(t, emulatortest.EC2(e, emulatortest.AccountA, "us-east-1"))
	base := e.URL() + webview.Path
	scope := "account=" + emulatortest.AccountA + "&region=us-east-1"
	cases := []struct {
		path, status, contentType, body string
	}{
		{"", "200 OK", "text/html", `<script src="app.js">`},
		{"app.js", "200 OK", "text/javascript", "EventSource"},
		{"vendor/cytoscape.min.js", "200 OK", "text/javascript", "cytoscape"},
		{"vendor/elk.bundled.js", "200 OK", "text/javascript", "ELK"},
		{"vendor/VERSIONS", "200 OK", "text/plain", "cytoscape 3."},
		{"missing.js", "404 Not Found", "text/plain", ""},
		{"api/scopes", "200 OK", "application/json", `{"Account":"` + emulatortest.AccountA + `","Region":"us-east-1"}`},
		{"api/graph?" + scope, "200 OK", "application/json", `"id":"` + n.Client + `","kind":"instance","label":"client"`},
		{"api/graph?account=12345&region=us-east-1", "400 Bad Request", "application/json", `{"code":"InvalidParameterValue","message":"The account \"12345\" is not a 12-digit AWS account id."}`},
		{"api/graph?" + emulatortest.AccountA + "&region=mars-1", "400 Bad Request", "application/json", `"message":"The region \"mars-1\" is not one vpcemu knows."`},
		{"api/resource?" + scope + "&id=" + n.Locked, "200 OK", "application/json", `"networkAcl":{"id":"` + n.LockedACL + `"`},
		{"api/resource?" + scope + "&id=i-0000000000000000", "404 Not Found", "application/json", `"code":"NotFound"`},
	}
	// The page without its slash redirects to it.
	if resp, body := get(t, e.URL()+webview.BarePath); resp.Request.URL.Path != webview.Path || !strings.Contains(body, `<script src="app.js">`) {
		t.Errorf("%s answered %s at %s", webview.BarePath, resp.Status, resp.Request.URL)
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := get(t, base+tc.path)
			if resp.Status != tc.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.contentType) || !strings.Contains(body, tc.body) {
				t.Errorf("%s %s\n%.400s", resp.Status, resp.Header.Get("Content-Type"), body)
			}
			if resp.Header.Get("Content-Security-Policy") == "" {
				t.Error("no Content-Security-Policy")
			}
		})
	}
}

// TestExplain: the page's words for an analysis are pathtext's, as
// `vpcemu analyze` prints them.
func TestExplain(t *testing.T) {
	e := emulatortest.Start(t)
	n := analyzertest.Build(t, emulatortest.EC2(e, emulatortest.AccountA, "us-east-1"))
	client := &analyzer.Client{Endpoint: e.URL(), Region: "us-east-1", Credentials: aws.Credentials{AccessKeyID: emulatortest.AccountA, SecretAccessKey: emulatortest.Secret}}
	raw, err := client.Analyze(t.Context(), analyzer.Request{From: n.Client, To: n.Vault, Port: 443})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(e.URL()+webview.Path+"api/explain", "application/json", strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got pathtext.Text
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	var a analyzer.Answer
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	want := pathtext.Render(a)
	if got.Found || len(got.Why) == 0 || got.Why[0] != want.Why[0] || !strings.HasPrefix(got.Why[0], "SUBNET_ACL_RESTRICTION — ") || got.Blocked == nil || got.Blocked.ID != n.LockedACL {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	resp, err = http.Post(e.URL()+webview.Path+"api/explain", "application/json", strings.NewReader("{"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a body that is not an analysis: %s", resp.Status)
	}
}

// TestEvents: the stream says the revision at once and again after a
// write, and a shutting-down server does not wait for it.
func TestEvents(t *testing.T) {
	e := emulatortest.Start(t)
	resp, err := http.Get(e.URL() + webview.Path + "api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %s", ct)
	}
	lines := bufio.NewScanner(resp.Body)
	next := func() string {
		t.Helper()
		for lines.Scan() {
			if data, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
				return data
			}
		}
		t.Fatalf("the stream ended: %v", lines.Err())
		return ""
	}
	first := next()
	if _, err := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1").CreateVpc(t.Context(), &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}); err != nil {
		t.Fatal(err)
	}
	if second := next(); second == first {
		t.Errorf("the revision stayed %s after a write", first)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := e.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown with a page open: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("shutdown took %v", d)
	}
}

// TestVendoredVersions: the libraries vendored are those vendor.sh pins
// (VERSIONS is what the script last wrote), and the page loads each.
func TestVendoredVersions(t *testing.T) {
	script, err := os.ReadFile("vendor.sh")
	if err != nil {
		t.Fatal(err)
	}
	pins := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^([A-Z_]+)=(\S+)`).FindAllStringSubmatch(string(script), -1) {
		pins[strings.ToLower(strings.ReplaceAll(m[1], "_", "-"))] = m[2]
	}
	versions, err := os.ReadFile("assets/vendor/VERSIONS")
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile("assets/index.html")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(versions)), "\n")
	if len(lines) != len(pins) || len(pins) != 3 {
		t.Fatalf("vendor.sh pins %v; VERSIONS says\n%s", pins, versions)
	}
	files := map[string]string{"cytoscape": "cytoscape.min.js", "elkjs": "elk.bundled.js", "cytoscape-elk": "cytoscape-elk.js"}
	for _, l := range lines {
		name, version, _ := strings.Cut(l, " ")
		if pins[name] != version {
			t.Errorf("VERSIONS has %s %s, vendor.sh pins %q: run vendor.sh", name, version, pins[name])
		}
		if !strings.Contains(string(page), `src="vendor/`+files[name]+`"`) {
			t.Errorf("the page does not load %s", files[name])
		}
	}
}
