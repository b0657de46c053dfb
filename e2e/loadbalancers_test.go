package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// The leftovers check covers load balancers and target groups too.
func init() {
	leftovers = append(leftovers,
		leftover{"load balancers", func(ctx context.Context, c *ec2.Client, _ string) ([]string, error) {
			out, err := elbClientLike(c).DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{})
			return ids(out, err, func(o *elb.DescribeLoadBalancersOutput) (r []string) {
				for _, lb := range o.LoadBalancers {
					r = append(r, aws.ToString(lb.LoadBalancerArn))
				}
				return r
			})
		}},
		leftover{"target groups", func(ctx context.Context, c *ec2.Client, _ string) ([]string, error) {
			out, err := elbClientLike(c).DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{})
			return ids(out, err, func(o *elb.DescribeTargetGroupsOutput) (r []string) {
				for _, g := range o.TargetGroups {
					r = append(r, aws.ToString(g.TargetGroupArn))
				}
				return r
			})
		}},
	)
}

// elbClientLike is an ELBv2 client with an EC2 client's endpoint,
// credentials and region.
func elbClientLike(c *ec2.Client) *elb.Client {
	o := c.Options()
	return elb.New(elb.Options{BaseEndpoint: o.BaseEndpoint, Region: o.Region, Credentials: o.Credentials, HTTPClient: o.HTTPClient, Retryer: o.Retryer})
}

// TestTerraformLoadBalancers: an internal network load balancer with a TCP
// listener and an IP target, and a gateway load balancer with a GENEVE
// target group apply, show no drift and destroy cleanly, interfaces and
// all.
func TestTerraformLoadBalancers(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, accountA, region)
	lbc := emulatortest.ELBv2(e, accountA, region)
	tf := newTerraform(t, "loadbalancers", e.URL())
	tf.lifecycle(c, func() {
		var out struct {
			NLBARN   string `json:"nlb_arn"`
			NLBDNS   string `json:"nlb_dns_name"`
			NLBZone  string `json:"nlb_zone_id"`
			GWLBARN  string `json:"gwlb_arn"`
			TCPGroup string `json:"tcp_target_group_arn"`
			TargetIP string `json:"target_ip"`
		}
		tf.outputs(&out)
		if !strings.Contains(out.NLBARN, ":loadbalancer/net/e2e-nlb/") || !strings.Contains(out.GWLBARN, ":loadbalancer/gwy/e2e-gwlb/") {
			t.Errorf("ARNs: %+v", out)
		}
		if !strings.HasPrefix(out.NLBDNS, "e2e-nlb-") || !strings.HasSuffix(out.NLBDNS, ".elb.us-east-1.amazonaws.com") || out.NLBZone != "Z26RNL4JYFTOTI" {
			t.Errorf("NLB DNS %s zone %s", out.NLBDNS, out.NLBZone)
		}
		ctx := testContext(t, time.Minute)
		health, err := lbc.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: &out.TCPGroup})
		if err != nil {
			t.Fatal(err)
		}
		if len(health.TargetHealthDescriptions) != 1 || aws.ToString(health.TargetHealthDescriptions[0].Target.Id) != out.TargetIP ||
			health.TargetHealthDescriptions[0].TargetHealth.State != elbtypes.TargetHealthStateEnumHealthy {
			t.Errorf("target health: %+v", health.TargetHealthDescriptions)
		}
		enis, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{
			{Name: aws.String("requester-id"), Values: []string{"amazon-elb"}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		if len(enis.NetworkInterfaces) != 3 {
			t.Errorf("want 3 load balancer interfaces (2 NLB, 1 GWLB), have %d", len(enis.NetworkInterfaces))
		}
	})
}

// TestAWSCLILoadBalancers: the aws CLI's elbv2 commands create a network
// load balancer, a target group and a listener, and read them back.
func TestAWSCLILoadBalancers(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	cli := newAWSCLI(t, e.URL(), accountA)
	subnets := strings.Fields(cli.ok(t, "ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true",
		"--query", "Subnets[0:2].SubnetId", "--output", "text"))
	vpc := cli.ok(t, "ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true", "--query", "Vpcs[0].VpcId", "--output", "text")
	var lb struct {
		LoadBalancers []struct {
			LoadBalancerArn, DNSName, Type, Scheme string
			State                                  struct{ Code string }
		}
	}
	cli.json(t, &lb, append([]string{"elbv2", "create-load-balancer", "--name", "cli-nlb", "--type", "network", "--subnets"}, subnets...)...)
	nlb := lb.LoadBalancers[0]
	if nlb.Type != "network" || nlb.Scheme != "internet-facing" || nlb.State.Code != "provisioning" || !strings.HasPrefix(nlb.DNSName, "cli-nlb-") {
		t.Errorf("create-load-balancer: %+v", nlb)
	}
	tg := cli.ok(t, "elbv2", "create-target-group", "--name", "cli-tcp", "--protocol", "TCP", "--port", "80", "--vpc-id", vpc,
		"--target-type", "ip", "--query", "TargetGroups[0].TargetGroupArn", "--output", "text")
	cli.ok(t, "elbv2", "create-listener", "--load-balancer-arn", nlb.LoadBalancerArn, "--protocol", "TCP", "--port", "80",
		"--default-actions", "Type=forward,TargetGroupArn="+tg)
	cli.ok(t, "elbv2", "register-targets", "--target-group-arn", tg, "--targets", "Id=172.31.16.10")
	if got := cli.ok(t, "elbv2", "describe-load-balancers", "--names", "cli-nlb", "--query", "LoadBalancers[0].State.Code", "--output", "text"); got != "active" {
		t.Errorf("state after create: %q", got)
	}
	if got := cli.ok(t, "elbv2", "describe-target-groups", "--load-balancer-arn", nlb.LoadBalancerArn, "--query", "TargetGroups[].TargetGroupName", "--output", "text"); got != "cli-tcp" {
		t.Errorf("describe-target-groups --load-balancer-arn: %q", got)
	}
	if got := cli.ok(t, "elbv2", "describe-listeners", "--load-balancer-arn", nlb.LoadBalancerArn, "--query", "Listeners[].[Protocol,Port]", "--output", "text"); got != "TCP\t80" {
		t.Errorf("describe-listeners: %q", got)
	}
	cliError(t, cli, "ResourceInUse", "DeleteTargetGroup", "elbv2", "delete-target-group", "--target-group-arn", tg)
	cli.ok(t, "elbv2", "delete-load-balancer", "--load-balancer-arn", nlb.LoadBalancerArn)
	cli.ok(t, "elbv2", "delete-target-group", "--target-group-arn", tg)
	cliError(t, cli, "LoadBalancerNotFound", "DescribeLoadBalancers", "elbv2", "describe-load-balancers", "--names", "cli-nlb")
}

// TestTerraformListenerRules: an application load balancer's listener rules
// (a weighted forward, a redirect, a fixed response, conditions of every
// kind), an HTTPS listener with a security policy and an extra certificate
// apply, show no drift and destroy cleanly.
func TestTerraformListenerRules(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, accountA, region)
	lbc := emulatortest.ELBv2(e, accountA, region)
	tf := newTerraform(t, "listener-rules", e.URL())
	tf.lifecycle(c, func() {
		var out struct {
			HTTP     string `json:"http_listener_arn"`
			HTTPS    string `json:"https_listener_arn"`
			Weighted string `json:"weighted_rule_arn"`
			Green    string `json:"green_target_group_arn"`
		}
		tf.outputs(&out)
		ctx := testContext(t, time.Minute)
		rules, err := lbc.DescribeRules(ctx, &elb.DescribeRulesInput{ListenerArn: &out.HTTP})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rules.Rules {
			got = append(got, aws.ToString(r.Priority)+":"+string(r.Actions[0].Type))
		}
		if strings.Join(got, " ") != "10:forward 20:redirect 30:fixed-response default:fixed-response" {
			t.Errorf("rules: %v", got)
		}
		if w := rules.Rules[0]; aws.ToString(w.RuleArn) != out.Weighted || len(w.Conditions) != 3 || len(w.Actions[0].ForwardConfig.TargetGroups) != 2 {
			t.Errorf("weighted rule: %+v", w)
		}
		green, err := lbc.DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{TargetGroupArns: []string{out.Green}})
		if err != nil {
			t.Fatal(err)
		}
		if len(green.TargetGroups[0].LoadBalancerArns) != 1 {
			t.Errorf("the group only a rule forwards to has load balancers %v", green.TargetGroups[0].LoadBalancerArns)
		}
		certs, err := lbc.DescribeListenerCertificates(ctx, &elb.DescribeListenerCertificatesInput{ListenerArn: &out.HTTPS})
		if err != nil {
			t.Fatal(err)
		}
		if len(certs.Certificates) != 2 || aws.ToBool(certs.Certificates[0].IsDefault) || !aws.ToBool(certs.Certificates[1].IsDefault) {
			t.Errorf("certificates: %+v", certs.Certificates)
		}
		https, err := lbc.DescribeListeners(ctx, &elb.DescribeListenersInput{ListenerArns: []string{out.HTTPS}})
		if err != nil {
			t.Fatal(err)
		}
		if p := aws.ToString(https.Listeners[0].SslPolicy); p != "ELBSecurityPolicy-TLS13-1-2-2021-06" {
			t.Errorf("security policy %s", p)
		}
	})
}

// TestAWSCLIListenerRules: the aws CLI's elbv2 rule commands, with the
// shorthand syntax and the legacy condition form, and describe-ssl-policies.
func TestAWSCLIListenerRules(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	cli := newAWSCLI(t, e.URL(), accountA)
	subnets := strings.Fields(cli.ok(t, "ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true",
		"--query", "Subnets[0:2].SubnetId", "--output", "text"))
	alb := cli.ok(t, append([]string{"elbv2", "create-load-balancer", "--name", "cli-alb", "--query", "LoadBalancers[0].LoadBalancerArn", "--output", "text", "--subnets"}, subnets...)...)
	listener := cli.ok(t, "elbv2", "create-listener", "--load-balancer-arn", alb, "--protocol", "HTTP", "--port", "80",
		"--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=404,ContentType=text/plain}",
		"--query", "Listeners[0].ListenerArn", "--output", "text")
	rule := cli.ok(t, "elbv2", "create-rule", "--listener-arn", listener, "--priority", "5",
		"--conditions", "Field=path-pattern,Values=/img/*", "--actions", "Type=fixed-response,FixedResponseConfig={StatusCode=200,ContentType=text/css}",
		"--query", "Rules[0].RuleArn", "--output", "text")
	if got := cli.ok(t, "elbv2", "describe-rules", "--listener-arn", listener, "--query", "Rules[].[Priority,Conditions[0].PathPatternConfig.Values[0]]", "--output", "text"); got != "5\t/img/*\ndefault\tNone" {
		t.Errorf("describe-rules: %q", got)
	}
	cli.ok(t, "elbv2", "set-rule-priorities", "--rule-priorities", "RuleArn="+rule+",Priority=7")
	cliError(t, cli, "ValidationError", "CreateRule", "elbv2", "create-rule", "--listener-arn", listener, "--priority", "6",
		"--conditions", "Field=path-pattern,Values=/x", "--actions", "Type=fixed-response,FixedResponseConfig={StatusCode=302}")
	cliError(t, cli, "PriorityInUse", "CreateRule", "elbv2", "create-rule", "--listener-arn", listener, "--priority", "7",
		"--conditions", "Field=host-header,Values=example.com", "--actions", "Type=fixed-response,FixedResponseConfig={StatusCode=200}")
	cli.ok(t, "elbv2", "delete-rule", "--rule-arn", rule)
	cliError(t, cli, "RuleNotFound", "DescribeRules", "elbv2", "describe-rules", "--rule-arns", rule)
	if got := cli.ok(t, "elbv2", "describe-ssl-policies", "--names", "ELBSecurityPolicy-2016-08", "--query", "SslPolicies[0].SslProtocols", "--output", "text"); got != "TLSv1\tTLSv1.1\tTLSv1.2" {
		t.Errorf("describe-ssl-policies: %q", got)
	}
}
