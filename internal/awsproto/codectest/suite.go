package codectest

import (
	"reflect"
	"testing"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// RoundTripAll sends every operation the services implement through
// aws-sdk-go-v2, with each filler (every member with lists of two, every
// member with empty lists, only the required members), and checks that the
// codec decodes exactly what the SDK was given and that the SDK reads back
// exactly what the codec encoded.
func RoundTripAll(t *testing.T, services []Service) {
	for _, svc := range services {
		for _, op := range Operations(svc.Spec) {
			for _, fl := range Fillers {
				t.Run(svc.Name+"/"+op+"/"+fl.Name, func(t *testing.T) {
					t.Parallel()
					RoundTrip(t, NewCall(t, svc, op, fl.F))
				})
			}
		}
	}
}

// Coverage checks that the round trip leaves none of the services'
// members out: the SDK's client has each operation, and each member of our
// input and output has a namesake in the SDK's shape to be compared.
func Coverage(t *testing.T, services []Service) {
	for _, svc := range services {
		client := reflect.TypeOf(svc.Client("http://127.0.0.1"))
		for _, op := range Operations(svc.Spec) {
			method, ok := client.MethodByName(op)
			if !ok {
				t.Errorf("%s: the SDK client has no %s", svc.Name, op)
				continue
			}
			handler, _ := svc.Handler.MethodByName(op)
			ourIn := reflect.TypeOf(svc.Spec.Operations[op].NewInput())
			for _, miss := range Unmatched(op+"Input", awsproto.StructOf(ourIn), method.Type.In(2).Elem(), map[reflect.Type]bool{}) {
				t.Errorf("%s/%s: the SDK has no member %s", svc.Name, op, miss)
			}
			for _, miss := range Unmatched(op+"Output", awsproto.StructOf(handler.Type.Out(0)), method.Type.Out(0).Elem(), map[reflect.Type]bool{}) {
				t.Errorf("%s/%s: the SDK has no member %s", svc.Name, op, miss)
			}
		}
	}
}
