package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// volumes describes volumes by filter.
func (e eniEnv) volumes(filters ...types.Filter) []types.Volume {
	e.t.Helper()
	out, err := e.c.DescribeVolumes(e.ctx, &ec2.DescribeVolumesInput{Filters: filters})
	e.must(err)
	return out.Volumes
}

func TestInstanceVolumes(t *testing.T) {
	e := newENIEnv(t)
	out := e.run(&ec2.RunInstancesInput{
		BlockDeviceMappings: []types.BlockDeviceMapping{
			{DeviceName: aws.String("/dev/xvda"), Ebs: &types.EbsBlockDevice{VolumeSize: aws.Int32(20), VolumeType: types.VolumeTypeGp3}},
			{DeviceName: aws.String("/dev/sdf"), Ebs: &types.EbsBlockDevice{VolumeSize: aws.Int32(100), VolumeType: types.VolumeTypeIo1, Iops: aws.Int32(1000), DeleteOnTermination: aws.Bool(false)}},
			{DeviceName: aws.String("/dev/sdb"), VirtualName: aws.String("ephemeral0")},
		},
		TagSpecifications: []types.TagSpecification{tagSpec(types.ResourceTypeVolume, "Name", "data")},
	})
	if n := len(out.Instances[0].BlockDeviceMappings); n != 0 {
		t.Errorf("RunInstances shows %d block devices; they attach later", n)
	}
	id := aws.ToString(out.Instances[0].InstanceId)
	i := e.instance(id)
	if len(i.BlockDeviceMappings) != 2 || aws.ToString(i.BlockDeviceMappings[0].DeviceName) != "/dev/sdf" || aws.ToString(i.BlockDeviceMappings[1].DeviceName) != "/dev/xvda" {
		t.Fatalf("block devices: %+v", i.BlockDeviceMappings)
	}
	data, root := aws.ToString(i.BlockDeviceMappings[0].Ebs.VolumeId), aws.ToString(i.BlockDeviceMappings[1].Ebs.VolumeId)

	got, err := e.c.DescribeVolumes(e.ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{root, data}})
	e.must(err)
	byID := map[string]types.Volume{}
	for _, v := range got.Volumes {
		byID[aws.ToString(v.VolumeId)] = v
	}
	r, d := byID[root], byID[data]
	if aws.ToInt32(r.Size) != 20 || r.VolumeType != types.VolumeTypeGp3 || aws.ToInt32(r.Iops) != 3000 || aws.ToInt32(r.Throughput) != 125 ||
		r.State != types.VolumeStateInUse || aws.ToString(r.AvailabilityZone) != aws.ToString(i.Placement.AvailabilityZone) ||
		len(r.Attachments) != 1 || aws.ToString(r.Attachments[0].InstanceId) != id || !aws.ToBool(r.Attachments[0].DeleteOnTermination) ||
		r.Attachments[0].State != types.VolumeAttachmentStateAttached || len(r.Tags) != 1 || aws.ToString(r.Tags[0].Value) != "data" {
		t.Errorf("root volume: %+v", r)
	}
	if aws.ToInt32(d.Size) != 100 || d.VolumeType != types.VolumeTypeIo1 || aws.ToInt32(d.Iops) != 1000 || aws.ToBool(d.Attachments[0].DeleteOnTermination) {
		t.Errorf("data volume: %+v", d)
	}

	checkFilters(t, []filterCase{
		{"attachment.instance-id", []string{id}, []string{root, data}},
		{"attachment.device", []string{"/dev/xvda"}, []string{root}},
		{"attachment.delete-on-termination", []string{"false"}, []string{data}},
		{"volume-type", []string{"gp3"}, []string{root}},
		{"size", []string{"100"}, []string{data}},
		{"status", []string{"in-use"}, []string{root, data}},
		{"tag:Name", []string{"data"}, []string{root, data}},
	}, func(f types.Filter) ([]string, error) {
		out, err := e.c.DescribeVolumes(e.ctx, &ec2.DescribeVolumesInput{Filters: []types.Filter{f}})
		var ids []string
		if err == nil {
			for _, v := range out.Volumes {
				ids = append(ids, aws.ToString(v.VolumeId))
			}
		}
		return ids, err
	})
	byVolume, err := e.c.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{{Name: aws.String("block-device-mapping.volume-id"), Values: []string{data}}}})
	e.must(err)
	if r := byVolume.Reservations; len(r) != 1 || aws.ToString(r[0].Instances[0].InstanceId) != id {
		t.Errorf("instances with volume %s: %+v", data, r)
	}

	// Termination deletes the root volume and leaves the other available.
	_, err = e.c.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
	e.must(err)
	left := e.volumes()
	if len(left) != 1 || aws.ToString(left[0].VolumeId) != data || left[0].State != types.VolumeStateAvailable || len(left[0].Attachments) != 0 {
		t.Errorf("after termination: %+v", left)
	}
	if i := e.instance(id); len(i.BlockDeviceMappings) != 0 {
		t.Errorf("a terminated instance shows volumes: %+v", i.BlockDeviceMappings)
	}

	checkRefusals(t, []refusal{
		{"unknown volume", func() error {
			_, err := e.c.DescribeVolumes(e.ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{root}})
			return err
		}, "InvalidVolume.NotFound", root},
		{"malformed id", func() error {
			_, err := e.c.DescribeVolumes(e.ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{"i-1"}})
			return err
		}, "InvalidVolumeID.Malformed", ""},
		{"bad filter", func() error {
			_, err := e.c.DescribeVolumes(e.ctx, &ec2.DescribeVolumesInput{Filters: []types.Filter{{Name: aws.String("colour"), Values: []string{"x"}}}})
			return err
		}, "InvalidParameterValue", "colour"},
	})
}

func TestRunInstancesBlockDeviceRefusals(t *testing.T) {
	e := newENIEnv(t)
	run := func(b ...types.BlockDeviceMapping) error {
		_, err := e.c.RunInstances(e.ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), BlockDeviceMappings: b})
		return err
	}
	ebs := func(device string, e types.EbsBlockDevice) types.BlockDeviceMapping {
		return types.BlockDeviceMapping{DeviceName: aws.String(device), Ebs: &e}
	}
	checkInputRefusals(t, []inputRefusal[[]types.BlockDeviceMapping]{
		{"root smaller than the image", []types.BlockDeviceMapping{ebs("/dev/xvda", types.EbsBlockDevice{VolumeSize: aws.Int32(4)})}, "InvalidBlockDeviceMapping", "smaller than snapshot"},
		{"io1 without iops", []types.BlockDeviceMapping{ebs("/dev/sdf", types.EbsBlockDevice{VolumeType: types.VolumeTypeIo1, VolumeSize: aws.Int32(10)})}, "InvalidParameterCombination", "iops must be specified"},
		{"iops on gp2", []types.BlockDeviceMapping{ebs("/dev/sdf", types.EbsBlockDevice{Iops: aws.Int32(300)})}, "InvalidParameterCombination", "iops is not supported"},
		{"throughput on gp2", []types.BlockDeviceMapping{ebs("/dev/sdf", types.EbsBlockDevice{Throughput: aws.Int32(300)})}, "InvalidParameterCombination", "throughput is not supported"},
		{"st1 too small", []types.BlockDeviceMapping{ebs("/dev/sdf", types.EbsBlockDevice{VolumeType: types.VolumeTypeSt1, VolumeSize: aws.Int32(10)})}, "InvalidParameterValue", "st1"},
		{"device twice", []types.BlockDeviceMapping{ebs("/dev/sdf", types.EbsBlockDevice{}), ebs("/dev/sdf", types.EbsBlockDevice{})}, "InvalidBlockDeviceMapping", "/dev/sdf"},
	}, func(b []types.BlockDeviceMapping) error { return run(b...) })
	if v := e.volumes(); len(v) != 0 {
		t.Errorf("refused launches left volumes: %+v", v)
	}
}
