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
