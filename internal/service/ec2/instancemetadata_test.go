package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// ModifyInstanceMetadataOptions changes what it is given, keeps the rest,
// answers "pending" and refuses what EC2 refuses.
func TestModifyInstanceMetadataOptions(t *testing.T) {
	e := newENIEnv(t)
	id := aws.ToString(e.run(&ec2.RunInstancesInput{}).Instances[0].InstanceId)
	out, err := e.c.ModifyInstanceMetadataOptions(e.ctx, &ec2.ModifyInstanceMetadataOptionsInput{InstanceId: &id, HttpTokens: types.HttpTokensStateRequired})
	e.must(err)
	m := out.InstanceMetadataOptions
	if aws.ToString(out.InstanceId) != id || m.State != types.InstanceMetadataOptionsStatePending || m.HttpTokens != types.HttpTokensStateRequired ||
		m.HttpEndpoint != types.InstanceMetadataEndpointStateEnabled || aws.ToInt32(m.HttpPutResponseHopLimit) != 1 {
		t.Fatalf("answer: %+v", m)
	}
	_, err = e.c.ModifyInstanceMetadataOptions(e.ctx, &ec2.ModifyInstanceMetadataOptionsInput{InstanceId: &id, HttpPutResponseHopLimit: aws.Int32(3),
		InstanceMetadataTags: types.InstanceMetadataTagsStateEnabled})
	e.must(err)
	got := e.instance(id).MetadataOptions
	if got.State != types.InstanceMetadataOptionsStateApplied || got.HttpTokens != types.HttpTokensStateRequired ||
		aws.ToInt32(got.HttpPutResponseHopLimit) != 3 || got.InstanceMetadataTags != types.InstanceMetadataTagsStateEnabled {
		t.Fatalf("described: %+v", got)
	}
	for _, tc := range []struct {
		name string
		in   *ec2.ModifyInstanceMetadataOptionsInput
		code string
	}{
		{"hop limit", &ec2.ModifyInstanceMetadataOptionsInput{InstanceId: &id, HttpPutResponseHopLimit: aws.Int32(65)}, "InvalidParameterValue"},
		{"tokens", &ec2.ModifyInstanceMetadataOptionsInput{InstanceId: &id, HttpTokens: "sometimes"}, "InvalidParameterValue"},
		{"no such instance", &ec2.ModifyInstanceMetadataOptionsInput{InstanceId: aws.String("i-0123456789abcdef0"), HttpTokens: types.HttpTokensStateOptional}, "InvalidInstanceID.NotFound"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.ModifyInstanceMetadataOptions(e.ctx, tc.in)
			e.wantErr(err, tc.code, "")
		})
	}
}
