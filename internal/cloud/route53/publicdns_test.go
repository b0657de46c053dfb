package route53

import (
	"fmt"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
)

// dnsWorld is a Route 53 and an endpoint service of alice's whose private
// DNS name waits for verification.
type dnsWorld struct {
	t   *testing.T
	r53 *Service
	net *network.Service
	pl  *privatelink.Service
	svc *privatelink.ServiceConfiguration
	n   int // zones made, for their caller references
}

func newDNSWorld(t *testing.T, privateDNSName string) *dnsWorld {
	t.Helper()
	r53, n := newService(t)
	w := &dnsWorld{t: t, r53: r53, net: n, pl: privatelink.New(r53.Cloud)}
	vpc := must[*network.VPC](t)(n.CreateVPC(ctx, alice, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}))
	sub := must[*network.Subnet](t)(n.CreateSubnet(ctx, alice, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a"}))
	lb := must[*elb.LoadBalancer](t)(elb.New(r53.Cloud).CreateLoadBalancer(ctx, alice, elb.CreateLoadBalancerInput{
		Name: "api", Type: elb.LBNetwork, Scheme: elb.SchemeInternal, Subnets: []string{sub.ID}}))
	w.svc = must[*privatelink.ServiceConfiguration](t)(w.pl.CreateServiceConfiguration(ctx, alice, privatelink.ServiceConfigurationInput{
		NetworkLoadBalancerARNs: []string{lb.ID}, PrivateDNSName: privateDNSName}))
	return w
}

// zone makes a public zone (private: in a new VPC of who's) and returns
// its id.
func (w *dnsWorld) zone(who cloud.Caller, name string, private bool) string {
	w.t.Helper()
	w.n++
	in := NewZone{Name: name, CallerReference: fmt.Sprint("ref-", w.n)}
	if private {
		v := vpcOf(w.t, w.net, who)
		in.Private, in.VPC = true, &v
	}
	return must[*ZoneCreated](w.t)(w.r53.CreateHostedZone(ctx, who, in)).Zone.ID
}

// txt publishes a TXT record in a zone of who's.
func (w *dnsWorld) txt(who cloud.Caller, zone, name string, values ...string) {
	w.t.Helper()
	must[ChangeInfo](w.t)(w.r53.ChangeRecordSets(ctx, who, zone, "", []RecordChange{{ActionUpsert,
		RecordSet{Name: name, Type: "TXT", TTL: new(int64(300)), Values: values}}}))
}

// verify starts the service's verification and answers its state.
func (w *dnsWorld) verify() string {
	w.t.Helper()
	if err := w.pl.StartPrivateDNSVerification(ctx, alice, w.svc.ID); err != nil {
		w.t.Fatal(err)
	}
	var s *privatelink.ServiceConfiguration
	err := w.r53.View(ctx, alice, func(t *cloud.Txn) (err error) {
		s, err = cloud.GetIn[privatelink.ServiceConfiguration](t, w.svc.ID)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return s.PrivateDNSState
}

// TestPrivateDNSVerification: an endpoint service's private DNS name
// (api.example.com) is verified only when the public zone that answers
// for the TXT record's name, of any account, holds the value asked for.
func TestPrivateDNSVerification(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(w *dnsWorld, txtName, value string)
		want  string
	}{
		{"in the parent domain's zone of another account", func(w *dnsWorld, n, v string) {
			w.txt(bob, w.zone(bob, "example.com", false), n+".api.example.com", `"`+v+`"`)
		}, privatelink.DNSVerified},
		{"in the name's own zone", func(w *dnsWorld, n, v string) {
			w.txt(alice, w.zone(alice, "api.example.com", false), n+".api.example.com", `"`+v+`"`)
		}, privatelink.DNSVerified},
		{"among other values, in two character-strings", func(w *dnsWorld, n, v string) {
			w.txt(alice, w.zone(alice, "example.com", false), n+".api.example.com", `"v=spf1 -all"`, `"`+v[:5]+`" "`+v[5:]+`"`)
		}, privatelink.DNSVerified},
		{"for a parent domain", func(w *dnsWorld, n, v string) {
			w.txt(alice, w.zone(alice, "example.com", false), n+".example.com", `"`+v+`"`)
		}, privatelink.DNSVerified},
		{"without the TXT name (no underscores)", func(w *dnsWorld, n, v string) {
			w.txt(alice, w.zone(alice, "example.com", false), "api.example.com", `"`+v+`"`)
		}, privatelink.DNSVerified},
		{"no zone", func(*dnsWorld, string, string) {}, privatelink.DNSFailed},
		{"a zone without the record", func(w *dnsWorld, n, v string) { w.zone(alice, "example.com", false) }, privatelink.DNSFailed},
		{"wrong value", func(w *dnsWorld, n, v string) {
			w.txt(alice, w.zone(alice, "example.com", false), n+".api.example.com", `"vpce:wrong"`)
		}, privatelink.DNSFailed},
		{"a value with a trailing space", func(w *dnsWorld, n, v string) {
			w.txt(alice, w.zone(alice, "example.com", false), n+".api.example.com", `"`+v+` "`)
		}, privatelink.DNSFailed},
		{"another record name", func(w *dnsWorld, n, v string) {
			w.txt(alice, w.zone(alice, "example.com", false), "_other.api.example.com", `"`+v+`"`)
		}, privatelink.DNSFailed},
		{"in a private zone only", func(w *dnsWorld, n, v string) {
			w.txt(alice, w.zone(alice, "example.com", true), n+".api.example.com", `"`+v+`"`)
		}, privatelink.DNSFailed},
		{"in a less specific zone than the one answering", func(w *dnsWorld, n, v string) {
			w.txt(alice, w.zone(alice, "example.com", false), n+".api.example.com", `"`+v+`"`)
			w.zone(bob, "api.example.com", false)
		}, privatelink.DNSFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newDNSWorld(t, "api.example.com")
			if w.svc.PrivateDNSState != privatelink.DNSPendingVerification {
				t.Fatalf("a new name is %q", w.svc.PrivateDNSState)
			}
			tc.setup(w, w.svc.PrivateDNSTXTName, w.svc.PrivateDNSTXTValue)
			if got := w.verify(); got != tc.want {
				t.Errorf("state %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPrivateDNSReverification: a failed name verifies once the record is
// published; a new name (a wildcard here) asks for a new record and must
// be verified again, and the old record does not do.
func TestPrivateDNSReverification(t *testing.T) {
	w := newDNSWorld(t, "api.example.com")
	zone := w.zone(alice, "example.com", false)
	if got := w.verify(); got != privatelink.DNSFailed {
		t.Fatalf("before the record: %q", got)
	}
	w.txt(alice, zone, w.svc.PrivateDNSTXTName+".api.example.com", `"`+w.svc.PrivateDNSTXTValue+`"`)
	if got := w.verify(); got != privatelink.DNSVerified {
		t.Fatalf("with the record: %q", got)
	}
	name := "*.v2.example.com"
	if err := w.pl.ModifyServiceConfiguration(ctx, alice, privatelink.ModifyServiceConfigurationInput{ID: w.svc.ID, PrivateDNSName: &name}); err != nil {
		t.Fatal(err)
	}
	var s *privatelink.ServiceConfiguration
	err := w.r53.View(ctx, alice, func(t *cloud.Txn) (err error) {
		s, err = cloud.GetIn[privatelink.ServiceConfiguration](t, w.svc.ID)
		return err
	})
	if err != nil || s.PrivateDNSState != privatelink.DNSPendingVerification || s.PrivateDNSTXTName == w.svc.PrivateDNSTXTName {
		t.Fatalf("after a new name: %+v %v", s, err)
	}
	w.txt(alice, zone, w.svc.PrivateDNSTXTName+".v2.example.com", `"`+w.svc.PrivateDNSTXTValue+`"`)
	if got := w.verify(); got != privatelink.DNSFailed {
		t.Fatalf("with the old name's record: %q", got)
	}
	w.txt(alice, zone, s.PrivateDNSTXTName+".v2.example.com", `"`+s.PrivateDNSTXTValue+`"`)
	if got := w.verify(); got != privatelink.DNSVerified {
		t.Fatalf("with the new record: %q", got)
	}
}

func TestTXTText(t *testing.T) {
	for in, want := range map[string]string{
		`"vpce:abc"`:        "vpce:abc",
		`"vpce:" "abc"`:     "vpce:abc",
		`"a \"q\" b"`:       `a "q" b`,
		`"x\065y"`:          "xAy",
		`"back\\slash"`:     `back\slash`,
		`"spaces inside" `:  "spaces inside",
		`bare words`:        "barewords",
		`"unterminated`:     "unterminated",
		`"trailing\`:        `trailing\`,
		`"\06"`:             "06",
		`"v=spf1 -all" "x"`: "v=spf1 -allx",
	} {
		if got := txtText(in); got != want {
			t.Errorf("txtText(%s) = %q, want %q", in, got, want)
		}
	}
}
