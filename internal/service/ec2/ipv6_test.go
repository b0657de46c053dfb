package ec2_test

import (
	"net/netip"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// slash64 is the n-th /64 of a VPC's /56.
func slash64(t *testing.T, vpcBlock string, n int) string {
	t.Helper()
	p := netip.MustParsePrefix(vpcBlock)
	b := p.Addr().As16()
	b[7] += byte(n)
	return netip.PrefixFrom(netip.AddrFrom16(b), 64).String()
}

func TestIPv6SubnetCreateRefusals(t *testing.T) {
	r := newRouting(t)
	vpc, v6 := r.ipv6VPC("10.0.0.0/16")
	v4only := r.vpc("10.1.0.0/16")
	sub := func(in ec2.CreateSubnetInput) func() error {
		return func() error { _, err := r.c.CreateSubnet(r.ctx, &in); return err }
	}
	checkRefusals(t, []refusal{
		// AWS checks the IPv6 block before the combination (as moto's
		// AWS-verified tests record).
		{"native without an IPv6 block", sub(ec2.CreateSubnetInput{VpcId: &vpc, Ipv6Native: aws.Bool(true), CidrBlock: aws.String("10.0.1.0/24")}),
			"MissingParameter", "Either 'ipv6CidrBlock' or 'ipv6IpamPoolId' should be provided."},
		{"native with an IPv4 block", sub(ec2.CreateSubnetInput{VpcId: &vpc, Ipv6Native: aws.Bool(true), CidrBlock: aws.String("10.0.1.0/24"), Ipv6CidrBlock: aws.String(slash64(t, v6, 1))}),
			"InvalidParameterCombination", "When specifying ipv4 parameters, cidrBlock or ipv4IpamPoolId, you cannot set ipv6Native to true."},
		{"neither block", sub(ec2.CreateSubnetInput{VpcId: &vpc}),
			"MissingParameter", "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided."},
		{"IPv6 block not a /64", sub(ec2.CreateSubnetInput{VpcId: &vpc, Ipv6Native: aws.Bool(true), Ipv6CidrBlock: aws.String(v6[:len(v6)-3] + "/60")}),
			"InvalidParameterValue", "invalid value for parameter ipv6-cidr-block"},
		{"IPv6 block outside the VPC", sub(ec2.CreateSubnetInput{VpcId: &vpc, Ipv6Native: aws.Bool(true), Ipv6CidrBlock: aws.String("2001:db8::/64")}),
			"InvalidSubnet.Range", "The IPv6 CIDR '2001:db8::/64' is invalid."},
		{"IPv6 block in a VPC without one", sub(ec2.CreateSubnetInput{VpcId: &v4only, CidrBlock: aws.String("10.1.1.0/24"), Ipv6CidrBlock: aws.String(slash64(t, v6, 1))}),
			"InvalidSubnet.Range", "is invalid"},
	})
	subnets, err := r.c.DescribeSubnets(r.ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc, v4only}}}})
	r.must(err)
	if len(subnets.Subnets) != 0 {
		t.Fatalf("a refused create left subnets: %+v", subnets.Subnets)
	}
}

func TestIPv6OnlySubnet(t *testing.T) {
	r := newRouting(t)
	vpc, v6 := r.ipv6VPC("10.0.0.0/16")
	block := slash64(t, v6, 3)
	out, err := r.c.CreateSubnet(r.ctx, &ec2.CreateSubnetInput{VpcId: &vpc, Ipv6Native: aws.Bool(true), Ipv6CidrBlock: &block})
	r.must(err)
	s := out.Subnet
	if !aws.ToBool(s.Ipv6Native) || s.CidrBlock != nil || aws.ToInt32(s.AvailableIpAddressCount) != 0 ||
		!aws.ToBool(s.AssignIpv6AddressOnCreation) || len(s.Ipv6CidrBlockAssociationSet) != 1 ||
		aws.ToString(s.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock) != block ||
		s.PrivateDnsNameOptionsOnLaunch.HostnameType != types.HostnameTypeResourceName {
		t.Fatalf("IPv6-only subnet: %+v", s)
	}
	id := aws.ToString(s.SubnetId)
	// Its interfaces have an IPv6 address and no IPv4 one.
	eni, err := r.c.CreateNetworkInterface(r.ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &id})
	r.must(err)
	n := eni.NetworkInterface
	if n.PrivateIpAddress != nil || len(n.PrivateIpAddresses) != 0 || len(n.Ipv6Addresses) != 1 || !aws.ToBool(n.Ipv6Native) {
		t.Fatalf("interface in an IPv6-only subnet: %+v", n)
	}
	if a := netip.MustParseAddr(aws.ToString(n.Ipv6Addresses[0].Ipv6Address)); !netip.MustParsePrefix(block).Contains(a) {
		t.Fatalf("address %s outside %s", a, block)
	}
	_, err = r.c.CreateNetworkInterface(r.ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &id, PrivateIpAddress: aws.String("10.0.0.5")})
	r.wantErr(err, "InvalidParameterValue", "IPv6-only")
	_, err = r.c.UnassignIpv6Addresses(r.ctx, &ec2.UnassignIpv6AddressesInput{NetworkInterfaceId: n.NetworkInterfaceId,
		Ipv6Addresses: []string{aws.ToString(n.Ipv6Addresses[0].Ipv6Address)}})
	r.wantErr(err, "InvalidParameterValue", "at least one IPv6 address")
	// An instance launches there too, with an IPv6 address only.
	run, err := r.c.RunInstances(r.ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(2), MaxCount: aws.Int32(2), SubnetId: &id})
	r.must(err)
	for _, i := range run.Instances {
		if i.PrivateIpAddress != nil || aws.ToString(i.Ipv6Address) == "" || len(i.NetworkInterfaces[0].Ipv6Addresses) != 1 {
			t.Fatalf("instance in an IPv6-only subnet: %+v", i)
		}
	}
	// Its block cannot go: the subnet gives addresses on creation.
	_, err = r.c.DisassociateSubnetCidrBlock(r.ctx, &ec2.DisassociateSubnetCidrBlockInput{AssociationId: s.Ipv6CidrBlockAssociationSet[0].AssociationId})
	r.wantErr(err, "InvalidCidrBlock.InUse", "may not be disassociated, because its subnet has assign-ipv6-address-on-creation set to true.")
	d, err := r.c.DescribeSubnets(r.ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{{Name: aws.String("ipv6-native"), Values: []string{"true"}}}})
	r.must(err)
	if len(d.Subnets) != 1 || aws.ToString(d.Subnets[0].SubnetId) != id {
		t.Fatalf("ipv6-native filter: %+v", d.Subnets)
	}
}

func TestSubnetCidrBlockAssociation(t *testing.T) {
	r := newRouting(t)
	vpc, v6 := r.ipv6VPC("10.0.0.0/16")
	a, b := r.subnet(vpc, "10.0.1.0/24"), r.subnet(vpc, "10.0.2.0/24")
	block := slash64(t, v6, 1)
	out, err := r.c.AssociateSubnetCidrBlock(r.ctx, &ec2.AssociateSubnetCidrBlockInput{SubnetId: &a, Ipv6CidrBlock: &block})
	r.must(err)
	assoc := out.Ipv6CidrBlockAssociation
	if aws.ToString(out.SubnetId) != a || aws.ToString(assoc.Ipv6CidrBlock) != block ||
		assoc.Ipv6CidrBlockState.State != types.SubnetCidrBlockStateCodeAssociating {
		t.Fatalf("associate answer: %+v", out)
	}
	assocID := aws.ToString(assoc.AssociationId)
	assocCall := func(subnet, block string) func() error {
		return func() error {
			_, err := r.c.AssociateSubnetCidrBlock(r.ctx, &ec2.AssociateSubnetCidrBlockInput{SubnetId: &subnet, Ipv6CidrBlock: &block})
			return err
		}
	}
	disassoc := func(id string) func() error {
		return func() error {
			_, err := r.c.DisassociateSubnetCidrBlock(r.ctx, &ec2.DisassociateSubnetCidrBlockInput{AssociationId: &id})
			return err
		}
	}
	checkRefusals(t, []refusal{
		{"a block another subnet has", assocCall(b, block), "InvalidSubnet.Conflict", "conflicts with another subnet"},
		{"a second block", assocCall(a, slash64(t, v6, 2)), "InvalidSubnet.Conflict", "already has an IPv6 CIDR block"},
		{"outside the VPC", assocCall(b, "2001:db8::/64"), "InvalidSubnet.Range", "is invalid"},
		{"not a /64", assocCall(b, "2001:db8::/56"), "InvalidParameterValue", "invalid value for parameter ipv6-cidr-block"},
		{"no such subnet", assocCall("subnet-0123456789abcdef0", slash64(t, v6, 2)), "InvalidSubnetID.NotFound", ""},
		{"malformed association", disassoc("subnet-cidr-assoc-x"), "InvalidSubnetCidrBlockAssociationId.Malformed", ""},
		{"unknown association", disassoc("subnet-cidr-assoc-0123456789abcdef0"), "InvalidSubnetCidrBlockAssociationID.NotFound", ""},
	})
	d, err := r.c.DescribeSubnets(r.ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{
		{Name: aws.String("ipv6-cidr-block-association.association-id"), Values: []string{assocID}}}})
	r.must(err)
	if len(d.Subnets) != 1 || aws.ToString(d.Subnets[0].SubnetId) != a ||
		d.Subnets[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlockState.State != types.SubnetCidrBlockStateCodeAssociated {
		t.Fatalf("describe by association: %+v", d.Subnets)
	}

	// An interface holding one of its addresses keeps the block.
	eni, err := r.c.CreateNetworkInterface(r.ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &a, Ipv6AddressCount: aws.Int32(1)})
	r.must(err)
	r.wantErr(disassoc(assocID)(), "InvalidCidrBlock.InUse", aws.ToString(eni.NetworkInterface.NetworkInterfaceId))
	_, err = r.c.DeleteNetworkInterface(r.ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: eni.NetworkInterface.NetworkInterfaceId})
	r.must(err)
	dis, err := r.c.DisassociateSubnetCidrBlock(r.ctx, &ec2.DisassociateSubnetCidrBlockInput{AssociationId: &assocID})
	r.must(err)
	if dis.Ipv6CidrBlockAssociation.Ipv6CidrBlockState.State != types.SubnetCidrBlockStateCodeDisassociating {
		t.Fatalf("disassociate answer: %+v", dis.Ipv6CidrBlockAssociation)
	}
	d, err = r.c.DescribeSubnets(r.ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{a}})
	r.must(err)
	if len(d.Subnets[0].Ipv6CidrBlockAssociationSet) != 0 {
		t.Fatalf("block still there: %+v", d.Subnets[0].Ipv6CidrBlockAssociationSet)
	}
	// Once gone, the block is free for another subnet.
	r.must(assocCall(b, block)())
}

func TestSubnetIPv6Attributes(t *testing.T) {
	r := newRouting(t)
	vpc, v6 := r.ipv6VPC("10.0.0.0/16")
	plain := r.subnet(vpc, "10.0.1.0/24")
	block := slash64(t, v6, 2)
	out, err := r.c.CreateSubnet(r.ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.2.0/24"), Ipv6CidrBlock: &block})
	r.must(err)
	dual := aws.ToString(out.Subnet.SubnetId)
	modify := func(subnet string, in ec2.ModifySubnetAttributeInput) func() error {
		return func() error {
			in.SubnetId = &subnet
			_, err := r.c.ModifySubnetAttribute(r.ctx, &in)
			return err
		}
	}
	on := &types.AttributeBooleanValue{Value: aws.Bool(true)}
	checkRefusals(t, []refusal{
		{"assign on creation without IPv6", modify(plain, ec2.ModifySubnetAttributeInput{AssignIpv6AddressOnCreation: on}), "InvalidParameterValue",
			"Invalid value 'true' for assign-ipv6-address-on-creation. Cannot set assign-ipv6-address-on-creation to true unless the subnet (" + plain + ") has an IPv6 CIDR block associated with it."},
		{"DNS64 without IPv6", modify(plain, ec2.ModifySubnetAttributeInput{EnableDns64: on}), "InvalidParameterValue", "Cannot enable DNS64"},
	})
	r.must(modify(dual, ec2.ModifySubnetAttributeInput{AssignIpv6AddressOnCreation: on})())
	r.must(modify(dual, ec2.ModifySubnetAttributeInput{EnableDns64: on})())
	d, err := r.c.DescribeSubnets(r.ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{dual}})
	r.must(err)
	if s := d.Subnets[0]; !aws.ToBool(s.AssignIpv6AddressOnCreation) || !aws.ToBool(s.EnableDns64) {
		t.Fatalf("attributes: %+v", s)
	}
}

func TestIPv6AddressesOnInterfaces(t *testing.T) {
	r := newRouting(t)
	vpc, v6 := r.ipv6VPC("10.0.0.0/16")
	plain := r.subnet(vpc, "10.0.1.0/24")
	block := slash64(t, v6, 2)
	out, err := r.c.CreateSubnet(r.ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.2.0/24"), Ipv6CidrBlock: &block})
	r.must(err)
	dual := aws.ToString(out.Subnet.SubnetId)
	p := netip.MustParsePrefix(block)
	nth := func(n byte) string { b := p.Addr().As16(); b[15] = n; return netip.AddrFrom16(b).String() }

	create := func(in ec2.CreateNetworkInterfaceInput) func() error {
		return func() error { _, err := r.c.CreateNetworkInterface(r.ctx, &in); return err }
	}
	checkRefusals(t, []refusal{
		{"addresses and a count", create(ec2.CreateNetworkInterfaceInput{SubnetId: &dual, Ipv6AddressCount: aws.Int32(1),
			Ipv6Addresses: []types.InstanceIpv6Address{{Ipv6Address: aws.String(nth(9))}}}),
			"InvalidParameterCombination", "IPv6 addresses and IPv6 address count may not be specified on the same request"},
		{"a subnet without IPv6", create(ec2.CreateNetworkInterfaceInput{SubnetId: &plain, Ipv6AddressCount: aws.Int32(1)}), "InvalidParameterValue", "no IPv6 CIDR block"},
		{"outside the subnet", create(ec2.CreateNetworkInterfaceInput{SubnetId: &dual, Ipv6Addresses: []types.InstanceIpv6Address{{Ipv6Address: aws.String("2001:db8::9")}}}),
			"InvalidParameterValue", "does not fall within the subnet's address range"},
		{"a reserved address", create(ec2.CreateNetworkInterfaceInput{SubnetId: &dual, Ipv6Addresses: []types.InstanceIpv6Address{{Ipv6Address: aws.String(nth(2))}}}),
			"InvalidParameterValue", "reserved"},
		{"prefixes", create(ec2.CreateNetworkInterfaceInput{SubnetId: &dual, Ipv6PrefixCount: aws.Int32(1)}), "UnsupportedOperation", ""},
	})

	two, err := r.c.CreateNetworkInterface(r.ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &dual, Ipv6AddressCount: aws.Int32(2)})
	r.must(err)
	named, err := r.c.CreateNetworkInterface(r.ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &dual,
		Ipv6Addresses: []types.InstanceIpv6Address{{Ipv6Address: aws.String(nth(9))}}})
	r.must(err)
	none, err := r.c.CreateNetworkInterface(r.ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &dual})
	r.must(err)
	addrs := func(n *types.NetworkInterface) []string {
		var out []string
		for _, a := range n.Ipv6Addresses {
			out = append(out, aws.ToString(a.Ipv6Address))
		}
		return out
	}
	if got := addrs(two.NetworkInterface); len(got) != 2 || got[0] != nth(4) || got[1] != nth(5) {
		t.Fatalf("two picked addresses: %v", got)
	}
	if got := addrs(named.NetworkInterface); len(got) != 1 || got[0] != nth(9) {
		t.Fatalf("named address: %v", got)
	}
	if got := addrs(none.NetworkInterface); len(got) != 0 || aws.ToString(none.NetworkInterface.PrivateIpAddress) == "" {
		t.Fatalf("no IPv6 asked, none given: %+v", none.NetworkInterface)
	}
	_, err = r.c.CreateNetworkInterface(r.ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &dual,
		Ipv6Addresses: []types.InstanceIpv6Address{{Ipv6Address: aws.String(nth(9))}}})
	r.wantErr(err, "InvalidIPAddress.InUse", nth(9))

	// Assign and unassign.
	noneID := none.NetworkInterface.NetworkInterfaceId
	as, err := r.c.AssignIpv6Addresses(r.ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: noneID, Ipv6AddressCount: aws.Int32(1)})
	r.must(err)
	if len(as.AssignedIpv6Addresses) != 1 || as.AssignedIpv6Addresses[0] != nth(6) {
		t.Fatalf("assigned: %v", as.AssignedIpv6Addresses)
	}
	_, err = r.c.AssignIpv6Addresses(r.ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: noneID, Ipv6Addresses: []string{nth(4)}})
	r.wantErr(err, "InvalidIPAddress.InUse", nth(4))
	_, err = r.c.AssignIpv6Addresses(r.ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: noneID})
	r.wantErr(err, "MissingParameter", "")
	_, err = r.c.UnassignIpv6Addresses(r.ctx, &ec2.UnassignIpv6AddressesInput{NetworkInterfaceId: noneID, Ipv6Addresses: []string{nth(4)}})
	r.wantErr(err, "InvalidParameterValue", "not assigned to interface")
	un, err := r.c.UnassignIpv6Addresses(r.ctx, &ec2.UnassignIpv6AddressesInput{NetworkInterfaceId: noneID, Ipv6Addresses: []string{nth(6)}})
	r.must(err)
	if len(un.UnassignedIpv6Addresses) != 1 || un.UnassignedIpv6Addresses[0] != nth(6) {
		t.Fatalf("unassigned: %v", un.UnassignedIpv6Addresses)
	}

	// The subnet's AssignIpv6AddressOnCreation gives one to a new interface.
	_, err = r.c.ModifySubnetAttribute(r.ctx, &ec2.ModifySubnetAttributeInput{SubnetId: &dual, AssignIpv6AddressOnCreation: &types.AttributeBooleanValue{Value: aws.Bool(true)}})
	r.must(err)
	auto, err := r.c.CreateNetworkInterface(r.ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &dual})
	r.must(err)
	if got := addrs(auto.NetworkInterface); len(got) != 1 || got[0] != nth(6) {
		t.Fatalf("subnet default: %v", got)
	}

	twoID, namedID := aws.ToString(two.NetworkInterface.NetworkInterfaceId), aws.ToString(named.NetworkInterface.NetworkInterfaceId)
	checkFilters(t, []filterCase{
		{"ipv6-addresses.ipv6-address", []string{nth(9)}, []string{namedID}},
		{"ipv6-addresses.ipv6-address", []string{nth(5)}, []string{twoID}},
	}, func(f types.Filter) ([]string, error) {
		out, err := r.c.DescribeNetworkInterfaces(r.ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{f}})
		var ids []string
		if err == nil {
			for _, n := range out.NetworkInterfaces {
				ids = append(ids, aws.ToString(n.NetworkInterfaceId))
			}
		}
		return ids, err
	})
}

func TestIPv6AddressesOnInstances(t *testing.T) {
	r := newRouting(t)
	vpc, v6 := r.ipv6VPC("10.0.0.0/16")
	block := slash64(t, v6, 2)
	out, err := r.c.CreateSubnet(r.ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.2.0/24"), Ipv6CidrBlock: &block})
	r.must(err)
	dual := aws.ToString(out.Subnet.SubnetId)
	p := netip.MustParsePrefix(block)
	nth := func(n byte) string { b := p.Addr().As16(); b[15] = n; return netip.AddrFrom16(b).String() }
	run := func(in ec2.RunInstancesInput) func() error {
		return func() error {
			in.ImageId, in.MinCount = aws.String("ami-12345678"), aws.Int32(1)
			if in.MaxCount == nil {
				in.MaxCount = aws.Int32(1)
			}
			_, err := r.c.RunInstances(r.ctx, &in)
			return err
		}
	}
	checkRefusals(t, []refusal{
		{"addresses and a count", run(ec2.RunInstancesInput{SubnetId: &dual, Ipv6AddressCount: aws.Int32(1),
			Ipv6Addresses: []types.InstanceIpv6Address{{Ipv6Address: aws.String(nth(9))}}}), "InvalidParameterCombination", "may not be specified on the same request"},
		{"an address for two instances", run(ec2.RunInstancesInput{SubnetId: &dual, MaxCount: aws.Int32(2),
			Ipv6Addresses: []types.InstanceIpv6Address{{Ipv6Address: aws.String(nth(9))}}}), "InvalidParameterCombination", ""},
		{"instance-level IPv6 with interfaces", run(ec2.RunInstancesInput{Ipv6AddressCount: aws.Int32(1),
			NetworkInterfaces: []types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(0), SubnetId: &dual}}}), "InvalidParameterCombination", ""},
	})
	got, err := r.c.RunInstances(r.ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		SubnetId: &dual, Ipv6AddressCount: aws.Int32(2)})
	r.must(err)
	i := got.Instances[0]
	if aws.ToString(i.Ipv6Address) != nth(4) || len(i.NetworkInterfaces[0].Ipv6Addresses) != 2 {
		t.Fatalf("instance with two IPv6 addresses: %+v", i)
	}
	viaENI, err := r.c.RunInstances(r.ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		NetworkInterfaces: []types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(0), SubnetId: &dual,
			Ipv6Addresses: []types.InstanceIpv6Address{{Ipv6Address: aws.String(nth(20))}}}}})
	r.must(err)
	id := aws.ToString(viaENI.Instances[0].InstanceId)
	d, err := r.c.DescribeInstances(r.ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{{Name: aws.String("ipv6-address"), Values: []string{nth(20)}}}})
	r.must(err)
	if len(d.Reservations) != 1 || aws.ToString(d.Reservations[0].Instances[0].InstanceId) != id {
		t.Fatalf("ipv6-address filter: %+v", d.Reservations)
	}
	d, err = r.c.DescribeInstances(r.ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{{Name: aws.String("network-interface.ipv6-addresses.ipv6-address"), Values: []string{nth(5)}}}})
	r.must(err)
	if len(d.Reservations) != 1 || aws.ToString(d.Reservations[0].Instances[0].InstanceId) != aws.ToString(i.InstanceId) {
		t.Fatalf("network-interface.ipv6-addresses.ipv6-address filter: %+v", d.Reservations)
	}
}

// TestIPv6AddressesSkipReservations: picked IPv6 addresses skip the
// subnet's CIDR reservations, a large one at once; one asked for by value
// may come from one.
func TestIPv6AddressesSkipReservations(t *testing.T) {
	r := newRouting(t)
	vpc, v6 := r.ipv6VPC("10.0.0.0/16")
	block := slash64(t, v6, 1)
	out, err := r.c.CreateSubnet(r.ctx, &ec2.CreateSubnetInput{VpcId: &vpc, Ipv6Native: aws.Bool(true), Ipv6CidrBlock: &block})
	r.must(err)
	subnet := out.Subnet.SubnetId
	p := netip.MustParsePrefix(block)
	_, err = r.c.CreateSubnetCidrReservation(r.ctx, &ec2.CreateSubnetCidrReservationInput{SubnetId: subnet,
		Cidr: aws.String(netip.PrefixFrom(p.Addr(), 66).String()), ReservationType: types.SubnetCidrReservationTypeExplicit})
	r.must(err)
	eni, err := r.c.CreateNetworkInterface(r.ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: subnet})
	r.must(err)
	got := netip.MustParseAddr(aws.ToString(eni.NetworkInterface.Ipv6Addresses[0].Ipv6Address))
	b := p.Addr().As16()
	b[8] = 0x40 // past the /66 at the start of the /64
	if want := netip.AddrFrom16(b); got != want {
		t.Fatalf("picked %s, want %s", got, want)
	}
	inside := p.Addr().Next().Next().Next().Next().Next().String() // ::5, reserved
	_, err = r.c.CreateNetworkInterface(r.ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: subnet, Ipv6Addresses: []types.InstanceIpv6Address{{Ipv6Address: &inside}}})
	r.must(err)
}
