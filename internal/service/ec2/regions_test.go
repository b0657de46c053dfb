package ec2_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

func TestDescribeRegionsHasEveryCommercialRegion(t *testing.T) {
	f := newFixture(t)
	for _, all := range []bool{false, true} {
		out, err := f.c.DescribeRegions(f.ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(all)})
		f.must(err)
		status := map[string]string{}
		for _, r := range out.Regions {
			status[aws.ToString(r.RegionName)] = aws.ToString(r.OptInStatus)
			if aws.ToString(r.Endpoint) != "ec2."+aws.ToString(r.RegionName)+".amazonaws.com" {
				t.Errorf("%+v", r)
			}
		}
		// Every account is opted in to every opt-in region.
		for region, want := range map[string]string{
			"us-east-1": "opt-in-not-required", "eu-west-1": "opt-in-not-required", "ap-northeast-3": "opt-in-not-required",
			"mx-central-1": "opted-in", "ap-southeast-5": "opted-in", "ap-southeast-7": "opted-in", "ap-east-2": "opted-in",
			"ap-southeast-6": "opted-in", "af-south-1": "opted-in",
		} {
			if status[region] != want {
				t.Errorf("AllRegions %v: %s is %q, want %q", all, region, status[region], want)
			}
		}
		if len(out.Regions) < 34 {
			t.Errorf("AllRegions %v: %d regions", all, len(out.Regions))
		}
	}
	out, err := f.c.DescribeRegions(f.ctx, &ec2.DescribeRegionsInput{Filters: []types.Filter{{Name: aws.String("opt-in-status"), Values: []string{"opt-in-not-required"}}}})
	f.must(err)
	if len(out.Regions) != 17 {
		t.Errorf("regions without opt-in: %d", len(out.Regions))
	}
}

func TestDescribeAvailabilityZonesAsAWSHasThem(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		region string
		zones  [][2]string
	}{
		{"us-west-1", [][2]string{{"us-west-1a", "usw1-az1"}, {"us-west-1c", "usw1-az3"}}},
		{"ca-central-1", [][2]string{{"ca-central-1a", "cac1-az1"}, {"ca-central-1b", "cac1-az2"}, {"ca-central-1d", "cac1-az4"}}},
		{"mx-central-1", [][2]string{{"mx-central-1a", "mxc1-az1"}, {"mx-central-1b", "mxc1-az2"}, {"mx-central-1c", "mxc1-az3"}}},
		{"ap-southeast-7", [][2]string{{"ap-southeast-7a", "apse7-az1"}, {"ap-southeast-7b", "apse7-az2"}, {"ap-southeast-7c", "apse7-az3"}}},
	} {
		out, err := emulatortest.EC2(f.em, emulatortest.AccountA, tc.region).DescribeAvailabilityZones(f.ctx, &ec2.DescribeAvailabilityZonesInput{})
		if err != nil {
			t.Errorf("%s: %v", tc.region, err)
			continue
		}
		var got [][2]string
		for _, z := range out.AvailabilityZones {
			got = append(got, [2]string{aws.ToString(z.ZoneName), aws.ToString(z.ZoneId)})
		}
		if !slices.Equal(got, tc.zones) {
			t.Errorf("%s: zones %v, want %v", tc.region, got, tc.zones)
		}
	}
}

// Interface endpoints to services of the full catalogue, in us-east-1 and
// in the regions added with it.
func TestCreateVpcEndpointToCatalogueServices(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ region, name, privateName string }{
		{"us-east-1", "com.amazonaws.us-east-1.rds", "rds.us-east-1.amazonaws.com"},
		{"us-east-1", "com.amazonaws.us-east-1.bedrock-runtime", "bedrock-runtime.us-east-1.amazonaws.com"},
		{"us-east-1", "com.amazonaws.us-east-1.glue", "glue.us-east-1.amazonaws.com"},
		{"us-east-1", "com.amazonaws.us-east-1.ecs", "ecs.us-east-1.amazonaws.com"},
		{"us-east-1", "com.amazonaws.us-east-1.kinesis-streams", "kinesis.us-east-1.amazonaws.com"},
		{"us-east-1", "aws.api.us-east-1.qbusiness", "qbusiness.us-east-1.api.aws"},
		{"us-east-1", "com.amazonaws.iam", "iam.amazonaws.com"},
		{"mx-central-1", "com.amazonaws.mx-central-1.rds", "rds.mx-central-1.amazonaws.com"},
		{"ap-southeast-7", "com.amazonaws.ap-southeast-7.rds", "rds.ap-southeast-7.amazonaws.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := endpointEnv{fixture: fixture{t: t, em: f.em, c: emulatortest.EC2(f.em, emulatortest.AccountA, tc.region), ctx: f.ctx}}
			vpc := e.newVPC("10.0.0.0/16", true)
			subnet := e.subnet(vpc, "10.0.1.0/24", tc.region+"a")
			out, err := e.c.CreateVpcEndpoint(e.ctx, &ec2.CreateVpcEndpointInput{VpcId: &vpc, ServiceName: &tc.name,
				VpcEndpointType: types.VpcEndpointTypeInterface, SubnetIds: []string{subnet}, PrivateDnsEnabled: aws.Bool(true)})
			e.must(err)
			ep := out.VpcEndpoint
			entries := ep.DnsEntries
			if aws.ToString(ep.ServiceName) != tc.name || len(entries) != 3 || aws.ToString(entries[2].DnsName) != tc.privateName {
				t.Errorf("%s: %+v", tc.name, ep)
			}
		})
	}
}
