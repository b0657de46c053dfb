package elb

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Rule is a listener rule: conditions on a request and the actions taken
// when they all match, tried in priority order (1 first). Every listener of
// an application or network load balancer has a default rule, tried last:
// it has no conditions, its actions are the listener's default actions
// (kept there, copied on read), and it cannot be deleted or reprioritised.
// Other rules exist on HTTP and HTTPS listeners only. Its ID is its ARN,
// the listener's with "listener-rule" and the rule's own id.
type Rule struct {
	cloud.Meta
	ListenerARN     string
	LoadBalancerARN string
	IsDefault       bool            `json:",omitempty"`
	Priority        int32           `json:",omitempty"` // 0 for the default rule
	Conditions      []RuleCondition `json:",omitempty"`
	Actions         []Action        `json:",omitempty"` // the default rule's: its listener's
}

func (*Rule) Kind() cloud.Kind { return cloud.KindRule }

func init() { cloud.RegisterType[Rule]() }

func (r *Rule) Keys() []cloud.Key {
	keys := []cloud.Key{{Name: "listener", Value: r.ListenerARN}}
	if !r.IsDefault {
		// load-balancer counts the rules a load balancer's quota counts:
		// default rules are not among them.
		keys = append(keys, cloud.Key{Name: "load-balancer", Value: r.LoadBalancerARN}, priorityKey(r.ListenerARN, r.Priority))
	}
	for _, arn := range forwardedGroups(r.Actions) {
		keys = append(keys, cloud.Key{Name: "target-group", Value: arn})
	}
	return keys
}

func priorityKey(listenerARN string, priority int32) cloud.Key {
	return cloud.Key{Name: "listener-priority", Value: listenerARN + "/" + strconv.Itoa(int(priority))}
}

// Resolve gives the default rule its listener's default actions.
func (r *Rule) Resolve(t *cloud.Txn) error {
	if !r.IsDefault {
		return nil
	}
	l, err := cloud.GetAny[Listener](t.StoreTx, r.ListenerARN)
	if err != nil {
		return err
	}
	r.Actions = l.Actions
	return nil
}

// newRule is a rule of listener l with the next id.
func newRule(t *cloud.Txn, l *Listener) *Rule {
	return &Rule{
		Meta:        cloud.Meta{ID: strings.Replace(l.ID, ":listener/", ":listener-rule/", 1) + "/" + newELBID(t), Owner: t.Scope.Account, Region: t.Scope.Region},
		ListenerARN: l.ID, LoadBalancerARN: l.LoadBalancerARN,
	}
}

// createDefaultRule gives a new listener its default rule. A gateway load
// balancer's listener has none: AWS answers DescribeRules on one with
// ListenerNotFound.
func createDefaultRule(t *cloud.Txn, l *Listener, lb *LoadBalancer) error {
	if lb.Type == LBGateway {
		return nil
	}
	r := newRule(t, l)
	r.IsDefault = true
	return cloud.Put(t, r)
}

// rulesListener reads the listener a rule call names, with its load
// balancer. A gateway load balancer's listener has no rules, so AWS does
// not find it.
func rulesListener(t *cloud.Txn, arn string) (*Listener, *LoadBalancer, error) {
	l, lb, err := listenerAndLB(t, arn)
	if err == nil && lb.Type == LBGateway {
		return nil, nil, cloud.ELBNotFound(cloud.KindListener)
	}
	return l, lb, err
}

// RuleInput is what CreateRule and ModifyRule take; in a modify call, nil
// conditions or actions stay as they are.
type RuleInput struct {
	Priority   int32
	Conditions []ConditionInput
	Actions    []ActionInput
	Tags       []cloud.Tag
}

// checkPriority refuses a priority outside 1-50000 or one another rule of
// the listener has.
func checkPriority(t *cloud.Txn, listenerARN string, priority int32) error {
	if priority < 1 || priority > 50000 {
		return cloud.InvalidParam("Priority '%d' must be from 1 to 50000", priority)
	}
	taken, err := cloud.Exists(t, cloud.KindRule, priorityKey(listenerARN, priority))
	if err != nil {
		return err
	}
	if taken {
		return cloud.Errorf(cloud.Duplicate, "priority", "Priority '%d' is currently in use", priority)
	}
	return nil
}

// CreateRule adds a rule to an HTTP or HTTPS listener.
func (c *Service) CreateRule(ctx context.Context, who cloud.Caller, listenerARN string, in RuleInput) (*Rule, error) {
	tags, err := elbTags(in.Tags)
	if err != nil {
		return nil, err
	}
	var r *Rule
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		l, lb, err := rulesListener(t, listenerARN)
		if err != nil {
			return err
		}
		if lb.Type != LBApplication {
			// The rule calls' model errors include UnsupportedProtocol,
			// the likely answer for a TCP, TLS or UDP listener.
			return cloud.Errorf(cloud.Unsupported, "protocol", "Listener rules are not supported for %s listeners; only HTTP and HTTPS listeners take rules", l.Protocol)
		}
		r = newRule(t, l)
		r.Tags, r.Priority = tags, in.Priority
		if r.Conditions, err = checkConditions(t, in.Conditions); err != nil {
			return err
		}
		if r.Actions, err = l.checkActions(t, lb, in.Actions, "action"); err != nil {
			return err
		}
		if err := checkPriority(t, l.ID, r.Priority); err != nil {
			return err
		}
		n, err := t.Count(cloud.KindRule, cloud.Key{Name: "load-balancer", Value: lb.ID}, t.Limit("rules-per-application-load-balancer"))
		if err != nil {
			return err
		}
		if n >= t.Limit("rules-per-application-load-balancer") {
			return cloud.Errorf(cloud.LimitExceeded, cloud.KindRule, "The maximum number of rules per load balancer has been reached")
		}
		return cloud.Put(t, r)
	})
	return r, err
}

// getRule reads one of the caller's rules with its derived actions.
func getRule(t *cloud.Txn, arn string) (*Rule, error) {
	r, err := getELB[Rule](t, arn)
	if err != nil {
		return nil, err
	}
	return r, r.Resolve(t)
}

// notTheDefault refuses to change the default rule other than through
// its listener.
func (r *Rule) notTheDefault(change string) error {
	if r.IsDefault {
		return cloud.Errorf(cloud.OperationNotPermitted, "", "The default rule '%s' cannot be %s", r.ID, change)
	}
	return nil
}

// ModifyRule replaces a rule's conditions, actions or both. The default
// rule changes with its listener's default actions (ModifyListener), as
// the API reference of ModifyRule says.
func (c *Service) ModifyRule(ctx context.Context, who cloud.Caller, arn string, in RuleInput) (*Rule, error) {
	var r *Rule
	err := c.Update(ctx, who, func(t *cloud.Txn) (err error) {
		if r, err = getRule(t, arn); err != nil {
			return err
		}
		if err := r.notTheDefault("modified; modify its listener's default actions instead"); err != nil {
			return err
		}
		l, lb, err := listenerAndLB(t, r.ListenerARN)
		if err != nil {
			return err
		}
		if in.Conditions != nil {
			if r.Conditions, err = checkConditions(t, in.Conditions); err != nil {
				return err
			}
		}
		if in.Actions != nil {
			if r.Actions, err = l.checkActions(t, lb, in.Actions, "action"); err != nil {
				return err
			}
		}
		return cloud.Put(t, r)
	})
	return r, err
}

// DeleteRule deletes a rule other than a listener's default rule.
func (c *Service) DeleteRule(ctx context.Context, who cloud.Caller, arn string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		r, err := getELB[Rule](t, arn)
		if err != nil {
			return err
		}
		if err := r.notTheDefault("deleted"); err != nil {
			return err
		}
		return cloud.Remove(t, r)
	})
}

// RulePriority is a rule and the priority a SetRulePriorities call gives
// it.
type RulePriority struct {
	RuleARN  string
	Priority int32
}

// SetRulePriorities gives rules new priorities at once: the priorities
// must be unique in each listener once all have changed, so two rules can
// swap theirs.
func (c *Service) SetRulePriorities(ctx context.Context, who cloud.Caller, pairs []RulePriority) ([]*Rule, error) {
	var out []*Rule
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		changed := map[string]*Rule{}
		for _, p := range pairs {
			if _, twice := changed[p.RuleARN]; twice {
				return cloud.InvalidParam("Rule '%s' is specified more than once", p.RuleARN)
			}
			r, err := getRule(t, p.RuleARN)
			if err != nil {
				return err
			}
			if err := r.notTheDefault("given another priority"); err != nil {
				return err
			}
			if p.Priority < 1 || p.Priority > 50000 {
				return cloud.InvalidParam("Priority '%d' must be from 1 to 50000", p.Priority)
			}
			r.Priority = p.Priority
			changed[r.ID] = r
			out = append(out, r)
		}
		for _, r := range out {
			if err := checkPriorities(t, r.ListenerARN, changed); err != nil {
				return err
			}
		}
		for _, r := range out {
			if err := cloud.Put(t, r); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// checkPriorities refuses two rules of a listener with one priority, once
// the changed rules have their new ones.
func checkPriorities(t *cloud.Txn, listenerARN string, changed map[string]*Rule) error {
	rules, err := cloud.FindIn[Rule](t, cloud.Key{Name: "listener", Value: listenerARN})
	if err != nil {
		return err
	}
	taken := map[int32]bool{}
	for _, r := range rules {
		if c, ok := changed[r.ID]; ok {
			r = c
		}
		if r.IsDefault {
			continue
		}
		if taken[r.Priority] {
			return cloud.Errorf(cloud.Duplicate, "priority", "Priority '%d' is currently in use", r.Priority)
		}
		taken[r.Priority] = true
	}
	return nil
}

// DescribeRules lists the rules named by ARN, or every rule of a listener
// (the default rule with them), in priority order with the default rule
// last.
func (c *Service) DescribeRules(ctx context.Context, who cloud.Caller, listenerARN string, arns []string) ([]*Rule, error) {
	var out []*Rule
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		if listenerARN != "" {
			l, _, err := rulesListener(t, listenerARN)
			if err != nil {
				return err
			}
			if out, err = cloud.FindIn[Rule](t, cloud.Key{Name: "listener", Value: l.ID}); err != nil {
				return err
			}
		}
		for _, arn := range cloud.SortedUnique(arns) {
			r, err := getELB[Rule](t, arn)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		for _, r := range out {
			if err := r.Resolve(t); err != nil {
				return err
			}
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].order() < out[j].order() })
	return out, err
}

// order is where the rule comes in its listener's evaluation.
func (r *Rule) order() int64 {
	if r.IsDefault {
		return 1 << 32
	}
	return int64(r.Priority)
}
