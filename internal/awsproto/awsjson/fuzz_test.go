package awsjson_test

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/awsjson"
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

// kindBodies seed FuzzDecodeKinds and FuzzDocument with a member of every
// kind testInput has, right and wrong: Direct Connect's operations take
// no floats, timestamps, blobs or maps, so FuzzDecode never reaches them.
var kindBodies = []string{
	`{"connectionId":"dxcon-1","vlan":4094,"asnLong":4294967294,"ratio":1.5,"small":0.25,"flag":false,` +
		`"when":1709251198.123,"iso":"2024-02-29T23:59:58.123Z","httpDate":"Thu, 29 Feb 2024 23:59:58 GMT","data":"AAH/"}`,
	`{"connectionId":"ab","ids":["a","b"],"tags":[{"key":"k","value":"v"},{"key":"k2"}],` +
		`"attrs":{"b":2,"a":1},"nested":{"key":"x","inner":{"key":"y"}},"lists":{"m":[{"key":"z"}]}}`,
	`{"connectionId":"ab","ratio":"NaN","small":"-Infinity","when":-0.5,"iso":"0001-01-01T00:00:00Z"}`,
	`{"connectionId":"ab","small":1e39,"ratio":-1e400,"when":1e20,"vlan":-0}`,
	`{"connectionId":"ab","when":"2024-01-01T00:00:00Z","iso":"yesterday","httpDate":1,"data":"!!"}`,
	`{"connectionId":"ab","attrs":{"a":null,"b":"1"},"lists":{"m":{"key":"z"}},"nested":{"inner":{"inner":{}}}}`,
	`{"connectionId":"ab","otherName":"x","Renamed":"y","connectionId":"cd"}`,
	`{"connectionId":"a\"\u00fc\n€\ud800","data":"","ids":[],"attrs":{}}`,
}

// FuzzDecodeKinds feeds arbitrary bodies to Decode for testSpec's
// operation, whose input has a member of every kind the decoder handles.
// Whatever the body, Decode answers without panicking, the same way twice,
// with either an input or a 400 whose JSON envelope parses.
func FuzzDecodeKinds(f *testing.F) {
	for _, body := range append(slices.Clone(kindBodies), trickyBodies...) {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := decode(string(body))
		in2, err2 := decode(string(body))
		if !reflect.DeepEqual(err, err2) || (in == nil) != (in2 == nil) || in != nil && string(awsjson.MarshalDocument(in)) != string(awsjson.MarshalDocument(in2)) {
			t.Fatalf("two decodings differ:\n%#v %v\n%#v %v", in, err, in2, err2)
		}
		if err != nil {
			checkRefusal(t, codectest.Service{Spec: testSpec, Codec: awsjson.JSON}, err)
		}
	})
}

// FuzzDocument feeds arbitrary documents to UnmarshalDocument: it never
// panics, and a document it reads writes out as one that reads back to the
// same document.
func FuzzDocument(f *testing.F) {
	for _, body := range append(slices.Clone(kindBodies), trickyBodies...) {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v testInput
		if err := awsjson.UnmarshalDocument(data, &v); err != nil {
			return
		}
		once := awsjson.MarshalDocument(&v)
		var back testInput
		if err := awsjson.UnmarshalDocument(once, &back); err != nil {
			t.Fatalf("%s reads as %s, which does not read back: %v", data, once, err)
		}
		if twice := awsjson.MarshalDocument(&back); string(twice) != string(once) {
			t.Fatalf("%s reads as\n%s, which reads back as\n%s", data, once, twice)
		}
	})
}
