package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestDescribeInstanceTypes(t *testing.T) {
	e := newENIEnv(t)
	out, err := e.c.DescribeInstanceTypes(e.ctx, &ec2.DescribeInstanceTypesInput{
		InstanceTypes: []types.InstanceType{types.InstanceTypeT3Micro, types.InstanceTypeM5Large, types.InstanceTypeT4gNano, types.InstanceTypeC5Metal},
	})
	e.must(err)
	got := map[types.InstanceType]types.InstanceTypeInfo{}
	for _, it := range out.InstanceTypes {
		got[it.InstanceType] = it
	}
	for _, tc := range []struct {
		name              types.InstanceType
		burstable, metal  bool
		arch              types.ArchitectureType
		vcpus, cores, thr int32
	}{
		{types.InstanceTypeT3Micro, true, false, types.ArchitectureTypeX8664, 2, 1, 2},
		{types.InstanceTypeM5Large, false, false, types.ArchitectureTypeX8664, 2, 1, 2},
		{types.InstanceTypeT4gNano, true, false, types.ArchitectureTypeArm64, 1, 1, 1},
		{types.InstanceTypeC5Metal, false, true, types.ArchitectureTypeX8664, 96, 48, 2},
	} {
		it, ok := got[tc.name]
		if !ok {
			t.Errorf("%s missing", tc.name)
			continue
		}
		if aws.ToBool(it.BurstablePerformanceSupported) != tc.burstable || aws.ToBool(it.BareMetal) != tc.metal ||
			len(it.ProcessorInfo.SupportedArchitectures) != 1 || it.ProcessorInfo.SupportedArchitectures[0] != tc.arch ||
			aws.ToInt32(it.VCpuInfo.DefaultVCpus) != tc.vcpus || aws.ToInt32(it.VCpuInfo.DefaultCores) != tc.cores ||
			aws.ToInt32(it.VCpuInfo.DefaultThreadsPerCore) != tc.thr {
			t.Errorf("%s: %+v %+v %+v", tc.name, it, it.ProcessorInfo, it.VCpuInfo)
		}
	}

	// Paging through the burstable types finds T2, T3, T3a and T4g.
	var burstable []string
	var token *string
	for pages := 0; ; pages++ {
		page, err := e.c.DescribeInstanceTypes(e.ctx, &ec2.DescribeInstanceTypesInput{
			Filters: []types.Filter{{Name: aws.String("burstable-performance-supported"), Values: []string{"true"}}}, MaxResults: aws.Int32(5), NextToken: token,
		})
		e.must(err)
		for _, it := range page.InstanceTypes {
			burstable = append(burstable, string(it.InstanceType))
		}
		if token = page.NextToken; token == nil || pages > 10 {
			break
		}
	}
	if len(burstable) != 28 {
		t.Errorf("burstable types: %d %v", len(burstable), burstable)
	}

	checkRefusals(t, []refusal{
		{"unknown type", func() error {
			_, err := e.c.DescribeInstanceTypes(e.ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: []types.InstanceType{"t9.huge"}})
			return err
		}, "InvalidInstanceType", "t9.huge"},
		{"unknown filter", func() error {
			_, err := e.c.DescribeInstanceTypes(e.ctx, &ec2.DescribeInstanceTypesInput{Filters: []types.Filter{{Name: aws.String("colour"), Values: []string{"x"}}}})
			return err
		}, "InvalidParameterValue", "colour"},
	})
}

func TestInstanceCreditSpecifications(t *testing.T) {
	e := newENIEnv(t)
	launch := func(typ types.InstanceType, credits string) string {
		in := &ec2.RunInstancesInput{InstanceType: typ}
		if credits != "" {
			in.CreditSpecification = &types.CreditSpecificationRequest{CpuCredits: aws.String(credits)}
		}
		return aws.ToString(e.run(in).Instances[0].InstanceId)
	}
	t2, t3, t3std, m5 := launch(types.InstanceTypeT2Micro, ""), launch(types.InstanceTypeT3Micro, ""), launch(types.InstanceTypeT3aSmall, "standard"), launch(types.InstanceTypeM5Large, "")
	credits := func(ids ...string) map[string]string {
		t.Helper()
		out, err := e.c.DescribeInstanceCreditSpecifications(e.ctx, &ec2.DescribeInstanceCreditSpecificationsInput{InstanceIds: ids})
		e.must(err)
		got := map[string]string{}
		for _, c := range out.InstanceCreditSpecifications {
			got[aws.ToString(c.InstanceId)] = aws.ToString(c.CpuCredits)
		}
		return got
	}
	if got := credits(t2, t3, t3std); got[t2] != "standard" || got[t3] != "unlimited" || got[t3std] != "standard" || len(got) != 3 {
		t.Errorf("credits: %v", got)
	}
	// Without ids: the unlimited ones.
	if got := credits(); len(got) != 1 || got[t3] != "unlimited" {
		t.Errorf("unlimited instances: %v", got)
	}

	mod, err := e.c.ModifyInstanceCreditSpecification(e.ctx, &ec2.ModifyInstanceCreditSpecificationInput{
		InstanceCreditSpecifications: []types.InstanceCreditSpecificationRequest{
			{InstanceId: &t2, CpuCredits: aws.String("unlimited")},
			{InstanceId: &m5, CpuCredits: aws.String("unlimited")},
			{InstanceId: aws.String("i-0123456789abcdef0"), CpuCredits: aws.String("standard")},
		},
	})
	e.must(err)
	if len(mod.SuccessfulInstanceCreditSpecifications) != 1 || aws.ToString(mod.SuccessfulInstanceCreditSpecifications[0].InstanceId) != t2 ||
		len(mod.UnsuccessfulInstanceCreditSpecifications) != 2 ||
		mod.UnsuccessfulInstanceCreditSpecifications[0].Error.Code != types.UnsuccessfulInstanceCreditSpecificationErrorCodeInstanceCreditSpecificationNotSupported ||
		mod.UnsuccessfulInstanceCreditSpecifications[1].Error.Code != types.UnsuccessfulInstanceCreditSpecificationErrorCodeInstanceNotFound {
		t.Errorf("modify: %+v %+v", mod.SuccessfulInstanceCreditSpecifications, mod.UnsuccessfulInstanceCreditSpecifications)
	}
	if got := credits(t2); got[t2] != "unlimited" {
		t.Errorf("after modify: %v", got)
	}

	checkRefusals(t, []refusal{
		{"credits for m5", func() error {
			_, err := e.c.RunInstances(e.ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
				InstanceType: types.InstanceTypeM5Large, CreditSpecification: &types.CreditSpecificationRequest{CpuCredits: aws.String("unlimited")}})
			return err
		}, "InvalidParameterCombination", "m5.large"},
		{"unknown credit option", func() error {
			_, err := e.c.ModifyInstanceCreditSpecification(e.ctx, &ec2.ModifyInstanceCreditSpecificationInput{
				InstanceCreditSpecifications: []types.InstanceCreditSpecificationRequest{{InstanceId: &t2, CpuCredits: aws.String("infinite")}}})
			return err
		}, "InvalidParameterValue", "infinite"},
		{"not burstable", func() error {
			_, err := e.c.DescribeInstanceCreditSpecifications(e.ctx, &ec2.DescribeInstanceCreditSpecificationsInput{InstanceIds: []string{t3, m5}})
			return err
		}, "InstanceCreditSpecification.NotSupported", m5},
	})
}
