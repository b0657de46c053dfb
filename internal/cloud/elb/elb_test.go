package elb

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Tags of every ELB kind: given at creation, added, overwritten, removed
// and listed in the order asked; tag keys found by index.
func TestELBTags(t *testing.T) {
	f := newFixture(t)
	nlb := f.createLB(CreateLoadBalancerInput{Name: "net", Type: LBNetwork, Scheme: SchemeInternal, Subnets: f.subnets[:1], Tags: []cloud.Tag{{Key: "team", Value: "net"}}})
	tg, err := f.elb.CreateTargetGroup(f.ctx, alice, CreateTargetGroupInput{Name: "tg", Protocol: "HTTP", Port: ptr(int32(80)), VpcID: f.vpc.ID, TargetType: TargetIP,
		Tags: []cloud.Tag{{Key: "team", Value: "web"}}})
	f.must(err)
	alb := f.alb("web")
	l, err := f.elb.CreateListener(f.ctx, alice, alb.ID, ListenerInput{Port: ptr(int32(80)), Protocol: "HTTP", Actions: forwardTo(tg.ID), Tags: []cloud.Tag{{Key: "l", Value: "1"}}})
	f.must(err)
	r, err := f.elb.CreateRule(f.ctx, alice, l.ID, RuleInput{Priority: 1, Conditions: pathIs("/"), Actions: fixed("200"), Tags: []cloud.Tag{{Key: "r", Value: "1"}}})
	f.must(err)
	arns := []string{r.ID, nlb.ID, l.ID, tg.ID}

	described, err := f.elb.DescribeELBTags(f.ctx, alice, arns)
	f.must(err)
	want := []ResourceTags{{r.ID, []cloud.Tag{{Key: "r", Value: "1"}}}, {nlb.ID, []cloud.Tag{{Key: "team", Value: "net"}}}, {l.ID, []cloud.Tag{{Key: "l", Value: "1"}}}, {tg.ID, []cloud.Tag{{Key: "team", Value: "web"}}}}
	if !reflect.DeepEqual(described, want) {
		t.Errorf("described %+v\nwant %+v", described, want)
	}
	f.must(f.elb.AddELBTags(f.ctx, alice, arns, []cloud.Tag{{Key: "env", Value: "test"}, {Key: "team", Value: "all"}}))
	f.must(f.elb.RemoveELBTags(f.ctx, alice, []string{l.ID, r.ID}, []string{"l", "r", "absent"}))
	described, err = f.elb.DescribeELBTags(f.ctx, alice, []string{tg.ID, l.ID})
	f.must(err)
	want = []ResourceTags{{tg.ID, []cloud.Tag{{Key: "env", Value: "test"}, {Key: "team", Value: "all"}}}, {l.ID, []cloud.Tag{{Key: "env", Value: "test"}, {Key: "team", Value: "all"}}}}
	if !reflect.DeepEqual(described, want) {
		t.Errorf("after the changes %+v\nwant %+v", described, want)
	}
	page, err := cloud.List[LoadBalancer](f.ctx, f.c, alice, cloud.Query{Filters: []cloud.Filter{{Name: "tag:team", Values: []string{"all"}}}}, nil)
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != nlb.ID {
		t.Errorf("by tag %+v, %v", page.Items, err)
	}

	many := make([]string, 21)
	for i := range many {
		many[i] = nlb.ID
	}
	for _, tc := range []struct {
		name   string
		err    error
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"too many resources", f.elb.AddELBTags(f.ctx, alice, many, []cloud.Tag{{Key: "k"}}), cloud.InvalidParameter, "", "You can specify up to 20 resource ARNs"},
		{"too many to remove from", f.elb.RemoveELBTags(f.ctx, alice, many, []string{"k"}), cloud.InvalidParameter, "", "up to 20"},
		{"too many to describe", second(f.elb.DescribeELBTags(f.ctx, alice, many)), cloud.InvalidParameter, "", "up to 20"},
		{"a key twice", f.elb.AddELBTags(f.ctx, alice, arns, []cloud.Tag{{Key: "k"}, {Key: "k", Value: "v"}}), cloud.Duplicate, "tag", "Tag key was specified more than once: k"},
		{"reserved key", f.elb.AddELBTags(f.ctx, alice, arns, []cloud.Tag{{Key: "aws:k"}}), cloud.InvalidParameter, "", "Tag key 'aws:k' cannot begin with 'aws:'"},
		{"past the quota", f.elb.AddELBTags(f.ctx, alice, []string{nlb.ID}, manyTags(49)), cloud.LimitExceeded, "tag", "The quota for the number of tags"},
		{"unknown load balancer", f.elb.AddELBTags(f.ctx, alice, []string{missingARN(nlb.ID)}, []cloud.Tag{{Key: "k"}}), cloud.NotFound, cloud.KindLoadBalancer, "One or more load balancers not found"},
		{"unknown group", f.elb.RemoveELBTags(f.ctx, alice, []string{missingARN(tg.ID)}, []string{"k"}), cloud.NotFound, cloud.KindTargetGroup, "One or more target groups not found"},
		{"unknown listener", second(f.elb.DescribeELBTags(f.ctx, alice, []string{missingARN(l.ID)})), cloud.NotFound, cloud.KindListener, ""},
		{"unknown rule", second(f.elb.DescribeELBTags(f.ctx, alice, []string{missingARN(r.ID)})), cloud.NotFound, cloud.KindRule, ""},
		{"not an ELB ARN", second(f.elb.DescribeELBTags(f.ctx, alice, []string{f.vpc.ID})), cloud.InvalidParameter, "", "is not a valid load balancer ARN"},
		{"another account's", f.elb.AddELBTags(f.ctx, bob, []string{tg.ID}, []cloud.Tag{{Key: "k"}}), cloud.NotFound, cloud.KindTargetGroup, ""},
		{"dry run", f.elb.AddELBTags(f.ctx, dry(alice), []string{tg.ID}, []cloud.Tag{{Key: "k"}}), cloud.DryRun, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) { wantReason(t, tc.err, tc.reason, tc.kind, tc.msg) })
	}
	// A refused call changed no resource, not even those before the one
	// that failed.
	described, err = f.elb.DescribeELBTags(f.ctx, alice, []string{nlb.ID, tg.ID})
	f.must(err)
	if len(described[0].Tags) != 2 || len(described[1].Tags) != 2 {
		t.Errorf("after the refusals %+v", described)
	}
}

// An ARN names its kind by its resource type; well-formed ones are
// checked one kind at a time.
func TestELBARNs(t *testing.T) {
	head := "arn:aws:elasticloadbalancing:us-east-1:111111111111:"
	for _, tc := range []struct {
		arn  string
		kind cloud.Kind
		ok   bool // well formed for its kind
	}{
		{head + "loadbalancer/net/a/0123456789abcdef", cloud.KindLoadBalancer, true},
		{head + "loadbalancer/app/a-b/0123456789abcdef", cloud.KindLoadBalancer, true},
		{head + "loadbalancer/gwy/a/0123456789abcdef", cloud.KindLoadBalancer, true},
		{head + "loadbalancer/classic/a/0123456789abcdef", cloud.KindLoadBalancer, false},
		{head + "loadbalancer/net/a/0123456789ABCDEF", cloud.KindLoadBalancer, false},
		{head + "targetgroup/tg/0123456789abcdef", cloud.KindTargetGroup, true},
		{head + "targetgroup/" + strings.Repeat("t", 33) + "/0123456789abcdef", cloud.KindTargetGroup, false},
		{head + "listener/net/a/0123456789abcdef/0123456789abcdef", cloud.KindListener, true},
		{head + "listener/net/a/0123456789abcdef", cloud.KindListener, false},
		{head + "listener-rule/app/a/0123456789abcdef/0123456789abcdef/0123456789abcdef", cloud.KindRule, true},
		{head + "listener-rule/gwy/a/0123456789abcdef/0123456789abcdef/0123456789abcdef", cloud.KindRule, false},
		{"arn:aws-cn:elasticloadbalancing:cn-north-1:111111111111:targetgroup/tg/0123456789abcdef", cloud.KindTargetGroup, true},
		{"arn:aws:ec2:us-east-1:111111111111:vpc/vpc-1", "", false},
		{head + "truststore/t/0123456789abcdef", "", false},
		{"vpc-1", "", false},
	} {
		kind, ok := ELBKindOfARN(tc.arn)
		if kind != tc.kind || ok != (tc.kind != "") {
			t.Errorf("%s: kind %q %v, want %q", tc.arn, kind, ok, tc.kind)
		}
		if tc.kind == "" {
			continue
		}
		err := CheckELBARNs([]string{tc.arn}, tc.kind)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.arn, err)
		}
	}
	wantReason(t, CheckELBARNs([]string{head + "targetgroup/tg/0123456789abcdef", "tg"}, cloud.KindTargetGroup), cloud.InvalidParameter, "", "'tg' is not a valid target group ARN")
}
