package loadgen

import (
	"bytes"
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

// request is one call, prepared before the clock starts: its form body and
// the identity it is signed as for the signing client, and the same call as
// complete HTTP/1.1 bytes for the raw client.
type request struct {
	account, region string
	body            string
	wire            []byte
}

// request prepares the call f: for the raw client a POST with a form body
// and a SigV4-shaped Authorization header naming the account, region and
// service (the signature is not valid; vpcemu does not verify it by
// default); the signing client signs it for real when it sends it.
func (t Target) request(f form) *request {
	body := f.encode()
	var b bytes.Buffer
	b.Grow(400 + len(body))
	b.WriteString("POST / HTTP/1.1\r\nHost: ")
	b.WriteString(t.Addr)
	b.WriteString("\r\nUser-Agent: vpcemu-bench\r\nContent-Type: " + formType + "\r\n")
	b.WriteString("X-Amz-Date: 20260101T000000Z\r\nAuthorization: AWS4-HMAC-SHA256 Credential=")
	b.WriteString(t.Account)
	b.WriteString("/20260101/")
	b.WriteString(t.Region)
	b.WriteString("/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=")
	b.WriteString(strings.Repeat("0", 64))
	b.WriteString("\r\nContent-Length: ")
	b.WriteString(strconv.Itoa(len(body)))
	b.WriteString("\r\n\r\n")
	b.WriteString(body)
	return &request{account: t.Account, region: t.Region, body: body, wire: b.Bytes()}
}

// formType is the Content-Type of a query request, as the SDKs send it.
const formType = "application/x-www-form-urlencoded; charset=utf-8"

// element returns the text of the first <name> element of an XML answer.
func element(body []byte, name string) string {
	open := "<" + name + ">"
	i := bytes.Index(body, []byte(open))
	if i < 0 {
		return ""
	}
	rest := body[i+len(open):]
	j := bytes.IndexByte(rest, '<')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// APIError is an error answer.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// check turns a non-2xx answer into an *APIError.
func check(status int, body []byte) error {
	if status/100 == 2 {
		return nil
	}
	return &APIError{Status: status, Code: element(body, "Code"), Message: element(body, "Message")}
}
