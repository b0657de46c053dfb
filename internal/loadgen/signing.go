package loadgen

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// benchSecret is the secret access key the signing client signs with:
// vpcemu does not verify signatures unless told to, and a strict server
// needs the bench's account ids as access key ids with this secret.
const benchSecret = "vpcemu-bench"

// signing is the shared part of SigV4Client's senders: one signer and one
// net/http transport, as an SDK client shares them between goroutines.
type signing struct {
	url    string
	tr     *http.Transport
	hc     *http.Client
	signer *v4.Signer
}

func newSigning(addr string, n int) *signing {
	// One idle connection kept per worker, so every request reuses one (the
	// default keeps 2 a host, and the others would dial anew).
	tr := &http.Transport{MaxIdleConnsPerHost: n, MaxIdleConns: n, IdleConnTimeout: time.Minute}
	return &signing{url: "http://" + addr, tr: tr, hc: &http.Client{Transport: tr}, signer: v4.NewSigner()}
}

func (s *signing) sender() sender { return &signingClient{signing: s} }

func (s *signing) close() { s.tr.CloseIdleConnections() }

// signingClient is one worker of SigV4Client.
type signingClient struct {
	*signing
	body bytes.Buffer // the last answer; reused
}

func (c *signingClient) send(r *request) (int, []byte, error) {
	req, err := http.NewRequest(r.method, c.url+r.path, strings.NewReader(r.body))
	if err != nil {
		return 0, nil, err
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if r.target != "" {
		req.Header.Set("X-Amz-Target", r.target)
	}
	sum := sha256.Sum256([]byte(r.body))
	creds := aws.Credentials{AccessKeyID: r.account, SecretAccessKey: benchSecret}
	if err := c.signer.SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), r.service, r.region, time.Now()); err != nil {
		return 0, nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	c.body.Reset()
	if _, err := c.body.ReadFrom(resp.Body); err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, c.body.Bytes(), nil
}

// Close keeps the connection: the transport pools it for the other
// workers, and the run's done closes it.
func (c *signingClient) Close() error { return nil }
