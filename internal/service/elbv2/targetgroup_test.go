package elbv2_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// healthCheck is the health check fields of a target group, to compare.
type healthCheck struct {
	protocol, port, path, matcher         string
	interval, timeout, healthy, unhealthy int32
}

func healthOf(g types.TargetGroup) healthCheck {
	h := healthCheck{protocol: string(g.HealthCheckProtocol), port: aws.ToString(g.HealthCheckPort), path: aws.ToString(g.HealthCheckPath),
		interval: aws.ToInt32(g.HealthCheckIntervalSeconds), timeout: aws.ToInt32(g.HealthCheckTimeoutSeconds),
		healthy: aws.ToInt32(g.HealthyThresholdCount), unhealthy: aws.ToInt32(g.UnhealthyThresholdCount)}
	if g.Matcher != nil {
		h.matcher = aws.ToString(g.Matcher.HttpCode)
	}
	return h
}

func TestCreateTargetGroupDefaults(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name       string
		protocol   types.ProtocolEnum
		port       int32
		targetType types.TargetTypeEnum
		health     healthCheck
		attrs      map[string]string
	}{
		{"tcp-instance", types.ProtocolEnumTcp, 80, "", healthCheck{"TCP", "traffic-port", "", "", 30, 10, 5, 2}, map[string]string{
			"deregistration_delay.timeout_seconds": "300", "deregistration_delay.connection_termination.enabled": "false",
			"stickiness.enabled": "false", "stickiness.type": "source_ip", "proxy_protocol_v2.enabled": "false",
			"preserve_client_ip.enabled": "true", "load_balancing.cross_zone.enabled": "use_load_balancer_configuration",
			"target_group_health.dns_failover.minimum_healthy_targets.count":                 "1",
			"target_group_health.dns_failover.minimum_healthy_targets.percentage":            "off",
			"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count":      "1",
			"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
			"target_health_state.unhealthy.connection_termination.enabled":                   "true",
			"target_health_state.unhealthy.draining_interval_seconds":                        "0",
		}},
		{"geneve", types.ProtocolEnumGeneve, 6081, "", healthCheck{"TCP", "80", "", "", 10, 5, 5, 2}, map[string]string{
			"deregistration_delay.timeout_seconds": "300", "stickiness.enabled": "false", "stickiness.type": "source_ip_dest_ip",
			"target_failover.on_deregistration": "no_rebalance", "target_failover.on_unhealthy": "no_rebalance",
		}},
		{"http-ip", types.ProtocolEnumHttp, 8080, types.TargetTypeEnumIp, healthCheck{"HTTP", "traffic-port", "/", "200", 30, 5, 5, 2}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := f.targetGroup(tc.name, tc.protocol, tc.port, tc.targetType)
			if got := healthOf(g); got != tc.health || !aws.ToBool(g.HealthCheckEnabled) || g.IpAddressType != types.TargetGroupIpAddressTypeEnumIpv4 ||
				!strings.HasPrefix(aws.ToString(g.TargetGroupArn), "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/"+tc.name+"/") {
				t.Errorf("got %+v (health %+v), want health %+v", g, got, tc.health)
			}
			if tc.attrs == nil {
				return
			}
			a, err := f.lb.DescribeTargetGroupAttributes(f.ctx, &elb.DescribeTargetGroupAttributesInput{TargetGroupArn: g.TargetGroupArn})
			f.must(err)
			sameMap(t, tc.name, tgAttrMap(a.Attributes), tc.attrs)
		})
	}
	udp := f.targetGroup("udp-ip", types.ProtocolEnumUdp, 53, types.TargetTypeEnumIp)
	a, err := f.lb.DescribeTargetGroupAttributes(f.ctx, &elb.DescribeTargetGroupAttributesInput{TargetGroupArn: udp.TargetGroupArn})
	f.must(err)
	if m := tgAttrMap(a.Attributes); m["deregistration_delay.connection_termination.enabled"] != "true" ||
		m["target_health_state.unhealthy.connection_termination.enabled"] != "false" || m["preserve_client_ip.enabled"] != "true" {
		t.Errorf("UDP attributes: %v", m)
	}
	tcpIP := f.targetGroup("tcp-ip", types.ProtocolEnumTcp, 80, types.TargetTypeEnumIp)
	a, err = f.lb.DescribeTargetGroupAttributes(f.ctx, &elb.DescribeTargetGroupAttributesInput{TargetGroupArn: tcpIP.TargetGroupArn})
	f.must(err)
	if tgAttrMap(a.Attributes)["preserve_client_ip.enabled"] != "false" {
		t.Errorf("TCP ip targets keep client addresses: %v", tgAttrMap(a.Attributes))
	}
}

func TestCreateTargetGroupRefusals(t *testing.T) {
	f := newFixture(t)
	f.targetGroup("taken", types.ProtocolEnumTcp, 80, "")
	create := func(mod func(*elb.CreateTargetGroupInput)) func() error {
		return func() error {
			in := &elb.CreateTargetGroupInput{Name: aws.String("tg"), Protocol: types.ProtocolEnumTcp, Port: aws.Int32(80), VpcId: &f.vpc}
			mod(in)
			_, err := f.lb.CreateTargetGroup(f.ctx, in)
			return err
		}
	}
	checkRefusals(t, []refusal{
		{"name too long", create(func(in *elb.CreateTargetGroupInput) { in.Name = aws.String(strings.Repeat("t", 33)) }), "ValidationError", "Target group name '" + strings.Repeat("t", 33) + "' cannot be longer than '32' characters"},
		{"no protocol", create(func(in *elb.CreateTargetGroupInput) { in.Protocol = "" }), "ValidationError", "A protocol must be specified"},
		{"no port", create(func(in *elb.CreateTargetGroupInput) { in.Port = nil }), "ValidationError", "A port must be specified"},
		{"no VPC", create(func(in *elb.CreateTargetGroupInput) { in.VpcId = nil }), "ValidationError", "A VPC ID must be specified"},
		{"unknown VPC", create(func(in *elb.CreateTargetGroupInput) { in.VpcId = aws.String("vpc-0123456789abcdef0") }), "ValidationError", "The VPC ID 'vpc-0123456789abcdef0' is not found"},
		{"bad protocol", create(func(in *elb.CreateTargetGroupInput) { in.Protocol = "SCTP" }), "ValidationError", "Member must satisfy enum value set"},
		{"GENEVE port", create(func(in *elb.CreateTargetGroupInput) { in.Protocol = types.ProtocolEnumGeneve }), "ValidationError", "6081"},
		{"alb targets over UDP", create(func(in *elb.CreateTargetGroupInput) {
			in.Protocol, in.TargetType = types.ProtocolEnumUdp, types.TargetTypeEnumAlb
		}), "ValidationError", "'TCP'"},
		{"TCP health check of HTTP", create(func(in *elb.CreateTargetGroupInput) {
			in.Protocol, in.HealthCheckProtocol = types.ProtocolEnumHttp, types.ProtocolEnumTcp
		}), "ValidationError", "Health check protocol 'TCP' is not supported"},
		{"timeout over interval", create(func(in *elb.CreateTargetGroupInput) {
			in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds = aws.Int32(10), aws.Int32(20)
		}), "ValidationError", "Health check interval must be greater than the timeout."},
		{"path of a TCP check", create(func(in *elb.CreateTargetGroupInput) { in.HealthCheckPath = aws.String("/x") }), "ValidationError", "path"},
		{"health checks off", create(func(in *elb.CreateTargetGroupInput) { in.HealthCheckEnabled = aws.Bool(false) }), "ValidationError", "cannot be disabled"},
		{"same name, other settings", create(func(in *elb.CreateTargetGroupInput) { in.Name, in.Port = aws.String("taken"), aws.Int32(81) }),
			"DuplicateTargetGroupName", "A target group with the same name 'taken' exists, but with different settings"},
	})
	again := f.targetGroup("taken", types.ProtocolEnumTcp, 80, "")
	if aws.ToString(again.TargetGroupName) != "taken" {
		t.Errorf("repeat: %+v", again)
	}
}

func TestModifyTargetGroup(t *testing.T) {
	f := newFixture(t)
	g := f.targetGroup("hc", types.ProtocolEnumTcp, 80, "")
	out, err := f.lb.ModifyTargetGroup(f.ctx, &elb.ModifyTargetGroupInput{TargetGroupArn: g.TargetGroupArn,
		HealthCheckProtocol: types.ProtocolEnumHttp, HealthCheckPath: aws.String("/health"), HealthCheckIntervalSeconds: aws.Int32(15), HealthyThresholdCount: aws.Int32(3)})
	f.must(err)
	if h := healthOf(out.TargetGroups[0]); h != (healthCheck{"HTTP", "traffic-port", "/health", "200-399", 15, 10, 3, 2}) {
		t.Errorf("modified: %+v", h)
	}
	attrs, err := f.lb.ModifyTargetGroupAttributes(f.ctx, &elb.ModifyTargetGroupAttributesInput{TargetGroupArn: g.TargetGroupArn, Attributes: []types.TargetGroupAttribute{
		{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("30")},
		{Key: aws.String("proxy_protocol_v2.enabled"), Value: aws.String("true")},
	}})
	f.must(err)
	if m := tgAttrMap(attrs.Attributes); m["deregistration_delay.timeout_seconds"] != "30" || m["proxy_protocol_v2.enabled"] != "true" || len(m) != 13 {
		t.Errorf("attributes: %v", m)
	}
	geneve := f.targetGroup("gen", types.ProtocolEnumGeneve, 6081, "")
	modify := func(arn *string, kv ...string) func() error {
		return func() error {
			in := &elb.ModifyTargetGroupAttributesInput{TargetGroupArn: arn}
			for i := 0; i < len(kv); i += 2 {
				in.Attributes = append(in.Attributes, types.TargetGroupAttribute{Key: &kv[i], Value: &kv[i+1]})
			}
			_, err := f.lb.ModifyTargetGroupAttributes(f.ctx, in)
			return err
		}
	}
	checkRefusals(t, []refusal{
		{"unknown key", modify(g.TargetGroupArn, "nope", "1"), "ValidationError", "Target group attribute key 'nope' is not recognized"},
		{"GWLB key on NLB group", modify(g.TargetGroupArn, "target_failover.on_unhealthy", "rebalance"), "InvalidConfigurationRequest", "target groups with the 'TCP' protocol"},
		{"delay range", modify(g.TargetGroupArn, "deregistration_delay.timeout_seconds", "4000"), "ValidationError", "deregistration_delay.timeout_seconds"},
		{"stickiness type", modify(g.TargetGroupArn, "stickiness.type", "lb_cookie"), "ValidationError", "Stickiness type 'lb_cookie'"},
		{"failover halves", modify(geneve.TargetGroupArn, "target_failover.on_unhealthy", "rebalance"), "ValidationError", "same value"},
		{"health check path of TCP", func() error {
			_, err := f.lb.ModifyTargetGroup(f.ctx, &elb.ModifyTargetGroupInput{TargetGroupArn: geneve.TargetGroupArn, HealthCheckPath: aws.String("/")})
			return err
		}, "ValidationError", "path"},
	})
	f.must(modify(geneve.TargetGroupArn, "target_failover.on_unhealthy", "rebalance", "target_failover.on_deregistration", "rebalance")())
}

func TestDescribeAndDeleteTargetGroups(t *testing.T) {
	f := newFixture(t)
	var arns []string
	for i := range 3 {
		arns = append(arns, aws.ToString(f.targetGroup(fmt.Sprintf("tg-%d", i), types.ProtocolEnumTcp, 80, types.TargetTypeEnumIp).TargetGroupArn))
	}
	lb := f.nlb("describe")
	f.forward(lb.LoadBalancerArn, types.ProtocolEnumTcp, 80, &arns[1])
	byLB, err := f.lb.DescribeTargetGroups(f.ctx, &elb.DescribeTargetGroupsInput{LoadBalancerArn: lb.LoadBalancerArn})
	f.must(err)
	if len(byLB.TargetGroups) != 1 || aws.ToString(byLB.TargetGroups[0].TargetGroupArn) != arns[1] ||
		len(byLB.TargetGroups[0].LoadBalancerArns) != 1 || byLB.TargetGroups[0].LoadBalancerArns[0] != aws.ToString(lb.LoadBalancerArn) {
		t.Errorf("by load balancer: %+v", byLB.TargetGroups)
	}
	byName, err := f.lb.DescribeTargetGroups(f.ctx, &elb.DescribeTargetGroupsInput{Names: []string{"tg-2", "tg-0"}})
	f.must(err)
	if len(byName.TargetGroups) != 2 {
		t.Errorf("by name: %+v", byName.TargetGroups)
	}
	page1, err := f.lb.DescribeTargetGroups(f.ctx, &elb.DescribeTargetGroupsInput{PageSize: aws.Int32(2)})
	f.must(err)
	page2, err := f.lb.DescribeTargetGroups(f.ctx, &elb.DescribeTargetGroupsInput{PageSize: aws.Int32(2), Marker: page1.NextMarker})
	f.must(err)
	if len(page1.TargetGroups) != 2 || page1.NextMarker == nil || len(page2.TargetGroups) != 1 || page2.NextMarker != nil {
		t.Errorf("pages: %d then %d", len(page1.TargetGroups), len(page2.TargetGroups))
	}
	checkRefusals(t, []refusal{
		{"unknown name", func() error {
			_, err := f.lb.DescribeTargetGroups(f.ctx, &elb.DescribeTargetGroupsInput{Names: []string{"nope"}})
			return err
		}, "TargetGroupNotFound", "Target groups '[nope]' not found"},
		{"unknown ARN", func() error {
			_, err := f.lb.DescribeTargetGroups(f.ctx, &elb.DescribeTargetGroupsInput{TargetGroupArns: []string{strings.Replace(arns[0], "/tg-0/", "/tg-9/", 1)}})
			return err
		}, "TargetGroupNotFound", "One or more target groups not found"},
		{"in use", func() error {
			_, err := f.lb.DeleteTargetGroup(f.ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: &arns[1]})
			return err
		}, "ResourceInUse", "Target group '" + arns[1] + "' is currently in use by a listener or a rule"},
		{"malformed ARN", func() error {
			_, err := f.lb.DeleteTargetGroup(f.ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: aws.String("tg-0")})
			return err
		}, "ValidationError", "'tg-0' is not a valid target group ARN"},
	})
	_, err = f.lb.DeleteTargetGroup(f.ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: &arns[0]})
	f.must(err)
	// Deleting it again succeeds, as on AWS.
	_, err = f.lb.DeleteTargetGroup(f.ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: &arns[0]})
	f.must(err)
}

// launch runs an instance in a subnet and returns its id.
func (f *fixture) launch(subnet string) string {
	f.t.Helper()
	out, err := f.ec2.RunInstances(f.ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-0123456789abcdef0"), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: &subnet})
	f.must(err)
	return aws.ToString(out.Instances[0].InstanceId)
}

// health describes the targets' health by id.
func (f *fixture) health(tg *string) map[string]types.TargetHealth {
	f.t.Helper()
	out, err := f.lb.DescribeTargetHealth(f.ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: tg})
	f.must(err)
	m := map[string]types.TargetHealth{}
	for _, d := range out.TargetHealthDescriptions {
		m[aws.ToString(d.Target.Id)] = *d.TargetHealth
	}
	return m
}

func wantHealth(t *testing.T, what string, got types.TargetHealth, state types.TargetHealthStateEnum, reason types.TargetHealthReasonEnum) {
	t.Helper()
	if got.State != state || got.Reason != reason {
		t.Errorf("%s: %s/%s (%s), want %s/%s", what, got.State, got.Reason, aws.ToString(got.Description), state, reason)
	}
}

func TestTargetHealth(t *testing.T) {
	f := newFixture(t)
	inA, inC := f.launch(f.subnets[0]), f.launch(f.subnets[2])
	g := f.targetGroup("health", types.ProtocolEnumTcp, 80, "")
	_, err := f.lb.RegisterTargets(f.ctx, &elb.RegisterTargetsInput{TargetGroupArn: g.TargetGroupArn, Targets: []types.TargetDescription{
		{Id: &inA}, {Id: &inC, Port: aws.Int32(8080)},
	}})
	f.must(err)
	h := f.health(g.TargetGroupArn)
	wantHealth(t, "before any listener", h[inA], types.TargetHealthStateEnumUnused, types.TargetHealthReasonEnumNotInUse)

	lb := f.nlb("health") // zones a and b
	f.forward(lb.LoadBalancerArn, types.ProtocolEnumTcp, 80, g.TargetGroupArn)
	h = f.health(g.TargetGroupArn)
	wantHealth(t, "in use", h[inA], types.TargetHealthStateEnumHealthy, "")
	wantHealth(t, "zone not enabled", h[inC], types.TargetHealthStateEnumUnused, types.TargetHealthReasonEnumNotInUse)

	out, err := f.lb.DescribeTargetHealth(f.ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: g.TargetGroupArn, Targets: []types.TargetDescription{{Id: &inC, Port: aws.Int32(8080)}, {Id: aws.String("i-0123456789abcdef0")}}})
	f.must(err)
	if len(out.TargetHealthDescriptions) != 2 || aws.ToString(out.TargetHealthDescriptions[0].HealthCheckPort) != "8080" || aws.ToInt32(out.TargetHealthDescriptions[0].Target.Port) != 8080 {
		t.Errorf("asked targets: %+v", out.TargetHealthDescriptions)
	}
	wantHealth(t, "not registered", *out.TargetHealthDescriptions[1].TargetHealth, types.TargetHealthStateEnumUnused, types.TargetHealthReasonEnumNotRegistered)

	_, err = f.ec2.StopInstances(f.ctx, &ec2.StopInstancesInput{InstanceIds: []string{inA}})
	f.must(err)
	wantHealth(t, "stopped", f.health(g.TargetGroupArn)[inA], types.TargetHealthStateEnumUnused, types.TargetHealthReasonEnumInvalidState)

	_, err = f.lb.DeregisterTargets(f.ctx, &elb.DeregisterTargetsInput{TargetGroupArn: g.TargetGroupArn, Targets: []types.TargetDescription{{Id: &inA}, {Id: aws.String("i-0123456789abcdef0")}}})
	f.must(err)
	wantHealth(t, "deregistered", f.health(g.TargetGroupArn)[inA], types.TargetHealthStateEnumDraining, types.TargetHealthReasonEnumDeregistrationInProgress)
	f.clock.Add(301 * time.Second)
	if _, ok := f.health(g.TargetGroupArn)[inA]; ok {
		t.Errorf("target still listed after the deregistration delay")
	}
}

func TestRegisterTargetRefusals(t *testing.T) {
	f := newFixture(t)
	otherVPC := f.newVPC("10.5.0.0/16", false)
	elsewhere := f.launch(f.newSubnet(otherVPC, "10.5.0.0/24", "us-east-1a"))
	stopped := f.launch(f.subnets[0])
	_, err := f.ec2.StopInstances(f.ctx, &ec2.StopInstancesInput{InstanceIds: []string{stopped}})
	f.must(err)
	instances := f.targetGroup("instances", types.ProtocolEnumTcp, 80, "")
	ips := f.targetGroup("ips", types.ProtocolEnumTcp, 80, types.TargetTypeEnumIp)
	geneve := f.targetGroup("geneve", types.ProtocolEnumGeneve, 6081, types.TargetTypeEnumIp)
	register := func(tg *string, targets ...types.TargetDescription) func() error {
		return func() error {
			_, err := f.lb.RegisterTargets(f.ctx, &elb.RegisterTargetsInput{TargetGroupArn: tg, Targets: targets})
			return err
		}
	}
	checkRefusals(t, []refusal{
		{"no such instance", register(instances.TargetGroupArn, types.TargetDescription{Id: aws.String("i-0123456789abcdef0")}), "InvalidTarget", "The following instances do not exist: 'i-0123456789abcdef0'"},
		{"instance of another VPC", register(instances.TargetGroupArn, types.TargetDescription{Id: &elsewhere}), "InvalidTarget", "The following targets are not in the target group VPC '" + f.vpc + "': '" + elsewhere + "'"},
		{"stopped instance", register(instances.TargetGroupArn, types.TargetDescription{Id: &stopped}), "InvalidTarget", "not in a running state"},
		{"public address", register(ips.TargetGroupArn, types.TargetDescription{Id: aws.String("8.8.8.8")}), "InvalidTarget", "8.8.8.8"},
		{"not an address", register(ips.TargetGroupArn, types.TargetDescription{Id: aws.String("i-1")}), "InvalidTarget", "not a valid IPv4 address"},
		{"outside the VPC without a zone", register(ips.TargetGroupArn, types.TargetDescription{Id: aws.String("192.168.1.1")}), "ValidationError", "Availability Zone"},
		{"GENEVE port", register(geneve.TargetGroupArn, types.TargetDescription{Id: aws.String("10.0.0.20"), Port: aws.Int32(80)}), "ValidationError", "6081"},
		{"unknown group", register(aws.String(strings.Replace(aws.ToString(ips.TargetGroupArn), "/ips/", "/nope/", 1)), types.TargetDescription{Id: aws.String("10.0.0.20")}), "TargetGroupNotFound", ""},
	})
	f.must(register(ips.TargetGroupArn, types.TargetDescription{Id: aws.String("192.168.1.1"), AvailabilityZone: aws.String("us-east-1a")}, types.TargetDescription{Id: aws.String("10.0.1.30")})())
	if n := len(f.health(ips.TargetGroupArn)); n != 2 {
		t.Errorf("want 2 targets, have %d", n)
	}
}
