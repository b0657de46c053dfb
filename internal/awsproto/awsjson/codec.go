// Package awsjson is the codec for AWS's "json" protocol (AWS JSON 1.0 and
// 1.1, Direct Connect's): a POST to / whose X-Amz-Target header names the
// operation ("OvertureService.DescribeLocations") and whose body is the
// input as a JSON object; the answer is the output as a JSON object, and an
// error is {"__type": code, "message": text}. It walks the same reflection
// plan (awsproto.StructOf) as the query codecs, so no operation has code
// of its own. The same walk writes and reads any shape as a document with
// the model's member names (MarshalDocument), for vpcemu's own JSON in
// AWS's shapes.
package awsjson

import (
	"bytes"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

// Codec implements awsproto.Codec for the json protocol.
type Codec struct{}

// JSON is the json protocol's codec.
var JSON = &Codec{}

var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// TargetHeader names the operation of a json-protocol request.
const TargetHeader = "X-Amz-Target"

// Decode implements awsproto.Codec.
func (c *Codec) Decode(r *http.Request, body []byte, spec *awsproto.Spec) (*awsproto.Operation, any, error) {
	name, err := operationName(r.Header.Get(TargetHeader), spec)
	if err != nil {
		return nil, nil, err
	}
	op, err := spec.Find(name, func() *awsproto.Error { return unknownOperation(r.Header.Get(TargetHeader)) })
	if err != nil {
		return nil, nil, err
	}
	in := op.NewInput()
	if err := decodeBody(body, reflect.ValueOf(in).Elem(), protocol); err != nil {
		return op, nil, awsproto.Refusal(err)
	}
	return op, in, nil
}

// operationName reads the operation from the target "<prefix>.<name>".
func operationName(target string, spec *awsproto.Spec) (string, error) {
	prefix, name, ok := strings.Cut(target, ".")
	if !ok || prefix != spec.TargetPrefix || name == "" {
		return "", unknownOperation(target)
	}
	return name, nil
}

// unknownOperation is what AWS's JSON services answer a target they do not
// know (com.amazon.coral.service#UnknownOperationException).
func unknownOperation(target string) *awsproto.Error {
	if target == "" {
		return awsproto.Errorf("UnknownOperationException", "The request has no %s header naming the operation.", TargetHeader)
	}
	return awsproto.Errorf("UnknownOperationException", "The operation %s is not known to this service.", target)
}

func contentType(spec *awsproto.Spec) string {
	v := "1.1"
	if spec != nil && spec.JSONVersion != "" {
		v = spec.JSONVersion
	}
	return "application/x-amz-json-" + v
}

// Encode implements awsproto.Codec.
func (c *Codec) Encode(w http.ResponseWriter, spec *awsproto.Spec, op *awsproto.Operation, out any, requestID string) {
	b := bufs.Get().(*bytes.Buffer)
	b.Reset()
	defer bufs.Put(b)
	v := reflect.ValueOf(out)
	if out == nil || v.Kind() == reflect.Pointer && v.IsNil() {
		b.WriteString("{}")
	} else {
		writeStruct(b, reflect.Indirect(v), protocol)
	}
	write(w, spec, http.StatusOK, requestID, "", b.Bytes())
}

// EncodeError implements awsproto.Codec: the error's code in __type (1.1
// sends the bare shape name) and in X-Amzn-ErrorType, its text in message.
// A query-compatible service (CloudWatch) names the model's shape instead,
// and the query code and fault in X-Amzn-Query-Error.
func (c *Codec) EncodeError(w http.ResponseWriter, spec *awsproto.Spec, e *awsproto.Error, requestID string) {
	b := bufs.Get().(*bytes.Buffer)
	b.Reset()
	defer bufs.Put(b)
	typ := e.Code
	if spec != nil && spec.QueryCompatible {
		typ = spec.ErrorType(e)
		w.Header()["X-Amzn-Query-Error"] = []string{awsproto.QueryError(e)}
	}
	b.WriteString(`{"__type":`)
	writeString(b, typ)
	b.WriteString(`,"message":`)
	writeString(b, e.Message)
	b.WriteByte('}')
	write(w, spec, e.Status, requestID, typ, b.Bytes())
}

func write(w http.ResponseWriter, spec *awsproto.Spec, status int, requestID, errorType string, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{contentType(spec)}
	h["X-Amzn-Requestid"] = []string{requestID}
	if errorType != "" {
		h["X-Amzn-Errortype"] = []string{errorType}
	}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	w.Write(body)
}
