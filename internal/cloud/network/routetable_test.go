package network

import (
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// mainAssociation is the id of the VPC's main association.
func mainAssociation(f fixture, vpc *VPC) string {
	f.t.Helper()
	for _, a := range readAs[RouteTable](f, vpc.MainRouteTableID).Associations {
		if a.Main {
			return a.ID
		}
	}
	f.t.Fatalf("%s has no main association", vpc.MainRouteTableID)
	return ""
}

// TestRouteTableAssociations: a table takes subnets of its VPC and an
// attached internet gateway (an edge association), each once; associations
// move between tables under new ids, the main one with the VPC's main
// table; a table with associations cannot go.
func TestRouteTableAssociations(t *testing.T) {
	f := newRouteFixture(t)
	igw, err := f.c.CreateInternetGateway(f.ctx, f.who, nil)
	if err != nil {
		t.Fatal(err)
	}
	loose, err := f.c.CreateInternetGateway(f.ctx, f.who, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.c.AttachInternetGateway(f.ctx, f.who, igw.ID, f.vpc.ID); err != nil {
		t.Fatal(err)
	}
	sub, err := f.c.AssociateRouteTable(f.ctx, f.who, f.rt.ID, f.subnet.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	edge, err := f.c.AssociateRouteTable(f.ctx, f.who, f.rt.ID, "", igw.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sub.SubnetID != f.subnet.ID || sub.State != "associated" || sub.Main || edge.GatewayID != igw.ID || !cloud.WellFormed(edge.ID, "rtbassoc-") {
		t.Fatalf("associations %+v %+v", sub, edge)
	}
	page, err := cloud.List[RouteTable](f.ctx, f.c.Cloud, f.who, cloud.Query{Filters: []cloud.Filter{{Name: "association.subnet-id", Values: []string{f.subnet.ID}}}}, nil)
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != f.rt.ID {
		t.Fatalf("table of the subnet: %+v %v", page.Items, err)
	}

	other, err := f.c.CreateRouteTable(f.ctx, f.who, f.vpc.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name           string
		table, sub, gw string
		reason         cloud.Reason
		kind           cloud.Kind
		msg            string
	}{
		{"neither", other.ID, "", "", cloud.MissingParameter, "", "The request must contain exactly one of subnetId or gatewayId"},
		{"both", other.ID, f.subnet.ID, igw.ID, cloud.InvalidCombination, "", "exactly one of subnetId or gatewayId"},
		{"subnet taken", other.ID, f.subnet.ID, "", cloud.AlreadyAssociated, cloud.KindRouteTableAssoc, "the specified association for route table " + other.ID + " conflicts with an existing association"},
		{"gateway taken", other.ID, "", igw.ID, cloud.AlreadyAssociated, cloud.KindRouteTableAssoc, "conflicts with an existing association"},
		{"subnet of another VPC", other.ID, f.otherSub.ID, "", cloud.InvalidParameter, "", "route table " + other.ID + " and subnet " + f.otherSub.ID + " belong to different networks"},
		{"detached gateway", other.ID, "", loose.ID, cloud.InvalidParameter, "", "route table " + other.ID + " and network gateway " + loose.ID + " belong to different networks"},
		{"unknown gateway", other.ID, "", "igw-0123456789abcdef0", cloud.NotFound, cloud.SubjectGatewayTarget, "The gateway ID 'igw-0123456789abcdef0' does not exist"},
		{"not a gateway", other.ID, "", "nat-0123456789abcdef0", cloud.NotFound, cloud.SubjectGatewayTarget, "The gateway ID 'nat-0123456789abcdef0' does not exist"},
		{"unknown subnet", other.ID, "subnet-0123456789abcdef0", "", cloud.NotFound, cloud.KindSubnet, "does not exist"},
		{"unknown table", "rtb-0123456789abcdef0", f.subnet.ID, "", cloud.NotFound, cloud.KindRouteTable, "The routeTable ID 'rtb-0123456789abcdef0' does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.c.AssociateRouteTable(f.ctx, f.who, tc.table, tc.sub, tc.gw)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}

	wantReason(t, f.c.DeleteRouteTable(f.ctx, f.who, f.rt.ID), cloud.DependencyViolation, cloud.KindRouteTable, "The routeTable '"+f.rt.ID+"' has dependencies and cannot be deleted.")
	// The edge association goes; the subnet's moves to the other table.
	if err := f.c.DisassociateRouteTable(f.ctx, f.who, edge.ID); err != nil {
		t.Fatal(err)
	}
	moved, err := f.c.ReplaceRouteTableAssociation(f.ctx, f.who, sub.ID, other.ID)
	if err != nil {
		t.Fatal(err)
	}
	if moved.ID == sub.ID || moved.SubnetID != f.subnet.ID {
		t.Fatalf("moved association %+v", moved)
	}
	if got := readAs[RouteTable](f.fixture, other.ID).Associations; len(got) != 1 || got[0].ID != moved.ID {
		t.Fatalf("other table's associations %+v", got)
	}
	if err := f.c.DeleteRouteTable(f.ctx, f.who, f.rt.ID); err != nil {
		t.Fatal(err)
	}
	wantReason(t, f.c.DisassociateRouteTable(f.ctx, f.who, sub.ID), cloud.NotFound, cloud.KindRouteTableAssoc, "The association ID '"+sub.ID+"' does not exist")
	_, err = f.c.ReplaceRouteTableAssociation(f.ctx, f.who, moved.ID, f.otherVPC.MainRouteTableID)
	wantReason(t, err, cloud.InvalidParameter, "", "route table "+f.otherVPC.MainRouteTableID+" and route table association "+moved.ID+" belong to different networks")
	_, err = f.c.ReplaceRouteTableAssociation(f.ctx, f.who, moved.ID, "rtb-0123456789abcdef0")
	wantReason(t, err, cloud.NotFound, cloud.KindRouteTable, "does not exist")

	// The main association stays, but may move: the table becomes main.
	mainID := mainAssociation(f.fixture, f.vpc)
	wantReason(t, f.c.DisassociateRouteTable(f.ctx, f.who, mainID), cloud.InvalidParameter, "", "cannot disassociate the main route table association "+mainID)
	newMain, err := f.c.ReplaceRouteTableAssociation(f.ctx, f.who, mainID, other.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !newMain.Main {
		t.Fatalf("moved main association %+v", newMain)
	}
	if v := readAs[VPC](f.fixture, f.vpc.ID); v.MainRouteTableID != other.ID {
		t.Fatalf("VPC's main table %s, want %s", v.MainRouteTableID, other.ID)
	}
	// The old main table is an ordinary one now, and may go.
	if err := f.c.DeleteRouteTable(f.ctx, f.who, f.vpc.MainRouteTableID); err != nil {
		t.Fatal(err)
	}
	wantReason(t, f.c.DeleteRouteTable(f.ctx, f.who, other.ID), cloud.DependencyViolation, cloud.KindRouteTable, "")
	wantReason(t, f.c.DeleteRouteTable(f.ctx, bob, other.ID), cloud.NotFound, cloud.KindRouteTable, other.ID)
}

// TestRouteTargets: each kind of target is checked against the table's
// VPC, and a route's state follows its target.
func TestRouteTargets(t *testing.T) {
	f := newRouteFixture(t)
	igw, err := f.c.CreateInternetGateway(f.ctx, f.who, nil)
	if err != nil {
		t.Fatal(err)
	}
	eigw, err := f.c.CreateEgressOnlyInternetGateway(f.ctx, f.who, f.vpc.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	farEIGW, err := f.c.CreateEgressOnlyInternetGateway(f.ctx, f.who, f.otherVPC.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A virtual private gateway vpcemu keeps no model of, but knows of.
	var vgw string
	f.write(func(t *cloud.Txn) error {
		vgw = t.NewID("vgw-")
		return t.Put(&cloud.Record{Kind: cloud.KindVPNGateway, ID: vgw, Scope: f.who.Scope(), Body: []byte("{}")})
	})
	const missing = "0123456789abcdef0"
	for _, tc := range []struct {
		name   string
		r      Route
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"no destination", Route{GatewayID: igw.ID}, cloud.MissingParameter, "", "The request must contain exactly one of destinationCidrBlock, destinationIpv6CidrBlock or destinationPrefixListId"},
		{"two destinations", Route{DestinationCIDR: "1.0.0.0/8", DestinationIPv6CIDR: "::/0", GatewayID: igw.ID}, cloud.InvalidCombination, "", "exactly one of destinationCidrBlock"},
		{"bad block", Route{DestinationCIDR: "1.0.0.0/33", GatewayID: igw.ID}, cloud.InvalidParameter, "", "Value (1.0.0.0/33) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block."},
		{"IPv6 as IPv4", Route{DestinationCIDR: "::/0", GatewayID: igw.ID}, cloud.InvalidParameter, "", "parameter destinationCidrBlock is invalid"},
		{"IPv4 as IPv6", Route{DestinationIPv6CIDR: "0.0.0.0/0", GatewayID: igw.ID}, cloud.InvalidParameter, "", "parameter destinationIpv6CidrBlock is invalid"},
		{"no target", Route{DestinationCIDR: "1.0.0.0/8"}, cloud.MissingParameter, "", "The request must contain exactly one of gatewayId, natGatewayId"},
		{"two targets", Route{DestinationCIDR: "1.0.0.0/8", GatewayID: igw.ID, NATGatewayID: "nat-" + missing}, cloud.InvalidCombination, "", "exactly one of gatewayId"},
		{"detached internet gateway", Route{DestinationCIDR: "0.0.0.0/0", GatewayID: igw.ID}, cloud.InvalidParameter, "", "route table " + f.rt.ID + " and network gateway " + igw.ID + " belong to different networks"},
		{"unknown internet gateway", Route{DestinationCIDR: "0.0.0.0/0", GatewayID: "igw-" + missing}, cloud.NotFound, cloud.SubjectGatewayTarget, "The gateway ID 'igw-" + missing + "' does not exist"},
		{"unknown virtual private gateway", Route{DestinationCIDR: "0.0.0.0/0", GatewayID: "vgw-" + missing}, cloud.NotFound, cloud.SubjectGatewayTarget, "The gateway ID 'vgw-" + missing + "' does not exist"},
		{"egress-only for IPv4", Route{DestinationCIDR: "0.0.0.0/0", EgressOnlyIGWID: eigw.ID}, cloud.InvalidParameter, "", "Value (0.0.0.0/0) for parameter destination is invalid. An egress-only internet gateway routes only IPv6 traffic."},
		{"egress-only of another VPC", Route{DestinationIPv6CIDR: "::/0", EgressOnlyIGWID: farEIGW.ID}, cloud.InvalidParameter, "", "and network gateway " + farEIGW.ID + " belong to different networks"},
		{"unknown egress-only", Route{DestinationIPv6CIDR: "::/0", EgressOnlyIGWID: "eigw-" + missing}, cloud.NotFound, cloud.KindEgressOnlyIGW, "does not exist"},
		{"unknown transit gateway", Route{DestinationCIDR: "1.0.0.0/8", TransitGatewayID: "tgw-" + missing}, cloud.NotFound, cloud.KindTransitGateway, "The transitGateway ID 'tgw-" + missing + "' does not exist"},
		{"unknown local gateway", Route{DestinationCIDR: "1.0.0.0/8", LocalGatewayID: "lgw-" + missing}, cloud.NotFound, cloud.KindLocalGateway, "The localGateway ID 'lgw-" + missing + "' does not exist"},
		{"unknown carrier gateway", Route{DestinationCIDR: "1.0.0.0/8", CarrierGatewayID: "cagw-" + missing}, cloud.NotFound, cloud.KindCarrierGateway, "The carrierGateway ID 'cagw-" + missing + "' does not exist"},
		{"core network", Route{DestinationCIDR: "1.0.0.0/8", CoreNetworkARN: "arn:aws:networkmanager::111111111111:core-network/x"}, cloud.InvalidParameter, "", "The core network does not exist."},
		{"unknown peering", Route{DestinationCIDR: "1.0.0.0/8", VPCPeeringConnectionID: "pcx-" + missing}, cloud.NotFound, cloud.KindVPCPeering, "pcx-" + missing},
		{"endpoint nobody keeps", Route{DestinationCIDR: "1.0.0.0/8", VPCEndpointID: "vpce-" + missing}, cloud.NotFound, cloud.KindVPCEndpoint, "The vpcEndpoint ID 'vpce-" + missing + "' does not exist"},
		{"inside the VPC to a gateway", Route{DestinationCIDR: "10.0.5.0/24", GatewayID: vgw}, cloud.InvalidParameter, "", "The destination CIDR block 10.0.5.0/24 is equal to or more specific than one of this VPC's CIDR blocks. This route can target only an interface or an instance."},
		{"unknown prefix list", Route{DestinationPrefixListID: "pl-" + missing, GatewayID: vgw}, cloud.NotFound, cloud.KindPrefixList, "pl-" + missing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantReason(t, f.c.CreateRoute(f.ctx, f.who, f.rt.ID, tc.r), tc.reason, tc.kind, tc.msg)
		})
	}

	// Good routes, and their states.
	if err := f.c.AttachInternetGateway(f.ctx, f.who, igw.ID, f.vpc.ID); err != nil {
		t.Fatal(err)
	}
	for _, r := range []Route{
		{DestinationCIDR: "0.0.0.0/0", GatewayID: igw.ID},
		{DestinationIPv6CIDR: "::/0", EgressOnlyIGWID: eigw.ID},
		{DestinationCIDR: "192.168.0.0/16", GatewayID: vgw},
	} {
		if err := f.c.CreateRoute(f.ctx, f.who, f.rt.ID, r); err != nil {
			t.Fatalf("%+v: %v", r, err)
		}
		if got := f.route(r.Destination()); got.State != "active" || got.Target() != r.Target() || got.Origin != OriginCreateRoute {
			t.Errorf("route %+v", got)
		}
	}
	page, err := cloud.List[RouteTable](f.ctx, f.c.Cloud, f.who, cloud.Query{Filters: []cloud.Filter{{Name: "route.egress-only-internet-gateway-id", Values: []string{eigw.ID}}}}, nil)
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != f.rt.ID {
		t.Fatalf("tables routing to the egress-only gateway: %+v %v", page.Items, err)
	}
	// A detached internet gateway or a deleted egress-only gateway makes
	// a blackhole.
	if err := f.c.DetachInternetGateway(f.ctx, f.who, igw.ID, f.vpc.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.c.DeleteEgressOnlyInternetGateway(f.ctx, f.who, eigw.ID); err != nil {
		t.Fatal(err)
	}
	for _, dest := range []string{"0.0.0.0/0", "::/0"} {
		if got := f.route(dest); got.State != "blackhole" {
			t.Errorf("route to %s after its target went: %+v", dest, got)
		}
	}
	if got := f.route("192.168.0.0/16"); got.State != "active" {
		t.Errorf("route to the virtual private gateway: %+v", got)
	}

	// Replace and delete.
	err = f.c.ReplaceRoute(f.ctx, f.who, f.rt.ID, Route{DestinationCIDR: "172.16.0.0/12", GatewayID: vgw}, false)
	wantReason(t, err, cloud.InvalidParameter, "", "There is no route defined for '172.16.0.0/12' in the route table. Use CreateRoute instead.")
	err = f.c.ReplaceRoute(f.ctx, f.who, f.rt.ID, Route{DestinationCIDR: "192.168.0.0/16"}, true)
	wantReason(t, err, cloud.InvalidParameter, "", "Value (true) for parameter localTarget is invalid. The route to 192.168.0.0/16 is not a local route.")
	err = f.c.ReplaceRoute(f.ctx, f.who, f.rt.ID, Route{DestinationCIDR: "192.168.0.0/16", GatewayID: vgw}, true)
	wantReason(t, err, cloud.InvalidCombination, "", "or localTarget")
	if err := f.c.AttachInternetGateway(f.ctx, f.who, igw.ID, f.vpc.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.c.ReplaceRoute(f.ctx, f.who, f.rt.ID, Route{DestinationCIDR: "192.168.0.0/16", GatewayID: igw.ID}, false); err != nil {
		t.Fatal(err)
	}
	if got := f.route("192.168.0.0/16"); got.GatewayID != igw.ID || got.Origin != OriginCreateRoute || got.State != "active" {
		t.Fatalf("replaced route %+v", got)
	}
	if err := f.c.DeleteRoute(f.ctx, f.who, f.rt.ID, Route{DestinationCIDR: "192.168.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		r   Route
		msg string
	}{
		{Route{DestinationCIDR: "192.168.0.0/16"}, "no route with destination-cidr-block 192.168.0.0/16 in route table " + f.rt.ID},
		{Route{DestinationIPv6CIDR: "2001:db8::/32"}, "no route with destination-ipv6-cidr-block 2001:db8::/32 in route table " + f.rt.ID},
		{Route{DestinationPrefixListID: "pl-" + missing}, "no route with destination-prefix-list-id pl-" + missing + " in route table " + f.rt.ID},
	} {
		wantReason(t, f.c.DeleteRoute(f.ctx, f.who, f.rt.ID, tc.r), cloud.NotFound, cloud.KindRoute, tc.msg)
	}
	refusedWith(t, f.c.DeleteRoute(f.ctx, f.who, f.rt.ID, Route{}), cloud.MissingParameter, "no destination")
	wantReason(t, f.c.DeleteRoute(f.ctx, f.who, "rtb-"+missing, Route{DestinationCIDR: "1.0.0.0/8"}), cloud.NotFound, cloud.KindRouteTable, "does not exist")
	wantReason(t, f.c.CreateRoute(f.ctx, bob, f.rt.ID, Route{DestinationCIDR: "1.0.0.0/8", GatewayID: vgw}), cloud.NotFound, cloud.KindRouteTable, f.rt.ID)
}

// TestRouteQuota: routes-per-route-table counts the routes a user adds,
// not the local ones.
func TestRouteQuota(t *testing.T) {
	f := newFixture(t, "", cloud.WithQuotas(map[string]int{"routes-per-route-table": 2}))
	rt, err := f.c.CreateRouteTable(f.ctx, f.who, f.vpc.ID, []cloud.TagSpec{{ResourceType: "route-table", Tags: []cloud.Tag{{Key: "Name", Value: "q"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rt.Routes) != 1 || rt.Routes[0].State != "active" || rt.Tags["Name"] != "q" {
		t.Fatalf("new table %+v", rt)
	}
	var eni *NetworkInterface
	f.write(func(tx *cloud.Txn) (err error) {
		eni, err = CreateInterface(tx, f.subnet, InterfaceSpec{})
		return err
	})
	for _, dest := range []string{"1.0.0.0/8", "2.0.0.0/8"} {
		if err := f.c.CreateRoute(f.ctx, f.who, rt.ID, Route{DestinationCIDR: dest, NetworkInterfaceID: eni.ID}); err != nil {
			t.Fatal(err)
		}
	}
	err = f.c.CreateRoute(f.ctx, f.who, rt.ID, Route{DestinationCIDR: "3.0.0.0/8", NetworkInterfaceID: eni.ID})
	wantReason(t, err, cloud.LimitExceeded, cloud.KindRoute, "The maximum number of routes has been reached.")
	_, err = f.c.CreateRouteTable(f.ctx, f.who, "vpc-0123456789abcdef0", nil)
	wantReason(t, err, cloud.NotFound, cloud.KindVPC, "does not exist")
	_, err = f.c.CreateRouteTable(f.ctx, f.who, f.vpc.ID, []cloud.TagSpec{{ResourceType: "vpc"}})
	wantReason(t, err, cloud.InvalidParameter, "", "not a valid taggable resource type")
}
