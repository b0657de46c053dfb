package ec2

import (
	"context"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/api/ec2api"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// groupShapes renders security groups with their names.
func groupShapes(ids, names []string) []ec2api.GroupIdentifier {
	out := make([]ec2api.GroupIdentifier, 0, len(ids))
	for i, id := range ids {
		out = append(out, ec2api.GroupIdentifier{GroupId: new(id), GroupName: optional.String(names[i])})
	}
	return out
}

func eniAssociationShape(n *network.NetworkInterface, a *network.IPAssociation) *ec2api.NetworkInterfaceAssociation {
	if a == nil {
		return nil
	}
	return &ec2api.NetworkInterfaceAssociation{
		AllocationId:  optional.String(a.AllocationID),
		AssociationId: optional.String(a.AssociationID),
		IpOwnerId:     new(a.IPOwnerID),
		PublicIp:      new(a.PublicIP),
		PublicDnsName: optional.String(n.PublicDNSName(a.PublicIP)),
	}
}

func eniAttachmentShape(a *network.InterfaceAttachment) *ec2api.NetworkInterfaceAttachment {
	if a == nil {
		return nil
	}
	return &ec2api.NetworkInterfaceAttachment{
		AttachmentId:        new(a.ID),
		AttachTime:          optional.Time(a.AttachTime),
		DeleteOnTermination: new(a.DeleteOnTermination),
		DeviceIndex:         new(a.DeviceIndex),
		NetworkCardIndex:    new(int32(0)),
		InstanceId:          optional.String(a.InstanceID),
		InstanceOwnerId:     new(a.InstanceOwnerID),
		Status:              new(a.Status),
	}
}

func eniShape(n *network.NetworkInterface) ec2api.NetworkInterface {
	out := ec2api.NetworkInterface{
		NetworkInterfaceId: new(n.ID),
		OwnerId:            new(n.Owner),
		SubnetId:           new(n.SubnetID),
		VpcId:              new(n.VpcID),
		AvailabilityZone:   new(n.AvailabilityZone),
		Description:        new(n.Description),
		InterfaceType:      new(n.InterfaceType),
		MacAddress:         new(n.MACAddress),
		PrivateDnsName:     optional.String(n.PrivateDNSName()),
		PrivateIpAddress:   optional.String(n.PrimaryIP()),
		RequesterId:        optional.String(n.RequesterID),
		RequesterManaged:   new(n.RequesterManaged),
		SourceDestCheck:    new(n.SourceDestCheck),
		Status:             new(n.Status),
		Groups:             groupShapes(n.Groups, n.GroupNames),
		Ipv6Native:         new(n.PrimaryIP() == ""),
		Attachment:         eniAttachmentShape(n.Attachment),
		TagSet:             tagSet(n.Tags),
	}
	for _, ip := range n.PrivateIPs {
		if ip.Primary {
			out.Association = eniAssociationShape(n, ip.Association)
		}
		out.PrivateIpAddresses = append(out.PrivateIpAddresses, ec2api.NetworkInterfacePrivateIpAddress{
			PrivateIpAddress: new(ip.Address),
			PrivateDnsName:   optional.String(n.AddressDNSName(ip.Address)),
			Primary:          new(ip.Primary),
			Association:      eniAssociationShape(n, ip.Association),
		})
	}
	for _, a := range n.IPv6Addresses {
		out.Ipv6Addresses = append(out.Ipv6Addresses, ec2api.NetworkInterfaceIpv6Address{Ipv6Address: new(a), IsPrimaryIpv6: new(false)})
	}
	return out
}

// privateIPSpecs reads a create call's PrivateIpAddresses.
func privateIPSpecs(in []ec2api.PrivateIpAddressSpecification) []network.PrivateIPSpec {
	out := make([]network.PrivateIPSpec, 0, len(in))
	for _, p := range in {
		out = append(out, network.PrivateIPSpec{Address: optional.Value(p.PrivateIpAddress), Primary: optional.Value(p.Primary)})
	}
	return out
}

// noPrefixes refuses the prefix delegation and primary IPv6 options vpcemu
// does not emulate.
func noPrefixes(asked ...bool) error {
	for _, a := range asked {
		if a {
			return awsproto.Errorf("UnsupportedOperation", "vpcemu does not emulate IP prefixes or primary IPv6 addresses on network interfaces.")
		}
	}
	return nil
}

// ipv6Spec reads a create call's Ipv6Addresses and Ipv6AddressCount.
func ipv6Spec(addrs []ec2api.InstanceIpv6Address, count *int32) network.IPv6Spec {
	sp := network.IPv6Spec{Count: int(optional.Value(count))}
	for _, a := range addrs {
		sp.Addresses = append(sp.Addresses, optional.Value(a.Ipv6Address))
	}
	return sp
}

// CreateNetworkInterface implements ec2api.Handler.
func (s *Service) CreateNetworkInterface(ctx context.Context, req *awsproto.Request, in *ec2api.CreateNetworkInterfaceInput) (*ec2api.CreateNetworkInterfaceOutput, error) {
	if err := noPrefixes(len(in.Ipv4Prefixes) > 0, optional.Value(in.Ipv4PrefixCount) > 0,
		len(in.Ipv6Prefixes) > 0, optional.Value(in.Ipv6PrefixCount) > 0, optional.Value(in.EnablePrimaryIpv6)); err != nil {
		return nil, err
	}
	eni, err := s.network.CreateNetworkInterface(ctx, caller(req), network.CreateNetworkInterfaceInput{
		SubnetID:       optional.Value(in.SubnetId),
		Groups:         in.Groups,
		PrivateIP:      optional.Value(in.PrivateIpAddress),
		PrivateIPs:     privateIPSpecs(in.PrivateIpAddresses),
		SecondaryCount: int(optional.Value(in.SecondaryPrivateIpAddressCount)),
		IPv6:           ipv6Spec(in.Ipv6Addresses, in.Ipv6AddressCount),
		Description:    optional.Value(in.Description),
		InterfaceType:  optional.Value(in.InterfaceType),
		Tags:           tagSpecs(in.TagSpecifications),
	})
	if err != nil {
		return nil, err
	}
	shape := eniShape(eni)
	// A new interface is "pending" in the create answer, as on AWS.
	shape.Status = new("pending")
	return &ec2api.CreateNetworkInterfaceOutput{NetworkInterface: &shape, ClientToken: in.ClientToken}, nil
}

// DeleteNetworkInterface implements ec2api.Handler.
func (s *Service) DeleteNetworkInterface(ctx context.Context, req *awsproto.Request, in *ec2api.DeleteNetworkInterfaceInput) (*ec2api.DeleteNetworkInterfaceOutput, error) {
	return &ec2api.DeleteNetworkInterfaceOutput{}, s.network.DeleteNetworkInterface(ctx, caller(req), optional.Value(in.NetworkInterfaceId))
}

// isoTime is how filters spell times.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// eachIP collects one value per private address of an interface.
func eachIP(n *network.NetworkInterface, f func(network.PrivateIP) string) []string {
	return collectNonEmpty(n.PrivateIPs, f)
}

// eachAssociation collects one value per public address mapped to the
// interface.
func eachAssociation(n *network.NetworkInterface, f func(*network.IPAssociation) string) []string {
	return eachIP(n, func(ip network.PrivateIP) string {
		if ip.Association == nil {
			return ""
		}
		return f(ip.Association)
	})
}

// attachmentValue is one value of the interface's attachment, if any.
func attachmentValue(f func(*network.InterfaceAttachment) string) func(*network.NetworkInterface) []string {
	return func(n *network.NetworkInterface) []string {
		if n.Attachment == nil {
			return nil
		}
		return one(f(n.Attachment))
	}
}

// none is the value of a filter on something vpcemu's resources never have.
func none[P any](P) []string { return nil }

// eniValues are the values of an interface for each filter, named as
// DescribeNetworkInterfaces names them; DescribeInstances's
// network-interface.* filters use them too.
var eniValues = map[string]func(*network.NetworkInterface) []string{
	"addresses.association.owner-id": func(n *network.NetworkInterface) []string {
		return eachAssociation(n, func(a *network.IPAssociation) string { return a.IPOwnerID })
	},
	"addresses.association.public-ip": func(n *network.NetworkInterface) []string {
		return eachAssociation(n, func(a *network.IPAssociation) string { return a.PublicIP })
	},
	"addresses.primary": func(n *network.NetworkInterface) []string {
		return eachIP(n, func(ip network.PrivateIP) string { return boolString(ip.Primary)[0] })
	},
	"addresses.private-ip-address": func(n *network.NetworkInterface) []string {
		return eachIP(n, func(ip network.PrivateIP) string { return ip.Address })
	},
	"association.allocation-id": func(n *network.NetworkInterface) []string {
		return eachAssociation(n, func(a *network.IPAssociation) string { return a.AllocationID })
	},
	"association.association-id": func(n *network.NetworkInterface) []string {
		return eachAssociation(n, func(a *network.IPAssociation) string { return a.AssociationID })
	},
	"association.ip-owner-id": func(n *network.NetworkInterface) []string {
		return eachAssociation(n, func(a *network.IPAssociation) string { return a.IPOwnerID })
	},
	"association.public-ip": func(n *network.NetworkInterface) []string {
		return eachAssociation(n, func(a *network.IPAssociation) string { return a.PublicIP })
	},
	"association.public-dns-name": func(n *network.NetworkInterface) []string {
		return eachAssociation(n, func(a *network.IPAssociation) string { return n.PublicDNSName(a.PublicIP) })
	},
	"association.carrier-ip":        none[*network.NetworkInterface],
	"association.customer-owned-ip": none[*network.NetworkInterface],
	"attachment.attach-time":        attachmentValue(func(a *network.InterfaceAttachment) string { return isoTime(a.AttachTime) }),
	"attachment.attachment-id":      attachmentValue(func(a *network.InterfaceAttachment) string { return a.ID }),
	"attachment.delete-on-termination": attachmentValue(func(a *network.InterfaceAttachment) string {
		return boolString(a.DeleteOnTermination)[0]
	}),
	"attachment.device-index":       attachmentValue(func(a *network.InterfaceAttachment) string { return int32String(a.DeviceIndex) }),
	"attachment.instance-id":        attachmentValue(func(a *network.InterfaceAttachment) string { return a.InstanceID }),
	"attachment.instance-owner-id":  attachmentValue(func(a *network.InterfaceAttachment) string { return a.InstanceOwnerID }),
	"attachment.network-card-index": attachmentValue(func(*network.InterfaceAttachment) string { return "0" }),
	"attachment.status":             attachmentValue(func(a *network.InterfaceAttachment) string { return a.Status }),
	"availability-zone":             func(n *network.NetworkInterface) []string { return one(n.AvailabilityZone) },
	"availability-zone-id":          func(n *network.NetworkInterface) []string { return one(n.AvailabilityZoneID) },
	"deny-all-igw-traffic":          func(*network.NetworkInterface) []string { return boolString(false) },
	"description":                   func(n *network.NetworkInterface) []string { return []string{n.Description} },
	"group-id":                      func(n *network.NetworkInterface) []string { return n.Groups },
	"group-name":                    func(n *network.NetworkInterface) []string { return n.GroupNames },
	"interface-type":                func(n *network.NetworkInterface) []string { return one(n.InterfaceType) },
	"ipv4-prefixes.ipv4-prefix":     none[*network.NetworkInterface],
	"ipv6-address":                  func(n *network.NetworkInterface) []string { return n.IPv6Addresses },
	"ipv6-addresses.ipv6-address":   func(n *network.NetworkInterface) []string { return n.IPv6Addresses },
	"ipv6-addresses.is-primary-ipv6": func(n *network.NetworkInterface) []string {
		if len(n.IPv6Addresses) == 0 {
			return nil
		}
		return boolString(false)
	},
	"ipv6-native":               func(n *network.NetworkInterface) []string { return boolString(n.PrimaryIP() == "") },
	"ipv6-prefixes.ipv6-prefix": none[*network.NetworkInterface],
	"mac-address":               func(n *network.NetworkInterface) []string { return one(n.MACAddress) },
	"network-interface-id":      func(n *network.NetworkInterface) []string { return one(n.ID) },
	"operator.managed":          func(*network.NetworkInterface) []string { return boolString(false) },
	"operator.principal":        none[*network.NetworkInterface],
	"outpost-arn":               none[*network.NetworkInterface],
	"owner-id":                  func(n *network.NetworkInterface) []string { return one(n.Owner) },
	"private-dns-name": func(n *network.NetworkInterface) []string {
		return eachIP(n, func(ip network.PrivateIP) string { return n.AddressDNSName(ip.Address) })
	},
	"private-ip-address": func(n *network.NetworkInterface) []string {
		return eachIP(n, func(ip network.PrivateIP) string { return ip.Address })
	},
	"public-dns-name": func(n *network.NetworkInterface) []string { return one(n.PublicDNSName(n.PublicIP())) },
	"requester-id":    func(n *network.NetworkInterface) []string { return one(n.RequesterID) },
	"requester-managed": func(n *network.NetworkInterface) []string {
		return boolString(n.RequesterManaged)
	},
	"source-dest-check": func(n *network.NetworkInterface) []string { return boolString(n.SourceDestCheck) },
	"status":            func(n *network.NetworkInterface) []string { return one(n.Status) },
	"subnet-id":         func(n *network.NetworkInterface) []string { return one(n.SubnetID) },
	"tag-key":           func(n *network.NetworkInterface) []string { return keysOf(n.Tags) },
	"tag-value":         func(n *network.NetworkInterface) []string { return valuesOf(n.Tags) },
	"vpc-id":            func(n *network.NetworkInterface) []string { return one(n.VpcID) },
}

// eniFilterNames are the filters DescribeNetworkInterfaces documents (and
// group-name, which EC2 also takes).
var eniFilterNames = []string{
	"association.allocation-id", "association.association-id", "addresses.association.owner-id",
	"addresses.association.public-ip", "addresses.primary", "addresses.private-ip-address",
	"association.ip-owner-id", "association.public-ip", "association.public-dns-name",
	"attachment.attach-time", "attachment.attachment-id", "attachment.delete-on-termination",
	"attachment.device-index", "attachment.instance-id", "attachment.instance-owner-id", "attachment.status",
	"availability-zone", "availability-zone-id", "description", "group-id", "group-name",
	"ipv6-addresses.ipv6-address", "interface-type", "mac-address", "network-interface-id",
	"operator.managed", "operator.principal", "owner-id", "private-dns-name", "private-ip-address",
	"requester-id", "requester-managed", "source-dest-check", "status", "subnet-id", "vpc-id",
}

var eniFilters = func() *filters[*network.NetworkInterface] {
	fs := &filters[*network.NetworkInterface]{
		values: map[string]func(*network.NetworkInterface) []string{},
		tags:   func(n *network.NetworkInterface) cloud.Tags { return n.Tags },
	}
	for _, name := range eniFilterNames {
		fs.values[name] = eniValues[name]
	}
	return fs
}()

// DescribeNetworkInterfaces implements ec2api.Handler.
func (s *Service) DescribeNetworkInterfaces(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeNetworkInterfacesInput) (*ec2api.DescribeNetworkInterfacesOutput, error) {
	if err := checkMaxResults("NetworkInterfaceIds", len(in.NetworkInterfaceIds), in.MaxResults, 0, 0); err != nil {
		return nil, err
	}
	if err := network.CheckIDs(in.NetworkInterfaceIds, "eni-", cloud.KindNetworkInterface); err != nil {
		return nil, err
	}
	page, err := describe[network.NetworkInterface](ctx, req, s, eniFilters, in.NetworkInterfaceIds, in.Filters, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeNetworkInterfacesOutput{NetworkInterfaces: make([]ec2api.NetworkInterface, 0, len(page.Items)), NextToken: nextToken(page.Next)}
	for _, n := range page.Items {
		out.NetworkInterfaces = append(out.NetworkInterfaces, eniShape(n))
	}
	return out, nil
}

// DescribeNetworkInterfaceAttribute implements ec2api.Handler.
func (s *Service) DescribeNetworkInterfaceAttribute(ctx context.Context, req *awsproto.Request, in *ec2api.DescribeNetworkInterfaceAttributeInput) (*ec2api.DescribeNetworkInterfaceAttributeOutput, error) {
	if in.Attribute == nil {
		return nil, awsproto.Errorf("MissingParameter", "The request must contain the parameter attribute")
	}
	eni, err := s.network.GetNetworkInterface(ctx, caller(req), optional.Value(in.NetworkInterfaceId))
	if err != nil {
		return nil, err
	}
	out := &ec2api.DescribeNetworkInterfaceAttributeOutput{NetworkInterfaceId: new(eni.ID)}
	switch *in.Attribute {
	case ec2api.NetworkInterfaceAttributeDescription:
		out.Description = &ec2api.AttributeValue{Value: new(eni.Description)}
	case ec2api.NetworkInterfaceAttributeGroupSet:
		out.Groups = groupShapes(eni.Groups, eni.GroupNames)
	case ec2api.NetworkInterfaceAttributeSourceDestCheck:
		out.SourceDestCheck = &ec2api.AttributeBooleanValue{Value: new(eni.SourceDestCheck)}
	case ec2api.NetworkInterfaceAttributeAttachment:
		out.Attachment = eniAttachmentShape(eni.Attachment)
	case ec2api.NetworkInterfaceAttributeAssociatePublicIpAddress:
		out.AssociatePublicIpAddress = new(eni.AssociatePublicIP)
	default:
		return nil, awsproto.Errorf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", *in.Attribute)
	}
	return out, nil
}

// ModifyNetworkInterfaceAttribute implements ec2api.Handler. EC2 takes one
// attribute per call.
func (s *Service) ModifyNetworkInterfaceAttribute(ctx context.Context, req *awsproto.Request, in *ec2api.ModifyNetworkInterfaceAttributeInput) (*ec2api.ModifyNetworkInterfaceAttributeOutput, error) {
	if in.ConnectionTrackingSpecification != nil || in.EnaSrdSpecification != nil || in.EnablePrimaryIpv6 != nil {
		return nil, awsproto.Errorf("UnsupportedOperation", "vpcemu does not emulate connection tracking, ENA Express or IPv6 settings of network interfaces.")
	}
	var a network.InterfaceAttributes
	var set []string
	if in.Description != nil {
		a.Description, set = new(optional.Value(in.Description.Value)), append(set, "description")
	}
	if len(in.Groups) > 0 {
		a.Groups, set = in.Groups, append(set, "groupSet")
	}
	if in.SourceDestCheck != nil {
		if in.SourceDestCheck.Value == nil {
			return nil, awsproto.Errorf("MissingParameter", "The request must contain the parameter sourceDestCheck.value")
		}
		a.SourceDestCheck, set = in.SourceDestCheck.Value, append(set, "sourceDestCheck")
	}
	if in.Attachment != nil {
		if in.Attachment.AttachmentId == nil || in.Attachment.DeleteOnTermination == nil {
			return nil, awsproto.Errorf("MissingParameter", "The request must contain the parameters attachment.attachmentId and attachment.deleteOnTermination")
		}
		a.AttachmentID, a.DeleteOnTermination, set = *in.Attachment.AttachmentId, in.Attachment.DeleteOnTermination, append(set, "attachment")
	}
	if in.AssociatePublicIpAddress != nil {
		a.AssociatePublicIP, set = in.AssociatePublicIpAddress, append(set, "associatePublicIpAddress")
	}
	switch {
	case len(set) == 0:
		return nil, awsproto.Errorf("MissingParameter", "The request must contain one of the parameters description, groupSet, sourceDestCheck, attachment or associatePublicIpAddress")
	case len(set) > 1:
		return nil, awsproto.Errorf("InvalidParameterCombination", "Fields for multiple attribute types specified: %s", strings.Join(set, ", "))
	}
	return &ec2api.ModifyNetworkInterfaceAttributeOutput{}, s.network.ModifyNetworkInterfaceAttribute(ctx, caller(req), optional.Value(in.NetworkInterfaceId), a)
}

// AttachNetworkInterface implements ec2api.Handler.
func (s *Service) AttachNetworkInterface(ctx context.Context, req *awsproto.Request, in *ec2api.AttachNetworkInterfaceInput) (*ec2api.AttachNetworkInterfaceOutput, error) {
	if optional.Value(in.NetworkCardIndex) != 0 {
		return nil, awsproto.Errorf("InvalidParameterValue", "Value (%d) for parameter networkCardIndex is invalid. The instance type supports network card index 0 only.", optional.Value(in.NetworkCardIndex))
	}
	id, err := s.network.AttachNetworkInterface(ctx, caller(req), optional.Value(in.NetworkInterfaceId), optional.Value(in.InstanceId), optional.Value(in.DeviceIndex))
	if err != nil {
		return nil, err
	}
	return &ec2api.AttachNetworkInterfaceOutput{AttachmentId: new(id), NetworkCardIndex: new(int32(0))}, nil
}

// DetachNetworkInterface implements ec2api.Handler. Detaching is immediate,
// so Force changes nothing.
func (s *Service) DetachNetworkInterface(ctx context.Context, req *awsproto.Request, in *ec2api.DetachNetworkInterfaceInput) (*ec2api.DetachNetworkInterfaceOutput, error) {
	return &ec2api.DetachNetworkInterfaceOutput{}, s.network.DetachNetworkInterface(ctx, caller(req), optional.Value(in.AttachmentId))
}

// AssignPrivateIpAddresses implements ec2api.Handler.
func (s *Service) AssignPrivateIpAddresses(ctx context.Context, req *awsproto.Request, in *ec2api.AssignPrivateIpAddressesInput) (*ec2api.AssignPrivateIpAddressesOutput, error) {
	if len(in.Ipv4Prefixes) > 0 || optional.Value(in.Ipv4PrefixCount) > 0 {
		return nil, awsproto.Errorf("UnsupportedOperation", "vpcemu does not emulate IPv4 prefixes on network interfaces.")
	}
	addrs, err := s.network.AssignPrivateIPAddresses(ctx, caller(req), optional.Value(in.NetworkInterfaceId), in.PrivateIpAddresses,
		int(optional.Value(in.SecondaryPrivateIpAddressCount)), optional.Value(in.AllowReassignment))
	if err != nil {
		return nil, err
	}
	out := &ec2api.AssignPrivateIpAddressesOutput{NetworkInterfaceId: in.NetworkInterfaceId}
	for _, a := range addrs {
		out.AssignedPrivateIpAddresses = append(out.AssignedPrivateIpAddresses, ec2api.AssignedPrivateIpAddress{PrivateIpAddress: new(a)})
	}
	return out, nil
}

// UnassignPrivateIpAddresses implements ec2api.Handler.
func (s *Service) UnassignPrivateIpAddresses(ctx context.Context, req *awsproto.Request, in *ec2api.UnassignPrivateIpAddressesInput) (*ec2api.UnassignPrivateIpAddressesOutput, error) {
	if len(in.Ipv4Prefixes) > 0 {
		return nil, awsproto.Errorf("UnsupportedOperation", "vpcemu does not emulate IPv4 prefixes on network interfaces.")
	}
	if len(in.PrivateIpAddresses) == 0 {
		return nil, awsproto.Errorf("MissingParameter", "The request must contain the parameter privateIpAddress")
	}
	return &ec2api.UnassignPrivateIpAddressesOutput{}, s.network.UnassignPrivateIPAddresses(ctx, caller(req), optional.Value(in.NetworkInterfaceId), in.PrivateIpAddresses)
}

// AssignIpv6Addresses implements ec2api.Handler.
func (s *Service) AssignIpv6Addresses(ctx context.Context, req *awsproto.Request, in *ec2api.AssignIpv6AddressesInput) (*ec2api.AssignIpv6AddressesOutput, error) {
	if err := noPrefixes(len(in.Ipv6Prefixes) > 0, optional.Value(in.Ipv6PrefixCount) > 0); err != nil {
		return nil, err
	}
	addrs, err := s.network.AssignIPv6Addresses(ctx, caller(req), optional.Value(in.NetworkInterfaceId), in.Ipv6Addresses, int(optional.Value(in.Ipv6AddressCount)))
	if err != nil {
		return nil, err
	}
	return &ec2api.AssignIpv6AddressesOutput{NetworkInterfaceId: in.NetworkInterfaceId, AssignedIpv6Addresses: addrs}, nil
}

// UnassignIpv6Addresses implements ec2api.Handler.
func (s *Service) UnassignIpv6Addresses(ctx context.Context, req *awsproto.Request, in *ec2api.UnassignIpv6AddressesInput) (*ec2api.UnassignIpv6AddressesOutput, error) {
	if err := noPrefixes(len(in.Ipv6Prefixes) > 0); err != nil {
		return nil, err
	}
	if len(in.Ipv6Addresses) == 0 {
		return nil, awsproto.Errorf("MissingParameter", "The request must contain the parameter ipv6Addresses")
	}
	addrs, err := s.network.UnassignIPv6Addresses(ctx, caller(req), optional.Value(in.NetworkInterfaceId), in.Ipv6Addresses)
	if err != nil {
		return nil, err
	}
	return &ec2api.UnassignIpv6AddressesOutput{NetworkInterfaceId: in.NetworkInterfaceId, UnassignedIpv6Addresses: addrs}, nil
}
