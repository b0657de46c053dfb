package restxml_test

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/api/route53api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/restxml"
)

// TestDecode checks routing by method and URI template and the refusals
// of requests no SDK sends.
func TestDecode(t *testing.T) {
	const ns = `xmlns="https://route53.amazonaws.com/doc/2013-04-01/"`
	tests := []struct {
		name, method, target, body string
		wantOp, wantCode           string
		wantStatus                 int
		check                      func(t *testing.T, in any)
	}{
		{name: "label", method: "GET", target: "/2013-04-01/hostedzone/Z123", wantOp: "GetHostedZone", check: func(t *testing.T, in any) {
			if got := *in.(*route53api.GetHostedZoneInput).Id; got != "Z123" {
				t.Errorf("Id = %q", got)
			}
		}},
		{name: "escaped label", method: "GET", target: "/2013-04-01/tags/hostedzone/Z%2F1", wantOp: "ListTagsForResource", check: func(t *testing.T, in any) {
			if got := *in.(*route53api.ListTagsForResourceInput).ResourceId; got != "Z/1" {
				t.Errorf("ResourceId = %q", got)
			}
		}},
		{name: "trailing slash and query", method: "GET", target: "/2013-04-01/hostedzone/Z1/rrset/?name=a.example.com.&type=TXT&maxitems=5", wantOp: "ListResourceRecordSets", check: func(t *testing.T, in any) {
			i := in.(*route53api.ListResourceRecordSetsInput)
			if *i.StartRecordName != "a.example.com." || *i.StartRecordType != "TXT" || *i.MaxItems != "5" {
				t.Errorf("input = %+v", i)
			}
		}},
		{name: "body", method: "POST", target: "/2013-04-01/hostedzone", body: `<CreateHostedZoneRequest ` + ns + `><Name>example.com</Name><CallerReference>r1</CallerReference><HostedZoneConfig><PrivateZone>true</PrivateZone></HostedZoneConfig></CreateHostedZoneRequest>`, wantOp: "CreateHostedZone", check: func(t *testing.T, in any) {
			i := in.(*route53api.CreateHostedZoneInput)
			if *i.Name != "example.com" || *i.CallerReference != "r1" || !*i.HostedZoneConfig.PrivateZone {
				t.Errorf("input = %+v", i)
			}
		}},
		{name: "a model operation vpcemu does not serve", method: "GET", target: "/2013-04-01/healthcheck", wantCode: "UnsupportedOperation", wantStatus: 400},
		{name: "unknown path", method: "GET", target: "/2013-04-01/nothing/here", wantCode: "UnknownOperationException", wantStatus: 404},
		{name: "wrong method", method: "PUT", target: "/2013-04-01/hostedzone/Z1", wantCode: "UnknownOperationException", wantStatus: 404},
		{name: "missing member", method: "POST", target: "/2013-04-01/hostedzone", body: `<CreateHostedZoneRequest ` + ns + `><Name>example.com</Name></CreateHostedZoneRequest>`, wantCode: "InvalidInput", wantStatus: 400},
		{name: "label too long", method: "GET", target: "/2013-04-01/hostedzone/" + strings.Repeat("Z", 33), wantCode: "InvalidInput", wantStatus: 400},
		{name: "not XML", method: "POST", target: "/2013-04-01/hostedzone", body: `<CreateHostedZoneRequest><Name>`, wantCode: "InvalidInput", wantStatus: 400},
		{name: "wrong root", method: "POST", target: "/2013-04-01/hostedzone", body: `<Other/>`, wantCode: "InvalidInput", wantStatus: 400},
		{name: "wrong type", method: "POST", target: "/2013-04-01/hostedzone/Z1/rrset/", body: `<ChangeResourceRecordSetsRequest><ChangeBatch><Changes><Change><Action>CREATE</Action><ResourceRecordSet><Name>a</Name><Type>A</Type><TTL>ten</TTL></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`, wantCode: "InvalidInput", wantStatus: 400},
		{name: "bad query", method: "GET", target: "/2013-04-01/hostedzone?maxitems=%zz", wantCode: "InvalidInput", wantStatus: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			op, in, err := restxml.RestXML.Decode(r, []byte(tt.body), route53api.Spec)
			if tt.wantCode != "" {
				e, ok := err.(*awsproto.Error)
				if !ok || e.Code != tt.wantCode {
					t.Fatalf("err = %v, want %s", err, tt.wantCode)
				}
				rec := httptest.NewRecorder()
				restxml.RestXML.EncodeError(rec, route53api.Spec, e, "req-1")
				if rec.Code != tt.wantStatus {
					t.Errorf("status %d, want %d", rec.Code, tt.wantStatus)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if op.Name != tt.wantOp {
				t.Fatalf("op = %s, want %s", op.Name, tt.wantOp)
			}
			tt.check(t, in)
		})
	}
}

// TestEncodeError checks the envelopes and the model's status codes.
func TestEncodeError(t *testing.T) {
	tests := []struct {
		err        *awsproto.Error
		wantStatus int
		wantBody   string
	}{
		{awsproto.Errorf("NoSuchHostedZone", "No hosted zone found with ID: Z1"), http.StatusNotFound,
			`<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: Z1</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`},
		{awsproto.Errorf("HostedZoneAlreadyExists", "x"), http.StatusConflict, `<Code>HostedZoneAlreadyExists</Code>`},
		{awsproto.Errorf("NotAuthorizedException", "x"), http.StatusUnauthorized, `<Code>NotAuthorizedException</Code>`},
		{&awsproto.Error{Code: "InvalidChangeBatch", Status: 400, Messages: []string{"a & b", "c"}}, http.StatusBadRequest,
			`<Code>InvalidChangeBatch</Code><Message>[a &amp; b, c]</Message>`},
		{&awsproto.Error{Code: "InternalError", Message: "x", Status: 500}, 500, `<Type>Receiver</Type>`},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		restxml.RestXML.EncodeError(rec, route53api.Spec, tt.err, "req-1")
		if rec.Code != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", tt.err.Code, rec.Code, tt.wantStatus)
		}
		if !strings.Contains(rec.Body.String(), tt.wantBody) {
			t.Errorf("%s: body %s lacks %s", tt.err.Code, rec.Body, tt.wantBody)
		}
		if err := xml.Unmarshal(rec.Body.Bytes(), new(struct{})); err != nil {
			t.Errorf("%s: body does not parse: %v", tt.err.Code, err)
		}
	}
}
