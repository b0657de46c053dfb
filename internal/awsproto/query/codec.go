// Package query is the codec for the AWS query protocol family: "ec2" (EC2)
// and "query" (STS, ELBv2). Requests are form parameters named after the
// model ("Filter.1.Value.2"); responses are XML. The two dialects differ
// only in how lists and names are spelled and in their envelopes.
package query

import (
	"bytes"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/xmlcodec"
)

// Codec implements awsproto.Codec for one dialect.
type Codec struct {
	ec2 bool
}

var (
	// EC2 is the "ec2" protocol.
	EC2 = &Codec{ec2: true}
	// Query is the "query" protocol.
	Query = &Codec{}
)

var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Params are the parsed parameters of a query request. Request routing
// reads Action and Version from them before it knows the service.
type Params struct{ form }

// ParseParams parses a request's query string and form body.
func ParseParams(r *http.Request, body []byte) (*Params, error) {
	p := &Params{}
	if err := p.parse(r.URL.RawQuery); err != nil {
		return nil, err
	}
	if err := p.parse(string(body)); err != nil {
		return nil, err
	}
	return p, nil
}

// Get returns a top-level parameter's value.
func (p *Params) Get(name string) (string, bool) { return p.root.get(name) }

// Decode implements awsproto.Codec.
func (c *Codec) Decode(r *http.Request, body []byte, spec *awsproto.Spec) (*awsproto.Operation, any, error) {
	params, err := ParseParams(r, body)
	if err != nil {
		return nil, nil, c.malformed(err)
	}
	return c.DecodeParams(params, spec)
}

// DecodeChecked is Decode for the server: it also refuses, before
// anything else, an EC2 request without the model's Version (CheckVersion),
// parsing the parameters once. The operation is returned with the refusal
// when the request names one vpcemu implements, for the log.
func (c *Codec) DecodeChecked(r *http.Request, body []byte, spec *awsproto.Spec) (*awsproto.Operation, any, error) {
	params, err := ParseParams(r, body)
	if err != nil {
		return nil, nil, c.malformed(err)
	}
	if e := c.CheckVersion(params, spec); e != nil {
		action, _ := params.Get("Action")
		return spec.Operations[action], nil, e
	}
	return c.DecodeParams(params, spec)
}

// DecodeParams decodes an already parsed request.
func (c *Codec) DecodeParams(params *Params, spec *awsproto.Spec) (*awsproto.Operation, any, error) {
	action, ok := params.Get("Action")
	if !ok || action == "" {
		return nil, nil, awsproto.Errorf("MissingAction", "The request must contain the parameter Action")
	}
	op, err := spec.Find(action, func() *awsproto.Error {
		return awsproto.Errorf("InvalidAction", "The action %s is not valid for this web service.", action)
	})
	if err != nil {
		return nil, nil, err
	}
	in := op.NewInput()
	v := reflect.ValueOf(in).Elem()
	if err := (decoder{ec2: c.ec2}).decodeStruct(&params.root, awsproto.StructOf(v.Type()), v, "", true); err != nil {
		var pe *awsproto.ParamError
		if errors.As(err, &pe) {
			return op, nil, c.paramError(pe)
		}
		return op, nil, err
	}
	return op, in, nil
}

// CheckVersion refuses an EC2 request whose Version is missing or is not
// the model's, as EC2 does: NoSuchVersion, "The requested version
// (2010-03-31) of service AmazonEC2 does not exist" (boto/boto3#1138, an SNS
// request sent to EC2; without a Version the message names none). The
// query dialect checks nothing: its services are routed by Version.
func (c *Codec) CheckVersion(p *Params, spec *awsproto.Spec) *awsproto.Error {
	if !c.ec2 {
		return nil
	}
	v, ok := p.Get("Version")
	switch {
	case !ok || v == "":
		return awsproto.Errorf("NoSuchVersion", "The requested version of service AmazonEC2 does not exist")
	case v != spec.APIVersion:
		return awsproto.Errorf("NoSuchVersion", "The requested version (%s) of service AmazonEC2 does not exist", v)
	}
	return nil
}

// NotImplemented is the answer to an operation the model has but vpcemu does
// not serve yet: a 4xx that names it (SDKs retry 5xx answers for minutes).
func NotImplemented(spec *awsproto.Spec, action string) *awsproto.Error {
	return awsproto.NotImplemented(spec, action)
}

func (c *Codec) malformed(err error) *awsproto.Error {
	code := "MalformedQueryString"
	if c.ec2 {
		code = "InvalidParameterValue"
	}
	return awsproto.Errorf(code, "The request is not valid form-encoded parameters: %v.", err)
}

func (c *Codec) paramError(pe *awsproto.ParamError) *awsproto.Error {
	if !c.ec2 {
		return awsproto.Errorf("ValidationError", "%s", pe.Validation())
	}
	code := "InvalidParameterValue"
	switch pe.Problem {
	case awsproto.ParamUnknown:
		code = "UnknownParameter"
	case awsproto.ParamMissing:
		code = "MissingParameter"
	}
	return awsproto.Errorf(code, "%s", pe.Error())
}

// Encode implements awsproto.Codec.
func (c *Codec) Encode(w http.ResponseWriter, spec *awsproto.Spec, op *awsproto.Operation, out any, requestID string) {
	b := bufs.Get().(*bytes.Buffer)
	b.Reset()
	defer bufs.Put(b)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<")
	b.WriteString(op.Name)
	b.WriteString(`Response xmlns="`)
	writeNamespace(b, spec, c.ec2)
	b.WriteString(`">`)
	var v reflect.Value
	if out != nil {
		v = reflect.ValueOf(out)
	}
	if c.ec2 {
		xmlcodec.Element(b, "requestId", requestID)
		if v.IsValid() {
			xmlcodec.WriteMembers(b, v)
		}
	} else {
		if op.ResultWrapper != "" {
			b.WriteString("<" + op.ResultWrapper + ">")
			if v.IsValid() {
				xmlcodec.WriteMembers(b, v)
			}
			b.WriteString("</" + op.ResultWrapper + ">")
		}
		b.WriteString("<ResponseMetadata>")
		xmlcodec.Element(b, "RequestId", requestID)
		b.WriteString("</ResponseMetadata>")
	}
	b.WriteString("</")
	b.WriteString(op.Name)
	b.WriteString("Response>")
	write(w, http.StatusOK, requestID, b.Bytes())
}

// EncodeError implements awsproto.Codec.
func (c *Codec) EncodeError(w http.ResponseWriter, spec *awsproto.Spec, e *awsproto.Error, requestID string) {
	b := bufs.Get().(*bytes.Buffer)
	b.Reset()
	defer bufs.Put(b)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if c.ec2 {
		b.WriteString("<Response><Errors><Error>")
		xmlcodec.Element(b, "Code", e.Code)
		xmlcodec.Element(b, "Message", e.Message)
		b.WriteString("</Error></Errors>")
		xmlcodec.Element(b, "RequestID", requestID)
		b.WriteString("</Response>")
	} else {
		b.WriteString(`<ErrorResponse xmlns="`)
		writeNamespace(b, spec, false)
		b.WriteString(`"><Error>`)
		kind := "Sender"
		if !e.Sender() {
			kind = "Receiver"
		}
		xmlcodec.Element(b, "Type", kind)
		xmlcodec.Element(b, "Code", e.Code)
		xmlcodec.Element(b, "Message", e.Message)
		b.WriteString("</Error>")
		xmlcodec.Element(b, "RequestId", requestID)
		b.WriteString("</ErrorResponse>")
	}
	write(w, e.Status, requestID, b.Bytes())
}

// writeNamespace writes the response's xmlns; EC2's answers end it with a
// slash, the model's metadata does not.
func writeNamespace(b *bytes.Buffer, spec *awsproto.Spec, ec2 bool) {
	if spec == nil {
		return
	}
	b.WriteString(spec.XMLNamespace)
	if ec2 && !strings.HasSuffix(spec.XMLNamespace, "/") {
		b.WriteByte('/')
	}
}

// xmlType is every answer's Content-Type. The header map shares it: nothing
// writes into a header's value slice in place.
var xmlType = []string{"text/xml;charset=UTF-8"}

func write(w http.ResponseWriter, status int, requestID string, body []byte) {
	h := w.Header()
	h["Content-Type"] = xmlType
	// One array for both values: a slice each, without room to grow into
	// the other.
	vals := [2]string{requestID, strconv.Itoa(len(body))} // a known length spares large answers chunked encoding
	h["X-Amzn-Requestid"] = vals[0:1:1]
	h["Content-Length"] = vals[1:2:2]
	w.WriteHeader(status)
	w.Write(body)
}
