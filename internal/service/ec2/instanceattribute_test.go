package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// attribute describes one attribute of an instance.
func (e eniEnv) attribute(id string, a types.InstanceAttributeName) *ec2.DescribeInstanceAttributeOutput {
	e.t.Helper()
	out, err := e.c.DescribeInstanceAttribute(e.ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: &id, Attribute: a})
	e.must(err)
	if aws.ToString(out.InstanceId) != id {
		e.t.Fatalf("%s of %s answers for %s", a, id, aws.ToString(out.InstanceId))
	}
	return out
}

func TestDescribeInstanceAttribute(t *testing.T) {
	e := newENIEnv(t)
	id := aws.ToString(e.run(&ec2.RunInstancesInput{
		InstanceType: types.InstanceTypeT3Micro, UserData: aws.String("ZWNobyBoaQ=="), EbsOptimized: aws.Bool(true),
		DisableApiTermination: aws.Bool(true), InstanceInitiatedShutdownBehavior: types.ShutdownBehaviorTerminate,
	}).Instances[0].InstanceId)
	bare := aws.ToString(e.run(&ec2.RunInstancesInput{}).Instances[0].InstanceId)

	str := func(v *types.AttributeValue) string { return aws.ToString(v.Value) }
	boolean := func(v *types.AttributeBooleanValue) bool { return v != nil && aws.ToBool(v.Value) }
	for _, tc := range []struct {
		name string
		id   string
		attr types.InstanceAttributeName
		ok   func(*ec2.DescribeInstanceAttributeOutput) bool
	}{
		{"instance type", id, types.InstanceAttributeNameInstanceType, func(o *ec2.DescribeInstanceAttributeOutput) bool { return str(o.InstanceType) == "t3.micro" }},
		{"user data", id, types.InstanceAttributeNameUserData, func(o *ec2.DescribeInstanceAttributeOutput) bool { return str(o.UserData) == "ZWNobyBoaQ==" }},
		{"no user data", bare, types.InstanceAttributeNameUserData, func(o *ec2.DescribeInstanceAttributeOutput) bool { return o.UserData != nil && o.UserData.Value == nil }},
		{"termination protected", id, types.InstanceAttributeNameDisableApiTermination, func(o *ec2.DescribeInstanceAttributeOutput) bool { return boolean(o.DisableApiTermination) }},
		{"termination unprotected", bare, types.InstanceAttributeNameDisableApiTermination, func(o *ec2.DescribeInstanceAttributeOutput) bool {
			return o.DisableApiTermination != nil && !boolean(o.DisableApiTermination)
		}},
		{"stop unprotected", id, types.InstanceAttributeNameDisableApiStop, func(o *ec2.DescribeInstanceAttributeOutput) bool {
			return o.DisableApiStop != nil && !boolean(o.DisableApiStop)
		}},
		{"shutdown terminates", id, types.InstanceAttributeNameInstanceInitiatedShutdownBehavior, func(o *ec2.DescribeInstanceAttributeOutput) bool {
			return str(o.InstanceInitiatedShutdownBehavior) == "terminate"
		}},
		{"shutdown stops", bare, types.InstanceAttributeNameInstanceInitiatedShutdownBehavior, func(o *ec2.DescribeInstanceAttributeOutput) bool {
			return str(o.InstanceInitiatedShutdownBehavior) == "stop"
		}},
		{"root device", id, types.InstanceAttributeNameRootDeviceName, func(o *ec2.DescribeInstanceAttributeOutput) bool { return str(o.RootDeviceName) == "/dev/xvda" }},
		{"block devices", id, types.InstanceAttributeNameBlockDeviceMapping, func(o *ec2.DescribeInstanceAttributeOutput) bool {
			return len(o.BlockDeviceMappings) == 1 && aws.ToString(o.BlockDeviceMappings[0].DeviceName) == "/dev/xvda" &&
				aws.ToBool(o.BlockDeviceMappings[0].Ebs.DeleteOnTermination)
		}},
		{"source dest check", id, types.InstanceAttributeNameSourceDestCheck, func(o *ec2.DescribeInstanceAttributeOutput) bool { return boolean(o.SourceDestCheck) }},
		{"groups", id, types.InstanceAttributeNameGroupSet, func(o *ec2.DescribeInstanceAttributeOutput) bool {
			return len(o.Groups) == 1 && aws.ToString(o.Groups[0].GroupName) == "default"
		}},
		{"ebs optimized", id, types.InstanceAttributeNameEbsOptimized, func(o *ec2.DescribeInstanceAttributeOutput) bool { return boolean(o.EbsOptimized) }},
		{"ena support", id, types.InstanceAttributeNameEnaSupport, func(o *ec2.DescribeInstanceAttributeOutput) bool { return boolean(o.EnaSupport) }},
		{"enclave options", id, types.InstanceAttributeNameEnclaveOptions, func(o *ec2.DescribeInstanceAttributeOutput) bool {
			return o.EnclaveOptions != nil && !aws.ToBool(o.EnclaveOptions.Enabled)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if out := e.attribute(tc.id, tc.attr); !tc.ok(out) {
				t.Errorf("%s: %+v", tc.attr, out)
			}
		})
	}

	checkRefusals(t, []refusal{
		{"unknown attribute", func() error {
			_, err := e.c.DescribeInstanceAttribute(e.ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: &id, Attribute: "colour"})
			return err
		}, "InvalidParameterValue", "Value (colour) for parameter attribute is invalid"},
		{"unknown instance", func() error {
			_, err := e.c.DescribeInstanceAttribute(e.ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: aws.String("i-0123456789abcdef0"), Attribute: types.InstanceAttributeNameUserData})
			return err
		}, "InvalidInstanceID.NotFound", "i-0123456789abcdef0"},
		{"malformed id", func() error {
			_, err := e.c.DescribeInstanceAttribute(e.ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: aws.String("vol-1"), Attribute: types.InstanceAttributeNameUserData})
			return err
		}, "InvalidInstanceID.Malformed", ""},
	})
}

func TestModifyInstanceAttribute(t *testing.T) {
	e := newENIEnv(t)
	out := e.run(&ec2.RunInstancesInput{InstanceType: types.InstanceTypeT2Micro})
	id := aws.ToString(out.Instances[0].InstanceId)
	modify := func(in *ec2.ModifyInstanceAttributeInput) error {
		in.InstanceId = &id
		_, err := e.c.ModifyInstanceAttribute(e.ctx, in)
		return err
	}

	e.must(modify(&ec2.ModifyInstanceAttributeInput{DisableApiTermination: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))
	_, err := e.c.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
	e.wantErr(err, "OperationNotPermitted", "may not be terminated")
	e.must(modify(&ec2.ModifyInstanceAttributeInput{DisableApiStop: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))
	_, err = e.c.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}})
	e.wantErr(err, "OperationNotPermitted", "may not be stopped")
	// The Attribute/Value form.
	e.must(modify(&ec2.ModifyInstanceAttributeInput{Attribute: types.InstanceAttributeNameDisableApiStop, Value: aws.String("false")}))

	e.must(modify(&ec2.ModifyInstanceAttributeInput{SourceDestCheck: &types.AttributeBooleanValue{Value: aws.Bool(false)}}))
	if i := e.instance(id); aws.ToBool(i.SourceDestCheck) || aws.ToBool(i.NetworkInterfaces[0].SourceDestCheck) {
		t.Errorf("source/dest check still on: %v %v", aws.ToBool(i.SourceDestCheck), aws.ToBool(i.NetworkInterfaces[0].SourceDestCheck))
	}
	e.must(modify(&ec2.ModifyInstanceAttributeInput{InstanceInitiatedShutdownBehavior: &types.AttributeValue{Value: aws.String("terminate")}}))
	if v := e.attribute(id, types.InstanceAttributeNameInstanceInitiatedShutdownBehavior); aws.ToString(v.InstanceInitiatedShutdownBehavior.Value) != "terminate" {
		t.Errorf("shutdown behavior %+v", v.InstanceInitiatedShutdownBehavior)
	}
	e.must(modify(&ec2.ModifyInstanceAttributeInput{BlockDeviceMappings: []types.InstanceBlockDeviceMappingSpecification{
		{DeviceName: aws.String("/dev/xvda"), Ebs: &types.EbsInstanceBlockDeviceSpecification{DeleteOnTermination: aws.Bool(false)}},
	}}))
	if i := e.instance(id); aws.ToBool(i.BlockDeviceMappings[0].Ebs.DeleteOnTermination) {
		t.Errorf("root volume still deleted on termination")
	}

	// Type and user data change while stopped; the SDK encodes user data.
	checkRefusals(t, []refusal{
		{"type while running", func() error {
			return modify(&ec2.ModifyInstanceAttributeInput{InstanceType: &types.AttributeValue{Value: aws.String("t3.small")}})
		}, "IncorrectInstanceState", "is not in the 'stopped' state"},
		{"two attributes", func() error {
			return modify(&ec2.ModifyInstanceAttributeInput{
				DisableApiStop:        &types.AttributeBooleanValue{Value: aws.Bool(true)},
				DisableApiTermination: &types.AttributeBooleanValue{Value: aws.Bool(true)},
			})
		}, "InvalidParameterCombination", "Fields for multiple attribute types specified"},
		{"no attribute", func() error { return modify(&ec2.ModifyInstanceAttributeInput{}) }, "MissingParameter", ""},
		{"bad shutdown behavior", func() error {
			return modify(&ec2.ModifyInstanceAttributeInput{InstanceInitiatedShutdownBehavior: &types.AttributeValue{Value: aws.String("hibernate")}})
		}, "InvalidParameterValue", "instanceInitiatedShutdownBehavior"},
		{"unmapped device", func() error {
			return modify(&ec2.ModifyInstanceAttributeInput{BlockDeviceMappings: []types.InstanceBlockDeviceMappingSpecification{
				{DeviceName: aws.String("/dev/sdz"), Ebs: &types.EbsInstanceBlockDeviceSpecification{DeleteOnTermination: aws.Bool(true)}},
			}})
		}, "InvalidInstanceID", "/dev/sdz"},
	})

	_, err = e.c.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}})
	e.must(err)
	e.must(modify(&ec2.ModifyInstanceAttributeInput{InstanceType: &types.AttributeValue{Value: aws.String("m5.large")}}))
	e.must(modify(&ec2.ModifyInstanceAttributeInput{UserData: &types.SecureBlobAttributeValue{Value: []byte("echo hi")}}))
	if i := e.instance(id); i.InstanceType != types.InstanceTypeM5Large || aws.ToInt32(i.CpuOptions.CoreCount) != 1 || aws.ToInt32(i.CpuOptions.ThreadsPerCore) != 2 {
		t.Errorf("after the type change: %s %+v", i.InstanceType, i.CpuOptions)
	}
	if v := e.attribute(id, types.InstanceAttributeNameUserData); aws.ToString(v.UserData.Value) != "ZWNobyBoaQ==" {
		t.Errorf("user data %q, want echo hi in base64", aws.ToString(v.UserData.Value))
	}
	// m5 has no CPU credits.
	_, err = e.c.DescribeInstanceCreditSpecifications(e.ctx, &ec2.DescribeInstanceCreditSpecificationsInput{InstanceIds: []string{id}})
	e.wantErr(err, "InstanceCreditSpecification.NotSupported", id)

	e.must(modify(&ec2.ModifyInstanceAttributeInput{DisableApiTermination: &types.AttributeBooleanValue{Value: aws.Bool(false)}}))
	_, err = e.c.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
	e.must(err)
	err = modify(&ec2.ModifyInstanceAttributeInput{DisableApiStop: &types.AttributeBooleanValue{Value: aws.Bool(true)}})
	e.wantErr(err, "IncorrectInstanceState", id)
}
