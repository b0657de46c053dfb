package ec2

import (
	"context"
	"strconv"

	"github.com/vpcemu/vpcemu/internal/amis"
	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// What every image of the catalogue is: a public, available machine image
// of an EBS root, hardware virtualization on the Xen hypervisor, with ENA
// and SR-IOV.
const (
	imageType       = ec2api.ImageTypeValuesMachine
	imageHypervisor = ec2api.HypervisorTypeXen
	imageState      = ec2api.ImageStateAvailable
	imageRootType   = ec2api.DeviceTypeEbs
	imageVirtType   = ec2api.VirtualizationTypeHvm
	imageSriov      = "simple"
)

func imageDeviceShape(d amis.Device) ec2api.BlockDeviceMapping {
	if !d.EBS() {
		return ec2api.BlockDeviceMapping{DeviceName: new(d.Name), VirtualName: new(d.VirtualName)}
	}
	e := &ec2api.EbsBlockDevice{
		DeleteOnTermination: new(true), Encrypted: new(false), SnapshotId: new(d.SnapshotID),
		VolumeSize: new(d.Size), VolumeType: new(d.VolumeType),
	}
	if d.VolumeType == "gp3" { // the baseline a gp3 snapshot's volume gets
		e.Iops, e.Throughput = new(int32(3000)), new(int32(125))
	}
	return ec2api.BlockDeviceMapping{DeviceName: new(d.Name), Ebs: e}
}

func imageShape(im *amis.Image) ec2api.Image {
	out := ec2api.Image{
		ImageId:             new(im.ID),
		Name:                new(im.Name),
		Description:         new(im.Description),
		OwnerId:             new(im.OwnerID),
		ImageOwnerAlias:     optional.String(im.OwnerAlias),
		ImageLocation:       new(im.Location()),
		CreationDate:        new(im.CreationDate),
		Architecture:        new(im.Architecture),
		Platform:            optional.String(im.Platform),
		PlatformDetails:     new(im.PlatformDetails),
		UsageOperation:      new(im.UsageOperation),
		BootMode:            optional.String(im.BootMode),
		ImdsSupport:         optional.String(im.ImdsSupport),
		RootDeviceName:      new(im.RootDeviceName),
		RootDeviceType:      new(imageRootType),
		BlockDeviceMappings: []ec2api.BlockDeviceMapping{},
		VirtualizationType:  new(imageVirtType),
		Hypervisor:          new(imageHypervisor),
		EnaSupport:          new(true),
		SriovNetSupport:     new(imageSriov),
		ImageType:           new(imageType),
		Public:              new(true),
		State:               new(imageState),
	}
	for _, d := range im.Devices {
		out.BlockDeviceMappings = append(out.BlockDeviceMappings, imageDeviceShape(d))
	}
	return out
}

// onImageEBS is a block-device-mapping.* filter: the values of the image's
// EBS mappings.
func onImageEBS(f func(amis.Device) string) func(*amis.Image) []string {
	return func(im *amis.Image) []string {
		var out []string
		for _, d := range im.Devices {
			if d.EBS() {
				out = append(out, f(d))
			}
		}
		return out
	}
}

// imageValue is a filter whose value comes from the image alone.
func imageValue(f func(*amis.Image) string) func(*amis.Image) []string {
	return func(im *amis.Image) []string { return one(f(im)) }
}

// imageFixed is a filter whose value every image of the catalogue shares.
func imageFixed(v string) func(*amis.Image) []string {
	return func(*amis.Image) []string { return []string{v} }
}

// imageFilters are DescribeImages's filters.
var imageFilters = &filters[*amis.Image]{
	values: map[string]func(*amis.Image) []string{
		"architecture": imageValue(func(im *amis.Image) string { return im.Architecture }),
		"block-device-mapping.delete-on-termination": onImageEBS(func(amis.Device) string { return "true" }),
		"block-device-mapping.device-name": func(im *amis.Image) []string {
			return collectNonEmpty(im.Devices, func(d amis.Device) string { return d.Name })
		},
		"block-device-mapping.encrypted":   onImageEBS(func(amis.Device) string { return "false" }),
		"block-device-mapping.snapshot-id": onImageEBS(func(d amis.Device) string { return d.SnapshotID }),
		"block-device-mapping.volume-size": onImageEBS(func(d amis.Device) string { return strconv.Itoa(int(d.Size)) }),
		"block-device-mapping.volume-type": onImageEBS(func(d amis.Device) string { return d.VolumeType }),
		"boot-mode":                        imageValue(func(im *amis.Image) string { return im.BootMode }),
		"creation-date":                    imageValue(func(im *amis.Image) string { return im.CreationDate }),
		"description":                      imageValue(func(im *amis.Image) string { return im.Description }),
		"ena-support":                      imageFixed("true"),
		"free-tier-eligible":               none[*amis.Image],
		"hypervisor":                       imageFixed(imageHypervisor),
		"image-allowed":                    imageFixed("true"),
		"image-id":                         imageValue(func(im *amis.Image) string { return im.ID }),
		"image-type":                       imageFixed(imageType),
		"imds-support":                     imageValue(func(im *amis.Image) string { return im.ImdsSupport }),
		"is-public":                        imageFixed("true"),
		"kernel-id":                        none[*amis.Image],
		"manifest-location":                imageValue(func(im *amis.Image) string { return im.Location() }),
		"name":                             imageValue(func(im *amis.Image) string { return im.Name }),
		"owner-alias":                      imageValue(func(im *amis.Image) string { return im.OwnerAlias }),
		"owner-id":                         imageValue(func(im *amis.Image) string { return im.OwnerID }),
		"platform":                         imageValue(func(im *amis.Image) string { return im.Platform }),
		"platform-details":                 imageValue(func(im *amis.Image) string { return im.PlatformDetails }),
		"product-code":                     none[*amis.Image],
		"product-code.type":                none[*amis.Image],
		"ramdisk-id":                       none[*amis.Image],
		"root-device-name":                 imageValue(func(im *amis.Image) string { return im.RootDeviceName }),
		"root-device-type":                 imageFixed(imageRootType),
		"source-image-id":                  none[*amis.Image],
		"source-image-region":              none[*amis.Image],
		"source-instance-id":               none[*amis.Image],
		"sriov-net-support":                imageFixed(imageSriov),
		"state":                            imageFixed(imageState),
		"state-reason-code":                none[*amis.Image],
		"state-reason-message":             none[*amis.Image],
		"tpm-support":                      none[*amis.Image],
		"usage-operation":                  imageValue(func(im *amis.Image) string { return im.UsageOperation }),
		"virtualization-type":              imageFixed(imageVirtType),
	},
	tags: func(*amis.Image) cloud.Tags { return nil }, // a public image shows its owner's tags to no one else
}

// DescribeImages implements ec2api.Handler over vpcemu's catalogue of
// public images (internal/amis); NextToken is the last image of the page.
// Deprecated and disabled images are never in it, so IncludeDeprecated and
// IncludeDisabled change nothing.
func (s *Service) DescribeImages(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeImagesInput) (*ec2api.DescribeImagesOutput, error) {
	if err := checkMaxResults("ImageId", len(in.ImageIds), in.MaxResults, 5, 1000); err != nil {
		return nil, err
	}
	match, _, err := imageFilters.compile(in.Filters)
	if err != nil {
		return nil, err
	}
	q, err := query(nil, nil, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	images, err := s.network.Images(caller(req), network.ImageQuery{IDs: in.ImageIds, Owners: in.Owners, ExecutableUsers: in.ExecutableUsers})
	if err != nil {
		return nil, err
	}
	page, next := pageOf(images, q, func(im *amis.Image) string { return im.ID }, func(im *amis.Image) bool { return match == nil || match(im) })
	out := &ec2api.DescribeImagesOutput{Images: []ec2api.Image{}, NextToken: next}
	for _, im := range page {
		out.Images = append(out.Images, imageShape(im))
	}
	return out, nil
}
