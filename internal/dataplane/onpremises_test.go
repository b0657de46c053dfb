package dataplane

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/directconnect"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// onPremWorld is a VPC 10.0.0.0/16 with an instance whose group admits
// TCP 22 from 192.168.0.0/16, a virtual private gateway its table
// propagates, and a private VIF on a Direct Connect gateway associated
// with it, over which on premises advertises 192.168.0.0/16.
type onPremWorld struct {
	live *netview.Live
	dx   *directconnect.Service
	vpc  string
	inst *network.Instance
	ip   netip.Addr
	vif  string
}

func newOnPremWorld(t *testing.T) onPremWorld {
	c := cloudtest.Open(t)
	ctx, who := context.Background(), cloudtest.Alice
	net, dx := network.New(c), directconnect.New(c)
	w := onPremWorld{live: netview.NewLive(c), dx: dx}
	t.Cleanup(func() {
		net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.9.0.0/16"})
		w.live.Current(ctx)
	})
	vpc := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}))
	sub := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a"}))
	sg := must(net.CreateSecurityGroup(ctx, who, network.CreateSecurityGroupInput{VpcID: vpc.ID, Name: "ssh", Description: "ssh"}))
	port := int32(22)
	must(0, func() error {
		_, _, err := net.AuthorizeSecurityGroupRules(ctx, who, network.AuthorizeInput{Group: network.GroupRef{ID: sg.ID},
			Permissions: []network.Permission{{Protocol: "tcp", FromPort: &port, ToPort: &port, Peers: []network.Peer{{Kind: network.PeerIPv4, CIDR: "192.168.0.0/16"}}}}})
		return err
	}())
	zero := int32(0)
	w.inst = must(net.RunInstances(ctx, who, network.RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1,
		Interfaces: []network.LaunchInterface{{DeviceIndex: &zero, SubnetID: sub.ID, Groups: []string{sg.ID}, PrivateIP: "10.0.1.10"}}})).Instances[0]
	w.ip, w.vpc = netip.MustParseAddr("10.0.1.10"), vpc.ID
	vgw := must(net.CreateVPNGateway(ctx, who, network.NewVPNGateway{Type: network.VPNGatewayType}))
	must(net.AttachVPNGateway(ctx, who, vgw.ID, vpc.ID))
	main := must(w.live.Current(ctx)).VPC(vpc.ID).MainTable.ID
	must(0, net.EnableVGWRoutePropagation(ctx, who, main, vgw.ID))
	conn := must(dx.CreateConnection(ctx, who, directconnect.NewConnection{Name: "dc", Location: "EqDC2", Bandwidth: "1Gbps"}))
	gw := must(dx.CreateGateway(ctx, who, directconnect.NewGateway{Name: "dxgw"}))
	must(dx.CreateGatewayAssociation(ctx, who, gw.ID, vgw.ID, nil))
	vif := must(dx.CreateVirtualInterface(ctx, who, directconnect.NewVirtualInterface{
		Type: directconnect.Private, ConnectionID: conn.ID, Name: "corp", Vlan: 101, ASN: 65000, GatewayID: gw.ID}))
	must(dx.Advertise(ctx, who, vif.ID, []string{"192.168.0.0/16"}))
	w.vif = vif.ID
	return w
}

func TestCheckOnPremises(t *testing.T) {
	w := newOnPremWorld(t)
	snap := must(w.live.Current(context.Background()))
	for _, tc := range []struct {
		name      string
		who       cloud.Caller
		via, addr string
		want      string // in the error; "" for none
	}{
		{"a host on premises", cloudtest.Alice, w.vif, "192.168.1.10", ""},
		{"by the VIF's ARN", cloudtest.Alice, "arn:aws:directconnect:us-east-1:111111111111:dxvif/" + w.vif, "192.168.1.10", ""},
		{"an unknown VIF", cloudtest.Alice, "dxvif-00000000", "192.168.1.10", "DirectConnectClientException"},
		{"not a VIF", cloudtest.Alice, "vgw-00000000", "192.168.1.10", "DirectConnectClientException"},
		{"another account's VIF", cloudtest.Bob, w.vif, "192.168.1.10", "DirectConnectClientException"},
		{"inside the VPC", cloudtest.Alice, w.vif, "10.0.7.7", "inside " + w.vpc},
		{"IPv6", cloudtest.Alice, w.vif, "2001:db8::1", "IPv6"},
		{"loopback", cloudtest.Alice, w.vif, "127.0.0.1", "unicast"},
		{"not an address", cloudtest.Alice, w.vif, "host.example", "Expected an IPv4 address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, addr, err := checkOnPremises(snap, tc.who, tc.via, tc.addr)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %s", err.Message)
			case tc.want == "" && (o.VIF.ID != w.vif || addr.String() != tc.addr):
				t.Errorf("got %s %s", o.VIF.ID, addr)
			case tc.want != "" && (err == nil || !strings.Contains(err.Code+" "+err.Message, tc.want)):
				t.Errorf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// TestDecideOnPremises: flows from on premises ask what `vpcemu analyze
// --from ADDR --via VIF` asks, and flows to it end behind the VIF; the
// VIF down drops both.
func TestDecideOnPremises(t *testing.T) {
	w := newOnPremWorld(t)
	ctx := context.Background()
	d := NewDecider(w.live)
	host := netip.MustParseAddr("192.168.1.10")
	in := Flow{Via: w.vif, Src: netip.AddrPortFrom(host, 40000), Dst: netip.AddrPortFrom(w.ip, 22), Protocol: reach.TCP}
	out := Flow{Instance: w.inst.ID, Src: netip.AddrPortFrom(w.ip, 40000), Dst: netip.AddrPortFrom(host, 22), Protocol: reach.TCP}

	v := must(d.Decide(ctx, in))
	snap := must(w.live.Current(ctx))
	analyzed := reach.Analyze(snap, reach.Query{SourceIP: host, Via: w.vif, DestinationIP: w.ip, Protocol: reach.TCP, DestinationPort: 22})
	if !v.Allowed || v.To != w.inst.ID || v.Via != "" || v.Dst != in.Dst || analyzed.NetworkPathFound != v.Allowed {
		t.Errorf("from on premises: %s (analyze: %v)", v, analyzed.NetworkPathFound)
	}
	if got := in.player(); got != w.vif+"/192.168.1.10" {
		t.Errorf("the flow's player: %q", got)
	}
	p := planFor(v.snap, in, v)
	if len(p.views) != 1 || p.views[0].in == nil || p.views[0].eni.Instance.ID != w.inst.ID || !p.fromOnPremises || p.path == nil ||
		!slices.ContainsFunc(p.hops, func(h meterHop) bool { return strings.HasPrefix(h.id, "vgw-") }) {
		t.Fatalf("the plan of a flow from on premises: %+v", p)
	}
	// The instance's interface logs the request in and the reply out,
	// through the virtual private gateway (traffic-path 3).
	recs := p.records(meterKey{6, in.Src, in.Dst}, &meterEntry{out: count{packets: 1, bytes: 60, flags: flagSYN}, in: count{packets: 1, bytes: 60, flags: synACK}})
	if len(recs) != 2 || recs[0].Direction != "ingress" || recs[0].Src != host || recs[0].SrcPort != 40000 || recs[0].Dst != w.ip || recs[0].Action != accept ||
		recs[1].Direction != "egress" || recs[1].TrafficPath != 3 || recs[1].Dst != host || recs[1].Instance != w.inst.ID {
		t.Errorf("the records of a flow from on premises: %+v", recs)
	}
	// What goes back on premises is what leaves AWS: the path's out.
	var m meters
	m.add(p, &meterEntry{out: count{packets: 1, bytes: 100}, in: count{packets: 2, bytes: 5000}})
	if pm := m.list("").Paths; len(pm) != 1 || pm[0].BytesOut != 5000 || pm[0].BytesIn != 100 || pm[0].Account != cloudtest.Alice.Account || pm[0].ToRegion != "" {
		t.Errorf("the path of a flow from on premises: %+v", pm)
	}

	v = must(d.Decide(ctx, out))
	if !v.Allowed || v.Via != w.vif || v.To != "" || v.Dst != out.Dst {
		t.Errorf("to on premises: %s", v)
	}
	p = planFor(v.snap, out, v)
	if len(p.views) != 1 || p.views[0].in != nil || p.views[0].out == nil || p.views[0].out.path != 3 || p.path == nil || p.path.to != "" ||
		!strings.HasPrefix(p.path.through, "vgw-") {
		t.Errorf("the plan of a flow to on premises: %+v, path %+v", p, p.path)
	}

	g := newGate(d, in, must(d.Decide(ctx, in)).snap)
	if !g.passes() {
		t.Fatal("a carried flow from on premises does not pass its gate")
	}
	must(w.dx.SetState(ctx, cloudtest.Alice, w.vif, "down"))
	if g.passes() {
		t.Error("a connection from on premises goes on over a VIF that went down")
	}
	for _, f := range []Flow{in, out} {
		if v := must(d.Decide(ctx, f)); v.Allowed {
			t.Errorf("with the VIF down, %s -> %s: %s", f.Src, f.Dst, v)
		}
	}
}

func TestRunConfigPlayer(t *testing.T) {
	for _, tc := range []struct {
		cfg  RunConfig
		want string
	}{
		{RunConfig{Instance: "i-1", Addresses: []string{"10.0.1.4/24"}}, "i-1"},
		{RunConfig{Via: "dxvif-1", Addresses: []string{"192.168.1.10/32"}}, "dxvif-1/192.168.1.10"},
	} {
		if got := tc.cfg.Player(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.cfg, got, tc.want)
		}
	}
}
