package ec2_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

func TestSubnetCidrReservations(t *testing.T) {
	e := newENIEnv(t)
	vpcOut, err := e.c.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	e.must(err)
	vpc := aws.ToString(vpcOut.Vpc.VpcId)
	v6 := aws.ToString(vpcOut.Vpc.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock) // a /56
	sub64 := strings.TrimSuffix(v6, "/56") + "/64"
	subOut, err := e.c.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.0.1.0/24"), Ipv6CidrBlock: &sub64})
	e.must(err)
	subnet := aws.ToString(subOut.Subnet.SubnetId)
	other := e.subnet(vpc, "10.0.2.0/24", "us-east-1a")

	create := func(block string, typ types.SubnetCidrReservationType, mods ...func(*ec2.CreateSubnetCidrReservationInput)) (*types.SubnetCidrReservation, error) {
		in := &ec2.CreateSubnetCidrReservationInput{SubnetId: &subnet, Cidr: &block, ReservationType: typ}
		for _, m := range mods {
			m(in)
		}
		out, err := e.c.CreateSubnetCidrReservation(e.ctx, in)
		if err != nil {
			return nil, err
		}
		return out.SubnetCidrReservation, nil
	}

	// The first free addresses, then a reservation over the next ones.
	first := e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &subnet})
	if aws.ToString(first.PrivateIpAddress) != "10.0.1.4" {
		t.Fatalf("first address: %s", aws.ToString(first.PrivateIpAddress))
	}
	explicit, err := create("10.0.1.0/28", types.SubnetCidrReservationTypeExplicit, func(in *ec2.CreateSubnetCidrReservationInput) {
		in.Description = aws.String("appliances")
		in.TagSpecifications = []types.TagSpecification{tagSpec(types.ResourceTypeSubnetCidrReservation, "Name", "appliances")}
	})
	e.must(err)
	if !strings.HasPrefix(aws.ToString(explicit.SubnetCidrReservationId), "scr-") || aws.ToString(explicit.Cidr) != "10.0.1.0/28" ||
		explicit.ReservationType != types.SubnetCidrReservationTypeExplicit || aws.ToString(explicit.OwnerId) != emulatortest.AccountA ||
		aws.ToString(explicit.SubnetId) != subnet || aws.ToString(explicit.Description) != "appliances" || len(explicit.Tags) != 1 {
		t.Fatalf("created: %+v", explicit)
	}
	// Host bits are cleared, as EC2 does with every block it stores.
	prefix, err := create("10.0.1.77/28", types.SubnetCidrReservationTypePrefix)
	e.must(err)
	if aws.ToString(prefix.Cidr) != "10.0.1.64/28" {
		t.Fatalf("prefix reservation block: %s", aws.ToString(prefix.Cidr))
	}
	ipv6, err := create(strings.TrimSuffix(sub64, "::/64")+":0:a::/80", types.SubnetCidrReservationTypePrefix)
	e.must(err)

	// The address already in use stays; the next interfaces skip both
	// reserved blocks.
	if n := e.describeENI(aws.ToString(first.NetworkInterfaceId)); aws.ToString(n.PrivateIpAddress) != "10.0.1.4" {
		t.Fatalf("a reservation moved an address in use: %+v", n)
	}
	next := e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &subnet, SecondaryPrivateIpAddressCount: aws.Int32(48)})
	got := privateIPs(next)
	if got[0] != "10.0.1.16" || got[len(got)-1] != "10.0.1.80" {
		t.Fatalf("automatic addresses: %v", got)
	}
	for _, a := range got {
		if inPrefix(a, "10.0.1.0/28") || inPrefix(a, "10.0.1.64/28") {
			t.Fatalf("automatic address %s is in a reserved block", a)
		}
	}
	// The user may still ask for a reserved address by value.
	byValue := e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &subnet, PrivateIpAddress: aws.String("10.0.1.10")})
	if aws.ToString(byValue.PrivateIpAddress) != "10.0.1.10" {
		t.Fatalf("asked-for reserved address: %+v", byValue)
	}

	get := func(in *ec2.GetSubnetCidrReservationsInput) *ec2.GetSubnetCidrReservationsOutput {
		t.Helper()
		out, err := e.c.GetSubnetCidrReservations(e.ctx, in)
		e.must(err)
		return out
	}
	all := get(&ec2.GetSubnetCidrReservationsInput{SubnetId: &subnet})
	if len(all.SubnetIpv4CidrReservations) != 2 || len(all.SubnetIpv6CidrReservations) != 1 ||
		aws.ToString(all.SubnetIpv6CidrReservations[0].SubnetCidrReservationId) != aws.ToString(ipv6.SubnetCidrReservationId) {
		t.Fatalf("all reservations: %+v", all)
	}
	for _, c := range []struct {
		name   string
		filter types.Filter
		want   int
	}{
		{"reservationType", types.Filter{Name: aws.String("reservationType"), Values: []string{"explicit"}}, 1},
		{"tag", types.Filter{Name: aws.String("tag:Name"), Values: []string{"appliances"}}, 1},
		{"tag-key", types.Filter{Name: aws.String("tag-key"), Values: []string{"Name"}}, 1},
		{"subnet-id", types.Filter{Name: aws.String("subnet-id"), Values: []string{other}}, 0},
	} {
		out := get(&ec2.GetSubnetCidrReservationsInput{SubnetId: &subnet, Filters: []types.Filter{c.filter}})
		if n := len(out.SubnetIpv4CidrReservations) + len(out.SubnetIpv6CidrReservations); n != c.want {
			t.Errorf("filter %s: %d reservations, want %d", c.name, n, c.want)
		}
	}
	page := get(&ec2.GetSubnetCidrReservationsInput{SubnetId: &subnet, MaxResults: aws.Int32(5)})
	if page.NextToken != nil {
		t.Fatalf("one page expected: %+v", page)
	}
	if empty := get(&ec2.GetSubnetCidrReservationsInput{SubnetId: &other}); len(empty.SubnetIpv4CidrReservations)+len(empty.SubnetIpv6CidrReservations) != 0 {
		t.Fatalf("reservations of another subnet: %+v", empty)
	}

	checkRefusals(t, []refusal{
		{"unknown type", func() error { _, err := create("10.0.1.128/28", "hold"); return err }, "InvalidParameterValue", "reservationType"},
		{"not a block", func() error {
			_, err := create("10.0.1.300/28", types.SubnetCidrReservationTypeExplicit)
			return err
		}, "InvalidParameterValue", "Value (10.0.1.300/28) for parameter cidr is invalid."},
		{"outside the subnet", func() error {
			_, err := create("10.0.2.0/28", types.SubnetCidrReservationTypeExplicit)
			return err
		}, "InvalidParameterValue", "is not within the CIDR ranges of subnet"},
		{"overlapping another reservation", func() error {
			_, err := create("10.0.1.8/29", types.SubnetCidrReservationTypePrefix)
			return err
		}, "InvalidParameterValue", "overlaps with the subnet CIDR reservation"},
		{"unknown subnet", func() error {
			_, err := e.c.CreateSubnetCidrReservation(e.ctx, &ec2.CreateSubnetCidrReservationInput{SubnetId: aws.String("subnet-0123456789abcdef0"),
				Cidr: aws.String("10.0.1.0/28"), ReservationType: types.SubnetCidrReservationTypeExplicit})
			return err
		}, "InvalidSubnetID.NotFound", ""},
		{"get of an unknown subnet", func() error {
			_, err := e.c.GetSubnetCidrReservations(e.ctx, &ec2.GetSubnetCidrReservationsInput{SubnetId: aws.String("subnet-0123456789abcdef0")})
			return err
		}, "InvalidSubnetID.NotFound", ""},
		{"unknown filter", func() error {
			_, err := e.c.GetSubnetCidrReservations(e.ctx, &ec2.GetSubnetCidrReservationsInput{SubnetId: &subnet,
				Filters: []types.Filter{{Name: aws.String("cidr"), Values: []string{"x"}}}})
			return err
		}, "InvalidParameterValue", "The filter 'cidr' is invalid"},
		{"delete unknown", func() error {
			_, err := e.c.DeleteSubnetCidrReservation(e.ctx, &ec2.DeleteSubnetCidrReservationInput{SubnetCidrReservationId: aws.String("scr-0123456789abcdef0")})
			return err
		}, "InvalidSubnetCidrReservationID.NotFound", "scr-0123456789abcdef0"},
		{"delete malformed", func() error {
			_, err := e.c.DeleteSubnetCidrReservation(e.ctx, &ec2.DeleteSubnetCidrReservationInput{SubnetCidrReservationId: aws.String("nope")})
			return err
		}, "InvalidSubnetCidrReservationID.Malformed", ""},
		{"dry run", func() error {
			_, err := create("10.0.1.128/28", types.SubnetCidrReservationTypeExplicit, func(in *ec2.CreateSubnetCidrReservationInput) { in.DryRun = aws.Bool(true) })
			return err
		}, "DryRunOperation", ""},
	})
	if n := len(get(&ec2.GetSubnetCidrReservationsInput{SubnetId: &subnet}).SubnetIpv4CidrReservations); n != 2 {
		t.Fatalf("a refused call left a reservation: %d", n)
	}

	// Deleting frees the block for the picker; addresses in use stay.
	del, err := e.c.DeleteSubnetCidrReservation(e.ctx, &ec2.DeleteSubnetCidrReservationInput{SubnetCidrReservationId: explicit.SubnetCidrReservationId})
	e.must(err)
	if aws.ToString(del.DeletedSubnetCidrReservation.Cidr) != "10.0.1.0/28" {
		t.Fatalf("deleted: %+v", del.DeletedSubnetCidrReservation)
	}
	if n := e.describeENI(aws.ToString(byValue.NetworkInterfaceId)); aws.ToString(n.PrivateIpAddress) != "10.0.1.10" {
		t.Fatalf("delete moved an address: %+v", n)
	}
	after := e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &subnet})
	if aws.ToString(after.PrivateIpAddress) != "10.0.1.5" {
		t.Fatalf("after the delete the lowest free address is 10.0.1.5, got %s", aws.ToString(after.PrivateIpAddress))
	}

	// A subnet's reservations go with it.
	for _, id := range []*string{first.NetworkInterfaceId, next.NetworkInterfaceId, byValue.NetworkInterfaceId, after.NetworkInterfaceId} {
		_, err := e.c.DeleteNetworkInterface(e.ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: id})
		e.must(err)
	}
	_, err = e.c.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: &subnet})
	e.must(err)
	_, err = e.c.DeleteSubnetCidrReservation(e.ctx, &ec2.DeleteSubnetCidrReservationInput{SubnetCidrReservationId: prefix.SubnetCidrReservationId})
	wantAPIError(t, "reservation of a deleted subnet", err, "InvalidSubnetCidrReservationID.NotFound", "")
}

func TestModifyVpcTenancy(t *testing.T) {
	f := newFixture(t)
	out, err := f.c.CreateVpc(f.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), InstanceTenancy: types.TenancyDedicated})
	f.must(err)
	vpc := out.Vpc.VpcId
	tenancy := func() types.Tenancy {
		d, err := f.c.DescribeVpcs(f.ctx, &ec2.DescribeVpcsInput{VpcIds: []string{aws.ToString(vpc)}})
		f.must(err)
		return d.Vpcs[0].InstanceTenancy
	}
	checkRefusals(t, []refusal{
		{"to dedicated", func() error {
			_, err := f.c.ModifyVpcTenancy(f.ctx, &ec2.ModifyVpcTenancyInput{VpcId: vpc, InstanceTenancy: "dedicated"})
			return err
		}, "InvalidParameterValue", "Value (dedicated) for parameter instanceTenancy is invalid."},
		{"unknown VPC", func() error {
			_, err := f.c.ModifyVpcTenancy(f.ctx, &ec2.ModifyVpcTenancyInput{VpcId: aws.String("vpc-0123456789abcdef0"), InstanceTenancy: types.VpcTenancyDefault})
			return err
		}, "InvalidVpcID.NotFound", ""},
		{"dry run", func() error {
			_, err := f.c.ModifyVpcTenancy(f.ctx, &ec2.ModifyVpcTenancyInput{VpcId: vpc, InstanceTenancy: types.VpcTenancyDefault, DryRun: aws.Bool(true)})
			return err
		}, "DryRunOperation", ""},
	})
	if got := tenancy(); got != types.TenancyDedicated {
		t.Fatalf("a refused call changed the tenancy: %s", got)
	}
	mod, err := f.c.ModifyVpcTenancy(f.ctx, &ec2.ModifyVpcTenancyInput{VpcId: vpc, InstanceTenancy: types.VpcTenancyDefault})
	f.must(err)
	if !aws.ToBool(mod.ReturnValue) || tenancy() != types.TenancyDefault {
		t.Fatalf("tenancy after ModifyVpcTenancy: %v %s", aws.ToBool(mod.ReturnValue), tenancy())
	}
}
