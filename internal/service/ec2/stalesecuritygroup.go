package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// staleSecurityGroupShape renders a group's stale rules: one permission per
// rule, its peer the group it references across the peering connection.
func staleSecurityGroupShape(sg *network.StaleGroup) ec2api.StaleSecurityGroup {
	g := sg.Group
	out := ec2api.StaleSecurityGroup{
		GroupId: new(g.ID), GroupName: new(g.Name), Description: new(g.Description), VpcId: new(g.VpcID),
		StaleIpPermissions: []ec2api.StaleIpPermission{}, StaleIpPermissionsEgress: []ec2api.StaleIpPermission{},
	}
	for _, r := range sg.Rules {
		p := ec2api.StaleIpPermission{
			IpProtocol: new(r.Protocol),
			UserIdGroupPairs: []ec2api.UserIdGroupPair{{
				GroupId:                new(r.ReferencedGroupID),
				UserId:                 optional.String(r.ReferencedGroupOwner),
				VpcId:                  optional.String(r.ReferencedVpcID),
				VpcPeeringConnectionId: optional.String(r.PeeringConnectionID),
				PeeringStatus:          optional.String(r.PeeringStatus),
				Description:            optional.String(r.Description),
			}},
		}
		if r.HasPorts() {
			p.FromPort, p.ToPort = new(r.FromPort), new(r.ToPort)
		}
		if r.Egress {
			out.StaleIpPermissionsEgress = append(out.StaleIpPermissionsEgress, p)
		} else {
			out.StaleIpPermissions = append(out.StaleIpPermissions, p)
		}
	}
	return out
}

// DescribeStaleSecurityGroups implements ec2api.Handler: the groups of one
// of the caller's VPCs whose rules reference groups across a peering
// connection that is gone, or groups that are gone.
func (s *Service) DescribeStaleSecurityGroups(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeStaleSecurityGroupsInput) (*ec2api.DescribeStaleSecurityGroupsOutput, error) {
	q, err := query(nil, nil, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	page, err := s.network.StaleSecurityGroups(ctx, caller(req), optional.Value(in.VpcId), q.After, q.Limit)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeStaleSecurityGroupsOutput{StaleSecurityGroupSet: make([]ec2api.StaleSecurityGroup, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, g := range page.Items {
		out.StaleSecurityGroupSet = append(out.StaleSecurityGroupSet, staleSecurityGroupShape(g))
	}
	return out, nil
}
