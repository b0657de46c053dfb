package network

import (
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// eniFixture is the fixture with its subnet in us-east-1a, for the domain
// rules the API cannot reach yet (groups of one's own, Elastic IPs,
// service-managed interfaces, a deleted default VPC).
type eniFixture struct{ fixture }

func newENIFixture(t *testing.T) *eniFixture { return &eniFixture{newFixture(t, "us-east-1a")} }

func (f *eniFixture) group(name string) *SecurityGroup {
	f.t.Helper()
	var g *SecurityGroup
	f.write(func(t *cloud.Txn) error {
		g = newSecurityGroup(t, f.vpc, name, name, nil)
		return cloud.Put(t, g)
	})
	return g
}

// usedBy reports whether an interface holds the group, by its key.
func (f *eniFixture) usedBy(groupID string) bool {
	f.t.Helper()
	var found bool
	f.write(func(t *cloud.Txn) (err error) {
		found, err = cloud.Exists(t, cloud.KindNetworkInterface, cloud.Key{Name: "group-id", Value: groupID})
		return err
	})
	return found
}

func (f *eniFixture) eni(id string) *NetworkInterface {
	f.t.Helper()
	n, err := f.c.GetNetworkInterface(f.ctx, f.who, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

func reason(err error) cloud.Reason {
	if e, ok := cloud.AsError(err); ok {
		return e.Reason
	}
	return 0
}

func TestInterfaceGroupKeysFollowModify(t *testing.T) {
	f := newENIFixture(t)
	web, db := f.group("web"), f.group("db")
	n, err := f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: f.subnet.ID, Groups: []string{web.ID, web.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Groups) != 1 || n.GroupNames[0] != "web" || !f.usedBy(web.ID) || f.usedBy(db.ID) {
		t.Fatalf("groups %v %v", n.Groups, n.GroupNames)
	}
	if err := f.c.ModifyNetworkInterfaceAttribute(f.ctx, f.who, n.ID, InterfaceAttributes{Groups: []string{db.ID}}); err != nil {
		t.Fatal(err)
	}
	if f.usedBy(web.ID) || !f.usedBy(db.ID) || f.eni(n.ID).GroupNames[0] != "db" {
		t.Fatal("group-id keys did not follow the new groups")
	}
	six := []string{f.group("a").ID, f.group("b").ID, f.group("c").ID, f.group("d").ID, web.ID, db.ID}
	err = f.c.ModifyNetworkInterfaceAttribute(f.ctx, f.who, n.ID, InterfaceAttributes{Groups: six})
	if e, _ := cloud.AsError(err); reason(err) != cloud.LimitExceeded || e.Subject != cloud.KindSecurityGroup {
		t.Fatalf("six groups: %v", err)
	}
	if err := f.c.DeleteNetworkInterface(f.ctx, f.who, n.ID); err != nil {
		t.Fatal(err)
	}
	if f.usedBy(db.ID) {
		t.Fatal("a deleted interface still holds its group")
	}
}

// associateEIP maps an Elastic IP to the interface's primary address the
// way AssociateAddress records it.
func (f *eniFixture) associateEIP(eniID string) *Address {
	f.t.Helper()
	var addr *Address
	f.write(func(t *cloud.Txn) error {
		eni, err := cloud.GetIn[NetworkInterface](t, eniID)
		if err != nil {
			return err
		}
		addr = &Address{Meta: cloud.Meta{ID: t.NewID("eipalloc-"), Owner: t.Scope.Account, Region: t.Scope.Region}, Domain: "vpc"}
		if addr.PublicIP, err = AllocatePublicIP(t, addr.ID); err != nil {
			return err
		}
		addr.AssociationID, addr.NetworkInterfaceID, addr.PrivateIP = t.NewID("eipassoc-"), eni.ID, eni.PrimaryIP()
		if eni.Attachment != nil {
			addr.InstanceID = eni.Attachment.InstanceID
		}
		if err := unmapPublic(t, eni, &eni.PrivateIPs[0]); err != nil {
			return err
		}
		eni.PrivateIPs[0].Association = &IPAssociation{PublicIP: addr.PublicIP, AllocationID: addr.ID, AssociationID: addr.AssociationID, IPOwnerID: t.Scope.Account}
		if err := cloud.Put(t, eni); err != nil {
			return err
		}
		return cloud.Put(t, addr)
	})
	return addr
}

func TestDeletingAnInterfaceDisassociatesItsElasticIP(t *testing.T) {
	f := newENIFixture(t)
	n, err := f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: f.subnet.ID})
	if err != nil {
		t.Fatal(err)
	}
	addr := f.associateEIP(n.ID)
	if err := f.c.DeleteNetworkInterface(f.ctx, f.who, n.ID); err != nil {
		t.Fatal(err)
	}
	a := f.address(addr.ID)
	if a.AssociationID != "" || a.NetworkInterfaceID != "" || a.PrivateIP != "" || !f.publicIPHeld(a.PublicIP) {
		t.Fatalf("the Elastic IP after its interface went: %+v", a)
	}
}

func TestTerminateDropsElasticIPAndReleasesAutoAddress(t *testing.T) {
	f := newENIFixture(t)
	on := true
	r, err := f.c.RunInstances(f.ctx, f.who, RunInstancesInput{ImageID: "ami-12345678", MinCount: 2, MaxCount: 2,
		Interfaces: []LaunchInterface{{DeviceIndex: new(int32), SubnetID: f.subnet.ID, AssociatePublicIP: &on}}})
	if err != nil {
		t.Fatal(err)
	}
	withEIP, withAuto := r.Instances[0], r.Instances[1]
	addr := f.associateEIP(withEIP.NetworkInterfaces[0])
	if withEIP.PublicIP == "" || f.publicIPHeld(withEIP.PublicIP) {
		t.Fatalf("the auto-assigned address %q should be back in the pool once an Elastic IP replaced it", withEIP.PublicIP)
	}
	if _, err := f.c.TerminateInstances(f.ctx, f.who, []string{withEIP.ID, withAuto.ID}); err != nil {
		t.Fatal(err)
	}
	if a := f.address(addr.ID); a.AssociationID != "" || a.InstanceID != "" {
		t.Fatalf("the Elastic IP stays associated with a terminated instance: %+v", a)
	}
	if f.publicIPHeld(withAuto.PublicIP) {
		t.Fatal("the auto-assigned address of a terminated instance is still held")
	}
}

func TestRequesterManagedInterfaces(t *testing.T) {
	f := newENIFixture(t)
	var id string
	f.write(func(t *cloud.Txn) error {
		eni, err := CreateInterface(t, f.subnet, InterfaceSpec{InterfaceType: "nat_gateway", RequesterManaged: true, RequesterID: "amazon-nat",
			Groups: []string{f.vpc.DefaultSecurityGroupID}})
		if err != nil {
			return err
		}
		eni.Attachment = &InterfaceAttachment{ID: "ela-attach-0123456789abcdef0", InstanceOwnerID: "amazon-aws", DeviceIndex: 1, Status: "attached"}
		eni.Status, id = "in-use", eni.ID
		return cloud.Put(t, eni)
	})
	err := f.c.DeleteNetworkInterface(f.ctx, f.who, id)
	if reason(err) != cloud.InvalidParameter || err.Error() != "Network interface '"+id+"' is currently in use." {
		t.Fatalf("delete: %v", err)
	}
	err = f.c.DetachNetworkInterface(f.ctx, f.who, "ela-attach-0123456789abcdef0")
	if reason(err) != cloud.OperationNotPermitted || err.Error() != "You are not allowed to manage 'ela-attach' attachments." {
		t.Fatalf("detach: %v", err)
	}
}

func TestRunInstancesWithoutDefaultVPC(t *testing.T) {
	f := newENIFixture(t)
	f.write(func(t *cloud.Txn) error {
		vpc, err := defaultVPC(t)
		if err != nil {
			return err
		}
		return cloud.Remove(t, vpc)
	})
	_, err := f.c.RunInstances(f.ctx, f.who, RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1})
	if e, _ := cloud.AsError(err); reason(err) != cloud.NoDefaultVPC || e.Msg != "No default VPC for this user" {
		t.Fatalf("launch without a subnet or default VPC: %v", err)
	}
	// Naming a subnet still works.
	if _, err := f.c.RunInstances(f.ctx, f.who, RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, SubnetID: f.subnet.ID}); err != nil {
		t.Fatal(err)
	}
}

func TestCPUOptions(t *testing.T) {
	for _, tc := range []struct {
		typ            string
		cores, threads int32
	}{
		{"m1.small", 1, 1}, {"t2.micro", 1, 1}, {"t3.micro", 1, 2}, {"m5.large", 1, 2},
		{"m5.xlarge", 2, 2}, {"c5.4xlarge", 8, 2}, {"t4g.micro", 1, 1}, {"c6g.2xlarge", 8, 1}, {"a1.large", 2, 1},
	} {
		if c, th := cpuOptions(tc.typ); c != tc.cores || th != tc.threads {
			t.Errorf("%s: %d cores × %d threads, want %d × %d", tc.typ, c, th, tc.cores, tc.threads)
		}
	}
}
