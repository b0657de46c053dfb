package cloud

import (
	"fmt"
	"strings"
	"time"

	"github.com/vpcemu/vpcemu/internal/store"
)

// NetworkInterface is an elastic network interface (ENI): addresses in one
// subnet and the security groups that guard them. Instances, NAT gateways,
// endpoints and load balancers all reach the network through one.
type NetworkInterface struct {
	Meta
	SubnetID         string
	VpcID            string
	AvailabilityZone string
	Description      string
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

func (*NetworkInterface) kind() Kind { return KindNetworkInterface }

func (n *NetworkInterface) keys() []store.Key {
	keys := []store.Key{{Name: "subnet-id", Value: n.SubnetID}, {Name: "vpc-id", Value: n.VpcID}}
	for _, g := range n.Groups {
		keys = append(keys, store.Key{Name: "group-id", Value: g})
	}
	for _, ip := range n.PrivateIPs {
		keys = append(keys, store.Key{Name: "private-ip-address", Value: n.VpcID + "/" + ip.Address})
		if a := ip.Association; a != nil {
			if a.AllocationID != "" {
				keys = append(keys, store.Key{Name: "association.allocation-id", Value: a.AllocationID})
			}
			if a.AssociationID != "" {
				keys = append(keys, store.Key{Name: "association.association-id", Value: a.AssociationID})
			}
		}
	}
	if n.Attachment != nil {
		keys = append(keys, store.Key{Name: "attachment.instance-id", Value: n.Attachment.InstanceID},
			store.Key{Name: "attachment.attachment-id", Value: n.Attachment.ID})
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

// interfaceSpec describes a network interface to create.
type interfaceSpec struct {
	Description      string
	InterfaceType    string // default "interface"
	PrivateIP        string // "" picks the lowest free address
	SecondaryIPs     int    // extra addresses to pick
	Groups           []string
	RequesterManaged bool
	RequesterID      string
	Tags             Tags
}

// createInterface makes an interface in the subnet with its addresses, and
// saves it and the subnet's address count. The groups must already be
// checked.
func createInterface(t *txn, s *Subnet, spec interfaceSpec) (*NetworkInterface, error) {
	taken, err := usedIPs(t, s.ID)
	if err != nil {
		return nil, err
	}
	eni := &NetworkInterface{
		Meta:             Meta{ID: t.newID("eni-"), Owner: t.scope.Account, Region: t.scope.Region, Tags: spec.Tags},
		SubnetID:         s.ID,
		VpcID:            s.VpcID,
		AvailabilityZone: s.AvailabilityZone,
		Description:      spec.Description,
		InterfaceType:    spec.InterfaceType,
		Groups:           spec.Groups,
		SourceDestCheck:  true,
		Status:           "available",
		RequesterManaged: spec.RequesterManaged,
		RequesterID:      spec.RequesterID,
	}
	if eni.InterfaceType == "" {
		eni.InterfaceType = "interface"
	}
	eni.MACAddress = macFromID(eni.ID)
	want := spec.PrivateIP
	for i := 0; i <= spec.SecondaryIPs; i++ {
		a, err := allocateIP(t, s, want, taken)
		if err != nil {
			return nil, err
		}
		taken[a] = true
		eni.PrivateIPs = append(eni.PrivateIPs, PrivateIP{Address: a.String(), Primary: i == 0})
		want = ""
	}
	if err := put(t, s); err != nil {
		return nil, err
	}
	return eni, put(t, eni)
}

// deleteInterface removes an interface and gives its addresses back to the
// subnet. Public addresses mapped to it must be released by the caller.
func deleteInterface(t *txn, eni *NetworkInterface) error {
	s, err := getAny[Subnet](t.Tx, eni.SubnetID)
	if err == nil {
		s.UsedIPs -= int64(len(eni.PrivateIPs))
		if err := put(t, s); err != nil {
			return err
		}
	} else if err := ignoreNotFound(err); err != nil {
		return err
	}
	return remove(t, eni)
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
