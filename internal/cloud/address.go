package cloud

import (
	"github.com/vpcemu/vpcemu/internal/store"
)

// Address is an Elastic IP address: a public address an account holds until
// it releases it, mapped to at most one private address at a time.
type Address struct {
	Meta
	PublicIP           string
	Domain             string // vpc
	NetworkBorderGroup string
	// The mapping, when associated.
	AssociationID      string `json:",omitempty"`
	NetworkInterfaceID string `json:",omitempty"`
	PrivateIP          string `json:",omitempty"`
	InstanceID         string `json:",omitempty"`
}

func (*Address) kind() Kind { return KindAddress }

func (a *Address) keys() []store.Key {
	keys := []store.Key{{Name: "public-ip", Value: a.PublicIP}}
	if a.AssociationID != "" {
		keys = append(keys, store.Key{Name: "association-id", Value: a.AssociationID},
			store.Key{Name: "network-interface-id", Value: a.NetworkInterfaceID})
	}
	if a.InstanceID != "" {
		keys = append(keys, store.Key{Name: "instance-id", Value: a.InstanceID})
	}
	return keys
}
