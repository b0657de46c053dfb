package network

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cidr"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// ipv6Fixture is the fixture whose VPC has an Amazon IPv6 block, and the
// block's first two /64s.
type ipv6Fixture struct {
	fixture
	block      netip.Prefix
	first, snd string
}

func newIPv6Fixture(t *testing.T) *ipv6Fixture {
	t.Helper()
	f := &ipv6Fixture{fixture: newFixture(t, "us-east-1a")}
	_, assoc, err := f.c.AssociateVPCCIDRBlock(f.ctx, f.who, f.vpc.ID, "", true, "")
	if err != nil {
		t.Fatal(err)
	}
	f.block = netip.MustParsePrefix(assoc.CIDR)
	a := f.block.Addr().As16()
	f.first = netip.PrefixFrom(netip.AddrFrom16(a), 64).String()
	a[7] = 1
	f.snd = netip.PrefixFrom(netip.AddrFrom16(a), 64).String()
	return f
}

// TestSubnetIPv6Blocks: a subnet takes one /64 of its VPC's IPv6 blocks,
// that no sibling has; it goes while nothing uses it.
func TestSubnetIPv6Blocks(t *testing.T) {
	f := newIPv6Fixture(t)
	s, assoc, err := f.c.AssociateSubnetCIDRBlock(f.ctx, f.who, f.subnet.ID, f.first)
	if err != nil {
		t.Fatal(err)
	}
	if assoc.State != "associating" || assoc.CIDR != f.first || !cloud.WellFormed(assoc.ID, "subnet-cidr-assoc-") {
		t.Fatalf("association %+v", assoc)
	}
	if p, ok := s.IPv6Prefix(); !ok || p.String() != f.first {
		t.Fatalf("subnet's IPv6 block %v %v", p, ok)
	}
	other, err := f.c.CreateSubnet(f.ctx, f.who, CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.2.0/24"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, subnet, block string
		reason              cloud.Reason
		msg                 string
	}{
		{"a second block", f.subnet.ID, f.snd, cloud.Conflict, "The subnet '" + f.subnet.ID + "' already has an IPv6 CIDR block associated with it."},
		{"a sibling's block", other.ID, f.first, cloud.Conflict, "The IPv6 CIDR '" + f.first + "' conflicts with another subnet"},
		{"not a /64", other.ID, strings.Replace(f.snd, "/64", "/80", 1), cloud.InvalidParameter, "invalid value for parameter ipv6-cidr-block"},
		{"outside the VPC", other.ID, "2001:db8::/64", cloud.Range, "The IPv6 CIDR '2001:db8::/64' is invalid."},
		{"unknown subnet", "subnet-0123456789abcdef0", f.snd, cloud.NotFound, "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := f.c.AssociateSubnetCIDRBlock(f.ctx, f.who, tc.subnet, tc.block)
			refusedWith(t, err, tc.reason, tc.name)
			if e, _ := cloud.AsError(err); !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("message %q, want %q", e.Msg, tc.msg)
			}
		})
	}
	// The VPC's IPv6 block cannot go while a subnet has a part of it.
	vpc := readAs[VPC](f.fixture, f.vpc.ID)
	_, _, err = f.c.DisassociateVPCCIDRBlock(f.ctx, f.who, vpc.IPv6Associations[0].ID)
	wantReason(t, err, cloud.IncorrectState, cloud.KindVPCCIDRAssociation, "The vpc "+f.vpc.ID+" currently has a subnet within CIDR block "+f.block.String())

	// Interfaces get IPv6 addresses once asked, or by the subnet's default.
	eni, err := f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: f.subnet.ID, IPv6: IPv6Spec{Count: 2}})
	if err != nil || len(eni.IPv6Addresses) != 2 {
		t.Fatalf("interface with two IPv6 addresses %+v %v", eni, err)
	}
	if err := f.c.ModifySubnetAttribute(f.ctx, f.who, f.subnet.ID, SubnetAttributes{AssignIPv6AddressOnCreation: ptrTo(true), EnableDNS64: ptrTo(true)}); err != nil {
		t.Fatal(err)
	}
	auto, err := f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: f.subnet.ID})
	if err != nil || len(auto.IPv6Addresses) != 1 {
		t.Fatalf("interface in a subnet that assigns IPv6 %+v %v", auto, err)
	}
	_, _, err = f.c.DisassociateSubnetCIDRBlock(f.ctx, f.who, assoc.ID)
	wantReason(t, err, cloud.InUse, cloud.KindSubnetCIDRAssociation, "because its subnet has assign-ipv6-address-on-creation set to true.")
	if err := f.c.ModifySubnetAttribute(f.ctx, f.who, f.subnet.ID, SubnetAttributes{AssignIPv6AddressOnCreation: ptrTo(false)}); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.c.DisassociateSubnetCIDRBlock(f.ctx, f.who, assoc.ID)
	wantReason(t, err, cloud.InUse, cloud.KindSubnetCIDRAssociation, "because network interface")
	for _, id := range []string{eni.ID, auto.ID} {
		if err := f.c.DeleteNetworkInterface(f.ctx, f.who, id); err != nil {
			t.Fatal(err)
		}
	}
	s, gone, err := f.c.DisassociateSubnetCIDRBlock(f.ctx, f.who, assoc.ID)
	if err != nil || gone.State != "disassociating" || len(s.IPv6Associations) != 0 {
		t.Fatalf("disassociated %+v %+v %v", s, gone, err)
	}
	_, _, err = f.c.DisassociateSubnetCIDRBlock(f.ctx, f.who, assoc.ID)
	wantReason(t, err, cloud.NotFound, cloud.KindSubnetCIDRAssociation, "The subnet CIDR block with association ID '"+assoc.ID+"' does not exist")
	_, _, err = f.c.DisassociateSubnetCIDRBlock(f.ctx, f.who, "subnet-cidr-assoc-x")
	wantReason(t, err, cloud.Malformed, cloud.KindSubnetCIDRAssociation, "The subnet CIDR block with association ID subnet-cidr-assoc-x is malformed")
	// Without the block, the subnet cannot assign IPv6 addresses.
	wantReason(t, f.c.ModifySubnetAttribute(f.ctx, f.who, f.subnet.ID, SubnetAttributes{AssignIPv6AddressOnCreation: ptrTo(true)}), cloud.InvalidParameter, "",
		"Cannot set assign-ipv6-address-on-creation to true unless the subnet ("+f.subnet.ID+") has an IPv6 CIDR block associated with it.")
	wantReason(t, f.c.ModifySubnetAttribute(f.ctx, f.who, f.subnet.ID, SubnetAttributes{EnableDNS64: ptrTo(true)}), cloud.InvalidParameter, "", "Cannot enable DNS64")
	// Now the VPC's block may go, and its local routes with it.
	if _, _, err := f.c.DisassociateVPCCIDRBlock(f.ctx, f.who, vpc.IPv6Associations[0].ID); err != nil {
		t.Fatal(err)
	}
	if rt := readAs[RouteTable](f.fixture, f.vpc.MainRouteTableID); len(rt.Routes) != 1 {
		t.Fatalf("routes after the IPv6 block went %+v", rt.Routes)
	}
}

// TestIPv6OnlySubnet: an IPv6-only subnet gives every interface an IPv6
// address and none of IPv4, and names instances by resource.
func TestIPv6OnlySubnet(t *testing.T) {
	f := newIPv6Fixture(t)
	for _, tc := range []struct {
		name   string
		in     CreateSubnetInput
		reason cloud.Reason
		msg    string
	}{
		{"no block", CreateSubnetInput{VpcID: f.vpc.ID, IPv6Native: true}, cloud.MissingParameter, "Either 'ipv6CidrBlock' or 'ipv6IpamPoolId' should be provided."},
		{"an IPv4 block too", CreateSubnetInput{VpcID: f.vpc.ID, IPv6Native: true, IPv6CIDRBlock: f.snd, CIDRBlock: "10.0.5.0/24"}, cloud.InvalidCombination, "you cannot set ipv6Native to true."},
		{"no block at all", CreateSubnetInput{VpcID: f.vpc.ID}, cloud.MissingParameter, "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided."},
	} {
		_, err := f.c.CreateSubnet(f.ctx, f.who, tc.in)
		refusedWith(t, err, tc.reason, tc.name)
		if e, _ := cloud.AsError(err); !strings.Contains(e.Msg, tc.msg) {
			t.Errorf("%s: message %q", tc.name, e.Msg)
		}
	}
	s, err := f.c.CreateSubnet(f.ctx, f.who, CreateSubnetInput{VpcID: f.vpc.ID, IPv6Native: true, IPv6CIDRBlock: f.snd, AvailabilityZone: "us-east-1a"})
	if err != nil {
		t.Fatal(err)
	}
	if !s.IPv6Native || !s.AssignIPv6AddressOnCreation || s.PrivateDNSHostnameType != "resource-name" || s.CIDRBlock != "" || s.AvailableIPs() != 0 {
		t.Fatalf("IPv6-only subnet %+v", s)
	}
	eni, err := f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: s.ID})
	if err != nil || len(eni.IPv6Addresses) != 1 || len(eni.PrivateIPs) != 0 {
		t.Fatalf("interface in an IPv6-only subnet %+v %v", eni, err)
	}
	_, err = f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: s.ID, PrivateIP: "10.0.9.9"})
	wantReason(t, err, cloud.InvalidParameter, "", "The subnet "+s.ID+" is IPv6-only: network interfaces in it have no private IPv4 addresses.")
	_, err = f.c.CreateNATGateway(f.ctx, f.who, CreateNATGatewayInput{SubnetID: s.ID, ConnectivityType: "private"})
	wantReason(t, err, cloud.InvalidParameter, "", "a NAT gateway needs a subnet with an IPv4 CIDR block")

	// Addresses come and go; one stays.
	added, err := f.c.AssignIPv6Addresses(f.ctx, f.who, eni.ID, nil, 2)
	if err != nil || len(added) != 2 {
		t.Fatalf("assigned %v %v", added, err)
	}
	want := cidr.Nth(netip.MustParsePrefix(f.snd), 8).String()
	if got, err := f.c.AssignIPv6Addresses(f.ctx, f.who, eni.ID, []string{want}, 0); err != nil || got[0] != want {
		t.Fatalf("assigned by value %v %v", got, err)
	}
	for _, tc := range []struct {
		name   string
		addrs  []string
		count  int
		reason cloud.Reason
		msg    string
	}{
		{"both", []string{want}, 1, cloud.InvalidCombination, "IPv6 addresses and IPv6 address count may not be specified on the same request"},
		{"neither", nil, 0, cloud.MissingParameter, "The request must contain the parameter ipv6Addresses or ipv6AddressCount"},
		{"negative", nil, -1, cloud.InvalidParameter, "Value (-1) for parameter ipv6AddressCount is invalid."},
		{"taken", []string{want}, 0, cloud.InUse, "Address " + want + " is in use."},
		{"reserved", []string{cidr.Nth(netip.MustParsePrefix(f.snd), 1).String()}, 0, cloud.InvalidParameter, "is in subnet's reserved address range"},
		{"outside", []string{"2001:db8::5"}, 0, cloud.InvalidParameter, "Address 2001:db8::5 does not fall within the subnet's address range"},
		{"IPv4", []string{"10.0.0.5"}, 0, cloud.InvalidParameter, "This is not a valid IPv6 address."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.c.AssignIPv6Addresses(f.ctx, f.who, eni.ID, tc.addrs, tc.count)
			refusedWith(t, err, tc.reason, tc.name)
			if e, _ := cloud.AsError(err); !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("message %q, want %q", e.Msg, tc.msg)
			}
		})
	}
	all := readAs[NetworkInterface](f.fixture, eni.ID).IPv6Addresses
	if len(all) != 4 {
		t.Fatalf("addresses %v", all)
	}
	dropped, err := f.c.UnassignIPv6Addresses(f.ctx, f.who, eni.ID, all[1:])
	if err != nil || len(dropped) != 3 {
		t.Fatalf("unassigned %v %v", dropped, err)
	}
	_, err = f.c.UnassignIPv6Addresses(f.ctx, f.who, eni.ID, all[:1])
	wantReason(t, err, cloud.InvalidParameter, "", "is in an IPv6-only subnet and must keep at least one IPv6 address.")
	_, err = f.c.UnassignIPv6Addresses(f.ctx, f.who, eni.ID, all[1:2])
	wantReason(t, err, cloud.InvalidParameter, "", "Some of the specified addresses are not assigned to interface "+eni.ID)
	_, err = f.c.UnassignIPv6Addresses(f.ctx, f.who, eni.ID, []string{"nope"})
	wantReason(t, err, cloud.InvalidParameter, "", "Value (nope) for parameter ipv6Addresses is invalid.")
	// An IPv4 subnet without a block has no IPv6 addresses to give.
	_, err = f.c.AssignIPv6Addresses(f.ctx, f.who, mustENI(t, f.fixture, f.subnet.ID), nil, 1)
	wantReason(t, err, cloud.InvalidParameter, "", "has no IPv6 CIDR block associated with it")
}

func mustENI(t *testing.T, f fixture, subnetID string) string {
	t.Helper()
	eni, err := f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: subnetID})
	if err != nil {
		t.Fatal(err)
	}
	return eni.ID
}

// TestSubnetCIDRReservations: a reserved block is skipped by the address
// picker, not by addresses asked for; reservations of a VPC do not overlap
// and go with their subnet.
func TestSubnetCIDRReservations(t *testing.T) {
	f := newIPv6Fixture(t)
	if _, _, err := f.c.AssociateSubnetCIDRBlock(f.ctx, f.who, f.subnet.ID, f.first); err != nil {
		t.Fatal(err)
	}
	r, err := f.c.CreateSubnetCIDRReservation(f.ctx, f.who, CreateSubnetCIDRReservationInput{SubnetID: f.subnet.ID, CIDR: "10.0.1.7/28", ReservationType: ReservationExplicit, Description: "appliances",
		Tags: []cloud.TagSpec{{ResourceType: "subnet-cidr-reservation", Tags: []cloud.Tag{{Key: "k", Value: "v"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.CIDR != "10.0.1.0/28" || r.IsIPv6() || r.VpcID != f.vpc.ID || r.Tags["k"] != "v" || !cloud.WellFormed(r.ID, "scr-") {
		t.Fatalf("reservation %+v", r)
	}
	v6block := netip.PrefixFrom(netip.MustParsePrefix(f.first).Addr(), 80)
	r6, err := f.c.CreateSubnetCIDRReservation(f.ctx, f.who, CreateSubnetCIDRReservationInput{SubnetID: f.subnet.ID, CIDR: v6block.String(), ReservationType: ReservationPrefix})
	if err != nil || !r6.IsIPv6() {
		t.Fatalf("IPv6 reservation %+v %v", r6, err)
	}
	// The picker skips both blocks.
	eni, err := f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: f.subnet.ID, IPv6: IPv6Spec{Count: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if eni.PrimaryIP() != "10.0.1.16" || v6block.Contains(netip.MustParseAddr(eni.IPv6Addresses[0])) {
		t.Fatalf("picked %s and %v inside the reservations", eni.PrimaryIP(), eni.IPv6Addresses)
	}
	// An address asked for may come from a reservation.
	if _, err := f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: f.subnet.ID, PrivateIP: "10.0.1.5"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		in     CreateSubnetCIDRReservationInput
		reason cloud.Reason
		msg    string
	}{
		{"bad type", CreateSubnetCIDRReservationInput{SubnetID: f.subnet.ID, CIDR: "10.0.1.64/28", ReservationType: "auto"}, cloud.InvalidParameter, "Value (auto) for parameter reservationType is invalid. Valid values are: prefix, explicit."},
		{"long description", CreateSubnetCIDRReservationInput{SubnetID: f.subnet.ID, CIDR: "10.0.1.64/28", ReservationType: ReservationPrefix, Description: strings.Repeat("d", 256)}, cloud.InvalidParameter, "The description must be 255 characters or fewer."},
		{"not a block", CreateSubnetCIDRReservationInput{SubnetID: f.subnet.ID, CIDR: "10.0.1.64", ReservationType: ReservationPrefix}, cloud.InvalidParameter, "Value (10.0.1.64) for parameter cidr is invalid."},
		{"outside", CreateSubnetCIDRReservationInput{SubnetID: f.subnet.ID, CIDR: "10.0.2.0/28", ReservationType: ReservationPrefix}, cloud.InvalidParameter, "The CIDR '10.0.2.0/28' is not within the CIDR ranges of subnet '" + f.subnet.ID + "'."},
		{"overlap", CreateSubnetCIDRReservationInput{SubnetID: f.subnet.ID, CIDR: "10.0.1.8/29", ReservationType: ReservationPrefix}, cloud.Conflict, "overlaps with the subnet CIDR reservation '" + r.ID + "' (10.0.1.0/28)."},
		{"bad tags", CreateSubnetCIDRReservationInput{SubnetID: f.subnet.ID, CIDR: "10.0.1.64/28", ReservationType: ReservationPrefix, Tags: []cloud.TagSpec{{ResourceType: "subnet"}}}, cloud.InvalidParameter, "not a valid taggable resource type"},
		{"another account's subnet", CreateSubnetCIDRReservationInput{SubnetID: "subnet-0123456789abcdef0", CIDR: "10.0.1.64/28", ReservationType: ReservationPrefix}, cloud.NotFound, "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.c.CreateSubnetCIDRReservation(f.ctx, f.who, tc.in)
			refusedWith(t, err, tc.reason, tc.name)
			if e, _ := cloud.AsError(err); !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("message %q, want %q", e.Msg, tc.msg)
			}
		})
	}
	page, err := f.c.SubnetCIDRReservations(f.ctx, f.who, f.subnet.ID, cloud.Query{IDs: []string{"ignored"}}, func(r *SubnetCIDRReservation) bool { return !r.IsIPv6() })
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != r.ID {
		t.Fatalf("IPv4 reservations %+v %v", page.Items, err)
	}
	_, err = f.c.SubnetCIDRReservations(f.ctx, bob, f.subnet.ID, cloud.Query{}, nil)
	wantReason(t, err, cloud.NotFound, cloud.KindSubnet, f.subnet.ID)
	if gone, err := f.c.DeleteSubnetCIDRReservation(f.ctx, f.who, r.ID); err != nil || gone.ID != r.ID {
		t.Fatalf("deleted %+v %v", gone, err)
	}
	_, err = f.c.DeleteSubnetCIDRReservation(f.ctx, f.who, r.ID)
	wantReason(t, err, cloud.NotFound, cloud.KindSubnetCIDRReservation, "The subnetCidrReservation ID '"+r.ID+"' does not exist")
	_, err = f.c.DeleteSubnetCIDRReservation(f.ctx, f.who, "scr-1")
	wantReason(t, err, cloud.Malformed, cloud.KindSubnetCIDRReservation, `Invalid id: "scr-1" (expecting "scr-...")`)
	// The rest go with the subnet.
	page, err = f.c.SubnetCIDRReservations(f.ctx, f.who, f.subnet.ID, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("left %+v %v", page.Items, err)
	}
}

// TestModifySubnetAttribute sets each attribute and refuses bad values.
func TestModifySubnetAttribute(t *testing.T) {
	f := newFixture(t, "")
	err := f.c.ModifySubnetAttribute(f.ctx, f.who, f.subnet.ID, SubnetAttributes{
		MapPublicIPOnLaunch: ptrTo(true), MapCustomerOwnedIPOnLaunch: ptrTo(true), EnableResourceNameDNSA: ptrTo(true),
		EnableResourceNameDNSAAAA: ptrTo(true), PrivateDNSHostnameType: ptrTo("resource-name"), EnableLniAtDeviceIndex: ptrTo(int32(1)),
	})
	if err != nil {
		t.Fatal(err)
	}
	s := readAs[Subnet](f, f.subnet.ID)
	if !s.MapPublicIPOnLaunch || !s.MapCustomerOwnedIPOnLaunch || !s.EnableResourceNameDNSA || !s.EnableResourceNameDNSAAAA || s.PrivateDNSHostnameType != "resource-name" || s.EnableLniAtDeviceIndex != 1 {
		t.Fatalf("subnet %+v", s)
	}
	if s.ARN() != "arn:aws:ec2:us-east-1:"+f.who.Account+":subnet/"+s.ID {
		t.Fatalf("ARN %s", s.ARN())
	}
	wantReason(t, f.c.ModifySubnetAttribute(f.ctx, f.who, f.subnet.ID, SubnetAttributes{PrivateDNSHostnameType: ptrTo("fqdn")}), cloud.InvalidParameter, "", "Value (fqdn) for parameter privateDnsHostnameTypeOnLaunch is invalid.")
	wantReason(t, f.c.ModifySubnetAttribute(f.ctx, bob, f.subnet.ID, SubnetAttributes{}), cloud.NotFound, cloud.KindSubnet, f.subnet.ID)
}

// TestDefaultSubnets: a default subnet deleted from a zone can be made
// again, once; without a default VPC there is none to make.
func TestDefaultSubnets(t *testing.T) {
	f := newFixture(t, "")
	_, err := f.c.CreateDefaultSubnet(f.ctx, f.who, "us-east-1b")
	wantReason(t, err, cloud.AlreadyAssociated, cloud.KindSubnet, "A Default Subnet already exists in us-east-1b.")
	page, err := cloud.List[Subnet](f.ctx, f.c.Cloud, f.who, cloud.Query{}, func(s *Subnet) bool { return s.DefaultForAZ && s.AvailabilityZone == "us-east-1b" })
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("default subnet of us-east-1b %+v %v", page.Items, err)
	}
	old := page.Items[0]
	if err := f.c.DeleteSubnet(f.ctx, f.who, old.ID); err != nil {
		t.Fatal(err)
	}
	s, err := f.c.CreateDefaultSubnet(f.ctx, f.who, "us-east-1b")
	if err != nil || !s.DefaultForAZ || !s.MapPublicIPOnLaunch || s.CIDRBlock != old.CIDRBlock || s.ID == old.ID {
		t.Fatalf("new default subnet %+v (old %+v) %v", s, old, err)
	}
	_, err = f.c.CreateDefaultSubnet(f.ctx, f.who, "us-east-1z")
	wantReason(t, err, cloud.InvalidParameter, "", "Value (us-east-1z) for parameter availabilityZone is invalid.")
	_, err = f.c.CreateDefaultSubnet(f.ctx, cloud.Caller{Account: f.who.Account, Region: "atlantis-1"}, "us-east-1a")
	wantReason(t, err, cloud.AuthFailure, "", "")
	f.write(func(t *cloud.Txn) error {
		vpc, err := defaultVPC(t)
		if err != nil {
			return err
		}
		return cloud.Remove(t, vpc)
	})
	_, err = f.c.CreateDefaultSubnet(f.ctx, f.who, "us-east-1b")
	wantReason(t, err, cloud.NoDefaultVPC, cloud.KindVPC, "No default VPC exists for this account in this region.")
}
