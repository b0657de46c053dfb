// Package querycompat serves a query service that AWS also serves, with
// AWS query compatibility, in awsJson1_0 and Smithy RPC v2 CBOR (CloudWatch
// since 2025): each client speaks its own — the aws CLI v1 of today
// (botocore) sends JSON to the X-Amz-Target GraniteServiceVersion20100801.*
// with x-amzn-query-mode, aws-sdk-go-v2 sends CBOR, older clients the query
// form — and is answered in it. The codecs are the generic ones
// (query, awsjson, rpcv2cbor); this package only chooses.
package querycompat

import (
	"net/http"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/awsjson"
	"github.com/vpcemu/vpcemu/internal/awsproto/query"
	"github.com/vpcemu/vpcemu/internal/awsproto/rpcv2cbor"
)

// Codec chooses, per request, the protocol it speaks.
type Codec struct{}

// QueryCompatible is the codec of a query-compatible service.
var QueryCompatible = Codec{}

var _ awsproto.Dialects = Codec{}

// For implements awsproto.Dialects: rpcv2Cbor when the request says so
// (Smithy-Protocol), awsJson1_0 when it names an X-Amz-Target, else the
// query form.
func (Codec) For(r *http.Request) awsproto.Codec {
	switch {
	case rpcv2cbor.Is(r):
		return rpcv2cbor.CBOR
	case r.Header.Get(awsjson.TargetHeader) != "":
		return awsjson.JSON
	}
	return query.Query
}

// Decode implements awsproto.Codec, in the request's protocol.
func (c Codec) Decode(r *http.Request, body []byte, spec *awsproto.Spec) (*awsproto.Operation, any, error) {
	return c.For(r).Decode(r, body, spec)
}

// Encode implements awsproto.Codec in the query protocol (the server asks
// For first, and answers in the request's).
func (Codec) Encode(w http.ResponseWriter, spec *awsproto.Spec, op *awsproto.Operation, out any, requestID string) {
	query.Query.Encode(w, spec, op, out, requestID)
}

// EncodeError implements awsproto.Codec in the query protocol.
func (Codec) EncodeError(w http.ResponseWriter, spec *awsproto.Spec, e *awsproto.Error, requestID string) {
	query.Query.EncodeError(w, spec, e, requestID)
}
