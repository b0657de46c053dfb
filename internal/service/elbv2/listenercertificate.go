package elbv2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/elbv2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/optional"
)

func listenerCertificates(in []elb.ListenerCertificate) []elbv2api.Certificate {
	var out []elbv2api.Certificate
	for _, c := range in {
		out = append(out, elbv2api.Certificate{CertificateArn: new(c.ARN), IsDefault: new(c.IsDefault)})
	}
	return out
}

// AddListenerCertificates implements elbv2api.Handler.
func (s *Service) AddListenerCertificates(ctx context.Context, req *awsproto.Request, in *elbv2api.AddListenerCertificatesInput) (*elbv2api.AddListenerCertificatesOutput, error) {
	added, err := s.elb.AddListenerCertificates(ctx, caller(req), optional.Value(in.ListenerArn), certificates(in.Certificates))
	if err != nil {
		return nil, err
	}
	return &elbv2api.AddListenerCertificatesOutput{Certificates: listenerCertificates(added)}, nil
}

// RemoveListenerCertificates implements elbv2api.Handler.
func (s *Service) RemoveListenerCertificates(ctx context.Context, req *awsproto.Request, in *elbv2api.RemoveListenerCertificatesInput) (*elbv2api.RemoveListenerCertificatesOutput, error) {
	return &elbv2api.RemoveListenerCertificatesOutput{}, s.elb.RemoveListenerCertificates(ctx, caller(req), optional.Value(in.ListenerArn), certificates(in.Certificates))
}

// DescribeListenerCertificates implements elbv2api.Handler.
func (s *Service) DescribeListenerCertificates(ctx context.Context, req *awsproto.Request, in *elbv2api.DescribeListenerCertificatesInput) (*elbv2api.DescribeListenerCertificatesOutput, error) {
	all, err := s.elb.ListenerCertificates(ctx, caller(req), optional.Value(in.ListenerArn))
	if err != nil {
		return nil, err
	}
	certs, next, err := pageOf(all, in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	return &elbv2api.DescribeListenerCertificatesOutput{Certificates: listenerCertificates(certs), NextMarker: next}, nil
}

// DescribeSSLPolicies implements elbv2api.Handler: AWS's predefined
// security policies, with their protocols and ciphers in priority order.
func (s *Service) DescribeSSLPolicies(ctx context.Context, req *awsproto.Request, in *elbv2api.DescribeSSLPoliciesInput) (*elbv2api.DescribeSSLPoliciesOutput, error) {
	if err := checkEnum("loadBalancerType", in.LoadBalancerType, elbv2api.LoadBalancerTypeEnumValues); err != nil {
		return nil, err
	}
	all, err := elb.SSLPolicies(in.Names, optional.Value(in.LoadBalancerType))
	if err != nil {
		return nil, err
	}
	policies, next, err := pageOf(all, in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	out := &elbv2api.DescribeSSLPoliciesOutput{NextMarker: next}
	for _, p := range policies {
		sp := elbv2api.SslPolicy{Name: new(p.Name), SslProtocols: p.Protocols, SupportedLoadBalancerTypes: p.LoadBalancerTypes}
		for i, c := range p.Ciphers {
			sp.Ciphers = append(sp.Ciphers, elbv2api.Cipher{Name: new(c), Priority: new(int32(i + 1))})
		}
		out.SslPolicies = append(out.SslPolicies, sp)
	}
	return out, nil
}
