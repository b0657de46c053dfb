package ec2_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// eniEnv is the fixture of the interface and instance tests, with helpers
// that fail the test on any error.
type eniEnv struct{ fixture }

func newENIEnv(t *testing.T, opts ...cloud.Option) eniEnv { return eniEnv{newFixture(t, opts...)} }

func (e eniEnv) vpc(block string) string {
	e.t.Helper()
	out, err := e.c.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(block)})
	e.must(err)
	return aws.ToString(out.Vpc.VpcId)
}

func (e eniEnv) subnet(vpc, block, zone string) string {
	e.t.Helper()
	out, err := e.c.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String(block), AvailabilityZone: aws.String(zone)})
	e.must(err)
	return aws.ToString(out.Subnet.SubnetId)
}

// free is the subnet's AvailableIpAddressCount.
func (e eniEnv) free(subnet string) int32 {
	e.t.Helper()
	return freeIPs(e.t, e.c, &subnet)
}

func (e eniEnv) createENI(in *ec2.CreateNetworkInterfaceInput) types.NetworkInterface {
	e.t.Helper()
	out, err := e.c.CreateNetworkInterface(e.ctx, in)
	e.must(err)
	return *out.NetworkInterface
}

func (e eniEnv) describeENI(id string) types.NetworkInterface {
	e.t.Helper()
	out, err := e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{id}})
	e.must(err)
	if len(out.NetworkInterfaces) != 1 {
		e.t.Fatalf("describe %s: %d interfaces", id, len(out.NetworkInterfaces))
	}
	return out.NetworkInterfaces[0]
}

// defaultGroup is the default security group of the subnet's VPC, read
// from an interface created without groups.
func (e eniEnv) defaultGroup(subnet string) string {
	e.t.Helper()
	n := e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &subnet})
	_, err := e.c.DeleteNetworkInterface(e.ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: n.NetworkInterfaceId})
	e.must(err)
	return aws.ToString(n.Groups[0].GroupId)
}

func (e eniEnv) run(in *ec2.RunInstancesInput) *ec2.RunInstancesOutput {
	e.t.Helper()
	if in.ImageId == nil {
		in.ImageId = aws.String("ami-12345678")
	}
	if in.MinCount == nil {
		in.MinCount, in.MaxCount = aws.Int32(1), aws.Int32(1)
	}
	out, err := e.c.RunInstances(e.ctx, in)
	e.must(err)
	return out
}

func (e eniEnv) instance(id string) types.Instance {
	e.t.Helper()
	out, err := e.c.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	e.must(err)
	if len(out.Reservations) != 1 || len(out.Reservations[0].Instances) != 1 {
		e.t.Fatalf("describe %s: %+v", id, out.Reservations)
	}
	return out.Reservations[0].Instances[0]
}

func privateIPs(n types.NetworkInterface) []string {
	var out []string
	for _, ip := range n.PrivateIpAddresses {
		out = append(out, aws.ToString(ip.PrivateIpAddress))
	}
	return out
}

func tagSpec(resource types.ResourceType, key, value string) types.TagSpecification {
	return types.TagSpecification{ResourceType: resource, Tags: []types.Tag{{Key: &key, Value: &value}}}
}

func TestNetworkInterfaceLifecycle(t *testing.T) {
	e := newENIEnv(t)
	vpc := e.vpc("10.0.0.0/16")
	sub := e.subnet(vpc, "10.0.1.0/24", "us-east-1a")

	n := e.createENI(&ec2.CreateNetworkInterfaceInput{
		SubnetId:                       &sub,
		Description:                    aws.String("app"),
		PrivateIpAddress:               aws.String("10.0.1.10"),
		SecondaryPrivateIpAddressCount: aws.Int32(2),
		TagSpecifications:              []types.TagSpecification{tagSpec(types.ResourceTypeNetworkInterface, "Name", "app")},
	})
	id := aws.ToString(n.NetworkInterfaceId)
	if !strings.HasPrefix(id, "eni-") || n.Status != "pending" || aws.ToString(n.Description) != "app" ||
		n.InterfaceType != types.NetworkInterfaceTypeInterface || aws.ToString(n.VpcId) != vpc ||
		aws.ToString(n.AvailabilityZone) != "us-east-1a" || aws.ToString(n.OwnerId) != emulatortest.AccountA ||
		aws.ToString(n.PrivateDnsName) != "ip-10-0-1-10.ec2.internal" || aws.ToString(n.MacAddress) == "" ||
		!aws.ToBool(n.SourceDestCheck) || aws.ToBool(n.RequesterManaged) || len(n.TagSet) != 1 {
		t.Fatalf("create answer: %+v", n)
	}
	if got := privateIPs(n); strings.Join(got, ",") != "10.0.1.10,10.0.1.4,10.0.1.5" || !aws.ToBool(n.PrivateIpAddresses[0].Primary) {
		t.Fatalf("addresses: %v", got)
	}
	if len(n.Groups) != 1 || aws.ToString(n.Groups[0].GroupName) != "default" {
		t.Fatalf("groups: %+v", n.Groups)
	}
	if got := e.free(sub); got != 248 {
		t.Fatalf("free addresses %d, want 248", got)
	}
	if d := e.describeENI(id); d.Status != types.NetworkInterfaceStatusAvailable || d.Attachment != nil {
		t.Fatalf("describe: %+v", d)
	}

	attr := func(a types.NetworkInterfaceAttribute) *ec2.DescribeNetworkInterfaceAttributeOutput {
		t.Helper()
		out, err := e.c.DescribeNetworkInterfaceAttribute(e.ctx, &ec2.DescribeNetworkInterfaceAttributeInput{NetworkInterfaceId: &id, Attribute: a})
		e.must(err)
		return out
	}
	if aws.ToString(attr(types.NetworkInterfaceAttributeDescription).Description.Value) != "app" ||
		len(attr(types.NetworkInterfaceAttributeGroupSet).Groups) != 1 ||
		!aws.ToBool(attr(types.NetworkInterfaceAttributeSourceDestCheck).SourceDestCheck.Value) ||
		attr(types.NetworkInterfaceAttributeAttachment).Attachment != nil ||
		aws.ToBool(attr(types.NetworkInterfaceAttributeAssociatePublicIpAddress).AssociatePublicIpAddress) {
		t.Fatal("attributes of a new interface")
	}

	for _, in := range []*ec2.ModifyNetworkInterfaceAttributeInput{
		{Description: &types.AttributeValue{Value: aws.String("web")}},
		{SourceDestCheck: &types.AttributeBooleanValue{Value: aws.Bool(false)}},
		{Groups: []string{aws.ToString(n.Groups[0].GroupId)}},
	} {
		in.NetworkInterfaceId = &id
		_, err := e.c.ModifyNetworkInterfaceAttribute(e.ctx, in)
		e.must(err)
	}
	d := e.describeENI(id)
	if aws.ToString(d.Description) != "web" || aws.ToBool(d.SourceDestCheck) {
		t.Fatalf("after modify: %+v", d)
	}

	as, err := e.c.AssignPrivateIpAddresses(e.ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: &id, PrivateIpAddresses: []string{"10.0.1.20"}})
	e.must(err)
	if len(as.AssignedPrivateIpAddresses) != 1 || aws.ToString(as.AssignedPrivateIpAddresses[0].PrivateIpAddress) != "10.0.1.20" {
		t.Fatalf("assigned: %+v", as.AssignedPrivateIpAddresses)
	}
	as, err = e.c.AssignPrivateIpAddresses(e.ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: &id, SecondaryPrivateIpAddressCount: aws.Int32(1)})
	e.must(err)
	if aws.ToString(as.AssignedPrivateIpAddresses[0].PrivateIpAddress) != "10.0.1.6" {
		t.Fatalf("picked: %+v", as.AssignedPrivateIpAddresses)
	}
	if got := e.free(sub); got != 246 {
		t.Fatalf("free after assign %d, want 246", got)
	}
	_, err = e.c.UnassignPrivateIpAddresses(e.ctx, &ec2.UnassignPrivateIpAddressesInput{NetworkInterfaceId: &id, PrivateIpAddresses: []string{"10.0.1.20", "10.0.1.4"}})
	e.must(err)
	if got := privateIPs(e.describeENI(id)); strings.Join(got, ",") != "10.0.1.10,10.0.1.5,10.0.1.6" {
		t.Fatalf("after unassign: %v", got)
	}
	if got := e.free(sub); got != 248 {
		t.Fatalf("free after unassign %d, want 248", got)
	}

	_, err = e.c.DeleteNetworkInterface(e.ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: &id})
	e.must(err)
	if got := e.free(sub); got != 251 {
		t.Fatalf("free after delete %d, want 251", got)
	}
	_, err = e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{id}})
	e.wantErr(err, "InvalidNetworkInterfaceID.NotFound", "")
	// The subnet is free to go now.
	_, err = e.c.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: &sub})
	e.must(err)
}

func TestNetworkInterfaceTypesAndAddresses(t *testing.T) {
	e := newENIEnv(t)
	sub := e.subnet(e.vpc("10.0.0.0/16"), "10.0.1.0/24", "us-east-1a")
	for _, typ := range []types.NetworkInterfaceCreationType{types.NetworkInterfaceCreationTypeEfa, types.NetworkInterfaceCreationTypeTrunk} {
		n := e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &sub, InterfaceType: typ})
		if string(n.InterfaceType) != string(typ) {
			t.Errorf("type %s: got %s", typ, n.InterfaceType)
		}
	}
	// PrivateIpAddresses: the one marked primary is primary, the others
	// secondary, and picked addresses never take a named one.
	n := e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &sub, SecondaryPrivateIpAddressCount: aws.Int32(1),
		PrivateIpAddresses: []types.PrivateIpAddressSpecification{
			{PrivateIpAddress: aws.String("10.0.1.6")},
			{PrivateIpAddress: aws.String("10.0.1.50"), Primary: aws.Bool(true)},
		}})
	if got := privateIPs(n); strings.Join(got, ",") != "10.0.1.50,10.0.1.6,10.0.1.7" || aws.ToString(n.PrivateIpAddress) != "10.0.1.50" {
		t.Fatalf("addresses: %v", got)
	}
}

func TestNetworkInterfaceRefusals(t *testing.T) {
	e := newENIEnv(t)
	vpc := e.vpc("10.0.0.0/16")
	sub := e.subnet(vpc, "10.0.1.0/24", "us-east-1a")
	subB := e.subnet(vpc, "10.0.2.0/24", "us-east-1b")
	tiny := e.subnet(vpc, "10.0.3.0/28", "us-east-1a")
	otherSub := e.subnet(e.vpc("10.1.0.0/16"), "10.1.1.0/24", "us-east-1a")
	otherGroup := e.defaultGroup(otherSub)
	taken := e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &sub, PrivateIpAddress: aws.String("10.0.1.10"),
		SecondaryPrivateIpAddressCount: aws.Int32(1)})
	takenID := aws.ToString(taken.NetworkInterfaceId)
	spare := aws.ToString(e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &sub}).NetworkInterfaceId)
	inB := aws.ToString(e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &subB}).NetworkInterfaceId)
	inst := e.run(&ec2.RunInstancesInput{SubnetId: &sub}).Instances[0]
	instID := aws.ToString(inst.InstanceId)
	primaryAttachment := aws.ToString(inst.NetworkInterfaces[0].Attachment.AttachmentId)
	primaryENI := aws.ToString(inst.NetworkInterfaces[0].NetworkInterfaceId)
	att, err := e.c.AttachNetworkInterface(e.ctx, &ec2.AttachNetworkInterfaceInput{NetworkInterfaceId: &spare, InstanceId: &instID, DeviceIndex: aws.Int32(1)})
	e.must(err)

	create := func(in ec2.CreateNetworkInterfaceInput) func() error {
		return func() error { _, err := e.c.CreateNetworkInterface(e.ctx, &in); return err }
	}
	cases := []refusal{
		{"missing subnet", create(ec2.CreateNetworkInterfaceInput{SubnetId: aws.String("subnet-12345678")}), "InvalidSubnetID.NotFound", ""},
		{"missing group", create(ec2.CreateNetworkInterfaceInput{SubnetId: &sub, Groups: []string{"sg-12345678"}}),
			"InvalidGroup.NotFound", "The security group 'sg-12345678' does not exist"},
		{"malformed group", create(ec2.CreateNetworkInterfaceInput{SubnetId: &sub, Groups: []string{"web"}}), "InvalidGroupId.Malformed", `Invalid id: "web"`},
		{"group of another VPC", create(ec2.CreateNetworkInterfaceInput{SubnetId: &sub, Groups: []string{otherGroup}}),
			"InvalidParameter", "Security group " + otherGroup + " and subnet " + sub + " belong to different networks."},
		{"address outside", create(ec2.CreateNetworkInterfaceInput{SubnetId: &sub, PrivateIpAddress: aws.String("10.0.9.9")}),
			"InvalidParameterValue", "Address 10.0.9.9 does not fall within the subnet's address range"},
		{"reserved address", create(ec2.CreateNetworkInterfaceInput{SubnetId: &sub, PrivateIpAddress: aws.String("10.0.1.1")}), "InvalidParameterValue", "reserved"},
		{"address in use", create(ec2.CreateNetworkInterfaceInput{SubnetId: &sub, PrivateIpAddress: aws.String("10.0.1.10")}),
			"InvalidIPAddress.InUse", "Address 10.0.1.10 is in use."},
		{"two primaries", create(ec2.CreateNetworkInterfaceInput{SubnetId: &sub, PrivateIpAddresses: []types.PrivateIpAddressSpecification{
			{PrivateIpAddress: aws.String("10.0.1.30"), Primary: aws.Bool(true)}, {PrivateIpAddress: aws.String("10.0.1.31"), Primary: aws.Bool(true)}}}), "InvalidParameterValue", ""},
		{"bad type", create(ec2.CreateNetworkInterfaceInput{SubnetId: &sub, InterfaceType: "bogus"}), "InvalidParameterValue", ""},
		{"subnet full", create(ec2.CreateNetworkInterfaceInput{SubnetId: &tiny, SecondaryPrivateIpAddressCount: aws.Int32(11)}),
			"InvalidParameterValue", "There aren't sufficient free Ipv4 addresses or prefixes"},
		{"bad tag type", create(ec2.CreateNetworkInterfaceInput{SubnetId: &sub,
			TagSpecifications: []types.TagSpecification{tagSpec(types.ResourceTypeVpc, "a", "b")}}), "InvalidParameterValue", ""},
		{"delete missing", func() error {
			_, err := e.c.DeleteNetworkInterface(e.ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: aws.String("eni-12345678")})
			return err
		}, "InvalidNetworkInterfaceID.NotFound", ""},
		{"delete malformed", func() error {
			_, err := e.c.DeleteNetworkInterface(e.ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: aws.String("to-set")})
			return err
		}, "InvalidNetworkInterfaceId.Malformed", `Invalid id: "to-set" (expecting "eni-...")`},
		{"delete attached", func() error {
			_, err := e.c.DeleteNetworkInterface(e.ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: &spare})
			return err
		}, "InvalidParameterValue", "Network interface '" + spare + "' is currently in use."},
		{"describe malformed", func() error {
			_, err := e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{"eni-xyz"}})
			return err
		}, "InvalidNetworkInterfaceId.Malformed", ""},
		{"detach primary", func() error {
			_, err := e.c.DetachNetworkInterface(e.ctx, &ec2.DetachNetworkInterfaceInput{AttachmentId: &primaryAttachment})
			return err
		}, "OperationNotPermitted", "The network interface at device index 0 and networkCard index 0 cannot be detached."},
		{"detach unknown", func() error {
			_, err := e.c.DetachNetworkInterface(e.ctx, &ec2.DetachNetworkInterfaceInput{AttachmentId: aws.String("eni-attach-12345678")})
			return err
		}, "InvalidAttachmentID.NotFound", ""},
		{"attach attached", func() error {
			_, err := e.c.AttachNetworkInterface(e.ctx, &ec2.AttachNetworkInterfaceInput{NetworkInterfaceId: &primaryENI, InstanceId: &instID, DeviceIndex: aws.Int32(2)})
			return err
		}, "InvalidNetworkInterface.InUse", "Interface: [" + primaryENI + "] in use."},
		{"attach taken index", func() error {
			_, err := e.c.AttachNetworkInterface(e.ctx, &ec2.AttachNetworkInterfaceInput{NetworkInterfaceId: &takenID, InstanceId: &instID, DeviceIndex: aws.Int32(1)})
			return err
		}, "InvalidParameterValue", "Instance '" + instID + "' already has an interface attached at device index '1'."},
		{"attach other zone", func() error {
			_, err := e.c.AttachNetworkInterface(e.ctx, &ec2.AttachNetworkInterfaceInput{NetworkInterfaceId: &inB, InstanceId: &instID, DeviceIndex: aws.Int32(2)})
			return err
		}, "InvalidParameterCombination", "same availability zone"},
		{"attach missing instance", func() error {
			_, err := e.c.AttachNetworkInterface(e.ctx, &ec2.AttachNetworkInterfaceInput{NetworkInterfaceId: &takenID, InstanceId: aws.String("i-12345678"), DeviceIndex: aws.Int32(2)})
			return err
		}, "InvalidInstanceID.NotFound", "The instance ID 'i-12345678' does not exist"},
		{"unassign primary", func() error {
			_, err := e.c.UnassignPrivateIpAddresses(e.ctx, &ec2.UnassignPrivateIpAddressesInput{NetworkInterfaceId: &takenID, PrivateIpAddresses: []string{"10.0.1.10"}})
			return err
		}, "InvalidParameterValue", "cannot be unassigned"},
		{"unassign not assigned", func() error {
			_, err := e.c.UnassignPrivateIpAddresses(e.ctx, &ec2.UnassignPrivateIpAddressesInput{NetworkInterfaceId: &takenID, PrivateIpAddresses: []string{"10.0.1.99"}})
			return err
		}, "InvalidParameterValue", "Some of the specified addresses are not assigned to interface " + takenID},
		{"assign in use", func() error {
			_, err := e.c.AssignPrivateIpAddresses(e.ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: &spare, PrivateIpAddresses: []string{"10.0.1.10"}})
			return err
		}, "InvalidIPAddress.InUse", "Address 10.0.1.10 is in use."},
		{"reassign a primary", func() error {
			_, err := e.c.AssignPrivateIpAddresses(e.ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: &spare, PrivateIpAddresses: []string{"10.0.1.10"}, AllowReassignment: aws.Bool(true)})
			return err
		}, "InvalidIPAddress.InUse", ""},
		{"assign both ways", func() error {
			_, err := e.c.AssignPrivateIpAddresses(e.ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: &spare, PrivateIpAddresses: []string{"10.0.1.77"}, SecondaryPrivateIpAddressCount: aws.Int32(1)})
			return err
		}, "InvalidParameterCombination", ""},
		{"assign nothing", func() error {
			_, err := e.c.AssignPrivateIpAddresses(e.ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: &spare})
			return err
		}, "MissingParameter", ""},
		{"assign past the subnet", func() error {
			_, err := e.c.AssignPrivateIpAddresses(e.ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: &spare, SecondaryPrivateIpAddressCount: aws.Int32(300)})
			return err
		}, "InsufficientFreeAddressesInSubnet", "The specified subnet does not have enough free addresses to satisfy the request."},
		{"modify two attributes", func() error {
			_, err := e.c.ModifyNetworkInterfaceAttribute(e.ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: &takenID,
				Description: &types.AttributeValue{Value: aws.String("x")}, SourceDestCheck: &types.AttributeBooleanValue{Value: aws.Bool(false)}})
			return err
		}, "InvalidParameterCombination", ""},
		{"modify nothing", func() error {
			_, err := e.c.ModifyNetworkInterfaceAttribute(e.ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: &takenID})
			return err
		}, "MissingParameter", ""},
		{"modify to another VPC's group", func() error {
			_, err := e.c.ModifyNetworkInterfaceAttribute(e.ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: &takenID, Groups: []string{otherGroup}})
			return err
		}, "InvalidParameter", "belong to different networks"},
		{"modify a missing attachment", func() error {
			_, err := e.c.ModifyNetworkInterfaceAttribute(e.ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: &takenID,
				Attachment: &types.NetworkInterfaceAttachmentChanges{AttachmentId: att.AttachmentId, DeleteOnTermination: aws.Bool(true)}})
			return err
		}, "InvalidAttachmentID.NotFound", ""},
		{"describe unknown attribute", func() error {
			_, err := e.c.DescribeNetworkInterfaceAttribute(e.ctx, &ec2.DescribeNetworkInterfaceAttributeInput{NetworkInterfaceId: &takenID, Attribute: "mtu"})
			return err
		}, "InvalidParameterValue", ""},
		{"unknown filter", func() error {
			_, err := e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{{Name: aws.String("color"), Values: []string{"red"}}}})
			return err
		}, "InvalidParameterValue", "The filter 'color' is invalid"},
		{"ids with MaxResults", func() error {
			_, err := e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{takenID}, MaxResults: aws.Int32(5)})
			return err
		}, "InvalidParameterCombination", ""},
		{"dry run", func() error {
			_, err := e.c.DeleteNetworkInterface(e.ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: &takenID, DryRun: aws.Bool(true)})
			return err
		}, "DryRunOperation", ""},
	}
	before := e.free(sub)
	checkRefusals(t, cases)
	if got := e.free(sub); got != before {
		t.Fatalf("refusals changed the free count: %d, was %d", got, before)
	}
	// The dry run changed nothing.
	e.describeENI(takenID)
}

func TestNetworkInterfaceAttachDetach(t *testing.T) {
	e := newENIEnv(t)
	sub := e.subnet(e.vpc("10.0.0.0/16"), "10.0.1.0/24", "us-east-1a")
	instID := aws.ToString(e.run(&ec2.RunInstancesInput{SubnetId: &sub}).Instances[0].InstanceId)
	eniID := aws.ToString(e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &sub}).NetworkInterfaceId)

	att, err := e.c.AttachNetworkInterface(e.ctx, &ec2.AttachNetworkInterfaceInput{NetworkInterfaceId: &eniID, InstanceId: &instID, DeviceIndex: aws.Int32(1)})
	e.must(err)
	attID := aws.ToString(att.AttachmentId)
	if !strings.HasPrefix(attID, "eni-attach-") {
		t.Fatalf("attachment id %q", attID)
	}
	n := e.describeENI(eniID)
	a := n.Attachment
	if n.Status != types.NetworkInterfaceStatusInUse || a == nil || aws.ToString(a.AttachmentId) != attID || aws.ToString(a.InstanceId) != instID ||
		aws.ToInt32(a.DeviceIndex) != 1 || a.Status != types.AttachmentStatusAttached || aws.ToBool(a.DeleteOnTermination) ||
		aws.ToString(a.InstanceOwnerId) != emulatortest.AccountA || a.AttachTime == nil {
		t.Fatalf("attached interface: %+v %+v", n, a)
	}
	inst := e.instance(instID)
	if len(inst.NetworkInterfaces) != 2 || aws.ToString(inst.NetworkInterfaces[1].NetworkInterfaceId) != eniID {
		t.Fatalf("instance interfaces: %+v", inst.NetworkInterfaces)
	}
	out, err := e.c.DescribeNetworkInterfaceAttribute(e.ctx, &ec2.DescribeNetworkInterfaceAttributeInput{NetworkInterfaceId: &eniID, Attribute: types.NetworkInterfaceAttributeAttachment})
	e.must(err)
	if aws.ToString(out.Attachment.AttachmentId) != attID {
		t.Fatalf("attachment attribute: %+v", out.Attachment)
	}

	_, err = e.c.ModifyNetworkInterfaceAttribute(e.ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: &eniID,
		Attachment: &types.NetworkInterfaceAttachmentChanges{AttachmentId: &attID, DeleteOnTermination: aws.Bool(true)}})
	e.must(err)
	if !aws.ToBool(e.describeENI(eniID).Attachment.DeleteOnTermination) {
		t.Fatal("DeleteOnTermination not set")
	}

	_, err = e.c.DetachNetworkInterface(e.ctx, &ec2.DetachNetworkInterfaceInput{AttachmentId: &attID})
	e.must(err)
	if n := e.describeENI(eniID); n.Status != types.NetworkInterfaceStatusAvailable || n.Attachment != nil {
		t.Fatalf("after detach: %+v", n)
	}
	if got := len(e.instance(instID).NetworkInterfaces); got != 1 {
		t.Fatalf("instance keeps %d interfaces", got)
	}

	// Attached again, without DeleteOnTermination, it outlives the instance.
	_, err = e.c.AttachNetworkInterface(e.ctx, &ec2.AttachNetworkInterfaceInput{NetworkInterfaceId: &eniID, InstanceId: &instID, DeviceIndex: aws.Int32(1)})
	e.must(err)
	// An interface of another VPC in the same zone attaches too (multi-VPC
	// ENI attachments).
	otherSub := e.subnet(e.vpc("10.9.0.0/16"), "10.9.1.0/24", "us-east-1a")
	otherENI := aws.ToString(e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &otherSub}).NetworkInterfaceId)
	_, err = e.c.AttachNetworkInterface(e.ctx, &ec2.AttachNetworkInterfaceInput{NetworkInterfaceId: &otherENI, InstanceId: &instID, DeviceIndex: aws.Int32(2)})
	e.must(err)
	if got := e.instance(instID); len(got.NetworkInterfaces) != 3 || aws.ToString(got.VpcId) == aws.ToString(got.NetworkInterfaces[2].VpcId) {
		t.Fatalf("dual-homed instance: %+v", got.NetworkInterfaces)
	}
	free := e.free(sub)
	_, err = e.c.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{instID}})
	e.must(err)
	for _, id := range []string{eniID, otherENI} {
		if n := e.describeENI(id); n.Status != types.NetworkInterfaceStatusAvailable || n.Attachment != nil {
			t.Fatalf("after terminate: %+v", n)
		}
	}
	if got := e.free(sub); got != free+1 {
		t.Fatalf("free after terminate %d, want %d (the primary's address back)", got, free+1)
	}
	// A terminated instance takes no interface.
	_, err = e.c.AttachNetworkInterface(e.ctx, &ec2.AttachNetworkInterfaceInput{NetworkInterfaceId: &eniID, InstanceId: &instID, DeviceIndex: aws.Int32(1)})
	e.wantErr(err, "IncorrectInstanceState", "")
}

func TestNetworkInterfaceReassignment(t *testing.T) {
	e := newENIEnv(t)
	sub := e.subnet(e.vpc("10.0.0.0/16"), "10.0.1.0/24", "us-east-1a")
	a := e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &sub, PrivateIpAddresses: []types.PrivateIpAddressSpecification{
		{PrivateIpAddress: aws.String("10.0.1.10"), Primary: aws.Bool(true)}, {PrivateIpAddress: aws.String("10.0.1.11")}}})
	b := aws.ToString(e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &sub}).NetworkInterfaceId)
	free := e.free(sub)
	_, err := e.c.AssignPrivateIpAddresses(e.ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: &b, PrivateIpAddresses: []string{"10.0.1.11"}})
	e.wantErr(err, "InvalidIPAddress.InUse", "Address 10.0.1.11 is in use.")
	_, err = e.c.AssignPrivateIpAddresses(e.ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: &b, PrivateIpAddresses: []string{"10.0.1.11"}, AllowReassignment: aws.Bool(true)})
	e.must(err)
	if got := privateIPs(e.describeENI(aws.ToString(a.NetworkInterfaceId))); strings.Join(got, ",") != "10.0.1.10" {
		t.Fatalf("old holder keeps %v", got)
	}
	if got := privateIPs(e.describeENI(b)); len(got) != 2 || got[1] != "10.0.1.11" {
		t.Fatalf("new holder has %v", got)
	}
	if got := e.free(sub); got != free {
		t.Fatalf("free %d, want %d (a move takes no address)", got, free)
	}
}

func TestDescribeNetworkInterfacesFilters(t *testing.T) {
	e := newENIEnv(t)
	vpc := e.vpc("10.0.0.0/16")
	subA := e.subnet(vpc, "10.0.1.0/24", "us-east-1a")
	subB := e.subnet(vpc, "10.0.2.0/24", "us-east-1b")
	group := e.defaultGroup(subA)
	one := aws.ToString(e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &subA, Description: aws.String("web one"),
		PrivateIpAddress: aws.String("10.0.1.10"), SecondaryPrivateIpAddressCount: aws.Int32(1),
		TagSpecifications: []types.TagSpecification{tagSpec(types.ResourceTypeNetworkInterface, "Name", "one")}}).NetworkInterfaceId)
	two := e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &subB, Description: aws.String("db"), InterfaceType: types.NetworkInterfaceCreationTypeEfa,
		TagSpecifications: []types.TagSpecification{tagSpec(types.ResourceTypeNetworkInterface, "Role", "db")}})
	twoID := aws.ToString(two.NetworkInterfaceId)
	_, err := e.c.ModifyNetworkInterfaceAttribute(e.ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: &twoID, SourceDestCheck: &types.AttributeBooleanValue{Value: aws.Bool(false)}})
	e.must(err)
	// An instance in the default VPC has a primary interface with a public
	// address and a public DNS name.
	inst := e.run(&ec2.RunInstancesInput{}).Instances[0]
	instID := aws.ToString(inst.InstanceId)
	three := aws.ToString(inst.NetworkInterfaces[0].NetworkInterfaceId)
	attID := aws.ToString(inst.NetworkInterfaces[0].Attachment.AttachmentId)
	pub := aws.ToString(e.instance(instID).PublicIpAddress)
	threeMAC := aws.ToString(inst.NetworkInterfaces[0].MacAddress)
	subs, err := e.c.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{subB}})
	e.must(err)
	zoneB := aws.ToString(subs.Subnets[0].AvailabilityZoneId)

	cases := []filterCase{
		{"subnet-id", []string{subA}, []string{one}},
		{"vpc-id", []string{vpc}, []string{one, twoID}},
		{"group-id", []string{group}, []string{one, twoID}},
		{"group-name", []string{"default"}, []string{one, twoID, three}},
		{"availability-zone", []string{"us-east-1b"}, []string{twoID}},
		{"availability-zone-id", []string{zoneB}, []string{twoID}},
		{"description", []string{"web*"}, []string{one}},
		{"interface-type", []string{"efa"}, []string{twoID}},
		{"private-ip-address", []string{"10.0.1.4"}, []string{one}},
		{"addresses.private-ip-address", []string{"10.0.1.10"}, []string{one}},
		{"addresses.primary", []string{"false"}, []string{one}},
		{"private-dns-name", []string{"ip-10-0-1-10.ec2.internal"}, []string{one}},
		{"network-interface-id", []string{twoID}, []string{twoID}},
		{"mac-address", []string{threeMAC}, []string{three}},
		{"owner-id", []string{emulatortest.AccountA}, []string{one, twoID, three}},
		{"source-dest-check", []string{"false"}, []string{twoID}},
		{"status", []string{"in-use"}, []string{three}},
		{"status", []string{"available"}, []string{one, twoID}},
		{"requester-managed", []string{"false"}, []string{one, twoID, three}},
		{"requester-id", []string{"*"}, nil},
		{"operator.managed", []string{"false"}, []string{one, twoID, three}},
		{"attachment.instance-id", []string{instID}, []string{three}},
		{"attachment.attachment-id", []string{attID}, []string{three}},
		{"attachment.instance-owner-id", []string{emulatortest.AccountA}, []string{three}},
		{"attachment.device-index", []string{"0"}, []string{three}},
		{"attachment.status", []string{"attached"}, []string{three}},
		{"attachment.delete-on-termination", []string{"true"}, []string{three}},
		{"attachment.attach-time", []string{"20*"}, []string{three}},
		{"association.public-ip", []string{pub}, []string{three}},
		{"association.ip-owner-id", []string{"amazon"}, []string{three}},
		{"association.public-dns-name", []string{"ec2-*.compute-1.amazonaws.com"}, []string{three}},
		{"association.allocation-id", []string{"eipalloc-12345678"}, nil},
		{"association.association-id", []string{"eipassoc-*"}, nil},
		{"addresses.association.public-ip", []string{pub}, []string{three}},
		{"addresses.association.owner-id", []string{"amazon"}, []string{three}},
		{"ipv6-addresses.ipv6-address", []string{"*"}, nil},
		{"tag:Name", []string{"one"}, []string{one}},
		{"tag-key", []string{"Role"}, []string{twoID}},
	}
	checkFilters(t, cases, func(f types.Filter) ([]string, error) {
		out, err := e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{
			Filters: []types.Filter{f}})
		if err != nil {
			return nil, err
		}
		var got []string
		for _, n := range out.NetworkInterfaces {
			got = append(got, aws.ToString(n.NetworkInterfaceId))
		}
		return got, nil
	})
	// Filters combine: all must match.
	out, err := e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpc}}, {Name: aws.String("description"), Values: []string{"db"}}}})
	e.must(err)
	if len(out.NetworkInterfaces) != 1 || aws.ToString(out.NetworkInterfaces[0].NetworkInterfaceId) != twoID {
		t.Fatalf("combined filters: %+v", out.NetworkInterfaces)
	}
}

func TestDescribeNetworkInterfacesPaging(t *testing.T) {
	e := newENIEnv(t)
	sub := e.subnet(e.vpc("10.0.0.0/16"), "10.0.1.0/24", "us-east-1a")
	want := map[string]bool{}
	for range 7 {
		want[aws.ToString(e.createENI(&ec2.CreateNetworkInterfaceInput{SubnetId: &sub}).NetworkInterfaceId)] = true
	}
	p := ec2.NewDescribeNetworkInterfacesPaginator(e.c, &ec2.DescribeNetworkInterfacesInput{MaxResults: aws.Int32(5),
		Filters: []types.Filter{{Name: aws.String("subnet-id"), Values: []string{sub}}}})
	var pages []int
	got := map[string]bool{}
	for p.HasMorePages() {
		out, err := p.NextPage(e.ctx)
		e.must(err)
		pages = append(pages, len(out.NetworkInterfaces))
		for _, n := range out.NetworkInterfaces {
			got[aws.ToString(n.NetworkInterfaceId)] = true
		}
	}
	if len(pages) != 2 || pages[0] != 5 || pages[1] != 2 || len(got) != 7 {
		t.Fatalf("pages %v, %d interfaces", pages, len(got))
	}
	for id := range want {
		if !got[id] {
			t.Fatalf("%s missing from the pages", id)
		}
	}
	_, err := e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{MaxResults: aws.Int32(2)})
	e.wantErr(err, "InvalidParameterValue", "")
	_, err = e.c.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{NextToken: aws.String("!!")})
	e.wantErr(err, "InvalidParameterValue", "")
}

// inPrefix reports whether addr is in block.
func inPrefix(addr, block string) bool {
	a, err := netip.ParseAddr(addr)
	return err == nil && netip.MustParsePrefix(block).Contains(a)
}
