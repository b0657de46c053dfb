package elb

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/sslpolicies"
)

func forwardTo(tg string) []ActionInput {
	return []ActionInput{{Type: ActionForward, TargetGroupARN: tg}}
}

// Each load balancer type's listeners: ARN, forward action with its
// defaults, default rule, certificate and policy, attributes.
func TestCreateListeners(t *testing.T) {
	f := newFixture(t)
	nlb, gw, alb := f.nlb("net"), f.gwlb("gwy"), f.alb("web")
	tcp := f.targetGroup("tcp", "TCP", 80, TargetIP)
	geneve := f.targetGroup("geneve", "GENEVE", 6081, "")
	web := f.targetGroup("web", "HTTP", 80, TargetIP)
	for _, tc := range []struct {
		name      string
		lb        *LoadBalancer
		in        ListenerInput
		action    Action
		policy    string
		attrs     map[string]string
		nattrs    int
		rules     int
		listening string // load balancer/port key
	}{
		{"TCP", nlb, ListenerInput{Port: ptr(int32(80)), Protocol: "TCP", Actions: forwardTo(tcp.ID)},
			Action{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: tcp.ID, Weight: ptr(int32(1))}}, Stickiness: &ForwardStickiness{}},
			"", map[string]string{"tcp.idle_timeout.seconds": "350"}, 1, 1, "80"},
		{"TLS", nlb, ListenerInput{Port: ptr(int32(443)), Protocol: "TLS", Certificates: []string{certA}, AlpnPolicy: []string{"HTTP2Preferred"}, Actions: forwardTo(tcp.ID)},
			Action{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: tcp.ID, Weight: ptr(int32(1))}}, Stickiness: &ForwardStickiness{}},
			sslpolicies.Default, map[string]string{"tcp.idle_timeout.seconds": "350"}, 1, 1, "443"},
		{"gateway", gw, ListenerInput{Actions: forwardTo(geneve.ID)},
			Action{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: geneve.ID}}},
			"", map[string]string{"tcp.idle_timeout.seconds": "350"}, 1, 0, "0"},
		{"HTTP", alb, ListenerInput{Port: ptr(int32(80)), Protocol: "HTTP", Actions: forwardTo(web.ID)},
			Action{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: web.ID, Weight: ptr(int32(1))}}, Stickiness: &ForwardStickiness{}},
			"", nil, 11, 1, "80"},
		{"HTTPS with a policy", alb, ListenerInput{Port: ptr(int32(443)), Protocol: "HTTPS", Certificates: []string{certC}, SSLPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", Actions: forwardTo(web.ID)},
			Action{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: web.ID, Weight: ptr(int32(1))}}, Stickiness: &ForwardStickiness{}},
			"ELBSecurityPolicy-TLS13-1-2-2021-06", nil, 19, 1, "443"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := f.elb.CreateListener(f.ctx, alice, tc.lb.ID, tc.in)
			f.must(err)
			if !strings.HasPrefix(l.ID, strings.Replace(tc.lb.ID, ":loadbalancer/", ":listener/", 1)+"/") || l.LoadBalancerARN != tc.lb.ID ||
				l.Port != valOr(tc.in.Port) || l.Protocol != tc.in.Protocol || l.SSLPolicy != tc.policy || len(l.Actions) != 1 || !reflect.DeepEqual(l.Actions[0], tc.action) {
				t.Errorf("created %+v, action %+v", l, l.Actions[0])
			}
			if l.Actions[0].TargetGroupARN() != tc.action.ForwardGroups[0].ARN {
				t.Errorf("the action's group %q", l.Actions[0].TargetGroupARN())
			}
			if got, err := f.elb.GetListener(f.ctx, alice, l.ID); err != nil || !reflect.DeepEqual(got, l) {
				t.Errorf("read %+v, %v", got, err)
			}
			a, err := f.elb.ListenerAttributes(f.ctx, alice, l.ID)
			f.must(err)
			if len(a) != tc.nattrs || tc.attrs != nil && !reflect.DeepEqual(attrMap(a), tc.attrs) {
				t.Errorf("attributes %v", a)
			}
			if tc.lb.Type == LBGateway {
				_, err := f.elb.DescribeRules(f.ctx, alice, l.ID, nil)
				wantReason(t, err, cloud.NotFound, cloud.KindListener, "One or more listeners not found")
				return
			}
			rules, err := f.elb.DescribeRules(f.ctx, alice, l.ID, nil)
			f.must(err)
			if len(rules) != tc.rules || !rules[0].IsDefault || !reflect.DeepEqual(rules[0].Actions, l.Actions) || rules[0].Priority != 0 {
				t.Errorf("rules %+v", rules)
			}
		})
	}
	for _, g := range []*TargetGroup{tcp, geneve, web} {
		if got := get[TargetGroup](f, g.ID); len(got.LoadBalancerARNs) != 1 {
			t.Errorf("%s used by %v", g.Name, got.LoadBalancerARNs)
		}
	}
}

// A repeated create answers the listener; another on its port is refused.
func TestCreateListenerIsIdempotent(t *testing.T) {
	f := newFixture(t)
	nlb := f.nlb("net")
	tcp := f.targetGroup("tcp", "TCP", 80, TargetIP)
	both := f.targetGroup("both", "TCP_UDP", 80, TargetIP)
	l := f.forward(nlb.ID, "TCP", 80, tcp.ID)
	if again := f.forward(nlb.ID, "TCP", 80, tcp.ID); again.ID != l.ID {
		t.Errorf("a repeat made %s", again.ID)
	}
	_, err := f.elb.CreateListener(f.ctx, alice, nlb.ID, ListenerInput{Port: ptr(int32(80)), Protocol: "TCP_UDP", Actions: forwardTo(both.ID)})
	wantReason(t, err, cloud.Duplicate, cloud.KindListener, "A listener already exists on this port for this load balancer '"+nlb.ID+"'")
	page, err := cloud.List[Listener](f.ctx, f.c, alice, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 1 {
		t.Errorf("listeners %d, %v", len(page.Items), err)
	}
}

func TestCreateListenerRefusals(t *testing.T) {
	f := newFixture(t)
	nlb, gw, alb, other := f.nlb("net"), f.gwlb("gwy"), f.alb("web"), f.nlb("other")
	tcp := f.targetGroup("tcp", "TCP", 80, TargetIP)
	udp := f.targetGroup("udp", "UDP", 53, TargetIP)
	web := f.targetGroup("web", "HTTP", 80, TargetIP)
	web2 := f.targetGroup("web2", "HTTPS", 443, TargetIP)
	geneve := f.targetGroup("geneve", "GENEVE", 6081, "")
	fn, err := f.elb.CreateTargetGroup(f.ctx, alice, CreateTargetGroupInput{Name: "fn", TargetType: TargetLambda})
	f.must(err)
	elsewhere, err := f.elb.CreateTargetGroup(f.ctx, alice, CreateTargetGroupInput{Name: "elsewhere", Protocol: "TCP", Port: ptr(int32(80)), VpcID: f.newVPC("10.9.0.0/16", false).ID})
	f.must(err)
	used := f.targetGroup("used", "TCP", 80, TargetIP)
	f.forward(other.ID, "TCP", 80, used.ID)
	port := func(p int32) *int32 { return &p }
	for _, tc := range []struct {
		name   string
		lb     string
		in     ListenerInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"HTTP on an NLB", nlb.ID, ListenerInput{Port: port(81), Protocol: "HTTP", Actions: forwardTo(tcp.ID)}, cloud.InvalidParameter, "", "Listener protocol 'HTTP' must be one of 'TLS, TCP, TCP_UDP, UDP, QUIC, TCP_QUIC'"},
		{"TCP on an ALB", alb.ID, ListenerInput{Port: port(81), Protocol: "TCP", Actions: forwardTo(tcp.ID)}, cloud.InvalidParameter, "", "must be one of 'HTTPS, HTTP'"},
		{"no protocol", nlb.ID, ListenerInput{Port: port(81), Actions: forwardTo(tcp.ID)}, cloud.InvalidParameter, "", "A listener protocol must be specified"},
		{"no port", nlb.ID, ListenerInput{Protocol: "TCP", Actions: forwardTo(tcp.ID)}, cloud.InvalidParameter, "", "A listener port must be specified"},
		{"port on a gateway", gw.ID, ListenerInput{Port: port(80), Actions: forwardTo(geneve.ID)}, cloud.InvalidParameter, "", "Gateway Load Balancers"},
		{"TLS without a certificate", nlb.ID, ListenerInput{Port: port(443), Protocol: "TLS", Actions: forwardTo(tcp.ID)}, cloud.InvalidParameter, "", "A certificate must be specified for TLS listeners"},
		{"two certificates", nlb.ID, ListenerInput{Port: port(443), Protocol: "TLS", Certificates: []string{certA, certB}, Actions: forwardTo(tcp.ID)}, cloud.InvalidParameter, "", "exactly one certificate"},
		{"unknown certificate", nlb.ID, ListenerInput{Port: port(443), Protocol: "TLS", Certificates: []string{"my-cert"}, Actions: forwardTo(tcp.ID)}, cloud.NotFound, "certificate", "Certificate 'my-cert' not found"},
		{"unknown policy", nlb.ID, ListenerInput{Port: port(443), Protocol: "TLS", Certificates: []string{certA}, SSLPolicy: "Strict", Actions: forwardTo(tcp.ID)}, cloud.NotFound, "ssl-policy", "SSL policy 'Strict' not found"},
		{"ALPN on HTTPS", alb.ID, ListenerInput{Port: port(443), Protocol: "HTTPS", Certificates: []string{certA}, AlpnPolicy: []string{"None"}, Actions: forwardTo(web.ID)}, cloud.InvalidParameter, "", "An ALPN policy can only be specified for TLS listeners"},
		{"two ALPN policies", nlb.ID, ListenerInput{Port: port(443), Protocol: "TLS", Certificates: []string{certA}, AlpnPolicy: []string{"None", "HTTP1Only"}, Actions: forwardTo(tcp.ID)}, cloud.InvalidParameter, "", "only one ALPN policy"},
		{"unknown ALPN policy", nlb.ID, ListenerInput{Port: port(443), Protocol: "TLS", Certificates: []string{certA}, AlpnPolicy: []string{"HTTP3"}, Actions: forwardTo(tcp.ID)}, cloud.NotFound, "alpn-policy", "ALPN policy 'HTTP3' not found"},
		{"certificate on TCP", nlb.ID, ListenerInput{Port: port(81), Protocol: "TCP", Certificates: []string{certA}, Actions: forwardTo(tcp.ID)}, cloud.InvalidParameter, "", "Certificates cannot be specified for TCP listeners"},
		{"policy on TCP", nlb.ID, ListenerInput{Port: port(81), Protocol: "TCP", SSLPolicy: sslpolicies.Default, Actions: forwardTo(tcp.ID)}, cloud.InvalidParameter, "", "A security policy cannot be specified for TCP listeners"},
		{"ALPN on TCP", nlb.ID, ListenerInput{Port: port(81), Protocol: "TCP", AlpnPolicy: []string{"None"}, Actions: forwardTo(tcp.ID)}, cloud.InvalidParameter, "", "ALPN policy"},
		{"no action", nlb.ID, ListenerInput{Port: port(81), Protocol: "TCP"}, cloud.InvalidParameter, "", "At least one default action must be specified"},
		{"two actions on an NLB", nlb.ID, ListenerInput{Port: port(81), Protocol: "TCP", Actions: append(forwardTo(tcp.ID), forwardTo(tcp.ID)...)}, cloud.LimitExceeded, "action", "only one forward"},
		{"redirect on an NLB", nlb.ID, ListenerInput{Port: port(81), Protocol: "TCP", Actions: []ActionInput{{Type: ActionRedirect, Redirect: &RedirectAction{StatusCode: "HTTP_301"}}}}, cloud.InvalidParameter, "", "Action type 'redirect' must be one of 'forward'"},
		{"incompatible protocols", nlb.ID, ListenerInput{Port: port(53), Protocol: "UDP", Actions: forwardTo(tcp.ID)}, cloud.InvalidParameter, "protocols", "The listener and its associated target group '" + tcp.ID + "' have incompatible protocols"},
		{"UDP to TCP", nlb.ID, ListenerInput{Port: port(86), Protocol: "TCP", Actions: forwardTo(udp.ID)}, cloud.InvalidParameter, "protocols", udp.ID},
		{"HTTPS to HTTP on an NLB", nlb.ID, ListenerInput{Port: port(86), Protocol: "TCP", Actions: forwardTo(web2.ID)}, cloud.InvalidParameter, "protocols", ""},
		{"group of another VPC", nlb.ID, ListenerInput{Port: port(82), Protocol: "TCP", Actions: forwardTo(elsewhere.ID)}, cloud.InvalidConfiguration, "", "not in the load balancer's VPC '" + f.vpc.ID + "'"},
		{"group of another load balancer", nlb.ID, ListenerInput{Port: port(83), Protocol: "TCP", Actions: forwardTo(used.ID)}, cloud.LimitExceeded, "association", "The following target groups cannot be associated with more than one load balancer: " + used.ID},
		{"unknown group", nlb.ID, ListenerInput{Port: port(84), Protocol: "TCP", Actions: forwardTo(missingARN(tcp.ID))}, cloud.NotFound, cloud.KindTargetGroup, "Target group '" + missingARN(tcp.ID) + "' not found"},
		{"malformed group", nlb.ID, ListenerInput{Port: port(84), Protocol: "TCP", Actions: forwardTo("tcp")}, cloud.InvalidParameter, "", "'tcp' is not a valid target group ARN"},
		{"no group", nlb.ID, ListenerInput{Port: port(84), Protocol: "TCP", Actions: []ActionInput{{Type: ActionForward}}}, cloud.InvalidParameter, "", "A target group ARN must be specified for actions of type 'forward'"},
		{"Lambda behind an NLB", nlb.ID, ListenerInput{Port: port(84), Protocol: "TCP", Actions: forwardTo(fn.ID)}, cloud.InvalidConfiguration, "", "Target groups with target type 'lambda' can only be used with Application Load Balancers"},
		{"two groups on an NLB", nlb.ID, ListenerInput{Port: port(84), Protocol: "TCP", Actions: []ActionInput{{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: tcp.ID}, {ARN: used.ID}}}}}, cloud.LimitExceeded, "action", "only one target group for a forward action of a load balancer of type 'network'"},
		{"unknown load balancer", missingARN(nlb.ID), ListenerInput{Port: port(80), Protocol: "TCP", Actions: forwardTo(tcp.ID)}, cloud.NotFound, cloud.KindLoadBalancer, "One or more load balancers not found"},
		{"another account's", "", ListenerInput{Port: port(80), Protocol: "TCP", Actions: forwardTo(tcp.ID)}, cloud.NotFound, cloud.KindLoadBalancer, ""},
		{"reserved tag", nlb.ID, ListenerInput{Port: port(81), Protocol: "TCP", Actions: forwardTo(tcp.ID), Tags: []cloud.Tag{{Key: "AWS:x"}}}, cloud.InvalidParameter, "", "cannot begin with 'aws:'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			who := alice
			if tc.lb == "" {
				who, tc.lb = bob, nlb.ID
			}
			_, err := f.elb.CreateListener(f.ctx, who, tc.lb, tc.in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	page, err := cloud.List[Listener](f.ctx, f.c, alice, cloud.Query{Filters: []cloud.Filter{{Name: "load-balancer", Values: []string{nlb.ID}}}}, nil)
	if err != nil || len(page.Items) != 0 {
		t.Errorf("refused creates left %d listeners, %v", len(page.Items), err)
	}
	_, err = f.elb.CreateListener(f.ctx, dry(alice), nlb.ID, ListenerInput{Port: port(80), Protocol: "TCP", Actions: forwardTo(tcp.ID)})
	wantReason(t, err, cloud.DryRun, "", "")
	if got := get[TargetGroup](f, tcp.ID); len(got.LoadBalancerARNs) != 0 {
		t.Errorf("a dry run left the group used by %v", got.LoadBalancerARNs)
	}
}

func TestListenerQuota(t *testing.T) {
	f := newFixture(t, cloud.WithQuotas(map[string]int{"listeners-per-network-load-balancer": 1, "listeners-per-application-load-balancer": 1}))
	tcp := f.targetGroup("tcp", "TCP", 80, TargetIP)
	web := f.targetGroup("web", "HTTP", 80, TargetIP)
	nlb, alb := f.nlb("net"), f.alb("web")
	f.forward(nlb.ID, "TCP", 80, tcp.ID)
	f.forward(alb.ID, "HTTP", 80, web.ID)
	_, err := f.elb.CreateListener(f.ctx, alice, nlb.ID, ListenerInput{Port: ptr(int32(81)), Protocol: "TCP", Actions: forwardTo(tcp.ID)})
	wantReason(t, err, cloud.LimitExceeded, cloud.KindListener, "The maximum number of listeners per load balancer has been reached")
	_, err = f.elb.CreateListener(f.ctx, alice, alb.ID, ListenerInput{Port: ptr(int32(81)), Protocol: "HTTP", Actions: forwardTo(web.ID)})
	wantReason(t, err, cloud.LimitExceeded, cloud.KindListener, "")
}

// ModifyListener replaces what it is given: a port, a protocol (leaving
// TLS drops the certificate and policy), actions; attributes follow the
// protocol.
func TestModifyListener(t *testing.T) {
	f := newFixture(t)
	nlb := f.nlb("net")
	tcp := f.targetGroup("tcp", "TCP", 80, TargetIP)
	tls := f.targetGroup("tls", "TLS", 443, TargetIP)
	udp := f.targetGroup("udp", "TCP_UDP", 53, TargetIP)
	l80 := f.forward(nlb.ID, "TCP", 80, tcp.ID)
	l81 := f.forward(nlb.ID, "TCP", 81, tcp.ID)
	_, err := f.elb.ModifyListenerAttributes(f.ctx, alice, l81.ID, attrs("tcp.idle_timeout.seconds", "600"))
	f.must(err)

	mod, err := f.elb.ModifyListener(f.ctx, alice, l81.ID, ListenerInput{Port: ptr(int32(8443)), Protocol: "TLS", Certificates: []string{certA}, AlpnPolicy: []string{"None"}, Actions: forwardTo(tls.ID)})
	f.must(err)
	if mod.Port != 8443 || mod.Protocol != "TLS" || mod.SSLPolicy != sslpolicies.Default || !reflect.DeepEqual(mod.Certificates, []string{certA}) ||
		mod.Actions[0].TargetGroupARN() != tls.ID || mod.Attributes["tcp.idle_timeout.seconds"] != "600" {
		t.Errorf("modified %+v", mod)
	}
	if got := get[Listener](f, l81.ID); !reflect.DeepEqual(got, mod) {
		t.Errorf("read %+v", got)
	}
	mod, err = f.elb.ModifyListener(f.ctx, alice, l81.ID, ListenerInput{SSLPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"})
	f.must(err)
	if mod.SSLPolicy != "ELBSecurityPolicy-TLS13-1-2-2021-06" || mod.Port != 8443 {
		t.Errorf("policy %+v", mod)
	}
	mod, err = f.elb.ModifyListener(f.ctx, alice, l81.ID, ListenerInput{Protocol: "TCP", Actions: forwardTo(udp.ID)})
	f.must(err)
	if mod.SSLPolicy != "" || mod.Certificates != nil || mod.AlpnPolicy != nil || mod.Actions[0].TargetGroupARN() != udp.ID {
		t.Errorf("back to TCP %+v", mod)
	}
	mod, err = f.elb.ModifyListener(f.ctx, alice, l81.ID, ListenerInput{Protocol: "UDP"})
	f.must(err)
	if a, err := f.elb.ListenerAttributes(f.ctx, alice, l81.ID); err != nil || len(a) != 0 || len(mod.Attributes) != 0 {
		t.Errorf("UDP attributes %v %v, %v", a, mod.Attributes, err)
	}
	if got := get[TargetGroup](f, tls.ID); len(got.LoadBalancerARNs) != 0 {
		t.Errorf("the group left behind is used by %v", got.LoadBalancerARNs)
	}
	for _, tc := range []struct {
		name   string
		arn    string
		in     ListenerInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"port taken", l81.ID, ListenerInput{Port: ptr(int32(80))}, cloud.InvalidParameter, "", "Listener port '80' is already in use"},
		{"protocol its group cannot take", l80.ID, ListenerInput{Protocol: "UDP"}, cloud.InvalidParameter, "protocols", "incompatible protocols"},
		{"TLS without a certificate", l80.ID, ListenerInput{Protocol: "TLS"}, cloud.InvalidParameter, "", "A certificate must be specified"},
		{"unknown", missingARN(l80.ID), ListenerInput{}, cloud.NotFound, cloud.KindListener, "One or more listeners not found"},
		{"malformed", "l80", ListenerInput{}, cloud.InvalidParameter, "", "'l80' is not a valid listener ARN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.elb.ModifyListener(f.ctx, alice, tc.arn, tc.in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	if got := get[Listener](f, l80.ID); got.Port != 80 || got.Protocol != "TCP" {
		t.Errorf("the refusals changed %+v", got)
	}
}

func TestListenerAttributes(t *testing.T) {
	f := newFixture(t)
	alb, nlb := f.alb("web"), f.nlb("net")
	web := f.targetGroup("web", "HTTP", 80, TargetIP)
	tcp := f.targetGroup("tcp", "TCP", 80, TargetIP)
	https, err := f.elb.CreateListener(f.ctx, alice, alb.ID, ListenerInput{Port: ptr(int32(443)), Protocol: "HTTPS", Certificates: []string{certA}, Actions: forwardTo(web.ID)})
	f.must(err)
	http := f.forward(alb.ID, "HTTP", 80, web.ID)
	l := f.forward(nlb.ID, "TCP", 80, tcp.ID)
	out, err := f.elb.ModifyListenerAttributes(f.ctx, alice, https.ID, attrs(
		"routing.http.request.x_amzn_tls_version.header_name", "X-TLS", "routing.http.response.server.enabled", "false"))
	f.must(err)
	if m := attrMap(out); len(m) != 19 || m["routing.http.request.x_amzn_tls_version.header_name"] != "X-TLS" || m["routing.http.response.server.enabled"] != "false" ||
		m["routing.http.request.x_amzn_mtls_clientcert.header_name"] != "X-Amzn-Mtls-Clientcert" {
		t.Errorf("HTTPS attributes %v", m)
	}
	for _, tc := range []struct {
		name   string
		arn    string
		kv     []string
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"mTLS header on HTTP", http.ID, []string{"routing.http.request.x_amzn_tls_version.header_name", "X"}, cloud.InvalidConfiguration, "", "Listener attribute key 'routing.http.request.x_amzn_tls_version.header_name' is not supported on HTTP listeners of load balancers with type 'application'"},
		{"idle timeout on an ALB", http.ID, []string{"tcp.idle_timeout.seconds", "60"}, cloud.InvalidConfiguration, "", "not supported"},
		{"header on an NLB", l.ID, []string{"routing.http.response.server.enabled", "false"}, cloud.InvalidConfiguration, "", "TCP listeners of load balancers with type 'network'"},
		{"idle timeout range", l.ID, []string{"tcp.idle_timeout.seconds", "10"}, cloud.InvalidParameter, "", "an integer from 60 to 6000"},
		{"bad boolean", http.ID, []string{"routing.http.response.server.enabled", "no"}, cloud.InvalidParameter, "", "one of true, false"},
		{"unknown key", l.ID, []string{"nope", "1"}, cloud.InvalidParameter, "", "Listener attribute key 'nope' is not recognized"},
		{"unknown listener", missingARN(l.ID), []string{"tcp.idle_timeout.seconds", "60"}, cloud.NotFound, cloud.KindListener, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.elb.ModifyListenerAttributes(f.ctx, alice, tc.arn, attrs(tc.kv...))
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	_, err = f.elb.ListenerAttributes(f.ctx, alice, missingARN(l.ID))
	wantReason(t, err, cloud.NotFound, cloud.KindListener, "")
	// HTTP to HTTPS keeps the response headers and adds the mTLS ones.
	_, err = f.elb.ModifyListenerAttributes(f.ctx, alice, http.ID, attrs("routing.http.response.x_frame_options.header_value", "DENY"))
	f.must(err)
	_, err = f.elb.ModifyListener(f.ctx, alice, http.ID, ListenerInput{Protocol: "HTTPS", Certificates: []string{certB}})
	f.must(err)
	a, err := f.elb.ListenerAttributes(f.ctx, alice, http.ID)
	f.must(err)
	if m := attrMap(a); len(m) != 19 || m["routing.http.response.x_frame_options.header_value"] != "DENY" {
		t.Errorf("after HTTPS %v", m)
	}
}

// Listeners are found by load balancer (an indexed filter) and page by
// page; deleting one deletes its rules and frees its groups.
func TestListAndDeleteListeners(t *testing.T) {
	f := newFixture(t)
	alb, nlb := f.alb("web"), f.nlb("net")
	web, rules := f.targetGroup("web", "HTTP", 80, TargetIP), f.targetGroup("rules", "HTTP", 80, TargetIP)
	tcp := f.targetGroup("tcp", "TCP", 80, TargetIP)
	l80, l81 := f.forward(alb.ID, "HTTP", 80, web.ID), f.forward(alb.ID, "HTTP", 81, web.ID)
	other := f.forward(nlb.ID, "TCP", 80, tcp.ID)
	r, err := f.elb.CreateRule(f.ctx, alice, l80.ID, RuleInput{Priority: 1, Conditions: []ConditionInput{{Field: ConditionPathPattern, Values: []string{"/x"}}}, Actions: forwardTo(rules.ID)})
	f.must(err)
	byLB := cloud.Query{Filters: []cloud.Filter{{Name: "load-balancer", Values: []string{alb.ID}}}, Limit: 1}
	first, err := cloud.List[Listener](f.ctx, f.c, alice, byLB, nil)
	f.must(err)
	byLB.After = first.Next
	second, err := cloud.List[Listener](f.ctx, f.c, alice, byLB, nil)
	f.must(err)
	if got := []string{first.Items[0].ID, second.Items[0].ID}; first.Next == "" || second.Next != "" || !sameSet(got, []string{l80.ID, l81.ID}) {
		t.Errorf("pages %v (next %q, %q)", got, first.Next, second.Next)
	}
	all, err := cloud.List[Listener](f.ctx, f.c, alice, cloud.Query{}, nil)
	if err != nil || len(all.Items) != 3 {
		t.Errorf("all %d, %v", len(all.Items), err)
	}
	if got := get[TargetGroup](f, rules.ID); !reflect.DeepEqual(got.LoadBalancerARNs, []string{alb.ID}) {
		t.Errorf("rule's group used by %v", got.LoadBalancerARNs)
	}
	wantReason(t, f.elb.DeleteListener(f.ctx, dry(alice), l80.ID), cloud.DryRun, "", "")
	f.must(f.elb.DeleteListener(f.ctx, alice, l80.ID))
	wantReason(t, f.elb.DeleteListener(f.ctx, alice, l80.ID), cloud.NotFound, cloud.KindListener, "One or more listeners not found")
	_, err = f.elb.DescribeRules(f.ctx, alice, "", []string{r.ID})
	wantReason(t, err, cloud.NotFound, cloud.KindRule, "")
	if got := get[TargetGroup](f, rules.ID); len(got.LoadBalancerARNs) != 0 {
		t.Errorf("rule's group still used by %v", got.LoadBalancerARNs)
	}
	f.must(f.elb.DeleteTargetGroup(f.ctx, alice, rules.ID))
	wantReason(t, f.elb.DeleteListener(f.ctx, bob, other.ID), cloud.NotFound, cloud.KindListener, "")
	_, err = f.elb.GetListener(f.ctx, alice, "listener")
	wantReason(t, err, cloud.InvalidParameter, "", "not a valid listener ARN")
}

// The actions of an application load balancer's listener: weighted
// groups, stickiness, redirects and fixed responses with their defaults.
func TestListenerActions(t *testing.T) {
	f := newFixture(t)
	alb := f.alb("web")
	a, b := f.targetGroup("a", "HTTP", 80, TargetIP), f.targetGroup("b", "HTTPS", 443, TargetIP)
	fn, err := f.elb.CreateTargetGroup(f.ctx, alice, CreateTargetGroupInput{Name: "fn", TargetType: TargetLambda})
	f.must(err)
	for _, tc := range []struct {
		name string
		in   []ActionInput
		want []Action
	}{
		{"weighted", []ActionInput{{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: a.ID, Weight: ptr(int32(3))}, {ARN: b.ID}}, Stickiness: &ForwardStickiness{Enabled: true, DurationSeconds: 60}}},
			[]Action{{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: a.ID, Weight: ptr(int32(3))}, {ARN: b.ID, Weight: ptr(int32(1))}}, Stickiness: &ForwardStickiness{Enabled: true, DurationSeconds: 60}}}},
		{"group named twice the same", []ActionInput{{Type: ActionForward, TargetGroupARN: a.ID, ForwardGroups: []WeightedTargetGroup{{ARN: a.ID}}}},
			[]Action{{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: a.ID, Weight: ptr(int32(1))}}, Stickiness: &ForwardStickiness{}}}},
		{"Lambda", forwardTo(fn.ID),
			[]Action{{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: fn.ID, Weight: ptr(int32(1))}}, Stickiness: &ForwardStickiness{}}}},
		{"redirect", []ActionInput{{Type: ActionRedirect, Redirect: &RedirectAction{Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301"}}},
			[]Action{{Type: ActionRedirect, Redirect: &RedirectAction{Host: "#{host}", Path: "/#{path}", Port: "443", Protocol: "HTTPS", Query: "#{query}", StatusCode: "HTTP_301"}}}},
		{"fixed response", []ActionInput{{Type: ActionFixedResponse, FixedResponse: &FixedResponseAction{ContentType: "text/plain", MessageBody: "no", StatusCode: "404"}}},
			[]Action{{Type: ActionFixedResponse, FixedResponse: &FixedResponseAction{ContentType: "text/plain", MessageBody: "no", StatusCode: "404"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := f.elb.ModifyListener(f.ctx, alice, f.listener(alb, a).ID, ListenerInput{Actions: tc.in})
			f.must(err)
			if !reflect.DeepEqual(l.Actions, tc.want) {
				t.Errorf("actions %+v\nwant %+v", l.Actions, tc.want)
			}
		})
	}
	l := f.listener(alb, a)
	for _, tc := range []struct {
		name   string
		in     []ActionInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"group and other groups", []ActionInput{{Type: ActionForward, TargetGroupARN: a.ID, ForwardGroups: []WeightedTargetGroup{{ARN: b.ID}}}}, cloud.InvalidParameter, "", "You cannot specify both a target group ARN and a forward configuration"},
		{"a group twice", []ActionInput{{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: a.ID}, {ARN: a.ID}}}}, cloud.InvalidParameter, "", "is specified more than once in a forward action"},
		{"weight", []ActionInput{{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: a.ID, Weight: ptr(int32(1000))}}}}, cloud.InvalidParameter, "", "must be from 0 to 999"},
		{"stickiness duration", []ActionInput{{Type: ActionForward, TargetGroupARN: a.ID, Stickiness: &ForwardStickiness{Enabled: true}}}, cloud.InvalidParameter, "", "stickiness duration must be from 1 to 604800 seconds"},
		{"redirect without configuration", []ActionInput{{Type: ActionRedirect}}, cloud.InvalidParameter, "", "A redirect configuration must be specified for actions of type 'redirect'"},
		{"fixed response without configuration", []ActionInput{{Type: ActionFixedResponse}}, cloud.InvalidParameter, "", "A fixed response configuration must be specified"},
		{"authenticate on HTTP", []ActionInput{{Type: ActionAuthenticateCognito, Order: ptr(int32(1))}, {Type: ActionForward, TargetGroupARN: a.ID, Order: ptr(int32(2))}}, cloud.InvalidParameter, "action", "Authenticate actions can be used only with HTTPS listeners"},
		{"unmodelled type", []ActionInput{{Type: "jump"}}, cloud.InvalidParameter, "action", "vpcemu does not model actions of type 'jump'"},
		{"two final actions", []ActionInput{{Type: ActionForward, TargetGroupARN: a.ID, Order: ptr(int32(1))}, {Type: ActionFixedResponse, FixedResponse: &FixedResponseAction{StatusCode: "200"}, Order: ptr(int32(2))}}, cloud.LimitExceeded, "action", "only one forward, redirect or fixed-response action"},
		{"no order", []ActionInput{{Type: ActionForward, TargetGroupARN: a.ID}, {Type: ActionFixedResponse, FixedResponse: &FixedResponseAction{StatusCode: "200"}}}, cloud.InvalidParameter, "", "An order must be specified for each action"},
		{"same order", []ActionInput{{Type: ActionForward, TargetGroupARN: a.ID, Order: ptr(int32(1))}, {Type: ActionFixedResponse, FixedResponse: &FixedResponseAction{StatusCode: "200"}, Order: ptr(int32(1))}}, cloud.InvalidParameter, "", "Action order '1' is used by more than one action"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.elb.ModifyListener(f.ctx, alice, l.ID, ListenerInput{Actions: tc.in})
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
}

// listener is the load balancer's HTTP listener on port 80, made on first
// use with a forward to g.
func (f *fixture) listener(lb *LoadBalancer, g *TargetGroup) *Listener {
	f.t.Helper()
	page, err := cloud.List[Listener](f.ctx, f.c, alice, cloud.Query{Filters: []cloud.Filter{{Name: "load-balancer", Values: []string{lb.ID}}}}, nil)
	f.must(err)
	for _, l := range page.Items {
		if l.Port == 80 {
			return l
		}
	}
	return f.forward(lb.ID, "HTTP", 80, g.ID)
}

// The quota of target groups of one forward action.
func TestForwardGroupsQuota(t *testing.T) {
	f := newFixture(t, cloud.WithQuotas(map[string]int{"target-groups-per-action-on-application-load-balancer": 1}))
	a, b := f.targetGroup("a", "HTTP", 80, TargetIP), f.targetGroup("b", "HTTP", 80, TargetIP)
	_, err := f.elb.CreateListener(f.ctx, alice, f.alb("web").ID, ListenerInput{Port: ptr(int32(80)), Protocol: "HTTP",
		Actions: []ActionInput{{Type: ActionForward, ForwardGroups: []WeightedTargetGroup{{ARN: a.ID}, {ARN: b.ID}}}}})
	wantReason(t, err, cloud.LimitExceeded, "action", "You can specify at most 1 target groups for a forward action")
}
