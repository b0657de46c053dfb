package ec2

import (
	"context"
	"fmt"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

func securityGroupShape(g *network.SecurityGroup) ec2api.SecurityGroup {
	return ec2api.SecurityGroup{
		GroupId:             new(g.ID),
		GroupName:           new(g.Name),
		Description:         new(g.Description),
		OwnerId:             new(g.Owner),
		VpcId:               new(g.VpcID),
		SecurityGroupArn:    new(g.ARN()),
		IpPermissions:       ipPermissions(g.Rules, false),
		IpPermissionsEgress: ipPermissions(g.Rules, true),
		Tags:                tagSet(g.Tags),
	}
}

// ipPermissions renders the rules of one direction as AWS does: one
// IpPermission per protocol and port range, holding all its peers. Ports
// are left out for protocols that have none.
func ipPermissions(rules []network.SecurityGroupRule, egress bool) []ec2api.IpPermission {
	out := []ec2api.IpPermission{}
	at := map[string]int{}
	for i := range rules {
		r := &rules[i]
		if r.Egress != egress {
			continue
		}
		k := fmt.Sprintf("%s %d %d", r.Protocol, r.FromPort, r.ToPort)
		n, ok := at[k]
		if !ok {
			n = len(out)
			at[k] = n
			p := ec2api.IpPermission{
				IpProtocol:       new(r.Protocol),
				IpRanges:         []ec2api.IpRange{},
				Ipv6Ranges:       []ec2api.Ipv6Range{},
				PrefixListIds:    []ec2api.PrefixListId{},
				UserIdGroupPairs: []ec2api.UserIdGroupPair{},
			}
			if r.HasPorts() {
				p.FromPort, p.ToPort = new(r.FromPort), new(r.ToPort)
			}
			out = append(out, p)
		}
		addPeer(&out[n], r)
	}
	return out
}

// addPeer adds a rule's peer to the permission that groups it.
func addPeer(p *ec2api.IpPermission, r *network.SecurityGroupRule) {
	desc := optional.String(r.Description)
	switch {
	case r.CIDRIPv4 != "":
		p.IpRanges = append(p.IpRanges, ec2api.IpRange{CidrIp: new(r.CIDRIPv4), Description: desc})
	case r.CIDRIPv6 != "":
		p.Ipv6Ranges = append(p.Ipv6Ranges, ec2api.Ipv6Range{CidrIpv6: new(r.CIDRIPv6), Description: desc})
	case r.PrefixListID != "":
		p.PrefixListIds = append(p.PrefixListIds, ec2api.PrefixListId{PrefixListId: new(r.PrefixListID), Description: desc})
	default:
		p.UserIdGroupPairs = append(p.UserIdGroupPairs, ec2api.UserIdGroupPair{
			GroupId:                new(r.ReferencedGroupID),
			UserId:                 optional.String(r.ReferencedGroupOwner),
			VpcId:                  optional.String(r.ReferencedVpcID),
			VpcPeeringConnectionId: optional.String(r.PeeringConnectionID),
			PeeringStatus:          optional.String(r.PeeringStatus),
			Description:            desc,
		})
	}
}

func ruleShape(g *network.SecurityGroup, r *network.SecurityGroupRule) ec2api.SecurityGroupRule {
	out := ec2api.SecurityGroupRule{
		SecurityGroupRuleId:  new(r.ID),
		SecurityGroupRuleArn: new(g.RuleARN(r.ID)),
		GroupId:              new(g.ID),
		GroupOwnerId:         new(g.Owner),
		IsEgress:             new(r.Egress),
		IpProtocol:           new(r.Protocol),
		FromPort:             new(r.FromPort),
		ToPort:               new(r.ToPort),
		CidrIpv4:             optional.String(r.CIDRIPv4),
		CidrIpv6:             optional.String(r.CIDRIPv6),
		PrefixListId:         optional.String(r.PrefixListID),
		Description:          optional.String(r.Description),
		Tags:                 tagSet(r.Tags),
	}
	if r.ReferencedGroupID != "" {
		out.ReferencedGroupInfo = &ec2api.ReferencedSecurityGroup{
			GroupId:                new(r.ReferencedGroupID),
			UserId:                 optional.String(r.ReferencedGroupOwner),
			VpcId:                  optional.String(r.ReferencedVpcID),
			VpcPeeringConnectionId: optional.String(r.PeeringConnectionID),
			PeeringStatus:          optional.String(r.PeeringStatus),
		}
	}
	return out
}

func ruleShapes(g *network.SecurityGroup, rules []network.SecurityGroupRule) []ec2api.SecurityGroupRule {
	out := make([]ec2api.SecurityGroupRule, 0, len(rules))
	for i := range rules {
		out = append(out, ruleShape(g, &rules[i]))
	}
	return out
}

func revokedShapes(g *network.SecurityGroup, rules []network.SecurityGroupRule) []ec2api.RevokedSecurityGroupRule {
	out := make([]ec2api.RevokedSecurityGroupRule, 0, len(rules))
	for _, r := range rules {
		out = append(out, ec2api.RevokedSecurityGroupRule{
			SecurityGroupRuleId: new(r.ID),
			GroupId:             new(g.ID),
			IsEgress:            new(r.Egress),
			IpProtocol:          new(r.Protocol),
			FromPort:            new(r.FromPort),
			ToPort:              new(r.ToPort),
			CidrIpv4:            optional.String(r.CIDRIPv4),
			CidrIpv6:            optional.String(r.CIDRIPv6),
			PrefixListId:        optional.String(r.PrefixListID),
			ReferencedGroupId:   optional.String(r.ReferencedGroupID),
			Description:         optional.String(r.Description),
		})
	}
	return out
}

// permissions reads a request's IpPermissions.
func permissions(in []ec2api.IpPermission) []network.Permission {
	out := make([]network.Permission, 0, len(in))
	for _, p := range in {
		cp := network.Permission{Protocol: optional.Value(p.IpProtocol), FromPort: p.FromPort, ToPort: p.ToPort}
		for _, r := range p.IpRanges {
			cp.Peers = append(cp.Peers, network.Peer{Kind: network.PeerIPv4, CIDR: optional.Value(r.CidrIp), Description: optional.Value(r.Description)})
		}
		for _, r := range p.Ipv6Ranges {
			cp.Peers = append(cp.Peers, network.Peer{Kind: network.PeerIPv6, CIDR: optional.Value(r.CidrIpv6), Description: optional.Value(r.Description)})
		}
		for _, pl := range p.PrefixListIds {
			cp.Peers = append(cp.Peers, network.Peer{Kind: network.PeerPrefixList, PrefixListID: optional.Value(pl.PrefixListId), Description: optional.Value(pl.Description)})
		}
		for _, g := range p.UserIdGroupPairs {
			cp.Peers = append(cp.Peers, network.Peer{
				Kind: network.PeerGroup, GroupID: optional.Value(g.GroupId), GroupName: optional.Value(g.GroupName), UserID: optional.Value(g.UserId), Description: optional.Value(g.Description),
			})
		}
		out = append(out, cp)
	}
	return out
}

// legacyRule is the single rule older clients describe with top-level
// parameters instead of IpPermissions.
type legacyRule struct {
	CidrIp, IpProtocol                                  *string
	FromPort, ToPort                                    *int32
	SourceSecurityGroupName, SourceSecurityGroupOwnerId *string
}

// permissions reads the request's rules: IpPermissions, or the top-level
// parameters. A source group without a protocol grants all TCP, UDP and
// ICMP traffic, as AWS documents.
func (l legacyRule) permissions(perms []ec2api.IpPermission) ([]network.Permission, error) {
	set := ""
	for _, p := range []struct {
		name string
		set  bool
	}{
		{"CidrIp", l.CidrIp != nil}, {"IpProtocol", l.IpProtocol != nil}, {"FromPort", l.FromPort != nil}, {"ToPort", l.ToPort != nil},
		{"SourceSecurityGroupName", l.SourceSecurityGroupName != nil}, {"SourceSecurityGroupOwnerId", l.SourceSecurityGroupOwnerId != nil},
	} {
		if p.set && set == "" {
			set = p.name
		}
	}
	if set == "" {
		return permissions(perms), nil
	}
	if len(perms) > 0 {
		return nil, awsproto.Errorf("InvalidParameterCombination", "The parameter IpPermissions cannot be used with the parameter %s", set)
	}
	if l.SourceSecurityGroupName == nil && l.SourceSecurityGroupOwnerId == nil {
		p := network.Permission{Protocol: optional.Value(l.IpProtocol), FromPort: l.FromPort, ToPort: l.ToPort}
		if l.CidrIp != nil {
			p.Peers = []network.Peer{{Kind: network.PeerIPv4, CIDR: *l.CidrIp}}
		}
		return []network.Permission{p}, nil
	}
	if l.CidrIp != nil {
		return nil, awsproto.Errorf("InvalidParameterCombination", "The parameter CidrIp cannot be used with the parameter SourceSecurityGroupName")
	}
	peer := []network.Peer{{Kind: network.PeerGroup, GroupName: optional.Value(l.SourceSecurityGroupName), UserID: optional.Value(l.SourceSecurityGroupOwnerId)}}
	if l.IpProtocol != nil {
		return []network.Permission{{Protocol: *l.IpProtocol, FromPort: l.FromPort, ToPort: l.ToPort, Peers: peer}}, nil
	}
	return []network.Permission{
		{Protocol: "tcp", FromPort: new(int32(0)), ToPort: new(int32(65535)), Peers: peer},
		{Protocol: "udp", FromPort: new(int32(0)), ToPort: new(int32(65535)), Peers: peer},
		{Protocol: "icmp", FromPort: new(int32(-1)), ToPort: new(int32(-1)), Peers: peer},
	}, nil
}

func groupRef(id, name *string) network.GroupRef {
	return network.GroupRef{ID: optional.Value(id), Name: optional.Value(name)}
}

// CreateSecurityGroup implements ec2api.Handler.
func (s *Service) CreateSecurityGroup(ctx context.Context, req *awsproto.Request, in *ec2api.CreateSecurityGroupInput) (*ec2api.CreateSecurityGroupOutput, error) {
	g, err := s.network.CreateSecurityGroup(ctx, caller(req), network.CreateSecurityGroupInput{
		VpcID:       optional.Value(in.VpcId),
		Name:        optional.Value(in.GroupName),
		Description: optional.Value(in.Description),
		Tags:        tagSpecs(in.TagSpecifications),
	})
	if err != nil {
		return nil, err
	}
	return &ec2api.CreateSecurityGroupOutput{GroupId: new(g.ID), SecurityGroupArn: new(g.ARN()), Tags: tagSet(g.Tags)}, nil
}

// DeleteSecurityGroup implements ec2api.Handler.
func (s *Service) DeleteSecurityGroup(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteSecurityGroupInput) (*ec2api.DeleteSecurityGroupOutput, error) {
	g, err := s.network.DeleteSecurityGroup(ctx, caller(req), groupRef(in.GroupId, in.GroupName))
	if err != nil {
		return nil, err
	}
	return &ec2api.DeleteSecurityGroupOutput{Return: new(true), GroupId: new(g.ID)}, nil
}

// ruleValues is a group filter over one field of its rules of a direction.
func ruleValues(egress bool, field func(*network.SecurityGroupRule) string) func(*network.SecurityGroup) []string {
	return func(g *network.SecurityGroup) []string {
		var out []string
		for i := range g.Rules {
			if r := &g.Rules[i]; r.Egress == egress {
				if v := field(r); v != "" {
					out = append(out, v)
				}
			}
		}
		return out
	}
}

// ports gives a port field for filtering, for protocols that have ports.
func ports(port func(*network.SecurityGroupRule) int32) func(*network.SecurityGroupRule) string {
	return func(r *network.SecurityGroupRule) string {
		if !r.HasPorts() {
			return ""
		}
		return int32String(port(r))
	}
}

var securityGroupFilters = func() *filters[*network.SecurityGroup] {
	values := map[string]func(*network.SecurityGroup) []string{
		"description": func(g *network.SecurityGroup) []string { return []string{g.Description} },
		"group-id":    func(g *network.SecurityGroup) []string { return one(g.ID) },
		"group-name":  func(g *network.SecurityGroup) []string { return one(g.Name) },
		"owner-id":    func(g *network.SecurityGroup) []string { return one(g.Owner) },
		"vpc-id":      func(g *network.SecurityGroup) []string { return one(g.VpcID) },
	}
	rule := map[string]func(*network.SecurityGroupRule) string{
		"cidr":           func(r *network.SecurityGroupRule) string { return r.CIDRIPv4 },
		"from-port":      ports(func(r *network.SecurityGroupRule) int32 { return r.FromPort }),
		"group-id":       func(r *network.SecurityGroupRule) string { return r.ReferencedGroupID },
		"group-name":     func(r *network.SecurityGroupRule) string { return r.ReferencedGroupName },
		"ipv6-cidr":      func(r *network.SecurityGroupRule) string { return r.CIDRIPv6 },
		"prefix-list-id": func(r *network.SecurityGroupRule) string { return r.PrefixListID },
		"protocol":       func(r *network.SecurityGroupRule) string { return r.Protocol },
		"to-port":        ports(func(r *network.SecurityGroupRule) int32 { return r.ToPort }),
		"user-id":        func(r *network.SecurityGroupRule) string { return r.ReferencedGroupOwner },
	}
	for name, field := range rule {
		values["ip-permission."+name] = ruleValues(false, field)
		values["egress.ip-permission."+name] = ruleValues(true, field)
	}
	return &filters[*network.SecurityGroup]{
		values: values,
		tags:   func(g *network.SecurityGroup) cloud.Tags { return g.Tags },
	}
}()

// DescribeSecurityGroups implements ec2api.Handler.
func (s *Service) DescribeSecurityGroups(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeSecurityGroupsInput) (*ec2api.DescribeSecurityGroupsOutput, error) {
	ids := in.GroupIds
	if len(in.GroupIds) > 0 || len(in.GroupNames) > 0 {
		var err error
		if ids, err = s.network.SecurityGroupIDs(ctx, caller(req), in.GroupIds, in.GroupNames); err != nil {
			return nil, err
		}
	}
	match, keys, err := securityGroupFilters.compile(in.Filters)
	if err != nil {
		return nil, err
	}
	q, err := query(ids, keys, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	page, err := cloud.List[network.SecurityGroup](ctx, s.cloud, caller(req), q, match)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeSecurityGroupsOutput{SecurityGroups: make([]ec2api.SecurityGroup, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, g := range page.Items {
		out.SecurityGroups = append(out.SecurityGroups, securityGroupShape(g))
	}
	return out, nil
}

// authorize runs AuthorizeSecurityGroupIngress or ...Egress.
func (s *Service) authorize(ctx context.Context, req *awsproto.Request, ref network.GroupRef, egress bool, l legacyRule, perms []ec2api.IpPermission, specs []ec2api.TagSpecification) ([]ec2api.SecurityGroupRule, error) {
	ps, err := l.permissions(perms)
	if err != nil {
		return nil, err
	}
	g, rules, err := s.network.AuthorizeSecurityGroupRules(ctx, caller(req), network.AuthorizeInput{
		Group: ref, Egress: egress, Permissions: ps, Tags: tagSpecs(specs),
	})
	if err != nil {
		return nil, err
	}
	return ruleShapes(g, rules), nil
}

// AuthorizeSecurityGroupIngress implements ec2api.Handler.
func (s *Service) AuthorizeSecurityGroupIngress(ctx context.Context, req *awsproto.Request, in *ec2api.AuthorizeSecurityGroupIngressInput) (*ec2api.AuthorizeSecurityGroupIngressOutput, error) {
	l := legacyRule{in.CidrIp, in.IpProtocol, in.FromPort, in.ToPort, in.SourceSecurityGroupName, in.SourceSecurityGroupOwnerId}
	rules, err := s.authorize(ctx, req, groupRef(in.GroupId, in.GroupName), false, l, in.IpPermissions, in.TagSpecifications)
	if err != nil {
		return nil, err
	}
	return &ec2api.AuthorizeSecurityGroupIngressOutput{Return: new(true), SecurityGroupRules: rules}, nil
}

// AuthorizeSecurityGroupEgress implements ec2api.Handler.
func (s *Service) AuthorizeSecurityGroupEgress(ctx context.Context, req *awsproto.Request, in *ec2api.AuthorizeSecurityGroupEgressInput) (*ec2api.AuthorizeSecurityGroupEgressOutput, error) {
	l := legacyRule{in.CidrIp, in.IpProtocol, in.FromPort, in.ToPort, in.SourceSecurityGroupName, in.SourceSecurityGroupOwnerId}
	rules, err := s.authorize(ctx, req, groupRef(in.GroupId, nil), true, l, in.IpPermissions, in.TagSpecifications)
	if err != nil {
		return nil, err
	}
	return &ec2api.AuthorizeSecurityGroupEgressOutput{Return: new(true), SecurityGroupRules: rules}, nil
}

// revoke runs RevokeSecurityGroupIngress or ...Egress.
func (s *Service) revoke(ctx context.Context, req *awsproto.Request, ref network.GroupRef, egress bool, l legacyRule, perms []ec2api.IpPermission, ids []string) (revoked []ec2api.RevokedSecurityGroupRule, unknown []ec2api.IpPermission, err error) {
	ps, err := l.permissions(perms)
	if err != nil {
		return nil, nil, err
	}
	res, err := s.network.RevokeSecurityGroupRules(ctx, caller(req), network.RevokeInput{Group: ref, Egress: egress, Permissions: ps, RuleIDs: ids})
	if err != nil {
		return nil, nil, err
	}
	if len(res.Unknown) > 0 {
		unknown = ipPermissions(res.Unknown, egress)
	}
	return revokedShapes(res.Group, res.Revoked), unknown, nil
}

// RevokeSecurityGroupIngress implements ec2api.Handler.
func (s *Service) RevokeSecurityGroupIngress(ctx context.Context, req *awsproto.Request, in *ec2api.RevokeSecurityGroupIngressInput) (*ec2api.RevokeSecurityGroupIngressOutput, error) {
	l := legacyRule{in.CidrIp, in.IpProtocol, in.FromPort, in.ToPort, in.SourceSecurityGroupName, in.SourceSecurityGroupOwnerId}
	revoked, unknown, err := s.revoke(ctx, req, groupRef(in.GroupId, in.GroupName), false, l, in.IpPermissions, in.SecurityGroupRuleIds)
	if err != nil {
		return nil, err
	}
	return &ec2api.RevokeSecurityGroupIngressOutput{Return: new(true), RevokedSecurityGroupRules: revoked, UnknownIpPermissions: unknown}, nil
}

// RevokeSecurityGroupEgress implements ec2api.Handler.
func (s *Service) RevokeSecurityGroupEgress(ctx context.Context, req *awsproto.Request, in *ec2api.RevokeSecurityGroupEgressInput) (*ec2api.RevokeSecurityGroupEgressOutput, error) {
	l := legacyRule{in.CidrIp, in.IpProtocol, in.FromPort, in.ToPort, in.SourceSecurityGroupName, in.SourceSecurityGroupOwnerId}
	revoked, unknown, err := s.revoke(ctx, req, groupRef(in.GroupId, nil), true, l, in.IpPermissions, in.SecurityGroupRuleIds)
	if err != nil {
		return nil, err
	}
	return &ec2api.RevokeSecurityGroupEgressOutput{Return: new(true), RevokedSecurityGroupRules: revoked, UnknownIpPermissions: unknown}, nil
}

var securityGroupRuleFilters = &filters[*network.GroupRule]{
	values: map[string]func(*network.GroupRule) []string{
		"group-id":               func(gr *network.GroupRule) []string { return one(gr.Group.ID) },
		"security-group-rule-id": func(gr *network.GroupRule) []string { return one(gr.Rule.ID) },
	},
	tags: func(gr *network.GroupRule) cloud.Tags { return gr.Rule.Tags },
}

// DescribeSecurityGroupRules implements ec2api.Handler. Rules live in their
// groups, so the store's tag index (of groups) cannot serve rule filters:
// only exact group-id values narrow the candidates.
func (s *Service) DescribeSecurityGroupRules(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeSecurityGroupRulesInput) (*ec2api.DescribeSecurityGroupRulesOutput, error) {
	match, named, err := securityGroupRuleFilters.compile(in.Filters)
	if err != nil {
		return nil, err
	}
	q, err := query(nil, nil, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	page, err := s.network.ListSecurityGroupRules(ctx, caller(req), network.RuleQuery{
		IDs: in.SecurityGroupRuleIds, GroupIDs: cloud.ExactValues(named, "group-id"), After: q.After, Limit: q.Limit,
	}, match)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeSecurityGroupRulesOutput{SecurityGroupRules: make([]ec2api.SecurityGroupRule, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, gr := range page.Items {
		out.SecurityGroupRules = append(out.SecurityGroupRules, ruleShape(gr.Group, &gr.Rule))
	}
	return out, nil
}

// ModifySecurityGroupRules implements ec2api.Handler.
func (s *Service) ModifySecurityGroupRules(ctx context.Context, req *awsproto.Request, in *ec2api.ModifySecurityGroupRulesInput) (*ec2api.ModifySecurityGroupRulesOutput, error) {
	updates := make([]network.RuleUpdate, 0, len(in.SecurityGroupRules))
	for i, u := range in.SecurityGroupRules {
		r := u.SecurityGroupRule
		if r == nil {
			return nil, awsproto.Errorf("MissingParameter", "The request must contain the parameter SecurityGroupRule.%d.SecurityGroupRule", i+1)
		}
		p := network.Permission{Protocol: optional.Value(r.IpProtocol), FromPort: r.FromPort, ToPort: r.ToPort}
		desc := optional.Value(r.Description)
		if r.CidrIpv4 != nil {
			p.Peers = append(p.Peers, network.Peer{Kind: network.PeerIPv4, CIDR: *r.CidrIpv4, Description: desc})
		}
		if r.CidrIpv6 != nil {
			p.Peers = append(p.Peers, network.Peer{Kind: network.PeerIPv6, CIDR: *r.CidrIpv6, Description: desc})
		}
		if r.PrefixListId != nil {
			p.Peers = append(p.Peers, network.Peer{Kind: network.PeerPrefixList, PrefixListID: *r.PrefixListId, Description: desc})
		}
		if r.ReferencedGroupId != nil {
			p.Peers = append(p.Peers, network.Peer{Kind: network.PeerGroup, GroupID: *r.ReferencedGroupId, Description: desc})
		}
		updates = append(updates, network.RuleUpdate{ID: optional.Value(u.SecurityGroupRuleId), Permission: p})
	}
	if err := s.network.ModifySecurityGroupRules(ctx, caller(req), optional.Value(in.GroupId), updates); err != nil {
		return nil, err
	}
	return &ec2api.ModifySecurityGroupRulesOutput{Return: new(true)}, nil
}

// updateDescriptions runs UpdateSecurityGroupRuleDescriptionsIngress or
// ...Egress.
func (s *Service) updateDescriptions(ctx context.Context, req *awsproto.Request, ref network.GroupRef, egress bool, perms []ec2api.IpPermission, descs []ec2api.SecurityGroupRuleDescription) error {
	byID := make([]network.RuleDescription, 0, len(descs))
	for _, d := range descs {
		byID = append(byID, network.RuleDescription{ID: optional.Value(d.SecurityGroupRuleId), Description: optional.Value(d.Description)})
	}
	return s.network.UpdateSecurityGroupRuleDescriptions(ctx, caller(req), network.UpdateDescriptionsInput{
		Group: ref, Egress: egress, Permissions: permissions(perms), ByID: byID,
	})
}

// UpdateSecurityGroupRuleDescriptionsIngress implements ec2api.Handler.
func (s *Service) UpdateSecurityGroupRuleDescriptionsIngress(ctx context.Context, req *awsproto.Request, in *ec2api.UpdateSecurityGroupRuleDescriptionsIngressInput) (*ec2api.UpdateSecurityGroupRuleDescriptionsIngressOutput, error) {
	if err := s.updateDescriptions(ctx, req, groupRef(in.GroupId, in.GroupName), false, in.IpPermissions, in.SecurityGroupRuleDescriptions); err != nil {
		return nil, err
	}
	return &ec2api.UpdateSecurityGroupRuleDescriptionsIngressOutput{Return: new(true)}, nil
}

// UpdateSecurityGroupRuleDescriptionsEgress implements ec2api.Handler.
func (s *Service) UpdateSecurityGroupRuleDescriptionsEgress(ctx context.Context, req *awsproto.Request, in *ec2api.UpdateSecurityGroupRuleDescriptionsEgressInput) (*ec2api.UpdateSecurityGroupRuleDescriptionsEgressOutput, error) {
	if err := s.updateDescriptions(ctx, req, groupRef(in.GroupId, in.GroupName), true, in.IpPermissions, in.SecurityGroupRuleDescriptions); err != nil {
		return nil, err
	}
	return &ec2api.UpdateSecurityGroupRuleDescriptionsEgressOutput{Return: new(true)}, nil
}
