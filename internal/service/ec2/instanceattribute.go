package ec2

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

func boolAttribute(b bool) *ec2api.AttributeBooleanValue {
	return &ec2api.AttributeBooleanValue{Value: new(b)}
}

func stringAttribute(s string) *ec2api.AttributeValue {
	return &ec2api.AttributeValue{Value: optional.String(s)}
}

// shutdownBehavior is an instance's, "stop" for one from before vpcemu
// kept it.
func shutdownBehavior(i *network.Instance) string {
	if i.ShutdownBehavior == "" {
		return "stop"
	}
	return i.ShutdownBehavior
}

// blockDeviceShapes are an instance's volumes as DescribeInstances and
// DescribeInstanceAttribute show them.
func blockDeviceShapes(i *network.Instance) []ec2api.InstanceBlockDeviceMapping {
	out := []ec2api.InstanceBlockDeviceMapping{}
	for _, v := range i.Volumes {
		a := v.Attachment
		out = append(out, ec2api.InstanceBlockDeviceMapping{
			DeviceName: new(a.Device),
			Ebs: &ec2api.EbsInstanceBlockDevice{
				VolumeId: new(v.ID), Status: new(a.State), AttachTime: optional.Time(a.AttachTime),
				DeleteOnTermination: new(a.DeleteOnTermination),
			},
		})
	}
	return out
}

// DescribeInstanceAttribute implements ec2api.Handler.
func (s *Service) DescribeInstanceAttribute(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeInstanceAttributeInput) (*ec2api.DescribeInstanceAttributeOutput, error) {
	inst, err := s.network.Instance(ctx, caller(req), optional.Value(in.InstanceId))
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeInstanceAttributeOutput{InstanceId: new(inst.ID)}
	switch a := optional.Value(in.Attribute); a {
	case ec2api.InstanceAttributeNameInstanceType:
		out.InstanceType = stringAttribute(inst.InstanceType)
	case ec2api.InstanceAttributeNameKernel:
		out.KernelId = &ec2api.AttributeValue{}
	case ec2api.InstanceAttributeNameRamdisk:
		out.RamdiskId = &ec2api.AttributeValue{}
	case ec2api.InstanceAttributeNameUserData:
		out.UserData = stringAttribute(inst.UserData)
	case ec2api.InstanceAttributeNameDisableApiTermination:
		out.DisableApiTermination = boolAttribute(inst.DisableAPITermination)
	case ec2api.InstanceAttributeNameDisableApiStop:
		out.DisableApiStop = boolAttribute(inst.DisableAPIStop)
	case ec2api.InstanceAttributeNameInstanceInitiatedShutdownBehavior:
		out.InstanceInitiatedShutdownBehavior = stringAttribute(shutdownBehavior(inst))
	case ec2api.InstanceAttributeNameRootDeviceName:
		out.RootDeviceName = stringAttribute(inst.RootDeviceName())
	case ec2api.InstanceAttributeNameBlockDeviceMapping:
		out.BlockDeviceMappings = blockDeviceShapes(inst)
	case ec2api.InstanceAttributeNameProductCodes:
		out.ProductCodes = []ec2api.ProductCode{}
	case ec2api.InstanceAttributeNameSourceDestCheck:
		if p := inst.Primary(); p != nil {
			out.SourceDestCheck = boolAttribute(p.SourceDestCheck)
		}
	case ec2api.InstanceAttributeNameGroupSet:
		out.Groups = groupShapes(inst.Groups())
	case ec2api.InstanceAttributeNameEbsOptimized:
		out.EbsOptimized = boolAttribute(inst.EbsOptimized)
	case ec2api.InstanceAttributeNameSriovNetSupport:
		out.SriovNetSupport = &ec2api.AttributeValue{}
	case ec2api.InstanceAttributeNameEnaSupport:
		out.EnaSupport = boolAttribute(true)
	case ec2api.InstanceAttributeNameEnclaveOptions:
		out.EnclaveOptions = &ec2api.EnclaveOptions{Enabled: new(false)}
	case "":
		return nil, awsproto.Errorf("MissingParameter", "The request must contain the parameter attribute")
	default:
		return nil, awsproto.Errorf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", a)
	}
	return out, nil
}

// modifiedAttributes lists the attributes a ModifyInstanceAttribute
// request sets, by their wire names, and the change in the domain's terms.
func modifiedAttributes(in *ec2api.ModifyInstanceAttributeInput) ([]string, network.InstanceChange, error) {
	var names []string
	var ch network.InstanceChange
	set := func(name string, ok bool) bool {
		if ok {
			names = append(names, name)
		}
		return ok
	}
	if set("instanceType", in.InstanceType != nil) {
		ch.InstanceType = new(optional.Value(in.InstanceType.Value))
	}
	if set("userData", in.UserData != nil) {
		ch.UserData = new(base64.StdEncoding.EncodeToString(in.UserData.Value))
	}
	if set("ebsOptimized", in.EbsOptimized != nil) {
		ch.EbsOptimized = new(optional.Value(in.EbsOptimized.Value))
	}
	if set("sourceDestCheck", in.SourceDestCheck != nil) {
		ch.SourceDestCheck = new(optional.Value(in.SourceDestCheck.Value))
	}
	if set("groupSet", len(in.Groups) > 0) {
		ch.Groups = in.Groups
	}
	if set("disableApiTermination", in.DisableApiTermination != nil) {
		ch.DisableAPITermination = new(optional.Value(in.DisableApiTermination.Value))
	}
	if set("disableApiStop", in.DisableApiStop != nil) {
		ch.DisableAPIStop = new(optional.Value(in.DisableApiStop.Value))
	}
	if set("instanceInitiatedShutdownBehavior", in.InstanceInitiatedShutdownBehavior != nil) {
		ch.ShutdownBehavior = new(optional.Value(in.InstanceInitiatedShutdownBehavior.Value))
	}
	if set("blockDeviceMapping", len(in.BlockDeviceMappings) > 0) {
		ch.DeleteOnTermination = map[string]bool{}
		for _, b := range in.BlockDeviceMappings {
			if b.Ebs != nil && b.Ebs.DeleteOnTermination != nil {
				ch.DeleteOnTermination[optional.Value(b.DeviceName)] = *b.Ebs.DeleteOnTermination
			}
		}
	}
	for _, u := range []struct {
		name string
		set  bool
	}{{"kernel", in.Kernel != nil}, {"ramdisk", in.Ramdisk != nil}, {"sriovNetSupport", in.SriovNetSupport != nil}, {"enaSupport", in.EnaSupport != nil}} {
		if u.set {
			return nil, ch, awsproto.Errorf("UnsupportedOperation", "vpcemu does not model the %s attribute.", u.name)
		}
	}
	if a := optional.Value(in.Attribute); a != "" {
		if err := byAttributeName(a, optional.Value(in.Value), &ch); err != nil {
			return nil, ch, err
		}
		names = append(names, a)
	}
	return names, ch, nil
}

// byAttributeName reads the Attribute/Value form of ModifyInstanceAttribute.
func byAttributeName(attr, value string, ch *network.InstanceChange) error {
	boolean := func() (*bool, error) {
		b, err := strconv.ParseBool(value)
		if err != nil {
			return nil, awsproto.Errorf("InvalidParameterValue", "Value (%s) for parameter value is invalid. Expected: 'true' or 'false'.", value)
		}
		return &b, nil
	}
	var err error
	switch attr {
	case ec2api.InstanceAttributeNameInstanceType:
		ch.InstanceType = &value
	case ec2api.InstanceAttributeNameUserData:
		ch.UserData = &value
	case ec2api.InstanceAttributeNameInstanceInitiatedShutdownBehavior:
		ch.ShutdownBehavior = &value
	case ec2api.InstanceAttributeNameEbsOptimized:
		ch.EbsOptimized, err = boolean()
	case ec2api.InstanceAttributeNameSourceDestCheck:
		ch.SourceDestCheck, err = boolean()
	case ec2api.InstanceAttributeNameDisableApiTermination:
		ch.DisableAPITermination, err = boolean()
	case ec2api.InstanceAttributeNameDisableApiStop:
		ch.DisableAPIStop, err = boolean()
	case ec2api.InstanceAttributeNameKernel, ec2api.InstanceAttributeNameRamdisk, ec2api.InstanceAttributeNameSriovNetSupport, ec2api.InstanceAttributeNameEnaSupport:
		return awsproto.Errorf("UnsupportedOperation", "vpcemu does not model the %s attribute.", attr)
	default:
		return awsproto.Errorf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. The attribute cannot be modified.", attr)
	}
	return err
}

// ModifyInstanceAttribute implements ec2api.Handler: one attribute per
// request, as EC2 takes them.
func (s *Service) ModifyInstanceAttribute(ctx context.Context, req *awsproto.Request, in *ec2api.ModifyInstanceAttributeInput) (*ec2api.ModifyInstanceAttributeOutput, error) {
	id := optional.Value(in.InstanceId)
	if err := network.CheckID(id, "i-", cloud.KindInstance); err != nil {
		return nil, err
	}
	names, ch, err := modifiedAttributes(in)
	if err != nil {
		return nil, err
	}
	switch {
	case len(names) == 0:
		return nil, awsproto.Errorf("MissingParameter", "The request must contain the parameter attribute")
	case len(names) > 1:
		return nil, awsproto.Errorf("InvalidParameterCombination", "Fields for multiple attribute types specified: %s", strings.Join(names, ", "))
	}
	if err := s.network.ModifyInstanceAttribute(ctx, caller(req), id, ch); err != nil {
		return nil, err
	}
	return &ec2api.ModifyInstanceAttributeOutput{}, nil
}
