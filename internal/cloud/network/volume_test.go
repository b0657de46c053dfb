package network

import (
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

func TestLaunchVolumeDefaults(t *testing.T) {
	for _, tc := range []struct {
		name                string
		spec                EBSSpec
		size, iops, through int32
		typ                 string
		deleteOnTermination bool
	}{
		{"an unknown AMI's root", EBSSpec{}, 8, 100, 0, "gp2", true},
		{"gp2 scales its IOPS", EBSSpec{Size: 100}, 100, 300, 0, "gp2", true},
		{"gp2 caps them", EBSSpec{Size: 16000}, 16000, 16000, 0, "gp2", true},
		{"gp3 baseline", EBSSpec{VolumeType: "gp3", Size: 20}, 20, 3000, 125, "gp3", true},
		{"gp3 as asked", EBSSpec{VolumeType: "gp3", Iops: 6000, Throughput: 250}, 8, 6000, 250, "gp3", true},
		{"st1 starts at 125 GiB", EBSSpec{VolumeType: "st1"}, 125, 0, 0, "st1", true},
		{"kept at termination", EBSSpec{DeleteOnTermination: new(false)}, 8, 100, 0, "gp2", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newInstanceFixture(t)
			var v *Volume
			f.write(func(tx *cloud.Txn) error {
				v = newVolume(tx, &Instance{Meta: cloud.Meta{ID: "i-1"}, AvailabilityZone: "us-east-1a"}, "/dev/sdf", tc.spec, nil)
				return nil
			})
			if v.Size != tc.size || v.Iops != tc.iops || v.Throughput != tc.through || v.VolumeType != tc.typ ||
				v.Attachment.DeleteOnTermination != tc.deleteOnTermination || v.State != "in-use" || v.AvailabilityZone != "us-east-1a" {
				t.Errorf("%+v %+v", v, v.Attachment)
			}
		})
	}
}

func TestInstanceVolumesLifecycle(t *testing.T) {
	f := newInstanceFixture(t)
	r := f.run(RunInstancesInput{SubnetID: f.subnet.ID, BlockDevices: []BlockDeviceSpec{
		{DeviceName: "/dev/sdf", EBS: &EBSSpec{Size: 50, DeleteOnTermination: new(false)}},
		{DeviceName: "/dev/sdg", NoDevice: true},
	}})
	inst := r.Instances[0]
	if len(inst.Volumes) != 2 || inst.Volumes[0].Attachment.Device != "/dev/sdf" || inst.Volumes[1].Attachment.Device != RootDeviceName {
		t.Fatalf("volumes %+v", inst.Volumes)
	}
	data, root := inst.Volumes[0].ID, inst.Volumes[1].ID
	if _, err := f.c.StopInstances(f.ctx, f.who, []string{inst.ID}); err != nil {
		t.Fatal(err)
	}
	if v := readAs[Volume](f.fixture, root); v.State != "in-use" {
		t.Errorf("a stopped instance's root volume is %s", v.State)
	}
	if _, err := f.c.TerminateInstances(f.ctx, f.who, []string{inst.ID}); err != nil {
		t.Fatal(err)
	}
	f.read(func(tx *cloud.Txn) error {
		if _, err := cloud.GetIn[Volume](tx, root); err == nil {
			t.Errorf("root volume %s outlives its instance", root)
		}
		v, err := cloud.GetIn[Volume](tx, data)
		if err != nil || v.State != "available" || v.Attachment != nil {
			t.Errorf("data volume after termination: %+v %v", v, err)
		}
		return nil
	})
}
