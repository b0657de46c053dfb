package reach

import (
	"cmp"

	"github.com/vpcemu/vpcemu/internal/arn"
)

// Component filters: AWS's FilterInArns and FilterOutArns
// (Query.ThroughARNs, Query.AvoidARNs). Routing is deterministic, so the
// engine finds one path; it takes the filters into account where it has a
// choice (rank), then judges the path it found (filterComponents).

// filtered reports whether the query names components to go through or
// avoid.
func (pl *plan) filtered() bool { return len(pl.q.ThroughARNs) > 0 || len(pl.q.AvoidARNs) > 0 }

// names reports whether an ARN of a filter names a component: by its ARN,
// or by the id an EC2 ARN ends with (Elastic Load Balancing resources'
// ids are their ARNs).
func names(a string, c *Component) bool {
	return c != nil && (c.ARN == a || c.ID == a || c.ID == arn.ResourceID(a))
}

// rank is how the filters favour a choice that goes through the resources
// ids names: -1 when one is to be avoided, 1 when one is to be gone
// through, else 0.
func (pl *plan) rank(ids ...string) int {
	r := 0
	for _, id := range ids {
		c := &Component{ID: id}
		for _, arn := range pl.q.AvoidARNs {
			if names(arn, c) {
				return -1
			}
		}
		for _, arn := range pl.q.ThroughARNs {
			if names(arn, c) {
				r = 1
			}
		}
	}
	return r
}

// crossed is the component of a hop an ARN names: the hop's own, or what
// it is in or attached to (a VPC, a subnet, an instance, a listener); nil
// when the hop does not cross it.
func crossed(pc *PathComponent, arn string) *Component {
	for _, c := range []*Component{pc.Component, pc.VPC, pc.Subnet, pc.AttachedTo, pc.SourceVPC, pc.DestinationVPC, pc.ElasticLoadBalancerListener} {
		if names(arn, c) {
			return c
		}
	}
	return nil
}

// crosses reports whether a hop is, or is in or attached to, the component
// an ARN names.
func crosses(pc *PathComponent, arn string) bool { return crossed(pc, arn) != nil }

// avoided is the index of the first hop that crosses a component to
// avoid, and the ARN it crosses; -1 when none does.
func (pl *plan) avoided(pcs []PathComponent) (int, string) {
	for i := range pcs {
		for _, arn := range pl.q.AvoidARNs {
			if crosses(&pcs[i], arn) {
				return i, arn
			}
		}
	}
	return -1, ""
}

// filterComponents judges a result by the component filters. A path that
// crosses a component to avoid ends before it, blocked by the filter
// (COMPONENT_FILTER_RESTRICTION_REMOVED_COMPONENT: the filter took the
// component out of the network, whatever blocked the path further on); a
// path found that misses a component to go through is not found
// (COMPONENT_FILTER_RESTRICTION, one per component missed).
func (pl *plan) filterComponents(r Result) Result {
	if !pl.filtered() {
		return r
	}
	removed := func(pcs []PathComponent, i int, arn string) []Explanation {
		return []Explanation{{ExplanationCode: ComponentFilterRemoved, Component: cmp.Or(crossed(&pcs[i], arn), arnComponent(arn))}}
	}
	if i, arn := pl.avoided(r.ForwardPathComponents); i >= 0 {
		r.Explanations = removed(r.ForwardPathComponents, i, arn)
		r.NetworkPathFound, r.ForwardPathComponents, r.ReturnPathComponents = false, r.ForwardPathComponents[:i], nil
		return r
	}
	if !r.NetworkPathFound {
		return r
	}
	if i, arn := pl.avoided(r.ReturnPathComponents); i >= 0 {
		r.Explanations = removed(r.ReturnPathComponents, i, arn)
		r.NetworkPathFound, r.ReturnPathComponents = false, r.ReturnPathComponents[:i]
		return r
	}
	for _, arn := range pl.q.ThroughARNs {
		through := false
		for i := range r.ForwardPathComponents {
			if through = crosses(&r.ForwardPathComponents[i], arn); through {
				break
			}
		}
		if !through {
			r.NetworkPathFound, r.ReturnPathComponents = false, nil
			r.Explanations = append(r.Explanations, Explanation{ExplanationCode: ComponentFilterRestriction, Component: arnComponent(arn)})
		}
	}
	return r
}

// arnComponent names the component an ARN names: an EC2 resource by the
// id its ARN ends with, others (Elastic Load Balancing's) by their ARN.
func arnComponent(a string) *Component {
	if p, err := arn.Parse(a); err == nil && p.Service == "ec2" {
		return &Component{ID: arn.ResourceID(a), ARN: a}
	}
	return &Component{ID: a, ARN: a}
}
