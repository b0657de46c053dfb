package privatelink

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
)

// serviceFixture is alice's VPC with subnets in us-east-1a and us-east-1b
// and load balancers of each kind in them, to run endpoint services on.
type serviceFixture struct {
	fixture
	subnetB    *network.Subnet
	nlb, nlb2  *elb.LoadBalancer
	gwlb, alb  *elb.LoadBalancer
	bobVPC     *network.VPC
	bobSubnets []*network.Subnet
}

func newServiceFixture(t *testing.T) *serviceFixture {
	t.Helper()
	f := &serviceFixture{fixture: newFixture(t, "us-east-1a", cloud.WithIDs(cloud.SequentialIDs()))}
	var err error
	if f.subnetB, err = f.net.CreateSubnet(f.ctx, f.who, network.CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.2.0/24", AvailabilityZone: "us-east-1b"}); err != nil {
		t.Fatal(err)
	}
	f.nlb = f.lb("api", elb.LBNetwork, f.subnet.ID)
	f.nlb2 = f.lb("api2", elb.LBNetwork, f.subnetB.ID)
	f.gwlb = f.lb("fw", elb.LBGateway, f.subnet.ID)
	f.alb = f.lb("web", elb.LBApplication, f.subnet.ID, f.subnetB.ID)
	if f.bobVPC, err = f.net.CreateVPC(f.ctx, bob, network.CreateVPCInput{CIDRBlock: "10.8.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	for i, z := range []string{"us-east-1a", "us-east-1b"} {
		s, err := f.net.CreateSubnet(f.ctx, bob, network.CreateSubnetInput{VpcID: f.bobVPC.ID, CIDRBlock: []string{"10.8.1.0/24", "10.8.2.0/24"}[i], AvailabilityZone: z})
		if err != nil {
			t.Fatal(err)
		}
		f.bobSubnets = append(f.bobSubnets, s)
	}
	return f
}

func (f *serviceFixture) lb(name, typ string, subnets ...string) *elb.LoadBalancer {
	f.t.Helper()
	in := elb.CreateLoadBalancerInput{Name: name, Type: typ, Subnets: subnets}
	if typ != elb.LBGateway {
		in.Scheme = elb.SchemeInternal
	}
	lb, err := f.elbs.CreateLoadBalancer(f.ctx, f.who, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return lb
}

func (f *serviceFixture) service(in ServiceConfigurationInput) *ServiceConfiguration {
	f.t.Helper()
	s, err := f.pl.CreateServiceConfiguration(f.ctx, f.who, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// read is the service as its owner reads it, derived fields resolved.
func (f *serviceFixture) read(id string) *ServiceConfiguration {
	return readAs[ServiceConfiguration](f.fixture, id)
}

// visible is the names of the services who can see of its region.
func (f *serviceFixture) visible(who cloud.Caller, id string) *EndpointService {
	f.t.Helper()
	all, err := f.pl.VisibleEndpointServices(f.ctx, who, nil, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, s := range all {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// TestCreateServiceConfiguration: a service on Network Load Balancers is
// an Interface service, available at once, named after its id, in the
// zones of its load balancers.
func TestCreateServiceConfiguration(t *testing.T) {
	f := newServiceFixture(t)
	s := f.service(ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb2.ID, f.nlb.ID, f.nlb.ID}, AcceptanceRequired: true,
		Tags: []cloud.TagSpec{{ResourceType: "vpc-endpoint-service", Tags: []cloud.Tag{{Key: "Name", Value: "api"}}}}})
	if s.Type != ServiceTypeInterface || s.State != ServiceAvailable || !s.AcceptanceRequired || s.PayerResponsibility != PayerServiceOwner ||
		s.ServiceName() != "com.amazonaws.vpce.us-east-1."+s.ID || !slices.Equal(s.SupportedIPAddressTypes, []string{"ipv4"}) ||
		!slices.Equal(s.SupportedRegions, []string{"us-east-1"}) || s.RemoteAccessEnabled() || s.Tags["Name"] != "api" ||
		len(s.NetworkLoadBalancerARNs) != 2 || !cloud.WellFormed(s.ID, "vpce-svc-") {
		t.Fatalf("service %+v", s)
	}
	if got := s.BaseEndpointDNSNames(); len(got) != 1 || got[0] != s.ID+".us-east-1.vpce.amazonaws.com" {
		t.Errorf("DNS names %v", got)
	}
	if len(s.Zones) != 2 || s.Zones[0].Name != "us-east-1a" || s.Zones[1].Name != "us-east-1b" {
		t.Errorf("zones %+v", s.Zones)
	}
	g := f.service(ServiceConfigurationInput{GatewayLoadBalancerARNs: []string{f.gwlb.ID}})
	if g.Type != ServiceTypeGatewayLoadBalancer || len(g.BaseEndpointDNSNames()) != 0 || len(g.Zones) != 1 {
		t.Fatalf("GWLB service %+v", g)
	}
	// The owner sees its services, with their tags.
	if v := f.visible(f.who, s.ID); v == nil || v.Tags["Name"] != "api" || v.Owner != f.who.Account || v.Type != ServiceTypeInterface {
		t.Fatalf("owner's view %+v", v)
	}
	if f.visible(bob, s.ID) != nil {
		t.Fatal("bob sees a service that admits nobody")
	}
}

func TestCreateServiceConfigurationRefusals(t *testing.T) {
	f := newServiceFixture(t)
	used := f.service(ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb2.ID}})
	bad := "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/nope/0123456789abcdef"
	for _, tc := range []struct {
		name string
		in   ServiceConfigurationInput
		kind cloud.Kind
		msg  string
	}{
		{"no load balancer", ServiceConfigurationInput{}, cloud.KindVPCEndpointService, "exactly one of network_load_balancer_arn or gateway_load_balancer_arn is a required member"},
		{"both kinds", ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb.ID}, GatewayLoadBalancerARNs: []string{f.gwlb.ID}}, cloud.KindVPCEndpointService, "exactly one of"},
		{"not an ARN", ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{"api"}}, cloud.KindVPCEndpointService, "Invalid load balancer ARN: 'api'"},
		{"unknown", ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{bad}}, cloud.KindVPCEndpointService, "The load balancer '" + bad + "' does not exist"},
		{"a GWLB as NLB", ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.gwlb.ID}}, cloud.KindVPCEndpointService, "The load balancer '" + f.gwlb.ID + "' is not a Network Load Balancer"},
		{"an ALB", ServiceConfigurationInput{GatewayLoadBalancerARNs: []string{f.alb.ID}}, cloud.KindVPCEndpointService, "is not a Gateway Load Balancer"},
		{"taken", ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb2.ID}}, cloud.KindVPCEndpointService, "The load balancer '" + f.nlb2.ID + "' is already associated with the VPC endpoint service '" + used.ID + "'"},
		{"bad address type", ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb.ID}, SupportedIPAddressTypes: []string{"ipv5"}}, "", "The supported IP address type 'ipv5' is not valid. Valid values: ipv4, ipv6"},
		{"IPv6 on an IPv4 balancer", ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb.ID}, SupportedIPAddressTypes: []string{"ipv6"}}, cloud.KindVPCEndpointService, "does not support IPv6"},
		{"bad region", ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb.ID}, SupportedRegions: []string{"us-north-9"}}, "", "The supported Region 'us-north-9' is not valid"},
		{"GWLB across regions", ServiceConfigurationInput{GatewayLoadBalancerARNs: []string{f.gwlb.ID}, SupportedRegions: []string{"eu-west-1"}}, cloud.KindVPCEndpointService, "Cross-Region access is supported only for services with Network Load Balancers"},
		{"bad DNS name", ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb.ID}, PrivateDNSName: "not a name"}, cloud.KindVPCEndpointService, "The private DNS name 'not a name' is not a valid domain name"},
		{"DNS name on a GWLB", ServiceConfigurationInput{GatewayLoadBalancerARNs: []string{f.gwlb.ID}, PrivateDNSName: "fw.example.com"}, cloud.KindVPCEndpointService, "Private DNS names are not supported for Gateway Load Balancer endpoint services"},
		{"bad tags", ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb.ID}, Tags: []cloud.TagSpec{{ResourceType: "vpc-endpoint"}}}, "", "not a valid taggable resource type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.pl.CreateServiceConfiguration(f.ctx, f.who, tc.in)
			wantReason(t, err, cloud.InvalidParameter, tc.kind, tc.msg)
		})
	}
	// Bob cannot build a service on alice's load balancer.
	_, err := f.pl.CreateServiceConfiguration(f.ctx, bob, ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb.ID}})
	wantReason(t, err, cloud.InvalidParameter, cloud.KindVPCEndpointService, "does not exist")
}

// TestServicePrivateDNSName: a name waits for verification, with a TXT
// record to publish; a new name must be verified again; it can be removed.
func TestServicePrivateDNSName(t *testing.T) {
	f := newServiceFixture(t)
	s := f.service(ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb.ID}, PrivateDNSName: "api.example.com"})
	if s.PrivateDNSName != "api.example.com" || s.PrivateDNSState != DNSPendingVerification ||
		!regexp.MustCompile(`^_[a-z0-9]{20}$`).MatchString(s.PrivateDNSTXTName) || !regexp.MustCompile(`^vpce:[A-Za-z0-9]{20}$`).MatchString(s.PrivateDNSTXTValue) {
		t.Fatalf("service with a DNS name %+v", s)
	}
	// Consumers see the name but may not use it before it is verified.
	if _, err := f.pl.ModifyServicePermissions(f.ctx, f.who, s.ID, []string{"*"}, nil); err != nil {
		t.Fatal(err)
	}
	v := f.visible(bob, s.ID)
	if v == nil || v.PrivateDNSName() != "api.example.com" || v.OffersPrivateDNS() || v.Tags != nil {
		t.Fatalf("bob's view before verification %+v", v)
	}
	// Verification fails until public DNS holds the record asked for.
	dns := publicTXT{}
	cloud.RegisterPublicDNS(dns)
	t.Cleanup(func() { cloud.RegisterPublicDNS(nil) })
	if err := f.pl.StartPrivateDNSVerification(f.ctx, f.who, s.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.read(s.ID); got.PrivateDNSState != DNSFailed {
		t.Fatalf("verified without the record %+v", got)
	}
	dns[s.PrivateDNSTXTName+".api.example.com."] = []string{s.PrivateDNSTXTValue}
	if err := f.pl.StartPrivateDNSVerification(f.ctx, f.who, s.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.read(s.ID); got.PrivateDNSState != DNSVerified || got.PrivateDNSTXTName != s.PrivateDNSTXTName {
		t.Fatalf("verified %+v", got)
	}
	if v := f.visible(bob, s.ID); !v.OffersPrivateDNS() {
		t.Fatalf("bob's view after verification %+v", v)
	}
	// The same name in another case changes nothing; another name starts
	// over.
	same := "API.example.com"
	if err := f.pl.ModifyServiceConfiguration(f.ctx, f.who, ModifyServiceConfigurationInput{ID: s.ID, PrivateDNSName: &same}); err != nil {
		t.Fatal(err)
	}
	if got := f.read(s.ID); got.PrivateDNSState != DNSVerified || got.PrivateDNSName != "api.example.com" {
		t.Fatalf("after the same name %+v", got)
	}
	other := "*.api.example.org"
	if err := f.pl.ModifyServiceConfiguration(f.ctx, f.who, ModifyServiceConfigurationInput{ID: s.ID, PrivateDNSName: &other}); err != nil {
		t.Fatal(err)
	}
	if got := f.read(s.ID); got.PrivateDNSState != DNSPendingVerification || got.PrivateDNSName != other || got.PrivateDNSTXTName == s.PrivateDNSTXTName {
		t.Fatalf("after a new name %+v", got)
	}
	err := f.pl.ModifyServiceConfiguration(f.ctx, f.who, ModifyServiceConfigurationInput{ID: s.ID, PrivateDNSName: &other, RemovePrivateDNSName: true})
	wantReason(t, err, cloud.InvalidCombination, "", "You cannot specify both PrivateDnsName and RemovePrivateDnsName")
	if err := f.pl.ModifyServiceConfiguration(f.ctx, f.who, ModifyServiceConfigurationInput{ID: s.ID, RemovePrivateDNSName: true}); err != nil {
		t.Fatal(err)
	}
	if got := f.read(s.ID); got.PrivateDNSName != "" || got.PrivateDNSState != "" || got.PrivateDNSTXTName != "" {
		t.Fatalf("after removing the name %+v", got)
	}
	err = f.pl.StartPrivateDNSVerification(f.ctx, f.who, s.ID)
	wantReason(t, err, cloud.InvalidParameter, cloud.KindVPCEndpointService, "The VPC endpoint service '"+s.ID+"' has no private DNS name to verify")
	err = f.pl.StartPrivateDNSVerification(f.ctx, bob, s.ID)
	wantReason(t, err, cloud.NotFound, cloud.KindVPCEndpointService, "The VpcEndpointService Id '"+s.ID+"' does not exist")

	// The payer is the service owner; nothing else is offered.
	if err := f.pl.SetPayerResponsibility(f.ctx, f.who, s.ID, PayerServiceOwner); err != nil {
		t.Fatal(err)
	}
	err = f.pl.SetPayerResponsibility(f.ctx, f.who, s.ID, "Consumer")
	wantReason(t, err, cloud.InvalidParameter, "", "The payer responsibility 'Consumer' is not valid. Valid values: ServiceOwner")
	err = f.pl.SetPayerResponsibility(f.ctx, f.who, "vpce-svc-0123456789abcdef0", PayerServiceOwner)
	wantReason(t, err, cloud.NotFound, cloud.KindVPCEndpointService, "")
}

// TestModifyServiceConfiguration: load balancers come and go (at least one,
// of the service's kind), as do address types and regions; acceptance is
// switched.
func TestModifyServiceConfiguration(t *testing.T) {
	f := newServiceFixture(t)
	s := f.service(ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb.ID}, AcceptanceRequired: true})
	no := false
	err := f.pl.ModifyServiceConfiguration(f.ctx, f.who, ModifyServiceConfigurationInput{ID: s.ID, AcceptanceRequired: &no,
		AddNLBs: []string{f.nlb2.ID}, AddRegions: []string{"eu-west-1"}})
	if err != nil {
		t.Fatal(err)
	}
	got := f.read(s.ID)
	if got.AcceptanceRequired || len(got.NetworkLoadBalancerARNs) != 2 || len(got.Zones) != 2 || !got.RemoteAccessEnabled() ||
		!slices.Equal(got.SupportedRegions, []string{"eu-west-1", "us-east-1"}) {
		t.Fatalf("modified %+v", got)
	}
	if err := f.pl.ModifyServiceConfiguration(f.ctx, f.who, ModifyServiceConfigurationInput{ID: s.ID, RemoveNLBs: []string{f.nlb.ID}, RemoveRegions: []string{"eu-west-1"}}); err != nil {
		t.Fatal(err)
	}
	if got := f.read(s.ID); len(got.NetworkLoadBalancerARNs) != 1 || got.Zones[0].Name != "us-east-1b" || got.RemoteAccessEnabled() {
		t.Fatalf("after removals %+v", got)
	}
	// The freed load balancer can back another service.
	f.service(ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb.ID}})
	for _, tc := range []struct {
		name   string
		in     ModifyServiceConfigurationInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"remove one it lacks", ModifyServiceConfigurationInput{ID: s.ID, RemoveNLBs: []string{f.nlb.ID}}, cloud.InvalidParameter, cloud.KindVPCEndpointService,
			"The load balancer '" + f.nlb.ID + "' is not associated with the VPC endpoint service '" + s.ID + "'"},
		{"remove the last", ModifyServiceConfigurationInput{ID: s.ID, RemoveNLBs: []string{f.nlb2.ID}}, cloud.InvalidParameter, cloud.KindVPCEndpointService,
			"The VPC endpoint service '" + s.ID + "' must keep at least one load balancer"},
		{"another kind", ModifyServiceConfigurationInput{ID: s.ID, AddGWLBs: []string{f.gwlb.ID}, RemoveNLBs: []string{f.nlb2.ID}}, cloud.InvalidParameter, cloud.KindVPCEndpointService,
			"The VPC endpoint service '" + s.ID + "' is of type Interface: it takes Network Load Balancers only"},
		{"one of another service", ModifyServiceConfigurationInput{ID: s.ID, AddNLBs: []string{f.nlb.ID}}, cloud.InvalidParameter, cloud.KindVPCEndpointService, "is already associated with the VPC endpoint service"},
		{"remove its region", ModifyServiceConfigurationInput{ID: s.ID, RemoveRegions: []string{"us-east-1"}}, cloud.InvalidParameter, cloud.KindVPCEndpointService,
			"The service Region 'us-east-1' cannot be removed from the supported Regions"},
		{"no address type", ModifyServiceConfigurationInput{ID: s.ID, RemoveIPAddressTypes: []string{"ipv4"}}, cloud.InvalidParameter, cloud.KindVPCEndpointService,
			"At least one supported IP address type is required"},
		{"IPv6", ModifyServiceConfigurationInput{ID: s.ID, AddIPAddressTypes: []string{"ipv6"}}, cloud.InvalidParameter, cloud.KindVPCEndpointService, "does not support IPv6"},
		{"bad DNS name", ModifyServiceConfigurationInput{ID: s.ID, PrivateDNSName: ptr("-bad-.example")}, cloud.InvalidParameter, cloud.KindVPCEndpointService, "is not a valid domain name"},
		{"unknown service", ModifyServiceConfigurationInput{ID: "vpce-svc-0123456789abcdef0"}, cloud.NotFound, cloud.KindVPCEndpointService, "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := f.pl.ModifyServiceConfiguration(f.ctx, f.who, tc.in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	// A GWLB service takes GWLBs; an empty name removes none it lacks.
	g := f.service(ServiceConfigurationInput{GatewayLoadBalancerARNs: []string{f.gwlb.ID}})
	err = f.pl.ModifyServiceConfiguration(f.ctx, f.who, ModifyServiceConfigurationInput{ID: g.ID, AddNLBs: []string{f.nlb2.ID}, RemoveGWLBs: []string{f.gwlb.ID}})
	wantReason(t, err, cloud.InvalidParameter, cloud.KindVPCEndpointService, "is of type GatewayLoadBalancer: it takes Gateway Load Balancers only")
	if err := f.pl.ModifyServiceConfiguration(f.ctx, f.who, ModifyServiceConfigurationInput{ID: g.ID, PrivateDNSName: ptr("")}); err != nil {
		t.Fatal(err)
	}
	err = f.pl.ModifyServiceConfiguration(f.ctx, f.who, ModifyServiceConfigurationInput{ID: g.ID, PrivateDNSName: ptr("fw.example.com")})
	wantReason(t, err, cloud.InvalidParameter, cloud.KindVPCEndpointService, "Private DNS names are not supported for Gateway Load Balancer endpoint services")
}

func ptr[T any](v T) *T { return &v }

// TestServicePermissions: principals admit accounts to a service; a
// consumer sees and connects to a service only once admitted, and keeps
// its connection when the permission goes.
func TestServicePermissions(t *testing.T) {
	f := newServiceFixture(t)
	s := f.service(ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb.ID, f.nlb2.ID}, AcceptanceRequired: true})
	in := CreateVPCEndpointInput{VpcID: f.bobVPC.ID, ServiceName: s.ServiceName(), Type: EndpointTypeInterface, SubnetIDs: []string{f.bobSubnets[0].ID}}
	_, err := f.pl.CreateVPCEndpoint(f.ctx, bob, in)
	wantReason(t, err, cloud.NotFound, cloud.SubjectEndpointServiceName, "The Vpc Endpoint Service '"+s.ServiceName()+"' does not exist")

	_, err = f.pl.ModifyServicePermissions(f.ctx, f.who, s.ID, []string{"arn:aws:iam::222222222222:root", "bob"}, nil)
	wantReason(t, err, cloud.InvalidParameter, cloud.SubjectServicePrincipal, "Invalid principal: 'bob'")
	added, err := f.pl.ModifyServicePermissions(f.ctx, f.who, s.ID, []string{"arn:aws:iam::222222222222:role/deploy", "ec2.amazonaws.com"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 2 || added[0].PrincipalType != PrincipalRole || added[1].PrincipalType != PrincipalService || !cloud.WellFormed(added[0].ID, "vpce-svc-perm-") {
		t.Fatalf("added %+v", added)
	}
	again, err := f.pl.ModifyServicePermissions(f.ctx, f.who, s.ID, []string{"arn:aws:iam::222222222222:role/deploy"}, nil)
	if err != nil || len(again) != 1 || again[0].ID != added[0].ID {
		t.Fatalf("admitting again %+v %v", again, err)
	}
	perms, err := f.pl.ServicePermissions(f.ctx, f.who, s.ID)
	if err != nil || len(perms) != 2 || perms[0].Principal != "arn:aws:iam::222222222222:role/deploy" {
		t.Fatalf("permissions %+v %v", perms, err)
	}
	_, err = f.pl.ServicePermissions(f.ctx, bob, s.ID)
	wantReason(t, err, cloud.NotFound, cloud.KindVPCEndpointService, s.ID)

	// A role of bob's account admits bob: he sees the service and connects.
	if v := f.visible(bob, s.ID); v == nil || !v.AcceptanceRequired || v.Owner != f.who.Account || len(v.Zones) != 2 {
		t.Fatalf("bob's view %+v", v)
	}
	carol := cloud.Caller{Account: "333333333333", Region: "us-east-1"}
	if f.visible(carol, s.ID) != nil {
		t.Fatal("carol sees it")
	}
	e, err := f.pl.CreateVPCEndpoint(f.ctx, bob, in)
	if err != nil {
		t.Fatal(err)
	}
	if e.State != VPCEndpointPendingAcceptance || e.ServiceOwner != f.who.Account || e.ServiceID != s.ID || e.PolicyDocument != "" || e.PrivateDNSEnabled {
		t.Fatalf("bob's endpoint %+v", e)
	}
	conns, err := f.pl.EndpointConnections(f.ctx, f.who)
	if err != nil || len(conns) != 1 || conns[0].Endpoint.ID != e.ID {
		t.Fatalf("connections %+v %v", conns, err)
	}
	// Without the permission bob no longer sees it; his endpoint stays, and
	// alice may still accept it.
	if _, err := f.pl.ModifyServicePermissions(f.ctx, f.who, s.ID, nil, []string{"arn:aws:iam::222222222222:role/deploy"}); err != nil {
		t.Fatal(err)
	}
	if f.visible(bob, s.ID) != nil {
		t.Fatal("bob sees it after the permission went")
	}
	if failed, err := f.pl.AcceptEndpointConnections(f.ctx, f.who, s.ID, []string{e.ID}); err != nil || len(failed) != 0 {
		t.Fatalf("accept %+v %v", failed, err)
	}
	if got := readAs[VPCEndpoint](fixture{t: t, c: f.c, who: bob, ctx: f.ctx}, e.ID); got.State != VPCEndpointAvailable {
		t.Fatalf("bob's endpoint after acceptance %+v", got)
	}
	// Everyone: carol sees it too.
	if _, err := f.pl.ModifyServicePermissions(f.ctx, f.who, s.ID, []string{"*"}, nil); err != nil {
		t.Fatal(err)
	}
	if f.visible(carol, s.ID) == nil {
		t.Fatal("carol does not see a service open to everyone")
	}
}

// TestVisibleEndpointServices: AWS's services and the account services a
// caller may see, by name and by region.
func TestVisibleEndpointServices(t *testing.T) {
	f := newServiceFixture(t)
	s := f.service(ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb.ID}, SupportedRegions: []string{"eu-west-1"}})
	if _, err := f.pl.ModifyServicePermissions(f.ctx, f.who, s.ID, []string{"arn:aws:iam::222222222222:root"}, nil); err != nil {
		t.Fatal(err)
	}
	got, err := f.pl.VisibleEndpointServices(f.ctx, f.who, []string{"com.amazonaws.us-east-1.s3", s.ServiceName()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// S3 has a gateway and an interface service; then alice's.
	if len(got) != 3 || got[0].Name != "com.amazonaws.us-east-1.s3" || got[2].ID != s.ID || got[0].Owner != "amazon" {
		t.Fatalf("by names %+v", got)
	}
	for _, svc := range got {
		if svc.SortKey() != svc.Name+"/"+svc.Type {
			t.Errorf("sort key %s", svc.SortKey())
		}
	}
	_, err = f.pl.VisibleEndpointServices(f.ctx, f.who, []string{"com.amazonaws.us-east-1.nothing"}, nil)
	wantReason(t, err, cloud.NotFound, cloud.SubjectEndpointServiceName, "The Vpc Endpoint Service 'com.amazonaws.us-east-1.nothing' does not exist")
	_, err = f.pl.VisibleEndpointServices(f.ctx, f.who, nil, []string{"us-east-9"})
	wantReason(t, err, cloud.InvalidParameter, "", "Value (us-east-9) for parameter ServiceRegion is invalid. The Region does not exist.")

	// From eu-west-1, bob sees the service of us-east-1 that supports his
	// region, and only AWS's cross-region interface services there.
	bobEU := cloud.Caller{Account: bob.Account, Region: "eu-west-1"}
	remote, err := f.pl.VisibleEndpointServices(f.ctx, bobEU, nil, []string{"us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, svc := range remote {
		found = found || svc.ID == s.ID
		if svc.Owner == "amazon" && svc.Type != ServiceTypeInterface {
			t.Errorf("a %s service of AWS across regions: %s", svc.Type, svc.Name)
		}
	}
	if !found {
		t.Fatal("bob does not see the cross-region service from eu-west-1")
	}
	aliceWest := cloud.Caller{Account: f.who.Account, Region: "us-west-2"}
	if mine, err := f.pl.VisibleEndpointServices(f.ctx, aliceWest, []string{s.ServiceName()}, []string{"us-east-1"}); err == nil {
		t.Fatalf("alice sees her service from a region it does not support: %+v", mine)
	}
}

// TestConnectionNotifications: a notification watches one service or one
// interface endpoint of the caller's; its topic and events change; deletes
// report what they did not find.
func TestConnectionNotifications(t *testing.T) {
	f := newServiceFixture(t)
	s := f.service(ServiceConfigurationInput{NetworkLoadBalancerARNs: []string{f.nlb.ID}})
	topic := "arn:aws:sns:us-east-1:111111111111:conns"
	n, err := f.pl.CreateConnectionNotification(f.ctx, f.who, ConnectionNotificationInput{ServiceID: s.ID, TopicARN: topic, Events: []string{"Reject", "Accept", "Accept"}})
	if err != nil {
		t.Fatal(err)
	}
	if n.ServiceID != s.ID || n.ServiceRegion != "us-east-1" || n.TopicARN != topic || !slices.Equal(n.Events, []string{"Accept", "Reject"}) || !cloud.WellFormed(n.ID, "vpce-nfn-") {
		t.Fatalf("notification %+v", n)
	}
	gw, err := f.pl.CreateVPCEndpoint(f.ctx, f.who, CreateVPCEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.s3"})
	if err != nil {
		t.Fatal(err)
	}
	iface, err := f.pl.CreateVPCEndpoint(f.ctx, f.who, CreateVPCEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.sqs", Type: EndpointTypeInterface,
		SubnetIDs: []string{f.subnet.ID}, PrivateDNSEnabled: ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	en, err := f.pl.CreateConnectionNotification(f.ctx, f.who, ConnectionNotificationInput{VpcEndpointID: iface.ID, TopicARN: topic, Events: []string{"Connect"}})
	if err != nil || en.VpcEndpointID != iface.ID || en.ServiceRegion != "us-east-1" {
		t.Fatalf("endpoint notification %+v %v", en, err)
	}
	for _, tc := range []struct {
		name   string
		in     ConnectionNotificationInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"both", ConnectionNotificationInput{ServiceID: s.ID, VpcEndpointID: iface.ID, TopicARN: topic, Events: []string{"Connect"}}, cloud.InvalidCombination, "", "Specify either a ServiceId or a VpcEndpointId, not both"},
		{"neither", ConnectionNotificationInput{TopicARN: topic, Events: []string{"Connect"}}, cloud.MissingParameter, "", "Either ServiceId or VpcEndpointId must be specified"},
		{"no topic", ConnectionNotificationInput{ServiceID: s.ID, Events: []string{"Connect"}}, cloud.MissingParameter, "", "The request must contain the parameter ConnectionNotificationArn"},
		{"no events", ConnectionNotificationInput{ServiceID: s.ID, TopicARN: topic}, cloud.MissingParameter, "", "The request must contain the parameter ConnectionEvents"},
		{"not a topic", ConnectionNotificationInput{ServiceID: s.ID, TopicARN: "arn:aws:sqs:us-east-1:111111111111:q", Events: []string{"Connect"}}, cloud.InvalidParameter, cloud.KindConnectionNotification, "is not a valid SNS topic ARN"},
		{"topic of no region", ConnectionNotificationInput{ServiceID: s.ID, TopicARN: "arn:aws:sns:mars-1:111111111111:t", Events: []string{"Connect"}}, cloud.InvalidParameter, cloud.KindConnectionNotification, "names a Region that does not exist"},
		{"bad event", ConnectionNotificationInput{ServiceID: s.ID, TopicARN: topic, Events: []string{"Create"}}, cloud.InvalidParameter, cloud.KindConnectionNotification, "The connection event 'Create' is not valid. Valid values: Accept, Connect, Delete, Reject"},
		{"gateway endpoint", ConnectionNotificationInput{VpcEndpointID: gw.ID, TopicARN: topic, Events: []string{"Connect"}}, cloud.InvalidParameter, cloud.KindConnectionNotification, "Connection notifications are supported for interface endpoints only: '" + gw.ID + "' is a Gateway endpoint"},
		{"unknown endpoint", ConnectionNotificationInput{VpcEndpointID: "vpce-0123456789abcdef0", TopicARN: topic, Events: []string{"Connect"}}, cloud.NotFound, cloud.KindVPCEndpoint, "does not exist"},
		{"unknown service", ConnectionNotificationInput{ServiceID: "vpce-svc-0123456789abcdef0", TopicARN: topic, Events: []string{"Connect"}}, cloud.NotFound, cloud.KindVPCEndpointService, "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.pl.CreateConnectionNotification(f.ctx, f.who, tc.in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	other := "arn:aws:sns:eu-west-1:111111111111:other.fifo"
	if err := f.pl.ModifyConnectionNotification(f.ctx, f.who, n.ID, other, []string{"Delete"}); err != nil {
		t.Fatal(err)
	}
	got := readAs[ConnectionNotification](f.fixture, n.ID)
	if got.TopicARN != other || !slices.Equal(got.Events, []string{"Delete"}) {
		t.Fatalf("modified %+v", got)
	}
	// Nothing given changes nothing.
	if err := f.pl.ModifyConnectionNotification(f.ctx, f.who, n.ID, "", nil); err != nil {
		t.Fatal(err)
	}
	wantReason(t, f.pl.ModifyConnectionNotification(f.ctx, f.who, n.ID, "", []string{"Nope"}), cloud.InvalidParameter, cloud.KindConnectionNotification, "")
	wantReason(t, f.pl.ModifyConnectionNotification(f.ctx, bob, n.ID, other, nil), cloud.NotFound, cloud.KindConnectionNotification, n.ID)
	failed, err := f.pl.DeleteConnectionNotifications(f.ctx, f.who, []string{n.ID, "vpce-nfn-0123456789abcdef0", en.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 || failed[0].ID != "vpce-nfn-0123456789abcdef0" || failed[0].Err.Reason != cloud.NotFound || failed[0].Err.Subject != cloud.KindConnectionNotification {
		t.Fatalf("unsuccessful %+v", failed)
	}
	page, err := cloud.List[ConnectionNotification](f.ctx, f.c, f.who, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("left %+v %v", page.Items, err)
	}
}

// publicTXT is public DNS as a map of fully qualified names to TXT values
// (the route53 family, which answers in vpcemu, is above this one).
type publicTXT map[string][]string

func (p publicTXT) TXT(_ *cloud.Txn, name string) ([]string, error) {
	return p[strings.TrimSuffix(strings.ToLower(name), ".")+"."], nil
}

// TestOwnershipProven: where the TXT record may be: under the name, a
// wildcard's domain or a parent domain (not the top-level domain), with the
// TXT name or without it; and with the value asked for only.
func TestOwnershipProven(t *testing.T) {
	const txtName, value = "_abc", "vpce:xyz"
	for _, tc := range []struct {
		private string
		at      string
		value   string
		want    bool
	}{
		{"api.example.com", "_abc.api.example.com", value, true},
		{"api.example.com", "_abc.example.com", value, true},
		{"api.example.com", "api.example.com", value, true},
		{"api.example.com", "example.com", value, true},
		{"*.api.example.com", "_abc.api.example.com", value, true},
		{"API.Example.com", "_abc.api.example.com", value, true},
		{"api.example.com", "_abc.com", value, false},
		{"api.example.com", "com", value, false},
		{"api.example.com", "_abc.v2.api.example.com", value, false},
		{"api.example.com", "_abd.api.example.com", value, false},
		{"api.example.com", "_abc.api.example.com", "vpce:xy", false},
		{"*.api.example.com", "_abc.*.api.example.com", value, false},
	} {
		s := &ServiceConfiguration{PrivateDNSName: tc.private, PrivateDNSTXTName: txtName, PrivateDNSTXTValue: value}
		cloud.RegisterPublicDNS(publicTXT{tc.at + ".": {"other", tc.value}})
		got, err := s.ownershipProven(nil)
		if err != nil || got != tc.want {
			t.Errorf("%s with %s at %s: %v %v, want %v", tc.private, tc.value, tc.at, got, err, tc.want)
		}
	}
	cloud.RegisterPublicDNS(nil)
}
