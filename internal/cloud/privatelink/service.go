// Package privatelink is the PrivateLink family of the domain: VPC
// endpoints (interface, gateway, Gateway Load Balancer), endpoint services
// and their permissions, connections and notifications, and the DNS names
// endpoints get.
package privatelink

import "github.com/vpcemu/vpcemu/internal/cloud"

// Service runs the family's use cases on the kernel.
type Service struct{ *cloud.Cloud }

// New returns the family's service over the kernel c.
func New(c *cloud.Cloud) *Service { return &Service{c} }
