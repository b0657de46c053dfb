package elb

import (
	"context"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/sslpolicies"
)

// The certificates and security policies of HTTPS and TLS listeners.
// vpcemu serves no certificate manager: a certificate is a well-formed ACM
// or IAM server certificate ARN, taken on trust.

// ListenerCertificate is one certificate of a listener, as
// DescribeListenerCertificates lists it.
type ListenerCertificate struct {
	ARN       string
	IsDefault bool
}

// secureListener reads an HTTPS or TLS listener for a certificate call.
func secureListener(t *cloud.Txn, arn string) (*Listener, *LoadBalancer, error) {
	l, lb, err := listenerAndLB(t, arn)
	if err != nil {
		return nil, nil, err
	}
	if !secureProtocol(l.Protocol) {
		return nil, nil, cloud.InvalidParam("Certificates can be added to HTTPS and TLS listeners only; listener '%s' is not one", arn)
	}
	return l, lb, nil
}

// AddListenerCertificates adds a certificate to a listener's certificate
// list; adding one it has changes nothing. AWS takes one certificate per
// call and counts those of all of a load balancer's listeners, default
// certificates aside, against its quota.
func (c *Service) AddListenerCertificates(ctx context.Context, who cloud.Caller, arn string, certs []string) ([]ListenerCertificate, error) {
	if len(certs) != 1 {
		return nil, cloud.InvalidParam("You must specify exactly one certificate to add")
	}
	var out []ListenerCertificate
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		l, lb, err := secureListener(t, arn)
		if err != nil {
			return err
		}
		cert := certs[0]
		if !certificateARN.MatchString(cert) {
			return cloud.Errorf(cloud.NotFound, "certificate", "Certificate '%s' not found", cert)
		}
		out = []ListenerCertificate{{ARN: cert}}
		if contains(l.CertificateList, cert) {
			return nil
		}
		if err := checkCertificateQuota(t, lb); err != nil {
			return err
		}
		l.CertificateList = append(l.CertificateList, cert)
		return cloud.Put(t, l)
	})
	return out, err
}

func checkCertificateQuota(t *cloud.Txn, lb *LoadBalancer) error {
	listeners, err := cloud.FindIn[Listener](t, cloud.Key{Name: "load-balancer", Value: lb.ID})
	if err != nil {
		return err
	}
	n := 0
	for _, l := range listeners {
		n += len(l.CertificateList)
	}
	quota := "certificates-per-network-load-balancer"
	if lb.Type == LBApplication {
		quota = "certificates-per-application-load-balancer"
	}
	if n >= t.Limit(quota) {
		return cloud.Errorf(cloud.LimitExceeded, "certificate", "You've reached the limit on the number of certificates per load balancer")
	}
	return nil
}

// RemoveListenerCertificates removes certificates from a listener's
// certificate list. The default certificate stays: ModifyListener replaces
// it. A certificate the list does not hold is passed over.
func (c *Service) RemoveListenerCertificates(ctx context.Context, who cloud.Caller, arn string, certs []string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		l, _, err := secureListener(t, arn)
		if err != nil {
			return err
		}
		for _, cert := range certs {
			if !contains(l.CertificateList, cert) && contains(l.Certificates, cert) {
				// AWS's words, as the Terraform AWS provider quotes them.
				return cloud.Errorf(cloud.OperationNotPermitted, "", "Default certificate cannot be removed: '%s' is the listener's default certificate, which ModifyListener replaces", cert)
			}
		}
		l.CertificateList = network.RemoveWhere(l.CertificateList, func(s string) bool { return contains(certs, s) })
		return cloud.Put(t, l)
	})
}

// ListenerCertificates lists a listener's certificates: its certificate
// list, then the default certificate. A default certificate also in the
// list shows twice, once as the default (API reference,
// DescribeListenerCertificates).
func (c *Service) ListenerCertificates(ctx context.Context, who cloud.Caller, arn string) ([]ListenerCertificate, error) {
	var out []ListenerCertificate
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		l, err := getELB[Listener](t, arn)
		if err != nil {
			return err
		}
		for _, cert := range l.CertificateList {
			out = append(out, ListenerCertificate{ARN: cert})
		}
		for _, cert := range l.Certificates {
			out = append(out, ListenerCertificate{ARN: cert, IsDefault: true})
		}
		return nil
	})
	return out, err
}

// knownSSLPolicy reports whether AWS has a predefined policy of that name.
func knownSSLPolicy(name string) bool {
	_, ok := sslpolicies.Lookup(name)
	return ok
}

// SSLPolicies lists AWS's predefined security policies: those named (all
// of them must exist), or all, of one load balancer type if lbType is set.
func SSLPolicies(names []string, lbType string) ([]sslpolicies.Policy, error) {
	var out, missing []string
	if len(names) == 0 {
		for _, p := range sslpolicies.All() {
			out = append(out, p.Name)
		}
	}
	for _, name := range names {
		if !knownSSLPolicy(name) {
			missing = append(missing, name)
		} else if !contains(out, name) {
			out = append(out, name)
		}
	}
	if len(missing) > 0 {
		return nil, cloud.Errorf(cloud.NotFound, "ssl-policy", "SSL policies '[%s]' not found", strings.Join(missing, ", "))
	}
	var policies []sslpolicies.Policy
	for _, name := range out {
		p, _ := sslpolicies.Lookup(name)
		if lbType == "" || contains(p.LoadBalancerTypes, lbType) {
			policies = append(policies, p)
		}
	}
	return policies, nil
}
