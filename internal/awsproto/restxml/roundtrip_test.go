package restxml_test

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/vpcemu/vpcemu/internal/api/route53api"
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
func TestRoundTrip(t *testing.T) { codectest.RoundTripAll(t, services) }

// TestRoundTripCoverage checks that the round trip leaves none of our
// members out: each must have a namesake in the SDK's shape to be compared.
func TestRoundTripCoverage(t *testing.T) { codectest.Coverage(t, services) }
