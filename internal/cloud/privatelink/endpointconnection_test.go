package privatelink

import (
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
)

// providerFixture is alice's endpoint service on a network load balancer
// in the fixture's subnet; bob's endpoints connect to it. bob's endpoint
// records are put directly: the consumer side (CreateVpcEndpoint) is not
// needed to exercise the provider's answers.
type providerFixture struct {
	fixture
	lb  *elb.LoadBalancer
	svc *ServiceConfiguration
}

func newProviderFixture(t *testing.T) providerFixture {
	t.Helper()
	f := providerFixture{fixture: newFixture(t, "us-east-1a", cloud.WithIDs(cloud.SequentialIDs()))}
	var err error
	f.lb, err = f.elbs.CreateLoadBalancer(f.ctx, f.who, elb.CreateLoadBalancerInput{Name: "svc", Type: elb.LBNetwork, Scheme: elb.SchemeInternal, Subnets: []string{f.subnet.ID}})
	if err != nil {
		t.Fatal(err)
	}
	f.svc, err = f.pl.CreateServiceConfiguration(f.ctx, f.who, ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.lb.ID}, AcceptanceRequired: true})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// endpoint puts an interface endpoint of bob to service svc in state.
func (f providerFixture) endpoint(id, svc, state string) {
	f.t.Helper()
	err := f.c.Update(f.ctx, bob, func(t *cloud.Txn) error {
		return cloud.Put(t, &VPCEndpoint{
			Meta: cloud.Meta{ID: id, Owner: bob.Account, Region: bob.Region}, Type: ServiceTypeInterface, VpcID: "vpc-0b0b0b0b",
			ServiceID: svc, ServiceOwner: alice.Account, ServiceName: "com.amazonaws.vpce.us-east-1." + svc,
			State: state, CreationTime: t.Now, StateChanged: t.Now, ConnectionID: "vpce-con-" + id[len("vpce-"):],
		})
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// state reads an endpoint's state.
func (f providerFixture) state(id string) string {
	f.t.Helper()
	var e *VPCEndpoint
	err := f.c.View(f.ctx, bob, func(t *cloud.Txn) (err error) {
		e, err = cloud.GetIn[VPCEndpoint](t, id)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return e.State
}

func TestConnectionAnswers(t *testing.T) {
	cases := []struct {
		from   string
		accept bool
		want   string // "" for a refusal
	}{
		{connPendingAcceptance, true, connAvailable},
		{connPendingAcceptance, false, connRejected},
		{connAvailable, false, connRejected}, // the provider may reject what it accepted
		{connPending, false, connRejected},
		{connPartial, false, connRejected},
		{connAvailable, true, ""},
		{connRejected, true, ""},
		{connRejected, false, ""},
		{"failed", true, ""},
		{"deleted", false, ""},
	}
	for _, tc := range cases {
		verb := map[bool]string{true: "accept", false: "reject"}[tc.accept]
		t.Run(verb+" "+tc.from, func(t *testing.T) {
			f := newProviderFixture(t)
			f.endpoint("vpce-0000000000000000a", f.svc.ID, tc.from)
			answer := f.pl.RejectEndpointConnections
			if tc.accept {
				answer = f.pl.AcceptEndpointConnections
			}
			failed, err := answer(f.ctx, f.who, f.svc.ID, []string{"vpce-0000000000000000a"})
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if len(failed) != 1 || failed[0].Err.Reason != cloud.IncorrectState || failed[0].Err.Subject != cloud.SubjectEndpointItem {
					t.Fatalf("want an IncorrectState item, got %+v", failed)
				}
				if got := f.state("vpce-0000000000000000a"); got != tc.from {
					t.Errorf("state %s, want it unchanged (%s)", got, tc.from)
				}
				return
			}
			if len(failed) != 0 {
				t.Fatalf("unsuccessful: %+v", failed[0].Err)
			}
			if got := f.state("vpce-0000000000000000a"); got != tc.want {
				t.Errorf("state %s, want %s", got, tc.want)
			}
		})
	}
}

// TestConnectionAnswerItems: each id is answered on its own; ids that are
// no connection of the service are unsuccessful, the others move.
func TestConnectionAnswerItems(t *testing.T) {
	f := newProviderFixture(t)
	other, err := f.elbs.CreateLoadBalancer(f.ctx, f.who, elb.CreateLoadBalancerInput{Name: "other", Type: elb.LBNetwork, Scheme: elb.SchemeInternal, Subnets: []string{f.subnet.ID}})
	if err != nil {
		t.Fatal(err)
	}
	svc2, err := f.pl.CreateServiceConfiguration(f.ctx, f.who, ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{other.ID}})
	if err != nil {
		t.Fatal(err)
	}
	f.endpoint("vpce-0000000000000000a", f.svc.ID, connPendingAcceptance)
	f.endpoint("vpce-0000000000000000b", svc2.ID, connPendingAcceptance)
	failed, err := f.pl.AcceptEndpointConnections(f.ctx, f.who, f.svc.ID, []string{"vpce-0000000000000000a", "vpce-0000000000000000b", "vpce-0000000000000000c"})
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 2 || failed[0].ID != "vpce-0000000000000000b" || failed[1].ID != "vpce-0000000000000000c" {
		t.Fatalf("unsuccessful %+v, want b (another service's) and c (unknown)", failed)
	}
	for _, u := range failed {
		if u.Err.Reason != cloud.NotFound || u.Err.Subject != cloud.SubjectEndpointItem {
			t.Errorf("%s: %+v, want NotFound", u.ID, u.Err)
		}
	}
	if f.state("vpce-0000000000000000a") != connAvailable || f.state("vpce-0000000000000000b") != connPendingAcceptance {
		t.Errorf("states a=%s b=%s", f.state("vpce-0000000000000000a"), f.state("vpce-0000000000000000b"))
	}
}

// TestConnectionAnswersOwnerOnly: only the service's owner answers; for
// anyone else the service does not exist.
func TestConnectionAnswersOwnerOnly(t *testing.T) {
	f := newProviderFixture(t)
	f.endpoint("vpce-0000000000000000a", f.svc.ID, connPendingAcceptance)
	_, err := f.pl.AcceptEndpointConnections(f.ctx, bob, f.svc.ID, []string{"vpce-0000000000000000a"})
	wantReason(t, err, cloud.NotFound, cloud.KindVPCEndpointService, "The VpcEndpointService Id '"+f.svc.ID+"' does not exist")
}

// TestEndpointConnectionsList: the provider sees every account's endpoints
// to its services, in id order, and nobody else's.
func TestEndpointConnectionsList(t *testing.T) {
	f := newProviderFixture(t)
	f.endpoint("vpce-0000000000000000b", f.svc.ID, connAvailable)
	f.endpoint("vpce-0000000000000000a", f.svc.ID, connPendingAcceptance)
	f.endpoint("vpce-0000000000000000c", "vpce-svc-0000000000000dead", connAvailable)
	conns, err := f.pl.EndpointConnections(f.ctx, f.who)
	if err != nil {
		t.Fatal(err)
	}
	if len(conns) != 2 || conns[0].Endpoint.ID != "vpce-0000000000000000a" || conns[1].Endpoint.ID != "vpce-0000000000000000b" {
		t.Fatalf("connections %+v", conns)
	}
	if conns[0].Service.ID != f.svc.ID || conns[0].Endpoint.Owner != bob.Account {
		t.Errorf("connection %+v", conns[0])
	}
	theirs, err := f.pl.EndpointConnections(f.ctx, bob)
	if err != nil || len(theirs) != 0 {
		t.Errorf("bob sees %v, %v", theirs, err)
	}
}

// TestDeleteServiceWithConnections: pending or accepted connections keep
// the service; rejected ones do not.
func TestDeleteServiceWithConnections(t *testing.T) {
	for _, tc := range []struct {
		state   string
		deletes bool
	}{
		{connPendingAcceptance, false},
		{connPending, false},
		{connAvailable, false},
		{connRejected, true},
		{"failed", true},
		{"deleted", true},
	} {
		t.Run(tc.state, func(t *testing.T) {
			f := newProviderFixture(t)
			f.endpoint("vpce-0000000000000000a", f.svc.ID, tc.state)
			failed, err := f.pl.DeleteServiceConfigurations(f.ctx, f.who, []string{f.svc.ID})
			if err != nil {
				t.Fatal(err)
			}
			if tc.deletes {
				if len(failed) != 0 {
					t.Fatalf("unsuccessful: %+v", failed[0].Err)
				}
				return
			}
			if len(failed) != 1 {
				t.Fatalf("deleted with a %s connection", tc.state)
			}
			wantReason(t, failed[0].Err, cloud.DependencyViolation, cloud.KindVPCEndpointService, "Service has existing active VPC Endpoint connections!")
		})
	}
}

// TestDeleteServiceTakesNotifications: a service's connection
// notifications go with it.
func TestDeleteServiceTakesNotifications(t *testing.T) {
	f := newProviderFixture(t)
	n, err := f.pl.CreateConnectionNotification(f.ctx, f.who, ConnectionNotificationInput{ServiceID: f.svc.ID, TopicARN: "arn:aws:sns:us-east-1:111111111111:t", Events: []string{"Connect"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.pl.DeleteServiceConfigurations(f.ctx, f.who, []string{f.svc.ID}); err != nil {
		t.Fatal(err)
	}
	err = f.c.View(f.ctx, f.who, func(t *cloud.Txn) error {
		_, err := cloud.GetIn[ConnectionNotification](t, n.ID)
		return err
	})
	wantReason(t, err, cloud.NotFound, cloud.KindConnectionNotification, n.ID)
}

// TestLoadBalancerInUse: a load balancer backs its service until the
// service goes.
func TestLoadBalancerInUse(t *testing.T) {
	f := newProviderFixture(t)
	err := f.elbs.DeleteLoadBalancer(f.ctx, f.who, f.lb.ID)
	wantReason(t, err, cloud.InUse, cloud.KindLoadBalancer, "cannot be deleted because it is currently associated with another service")
	if _, err := f.pl.DeleteServiceConfigurations(f.ctx, f.who, []string{f.svc.ID}); err != nil {
		t.Fatal(err)
	}
	if err := f.elbs.DeleteLoadBalancer(f.ctx, f.who, f.lb.ID); err != nil {
		t.Fatal(err)
	}
}

func TestPrincipalTypes(t *testing.T) {
	for p, want := range map[string]string{
		"*":                                    PrincipalAll,
		"arn:aws:iam::123456789012:root":       PrincipalAccount,
		"arn:aws:iam::123456789012:user/alice": PrincipalUser,
		"arn:aws:iam::123456789012:role/ops":   PrincipalRole,
		"ec2.amazonaws.com":                    PrincipalService,
		"arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-abcdefgh": PrincipalOrganizationUnit,
		"123456789012":                        "",
		"arn:aws:iam::123456789012:user/a/b":  "", // paths are not supported
		"arn:aws:iam::12345678901:root":       "",
		"arn:aws:iam::123456789012:group/dev": "",
		"":                                    "",
	} {
		if got := principalType(p); got != want {
			t.Errorf("principalType(%q) = %q, want %q", p, got, want)
		}
	}
}
