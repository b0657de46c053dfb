package query_test

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/api/elbv2api"
	"github.com/vpcemu/vpcemu/internal/api/stsapi"
	"github.com/vpcemu/vpcemu/internal/awsproto/codectest"
	"github.com/vpcemu/vpcemu/internal/awsproto/query"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// service is one of the query family's services in the round trip.
type service = codectest.Service

var services = []service{
	{Name: "ec2", Spec: ec2api.Spec, Codec: query.EC2, Handler: reflect.TypeFor[ec2api.Handler](), Client: func(endpoint string) any {
		return ec2.NewFromConfig(emulatortest.Config(endpoint, emulatortest.AccountA, "us-east-1"))
	}},
	{Name: "elbv2", Spec: elbv2api.Spec, Codec: query.Query, Handler: reflect.TypeFor[elbv2api.Handler](), Client: func(endpoint string) any {
		return elbv2.NewFromConfig(emulatortest.Config(endpoint, emulatortest.AccountA, "us-east-1"))
	}},
	{Name: "sts", Spec: stsapi.Spec, Codec: query.Query, Handler: reflect.TypeFor[stsapi.Handler](), Client: func(endpoint string) any {
		return sts.NewFromConfig(emulatortest.Config(endpoint, emulatortest.AccountA, "us-east-1"))
	}},
}

// TestRoundTrip sends every operation we implement through aws-sdk-go-v2
// and checks that our codec decodes exactly what the SDK was given and that
// the SDK reads back exactly what we encoded. The fillers fill every member
// with lists of two; every member with empty lists (the query SDKs send
// them as "Name=", the EC2 one leaves them out); only the required members.
func TestRoundTrip(t *testing.T) { codectest.RoundTripAll(t, services) }

// TestRoundTripCoverage checks that the round trip leaves none of our
// members out: each must have a namesake in the SDK's shape to be compared.
func TestRoundTripCoverage(t *testing.T) { codectest.Coverage(t, services) }
