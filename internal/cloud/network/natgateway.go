package network

import (
	"context"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
)

// NATGateway lets instances in private subnets start connections out.
type NATGateway struct {
	cloud.Meta
	SubnetID         string
	VpcID            string
	ConnectivityType string // public or private
	State            string // pending, failed, available, deleting, deleted
	FailureCode      string `json:",omitempty"`
	FailureMessage   string `json:",omitempty"`
	// Addresses are the gateway's interfaces and addresses.
	Addresses  []NATGatewayAddress
	CreateTime time.Time
	DeleteTime *time.Time `json:",omitempty"`
}

// NATGatewayAddress is one address of a NAT gateway.
type NATGatewayAddress struct {
	NetworkInterfaceID string `json:",omitempty"`
	PrivateIP          string `json:",omitempty"`
	PublicIP           string `json:",omitempty"`
	AllocationID       string `json:",omitempty"`
	AssociationID      string `json:",omitempty"`
	IsPrimary          bool
	Status             string // succeeded or failed
}

// NAT gateway states.
const (
	NATPending   = "pending"
	NATFailed    = "failed"
	NATAvailable = "available"
	NATDeleting  = "deleting"
	NATDeleted   = "deleted"
)

// natLinger is how long AWS keeps showing a deleted or failed NAT gateway.
const natLinger = time.Hour

// natRequesterID is the account AWS shows as the requester of a NAT
// gateway's network interface.
const natRequesterID = "036872051663"

func (*NATGateway) Kind() cloud.Kind { return cloud.KindNATGateway }

func init() { cloud.RegisterType[NATGateway]() }

// Keys index a gateway by VPC and subnet only while it holds resources
// there, so a failed or deleted gateway does not block deleting them.
func (n *NATGateway) Keys() []cloud.Key {
	if n.State == NATFailed || n.State == NATDeleted {
		return nil
	}
	return []cloud.Key{{Name: "vpc-id", Value: n.VpcID}, {Name: "subnet-id", Value: n.SubnetID}}
}

// Expired reports whether AWS no longer shows the gateway: an hour after it
// was deleted, or after it failed.
func (n *NATGateway) Expired(now time.Time) bool {
	switch n.State {
	case NATDeleted:
		return n.DeleteTime != nil && now.Sub(*n.DeleteTime) >= natLinger
	case NATFailed:
		return now.Sub(n.CreateTime) >= natLinger
	}
	return false
}

// Primary is the gateway's primary address.
func (n *NATGateway) Primary() NATGatewayAddress {
	for _, a := range n.Addresses {
		if a.IsPrimary {
			return a
		}
	}
	return NATGatewayAddress{}
}

// CreateNATGatewayInput is what CreateNatGateway takes.
type CreateNATGatewayInput struct {
	SubnetID         string
	ConnectivityType string // public (default) or private
	AllocationID     string // the Elastic IP of a public gateway
	PrivateIP        string // "" picks one
	// SecondaryIPs adds private addresses to a private gateway.
	SecondaryIPs int
	Tags         []cloud.TagSpec
}

// CreateNATGateway creates a NAT gateway with its network interface in the
// subnet and, for a public gateway, the Elastic IP mapped to it. Like AWS,
// it accepts a public gateway that cannot work (no internet gateway, an
// address mapped elsewhere, a full subnet): that gateway is failed.
func (c *Service) CreateNATGateway(ctx context.Context, who cloud.Caller, in CreateNATGatewayInput) (*NATGateway, error) {
	typ := in.ConnectivityType
	switch typ {
	case "":
		typ = "public"
	case "public", "private":
	default:
		return nil, cloud.InvalidParam("Value (%s) for parameter connectivityType is invalid. Valid values: public, private.", typ)
	}
	switch {
	case typ == "public" && in.AllocationID == "":
		return nil, cloud.Errorf(cloud.MissingParameter, "", "The request must contain the parameter allocationId")
	case typ == "private" && in.AllocationID != "":
		return nil, cloud.Errorf(cloud.InvalidCombination, "", "An allocation ID cannot be specified for a private NAT gateway.")
	case typ == "public" && in.SecondaryIPs > 0:
		return nil, cloud.Errorf(cloud.InvalidCombination, "", "SecondaryPrivateIpAddressCount is only supported for private NAT gateways.")
	}
	tags, err := cloud.TagsFor(in.Tags, cloud.KindNATGateway)
	if err != nil {
		return nil, err
	}
	var nat *NATGateway
	err = c.Update(ctx, who, func(t *cloud.Txn) error {
		if err := purgeExpiredNATGateways(t); err != nil {
			return err
		}
		subnet, err := cloud.GetIn[Subnet](t, in.SubnetID)
		if err != nil {
			return err
		}
		var addr *Address
		if typ == "public" {
			if addr, err = cloud.GetIn[Address](t, in.AllocationID); err != nil {
				return err
			}
		}
		nat = &NATGateway{
			Meta:             cloud.Meta{ID: t.NewID("nat-"), Owner: t.Scope.Account, Region: t.Scope.Region, Tags: tags[cloud.KindNATGateway]},
			SubnetID:         subnet.ID,
			VpcID:            subnet.VpcID,
			ConnectivityType: typ,
			State:            NATAvailable,
			CreateTime:       t.Now,
		}
		if err := provisionNAT(t, nat, subnet, addr, in); err != nil {
			return err
		}
		return cloud.Put(t, nat)
	})
	return nat, err
}

// provisionNAT gives a new gateway its interface and addresses, or marks it
// failed the way AWS reports each failure.
func provisionNAT(t *cloud.Txn, nat *NATGateway, subnet *Subnet, addr *Address, in CreateNATGatewayInput) error {
	primary := NATGatewayAddress{IsPrimary: true, Status: "succeeded"}
	if addr != nil {
		primary.AllocationID = addr.ID
	}
	if subnet.CIDRBlock == "" {
		// A NAT gateway translates IPv4: it needs an IPv4 address.
		return cloud.InvalidParam("The subnet %s is IPv6-only: a NAT gateway needs a subnet with an IPv4 CIDR block.", subnet.ID)
	}
	eni, err := CreateInterface(t, subnet, InterfaceSpec{
		Description:      "Interface for NAT Gateway " + nat.ID,
		InterfaceType:    "nat_gateway",
		PrivateIP:        in.PrivateIP,
		SecondaryIPs:     in.SecondaryIPs,
		RequesterManaged: true,
		RequesterID:      natRequesterID,
	})
	if e, ok := cloud.AsError(err); ok && e.Reason == cloud.InsufficientAddresses {
		nat.fail(primary, "InsufficientFreeAddressesInSubnet", "Subnet has insufficient free addresses to create this NAT gateway")
		return nil
	}
	if err != nil {
		return err
	}
	primary.NetworkInterfaceID, primary.PrivateIP = eni.ID, eni.PrimaryIP()
	if addr != nil {
		reason, msg, err := natAddressProblem(t, nat, addr)
		if err != nil {
			return err
		}
		if reason != "" {
			nat.fail(primary, reason, msg)
			return deleteInterface(t, eni)
		}
	}
	eni.SourceDestCheck = false
	eni.Status = "in-use"
	eni.Attachment = &InterfaceAttachment{ID: t.NewID("ela-attach-"), InstanceOwnerID: "amazon-aws", DeviceIndex: 1, Status: "attached", AttachTime: t.Now}
	if err := cloud.Put(t, eni); err != nil {
		return err
	}
	if addr != nil {
		if err := AssociateIP(t, addr, eni, primary.PrivateIP); err != nil {
			return err
		}
		primary.PublicIP, primary.AssociationID = addr.PublicIP, addr.AssociationID
	}
	nat.Addresses = []NATGatewayAddress{primary}
	for _, ip := range eni.PrivateIPs[1:] {
		nat.Addresses = append(nat.Addresses, NATGatewayAddress{NetworkInterfaceID: eni.ID, PrivateIP: ip.Address, Status: "succeeded"})
	}
	return nil
}

// natAddressProblem says why a public gateway cannot use its Elastic IP,
// as the failure code and message AWS gives, or "" when it can.
func natAddressProblem(t *cloud.Txn, nat *NATGateway, addr *Address) (string, string, error) {
	attached, err := IGWAttached(t, nat.VpcID)
	if err != nil {
		return "", "", err
	}
	switch {
	case !attached:
		return "Gateway.NotAttached", "Network " + nat.VpcID + " has no Internet gateway attached", nil
	case addr.AssociationID != "":
		return "Resource.AlreadyAssociated", "Elastic IP address " + addr.ID + " is already associated", nil
	}
	return "", "", nil
}

// fail marks a gateway that AWS could not create.
func (n *NATGateway) fail(primary NATGatewayAddress, code, msg string) {
	primary.Status = "failed"
	n.State, n.FailureCode, n.FailureMessage = NATFailed, code, msg
	n.Addresses = []NATGatewayAddress{primary}
}

// DeleteNATGateway deletes a gateway: its interface goes, its Elastic IP is
// disassociated (the account keeps it). Deleting a deleted gateway that
// AWS still shows succeeds and changes nothing, as on AWS.
func (c *Service) DeleteNATGateway(ctx context.Context, who cloud.Caller, id string) (*NATGateway, error) {
	var nat *NATGateway
	err := c.Update(ctx, who, func(t *cloud.Txn) error {
		if err := purgeExpiredNATGateways(t); err != nil {
			return err
		}
		var err error
		if nat, err = cloud.GetIn[NATGateway](t, id); err != nil {
			return err
		}
		switch nat.State {
		case NATDeleting, NATDeleted:
			return nil
		case NATPending, NATAvailable:
			if err := releaseNATInterface(t, nat); err != nil {
				return err
			}
		}
		now := t.Now
		nat.State, nat.DeleteTime = NATDeleted, &now
		return cloud.Put(t, nat)
	})
	return nat, err
}

// releaseNATInterface deletes a gateway's network interface, unmapping its
// Elastic IP first.
func releaseNATInterface(t *cloud.Txn, nat *NATGateway) error {
	eni, err := cloud.GetAny[NetworkInterface](t.StoreTx, nat.Primary().NetworkInterfaceID)
	if err != nil {
		return IgnoreNotFound(err)
	}
	if err := releaseInterfaceAddresses(t, eni); err != nil {
		return err
	}
	return deleteInterface(t, eni)
}

// purgeExpiredNATGateways removes the caller's gateways AWS no longer shows.
func purgeExpiredNATGateways(t *cloud.Txn) error {
	var gone []string
	err := t.Scan(cloud.KindNATGateway, t.Scope, "", func(r *cloud.Record) bool {
		n, err := cloud.Decode[NATGateway](r)
		if err == nil && n.Expired(t.Now) {
			gone = append(gone, n.ID)
		}
		return true
	})
	if err != nil {
		return err
	}
	for _, id := range gone {
		if err := t.Delete(cloud.KindNATGateway, id); err != nil {
			return err
		}
	}
	return nil
}
