package awsjson_test

import (
	"encoding/json"
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
	``, `null`, `[]`, `"x"`, `1`, `{}{}`, `{"a":1}x`,
	`{"connectionId":{"$ref":1}}`,
	`{"tags":[null,{"key":null},{"key":{}}]}`,
	`{"newBGPPeer":{"asn":9999999999999999999999,"asnLong":-1e400}}`,
	`{"vlan":1e2,"asn":"1","mtu":-0,"numberOfConnections":1.0}`,
	`{"loaContentType":"\ud800","connectionName":"\u0000"}`,
	strings.Repeat(`{"newPrivateVirtualInterface":`, 200) + `{}` + strings.Repeat(`}`, 200),
	strings.Repeat(`[`, 10000) + strings.Repeat(`]`, 10000),
	`{"addAllowedPrefixesToDirectConnectGateway":[{"cidr":"10.0.0.0/16"},[],1]}`,
	"{\"connectionId\":\"dxcon-1\"\xff}",
}

// FuzzDecode feeds arbitrary bodies to Decode for every listed Direct
// Connect operation: seeded with what the SDK sends for each and with
// trickyBodies. Whatever the body, Decode answers without panicking, the
// same way twice, with either an input or a 400 whose JSON envelope parses.
func FuzzDecode(f *testing.F) {
	svc := services[0]
	ops := codectest.Operations(svc.Spec)
	for i, op := range ops {
		for _, fl := range codectest.Fillers {
			got, _, _ := codectest.NewCall(f, svc, op, fl.F).Run(f)
			f.Add(uint16(i), got.Body)
		}
	}
	for _, body := range trickyBodies {
		f.Add(uint16(len(ops)-1), []byte(body))
	}
	f.Fuzz(func(t *testing.T, opIndex uint16, body []byte) {
		op := ops[int(opIndex)%len(ops)]
		o, in, err := decodeBody(svc, op, body)
		o2, in2, err2 := decodeBody(svc, op, body)
		if !reflect.DeepEqual(in, in2) || !reflect.DeepEqual(err, err2) || o != o2 {
			t.Fatalf("two decodings differ:\n%#v %v\n%#v %v", in, err, in2, err2)
		}
		if err != nil {
			checkRefusal(t, svc, err)
			return
		}
		if o.Name != op {
			t.Fatalf("decoded operation %s, want %s", o.Name, op)
		}
	})
}

func decodeBody(svc codectest.Service, op string, body []byte) (*awsproto.Operation, any, error) {
	r := httptest.NewRequest("POST", "/", nil)
	r.Header.Set("X-Amz-Target", svc.Spec.TargetPrefix+"."+op)
	return svc.Codec.Decode(r, body, svc.Spec)
}

// checkRefusal checks that err is a client error whose envelope parses to
// the same code and message.
func checkRefusal(t *testing.T, svc codectest.Service, err error) {
	t.Helper()
	var e *awsproto.Error
	if !errors.As(err, &e) || e.Status != 400 || e.Code == "" || e.Message == "" {
		t.Fatalf("refusal %#v is not a client error", err)
	}
	rec := httptest.NewRecorder()
	svc.Codec.EncodeError(rec, svc.Spec, e, "req-1")
	var env struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		t.Fatalf("error envelope %q: %v", rec.Body.String(), err)
	}
	if env.Type != e.Code || env.Message == "" {
		t.Fatalf("envelope %+v for %v", env, e)
	}
}
