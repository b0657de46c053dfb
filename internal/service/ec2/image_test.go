package ec2_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// images describes images and returns them by name.
func (e eniEnv) images(in *ec2.DescribeImagesInput) map[string]types.Image {
	e.t.Helper()
	out, err := e.c.DescribeImages(e.ctx, in)
	e.must(err)
	byName := map[string]types.Image{}
	for _, im := range out.Images {
		byName[aws.ToString(im.Name)] = im
	}
	return byName
}

// imageID is the id of the image of that name in the emulator's region.
func (e eniEnv) imageID(name string) string {
	e.t.Helper()
	im, ok := e.images(&ec2.DescribeImagesInput{Filters: []types.Filter{{Name: aws.String("name"), Values: []string{name}}}})[name]
	if !ok {
		e.t.Fatalf("no image %s", name)
	}
	return aws.ToString(im.ImageId)
}

const (
	al2023    = "al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64"
	al2023Old = "al2023-ami-2023.6.20241111.0-kernel-6.1-x86_64"
	al2023Arm = "al2023-ami-2023.6.20241121.0-kernel-6.1-arm64"
	jammy     = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241119"
	jammyArm  = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20241119"
	noble     = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119"
	nobleArm  = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20241119"
	amzn2     = "amzn2-ami-kernel-5.10-hvm-2.0.20241113.1-x86_64-gp2"
	amzn2Arm  = "amzn2-ami-kernel-5.10-hvm-2.0.20241113.1-arm64-gp2"
	debian    = "debian-12-amd64-20241201-1948"
	debianArm = "debian-12-arm64-20241201-1948"
	windows   = "Windows_Server-2022-English-Full-Base-2024.11.13"
)

func TestDescribeImages(t *testing.T) {
	e := newENIEnv(t)
	all := e.images(&ec2.DescribeImagesInput{})
	if len(all) != 12 {
		t.Fatalf("%d images, want the catalogue's 12", len(all))
	}
	al := all[al2023]
	if !regexp.MustCompile(`^ami-[0-9a-f]{17}$`).MatchString(aws.ToString(al.ImageId)) || aws.ToString(al.OwnerId) != "137112412989" ||
		aws.ToString(al.ImageOwnerAlias) != "amazon" || al.Architecture != types.ArchitectureValuesX8664 ||
		aws.ToString(al.RootDeviceName) != "/dev/xvda" || al.RootDeviceType != types.DeviceTypeEbs || al.VirtualizationType != types.VirtualizationTypeHvm ||
		al.Hypervisor != types.HypervisorTypeXen || !aws.ToBool(al.EnaSupport) || !aws.ToBool(al.Public) || al.State != types.ImageStateAvailable ||
		aws.ToString(al.PlatformDetails) != "Linux/UNIX" || aws.ToString(al.UsageOperation) != "RunInstances" || al.BootMode != types.BootModeValuesUefiPreferred ||
		aws.ToString(al.CreationDate) != "2024-11-20T19:58:41.000Z" || aws.ToString(al.ImageLocation) != "amazon/"+al2023 {
		t.Errorf("Amazon Linux 2023: %+v", al)
	}
	if len(al.BlockDeviceMappings) != 1 || al.BlockDeviceMappings[0].Ebs == nil || aws.ToInt32(al.BlockDeviceMappings[0].Ebs.VolumeSize) != 8 ||
		al.BlockDeviceMappings[0].Ebs.VolumeType != types.VolumeTypeGp3 || !regexp.MustCompile(`^snap-[0-9a-f]{17}$`).MatchString(aws.ToString(al.BlockDeviceMappings[0].Ebs.SnapshotId)) {
		t.Errorf("Amazon Linux 2023's block devices: %+v", al.BlockDeviceMappings)
	}
	ub := all[jammy]
	if aws.ToString(ub.OwnerId) != "099720109477" || ub.ImageOwnerAlias != nil || aws.ToString(ub.RootDeviceName) != "/dev/sda1" || len(ub.BlockDeviceMappings) != 3 ||
		aws.ToString(ub.BlockDeviceMappings[1].VirtualName) != "ephemeral0" {
		t.Errorf("Ubuntu 22.04: %+v", ub)
	}
	win := all[windows] // EC2 sends "windows", not the SDK's constant "Windows"
	if win.Platform != "windows" || aws.ToString(win.PlatformDetails) != "Windows" || aws.ToString(win.UsageOperation) != "RunInstances:0002" ||
		aws.ToInt32(win.BlockDeviceMappings[0].Ebs.VolumeSize) != 30 {
		t.Errorf("Windows: %s %s %s %d", win.Platform, aws.ToString(win.PlatformDetails), aws.ToString(win.UsageOperation), aws.ToInt32(win.BlockDeviceMappings[0].Ebs.VolumeSize))
	}

	// The same ids in another emulator of the same region: a plan does
	// not drift from run to run.
	if other := newENIEnv(t).imageID(al2023); other != aws.ToString(al.ImageId) {
		t.Errorf("image id changed between runs: %s, then %s", aws.ToString(al.ImageId), other)
	}

	names := func(in *ec2.DescribeImagesInput) []string {
		var out []string
		for name := range e.images(in) {
			out = append(out, name)
		}
		slices.Sort(out)
		return out
	}
	alID, jammyID := aws.ToString(al.ImageId), aws.ToString(ub.ImageId)
	for _, tc := range []struct {
		name string
		in   *ec2.DescribeImagesInput
		want []string
	}{
		{"owners amazon", &ec2.DescribeImagesInput{Owners: []string{"amazon"}}, []string{al2023Arm, al2023Old, al2023, amzn2Arm, amzn2, windows}},
		{"owner account", &ec2.DescribeImagesInput{Owners: []string{"099720109477"}}, []string{jammyArm, jammy, nobleArm, noble}},
		{"owners self", &ec2.DescribeImagesInput{Owners: []string{"self"}}, nil},
		{"executable by all", &ec2.DescribeImagesInput{ExecutableUsers: []string{"all"}, Owners: []string{"136693071363"}}, []string{debian, debianArm}},
		{"executable by self", &ec2.DescribeImagesInput{ExecutableUsers: []string{"self"}}, nil},
		{"ids", &ec2.DescribeImagesInput{ImageIds: []string{alID, jammyID}}, []string{al2023, jammy}},
		{"al2023 by name", &ec2.DescribeImagesInput{Owners: []string{"amazon"}, Filters: []types.Filter{{Name: aws.String("name"), Values: []string{"al2023-ami-2023.*-x86_64"}}}}, []string{al2023Old, al2023}},
		{"ubuntu by name", &ec2.DescribeImagesInput{Owners: []string{"099720109477"}, Filters: []types.Filter{{Name: aws.String("name"), Values: []string{"ubuntu/images/hvm-ssd*/ubuntu-jammy-22.04-amd64-server-*"}}}}, []string{jammy}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, want := names(tc.in), slices.Sorted(slices.Values(tc.want)); !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}

	amazon := []string{}
	for _, im := range all {
		if aws.ToString(im.ImageOwnerAlias) == "amazon" {
			amazon = append(amazon, aws.ToString(im.ImageId))
		}
	}
	idsOf := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, aws.ToString(all[n].ImageId))
		}
		return out
	}
	describe := func(f types.Filter) ([]string, error) {
		out, err := e.c.DescribeImages(e.ctx, &ec2.DescribeImagesInput{Filters: []types.Filter{f}})
		var ids []string
		if err == nil {
			for _, im := range out.Images {
				ids = append(ids, aws.ToString(im.ImageId))
			}
		}
		return ids, err
	}
	checkFilters(t, []filterCase{
		{"architecture", []string{"arm64"}, idsOf(al2023Arm, amzn2Arm, jammyArm, nobleArm, debianArm)},
		{"owner-alias", []string{"amazon"}, amazon},
		{"owner-id", []string{"136693071363"}, idsOf(debian, debianArm)},
		{"image-id", []string{alID}, []string{alID}},
		{"root-device-name", []string{"/dev/sda1"}, idsOf(jammy, jammyArm, noble, nobleArm, windows)},
		{"root-device-type", []string{"instance-store"}, nil},
		{"virtualization-type", []string{"paravirtual"}, nil},
		{"state", []string{"available"}, idsOf(al2023, al2023Old, al2023Arm, amzn2, amzn2Arm, jammy, jammyArm, noble, nobleArm, debian, debianArm, windows)},
		{"platform", []string{"windows"}, idsOf(windows)},
		{"block-device-mapping.volume-type", []string{"gp3"}, idsOf(al2023, al2023Old, al2023Arm, noble, nobleArm)},
		{"block-device-mapping.volume-size", []string{"30"}, idsOf(windows)},
		{"description", []string{"Debian 12*"}, idsOf(debian, debianArm)},
		{"is-public", []string{"true"}, idsOf(al2023, al2023Old, al2023Arm, amzn2, amzn2Arm, jammy, jammyArm, noble, nobleArm, debian, debianArm, windows)},
		{"tag:Name", []string{"x"}, nil},
	}, describe)

	checkRefusals(t, []refusal{
		{"unknown id", func() error {
			_, err := e.c.DescribeImages(e.ctx, &ec2.DescribeImagesInput{ImageIds: []string{"ami-12345678"}})
			return err
		}, "InvalidAMIID.NotFound", "The image id '[ami-12345678]' does not exist"},
		{"unknown ids", func() error {
			_, err := e.c.DescribeImages(e.ctx, &ec2.DescribeImagesInput{ImageIds: []string{alID, "ami-12345678", "ami-0123456789abcdef0"}})
			return err
		}, "InvalidAMIID.NotFound", "The image ids '[ami-12345678, ami-0123456789abcdef0]' do not exist"},
		{"malformed id", func() error {
			_, err := e.c.DescribeImages(e.ctx, &ec2.DescribeImagesInput{ImageIds: []string{"ami-123"}})
			return err
		}, "InvalidAMIID.Malformed", `Invalid id: "ami-123" (expecting "ami-...")`},
		{"bad owner", func() error {
			_, err := e.c.DescribeImages(e.ctx, &ec2.DescribeImagesInput{Owners: []string{"12345"}})
			return err
		}, "InvalidUserID.Malformed", "User ID '12345' is invalid"},
		{"bad executable user", func() error {
			_, err := e.c.DescribeImages(e.ctx, &ec2.DescribeImagesInput{ExecutableUsers: []string{"amazon"}})
			return err
		}, "InvalidUserID.Malformed", "User ID 'amazon' is invalid"},
		{"bad filter", func() error {
			_, err := e.c.DescribeImages(e.ctx, &ec2.DescribeImagesInput{Filters: []types.Filter{{Name: aws.String("colour"), Values: []string{"x"}}}})
			return err
		}, "InvalidParameterValue", "colour"},
		{"ids with max results", func() error {
			_, err := e.c.DescribeImages(e.ctx, &ec2.DescribeImagesInput{ImageIds: []string{alID}, MaxResults: aws.Int32(5)})
			return err
		}, "InvalidParameterCombination", "maxResults"},
	})

	// Paging: five at a time, every image once.
	var paged []string
	var token *string
	for pages := 0; pages < 10; pages++ {
		page, err := e.c.DescribeImages(e.ctx, &ec2.DescribeImagesInput{MaxResults: aws.Int32(5), NextToken: token})
		e.must(err)
		for _, im := range page.Images {
			paged = append(paged, aws.ToString(im.ImageId))
		}
		if token = page.NextToken; token == nil {
			break
		}
	}
	sameIDs(t, paged, idsOf(al2023, al2023Old, al2023Arm, amzn2, amzn2Arm, jammy, jammyArm, noble, nobleArm, debian, debianArm, windows))
}

// TestRunInstancesFromImage: a launch from a catalogue image takes its root
// device, volume size and type and snapshot, its platform and boot mode; a
// launch's mapping of the root device changes it; an image of another
// architecture than the instance type's, or a root volume smaller than the
// image's snapshot, is refused; an id the catalogue lacks launches as
// before.
func TestRunInstancesFromImage(t *testing.T) {
	e := newENIEnv(t)
	launch := func(image, instanceType string, b ...types.BlockDeviceMapping) (types.Instance, error) {
		out, err := e.c.RunInstances(e.ctx, &ec2.RunInstancesInput{
			ImageId: aws.String(image), InstanceType: types.InstanceType(instanceType), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), BlockDeviceMappings: b,
		})
		if err != nil {
			return types.Instance{}, err
		}
		return e.instance(aws.ToString(out.Instances[0].InstanceId)), nil
	}
	rootVolume := func(i types.Instance) types.Volume {
		t.Helper()
		for _, b := range i.BlockDeviceMappings {
			if aws.ToString(b.DeviceName) == aws.ToString(i.RootDeviceName) {
				out, err := e.c.DescribeVolumes(e.ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{aws.ToString(b.Ebs.VolumeId)}})
				e.must(err)
				return out.Volumes[0]
			}
		}
		t.Fatalf("no root volume: %+v", i.BlockDeviceMappings)
		return types.Volume{}
	}
	images := e.images(&ec2.DescribeImagesInput{})
	snapshot := func(name string) string { return aws.ToString(images[name].BlockDeviceMappings[0].Ebs.SnapshotId) }

	ub, err := launch(e.imageID(jammy), "t3.micro", types.BlockDeviceMapping{DeviceName: aws.String("/dev/sda1"), Ebs: &types.EbsBlockDevice{VolumeSize: aws.Int32(20), VolumeType: types.VolumeTypeGp3}})
	e.must(err)
	if aws.ToString(ub.RootDeviceName) != "/dev/sda1" || len(ub.BlockDeviceMappings) != 1 {
		t.Errorf("Ubuntu instance: root %s, block devices %+v", aws.ToString(ub.RootDeviceName), ub.BlockDeviceMappings)
	}
	if v := rootVolume(ub); aws.ToInt32(v.Size) != 20 || v.VolumeType != types.VolumeTypeGp3 || aws.ToInt32(v.Iops) != 3000 || aws.ToString(v.SnapshotId) != snapshot(jammy) {
		t.Errorf("Ubuntu root volume: %+v", v)
	}

	// An EBS mapping at a device where the image has instance store
	// (Ubuntu's /dev/sdb) makes an EBS volume there.
	data, err := launch(e.imageID(noble), "m5.large", types.BlockDeviceMapping{DeviceName: aws.String("/dev/sdb"), Ebs: &types.EbsBlockDevice{VolumeSize: aws.Int32(5)}})
	e.must(err)
	if len(data.BlockDeviceMappings) != 2 || aws.ToString(data.BlockDeviceMappings[0].DeviceName) != "/dev/sda1" || aws.ToString(data.BlockDeviceMappings[1].DeviceName) != "/dev/sdb" {
		t.Errorf("Ubuntu 24.04 with /dev/sdb: %+v", data.BlockDeviceMappings)
	}

	win, err := launch(e.imageID(windows), "m5.large")
	e.must(err)
	if v := rootVolume(win); aws.ToInt32(v.Size) != 30 || v.VolumeType != types.VolumeTypeGp2 || aws.ToString(v.SnapshotId) != snapshot(windows) ||
		win.Platform != "windows" || aws.ToString(win.PlatformDetails) != "Windows" || aws.ToString(win.UsageOperation) != "RunInstances:0002" {
		t.Errorf("Windows instance: %s %s %s, root volume %d %s %s", win.Platform, aws.ToString(win.PlatformDetails), aws.ToString(win.UsageOperation), aws.ToInt32(v.Size), v.VolumeType, aws.ToString(v.SnapshotId))
	}

	arm, err := launch(e.imageID(al2023Arm), "t4g.micro")
	e.must(err)
	if v := rootVolume(arm); aws.ToInt32(v.Size) != 8 || v.VolumeType != types.VolumeTypeGp3 || arm.BootMode != types.BootModeValuesUefi ||
		arm.CurrentInstanceBootMode != types.InstanceBootModeValuesUefi || aws.ToString(arm.RootDeviceName) != "/dev/xvda" {
		t.Errorf("arm64 instance: %+v, root volume %+v", arm, v)
	}

	generic, err := launch("ami-12345678", "t3.micro")
	e.must(err)
	if v := rootVolume(generic); aws.ToInt32(v.Size) != 8 || v.VolumeType != types.VolumeTypeGp2 || aws.ToString(v.SnapshotId) != "" ||
		aws.ToString(generic.RootDeviceName) != "/dev/xvda" || aws.ToString(generic.PlatformDetails) != "Linux/UNIX" {
		t.Errorf("instance of an image vpcemu does not know: %+v, root volume %+v", generic, v)
	}

	for _, tc := range []struct {
		name, image, instanceType string
		b                         []types.BlockDeviceMapping
		code, msg                 string
	}{
		{"arm64 image on x86_64", al2023Arm, "t3.micro", nil, "InvalidParameterValue", "The architecture 'x86_64' of the specified instance type does not match the architecture 'arm64' of the specified AMI."},
		{"x86_64 image on arm64", debian, "t4g.micro", nil, "InvalidParameterValue", "architecture 'arm64' of the specified instance type"},
		{"root below the snapshot", windows, "m5.large", []types.BlockDeviceMapping{{DeviceName: aws.String("/dev/sda1"), Ebs: &types.EbsBlockDevice{VolumeSize: aws.Int32(20)}}},
			"InvalidBlockDeviceMapping", "Volume of size 20GB is smaller than snapshot '" + snapshot(windows) + "', expect size >= 30GB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := launch(e.imageID(tc.image), tc.instanceType, tc.b...)
			wantAPIError(t, tc.name, err, tc.code, tc.msg)
		})
	}
}
