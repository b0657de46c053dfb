package network

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// NetworkInterface is an elastic network interface (ENI): addresses in one
// subnet and the security groups that guard them. Instances, NAT gateways,
// endpoints and load balancers all reach the network through one.
type NetworkInterface struct {
	cloud.Meta
	SubnetID         string
	VpcID            string
	AvailabilityZone string
	// AvailabilityZoneID is the zone's id (use1-az4).
	AvailabilityZoneID string `json:",omitempty"`
	Description        string
	// InterfaceType is interface, nat_gateway, vpc_endpoint,
	// network_load_balancer, gateway_load_balancer, …
	InterfaceType   string
	PrivateIPs      []PrivateIP
	IPv6Addresses   []string `json:",omitempty"`
	Groups          []string `json:",omitempty"`
	MACAddress      string
	SourceDestCheck bool
	Status          string // available or in-use
	// RequesterManaged interfaces belong to a service (a NAT gateway, an
	// endpoint): users cannot change or delete them.
	RequesterManaged bool
	RequesterID      string               `json:",omitempty"`
	Attachment       *InterfaceAttachment `json:",omitempty"`
	// AssociatePublicIP gives the primary address a public address from
	// Amazon's pool whenever its instance runs (set at launch, from the
	// subnet's MapPublicIpOnLaunch or the launch's AssociatePublicIpAddress).
	AssociatePublicIP bool `json:",omitempty"`

	// Derived on read (resolve), not stored.
	// GroupNames are the names of Groups, in the same order.
	GroupNames []string `json:"-"`
	// DNSHostnames is whether the VPC gives public DNS names.
	DNSHostnames bool `json:"-"`
}

// PrivateIP is one private address of an interface, and the public address
// mapped to it, if any.
type PrivateIP struct {
	Address     string
	Primary     bool
	Association *IPAssociation `json:",omitempty"`
}

// IPAssociation maps a public address to a private one.
type IPAssociation struct {
	PublicIP      string
	AllocationID  string `json:",omitempty"` // empty for an auto-assigned public IP
	AssociationID string `json:",omitempty"`
	IPOwnerID     string
}

// InterfaceAttachment ties an interface to an instance.
type InterfaceAttachment struct {
	ID                  string
	InstanceID          string
	InstanceOwnerID     string
	DeviceIndex         int32
	Status              string // attached
	AttachTime          time.Time
	DeleteOnTermination bool
}

func (*NetworkInterface) Kind() cloud.Kind { return cloud.KindNetworkInterface }

func init() { cloud.RegisterType[NetworkInterface]() }

// eniIndexes are the filters DescribeNetworkInterfaces finds by index.
var eniIndexes = cloud.Declare(cloud.KindNetworkInterface, func() cloud.Indexes {
	ix := cloud.Same("subnet-id", "vpc-id", "group-id", "attachment.instance-id", "attachment.attachment-id",
		"association.allocation-id", "association.association-id")
	ix["ipv6-addresses.ipv6-address"] = cloud.Index{Key: "ipv6-address"}
	return ix
}(), nil)

func (n *NetworkInterface) Keys() []cloud.Key {
	ix := eniIndexes
	keys := []cloud.Key{ix.Key("subnet-id", n.SubnetID), ix.Key("vpc-id", n.VpcID)}
	for _, g := range n.Groups {
		keys = append(keys, ix.Key("group-id", g))
	}
	for _, ip := range n.PrivateIPs {
		keys = append(keys, cloud.Key{Name: "private-ip-address", Value: n.VpcID + "/" + ip.Address})
		if a := ip.Association; a != nil {
			if a.AllocationID != "" {
				keys = append(keys, ix.Key("association.allocation-id", a.AllocationID))
			}
			if a.AssociationID != "" {
				keys = append(keys, ix.Key("association.association-id", a.AssociationID))
			}
		}
	}
	for _, a := range n.IPv6Addresses {
		keys = append(keys, ix.Key("ipv6-addresses.ipv6-address", a))
	}
	if n.Attachment != nil {
		keys = append(keys, ix.Key("attachment.instance-id", n.Attachment.InstanceID),
			ix.Key("attachment.attachment-id", n.Attachment.ID))
	}
	return keys
}

// PrimaryIP is the interface's primary private address.
func (n *NetworkInterface) PrimaryIP() string {
	for _, ip := range n.PrivateIPs {
		if ip.Primary {
			return ip.Address
		}
	}
	return ""
}

// PublicIP is the public address mapped to the primary private address.
func (n *NetworkInterface) PublicIP() string {
	for _, ip := range n.PrivateIPs {
		if ip.Primary && ip.Association != nil {
			return ip.Association.PublicIP
		}
	}
	return ""
}

// InterfaceSpec describes a network interface to create.
type InterfaceSpec struct {
	Description   string
	InterfaceType string // default "interface"
	PrivateIP     string // "" picks the lowest free address
	// SecondaryAddrs are extra addresses asked for by value; SecondaryIPs
	// more are picked after them.
	SecondaryAddrs   []string
	SecondaryIPs     int
	IPv6             IPv6Spec
	Groups           []string
	RequesterManaged bool
	RequesterID      string
	Tags             cloud.Tags
}

// CreateInterface makes an interface in the subnet with its addresses, and
// saves it and the subnet's address count. The groups must already be
// checked.
func CreateInterface(t *cloud.Txn, s *Subnet, spec InterfaceSpec) (*NetworkInterface, error) {
	taken, err := usedIPs(t, s.ID)
	if err != nil {
		return nil, err
	}
	eni := &NetworkInterface{
		Meta:               cloud.Meta{ID: t.NewID("eni-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: spec.Tags},
		SubnetID:           s.ID,
		VpcID:              s.VpcID,
		AvailabilityZone:   s.AvailabilityZone,
		AvailabilityZoneID: s.AvailabilityZoneID,
		Description:        spec.Description,
		InterfaceType:      spec.InterfaceType,
		Groups:             spec.Groups,
		SourceDestCheck:    true,
		Status:             "available",
		RequesterManaged:   spec.RequesterManaged,
		RequesterID:        spec.RequesterID,
	}
	if eni.InterfaceType == "" {
		eni.InterfaceType = "interface"
	}
	eni.MACAddress = macFromID(eni.ID)
	if eni.IPv6Addresses, err = ipv6For(t, s, spec.IPv6); err != nil {
		return nil, err
	}
	if s.CIDRBlock == "" {
		// An IPv6-only subnet has no IPv4 address to give.
		if spec.PrivateIP != "" || len(spec.SecondaryAddrs) > 0 || spec.SecondaryIPs > 0 {
			return nil, cloud.InvalidParam("The subnet %s is IPv6-only: network interfaces in it have no private IPv4 addresses.", s.ID)
		}
		return eni, cloud.Put(t, eni)
	}
	wants := append([]string{spec.PrivateIP}, spec.SecondaryAddrs...)
	for range spec.SecondaryIPs {
		wants = append(wants, "")
	}
	// Addresses asked for by value are taken first, so a picked one never
	// steals an address the caller named.
	addrs := make([]netip.Addr, len(wants))
	for _, named := range []bool{true, false} {
		for i, want := range wants {
			if (want != "") != named {
				continue
			}
			a, err := allocateIP(t, s, want, taken)
			if err != nil {
				return nil, err
			}
			taken[a] = true
			addrs[i] = a
		}
	}
	for i, a := range addrs {
		eni.PrivateIPs = append(eni.PrivateIPs, PrivateIP{Address: a.String(), Primary: i == 0})
	}
	if err := cloud.Put(t, s); err != nil {
		return nil, err
	}
	return eni, cloud.Put(t, eni)
}

// deleteInterface removes an interface and gives its addresses back to the
// subnet. Public addresses mapped to it must be released by the caller.
func deleteInterface(t *cloud.Txn, eni *NetworkInterface) error {
	s, err := cloud.GetAny[Subnet](t.StoreTx, eni.SubnetID)
	if err == nil {
		s.UsedIPs -= int64(len(eni.PrivateIPs))
		if err := cloud.Put(t, s); err != nil {
			return err
		}
	} else if err := IgnoreNotFound(err); err != nil {
		return err
	}
	return cloud.Remove(t, eni)
}

// macFromID derives a stable, locally administered MAC address from an id.
func macFromID(id string) string {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint64(id[i])) * 1099511628211
	}
	return fmt.Sprintf("0e:%02x:%02x:%02x:%02x:%02x", byte(h>>32), byte(h>>24), byte(h>>16), byte(h>>8), byte(h))
}

// PrivateDNSName is the interface's internal host name, as AWS forms it.
func (n *NetworkInterface) PrivateDNSName() string {
	return privateDNSName(n.PrimaryIP(), n.Region)
}

// AddressDNSName is the internal host name of one of the interface's
// private addresses.
func (n *NetworkInterface) AddressDNSName(ip string) string { return privateDNSName(ip, n.Region) }

// privateDNSName is ip-10-0-1-5.ec2.internal (us-east-1) or
// ip-10-0-1-5.<region>.compute.internal.
func privateDNSName(ip, region string) string {
	if ip == "" {
		return ""
	}
	host := "ip-" + strings.ReplaceAll(ip, ".", "-")
	if region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + region + ".compute.internal"
}

// Resolve fills the derived fields: group names and whether the VPC gives
// public DNS names.
func (n *NetworkInterface) Resolve(t *cloud.Txn) error {
	var err error
	if n.GroupNames, err = GroupNames(t, n.Groups); err != nil {
		return err
	}
	vpc, err := cloud.GetAny[VPC](t.StoreTx, n.VpcID)
	if err != nil {
		return IgnoreNotFound(err)
	}
	n.DNSHostnames = vpc.EnableDNSHostnames
	return nil
}

// GroupNames are the names of security groups, in the same order ("" for
// a group that is gone).
func GroupNames(t *cloud.Txn, ids []string) ([]string, error) {
	names := make([]string, len(ids))
	for i, id := range ids {
		g, err := cloud.GetAny[SecurityGroup](t.StoreTx, id)
		if err != nil {
			if err := IgnoreNotFound(err); err != nil {
				return nil, err
			}
			continue
		}
		names[i] = g.Name
	}
	return names, nil
}

// PublicDNSName is the public host name of a public address of the
// interface, when its VPC gives DNS hostnames.
func (n *NetworkInterface) PublicDNSName(publicIP string) string {
	if !n.DNSHostnames || publicIP == "" {
		return ""
	}
	return publicDNSName(publicIP, n.Region)
}

// checkUserManaged refuses a change to an interface a service manages:
// AWS lets users see and tag a requester-managed interface, not change it
// (AuthFailure, as for the Elastic IP mapping of a NAT gateway).
func (n *NetworkInterface) checkUserManaged() error {
	if n.RequesterManaged {
		return cloud.Errorf(cloud.OperationNotPermitted, cloud.KindNetworkInterface, "You do not have permission to access the specified resource.")
	}
	return nil
}

// inUse reports whether the interface belongs to something: an instance or
// a service that manages it.
func (n *NetworkInterface) inUse() bool { return n.Attachment != nil || n.RequesterManaged }

// PrivateIPSpec is one private address asked for by value.
type PrivateIPSpec struct {
	Address string
	Primary bool
}

// addressPlan sorts the private addresses a create call asks for into the
// primary one ("" to pick one) and the secondary ones.
func addressPlan(primary string, list []PrivateIPSpec) (string, []string, error) {
	var secondary []string
	listed := ""
	for _, p := range list {
		if !p.Primary {
			secondary = append(secondary, p.Address)
			continue
		}
		if listed != "" {
			return "", nil, cloud.InvalidParam("Only one primary private IP address can be specified.")
		}
		listed = p.Address
	}
	switch {
	case listed != "" && primary != "" && listed != primary:
		return "", nil, cloud.Errorf(cloud.InvalidCombination, "", "The primary private IP address %s conflicts with the primary address %s in privateIpAddresses.", primary, listed)
	case listed != "":
		primary = listed
	case primary == "" && len(secondary) > 0:
		// With none marked primary, the first listed address is.
		primary, secondary = secondary[0], secondary[1:]
	}
	return primary, secondary, nil
}

// CheckID refuses an id that is not prefix followed by hex digits.
func CheckID(id, prefix string, k cloud.Kind) error {
	if !cloud.WellFormed(id, prefix) {
		return cloud.Errorf(cloud.Malformed, k, "Invalid id: \"%s\" (expecting \"%s...\")", id, prefix)
	}
	return nil
}

// interfaceGroups checks the security groups for an interface in subnet s:
// each must exist in the subnet's VPC. With none, the VPC's default group
// guards the interface. inVPC says the launch words a missing group's
// message with the VPC, as RunInstances does.
func interfaceGroups(t *cloud.Txn, s *Subnet, ids []string, inVPC bool) ([]string, error) {
	if len(ids) == 0 {
		vpc, err := cloud.GetIn[VPC](t, s.VpcID)
		if err != nil {
			return nil, err
		}
		return []string{vpc.DefaultSecurityGroupID}, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, id := range ids {
		if err := CheckID(id, "sg-", cloud.KindSecurityGroup); err != nil {
			return nil, err
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		g, err := cloud.GetIn[SecurityGroup](t, id)
		if err != nil {
			if inVPC {
				return nil, cloud.Errorf(cloud.NotFound, cloud.KindSecurityGroup, "The security group '%s' does not exist in VPC '%s'", id, s.VpcID)
			}
			return nil, cloud.Errorf(cloud.NotFound, cloud.KindSecurityGroup, "The security group '%s' does not exist", id)
		}
		if g.VpcID != s.VpcID {
			return nil, cloud.Errorf(cloud.InvalidParameter, cloud.KindSecurityGroup, "Security group %s and subnet %s belong to different networks.", id, s.ID)
		}
		out = append(out, id)
	}
	if len(out) > t.Limit("security-groups-per-interface") {
		return nil, cloud.Errorf(cloud.LimitExceeded, cloud.KindSecurityGroup, "The maximum number of security groups per interface has been reached.")
	}
	return out, nil
}

// interfaceTypes are the types CreateNetworkInterface takes; without one
// the interface is a plain "interface".
var interfaceTypes = map[string]bool{"": true, "efa": true, "efa-only": true, "branch": true, "trunk": true}

// CreateNetworkInterfaceInput is what CreateNetworkInterface takes.
type CreateNetworkInterfaceInput struct {
	SubnetID       string
	Groups         []string
	PrivateIP      string
	PrivateIPs     []PrivateIPSpec
	SecondaryCount int
	IPv6           IPv6Spec
	Description    string
	InterfaceType  string
	Tags           []cloud.TagSpec
}

// CreateNetworkInterface creates an unattached interface in a subnet.
func (c *Service) CreateNetworkInterface(ctx context.Context, who cloud.Caller, in CreateNetworkInterfaceInput) (*NetworkInterface, error) {
	tags, err := cloud.TagsFor(in.Tags, cloud.KindNetworkInterface)
	if err != nil {
		return nil, err
	}
	if !interfaceTypes[in.InterfaceType] {
		return nil, cloud.InvalidParam("Value (%s) for parameter interfaceType is invalid.", in.InterfaceType)
	}
	if in.SecondaryCount < 0 {
		return nil, cloud.InvalidParam("Value (%d) for parameter secondaryPrivateIpAddressCount is invalid. Expected a positive integer.", in.SecondaryCount)
	}
	primary, secondary, err := addressPlan(in.PrivateIP, in.PrivateIPs)
	if err != nil {
		return nil, err
	}
	var eni *NetworkInterface
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		s, err := cloud.GetIn[Subnet](t, in.SubnetID)
		if err != nil {
			return err
		}
		groups, err := interfaceGroups(t, s, in.Groups, false)
		if err != nil {
			return err
		}
		eni, err = CreateInterface(t, s, InterfaceSpec{
			Description: in.Description, InterfaceType: in.InterfaceType, Groups: groups, Tags: tags[cloud.KindNetworkInterface],
			PrivateIP: primary, SecondaryAddrs: secondary, SecondaryIPs: in.SecondaryCount,
			IPv6: IPv6Spec{Addresses: in.IPv6.Addresses, Count: in.IPv6.Count, SubnetDefault: true},
		})
		if e, ok := cloud.AsError(err); ok && e.Reason == cloud.InsufficientAddresses {
			return cloud.InvalidParam("There aren't sufficient free Ipv4 addresses or prefixes")
		}
		if err != nil {
			return err
		}
		return eni.Resolve(t)
	})
	return eni, err
}

// getInterface reads one of the caller's interfaces, refusing a malformed id.
// userInterfaceIn is an interface the caller may change (not one a
// service manages) and its subnet.
func userInterfaceIn(t *cloud.Txn, id string) (*NetworkInterface, *Subnet, error) {
	eni, err := getInterface(t, id)
	if err != nil {
		return nil, nil, err
	}
	if err := eni.checkUserManaged(); err != nil {
		return nil, nil, err
	}
	s, err := cloud.GetAny[Subnet](t.StoreTx, eni.SubnetID)
	return eni, s, err
}

func getInterface(t *cloud.Txn, id string) (*NetworkInterface, error) {
	if err := CheckID(id, "eni-", cloud.KindNetworkInterface); err != nil {
		return nil, err
	}
	return cloud.GetIn[NetworkInterface](t, id)
}

// GetNetworkInterface returns one of the caller's interfaces.
func (c *Service) GetNetworkInterface(ctx context.Context, who cloud.Caller, id string) (*NetworkInterface, error) {
	var eni *NetworkInterface
	err := c.View(ctx, who, func(t *cloud.Txn) (err error) {
		if eni, err = getInterface(t, id); err != nil {
			return err
		}
		return eni.Resolve(t)
	})
	return eni, err
}

// DeleteNetworkInterface deletes an interface that nothing uses. Its
// addresses go back to the subnet, and an Elastic IP mapped to it stays with
// the account, unassociated.
func (c *Service) DeleteNetworkInterface(ctx context.Context, who cloud.Caller, id string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		eni, err := getInterface(t, id)
		if err != nil {
			return err
		}
		if eni.inUse() {
			return cloud.InvalidParam("Network interface '%s' is currently in use.", eni.ID)
		}
		return DestroyInterface(t, eni)
	})
}

// DestroyInterface unmaps an interface's public addresses and deletes it.
func DestroyInterface(t *cloud.Txn, eni *NetworkInterface) error {
	if err := releaseInterfaceAddresses(t, eni); err != nil {
		return err
	}
	return deleteInterface(t, eni)
}

// unmapPublic removes the public address mapped to one private address of
// the interface (not saved): an auto-assigned address goes back to Amazon's
// pool; an Elastic IP stays with its account, unassociated.
func unmapPublic(t *cloud.Txn, eni *NetworkInterface, ip *PrivateIP) error {
	a := ip.Association
	if a == nil {
		return nil
	}
	ip.Association = nil
	if a.AllocationID == "" {
		return releasePublicIP(t, a.PublicIP)
	}
	addr, err := cloud.GetAny[Address](t.StoreTx, a.AllocationID)
	if err != nil {
		return IgnoreNotFound(err)
	}
	if addr.AssociationID != a.AssociationID {
		return nil
	}
	addr.clearAssociation()
	return cloud.Put(t, addr)
}

// mapAutoPublicIP gives the primary address a public address from Amazon's
// pool, when the interface asks for one and has no public address yet.
func mapAutoPublicIP(t *cloud.Txn, eni *NetworkInterface) error {
	if !eni.AssociatePublicIP || len(eni.PrivateIPs) == 0 || eni.PrivateIPs[0].Association != nil {
		return nil
	}
	ip, err := AllocatePublicIP(t, eni.ID)
	if err != nil {
		return err
	}
	eni.PrivateIPs[0].Association = &IPAssociation{PublicIP: ip, IPOwnerID: AutoIPOwner}
	return nil
}

// unmapAutoPublicIPs gives the interface's auto-assigned public addresses
// back to Amazon's pool (not saved); Elastic IPs stay.
func unmapAutoPublicIPs(t *cloud.Txn, eni *NetworkInterface) error {
	for i := range eni.PrivateIPs {
		if a := eni.PrivateIPs[i].Association; a != nil && a.AllocationID == "" {
			if err := unmapPublic(t, eni, &eni.PrivateIPs[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// AttachNetworkInterface attaches an available interface to a running or
// stopped instance in its zone at a free device index, and returns the
// attachment id.
func (c *Service) AttachNetworkInterface(ctx context.Context, who cloud.Caller, eniID, instanceID string, deviceIndex int32) (string, error) {
	if deviceIndex < 0 {
		return "", cloud.InvalidParam("Value (%d) for parameter deviceIndex is invalid. Expected a non-negative integer.", deviceIndex)
	}
	var attachmentID string
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		eni, err := getInterface(t, eniID)
		if err != nil {
			return err
		}
		inst, err := getInstance(t, instanceID)
		if err != nil {
			return err
		}
		if eni.inUse() {
			return cloud.Errorf(cloud.InUse, cloud.KindNetworkInterface, "Interface: [%s] in use.", eni.ID)
		}
		if inst.State != "running" && inst.State != "stopped" {
			return cloud.Errorf(cloud.IncorrectState, cloud.KindInstance, "Instance '%s' is not 'running' or 'stopped'.", inst.ID)
		}
		if eni.AvailabilityZone != inst.AvailabilityZone {
			return cloud.Errorf(cloud.InvalidCombination, "", "You may not attach a network interface to an instance if they are not in the same availability zone")
		}
		attached, err := inst.interfaces(t)
		if err != nil {
			return err
		}
		for _, o := range attached {
			if o.Attachment.DeviceIndex == deviceIndex {
				return cloud.InvalidParam("Instance '%s' already has an interface attached at device index '%d'.", inst.ID, deviceIndex)
			}
		}
		attachmentID = t.NewID("eni-attach-")
		attach(t, eni, inst, attachmentID, deviceIndex, false)
		inst.NetworkInterfaces = append(inst.NetworkInterfaces, eni.ID)
		if err := cloud.Put(t, inst); err != nil {
			return err
		}
		return cloud.Put(t, eni)
	})
	return attachmentID, err
}

// attach ties an interface to an instance (neither is saved).
func attach(t *cloud.Txn, eni *NetworkInterface, inst *Instance, id string, deviceIndex int32, deleteOnTermination bool) {
	eni.Attachment = &InterfaceAttachment{
		ID: id, InstanceID: inst.ID, InstanceOwnerID: inst.Owner, DeviceIndex: deviceIndex,
		Status: "attached", AttachTime: t.Now, DeleteOnTermination: deleteOnTermination,
	}
	eni.Status = "in-use"
}

// detach unties an interface from its instance and gives back its
// auto-assigned public address (the interface is not saved).
func detach(t *cloud.Txn, eni *NetworkInterface) error {
	eni.Attachment = nil
	eni.Status = "available"
	return unmapAutoPublicIPs(t, eni)
}

// interfaceByAttachment finds the caller's interface with an attachment id.
func interfaceByAttachment(t *cloud.Txn, attachmentID string) (*NetworkInterface, error) {
	enis, err := cloud.FindIn[NetworkInterface](t, cloud.Key{Name: "attachment.attachment-id", Value: attachmentID})
	if err != nil {
		return nil, err
	}
	if len(enis) == 0 {
		return nil, cloud.Errorf(cloud.NotFound, cloud.KindENIAttachment, "The attachment ID '%s' does not exist", attachmentID)
	}
	return enis[0], nil
}

// DetachNetworkInterface detaches an interface from its instance. An
// instance's primary interface (device index 0) stays, and interfaces a
// service attached are the service's to detach.
func (c *Service) DetachNetworkInterface(ctx context.Context, who cloud.Caller, attachmentID string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		eni, err := interfaceByAttachment(t, attachmentID)
		if err != nil {
			return err
		}
		if eni.RequesterManaged {
			prefix := attachmentID
			if i := strings.LastIndex(prefix, "-"); i > 0 {
				prefix = prefix[:i]
			}
			return cloud.Errorf(cloud.OperationNotPermitted, "", "You are not allowed to manage '%s' attachments.", prefix)
		}
		if eni.Attachment.DeviceIndex == 0 {
			return cloud.Errorf(cloud.OperationNotPermitted, "", "The network interface at device index 0 and networkCard index 0 cannot be detached.")
		}
		inst, err := cloud.GetAny[Instance](t.StoreTx, eni.Attachment.InstanceID)
		if err == nil {
			inst.NetworkInterfaces = RemoveWhere(inst.NetworkInterfaces, func(id string) bool { return id == eni.ID })
			if err := cloud.Put(t, inst); err != nil {
				return err
			}
		} else if err := IgnoreNotFound(err); err != nil {
			return err
		}
		if err := detach(t, eni); err != nil {
			return err
		}
		return cloud.Put(t, eni)
	})
}

// InterfaceAttributes are the settings ModifyNetworkInterfaceAttribute
// changes; nil fields stay as they are.
type InterfaceAttributes struct {
	Description     *string
	Groups          []string // replaces the groups when not empty
	SourceDestCheck *bool
	// DeleteOnTermination changes the attachment named AttachmentID.
	DeleteOnTermination *bool
	AttachmentID        string
	AssociatePublicIP   *bool
}

// ModifyNetworkInterfaceAttribute changes an interface's settings.
func (c *Service) ModifyNetworkInterfaceAttribute(ctx context.Context, who cloud.Caller, id string, a InterfaceAttributes) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		eni, err := getInterface(t, id)
		if err != nil {
			return err
		}
		if err := eni.checkUserManaged(); err != nil {
			return err
		}
		if a.Description != nil {
			eni.Description = *a.Description
		}
		if a.SourceDestCheck != nil {
			eni.SourceDestCheck = *a.SourceDestCheck
		}
		if len(a.Groups) > 0 {
			s, err := cloud.GetAny[Subnet](t.StoreTx, eni.SubnetID)
			if err != nil {
				return err
			}
			if eni.Groups, err = interfaceGroups(t, s, a.Groups, false); err != nil {
				return err
			}
		}
		if a.DeleteOnTermination != nil {
			if eni.Attachment == nil || eni.Attachment.ID != a.AttachmentID {
				return cloud.Errorf(cloud.NotFound, cloud.KindENIAttachment, "The attachment ID '%s' does not exist", a.AttachmentID)
			}
			eni.Attachment.DeleteOnTermination = *a.DeleteOnTermination
		}
		if a.AssociatePublicIP != nil {
			if err := setAutoPublicIP(t, eni, *a.AssociatePublicIP); err != nil {
				return err
			}
		}
		return cloud.Put(t, eni)
	})
}

// setAutoPublicIP turns the interface's auto-assigned public address on or
// off; it is mapped at once when the interface is the primary one of a
// running instance (AWS maps it on eth0 only).
func setAutoPublicIP(t *cloud.Txn, eni *NetworkInterface, on bool) error {
	eni.AssociatePublicIP = on
	if !on {
		return unmapAutoPublicIPs(t, eni)
	}
	if eni.Attachment == nil || eni.Attachment.DeviceIndex != 0 {
		return nil
	}
	inst, err := cloud.GetAny[Instance](t.StoreTx, eni.Attachment.InstanceID)
	if err != nil {
		return IgnoreNotFound(err)
	}
	if inst.State == "running" || inst.State == "pending" {
		return mapAutoPublicIP(t, eni)
	}
	return nil
}

// AssignPrivateIPAddresses gives an interface more secondary addresses:
// these ones, or count picked ones. With reassign, an address another
// interface in the subnet holds as a secondary moves here.
func (c *Service) AssignPrivateIPAddresses(ctx context.Context, who cloud.Caller, id string, addrs []string, count int, reassign bool) ([]string, error) {
	if len(addrs) > 0 && count > 0 {
		return nil, cloud.Errorf(cloud.InvalidCombination, "", "The parameters privateIpAddress and secondaryPrivateIpAddressCount may not be specified on the same request.")
	}
	if len(addrs) == 0 && count <= 0 {
		return nil, cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter privateIpAddress or secondaryPrivateIpAddressCount")
	}
	var assigned []string
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		assigned = nil
		eni, s, err := userInterfaceIn(t, id)
		if err != nil {
			return err
		}
		taken, err := usedIPs(t, s.ID)
		if err != nil {
			return err
		}
		wants := append([]string(nil), addrs...)
		for range count {
			wants = append(wants, "")
		}
		for _, want := range wants {
			if want != "" && reassign {
				if err := takeSecondary(t, eni, s, want, taken); err != nil {
					return err
				}
			}
			a, err := allocateIP(t, s, want, taken)
			if e, ok := cloud.AsError(err); ok && e.Reason == cloud.InsufficientAddresses {
				return cloud.Errorf(cloud.InsufficientAddresses, cloud.KindSubnet, "The specified subnet does not have enough free addresses to satisfy the request.")
			}
			if err != nil {
				return err
			}
			taken[a] = true
			eni.PrivateIPs = append(eni.PrivateIPs, PrivateIP{Address: a.String()})
			assigned = append(assigned, a.String())
		}
		if err := cloud.Put(t, s); err != nil {
			return err
		}
		return cloud.Put(t, eni)
	})
	return assigned, err
}

// takeSecondary frees an address another interface in the subnet holds as
// a secondary address, so it can be assigned again; the subnet's count
// drops by one (the new holder adds it back).
func takeSecondary(t *cloud.Txn, to *NetworkInterface, s *Subnet, addr string, taken map[netip.Addr]bool) error {
	holders, err := cloud.FindAny[NetworkInterface](t, cloud.Key{Name: "private-ip-address", Value: s.VpcID + "/" + addr})
	if err != nil {
		return err
	}
	for _, h := range holders {
		if h.ID == to.ID {
			continue
		}
		for i, ip := range h.PrivateIPs {
			if ip.Address != addr {
				continue
			}
			if ip.Primary {
				return cloud.Errorf(cloud.InUse, cloud.KindAddress, "Address %s is in use.", addr)
			}
			if err := unmapPublic(t, h, &h.PrivateIPs[i]); err != nil {
				return err
			}
			h.PrivateIPs = append(h.PrivateIPs[:i:i], h.PrivateIPs[i+1:]...)
			if err := cloud.Put(t, h); err != nil {
				return err
			}
			if a, err := netip.ParseAddr(addr); err == nil {
				delete(taken, a)
			}
			s.UsedIPs--
			return nil
		}
	}
	return nil
}

// UnassignPrivateIPAddresses takes secondary addresses off an interface and
// gives them back to the subnet; an Elastic IP mapped to one is
// disassociated. The primary address stays.
func (c *Service) UnassignPrivateIPAddresses(ctx context.Context, who cloud.Caller, id string, addrs []string) error {
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		eni, err := getInterface(t, id)
		if err != nil {
			return err
		}
		if err := eni.checkUserManaged(); err != nil {
			return err
		}
		drop := map[string]bool{}
		for _, a := range addrs {
			drop[a] = true
		}
		kept := eni.PrivateIPs[:0:0]
		for i, ip := range eni.PrivateIPs {
			if !drop[ip.Address] {
				kept = append(kept, ip)
				continue
			}
			if ip.Primary {
				return cloud.InvalidParam("The primary private IP address %s of network interface %s cannot be unassigned.", ip.Address, eni.ID)
			}
			delete(drop, ip.Address)
			if err := unmapPublic(t, eni, &eni.PrivateIPs[i]); err != nil {
				return err
			}
		}
		if len(drop) > 0 {
			return cloud.InvalidParam("Some of the specified addresses are not assigned to interface %s", eni.ID)
		}
		s, err := cloud.GetAny[Subnet](t.StoreTx, eni.SubnetID)
		if err != nil {
			return err
		}
		s.UsedIPs -= int64(len(eni.PrivateIPs) - len(kept))
		eni.PrivateIPs = kept
		if err := cloud.Put(t, s); err != nil {
			return err
		}
		return cloud.Put(t, eni)
	})
}

// CheckIDs refuses ids that are not prefix followed by hex digits, as a
// Describe call by id does before looking anything up.
func CheckIDs(ids []string, prefix string, k cloud.Kind) error {
	for _, id := range ids {
		if err := CheckID(id, prefix, k); err != nil {
			return err
		}
	}
	return nil
}
