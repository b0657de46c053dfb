package elbv2_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

func TestTags(t *testing.T) {
	f := newFixture(t)
	lb := f.createLB(&elb.CreateLoadBalancerInput{Name: aws.String("tagged"), Type: types.LoadBalancerTypeEnumNetwork,
		Scheme: types.LoadBalancerSchemeEnumInternal, Subnets: f.subnets[:1], Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("tagged")}}})
	tg := f.targetGroup("tagged", types.ProtocolEnumTcp, 80, types.TargetTypeEnumIp)
	l := f.forward(lb.LoadBalancerArn, types.ProtocolEnumTcp, 80, tg.TargetGroupArn)
	arns := []string{aws.ToString(lb.LoadBalancerArn), aws.ToString(tg.TargetGroupArn), aws.ToString(l.ListenerArn)}
	_, err := f.lb.AddTags(f.ctx, &elb.AddTagsInput{ResourceArns: arns, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}}})
	f.must(err)
	_, err = f.lb.RemoveTags(f.ctx, &elb.RemoveTagsInput{ResourceArns: arns[:1], TagKeys: []string{"Name"}})
	f.must(err)
	out, err := f.lb.DescribeTags(f.ctx, &elb.DescribeTagsInput{ResourceArns: arns})
	f.must(err)
	if len(out.TagDescriptions) != 3 {
		t.Fatalf("descriptions: %+v", out.TagDescriptions)
	}
	for i, d := range out.TagDescriptions {
		if aws.ToString(d.ResourceArn) != arns[i] || len(d.Tags) != 1 || aws.ToString(d.Tags[0].Key) != "env" {
			t.Errorf("%s: %+v", arns[i], d.Tags)
		}
	}
	var many []types.Tag
	for i := range 51 {
		many = append(many, types.Tag{Key: aws.String(fmt.Sprint("k", i)), Value: aws.String("v")})
	}
	var tooMany []string
	for range 21 {
		tooMany = append(tooMany, arns[0])
	}
	checkRefusals(t, []refusal{
		{"duplicate keys", func() error {
			_, err := f.lb.AddTags(f.ctx, &elb.AddTagsInput{ResourceArns: arns[:1], Tags: []types.Tag{{Key: aws.String("a")}, {Key: aws.String("a")}}})
			return err
		}, "DuplicateTagKeys", "a"},
		{"too many tags", func() error {
			_, err := f.lb.AddTags(f.ctx, &elb.AddTagsInput{ResourceArns: arns[:1], Tags: many})
			return err
		}, "TooManyTags", ""},
		{"reserved key", func() error {
			_, err := f.lb.AddTags(f.ctx, &elb.AddTagsInput{ResourceArns: arns[:1], Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("v")}}})
			return err
		}, "ValidationError", "aws:"},
		{"unknown listener", func() error {
			_, err := f.lb.DescribeTags(f.ctx, &elb.DescribeTagsInput{ResourceArns: []string{otherID(arns[2])}})
			return err
		}, "ListenerNotFound", ""},
		{"more than 20", func() error {
			_, err := f.lb.DescribeTags(f.ctx, &elb.DescribeTagsInput{ResourceArns: tooMany})
			return err
		}, "ValidationError", "20"},
	})
}

// otherID is arn with its last hex digit changed: a well-formed ARN of a
// resource that does not exist.
func otherID(arn string) string {
	last := "0"
	if strings.HasSuffix(arn, "0") {
		last = "1"
	}
	return arn[:len(arn)-1] + last
}

func TestDescribeAccountLimits(t *testing.T) {
	f := newFixture(t)
	var names []string
	in := &elb.DescribeAccountLimitsInput{PageSize: aws.Int32(10)}
	for {
		out, err := f.lb.DescribeAccountLimits(f.ctx, in)
		f.must(err)
		for _, l := range out.Limits {
			names = append(names, aws.ToString(l.Name)+"="+aws.ToString(l.Max))
		}
		if out.NextMarker == nil {
			break
		}
		in.Marker = out.NextMarker
	}
	if got := strings.Join(names, " "); len(names) != 23 || !strings.Contains(got, "network-load-balancers=50") || !strings.Contains(got, "gateway-load-balancers=100") {
		t.Errorf("limits: %s", got)
	}
}

// TestUnsignedRequestsRouteByVersion: an unsigned request that names the
// ELBv2 API version reaches ELBv2 and gets its XML namespace.
func TestUnsignedRequestsRouteByVersion(t *testing.T) {
	f := newFixture(t)
	resp, err := http.PostForm(f.em.URL(), url.Values{"Action": {"DescribeLoadBalancers"}, "Version": {"2015-12-01"}})
	f.must(err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">`) {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	resp, err = http.PostForm(f.em.URL(), url.Values{"Action": {"ModifyCapacityReservation"}, "Version": {"2015-12-01"}})
	f.must(err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>UnsupportedOperation</Code>") {
		t.Errorf("unimplemented operation: %d %s", resp.StatusCode, body)
	}
}
