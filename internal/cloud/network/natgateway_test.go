package network

import (
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// natFixture is the EIP fixture with a clock the test moves.
type natFixture struct {
	*eipFixture
	now *time.Time
}

func newNATFixture(t *testing.T, withIGW bool) *natFixture {
	t.Helper()
	clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	f := &natFixture{now: &clock}
	base := newFixture(t, "", cloud.WithClock(func() time.Time { return *f.now }))
	f.eipFixture = &eipFixture{base}
	if withIGW {
		igw, err := f.c.CreateInternetGateway(f.ctx, f.who, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.c.AttachInternetGateway(f.ctx, f.who, igw.ID, f.vpc.ID); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *natFixture) create(in CreateNATGatewayInput) *NATGateway {
	f.t.Helper()
	if in.SubnetID == "" {
		in.SubnetID = f.subnet.ID
	}
	n, err := f.c.CreateNATGateway(f.ctx, f.who, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// TestPublicNATGateway: a public gateway gets a requester-managed
// interface in its subnet with the Elastic IP mapped to it; deleting it
// removes the interface and leaves the address to the account, unmapped.
func TestPublicNATGateway(t *testing.T) {
	f := newNATFixture(t, true)
	eip := f.allocate()
	nat := f.create(CreateNATGatewayInput{AllocationID: eip.ID, PrivateIP: "10.0.1.50", Tags: []cloud.TagSpec{{ResourceType: "natgateway", Tags: []cloud.Tag{{Key: "Name", Value: "out"}}}}})
	p := nat.Primary()
	if nat.State != NATAvailable || nat.ConnectivityType != "public" || nat.VpcID != f.vpc.ID || nat.Tags["Name"] != "out" ||
		p.PrivateIP != "10.0.1.50" || p.PublicIP != eip.PublicIP || p.AllocationID != eip.ID || p.AssociationID == "" || p.Status != "succeeded" {
		t.Fatalf("public NAT gateway %+v", nat)
	}
	eni := f.iface(p.NetworkInterfaceID)
	if !eni.RequesterManaged || eni.RequesterID != natRequesterID || eni.InterfaceType != "nat_gateway" || eni.SourceDestCheck || eni.Status != "in-use" ||
		eni.Description != "Interface for NAT Gateway "+nat.ID || eni.PublicIP() != eip.PublicIP {
		t.Fatalf("NAT gateway's interface %+v", eni)
	}
	if a := f.address(eip.ID); a.NetworkInterfaceID != eni.ID || a.PrivateIP != "10.0.1.50" {
		t.Fatalf("Elastic IP after the gateway took it %+v", a)
	}
	// The user may not move or release the gateway's address.
	mine := f.eni(0, InterfaceSpec{})
	_, err := f.c.AssociateAddress(f.ctx, f.who, AssociateAddressInput{AllocationID: eip.ID, NetworkInterfaceID: mine.ID, AllowReassociation: true})
	wantReason(t, err, cloud.OperationNotPermitted, cloud.KindAddress, "You do not have permission to access the specified resource.")
	err = f.c.ReleaseAddress(f.ctx, f.who, eip.ID, "", "")
	wantReason(t, err, cloud.OperationNotPermitted, cloud.KindAddress, "")
	err = f.c.DisassociateAddress(f.ctx, f.who, p.AssociationID, "")
	wantReason(t, err, cloud.OperationNotPermitted, cloud.KindAddress, "")
	// Nor delete its subnet or detach its VPC's gateway.
	refusedWith(t, f.c.DeleteSubnet(f.ctx, f.who, f.subnet.ID), cloud.DependencyViolation, "subnet of a NAT gateway")

	got, err := f.c.DeleteNATGateway(f.ctx, f.who, nat.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != NATDeleted || got.DeleteTime == nil || !got.DeleteTime.Equal(*f.now) {
		t.Fatalf("deleted gateway %+v", got)
	}
	if _, err := f.c.GetNetworkInterface(f.ctx, f.who, eni.ID); reason(err) != cloud.NotFound {
		t.Fatalf("the gateway's interface outlived it: %v", err)
	}
	if a := f.address(eip.ID); a.AssociationID != "" || a.NetworkInterfaceID != "" {
		t.Fatalf("Elastic IP still mapped after its gateway went %+v", a)
	}
	// Deleting again succeeds and changes nothing.
	again, err := f.c.DeleteNATGateway(f.ctx, f.who, nat.ID)
	if err != nil || again.State != NATDeleted || !again.DeleteTime.Equal(*got.DeleteTime) {
		t.Fatalf("second delete %+v %v", again, err)
	}
	// A deleted gateway holds nothing: the subnet may go.
	if err := f.c.DeleteNetworkInterface(f.ctx, f.who, mine.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.c.ReleaseAddress(f.ctx, f.who, eip.ID, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := f.c.DeleteSubnet(f.ctx, f.who, f.subnet.ID); err != nil {
		t.Fatal(err)
	}
}

// TestNATGatewayFailures: AWS accepts a public gateway that cannot work and
// shows it failed, with its code and message, for an hour.
func TestNATGatewayFailures(t *testing.T) {
	t.Run("no internet gateway", func(t *testing.T) {
		f := newNATFixture(t, false)
		eip := f.allocate()
		nat := f.create(CreateNATGatewayInput{AllocationID: eip.ID})
		if nat.State != NATFailed || nat.FailureCode != "Gateway.NotAttached" || nat.FailureMessage != "Network "+f.vpc.ID+" has no Internet gateway attached" ||
			len(nat.Addresses) != 1 || nat.Addresses[0].Status != "failed" || nat.Addresses[0].AllocationID != eip.ID {
			t.Fatalf("gateway without an internet gateway %+v", nat)
		}
		// Its interface is gone, the address untouched.
		if n := f.interfacesIn(f.subnet.ID); n != 0 {
			t.Fatalf("%d interfaces left in the subnet", n)
		}
		if a := f.address(eip.ID); a.AssociationID != "" {
			t.Fatalf("failed gateway mapped the address %+v", a)
		}
		f.expires(nat.ID)
	})
	t.Run("address in use", func(t *testing.T) {
		f := newNATFixture(t, true)
		eip := f.allocate()
		first := f.create(CreateNATGatewayInput{AllocationID: eip.ID})
		nat := f.create(CreateNATGatewayInput{AllocationID: eip.ID})
		if nat.State != NATFailed || nat.FailureCode != "Resource.AlreadyAssociated" || nat.FailureMessage != "Elastic IP address "+eip.ID+" is already associated" {
			t.Fatalf("gateway with a taken address %+v", nat)
		}
		if a := f.address(eip.ID); a.NetworkInterfaceID != first.Primary().NetworkInterfaceID {
			t.Fatalf("the failed gateway took the first one's address %+v", a)
		}
		// Deleting a failed gateway marks it deleted and touches nothing.
		del, err := f.c.DeleteNATGateway(f.ctx, f.who, nat.ID)
		if err != nil || del.State != NATDeleted {
			t.Fatalf("delete failed gateway %+v %v", del, err)
		}
		if a := f.address(eip.ID); a.NetworkInterfaceID != first.Primary().NetworkInterfaceID {
			t.Fatalf("deleting the failed gateway unmapped the first one's address %+v", a)
		}
	})
	t.Run("full subnet", func(t *testing.T) {
		f := newNATFixture(t, true)
		small, err := f.c.CreateSubnet(f.ctx, f.who, CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.9.0/28"})
		if err != nil {
			t.Fatal(err)
		}
		f.write(func(t *cloud.Txn) error {
			s, err := cloud.GetIn[Subnet](t, small.ID)
			if err != nil {
				return err
			}
			_, err = CreateInterface(t, s, InterfaceSpec{SecondaryIPs: 10}) // 16 - 5 reserved = 11
			return err
		})
		nat := f.create(CreateNATGatewayInput{SubnetID: small.ID, AllocationID: f.allocate().ID})
		if nat.State != NATFailed || nat.FailureCode != "InsufficientFreeAddressesInSubnet" || nat.FailureMessage != "Subnet has insufficient free addresses to create this NAT gateway" {
			t.Fatalf("gateway in a full subnet %+v", nat)
		}
	})
}

// expires moves the clock past the hour AWS shows a failed gateway: List
// stops showing it and the next create purges its record.
func (f *natFixture) expires(id string) {
	f.t.Helper()
	if page := f.nats(); len(page) != 1 {
		f.t.Fatalf("a failed gateway is shown for an hour, got %d", len(page))
	}
	*f.now = f.now.Add(natLinger)
	if page := f.nats(); len(page) != 0 {
		f.t.Fatalf("a failed gateway shown after an hour: %+v", page)
	}
	f.create(CreateNATGatewayInput{ConnectivityType: "private"})
	f.write(func(t *cloud.Txn) error {
		if _, err := t.Get(cloud.KindNATGateway, id); err == nil {
			f.t.Errorf("expired gateway %s not purged", id)
		}
		return nil
	})
}

func (f *natFixture) nats() []*NATGateway {
	f.t.Helper()
	page, err := cloud.List[NATGateway](f.ctx, f.c.Cloud, f.who, cloud.Query{}, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return page.Items
}

// interfacesIn counts the interfaces in a subnet.
func (f *natFixture) interfacesIn(subnetID string) int {
	f.t.Helper()
	page, err := cloud.List[NetworkInterface](f.ctx, f.c.Cloud, f.who, cloud.Query{Filters: []cloud.Filter{{Name: "subnet-id", Values: []string{subnetID}}}}, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return len(page.Items)
}

// TestPrivateNATGateway: a private gateway needs no internet gateway nor
// Elastic IP, and may have secondary private addresses.
func TestPrivateNATGateway(t *testing.T) {
	f := newNATFixture(t, false)
	nat := f.create(CreateNATGatewayInput{ConnectivityType: "private", SecondaryIPs: 2})
	if nat.State != NATAvailable || nat.ConnectivityType != "private" || len(nat.Addresses) != 3 || nat.Primary().PublicIP != "" {
		t.Fatalf("private gateway %+v", nat)
	}
	for _, a := range nat.Addresses[1:] {
		if a.IsPrimary || a.NetworkInterfaceID != nat.Primary().NetworkInterfaceID || a.PrivateIP == "" || a.Status != "succeeded" {
			t.Errorf("secondary address %+v", a)
		}
	}
	if len(f.iface(nat.Primary().NetworkInterfaceID).PrivateIPs) != 3 {
		t.Error("the interface lacks the secondary addresses")
	}
	// Deleting it frees its addresses and interface at once; an hour later
	// AWS stops showing it.
	if _, err := f.c.DeleteNATGateway(f.ctx, f.who, nat.ID); err != nil {
		t.Fatal(err)
	}
	if n := f.interfacesIn(f.subnet.ID); n != 0 {
		t.Fatalf("%d interfaces left", n)
	}
	*f.now = f.now.Add(natLinger - time.Second)
	if len(f.nats()) != 1 {
		t.Fatal("deleted gateway not shown within the hour")
	}
	*f.now = f.now.Add(time.Second)
	if len(f.nats()) != 0 {
		t.Fatal("deleted gateway shown after the hour")
	}
	_, err := f.c.DeleteNATGateway(f.ctx, f.who, nat.ID)
	wantReason(t, err, cloud.NotFound, cloud.KindNATGateway, "NAT gateway "+nat.ID+" was not found")
}

func TestCreateNATGatewayRefusals(t *testing.T) {
	f := newNATFixture(t, true)
	eip := f.allocate()
	for _, tc := range []struct {
		name   string
		who    cloud.Caller
		in     CreateNATGatewayInput
		reason cloud.Reason
		kind   cloud.Kind
		msg    string
	}{
		{"bad type", alice, CreateNATGatewayInput{SubnetID: f.subnet.ID, ConnectivityType: "hybrid"}, cloud.InvalidParameter, "", "Value (hybrid) for parameter connectivityType is invalid. Valid values: public, private."},
		{"public without address", alice, CreateNATGatewayInput{SubnetID: f.subnet.ID}, cloud.MissingParameter, "", "The request must contain the parameter allocationId"},
		{"private with address", alice, CreateNATGatewayInput{SubnetID: f.subnet.ID, ConnectivityType: "private", AllocationID: eip.ID}, cloud.InvalidCombination, "", "An allocation ID cannot be specified for a private NAT gateway."},
		{"public with secondaries", alice, CreateNATGatewayInput{SubnetID: f.subnet.ID, AllocationID: eip.ID, SecondaryIPs: 1}, cloud.InvalidCombination, "", "SecondaryPrivateIpAddressCount is only supported for private NAT gateways."},
		{"bad tag type", alice, CreateNATGatewayInput{SubnetID: f.subnet.ID, AllocationID: eip.ID, Tags: []cloud.TagSpec{{ResourceType: "vpc"}}}, cloud.InvalidParameter, "", "is not a valid taggable resource type"},
		{"no subnet", alice, CreateNATGatewayInput{SubnetID: "subnet-0123456789abcdef0", AllocationID: eip.ID}, cloud.NotFound, cloud.KindSubnet, "The subnet ID 'subnet-0123456789abcdef0' does not exist"},
		{"no address", alice, CreateNATGatewayInput{SubnetID: f.subnet.ID, AllocationID: "eipalloc-0123456789abcdef0"}, cloud.NotFound, cloud.KindAddress, "The allocation ID 'eipalloc-0123456789abcdef0' does not exist"},
		{"another account's subnet", bob, CreateNATGatewayInput{SubnetID: f.subnet.ID, ConnectivityType: "private"}, cloud.NotFound, cloud.KindSubnet, f.subnet.ID},
		{"address outside the subnet", alice, CreateNATGatewayInput{SubnetID: f.subnet.ID, ConnectivityType: "private", PrivateIP: "10.0.2.9"}, cloud.InvalidParameter, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.c.CreateNATGateway(f.ctx, tc.who, tc.in)
			wantReason(t, err, tc.reason, tc.kind, tc.msg)
		})
	}
	dry := f.who
	dry.DryRun = true
	_, err := f.c.CreateNATGateway(f.ctx, dry, CreateNATGatewayInput{SubnetID: f.subnet.ID, AllocationID: eip.ID})
	refusedWith(t, err, cloud.DryRun, "dry run")
	if len(f.nats()) != 0 || f.address(eip.ID).AssociationID != "" || f.interfacesIn(f.subnet.ID) != 0 {
		t.Fatal("refused or dry creates left something behind")
	}
}
