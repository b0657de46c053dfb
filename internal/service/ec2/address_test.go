package ec2_test

import (
	"context"
	"net/netip"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// allocate takes an Elastic IP, tagged Name=name when name is set.
func allocate(t *testing.T, c *ec2.Client, name string) *ec2.AllocateAddressOutput {
	t.Helper()
	in := &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc}
	if name != "" {
		in.TagSpecifications = []types.TagSpecification{{ResourceType: types.ResourceTypeElasticIp,
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
	}
	out, err := c.AllocateAddress(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAddressLifecycle(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()

	a := allocate(t, c, "web")
	id, ip := aws.ToString(a.AllocationId), aws.ToString(a.PublicIp)
	if !strings.HasPrefix(id, "eipalloc-") || a.Domain != types.DomainTypeVpc || aws.ToString(a.NetworkBorderGroup) != "us-east-1" ||
		aws.ToString(a.PublicIpv4Pool) != "amazon" || !netip.MustParsePrefix("198.18.0.0/15").Contains(netip.MustParseAddr(ip)) {
		t.Fatalf("allocate answer: %+v", a)
	}

	for name, in := range map[string]*ec2.DescribeAddressesInput{
		"by allocation id": {AllocationIds: []string{id}},
		"by public ip":     {PublicIps: []string{ip}},
		"all":              {},
	} {
		d, err := c.DescribeAddresses(ctx, in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(d.Addresses) != 1 {
			t.Fatalf("%s: %d addresses", name, len(d.Addresses))
		}
		got := d.Addresses[0]
		if aws.ToString(got.AllocationId) != id || aws.ToString(got.PublicIp) != ip || got.Domain != types.DomainTypeVpc ||
			aws.ToString(got.NetworkBorderGroup) != "us-east-1" || aws.ToString(got.PublicIpv4Pool) != "amazon" ||
			got.AssociationId != nil || got.InstanceId != nil || got.NetworkInterfaceId != nil || got.PrivateIpAddress != nil ||
			len(got.Tags) != 1 || aws.ToString(got.Tags[0].Value) != "web" {
			t.Fatalf("%s: %+v", name, got)
		}
	}

	attr, err := c.DescribeAddressesAttribute(ctx, &ec2.DescribeAddressesAttributeInput{AllocationIds: []string{id}, Attribute: types.AddressAttributeNameDomainName})
	if err != nil {
		t.Fatal(err)
	}
	wantPTR := "ec2-" + strings.ReplaceAll(ip, ".", "-") + ".compute-1.amazonaws.com."
	if len(attr.Addresses) != 1 || aws.ToString(attr.Addresses[0].PtrRecord) != wantPTR ||
		aws.ToString(attr.Addresses[0].AllocationId) != id || aws.ToString(attr.Addresses[0].PublicIp) != ip {
		t.Fatalf("domain-name attribute: %+v, want PTR %s", attr.Addresses, wantPTR)
	}

	// Another account sees nothing of it.
	other := emulatortest.EC2(e, emulatortest.AccountB, "us-east-1")
	if _, err := other.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{id}}); apiCode(err) != "InvalidAllocationID.NotFound" {
		t.Fatalf("other account: %v", err)
	}
	if _, err := other.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: &id}); apiCode(err) != "InvalidAllocationID.NotFound" {
		t.Fatalf("other account release: %v", err)
	}

	if _, err := c.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: &id, NetworkBorderGroup: aws.String("us-east-1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{id}}); apiCode(err) != "InvalidAllocationID.NotFound" {
		t.Fatalf("after release: %v", err)
	}
	if _, err := c.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: &id}); apiCode(err) != "InvalidAllocationID.NotFound" {
		t.Fatalf("second release: %v", err)
	}
}

func TestAddressInOtherRegion(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "eu-west-1")
	a := allocate(t, c, "")
	if aws.ToString(a.NetworkBorderGroup) != "eu-west-1" {
		t.Fatalf("network border group %s", aws.ToString(a.NetworkBorderGroup))
	}
	attr, err := c.DescribeAddressesAttribute(context.Background(), &ec2.DescribeAddressesAttributeInput{AllocationIds: []string{aws.ToString(a.AllocationId)}, Attribute: types.AddressAttributeNameDomainName})
	if err != nil {
		t.Fatal(err)
	}
	want := "ec2-" + strings.ReplaceAll(aws.ToString(a.PublicIp), ".", "-") + ".eu-west-1.compute.amazonaws.com."
	if got := aws.ToString(attr.Addresses[0].PtrRecord); got != want {
		t.Fatalf("PTR %s, want %s", got, want)
	}
}

func TestAddressAttributePaging(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	var want []string
	for range 5 {
		want = append(want, aws.ToString(allocate(t, c, "").AllocationId))
	}
	sort.Strings(want)
	var got []string
	pages := 0
	p := ec2.NewDescribeAddressesAttributePaginator(c, &ec2.DescribeAddressesAttributeInput{Attribute: types.AddressAttributeNameDomainName, MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, a := range page.Addresses {
			got = append(got, aws.ToString(a.AllocationId))
		}
	}
	if pages != 3 || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("%d pages: %v, want %v", pages, got, want)
	}
}

func TestAddressFilters(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	subnet := defaultSubnet(t, c)

	// One address mapped to a NAT gateway's interface, one free.
	used := allocate(t, c, "nat")
	free := allocate(t, c, "spare")
	nat := createNAT(t, c, &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, AllocationId: used.AllocationId})
	gw := describeNAT(t, c, nat)
	primary := gw.NatGatewayAddresses[0]

	usedID, freeID := aws.ToString(used.AllocationId), aws.ToString(free.AllocationId)
	checkFilters(t, []filterCase{
		{"allocation-id", []string{freeID}, []string{freeID}},
		{"association-id", []string{aws.ToString(primary.AssociationId)}, []string{usedID}},
		{"domain", []string{"vpc"}, []string{usedID, freeID}},
		{"instance-id", []string{"i-00000000000000000"}, nil},
		{"network-border-group", []string{"us-east-1"}, []string{usedID, freeID}},
		{"network-interface-id", []string{aws.ToString(primary.NetworkInterfaceId)}, []string{usedID}},
		{"network-interface-owner-id", []string{emulatortest.AccountA}, []string{usedID}},
		{"private-ip-address", []string{aws.ToString(primary.PrivateIp)}, []string{usedID}},
		{"public-ip", []string{aws.ToString(free.PublicIp)}, []string{freeID}},
		{"public-ip", []string{"198.1*"}, []string{usedID, freeID}},
		{"tag:Name", []string{"spare"}, []string{freeID}},
		{"tag-key", []string{"Name"}, []string{usedID, freeID}},
		{"tag-value", []string{"nat"}, []string{usedID}},
	}, func(f types.Filter) ([]string, error) {
		d, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{Filters: []types.Filter{f}})
		if err != nil {
			return nil, err
		}
		var got []string
		for _, a := range d.Addresses {
			got = append(got, aws.ToString(a.AllocationId))
		}
		return got, nil
	})

	// The mapped address shows its mapping.
	d, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{usedID}})
	if err != nil {
		t.Fatal(err)
	}
	got := d.Addresses[0]
	if aws.ToString(got.AssociationId) != aws.ToString(primary.AssociationId) || aws.ToString(got.NetworkInterfaceId) != aws.ToString(primary.NetworkInterfaceId) ||
		aws.ToString(got.NetworkInterfaceOwnerId) != emulatortest.AccountA || aws.ToString(got.PrivateIpAddress) != aws.ToString(primary.PrivateIp) || got.InstanceId != nil {
		t.Fatalf("mapped address: %+v", got)
	}
}

func TestAddressRefusals(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	a := allocate(t, c, "")
	id := a.AllocationId
	missing := aws.String("eipalloc-00000000000000000")

	checkRefusals(t, []refusal{
		{"allocate from a BYOIP pool", func() error {
			_, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{PublicIpv4Pool: aws.String("ipv4pool-ec2-012345678")})
			return err
		}, "UnsupportedOperation", "BYOIP"},
		{"allocate a chosen address", func() error {
			_, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Address: aws.String("198.18.0.9")})
			return err
		}, "UnsupportedOperation", ""},
		{"allocate from a customer-owned pool", func() error {
			_, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{CustomerOwnedIpv4Pool: aws.String("ipv4pool-coip-0123")})
			return err
		}, "UnsupportedOperation", ""},
		{"allocate an EC2-Classic address", func() error {
			_, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeStandard})
			return err
		}, "InvalidParameterValue", "standard"},
		{"allocate in another border group", func() error {
			_, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{NetworkBorderGroup: aws.String("us-east-1-bos-1")})
			return err
		}, "InvalidParameterValue", "us-east-1-bos-1"},
		{"allocate with a foreign tag type", func() error {
			_, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeVpc,
				Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}}}})
			return err
		}, "InvalidParameterValue", "'vpc' is not a valid taggable resource type"},
		{"allocate dry run", func() error {
			_, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{DryRun: aws.Bool(true)})
			return err
		}, "DryRunOperation", ""},
		{"release by public IP", func() error {
			_, err := c.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{PublicIp: a.PublicIp})
			return err
		}, "InvalidParameterValue", "You must specify an allocation id when releasing a VPC elastic IP address"},
		{"release nothing", func() error {
			_, err := c.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{})
			return err
		}, "MissingParameter", ""},
		{"release unknown", func() error {
			_, err := c.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: missing})
			return err
		}, "InvalidAllocationID.NotFound", "The allocation ID 'eipalloc-00000000000000000' does not exist"},
		{"release in the wrong border group", func() error {
			_, err := c.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: id, NetworkBorderGroup: aws.String("us-west-2")})
			return err
		}, "InvalidAddress.NotFound", ""},
		{"describe unknown public IP", func() error {
			_, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{PublicIps: []string{"198.19.255.254"}})
			return err
		}, "InvalidAddress.NotFound", "Address '198.19.255.254' not found."},
		{"describe unknown allocation", func() error {
			_, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{*missing}})
			return err
		}, "InvalidAllocationID.NotFound", ""},
		{"describe with an unknown filter", func() error {
			_, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{"x"}}}})
			return err
		}, "InvalidParameterValue", "The filter 'vpc-id' is invalid"},
		{"attribute of unknown allocation", func() error {
			_, err := c.DescribeAddressesAttribute(ctx, &ec2.DescribeAddressesAttributeInput{AllocationIds: []string{*missing}, Attribute: types.AddressAttributeNameDomainName})
			return err
		}, "InvalidAllocationID.NotFound", ""},
		{"unknown attribute", func() error {
			_, err := c.DescribeAddressesAttribute(ctx, &ec2.DescribeAddressesAttributeInput{AllocationIds: []string{*id}, Attribute: "reverse"})
			return err
		}, "InvalidParameterValue", "reverse"},
		{"associate by public IP", func() error {
			_, err := c.AssociateAddress(ctx, &ec2.AssociateAddressInput{PublicIp: a.PublicIp, NetworkInterfaceId: aws.String("eni-00000000000000000")})
			return err
		}, "InvalidParameterCombination", "You must specify an allocation id when mapping an address to a VPC instance"},
		{"associate without a target", func() error {
			_, err := c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: id})
			return err
		}, "MissingParameter", ""},
		{"associate with two targets", func() error {
			_, err := c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: id, InstanceId: aws.String("i-00000000000000000"), NetworkInterfaceId: aws.String("eni-00000000000000000")})
			return err
		}, "InvalidParameterCombination", ""},
		{"associate unknown allocation", func() error {
			_, err := c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: missing, NetworkInterfaceId: aws.String("eni-00000000000000000")})
			return err
		}, "InvalidAllocationID.NotFound", ""},
		{"associate with unknown interface", func() error {
			_, err := c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: id, NetworkInterfaceId: aws.String("eni-00000000000000000")})
			return err
		}, "InvalidNetworkInterfaceID.NotFound", ""},
		{"associate with unknown instance", func() error {
			_, err := c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: id, InstanceId: aws.String("i-00000000000000000")})
			return err
		}, "InvalidInstanceID.NotFound", ""},
		{"disassociate unknown", func() error {
			_, err := c.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: aws.String("eipassoc-00000000000000000")})
			return err
		}, "InvalidAssociationID.NotFound", "The association ID 'eipassoc-00000000000000000' does not exist"},
		{"disassociate by public IP", func() error {
			_, err := c.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{PublicIp: a.PublicIp})
			return err
		}, "InvalidParameterValue", "You must specify an association id"},
		{"disassociate nothing", func() error {
			_, err := c.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{})
			return err
		}, "MissingParameter", ""},
	})

	// The dry run allocated nothing: only the first address exists.
	d, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
	if err != nil || len(d.Addresses) != 1 {
		t.Fatalf("addresses after refusals: %v %v", d, err)
	}
	// Amazon's own pool, named, is fine.
	if _, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{PublicIpv4Pool: aws.String("amazon"), NetworkBorderGroup: aws.String("us-east-1")}); err != nil {
		t.Fatal(err)
	}
}

// TestNATGatewayAddressIsManaged checks what AWS refuses on an Elastic IP a
// NAT gateway holds, and that deleting the gateway frees it.
func TestNATGatewayAddressIsManaged(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	subnet := defaultSubnet(t, c)
	a := allocate(t, c, "")
	nat := createNAT(t, c, &ec2.CreateNatGatewayInput{SubnetId: subnet.SubnetId, AllocationId: a.AllocationId})
	primary := describeNAT(t, c, nat).NatGatewayAddresses[0]

	for name, call := range map[string]func() error{
		"release": func() error {
			_, err := c.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: a.AllocationId})
			return err
		},
		"disassociate": func() error {
			_, err := c.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: primary.AssociationId})
			return err
		},
		"reassociate": func() error {
			_, err := c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: a.AllocationId, NetworkInterfaceId: primary.NetworkInterfaceId, AllowReassociation: aws.Bool(true)})
			return err
		},
		"associate another address to the gateway's interface": func() error {
			b := allocate(t, c, "")
			_, err := c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: b.AllocationId, NetworkInterfaceId: primary.NetworkInterfaceId})
			return err
		},
	} {
		if err := call(); apiCode(err) != "AuthFailure" || !strings.Contains(errMessage(err), "You do not have permission to access the specified resource.") {
			t.Errorf("%s: want AuthFailure, got %v", name, err)
		}
	}

	if _, err := c.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: &nat}); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{aws.ToString(a.AllocationId)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Addresses[0]; got.AssociationId != nil || got.NetworkInterfaceId != nil || got.PrivateIpAddress != nil {
		t.Fatalf("address still mapped after the gateway was deleted: %+v", got)
	}
	if _, err := c.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: primary.AssociationId}); apiCode(err) != "InvalidAssociationID.NotFound" {
		t.Fatalf("disassociate a gone association: %v", err)
	}
	if _, err := c.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: a.AllocationId}); err != nil {
		t.Fatal(err)
	}
}
