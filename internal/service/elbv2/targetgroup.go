package elbv2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/elbv2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/elb"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// targetGroup renders a target group as the wire shape.
func targetGroup(g *elb.TargetGroup) elbv2api.TargetGroup {
	hc := g.HealthCheck
	out := elbv2api.TargetGroup{
		TargetGroupArn:             new(g.ID),
		TargetGroupName:            new(g.Name),
		Protocol:                   optional.String(g.Protocol),
		ProtocolVersion:            optional.String(g.ProtocolVersion),
		VpcId:                      optional.String(g.VpcID),
		HealthCheckEnabled:         new(hc.Enabled),
		HealthCheckProtocol:        optional.String(hc.Protocol),
		HealthCheckPort:            optional.String(hc.Port),
		HealthCheckPath:            optional.String(hc.Path),
		HealthCheckIntervalSeconds: new(hc.IntervalSeconds),
		HealthCheckTimeoutSeconds:  new(hc.TimeoutSeconds),
		HealthyThresholdCount:      new(hc.HealthyThreshold),
		UnhealthyThresholdCount:    new(hc.UnhealthyThreshold),
		LoadBalancerArns:           g.LoadBalancerARNs,
		TargetType:                 new(g.TargetType),
		IpAddressType:              new(g.IPAddressType),
	}
	if g.Port != 0 {
		out.Port = new(g.Port)
	}
	if hc.HTTPCode != "" || hc.GRPCCode != "" {
		out.Matcher = &elbv2api.Matcher{HttpCode: optional.String(hc.HTTPCode), GrpcCode: optional.String(hc.GRPCCode)}
	}
	return out
}

// healthCheckInput gathers the health check settings of a create or modify
// call.
func healthCheckInput(enabled *bool, protocol, port, path *string, interval, timeout, healthy, unhealthy *int32, m *elbv2api.Matcher) elb.HealthCheckInput {
	in := elb.HealthCheckInput{
		Enabled: enabled, Protocol: protocol, Port: port, Path: path,
		Interval: interval, Timeout: timeout, HealthyThreshold: healthy, UnhealthyCount: unhealthy,
	}
	if m != nil {
		in.HTTPCode, in.GRPCCode = m.HttpCode, m.GrpcCode
	}
	return in
}

// CreateTargetGroup implements elbv2api.Handler.
func (s *Service) CreateTargetGroup(ctx context.Context, req *awsproto.Request, in *elbv2api.CreateTargetGroupInput) (*elbv2api.CreateTargetGroupOutput, error) {
	if err := checkEnums(
		checkEnum("protocol", in.Protocol, elbv2api.ProtocolEnumValues),
		checkEnum("healthCheckProtocol", in.HealthCheckProtocol, elbv2api.ProtocolEnumValues),
		checkEnum("targetType", in.TargetType, elbv2api.TargetTypeEnumValues),
		checkEnum("ipAddressType", in.IpAddressType, elbv2api.TargetGroupIpAddressTypeEnumValues),
	); err != nil {
		return nil, err
	}
	g, err := s.elb.CreateTargetGroup(ctx, caller(req), elb.CreateTargetGroupInput{
		Name: optional.Value(in.Name), Protocol: optional.Value(in.Protocol), ProtocolVersion: optional.Value(in.ProtocolVersion), Port: in.Port,
		VpcID: optional.Value(in.VpcId), TargetType: optional.Value(in.TargetType), IPAddressType: optional.Value(in.IpAddressType),
		HealthCheck: healthCheckInput(in.HealthCheckEnabled, in.HealthCheckProtocol, in.HealthCheckPort, in.HealthCheckPath,
			in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds, in.HealthyThresholdCount, in.UnhealthyThresholdCount, in.Matcher),
		Tags: tags(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	return &elbv2api.CreateTargetGroupOutput{TargetGroups: []elbv2api.TargetGroup{targetGroup(g)}}, nil
}

// DeleteTargetGroup implements elbv2api.Handler.
func (s *Service) DeleteTargetGroup(ctx context.Context, req *awsproto.Request, in *elbv2api.DeleteTargetGroupInput) (*elbv2api.DeleteTargetGroupOutput, error) {
	return &elbv2api.DeleteTargetGroupOutput{}, s.elb.DeleteTargetGroup(ctx, caller(req), optional.Value(in.TargetGroupArn))
}

// DescribeTargetGroups implements elbv2api.Handler: by ARNs, by names, by
// load balancer or all, a page at a time.
func (s *Service) DescribeTargetGroups(ctx context.Context, req *awsproto.Request, in *elbv2api.DescribeTargetGroupsInput) (*elbv2api.DescribeTargetGroupsOutput, error) {
	if err := exclusive("You can specify only one of load balancer ARN, target group ARNs and target group names",
		in.LoadBalancerArn != nil, len(in.TargetGroupArns) > 0, len(in.Names) > 0); err != nil {
		return nil, err
	}
	who := caller(req)
	arns := in.TargetGroupArns
	if err := elb.CheckELBARNs(arns, cloud.KindTargetGroup); err != nil {
		return nil, err
	}
	var err error
	switch {
	case len(in.Names) > 0:
		arns, err = s.elb.TargetGroupARNs(ctx, who, in.Names)
	case in.LoadBalancerArn != nil:
		arns, err = s.elb.LoadBalancerTargetGroupARNs(ctx, who, *in.LoadBalancerArn)
		if err == nil && len(arns) == 0 {
			return &elbv2api.DescribeTargetGroupsOutput{}, nil
		}
	}
	if err != nil {
		return nil, err
	}
	q, err := page(arns, in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	p, err := cloud.List[elb.TargetGroup](ctx, s.elb.Cloud, who, q, nil)
	if err != nil {
		return nil, notFoundByARN(err, cloud.KindTargetGroup)
	}
	out := &elbv2api.DescribeTargetGroupsOutput{NextMarker: nextMarker(p.Next)}
	for _, g := range p.Items {
		out.TargetGroups = append(out.TargetGroups, targetGroup(g))
	}
	return out, nil
}

// ModifyTargetGroup implements elbv2api.Handler.
func (s *Service) ModifyTargetGroup(ctx context.Context, req *awsproto.Request, in *elbv2api.ModifyTargetGroupInput) (*elbv2api.ModifyTargetGroupOutput, error) {
	if err := checkEnum("healthCheckProtocol", in.HealthCheckProtocol, elbv2api.ProtocolEnumValues); err != nil {
		return nil, err
	}
	g, err := s.elb.ModifyTargetGroup(ctx, caller(req), optional.Value(in.TargetGroupArn), healthCheckInput(in.HealthCheckEnabled, in.HealthCheckProtocol,
		in.HealthCheckPort, in.HealthCheckPath, in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds, in.HealthyThresholdCount, in.UnhealthyThresholdCount, in.Matcher))
	if err != nil {
		return nil, err
	}
	return &elbv2api.ModifyTargetGroupOutput{TargetGroups: []elbv2api.TargetGroup{targetGroup(g)}}, nil
}

func tgAttributes(attrs []elb.Attribute) []elbv2api.TargetGroupAttribute {
	return wireAttributes(attrs, func(k, v *string) elbv2api.TargetGroupAttribute {
		return elbv2api.TargetGroupAttribute{Key: k, Value: v}
	})
}

// DescribeTargetGroupAttributes implements elbv2api.Handler.
func (s *Service) DescribeTargetGroupAttributes(ctx context.Context, req *awsproto.Request, in *elbv2api.DescribeTargetGroupAttributesInput) (*elbv2api.DescribeTargetGroupAttributesOutput, error) {
	attrs, err := s.elb.TargetGroupAttributes(ctx, caller(req), optional.Value(in.TargetGroupArn))
	if err != nil {
		return nil, err
	}
	return &elbv2api.DescribeTargetGroupAttributesOutput{Attributes: tgAttributes(attrs)}, nil
}

// ModifyTargetGroupAttributes implements elbv2api.Handler.
func (s *Service) ModifyTargetGroupAttributes(ctx context.Context, req *awsproto.Request, in *elbv2api.ModifyTargetGroupAttributesInput) (*elbv2api.ModifyTargetGroupAttributesOutput, error) {
	changes := attributes(in.Attributes, func(a elbv2api.TargetGroupAttribute) (*string, *string) { return a.Key, a.Value })
	attrs, err := s.elb.ModifyTargetGroupAttributes(ctx, caller(req), optional.Value(in.TargetGroupArn), changes)
	if err != nil {
		return nil, err
	}
	return &elbv2api.ModifyTargetGroupAttributesOutput{Attributes: tgAttributes(attrs)}, nil
}

// targetSpecs converts wire targets to domain ones.
func targetSpecs(in []elbv2api.TargetDescription) []elb.TargetSpec {
	out := make([]elb.TargetSpec, len(in))
	for i, t := range in {
		out[i] = elb.TargetSpec{ID: optional.Value(t.Id), Port: t.Port, AvailabilityZone: optional.Value(t.AvailabilityZone)}
	}
	return out
}

// RegisterTargets implements elbv2api.Handler.
func (s *Service) RegisterTargets(ctx context.Context, req *awsproto.Request, in *elbv2api.RegisterTargetsInput) (*elbv2api.RegisterTargetsOutput, error) {
	return &elbv2api.RegisterTargetsOutput{}, s.elb.RegisterTargets(ctx, caller(req), optional.Value(in.TargetGroupArn), targetSpecs(in.Targets))
}

// DeregisterTargets implements elbv2api.Handler.
func (s *Service) DeregisterTargets(ctx context.Context, req *awsproto.Request, in *elbv2api.DeregisterTargetsInput) (*elbv2api.DeregisterTargetsOutput, error) {
	return &elbv2api.DeregisterTargetsOutput{}, s.elb.DeregisterTargets(ctx, caller(req), optional.Value(in.TargetGroupArn), targetSpecs(in.Targets))
}

// DescribeTargetHealth implements elbv2api.Handler.
func (s *Service) DescribeTargetHealth(ctx context.Context, req *awsproto.Request, in *elbv2api.DescribeTargetHealthInput) (*elbv2api.DescribeTargetHealthOutput, error) {
	for _, inc := range in.Include {
		if err := checkEnum("include", &inc, elbv2api.DescribeTargetHealthInputIncludeEnumValues); err != nil {
			return nil, err
		}
	}
	health, err := s.elb.DescribeTargetHealth(ctx, caller(req), optional.Value(in.TargetGroupArn), targetSpecs(in.Targets))
	if err != nil {
		return nil, err
	}
	out := &elbv2api.DescribeTargetHealthOutput{TargetHealthDescriptions: []elbv2api.TargetHealthDescription{}}
	for _, h := range health {
		d := elbv2api.TargetHealthDescription{
			Target:          &elbv2api.TargetDescription{Id: new(h.Target.ID), AvailabilityZone: optional.String(h.Target.AvailabilityZone)},
			HealthCheckPort: optional.String(h.HealthCheckPort),
			TargetHealth:    &elbv2api.TargetHealth{State: new(h.State), Reason: optional.String(h.Reason), Description: optional.String(h.Description)},
		}
		if h.Target.Port != 0 {
			d.Target.Port = new(h.Target.Port)
		}
		if len(in.Include) > 0 {
			d.AnomalyDetection = &elbv2api.AnomalyDetection{Result: new("normal"), MitigationInEffect: new("no")}
		}
		out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, d)
	}
	return out, nil
}
