package cloud

import (
	"time"

	"github.com/vpcemu/vpcemu/internal/store"
)

// VPCEndpoint is a VPC endpoint: the consumer's side of a connection to an
// endpoint service (one of AWS's, or a PrivateLink service another account
// or the same one runs). For a PrivateLink service it is also the
// connection the provider accepts or rejects: the provider changes its
// State, found through the service-id key.
type VPCEndpoint struct {
	Meta
	Type        string // Interface, Gateway or GatewayLoadBalancer
	VpcID       string
	ServiceName string
	// ServiceID is the endpoint service's id (vpce-svc-…), AWS's or an
	// account's; ServiceOwner its account, or "amazon".
	ServiceID    string
	ServiceOwner string
	// ServiceRegion is where the service runs when it is not the endpoint's
	// region (cross-region PrivateLink).
	ServiceRegion string `json:",omitempty"`
	// State is pendingAcceptance, pending, available, rejected, failed,
	// deleting, deleted or expired, spelled as the EC2 API does.
	State          string
	PolicyDocument string `json:",omitempty"`
	// Gateway endpoints: the route tables holding the prefix-list route.
	RouteTableIDs []string `json:",omitempty"`
	// Interface and Gateway Load Balancer endpoints: one subnet per zone,
	// each with a requester-managed network interface.
	SubnetIDs           []string `json:",omitempty"`
	NetworkInterfaceIDs []string `json:",omitempty"`
	SecurityGroupIDs    []string `json:",omitempty"`
	PrivateDNSEnabled   bool
	IPAddressType       string `json:",omitempty"` // ipv4, ipv6 or dualstack
	DNSRecordIPType     string `json:",omitempty"`
	// PrivateDNSOnlyForInboundResolverEndpoint applies to interface
	// endpoints of services that also have a gateway endpoint.
	PrivateDNSOnlyForInboundResolverEndpoint bool `json:",omitempty"`
	RequesterManaged                         bool `json:",omitempty"`
	CreationTime                             time.Time
	// StateChanged is when State last changed (visibility windows).
	StateChanged time.Time
	LastError    *EndpointError `json:",omitempty"`
	// ConnectionID is the connection's id as the provider sees it
	// (vpce-con-…), for PrivateLink services.
	ConnectionID string `json:",omitempty"`
}

// EndpointError is why an endpoint failed.
type EndpointError struct {
	Code    string
	Message string
}

func (*VPCEndpoint) kind() Kind { return KindVPCEndpoint }

func (e *VPCEndpoint) keys() []store.Key {
	keys := []store.Key{{Name: "vpc-id", Value: e.VpcID}, {Name: "service-id", Value: e.ServiceID}}
	for _, id := range e.RouteTableIDs {
		keys = append(keys, store.Key{Name: "route-table-id", Value: id})
	}
	for _, id := range e.SubnetIDs {
		keys = append(keys, store.Key{Name: "subnet-id", Value: id})
	}
	for _, id := range e.SecurityGroupIDs {
		keys = append(keys, store.Key{Name: "group-id", Value: id})
	}
	return keys
}
