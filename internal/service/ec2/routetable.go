package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

func routeTableShape(rt *network.RouteTable) ec2api.RouteTable {
	out := ec2api.RouteTable{
		RouteTableId: new(rt.ID),
		VpcId:        new(rt.VpcID),
		OwnerId:      new(rt.Owner),
		Routes:       make([]ec2api.Route, 0, len(rt.Routes)+len(rt.Propagated)),
		Associations: make([]ec2api.RouteTableAssociation, 0, len(rt.Associations)),
		// EC2 always sends the set, empty when nothing propagates.
		PropagatingVgws: make([]ec2api.PropagatingVgw, 0, len(rt.PropagatingVGWs)),
		Tags:            tagSet(rt.Tags),
	}
	for _, r := range rt.AllRoutes() {
		out.Routes = append(out.Routes, routeShape(r))
	}
	for _, a := range rt.Associations {
		out.Associations = append(out.Associations, routeTableAssociationShape(rt.ID, a))
	}
	for _, g := range rt.PropagatingVGWs {
		out.PropagatingVgws = append(out.PropagatingVgws, ec2api.PropagatingVgw{GatewayId: new(g)})
	}
	return out
}

// routeShape renders a route. EC2's Route has no VpcEndpointId: a route to
// a Gateway Load Balancer endpoint shows it as its GatewayId.
func routeShape(r network.Route) ec2api.Route {
	gateway := r.GatewayID
	if gateway == "" {
		gateway = r.VPCEndpointID
	}
	return ec2api.Route{
		DestinationCidrBlock:        optional.String(r.DestinationCIDR),
		DestinationIpv6CidrBlock:    optional.String(r.DestinationIPv6CIDR),
		DestinationPrefixListId:     optional.String(r.DestinationPrefixListID),
		GatewayId:                   optional.String(gateway),
		EgressOnlyInternetGatewayId: optional.String(r.EgressOnlyIGWID),
		NatGatewayId:                optional.String(r.NATGatewayID),
		InstanceId:                  optional.String(r.InstanceID),
		InstanceOwnerId:             optional.String(r.InstanceOwnerID),
		NetworkInterfaceId:          optional.String(r.NetworkInterfaceID),
		VpcPeeringConnectionId:      optional.String(r.VPCPeeringConnectionID),
		TransitGatewayId:            optional.String(r.TransitGatewayID),
		LocalGatewayId:              optional.String(r.LocalGatewayID),
		CarrierGatewayId:            optional.String(r.CarrierGatewayID),
		CoreNetworkArn:              optional.String(r.CoreNetworkARN),
		Origin:                      optional.String(r.Origin),
		State:                       optional.String(r.State),
	}
}

func routeTableAssociationShape(tableID string, a network.RouteTableAssociation) ec2api.RouteTableAssociation {
	return ec2api.RouteTableAssociation{
		RouteTableAssociationId: new(a.ID),
		RouteTableId:            new(tableID),
		Main:                    new(a.Main),
		SubnetId:                optional.String(a.SubnetID),
		GatewayId:               optional.String(a.GatewayID),
		AssociationState:        &ec2api.RouteTableAssociationState{State: new(a.State)},
	}
}

// CreateRouteTable implements ec2api.Handler.
func (s *Service) CreateRouteTable(ctx context.Context, req *awsproto.Request, in *ec2api.CreateRouteTableInput) (*ec2api.CreateRouteTableOutput, error) {
	rt, err := s.network.CreateRouteTable(ctx, caller(req), optional.Value(in.VpcId), tagSpecs(in.TagSpecifications))
	if err != nil {
		return nil, err
	}
	shape := routeTableShape(rt)
	return &ec2api.CreateRouteTableOutput{RouteTable: &shape, ClientToken: in.ClientToken}, nil
}

// DeleteRouteTable implements ec2api.Handler.
func (s *Service) DeleteRouteTable(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteRouteTableInput) (*ec2api.DeleteRouteTableOutput, error) {
	return &ec2api.DeleteRouteTableOutput{}, s.network.DeleteRouteTable(ctx, caller(req), optional.Value(in.RouteTableId))
}

// routeFields collects one value per route.
func routeFields(f func(network.Route) string) func(*network.RouteTable) []string {
	return func(rt *network.RouteTable) []string { return collectNonEmpty(rt.AllRoutes(), f) }
}

// associationFields collects one value per association.
func associationFields(f func(network.RouteTableAssociation) string) func(*network.RouteTable) []string {
	return func(rt *network.RouteTable) []string { return collectNonEmpty(rt.Associations, f) }
}

var routeTableFilters = &filters[*network.RouteTable]{
	values: map[string]func(*network.RouteTable) []string{
		"association.gateway-id":                 associationFields(func(a network.RouteTableAssociation) string { return a.GatewayID }),
		"association.route-table-association-id": associationFields(func(a network.RouteTableAssociation) string { return a.ID }),
		"association.subnet-id":                  associationFields(func(a network.RouteTableAssociation) string { return a.SubnetID }),
		"association.main": associationFields(func(a network.RouteTableAssociation) string {
			return boolString(a.Main)[0]
		}),
		"association.route-table-id": func(rt *network.RouteTable) []string {
			if len(rt.Associations) == 0 {
				return nil
			}
			return one(rt.ID)
		},
		"owner-id":                              func(rt *network.RouteTable) []string { return one(rt.Owner) },
		"route-table-id":                        func(rt *network.RouteTable) []string { return one(rt.ID) },
		"route.destination-cidr-block":          routeFields(func(r network.Route) string { return r.DestinationCIDR }),
		"route.destination-ipv6-cidr-block":     routeFields(func(r network.Route) string { return r.DestinationIPv6CIDR }),
		"route.destination-prefix-list-id":      routeFields(func(r network.Route) string { return r.DestinationPrefixListID }),
		"route.egress-only-internet-gateway-id": routeFields(func(r network.Route) string { return r.EgressOnlyIGWID }),
		"route.gateway-id": routeFields(func(r network.Route) string {
			if r.GatewayID != "" {
				return r.GatewayID
			}
			return r.VPCEndpointID
		}),
		"route.instance-id":               routeFields(func(r network.Route) string { return r.InstanceID }),
		"route.nat-gateway-id":            routeFields(func(r network.Route) string { return r.NATGatewayID }),
		"route.transit-gateway-id":        routeFields(func(r network.Route) string { return r.TransitGatewayID }),
		"route.origin":                    routeFields(func(r network.Route) string { return r.Origin }),
		"route.state":                     routeFields(func(r network.Route) string { return r.State }),
		"route.vpc-peering-connection-id": routeFields(func(r network.Route) string { return r.VPCPeeringConnectionID }),
		"vpc-id":                          func(rt *network.RouteTable) []string { return one(rt.VpcID) },
	},
	tags: func(rt *network.RouteTable) cloud.Tags { return rt.Tags },
}

// DescribeRouteTables implements ec2api.Handler.
func (s *Service) DescribeRouteTables(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeRouteTablesInput) (*ec2api.DescribeRouteTablesOutput, error) {
	page, err := describe[network.RouteTable](ctx, req, s, routeTableFilters, in.RouteTableIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeRouteTablesOutput{RouteTables: make([]ec2api.RouteTable, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, rt := range page.Items {
		out.RouteTables = append(out.RouteTables, routeTableShape(rt))
	}
	return out, nil
}

// routeRequest is the destination and target fields CreateRoute and
// ReplaceRoute share.
type routeRequest struct {
	DestinationCidrBlock, DestinationIpv6CidrBlock, DestinationPrefixListId                    *string
	GatewayId, EgressOnlyInternetGatewayId, NatGatewayId, InstanceId, NetworkInterfaceId       *string
	VpcPeeringConnectionId, TransitGatewayId, LocalGatewayId, CarrierGatewayId, CoreNetworkArn *string
	VpcEndpointId                                                                              *string
}

func (r routeRequest) route() network.Route {
	return network.Route{
		DestinationCIDR:         optional.Value(r.DestinationCidrBlock),
		DestinationIPv6CIDR:     optional.Value(r.DestinationIpv6CidrBlock),
		DestinationPrefixListID: optional.Value(r.DestinationPrefixListId),
		GatewayID:               optional.Value(r.GatewayId),
		EgressOnlyIGWID:         optional.Value(r.EgressOnlyInternetGatewayId),
		NATGatewayID:            optional.Value(r.NatGatewayId),
		InstanceID:              optional.Value(r.InstanceId),
		NetworkInterfaceID:      optional.Value(r.NetworkInterfaceId),
		VPCPeeringConnectionID:  optional.Value(r.VpcPeeringConnectionId),
		TransitGatewayID:        optional.Value(r.TransitGatewayId),
		LocalGatewayID:          optional.Value(r.LocalGatewayId),
		CarrierGatewayID:        optional.Value(r.CarrierGatewayId),
		CoreNetworkARN:          optional.Value(r.CoreNetworkArn),
		VPCEndpointID:           optional.Value(r.VpcEndpointId),
	}
}

// CreateRoute implements ec2api.Handler.
func (s *Service) CreateRoute(ctx context.Context, req *awsproto.Request, in *ec2api.CreateRouteInput) (*ec2api.CreateRouteOutput, error) {
	r := routeRequest{
		in.DestinationCidrBlock, in.DestinationIpv6CidrBlock, in.DestinationPrefixListId,
		in.GatewayId, in.EgressOnlyInternetGatewayId, in.NatGatewayId, in.InstanceId, in.NetworkInterfaceId,
		in.VpcPeeringConnectionId, in.TransitGatewayId, in.LocalGatewayId, in.CarrierGatewayId, in.CoreNetworkArn,
		in.VpcEndpointId,
	}.route()
	if err := s.network.CreateRoute(ctx, caller(req), optional.Value(in.RouteTableId), r); err != nil {
		return nil, err
	}
	return &ec2api.CreateRouteOutput{Return: new(true)}, nil
}

// ReplaceRoute implements ec2api.Handler.
func (s *Service) ReplaceRoute(ctx context.Context, req *awsproto.Request, in *ec2api.ReplaceRouteInput) (*ec2api.ReplaceRouteOutput, error) {
	r := routeRequest{
		in.DestinationCidrBlock, in.DestinationIpv6CidrBlock, in.DestinationPrefixListId,
		in.GatewayId, in.EgressOnlyInternetGatewayId, in.NatGatewayId, in.InstanceId, in.NetworkInterfaceId,
		in.VpcPeeringConnectionId, in.TransitGatewayId, in.LocalGatewayId, in.CarrierGatewayId, in.CoreNetworkArn,
		in.VpcEndpointId,
	}.route()
	return &ec2api.ReplaceRouteOutput{}, s.network.ReplaceRoute(ctx, caller(req), optional.Value(in.RouteTableId), r, optional.Value(in.LocalTarget))
}

// DeleteRoute implements ec2api.Handler.
func (s *Service) DeleteRoute(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteRouteInput) (*ec2api.DeleteRouteOutput, error) {
	dest := network.Route{
		DestinationCIDR:         optional.Value(in.DestinationCidrBlock),
		DestinationIPv6CIDR:     optional.Value(in.DestinationIpv6CidrBlock),
		DestinationPrefixListID: optional.Value(in.DestinationPrefixListId),
	}
	return &ec2api.DeleteRouteOutput{}, s.network.DeleteRoute(ctx, caller(req), optional.Value(in.RouteTableId), dest)
}

// AssociateRouteTable implements ec2api.Handler.
func (s *Service) AssociateRouteTable(ctx context.Context, req *awsproto.Request, in *ec2api.AssociateRouteTableInput) (*ec2api.AssociateRouteTableOutput, error) {
	a, err := s.network.AssociateRouteTable(ctx, caller(req), optional.Value(in.RouteTableId), optional.Value(in.SubnetId), optional.Value(in.GatewayId))
	if err != nil {
		return nil, err
	}
	return &ec2api.AssociateRouteTableOutput{
		AssociationId:    new(a.ID),
		AssociationState: &ec2api.RouteTableAssociationState{State: new(a.State)},
	}, nil
}

// DisassociateRouteTable implements ec2api.Handler.
func (s *Service) DisassociateRouteTable(ctx context.Context, req *awsproto.Request, in *ec2api.DisassociateRouteTableInput) (*ec2api.DisassociateRouteTableOutput, error) {
	return &ec2api.DisassociateRouteTableOutput{}, s.network.DisassociateRouteTable(ctx, caller(req), optional.Value(in.AssociationId))
}

// ReplaceRouteTableAssociation implements ec2api.Handler.
func (s *Service) ReplaceRouteTableAssociation(ctx context.Context, req *awsproto.Request, in *ec2api.ReplaceRouteTableAssociationInput) (*ec2api.ReplaceRouteTableAssociationOutput, error) {
	a, err := s.network.ReplaceRouteTableAssociation(ctx, caller(req), optional.Value(in.AssociationId), optional.Value(in.RouteTableId))
	if err != nil {
		return nil, err
	}
	return &ec2api.ReplaceRouteTableAssociationOutput{
		NewAssociationId: new(a.ID),
		AssociationState: &ec2api.RouteTableAssociationState{State: new(a.State)},
	}, nil
}
