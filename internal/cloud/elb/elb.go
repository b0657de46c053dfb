package elb

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// What the Elastic Load Balancing v2 kinds (load balancers, target groups,
// listeners, listener rules) share: ARNs, names, tags, attributes and
// quotas. Their records are keyed by ARN, so Describe calls by ARN read them
// directly.

// elbRequesterID is the requester AWS shows on a load balancer's network
// interfaces.
const elbRequesterID = "amazon-elb"

// elbARN is the ARN of an ELB resource of the caller ("loadbalancer/net/…").
func elbARN(t *cloud.Txn, resource string) string {
	return arn.New("elasticloadbalancing", t.Scope.Region, t.Scope.Account, resource)
}

// newELBID is the 16 hex digits that end an ELB ARN.
func newELBID(t *cloud.Txn) string {
	id := t.NewID("")
	return id[len(id)-16:]
}

const arnHead = `^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:`

// elbARNs are the well-formed ARNs of each kind, and how messages name them.
var elbARNs = map[cloud.Kind]struct {
	re   *regexp.Regexp
	noun string
}{
	cloud.KindLoadBalancer: {regexp.MustCompile(arnHead + `loadbalancer/(app|net|gwy)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`), "load balancer"},
	cloud.KindTargetGroup:  {regexp.MustCompile(arnHead + `targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`), "target group"},
	cloud.KindListener:     {regexp.MustCompile(arnHead + `listener/(app|net|gwy)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}$`), "listener"},
	cloud.KindRule:         {regexp.MustCompile(arnHead + `listener-rule/(app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}$`), "listener rule"},
}

// CheckELBARN refuses an ARN that is not a well-formed ARN of kind k.
func CheckELBARN(arn string, k cloud.Kind) error {
	if !elbARNs[k].re.MatchString(arn) {
		return cloud.InvalidParam("'%s' is not a valid %s ARN", arn, elbARNs[k].noun)
	}
	return nil
}

// ELBKindOfARN is the kind of ELB resource an ARN names, by its resource
// type ("loadbalancer/…"), whether or not it is well formed.
func ELBKindOfARN(arn string) (cloud.Kind, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[2] != "elasticloadbalancing" {
		return "", false
	}
	switch {
	case strings.HasPrefix(parts[5], "loadbalancer/"):
		return cloud.KindLoadBalancer, true
	case strings.HasPrefix(parts[5], "targetgroup/"):
		return cloud.KindTargetGroup, true
	case strings.HasPrefix(parts[5], "listener/"):
		return cloud.KindListener, true
	case strings.HasPrefix(parts[5], "listener-rule/"):
		return cloud.KindRule, true
	}
	return "", false
}

// getELB reads the caller's ELB resource by ARN; a missing one is ELB's
// not-found refusal.
func getELB[T any, P cloud.ObjectPtr[T]](t *cloud.Txn, arn string) (P, error) {
	k := P(nil).Kind()
	if err := CheckELBARN(arn, k); err != nil {
		return nil, err
	}
	p, err := cloud.GetIn[T, P](t, arn)
	if e, ok := cloud.AsError(err); ok && e.Reason == cloud.NotFound {
		return nil, cloud.ELBNotFound(k)
	}
	return p, err
}

// elbName is an ELB resource's name rule: 1-32 letters, digits and
// hyphens, not starting or ending with a hyphen. subject is how messages
// start ("The load balancer name", "Target group name").
func elbName(subject, name string) error {
	switch {
	case name == "":
		return cloud.InvalidParam("%s cannot be empty", subject)
	case len(name) > 32:
		return cloud.InvalidParam("%s '%s' cannot be longer than '32' characters", subject, name)
	case strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "":
		return cloud.InvalidParam("%s '%s' can only contain characters that are alphanumeric characters or hyphens(-)", subject, name)
	case strings.HasPrefix(name, "-") || strings.HasSuffix(name, "-"):
		return cloud.InvalidParam("%s '%s' cannot begin or end with a hyphen", subject, name)
	}
	return nil
}

// arnsByName maps names of the caller's resources of one kind to their
// ARNs, in the order asked; missing names fail together.
func arnsByName[T any, P cloud.ObjectPtr[T]](t *cloud.Txn, names []string) ([]string, error) {
	var arns, missing []string
	for _, name := range cloud.SortedUnique(names) {
		found, err := cloud.FindIn[T, P](t, cloud.Key{Name: "name", Value: name})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			missing = append(missing, name)
			continue
		}
		arns = append(arns, found[0].Base().ID)
	}
	if len(missing) > 0 {
		return nil, cloud.ELBNotFound(P(nil).Kind(), missing...)
	}
	return arns, nil
}

// LoadBalancerARNs maps load balancer names to ARNs.
func (c *Service) LoadBalancerARNs(ctx context.Context, who cloud.Caller, names []string) ([]string, error) {
	var arns []string
	err := c.View(ctx, who, func(t *cloud.Txn) (err error) {
		arns, err = arnsByName[LoadBalancer](t, names)
		return err
	})
	return arns, err
}

// TargetGroupARNs maps target group names to ARNs.
func (c *Service) TargetGroupARNs(ctx context.Context, who cloud.Caller, names []string) ([]string, error) {
	var arns []string
	err := c.View(ctx, who, func(t *cloud.Txn) (err error) {
		arns, err = arnsByName[TargetGroup](t, names)
		return err
	})
	return arns, err
}

// CheckELBARNs refuses the first ARN that is not a well-formed ARN of kind k.
func CheckELBARNs(arns []string, k cloud.Kind) error {
	for _, arn := range arns {
		if err := CheckELBARN(arn, k); err != nil {
			return err
		}
	}
	return nil
}

// maxELBTags is ELB's quota of tags per resource.
const maxELBTags = 50

// elbTags checks the tags of one ELB request: no key twice, none of AWS's
// reserved keys, at most the quota.
func elbTags(tags []cloud.Tag) (cloud.Tags, error) {
	out := cloud.Tags{}
	for _, tag := range tags {
		if _, dup := out[tag.Key]; dup {
			return nil, cloud.Errorf(cloud.Duplicate, "tag", "Tag key was specified more than once: %s", tag.Key)
		}
		if strings.HasPrefix(strings.ToLower(tag.Key), "aws:") {
			return nil, cloud.InvalidParam("Tag key '%s' cannot begin with 'aws:'", tag.Key)
		}
		out[tag.Key] = tag.Value
	}
	if len(out) > maxELBTags {
		return nil, tooManyTags()
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func tooManyTags() error {
	return cloud.Errorf(cloud.LimitExceeded, "tag", "The quota for the number of tags that can be assigned to a resource has been reached")
}

// elbObject reads any of the caller's ELB resources by ARN.
func elbObject(t *cloud.Txn, arn string) (cloud.Object, error) {
	k, _ := ELBKindOfARN(arn)
	switch k {
	case cloud.KindTargetGroup:
		return getELB[TargetGroup](t, arn)
	case cloud.KindListener:
		return getELB[Listener](t, arn)
	case cloud.KindRule:
		return getELB[Rule](t, arn)
	default:
		return getELB[LoadBalancer](t, arn)
	}
}

// maxTaggedARNs is how many resources one ELB tag call takes.
const maxTaggedARNs = 20

func checkTaggedARNs(arns []string) error {
	if len(arns) > maxTaggedARNs {
		return cloud.InvalidParam("You can specify up to %d resource ARNs", maxTaggedARNs)
	}
	return nil
}

// AddELBTags adds or overwrites tags on ELB resources.
func (c *Service) AddELBTags(ctx context.Context, who cloud.Caller, arns []string, tags []cloud.Tag) error {
	add, err := elbTags(tags)
	if err != nil {
		return err
	}
	if err := checkTaggedARNs(arns); err != nil {
		return err
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		return editELBTags(t, arns, func(m *cloud.Meta) error {
			if m.Tags == nil {
				m.Tags = cloud.Tags{}
			}
			for k, v := range add {
				m.Tags[k] = v
			}
			if len(m.Tags) > maxELBTags {
				return tooManyTags()
			}
			return nil
		})
	})
}

// RemoveELBTags removes tag keys from ELB resources.
func (c *Service) RemoveELBTags(ctx context.Context, who cloud.Caller, arns, keys []string) error {
	if err := checkTaggedARNs(arns); err != nil {
		return err
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		return editELBTags(t, arns, func(m *cloud.Meta) error {
			for _, k := range keys {
				delete(m.Tags, k)
			}
			return nil
		})
	})
}

func editELBTags(t *cloud.Txn, arns []string, edit func(m *cloud.Meta) error) error {
	for _, arn := range arns {
		o, err := elbObject(t, arn)
		if err != nil {
			return err
		}
		if err := edit(o.Base()); err != nil {
			return err
		}
		if err := cloud.Put(t, o); err != nil {
			return err
		}
	}
	return nil
}

// ResourceTags are one resource's tags, as DescribeTags lists them.
type ResourceTags struct {
	ARN  string
	Tags []cloud.Tag
}

// DescribeELBTags lists the tags of ELB resources, in the order asked.
func (c *Service) DescribeELBTags(ctx context.Context, who cloud.Caller, arns []string) ([]ResourceTags, error) {
	if err := checkTaggedARNs(arns); err != nil {
		return nil, err
	}
	var out []ResourceTags
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		for _, arn := range arns {
			o, err := elbObject(t, arn)
			if err != nil {
				return err
			}
			out = append(out, ResourceTags{ARN: arn, Tags: o.Base().Tags.Sorted()})
		}
		return nil
	})
	return out, err
}

// countIn counts the caller's resources of one kind that match.
func countIn[T any, P cloud.ObjectPtr[T]](t *cloud.Txn, match func(P) bool) (int, error) {
	n := 0
	var derr error
	err := t.Scan(P(nil).Kind(), t.Scope, "", func(r *cloud.Record) bool {
		p, err := cloud.Decode[T, P](r)
		if err != nil {
			derr = err
			return false
		}
		if match(p) {
			n++
		}
		return true
	})
	return n, errors.Join(err, derr)
}

// Attribute is one key and value of an ELB resource's attributes.
type Attribute struct {
	Key   string
	Value string
}

// attrRule says which values an attribute takes; what describes them in
// refusals.
type attrRule struct {
	valid func(string) bool
	what  string
}

var (
	anyValue  = attrRule{func(string) bool { return true }, "any value"}
	boolValue = oneOf("true", "false")
)

func oneOf(values ...string) attrRule {
	return attrRule{func(v string) bool {
		for _, ok := range values {
			if v == ok {
				return true
			}
		}
		return false
	}, "one of " + strings.Join(values, ", ")}
}

func intRange(lo, hi int) attrRule {
	return attrRule{func(v string) bool {
		n, err := strconv.Atoi(v)
		return err == nil && n >= lo && n <= hi
	}, fmt.Sprintf("an integer from %d to %d", lo, hi)}
}

// offOr accepts "off" or what r accepts.
func offOr(r attrRule) attrRule {
	return attrRule{func(v string) bool { return v == "off" || r.valid(v) }, "off or " + r.what}
}

// attrDefault is one attribute a resource has, with its default value.
type attrDefault struct {
	key, value string
}

// attrSet is the attributes one resource has, in the order AWS lists them.
type attrSet []attrDefault

func (s attrSet) has(key string) bool {
	for _, a := range s {
		if a.key == key {
			return true
		}
	}
	return false
}

// values are the defaults as a map, for a new resource.
func (s attrSet) values() map[string]string {
	m := make(map[string]string, len(s))
	for _, a := range s {
		m[a.key] = a.value
	}
	return m
}

// list renders a resource's attributes in the set's order.
func (s attrSet) list(values map[string]string) []Attribute {
	out := make([]Attribute, 0, len(s))
	for _, a := range s {
		out = append(out, Attribute{Key: a.key, Value: values[a.key]})
	}
	return out
}

// attrKind is one ELB kind's attribute vocabulary: every key it knows,
// with its values, and how refusals name the kind.
type attrKind struct {
	noun  string // "Load balancer"
	rules map[string]attrRule
}

// apply checks changes against the kind's rules and the resource's set,
// and applies them to values (the caller saves). what names the resource
// in the refusal for a key it does not have ("load balancers with type
// 'network'").
func (k attrKind) apply(set attrSet, values map[string]string, changes []Attribute, what string) error {
	for _, a := range changes {
		rule, known := k.rules[a.Key]
		if !known {
			return cloud.InvalidParam("%s attribute key '%s' is not recognized", k.noun, a.Key)
		}
		if !set.has(a.Key) {
			return cloud.Errorf(cloud.InvalidConfiguration, "", "%s attribute key '%s' is not supported on %s", k.noun, a.Key, what)
		}
		if !rule.valid(a.Value) {
			return cloud.InvalidParam("%s attribute '%s' value '%s' is not valid: it must be %s", k.noun, a.Key, a.Value, rule.what)
		}
	}
	for _, a := range changes {
		values[a.Key] = a.Value
	}
	return nil
}

// sameSet reports whether two id lists hold the same ids, in any order.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
