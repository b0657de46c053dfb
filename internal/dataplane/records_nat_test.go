package dataplane

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/cloudtest"
	"github.com/vpcemu/vpcemu/internal/reach"
)

// throughRec is a record as these tests compare it: the interface (by
// name), direction, action, srcaddr:srcport > dstaddr:dstport, pkt-srcaddr
// > pkt-dstaddr and traffic-path.
type throughRec struct {
	eni, dir, action, addrs, pkt string
	path                         int
}

// A NAT gateway's interface logs a flow from an instance to the internet
// as AWS's documented example does, four records: the request arriving
// (dstaddr its own address, pkt-dstaddr the server's), leaving translated,
// the reply arriving, and the reply leaving to the instance (srcaddr its
// own address, pkt-srcaddr the server's). Its subnet's network ACL rejects
// where it stops a packet: the reply from the internet, or the request.
// The path still ends beyond AWS, through the NAT and internet gateways.
func TestRecordsNATGateway(t *testing.T) {
	c := cloudtest.Open(t)
	ctx, who, net := context.Background(), cloudtest.Alice, network.New(c)
	vpc := must(net.CreateVPC(ctx, who, network.CreateVPCInput{CIDRBlock: "10.0.0.0/16"}))
	public := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.0.0/24"}))
	private := must(net.CreateSubnet(ctx, who, network.CreateSubnetInput{VpcID: vpc.ID, CIDRBlock: "10.0.1.0/24"}))
	igw := must(net.CreateInternetGateway(ctx, who, nil))
	must(0, net.AttachInternetGateway(ctx, who, igw.ID, vpc.ID))
	route := func(subnet string, r network.Route) {
		rt := must(net.CreateRouteTable(ctx, who, vpc.ID, nil))
		must(net.AssociateRouteTable(ctx, who, rt.ID, subnet, ""))
		r.DestinationCIDR = "0.0.0.0/0"
		must(0, net.CreateRoute(ctx, who, rt.ID, r))
	}
	route(public.ID, network.Route{GatewayID: igw.ID})
	eip := must(net.AllocateAddress(ctx, who, network.AllocateAddressInput{}))
	nat := must(net.CreateNATGateway(ctx, who, network.CreateNATGatewayInput{SubnetID: public.ID, AllocationID: eip.ID, PrivateIP: "10.0.0.220"}))
	route(private.ID, network.Route{NATGatewayID: nat.ID})
	zero := int32(0)
	app := must(net.RunInstances(ctx, who, network.RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1,
		Interfaces: []network.LaunchInterface{{DeviceIndex: &zero, SubnetID: private.ID, PrivateIP: "10.0.1.5"}}})).Instances[0]

	// The public subnet's ACLs: the VPC's default lets everything through;
	// one lets in only the VPC's own traffic (not the internet's replies);
	// one lets nothing in.
	acl := func(rules ...network.NetworkACLEntryInput) string {
		a := must(net.CreateNetworkACL(ctx, who, vpc.ID, nil))
		for _, r := range rules {
			r.NetworkACLID = a.ID
			must(0, net.CreateNetworkACLEntry(ctx, who, r))
		}
		return a.ID
	}
	out := network.NetworkACLEntryInput{RuleNumber: 100, Egress: true, Protocol: "-1", RuleAction: "allow", CIDRBlock: "0.0.0.0/0"}
	vpcOnly := acl(out, network.NetworkACLEntryInput{RuleNumber: 100, Protocol: "-1", RuleAction: "allow", CIDRBlock: "10.0.0.0/16"})
	closed := acl(out)
	live := netview.NewLive(c)
	defaultACL := must(live.Current(ctx)).Subnet(public.ID).ACL.ID
	d := NewDecider(live)

	flow := Flow{Instance: app.ID, Src: netip.MustParseAddrPort("10.0.1.5:40000"), Dst: netip.MustParseAddrPort("203.0.113.5:80"), Protocol: reach.TCP}
	natENI := nat.Primary().NetworkInterfaceID
	names := map[string]string{app.NetworkInterfaces[0]: "app", natENI: "nat"}
	cases := []struct {
		name string
		// the ACLs of the public subnet (the NAT gateway's) and the
		// private one (the instance's)
		public, private string
		want            []throughRec
	}{
		{"carried", defaultACL, defaultACL, []throughRec{
			{"app", "egress", accept, "10.0.1.5:40000 > 203.0.113.5:80", "10.0.1.5 > 203.0.113.5", 1},
			{"app", "ingress", accept, "203.0.113.5:80 > 10.0.1.5:40000", "203.0.113.5 > 10.0.1.5", 0},
			{"nat", "ingress", accept, "10.0.1.5:40000 > 10.0.0.220:80", "10.0.1.5 > 203.0.113.5", 0},
			{"nat", "egress", accept, "10.0.0.220:80 > 10.0.1.5:40000", "203.0.113.5 > 10.0.1.5", 1},
			{"nat", "egress", accept, "10.0.0.220:61000 > 203.0.113.5:80", "10.0.0.220 > 203.0.113.5", 8},
			{"nat", "ingress", accept, "203.0.113.5:80 > 10.0.0.220:61000", "203.0.113.5 > 10.0.0.220", 0},
		}},
		{"the reply kept out of the NAT gateway's subnet", vpcOnly, defaultACL, []throughRec{
			{"app", "egress", accept, "10.0.1.5:40000 > 203.0.113.5:80", "10.0.1.5 > 203.0.113.5", 1},
			{"nat", "ingress", accept, "10.0.1.5:40000 > 10.0.0.220:80", "10.0.1.5 > 203.0.113.5", 0},
			{"nat", "egress", accept, "10.0.0.220:61000 > 203.0.113.5:80", "10.0.0.220 > 203.0.113.5", 8},
			{"nat", "ingress", reject, "203.0.113.5:80 > 10.0.0.220:61000", "203.0.113.5 > 10.0.0.220", 0},
		}},
		{"the request kept out of the NAT gateway's subnet", closed, defaultACL, []throughRec{
			{"app", "egress", accept, "10.0.1.5:40000 > 203.0.113.5:80", "10.0.1.5 > 203.0.113.5", 1},
			{"nat", "ingress", reject, "10.0.1.5:40000 > 10.0.0.220:80", "10.0.1.5 > 203.0.113.5", 0},
		}},
		{"the reply kept out of the instance's subnet", defaultACL, vpcOnly, []throughRec{
			{"app", "egress", accept, "10.0.1.5:40000 > 203.0.113.5:80", "10.0.1.5 > 203.0.113.5", 1},
			{"app", "ingress", reject, "203.0.113.5:80 > 10.0.1.5:40000", "203.0.113.5 > 10.0.1.5", 0},
			{"nat", "ingress", accept, "10.0.1.5:40000 > 10.0.0.220:80", "10.0.1.5 > 203.0.113.5", 0},
			{"nat", "egress", accept, "10.0.0.220:80 > 10.0.1.5:40000", "203.0.113.5 > 10.0.1.5", 1},
			{"nat", "egress", accept, "10.0.0.220:61000 > 203.0.113.5:80", "10.0.0.220 > 203.0.113.5", 8},
			{"nat", "ingress", accept, "203.0.113.5:80 > 10.0.0.220:61000", "203.0.113.5 > 10.0.0.220", 0},
		}},
	}
	// use gives a subnet an ACL.
	use := func(subnet, acl string) {
		snap := must(live.Current(ctx))
		if snap.Subnet(subnet).ACL.ID != acl {
			must(net.ReplaceNetworkACLAssociation(ctx, who, associationOf(snap.Subnet(subnet).ACL.Associations, subnet), acl))
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			use(public.ID, tc.public)
			use(private.ID, tc.private)
			v := must(d.Decide(ctx, flow))
			p := planFor(v.snap, flow, v)
			p.port.Store(61000) // the port the data plane's far side got
			if got := throughRecords(t, p, flow, v.Allowed, names); !slices.Equal(got, tc.want) {
				t.Errorf("records\n got %v\nwant %v\n(%s)", got, tc.want, v)
			}
			if v.Allowed && (p.path == nil || p.path.to != "" || p.path.through != nat.ID+" "+igw.ID) {
				t.Errorf("path %+v, want beyond AWS through %s %s", p.path, nat.ID, igw.ID)
			}
		})
	}

	// To S3's public address, the records name the service of the
	// packet's address (pkt-dst-aws-service, pkt-src-aws-service).
	use(public.ID, defaultACL)
	use(private.ID, defaultACL)
	s3 := Flow{Instance: app.ID, Src: flow.Src, Dst: netip.MustParseAddrPort("3.5.0.10:443"), Protocol: reach.TCP}
	v := must(d.Decide(ctx, s3))
	entry := meterEntry{out: count{packets: 1, bytes: 60}, in: count{packets: 1, bytes: 60}}
	var services []string
	for _, r := range planFor(v.snap, s3, v).records(meterKey{6, s3.Src, s3.Dst}, &entry) {
		services = append(services, names[r.Interface]+" "+r.Direction+" "+r.PktSrcAWSService+">"+r.PktDstAWSService)
	}
	if want := []string{"app egress >S3", "app ingress S3>", "nat ingress >S3", "nat egress S3>", "nat egress >S3", "nat ingress S3>"}; !slices.Equal(services, want) {
		t.Errorf("AWS services of the packets' addresses\n got %q\nwant %q", services, want)
	}
	if p := planFor(v.snap, s3, v); p.path == nil || p.path.service != "s3" {
		t.Errorf("path to S3 %+v", p.path)
	}
}

// A flow through an interface endpoint to a Network Load Balancer's
// target is logged on the client's interface, the endpoint's, the load
// balancer's (what its node sends the target, from its own address, and
// the answer) and the target's; not between the endpoint's interface and
// the load balancer's.
func TestRecordsLoadBalancer(t *testing.T) {
	d, cons, prov, endpoint := privateLinkWorld(t)
	ctx := context.Background()
	flow := Flow{Instance: cons.Instance, Src: netip.MustParseAddrPort("10.2.1.5:40000"), Dst: netip.AddrPortFrom(endpoint, 443), Protocol: reach.TCP}
	v := must(d.Decide(ctx, flow))
	s := v.snap
	names := map[string]string{}
	var node string
	for _, n := range s.Interfaces() {
		switch {
		case n.Instance != nil && n.Instance.ID == cons.Instance:
			names[n.ID] = "client"
		case n.Instance != nil && n.Instance.ID == prov.Instance:
			names[n.ID] = "target"
		case n.Endpoint != nil:
			names[n.ID] = "endpoint"
		case n.LoadBalancer != nil:
			names[n.ID], node = "nlb", n.Addrs[0].String()
		}
	}
	p := planFor(s, flow, v)
	p.port.Store(61000)
	ep := endpoint.String()
	want := []throughRec{
		{"client", "egress", accept, "10.2.1.5:40000 > " + ep + ":443", "10.2.1.5 > " + ep, 1},
		{"client", "ingress", accept, ep + ":443 > 10.2.1.5:40000", ep + " > 10.2.1.5", 0},
		{"endpoint", "ingress", accept, "10.2.1.5:40000 > " + ep + ":443", "10.2.1.5 > " + ep, 0},
		{"endpoint", "egress", accept, ep + ":443 > 10.2.1.5:40000", ep + " > 10.2.1.5", 1},
		{"nlb", "egress", accept, node + ":61000 > 10.1.1.10:8443", node + " > 10.1.1.10", 1},
		{"nlb", "ingress", accept, "10.1.1.10:8443 > " + node + ":61000", "10.1.1.10 > " + node, 0},
		{"target", "ingress", accept, node + ":61000 > 10.1.1.10:8443", node + " > 10.1.1.10", 0},
		{"target", "egress", accept, "10.1.1.10:8443 > " + node + ":61000", "10.1.1.10 > " + node, 1},
	}
	if got := throughRecords(t, p, flow, true, names); !slices.Equal(got, want) {
		t.Errorf("records\n got %v\nwant %v\n(%s)", got, want, v)
	}
	// The path ends at the target, not at the load balancer's interface;
	// the meters count the load balancer's interface too.
	if p.path == nil || p.path.to != "us-east-1" || p.path.toZone != "us-east-1a" {
		t.Errorf("path %+v", p.path)
	}
	var metered []string
	for _, h := range p.hops {
		if n := names[h.id]; n != "" {
			metered = append(metered, n)
		}
	}
	if want := []string{"client", "endpoint", "target", "nlb"}; !slices.Equal(metered, want) {
		t.Errorf("metered interfaces %v, want %v", metered, want)
	}
}

// throughRecords are a plan's records of a window of 5 packets out and 4
// back (none back for a blocked flow), as throughRecs.
func throughRecords(t *testing.T, p *plan, f Flow, carried bool, names map[string]string) []throughRec {
	t.Helper()
	entry := meterEntry{out: count{packets: 5, bytes: 400, flags: flagSYN}, in: count{packets: 4, bytes: 900, flags: synACK}}
	if !carried {
		entry.in = count{}
	}
	var got []throughRec
	for _, r := range p.records(meterKey{6, f.Src, f.Dst}, &entry) {
		name := names[r.Interface]
		if name == "" {
			name = r.Interface
		}
		got = append(got, throughRec{name, r.Direction, r.Action, fmt.Sprintf("%s:%d > %s:%d", r.Src, r.SrcPort, r.Dst, r.DstPort),
			r.PktSrc.String() + " > " + r.PktDst.String(), r.TrafficPath})
		if r.VPC == "" || r.Subnet == "" || r.Region == "" || r.Account == "" {
			t.Errorf("record %+v", r)
		}
	}
	return got
}
