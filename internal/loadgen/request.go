package loadgen

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// apiVersion is the EC2 API version the requests name.
const apiVersion = "2016-11-15"

// Target is the endpoint and the identity requests are sent as.
type Target struct {
	// Addr is host:port of the endpoint.
	Addr string
	// Account is a 12-digit account id, used as the access key id: vpcemu
	// reads the account from it. Each scenario works in its own account so
	// scenarios sharing a server do not see each other's resources.
	Account string
	Region  string
}

// ParseEndpoint returns the host:port of an http:// endpoint URL.
func ParseEndpoint(endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", err
	}
	if u.Scheme != "http" || u.Host == "" {
		return "", fmt.Errorf("endpoint %q: want http://host:port", endpoint)
	}
	if u.Port() == "" {
		return u.Host + ":80", nil
	}
	return u.Host, nil
}

// form is an EC2 query request's parameters, in order.
type form []string // name, value, name, value…

func action(name string, params ...string) form {
	return append(form{"Action", name, "Version", apiVersion}, params...)
}

func (f form) encode() string {
	var b strings.Builder
	for i := 0; i < len(f); i += 2 {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(f[i]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(f[i+1]))
	}
	return b.String()
}

// request is one call, prepared before the clock starts: what the signing
// client signs and sends (method, path with its query, headers, body, and
// the identity and service it is signed as), and the same call as complete
// HTTP/1.1 bytes for the raw client.
type request struct {
	account, region, service string
	method, path             string
	contentType, target      string // target: X-Amz-Target, when set
	body                     string
	wire                     []byte
}

// call prepares a call to one of the services: for the raw client with a
// SigV4-shaped Authorization header naming the account, region and service
// (the signature is not valid; vpcemu does not verify it by default and
// routes by the service it names); the signing client signs it for real
// when it sends it.
func (t Target) call(service, region, method, path, contentType, target, body string) *request {
	var b bytes.Buffer
	b.Grow(400 + len(path) + len(body))
	b.WriteString(method + " " + path + " HTTP/1.1\r\nHost: ")
	b.WriteString(t.Addr)
	b.WriteString("\r\nUser-Agent: vpcemu-bench\r\n")
	signed := "host;x-amz-date"
	if contentType != "" {
		b.WriteString("Content-Type: " + contentType + "\r\n")
		signed = "content-type;" + signed
	}
	if target != "" {
		b.WriteString("X-Amz-Target: " + target + "\r\n")
		signed += ";x-amz-target"
	}
	b.WriteString("X-Amz-Date: 20260101T000000Z\r\nAuthorization: AWS4-HMAC-SHA256 Credential=")
	b.WriteString(t.Account + "/20260101/" + region + "/" + service + "/aws4_request, SignedHeaders=" + signed + ", Signature=")
	b.WriteString(strings.Repeat("0", 64))
	b.WriteString("\r\nContent-Length: ")
	b.WriteString(strconv.Itoa(len(body)))
	b.WriteString("\r\n\r\n")
	b.WriteString(body)
	return &request{account: t.Account, region: region, service: service, method: method, path: path,
		contentType: contentType, target: target, body: body, wire: b.Bytes()}
}

// request prepares the EC2 query call f: a POST to / with a form body.
func (t Target) request(f form) *request {
	return t.call("ec2", t.Region, "POST", "/", formType, "", f.encode())
}

// formType is the Content-Type of a query request, as the SDKs send it.
const formType = "application/x-www-form-urlencoded; charset=utf-8"

// element returns the text of the first <name> element of an XML answer;
// given more names, of the first <name> within the first of the one before
// (element(body, "HostedZone", "Id")).
func element(body []byte, names ...string) string {
	for _, name := range names {
		open := "<" + name + ">"
		i := bytes.Index(body, []byte(open))
		if i < 0 {
			return ""
		}
		body = body[i+len(open):]
	}
	j := bytes.IndexByte(body, '<')
	if j < 0 {
		return ""
	}
	return string(body[:j])
}

// APIError is an error answer.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// check turns a non-2xx answer into an *APIError: AWS's XML error
// envelope, or the JSON one of the json protocol.
func check(status int, body []byte) error {
	if status/100 == 2 {
		return nil
	}
	if len(body) > 0 && body[0] == '{' {
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		json.Unmarshal(body, &e)
		return &APIError{Status: status, Code: e.Type, Message: e.Message}
	}
	return &APIError{Status: status, Code: element(body, "Code"), Message: element(body, "Message")}
}

// jsonType is the Content-Type of a json 1.1 protocol request.
const jsonType = "application/x-amz-json-1.1"

// jsonCall prepares a json 1.1 protocol call: a POST to / naming the
// operation in X-Amz-Target ("OvertureService.DescribeVirtualInterfaces"),
// its input as a JSON object.
func (t Target) jsonCall(service, target string, in map[string]any) *request {
	body, err := json.Marshal(in)
	if err != nil {
		panic(err) // the scenarios' inputs are strings, numbers and maps
	}
	return t.call(service, t.Region, "POST", "/", jsonType, target, string(body))
}

// globalRegion is the region requests to a global service (Route 53) are
// signed for, as the SDKs sign them.
const globalRegion = "us-east-1"

// restXMLCall prepares a rest-xml protocol call to a global service:
// method and path (its query included) name the operation, body (a
// document of xmlDoc, or empty) is its input.
func (t Target) restXMLCall(service, method, path, body string) *request {
	contentType := ""
	if body != "" {
		contentType = "application/xml"
	}
	return t.call(service, globalRegion, method, path, contentType, "", body)
}

// route53NS is the namespace of Route 53's XML documents.
const route53NS = "https://route53.amazonaws.com/doc/2013-04-01/"

// xmlDoc is a rest-xml request body: the element root, in Route 53's
// namespace, holding children (made with el).
func xmlDoc(root string, children ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		"<" + root + ` xmlns="` + route53NS + `">` + strings.Join(children, "") + "</" + root + ">"
}

// el is the element name holding children, or, given one child that is
// not an element, that text escaped.
func el(name string, children ...string) string {
	inner := strings.Join(children, "")
	if len(children) == 1 && !strings.HasPrefix(inner, "<") {
		var b strings.Builder
		xml.EscapeText(&b, []byte(inner))
		inner = b.String()
	}
	return "<" + name + ">" + inner + "</" + name + ">"
}

// jsonField returns a string field named key, at any depth, of a
// JSON answer: the id a create answers.
func jsonField(body []byte, key string) string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	var find func(v any) string
	find = func(v any) string {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v[key].(string); ok {
				return s
			}
			for _, x := range v {
				if s := find(x); s != "" {
					return s
				}
			}
		case []any:
			for _, x := range v {
				if s := find(x); s != "" {
					return s
				}
			}
		}
		return ""
	}
	return find(v)
}
