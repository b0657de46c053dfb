package awsjson_test

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"

	"github.com/vpcemu/vpcemu/internal/api/directconnectapi"
	"github.com/vpcemu/vpcemu/internal/api/logsapi"
	"github.com/vpcemu/vpcemu/internal/awsproto/awsjson"
	"github.com/vpcemu/vpcemu/internal/awsproto/codectest"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// services are the json protocol's services in the round trip.
var services = []codectest.Service{
	{Name: "directconnect", Spec: directconnectapi.Spec, Codec: awsjson.JSON, Handler: reflect.TypeFor[directconnectapi.Handler](), Client: func(endpoint string) any {
		return directconnect.NewFromConfig(emulatortest.Config(endpoint, emulatortest.AccountA, "us-east-1"))
	}},
	{Name: "logs", Spec: logsapi.Spec, Codec: awsjson.JSON, Handler: reflect.TypeFor[logsapi.Handler](), Client: func(endpoint string) any {
		return cloudwatchlogs.NewFromConfig(emulatortest.Config(endpoint, emulatortest.AccountA, "us-east-1"))
	}},
}

// TestRoundTrip sends every listed operation through aws-sdk-go-v2 and
// checks that our codec decodes exactly what the SDK was given and that the
// SDK reads back exactly what we encoded: every member with lists of two,
// with empty lists, and only the required members.
func TestRoundTrip(t *testing.T) { codectest.RoundTripAll(t, services) }

// TestRoundTripCoverage checks that the round trip leaves none of our
// members out: each must have a namesake in the SDK's shape to be compared.
func TestRoundTripCoverage(t *testing.T) { codectest.Coverage(t, services) }
