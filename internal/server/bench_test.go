package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/vpcemu/vpcemu/internal/emulator"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

const benchAuth = "AWS4-HMAC-SHA256 Credential=111111111111/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"

// serve sends one form request through the handler.
func serve(h http.Handler, req *http.Request, body []byte) *httptest.ResponseRecorder {
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func newRequest() *http.Request {
	req := httptest.NewRequest("POST", "/", nil)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("Authorization", benchAuth)
	return req
}

// BenchmarkDescribeVpcsByID measures the whole server handler (routing,
// decode, domain, store, encode) for DescribeVpcs of one VPC by id, with
// no network, on both stores.
func BenchmarkDescribeVpcsByID(b *testing.B) {
	for _, store := range []struct {
		name string
		cfg  func(b *testing.B) emulator.Config
	}{
		{"memory", func(*testing.B) emulator.Config { return emulator.Config{InMemory: true} }},
		{"file", func(b *testing.B) emulator.Config { return emulator.Config{DataDir: b.TempDir()} }},
	} {
		b.Run(store.name, func(b *testing.B) {
			e, err := emulator.New(store.cfg(b))
			if err != nil {
				b.Fatal(err)
			}
			defer e.Shutdown(context.Background())
			req := newRequest()
			w := serve(e.Handler, req, []byte("Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16"))
			m := regexp.MustCompile(`<vpcId>([^<]+)</vpcId>`).FindSubmatch(w.Body.Bytes())
			if w.Code != 200 || m == nil {
				b.Fatalf("CreateVpc: %d %s", w.Code, w.Body)
			}
			body := []byte("Action=DescribeVpcs&Version=2016-11-15&VpcId.1=" + string(m[1]))
			b.ReportAllocs()
			for b.Loop() {
				if w := serve(e.Handler, req, body); w.Code != 200 {
					b.Fatalf("DescribeVpcs: %d %s", w.Code, w.Body)
				}
			}
		})
	}
}

// BenchmarkDescribeVpcsByIDStrict is BenchmarkDescribeVpcsByID/memory with
// --verify-signatures: every request is signed for real and verified by
// signing it again. The difference is strict mode's cost per request.
func BenchmarkDescribeVpcsByIDStrict(b *testing.B) {
	e, err := emulator.New(emulator.Config{InMemory: true, Keys: emulatortest.StrictKeys, VerifySignatures: true})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Shutdown(context.Background())
	signed := func(body string) *http.Request {
		req := newRequest()
		req.Header.Del("Authorization")
		req.Host = "127.0.0.1:4566"
		creds := aws.Credentials{AccessKeyID: emulatortest.AccountA, SecretAccessKey: emulatortest.Secret}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hash(body), "ec2", "us-east-1", time.Now()); err != nil {
			b.Fatal(err)
		}
		return req
	}
	const create = "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16"
	w := serve(e.Handler, signed(create), []byte(create))
	m := regexp.MustCompile(`<vpcId>([^<]+)</vpcId>`).FindSubmatch(w.Body.Bytes())
	if w.Code != 200 || m == nil {
		b.Fatalf("CreateVpc: %d %s", w.Code, w.Body)
	}
	body := "Action=DescribeVpcs&Version=2016-11-15&VpcId.1=" + string(m[1])
	req := signed(body)
	b.ReportAllocs()
	for b.Loop() {
		if w := serve(e.Handler, req, []byte(body)); w.Code != 200 {
			b.Fatalf("DescribeVpcs: %d %s", w.Code, w.Body)
		}
	}
}
