// Package awsproto holds what every AWS wire protocol shares: the generated
// service specs and operation tables, the error type, the per-request context
// (caller identity, request id, dry run), and the reflection plan the generic
// codecs use to walk generated shapes.
package awsproto

import (
	"context"
	"net/http"
)

// Spec describes one AWS service as generated from its API model.
type Spec struct {
	SigningName    string // SigV4 service name in the credential scope
	EndpointPrefix string
	Protocol       string // ec2, query, json, rest-xml, rest-json
	APIVersion     string
	XMLNamespace   string
	TargetPrefix   string // json protocol: X-Amz-Target prefix
	JSONVersion    string
	// Operations are those vpcemu implements.
	Operations map[string]*Operation
	// ModelOperations names every operation of the model, implemented or not.
	ModelOperations []string
	// ErrorStatus is the HTTP status of each error code the implemented
	// operations may answer, from the model's error shapes (rest-xml).
	ErrorStatus map[string]int
	// RPCv2Service is the Smithy service name under which the service is
	// also served in rpcv2Cbor (CloudWatch: GraniteServiceVersion20100801),
	// or "". ErrorShapes then name the model's error shape of each error
	// code that differs from it (InvalidParameterValue is the shape
	// InvalidParameterValueException): a query-compatible answer names the
	// shape in its body and the code in a header.
	RPCv2Service string
	ErrorShapes  map[string]string
}

// HasModelOperation reports whether name is an operation of the service's
// model (implemented or not).
func (s *Spec) HasModelOperation(name string) bool {
	for _, n := range s.ModelOperations {
		if n == name {
			return true
		}
	}
	return false
}

// Operation is one implemented action.
type Operation struct {
	Name          string
	Method        string
	RequestURI    string
	ResponseCode  int
	ResultWrapper string
	// InputRoot and OutputRoot name the root elements of a rest-xml
	// operation's bodies (CreateHostedZoneRequest, CreateHostedZoneResponse).
	InputRoot  string
	OutputRoot string
	NewInput   func() any
	// Invoke calls the matching method of the service's Handler for the
	// caller req; a nil output comes back as a nil interface.
	Invoke func(ctx context.Context, req *Request, handler any, in any) (any, error)
}

// Dialects is a codec for a service served in several protocols at once
// (CloudWatch: query for the aws CLI v1, rpcv2Cbor for today's SDKs): the
// server answers each request in the codec For chooses from it.
type Dialects interface {
	Codec
	For(r *http.Request) Codec
}

// Codec decodes requests and encodes responses for one wire protocol.
type Codec interface {
	// Decode finds the operation a request names and decodes its input.
	// It returns *Error for anything the client got wrong.
	Decode(r *http.Request, body []byte, spec *Spec) (*Operation, any, error)
	// Encode writes a successful response.
	Encode(w http.ResponseWriter, spec *Spec, op *Operation, out any, requestID string)
	// EncodeError writes an error response.
	EncodeError(w http.ResponseWriter, spec *Spec, e *Error, requestID string)
}
