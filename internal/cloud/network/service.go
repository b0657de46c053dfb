// Package network is the EC2 networking family of the domain: VPCs and
// their blocks, subnets, route tables and routes, internet, egress-only and
// NAT gateways, Elastic IPs and public addresses, DHCP options, prefix
// lists, security groups and their rules, network ACLs, network
// interfaces, instances, VPC peering, and the default VPC every account
// gets in a region.
package network

import "github.com/vpcemu/vpcemu/internal/cloud"

// Service runs the family's use cases on the kernel.
type Service struct{ *cloud.Cloud }

// New returns the family's service over the kernel c.
func New(c *cloud.Cloud) *Service { return &Service{c} }
