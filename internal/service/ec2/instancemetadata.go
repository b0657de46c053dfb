package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// ModifyInstanceMetadataOptions implements ec2api.Handler. AWS answers
// with the new settings in state "pending" (applied by the next
// DescribeInstances).
func (s *Service) ModifyInstanceMetadataOptions(ctx context.Context, req *awsproto.Request, in *ec2api.ModifyInstanceMetadataOptionsInput) (*ec2api.ModifyInstanceMetadataOptionsOutput, error) {
	id := optional.Value(in.InstanceId)
	m, err := s.network.ModifyInstanceMetadataOptions(ctx, caller(req), id, network.MetadataOptions{
		HTTPTokens: optional.Value(in.HttpTokens), HTTPEndpoint: optional.Value(in.HttpEndpoint),
		HTTPProtocolIPv6: optional.Value(in.HttpProtocolIpv6), HopLimit: optional.Value(in.HttpPutResponseHopLimit),
		InstanceMetadataTags: optional.Value(in.InstanceMetadataTags),
	})
	if err != nil {
		return nil, err
	}
	return &ec2api.ModifyInstanceMetadataOptionsOutput{InstanceId: new(id), InstanceMetadataOptions: &ec2api.InstanceMetadataOptionsResponse{
		State: new("pending"), HttpTokens: new(m.HTTPTokens), HttpEndpoint: new(m.HTTPEndpoint), HttpProtocolIpv6: new(m.HTTPProtocolIPv6),
		HttpPutResponseHopLimit: new(m.HopLimit), InstanceMetadataTags: new(m.InstanceMetadataTags),
	}}, nil
}
