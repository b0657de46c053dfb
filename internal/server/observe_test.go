package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/api/stsapi"
	"github.com/vpcemu/vpcemu/internal/awsproto/query"
	"github.com/vpcemu/vpcemu/internal/server"
	"github.com/vpcemu/vpcemu/internal/service/sts"
)

// observed is what an Observer heard, one line per request.
type observed struct {
	mu    sync.Mutex
	lines []string
}

func (o *observed) Request(service, operation string, status int, code string, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if d <= 0 {
		code += " (no duration)"
	}
	o.lines = append(o.lines, fmt.Sprintf("%s %s %d %s", service, operation, status, code))
}

func (o *observed) take() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	got := o.lines
	o.lines = nil
	return got
}

// TestObserver: the observer hears every AWS request with its service,
// operation, status and code; a service vpcemu does not serve is heard as
// "unserved" (the caller names it). GET /metrics reaches the metrics
// handler, unsigned and unheard; other methods on that path are AWS's.
func TestObserver(t *testing.T) {
	o := &observed{}
	metrics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "metrics") })
	s := server.New(server.Config{
		Services: []*server.Service{{Spec: stsapi.Spec, Codec: query.Query, Handler: sts.New()}},
		Observer: o,
		Metrics:  metrics,
	})
	const stsAuth = "AWS4-HMAC-SHA256 Credential=111111111111/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=x"
	const s3Auth = "AWS4-HMAC-SHA256 Credential=111111111111/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x"
	cases := []struct {
		name, method, path, auth, body string
		heard                          []string
		answer                         string // in the answer's body
	}{
		{name: "answered", method: "POST", path: "/", auth: stsAuth, body: "Action=GetCallerIdentity&Version=2011-06-15",
			heard: []string{"sts GetCallerIdentity 200 "}, answer: "111111111111"},
		{name: "an operation the service has not", method: "POST", path: "/", auth: stsAuth, body: "Action=Nothing&Version=2011-06-15",
			heard: []string{"sts  400 InvalidAction"}},
		{name: "a service vpcemu does not serve", method: "POST", path: "/", auth: s3Auth, body: "Action=ListBuckets",
			heard: []string{"unserved  400 UnsupportedOperation"}},
		{name: "a scrape", method: "GET", path: server.MetricsPath, answer: "metrics"},
		{name: "a post to the metrics path", method: "POST", path: server.MetricsPath, auth: stsAuth, body: "Action=GetCallerIdentity&Version=2011-06-15",
			heard: []string{"sts GetCallerIdentity 200 "}, answer: "111111111111"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			if tc.body != "" {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if got := o.take(); strings.Join(got, "|") != strings.Join(tc.heard, "|") {
				t.Errorf("heard %q, want %q (answer %d %s)", got, tc.heard, w.Code, w.Body)
			}
			if !strings.Contains(w.Body.String(), tc.answer) {
				t.Errorf("answer %d %s, want it to hold %q", w.Code, w.Body, tc.answer)
			}
		})
	}
}
