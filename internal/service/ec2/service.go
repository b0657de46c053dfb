// Package ec2 serves the EC2 API: it turns generated wire shapes into calls
// on the domain (internal/cloud) and domain results back into shapes, and
// owns what is EC2-specific on the way: filters, paging and error codes.
// One file per resource kind.
package ec2

import (
	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Service implements ec2api.Handler.
type Service struct {
	cloud *cloud.Cloud
}

var _ ec2api.Handler = (*Service)(nil)

// New returns the EC2 service over c.
func New(c *cloud.Cloud) *Service { return &Service{cloud: c} }

// caller is who sends the request, as the domain sees them.
func caller(r *awsproto.Request) cloud.Caller {
	return cloud.Caller{Account: r.Account, Region: r.Region, DryRun: r.DryRun}
}
