// Package ec2 serves the EC2 API: it turns generated wire shapes into calls
// on the domain (internal/cloud) and domain results back into shapes, and
// owns what is EC2-specific on the way: filters, paging and error codes.
// One file per resource kind.
package ec2

import (
	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/flowlogs"
	"github.com/vpcemu/vpcemu/internal/cloud/insights"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
)

// Service implements ec2api.Handler.
type Service struct {
	cloud       *cloud.Cloud
	network     *network.Service
	insights    *insights.Service
	privatelink *privatelink.Service
	flowLogs    *flowlogs.Service
}

var _ ec2api.Handler = (*Service)(nil)

// Domain is what of the domain the EC2 API serves: the kernel (tags, the
// default VPC) and the resource families.
type Domain struct {
	Cloud       *cloud.Cloud
	Network     *network.Service
	Insights    *insights.Service
	PrivateLink *privatelink.Service
	FlowLogs    *flowlogs.Service
}

// New returns the EC2 service over d.
func New(d Domain) *Service {
	return &Service{cloud: d.Cloud, network: d.Network, insights: d.Insights, privatelink: d.PrivateLink, flowLogs: d.FlowLogs}
}

// caller is who sends the request, as the domain sees them.
func caller(r *awsproto.Request) cloud.Caller {
	return cloud.Caller{Account: r.Account, Region: r.Region, DryRun: r.DryRun}
}
