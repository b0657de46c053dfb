// Package elb is the Elastic Load Balancing v2 family of the domain: load
// balancers (application, network, gateway), target groups and their
// targets, listeners, rules and certificates, named by ARN.
package elb

import "github.com/vpcemu/vpcemu/internal/cloud"

// Service runs the family's use cases on the kernel.
type Service struct{ *cloud.Cloud }

// New returns the family's service over the kernel c.
func New(c *cloud.Cloud) *Service { return &Service{c} }
