package analyzer

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/controlapi"
)

// Client asks a running vpcemu the analysis questions of Request, as the
// caller its credentials name (see controlapi.Client).
type Client controlapi.Client

// Error is a refused question: an EC2 error code and a message.
type Error = controlapi.Error

// Analyze posts the question and returns the server's answer as it came:
// the JSON of an Answer. A refusal of the question is an *Error.
func (c *Client) Analyze(ctx context.Context, q Request) ([]byte, error) {
	return (*controlapi.Client)(c).Post(ctx, Path, signingName, q)
}

// signingName is the service the client signs for: the analysis is EC2's
// (Network Insights). The server reads only the account and the region.
const signingName = "ec2"
