package privatelink

import (
	"slices"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/awsservices"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/policy"
)

// endpointFixture is alice's VPC with subnets in us-east-1a and us-east-1b,
// DNS hostnames on, a second route table and a group of its own.
type endpointFixture struct {
	fixture
	subnetB *network.Subnet
	rt      *network.RouteTable
	group   *network.SecurityGroup
}

func newEndpointFixture(t *testing.T, opts ...cloud.Option) *endpointFixture {
	t.Helper()
	f := &endpointFixture{fixture: newFixture(t, "us-east-1a", opts...)}
	var err error
	if f.subnetB, err = f.net.CreateSubnet(f.ctx, f.who, network.CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.2.0/24", AvailabilityZone: "us-east-1b"}); err != nil {
		t.Fatal(err)
	}
	if f.rt, err = f.net.CreateRouteTable(f.ctx, f.who, f.vpc.ID, nil); err != nil {
		t.Fatal(err)
	}
	if f.group, err = f.net.CreateSecurityGroup(f.ctx, f.who, network.CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "endpoints", Description: "d"}); err != nil {
		t.Fatal(err)
	}
	if err := f.net.ModifyVPCAttribute(f.ctx, f.who, f.vpc.ID, network.AttrEnableDNSHostnames, true); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *endpointFixture) create(in CreateVPCEndpointInput) *VPCEndpoint {
	f.t.Helper()
	if in.VpcID == "" {
		in.VpcID = f.vpc.ID
	}
	e, err := f.pl.CreateVPCEndpoint(f.ctx, f.who, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

func (f *endpointFixture) endpoint(id string) *VPCEndpoint { return readAs[VPCEndpoint](f.fixture, id) }

// prefixRoute is the table's route to a prefix list, if any.
func (f *endpointFixture) prefixRoute(table, pl string) (network.Route, bool) {
	f.t.Helper()
	rt, err := f.net.GetRouteTable(f.ctx, f.who, table)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, r := range rt.Routes {
		if r.DestinationPrefixListID == pl {
			return r, true
		}
	}
	return network.Route{}, false
}

// TestGatewayEndpointRoutes: a gateway endpoint routes its service's
// prefix list in its route tables; those routes are the endpoint's alone,
// and follow ModifyVpcEndpoint and the tables' deletion.
func TestGatewayEndpointRoutes(t *testing.T) {
	f := newEndpointFixture(t)
	pl, _ := awsservices.PrefixListOf("us-east-1", "s3")
	e := f.create(CreateVPCEndpointInput{ServiceName: "com.amazonaws.us-east-1.s3", RouteTableIDs: []string{f.vpc.MainRouteTableID},
		Tags: []cloud.TagSpec{{ResourceType: "vpc-endpoint", Tags: []cloud.Tag{{Key: "Name", Value: "s3"}}}}})
	if e.Type != EndpointTypeGateway || e.State != VPCEndpointAvailable || e.PolicyDocument != policy.DefaultGatewayEndpointPolicy ||
		!slices.Equal(e.RouteTableIDs, []string{f.vpc.MainRouteTableID}) || e.IPAddressType != "ipv4" || e.Tags["Name"] != "s3" || e.ServiceOwner != "amazon" {
		t.Fatalf("gateway endpoint %+v", e)
	}
	r, ok := f.prefixRoute(f.vpc.MainRouteTableID, pl.ID)
	if !ok || r.GatewayID != e.ID || !r.IsEndpointRoute() || r.State != "active" {
		t.Fatalf("endpoint route %+v", r)
	}
	// Only the endpoint changes its routes.
	wantReason(t, f.net.DeleteRoute(f.ctx, f.who, f.vpc.MainRouteTableID, network.Route{DestinationPrefixListID: pl.ID}),
		cloud.InvalidParameter, "", "cannot remove VPC endpoint route "+pl.ID+" in route table "+f.vpc.MainRouteTableID)
	wantReason(t, f.net.ReplaceRoute(f.ctx, f.who, f.vpc.MainRouteTableID, network.Route{DestinationPrefixListID: pl.ID, GatewayID: e.ID}, false),
		cloud.InvalidParameter, "", "cannot replace VPC endpoint route")
	// One endpoint of a service per table.
	_, err := f.pl.CreateVPCEndpoint(f.ctx, f.who, CreateVPCEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.s3", RouteTableIDs: []string{f.vpc.MainRouteTableID}})
	wantReason(t, err, cloud.Duplicate, cloud.KindRoute, "route table "+f.vpc.MainRouteTableID+" already has a route with destination-prefix-list-id "+pl.ID)

	// Move it from the main table to the other.
	err = f.pl.ModifyVPCEndpoint(f.ctx, f.who, ModifyVPCEndpointInput{ID: e.ID, AddRouteTableIDs: []string{f.rt.ID}, RemoveRouteTableIDs: []string{f.vpc.MainRouteTableID}})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.endpoint(e.ID); !slices.Equal(got.RouteTableIDs, []string{f.rt.ID}) {
		t.Fatalf("route tables %v", got.RouteTableIDs)
	}
	if _, ok := f.prefixRoute(f.vpc.MainRouteTableID, pl.ID); ok {
		t.Fatal("the main table kept the endpoint's route")
	}
	if _, ok := f.prefixRoute(f.rt.ID, pl.ID); !ok {
		t.Fatal("the other table lacks the endpoint's route")
	}
	other, err := f.net.CreateVPC(f.ctx, f.who, network.CreateVPCInput{CIDRBlock: "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		in     ModifyVPCEndpointInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"remove one it lacks", ModifyVPCEndpointInput{ID: e.ID, RemoveRouteTableIDs: []string{f.vpc.MainRouteTableID}}, cloud.InvalidParameter, cloud.KindVPCEndpoint,
			"Route table " + f.vpc.MainRouteTableID + " is not associated with VPC endpoint " + e.ID + "."},
		{"table of another VPC", ModifyVPCEndpointInput{ID: e.ID, AddRouteTableIDs: []string{other.MainRouteTableID}}, cloud.InvalidParameter, "",
			"route table " + other.MainRouteTableID + " and vpc endpoint " + e.ID + " belong to different networks"},
		{"unknown table", ModifyVPCEndpointInput{ID: e.ID, AddRouteTableIDs: []string{"rtb-0123456789abcdef0"}}, cloud.NotFound, cloud.KindRouteTable, "does not exist"},
		{"subnets", ModifyVPCEndpointInput{ID: e.ID, AddSubnetIDs: []string{f.subnet.ID}}, cloud.InvalidParameter, cloud.KindVPCEndpoint,
			"Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints."},
		{"groups", ModifyVPCEndpointInput{ID: e.ID, AddSecurityGroupIDs: []string{f.group.ID}}, cloud.InvalidParameter, cloud.KindVPCEndpoint,
			"Security group IDs are only supported for Interface type VPC Endpoints."},
		{"private DNS", ModifyVPCEndpointInput{ID: e.ID, PrivateDNSEnabled: ptr(true)}, cloud.InvalidParameter, cloud.KindVPCEndpoint,
			"Private DNS is only supported for Interface type VPC Endpoints."},
		{"IPv6 only", ModifyVPCEndpointInput{ID: e.ID, IPAddressType: "ipv6"}, cloud.InvalidParameter, "", "Value (ipv6) for parameter ipAddressType is invalid."},
		{"policy and reset", ModifyVPCEndpointInput{ID: e.ID, ResetPolicy: true, PolicyDocument: ptr("{}")}, cloud.InvalidCombination, "", "The request cannot contain both ResetPolicy and PolicyDocument."},
		{"a named principal", ModifyVPCEndpointInput{ID: e.ID, PolicyDocument: ptr(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"*","Resource":"*"}]}`)},
			cloud.InvalidParameter, KindEndpointPolicy, "Gateway endpoint policies support only the principal \"*\""},
		{"not a policy", ModifyVPCEndpointInput{ID: e.ID, PolicyDocument: ptr("allow all")}, cloud.InvalidParameter, KindEndpointPolicy, ""},
		{"malformed id", ModifyVPCEndpointInput{ID: "vpce-1"}, cloud.Malformed, cloud.KindVPCEndpoint, "Invalid Id: 'vpce-1' (expecting 'vpce-...; the Id may only contain lowercase alphanumeric characters and a single dash')"},
		{"unknown id", ModifyVPCEndpointInput{ID: "vpce-0123456789abcdef0"}, cloud.NotFound, cloud.KindVPCEndpoint, "The vpcEndpoint ID 'vpce-0123456789abcdef0' does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantReason(t, f.pl.ModifyVPCEndpoint(f.ctx, f.who, tc.in), tc.reason, tc.kind, tc.msg)
		})
	}

	// A policy of its own, then the default again.
	own := `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`
	if err := f.pl.ModifyVPCEndpoint(f.ctx, f.who, ModifyVPCEndpointInput{ID: e.ID, PolicyDocument: &own}); err != nil {
		t.Fatal(err)
	}
	if got := f.endpoint(e.ID).PolicyDocument; got != own {
		t.Fatalf("policy %s", got)
	}
	if err := f.pl.ModifyVPCEndpoint(f.ctx, f.who, ModifyVPCEndpointInput{ID: e.ID, ResetPolicy: true}); err != nil {
		t.Fatal(err)
	}
	if got := f.endpoint(e.ID).PolicyDocument; got != policy.DefaultGatewayEndpointPolicy {
		t.Fatalf("reset policy %s", got)
	}

	// A table deleted under the endpoint leaves it.
	if err := f.net.DeleteRouteTable(f.ctx, f.who, f.rt.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.endpoint(e.ID); len(got.RouteTableIDs) != 0 {
		t.Fatalf("route tables after the table went: %v", got.RouteTableIDs)
	}
	// A deleted endpoint cannot be modified, and deleting it again reports
	// nothing.
	if failed, err := f.pl.DeleteVPCEndpoints(f.ctx, f.who, []string{e.ID}); err != nil || len(failed) != 0 {
		t.Fatalf("delete %+v %v", failed, err)
	}
	wantReason(t, f.pl.ModifyVPCEndpoint(f.ctx, f.who, ModifyVPCEndpointInput{ID: e.ID, ResetPolicy: true}), cloud.NotFound, cloud.KindVPCEndpoint, e.ID)
	failed, err := f.pl.DeleteVPCEndpoints(f.ctx, f.who, []string{e.ID, "vpce-0123456789abcdef0", "vpce-x"})
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 2 || failed[0].Err.Subject != cloud.SubjectEndpointItem || failed[0].Err.Msg != "The VpcEndpoint Id 'vpce-0123456789abcdef0' does not exist" || failed[1].Err.Reason != cloud.Malformed {
		t.Fatalf("unsuccessful %+v %+v", failed[0].Err, failed[1].Err)
	}
}

// TestEndpointQuotas: gateway endpoints count per region, interface
// endpoints per VPC.
func TestEndpointQuotas(t *testing.T) {
	f := newEndpointFixture(t, cloud.WithQuotas(map[string]int{"gateway-endpoints": 1, "interface-endpoints-per-vpc": 1}))
	f.create(CreateVPCEndpointInput{ServiceName: "com.amazonaws.us-east-1.s3"})
	_, err := f.pl.CreateVPCEndpoint(f.ctx, f.who, CreateVPCEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.dynamodb"})
	wantReason(t, err, cloud.LimitExceeded, cloud.KindVPCEndpoint, "The maximum number of VPC endpoints has been reached.")
	f.create(CreateVPCEndpointInput{ServiceName: "com.amazonaws.us-east-1.sqs", Type: EndpointTypeInterface, SubnetIDs: []string{f.subnet.ID}})
	_, err = f.pl.CreateVPCEndpoint(f.ctx, f.who, CreateVPCEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.sts", Type: EndpointTypeInterface, SubnetIDs: []string{f.subnet.ID}})
	wantReason(t, err, cloud.LimitExceeded, cloud.KindVPCEndpoint, "")
}

// TestInterfaceEndpointToAWSService: private DNS is on by default for an
// AWS service with a private name; the endpoint's groups, subnets and
// address types change with ModifyVpcEndpoint.
func TestInterfaceEndpointToAWSService(t *testing.T) {
	f := newEndpointFixture(t)
	in := CreateVPCEndpointInput{ServiceName: "com.amazonaws.us-east-1.secretsmanager", Type: EndpointTypeInterface, SubnetIDs: []string{f.subnet.ID}}
	e := f.create(in)
	if e.State != VPCEndpointPending || !e.PrivateDNSEnabled || e.ServicePrivateDNSName != "secretsmanager.us-east-1.amazonaws.com" ||
		!slices.Equal(e.SecurityGroupIDs, []string{f.vpc.DefaultSecurityGroupID}) || e.PolicyDocument != policy.DefaultInterfaceEndpointPolicy ||
		e.DNSRecordIPType != "ipv4" || len(e.NetworkInterfaceIDs) != 1 || !e.HasDNSOptions() || e.ShowsInboundResolverOption() {
		t.Fatalf("interface endpoint %+v", e)
	}
	got := f.endpoint(e.ID)
	if got.State != VPCEndpointAvailable || len(got.GroupNames) != 1 || got.GroupNames[0] != "default" || got.DNSEntries[len(got.DNSEntries)-1].DNSName != "secretsmanager.us-east-1.amazonaws.com" {
		t.Fatalf("described %+v", got)
	}
	// A second endpoint may not claim the same private name.
	_, err := f.pl.CreateVPCEndpoint(f.ctx, f.who, CreateVPCEndpointInput{VpcID: f.vpc.ID, ServiceName: in.ServiceName, Type: EndpointTypeInterface, SubnetIDs: []string{f.subnetB.ID}})
	wantReason(t, err, cloud.InvalidParameter, cloud.KindVPCEndpoint, "private-dns-enabled cannot be set because there is already a conflicting DNS domain for secretsmanager.us-east-1.amazonaws.com in the VPC "+f.vpc.ID)

	// Groups: add one, drop the default; the interface follows.
	if err := f.pl.ModifyVPCEndpoint(f.ctx, f.who, ModifyVPCEndpointInput{ID: e.ID, AddSecurityGroupIDs: []string{f.group.ID, f.group.ID}, RemoveSecurityGroupIDs: []string{f.vpc.DefaultSecurityGroupID}}); err != nil {
		t.Fatal(err)
	}
	eni := readAs[network.NetworkInterface](f.fixture, e.NetworkInterfaceIDs[0])
	if got := f.endpoint(e.ID); !slices.Equal(got.SecurityGroupIDs, []string{f.group.ID}) || !slices.Equal(eni.Groups, []string{f.group.ID}) {
		t.Fatalf("groups %v, interface's %v", got.SecurityGroupIDs, eni.Groups)
	}
	// The group guards the endpoint now: it cannot go.
	_, err = f.net.DeleteSecurityGroup(f.ctx, f.who, network.GroupRef{ID: f.group.ID})
	wantReason(t, err, cloud.DependencyViolation, cloud.KindSecurityGroup, "")

	// Subnets: one more in us-east-1b, then only it.
	if err := f.pl.ModifyVPCEndpoint(f.ctx, f.who, ModifyVPCEndpointInput{ID: e.ID, AddSubnetIDs: []string{f.subnetB.ID}}); err != nil {
		t.Fatal(err)
	}
	if got := f.endpoint(e.ID); len(got.SubnetIDs) != 2 || len(got.NetworkInterfaceIDs) != 2 {
		t.Fatalf("after adding a subnet %+v", got)
	}
	if err := f.pl.ModifyVPCEndpoint(f.ctx, f.who, ModifyVPCEndpointInput{ID: e.ID, RemoveSubnetIDs: []string{f.subnet.ID}}); err != nil {
		t.Fatal(err)
	}
	got = f.endpoint(e.ID)
	if !slices.Equal(got.SubnetIDs, []string{f.subnetB.ID}) || len(got.NetworkInterfaceIDs) != 1 {
		t.Fatalf("after removing a subnet %+v", got)
	}
	if _, err := f.net.GetNetworkInterface(f.ctx, f.who, eni.ID); err == nil {
		t.Fatal("the removed subnet's interface is still there")
	}
	// A new address in a subnet it has means a new interface.
	if err := f.pl.ModifyVPCEndpoint(f.ctx, f.who, ModifyVPCEndpointInput{ID: e.ID, SubnetConfigs: []EndpointSubnetConfig{{SubnetID: f.subnetB.ID, IPv4: "10.0.2.50"}}}); err != nil {
		t.Fatal(err)
	}
	got = f.endpoint(e.ID)
	if ip := readAs[network.NetworkInterface](f.fixture, got.NetworkInterfaceIDs[0]).PrimaryIP(); ip != "10.0.2.50" {
		t.Fatalf("address after the new configuration %s", ip)
	}

	other, err := f.net.CreateVPC(f.ctx, f.who, network.CreateVPCInput{CIDRBlock: "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	otherSub, err := f.net.CreateSubnet(f.ctx, f.who, network.CreateSubnetInput{VpcID: other.ID, CIDRBlock: "10.1.1.0/24"})
	if err != nil {
		t.Fatal(err)
	}
	third, err := f.net.CreateSubnet(f.ctx, f.who, network.CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.3.0/24", AvailabilityZone: "us-east-1b"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		in     ModifyVPCEndpointInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"remove the last group", ModifyVPCEndpointInput{ID: e.ID, RemoveSecurityGroupIDs: []string{f.group.ID}}, cloud.InvalidParameter, cloud.KindVPCEndpoint, "VPC endpoint " + e.ID + " must have at least one security group."},
		{"remove a group it lacks", ModifyVPCEndpointInput{ID: e.ID, RemoveSecurityGroupIDs: []string{f.vpc.DefaultSecurityGroupID}}, cloud.InvalidParameter, cloud.KindVPCEndpoint, "Security group " + f.vpc.DefaultSecurityGroupID + " is not associated with VPC endpoint " + e.ID + "."},
		{"group of another VPC", ModifyVPCEndpointInput{ID: e.ID, AddSecurityGroupIDs: []string{other.DefaultSecurityGroupID}}, cloud.InvalidParameter, cloud.KindSecurityGroup, "Security group " + other.DefaultSecurityGroupID + " and VPC " + f.vpc.ID + " belong to different networks."},
		{"malformed group", ModifyVPCEndpointInput{ID: e.ID, AddSecurityGroupIDs: []string{"sg-1"}}, cloud.Malformed, cloud.KindSecurityGroup, ""},
		{"remove a subnet it lacks", ModifyVPCEndpointInput{ID: e.ID, RemoveSubnetIDs: []string{f.subnet.ID}}, cloud.InvalidParameter, cloud.KindVPCEndpoint, "Subnet " + f.subnet.ID + " is not associated with VPC endpoint " + e.ID + "."},
		{"second subnet of a zone", ModifyVPCEndpointInput{ID: e.ID, AddSubnetIDs: []string{third.ID}}, cloud.Duplicate, SubjectEndpointSubnet, "Found another VPC endpoint subnet in the availability zone of " + f.subnetB.ID + "."},
		{"subnet of another VPC", ModifyVPCEndpointInput{ID: e.ID, AddSubnetIDs: []string{otherSub.ID}}, cloud.InvalidParameter, cloud.KindVPCEndpoint, "The subnet ID '" + otherSub.ID + "' does not belong to VPC '" + f.vpc.ID + "'."},
		{"malformed subnet", ModifyVPCEndpointInput{ID: e.ID, AddSubnetIDs: []string{"subnet-A"}}, cloud.Malformed, SubjectEndpointSubnet, "Invalid Subnet Id: 'subnet-A'"},
		{"dualstack without IPv6", ModifyVPCEndpointInput{ID: e.ID, IPAddressType: "dualstack"}, cloud.InvalidParameter, cloud.KindVPCEndpoint, "does not support the IP address type dualstack."},
		{"record type of another family", ModifyVPCEndpointInput{ID: e.ID, DNSOptions: &EndpointDNSOptions{RecordIPType: "ipv6"}}, cloud.InvalidParameter, cloud.KindVPCEndpoint, "The DNS record IP type ipv6 is not supported for the IP address type ipv4."},
		{"inbound resolver option", ModifyVPCEndpointInput{ID: e.ID, DNSOptions: &EndpointDNSOptions{PrivateDNSOnlyForInboundResolverEndpoint: ptr(true)}}, cloud.InvalidParameter, cloud.KindVPCEndpoint,
			"To set PrivateDnsOnlyForInboundResolverEndpoint to true, the VPC " + f.vpc.ID + " must have a Gateway endpoint for the service."},
		{"route tables", ModifyVPCEndpointInput{ID: e.ID, AddRouteTableIDs: []string{f.rt.ID}}, cloud.InvalidParameter, cloud.KindVPCEndpoint, "Route table IDs are only supported for Gateway type VPC Endpoint."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantReason(t, f.pl.ModifyVPCEndpoint(f.ctx, f.who, tc.in), tc.reason, tc.kind, tc.msg)
		})
	}
	// Private DNS off, then on again once the VPC names hosts.
	if err := f.pl.ModifyVPCEndpoint(f.ctx, f.who, ModifyVPCEndpointInput{ID: e.ID, PrivateDNSEnabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	if err := f.net.ModifyVPCAttribute(f.ctx, f.who, f.vpc.ID, network.AttrEnableDNSHostnames, false); err != nil {
		t.Fatal(err)
	}
	err = f.pl.ModifyVPCEndpoint(f.ctx, f.who, ModifyVPCEndpointInput{ID: e.ID, PrivateDNSEnabled: ptr(true)})
	wantReason(t, err, cloud.InvalidParameter, cloud.KindVPCEndpoint, "Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for "+f.vpc.ID)
}

// TestS3InterfaceEndpoint: S3's interface endpoint has wildcard names and,
// with a gateway endpoint in the VPC, private DNS only for the inbound
// resolver.
func TestS3InterfaceEndpoint(t *testing.T) {
	f := newEndpointFixture(t)
	in := CreateVPCEndpointInput{ServiceName: "com.amazonaws.us-east-1.s3", Type: EndpointTypeInterface, SubnetIDs: []string{f.subnet.ID}, PrivateDNSEnabled: ptr(true)}
	_, err := f.pl.CreateVPCEndpoint(f.ctx, f.who, CreateVPCEndpointInput{VpcID: f.vpc.ID, ServiceName: in.ServiceName, Type: in.Type, SubnetIDs: in.SubnetIDs, PrivateDNSEnabled: in.PrivateDNSEnabled})
	wantReason(t, err, cloud.InvalidParameter, cloud.KindVPCEndpoint, "To set PrivateDnsOnlyForInboundResolverEndpoint to true, the VPC "+f.vpc.ID+" must have a Gateway endpoint for the service.")
	f.create(CreateVPCEndpointInput{ServiceName: "com.amazonaws.us-east-1.s3"})
	e := f.create(in)
	got := f.endpoint(e.ID)
	if !got.PrivateDNSEnabled || !got.PrivateDNSOnlyForInboundResolverEndpoint || !got.ShowsInboundResolverOption() || !got.WildcardDNS {
		t.Fatalf("S3 interface endpoint %+v", got)
	}
	for _, d := range got.DNSEntries {
		if !strings.HasPrefix(d.DNSName, "*.") {
			t.Errorf("DNS name %s is not a wildcard", d.DNSName)
		}
	}
	// Without the option, private DNS answers in the whole VPC.
	if err := f.pl.ModifyVPCEndpoint(f.ctx, f.who, ModifyVPCEndpointInput{ID: e.ID, DNSOptions: &EndpointDNSOptions{PrivateDNSOnlyForInboundResolverEndpoint: ptr(false)}}); err != nil {
		t.Fatal(err)
	}
	if got := f.endpoint(e.ID); got.PrivateDNSOnlyForInboundResolverEndpoint {
		t.Fatalf("option still on %+v", got)
	}
}

// TestCreateVPCEndpointRefusals covers what a create checks, before and
// after it looks the service up.
func TestCreateVPCEndpointRefusals(t *testing.T) {
	f := newEndpointFixture(t)
	other, err := f.net.CreateVPC(f.ctx, f.who, network.CreateVPCInput{CIDRBlock: "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	sqs := "com.amazonaws.us-east-1.sqs"
	for _, tc := range []struct {
		name   string
		in     CreateVPCEndpointInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"bad type", CreateVPCEndpointInput{ServiceName: sqs, Type: "Resource"}, cloud.InvalidParameter, "", "Value (Resource) for parameter vpcEndpointType is invalid. Valid values: Interface, Gateway, GatewayLoadBalancer."},
		{"gateway with subnets", CreateVPCEndpointInput{ServiceName: "com.amazonaws.us-east-1.s3", SubnetIDs: []string{f.subnet.ID}}, cloud.InvalidParameter, cloud.KindVPCEndpoint, "Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints."},
		{"gateway with private DNS", CreateVPCEndpointInput{ServiceName: "com.amazonaws.us-east-1.s3", PrivateDNSEnabled: ptr(true)}, cloud.InvalidParameter, cloud.KindVPCEndpoint, "Private DNS is only supported for Interface type VPC Endpoints."},
		{"gateway with the resolver option", CreateVPCEndpointInput{ServiceName: "com.amazonaws.us-east-1.s3", DNSOptions: EndpointDNSOptions{PrivateDNSOnlyForInboundResolverEndpoint: ptr(false)}}, cloud.InvalidParameter, cloud.KindVPCEndpoint, "applicable only to Interface VPC Endpoints"},
		{"gateway with a named principal", CreateVPCEndpointInput{ServiceName: "com.amazonaws.us-east-1.s3", PolicyDocument: ptr(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"*","Resource":"*"}]}`)}, cloud.InvalidParameter, KindEndpointPolicy, ""},
		{"bad tags", CreateVPCEndpointInput{ServiceName: sqs, Type: EndpointTypeInterface, Tags: []cloud.TagSpec{{ResourceType: "vpc"}}}, cloud.InvalidParameter, "", "not a valid taggable resource type"},
		{"unknown VPC", CreateVPCEndpointInput{VpcID: "vpc-0123456789abcdef0", ServiceName: sqs, Type: EndpointTypeInterface}, cloud.NotFound, cloud.KindVPC, "does not exist"},
		{"unknown service", CreateVPCEndpointInput{ServiceName: "com.amazonaws.us-east-1.nothing"}, cloud.NotFound, cloud.SubjectEndpointServiceName, "The Vpc Endpoint Service 'com.amazonaws.us-east-1.nothing' does not exist"},
		{"wrong type", CreateVPCEndpointInput{ServiceName: sqs}, cloud.InvalidParameter, cloud.KindVPCEndpoint, "Endpoint type (Gateway) does not match available service types ([Interface])."},
		{"subnet of another VPC", CreateVPCEndpointInput{ServiceName: sqs, Type: EndpointTypeInterface, SubnetIDs: []string{f.subnet.ID}, VpcID: other.ID}, cloud.InvalidParameter, cloud.KindVPCEndpoint, "does not belong to VPC '" + other.ID + "'"},
		{"a subnet named twice", CreateVPCEndpointInput{ServiceName: sqs, Type: EndpointTypeInterface, SubnetConfigs: []EndpointSubnetConfig{{SubnetID: f.subnet.ID}, {SubnetID: f.subnetB.ID}, {SubnetID: f.subnet.ID, IPv4: "10.0.1.9"}}, PrivateDNSEnabled: ptr(false)},
			0, "", ""},
		{"an IPv6 address for IPv4", CreateVPCEndpointInput{ServiceName: sqs, Type: EndpointTypeInterface, SubnetConfigs: []EndpointSubnetConfig{{SubnetID: f.subnet.ID, IPv6: "2600:1f00::9"}}, PrivateDNSEnabled: ptr(false)},
			cloud.InvalidParameter, cloud.KindVPCEndpoint, "An IPv6 address cannot be given for subnet " + f.subnet.ID + " of a VPC endpoint whose IP address type is ipv4."},
		{"a bad address type", CreateVPCEndpointInput{ServiceName: sqs, Type: EndpointTypeInterface, IPAddressType: "ipv5"}, cloud.InvalidParameter, "", "Value (ipv5) for parameter ipAddressType is invalid."},
		{"groups of another VPC", CreateVPCEndpointInput{ServiceName: sqs, Type: EndpointTypeInterface, SecurityGroupIDs: []string{other.DefaultSecurityGroupID}}, cloud.InvalidParameter, cloud.KindSecurityGroup, "belong to different networks"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.in.VpcID == "" {
				tc.in.VpcID = f.vpc.ID
			}
			_, err := f.pl.CreateVPCEndpoint(f.ctx, f.who, tc.in)
			if tc.reason == 0 {
				// The third config names the first subnet again: it
				// gives it its address, it is not a third subnet.
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	dry := f.who
	dry.DryRun = true
	_, err = f.pl.CreateVPCEndpoint(f.ctx, dry, CreateVPCEndpointInput{VpcID: f.vpc.ID, ServiceName: "com.amazonaws.us-east-1.s3", RouteTableIDs: []string{f.rt.ID}})
	wantReason(t, err, cloud.DryRun, "", "Request would have succeeded, but DryRun flag is set.")
	pl, _ := awsservices.PrefixListOf("us-east-1", "s3")
	if _, ok := f.prefixRoute(f.rt.ID, pl.ID); ok {
		t.Fatal("a dry run left a route")
	}
}
