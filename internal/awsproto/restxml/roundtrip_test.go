package restxml_test

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/vpcemu/vpcemu/internal/api/route53api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/codectest"
	"github.com/vpcemu/vpcemu/internal/awsproto/restxml"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// services are the rest-xml protocol's services in the round trip.
var services = []codectest.Service{
	{Name: "route53", Spec: route53api.Spec, Codec: restxml.RestXML, Handler: reflect.TypeFor[route53api.Handler](), Client: func(endpoint string) any {
		return route53.NewFromConfig(emulatortest.Config(endpoint, emulatortest.AccountA, "us-east-1"))
	}},
}

// TestRoundTrip sends every listed operation through aws-sdk-go-v2 and
// checks that our codec decodes exactly what the SDK was given (labels,
// query strings, headers and XML bodies) and that the SDK reads back
// exactly what we encoded: every member with lists of two, with empty
// lists, and only the required members.
func TestRoundTrip(t *testing.T) {
	for _, svc := range services {
		for _, op := range codectest.Operations(svc.Spec) {
			for _, fl := range codectest.Fillers {
				t.Run(svc.Name+"/"+op+"/"+fl.Name, func(t *testing.T) {
					t.Parallel()
					codectest.RoundTrip(t, codectest.NewCall(t, svc, op, fl.F))
				})
			}
		}
	}
}

// TestRoundTripCoverage checks that the round trip leaves none of our
// members out: each must have a namesake in the SDK's shape to be compared.
func TestRoundTripCoverage(t *testing.T) {
	for _, svc := range services {
		client := reflect.TypeOf(svc.Client("http://127.0.0.1"))
		for _, op := range codectest.Operations(svc.Spec) {
			method, ok := client.MethodByName(op)
			if !ok {
				t.Errorf("%s: the SDK client has no %s", svc.Name, op)
				continue
			}
			handler, _ := svc.Handler.MethodByName(op)
			ourIn := reflect.TypeOf(svc.Spec.Operations[op].NewInput())
			for _, miss := range codectest.Unmatched(op+"Input", awsproto.StructOf(ourIn), method.Type.In(2).Elem(), map[reflect.Type]bool{}) {
				t.Errorf("%s/%s: the SDK has no member %s", svc.Name, op, miss)
			}
			for _, miss := range codectest.Unmatched(op+"Output", awsproto.StructOf(handler.Type.Out(0)), method.Type.Out(0).Elem(), map[reflect.Type]bool{}) {
				t.Errorf("%s/%s: the SDK has no member %s", svc.Name, op, miss)
			}
		}
	}
}
