// Package amis is vpcemu's catalogue of public AMIs: a handful of the images
// people look up by name (Amazon Linux 2023 and 2, Ubuntu 22.04 and 24.04,
// Debian 12, Windows Server 2022), each in every region, with the fields
// DescribeImages shows. Names, owners, descriptions, devices and volume
// sizes follow what AWS publishes for those images (their release notes and
// `aws ec2 describe-images` output); the image and snapshot ids are
// vpcemu's own — well-formed, derived from the region and the name so they
// stay the same from run to run (a plan does not drift), and never real AWS
// ids.
package amis

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
)

// Owners of the catalogue's images, and the alias AWS shows for Amazon's.
const (
	OwnerAmazon    = "137112412989" // Amazon Linux
	OwnerWindows   = "801119661308" // Amazon's Windows images
	OwnerCanonical = "099720109477" // Ubuntu
	OwnerDebian    = "136693071363" // Debian
	AliasAmazon    = "amazon"
)

// Device is one of an image's block device mappings: an EBS volume from a
// snapshot, or an instance store volume (VirtualName).
type Device struct {
	Name        string
	VirtualName string // ephemeral0, …; "" for EBS
	Size        int32  // GiB
	VolumeType  string
	SnapshotID  string
}

// EBS reports whether the mapping is an EBS volume.
func (d Device) EBS() bool { return d.VirtualName == "" }

// Image is one AMI as a region has it.
type Image struct {
	ID              string
	Name            string
	Description     string
	OwnerID         string
	OwnerAlias      string // "amazon" where AWS sets it
	CreationDate    string // RFC 3339, milliseconds, as EC2 writes it
	Architecture    string // x86_64, arm64
	Platform        string // windows; "" for Linux
	PlatformDetails string
	UsageOperation  string
	BootMode        string // uefi, uefi-preferred; "" where AWS shows none
	ImdsSupport     string // v2.0 where the image requires IMDSv2
	RootDeviceName  string
	Devices         []Device
}

// Location is the image's ImageLocation: owner alias (or id) and name.
func (im *Image) Location() string {
	owner := im.OwnerAlias
	if owner == "" {
		owner = im.OwnerID
	}
	return owner + "/" + im.Name
}

// Root is the mapping of the root device; ok is false for none.
func (im *Image) Root() (Device, bool) {
	for _, d := range im.Devices {
		if d.Name == im.RootDeviceName && d.EBS() {
			return d, true
		}
	}
	return Device{}, false
}

// entry is an image of the catalogue, before it is given a region's ids.
type entry struct {
	name, description, owner, alias, created, arch string
	windows                                        bool
	bootMode, imds                                 string
	root                                           string // root device
	size                                           int32
	volumeType                                     string
	ephemeral                                      []string // instance store devices, ephemeral0 first
}

var catalogue = []entry{
	{name: "al2023-ami-2023.6.20241111.0-kernel-6.1-x86_64", description: "Amazon Linux 2023 AMI 2023.6.20241111.0 x86_64 HVM kernel-6.1",
		owner: OwnerAmazon, alias: AliasAmazon, created: "2024-11-08T23:07:31.000Z", arch: "x86_64", bootMode: "uefi-preferred", imds: "v2.0",
		root: "/dev/xvda", size: 8, volumeType: "gp3"},
	{name: "al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64", description: "Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 HVM kernel-6.1",
		owner: OwnerAmazon, alias: AliasAmazon, created: "2024-11-20T19:58:41.000Z", arch: "x86_64", bootMode: "uefi-preferred", imds: "v2.0",
		root: "/dev/xvda", size: 8, volumeType: "gp3"},
	{name: "al2023-ami-2023.6.20241121.0-kernel-6.1-arm64", description: "Amazon Linux 2023 AMI 2023.6.20241121.0 arm64 HVM kernel-6.1",
		owner: OwnerAmazon, alias: AliasAmazon, created: "2024-11-20T19:58:44.000Z", arch: "arm64", bootMode: "uefi", imds: "v2.0",
		root: "/dev/xvda", size: 8, volumeType: "gp3"},
	{name: "amzn2-ami-kernel-5.10-hvm-2.0.20241113.1-x86_64-gp2", description: "Amazon Linux 2 Kernel 5.10 AMI 2.0.20241113.1 x86_64 HVM gp2",
		owner: OwnerAmazon, alias: AliasAmazon, created: "2024-11-14T00:31:44.000Z", arch: "x86_64",
		root: "/dev/xvda", size: 8, volumeType: "gp2"},
	{name: "amzn2-ami-kernel-5.10-hvm-2.0.20241113.1-arm64-gp2", description: "Amazon Linux 2 Kernel 5.10 AMI 2.0.20241113.1 arm64 HVM gp2",
		owner: OwnerAmazon, alias: AliasAmazon, created: "2024-11-14T00:31:50.000Z", arch: "arm64", bootMode: "uefi",
		root: "/dev/xvda", size: 8, volumeType: "gp2"},
	{name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241119", description: "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2024-11-19",
		owner: OwnerCanonical, created: "2024-11-19T09:42:12.000Z", arch: "x86_64",
		root: "/dev/sda1", size: 8, volumeType: "gp2", ephemeral: []string{"/dev/sdb", "/dev/sdc"}},
	{name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20241119", description: "Canonical, Ubuntu, 22.04 LTS, arm64 jammy image build on 2024-11-19",
		owner: OwnerCanonical, created: "2024-11-19T09:42:20.000Z", arch: "arm64", bootMode: "uefi",
		root: "/dev/sda1", size: 8, volumeType: "gp2", ephemeral: []string{"/dev/sdb", "/dev/sdc"}},
	{name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119", description: "Canonical, Ubuntu, 24.04, amd64 noble image",
		owner: OwnerCanonical, created: "2024-11-19T10:12:05.000Z", arch: "x86_64", bootMode: "uefi-preferred", imds: "v2.0",
		root: "/dev/sda1", size: 8, volumeType: "gp3", ephemeral: []string{"/dev/sdb", "/dev/sdc"}},
	{name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20241119", description: "Canonical, Ubuntu, 24.04, arm64 noble image",
		owner: OwnerCanonical, created: "2024-11-19T10:12:11.000Z", arch: "arm64", bootMode: "uefi", imds: "v2.0",
		root: "/dev/sda1", size: 8, volumeType: "gp3", ephemeral: []string{"/dev/sdb", "/dev/sdc"}},
	{name: "debian-12-amd64-20241201-1948", description: "Debian 12 (20241201-1948)",
		owner: OwnerDebian, created: "2024-12-01T20:38:02.000Z", arch: "x86_64",
		root: "/dev/xvda", size: 8, volumeType: "gp2"},
	{name: "debian-12-arm64-20241201-1948", description: "Debian 12 (20241201-1948)",
		owner: OwnerDebian, created: "2024-12-01T20:38:11.000Z", arch: "arm64", bootMode: "uefi",
		root: "/dev/xvda", size: 8, volumeType: "gp2"},
	{name: "Windows_Server-2022-English-Full-Base-2024.11.13", description: "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon",
		owner: OwnerWindows, alias: AliasAmazon, created: "2024-11-13T21:27:26.000Z", arch: "x86_64", windows: true,
		root: "/dev/sda1", size: 30, volumeType: "gp2"},
}

// hexID is prefix and 17 hex digits of a hash of what is named: stable
// across runs, different per region.
func hexID(prefix string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return prefix + hex.EncodeToString(h.Sum(nil))[:17]
}

func (e entry) in(region string) Image {
	im := Image{
		ID: hexID("ami-", "vpcemu-ami", region, e.name), Name: e.name, Description: e.description,
		OwnerID: e.owner, OwnerAlias: e.alias, CreationDate: e.created, Architecture: e.arch,
		PlatformDetails: "Linux/UNIX", UsageOperation: "RunInstances",
		BootMode: e.bootMode, ImdsSupport: e.imds, RootDeviceName: e.root,
		Devices: []Device{{Name: e.root, Size: e.size, VolumeType: e.volumeType, SnapshotID: hexID("snap-", "vpcemu-snapshot", region, e.name)}},
	}
	if e.windows {
		im.Platform, im.PlatformDetails, im.UsageOperation = "windows", "Windows", "RunInstances:0002"
	}
	for k, dev := range e.ephemeral {
		im.Devices = append(im.Devices, Device{Name: dev, VirtualName: "ephemeral" + string(rune('0'+k))})
	}
	return im
}

// In lists the catalogue's images in a region, in the catalogue's order.
func In(region string) []Image {
	out := make([]Image, 0, len(catalogue))
	for _, e := range catalogue {
		out = append(out, e.in(region))
	}
	return out
}

// Find is the region's image with that id; ok is false when the catalogue
// has none.
func Find(region, id string) (Image, bool) {
	images := In(region)
	k := slices.IndexFunc(images, func(im Image) bool { return im.ID == id })
	if k < 0 {
		return Image{}, false
	}
	return images[k], true
}
