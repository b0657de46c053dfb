package elb

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

var alice, bob = cloudtest.Alice, cloudtest.Bob

var (
	wantReason  = cloudtest.WantReason
	refusedWith = cloudtest.RefusedWith
)

// dry is who with DryRun set.
func dry(who cloud.Caller) cloud.Caller {
	who.DryRun = true
	return who
}

// fixture is the family on a fresh store with sequential ids, used by
// alice, who has a VPC 10.0.0.0/16 with an internet gateway and a subnet
// 10.0.i.0/24 in each of us-east-1a, b and c.
type fixture struct {
	t       *testing.T
	c       *cloud.Cloud
	net     *network.Service
	elb     *Service
	ctx     context.Context
	now     time.Time // the kernel's clock
	vpc     *network.VPC
	subnets []string
}

func newFixture(t *testing.T, opts ...cloud.Option) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	f.c = cloudtest.Open(t, append([]cloud.Option{cloud.WithIDs(cloud.SequentialIDs()), cloud.WithClock(func() time.Time { return f.now })}, opts...)...)
	f.net, f.elb = network.New(f.c), New(f.c)
	f.vpc = f.newVPC("10.0.0.0/16", true)
	for i, zone := range []string{"us-east-1a", "us-east-1b", "us-east-1c"} {
		f.subnets = append(f.subnets, f.newSubnet(f.vpc.ID, fmt.Sprintf("10.0.%d.0/24", i), zone))
	}
	return f
}

func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// newVPC makes a VPC of alice's, with an internet gateway when igw.
func (f *fixture) newVPC(block string, igw bool) *network.VPC {
	f.t.Helper()
	v, err := f.net.CreateVPC(f.ctx, alice, network.CreateVPCInput{CIDRBlock: block})
	f.must(err)
	if igw {
		g, err := f.net.CreateInternetGateway(f.ctx, alice, nil)
		f.must(err)
		f.must(f.net.AttachInternetGateway(f.ctx, alice, g.ID, v.ID))
	}
	return v
}

func (f *fixture) newSubnet(vpc, block, zone string) string {
	f.t.Helper()
	s, err := f.net.CreateSubnet(f.ctx, alice, network.CreateSubnetInput{VpcID: vpc, CIDRBlock: block, AvailabilityZone: zone})
	f.must(err)
	return s.ID
}

// launch runs an instance of alice's in a subnet.
func (f *fixture) launch(subnet string) string {
	f.t.Helper()
	r, err := f.net.RunInstances(f.ctx, alice, network.RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, SubnetID: subnet})
	f.must(err)
	return r.Instances[0].ID
}

// group creates a security group in a VPC.
func (f *fixture) group(vpc, name string) string {
	f.t.Helper()
	g, err := f.net.CreateSecurityGroup(f.ctx, alice, network.CreateSecurityGroupInput{VpcID: vpc, Name: name, Description: name})
	f.must(err)
	return g.ID
}

// createLB creates one of alice's load balancers.
func (f *fixture) createLB(in CreateLoadBalancerInput) *LoadBalancer {
	f.t.Helper()
	lb, err := f.elb.CreateLoadBalancer(f.ctx, alice, in)
	f.must(err)
	return lb
}

// nlb is an internal network load balancer in the first two subnets.
func (f *fixture) nlb(name string) *LoadBalancer {
	return f.createLB(CreateLoadBalancerInput{Name: name, Type: LBNetwork, Scheme: SchemeInternal, Subnets: f.subnets[:2]})
}

// alb is an internet-facing application load balancer in the first two
// subnets.
func (f *fixture) alb(name string) *LoadBalancer {
	return f.createLB(CreateLoadBalancerInput{Name: name, Subnets: f.subnets[:2]})
}

// gwlb is a gateway load balancer in the first subnet.
func (f *fixture) gwlb(name string) *LoadBalancer {
	return f.createLB(CreateLoadBalancerInput{Name: name, Type: LBGateway, Subnets: f.subnets[:1]})
}

// targetGroup creates a group in the fixture's VPC.
func (f *fixture) targetGroup(name, protocol string, port int32, targetType string) *TargetGroup {
	f.t.Helper()
	g, err := f.elb.CreateTargetGroup(f.ctx, alice, CreateTargetGroupInput{Name: name, Protocol: protocol, Port: &port, VpcID: f.vpc.ID, TargetType: targetType})
	f.must(err)
	return g
}

// forward creates a listener that forwards to a group.
func (f *fixture) forward(lbARN, protocol string, port int32, tgARN string) *Listener {
	f.t.Helper()
	in := ListenerInput{Protocol: protocol, Actions: []ActionInput{{Type: ActionForward, TargetGroupARN: tgARN}}}
	if port != 0 {
		in.Port = &port
	}
	l, err := f.elb.CreateListener(f.ctx, alice, lbARN, in)
	f.must(err)
	return l
}

// get reads one of alice's resources as Describe shows it.
func get[T any, P cloud.ObjectPtr[T]](f *fixture, id string) P {
	f.t.Helper()
	return cloudtest.ReadAs[T, P](f.t, f.c, alice, id)
}

// interfaces are the interfaces of a load balancer, by their description.
func (f *fixture) interfaces(lb *LoadBalancer) []*network.NetworkInterface {
	f.t.Helper()
	page, err := cloud.List[network.NetworkInterface](f.ctx, f.c, alice, cloud.Query{}, func(e *network.NetworkInterface) bool {
		return e.Description == "ELB "+lb.path()
	})
	f.must(err)
	return page.Items
}

// attrMap turns attributes into a map.
func attrMap(list []Attribute) map[string]string {
	m := map[string]string{}
	for _, a := range list {
		m[a.Key] = a.Value
	}
	return m
}

// attrs are key, value, key, value… as attributes.
func attrs(kv ...string) []Attribute {
	var out []Attribute
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, Attribute{Key: kv[i], Value: kv[i+1]})
	}
	return out
}

// missingARN is an ARN like arn of the same kind that names nothing.
func missingARN(arn string) string {
	return arn[:len(arn)-16] + strings.Repeat("f", 16)
}

func ptr[T any](v T) *T { return &v }

// Certificates, taken on trust.
const (
	certA = "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012"
	certB = "arn:aws:acm:us-east-1:111111111111:certificate/22345678-1234-1234-1234-123456789012"
	certC = "arn:aws:iam::111111111111:server-certificate/web"
)
