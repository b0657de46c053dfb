package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/privatelink"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// connectionShape renders a VPC endpoint as the provider of its service
// sees it. DNS entries are the consumer's to derive; the record carries
// none.
func connectionShape(c privatelink.EndpointConnection) ec2api.VpcEndpointConnection {
	e := c.Endpoint
	return ec2api.VpcEndpointConnection{
		ServiceId:               new(c.Service.ID),
		VpcEndpointId:           new(e.ID),
		VpcEndpointOwner:        new(e.Owner),
		VpcEndpointState:        new(e.State),
		CreationTimestamp:       optional.Time(e.CreationTime),
		NetworkLoadBalancerArns: c.Service.NetworkLoadBalancerARNs,
		GatewayLoadBalancerArns: c.Service.GatewayLoadBalancerARNs,
		IpAddressType:           optional.String(e.IPAddressType),
		VpcEndpointConnectionId: optional.String(e.ConnectionID),
		VpcEndpointRegion:       new(e.Region),
	}
}

var connectionFilters = &filters[privatelink.EndpointConnection]{
	values: map[string]func(privatelink.EndpointConnection) []string{
		"ip-address-type":     func(c privatelink.EndpointConnection) []string { return one(c.Endpoint.IPAddressType) },
		"service-id":          func(c privatelink.EndpointConnection) []string { return one(c.Service.ID) },
		"vpc-endpoint-owner":  func(c privatelink.EndpointConnection) []string { return one(c.Endpoint.Owner) },
		"vpc-endpoint-region": func(c privatelink.EndpointConnection) []string { return one(c.Endpoint.Region) },
		"vpc-endpoint-state":  func(c privatelink.EndpointConnection) []string { return one(c.Endpoint.State) },
		"vpc-endpoint-id":     func(c privatelink.EndpointConnection) []string { return one(c.Endpoint.ID) },
	},
	tags: func(privatelink.EndpointConnection) cloud.Tags { return nil },
}

// DescribeVpcEndpointConnections implements ec2api.Handler: the endpoints
// of every account connected to the caller's services, by endpoint id.
func (s *Service) DescribeVpcEndpointConnections(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeVpcEndpointConnectionsInput) (*ec2api.DescribeVpcEndpointConnectionsOutput, error) {
	match, _, err := connectionFilters.compile(in.Filters)
	if err != nil {
		return nil, err
	}
	conns, err := s.privatelink.EndpointConnections(ctx, caller(req))
	if err != nil {
		return nil, err
	}
	page, err := slicePage(matching(conns, match), func(c privatelink.EndpointConnection) string { return c.Endpoint.ID }, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeVpcEndpointConnectionsOutput{VpcEndpointConnections: make([]ec2api.VpcEndpointConnection, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, c := range page.Items {
		out.VpcEndpointConnections = append(out.VpcEndpointConnections, connectionShape(c))
	}
	return out, nil
}

// AcceptVpcEndpointConnections implements ec2api.Handler.
func (s *Service) AcceptVpcEndpointConnections(ctx context.Context, req *awsproto.Request, in *ec2api.AcceptVpcEndpointConnectionsInput) (*ec2api.AcceptVpcEndpointConnectionsOutput, error) {
	failed, err := s.privatelink.AcceptEndpointConnections(ctx, caller(req), optional.Value(in.ServiceId), in.VpcEndpointIds)
	if err != nil {
		return nil, err
	}
	return &ec2api.AcceptVpcEndpointConnectionsOutput{Unsuccessful: unsuccessfulItems(failed)}, nil
}

// RejectVpcEndpointConnections implements ec2api.Handler.
func (s *Service) RejectVpcEndpointConnections(ctx context.Context, req *awsproto.Request, in *ec2api.RejectVpcEndpointConnectionsInput) (*ec2api.RejectVpcEndpointConnectionsOutput, error) {
	failed, err := s.privatelink.RejectEndpointConnections(ctx, caller(req), optional.Value(in.ServiceId), in.VpcEndpointIds)
	if err != nil {
		return nil, err
	}
	return &ec2api.RejectVpcEndpointConnectionsOutput{Unsuccessful: unsuccessfulItems(failed)}, nil
}

func connectionNotificationShape(n *privatelink.ConnectionNotification) ec2api.ConnectionNotification {
	return ec2api.ConnectionNotification{
		ConnectionNotificationId:    new(n.ID),
		ServiceId:                   optional.String(n.ServiceID),
		VpcEndpointId:               optional.String(n.VpcEndpointID),
		ConnectionNotificationType:  new(privatelink.NotificationTopic),
		ConnectionNotificationArn:   new(n.TopicARN),
		ConnectionEvents:            n.Events,
		ConnectionNotificationState: new(privatelink.NotificationEnabled),
		ServiceRegion:               optional.String(n.ServiceRegion),
	}
}

// CreateVpcEndpointConnectionNotification implements ec2api.Handler.
// vpcemu has no SNS: nothing is ever delivered to the topic.
func (s *Service) CreateVpcEndpointConnectionNotification(ctx context.Context, req *awsproto.Request, in *ec2api.CreateVpcEndpointConnectionNotificationInput) (*ec2api.CreateVpcEndpointConnectionNotificationOutput, error) {
	n, err := s.privatelink.CreateConnectionNotification(ctx, caller(req), privatelink.ConnectionNotificationInput{
		ServiceID:     optional.Value(in.ServiceId),
		VpcEndpointID: optional.Value(in.VpcEndpointId),
		TopicARN:      optional.Value(in.ConnectionNotificationArn),
		Events:        in.ConnectionEvents,
	})
	if err != nil {
		return nil, err
	}
	shape := connectionNotificationShape(n)
	return &ec2api.CreateVpcEndpointConnectionNotificationOutput{ConnectionNotification: &shape, ClientToken: in.ClientToken}, nil
}

// ModifyVpcEndpointConnectionNotification implements ec2api.Handler.
func (s *Service) ModifyVpcEndpointConnectionNotification(ctx context.Context, req *awsproto.Request, in *ec2api.ModifyVpcEndpointConnectionNotificationInput) (*ec2api.ModifyVpcEndpointConnectionNotificationOutput, error) {
	err := s.privatelink.ModifyConnectionNotification(ctx, caller(req), optional.Value(in.ConnectionNotificationId), optional.Value(in.ConnectionNotificationArn), in.ConnectionEvents)
	if err != nil {
		return nil, err
	}
	return &ec2api.ModifyVpcEndpointConnectionNotificationOutput{ReturnValue: new(true)}, nil
}

// DeleteVpcEndpointConnectionNotifications implements ec2api.Handler.
func (s *Service) DeleteVpcEndpointConnectionNotifications(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteVpcEndpointConnectionNotificationsInput) (*ec2api.DeleteVpcEndpointConnectionNotificationsOutput, error) {
	failed, err := s.privatelink.DeleteConnectionNotifications(ctx, caller(req), in.ConnectionNotificationIds)
	if err != nil {
		return nil, err
	}
	return &ec2api.DeleteVpcEndpointConnectionNotificationsOutput{Unsuccessful: unsuccessfulItems(failed)}, nil
}

var connectionNotificationFilters = &filters[*privatelink.ConnectionNotification]{
	values: map[string]func(*privatelink.ConnectionNotification) []string{
		"connection-notification-arn":   func(n *privatelink.ConnectionNotification) []string { return one(n.TopicARN) },
		"connection-notification-id":    func(n *privatelink.ConnectionNotification) []string { return one(n.ID) },
		"connection-notification-state": func(*privatelink.ConnectionNotification) []string { return one(privatelink.NotificationEnabled) },
		"connection-notification-type":  func(*privatelink.ConnectionNotification) []string { return one(privatelink.NotificationTopic) },
		"service-id":                    func(n *privatelink.ConnectionNotification) []string { return one(n.ServiceID) },
		"vpc-endpoint-id":               func(n *privatelink.ConnectionNotification) []string { return one(n.VpcEndpointID) },
	},
	tags: func(n *privatelink.ConnectionNotification) cloud.Tags { return n.Tags },
}

// DescribeVpcEndpointConnectionNotifications implements ec2api.Handler.
func (s *Service) DescribeVpcEndpointConnectionNotifications(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeVpcEndpointConnectionNotificationsInput) (*ec2api.DescribeVpcEndpointConnectionNotificationsOutput, error) {
	var ids []string
	if in.ConnectionNotificationId != nil {
		ids = []string{*in.ConnectionNotificationId}
	}
	page, err := describe[privatelink.ConnectionNotification](ctx, req, s, connectionNotificationFilters, ids, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeVpcEndpointConnectionNotificationsOutput{ConnectionNotificationSet: make([]ec2api.ConnectionNotification, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, n := range page.Items {
		out.ConnectionNotificationSet = append(out.ConnectionNotificationSet, connectionNotificationShape(n))
	}
	return out, nil
}
