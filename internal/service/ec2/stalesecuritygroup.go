package ec2

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// staleSecurityGroupShape renders a group's stale rules: one permission per
// rule, its peer the group it references across the peering connection.
func staleSecurityGroupShape(sg *cloud.StaleGroup) ec2api.StaleSecurityGroup {
	g := sg.Group
	out := ec2api.StaleSecurityGroup{
		GroupId: ptr(g.ID), GroupName: ptr(g.Name), Description: ptr(g.Description), VpcId: ptr(g.VpcID),
		StaleIpPermissions: []ec2api.StaleIpPermission{}, StaleIpPermissionsEgress: []ec2api.StaleIpPermission{},
	}
	for _, r := range sg.Rules {
		p := ec2api.StaleIpPermission{
			IpProtocol: ptr(r.Protocol),
			UserIdGroupPairs: []ec2api.UserIdGroupPair{{
				GroupId:                ptr(r.ReferencedGroupID),
				UserId:                 nonEmpty(r.ReferencedGroupOwner),
				VpcId:                  nonEmpty(r.ReferencedVpcID),
				VpcPeeringConnectionId: nonEmpty(r.PeeringConnectionID),
				PeeringStatus:          nonEmpty(r.PeeringStatus),
				Description:            nonEmpty(r.Description),
			}},
		}
		if r.HasPorts() {
			p.FromPort, p.ToPort = ptr(r.FromPort), ptr(r.ToPort)
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
func (s *Service) DescribeStaleSecurityGroups(ctx context.Context, in *ec2api.DescribeStaleSecurityGroupsInput) (*ec2api.DescribeStaleSecurityGroupsOutput, error) {
	q, err := query(nil, nil, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	page, err := s.cloud.StaleSecurityGroups(ctx, caller(ctx), val(in.VpcId), q.After, q.Limit)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeStaleSecurityGroupsOutput{StaleSecurityGroupSet: make([]ec2api.StaleSecurityGroup, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, g := range page.Items {
		out.StaleSecurityGroupSet = append(out.StaleSecurityGroupSet, staleSecurityGroupShape(g))
	}
	return out, nil
}
