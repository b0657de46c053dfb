package ec2_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// publicPool is where vpcemu draws public addresses from.
const publicPool = "198.18.0.0/15"

func TestRunInstancesDefaultVPC(t *testing.T) {
	e := newENIEnv(t)
	out := e.run(&ec2.RunInstancesInput{
		KeyName: aws.String("ops"), UserData: aws.String("ZWNobyBoaQ=="),
		TagSpecifications: []types.TagSpecification{
			tagSpec(types.ResourceTypeInstance, "Name", "web"),
			tagSpec(types.ResourceTypeNetworkInterface, "Name", "web-eth0"),
			tagSpec(types.ResourceTypeVolume, "Name", "web-root"),
		},
	})
	if !strings.HasPrefix(aws.ToString(out.ReservationId), "r-") || aws.ToString(out.OwnerId) != emulatortest.AccountA || len(out.Instances) != 1 {
		t.Fatalf("reservation: %+v", out)
	}
	launched := out.Instances[0]
	id := aws.ToString(launched.InstanceId)
	if launched.State.Name != types.InstanceStateNamePending || aws.ToInt32(launched.State.Code) != 0 ||
		launched.PublicIpAddress != nil || launched.NetworkInterfaces[0].Attachment.Status != types.AttachmentStatusAttaching {
		t.Fatalf("launch answer: state %+v public %v", launched.State, launched.PublicIpAddress)
	}
	if launched.InstanceType != types.InstanceTypeM1Small {
		t.Errorf("default instance type %s, want m1.small", launched.InstanceType)
	}

	i := e.instance(id)
	if i.State.Name != types.InstanceStateNameRunning || aws.ToInt32(i.State.Code) != 16 {
		t.Fatalf("state %+v", i.State)
	}
	if aws.ToString(i.Placement.AvailabilityZone) != "us-east-1a" || !strings.HasPrefix(aws.ToString(i.PrivateIpAddress), "172.31.") ||
		aws.ToString(i.PrivateDnsName) != "ip-"+strings.ReplaceAll(aws.ToString(i.PrivateIpAddress), ".", "-")+".ec2.internal" {
		t.Fatalf("placement/private: %s %s %s", aws.ToString(i.Placement.AvailabilityZone), aws.ToString(i.PrivateIpAddress), aws.ToString(i.PrivateDnsName))
	}
	pub := aws.ToString(i.PublicIpAddress)
	if !inPrefix(pub, publicPool) || aws.ToString(i.PublicDnsName) != "ec2-"+strings.ReplaceAll(pub, ".", "-")+".compute-1.amazonaws.com" {
		t.Fatalf("public: %s %s", pub, aws.ToString(i.PublicDnsName))
	}
	checks := map[string]bool{
		"architecture":        i.Architecture == types.ArchitectureValuesX8664,
		"root device type":    i.RootDeviceType == types.DeviceTypeEbs,
		"root device name":    aws.ToString(i.RootDeviceName) == "/dev/xvda",
		"virtualization type": i.VirtualizationType == types.VirtualizationTypeHvm,
		"hypervisor":          i.Hypervisor == types.HypervisorTypeXen,
		"ebs optimized":       i.EbsOptimized != nil && !*i.EbsOptimized,
		"monitoring":          i.Monitoring != nil && i.Monitoring.State == types.MonitoringStateDisabled,
		"cpu options":         i.CpuOptions != nil && aws.ToInt32(i.CpuOptions.CoreCount) == 1 && aws.ToInt32(i.CpuOptions.ThreadsPerCore) == 1,
		"metadata options":    i.MetadataOptions != nil && i.MetadataOptions.State == types.InstanceMetadataOptionsStateApplied && i.MetadataOptions.HttpTokens == types.HttpTokensStateOptional && aws.ToInt32(i.MetadataOptions.HttpPutResponseHopLimit) == 1,
		"launch time":         i.LaunchTime != nil,
		"ena support":         aws.ToBool(i.EnaSupport),
		"source dest check":   aws.ToBool(i.SourceDestCheck),
		"key name":            aws.ToString(i.KeyName) == "ops",
		"image":               aws.ToString(i.ImageId) == "ami-12345678",
		"ami launch index":    i.AmiLaunchIndex != nil && *i.AmiLaunchIndex == 0,
		"client token":        aws.ToString(i.ClientToken) != "",
		"state reason":        i.StateReason == nil && aws.ToString(i.StateTransitionReason) == "",
		"groups":              len(i.SecurityGroups) == 1 && aws.ToString(i.SecurityGroups[0].GroupName) == "default",
		"tags":                len(i.Tags) == 1 && aws.ToString(i.Tags[0].Value) == "web",
		"subnet and vpc":      aws.ToString(i.SubnetId) != "" && aws.ToString(i.VpcId) != "",
		"tenancy":             i.Placement.Tenancy == types.TenancyDefault,
	}
	for name, ok := range checks {
		if !ok {
			t.Errorf("%s: %+v", name, i)
		}
	}
	ni := i.NetworkInterfaces[0]
	if aws.ToString(ni.Association.PublicIp) != pub || aws.ToString(ni.Association.IpOwnerId) != "amazon" ||
		!aws.ToBool(ni.Attachment.DeleteOnTermination) || aws.ToInt32(ni.Attachment.DeviceIndex) != 0 ||
		ni.Attachment.Status != types.AttachmentStatusAttached || ni.Status != types.NetworkInterfaceStatusInUse ||
		aws.ToString(ni.PrivateIpAddress) != aws.ToString(i.PrivateIpAddress) || len(ni.Groups) != 1 {
		t.Fatalf("primary interface: %+v", ni)
	}
	eni := e.describeENI(aws.ToString(ni.NetworkInterfaceId))
	if len(eni.TagSet) != 1 || aws.ToString(eni.TagSet[0].Value) != "web-eth0" || aws.ToString(eni.Association.PublicIp) != pub {
		t.Fatalf("primary interface tags/association: %+v", eni)
	}

	// Placement picks the zone's default subnet.
	b := e.run(&ec2.RunInstancesInput{Placement: &types.Placement{AvailabilityZone: aws.String("us-east-1b")}, InstanceType: types.InstanceTypeT4gMicro}).Instances[0]
	if aws.ToString(b.Placement.AvailabilityZone) != "us-east-1b" || b.Architecture != types.ArchitectureValuesArm64 {
		t.Fatalf("placed instance: %s %s", aws.ToString(b.Placement.AvailabilityZone), b.Architecture)
	}
}

func TestRunInstancesCount(t *testing.T) {
	e := newENIEnv(t)
	sub := e.subnet(e.vpc("10.0.0.0/16"), "10.0.1.0/28", "us-east-1a")
	out := e.run(&ec2.RunInstancesInput{SubnetId: &sub, MinCount: aws.Int32(2), MaxCount: aws.Int32(20)})
	if len(out.Instances) != 11 {
		t.Fatalf("launched %d instances in a /28, want 11", len(out.Instances))
	}
	seen := map[string]bool{}
	var ids []string
	for k, i := range out.Instances {
		ip := aws.ToString(i.PrivateIpAddress)
		if seen[ip] || aws.ToInt32(i.AmiLaunchIndex) != int32(k) || i.NetworkInterfaces[0].Association != nil {
			t.Fatalf("instance %d: %s (index %d)", k, ip, aws.ToInt32(i.AmiLaunchIndex))
		}
		seen[ip] = true
		ids = append(ids, aws.ToString(i.InstanceId))
	}
	if got := e.free(sub); got != 0 {
		t.Fatalf("free %d, want 0", got)
	}
	_, err := e.c.RunInstances(e.ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), SubnetId: &sub, MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	e.wantErr(err, "InsufficientFreeAddressesInSubnet", "There are not enough free addresses in subnet '"+sub+"' to satisfy the requested number of instances.")

	d, err := e.c.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{InstanceIds: ids})
	e.must(err)
	if len(d.Reservations) != 1 || len(d.Reservations[0].Instances) != 11 || aws.ToString(d.Reservations[0].ReservationId) != aws.ToString(out.ReservationId) {
		t.Fatalf("one reservation of 11 expected: %d reservations", len(d.Reservations))
	}

	term, err := e.c.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: ids})
	e.must(err)
	if len(term.TerminatingInstances) != 11 {
		t.Fatalf("terminated %d", len(term.TerminatingInstances))
	}
	if got := e.free(sub); got != 11 {
		t.Fatalf("free after terminate %d, want 11", got)
	}
}

func TestRunInstancesNetworkInterfaces(t *testing.T) {
	e := newENIEnv(t)
	vpc := e.vpc("10.0.0.0/16")
	sub := e.subnet(vpc, "10.0.1.0/24", "us-east-1a")
	sub2 := e.subnet(vpc, "10.0.2.0/24", "us-east-1a")
	group := e.defaultGroup(sub)

	// A new primary interface, described in NetworkInterfaces, with a public
	// address the subnet would not give, and a second interface.
	out := e.run(&ec2.RunInstancesInput{NetworkInterfaces: []types.InstanceNetworkInterfaceSpecification{
		{DeviceIndex: aws.Int32(0), SubnetId: &sub, Groups: []string{group}, PrivateIpAddress: aws.String("10.0.1.50"),
			DeleteOnTermination: aws.Bool(false), Description: aws.String("eth0"), SecondaryPrivateIpAddressCount: aws.Int32(1)},
		{DeviceIndex: aws.Int32(1), SubnetId: &sub2},
	}})
	i := e.instance(aws.ToString(out.Instances[0].InstanceId))
	if aws.ToString(i.PrivateIpAddress) != "10.0.1.50" || aws.ToString(i.SubnetId) != sub || len(i.NetworkInterfaces) != 2 ||
		i.PublicIpAddress != nil {
		t.Fatalf("instance: %+v", i)
	}
	eth0, eth1 := i.NetworkInterfaces[0], i.NetworkInterfaces[1]
	if aws.ToBool(eth0.Attachment.DeleteOnTermination) || aws.ToString(eth0.Description) != "eth0" || len(eth0.PrivateIpAddresses) != 2 ||
		aws.ToString(eth1.SubnetId) != sub2 || aws.ToInt32(eth1.Attachment.DeviceIndex) != 1 || !aws.ToBool(eth1.Attachment.DeleteOnTermination) {
		t.Fatalf("interfaces: %+v / %+v", eth0, eth1)
	}

	// AssociatePublicIpAddress gives a public address in a subnet that
	// does not map one.
	pubOut := e.run(&ec2.RunInstancesInput{NetworkInterfaces: []types.InstanceNetworkInterfaceSpecification{
		{DeviceIndex: aws.Int32(0), SubnetId: &sub, AssociatePublicIpAddress: aws.Bool(true)}}})
	pi := e.instance(aws.ToString(pubOut.Instances[0].InstanceId))
	if !inPrefix(aws.ToString(pi.PublicIpAddress), publicPool) || aws.ToString(pi.PublicDnsName) != "" {
		t.Fatalf("public address %v, DNS name %q (the VPC has no DNS hostnames)", aws.ToString(pi.PublicIpAddress), aws.ToString(pi.PublicDnsName))
	}

	// An existing interface becomes the primary one and outlives the
	// instance.
	eniID := aws.ToString(e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &sub2}).NetworkInterfaceId)
	ex := e.run(&ec2.RunInstancesInput{NetworkInterfaces: []types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(0), NetworkInterfaceId: &eniID}}})
	xi := e.instance(aws.ToString(ex.Instances[0].InstanceId))
	if aws.ToString(xi.NetworkInterfaces[0].NetworkInterfaceId) != eniID || aws.ToString(xi.SubnetId) != sub2 || aws.ToBool(xi.NetworkInterfaces[0].Attachment.DeleteOnTermination) {
		t.Fatalf("instance on an existing interface: %+v", xi)
	}
	_, err := e.c.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{aws.ToString(xi.InstanceId), aws.ToString(i.InstanceId)}})
	e.must(err)
	if n := e.describeENI(eniID); n.Status != types.NetworkInterfaceStatusAvailable {
		t.Fatalf("existing interface after terminate: %+v", n)
	}
	if n := e.describeENI(aws.ToString(eth0.NetworkInterfaceId)); n.Status != types.NetworkInterfaceStatusAvailable {
		t.Fatalf("eth0 without DeleteOnTermination after terminate: %+v", n)
	}
	_, err = e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{aws.ToString(eth1.NetworkInterfaceId)}})
	e.wantErr(err, "InvalidNetworkInterfaceID.NotFound", "")
}

func TestRunInstancesRefusals(t *testing.T) {
	e := newENIEnv(t)
	vpc := e.vpc("10.0.0.0/16")
	sub := e.subnet(vpc, "10.0.1.0/24", "us-east-1a")
	tiny := e.subnet(vpc, "10.0.2.0/28", "us-east-1a")
	otherGroup := e.defaultGroup(e.subnet(e.vpc("10.1.0.0/16"), "10.1.1.0/24", "us-east-1a"))
	busy := e.run(&ec2.RunInstancesInput{SubnetId: &sub, PrivateIpAddress: aws.String("10.0.1.10")}).Instances[0]
	busyENI := aws.ToString(busy.NetworkInterfaces[0].NetworkInterfaceId)

	run := func(in ec2.RunInstancesInput) func() error {
		return func() error {
			if in.ImageId == nil {
				in.ImageId = aws.String("ami-12345678")
			}
			if in.MinCount == nil {
				in.MinCount, in.MaxCount = aws.Int32(1), aws.Int32(1)
			}
			_, err := e.c.RunInstances(e.ctx, &in)
			return err
		}
	}
	eni0 := func(spec types.InstanceNetworkInterfaceSpecification) []types.InstanceNetworkInterfaceSpecification {
		spec.DeviceIndex = aws.Int32(0)
		return []types.InstanceNetworkInterfaceSpecification{spec}
	}
	cases := []refusal{
		{"no image", run(ec2.RunInstancesInput{ImageId: aws.String("")}), "MissingParameter", ""},
		{"malformed image", run(ec2.RunInstancesInput{ImageId: aws.String("ubuntu")}), "InvalidAMIID.Malformed", `Invalid id: "ubuntu" (expecting "ami-...")`},
		{"min count zero", run(ec2.RunInstancesInput{MinCount: aws.Int32(0), MaxCount: aws.Int32(1)}), "InvalidParameterValue", ""},
		{"max below min", run(ec2.RunInstancesInput{MinCount: aws.Int32(3), MaxCount: aws.Int32(2)}), "InvalidParameterValue", ""},
		{"bad instance type", run(ec2.RunInstancesInput{InstanceType: "huge"}), "InvalidParameterValue", ""},
		{"interfaces and subnet", run(ec2.RunInstancesInput{SubnetId: &sub, NetworkInterfaces: eni0(types.InstanceNetworkInterfaceSpecification{AssociatePublicIpAddress: aws.Bool(true)})}),
			"InvalidParameterCombination", "Network interfaces and an instance-level subnet ID may not be specified on the same request"},
		{"interfaces and groups", run(ec2.RunInstancesInput{SecurityGroupIds: []string{otherGroup}, NetworkInterfaces: eni0(types.InstanceNetworkInterfaceSpecification{SubnetId: &sub})}),
			"InvalidParameterCombination", "Network interfaces and an instance-level security groups may not be specified on the same request"},
		{"interfaces and private IP", run(ec2.RunInstancesInput{PrivateIpAddress: aws.String("10.0.1.20"), NetworkInterfaces: eni0(types.InstanceNetworkInterfaceSpecification{SubnetId: &sub})}),
			"InvalidParameterCombination", "Network interfaces and an instance-level private IP address may not be specified on the same request"},
		{"public IP with two interfaces", run(ec2.RunInstancesInput{NetworkInterfaces: []types.InstanceNetworkInterfaceSpecification{
			{DeviceIndex: aws.Int32(0), SubnetId: &sub, AssociatePublicIpAddress: aws.Bool(true)}, {DeviceIndex: aws.Int32(1), SubnetId: &sub}}}), "InvalidParameterCombination", ""},
		{"no device 0", run(ec2.RunInstancesInput{NetworkInterfaces: []types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(1), SubnetId: &sub}}}), "InvalidParameterValue", ""},
		{"attached interface", run(ec2.RunInstancesInput{NetworkInterfaces: eni0(types.InstanceNetworkInterfaceSpecification{NetworkInterfaceId: &busyENI})}),
			"InvalidNetworkInterface.InUse", "Interface: [" + busyENI + "] in use."},
		{"private IP for two", run(ec2.RunInstancesInput{SubnetId: &sub, PrivateIpAddress: aws.String("10.0.1.30"), MinCount: aws.Int32(1), MaxCount: aws.Int32(2)}), "InvalidParameterCombination", ""},
		{"missing subnet", run(ec2.RunInstancesInput{SubnetId: aws.String("subnet-12345678")}), "InvalidSubnetID.NotFound", ""},
		{"missing group", run(ec2.RunInstancesInput{SubnetId: &sub, SecurityGroupIds: []string{"sg-12345678"}}),
			"InvalidGroup.NotFound", "The security group 'sg-12345678' does not exist in VPC '" + vpc + "'"},
		{"group of another VPC", run(ec2.RunInstancesInput{SubnetId: &sub, SecurityGroupIds: []string{otherGroup}}),
			"InvalidParameter", "Security group " + otherGroup + " and subnet " + sub + " belong to different networks."},
		{"group names outside the default VPC", run(ec2.RunInstancesInput{SubnetId: &sub, SecurityGroups: []string{"default"}}),
			"InvalidParameterCombination", "The parameter groupName cannot be used with the parameter subnet"},
		{"missing group name", run(ec2.RunInstancesInput{SecurityGroups: []string{"web"}}), "InvalidGroup.NotFound", "does not exist in default VPC"},
		{"address in use", run(ec2.RunInstancesInput{SubnetId: &sub, PrivateIpAddress: aws.String("10.0.1.10")}), "InvalidIPAddress.InUse", "Address 10.0.1.10 is in use."},
		{"address outside", run(ec2.RunInstancesInput{SubnetId: &sub, PrivateIpAddress: aws.String("10.0.7.7")}), "InvalidParameterValue", "does not fall within the subnet's address range"},
		{"zone of another subnet", run(ec2.RunInstancesInput{SubnetId: &sub, Placement: &types.Placement{AvailabilityZone: aws.String("us-east-1b")}}),
			"InvalidParameterValue", "Value (us-east-1b) for parameter availabilityZone is invalid. Subnet '" + sub + "' is in the availability zone us-east-1a"},
		{"unknown zone", run(ec2.RunInstancesInput{Placement: &types.Placement{AvailabilityZone: aws.String("us-east-1z")}}), "InvalidParameterValue", "Invalid availability zone: [us-east-1z]"},
		{"too few addresses", run(ec2.RunInstancesInput{SubnetId: &tiny, MinCount: aws.Int32(12), MaxCount: aws.Int32(12)}), "InsufficientFreeAddressesInSubnet", ""},
		{"bad tag type", run(ec2.RunInstancesInput{TagSpecifications: []types.TagSpecification{tagSpec(types.ResourceTypeVpc, "a", "b")}}), "InvalidParameterValue", ""},
		{"launch template", run(ec2.RunInstancesInput{LaunchTemplate: &types.LaunchTemplateSpecification{LaunchTemplateId: aws.String("lt-12345678")}}), "UnsupportedOperation", ""},
		{"bad metadata option", run(ec2.RunInstancesInput{MetadataOptions: &types.InstanceMetadataOptionsRequest{HttpTokens: "sometimes"}}), "InvalidParameterValue", ""},
	}
	before := e.free(sub)
	checkRefusals(t, cases)
	if got := e.free(sub); got != before {
		t.Fatalf("refusals changed the free count: %d, was %d", got, before)
	}
}

func TestInstanceStopStartTerminate(t *testing.T) {
	clock := &testClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	e := newENIEnv(t, cloud.WithClock(clock.Now))
	out := e.run(&ec2.RunInstancesInput{})
	id := aws.ToString(out.Instances[0].InstanceId)
	sub := aws.ToString(out.Instances[0].SubnetId)
	eniID := aws.ToString(out.Instances[0].NetworkInterfaces[0].NetworkInterfaceId)
	free := e.free(sub)
	firstIP := aws.ToString(e.instance(id).PublicIpAddress)

	change := func(c []types.InstanceStateChange, prev, cur types.InstanceStateName, prevCode, curCode int32) {
		t.Helper()
		if len(c) != 1 || aws.ToString(c[0].InstanceId) != id || c[0].PreviousState.Name != prev || c[0].CurrentState.Name != cur ||
			aws.ToInt32(c[0].PreviousState.Code) != prevCode || aws.ToInt32(c[0].CurrentState.Code) != curCode {
			t.Fatalf("state change %+v %+v, want %s(%d) -> %s(%d)", c[0].PreviousState, c[0].CurrentState, prev, prevCode, cur, curCode)
		}
	}

	stop, err := e.c.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}})
	e.must(err)
	change(stop.StoppingInstances, types.InstanceStateNameRunning, types.InstanceStateNameStopping, 16, 64)
	i := e.instance(id)
	if i.State.Name != types.InstanceStateNameStopped || aws.ToInt32(i.State.Code) != 80 || i.PublicIpAddress != nil ||
		aws.ToString(i.PublicDnsName) != "" || aws.ToString(i.PrivateIpAddress) == "" ||
		aws.ToString(i.StateTransitionReason) != "User initiated (2026-01-02 03:04:05 GMT)" ||
		aws.ToString(i.StateReason.Code) != "Client.UserInitiatedShutdown" {
		t.Fatalf("stopped: %+v", i)
	}
	if n := e.describeENI(eniID); n.Association != nil {
		t.Fatalf("a stopped instance keeps its public address: %+v", n.Association)
	}
	again, err := e.c.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}})
	e.must(err)
	change(again.StoppingInstances, types.InstanceStateNameStopped, types.InstanceStateNameStopped, 80, 80)

	start, err := e.c.StartInstances(e.ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}})
	e.must(err)
	change(start.StartingInstances, types.InstanceStateNameStopped, types.InstanceStateNamePending, 80, 0)
	i = e.instance(id)
	if i.State.Name != types.InstanceStateNameRunning || !inPrefix(aws.ToString(i.PublicIpAddress), publicPool) || i.StateReason != nil {
		t.Fatalf("started: %+v (first address %s)", i, firstIP)
	}
	if got := e.free(sub); got != free {
		t.Fatalf("free %d after stop/start, want %d", got, free)
	}

	term, err := e.c.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
	e.must(err)
	change(term.TerminatingInstances, types.InstanceStateNameRunning, types.InstanceStateNameShuttingDown, 16, 32)
	i = e.instance(id)
	if i.State.Name != types.InstanceStateNameTerminated || aws.ToInt32(i.State.Code) != 48 || len(i.NetworkInterfaces) != 0 ||
		i.VpcId != nil || i.SubnetId != nil || i.PrivateIpAddress != nil || i.PublicIpAddress != nil || len(i.SecurityGroups) != 0 {
		t.Fatalf("terminated: %+v", i)
	}
	if got := e.free(sub); got != free+1 {
		t.Fatalf("free %d after terminate, want %d", got, free+1)
	}
	_, err = e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{eniID}})
	e.wantErr(err, "InvalidNetworkInterfaceID.NotFound", "")

	_, err = e.c.StartInstances(e.ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}})
	e.wantErr(err, "IncorrectInstanceState", "The instance '"+id+"' is not in a state from which it can be started.")
	_, err = e.c.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}})
	e.wantErr(err, "IncorrectInstanceState", "This instance '"+id+"' is not in a state from which it can be stopped.")
	twice, err := e.c.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
	e.must(err)
	change(twice.TerminatingInstances, types.InstanceStateNameTerminated, types.InstanceStateNameTerminated, 48, 48)

	// A terminated instance shows for an hour, then is gone.
	clock.Add(59 * time.Minute)
	e.instance(id)
	clock.Add(time.Minute)
	_, err = e.c.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	e.wantErr(err, "InvalidInstanceID.NotFound", "The instance ID '"+id+"' does not exist")
	all, err := e.c.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{})
	e.must(err)
	if len(all.Reservations) != 0 {
		t.Fatalf("an expired instance still listed: %+v", all.Reservations)
	}
	_, err = e.c.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
	e.wantErr(err, "InvalidInstanceID.NotFound", "")

	for _, tc := range []struct {
		name, code string
		ids        []string
	}{
		{"missing", "InvalidInstanceID.NotFound", []string{"i-12345678"}},
		{"malformed", "InvalidInstanceID.Malformed", []string{"web-1"}},
	} {
		_, err := e.c.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: tc.ids})
		e.wantErr(err, tc.code, "")
		_, err = e.c.StartInstances(e.ctx, &ec2.StartInstancesInput{InstanceIds: tc.ids})
		e.wantErr(err, tc.code, "")
		_, err = e.c.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: tc.ids})
		e.wantErr(err, tc.code, "")
	}
	// Several missing ids are named together.
	_, err = e.c.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{"i-12345678", "i-87654321"}})
	e.wantErr(err, "InvalidInstanceID.NotFound", "The instance IDs 'i-12345678, i-87654321' do not exist")
}

func TestRunInstancesClientToken(t *testing.T) {
	e := newENIEnv(t)
	first := e.run(&ec2.RunInstancesInput{ClientToken: aws.String("launch-1")})
	second := e.run(&ec2.RunInstancesInput{ClientToken: aws.String("launch-1")})
	if aws.ToString(first.ReservationId) != aws.ToString(second.ReservationId) ||
		aws.ToString(first.Instances[0].InstanceId) != aws.ToString(second.Instances[0].InstanceId) {
		t.Fatal("a replayed token launched again")
	}
	out, err := e.c.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{{Name: aws.String("client-token"), Values: []string{"launch-1"}}}})
	e.must(err)
	if len(out.Reservations) != 1 || len(out.Reservations[0].Instances) != 1 || aws.ToString(out.Reservations[0].Instances[0].ClientToken) != "launch-1" {
		t.Fatalf("client-token filter: %+v", out.Reservations)
	}
	_, err = e.c.RunInstances(e.ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(2), MaxCount: aws.Int32(2), ClientToken: aws.String("launch-1")})
	e.wantErr(err, "IdempotentParameterMismatch", "")
}

func TestDescribeInstancesFilters(t *testing.T) {
	e := newENIEnv(t)
	vpc := e.vpc("10.0.0.0/16")
	sub := e.subnet(vpc, "10.0.1.0/24", "us-east-1a")
	web := e.run(&ec2.RunInstancesInput{SubnetId: &sub, InstanceType: types.InstanceTypeT3Micro, KeyName: aws.String("ops"), PrivateIpAddress: aws.String("10.0.1.10"),
		TagSpecifications: []types.TagSpecification{tagSpec(types.ResourceTypeInstance, "Name", "web")}}).Instances[0]
	webID := aws.ToString(web.InstanceId)
	webENI := aws.ToString(web.NetworkInterfaces[0].NetworkInterfaceId)
	group := aws.ToString(web.SecurityGroups[0].GroupId)
	def := e.run(&ec2.RunInstancesInput{Monitoring: &types.RunInstancesMonitoringEnabled{Enabled: aws.Bool(true)}})
	defID := aws.ToString(def.Instances[0].InstanceId)
	defRes := aws.ToString(def.ReservationId)
	d := e.instance(defID)
	pub := aws.ToString(d.PublicIpAddress)
	stopped := aws.ToString(e.run(&ec2.RunInstancesInput{SubnetId: &sub, ClientToken: aws.String("tok")}).Instances[0].InstanceId)
	_, err := e.c.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: []string{stopped}})
	e.must(err)

	cases := []filterCase{
		{"instance-id", []string{webID}, []string{webID}},
		{"instance-state-name", []string{"running"}, []string{webID, defID}},
		{"instance-state-name", []string{"stopped"}, []string{stopped}},
		{"instance-state-code", []string{"80"}, []string{stopped}},
		{"instance-type", []string{"t3.micro"}, []string{webID}},
		{"image-id", []string{"ami-12345678"}, []string{webID, defID, stopped}},
		{"vpc-id", []string{vpc}, []string{webID, stopped}},
		{"subnet-id", []string{sub}, []string{webID, stopped}},
		{"availability-zone", []string{"us-east-1a"}, []string{webID, defID, stopped}},
		{"private-ip-address", []string{"10.0.1.10"}, []string{webID}},
		{"private-dns-name", []string{"ip-10-0-1-10.ec2.internal"}, []string{webID}},
		{"ip-address", []string{pub}, []string{defID}},
		{"dns-name", []string{"ec2-*"}, []string{defID}},
		{"network-interface.network-interface-id", []string{webENI}, []string{webID}},
		{"network-interface.subnet-id", []string{sub}, []string{webID, stopped}},
		{"network-interface.vpc-id", []string{vpc}, []string{webID, stopped}},
		{"network-interface.addresses.private-ip-address", []string{"10.0.1.10"}, []string{webID}},
		{"network-interface.association.public-ip", []string{pub}, []string{defID}},
		{"network-interface.attachment.device-index", []string{"0"}, []string{webID, defID, stopped}},
		{"network-interface.group-name", []string{"default"}, []string{webID, defID, stopped}},
		{"instance.group-id", []string{group}, []string{webID, stopped}},
		{"instance.group-name", []string{"default"}, []string{webID, defID, stopped}},
		{"group-id", []string{group}, []string{webID, stopped}},
		{"key-name", []string{"ops"}, []string{webID}},
		{"reservation-id", []string{defRes}, []string{defID}},
		{"owner-id", []string{emulatortest.AccountA}, []string{webID, defID, stopped}},
		{"client-token", []string{"tok"}, []string{stopped}},
		{"monitoring-state", []string{"enabled"}, []string{defID}},
		{"architecture", []string{"x86_64"}, []string{webID, defID, stopped}},
		{"root-device-type", []string{"ebs"}, []string{webID, defID, stopped}},
		{"launch-index", []string{"0"}, []string{webID, defID, stopped}},
		{"reason", []string{"User initiated*"}, []string{stopped}},
		{"state-reason-code", []string{"Client.UserInitiatedShutdown"}, []string{stopped}},
		{"source-dest-check", []string{"true"}, []string{webID, defID, stopped}},
		{"tenancy", []string{"default"}, []string{webID, defID, stopped}},
		{"host-id", []string{"*"}, nil},
		{"tag:Name", []string{"web"}, []string{webID}},
		{"tag-key", []string{"Name"}, []string{webID}},
	}
	checkFilters(t, cases, func(f types.Filter) ([]string, error) {
		out, err := e.c.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{f}})
		if err != nil {
			return nil, err
		}
		var got []string
		for _, r := range out.Reservations {
			for _, i := range r.Instances {
				got = append(got, aws.ToString(i.InstanceId))
			}
		}
		return got, nil
	})
	_, err = e.c.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{{Name: aws.String("color"), Values: []string{"red"}}}})
	e.wantErr(err, "InvalidParameterValue", "The filter 'color' is invalid")
	_, err = e.c.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{"i-12345678"}})
	e.wantErr(err, "InvalidInstanceID.NotFound", "")
	_, err = e.c.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{"bogus"}})
	e.wantErr(err, "InvalidInstanceID.Malformed", "")
	// Another account sees none of them.
	other := e.as(emulatortest.AccountB)
	_, err = other.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{webID}})
	e.wantErr(err, "InvalidInstanceID.NotFound", "")
}

func TestDescribeInstancesPaging(t *testing.T) {
	e := newENIEnv(t)
	r1 := e.run(&ec2.RunInstancesInput{MinCount: aws.Int32(4), MaxCount: aws.Int32(4)})
	r2 := e.run(&ec2.RunInstancesInput{MinCount: aws.Int32(3), MaxCount: aws.Int32(3)})
	p := ec2.NewDescribeInstancesPaginator(e.c, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)})
	var pages []int
	byReservation := map[string]int{}
	for p.HasMorePages() {
		out, err := p.NextPage(e.ctx)
		e.must(err)
		n := 0
		for _, r := range out.Reservations {
			n += len(r.Instances)
			byReservation[aws.ToString(r.ReservationId)] += len(r.Instances)
		}
		pages = append(pages, n)
	}
	if len(pages) != 2 || pages[0] != 5 || pages[1] != 2 ||
		byReservation[aws.ToString(r1.ReservationId)] != 4 || byReservation[aws.ToString(r2.ReservationId)] != 3 {
		t.Fatalf("pages %v, by reservation %v", pages, byReservation)
	}
	id := aws.ToString(r1.Instances[0].InstanceId)
	_, err := e.c.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}, MaxResults: aws.Int32(5)})
	e.wantErr(err, "InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults")
	_, err = e.c.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(2)})
	e.wantErr(err, "InvalidParameterValue", "maxResults")
}

// TestConcurrentAddressAllocation launches instances and creates interfaces
// in one small subnet at once: no address is handed out twice, and the free
// count stays exact all along.
func TestConcurrentAddressAllocation(t *testing.T) {
	e := newENIEnv(t)
	sub := e.subnet(e.vpc("10.0.0.0/16"), "10.0.1.0/28", "us-east-1a")
	const workers = 24
	type result struct {
		ip, instance, eni string
		err               error
	}
	results := make([]result, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if w%2 == 0 {
				out, err := e.c.RunInstances(e.ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), SubnetId: &sub, MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
				if err == nil {
					results[w] = result{ip: aws.ToString(out.Instances[0].PrivateIpAddress), instance: aws.ToString(out.Instances[0].InstanceId)}
				} else {
					results[w].err = err
				}
				return
			}
			out, err := e.c.CreateNetworkInterface(e.ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: &sub})
			if err == nil {
				results[w] = result{ip: aws.ToString(out.NetworkInterface.PrivateIpAddress), eni: aws.ToString(out.NetworkInterface.NetworkInterfaceId)}
			} else {
				results[w].err = err
			}
		}()
	}
	wg.Wait()

	seen := map[string]bool{}
	var instances, enis []string
	for _, r := range results {
		if r.err != nil {
			if c := apiCode(r.err); c != "InsufficientFreeAddressesInSubnet" && c != "InvalidParameterValue" {
				t.Fatalf("unexpected refusal: %v", r.err)
			}
			continue
		}
		if seen[r.ip] || !inPrefix(r.ip, "10.0.1.0/28") {
			t.Fatalf("address %s handed out twice or outside the subnet", r.ip)
		}
		seen[r.ip] = true
		if r.instance != "" {
			instances = append(instances, r.instance)
		} else {
			enis = append(enis, r.eni)
		}
	}
	if len(seen) != 11 {
		t.Fatalf("%d addresses handed out in a /28, want 11", len(seen))
	}
	if got := e.free(sub); got != 0 {
		t.Fatalf("free %d, want 0", got)
	}

	// Give everything back at once.
	for _, id := range enis {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.c.DeleteNetworkInterface(e.ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: &id})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	for _, id := range instances {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.c.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := e.free(sub); got != 11 {
		t.Fatalf("free %d after giving back, want 11", got)
	}
}

func TestModifyAssociatePublicIPAddress(t *testing.T) {
	e := newENIEnv(t)
	sub := e.subnet(e.vpc("10.0.0.0/16"), "10.0.1.0/24", "us-east-1a")
	i := e.run(&ec2.RunInstancesInput{SubnetId: &sub}).Instances[0]
	id, eni := aws.ToString(i.InstanceId), aws.ToString(i.NetworkInterfaces[0].NetworkInterfaceId)
	if e.instance(id).PublicIpAddress != nil {
		t.Fatal("a subnet that maps no public address gave one")
	}
	set := func(on bool) {
		t.Helper()
		_, err := e.c.ModifyNetworkInterfaceAttribute(e.ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: &eni, AssociatePublicIpAddress: aws.Bool(on)})
		e.must(err)
	}
	set(true)
	if pub := aws.ToString(e.instance(id).PublicIpAddress); !inPrefix(pub, publicPool) {
		t.Fatalf("public address %q after turning it on", pub)
	}
	out, err := e.c.DescribeNetworkInterfaceAttribute(e.ctx, &ec2.DescribeNetworkInterfaceAttributeInput{NetworkInterfaceId: &eni, Attribute: types.NetworkInterfaceAttributeAssociatePublicIpAddress})
	e.must(err)
	if !aws.ToBool(out.AssociatePublicIpAddress) {
		t.Fatal("associatePublicIpAddress attribute not set")
	}
	set(false)
	if e.instance(id).PublicIpAddress != nil {
		t.Fatal("public address kept after turning it off")
	}
}
