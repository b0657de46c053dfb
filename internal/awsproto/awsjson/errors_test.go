package awsjson_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/aws/smithy-go"

	"github.com/vpcemu/vpcemu/internal/api/directconnectapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/awsjson"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestErrorEnvelope checks that aws-sdk-go-v2 reads our json error answers:
// code, message, HTTP status and request id, and the SDK's own type for an
// error the model declares.
func TestErrorEnvelope(t *testing.T) {
	tests := []struct {
		name    string
		err     *awsproto.Error
		modeled bool // the SDK has a type for it
	}{
		{"modeled", awsproto.Errorf("DirectConnectClientException", "Could not find Connection with ID dxcon-ffffffff"), true},
		{"unsupported", awsproto.NotImplemented(directconnectapi.Spec, "CreateConnection"), false},
		{"escaped", awsproto.Errorf("ValidationException", `Value '<a & "b">' at 'ü' failed`), false},
		{"server", &awsproto.Error{Code: "InternalError", Message: "We encountered an internal error.", Status: http.StatusServiceUnavailable}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				awsjson.JSON.EncodeError(w, directconnectapi.Spec, tt.err, "req-42")
			}))
			defer srv.Close()
			client := directconnect.NewFromConfig(emulatortest.Config(srv.URL, emulatortest.AccountA, "us-east-1"), func(o *directconnect.Options) {
				o.RetryMaxAttempts = 1 // the 5xx case would be retried
			})
			_, err := client.DescribeConnections(context.Background(), &directconnect.DescribeConnectionsInput{})

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
			var ce *types.DirectConnectClientException
			if errors.As(err, &ce) != tt.modeled {
				t.Errorf("modeled error: %T, want the SDK's type: %v", ae, tt.modeled)
			}
		})
	}
}
