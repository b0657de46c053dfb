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
	// QueryCompatible marks a query service also served in awsJson1_0 (its
	// TargetPrefix) and rpcv2Cbor (RPCv2Service, the same Smithy service
	// name: CloudWatch's GraniteServiceVersion20100801) with AWS query
	// compatibility: an error in those protocols names its model shape in
	// the body (ErrorShapes: InvalidParameterValue is the shape
	// InvalidParameterValueException) and its query code in the
	// X-Amzn-Query-Error header, which clients report as the code.
	QueryCompatible bool
	RPCv2Service    string
	ErrorShapes     map[string]string
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

// Find is the implemented operation called name. For a name it does not
// serve it answers NotImplemented if the model has the operation, else
// unknown(), the protocol's own words for a name that is none.
func (s *Spec) Find(name string, unknown func() *Error) (*Operation, error) {
	if op := s.Operations[name]; op != nil {
		return op, nil
	}
	if s.HasModelOperation(name) {
		return nil, NotImplemented(s, name)
	}
	return nil, unknown()
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
// (CloudWatch: query, awsJson1_0, rpcv2Cbor): the server answers each
// request in the codec For chooses from it.
type Dialects interface {
	Codec
	For(r *http.Request) Codec
}

// QueryError is the X-Amzn-Query-Error header of a query-compatible
// service's error: its query code and fault.
func QueryError(e *Error) string {
	if e.Sender() {
		return e.Code + ";Sender"
	}
	return e.Code + ";Receiver"
}

// ErrorType is what names e in a query-compatible answer's body: its
// model shape, where the code differs from it.
func (s *Spec) ErrorType(e *Error) string {
	if shape, ok := s.ErrorShapes[e.Code]; ok {
		return shape
	}
	return e.Code
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
