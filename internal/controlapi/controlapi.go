// Package controlapi is what vpcemu's own JSON endpoints under /_vpcemu/
// (analyze, dx set-state, dx advertise, dns) share, on both sides: the server
// reads one strict JSON object from a POST and answers JSON or a
// {code, message} refusal; the client signs its POST with SigV4, so the
// server acts for the caller its credentials name, as for AWS calls.
package controlapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Error is the JSON body of a refusal, with the AWS error code of the
// service the endpoint stands beside.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Decode reads a POST whose body is one JSON object of in's members only,
// and the caller the request's context names (awsproto.RequestFrom: the
// server finds it from the signature). A refusal says what is wrong: the
// method, a body too large, an unknown member, or a body that is not such
// an object (shape says what it must be).
func Decode(r *http.Request, in any, shape string) (cloud.Caller, *awsproto.Error) {
	if r.Method != http.MethodPost {
		return cloud.Caller{}, &awsproto.Error{Code: "MethodNotAllowed", Message: fmt.Sprintf("%s takes POST with a JSON body, not %s.", r.URL.Path, r.Method), Status: http.StatusMethodNotAllowed}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(in)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		id := awsproto.RequestFrom(r.Context())
		return cloud.Caller{Account: id.Account, Region: id.Region}, nil
	case errors.As(err, &tooBig):
		return cloud.Caller{}, &awsproto.Error{Code: "RequestEntityTooLarge", Message: fmt.Sprintf("The request body exceeds the limit of %d bytes.", tooBig.Limit), Status: http.StatusRequestEntityTooLarge}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return cloud.Caller{}, awsproto.Errorf("UnknownParameter", "The parameter %s is not recognized", strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`))
	}
	return cloud.Caller{}, awsproto.Errorf("SerializationException", "The request body must be one JSON object %s: %v", shape, err)
}

// Fail writes a refusal as JSON with its status (and Allow for a wrong
// method).
func Fail(w http.ResponseWriter, e *awsproto.Error) {
	if e.Status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	json.NewEncoder(w).Encode(Error{Code: e.Code, Message: e.Message})
}

// Write answers out as JSON.
func Write(w http.ResponseWriter, out []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(out)
}

// Client posts to a running vpcemu's own endpoints, as the caller its
// credentials name.
type Client struct {
	// Endpoint is the server's URL (http://127.0.0.1:4566).
	Endpoint string
	// Credentials sign the request with SigV4 for Region, so the server
	// acts for their account (a 12-digit access key id is the account).
	// Without an access key id the request goes unsigned and the server
	// acts for 000000000000 in us-east-1, as for AWS calls.
	Credentials aws.Credentials
	Region      string
	// HTTP is the HTTP client; nil is http.DefaultClient.
	HTTP *http.Client
}

// Post sends in as JSON to path, signed for service (the server reads only
// the account and region), and returns the answer's body. A refusal is an
// *Error.
func (c *Client) Post(ctx context.Context, path, service string, in any) ([]byte, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.Endpoint, "/")+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.Credentials.AccessKeyID != "" {
		sum := sha256.Sum256(body)
		if err := v4.NewSigner().SignHTTP(ctx, c.Credentials, req, hex.EncodeToString(sum[:]), service, c.Region, time.Now()); err != nil {
			return nil, err
		}
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		var e Error
		if json.Unmarshal(answer, &e) != nil || e.Code == "" {
			return nil, fmt.Errorf("%s answered %s: %s", c.Endpoint, resp.Status, bytes.TrimSpace(answer))
		}
		return nil, &e
	}
	return answer, nil
}
