package restxml_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/codectest"
)

// trickyBodies are seeds that go where SDKs never do.
var trickyBodies = []string{
	``, `<`, `<a/><b/>`, `text<a/>`, `<?xml version="1.0"?>`,
	`<ChangeResourceRecordSetsRequest><ChangeBatch><Changes><Change/><Change><ResourceRecordSet><TTL>-1</TTL><Weight>99999999999999999999</Weight></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`,
	`<ChangeTagsForResourceRequest><AddTags><Tag><Key>&#0;</Key></Tag></AddTags></ChangeTagsForResourceRequest>`,
	strings.Repeat(`<ChangeBatch>`, 200) + strings.Repeat(`</ChangeBatch>`, 200),
	`<CreateHostedZoneRequest xmlns="x"><Name>a</Name><Name>b</Name><HostedZoneConfig><PrivateZone>maybe</PrivateZone></HostedZoneConfig></CreateHostedZoneRequest>`,
	"<CreateHostedZoneRequest><Name>\xff</Name></CreateHostedZoneRequest>",
	`<!DOCTYPE x [<!ENTITY e "ee">]><CreateHostedZoneRequest><Name>&e;</Name></CreateHostedZoneRequest>`,
}

// trickyTargets are paths and query strings SDKs never send.
var trickyTargets = []string{"/", "/2013-04-01/hostedzone/%", "/2013-04-01//hostedzone", "/2013-04-01/hostedzone/%2F/rrset?maxitems=x&name=%ff", "/2013-04-01/tags/a/b/c"}

// FuzzDecode feeds arbitrary methods, paths and bodies to Decode: seeded
// with what the SDK sends for every listed Route 53 operation and with the
// tricky seeds above. Whatever the request, Decode answers without
// panicking, the same way twice, with either an input or a 4xx whose XML
// envelope parses.
func FuzzDecode(f *testing.F) {
	svc := services[0]
	ops := codectest.Operations(svc.Spec)
	for _, op := range ops {
		o := svc.Spec.Operations[op]
		for _, fl := range codectest.Fillers {
			got, _, _ := codectest.NewCall(f, svc, op, fl.F).Run(f)
			f.Add(o.Method, strings.ReplaceAll(o.RequestURI, "{Id}", "Z1"), got.Body)
		}
	}
	for _, body := range trickyBodies {
		f.Add("POST", "/2013-04-01/hostedzone", []byte(body))
		f.Add("POST", "/2013-04-01/hostedzone/Z1/rrset/", []byte(body))
	}
	for _, target := range trickyTargets {
		f.Add("GET", target, []byte(nil))
	}
	f.Fuzz(func(t *testing.T, method, target string, body []byte) {
		if !strings.HasPrefix(target, "/") || strings.ContainsAny(target, " \r\n\t#") || method == "" || strings.ContainsAny(method, " \r\n\t/") {
			return // not a request line httptest can build
		}
		o, in, err := decode(svc, method, target, body)
		o2, in2, err2 := decode(svc, method, target, body)
		if !reflect.DeepEqual(in, in2) || !reflect.DeepEqual(err, err2) || o != o2 {
			t.Fatalf("two decodings differ:\n%#v %v\n%#v %v", in, err, in2, err2)
		}
		if err != nil {
			checkRefusal(t, svc, err)
		}
	})
}

func decode(svc codectest.Service, method, target string, body []byte) (op *awsproto.Operation, in any, err error) {
	defer func() {
		if p := recover(); p != nil && op == nil && in == nil && err == nil {
			// httptest.NewRequest panics on targets net/http would refuse
			// before any codec sees them.
			err = errSkipped
		}
	}()
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	return svc.Codec.Decode(r, body, svc.Spec)
}

var errSkipped = errors.New("not a request")

// checkRefusal checks that err is a client error whose envelope parses to
// the same code.
func checkRefusal(t *testing.T, svc codectest.Service, err error) {
	t.Helper()
	if err == errSkipped {
		return
	}
	var e *awsproto.Error
	if !errors.As(err, &e) || e.Status != 400 && e.Status != 404 || e.Code == "" || e.Message == "" {
		t.Fatalf("refusal %#v is not a client error", err)
	}
	rec := httptest.NewRecorder()
	svc.Codec.EncodeError(rec, svc.Spec, e, "req-1")
	var env struct {
		Error struct {
			Code    string
			Message string
		}
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		t.Fatalf("error envelope %q: %v", rec.Body.String(), err)
	}
	if env.Error.Code != e.Code {
		t.Fatalf("envelope %+v for %v", env, e)
	}
}
