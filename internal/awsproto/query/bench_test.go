package query_test

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto/query"
)

// Request bodies as the AWS SDKs send them.
var decodeBodies = []struct {
	name, body string
}{
	{"DescribeVpcs/ById", "Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-0123456789abcdef0"},
	{"DescribeVpcs/Filters", "Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=tag%3AName&Filter.1.Value.1=web&Filter.2.Name=cidr&Filter.2.Value.1=10.0.0.0%2F16&MaxResults=100"},
	{"CreateVpc", "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16&InstanceTenancy=default" +
		"&TagSpecification.1.ResourceType=vpc&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=main"},
}

// BenchmarkDecode measures parsing a form body and decoding it into the
// operation's generated input shape.
func BenchmarkDecode(b *testing.B) {
	for _, tc := range decodeBodies {
		b.Run(tc.name, func(b *testing.B) {
			r := httptest.NewRequest("POST", "/", nil)
			body := []byte(tc.body)
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := query.EC2.Decode(r, body, ec2api.Spec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncodeDescribeVpcs measures writing a DescribeVpcs answer of one
// and of 100 VPCs through the ec2 codec.
func BenchmarkEncodeDescribeVpcs(b *testing.B) {
	op := ec2api.Spec.Operations["DescribeVpcs"]
	for _, n := range []int{1, 100} {
		out := &ec2api.DescribeVpcsOutput{}
		for range n {
			out.Vpcs = append(out.Vpcs, sampleVpc())
		}
		b.Run(fmt.Sprintf("vpcs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				query.EC2.Encode(w, ec2api.Spec, op, out, "6f1a9d6e-1c2b-4d3e-8f40-123456789abc")
			}
		})
	}
}

func sampleVpc() ec2api.Vpc {
	s := func(v string) *string { return &v }
	t := func(v bool) *bool { return &v }
	return ec2api.Vpc{
		VpcId: s("vpc-0123456789abcdef0"), OwnerId: s("111111111111"), CidrBlock: s("10.0.0.0/16"),
		DhcpOptionsId: s("dopt-0123456789abcdef0"), InstanceTenancy: s("default"), IsDefault: t(false), State: s("available"),
		CidrBlockAssociationSet: []ec2api.VpcCidrBlockAssociation{{
			AssociationId: s("vpc-cidr-assoc-0123456789abcdef0"), CidrBlock: s("10.0.0.0/16"),
			CidrBlockState: &ec2api.VpcCidrBlockState{State: s("associated")},
		}},
		Tags: []ec2api.Tag{{Key: s("Name"), Value: s("main")}, {Key: s("env"), Value: s("bench")}},
	}
}
