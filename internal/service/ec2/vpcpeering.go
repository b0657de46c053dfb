package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// peeringShape renders a connection as the caller sees it. AWS shows the
// accepter VPC's blocks and options only once the connection was accepted.
func peeringShape(p *network.VPCPeeringConnection) ec2api.VpcPeeringConnection {
	out := ec2api.VpcPeeringConnection{
		VpcPeeringConnectionId: new(p.ID),
		RequesterVpcInfo:       peeringVpcInfo(&p.Requester, true),
		AccepterVpcInfo:        peeringVpcInfo(&p.Accepter, p.Accepted),
		Status:                 &ec2api.VpcPeeringConnectionStateReason{Code: new(p.Status), Message: optional.String(p.StatusMessage)},
		Tags:                   tagSet(p.Tags),
	}
	if p.ShowsExpiration() {
		out.ExpirationTime = optional.Time(p.ExpirationTime)
	}
	return out
}

// peeringVpcInfo renders one side; details adds its blocks and options.
func peeringVpcInfo(v *network.PeeringVPC, details bool) *ec2api.VpcPeeringConnectionVpcInfo {
	out := &ec2api.VpcPeeringConnectionVpcInfo{OwnerId: new(v.OwnerID), VpcId: new(v.VpcID), Region: new(v.Region)}
	if !details {
		return out
	}
	if len(v.CIDRBlocks) > 0 {
		out.CidrBlock = new(v.CIDRBlocks[0])
	}
	for _, b := range v.CIDRBlocks {
		out.CidrBlockSet = append(out.CidrBlockSet, ec2api.CidrBlock{CidrBlock: new(b)})
	}
	for _, b := range v.IPv6CIDRBlocks {
		out.Ipv6CidrBlockSet = append(out.Ipv6CidrBlockSet, ec2api.Ipv6CidrBlock{Ipv6CidrBlock: new(b)})
	}
	out.PeeringOptions = &ec2api.VpcPeeringConnectionOptionsDescription{
		AllowDnsResolutionFromRemoteVpc:            new(v.AllowDNSResolution),
		AllowEgressFromLocalClassicLinkToRemoteVpc: new(false),
		AllowEgressFromLocalVpcToRemoteClassicLink: new(false),
	}
	return out
}

// CreateVpcPeeringConnection implements ec2api.Handler.
func (s *Service) CreateVpcPeeringConnection(ctx context.Context, req *awsproto.Request, in *ec2api.CreateVpcPeeringConnectionInput) (*ec2api.CreateVpcPeeringConnectionOutput, error) {
	p, err := s.network.CreateVPCPeeringConnection(ctx, caller(req), network.CreatePeeringInput{
		VpcID:       optional.Value(in.VpcId),
		PeerVpcID:   optional.Value(in.PeerVpcId),
		PeerOwnerID: optional.Value(in.PeerOwnerId),
		PeerRegion:  optional.Value(in.PeerRegion),
		Tags:        tagSpecs(in.TagSpecifications),
	})
	if err != nil {
		return nil, err
	}
	shape := peeringShape(p)
	return &ec2api.CreateVpcPeeringConnectionOutput{VpcPeeringConnection: &shape}, nil
}

// AcceptVpcPeeringConnection implements ec2api.Handler.
func (s *Service) AcceptVpcPeeringConnection(ctx context.Context, req *awsproto.Request, in *ec2api.AcceptVpcPeeringConnectionInput) (*ec2api.AcceptVpcPeeringConnectionOutput, error) {
	p, err := s.network.AcceptVPCPeeringConnection(ctx, caller(req), optional.Value(in.VpcPeeringConnectionId))
	if err != nil {
		return nil, err
	}
	shape := peeringShape(p)
	return &ec2api.AcceptVpcPeeringConnectionOutput{VpcPeeringConnection: &shape}, nil
}

// RejectVpcPeeringConnection implements ec2api.Handler.
func (s *Service) RejectVpcPeeringConnection(ctx context.Context, req *awsproto.Request, in *ec2api.RejectVpcPeeringConnectionInput) (*ec2api.RejectVpcPeeringConnectionOutput, error) {
	if err := s.network.RejectVPCPeeringConnection(ctx, caller(req), optional.Value(in.VpcPeeringConnectionId)); err != nil {
		return nil, err
	}
	return &ec2api.RejectVpcPeeringConnectionOutput{Return: new(true)}, nil
}

// DeleteVpcPeeringConnection implements ec2api.Handler.
func (s *Service) DeleteVpcPeeringConnection(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteVpcPeeringConnectionInput) (*ec2api.DeleteVpcPeeringConnectionOutput, error) {
	if err := s.network.DeleteVPCPeeringConnection(ctx, caller(req), optional.Value(in.VpcPeeringConnectionId)); err != nil {
		return nil, err
	}
	return &ec2api.DeleteVpcPeeringConnectionOutput{Return: new(true)}, nil
}

// peeringOptions reads one side's options request.
func peeringOptions(o *ec2api.PeeringConnectionOptionsRequest) *network.PeeringOptions {
	if o == nil {
		return nil
	}
	return &network.PeeringOptions{
		AllowDNSResolution:     o.AllowDnsResolutionFromRemoteVpc,
		ClassicLinkToRemoteVPC: o.AllowEgressFromLocalClassicLinkToRemoteVpc,
		VPCToRemoteClassicLink: o.AllowEgressFromLocalVpcToRemoteClassicLink,
	}
}

// peeringOptionsShape renders one side's options for the answer of a
// change that asked for them, else nil.
func peeringOptionsShape(asked *ec2api.PeeringConnectionOptionsRequest, v *network.PeeringVPC) *ec2api.PeeringConnectionOptions {
	if asked == nil {
		return nil
	}
	return &ec2api.PeeringConnectionOptions{
		AllowDnsResolutionFromRemoteVpc:            new(v.AllowDNSResolution),
		AllowEgressFromLocalClassicLinkToRemoteVpc: new(false),
		AllowEgressFromLocalVpcToRemoteClassicLink: new(false),
	}
}

// ModifyVpcPeeringConnectionOptions implements ec2api.Handler.
func (s *Service) ModifyVpcPeeringConnectionOptions(ctx context.Context, req *awsproto.Request, in *ec2api.ModifyVpcPeeringConnectionOptionsInput) (*ec2api.ModifyVpcPeeringConnectionOptionsOutput, error) {
	p, err := s.network.ModifyVPCPeeringConnectionOptions(ctx, caller(req), network.ModifyPeeringOptionsInput{
		ID:        optional.Value(in.VpcPeeringConnectionId),
		Requester: peeringOptions(in.RequesterPeeringConnectionOptions),
		Accepter:  peeringOptions(in.AccepterPeeringConnectionOptions),
	})
	if err != nil {
		return nil, err
	}
	return &ec2api.ModifyVpcPeeringConnectionOptionsOutput{
		RequesterPeeringConnectionOptions: peeringOptionsShape(in.RequesterPeeringConnectionOptions, &p.Requester),
		AccepterPeeringConnectionOptions:  peeringOptionsShape(in.AccepterPeeringConnectionOptions, &p.Accepter),
	}, nil
}

// peeringBlocks are a side's IPv4 blocks as the caller sees them.
func peeringBlocks(v *network.PeeringVPC, shown bool) []string {
	if !shown {
		return nil
	}
	return v.CIDRBlocks
}

var peeringFilters = &filters[*network.VPCPeeringConnection]{
	values: map[string]func(*network.VPCPeeringConnection) []string{
		"accepter-vpc-info.cidr-block":  func(p *network.VPCPeeringConnection) []string { return peeringBlocks(&p.Accepter, p.Accepted) },
		"accepter-vpc-info.owner-id":    func(p *network.VPCPeeringConnection) []string { return one(p.Accepter.OwnerID) },
		"accepter-vpc-info.vpc-id":      func(p *network.VPCPeeringConnection) []string { return one(p.Accepter.VpcID) },
		"requester-vpc-info.cidr-block": func(p *network.VPCPeeringConnection) []string { return peeringBlocks(&p.Requester, true) },
		"requester-vpc-info.owner-id":   func(p *network.VPCPeeringConnection) []string { return one(p.Requester.OwnerID) },
		"requester-vpc-info.vpc-id":     func(p *network.VPCPeeringConnection) []string { return one(p.Requester.VpcID) },
		"status-code":                   func(p *network.VPCPeeringConnection) []string { return one(p.Status) },
		"status-message":                func(p *network.VPCPeeringConnection) []string { return one(p.StatusMessage) },
		"vpc-peering-connection-id":     func(p *network.VPCPeeringConnection) []string { return one(p.ID) },
		"expiration-time": func(p *network.VPCPeeringConnection) []string {
			if !p.ShowsExpiration() {
				return nil
			}
			return []string{isoTime(p.ExpirationTime)}
		},
	},
	tags: func(p *network.VPCPeeringConnection) cloud.Tags { return p.Tags },
}

// DescribeVpcPeeringConnections implements ec2api.Handler. Each side sees
// the connection in its own region, with its own tags.
func (s *Service) DescribeVpcPeeringConnections(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeVpcPeeringConnectionsInput) (*ec2api.DescribeVpcPeeringConnectionsOutput, error) {
	page, err := describe[network.VPCPeeringConnection](ctx, req, s, peeringFilters, in.VpcPeeringConnectionIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeVpcPeeringConnectionsOutput{VpcPeeringConnections: make([]ec2api.VpcPeeringConnection, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, p := range page.Items {
		out.VpcPeeringConnections = append(out.VpcPeeringConnections, peeringShape(p))
	}
	return out, nil
}
