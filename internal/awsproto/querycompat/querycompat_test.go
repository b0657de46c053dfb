package querycompat_test

import (
	"net/http/httptest"
	"testing"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/awsjson"
	"github.com/vpcemu/vpcemu/internal/awsproto/query"
	"github.com/vpcemu/vpcemu/internal/awsproto/querycompat"
	"github.com/vpcemu/vpcemu/internal/awsproto/rpcv2cbor"
)

// TestFor: each request is answered in the protocol it speaks.
func TestFor(t *testing.T) {
	tests := []struct {
		name    string
		headers map[string]string
		want    awsproto.Codec
	}{
		{"aws-sdk-go-v2", map[string]string{"Smithy-Protocol": "rpc-v2-cbor"}, rpcv2cbor.CBOR},
		{"botocore", map[string]string{"X-Amz-Target": "GraniteServiceVersion20100801.ListMetrics", "X-Amzn-Query-Mode": "true"}, awsjson.JSON},
		{"query form", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, query.Query},
	}
	for _, tc := range tests {
		r := httptest.NewRequest("POST", "/", nil)
		for k, v := range tc.headers {
			r.Header.Set(k, v)
		}
		if got := querycompat.QueryCompatible.For(r); got != tc.want {
			t.Errorf("%s: %T, want %T", tc.name, got, tc.want)
		}
	}
}
