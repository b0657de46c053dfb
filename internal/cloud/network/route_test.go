package network

import (
	"context"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// routeFixture is a VPC with a subnet and a custom route table, and a
// second VPC, for tests that put targets (NAT gateways, instances,
// interfaces) straight into the store.
type routeFixture struct {
	fixture
	rt       *RouteTable
	otherVPC *VPC
	otherSub *Subnet
}

func newRouteFixture(t *testing.T) *routeFixture {
	t.Helper()
	f := &routeFixture{fixture: newFixture(t, "", cloud.WithIDs(cloud.SequentialIDs()))}
	ctx := context.Background()
	var err error
	if f.rt, err = f.c.CreateRouteTable(ctx, f.who, f.vpc.ID, nil); err != nil {
		t.Fatal(err)
	}
	if f.otherVPC, err = f.c.CreateVPC(ctx, f.who, CreateVPCInput{CIDRBlock: "10.1.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	if f.otherSub, err = f.c.CreateSubnet(ctx, f.who, CreateSubnetInput{VpcID: f.otherVPC.ID, CIDRBlock: "10.1.1.0/24"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *routeFixture) meta(t *cloud.Txn, prefix string) cloud.Meta {
	return cloud.Meta{ID: t.NewID(prefix), Owner: f.who.Account, Region: f.who.Region}
}

func (f *routeFixture) nat(s *Subnet, state string) *NATGateway {
	var nat *NATGateway
	f.write(func(tx *cloud.Txn) error {
		nat = &NATGateway{Meta: f.meta(tx, "nat-"), SubnetID: s.ID, VpcID: s.VpcID, ConnectivityType: "public", State: state}
		return cloud.Put(tx, nat)
	})
	return nat
}

// instance puts a running instance with n interfaces in s.
func (f *routeFixture) instance(s *Subnet, n int) *Instance {
	var inst *Instance
	f.write(func(tx *cloud.Txn) error {
		inst = &Instance{Meta: f.meta(tx, "i-"), State: "running", SubnetID: s.ID, VpcID: s.VpcID}
		for i := range n {
			eni, err := CreateInterface(tx, s, InterfaceSpec{})
			if err != nil {
				return err
			}
			eni.Status = "in-use"
			eni.Attachment = &InterfaceAttachment{ID: tx.NewID("eni-attach-"), InstanceID: inst.ID, InstanceOwnerID: f.who.Account, DeviceIndex: int32(i), Status: "attached"}
			if err := cloud.Put(tx, eni); err != nil {
				return err
			}
			inst.NetworkInterfaces = append(inst.NetworkInterfaces, eni.ID)
		}
		return cloud.Put(tx, inst)
	})
	return inst
}

func (f *routeFixture) update(o cloud.Object, change func()) {
	f.write(func(tx *cloud.Txn) error { change(); return cloud.Put(tx, o) })
}

func (f *routeFixture) route(dest string) Route {
	f.t.Helper()
	rt, err := f.c.GetRouteTable(context.Background(), f.who, f.rt.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, r := range rt.Routes {
		if r.Destination() == dest {
			return r
		}
	}
	f.t.Fatalf("no route to %s in %+v", dest, rt.Routes)
	return Route{}
}

func TestRouteToNATGateway(t *testing.T) {
	f := newRouteFixture(t)
	ctx := context.Background()
	nat := f.nat(f.subnet, "available")
	if err := f.c.CreateRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "0.0.0.0/0", NATGatewayID: nat.ID}); err != nil {
		t.Fatal(err)
	}
	if r := f.route("0.0.0.0/0"); r.NATGatewayID != nat.ID || r.State != "active" || r.Origin != OriginCreateRoute {
		t.Fatalf("route to NAT: %+v", r)
	}
	f.update(nat, func() { nat.State = "deleted" })
	if r := f.route("0.0.0.0/0"); r.State != "blackhole" {
		t.Fatalf("route to a deleted NAT gateway: %+v", r)
	}

	err := f.c.CreateRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "1.0.0.0/8", NATGatewayID: nat.ID})
	wantReason(t, err, cloud.NotFound, cloud.SubjectNATGatewayTarget, "The natGateway ID '"+nat.ID+"' does not exist")
	err = f.c.CreateRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "1.0.0.0/8", NATGatewayID: "nat-0123456789abcdef0"})
	wantReason(t, err, cloud.NotFound, cloud.SubjectNATGatewayTarget, "does not exist")

	other := f.nat(f.otherSub, "available")
	err = f.c.CreateRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "1.0.0.0/8", NATGatewayID: other.ID})
	wantReason(t, err, cloud.InvalidParameter, "", "belong to different networks")

	// A NAT gateway's id given as GatewayId is the wrong kind.
	err = f.c.CreateRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "1.0.0.0/8", GatewayID: other.ID})
	wantReason(t, err, cloud.NotFound, cloud.SubjectGatewayTarget, "The gateway ID '"+other.ID+"' does not exist")
}

func TestRouteToInstance(t *testing.T) {
	f := newRouteFixture(t)
	ctx := context.Background()
	inst := f.instance(f.subnet, 1)
	if err := f.c.CreateRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "192.168.0.0/16", InstanceID: inst.ID}); err != nil {
		t.Fatal(err)
	}
	r := f.route("192.168.0.0/16")
	if r.NetworkInterfaceID != inst.NetworkInterfaces[0] || r.InstanceID != inst.ID || r.InstanceOwnerID != f.who.Account || r.State != "active" {
		t.Fatalf("route to an instance: %+v", r)
	}
	// Asking again for the same route (by interface it is the same) is
	// refused: the destination is taken.
	err := f.c.CreateRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "192.168.0.0/16", NetworkInterfaceID: inst.NetworkInterfaces[0]})
	wantReason(t, err, cloud.Duplicate, cloud.KindRoute, "The route identified by 192.168.0.0/16 already exists.")
	f.update(inst, func() { inst.State = "stopped" })
	if r := f.route("192.168.0.0/16"); r.State != "blackhole" {
		t.Fatalf("route to a stopped instance: %+v", r)
	}

	two := f.instance(f.subnet, 2)
	err = f.c.CreateRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "172.16.0.0/12", InstanceID: two.ID})
	wantReason(t, err, cloud.InvalidParameter, cloud.KindInstance, "There are multiple interfaces attached to instance '"+two.ID+"'")

	far := f.instance(f.otherSub, 1)
	err = f.c.CreateRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "172.16.0.0/12", InstanceID: far.ID})
	wantReason(t, err, cloud.InvalidParameter, "", "belong to different networks")

	err = f.c.CreateRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "172.16.0.0/12", InstanceID: "i-0123456789abcdef0"})
	wantReason(t, err, cloud.NotFound, cloud.KindInstance, "does not exist")

	f.update(far, func() { far.State = "terminated" })
	err = f.c.CreateRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "172.16.0.0/12", InstanceID: far.ID})
	wantReason(t, err, cloud.IncorrectState, cloud.KindInstance, "not in a valid state")
}

func TestRouteToNetworkInterface(t *testing.T) {
	f := newRouteFixture(t)
	ctx := context.Background()
	var eni *NetworkInterface
	f.write(func(tx *cloud.Txn) (err error) {
		eni, err = CreateInterface(tx, f.subnet, InterfaceSpec{})
		return err
	})
	// A subnet's block is inside the VPC's: only an interface may take it.
	if err := f.c.CreateRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "10.0.1.0/24", NetworkInterfaceID: eni.ID}); err != nil {
		t.Fatal(err)
	}
	if r := f.route("10.0.1.0/24"); r.NetworkInterfaceID != eni.ID || r.InstanceID != "" || r.State != "blackhole" {
		t.Fatalf("route to a detached interface: %+v", r)
	}
	f.update(eni, func() { eni.Status = "in-use" })
	if r := f.route("10.0.1.0/24"); r.State != "active" {
		t.Fatalf("route to an interface in use: %+v", r)
	}

	var far *NetworkInterface
	f.write(func(tx *cloud.Txn) (err error) {
		far, err = CreateInterface(tx, f.otherSub, InterfaceSpec{})
		return err
	})
	err := f.c.CreateRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "8.8.8.8/32", NetworkInterfaceID: far.ID})
	wantReason(t, err, cloud.InvalidParameter, "", "route table "+f.rt.ID+" and interface "+far.ID+" belong to different networks")

	// The local route can be sent through an appliance and back.
	if err := f.c.ReplaceRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "10.0.0.0/16", NetworkInterfaceID: eni.ID}, false); err != nil {
		t.Fatal(err)
	}
	if r := f.route("10.0.0.0/16"); r.NetworkInterfaceID != eni.ID || r.GatewayID != "" || r.Origin != OriginCreateRouteTable {
		t.Fatalf("local route sent to an interface: %+v", r)
	}
	// A new VPC block keeps the replaced local route as it is.
	if _, _, err := f.c.AssociateVPCCIDRBlock(ctx, f.who, f.vpc.ID, "10.2.0.0/16", false, ""); err != nil {
		t.Fatal(err)
	}
	if r := f.route("10.0.0.0/16"); r.NetworkInterfaceID != eni.ID {
		t.Fatalf("local route after a new block: %+v", r)
	}
	if r := f.route("10.2.0.0/16"); r.GatewayID != "local" {
		t.Fatalf("new block's local route: %+v", r)
	}
	if err := f.c.ReplaceRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "10.0.0.0/16"}, true); err != nil {
		t.Fatal(err)
	}
	if r := f.route("10.0.0.0/16"); r.GatewayID != "local" || r.NetworkInterfaceID != "" || r.State != "active" {
		t.Fatalf("local route restored: %+v", r)
	}
	err = f.c.DeleteRoute(ctx, f.who, f.rt.ID, Route{DestinationCIDR: "10.0.0.0/16"})
	wantReason(t, err, cloud.InvalidParameter, "", "cannot remove local route 10.0.0.0/16 in route table "+f.rt.ID)
}

func TestDetachInternetGatewayWithMappedAddress(t *testing.T) {
	f := newRouteFixture(t)
	ctx := context.Background()
	igw, err := f.c.CreateInternetGateway(ctx, f.who, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.c.AttachInternetGateway(ctx, f.who, igw.ID, f.vpc.ID); err != nil {
		t.Fatal(err)
	}
	var eni *NetworkInterface
	f.write(func(tx *cloud.Txn) (err error) {
		eni, err = CreateInterface(tx, f.subnet, InterfaceSpec{})
		if err != nil {
			return err
		}
		eni.PrivateIPs[0].Association = &IPAssociation{PublicIP: "198.18.0.10", IPOwnerID: "amazon"}
		return cloud.Put(tx, eni)
	})
	err = f.c.DetachInternetGateway(ctx, f.who, igw.ID, f.vpc.ID)
	wantReason(t, err, cloud.DependencyViolation, cloud.KindInternetGateway, "Network "+f.vpc.ID+" has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.")
	f.update(eni, func() { eni.PrivateIPs[0].Association = nil })
	if err := f.c.DetachInternetGateway(ctx, f.who, igw.ID, f.vpc.ID); err != nil {
		t.Fatal(err)
	}
}

func TestCheckDHCPConfigurations(t *testing.T) {
	cases := []struct {
		name string
		in   []DHCPConfiguration
		ok   bool
	}{
		{"all keys", []DHCPConfiguration{
			{"domain-name", []string{"example.com"}},
			{"domain-name-servers", []string{"AmazonProvidedDNS", "10.0.0.2"}},
			{"ntp-servers", []string{"169.254.169.123"}},
			{"netbios-name-servers", []string{"10.0.0.5"}},
			{"netbios-node-type", []string{"2"}},
			{"ipv6-address-preferred-lease-time", []string{"140"}},
		}, true},
		{"none", nil, false},
		{"unknown key", []DHCPConfiguration{{"routers", []string{"10.0.0.1"}}}, false},
		{"duplicate key", []DHCPConfiguration{{"domain-name", []string{"a"}}, {"domain-name", []string{"b"}}}, false},
		{"no value", []DHCPConfiguration{{"domain-name", nil}}, false},
		{"five servers", []DHCPConfiguration{{"ntp-servers", []string{"1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5"}}}, false},
		{"server not an address", []DHCPConfiguration{{"ntp-servers", []string{"time.example.com"}}}, false},
		{"node type 3", []DHCPConfiguration{{"netbios-node-type", []string{"3"}}}, false},
		{"lease too short", []DHCPConfiguration{{"ipv6-address-preferred-lease-time", []string{"139"}}}, false},
		{"two domain names", []DHCPConfiguration{{"domain-name", []string{"a", "b"}}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := checkDHCPConfigurations(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("ok %v, got %v", tc.ok, err)
			}
			for i := 1; i < len(out); i++ {
				if out[i-1].Key > out[i].Key {
					t.Fatalf("options not in key order: %+v", out)
				}
			}
		})
	}
}
