package rpcv2cbor_test

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"

	"github.com/vpcemu/vpcemu/internal/api/cloudwatchapi"
	"github.com/vpcemu/vpcemu/internal/awsproto/codectest"
	"github.com/vpcemu/vpcemu/internal/awsproto/rpcv2cbor"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// services are rpcv2Cbor's services in the round trip.
var services = []codectest.Service{
	{Name: "cloudwatch", Spec: cloudwatchapi.Spec, Codec: rpcv2cbor.CBOR, Handler: reflect.TypeFor[cloudwatchapi.Handler](), Client: func(endpoint string) any {
		return cloudwatch.NewFromConfig(emulatortest.Config(endpoint, emulatortest.AccountA, "us-east-1"))
	}},
}

// TestRoundTrip sends every listed operation through aws-sdk-go-v2 and
// checks that the codec decodes exactly what the SDK was given and that the
// SDK reads back exactly what it encoded: every member with lists of two,
// with empty lists, and only the required members.
func TestRoundTrip(t *testing.T) { codectest.RoundTripAll(t, services) }

// TestRoundTripCoverage checks that the round trip leaves none of our
// members out: each must have a namesake in the SDK's shape to be compared.
func TestRoundTripCoverage(t *testing.T) { codectest.Coverage(t, services) }
