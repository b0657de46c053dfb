package elbv2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/elbv2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// listener renders a listener as the wire shape.
func listener(l *elb.Listener) elbv2api.Listener {
	out := elbv2api.Listener{
		ListenerArn:     new(l.ID),
		LoadBalancerArn: new(l.LoadBalancerARN),
		Protocol:        optional.String(l.Protocol),
		SslPolicy:       optional.String(l.SSLPolicy),
		AlpnPolicy:      l.AlpnPolicy,
	}
	if l.Port != 0 {
		out.Port = new(l.Port)
	}
	for _, c := range l.Certificates {
		out.Certificates = append(out.Certificates, elbv2api.Certificate{CertificateArn: new(c)})
	}
	for _, a := range l.Actions {
		out.DefaultActions = append(out.DefaultActions, action(a))
	}
	return out
}

func certificates(in []elbv2api.Certificate) []string {
	var out []string
	for _, c := range in {
		out = append(out, optional.Value(c.CertificateArn))
	}
	return out
}

// CreateListener implements elbv2api.Handler.
func (s *Service) CreateListener(ctx context.Context, req *awsproto.Request, in *elbv2api.CreateListenerInput) (*elbv2api.CreateListenerOutput, error) {
	if err := checkEnum("protocol", in.Protocol, elbv2api.ProtocolEnumValues); err != nil {
		return nil, err
	}
	actions, err := actionInputs("defaultActions", in.DefaultActions)
	if err != nil {
		return nil, err
	}
	l, err := s.elb.CreateListener(ctx, caller(req), optional.Value(in.LoadBalancerArn), elb.ListenerInput{
		Port: in.Port, Protocol: optional.Value(in.Protocol), SSLPolicy: optional.Value(in.SslPolicy), Certificates: certificates(in.Certificates),
		AlpnPolicy: in.AlpnPolicy, Actions: actions, Tags: tags(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	return &elbv2api.CreateListenerOutput{Listeners: []elbv2api.Listener{listener(l)}}, nil
}

// DeleteListener implements elbv2api.Handler.
func (s *Service) DeleteListener(ctx context.Context, req *awsproto.Request, in *elbv2api.DeleteListenerInput) (*elbv2api.DeleteListenerOutput, error) {
	return &elbv2api.DeleteListenerOutput{}, s.elb.DeleteListener(ctx, caller(req), optional.Value(in.ListenerArn))
}

// DescribeListeners implements elbv2api.Handler: by ARNs or by load
// balancer, a page at a time.
func (s *Service) DescribeListeners(ctx context.Context, req *awsproto.Request, in *elbv2api.DescribeListenersInput) (*elbv2api.DescribeListenersOutput, error) {
	if in.LoadBalancerArn == nil && len(in.ListenerArns) == 0 {
		return nil, awsprotoValidation("You must specify either listener ARNs or a load balancer ARN")
	}
	if err := exclusive("Listener ARNs and a load balancer ARN cannot be specified at the same time", in.LoadBalancerArn != nil, len(in.ListenerArns) > 0); err != nil {
		return nil, err
	}
	who := caller(req)
	if err := elb.CheckELBARNs(in.ListenerArns, cloud.KindListener); err != nil {
		return nil, err
	}
	q, err := page(in.ListenerArns, in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	if in.LoadBalancerArn != nil {
		if err := s.elb.CheckLoadBalancer(ctx, who, *in.LoadBalancerArn); err != nil {
			return nil, err
		}
		q.Filters = []cloud.Filter{{Name: "load-balancer", Values: []string{*in.LoadBalancerArn}}}
	}
	p, err := cloud.List[elb.Listener](ctx, s.elb.Cloud, who, q, nil)
	if err != nil {
		return nil, notFoundByARN(err, cloud.KindListener)
	}
	out := &elbv2api.DescribeListenersOutput{NextMarker: nextMarker(p.Next)}
	for _, l := range p.Items {
		out.Listeners = append(out.Listeners, listener(l))
	}
	return out, nil
}

// ModifyListener implements elbv2api.Handler.
func (s *Service) ModifyListener(ctx context.Context, req *awsproto.Request, in *elbv2api.ModifyListenerInput) (*elbv2api.ModifyListenerOutput, error) {
	if err := checkEnum("protocol", in.Protocol, elbv2api.ProtocolEnumValues); err != nil {
		return nil, err
	}
	actions, err := actionInputs("defaultActions", in.DefaultActions)
	if err != nil {
		return nil, err
	}
	l, err := s.elb.ModifyListener(ctx, caller(req), optional.Value(in.ListenerArn), elb.ListenerInput{
		Port: in.Port, Protocol: optional.Value(in.Protocol), SSLPolicy: optional.Value(in.SslPolicy), Certificates: certificates(in.Certificates),
		AlpnPolicy: in.AlpnPolicy, Actions: actions,
	})
	if err != nil {
		return nil, err
	}
	return &elbv2api.ModifyListenerOutput{Listeners: []elbv2api.Listener{listener(l)}}, nil
}

func listenerAttributes(attrs []elb.Attribute) []elbv2api.ListenerAttribute {
	return wireAttributes(attrs, func(k, v *string) elbv2api.ListenerAttribute {
		return elbv2api.ListenerAttribute{Key: k, Value: v}
	})
}

// DescribeListenerAttributes implements elbv2api.Handler.
func (s *Service) DescribeListenerAttributes(ctx context.Context, req *awsproto.Request, in *elbv2api.DescribeListenerAttributesInput) (*elbv2api.DescribeListenerAttributesOutput, error) {
	attrs, err := s.elb.ListenerAttributes(ctx, caller(req), optional.Value(in.ListenerArn))
	if err != nil {
		return nil, err
	}
	return &elbv2api.DescribeListenerAttributesOutput{Attributes: listenerAttributes(attrs)}, nil
}

// ModifyListenerAttributes implements elbv2api.Handler.
func (s *Service) ModifyListenerAttributes(ctx context.Context, req *awsproto.Request, in *elbv2api.ModifyListenerAttributesInput) (*elbv2api.ModifyListenerAttributesOutput, error) {
	changes := attributes(in.Attributes, func(a elbv2api.ListenerAttribute) (*string, *string) { return a.Key, a.Value })
	attrs, err := s.elb.ModifyListenerAttributes(ctx, caller(req), optional.Value(in.ListenerArn), changes)
	if err != nil {
		return nil, err
	}
	return &elbv2api.ModifyListenerAttributesOutput{Attributes: listenerAttributes(attrs)}, nil
}
