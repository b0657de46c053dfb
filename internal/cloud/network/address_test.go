package network

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// eipFixture is the fixture's VPC, with an internet gateway when asked,
// and helpers to put instances and interfaces in it the way RunInstances
// would.
type eipFixture struct{ fixture }

func newEIPFixture(t *testing.T, withIGW bool) *eipFixture {
	t.Helper()
	f := &eipFixture{newFixture(t, "")}
	if withIGW {
		f.write(func(t *cloud.Txn) error {
			return cloud.Put(t, &InternetGateway{
				Meta:        cloud.Meta{ID: t.NewID("igw-"), Owner: t.Scope.Account, Region: t.Scope.Region},
				Attachments: []GatewayAttachment{{VpcID: f.vpc.ID, State: "available"}},
			})
		})
	}
	return f
}

// eni makes an unattached interface with extra secondary addresses.
func (f *eipFixture) eni(secondary int, spec InterfaceSpec) *NetworkInterface {
	f.t.Helper()
	var eni *NetworkInterface
	f.write(func(t *cloud.Txn) error {
		s, err := cloud.GetIn[Subnet](t, f.subnet.ID)
		if err != nil {
			return err
		}
		spec.SecondaryIPs = secondary
		eni, err = CreateInterface(t, s, spec)
		return err
	})
	return eni
}

// instance makes a running instance with n interfaces; its primary private
// address gets an AWS-assigned public address when autoIP is set.
func (f *eipFixture) instance(n int, autoIP bool) *Instance {
	f.t.Helper()
	var inst *Instance
	f.write(func(t *cloud.Txn) error {
		s, err := cloud.GetIn[Subnet](t, f.subnet.ID)
		if err != nil {
			return err
		}
		inst = &Instance{Meta: cloud.Meta{ID: t.NewID("i-"), Owner: t.Scope.Account, Region: t.Scope.Region},
			State: "running", SubnetID: s.ID, VpcID: s.VpcID}
		for i := 0; i < n; i++ {
			eni, err := CreateInterface(t, s, InterfaceSpec{})
			if err != nil {
				return err
			}
			eni.Status = "in-use"
			eni.Attachment = &InterfaceAttachment{ID: t.NewID("eni-attach-"), InstanceID: inst.ID, InstanceOwnerID: inst.Owner, DeviceIndex: int32(i), Status: "attached"}
			if i == 0 && autoIP {
				eni.AssociatePublicIP = true
				ip, err := AllocatePublicIP(t, eni.ID)
				if err != nil {
					return err
				}
				eni.PrivateIPs[0].Association = &IPAssociation{PublicIP: ip, IPOwnerID: AutoIPOwner}
				inst.PublicIP = ip
			}
			if err := cloud.Put(t, eni); err != nil {
				return err
			}
			if i == 0 {
				inst.PrivateIP = eni.PrimaryIP()
			}
			inst.NetworkInterfaces = append(inst.NetworkInterfaces, eni.ID)
		}
		return cloud.Put(t, inst)
	})
	return inst
}

func (f *eipFixture) allocate() *Address {
	f.t.Helper()
	a, err := f.c.AllocateAddress(context.Background(), f.who, AllocateAddressInput{})
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *eipFixture) associate(in AssociateAddressInput) string {
	f.t.Helper()
	id, err := f.c.AssociateAddress(context.Background(), f.who, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// iface reads an interface as Describe shows it.
func (f *eipFixture) iface(id string) *NetworkInterface {
	return readAs[NetworkInterface](f.fixture, id)
}

// inst reads an instance as Describe shows it.
func (f *eipFixture) inst(id string) *Instance { return readAs[Instance](f.fixture, id) }

func TestAssociateAddressWithInterface(t *testing.T) {
	f := newEIPFixture(t, true)
	eni := f.eni(1, InterfaceSpec{})
	a := f.allocate()
	assoc := f.associate(AssociateAddressInput{AllocationID: a.ID, NetworkInterfaceID: eni.ID})
	if !strings.HasPrefix(assoc, "eipassoc-") {
		t.Fatalf("association id %q", assoc)
	}
	got := f.address(a.ID)
	if got.AssociationID != assoc || got.NetworkInterfaceID != eni.ID || got.PrivateIP != eni.PrimaryIP() ||
		got.NetworkInterfaceOwnerID != f.who.Account || got.InstanceID != "" {
		t.Fatalf("address after associate: %+v", got)
	}
	want := IPAssociation{PublicIP: a.PublicIP, AllocationID: a.ID, AssociationID: assoc, IPOwnerID: f.who.Account}
	if pa := f.iface(eni.ID).PrivateIPs[0].Association; pa == nil || *pa != want {
		t.Fatalf("interface association %+v, want %+v", pa, want)
	}

	// A second address on the secondary private address.
	b := f.allocate()
	secondary := eni.PrivateIPs[1].Address
	f.associate(AssociateAddressInput{AllocationID: b.ID, NetworkInterfaceID: eni.ID, PrivateIP: secondary})
	if got := f.iface(eni.ID); got.PrivateIPs[1].Association == nil || got.PrivateIPs[1].Association.PublicIP != b.PublicIP || got.PublicIP() != a.PublicIP {
		t.Fatalf("secondary association: %+v", got.PrivateIPs)
	}

	// A third address on the primary address replaces the first.
	c := f.allocate()
	f.associate(AssociateAddressInput{AllocationID: c.ID, NetworkInterfaceID: eni.ID})
	if got := f.address(a.ID); got.AssociationID != "" || got.NetworkInterfaceID != "" {
		t.Fatalf("replaced address still associated: %+v", got)
	}
	if got := f.iface(eni.ID).PublicIP(); got != c.PublicIP {
		t.Fatalf("interface public IP %s, want %s", got, c.PublicIP)
	}

	if err := f.c.DisassociateAddress(context.Background(), f.who, f.address(c.ID).AssociationID, ""); err != nil {
		t.Fatal(err)
	}
	if got := f.iface(eni.ID); got.PrivateIPs[0].Association != nil {
		t.Fatalf("interface keeps a mapping after disassociate: %+v", got.PrivateIPs[0])
	}
	if got := f.address(c.ID); got.AssociationID != "" || got.PrivateIP != "" {
		t.Fatalf("address keeps a mapping after disassociate: %+v", got)
	}
}

func TestAssociateAddressWithInstance(t *testing.T) {
	f := newEIPFixture(t, true)
	inst := f.instance(1, true)
	auto := inst.PublicIP
	a := f.allocate()
	f.associate(AssociateAddressInput{AllocationID: a.ID, InstanceID: inst.ID})

	if got := f.inst(inst.ID).PublicIP; got != a.PublicIP {
		t.Fatalf("instance public IP %s, want the Elastic IP %s", got, a.PublicIP)
	}
	if got := f.address(a.ID); got.InstanceID != inst.ID || got.NetworkInterfaceID != inst.NetworkInterfaces[0] {
		t.Fatalf("address after associate: %+v", got)
	}
	if f.publicIPHeld(auto) {
		t.Fatalf("the auto-assigned address %s was not released", auto)
	}

	// Disassociating gives the instance a new AWS-assigned address.
	if err := f.c.DisassociateAddress(context.Background(), f.who, f.address(a.ID).AssociationID, ""); err != nil {
		t.Fatal(err)
	}
	got := f.inst(inst.ID).PublicIP
	pa := f.iface(inst.NetworkInterfaces[0]).PrivateIPs[0].Association
	if got == "" || got == a.PublicIP || pa == nil || pa.PublicIP != got || pa.AllocationID != "" || pa.IPOwnerID != "amazon" {
		t.Fatalf("after disassociate: instance public IP %q, interface mapping %+v", got, pa)
	}
	if !publicPool.Contains(netip.MustParseAddr(got)) || !f.publicIPHeld(got) {
		t.Fatalf("new public IP %s not drawn from the pool", got)
	}
}

func TestAssociateAddressWithoutAutoIP(t *testing.T) {
	f := newEIPFixture(t, true)
	inst := f.instance(1, false)
	a := f.allocate()
	assoc := f.associate(AssociateAddressInput{AllocationID: a.ID, InstanceID: inst.ID})
	if err := f.c.DisassociateAddress(context.Background(), f.who, assoc, ""); err != nil {
		t.Fatal(err)
	}
	if got := f.inst(inst.ID).PublicIP; got != "" {
		t.Fatalf("instance without a public IP at launch got %s", got)
	}
}

func TestReassociateAddress(t *testing.T) {
	f := newEIPFixture(t, true)
	first, second := f.eni(0, InterfaceSpec{}), f.eni(0, InterfaceSpec{})
	a := f.allocate()
	assoc := f.associate(AssociateAddressInput{AllocationID: a.ID, NetworkInterfaceID: first.ID})

	_, err := f.c.AssociateAddress(context.Background(), f.who, AssociateAddressInput{AllocationID: a.ID, NetworkInterfaceID: second.ID})
	wantReason(t, err, cloud.AlreadyAssociated, cloud.KindAddress, "resource "+a.ID+" is already associated with associate-id "+assoc)

	moved := f.associate(AssociateAddressInput{AllocationID: a.ID, NetworkInterfaceID: second.ID, AllowReassociation: true})
	if moved == assoc {
		t.Fatal("reassociation kept the old association id")
	}
	if f.iface(first.ID).PublicIP() != "" || f.iface(second.ID).PublicIP() != a.PublicIP {
		t.Fatal("reassociation did not move the mapping")
	}
	// The same interface again, with reassociation allowed.
	f.associate(AssociateAddressInput{AllocationID: a.ID, NetworkInterfaceID: second.ID, AllowReassociation: true})
	if got := f.iface(second.ID).PublicIP(); got != a.PublicIP {
		t.Fatalf("reassociating in place lost the mapping: %q", got)
	}
}

func TestAssociateAddressRefusals(t *testing.T) {
	f := newEIPFixture(t, true)
	eni := f.eni(0, InterfaceSpec{})
	managed := f.eni(0, InterfaceSpec{InterfaceType: "nat_gateway", RequesterManaged: true})
	twoENIs := f.instance(2, false)
	pending := f.instance(1, false)
	f.write(func(t *cloud.Txn) error {
		p, err := cloud.GetIn[Instance](t, pending.ID)
		if err != nil {
			return err
		}
		p.State = "pending"
		return cloud.Put(t, p)
	})
	a := f.allocate()
	bare := newEIPFixture(t, false)
	bareENI := bare.eni(0, InterfaceSpec{})
	bareAddr := bare.allocate()

	for _, tc := range []struct {
		name   string
		f      *eipFixture
		in     AssociateAddressInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"public IP only", f, AssociateAddressInput{PublicIP: a.PublicIP, NetworkInterfaceID: eni.ID}, cloud.InvalidCombination, "", "You must specify an allocation id"},
		{"nothing", f, AssociateAddressInput{NetworkInterfaceID: eni.ID}, cloud.MissingParameter, "", "allocation id"},
		{"no target", f, AssociateAddressInput{AllocationID: a.ID}, cloud.MissingParameter, "", "instance ID or network interface ID"},
		{"both targets", f, AssociateAddressInput{AllocationID: a.ID, InstanceID: pending.ID, NetworkInterfaceID: eni.ID}, cloud.InvalidCombination, "", "not both"},
		{"unknown address", f, AssociateAddressInput{AllocationID: "eipalloc-00000000000000000", NetworkInterfaceID: eni.ID}, cloud.NotFound, cloud.KindAddress, "The allocation ID 'eipalloc-00000000000000000' does not exist"},
		{"unknown interface", f, AssociateAddressInput{AllocationID: a.ID, NetworkInterfaceID: "eni-00000000000000000"}, cloud.NotFound, cloud.KindNetworkInterface, "eni-00000000000000000"},
		{"unknown instance", f, AssociateAddressInput{AllocationID: a.ID, InstanceID: "i-00000000000000000"}, cloud.NotFound, cloud.KindInstance, "i-00000000000000000"},
		{"foreign private IP", f, AssociateAddressInput{AllocationID: a.ID, NetworkInterfaceID: eni.ID, PrivateIP: "10.0.1.200"}, cloud.InvalidParameter, "", "10.0.1.200"},
		{"several interfaces", f, AssociateAddressInput{AllocationID: a.ID, InstanceID: twoENIs.ID}, cloud.InvalidParameter, cloud.KindInstance, "There are multiple interfaces attached to instance '" + twoENIs.ID + "'. Please specify an interface ID for the operation instead."},
		{"pending instance", f, AssociateAddressInput{AllocationID: a.ID, InstanceID: pending.ID}, cloud.InvalidParameter, cloud.KindInstance, "The pending instance '" + pending.ID + "' is not in a valid state for this operation."},
		{"service interface", f, AssociateAddressInput{AllocationID: a.ID, NetworkInterfaceID: managed.ID}, cloud.OperationNotPermitted, cloud.KindAddress, "You do not have permission to access the specified resource."},
		{"no internet gateway", bare, AssociateAddressInput{AllocationID: bareAddr.ID, NetworkInterfaceID: bareENI.ID}, cloud.NotAttached, cloud.KindVPC, "Network " + bare.vpc.ID + " is not attached to any internet gateway"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.f.c.AssociateAddress(context.Background(), tc.f.who, tc.in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
}

func TestReleaseAssociatedAddress(t *testing.T) {
	f := newEIPFixture(t, true)
	eni := f.eni(0, InterfaceSpec{})
	a := f.allocate()
	f.associate(AssociateAddressInput{AllocationID: a.ID, NetworkInterfaceID: eni.ID})
	err := f.c.ReleaseAddress(context.Background(), f.who, a.ID, "", "")
	wantReason(t, err, cloud.InUse, cloud.KindAddress, "Address "+a.PublicIP+" is in use.")
}

func TestInterfaceGoneUnmapsAddresses(t *testing.T) {
	f := newEIPFixture(t, true)
	inst := f.instance(1, true)
	auto := inst.PublicIP
	eni := f.eni(1, InterfaceSpec{})
	a := f.allocate()
	f.associate(AssociateAddressInput{AllocationID: a.ID, NetworkInterfaceID: eni.ID, PrivateIP: eni.PrivateIPs[1].Address})
	f.write(func(t *cloud.Txn) error {
		for _, id := range []string{eni.ID, inst.NetworkInterfaces[0]} {
			e, err := cloud.GetIn[NetworkInterface](t, id)
			if err != nil {
				return err
			}
			if err := releaseInterfaceAddresses(t, e); err != nil {
				return err
			}
			if err := deleteInterface(t, e); err != nil {
				return err
			}
		}
		return nil
	})
	if got := f.address(a.ID); got.AssociationID != "" {
		t.Fatalf("address still associated with a deleted interface: %+v", got)
	}
	if f.publicIPHeld(auto) || !f.publicIPHeld(a.PublicIP) {
		t.Fatal("the AWS-assigned address must go back to the pool, the Elastic IP must stay held")
	}
	if err := f.c.ReleaseAddress(context.Background(), f.who, a.ID, "", ""); err != nil {
		t.Fatal(err)
	}
	if f.publicIPHeld(a.PublicIP) {
		t.Fatal("released address still held")
	}
}

func TestPublicDNSName(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1": "ec2-198-18-0-5.compute-1.amazonaws.com",
		"eu-west-1": "ec2-198-18-0-5.eu-west-1.compute.amazonaws.com",
	} {
		a := &Address{Meta: cloud.Meta{Region: region}, PublicIP: "198.18.0.5"}
		if a.PublicDNSName() != want || a.PTRRecord() != want+"." {
			t.Errorf("%s: %s / %s, want %s", region, a.PublicDNSName(), a.PTRRecord(), want)
		}
	}
}

// TestAllocateAndReleaseAddress: an address comes from the public pool in
// the caller's border group, is found by its public IP, and goes back.
func TestAllocateAndReleaseAddress(t *testing.T) {
	f := newEIPFixture(t, true)
	a, err := f.c.AllocateAddress(f.ctx, f.who, AllocateAddressInput{Domain: "vpc", Tags: []cloud.TagSpec{{ResourceType: "elastic-ip", Tags: []cloud.Tag{{Key: "Name", Value: "ip"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if !publicPool.Contains(netip.MustParseAddr(a.PublicIP)) || a.Domain != "vpc" || a.NetworkBorderGroup != "us-east-1" || a.PublicIPv4Pool != "amazon" || a.Tags["Name"] != "ip" || !f.publicIPHeld(a.PublicIP) {
		t.Fatalf("address %+v", a)
	}
	if a.PTRRecord() != a.PublicDNSName()+"." {
		t.Fatalf("PTR %s", a.PTRRecord())
	}
	ids, err := f.c.AddressIDs(f.ctx, f.who, []string{a.PublicIP})
	if err != nil || len(ids) != 1 || ids[0] != a.ID {
		t.Fatalf("ids %v %v", ids, err)
	}
	_, err = f.c.AddressIDs(f.ctx, bob, []string{a.PublicIP})
	wantReason(t, err, cloud.NotFound, cloud.KindPublicIP, "Address '"+a.PublicIP+"' not found.")
	for _, tc := range []struct {
		name string
		in   AllocateAddressInput
		msg  string
	}{
		{"classic", AllocateAddressInput{Domain: "standard"}, "EC2-Classic is retired"},
		{"bad domain", AllocateAddressInput{Domain: "public"}, "Value (public) for parameter domain is invalid."},
		{"another border group", AllocateAddressInput{NetworkBorderGroup: "us-west-2"}, "The only network border group of us-east-1 is us-east-1."},
		{"bad tags", AllocateAddressInput{Tags: []cloud.TagSpec{{ResourceType: "vpc"}}}, "not a valid taggable resource type"},
	} {
		_, err := f.c.AllocateAddress(f.ctx, f.who, tc.in)
		wantReason(t, err, cloud.InvalidParameter, "", tc.msg)
	}
	for _, tc := range []struct {
		name              string
		alloc, ip, border string
		reason            cloud.Reason
		kind              cloud.Kind
		msg               string
	}{
		{"by public IP", "", a.PublicIP, "", cloud.InvalidParameter, "", "You must specify an allocation id when releasing a VPC elastic IP address"},
		{"nothing", "", "", "", cloud.MissingParameter, "", "Either public IP or allocation id must be specified"},
		{"another border group", a.ID, "", "us-east-1-bos-1", cloud.NotFound, cloud.KindPublicIP, "The address with allocation id [" + a.ID + "] cannot be found in network border group us-east-1-bos-1"},
		{"unknown", "eipalloc-0123456789abcdef0", "", "", cloud.NotFound, cloud.KindAddress, "The allocation ID 'eipalloc-0123456789abcdef0' does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantReason(t, f.c.ReleaseAddress(f.ctx, f.who, tc.alloc, tc.ip, tc.border), tc.reason, tc.kind, tc.msg)
		})
	}
	for _, tc := range []struct {
		name, assoc, ip string
		reason          cloud.Reason
		kind            cloud.Kind
		msg             string
	}{
		{"by public IP", "", a.PublicIP, cloud.InvalidParameter, "", "You must specify an association id when unmapping an address from a VPC instance"},
		{"nothing", "", "", cloud.MissingParameter, "", "Either public IP or association id must be specified"},
		{"unknown", "eipassoc-0123456789abcdef0", "", cloud.NotFound, cloud.KindAddressAssociation, "The association ID 'eipassoc-0123456789abcdef0' does not exist"},
	} {
		t.Run("disassociate "+tc.name, func(t *testing.T) {
			wantReason(t, f.c.DisassociateAddress(f.ctx, f.who, tc.assoc, tc.ip), tc.reason, tc.kind, tc.msg)
		})
	}
	if err := f.c.ReleaseAddress(f.ctx, f.who, a.ID, "", "us-east-1"); err != nil {
		t.Fatal(err)
	}
	if f.publicIPHeld(a.PublicIP) {
		t.Fatal("a released address is still held")
	}
}
