package cloud

import (
	"github.com/vpcemu/vpcemu/internal/store"
)

// EgressOnlyInternetGateway lets IPv6 traffic out of a VPC and none in.
type EgressOnlyInternetGateway struct {
	Meta
	Attachments []GatewayAttachment
}

func (*EgressOnlyInternetGateway) kind() Kind { return KindEgressOnlyIGW }

func (g *EgressOnlyInternetGateway) keys() []store.Key {
	var keys []store.Key
	for _, a := range g.Attachments {
		keys = append(keys, store.Key{Name: "attachment.vpc-id", Value: a.VpcID})
	}
	return keys
}
