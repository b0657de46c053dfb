package elbv2_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/emulator"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// fixture is one test's emulator (with the options newFixture is given)
// with clients of account A in us-east-1, and a VPC (10.0.0.0/16, internet
// gateway attached) with a subnet in each of three zones.
type fixture struct {
	t       *testing.T
	em      *emulator.Emulator
	ec2     *ec2.Client
	lb      *elb.Client
	ctx     context.Context
	clock   *emulatortest.Clock
	vpc     string
	subnets []string // us-east-1a, -1b, -1c
}

func newFixture(t *testing.T, opts ...cloud.Option) *fixture {
	clock := emulatortest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	em := emulatortest.Start(t, append([]cloud.Option{cloud.WithClock(clock.Now)}, opts...)...)
	f := &fixture{t: t, em: em, ctx: context.Background(), clock: clock,
		ec2: emulatortest.EC2(em, emulatortest.AccountA, "us-east-1"),
		lb:  emulatortest.ELBv2(em, emulatortest.AccountA, "us-east-1")}
	f.vpc = f.newVPC("10.0.0.0/16", true)
	for i, zone := range []string{"us-east-1a", "us-east-1b", "us-east-1c"} {
		f.subnets = append(f.subnets, f.newSubnet(f.vpc, fmt.Sprintf("10.0.%d.0/24", i), zone))
	}
	return f
}

// must fails the test on any error.
func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// wantErr fails the test unless err is an AWS error with code and a
// message that contains msg ("" for any message).
func (f *fixture) wantErr(err error, code, msg string) {
	f.t.Helper()
	wantAPIError(f.t, "", err, code, msg)
}

func wantAPIError(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	got, m := emulatortest.APIError(err)
	if got != code || !strings.Contains(m, msg) {
		t.Fatalf("%s: want %s (%q), got %v", what, code, msg, err)
	}
}

// refusal is a call that must fail with an AWS error code and a message
// that contains msg.
type refusal struct {
	name string
	call func() error
	code string
	msg  string
}

func checkRefusals(t *testing.T, cases []refusal) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, tc.name, tc.call(), tc.code, tc.msg) })
	}
}

// newVPC makes a VPC, with an internet gateway when igw.
func (f *fixture) newVPC(block string, igw bool) string {
	f.t.Helper()
	v, err := f.ec2.CreateVpc(f.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(block)})
	f.must(err)
	if igw {
		g, err := f.ec2.CreateInternetGateway(f.ctx, &ec2.CreateInternetGatewayInput{})
		f.must(err)
		_, err = f.ec2.AttachInternetGateway(f.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: g.InternetGateway.InternetGatewayId, VpcId: v.Vpc.VpcId})
		f.must(err)
	}
	return aws.ToString(v.Vpc.VpcId)
}

func (f *fixture) newSubnet(vpc, block, zone string) string {
	f.t.Helper()
	s, err := f.ec2.CreateSubnet(f.ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: &block, AvailabilityZone: &zone})
	f.must(err)
	return aws.ToString(s.Subnet.SubnetId)
}

// createLB creates a load balancer and returns it.
func (f *fixture) createLB(in *elb.CreateLoadBalancerInput) types.LoadBalancer {
	f.t.Helper()
	out, err := f.lb.CreateLoadBalancer(f.ctx, in)
	f.must(err)
	return out.LoadBalancers[0]
}

// nlb creates an internal network load balancer in the first two subnets.
func (f *fixture) nlb(name string) types.LoadBalancer {
	return f.createLB(&elb.CreateLoadBalancerInput{Name: &name, Type: types.LoadBalancerTypeEnumNetwork,
		Scheme: types.LoadBalancerSchemeEnumInternal, Subnets: f.subnets[:2]})
}

// gwlb creates a gateway load balancer in the first subnet.
func (f *fixture) gwlb(name string) types.LoadBalancer {
	return f.createLB(&elb.CreateLoadBalancerInput{Name: &name, Type: types.LoadBalancerTypeEnumGateway, Subnets: f.subnets[:1]})
}

// targetGroup creates a target group in the fixture's VPC.
func (f *fixture) targetGroup(name string, protocol types.ProtocolEnum, port int32, targetType types.TargetTypeEnum) types.TargetGroup {
	f.t.Helper()
	out, err := f.lb.CreateTargetGroup(f.ctx, &elb.CreateTargetGroupInput{Name: &name, Protocol: protocol, Port: &port,
		VpcId: &f.vpc, TargetType: targetType})
	f.must(err)
	return out.TargetGroups[0]
}

// forward creates a listener that forwards to a target group.
func (f *fixture) forward(lbARN *string, protocol types.ProtocolEnum, port int32, tgARN *string) types.Listener {
	f.t.Helper()
	in := &elb.CreateListenerInput{LoadBalancerArn: lbARN, Protocol: protocol,
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tgARN}}}
	if port != 0 {
		in.Port = &port
	}
	out, err := f.lb.CreateListener(f.ctx, in)
	f.must(err)
	return out.Listeners[0]
}

// interfaces lists the interfaces a load balancer has, by description.
func (f *fixture) interfaces(lbARN string) []ec2types.NetworkInterface {
	f.t.Helper()
	path := lbARN[strings.Index(lbARN, ":loadbalancer/")+len(":loadbalancer/"):]
	out, err := f.ec2.DescribeNetworkInterfaces(f.ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []ec2types.Filter{
		{Name: aws.String("description"), Values: []string{"ELB " + path}},
	}})
	f.must(err)
	return out.NetworkInterfaces
}

// attrs turns attribute lists into maps.
func attrs[A any](list []A, kv func(A) (*string, *string)) map[string]string {
	m := map[string]string{}
	for _, a := range list {
		k, v := kv(a)
		m[aws.ToString(k)] = aws.ToString(v)
	}
	return m
}

func lbAttrMap(list []types.LoadBalancerAttribute) map[string]string {
	return attrs(list, func(a types.LoadBalancerAttribute) (*string, *string) { return a.Key, a.Value })
}

func tgAttrMap(list []types.TargetGroupAttribute) map[string]string {
	return attrs(list, func(a types.TargetGroupAttribute) (*string, *string) { return a.Key, a.Value })
}

// sameMap fails the test unless got holds exactly want.
func sameMap(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %d entries %v, want %d %v", what, len(got), got, len(want), want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got[k], v)
		}
	}
}
