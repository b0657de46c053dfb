package query_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestErrorEnvelope checks that the SDK reads our error answers of both
// dialects, for each of our services: code, message, status and request
// id.
func TestErrorEnvelope(t *testing.T) {
	calls := map[string]func(ctx context.Context, endpoint string) error{
		"ec2": func(ctx context.Context, endpoint string) error {
			_, err := ec2.NewFromConfig(emulatortest.Config(endpoint, emulatortest.AccountA, "us-east-1")).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
			return err
		},
		"elbv2": func(ctx context.Context, endpoint string) error {
			_, err := elbv2.NewFromConfig(emulatortest.Config(endpoint, emulatortest.AccountA, "us-east-1")).DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
			return err
		},
		"sts": func(ctx context.Context, endpoint string) error {
			_, err := sts.NewFromConfig(emulatortest.Config(endpoint, emulatortest.AccountA, "us-east-1")).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			return err
		},
	}
	errs := []struct {
		name string
		err  *awsproto.Error
		kind string // the query dialect's <Type>
	}{
		{"client", awsproto.Errorf("InvalidVpcID.NotFound", "The vpc ID 'vpc-1' does not exist"), "Sender"},
		{"escaped", awsproto.Errorf("InvalidParameterValue", `Value (<a & "b">) for parameter ü is invalid.`), "Sender"},
		{"server", &awsproto.Error{Code: "InternalError", Message: "We encountered an internal error.", Status: http.StatusServiceUnavailable}, "Receiver"},
	}
	for _, svc := range services {
		for _, tt := range errs {
			t.Run(svc.Name+"/"+tt.name, func(t *testing.T) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					svc.Codec.EncodeError(w, svc.Spec, tt.err, "req-42")
				}))
				defer srv.Close()
				err := calls[svc.Name](context.Background(), srv.URL)

				var ae smithy.APIError
				if !errors.As(err, &ae) {
					t.Fatalf("got %v, want a smithy.APIError", err)
				}
				if ae.ErrorCode() != tt.err.Code || ae.ErrorMessage() != tt.err.Message {
					t.Errorf("got %s %q, want %s %q", ae.ErrorCode(), ae.ErrorMessage(), tt.err.Code, tt.err.Message)
				}
				var re *awshttp.ResponseError
				if !errors.As(err, &re) || re.ServiceRequestID() != "req-42" || re.HTTPStatusCode() != tt.err.Status {
					t.Errorf("response error %v, want request id req-42 and status %d", err, tt.err.Status)
				}
				// The SDK does not read the fault of an unmodelled error, so
				// look at the envelope.
				rec := httptest.NewRecorder()
				svc.Codec.EncodeError(rec, svc.Spec, tt.err, "req-42")
				if kind := "<Type>" + tt.kind + "</Type>"; svc.Name == "sts" && !strings.Contains(rec.Body.String(), kind) {
					t.Errorf("envelope %s lacks %s", rec.Body, kind)
				}
			})
		}
	}
}
