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
		enis, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{out.IPv6OnlyENI}})
		if err != nil {
			t.Fatal(err)
		}
		if n := enis.NetworkInterfaces[0]; n.PrivateIpAddress != nil || len(n.Ipv6Addresses) != 1 || !aws.ToBool(n.Ipv6Native) {
			t.Errorf("interface in the IPv6-only subnet: %+v", n)
		}
	})
}
