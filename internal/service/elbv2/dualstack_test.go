package elbv2_test

import (
	"net/netip"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// TestDualstackLoadBalancer: a dualstack load balancer needs subnets with
// IPv6 blocks; its interfaces get an IPv6 address in each (a network load
// balancer's mapping may name it), and SetIpAddressType adds or takes them.
func TestDualstackLoadBalancer(t *testing.T) {
	f := newFixture(t)
	v6, err := f.ec2.AssociateVpcCidrBlock(f.ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: &f.vpc, AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	f.must(err)
	vpcBlock := netip.MustParsePrefix(aws.ToString(v6.Ipv6CidrBlockAssociation.Ipv6CidrBlock))
	blocks := make([]netip.Prefix, 3)
	for i := range blocks {
		b := vpcBlock.Addr().As16()
		b[7] = byte(i + 1)
		blocks[i] = netip.PrefixFrom(netip.AddrFrom16(b), 64)
	}
	for i := range 2 {
		_, err := f.ec2.AssociateSubnetCidrBlock(f.ctx, &ec2.AssociateSubnetCidrBlockInput{SubnetId: &f.subnets[i], Ipv6CidrBlock: aws.String(blocks[i].String())})
		f.must(err)
	}
	only, err := f.ec2.CreateSubnet(f.ctx, &ec2.CreateSubnetInput{VpcId: &f.vpc, Ipv6Native: aws.Bool(true),
		Ipv6CidrBlock: aws.String(blocks[2].String()), AvailabilityZone: aws.String("us-east-1c")})
	f.must(err)
	pinned := netip.MustParsePrefix(blocks[0].String()).Addr().Next().Next().Next().Next().Next().Next().String() // ::6

	checkRefusals(t, []refusal{
		{"IPv6 address on an ipv4 load balancer", func() error {
			_, err := f.lb.CreateLoadBalancer(f.ctx, &elb.CreateLoadBalancerInput{Name: aws.String("v4"), Type: types.LoadBalancerTypeEnumNetwork,
				Scheme: types.LoadBalancerSchemeEnumInternal, SubnetMappings: []types.SubnetMapping{{SubnetId: &f.subnets[0], IPv6Address: &pinned}}})
			return err
		}, "InvalidConfigurationRequest", "ipv4"},
		{"an IPv6-only subnet", func() error {
			_, err := f.lb.CreateLoadBalancer(f.ctx, &elb.CreateLoadBalancerInput{Name: aws.String("v6only"), Type: types.LoadBalancerTypeEnumNetwork,
				Scheme: types.LoadBalancerSchemeEnumInternal, IpAddressType: types.IpAddressTypeDualstack, Subnets: []string{aws.ToString(only.Subnet.SubnetId)}})
			return err
		}, "InvalidSubnet", "IPv4"},
	})

	nlb := f.createLB(&elb.CreateLoadBalancerInput{Name: aws.String("dual"), Type: types.LoadBalancerTypeEnumNetwork,
		Scheme: types.LoadBalancerSchemeEnumInternal, IpAddressType: types.IpAddressTypeDualstack,
		SubnetMappings: []types.SubnetMapping{{SubnetId: &f.subnets[0], IPv6Address: &pinned}, {SubnetId: &f.subnets[1]}}})
	if nlb.IpAddressType != types.IpAddressTypeDualstack {
		t.Fatalf("address type %s", nlb.IpAddressType)
	}
	var mapped string
	for _, z := range nlb.AvailabilityZones {
		for _, a := range z.LoadBalancerAddresses {
			mapped += aws.ToString(a.IPv6Address)
		}
	}
	if mapped != pinned {
		t.Errorf("mapped IPv6 addresses %q, want %q", mapped, pinned)
	}
	arn := aws.ToString(nlb.LoadBalancerArn)
	for _, e := range f.interfaces(arn) {
		if len(e.Ipv6Addresses) != 1 {
			t.Errorf("interface %s: %+v", aws.ToString(e.NetworkInterfaceId), e.Ipv6Addresses)
		}
	}
	// The load balancer's interfaces are its own: users cannot change
	// their addresses.
	lbENI := f.interfaces(arn)[0]
	_, err = f.ec2.AssignIpv6Addresses(f.ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: lbENI.NetworkInterfaceId, Ipv6AddressCount: aws.Int32(1)})
	f.wantErr(err, "AuthFailure", "")
	_, err = f.ec2.UnassignIpv6Addresses(f.ctx, &ec2.UnassignIpv6AddressesInput{NetworkInterfaceId: lbENI.NetworkInterfaceId, Ipv6Addresses: []string{aws.ToString(lbENI.Ipv6Addresses[0].Ipv6Address)}})
	f.wantErr(err, "AuthFailure", "")

	// An ipv4 load balancer becomes dualstack and back.
	alb := f.createLB(&elb.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: f.subnets[:2]})
	albARN := aws.ToString(alb.LoadBalancerArn)
	for _, step := range []struct {
		typ  types.IpAddressType
		want int
	}{{types.IpAddressTypeDualstack, 1}, {types.IpAddressTypeIpv4, 0}} {
		out, err := f.lb.SetIpAddressType(f.ctx, &elb.SetIpAddressTypeInput{LoadBalancerArn: &albARN, IpAddressType: step.typ})
		f.must(err)
		if out.IpAddressType != step.typ {
			t.Errorf("address type %s, want %s", out.IpAddressType, step.typ)
		}
		for _, e := range f.interfaces(albARN) {
			if len(e.Ipv6Addresses) != step.want {
				t.Errorf("%s: interface %s has %d IPv6 addresses", step.typ, aws.ToString(e.NetworkInterfaceId), len(e.Ipv6Addresses))
			}
		}
	}
}
