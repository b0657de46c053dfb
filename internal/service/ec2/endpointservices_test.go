package ec2_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// endpointServices describes endpoint services, following every page.
func endpointServices(t *testing.T, c *ec2.Client, in ec2.DescribeVpcEndpointServicesInput) ([]types.ServiceDetail, []string, error) {
	t.Helper()
	var details []types.ServiceDetail
	var names []string
	for {
		out, err := c.DescribeVpcEndpointServices(context.Background(), &in)
		if err != nil {
			return nil, nil, err
		}
		details = append(details, out.ServiceDetails...)
		names = append(names, out.ServiceNames...)
		if in.NextToken = out.NextToken; in.NextToken == nil {
			return details, names, nil
		}
	}
}

// serviceKeys names each detail "name/type".
func serviceKeys(details []types.ServiceDetail) []string {
	var out []string
	for _, d := range details {
		out = append(out, aws.ToString(d.ServiceName)+"/"+string(d.ServiceType[0].ServiceType))
	}
	return out
}

func findService(details []types.ServiceDetail, name string, typ types.ServiceType) (types.ServiceDetail, bool) {
	i := slices.IndexFunc(details, func(d types.ServiceDetail) bool {
		return aws.ToString(d.ServiceName) == name && d.ServiceType[0].ServiceType == typ
	})
	if i < 0 {
		return types.ServiceDetail{}, false
	}
	return details[i], true
}

func TestDescribeVpcEndpointServicesCatalog(t *testing.T) {
	f := newFixture(t)
	details, names, err := endpointServices(t, f.c, ec2.DescribeVpcEndpointServicesInput{})
	f.must(err)
	for _, svc := range []string{"s3", "dynamodb", "secretsmanager", "ssm", "ssmmessages", "ec2messages", "ec2", "ecr.api", "ecr.dkr",
		"logs", "monitoring", "events", "sns", "sqs", "sts", "kms", "lambda", "elasticloadbalancing", "execute-api"} {
		if !slices.Contains(names, "com.amazonaws.us-east-1."+svc) {
			t.Errorf("no service com.amazonaws.us-east-1.%s in %v", svc, names)
		}
	}
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("ServiceNames are not sorted and distinct: %v", names)
	}
	if !slices.IsSortedFunc(details, func(a, b types.ServiceDetail) int {
		return cmp.Or(cmp.Compare(aws.ToString(a.ServiceName), aws.ToString(b.ServiceName)), cmp.Compare(a.ServiceType[0].ServiceType, b.ServiceType[0].ServiceType))
	}) {
		t.Errorf("ServiceDetails are not in name order: %v", serviceKeys(details))
	}
	zones := []string{"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"}
	for _, d := range details {
		if aws.ToString(d.Owner) != "amazon" || aws.ToBool(d.AcceptanceRequired) || aws.ToBool(d.ManagesVpcEndpoints) ||
			!slices.Equal(d.AvailabilityZones, zones) || !strings.HasPrefix(aws.ToString(d.ServiceId), "vpce-svc-") ||
			aws.ToString(d.ServiceRegion) != "us-east-1" || len(d.SupportedIpAddressTypes) == 0 || len(d.BaseEndpointDnsNames) != 1 {
			t.Errorf("%s: %+v", aws.ToString(d.ServiceName), d)
		}
	}

	gw, ok := findService(details, "com.amazonaws.us-east-1.s3", types.ServiceTypeGateway)
	if !ok || gw.BaseEndpointDnsNames[0] != "s3.us-east-1.amazonaws.com" || gw.PrivateDnsName != nil || len(gw.PrivateDnsNames) != 0 ||
		gw.PrivateDnsNameVerificationState != "" || !aws.ToBool(gw.VpcEndpointPolicySupported) {
		t.Errorf("S3 gateway: %+v", gw)
	}
	s3, ok := findService(details, "com.amazonaws.us-east-1.s3", types.ServiceTypeInterface)
	if !ok || s3.BaseEndpointDnsNames[0] != "s3.us-east-1.vpce.amazonaws.com" || aws.ToString(s3.PrivateDnsName) != "*.s3.us-east-1.amazonaws.com" ||
		s3.PrivateDnsNameVerificationState != types.DnsNameStateVerified || aws.ToString(s3.ServiceId) == aws.ToString(gw.ServiceId) {
		t.Errorf("S3 interface: %+v", s3)
	}
	if d, ok := findService(details, "com.amazonaws.us-east-1.dynamodb", types.ServiceTypeGateway); !ok || d.BaseEndpointDnsNames[0] != "dynamodb.us-east-1.amazonaws.com" {
		t.Errorf("DynamoDB gateway: %+v", d)
	}
	dkr, ok := findService(details, "com.amazonaws.us-east-1.ecr.dkr", types.ServiceTypeInterface)
	if !ok || dkr.BaseEndpointDnsNames[0] != "dkr.ecr.us-east-1.vpce.amazonaws.com" || aws.ToString(dkr.PrivateDnsName) != "*.dkr.ecr.us-east-1.amazonaws.com" ||
		len(dkr.PrivateDnsNames) != 1 || aws.ToString(dkr.PrivateDnsNames[0].PrivateDnsName) != "*.dkr.ecr.us-east-1.amazonaws.com" {
		t.Errorf("ECR Docker: %+v", dkr)
	}
	mon, ok := findService(details, "com.amazonaws.us-east-1.monitoring", types.ServiceTypeInterface)
	if !ok || aws.ToString(mon.ServiceId) != "vpce-svc-0fc975f3e7e5beba4" || aws.ToString(mon.PrivateDnsName) != "monitoring.us-east-1.amazonaws.com" ||
		len(mon.PrivateDnsNames) != 4 || !slices.Equal(mon.SupportedIpAddressTypes, []types.ServiceConnectivityType{"ipv6", "ipv4"}) {
		t.Errorf("CloudWatch: %+v", mon)
	}

	// The catalog is the same for every account of the region; another
	// region has its own names, zones and ids.
	other, _, err := endpointServices(t, f.as(emulatortest.AccountB), ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{"com.amazonaws.us-east-1.s3"}})
	f.must(err)
	if len(other) != 2 || aws.ToString(other[0].ServiceId) != aws.ToString(gw.ServiceId) {
		t.Errorf("account B: %+v", other)
	}
	eu, _, err := endpointServices(t, emulatortest.EC2(f.em, emulatortest.AccountA, "eu-west-1"), ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{"com.amazonaws.eu-west-1.sqs"}})
	f.must(err)
	if len(eu) != 1 || eu[0].BaseEndpointDnsNames[0] != "sqs.eu-west-1.vpce.amazonaws.com" || aws.ToString(eu[0].PrivateDnsName) != "sqs.eu-west-1.amazonaws.com" ||
		len(eu[0].AvailabilityZones) != 3 || aws.ToString(eu[0].ServiceRegion) != "eu-west-1" {
		t.Errorf("eu-west-1: %+v", eu)
	}
}

func TestDescribeVpcEndpointServicesByName(t *testing.T) {
	f := newFixture(t)
	out, err := f.c.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{
		ServiceNames: []string{"com.amazonaws.us-east-1.sqs", "com.amazonaws.us-east-1.dynamodb"}})
	f.must(err)
	if !slices.Equal(out.ServiceNames, []string{"com.amazonaws.us-east-1.dynamodb", "com.amazonaws.us-east-1.sqs"}) ||
		!slices.Equal(serviceKeys(out.ServiceDetails), []string{"com.amazonaws.us-east-1.dynamodb/Gateway", "com.amazonaws.us-east-1.dynamodb/Interface", "com.amazonaws.us-east-1.sqs/Interface"}) {
		t.Fatalf("by name: %v %v", out.ServiceNames, serviceKeys(out.ServiceDetails))
	}
	// How the Terraform provider reads data "aws_vpc_endpoint_service".
	gw, err := f.c.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{
		ServiceNames: []string{"com.amazonaws.us-east-1.s3"},
		Filters:      []types.Filter{{Name: aws.String("service-type"), Values: []string{"Gateway"}}}})
	f.must(err)
	if !slices.Equal(serviceKeys(gw.ServiceDetails), []string{"com.amazonaws.us-east-1.s3/Gateway"}) {
		t.Fatalf("S3 gateway by name and type: %v", serviceKeys(gw.ServiceDetails))
	}
	checkRefusals(t, []refusal{
		{"unknown service", func() error {
			_, err := f.c.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{"com.amazonaws.us-east-1.nosuchservice"}})
			return err
		}, "InvalidServiceName", "The Vpc Endpoint Service 'com.amazonaws.us-east-1.nosuchservice' does not exist"},
		{"one unknown among known", func() error {
			_, err := f.c.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{"com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.nope"}})
			return err
		}, "InvalidServiceName", "'com.amazonaws.us-east-1.nope'"},
		{"another region's service", func() error {
			_, err := f.c.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{"com.amazonaws.us-west-2.sqs"}})
			return err
		}, "InvalidServiceName", "com.amazonaws.us-west-2.sqs"},
		{"unknown filter", func() error {
			_, err := f.c.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{Filters: []types.Filter{{Name: aws.String("service-id"), Values: []string{"x"}}}})
			return err
		}, "InvalidParameterValue", "The filter 'service-id' is invalid"},
		{"unknown service region", func() error {
			_, err := f.c.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceRegions: []string{"us-nowhere-1"}})
			return err
		}, "InvalidParameterValue", "us-nowhere-1"},
		{"bad token", func() error {
			_, err := f.c.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{NextToken: aws.String("bm9wZQ")})
			return err
		}, "InvalidParameterValue", "token"},
		{"dry run", func() error {
			_, err := f.c.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{DryRun: aws.Bool(true)})
			return err
		}, "DryRunOperation", ""},
	})
}

func TestDescribeVpcEndpointServicesFilters(t *testing.T) {
	f := newFixture(t)
	all, _, err := endpointServices(t, f.c, ec2.DescribeVpcEndpointServicesInput{})
	f.must(err)
	keys := serviceKeys(all)
	var interfaces []string
	for _, k := range keys {
		if strings.HasSuffix(k, "/Interface") {
			interfaces = append(interfaces, k)
		}
	}
	checkFilters(t, []filterCase{
		{"service-name", []string{"com.amazonaws.us-east-1.s3"}, []string{"com.amazonaws.us-east-1.s3/Gateway", "com.amazonaws.us-east-1.s3/Interface"}},
		{"service-name", []string{"com.amazonaws.us-east-1.ecr.*"}, []string{"com.amazonaws.us-east-1.ecr.api/Interface", "com.amazonaws.us-east-1.ecr.dkr/Interface"}},
		{"service-type", []string{"Gateway"}, []string{"com.amazonaws.us-east-1.dynamodb/Gateway", "com.amazonaws.us-east-1.s3/Gateway"}},
		{"service-type", []string{"Interface"}, interfaces},
		{"service-type", []string{"GatewayLoadBalancer"}, nil},
		{"owner", []string{"amazon"}, keys},
		{"owner", []string{emulatortest.AccountA}, nil},
		{"service-region", []string{"us-east-1"}, keys},
		{"service-region", []string{"us-west-2"}, nil},
		{"supported-ip-address-types", []string{"ipv6"}, []string{"com.amazonaws.us-east-1.monitoring/Interface"}},
		{"supported-ip-address-types", []string{"ipv4"}, keys},
		{"tag-key", []string{"Name"}, nil},
		{"tag:Name", []string{"x"}, nil},
	}, func(flt types.Filter) ([]string, error) {
		details, _, err := endpointServices(t, f.c, ec2.DescribeVpcEndpointServicesInput{Filters: []types.Filter{flt}})
		return serviceKeys(details), err
	})
}

func TestDescribeVpcEndpointServicesPaging(t *testing.T) {
	f := newFixture(t)
	all, _, err := endpointServices(t, f.c, ec2.DescribeVpcEndpointServicesInput{})
	f.must(err)
	first, err := f.c.DescribeVpcEndpointServices(f.ctx, &ec2.DescribeVpcEndpointServicesInput{MaxResults: aws.Int32(5)})
	f.must(err)
	if len(first.ServiceDetails) != 5 || first.NextToken == nil || len(first.ServiceNames) > 5 {
		t.Fatalf("first page: %d details, names %v, token %v", len(first.ServiceDetails), first.ServiceNames, first.NextToken)
	}
	paged, _, err := endpointServices(t, f.c, ec2.DescribeVpcEndpointServicesInput{MaxResults: aws.Int32(5)})
	f.must(err)
	if !slices.Equal(serviceKeys(paged), serviceKeys(all)) {
		t.Fatalf("pages of 5: %v, want %v", serviceKeys(paged), serviceKeys(all))
	}
}

func TestDescribeVpcEndpointServicesInOtherRegions(t *testing.T) {
	f := newFixture(t)
	// Cross-region PrivateLink: from us-east-1, the interface services of
	// us-west-2 that a VPC of another region can reach.
	details, names, err := endpointServices(t, f.c, ec2.DescribeVpcEndpointServicesInput{ServiceRegions: []string{"us-west-2"}})
	f.must(err)
	// The services AWS's PrivateLink guide lists as cross-region enabled.
	want := []string{"com.amazonaws.us-west-2.ecr.api", "com.amazonaws.us-west-2.ecr.dkr", "com.amazonaws.us-west-2.ecs",
		"com.amazonaws.us-west-2.kinesis-firehose", "com.amazonaws.us-west-2.kinesisanalytics", "com.amazonaws.us-west-2.kinesisanalytics-fips",
		"com.amazonaws.us-west-2.kms", "com.amazonaws.us-west-2.kms-fips", "com.amazonaws.us-west-2.lambda", "com.amazonaws.us-west-2.s3"}
	if !slices.Equal(names, want) {
		t.Fatalf("us-west-2 services from us-east-1: %v", names)
	}
	for _, d := range details {
		if aws.ToString(d.ServiceRegion) != "us-west-2" || d.ServiceType[0].ServiceType != types.ServiceTypeInterface || len(d.AvailabilityZones) != 4 {
			t.Errorf("%+v", d)
		}
	}
	both, _, err := endpointServices(t, f.c, ec2.DescribeVpcEndpointServicesInput{ServiceRegions: []string{"us-west-2", "us-east-1"},
		Filters: []types.Filter{{Name: aws.String("service-region"), Values: []string{"us-west-2"}}}})
	f.must(err)
	if len(both) != len(details) {
		t.Fatalf("service-region filter over two regions: %v", serviceKeys(both))
	}
}
