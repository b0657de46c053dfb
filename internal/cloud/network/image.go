package network

import (
	"slices"
	"strings"

	"github.com/vpcemu/vpcemu/internal/amis"
	"github.com/vpcemu/vpcemu/internal/arn"
	"github.com/vpcemu/vpcemu/internal/cloud"
)

// ImageQuery is what DescribeImages asks before its filters: image ids,
// owners (account ids, self, amazon, aws-marketplace) and users allowed to
// launch (account ids, self, all).
type ImageQuery struct {
	IDs             []string
	Owners          []string
	ExecutableUsers []string
}

// Images lists the catalogue's images in the caller's region that the query
// names: those with the ids asked (every one must exist), owned by one of the
// owners, launchable by one of the users. The catalogue's images are public
// and shared with no one in particular, so only "all" finds them among
// executable users; and no account owns one ("self" finds none).
func (c *Service) Images(who cloud.Caller, q ImageQuery) ([]amis.Image, error) {
	if err := CheckIDs(q.IDs, "ami-", cloud.KindImage); err != nil {
		return nil, err
	}
	for _, o := range q.Owners {
		if err := checkUserID(o, true); err != nil {
			return nil, err
		}
	}
	for _, u := range q.ExecutableUsers {
		if err := checkUserID(u, false); err != nil {
			return nil, err
		}
	}
	images := amis.In(who.Region)
	var missing []string
	for _, id := range q.IDs {
		if !slices.ContainsFunc(images, func(im amis.Image) bool { return im.ID == id }) && !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return nil, missingImages(missing)
	}
	var out []amis.Image
	for _, im := range images {
		if len(q.IDs) > 0 && !slices.Contains(q.IDs, im.ID) ||
			len(q.Owners) > 0 && !slices.ContainsFunc(q.Owners, func(o string) bool { return ownedBy(im, o, who.Account) }) ||
			len(q.ExecutableUsers) > 0 && !slices.Contains(q.ExecutableUsers, "all") {
			continue
		}
		out = append(out, im)
	}
	return out, nil
}

// SubjectUserID names an owner or user DescribeImages cannot read in
// refusals (InvalidUserID.Malformed).
const SubjectUserID cloud.Kind = "user-id"

// checkUserID checks an owner (an account id, self or an owner alias) or
// an executable user (an account id, self or all), worded as EC2 words a
// bad owner of its images (the DescribeFpgaImages documentation shows it).
func checkUserID(u string, owner bool) error {
	switch {
	case arn.IsAccount(u), u == "self":
	case owner && (u == "amazon" || u == "aws-marketplace" || u == "aws-backup-vault"):
	case !owner && u == "all":
	default:
		return cloud.Errorf(cloud.Malformed, SubjectUserID, "User ID '%s' is invalid", u)
	}
	return nil
}

// ownedBy reports whether an owner DescribeImages names owns the image.
func ownedBy(im amis.Image, owner, account string) bool {
	switch owner {
	case "self":
		return im.OwnerID == account
	case "amazon", "aws-marketplace", "aws-backup-vault":
		return im.OwnerAlias == owner
	}
	return im.OwnerID == owner
}

// missingImages is EC2's refusal of image ids it does not have.
func missingImages(ids []string) error {
	if len(ids) == 1 {
		return cloud.Errorf(cloud.NotFound, cloud.KindImage, "The image id '[%s]' does not exist", ids[0])
	}
	return cloud.Errorf(cloud.NotFound, cloud.KindImage, "The image ids '[%s]' do not exist", strings.Join(ids, ", "))
}

// genericImage is what an instance launches from when its image is not in
// the catalogue: any well-formed id launches, as a Linux image with Amazon
// Linux 2's root volume (8 GiB of gp2 at /dev/xvda, from no snapshot).
var genericImage = amis.Image{
	Architecture: "", PlatformDetails: "Linux/UNIX", UsageOperation: "RunInstances", RootDeviceName: RootDeviceName,
	Devices: []amis.Device{{Name: RootDeviceName, Size: rootVolumeSize, VolumeType: rootVolumeType}},
}

// launchImage is the image a launch names: the catalogue's in the region,
// or the generic one. The catalogue's image must be of the instance type's
// architecture; the generic one runs on any.
func launchImage(region, id, instanceType string) (amis.Image, error) {
	im, ok := amis.Find(region, id)
	if !ok {
		im = genericImage
		im.ID = id
		return im, nil
	}
	if arch := Architecture(instanceType); arch != im.Architecture {
		return im, cloud.InvalidParam("The architecture '%s' of the specified instance type does not match the architecture '%s' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again.", arch, im.Architecture)
	}
	return im, nil
}
