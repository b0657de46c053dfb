package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/vpcemu/vpcemu/internal/emulator"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// syncBuffer is a log destination the server's goroutines share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// records are the log lines with message msg.
func (s *syncBuffer) records(t *testing.T, msg string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// startLogged runs an in-memory vpcemu whose log, at level, goes to the
// returned buffer.
func startLogged(t *testing.T, level slog.Level) (*emulator.Emulator, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	e, err := emulator.New(emulator.Config{InMemory: true, Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: level}))})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	go e.Serve()
	t.Cleanup(func() { e.Shutdown(context.Background()) })
	return e, logs
}

// call sends one request: a form body (POST) or none (GET), signed for
// service when it is not empty (the signature itself is not checked).
func call(t *testing.T, e *emulator.Emulator, method, path, service, form string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, e.URL()+path, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if service != "" {
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=111111111111/20260101/us-east-1/"+service+"/aws4_request, SignedHeaders=host, Signature=x")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// requests are a session with answers, refusals (twice each) and another
// service's calls.
var requests = []struct{ method, path, service, form string }{
	{"POST", "/", "ec2", "Action=DescribeVpcs&Version=2016-11-15"},
	{"POST", "/", "ec2", "Action=DeleteVpc&Version=2016-11-15&VpcId=vpc-12345678"},
	{"POST", "/", "ec2", "Action=DeleteVpc&Version=2016-11-15&VpcId=vpc-12345678"},
	{"POST", "/", "ec2", "Action=DescribeVpcs"},
	{"GET", "/", "s3", ""},
	{"GET", "/", "s3", ""},
	{"POST", "/", "ec2", "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0/16&DryRun=true"},
}

// TestLogDebugEveryRequest: at debug, every request is logged with its
// service, operation, status and error code, other services' too.
func TestLogDebugEveryRequest(t *testing.T) {
	e, logs := startLogged(t, slog.LevelDebug)
	for _, r := range requests {
		call(t, e, r.method, r.path, r.service, r.form)
	}
	got := logs.records(t, "request")
	want := []struct {
		service, operation, code string
		status                   float64
	}{
		{"ec2", "DescribeVpcs", "", 200},
		{"ec2", "DeleteVpc", "InvalidVpcID.NotFound", 400},
		{"ec2", "DeleteVpc", "InvalidVpcID.NotFound", 400},
		{"ec2", "DescribeVpcs", "NoSuchVersion", 400},
		{"s3", "ListBuckets", "UnsupportedOperation", 400},
		{"s3", "ListBuckets", "UnsupportedOperation", 400},
		{"ec2", "CreateVpc", "DryRunOperation", 412},
	}
	if len(got) != len(want) {
		t.Fatalf("%d request lines, want %d: %v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g["service"] != w.service || g["operation"] != w.operation || g["code"] != w.code || g["status"] != w.status || g["request_id"] == "" {
			t.Errorf("line %d: %v, want %+v", i, g, w)
		}
	}
}

// TestLogInfoRefusalsOnce: at info, a refused or unsupported call is logged
// once per service, operation and code, with the message; answers and dry
// runs are not.
func TestLogInfoRefusalsOnce(t *testing.T) {
	e, logs := startLogged(t, slog.LevelInfo)
	for _, r := range requests {
		call(t, e, r.method, r.path, r.service, r.form)
	}
	if n := len(logs.records(t, "request")); n != 0 {
		t.Errorf("%d request lines at info", n)
	}
	got := logs.records(t, "refused")
	want := [][3]string{
		{"ec2", "DeleteVpc", "InvalidVpcID.NotFound"},
		{"ec2", "DescribeVpcs", "NoSuchVersion"},
		{"s3", "ListBuckets", "UnsupportedOperation"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d refusal lines, want %d: %v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g["service"] != w[0] || g["operation"] != w[1] || g["code"] != w[2] || g["message"] == "" || g["status"] != float64(400) {
			t.Errorf("line %d: %v, want %v", i, g, w)
		}
	}
}

// TestEC2Version: EC2 answers a request without its API version, or with
// another, NoSuchVersion (boto/boto3#1138).
func TestEC2Version(t *testing.T) {
	e, _ := startLogged(t, slog.LevelError)
	for _, tc := range []struct{ name, service, form, message string }{
		{"signed, none", "ec2", "Action=DescribeVpcs", "The requested version of service AmazonEC2 does not exist"},
		{"signed, another", "ec2", "Action=DescribeVpcs&Version=2010-03-31", "The requested version (2010-03-31) of service AmazonEC2 does not exist"},
		{"unsigned, none", "", "Action=DescribeVpcs", "The requested version of service AmazonEC2 does not exist"},
		{"unsigned, another service's", "", "Action=CreateTopic&Version=2010-03-31&Name=x", "The requested version (2010-03-31) of service AmazonEC2 does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := call(t, e, "POST", "/", tc.service, tc.form)
			if status != 400 || !strings.Contains(body, "<Code>NoSuchVersion</Code>") || !strings.Contains(body, "<Message>"+tc.message+"</Message>") {
				t.Errorf("%d %s", status, body)
			}
		})
	}
}

// TestUnservedInStrictMode: with signatures verified, another service's
// request is still refused as unserved (the refusal grants nothing, and
// S3's unsigned payloads would hide it behind a signature error).
func TestUnservedInStrictMode(t *testing.T) {
	e := emulatortest.StartStrict(t)
	status, body := call(t, e, "GET", "/", "s3", "")
	if status != 400 || !strings.Contains(body, "<Code>UnsupportedOperation</Code>") {
		t.Errorf("%d %s", status, body)
	}
	// A served service's bad signature is still refused.
	if status, body := call(t, e, "POST", "/", "ec2", "Action=DescribeVpcs&Version=2016-11-15"); status == 200 {
		t.Errorf("%d %s", status, body)
	}
}
