// Package rpcv2cbor is the codec for Smithy RPC v2 CBOR (rpcv2Cbor), the
// protocol today's SDKs speak to CloudWatch: a POST to
// /service/<Smithy service name>/operation/<operation> with a
// Smithy-Protocol: rpc-v2-cbor header, the input as a CBOR map (RFC 8949)
// of the model's member names, the output likewise; timestamps are tag 1
// (epoch seconds), blobs byte strings. A service with AWS query
// compatibility (CloudWatch's) names the error's model shape in the body's
// __type and its query code in the X-Amzn-Query-Error header, which the
// SDKs report as the error's code. It walks the same reflection plan
// (awsproto.StructOf) as the other codecs, so no operation has code of its
// own; the CBOR itself is github.com/fxamacker/cbor's.
package rpcv2cbor

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/fxamacker/cbor/v2"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// Codec implements awsproto.Codec for rpcv2Cbor.
type Codec struct{}

// CBOR is the rpcv2Cbor codec.
var CBOR = &Codec{}

// ProtocolHeader marks an rpcv2Cbor request and answer.
const (
	ProtocolHeader = "Smithy-Protocol"
	protocolValue  = "rpc-v2-cbor"
	contentType    = "application/cbor"
	queryError     = "X-Amzn-Query-Error"
)

// Is reports whether r is an rpcv2Cbor request.
func Is(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get(ProtocolHeader), protocolValue)
}

// Decode implements awsproto.Codec.
func (c *Codec) Decode(r *http.Request, body []byte, spec *awsproto.Spec) (*awsproto.Operation, any, error) {
	name, err := operationName(r.URL.Path, spec)
	if err != nil {
		return nil, nil, err
	}
	op, err := spec.Find(name, func() *awsproto.Error { return unknownOperation(r.URL.Path) })
	if err != nil {
		return nil, nil, err
	}
	in := op.NewInput()
	if err := decodeBody(body, reflect.ValueOf(in).Elem()); err != nil {
		return op, nil, awsproto.Refusal(err)
	}
	return op, in, nil
}

// operationName reads the operation from the path
// ".../service/<service>/operation/<name>" (a prefix is allowed: an
// endpoint URL may have a path).
func operationName(path string, spec *awsproto.Spec) (string, error) {
	i := strings.LastIndex(path, "/service/")
	if i < 0 {
		return "", unknownOperation(path)
	}
	service, name, ok := strings.Cut(path[i+len("/service/"):], "/operation/")
	if !ok || service != spec.RPCv2Service || name == "" || strings.Contains(name, "/") {
		return "", unknownOperation(path)
	}
	return name, nil
}

// unknownOperation is the answer to a path naming no operation of the
// service.
func unknownOperation(path string) *awsproto.Error {
	return &awsproto.Error{Code: "UnknownOperationException", Message: "The path " + path + " names no operation of this service.", Status: http.StatusNotFound}
}

var (
	encMode cbor.EncMode
	decMode cbor.DecMode
)

func init() {
	var err error
	// Timestamps as tag 1 with integer seconds, or a float when there
	// are fractions; map keys sorted so that answers are stable.
	encMode, err = cbor.EncOptions{Time: cbor.TimeUnixDynamic, TimeTag: cbor.EncTagRequired, Sort: cbor.SortBytewiseLexical}.EncMode()
	if err != nil {
		panic(err)
	}
	decMode, err = cbor.DecOptions{DefaultMapType: reflect.TypeFor[map[string]any](), MaxNestedLevels: 64}.DecMode()
	if err != nil {
		panic(err)
	}
}

// Encode implements awsproto.Codec. An output without members is an empty
// body, as the protocol allows for a unit output.
func (c *Codec) Encode(w http.ResponseWriter, spec *awsproto.Spec, op *awsproto.Operation, out any, requestID string) {
	var body []byte
	v := reflect.ValueOf(out)
	if out != nil && !(v.Kind() == reflect.Pointer && v.IsNil()) {
		if s := reflect.Indirect(v); len(awsproto.StructOf(s.Type()).Fields) > 0 {
			b, err := encMode.Marshal(encodeStruct(s))
			if err != nil {
				c.EncodeError(w, spec, &awsproto.Error{Code: "InternalFailure", Message: "The answer could not be encoded.", Status: http.StatusInternalServerError}, requestID)
				return
			}
			body = b
		}
	}
	write(w, http.StatusOK, requestID, body)
}

// EncodeError implements awsproto.Codec: {"__type": code, "message":
// text}; a query-compatible service names the model's shape in __type and
// the query code and fault in X-Amzn-Query-Error.
func (c *Codec) EncodeError(w http.ResponseWriter, spec *awsproto.Spec, e *awsproto.Error, requestID string) {
	typ := e.Code
	if spec.QueryCompatible {
		typ = spec.ErrorType(e)
		w.Header()[queryError] = []string{awsproto.QueryError(e)}
	}
	body, _ := encMode.Marshal(map[string]any{"__type": typ, "message": e.Message})
	write(w, e.Status, requestID, body)
}

func write(w http.ResponseWriter, status int, requestID string, body []byte) {
	h := w.Header()
	h[ProtocolHeader] = []string{protocolValue}
	h["Content-Type"] = []string{contentType}
	h["X-Amzn-Requestid"] = []string{requestID}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	w.Write(body)
}
