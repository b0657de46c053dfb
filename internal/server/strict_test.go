package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/vpcemu/vpcemu/internal/emulator"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
	"github.com/vpcemu/vpcemu/internal/sigv4"
)

// family is one protocol family's request and the answers AWS gives it.
type family struct {
	service, body string
	ok            string // in a successful answer
	// unknown key, expired, not yet current: code, status, message pattern
	unknownKey, expired, notYet answer
}

type answer struct {
	code    string
	status  int
	message string // a regular expression
}

const mismatch = `^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.$`

var families = map[string]family{
	"ec2": {service: "ec2", body: "Action=DescribeVpcs&Version=2016-11-15", ok: "<DescribeVpcsResponse",
		unknownKey: answer{"AuthFailure", 401, `^AWS was not able to validate the provided access credentials$`},
		expired:    answer{"RequestExpired", 400, `^Request has expired\.$`},
		notYet:     answer{"RequestExpired", 400, `^Request has expired\.$`}},
	"sts": {service: "sts", body: "Action=GetCallerIdentity&Version=2011-06-15", ok: "<Account>111111111111</Account>",
		unknownKey: answer{"InvalidClientTokenId", 403, `^The security token included in the request is invalid\.$`},
		expired:    answer{"SignatureDoesNotMatch", 403, `^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$`},
		notYet:     answer{"SignatureDoesNotMatch", 403, `^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$`}},
	"elbv2": {service: "elasticloadbalancing", body: "Action=DescribeLoadBalancers&Version=2015-12-01", ok: "<DescribeLoadBalancersResponse",
		unknownKey: answer{"InvalidClientTokenId", 403, `^The security token included in the request is invalid\.$`},
		expired:    answer{"SignatureDoesNotMatch", 403, `^Signature expired: `},
		notYet:     answer{"SignatureDoesNotMatch", 403, `^Signature not yet current: `}},
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// request is a signing client's request: key, secret and time, and what
// to change on the way.
type request struct {
	key, secret string
	at          time.Duration // from now
	payload     string        // X-Amz-Content-Sha256 header and signed hash; "": the body's hash, no header
	presign     bool
	unsigned    bool
	tamper      func(r *http.Request, body *string)
}

func (q request) send(t *testing.T, e *emulator.Emulator, f family) (int, string) {
	t.Helper()
	body := f.body
	r, _ := http.NewRequest(http.MethodPost, e.URL()+"/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	creds := aws.Credentials{AccessKeyID: q.key, SecretAccessKey: q.secret}
	at := time.Now().Add(q.at)
	switch {
	case q.unsigned:
	case q.presign:
		r, _ = http.NewRequest(http.MethodGet, e.URL()+"/?"+body, nil)
		u, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, hash(""), f.service, "us-east-1", at)
		if err != nil {
			t.Fatal(err)
		}
		r, _ = http.NewRequest(http.MethodGet, u, nil)
		body = ""
	default:
		payload := hash(body)
		if q.payload != "" {
			payload = q.payload
			r.Header.Set("X-Amz-Content-Sha256", payload)
		}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, payload, f.service, "us-east-1", at); err != nil {
			t.Fatal(err)
		}
	}
	if q.tamper != nil {
		q.tamper(r, &body)
		r.Body, r.ContentLength = io.NopCloser(strings.NewReader(body)), int64(len(body))
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var codeRE, messageRE = regexp.MustCompile(`<Code>([^<]*)</Code>`), regexp.MustCompile(`<Message>([^<]*)</Message>`)

// TestStrictSignatures: with --verify-signatures each protocol family
// (EC2's ec2 protocol, STS's and Elastic Load Balancing's query protocol)
// takes what verifies and refuses the rest with AWS's code, status and
// message.
func TestStrictSignatures(t *testing.T) {
	e := emulatortest.StartStrict(t)
	const key, secret = emulatortest.AccountA, emulatortest.Secret
	refused := func(code string, status int, message string) *answer { return &answer{code, status, message} }
	for name, f := range families {
		cases := []struct {
			name string
			req  request
			want *answer // nil: answered
		}{
			{"header-signed", request{key: key, secret: secret}, nil},
			{"presigned", request{key: key, secret: secret, presign: true}, nil},
			{"payload hash header", request{key: key, secret: secret, payload: hash(f.body)}, nil},
			{"UNSIGNED-PAYLOAD", request{key: key, secret: secret, payload: "UNSIGNED-PAYLOAD"}, nil},
			{"signed 14 minutes ago", request{key: key, secret: secret, at: -14 * time.Minute}, nil},
			{"wrong secret", request{key: key, secret: "not-" + secret}, refused("SignatureDoesNotMatch", 403, mismatch)},
			{"presigned, wrong secret", request{key: key, secret: "not-" + secret, presign: true}, refused("SignatureDoesNotMatch", 403, mismatch)},
			{"unknown key", request{key: "AKIAIOSFODNN7EXAMPLE", secret: secret}, &f.unknownKey},
			{"expired", request{key: key, secret: secret, at: -20 * time.Minute}, &f.expired},
			{"not yet current", request{key: key, secret: secret, at: 20 * time.Minute}, &f.notYet},
			{"tampered body", request{key: key, secret: secret, tamper: func(_ *http.Request, b *string) { *b += "&DryRun=true" }},
				refused("SignatureDoesNotMatch", 403, mismatch)},
			{"tampered header", request{key: key, secret: secret, tamper: func(r *http.Request, _ *string) { r.Header.Set("Content-Type", "application/x-www-form-urlencoded") }},
				refused("SignatureDoesNotMatch", 403, mismatch)},
			{"streaming", request{key: key, secret: secret, payload: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
				refused("IncompleteSignature", 400, `^X-Amz-Content-Sha256 STREAMING-AWS4-HMAC-SHA256-PAYLOAD: chunked \(streaming\) payload signing is not supported`)},
			{"unsigned", request{unsigned: true}, refused("MissingAuthenticationToken", 403, `.`)},
		}
		for _, tc := range cases {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				status, body := tc.req.send(t, e, f)
				if tc.want == nil {
					if status != 200 || !strings.Contains(body, f.ok) {
						t.Fatalf("%d %s", status, body)
					}
					return
				}
				code, msg := codeRE.FindStringSubmatch(body), messageRE.FindStringSubmatch(body)
				if status != tc.want.status || code == nil || code[1] != tc.want.code || msg == nil || !regexp.MustCompile(tc.want.message).MatchString(msg[1]) {
					t.Fatalf("got %d %s, want %d %s %q", status, body, tc.want.status, tc.want.code, tc.want.message)
				}
			})
		}
	}
}

// TestStrictSignaturesSDK: aws-sdk-go-v2's clients of every service work
// against a strict server with the right secret and get AWS's errors with
// a wrong one or an unknown key.
func TestStrictSignaturesSDK(t *testing.T) {
	e := emulatortest.StartStrict(t)
	ctx := context.Background()
	calls := map[string]func(aws.Config) error{
		"ec2": func(c aws.Config) error {
			_, err := ec2.NewFromConfig(c).CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
			return err
		},
		"sts": func(c aws.Config) error {
			out, err := sts.NewFromConfig(c).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if err == nil && aws.ToString(out.Account) != emulatortest.AccountB {
				t.Errorf("account %s", aws.ToString(out.Account))
			}
			return err
		},
		"elbv2": func(c aws.Config) error {
			_, err := elasticloadbalancingv2.NewFromConfig(c).DescribeLoadBalancers(ctx, &elasticloadbalancingv2.DescribeLoadBalancersInput{})
			return err
		},
	}
	unknown := map[string]string{"ec2": "AuthFailure", "sts": "InvalidClientTokenId", "elbv2": "InvalidClientTokenId"}
	for name, call := range calls {
		if err := call(emulatortest.Config(e.URL(), emulatortest.AccountB, "eu-west-1")); err != nil {
			t.Errorf("%s, right secret: %v", name, err)
		}
		err := call(emulatortest.ConfigWithKey(e.URL(), emulatortest.AccountB, "wrong", "eu-west-1"))
		if code, _ := emulatortest.APIError(err); code != "SignatureDoesNotMatch" {
			t.Errorf("%s, wrong secret: %v", name, err)
		}
		err = call(emulatortest.ConfigWithKey(e.URL(), "AKIAIOSFODNN7EXAMPLE", emulatortest.Secret, "eu-west-1"))
		if code, _ := emulatortest.APIError(err); code != unknown[name] {
			t.Errorf("%s, unknown key: %v", name, err)
		}
	}
}

// TestCredentialsWithoutVerifying: a credentials file alone maps its keys
// to their accounts and checks nothing; other keys act as without it.
func TestCredentialsWithoutVerifying(t *testing.T) {
	keys, err := sigv4.ParseKeys([]byte(`[{"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": "s", "account": "333333333333"}]`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := emulator.New(emulator.Config{InMemory: true, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	go e.Serve()
	defer e.Shutdown(context.Background())
	for key, account := range map[string]string{"AKIAIOSFODNN7EXAMPLE": "333333333333", "111111111111": "111111111111", "AKIDOTHER": "000000000000"} {
		out, err := sts.NewFromConfig(emulatortest.ConfigWithKey(e.URL(), key, "any secret", "us-east-1")).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		if err != nil || aws.ToString(out.Account) != account {
			t.Errorf("key %s: %v, %v; want account %s", key, out, err, account)
		}
	}
	if _, err := emulator.New(emulator.Config{InMemory: true, VerifySignatures: true}); err == nil {
		t.Error("verifying signatures without keys started")
	}
}

// TestStrictOwnPaths: vpcemu's own paths verify too, answer refusals in
// their JSON, and their handler still reads the body it was sent.
func TestStrictOwnPaths(t *testing.T) {
	e := emulatortest.StartStrict(t)
	post := func(secret string) (int, string) {
		body := `{"from": "i-0123456789abcdef0", "to": "i-0123456789abcdef1", "port": 22}`
		r, _ := http.NewRequest(http.MethodPost, e.URL()+"/_vpcemu/analyze", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		creds := aws.Credentials{AccessKeyID: emulatortest.AccountA, SecretAccessKey: secret}
		v4.NewSigner().SignHTTP(context.Background(), creds, r, hash(body), "ec2", "us-east-1", time.Now())
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := post("wrong"); status != 403 || !strings.Contains(body, `"code":"SignatureDoesNotMatch"`) {
		t.Errorf("wrong secret: %d %s", status, body)
	}
	// The instances do not exist: the analyzer read the question.
	if status, body := post(emulatortest.Secret); status != 200 || !strings.Contains(body, "NO_SOURCE_OR_DESTINATION") {
		t.Errorf("right secret: %d %s", status, body)
	}
	resp, err := http.Get(e.URL() + "/_vpcemu/health")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("health, unsigned: %v %v", resp, err)
	}
}
