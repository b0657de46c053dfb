package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestJSONProtocolRouting: a json-protocol request reaches its service by
// the credential scope's service when signed and by its X-Amz-Target when
// not; bad bodies and targets get the JSON error envelope, and the server
// keeps serving the other protocols.
func TestJSONProtocolRouting(t *testing.T) {
	e := emulatortest.Start(t)
	tests := []struct {
		name, target, body string
		sign               string // the credential scope's service; "": unsigned
		status             int
		want               string // in the body
	}{
		{"unsigned, by target", "OvertureService.DescribeLocations", "{}", "", 200, `"locationCode":"EqDC2"`},
		{"signed", "OvertureService.DescribeLocations", "", "directconnect", 200, `"availablePortSpeeds":["1Gbps","10Gbps","100Gbps","400Gbps"]`},
		{"signed for another region", "OvertureService.DescribeLocations", "{}", "directconnect@eu-west-1", 200, `{"locations":[]}`},
		{"malformed body", "OvertureService.DescribeLocations", `{"x":`, "directconnect", 400, `"__type":"SerializationException"`},
		{"wrong type", "OvertureService.DescribeConnections", `{"connectionId":7}`, "directconnect", 400,
			`{"__type":"SerializationException","message":"Expected a string at 'connectionId', got a number."}`},
		{"missing required", "OvertureService.DeleteConnection", `{}`, "directconnect", 400,
			`{"__type":"ValidationException","message":"1 validation error detected: Value null at 'connectionId' failed to satisfy constraint: Member must not be null"}`},
		{"no target", "", "{}", "directconnect", 400, `"__type":"UnknownOperationException"`},
		{"unknown operation", "OvertureService.Nope", "{}", "directconnect", 400, `"__type":"UnknownOperationException"`},
		{"a model operation vpcemu does not serve", "OvertureService.DescribeInterconnects", "{}", "", 400,
			`{"__type":"UnsupportedOperation","message":"vpcemu does not implement directconnect:DescribeInterconnects yet."}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest(http.MethodPost, e.URL()+"/", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/x-amz-json-1.1")
			if tt.target != "" {
				r.Header.Set("X-Amz-Target", tt.target)
			}
			if tt.sign != "" {
				service, region, _ := strings.Cut(tt.sign, "@")
				if region == "" {
					region = "us-east-1"
				}
				creds := aws.Credentials{AccessKeyID: emulatortest.AccountA, SecretAccessKey: "secret"}
				if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hash(tt.body), service, region, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.want) || !json.Valid(b) {
				t.Errorf("got %d %s, want %d with %s", resp.StatusCode, b, tt.status, tt.want)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" || resp.Header.Get("X-Amzn-RequestId") == "" {
				t.Errorf("headers %v", resp.Header)
			}
		})
	}
	// The other protocols are still served, signed or not.
	resp, err := http.Post(e.URL()+"/", "application/x-www-form-urlencoded", strings.NewReader("Action=DescribeVpcs&Version=2016-11-15"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if b, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 || !strings.Contains(string(b), "<DescribeVpcsResponse") {
		t.Errorf("EC2 after the json requests: %d %s", resp.StatusCode, b)
	}
}

// TestStrictSignaturesJSON: a strict server refuses a json-protocol request
// it cannot verify as AWS's json services do, and serves the verified one.
func TestStrictSignaturesJSON(t *testing.T) {
	e := emulatortest.StartStrict(t)
	ctx := context.Background()
	call := func(c aws.Config) error {
		_, err := directconnect.NewFromConfig(c).DescribeLocations(ctx, &directconnect.DescribeLocationsInput{})
		return err
	}
	tests := []struct {
		name string
		cfg  aws.Config
		code string
	}{
		{"right secret", emulatortest.Config(e.URL(), emulatortest.AccountB, "us-east-1"), ""},
		{"wrong secret", emulatortest.ConfigWithKey(e.URL(), emulatortest.AccountB, "wrong", "us-east-1"), "InvalidSignatureException"},
		{"unknown key", emulatortest.ConfigWithKey(e.URL(), "AKIAIOSFODNN7EXAMPLE", emulatortest.Secret, "us-east-1"), "UnrecognizedClientException"},
	}
	for _, tt := range tests {
		err := call(tt.cfg)
		code, _ := emulatortest.APIError(err)
		var re *awshttp.ResponseError
		if code != tt.code || tt.code != "" && (!errors.As(err, &re) || re.HTTPStatusCode() != http.StatusBadRequest) {
			t.Errorf("%s: %v, want %q (400)", tt.name, err, tt.code)
		}
	}
	// Unsigned: routed by its target, refused in the json envelope.
	r, _ := http.NewRequest(http.MethodPost, e.URL()+"/", strings.NewReader("{}"))
	r.Header.Set("X-Amz-Target", "OvertureService.DescribeLocations")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if want := `{"__type":"MissingAuthenticationTokenException","message":"Request is missing Authentication Token"}`; resp.StatusCode != 400 || string(b) != want {
		t.Errorf("unsigned: %d %s, want 400 %s", resp.StatusCode, b, want)
	}
}
