package cloud

import (
	"fmt"
	"strconv"
	"strings"
)

// Quota is an AWS limit an account can have raised (what AWS Service
// Quotas adjusts). vpcemu enforces AWS's default unless it is configured
// with another value (`vpcemu serve --quota NAME=VALUE`), for every
// account: a design that works only with a raised quota at AWS should work
// here once that quota is raised too.
type Quota struct {
	Name    string
	Service string // ec2 or elasticloadbalancing
	Default int
	Doc     string
}

// ec2Quotas are the adjustable VPC and EC2 quotas vpcemu enforces.
var ec2Quotas = []Quota{
	{"rules-per-security-group", "ec2", 60, "inbound (and, apart, outbound) rules per security group, per address family"},
	{"security-groups-per-interface", "ec2", 5, "security groups per network interface"},
	{"ipv4-cidr-blocks-per-vpc", "ec2", 5, "IPv4 CIDR blocks per VPC, the primary block included"},
	{"routes-per-route-table", "ec2", 50, "routes a user adds to one route table"},
	{"network-acl-entries", "ec2", 20, "rules per network ACL, per direction and address family, the * rule included"},
	{"network-acls-per-vpc", "ec2", 200, "network ACLs per VPC"},
	{"prefix-lists", "ec2", 100, "customer-managed prefix lists per account and region"},
	{"interface-endpoints-per-vpc", "ec2", 50, "interface and Gateway Load Balancer endpoints per VPC"},
	{"gateway-endpoints", "ec2", 20, "gateway endpoints per account and region"},
	{"active-peerings-per-vpc", "ec2", 50, "active VPC peering connections per VPC"},
	{"pending-peerings", "ec2", 25, "outstanding VPC peering requests per account"},
}

// elbQuotas are Elastic Load Balancing's quotas, named as
// DescribeAccountLimits names them, each described by the name AWS's Service
// Quotas console and the ELB user guides ("Quotas for your Application /
// Network / Gateway Load Balancers") give it.
var elbQuotas = []Quota{
	{"target-groups", "elasticloadbalancing", 3000, "Target Groups per Region (Application and Network Load Balancers share it)"},
	{"targets-per-application-load-balancer", "elasticloadbalancing", 1000, "Targets per Application Load Balancer"},
	{"listeners-per-application-load-balancer", "elasticloadbalancing", 50, "Listeners per Application Load Balancer"},
	{"rules-per-application-load-balancer", "elasticloadbalancing", 100, "Rules per Application Load Balancer (excluding default rules)"},
	{"network-load-balancers", "elasticloadbalancing", 50, "Network Load Balancers per Region"},
	{"targets-per-network-load-balancer", "elasticloadbalancing", 3000, "Targets per Network Load Balancer"},
	{"targets-per-availability-zone-per-network-load-balancer", "elasticloadbalancing", 500, "Targets per Availability Zone per Network Load Balancer"},
	{"listeners-per-network-load-balancer", "elasticloadbalancing", 50, "Listeners per Network Load Balancer"},
	{"condition-values-per-alb-rule", "elasticloadbalancing", 5, "Condition values per rule (Application Load Balancer)"},
	{"condition-wildcards-per-alb-rule", "elasticloadbalancing", 5, "Condition wildcards per rule (Application Load Balancer)"},
	{"target-groups-per-application-load-balancer", "elasticloadbalancing", 100, "Target Groups per Application Load Balancer"},
	{"target-groups-per-action-on-application-load-balancer", "elasticloadbalancing", 5, "Target Groups per Action per Application Load Balancer"},
	{"target-groups-per-action-on-network-load-balancer", "elasticloadbalancing", 1, "Target Groups per Action per Network Load Balancer"},
	{"certificates-per-application-load-balancer", "elasticloadbalancing", 25, "Certificates per Application Load Balancer (excluding default certificates)"},
	{"certificates-per-network-load-balancer", "elasticloadbalancing", 25, "Certificates per Network Load Balancer"},
	{"targets-per-target-group", "elasticloadbalancing", 1000, "Targets per Target Group per Region (instances or IP addresses)"},
	{"target-id-registrations-per-application-load-balancer", "elasticloadbalancing", 1000, "Target ID registrations per Application Load Balancer"},
	{"network-load-balancer-enis-per-vpc", "elasticloadbalancing", 1200, "Network Load Balancer ENIs per VPC (one per zone of each Network Load Balancer)"},
	{"application-load-balancers", "elasticloadbalancing", 50, "Application Load Balancers per Region"},
	{"gateway-load-balancers", "elasticloadbalancing", 100, "Gateway Load Balancers per Region"},
	{"gateway-load-balancers-per-vpc", "elasticloadbalancing", 100, "Gateway Load Balancers per VPC"},
	{"geneve-target-groups", "elasticloadbalancing", 100, "GENEVE target groups per Region"},
	{"targets-per-availability-zone-per-gateway-load-balancer", "elasticloadbalancing", 300, "Targets per Availability Zone per Gateway Load Balancer"},
}

// Quotas lists every quota vpcemu enforces, EC2's first.
func Quotas() []Quota { return append(append([]Quota(nil), ec2Quotas...), elbQuotas...) }

// ELBQuotas lists Elastic Load Balancing's quotas in DescribeAccountLimits
// order.
func ELBQuotas() []Quota { return elbQuotas }

func findQuota(name string) (Quota, bool) {
	for _, q := range Quotas() {
		if q.Name == name {
			return q, true
		}
	}
	return Quota{}, false
}

// WithQuotas sets quotas other than AWS's defaults, by name.
func WithQuotas(values map[string]int) Option {
	return func(c *Cloud) {
		for k, v := range values {
			c.quotas[k] = v
		}
	}
}

// ParseQuota reads NAME=VALUE, refusing unknown names and values below 1.
func ParseQuota(s string) (string, int, error) {
	name, value, ok := strings.Cut(s, "=")
	if !ok {
		return "", 0, fmt.Errorf("quota %q: want NAME=VALUE", s)
	}
	if _, known := findQuota(name); !known {
		return "", 0, fmt.Errorf("unknown quota %q ('vpcemu quotas' lists them)", name)
	}
	n, err := strconv.Atoi(value)
	if err != nil || n < 1 {
		return "", 0, fmt.Errorf("quota %s: %q is not a positive whole number", name, value)
	}
	return name, n, nil
}

// Limit is the value of the named quota: the configured one, or AWS's
// default. Asking for a quota vpcemu does not know is a bug.
func (c *Cloud) Limit(name string) int {
	if v, ok := c.quotas[name]; ok {
		return v
	}
	q, ok := findQuota(name)
	if !ok {
		panic("cloud: unknown quota " + name)
	}
	return q.Default
}

// Limit is Limit inside a use case.
func (t *Txn) Limit(name string) int { return t.c.Limit(name) }
