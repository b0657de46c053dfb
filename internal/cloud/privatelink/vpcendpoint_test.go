package privatelink

import (
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/regions"
)

// privateLinkFixture is alice's VPC (with a second subnet, in us-east-1b)
// and an endpoint service bob runs with AWS PrivateLink: a
// ServiceConfiguration record over a load balancer of his, and the view
// of it CreateVpcEndpoint resolves (the tests hand it over directly: the
// view of account services is the provider side's).
type privateLinkFixture struct {
	fixture
	subnetB *network.Subnet
	sc      *ServiceConfiguration
	svc     *EndpointService
}

// newPrivateLinkFixture serves a Gateway Load Balancer (typ
// GatewayLoadBalancer) or a Network Load Balancer (Interface) in zones.
func newPrivateLinkFixture(t *testing.T, typ string, acceptance bool, zones ...string) privateLinkFixture {
	t.Helper()
	clock := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	f := privateLinkFixture{fixture: newFixture(t, "us-east-1a", cloud.WithIDs(cloud.SequentialIDs()), cloud.WithClock(func() time.Time { return clock }))}
	var err error
	if f.subnetB, err = f.net.CreateSubnet(f.ctx, alice, network.CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.2.0/24", AvailabilityZone: "us-east-1b"}); err != nil {
		t.Fatal(err)
	}
	pvpc, err := f.net.CreateVPC(f.ctx, bob, network.CreateVPCInput{CIDRBlock: "10.9.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	psub, err := f.net.CreateSubnet(f.ctx, bob, network.CreateSubnetInput{VpcID: pvpc.ID, CIDRBlock: "10.9.1.0/24", AvailabilityZone: "us-east-1a"})
	if err != nil {
		t.Fatal(err)
	}
	lbIn := elb.CreateLoadBalancerInput{Name: "appliances", Type: elb.LBGateway, Subnets: []string{psub.ID}}
	if typ == EndpointTypeInterface {
		lbIn = elb.CreateLoadBalancerInput{Name: "api", Type: elb.LBNetwork, Scheme: elb.SchemeInternal, Subnets: []string{psub.ID}}
	}
	lb, err := f.elbs.CreateLoadBalancer(f.ctx, bob, lbIn)
	if err != nil {
		t.Fatal(err)
	}
	f.sc = &ServiceConfiguration{
		Meta: cloud.Meta{ID: "vpce-svc-0123456789abcdef0", Owner: bob.Account, Region: bob.Region},
		Type: typ, AcceptanceRequired: acceptance, State: "Available", SupportedIPAddressTypes: []string{"ipv4"},
	}
	if typ == EndpointTypeInterface {
		f.sc.NetworkLoadBalancerARNs = []string{lb.ID}
	} else {
		f.sc.GatewayLoadBalancerARNs = []string{lb.ID}
	}
	if err := f.c.Update(f.ctx, bob, func(t *cloud.Txn) error { return cloud.Put(t, f.sc) }); err != nil {
		t.Fatal(err)
	}
	region, _ := regions.Lookup("us-east-1")
	f.svc = &EndpointService{
		ID: f.sc.ID, Name: f.sc.ServiceName(), Region: f.sc.Region, Type: typ, Owner: bob.Account,
		BaseEndpointDNSNames: []string{f.sc.ID + ".us-east-1.vpce.amazonaws.com"},
		AcceptanceRequired:   acceptance, IPAddressTypes: []string{"ipv4"},
	}
	for _, z := range region.Zones {
		if slices.Contains(zones, z.Name) {
			f.svc.Zones = append(f.svc.Zones, z)
		}
	}
	return f
}

// create creates alice's endpoint to the fixture's service.
func (f privateLinkFixture) create(in CreateVPCEndpointInput) (*VPCEndpoint, error) {
	var e *VPCEndpoint
	err := f.c.Update(f.ctx, f.who, func(t *cloud.Txn) error {
		vpc, err := cloud.GetIn[network.VPC](t, f.vpc.ID)
		if err != nil {
			return err
		}
		e, err = createVPCEndpoint(t, vpc, f.svc, in, nil)
		return err
	})
	return e, err
}

// setState is the provider accepting or rejecting: it finds its
// connections by the service-id key.
func (f privateLinkFixture) setState(state string) {
	f.t.Helper()
	err := f.c.Update(f.ctx, bob, func(t *cloud.Txn) error {
		conns, err := cloud.FindAny[VPCEndpoint](t, cloud.Key{Name: "service-id", Value: f.sc.ID})
		if err != nil {
			return err
		}
		for _, e := range conns {
			e.State, e.StateChanged = state, t.Now
			if err := cloud.Put(t, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// routeState is the state of the route to dest in a table.
func (f privateLinkFixture) routeState(table, dest string) string {
	f.t.Helper()
	rt, err := f.net.GetRouteTable(f.ctx, f.who, table)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, r := range rt.Routes {
		if r.Destination() == dest {
			return r.State
		}
	}
	f.t.Fatalf("no route to %s in %s", dest, table)
	return ""
}

// TestGatewayLoadBalancerEndpoint: a GWLB endpoint has one interface of
// type gateway_load_balancer_endpoint and no groups, DNS or policy; it
// waits for the provider's acceptance; routes may target it (also a VPC's
// local route) and are active only while it is available.
func TestGatewayLoadBalancerEndpoint(t *testing.T) {
	f := newPrivateLinkFixture(t, EndpointTypeGatewayLoadBalancer, true, "us-east-1a", "us-east-1b")
	e, err := f.create(CreateVPCEndpointInput{SubnetConfigs: []EndpointSubnetConfig{{SubnetID: f.subnet.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if e.State != VPCEndpointPendingAcceptance || e.PolicyDocument != "" || len(e.SecurityGroupIDs) != 0 ||
		len(e.NetworkInterfaceIDs) != 1 || e.ServiceOwner != bob.Account || e.DNSRecordIPType != "" || e.IPAddressType != "ipv4" {
		t.Fatalf("endpoint: %+v", e)
	}
	eni := readAs[network.NetworkInterface](f.fixture, e.NetworkInterfaceIDs[0])
	if eni.InterfaceType != "gateway_load_balancer_endpoint" || len(eni.Groups) != 0 || !eni.RequesterManaged ||
		eni.RequesterID != endpointRequesterID || eni.Description != "VPC Endpoint Interface "+e.ID || eni.Status != "in-use" {
		t.Fatalf("interface: %+v", eni)
	}
	if got := readAs[VPCEndpoint](f.fixture, e.ID); len(got.DNSEntries) != 0 {
		t.Errorf("DNS entries of a GWLB endpoint: %v", got.DNSEntries)
	}

	rt, err := f.net.CreateRouteTable(f.ctx, f.who, f.vpc.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.net.CreateRoute(f.ctx, f.who, rt.ID, network.Route{DestinationCIDR: "0.0.0.0/0", VPCEndpointID: e.ID}); err != nil {
		t.Fatal(err)
	}
	// Middlebox routing: the VPC's local route through the appliances.
	if err := f.net.ReplaceRoute(f.ctx, f.who, rt.ID, network.Route{DestinationCIDR: "10.0.0.0/16", VPCEndpointID: e.ID}, false); err != nil {
		t.Fatal(err)
	}
	if got := f.routeState(rt.ID, "0.0.0.0/0"); got != "blackhole" {
		t.Errorf("route to an endpoint pending acceptance: %s", got)
	}
	f.setState(VPCEndpointAvailable)
	for _, dest := range []string{"0.0.0.0/0", "10.0.0.0/16"} {
		if got := f.routeState(rt.ID, dest); got != "active" {
			t.Errorf("route to %s through an available endpoint: %s", dest, got)
		}
	}

	// A policy, a second subnet or a subnet change are refused.
	policy := `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
	_, err = f.create(CreateVPCEndpointInput{SubnetConfigs: []EndpointSubnetConfig{{SubnetID: f.subnetB.ID}}, PolicyDocument: &policy})
	wantReason(t, err, cloud.InvalidParameter, cloud.KindVPCEndpoint, "only supports the full-access endpoint policy")
	wantReason(t, checkEndpointParams(EndpointTypeGatewayLoadBalancer, endpointParams{subnets: true, gwlbSubnets: 2}),
		cloud.InvalidParameter, cloud.KindVPCEndpoint, "Exactly one subnet")
	wantReason(t, checkEndpointParams(EndpointTypeGatewayLoadBalancer, endpointParams{gwlbSubnets: 0}),
		cloud.InvalidParameter, cloud.KindVPCEndpoint, "Exactly one subnet")
	wantReason(t, f.pl.ModifyVPCEndpoint(f.ctx, f.who, ModifyVPCEndpointInput{ID: e.ID, AddSubnetIDs: []string{f.subnetB.ID}}),
		cloud.InvalidParameter, cloud.KindVPCEndpoint, "cannot be modified")
	wantReason(t, f.pl.ModifyVPCEndpoint(f.ctx, f.who, ModifyVPCEndpointInput{ID: e.ID, AddSecurityGroupIDs: []string{f.vpc.DefaultSecurityGroupID}}),
		cloud.InvalidParameter, cloud.KindVPCEndpoint, "only supported for Interface")

	// Deleting the endpoint frees its interface and leaves the routes
	// blackholed.
	failed, err := f.pl.DeleteVPCEndpoints(f.ctx, f.who, []string{e.ID})
	if err != nil || len(failed) != 0 {
		t.Fatal(failed, err)
	}
	if got := f.routeState(rt.ID, "0.0.0.0/0"); got != "blackhole" {
		t.Errorf("route to a deleted endpoint: %s", got)
	}
	if err := f.net.DeleteSubnet(f.ctx, f.who, f.subnet.ID); err != nil {
		t.Errorf("subnet of a deleted endpoint: %v", err)
	}
	wantReason(t, f.net.CreateRoute(f.ctx, f.who, rt.ID, network.Route{DestinationCIDR: "1.0.0.0/8", VPCEndpointID: e.ID}),
		cloud.NotFound, cloud.KindVPCEndpoint, "The vpcEndpoint ID '"+e.ID+"' does not exist")
}

// TestEndpointRouteTargets: only a Gateway Load Balancer endpoint of the
// table's VPC can be a route's VpcEndpointId.
func TestEndpointRouteTargets(t *testing.T) {
	f := newPrivateLinkFixture(t, EndpointTypeGatewayLoadBalancer, false, "us-east-1a", "us-east-1b")
	gwlbe, err := f.create(CreateVPCEndpointInput{SubnetConfigs: []EndpointSubnetConfig{{SubnetID: f.subnet.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	s3, err := f.pl.CreateVPCEndpoint(f.ctx, f.who, CreateVPCEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.s3"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.net.CreateVPC(f.ctx, f.who, network.CreateVPCInput{CIDRBlock: "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	otherTable, err := f.net.CreateRouteTable(f.ctx, f.who, other.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, table, target string
		reason              cloud.Reason
		kind                cloud.Kind
		msg                 string
	}{
		{"gateway endpoint", f.vpc.MainRouteTableID, s3.ID, cloud.InvalidParameter, "", "is not a Gateway Load Balancer endpoint"},
		{"endpoint of another VPC", otherTable.ID, gwlbe.ID, cloud.InvalidParameter, "", "belong to different networks"},
		{"unknown endpoint", f.vpc.MainRouteTableID, "vpce-0123456789abcdef0", cloud.NotFound, cloud.KindVPCEndpoint, "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := f.net.CreateRoute(f.ctx, f.who, tc.table, network.Route{DestinationCIDR: "0.0.0.0/0", VPCEndpointID: tc.target})
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	if err := f.net.CreateRoute(f.ctx, f.who, f.vpc.MainRouteTableID, network.Route{DestinationCIDR: "0.0.0.0/0", VPCEndpointID: gwlbe.ID}); err != nil {
		t.Fatal(err)
	}
	if got := f.routeState(f.vpc.MainRouteTableID, "0.0.0.0/0"); got != "active" {
		t.Errorf("route to an auto-accepted endpoint: %s", got)
	}
}

// TestPrivateLinkInterfaceEndpoint: an interface endpoint to an account's
// service is named after the service id, has no private DNS unless asked
// (and the service has a verified name), and only in the service's zones.
func TestPrivateLinkInterfaceEndpoint(t *testing.T) {
	f := newPrivateLinkFixture(t, EndpointTypeInterface, true, "us-east-1a")
	_, err := f.create(CreateVPCEndpointInput{SubnetConfigs: []EndpointSubnetConfig{{SubnetID: f.subnetB.ID}}})
	wantReason(t, err, cloud.InvalidParameter, cloud.KindVPCEndpoint,
		"The VPC endpoint service "+f.svc.Name+" does not support the availability zone of the subnet: "+f.subnetB.ID+".")
	yes := true
	_, err = f.create(CreateVPCEndpointInput{PrivateDNSEnabled: &yes})
	wantReason(t, err, cloud.InvalidParameter, cloud.KindVPCEndpoint, "Private DNS can't be enabled because the service "+f.svc.Name+" does not provide a private DNS name.")

	e, err := f.create(CreateVPCEndpointInput{SubnetConfigs: []EndpointSubnetConfig{{SubnetID: f.subnet.ID, IPv4: "10.0.1.100"}}})
	if err != nil {
		t.Fatal(err)
	}
	e = readAs[VPCEndpoint](f.fixture, e.ID)
	if e.State != VPCEndpointPendingAcceptance || e.PrivateDNSEnabled || e.PolicyDocument != "" ||
		!slices.Equal(e.SecurityGroupIDs, []string{f.vpc.DefaultSecurityGroupID}) {
		t.Fatalf("endpoint: %+v", e)
	}
	name := regexp.MustCompile(`^` + e.ID + `-[a-z0-9]{8}(-us-east-1a)?\.vpce-svc-0123456789abcdef0\.us-east-1\.vpce\.amazonaws\.com$`)
	if len(e.DNSEntries) != 2 {
		t.Fatalf("DNS entries: %+v", e.DNSEntries)
	}
	for _, d := range e.DNSEntries {
		if !name.MatchString(d.DNSName) || d.HostedZoneID != "Z7HUB22UULQXV" {
			t.Errorf("DNS entry %+v", d)
		}
	}
	if eni := readAs[network.NetworkInterface](f.fixture, e.NetworkInterfaceIDs[0]); eni.PrimaryIP() != "10.0.1.100" || eni.InterfaceType != "vpc_endpoint" {
		t.Errorf("interface: %+v", eni)
	}

	// With a verified private DNS name, private DNS can be asked for.
	f.svc.PrivateDNSNames, f.svc.PrivateDNSNameVerificationState = []string{"api.example.com"}, "verified"
	if err := f.net.ModifyVPCAttribute(f.ctx, f.who, f.vpc.ID, network.AttrEnableDNSHostnames, true); err != nil {
		t.Fatal(err)
	}
	e2, err := f.create(CreateVPCEndpointInput{PrivateDNSEnabled: &yes, SubnetConfigs: []EndpointSubnetConfig{{SubnetID: f.subnet.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	entries := readAs[VPCEndpoint](f.fixture, e2.ID).DNSEntries
	if last := entries[len(entries)-1]; last.DNSName != "api.example.com" || !regexp.MustCompile(`^Z0[0-9A-Z]{19}$`).MatchString(last.HostedZoneID) {
		t.Errorf("private DNS entry: %+v", last)
	}
}

// TestDeletedEndpointsExpire: a deleted endpoint shows for an hour, holds
// no VPC, and a later create purges it.
func TestDeletedEndpointsExpire(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	f := newFixture(t, "us-east-1a", cloud.WithClock(func() time.Time { return now }))
	e, err := f.pl.CreateVPCEndpoint(f.ctx, f.who, CreateVPCEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.s3"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.pl.DeleteVPCEndpoints(f.ctx, f.who, []string{e.ID}); err != nil {
		t.Fatal(err)
	}
	list := func() []*VPCEndpoint {
		page, err := cloud.List[VPCEndpoint](f.ctx, f.c, f.who, cloud.Query{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return page.Items
	}
	if got := list(); len(got) != 1 || got[0].State != VPCEndpointDeleted {
		t.Fatalf("right after delete: %+v", got)
	}
	now = now.Add(endpointLinger)
	if got := list(); len(got) != 0 {
		t.Fatalf("an hour later: %+v", got)
	}
	if _, err := f.pl.CreateVPCEndpoint(f.ctx, f.who, CreateVPCEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.dynamodb"}); err != nil {
		t.Fatal(err)
	}
	err = f.c.View(f.ctx, f.who, func(t *cloud.Txn) error {
		_, err := cloud.GetIn[VPCEndpoint](t, e.ID)
		return err
	})
	wantReason(t, err, cloud.NotFound, cloud.KindVPCEndpoint, e.ID)
}
