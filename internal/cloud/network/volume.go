package network

import (
	"slices"
	"sort"
	"time"

	"github.com/vpcemu/vpcemu/internal/amis"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Volume is an EBS volume an instance launched with: its root volume, or
// one of the launch's block device mappings. vpcemu keeps what EC2 shows
// of it and stores no data.
type Volume struct {
	cloud.Meta
	AvailabilityZone string
	Size             int32 // GiB
	VolumeType       string
	Iops             int32 `json:",omitempty"`
	Throughput       int32 `json:",omitempty"` // MiB/s, gp3 only
	Encrypted        bool
	KMSKeyID         string `json:",omitempty"`
	SnapshotID       string `json:",omitempty"`
	State            string // in-use, available
	CreateTime       time.Time
	// Attachment is the instance it is attached to; nil once detached.
	Attachment *VolumeAttachment `json:",omitempty"`
}

// VolumeAttachment is a volume's attachment to an instance.
type VolumeAttachment struct {
	InstanceID          string
	Device              string
	AttachTime          time.Time
	DeleteOnTermination bool
	State               string // attached
}

func (*Volume) Kind() cloud.Kind { return cloud.KindVolume }

func init() { cloud.RegisterType[Volume]() }

// volumeIndexes are the filters DescribeVolumes finds by index.
var volumeIndexes = cloud.Declare(cloud.KindVolume, cloud.Same("attachment.instance-id", "status"), nil)

func (v *Volume) Keys() []cloud.Key {
	keys := []cloud.Key{volumeIndexes.Key("status", v.State)}
	if v.Attachment != nil {
		keys = append(keys, volumeIndexes.Key("attachment.instance-id", v.Attachment.InstanceID))
	}
	return keys
}

// SubjectBlockDeviceMapping names a launch's block device mapping in
// refusals (InvalidBlockDeviceMapping).
const SubjectBlockDeviceMapping cloud.Kind = "block-device-mapping"

// RootDeviceName is the root device of an instance whose image vpcemu's
// catalogue does not have: Amazon Linux's (/dev/xvda).
const RootDeviceName = "/dev/xvda"

// The root volume of an image the catalogue does not have: Amazon Linux
// 2's, 8 GiB of gp2.
const (
	rootVolumeSize = 8
	rootVolumeType = "gp2"
)

// EBSSpec is the EBS part of a launch's block device mapping; zero fields
// take the defaults.
type EBSSpec struct {
	Size                int32
	VolumeType          string
	Iops                int32
	Throughput          int32
	Encrypted           bool
	KMSKeyID            string
	SnapshotID          string
	DeleteOnTermination *bool
}

// BlockDeviceSpec is one block device mapping of a launch: an EBS volume at
// a device, or (NoDevice) the AMI's volume there left out. Instance store
// volumes (VirtualName) are taken and not modelled.
type BlockDeviceSpec struct {
	DeviceName  string
	VirtualName string
	NoDevice    bool
	EBS         *EBSSpec
}

// volumeSizes are the sizes (GiB) each volume type allows.
var volumeSizes = map[string][2]int32{
	"standard": {1, 1024},
	"gp2":      {1, 16384},
	"gp3":      {1, 16384},
	"io1":      {4, 16384},
	"io2":      {4, 65536},
	"st1":      {125, 16384},
	"sc1":      {125, 16384},
}

// checkBlockDevices checks a launch's block device mappings before anything
// is read.
func checkBlockDevices(specs []BlockDeviceSpec) error {
	seen := map[string]bool{}
	for _, b := range specs {
		if b.DeviceName == "" {
			return cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter BlockDeviceMapping.DeviceName")
		}
		if seen[b.DeviceName] {
			return cloud.Errorf(cloud.InvalidParameter, SubjectBlockDeviceMapping, "The device '%s' is used in more than one block-device mapping", b.DeviceName)
		}
		seen[b.DeviceName] = true
		if b.EBS == nil {
			continue
		}
		if b.NoDevice || b.VirtualName != "" {
			return cloud.Errorf(cloud.InvalidParameter, SubjectBlockDeviceMapping, "Only one of Ebs, VirtualName or NoDevice may be given for device '%s'", b.DeviceName)
		}
		if err := checkEBS(b.DeviceName, *b.EBS); err != nil {
			return err
		}
	}
	return nil
}

func checkEBS(device string, e EBSSpec) error {
	typ := e.VolumeType
	if typ == "" {
		typ = rootVolumeType
	}
	sizes, ok := volumeSizes[typ]
	if !ok {
		return cloud.InvalidParam("Value (%s) for parameter volumeType is invalid. Valid values: standard, io1, io2, gp2, gp3, sc1, st1.", typ)
	}
	if e.Size != 0 && (e.Size < sizes[0] || e.Size > sizes[1]) {
		return cloud.InvalidParam("Volume of %dGiB is outside the range of volume type %s: %d to %d GiB.", e.Size, typ, sizes[0], sizes[1])
	}
	switch typ {
	case "io1", "io2":
		if e.Iops == 0 {
			return cloud.Errorf(cloud.InvalidCombination, "", "The parameter iops must be specified for %s volumes.", typ)
		}
	case "gp3":
	default:
		if e.Iops != 0 {
			return cloud.Errorf(cloud.InvalidCombination, "", "The parameter iops is not supported for %s volumes.", typ)
		}
	}
	if e.Throughput != 0 && typ != "gp3" {
		return cloud.Errorf(cloud.InvalidCombination, "", "The parameter throughput is not supported for %s volumes.", typ)
	}
	return nil
}

// newVolume makes (but does not save) a volume attached to inst at device,
// from the mapping's settings over the defaults.
func newVolume(t *cloud.Txn, inst *Instance, device string, e EBSSpec, tags cloud.Tags) *Volume {
	v := &Volume{
		Meta:             cloud.Meta{ID: t.NewID("vol-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags},
		AvailabilityZone: inst.AvailabilityZone,
		Size:             e.Size,
		VolumeType:       e.VolumeType,
		Iops:             e.Iops,
		Throughput:       e.Throughput,
		Encrypted:        e.Encrypted || e.KMSKeyID != "",
		KMSKeyID:         e.KMSKeyID,
		SnapshotID:       e.SnapshotID,
		State:            "in-use",
		CreateTime:       t.Now,
		Attachment:       &VolumeAttachment{InstanceID: inst.ID, Device: device, AttachTime: t.Now, DeleteOnTermination: true, State: "attached"},
	}
	if e.DeleteOnTermination != nil {
		v.Attachment.DeleteOnTermination = *e.DeleteOnTermination
	}
	if v.VolumeType == "" {
		v.VolumeType = rootVolumeType
	}
	if v.Size == 0 {
		v.Size = rootVolumeSize
		if sizes := volumeSizes[v.VolumeType]; v.Size < sizes[0] {
			v.Size = sizes[0]
		}
	}
	switch v.VolumeType {
	case "gp2": // 3 IOPS per GiB, from 100 to 16,000
		v.Iops = min(max(100, 3*v.Size), 16000)
	case "gp3": // a baseline of 3,000 IOPS and 125 MiB/s
		if v.Iops == 0 {
			v.Iops = 3000
		}
		if v.Throughput == 0 {
			v.Throughput = 125
		}
	}
	return v
}

// launchVolumes creates the instance's volumes: the image's EBS mappings
// (its root volume first) as the launch's mappings for their devices set
// them, less those the launch maps to no device, and one per other EBS
// mapping of the launch.
func launchVolumes(t *cloud.Txn, inst *Instance, im amis.Image, specs []BlockDeviceSpec, tags cloud.Tags) error {
	byDevice := map[string]BlockDeviceSpec{}
	for _, b := range specs {
		byDevice[b.DeviceName] = b
	}
	devices := slices.Clone(im.Devices)
	slices.SortStableFunc(devices, func(a, b amis.Device) int {
		return boolRank(a.Name != im.RootDeviceName) - boolRank(b.Name != im.RootDeviceName)
	})
	for _, d := range devices {
		if !d.EBS() {
			continue // instance store is not modelled; a launch's EBS mapping there is made below
		}
		b := byDevice[d.Name]
		delete(byDevice, d.Name)
		if b.NoDevice || b.VirtualName != "" {
			continue
		}
		e := EBSSpec{Size: d.Size, VolumeType: d.VolumeType, SnapshotID: d.SnapshotID}
		if b.EBS != nil {
			e = imageOverride(e, *b.EBS)
		}
		if err := cloud.Put(t, newVolume(t, inst, d.Name, e, tags)); err != nil {
			return err
		}
	}
	for _, b := range specs {
		if _, left := byDevice[b.DeviceName]; left && b.EBS != nil {
			if err := cloud.Put(t, newVolume(t, inst, b.DeviceName, *b.EBS, tags)); err != nil {
				return err
			}
		}
	}
	return nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// imageOverride is an image's EBS mapping as a launch's mapping for its
// device changes it: the snapshot stays the image's, and a new volume type
// takes that type's IOPS and throughput.
func imageOverride(img, launch EBSSpec) EBSSpec {
	e := img
	if launch.Size != 0 {
		e.Size = launch.Size
	}
	if launch.VolumeType != "" && launch.VolumeType != img.VolumeType {
		e.VolumeType, e.Iops, e.Throughput = launch.VolumeType, 0, 0
	}
	if launch.Iops != 0 {
		e.Iops = launch.Iops
	}
	if launch.Throughput != 0 {
		e.Throughput = launch.Throughput
	}
	e.Encrypted = img.Encrypted || launch.Encrypted
	e.KMSKeyID = launch.KMSKeyID
	e.DeleteOnTermination = launch.DeleteOnTermination
	return e
}

// checkImageDevices refuses a launch's mappings that would shrink the
// image's volumes below their snapshots.
func checkImageDevices(im amis.Image, specs []BlockDeviceSpec) error {
	for _, b := range specs {
		if b.EBS == nil || b.EBS.Size == 0 {
			continue
		}
		for _, d := range im.Devices {
			if d.Name == b.DeviceName && d.EBS() && b.EBS.Size < d.Size {
				if d.SnapshotID == "" {
					return cloud.Errorf(cloud.InvalidParameter, SubjectBlockDeviceMapping, "Volume of size %dGB is smaller than snapshot, expect size >= %dGB", b.EBS.Size, d.Size)
				}
				return cloud.Errorf(cloud.InvalidParameter, SubjectBlockDeviceMapping, "Volume of size %dGB is smaller than snapshot '%s', expect size >= %dGB", b.EBS.Size, d.SnapshotID, d.Size)
			}
		}
	}
	return nil
}

// instanceVolumes reads the volumes attached to an instance, by device.
func instanceVolumes(t *cloud.Txn, instanceID string) ([]*Volume, error) {
	vols, err := cloud.FindAny[Volume](t, cloud.Key{Name: "attachment.instance-id", Value: instanceID})
	if err != nil {
		return nil, err
	}
	sort.Slice(vols, func(a, b int) bool { return vols[a].Attachment.Device < vols[b].Attachment.Device })
	return vols, nil
}

// releaseVolumes deletes a terminated instance's volumes marked
// DeleteOnTermination and detaches the others, which become available.
func releaseVolumes(t *cloud.Txn, instanceID string) error {
	vols, err := instanceVolumes(t, instanceID)
	if err != nil {
		return err
	}
	for _, v := range vols {
		if v.Attachment.DeleteOnTermination {
			err = cloud.Remove(t, v)
		} else {
			v.Attachment, v.State = nil, "available"
			err = cloud.Put(t, v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// setDeleteOnTermination changes DeleteOnTermination of the volume at each
// device named.
func setDeleteOnTermination(t *cloud.Txn, inst *Instance, changes map[string]bool) error {
	vols, err := instanceVolumes(t, inst.ID)
	if err != nil {
		return err
	}
	for device, on := range changes {
		found := false
		for _, v := range vols {
			if v.Attachment.Device == device {
				found = true
				v.Attachment.DeleteOnTermination = on
				if err := cloud.Put(t, v); err != nil {
					return err
				}
			}
		}
		if !found {
			return cloud.Errorf(cloud.InvalidParameter, cloud.KindInstance, "The device '%s' is not mapped on instance '%s'", device, inst.ID)
		}
	}
	return nil
}
