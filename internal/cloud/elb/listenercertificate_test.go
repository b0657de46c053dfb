package elb

import (
	"reflect"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/sslpolicies"
)

// httpsListener is an HTTPS listener on a new application load balancer,
// with certA as its default certificate.
func (f *fixture) httpsListener() *Listener {
	f.t.Helper()
	g := f.targetGroup("secure", "HTTP", 80, TargetIP)
	l, err := f.elb.CreateListener(f.ctx, alice, f.alb("secure").ID, ListenerInput{Port: ptr(int32(443)), Protocol: "HTTPS", Certificates: []string{certA}, Actions: forwardTo(g.ID)})
	f.must(err)
	return l
}

// certs lists a listener's certificates, "default" after the default one.
func (f *fixture) certs(arn string) []string {
	f.t.Helper()
	out, err := f.elb.ListenerCertificates(f.ctx, alice, arn)
	f.must(err)
	var s []string
	for _, c := range out {
		if c.IsDefault {
			s = append(s, c.ARN+" default")
		} else {
			s = append(s, c.ARN)
		}
	}
	return s
}

func TestListenerCertificates(t *testing.T) {
	f := newFixture(t)
	l := f.httpsListener()
	if got := f.certs(l.ID); !reflect.DeepEqual(got, []string{certA + " default"}) {
		t.Errorf("a new listener's %v", got)
	}
	added, err := f.elb.AddListenerCertificates(f.ctx, alice, l.ID, []string{certB})
	f.must(err)
	if !reflect.DeepEqual(added, []ListenerCertificate{{ARN: certB}}) {
		t.Errorf("added %+v", added)
	}
	_, err = f.elb.AddListenerCertificates(f.ctx, alice, l.ID, []string{certB}) // again: nothing changes
	f.must(err)
	_, err = f.elb.AddListenerCertificates(f.ctx, alice, l.ID, []string{certA}) // the default, in the list too
	f.must(err)
	if got := f.certs(l.ID); !reflect.DeepEqual(got, []string{certB, certA, certA + " default"}) {
		t.Errorf("certificates %v", got)
	}
	if got := get[Listener](f, l.ID); !reflect.DeepEqual(got.Certificates, []string{certA}) {
		t.Errorf("the listener's default %v", got.Certificates)
	}
	f.must(f.elb.RemoveListenerCertificates(f.ctx, alice, l.ID, []string{certA})) // from the list; the default stays
	f.must(f.elb.RemoveListenerCertificates(f.ctx, alice, l.ID, []string{certB, certC}))
	if got := f.certs(l.ID); !reflect.DeepEqual(got, []string{certA + " default"}) {
		t.Errorf("after removing %v", got)
	}
	plain := f.forward(f.alb("plain").ID, "HTTP", 80, f.targetGroup("plain", "HTTP", 80, TargetIP).ID)
	for _, tc := range []struct {
		name   string
		err    error
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"remove the default", f.elb.RemoveListenerCertificates(f.ctx, alice, l.ID, []string{certA}), cloud.OperationNotPermitted, "", "Default certificate cannot be removed"},
		{"unknown certificate", second(f.elb.AddListenerCertificates(f.ctx, alice, l.ID, []string{"my-cert"})), cloud.NotFound, "certificate", "Certificate 'my-cert' not found"},
		{"HTTP listener", second(f.elb.AddListenerCertificates(f.ctx, alice, plain.ID, []string{certB})), cloud.InvalidParameter, "", "HTTPS and TLS listeners only"},
		{"remove from an HTTP listener", f.elb.RemoveListenerCertificates(f.ctx, alice, plain.ID, []string{certB}), cloud.InvalidParameter, "", "HTTPS and TLS listeners only"},
		{"two at once", second(f.elb.AddListenerCertificates(f.ctx, alice, l.ID, []string{certB, certC})), cloud.InvalidParameter, "", "exactly one certificate"},
		{"unknown listener", second(f.elb.ListenerCertificates(f.ctx, alice, missingARN(l.ID))), cloud.NotFound, cloud.KindListener, ""},
		{"add to an unknown listener", second(f.elb.AddListenerCertificates(f.ctx, alice, missingARN(l.ID), []string{certB})), cloud.NotFound, cloud.KindListener, ""},
		{"dry run", second(f.elb.AddListenerCertificates(f.ctx, dry(alice), l.ID, []string{certB})), cloud.DryRun, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) { wantReason(t, tc.err, tc.reason, tc.kind, tc.msg) })
	}
	if got := f.certs(l.ID); !reflect.DeepEqual(got, []string{certA + " default"}) {
		t.Errorf("after the refusals %v", got)
	}
}

func TestListenerCertificatesQuota(t *testing.T) {
	f := newFixture(t, cloud.WithQuotas(map[string]int{"certificates-per-application-load-balancer": 1, "certificates-per-network-load-balancer": 1}))
	l := f.httpsListener()
	_, err := f.elb.AddListenerCertificates(f.ctx, alice, l.ID, []string{certB})
	f.must(err)
	_, err = f.elb.AddListenerCertificates(f.ctx, alice, l.ID, []string{certC})
	wantReason(t, err, cloud.LimitExceeded, "certificate", "You've reached the limit on the number of certificates per load balancer")
	tls, err := f.elb.CreateListener(f.ctx, alice, f.nlb("net").ID, ListenerInput{Port: ptr(int32(443)), Protocol: "TLS", Certificates: []string{certA},
		Actions: forwardTo(f.targetGroup("tls", "TLS", 443, TargetIP).ID)})
	f.must(err)
	_, err = f.elb.AddListenerCertificates(f.ctx, alice, tls.ID, []string{certB})
	f.must(err)
	_, err = f.elb.AddListenerCertificates(f.ctx, alice, tls.ID, []string{certC})
	wantReason(t, err, cloud.LimitExceeded, "certificate", "")
}

func TestSSLPolicies(t *testing.T) {
	all, err := SSLPolicies(nil, "")
	if err != nil || len(all) != len(sslpolicies.All()) || all[0].Name != sslpolicies.Default {
		t.Fatalf("%d policies, %v", len(all), err)
	}
	named, err := SSLPolicies([]string{"ELBSecurityPolicy-TLS13-1-2-2021-06", sslpolicies.Default, sslpolicies.Default}, "")
	if err != nil || len(named) != 2 || named[0].Name != "ELBSecurityPolicy-TLS13-1-2-2021-06" {
		t.Errorf("named %v, %v", named, err)
	}
	for _, typ := range []string{LBApplication, LBNetwork} {
		some, err := SSLPolicies(nil, typ)
		if err != nil || len(some) == 0 {
			t.Fatalf("%s: %v", typ, err)
		}
		for _, p := range some {
			if !contains(p.LoadBalancerTypes, typ) {
				t.Errorf("%s policy %s is for %v", typ, p.Name, p.LoadBalancerTypes)
			}
		}
	}
	_, err = SSLPolicies([]string{"Strict", sslpolicies.Default, "Lax"}, "")
	wantReason(t, err, cloud.NotFound, "ssl-policy", "SSL policies '[Strict, Lax]' not found")
}
