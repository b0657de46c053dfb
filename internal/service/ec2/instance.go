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

func instanceStateShape(state string) *ec2api.InstanceState {
	return &ec2api.InstanceState{Code: new(network.StateCode(state)), Name: new(state)}
}

func enabledString(on bool) string {
	if on {
		return "enabled"
	}
	return "disabled"
}

// instanceAssociationShape is the public address mapped to a private one,
// as an instance's interfaces show it.
func instanceAssociationShape(n *network.NetworkInterface, a *network.IPAssociation) *ec2api.InstanceNetworkInterfaceAssociation {
	if a == nil {
		return nil
	}
	return &ec2api.InstanceNetworkInterfaceAssociation{
		IpOwnerId:     new(a.IPOwnerID),
		PublicIp:      new(a.PublicIP),
		PublicDnsName: new(n.PublicDNSName(a.PublicIP)),
	}
}

func instanceInterfaceShape(n *network.NetworkInterface) ec2api.InstanceNetworkInterface {
	out := ec2api.InstanceNetworkInterface{
		NetworkInterfaceId: new(n.ID),
		OwnerId:            new(n.Owner),
		SubnetId:           new(n.SubnetID),
		VpcId:              new(n.VpcID),
		Description:        new(n.Description),
		InterfaceType:      new(n.InterfaceType),
		MacAddress:         new(n.MACAddress),
		PrivateDnsName:     optional.String(n.PrivateDNSName()),
		PrivateIpAddress:   optional.String(n.PrimaryIP()),
		SourceDestCheck:    new(n.SourceDestCheck),
		Status:             new(n.Status),
		Groups:             groupShapes(n.Groups, n.GroupNames),
	}
	if a := n.Attachment; a != nil {
		out.Attachment = &ec2api.InstanceNetworkInterfaceAttachment{
			AttachmentId:        new(a.ID),
			AttachTime:          optional.Time(a.AttachTime),
			DeleteOnTermination: new(a.DeleteOnTermination),
			DeviceIndex:         new(a.DeviceIndex),
			NetworkCardIndex:    new(int32(0)),
			Status:              new(a.Status),
		}
	}
	for _, ip := range n.PrivateIPs {
		if ip.Primary {
			out.Association = instanceAssociationShape(n, ip.Association)
		}
		out.PrivateIpAddresses = append(out.PrivateIpAddresses, ec2api.InstancePrivateIpAddress{
			PrivateIpAddress: new(ip.Address),
			PrivateDnsName:   optional.String(n.AddressDNSName(ip.Address)),
			Primary:          new(ip.Primary),
			Association:      instanceAssociationShape(n, ip.Association),
		})
	}
	for _, a := range n.IPv6Addresses {
		out.Ipv6Addresses = append(out.Ipv6Addresses, ec2api.InstanceIpv6Address{Ipv6Address: new(a), IsPrimaryIpv6: new(false)})
	}
	return out
}

func instanceShape(i *network.Instance) ec2api.Instance {
	groupIDs, groupNames := i.Groups()
	platformDetails, usageOperation := i.Details()
	out := ec2api.Instance{
		InstanceId:               new(i.ID),
		ImageId:                  new(i.ImageID),
		InstanceType:             new(i.InstanceType),
		KeyName:                  optional.String(i.KeyName),
		AmiLaunchIndex:           new(i.AmiLaunchIndex),
		ClientToken:              new(i.ClientToken),
		LaunchTime:               optional.Time(i.LaunchTime),
		State:                    instanceStateShape(i.State),
		StateTransitionReason:    new(i.StateTransitionReason),
		Placement:                &ec2api.Placement{AvailabilityZone: new(i.AvailabilityZone), GroupName: new(""), Tenancy: new(i.Tenancy)},
		SubnetId:                 optional.String(i.SubnetID),
		VpcId:                    optional.String(i.VpcID),
		PrivateIpAddress:         optional.String(i.PrivateIP),
		PrivateDnsName:           new(i.PrivateDNSName()),
		PublicIpAddress:          optional.String(i.PublicIP),
		PublicDnsName:            new(i.PublicDNSName()),
		SecurityGroups:           groupShapes(groupIDs, groupNames),
		Architecture:             new(i.Architecture()),
		Hypervisor:               new(ec2api.HypervisorTypeXen),
		VirtualizationType:       new(ec2api.VirtualizationTypeHvm),
		RootDeviceType:           new(ec2api.DeviceTypeEbs),
		RootDeviceName:           new(i.RootDeviceName()),
		BlockDeviceMappings:      blockDeviceShapes(i),
		EbsOptimized:             new(i.EbsOptimized),
		EnaSupport:               new(true),
		Monitoring:               &ec2api.Monitoring{State: new(enabledString(i.Monitoring))},
		CpuOptions:               &ec2api.CpuOptions{CoreCount: new(i.CoreCount), ThreadsPerCore: new(i.ThreadsPerCore)},
		Platform:                 optional.String(i.Platform),
		PlatformDetails:          new(platformDetails),
		UsageOperation:           new(usageOperation),
		UsageOperationUpdateTime: optional.Time(i.LaunchTime),
		BootMode:                 optional.String(i.BootMode),
		CurrentInstanceBootMode:  new(i.CurrentBootMode()),
		CapacityReservationSpecification: &ec2api.CapacityReservationSpecificationResponse{
			CapacityReservationPreference: new("open"),
		},
		HibernationOptions: &ec2api.HibernationOptions{Configured: new(false)},
		EnclaveOptions:     &ec2api.EnclaveOptions{Enabled: new(false)},
		MaintenanceOptions: &ec2api.InstanceMaintenanceOptions{AutoRecovery: new("default")},
		MetadataOptions: &ec2api.InstanceMetadataOptionsResponse{
			State:                   new("applied"),
			HttpTokens:              new(i.Metadata.HTTPTokens),
			HttpEndpoint:            new(i.Metadata.HTTPEndpoint),
			HttpProtocolIpv6:        new(i.Metadata.HTTPProtocolIPv6),
			HttpPutResponseHopLimit: new(i.Metadata.HopLimit),
			InstanceMetadataTags:    new(i.Metadata.InstanceMetadataTags),
		},
		PrivateDnsNameOptions: &ec2api.PrivateDnsNameOptionsResponse{
			HostnameType:                    optional.String(i.HostnameType),
			EnableResourceNameDnsARecord:    new(i.ResourceNameDNSA),
			EnableResourceNameDnsAAAARecord: new(i.ResourceNameDNSAAAA),
		},
		Tags: tagSet(i.Tags),
	}
	if i.StateReason != "" {
		out.StateReason = &ec2api.StateReason{Code: new(i.StateReason), Message: new(i.StateReason + ": User initiated shutdown")}
	}
	if p := i.Primary(); p != nil {
		out.SourceDestCheck = new(p.SourceDestCheck)
		if len(p.IPv6Addresses) > 0 {
			out.Ipv6Address = new(p.IPv6Addresses[0])
		}
	}
	for _, n := range i.Interfaces {
		out.NetworkInterfaces = append(out.NetworkInterfaces, instanceInterfaceShape(n))
	}
	return out
}

// launchingShape is an instance as RunInstances answers: pending, its
// interfaces attaching, no public address yet.
func launchingShape(i *network.Instance) ec2api.Instance {
	out := instanceShape(i)
	out.State = instanceStateShape("pending")
	out.MetadataOptions.State = new("pending")
	out.PublicIpAddress, out.PublicDnsName = nil, new("")
	out.BlockDeviceMappings = []ec2api.InstanceBlockDeviceMapping{} // volumes show once attached
	for k := range out.NetworkInterfaces {
		n := &out.NetworkInterfaces[k]
		n.Attachment.Status = new("attaching")
		n.Association = nil
		for j := range n.PrivateIpAddresses {
			n.PrivateIpAddresses[j].Association = nil
		}
	}
	return out
}

func launchInterfaces(in []ec2api.InstanceNetworkInterfaceSpecification) ([]network.LaunchInterface, error) {
	out := make([]network.LaunchInterface, 0, len(in))
	for _, ni := range in {
		if err := noPrefixes(len(ni.Ipv4Prefixes) > 0, optional.Value(ni.Ipv4PrefixCount) > 0,
			len(ni.Ipv6Prefixes) > 0, optional.Value(ni.Ipv6PrefixCount) > 0, optional.Value(ni.PrimaryIpv6)); err != nil {
			return nil, err
		}
		if optional.Value(ni.NetworkCardIndex) != 0 {
			return nil, awsproto.Errorf("InvalidParameterValue", "Value (%d) for parameter networkCardIndex is invalid. The instance type supports network card index 0 only.", optional.Value(ni.NetworkCardIndex))
		}
		out = append(out, network.LaunchInterface{
			DeviceIndex:         ni.DeviceIndex,
			NetworkInterfaceID:  optional.Value(ni.NetworkInterfaceId),
			SubnetID:            optional.Value(ni.SubnetId),
			Groups:              ni.Groups,
			PrivateIP:           optional.Value(ni.PrivateIpAddress),
			PrivateIPs:          privateIPSpecs(ni.PrivateIpAddresses),
			SecondaryCount:      int(optional.Value(ni.SecondaryPrivateIpAddressCount)),
			IPv6:                ipv6Spec(ni.Ipv6Addresses, ni.Ipv6AddressCount),
			Description:         optional.Value(ni.Description),
			AssociatePublicIP:   ni.AssociatePublicIpAddress,
			DeleteOnTermination: ni.DeleteOnTermination,
		})
	}
	return out, nil
}

// blockDeviceSpecs are a launch's block device mappings.
func blockDeviceSpecs(in []ec2api.BlockDeviceMapping) []network.BlockDeviceSpec {
	out := make([]network.BlockDeviceSpec, 0, len(in))
	for _, b := range in {
		spec := network.BlockDeviceSpec{DeviceName: optional.Value(b.DeviceName), VirtualName: optional.Value(b.VirtualName), NoDevice: b.NoDevice != nil}
		if e := b.Ebs; e != nil {
			spec.EBS = &network.EBSSpec{
				Size: optional.Value(e.VolumeSize), VolumeType: optional.Value(e.VolumeType), Iops: optional.Value(e.Iops),
				Throughput: optional.Value(e.Throughput), Encrypted: optional.Value(e.Encrypted), KMSKeyID: optional.Value(e.KmsKeyId),
				SnapshotID: optional.Value(e.SnapshotId), DeleteOnTermination: e.DeleteOnTermination,
			}
		}
		out = append(out, spec)
	}
	return out
}

// RunInstances implements ec2api.Handler. EBS volumes are modelled (the
// root volume and the block device mappings' others); instance store,
// IAM, licensing and market options are taken and not modelled; launch
// templates and primary IPv6 addresses are refused.
func (s *Service) RunInstances(ctx context.Context, req *awsproto.Request, in *ec2api.RunInstancesInput) (*ec2api.RunInstancesOutput, error) {
	if in.LaunchTemplate != nil {
		return nil, awsproto.Errorf("UnsupportedOperation", "vpcemu does not emulate launch templates; give the launch parameters directly.")
	}
	if err := noPrefixes(optional.Value(in.EnablePrimaryIpv6)); err != nil {
		return nil, err
	}
	nis, err := launchInterfaces(in.NetworkInterfaces)
	if err != nil {
		return nil, err
	}
	li := network.RunInstancesInput{
		ImageID:            optional.Value(in.ImageId),
		InstanceType:       optional.Value(in.InstanceType),
		KeyName:            optional.Value(in.KeyName),
		UserData:           optional.Value(in.UserData),
		ClientToken:        optional.Value(in.ClientToken),
		MinCount:           int(optional.Value(in.MinCount)),
		MaxCount:           int(optional.Value(in.MaxCount)),
		SubnetID:           optional.Value(in.SubnetId),
		SecurityGroupIDs:   in.SecurityGroupIds,
		SecurityGroupNames: in.SecurityGroups,
		PrivateIP:          optional.Value(in.PrivateIpAddress),
		IPv6:               ipv6Spec(in.Ipv6Addresses, in.Ipv6AddressCount),
		Interfaces:         nis,
		EbsOptimized:       optional.Value(in.EbsOptimized),
		Tags:               tagSpecs(in.TagSpecifications),
		BlockDevices:       blockDeviceSpecs(in.BlockDeviceMappings),

		DisableAPITermination: optional.Value(in.DisableApiTermination),
		ShutdownBehavior:      optional.Value(in.InstanceInitiatedShutdownBehavior),
	}
	if in.DisableApiStop != nil {
		li.DisableAPIStop = *in.DisableApiStop
	}
	if c := in.CreditSpecification; c != nil {
		li.CPUCredits = optional.Value(c.CpuCredits)
	}
	if p := in.Placement; p != nil {
		li.AvailabilityZone, li.Tenancy = optional.Value(p.AvailabilityZone), optional.Value(p.Tenancy)
	}
	if m := in.Monitoring; m != nil {
		li.Monitoring = optional.Value(m.Enabled)
	}
	if c := in.CpuOptions; c != nil {
		li.CoreCount, li.ThreadsPerCore = optional.Value(c.CoreCount), optional.Value(c.ThreadsPerCore)
	}
	if m := in.MetadataOptions; m != nil {
		li.Metadata = network.MetadataOptions{
			HTTPTokens: optional.Value(m.HttpTokens), HTTPEndpoint: optional.Value(m.HttpEndpoint), HTTPProtocolIPv6: optional.Value(m.HttpProtocolIpv6),
			HopLimit: optional.Value(m.HttpPutResponseHopLimit), InstanceMetadataTags: optional.Value(m.InstanceMetadataTags),
		}
	}
	r, err := s.network.RunInstances(ctx, caller(req), li)
	if err != nil {
		return nil, err
	}
	out := &ec2api.RunInstancesOutput{ReservationId: new(r.ID), OwnerId: new(r.Owner), Groups: []ec2api.GroupIdentifier{}}
	for _, i := range r.Instances {
		out.Instances = append(out.Instances, launchingShape(i))
	}
	return out, nil
}

// instanceValue is a filter whose value comes from the instance alone.
func instanceValue(f func(*network.Instance) string) func(*network.Instance) []string {
	return func(i *network.Instance) []string { return one(f(i)) }
}

// fixed is a filter whose value every instance shares.
func fixed(v string) func(*network.Instance) []string {
	return func(*network.Instance) []string { return []string{v} }
}

// onInterfaces is a network-interface.* filter: the values of all the
// instance's interfaces.
func onInterfaces(f func(*network.NetworkInterface) []string) func(*network.Instance) []string {
	return func(i *network.Instance) []string { return collectValues(i.Interfaces, f) }
}

// onVolumes is a block-device-mapping.* filter: the values of all the
// instance's volumes.
func onVolumes(f func(*network.Volume) []string) func(*network.Instance) []string {
	return func(i *network.Instance) []string { return collectValues(i.Volumes, f) }
}

// instanceENIFilters maps DescribeInstances's network-interface.* filters
// (without the prefix) to the interface values they read.
var instanceENIFilters = map[string]string{
	"addresses.association.allocation-id":     "association.allocation-id",
	"addresses.association.association-id":    "association.association-id",
	"addresses.association.carrier-ip":        "association.carrier-ip",
	"addresses.association.customer-owned-ip": "association.customer-owned-ip",
	"addresses.association.ip-owner-id":       "association.ip-owner-id",
	"addresses.association.public-dns-name":   "association.public-dns-name",
	"addresses.association.public-ip":         "association.public-ip",
	"addresses.primary":                       "addresses.primary",
	"addresses.private-dns-name":              "private-dns-name",
	"addresses.private-ip-address":            "addresses.private-ip-address",
}

func init() {
	for _, name := range []string{
		"association.allocation-id", "association.association-id", "association.carrier-ip",
		"association.customer-owned-ip", "association.ip-owner-id", "association.public-dns-name", "association.public-ip",
		"attachment.attach-time", "attachment.attachment-id", "attachment.delete-on-termination", "attachment.device-index",
		"attachment.instance-id", "attachment.instance-owner-id", "attachment.network-card-index", "attachment.status",
		"availability-zone", "deny-all-igw-traffic", "description", "group-id", "group-name", "ipv4-prefixes.ipv4-prefix",
		"ipv6-address", "ipv6-addresses.ipv6-address", "ipv6-addresses.is-primary-ipv6", "ipv6-native",
		"ipv6-prefixes.ipv6-prefix", "mac-address", "network-interface-id", "operator.managed", "operator.principal",
		"outpost-arn", "owner-id", "private-dns-name", "private-ip-address", "public-dns-name", "requester-id",
		"requester-managed", "status", "source-dest-check", "subnet-id", "tag-key", "tag-value", "vpc-id",
	} {
		instanceENIFilters[name] = name
	}
	for name, eniName := range instanceENIFilters {
		instanceFilters.values["network-interface."+name] = onInterfaces(eniValues[eniName])
	}
}

func groupIDs(i *network.Instance) []string   { ids, _ := i.Groups(); return ids }
func groupNames(i *network.Instance) []string { _, names := i.Groups(); return names }

// instanceFilters are DescribeInstances's filters; the network-interface.*
// ones are added from instanceENIFilters.
var instanceFilters = &filters[*network.Instance]{
	values: map[string]func(*network.Instance) []string{
		"affinity":                         none[*network.Instance],
		"architecture":                     instanceValue(func(i *network.Instance) string { return i.Architecture() }),
		"availability-zone":                instanceValue(func(i *network.Instance) string { return i.AvailabilityZone }),
		"availability-zone-id":             instanceValue(func(i *network.Instance) string { return i.AvailabilityZoneID }),
		"block-device-mapping.attach-time": onVolumes(func(v *network.Volume) []string { return one(isoTime(v.Attachment.AttachTime)) }),
		"block-device-mapping.delete-on-termination": onVolumes(func(v *network.Volume) []string {
			return boolString(v.Attachment.DeleteOnTermination)
		}),
		"block-device-mapping.device-name": onVolumes(func(v *network.Volume) []string { return one(v.Attachment.Device) }),
		"block-device-mapping.status":      onVolumes(func(v *network.Volume) []string { return one(v.Attachment.State) }),
		"block-device-mapping.volume-id":   onVolumes(func(v *network.Volume) []string { return one(v.ID) }),
		"boot-mode":                        instanceValue(func(i *network.Instance) string { return i.BootMode }),
		"capacity-reservation-id":          none[*network.Instance],
		"capacity-reservation-specification.capacity-reservation-preference":                                     fixed("open"),
		"capacity-reservation-specification.capacity-reservation-target.capacity-reservation-id":                 none[*network.Instance],
		"capacity-reservation-specification.capacity-reservation-target.capacity-reservation-resource-group-arn": none[*network.Instance],
		"client-token":                   instanceValue(func(i *network.Instance) string { return i.ClientToken }),
		"current-instance-boot-mode":     instanceValue(func(i *network.Instance) string { return i.CurrentBootMode() }),
		"dns-name":                       instanceValue(func(i *network.Instance) string { return i.PublicDNSName() }),
		"ebs-optimized":                  func(i *network.Instance) []string { return boolString(i.EbsOptimized) },
		"ena-support":                    fixed("true"),
		"enclave-options.enabled":        fixed("false"),
		"group-id":                       groupIDs,
		"group-name":                     groupNames,
		"hibernation-options.configured": fixed("false"),
		"host-id":                        none[*network.Instance],
		"hypervisor":                     fixed(ec2api.HypervisorTypeXen),
		"iam-instance-profile.arn":       none[*network.Instance],
		"iam-instance-profile.id":        none[*network.Instance],
		"image-id":                       instanceValue(func(i *network.Instance) string { return i.ImageID }),
		"instance-id":                    instanceValue(func(i *network.Instance) string { return i.ID }),
		"instance-lifecycle":             none[*network.Instance],
		"instance-state-code": instanceValue(func(i *network.Instance) string {
			return strconv.Itoa(int(network.StateCode(i.State)))
		}),
		"instance-state-name":                 instanceValue(func(i *network.Instance) string { return i.State }),
		"instance-type":                       instanceValue(func(i *network.Instance) string { return i.InstanceType }),
		"instance.group-id":                   groupIDs,
		"instance.group-name":                 groupNames,
		"ip-address":                          instanceValue(func(i *network.Instance) string { return i.PublicIP }),
		"ipv6-address":                        onInterfaces(func(n *network.NetworkInterface) []string { return n.IPv6Addresses }),
		"kernel-id":                           none[*network.Instance],
		"key-name":                            instanceValue(func(i *network.Instance) string { return i.KeyName }),
		"launch-index":                        instanceValue(func(i *network.Instance) string { return int32String(i.AmiLaunchIndex) }),
		"launch-time":                         instanceValue(func(i *network.Instance) string { return isoTime(i.LaunchTime) }),
		"maintenance-options.auto-recovery":   fixed("default"),
		"metadata-options.http-endpoint":      instanceValue(func(i *network.Instance) string { return i.Metadata.HTTPEndpoint }),
		"metadata-options.http-protocol-ipv4": fixed("enabled"),
		"metadata-options.http-protocol-ipv6": instanceValue(func(i *network.Instance) string { return i.Metadata.HTTPProtocolIPv6 }),
		"metadata-options.http-put-response-hop-limit": instanceValue(func(i *network.Instance) string {
			return int32String(i.Metadata.HopLimit)
		}),
		"metadata-options.http-tokens":                    instanceValue(func(i *network.Instance) string { return i.Metadata.HTTPTokens }),
		"metadata-options.instance-metadata-tags":         instanceValue(func(i *network.Instance) string { return i.Metadata.InstanceMetadataTags }),
		"metadata-options.state":                          fixed("applied"),
		"monitoring-state":                                instanceValue(func(i *network.Instance) string { return enabledString(i.Monitoring) }),
		"network-performance-options.bandwidth-weighting": fixed("default"),
		"operator.managed":                                fixed("false"),
		"operator.principal":                              none[*network.Instance],
		"outpost-arn":                                     none[*network.Instance],
		"owner-id":                                        instanceValue(func(i *network.Instance) string { return i.Owner }),
		"placement-group-name":                            none[*network.Instance],
		"placement-partition-number":                      none[*network.Instance],
		"platform":                                        instanceValue(func(i *network.Instance) string { return i.Platform }),
		"platform-details":                                instanceValue(func(i *network.Instance) string { p, _ := i.Details(); return p }),
		"private-dns-name":                                instanceValue(func(i *network.Instance) string { return i.PrivateDNSName() }),
		"private-dns-name-options.enable-resource-name-dns-a-record": func(i *network.Instance) []string {
			return boolString(i.ResourceNameDNSA)
		},
		"private-dns-name-options.enable-resource-name-dns-aaaa-record": func(i *network.Instance) []string {
			return boolString(i.ResourceNameDNSAAAA)
		},
		"private-dns-name-options.hostname-type": instanceValue(func(i *network.Instance) string { return i.HostnameType }),
		"private-ip-address":                     instanceValue(func(i *network.Instance) string { return i.PrivateIP }),
		"product-code":                           none[*network.Instance],
		"product-code.type":                      none[*network.Instance],
		"ramdisk-id":                             none[*network.Instance],
		"reason":                                 instanceValue(func(i *network.Instance) string { return i.StateTransitionReason }),
		"requester-id":                           none[*network.Instance],
		"reservation-id":                         instanceValue(func(i *network.Instance) string { return i.ReservationID }),
		"root-device-name":                       instanceValue(func(i *network.Instance) string { return i.RootDeviceName() }),
		"root-device-type":                       fixed(ec2api.DeviceTypeEbs),
		"source-dest-check": func(i *network.Instance) []string {
			if p := i.Primary(); p != nil {
				return boolString(p.SourceDestCheck)
			}
			return nil
		},
		"spot-instance-request-id": none[*network.Instance],
		"state-reason-code":        instanceValue(func(i *network.Instance) string { return i.StateReason }),
		"state-reason-message": instanceValue(func(i *network.Instance) string {
			if i.StateReason == "" {
				return ""
			}
			return i.StateReason + ": User initiated shutdown"
		}),
		"subnet-id":                   instanceValue(func(i *network.Instance) string { return i.SubnetID }),
		"tenancy":                     instanceValue(func(i *network.Instance) string { return i.Tenancy }),
		"tpm-support":                 none[*network.Instance],
		"usage-operation":             instanceValue(func(i *network.Instance) string { _, u := i.Details(); return u }),
		"usage-operation-update-time": instanceValue(func(i *network.Instance) string { return isoTime(i.LaunchTime) }),
		"virtualization-type":         fixed(ec2api.VirtualizationTypeHvm),
		"vpc-id":                      instanceValue(func(i *network.Instance) string { return i.VpcID }),
	},
	tags: func(i *network.Instance) cloud.Tags { return i.Tags },
}

// DescribeInstances implements ec2api.Handler. Instances are paged in id
// order and grouped by reservation within each page.
func (s *Service) DescribeInstances(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeInstancesInput) (*ec2api.DescribeInstancesOutput, error) {
	if err := checkMaxResults("instancesSet", len(in.InstanceIds), in.MaxResults, 5, 1000); err != nil {
		return nil, err
	}
	if err := network.CheckIDs(in.InstanceIds, "i-", cloud.KindInstance); err != nil {
		return nil, err
	}
	page, err := describe[network.Instance](ctx, req, s, instanceFilters, in.InstanceIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeInstancesOutput{Reservations: []ec2api.Reservation{}, NextToken: nextToken(page.Next)}
	at := map[string]int{}
	for _, i := range page.Items {
		k, ok := at[i.ReservationID]
		if !ok {
			k = len(out.Reservations)
			at[i.ReservationID] = k
			out.Reservations = append(out.Reservations, ec2api.Reservation{
				ReservationId: new(i.ReservationID), OwnerId: new(i.Owner), Groups: []ec2api.GroupIdentifier{},
			})
		}
		out.Reservations[k].Instances = append(out.Reservations[k].Instances, instanceShape(i))
	}
	return out, nil
}

func stateChangeShapes(changes []network.StateChange) []ec2api.InstanceStateChange {
	out := make([]ec2api.InstanceStateChange, 0, len(changes))
	for _, c := range changes {
		out = append(out, ec2api.InstanceStateChange{
			InstanceId: new(c.InstanceID), PreviousState: instanceStateShape(c.Previous), CurrentState: instanceStateShape(c.Current),
		})
	}
	return out
}

// TerminateInstances implements ec2api.Handler.
func (s *Service) TerminateInstances(ctx context.Context, req *awsproto.Request, in *ec2api.TerminateInstancesInput) (*ec2api.TerminateInstancesOutput, error) {
	changes, err := s.network.TerminateInstances(ctx, caller(req), in.InstanceIds)
	if err != nil {
		return nil, err
	}
	return &ec2api.TerminateInstancesOutput{TerminatingInstances: stateChangeShapes(changes)}, nil
}

// StopInstances implements ec2api.Handler. Hibernation is not modelled: a
// hibernated instance stops like any other.
func (s *Service) StopInstances(ctx context.Context, req *awsproto.Request, in *ec2api.StopInstancesInput) (*ec2api.StopInstancesOutput, error) {
	changes, err := s.network.StopInstances(ctx, caller(req), in.InstanceIds)
	if err != nil {
		return nil, err
	}
	return &ec2api.StopInstancesOutput{StoppingInstances: stateChangeShapes(changes)}, nil
}

// StartInstances implements ec2api.Handler.
func (s *Service) StartInstances(ctx context.Context, req *awsproto.Request, in *ec2api.StartInstancesInput) (*ec2api.StartInstancesOutput, error) {
	changes, err := s.network.StartInstances(ctx, caller(req), in.InstanceIds)
	if err != nil {
		return nil, err
	}
	return &ec2api.StartInstancesOutput{StartingInstances: stateChangeShapes(changes)}, nil
}
