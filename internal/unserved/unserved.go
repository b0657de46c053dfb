// Package unserved answers requests for the AWS services vpcemu does not
// emulate (Route 53, S3, SSM, CloudWatch, …): a 4xx refusal that names the
// service and the operation, written in the protocol the client speaks so
// that it prints the code and the message (the aws CLI: "An error occurred
// (UnsupportedOperation) when calling the ListHostedZones operation: …").
// services.json, generated from the AWS API models (go generate), says each
// service's protocol and, for the REST protocols, which path is which
// operation.
package unserved

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/query"
)

//go:generate go run ./gen

//go:embed services.json
var servicesJSON []byte

// Service is one AWS service of the API models.
type Service struct {
	Model        string      `json:"model"`
	Name         string      `json:"name"`
	SigningName  string      `json:"signingName"`
	Protocol     string      `json:"protocol"` // ec2, query, json, rest-xml, rest-json
	APIVersion   string      `json:"apiVersion"`
	TargetPrefix string      `json:"targetPrefix"`
	JSONVersion  string      `json:"jsonVersion"`
	XMLNamespace string      `json:"xmlNamespace"`
	Operations   [][3]string `json:"operations"` // REST: method, request URI, name
}

// bySigning lists the services of each SigV4 signing name; a name can have
// several (s3: S3 and S3 Control; elasticloadbalancing: ELB and ELBv2).
var bySigning = sync.OnceValue(func() map[string][]*Service {
	var all []*Service
	if err := json.Unmarshal(servicesJSON, &all); err != nil {
		panic("unserved: services.json: " + err.Error())
	}
	m := map[string][]*Service{}
	for _, s := range all {
		m[s.SigningName] = append(m[s.SigningName], s)
	}
	// The service named like its signing name first: it wins a tie.
	for name, list := range m {
		for i, s := range list {
			if s.Model == name && i > 0 {
				list[0], list[i] = list[i], list[0]
			}
		}
	}
	return m
})

// OtherVersions reports whether some AWS service shares the signing name
// under another API version than this one (ELB classic beside ELBv2), the
// only case in which a request's Version says which service it is for.
func OtherVersions(signingName, version string) bool {
	for _, s := range bySigning()[signingName] {
		if s.APIVersion != version {
			return true
		}
	}
	return false
}

// Known reports whether some AWS service has a model of this signing name
// and API version: a query request for ELB classic (elasticloadbalancing,
// 2012-06-01) is not one for ELBv2 (2015-12-01), which vpcemu serves.
func Known(signingName, version string) bool {
	for _, s := range bySigning()[signingName] {
		if s.APIVersion == version {
			return true
		}
	}
	return false
}

// Request is a request for a service vpcemu does not serve, as far as it
// can be read.
type Request struct {
	SigningName string
	Service     *Service // nil when no AWS model has the signing name
	Operation   string   // "" when the request does not say
	protocol    string   // how the client expects the answer
	method      string
	path        string
}

// Parse reads which service (among those of signingName) and operation r
// is for, and the protocol its client speaks. The request itself says the
// protocol where it can (a client may speak a newer one than the model:
// botocore asks CloudWatch in CBOR); the model says it for REST requests.
func Parse(r *http.Request, body []byte, signingName string) *Request {
	q := &Request{SigningName: signingName, method: r.Method, path: r.URL.Path}
	candidates := bySigning()[signingName]
	pick := func(ok func(*Service) bool) {
		for _, s := range candidates {
			if ok(s) {
				q.Service = s
				return
			}
		}
		if len(candidates) > 0 {
			q.Service = candidates[0]
		}
	}
	form := formOf(r, body)
	switch {
	case strings.EqualFold(r.Header.Get("Smithy-Protocol"), "rpc-v2-cbor"):
		q.protocol = "cbor"
		// POST /service/{service}/operation/{operation}
		if _, op, ok := strings.Cut(r.URL.Path, "/operation/"); ok {
			q.Operation = op
		}
		pick(func(*Service) bool { return false })
	case r.Header.Get("X-Amz-Target") != "":
		q.protocol = "json"
		target := r.Header.Get("X-Amz-Target")
		prefix, op, _ := strings.Cut(target, ".")
		q.Operation = op
		pick(func(s *Service) bool { return s.TargetPrefix == prefix })
	case form.Get("Action") != "":
		q.Operation = form.Get("Action")
		version := form.Get("Version")
		pick(func(s *Service) bool { return s.APIVersion == version })
		q.protocol = "query"
		if q.Service != nil && q.Service.Protocol == "ec2" {
			q.protocol = "ec2"
		}
	default:
		best := -1
		for _, s := range candidates {
			if op, score := match(s, r); score > best {
				q.Service, q.Operation, best = s, op, score
			}
		}
		if q.Service != nil {
			q.protocol = q.Service.Protocol
		} else if strings.Contains(r.Header.Get("Content-Type"), "json") {
			q.protocol = "rest-json"
		} else {
			q.protocol = "query"
		}
	}
	return q
}

// formOf is a request's query string and form body, the parameters of the
// query protocols.
func formOf(r *http.Request, body []byte) url.Values {
	v := r.URL.Query()
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if b, err := url.ParseQuery(string(body)); err == nil {
			for k, vals := range b {
				v[k] = append(v[k], vals...)
			}
		}
	}
	return v
}

// Error is the refusal: UnsupportedOperation, as for an EC2 operation
// vpcemu does not implement, naming the service and the operation; served
// lists what vpcemu does serve ("ec2 2016-11-15").
func (q *Request) Error(served []string) *awsproto.Error {
	service := q.SigningName
	if q.Service != nil && q.Service.Name != "" {
		service = q.Service.Name + " (" + q.SigningName + " " + q.Service.APIVersion + ")"
	}
	what := q.Operation
	if what == "" {
		what = "this request (" + q.method + " " + q.path + ")"
	}
	return awsproto.Errorf("UnsupportedOperation", "vpcemu does not emulate %s, so it cannot answer %s. vpcemu serves %s.",
		service, what, strings.Join(served, ", "))
}

// Write writes e in the protocol the client speaks.
func (q *Request) Write(w http.ResponseWriter, e *awsproto.Error, requestID string) {
	h := w.Header()
	switch q.protocol {
	case "ec2":
		query.EC2.EncodeError(w, nil, e, requestID)
	case "json", "rest-json", "cbor":
		h.Set("X-Amzn-Requestid", requestID)
		h.Set("X-Amzn-Errortype", e.Code)
		var body []byte
		switch q.protocol {
		case "cbor":
			h.Set("Smithy-Protocol", "rpc-v2-cbor")
			h.Set("Content-Type", "application/cbor")
			body = cborError(e.Code, e.Message)
		case "json":
			v := "1.1"
			if q.Service != nil && q.Service.JSONVersion != "" {
				v = q.Service.JSONVersion
			}
			h.Set("Content-Type", "application/x-amz-json-"+v)
			body, _ = json.Marshal(map[string]string{"__type": e.Code, "message": e.Message})
		default:
			h.Set("Content-Type", "application/json")
			body, _ = json.Marshal(map[string]string{"__type": e.Code, "message": e.Message})
		}
		w.WriteHeader(e.Status)
		w.Write(body)
	case "rest-xml":
		if q.Service != nil && q.Service.Model == "s3" {
			// S3's errors are a bare <Error>.
			h.Set("Content-Type", "application/xml")
			h.Set("X-Amz-Request-Id", requestID)
			w.WriteHeader(e.Status)
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Error><Code>%s</Code><Message>%s</Message><RequestId>%s</RequestId></Error>",
				escape(e.Code), escape(e.Message), escape(requestID))
			return
		}
		fallthrough
	default:
		spec := &awsproto.Spec{}
		if q.Service != nil {
			spec.XMLNamespace = q.Service.XMLNamespace
		}
		query.Query.EncodeError(w, spec, e, requestID)
	}
}

func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cborError encodes {"__type": code, "message": message} in CBOR (RFC 8949),
// the body of an rpcv2Cbor error.
func cborError(code, message string) []byte {
	b := []byte{0xa2} // a map of two pairs
	for _, s := range []string{"__type", code, "message", message} {
		b = cborHead(b, 3, uint64(len(s))) // a text string
		b = append(b, s...)
	}
	return b
}

func cborHead(b []byte, major byte, n uint64) []byte {
	m := major << 5
	switch {
	case n < 24:
		return append(b, m|byte(n))
	case n < 1<<8:
		return append(b, m|24, byte(n))
	case n < 1<<16:
		return append(b, m|25, byte(n>>8), byte(n))
	default:
		return append(b, m|26, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}
