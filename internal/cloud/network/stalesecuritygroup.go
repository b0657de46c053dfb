package network

import (
	"context"
	"errors"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// StaleGroup is a security group with its stale rules: rules that reference
// a group of a peered VPC when the peering connection is no longer active or
// the group was deleted. AWS keeps such rules; they allow nothing.
type StaleGroup struct {
	Group *SecurityGroup
	Rules []SecurityGroupRule
}

// StaleSecurityGroups lists the caller's groups of a VPC that have stale
// rules, in group id order, after the group id `after`; limit 0 is no limit.
func (c *Service) StaleSecurityGroups(ctx context.Context, who cloud.Caller, vpcID, after string, limit int) (cloud.Page[*StaleGroup], error) {
	var page cloud.Page[*StaleGroup]
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		vpc, err := cloud.GetIn[VPC](t, vpcID)
		if err != nil {
			return err
		}
		groups, err := cloud.FindIn[SecurityGroup](t, cloud.Key{Name: "vpc-id", Value: vpc.ID})
		if err != nil {
			return err
		}
		for _, g := range groups {
			if g.ID <= after {
				continue
			}
			rules, err := staleRules(t, g)
			if err != nil {
				return err
			}
			if len(rules) == 0 {
				continue
			}
			if limit > 0 && len(page.Items) == limit {
				page.Next = page.Items[len(page.Items)-1].Group.ID
				break
			}
			page.Items = append(page.Items, &StaleGroup{Group: g, Rules: rules})
		}
		return nil
	})
	return page, err
}

// staleRules returns a group's stale rules, with their peering status.
func staleRules(t *cloud.Txn, g *SecurityGroup) ([]SecurityGroupRule, error) {
	if err := g.Resolve(t); err != nil {
		return nil, err
	}
	var out []SecurityGroupRule
	for _, r := range g.Rules {
		if r.PeeringConnectionID == "" {
			continue
		}
		_, err := t.Get(cloud.KindSecurityGroup, r.ReferencedGroupID)
		if err != nil && !errors.Is(err, cloud.ErrNoRecord) {
			return nil, err
		}
		if r.PeeringStatus != PeeringActive || err != nil {
			out = append(out, r)
		}
	}
	return out, nil
}
