package elbv2_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

const certARN = "arn:aws:acm:us-east-1:111111111111:certificate/3dcb0a41-bd72-4774-9ad9-756919c40557"

func TestCreateListeners(t *testing.T) {
	f := newFixture(t)
	nlb, gw := f.nlb("net"), f.gwlb("gwy")
	tcp := f.targetGroup("tcp", types.ProtocolEnumTcp, 80, types.TargetTypeEnumIp)
	geneve := f.targetGroup("geneve", types.ProtocolEnumGeneve, 6081, "")
	l := f.forward(nlb.LoadBalancerArn, types.ProtocolEnumTcp, 80, tcp.TargetGroupArn)
	lbARN := aws.ToString(nlb.LoadBalancerArn)
	if !strings.HasPrefix(aws.ToString(l.ListenerArn), strings.Replace(lbARN, ":loadbalancer/", ":listener/", 1)+"/") ||
		aws.ToInt32(l.Port) != 80 || l.Protocol != types.ProtocolEnumTcp || len(l.DefaultActions) != 1 {
		t.Fatalf("listener: %+v", l)
	}
	a := l.DefaultActions[0]
	if aws.ToString(a.TargetGroupArn) != aws.ToString(tcp.TargetGroupArn) || len(a.ForwardConfig.TargetGroups) != 1 ||
		aws.ToInt32(a.ForwardConfig.TargetGroups[0].Weight) != 1 || aws.ToBool(a.ForwardConfig.TargetGroupStickinessConfig.Enabled) {
		t.Errorf("action: %+v", a)
	}
	g := f.forward(gw.LoadBalancerArn, "", 0, geneve.TargetGroupArn)
	if g.Port != nil || g.Protocol != "" || aws.ToString(g.DefaultActions[0].TargetGroupArn) != aws.ToString(geneve.TargetGroupArn) {
		t.Errorf("gateway listener: %+v", g)
	}
	// A repeat returns the listener.
	if again := f.forward(nlb.LoadBalancerArn, types.ProtocolEnumTcp, 80, tcp.TargetGroupArn); aws.ToString(again.ListenerArn) != aws.ToString(l.ListenerArn) {
		t.Errorf("repeat made %s", aws.ToString(again.ListenerArn))
	}
	tls, err := f.lb.CreateListener(f.ctx, &elb.CreateListenerInput{LoadBalancerArn: nlb.LoadBalancerArn, Protocol: types.ProtocolEnumTls, Port: aws.Int32(443),
		Certificates:   []types.Certificate{{CertificateArn: aws.String(certARN)}},
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tcp.TargetGroupArn}}})
	f.must(err)
	if aws.ToString(tls.Listeners[0].SslPolicy) != "ELBSecurityPolicy-2016-08" || aws.ToString(tls.Listeners[0].Certificates[0].CertificateArn) != certARN {
		t.Errorf("TLS listener: %+v", tls.Listeners[0])
	}

	for _, tc := range []struct {
		name string
		arn  *string
		want map[string]string
	}{
		{"TCP", l.ListenerArn, map[string]string{"tcp.idle_timeout.seconds": "350"}},
		{"gateway", g.ListenerArn, map[string]string{"tcp.idle_timeout.seconds": "350"}},
	} {
		out, err := f.lb.DescribeListenerAttributes(f.ctx, &elb.DescribeListenerAttributesInput{ListenerArn: tc.arn})
		f.must(err)
		sameMap(t, tc.name, attrs(out.Attributes, func(a types.ListenerAttribute) (*string, *string) { return a.Key, a.Value }), tc.want)
	}
	mod, err := f.lb.ModifyListenerAttributes(f.ctx, &elb.ModifyListenerAttributesInput{ListenerArn: l.ListenerArn, Attributes: []types.ListenerAttribute{
		{Key: aws.String("tcp.idle_timeout.seconds"), Value: aws.String("600")}}})
	f.must(err)
	if aws.ToString(mod.Attributes[0].Value) != "600" {
		t.Errorf("modified: %+v", mod.Attributes)
	}
}

func TestCreateListenerRefusals(t *testing.T) {
	f := newFixture(t)
	nlb, gw := f.nlb("net"), f.gwlb("gwy")
	other := f.nlb("other")
	tcp := f.targetGroup("tcp", types.ProtocolEnumTcp, 80, types.TargetTypeEnumIp)
	udp := f.targetGroup("udp", types.ProtocolEnumUdp, 53, types.TargetTypeEnumIp)
	geneve := f.targetGroup("geneve", types.ProtocolEnumGeneve, 6081, "")
	elsewhere, err := f.lb.CreateTargetGroup(f.ctx, &elb.CreateTargetGroupInput{Name: aws.String("elsewhere"), Protocol: types.ProtocolEnumTcp,
		Port: aws.Int32(80), VpcId: aws.String(f.newVPC("10.9.0.0/16", false))})
	f.must(err)
	used := f.targetGroup("used", types.ProtocolEnumTcp, 80, types.TargetTypeEnumIp)
	f.forward(other.LoadBalancerArn, types.ProtocolEnumTcp, 80, used.TargetGroupArn)
	f.forward(nlb.LoadBalancerArn, types.ProtocolEnumTcp, 80, tcp.TargetGroupArn)
	listen := func(lb *string, protocol types.ProtocolEnum, port int32, tg *string, mod func(*elb.CreateListenerInput)) func() error {
		return func() error {
			in := &elb.CreateListenerInput{LoadBalancerArn: lb, Protocol: protocol, DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tg}}}
			if port != 0 {
				in.Port = &port
			}
			if mod != nil {
				mod(in)
			}
			_, err := f.lb.CreateListener(f.ctx, in)
			return err
		}
	}
	checkRefusals(t, []refusal{
		{"HTTP on an NLB", listen(nlb.LoadBalancerArn, types.ProtocolEnumHttp, 81, tcp.TargetGroupArn, nil), "ValidationError", "Listener protocol 'HTTP' must be one of 'TLS, TCP, TCP_UDP, UDP, QUIC, TCP_QUIC'"},
		{"no port", listen(nlb.LoadBalancerArn, types.ProtocolEnumTcp, 0, tcp.TargetGroupArn, nil), "ValidationError", "port"},
		{"port on a GWLB", listen(gw.LoadBalancerArn, types.ProtocolEnumTcp, 80, geneve.TargetGroupArn, nil), "ValidationError", "Gateway Load Balancers"},
		{"TLS without certificate", listen(nlb.LoadBalancerArn, types.ProtocolEnumTls, 443, tcp.TargetGroupArn, nil), "ValidationError", "certificate"},
		{"unknown certificate", listen(nlb.LoadBalancerArn, types.ProtocolEnumTls, 443, tcp.TargetGroupArn, func(in *elb.CreateListenerInput) {
			in.Certificates = []types.Certificate{{CertificateArn: aws.String("my-cert")}}
		}), "CertificateNotFound", "my-cert"},
		{"unknown policy", listen(nlb.LoadBalancerArn, types.ProtocolEnumTls, 443, tcp.TargetGroupArn, func(in *elb.CreateListenerInput) {
			in.Certificates, in.SslPolicy = []types.Certificate{{CertificateArn: aws.String(certARN)}}, aws.String("Strict")
		}), "SSLPolicyNotFound", "Strict"},
		{"duplicate", listen(nlb.LoadBalancerArn, types.ProtocolEnumTcpUdp, 80, nil, func(in *elb.CreateListenerInput) {
			in.DefaultActions[0].TargetGroupArn = f.targetGroup("tcpudp", types.ProtocolEnumTcpUdp, 80, types.TargetTypeEnumIp).TargetGroupArn
		}), "DuplicateListener", "A listener already exists on this port for this load balancer '" + aws.ToString(nlb.LoadBalancerArn) + "'"},
		{"incompatible protocols", listen(nlb.LoadBalancerArn, types.ProtocolEnumUdp, 53, tcp.TargetGroupArn, nil), "IncompatibleProtocols", "have incompatible protocols"},
		{"UDP to TCP", listen(nlb.LoadBalancerArn, types.ProtocolEnumTcp, 86, udp.TargetGroupArn, nil), "IncompatibleProtocols", aws.ToString(udp.TargetGroupArn)},
		{"group of another VPC", listen(nlb.LoadBalancerArn, types.ProtocolEnumTcp, 82, elsewhere.TargetGroups[0].TargetGroupArn, nil), "InvalidConfigurationRequest", "VPC"},
		{"group of another load balancer", listen(nlb.LoadBalancerArn, types.ProtocolEnumTcp, 83, used.TargetGroupArn, nil), "TargetGroupAssociationLimit",
			"The following target groups cannot be associated with more than one load balancer: " + aws.ToString(used.TargetGroupArn)},
		{"unknown group", listen(nlb.LoadBalancerArn, types.ProtocolEnumTcp, 84, aws.String(strings.Replace(aws.ToString(tcp.TargetGroupArn), "/tcp/", "/nope/", 1)), nil), "TargetGroupNotFound", ""},
		{"redirect on an NLB", listen(nlb.LoadBalancerArn, types.ProtocolEnumTcp, 85, nil, func(in *elb.CreateListenerInput) {
			in.DefaultActions = []types.Action{{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{StatusCode: types.RedirectActionStatusCodeEnumHttp301}}}
		}), "ValidationError", "'forward'"},
		{"unknown load balancer", listen(aws.String(strings.Replace(aws.ToString(nlb.LoadBalancerArn), "/net/net/", "/net/nope/", 1)), types.ProtocolEnumTcp, 80, tcp.TargetGroupArn, nil), "LoadBalancerNotFound", ""},
	})
}

func TestModifyDescribeDeleteListeners(t *testing.T) {
	f := newFixture(t)
	nlb := f.nlb("net")
	tcp := f.targetGroup("tcp", types.ProtocolEnumTcp, 80, types.TargetTypeEnumIp)
	tls := f.targetGroup("tls", types.ProtocolEnumTls, 443, types.TargetTypeEnumIp)
	l80 := f.forward(nlb.LoadBalancerArn, types.ProtocolEnumTcp, 80, tcp.TargetGroupArn)
	l81 := f.forward(nlb.LoadBalancerArn, types.ProtocolEnumTcp, 81, tcp.TargetGroupArn)
	mod, err := f.lb.ModifyListener(f.ctx, &elb.ModifyListenerInput{ListenerArn: l81.ListenerArn, Port: aws.Int32(8443), Protocol: types.ProtocolEnumTls,
		Certificates:   []types.Certificate{{CertificateArn: aws.String(certARN)}},
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tls.TargetGroupArn}}})
	f.must(err)
	if m := mod.Listeners[0]; aws.ToInt32(m.Port) != 8443 || m.Protocol != types.ProtocolEnumTls || aws.ToString(m.SslPolicy) == "" {
		t.Errorf("modified: %+v", m)
	}
	_, err = f.lb.ModifyListener(f.ctx, &elb.ModifyListenerInput{ListenerArn: l81.ListenerArn, Port: aws.Int32(80)})
	f.wantErr(err, "ValidationError", "Listener port '80' is already in use")
	_, err = f.lb.ModifyListener(f.ctx, &elb.ModifyListenerInput{ListenerArn: l80.ListenerArn, Protocol: types.ProtocolEnumUdp})
	f.wantErr(err, "IncompatibleProtocols", "")

	byLB, err := f.lb.DescribeListeners(f.ctx, &elb.DescribeListenersInput{LoadBalancerArn: nlb.LoadBalancerArn, PageSize: aws.Int32(1)})
	f.must(err)
	next, err := f.lb.DescribeListeners(f.ctx, &elb.DescribeListenersInput{LoadBalancerArn: nlb.LoadBalancerArn, PageSize: aws.Int32(1), Marker: byLB.NextMarker})
	f.must(err)
	if len(byLB.Listeners) != 1 || byLB.NextMarker == nil || len(next.Listeners) != 1 || next.NextMarker != nil {
		t.Errorf("pages: %+v / %+v", byLB.Listeners, next.Listeners)
	}
	byARN, err := f.lb.DescribeListeners(f.ctx, &elb.DescribeListenersInput{ListenerArns: []string{aws.ToString(l80.ListenerArn)}})
	f.must(err)
	if len(byARN.Listeners) != 1 || aws.ToInt32(byARN.Listeners[0].Port) != 80 {
		t.Errorf("by ARN: %+v", byARN.Listeners)
	}
	_, err = f.lb.DeleteListener(f.ctx, &elb.DeleteListenerInput{ListenerArn: l80.ListenerArn})
	f.must(err)
	checkRefusals(t, []refusal{
		{"deleted", func() error {
			_, err := f.lb.DeleteListener(f.ctx, &elb.DeleteListenerInput{ListenerArn: l80.ListenerArn})
			return err
		}, "ListenerNotFound", "One or more listeners not found"},
		{"described deleted", func() error {
			_, err := f.lb.DescribeListeners(f.ctx, &elb.DescribeListenersInput{ListenerArns: []string{aws.ToString(l80.ListenerArn)}})
			return err
		}, "ListenerNotFound", "One or more listeners not found"},
		{"neither", func() error {
			_, err := f.lb.DescribeListeners(f.ctx, &elb.DescribeListenersInput{})
			return err
		}, "ValidationError", "either"},
		{"attribute of another kind", func() error {
			_, err := f.lb.ModifyListenerAttributes(f.ctx, &elb.ModifyListenerAttributesInput{ListenerArn: l81.ListenerArn,
				Attributes: []types.ListenerAttribute{{Key: aws.String("routing.http.response.server.enabled"), Value: aws.String("false")}}})
			return err
		}, "InvalidConfigurationRequest", "not supported"},
		{"idle timeout range", func() error {
			_, err := f.lb.ModifyListenerAttributes(f.ctx, &elb.ModifyListenerAttributesInput{ListenerArn: l81.ListenerArn,
				Attributes: []types.ListenerAttribute{{Key: aws.String("tcp.idle_timeout.seconds"), Value: aws.String("10")}}})
			return err
		}, "ValidationError", "tcp.idle_timeout.seconds"},
	})
}
