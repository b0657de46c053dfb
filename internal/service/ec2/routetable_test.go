package ec2_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// routing drives one emulator for the route table, gateway and DHCP tests.
type routing struct{ fixture }

func newRouting(t *testing.T) *routing { return &routing{newFixture(t)} }

func nameTag(resource types.ResourceType, name string) []types.TagSpecification {
	return []types.TagSpecification{{ResourceType: resource, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
}

func (r *routing) vpc(block string) string {
	r.t.Helper()
	out, err := r.c.CreateVpc(r.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(block)})
	r.must(err)
	return aws.ToString(out.Vpc.VpcId)
}

func (r *routing) ipv6VPC(block string) (string, string) {
	r.t.Helper()
	out, err := r.c.CreateVpc(r.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(block), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	r.must(err)
	return aws.ToString(out.Vpc.VpcId), aws.ToString(out.Vpc.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock)
}

func (r *routing) subnet(vpc, block string) string {
	r.t.Helper()
	out, err := r.c.CreateSubnet(r.ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String(block)})
	r.must(err)
	return aws.ToString(out.Subnet.SubnetId)
}

func (r *routing) routeTable(vpc string) string {
	r.t.Helper()
	out, err := r.c.CreateRouteTable(r.ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpc)})
	r.must(err)
	return aws.ToString(out.RouteTable.RouteTableId)
}

// igw creates an internet gateway, attached to vpc unless it is "".
func (r *routing) igw(vpc string) string {
	r.t.Helper()
	out, err := r.c.CreateInternetGateway(r.ctx, &ec2.CreateInternetGatewayInput{})
	r.must(err)
	id := aws.ToString(out.InternetGateway.InternetGatewayId)
	if vpc != "" {
		_, err := r.c.AttachInternetGateway(r.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &id, VpcId: &vpc})
		r.must(err)
	}
	return id
}

func (r *routing) describeTable(id string) types.RouteTable {
	r.t.Helper()
	out, err := r.c.DescribeRouteTables(r.ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{id}})
	r.must(err)
	if len(out.RouteTables) != 1 {
		r.t.Fatalf("describe %s: %+v", id, out.RouteTables)
	}
	return out.RouteTables[0]
}

// routeTo is the table's route to a destination block or prefix list.
func (r *routing) routeTo(table, dest string) (types.Route, bool) {
	r.t.Helper()
	for _, rt := range r.describeTable(table).Routes {
		if aws.ToString(rt.DestinationCidrBlock) == dest || aws.ToString(rt.DestinationIpv6CidrBlock) == dest || aws.ToString(rt.DestinationPrefixListId) == dest {
			return rt, true
		}
	}
	return types.Route{}, false
}

// mainTable is the VPC's main route table, found the way Terraform finds it.
func (r *routing) mainTable(vpc string) types.RouteTable {
	r.t.Helper()
	out, err := r.c.DescribeRouteTables(r.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{
		{Name: aws.String("association.main"), Values: []string{"true"}},
		{Name: aws.String("vpc-id"), Values: []string{vpc}},
	}})
	r.must(err)
	if len(out.RouteTables) != 1 {
		r.t.Fatalf("main table of %s: %+v", vpc, out.RouteTables)
	}
	return out.RouteTables[0]
}

func TestRouteTableLifecycle(t *testing.T) {
	r := newRouting(t)
	vpc := r.vpc("10.0.0.0/16")
	out, err := r.c.CreateRouteTable(r.ctx, &ec2.CreateRouteTableInput{VpcId: &vpc, TagSpecifications: nameTag(types.ResourceTypeRouteTable, "private")})
	r.must(err)
	rt := out.RouteTable
	id := aws.ToString(rt.RouteTableId)
	if !strings.HasPrefix(id, "rtb-") || aws.ToString(rt.VpcId) != vpc || aws.ToString(rt.OwnerId) != emulatortest.AccountA {
		t.Fatalf("create answer: %+v", rt)
	}
	if len(rt.Associations) != 0 || rt.PropagatingVgws == nil || len(rt.PropagatingVgws) != 0 || len(rt.Tags) != 1 {
		t.Fatalf("create answer: associations %v propagating %v tags %v", rt.Associations, rt.PropagatingVgws, rt.Tags)
	}
	if len(rt.Routes) != 1 {
		t.Fatalf("a new table has one local route: %+v", rt.Routes)
	}
	local := rt.Routes[0]
	if aws.ToString(local.DestinationCidrBlock) != "10.0.0.0/16" || aws.ToString(local.GatewayId) != "local" ||
		local.Origin != types.RouteOriginCreateRouteTable || local.State != types.RouteStateActive {
		t.Fatalf("local route: %+v", local)
	}

	got := r.describeTable(id)
	if aws.ToString(got.RouteTableId) != id || len(got.Routes) != 1 || aws.ToString(got.Tags[0].Value) != "private" {
		t.Fatalf("describe: %+v", got)
	}

	// Another account sees nothing.
	other := r.as(emulatortest.AccountB)
	_, err = other.DescribeRouteTables(r.ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{id}})
	r.wantErr(err, "InvalidRouteTableID.NotFound", "The routeTable ID '"+id+"' does not exist")

	_, err = r.c.CreateRouteTable(r.ctx, &ec2.CreateRouteTableInput{VpcId: aws.String("vpc-0123456789abcdef0")})
	r.wantErr(err, "InvalidVpcID.NotFound", "vpc-0123456789abcdef0")
	_, err = r.c.CreateRouteTable(r.ctx, &ec2.CreateRouteTableInput{VpcId: &vpc, TagSpecifications: nameTag(types.ResourceTypeVpc, "x")})
	r.wantErr(err, "InvalidParameterValue", "'vpc' is not a valid taggable resource type")
	_, err = r.c.CreateRouteTable(r.ctx, &ec2.CreateRouteTableInput{VpcId: &vpc, DryRun: aws.Bool(true)})
	r.wantErr(err, "DryRunOperation", "")

	// A VPC with a second table cannot go; the main table goes with it.
	_, err = r.c.DeleteVpc(r.ctx, &ec2.DeleteVpcInput{VpcId: &vpc})
	r.wantErr(err, "DependencyViolation", vpc)
	_, err = r.c.DeleteRouteTable(r.ctx, &ec2.DeleteRouteTableInput{RouteTableId: &id})
	r.must(err)
	_, err = r.c.DescribeRouteTables(r.ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{id}})
	r.wantErr(err, "InvalidRouteTableID.NotFound", id)
	_, err = r.c.DeleteRouteTable(r.ctx, &ec2.DeleteRouteTableInput{RouteTableId: &id})
	r.wantErr(err, "InvalidRouteTableID.NotFound", id)
	_, err = r.c.DeleteVpc(r.ctx, &ec2.DeleteVpcInput{VpcId: &vpc})
	r.must(err)
}

func TestDeleteRouteTableRefusals(t *testing.T) {
	r := newRouting(t)
	vpc := r.vpc("10.0.0.0/16")
	main := aws.ToString(r.mainTable(vpc).RouteTableId)
	_, err := r.c.DeleteRouteTable(r.ctx, &ec2.DeleteRouteTableInput{RouteTableId: &main})
	r.wantErr(err, "DependencyViolation", "The routeTable '"+main+"' has dependencies and cannot be deleted.")

	table := r.routeTable(vpc)
	sub := r.subnet(vpc, "10.0.1.0/24")
	_, err = r.c.AssociateRouteTable(r.ctx, &ec2.AssociateRouteTableInput{RouteTableId: &table, SubnetId: &sub})
	r.must(err)
	_, err = r.c.DeleteRouteTable(r.ctx, &ec2.DeleteRouteTableInput{RouteTableId: &table})
	r.wantErr(err, "DependencyViolation", "The routeTable '"+table+"' has dependencies and cannot be deleted.")

	// Deleting the subnet ends its association, and the table can go.
	_, err = r.c.DeleteSubnet(r.ctx, &ec2.DeleteSubnetInput{SubnetId: &sub})
	r.must(err)
	_, err = r.c.DeleteRouteTable(r.ctx, &ec2.DeleteRouteTableInput{RouteTableId: &table})
	r.must(err)
}

func TestRoutes(t *testing.T) {
	r := newRouting(t)
	vpc := r.vpc("10.0.0.0/16")
	table := r.routeTable(vpc)
	igw := r.igw(vpc)

	create := func(in ec2.CreateRouteInput) error {
		in.RouteTableId = &table
		_, err := r.c.CreateRoute(r.ctx, &in)
		return err
	}
	out, err := r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw})
	r.must(err)
	if !aws.ToBool(out.Return) {
		t.Fatal("CreateRoute did not return true")
	}
	route, ok := r.routeTo(table, "0.0.0.0/0")
	if !ok || aws.ToString(route.GatewayId) != igw || route.Origin != types.RouteOriginCreateRoute || route.State != types.RouteStateActive {
		t.Fatalf("route to the internet gateway: %+v", route)
	}
	// Repeating the same route is refused, as on AWS.
	err = create(ec2.CreateRouteInput{DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw})
	r.wantErr(err, "RouteAlreadyExists", "The route identified by 0.0.0.0/0 already exists.")
	if n := len(r.describeTable(table).Routes); n != 2 {
		t.Fatalf("repeating a route added one: %d routes", n)
	}

	detached := r.igw("")
	otherVPC := r.vpc("10.9.0.0/16")
	otherIGW := r.igw(otherVPC)
	cases := []inputRefusal[ec2.CreateRouteInput]{
		{"existing destination, gateway of another VPC", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &otherIGW},
			"InvalidParameterValue", "belong to different networks"},
		{"existing destination, unknown endpoint", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("0.0.0.0/0"), VpcEndpointId: aws.String("vpce-0123456789abcdef0")},
			"InvalidVpcEndpointId.NotFound", "vpce-0123456789abcdef0"},
		{"detached gateway", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), GatewayId: &detached},
			"InvalidParameterValue", "route table " + table + " and network gateway " + detached + " belong to different networks"},
		{"gateway of another VPC", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), GatewayId: &otherIGW},
			"InvalidParameterValue", "belong to different networks"},
		{"unknown gateway", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), GatewayId: aws.String("igw-0123456789abcdef0")},
			"InvalidGatewayID.NotFound", "The gateway ID 'igw-0123456789abcdef0' does not exist"},
		{"NAT gateway id as GatewayId", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), GatewayId: aws.String("nat-0123456789abcdef0")},
			"InvalidGatewayID.NotFound", "The gateway ID 'nat-0123456789abcdef0' does not exist"},
		{"unknown virtual private gateway", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), GatewayId: aws.String("vgw-0123456789abcdef0")},
			"InvalidGatewayID.NotFound", "vgw-0123456789abcdef0"},
		{"unknown NAT gateway", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), NatGatewayId: aws.String("nat-0123456789abcdef0")},
			"InvalidNatGatewayID.NotFound", "The natGateway ID 'nat-0123456789abcdef0' does not exist"},
		{"unknown instance", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), InstanceId: aws.String("i-0123456789abcdef0")},
			"InvalidInstanceID.NotFound", "i-0123456789abcdef0"},
		{"unknown interface", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), NetworkInterfaceId: aws.String("eni-0123456789abcdef0")},
			"InvalidNetworkInterfaceID.NotFound", "eni-0123456789abcdef0"},
		{"unknown egress-only gateway", ec2.CreateRouteInput{DestinationIpv6CidrBlock: aws.String("::/0"), EgressOnlyInternetGatewayId: aws.String("eigw-0123456789abcdef0")},
			"InvalidGatewayID.NotFound", "eigw-0123456789abcdef0"},
		{"unknown peering", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), VpcPeeringConnectionId: aws.String("pcx-0123456789abcdef0")},
			"InvalidVpcPeeringConnectionID.NotFound", "The vpcPeeringConnection ID 'pcx-0123456789abcdef0' does not exist"},
		{"unknown transit gateway", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), TransitGatewayId: aws.String("tgw-0123456789abcdef0")},
			"InvalidTransitGatewayID.NotFound", "tgw-0123456789abcdef0"},
		{"unknown local gateway", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), LocalGatewayId: aws.String("lgw-0123456789abcdef0")},
			"InvalidLocalGatewayID.NotFound", "lgw-0123456789abcdef0"},
		{"unknown carrier gateway", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), CarrierGatewayId: aws.String("cagw-0123456789abcdef0")},
			"InvalidCarrierGatewayID.NotFound", "cagw-0123456789abcdef0"},
		{"unknown endpoint", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), VpcEndpointId: aws.String("vpce-0123456789abcdef0")},
			"InvalidVpcEndpointId.NotFound", "vpce-0123456789abcdef0"},
		{"core network", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), CoreNetworkArn: aws.String("arn:aws:networkmanager::111111111111:core-network/core-network-0123")},
			"InvalidParameterValue", "coreNetworkArn"},
		{"unknown prefix list", ec2.CreateRouteInput{DestinationPrefixListId: aws.String("pl-0123456789abcdef0"), GatewayId: &igw},
			"InvalidPrefixListID.NotFound", "The prefix list ID 'pl-0123456789abcdef0' does not exist"},
		{"no target", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8")},
			"MissingParameter", "exactly one of gatewayId"},
		{"two targets", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), GatewayId: &igw, NatGatewayId: aws.String("nat-0123456789abcdef0")},
			"InvalidParameterCombination", "exactly one of gatewayId"},
		{"no destination", ec2.CreateRouteInput{GatewayId: &igw},
			"MissingParameter", "destinationCidrBlock"},
		{"two destinations", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), DestinationIpv6CidrBlock: aws.String("::/0"), GatewayId: &igw},
			"InvalidParameterCombination", "destinationCidrBlock"},
		{"bad block", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/33"), GatewayId: &igw},
			"InvalidParameterValue", "Value (1.0.0.0/33) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block."},
		{"IPv6 block as IPv4", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("::/0"), GatewayId: &igw},
			"InvalidParameterValue", "Value (::/0) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block."},
		{"IPv4 block as IPv6", ec2.CreateRouteInput{DestinationIpv6CidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw},
			"InvalidParameterValue", "destinationIpv6CidrBlock"},
		{"VPC block to a gateway", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("10.0.0.0/16"), GatewayId: &igw},
			"InvalidParameterValue", "The destination CIDR block 10.0.0.0/16 is equal to or more specific than one of this VPC's CIDR blocks. This route can target only an interface or an instance."},
		{"block inside the VPC to a gateway", ec2.CreateRouteInput{DestinationCidrBlock: aws.String("10.0.3.0/24"), GatewayId: &igw},
			"InvalidParameterValue", "equal to or more specific"},
	}
	checkInputRefusals(t, cases, create)
	_, err = r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: aws.String("rtb-0123456789abcdef0"), DestinationCidrBlock: aws.String("1.0.0.0/8"), GatewayId: &igw})
	r.wantErr(err, "InvalidRouteTableID.NotFound", "rtb-0123456789abcdef0")

	// A block with host bits is taken as its network.
	r.must(create(ec2.CreateRouteInput{DestinationCidrBlock: aws.String("203.0.113.7/24"), GatewayId: &igw}))
	if _, ok := r.routeTo(table, "203.0.113.0/24"); !ok {
		t.Fatal("route to 203.0.113.0/24 not found")
	}
	err = create(ec2.CreateRouteInput{DestinationCidrBlock: aws.String("203.0.113.0/24"), VpcPeeringConnectionId: aws.String("pcx-0123456789abcdef0")})
	r.wantErr(err, "InvalidVpcPeeringConnectionID.NotFound", "pcx-")

	// DryRun runs the checks and changes nothing.
	_, err = r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("198.51.100.0/24"), GatewayId: &igw, DryRun: aws.Bool(true)})
	r.wantErr(err, "DryRunOperation", "")
	if _, ok := r.routeTo(table, "198.51.100.0/24"); ok {
		t.Fatal("a dry run added a route")
	}
	_, err = r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("198.51.100.0/24"), GatewayId: &detached, DryRun: aws.Bool(true)})
	r.wantErr(err, "InvalidParameterValue", "belong to different networks")
}

func TestRouteAlreadyExists(t *testing.T) {
	r := newRouting(t)
	vpc, block := r.ipv6VPC("10.0.0.0/16")
	table := r.routeTable(vpc)
	igw := r.igw(vpc)
	eigw, err := r.c.CreateEgressOnlyInternetGateway(r.ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: &vpc})
	r.must(err)
	eigwID := eigw.EgressOnlyInternetGateway.EgressOnlyInternetGatewayId
	_, err = r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationIpv6CidrBlock: aws.String("::/0"), GatewayId: &igw})
	r.must(err)
	_, err = r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationIpv6CidrBlock: aws.String("::/0"), EgressOnlyInternetGatewayId: eigwID})
	r.wantErr(err, "RouteAlreadyExists", "The route identified by ::/0 already exists.")

	// The VPC's IPv6 block is local too.
	local, ok := r.routeTo(table, block)
	if !ok || aws.ToString(local.GatewayId) != "local" || local.Origin != types.RouteOriginCreateRouteTable {
		t.Fatalf("IPv6 local route: %+v", local)
	}
	_, err = r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationIpv6CidrBlock: &block, GatewayId: &igw})
	r.wantErr(err, "InvalidParameterValue", "equal to or more specific")

	// An egress-only gateway takes IPv6 destinations only.
	_, err = r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("0.0.0.0/0"), EgressOnlyInternetGatewayId: eigwID})
	r.wantErr(err, "InvalidParameterValue", "IPv6")
	_, err = r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationIpv6CidrBlock: aws.String("2001:db8::/32"), EgressOnlyInternetGatewayId: eigwID})
	r.must(err)
	route, _ := r.routeTo(table, "2001:db8::/32")
	if aws.ToString(route.EgressOnlyInternetGatewayId) != aws.ToString(eigwID) || route.State != types.RouteStateActive {
		t.Fatalf("route to the egress-only gateway: %+v", route)
	}

	// The quota of routes a table takes.
	for i := 2; i < 50; i++ {
		_, err := r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String(fmt.Sprintf("100.%d.0.0/16", i)), GatewayId: &igw})
		r.must(err)
	}
	_, err = r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("100.200.0.0/16"), GatewayId: &igw})
	r.wantErr(err, "RouteLimitExceeded", "maximum number of routes")
}

func TestReplaceAndDeleteRoute(t *testing.T) {
	r := newRouting(t)
	vpc := r.vpc("10.0.0.0/16")
	table := r.routeTable(vpc)
	igw := r.igw(vpc)
	_, err := r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw})
	r.must(err)

	// ReplaceRoute changes the target and keeps the origin.
	_, err = r.c.ReplaceRoute(r.ctx, &ec2.ReplaceRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String("nat-0123456789abcdef0")})
	r.wantErr(err, "InvalidNatGatewayID.NotFound", "nat-0123456789abcdef0")
	_, err = r.c.ReplaceRoute(r.ctx, &ec2.ReplaceRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw})
	r.must(err)
	if route, _ := r.routeTo(table, "0.0.0.0/0"); route.Origin != types.RouteOriginCreateRoute || aws.ToString(route.GatewayId) != igw {
		t.Fatalf("replaced route: %+v", route)
	}

	cases := []inputRefusal[ec2.ReplaceRouteInput]{
		{"no such route", ec2.ReplaceRouteInput{DestinationCidrBlock: aws.String("1.0.0.0/8"), GatewayId: &igw},
			"InvalidParameterValue", "There is no route defined for '1.0.0.0/8' in the route table. Use CreateRoute instead."},
		{"local route to a gateway", ec2.ReplaceRouteInput{DestinationCidrBlock: aws.String("10.0.0.0/16"), GatewayId: &igw},
			"InvalidParameterValue", "This route can target only an interface or an instance."},
		{"local target for another route", ec2.ReplaceRouteInput{DestinationCidrBlock: aws.String("0.0.0.0/0"), LocalTarget: aws.Bool(true)},
			"InvalidParameterValue", "localTarget"},
		{"local target and a gateway", ec2.ReplaceRouteInput{DestinationCidrBlock: aws.String("10.0.0.0/16"), LocalTarget: aws.Bool(true), GatewayId: &igw},
			"InvalidParameterCombination", "localTarget"},
		{"no target", ec2.ReplaceRouteInput{DestinationCidrBlock: aws.String("0.0.0.0/0")},
			"MissingParameter", "exactly one of"},
	}
	checkInputRefusals(t, cases, func(in ec2.ReplaceRouteInput) error {
		in.RouteTableId = &table
		_, err := r.c.ReplaceRoute(r.ctx, &in)
		return err
	})
	// Setting the local route back to local is allowed (and a no-op here).
	_, err = r.c.ReplaceRoute(r.ctx, &ec2.ReplaceRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("10.0.0.0/16"), LocalTarget: aws.Bool(true)})
	r.must(err)

	_, err = r.c.DeleteRoute(r.ctx, &ec2.DeleteRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("10.0.0.0/16")})
	r.wantErr(err, "InvalidParameterValue", "cannot remove local route 10.0.0.0/16 in route table "+table)
	_, err = r.c.DeleteRoute(r.ctx, &ec2.DeleteRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("1.0.0.0/8")})
	r.wantErr(err, "InvalidRoute.NotFound", "no route with destination-cidr-block 1.0.0.0/8 in route table "+table)
	_, err = r.c.DeleteRoute(r.ctx, &ec2.DeleteRouteInput{RouteTableId: &table, DestinationIpv6CidrBlock: aws.String("::/0")})
	r.wantErr(err, "InvalidRoute.NotFound", "no route with destination-ipv6-cidr-block ::/0 in route table "+table)
	_, err = r.c.DeleteRoute(r.ctx, &ec2.DeleteRouteInput{RouteTableId: &table})
	r.wantErr(err, "MissingParameter", "destinationCidrBlock")
	_, err = r.c.DeleteRoute(r.ctx, &ec2.DeleteRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("0.0.0.0/0")})
	r.must(err)
	if _, ok := r.routeTo(table, "0.0.0.0/0"); ok {
		t.Fatal("route still there after DeleteRoute")
	}
}

func TestRouteStateFollowsGateway(t *testing.T) {
	r := newRouting(t)
	vpc := r.vpc("10.0.0.0/16")
	table := r.routeTable(vpc)
	igw := r.igw(vpc)
	_, err := r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw})
	r.must(err)
	blackholes := func() int {
		out, err := r.c.DescribeRouteTables(r.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{
			{Name: aws.String("route.state"), Values: []string{"blackhole"}},
		}})
		r.must(err)
		return len(out.RouteTables)
	}
	if n := blackholes(); n != 0 {
		t.Fatalf("%d tables with blackholes before detaching", n)
	}
	_, err = r.c.DetachInternetGateway(r.ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: &igw, VpcId: &vpc})
	r.must(err)
	if route, _ := r.routeTo(table, "0.0.0.0/0"); route.State != types.RouteStateBlackhole {
		t.Fatalf("route to a detached gateway: %+v", route)
	}
	if n := blackholes(); n != 1 {
		t.Fatalf("route.state=blackhole found %d tables", n)
	}
	_, err = r.c.DeleteInternetGateway(r.ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: &igw})
	r.must(err)
	if route, _ := r.routeTo(table, "0.0.0.0/0"); route.State != types.RouteStateBlackhole || aws.ToString(route.GatewayId) != igw {
		t.Fatalf("route to a deleted gateway: %+v", route)
	}
	// A blackhole route can still be replaced and deleted.
	igw2 := r.igw(vpc)
	_, err = r.c.ReplaceRoute(r.ctx, &ec2.ReplaceRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw2})
	r.must(err)
	if route, _ := r.routeTo(table, "0.0.0.0/0"); route.State != types.RouteStateActive {
		t.Fatalf("replaced route: %+v", route)
	}
}

func TestRouteTableAssociations(t *testing.T) {
	r := newRouting(t)
	vpc := r.vpc("10.0.0.0/16")
	table := r.routeTable(vpc)
	sub := r.subnet(vpc, "10.0.1.0/24")
	out, err := r.c.AssociateRouteTable(r.ctx, &ec2.AssociateRouteTableInput{RouteTableId: &table, SubnetId: &sub})
	r.must(err)
	assoc := aws.ToString(out.AssociationId)
	if !strings.HasPrefix(assoc, "rtbassoc-") || out.AssociationState.State != types.RouteTableAssociationStateCodeAssociated {
		t.Fatalf("associate answer: %+v", out)
	}
	a := r.describeTable(table).Associations
	if len(a) != 1 || aws.ToString(a[0].SubnetId) != sub || aws.ToBool(a[0].Main) || aws.ToString(a[0].RouteTableId) != table ||
		aws.ToString(a[0].RouteTableAssociationId) != assoc || a[0].AssociationState.State != types.RouteTableAssociationStateCodeAssociated {
		t.Fatalf("association: %+v", a)
	}

	other := r.routeTable(vpc)
	otherVPC := r.vpc("10.9.0.0/16")
	farSub := r.subnet(otherVPC, "10.9.1.0/24")
	igw := r.igw(vpc)
	detached := r.igw("")
	cases := []inputRefusal[ec2.AssociateRouteTableInput]{
		{"subnet already associated", ec2.AssociateRouteTableInput{RouteTableId: &other, SubnetId: &sub},
			"Resource.AlreadyAssociated", "the specified association for route table " + other + " conflicts with an existing association"},
		{"subnet of another VPC", ec2.AssociateRouteTableInput{RouteTableId: &other, SubnetId: &farSub},
			"InvalidParameterValue", "belong to different networks"},
		{"unknown subnet", ec2.AssociateRouteTableInput{RouteTableId: &other, SubnetId: aws.String("subnet-0123456789abcdef0")},
			"InvalidSubnetID.NotFound", "subnet-0123456789abcdef0"},
		{"unknown table", ec2.AssociateRouteTableInput{RouteTableId: aws.String("rtb-0123456789abcdef0"), SubnetId: &sub},
			"InvalidRouteTableID.NotFound", "rtb-0123456789abcdef0"},
		{"detached gateway", ec2.AssociateRouteTableInput{RouteTableId: &other, GatewayId: &detached},
			"InvalidParameterValue", "belong to different networks"},
		{"unknown gateway", ec2.AssociateRouteTableInput{RouteTableId: &other, GatewayId: aws.String("igw-0123456789abcdef0")},
			"InvalidGatewayID.NotFound", "igw-0123456789abcdef0"},
		{"neither", ec2.AssociateRouteTableInput{RouteTableId: &other},
			"MissingParameter", "subnetId or gatewayId"},
		{"both", ec2.AssociateRouteTableInput{RouteTableId: &other, SubnetId: &sub, GatewayId: &igw},
			"InvalidParameterCombination", "subnetId or gatewayId"},
	}
	checkInputRefusals(t, cases, func(in ec2.AssociateRouteTableInput) error {
		_, err := r.c.AssociateRouteTable(r.ctx, &in)
		return err
	})

	// An edge association with the VPC's internet gateway.
	edge, err := r.c.AssociateRouteTable(r.ctx, &ec2.AssociateRouteTableInput{RouteTableId: &other, GatewayId: &igw})
	r.must(err)
	if a := r.describeTable(other).Associations; len(a) != 1 || aws.ToString(a[0].GatewayId) != igw || a[0].SubnetId != nil {
		t.Fatalf("edge association: %+v", a)
	}
	_, err = r.c.AssociateRouteTable(r.ctx, &ec2.AssociateRouteTableInput{RouteTableId: &table, GatewayId: &igw})
	r.wantErr(err, "Resource.AlreadyAssociated", "conflicts with an existing association")

	// Replacing a subnet association moves it under a new id.
	rep, err := r.c.ReplaceRouteTableAssociation(r.ctx, &ec2.ReplaceRouteTableAssociationInput{AssociationId: &assoc, RouteTableId: &other})
	r.must(err)
	moved := aws.ToString(rep.NewAssociationId)
	if moved == assoc || !strings.HasPrefix(moved, "rtbassoc-") || rep.AssociationState.State != types.RouteTableAssociationStateCodeAssociated {
		t.Fatalf("replace answer: %+v", rep)
	}
	if a := r.describeTable(table).Associations; len(a) != 0 {
		t.Fatalf("old table keeps %+v", a)
	}
	_, err = r.c.DisassociateRouteTable(r.ctx, &ec2.DisassociateRouteTableInput{AssociationId: &assoc})
	r.wantErr(err, "InvalidAssociationID.NotFound", "The association ID '"+assoc+"' does not exist")
	farTable := r.routeTable(otherVPC)
	_, err = r.c.ReplaceRouteTableAssociation(r.ctx, &ec2.ReplaceRouteTableAssociationInput{AssociationId: &moved, RouteTableId: &farTable})
	r.wantErr(err, "InvalidParameterValue", "belong to different networks")
	_, err = r.c.ReplaceRouteTableAssociation(r.ctx, &ec2.ReplaceRouteTableAssociationInput{AssociationId: aws.String("rtbassoc-0123456789abcdef0"), RouteTableId: &other})
	r.wantErr(err, "InvalidAssociationID.NotFound", "rtbassoc-0123456789abcdef0")

	for _, id := range []string{moved, aws.ToString(edge.AssociationId)} {
		_, err = r.c.DisassociateRouteTable(r.ctx, &ec2.DisassociateRouteTableInput{AssociationId: &id})
		r.must(err)
	}
	if a := r.describeTable(other).Associations; len(a) != 0 {
		t.Fatalf("after disassociating: %+v", a)
	}
	// The subnet is free again.
	_, err = r.c.AssociateRouteTable(r.ctx, &ec2.AssociateRouteTableInput{RouteTableId: &table, SubnetId: &sub})
	r.must(err)
}

func TestMainRouteTableAssociation(t *testing.T) {
	r := newRouting(t)
	vpc := r.vpc("10.0.0.0/16")
	main := r.mainTable(vpc)
	mainID := aws.ToString(main.RouteTableId)
	if len(main.Associations) != 1 || !aws.ToBool(main.Associations[0].Main) || main.Associations[0].SubnetId != nil ||
		main.Associations[0].AssociationState.State != types.RouteTableAssociationStateCodeAssociated {
		t.Fatalf("main association: %+v", main.Associations)
	}
	assoc := aws.ToString(main.Associations[0].RouteTableAssociationId)
	_, err := r.c.DisassociateRouteTable(r.ctx, &ec2.DisassociateRouteTableInput{AssociationId: &assoc})
	r.wantErr(err, "InvalidParameterValue", "cannot disassociate the main route table association "+assoc)

	// aws_main_route_table_association: make another table the main one.
	custom := r.routeTable(vpc)
	out, err := r.c.ReplaceRouteTableAssociation(r.ctx, &ec2.ReplaceRouteTableAssociationInput{AssociationId: &assoc, RouteTableId: &custom})
	r.must(err)
	newAssoc := aws.ToString(out.NewAssociationId)
	if newAssoc == assoc {
		t.Fatal("ReplaceRouteTableAssociation kept the association id")
	}
	now := r.mainTable(vpc)
	if aws.ToString(now.RouteTableId) != custom || aws.ToString(now.Associations[0].RouteTableAssociationId) != newAssoc {
		t.Fatalf("main table after replace: %+v", now)
	}
	found, err := r.c.DescribeRouteTables(r.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{
		{Name: aws.String("association.route-table-association-id"), Values: []string{newAssoc}},
	}})
	r.must(err)
	if len(found.RouteTables) != 1 || !aws.ToBool(found.RouteTables[0].Associations[0].Main) {
		t.Fatalf("by association id: %+v", found.RouteTables)
	}
	// The old main table is an ordinary table now and can be deleted; the
	// new main table cannot.
	_, err = r.c.DeleteRouteTable(r.ctx, &ec2.DeleteRouteTableInput{RouteTableId: &custom})
	r.wantErr(err, "DependencyViolation", custom)
	_, err = r.c.DeleteRouteTable(r.ctx, &ec2.DeleteRouteTableInput{RouteTableId: &mainID})
	r.must(err)
	// The VPC goes with its (new) main table.
	_, err = r.c.DeleteVpc(r.ctx, &ec2.DeleteVpcInput{VpcId: &vpc})
	r.must(err)
	_, err = r.c.DescribeRouteTables(r.ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{custom}})
	r.wantErr(err, "InvalidRouteTableID.NotFound", custom)
}

func TestDescribeRouteTablesFilters(t *testing.T) {
	r := newRouting(t)
	vpc := r.vpc("10.0.0.0/16")
	igw := r.igw(vpc)
	sub := r.subnet(vpc, "10.0.1.0/24")
	out, err := r.c.CreateRouteTable(r.ctx, &ec2.CreateRouteTableInput{VpcId: &vpc, TagSpecifications: nameTag(types.ResourceTypeRouteTable, "public")})
	r.must(err)
	table := aws.ToString(out.RouteTable.RouteTableId)
	_, err = r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &table, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: &igw})
	r.must(err)
	assoc, err := r.c.AssociateRouteTable(r.ctx, &ec2.AssociateRouteTableInput{RouteTableId: &table, SubnetId: &sub})
	r.must(err)
	edge := r.routeTable(vpc)
	_, err = r.c.AssociateRouteTable(r.ctx, &ec2.AssociateRouteTableInput{RouteTableId: &edge, GatewayId: &igw})
	r.must(err)
	v6vpc, _ := r.ipv6VPC("10.1.0.0/16")
	v6table := r.routeTable(v6vpc)
	eigw, err := r.c.CreateEgressOnlyInternetGateway(r.ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: &v6vpc})
	r.must(err)
	eigwID := aws.ToString(eigw.EgressOnlyInternetGateway.EgressOnlyInternetGatewayId)
	_, err = r.c.CreateRoute(r.ctx, &ec2.CreateRouteInput{RouteTableId: &v6table, DestinationIpv6CidrBlock: aws.String("::/0"), EgressOnlyInternetGatewayId: &eigwID})
	r.must(err)
	mainID := aws.ToString(r.mainTable(vpc).RouteTableId)
	v6main := aws.ToString(r.mainTable(v6vpc).RouteTableId)
	all := []string{mainID, table, edge, v6main, v6table}

	// Each case wants the tables it selects among this test's VPCs.
	cases := []filterCase{
		{"association.gateway-id", []string{igw}, []string{edge}},
		{"association.route-table-association-id", []string{aws.ToString(assoc.AssociationId)}, []string{table}},
		{"association.route-table-id", []string{table}, []string{table}},
		{"association.subnet-id", []string{sub}, []string{table}},
		{"association.main", []string{"true"}, []string{mainID, v6main}},
		{"association.main", []string{"false"}, []string{table, edge}},
		{"owner-id", []string{emulatortest.AccountA}, all},
		{"route-table-id", []string{table, edge}, []string{table, edge}},
		{"route.destination-cidr-block", []string{"0.0.0.0/0"}, []string{table}},
		{"route.destination-cidr-block", []string{"10.0.0.0/16"}, []string{mainID, table, edge}},
		{"route.destination-ipv6-cidr-block", []string{"::/0"}, []string{v6table}},
		{"route.destination-prefix-list-id", []string{"pl-0123456789abcdef0"}, nil},
		{"route.egress-only-internet-gateway-id", []string{eigwID}, []string{v6table}},
		{"route.gateway-id", []string{igw}, []string{table}},
		{"route.gateway-id", []string{"local"}, all},
		{"route.instance-id", []string{"i-0123456789abcdef0"}, nil},
		{"route.nat-gateway-id", []string{"nat-0123456789abcdef0"}, nil},
		{"route.transit-gateway-id", []string{"tgw-0123456789abcdef0"}, nil},
		{"route.origin", []string{"CreateRoute"}, []string{table, v6table}},
		{"route.state", []string{"active"}, all},
		{"route.vpc-peering-connection-id", []string{"pcx-0123456789abcdef0"}, nil},
		{"vpc-id", []string{vpc}, []string{mainID, table, edge}},
		{"tag:Name", []string{"public"}, []string{table}},
		{"tag:Name", []string{"pub*"}, []string{table}},
		{"tag-key", []string{"Name"}, []string{table}},
		{"tag-value", []string{"public"}, []string{table}},
	}
	checkFilters(t, cases, func(f types.Filter) ([]string, error) {
		out, err := r.c.DescribeRouteTables(r.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{
			f,
			{Name: aws.String("vpc-id"), Values: []string{vpc, v6vpc}},
		}})
		if err != nil {
			return nil, err
		}
		var got []string
		for _, rt := range out.RouteTables {
			got = append(got, aws.ToString(rt.RouteTableId))
		}
		return got, nil
	})
	_, err = r.c.DescribeRouteTables(r.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{{Name: aws.String("route.bogus"), Values: []string{"x"}}}})
	r.wantErr(err, "InvalidParameterValue", "The filter 'route.bogus' is invalid")
}

func TestDescribeRouteTablesPaging(t *testing.T) {
	r := newRouting(t)
	vpc := r.vpc("10.0.0.0/16")
	want := map[string]bool{aws.ToString(r.mainTable(vpc).RouteTableId): true}
	for range 11 {
		want[r.routeTable(vpc)] = true
	}
	filter := []types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc}}}
	p := ec2.NewDescribeRouteTablesPaginator(r.c, &ec2.DescribeRouteTablesInput{Filters: filter, MaxResults: aws.Int32(5)})
	pages, seen := 0, map[string]bool{}
	for p.HasMorePages() {
		out, err := p.NextPage(r.ctx)
		r.must(err)
		pages++
		if len(out.RouteTables) > 5 {
			t.Fatalf("page of %d", len(out.RouteTables))
		}
		for _, rt := range out.RouteTables {
			id := aws.ToString(rt.RouteTableId)
			if seen[id] || !want[id] {
				t.Fatalf("page repeats or strays: %s", id)
			}
			seen[id] = true
		}
	}
	if len(seen) != len(want) || pages != 3 {
		t.Fatalf("%d pages, %d of %d tables", pages, len(seen), len(want))
	}
	_, err := r.c.DescribeRouteTables(r.ctx, &ec2.DescribeRouteTablesInput{NextToken: aws.String("!!"), MaxResults: aws.Int32(5)})
	r.wantErr(err, "InvalidParameterValue", "token")
}
