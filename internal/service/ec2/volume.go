package ec2

import (
	"context"
	"strconv"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

func volumeShape(v *network.Volume) ec2api.Volume {
	out := ec2api.Volume{
		VolumeId:           new(v.ID),
		AvailabilityZone:   new(v.AvailabilityZone),
		CreateTime:         optional.Time(v.CreateTime),
		Encrypted:          new(v.Encrypted),
		KmsKeyId:           optional.String(v.KMSKeyID),
		Size:               new(v.Size),
		SnapshotId:         new(v.SnapshotID),
		State:              new(v.State),
		VolumeType:         new(v.VolumeType),
		MultiAttachEnabled: new(false),
		Attachments:        []ec2api.VolumeAttachment{},
		Tags:               tagSet(v.Tags),
	}
	if v.Iops > 0 {
		out.Iops = new(v.Iops)
	}
	if v.Throughput > 0 {
		out.Throughput = new(v.Throughput)
	}
	if a := v.Attachment; a != nil {
		out.Attachments = append(out.Attachments, ec2api.VolumeAttachment{
			VolumeId:            new(v.ID),
			InstanceId:          new(a.InstanceID),
			Device:              new(a.Device),
			State:               new(a.State),
			AttachTime:          optional.Time(a.AttachTime),
			DeleteOnTermination: new(a.DeleteOnTermination),
		})
	}
	return out
}

// onAttachment is an attachment.* filter: the attachment's value, none
// for a detached volume.
func onAttachment(f func(*network.VolumeAttachment) []string) func(*network.Volume) []string {
	return func(v *network.Volume) []string {
		if v.Attachment == nil {
			return nil
		}
		return f(v.Attachment)
	}
}

// volumeFilters are DescribeVolumes's filters.
var volumeFilters = &filters[*network.Volume]{
	values: map[string]func(*network.Volume) []string{
		"attachment.attach-time": onAttachment(func(a *network.VolumeAttachment) []string { return one(isoTime(a.AttachTime)) }),
		"attachment.delete-on-termination": onAttachment(func(a *network.VolumeAttachment) []string {
			return boolString(a.DeleteOnTermination)
		}),
		"attachment.device":      onAttachment(func(a *network.VolumeAttachment) []string { return one(a.Device) }),
		"attachment.instance-id": onAttachment(func(a *network.VolumeAttachment) []string { return one(a.InstanceID) }),
		"attachment.status":      onAttachment(func(a *network.VolumeAttachment) []string { return one(a.State) }),
		"availability-zone":      func(v *network.Volume) []string { return one(v.AvailabilityZone) },
		"create-time":            func(v *network.Volume) []string { return one(isoTime(v.CreateTime)) },
		"encrypted":              func(v *network.Volume) []string { return boolString(v.Encrypted) },
		"fast-restored":          func(*network.Volume) []string { return boolString(false) },
		"multi-attach-enabled":   func(*network.Volume) []string { return boolString(false) },
		"operator.managed":       func(*network.Volume) []string { return boolString(false) },
		"size":                   func(v *network.Volume) []string { return one(strconv.Itoa(int(v.Size))) },
		"snapshot-id":            func(v *network.Volume) []string { return one(v.SnapshotID) },
		"status":                 func(v *network.Volume) []string { return one(v.State) },
		"volume-id":              func(v *network.Volume) []string { return one(v.ID) },
		"volume-type":            func(v *network.Volume) []string { return one(v.VolumeType) },
	},
	tags: func(v *network.Volume) cloud.Tags { return v.Tags },
}

// DescribeVolumes implements ec2api.Handler: the volumes instances
// launched with.
func (s *Service) DescribeVolumes(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeVolumesInput) (*ec2api.DescribeVolumesOutput, error) {
	if err := checkMaxResults("volumeSet", len(in.VolumeIds), in.MaxResults, 5, 500); err != nil {
		return nil, err
	}
	if err := network.CheckIDs(in.VolumeIds, "vol-", cloud.KindVolume); err != nil {
		return nil, err
	}
	page, err := describe[network.Volume](ctx, req, s, volumeFilters, in.VolumeIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeVolumesOutput{Volumes: make([]ec2api.Volume, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, v := range page.Items {
		out.Volumes = append(out.Volumes, volumeShape(v))
	}
	return out, nil
}
