package ec2

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// instanceType is what vpcemu says of an instance type: the facts its name
// tells (family, size, processor), not AWS's catalogue of memory, storage
// and network performance.
type instanceType struct {
	name             string
	burstable, metal bool
	arch             string
	cores, threads   int32
	vcpus            int32
}

// What every instance type offers in vpcemu: on-demand and spot, EBS
// roots, hardware virtualization.
var (
	usageClasses        = []string{"on-demand", "spot"}
	rootDeviceTypes     = []string{"ebs"}
	virtualizationTypes = []string{"hvm"}
)

// instanceTypes are the types of the EC2 API model, in its order.
var instanceTypes = func() []instanceType {
	out := make([]instanceType, 0, len(ec2api.InstanceTypeValues))
	for _, name := range ec2api.InstanceTypeValues {
		cores, threads := network.CPUOptions(name)
		_, size, _ := strings.Cut(name, ".")
		out = append(out, instanceType{
			name: name, burstable: network.Burstable(name), metal: strings.HasPrefix(size, "metal"),
			arch: network.Architecture(name), cores: cores, threads: threads, vcpus: cores * threads,
		})
	}
	return out
}()

func instanceTypeShape(it instanceType) ec2api.InstanceTypeInfo {
	return ec2api.InstanceTypeInfo{
		InstanceType:                  new(it.name),
		BurstablePerformanceSupported: new(it.burstable),
		BareMetal:                     new(it.metal),
		ProcessorInfo:                 &ec2api.ProcessorInfo{SupportedArchitectures: []string{it.arch}},
		VCpuInfo:                      &ec2api.VCpuInfo{DefaultVCpus: new(it.vcpus), DefaultCores: new(it.cores), DefaultThreadsPerCore: new(it.threads)},
		SupportedUsageClasses:         usageClasses,
		SupportedRootDeviceTypes:      rootDeviceTypes,
		SupportedVirtualizationTypes:  virtualizationTypes,
	}
}

func itoa32(i int32) []string { return []string{strconv.Itoa(int(i))} }

// instanceTypeFilters are the DescribeInstanceTypes filters vpcemu can
// answer from what it knows of a type.
var instanceTypeFilters = &filters[*instanceType]{
	values: map[string]func(*instanceType) []string{
		"instance-type":                         func(it *instanceType) []string { return []string{it.name} },
		"burstable-performance-supported":       func(it *instanceType) []string { return boolString(it.burstable) },
		"bare-metal":                            func(it *instanceType) []string { return boolString(it.metal) },
		"processor-info.supported-architecture": func(it *instanceType) []string { return []string{it.arch} },
		"vcpu-info.default-vcpus":               func(it *instanceType) []string { return itoa32(it.vcpus) },
		"vcpu-info.default-cores":               func(it *instanceType) []string { return itoa32(it.cores) },
		"vcpu-info.default-threads-per-core":    func(it *instanceType) []string { return itoa32(it.threads) },
		"supported-usage-class":                 func(*instanceType) []string { return usageClasses },
		"supported-root-device-type":            func(*instanceType) []string { return rootDeviceTypes },
		"supported-virtualization-type":         func(*instanceType) []string { return virtualizationTypes },
	},
	tags: func(*instanceType) cloud.Tags { return nil },
}

// DescribeInstanceTypes implements ec2api.Handler over the API model's
// instance types; NextToken is the last type of the page.
func (s *Service) DescribeInstanceTypes(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeInstanceTypesInput) (*ec2api.DescribeInstanceTypesOutput, error) {
	var unknown []string
	for _, name := range in.InstanceTypes {
		if !slices.Contains(ec2api.InstanceTypeValues, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		return nil, awsproto.Errorf("InvalidInstanceType", "The following supplied instance types do not exist: [%s]", strings.Join(unknown, ", "))
	}
	match, _, err := instanceTypeFilters.compile(in.Filters)
	if err != nil {
		return nil, err
	}
	limit := int(optional.Value(in.MaxResults))
	if limit == 0 {
		limit = 100
	}
	q, err := query(nil, nil, nil, in.NextToken)
	if err != nil {
		return nil, err
	}
	q.Limit = limit
	page, next := pageOf(instanceTypes, q, func(it *instanceType) string { return it.name }, func(it *instanceType) bool {
		return (len(in.InstanceTypes) == 0 || slices.Contains(in.InstanceTypes, it.name)) && (match == nil || match(it))
	})
	out := &ec2api.DescribeInstanceTypesOutput{InstanceTypes: []ec2api.InstanceTypeInfo{}, NextToken: next}
	for _, it := range page {
		out.InstanceTypes = append(out.InstanceTypes, instanceTypeShape(*it))
	}
	return out, nil
}

// DescribeInstanceCreditSpecifications implements ec2api.Handler.
func (s *Service) DescribeInstanceCreditSpecifications(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeInstanceCreditSpecificationsInput) (*ec2api.DescribeInstanceCreditSpecificationsOutput, error) {
	if err := checkMaxResults("instancesSet", len(in.InstanceIds), in.MaxResults, 0, 0); err != nil {
		return nil, err
	}
	if err := network.CheckIDs(in.InstanceIds, "i-", cloud.KindInstance); err != nil {
		return nil, err
	}
	for _, f := range in.Filters {
		if optional.Value(f.Name) != "instance-id" {
			return nil, awsproto.Errorf("InvalidParameterValue", "The filter '%s' is invalid", optional.Value(f.Name))
		}
	}
	specs, err := s.network.InstanceCreditSpecifications(ctx, caller(req), in.InstanceIds)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeInstanceCreditSpecificationsOutput{InstanceCreditSpecifications: []ec2api.InstanceCreditSpecification{}}
	for _, c := range specs {
		if !passesIDFilters(in.Filters, c.InstanceID) {
			continue
		}
		out.InstanceCreditSpecifications = append(out.InstanceCreditSpecifications, ec2api.InstanceCreditSpecification{
			InstanceId: new(c.InstanceID), CpuCredits: new(c.CPUCredits),
		})
	}
	return out, nil
}

// passesIDFilters applies instance-id filters to an id.
func passesIDFilters(fs []ec2api.Filter, id string) bool {
	for _, f := range fs {
		if !anyMatch(f.Values, []string{id}) {
			return false
		}
	}
	return true
}

// ModifyInstanceCreditSpecification implements ec2api.Handler.
func (s *Service) ModifyInstanceCreditSpecification(ctx context.Context, req *awsproto.Request, in *ec2api.ModifyInstanceCreditSpecificationInput) (*ec2api.ModifyInstanceCreditSpecificationOutput, error) {
	changes := make([]network.CreditSpecification, 0, len(in.InstanceCreditSpecifications))
	for _, c := range in.InstanceCreditSpecifications {
		changes = append(changes, network.CreditSpecification{InstanceID: optional.Value(c.InstanceId), CPUCredits: optional.Value(c.CpuCredits)})
	}
	results, err := s.network.ModifyInstanceCreditSpecification(ctx, caller(req), changes)
	if err != nil {
		return nil, err
	}
	out := &ec2api.ModifyInstanceCreditSpecificationOutput{
		SuccessfulInstanceCreditSpecifications:   []ec2api.SuccessfulInstanceCreditSpecificationItem{},
		UnsuccessfulInstanceCreditSpecifications: []ec2api.UnsuccessfulInstanceCreditSpecificationItem{},
	}
	for _, r := range results {
		if r.Code == "" {
			out.SuccessfulInstanceCreditSpecifications = append(out.SuccessfulInstanceCreditSpecifications,
				ec2api.SuccessfulInstanceCreditSpecificationItem{InstanceId: new(r.InstanceID)})
			continue
		}
		out.UnsuccessfulInstanceCreditSpecifications = append(out.UnsuccessfulInstanceCreditSpecifications, ec2api.UnsuccessfulInstanceCreditSpecificationItem{
			InstanceId: new(r.InstanceID),
			Error:      &ec2api.UnsuccessfulInstanceCreditSpecificationItemError{Code: new(r.Code), Message: new(r.Msg)},
		})
	}
	return out, nil
}
