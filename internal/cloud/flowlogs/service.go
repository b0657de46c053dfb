// Package flowlogs is the VPC flow logs family of the domain: flow logs
// of VPCs, subnets and network interfaces (CreateFlowLogs and its kin),
// and the delivery of the records the data plane hands over to their
// destinations: CloudWatch Logs through the kernel's LogDelivery hook, and
// S3 as gzip files under a directory of the machine, in AWS's key layout.
//
// A flow log goes with the resource it watches (AWS removes the flow logs
// of a deleted VPC "eventually"; vpcemu at once).
package flowlogs

import "github.com/vpcemu/vpcemu/internal/cloud"

// Service runs the family's use cases on the kernel.
type Service struct {
	*cloud.Cloud
	s3Dir string
}

// Option configures the family.
type Option func(*Service)

// S3Dir is where flow logs to S3 are written: one directory per bucket,
// holding the bucket's keys as paths. vpcemu serves no S3, so any bucket
// name is accepted and written here.
func S3Dir(dir string) Option { return func(s *Service) { s.s3Dir = dir } }

// New returns the family's service over the kernel c.
func New(c *cloud.Cloud, opts ...Option) *Service {
	s := &Service{Cloud: c}
	for _, o := range opts {
		o(s)
	}
	return s
}
