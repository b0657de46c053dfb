package cloud

import (
	"time"

	"github.com/vpcemu/vpcemu/internal/store"
)

// NATGateway lets instances in private subnets start connections out.
type NATGateway struct {
	Meta
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
	NetworkInterfaceID string
	PrivateIP          string
	PublicIP           string `json:",omitempty"`
	AllocationID       string `json:",omitempty"`
	AssociationID      string `json:",omitempty"`
	IsPrimary          bool
	Status             string // succeeded
}

func (*NATGateway) kind() Kind { return KindNATGateway }

func (n *NATGateway) keys() []store.Key {
	keys := []store.Key{{Name: "vpc-id", Value: n.VpcID}, {Name: "subnet-id", Value: n.SubnetID}}
	return keys
}
