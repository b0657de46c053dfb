package elb

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

const lambdaFn = "arn:aws:lambda:us-east-1:111111111111:function:hello"

// A new group's health check and attributes are AWS's defaults for its
// protocol and target type.
func TestCreateTargetGroupDefaults(t *testing.T) {
	f := newFixture(t)
	http := "HTTP"
	for _, tc := range []struct {
		name    string
		in      CreateTargetGroupInput
		version string
		health  HealthCheck
		attrs   map[string]string // nil: not compared
		nattrs  int
	}{
		{"tcp-instance", CreateTargetGroupInput{Protocol: "TCP", Port: ptr(int32(80))}, "",
			HealthCheck{Enabled: true, Protocol: "TCP", Port: "traffic-port", IntervalSeconds: 30, TimeoutSeconds: 10, HealthyThreshold: 5, UnhealthyThreshold: 2},
			map[string]string{
				"deregistration_delay.timeout_seconds": "300", "deregistration_delay.connection_termination.enabled": "false",
				"stickiness.enabled": "false", "stickiness.type": "source_ip", "proxy_protocol_v2.enabled": "false",
				"preserve_client_ip.enabled": "true", "load_balancing.cross_zone.enabled": "use_load_balancer_configuration",
				"target_group_health.dns_failover.minimum_healthy_targets.count":                 "1",
				"target_group_health.dns_failover.minimum_healthy_targets.percentage":            "off",
				"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count":      "1",
				"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
				"target_health_state.unhealthy.connection_termination.enabled":                   "true",
				"target_health_state.unhealthy.draining_interval_seconds":                        "0",
			}, 13},
		{"geneve", CreateTargetGroupInput{Protocol: "GENEVE", Port: ptr(int32(6081))}, "",
			HealthCheck{Enabled: true, Protocol: "TCP", Port: "80", IntervalSeconds: 10, TimeoutSeconds: 5, HealthyThreshold: 5, UnhealthyThreshold: 2},
			map[string]string{
				"deregistration_delay.timeout_seconds": "300", "stickiness.enabled": "false", "stickiness.type": "source_ip_dest_ip",
				"target_failover.on_deregistration": "no_rebalance", "target_failover.on_unhealthy": "no_rebalance",
			}, 5},
		{"http-ip", CreateTargetGroupInput{Protocol: "HTTP", Port: ptr(int32(8080)), TargetType: TargetIP}, "HTTP1",
			HealthCheck{Enabled: true, Protocol: "HTTP", Port: "traffic-port", Path: "/", IntervalSeconds: 30, TimeoutSeconds: 5, HealthyThreshold: 5, UnhealthyThreshold: 2, HTTPCode: "200"},
			nil, 14},
		{"grpc", CreateTargetGroupInput{Protocol: "HTTPS", Port: ptr(int32(443)), ProtocolVersion: "grpc"}, "GRPC",
			HealthCheck{Enabled: true, Protocol: "HTTP", Port: "traffic-port", Path: "/AWS.ALB/healthcheck", IntervalSeconds: 30, TimeoutSeconds: 5, HealthyThreshold: 5, UnhealthyThreshold: 2, GRPCCode: "12"},
			nil, 14},
		{"lambda", CreateTargetGroupInput{TargetType: TargetLambda}, "",
			HealthCheck{Path: "/", IntervalSeconds: 35, TimeoutSeconds: 30, HealthyThreshold: 5, UnhealthyThreshold: 5, HTTPCode: "200"},
			map[string]string{
				"lambda.multi_value_headers.enabled": "false", "stickiness.enabled": "false", "load_balancing.cross_zone.enabled": "use_load_balancer_configuration",
				"target_group_health.dns_failover.minimum_healthy_targets.count":                 "1",
				"target_group_health.dns_failover.minimum_healthy_targets.percentage":            "off",
				"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count":      "1",
				"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
			}, 7},
		{"tcp with an HTTP check", CreateTargetGroupInput{Protocol: "TCP", Port: ptr(int32(80)), HealthCheck: HealthCheckInput{Protocol: &http}}, "",
			HealthCheck{Enabled: true, Protocol: "HTTP", Port: "traffic-port", Path: "/", IntervalSeconds: 30, TimeoutSeconds: 6, HealthyThreshold: 5, UnhealthyThreshold: 2, HTTPCode: "200-399"},
			nil, 13},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Name = strings.ReplaceAll(tc.name, " ", "-")
			if tc.in.TargetType != TargetLambda {
				tc.in.VpcID = f.vpc.ID
			}
			g, err := f.elb.CreateTargetGroup(f.ctx, alice, tc.in)
			f.must(err)
			if g.HealthCheck != tc.health || g.ProtocolVersion != tc.version || g.IPAddressType != "ipv4" || g.VpcID != tc.in.VpcID ||
				!strings.HasPrefix(g.ID, "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/"+tc.in.Name+"/") {
				t.Errorf("created %+v\nhealth %+v, want %+v", g, g.HealthCheck, tc.health)
			}
			a, err := f.elb.TargetGroupAttributes(f.ctx, alice, g.ID)
			f.must(err)
			if m := attrMap(a); len(a) != tc.nattrs || tc.attrs != nil && !reflect.DeepEqual(m, tc.attrs) {
				t.Errorf("%d attributes %v", len(a), m)
			}
		})
	}
	for _, tc := range []struct {
		protocol, targetType                   string
		termination, unhealthyCut, keepClients string
	}{
		{"UDP", TargetIP, "true", "false", "true"},
		{"TCP_UDP", TargetInstance, "true", "false", "true"},
		{"TCP", TargetIP, "false", "true", "false"},
		{"TLS", TargetIP, "false", "true", "false"},
		{"TLS", TargetInstance, "false", "true", "true"},
	} {
		g := f.targetGroup(strings.ReplaceAll(strings.ToLower(tc.protocol+"-"+tc.targetType), "_", "-"), tc.protocol, 53, tc.targetType)
		a, err := f.elb.TargetGroupAttributes(f.ctx, alice, g.ID)
		f.must(err)
		if m := attrMap(a); m["deregistration_delay.connection_termination.enabled"] != tc.termination ||
			m["target_health_state.unhealthy.connection_termination.enabled"] != tc.unhealthyCut || m["preserve_client_ip.enabled"] != tc.keepClients {
			t.Errorf("%s %s: %v", tc.protocol, tc.targetType, m)
		}
	}
}

func TestCreateTargetGroupRefusals(t *testing.T) {
	f := newFixture(t)
	f.targetGroup("taken", "TCP", 80, "")
	tcp, udp, no := "TCP", "UDP", false
	bad, slashless, port0, http600 := "70000", "health", "0", "600"
	for _, tc := range []struct {
		name   string
		mod    func(*CreateTargetGroupInput)
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"empty name", func(in *CreateTargetGroupInput) { in.Name = "" }, cloud.InvalidParameter, "", "Target group name cannot be empty"},
		{"name too long", func(in *CreateTargetGroupInput) { in.Name = strings.Repeat("t", 33) }, cloud.InvalidParameter, "", "Target group name '" + strings.Repeat("t", 33) + "' cannot be longer than '32' characters"},
		{"no protocol", func(in *CreateTargetGroupInput) { in.Protocol = "" }, cloud.InvalidParameter, "", "A protocol must be specified"},
		{"no port", func(in *CreateTargetGroupInput) { in.Port = nil }, cloud.InvalidParameter, "", "A port must be specified"},
		{"no VPC", func(in *CreateTargetGroupInput) { in.VpcID = "" }, cloud.InvalidParameter, "", "A VPC ID must be specified"},
		{"unknown VPC", func(in *CreateTargetGroupInput) { in.VpcID = "vpc-0123456789abcdef0" }, cloud.InvalidParameter, "", "The VPC ID 'vpc-0123456789abcdef0' is not found"},
		{"GENEVE port", func(in *CreateTargetGroupInput) { in.Protocol = "GENEVE" }, cloud.InvalidParameter, "", "Port must be 6081"},
		{"GENEVE to load balancers", func(in *CreateTargetGroupInput) {
			in.Protocol, in.Port, in.TargetType = "GENEVE", ptr(int32(6081)), TargetALB
		}, cloud.InvalidParameter, "", "Target type 'alb' is not supported for target groups with the 'GENEVE' protocol"},
		{"alb targets over UDP", func(in *CreateTargetGroupInput) { in.Protocol, in.TargetType = "UDP", TargetALB }, cloud.InvalidParameter, "", "must use the 'TCP' protocol"},
		{"protocol version of TCP", func(in *CreateTargetGroupInput) { in.ProtocolVersion = "HTTP2" }, cloud.InvalidParameter, "", "A protocol version can only be specified"},
		{"bad protocol version", func(in *CreateTargetGroupInput) { in.Protocol, in.ProtocolVersion = "HTTP", "HTTP3" }, cloud.InvalidParameter, "", "Protocol version 'HTTP3' must be one of 'HTTP1, HTTP2, GRPC'"},
		{"lambda with a port", func(in *CreateTargetGroupInput) { in.Protocol, in.VpcID, in.TargetType = "", "", TargetLambda }, cloud.InvalidParameter, "", "cannot be specified for target groups with target type 'lambda'"},
		{"lambda with a health check port", func(in *CreateTargetGroupInput) {
			in.Protocol, in.Port, in.VpcID, in.TargetType, in.HealthCheck.Port = "", nil, "", TargetLambda, &bad
		}, cloud.InvalidParameter, "", "Health check port '70000'"},
		{"TCP check of HTTP", func(in *CreateTargetGroupInput) { in.Protocol, in.HealthCheck.Protocol = "HTTP", &tcp }, cloud.InvalidParameter, "", "Health check protocol 'TCP' is not supported for target groups with the 'HTTP' protocol"},
		{"UDP check", func(in *CreateTargetGroupInput) { in.HealthCheck.Protocol = &udp }, cloud.InvalidParameter, "", "Health check protocol 'UDP' must be one of 'HTTP, HTTPS, TCP'"},
		{"timeout over interval", func(in *CreateTargetGroupInput) {
			in.HealthCheck.Interval, in.HealthCheck.Timeout = ptr(int32(10)), ptr(int32(20))
		}, cloud.InvalidParameter, "", "Health check interval must be greater than the timeout."},
		{"path of a TCP check", func(in *CreateTargetGroupInput) { in.HealthCheck.Path = &slashless }, cloud.InvalidParameter, "", "A health check path cannot be specified for 'TCP' health checks"},
		{"matcher of a TCP check", func(in *CreateTargetGroupInput) { in.HealthCheck.HTTPCode = &http600 }, cloud.InvalidParameter, "", "A health check matcher cannot be specified for 'TCP' health checks"},
		{"health checks off", func(in *CreateTargetGroupInput) { in.HealthCheck.Enabled = &no }, cloud.InvalidParameter, "", "Health checks cannot be disabled for target groups with target type 'instance'"},
		{"bad port", func(in *CreateTargetGroupInput) { in.HealthCheck.Port = &bad }, cloud.InvalidParameter, "", "Health check port '70000'"},
		{"port zero", func(in *CreateTargetGroupInput) { in.HealthCheck.Port = &port0 }, cloud.InvalidParameter, "", "Health check port '0'"},
		{"path without a slash", func(in *CreateTargetGroupInput) { in.Protocol, in.HealthCheck.Path = "HTTP", &slashless }, cloud.InvalidParameter, "", "must begin with a '/'"},
		{"bad matcher", func(in *CreateTargetGroupInput) { in.Protocol, in.HealthCheck.HTTPCode = "HTTP", &http600 }, cloud.InvalidParameter, "", "Health check matcher HTTP code '600'"},
		{"same name, other settings", func(in *CreateTargetGroupInput) { in.Name, in.Port = "taken", ptr(int32(81)) }, cloud.Duplicate, cloud.KindTargetGroup, "A target group with the same name 'taken' exists, but with different settings"},
		{"duplicate tags", func(in *CreateTargetGroupInput) { in.Tags = []cloud.Tag{{Key: "a"}, {Key: "a"}} }, cloud.Duplicate, "tag", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := CreateTargetGroupInput{Name: "tg", Protocol: "TCP", Port: ptr(int32(80)), VpcID: f.vpc.ID}
			tc.mod(&in)
			_, err := f.elb.CreateTargetGroup(f.ctx, alice, in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	page, err := cloud.List[TargetGroup](f.ctx, f.c, alice, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 1 {
		t.Errorf("groups after the refusals: %d, %v", len(page.Items), err)
	}
	_, err = f.elb.CreateTargetGroup(f.ctx, bob, CreateTargetGroupInput{Name: "tg", Protocol: "TCP", Port: ptr(int32(80)), VpcID: f.vpc.ID})
	wantReason(t, err, cloud.InvalidParameter, "", "The VPC ID '"+f.vpc.ID+"' is not found")
}

// A repeated create answers the group as it is, with its derived fields.
func TestCreateTargetGroupIsIdempotent(t *testing.T) {
	f := newFixture(t)
	first := f.targetGroup("again", "TCP", 80, "")
	lb := f.nlb("lb")
	f.forward(lb.ID, "TCP", 80, first.ID)
	again := f.targetGroup("again", "TCP", 80, "")
	if again.ID != first.ID || !reflect.DeepEqual(again.LoadBalancerARNs, []string{lb.ID}) {
		t.Errorf("repeat %+v", again)
	}
	_, err := f.elb.CreateTargetGroup(f.ctx, dry(alice), CreateTargetGroupInput{Name: "dry", Protocol: "TCP", Port: ptr(int32(80)), VpcID: f.vpc.ID})
	wantReason(t, err, cloud.DryRun, "", "")
	_, err = f.elb.TargetGroupARNs(f.ctx, alice, []string{"dry"})
	wantReason(t, err, cloud.NotFound, cloud.KindTargetGroup, "Target groups '[dry]' not found")
}

func TestTargetGroupQuotas(t *testing.T) {
	f := newFixture(t, cloud.WithQuotas(map[string]int{"target-groups": 2, "geneve-target-groups": 1}))
	f.targetGroup("gen", "GENEVE", 6081, "")
	_, err := f.elb.CreateTargetGroup(f.ctx, alice, CreateTargetGroupInput{Name: "gen2", Protocol: "GENEVE", Port: ptr(int32(6081)), VpcID: f.vpc.ID})
	wantReason(t, err, cloud.LimitExceeded, cloud.KindTargetGroup, "The maximum number of GENEVE target groups has been reached")
	f.targetGroup("tcp", "TCP", 80, "")
	_, err = f.elb.CreateTargetGroup(f.ctx, alice, CreateTargetGroupInput{Name: "third", Protocol: "TCP", Port: ptr(int32(80)), VpcID: f.vpc.ID})
	wantReason(t, err, cloud.LimitExceeded, cloud.KindTargetGroup, "The maximum number of target groups has been reached")
}

func TestModifyTargetGroup(t *testing.T) {
	f := newFixture(t)
	g := f.targetGroup("hc", "TCP", 80, "")
	http, tcp, path := "HTTP", "TCP", "/health"
	out, err := f.elb.ModifyTargetGroup(f.ctx, alice, g.ID, HealthCheckInput{Protocol: &http, Path: &path, Interval: ptr(int32(15)), HealthyThreshold: ptr(int32(3))})
	f.must(err)
	want := HealthCheck{Enabled: true, Protocol: "HTTP", Port: "traffic-port", Path: "/health", IntervalSeconds: 15, TimeoutSeconds: 10, HealthyThreshold: 3, UnhealthyThreshold: 2, HTTPCode: "200-399"}
	if out.HealthCheck != want || get[TargetGroup](f, g.ID).HealthCheck != want {
		t.Errorf("modified %+v, want %+v", out.HealthCheck, want)
	}
	// Back to TCP: path and matcher go.
	out, err = f.elb.ModifyTargetGroup(f.ctx, alice, g.ID, HealthCheckInput{Protocol: &tcp, Port: ptr("8080"), UnhealthyCount: ptr(int32(4))})
	f.must(err)
	want = HealthCheck{Enabled: true, Protocol: "TCP", Port: "8080", IntervalSeconds: 15, TimeoutSeconds: 10, HealthyThreshold: 3, UnhealthyThreshold: 4}
	if out.HealthCheck != want {
		t.Errorf("back to TCP %+v, want %+v", out.HealthCheck, want)
	}
	fn, err := f.elb.CreateTargetGroup(f.ctx, alice, CreateTargetGroupInput{Name: "fn", TargetType: TargetLambda})
	f.must(err)
	on := true
	// A Lambda function's check takes a path and a matcher (as Terraform's
	// health_check block sends them).
	out, err = f.elb.ModifyTargetGroup(f.ctx, alice, fn.ID, HealthCheckInput{Enabled: &on, Timeout: ptr(int32(5)), Path: ptr("/ping"), HTTPCode: ptr("200-299")})
	f.must(err)
	if !out.HealthCheck.Enabled || out.HealthCheck.HTTPCode != "200-299" || out.HealthCheck.Path != "/ping" || out.HealthCheck.TimeoutSeconds != 5 {
		t.Errorf("lambda %+v", out.HealthCheck)
	}
	_, err = f.elb.ModifyTargetGroup(f.ctx, alice, g.ID, HealthCheckInput{Path: &path})
	wantReason(t, err, cloud.InvalidParameter, "", "A health check path cannot be specified for 'TCP' health checks")
	_, err = f.elb.ModifyTargetGroup(f.ctx, alice, missingARN(g.ID), HealthCheckInput{})
	wantReason(t, err, cloud.NotFound, cloud.KindTargetGroup, "One or more target groups not found")
	_, err = f.elb.ModifyTargetGroup(f.ctx, alice, "hc", HealthCheckInput{})
	wantReason(t, err, cloud.InvalidParameter, "", "'hc' is not a valid target group ARN")
	if got := get[TargetGroup](f, g.ID).HealthCheck; got != want {
		t.Errorf("the refusals changed %+v", got)
	}
}

func TestModifyTargetGroupAttributes(t *testing.T) {
	f := newFixture(t)
	tcp := f.targetGroup("tcp", "TCP", 80, "")
	udp := f.targetGroup("udp", "UDP", 53, TargetIP)
	web := f.targetGroup("web", "HTTP", 80, "")
	geneve := f.targetGroup("gen", "GENEVE", 6081, "")
	fn, err := f.elb.CreateTargetGroup(f.ctx, alice, CreateTargetGroupInput{Name: "fn", TargetType: TargetLambda})
	f.must(err)
	out, err := f.elb.ModifyTargetGroupAttributes(f.ctx, alice, tcp.ID, attrs("deregistration_delay.timeout_seconds", "30", "proxy_protocol_v2.enabled", "true"))
	f.must(err)
	if m := attrMap(out); m["deregistration_delay.timeout_seconds"] != "30" || m["proxy_protocol_v2.enabled"] != "true" || len(m) != 13 {
		t.Errorf("modified %v", m)
	}
	if read, err := f.elb.TargetGroupAttributes(f.ctx, alice, tcp.ID); err != nil || !reflect.DeepEqual(read, out) {
		t.Errorf("read %v, %v", read, err)
	}
	for _, tc := range []struct {
		name   string
		g      *TargetGroup
		kv     []string
		reason cloud.Reason
		msg    string
	}{
		{"unknown key", tcp, []string{"nope", "1"}, cloud.InvalidParameter, "Target group attribute key 'nope' is not recognized"},
		{"gateway key on a TCP group", tcp, []string{"target_failover.on_unhealthy", "rebalance"}, cloud.InvalidConfiguration, "is not supported on target groups with the 'TCP' protocol"},
		{"key a Lambda group lacks", &TargetGroup{Meta: fn.Meta}, []string{"stickiness.type", "lb_cookie"}, cloud.InvalidConfiguration, "target groups with target type 'lambda'"},
		{"delay range", tcp, []string{"deregistration_delay.timeout_seconds", "4000"}, cloud.InvalidParameter, "an integer from 0 to 3600"},
		{"slow start range", web, []string{"slow_start.duration_seconds", "10"}, cloud.InvalidParameter, "0 or an integer from 30 to 900"},
		{"stickiness type", tcp, []string{"stickiness.type", "lb_cookie"}, cloud.InvalidParameter, "Stickiness type 'lb_cookie' is not supported for target groups with the 'TCP' protocol"},
		{"failover halves", geneve, []string{"target_failover.on_unhealthy", "rebalance"}, cloud.InvalidParameter, "must have the same value"},
		{"UDP client addresses", udp, []string{"preserve_client_ip.enabled", "false"}, cloud.InvalidConfiguration, "Client IP preservation cannot be disabled for target groups with the 'UDP' protocol"},
		{"UDP unhealthy termination", udp, []string{"target_health_state.unhealthy.connection_termination.enabled", "true"}, cloud.InvalidConfiguration, "Unhealthy connection termination cannot be enabled"},
		{"draining with termination", tcp, []string{"target_health_state.unhealthy.draining_interval_seconds", "10"}, cloud.InvalidConfiguration, "only be set when unhealthy connection termination is disabled"},
		{"anomaly mitigation", web, []string{"load_balancing.algorithm.anomaly_mitigation", "on"}, cloud.InvalidConfiguration, "'weighted_random'"},
		{"reserved cookie", web, []string{"stickiness.app_cookie.cookie_name", "AWSALBx"}, cloud.InvalidParameter, "reserved for use by the load balancer"},
		{"app cookie without a name", web, []string{"stickiness.enabled", "true", "stickiness.type", "app_cookie"}, cloud.InvalidParameter, "An application cookie name must be specified"},
		{"DNS failover count", web, []string{"target_group_health.dns_failover.minimum_healthy_targets.count", "0"}, cloud.InvalidParameter, "off or an integer from 1 to 5000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.elb.ModifyTargetGroupAttributes(f.ctx, alice, tc.g.ID, attrs(tc.kv...))
			wantReason(t, err, tc.reason, "", tc.msg)
		})
	}
	for _, ok := range []struct {
		g  *TargetGroup
		kv []string
	}{
		{geneve, []string{"target_failover.on_unhealthy", "rebalance", "target_failover.on_deregistration", "rebalance"}},
		{web, []string{"load_balancing.algorithm.type", "weighted_random", "load_balancing.algorithm.anomaly_mitigation", "on"}},
		{web, []string{"stickiness.enabled", "true", "stickiness.type", "app_cookie", "stickiness.app_cookie.cookie_name", "session"}},
		{tcp, []string{"target_health_state.unhealthy.connection_termination.enabled", "false", "target_health_state.unhealthy.draining_interval_seconds", "10"}},
		{fn, []string{"lambda.multi_value_headers.enabled", "true"}},
		{web, []string{"target_group_health.dns_failover.minimum_healthy_targets.count", "off"}},
	} {
		out, err := f.elb.ModifyTargetGroupAttributes(f.ctx, alice, ok.g.ID, attrs(ok.kv...))
		f.must(err)
		for i := 0; i < len(ok.kv); i += 2 {
			if attrMap(out)[ok.kv[i]] != ok.kv[i+1] {
				t.Errorf("%s: %s = %q", ok.g.Name, ok.kv[i], attrMap(out)[ok.kv[i]])
			}
		}
	}
	_, err = f.elb.ModifyTargetGroupAttributes(f.ctx, alice, missingARN(tcp.ID), nil)
	wantReason(t, err, cloud.NotFound, cloud.KindTargetGroup, "")
	_, err = f.elb.TargetGroupAttributes(f.ctx, bob, tcp.ID)
	wantReason(t, err, cloud.NotFound, cloud.KindTargetGroup, "")
}

// Describe by name, by ARN, page by page and by load balancer; a group in
// use cannot be deleted, one that does not exist can.
func TestListAndDeleteTargetGroups(t *testing.T) {
	f := newFixture(t)
	var arns []string
	for i := range 3 {
		arns = append(arns, f.targetGroup(fmt.Sprintf("tg-%d", i), "HTTP", 80, TargetIP).ID)
	}
	lb := f.alb("web")
	l := f.forward(lb.ID, "HTTP", 80, arns[1])
	_, err := f.elb.CreateRule(f.ctx, alice, l.ID, RuleInput{Priority: 5, Conditions: []ConditionInput{{Field: ConditionHostHeader, Values: []string{"a.example.com"}}},
		Actions: []ActionInput{{Type: ActionForward, TargetGroupARN: arns[2]}}})
	f.must(err)
	used, err := f.elb.LoadBalancerTargetGroupARNs(f.ctx, alice, lb.ID)
	f.must(err)
	if !reflect.DeepEqual(used, []string{arns[1], arns[2]}) {
		t.Errorf("groups of the load balancer %v", used)
	}
	_, err = f.elb.LoadBalancerTargetGroupARNs(f.ctx, alice, missingARN(lb.ID))
	wantReason(t, err, cloud.NotFound, cloud.KindLoadBalancer, "")
	byName, err := f.elb.TargetGroupARNs(f.ctx, alice, []string{"tg-2", "tg-0", "tg-2"})
	f.must(err)
	if !reflect.DeepEqual(byName, []string{arns[0], arns[2]}) {
		t.Errorf("by name %v", byName)
	}
	_, err = f.elb.TargetGroupARNs(f.ctx, alice, []string{"nope"})
	wantReason(t, err, cloud.NotFound, cloud.KindTargetGroup, "Target groups '[nope]' not found")

	page, err := cloud.List[TargetGroup](f.ctx, f.c, alice, cloud.Query{Limit: 2}, nil)
	f.must(err)
	next, err := cloud.List[TargetGroup](f.ctx, f.c, alice, cloud.Query{Limit: 2, After: page.Next}, nil)
	f.must(err)
	if len(page.Items) != 2 || page.Next == "" || len(next.Items) != 1 || next.Next != "" {
		t.Fatalf("pages of %d then %d", len(page.Items), len(next.Items))
	}
	for _, g := range append(page.Items, next.Items...) {
		want := []string(nil)
		if g.ID != arns[0] {
			want = []string{lb.ID}
		}
		if !reflect.DeepEqual(g.LoadBalancerARNs, want) {
			t.Errorf("%s used by %v", g.Name, g.LoadBalancerARNs)
		}
	}
	_, err = cloud.List[TargetGroup](f.ctx, f.c, alice, cloud.Query{IDs: []string{missingARN(arns[0])}}, nil)
	wantReason(t, err, cloud.NotFound, cloud.KindTargetGroup, "")

	for _, tc := range []struct {
		name, arn string
		reason    cloud.Reason
		msg       string
	}{
		{"used by a listener", arns[1], cloud.InUse, "Target group '" + arns[1] + "' is currently in use by a listener or a rule"},
		{"used by a rule", arns[2], cloud.InUse, "currently in use"},
		{"malformed", "tg-0", cloud.InvalidParameter, "'tg-0' is not a valid target group ARN"},
		{"dry run", arns[0], cloud.DryRun, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			who := alice
			if tc.reason == cloud.DryRun {
				who = dry(alice)
			}
			refusedWith(t, f.elb.DeleteTargetGroup(f.ctx, who, tc.arn), tc.reason, tc.name)
			if e, _ := cloud.AsError(f.elb.DeleteTargetGroup(f.ctx, who, tc.arn)); !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("message %q", e.Msg)
			}
		})
	}
	f.must(f.elb.DeleteTargetGroup(f.ctx, alice, arns[0]))
	f.must(f.elb.DeleteTargetGroup(f.ctx, alice, arns[0]))
	_, err = f.elb.TargetGroupARNs(f.ctx, alice, []string{"tg-0"})
	refusedWith(t, err, cloud.NotFound, "deleted group by name")
}

// wantHealth fails unless a target's state and reason are these.
func wantHealth(t *testing.T, what string, got TargetHealth, state, reason string) {
	t.Helper()
	if got.State != state || got.Reason != reason {
		t.Errorf("%s: %s/%s (%s), want %s/%s", what, got.State, got.Reason, got.Description, state, reason)
	}
}

// health is the health of a group's registered targets, by id.
func (f *fixture) health(arn string) map[string]TargetHealth {
	f.t.Helper()
	out, err := f.elb.DescribeTargetHealth(f.ctx, alice, arn, nil)
	f.must(err)
	m := map[string]TargetHealth{}
	for _, h := range out {
		m[h.Target.ID] = h
	}
	return m
}

// A target is unused until a load balancer uses its group, and in zones
// the load balancer does not serve; healthy otherwise, until its instance
// stops; a deregistered target drains for the group's delay.
func TestTargetHealth(t *testing.T) {
	f := newFixture(t)
	inA, inB, inC := f.launch(f.subnets[0]), f.launch(f.subnets[1]), f.launch(f.subnets[2])
	g := f.targetGroup("health", "TCP", 80, "")
	f.must(f.elb.RegisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: inA}, {ID: inB}, {ID: inC, Port: ptr(int32(8080))}}))
	wantHealth(t, "before any listener", f.health(g.ID)[inA], "unused", "Target.NotInUse")

	lb := f.nlb("health") // zones a and b
	f.forward(lb.ID, "TCP", 80, g.ID)
	h := f.health(g.ID)
	wantHealth(t, "in use", h[inA], "healthy", "")
	wantHealth(t, "zone not enabled", h[inC], "unused", "Target.NotInUse")
	if h[inA].HealthCheckPort != "80" || h[inC].HealthCheckPort != "8080" || h[inC].Target.Port != 8080 {
		t.Errorf("ports %+v %+v", h[inA], h[inC])
	}

	asked, err := f.elb.DescribeTargetHealth(f.ctx, alice, g.ID, []TargetSpec{{ID: inC, Port: ptr(int32(8080))}, {ID: "i-0123456789abcdef0"}})
	f.must(err)
	if len(asked) != 2 || asked[0].Target.ID != inC || asked[0].HealthCheckPort != "8080" {
		t.Errorf("asked %+v", asked)
	}
	wantHealth(t, "not registered", asked[1], "unused", "Target.NotRegistered")

	_, err = f.net.StopInstances(f.ctx, alice, []string{inA})
	f.must(err)
	wantHealth(t, "stopped", f.health(g.ID)[inA], "unused", "Target.InvalidState")

	f.must(f.elb.DeregisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: inA}, {ID: "i-0123456789abcdef0"}}))
	wantHealth(t, "deregistered", f.health(g.ID)[inA], "draining", "Target.DeregistrationInProgress")
	f.must(f.elb.DeregisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: inA}})) // draining already
	f.now = f.now.Add(301 * time.Second)
	if _, ok := f.health(g.ID)[inA]; ok {
		t.Errorf("target still listed after the deregistration delay")
	}
	// Registering a draining target again stops its draining.
	f.must(f.elb.DeregisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: inB}}))
	f.must(f.elb.RegisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: inB}}))
	wantHealth(t, "registered again", f.health(g.ID)[inB], "healthy", "")
	// With no delay, a target goes at once.
	_, err = f.elb.ModifyTargetGroupAttributes(f.ctx, alice, g.ID, attrs("deregistration_delay.timeout_seconds", "0"))
	f.must(err)
	f.must(f.elb.DeregisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: inB}}))
	if _, ok := f.health(g.ID)[inB]; ok {
		t.Errorf("target still listed without a delay")
	}
	_, err = f.net.TerminateInstances(f.ctx, alice, []string{inC})
	f.must(err)
	wantHealth(t, "terminated", f.health(g.ID)[inC], "unused", "Target.InvalidState")
	_, err = f.elb.DescribeTargetHealth(f.ctx, alice, missingARN(g.ID), nil)
	wantReason(t, err, cloud.NotFound, cloud.KindTargetGroup, "")

	// An unused group's targets go at once.
	idle := f.targetGroup("idle", "TCP", 80, "")
	f.must(f.elb.RegisterTargets(f.ctx, alice, idle.ID, []TargetSpec{{ID: inB}}))
	f.must(f.elb.DeregisterTargets(f.ctx, alice, idle.ID, []TargetSpec{{ID: inB}}))
	if len(f.health(idle.ID)) != 0 {
		t.Errorf("an unused group's target drains")
	}
}

// An ip target's zone is its subnet's, or the one it was registered with;
// "all" is every zone.
func TestIPTargetHealth(t *testing.T) {
	f := newFixture(t)
	g := f.targetGroup("ips", "TCP", 80, TargetIP)
	f.must(f.elb.RegisterTargets(f.ctx, alice, g.ID, []TargetSpec{
		{ID: "10.0.0.20"}, {ID: "10.0.2.20"}, {ID: "192.168.1.1", AvailabilityZone: "us-east-1a"},
		{ID: "192.168.1.2", AvailabilityZone: "all"}, {ID: "172.16.0.1", AvailabilityZone: "us-east-1c"}, {ID: "10.0.200.1"},
	}))
	lb := f.nlb("ips")
	f.forward(lb.ID, "TCP", 80, g.ID)
	h := f.health(g.ID)
	for ip, want := range map[string]string{"10.0.0.20": "healthy", "10.0.2.20": "unused", "192.168.1.1": "healthy", "192.168.1.2": "healthy", "172.16.0.1": "unused", "10.0.200.1": "healthy"} {
		if h[ip].State != want {
			t.Errorf("%s: %+v, want %s", ip, h[ip], want)
		}
	}
	if h["192.168.1.1"].Target.AvailabilityZone != "us-east-1a" {
		t.Errorf("zone %+v", h["192.168.1.1"].Target)
	}
}

func TestRegisterTargetRefusals(t *testing.T) {
	f := newFixture(t)
	otherVPC := f.newVPC("10.5.0.0/16", false)
	elsewhere := f.launch(f.newSubnet(otherVPC.ID, "10.5.0.0/24", "us-east-1a"))
	stopped := f.launch(f.subnets[0])
	_, err := f.net.StopInstances(f.ctx, alice, []string{stopped})
	f.must(err)
	instances := f.targetGroup("instances", "TCP", 80, "")
	ips := f.targetGroup("ips", "TCP", 80, TargetIP)
	geneve := f.targetGroup("geneve", "GENEVE", 6081, TargetIP)
	fn, err := f.elb.CreateTargetGroup(f.ctx, alice, CreateTargetGroupInput{Name: "fn", TargetType: TargetLambda})
	f.must(err)
	f.must(f.elb.RegisterTargets(f.ctx, alice, fn.ID, []TargetSpec{{ID: lambdaFn}}))
	for _, tc := range []struct {
		name    string
		g       *TargetGroup
		targets []TargetSpec
		reason  cloud.Reason
		kind    cloud.Kind
		msg     string
	}{
		{"no such instance", instances, []TargetSpec{{ID: "i-0123456789abcdef0"}, {ID: "i-0123456789abcdef1"}}, cloud.InvalidParameter, cloud.KindTarget, "The following instances do not exist: 'i-0123456789abcdef0', 'i-0123456789abcdef1'"},
		{"instance of another VPC", instances, []TargetSpec{{ID: elsewhere}}, cloud.InvalidParameter, cloud.KindTarget, "The following targets are not in the target group VPC '" + f.vpc.ID + "': '" + elsewhere + "'"},
		{"stopped instance", instances, []TargetSpec{{ID: stopped}}, cloud.InvalidParameter, cloud.KindTarget, "not in a running state"},
		{"instance with a zone", instances, []TargetSpec{{ID: stopped, AvailabilityZone: "us-east-1a"}}, cloud.InvalidParameter, "", "An Availability Zone cannot be specified for targets of target type 'instance'"},
		{"port out of range", instances, []TargetSpec{{ID: stopped, Port: ptr(int32(70000))}}, cloud.InvalidParameter, "", "Port 70000 of target"},
		{"port zero", instances, []TargetSpec{{ID: stopped, Port: ptr(int32(0))}}, cloud.InvalidParameter, "", "A port must be specified for target"},
		{"public address", ips, []TargetSpec{{ID: "8.8.8.8"}}, cloud.InvalidParameter, cloud.KindTarget, "The IP address '8.8.8.8' is not within the VPC"},
		{"not an address", ips, []TargetSpec{{ID: "i-1"}}, cloud.InvalidParameter, cloud.KindTarget, "The IP address 'i-1' is not a valid IPv4 address"},
		{"IPv6 address", ips, []TargetSpec{{ID: "2001:db8::1"}}, cloud.InvalidParameter, cloud.KindTarget, "not a valid IPv4 address"},
		{"outside the VPC without a zone", ips, []TargetSpec{{ID: "192.168.1.1"}}, cloud.InvalidParameter, "", "An Availability Zone must be specified for the IP address '192.168.1.1'"},
		{"unknown zone", ips, []TargetSpec{{ID: "192.168.1.1", AvailabilityZone: "us-east-1z"}}, cloud.InvalidParameter, "", "The Availability Zone 'us-east-1z' is not valid"},
		{"GENEVE port", geneve, []TargetSpec{{ID: "10.0.0.20", Port: ptr(int32(80))}}, cloud.InvalidParameter, "", "Port must be 6081"},
		{"not a function", fn, []TargetSpec{{ID: "hello"}}, cloud.InvalidParameter, cloud.KindTarget, "The target 'hello' is not a valid Lambda function ARN"},
		{"a second function", fn, []TargetSpec{{ID: lambdaFn + "2"}}, cloud.LimitExceeded, cloud.KindTarget, "You can register only one Lambda function with a target group"},
		{"unknown group", &TargetGroup{Meta: cloud.Meta{ID: missingARN(ips.ID)}}, []TargetSpec{{ID: "10.0.0.20"}}, cloud.NotFound, cloud.KindTargetGroup, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantReason(t, f.elb.RegisterTargets(f.ctx, alice, tc.g.ID, tc.targets), tc.reason, tc.kind, tc.msg)
		})
	}
	f.must(f.elb.RegisterTargets(f.ctx, alice, fn.ID, []TargetSpec{{ID: lambdaFn}}))
	if h := f.health(fn.ID); len(h) != 1 || h[lambdaFn].Target.Port != 0 {
		t.Errorf("function targets %+v", h)
	}
	f.must(f.elb.RegisterTargets(f.ctx, alice, ips.ID, []TargetSpec{{ID: "192.168.1.1", AvailabilityZone: "us-east-1a"}, {ID: "10.0.1.30"}}))
	if n := len(f.health(ips.ID)); n != 2 {
		t.Errorf("want 2 targets, have %d", n)
	}
	wantReason(t, f.elb.RegisterTargets(f.ctx, dry(alice), ips.ID, []TargetSpec{{ID: "10.0.1.31"}}), cloud.DryRun, "", "")
	if n := len(f.health(ips.ID)); n != 2 {
		t.Errorf("a dry run registered a target: %d", n)
	}
}

func TestTargetsQuota(t *testing.T) {
	f := newFixture(t, cloud.WithQuotas(map[string]int{"targets-per-target-group": 2}))
	g := f.targetGroup("ips", "TCP", 80, TargetIP)
	f.must(f.elb.RegisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: "10.0.0.10"}, {ID: "10.0.0.11"}}))
	f.must(f.elb.RegisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: "10.0.0.10"}})) // again: no more targets
	wantReason(t, f.elb.RegisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: "10.0.0.12"}}), cloud.LimitExceeded, cloud.KindTarget, "the limit on the number of targets per target group")
}

// An IPv6 group takes IPv6 addresses of its VPC.
func TestIPv6Targets(t *testing.T) {
	f := newFixture(t)
	blocks := f.ipv6Subnets(1)
	g, err := f.elb.CreateTargetGroup(f.ctx, alice, CreateTargetGroupInput{Name: "v6", Protocol: "TCP", Port: ptr(int32(80)), VpcID: f.vpc.ID, TargetType: TargetIP, IPAddressType: "ipv6"})
	f.must(err)
	inside := blocks[0].Addr().Next().String()
	f.must(f.elb.RegisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: inside}}))
	wantReason(t, f.elb.RegisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: "10.0.0.5"}}), cloud.InvalidParameter, cloud.KindTarget, "not a valid IPv6 address")
	wantReason(t, f.elb.RegisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: "2001:db8::1"}}), cloud.InvalidParameter, cloud.KindTarget, "not within the VPC")
}

// A group of alb targets takes one application load balancer of its VPC
// that listens on the group's port, and serves a network load balancer's
// TCP listener only.
func TestALBTargets(t *testing.T) {
	f := newFixture(t)
	g := f.targetGroup("albs", "TCP", 80, TargetALB)
	web := f.targetGroup("web", "HTTP", 80, TargetIP)
	alb := f.alb("inner")
	wantReason(t, f.elb.RegisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: alb.ID}}), cloud.InvalidParameter, cloud.KindTarget,
		"The Application Load Balancer '"+alb.ID+"' must have a listener on port 80")
	f.forward(alb.ID, "HTTP", 80, web.ID)
	f.must(f.elb.RegisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: alb.ID}}))
	nlb := f.nlb("front")
	other := f.newVPC("10.6.0.0/16", true)
	far := f.createLB(CreateLoadBalancerInput{Name: "far", Subnets: []string{f.newSubnet(other.ID, "10.6.0.0/24", "us-east-1a"), f.newSubnet(other.ID, "10.6.1.0/24", "us-east-1b")}})
	alb2 := f.createLB(CreateLoadBalancerInput{Name: "second", Subnets: f.subnets[1:]})
	web2 := f.targetGroup("web2", "HTTP", 80, TargetIP)
	f.forward(alb2.ID, "HTTP", 80, web2.ID)
	for _, tc := range []struct {
		name   string
		target string
		reason cloud.Reason
		msg    string
	}{
		{"a network load balancer", nlb.ID, cloud.InvalidParameter, "The target '" + nlb.ID + "' is not a valid Application Load Balancer"},
		{"not an ARN", "alb", cloud.InvalidParameter, "is not a valid Application Load Balancer"},
		{"another VPC", far.ID, cloud.InvalidParameter, "not in the target group VPC"},
		{"a second one", alb2.ID, cloud.LimitExceeded, "You can register only one Application Load Balancer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantReason(t, f.elb.RegisterTargets(f.ctx, alice, g.ID, []TargetSpec{{ID: tc.target}}), tc.reason, cloud.KindTarget, tc.msg)
		})
	}
	f.forward(nlb.ID, "TCP", 80, g.ID)
	_, err := f.elb.CreateListener(f.ctx, alice, alb2.ID, ListenerInput{Port: ptr(int32(81)), Protocol: "HTTP", Actions: []ActionInput{{Type: ActionForward, TargetGroupARN: g.ID}}})
	wantReason(t, err, cloud.InvalidConfiguration, "", "Target groups with target type 'alb' can only be used with TCP listeners of Network Load Balancers")
	nlb2 := f.createLB(CreateLoadBalancerInput{Name: "tls", Type: LBNetwork, Scheme: SchemeInternal, Subnets: f.subnets[2:]})
	g2 := f.targetGroup("albs2", "TCP", 443, TargetALB)
	_, err = f.elb.CreateListener(f.ctx, alice, nlb2.ID, ListenerInput{Port: ptr(int32(443)), Protocol: "TLS", Certificates: []string{certA},
		Actions: []ActionInput{{Type: ActionForward, TargetGroupARN: g2.ID}}})
	wantReason(t, err, cloud.InvalidConfiguration, "", "Target groups with target type 'alb' can only be used with TCP listeners of Network Load Balancers")
	h := f.health(g.ID)
	wantHealth(t, "the ALB", h[alb.ID], "healthy", "")
}
