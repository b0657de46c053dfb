package e2e

import (
	"net/netip"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestTerraformDualStack: a dual-stack VPC with an IPv6-only subnet (DNS64,
// ipv6_native), assign_ipv6_address_on_creation, IPv6 routes to an internet
// and an egress-only gateway, IPv6 rules and interfaces with
// ipv6_address_count applies, shows no drift and destroys cleanly.
func TestTerraformDualStack(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, accountA, region)
	tf := newTerraform(t, "dual-stack", e.URL())
	tf.lifecycle(c, func() {
		var out struct {
			VPCBlock    string   `json:"vpc_ipv6_cidr_block"`
			SubnetBlock string   `json:"public_subnet_ipv6_cidr_block"`
			WebAddrs    []string `json:"web_ipv6_addresses"`
			IPv6OnlyENI string   `json:"ipv6_only_eni"`
			EndpointENI string   `json:"endpoint_eni"`
		}
		tf.outputs(&out)
		block := netip.MustParsePrefix(out.SubnetBlock)
		if !netip.MustParsePrefix(out.VPCBlock).Contains(block.Addr()) || block.Bits() != 64 || len(out.WebAddrs) != 2 {
			t.Fatalf("outputs: %+v", out)
		}
		for _, a := range out.WebAddrs {
			if !block.Contains(netip.MustParseAddr(a)) {
				t.Errorf("address %s outside %s", a, block)
			}
		}
		ctx := testContext(t, time.Minute)
		enis, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{out.IPv6OnlyENI, out.EndpointENI}})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range enis.NetworkInterfaces {
			switch id := aws.ToString(n.NetworkInterfaceId); {
			case id == out.IPv6OnlyENI && (n.PrivateIpAddress != nil || len(n.Ipv6Addresses) != 1 || !aws.ToBool(n.Ipv6Native)):
				t.Errorf("interface in the IPv6-only subnet: %+v", n)
			case id == out.EndpointENI && (n.PrivateIpAddress == nil || len(n.Ipv6Addresses) != 1):
				t.Errorf("dualstack endpoint's interface: %+v", n)
			}
		}
	})
}

// TestAWSCLIIPv6: the aws CLI's IPv6 subnet and address commands, and the
// refusal the issue reported (`--ipv6-native --cidr-block` used to create
// an IPv4 subnet).
func TestAWSCLIIPv6(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	cli := newAWSCLI(t, e.URL(), accountA)
	vpc := cli.ok(t, "ec2", "create-vpc", "--cidr-block", "10.44.0.0/16", "--amazon-provided-ipv6-cidr-block", "--query", "Vpc.VpcId", "--output", "text")
	block := cli.ok(t, "ec2", "describe-vpcs", "--vpc-ids", vpc, "--query", "Vpcs[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock", "--output", "text")
	slash64 := netip.PrefixFrom(netip.MustParsePrefix(block).Addr(), 64).String()

	cliError(t, cli, "InvalidParameterCombination", "CreateSubnet", "ec2", "create-subnet", "--vpc-id", vpc, "--ipv6-native",
		"--cidr-block", "10.44.1.0/24", "--ipv6-cidr-block", slash64)
	cliError(t, cli, "MissingParameter", "CreateSubnet", "ec2", "create-subnet", "--vpc-id", vpc, "--ipv6-native")
	subnet := cli.ok(t, "ec2", "create-subnet", "--vpc-id", vpc, "--ipv6-native", "--ipv6-cidr-block", slash64, "--query", "Subnet.SubnetId", "--output", "text")
	got := cli.ok(t, "ec2", "describe-subnets", "--subnet-ids", subnet, "--query",
		"Subnets[0].[Ipv6Native,AssignIpv6AddressOnCreation,AvailableIpAddressCount,Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock]", "--output", "text")
	if want := "True\tTrue\t0\t" + slash64; got != want {
		t.Errorf("IPv6-only subnet: %q, want %q", got, want)
	}
	cli.ok(t, "ec2", "modify-subnet-attribute", "--subnet-id", subnet, "--enable-dns64")

	eni := cli.ok(t, "ec2", "create-network-interface", "--subnet-id", subnet, "--query", "NetworkInterface.NetworkInterfaceId", "--output", "text")
	added := cli.ok(t, "ec2", "assign-ipv6-addresses", "--network-interface-id", eni, "--ipv6-address-count", "1", "--query", "AssignedIpv6Addresses[0]", "--output", "text")
	if n := cli.ok(t, "ec2", "describe-network-interfaces", "--filters", "Name=ipv6-addresses.ipv6-address,Values="+added,
		"--query", "length(NetworkInterfaces[].Ipv6Addresses[])", "--output", "text"); n != "2" {
		t.Errorf("interface after assign-ipv6-addresses has %s addresses", n)
	}
	cli.ok(t, "ec2", "unassign-ipv6-addresses", "--network-interface-id", eni, "--ipv6-addresses", added)
	cli.ok(t, "ec2", "delete-network-interface", "--network-interface-id", eni)
}
