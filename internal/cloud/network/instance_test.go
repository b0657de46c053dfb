package network

import (
	"strings"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// instanceFixture is the fixture (its subnet in us-east-1a) with a clock
// the test moves, and an internet gateway on its VPC.
type instanceFixture struct {
	fixture
	now *time.Time
}

func newInstanceFixture(t *testing.T) *instanceFixture {
	t.Helper()
	clock := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	f := &instanceFixture{now: &clock}
	f.fixture = newFixture(t, "us-east-1a", cloud.WithClock(func() time.Time { return *f.now }))
	igw, err := f.c.CreateInternetGateway(f.ctx, f.who, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.c.AttachInternetGateway(f.ctx, f.who, igw.ID, f.vpc.ID); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *instanceFixture) run(in RunInstancesInput) *Reservation {
	f.t.Helper()
	if in.ImageID == "" {
		in.ImageID = "ami-12345678"
	}
	if in.MinCount == 0 {
		in.MinCount, in.MaxCount = 1, max(1, in.MaxCount)
	}
	r, err := f.c.RunInstances(f.ctx, f.who, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

func (f *instanceFixture) inst(id string) *Instance { return readAs[Instance](f.fixture, id) }

// TestRunInstances: each instance runs at once with a primary interface in
// its subnet, the VPC's default group and, when the subnet maps them, a
// public address.
func TestRunInstances(t *testing.T) {
	f := newInstanceFixture(t)
	r := f.run(RunInstancesInput{SubnetID: f.subnet.ID, MaxCount: 3, InstanceType: "t3.micro", KeyName: "k",
		Tags: []cloud.TagSpec{{ResourceType: "instance", Tags: []cloud.Tag{{Key: "Name", Value: "web"}}}, {ResourceType: "volume", Tags: []cloud.Tag{{Key: "v", Value: "1"}}}}})
	if len(r.Instances) != 3 || !cloud.WellFormed(r.ID, "r-") || r.Owner != f.who.Account {
		t.Fatalf("reservation %+v", r)
	}
	for k, inst := range r.Instances {
		if inst.State != "running" || inst.AmiLaunchIndex != int32(k) || inst.SubnetID != f.subnet.ID || inst.AvailabilityZone != "us-east-1a" ||
			inst.PublicIP != "" || inst.Tags["Name"] != "web" || inst.CoreCount != 1 || inst.ThreadsPerCore != 2 || inst.Tenancy != "default" ||
			inst.Metadata.HTTPTokens != "optional" || inst.Metadata.HopLimit != 1 || len(inst.SecurityGroups) != 1 || inst.SecurityGroups[0] != f.vpc.DefaultSecurityGroupID ||
			inst.Architecture() != "x86_64" || StateCode(inst.State) != 16 {
			t.Errorf("instance %d: %+v", k, inst)
		}
		if inst.PrivateDNSName() != "ip-"+strings.ReplaceAll(inst.PrivateIP, ".", "-")+".ec2.internal" {
			t.Errorf("private DNS name %s of %s", inst.PrivateDNSName(), inst.PrivateIP)
		}
	}
	// With the subnet mapping public addresses, an instance gets one.
	if err := f.c.ModifySubnetAttribute(f.ctx, f.who, f.subnet.ID, SubnetAttributes{MapPublicIPOnLaunch: ptrTo(true)}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.ModifyVPCAttribute(f.ctx, f.who, f.vpc.ID, AttrEnableDNSHostnames, true); err != nil {
		t.Fatal(err)
	}
	pub := f.run(RunInstancesInput{SubnetID: f.subnet.ID, InstanceType: "c6g.large"}).Instances[0]
	got := f.inst(pub.ID)
	if got.PublicIP == "" || !f.publicIPHeld(got.PublicIP) || got.PublicDNSName() != "ec2-"+strings.ReplaceAll(got.PublicIP, ".", "-")+".compute-1.amazonaws.com" || got.Architecture() != "arm64" {
		t.Fatalf("instance with a public address %+v (%s)", got, got.PublicDNSName())
	}

	// Without a subnet: the default VPC's subnet of the zone asked for.
	def := f.run(RunInstancesInput{AvailabilityZone: "us-east-1c"}).Instances[0]
	if def.AvailabilityZone != "us-east-1c" || def.VpcID != defaultVPCOf(t, f.fixture) || def.PublicIP == "" {
		t.Fatalf("instance in the default VPC %+v", def)
	}
}

func TestRunInstancesRefusals(t *testing.T) {
	f := newInstanceFixture(t)
	small, err := f.c.CreateSubnet(f.ctx, f.who, CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.9.0/28", AvailabilityZone: "us-east-1b"})
	if err != nil {
		t.Fatal(err)
	}
	zero, one := int32(0), int32(1)
	other, err := f.c.CreateVPC(f.ctx, f.who, CreateVPCInput{CIDRBlock: "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		in     RunInstancesInput
		reason cloud.Reason
		msg    string
	}{
		{"no image", RunInstancesInput{MinCount: 1, MaxCount: 1}, cloud.MissingParameter, "The request must contain the parameter ImageId"},
		{"bad image", RunInstancesInput{ImageID: "img-1", MinCount: 1, MaxCount: 1}, cloud.Malformed, `Invalid id: "img-1" (expecting "ami-...")`},
		{"bad type", RunInstancesInput{ImageID: "ami-12345678", InstanceType: "huge", MinCount: 1, MaxCount: 1}, cloud.InvalidParameter, "Invalid value 'huge' for InstanceType."},
		{"no count", RunInstancesInput{ImageID: "ami-12345678"}, cloud.InvalidParameter, "Value (0) for parameter minCount is invalid. Expected a positive integer."},
		{"max below min", RunInstancesInput{ImageID: "ami-12345678", MinCount: 2, MaxCount: 1}, cloud.InvalidParameter, "Value (1) for parameter maxCount is invalid."},
		{"one address, two instances", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 2, PrivateIP: "10.0.1.9"}, cloud.InvalidCombination, "A private IP address can't be specified when launching more than one instance."},
		{"bad tenancy", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, Tenancy: "shared"}, cloud.InvalidParameter, "Value (shared) for parameter tenancy is invalid."},
		{"bad metadata", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, Metadata: MetadataOptions{HTTPTokens: "always"}}, cloud.InvalidParameter, "Value (always) for parameter metadataOptions is invalid."},
		{"bad hop limit", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, Metadata: MetadataOptions{HopLimit: 65}}, cloud.InvalidParameter, "httpPutResponseHopLimit"},
		{"bad tag type", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, Tags: []cloud.TagSpec{{ResourceType: "vpc"}}}, cloud.InvalidParameter, "not a valid taggable resource type"},
		{"interfaces and a subnet", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, SubnetID: f.subnet.ID, Interfaces: []LaunchInterface{{DeviceIndex: &zero}}}, cloud.InvalidCombination, "Network interfaces and an instance-level subnet ID may not be specified on the same request"},
		{"interfaces without index 0", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, Interfaces: []LaunchInterface{{DeviceIndex: &one, SubnetID: f.subnet.ID}}}, cloud.InvalidParameter, "A network interface at device index 0 must be specified."},
		{"interface without index", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, Interfaces: []LaunchInterface{{SubnetID: f.subnet.ID}}}, cloud.MissingParameter, "The request must contain the parameter deviceIndex"},
		{"index twice", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, Interfaces: []LaunchInterface{{DeviceIndex: &zero, SubnetID: f.subnet.ID}, {DeviceIndex: &zero}}}, cloud.InvalidParameter, "Each network interface requires a unique, non-negative device index."},
		{"public address on two interfaces", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, Interfaces: []LaunchInterface{{DeviceIndex: &zero, SubnetID: f.subnet.ID, AssociatePublicIP: ptrTo(true)}, {DeviceIndex: &one}}}, cloud.InvalidCombination, "cannot be specified when launching with multiple network interfaces"},
		{"an interface and a subnet for it", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, Interfaces: []LaunchInterface{{DeviceIndex: &zero, NetworkInterfaceID: "eni-12345678", SubnetID: f.subnet.ID}}}, cloud.InvalidCombination, "A network interface may not specify both a network interface ID and a subnet"},
		{"unknown subnet", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, SubnetID: "subnet-0123456789abcdef0"}, cloud.NotFound, "does not exist"},
		{"zone of another subnet", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, SubnetID: f.subnet.ID, AvailabilityZone: "us-east-1b"}, cloud.InvalidParameter, "Subnet '" + f.subnet.ID + "' is in the availability zone us-east-1a"},
		{"no zone", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, AvailabilityZone: "us-east-1z"}, cloud.InvalidParameter, "Invalid availability zone: [us-east-1z]"},
		{"names outside the default VPC", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, SubnetID: f.subnet.ID, SecurityGroupNames: []string{"default"}}, cloud.InvalidCombination, "The parameter groupName cannot be used with the parameter subnet"},
		{"unknown group name", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, SecurityGroupNames: []string{"nope"}}, cloud.NotFound, "The security group 'nope' does not exist in default VPC"},
		{"group of another VPC", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, SubnetID: f.subnet.ID, SecurityGroupIDs: []string{other.DefaultSecurityGroupID}}, cloud.InvalidParameter, "belong to different networks"},
		{"unknown group", RunInstancesInput{ImageID: "ami-12345678", MinCount: 1, MaxCount: 1, SubnetID: f.subnet.ID, SecurityGroupIDs: []string{"sg-0123456789abcdef0"}}, cloud.NotFound, "The security group 'sg-0123456789abcdef0' does not exist in VPC '" + f.vpc.ID + "'"},
		{"too many for the subnet", RunInstancesInput{ImageID: "ami-12345678", MinCount: 12, MaxCount: 20, SubnetID: small.ID}, cloud.InsufficientAddresses, "There are not enough free addresses in subnet '" + small.ID + "' to satisfy the requested number of instances."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.c.RunInstances(f.ctx, f.who, tc.in)
			refusedWith(t, err, tc.reason, tc.name)
			if e, _ := cloud.AsError(err); !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("message %q, want %q", e.Msg, tc.msg)
			}
		})
	}
	// As many as fit, when at least MinCount do.
	r := f.run(RunInstancesInput{MinCount: 2, MaxCount: 20, SubnetID: small.ID})
	if len(r.Instances) != 11 {
		t.Fatalf("launched %d in a /28", len(r.Instances))
	}
}

// TestInstanceLifecycle: a stop gives the auto-assigned public address
// back and a start takes a new one; a terminate deletes the interfaces
// marked so and detaches the others; a terminated instance shows for an
// hour.
func TestInstanceLifecycle(t *testing.T) {
	f := newInstanceFixture(t)
	spare, err := f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: f.subnet.ID, Description: "spare"})
	if err != nil {
		t.Fatal(err)
	}
	// The subnet maps public addresses: the primary interface gets one
	// (AssociatePublicIpAddress is for launches of one interface only).
	if err := f.c.ModifySubnetAttribute(f.ctx, f.who, f.subnet.ID, SubnetAttributes{MapPublicIPOnLaunch: ptrTo(true)}); err != nil {
		t.Fatal(err)
	}
	zero, one := int32(0), int32(1)
	inst := f.run(RunInstancesInput{Interfaces: []LaunchInterface{
		{DeviceIndex: &one, NetworkInterfaceID: spare.ID},
		{DeviceIndex: &zero, SubnetID: f.subnet.ID, SecondaryCount: 1},
	}}).Instances[0]
	first := inst.PublicIP
	if first == "" || len(inst.NetworkInterfaces) != 2 {
		t.Fatalf("launched %+v", inst)
	}
	if got := f.inst(inst.ID); len(got.Interfaces) != 2 || got.Interfaces[1].ID != spare.ID || got.Interfaces[0].Attachment.DeleteOnTermination != true || got.Interfaces[1].Attachment.DeleteOnTermination {
		t.Fatalf("interfaces %+v", got.Interfaces)
	}

	changes, err := f.c.StopInstances(f.ctx, f.who, []string{inst.ID, inst.ID})
	if err != nil || len(changes) != 1 || changes[0].Previous != "running" || changes[0].Current != "stopping" {
		t.Fatalf("stop %+v %v", changes, err)
	}
	got := f.inst(inst.ID)
	if got.State != "stopped" || got.PublicIP != "" || f.publicIPHeld(first) || got.StateReason != "Client.UserInitiatedShutdown" ||
		got.StateTransitionReason != "User initiated (2026-05-01 10:00:00 GMT)" || StateCode(got.State) != 80 {
		t.Fatalf("stopped %+v", got)
	}
	// Stopping again changes nothing; starting a running one neither.
	if changes, err := f.c.StopInstances(f.ctx, f.who, []string{inst.ID}); err != nil || changes[0].Current != "stopped" {
		t.Fatalf("second stop %+v %v", changes, err)
	}
	changes, err = f.c.StartInstances(f.ctx, f.who, []string{inst.ID})
	if err != nil || changes[0].Previous != "stopped" || changes[0].Current != "pending" {
		t.Fatalf("start %+v %v", changes, err)
	}
	got = f.inst(inst.ID)
	if got.State != "running" || got.PublicIP == "" || got.StateReason != "" || !f.publicIPHeld(got.PublicIP) {
		t.Fatalf("started %+v", got)
	}
	if changes, err := f.c.StartInstances(f.ctx, f.who, []string{inst.ID}); err != nil || changes[0].Current != "running" {
		t.Fatalf("second start %+v %v", changes, err)
	}
	_, err = f.c.StopInstances(f.ctx, f.who, []string{inst.ID, "i-0123456789abcdef0", "i-0123456789abcdef1"})
	wantReason(t, err, cloud.NotFound, cloud.KindInstance, "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist")
	_, err = f.c.StartInstances(f.ctx, bob, []string{inst.ID})
	wantReason(t, err, cloud.NotFound, cloud.KindInstance, "The instance ID '"+inst.ID+"' does not exist")
	_, err = f.c.StopInstances(f.ctx, f.who, []string{"i-x"})
	wantReason(t, err, cloud.Malformed, cloud.KindInstance, `Invalid id: "i-x"`)

	primary := got.Interfaces[0]
	changes, err = f.c.TerminateInstances(f.ctx, f.who, []string{inst.ID})
	if err != nil || changes[0].Current != "shutting-down" {
		t.Fatalf("terminate %+v %v", changes, err)
	}
	got = f.inst(inst.ID)
	if got.State != "terminated" || got.SubnetID != "" || got.PrivateIP != "" || len(got.NetworkInterfaces) != 0 || got.PrivateDNSName() != "" {
		t.Fatalf("terminated %+v", got)
	}
	if _, err := f.c.GetNetworkInterface(f.ctx, f.who, primary.ID); reason(err) != cloud.NotFound {
		t.Fatalf("the primary interface outlived its instance: %v", err)
	}
	if eni := readAs[NetworkInterface](f.fixture, spare.ID); eni.Attachment != nil || eni.Status != "available" {
		t.Fatalf("the spare interface after terminate %+v", eni)
	}
	_, err = f.c.StopInstances(f.ctx, f.who, []string{inst.ID})
	wantReason(t, err, cloud.IncorrectState, cloud.KindInstance, "This instance '"+inst.ID+"' is not in a state from which it can be stopped.")
	_, err = f.c.StartInstances(f.ctx, f.who, []string{inst.ID})
	wantReason(t, err, cloud.IncorrectState, cloud.KindInstance, "The instance '"+inst.ID+"' is not in a state from which it can be started.")
	if changes, err := f.c.TerminateInstances(f.ctx, f.who, []string{inst.ID}); err != nil || changes[0].Previous != "terminated" || changes[0].Current != "terminated" {
		t.Fatalf("terminating again %+v %v", changes, err)
	}
	// An hour later it is gone.
	*f.now = f.now.Add(time.Hour)
	_, err = f.c.TerminateInstances(f.ctx, f.who, []string{inst.ID})
	wantReason(t, err, cloud.NotFound, cloud.KindInstance, inst.ID)
	page, err := cloud.List[Instance](f.ctx, f.c.Cloud, f.who, cloud.Query{}, nil)
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("listed after the hour %v %v", page.Items, err)
	}
}

// TestAttachDetachInterfaces: an available interface attaches to an
// instance of its zone at a free index, and detaches again; the primary
// stays.
func TestAttachDetachInterfaces(t *testing.T) {
	f := newInstanceFixture(t)
	inst := f.run(RunInstancesInput{SubnetID: f.subnet.ID}).Instances[0]
	eni, err := f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: f.subnet.ID})
	if err != nil {
		t.Fatal(err)
	}
	far, err := f.c.CreateSubnet(f.ctx, f.who, CreateSubnetInput{VpcID: f.vpc.ID, CIDRBlock: "10.0.5.0/24", AvailabilityZone: "us-east-1b"})
	if err != nil {
		t.Fatal(err)
	}
	farENI, err := f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: far.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		eni    string
		inst   string
		index  int32
		reason cloud.Reason
		msg    string
	}{
		{"negative index", eni.ID, inst.ID, -1, cloud.InvalidParameter, "Value (-1) for parameter deviceIndex is invalid. Expected a non-negative integer."},
		{"taken index", eni.ID, inst.ID, 0, cloud.InvalidParameter, "Instance '" + inst.ID + "' already has an interface attached at device index '0'."},
		{"another zone", farENI.ID, inst.ID, 1, cloud.InvalidCombination, "You may not attach a network interface to an instance if they are not in the same availability zone"},
		{"the instance's own", inst.NetworkInterfaces[0], inst.ID, 1, cloud.InUse, "Interface: [" + inst.NetworkInterfaces[0] + "] in use."},
		{"unknown instance", eni.ID, "i-0123456789abcdef0", 1, cloud.NotFound, "The instance ID 'i-0123456789abcdef0' does not exist"},
		{"malformed interface", "eni-1", inst.ID, 1, cloud.Malformed, `Invalid id: "eni-1" (expecting "eni-...")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.c.AttachNetworkInterface(f.ctx, f.who, tc.eni, tc.inst, tc.index)
			refusedWith(t, err, tc.reason, tc.name)
			if e, _ := cloud.AsError(err); e.Msg != tc.msg {
				t.Errorf("message %q, want %q", e.Msg, tc.msg)
			}
		})
	}
	att, err := f.c.AttachNetworkInterface(f.ctx, f.who, eni.ID, inst.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	got := f.inst(inst.ID)
	if len(got.Interfaces) != 2 || got.Interfaces[1].ID != eni.ID || got.Interfaces[1].Attachment.ID != att || got.Interfaces[1].Status != "in-use" {
		t.Fatalf("attached %+v", got.Interfaces)
	}
	// Only interfaces nothing uses can go.
	wantReason(t, f.c.DeleteNetworkInterface(f.ctx, f.who, eni.ID), cloud.InvalidParameter, "", "Network interface '"+eni.ID+"' is currently in use.")
	// Delete on termination may change by attachment id.
	wantReason(t, f.c.ModifyNetworkInterfaceAttribute(f.ctx, f.who, eni.ID, InterfaceAttributes{DeleteOnTermination: ptrTo(true), AttachmentID: "eni-attach-0123456789abcdef0"}),
		cloud.NotFound, cloud.KindENIAttachment, "The attachment ID 'eni-attach-0123456789abcdef0' does not exist")
	if err := f.c.ModifyNetworkInterfaceAttribute(f.ctx, f.who, eni.ID, InterfaceAttributes{DeleteOnTermination: ptrTo(true), AttachmentID: att}); err != nil {
		t.Fatal(err)
	}
	primaryAtt := got.Interfaces[0].Attachment.ID
	err = f.c.DetachNetworkInterface(f.ctx, f.who, primaryAtt)
	wantReason(t, err, cloud.OperationNotPermitted, "", "The network interface at device index 0 and networkCard index 0 cannot be detached.")
	err = f.c.DetachNetworkInterface(f.ctx, f.who, "eni-attach-0123456789abcdef0")
	wantReason(t, err, cloud.NotFound, cloud.KindENIAttachment, "The attachment ID 'eni-attach-0123456789abcdef0' does not exist")
	if err := f.c.DetachNetworkInterface(f.ctx, f.who, att); err != nil {
		t.Fatal(err)
	}
	if got := f.inst(inst.ID); len(got.Interfaces) != 1 || len(got.NetworkInterfaces) != 1 {
		t.Fatalf("after detach %+v", got)
	}
	if err := f.c.DeleteNetworkInterface(f.ctx, f.who, eni.ID); err != nil {
		t.Fatal(err)
	}
	// A stopped instance takes interfaces too; a terminated one none.
	if _, err := f.c.StopInstances(f.ctx, f.who, []string{inst.ID}); err != nil {
		t.Fatal(err)
	}
	other, err := f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: f.subnet.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.AttachNetworkInterface(f.ctx, f.who, other.ID, inst.ID, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.TerminateInstances(f.ctx, f.who, []string{inst.ID}); err != nil {
		t.Fatal(err)
	}
	_, err = f.c.AttachNetworkInterface(f.ctx, f.who, other.ID, inst.ID, 1)
	wantReason(t, err, cloud.IncorrectState, cloud.KindInstance, "Instance '"+inst.ID+"' is not 'running' or 'stopped'.")
}

// TestInterfaceAddresses: secondary addresses are assigned by value or
// count, moved from another interface with reassign, and unassigned; the
// subnet's free count follows.
func TestInterfaceAddresses(t *testing.T) {
	f := newInstanceFixture(t)
	free := func() int64 { return readAs[Subnet](f.fixture, f.subnet.ID).AvailableIPs() }
	before := free()
	a, err := f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: f.subnet.ID,
		PrivateIPs: []PrivateIPSpec{{Address: "10.0.1.20"}, {Address: "10.0.1.10", Primary: true}}})
	if err != nil {
		t.Fatal(err)
	}
	if a.PrimaryIP() != "10.0.1.10" || len(a.PrivateIPs) != 2 || a.PrivateIPs[1].Address != "10.0.1.20" || free() != before-2 {
		t.Fatalf("interface %+v, %d free", a.PrivateIPs, free())
	}
	b, err := f.c.CreateNetworkInterface(f.ctx, f.who, CreateNetworkInterfaceInput{SubnetID: f.subnet.ID})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.c.AssignPrivateIPAddresses(f.ctx, f.who, b.ID, nil, 2, false)
	if err != nil || len(got) != 2 {
		t.Fatalf("assigned %v %v", got, err)
	}
	_, err = f.c.AssignPrivateIPAddresses(f.ctx, f.who, b.ID, []string{"10.0.1.20"}, 0, false)
	wantReason(t, err, cloud.InUse, cloud.KindAddress, "Address 10.0.1.20 is in use.")
	_, err = f.c.AssignPrivateIPAddresses(f.ctx, f.who, b.ID, []string{"10.0.1.10"}, 0, true)
	wantReason(t, err, cloud.InUse, cloud.KindAddress, "Address 10.0.1.10 is in use.")
	// A secondary address moves with reassign.
	if got, err := f.c.AssignPrivateIPAddresses(f.ctx, f.who, b.ID, []string{"10.0.1.20"}, 0, true); err != nil || got[0] != "10.0.1.20" {
		t.Fatalf("reassigned %v %v", got, err)
	}
	if n := len(readAs[NetworkInterface](f.fixture, a.ID).PrivateIPs); n != 1 {
		t.Fatalf("the old holder kept %d addresses", n)
	}
	if free() != before-5 {
		t.Fatalf("%d free, want %d", free(), before-5)
	}
	for _, tc := range []struct {
		name   string
		addrs  []string
		count  int
		reason cloud.Reason
		msg    string
	}{
		{"both", []string{"10.0.1.30"}, 1, cloud.InvalidCombination, "The parameters privateIpAddress and secondaryPrivateIpAddressCount may not be specified on the same request."},
		{"neither", nil, 0, cloud.MissingParameter, "The request must contain the parameter privateIpAddress or secondaryPrivateIpAddressCount"},
		{"outside the subnet", []string{"10.0.2.5"}, 0, cloud.InvalidParameter, "Address 10.0.2.5 does not fall within the subnet's address range"},
		{"reserved", []string{"10.0.1.1"}, 0, cloud.InvalidParameter, "Address 10.0.1.1 is in subnet's reserved address range"},
		{"not an address", []string{"ten"}, 0, cloud.InvalidParameter, "Value (ten) for parameter privateIpAddress is invalid."},
		{"too many", nil, 300, cloud.InsufficientAddresses, "The specified subnet does not have enough free addresses to satisfy the request."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.c.AssignPrivateIPAddresses(f.ctx, f.who, b.ID, tc.addrs, tc.count, false)
			refusedWith(t, err, tc.reason, tc.name)
			if e, _ := cloud.AsError(err); e.Msg != tc.msg {
				t.Errorf("message %q, want %q", e.Msg, tc.msg)
			}
		})
	}
	wantReason(t, f.c.UnassignPrivateIPAddresses(f.ctx, f.who, b.ID, []string{b.PrimaryIP()}), cloud.InvalidParameter, "",
		"The primary private IP address "+b.PrimaryIP()+" of network interface "+b.ID+" cannot be unassigned.")
	wantReason(t, f.c.UnassignPrivateIPAddresses(f.ctx, f.who, b.ID, []string{"10.0.1.200"}), cloud.InvalidParameter, "",
		"Some of the specified addresses are not assigned to interface "+b.ID)
	if err := f.c.UnassignPrivateIPAddresses(f.ctx, f.who, b.ID, append(got, "10.0.1.20")); err != nil {
		t.Fatal(err)
	}
	if n := len(readAs[NetworkInterface](f.fixture, b.ID).PrivateIPs); n != 1 || free() != before-2 {
		t.Fatalf("after unassign %d addresses, %d free", n, free())
	}
}

// TestModifyInterface: description, source/destination check, groups and
// the auto-assigned public address change; a service's interface does not.
func TestModifyInterface(t *testing.T) {
	f := newInstanceFixture(t)
	g, err := f.c.CreateSecurityGroup(f.ctx, f.who, CreateSecurityGroupInput{VpcID: f.vpc.ID, Name: "app", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	inst := f.run(RunInstancesInput{SubnetID: f.subnet.ID}).Instances[0]
	id := inst.NetworkInterfaces[0]
	err = f.c.ModifyNetworkInterfaceAttribute(f.ctx, f.who, id, InterfaceAttributes{Description: ptrTo("primary"), SourceDestCheck: ptrTo(false), Groups: []string{g.ID}, AssociatePublicIP: ptrTo(true)})
	if err != nil {
		t.Fatal(err)
	}
	eni := readAs[NetworkInterface](f.fixture, id)
	if eni.Description != "primary" || eni.SourceDestCheck || len(eni.Groups) != 1 || eni.GroupNames[0] != "app" || eni.PublicIP() == "" {
		t.Fatalf("modified %+v", eni)
	}
	if got := f.inst(inst.ID); got.PublicIP != eni.PublicIP() || got.SecurityGroups[0] != g.ID {
		t.Fatalf("instance after its interface changed %+v", got)
	}
	ip := eni.PublicIP()
	if err := f.c.ModifyNetworkInterfaceAttribute(f.ctx, f.who, id, InterfaceAttributes{AssociatePublicIP: ptrTo(false)}); err != nil {
		t.Fatal(err)
	}
	if got := readAs[NetworkInterface](f.fixture, id); got.PublicIP() != "" || f.publicIPHeld(ip) {
		t.Fatalf("public address kept %+v", got)
	}
	wantReason(t, f.c.ModifyNetworkInterfaceAttribute(f.ctx, f.who, id, InterfaceAttributes{Groups: []string{"sg-0123456789abcdef0"}}),
		cloud.NotFound, cloud.KindSecurityGroup, "The security group 'sg-0123456789abcdef0' does not exist")
	// A NAT gateway's interface is AWS's.
	nat, err := f.c.CreateNATGateway(f.ctx, f.who, CreateNATGatewayInput{SubnetID: f.subnet.ID, ConnectivityType: "private"})
	if err != nil {
		t.Fatal(err)
	}
	natENI := nat.Primary().NetworkInterfaceID
	for _, err := range []error{
		f.c.ModifyNetworkInterfaceAttribute(f.ctx, f.who, natENI, InterfaceAttributes{Description: ptrTo("mine")}),
		f.c.UnassignPrivateIPAddresses(f.ctx, f.who, natENI, []string{"10.0.1.9"}),
		func() error { _, err := f.c.AssignPrivateIPAddresses(f.ctx, f.who, natENI, nil, 1, false); return err }(),
	} {
		wantReason(t, err, cloud.OperationNotPermitted, cloud.KindNetworkInterface, "You do not have permission to access the specified resource.")
	}
	_, err = f.c.AttachNetworkInterface(f.ctx, f.who, natENI, inst.ID, 1)
	wantReason(t, err, cloud.InUse, cloud.KindNetworkInterface, "Interface: ["+natENI+"] in use.")
}
