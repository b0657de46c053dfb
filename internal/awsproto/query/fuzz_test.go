package query_test

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/codectest"
)

// FuzzDecodeEC2 feeds arbitrary bodies to the ec2 dialect's Decode.
func FuzzDecodeEC2(f *testing.F) { fuzzDecode(f, services[0]) }

// FuzzDecodeQuery feeds arbitrary bodies to the query dialect's Decode.
func FuzzDecodeQuery(f *testing.F) { fuzzDecode(f, services[1]) }

// trickyBodies are seeds that go where SDKs never do.
var trickyBodies = []string{
	"Filter.99999999.Name=x",
	"Filter.4294967295.Name=x&Filter.1.Name=y",
	"Filter.18446744073709551616.Value.1=x",
	"Filter.-1.Name=x&Filter.0.Name=x&Filter.01.Name=x&Filter.%2B1.Name=x",
	"Filter.1.Value.99999999=x&Filter.1.Value=",
	strings.Repeat("Filter.1.", 20) + "Name=x",
	strings.Repeat("a.", 31) + "a=1",
	strings.Repeat("member.1.", 10) + "=1",
	"%zz=1&Name=%",
	"Name=%e0%80%af&%ff%fe=%c0",
	"\xff\xfe=\x00\x01",
	"DryRun=true&DryRun=false&DryRun.1=true",
	"=x&&=&.=.&..=&Filter..Name=",
	"Filter=&Filter.1=&Filter.1.Name=&Filter.1.Value=",
	"Filter=x&Tags=y&Tags.member.1.Key=k",
	"MaxResults=99999999999999999999&MaxResults=-1",
	"DryRun=yes&MinCount=1e3&MaxCount= 5",
	"Tags.member.1.Key=k&Tags.member.1.Value=v&Tags.member.1.Value.x=v",
	"PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fp&PolicyArns.member.1=",
	"Action=Other&Version=2016-11-15&Action=Again",
	"a;b=c;d",
}

// fuzzDecode seeds the fuzzer with the bodies the SDK sends for every
// operation of svc and with trickyBodies, then checks that whatever the body,
// Decode answers without panicking, with either an input whose lists hold no
// more items than the body has bytes, or a client error whose
// envelope is well-formed XML. Each input is decoded twice: the answer must
// not depend on map order.
func fuzzDecode(f *testing.F, svc service) {
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
		// The operation's own Action comes first, and the first wins.
		body = append([]byte("Action="+op+"&"), body...)
		o, in, err := decodeBody(svc, body)
		o2, in2, err2 := decodeBody(svc, body)
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
		// Each item is a distinct index in some parameter's name: bodies
		// cannot buy more items than they have bytes.
		if n := items(reflect.ValueOf(in)); n > len(body) {
			t.Fatalf("%d list items from %d bytes", n, len(body))
		}
	})
}

func decodeBody(svc service, body []byte) (*awsproto.Operation, any, error) {
	return svc.Codec.Decode(httptest.NewRequest("POST", "/", nil), body, svc.Spec)
}

// checkRefusal checks that err is a client error whose envelope parses.
func checkRefusal(t *testing.T, svc service, err error) {
	t.Helper()
	var e *awsproto.Error
	if !errors.As(err, &e) || e.Status != 400 || e.Code == "" || e.Message == "" {
		t.Fatalf("refusal %#v is not a client error", err)
	}
	rec := httptest.NewRecorder()
	svc.Codec.EncodeError(rec, svc.Spec, e, "req-1")
	d := xml.NewDecoder(rec.Body)
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("error envelope %q: %v", rec.Body.String(), err)
		}
	}
}

// items counts the list items and map entries in a decoded value.
func items(v reflect.Value) int {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 0
		}
		return items(v.Elem())
	case reflect.Struct:
		n := 0
		for i := range v.NumField() {
			n += items(v.Field(i))
		}
		return n
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return 0
		}
		n := v.Len()
		for i := range v.Len() {
			n += items(v.Index(i))
		}
		return n
	case reflect.Map:
		n := v.Len()
		for it := v.MapRange(); it.Next(); {
			n += items(it.Value())
		}
		return n
	}
	return 0
}
