// Package sigv4 reads the AWS Signature Version 4 credential of a request:
// who signed it (access key id) and for which region and service; reads a
// credentials file (access keys, their secrets and accounts); and, for
// strict mode, verifies a request's signature by signing it again with
// aws-sdk-go-v2's signer.
package sigv4

import (
	"github.com/vpcemu/vpcemu/internal/arn"
	"net/http"
	"strings"
)

// Credential is the credential scope a request was signed with.
type Credential struct {
	AccessKey string
	Date      string // yyyymmdd
	Region    string
	Service   string
	// SignedHeaders is the list as sent, names separated by ';': only
	// verification splits it.
	SignedHeaders string
	Signature     string
	Presigned     bool
}

// FromRequest reads the credential from the Authorization header or, for a
// presigned request, from the X-Amz-Credential query parameter. ok is false
// when the request carries no SigV4 credential.
func FromRequest(r *http.Request) (c Credential, ok bool) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		return parseHeader(auth)
	}
	q := r.URL.Query()
	if cred := q.Get("X-Amz-Credential"); cred != "" {
		c, ok = parseScope(cred)
		c.Presigned = true
		c.SignedHeaders = q.Get("X-Amz-SignedHeaders")
		c.Signature = q.Get("X-Amz-Signature")
		return c, ok
	}
	return Credential{}, false
}

// parseHeader reads "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ec2/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=abcd".
func parseHeader(h string) (Credential, bool) {
	alg, rest, found := strings.Cut(strings.TrimSpace(h), " ")
	if !found || alg != "AWS4-HMAC-SHA256" {
		return Credential{}, false
	}
	var c Credential
	ok := false
	for part := range strings.SplitSeq(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			c2, good := parseScope(v)
			c2.SignedHeaders, c2.Signature = c.SignedHeaders, c.Signature
			c, ok = c2, good
		case "SignedHeaders":
			c.SignedHeaders = v
		case "Signature":
			c.Signature = v
		}
	}
	return c, ok
}

// parseScope reads "AKID/date/region/service/aws4_request" (cutting, not
// splitting: every signed request comes through here).
func parseScope(s string) (Credential, bool) {
	var c Credential
	var ok [4]bool
	c.AccessKey, s, ok[0] = strings.Cut(s, "/")
	c.Date, s, ok[1] = strings.Cut(s, "/")
	c.Region, s, ok[2] = strings.Cut(s, "/")
	c.Service, s, ok[3] = strings.Cut(s, "/")
	if ok != [4]bool{true, true, true, true} || s != "aws4_request" || c.AccessKey == "" {
		return Credential{}, false
	}
	return c, true
}

// Account returns the account an access key id names: a key id of 12
// digits is that account. ok is false for any other key id.
func Account(accessKey string) (account string, ok bool) {
	if !arn.IsAccount(accessKey) {
		return "", false
	}
	return accessKey, true
}
