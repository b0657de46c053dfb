package ec2_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestCamelCaseFilterNames: AWS accepts some filters under a camel-case name
// beside the documented one, and the Terraform provider's data sources send
// those (data "aws_vpc" { default = true }, data "aws_subnet" { default_for_az = true }).
func TestCamelCaseFilterNames(t *testing.T) {
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, emulatortest.AccountA, "us-east-1")
	ctx := context.Background()
	filter := func(name string) []types.Filter {
		return []types.Filter{{Name: aws.String(name), Values: []string{"true"}}}
	}
	for _, name := range []string{"is-default", "isDefault"} {
		out, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: filter(name)})
		if err != nil || len(out.Vpcs) != 1 || !aws.ToBool(out.Vpcs[0].IsDefault) {
			t.Errorf("DescribeVpcs %s=true: %+v %v", name, out, err)
		}
	}
	for _, name := range []string{"default-for-az", "defaultForAz"} {
		out, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: filter(name)})
		if err != nil || len(out.Subnets) != 6 {
			t.Errorf("DescribeSubnets %s=true: %v, %d subnets (want one per zone of us-east-1)", name, err, len(out.Subnets))
		}
	}
}
