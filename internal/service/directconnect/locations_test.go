package directconnect_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

func TestDescribeLocations(t *testing.T) {
	e := emulatortest.Start(t)
	tests := []struct {
		region string
		codes  []string
	}{
		{"us-east-1", []string{"EqDC2", "CS32A-24FL"}},
		{"eu-central-1", nil}, // a region without a location in the catalogue
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			out, err := emulatortest.DirectConnect(e, emulatortest.AccountA, tt.region).DescribeLocations(context.Background(), &directconnect.DescribeLocationsInput{})
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, l := range out.Locations {
				codes = append(codes, aws.ToString(l.LocationCode))
				if aws.ToString(l.Region) != tt.region || aws.ToString(l.LocationName) == "" {
					t.Errorf("location %+v", l)
				}
			}
			if !slices.Equal(codes, tt.codes) || out.Locations == nil {
				t.Errorf("locations %v (%#v), want %v", codes, out.Locations, tt.codes)
			}
		})
	}
	out, _ := emulatortest.DirectConnect(e, emulatortest.AccountA, "us-east-1").DescribeLocations(context.Background(), &directconnect.DescribeLocationsInput{})
	if dc2 := locationByCode(out.Locations, "EqDC2"); dc2 == nil ||
		!slices.Equal(dc2.AvailablePortSpeeds, []string{"1Gbps", "10Gbps", "100Gbps", "400Gbps"}) {
		t.Errorf("EqDC2: %+v", dc2)
	}
}

func locationByCode(ls []types.Location, code string) *types.Location {
	for i := range ls {
		if aws.ToString(ls[i].LocationCode) == code {
			return &ls[i]
		}
	}
	return nil
}

// TestUnsupportedOperations: model operations vpcemu does not list answer
// UnsupportedOperation, a 400 naming them, and the SDK does not retry them.
func TestUnsupportedOperations(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.DirectConnect(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	calls := map[string]func() error{
		"DescribeHostedConnections": func() error { // in the model, not listed
			_, err := c.DescribeHostedConnections(ctx, &directconnect.DescribeHostedConnectionsInput{ConnectionId: aws.String("dxcon-12345678")})
			return err
		},
		"DescribeInterconnects": func() error { // in the model, not listed
			_, err := c.DescribeInterconnects(ctx, &directconnect.DescribeInterconnectsInput{})
			return err
		},
	}
	for op, call := range calls {
		t.Run(op, func(t *testing.T) {
			err := call()
			code, msg := emulatortest.APIError(err)
			if code != "UnsupportedOperation" || msg != "vpcemu does not implement directconnect:"+op+" yet." {
				t.Errorf("got %s %q (%v)", code, msg, err)
			}
			var re *awshttp.ResponseError
			if !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusBadRequest || re.ServiceRequestID() == "" {
				t.Errorf("response %v, want a 400 with a request id", err)
			}
		})
	}
}
