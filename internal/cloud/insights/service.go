// Package insights is the Network Insights family of the domain: paths
// (a source, a destination and what to ask of the traffic between them)
// and the analyses that run the reachability engine over them.
package insights

import "github.com/vpcemu/vpcemu/internal/cloud"

// Service runs the family's use cases on the kernel.
type Service struct{ *cloud.Cloud }

// New returns the family's service over the kernel c.
func New(c *cloud.Cloud) *Service { return &Service{c} }
