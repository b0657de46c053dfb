package analyzer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Client asks a running vpcemu the analysis questions of Request, as the
// caller its credentials name.
type Client struct {
	// Endpoint is the server's URL (http://127.0.0.1:4566).
	Endpoint string
	// Credentials sign the request with SigV4 for Region, so the server
	// answers for their account (a 12-digit access key id is the account).
	// Without an access key id the request goes unsigned and the server
	// answers for 000000000000 in us-east-1, as for AWS calls.
	Credentials aws.Credentials
	Region      string
	// HTTP is the HTTP client; nil is http.DefaultClient.
	HTTP *http.Client
}

// Analyze posts the question and returns the server's answer as it came:
// the JSON of an Answer. A refusal of the question is an *Error.
func (c *Client) Analyze(ctx context.Context, q Request) ([]byte, error) {
	body, err := json.Marshal(q)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.Endpoint, "/")+Path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.Credentials.AccessKeyID != "" {
		sum := sha256.Sum256(body)
		if err := v4.NewSigner().SignHTTP(ctx, c.Credentials, req, hex.EncodeToString(sum[:]), signingName, c.Region, time.Now()); err != nil {
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

// signingName is the service the client signs for: the analysis is EC2's
// (Network Insights). The server reads only the account and the region.
const signingName = "ec2"
