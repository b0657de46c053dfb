// Package emulatortest starts a real vpcemu for tests, on 127.0.0.1:0 with
// in-memory state, and makes aws-sdk-go-v2 clients that talk to it.
package emulatortest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/emulator"
	"github.com/vpcemu/vpcemu/internal/sigv4"
)

// Accounts for cross-account tests: a 12-digit access key id is that account.
const (
	AccountA = "111111111111"
	AccountB = "222222222222"
)

// Secret is the secret access key Config signs with.
const Secret = "secret"

// StrictKeys are the keys StartStrict verifies with: AccountA's and
// AccountB's key ids (each acts in its own account), with Secret, so the
// clients of this package work unchanged against a strict server.
var StrictKeys = mustKeys(`[
	{"accessKeyId": "` + AccountA + `", "secretAccessKey": "` + Secret + `", "account": "` + AccountA + `"},
	{"accessKeyId": "` + AccountB + `", "secretAccessKey": "` + Secret + `", "account": "` + AccountB + `"}]`)

func mustKeys(s string) *sigv4.Keys {
	k, err := sigv4.ParseKeys([]byte(s))
	if err != nil {
		panic(err)
	}
	return k
}

// Start runs an in-memory emulator until the test ends.
func Start(t testing.TB, opts ...cloud.Option) *emulator.Emulator {
	t.Helper()
	return start(t, emulator.Config{InMemory: true, CloudOptions: opts})
}

// StartWithDataPlane runs an in-memory emulator with its data plane, when
// it can start (Linux, root: see Emulator.PlaneOff).
func StartWithDataPlane(t testing.TB, opts ...cloud.Option) *emulator.Emulator {
	t.Helper()
	return start(t, emulator.Config{InMemory: true, CloudOptions: opts, DataPlane: true})
}

// StartStrict runs an in-memory emulator that verifies every request's
// signature with StrictKeys (vpcemu serve --verify-signatures).
func StartStrict(t testing.TB, opts ...cloud.Option) *emulator.Emulator {
	t.Helper()
	return start(t, emulator.Config{InMemory: true, CloudOptions: opts, Keys: StrictKeys, VerifySignatures: true})
}

func start(t testing.TB, cfg emulator.Config) *emulator.Emulator {
	t.Helper()
	e, err := emulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	go e.Serve()
	t.Cleanup(func() { e.Shutdown(context.Background()) })
	return e
}

// Config is an SDK configuration for account (its access key id) and region
// against endpoint. It does not retry, so a failure shows at once.
func Config(endpoint, account, region string) aws.Config {
	return ConfigWithKey(endpoint, account, Secret, region)
}

// ConfigWithKey is Config signing with accessKey and secret.
func ConfigWithKey(endpoint, accessKey, secret, region string) aws.Config {
	return aws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, secret, ""),
		BaseEndpoint: aws.String(endpoint),
		Retryer:      func() aws.Retryer { return retry.AddWithMaxAttempts(retry.NewStandard(), 1) },
		HTTPClient:   &http.Client{Transport: plainBodies{http.DefaultTransport.(*http.Transport).Clone()}},
	}
}

// plainBodies sends request bodies as plain readers. smithy-go closes a
// request body as soon as the response arrives, and its closed body's
// WriteTo answers io.EOF; net/http, still checking the body for extra bytes
// after a fast local server answered, takes that for a read error and
// drops the connection while the response is being read. A plain Read
// after close answers a clean EOF.
type plainBodies struct{ next http.RoundTripper }

func (p plainBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return p.next.RoundTrip(r)
	}
	c := r.Clone(r.Context())
	c.Body = struct{ io.ReadCloser }{r.Body}
	return p.next.RoundTrip(c)
}

// EC2 is an EC2 client of account in region.
func EC2(e *emulator.Emulator, account, region string) *ec2.Client {
	return ec2.NewFromConfig(Config(e.URL(), account, region))
}

// STS is an STS client of account in region.
func STS(e *emulator.Emulator, account, region string) *sts.Client {
	return sts.NewFromConfig(Config(e.URL(), account, region))
}

// ELBv2 is an Elastic Load Balancing v2 client of account in region.
func ELBv2(e *emulator.Emulator, account, region string) *elasticloadbalancingv2.Client {
	return elasticloadbalancingv2.NewFromConfig(Config(e.URL(), account, region))
}

// DirectConnect is a Direct Connect client of account in region.
func DirectConnect(e *emulator.Emulator, account, region string) *directconnect.Client {
	return directconnect.NewFromConfig(Config(e.URL(), account, region))
}

// Logs is a CloudWatch Logs client of account in region.
func Logs(e *emulator.Emulator, account, region string) *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(Config(e.URL(), account, region))
}

// CloudWatch is a CloudWatch (metrics) client of account in region: it
// speaks rpcv2Cbor, as today's aws-sdk-go-v2 does.
func CloudWatch(e *emulator.Emulator, account, region string) *cloudwatch.Client {
	return cloudwatch.NewFromConfig(Config(e.URL(), account, region))
}

// Route53 is a Route 53 client of account (Route 53 is global: it signs
// for us-east-1).
func Route53(e *emulator.Emulator, account string) *route53.Client {
	return route53.NewFromConfig(Config(e.URL(), account, "us-east-1"))
}

// APIError returns the AWS error code and message of err, or "" and "".
func APIError(err error) (code, message string) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode(), ae.ErrorMessage()
	}
	return "", ""
}

// Clock is a clock that moves only when the test moves it (give its Now
// to cloud.WithClock).
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock is a clock stopped at now.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Add moves the clock forward.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// WantError fails t unless err is the AWS API error code, answered with
// the HTTP status, whose message holds msg.
func WantError(t testing.TB, err error, code string, status int, msg string) {
	t.Helper()
	got, text := APIError(err)
	var re *awshttp.ResponseError
	if got != code || !strings.Contains(text, msg) || !errors.As(err, &re) || re.HTTPStatusCode() != status {
		t.Fatalf("got %s %q (%v), want %s %q with a %d", got, text, err, code, msg, status)
	}
}

// OK unwraps the answer of a call that must succeed.
func OK[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
