// Package restxml is the codec for AWS's "rest-xml" protocol (Route 53's):
// an operation is an HTTP method and a URI template
// ("POST /2013-04-01/hostedzone/{Id}/rrset/"); its input comes from the
// template's labels, the query string, headers and an XML body whose root
// element the model names; the answer is the output as XML in the model's
// namespace, with the operation's status code, and an error is AWS's
// <ErrorResponse> envelope with the status the model gives the error's
// shape. It walks the same reflection plan (awsproto.StructOf) as the other
// codecs, so no operation has code of its own.
package restxml

import (
	"bytes"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/xmlcodec"
	"github.com/vpcemu/vpcemu/internal/unserved"
)

// Codec implements awsproto.Codec for the rest-xml protocol.
type Codec struct{}

// RestXML is the rest-xml protocol's codec.
var RestXML = &Codec{}

var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Decode implements awsproto.Codec.
func (c *Codec) Decode(r *http.Request, body []byte, spec *awsproto.Spec) (*awsproto.Operation, any, error) {
	query, err := queryValues(r.URL.RawQuery)
	if err != nil {
		return nil, nil, refusal(err)
	}
	op, labels := find(spec, r.Method, r.URL.EscapedPath(), query)
	if op == nil {
		return nil, nil, unknownOperation(spec, r)
	}
	in := op.NewInput()
	if err := decodeRequest(r, query, body, op, labels, reflect.ValueOf(in).Elem()); err != nil {
		return op, nil, refusal(err)
	}
	return op, in, nil
}

// unknownOperation answers a method and path no implemented operation
// has: one of the model's vpcemu does not serve yet, or none at all
// (UnknownOperationException, 404).
func unknownOperation(spec *awsproto.Spec, r *http.Request) *awsproto.Error {
	// The model's other operations are known by their templates too
	// (internal/unserved has every REST operation's): those answer
	// UnsupportedOperation naming the operation, as in every protocol.
	if u := unserved.Parse(r, nil, spec.SigningName); u.Operation != "" && spec.HasModelOperation(u.Operation) {
		return awsproto.NotImplemented(spec, u.Operation)
	}
	return &awsproto.Error{Code: "UnknownOperationException", Status: http.StatusNotFound,
		Message: "vpcemu serves no " + spec.SigningName + " operation at " + r.Method + " " + r.URL.Path + " (not an operation of the API, or one vpcemu does not implement yet)."}
}

// refusal words a decoding problem as Route 53 does: InvalidInput, with
// the validator's words for a missing member or a value out of bounds.
func refusal(err error) *awsproto.Error {
	var pe *awsproto.ParamError
	if errors.As(err, &pe) {
		return awsproto.Errorf("InvalidInput", "%s", pe.Validation())
	}
	return awsproto.Errorf("InvalidInput", "%v", err)
}

// Encode implements awsproto.Codec: the output's header members as
// headers, the rest as the body under the model's root element, with the
// operation's status code (201 for CreateHostedZone).
func (c *Codec) Encode(w http.ResponseWriter, spec *awsproto.Spec, op *awsproto.Operation, out any, requestID string) {
	b := bufs.Get().(*bytes.Buffer)
	b.Reset()
	defer bufs.Put(b)
	v := reflect.ValueOf(out)
	if out != nil && !(v.Kind() == reflect.Pointer && v.IsNil()) {
		v = reflect.Indirect(v)
		for _, f := range awsproto.StructOf(v.Type()).Fields {
			if f.In != "header" {
				continue
			}
			if fv, ok := f.Value(v); ok {
				w.Header().Set(f.XMLName(), headerValue(f, fv))
			}
		}
	} else {
		v = reflect.Value{}
	}
	root := op.OutputRoot
	if root == "" {
		root = op.Name + "Response"
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<")
	b.WriteString(root)
	writeNamespace(b, spec)
	b.WriteByte('>')
	if v.IsValid() {
		xmlcodec.WriteSetMembers(b, v)
	}
	b.WriteString("</" + root + ">")
	status := op.ResponseCode
	if status == 0 {
		status = http.StatusOK
	}
	write(w, status, requestID, b.Bytes())
}

// EncodeError implements awsproto.Codec: AWS's <ErrorResponse> with the
// status the model gives the error.
func (c *Codec) EncodeError(w http.ResponseWriter, spec *awsproto.Spec, e *awsproto.Error, requestID string) {
	b := bufs.Get().(*bytes.Buffer)
	b.Reset()
	defer bufs.Put(b)
	status := e.Status
	if s, ok := spec.ErrorStatus[e.Code]; ok && e.Status < 500 {
		status = s
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	msg := e.Message
	if len(e.Messages) > 0 {
		// Route 53 lists a change batch's problems in one message, as
		// "[first, second]" (the aws CLI and Terraform print it so).
		msg = "[" + strings.Join(e.Messages, ", ") + "]"
	}
	b.WriteString("<ErrorResponse")
	writeNamespace(b, spec)
	b.WriteString("><Error>")
	kind := "Sender"
	if status >= 500 {
		kind = "Receiver"
	}
	xmlcodec.Element(b, "Type", kind)
	xmlcodec.Element(b, "Code", e.Code)
	xmlcodec.Element(b, "Message", msg)
	b.WriteString("</Error>")
	xmlcodec.Element(b, "RequestId", requestID)
	b.WriteString("</ErrorResponse>")
	write(w, status, requestID, b.Bytes())
}

// headerValue is a scalar as a header carries it: unescaped, and a
// timestamp in HTTP's date format unless the model says otherwise.
func headerValue(f *awsproto.Field, v reflect.Value) string {
	switch f.Kind {
	case awsproto.KindString:
		return v.String()
	case awsproto.KindTime:
		t := v.Interface().(time.Time).UTC()
		if f.TimeFmt == "iso8601" {
			return t.Format(xmlcodec.TimeFormat)
		}
		return t.Format(http.TimeFormat)
	}
	var s bytes.Buffer
	xmlcodec.Scalar(&s, f.Kind, v)
	return s.String()
}

func writeNamespace(b *bytes.Buffer, spec *awsproto.Spec) {
	if spec != nil && spec.XMLNamespace != "" {
		b.WriteString(` xmlns="`)
		b.WriteString(spec.XMLNamespace)
		b.WriteByte('"')
	}
}

func write(w http.ResponseWriter, status int, requestID string, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{"text/xml"}
	h["X-Amzn-Requestid"] = []string{requestID}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	w.Write(body)
}
