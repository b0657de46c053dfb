package network

import (
	"context"
	"strings"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// Address is an Elastic IP address: a public address an account holds until
// it releases it, mapped to at most one private address at a time.
type Address struct {
	cloud.Meta
	PublicIP           string
	Domain             string // vpc
	NetworkBorderGroup string
	PublicIPv4Pool     string // amazon
	// The mapping, when associated.
	AssociationID           string `json:",omitempty"`
	NetworkInterfaceID      string `json:",omitempty"`
	NetworkInterfaceOwnerID string `json:",omitempty"`
	PrivateIP               string `json:",omitempty"`
	InstanceID              string `json:",omitempty"`
}

// amazonPool is the name AWS gives its own public IPv4 pool.
const amazonPool = "amazon"

// AutoIPOwner is the IpOwnerId AWS shows for a public address it assigned.
const AutoIPOwner = "amazon"

func (*Address) Kind() cloud.Kind { return cloud.KindAddress }

func init() { cloud.RegisterType[Address]() }

// addressIndexes are the filters DescribeAddresses finds by index.
var addressIndexes = cloud.Declare(cloud.KindAddress, cloud.Same("public-ip", "association-id", "network-interface-id", "instance-id"), nil)

func (a *Address) Keys() []cloud.Key {
	keys := []cloud.Key{addressIndexes.Key("public-ip", a.PublicIP)}
	if a.AssociationID != "" {
		keys = append(keys, addressIndexes.Key("association-id", a.AssociationID),
			addressIndexes.Key("network-interface-id", a.NetworkInterfaceID))
	}
	if a.InstanceID != "" {
		keys = append(keys, addressIndexes.Key("instance-id", a.InstanceID))
	}
	return keys
}

// PublicDNSName is the address's public host name, as AWS forms it.
func (a *Address) PublicDNSName() string { return publicDNSName(a.PublicIP, a.Region) }

// PTRRecord is the address's reverse DNS record: its public host name, as
// a fully qualified name.
func (a *Address) PTRRecord() string { return a.PublicDNSName() + "." }

// publicDNSName is ec2-198-18-0-5.compute-1.amazonaws.com (us-east-1) or
// ec2-198-18-0-5.<region>.compute.amazonaws.com.
func publicDNSName(ip, region string) string {
	if ip == "" {
		return ""
	}
	host := "ec2-" + strings.ReplaceAll(ip, ".", "-")
	if region == "us-east-1" {
		return host + ".compute-1.amazonaws.com"
	}
	return host + "." + region + ".compute.amazonaws.com"
}

// errNotYours is what EC2 answers when a user touches an address mapping
// that a service (a NAT gateway) manages.
func errNotYours() *cloud.Error {
	return cloud.Errorf(cloud.OperationNotPermitted, cloud.KindAddress, "You do not have permission to access the specified resource.")
}

// AllocateAddressInput is what AllocateAddress takes.
type AllocateAddressInput struct {
	Domain             string // "" or vpc
	NetworkBorderGroup string // "" means the region
	Tags               []cloud.TagSpec
}

// AllocateAddress takes a public address from Amazon's pool for the caller.
func (c *Service) AllocateAddress(ctx context.Context, who cloud.Caller, in AllocateAddressInput) (*Address, error) {
	switch in.Domain {
	case "", "vpc":
	case "standard":
		return nil, cloud.InvalidParam("Value (standard) for parameter domain is invalid. EC2-Classic is retired: only vpc addresses can be allocated.")
	default:
		return nil, cloud.InvalidParam("Value (%s) for parameter domain is invalid.", in.Domain)
	}
	group := in.NetworkBorderGroup
	if group == "" {
		group = who.Region
	}
	if group != who.Region {
		return nil, cloud.InvalidParam("Value (%s) for parameter networkBorderGroup is invalid. The only network border group of %s is %s.", group, who.Region, who.Region)
	}
	tags, err := cloud.TagsFor(in.Tags, cloud.KindAddress)
	if err != nil {
		return nil, err
	}
	var addr *Address
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		id := t.NewID("eipalloc-")
		ip, err := AllocatePublicIP(t, id)
		if err != nil {
			return err
		}
		addr = &Address{
			Meta:               cloud.Meta{ID: id, Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[cloud.KindAddress]},
			PublicIP:           ip,
			Domain:             "vpc",
			NetworkBorderGroup: group,
			PublicIPv4Pool:     amazonPool,
		}
		return cloud.Put(t, addr)
	})
	return addr, err
}

// ReleaseAddress gives an unassociated address back to Amazon's pool. A
// network border group, when given, must be the address's.
func (c *Service) ReleaseAddress(ctx context.Context, who cloud.Caller, allocationID, publicIP, borderGroup string) error {
	if allocationID == "" {
		if publicIP != "" {
			return cloud.InvalidParam("You must specify an allocation id when releasing a VPC elastic IP address")
		}
		return cloud.Errorf(cloud.MissingParameter, "", "Either public IP or allocation id must be specified")
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		addr, err := cloud.GetIn[Address](t, allocationID)
		if err != nil {
			return err
		}
		if borderGroup != "" && borderGroup != addr.NetworkBorderGroup {
			return cloud.Errorf(cloud.NotFound, cloud.KindPublicIP, "The address with allocation id [%s] cannot be found in network border group %s", addr.ID, borderGroup)
		}
		if addr.AssociationID != "" {
			if err := notServiceManaged(t, addr); err != nil {
				return err
			}
			return cloud.Errorf(cloud.InUse, cloud.KindAddress, "Address %s is in use.", addr.PublicIP)
		}
		if err := releasePublicIP(t, addr.PublicIP); err != nil {
			return err
		}
		return cloud.Remove(t, addr)
	})
}

// AddressIDs returns the allocation ids of the caller's addresses with
// these public IPs; a public IP the caller does not hold is NotFound.
func (c *Service) AddressIDs(ctx context.Context, who cloud.Caller, publicIPs []string) ([]string, error) {
	var ids []string
	err := c.View(ctx, who, func(t *cloud.Txn) error {
		for _, ip := range publicIPs {
			addrs, err := cloud.FindIn[Address](t, cloud.Key{Name: "public-ip", Value: ip})
			if err != nil {
				return err
			}
			if len(addrs) == 0 {
				return cloud.Errorf(cloud.NotFound, cloud.KindPublicIP, "Address '%s' not found.", ip)
			}
			ids = append(ids, addrs[0].ID)
		}
		return nil
	})
	return ids, err
}

// AssociateAddressInput is what AssociateAddress takes: the address and
// either an instance (its only interface) or a network interface, and
// optionally which of the interface's private addresses.
type AssociateAddressInput struct {
	AllocationID       string
	PublicIP           string // EC2-Classic's way to name an address; refused
	InstanceID         string
	NetworkInterfaceID string
	PrivateIP          string // "" means the interface's primary address
	AllowReassociation bool
}

// AssociateAddress maps an Elastic IP to a private address of an interface
// in a VPC with an internet gateway, and returns the association id. An
// address mapped elsewhere moves only when reassociation is allowed; a
// public address the private address had is replaced.
func (c *Service) AssociateAddress(ctx context.Context, who cloud.Caller, in AssociateAddressInput) (string, error) {
	if in.AllocationID == "" {
		if in.PublicIP != "" {
			return "", cloud.Errorf(cloud.InvalidCombination, "", "You must specify an allocation id when mapping an address to a VPC instance")
		}
		return "", cloud.Errorf(cloud.MissingParameter, "", "Either public IP or allocation id must be specified")
	}
	switch {
	case in.InstanceID != "" && in.NetworkInterfaceID != "":
		return "", cloud.Errorf(cloud.InvalidCombination, "", "You may specify either an instance ID or a network interface ID, but not both")
	case in.InstanceID == "" && in.NetworkInterfaceID == "":
		return "", cloud.Errorf(cloud.MissingParameter, "", "Either instance ID or network interface ID must be specified")
	}
	var assocID string
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		addr, err := cloud.GetIn[Address](t, in.AllocationID)
		if err != nil {
			return err
		}
		eniID, err := associationTarget(t, in)
		if err != nil {
			return err
		}
		eni, err := cloud.GetIn[NetworkInterface](t, eniID)
		if err != nil {
			return err
		}
		if eni.RequesterManaged {
			return errNotYours()
		}
		ip := in.PrivateIP
		if ip == "" {
			ip = eni.PrimaryIP()
		}
		if eni.ipIndex(ip) < 0 {
			return cloud.InvalidParam("The private IP address %s is not assigned to the network interface %s", ip, eni.ID)
		}
		attached, err := IGWAttached(t, eni.VpcID)
		if err != nil {
			return err
		}
		if !attached {
			return cloud.Errorf(cloud.NotAttached, cloud.KindVPC, "Network %s is not attached to any internet gateway", eni.VpcID)
		}
		if addr.AssociationID != "" {
			if err := notServiceManaged(t, addr); err != nil {
				return err
			}
			if !in.AllowReassociation {
				return cloud.Errorf(cloud.AlreadyAssociated, cloud.KindAddress, "resource %s is already associated with associate-id %s", addr.ID, addr.AssociationID)
			}
			if err := disassociate(t, addr); err != nil {
				return err
			}
			// The old mapping may have been on this very interface.
			if eni, err = cloud.GetIn[NetworkInterface](t, eniID); err != nil {
				return err
			}
		}
		if err := AssociateIP(t, addr, eni, ip); err != nil {
			return err
		}
		assocID = addr.AssociationID
		return nil
	})
	return assocID, err
}

// associationTarget returns the interface an association names: the
// network interface, or the instance's only interface.
func associationTarget(t *cloud.Txn, in AssociateAddressInput) (string, error) {
	if in.NetworkInterfaceID != "" {
		return in.NetworkInterfaceID, nil
	}
	inst, err := cloud.GetIn[Instance](t, in.InstanceID)
	if err != nil {
		return "", err
	}
	switch inst.State {
	case "running", "stopping", "stopped":
	default:
		return "", cloud.Errorf(cloud.InvalidParameter, cloud.KindInstance, "The %s instance '%s' is not in a valid state for this operation.", inst.State, inst.ID)
	}
	if len(inst.NetworkInterfaces) != 1 {
		return "", cloud.Errorf(cloud.InvalidParameter, cloud.KindInstance, "There are multiple interfaces attached to instance '%s'. Please specify an interface ID for the operation instead.", inst.ID)
	}
	return inst.NetworkInterfaces[0], nil
}

// DisassociateAddress removes an Elastic IP's mapping.
func (c *Service) DisassociateAddress(ctx context.Context, who cloud.Caller, associationID, publicIP string) error {
	if associationID == "" {
		if publicIP != "" {
			return cloud.InvalidParam("You must specify an association id when unmapping an address from a VPC instance")
		}
		return cloud.Errorf(cloud.MissingParameter, "", "Either public IP or association id must be specified")
	}
	return c.Update(ctx, who, func(t *cloud.Txn) error {
		addrs, err := cloud.FindIn[Address](t, cloud.Key{Name: "association-id", Value: associationID})
		if err != nil {
			return err
		}
		if len(addrs) == 0 {
			return cloud.Errorf(cloud.NotFound, cloud.KindAddressAssociation, "The association ID '%s' does not exist", associationID)
		}
		if err := notServiceManaged(t, addrs[0]); err != nil {
			return err
		}
		return disassociate(t, addrs[0])
	})
}

// notServiceManaged refuses to touch the mapping of an associated address
// whose interface a service manages (a NAT gateway's).
func notServiceManaged(t *cloud.Txn, addr *Address) error {
	eni, err := cloud.GetAny[NetworkInterface](t.StoreTx, addr.NetworkInterfaceID)
	if err != nil {
		return IgnoreNotFound(err)
	}
	if eni.RequesterManaged {
		return errNotYours()
	}
	return nil
}

// IGWAttached reports whether an internet gateway is attached to the VPC.
func IGWAttached(t *cloud.Txn, vpcID string) (bool, error) {
	return cloud.Exists(t, cloud.KindInternetGateway, cloud.Key{Name: "attachment.vpc-id", Value: vpcID})
}

// ipIndex is the position of a private address on the interface, or -1.
func (n *NetworkInterface) ipIndex(ip string) int {
	for i, p := range n.PrivateIPs {
		if p.Address == ip {
			return i
		}
	}
	return -1
}

// AssociateIP maps an unassociated address to a private address of the
// interface, on both sides, and saves them. Another Elastic IP mapped there
// is disassociated; a public address AWS assigned there is released.
func AssociateIP(t *cloud.Txn, addr *Address, eni *NetworkInterface, ip string) error {
	pip := &eni.PrivateIPs[eni.ipIndex(ip)]
	if err := unmapPublic(t, eni, pip); err != nil {
		return err
	}
	addr.AssociationID = t.NewID("eipassoc-")
	addr.NetworkInterfaceID = eni.ID
	addr.NetworkInterfaceOwnerID = eni.Owner
	addr.PrivateIP = ip
	addr.InstanceID = ""
	if eni.Attachment != nil {
		addr.InstanceID = eni.Attachment.InstanceID
	}
	pip.Association = &IPAssociation{PublicIP: addr.PublicIP, AllocationID: addr.ID, AssociationID: addr.AssociationID, IPOwnerID: addr.Owner}
	if err := cloud.Put(t, eni); err != nil {
		return err
	}
	return cloud.Put(t, addr)
}

// disassociate removes an address's mapping on both sides and saves them.
func disassociate(t *cloud.Txn, addr *Address) error {
	eni, err := cloud.GetAny[NetworkInterface](t.StoreTx, addr.NetworkInterfaceID)
	if err := IgnoreNotFound(err); err != nil {
		return err
	}
	if eni != nil {
		if i := eni.ipIndex(addr.PrivateIP); i >= 0 {
			if err := unmapIP(t, eni, i); err != nil {
				return err
			}
		}
	}
	addr.clearAssociation()
	return cloud.Put(t, addr)
}

// unmapIP removes the Elastic IP mapping of the interface's i-th private
// address and saves the interface. As on AWS, the primary address of an
// instance's only interface gets a public address from Amazon's pool back
// when the interface was launched with one.
func unmapIP(t *cloud.Txn, eni *NetworkInterface, i int) error {
	eni.PrivateIPs[i].Association = nil
	if i == 0 {
		single, err := soleInstanceInterface(t, eni)
		if err != nil {
			return err
		}
		if single {
			if err := mapAutoPublicIP(t, eni); err != nil {
				return err
			}
		}
	}
	return cloud.Put(t, eni)
}

// soleInstanceInterface reports whether the interface is the only one of an
// instance.
func soleInstanceInterface(t *cloud.Txn, eni *NetworkInterface) (bool, error) {
	if eni.Attachment == nil || eni.Attachment.InstanceID == "" {
		return false, nil
	}
	inst, err := cloud.GetAny[Instance](t.StoreTx, eni.Attachment.InstanceID)
	if err != nil {
		return false, IgnoreNotFound(err)
	}
	return len(inst.NetworkInterfaces) == 1, nil
}

func (a *Address) clearAssociation() {
	a.AssociationID, a.NetworkInterfaceID, a.NetworkInterfaceOwnerID, a.PrivateIP, a.InstanceID = "", "", "", "", ""
}

// releaseInterfaceAddresses unmaps every public address of an interface
// that is going away: Elastic IPs become unassociated (the account keeps
// them) and AWS-assigned addresses go back to the pool. The interface
// itself is changed but not saved.
func releaseInterfaceAddresses(t *cloud.Txn, eni *NetworkInterface) error {
	for i := range eni.PrivateIPs {
		if err := unmapPublic(t, eni, &eni.PrivateIPs[i]); err != nil {
			return err
		}
	}
	return nil
}
