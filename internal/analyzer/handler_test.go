package analyzer_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpcemu/vpcemu/internal/analyzer"
	"github.com/vpcemu/vpcemu/internal/analyzer/analyzertest"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/emulator"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// client asks e as account in region; an empty account sends unsigned.
func client(e *emulator.Emulator, account, region string) *analyzer.Client {
	c := &analyzer.Client{Endpoint: e.URL(), Region: region}
	if account != "" {
		c.Credentials = aws.Credentials{AccessKeyID: account, SecretAccessKey: "secret"}
	}
	return c
}

// engineAnswer is the engine's answer to req for the caller, as the
// endpoint should send it.
func engineAnswer(t *testing.T, e *emulator.Emulator, who cloud.Caller, req analyzer.Request) []byte {
	t.Helper()
	q, perr := req.Query()
	if perr != nil {
		t.Fatal(perr)
	}
	res, err := analyzer.Analyze(t.Context(), e.Cloud, who, q)
	if err != nil {
		t.Fatal(err)
	}
	return analyzer.AnswerOf(res).JSON()
}

func TestAnalyzeEndpoint(t *testing.T) {
	e := emulatortest.Start(t)
	n := analyzertest.Build(t, emulatortest.EC2(e, emulatortest.AccountA, "us-east-1"))
	a := client(e, emulatortest.AccountA, "us-east-1")
	cases := []struct {
		name  string
		req   analyzer.Request
		found bool
		code  reach.Code
		// mentions are ids the explanation names.
		mentions []string
	}{
		{name: "allowed", req: analyzer.Request{From: n.Client, To: n.Web, Port: 443}, found: true},
		{name: "any port the group allows", req: analyzer.Request{From: n.Client, To: n.Web}, found: true},
		{name: "by addresses", req: analyzer.Request{From: n.ClientIP, To: n.WebIP, Port: 443}, found: true},
		{name: "by ARN", req: analyzer.Request{From: "arn:aws:ec2:us-east-1:" + emulatortest.AccountA + ":instance/" + n.Client, To: n.Web, Port: 443}, found: true},
		{name: "address pinned", req: analyzer.Request{From: n.Client, To: n.Web, Port: 443, SourceIP: n.ClientIP, DestinationIP: n.WebIP}, found: true},
		{name: "blocked by security group", req: analyzer.Request{From: n.Client, To: n.Web, Port: 22},
			code: reach.ENISGRulesMismatch, mentions: []string{n.WebGroup, n.Back}},
		{name: "udp blocked by security group", req: analyzer.Request{From: n.Client, To: n.Web, Port: 443, Protocol: "udp"},
			code: reach.ENISGRulesMismatch, mentions: []string{n.WebGroup}},
		{name: "blocked by network ACL", req: analyzer.Request{From: n.Client, To: n.Vault, Port: 443},
			code: reach.SubnetACLRestriction, mentions: []string{n.LockedACL, n.Locked}},
		{name: "no route", req: analyzer.Request{From: n.Client, To: "8.8.8.8", Port: 443},
			code: reach.NoRouteToDestination, mentions: []string{n.Front, `"Address": "8.8.8.8"`}},
		{name: "unknown instance", req: analyzer.Request{From: n.Client, To: "i-0123456789abcdef0"},
			code: reach.NoSourceOrDestination, mentions: []string{"i-0123456789abcdef0"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body, err := a.Analyze(t.Context(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if want := engineAnswer(t, e, cloud.Caller{Account: emulatortest.AccountA, Region: "us-east-1"}, tc.req); !bytes.Equal(body, want) {
				t.Errorf("the endpoint's answer is not the engine's:\n%s\nwant:\n%s", body, want)
			}
			var res analyzer.Answer
			if err := json.Unmarshal(body, &res); err != nil {
				t.Fatal(err)
			}
			if res.Found() != tc.found {
				t.Fatalf("NetworkPathFound = %v, want %v:\n%s", res.Found(), tc.found, body)
			}
			if tc.found {
				if len(res.ForwardPathComponents) == 0 || len(res.ReturnPathComponents) == 0 || len(res.Explanations) != 0 {
					t.Errorf("a path found has both ways and no explanation:\n%s", body)
				}
				return
			}
			if len(res.Explanations) == 0 || aws.ToString(res.Explanations[0].ExplanationCode) != string(tc.code) {
				t.Fatalf("want explanation %s:\n%s", tc.code, body)
			}
			why := analyzer.Answer{Explanations: res.Explanations}.JSON()
			for _, m := range tc.mentions {
				if !strings.Contains(string(why), m) {
					t.Errorf("the explanation does not name %s:\n%s", m, why)
				}
			}
		})
	}
}

// TestAnalyzeCaller: the endpoint answers for the account and region the
// request is signed for, and for 000000000000 in us-east-1 unsigned, as
// the AWS API does.
func TestAnalyzeCaller(t *testing.T) {
	e := emulatortest.Start(t)
	n := analyzertest.Build(t, emulatortest.EC2(e, emulatortest.AccountA, "us-east-1"))
	def := analyzertest.Build(t, emulatortest.EC2(e, "000000000000", "us-east-1"))
	cases := []struct {
		name            string
		account, region string
		from, to        string
		found           bool
	}{
		{"owner", emulatortest.AccountA, "us-east-1", n.Client, n.Web, true},
		{"other region", emulatortest.AccountA, "us-west-2", n.Client, n.Web, false},
		{"other account", emulatortest.AccountB, "us-east-1", n.Client, n.Web, false},
		{"unsigned: the default account", "", "", def.Client, def.Web, true},
		{"unsigned does not see account A", "", "", n.Client, n.Web, false},
		{"an access key that names no account", "AKIDEXAMPLE", "us-east-1", def.Client, def.Web, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body, err := client(e, tc.account, tc.region).Analyze(t.Context(), analyzer.Request{From: tc.from, To: tc.to, Port: 443})
			if err != nil {
				t.Fatal(err)
			}
			var res analyzer.Answer
			if err := json.Unmarshal(body, &res); err != nil {
				t.Fatal(err)
			}
			if res.Found() != tc.found {
				t.Errorf("NetworkPathFound = %v, want %v:\n%s", res.Found(), tc.found, body)
			}
			if !tc.found && aws.ToString(res.Explanations[0].ExplanationCode) != string(reach.NoSourceOrDestination) {
				t.Errorf("want %s:\n%s", reach.NoSourceOrDestination, body)
			}
		})
	}
}

// TestAnswerRoundTrip: an Answer reads back from what the endpoint sends,
// member for member.
func TestAnswerRoundTrip(t *testing.T) {
	e := emulatortest.Start(t)
	n := analyzertest.Build(t, emulatortest.EC2(e, emulatortest.AccountA, "us-east-1"))
	who := cloud.Caller{Account: emulatortest.AccountA, Region: "us-east-1"}
	for _, q := range []reach.Query{
		{Source: n.Client, Destination: n.Web, Protocol: reach.TCP, DestinationPort: 443},
		{Source: n.Client, Destination: n.Web, Protocol: reach.TCP, DestinationPort: 22},
		{Source: n.Client, Destination: n.Vault, Protocol: reach.ICMP},
	} {
		res, err := analyzer.Analyze(t.Context(), e.Cloud, who, q)
		if err != nil {
			t.Fatal(err)
		}
		want := analyzer.AnswerOf(res)
		var got analyzer.Answer
		if err := json.Unmarshal(want.JSON(), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%+v: read back\n%+v\nwant\n%+v", q, got, want)
		}
	}
}

func TestAnalyzeBadInput(t *testing.T) {
	e := emulatortest.Start(t)
	post := func(method, body string) (*http.Response, analyzer.Error) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), method, e.URL()+analyzer.Path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out analyzer.Error
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatalf("the answer is not a JSON error: %v", err)
		}
		return resp, out
	}
	const inst = "i-0123456789abcdef0"
	cases := []struct {
		name, body string
		code, msg  string
	}{
		{"no source", `{}`, "MissingParameter", "The request must contain the parameter from"},
		{"no destination", `{"from":"` + inst + `"}`, "MissingParameter", "The request must contain the parameter to"},
		{"source neither id nor address", `{"from":"web","to":"` + inst + `"}`, "InvalidParameterValue",
			"Value (web) for parameter from is invalid. Expected a resource id, an ARN or an IP address."},
		{"source a DNS name", `{"from":"web.example.com","to":"` + inst + `"}`, "InvalidParameterValue", "parameter from is invalid"},
		{"destination neither", `{"from":"` + inst + `","to":"10.0.0"}`, "InvalidParameterValue",
			"Value (10.0.0) for parameter to is invalid. Expected a resource id, an ARN, an IP address or a DNS name."},
		{"bad ARN", `{"from":"arn:aws:ec2","to":"` + inst + `"}`, "InvalidParameterValue", "This is not a valid ARN."},
		{"ARN without an id", `{"from":"arn:aws:s3:::bucket","to":"` + inst + `"}`, "InvalidParameterValue", "The ARN names no resource id."},
		{"a filter that is no ARN", `{"from":"` + inst + `","to":"10.0.0.1","avoid":["nat-01234567"]}`, "InvalidParameterValue", "Value (nat-01234567) for parameter avoid is invalid."},
		{"protocol", `{"from":"` + inst + `","to":"10.0.0.1","protocol":"sctp"}`, "InvalidParameterValue",
			"Value (sctp) for parameter protocol is invalid. Valid values: tcp, udp, icmp."},
		{"port too high", `{"from":"` + inst + `","to":"10.0.0.1","port":65536}`, "InvalidParameterValue", "Value (65536) for parameter port is invalid."},
		{"negative port", `{"from":"` + inst + `","to":"10.0.0.1","port":-1}`, "InvalidParameterValue", "parameter port"},
		{"port with icmp", `{"from":"` + inst + `","to":"10.0.0.1","port":8,"protocol":"icmp"}`, "InvalidParameterCombination", "port cannot be used with protocol icmp"},
		{"resource without action", `{"from":"` + inst + `","to":"10.0.0.1","resource":"arn:aws:s3:::b/k"}`, "InvalidParameterCombination", "require the parameter action"},
		{"source address", `{"from":"` + inst + `","to":"10.0.0.1","sourceIp":"nope"}`, "InvalidParameterValue", "Value (nope) for parameter sourceIp is invalid."},
		{"destination address", `{"from":"` + inst + `","to":"` + inst + `","destinationIp":"10.0.0.300"}`, "InvalidParameterValue", "parameter destinationIp"},
		{"addresses disagree", `{"from":"10.0.1.4","to":"` + inst + `","sourceIp":"10.0.1.5"}`, "InvalidParameterCombination", "differs from the address"},
		{"via not a VIF", `{"from":"192.168.1.10","via":"vgw-01234567","to":"` + inst + `"}`, "InvalidParameterValue", "Value (vgw-01234567) for parameter via is invalid."},
		{"via with no address", `{"from":"` + inst + `","via":"dxvif-01234567","to":"` + inst + `"}`, "InvalidParameterCombination", "via requires from or to to be an IP address"},
		{"unknown member", `{"form":"` + inst + `","to":"10.0.0.1"}`, "UnknownParameter", "The parameter form is not recognized"},
		{"not JSON", `from=i-1`, "SerializationException", ""},
		{"port as a string", `{"from":"` + inst + `","to":"10.0.0.1","port":"443"}`, "SerializationException", ""},
		{"two objects", `{"from":"` + inst + `","to":"10.0.0.1"} {}`, "SerializationException", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, got := post(http.MethodPost, tc.body)
			if resp.StatusCode != http.StatusBadRequest || got.Code != tc.code || !strings.Contains(got.Message, tc.msg) {
				t.Errorf("%s %+v, want 400 %s %q", resp.Status, got, tc.code, tc.msg)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
	t.Run("GET", func(t *testing.T) {
		resp, got := post(http.MethodGet, "")
		if resp.StatusCode != http.StatusMethodNotAllowed || got.Code != "MethodNotAllowed" || resp.Header.Get("Allow") != http.MethodPost {
			t.Errorf("%s %+v", resp.Status, got)
		}
	})
	t.Run("refusal through the client", func(t *testing.T) {
		_, err := client(e, "", "").Analyze(t.Context(), analyzer.Request{From: inst})
		var refused *analyzer.Error
		if !errors.As(err, &refused) || refused.Code != "MissingParameter" {
			t.Errorf("got %v, want a MissingParameter *analyzer.Error", err)
		}
	})
}
