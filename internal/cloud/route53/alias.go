package route53

import (
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
)

// serviceTargetExists reports whether an alias's DNS name (an Fqdn) that
// is not in a vpcemu zone names something vpcemu has: a load balancer's
// name, or an interface endpoint's regional or zonal name. Names of
// other AWS services (CloudFront, S3 websites, …) are taken as given;
// known is false for them.
func serviceTargetExists(t *cloud.Txn, dns string) (exists, known bool, err error) {
	name := strings.TrimSuffix(dns, ".")
	switch {
	case strings.HasSuffix(name, ".vpce.amazonaws.com"):
		ok, err := endpointNameExists(t, name)
		return ok, true, err
	case strings.HasSuffix(name, ".elb.amazonaws.com") || strings.Contains(name, ".elb.") && strings.HasSuffix(name, ".amazonaws.com"):
		ok, err := loadBalancerNameExists(t, name)
		return ok, true, err
	}
	return false, false, nil
}

// endpointNameExists: vpce-<id>-<label>[-<zone>].<service name>.
func endpointNameExists(t *cloud.Txn, name string) (bool, error) {
	name = strings.TrimPrefix(name, "*.")
	host, _, _ := strings.Cut(name, ".")
	parts := strings.SplitN(host, "-", 3) // vpce, id, label[-zone]
	if len(parts) != 3 || parts[0] != "vpce" {
		return false, nil
	}
	e, err := cloud.GetAny[privatelink.VPCEndpoint](t, "vpce-"+parts[1])
	if e2, ok := cloud.AsError(err); ok && e2.Reason == cloud.NotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if e.Type != privatelink.EndpointTypeInterface || e.State == privatelink.VPCEndpointDeleted || e.ServiceDNSName == "" {
		return false, nil
	}
	return strings.HasPrefix(host, e.ID+"-"+e.DNSLabel) && strings.HasSuffix(name, "."+e.ServiceDNSName), nil
}

// loadBalancerNameExists: [dualstack.][internal-]<name>-<id>.<…>.
func loadBalancerNameExists(t *cloud.Txn, name string) (bool, error) {
	name = strings.TrimPrefix(name, "dualstack.")
	host, _, _ := strings.Cut(name, ".")
	i := strings.LastIndexByte(host, '-')
	if i < 1 {
		return false, nil
	}
	candidates := []string{host[:i]}
	if n, ok := strings.CutPrefix(host[:i], "internal-"); ok {
		candidates = append(candidates, n)
	}
	for _, lbName := range candidates {
		lbs, err := cloud.FindAny[elb.LoadBalancer](t, cloud.Key{Name: "name", Value: lbName})
		if err != nil {
			return false, err
		}
		for _, lb := range lbs {
			if strings.EqualFold(lb.DNSName(), name) {
				return true, nil
			}
		}
	}
	return false, nil
}
