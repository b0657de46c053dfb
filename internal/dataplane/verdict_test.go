package dataplane

import (
	"context"
	"net/netip"
	"testing"

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

// The decider carries what the engine finds a path for, to the instance
// the path ends at, and remembers a verdict until something is written.
func TestDecide(t *testing.T) {
	c := cloudtest.Open(t)
	ctx, who, net := context.Background(), cloudtest.Alice, network.New(c)
	vpc := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}))
	subnet := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24"}))
	web := must(net.CreateSecurityGroup(ctx, who, network.CreateSecurityGroupInput{VpcID: vpc.ID, Name: "web", Description: "web"}))
	from, to := int32(8080), int32(8080)
	must(0, func() error {
		_, _, err := net.AuthorizeSecurityGroupRules(ctx, who, network.AuthorizeInput{Group: network.GroupRef{ID: web.ID}, Permissions: []network.Permission{{Protocol: "tcp", FromPort: &from, ToPort: &to, Peers: []network.Peer{{Kind: network.PeerIPv4, CIDR: "10.0.0.0/16"}}}}})
		return err
	}())
	launch := func(groups ...string) *network.Instance {
		zero := int32(0)
		return must(net.RunInstances(ctx, who, network.RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1,
			Interfaces: []network.LaunchInterface{{DeviceIndex: &zero, SubnetID: subnet.ID, Groups: groups}}})).Instances[0]
	}
	client, server := launch(), launch(web.ID)
	addrOf := func(i *network.Instance) netip.Addr {
		return netip.MustParseAddr(cloudtest.ReadAs[network.NetworkInterface](t, c, who, i.NetworkInterfaces[0]).PrimaryIP())
	}
	cAddr, sAddr := addrOf(client), addrOf(server)
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
	must(net.RevokeSecurityGroupRules(ctx, who, network.RevokeInput{Group: network.GroupRef{ID: web.ID}, Permissions: []network.Permission{{Protocol: "tcp", FromPort: &from, ToPort: &to, Peers: []network.Peer{{Kind: network.PeerIPv4, CIDR: "10.0.0.0/16"}}}}}))
	if v := must(d.Decide(ctx, flow(8080))); v.Allowed {
		t.Errorf("after the rule is revoked: %s", v)
	}
}
