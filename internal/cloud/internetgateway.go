package cloud

import (
	"github.com/vpcemu/vpcemu/internal/store"
)

// InternetGateway connects a VPC to the internet.
type InternetGateway struct {
	Meta
	Attachments []GatewayAttachment `json:",omitempty"`
}

// GatewayAttachment ties a gateway to a VPC.
type GatewayAttachment struct {
	VpcID string
	State string // available for internet gateways, attached for others
}

func (*InternetGateway) kind() Kind { return KindInternetGateway }

func (g *InternetGateway) keys() []store.Key {
	var keys []store.Key
	for _, a := range g.Attachments {
		keys = append(keys, store.Key{Name: "attachment.vpc-id", Value: a.VpcID})
	}
	return keys
}

// AttachedTo reports whether the gateway is attached to the VPC.
func (g *InternetGateway) AttachedTo(vpcID string) bool {
	for _, a := range g.Attachments {
		if a.VpcID == vpcID {
			return true
		}
	}
	return false
}
