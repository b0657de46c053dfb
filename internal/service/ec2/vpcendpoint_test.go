package ec2_test

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
	"github.com/vpcemu/vpcemu/internal/policy"
)

// seedPolicy is the sample endpoint policy of seed 004, as written there.
const seedPolicy = `{

  "Statement": [

    {

      "Effect": "Allow",

      "Principal": "*",

      "Action": "ssm:DescribeInstanceInformation",

      "Resource": "*"

    }

  ]

}`

// Endpoint states as EC2 spells them on the wire (the SDK's constants
// are capitalized).
const (
	statePending   = types.State("pending")
	stateAvailable = types.State("available")
	stateDeleted   = types.State("deleted")
)

// endpointEnv is a VPC 10.0.0.0/16 that resolves and names hosts, with a
// subnet in each of us-east-1a, b and c and a route table.
type endpointEnv struct {
	fixture
	vpc     string
	subnets []string
	table   string
}

func newEndpointEnv(t *testing.T) endpointEnv {
	e := endpointEnv{fixture: newFixture(t)}
	e.vpc = e.newVPC("10.0.0.0/16", true)
	for i, zone := range []string{"us-east-1a", "us-east-1b", "us-east-1c"} {
		e.subnets = append(e.subnets, e.subnet(e.vpc, "10.0."+string(rune('1'+i))+".0/24", zone))
	}
	e.table = e.routeTable(e.vpc)
	return e
}

// newVPC creates a VPC; dns turns on DNS hostnames (DNS support is on).
func (e endpointEnv) newVPC(block string, dns bool) string {
	e.t.Helper()
	out, err := e.c.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(block)})
	e.must(err)
	id := aws.ToString(out.Vpc.VpcId)
	if dns {
		_, err := e.c.ModifyVpcAttribute(e.ctx, &ec2.ModifyVpcAttributeInput{VpcId: &id, EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}})
		e.must(err)
	}
	return id
}

func (e endpointEnv) subnet(vpc, block, zone string) string {
	e.t.Helper()
	out, err := e.c.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: &block, AvailabilityZone: &zone})
	e.must(err)
	return aws.ToString(out.Subnet.SubnetId)
}

func (e endpointEnv) routeTable(vpc string) string {
	e.t.Helper()
	out, err := e.c.CreateRouteTable(e.ctx, &ec2.CreateRouteTableInput{VpcId: &vpc})
	e.must(err)
	return aws.ToString(out.RouteTable.RouteTableId)
}

func (e endpointEnv) group(vpc, name string) string {
	e.t.Helper()
	out, err := e.c.CreateSecurityGroup(e.ctx, &ec2.CreateSecurityGroupInput{VpcId: &vpc, GroupName: &name, Description: &name})
	e.must(err)
	return aws.ToString(out.GroupId)
}

// create creates an endpoint in the env's VPC unless in names another.
func (e endpointEnv) create(in ec2.CreateVpcEndpointInput) types.VpcEndpoint {
	e.t.Helper()
	out, err := e.c.CreateVpcEndpoint(e.ctx, e.withVPC(in))
	e.must(err)
	return *out.VpcEndpoint
}

func (e endpointEnv) withVPC(in ec2.CreateVpcEndpointInput) *ec2.CreateVpcEndpointInput {
	if in.VpcId == nil {
		in.VpcId = &e.vpc
	}
	return &in
}

// endpoint describes one endpoint.
func (e endpointEnv) endpoint(id string) types.VpcEndpoint {
	e.t.Helper()
	out, err := e.c.DescribeVpcEndpoints(e.ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
	e.must(err)
	if len(out.VpcEndpoints) != 1 {
		e.t.Fatalf("describe %s: %+v", id, out.VpcEndpoints)
	}
	return out.VpcEndpoints[0]
}

func (e endpointEnv) modify(in ec2.ModifyVpcEndpointInput) {
	e.t.Helper()
	_, err := e.c.ModifyVpcEndpoint(e.ctx, &in)
	e.must(err)
}

func (e endpointEnv) deleteEndpoints(ids ...string) []types.UnsuccessfulItem {
	e.t.Helper()
	out, err := e.c.DeleteVpcEndpoints(e.ctx, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: ids})
	e.must(err)
	return out.Unsuccessful
}

// routes lists a table's routes.
func (e endpointEnv) routes(table string) []types.Route {
	e.t.Helper()
	out, err := e.c.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{table}})
	e.must(err)
	return out.RouteTables[0].Routes
}

// prefixList is the id of an AWS-managed prefix list, by name.
func (e endpointEnv) prefixList(name string) string {
	e.t.Helper()
	out, err := e.c.DescribePrefixLists(e.ctx, &ec2.DescribePrefixListsInput{Filters: []types.Filter{{Name: aws.String("prefix-list-name"), Values: []string{name}}}})
	e.must(err)
	if len(out.PrefixLists) != 1 {
		e.t.Fatalf("prefix list %s: %+v", name, out.PrefixLists)
	}
	return aws.ToString(out.PrefixLists[0].PrefixListId)
}

// interfaces describes network interfaces by id.
func (e endpointEnv) interfaces(ids []string) []types.NetworkInterface {
	e.t.Helper()
	out, err := e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: ids})
	e.must(err)
	return out.NetworkInterfaces
}

// endpointGroupIDs are the ids of an endpoint's groups.
func endpointGroupIDs(groups []types.SecurityGroupIdentifier) []string {
	out := []string{}
	for _, g := range groups {
		out = append(out, aws.ToString(g.GroupId))
	}
	return out
}

// interfaceGroupIDs are the ids of a network interface's groups.
func interfaceGroupIDs(groups []types.GroupIdentifier) []string {
	out := []string{}
	for _, g := range groups {
		out = append(out, aws.ToString(g.GroupId))
	}
	return out
}

// endpointRoute finds a table's route to a prefix list.
func endpointRoute(routes []types.Route, pl string) *types.Route {
	for i := range routes {
		if aws.ToString(routes[i].DestinationPrefixListId) == pl {
			return &routes[i]
		}
	}
	return nil
}

// TestVpcEndpointGateway: an S3 gateway endpoint on a private subnet's
// route table (seed 001) routes the service's AWS-managed prefix list to
// the endpoint; the route is the endpoint's alone to add and remove, one
// per service per table, and it follows the endpoint's route tables.
func TestVpcEndpointGateway(t *testing.T) {
	e := newEndpointEnv(t)
	_, err := e.c.AssociateRouteTable(e.ctx, &ec2.AssociateRouteTableInput{RouteTableId: &e.table, SubnetId: &e.subnets[0]})
	e.must(err)
	s3 := e.create(ec2.CreateVpcEndpointInput{ServiceName: aws.String("com.amazonaws.us-east-1.s3"), RouteTableIds: []string{e.table}})
	id := aws.ToString(s3.VpcEndpointId)
	if s3.VpcEndpointType != types.VpcEndpointTypeGateway || s3.State != stateAvailable ||
		aws.ToString(s3.PolicyDocument) != policy.DefaultGatewayEndpointPolicy || !slices.Equal(s3.RouteTableIds, []string{e.table}) ||
		aws.ToBool(s3.PrivateDnsEnabled) || len(s3.DnsEntries) != 0 || len(s3.Groups) != 0 || len(s3.SubnetIds) != 0 ||
		aws.ToBool(s3.RequesterManaged) || aws.ToString(s3.OwnerId) != accountA || aws.ToString(s3.ServiceRegion) != "us-east-1" ||
		s3.IpAddressType != types.IpAddressTypeIpv4 || s3.DnsOptions.DnsRecordIpType != types.DnsRecordIpTypeIpv4 ||
		s3.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint != nil || s3.CreationTimestamp == nil || !strings.HasPrefix(id, "vpce-") {
		t.Fatalf("gateway endpoint: %+v", s3)
	}
	pl := e.prefixList("com.amazonaws.us-east-1.s3")
	r := endpointRoute(e.routes(e.table), pl)
	if r == nil || aws.ToString(r.GatewayId) != id || r.Origin != types.RouteOriginCreateRoute || r.State != types.RouteStateActive {
		t.Fatalf("endpoint route: %+v", r)
	}
	for _, f := range []types.Filter{
		{Name: aws.String("route.destination-prefix-list-id"), Values: []string{pl}},
		{Name: aws.String("route.gateway-id"), Values: []string{id}},
	} {
		out, err := e.c.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{f}})
		e.must(err)
		if len(out.RouteTables) != 1 || aws.ToString(out.RouteTables[0].RouteTableId) != e.table {
			t.Errorf("route tables with %s: %+v", aws.ToString(f.Name), out.RouteTables)
		}
	}

	// The route is the endpoint's: the route APIs cannot add, change or
	// remove it, nor another endpoint of the service add its own.
	igw, err := e.c.CreateInternetGateway(e.ctx, &ec2.CreateInternetGatewayInput{})
	e.must(err)
	_, err = e.c.AttachInternetGateway(e.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: &e.vpc})
	e.must(err)
	other := e.routeTable(e.vpc)
	checkRefusals(t, []refusal{
		{"route to an AWS-managed list", func() error {
			_, err := e.c.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: &other, DestinationPrefixListId: &pl, GatewayId: igw.InternetGateway.InternetGatewayId})
			return err
		}, "InvalidParameterValue", "AWS-managed prefix list"},
		{"delete the endpoint route", func() error {
			_, err := e.c.DeleteRoute(e.ctx, &ec2.DeleteRouteInput{RouteTableId: &e.table, DestinationPrefixListId: &pl})
			return err
		}, "InvalidParameterValue", "cannot remove VPC endpoint route " + pl + " in route table " + e.table},
		{"replace the endpoint route", func() error {
			_, err := e.c.ReplaceRoute(e.ctx, &ec2.ReplaceRouteInput{RouteTableId: &e.table, DestinationPrefixListId: &pl, GatewayId: igw.InternetGateway.InternetGatewayId})
			return err
		}, "InvalidParameterValue", "cannot replace VPC endpoint route"},
		{"second endpoint of the service in the table", func() error {
			_, err := e.c.CreateVpcEndpoint(e.ctx, e.withVPC(ec2.CreateVpcEndpointInput{ServiceName: aws.String("com.amazonaws.us-east-1.s3"), RouteTableIds: []string{e.table}}))
			return err
		}, "RouteAlreadyExists", "route table " + e.table + " already has a route with destination-prefix-list-id " + pl},
		{"gateway endpoint as a route target", func() error {
			_, err := e.c.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: &other, DestinationCidrBlock: aws.String("0.0.0.0/0"), VpcEndpointId: &id})
			return err
		}, "InvalidParameterValue", "not a Gateway Load Balancer endpoint"},
	})

	// Another service's endpoint routes its own list through the table.
	ddb := e.create(ec2.CreateVpcEndpointInput{ServiceName: aws.String("com.amazonaws.us-east-1.dynamodb"), RouteTableIds: []string{e.table}})
	ddbList := e.prefixList("com.amazonaws.us-east-1.dynamodb")
	if r := endpointRoute(e.routes(e.table), ddbList); r == nil || aws.ToString(r.GatewayId) != aws.ToString(ddb.VpcEndpointId) {
		t.Errorf("dynamodb route: %+v", r)
	}

	// The route follows the endpoint's tables.
	e.modify(ec2.ModifyVpcEndpointInput{VpcEndpointId: &id, AddRouteTableIds: []string{other}, RemoveRouteTableIds: []string{e.table}})
	if endpointRoute(e.routes(e.table), pl) != nil || endpointRoute(e.routes(other), pl) == nil {
		t.Errorf("routes after moving tables: %+v / %+v", e.routes(e.table), e.routes(other))
	}
	if got := e.endpoint(id).RouteTableIds; !slices.Equal(got, []string{other}) {
		t.Errorf("route tables after the move: %v", got)
	}
	// A table with an endpoint route can still be deleted; the endpoint
	// forgets it.
	_, err = e.c.DeleteRouteTable(e.ctx, &ec2.DeleteRouteTableInput{RouteTableId: &other})
	e.must(err)
	if got := e.endpoint(id).RouteTableIds; len(got) != 0 {
		t.Errorf("route tables after deleting the table: %v", got)
	}

	// Deleting the endpoints removes their routes; the VPC they held can
	// then go.
	_, err = e.c.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: &e.vpc})
	e.wantErr(err, "DependencyViolation", e.vpc)
	if failed := e.deleteEndpoints(id, aws.ToString(ddb.VpcEndpointId)); len(failed) != 0 {
		t.Fatalf("delete: %+v", failed)
	}
	if got := e.routes(e.table); len(got) != 1 {
		t.Errorf("routes after deleting the endpoints: %+v", got)
	}
	if d := e.endpoint(id); d.State != stateDeleted {
		t.Errorf("deleted endpoint: %+v", d)
	}
	for _, s := range e.subnets {
		_, err := e.c.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: &s})
		e.must(err)
	}
	_, err = e.c.DeleteRouteTable(e.ctx, &ec2.DeleteRouteTableInput{RouteTableId: &e.table})
	e.must(err)
	_, err = e.c.DetachInternetGateway(e.ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: &e.vpc})
	e.must(err)
	_, err = e.c.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: &e.vpc})
	e.must(err)
}

// dnsName matches an endpoint's regional or zonal DNS name.
func dnsName(prefix, id, service string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(prefix+id) + `-[a-z0-9]{8}(-us-east-1[a-f])?\.` + regexp.QuoteMeta(service) + `\.us-east-1\.vpce\.amazonaws\.com$`)
}

// checkDNSEntries checks an interface endpoint's DNS names: regional,
// then zonal in the subnets' order, in us-east-1's vpce zone, then the
// private name when there is one.
func checkDNSEntries(t *testing.T, entries []types.DnsEntry, prefix, id, service string, zones []string, private, privateZone string) {
	t.Helper()
	want := 1 + len(zones)
	if private != "" {
		want++
	}
	if len(entries) != want {
		t.Fatalf("DNS entries: %+v", entries)
	}
	re := dnsName(prefix, id, service)
	label := ""
	for i, d := range entries[:1+len(zones)] {
		name := aws.ToString(d.DnsName)
		m := re.FindStringSubmatch(name)
		if m == nil || aws.ToString(d.HostedZoneId) != "Z7HUB22UULQXV" {
			t.Errorf("DNS entry %d: %s %s", i, name, aws.ToString(d.HostedZoneId))
			continue
		}
		if i > 0 && m[1] != "-"+zones[i-1] {
			t.Errorf("DNS entry %d is not of zone %s: %s", i, zones[i-1], name)
		}
		if l := strings.TrimPrefix(name, prefix+id+"-")[:8]; label == "" {
			label = l
		} else if l != label {
			t.Errorf("DNS entry %d has another label: %s", i, name)
		}
	}
	if private == "" {
		return
	}
	last := entries[len(entries)-1]
	if aws.ToString(last.DnsName) != private || !regexp.MustCompile(privateZone).MatchString(aws.ToString(last.HostedZoneId)) {
		t.Errorf("private DNS entry: %s %s", aws.ToString(last.DnsName), aws.ToString(last.HostedZoneId))
	}
}

// TestVpcEndpointInterface: interface endpoints to AWS services (SNS with
// private DNS as in seed 002, S3, SSM with seed 004's policy) get a
// requester-managed interface per subnet, DNS names as AWS forms them,
// and the VPC's default group when none is given.
func TestVpcEndpointInterface(t *testing.T) {
	e := newEndpointEnv(t)
	sg := e.group(e.vpc, "endpoints")
	sns := e.create(ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: aws.String("com.amazonaws.us-east-1.sns"),
		SubnetIds: e.subnets[:2], SecurityGroupIds: []string{sg},
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeVpcEndpoint, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("sns")}}}}})
	id := aws.ToString(sns.VpcEndpointId)
	zones := []string{"us-east-1a", "us-east-1b"}
	// The answer shows the endpoint being made and its private zone pending.
	if sns.State != statePending || !aws.ToBool(sns.PrivateDnsEnabled) {
		t.Fatalf("created: %+v", sns)
	}
	checkDNSEntries(t, sns.DnsEntries, "", id, "sns", zones, "sns.us-east-1.amazonaws.com", "^ZONEIDPENDING$")

	got := e.endpoint(id)
	if got.State != stateAvailable || got.VpcEndpointType != types.VpcEndpointTypeInterface ||
		aws.ToString(got.PolicyDocument) != policy.DefaultInterfaceEndpointPolicy || !slices.Equal(got.SubnetIds, e.subnets[:2]) ||
		len(got.Groups) != 1 || aws.ToString(got.Groups[0].GroupId) != sg || aws.ToString(got.Groups[0].GroupName) != "endpoints" ||
		len(got.NetworkInterfaceIds) != 2 || len(got.RouteTableIds) != 0 || got.IpAddressType != types.IpAddressTypeIpv4 ||
		got.DnsOptions.DnsRecordIpType != types.DnsRecordIpTypeIpv4 || len(got.Tags) != 1 || aws.ToString(got.ServiceRegion) != "us-east-1" {
		t.Fatalf("described: %+v", got)
	}
	checkDNSEntries(t, got.DnsEntries, "", id, "sns", zones, "sns.us-east-1.amazonaws.com", "^Z0[0-9A-Z]{19}$")
	if again := e.endpoint(id); aws.ToString(again.DnsEntries[3].HostedZoneId) != aws.ToString(got.DnsEntries[3].HostedZoneId) {
		t.Errorf("the private hosted zone changed: %v", again.DnsEntries[3])
	}
	// The interfaces, as Terraform reads them by id.
	for _, n := range e.interfaces(got.NetworkInterfaceIds) {
		i := slices.Index(got.NetworkInterfaceIds, aws.ToString(n.NetworkInterfaceId))
		if aws.ToString(n.SubnetId) != got.SubnetIds[i] || n.InterfaceType != "vpc_endpoint" ||
			aws.ToString(n.Description) != "VPC Endpoint Interface "+id || !aws.ToBool(n.RequesterManaged) ||
			aws.ToString(n.RequesterId) != "727180483921" || n.Status != types.NetworkInterfaceStatusInUse ||
			!slices.Equal(interfaceGroupIDs(n.Groups), []string{sg}) || aws.ToString(n.PrivateIpAddress) == "" {
			t.Errorf("interface %d: %+v", i, n)
		}
	}

	// S3's interface endpoints: wildcard names, no private DNS unless
	// asked, the inbound resolver option on; the default group.
	s3 := e.create(ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: aws.String("com.amazonaws.us-east-1.s3"),
		SubnetIds: e.subnets[2:]})
	s3 = e.endpoint(aws.ToString(s3.VpcEndpointId))
	checkDNSEntries(t, s3.DnsEntries, "*.", aws.ToString(s3.VpcEndpointId), "s3", []string{"us-east-1c"}, "", "")
	if aws.ToBool(s3.PrivateDnsEnabled) || !aws.ToBool(s3.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint) ||
		len(s3.Groups) != 1 || aws.ToString(s3.Groups[0].GroupName) != "default" {
		t.Errorf("S3 interface endpoint: %+v", s3)
	}

	// SSM with the policy of seed 004, in a subnet at a chosen address.
	ssm := e.create(ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: aws.String("com.amazonaws.us-east-1.ssm"),
		SubnetConfigurations: []types.SubnetConfiguration{{SubnetId: &e.subnets[0], Ipv4: aws.String("10.0.1.50")}}, PolicyDocument: aws.String(seedPolicy)})
	if aws.ToString(ssm.PolicyDocument) != seedPolicy {
		t.Errorf("policy: %q", aws.ToString(ssm.PolicyDocument))
	}
	if n := e.interfaces(ssm.NetworkInterfaceIds); aws.ToString(n[0].PrivateIpAddress) != "10.0.1.50" {
		t.Errorf("chosen address: %+v", n[0])
	}
}

// TestVpcEndpointPrivateDNS: private DNS needs a service with a private
// DNS name and a VPC that resolves and names hosts; one endpoint of a VPC
// holds a name; S3's inbound resolver option needs the VPC's gateway
// endpoint.
func TestVpcEndpointPrivateDNS(t *testing.T) {
	e := newEndpointEnv(t)
	noHostnames := e.newVPC("10.1.0.0/16", false)
	yes, no := aws.Bool(true), aws.Bool(false)
	iface := func(service string, private *bool) ec2.CreateVpcEndpointInput {
		return ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: aws.String("com.amazonaws.us-east-1." + service), PrivateDnsEnabled: private}
	}
	first := e.create(iface("secretsmanager", nil))
	withoutHostnames := iface("secretsmanager", nil)
	withoutHostnames.VpcId = &noHostnames
	s3NoOption := iface("s3", yes)
	s3NoOption.DnsOptions = &types.DnsOptionsSpecification{PrivateDnsOnlyForInboundResolverEndpoint: no}
	checkInputRefusals(t, []inputRefusal[ec2.CreateVpcEndpointInput]{
		{"VPC without DNS hostnames", withoutHostnames, "InvalidParameter",
			"Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for " + noHostnames},
		{"service without a private DNS name", iface("dynamodb", yes), "InvalidParameter",
			"Private DNS can't be enabled because the service com.amazonaws.us-east-1.dynamodb does not provide a private DNS name."},
		{"name already held", iface("secretsmanager", yes), "InvalidParameter",
			"private-dns-enabled cannot be set because there is already a conflicting DNS domain for secretsmanager.us-east-1.amazonaws.com in the VPC " + e.vpc},
		{"inbound resolver option without a gateway endpoint", iface("s3", yes), "InvalidParameter",
			"To set PrivateDnsOnlyForInboundResolverEndpoint to true, the VPC " + e.vpc + " must have a Gateway endpoint for the service."},
	}, func(in ec2.CreateVpcEndpointInput) error {
		_, err := e.c.CreateVpcEndpoint(e.ctx, e.withVPC(in))
		return err
	})
	// Without private DNS a second endpoint of the service is fine.
	second := e.create(iface("secretsmanager", no))
	_, err := e.c.ModifyVpcEndpoint(e.ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: second.VpcEndpointId, PrivateDnsEnabled: yes})
	e.wantErr(err, "InvalidParameter", "conflicting DNS domain")
	e.modify(ec2.ModifyVpcEndpointInput{VpcEndpointId: first.VpcEndpointId, PrivateDnsEnabled: no})
	e.modify(ec2.ModifyVpcEndpointInput{VpcEndpointId: second.VpcEndpointId, PrivateDnsEnabled: yes})
	// Without subnets the endpoint has no interfaces, so no DNS entries.
	if d := e.endpoint(aws.ToString(second.VpcEndpointId)); !aws.ToBool(d.PrivateDnsEnabled) || len(d.DnsEntries) != 0 {
		t.Errorf("private DNS moved: %+v", d)
	}

	// S3 with private DNS for all resolvers needs nothing more.
	s3NoOption.SubnetIds = e.subnets[:1]
	s3 := e.create(s3NoOption)
	if d := e.endpoint(aws.ToString(s3.VpcEndpointId)); !aws.ToBool(d.PrivateDnsEnabled) || aws.ToBool(d.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint) ||
		aws.ToString(d.DnsEntries[len(d.DnsEntries)-1].DnsName) != "*.s3.us-east-1.amazonaws.com" {
		t.Errorf("S3 private DNS for all resolvers: %+v", d)
	}
	// In a VPC with an S3 gateway endpoint, the default inbound resolver
	// option is fine.
	other := e.newVPC("10.2.0.0/16", true)
	e.create(ec2.CreateVpcEndpointInput{VpcId: &other, ServiceName: aws.String("com.amazonaws.us-east-1.s3")})
	inbound := iface("s3", yes)
	inbound.VpcId = &other
	if d := e.create(inbound); !aws.ToBool(d.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint) {
		t.Errorf("S3 private DNS for inbound resolvers: %+v", d)
	}
}

// TestCreateVpcEndpointRefusals: every refusal of CreateVpcEndpoint, with
// EC2's code.
func TestCreateVpcEndpointRefusals(t *testing.T) {
	e := newEndpointEnv(t)
	other := e.newVPC("10.3.0.0/16", true)
	otherSubnet := e.subnet(other, "10.3.1.0/24", "us-east-1a")
	otherTable := e.routeTable(other)
	otherGroup := e.group(other, "elsewhere")
	sameZone := e.subnet(e.vpc, "10.0.10.0/24", "us-east-1a")
	s3, sm := aws.String("com.amazonaws.us-east-1.s3"), aws.String("com.amazonaws.us-east-1.secretsmanager")
	iface, gwlb := types.VpcEndpointTypeInterface, types.VpcEndpointTypeGatewayLoadBalancer
	no := aws.Bool(false)
	checkInputRefusals(t, []inputRefusal[ec2.CreateVpcEndpointInput]{
		{"unknown VPC", ec2.CreateVpcEndpointInput{VpcId: aws.String("vpc-0123456789abcdef0"), ServiceName: s3}, "InvalidVpcID.NotFound", "vpc-0123456789abcdef0"},
		{"unknown service", ec2.CreateVpcEndpointInput{ServiceName: aws.String("com.amazonaws.us-east-1.nosuchservice")}, "InvalidServiceName",
			"The Vpc Endpoint Service 'com.amazonaws.us-east-1.nosuchservice' does not exist"},
		{"service of another region", ec2.CreateVpcEndpointInput{ServiceName: aws.String("com.amazonaws.us-west-2.s3")}, "InvalidServiceName", "does not exist"},
		{"gateway to an interface service", ec2.CreateVpcEndpointInput{ServiceName: sm}, "InvalidParameter",
			"Endpoint type (Gateway) does not match available service types ([Interface])."},
		{"Gateway Load Balancer endpoint to S3", ec2.CreateVpcEndpointInput{ServiceName: s3, VpcEndpointType: gwlb, SubnetIds: e.subnets[:1]}, "InvalidParameter",
			"Endpoint type (GatewayLoadBalancer) does not match available service types ([Gateway, Interface])."},
		{"cross-region gateway", ec2.CreateVpcEndpointInput{ServiceName: aws.String("com.amazonaws.us-west-2.s3"), ServiceRegion: aws.String("us-west-2")}, "InvalidParameter",
			"Endpoint type (Gateway) does not match available service types ([Interface])."},
		{"unknown service region", ec2.CreateVpcEndpointInput{ServiceName: s3, ServiceRegion: aws.String("mars-east-1")}, "InvalidParameterValue", "mars-east-1"},
		{"subnets of a gateway endpoint", ec2.CreateVpcEndpointInput{ServiceName: sm, SubnetIds: e.subnets[:1]}, "InvalidParameter",
			"Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints."},
		{"route tables of an interface endpoint", ec2.CreateVpcEndpointInput{ServiceName: sm, VpcEndpointType: iface, RouteTableIds: []string{e.table}}, "InvalidParameter",
			"Route table IDs are only supported for Gateway type VPC Endpoint."},
		{"groups of a gateway endpoint", ec2.CreateVpcEndpointInput{ServiceName: s3, SecurityGroupIds: []string{otherGroup}}, "InvalidParameter", "Security group IDs are only supported"},
		{"private DNS of a gateway endpoint", ec2.CreateVpcEndpointInput{ServiceName: s3, PrivateDnsEnabled: aws.Bool(true)}, "InvalidParameter", "Private DNS is only supported"},
		{"inbound resolver option of a gateway endpoint", ec2.CreateVpcEndpointInput{ServiceName: s3, DnsOptions: &types.DnsOptionsSpecification{PrivateDnsOnlyForInboundResolverEndpoint: no}},
			"InvalidParameter", "DnsOptions PrivateDnsOnlyForInboundResolverEndpoint is applicable only to Interface VPC Endpoints"},
		{"inbound resolver option of a service without gateway endpoints", ec2.CreateVpcEndpointInput{ServiceName: sm, VpcEndpointType: iface, PrivateDnsEnabled: no,
			DnsOptions: &types.DnsOptionsSpecification{PrivateDnsOnlyForInboundResolverEndpoint: aws.Bool(true)}}, "InvalidParameter", "must have a Gateway endpoint for the service"},
		{"unknown route table", ec2.CreateVpcEndpointInput{ServiceName: s3, RouteTableIds: []string{"rtb-0123456789abcdef0"}}, "InvalidRouteTableID.NotFound", "rtb-0123456789abcdef0"},
		{"route table of another VPC", ec2.CreateVpcEndpointInput{ServiceName: s3, RouteTableIds: []string{otherTable}}, "InvalidParameterValue", "belong to different networks"},
		{"malformed subnet", ec2.CreateVpcEndpointInput{ServiceName: sm, VpcEndpointType: iface, SubnetIds: []string{"private-a"}}, "InvalidSubnetId.Malformed",
			"Invalid Subnet Id: 'private-a' (expecting 'subnet-...; the Id may only contain lowercase alphanumeric characters and a single dash')"},
		{"unknown subnet", ec2.CreateVpcEndpointInput{ServiceName: sm, VpcEndpointType: iface, SubnetIds: []string{"subnet-0123456789abcdef0"}}, "InvalidSubnetID.NotFound", ""},
		{"subnet of another VPC", ec2.CreateVpcEndpointInput{ServiceName: sm, VpcEndpointType: iface, SubnetIds: []string{otherSubnet}}, "InvalidParameter", otherSubnet},
		{"two subnets in a zone", ec2.CreateVpcEndpointInput{ServiceName: sm, VpcEndpointType: iface, SubnetIds: []string{e.subnets[0], sameZone}}, "DuplicateSubnetsInSameZone",
			"Found another VPC endpoint subnet in the availability zone of " + e.subnets[0] + ". VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service."},
		{"unknown group", ec2.CreateVpcEndpointInput{ServiceName: sm, VpcEndpointType: iface, SecurityGroupIds: []string{"sg-0123456789abcdef0"}}, "InvalidGroup.NotFound", ""},
		{"malformed group", ec2.CreateVpcEndpointInput{ServiceName: sm, VpcEndpointType: iface, SecurityGroupIds: []string{"web"}}, "InvalidGroupId.Malformed", ""},
		{"group of another VPC", ec2.CreateVpcEndpointInput{ServiceName: sm, VpcEndpointType: iface, SecurityGroupIds: []string{otherGroup}}, "InvalidParameter", "belong to different networks"},
		{"policy that is not JSON", ec2.CreateVpcEndpointInput{ServiceName: s3, PolicyDocument: aws.String(`{"Statement": [`)}, "InvalidPolicyDocument", "The Policy Document is not valid. Syntax error"},
		{"policy without a principal", ec2.CreateVpcEndpointInput{ServiceName: sm, VpcEndpointType: iface, PrivateDnsEnabled: no,
			PolicyDocument: aws.String(`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}, "InvalidPolicyDocument", "Missing required field Principal"},
		{"gateway policy naming a principal", ec2.CreateVpcEndpointInput{ServiceName: s3,
			PolicyDocument: aws.String(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"*","Resource":"*"}]}`)}, "InvalidPolicyDocument", "principal"},
		{"address type the service lacks", ec2.CreateVpcEndpointInput{ServiceName: sm, VpcEndpointType: iface, PrivateDnsEnabled: no, IpAddressType: types.IpAddressTypeDualstack},
			"InvalidParameter", "does not support the IP address type dualstack"},
		{"DNS records of another family", ec2.CreateVpcEndpointInput{ServiceName: sm, VpcEndpointType: iface, PrivateDnsEnabled: no,
			DnsOptions: &types.DnsOptionsSpecification{DnsRecordIpType: types.DnsRecordIpTypeIpv6}}, "InvalidParameter", "not supported for the IP address type ipv4"},
		{"dualstack endpoint in IPv4-only subnets", ec2.CreateVpcEndpointInput{ServiceName: aws.String("com.amazonaws.us-east-1.monitoring"), VpcEndpointType: iface,
			PrivateDnsEnabled: no, SubnetIds: e.subnets[:1], IpAddressType: types.IpAddressTypeDualstack}, "InvalidParameter", "does not support the IP address type dualstack"},
		{"IPv6 address of an interface", ec2.CreateVpcEndpointInput{ServiceName: sm, VpcEndpointType: iface, PrivateDnsEnabled: no,
			SubnetConfigurations: []types.SubnetConfiguration{{SubnetId: &e.subnets[0], Ipv6: aws.String("2600::1")}}}, "InvalidParameter", "IP address type is ipv4"},
		{"tags of another type", ec2.CreateVpcEndpointInput{ServiceName: s3, TagSpecifications: []types.TagSpecification{
			{ResourceType: types.ResourceTypeVpc, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}}}, "InvalidParameterValue", "not a valid taggable resource type"},
	}, func(in ec2.CreateVpcEndpointInput) error {
		_, err := e.c.CreateVpcEndpoint(e.ctx, e.withVPC(in))
		return err
	})
}

// TestModifyVpcEndpoint: subnets, security groups, policy and private DNS
// of an interface endpoint change; refusals keep it as it was.
func TestModifyVpcEndpoint(t *testing.T) {
	e := newEndpointEnv(t)
	ep := e.create(ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: aws.String("com.amazonaws.us-east-1.secretsmanager"),
		PrivateDnsEnabled: aws.Bool(false)})
	id := ep.VpcEndpointId
	if len(ep.SubnetIds) != 0 || len(ep.NetworkInterfaceIds) != 0 {
		t.Fatalf("endpoint without subnets: %+v", ep)
	}
	e.modify(ec2.ModifyVpcEndpointInput{VpcEndpointId: id, AddSubnetIds: e.subnets[:2]})
	d := e.endpoint(*id)
	if !slices.Equal(d.SubnetIds, e.subnets[:2]) || len(d.NetworkInterfaceIds) != 2 || len(d.DnsEntries) != 3 {
		t.Fatalf("after adding subnets: %+v", d)
	}
	firstENI := d.NetworkInterfaceIds[0]
	e.modify(ec2.ModifyVpcEndpointInput{VpcEndpointId: id, RemoveSubnetIds: e.subnets[:1],
		SubnetConfigurations: []types.SubnetConfiguration{{SubnetId: &e.subnets[1], Ipv4: aws.String("10.0.2.77")}}})
	d = e.endpoint(*id)
	if !slices.Equal(d.SubnetIds, e.subnets[1:2]) || len(d.NetworkInterfaceIds) != 1 || len(d.DnsEntries) != 2 {
		t.Fatalf("after removing a subnet: %+v", d)
	}
	_, err := e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{firstENI}})
	e.wantErr(err, "InvalidNetworkInterfaceID.NotFound", firstENI)
	if n := e.interfaces(d.NetworkInterfaceIds); aws.ToString(n[0].PrivateIpAddress) != "10.0.2.77" {
		t.Errorf("readdressed interface: %+v", n[0])
	}

	// Groups change on the endpoint and its interfaces.
	def := endpointGroupIDs(d.Groups)[0]
	sg := e.group(e.vpc, "app")
	e.modify(ec2.ModifyVpcEndpointInput{VpcEndpointId: id, AddSecurityGroupIds: []string{sg}, RemoveSecurityGroupIds: []string{def}})
	d = e.endpoint(*id)
	if !slices.Equal(endpointGroupIDs(d.Groups), []string{sg}) || !slices.Equal(interfaceGroupIDs(e.interfaces(d.NetworkInterfaceIds)[0].Groups), []string{sg}) {
		t.Errorf("groups: %+v", d.Groups)
	}

	// Policies: set, then reset to the default.
	e.modify(ec2.ModifyVpcEndpointInput{VpcEndpointId: id, PolicyDocument: aws.String(seedPolicy)})
	if got := aws.ToString(e.endpoint(*id).PolicyDocument); got != seedPolicy {
		t.Errorf("policy: %q", got)
	}
	e.modify(ec2.ModifyVpcEndpointInput{VpcEndpointId: id, ResetPolicy: aws.Bool(true)})
	if got := aws.ToString(e.endpoint(*id).PolicyDocument); got != policy.DefaultInterfaceEndpointPolicy {
		t.Errorf("reset policy: %q", got)
	}

	// Private DNS on.
	e.modify(ec2.ModifyVpcEndpointInput{VpcEndpointId: id, PrivateDnsEnabled: aws.Bool(true)})
	if d := e.endpoint(*id); !aws.ToBool(d.PrivateDnsEnabled) || aws.ToString(d.DnsEntries[2].DnsName) != "secretsmanager.us-east-1.amazonaws.com" {
		t.Errorf("private DNS: %+v", d.DnsEntries)
	}

	gateway := e.create(ec2.CreateVpcEndpointInput{ServiceName: aws.String("com.amazonaws.us-east-1.s3")})
	checkInputRefusals(t, []inputRefusal[ec2.ModifyVpcEndpointInput]{
		{"unknown endpoint", ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String("vpce-0123456789abcdef0"), ResetPolicy: aws.Bool(true)},
			"InvalidVpcEndpointId.NotFound", "The vpcEndpoint ID 'vpce-0123456789abcdef0' does not exist"},
		{"malformed endpoint", ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String("endpoint"), ResetPolicy: aws.Bool(true)},
			"InvalidVpcEndpointId.Malformed", "Invalid Id: 'endpoint' (expecting 'vpce-...; the Id may only contain lowercase alphanumeric characters and a single dash')"},
		{"reset and policy", ec2.ModifyVpcEndpointInput{VpcEndpointId: id, ResetPolicy: aws.Bool(true), PolicyDocument: aws.String(seedPolicy)}, "InvalidParameterCombination", ""},
		{"bad policy", ec2.ModifyVpcEndpointInput{VpcEndpointId: id, PolicyDocument: aws.String(`{}`)}, "InvalidPolicyDocument", "Missing required field Statement"},
		{"route tables of an interface endpoint", ec2.ModifyVpcEndpointInput{VpcEndpointId: id, AddRouteTableIds: []string{e.table}}, "InvalidParameter",
			"Route table IDs are only supported for Gateway type VPC Endpoint."},
		{"subnets of a gateway endpoint", ec2.ModifyVpcEndpointInput{VpcEndpointId: gateway.VpcEndpointId, AddSubnetIds: e.subnets[:1]}, "InvalidParameter", "Subnet IDs are only supported"},
		{"removing a table the endpoint lacks", ec2.ModifyVpcEndpointInput{VpcEndpointId: gateway.VpcEndpointId, RemoveRouteTableIds: []string{e.table}}, "InvalidParameter", e.table},
		{"removing a subnet the endpoint lacks", ec2.ModifyVpcEndpointInput{VpcEndpointId: id, RemoveSubnetIds: e.subnets[:1]}, "InvalidParameter", e.subnets[0]},
		{"second subnet in a zone", ec2.ModifyVpcEndpointInput{VpcEndpointId: id, AddSubnetIds: []string{e.subnet(e.vpc, "10.0.20.0/24", "us-east-1b")}}, "DuplicateSubnetsInSameZone", e.subnets[1]},
		{"removing the last group", ec2.ModifyVpcEndpointInput{VpcEndpointId: id, RemoveSecurityGroupIds: []string{sg}}, "InvalidParameter", "at least one security group"},
		{"removing a group the endpoint lacks", ec2.ModifyVpcEndpointInput{VpcEndpointId: id, RemoveSecurityGroupIds: []string{def}}, "InvalidParameter", def},
		{"private DNS of a gateway endpoint", ec2.ModifyVpcEndpointInput{VpcEndpointId: gateway.VpcEndpointId, PrivateDnsEnabled: aws.Bool(true)}, "InvalidParameter", "Private DNS is only supported"},
		{"DNS records of another family", ec2.ModifyVpcEndpointInput{VpcEndpointId: id, DnsOptions: &types.DnsOptionsSpecification{DnsRecordIpType: types.DnsRecordIpTypeDualstack}},
			"InvalidParameter", "not supported for the IP address type ipv4"},
	}, func(in ec2.ModifyVpcEndpointInput) error {
		_, err := e.c.ModifyVpcEndpoint(e.ctx, &in)
		return err
	})
	if d := e.endpoint(*id); !slices.Equal(d.SubnetIds, e.subnets[1:2]) || !slices.Equal(endpointGroupIDs(d.Groups), []string{sg}) {
		t.Errorf("after the refusals: %+v", d)
	}
}

// TestDeleteVpcEndpoints: ids that cannot be deleted are reported one by
// one; an endpoint holds its subnets, groups and VPC until it is deleted,
// then shows as deleted.
func TestDeleteVpcEndpoints(t *testing.T) {
	e := newEndpointEnv(t)
	sg := e.group(e.vpc, "endpoints")
	ep := e.create(ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: aws.String("com.amazonaws.us-east-1.ssm"),
		SubnetIds: e.subnets[:1], SecurityGroupIds: []string{sg}})
	id := aws.ToString(ep.VpcEndpointId)
	eni := ep.NetworkInterfaceIds[0]
	checkRefusals(t, []refusal{
		{"subnet in use", func() error {
			_, err := e.c.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: &e.subnets[0]})
			return err
		}, "DependencyViolation", e.subnets[0]},
		{"group in use", func() error {
			_, err := e.c.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: &sg})
			return err
		}, "DependencyViolation", sg},
		{"VPC in use", func() error {
			_, err := e.c.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: &e.vpc})
			return err
		}, "DependencyViolation", e.vpc},
		{"the endpoint's interface", func() error {
			_, err := e.c.DeleteNetworkInterface(e.ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: &eni})
			return err
		}, "InvalidParameterValue", "is currently in use"},
	})

	failed := e.deleteEndpoints(id, "vpce-0123456789abcdef0", "vpce-bad")
	want := map[string][2]string{
		"vpce-0123456789abcdef0": {"InvalidVpcEndpoint.NotFound", "The VpcEndpoint Id 'vpce-0123456789abcdef0' does not exist"},
		"vpce-bad":               {"InvalidVpcEndpointId.Malformed", "Invalid Id: 'vpce-bad'"},
	}
	if len(failed) != len(want) {
		t.Fatalf("unsuccessful: %+v", failed)
	}
	for _, f := range failed {
		w := want[aws.ToString(f.ResourceId)]
		if aws.ToString(f.Error.Code) != w[0] || !strings.HasPrefix(aws.ToString(f.Error.Message), w[1]) {
			t.Errorf("unsuccessful %s: %s %s", aws.ToString(f.ResourceId), aws.ToString(f.Error.Code), aws.ToString(f.Error.Message))
		}
	}
	d := e.endpoint(id)
	if d.State != stateDeleted || len(d.NetworkInterfaceIds) != 0 || len(d.DnsEntries) != 0 {
		t.Errorf("deleted endpoint: %+v", d)
	}
	// Deleting it again changes nothing.
	if failed := e.deleteEndpoints(id); len(failed) != 0 {
		t.Errorf("second delete: %+v", failed)
	}
	_, err := e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{eni}})
	e.wantErr(err, "InvalidNetworkInterfaceID.NotFound", eni)
	_, err = e.c.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: &sg})
	e.must(err)
	_, err = e.c.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: &e.subnets[0]})
	e.must(err)
	_, err = e.c.ModifyVpcEndpoint(e.ctx, &ec2.ModifyVpcEndpointInput{VpcEndpointId: &id, ResetPolicy: aws.Bool(true)})
	e.wantErr(err, "InvalidVpcEndpointId.NotFound", id)
}

// TestDescribeVpcEndpoints: ids, every documented filter and paging.
func TestDescribeVpcEndpoints(t *testing.T) {
	e := newEndpointEnv(t)
	other := e.newVPC("10.4.0.0/16", true)
	tag := func(v string) []types.TagSpecification {
		return []types.TagSpecification{{ResourceType: types.ResourceTypeVpcEndpoint, Tags: []types.Tag{{Key: aws.String("tier"), Value: aws.String(v)}}}}
	}
	s3 := aws.ToString(e.create(ec2.CreateVpcEndpointInput{ServiceName: aws.String("com.amazonaws.us-east-1.s3"), TagSpecifications: tag("data")}).VpcEndpointId)
	sm := aws.ToString(e.create(ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: aws.String("com.amazonaws.us-east-1.secretsmanager"),
		SubnetIds: e.subnets[:1], TagSpecifications: tag("app")}).VpcEndpointId)
	ddb := aws.ToString(e.create(ec2.CreateVpcEndpointInput{VpcId: &other, ServiceName: aws.String("com.amazonaws.us-east-1.dynamodb")}).VpcEndpointId)
	west := aws.ToString(e.create(ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: aws.String("com.amazonaws.us-west-2.kms"),
		ServiceRegion: aws.String("us-west-2"), PrivateDnsEnabled: aws.Bool(false), SubnetIds: e.subnets[1:2]}).VpcEndpointId)
	gone := aws.ToString(e.create(ec2.CreateVpcEndpointInput{ServiceName: aws.String("com.amazonaws.us-east-1.dynamodb")}).VpcEndpointId)
	e.deleteEndpoints(gone)

	describe := func(in ec2.DescribeVpcEndpointsInput) ([]string, error) {
		var ids []string
		p := ec2.NewDescribeVpcEndpointsPaginator(e.c, &in)
		for p.HasMorePages() {
			out, err := p.NextPage(e.ctx)
			if err != nil {
				return nil, err
			}
			for _, v := range out.VpcEndpoints {
				ids = append(ids, aws.ToString(v.VpcEndpointId))
			}
		}
		return ids, nil
	}
	checkFilters(t, []filterCase{
		{"ip-address-type", []string{"ipv4"}, []string{s3, sm, ddb, west, gone}},
		{"service-name", []string{"com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.secretsmanager"}, []string{s3, sm}},
		{"service-name", []string{"*dynamodb"}, []string{ddb, gone}},
		{"service-region", []string{"us-west-2"}, []string{west}},
		{"tag:tier", []string{"app"}, []string{sm}},
		{"tag-key", []string{"tier"}, []string{s3, sm}},
		{"tag-value", []string{"data"}, []string{s3}},
		{"vpc-id", []string{other}, []string{ddb}},
		{"vpc-endpoint-id", []string{sm, west}, []string{sm, west}},
		{"vpc-endpoint-state", []string{"deleted"}, []string{gone}},
		{"vpc-endpoint-state", []string{"available"}, []string{s3, sm, ddb, west}},
		{"vpc-endpoint-type", []string{"Interface"}, []string{sm, west}},
	}, func(f types.Filter) ([]string, error) {
		return describe(ec2.DescribeVpcEndpointsInput{Filters: []types.Filter{f}})
	})

	// Paging: pages of two hold every endpoint once.
	paged, err := describe(ec2.DescribeVpcEndpointsInput{MaxResults: aws.Int32(2)})
	e.must(err)
	sameIDs(t, paged, []string{s3, sm, ddb, west, gone})
	first, err := e.c.DescribeVpcEndpoints(e.ctx, &ec2.DescribeVpcEndpointsInput{MaxResults: aws.Int32(2)})
	e.must(err)
	if len(first.VpcEndpoints) != 2 || first.NextToken == nil {
		t.Errorf("first page: %d endpoints, token %v", len(first.VpcEndpoints), first.NextToken)
	}

	checkRefusals(t, []refusal{
		{"unknown id", func() error {
			_, err := describe(ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{sm, "vpce-0123456789abcdef0"}})
			return err
		}, "InvalidVpcEndpointId.NotFound", "The vpcEndpoint ID 'vpce-0123456789abcdef0' does not exist"},
		{"malformed id", func() error {
			_, err := describe(ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{"vpce-xyz"}})
			return err
		}, "InvalidVpcEndpointId.Malformed", "vpce-xyz"},
		{"another account's endpoint", func() error {
			_, err := e.as(accountB).DescribeVpcEndpoints(e.ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{sm}})
			return err
		}, "InvalidVpcEndpointId.NotFound", sm},
		{"unknown filter", func() error {
			_, err := describe(ec2.DescribeVpcEndpointsInput{Filters: []types.Filter{{Name: aws.String("service-id"), Values: []string{"x"}}}})
			return err
		}, "InvalidParameterValue", "The filter 'service-id' is invalid"},
	})
	// A cross-region endpoint is named in its service's region.
	if d := e.endpoint(west); aws.ToString(d.ServiceRegion) != "us-west-2" || !strings.Contains(aws.ToString(d.DnsEntries[0].DnsName), ".kms.us-west-2.vpce.amazonaws.com") ||
		aws.ToString(d.DnsEntries[0].HostedZoneId) != "Z1YSA3EXCYUU9Z" {
		t.Errorf("cross-region endpoint: %+v", d)
	}
}

// TestVpcEndpointQuotas: 50 interface endpoints per VPC, 20 gateway
// endpoints per region.
func TestVpcEndpointQuotas(t *testing.T) {
	e := newEndpointEnv(t)
	iface := ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: aws.String("com.amazonaws.us-east-1.sqs"), PrivateDnsEnabled: aws.Bool(false)}
	for range 50 {
		e.create(iface)
	}
	_, err := e.c.CreateVpcEndpoint(e.ctx, e.withVPC(iface))
	e.wantErr(err, "VpcEndpointLimitExceeded", "The maximum number of VPC endpoints has been reached.")

	other := e.newVPC("10.5.0.0/16", false)
	for i := range 20 {
		service := []string{"s3", "dynamodb"}[i%2]
		vpc := []string{e.vpc, other}[i%2]
		e.create(ec2.CreateVpcEndpointInput{VpcId: &vpc, ServiceName: aws.String("com.amazonaws.us-east-1." + service)})
	}
	_, err = e.c.CreateVpcEndpoint(e.ctx, &ec2.CreateVpcEndpointInput{VpcId: &other, ServiceName: aws.String("com.amazonaws.us-east-1.s3")})
	e.wantErr(err, "VpcEndpointLimitExceeded", "")
	// Another region has its own quota.
	west := emulatortest.EC2(e.em, accountA, "us-west-2")
	vpc, err := west.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.6.0.0/16")})
	e.must(err)
	_, err = west.CreateVpcEndpoint(e.ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, ServiceName: aws.String("com.amazonaws.us-west-2.s3")})
	e.must(err)
}

// TestVpcEndpointDualstack: a dualstack endpoint needs a service that
// serves IPv6 and subnets with both kinds of block; its DNS records
// default to dualstack and may be ipv4, ipv6 or service-defined. An ipv4
// endpoint takes dualstack subnets too.
func TestVpcEndpointDualstack(t *testing.T) {
	e := newEndpointEnv(t)
	vpc, err := e.c.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.8.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	e.must(err)
	v6 := aws.ToString(vpc.Vpc.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock)
	subnet, err := e.c.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.8.1.0/24"),
		Ipv6CidrBlock: aws.String(strings.Replace(v6, "/56", "/64", 1)), AvailabilityZone: aws.String("us-east-1a")})
	e.must(err)
	in := ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: aws.String("com.amazonaws.us-east-1.monitoring"),
		PrivateDnsEnabled: aws.Bool(false), SubnetIds: []string{aws.ToString(subnet.Subnet.SubnetId)}, IpAddressType: types.IpAddressTypeDualstack}
	ep := e.create(in)
	if ep.IpAddressType != types.IpAddressTypeDualstack || ep.DnsOptions.DnsRecordIpType != types.DnsRecordIpTypeDualstack {
		t.Fatalf("dualstack endpoint: %+v %+v", ep.IpAddressType, ep.DnsOptions)
	}
	for _, rt := range []types.DnsRecordIpType{types.DnsRecordIpTypeIpv4, types.DnsRecordIpTypeIpv6, types.DnsRecordIpTypeServiceDefined} {
		e.modify(ec2.ModifyVpcEndpointInput{VpcEndpointId: ep.VpcEndpointId, DnsOptions: &types.DnsOptionsSpecification{DnsRecordIpType: rt}})
		if got := e.endpoint(aws.ToString(ep.VpcEndpointId)).DnsOptions.DnsRecordIpType; got != rt {
			t.Errorf("DNS record type %s: got %s", rt, got)
		}
	}
	// Its interface has an address of each family.
	ipv6Of := func(eni string) int {
		out, err := e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{eni}})
		e.must(err)
		return len(out.NetworkInterfaces[0].Ipv6Addresses)
	}
	eni := ep.NetworkInterfaceIds[0]
	if ipv6Of(eni) != 1 {
		t.Errorf("dualstack endpoint interface without an IPv6 address")
	}
	// Back to ipv4: the records follow, and the IPv6 address goes.
	e.modify(ec2.ModifyVpcEndpointInput{VpcEndpointId: ep.VpcEndpointId, IpAddressType: types.IpAddressTypeIpv4})
	if d := e.endpoint(aws.ToString(ep.VpcEndpointId)); d.IpAddressType != types.IpAddressTypeIpv4 || d.DnsOptions.DnsRecordIpType != types.DnsRecordIpTypeIpv4 {
		t.Errorf("ipv4 again: %s %s", d.IpAddressType, d.DnsOptions.DnsRecordIpType)
	}
	if ipv6Of(eni) != 0 {
		t.Errorf("ipv4 endpoint interface kept its IPv6 address")
	}
	in.IpAddressType = types.IpAddressTypeIpv6
	_, err = e.c.CreateVpcEndpoint(e.ctx, &in)
	e.wantErr(err, "InvalidParameter", "does not support the IP address type ipv6")

	// An ipv6 endpoint lives in IPv6-only subnets, with an IPv6 address only.
	only, err := e.c.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, Ipv6Native: aws.Bool(true),
		Ipv6CidrBlock: aws.String(strings.Replace(v6, "00::/56", "01::/64", 1)), AvailabilityZone: aws.String("us-east-1b")})
	e.must(err)
	in.SubnetIds = []string{aws.ToString(only.Subnet.SubnetId)}
	v6ep := e.create(in)
	if v6ep.IpAddressType != types.IpAddressTypeIpv6 || v6ep.DnsOptions.DnsRecordIpType != types.DnsRecordIpTypeIpv6 || ipv6Of(v6ep.NetworkInterfaceIds[0]) != 1 {
		t.Errorf("ipv6 endpoint: %+v %+v", v6ep.IpAddressType, v6ep.DnsOptions)
	}
	in.IpAddressType = types.IpAddressTypeIpv4
	_, err = e.c.CreateVpcEndpoint(e.ctx, &in)
	e.wantErr(err, "InvalidParameter", "does not support the IP address type ipv4")
}

// TestVpcEndpointShapes: each endpoint type answers the members AWS
// answers for it, with and without subnets — as the Terraform provider's
// acceptance tests, run against AWS, check them (gateway endpoints have had
// an IP address type and DNS options since S3's gateway endpoints took IPv6
// in November 2025; Gateway Load Balancer endpoints have no DNS, groups,
// policy or route tables; an interface endpoint has DNS entries only while
// it has network interfaces).
func TestVpcEndpointShapes(t *testing.T) {
	f := newPLFixture(t)
	out, err := f.c.DescribeSubnets(f.ctx, &ec2.DescribeSubnetsInput{SubnetIds: f.subnets[:1]})
	f.must(err)
	vpc := aws.ToString(out.Subnets[0].VpcId)
	_, err = f.c.ModifyVpcAttribute(f.ctx, &ec2.ModifyVpcAttributeInput{VpcId: &vpc, EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}})
	f.must(err)
	table, err := f.c.CreateRouteTable(f.ctx, &ec2.CreateRouteTableInput{VpcId: &vpc})
	f.must(err)
	gwlbSvc, err := f.c.CreateVpcEndpointServiceConfiguration(f.ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{
		GatewayLoadBalancerArns: []string{f.gwlb("gw", f.subnets[1])}, AcceptanceRequired: aws.Bool(false)})
	f.must(err)
	env := endpointEnv{fixture: f.fixture, vpc: vpc}

	// shape is what a test compares: counts of the lists, and the scalars.
	type shape struct {
		dnsOptions                   bool
		recordType                   types.DnsRecordIpType
		inboundOption                *bool
		ipType                       types.IpAddressType
		groups, dnsEntries           int
		privateDNS                   *bool
		routeTables, subnets, ifaces int
		policy                       bool
	}
	shapeOf := func(e types.VpcEndpoint) shape {
		s := shape{ipType: e.IpAddressType, groups: len(e.Groups), dnsEntries: len(e.DnsEntries), privateDNS: e.PrivateDnsEnabled,
			routeTables: len(e.RouteTableIds), subnets: len(e.SubnetIds), ifaces: len(e.NetworkInterfaceIds), policy: e.PolicyDocument != nil}
		if e.DnsOptions != nil {
			s.dnsOptions, s.recordType, s.inboundOption = true, e.DnsOptions.DnsRecordIpType, e.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint
		}
		if aws.ToBool(e.RequesterManaged) {
			t.Errorf("%s: requester managed", aws.ToString(e.VpcEndpointId))
		}
		return s
	}
	yes, no := aws.Bool(true), aws.Bool(false)
	iface := func(service string, private *bool, subnets []string) ec2.CreateVpcEndpointInput {
		return ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: aws.String("com.amazonaws.us-east-1." + service),
			PrivateDnsEnabled: private, SubnetIds: subnets}
	}
	gateway := func(service string) ec2.CreateVpcEndpointInput {
		return ec2.CreateVpcEndpointInput{ServiceName: aws.String("com.amazonaws.us-east-1." + service), RouteTableIds: []string{aws.ToString(table.RouteTable.RouteTableId)}}
	}
	for _, c := range []struct {
		name string
		in   ec2.CreateVpcEndpointInput
		want shape
	}{
		{"S3 gateway", gateway("s3"), shape{dnsOptions: true, recordType: "ipv4", ipType: "ipv4", privateDNS: no, routeTables: 1, policy: true}},
		{"DynamoDB gateway", gateway("dynamodb"), shape{dnsOptions: true, recordType: "ipv4", ipType: "ipv4", privateDNS: no, routeTables: 1, policy: true}},
		{"interface, no subnets, private DNS", iface("ssm", nil, nil),
			shape{dnsOptions: true, recordType: "ipv4", ipType: "ipv4", groups: 1, privateDNS: yes, policy: true}},
		{"interface, no subnets, no private DNS", iface("sqs", no, nil),
			shape{dnsOptions: true, recordType: "ipv4", ipType: "ipv4", groups: 1, privateDNS: no, policy: true}},
		{"interface, two subnets, private DNS", iface("kms", yes, f.subnets[:2]),
			shape{dnsOptions: true, recordType: "ipv4", ipType: "ipv4", groups: 1, dnsEntries: 4, privateDNS: yes, subnets: 2, ifaces: 2, policy: true}},
		// The VPC has an S3 gateway endpoint (above): the inbound resolver
		// option shows, on by default.
		{"S3 interface, one subnet", iface("s3", no, f.subnets[:1]),
			shape{dnsOptions: true, recordType: "ipv4", inboundOption: yes, ipType: "ipv4", groups: 1, dnsEntries: 2, privateDNS: no, subnets: 1, ifaces: 1, policy: true}},
		{"Gateway Load Balancer", ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeGatewayLoadBalancer,
			ServiceName: gwlbSvc.ServiceConfiguration.ServiceName, SubnetIds: f.subnets[1:2]},
			shape{ipType: "ipv4", subnets: 1, ifaces: 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			created := env.create(c.in)
			if got := shapeOf(created); !reflect.DeepEqual(got, c.want) {
				t.Errorf("create answer:\n got %+v\nwant %+v", got, c.want)
			}
			if got := shapeOf(env.endpoint(aws.ToString(created.VpcEndpointId))); !reflect.DeepEqual(got, c.want) {
				t.Errorf("describe:\n got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// TestInterfaceEndpointDNSFollowsSubnets: an interface endpoint created
// without subnets has no DNS entries; adding subnets brings the regional,
// zonal and private names, removing the last takes them all away again.
func TestInterfaceEndpointDNSFollowsSubnets(t *testing.T) {
	e := newEndpointEnv(t)
	id := aws.ToString(e.create(ec2.CreateVpcEndpointInput{VpcEndpointType: types.VpcEndpointTypeInterface,
		ServiceName: aws.String("com.amazonaws.us-east-1.secretsmanager"), PrivateDnsEnabled: aws.Bool(true)}).VpcEndpointId)
	names := func() []string {
		var out []string
		for _, d := range e.endpoint(id).DnsEntries {
			out = append(out, aws.ToString(d.DnsName))
		}
		return out
	}
	if got := names(); len(got) != 0 {
		t.Fatalf("without subnets: %v", got)
	}
	e.modify(ec2.ModifyVpcEndpointInput{VpcEndpointId: &id, AddSubnetIds: e.subnets[:2]})
	got := names()
	regional := regexp.MustCompile(`^` + id + `-[a-z0-9]{8}\.secretsmanager\.us-east-1\.vpce\.amazonaws\.com$`)
	if len(got) != 4 || !regional.MatchString(got[0]) ||
		got[1] != strings.Replace(got[0], ".", "-us-east-1a.", 1) || got[2] != strings.Replace(got[0], ".", "-us-east-1b.", 1) ||
		got[3] != "secretsmanager.us-east-1.amazonaws.com" {
		t.Fatalf("with two subnets: %v", got)
	}
	e.modify(ec2.ModifyVpcEndpointInput{VpcEndpointId: &id, RemoveSubnetIds: e.subnets[:1]})
	if got := names(); len(got) != 3 || got[1] != strings.Replace(got[0], ".", "-us-east-1b.", 1) {
		t.Fatalf("with one subnet: %v", got)
	}
	e.modify(ec2.ModifyVpcEndpointInput{VpcEndpointId: &id, RemoveSubnetIds: e.subnets[1:2]})
	if got := names(); len(got) != 0 {
		t.Fatalf("after the last subnet: %v", got)
	}
}
