package ec2_test

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// plFixture is a PrivateLink provider, account A in us-east-1, with a VPC
// (IPv6 too) and a subnet in each of us-east-1a, -1b and -1c, and clients
// of the consumer accounts B and C.
type plFixture struct {
	fixture
	lb      *elb.Client
	b, cc   *ec2.Client
	subnets []string
}

func newPLFixture(t *testing.T) plFixture {
	f := plFixture{fixture: newFixture(t)}
	f.lb = emulatortest.ELBv2(f.em, accountA, "us-east-1")
	f.b, f.cc = f.as(accountB), f.as(accountC)
	vpc, err := f.c.CreateVpc(f.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	f.must(err)
	block := netip.MustParsePrefix(aws.ToString(vpc.Vpc.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock))
	for i, zone := range []string{"us-east-1a", "us-east-1b", "us-east-1c"} {
		addr := block.Addr().As16()
		addr[7] += byte(i)
		s, err := f.c.CreateSubnet(f.ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, AvailabilityZone: aws.String(zone),
			CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i)), Ipv6CidrBlock: aws.String(netip.PrefixFrom(netip.AddrFrom16(addr), 64).String())})
		f.must(err)
		f.subnets = append(f.subnets, aws.ToString(s.Subnet.SubnetId))
	}
	return f
}

// loadBalancer creates an internal load balancer of typ (gateway load
// balancers have no scheme) in subnets and returns its ARN.
func (f plFixture) loadBalancer(name string, typ elbtypes.LoadBalancerTypeEnum, ipType elbtypes.IpAddressType, subnets ...string) string {
	f.t.Helper()
	in := &elb.CreateLoadBalancerInput{Name: &name, Type: typ, Subnets: subnets, IpAddressType: ipType}
	if typ != elbtypes.LoadBalancerTypeEnumGateway {
		in.Scheme = elbtypes.LoadBalancerSchemeEnumInternal
	}
	out, err := f.lb.CreateLoadBalancer(f.ctx, in)
	f.must(err)
	return aws.ToString(out.LoadBalancers[0].LoadBalancerArn)
}

func (f plFixture) nlb(name string, subnets ...string) string {
	return f.loadBalancer(name, elbtypes.LoadBalancerTypeEnumNetwork, elbtypes.IpAddressTypeIpv4, subnets...)
}

func (f plFixture) gwlb(name string, subnets ...string) string {
	return f.loadBalancer(name, elbtypes.LoadBalancerTypeEnumGateway, elbtypes.IpAddressTypeIpv4, subnets...)
}

// service creates an endpoint service on the given load balancers.
func (f plFixture) service(nlbs ...string) types.ServiceConfiguration {
	f.t.Helper()
	out, err := f.c.CreateVpcEndpointServiceConfiguration(f.ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: nlbs})
	f.must(err)
	return *out.ServiceConfiguration
}

// describe reads one of A's services.
func (f plFixture) describe(id string) types.ServiceConfiguration {
	f.t.Helper()
	out, err := f.c.DescribeVpcEndpointServiceConfigurations(f.ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{id}})
	f.must(err)
	if len(out.ServiceConfigurations) != 1 {
		f.t.Fatalf("describe %s: %d services", id, len(out.ServiceConfigurations))
	}
	return out.ServiceConfigurations[0]
}

func (f plFixture) modify(in *ec2.ModifyVpcEndpointServiceConfigurationInput) {
	f.t.Helper()
	_, err := f.c.ModifyVpcEndpointServiceConfiguration(f.ctx, in)
	f.must(err)
}

func (f plFixture) permit(id string, add, remove []string) *ec2.ModifyVpcEndpointServicePermissionsOutput {
	f.t.Helper()
	out, err := f.c.ModifyVpcEndpointServicePermissions(f.ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{ServiceId: &id, AddAllowedPrincipals: add, RemoveAllowedPrincipals: remove})
	f.must(err)
	return out
}

// accountServices lists the ids of the account endpoint services c sees
// (not AWS's) in the given service regions (c's own when none).
func (f plFixture) accountServices(c *ec2.Client, regions ...string) []string {
	f.t.Helper()
	out, err := c.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceRegions: regions})
	f.must(err)
	var ids []string
	for _, s := range out.ServiceDetails {
		if aws.ToString(s.Owner) != "amazon" {
			ids = append(ids, aws.ToString(s.ServiceId))
		}
	}
	return ids
}

func TestEndpointServiceLifecycle(t *testing.T) {
	f := newPLFixture(t)
	lb1 := f.nlb("svc-1", f.subnets[0], f.subnets[1])
	out, err := f.c.CreateVpcEndpointServiceConfiguration(f.ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{
		NetworkLoadBalancerArns: []string{lb1},
		AcceptanceRequired:      aws.Bool(true),
		ClientToken:             aws.String("create-1"),
		TagSpecifications:       nameTag(types.ResourceTypeVpcEndpointService, "svc"),
	})
	f.must(err)
	svc := *out.ServiceConfiguration
	id := aws.ToString(svc.ServiceId)
	if !strings.HasPrefix(id, "vpce-svc-") || len(id) != len("vpce-svc-")+17 {
		t.Fatalf("service id %q", id)
	}
	if aws.ToString(out.ClientToken) != "create-1" {
		t.Errorf("client token %v", out.ClientToken)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: got %v, want %v", what, got, want)
		}
	}
	check("name", aws.ToString(svc.ServiceName), "com.amazonaws.vpce.us-east-1."+id)
	check("state", svc.ServiceState, types.ServiceStateAvailable)
	check("type", svc.ServiceType[0].ServiceType, types.ServiceTypeInterface)
	check("DNS names", svc.BaseEndpointDnsNames, []string{id + ".us-east-1.vpce.amazonaws.com"})
	check("zones", svc.AvailabilityZones, []string{"us-east-1a", "us-east-1b"})
	check("zone ids", len(svc.AvailabilityZoneIds), 2)
	check("IP types", svc.SupportedIpAddressTypes, []types.ServiceConnectivityType{"ipv4"})
	check("payer", svc.PayerResponsibility, types.PayerResponsibilityServiceOwner)
	check("acceptance", aws.ToBool(svc.AcceptanceRequired), true)
	check("manages endpoints", aws.ToBool(svc.ManagesVpcEndpoints), false)
	check("NLBs", svc.NetworkLoadBalancerArns, []string{lb1})
	check("private DNS", svc.PrivateDnsName, (*string)(nil))
	check("tags", aws.ToString(svc.Tags[0].Value), "svc")
	check("regions", aws.ToString(svc.SupportedRegions[0].Region), "us-east-1")

	// The same client token answers the same service.
	again, err := f.c.CreateVpcEndpointServiceConfiguration(f.ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{
		NetworkLoadBalancerArns: []string{lb1}, AcceptanceRequired: aws.Bool(true), ClientToken: aws.String("create-1"),
		TagSpecifications: nameTag(types.ResourceTypeVpcEndpointService, "svc"),
	})
	f.must(err)
	check("idempotent id", aws.ToString(again.ServiceConfiguration.ServiceId), id)

	// Acceptance and load balancers change; the zones follow them.
	lb2 := f.nlb("svc-2", f.subnets[2])
	f.modify(&ec2.ModifyVpcEndpointServiceConfigurationInput{ServiceId: &id, AcceptanceRequired: aws.Bool(false), AddNetworkLoadBalancerArns: []string{lb2}})
	got := f.describe(id)
	check("acceptance after", aws.ToBool(got.AcceptanceRequired), false)
	check("zones after add", got.AvailabilityZones, []string{"us-east-1a", "us-east-1b", "us-east-1c"})
	f.modify(&ec2.ModifyVpcEndpointServiceConfigurationInput{ServiceId: &id, RemoveNetworkLoadBalancerArns: []string{lb1}})
	got = f.describe(id)
	check("NLBs after remove", got.NetworkLoadBalancerArns, []string{lb2})
	check("zones after remove", got.AvailabilityZones, []string{"us-east-1c"})

	// A removed load balancer is free again.
	_, err = f.lb.DeleteLoadBalancer(f.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: &lb1})
	f.must(err)

	// Tags through CreateTags and DescribeTags.
	_, err = f.c.CreateTags(f.ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("net")}}})
	f.must(err)
	check("tags after CreateTags", len(f.describe(id).Tags), 2)

	del, err := f.c.DeleteVpcEndpointServiceConfigurations(f.ctx, &ec2.DeleteVpcEndpointServiceConfigurationsInput{ServiceIds: []string{id}})
	f.must(err)
	check("unsuccessful", len(del.Unsuccessful), 0)
	_, err = f.c.DescribeVpcEndpointServiceConfigurations(f.ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{id}})
	f.wantErr(err, "InvalidVpcEndpointServiceId.NotFound", "The VpcEndpointService Id '"+id+"' does not exist")
	del, err = f.c.DeleteVpcEndpointServiceConfigurations(f.ctx, &ec2.DeleteVpcEndpointServiceConfigurationsInput{ServiceIds: []string{id}})
	f.must(err)
	if len(del.Unsuccessful) != 1 || aws.ToString(del.Unsuccessful[0].Error.Code) != "InvalidVpcEndpointService.NotFound" || aws.ToString(del.Unsuccessful[0].ResourceId) != id {
		t.Errorf("second delete: %+v", del.Unsuccessful)
	}
	// The load balancer is free once the service is gone.
	_, err = f.lb.DeleteLoadBalancer(f.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: &lb2})
	f.must(err)
}

func TestEndpointServicePrivateDNS(t *testing.T) {
	f := newPLFixture(t)
	out, err := f.c.CreateVpcEndpointServiceConfiguration(f.ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{
		NetworkLoadBalancerArns: []string{f.nlb("dns", f.subnets[0])}, PrivateDnsName: aws.String("api.example.com"),
	})
	f.must(err)
	id := aws.ToString(out.ServiceConfiguration.ServiceId)
	cfg := out.ServiceConfiguration.PrivateDnsNameConfiguration
	if aws.ToString(out.ServiceConfiguration.PrivateDnsName) != "api.example.com" || cfg.State != types.DnsNameStatePendingVerification || aws.ToString(cfg.Type) != "TXT" ||
		!strings.HasPrefix(aws.ToString(cfg.Name), "_") || len(aws.ToString(cfg.Name)) != 21 || !strings.HasPrefix(aws.ToString(cfg.Value), "vpce:") || len(aws.ToString(cfg.Value)) != 25 {
		t.Fatalf("private DNS %v %+v", out.ServiceConfiguration.PrivateDnsName, cfg)
	}
	// Consumers see the name with its state; only a verified one is theirs
	// to use.
	f.permit(id, []string{"*"}, nil)
	detail := func() types.ServiceDetail {
		t.Helper()
		out, err := f.b.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{"com.amazonaws.vpce.us-east-1." + id}})
		f.must(err)
		return out.ServiceDetails[0]
	}
	if d := detail(); d.PrivateDnsNameVerificationState != types.DnsNameStatePendingVerification || aws.ToString(d.PrivateDnsName) != "api.example.com" {
		t.Errorf("consumer view before verification: %v %v", d.PrivateDnsNameVerificationState, d.PrivateDnsName)
	}
	// Verification fails until a public zone holds the TXT record asked
	// for; then it succeeds.
	_, err = f.c.StartVpcEndpointServicePrivateDnsVerification(f.ctx, &ec2.StartVpcEndpointServicePrivateDnsVerificationInput{ServiceId: &id})
	f.must(err)
	if got := f.describe(id).PrivateDnsNameConfiguration.State; got != types.DnsNameStateFailed {
		t.Errorf("state without the record %v", got)
	}
	if d := detail(); d.PrivateDnsNameVerificationState != types.DnsNameStateFailed {
		t.Errorf("consumer view after a failed verification: %v", d.PrivateDnsNameVerificationState)
	}
	r53 := emulatortest.Route53(f.em, accountA)
	zone, err := r53.CreateHostedZone(f.ctx, &route53.CreateHostedZoneInput{Name: aws.String("example.com"), CallerReference: aws.String("verify")})
	f.must(err)
	_, err = r53.ChangeResourceRecordSets(f.ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: zone.HostedZone.Id, ChangeBatch: &r53types.ChangeBatch{
		Changes: []r53types.Change{{Action: r53types.ChangeActionCreate, ResourceRecordSet: &r53types.ResourceRecordSet{
			Name: aws.String(aws.ToString(cfg.Name) + ".api.example.com"), Type: r53types.RRTypeTxt, TTL: aws.Int64(300),
			ResourceRecords: []r53types.ResourceRecord{{Value: aws.String(`"` + aws.ToString(cfg.Value) + `"`)}},
		}}},
	}})
	f.must(err)
	_, err = f.c.StartVpcEndpointServicePrivateDnsVerification(f.ctx, &ec2.StartVpcEndpointServicePrivateDnsVerificationInput{ServiceId: &id})
	f.must(err)
	if got := f.describe(id).PrivateDnsNameConfiguration.State; got != types.DnsNameStateVerified {
		t.Errorf("state after verification %v", got)
	}
	if d := detail(); d.PrivateDnsNameVerificationState != types.DnsNameStateVerified || len(d.PrivateDnsNames) != 1 {
		t.Errorf("consumer view after verification: %+v", d)
	}
	// A new name needs verifying again; removing it clears the record.
	f.modify(&ec2.ModifyVpcEndpointServiceConfigurationInput{ServiceId: &id, PrivateDnsName: aws.String("v2.example.com")})
	if got := f.describe(id); aws.ToString(got.PrivateDnsName) != "v2.example.com" || got.PrivateDnsNameConfiguration.State != types.DnsNameStatePendingVerification ||
		aws.ToString(got.PrivateDnsNameConfiguration.Name) == aws.ToString(cfg.Name) {
		t.Errorf("after rename: %v %+v", got.PrivateDnsName, got.PrivateDnsNameConfiguration)
	}
	f.modify(&ec2.ModifyVpcEndpointServiceConfigurationInput{ServiceId: &id, RemovePrivateDnsName: aws.Bool(true)})
	if got := f.describe(id); got.PrivateDnsName != nil || got.PrivateDnsNameConfiguration == nil || got.PrivateDnsNameConfiguration.Name != nil {
		t.Errorf("after removal: %v %+v", got.PrivateDnsName, got.PrivateDnsNameConfiguration)
	}
	if d := detail(); d.PrivateDnsName != nil || d.PrivateDnsNameVerificationState != "" {
		t.Errorf("consumer view after removal: %+v", d)
	}
}

func TestEndpointServiceGatewayLoadBalancer(t *testing.T) {
	f := newPLFixture(t)
	gw := f.gwlb("gw", f.subnets[1])
	out, err := f.c.CreateVpcEndpointServiceConfiguration(f.ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{GatewayLoadBalancerArns: []string{gw}})
	f.must(err)
	svc := out.ServiceConfiguration
	if svc.ServiceType[0].ServiceType != types.ServiceTypeGatewayLoadBalancer || len(svc.BaseEndpointDnsNames) != 0 ||
		!slices.Equal(svc.GatewayLoadBalancerArns, []string{gw}) || !slices.Equal(svc.AvailabilityZones, []string{"us-east-1b"}) {
		t.Errorf("GWLB service %+v", svc)
	}
}

func TestEndpointServiceIPAddressTypes(t *testing.T) {
	f := newPLFixture(t)
	dual := f.loadBalancer("dual", elbtypes.LoadBalancerTypeEnumNetwork, elbtypes.IpAddressTypeDualstack, f.subnets[0])
	out, err := f.c.CreateVpcEndpointServiceConfiguration(f.ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{
		NetworkLoadBalancerArns: []string{dual}, SupportedIpAddressTypes: []string{"ipv4", "ipv6"},
	})
	f.must(err)
	id := aws.ToString(out.ServiceConfiguration.ServiceId)
	if got := out.ServiceConfiguration.SupportedIpAddressTypes; len(got) != 2 {
		t.Fatalf("IP types %v", got)
	}
	f.modify(&ec2.ModifyVpcEndpointServiceConfigurationInput{ServiceId: &id, RemoveSupportedIpAddressTypes: []string{"ipv4"}})
	if got := f.describe(id).SupportedIpAddressTypes; !slices.Equal(got, []types.ServiceConnectivityType{"ipv6"}) {
		t.Errorf("after removing ipv4: %v", got)
	}
}

func TestEndpointServiceRefusals(t *testing.T) {
	f := newPLFixture(t)
	nlb := f.nlb("used", f.subnets[0])
	used := aws.ToString(f.service(nlb).ServiceId)
	free := f.nlb("free", f.subnets[1])
	gw := f.gwlb("gw", f.subnets[1])
	albOut, err := f.lb.CreateLoadBalancer(f.ctx, &elb.CreateLoadBalancerInput{Name: aws.String("alb"), Scheme: elbtypes.LoadBalancerSchemeEnumInternal, Subnets: f.subnets[:2]})
	f.must(err)
	alb := aws.ToString(albOut.LoadBalancers[0].LoadBalancerArn)
	bNLB := strings.Replace(free, accountA, accountB, 1)
	create := func(mod func(*ec2.CreateVpcEndpointServiceConfigurationInput)) func() error {
		return func() error {
			in := &ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{free}}
			mod(in)
			_, err := f.c.CreateVpcEndpointServiceConfiguration(f.ctx, in)
			return err
		}
	}
	modify := func(mod func(*ec2.ModifyVpcEndpointServiceConfigurationInput)) func() error {
		return func() error {
			in := &ec2.ModifyVpcEndpointServiceConfigurationInput{ServiceId: &used}
			mod(in)
			_, err := f.c.ModifyVpcEndpointServiceConfiguration(f.ctx, in)
			return err
		}
	}
	oneOf := "exactly one of network_load_balancer_arn or gateway_load_balancer_arn is a required member"
	checkRefusals(t, []refusal{
		{"no load balancer", create(func(in *ec2.CreateVpcEndpointServiceConfigurationInput) { in.NetworkLoadBalancerArns = nil }), "InvalidParameter", oneOf},
		{"both kinds", create(func(in *ec2.CreateVpcEndpointServiceConfigurationInput) { in.GatewayLoadBalancerArns = []string{gw} }), "InvalidParameter", oneOf},
		{"malformed ARN", create(func(in *ec2.CreateVpcEndpointServiceConfigurationInput) {
			in.NetworkLoadBalancerArns = []string{"nlb-1"}
		}), "InvalidParameter", "nlb-1"},
		{"another account's load balancer", create(func(in *ec2.CreateVpcEndpointServiceConfigurationInput) { in.NetworkLoadBalancerArns = []string{bNLB} }), "InvalidParameter", "does not exist"},
		{"application load balancer", create(func(in *ec2.CreateVpcEndpointServiceConfigurationInput) { in.NetworkLoadBalancerArns = []string{alb} }), "InvalidParameter", "is not a Network Load Balancer"},
		{"NLB as a GWLB", create(func(in *ec2.CreateVpcEndpointServiceConfigurationInput) {
			in.NetworkLoadBalancerArns, in.GatewayLoadBalancerArns = nil, []string{free}
		}), "InvalidParameter", "is not a Gateway Load Balancer"},
		{"load balancer of another service", create(func(in *ec2.CreateVpcEndpointServiceConfigurationInput) { in.NetworkLoadBalancerArns = []string{nlb} }), "InvalidParameter", used},
		{"private DNS on a GWLB service", create(func(in *ec2.CreateVpcEndpointServiceConfigurationInput) {
			in.NetworkLoadBalancerArns, in.GatewayLoadBalancerArns, in.PrivateDnsName = nil, []string{gw}, aws.String("x.example.com")
		}), "InvalidParameter", "Private DNS names are not supported"},
		{"bad private DNS name", create(func(in *ec2.CreateVpcEndpointServiceConfigurationInput) { in.PrivateDnsName = aws.String("not a name") }), "InvalidParameter", "not a name"},
		{"unknown IP type", create(func(in *ec2.CreateVpcEndpointServiceConfigurationInput) {
			in.SupportedIpAddressTypes = []string{"ipv5"}
		}), "InvalidParameterValue", "ipv5"},
		{"IPv6 on an IPv4 load balancer", create(func(in *ec2.CreateVpcEndpointServiceConfigurationInput) {
			in.SupportedIpAddressTypes = []string{"ipv6"}
		}), "InvalidParameter", "dualstack"},
		{"unknown region", create(func(in *ec2.CreateVpcEndpointServiceConfigurationInput) {
			in.SupportedRegions = []string{"mars-east-1"}
		}), "InvalidParameterValue", "mars-east-1"},
		{"cross-region GWLB service", create(func(in *ec2.CreateVpcEndpointServiceConfigurationInput) {
			in.NetworkLoadBalancerArns, in.GatewayLoadBalancerArns, in.SupportedRegions = nil, []string{gw}, []string{"us-west-2"}
		}), "InvalidParameter", "Cross-Region"},
		{"tags for another type", create(func(in *ec2.CreateVpcEndpointServiceConfigurationInput) {
			in.TagSpecifications = nameTag(types.ResourceTypeVpc, "x")
		}), "InvalidParameterValue", "not a valid taggable resource type"},
		{"modify an unknown service", func() error {
			_, err := f.c.ModifyVpcEndpointServiceConfiguration(f.ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{ServiceId: aws.String("vpce-svc-00000000000000000")})
			return err
		}, "InvalidVpcEndpointServiceId.NotFound", "vpce-svc-00000000000000000"},
		{"modify another account's service", func() error {
			_, err := f.b.ModifyVpcEndpointServiceConfiguration(f.ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{ServiceId: &used, AcceptanceRequired: aws.Bool(true)})
			return err
		}, "InvalidVpcEndpointServiceId.NotFound", used},
		{"remove the last load balancer", modify(func(in *ec2.ModifyVpcEndpointServiceConfigurationInput) {
			in.RemoveNetworkLoadBalancerArns = []string{nlb}
		}), "InvalidParameter", "at least one load balancer"},
		{"remove a load balancer it lacks", modify(func(in *ec2.ModifyVpcEndpointServiceConfigurationInput) {
			in.RemoveNetworkLoadBalancerArns = []string{free}
		}), "InvalidParameter", "is not associated"},
		{"add a GWLB to an Interface service", modify(func(in *ec2.ModifyVpcEndpointServiceConfigurationInput) { in.AddGatewayLoadBalancerArns = []string{gw} }), "InvalidParameter", oneOf},
		{"name and remove the private DNS name", modify(func(in *ec2.ModifyVpcEndpointServiceConfigurationInput) {
			in.PrivateDnsName, in.RemovePrivateDnsName = aws.String("a.example.com"), aws.Bool(true)
		}), "InvalidParameterCombination", "RemovePrivateDnsName"},
		{"remove every IP type", modify(func(in *ec2.ModifyVpcEndpointServiceConfigurationInput) {
			in.RemoveSupportedIpAddressTypes = []string{"ipv4"}
		}), "InvalidParameter", "At least one"},
		{"remove the service's region", modify(func(in *ec2.ModifyVpcEndpointServiceConfigurationInput) {
			in.RemoveSupportedRegions = []string{"us-east-1"}
		}), "InvalidParameter", "us-east-1"},
		{"verify without a private DNS name", func() error {
			_, err := f.c.StartVpcEndpointServicePrivateDnsVerification(f.ctx, &ec2.StartVpcEndpointServicePrivateDnsVerificationInput{ServiceId: &used})
			return err
		}, "InvalidParameter", "no private DNS name"},
		{"describe an unknown service", func() error {
			_, err := f.c.DescribeVpcEndpointServiceConfigurations(f.ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{used, "vpce-svc-00000000000000000"}})
			return err
		}, "InvalidVpcEndpointServiceId.NotFound", "The VpcEndpointService Id 'vpce-svc-00000000000000000' does not exist"},
		{"delete a load balancer a service uses", func() error {
			_, err := f.lb.DeleteLoadBalancer(f.ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: &nlb})
			return err
		}, "ResourceInUse", "cannot be deleted because it is currently associated with another service"},
	})
}

func TestEndpointServicePayerResponsibility(t *testing.T) {
	f := newPLFixture(t)
	id := aws.ToString(f.service(f.nlb("p", f.subnets[0])).ServiceId)
	out, err := f.c.ModifyVpcEndpointServicePayerResponsibility(f.ctx, &ec2.ModifyVpcEndpointServicePayerResponsibilityInput{ServiceId: &id, PayerResponsibility: types.PayerResponsibilityServiceOwner})
	f.must(err)
	if !aws.ToBool(out.ReturnValue) || f.describe(id).PayerResponsibility != types.PayerResponsibilityServiceOwner {
		t.Errorf("payer %v", f.describe(id).PayerResponsibility)
	}
}

func TestEndpointServiceConfigurationFilters(t *testing.T) {
	f := newPLFixture(t)
	one := f.service(f.nlb("one", f.subnets[0]))
	dual := f.loadBalancer("dual", elbtypes.LoadBalancerTypeEnumNetwork, elbtypes.IpAddressTypeDualstack, f.subnets[1])
	twoOut, err := f.c.CreateVpcEndpointServiceConfiguration(f.ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{
		NetworkLoadBalancerArns: []string{dual}, SupportedIpAddressTypes: []string{"ipv6"},
		TagSpecifications: nameTag(types.ResourceTypeVpcEndpointService, "two"),
	})
	f.must(err)
	oneID, twoID := aws.ToString(one.ServiceId), aws.ToString(twoOut.ServiceConfiguration.ServiceId)
	_, err = f.b.CreateVpcEndpointServiceConfiguration(f.ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{strings.Replace(dual, accountA, accountB, 1)}})
	if err == nil {
		t.Fatal("B used A's load balancer")
	}
	checkFilters(t, []filterCase{
		{"service-name", []string{aws.ToString(one.ServiceName)}, []string{oneID}},
		{"service-name", []string{"com.amazonaws.vpce.us-east-1.*"}, []string{oneID, twoID}},
		{"service-id", []string{twoID}, []string{twoID}},
		{"service-state", []string{"Available"}, []string{oneID, twoID}},
		{"service-state", []string{"Pending"}, nil},
		{"supported-ip-address-types", []string{"ipv6"}, []string{twoID}},
		{"tag:Name", []string{"two"}, []string{twoID}},
		{"tag-key", []string{"Name"}, []string{twoID}},
	}, func(filter types.Filter) ([]string, error) {
		out, err := f.c.DescribeVpcEndpointServiceConfigurations(f.ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{Filters: []types.Filter{filter}})
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, s := range out.ServiceConfigurations {
			ids = append(ids, aws.ToString(s.ServiceId))
		}
		return ids, nil
	})
	_, err = f.c.DescribeVpcEndpointServiceConfigurations(f.ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{Filters: []types.Filter{{Name: aws.String("owner"), Values: []string{accountA}}}})
	f.wantErr(err, "InvalidParameterValue", "owner")
}

func TestEndpointServiceConfigurationPaging(t *testing.T) {
	f := newPLFixture(t)
	var want []string
	for i := range 6 {
		want = append(want, aws.ToString(f.service(f.nlb(fmt.Sprintf("lb-%d", i), f.subnets[i%3])).ServiceId))
	}
	var got []string
	p := ec2.NewDescribeVpcEndpointServiceConfigurationsPaginator(f.c, &ec2.DescribeVpcEndpointServiceConfigurationsInput{MaxResults: aws.Int32(5)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(f.ctx)
		f.must(err)
		pages++
		for _, s := range out.ServiceConfigurations {
			got = append(got, aws.ToString(s.ServiceId))
		}
	}
	if pages != 2 {
		t.Errorf("%d pages, want 2", pages)
	}
	sameIDs(t, got, want)
}

func TestEndpointServicePermissions(t *testing.T) {
	f := newPLFixture(t)
	id := aws.ToString(f.service(f.nlb("perm", f.subnets[0])).ServiceId)
	principals := map[string]types.PrincipalType{
		"arn:aws:iam::222222222222:root":          types.PrincipalTypeAccount,
		"arn:aws:iam::333333333333:user/alice":    types.PrincipalTypeUser,
		"arn:aws:iam::333333333333:role/consumer": types.PrincipalTypeRole,
		"*":                 types.PrincipalTypeAll,
		"ec2.amazonaws.com": types.PrincipalTypeService,
		"arn:aws:organizations::444444444444:ou/o-abcdefghij/ou-ab12-abcdefgh": types.PrincipalTypeOrganizationUnit,
	}
	var add []string
	for p := range principals {
		add = append(add, p)
	}
	slices.Sort(add)
	out := f.permit(id, add, nil)
	if !aws.ToBool(out.ReturnValue) || len(out.AddedPrincipals) != len(add) {
		t.Fatalf("modify: %+v", out)
	}
	permIDs := map[string]string{}
	for _, p := range out.AddedPrincipals {
		if p.PrincipalType != principals[aws.ToString(p.Principal)] || aws.ToString(p.ServiceId) != id || !strings.HasPrefix(aws.ToString(p.ServicePermissionId), "vpce-svc-perm-") {
			t.Errorf("added %+v", p)
		}
		permIDs[aws.ToString(p.Principal)] = aws.ToString(p.ServicePermissionId)
	}
	// Adding a principal again answers the permission it has.
	again := f.permit(id, []string{"*"}, nil)
	if len(again.AddedPrincipals) != 1 || aws.ToString(again.AddedPrincipals[0].ServicePermissionId) != permIDs["*"] {
		t.Errorf("re-add: %+v", again.AddedPrincipals)
	}

	describe := func(in *ec2.DescribeVpcEndpointServicePermissionsInput) ([]string, error) {
		in.ServiceId = &id
		out, err := f.c.DescribeVpcEndpointServicePermissions(f.ctx, in)
		if err != nil {
			return nil, err
		}
		var got []string
		for _, p := range out.AllowedPrincipals {
			if aws.ToString(p.ServicePermissionId) != permIDs[aws.ToString(p.Principal)] || aws.ToString(p.ServiceId) != id {
				t.Errorf("allowed %+v", p)
			}
			got = append(got, aws.ToString(p.Principal))
		}
		return got, nil
	}
	all, err := describe(&ec2.DescribeVpcEndpointServicePermissionsInput{})
	f.must(err)
	sameIDs(t, all, add)
	checkFilters(t, []filterCase{
		{"principal", []string{"arn:aws:iam::222222222222:root"}, []string{"arn:aws:iam::222222222222:root"}},
		{"principal", []string{"*"}, add}, // a filter value * is a wildcard
		{"principal-type", []string{"Role", "User"}, []string{"arn:aws:iam::333333333333:role/consumer", "arn:aws:iam::333333333333:user/alice"}},
		{"principal-type", []string{"Service"}, []string{"ec2.amazonaws.com"}},
	}, func(filter types.Filter) ([]string, error) {
		return describe(&ec2.DescribeVpcEndpointServicePermissionsInput{Filters: []types.Filter{filter}})
	})
	// Paging.
	var paged []string
	p := ec2.NewDescribeVpcEndpointServicePermissionsPaginator(f.c, &ec2.DescribeVpcEndpointServicePermissionsInput{ServiceId: &id, MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		page, err := p.NextPage(f.ctx)
		f.must(err)
		if len(page.AllowedPrincipals) > 5 {
			t.Errorf("page of %d", len(page.AllowedPrincipals))
		}
		for _, a := range page.AllowedPrincipals {
			paged = append(paged, aws.ToString(a.Principal))
		}
	}
	sameIDs(t, paged, add)

	f.permit(id, nil, []string{"*", "ec2.amazonaws.com"})
	left, err := describe(&ec2.DescribeVpcEndpointServicePermissionsInput{})
	f.must(err)
	if len(left) != len(add)-2 || slices.Contains(left, "*") {
		t.Errorf("after removal %v", left)
	}

	modify := func(add ...string) func() error {
		return func() error {
			_, err := f.c.ModifyVpcEndpointServicePermissions(f.ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{ServiceId: &id, AddAllowedPrincipals: add})
			return err
		}
	}
	checkRefusals(t, []refusal{
		{"account id", modify("222222222222"), "InvalidPrincipal", "222222222222"},
		{"user with a path", modify("arn:aws:iam::222222222222:user/team/bob"), "InvalidPrincipal", "user/team/bob"},
		{"group", modify("arn:aws:iam::222222222222:group/dev"), "InvalidPrincipal", "group/dev"},
		{"short account", modify("arn:aws:iam::22222222222:root"), "InvalidPrincipal", "22222222222"},
		{"unknown service", func() error {
			_, err := f.c.ModifyVpcEndpointServicePermissions(f.ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{ServiceId: aws.String("vpce-svc-00000000000000000"), AddAllowedPrincipals: []string{"*"}})
			return err
		}, "InvalidVpcEndpointServiceId.NotFound", "vpce-svc-00000000000000000"},
		{"describe another account's service", func() error {
			_, err := f.b.DescribeVpcEndpointServicePermissions(f.ctx, &ec2.DescribeVpcEndpointServicePermissionsInput{ServiceId: &id})
			return err
		}, "InvalidVpcEndpointServiceId.NotFound", id},
		{"principal filter with a slash", func() error {
			_, err := describe(&ec2.DescribeVpcEndpointServicePermissionsInput{Filters: []types.Filter{{Name: aws.String("principal"), Values: []string{"arn:aws:iam::333333333333:role/consumer"}}}})
			return err
		}, "InvalidFilter", "contains unsupported characters"},
		{"unknown filter", func() error {
			_, err := describe(&ec2.DescribeVpcEndpointServicePermissionsInput{Filters: []types.Filter{{Name: aws.String("service-id"), Values: []string{id}}}})
			return err
		}, "InvalidParameterValue", "service-id"},
	})
}

// TestEndpointServiceVisibility: an account sees another's service only
// when one of the service's allowed principals admits it; the owner
// always sees its own.
func TestEndpointServiceVisibility(t *testing.T) {
	f := newPLFixture(t)
	svc := f.service(f.nlb("vis", f.subnets[0], f.subnets[1]))
	id := aws.ToString(svc.ServiceId)
	_, err := f.c.CreateTags(f.ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: []types.Tag{{Key: aws.String("owner-only"), Value: aws.String("yes")}}})
	f.must(err)
	sees := func(what string, c *ec2.Client, want bool) {
		t.Helper()
		if got := slices.Contains(f.accountServices(c), id); got != want {
			t.Errorf("%s: sees the service %v, want %v", what, got, want)
		}
	}
	sees("owner", f.c, true)
	sees("B, no permission", f.b, false)
	sees("C, no permission", f.cc, false)
	_, err = f.b.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{aws.ToString(svc.ServiceName)}})
	f.wantErr(err, "InvalidServiceName", "The Vpc Endpoint Service '"+aws.ToString(svc.ServiceName)+"' does not exist")

	f.permit(id, []string{"arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:role/consumer"}, nil)
	sees("B, its account allowed", f.b, true)
	sees("C, one of its roles allowed", f.cc, true)

	out, err := f.b.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{aws.ToString(svc.ServiceName)}})
	f.must(err)
	d := out.ServiceDetails[0]
	if aws.ToString(d.Owner) != accountA || aws.ToString(d.ServiceId) != id || d.ServiceType[0].ServiceType != types.ServiceTypeInterface ||
		aws.ToBool(d.AcceptanceRequired) != aws.ToBool(svc.AcceptanceRequired) || len(d.AvailabilityZones) != 2 || len(d.AvailabilityZoneIds) != 2 ||
		aws.ToBool(d.VpcEndpointPolicySupported) || d.PayerResponsibility != types.PayerResponsibilityServiceOwner || len(d.Tags) != 0 {
		t.Errorf("consumer view %+v", d)
	}
	owner, err := f.c.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{aws.ToString(svc.ServiceName)}})
	f.must(err)
	if len(owner.ServiceDetails[0].Tags) != 1 {
		t.Errorf("owner sees tags %v", owner.ServiceDetails[0].Tags)
	}
	// The consumer's filters work on the service.
	filtered, err := f.b.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{Filters: []types.Filter{{Name: aws.String("owner"), Values: []string{accountA}}}})
	f.must(err)
	if len(filtered.ServiceNames) != 1 || filtered.ServiceNames[0] != aws.ToString(svc.ServiceName) {
		t.Errorf("owner filter: %v", filtered.ServiceNames)
	}

	f.permit(id, nil, []string{"arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:role/consumer"})
	sees("B, permission removed", f.b, false)
	f.permit(id, []string{"*"}, nil)
	sees("B, everyone allowed", f.b, true)
	sees("C, everyone allowed", f.cc, true)
	// Principals that name no account (services, organizational units) let
	// no vpcemu account see the service.
	f.permit(id, []string{"ec2.amazonaws.com"}, []string{"*"})
	sees("B, a service principal", f.b, false)
}

// TestEndpointServiceCrossRegion: a consumer in another region sees the
// service, asking for the service's region, only when its region is one
// of the supported regions.
func TestEndpointServiceCrossRegion(t *testing.T) {
	f := newPLFixture(t)
	id := aws.ToString(f.service(f.nlb("far", f.subnets[0])).ServiceId)
	f.permit(id, []string{"*"}, nil)
	west := emulatortest.EC2(f.em, accountB, "us-west-2")
	if slices.Contains(f.accountServices(west, "us-east-1"), id) {
		t.Fatal("seen from an unsupported region")
	}
	f.modify(&ec2.ModifyVpcEndpointServiceConfigurationInput{ServiceId: &id, AddSupportedRegions: []string{"us-west-2"}})
	got := f.describe(id)
	if !aws.ToBool(got.RemoteAccessEnabled) || len(got.SupportedRegions) != 2 {
		t.Errorf("regions %+v remote %v", got.SupportedRegions, got.RemoteAccessEnabled)
	}
	if !slices.Contains(f.accountServices(west, "us-east-1"), id) {
		t.Error("not seen from a supported region")
	}
	if slices.Contains(f.accountServices(west), id) {
		t.Error("seen among us-west-2's own services")
	}
}

// TestEndpointConnectionsWithoutEndpoints: the connection calls answer
// for services with no endpoints yet (the endpoints themselves are the
// consumer side's; internal/cloud tests the state machine).
func TestEndpointConnectionsWithoutEndpoints(t *testing.T) {
	f := newPLFixture(t)
	id := aws.ToString(f.service(f.nlb("conn", f.subnets[0])).ServiceId)
	filters := []string{"ip-address-type", "service-id", "vpc-endpoint-owner", "vpc-endpoint-region", "vpc-endpoint-state", "vpc-endpoint-id"}
	for _, name := range filters {
		out, err := f.c.DescribeVpcEndpointConnections(f.ctx, &ec2.DescribeVpcEndpointConnectionsInput{Filters: []types.Filter{{Name: aws.String(name), Values: []string{"x"}}}})
		if err != nil || len(out.VpcEndpointConnections) != 0 {
			t.Errorf("filter %s: %v %v", name, out, err)
		}
	}
	_, err := f.c.DescribeVpcEndpointConnections(f.ctx, &ec2.DescribeVpcEndpointConnectionsInput{Filters: []types.Filter{{Name: aws.String("state"), Values: []string{"x"}}}})
	f.wantErr(err, "InvalidParameterValue", "state")

	acc, err := f.c.AcceptVpcEndpointConnections(f.ctx, &ec2.AcceptVpcEndpointConnectionsInput{ServiceId: &id, VpcEndpointIds: []string{"vpce-0123456789abcdef0"}})
	f.must(err)
	if len(acc.Unsuccessful) != 1 || aws.ToString(acc.Unsuccessful[0].Error.Code) != "InvalidVpcEndpoint.NotFound" || aws.ToString(acc.Unsuccessful[0].ResourceId) != "vpce-0123456789abcdef0" {
		t.Errorf("accept unknown endpoint: %+v", acc.Unsuccessful)
	}
	rej, err := f.c.RejectVpcEndpointConnections(f.ctx, &ec2.RejectVpcEndpointConnectionsInput{ServiceId: &id, VpcEndpointIds: []string{"vpce-0123456789abcdef0"}})
	f.must(err)
	if len(rej.Unsuccessful) != 1 || aws.ToString(rej.Unsuccessful[0].Error.Code) != "InvalidVpcEndpoint.NotFound" {
		t.Errorf("reject unknown endpoint: %+v", rej.Unsuccessful)
	}
	_, err = f.b.RejectVpcEndpointConnections(f.ctx, &ec2.RejectVpcEndpointConnectionsInput{ServiceId: &id, VpcEndpointIds: []string{"vpce-0123456789abcdef0"}})
	f.wantErr(err, "InvalidVpcEndpointServiceId.NotFound", id)
}

func TestConnectionNotifications(t *testing.T) {
	f := newPLFixture(t)
	id := aws.ToString(f.service(f.nlb("note", f.subnets[0])).ServiceId)
	topic := "arn:aws:sns:us-east-1:111111111111:VpceNotification"
	create := func(c *ec2.Client, in *ec2.CreateVpcEndpointConnectionNotificationInput) (*types.ConnectionNotification, error) {
		out, err := c.CreateVpcEndpointConnectionNotification(f.ctx, in)
		if err != nil {
			return nil, err
		}
		return out.ConnectionNotification, nil
	}
	n, err := create(f.c, &ec2.CreateVpcEndpointConnectionNotificationInput{ServiceId: &id, ConnectionNotificationArn: &topic, ConnectionEvents: []string{"Connect", "Accept"}})
	f.must(err)
	nid := aws.ToString(n.ConnectionNotificationId)
	if !strings.HasPrefix(nid, "vpce-nfn-") || n.ConnectionNotificationState != types.ConnectionNotificationStateEnabled || n.ConnectionNotificationType != types.ConnectionNotificationTypeTopic ||
		aws.ToString(n.ServiceId) != id || aws.ToString(n.ServiceRegion) != "us-east-1" || !slices.Equal(n.ConnectionEvents, []string{"Accept", "Connect"}) {
		t.Fatalf("notification %+v", n)
	}
	second, err := create(f.c, &ec2.CreateVpcEndpointConnectionNotificationInput{ServiceId: &id, ConnectionNotificationArn: aws.String(topic + "2"), ConnectionEvents: []string{"Reject"}})
	f.must(err)
	nid2 := aws.ToString(second.ConnectionNotificationId)

	describe := func(in *ec2.DescribeVpcEndpointConnectionNotificationsInput) ([]string, error) {
		out, err := f.c.DescribeVpcEndpointConnectionNotifications(f.ctx, in)
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, n := range out.ConnectionNotificationSet {
			ids = append(ids, aws.ToString(n.ConnectionNotificationId))
		}
		return ids, nil
	}
	got, err := describe(&ec2.DescribeVpcEndpointConnectionNotificationsInput{ConnectionNotificationId: &nid})
	f.must(err)
	sameIDs(t, got, []string{nid})
	checkFilters(t, []filterCase{
		{"connection-notification-arn", []string{topic}, []string{nid}},
		{"connection-notification-id", []string{nid2}, []string{nid2}},
		{"connection-notification-state", []string{"Enabled"}, []string{nid, nid2}},
		{"connection-notification-type", []string{"Topic"}, []string{nid, nid2}},
		{"service-id", []string{id}, []string{nid, nid2}},
		{"vpc-endpoint-id", []string{"vpce-0123456789abcdef0"}, nil},
	}, func(filter types.Filter) ([]string, error) {
		return describe(&ec2.DescribeVpcEndpointConnectionNotificationsInput{Filters: []types.Filter{filter}})
	})
	page, err := f.c.DescribeVpcEndpointConnectionNotifications(f.ctx, &ec2.DescribeVpcEndpointConnectionNotificationsInput{MaxResults: aws.Int32(1)})
	f.must(err)
	if len(page.ConnectionNotificationSet) != 1 || page.NextToken == nil {
		t.Errorf("first page %+v", page)
	}
	rest, err := describe(&ec2.DescribeVpcEndpointConnectionNotificationsInput{MaxResults: aws.Int32(1), NextToken: page.NextToken})
	f.must(err)
	if len(rest) != 1 || rest[0] == aws.ToString(page.ConnectionNotificationSet[0].ConnectionNotificationId) {
		t.Errorf("second page %v", rest)
	}

	_, err = f.c.ModifyVpcEndpointConnectionNotification(f.ctx, &ec2.ModifyVpcEndpointConnectionNotificationInput{
		ConnectionNotificationId: &nid, ConnectionEvents: []string{"Delete"}, ConnectionNotificationArn: aws.String(topic + "3"),
	})
	f.must(err)
	mod, err := f.c.DescribeVpcEndpointConnectionNotifications(f.ctx, &ec2.DescribeVpcEndpointConnectionNotificationsInput{ConnectionNotificationId: &nid})
	f.must(err)
	if m := mod.ConnectionNotificationSet[0]; aws.ToString(m.ConnectionNotificationArn) != topic+"3" || !slices.Equal(m.ConnectionEvents, []string{"Delete"}) {
		t.Errorf("after modify %+v", m)
	}

	del, err := f.c.DeleteVpcEndpointConnectionNotifications(f.ctx, &ec2.DeleteVpcEndpointConnectionNotificationsInput{ConnectionNotificationIds: []string{nid, "vpce-nfn-00000000000000000"}})
	f.must(err)
	if len(del.Unsuccessful) != 1 || aws.ToString(del.Unsuccessful[0].Error.Code) != "InvalidConnectionNotification" || aws.ToString(del.Unsuccessful[0].ResourceId) != "vpce-nfn-00000000000000000" {
		t.Errorf("delete: %+v", del.Unsuccessful)
	}

	notify := func(c *ec2.Client, mod func(*ec2.CreateVpcEndpointConnectionNotificationInput)) func() error {
		return func() error {
			in := &ec2.CreateVpcEndpointConnectionNotificationInput{ServiceId: &id, ConnectionNotificationArn: &topic, ConnectionEvents: []string{"Accept"}}
			mod(in)
			_, err := create(c, in)
			return err
		}
	}
	checkRefusals(t, []refusal{
		{"describe a deleted one", func() error {
			_, err := describe(&ec2.DescribeVpcEndpointConnectionNotificationsInput{ConnectionNotificationId: &nid})
			return err
		}, "InvalidConnectionNotification", nid},
		{"modify an unknown one", func() error {
			_, err := f.c.ModifyVpcEndpointConnectionNotification(f.ctx, &ec2.ModifyVpcEndpointConnectionNotificationInput{ConnectionNotificationId: &nid, ConnectionEvents: []string{"Accept"}})
			return err
		}, "InvalidConnectionNotification", nid},
		{"service and endpoint", notify(f.c, func(in *ec2.CreateVpcEndpointConnectionNotificationInput) {
			in.VpcEndpointId = aws.String("vpce-0123456789abcdef0")
		}), "InvalidParameterCombination", ""},
		{"neither service nor endpoint", notify(f.c, func(in *ec2.CreateVpcEndpointConnectionNotificationInput) { in.ServiceId = nil }), "MissingParameter", ""},
		{"unknown endpoint", notify(f.c, func(in *ec2.CreateVpcEndpointConnectionNotificationInput) {
			in.ServiceId, in.VpcEndpointId = nil, aws.String("vpce-0123456789abcdef0")
		}), "InvalidVpcEndpointId.NotFound", ""},
		{"another account's service", notify(f.b, func(*ec2.CreateVpcEndpointConnectionNotificationInput) {}), "InvalidVpcEndpointServiceId.NotFound", id},
		{"not an SNS topic", notify(f.c, func(in *ec2.CreateVpcEndpointConnectionNotificationInput) {
			in.ConnectionNotificationArn = aws.String("arn:aws:sqs:us-east-1:111111111111:q")
		}), "InvalidParameter", "SNS topic"},
		{"unknown event", notify(f.c, func(in *ec2.CreateVpcEndpointConnectionNotificationInput) { in.ConnectionEvents = []string{"Explode"} }), "InvalidParameter", "Explode"},
	})
}
