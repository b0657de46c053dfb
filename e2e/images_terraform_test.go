package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestTerraformImages: data "aws_ami" lookups (Amazon Linux 2023 by name
// with most_recent, Ubuntu 22.04 by Canonical's owner id, arm64 by
// owner-alias and executable users, one by image-id) resolve among vpcemu's
// catalogue; instances from them with root_block_device and
// ebs_block_device apply with the image's root device and show no drift;
// destroying leaves no volume.
func TestTerraformImages(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, accountA, region)
	tf := newTerraform(t, "images", e.URL())
	tf.lifecycle(c, func() {
		var out struct {
			Images struct {
				AL2023         string `json:"al2023"`
				AL2023Name     string `json:"al2023_name"`
				AL2023RootSnap string `json:"al2023_root_snap"`
				ByID           string `json:"by_id"`
				Ubuntu         string `json:"ubuntu"`
				UbuntuName     string `json:"ubuntu_name"`
				UbuntuRoot     string `json:"ubuntu_root"`
				Arm            string `json:"arm"`
				ArmName        string `json:"arm_name"`
			}
			Instances struct {
				AL2023     string `json:"al2023"`
				AL2023Root string `json:"al2023_root"`
				Ubuntu     string `json:"ubuntu"`
				UbuntuRoot string `json:"ubuntu_root"`
				Arm        string `json:"arm"`
			}
		}
		tf.outputs(&out)
		im := out.Images
		if im.AL2023Name != "al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64" || im.ByID != im.AL2023Name ||
			im.UbuntuName != "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241119" || im.UbuntuRoot != "/dev/sda1" ||
			im.ArmName != "al2023-ami-2023.6.20241121.0-kernel-6.1-arm64" || im.AL2023RootSnap == "" {
			t.Errorf("data sources: %+v", im)
		}
		ctx := testContext(t, time.Minute)
		got, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{out.Instances.AL2023, out.Instances.Ubuntu, out.Instances.Arm}})
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]types.Instance{}
		for _, r := range got.Reservations {
			for _, i := range r.Instances {
				byID[aws.ToString(i.InstanceId)] = i
			}
		}
		al, ub, arm := byID[out.Instances.AL2023], byID[out.Instances.Ubuntu], byID[out.Instances.Arm]
		if aws.ToString(al.ImageId) != im.AL2023 || aws.ToString(al.RootDeviceName) != "/dev/xvda" || len(al.BlockDeviceMappings) != 2 ||
			aws.ToString(ub.ImageId) != im.Ubuntu || aws.ToString(ub.RootDeviceName) != "/dev/sda1" || len(ub.BlockDeviceMappings) != 2 ||
			aws.ToString(arm.ImageId) != im.Arm || arm.Architecture != types.ArchitectureValuesArm64 || len(arm.BlockDeviceMappings) != 1 {
			t.Errorf("instances: %+v\n%+v\n%+v", al, ub, arm)
		}
		vols, err := c.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []types.Filter{{Name: aws.String("attachment.instance-id"), Values: []string{out.Instances.AL2023, out.Instances.Ubuntu}}}})
		if err != nil {
			t.Fatal(err)
		}
		type vol struct {
			size       int32
			typ        types.VolumeType
			iops, thru int32
			snapshot   bool
		}
		want := map[string]vol{
			out.Instances.AL2023 + " /dev/xvda": {20, types.VolumeTypeGp3, 3000, 125, true},
			out.Instances.AL2023 + " /dev/sdf":  {50, types.VolumeTypeGp3, 4000, 250, false},
			out.Instances.Ubuntu + " /dev/sda1": {16, types.VolumeTypeGp2, 100, 0, true},
			out.Instances.Ubuntu + " /dev/sdg":  {10, types.VolumeTypeGp2, 100, 0, false},
		}
		for _, v := range vols.Volumes {
			a := v.Attachments[0]
			key := aws.ToString(a.InstanceId) + " " + aws.ToString(a.Device)
			w, ok := want[key]
			if !ok || aws.ToInt32(v.Size) != w.size || v.VolumeType != w.typ || aws.ToInt32(v.Iops) != w.iops || aws.ToInt32(v.Throughput) != w.thru ||
				(aws.ToString(v.SnapshotId) != "") != w.snapshot {
				t.Errorf("volume %s: %+v", key, v)
			}
			delete(want, key)
		}
		if len(want) > 0 {
			t.Errorf("missing volumes: %v", want)
		}
		if out.Instances.AL2023Root == "" || out.Instances.UbuntuRoot == "" {
			t.Errorf("root_block_device volume ids: %+v", out.Instances)
		}
	})
}
