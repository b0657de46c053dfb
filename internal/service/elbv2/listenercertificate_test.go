package elbv2_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

const otherCertARN = "arn:aws:acm:us-east-1:111111111111:certificate/5cc54884-f4a3-4072-80be-05b9ba72f705"

// httpsListener creates an HTTPS listener with the default certificate
// certARN on a new application load balancer.
func httpsListener(f *fixture, policy *string) types.Listener {
	f.t.Helper()
	alb := f.createLB(&elb.CreateLoadBalancerInput{Name: aws.String("secure"), Subnets: f.subnets[:2]})
	tg := f.targetGroup("app", types.ProtocolEnumHttp, 80, types.TargetTypeEnumIp)
	out, err := f.lb.CreateListener(f.ctx, &elb.CreateListenerInput{LoadBalancerArn: alb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(443),
		SslPolicy: policy, Certificates: []types.Certificate{{CertificateArn: aws.String(certARN)}},
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroupArn}}})
	f.must(err)
	return out.Listeners[0]
}

// certs lists a listener's certificates as "arn default?" strings.
func certs(f *fixture, listener *string) []string {
	f.t.Helper()
	out, err := f.lb.DescribeListenerCertificates(f.ctx, &elb.DescribeListenerCertificatesInput{ListenerArn: listener})
	f.must(err)
	var s []string
	for _, c := range out.Certificates {
		s = append(s, aws.ToString(c.CertificateArn)+map[bool]string{true: " default", false: ""}[aws.ToBool(c.IsDefault)])
	}
	return s
}

func TestListenerCertificates(t *testing.T) {
	f := newFixture(t)
	l := httpsListener(f, nil)
	if got := certs(f, l.ListenerArn); !slices.Equal(got, []string{certARN + " default"}) {
		t.Errorf("certificates of a new listener: %v", got)
	}
	add := func(arn string) error {
		_, err := f.lb.AddListenerCertificates(f.ctx, &elb.AddListenerCertificatesInput{ListenerArn: l.ListenerArn, Certificates: []types.Certificate{{CertificateArn: aws.String(arn)}}})
		return err
	}
	added, err := f.lb.AddListenerCertificates(f.ctx, &elb.AddListenerCertificatesInput{ListenerArn: l.ListenerArn, Certificates: []types.Certificate{{CertificateArn: aws.String(otherCertARN)}}})
	f.must(err)
	if len(added.Certificates) != 1 || aws.ToString(added.Certificates[0].CertificateArn) != otherCertARN || aws.ToBool(added.Certificates[0].IsDefault) {
		t.Errorf("added: %+v", added.Certificates)
	}
	f.must(add(otherCertARN)) // again: nothing changes
	// The default certificate in the list shows twice.
	f.must(add(certARN))
	if got := certs(f, l.ListenerArn); !slices.Equal(got, []string{otherCertARN, certARN, certARN + " default"}) {
		t.Errorf("certificates: %v", got)
	}
	// DescribeListeners shows the default certificate only.
	d, err := f.lb.DescribeListeners(f.ctx, &elb.DescribeListenersInput{ListenerArns: []string{aws.ToString(l.ListenerArn)}})
	f.must(err)
	if c := d.Listeners[0].Certificates; len(c) != 1 || aws.ToString(c[0].CertificateArn) != certARN {
		t.Errorf("listener certificates: %+v", c)
	}
	remove := func(arn string) error {
		_, err := f.lb.RemoveListenerCertificates(f.ctx, &elb.RemoveListenerCertificatesInput{ListenerArn: l.ListenerArn, Certificates: []types.Certificate{{CertificateArn: aws.String(arn)}}})
		return err
	}
	f.must(remove(certARN)) // from the list; the default stays
	f.must(remove(otherCertARN))
	if got := certs(f, l.ListenerArn); !slices.Equal(got, []string{certARN + " default"}) {
		t.Errorf("after removing: %v", got)
	}

	http := f.forward(f.createLB(&elb.CreateLoadBalancerInput{Name: aws.String("plain"), Subnets: f.subnets[1:]}).LoadBalancerArn, types.ProtocolEnumHttp, 80,
		f.targetGroup("plain", types.ProtocolEnumHttp, 80, types.TargetTypeEnumIp).TargetGroupArn)
	checkRefusals(t, []refusal{
		{"remove the default", func() error { return remove(certARN) }, "OperationNotPermitted", "Default certificate cannot be removed"},
		{"unknown certificate", func() error { return add("my-cert") }, "CertificateNotFound", "my-cert"},
		{"HTTP listener", func() error {
			_, err := f.lb.AddListenerCertificates(f.ctx, &elb.AddListenerCertificatesInput{ListenerArn: http.ListenerArn, Certificates: []types.Certificate{{CertificateArn: aws.String(otherCertARN)}}})
			return err
		}, "ValidationError", "HTTPS and TLS listeners"},
		{"two at once", func() error {
			_, err := f.lb.AddListenerCertificates(f.ctx, &elb.AddListenerCertificatesInput{ListenerArn: l.ListenerArn,
				Certificates: []types.Certificate{{CertificateArn: aws.String(otherCertARN)}, {CertificateArn: aws.String(certARN)}}})
			return err
		}, "ValidationError", "exactly one certificate"},
		{"unknown listener", func() error {
			_, err := f.lb.DescribeListenerCertificates(f.ctx, &elb.DescribeListenerCertificatesInput{ListenerArn: aws.String(strings.Replace(aws.ToString(l.ListenerArn), "/secure/", "/gone/", 1))})
			return err
		}, "ListenerNotFound", ""},
	})
	if got := certs(f, l.ListenerArn); !slices.Equal(got, []string{certARN + " default"}) {
		t.Errorf("after the refusals: %v", got)
	}
}

func TestListenerCertificatesQuota(t *testing.T) {
	f := newFixture(t, cloud.WithQuotas(map[string]int{"certificates-per-application-load-balancer": 1}))
	l := httpsListener(f, nil)
	add := func(arn string) error {
		_, err := f.lb.AddListenerCertificates(f.ctx, &elb.AddListenerCertificatesInput{ListenerArn: l.ListenerArn, Certificates: []types.Certificate{{CertificateArn: aws.String(arn)}}})
		return err
	}
	f.must(add(otherCertARN))
	f.wantErr(add(certARN), "TooManyCertificates", "")
}

func TestSSLPolicies(t *testing.T) {
	f := newFixture(t)
	all, err := f.lb.DescribeSSLPolicies(f.ctx, &elb.DescribeSSLPoliciesInput{})
	f.must(err)
	if len(all.SslPolicies) < 30 || aws.ToString(all.SslPolicies[0].Name) != "ELBSecurityPolicy-2016-08" {
		t.Fatalf("%d policies, the first %s", len(all.SslPolicies), aws.ToString(all.SslPolicies[0].Name))
	}
	one, err := f.lb.DescribeSSLPolicies(f.ctx, &elb.DescribeSSLPoliciesInput{Names: []string{"ELBSecurityPolicy-TLS13-1-2-2021-06"}, LoadBalancerType: types.LoadBalancerTypeEnumApplication})
	f.must(err)
	p := one.SslPolicies[0]
	var names []string
	for i, c := range p.Ciphers {
		if aws.ToInt32(c.Priority) != int32(i+1) {
			t.Errorf("cipher %s has priority %d", aws.ToString(c.Name), aws.ToInt32(c.Priority))
		}
		names = append(names, aws.ToString(c.Name))
	}
	// The aws CLI's documented example of this policy.
	want := []string{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256",
		"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
		"ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384"}
	if !slices.Equal(names, want) || !slices.Equal(p.SslProtocols, []string{"TLSv1.2", "TLSv1.3"}) || !slices.Contains(p.SupportedLoadBalancerTypes, "network") {
		t.Errorf("policy: %v %v %v", names, p.SslProtocols, p.SupportedLoadBalancerTypes)
	}
	page, err := f.lb.DescribeSSLPolicies(f.ctx, &elb.DescribeSSLPoliciesInput{PageSize: aws.Int32(10)})
	f.must(err)
	next, err := f.lb.DescribeSSLPolicies(f.ctx, &elb.DescribeSSLPoliciesInput{PageSize: aws.Int32(10), Marker: page.NextMarker})
	f.must(err)
	if len(page.SslPolicies) != 10 || aws.ToString(next.SslPolicies[0].Name) != aws.ToString(all.SslPolicies[10].Name) {
		t.Errorf("pages: %d, then %s", len(page.SslPolicies), aws.ToString(next.SslPolicies[0].Name))
	}
	gw, err := f.lb.DescribeSSLPolicies(f.ctx, &elb.DescribeSSLPoliciesInput{LoadBalancerType: types.LoadBalancerTypeEnumGateway})
	f.must(err)
	if len(gw.SslPolicies) != 0 {
		t.Errorf("gateway load balancers have %d policies", len(gw.SslPolicies))
	}
	_, err = f.lb.DescribeSSLPolicies(f.ctx, &elb.DescribeSSLPoliciesInput{Names: []string{"ELBSecurityPolicy-2016-08", "Strict"}})
	f.wantErr(err, "SSLPolicyNotFound", "Strict")

	// Listeners take the catalogue's policies, the FIPS ones too, and no
	// other.
	l := httpsListener(f, aws.String("ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04"))
	if aws.ToString(l.SslPolicy) != "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04" {
		t.Errorf("policy %s", aws.ToString(l.SslPolicy))
	}
	_, err = f.lb.ModifyListener(f.ctx, &elb.ModifyListenerInput{ListenerArn: l.ListenerArn, SslPolicy: aws.String("ELBSecurityPolicy-TLS13-9-9-2031-01")})
	f.wantErr(err, "SSLPolicyNotFound", "ELBSecurityPolicy-TLS13-9-9-2031-01")
	mod, err := f.lb.ModifyListener(f.ctx, &elb.ModifyListenerInput{ListenerArn: l.ListenerArn, SslPolicy: aws.String("ELBSecurityPolicy-FS-1-2-Res-2020-10")})
	f.must(err)
	if aws.ToString(mod.Listeners[0].SslPolicy) != "ELBSecurityPolicy-FS-1-2-Res-2020-10" {
		t.Errorf("modified policy %s", aws.ToString(mod.Listeners[0].SslPolicy))
	}
}
