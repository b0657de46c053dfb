package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Reason says why a request's signature was refused.
type Reason int

const (
	// Missing: the request carries no SigV4 signature at all.
	Missing Reason = iota + 1
	// Malformed: the signature's parts are incomplete or unreadable.
	Malformed
	// Streaming: a chunked (STREAMING-*) payload, which vpcemu's services
	// do not take (on AWS it is an S3 upload feature).
	Streaming
	// UnknownKey: the access key id is in no credentials file entry.
	UnknownKey
	// Expired: the request's time is more than the window in the past (or a
	// presigned request is past its X-Amz-Expires).
	Expired
	// NotYetCurrent: the request's time is more than the window ahead.
	NotYetCurrent
	// Mismatch: re-signing the request gives another signature.
	Mismatch
)

// Window is how far a request's X-Amz-Date may be from the server's clock,
// as on AWS.
const Window = 15 * time.Minute

// TimeFormat is X-Amz-Date's format.
const TimeFormat = "20060102T150405Z"

// Error is a refused signature. Its fields let each protocol word it as
// AWS does.
type Error struct {
	Reason Reason
	// Detail says what is malformed (Malformed, Streaming).
	Detail string
	// Signed is the request's time, Now the server's, Limit the end of the
	// window (Expired, NotYetCurrent).
	Signed, Now, Limit time.Time
	// Window is the window the request missed (Expired, NotYetCurrent).
	Window time.Duration
}

func (e *Error) Error() string {
	switch e.Reason {
	case Missing:
		return "no SigV4 signature"
	case Malformed, Streaming:
		return e.Detail
	case UnknownKey:
		return "unknown access key id"
	case Expired:
		return "signature expired"
	case NotYetCurrent:
		return "signature not yet current"
	default:
		return "signature does not match"
	}
}

// Verifier checks SigV4 signatures against a set of keys by signing the
// request again with aws-sdk-go-v2's signer and comparing.
type Verifier struct {
	keys     *Keys
	sessions *Sessions
	now      func() time.Time
	// signers holds one signer per key of the file. The signer caches the
	// signing key it derives, checking the access key id but not the
	// secret: sharing one across secrets of one key id (AssumeRole's
	// sessions all use the account's) would verify the wrong secret. A
	// session's request gets a signer of its own.
	signers map[string]*v4.Signer
}

// NewVerifier returns a verifier of keys and of the temporary credentials
// sessions issued (nil: none); now is the server's clock (nil: time.Now).
func NewVerifier(keys *Keys, sessions *Sessions, now func() time.Time) *Verifier {
	if now == nil {
		now = time.Now
	}
	v := &Verifier{keys: keys, sessions: sessions, now: now, signers: make(map[string]*v4.Signer, keys.Len())}
	for id := range keys.byID {
		v.signers[id] = newSigner()
	}
	return v
}

// newSigner is aws-sdk-go-v2's signer without header hoisting, which
// moves X-Amz-* headers into a presigned query: the client already chose
// where each went, so keep them where they are.
func newSigner() *v4.Signer {
	return v4.NewSigner(func(o *v4.SignerOptions) { o.DisableHeaderHoisting = true })
}

// Verify checks r's signature; c and signed are what FromRequest read from
// r, body is r's whole body (already read: r.Body is not touched). It
// returns the key that signed r, or an *Error.
func (v *Verifier) Verify(r *http.Request, c Credential, signed bool, body []byte) (Key, error) {
	if !signed {
		if r.Header.Get("Authorization") != "" || r.URL.Query().Has("X-Amz-Credential") {
			return Key{}, malformed("The Authorization header or X-Amz-Credential is not a well-formed AWS4-HMAC-SHA256 credential (Credential=KEY/DATE/REGION/SERVICE/aws4_request).")
		}
		return Key{}, &Error{Reason: Missing}
	}
	q := r.URL.Query()
	if c.Presigned && q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" {
		return Key{}, malformed("X-Amz-Algorithm must be AWS4-HMAC-SHA256.")
	}
	if c.Signature == "" {
		return Key{}, malformed(missingPart(c, "Signature"))
	}
	if c.SignedHeaders == "" {
		return Key{}, malformed(missingPart(c, "SignedHeaders"))
	}
	date := r.Header.Get("X-Amz-Date")
	if c.Presigned {
		date = q.Get("X-Amz-Date")
	}
	if date == "" {
		if c.Presigned {
			return Key{}, malformed("X-Amz-Date is missing from the query string.")
		}
		return Key{}, malformed("Authorization header requires existence of the 'X-Amz-Date' header.")
	}
	t, err := time.Parse(TimeFormat, date)
	if err != nil {
		return Key{}, malformed(fmt.Sprintf("X-Amz-Date %q is not an ISO 8601 basic date and time (%s).", date, TimeFormat))
	}
	payload := r.Header.Get("X-Amz-Content-Sha256")
	if c.Presigned && payload == "" {
		payload = q.Get("X-Amz-Content-Sha256")
	}
	if strings.HasPrefix(payload, "STREAMING-") {
		return Key{}, &Error{Reason: Streaming, Detail: fmt.Sprintf("X-Amz-Content-Sha256 %s: chunked (streaming) payload signing is not supported by this service; sign the whole payload, or send UNSIGNED-PAYLOAD.", payload)}
	}
	// A session token of ours names the key (AssumeRole's credentials);
	// otherwise the file does.
	token := r.Header.Get("X-Amz-Security-Token")
	if c.Presigned {
		token = q.Get("X-Amz-Security-Token")
	}
	key, ok := v.sessions.lookup(c.AccessKey, token)
	signer := newSigner()
	if !ok {
		key, ok = v.keys.Lookup(c.AccessKey)
		signer = v.signers[c.AccessKey]
	}
	if !ok {
		return Key{}, &Error{Reason: UnknownKey}
	}

	now := v.now().UTC()
	if t.Sub(now) > Window {
		return Key{}, &Error{Reason: NotYetCurrent, Signed: t, Now: now, Limit: now.Add(Window), Window: Window}
	}
	window := Window
	if c.Presigned {
		if s := q.Get("X-Amz-Expires"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 604800 {
				return Key{}, malformed(fmt.Sprintf("X-Amz-Expires %q must be a number of seconds from 1 to 604800.", s))
			}
			window = time.Duration(n) * time.Second
		}
	}
	if now.Sub(t) > window {
		return Key{}, &Error{Reason: Expired, Signed: t, Now: now, Limit: now.Add(-window), Window: window}
	}

	// The payload hash the client signed: the header's when it says
	// UNSIGNED-PAYLOAD, else the body's own (a header with another hash
	// is itself signed, so a body changed in flight fails below). A
	// presigned request does not say which it used: AWS's SDKs presign
	// with the body's hash or with UNSIGNED-PAYLOAD, so either may match.
	hashes := []string{payload}
	if payload != "UNSIGNED-PAYLOAD" {
		sum := sha256.Sum256(body)
		hashes = []string{hex.EncodeToString(sum[:])}
		if c.Presigned && payload == "" {
			hashes = append(hashes, "UNSIGNED-PAYLOAD")
		}
	}
	creds := aws.Credentials{AccessKeyID: key.AccessKeyID, SecretAccessKey: key.SecretAccessKey}
	for _, h := range hashes {
		got, err := resign(signer, r, c, creds, h, t)
		if err == nil && hmac.Equal([]byte(got), []byte(c.Signature)) {
			return key, nil
		}
	}
	return Key{}, &Error{Reason: Mismatch}
}

// resign signs, with aws-sdk-go-v2's signer, the request as the client
// built it: its method, host, path and query, and the headers it signed
// (only those), and returns the signature.
func resign(signer *v4.Signer, r *http.Request, c Credential, creds aws.Credentials, payloadHash string, t time.Time) (string, error) {
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	clone := &http.Request{Method: r.Method, URL: &u, Host: r.Host, Header: http.Header{}}
	if c.Presigned {
		q := u.Query()
		q.Del("X-Amz-Signature")
		creds.SessionToken = q.Get("X-Amz-Security-Token")
		u.RawQuery = q.Encode()
	} else {
		creds.SessionToken = r.Header.Get("X-Amz-Security-Token")
	}
	for name := range strings.SplitSeq(c.SignedHeaders, ";") {
		switch name = strings.ToLower(name); name {
		case "host", "x-amz-date", "x-amz-security-token":
			// The signer writes these itself, from r.Host, t and creds.
		case "content-length":
			clone.ContentLength = r.ContentLength
			if n, err := strconv.ParseInt(r.Header.Get("Content-Length"), 10, 64); err == nil {
				clone.ContentLength = n
			}
		default:
			// Lower-case keys: the signer's list of headers it never signs
			// (User-Agent, Expect, …) matches canonical keys only, and a
			// client that signed one of them must still verify.
			clone.Header[name] = r.Header.Values(name)
		}
	}
	if c.Presigned {
		signed, _, err := signer.PresignHTTP(context.Background(), creds, clone, payloadHash, c.Service, c.Region, t)
		if err != nil {
			return "", err
		}
		su, err := url.Parse(signed)
		if err != nil {
			return "", err
		}
		return su.Query().Get("X-Amz-Signature"), nil
	}
	if err := signer.SignHTTP(context.Background(), creds, clone, payloadHash, c.Service, c.Region, t); err != nil {
		return "", err
	}
	resigned, _ := parseHeader(clone.Header.Get("Authorization"))
	return resigned.Signature, nil
}

func malformed(detail string) *Error { return &Error{Reason: Malformed, Detail: detail} }

// missingPart says a part of the signature is missing, where the client
// should have put it.
func missingPart(c Credential, part string) string {
	if c.Presigned {
		return "X-Amz-" + part + " is missing from the query string."
	}
	return "Authorization header requires '" + part + "' parameter."
}
