package dataplane

import (
	"context"
	"net/netip"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
	"github.com/vpcemu/vpcemu/internal/reach"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// webPair is the data plane's smallest network, built as Alice: in VPC
// 10.0.0.0/16's subnet 10.0.1.0/24, a client instance and a server
// instance whose security group web lets the VPC in on TCP 8080 (rule).
type webPair struct {
	net                    *network.Service
	web                    string
	rule                   network.Permission
	client, server         *network.Instance
	clientAddr, serverAddr netip.Addr
}

func newWebPair(t *testing.T, c *cloud.Cloud) *webPair {
	ctx, who, net := context.Background(), cloudtest.Alice, network.New(c)
	vpc := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}))
	subnet := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24"}))
	web := must(net.CreateSecurityGroup(ctx, who, network.CreateSecurityGroupInput{VpcID: vpc.ID, Name: "web", Description: "web"}))
	port := int32(8080)
	p := &webPair{net: net, web: web.ID, rule: network.Permission{Protocol: "tcp", FromPort: &port, ToPort: &port, Peers: []network.Peer{{Kind: network.PeerIPv4, CIDR: "10.0.0.0/16"}}}}
	must(0, func() error {
		_, _, err := net.AuthorizeSecurityGroupRules(ctx, who, network.AuthorizeInput{Group: network.GroupRef{ID: web.ID}, Permissions: []network.Permission{p.rule}})
		return err
	}())
	launch := func(groups ...string) *network.Instance {
		zero := int32(0)
		return must(net.RunInstances(ctx, who, network.RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1,
			Interfaces: []network.LaunchInterface{{DeviceIndex: &zero, SubnetID: subnet.ID, Groups: groups}}})).Instances[0]
	}
	addrOf := func(i *network.Instance) netip.Addr {
		return netip.MustParseAddr(cloudtest.ReadAs[network.NetworkInterface](t, c, who, i.NetworkInterfaces[0]).PrimaryIP())
	}
	p.client, p.server = launch(), launch(web.ID)
	p.clientAddr, p.serverAddr = addrOf(p.client), addrOf(p.server)
	return p
}

// The decider carries what the engine finds a path for, to the instance
// the path ends at, and remembers a verdict until something is written.
func TestDecide(t *testing.T) {
	c := cloudtest.Open(t)
	ctx, p := context.Background(), newWebPair(t, c)
	client, server, cAddr, sAddr := p.client, p.server, p.clientAddr, p.serverAddr
	d := NewDecider(netview.NewLive(c))
	flow := func(port uint16) Flow {
		return Flow{Instance: client.ID, Src: netip.AddrPortFrom(cAddr, 40000), Dst: netip.AddrPortFrom(sAddr, port), Protocol: reach.TCP}
	}
	cases := []struct {
		name    string
		flow    Flow
		allowed bool
		code    reach.Code
	}{
		{"the group lets it in", flow(8080), true, ""},
		{"a port the group does not open", flow(9090), false, reach.ENISGRulesMismatch},
		{"an address nothing holds", Flow{Instance: client.ID, Src: netip.AddrPortFrom(cAddr, 40000), Dst: netip.MustParseAddrPort("10.0.1.200:8080"), Protocol: reach.TCP}, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := must(d.Decide(ctx, tc.flow))
			if v.Allowed != tc.allowed {
				t.Fatalf("allowed %v, want %v (%s)", v.Allowed, tc.allowed, v)
			}
			if tc.allowed && (v.To != server.ID || v.Dst != tc.flow.Dst || v.Src != tc.flow.Src) {
				t.Errorf("delivered %s", v)
			}
			if tc.code != "" && (len(v.Result.Explanations) == 0 || v.Result.Explanations[0].ExplanationCode != tc.code) {
				t.Errorf("explained %+v, want %s", v.Result.Explanations, tc.code)
			}
		})
	}
	// A write changes the next verdict at once.
	must(p.net.RevokeSecurityGroupRules(ctx, cloudtest.Alice, network.RevokeInput{Group: network.GroupRef{ID: p.web}, Permissions: []network.Permission{p.rule}}))
	if v := must(d.Decide(ctx, flow(8080))); v.Allowed {
		t.Errorf("after the rule is revoked: %s", v)
	}
}
