package awsproto

import "context"

// Request is what the server learned about a request before the operation
// runs: who calls, where, and how. The generated Invoke hands it to the
// operation's handler as a parameter; vpcemu's own paths (/_vpcemu/…),
// plain http.Handlers, find it in their request's context (RequestFrom).
type Request struct {
	ID        string // x-amzn-RequestId
	Account   string // 12 digits
	Region    string
	AccessKey string
	Service   string // signing name
	Operation string
	DryRun    bool
}

type requestKey struct{}

// WithRequest attaches r to ctx, for vpcemu's own paths.
func WithRequest(ctx context.Context, r *Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request attached to ctx, or a default one for
// account 000000000000 in us-east-1.
func RequestFrom(ctx context.Context) *Request {
	if r, ok := ctx.Value(requestKey{}).(*Request); ok {
		return r
	}
	return &Request{Account: DefaultAccount, Region: DefaultRegion}
}

// The account and region of a request that names neither.
const (
	DefaultAccount = "000000000000"
	DefaultRegion  = "us-east-1"
)
