package sigv4

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

var testKeys = mustKeys(`[{"accessKeyId": "AKIDEXAMPLE", "secretAccessKey": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "account": "111111111111"}]`)

func mustKeys(s string) *Keys {
	k, err := ParseKeys([]byte(s))
	if err != nil {
		panic(err)
	}
	return k
}

var clock = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

const body = "Action=DescribeVpcs&Version=2016-11-15"

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// client is a request as an SDK builds it before signing.
func client(body string) *http.Request {
	r, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:4566/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	r.Header.Set("User-Agent", "test/1.0")
	return r
}

// arrive turns a client's signed request into what the server sees, with
// the body it sends (which may differ from the one signed).
func arrive(c *http.Request, body string) *http.Request {
	r := httptest.NewRequest(c.Method, c.URL.RequestURI(), strings.NewReader(body))
	r.Host = c.URL.Host
	for k, v := range c.Header {
		r.Header[http.CanonicalHeaderKey(k)] = v
	}
	r.ContentLength = int64(len(body))
	return r
}

func sign(r *http.Request, secret, payload string, at time.Time) *http.Request {
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, payload, "ec2", "eu-west-1", at); err != nil {
		panic(err)
	}
	return r
}

func presign(r *http.Request, secret, payload string, at time.Time, expires string) *http.Request {
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secret}
	if expires != "" {
		q := r.URL.Query()
		q.Set("X-Amz-Expires", expires)
		r.URL.RawQuery = q.Encode()
	}
	u, h, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, payload, "ec2", "eu-west-1", at)
	if err != nil {
		panic(err)
	}
	p, _ := http.NewRequest(r.Method, u, nil)
	for k, v := range h {
		if k != "Host" {
			p.Header[k] = v
		}
	}
	return p
}

const secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

func TestVerify(t *testing.T) {
	get := func() *http.Request {
		r, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:4566/?Action=DescribeVpcs&Version=2016-11-15", nil)
		return r
	}
	cases := []struct {
		name string
		req  func() *http.Request
		want Reason // 0: verifies
	}{
		{"header-signed", func() *http.Request { return arrive(sign(client(body), secret, sha(body), clock), body) }, 0},
		{"header-signed, a payload hash header", func() *http.Request {
			c := client(body)
			c.Header.Set("X-Amz-Content-Sha256", sha(body))
			return arrive(sign(c, secret, sha(body), clock), body)
		}, 0},
		{"UNSIGNED-PAYLOAD", func() *http.Request {
			c := client(body)
			c.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
			return arrive(sign(c, secret, "UNSIGNED-PAYLOAD", clock), strings.Replace(body, "DescribeVpcs", "DescribeTags", 1)) // unsigned: any body of the signed length
		}, 0},
		{"signed User-Agent", func() *http.Request {
			c := client(body)
			c.Header["user-agent"] = c.Header["User-Agent"] // the SDK signer skips User-Agent; botocore's older signers did not
			delete(c.Header, "User-Agent")
			return arrive(sign(c, secret, sha(body), clock), body)
		}, 0},
		{"signed at the window's edge", func() *http.Request { return arrive(sign(client(body), secret, sha(body), clock.Add(-Window)), body) }, 0},
		{"session token", func() *http.Request {
			c := client(body)
			creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secret, SessionToken: "tok"}
			v4.NewSigner().SignHTTP(context.Background(), creds, c, sha(body), "ec2", "eu-west-1", clock)
			return arrive(c, body)
		}, 0},
		{"presigned", func() *http.Request { return arrive(presign(get(), secret, sha(""), clock, ""), "") }, 0},
		{"presigned UNSIGNED-PAYLOAD", func() *http.Request { return arrive(presign(get(), secret, "UNSIGNED-PAYLOAD", clock, ""), "") }, 0},
		{"presigned for an hour, used after 50 minutes", func() *http.Request {
			return arrive(presign(get(), secret, sha(""), clock.Add(-50*time.Minute), "3600"), "")
		}, 0},

		{"wrong secret", func() *http.Request { return arrive(sign(client(body), "not-the-secret", sha(body), clock), body) }, Mismatch},
		{"presigned, wrong secret", func() *http.Request { return arrive(presign(get(), "nope", sha(""), clock, ""), "") }, Mismatch},
		{"tampered body", func() *http.Request {
			return arrive(sign(client(body), secret, sha(body), clock), body+"&VpcId.1=vpc-1")
		}, Mismatch},
		{"tampered body, hash header", func() *http.Request {
			c := client(body)
			c.Header.Set("X-Amz-Content-Sha256", sha(body))
			return arrive(sign(c, secret, sha(body), clock), "Action=DeleteVpc&Version=2016-11-15")
		}, Mismatch},
		{"tampered header", func() *http.Request {
			r := arrive(sign(client(body), secret, sha(body), clock), body)
			r.Header.Set("Content-Type", "text/plain")
			return r
		}, Mismatch},
		{"tampered query", func() *http.Request {
			r := arrive(presign(get(), secret, sha(""), clock, ""), "")
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "DescribeVpcs", "DeleteVpc", 1)
			return r
		}, Mismatch},
		{"tampered host", func() *http.Request {
			r := arrive(sign(client(body), secret, sha(body), clock), body)
			r.Host = "127.0.0.1:4567"
			return r
		}, Mismatch},
		{"tampered date", func() *http.Request {
			r := arrive(sign(client(body), secret, sha(body), clock), body)
			r.Header.Set("X-Amz-Date", clock.Add(time.Second).Format(TimeFormat))
			return r
		}, Mismatch},
		{"unknown key", func() *http.Request {
			c := client(body)
			v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "AKIDOTHER", SecretAccessKey: secret}, c, sha(body), "ec2", "eu-west-1", clock)
			return arrive(c, body)
		}, UnknownKey},
		{"expired", func() *http.Request {
			return arrive(sign(client(body), secret, sha(body), clock.Add(-Window-time.Second)), body)
		}, Expired},
		{"not yet current", func() *http.Request {
			return arrive(sign(client(body), secret, sha(body), clock.Add(Window+time.Second)), body)
		}, NotYetCurrent},
		{"presigned, expired", func() *http.Request {
			return arrive(presign(get(), secret, sha(""), clock.Add(-61*time.Minute), "3600"), "")
		}, Expired},
		{"streaming", func() *http.Request {
			c := client(body)
			c.Header.Set("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
			return arrive(sign(c, secret, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", clock), body)
		}, Streaming},
		{"unsigned", func() *http.Request { return arrive(client(body), body) }, Missing},
		{"not SigV4", func() *http.Request {
			r := arrive(client(body), body)
			r.Header.Set("Authorization", "AWS AKIDEXAMPLE:abc")
			return r
		}, Malformed},
		{"no date", func() *http.Request {
			r := arrive(sign(client(body), secret, sha(body), clock), body)
			r.Header.Del("X-Amz-Date")
			return r
		}, Malformed},
		{"no signature", func() *http.Request {
			r := arrive(sign(client(body), secret, sha(body), clock), body)
			r.Header.Set("Authorization", strings.Split(r.Header.Get("Authorization"), ", Signature=")[0])
			return r
		}, Malformed},
		{"presigned for eight days", func() *http.Request { return arrive(presign(get(), secret, sha(""), clock, "691200"), "") }, Malformed},
	}
	v := NewVerifier(testKeys, nil, func() time.Time { return clock })
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.req()
			b, _ := io.ReadAll(r.Body)
			c, signed := FromRequest(r)
			key, err := v.Verify(r, c, signed, b)
			var e *Error
			switch {
			case tc.want == 0 && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want == 0 && key.Account != "111111111111":
				t.Fatalf("key %+v", key)
			case tc.want != 0 && !errors.As(err, &e):
				t.Fatalf("err = %v, want reason %d", err, tc.want)
			case tc.want != 0 && e.Reason != tc.want:
				t.Fatalf("reason %d (%v), want %d", e.Reason, e, tc.want)
			}
		})
	}
}

// TestVerifyAWSVector checks a request of AWS's own SigV4 test suite
// (get-vanilla), signed by AWS, not by the SDK that verifies it.
func TestVerifyAWSVector(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Host = "example.amazonaws.com"
	r.Header.Set("X-Amz-Date", "20150830T123600Z")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
	v := NewVerifier(testKeys, nil, func() time.Time { return time.Date(2015, 8, 30, 12, 40, 0, 0, time.UTC) })
	c, signed := FromRequest(r)
	if _, err := v.Verify(r, c, signed, nil); err != nil {
		t.Fatalf("AWS's get-vanilla: %v", err)
	}
	r.Header.Set("X-Amz-Date", "20150830T123601Z")
	if _, err := v.Verify(r, c, signed, nil); err == nil {
		t.Fatal("a changed date verified")
	}
}

// FuzzVerify: no Authorization header or query, however broken, panics
// the parser or the verifier.
func FuzzVerify(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/eu-west-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc", "", "20261121T120000Z")
	f.Add("", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261121%2Fus-west-2%2Fec2%2Faws4_request&X-Amz-SignedHeaders=host&X-Amz-Signature=def&X-Amz-Date=20261121T120000Z&X-Amz-Expires=60", "")
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request,SignedHeaders=,Signature=", "a=%zz", "x")
	v := NewVerifier(testKeys, nil, func() time.Time { return clock })
	f.Fuzz(func(t *testing.T, auth, query, date string) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.URL.RawQuery = query
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		if date != "" {
			r.Header.Set("X-Amz-Date", date)
		}
		c, signed := FromRequest(r)
		if _, err := v.Verify(r, c, signed, []byte(body)); err == nil && auth != "" {
			t.Fatalf("a made-up signature verified: %q %q", auth, query)
		}
	})
}

// BenchmarkVerify is strict mode's own cost per request: reading the
// credential and verifying a header-signed DescribeVpcs.
func BenchmarkVerify(b *testing.B) {
	r := arrive(sign(client(body), secret, sha(body), clock), body)
	v := NewVerifier(testKeys, nil, func() time.Time { return clock })
	payload := []byte(body)
	b.ReportAllocs()
	for b.Loop() {
		c, signed := FromRequest(r)
		if _, err := v.Verify(r, c, signed, payload); err != nil {
			b.Fatal(err)
		}
	}
}
