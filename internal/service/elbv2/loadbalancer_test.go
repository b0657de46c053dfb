package elbv2_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

var (
	nlbARN = regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/my-nlb/[0-9a-f]{16}$`)
	albDNS = regexp.MustCompile(`^internal-my-alb-\d+\.us-east-1\.elb\.amazonaws\.com$`)
)

func TestCreateNetworkLoadBalancer(t *testing.T) {
	f := newFixture(t)
	lb := f.nlb("my-nlb")
	arn := aws.ToString(lb.LoadBalancerArn)
	id := arn[len(arn)-16:]
	if !nlbARN.MatchString(arn) || aws.ToString(lb.DNSName) != "my-nlb-"+id+".elb.us-east-1.amazonaws.com" ||
		aws.ToString(lb.CanonicalHostedZoneId) != "Z26RNL4JYFTOTI" || lb.State.Code != types.LoadBalancerStateEnumProvisioning ||
		lb.Scheme != types.LoadBalancerSchemeEnumInternal || lb.IpAddressType != types.IpAddressTypeIpv4 ||
		aws.ToString(lb.VpcId) != f.vpc || len(lb.SecurityGroups) != 0 || lb.CreatedTime == nil {
		t.Fatalf("create answer: %+v", lb)
	}
	if len(lb.AvailabilityZones) != 2 || aws.ToString(lb.AvailabilityZones[0].ZoneName) != "us-east-1a" || len(lb.AvailabilityZones[0].LoadBalancerAddresses) != 0 {
		t.Errorf("zones: %+v", lb.AvailabilityZones)
	}
	d, err := f.lb.DescribeLoadBalancers(f.ctx, &elb.DescribeLoadBalancersInput{Names: []string{"my-nlb"}})
	f.must(err)
	if len(d.LoadBalancers) != 1 || d.LoadBalancers[0].State.Code != types.LoadBalancerStateEnumActive {
		t.Errorf("describe: %+v", d.LoadBalancers)
	}
	enis := f.interfaces(arn)
	if len(enis) != 2 {
		t.Fatalf("want 2 interfaces, have %d", len(enis))
	}
	for _, e := range enis {
		if e.InterfaceType != "network_load_balancer" || aws.ToString(e.RequesterId) != "amazon-elb" || !aws.ToBool(e.RequesterManaged) ||
			aws.ToString(e.Attachment.InstanceOwnerId) != "amazon-aws" || e.Status != "in-use" || len(e.Groups) != 0 || e.Association != nil {
			t.Errorf("interface %+v", e)
		}
	}
	a, err := f.lb.DescribeLoadBalancerAttributes(f.ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: &arn})
	f.must(err)
	sameMap(t, "NLB attributes", lbAttrMap(a.Attributes), map[string]string{
		"deletion_protection.enabled": "false", "load_balancing.cross_zone.enabled": "false",
		"access_logs.s3.enabled": "false", "access_logs.s3.bucket": "", "access_logs.s3.prefix": "",
		"ipv6.deny_all_igw_traffic": "true", "dns_record.client_routing_policy": "any_availability_zone",
		"zonal_shift.config.enabled": "false", "secondary_ips.auto_assigned.per_subnet": "0",
	})
	// The interfaces are the service's: users cannot delete them.
	_, err = f.ec2.DeleteNetworkInterface(f.ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: enis[0].NetworkInterfaceId})
	f.wantErr(err, "InvalidParameterValue", "in use")
}

func TestCreateGatewayAndApplicationLoadBalancers(t *testing.T) {
	f := newFixture(t)
	gw := f.gwlb("my-gwlb")
	if gw.DNSName != nil || gw.CanonicalHostedZoneId != nil || gw.Scheme != "" || gw.Type != types.LoadBalancerTypeEnumGateway ||
		!strings.Contains(aws.ToString(gw.LoadBalancerArn), ":loadbalancer/gwy/my-gwlb/") {
		t.Errorf("gateway: %+v", gw)
	}
	if e := f.interfaces(aws.ToString(gw.LoadBalancerArn)); len(e) != 1 || e[0].InterfaceType != "gateway_load_balancer" {
		t.Errorf("gateway interfaces: %+v", e)
	}
	a, err := f.lb.DescribeLoadBalancerAttributes(f.ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: gw.LoadBalancerArn})
	f.must(err)
	sameMap(t, "GWLB attributes", lbAttrMap(a.Attributes), map[string]string{"deletion_protection.enabled": "false", "load_balancing.cross_zone.enabled": "false"})

	alb := f.createLB(&elb.CreateLoadBalancerInput{Name: aws.String("my-alb"), Scheme: types.LoadBalancerSchemeEnumInternal, Subnets: f.subnets[:2]})
	defaultGroup, err := f.ec2.DescribeSecurityGroups(f.ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{f.vpc}}, {Name: aws.String("group-name"), Values: []string{"default"}}}})
	f.must(err)
	if alb.Type != types.LoadBalancerTypeEnumApplication || !albDNS.MatchString(aws.ToString(alb.DNSName)) ||
		aws.ToString(alb.CanonicalHostedZoneId) != "Z35SXDOTRQ7X7K" || len(alb.SecurityGroups) != 1 ||
		alb.SecurityGroups[0] != aws.ToString(defaultGroup.SecurityGroups[0].GroupId) {
		t.Errorf("application: %+v", alb)
	}
	for _, e := range f.interfaces(aws.ToString(alb.LoadBalancerArn)) {
		if e.InterfaceType != "interface" || aws.ToString(e.Attachment.InstanceOwnerId) != "amazon-elb" || len(e.Groups) != 1 {
			t.Errorf("ALB interface %+v", e)
		}
	}
	a, err = f.lb.DescribeLoadBalancerAttributes(f.ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: alb.LoadBalancerArn})
	f.must(err)
	if m := lbAttrMap(a.Attributes); len(m) != 23 || m["load_balancing.cross_zone.enabled"] != "true" || m["routing.http2.enabled"] != "true" || m["idle_timeout.timeout_seconds"] != "60" {
		t.Errorf("ALB attributes: %v", m)
	}
}

func TestInternetFacingLoadBalancerAddresses(t *testing.T) {
	f := newFixture(t)
	eip, err := f.ec2.AllocateAddress(f.ctx, &ec2.AllocateAddressInput{})
	f.must(err)
	lb := f.createLB(&elb.CreateLoadBalancerInput{Name: aws.String("public"), Type: types.LoadBalancerTypeEnumNetwork, SubnetMappings: []types.SubnetMapping{
		{SubnetId: &f.subnets[0], AllocationId: eip.AllocationId}, {SubnetId: &f.subnets[1]},
	}})
	z := lb.AvailabilityZones
	if lb.Scheme != types.LoadBalancerSchemeEnumInternetFacing || len(z[0].LoadBalancerAddresses) != 1 ||
		aws.ToString(z[0].LoadBalancerAddresses[0].IpAddress) != aws.ToString(eip.PublicIp) || len(z[1].LoadBalancerAddresses) != 0 {
		t.Fatalf("zones: %+v", z)
	}
	for _, e := range f.interfaces(aws.ToString(lb.LoadBalancerArn)) {
		if e.Association == nil || aws.ToString(e.Association.PublicIp) == "" {
			t.Errorf("interface %s has no public address", aws.ToString(e.NetworkInterfaceId))
		}
	}
	pinned := f.createLB(&elb.CreateLoadBalancerInput{Name: aws.String("pinned"), Type: types.LoadBalancerTypeEnumNetwork,
		Scheme: types.LoadBalancerSchemeEnumInternal, SubnetMappings: []types.SubnetMapping{{SubnetId: &f.subnets[2], PrivateIPv4Address: aws.String("10.0.2.50")}}})
	if a := pinned.AvailabilityZones[0].LoadBalancerAddresses; len(a) != 1 || aws.ToString(a[0].PrivateIPv4Address) != "10.0.2.50" {
		t.Errorf("pinned: %+v", a)
	}
	// Deleting the load balancer gives the Elastic IP back, unassociated.
	_, err = f.lb.DeleteLoadBalancer(f.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn})
	f.must(err)
	addrs, err := f.ec2.DescribeAddresses(f.ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{aws.ToString(eip.AllocationId)}})
	f.must(err)
	if addrs.Addresses[0].AssociationId != nil {
		t.Errorf("Elastic IP still associated: %+v", addrs.Addresses[0])
	}
}

func TestCreateLoadBalancerIsIdempotent(t *testing.T) {
	f := newFixture(t)
	first := f.nlb("again")
	second := f.nlb("again")
	if aws.ToString(first.LoadBalancerArn) != aws.ToString(second.LoadBalancerArn) {
		t.Fatalf("a repeat made another load balancer: %s, %s", aws.ToString(first.LoadBalancerArn), aws.ToString(second.LoadBalancerArn))
	}
	_, err := f.lb.CreateLoadBalancer(f.ctx, &elb.CreateLoadBalancerInput{Name: aws.String("again"), Type: types.LoadBalancerTypeEnumNetwork,
		Scheme: types.LoadBalancerSchemeEnumInternal, Subnets: f.subnets[:1]})
	f.wantErr(err, "DuplicateLoadBalancerName", "A load balancer with the same name 'again' exists, but with different settings")
}

func TestCreateLoadBalancerRefusals(t *testing.T) {
	f := newFixture(t)
	noIGW := f.newVPC("10.1.0.0/16", false)
	noIGWSubnet := f.newSubnet(noIGW, "10.1.0.0/24", "us-east-1a")
	otherSG, err := f.ec2.CreateSecurityGroup(f.ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("other"), Description: aws.String("x"), VpcId: &noIGW})
	f.must(err)
	sameZone := f.newSubnet(f.vpc, "10.0.10.0/24", "us-east-1a")
	create := func(name string, typ types.LoadBalancerTypeEnum, subnets []string, mod func(*elb.CreateLoadBalancerInput)) func() error {
		return func() error {
			in := &elb.CreateLoadBalancerInput{Name: &name, Type: typ, Subnets: subnets}
			if mod != nil {
				mod(in)
			}
			_, err := f.lb.CreateLoadBalancer(f.ctx, in)
			return err
		}
	}
	net := types.LoadBalancerTypeEnumNetwork
	checkRefusals(t, []refusal{
		{"name too long", create(strings.Repeat("a", 33), net, f.subnets[:1], nil), "ValidationError", "cannot be longer than '32' characters"},
		{"name characters", create("a_b", net, f.subnets[:1], nil), "ValidationError", "alphanumeric"},
		{"name hyphen", create("-ab", net, f.subnets[:1], nil), "ValidationError", "hyphen"},
		{"name internal-", create("internal-x", net, f.subnets[:1], nil), "ValidationError", "cannot begin with 'internal-'"},
		{"bad type", create("x", "classic", f.subnets[:1], nil), "ValidationError", "Member must satisfy enum value set: [application, network, gateway]"},
		{"no subnets", create("x", net, nil, nil), "ValidationError", "At least one subnet must be specified"},
		{"subnets and mappings", create("x", net, f.subnets[:1], func(in *elb.CreateLoadBalancerInput) {
			in.SubnetMappings = []types.SubnetMapping{{SubnetId: &f.subnets[1]}}
		}), "ValidationError", "not both"},
		{"unknown subnet", create("x", net, []string{"subnet-0123456789abcdef0"}, nil), "SubnetNotFound", "subnet-0123456789abcdef0"},
		{"same zone", create("x", net, []string{f.subnets[0], sameZone}, nil), "InvalidConfigurationRequest", "A load balancer cannot be attached to multiple subnets in the same Availability Zone"},
		{"two VPCs", create("x", net, []string{f.subnets[1], noIGWSubnet}, nil), "InvalidConfigurationRequest", "same VPC"},
		{"ALB in one zone", create("x", types.LoadBalancerTypeEnumApplication, f.subnets[:1], nil), "ValidationError", "At least two subnets in two different Availability Zones must be specified"},
		{"internet-facing without IGW", create("x", net, []string{noIGWSubnet}, nil), "InvalidSubnet", "VPC " + noIGW + " has no internet gateway"},
		{"gateway with groups", create("x", types.LoadBalancerTypeEnumGateway, f.subnets[:1], func(in *elb.CreateLoadBalancerInput) {
			in.SecurityGroups = []string{aws.ToString(otherSG.GroupId)}
		}), "ValidationError", "type 'gateway'"},
		{"gateway with scheme", create("x", types.LoadBalancerTypeEnumGateway, f.subnets[:1], func(in *elb.CreateLoadBalancerInput) {
			in.Scheme = types.LoadBalancerSchemeEnumInternal
		}), "ValidationError", "scheme"},
		{"group of another VPC", create("x", net, f.subnets[:1], func(in *elb.CreateLoadBalancerInput) {
			in.SecurityGroups = []string{aws.ToString(otherSG.GroupId)}
		}), "InvalidConfigurationRequest", "Security group '" + aws.ToString(otherSG.GroupId) + "' does not belong to VPC '" + f.vpc + "'"},
		{"unknown group", create("x", net, f.subnets[:1], func(in *elb.CreateLoadBalancerInput) {
			in.SecurityGroups = []string{"sg-0123456789abcdef0"}
		}), "InvalidSecurityGroup", "sg-0123456789abcdef0"},
		{"Elastic IP on an ALB", create("x", types.LoadBalancerTypeEnumApplication, nil, func(in *elb.CreateLoadBalancerInput) {
			in.SubnetMappings = []types.SubnetMapping{{SubnetId: &f.subnets[0], AllocationId: aws.String("eipalloc-0123456789abcdef0")}, {SubnetId: &f.subnets[1]}}
		}), "ValidationError", "Network Load Balancers"},
		{"unknown Elastic IP", create("x", net, nil, func(in *elb.CreateLoadBalancerInput) {
			in.SubnetMappings = []types.SubnetMapping{{SubnetId: &f.subnets[0], AllocationId: aws.String("eipalloc-0123456789abcdef0")}}
		}), "AllocationIdNotFound", "eipalloc-0123456789abcdef0"},
		{"private address outside the subnet", create("x", net, nil, func(in *elb.CreateLoadBalancerInput) {
			in.Scheme = types.LoadBalancerSchemeEnumInternal
			in.SubnetMappings = []types.SubnetMapping{{SubnetId: &f.subnets[0], PrivateIPv4Address: aws.String("10.0.9.9")}}
		}), "InvalidConfigurationRequest", "10.0.9.9"},
		{"dualstack without IPv6", create("x", net, f.subnets[:1], func(in *elb.CreateLoadBalancerInput) {
			in.IpAddressType = types.IpAddressTypeDualstack
		}), "InvalidSubnet", "IPv6"},
	})
}

func TestDescribeLoadBalancers(t *testing.T) {
	f := newFixture(t)
	var arns []string
	for i := range 3 {
		arns = append(arns, aws.ToString(f.nlb(fmt.Sprintf("lb-%d", i)).LoadBalancerArn))
	}
	// Paging.
	var seen []string
	in := &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(2)}
	for pages := 0; ; pages++ {
		out, err := f.lb.DescribeLoadBalancers(f.ctx, in)
		f.must(err)
		for _, lb := range out.LoadBalancers {
			seen = append(seen, aws.ToString(lb.LoadBalancerArn))
		}
		if out.NextMarker == nil {
			if pages != 1 {
				t.Errorf("want 2 pages, got %d", pages+1)
			}
			break
		}
		in.Marker = out.NextMarker
	}
	if len(seen) != 3 {
		t.Errorf("paged through %v", seen)
	}
	out, err := f.lb.DescribeLoadBalancers(f.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: arns[1:2]})
	f.must(err)
	if len(out.LoadBalancers) != 1 || aws.ToString(out.LoadBalancers[0].LoadBalancerName) != "lb-1" {
		t.Errorf("by ARN: %+v", out.LoadBalancers)
	}
	other := emulatortest.ELBv2(f.em, emulatortest.AccountB, "us-east-1")
	missing := strings.Replace(arns[0], "/lb-0/", "/lb-9/", 1)
	checkRefusals(t, []refusal{
		{"unknown names", func() error {
			_, err := f.lb.DescribeLoadBalancers(f.ctx, &elb.DescribeLoadBalancersInput{Names: []string{"lb-0", "nope", "gone"}})
			return err
		}, "LoadBalancerNotFound", "Load balancers '[gone, nope]' not found"},
		{"unknown ARN", func() error {
			_, err := f.lb.DescribeLoadBalancers(f.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{missing}})
			return err
		}, "LoadBalancerNotFound", "One or more load balancers not found"},
		{"another account's", func() error {
			_, err := other.DescribeLoadBalancers(f.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: arns[:1]})
			return err
		}, "LoadBalancerNotFound", ""},
		{"malformed ARN", func() error {
			_, err := f.lb.DescribeLoadBalancers(f.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{"lb-0"}})
			return err
		}, "ValidationError", "'lb-0' is not a valid load balancer ARN"},
		{"names and ARNs", func() error {
			_, err := f.lb.DescribeLoadBalancers(f.ctx, &elb.DescribeLoadBalancersInput{Names: []string{"lb-0"}, LoadBalancerArns: arns[:1]})
			return err
		}, "ValidationError", "at the same time"},
		{"page size", func() error {
			_, err := f.lb.DescribeLoadBalancers(f.ctx, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(401)})
			return err
		}, "ValidationError", "pageSize"},
	})
}

func TestLoadBalancerAttributes(t *testing.T) {
	f := newFixture(t)
	arn := f.nlb("attrs").LoadBalancerArn
	modify := func(typ *string, kv ...string) func() error {
		return func() error {
			in := &elb.ModifyLoadBalancerAttributesInput{LoadBalancerArn: typ}
			for i := 0; i < len(kv); i += 2 {
				in.Attributes = append(in.Attributes, types.LoadBalancerAttribute{Key: &kv[i], Value: &kv[i+1]})
			}
			_, err := f.lb.ModifyLoadBalancerAttributes(f.ctx, in)
			return err
		}
	}
	out, err := f.lb.ModifyLoadBalancerAttributes(f.ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerArn: arn, Attributes: []types.LoadBalancerAttribute{
		{Key: aws.String("load_balancing.cross_zone.enabled"), Value: aws.String("true")},
		{Key: aws.String("dns_record.client_routing_policy"), Value: aws.String("availability_zone_affinity")},
	}})
	f.must(err)
	if m := lbAttrMap(out.Attributes); len(m) != 9 || m["load_balancing.cross_zone.enabled"] != "true" || m["dns_record.client_routing_policy"] != "availability_zone_affinity" {
		t.Errorf("modified: %v", m)
	}
	checkRefusals(t, []refusal{
		{"unknown key", modify(arn, "nope.enabled", "true"), "ValidationError", "Load balancer attribute key 'nope.enabled' is not recognized"},
		{"key of another type", modify(arn, "routing.http2.enabled", "true"), "InvalidConfigurationRequest", "Load balancer attribute key 'routing.http2.enabled' is not supported on load balancers with type 'network'"},
		{"bad value", modify(arn, "deletion_protection.enabled", "yes"), "ValidationError", "deletion_protection.enabled"},
		{"bad policy", modify(arn, "dns_record.client_routing_policy", "nearest"), "ValidationError", "dns_record.client_routing_policy"},
		{"logs without bucket", modify(arn, "access_logs.s3.enabled", "true"), "ValidationError", "bucket"},
		{"secondary IPs down", func() error {
			if err := modify(arn, "secondary_ips.auto_assigned.per_subnet", "3")(); err != nil {
				return err
			}
			return modify(arn, "secondary_ips.auto_assigned.per_subnet", "2")()
		}, "InvalidConfigurationRequest", "cannot be decreased"},
		{"unknown load balancer", modify(aws.String(strings.Replace(aws.ToString(arn), "/attrs/", "/other/", 1)), "deletion_protection.enabled", "true"), "LoadBalancerNotFound", ""},
	})
	// Deletion protection keeps the load balancer.
	f.must(modify(arn, "deletion_protection.enabled", "true")())
	_, err = f.lb.DeleteLoadBalancer(f.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: arn})
	f.wantErr(err, "OperationNotPermitted", "Load balancer '"+aws.ToString(arn)+"' cannot be deleted because deletion protection is enabled")
	f.must(modify(arn, "deletion_protection.enabled", "false")())
	_, err = f.lb.DeleteLoadBalancer(f.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: arn})
	f.must(err)
	// Deleting it again succeeds, as on AWS.
	_, err = f.lb.DeleteLoadBalancer(f.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: arn})
	f.must(err)
	_, err = f.lb.DescribeCapacityReservation(f.ctx, &elb.DescribeCapacityReservationInput{LoadBalancerArn: arn})
	f.wantErr(err, "LoadBalancerNotFound", "")
}

func TestDeleteLoadBalancerFreesItsResources(t *testing.T) {
	f := newFixture(t)
	before := freeAddresses(f, f.subnets[0])
	lb := f.nlb("gone")
	tg := f.targetGroup("gone-tg", types.ProtocolEnumTcp, 80, types.TargetTypeEnumIp)
	f.forward(lb.LoadBalancerArn, types.ProtocolEnumTcp, 80, tg.TargetGroupArn)
	if freeAddresses(f, f.subnets[0]) != before-1 {
		t.Fatalf("the interface took no address")
	}
	_, err := f.lb.DeleteLoadBalancer(f.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn})
	f.must(err)
	if n := len(f.interfaces(aws.ToString(lb.LoadBalancerArn))); n != 0 || freeAddresses(f, f.subnets[0]) != before {
		t.Errorf("%d interfaces left; %d free addresses, want %d", n, freeAddresses(f, f.subnets[0]), before)
	}
	l, err := f.lb.DescribeTargetGroups(f.ctx, &elb.DescribeTargetGroupsInput{TargetGroupArns: []string{aws.ToString(tg.TargetGroupArn)}})
	f.must(err)
	if len(l.TargetGroups[0].LoadBalancerArns) != 0 {
		t.Errorf("target group still used by %v", l.TargetGroups[0].LoadBalancerArns)
	}
	// The listener went with it, so the group can go.
	_, err = f.lb.DeleteTargetGroup(f.ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: tg.TargetGroupArn})
	f.must(err)
	// The subnet is free again.
	_, err = f.ec2.DeleteSubnet(f.ctx, &ec2.DeleteSubnetInput{SubnetId: &f.subnets[0]})
	f.must(err)
}

func freeAddresses(f *fixture, subnet string) int32 {
	f.t.Helper()
	d, err := f.ec2.DescribeSubnets(f.ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{subnet}})
	f.must(err)
	return aws.ToInt32(d.Subnets[0].AvailableIpAddressCount)
}

func TestSetSubnetsGroupsAndAddressType(t *testing.T) {
	f := newFixture(t)
	nlb := f.nlb("set")
	added, err := f.lb.SetSubnets(f.ctx, &elb.SetSubnetsInput{LoadBalancerArn: nlb.LoadBalancerArn, Subnets: f.subnets})
	f.must(err)
	if len(added.AvailabilityZones) != 3 || len(f.interfaces(aws.ToString(nlb.LoadBalancerArn))) != 3 {
		t.Errorf("after adding a subnet: %+v", added.AvailabilityZones)
	}
	group, err := f.ec2.CreateSecurityGroup(f.ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("alb"), Description: aws.String("x"), VpcId: &f.vpc})
	f.must(err)
	alb := f.createLB(&elb.CreateLoadBalancerInput{Name: aws.String("alb"), Subnets: f.subnets})
	moved, err := f.lb.SetSubnets(f.ctx, &elb.SetSubnetsInput{LoadBalancerArn: alb.LoadBalancerArn, Subnets: f.subnets[1:]})
	f.must(err)
	if len(moved.AvailabilityZones) != 2 || len(f.interfaces(aws.ToString(alb.LoadBalancerArn))) != 2 {
		t.Errorf("after removing a subnet: %+v", moved.AvailabilityZones)
	}
	groups, err := f.lb.SetSecurityGroups(f.ctx, &elb.SetSecurityGroupsInput{LoadBalancerArn: alb.LoadBalancerArn, SecurityGroups: []string{aws.ToString(group.GroupId)}})
	f.must(err)
	if len(groups.SecurityGroupIds) != 1 || groups.SecurityGroupIds[0] != aws.ToString(group.GroupId) {
		t.Errorf("groups: %v", groups.SecurityGroupIds)
	}
	for _, e := range f.interfaces(aws.ToString(alb.LoadBalancerArn)) {
		if len(e.Groups) != 1 || aws.ToString(e.Groups[0].GroupId) != aws.ToString(group.GroupId) {
			t.Errorf("interface groups: %+v", e.Groups)
		}
	}
	otherVPC := f.newVPC("10.8.0.0/16", false)
	elsewhere, err := f.ec2.CreateSecurityGroup(f.ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("elsewhere"), Description: aws.String("x"), VpcId: &otherVPC})
	f.must(err)
	checkRefusals(t, []refusal{
		{"group of another VPC", func() error {
			_, err := f.lb.SetSecurityGroups(f.ctx, &elb.SetSecurityGroupsInput{LoadBalancerArn: alb.LoadBalancerArn, SecurityGroups: []string{aws.ToString(elsewhere.GroupId)}})
			return err
		}, "InvalidConfigurationRequest", "Security group '" + aws.ToString(elsewhere.GroupId) + "' does not belong to VPC '" + f.vpc + "'"},
		{"remove a subnet of an NLB", func() error {
			_, err := f.lb.SetSubnets(f.ctx, &elb.SetSubnetsInput{LoadBalancerArn: nlb.LoadBalancerArn, Subnets: f.subnets[:1]})
			return err
		}, "ValidationError", "cannot be removed"},
		{"groups on an NLB created without", func() error {
			_, err := f.lb.SetSecurityGroups(f.ctx, &elb.SetSecurityGroupsInput{LoadBalancerArn: nlb.LoadBalancerArn, SecurityGroups: []string{aws.ToString(group.GroupId)}})
			return err
		}, "InvalidConfigurationRequest", "created without security groups"},
		{"dualstack without IPv6", func() error {
			_, err := f.lb.SetIpAddressType(f.ctx, &elb.SetIpAddressTypeInput{LoadBalancerArn: nlb.LoadBalancerArn, IpAddressType: types.IpAddressTypeDualstack})
			return err
		}, "InvalidSubnet", "IPv6"},
		{"dualstack-without-public-ipv4 on an NLB", func() error {
			_, err := f.lb.SetIpAddressType(f.ctx, &elb.SetIpAddressTypeInput{LoadBalancerArn: nlb.LoadBalancerArn, IpAddressType: types.IpAddressTypeDualstackWithoutPublicIpv4})
			return err
		}, "ValidationError", "Application Load Balancers"},
	})
	// The refusals changed nothing.
	d, err := f.lb.DescribeLoadBalancers(f.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{aws.ToString(alb.LoadBalancerArn)}})
	f.must(err)
	if sg := d.LoadBalancers[0].SecurityGroups; len(sg) != 1 || sg[0] != aws.ToString(group.GroupId) {
		t.Errorf("groups after the refusals: %v", sg)
	}
	ip, err := f.lb.SetIpAddressType(f.ctx, &elb.SetIpAddressTypeInput{LoadBalancerArn: nlb.LoadBalancerArn, IpAddressType: types.IpAddressTypeIpv4})
	f.must(err)
	if ip.IpAddressType != types.IpAddressTypeIpv4 {
		t.Errorf("address type %s", ip.IpAddressType)
	}
}
